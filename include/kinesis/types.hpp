// SPDX-License-Identifier: Apache-2.0
// Value types every service client shares: timestamps and waiter settings.
#ifndef KINESIS_TYPES_HPP
#define KINESIS_TYPES_HPP

#include <chrono>

namespace kinesis {

/// A point in time as AWS sends it (epoch seconds with fractions, or ISO 8601).
using Timestamp = std::chrono::system_clock::time_point;

/// How a waiter polls (botocore's Kinesis and Firehose waiters: every 10 s, 18 attempts).
struct WaiterConfig {
    std::chrono::milliseconds delay = std::chrono::seconds(10);
    int max_attempts = 18;
};

}  // namespace kinesis

#endif  // KINESIS_TYPES_HPP
