// SPDX-License-Identifier: Apache-2.0
// Pieces of the input checks that several services share.
#ifndef KINESIS_CORE_DETAIL_CHECKS_HPP
#define KINESIS_CORE_DETAIL_CHECKS_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kinesis::detail {

/// [a-zA-Z0-9_.-]: the characters of Kinesis stream, shard and Firehose delivery stream names.
[[nodiscard]] constexpr bool is_name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
           c == '-';
}

/// `"text"` when it has at most 64 bytes, else `of N bytes`: enough of a
/// rejected value to spot a typo, never a wall of text.
[[nodiscard]] KINESIS_DECL std::string quoted_if_short(std::string_view text);

/// `"text"` with `"` and `\` escaped and every byte outside printable ASCII
/// written as `\n`, `\t`, `\r` or `\xHH`, so a rejected value cannot drive a
/// terminal; past 64 bytes, the first 64 and the size.
[[nodiscard]] KINESIS_DECL std::string quoted_escaped(std::string_view text);

/// 1 to `max_size` characters, each is_name_char().
[[nodiscard]] KINESIS_DECL std::optional<Error> check_name(std::string_view op, std::string_view field,
                                                           std::string_view name, std::size_t max_size);

/// "<op>: <field> is <value>; it must be <min> to <max>" when `value` is outside [min, max].
[[nodiscard]] KINESIS_DECL std::optional<Error> check_range(std::string_view op, std::string_view field,
                                                            long long value, long long min, long long max);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/checks.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_CHECKS_HPP
