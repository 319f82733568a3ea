// SPDX-License-Identifier: Apache-2.0
// Definitions for http/transport.hpp.
#ifndef KINESIS_HTTP_IMPL_TRANSPORT_INL_HPP
#define KINESIS_HTTP_IMPL_TRANSPORT_INL_HPP

#include <kinesis/http/transport.hpp>
#include <kinesis/core/detail/uri.hpp>

#include <curl/curl.h>
#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <optional>
#include <thread>
#include <unordered_map>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <vector>

namespace kinesis {

namespace detail::http_impl {

// simdjson parses in place when SIMDJSON_PADDING (64) bytes past the end are
// readable; responses keep that much spare capacity. Kept as a literal so the
// transport does not pull simdjson's header into every TU.
constexpr std::size_t body_padding = 64;

inline bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto x = static_cast<unsigned char>(a[i]);
        const auto y = static_cast<unsigned char>(b[i]);
        if (x != y && std::tolower(x) != std::tolower(y)) return false;
    }
    return true;
}

inline std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
        s.remove_suffix(1);
    return s;
}

// scheme://host/path?query appended to `out`, the query encoded as it is signed.
inline void append_url(const HttpRequest& request, std::string& out) {
    out += request.scheme;
    out += "://";
    out += request.host;
    if (request.path.empty() || request.path.front() != '/') out += '/';
    out += request.path;
    char separator = '?';
    for (const auto& [name, value] : request.query) {
        out += separator;
        separator = '&';
        detail::uri_encode(name, out);
        out += '=';
        detail::uri_encode(value, out);
    }
}

// curl_global_init is not thread-safe and must run once before any handle
// exists; a function-local static gives both (cpr#313). Never cleaned up:
// handles may outlive static destruction order.
inline void global_init() {
    static const CURLcode code = curl_global_init(CURL_GLOBAL_DEFAULT);
    if (code != CURLE_OK) {
        throw std::runtime_error(fmt::format("curl_global_init failed: {}", curl_easy_strerror(code)));
    }
}

// DNS answers and TLS sessions are shared by every client in the process, so
// a new client resumes TLS instead of doing a full handshake. Connections are
// not shared between clients: libcurl documents sharing its connection cache
// across threads as unsafe. Created once, never destroyed (handles may
// outlive static destruction).
class Share {
public:
    static CURLSH* handle() {
        static Share* share = new Share();
        return share->handle_;
    }

private:
    Share() {
        handle_ = curl_share_init();
        if (handle_ == nullptr) return;
        curl_share_setopt(handle_, CURLSHOPT_LOCKFUNC, &Share::lock);
        curl_share_setopt(handle_, CURLSHOPT_UNLOCKFUNC, &Share::unlock);
        curl_share_setopt(handle_, CURLSHOPT_USERDATA, static_cast<void*>(this));
        curl_share_setopt(handle_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
        curl_share_setopt(handle_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
    }
    static void lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
        static_cast<Share*>(self)->mutexes_[static_cast<std::size_t>(data) % CURL_LOCK_DATA_LAST].lock();
    }
    static void unlock(CURL*, curl_lock_data data, void* self) {
        static_cast<Share*>(self)->mutexes_[static_cast<std::size_t>(data) % CURL_LOCK_DATA_LAST].unlock();
    }
    CURLSH* handle_ = nullptr;
    std::mutex mutexes_[CURL_LOCK_DATA_LAST];
};

// What the handle's options were last set from. A transfer that matches
// sets only what changes per request (URL when it differs, body, headers);
// otherwise the handle is reset and every option set again.
struct TransferSetup {
    bool valid = false;
    std::string method;
    bool sends_body = false;
    bool plain_http = false;
    HttpOptions options;

    bool matches(std::string_view m, bool body, bool http, const HttpOptions& o) const noexcept {
        return valid && method == m && sends_body == body && plain_http == http &&
               options.connect_timeout == o.connect_timeout && options.request_timeout == o.request_timeout &&
               options.verify_tls == o.verify_tls && options.ca_bundle == o.ca_bundle &&
               options.http2 == o.http2 && options.http2_prior_knowledge == o.http2_prior_knowledge &&
               options.max_connections == o.max_connections;
    }
};

/// One request on one easy handle; the handle (and so its connections) is
/// reused by the next transfer.
struct Transfer {
    CURL* easy = nullptr;
    std::vector<std::string> header_lines;
    std::vector<curl_slist> header_nodes;
    // curl reads the body from the request while the transfer runs: the sync
    // client points at the caller's request (no copy of a large body), the
    // async client keeps its own in `owned`.
    HttpRequest owned;
    const HttpRequest* request = nullptr;
    std::string url;          // as last given to curl
    std::string url_scratch;  // the next request's, compared with `url`
    TransferSetup setup;
    HttpResponse response;
    char error_text[CURL_ERROR_SIZE] = {};
    EventLoop::Callback on_done;
    ResponseStream stream;
    EventLoop::Id id = 0;
    bool streaming = false;       // a 2xx answer is going to stream.on_chunk
    bool stream_checked = false;  // the status was looked at for streaming
    bool stream_aborted = false;  // on_chunk returned false

    Transfer() {
        global_init();
        easy = curl_easy_init();
        if (easy == nullptr) throw std::runtime_error("curl_easy_init failed");
        // Kept across curl_easy_reset, so set once per handle.
        if (CURLSH* share = Share::handle()) curl_easy_setopt(easy, CURLOPT_SHARE, share);
    }
    ~Transfer() {
        if (easy != nullptr) curl_easy_cleanup(easy);
    }
    Transfer(const Transfer&) = delete;
    Transfer& operator=(const Transfer&) = delete;

    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self) {
        auto& transfer = *static_cast<Transfer*>(self);
        const std::size_t n = size * count;
        if (transfer.stream.on_chunk) {
            if (!transfer.stream_checked) transfer.start_stream();
            if (transfer.streaming) {
                if (transfer.stream.on_chunk(std::string_view(data, n))) return n;
                transfer.stream_aborted = true;
                return 0;  // any other count than n ends the transfer (CURLE_WRITE_ERROR)
            }
        }
        auto& body = transfer.response.body;
        if (body.capacity() < body.size() + n + body_padding) {
            body.reserve(std::max(body.size() + n + body_padding, body.capacity() * 2));
        }
        body.append(data, n);
        return n;
    }

    static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self) {
        auto& response = static_cast<Transfer*>(self)->response;
        const std::size_t n = size * count;
        const std::string_view line(data, n);
        // A new status line starts a new header block (after 100 Continue or
        // a proxy's CONNECT answer): keep only the final response's headers.
        if (line.rfind("HTTP/", 0) == 0) {
            response.headers.clear();
            return n;
        }
        const auto colon = line.find(':');
        if (colon == std::string_view::npos) return n;  // blank line ending the block
        HttpHeader header{std::string(trim(line.substr(0, colon))),
                          std::string(trim(line.substr(colon + 1)))};
        if (iequals(header.name, "content-length")) {
            // Reserve once for the whole body plus simdjson's padding.
            const unsigned long long length = std::strtoull(header.value.c_str(), nullptr, 10);
            if (length > 0 && length < (1ULL << 31)) {
                response.body.reserve(static_cast<std::size_t>(length) + body_padding);
            }
        }
        response.headers.push_back(std::move(header));
        return n;
    }

    // The headers are in by the first body byte: a 2xx answer streams from here on.
    void start_stream() {
        stream_checked = true;
        long status = 0;
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
        if (status < 200 || status >= 300) return;
        streaming = true;
        response.status = static_cast<int>(status);
        response.http_version = http_version();
        if (stream.on_headers) stream.on_headers(response);
    }

    int http_version() const noexcept {
        long version = 0;
        curl_easy_getinfo(easy, CURLINFO_HTTP_VERSION, &version);
        switch (version) {
            case CURL_HTTP_VERSION_1_0: return 10;
            case CURL_HTTP_VERSION_1_1: return 11;
            case CURL_HTTP_VERSION_2_0: return 20;
#ifdef CURL_HTTP_VERSION_3
            case CURL_HTTP_VERSION_3: return 30;
#endif
            default: return 0;
        }
    }

    // The header lines and the curl_slist nodes pointing at them, kept across
    // transfers so a request's headers cost no allocation once their strings
    // have grown to size. curl only reads the list (CURLOPT_HTTPHEADER never
    // copies or frees it), so nodes of our own stand in for curl_slist_append's.
    void build_header_list(const HttpRequest& next, bool sends_body) {
        std::size_t count = 0;
        const auto line = [&]() -> std::string& {
            if (count == header_lines.size()) header_lines.emplace_back();
            return header_lines[count++];
        };
        bool has_content_type = false;
        bool has_host = false;
        bool has_accept = false;
        // Exactly the request's headers: the signer signed them. Blank
        // entries remove what curl would otherwise add on its own.
        for (const auto& header : next.headers) {
            if (iequals(header.name, "content-type")) has_content_type = true;
            if (iequals(header.name, "host")) has_host = true;
            if (iequals(header.name, "accept")) has_accept = true;
            std::string& text = line();
            text.assign(header.name);
            if (header.value.empty()) {
                text += ';';  // curl's spelling of "send this header with no value"
            } else {
                text += ": ";
                text += header.value;
            }
        }
        // curl drops a default port from its own Host header; the signer
        // signed request.host as written, so send exactly that.
        if (!has_host) line().assign("Host: ").append(next.host);
        line().assign("Expect:");
        if (!has_accept) line().assign("Accept:");
        if (!has_content_type && sends_body) line().assign("Content-Type:");
        header_nodes.resize(count);
        for (std::size_t i = 0; i < count; ++i) {
            header_nodes[i].data = header_lines[i].data();
            header_nodes[i].next = i + 1 < count ? &header_nodes[i + 1] : nullptr;
        }
    }

    // Sets the options for `next`: all of them on a reset handle, or only the
    // per-request ones when the last transfer's setup matches (the common case
    // of one client sending the same kind of call again). Returns false (with
    // error_text set) if curl refused an option.
    bool prepare(const HttpRequest& next, const HttpOptions& options) {
        request = &next;
        response = HttpResponse{};
        streaming = stream_checked = stream_aborted = false;
        response.body.reserve(1024 + body_padding);
        error_text[0] = '\0';

        const std::string& method = request->method;
        const bool sends_body = !request->body.empty() || method == "POST" || method == "PUT" ||
                                method == "PATCH";
        const bool plain_http = request->scheme == "http";
        const bool same_setup = setup.matches(method, sends_body, plain_http, options);

        CURLcode rc = CURLE_OK;
        const auto set = [&](CURLoption option, auto value) {
            if (rc == CURLE_OK) rc = curl_easy_setopt(easy, option, value);
        };
        url_scratch.clear();
        append_url(*request, url_scratch);
        const bool same_url = same_setup && url_scratch == url;
        if (!same_url) url.swap(url_scratch);

        if (!same_setup) {
            setup.valid = false;
            // Reset keeps the connection cache, DNS cache and TLS sessions.
            curl_easy_reset(easy);
            set(CURLOPT_ERRORBUFFER, error_text);
            // The path was signed as it is: curl must not squash "." and ".." segments
            // (S3 keys like "a/../b" are names, not paths).
            set(CURLOPT_PATH_AS_IS, 1L);
            set(CURLOPT_NOSIGNAL, 1L);
            set(CURLOPT_TCP_KEEPALIVE, 1L);
            set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options.connect_timeout.count()));
            set(CURLOPT_TIMEOUT_MS, static_cast<long>(options.request_timeout.count()));
            long version = CURL_HTTP_VERSION_1_1;
            if (options.http2_prior_knowledge && plain_http) {
                version = CURL_HTTP_VERSION_2_PRIOR_KNOWLEDGE;
            } else if (options.http2) {
                version = CURL_HTTP_VERSION_2TLS;
            }
            set(CURLOPT_HTTP_VERSION, version);
            // Wait for a connection that may multiplex rather than open one more:
            // many calls started at once then share one HTTP/2 connection.
            if (version != CURL_HTTP_VERSION_1_1) set(CURLOPT_PIPEWAIT, 1L);
            set(CURLOPT_SSL_VERIFYPEER, options.verify_tls ? 1L : 0L);
            set(CURLOPT_SSL_VERIFYHOST, options.verify_tls ? 2L : 0L);
            if (!options.ca_bundle.empty()) set(CURLOPT_CAINFO, options.ca_bundle.c_str());
            set(CURLOPT_MAXCONNECTS, static_cast<long>(std::max<std::size_t>(options.max_connections, 1)));
            set(CURLOPT_WRITEFUNCTION, &Transfer::on_body);
            set(CURLOPT_WRITEDATA, static_cast<void*>(this));
            set(CURLOPT_HEADERFUNCTION, &Transfer::on_header);
            set(CURLOPT_HEADERDATA, static_cast<void*>(this));
            set(CURLOPT_PRIVATE, static_cast<void*>(this));
            if (method == "HEAD") {
                set(CURLOPT_NOBODY, 1L);
            } else if (sends_body) {
                // POSTFIELDS (below) sends the bytes as they are, with
                // Content-Length; CUSTOMREQUEST swaps the verb for PUT and friends.
                if (method != "POST") set(CURLOPT_CUSTOMREQUEST, method.c_str());
            } else if (method == "GET") {
                set(CURLOPT_HTTPGET, 1L);
            } else {
                set(CURLOPT_CUSTOMREQUEST, method.c_str());
            }
        }
        if (!same_url) set(CURLOPT_URL, url.c_str());
        if (sends_body && method != "HEAD") {
            set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request->body.size()));
            set(CURLOPT_POSTFIELDS, request->body.data());
        }
        build_header_list(*request, sends_body);
        set(CURLOPT_HTTPHEADER, header_nodes.data());

        if (rc != CURLE_OK) {
            setup.valid = false;
            if (error_text[0] == '\0') {
                std::snprintf(error_text, sizeof error_text, "%s", curl_easy_strerror(rc));
            }
            return false;  // the next transfer on this handle starts from a reset
        }
        if (!same_setup) {
            setup.method.assign(method);
            setup.sends_body = sends_body;
            setup.plain_http = plain_http;
            setup.options = options;
            setup.valid = true;
        }
        return true;
    }

    long connections_opened() const noexcept {
        long count = 0;
        curl_easy_getinfo(easy, CURLINFO_NUM_CONNECTS, &count);
        return count;
    }

    // The finished transfer as a Result; names method, scheme, host and path,
    // never the query (a presigned URL carries a session token) or headers.
    Result<HttpResponse> finish(CURLcode code) {
        if (stream_aborted) {
            Error error;
            error.kind = ErrorKind::Stopped;
            error.message = fmt::format("{} {}://{}{}: the response stream was ended by its reader", request->method,
                                        request->scheme, request->host, request->path);
            return error;
        }
        if (code == CURLE_OK) {
            long status = 0;
            curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &status);
            response.status = static_cast<int>(status);
            response.http_version = http_version();
            if (response.body.capacity() < response.body.size() + body_padding) {
                response.body.reserve(response.body.size() + body_padding);
            }
            return std::move(response);
        }
        Error error;
        const std::string_view text = error_text[0] != '\0' ? error_text : curl_easy_strerror(code);
        std::string_view what;  // said before curl's text, where curl's alone is unclear
        switch (code) {
            case CURLE_OPERATION_TIMEDOUT: error.kind = ErrorKind::Timeout; break;
            // A request curl cannot even start is the caller's mistake, and
            // retrying it would fail the same way.
            case CURLE_URL_MALFORMAT:
            case CURLE_UNSUPPORTED_PROTOCOL:
            case CURLE_BAD_FUNCTION_ARGUMENT: error.kind = ErrorKind::InvalidArgument; break;
            // The same certificate, CA bundle or pinned key fails again on every
            // attempt: no retry. curl names the file in the *_BADFILE texts.
            case CURLE_PEER_FAILED_VERIFICATION:
            case CURLE_SSL_ISSUER_ERROR:
            case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            case CURLE_SSL_INVALIDCERTSTATUS:
                error.kind = ErrorKind::Certificate;
                what = "certificate verification failed: ";
                break;
            case CURLE_SSL_CACERT_BADFILE:
            case CURLE_SSL_CERTPROBLEM:
            case CURLE_SSL_CRL_BADFILE: error.kind = ErrorKind::Certificate; break;
            // A handshake that failed on a certificate: ours, refused by the peer
            // with a TLS alert, during the handshake (TLS 1.2) or on the first
            // read (TLS 1.3); or the peer's, where curl reports no code of its
            // own. Any other handshake or read failure may pass on retry.
            case CURLE_SSL_CONNECT_ERROR:
            case CURLE_RECV_ERROR:
                error.kind = ErrorKind::Transport;
                if (text.find("certificate verify failed") != std::string_view::npos) {
                    error.kind = ErrorKind::Certificate;
                    what = "certificate verification failed: ";
                }
                for (std::string_view alert : {"alert bad certificate", "alert certificate", "alert unknown ca",
                                               "alert unsupported certificate"}) {
                    if (error.kind == ErrorKind::Transport && text.find(alert) != std::string_view::npos) {
                        error.kind = ErrorKind::Certificate;
                        what = "the server refused the client certificate: ";
                    }
                }
                break;
            default: error.kind = ErrorKind::Transport; break;
        }
        error.message = fmt::format("{} {}://{}{}: {}{}", request->method, request->scheme, request->host,
                                    request->path, what, text);
        return error;
    }
};

}  // namespace detail::http_impl

// ---------------------------------------------------------------- HttpRequest

KINESIS_DECL const HttpHeader* HttpRequest::find_header(std::string_view name) const noexcept {
    for (const auto& header : headers) {
        if (detail::http_impl::iequals(header.name, name)) return &header;
    }
    return nullptr;
}

KINESIS_DECL void HttpRequest::set_header(std::string_view name, std::string value) {
    for (auto& header : headers) {
        if (detail::http_impl::iequals(header.name, name)) {
            header.value = std::move(value);
            return;
        }
    }
    headers.push_back(HttpHeader{std::string(name), std::move(value)});
}

KINESIS_DECL std::string HttpRequest::url() const {
    std::string out;
    out.reserve(scheme.size() + 3 + host.size() + path.size() + 16 * query.size());
    detail::http_impl::append_url(*this, out);
    return out;
}

KINESIS_DECL Result<HttpRequest> HttpRequest::from_url(std::string method, std::string_view url) {
    HttpRequest request;
    request.method = std::move(method);
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) {
        return invalid_argument(fmt::format("url \"{}\" has no scheme; expected http:// or https://", url));
    }
    const std::string_view scheme = url.substr(0, scheme_end);
    if (!detail::http_impl::iequals(scheme, "http") && !detail::http_impl::iequals(scheme, "https")) {
        return invalid_argument(fmt::format("url \"{}\": scheme must be http or https", url));
    }
    request.scheme = detail::http_impl::iequals(scheme, "http") ? "http" : "https";
    std::string_view rest = url.substr(scheme_end + 3);
    const auto fragment = rest.find('#');
    if (fragment != std::string_view::npos) rest = rest.substr(0, fragment);
    const auto host_end = rest.find_first_of("/?");
    request.host = std::string(rest.substr(0, host_end));
    if (request.host.empty()) return invalid_argument(fmt::format("url \"{}\" has no host", url));
    if (request.host.find('@') != std::string::npos) {
        // Never echo user info back: it may be a password.
        return invalid_argument("url has user info (user@host); credentials belong in a provider");
    }
    rest = host_end == std::string_view::npos ? std::string_view{} : rest.substr(host_end);
    const auto query_start = rest.find('?');
    request.path = std::string(rest.substr(0, query_start));
    if (request.path.empty()) request.path = "/";
    if (query_start != std::string_view::npos) {
        std::string_view query = rest.substr(query_start + 1);
        while (!query.empty()) {
            const auto amp = query.find('&');
            const std::string_view pair = query.substr(0, amp);
            query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
            if (pair.empty()) continue;
            const auto eq = pair.find('=');
            auto name = detail::uri_decode(pair.substr(0, eq));
            auto value = detail::uri_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1));
            if (!name) return std::move(name).error();
            if (!value) return std::move(value).error();
            request.query.emplace_back(std::move(*name), std::move(*value));
        }
    }
    return request;
}

KINESIS_DECL std::string_view HttpResponse::header(std::string_view name) const noexcept {
    for (const auto& h : headers) {
        if (detail::http_impl::iequals(h.name, name)) return h.value;
    }
    return {};
}

// ---------------------------------------------------------------- EventLoop

struct EventLoop::Impl {
    using Transfer = detail::http_impl::Transfer;
    using clock = std::chrono::steady_clock;

    HttpOptions options;
    CURLM* multi = nullptr;
    Id next_id = 0;
    std::vector<std::unique_ptr<Transfer>> idle;  // handles kept for reuse
    std::unordered_map<Id, std::unique_ptr<Transfer>> active;  // added to the multi handle
    // Failed before reaching curl; reported on the next turn so a callback
    // never runs inside send().
    std::deque<std::pair<std::unique_ptr<Transfer>, CURLcode>> failed;
    std::multimap<clock::time_point, Id> timer_order;
    std::unordered_map<Id, std::pair<clock::time_point, Task>> timers;
    std::size_t connections = 0;
    std::atomic<bool> woken{false};
    std::atomic<std::thread::id> runner{};
    mutable std::mutex posted_mutex;
    std::vector<Task> posted;
    std::atomic<std::size_t> posted_count{0};

    std::unique_ptr<Transfer> take_idle() {
        if (idle.empty()) return std::make_unique<Transfer>();
        auto transfer = std::move(idle.back());
        idle.pop_back();
        return transfer;
    }

    // Parks a finished handle (and its connection) for reuse; a burst beyond
    // a full pool's worth frees the rest.
    void park(std::unique_ptr<Transfer> transfer) {
        transfer->on_done = nullptr;
        transfer->stream = ResponseStream{};
        transfer->owned = HttpRequest{};
        transfer->request = nullptr;
        if (idle.size() < 2 * std::max<std::size_t>(options.max_connections, 1)) idle.push_back(std::move(transfer));
    }

    Id start(std::unique_ptr<Transfer> transfer, const HttpRequest& request, Callback on_done,
             ResponseStream stream, const HttpOptions* settings) {
        const Id id = ++next_id;
        transfer->id = id;
        transfer->on_done = std::move(on_done);
        transfer->stream = std::move(stream);
        if (!transfer->prepare(request, settings != nullptr ? *settings : options)) {
            failed.emplace_back(std::move(transfer), CURLE_BAD_FUNCTION_ARGUMENT);
            return id;
        }
        const CURLMcode code = curl_multi_add_handle(multi, transfer->easy);
        if (code != CURLM_OK) {
            std::snprintf(transfer->error_text, sizeof transfer->error_text, "curl_multi_add_handle: %s",
                          curl_multi_strerror(code));
            failed.emplace_back(std::move(transfer), CURLE_FAILED_INIT);
            return id;
        }
        active.emplace(id, std::move(transfer));
        return id;
    }

    // Finished transfers leave curl first, then their callbacks run, so a
    // callback that sends more work sees a consistent multi handle.
    std::size_t drain_transfers() {
        std::vector<std::pair<std::unique_ptr<Transfer>, CURLcode>> done;
        while (!failed.empty()) {
            done.push_back(std::move(failed.front()));
            failed.pop_front();
        }
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(multi, &queued)) {
            if (message->msg != CURLMSG_DONE) continue;
            void* raw = nullptr;
            curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &raw);
            const CURLcode code = message->data.result;
            curl_multi_remove_handle(multi, message->easy_handle);
            auto found = active.find(static_cast<Transfer*>(raw)->id);
            done.emplace_back(std::move(found->second), code);
            active.erase(found);
        }
        for (auto& [transfer, code] : done) {
            connections += static_cast<std::size_t>(transfer->connections_opened());
            auto callback = std::move(transfer->on_done);
            auto result = transfer->finish(code);
            park(std::move(transfer));
            if (callback) callback(std::move(result));
        }
        return done.size();
    }

    std::size_t run_timers() {
        std::size_t ran = 0;
        const auto now = clock::now();
        while (!timer_order.empty() && timer_order.begin()->first <= now) {
            const Id id = timer_order.begin()->second;
            timer_order.erase(timer_order.begin());
            auto found = timers.find(id);
            if (found == timers.end()) continue;
            Task task = std::move(found->second.second);
            timers.erase(found);
            ++ran;
            task();
        }
        return ran;
    }

    std::size_t run_posted() {
        if (posted_count.load(std::memory_order_acquire) == 0) return 0;
        std::vector<Task> tasks;
        {
            std::lock_guard<std::mutex> lock(posted_mutex);
            tasks.swap(posted);
            posted_count.store(0, std::memory_order_release);
        }
        for (auto& task : tasks) task();
        return tasks.size();
    }
};

KINESIS_DECL EventLoop::EventLoop(HttpOptions options) : impl_(std::make_unique<Impl>()) {
    detail::http_impl::global_init();
    impl_->options = std::move(options);
    impl_->multi = curl_multi_init();
    if (impl_->multi == nullptr) throw std::runtime_error("curl_multi_init failed");
    const long max_connections = static_cast<long>(std::max<std::size_t>(impl_->options.max_connections, 1));
    curl_multi_setopt(impl_->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, max_connections);
    curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, max_connections);
    curl_multi_setopt(impl_->multi, CURLMOPT_PIPELINING, static_cast<long>(CURLPIPE_MULTIPLEX));
}

KINESIS_DECL EventLoop::~EventLoop() {
    if (!impl_) return;
    for (auto& entry : impl_->active) curl_multi_remove_handle(impl_->multi, entry.second->easy);
    impl_->active.clear();
    impl_->failed.clear();
    // Easy handles go before the multi handle that shares their connections.
    impl_->idle.clear();
    curl_multi_cleanup(impl_->multi);
}

KINESIS_DECL EventLoop::Id EventLoop::send(HttpRequest request, Callback on_done, ResponseStream stream,
                                           const HttpOptions* settings) {
    auto transfer = impl_->take_idle();
    transfer->owned = std::move(request);
    const HttpRequest& owned = transfer->owned;
    return impl_->start(std::move(transfer), owned, std::move(on_done), std::move(stream), settings);
}

KINESIS_DECL EventLoop::Id EventLoop::send_borrowed(const HttpRequest& request_kept_until_done, Callback on_done,
                                                    ResponseStream stream, const HttpOptions* settings) {
    return impl_->start(impl_->take_idle(), request_kept_until_done, std::move(on_done), std::move(stream),
                        settings);
}

KINESIS_DECL EventLoop::Id EventLoop::add_timer(std::chrono::steady_clock::duration delay, Task task) {
    const Id id = ++impl_->next_id;
    const auto due = Impl::clock::now() + std::max(delay, std::chrono::steady_clock::duration::zero());
    impl_->timers.emplace(id, std::make_pair(due, std::move(task)));
    impl_->timer_order.emplace(due, id);
    return id;
}

KINESIS_DECL bool EventLoop::cancel(Id id) {
    if (auto timer = impl_->timers.find(id); timer != impl_->timers.end()) {
        auto [first, last] = impl_->timer_order.equal_range(timer->second.first);
        for (auto it = first; it != last; ++it) {
            if (it->second == id) {
                impl_->timer_order.erase(it);
                break;
            }
        }
        impl_->timers.erase(timer);
        return true;
    }
    if (auto transfer = impl_->active.find(id); transfer != impl_->active.end()) {
        curl_multi_remove_handle(impl_->multi, transfer->second->easy);
        auto owned = std::move(transfer->second);
        impl_->active.erase(transfer);
        // A handle removed mid-transfer keeps no half-used connection: curl
        // closes it, so the next transfer on this handle starts clean.
        impl_->park(std::move(owned));
        return true;
    }
    for (auto it = impl_->failed.begin(); it != impl_->failed.end(); ++it) {
        if (it->first->id == id) {
            auto owned = std::move(it->first);
            impl_->failed.erase(it);
            impl_->park(std::move(owned));
            return true;
        }
    }
    return false;
}

KINESIS_DECL void EventLoop::post(Task task) {
    {
        std::lock_guard<std::mutex> lock(impl_->posted_mutex);
        impl_->posted.push_back(std::move(task));
        impl_->posted_count.store(impl_->posted.size(), std::memory_order_release);
    }
    wakeup();
}

KINESIS_DECL void EventLoop::wakeup() noexcept {
    impl_->woken.store(true);
    curl_multi_wakeup(impl_->multi);
}

KINESIS_DECL std::size_t EventLoop::run_once(std::chrono::milliseconds max_wait) {
    using clock = Impl::clock;
    const auto deadline = clock::now() + max_wait;
    const auto previous = impl_->runner.exchange(std::this_thread::get_id());
    struct Restore {
        Impl& impl;
        std::thread::id previous;
        ~Restore() { impl.runner.store(previous); }
    } restore{*impl_, previous};
    for (;;) {
        int running = 0;
        curl_multi_perform(impl_->multi, &running);
        std::size_t ran = impl_->drain_transfers();
        ran += impl_->run_timers();
        ran += impl_->run_posted();
        if (ran > 0) break;
        if (impl_->woken.exchange(false)) break;
        auto until = deadline;
        if (!impl_->timer_order.empty()) until = std::min(until, impl_->timer_order.begin()->first);
        const auto now = clock::now();
        if (until <= now) {
            if (deadline <= now) break;
            continue;  // a timer is due: run it on the next pass
        }
        // Sleeps until socket activity, one of curl's own timers, a timer of
        // ours, wakeup() or the deadline; with nothing pending it just waits,
        // so an I/O thread can park here until work is posted.
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now) +
                          std::chrono::milliseconds(1);
        const int timeout_ms = static_cast<int>(std::min<long long>(left.count(), std::numeric_limits<int>::max()));
        curl_multi_poll(impl_->multi, nullptr, 0, timeout_ms, nullptr);
    }
    return pending();
}

KINESIS_DECL void EventLoop::run(const StopToken& stop) {
    StopCallback wake(stop, [this] { wakeup(); });
    while (!stop.stop_requested()) run_once(std::chrono::hours(1));
}

KINESIS_DECL std::size_t EventLoop::pending() const noexcept {
    return impl_->active.size() + impl_->failed.size() + impl_->timers.size() +
           impl_->posted_count.load(std::memory_order_acquire);
}

KINESIS_DECL std::size_t EventLoop::in_flight() const noexcept {
    return impl_->active.size() + impl_->failed.size();
}

KINESIS_DECL bool EventLoop::in_loop_thread() const noexcept {
    return impl_->runner.load() == std::this_thread::get_id();
}

KINESIS_DECL std::size_t EventLoop::connections_opened() const noexcept { return impl_->connections; }

KINESIS_DECL const HttpOptions& EventLoop::options() const noexcept { return impl_->options; }

// ---------------------------------------------------------------- HttpClient

struct HttpClient::Impl {
    explicit Impl(HttpOptions options) : loop(std::move(options)) {}
    EventLoop loop;
};

KINESIS_DECL HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

KINESIS_DECL HttpClient::~HttpClient() = default;
KINESIS_DECL HttpClient::HttpClient(HttpClient&&) noexcept = default;
KINESIS_DECL HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

KINESIS_DECL Result<HttpResponse> HttpClient::send(const HttpRequest& request) {
    std::optional<Result<HttpResponse>> answer;
    impl_->loop.send_borrowed(request, [&answer](Result<HttpResponse> result) { answer = std::move(result); });
    while (!answer) impl_->loop.run_once(std::chrono::hours(1));
    return std::move(*answer);
}

KINESIS_DECL std::size_t HttpClient::connections_opened() const noexcept {
    return impl_ ? impl_->loop.connections_opened() : 0;
}

}  // namespace kinesis

#endif  // KINESIS_HTTP_IMPL_TRANSPORT_INL_HPP
