// SPDX-License-Identifier: Apache-2.0
// The core module: Errors, configuration, ARNs, time and base64: what every other module stands on.
#ifndef KINESIS_CORE_HPP
#define KINESIS_CORE_HPP

#include <kinesis/core/version.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/config.hpp>
#include <kinesis/core/arn.hpp>
#include <kinesis/core/time.hpp>
#include <kinesis/core/base64.hpp>
#include <kinesis/core/stop.hpp>

#endif  // KINESIS_CORE_HPP
