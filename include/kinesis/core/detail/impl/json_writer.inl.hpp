// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/json_writer.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_JSON_WRITER_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_JSON_WRITER_INL_HPP

#include <kinesis/core/detail/json_writer.hpp>

#include <kinesis/core/detail/encoding.hpp>

#include <charconv>
#include <cstdint>
#include <cstring>

namespace kinesis::detail {

namespace json_writer_impl {

// Length of the well-formed UTF-8 sequence at p (Unicode table 3-7), or the
// negated length of its maximal ill-formed prefix (at least 1), which is what
// one U+FFFD replaces (the W3C/Unicode "substitution of maximal subparts").
inline int utf8_step(const unsigned char* p, std::size_t n) noexcept {
    const unsigned c = p[0];
    if (c < 0x80) return 1;
    int len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c == 0xE0) {
        len = 3;
        lo = 0xA0;  // no overlong 3-byte forms
    } else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF) {
        len = 3;
    } else if (c == 0xED) {
        len = 3;
        hi = 0x9F;  // no UTF-16 surrogates
    } else if (c == 0xF0) {
        len = 4;
        lo = 0x90;  // no overlong 4-byte forms
    } else if (c >= 0xF1 && c <= 0xF3) {
        len = 4;
    } else if (c == 0xF4) {
        len = 4;
        hi = 0x8F;  // nothing past U+10FFFF
    } else {
        return -1;  // 0x80-0xC1 and 0xF5-0xFF never start a sequence
    }
    for (int i = 1; i < len; ++i) {
        if (static_cast<std::size_t>(i) >= n) return -i;
        const unsigned b = p[i];
        const unsigned l = i == 1 ? lo : 0x80U;
        const unsigned h = i == 1 ? hi : 0xBFU;
        if (b < l || b > h) return -i;
    }
    return len;
}

inline bool plain_ascii(unsigned char c) noexcept {
    return c >= 0x20 && c < 0x80 && c != '"' && c != '\\';
}

constexpr std::uint64_t every_byte(std::uint8_t b) noexcept { return 0x0101010101010101u * b; }

// The high bit of a byte is set in the result when that byte of `word` is
// '"', '\\' or below 0x20; the test "any byte" is exact (bit-twiddling hacks'
// haszero/hasless, which may also mark a byte above a marked one).
inline std::uint64_t escape_bits(std::uint64_t word) noexcept {
    const auto zero_in = [](std::uint64_t x) { return (x - every_byte(1)) & ~x & every_byte(0x80); };
    const std::uint64_t below_space = (word - every_byte(0x20)) & ~word & every_byte(0x80);
    return below_space | zero_in(word ^ every_byte('"')) | zero_in(word ^ every_byte('\\'));
}

}  // namespace json_writer_impl

KINESIS_DECL bool is_valid_utf8(std::string_view text) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    std::size_t i = 0;
    const std::size_t n = text.size();
    // Partition keys and names are mostly ASCII: eight bytes per test until the first that is not.
    for (std::uint64_t word = 0; i + 8 <= n; i += 8) {
        std::memcpy(&word, p + i, 8);
        if ((word & 0x8080808080808080u) != 0) break;
    }
    while (i < n) {
        if (p[i] < 0x80) {
            ++i;
            continue;
        }
        const int step = json_writer_impl::utf8_step(p + i, n - i);
        if (step < 0) return false;
        i += static_cast<std::size_t>(step);
    }
    return true;
}

KINESIS_DECL bool needs_json_escape(std::string_view text) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    std::size_t i = 0;
    for (std::uint64_t word = 0; i + 8 <= n; i += 8) {
        std::memcpy(&word, p + i, 8);
        if (json_writer_impl::escape_bits(word) != 0) return true;
    }
    for (; i < n; ++i) {
        if (p[i] < 0x20 || p[i] == '"' || p[i] == '\\') return true;
    }
    return false;
}

KINESIS_DECL bool append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    const std::size_t n = text.size();
    bool valid = true;
    out.push_back('"');
    std::size_t run = 0;  // start of the pending run copied verbatim
    std::size_t i = 0;
    while (i < n) {
        // Plain ASCII eight bytes at a time: none to escape, none of 0x80 and up.
        for (std::uint64_t word = 0; i + 8 <= n; i += 8) {
            std::memcpy(&word, p + i, 8);
            if ((json_writer_impl::escape_bits(word) | (word & json_writer_impl::every_byte(0x80))) != 0) break;
        }
        if (i >= n) break;
        const unsigned char c = p[i];
        if (json_writer_impl::plain_ascii(c)) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            const int step = json_writer_impl::utf8_step(p + i, n - i);
            if (step > 0) {
                i += static_cast<std::size_t>(step);
                continue;
            }
            out.append(text.data() + run, i - run);
            out.append("\xEF\xBF\xBD");  // U+FFFD
            valid = false;
            i += static_cast<std::size_t>(-step);
            run = i;
            continue;
        }
        out.append(text.data() + run, i - run);
        switch (c) {
            case '"': out.append("\\\""); break;
            case '\\': out.append("\\\\"); break;
            case '\b': out.append("\\b"); break;
            case '\f': out.append("\\f"); break;
            case '\n': out.append("\\n"); break;
            case '\r': out.append("\\r"); break;
            case '\t': out.append("\\t"); break;
            default: {
                const char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xF]};
                out.append(esc, sizeof esc);
            }
        }
        ++i;
        run = i;
    }
    out.append(text.data() + run, n - run);
    out.push_back('"');
    return valid;
}

KINESIS_DECL void JsonWriter::separate() {
    if (out_.size() == start_) return;
    const char last = out_.back();
    if (last != '{' && last != '[' && last != ':') out_.push_back(',');
}

KINESIS_DECL JsonWriter& JsonWriter::begin_object() {
    separate();
    out_.push_back('{');
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::end_object() {
    out_.push_back('}');
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::begin_array() {
    separate();
    out_.push_back('[');
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::end_array() {
    out_.push_back(']');
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    if (!append_json_string(out_, name)) ok_ = false;
    out_.push_back(':');
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::string(std::string_view value) {
    separate();
    if (!append_json_string(out_, value)) ok_ = false;
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::int64(std::int64_t value) {
    separate();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out_.append(digits, static_cast<std::size_t>(end - digits));
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::uint64(std::uint64_t value) {
    separate();
    char digits[24];
    const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
    out_.append(digits, static_cast<std::size_t>(end - digits));
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::boolean(bool value) {
    separate();
    out_.append(value ? "true" : "false");
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::null() {
    separate();
    out_.append("null");
    return *this;
}

KINESIS_DECL JsonWriter& JsonWriter::base64(std::string_view bytes) {
    separate();
    out_.push_back('"');
    base64_encode(bytes, out_);
    out_.push_back('"');
    return *this;
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_JSON_WRITER_INL_HPP
