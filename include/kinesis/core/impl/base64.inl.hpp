// SPDX-License-Identifier: Apache-2.0
// Definitions for core/base64.hpp.
#ifndef KINESIS_CORE_IMPL_BASE64_INL_HPP
#define KINESIS_CORE_IMPL_BASE64_INL_HPP

#include <kinesis/core/base64.hpp>

#include <kinesis/core/detail/encoding.hpp>

#include <fmt/core.h>

#include <cstddef>

namespace kinesis {

namespace detail::base64_impl {

inline bool is_base64_digit(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// Why `text` (already rejected by the detail decoder) is not canonical base64,
// with the 0-based position of the first offending character. Runs on the
// error path only, so the decoder's hot loop stays branch-free.
inline std::string describe_bad_base64(std::string_view text) {
    if (text.size() % 4 != 0) {
        return fmt::format("base64_decode: input has {} characters; the length must be a multiple of 4",
                           text.size());
    }
    const std::size_t size = text.size();
    // '=' may stand only in the last position, or the last two.
    const std::size_t padding_from = text[size - 1] != '=' ? size : text[size - 2] == '=' ? size - 2 : size - 1;
    for (std::size_t i = 0; i < size; ++i) {
        if (i >= padding_from) break;
        if (text[i] == '=') {
            return fmt::format("base64_decode: input has '=' at position {} of {}; padding may only end the input",
                               i, size);
        }
        if (!is_base64_digit(text[i])) {
            return fmt::format("base64_decode: input has a character outside the base64 alphabet at position {}",
                               i);
        }
    }
    return fmt::format("base64_decode: input of {} characters has non-zero bits after its last byte "
                       "(not canonical base64)",
                       size);
}

}  // namespace detail::base64_impl

KINESIS_DECL std::string base64_encode(std::string_view bytes) { return detail::base64_encode(bytes); }

KINESIS_DECL Result<std::string> base64_decode(std::string_view text) {
    std::string out;
    if (detail::base64_decode(text, out)) return out;
    return invalid_argument(detail::base64_impl::describe_bad_base64(text));
}

}  // namespace kinesis

#endif  // KINESIS_CORE_IMPL_BASE64_INL_HPP
