// SPDX-License-Identifier: Apache-2.0
// Definitions for iam/iam_client.hpp.
#ifndef KINESIS_IAM_IMPL_IAM_CLIENT_INL_HPP
#define KINESIS_IAM_IMPL_IAM_CLIENT_INL_HPP

#include <kinesis/iam/iam_client.hpp>

#include <kinesis/core/detail/json_writer.hpp>
#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/core/detail/time.hpp>
#include <kinesis/core/detail/uri.hpp>
#include <kinesis/core/detail/xml.hpp>

#include <fmt/core.h>

#include <cctype>

namespace kinesis {

namespace detail::iam_impl {

inline constexpr std::string_view api_version = "2010-05-08";
inline constexpr detail::ServiceInfo service{"iam", "IAM", "iam"};
inline constexpr std::size_t max_document = 131072;

using Params = std::vector<std::pair<std::string, std::string>>;

// IAM has one endpoint per partition, signed for that partition's first region.
inline ClientConfig global_config(const ClientConfig& config) {
    ClientConfig out = config;
    auto region = resolve_region(config);
    const bool china = region && region->rfind("cn-", 0) == 0;
    out.region = china ? "cn-north-1" : "us-east-1";
    auto endpoint = resolve_endpoint(config, service.endpoint_prefix, service.env_name, out.region);
    if (!endpoint) throw Exception(std::move(endpoint).error());
    // resolve_endpoint builds the regional form when nothing is configured;
    // IAM has no regional endpoint in the aws partition.
    if (*endpoint == "https://iam.us-east-1.amazonaws.com") *endpoint = "https://iam.amazonaws.com";
    out.endpoint = std::move(*endpoint);
    return out;
}

inline bool is_name_char(char c) noexcept {
    const auto u = static_cast<unsigned char>(c);
    return std::isalnum(u) != 0 || c == '_' || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' ||
           c == '-';
}

// Role and user names: [\w+=,.@-]{1,64}.
inline std::optional<Error> check_name(std::string_view op, std::string_view field, std::string_view name,
                                       std::size_t limit = 64) {
    if (name.empty() || name.size() > limit) {
        return invalid_argument(fmt::format("{}: {} has {} characters; the limit is 1 to {}", op, field,
                                            name.size(), limit));
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (!is_name_char(name[i])) {
            return invalid_argument(fmt::format(
                "{}: {} has a character outside [A-Za-z0-9_+=,.@-] at position {}", op, field, i));
        }
    }
    return std::nullopt;
}

inline std::optional<Error> check_document(std::string_view op, std::string_view field, std::string_view document) {
    if (document.empty() || document.size() > max_document) {
        return invalid_argument(fmt::format("{}: {} has {} characters; the limit is 1 to {}", op, field,
                                            document.size(), max_document));
    }
    return std::nullopt;
}

inline Error parse_failure(std::string message, const HttpResponse& response) {
    Error error;
    error.kind = ErrorKind::Parse;
    error.http_status = response.status;
    error.message = std::move(message);
    error.request_id = request_id_of(response);
    return error;
}

// <ActionResponse><ActionResult>...</ActionResult><ResponseMetadata/></ActionResponse>
inline Result<detail::XmlElement> result_element(std::string_view action, const HttpResponse& response) {
    auto root = detail::parse_xml(response.body);
    if (!root) {
        auto error = std::move(root).error();
        error.http_status = response.status;
        error.message = fmt::format("{} response: {}", action, error.message);
        return error;
    }
    const auto* result = root->find_child(fmt::format("{}Result", action));
    if (root->name() != fmt::format("{}Response", action) || result == nullptr) {
        return parse_failure(fmt::format("{} response has no {}Result", action, action), response);
    }
    return *result;
}

// Real IAM sends policy documents URL-encoded (RFC 3986); moto sends them
// as they were given. JSON text starts with '{' after blanks.
inline std::string policy_text(std::string_view text) {
    std::size_t first = 0;
    while (first < text.size() && std::isspace(static_cast<unsigned char>(text[first])) != 0) ++first;
    if (first < text.size() && text[first] == '{') return std::string(text);
    auto decoded = detail::uri_decode(text);
    return decoded ? std::move(*decoded) : std::string(text);
}

inline IamRole read_role(const detail::XmlElement& role) {
    IamRole out;
    out.role_name = std::string(role.child_text("RoleName"));
    out.role_id = std::string(role.child_text("RoleId"));
    out.arn = std::string(role.child_text("Arn"));
    out.path = std::string(role.child_text("Path"));
    if (auto created = detail::parse_iso8601(role.child_text("CreateDate"))) out.create_date = *created;
    out.assume_role_policy_document = policy_text(role.child_text("AssumeRolePolicyDocument"));
    return out;
}

inline Result<IamRole> role_result(std::string_view action, const HttpResponse& response) {
    auto result = result_element(action, response);
    if (!result) return std::move(result).error();
    const auto* role = result->find_child("Role");
    if (role == nullptr) return parse_failure(fmt::format("{} response has no Role", action), response);
    auto out = read_role(*role);
    if (out.arn.empty()) return parse_failure(fmt::format("{} response: Role has no Arn", action), response);
    return out;
}

inline void statement(detail::JsonWriter& json, const std::vector<std::string_view>& actions,
                      const std::vector<std::string>& resources) {
    json.begin_object().member("Effect", "Allow").key("Action").begin_array();
    for (auto action : actions) json.string(action);
    json.end_array().key("Resource").begin_array();
    for (const auto& resource : resources) json.string(resource);
    json.end_array().end_object();
}

}  // namespace detail::iam_impl

KINESIS_DECL IamClient::IamClient(const ClientConfig& config)
    : client_(std::make_unique<detail::ServiceClient>(detail::iam_impl::global_config(config), detail::iam_impl::service)) {}

KINESIS_DECL IamClient::~IamClient() = default;
KINESIS_DECL IamClient::IamClient(IamClient&&) noexcept = default;
KINESIS_DECL IamClient& IamClient::operator=(IamClient&&) noexcept = default;

KINESIS_DECL const std::string& IamClient::region() const noexcept { return client_->region(); }
KINESIS_DECL const std::string& IamClient::endpoint() const noexcept { return client_->endpoint(); }

KINESIS_DECL Result<IamRole> IamClient::create_role(const CreateRoleRequest& request) {
    if (auto bad = detail::iam_impl::check_name("create_role", "role_name", request.role_name)) return *bad;
    if (auto bad = detail::iam_impl::check_document("create_role", "assume_role_policy_document",
                                            request.assume_role_policy_document)) {
        return *bad;
    }
    if (request.path.empty() || request.path.size() > 512 || request.path.front() != '/' ||
        request.path.back() != '/') {
        return invalid_argument(fmt::format(
            "create_role: path has {} characters; it must be 1 to 512 and start and end with '/'",
            request.path.size()));
    }
    if (request.description && request.description->size() > 1000) {
        return invalid_argument(fmt::format("create_role: description has {} characters; the limit is 1000",
                                            request.description->size()));
    }
    detail::iam_impl::Params params{{"RoleName", request.role_name},
                            {"AssumeRolePolicyDocument", request.assume_role_policy_document},
                            {"Path", request.path}};
    if (request.description) params.emplace_back("Description", *request.description);
    auto response = client_->call_query("CreateRole", detail::iam_impl::api_version, params);
    if (!response) return std::move(response).error();
    return detail::iam_impl::role_result("CreateRole", *response);
}

KINESIS_DECL Result<IamRole> IamClient::get_role(const std::string& name) {
    if (auto bad = detail::iam_impl::check_name("get_role", "name", name)) return *bad;
    auto response = client_->call_query("GetRole", detail::iam_impl::api_version, {{"RoleName", name}});
    if (!response) return std::move(response).error();
    return detail::iam_impl::role_result("GetRole", *response);
}

KINESIS_DECL Result<bool> IamClient::role_exists(const std::string& name) {
    if (auto bad = detail::iam_impl::check_name("role_exists", "name", name)) return *bad;
    auto role = get_role(name);
    if (role) return true;
    if (role.error().code == "NoSuchEntity") return false;
    return std::move(role).error();
}

KINESIS_DECL Result<void> IamClient::delete_role(const std::string& name) {
    if (auto bad = detail::iam_impl::check_name("delete_role", "name", name)) return *bad;
    auto response = client_->call_query("DeleteRole", detail::iam_impl::api_version, {{"RoleName", name}});
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<void> IamClient::put_role_policy(const std::string& role, const std::string& policy_name,
                                                     const std::string& document) {
    if (auto bad = detail::iam_impl::check_name("put_role_policy", "role", role)) return *bad;
    if (auto bad = detail::iam_impl::check_name("put_role_policy", "policy_name", policy_name, 128)) return *bad;
    if (auto bad = detail::iam_impl::check_document("put_role_policy", "document", document)) return *bad;
    auto response = client_->call_query(
        "PutRolePolicy", detail::iam_impl::api_version,
        {{"RoleName", role}, {"PolicyName", policy_name}, {"PolicyDocument", document}});
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<void> IamClient::delete_role_policy(const std::string& role, const std::string& policy_name) {
    if (auto bad = detail::iam_impl::check_name("delete_role_policy", "role", role)) return *bad;
    if (auto bad = detail::iam_impl::check_name("delete_role_policy", "policy_name", policy_name, 128)) return *bad;
    auto response = client_->call_query("DeleteRolePolicy", detail::iam_impl::api_version,
                                        {{"RoleName", role}, {"PolicyName", policy_name}});
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<std::vector<std::string>> IamClient::list_role_policies(const std::string& role) {
    if (auto bad = detail::iam_impl::check_name("list_role_policies", "role", role)) return *bad;
    std::vector<std::string> names;
    std::string marker;
    do {
        detail::iam_impl::Params params{{"RoleName", role}};
        if (!marker.empty()) params.emplace_back("Marker", marker);
        auto response = client_->call_query("ListRolePolicies", detail::iam_impl::api_version, params);
        if (!response) return std::move(response).error();
        auto result = detail::iam_impl::result_element("ListRolePolicies", *response);
        if (!result) return std::move(result).error();
        if (const auto* list = result->find_child("PolicyNames")) {
            for (const auto* member : list->children("member")) names.emplace_back(member->text());
        }
        const bool truncated = result->child_text("IsTruncated") == "true";
        std::string next(result->child_text("Marker"));
        if (truncated && (next.empty() || next == marker)) {
            return detail::iam_impl::parse_failure("ListRolePolicies response is truncated but has no new Marker",
                                           *response);
        }
        marker = truncated ? std::move(next) : std::string();
    } while (!marker.empty());
    return names;
}

KINESIS_DECL Result<IamUser> IamClient::create_user(const std::string& name) {
    if (auto bad = detail::iam_impl::check_name("create_user", "name", name)) return *bad;
    auto response = client_->call_query("CreateUser", detail::iam_impl::api_version, {{"UserName", name}});
    if (!response) return std::move(response).error();
    auto result = detail::iam_impl::result_element("CreateUser", *response);
    if (!result) return std::move(result).error();
    const auto* user = result->find_child("User");
    if (user == nullptr) return detail::iam_impl::parse_failure("CreateUser response has no User", *response);
    IamUser out;
    out.user_name = std::string(user->child_text("UserName"));
    out.user_id = std::string(user->child_text("UserId"));
    out.arn = std::string(user->child_text("Arn"));
    if (out.arn.empty()) return detail::iam_impl::parse_failure("CreateUser response: User has no Arn", *response);
    return out;
}

KINESIS_DECL Result<void> IamClient::delete_user(const std::string& name) {
    if (auto bad = detail::iam_impl::check_name("delete_user", "name", name)) return *bad;
    auto response = client_->call_query("DeleteUser", detail::iam_impl::api_version, {{"UserName", name}});
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<void> IamClient::put_user_policy(const std::string& user, const std::string& policy_name,
                                                     const std::string& document) {
    if (auto bad = detail::iam_impl::check_name("put_user_policy", "user", user)) return *bad;
    if (auto bad = detail::iam_impl::check_name("put_user_policy", "policy_name", policy_name, 128)) return *bad;
    if (auto bad = detail::iam_impl::check_document("put_user_policy", "document", document)) return *bad;
    auto response = client_->call_query(
        "PutUserPolicy", detail::iam_impl::api_version,
        {{"UserName", user}, {"PolicyName", policy_name}, {"PolicyDocument", document}});
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<void> IamClient::delete_user_policy(const std::string& user, const std::string& policy_name) {
    if (auto bad = detail::iam_impl::check_name("delete_user_policy", "user", user)) return *bad;
    if (auto bad = detail::iam_impl::check_name("delete_user_policy", "policy_name", policy_name, 128)) return *bad;
    auto response = client_->call_query("DeleteUserPolicy", detail::iam_impl::api_version,
                                        {{"UserName", user}, {"PolicyName", policy_name}});
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL Result<AccessKey> IamClient::create_access_key(const std::string& user) {
    if (auto bad = detail::iam_impl::check_name("create_access_key", "user", user)) return *bad;
    auto response = client_->call_query("CreateAccessKey", detail::iam_impl::api_version, {{"UserName", user}});
    if (!response) return std::move(response).error();
    auto result = detail::iam_impl::result_element("CreateAccessKey", *response);
    // The body holds the new secret: wipe it whatever happens next.
    detail::secure_wipe(response->body.data(), response->body.size());
    if (!result) return std::move(result).error();
    const auto* key = result->find_child("AccessKey");
    AccessKey out;
    if (key != nullptr) {
        out.user_name = std::string(key->child_text("UserName"));
        out.access_key_id = std::string(key->child_text("AccessKeyId"));
        out.secret_access_key = SecretString(std::string(key->child_text("SecretAccessKey")));
    }
    if (out.access_key_id.empty() || out.secret_access_key.empty()) {
        return detail::iam_impl::parse_failure("CreateAccessKey response lacks AccessKeyId or SecretAccessKey", *response);
    }
    return out;
}

KINESIS_DECL Result<void> IamClient::delete_access_key(const std::string& user, const std::string& access_key_id) {
    if (auto bad = detail::iam_impl::check_name("delete_access_key", "user", user)) return *bad;
    if (access_key_id.size() < 16 || access_key_id.size() > 128) {
        return invalid_argument(fmt::format("delete_access_key: access_key_id has {} characters; the limit is 16 to 128",
                                            access_key_id.size()));
    }
    auto response = client_->call_query("DeleteAccessKey", detail::iam_impl::api_version,
                                        {{"UserName", user}, {"AccessKeyId", access_key_id}});
    if (!response) return std::move(response).error();
    return {};
}

KINESIS_DECL std::string service_trust_policy(std::string_view service_principal) {
    std::string out;
    detail::JsonWriter json(out);
    json.begin_object().member("Version", "2012-10-17").key("Statement").begin_array();
    json.begin_object().member("Effect", "Allow").key("Principal").begin_object().member("Service", service_principal);
    json.end_object().member("Action", "sts:AssumeRole").end_object();
    json.end_array().end_object();
    return out;
}

KINESIS_DECL std::string firehose_delivery_policy(const std::vector<std::string>& stream_arns,
                                                  const std::vector<std::string>& bucket_arns) {
    std::string out;
    detail::JsonWriter json(out);
    json.begin_object().member("Version", "2012-10-17").key("Statement").begin_array();
    if (!stream_arns.empty()) {
        detail::iam_impl::statement(json,
                            {"kinesis:DescribeStream", "kinesis:GetShardIterator", "kinesis:GetRecords",
                             "kinesis:ListShards"},
                            stream_arns);
    }
    if (!bucket_arns.empty()) {
        std::vector<std::string> resources;
        resources.reserve(bucket_arns.size() * 2);
        for (const auto& bucket : bucket_arns) {
            resources.push_back(bucket);
            resources.push_back(bucket + "/*");
        }
        detail::iam_impl::statement(json,
                            {"s3:AbortMultipartUpload", "s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket",
                             "s3:ListBucketMultipartUploads", "s3:PutObject"},
                            resources);
    }
    json.end_array().end_object();
    return out;
}

}  // namespace kinesis

#endif  // KINESIS_IAM_IMPL_IAM_CLIENT_INL_HPP
