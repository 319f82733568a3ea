// SPDX-License-Identifier: Apache-2.0
// Definitions for protocol/detail/operation.hpp.
#ifndef KINESIS_PROTOCOL_DETAIL_IMPL_OPERATION_INL_HPP
#define KINESIS_PROTOCOL_DETAIL_IMPL_OPERATION_INL_HPP

#include <kinesis/protocol/detail/operation.hpp>

#include <fmt/core.h>

namespace kinesis::detail {

KINESIS_DECL Error waiter_timeout(std::string_view op, std::string_view what, std::string_view last,
                                  const WaiterConfig& config) {
    Error error;
    error.kind = ErrorKind::Timeout;
    error.message = fmt::format("{}: {} {} after {} attempts {} ms apart", op, what, last, config.max_attempts,
                                config.delay.count());
    return error;
}

KINESIS_DECL Error waiter_stopped(std::string_view op, std::string_view what, std::string_view last) {
    Error error;
    error.kind = ErrorKind::Stopped;
    error.message = fmt::format("{}: stopped while {} {}", op, what, last);
    return error;
}

}  // namespace kinesis::detail

#endif  // KINESIS_PROTOCOL_DETAIL_IMPL_OPERATION_INL_HPP
