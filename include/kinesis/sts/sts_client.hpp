// SPDX-License-Identifier: Apache-2.0
// AWS Security Token Service client (Query protocol, XML answers).
#ifndef KINESIS_STS_STS_CLIENT_HPP
#define KINESIS_STS_STS_CLIENT_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/auth/credentials.hpp>
#include <kinesis/core/error.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

namespace kinesis {

namespace detail {
class ServiceClient;
}  // namespace detail

/// STS GetCallerIdentity output (botocore shape GetCallerIdentityResponse).
struct GetCallerIdentityResult {
    std::string user_id;  ///< UserId: "AIDA..." for a user, "AROA...:session" for a role
    std::string account;  ///< Account: the 12-digit account id
    std::string arn;      ///< Arn of the calling principal
};

/// STS AssumeRole input (botocore shape AssumeRoleRequest).
struct AssumeRoleRequest {
    std::string role_arn;                        ///< RoleArn: 20-2048 characters
    std::string role_session_name;               ///< RoleSessionName: 2-64 of [\w+=,.@-]
    std::optional<std::chrono::seconds> duration;  ///< DurationSeconds: 900-43200; unset: 3600
    std::optional<std::string> external_id;      ///< ExternalId: 2-1224 of [\w+=,.@:/-]
    std::optional<std::string> policy;           ///< Policy: a session policy (JSON), not empty
};

/// STS AssumeRole output.
struct AssumeRoleResult {
    Credentials credentials;        ///< temporary; expiration set, provider_name "AssumeRole"
    std::string assumed_role_arn;   ///< AssumedRoleUser/Arn: arn:aws:sts::<account>:assumed-role/<role>/<session>
    std::string assumed_role_id;    ///< AssumedRoleUser/AssumedRoleId: "AROA...:<session>"
};

/// Calls STS (`sts.<region>.amazonaws.com`, or AWS_ENDPOINT_URL_STS /
/// AWS_ENDPOINT_URL / the profile's endpoint). Movable, not copyable; one
/// thread at a time.
class StsClient {
public:
    /// Resolves region and endpoint now and throws kinesis::Exception when
    /// either is missing; credentials are fetched at the first call.
    KINESIS_DECL explicit StsClient(const ClientConfig& config = {});
    KINESIS_DECL ~StsClient();
    KINESIS_DECL StsClient(StsClient&&) noexcept;
    KINESIS_DECL StsClient& operator=(StsClient&&) noexcept;
    StsClient(const StsClient&) = delete;
    StsClient& operator=(const StsClient&) = delete;

    /// Who the credentials belong to. Needs no permission.
    [[nodiscard]] KINESIS_DECL Result<GetCallerIdentityResult> get_caller_identity();
    /// Temporary credentials for a role. Input is checked before sending; the
    /// secret and token never appear in errors or logs.
    [[nodiscard]] KINESIS_DECL Result<AssumeRoleResult> assume_role(const AssumeRoleRequest& request);

    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;

private:
    std::unique_ptr<detail::ServiceClient> client_;
};

/// Credentials of a role, assumed with credentials from `source` through
/// STS (`sts` configures that client: region, endpoint, timeouts, log hook;
/// its `credentials` field is replaced by `source`, an empty region means
/// us-east-1). Cached, and assumed again `refresh.refresh_before` ahead of
/// their expiration. Declared here rather than in credentials.hpp: it needs
/// StsClient, which sits above the credentials layer. Thread-safe.
class AssumeRoleCredentialsProvider final : public RefreshingCredentialsProvider {
public:
    /// Throws kinesis::Exception when `source` is null; nothing is sent before credentials().
    KINESIS_DECL AssumeRoleCredentialsProvider(std::shared_ptr<CredentialsProvider> source, AssumeRoleRequest request,
                                               ClientConfig sts = {}, RefreshOptions refresh = {});
    KINESIS_DECL ~AssumeRoleCredentialsProvider() override;
    [[nodiscard]] std::string_view name() const noexcept override { return "AssumeRole"; }
    [[nodiscard]] const AssumeRoleRequest& request() const noexcept { return request_; }

protected:
    [[nodiscard]] KINESIS_DECL Result<Credentials> fetch() override;

private:
    std::shared_ptr<CredentialsProvider> source_;
    AssumeRoleRequest request_;
    ClientConfig sts_config_;
    std::unique_ptr<StsClient> sts_;  ///< made at the first fetch
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/sts/impl/sts_client.inl.hpp>
#endif

#endif  // KINESIS_STS_STS_CLIENT_HPP
