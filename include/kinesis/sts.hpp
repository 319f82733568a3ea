// SPDX-License-Identifier: Apache-2.0
// The sts module: AWS STS: GetCallerIdentity, AssumeRole and the AssumeRole credentials provider.
#ifndef KINESIS_STS_HPP
#define KINESIS_STS_HPP

#include <kinesis/sts/sts_client.hpp>

#endif  // KINESIS_STS_HPP
