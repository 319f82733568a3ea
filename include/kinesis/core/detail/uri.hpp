// SPDX-License-Identifier: Apache-2.0
// SigV4 URI encoding (RFC 3986 unreserved set), percent-decoding and path normalisation.
#ifndef KINESIS_CORE_DETAIL_URI_HPP
#define KINESIS_CORE_DETAIL_URI_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <string>
#include <string_view>

namespace kinesis::detail {

/// Whether SigV4 leaves the byte as is: A-Z a-z 0-9 - . _ ~
[[nodiscard]] constexpr bool is_unreserved(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/// Appends `text` with every byte outside the unreserved set as uppercase %XX;
/// with `keep_slash`, '/' stays as is (for paths).
KINESIS_DECL void uri_encode(std::string_view text, std::string& out, bool keep_slash = false);
[[nodiscard]] KINESIS_DECL std::string uri_encode(std::string_view text, bool keep_slash = false);

/// Decodes %XX escapes ('+' stays '+': SigV4 and AWS query strings do not use form encoding).
/// Fails on '%' not followed by two hex digits.
[[nodiscard]] KINESIS_DECL Result<std::string> uri_decode(std::string_view text);

/// Removes "." and ".." segments and collapses empty segments ("//"), as SigV4 does for
/// every service but S3. Keeps a leading '/' and a trailing '/' (also one left by a final
/// "." or ".."); never climbs above the root. "" and "/" both give "/".
[[nodiscard]] KINESIS_DECL std::string normalize_path(std::string_view path);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/uri.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_URI_HPP
