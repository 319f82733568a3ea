// SPDX-License-Identifier: Apache-2.0
// Definitions for auth/credentials.hpp.
#ifndef KINESIS_AUTH_IMPL_CREDENTIALS_INL_HPP
#define KINESIS_AUTH_IMPL_CREDENTIALS_INL_HPP

#include <kinesis/auth/credentials.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/core/detail/profile.hpp>
#include <kinesis/core/detail/time.hpp>
#include <kinesis/core/detail/uri.hpp>

#include <fmt/core.h>
#include <openssl/crypto.h>

#include <cctype>
#include <fstream>
#include <sstream>

namespace kinesis::detail {

KINESIS_DECL void secure_wipe(void* data, std::size_t size) noexcept {
    OPENSSL_cleanse(data, size);
}

namespace credentials_impl {

// Messages are built from names, paths and statuses only: never from a value
// read out of the environment, a file or a response.
inline Error credentials_error(std::string message) {
    Error error;
    error.kind = ErrorKind::Credentials;
    error.message = std::move(message);
    return error;
}

inline Error as_credentials_error(Error error) {
    error.kind = ErrorKind::Credentials;
    return error;
}

inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
}

// Wipes a buffer that held secrets (a response body) before it is freed.
inline void wipe(std::string& text) noexcept {
    if (!text.empty()) secure_wipe(text.data(), text.size());
    text.clear();
}

// The JSON document that the container endpoint and IMDS both return:
// {"Code": "Success", "AccessKeyId", "SecretAccessKey", "Token", "Expiration"}.
inline Result<Credentials> parse_credentials_document(std::string& body, std::string_view source,
                                                      std::string_view provider) {
    Credentials credentials;
    credentials.provider_name = std::string(provider);
    std::string secret;
    std::string token;
    std::string expiration;
    std::string code;
    JsonParser parser;
    simdjson::error_code error = simdjson::SUCCESS;
    {
        auto document = parser.iterate(body);
        simdjson::ondemand::object object;
        error = document.get_object().get(object);
        if (!error) {
            error = for_each_field(object, [&](std::string_view key, simdjson::ondemand::value value) {
                if (key == "AccessKeyId") return read_string(value, credentials.access_key_id);
                if (key == "SecretAccessKey") return read_string(value, secret);
                if (key == "Token") return read_string(value, token);
                if (key == "Expiration") return read_string(value, expiration);
                if (key == "Code") return read_string(value, code);
                return simdjson::SUCCESS;  // unread members are skipped
            });
        }
    }
    wipe(body);
    credentials.secret_access_key = SecretString(std::move(secret));
    credentials.session_token = SecretString(std::move(token));
    wipe(secret);
    wipe(token);
    if (error) {
        return credentials_error(fmt::format("{}: the credentials document is not valid JSON ({})", source,
                                             simdjson::error_message(error)));
    }
    if (!code.empty() && code != "Success") {
        return credentials_error(fmt::format("{}: the credentials document has Code \"{}\"", source, code));
    }
    if (credentials.access_key_id.empty() || credentials.secret_access_key.empty()) {
        return credentials_error(
            fmt::format("{}: the credentials document lacks AccessKeyId or SecretAccessKey", source));
    }
    if (!expiration.empty()) {
        auto when = parse_iso8601(expiration);
        if (!when) {
            return credentials_error(
                fmt::format("{}: Expiration \"{}\" is not an ISO-8601 time", source, expiration));
        }
        credentials.expiration = *when;
    }
    return credentials;
}

// "HTTP 404 from GET http://host/path" (the request's URL has no secrets: no
// query, and tokens travel in headers).
inline Error http_status_error(const HttpRequest& request, int status) {
    return credentials_error(
        fmt::format("HTTP {} from {} {}://{}{}", status, request.method, request.scheme, request.host, request.path));
}

// Containers may use plain http only to reach a local agent.
inline bool allowed_container_host(std::string_view host_port) {
    std::string_view host = host_port;
    if (!host.empty() && host.front() == '[') {
        host = host.substr(0, host.find(']') + 1);
    } else {
        host = host.substr(0, host.find(':'));
    }
    return host == "localhost" || host.rfind("127.", 0) == 0 || host == "[::1]" || host == "169.254.170.2" ||
           host == "169.254.170.23" || host == "[fd00:ec2::23]";
}

}  // namespace credentials_impl

}  // namespace kinesis::detail

namespace kinesis {

// ---------------------------------------------------------------- Static

KINESIS_DECL StaticCredentialsProvider::StaticCredentialsProvider(Credentials credentials)
    : credentials_(std::move(credentials)) {
    if (credentials_.provider_name.empty()) credentials_.provider_name = "Static";
}

KINESIS_DECL StaticCredentialsProvider::StaticCredentialsProvider(std::string access_key_id,
                                                                  std::string secret_access_key,
                                                                  std::string session_token) {
    credentials_.access_key_id = std::move(access_key_id);
    credentials_.secret_access_key = SecretString(std::move(secret_access_key));
    credentials_.session_token = SecretString(std::move(session_token));
    credentials_.provider_name = "Static";
}

KINESIS_DECL Result<Credentials> StaticCredentialsProvider::credentials() {
    if (credentials_.empty()) {
        return detail::credentials_impl::credentials_error(
            "static credentials: access key id or secret access key is empty");
    }
    return credentials_;
}

// ---------------------------------------------------------------- Environment

KINESIS_DECL Result<Credentials> EnvironmentCredentialsProvider::credentials() {
    using detail::credentials_impl::credentials_error;
    auto key = detail::env("AWS_ACCESS_KEY_ID");
    auto secret = detail::env("AWS_SECRET_ACCESS_KEY");
    if (!key && !secret) return credentials_error("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
    if (!key) return credentials_error("AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    if (!secret) return credentials_error("AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
    Credentials credentials;
    credentials.access_key_id = std::move(*key);
    credentials.secret_access_key = SecretString(std::move(*secret));
    if (auto token = detail::env("AWS_SESSION_TOKEN")) credentials.session_token = SecretString(std::move(*token));
    credentials.provider_name = "Environment";
    return credentials;
}

// ---------------------------------------------------------------- Profile

KINESIS_DECL detail::AssumeRoleFactory& detail::assume_role_factory() noexcept {
    static AssumeRoleFactory factory = nullptr;
    return factory;
}

namespace detail::credentials_impl {

struct ProfileFiles {
    IniFile credentials;
    IniFile config;
};

// A setting of a profile: the credentials file's [name] first, then the config file's.
inline std::optional<std::string_view> profile_value(const ProfileFiles& files, std::string_view name,
                                                     std::string_view key) {
    if (const IniSection* section = find_credentials_profile(files.credentials, name)) {
        if (auto value = section->get(key)) return value;
    }
    if (const IniSection* section = find_config_profile(files.config, name)) {
        if (auto value = section->get(key)) return value;
    }
    return std::nullopt;
}

// The profile's own keys, taken together from the one file that has
// aws_access_key_id (the credentials file wins); nullopt when neither has.
inline std::optional<Result<Credentials>> static_credentials(const ProfileFiles& files, std::string_view name) {
    const IniSection* section = find_credentials_profile(files.credentials, name);
    const IniFile* file = &files.credentials;
    if (section == nullptr || !section->get("aws_access_key_id")) {
        section = find_config_profile(files.config, name);
        file = &files.config;
    }
    if (section == nullptr || !section->get("aws_access_key_id")) return std::nullopt;
    const auto key = section->get("aws_access_key_id");
    const auto secret = section->get("aws_secret_access_key");
    if (key->empty() || !secret || secret->empty()) {
        return Result<Credentials>(credentials_error(fmt::format(
            "profile \"{}\" in {} needs both aws_access_key_id and aws_secret_access_key", name, file->path)));
    }
    Credentials credentials;
    credentials.access_key_id = std::string(*key);
    credentials.secret_access_key = SecretString(std::string(*secret));
    if (auto token = section->get("aws_session_token"); token && !token->empty()) {
        credentials.session_token = SecretString(std::string(*token));
    }
    credentials.provider_name = "Profile";
    return Result<Credentials>(std::move(credentials));
}

struct ProfileContext {
    const ProfileFiles& files;
    const RefreshOptions& refresh;
    const ClientConfig& sts;
};

inline Result<std::shared_ptr<CredentialsProvider>> resolve_profile(const ProfileContext& context,
                                                                   std::string_view name,
                                                                   std::vector<std::string>& chain);

inline Result<std::shared_ptr<CredentialsProvider>> role_source(const ProfileContext& context,
                                                               std::string_view name,
                                                               std::vector<std::string>& chain) {
    const auto source_profile = profile_value(context.files, name, "source_profile");
    const auto credential_source = profile_value(context.files, name, "credential_source");
    if (source_profile && credential_source) {
        return credentials_error(
            fmt::format("profile \"{}\" sets both source_profile and credential_source; use one", name));
    }
    if (credential_source) {
        if (*credential_source == "Environment") return std::shared_ptr<CredentialsProvider>(
            std::make_shared<EnvironmentCredentialsProvider>());
        if (*credential_source == "Ec2InstanceMetadata") return std::shared_ptr<CredentialsProvider>(
            std::make_shared<InstanceMetadataCredentialsProvider>(context.refresh));
        if (*credential_source == "EcsContainer") return std::shared_ptr<CredentialsProvider>(
            std::make_shared<ContainerCredentialsProvider>(context.refresh));
        return credentials_error(fmt::format(
            "profile \"{}\": credential_source \"{}\" is not one of Environment, Ec2InstanceMetadata, EcsContainer",
            name, *credential_source));
    }
    if (!source_profile || source_profile->empty()) {
        return credentials_error(
            fmt::format("profile \"{}\" has role_arn but neither source_profile nor credential_source", name));
    }
    if (*source_profile == name) {
        // A profile may name itself to assume its role with its own keys.
        auto own = static_credentials(context.files, name);
        if (own) {
            if (!*own) return std::move(*own).error();
            return std::shared_ptr<CredentialsProvider>(std::make_shared<StaticCredentialsProvider>(std::move(**own)));
        }
    }
    for (const auto& seen : chain) {
        if (seen == *source_profile) {
            std::string cycle;
            for (const auto& link : chain) cycle += link + " -> ";
            cycle += seen;
            return credentials_error(fmt::format("profile \"{}\": source_profile forms a cycle: {}", name, cycle));
        }
    }
    return resolve_profile(context, *source_profile, chain);
}

inline Result<std::shared_ptr<CredentialsProvider>> resolve_profile(const ProfileContext& context,
                                                                   std::string_view name,
                                                                   std::vector<std::string>& chain) {
    const bool source_position = !chain.empty();
    chain.emplace_back(name);
    const auto role_arn = profile_value(context.files, name, "role_arn");
    auto own = static_credentials(context.files, name);
    // A source profile's own keys win over its role_arn, as in botocore.
    if (own && (!role_arn || source_position)) {
        if (!*own) return std::move(*own).error();
        return std::shared_ptr<CredentialsProvider>(std::make_shared<StaticCredentialsProvider>(std::move(**own)));
    }
    if (!role_arn) {
        const IniSection* from_credentials = find_credentials_profile(context.files.credentials, name);
        const IniSection* from_config = find_config_profile(context.files.config, name);
        if (from_credentials == nullptr && from_config == nullptr) {
            return credentials_error(fmt::format("profile \"{}\" not found in {} or {}", name,
                                                 context.files.credentials.path, context.files.config.path));
        }
        for (const char* unsupported : {"credential_process", "sso_session", "sso_start_url", "web_identity_token_file"}) {
            if (profile_value(context.files, name, unsupported)) {
                return credentials_error(
                    fmt::format("profile \"{}\" uses {}, which is not supported yet", name, unsupported));
            }
        }
        return credentials_error(fmt::format("profile \"{}\" has no aws_access_key_id or role_arn in {} or {}", name,
                                             context.files.credentials.path, context.files.config.path));
    }
    if (role_arn->empty()) return credentials_error(fmt::format("profile \"{}\" has an empty role_arn", name));

    ProfileRole role;
    role.profile = std::string(name);
    role.role_arn = std::string(*role_arn);
    if (auto session = profile_value(context.files, name, "role_session_name"); session && !session->empty()) {
        role.role_session_name = std::string(*session);
    } else {
        const auto now = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::system_clock::now().time_since_epoch());
        role.role_session_name = fmt::format("kinesis-cpp-session-{}", now.count());
    }
    if (auto external = profile_value(context.files, name, "external_id"); external && !external->empty()) {
        role.external_id = std::string(*external);
    }
    if (auto text = profile_value(context.files, name, "duration_seconds"); text && !text->empty()) {
        long long seconds = 0;
        const bool digits = text->size() <= 9 && text->find_first_not_of("0123456789") == std::string_view::npos;
        if (digits) {
            for (char c : *text) seconds = seconds * 10 + (c - '0');
        }
        if (!digits) {
            return credentials_error(fmt::format(
                "profile \"{}\": duration_seconds \"{}\" is not a whole number of seconds", name, *text));
        }
        if (seconds < 900 || seconds > 43200) {
            return credentials_error(fmt::format(
                "profile \"{}\": duration_seconds is {}; the limit is 900 to 43200", name, seconds));
        }
        role.duration = std::chrono::seconds(seconds);
    }

    auto source = role_source(context, name, chain);
    if (!source) return std::move(source).error();
    const AssumeRoleFactory factory = assume_role_factory();
    if (factory == nullptr) {
        return credentials_error(fmt::format(
            "profile \"{}\" uses role_arn: include <kinesis/sts/sts_client.hpp> in the program to assume roles", name));
    }
    ClientConfig sts = context.sts;
    // The role profile's own region and endpoint_url apply to its STS calls.
    sts.profile = role.profile;
    return factory(std::move(*source), role, sts, context.refresh);
}

}  // namespace detail::credentials_impl

KINESIS_DECL ProfileCredentialsProvider::ProfileCredentialsProvider(std::string profile, RefreshOptions refresh,
                                                                    ClientConfig sts)
    : profile_(std::move(profile)), refresh_(std::move(refresh)), sts_(std::move(sts)) {}

KINESIS_DECL Result<Credentials> ProfileCredentialsProvider::credentials() {
    using detail::credentials_impl::as_credentials_error;
    std::shared_ptr<CredentialsProvider> resolved;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!resolved_) {
            const std::string name = detail::profile_name(profile_);
            detail::credentials_impl::ProfileFiles files;
            auto credentials_file = detail::load_ini(detail::credentials_file_path());
            if (!credentials_file) return as_credentials_error(std::move(credentials_file).error());
            auto config_file = detail::load_ini(detail::config_file_path());
            if (!config_file) return as_credentials_error(std::move(config_file).error());
            files.credentials = std::move(*credentials_file);
            files.config = std::move(*config_file);
            std::vector<std::string> chain;
            auto provider = detail::credentials_impl::resolve_profile({files, refresh_, sts_}, name, chain);
            if (!provider) return std::move(provider).error();
            resolved_ = std::move(*provider);
        }
        resolved = resolved_;
    }
    // A role's provider locks itself; it may block on STS, so not under our mutex.
    return resolved->credentials();
}

// ---------------------------------------------------------------- Refreshing

KINESIS_DECL RefreshingCredentialsProvider::RefreshingCredentialsProvider(RefreshOptions options)
    : options_(std::move(options)) {
    if (!options_.clock) options_.clock = SystemClock::instance();
}

KINESIS_DECL Result<Credentials> RefreshingCredentialsProvider::credentials() {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto now = options_.clock->wall_now();
    const bool usable = cached_ && (!cached_->expiration || now < *cached_->expiration);
    if (usable) {
        const bool fresh = !cached_->expiration || now < *cached_->expiration - options_.refresh_before;
        if (fresh || (next_attempt_ && now < *next_attempt_)) return *cached_;
    }
    ++fetches_;
    auto fetched = fetch();
    if (fetched) {
        cached_ = *fetched;
        next_attempt_.reset();
        return fetched;
    }
    if (usable) {
        // The old credentials still work: keep serving them, and ask the
        // source again only after a pause.
        next_attempt_ = now + options_.retry_after_failure;
        return *cached_;
    }
    cached_.reset();
    return fetched;
}

// ---------------------------------------------------------------- Container

KINESIS_DECL ContainerCredentialsProvider::ContainerCredentialsProvider(RefreshOptions options, HttpOptions http)
    : RefreshingCredentialsProvider(std::move(options)), http_(std::move(http)) {}

KINESIS_DECL HttpOptions ContainerCredentialsProvider::default_http() {
    HttpOptions options;
    options.connect_timeout = std::chrono::seconds(2);
    options.request_timeout = std::chrono::seconds(5);
    options.max_connections = 1;
    return options;
}

KINESIS_DECL Result<Credentials> ContainerCredentialsProvider::fetch() {
    using detail::credentials_impl::as_credentials_error;
    using detail::credentials_impl::credentials_error;
    HttpRequest request;
    if (auto relative = detail::env("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
        auto parsed = HttpRequest::from_url("GET", "http://169.254.170.2" + *relative);
        if (!parsed) return as_credentials_error(std::move(parsed).error());
        request = std::move(*parsed);
    } else if (auto full = detail::env("AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
        auto parsed = HttpRequest::from_url("GET", *full);
        if (!parsed) {
            return credentials_error(
                fmt::format("AWS_CONTAINER_CREDENTIALS_FULL_URI: {}", std::move(parsed).error().message));
        }
        request = std::move(*parsed);
        if (request.scheme == "http" && !detail::credentials_impl::allowed_container_host(request.host)) {
            return credentials_error(fmt::format(
                "AWS_CONTAINER_CREDENTIALS_FULL_URI: plain http is allowed only to a loopback address or the "
                "ECS/EKS agent, not {}",
                request.host));
        }
    } else {
        return credentials_error("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
    }

    // The token file (EKS Pod Identity) wins over the variable and is re-read
    // on every fetch: the agent rotates it.
    std::string token;
    if (auto token_file = detail::env("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
        std::ifstream in(*token_file, std::ios::binary);
        if (!in) {
            return credentials_error(
                fmt::format("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE: cannot read {}", *token_file));
        }
        std::ostringstream text;
        text << in.rdbuf();
        token = std::string(detail::credentials_impl::trim(text.str()));
    } else if (auto value = detail::env("AWS_CONTAINER_AUTHORIZATION_TOKEN")) {
        token = std::move(*value);
    }
    if (token.find_first_of("\r\n") != std::string::npos) {
        return credentials_error("container authorization token contains a line break");
    }
    request.headers.push_back({"Host", request.host});
    if (!token.empty()) request.headers.push_back({"Authorization", std::move(token)});
    request.headers.push_back({"Accept", "application/json"});

    HttpClient client(http_);
    auto response = client.send(request);
    for (auto& header : request.headers) detail::credentials_impl::wipe(header.value);
    if (!response) return as_credentials_error(std::move(response).error());
    if (response->status != 200) return detail::credentials_impl::http_status_error(request, response->status);
    return detail::credentials_impl::parse_credentials_document(
        response->body, fmt::format("{}://{}{}", request.scheme, request.host, request.path), name());
}

// ---------------------------------------------------------------- Instance metadata

KINESIS_DECL InstanceMetadataCredentialsProvider::InstanceMetadataCredentialsProvider(RefreshOptions options,
                                                                                      HttpOptions http)
    : RefreshingCredentialsProvider(std::move(options)), http_(std::move(http)) {}

KINESIS_DECL HttpOptions InstanceMetadataCredentialsProvider::default_http() {
    HttpOptions options;
    options.connect_timeout = std::chrono::seconds(1);
    options.request_timeout = std::chrono::seconds(2);
    options.max_connections = 1;
    return options;
}

KINESIS_DECL Result<Credentials> InstanceMetadataCredentialsProvider::fetch() {
    using detail::credentials_impl::as_credentials_error;
    using detail::credentials_impl::credentials_error;
    using detail::credentials_impl::http_status_error;
    if (auto disabled = detail::env("AWS_EC2_METADATA_DISABLED"); disabled && detail::is_true(*disabled)) {
        return credentials_error("disabled by AWS_EC2_METADATA_DISABLED");
    }
    std::string endpoint;
    if (auto configured = detail::env("AWS_EC2_METADATA_SERVICE_ENDPOINT")) {
        endpoint = std::move(*configured);
    } else if (auto mode = detail::env("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
               mode && (*mode == "IPv6" || *mode == "ipv6")) {
        endpoint = "http://[fd00:ec2::254]";
    } else {
        endpoint = "http://169.254.169.254";
    }
    while (!endpoint.empty() && endpoint.back() == '/') endpoint.pop_back();

    HttpClient client(http_);
    const auto make = [&](const char* method, std::string_view path) -> Result<HttpRequest> {
        auto request = HttpRequest::from_url(method, endpoint + std::string(path));
        if (!request) {
            return credentials_error(
                fmt::format("AWS_EC2_METADATA_SERVICE_ENDPOINT: {}", std::move(request).error().message));
        }
        request->headers.push_back({"Host", request->host});
        return request;
    };

    // IMDSv2 session token. 404/405 mean an IMDSv1-only service (fall back
    // to tokenless calls); 403 means IMDS is turned off for this instance.
    auto token_request = make("PUT", "/latest/api/token");
    if (!token_request) return std::move(token_request).error();
    token_request->headers.push_back({"X-aws-ec2-metadata-token-ttl-seconds", "21600"});
    auto token_response = client.send(*token_request);
    if (!token_response) {
        auto error = as_credentials_error(std::move(token_response).error());
        error.message = fmt::format("no instance metadata service: {}", error.message);
        return error;
    }
    std::string token;
    if (token_response->status == 200) {
        token = std::string(detail::credentials_impl::trim(token_response->body));
        detail::credentials_impl::wipe(token_response->body);
    } else if (token_response->status != 404 && token_response->status != 405) {
        return http_status_error(*token_request, token_response->status);
    }

    auto role_request = make("GET", "/latest/meta-data/iam/security-credentials/");
    if (!role_request) return std::move(role_request).error();
    if (!token.empty()) role_request->headers.push_back({"X-aws-ec2-metadata-token", token});
    auto role_response = client.send(*role_request);
    if (!role_response) return as_credentials_error(std::move(role_response).error());
    if (role_response->status == 404) return credentials_error("no IAM role is attached to this instance (HTTP 404)");
    if (role_response->status != 200) return http_status_error(*role_request, role_response->status);
    std::string_view roles = role_response->body;
    const std::string role(detail::credentials_impl::trim(roles.substr(0, roles.find('\n'))));
    if (role.empty()) return credentials_error("instance metadata lists no IAM role");

    auto credentials_request = make("GET", "/latest/meta-data/iam/security-credentials/" + detail::uri_encode(role));
    if (!credentials_request) return std::move(credentials_request).error();
    if (!token.empty()) credentials_request->headers.push_back({"X-aws-ec2-metadata-token", token});
    auto response = client.send(*credentials_request);
    detail::credentials_impl::wipe(token);
    for (auto* request : {&*role_request, &*credentials_request}) {
        for (auto& header : request->headers) detail::credentials_impl::wipe(header.value);
    }
    if (!response) return as_credentials_error(std::move(response).error());
    if (response->status != 200) return http_status_error(*credentials_request, response->status);
    return detail::credentials_impl::parse_credentials_document(
        response->body, fmt::format("instance metadata role \"{}\"", role), name());
}

// ---------------------------------------------------------------- Chains

KINESIS_DECL CredentialsProviderChain::CredentialsProviderChain(
    std::vector<std::shared_ptr<CredentialsProvider>> providers)
    : providers_(std::move(providers)) {}

KINESIS_DECL Result<Credentials> CredentialsProviderChain::credentials() {
    std::shared_ptr<CredentialsProvider> chosen;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        chosen = chosen_;
    }
    // Once a provider has answered, its errors (say, a failed refresh) are
    // the chain's: silently switching to other credentials would surprise.
    if (chosen) return chosen->credentials();

    std::string tried;
    for (const auto& provider : providers_) {
        auto credentials = provider->credentials();
        if (credentials) {
            std::lock_guard<std::mutex> lock(mutex_);
            if (!chosen_) chosen_ = provider;
            return credentials;
        }
        tried += fmt::format("{}{}: {}", tried.empty() ? "" : "; ", provider->name(), credentials.error().message);
    }
    return detail::credentials_impl::credentials_error(fmt::format("no credentials found; tried {}", tried));
}

KINESIS_DECL std::string CredentialsProviderChain::answered_by() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return chosen_ ? std::string(chosen_->name()) : std::string();
}

KINESIS_DECL DefaultCredentialsChain::DefaultCredentialsChain(std::string profile, RefreshOptions refresh,
                                                              ClientConfig sts)
    : CredentialsProviderChain({std::make_shared<EnvironmentCredentialsProvider>(),
                                std::make_shared<ProfileCredentialsProvider>(profile, refresh, std::move(sts)),
                                std::make_shared<ContainerCredentialsProvider>(refresh),
                                std::make_shared<InstanceMetadataCredentialsProvider>(refresh)}),
      profile_(std::move(profile)) {}

KINESIS_DECL Result<Credentials> DefaultCredentialsChain::credentials() {
    using detail::credentials_impl::as_credentials_error;
    // Before the environment is asked: keys there must not hide a mistyped profile.
    // The implicit "default" may be absent: nothing to read then.
    const bool named = !profile_.empty() || detail::env("AWS_PROFILE");
    if (named && !profile_found_.load(std::memory_order_acquire)) {
        auto config = detail::load_ini(detail::config_file_path());
        if (!config) return as_credentials_error(std::move(config).error());
        if (auto found = detail::check_named_profile(profile_, *config); !found) {
            return as_credentials_error(std::move(found).error());
        }
        profile_found_.store(true, std::memory_order_release);
    }
    return CredentialsProviderChain::credentials();
}

KINESIS_DECL std::shared_ptr<CredentialsProvider> make_credentials_provider(const ClientConfig& config) {
    if (config.credentials) return config.credentials;
    // A role profile's STS client shares the client's timeouts, retries and
    // log hook, not its endpoint (that one is the service's).
    ClientConfig sts = config;
    sts.endpoint.clear();
    sts.credentials.reset();
    RefreshOptions refresh;
    refresh.clock = config.clock;
    return std::make_shared<DefaultCredentialsChain>(config.profile, std::move(refresh), std::move(sts));
}

}  // namespace kinesis

#endif  // KINESIS_AUTH_IMPL_CREDENTIALS_INL_HPP
