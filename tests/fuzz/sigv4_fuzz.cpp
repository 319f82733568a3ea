// SPDX-License-Identifier: Apache-2.0
// Signs requests made from the fuzz input (method, path, query, headers, body, time, flags)
// and checks the canonical request's shape: method, URI, query, one line per signed header
// (lowercase, sorted, no raw line break in a value), a blank line, the signed-header list and
// the payload hash; and a 64-digit lowercase hex signature.
#include <kinesis/auth/sigv4.hpp>
#include <kinesis/core/detail/uri.hpp>

#include "fuzz_input.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

using kinesis_fuzz::require;

namespace {

// RFC 9110 tchar: what a header name may hold (the HTTP layer sends nothing else).
constexpr std::string_view token_chars = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

std::string token(kinesis_fuzz::FuzzInput& input, std::size_t max) {
    std::string out = input.text(max);
    if (out.empty()) out = "x";
    for (char& c : out) c = token_chars[static_cast<unsigned char>(c) % token_chars.size()];
    return out;
}

std::string label(kinesis_fuzz::FuzzInput& input) {
    constexpr std::string_view chars = "abcdefghijklmnopqrstuvwxyz0123456789-";
    std::string out = input.text(20);
    if (out.empty()) out = "r";
    for (char& c : out) c = chars[static_cast<unsigned char>(c) % chars.size()];
    return out;
}

bool is_lower_hex(std::string_view text) {
    for (char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto at = text.find(separator);
        out.push_back(text.substr(0, at));
        if (at == std::string_view::npos) return out;
        text.remove_prefix(at + 1);
    }
}

void check_canonical_request(std::string_view canonical, const kinesis::HttpRequest& request,
                             std::string_view payload_hash) {
    const auto lines = split(canonical, '\n');
    // method, URI, query, >= 1 header (host), blank, signed headers, payload hash
    require(lines.size() >= 7);
    require(lines[0] == request.method);
    require(!lines[1].empty() && lines[1].front() == '/');
    for (char c : lines[1]) require(kinesis::detail::is_unreserved(c) || c == '%' || c == '/');
    for (char c : lines[2]) require(kinesis::detail::is_unreserved(c) || c == '%' || c == '=' || c == '&');
    if (!lines[2].empty()) {
        // Sorted by encoded name, then value.
        std::string_view previous_name, previous_value;
        bool first = true;
        for (auto pair : split(lines[2], '&')) {
            const auto eq = pair.find('=');
            require(eq != std::string_view::npos);
            const auto name = pair.substr(0, eq);
            const auto value = pair.substr(eq + 1);
            require(first || previous_name < name || (previous_name == name && previous_value <= value));
            previous_name = name;
            previous_value = value;
            first = false;
        }
    }
    const std::size_t blank = lines.size() - 3;
    require(lines[blank].empty());
    const auto names = split(lines[blank + 1], ';');
    require(names.size() == blank - 3);
    std::string_view previous;
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string_view line = lines[3 + i];
        const auto colon = line.find(':');
        require(colon != std::string_view::npos);
        const std::string_view name = line.substr(0, colon);
        require(name == names[i]);
        require(!name.empty());
        for (char c : name) require(!(c >= 'A' && c <= 'Z') && token_chars.find(c) != std::string_view::npos);
        // Sorted and without duplicates: a repeated header is one line, its values joined.
        require(i == 0 || previous < name);
        previous = name;
        const std::string_view value = line.substr(colon + 1);
        require(value.find('\r') == std::string_view::npos);
        require(value.empty() || (value.front() != ' ' && value.back() != ' '));
    }
    require(lines[blank + 2] == payload_hash);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kinesis_fuzz::FuzzInput input(data, size);
    const std::uint8_t flags = input.byte();
    static constexpr std::string_view methods[] = {"GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS"};

    kinesis::HttpRequest request;
    request.method = (flags & 0x07) == 7 ? token(input, 12) : std::string(methods[flags & 0x07]);
    request.host = label(input) + ".amazonaws.com";
    // The wire path is percent-encoded before it reaches the signer.
    request.path = "/" + kinesis::detail::uri_encode(input.text(80), true);
    for (int n = input.byte() % 6; n > 0; --n) {
        std::string name = input.text(24);
        request.query.emplace_back(std::move(name), input.text(40));
    }
    for (int n = input.byte() % 8; n > 0; --n) {
        std::string name = token(input, 24);
        request.headers.push_back({std::move(name), input.text(48)});
    }
    std::int64_t seconds = 0;
    for (int i = 0; i < 4; ++i) seconds = (seconds << 8) | input.byte();
    request.body = std::string(input.text(64));

    const std::string region = label(input);
    const std::string service = label(input);
    kinesis::SigningParams params;
    params.region = region;
    params.service = service;
    // 1970 to 2106: every time a 4-digit year can write.
    params.time = std::chrono::system_clock::time_point(std::chrono::seconds(seconds));
    params.double_uri_encode = (flags & 0x08) != 0;
    params.normalize_path = (flags & 0x10) != 0;
    params.add_content_sha256_header = (flags & 0x20) != 0;
    params.omit_session_token = (flags & 0x40) != 0;
    if ((input.byte() & 1) != 0) params.payload_hash = kinesis::unsigned_payload;

    kinesis::Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = kinesis::SecretString(std::string("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
    if ((flags & 0x80) != 0) credentials.session_token = kinesis::SecretString(input.text(40));

    static kinesis::Signer signer;
    const std::string hash = kinesis::payload_hash(request.body, params);
    require(hash == kinesis::unsigned_payload || (hash.size() == 64 && is_lower_hex(hash)));
    if ((flags & 0x04) == 0 || (flags & 0x07) == 7) {
        signer.sign(request, credentials, params);
        check_canonical_request(signer.last_canonical_request(), request, hash);
        const auto* authorization = request.find_header("Authorization");
        require(authorization != nullptr);
        const auto at = authorization->value.rfind("Signature=");
        require(at != std::string::npos);
        const std::string_view signature = std::string_view(authorization->value).substr(at + 10);
        require(signature.size() == 64 && is_lower_hex(signature));
        // The one-pass signer and the step-by-step function agree on what was signed.
        if (credentials.session_token.empty() || !params.omit_session_token) {
            require(kinesis::canonical_request(request, params, hash) == signer.last_canonical_request());
        }
    } else {
        signer.presign(request, credentials, params);
        check_canonical_request(signer.last_canonical_request(), request, hash);
        std::string_view signature;
        for (const auto& [name, value] : request.query) {
            if (name == "X-Amz-Signature") signature = value;
        }
        require(signature.size() == 64 && is_lower_hex(signature));
    }
    return 0;
}
