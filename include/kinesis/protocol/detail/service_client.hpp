// SPDX-License-Identifier: Apache-2.0
// The one place where requests of every AWS protocol are built, signed, sent,
// retried and turned into errors: JSON 1.0/1.1, Query and REST-XML.
#ifndef KINESIS_PROTOCOL_DETAIL_SERVICE_CLIENT_HPP
#define KINESIS_PROTOCOL_DETAIL_SERVICE_CLIENT_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/auth/credentials.hpp>
#include <kinesis/http/detail/log.hpp>
#include <kinesis/protocol/detail/retry.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/http/transport.hpp>
#include <kinesis/auth/sigv4.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinesis::detail {

class JsonParser;

/// How a service is named in endpoints, environment variables and signatures.
struct ServiceInfo {
    std::string_view endpoint_prefix;  ///< "kinesis" in kinesis.<region>.amazonaws.com
    std::string_view env_name;         ///< "KINESIS" in AWS_ENDPOINT_URL_KINESIS
    std::string_view signing_name;     ///< the SigV4 service name
};

/// How one REST call is signed; the S3 client fills these in.
struct RestSigning {
    bool double_uri_encode = true;
    bool normalize_path = true;
    bool add_content_sha256_header = false;
    std::string payload_hash;  ///< empty: hex(sha256(body)); or e.g. "UNSIGNED-PAYLOAD"
};

/// A REST-XML request before endpoint, signing and retries are applied.
struct RestRequest {
    std::string method = "GET";
    /// Empty: the endpoint's host. The S3 client sets "<bucket>.<host>" for
    /// virtual-host addressing.
    std::string host;
    /// Percent-encoded wire path, appended to the endpoint's own path.
    std::string path = "/";
    std::vector<std::pair<std::string, std::string>> query;  ///< decoded
    std::vector<HttpHeader> headers;
    std::string body;
    RestSigning signing;
};

/// The AWS error in a non-2xx answer, whatever its protocol: JSON `__type`
/// (any `prefix#` removed) and `message`/`Message`; the `x-amzn-ErrorType`
/// header (cut at ':'); XML `<Error><Code>`/`<Message>` (Query and S3, and
/// the XML some JSON services send for auth failures). The request id comes
/// from `x-amzn-RequestId`, `x-amz-request-id` or `<RequestId>`.
/// Kind: Throttled for throttling codes and HTTP 429, Service otherwise, Parse
/// when a 4xx answer cannot be read (5xx stay Service, hence retryable).
[[nodiscard]] KINESIS_DECL Error extract_error(const HttpResponse& response, JsonParser& parser);

/// Removes the secret access key and session token from an error's text:
/// a service may echo parts of the request back.
KINESIS_DECL void scrub_error(Error& error, const Credentials& credentials);

/// The AWS JSON request before signing: `POST <endpoint>` with
/// `Content-Type: application/x-amz-json-<json_version>` and
/// `X-Amz-Target: <target_prefix>.<operation>`; `body` is the JSON document.
[[nodiscard]] KINESIS_DECL HttpRequest json_request(const HttpRequest& endpoint, std::string_view target_prefix,
                                                    std::string_view operation, std::string_view json_version,
                                                    std::string body);
/// The AWS Query request before signing: form-encoded
/// `Action=<action>&Version=<version>&<params>` POSTed to the endpoint.
[[nodiscard]] KINESIS_DECL HttpRequest query_request(const HttpRequest& endpoint, std::string_view action,
                                                     std::string_view version,
                                                     const std::vector<std::pair<std::string, std::string>>& params);
/// The REST request before signing: `rest` on the endpoint's scheme, its
/// host unless `rest.host` is set, and `rest.path` under the endpoint's path.
[[nodiscard]] KINESIS_DECL HttpRequest rest_request(const HttpRequest& endpoint, RestRequest rest);

/// Everything a typed client shares: the resolved region and endpoint, the
/// credentials provider, one Signer, one HttpClient, the retry quota, the
/// clock-skew offset, the log hook and one JSON parser.
///
/// Each call signs with fresh credentials and the skew-corrected time, sends,
/// and after a failure does what next_step() (detail/retry.hpp) says:
/// retries retryable errors in the standard mode, sleeping between attempts,
/// and once per call retries an auth failure whose answer's Date shows our
/// clock off by more than `clock_skew_threshold`, with the time corrected.
/// A credentials failure is returned before anything is sent.
/// Not thread-safe: one thread at a time (the retry quota is atomic).
class ServiceClient {
public:
    /// Resolves region and endpoint now, and throws kinesis::Exception if
    /// either cannot be found. Credentials are fetched at the first call.
    KINESIS_DECL ServiceClient(const ClientConfig& config, ServiceInfo service);
    KINESIS_DECL ~ServiceClient();
    ServiceClient(const ServiceClient&) = delete;
    ServiceClient& operator=(const ServiceClient&) = delete;

    /// Sends json_request(): AWS JSON 1.0 or 1.1.
    [[nodiscard]] KINESIS_DECL Result<HttpResponse> call_json(std::string_view target_prefix,
                                                              std::string_view operation,
                                                              std::string_view json_version, std::string body);
    /// call_json() on a caller-owned buffer: the body is moved into the request
    /// and handed back afterwards (also on error), so a client that writes every
    /// request of one kind into the same buffer allocates it once.
    [[nodiscard]] KINESIS_DECL Result<HttpResponse> call_json_borrowing(std::string_view target_prefix,
                                                                        std::string_view operation,
                                                                        std::string_view json_version,
                                                                        std::string& body);
    /// Sends query_request(): AWS Query.
    [[nodiscard]] KINESIS_DECL Result<HttpResponse> call_query(
        std::string_view action, std::string_view version,
        const std::vector<std::pair<std::string, std::string>>& params = {});
    /// Sends rest_request(): REST-XML, signed as `request.signing` says.
    [[nodiscard]] KINESIS_DECL Result<HttpResponse> call_rest(RestRequest request);

    [[nodiscard]] const std::string& region() const noexcept { return region_; }
    [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }
    [[nodiscard]] const ServiceInfo& service() const noexcept { return service_; }
    /// The client's reused parser for response bodies.
    [[nodiscard]] JsonParser& json_parser() noexcept { return *json_; }
    [[nodiscard]] const Logger& logger() const noexcept { return log_; }
    [[nodiscard]] RetryStrategy& retry_strategy() noexcept { return retry_; }
    /// Server time minus ours, as learnt from a skew error; zero until then.
    [[nodiscard]] std::chrono::milliseconds clock_skew() const noexcept {
        return std::chrono::milliseconds(skew_ms_.load(std::memory_order_relaxed));
    }

private:
    KINESIS_DECL Result<HttpResponse> send(HttpRequest& request, const RestSigning& signing,
                                           std::string_view operation);

    ServiceInfo service_;
    std::string region_;
    std::string endpoint_;
    HttpRequest base_;  ///< scheme, host and path of the endpoint
    std::shared_ptr<CredentialsProvider> credentials_;
    Signer signer_;
    HttpClient http_;
    RetryStrategy retry_;
    Logger log_;
    std::unique_ptr<JsonParser> json_;
    std::atomic<std::int64_t> skew_ms_{0};
};

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/protocol/detail/impl/service_client.inl.hpp>
#endif

#endif  // KINESIS_PROTOCOL_DETAIL_SERVICE_CLIENT_HPP
