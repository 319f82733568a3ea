// SPDX-License-Identifier: Apache-2.0
// The pure parts of the S3 client: name checks, addressing, request bodies and
// answer parsing, apart from the network so they can be tested without a server.

#ifndef KINESIS_S3_DETAIL_WIRE_HPP
#define KINESIS_S3_DETAIL_WIRE_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/s3/model.hpp>
#include <kinesis/core/error.hpp>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinesis::detail {

/// The rules S3 enforces on new bucket names (general purpose buckets): 3..63
/// characters of a-z 0-9 . -, a letter or digit first and last, no "..", not
/// an IPv4 address, no reserved prefix ("xn--", "sthree-", "amzn-s3-demo-")
/// or suffix ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"). The
/// InvalidArgument message names `operation`, the name, its length and the rule.
[[nodiscard]] KINESIS_DECL Result<void> validate_new_bucket_name(std::string_view operation, std::string_view bucket);

/// The check for a bucket that may already exist (older us-east-1 names allowed
/// upper case and underscores): 1..255 characters, no '/'.
[[nodiscard]] KINESIS_DECL Result<void> validate_bucket_name(std::string_view operation, std::string_view bucket);

/// An object key: 1..1024 bytes of valid UTF-8.
[[nodiscard]] KINESIS_DECL Result<void> validate_object_key(std::string_view operation, std::string_view key);
/// x-amz-meta-* names are HTTP tokens, values hold no line break or NUL (no header
/// injection), and names plus values total at most 2048 bytes.
[[nodiscard]] KINESIS_DECL Result<void> validate_metadata(
    std::string_view operation, const std::vector<std::pair<std::string, std::string>>& metadata);

/// Whether `bucket` can be the first DNS label of a host: 3..63 of a-z 0-9 -,
/// a letter or digit first and last (a dot would break the TLS wildcard).
[[nodiscard]] KINESIS_DECL bool is_virtual_hostable_bucket(std::string_view bucket) noexcept;

/// Whether `host` ([host][:port]) is an AWS S3 endpoint: s3.amazonaws.com,
/// s3.<region>.amazonaws.com, s3.dualstack.<region>.amazonaws.com (and .com.cn).
[[nodiscard]] KINESIS_DECL bool is_aws_s3_host(std::string_view host) noexcept;

/// Whether a request for `bucket` goes virtual-hosted.
[[nodiscard]] KINESIS_DECL bool use_virtual_host(S3AddressingStyle style, bool aws_endpoint,
                                                 std::string_view bucket) noexcept;

/// Host and wire path of a bucket or object request.
struct S3Address {
    std::string host;  ///< empty: the endpoint's host
    std::string path;  ///< percent-encoded once, '/' kept
};

/// Where a request on `bucket` (and `key`, when not empty) goes: path-style
/// "/<bucket>/<key>" on the endpoint's host, or "<bucket>.<endpoint_host>"
/// with "/<key>". A bucket-only path-style request has no trailing slash.
[[nodiscard]] KINESIS_DECL S3Address s3_address(std::string_view endpoint_host, std::string_view bucket,
                                                std::string_view key, bool virtual_host);

/// The CreateBucketConfiguration body, or "" when `location_constraint` is
/// empty or us-east-1 (where S3 rejects an explicit constraint).
[[nodiscard]] KINESIS_DECL std::string create_bucket_body(std::string_view location_constraint);

/// The DeleteObjects `<Delete>` body, Quiet false so every deleted key is listed.
[[nodiscard]] KINESIS_DECL std::string delete_objects_body(const std::vector<std::string>& keys);

/// base64(MD5(body)), the Content-MD5 header value.
[[nodiscard]] KINESIS_DECL std::string content_md5(std::string_view body);

/// Appends `text` with & < > " ' escaped for XML character data.
KINESIS_DECL void xml_escape(std::string_view text, std::string& out);

/// ListBucketsResult -> its buckets.
[[nodiscard]] KINESIS_DECL Result<std::vector<BucketSummary>> parse_list_buckets(std::string_view xml);

/// ListBucketResult (V2) -> the page; Key and Prefix values are URL-decoded
/// ('+' is a space) when the answer says EncodingType url.
[[nodiscard]] KINESIS_DECL Result<ListObjectsV2Result> parse_list_objects_v2(std::string_view xml);

/// DeleteResult -> deleted keys and per-key errors.
[[nodiscard]] KINESIS_DECL Result<DeleteObjectsResult> parse_delete_objects(std::string_view xml);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/s3/detail/impl/wire.inl.hpp>
#endif

#endif  // KINESIS_S3_DETAIL_WIRE_HPP
