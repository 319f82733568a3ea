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

KINESIS_DECL std::string quoted_escaped(std::string_view text) {
    constexpr std::size_t shown = 64;
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "\"";
    for (std::size_t i = 0; i < text.size() && i < shown; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20 || c >= 0x7f) {
                    out += "\\x";
                    out += hex[c >> 4];
                    out += hex[c & 0xf];
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    out += '"';
    if (text.size() > shown) out += fmt::format(" (the first {} of {} bytes)", shown, text.size());
    return out;
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
