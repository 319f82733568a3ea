// SPDX-License-Identifier: Apache-2.0
// S3 shapes as botocore names them: buckets, objects, listings, options.
#ifndef KINESIS_S3_MODEL_HPP
#define KINESIS_S3_MODEL_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/time.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinesis {


/// Where the bucket name goes in a request.
enum class S3AddressingStyle {
    /// Virtual-hosted against an amazonaws.com endpoint, path-style against any
    /// other (config.endpoint, AWS_ENDPOINT_URL*) and for bucket names that
    /// cannot be a DNS label (dots, upper case, underscores).
    Auto,
    Path,           ///< `<endpoint>/<bucket>/<key>`
    VirtualHosted,  ///< `<bucket>.<endpoint host>/<key>`
};

/// S3-only client settings.
struct S3Options {
    S3AddressingStyle addressing = S3AddressingStyle::Auto;
};

/// One entry of ListBuckets (botocore shape Bucket).
struct BucketSummary {
    std::string name;
    std::optional<Timestamp> creation_date;
};

/// CreateBucket input.
struct CreateBucketRequest {
    std::string bucket;
    /// Unset: the client's region, omitted for us-east-1.
    std::optional<std::string> location_constraint;
};

/// PutObject input.
struct PutObjectRequest {
    std::string bucket;
    std::string key;
    std::string body;  ///< owned: a temporary assigned here stays valid; std::move() one in to avoid a copy
    std::string content_type;  ///< empty: no Content-Type header (S3 stores binary/octet-stream)
    /// User metadata, sent as `x-amz-meta-<name>`; names are lowercased by S3.
    std::vector<std::pair<std::string, std::string>> metadata;
};

/// PutObject output.
struct PutObjectResult {
    std::string etag;  ///< with its quotes, as S3 sends it
    std::optional<std::string> version_id;
};

/// HeadObject output: the object's headers.
struct HeadObjectResult {
    std::uint64_t content_length = 0;
    std::string content_type;
    std::string etag;
    std::optional<Timestamp> last_modified;
    /// `x-amz-meta-*` headers, the prefix removed, in the order received.
    std::vector<std::pair<std::string, std::string>> metadata;
};

/// GetObject output: the headers and the whole body.
struct GetObjectResult : HeadObjectResult {
    std::string body;
};

/// One entry of ListObjectsV2 Contents (botocore shape Object).
struct S3Object {
    std::string key;
    std::uint64_t size = 0;
    std::string etag;
    std::optional<Timestamp> last_modified;
    std::string storage_class;
};

/// ListObjectsV2 input.
struct ListObjectsV2Request {
    std::string bucket;
    std::string prefix;
    std::optional<std::string> delimiter;
    std::optional<int> max_keys;  ///< 1..1000; unset: S3's default (1000)
    std::optional<std::string> continuation_token;
    std::optional<std::string> start_after;
};

/// ListObjectsV2 output, keys decoded.
struct ListObjectsV2Result {
    std::vector<S3Object> contents;
    std::vector<std::string> common_prefixes;
    bool is_truncated = false;
    std::optional<std::string> next_continuation_token;
    int key_count = 0;
};

/// One failed key of DeleteObjects (botocore shape Error).
struct DeletedObjectError {
    std::string key;
    std::string code;
    std::string message;
};

/// DeleteObjects output.
struct DeleteObjectsResult {
    std::vector<std::string> deleted;
    std::vector<DeletedObjectError> errors;
};

}  // namespace kinesis

#endif  // KINESIS_S3_MODEL_HPP
