// SPDX-License-Identifier: Apache-2.0
// Fuzzes what reads endpoint URLs (config.endpoint, AWS_ENDPOINT_URL*, a profile's
// endpoint_url, container credential URLs), percent-decoding, path normalisation and ARNs.
#include <kinesis/http/transport.hpp>
#include <kinesis/core/arn.hpp>
#include <kinesis/core/detail/uri.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using kinesis_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace d = kinesis::detail;
    const std::string_view text(reinterpret_cast<const char*>(data), size);

    auto request = kinesis::HttpRequest::from_url("GET", text);
    if (!request) {
        require(request.error().kind == kinesis::ErrorKind::InvalidArgument);
    } else {
        require(request->scheme == "http" || request->scheme == "https");
        require(!request->host.empty());
        require(request->host.find_first_of("/?#@") == std::string::npos);
        require(!request->path.empty());
        // The URL it prints reads back as the same request.
        auto again = kinesis::HttpRequest::from_url("GET", request->url());
        require(static_cast<bool>(again));
        require(again->scheme == request->scheme && again->host == request->host);
        require(again->query == request->query);
    }

    // Encoding then decoding gives the bytes back; encoded text is unreserved bytes and %XX.
    for (const bool keep_slash : {false, true}) {
        const std::string encoded = d::uri_encode(text, keep_slash);
        for (char c : encoded) require(d::is_unreserved(c) || c == '%' || (keep_slash && c == '/'));
        auto decoded = d::uri_decode(encoded);
        require(decoded && *decoded == text);
    }
    if (auto decoded = d::uri_decode(text); !decoded) {
        require(decoded.error().kind == kinesis::ErrorKind::InvalidArgument);
    }

    // Normalising is idempotent and keeps an absolute path absolute.
    const std::string normal = d::normalize_path(text);
    require(!normal.empty());
    if (text.empty() || text.front() == '/') require(normal.front() == '/');
    require(d::normalize_path(normal) == normal);

    if (auto arn = kinesis::Arn::parse(text)) {
        auto again = kinesis::Arn::parse(arn->to_string());
        require(again && again->partition == arn->partition && again->service == arn->service &&
                again->region == arn->region && again->account == arn->account &&
                again->resource == arn->resource);
    }
    return 0;
}
