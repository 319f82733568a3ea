// SPDX-License-Identifier: Apache-2.0
// AWS Identity and Access Management client (Query protocol, XML answers): roles, users, inline policies.
#ifndef KINESIS_IAM_IAM_CLIENT_HPP
#define KINESIS_IAM_IAM_CLIENT_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/auth/credentials.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/time.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

namespace detail {
class ServiceClient;
}  // namespace detail

/// An IAM role (botocore shape Role).
struct IamRole {
    std::string role_name;
    std::string role_id;
    std::string arn;
    std::string path;
    std::optional<Timestamp> create_date;
    /// The trust policy as JSON text (AWS sends it URL-encoded; it is decoded here).
    std::string assume_role_policy_document;
};

/// CreateRole input. Names: 1-64 of [\w+=,.@-]; the document at most 131072 characters.
struct CreateRoleRequest {
    std::string role_name;
    std::string assume_role_policy_document;
    std::string path = "/";
    std::optional<std::string> description;
};

/// An IAM user (botocore shape User).
struct IamUser {
    std::string user_name;
    std::string user_id;
    std::string arn;
};

/// A new access key: the secret is returned only once, by CreateAccessKey.
struct AccessKey {
    std::string user_name;
    std::string access_key_id;
    SecretString secret_access_key;
};

/// Calls IAM. IAM is global: https://iam.amazonaws.com for the aws partition
/// (iam.cn-north-1.amazonaws.com.cn for aws-cn), signed for us-east-1
/// (cn-north-1), unless config.endpoint / AWS_ENDPOINT_URL_IAM /
/// AWS_ENDPOINT_URL / the profile names another endpoint. Input is checked
/// before sending: role and user names 1-64 of [\w+=,.@-], policy names
/// 1-128, policy documents 1-131072 characters.
/// Movable, not copyable; one thread at a time.
class IamClient {
public:
    /// Resolves the endpoint now and throws kinesis::Exception on a bad
    /// configuration; credentials are fetched at the first call.
    KINESIS_DECL explicit IamClient(const ClientConfig& config = {});
    KINESIS_DECL ~IamClient();
    KINESIS_DECL IamClient(IamClient&&) noexcept;
    KINESIS_DECL IamClient& operator=(IamClient&&) noexcept;
    IamClient(const IamClient&) = delete;
    IamClient& operator=(const IamClient&) = delete;

    /// Creates a role with a trust policy; fails with EntityAlreadyExists if the name is taken.
    [[nodiscard]] KINESIS_DECL Result<IamRole> create_role(const CreateRoleRequest& request);
    /// A role by name; NoSuchEntity (HTTP 404) if there is none.
    [[nodiscard]] KINESIS_DECL Result<IamRole> get_role(const std::string& name);
    /// get_role, with NoSuchEntity mapped to false.
    [[nodiscard]] KINESIS_DECL Result<bool> role_exists(const std::string& name);
    /// Deletes a role; its inline policies must be deleted first (DeleteConflict otherwise).
    [[nodiscard]] KINESIS_DECL Result<void> delete_role(const std::string& name);

    /// Adds or replaces an inline policy of a role.
    [[nodiscard]] KINESIS_DECL Result<void> put_role_policy(const std::string& role, const std::string& policy_name,
                                                           const std::string& document);
    /// Deletes an inline policy of a role.
    [[nodiscard]] KINESIS_DECL Result<void> delete_role_policy(const std::string& role,
                                                              const std::string& policy_name);
    /// The names of a role's inline policies, every page.
    [[nodiscard]] KINESIS_DECL Result<std::vector<std::string>> list_role_policies(const std::string& role);

    /// Creates a user (path "/").
    [[nodiscard]] KINESIS_DECL Result<IamUser> create_user(const std::string& name);
    /// Deletes a user; its access keys and inline policies must be deleted first.
    [[nodiscard]] KINESIS_DECL Result<void> delete_user(const std::string& name);
    /// Adds or replaces an inline policy of a user.
    [[nodiscard]] KINESIS_DECL Result<void> put_user_policy(const std::string& user, const std::string& policy_name,
                                                           const std::string& document);
    /// Deletes an inline policy of a user.
    [[nodiscard]] KINESIS_DECL Result<void> delete_user_policy(const std::string& user,
                                                              const std::string& policy_name);
    /// A new access key for a user; the secret is in the result only.
    [[nodiscard]] KINESIS_DECL Result<AccessKey> create_access_key(const std::string& user);
    /// Deletes an access key of a user.
    [[nodiscard]] KINESIS_DECL Result<void> delete_access_key(const std::string& user,
                                                             const std::string& access_key_id);

    /// The region requests are signed for: us-east-1, or cn-north-1 in aws-cn.
    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;

private:
    std::unique_ptr<detail::ServiceClient> client_;
};

/// Trust policy letting a service assume a role: {"Version":"2012-10-17","Statement":[{"Effect":"Allow",
/// "Principal":{"Service":"firehose.amazonaws.com"},"Action":"sts:AssumeRole"}]}
[[nodiscard]] KINESIS_DECL std::string service_trust_policy(std::string_view service_principal = "firehose.amazonaws.com");

/// What Firehose needs to read `stream_arns` and write `bucket_arns`: kinesis:DescribeStream,
/// GetShardIterator, GetRecords, ListShards on the streams; s3:AbortMultipartUpload,
/// GetBucketLocation, GetObject, ListBucket, ListBucketMultipartUploads, PutObject on each
/// bucket and bucket/*. An empty list leaves its statement out.
[[nodiscard]] KINESIS_DECL std::string firehose_delivery_policy(const std::vector<std::string>& stream_arns,
                                                              const std::vector<std::string>& bucket_arns);

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/iam/impl/iam_client.inl.hpp>
#endif

#endif  // KINESIS_IAM_IAM_CLIENT_HPP
