// SPDX-License-Identifier: Apache-2.0
// HTTP request/response values and the libcurl transport: an event loop, and a blocking client on it.
#ifndef KINESIS_HTTP_TRANSPORT_HPP
#define KINESIS_HTTP_TRANSPORT_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/stop.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kinesis {

struct HttpHeader {
    std::string name;
    std::string value;
};

/// A request as the signer and the transport see it.
struct HttpRequest {
    std::string method = "POST";
    std::string scheme = "https";
    std::string host;       ///< host[:port], exactly as sent in the Host header
    std::string path = "/"; ///< as sent on the wire: already percent-encoded
    /// Decoded names and values; encoded (RFC 3986) when sent and when signed.
    std::vector<std::pair<std::string, std::string>> query;
    std::vector<HttpHeader> headers;
    std::string body;

    /// First header with this name (case-insensitive), or nullptr.
    [[nodiscard]] KINESIS_DECL const HttpHeader* find_header(std::string_view name) const noexcept;
    /// Replaces the value of a header (case-insensitive match) or appends it.
    KINESIS_DECL void set_header(std::string_view name, std::string value);
    /// scheme://host/path?query, the query encoded as it is signed.
    [[nodiscard]] KINESIS_DECL std::string url() const;

    /// A request for `method` on an absolute http(s) URL: scheme, host[:port]
    /// and path are taken as written, query pairs are percent-decoded. Fails
    /// (InvalidArgument) on another scheme, an empty host or a bad escape.
    [[nodiscard]] static KINESIS_DECL Result<HttpRequest> from_url(std::string method,
                                                                   std::string_view url);
};

struct HttpResponse {
    int status = 0;
    /// The protocol the answer came over: 10 (HTTP/1.0), 11, 20 (HTTP/2), 30.
    int http_version = 0;
    std::vector<HttpHeader> headers;  ///< names as received
    /// Capacity keeps simdjson's padding past size(), so it parses in place.
    std::string body;

    /// Value of the first header with this name (case-insensitive), or "".
    [[nodiscard]] KINESIS_DECL std::string_view header(std::string_view name) const noexcept;
};

/// Transport settings; every field has a working default.
struct HttpOptions {
    std::chrono::milliseconds connect_timeout = std::chrono::seconds(10);  ///< 0: libcurl's 300 s
    std::chrono::milliseconds request_timeout = std::chrono::seconds(30);  ///< whole transfer; 0: none
    bool verify_tls = true;
    std::string ca_bundle;  ///< empty: the system's CA store
    /// HTTP/2 over TLS when the server offers it (ALPN); plain http stays HTTP/1.1.
    bool http2 = true;
    /// HTTP/2 over plain http without an upgrade (h2c "prior knowledge"), for
    /// servers known to speak it (kinesis-mock's plain port does).
    bool http2_prior_knowledge = false;
    /// Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (libcurl reads them).
    std::size_t max_connections = 64;  ///< per client pool
};

/// Blocking transport: one transfer at a time on an EventLoop of its own,
/// driven to completion on the calling thread, over one reused connection
/// pool (keep-alive; HTTP/2 where offered). Not thread-safe: one per thread.
class HttpClient {
public:
    KINESIS_DECL explicit HttpClient(HttpOptions options = {});
    KINESIS_DECL ~HttpClient();
    KINESIS_DECL HttpClient(HttpClient&&) noexcept;
    KINESIS_DECL HttpClient& operator=(HttpClient&&) noexcept;
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// Sends and waits. Transport failures become ErrorKind::Transport or
    /// ErrorKind::Timeout (a URL curl cannot parse: InvalidArgument; a TLS
    /// certificate that fails verification or cannot be loaded: Certificate);
    /// any HTTP status is a successful Result.
    [[nodiscard]] KINESIS_DECL Result<HttpResponse> send(const HttpRequest& request);

    /// Connections opened so far (a reused keep-alive connection does not count).
    [[nodiscard]] KINESIS_DECL std::size_t connections_opened() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

/// What a caller sees of a 2xx answer while it arrives, instead of one body
/// at the end: for endless answers (SubscribeToShard's event stream) and
/// large downloads. Both run on the loop's thread. An answer that is not 2xx
/// is collected whole as usual, so its error can be read.
struct ResponseStream {
    /// Once, with the status and headers (the body is empty), before any chunk.
    std::function<void(const HttpResponse& head)> on_headers;
    /// Each piece of the body as it arrives. Returning false ends the
    /// transfer; its callback then gets ErrorKind::Stopped.
    std::function<bool(std::string_view chunk)> on_chunk;
};

/// One thread's event loop: HTTP transfers over curl multi (many in flight,
/// one shared pool of keep-alive connections, HTTP/2 multiplexing where
/// negotiated), timers, and tasks posted from other threads. Nothing in it
/// sleeps: every wait is a poll on sockets with the next timer as its bound.
///
/// Threading: one thread at a time drives it (run_once/run); that thread runs
/// every callback, timer and posted task, and only it may call send(),
/// add_timer() and cancel(). post() and wakeup() are the thread-safe calls.
/// Callbacks never run inside the call that registered them.
/// Destroying the loop drops what is pending without running it.
class EventLoop {
public:
    using Callback = std::function<void(Result<HttpResponse>)>;
    using Task = std::function<void()>;
    /// Names a transfer or a timer; never 0.
    using Id = std::uint64_t;

    KINESIS_DECL explicit EventLoop(HttpOptions options = {});
    KINESIS_DECL ~EventLoop();
    EventLoop(const EventLoop&) = delete;
    EventLoop& operator=(const EventLoop&) = delete;

    /// Starts a transfer of `request` (moved into the loop); `on_done` runs on
    /// a later turn with the answer, or with ErrorKind::Transport/Timeout.
    /// Timeouts, TLS and HTTP/2 settings are the loop's own, or `settings`'
    /// when given (a client on a shared loop sends with its own); the pool
    /// size is always the loop's.
    KINESIS_DECL Id send(HttpRequest request, Callback on_done, ResponseStream stream = {},
                         const HttpOptions* settings = nullptr);
    /// As send(), but the loop reads the caller's request (and `settings`),
    /// which must stay alive and unchanged until `on_done` runs or the
    /// transfer is cancelled: a large body is not copied, and one request can
    /// be re-sent per attempt.
    KINESIS_DECL Id send_borrowed(const HttpRequest& request_kept_until_done, Callback on_done,
                                  ResponseStream stream = {}, const HttpOptions* settings = nullptr);
    /// Runs `task` on the loop's thread once `delay` has passed (real time).
    KINESIS_DECL Id add_timer(std::chrono::steady_clock::duration delay, Task task);
    /// Ends a transfer or a timer without running its callback; false if it
    /// had already finished (or never existed).
    KINESIS_DECL bool cancel(Id id);
    /// Queues `task` for the loop's thread and wakes the loop. Thread-safe.
    KINESIS_DECL void post(Task task);
    /// Makes a run_once() blocked in another thread return early. Thread-safe.
    KINESIS_DECL void wakeup() noexcept;

    /// Drives transfers, then runs what is ready: finished transfers' callbacks,
    /// due timers, posted tasks. Returns once something ran, wakeup() was
    /// called, or `max_wait` has passed (with nothing pending it just waits);
    /// the result is pending(), so `while (loop.run_once(1s) > 0) {}` drains it.
    KINESIS_DECL std::size_t run_once(std::chrono::milliseconds max_wait);
    /// Turns the loop until `stop` is requested (wakes at once when it is).
    KINESIS_DECL void run(const StopToken& stop);
    /// Transfers in flight, timers set and tasks posted, not yet run.
    [[nodiscard]] KINESIS_DECL std::size_t pending() const noexcept;
    /// Transfers in flight.
    [[nodiscard]] KINESIS_DECL std::size_t in_flight() const noexcept;
    /// Whether the calling thread is the one inside run_once() now.
    [[nodiscard]] KINESIS_DECL bool in_loop_thread() const noexcept;
    /// Connections opened so far (a reused keep-alive connection does not count).
    [[nodiscard]] KINESIS_DECL std::size_t connections_opened() const noexcept;
    [[nodiscard]] KINESIS_DECL const HttpOptions& options() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/http/impl/transport.inl.hpp>
#endif

#endif  // KINESIS_HTTP_TRANSPORT_HPP
