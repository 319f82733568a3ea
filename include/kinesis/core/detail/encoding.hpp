// SPDX-License-Identifier: Apache-2.0
// Hex and base64 (RFC 4648), table-driven, appending into caller-owned buffers.
#ifndef KINESIS_CORE_DETAIL_ENCODING_HPP
#define KINESIS_CORE_DETAIL_ENCODING_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace kinesis::detail {

/// Appends the lowercase hex of `size` bytes to `out`.
KINESIS_DECL void hex_encode(const void* data, std::size_t size, std::string& out);
/// Lowercase hex of the bytes, e.g. of a digest: to_hex(digest.data(), digest.size()).
[[nodiscard]] KINESIS_DECL std::string to_hex(const void* data, std::size_t size);
[[nodiscard]] inline std::string to_hex(std::string_view bytes) {
    return to_hex(bytes.data(), bytes.size());
}
/// Writes exactly 2*size lowercase hex characters at `out` (no terminator).
KINESIS_DECL void hex_encode_to(const void* data, std::size_t size, char* out) noexcept;
/// Decodes hex (either case); fails on an odd length or a non-hex character.
[[nodiscard]] KINESIS_DECL Result<std::string> hex_decode(std::string_view hex);

/// Encoded length of `size` bytes, padding included.
[[nodiscard]] constexpr std::size_t base64_encoded_size(std::size_t size) noexcept {
    return (size + 2) / 3 * 4;
}
/// Appends the padded base64 (standard alphabet) of `bytes` to `out`.
KINESIS_DECL void base64_encode(std::string_view bytes, std::string& out);
[[nodiscard]] KINESIS_DECL std::string base64_encode(std::string_view bytes);
/// Appends the decoded bytes to `out`. Returns false, leaving `out` as it was, unless the input
/// is canonical padded base64: length a multiple of 4, only alphabet characters, '=' only as
/// the last one or two characters, and zero bits after the last byte.
[[nodiscard]] KINESIS_DECL bool base64_decode(std::string_view text, std::string& out);
/// Decoded bytes, or InvalidArgument naming what was wrong (never echoing the input).
[[nodiscard]] KINESIS_DECL Result<std::string> base64_decode(std::string_view text);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/encoding.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_ENCODING_HPP
