// SPDX-License-Identifier: Apache-2.0
// How a waiter (StreamExists, DeliveryStreamActive, ...) polls.
#ifndef KINESIS_PROTOCOL_WAITER_HPP
#define KINESIS_PROTOCOL_WAITER_HPP

#include <chrono>

namespace kinesis {

/// How a waiter polls (botocore's Kinesis and Firehose waiters: every 10 s, 18 attempts).
struct WaiterConfig {
    std::chrono::milliseconds delay = std::chrono::seconds(10);
    int max_attempts = 18;
};

}  // namespace kinesis

#endif  // KINESIS_PROTOCOL_WAITER_HPP
