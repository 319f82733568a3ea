// SPDX-License-Identifier: Apache-2.0
// Amazon S3 client (REST-XML): buckets and whole-object put/get/head/list/delete.
#ifndef KINESIS_S3_HPP
#define KINESIS_S3_HPP

#include <kinesis/config.hpp>
#include <kinesis/config_macros.hpp>
#include <kinesis/error.hpp>
#include <kinesis/types.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinesis {

namespace detail {
class ServiceClient;
struct RestRequest;
}  // namespace detail

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
    std::string_view body;  ///< borrowed for the call
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

/// Calls S3 (`s3.<region>.amazonaws.com`, or AWS_ENDPOINT_URL_S3 /
/// AWS_ENDPOINT_URL / the profile's endpoint). Bucket names and keys are
/// checked before sending. Movable, not copyable; one thread at a time.
class S3Client {
public:
    /// Resolves region and endpoint now and throws kinesis::Exception when
    /// either is missing; credentials are fetched at the first call.
    KINESIS_DECL explicit S3Client(const ClientConfig& config = {}, S3Options options = {});
    KINESIS_DECL ~S3Client();
    KINESIS_DECL S3Client(S3Client&&) noexcept;
    KINESIS_DECL S3Client& operator=(S3Client&&) noexcept;
    S3Client(const S3Client&) = delete;
    S3Client& operator=(const S3Client&) = delete;

    /// Creates a bucket, with a LocationConstraint outside us-east-1.
    [[nodiscard]] KINESIS_DECL Result<void> create_bucket(const CreateBucketRequest& request);
    /// Succeeds when the bucket exists and is ours to use; 404 is code "NotFound".
    [[nodiscard]] KINESIS_DECL Result<void> head_bucket(const std::string& bucket);
    /// head_bucket() with 404 as false; every other error (403 too) stays an error.
    [[nodiscard]] KINESIS_DECL Result<bool> bucket_exists(const std::string& bucket);
    /// Every bucket of the account.
    [[nodiscard]] KINESIS_DECL Result<std::vector<BucketSummary>> list_buckets();
    /// Deletes an empty bucket.
    [[nodiscard]] KINESIS_DECL Result<void> delete_bucket(const std::string& bucket);

    /// Stores a whole object in one request.
    [[nodiscard]] KINESIS_DECL Result<PutObjectResult> put_object(const PutObjectRequest& request);
    /// Reads a whole object; a missing key is code "NoSuchKey".
    [[nodiscard]] KINESIS_DECL Result<GetObjectResult> get_object(const std::string& bucket, const std::string& key);
    /// An object's headers; a missing key is code "NotFound" (HEAD answers have no body).
    [[nodiscard]] KINESIS_DECL Result<HeadObjectResult> head_object(const std::string& bucket,
                                                                    const std::string& key);
    /// One page of keys, asked for URL-encoded and decoded here.
    [[nodiscard]] KINESIS_DECL Result<ListObjectsV2Result> list_objects_v2(const ListObjectsV2Request& request);
    /// Every key under `prefix`, following continuation tokens.
    [[nodiscard]] KINESIS_DECL Result<std::vector<S3Object>> list_all_objects(const std::string& bucket,
                                                                              const std::string& prefix = "");
    /// Deletes one key; deleting a missing key succeeds, as in S3.
    [[nodiscard]] KINESIS_DECL Result<void> delete_object(const std::string& bucket, const std::string& key);
    /// Deletes 1..1000 keys in one request; per-key failures are in `errors`.
    [[nodiscard]] KINESIS_DECL Result<DeleteObjectsResult> delete_objects(const std::string& bucket,
                                                                          const std::vector<std::string>& keys);
    /// Deletes every object, a page of up to 1000 at a time; any per-key failure is an error.
    [[nodiscard]] KINESIS_DECL Result<void> empty_bucket(const std::string& bucket);

    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;

private:
    /// A signed-as-S3 request on `bucket` (and `key`) with the addressing style resolved.
    KINESIS_DECL detail::RestRequest s3_request(std::string method, std::string_view bucket,
                                                std::string_view key) const;

    std::unique_ptr<detail::ServiceClient> client_;
    S3Options options_;
    std::string endpoint_host_;  ///< host[:port] of the endpoint, for virtual-hosted requests
    bool aws_endpoint_ = false;  ///< whether Auto means virtual-hosted
};

}  // namespace kinesis

#ifdef KINESIS_HEADER_ONLY
#include <kinesis/impl/s3.ipp>
#endif

#endif  // KINESIS_S3_HPP
