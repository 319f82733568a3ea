// SPDX-License-Identifier: Apache-2.0
// The producer module: Producer, its configuration, outcomes and metrics.
#ifndef KINESIS_PRODUCER_HPP
#define KINESIS_PRODUCER_HPP

#include <kinesis/producer/config.hpp>
#include <kinesis/producer/metrics.hpp>
#include <kinesis/producer/outcome.hpp>
#include <kinesis/producer/producer.hpp>

#endif  // KINESIS_PRODUCER_HPP
