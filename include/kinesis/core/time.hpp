// SPDX-License-Identifier: Apache-2.0
// Points in time as AWS sends them.
#ifndef KINESIS_CORE_TIME_HPP
#define KINESIS_CORE_TIME_HPP

#include <chrono>

namespace kinesis {

/// A point in time as AWS sends it (epoch seconds with fractions, or ISO 8601).
using Timestamp = std::chrono::system_clock::time_point;

}  // namespace kinesis

#endif  // KINESIS_CORE_TIME_HPP
