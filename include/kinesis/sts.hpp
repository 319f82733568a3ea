// SPDX-License-Identifier: Apache-2.0
// AWS Security Token Service client (Query protocol, XML answers).
#ifndef KINESIS_STS_HPP
#define KINESIS_STS_HPP

#include <kinesis/config.hpp>
#include <kinesis/config_macros.hpp>
#include <kinesis/error.hpp>

#include <memory>
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

    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;

private:
    std::unique_ptr<detail::ServiceClient> client_;
};

}  // namespace kinesis

#ifdef KINESIS_HEADER_ONLY
#include <kinesis/impl/sts.ipp>
#endif

#endif  // KINESIS_STS_HPP
