// SPDX-License-Identifier: Apache-2.0
// Definitions for s3/s3_client.hpp.
#ifndef KINESIS_S3_IMPL_S3_CLIENT_INL_HPP
#define KINESIS_S3_IMPL_S3_CLIENT_INL_HPP

#include <kinesis/s3/s3_client.hpp>

#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/s3/detail/wire.hpp>
#include <kinesis/core/detail/time.hpp>

#include <fmt/core.h>

#include <cctype>
#include <charconv>

namespace kinesis {

namespace detail::s3_impl {
inline constexpr detail::ServiceInfo service{"s3", "S3", "s3"};

inline detail::RestSigning signing() {
    detail::RestSigning signing;
    signing.double_uri_encode = false;
    signing.normalize_path = false;
    signing.add_content_sha256_header = true;
    return signing;
}

inline bool iequals_prefix(std::string_view text, std::string_view prefix) noexcept {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    }
    return true;
}

/// HEAD answers carry no body, so the error has no code: name it as botocore does.
inline Error name_bodiless_error(Error error) {
    if (!error.code.empty()) return error;
    switch (error.http_status) {
        case 404: error.code = "NotFound"; error.message = "Not Found"; break;
        case 403: error.code = "Forbidden"; error.message = "Forbidden"; break;
        case 400: error.code = "BadRequest"; error.message = "Bad Request"; break;
        case 301: error.code = "PermanentRedirect"; error.message = "the bucket is in another region"; break;
        default: return error;
    }
    error.kind = ErrorKind::Service;
    return error;
}

/// XML 1.0 has no way to write these bytes, not even as character references,
/// so a key holding one cannot go in a DeleteObjects body.
inline bool has_xml_forbidden_byte(std::string_view key) noexcept {
    for (char c : key) {
        const auto u = static_cast<unsigned char>(c);
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') return true;
    }
    return false;
}

inline Error with_context(Error error, std::string_view operation) {
    error.message = fmt::format("{}: {}", operation, error.message);
    return error;
}

inline Result<HeadObjectResult> read_object_headers(const HttpResponse& response, bool from_head) {
    HeadObjectResult out;
    if (from_head) {
        const auto length = response.header("Content-Length");
        std::uint64_t value = 0;
        const auto [ptr, ec] = std::from_chars(length.data(), length.data() + length.size(), value);
        if (!length.empty() && ec == std::errc() && ptr == length.data() + length.size()) out.content_length = value;
    } else {
        out.content_length = response.body.size();
    }
    out.content_type = std::string(response.header("Content-Type"));
    out.etag = std::string(response.header("ETag"));
    if (const auto modified = response.header("Last-Modified"); !modified.empty()) {
        if (auto time = detail::parse_http_date(modified)) out.last_modified = *time;
    }
    constexpr std::string_view meta = "x-amz-meta-";
    for (const auto& header : response.headers) {
        if (iequals_prefix(header.name, meta)) {
            out.metadata.emplace_back(header.name.substr(meta.size()), header.value);
        }
    }
    return out;
}
}  // namespace detail::s3_impl

KINESIS_DECL S3Client::S3Client(const ClientConfig& config, S3Options options)
    : client_(std::make_unique<detail::ServiceClient>(config, detail::s3_impl::service)), options_(options) {
    auto base = HttpRequest::from_url("GET", client_->endpoint());
    aws_endpoint_ = base && detail::is_aws_s3_host(base->host);
    if (base) endpoint_host_ = base->host;
}

KINESIS_DECL S3Client::~S3Client() = default;
KINESIS_DECL S3Client::S3Client(S3Client&&) noexcept = default;
KINESIS_DECL S3Client& S3Client::operator=(S3Client&&) noexcept = default;

KINESIS_DECL const std::string& S3Client::region() const noexcept { return client_->region(); }
KINESIS_DECL const std::string& S3Client::endpoint() const noexcept { return client_->endpoint(); }

KINESIS_DECL detail::RestRequest S3Client::s3_request(std::string method, std::string_view bucket,
                                                      std::string_view key) const {
    const bool virtual_host = detail::use_virtual_host(options_.addressing, aws_endpoint_, bucket);
    auto address = detail::s3_address(endpoint_host_, bucket, key, virtual_host);
    detail::RestRequest rest;
    rest.method = std::move(method);
    rest.host = std::move(address.host);
    rest.path = std::move(address.path);
    rest.signing = detail::s3_impl::signing();
    return rest;
}

KINESIS_DECL Result<void> S3Client::create_bucket(const CreateBucketRequest& request) {
    constexpr std::string_view op = "create_bucket";
    if (auto valid = detail::validate_new_bucket_name(op, request.bucket); !valid) return valid;
    auto rest = s3_request("PUT", request.bucket, {});
    rest.body = detail::create_bucket_body(request.location_constraint ? *request.location_constraint : region());
    if (!rest.body.empty()) rest.headers.push_back({"Content-Type", "application/xml"});
    auto response = client_->call_rest(std::move(rest));
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<void> S3Client::head_bucket(const std::string& bucket) {
    if (auto valid = detail::validate_bucket_name("head_bucket", bucket); !valid) return valid;
    auto response = client_->call_rest(s3_request("HEAD", bucket, {}));
    if (!response) return detail::s3_impl::name_bodiless_error(std::move(response).error());
    return {};
}

KINESIS_DECL Result<bool> S3Client::bucket_exists(const std::string& bucket) {
    auto head = head_bucket(bucket);
    if (head) return true;
    if (head.error().http_status == 404) return false;
    return std::move(head).error();
}

KINESIS_DECL Result<std::vector<BucketSummary>> S3Client::list_buckets() {
    detail::RestRequest rest;
    rest.method = "GET";
    rest.path = "/";
    rest.signing = detail::s3_impl::signing();
    auto response = client_->call_rest(std::move(rest));
    if (!response) return std::move(response).error();
    auto parsed = detail::parse_list_buckets(response->body);
    if (!parsed) return detail::s3_impl::with_context(std::move(parsed).error(), "list_buckets");
    return parsed;
}

KINESIS_DECL Result<void> S3Client::delete_bucket(const std::string& bucket) {
    if (auto valid = detail::validate_bucket_name("delete_bucket", bucket); !valid) return valid;
    auto response = client_->call_rest(s3_request("DELETE", bucket, {}));
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<PutObjectResult> S3Client::put_object(const PutObjectRequest& request) {
    constexpr std::string_view op = "put_object";
    if (auto valid = detail::validate_bucket_name(op, request.bucket); !valid) return std::move(valid).error();
    if (auto valid = detail::validate_object_key(op, request.key); !valid) return std::move(valid).error();
    if (auto valid = detail::validate_metadata(op, request.metadata); !valid) return std::move(valid).error();

    auto rest = s3_request("PUT", request.bucket, request.key);
    rest.body = std::string(request.body);
    if (!request.content_type.empty()) rest.headers.push_back({"Content-Type", request.content_type});
    for (const auto& [name, value] : request.metadata) rest.headers.push_back({"x-amz-meta-" + name, value});
    auto response = client_->call_rest(std::move(rest));
    if (!response) return std::move(response).error();
    PutObjectResult out;
    out.etag = std::string(response->header("ETag"));
    if (const auto version = response->header("x-amz-version-id"); !version.empty()) {
        out.version_id = std::string(version);
    }
    return out;
}

KINESIS_DECL Result<GetObjectResult> S3Client::get_object(const std::string& bucket, const std::string& key) {
    constexpr std::string_view op = "get_object";
    if (auto valid = detail::validate_bucket_name(op, bucket); !valid) return std::move(valid).error();
    if (auto valid = detail::validate_object_key(op, key); !valid) return std::move(valid).error();
    auto response = client_->call_rest(s3_request("GET", bucket, key));
    if (!response) return std::move(response).error();
    auto headers = detail::s3_impl::read_object_headers(*response, false);
    if (!headers) return std::move(headers).error();
    GetObjectResult out;
    static_cast<HeadObjectResult&>(out) = std::move(*headers);
    out.body = std::move(response->body);
    return out;
}

KINESIS_DECL Result<HeadObjectResult> S3Client::head_object(const std::string& bucket, const std::string& key) {
    constexpr std::string_view op = "head_object";
    if (auto valid = detail::validate_bucket_name(op, bucket); !valid) return std::move(valid).error();
    if (auto valid = detail::validate_object_key(op, key); !valid) return std::move(valid).error();
    auto response = client_->call_rest(s3_request("HEAD", bucket, key));
    if (!response) return detail::s3_impl::name_bodiless_error(std::move(response).error());
    return detail::s3_impl::read_object_headers(*response, true);
}

KINESIS_DECL Result<ListObjectsV2Result> S3Client::list_objects_v2(const ListObjectsV2Request& request) {
    constexpr std::string_view op = "list_objects_v2";
    if (auto valid = detail::validate_bucket_name(op, request.bucket); !valid) return std::move(valid).error();
    if (request.max_keys && (*request.max_keys < 1 || *request.max_keys > 1000)) {
        return invalid_argument(
            fmt::format("list_objects_v2: max_keys is {}; it must be 1 to 1000", *request.max_keys));
    }
    if (request.prefix.size() > 1024) {
        return invalid_argument(
            fmt::format("list_objects_v2: prefix has {} bytes; the limit is 1024", request.prefix.size()));
    }
    auto rest = s3_request("GET", request.bucket, {});
    rest.query.emplace_back("list-type", "2");
    // Keys come back percent-encoded, so control characters survive the XML.
    rest.query.emplace_back("encoding-type", "url");
    if (!request.prefix.empty()) rest.query.emplace_back("prefix", request.prefix);
    if (request.delimiter) rest.query.emplace_back("delimiter", *request.delimiter);
    if (request.max_keys) rest.query.emplace_back("max-keys", std::to_string(*request.max_keys));
    if (request.continuation_token) rest.query.emplace_back("continuation-token", *request.continuation_token);
    if (request.start_after) rest.query.emplace_back("start-after", *request.start_after);
    auto response = client_->call_rest(std::move(rest));
    if (!response) return std::move(response).error();
    auto parsed = detail::parse_list_objects_v2(response->body);
    if (!parsed) return detail::s3_impl::with_context(std::move(parsed).error(), op);
    return parsed;
}

KINESIS_DECL Result<std::vector<S3Object>> S3Client::list_all_objects(const std::string& bucket,
                                                                      const std::string& prefix) {
    std::vector<S3Object> out;
    ListObjectsV2Request request;
    request.bucket = bucket;
    request.prefix = prefix;
    for (;;) {
        auto page = list_objects_v2(request);
        if (!page) return std::move(page).error();
        out.insert(out.end(), std::make_move_iterator(page->contents.begin()),
                   std::make_move_iterator(page->contents.end()));
        if (!page->is_truncated) return out;
        if (request.continuation_token == page->next_continuation_token) {
            return detail::s3_impl::with_context(detail::s3_wire_impl::parse_error("the continuation token did not change"),
                                         "list_all_objects");
        }
        request.continuation_token = std::move(page->next_continuation_token);
    }
}

KINESIS_DECL Result<void> S3Client::delete_object(const std::string& bucket, const std::string& key) {
    constexpr std::string_view op = "delete_object";
    if (auto valid = detail::validate_bucket_name(op, bucket); !valid) return valid;
    if (auto valid = detail::validate_object_key(op, key); !valid) return valid;
    auto response = client_->call_rest(s3_request("DELETE", bucket, key));
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<DeleteObjectsResult> S3Client::delete_objects(const std::string& bucket,
                                                                  const std::vector<std::string>& keys) {
    constexpr std::string_view op = "delete_objects";
    if (auto valid = detail::validate_bucket_name(op, bucket); !valid) return std::move(valid).error();
    if (keys.empty() || keys.size() > 1000) {
        return invalid_argument(
            fmt::format("delete_objects: keys has {} entries; it must have 1 to 1000", keys.size()));
    }
    for (std::size_t i = 0; i < keys.size(); ++i) {
        if (auto valid = detail::validate_object_key(fmt::format("delete_objects: keys[{}]", i), keys[i]); !valid) {
            return std::move(valid).error();
        }
        if (detail::s3_impl::has_xml_forbidden_byte(keys[i])) {
            return invalid_argument(fmt::format(
                "delete_objects: keys[{}] ({} bytes) has a control character XML 1.0 cannot carry; use delete_object",
                i, keys[i].size()));
        }
    }
    auto rest = s3_request("POST", bucket, {});
    rest.query.emplace_back("delete", "");
    rest.body = detail::delete_objects_body(keys);
    rest.headers.push_back({"Content-Type", "application/xml"});
    // S3 (and moto) refuse a multi-object delete without an integrity header.
    rest.headers.push_back({"Content-MD5", detail::content_md5(rest.body)});
    auto response = client_->call_rest(std::move(rest));
    if (!response) return std::move(response).error();
    auto parsed = detail::parse_delete_objects(response->body);
    if (!parsed) return detail::s3_impl::with_context(std::move(parsed).error(), op);
    return parsed;
}

KINESIS_DECL Result<void> S3Client::empty_bucket(const std::string& bucket) {
    ListObjectsV2Request request;
    request.bucket = bucket;
    request.max_keys = 1000;
    // Always the first page: deleting a page moves the next one to the front.
    for (;;) {
        auto page = list_objects_v2(request);
        if (!page) return std::move(page).error();
        if (page->contents.empty()) return {};
        std::vector<std::string> keys;
        keys.reserve(page->contents.size());
        for (auto& object : page->contents) {
            if (detail::s3_impl::has_xml_forbidden_byte(object.key)) {
                if (auto one = delete_object(bucket, object.key); !one) return one;
            } else {
                keys.push_back(std::move(object.key));
            }
        }
        if (keys.empty()) continue;
        auto deleted = delete_objects(bucket, keys);
        if (!deleted) return std::move(deleted).error();
        if (!deleted->errors.empty()) {
            const auto& first = deleted->errors.front();
            Error error;
            error.kind = ErrorKind::Service;
            error.code = first.code;
            error.message = fmt::format("empty_bucket: {} of {} keys were not deleted; the first, \"{}\": {}",
                                        deleted->errors.size(), keys.size(), first.key, first.message);
            return error;
        }
    }
}

}  // namespace kinesis

#endif  // KINESIS_S3_IMPL_S3_CLIENT_INL_HPP
