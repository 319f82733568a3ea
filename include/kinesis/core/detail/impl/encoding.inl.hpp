// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/encoding.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_ENCODING_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_ENCODING_INL_HPP

#include <kinesis/core/detail/encoding.hpp>

#include <fmt/core.h>

#include <array>
#include <cstdint>
#include <cstring>

namespace kinesis::detail {

namespace encoding_impl {

inline constexpr char hex_digits[] = "0123456789abcdef";
inline constexpr char base64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
inline constexpr std::uint8_t invalid = 0xFF;

// Value of each byte as a base64 digit, or `invalid`; built at compile time.
constexpr std::array<std::uint8_t, 256> make_base64_table() {
    std::array<std::uint8_t, 256> table{};
    for (auto& v : table) v = invalid;
    for (std::uint8_t i = 0; i < 64; ++i) {
        table[static_cast<unsigned char>(base64_alphabet[i])] = i;
    }
    return table;
}
inline constexpr std::array<std::uint8_t, 256> base64_table = make_base64_table();

constexpr std::array<std::uint8_t, 256> make_hex_table() {
    std::array<std::uint8_t, 256> table{};
    for (auto& v : table) v = invalid;
    for (std::uint8_t i = 0; i < 10; ++i) table['0' + i] = i;
    for (std::uint8_t i = 0; i < 6; ++i) {
        table['a' + i] = static_cast<std::uint8_t>(10 + i);
        table['A' + i] = static_cast<std::uint8_t>(10 + i);
    }
    return table;
}
inline constexpr std::array<std::uint8_t, 256> hex_table = make_hex_table();

constexpr std::array<char, 512> make_hex_pairs() {
    std::array<char, 512> table{};
    for (std::size_t i = 0; i < 256; ++i) {
        table[2 * i] = hex_digits[i >> 4];
        table[2 * i + 1] = hex_digits[i & 0x0F];
    }
    return table;
}
inline constexpr std::array<char, 512> hex_pairs = make_hex_pairs();

// Two base64 digits for every 12-bit value: a 3-byte group is two lookups.
constexpr std::array<char, 8192> make_base64_pairs() {
    std::array<char, 8192> table{};
    for (std::size_t i = 0; i < 4096; ++i) {
        table[2 * i] = base64_alphabet[i >> 6];
        table[2 * i + 1] = base64_alphabet[i & 0x3F];
    }
    return table;
}
inline constexpr std::array<char, 8192> base64_pairs = make_base64_pairs();

inline void base64_group_to(std::uint32_t v, char* dst) noexcept {
    std::memcpy(dst, &base64_pairs[2 * (v >> 12)], 2);
    std::memcpy(dst + 2, &base64_pairs[2 * (v & 0xFFF)], 2);
}

inline std::uint8_t b64(char c) noexcept { return base64_table[static_cast<unsigned char>(c)]; }

// The decoder's tables: the value of a character already shifted to its place
// in the 24-bit group for each of the four positions, so a group is four loads
// and three ORs. A character outside the alphabet sets bit 24 or above in every
// position, so one test of the OR of all groups finds it.
constexpr std::array<std::uint32_t, 256> make_base64_shifted(int shift) {
    std::array<std::uint32_t, 256> table{};
    for (std::size_t c = 0; c < 256; ++c) {
        table[c] = base64_table[c] == invalid ? 0xFF000000u : std::uint32_t{base64_table[c]} << shift;
    }
    return table;
}
inline constexpr std::array<std::uint32_t, 256> base64_d0 = make_base64_shifted(18);
inline constexpr std::array<std::uint32_t, 256> base64_d1 = make_base64_shifted(12);
inline constexpr std::array<std::uint32_t, 256> base64_d2 = make_base64_shifted(6);
inline constexpr std::array<std::uint32_t, 256> base64_d3 = make_base64_shifted(0);

inline std::uint32_t base64_group(const char* src) noexcept {
    return base64_d0[static_cast<unsigned char>(src[0])] | base64_d1[static_cast<unsigned char>(src[1])] |
           base64_d2[static_cast<unsigned char>(src[2])] | base64_d3[static_cast<unsigned char>(src[3])];
}

}  // namespace encoding_impl

KINESIS_DECL void hex_encode_to(const void* data, std::size_t size, char* out) noexcept {
    const auto* in = static_cast<const unsigned char*>(data);
    // Two characters per byte from one table lookup (digests are hexed on every signing).
    for (std::size_t i = 0; i < size; ++i) {
        std::memcpy(out + 2 * i, &detail::encoding_impl::hex_pairs[2 * std::size_t{in[i]}], 2);
    }
}

KINESIS_DECL void hex_encode(const void* data, std::size_t size, std::string& out) {
    const std::size_t start = out.size();
    out.resize(start + 2 * size);
    hex_encode_to(data, size, out.data() + start);
}

KINESIS_DECL std::string to_hex(const void* data, std::size_t size) {
    std::string out;
    hex_encode(data, size, out);
    return out;
}

KINESIS_DECL Result<std::string> hex_decode(std::string_view hex) {
    if (hex.size() % 2 != 0) {
        return invalid_argument(
            fmt::format("hex_decode: input has {} characters; the length must be even", hex.size()));
    }
    std::string out(hex.size() / 2, '\0');
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto hi = detail::encoding_impl::hex_table[static_cast<unsigned char>(hex[2 * i])];
        const auto lo = detail::encoding_impl::hex_table[static_cast<unsigned char>(hex[2 * i + 1])];
        if ((hi | lo) == detail::encoding_impl::invalid) {
            return invalid_argument(fmt::format(
                "hex_decode: input has a non-hex character at offset {}", hi == detail::encoding_impl::invalid ? 2 * i : 2 * i + 1));
        }
        out[i] = static_cast<char>((hi << 4) | lo);
    }
    return out;
}

KINESIS_DECL void base64_encode(std::string_view bytes, std::string& out) {
    const std::size_t start = out.size();
    out.resize(start + base64_encoded_size(bytes.size()));
    const auto* in = reinterpret_cast<const unsigned char*>(bytes.data());
    char* dst = out.data() + start;
    const char* alphabet = detail::encoding_impl::base64_alphabet;
    using detail::encoding_impl::base64_group_to;
    std::size_t i = 0;
    const std::size_t whole = bytes.size() - bytes.size() % 3;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    // Two groups (six bytes) from one 8-byte load while eight bytes are left
    // to read; the two past them are read, not used.
    for (; i + 8 <= bytes.size(); i += 6) {
        std::uint64_t word = 0;
        std::memcpy(&word, in + i, 8);
        word = __builtin_bswap64(word);
        base64_group_to(static_cast<std::uint32_t>(word >> 40), dst);
        base64_group_to(static_cast<std::uint32_t>(word >> 16) & 0xFFFFFFu, dst + 4);
        dst += 8;
    }
#endif
    for (; i < whole; i += 3) {
        base64_group_to((std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2], dst);
        dst += 4;
    }
    const std::size_t rest = bytes.size() - whole;
    if (rest == 1) {
        const std::uint32_t v = std::uint32_t{in[i]} << 16;
        dst[0] = alphabet[(v >> 18) & 0x3F];
        dst[1] = alphabet[(v >> 12) & 0x3F];
        dst[2] = '=';
        dst[3] = '=';
    } else if (rest == 2) {
        const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
        dst[0] = alphabet[(v >> 18) & 0x3F];
        dst[1] = alphabet[(v >> 12) & 0x3F];
        dst[2] = alphabet[(v >> 6) & 0x3F];
        dst[3] = '=';
    }
}

KINESIS_DECL std::string base64_encode(std::string_view bytes) {
    std::string out;
    base64_encode(bytes, out);
    return out;
}

namespace encoding_impl {

// Why a base64 text is rejected; nullptr when it is good. `out` gets the bytes.
inline const char* base64_decode_into(std::string_view text, std::string& out) {
    if (text.size() % 4 != 0) return "length is not a multiple of 4";
    if (text.empty()) return nullptr;
    std::size_t pad = 0;
    if (text.back() == '=') pad = text[text.size() - 2] == '=' ? 2 : 1;
    const std::size_t start = out.size();
    out.resize(start + text.size() / 4 * 3 - pad);
    auto* dst = reinterpret_cast<unsigned char*>(out.data() + start);
    const char* src = text.data();
    const std::size_t full_quads = text.size() / 4 - (pad != 0 ? 1 : 0);
    std::uint32_t seen = 0;
    std::size_t q = 0;
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    // Two groups (six bytes) per step, written as one 8-byte store; the two
    // bytes past them are overwritten by the next step, so the last two groups
    // are left to the loop below, which never writes past the end.
    for (; q + 3 <= full_quads; q += 2, src += 8, dst += 6) {
        const std::uint32_t a = base64_group(src), b = base64_group(src + 4);
        seen |= a | b;
        const std::uint64_t six = (std::uint64_t{a} << 40) | (std::uint64_t{b} << 16);
        const std::uint64_t bytes = __builtin_bswap64(six);
        std::memcpy(dst, &bytes, 8);
    }
#endif
    for (; q < full_quads; ++q, src += 4, dst += 3) {
        const std::uint32_t v = base64_group(src);
        seen |= v;
        dst[0] = static_cast<unsigned char>(v >> 16);
        dst[1] = static_cast<unsigned char>(v >> 8);
        dst[2] = static_cast<unsigned char>(v);
    }
    if (seen & 0xFF000000u) return "it has a character outside the base64 alphabet (or misplaced '=')";
    if (pad != 0) {
        const std::uint8_t a = b64(src[0]), b = b64(src[1]);
        const std::uint8_t c = pad == 2 ? 0 : b64(src[2]);
        if ((a | b | c) & 0xC0) return "it has a character outside the base64 alphabet (or misplaced '=')";
        const std::uint32_t v = (std::uint32_t{a} << 18) | (std::uint32_t{b} << 12) | (std::uint32_t{c} << 6);
        dst[0] = static_cast<unsigned char>(v >> 16);
        if (pad == 1) dst[1] = static_cast<unsigned char>(v >> 8);
        // The bits below the last whole byte must be zero, or two texts would decode alike.
        if ((pad == 2 ? (v & 0xFFFF) : (v & 0xFF)) != 0) return "its padding bits are not zero";
    }
    return nullptr;
}

}  // namespace encoding_impl

KINESIS_DECL bool base64_decode(std::string_view text, std::string& out) {
    const std::size_t start = out.size();
    if (detail::encoding_impl::base64_decode_into(text, out) != nullptr) {
        out.resize(start);
        return false;
    }
    return true;
}

KINESIS_DECL Result<std::string> base64_decode(std::string_view text) {
    std::string out;
    if (const char* why = detail::encoding_impl::base64_decode_into(text, out)) {
        return invalid_argument(
            fmt::format("base64_decode: input of {} characters is not valid base64: {}", text.size(), why));
    }
    return out;
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_ENCODING_INL_HPP
