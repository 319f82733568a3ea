// SPDX-License-Identifier: Apache-2.0
// Amazon S3 client (REST-XML): buckets and whole-object put/get/head/list/delete.
#ifndef KINESIS_S3_S3_CLIENT_HPP
#define KINESIS_S3_S3_CLIENT_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/s3/model.hpp>

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

#ifdef KINESIS_IMPLEMENT
#include <kinesis/s3/impl/s3_client.inl.hpp>
#endif

#endif  // KINESIS_S3_S3_CLIENT_HPP
