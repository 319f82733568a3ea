// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/uri.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_URI_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_URI_INL_HPP

#include <kinesis/core/detail/uri.hpp>

#include <fmt/core.h>

#include <cstddef>

namespace kinesis::detail {

namespace uri_impl {
inline int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace uri_impl

KINESIS_DECL void uri_encode(std::string_view text, std::string& out, bool keep_slash) {
    static constexpr char upper_hex[] = "0123456789ABCDEF";
    std::size_t i = 0;
    while (i < text.size()) {
        // Copy runs of bytes that need no escape in one append.
        std::size_t run = i;
        while (run < text.size() && (is_unreserved(text[run]) || (keep_slash && text[run] == '/'))) ++run;
        out.append(text.data() + i, run - i);
        if (run == text.size()) break;
        const auto byte = static_cast<unsigned char>(text[run]);
        const char escape[3] = {'%', upper_hex[byte >> 4], upper_hex[byte & 0x0F]};
        out.append(escape, 3);
        i = run + 1;
    }
}

KINESIS_DECL std::string uri_encode(std::string_view text, bool keep_slash) {
    std::string out;
    out.reserve(text.size() + text.size() / 2);
    uri_encode(text, out, keep_slash);
    return out;
}

KINESIS_DECL Result<std::string> uri_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '%') {
            out.push_back(text[i]);
            continue;
        }
        const int hi = i + 1 < text.size() ? uri_impl::hex_value(text[i + 1]) : -1;
        const int lo = i + 2 < text.size() ? uri_impl::hex_value(text[i + 2]) : -1;
        if (hi < 0 || lo < 0) {
            return invalid_argument(
                fmt::format("uri_decode: '%' at offset {} is not followed by two hex digits", i));
        }
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

KINESIS_DECL std::string normalize_path(std::string_view path) {
    // Kept segments are written straight into `out` ("/a/b"); ".." trims the last one.
    std::string out;
    out.reserve(path.size() + 1);
    std::size_t depth = 0;
    bool trailing_slash = false;
    std::size_t pos = 0;
    while (true) {
        std::size_t slash = path.find('/', pos);
        if (slash == std::string_view::npos) slash = path.size();
        const std::string_view segment = path.substr(pos, slash - pos);
        // Only the piece after the last '/' decides the trailing slash.
        trailing_slash = segment.empty() || segment == "." || segment == "..";
        if (segment == "..") {
            if (depth > 0) {
                out.resize(out.rfind('/'));
                --depth;
            }
        } else if (!trailing_slash) {
            out.push_back('/');
            out.append(segment);
            ++depth;
        }
        if (slash == path.size()) break;
        pos = slash + 1;
    }
    if (out.empty() || trailing_slash) out.push_back('/');
    return out;
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_URI_INL_HPP
