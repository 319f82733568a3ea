// SPDX-License-Identifier: Apache-2.0
// Definitions for s3/detail/wire.hpp.
#ifndef KINESIS_S3_DETAIL_IMPL_WIRE_INL_HPP
#define KINESIS_S3_DETAIL_IMPL_WIRE_INL_HPP

#include <kinesis/s3/detail/wire.hpp>

#include <kinesis/core/detail/crypto.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_writer.hpp>
#include <kinesis/core/detail/time.hpp>
#include <kinesis/core/detail/uri.hpp>
#include <kinesis/core/detail/xml.hpp>

#include <fmt/core.h>

#include <array>
#include <charconv>

namespace kinesis::detail {

namespace s3_wire_impl {

inline bool starts_with(std::string_view text, std::string_view prefix) noexcept {
    return text.substr(0, prefix.size()) == prefix;
}
inline bool ends_with(std::string_view text, std::string_view suffix) noexcept {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}
inline bool is_lower_alnum(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

inline bool is_ipv4(std::string_view text) noexcept {
    int groups = 0;
    std::size_t digits = 0;
    for (char c : text) {
        if (c >= '0' && c <= '9') {
            if (++digits > 3) return false;
        } else if (c == '.') {
            if (digits == 0) return false;
            ++groups;
            digits = 0;
        } else {
            return false;
        }
    }
    return digits > 0 && groups == 3;
}

inline Error bad_bucket(std::string_view operation, std::string_view bucket, std::string_view rule) {
    return invalid_argument(
        fmt::format("{}: bucket name \"{}\" ({} characters) {}", operation, bucket, bucket.size(), rule));
}

/// Percent-decoding of S3's encoding-type=url values, '+' as a space (botocore's unquote_plus).
inline Result<std::string> url_decode_plus(std::string_view text) {
    std::string spaced(text);
    for (char& c : spaced) {
        if (c == '+') c = ' ';
    }
    return uri_decode(spaced);
}

inline Error parse_error(std::string what) {
    Error error;
    error.kind = ErrorKind::Parse;
    error.message = std::move(what);
    return error;
}

inline Result<std::optional<Timestamp>> optional_time(std::string_view text, std::string_view field) {
    if (text.empty()) return std::optional<Timestamp>{};
    auto time = parse_iso8601(text);
    if (!time) return parse_error(fmt::format("{} is not an ISO 8601 time: {}", field, text));
    return std::optional<Timestamp>{*time};
}

inline Result<std::uint64_t> parse_u64(std::string_view text, std::string_view field) {
    std::uint64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) {
        return parse_error(fmt::format("{} is not a non-negative integer: {}", field, text));
    }
    return value;
}

inline Result<XmlElement> parse_root(std::string_view xml, std::string_view root_name, std::string_view what) {
    auto root = parse_xml(xml);
    if (!root) {
        auto error = std::move(root).error();
        error.message = fmt::format("{} response: {}", what, error.message);
        return error;
    }
    if (root->name() != root_name) {
        return parse_error(fmt::format("{} response has root <{}>, not <{}>", what, root->name(), root_name));
    }
    return root;
}

}  // namespace s3_wire_impl

KINESIS_DECL Result<void> validate_new_bucket_name(std::string_view operation, std::string_view bucket) {
    using namespace s3_wire_impl;
    if (bucket.size() < 3 || bucket.size() > 63) {
        if (bucket.size() > 63) {
            return invalid_argument(fmt::format("{}: bucket name has {} characters; the limit is 63", operation,
                                                bucket.size()));
        }
        return invalid_argument(fmt::format("{}: bucket name \"{}\" has {} characters; the minimum is 3", operation,
                                            bucket, bucket.size()));
    }
    for (std::size_t i = 0; i < bucket.size(); ++i) {
        const char c = bucket[i];
        if (!is_lower_alnum(c) && c != '.' && c != '-') {
            const auto u = static_cast<unsigned char>(c);
            const std::string shown = u > 0x20 && u < 0x7f ? fmt::format("'{}'", c) : fmt::format("byte 0x{:02X}", u);
            bool printable = true;
            for (char b : bucket) printable = printable && b > 0x20 && b < 0x7f;
            return invalid_argument(fmt::format(
                "{}: bucket name \"{}\" ({} characters) may contain only lowercase letters, digits, dots and "
                "hyphens, not {} at offset {}",
                operation, printable ? bucket : std::string_view("<unprintable>"), bucket.size(), shown, i));
        }
    }
    if (!is_lower_alnum(bucket.front()) || !is_lower_alnum(bucket.back())) {
        return bad_bucket(operation, bucket, "must start and end with a letter or digit");
    }
    if (bucket.find("..") != std::string_view::npos) {
        return bad_bucket(operation, bucket, "must not contain two adjacent dots");
    }
    if (is_ipv4(bucket)) return bad_bucket(operation, bucket, "must not be formatted as an IP address");
    for (std::string_view prefix : {"xn--", "sthree-", "amzn-s3-demo-"}) {
        if (starts_with(bucket, prefix)) {
            return bad_bucket(operation, bucket, fmt::format("must not start with the reserved prefix \"{}\"", prefix));
        }
    }
    for (std::string_view suffix : {"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}) {
        if (ends_with(bucket, suffix)) {
            return bad_bucket(operation, bucket, fmt::format("must not end with the reserved suffix \"{}\"", suffix));
        }
    }
    return {};
}

KINESIS_DECL Result<void> validate_bucket_name(std::string_view operation, std::string_view bucket) {
    if (bucket.empty()) return invalid_argument(fmt::format("{}: bucket name is empty", operation));
    if (bucket.size() > 255) {
        return invalid_argument(
            fmt::format("{}: bucket name has {} characters; the limit is 255", operation, bucket.size()));
    }
    if (bucket.find('/') != std::string_view::npos) {
        return invalid_argument(fmt::format("{}: bucket name \"{}\" ({} characters) must not contain '/'", operation,
                                            bucket, bucket.size()));
    }
    return {};
}

KINESIS_DECL Result<void> validate_metadata(std::string_view operation,
                                           const std::vector<std::pair<std::string, std::string>>& metadata) {
    std::size_t metadata_size = 0;
    for (const auto& [name, value] : metadata) {
        if (name.empty()) return invalid_argument(fmt::format("{}: a metadata name is empty", operation));
        for (char c : name) {
            // An HTTP token: no separators, controls or spaces.
            if (static_cast<unsigned char>(c) <= 0x20 || static_cast<unsigned char>(c) >= 0x7f ||
                std::string_view("()<>@,;:\\\"/[]?={}").find(c) != std::string_view::npos) {
                return invalid_argument(fmt::format(
                    "{}: metadata name \"{}\" ({} characters) may contain only visible ASCII other than "
                    "()<>@,;:\\\"/[]?={{}}",
                    operation, name, name.size()));
            }
        }
        for (char c : value) {
            if (c == '\r' || c == '\n' || c == '\0') {
                return invalid_argument(
                    fmt::format("{}: metadata \"{}\" has a value ({} bytes) with a line break or NUL", operation,
                                name, value.size()));
            }
        }
        metadata_size += name.size() + value.size();
    }
    if (metadata_size > 2048) {
        return invalid_argument(
            fmt::format("{}: metadata has {} bytes of names and values; the limit is 2048", operation, metadata_size));
    }
    return {};
}

KINESIS_DECL Result<void> validate_object_key(std::string_view operation, std::string_view key) {
    if (key.empty()) return invalid_argument(fmt::format("{}: key is empty; it must have 1 to 1024 bytes", operation));
    if (key.size() > 1024) {
        return invalid_argument(fmt::format("{}: key has {} bytes; the limit is 1024", operation, key.size()));
    }
    if (!is_valid_utf8(key)) {
        return invalid_argument(fmt::format("{}: key ({} bytes) is not valid UTF-8", operation, key.size()));
    }
    return {};
}

KINESIS_DECL bool is_virtual_hostable_bucket(std::string_view bucket) noexcept {
    using s3_wire_impl::is_lower_alnum;
    if (bucket.size() < 3 || bucket.size() > 63) return false;
    if (!is_lower_alnum(bucket.front()) || !is_lower_alnum(bucket.back())) return false;
    for (char c : bucket) {
        if (!is_lower_alnum(c) && c != '-') return false;
    }
    return true;
}

KINESIS_DECL bool is_aws_s3_host(std::string_view host) noexcept {
    using namespace s3_wire_impl;
    if (const auto colon = host.rfind(':'); colon != std::string_view::npos) host = host.substr(0, colon);
    if (ends_with(host, ".amazonaws.com")) {
        host.remove_suffix(std::string_view(".amazonaws.com").size());
    } else if (ends_with(host, ".amazonaws.com.cn")) {
        host.remove_suffix(std::string_view(".amazonaws.com.cn").size());
    } else {
        return false;
    }
    return host == "s3" || starts_with(host, "s3.") || starts_with(host, "s3-");
}

KINESIS_DECL bool use_virtual_host(S3AddressingStyle style, bool aws_endpoint, std::string_view bucket) noexcept {
    switch (style) {
        case S3AddressingStyle::Path: return false;
        case S3AddressingStyle::VirtualHosted: return true;
        case S3AddressingStyle::Auto: break;
    }
    return aws_endpoint && is_virtual_hostable_bucket(bucket);
}

KINESIS_DECL S3Address s3_address(std::string_view endpoint_host, std::string_view bucket, std::string_view key,
                                  bool virtual_host) {
    S3Address address;
    address.path = "/";
    if (virtual_host) {
        address.host.reserve(bucket.size() + 1 + endpoint_host.size());
        address.host.append(bucket).append(".").append(endpoint_host);
    } else {
        uri_encode(bucket, address.path);
        if (!key.empty()) address.path += '/';
    }
    // Encoded once with '/' kept: S3 signs the path as sent, not double-encoded.
    uri_encode(key, address.path, true);
    return address;
}

KINESIS_DECL void xml_escape(std::string_view text, std::string& out) {
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            // Character references keep CR and TAB from being normalised away by the server's parser.
            case '\r': out += "&#13;"; break;
            case '\t': out += "&#9;"; break;
            case '\n': out += "&#10;"; break;
            default: out += c;
        }
    }
}

KINESIS_DECL std::string create_bucket_body(std::string_view location_constraint) {
    if (location_constraint.empty() || location_constraint == "us-east-1") return {};
    std::string body =
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<LocationConstraint>";
    xml_escape(location_constraint, body);
    body += "</LocationConstraint></CreateBucketConfiguration>";
    return body;
}

KINESIS_DECL std::string delete_objects_body(const std::vector<std::string>& keys) {
    std::string body = "<Delete xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Quiet>false</Quiet>";
    for (const auto& key : keys) {
        body += "<Object><Key>";
        xml_escape(key, body);
        body += "</Key></Object>";
    }
    body += "</Delete>";
    return body;
}

KINESIS_DECL std::string content_md5(std::string_view body) {
    const auto digest = md5(body);
    return base64_encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

KINESIS_DECL Result<std::vector<BucketSummary>> parse_list_buckets(std::string_view xml) {
    auto root = s3_wire_impl::parse_root(xml, "ListAllMyBucketsResult", "ListBuckets");
    if (!root) return std::move(root).error();
    std::vector<BucketSummary> out;
    if (const auto* buckets = root->find_child("Buckets")) {
        for (const auto* bucket : buckets->children("Bucket")) {
            BucketSummary summary;
            summary.name = std::string(bucket->child_text("Name"));
            auto created = s3_wire_impl::optional_time(bucket->child_text("CreationDate"), "CreationDate");
            if (!created) return std::move(created).error();
            summary.creation_date = *created;
            out.push_back(std::move(summary));
        }
    }
    return out;
}

KINESIS_DECL Result<ListObjectsV2Result> parse_list_objects_v2(std::string_view xml) {
    using namespace s3_wire_impl;
    auto root = parse_root(xml, "ListBucketResult", "ListObjectsV2");
    if (!root) return std::move(root).error();
    const bool url_encoded = root->child_text("EncodingType") == "url";
    auto decode = [&](std::string_view text, std::string_view field) -> Result<std::string> {
        if (!url_encoded) return std::string(text);
        auto decoded = url_decode_plus(text);
        if (!decoded) return parse_error(fmt::format("ListObjectsV2 response: {} has a bad escape", field));
        return decoded;
    };

    ListObjectsV2Result out;
    for (const auto* object : root->children("Contents")) {
        S3Object entry;
        auto key = decode(object->child_text("Key"), "Key");
        if (!key) return std::move(key).error();
        entry.key = std::move(*key);
        if (const auto* size = object->find_child("Size")) {
            auto value = parse_u64(size->text(), "Size");
            if (!value) return std::move(value).error();
            entry.size = *value;
        }
        entry.etag = std::string(object->child_text("ETag"));
        auto modified = optional_time(object->child_text("LastModified"), "LastModified");
        if (!modified) return std::move(modified).error();
        entry.last_modified = *modified;
        entry.storage_class = std::string(object->child_text("StorageClass"));
        out.contents.push_back(std::move(entry));
    }
    for (const auto* common : root->children("CommonPrefixes")) {
        auto prefix = decode(common->child_text("Prefix"), "Prefix");
        if (!prefix) return std::move(prefix).error();
        out.common_prefixes.push_back(std::move(*prefix));
    }
    out.is_truncated = root->child_text("IsTruncated") == "true";
    if (const auto* token = root->find_child("NextContinuationToken")) out.next_continuation_token = token->text();
    if (const auto* count = root->find_child("KeyCount")) {
        auto value = parse_u64(count->text(), "KeyCount");
        if (!value) return std::move(value).error();
        out.key_count = static_cast<int>(*value);
    } else {
        out.key_count = static_cast<int>(out.contents.size() + out.common_prefixes.size());
    }
    if (out.is_truncated && !out.next_continuation_token) {
        return parse_error("ListObjectsV2 response is truncated but has no NextContinuationToken");
    }
    return out;
}

KINESIS_DECL Result<DeleteObjectsResult> parse_delete_objects(std::string_view xml) {
    auto root = s3_wire_impl::parse_root(xml, "DeleteResult", "DeleteObjects");
    if (!root) return std::move(root).error();
    DeleteObjectsResult out;
    for (const auto* deleted : root->children("Deleted")) out.deleted.emplace_back(deleted->child_text("Key"));
    for (const auto* error : root->children("Error")) {
        out.errors.push_back(DeletedObjectError{std::string(error->child_text("Key")),
                                                std::string(error->child_text("Code")),
                                                std::string(error->child_text("Message"))});
    }
    return out;
}

}  // namespace kinesis::detail

#endif  // KINESIS_S3_DETAIL_IMPL_WIRE_INL_HPP
