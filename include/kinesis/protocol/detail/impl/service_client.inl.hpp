// SPDX-License-Identifier: Apache-2.0
// Definitions for protocol/detail/service_client.hpp.
#ifndef KINESIS_PROTOCOL_DETAIL_IMPL_SERVICE_CLIENT_INL_HPP
#define KINESIS_PROTOCOL_DETAIL_IMPL_SERVICE_CLIENT_INL_HPP

#include <kinesis/protocol/detail/service_client.hpp>

#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/core/detail/uri.hpp>
#include <kinesis/core/detail/xml.hpp>

#include <fmt/core.h>

#include <mutex>
#include <optional>
#include <thread>
#include <unordered_set>

namespace kinesis::detail {

namespace protocol_impl {

inline std::string_view trim_left(std::string_view text) noexcept {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r' ||
                             text.front() == '\t')) {
        text.remove_prefix(1);
    }
    return text;
}

// <ErrorResponse><Error>..</Error><RequestId/></ErrorResponse> (Query),
// <Error>..<RequestId/></Error> (S3), <Response><Errors><Error>.. (EC2-style).
inline bool read_xml_error(std::string_view body, Error& error) {
    auto root = parse_xml(body);
    if (!root) return false;
    const XmlElement* node = nullptr;
    if (root->name() == "Error") {
        node = &*root;
    } else if ((node = root->find_child("Error")) == nullptr) {
        if (const auto* errors = root->find_child("Errors")) node = errors->find_child("Error");
    }
    if (node == nullptr) return false;
    error.code = std::string(node->child_text("Code"));
    error.message = std::string(node->child_text("Message"));
    if (error.request_id.empty()) {
        auto id = root->child_text("RequestId");
        if (id.empty()) id = node->child_text("RequestId");
        if (id.empty()) id = root->child_text("RequestID");
        error.request_id = std::string(id);
    }
    return !error.code.empty();
}

}  // namespace protocol_impl

KINESIS_DECL std::string request_id_of(const HttpResponse& response) {
    auto id = response.header("x-amzn-RequestId");
    if (id.empty()) id = response.header("x-amz-request-id");
    return std::string(id);
}

KINESIS_DECL Error extract_error(const HttpResponse& response, JsonParser& parser) {
    Error error;
    error.kind = ErrorKind::Service;
    error.http_status = response.status;
    error.request_id = request_id_of(response);

    // "ValidationException:http://internal.amazon.com/coral/..." -> "ValidationException"
    std::string header_code(response.header("x-amzn-ErrorType"));
    if (const auto colon = header_code.find(':'); colon != std::string::npos) header_code.resize(colon);

    const auto body = protocol_impl::trim_left(response.body);
    bool readable = false;
    if (!body.empty() && body.front() == '<') {
        readable = protocol_impl::read_xml_error(body, error);
    } else if (!body.empty() && body.front() == '{') {
        JsonErrorBody fields;
        if (read_json_error_body(parser, response.body, fields)) {
            readable = true;
            error.code = std::move(fields.type);
            error.message = std::move(fields.message);
        }
    }
    if (error.code.empty()) error.code = std::move(header_code);

    if (!readable && error.code.empty()) {
        if (response.status == 429) {
            error.kind = ErrorKind::Throttled;
            error.message = "too many requests";
        } else if (!body.empty() && response.status < 500) {
            error.kind = ErrorKind::Parse;
            error.message = fmt::format("unreadable error answer ({} bytes)", response.body.size());
        } else {
            error.message = fmt::format("HTTP {} without an AWS error", response.status);
        }
        return error;
    }
    if (is_throttling_code(error.code)) error.kind = ErrorKind::Throttled;
    return error;
}

KINESIS_DECL void scrub_error(Error& error, const Credentials& credentials) {
    scrub(error.message, {credentials.secret_access_key.view(), credentials.session_token.view()});
}

KINESIS_DECL HttpRequest json_request(const HttpRequest& endpoint, std::string_view target_prefix,
                                      std::string_view operation, std::string_view json_version, std::string body) {
    HttpRequest request;
    request.method = "POST";
    request.scheme = endpoint.scheme;
    request.host = endpoint.host;
    request.path = endpoint.path;
    // Room for the signer's headers: no reallocation while signing.
    request.headers.reserve(8);
    request.headers.push_back({"Content-Type", fmt::format("application/x-amz-json-{}", json_version)});
    request.headers.push_back({"X-Amz-Target", fmt::format("{}.{}", target_prefix, operation)});
    request.body = std::move(body);
    return request;
}

namespace protocol_impl {

// application/x-www-form-urlencoded, as botocore writes it: a space is '+'.
// AWS reads "%20" alike, but moto's signature check hashes a body it has
// decoded and encoded again, so only the SDKs' own form matches there.
inline void form_encode(std::string_view text, std::string& out) {
    for (std::size_t start = 0;;) {
        const auto space = text.find(' ', start);
        uri_encode(text.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start), out);
        if (space == std::string_view::npos) return;
        out += '+';
        start = space + 1;
    }
}

}  // namespace protocol_impl

KINESIS_DECL HttpRequest query_request(const HttpRequest& endpoint, std::string_view action,
                                       std::string_view version,
                                       const std::vector<std::pair<std::string, std::string>>& params) {
    HttpRequest request;
    request.method = "POST";
    request.scheme = endpoint.scheme;
    request.host = endpoint.host;
    request.path = endpoint.path;
    request.headers.reserve(8);
    request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
    std::string& body = request.body;
    body = "Action=";
    uri_encode(action, body);
    body += "&Version=";
    uri_encode(version, body);
    for (const auto& [name, value] : params) {
        body += '&';
        protocol_impl::form_encode(name, body);
        body += '=';
        protocol_impl::form_encode(value, body);
    }
    return request;
}

KINESIS_DECL HttpRequest rest_request(const HttpRequest& endpoint, RestRequest rest) {
    HttpRequest request;
    request.method = std::move(rest.method);
    request.scheme = endpoint.scheme;
    request.host = rest.host.empty() ? endpoint.host : std::move(rest.host);
    if (endpoint.path.empty() || endpoint.path == "/") {
        request.path = std::move(rest.path);
    } else {
        std::string_view prefix = endpoint.path;
        if (prefix.back() == '/') prefix.remove_suffix(1);
        request.path = std::string(prefix) + rest.path;
    }
    if (request.path.empty()) request.path = "/";
    request.query = std::move(rest.query);
    request.headers = std::move(rest.headers);
    request.body = std::move(rest.body);
    return request;
}

namespace protocol_impl {

inline HttpOptions http_options(const ClientConfig& config) {
    HttpOptions options;
    options.connect_timeout = config.connect_timeout;
    options.request_timeout = config.request_timeout;
    options.verify_tls = config.verify_tls;
    options.ca_bundle = resolve_ca_bundle(config).value();
    return options;
}

template <class T>
T or_throw(Result<T> result) {
    if (!result) throw Exception(std::move(result).error());
    return std::move(*result);
}

}  // namespace protocol_impl

// ---------------------------------------------------------------- the pipeline

struct ServiceClient::Context {
    explicit Context(EventLoop& on) : loop(on) {}
    // Owned when the client made it; a shared async loop is only referenced.
    std::unique_ptr<EventLoop> owned_loop;
    EventLoop& loop;
    Signer signer;
    JsonParser parser;
    std::unordered_set<Call*> calls;
    // Posted tasks check it: a task posted before the client went away finds it expired.
    std::shared_ptr<Context*> alive = std::make_shared<Context*>(this);
};

// Credentials for calls on the async loop: served from here while fresh,
// fetched on a thread of their own when missing or about to expire, so the
// loop never waits on a provider that goes to the network.
struct ServiceClient::CredentialsCache {
    using Waiter = std::function<void(const Result<Credentials>&)>;
    // Refresh this long before expiry; use cached ones until expiry.
    static constexpr std::chrono::minutes refresh_ahead{5};

    std::shared_ptr<CredentialsProvider> provider;
    std::shared_ptr<const Clock> clock;
    std::mutex mutex;
    std::optional<Credentials> cached;
    bool fetching = false;
    std::vector<std::pair<EventLoop*, Waiter>> waiters;  // guarded by mutex
    bool closed = false;

    // Runs `waiter` now (fresh credentials) or on `loop` once fetched.
    void get(EventLoop& loop, Waiter waiter, const std::shared_ptr<CredentialsCache>& self) {
        std::unique_lock<std::mutex> lock(mutex);
        const auto now = clock->wall_now();
        const bool usable = cached && (!cached->expiration || now < *cached->expiration);
        const bool fresh = usable && (!cached->expiration || now < *cached->expiration - refresh_ahead);
        if (!fresh && !fetching) {
            fetching = true;
            std::thread([self] { self->fetch(); }).detach();
        }
        if (usable) {
            Credentials copy = *cached;
            lock.unlock();
            waiter(copy);
            return;
        }
        waiters.emplace_back(&loop, std::move(waiter));
    }

    void fetch() {
        auto result = provider->credentials();
        if (!result) result.error().kind = ErrorKind::Credentials;
        std::vector<std::pair<EventLoop*, Waiter>> ready;
        {
            std::lock_guard<std::mutex> lock(mutex);
            fetching = false;
            if (result) cached = *result;
            if (closed) return;
            ready.swap(waiters);
            // Posted under the lock: close() takes it, so no loop is posted to
            // once its client has gone.
            for (auto& [loop, waiter] : ready) {
                loop->post([waiter = std::move(waiter), result] { waiter(result); });
            }
        }
    }

    void close() {
        std::lock_guard<std::mutex> lock(mutex);
        closed = true;
        waiters.clear();
    }
};

class ServiceClient::Call {
public:
    Call(ServiceClient& client, Context& context, PreparedCall prepared, Done done)
        : client_(client), context_(context), prepared_(std::move(prepared)), done_(std::move(done)) {}

    /// call_json_borrowing(): the body goes back to the caller's buffer.
    void set_body_return(std::string* body) noexcept { body_return_ = body; }
    /// A synchronous call may fetch credentials on its own thread.
    void allow_blocking() noexcept { blocking_allowed_ = true; }

    void start() {
        context_.calls.insert(this);
        if (prepared_.operation.empty()) prepared_.operation = prepared_.request.method;
        const auto& signing = prepared_.signing;
        params_.region = client_.region_;
        params_.service = client_.service_.signing_name;
        params_.double_uri_encode = signing.double_uri_encode;
        params_.normalize_path = signing.normalize_path;
        params_.add_content_sha256_header = signing.add_content_sha256_header;
        // Hashed once for every attempt: the body does not change between them.
        params_.payload_hash = signing.payload_hash;
        if (params_.payload_hash.empty()) {
            const auto digest = sha256(prepared_.request.body);
            hex_encode_to(digest.data(), digest.size(), body_hash_);
            params_.payload_hash = std::string_view(body_hash_, sizeof body_hash_);
        }
        if (client_.stop_.stop_possible()) {
            std::weak_ptr<Context*> alive = context_.alive;
            EventLoop* loop = &context_.loop;
            stop_watch_.emplace(client_.stop_, [alive, loop, self = this] {
                loop->post([alive, self] {
                    if (auto context = alive.lock(); context && (*context)->calls.count(self) != 0) self->on_stop();
                });
            });
        }
        next_attempt();
    }

    // The client is going away: end without running the callback.
    void abandon() {
        if (pending_ != 0) context_.loop.cancel(pending_);
        delete this;
    }

private:
    // A stop ends waits, not calls: a call started after it still makes its
    // attempt (the caller may be delivering what it has in hand), but no retry.
    void next_attempt() {
        waiting_for_credentials_ = true;
        if (blocking_allowed_) {
            // The client's own loop runs on the caller's thread during call():
            // blocking here blocks only that caller. Providers cache and
            // refresh on their own, as every SDK's do.
            auto credentials = client_.credentials_->credentials();
            return on_credentials(credentials);
        }
        std::weak_ptr<Context*> alive = context_.alive;
        client_.cache_->get(
            context_.loop,
            [alive, self = this](const Result<Credentials>& credentials) {
                if (auto context = alive.lock(); context && (*context)->calls.count(self) != 0) {
                    self->on_credentials(credentials);
                }
            },
            client_.cache_);
    }

    void on_credentials(const Result<Credentials>& credentials) {
        waiting_for_credentials_ = false;
        if (!credentials) {
            Error error = credentials.error();
            error.kind = ErrorKind::Credentials;
            client_.log_.logf(LogLevel::Error, "{} {}: {}", client_.service_.signing_name, prepared_.operation,
                              error.to_string());
            return finish(std::move(error));
        }
        credentials_ = *credentials;
        params_.time = client_.clock_->wall_now() + client_.clock_skew();
        context_.signer.sign(prepared_.request, credentials_, params_);
        const Logger& log = client_.log_;
        if (log.enabled(LogLevel::Debug)) {
            log.logf(LogLevel::Debug, "{} {} attempt {}: {}", client_.service_.signing_name, prepared_.operation,
                     state_.retry.attempts, describe_request(prepared_.request, log.enabled(LogLevel::Trace)));
        }
        attempt_wall_ = client_.clock_->wall_now();
        attempt_started_ = std::chrono::steady_clock::now();
        pending_ = context_.loop.send_borrowed(
            prepared_.request,
            [this](Result<HttpResponse> response) {
                pending_ = 0;
                on_response(std::move(response));
            },
            prepared_.stream, &client_.http_options_);
    }

    void on_response(Result<HttpResponse> response) {
        const auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                                 attempt_started_);
        const auto& service = client_.service_;
        const Logger& log = client_.log_;
        Error error;
        if (!response) {
            error = std::move(response).error();
        } else if (response->status >= 200 && response->status < 300) {
            report_.attempts.push_back(CallAttempt{attempt_wall_, elapsed, {}});
            client_.retry_.on_success(state_.retry);
            log.logf(LogLevel::Debug, "{} {}: HTTP {} in {} ms, {} bytes", service.signing_name, prepared_.operation,
                     response->status, elapsed.count() / 1000, response->body.size());
            return finish(std::move(response));
        } else {
            error = extract_error(*response, context_.parser);
        }
        scrub_error(error, credentials_);
        report_.attempts.push_back(
            CallAttempt{attempt_wall_, elapsed, error.code.empty() ? std::string(to_string(error.kind)) : error.code});

        const auto step = next_step(error, response ? &*response : nullptr, state_, client_.retry_,
                                    client_.clock_->wall_now(), client_.clock_skew());
        switch (step.action) {
            case NextAction::Stop:
                if (response) {
                    // Kept for the caller like the error's message, and scrubbed alike.
                    report_.error_body = std::move(response->body);
                    scrub(report_.error_body,
                          {credentials_.secret_access_key.view(), credentials_.session_token.view()});
                }
                log.logf(LogLevel::Debug, "{} {} failed after {} ms ({}): {}", service.signing_name,
                         prepared_.operation, elapsed.count() / 1000, step.reason, error.to_string());
                return finish(std::move(error));
            case NextAction::RetrySkewCorrected:
                client_.skew_ms_.store(step.clock_skew.count(), std::memory_order_relaxed);
                log.logf(LogLevel::Warn, "{} {}: {}; the server's clock is {} s from ours, retrying with it",
                         service.signing_name, prepared_.operation, error.code,
                         std::chrono::duration_cast<std::chrono::seconds>(step.clock_skew).count());
                return next_attempt();
            case NextAction::Retry:
                log.logf(LogLevel::Info, "{} {}: {}; retry {} of {} in {} ms", service.signing_name,
                         prepared_.operation, error.to_string(), state_.retry.attempts - 1,
                         client_.retry_.config().max_attempts - 1, step.delay.count());
                last_error_ = std::move(error);
                if (client_.stop_.stop_requested()) return stopped();
                pending_ = context_.loop.add_timer(step.delay, [this] {
                    pending_ = 0;
                    next_attempt();
                });
                return;
        }
    }

    // The stop token was set: a backoff or a credentials wait ends now; an
    // attempt on the wire finishes first (its answer may say the write took
    // effect), and then nothing is retried.
    void on_stop() {
        if (waiting_for_credentials_) return stopped();
        if (pending_ != 0 && last_error_) {
            context_.loop.cancel(pending_);
            pending_ = 0;
            stopped();
        }
    }

    void stopped() {
        Error error;
        error.kind = ErrorKind::Stopped;
        error.message = fmt::format("{} {}: stopped before the call completed", client_.service_.signing_name,
                                    prepared_.operation);
        if (last_error_) error.message += fmt::format(" (last attempt: {})", last_error_->to_string());
        finish(std::move(error));
    }

    void finish(Result<HttpResponse> result) {
        stop_watch_.reset();
        if (body_return_ != nullptr) *body_return_ = std::move(prepared_.request.body);
        context_.calls.erase(this);
        auto done = std::move(done_);
        auto report = std::move(report_);
        delete this;
        if (done) done(std::move(result), std::move(report));
    }

    ServiceClient& client_;
    Context& context_;
    PreparedCall prepared_;
    Done done_;
    SigningParams params_;
    char body_hash_[64] = {};
    CallState state_;
    CallReport report_;
    Credentials credentials_;
    std::optional<Error> last_error_;  // set while a retry waits
    EventLoop::Id pending_ = 0;        // the transfer in flight or the backoff timer
    bool waiting_for_credentials_ = false;
    bool blocking_allowed_ = false;
    std::string* body_return_ = nullptr;
    Timestamp attempt_wall_{};
    std::chrono::steady_clock::time_point attempt_started_{};
    std::optional<StopCallback> stop_watch_;
};

KINESIS_DECL ServiceClient::ServiceClient(const ClientConfig& config, ServiceInfo service, EventLoop* async_loop)
    : service_(service),
      region_(protocol_impl::or_throw(resolve_region(config))),
      endpoint_(protocol_impl::or_throw(
          resolve_endpoint(config, service.endpoint_prefix, service.env_name, region_))),
      base_(protocol_impl::or_throw(HttpRequest::from_url("POST", endpoint_))),
      credentials_(make_credentials_provider(config)),
      http_options_(protocol_impl::http_options(config)),
      retry_(protocol_impl::or_throw(resolve_retry_config(config.retry))),
      log_(config.log, config.log_level),
      stop_(config.stop),
      clock_(config.clock ? config.clock : SystemClock::instance()),
      async_loop_(async_loop),
      cache_(std::make_shared<CredentialsCache>()) {
    // A query in the endpoint URL would be signed into every request; AWS endpoints have none.
    base_.query.clear();
    cache_->provider = credentials_;
    cache_->clock = clock_;
}

KINESIS_DECL ServiceClient::~ServiceClient() {
    cache_->close();
    for (auto* context : {own_.get(), async_.get()}) {
        if (context == nullptr) continue;
        auto calls = context->calls;
        for (Call* call : calls) call->abandon();
    }
}

KINESIS_DECL ServiceClient::Context& ServiceClient::own_context() {
    if (!own_) {
        auto loop = std::make_unique<EventLoop>(http_options_);
        own_ = std::make_unique<Context>(*loop);
        own_->owned_loop = std::move(loop);
    }
    return *own_;
}

KINESIS_DECL ServiceClient::Context& ServiceClient::async_context() {
    if (async_loop_ == nullptr) return own_context();
    if (!async_) async_ = std::make_unique<Context>(*async_loop_);
    return *async_;
}

KINESIS_DECL EventLoop& ServiceClient::loop() noexcept { return async_context().loop; }
KINESIS_DECL JsonParser& ServiceClient::json_parser() noexcept { return own_context().parser; }
KINESIS_DECL JsonParser& ServiceClient::async_json_parser() noexcept { return async_context().parser; }

KINESIS_DECL void ServiceClient::start_on(Context& context, PreparedCall prepared, Done done) {
    (new Call(*this, context, std::move(prepared), std::move(done)))->start();
}

KINESIS_DECL Result<HttpResponse> ServiceClient::run_blocking(PreparedCall prepared, CallReport* report,
                                                              std::string* body_return) {
    Context& context = own_context();
    std::optional<Result<HttpResponse>> answer;
    auto* call = new Call(*this, context, std::move(prepared), [&](Result<HttpResponse> result, CallReport r) {
        answer = std::move(result);
        if (report != nullptr) *report = std::move(r);
    });
    call->set_body_return(body_return);
    call->allow_blocking();
    call->start();
    while (!answer) context.loop.run_once(std::chrono::hours(1));
    return std::move(*answer);
}

KINESIS_DECL Result<HttpResponse> ServiceClient::call(PreparedCall prepared, CallReport* report) {
    return run_blocking(std::move(prepared), report, nullptr);
}

KINESIS_DECL void ServiceClient::start(PreparedCall prepared, Done done) {
    Context& context = async_context();
    if (async_loop_ == nullptr || context.loop.in_loop_thread()) {
        return start_on(context, std::move(prepared), std::move(done));
    }
    std::weak_ptr<Context*> alive = context.alive;
    // std::function needs a copyable closure: the call travels in a shared_ptr.
    auto moved = std::make_shared<std::pair<PreparedCall, Done>>(std::move(prepared), std::move(done));
    context.loop.post([this, alive, moved] {
        if (!alive.lock()) return;
        start_on(*async_, std::move(moved->first), std::move(moved->second));
    });
}

KINESIS_DECL bool ServiceClient::wait_for(std::chrono::milliseconds delay) {
    if (stop_.stop_requested()) return false;
    if (delay.count() <= 0) return true;
    Context& context = own_context();
    bool due = false;
    const auto timer = context.loop.add_timer(delay, [&due] { due = true; });
    StopCallback wake(stop_, [&context] { context.loop.wakeup(); });
    while (!due && !stop_.stop_requested()) context.loop.run_once(std::chrono::hours(1));
    if (!due) context.loop.cancel(timer);
    return due;
}

KINESIS_DECL PreparedCall ServiceClient::json_call(std::string_view target_prefix, std::string_view operation,
                                                   std::string_view json_version, std::string body) const {
    return PreparedCall{json_request(base_, target_prefix, operation, json_version, std::move(body)), {}, operation,
                        {}};
}

KINESIS_DECL PreparedCall ServiceClient::query_call(
    std::string_view action, std::string_view version,
    const std::vector<std::pair<std::string, std::string>>& params) const {
    return PreparedCall{query_request(base_, action, version, params), {}, action, {}};
}

KINESIS_DECL PreparedCall ServiceClient::rest_call(RestRequest rest) const {
    RestSigning signing = std::move(rest.signing);
    PreparedCall prepared{rest_request(base_, std::move(rest)), std::move(signing), {}, {}};
    return prepared;
}

KINESIS_DECL Result<HttpResponse> ServiceClient::call_json(std::string_view target_prefix,
                                                           std::string_view operation,
                                                           std::string_view json_version, std::string body) {
    return call(json_call(target_prefix, operation, json_version, std::move(body)));
}

KINESIS_DECL Result<HttpResponse> ServiceClient::call_json_borrowing(std::string_view target_prefix,
                                                                     std::string_view operation,
                                                                     std::string_view json_version,
                                                                     std::string& body, CallReport* report) {
    // The body travels in the call and comes back in it: the buffer is handed
    // back, also on error, so its capacity is kept for the next request.
    return run_blocking(json_call(target_prefix, operation, json_version, std::move(body)), report, &body);
}

KINESIS_DECL Result<HttpResponse> ServiceClient::call_query(
    std::string_view action, std::string_view version,
    const std::vector<std::pair<std::string, std::string>>& params) {
    return call(query_call(action, version, params));
}

KINESIS_DECL Result<HttpResponse> ServiceClient::call_rest(RestRequest rest) {
    PreparedCall prepared = rest_call(std::move(rest));
    prepared.operation = prepared.request.method;
    return call(std::move(prepared));
}

}  // namespace kinesis::detail

#endif  // KINESIS_PROTOCOL_DETAIL_IMPL_SERVICE_CLIENT_INL_HPP
