// SPDX-License-Identifier: Apache-2.0
// Definitions for sts/sts_client.hpp.
#ifndef KINESIS_STS_IMPL_STS_CLIENT_INL_HPP
#define KINESIS_STS_IMPL_STS_CLIENT_INL_HPP

#include <kinesis/sts/sts_client.hpp>

#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/core/detail/time.hpp>
#include <kinesis/core/detail/xml.hpp>

#include <fmt/core.h>

#include <cctype>

namespace kinesis {

namespace detail::sts_impl {
inline constexpr std::string_view api_version = "2011-06-15";
inline constexpr detail::ServiceInfo service{"sts", "STS", "sts"};

inline Error parse_failure(std::string_view what, const HttpResponse& response) {
    Error error;
    error.kind = ErrorKind::Parse;
    error.http_status = response.status;
    error.message = std::string(what);
    error.request_id = request_id_of(response);
    return error;
}
// [\w+=,.@-] plus, for ExternalId, ':' and '/'.
inline bool is_name_char(char c, bool external_id) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' ||
           c == '-' || (external_id && (c == ':' || c == '/'));
}

inline std::optional<Error> check_chars(std::string_view field, std::string_view value, bool external_id) {
    for (std::size_t i = 0; i < value.size(); ++i) {
        if (!is_name_char(value[i], external_id)) {
            return invalid_argument(fmt::format("assume_role: {} has a character outside [A-Za-z0-9_+=,.@-{}] at "
                                                "position {}",
                                                field, external_id ? ":/" : "", i));
        }
    }
    return std::nullopt;
}

inline std::optional<Error> check(const AssumeRoleRequest& request) {
    const auto size = [](std::string_view field, std::size_t n, std::size_t min, std::size_t max) {
        return invalid_argument(
            fmt::format("assume_role: {} has {} characters; the limit is {} to {}", field, n, min, max));
    };
    if (request.role_arn.size() < 20 || request.role_arn.size() > 2048) {
        return size("role_arn", request.role_arn.size(), 20, 2048);
    }
    if (request.role_session_name.size() < 2 || request.role_session_name.size() > 64) {
        return size("role_session_name", request.role_session_name.size(), 2, 64);
    }
    if (auto bad = check_chars("role_session_name", request.role_session_name, false)) return bad;
    if (request.duration && (request.duration->count() < 900 || request.duration->count() > 43200)) {
        return invalid_argument(fmt::format("assume_role: duration is {} s; the limit is 900 to 43200 s",
                                            request.duration->count()));
    }
    if (request.external_id) {
        if (request.external_id->size() < 2 || request.external_id->size() > 1224) {
            return size("external_id", request.external_id->size(), 2, 1224);
        }
        if (auto bad = check_chars("external_id", *request.external_id, true)) return bad;
    }
    if (request.policy && request.policy->empty()) {
        return invalid_argument("assume_role: policy is empty; leave it unset or give a policy document");
    }
    return std::nullopt;
}

inline std::shared_ptr<CredentialsProvider> make_profile_role(std::shared_ptr<CredentialsProvider> source,
                                                              const detail::ProfileRole& role,
                                                              const ClientConfig& sts, const RefreshOptions& refresh) {
    AssumeRoleRequest request;
    request.role_arn = role.role_arn;
    request.role_session_name = role.role_session_name;
    request.duration = role.duration;
    request.external_id = role.external_id;
    return std::make_shared<AssumeRoleCredentialsProvider>(std::move(source), std::move(request), sts, refresh);
}

// Role profiles are resolved in auth/impl/credentials.inl.hpp, below STS: hand it the
// factory when the program starts (every TU that sees this installs the same one).
inline const bool profile_roles_installed = (detail::assume_role_factory() = &make_profile_role, true);

}  // namespace detail::sts_impl

KINESIS_DECL StsClient::StsClient(const ClientConfig& config)
    : client_(std::make_unique<detail::ServiceClient>(config, detail::sts_impl::service)) {}

KINESIS_DECL StsClient::~StsClient() = default;
KINESIS_DECL StsClient::StsClient(StsClient&&) noexcept = default;
KINESIS_DECL StsClient& StsClient::operator=(StsClient&&) noexcept = default;

KINESIS_DECL const std::string& StsClient::region() const noexcept { return client_->region(); }
KINESIS_DECL const std::string& StsClient::endpoint() const noexcept { return client_->endpoint(); }

KINESIS_DECL Result<GetCallerIdentityResult> StsClient::get_caller_identity() {
    auto response = client_->call_query("GetCallerIdentity", detail::sts_impl::api_version);
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
        return detail::sts_impl::parse_failure("GetCallerIdentity response has no GetCallerIdentityResult", *response);
    }
    GetCallerIdentityResult out;
    out.user_id = std::string(result->child_text("UserId"));
    out.account = std::string(result->child_text("Account"));
    out.arn = std::string(result->child_text("Arn"));
    if (out.account.empty() || out.arn.empty()) {
        return detail::sts_impl::parse_failure("GetCallerIdentity response lacks Account or Arn", *response);
    }
    return out;
}

KINESIS_DECL Result<AssumeRoleResult> StsClient::assume_role(const AssumeRoleRequest& request) {
    if (auto bad = detail::sts_impl::check(request)) return *bad;
    std::vector<std::pair<std::string, std::string>> params{{"RoleArn", request.role_arn},
                                                            {"RoleSessionName", request.role_session_name}};
    if (request.duration) params.emplace_back("DurationSeconds", std::to_string(request.duration->count()));
    if (request.external_id) params.emplace_back("ExternalId", *request.external_id);
    if (request.policy) params.emplace_back("Policy", *request.policy);
    auto response = client_->call_query("AssumeRole", detail::sts_impl::api_version, params);
    if (!response) return std::move(response).error();

    // <AssumeRoleResponse><AssumeRoleResult><Credentials>..</Credentials><AssumedRoleUser>..
    auto root = detail::parse_xml(response->body);
    // The body holds the new secret and token: wipe it whatever happens next.
    detail::secure_wipe(response->body.data(), response->body.size());
    if (!root) {
        auto error = std::move(root).error();
        error.http_status = response->status;
        error.message = "AssumeRole response: " + error.message;
        return error;
    }
    const auto* result = root->find_child("AssumeRoleResult");
    const auto* credentials = result != nullptr ? result->find_child("Credentials") : nullptr;
    if (root->name() != "AssumeRoleResponse" || credentials == nullptr) {
        return detail::sts_impl::parse_failure("AssumeRole response has no AssumeRoleResult/Credentials", *response);
    }
    AssumeRoleResult out;
    out.credentials.access_key_id = std::string(credentials->child_text("AccessKeyId"));
    out.credentials.secret_access_key = SecretString(std::string(credentials->child_text("SecretAccessKey")));
    out.credentials.session_token = SecretString(std::string(credentials->child_text("SessionToken")));
    out.credentials.provider_name = "AssumeRole";
    if (out.credentials.empty() || out.credentials.session_token.empty()) {
        return detail::sts_impl::parse_failure("AssumeRole response lacks AccessKeyId, SecretAccessKey or SessionToken",
                                       *response);
    }
    const auto expiration = credentials->child_text("Expiration");
    auto when = detail::parse_iso8601(expiration);
    if (!when) {
        return detail::sts_impl::parse_failure(
            fmt::format("AssumeRole response: Expiration \"{}\" is not an ISO-8601 time", expiration), *response);
    }
    out.credentials.expiration = *when;
    if (const auto* user = result->find_child("AssumedRoleUser")) {
        out.assumed_role_arn = std::string(user->child_text("Arn"));
        out.assumed_role_id = std::string(user->child_text("AssumedRoleId"));
    }
    return out;
}

// ---------------------------------------------------------------- AssumeRoleCredentialsProvider

KINESIS_DECL AssumeRoleCredentialsProvider::AssumeRoleCredentialsProvider(std::shared_ptr<CredentialsProvider> source,
                                                                          AssumeRoleRequest request, ClientConfig sts,
                                                                          RefreshOptions refresh)
    : RefreshingCredentialsProvider(std::move(refresh)),
      source_(std::move(source)),
      request_(std::move(request)),
      sts_config_(std::move(sts)) {
    if (!source_) throw Exception(invalid_argument("AssumeRoleCredentialsProvider: source provider is null"));
    sts_config_.credentials = source_;
}

KINESIS_DECL AssumeRoleCredentialsProvider::~AssumeRoleCredentialsProvider() = default;

KINESIS_DECL Result<Credentials> AssumeRoleCredentialsProvider::fetch() {
    const auto failed = [this](Error error) {
        error.kind = ErrorKind::Credentials;
        error.message = fmt::format("assume role {}: {}", request_.role_arn, error.message);
        return error;
    };
    if (!sts_) {
        ClientConfig config = sts_config_;
        // STS has a global endpoint (us-east-1): no region is needed to reach it.
        if (config.region.empty() && !resolve_region(config)) config.region = "us-east-1";
        try {
            sts_ = std::make_unique<StsClient>(config);
        } catch (const Exception& e) {
            return failed(e.error());
        }
    }
    auto result = sts_->assume_role(request_);
    if (!result) return failed(std::move(result).error());
    return std::move(result->credentials);
}

}  // namespace kinesis

#endif  // KINESIS_STS_IMPL_STS_CLIENT_INL_HPP
