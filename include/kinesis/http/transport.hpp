// SPDX-License-Identifier: Apache-2.0
// HTTP request/response values and the libcurl transport (sync and multi).
#ifndef KINESIS_HTTP_TRANSPORT_HPP
#define KINESIS_HTTP_TRANSPORT_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <chrono>
#include <cstddef>
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
    /// Proxies come from HTTPS_PROXY / HTTP_PROXY / NO_PROXY (libcurl reads them).
    std::size_t max_connections = 64;  ///< per client pool
};

/// Synchronous transport over one reused connection pool (keep-alive; HTTP/2
/// where offered over TLS). Not thread-safe: one per thread, cheap to create.
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

/// Many requests in flight on one thread (curl multi), over one shared pool
/// of keep-alive connections (at most HttpOptions::max_connections; further
/// requests wait inside the client for a free connection).
/// Not thread-safe, except wakeup(): the thread that calls perform() runs
/// every callback, and only that thread may call submit().
class AsyncHttpClient {
public:
    using Callback = std::function<void(Result<HttpResponse>)>;

    KINESIS_DECL explicit AsyncHttpClient(HttpOptions options = {});
    /// Requests still in flight are dropped without running their callbacks.
    KINESIS_DECL ~AsyncHttpClient();
    AsyncHttpClient(const AsyncHttpClient&) = delete;
    AsyncHttpClient& operator=(const AsyncHttpClient&) = delete;

    /// Queues a request; its callback runs from a later perform(), never from
    /// submit() itself. A callback may submit further requests.
    KINESIS_DECL void submit(HttpRequest request, Callback on_done);
    /// Drives transfers and runs the callbacks of those that finished. Returns
    /// once at least one callback ran, wakeup() was called, or `wait` has
    /// passed (with nothing in flight it just waits); the result is how many
    /// are still in flight, so `while (client.perform(1s) > 0) {}` drains it.
    KINESIS_DECL std::size_t perform(std::chrono::milliseconds wait);
    /// Requests submitted whose callback has not run yet.
    [[nodiscard]] KINESIS_DECL std::size_t in_flight() const noexcept;
    /// Makes a perform() blocked in another thread return early. Thread-safe.
    KINESIS_DECL void wakeup() noexcept;
    /// Connections opened so far (a reused keep-alive connection does not count).
    [[nodiscard]] KINESIS_DECL std::size_t connections_opened() const noexcept;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/http/impl/transport.inl.hpp>
#endif

#endif  // KINESIS_HTTP_TRANSPORT_HPP
