// SPDX-License-Identifier: Apache-2.0
// Definitions for auth/sigv4.hpp.
#ifndef KINESIS_AUTH_IMPL_SIGV4_INL_HPP
#define KINESIS_AUTH_IMPL_SIGV4_INL_HPP

#include <kinesis/auth/sigv4.hpp>

#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/time.hpp>
#include <kinesis/core/detail/uri.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace kinesis {

namespace detail::sigv4_impl {

using Query = std::vector<std::pair<std::string, std::string>>;
using detail::CanonicalSlot;

inline char ascii_lower(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return static_cast<char>(u + (static_cast<unsigned char>(u - 'A') < 26 ? 32 : 0));
}

// Lower-cases ASCII 8 bytes at a time (SWAR): for each byte h < 0x80, h + 0x3f sets bit 7
// iff h >= 'A' and h + 0x25 sets it iff h > 'Z'; their XOR marks upper case, and bit 7
// shifted down to bit 5 (0x20) lowers it. Bytes >= 0x80 pass unchanged.
inline std::uint64_t lower8(std::uint64_t x) noexcept {
    const std::uint64_t heptets = x & 0x7f7f7f7f7f7f7f7fULL;
    const std::uint64_t upper =
        ~x & ((heptets + 0x3f3f3f3f3f3f3f3fULL) ^ (heptets + 0x2525252525252525ULL)) & 0x8080808080808080ULL;
    return x | (upper >> 2);
}

inline void lower_ascii_copy(const char* in, std::size_t size, char* out) noexcept {
    if (size < 8) {
        for (std::size_t i = 0; i < size; ++i) out[i] = ascii_lower(in[i]);
        return;
    }
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
        std::uint64_t x;
        std::memcpy(&x, in + i, 8);
        x = lower8(x);
        std::memcpy(out + i, &x, 8);
    }
    if (i < size) {  // the last 8 bytes again, overlapping: lowering twice changes nothing
        std::uint64_t x;
        std::memcpy(&x, in + size - 8, 8);
        x = lower8(x);
        std::memcpy(out + size - 8, &x, 8);
    }
}

// Lowercase hex of a digest, 64 characters at `out`. Three digests are hexed per signing
// (body, canonical request, signature); with SSE2 each 16 bytes take a dozen instructions.
inline void hex_digest(const detail::Sha256Digest& digest, char* out) noexcept {
#if defined(__SSE2__)
    const __m128i low_nibbles = _mm_set1_epi8(0x0f);
    const __m128i nine = _mm_set1_epi8(9);
    const __m128i zero_char = _mm_set1_epi8('0');
    const __m128i letter_gap = _mm_set1_epi8('a' - '0' - 10);
    for (std::size_t i = 0; i < 32; i += 16) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(digest.data() + i));
        const __m128i high = _mm_and_si128(_mm_srli_epi16(bytes, 4), low_nibbles);
        const __m128i low = _mm_and_si128(bytes, low_nibbles);
        // Interleaved high, low nibble per byte: the order the characters are written in.
        __m128i first = _mm_unpacklo_epi8(high, low);
        __m128i second = _mm_unpackhi_epi8(high, low);
        first = _mm_add_epi8(_mm_add_epi8(first, zero_char),
                             _mm_and_si128(_mm_cmpgt_epi8(first, nine), letter_gap));
        second = _mm_add_epi8(_mm_add_epi8(second, zero_char),
                              _mm_and_si128(_mm_cmpgt_epi8(second, nine), letter_gap));
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i), first);
        _mm_storeu_si128(reinterpret_cast<__m128i*>(out + 2 * i + 16), second);
    }
#else
    detail::hex_encode_to(digest.data(), digest.size(), out);
#endif
}

// The first 8 bytes as a big-endian number (zero-padded), so comparing two prefixes
// orders names as comparing the strings would, as far as those bytes go.
inline std::uint64_t name_prefix(std::string_view name) noexcept {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    if (name.size() >= 8) {
        std::uint64_t x;
        std::memcpy(&x, name.data(), 8);
        return __builtin_bswap64(x);
    }
#endif
    std::uint64_t prefix = 0;
    const std::size_t n = name.size() < 8 ? name.size() : 8;
    for (std::size_t i = 0; i < n; ++i) {
        prefix |= std::uint64_t{static_cast<unsigned char>(name[i])} << (56 - 8 * i);
    }
    return prefix;
}

// ASCII case-insensitive equality, 8 bytes at a time.
inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    std::size_t i = 0;
    for (; i + 8 <= a.size(); i += 8) {
        std::uint64_t x;
        std::uint64_t y;
        std::memcpy(&x, a.data() + i, 8);
        std::memcpy(&y, b.data() + i, 8);
        if (lower8(x) != lower8(y)) return false;
    }
    for (; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

inline bool is_space(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }

// The header helpers live here rather than on HttpRequest: the signer matches with its
// own SWAR comparison and assigns string_views into existing values.
inline HttpHeader* find_header(HttpRequest& request, std::string_view name) noexcept {
    for (auto& header : request.headers) {
        if (iequals(header.name, name)) return &header;
    }
    return nullptr;
}

inline void remove_header(HttpRequest& request, std::string_view name) {
    auto& headers = request.headers;
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [&](const HttpHeader& h) { return iequals(h.name, name); }),
                  headers.end());
}

// Where the headers the signer adds or replaces already are (first occurrence each), found
// in one pass; npos when absent.
struct HeaderIndex {
    static constexpr std::size_t npos = static_cast<std::size_t>(-1);
    std::size_t host = npos;
    std::size_t date = npos;
    std::size_t token = npos;
    std::size_t content_sha256 = npos;
    std::size_t authorization = npos;
};

inline HeaderIndex index_headers(const HttpRequest& request) noexcept {
    HeaderIndex index;
    const auto note = [](std::size_t& slot, std::size_t i) {
        if (slot == HeaderIndex::npos) slot = i;
    };
    for (std::size_t i = 0; i < request.headers.size(); ++i) {
        const std::string& name = request.headers[i].name;
        switch (name.size()) {  // the size rules out almost every other header at once
            case 4:
                if (iequals(name, "host")) note(index.host, i);
                break;
            case 10:
                if (iequals(name, "x-amz-date")) note(index.date, i);
                break;
            case 13:
                if (iequals(name, "authorization")) note(index.authorization, i);
                break;
            case 20:
                if (iequals(name, "x-amz-security-token")) note(index.token, i);
                if (iequals(name, "x-amz-content-sha256")) note(index.content_sha256, i);
                break;
            default:
                break;
        }
    }
    return index;
}

// The unsigned headers, for an already lower-cased name (sizes 6, 10, 13, 15).
inline bool is_excluded_lowercase(std::string_view name) noexcept {
    switch (name.size()) {
        case 6: return name == "expect";
        case 10: return name == "user-agent";
        case 13: return name == "authorization";
        case 15: return name == "x-amzn-trace-id";
        default: return false;
    }
}

inline bool is_presign_parameter(std::string_view name) noexcept {
    return name == "X-Amz-Algorithm" || name == "X-Amz-Credential" || name == "X-Amz-Date" ||
           name == "X-Amz-Expires" || name == "X-Amz-SignedHeaders" ||
           name == "X-Amz-Security-Token" || name == "X-Amz-Signature";
}

inline std::string_view view(const std::string& arena, std::uint32_t begin, std::uint32_t size) noexcept {
    return std::string_view(arena.data() + begin, size);
}

inline std::uint64_t load8(const char* p) noexcept {
    std::uint64_t x;
    std::memcpy(&x, p, 8);
    return x;
}

// Whether any of 8 bytes is <= ' ' (every whitespace byte is): subtracting 0x21 from each
// byte borrows into bit 7 only for bytes below 0x21, and ~x drops bytes >= 0x80 (UTF-8);
// a borrow can only spill upwards from a byte that really matched.
inline bool has_byte_at_most_space(std::uint64_t x) noexcept {
    return ((x - 0x2121212121212121ULL) & ~x & 0x8080808080808080ULL) != 0;
}

// Equality of short texts (ids, dates, regions, service names) without a memcmp call.
inline bool same_text(std::string_view a, std::string_view b) noexcept {
    const std::size_t n = a.size();
    if (n != b.size()) return false;
    if (n >= 8 && n <= 16) {
        return load8(a.data()) == load8(b.data()) && load8(a.data() + n - 8) == load8(b.data() + n - 8);
    }
    if (n < 8) {
        for (std::size_t i = 0; i < n; ++i) {
            if (a[i] != b[i]) return false;
        }
        return true;
    }
    return std::memcmp(a.data(), b.data(), n) == 0;
}

// memcpy for the short names and values of headers, without a library call per copy:
// two overlapping word copies cover 4..16 bytes.
inline char* copy_text(char* dst, std::string_view text) noexcept {
    const char* src = text.data();
    const std::size_t n = text.size();
    if (n >= 8 && n <= 16) {
        std::uint64_t a;
        std::uint64_t b;
        std::memcpy(&a, src, 8);
        std::memcpy(&b, src + n - 8, 8);
        std::memcpy(dst, &a, 8);
        std::memcpy(dst + n - 8, &b, 8);
    } else if (n >= 4 && n < 8) {
        std::uint32_t a;
        std::uint32_t b;
        std::memcpy(&a, src, 4);
        std::memcpy(&b, src + n - 4, 4);
        std::memcpy(dst, &a, 4);
        std::memcpy(dst + n - 4, &b, 4);
    } else if (n < 4) {
        for (std::size_t i = 0; i < n; ++i) dst[i] = src[i];
    } else {
        std::memcpy(dst, src, n);
    }
    return dst + n;
}

// Appends a header value trimmed, with each inner run of whitespace (including the
// line breaks of folded headers) collapsed to one space.
inline char* write_trimmed(char* dst, std::string_view value) noexcept {
    // Usual case: no byte <= ' ' at all, so nothing to trim or collapse, and the value is
    // copied in the same pass that checks it, a word at a time.
    const std::size_t size = value.size();
    const char* const src = value.data();
    if (size >= 8) {
        std::size_t i = 0;
        bool plain = true;
        for (; i + 8 <= size; i += 8) {
            const std::uint64_t x = load8(src + i);
            if (has_byte_at_most_space(x)) {
                plain = false;
                break;
            }
            std::memcpy(dst + i, &x, 8);
        }
        if (plain) {
            // The tail as the last 8 bytes, overlapping what is already written.
            const std::uint64_t x = load8(src + size - 8);
            if (!has_byte_at_most_space(x)) {
                std::memcpy(dst + size - 8, &x, 8);
                return dst + size;
            }
        }
    } else {
        bool plain = true;
        for (std::size_t i = 0; i < size; ++i) plain &= static_cast<unsigned char>(src[i]) > ' ';
        if (plain) return copy_text(dst, value);
    }
    std::size_t begin = 0;
    std::size_t end = value.size();
    while (begin < end && is_space(value[begin])) ++begin;
    while (end > begin && is_space(value[end - 1])) --end;
    bool in_space = false;
    for (std::size_t i = begin; i < end; ++i) {
        const char c = value[i];
        if (is_space(c)) {
            if (!in_space) *dst++ = ' ';
            in_space = true;
        } else {
            *dst++ = c;
            in_space = false;
        }
    }
    return dst;
}

inline void append_canonical_uri(std::string& out, std::string_view path, const SigningParams& params) {
    if (path.empty() || path == "/") {  // every JSON-protocol request (Kinesis, Firehose, STS)
        out.push_back('/');
        return;
    }
    if (params.normalize_path && path != "/") {
        const std::string normalized = detail::normalize_path(path);
        if (params.double_uri_encode) {
            detail::uri_encode(normalized, out, true);
        } else {
            out.append(normalized);
        }
        return;
    }
    if (params.double_uri_encode) {
        detail::uri_encode(path, out, true);
    } else {
        out.append(path);
    }
}

inline void append_canonical_query(std::string& out, const Query& query, std::string& arena,
                                   std::vector<CanonicalSlot>& slots) {
    if (query.empty()) return;
    arena.clear();
    slots.clear();
    for (const auto& [name, value] : query) {
        CanonicalSlot slot{};
        slot.name_begin = static_cast<std::uint32_t>(arena.size());
        detail::uri_encode(name, arena);
        slot.name_size = static_cast<std::uint32_t>(arena.size() - slot.name_begin);
        slot.value_begin = static_cast<std::uint32_t>(arena.size());
        detail::uri_encode(value, arena);
        slot.value_size = static_cast<std::uint32_t>(arena.size() - slot.value_begin);
        slots.push_back(slot);
    }
    std::sort(slots.begin(), slots.end(), [&](const CanonicalSlot& a, const CanonicalSlot& b) {
        const auto an = view(arena, a.name_begin, a.name_size);
        const auto bn = view(arena, b.name_begin, b.name_size);
        if (an != bn) return an < bn;
        return view(arena, a.value_begin, a.value_size) < view(arena, b.value_begin, b.value_size);
    });
    bool first = true;
    for (const auto& slot : slots) {
        if (!first) out.push_back('&');
        first = false;
        out.append(view(arena, slot.name_begin, slot.name_size));
        out.push_back('=');
        out.append(view(arena, slot.value_begin, slot.value_size));
    }
}

// Room for `extra` more bytes after `length` in a scratch buffer whose size() is a
// high-water mark: it only grows, so steady signing never zero-fills or reallocates.
inline char* scratch_tail(std::string& buffer, std::size_t length, std::size_t extra) {
    if (buffer.size() < length + extra) buffer.resize(std::max(length + extra, 2 * buffer.size()));
    return buffer.data() + length;
}

// Writes "name:value\n" per signed header (duplicates joined with ',' in request order) at
// headers[headers_length..] and "name;name" at names[names_length..], advancing both lengths.
inline void write_canonical_headers(std::string& headers, std::size_t& headers_length, std::string& names,
                                    std::size_t& names_length, const HttpRequest& request, std::string& arena,
                                    std::vector<CanonicalSlot>& slots) {
    std::size_t total = 0;
    std::size_t values = 0;
    for (const auto& header : request.headers) {
        total += header.name.size();
        values += header.value.size();
    }
    if (slots.size() < request.headers.size()) slots.resize(request.headers.size());
    std::size_t kept = 0;
    // All lower-cased names side by side; excluded ones just leave a gap.
    char* const base = scratch_tail(arena, 0, total);
    std::size_t at = 0;
    for (std::size_t i = 0; i < request.headers.size(); ++i) {
        const std::string& name = request.headers[i].name;
        lower_ascii_copy(name.data(), name.size(), base + at);
        const std::string_view lowered(base + at, name.size());
        if (is_excluded_lowercase(lowered)) {
            at += name.size();
            continue;
        }
        // value_begin holds the header's index: the tie-break that keeps duplicates in order.
        CanonicalSlot& slot = slots[kept++];
        slot.prefix = name_prefix(lowered);
        slot.name_begin = static_cast<std::uint32_t>(at);
        slot.name_size = static_cast<std::uint32_t>(name.size());
        slot.value_begin = static_cast<std::uint32_t>(i);
        at += name.size();
    }
    const auto first = slots.begin();
    const auto last = slots.begin() + static_cast<std::ptrdiff_t>(kept);
    const auto before = [base](const CanonicalSlot& a, const CanonicalSlot& b) {
        if (a.prefix != b.prefix) return a.prefix < b.prefix;
        const std::string_view an(base + a.name_begin, a.name_size);
        const std::string_view bn(base + b.name_begin, b.name_size);
        const int order = an.compare(bn);
        return order != 0 ? order < 0 : a.value_begin < b.value_begin;
    };
    if (kept <= 16) {
        // A request has a handful of headers: a plain insertion sort does fewer compares
        // and moves than std::sort's dispatch for so few.
        for (std::size_t i = 1; i < kept; ++i) {
            const CanonicalSlot slot = slots[i];
            std::size_t j = i;
            for (; j > 0 && before(slot, slots[j - 1]); --j) slots[j] = slots[j - 1];
            slots[j] = slot;
        }
    } else {
        std::sort(first, last, before);
    }
    // Both outputs get room for the worst case (every header signed) once and are written
    // through pointers: a few dozen small appends cost more than the hashing they feed.
    const std::size_t count = request.headers.size();
    char* h = scratch_tail(headers, headers_length, total + values + 2 * count);
    char* const names_start = scratch_tail(names, names_length, total + count);
    char* n = names_start;
    std::string_view previous;
    for (auto it = first; it != last; ++it) {
        const std::string_view name(base + it->name_begin, it->name_size);
        if (name == previous) {
            h[-1] = ',';  // replace the '\n' of the previous value
        } else {
            if (n != names_start) *n++ = ';';
            n = copy_text(n, name);
            h = copy_text(h, name);
            *h++ = ':';
        }
        h = write_trimmed(h, request.headers[it->value_begin].value);
        *h++ = '\n';
        previous = name;
    }
    headers_length = static_cast<std::size_t>(h - headers.data());
    names_length = static_cast<std::size_t>(n - names.data());
}

// The whole canonical request at out[0..out_length). With `headers_ready` (presigning, where
// X-Amz-SignedHeaders must be known before the query), the header block and names are taken
// from `ready_headers` and `names`; otherwise they are computed into `names`.
inline void build_canonical(std::string& out, std::size_t& out_length, std::string& names,
                            std::size_t& names_length, std::string& arena, std::vector<CanonicalSlot>& slots,
                            std::string& prefix_scratch, const HttpRequest& request, const SigningParams& params,
                            std::string_view payload_hash, std::string_view ready_headers, bool headers_ready) {
    // "METHOD\nURI\nQUERY\n": written directly in the common "/" without a query case.
    std::string_view prefix;
    if (request.query.empty() && request.path.size() <= 1 && (request.path.empty() || request.path[0] == '/')) {
        char* p = scratch_tail(out, 0, request.method.size() + 4);
        p = copy_text(p, request.method);
        std::memcpy(p, "\n/\n\n", 4);
        out_length = request.method.size() + 4;
    } else {
        prefix_scratch.clear();
        prefix_scratch.append(request.method);
        prefix_scratch.push_back('\n');
        append_canonical_uri(prefix_scratch, request.path, params);
        prefix_scratch.push_back('\n');
        append_canonical_query(prefix_scratch, request.query, arena, slots);
        prefix_scratch.push_back('\n');
        prefix = prefix_scratch;
        std::memcpy(scratch_tail(out, 0, prefix.size()), prefix.data(), prefix.size());
        out_length = prefix.size();
    }
    if (headers_ready) {
        std::memcpy(scratch_tail(out, out_length, ready_headers.size()), ready_headers.data(), ready_headers.size());
        out_length += ready_headers.size();
    } else {
        names_length = 0;
        write_canonical_headers(out, out_length, names, names_length, request, arena, slots);
    }
    char* p = scratch_tail(out, out_length, names_length + payload_hash.size() + 2);
    *p++ = '\n';
    std::memcpy(p, names.data(), names_length);
    p += names_length;
    *p++ = '\n';
    std::memcpy(p, payload_hash.data(), payload_hash.size());
    out_length += names_length + payload_hash.size() + 2;
}

inline void append_scope(std::string& out, std::string_view day, std::string_view region,
                         std::string_view service) {
    out.append(day);
    out.push_back('/');
    out.append(region);
    out.push_back('/');
    out.append(service);
    out.append("/aws4_request");
}

inline void append_string_to_sign(std::string& out, std::string_view amz_date, std::string_view scope,
                                  const detail::Sha256Digest& canonical_hash) {
    out.append(sigv4_algorithm);
    out.push_back('\n');
    out.append(amz_date);
    out.push_back('\n');
    out.append(scope);
    out.push_back('\n');
    char hex[64];
    hex_digest(canonical_hash, hex);
    out.append(hex, sizeof hex);
}

inline detail::Sha256Digest derive_key(std::string_view secret, std::string_view day,
                                       std::string_view region, std::string_view service) {
    std::string k_secret;
    k_secret.reserve(4 + secret.size());  // one buffer, so no stray copy of the secret is left
    k_secret.append("AWS4");
    k_secret.append(secret);
    detail::Sha256Digest k = detail::hmac_sha256(k_secret, day);
    detail::secure_wipe(k_secret.data(), k_secret.size());
    const auto as_view = [](const detail::Sha256Digest& d) {
        return std::string_view(reinterpret_cast<const char*>(d.data()), d.size());
    };
    k = detail::hmac_sha256(as_view(k), region);
    k = detail::hmac_sha256(as_view(k), service);
    return detail::hmac_sha256(as_view(k), "aws4_request");
}

inline constexpr std::string_view signature_label = ", Signature=";

inline void append_authorization(std::string& out, std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_names, std::string_view signature_hex) {
    out.reserve(out.size() + 64 + access_key_id.size() + scope.size() + signed_names.size() +
                signature_hex.size());
    out.append(sigv4_algorithm);
    out.append(" Credential=");
    out.append(access_key_id);
    out.push_back('/');
    out.append(scope);
    out.append(", SignedHeaders=");
    out.append(signed_names);
    out.append(signature_label);
    out.append(signature_hex);
}

// The Authorization value at out[0..): the key's cached "AWS4-HMAC-SHA256 Credential=<id>/<scope>,
// SignedHeaders=", the names, ", Signature=" and the signature. Returns the length.
inline std::size_t write_authorization(std::string& out, std::string_view prefix, std::string_view signed_names,
                                       std::string_view signature_hex) {
    const std::size_t size = prefix.size() + signed_names.size() + signature_label.size() + signature_hex.size();
    char* p = scratch_tail(out, 0, size);
    std::memcpy(p, prefix.data(), prefix.size());
    p += prefix.size();
    std::memcpy(p, signed_names.data(), signed_names.size());
    p += signed_names.size();
    p = copy_text(p, signature_label);
    std::memcpy(p, signature_hex.data(), signature_hex.size());
    return size;
}

}  // namespace detail::sigv4_impl

KINESIS_DECL bool is_signed_header(std::string_view name) noexcept {
    if (name.size() > 15) return true;
    char lowered[15];
    for (std::size_t i = 0; i < name.size(); ++i) lowered[i] = detail::sigv4_impl::ascii_lower(name[i]);
    return !detail::sigv4_impl::is_excluded_lowercase(std::string_view(lowered, name.size()));
}

KINESIS_DECL std::string canonical_uri(std::string_view path, const SigningParams& params) {
    std::string out;
    detail::sigv4_impl::append_canonical_uri(out, path, params);
    return out;
}

KINESIS_DECL std::string canonical_query_string(const std::vector<std::pair<std::string, std::string>>& query) {
    std::string out;
    std::string arena;
    std::vector<detail::CanonicalSlot> slots;
    detail::sigv4_impl::append_canonical_query(out, query, arena, slots);
    return out;
}

KINESIS_DECL std::string signed_headers(const HttpRequest& request) {
    std::string headers;
    std::string names;
    std::string arena;
    std::size_t headers_length = 0;
    std::size_t names_length = 0;
    std::vector<detail::CanonicalSlot> slots;
    detail::sigv4_impl::write_canonical_headers(headers, headers_length, names, names_length, request, arena, slots);
    names.resize(names_length);
    return names;
}

KINESIS_DECL std::string canonical_request(const HttpRequest& request, const SigningParams& params,
                                           std::string_view payload_hash) {
    std::string out;
    std::string names;
    std::string arena;
    std::string prefix;
    std::size_t out_length = 0;
    std::size_t names_length = 0;
    std::vector<detail::CanonicalSlot> slots;
    detail::sigv4_impl::build_canonical(out, out_length, names, names_length, arena, slots, prefix, request, params,
                                payload_hash, {}, false);
    out.resize(out_length);
    return out;
}

KINESIS_DECL std::string credential_scope(std::chrono::system_clock::time_point time, std::string_view region,
                                          std::string_view service) {
    char date[16];
    detail::format_amz_date(time, date);
    std::string out;
    detail::sigv4_impl::append_scope(out, std::string_view(date, 8), region, service);
    return out;
}

KINESIS_DECL std::string string_to_sign(std::chrono::system_clock::time_point time,
                                        std::string_view credential_scope, std::string_view canonical_request) {
    char date[16];
    detail::format_amz_date(time, date);
    std::string out;
    detail::sigv4_impl::append_string_to_sign(out, std::string_view(date, 16), credential_scope,
                                      detail::sha256(canonical_request));
    return out;
}

KINESIS_DECL detail::Sha256Digest derive_signing_key(std::string_view secret_access_key,
                                                     std::chrono::system_clock::time_point time,
                                                     std::string_view region, std::string_view service) {
    char date[16];
    detail::format_amz_date(time, date);
    return detail::sigv4_impl::derive_key(secret_access_key, std::string_view(date, 8), region, service);
}

KINESIS_DECL std::string signature(const detail::Sha256Digest& signing_key, std::string_view string_to_sign) {
    const auto mac = detail::hmac_sha256(
        std::string_view(reinterpret_cast<const char*>(signing_key.data()), signing_key.size()), string_to_sign);
    return detail::to_hex(mac.data(), mac.size());
}

KINESIS_DECL std::string signature(detail::HmacSha256Key& signing_key, std::string_view string_to_sign) {
    const auto mac = signing_key.mac(string_to_sign);
    return detail::to_hex(mac.data(), mac.size());
}

KINESIS_DECL std::string authorization_header(std::string_view access_key_id, std::string_view credential_scope,
                                              std::string_view signed_headers, std::string_view signature) {
    std::string out;
    detail::sigv4_impl::append_authorization(out, access_key_id, credential_scope, signed_headers, signature);
    return out;
}

KINESIS_DECL std::string payload_hash(std::string_view body, const SigningParams& params) {
    if (!params.payload_hash.empty()) return std::string(params.payload_hash);
    const auto digest = detail::sha256(body);
    return detail::to_hex(digest.data(), digest.size());
}

KINESIS_DECL std::string chunk_string_to_sign(std::chrono::system_clock::time_point time,
                                              std::string_view credential_scope,
                                              std::string_view previous_signature, std::string_view chunk) {
    char date[16];
    detail::format_amz_date(time, date);
    std::string out;
    out.append("AWS4-HMAC-SHA256-PAYLOAD\n");
    out.append(date, 16);
    out.push_back('\n');
    out.append(credential_scope);
    out.push_back('\n');
    out.append(previous_signature);
    out.push_back('\n');
    const auto empty = detail::sha256("");
    detail::hex_encode(empty.data(), empty.size(), out);
    out.push_back('\n');
    const auto digest = detail::sha256(chunk);
    detail::hex_encode(digest.data(), digest.size(), out);
    return out;
}

KINESIS_DECL Signer::Signer() = default;
KINESIS_DECL Signer::~Signer() = default;
KINESIS_DECL Signer::Signer(Signer&&) noexcept = default;
KINESIS_DECL Signer& Signer::operator=(Signer&&) noexcept = default;

KINESIS_DECL Signer::CachedKey& Signer::signing_key(const Credentials& credentials, std::string_view day,
                                                   const SigningParams& params) {
    constexpr std::size_t capacity = 4;  // a client signs for one or two (region, service) pairs
    const std::string_view secret = credentials.secret_access_key.view();
    for (auto& entry : cache_) {
        if (!detail::sigv4_impl::same_text(entry.day, day) || !detail::sigv4_impl::same_text(entry.region, params.region) ||
            !detail::sigv4_impl::same_text(entry.service, params.service) ||
            !detail::sigv4_impl::same_text(entry.access_key_id, credentials.access_key_id)) {
            continue;
        }
        if (detail::constant_time_equal(entry.secret.view(), secret)) return entry;
        // Same key id with another secret (rotated, or a wrong one): never serve the old key.
        ++derivations_;
        auto raw = detail::sigv4_impl::derive_key(secret, day, params.region, params.service);
        entry.key = detail::HmacSha256Key(raw.data(), raw.size());
        detail::secure_wipe(raw.data(), raw.size());
        entry.secret = credentials.secret_access_key;
        return entry;
    }
    ++derivations_;
    auto raw = detail::sigv4_impl::derive_key(secret, day, params.region, params.service);
    std::string scope;
    detail::sigv4_impl::append_scope(scope, day, params.region, params.service);
    std::string authorization_prefix;
    detail::sigv4_impl::append_authorization(authorization_prefix, credentials.access_key_id, scope, {}, {});
    authorization_prefix.resize(authorization_prefix.size() - detail::sigv4_impl::signature_label.size());
    CachedKey entry{credentials.access_key_id,
                    std::string(day),
                    std::string(params.region),
                    std::string(params.service),
                    credentials.secret_access_key,
                    detail::HmacSha256Key(raw.data(), raw.size()),
                    std::move(scope),
                    std::move(authorization_prefix)};
    detail::secure_wipe(raw.data(), raw.size());
    std::size_t slot = cache_.size();
    if (slot < capacity) {
        cache_.push_back(std::move(entry));
    } else {
        slot = next_victim_;  // round robin: the oldest entry goes first
        next_victim_ = (next_victim_ + 1) % capacity;
        cache_[slot] = std::move(entry);
    }
    return cache_[slot];
}

KINESIS_DECL void Signer::build_canonical_request(const HttpRequest& request, const SigningParams& params,
                                                  std::string_view payload_hash, bool headers_ready) {
    detail::sigv4_impl::build_canonical(canonical_, canonical_length_, signed_headers_, signed_headers_length_, arena_,
                                slots_, prefix_scratch_, request, params, payload_hash,
                                std::string_view(canonical_headers_.data(), canonical_headers_length_),
                                headers_ready);
}

KINESIS_DECL void Signer::finish_signature(CachedKey& key, const char* amz_date) {
    // "AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256(canonical request)>", written in place.
    const auto digest = sha256_.hash(std::string_view(canonical_.data(), canonical_length_));
    const std::string_view scope = key.scope;
    string_to_sign_.resize(sigv4_algorithm.size() + 1 + 16 + 1 + scope.size() + 1 + 64);
    char* out = string_to_sign_.data();
    std::memcpy(out, sigv4_algorithm.data(), sigv4_algorithm.size());
    out += sigv4_algorithm.size();
    *out++ = '\n';
    std::memcpy(out, amz_date, 16);
    out += 16;
    *out++ = '\n';
    std::memcpy(out, scope.data(), scope.size());
    out += scope.size();
    *out++ = '\n';
    detail::sigv4_impl::hex_digest(digest, out);
    const auto mac = key.key.mac(string_to_sign_);
    detail::sigv4_impl::hex_digest(mac, signature_hex_);
}

KINESIS_DECL const char* Signer::amz_date_for(std::chrono::system_clock::time_point time) noexcept {
    // Requests signed in the same second share the text; formatting costs more than this check.
    const auto second = std::chrono::floor<std::chrono::seconds>(time.time_since_epoch()).count();
    if (second != date_second_ || !date_valid_) {
        detail::format_amz_date(time, date_text_);
        date_second_ = second;
        date_valid_ = true;
    }
    return date_text_;
}

KINESIS_DECL void Signer::sign(HttpRequest& request, const Credentials& credentials,
                               const SigningParams& params) {
    using detail::sigv4_impl::HeaderIndex;
    const char* amz_date = amz_date_for(params.time);
    // The payload hash is computed once and used for both the header and the canonical request.
    char body_hash[64];
    std::string_view hash = params.payload_hash;
    if (hash.empty()) {
        const auto digest = sha256_.hash(request.body);
        detail::sigv4_impl::hex_digest(digest, body_hash);
        hash = std::string_view(body_hash, sizeof body_hash);
    }
    auto& headers = request.headers;
    // Room for Host, X-Amz-Date, the token, x-amz-content-sha256 and Authorization at once.
    if (headers.capacity() < headers.size() + 5) headers.reserve(headers.size() + 5);
    HeaderIndex index = detail::sigv4_impl::index_headers(request);
    const std::string_view token = credentials.session_token.view();
    const bool sign_token = !token.empty() && !params.omit_session_token;
    if (index.token != HeaderIndex::npos && !sign_token) {
        // A token left by an earlier signing must not be signed (or sent) with other credentials.
        detail::sigv4_impl::remove_header(request, "x-amz-security-token");
        index = detail::sigv4_impl::index_headers(request);
    }
    // Strings built from their text and moved in: cheaper than emplace_back() + assign(), which
    // goes through basic_string::_M_replace for each of the two.
    const auto add = [&headers](std::string_view name, std::string_view value) -> std::string& {
        return headers.emplace_back(HttpHeader{std::string(name), std::string(value)}).value;
    };
    if (index.host == HeaderIndex::npos) add("Host", request.host);
    const std::string_view date(amz_date, 16);
    if (index.date != HeaderIndex::npos) {
        headers[index.date].value.assign(date.data(), date.size());
    } else {
        add("X-Amz-Date", date);
    }
    if (sign_token) {
        if (index.token != HeaderIndex::npos) {
            headers[index.token].value.assign(token.data(), token.size());
        } else {
            add("X-Amz-Security-Token", token);
        }
    }
    if (params.add_content_sha256_header) {
        if (index.content_sha256 != HeaderIndex::npos) {
            headers[index.content_sha256].value.assign(hash.data(), hash.size());
        } else {
            add("x-amz-content-sha256", hash);
        }
    }
    build_canonical_request(request, params, hash, false);
    CachedKey& key = signing_key(credentials, std::string_view(amz_date, 8), params);
    finish_signature(key, amz_date);

    // Written in scratch, then copied once: into a new header's string (one allocation of
    // the exact size) or over the old value, whose capacity is reused when signing again.
    const std::size_t authorization_size = detail::sigv4_impl::write_authorization(
        authorization_, key.authorization_prefix, std::string_view(signed_headers_.data(), signed_headers_length_),
        std::string_view(signature_hex_, sizeof signature_hex_));
    const std::string_view authorization(authorization_.data(), authorization_size);
    if (index.authorization == HeaderIndex::npos) {
        add("Authorization", authorization);
    } else {
        headers[index.authorization].value.assign(authorization.data(), authorization.size());
    }
    if (!token.empty() && params.omit_session_token) {
        headers.push_back(HttpHeader{"X-Amz-Security-Token", std::string(token)});
    }
}

KINESIS_DECL void Signer::presign(HttpRequest& request, const Credentials& credentials,
                                  const SigningParams& params) {
    const char* amz_date = amz_date_for(params.time);
    char body_hash[64];
    std::string_view hash = params.payload_hash;
    if (hash.empty()) {
        const auto digest = sha256_.hash(request.body);
        detail::sigv4_impl::hex_digest(digest, body_hash);
        hash = std::string_view(body_hash, sizeof body_hash);
    }
    if (detail::sigv4_impl::find_header(request, "host") == nullptr) {
        request.headers.push_back(HttpHeader{"Host", request.host});
    }
    // Presigning again replaces the previous authentication parameters.
    auto& query = request.query;
    query.erase(std::remove_if(query.begin(), query.end(),
                               [](const auto& p) { return detail::sigv4_impl::is_presign_parameter(p.first); }),
                query.end());

    // X-Amz-SignedHeaders is itself part of the canonical query, so the headers come first.
    canonical_headers_length_ = 0;
    signed_headers_length_ = 0;
    detail::sigv4_impl::write_canonical_headers(canonical_headers_, canonical_headers_length_, signed_headers_,
                                        signed_headers_length_, request, arena_, slots_);
    CachedKey& key = signing_key(credentials, std::string_view(amz_date, 8), params);
    const std::string& scope = key.scope;

    std::string credential;
    credential.reserve(credentials.access_key_id.size() + 1 + scope.size());
    credential.append(credentials.access_key_id);
    credential.push_back('/');
    credential.append(scope);
    query.emplace_back("X-Amz-Algorithm", std::string(sigv4_algorithm));
    query.emplace_back("X-Amz-Credential", std::move(credential));
    query.emplace_back("X-Amz-Date", std::string(amz_date, 16));
    query.emplace_back("X-Amz-Expires", std::to_string(params.expires.count()));
    query.emplace_back("X-Amz-SignedHeaders", std::string(signed_headers_.data(), signed_headers_length_));
    const std::string_view token = credentials.session_token.view();
    if (!token.empty() && !params.omit_session_token) {
        query.emplace_back("X-Amz-Security-Token", std::string(token));
    }
    build_canonical_request(request, params, hash, true);
    finish_signature(key, amz_date);
    query.emplace_back("X-Amz-Signature", std::string(signature_hex_, sizeof signature_hex_));
    if (!token.empty() && params.omit_session_token) {
        query.emplace_back("X-Amz-Security-Token", std::string(token));
    }
}

}  // namespace kinesis

#endif  // KINESIS_AUTH_IMPL_SIGV4_INL_HPP
