// SPDX-License-Identifier: Apache-2.0
// Definitions for sts.hpp.
#ifndef KINESIS_IMPL_STS_IPP
#define KINESIS_IMPL_STS_IPP

#include <kinesis/sts.hpp>

#include <kinesis/detail/protocol.hpp>
#include <kinesis/detail/xml.hpp>

namespace kinesis {

namespace sts_impl {
inline constexpr std::string_view api_version = "2011-06-15";
inline constexpr detail::ServiceInfo service{"sts", "STS", "sts"};

inline Error parse_failure(std::string_view what, const HttpResponse& response) {
    Error error;
    error.kind = ErrorKind::Parse;
    error.http_status = response.status;
    error.message = std::string(what);
    error.request_id = std::string(response.header("x-amzn-RequestId"));
    return error;
}
}  // namespace sts_impl

KINESIS_DECL StsClient::StsClient(const ClientConfig& config)
    : client_(std::make_unique<detail::ServiceClient>(config, sts_impl::service)) {}

KINESIS_DECL StsClient::~StsClient() = default;
KINESIS_DECL StsClient::StsClient(StsClient&&) noexcept = default;
KINESIS_DECL StsClient& StsClient::operator=(StsClient&&) noexcept = default;

KINESIS_DECL const std::string& StsClient::region() const noexcept { return client_->region(); }
KINESIS_DECL const std::string& StsClient::endpoint() const noexcept { return client_->endpoint(); }

KINESIS_DECL Result<GetCallerIdentityResult> StsClient::get_caller_identity() {
    auto response = client_->call_query("GetCallerIdentity", sts_impl::api_version);
    if (!response) return std::move(response).error();
    // <GetCallerIdentityResponse><GetCallerIdentityResult><Arn/><UserId/><Account/>...
    auto root = detail::parse_xml(response->body);
    if (!root) {
        auto error = std::move(root).error();
        error.http_status = response->status;
        error.message = "GetCallerIdentity response: " + error.message;
        return error;
    }
    const auto* result = root->find_child("GetCallerIdentityResult");
    if (root->name() != "GetCallerIdentityResponse" || result == nullptr) {
        return sts_impl::parse_failure("GetCallerIdentity response has no GetCallerIdentityResult", *response);
    }
    GetCallerIdentityResult out;
    out.user_id = std::string(result->child_text("UserId"));
    out.account = std::string(result->child_text("Account"));
    out.arn = std::string(result->child_text("Arn"));
    if (out.account.empty() || out.arn.empty()) {
        return sts_impl::parse_failure("GetCallerIdentity response lacks Account or Arn", *response);
    }
    return out;
}

}  // namespace kinesis

#endif  // KINESIS_IMPL_STS_IPP
