// SPDX-License-Identifier: Apache-2.0
// Definitions for sigv4.hpp.
#ifndef KINESIS_IMPL_SIGV4_IPP
#define KINESIS_IMPL_SIGV4_IPP

#include <kinesis/sigv4.hpp>

#include <kinesis/detail/encoding.hpp>
#include <kinesis/detail/time.hpp>
#include <kinesis/detail/uri.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace kinesis {

namespace sigv4_impl {

using Query = std::vector<std::pair<std::string, std::string>>;
using detail::CanonicalSlot;

inline char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

inline bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// The header helpers live here rather than on HttpRequest so the signer can assign
// string_views into existing values (no temporary std::string per header).
inline HttpHeader* find_header(HttpRequest& request, std::string_view name) noexcept {
    for (auto& header : request.headers) {
        if (iequals(header.name, name)) return &header;
    }
    return nullptr;
}

inline void set_header(HttpRequest& request, std::string_view name, std::string_view value) {
    if (HttpHeader* header = find_header(request, name)) {
        header->value.assign(value.data(), value.size());
        return;
    }
    request.headers.push_back(HttpHeader{std::string(name), std::string(value)});
}

inline void remove_header(HttpRequest& request, std::string_view name) {
    auto& headers = request.headers;
    headers.erase(std::remove_if(headers.begin(), headers.end(),
                                 [&](const HttpHeader& h) { return iequals(h.name, name); }),
                  headers.end());
}

inline bool is_presign_parameter(std::string_view name) noexcept {
    return name == "X-Amz-Algorithm" || name == "X-Amz-Credential" || name == "X-Amz-Date" ||
           name == "X-Amz-Expires" || name == "X-Amz-SignedHeaders" ||
           name == "X-Amz-Security-Token" || name == "X-Amz-Signature";
}

inline std::string_view view(const std::string& arena, std::uint32_t begin, std::uint32_t size) noexcept {
    return std::string_view(arena.data() + begin, size);
}

// Appends a header value trimmed, with each inner run of whitespace (including the
// line breaks of folded headers) collapsed to one space.
inline void append_trimmed(std::string& out, std::string_view value) {
    bool pending_space = false;
    bool started = false;
    for (char c : value) {
        if (is_space(c)) {
            pending_space = started;
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        started = true;
        out.push_back(c);
    }
}

inline void append_canonical_uri(std::string& out, std::string_view path, const SigningParams& params) {
    if (path.empty()) path = "/";
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

// Writes "name:value\n" per signed header (duplicates joined with ',' in request order) to
// `headers_out` and "name;name" to `signed_out`.
inline void append_canonical_headers(std::string& headers_out, std::string& signed_out,
                                     const HttpRequest& request, std::string& arena,
                                     std::vector<CanonicalSlot>& slots) {
    arena.clear();
    slots.clear();
    for (std::size_t i = 0; i < request.headers.size(); ++i) {
        const std::string& name = request.headers[i].name;
        CanonicalSlot slot{};
        slot.name_begin = static_cast<std::uint32_t>(arena.size());
        for (char c : name) arena.push_back(ascii_lower(c));
        slot.name_size = static_cast<std::uint32_t>(name.size());
        if (!is_signed_header(view(arena, slot.name_begin, slot.name_size))) {
            arena.resize(slot.name_begin);
            continue;
        }
        slot.value_begin = static_cast<std::uint32_t>(i);  // header index: keeps duplicates in order
        slots.push_back(slot);
    }
    std::sort(slots.begin(), slots.end(), [&](const CanonicalSlot& a, const CanonicalSlot& b) {
        const auto an = view(arena, a.name_begin, a.name_size);
        const auto bn = view(arena, b.name_begin, b.name_size);
        if (an != bn) return an < bn;
        return a.value_begin < b.value_begin;
    });
    std::string_view previous;
    for (const auto& slot : slots) {
        const auto name = view(arena, slot.name_begin, slot.name_size);
        if (name == previous) {
            headers_out.back() = ',';  // replace the '\n' of the previous value
        } else {
            if (!signed_out.empty()) signed_out.push_back(';');
            signed_out.append(name);
            headers_out.append(name);
            headers_out.push_back(':');
        }
        append_trimmed(headers_out, request.headers[slot.value_begin].value);
        headers_out.push_back('\n');
        previous = name;
    }
}

// The whole canonical request into `out`; the header part is computed unless `headers_ready`.
inline void build_canonical(std::string& out, std::string& headers, std::string& signed_names,
                            std::string& arena, std::vector<CanonicalSlot>& slots,
                            const HttpRequest& request, const SigningParams& params,
                            std::string_view payload_hash, bool headers_ready) {
    if (!headers_ready) {
        headers.clear();
        signed_names.clear();
        append_canonical_headers(headers, signed_names, request, arena, slots);
    }
    out.clear();
    out.append(request.method);
    out.push_back('\n');
    append_canonical_uri(out, request.path, params);
    out.push_back('\n');
    append_canonical_query(out, request.query, arena, slots);
    out.push_back('\n');
    out.append(headers);
    out.push_back('\n');
    out.append(signed_names);
    out.push_back('\n');
    out.append(payload_hash);
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
    detail::hex_encode(canonical_hash.data(), canonical_hash.size(), out);
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
    out.append(", Signature=");
    out.append(signature_hex);
}

}  // namespace sigv4_impl

KINESIS_DECL bool is_signed_header(std::string_view name) noexcept {
    using sigv4_impl::iequals;
    return !(iequals(name, "authorization") || iequals(name, "user-agent") || iequals(name, "expect") ||
             iequals(name, "x-amzn-trace-id"));
}

KINESIS_DECL std::string canonical_uri(std::string_view path, const SigningParams& params) {
    std::string out;
    sigv4_impl::append_canonical_uri(out, path, params);
    return out;
}

KINESIS_DECL std::string canonical_query_string(const std::vector<std::pair<std::string, std::string>>& query) {
    std::string out;
    std::string arena;
    std::vector<detail::CanonicalSlot> slots;
    sigv4_impl::append_canonical_query(out, query, arena, slots);
    return out;
}

KINESIS_DECL std::string signed_headers(const HttpRequest& request) {
    std::string headers;
    std::string names;
    std::string arena;
    std::vector<detail::CanonicalSlot> slots;
    sigv4_impl::append_canonical_headers(headers, names, request, arena, slots);
    return names;
}

KINESIS_DECL std::string canonical_request(const HttpRequest& request, const SigningParams& params,
                                           std::string_view payload_hash) {
    std::string out;
    std::string headers;
    std::string names;
    std::string arena;
    std::vector<detail::CanonicalSlot> slots;
    sigv4_impl::build_canonical(out, headers, names, arena, slots, request, params, payload_hash, false);
    return out;
}

KINESIS_DECL std::string credential_scope(std::chrono::system_clock::time_point time, std::string_view region,
                                          std::string_view service) {
    char date[16];
    detail::format_amz_date(time, date);
    std::string out;
    sigv4_impl::append_scope(out, std::string_view(date, 8), region, service);
    return out;
}

KINESIS_DECL std::string string_to_sign(std::chrono::system_clock::time_point time,
                                        std::string_view credential_scope, std::string_view canonical_request) {
    char date[16];
    detail::format_amz_date(time, date);
    std::string out;
    sigv4_impl::append_string_to_sign(out, std::string_view(date, 16), credential_scope,
                                      detail::sha256(canonical_request));
    return out;
}

KINESIS_DECL detail::Sha256Digest derive_signing_key(std::string_view secret_access_key,
                                                     std::chrono::system_clock::time_point time,
                                                     std::string_view region, std::string_view service) {
    char date[16];
    detail::format_amz_date(time, date);
    return sigv4_impl::derive_key(secret_access_key, std::string_view(date, 8), region, service);
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
    sigv4_impl::append_authorization(out, access_key_id, credential_scope, signed_headers, signature);
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

KINESIS_DECL detail::HmacSha256Key& Signer::signing_key(const Credentials& credentials, std::string_view day,
                                                        const SigningParams& params) {
    constexpr std::size_t capacity = 4;  // a client signs for one or two (region, service) pairs
    const std::string_view secret = credentials.secret_access_key.view();
    for (auto& entry : cache_) {
        if (entry.access_key_id != credentials.access_key_id || entry.day != day ||
            entry.region != params.region || entry.service != params.service) {
            continue;
        }
        if (detail::constant_time_equal(entry.secret.view(), secret)) return entry.key;
        // Same key id with another secret (rotated, or a wrong one): never serve the old key.
        ++derivations_;
        auto raw = sigv4_impl::derive_key(secret, day, params.region, params.service);
        entry.key = detail::HmacSha256Key(raw.data(), raw.size());
        detail::secure_wipe(raw.data(), raw.size());
        entry.secret = credentials.secret_access_key;
        return entry.key;
    }
    ++derivations_;
    auto raw = sigv4_impl::derive_key(secret, day, params.region, params.service);
    CachedKey entry{credentials.access_key_id,
                    std::string(day),
                    std::string(params.region),
                    std::string(params.service),
                    credentials.secret_access_key,
                    detail::HmacSha256Key(raw.data(), raw.size())};
    detail::secure_wipe(raw.data(), raw.size());
    if (cache_.size() < capacity) {
        cache_.push_back(std::move(entry));
        return cache_.back().key;
    }
    CachedKey& victim = cache_[next_victim_];
    next_victim_ = (next_victim_ + 1) % capacity;
    victim = std::move(entry);
    return victim.key;
}

KINESIS_DECL void Signer::build_canonical_request(const HttpRequest& request, const SigningParams& params,
                                                  std::string_view payload_hash, bool headers_ready) {
    sigv4_impl::build_canonical(canonical_, canonical_headers_, signed_headers_, arena_, slots_, request,
                                params, payload_hash, headers_ready);
}

KINESIS_DECL void Signer::finish_signature(const Credentials& credentials, const SigningParams& params,
                                           const char* amz_date) {
    const std::string_view day(amz_date, 8);
    scope_.clear();
    sigv4_impl::append_scope(scope_, day, params.region, params.service);
    string_to_sign_.clear();
    sigv4_impl::append_string_to_sign(string_to_sign_, std::string_view(amz_date, 16), scope_,
                                      sha256_.hash(canonical_));
    const auto mac = signing_key(credentials, day, params).mac(string_to_sign_);
    detail::hex_encode_to(mac.data(), mac.size(), signature_hex_);
}

KINESIS_DECL void Signer::sign(HttpRequest& request, const Credentials& credentials,
                               const SigningParams& params) {
    char amz_date[16];
    detail::format_amz_date(params.time, amz_date);
    // The payload hash is computed once and used for both the header and the canonical request.
    char body_hash[64];
    std::string_view hash = params.payload_hash;
    if (hash.empty()) {
        const auto digest = sha256_.hash(request.body);
        detail::hex_encode_to(digest.data(), digest.size(), body_hash);
        hash = std::string_view(body_hash, sizeof body_hash);
    }
    if (sigv4_impl::find_header(request, "host") == nullptr) {
        request.headers.push_back(HttpHeader{"Host", request.host});
    }
    sigv4_impl::set_header(request, "X-Amz-Date", std::string_view(amz_date, sizeof amz_date));
    // A token left by an earlier signing must not be signed (or sent) with other credentials.
    sigv4_impl::remove_header(request, "x-amz-security-token");
    const std::string_view token = credentials.session_token.view();
    if (!token.empty() && !params.omit_session_token) {
        request.headers.push_back(HttpHeader{"X-Amz-Security-Token", std::string(token)});
    }
    if (params.add_content_sha256_header) {
        sigv4_impl::set_header(request, "x-amz-content-sha256", hash);
    }
    build_canonical_request(request, params, hash, false);
    finish_signature(credentials, params, amz_date);

    HttpHeader* authorization = sigv4_impl::find_header(request, "authorization");
    if (authorization == nullptr) {
        request.headers.push_back(HttpHeader{"Authorization", std::string()});
        authorization = &request.headers.back();
    }
    authorization->value.clear();
    sigv4_impl::append_authorization(authorization->value, credentials.access_key_id, scope_, signed_headers_,
                                     std::string_view(signature_hex_, sizeof signature_hex_));
    if (!token.empty() && params.omit_session_token) {
        request.headers.push_back(HttpHeader{"X-Amz-Security-Token", std::string(token)});
    }
}

KINESIS_DECL void Signer::presign(HttpRequest& request, const Credentials& credentials,
                                  const SigningParams& params) {
    char amz_date[16];
    detail::format_amz_date(params.time, amz_date);
    char body_hash[64];
    std::string_view hash = params.payload_hash;
    if (hash.empty()) {
        const auto digest = sha256_.hash(request.body);
        detail::hex_encode_to(digest.data(), digest.size(), body_hash);
        hash = std::string_view(body_hash, sizeof body_hash);
    }
    if (sigv4_impl::find_header(request, "host") == nullptr) {
        request.headers.push_back(HttpHeader{"Host", request.host});
    }
    // Presigning again replaces the previous authentication parameters.
    auto& query = request.query;
    query.erase(std::remove_if(query.begin(), query.end(),
                               [](const auto& p) { return sigv4_impl::is_presign_parameter(p.first); }),
                query.end());

    // X-Amz-SignedHeaders is itself part of the canonical query, so the headers come first.
    canonical_headers_.clear();
    signed_headers_.clear();
    sigv4_impl::append_canonical_headers(canonical_headers_, signed_headers_, request, arena_, slots_);
    scope_.clear();
    sigv4_impl::append_scope(scope_, std::string_view(amz_date, 8), params.region, params.service);

    std::string credential;
    credential.reserve(credentials.access_key_id.size() + 1 + scope_.size());
    credential.append(credentials.access_key_id);
    credential.push_back('/');
    credential.append(scope_);
    query.emplace_back("X-Amz-Algorithm", std::string(sigv4_algorithm));
    query.emplace_back("X-Amz-Credential", std::move(credential));
    query.emplace_back("X-Amz-Date", std::string(amz_date, sizeof amz_date));
    query.emplace_back("X-Amz-Expires", std::to_string(params.expires.count()));
    query.emplace_back("X-Amz-SignedHeaders", signed_headers_);
    const std::string_view token = credentials.session_token.view();
    if (!token.empty() && !params.omit_session_token) {
        query.emplace_back("X-Amz-Security-Token", std::string(token));
    }
    build_canonical_request(request, params, hash, true);
    finish_signature(credentials, params, amz_date);
    query.emplace_back("X-Amz-Signature", std::string(signature_hex_, sizeof signature_hex_));
    if (!token.empty() && params.omit_session_token) {
        query.emplace_back("X-Amz-Security-Token", std::string(token));
    }
}

}  // namespace kinesis

#endif  // KINESIS_IMPL_SIGV4_IPP
