// SPDX-License-Identifier: Apache-2.0
// AWS credentials, the providers that find them, and the default provider chain.
#ifndef KINESIS_AUTH_CREDENTIALS_HPP
#define KINESIS_AUTH_CREDENTIALS_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/time.hpp>
#include <kinesis/http/transport.hpp>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

namespace detail {
/// Overwrites memory in a way the optimiser cannot drop (OPENSSL_cleanse).
KINESIS_DECL void secure_wipe(void* data, std::size_t size) noexcept;
}  // namespace detail

/// A string that is wiped when released and never printed: formatting it
/// with fmt yields "****". Use view() deliberately, where the bytes are needed.
class SecretString {
public:
    SecretString() = default;
    explicit SecretString(std::string value) : value_(std::move(value)) {}
    SecretString(const SecretString& other) : value_(other.value_) {}
    SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) {
        other.wipe();
    }
    SecretString& operator=(const SecretString& other) {
        if (this != &other) {
            wipe();
            value_ = other.value_;
        }
        return *this;
    }
    SecretString& operator=(SecretString&& other) noexcept {
        if (this != &other) {
            wipe();
            value_ = std::move(other.value_);
            other.wipe();
        }
        return *this;
    }
    ~SecretString() { wipe(); }

    [[nodiscard]] std::string_view view() const noexcept { return value_; }
    [[nodiscard]] bool empty() const noexcept { return value_.empty(); }
    friend bool operator==(const SecretString& a, const SecretString& b) noexcept {
        return a.value_ == b.value_;
    }
    friend bool operator!=(const SecretString& a, const SecretString& b) noexcept {
        return !(a == b);
    }

private:
    void wipe() noexcept {
        if (!value_.empty()) detail::secure_wipe(value_.data(), value_.size());
        value_.clear();
    }
    std::string value_;
};

/// One set of AWS credentials. Copyable; secrets wiped on release.
struct Credentials {
    std::string access_key_id;
    SecretString secret_access_key;
    SecretString session_token;  ///< empty for long-term keys
    /// When temporary credentials stop working; empty for long-term keys.
    std::optional<std::chrono::system_clock::time_point> expiration;
    std::string provider_name;  ///< which provider produced them, for diagnostics

    [[nodiscard]] bool empty() const noexcept {
        return access_key_id.empty() || secret_access_key.empty();
    }
};

/// Something that yields credentials. Implementations are thread-safe.
class CredentialsProvider {
public:
    virtual ~CredentialsProvider() = default;
    /// Current credentials; providers of temporary credentials refresh
    /// them before they expire. Failures are ErrorKind::Credentials and never
    /// contain a secret.
    [[nodiscard]] virtual Result<Credentials> credentials() = 0;
    /// Short name for diagnostics and chain errors: "Environment", "Profile", ...
    [[nodiscard]] virtual std::string_view name() const noexcept { return "Custom"; }
};

/// The same credentials every time (config.credentials set by hand).
class StaticCredentialsProvider final : public CredentialsProvider {
public:
    KINESIS_DECL explicit StaticCredentialsProvider(Credentials credentials);
    KINESIS_DECL StaticCredentialsProvider(std::string access_key_id, std::string secret_access_key,
                                           std::string session_token = {});
    [[nodiscard]] KINESIS_DECL Result<Credentials> credentials() override;
    [[nodiscard]] std::string_view name() const noexcept override { return "Static"; }

private:
    Credentials credentials_;
};

/// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and (optional) AWS_SESSION_TOKEN,
/// read on every call.
class EnvironmentCredentialsProvider final : public CredentialsProvider {
public:
    [[nodiscard]] KINESIS_DECL Result<Credentials> credentials() override;
    [[nodiscard]] std::string_view name() const noexcept override { return "Environment"; }
};

/// When providers of temporary credentials fetch new ones.
struct RefreshOptions {
    /// Fetch new credentials this long before the current ones expire.
    std::chrono::seconds refresh_before = std::chrono::minutes(5);
    /// After a failed refresh while the old credentials still work, wait
    /// this long before asking again (each call would otherwise retry).
    std::chrono::seconds retry_after_failure = std::chrono::seconds(10);
    /// The time expiry is judged by (its wall_now()); empty: the system clock.
    /// The default chain gets ClientConfig::clock here.
    std::shared_ptr<const Clock> clock;
};

/// Base of providers whose credentials expire: caches what fetch() returns and
/// fetches again `refresh_before` ahead of the expiration. If a refresh fails
/// while the cached credentials are still valid, those are returned.
/// Thread-safe: one fetch at a time, under a mutex.
class RefreshingCredentialsProvider : public CredentialsProvider {
public:
    KINESIS_DECL explicit RefreshingCredentialsProvider(RefreshOptions options = {});
    [[nodiscard]] KINESIS_DECL Result<Credentials> credentials() final;
    /// How many times fetch() has run (successful or not), for diagnostics.
    [[nodiscard]] std::size_t fetches() const noexcept { return fetches_.load(); }

protected:
    /// Gets fresh credentials from the source; called with the mutex held.
    [[nodiscard]] virtual Result<Credentials> fetch() = 0;

private:
    RefreshOptions options_;
    std::mutex mutex_;
    std::optional<Credentials> cached_;
    std::optional<std::chrono::system_clock::time_point> next_attempt_;
    std::atomic<std::size_t> fetches_{0};
};

/// The credentials of a profile in the shared files ([name] in the credentials
/// file first, then [profile name] ([default]) in the config file):
/// - aws_access_key_id / aws_secret_access_key / aws_session_token; or
/// - role_arn with source_profile (whose own keys, or role, give the source
///   credentials: role profiles chain, and a cycle is an error naming the
///   profiles) or with credential_source = Environment | Ec2InstanceMetadata |
///   EcsContainer; role_session_name, external_id and duration_seconds
///   (900-43200) are honoured. The role is assumed through STS with the
///   profile's region and endpoint (us-east-1 if none), and its credentials
///   are refreshed before they expire.
/// Files are read on the first call; what they say is then kept. Assuming
/// roles needs <kinesis/sts/sts_client.hpp> in the program (kinesis.hpp includes it).
class ProfileCredentialsProvider final : public CredentialsProvider {
public:
    /// Empty profile: AWS_PROFILE, else "default". `refresh` and `sts` apply
    /// to role profiles: when to assume the role again, and the STS client's
    /// settings (timeouts, retry, log hook; region and endpoint if set).
    KINESIS_DECL explicit ProfileCredentialsProvider(std::string profile = {}, RefreshOptions refresh = {},
                                                     ClientConfig sts = {});
    [[nodiscard]] KINESIS_DECL Result<Credentials> credentials() override;
    [[nodiscard]] std::string_view name() const noexcept override { return "Profile"; }

private:
    std::string profile_;
    RefreshOptions refresh_;
    ClientConfig sts_;
    std::mutex mutex_;
    std::shared_ptr<CredentialsProvider> resolved_;  ///< static keys, or the role's provider
};

namespace detail {
/// A role profile's settings, as read from the shared files.
struct ProfileRole {
    std::string profile;
    std::string role_arn;
    std::string role_session_name;
    std::optional<std::chrono::seconds> duration;
    std::optional<std::string> external_id;
};
/// Makes the provider that assumes a profile's role. STS sits above the
/// credentials layer, so sts_client.inl.hpp installs it; nullptr until then.
using AssumeRoleFactory = std::shared_ptr<CredentialsProvider> (*)(std::shared_ptr<CredentialsProvider> source,
                                                                    const ProfileRole& role, const ClientConfig& sts,
                                                                    const RefreshOptions& refresh);
/// The installed factory (one per program).
[[nodiscard]] KINESIS_DECL AssumeRoleFactory& assume_role_factory() noexcept;
}  // namespace detail

/// ECS/EKS container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (on
/// http://169.254.170.2) or AWS_CONTAINER_CREDENTIALS_FULL_URI (https, or http
/// to a loopback or the ECS/EKS address), with AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
/// or AWS_CONTAINER_AUTHORIZATION_TOKEN sent as Authorization. Environment read
/// at each fetch; no network until credentials() is called.
class ContainerCredentialsProvider final : public RefreshingCredentialsProvider {
public:
    KINESIS_DECL explicit ContainerCredentialsProvider(RefreshOptions options = {}, HttpOptions http = default_http());
    [[nodiscard]] std::string_view name() const noexcept override { return "Container"; }
    /// 2 s to connect, 5 s per request.
    [[nodiscard]] KINESIS_DECL static HttpOptions default_http();

protected:
    [[nodiscard]] KINESIS_DECL Result<Credentials> fetch() override;

private:
    HttpOptions http_;
};

/// EC2 instance metadata, IMDSv2: PUT /latest/api/token, then the role name from
/// /latest/meta-data/iam/security-credentials/, then that role's credentials.
/// AWS_EC2_METADATA_SERVICE_ENDPOINT overrides http://169.254.169.254
/// (AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6: http://[fd00:ec2::254]);
/// AWS_EC2_METADATA_DISABLED=true turns it off.
class InstanceMetadataCredentialsProvider final : public RefreshingCredentialsProvider {
public:
    KINESIS_DECL explicit InstanceMetadataCredentialsProvider(RefreshOptions options = {},
                                                              HttpOptions http = default_http());
    [[nodiscard]] std::string_view name() const noexcept override { return "InstanceMetadata"; }
    /// 1 s to connect, 2 s per request: off EC2 the chain must not hang.
    [[nodiscard]] KINESIS_DECL static HttpOptions default_http();

protected:
    [[nodiscard]] KINESIS_DECL Result<Credentials> fetch() override;

private:
    HttpOptions http_;
};

/// Asks its providers in order; the first to answer is remembered and asked
/// alone from then on. When none answers, the error names every provider and
/// why it failed. Thread-safe.
class CredentialsProviderChain : public CredentialsProvider {
public:
    KINESIS_DECL explicit CredentialsProviderChain(std::vector<std::shared_ptr<CredentialsProvider>> providers);
    [[nodiscard]] KINESIS_DECL Result<Credentials> credentials() override;
    [[nodiscard]] std::string_view name() const noexcept override { return "Chain"; }
    /// Name of the provider that answered, or "" before one has.
    [[nodiscard]] KINESIS_DECL std::string answered_by() const;

private:
    std::vector<std::shared_ptr<CredentialsProvider>> providers_;
    mutable std::mutex mutex_;
    std::shared_ptr<CredentialsProvider> chosen_;
};

/// Environment, then the shared files' profile, then the container endpoint,
/// then EC2 instance metadata. Constructing it reads and fetches nothing.
/// A profile named here or by AWS_PROFILE must be in one of the shared files,
/// even when the environment has keys (botocore's ProfileNotFound): until it
/// is, credentials() fails naming the profile and both files.
class DefaultCredentialsChain final : public CredentialsProviderChain {
public:
    /// Empty profile: AWS_PROFILE, else "default".
    /// `sts`: settings of the STS client that role profiles use (see ProfileCredentialsProvider).
    KINESIS_DECL explicit DefaultCredentialsChain(std::string profile = {}, RefreshOptions refresh = {},
                                                  ClientConfig sts = {});
    [[nodiscard]] KINESIS_DECL Result<Credentials> credentials() override;
    [[nodiscard]] std::string_view name() const noexcept override { return "DefaultChain"; }

private:
    std::string profile_;
    std::atomic<bool> profile_found_{false};  ///< the named profile was seen once; not read again
};

/// config.credentials when set, else a DefaultCredentialsChain for config.profile.
[[nodiscard]] KINESIS_DECL std::shared_ptr<CredentialsProvider> make_credentials_provider(const ClientConfig& config);

}  // namespace kinesis

template <>
struct fmt::formatter<kinesis::SecretString> {
    constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
    template <class FormatContext>
    auto format(const kinesis::SecretString&, FormatContext& ctx) const {
        return fmt::format_to(ctx.out(), "****");
    }
};

#ifdef KINESIS_IMPLEMENT
#include <kinesis/auth/impl/credentials.inl.hpp>
#endif

#endif  // KINESIS_AUTH_CREDENTIALS_HPP
