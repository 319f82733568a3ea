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
#include <kinesis/core/stop.hpp>
#include <kinesis/core/time.hpp>
#include <functional>
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
/// The request id of an answer: `x-amzn-RequestId`, else `x-amz-request-id`.
[[nodiscard]] KINESIS_DECL std::string request_id_of(const HttpResponse& response);

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

/// One attempt of a call, as a caller may want to see it (the Producer's
/// per-record outcome lists them).
struct CallAttempt {
    Timestamp start{};
    std::chrono::microseconds duration{0};
    std::string error_code;  ///< empty: this attempt got a 2xx answer
};

/// How a call went, beside its answer.
struct CallReport {
    std::vector<CallAttempt> attempts;
    /// The body of the error answer the call ended on; empty otherwise. Some
    /// errors carry data beside code and message (DynamoDB's
    /// ConditionalCheckFailedException has the item as it was).
    std::string error_body;
    /// Attempts made, the last included (a clock-skew correction counts too).
    [[nodiscard]] int attempt_count() const noexcept { return static_cast<int>(attempts.size()); }
};

/// A request ready for the pipeline: the body is written and will be hashed
/// once; signing happens per attempt.
struct PreparedCall {
    HttpRequest request;
    RestSigning signing;
    std::string_view operation;  ///< for logs: a literal; empty: the request's method
    /// Set: a 2xx answer goes to it piece by piece (SubscribeToShard's event stream).
    ResponseStream stream;
};

/// Everything a typed client shares, and the one pipeline every operation of
/// every service goes through: take the prepared request (body written),
/// hash the body once, then per attempt get credentials, sign with the
/// skew-corrected time, send, read the error of a non-2xx answer, and ask
/// next_step() (retry.hpp) what to do: retry retryable errors in the standard
/// mode after a backoff timer, or once per call an auth failure whose Date
/// shows our clock off by more than `clock_skew_threshold`, with the time
/// corrected. A credentials failure is returned before anything is sent.
///
/// A call is a state machine on an EventLoop: it waits on sockets and timers,
/// never sleeps; the client's stop token ends its backoff at once
/// (ErrorKind::Stopped). Two ways in:
/// - call(): runs one call to completion on the calling thread, on a loop of
///   the client's own. One thread at a time.
/// - start(): starts a call on the async loop (the one given at construction,
///   else the client's own) and runs `done` there. Thread-safe: from another
///   thread the start is posted to the loop. On a loop of its own the caller
///   drives it (loop()). Credentials are fetched off the loop when they must
///   be, and refreshed ahead of expiry, so the loop never blocks on them.
/// The client must outlive its calls; destroying it on the async loop's
/// thread (or with that loop stopped) cancels those still running, without
/// their callbacks.
class ServiceClient {
public:
    using Done = std::function<void(Result<HttpResponse>, CallReport)>;

    /// Resolves region and endpoint now, and throws kinesis::Exception if
    /// either cannot be found. Credentials are fetched at the first call.
    /// `async_loop`, when given, must outlive the client.
    KINESIS_DECL ServiceClient(const ClientConfig& config, ServiceInfo service, EventLoop* async_loop = nullptr);
    KINESIS_DECL ~ServiceClient();
    ServiceClient(const ServiceClient&) = delete;
    ServiceClient& operator=(const ServiceClient&) = delete;

    /// Runs `call` to completion on the calling thread.
    [[nodiscard]] KINESIS_DECL Result<HttpResponse> call(PreparedCall call, CallReport* report = nullptr);
    /// Starts `call` on the async loop; `done` runs there with the answer.
    KINESIS_DECL void start(PreparedCall call, Done done);

    /// The AWS JSON request for `operation`, body as given.
    [[nodiscard]] KINESIS_DECL PreparedCall json_call(std::string_view target_prefix, std::string_view operation,
                                                      std::string_view json_version, std::string body) const;
    /// The AWS Query request (form-encoded POST).
    [[nodiscard]] KINESIS_DECL PreparedCall query_call(
        std::string_view action, std::string_view version,
        const std::vector<std::pair<std::string, std::string>>& params = {}) const;
    /// The REST-XML request, signed as `request.signing` says.
    [[nodiscard]] KINESIS_DECL PreparedCall rest_call(RestRequest request) const;

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
                                                                        std::string& body,
                                                                        CallReport* report = nullptr);
    /// Sends query_request(): AWS Query.
    [[nodiscard]] KINESIS_DECL Result<HttpResponse> call_query(
        std::string_view action, std::string_view version,
        const std::vector<std::pair<std::string, std::string>>& params = {});
    /// Sends rest_request(): REST-XML, signed as `request.signing` says.
    [[nodiscard]] KINESIS_DECL Result<HttpResponse> call_rest(RestRequest request);

    /// Waits `delay` on the calling thread, or less if the stop token is set
    /// first: the one interruptible wait of synchronous code (waiters, a
    /// ShardReader's pacing). False when stopped.
    [[nodiscard]] KINESIS_DECL bool wait_for(std::chrono::milliseconds delay);

    [[nodiscard]] const std::string& region() const noexcept { return region_; }
    [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }
    [[nodiscard]] const ServiceInfo& service() const noexcept { return service_; }
    /// The parser for answers of synchronous calls (the calling thread's).
    [[nodiscard]] KINESIS_DECL JsonParser& json_parser() noexcept;
    /// The parser for answers of started calls (the async loop's thread).
    [[nodiscard]] KINESIS_DECL JsonParser& async_json_parser() noexcept;
    [[nodiscard]] const Logger& logger() const noexcept { return log_; }
    [[nodiscard]] RetryStrategy& retry_strategy() noexcept { return retry_; }
    [[nodiscard]] const Clock& clock() const noexcept { return *clock_; }
    [[nodiscard]] const StopToken& stop_token() const noexcept { return stop_; }
    /// The loop started calls run on.
    [[nodiscard]] KINESIS_DECL EventLoop& loop() noexcept;
    /// Server time minus ours, as learnt from a skew error; zero until then.
    [[nodiscard]] std::chrono::milliseconds clock_skew() const noexcept {
        return std::chrono::milliseconds(skew_ms_.load(std::memory_order_relaxed));
    }

    struct Context;  ///< per loop: the loop, a signer, a parser, the calls on it
    class Call;

private:
    friend class Call;
    KINESIS_DECL void start_on(Context& context, PreparedCall call, Done done);
    // call() and call_json_borrowing(): one call to completion on this thread;
    // `body_return`, when set, gets the request body back.
    KINESIS_DECL Result<HttpResponse> run_blocking(PreparedCall call, CallReport* report, std::string* body_return);
    KINESIS_DECL Context& own_context();
    KINESIS_DECL Context& async_context();

    ServiceInfo service_;
    std::string region_;
    std::string endpoint_;
    HttpRequest base_;  ///< scheme, host and path of the endpoint
    std::shared_ptr<CredentialsProvider> credentials_;
    HttpOptions http_options_;
    RetryStrategy retry_;
    Logger log_;
    StopToken stop_;
    std::shared_ptr<const Clock> clock_;
    std::atomic<std::int64_t> skew_ms_{0};
    EventLoop* async_loop_ = nullptr;
    std::unique_ptr<Context> own_;    ///< synchronous calls (and started ones without an async loop)
    std::unique_ptr<Context> async_;  ///< started calls on the async loop
    struct CredentialsCache;
    std::shared_ptr<CredentialsCache> cache_;  ///< shared with a background fetch
};

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/protocol/detail/impl/service_client.inl.hpp>
#endif

#endif  // KINESIS_PROTOCOL_DETAIL_SERVICE_CLIENT_HPP
