// SPDX-License-Identifier: Apache-2.0
// Client configuration, and region/endpoint resolution as the AWS SDKs do it.
#ifndef KINESIS_CORE_CONFIG_HPP
#define KINESIS_CORE_CONFIG_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/stop.hpp>
#include <kinesis/core/time.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace kinesis {

class CredentialsProvider;

enum class LogLevel { Trace, Debug, Info, Warn, Error, Off };

/// Receives log lines. Authorization and X-Amz-Security-Token values are
/// redacted before any text reaches it.
using LogHook = std::function<void(LogLevel, std::string_view)>;

/// The standard retry mode (botocore "standard").
struct RetryConfig {
    /// Attempts in all, the first included; 0: AWS_MAX_ATTEMPTS when set (as
    /// botocore reads it), else 3.
    int max_attempts = 0;
    std::chrono::milliseconds base_delay = std::chrono::milliseconds(100);
    std::chrono::milliseconds max_backoff = std::chrono::seconds(20);
    int quota = 500;        ///< retry tokens in the bucket
    int retry_cost = 5;     ///< tokens taken per retry
    int timeout_cost = 10;  ///< tokens taken per retry after a timeout
    int success_refund = 1; ///< tokens returned per success
};

/// Everything a client needs; every field has a working default.
struct ClientConfig {
    std::string region;    ///< empty: AWS_REGION, AWS_DEFAULT_REGION, profile `region`
    std::string endpoint;  ///< empty: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, profile, AWS
    std::string profile;   ///< empty: AWS_PROFILE, else "default"; a named one must exist in a shared file
    std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);
    std::chrono::milliseconds request_timeout = std::chrono::seconds(30);
    bool verify_tls = true;
    std::string ca_bundle;  ///< empty: AWS_CA_BUNDLE, profile `ca_bundle`, else the system's CA store
    RetryConfig retry;
    /// Empty: the default chain (env, shared files, container, instance metadata).
    std::shared_ptr<CredentialsProvider> credentials;
    LogHook log;  ///< off when empty
    LogLevel log_level = LogLevel::Info;
    /// Ends every wait of this client's calls at once (retry backoff, waiters,
    /// a ShardReader's pacing): the waiting call returns ErrorKind::Stopped.
    /// Calls made after the stop still make their one attempt, without retries.
    StopToken stop;
    /// The time every signature, expiry and pacing decision reads; empty: the
    /// system clocks. For tests.
    std::shared_ptr<const Clock> clock;
};

/// The region a client will use: explicit, AWS_REGION, AWS_DEFAULT_REGION,
/// then the profile's `region`. An error names every place it looked. The
/// first one set must be a valid region name, as botocore checks it (a DNS
/// label, not all digits): else InvalidArgument naming where it came from.
[[nodiscard]] KINESIS_DECL Result<std::string> resolve_region(const ClientConfig& config);

/// The CA bundle that TLS peers are verified with: explicit, AWS_CA_BUNDLE,
/// then the profile's `ca_bundle` (botocore's order); empty: the system's
/// store. curl reads the file when a connection needs it, and a file it
/// cannot use fails that request (ErrorKind::Certificate, naming the file).
[[nodiscard]] KINESIS_DECL Result<std::string> resolve_ca_bundle(const ClientConfig& config);

/// The endpoint URL for a service: explicit, AWS_ENDPOINT_URL_<ENV_NAME>,
/// AWS_ENDPOINT_URL, the profile's `endpoint_url` (all but the explicit one
/// skipped when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS is true), else
/// https://<endpoint_prefix>.<region>.amazonaws.com (.com.cn in aws-cn;
/// `region` checked as resolve_region checks it).
/// `env_name` is the service's env suffix: "KINESIS", "FIREHOSE", "S3", "STS", "DYNAMODB".
[[nodiscard]] KINESIS_DECL Result<std::string> resolve_endpoint(const ClientConfig& config,
                                                                 std::string_view endpoint_prefix,
                                                                 std::string_view env_name,
                                                                 std::string_view region);

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/impl/config.inl.hpp>
#endif

#endif  // KINESIS_CORE_CONFIG_HPP
