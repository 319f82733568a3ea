// SPDX-License-Identifier: Apache-2.0
// Definitions for protocol/detail/service_client.hpp.
#ifndef KINESIS_PROTOCOL_DETAIL_IMPL_SERVICE_CLIENT_INL_HPP
#define KINESIS_PROTOCOL_DETAIL_IMPL_SERVICE_CLIENT_INL_HPP

#include <kinesis/protocol/detail/service_client.hpp>

#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/core/detail/uri.hpp>
#include <kinesis/core/detail/xml.hpp>

#include <fmt/core.h>

#include <thread>

namespace kinesis::detail {

namespace protocol_impl {

inline std::string_view trim_left(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                             text.front() == '\t')) {
        text.remove_prefix(1);
    }
    return text;
}

// <ErrorResponse><Error>..</Error><RequestId/></ErrorResponse> (Query),
// <Error>..<RequestId/></Error> (S3), <Response><Errors><Error>.. (EC2-style).
inline bool read_xml_error(std::string_view body, Error& error) {
    auto root = parse_xml(body);
    if (!root) return false;
    const XmlElement* node = nullptr;
    if (root->name() == "Error") {
        node = &*root;
    } else if ((node = root->find_child("Error")) == nullptr) {
        if (const auto* errors = root->find_child("Errors")) node = errors->find_child("Error");
    }
    if (node == nullptr) return false;
    error.code = std::string(node->child_text("Code"));
    error.message = std::string(node->child_text("Message"));
    if (error.request_id.empty()) {
        auto id = root->child_text("RequestId");
        if (id.empty()) id = node->child_text("RequestId");
        if (id.empty()) id = root->child_text("RequestID");
        error.request_id = std::string(id);
    }
    return !error.code.empty();
}

}  // namespace protocol_impl

KINESIS_DECL Error extract_error(const HttpResponse& response, JsonParser& parser) {
    Error error;
    error.kind = ErrorKind::Service;
    error.http_status = response.status;
    error.request_id = std::string(response.header("x-amzn-RequestId"));
    if (error.request_id.empty()) error.request_id = std::string(response.header("x-amz-request-id"));

    // "ValidationException:http://internal.amazon.com/coral/..." -> "ValidationException"
    std::string header_code(response.header("x-amzn-ErrorType"));
    if (const auto colon = header_code.find(':'); colon != std::string::npos) header_code.resize(colon);

    const auto body = protocol_impl::trim_left(response.body);
    bool readable = false;
    if (!body.empty() && body.front() == '<') {
        readable = protocol_impl::read_xml_error(body, error);
    } else if (!body.empty() && body.front() == '{') {
        JsonErrorBody fields;
        if (read_json_error_body(parser, response.body, fields)) {
            readable = true;
            error.code = std::move(fields.type);
            error.message = std::move(fields.message);
        }
    }
    if (error.code.empty()) error.code = std::move(header_code);

    if (!readable && error.code.empty()) {
        if (response.status == 429) {
            error.kind = ErrorKind::Throttled;
            error.message = "too many requests";
        } else if (!body.empty() && response.status < 500) {
            error.kind = ErrorKind::Parse;
            error.message = fmt::format("unreadable error answer ({} bytes)", response.body.size());
        } else {
            error.message = fmt::format("HTTP {} without an AWS error", response.status);
        }
        return error;
    }
    if (is_throttling_code(error.code)) error.kind = ErrorKind::Throttled;
    return error;
}

KINESIS_DECL void scrub_error(Error& error, const Credentials& credentials) {
    scrub(error.message, {credentials.secret_access_key.view(), credentials.session_token.view()});
}

KINESIS_DECL HttpRequest json_request(const HttpRequest& endpoint, std::string_view target_prefix,
                                      std::string_view operation, std::string_view json_version, std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.scheme = endpoint.scheme;
    request.host = endpoint.host;
    request.path = endpoint.path;
    // Room for the signer's headers: no reallocation while signing.
    request.headers.reserve(8);
    request.headers.push_back({"Content-Type", fmt::format("application/x-amz-json-{}", json_version)});
    request.headers.push_back({"X-Amz-Target", fmt::format("{}.{}", target_prefix, operation)});
    request.body = std::move(body);
    return request;
}

namespace protocol_impl {

// application/x-www-form-urlencoded, as botocore writes it: a space is '+'.
// AWS reads "%20" alike, but moto's signature check hashes a body it has
// decoded and encoded again, so only the SDKs' own form matches there.
inline void form_encode(std::string_view text, std::string& out) {
    for (std::size_t start = 0;;) {
        const auto space = text.find(' ', start);
        uri_encode(text.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start), out);
        if (space == std::string_view::npos) return;
        out += '+';
        start = space + 1;
    }
}

}  // namespace protocol_impl

KINESIS_DECL HttpRequest query_request(const HttpRequest& endpoint, std::string_view action,
                                       std::string_view version,
                                       const std::vector<std::pair<std::string, std::string>>& params) {
    HttpRequest request;
    request.method = "POST";
    request.scheme = endpoint.scheme;
    request.host = endpoint.host;
    request.path = endpoint.path;
    request.headers.reserve(8);
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
    std::string& body = request.body;
    body = "Action=";
    uri_encode(action, body);
    body += "&Version=";
    uri_encode(version, body);
    for (const auto& [name, value] : params) {
        body += '&';
        protocol_impl::form_encode(name, body);
        body += '=';
        protocol_impl::form_encode(value, body);
    }
    return request;
}

KINESIS_DECL HttpRequest rest_request(const HttpRequest& endpoint, RestRequest rest) {
    HttpRequest request;
    request.method = std::move(rest.method);
    request.scheme = endpoint.scheme;
    request.host = rest.host.empty() ? endpoint.host : std::move(rest.host);
    if (endpoint.path.empty() || endpoint.path == "/") {
        request.path = std::move(rest.path);
    } else {
        std::string_view prefix = endpoint.path;
        if (prefix.back() == '/') prefix.remove_suffix(1);
        request.path = std::string(prefix) + rest.path;
    }
    if (request.path.empty()) request.path = "/";
    request.query = std::move(rest.query);
    request.headers = std::move(rest.headers);
    request.body = std::move(rest.body);
    return request;
}

namespace protocol_impl {

inline HttpOptions http_options(const ClientConfig& config) {
    HttpOptions options;
    options.connect_timeout = config.connect_timeout;
    options.request_timeout = config.request_timeout;
    options.verify_tls = config.verify_tls;
    options.ca_bundle = resolve_ca_bundle(config).value();
    return options;
}

template <class T>
T or_throw(Result<T> result) {
    if (!result) throw Exception(std::move(result).error());
    return std::move(*result);
}

}  // namespace protocol_impl

KINESIS_DECL ServiceClient::ServiceClient(const ClientConfig& config, ServiceInfo service)
    : service_(service),
      region_(protocol_impl::or_throw(resolve_region(config))),
      endpoint_(protocol_impl::or_throw(
          resolve_endpoint(config, service.endpoint_prefix, service.env_name, region_))),
      base_(protocol_impl::or_throw(HttpRequest::from_url("POST", endpoint_))),
      credentials_(make_credentials_provider(config)),
      http_(protocol_impl::http_options(config)),
      retry_(config.retry),
      log_(config.log, config.log_level),
      json_(std::make_unique<JsonParser>()) {
    // A query in the endpoint URL would be signed into every request; AWS endpoints have none.
    base_.query.clear();
}

KINESIS_DECL ServiceClient::~ServiceClient() = default;

KINESIS_DECL Result<HttpResponse> ServiceClient::call_json(std::string_view target_prefix,
                                                           std::string_view operation,
                                                           std::string_view json_version, std::string body) {
    auto request = json_request(base_, target_prefix, operation, json_version, std::move(body));
    return send(request, RestSigning{}, operation);
}

KINESIS_DECL Result<HttpResponse> ServiceClient::call_json_borrowing(std::string_view target_prefix,
                                                                     std::string_view operation,
                                                                     std::string_view json_version,
                                                                     std::string& body) {
    auto request = json_request(base_, target_prefix, operation, json_version, std::move(body));
    auto response = send(request, RestSigning{}, operation);
    body = std::move(request.body);
    return response;
}

KINESIS_DECL Result<HttpResponse> ServiceClient::call_query(
    std::string_view action, std::string_view version,
    const std::vector<std::pair<std::string, std::string>>& params) {
    auto request = query_request(base_, action, version, params);
    return send(request, RestSigning{}, action);
}

KINESIS_DECL Result<HttpResponse> ServiceClient::call_rest(RestRequest rest) {
    const RestSigning signing = std::move(rest.signing);
    auto request = rest_request(base_, std::move(rest));
    std::string_view operation = request.method;
    return send(request, signing, operation);
}

KINESIS_DECL Result<HttpResponse> ServiceClient::send(HttpRequest& request, const RestSigning& signing,
                                                      std::string_view operation) {
    SigningParams params;
    params.region = region_;
    params.service = service_.signing_name;
    params.double_uri_encode = signing.double_uri_encode;
    params.normalize_path = signing.normalize_path;
    params.add_content_sha256_header = signing.add_content_sha256_header;
    // Hashed once for every attempt: the body does not change between them. Hexed into a
    // local buffer, not a std::string: one allocation fewer per call.
    char body_hash[64];
    params.payload_hash = signing.payload_hash;
    if (params.payload_hash.empty()) {
        const auto digest = sha256(request.body);
        hex_encode_to(digest.data(), digest.size(), body_hash);
        params.payload_hash = std::string_view(body_hash, sizeof body_hash);
    }

    CallState call;
    for (;;) {
        auto credentials = credentials_->credentials();
        if (!credentials) {
            Error error = std::move(credentials).error();
            error.kind = ErrorKind::Credentials;
            log_.logf(LogLevel::Error, "{} {}: {}", service_.signing_name, operation, error.to_string());
            return error;
        }
        params.time = std::chrono::system_clock::now() + clock_skew();
        signer_.sign(request, *credentials, params);
        if (log_.enabled(LogLevel::Debug)) {
            log_.logf(LogLevel::Debug, "{} {} attempt {}: {}", service_.signing_name, operation,
                      call.retry.attempts, describe_request(request, log_.enabled(LogLevel::Trace)));
        }

        const auto started = std::chrono::steady_clock::now();
        auto response = http_.send(request);
        const auto elapsed =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);

        Error error;
        if (!response) {
            error = std::move(response).error();
        } else if (response->status >= 200 && response->status < 300) {
            retry_.on_success(call.retry);
            log_.logf(LogLevel::Debug, "{} {}: HTTP {} in {} ms, {} bytes", service_.signing_name, operation,
                      response->status, elapsed.count(), response->body.size());
            return response;
        } else {
            error = extract_error(*response, *json_);
        }
        scrub_error(error, *credentials);

        const auto step = next_step(error, response ? &*response : nullptr, call, retry_,
                                    std::chrono::system_clock::now(), clock_skew());
        switch (step.action) {
            case NextAction::Stop:
                log_.logf(LogLevel::Debug, "{} {} failed after {} ms ({}): {}", service_.signing_name, operation,
                          elapsed.count(), step.reason, error.to_string());
                return error;
            case NextAction::RetrySkewCorrected:
                skew_ms_.store(step.clock_skew.count(), std::memory_order_relaxed);
                log_.logf(LogLevel::Warn, "{} {}: {}; the server's clock is {} s from ours, retrying with it",
                          service_.signing_name, operation, error.code,
                          std::chrono::duration_cast<std::chrono::seconds>(step.clock_skew).count());
                break;
            case NextAction::Retry:
                log_.logf(LogLevel::Info, "{} {}: {}; retry {} of {} in {} ms", service_.signing_name, operation,
                          error.to_string(), call.retry.attempts - 1, retry_.config().max_attempts - 1,
                          step.delay.count());
                if (step.delay.count() > 0) std::this_thread::sleep_for(step.delay);
                break;
        }
    }
}

}  // namespace kinesis::detail

#endif  // KINESIS_PROTOCOL_DETAIL_IMPL_SERVICE_CLIENT_INL_HPP
