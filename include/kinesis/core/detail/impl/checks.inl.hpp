// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/checks.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_CHECKS_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_CHECKS_INL_HPP

#include <kinesis/core/detail/checks.hpp>

#include <fmt/core.h>

namespace kinesis::detail {

KINESIS_DECL std::string quoted_if_short(std::string_view text) {
    if (text.size() <= 64) return fmt::format("\"{}\"", text);
    return fmt::format("of {} bytes", text.size());
}

KINESIS_DECL std::optional<Error> check_name(std::string_view op, std::string_view field, std::string_view name,
                                             std::size_t max_size) {
    if (name.empty()) {
        return invalid_argument(fmt::format("{}: {} is empty; it must have 1 to {} characters", op, field, max_size));
    }
    if (name.size() > max_size) {
        return invalid_argument(
            fmt::format("{}: {} has {} characters; the limit is {}", op, field, name.size(), max_size));
    }
    for (const char c : name) {
        if (!is_name_char(c)) {
            return invalid_argument(fmt::format("{}: {} {} has a character outside [a-zA-Z0-9_.-]", op, field,
                                                quoted_if_short(name)));
        }
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_range(std::string_view op, std::string_view field, long long value,
                                              long long min, long long max) {
    if (value < min || value > max) {
        return invalid_argument(fmt::format("{}: {} is {}; it must be {} to {}", op, field, value, min, max));
    }
    return std::nullopt;
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_CHECKS_INL_HPP
