// SPDX-License-Identifier: Apache-2.0
#include <kinesis/http.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using kinesis::HttpRequest;

namespace {

// A loopback HTTP/1.1 server with keep-alive, for what moto cannot show
// (werkzeug closes every connection): it counts accepted connections, keeps
// the last request head, answers each request with its path as the body, or
// (silent mode) accepts and never answers.
class LocalServer {
public:
    explicit LocalServer(bool silent = false) : silent_(silent) {
        listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(listener_ >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        address.sin_port = 0;
        REQUIRE(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        REQUIRE(::listen(listener_, 256) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
        acceptor_ = std::thread([this] { accept_loop(); });
    }
    ~LocalServer() {
        stop_ = true;
        acceptor_.join();
        for (auto& worker : workers_) worker.join();
        ::close(listener_);
    }
    LocalServer(const LocalServer&) = delete;
    LocalServer& operator=(const LocalServer&) = delete;

    [[nodiscard]] std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
    [[nodiscard]] int accepted() const { return accepted_.load(); }
    [[nodiscard]] std::string last_head() {
        std::lock_guard<std::mutex> lock(mutex_);
        return last_head_;
    }
    [[nodiscard]] std::string last_body() {
        std::lock_guard<std::mutex> lock(mutex_);
        return last_body_;
    }

private:
    void accept_loop() {
        while (!stop_) {
            pollfd fd{listener_, POLLIN, 0};
            if (::poll(&fd, 1, 50) <= 0) continue;
            const int connection = ::accept(listener_, nullptr, nullptr);
            if (connection < 0) continue;
            ++accepted_;
            workers_.emplace_back([this, connection] { serve(connection); });
        }
    }

    void serve(int connection) {
        std::string buffer;
        char chunk[4096];
        while (!stop_) {
            pollfd fd{connection, POLLIN, 0};
            if (::poll(&fd, 1, 50) <= 0) continue;
            const ssize_t n = ::recv(connection, chunk, sizeof chunk, 0);
            if (n <= 0) break;
            if (silent_) continue;
            buffer.append(chunk, static_cast<std::size_t>(n));
            for (;;) {
                const auto head_end = buffer.find("\r\n\r\n");
                if (head_end == std::string::npos) break;
                const std::string head = buffer.substr(0, head_end + 4);
                std::size_t content_length = 0;
                const auto cl = head.find("Content-Length: ");
                if (cl != std::string::npos) content_length = std::strtoul(head.c_str() + cl + 16, nullptr, 10);
                if (buffer.size() < head.size() + content_length) break;
                const std::string body = buffer.substr(head.size(), content_length);
                buffer.erase(0, head.size() + content_length);
                {
                    std::lock_guard<std::mutex> lock(mutex_);
                    last_head_ = head;
                    last_body_ = body;
                }
                const auto path_start = head.find(' ') + 1;
                const std::string path = head.substr(path_start, head.find(' ', path_start) - path_start);
                const std::string answer = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Amzn-RequestId: req-" +
                                           path + "\r\nContent-Length: " + std::to_string(path.size()) +
                                           "\r\n\r\n" + path;
                if (::send(connection, answer.data(), answer.size(), MSG_NOSIGNAL) < 0) break;
            }
        }
        ::close(connection);
    }

    bool silent_;
    int listener_ = -1;
    unsigned short port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<int> accepted_{0};
    std::thread acceptor_;
    std::vector<std::thread> workers_;  // touched by the acceptor thread only until join
    std::mutex mutex_;
    std::string last_head_;
    std::string last_body_;
};

HttpRequest get(const std::string& host, std::string path) {
    HttpRequest request;
    request.method = "GET";
    request.scheme = "http";
    request.host = host;
    request.path = std::move(path);
    return request;
}

HttpRequest list_streams(const std::string& endpoint) {
    auto request = HttpRequest::from_url("POST", endpoint).value();
    request.headers = {
        {"Host", request.host},
        {"Content-Type", "application/x-amz-json-1.1"},
        {"X-Amz-Target", "Kinesis_20131202.ListStreams"},
        {"X-Amz-Date", "20260101T000000Z"},
        {"Authorization",
         "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/kinesis/aws4_request, "
         "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"},
    };
    request.body = "{}";
    return request;
}

}  // namespace

TEST_CASE("a POST to moto returns status, headers and body") {
    kinesis::HttpClient client;
    auto response = client.send(list_streams(kinesis_test::moto_endpoint()));
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->header("content-type") == "application/x-amz-json-1.1");
    CHECK_FALSE(response->header("X-AMZN-REQUESTID").empty());
    CHECK(response->body.find("\"StreamNames\"") != std::string::npos);
    CHECK(response->body.capacity() >= response->body.size() + 64);
}

TEST_CASE("IMDSv2 token PUT with an empty body reaches moto") {
    kinesis::HttpClient client;
    auto request = HttpRequest::from_url("PUT", kinesis_test::moto_endpoint() + "/latest/api/token").value();
    request.set_header("X-aws-ec2-metadata-token-ttl-seconds", "21600");
    auto response = client.send(request);
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK_FALSE(response->body.empty());
}

TEST_CASE("the transport sends exactly the request's headers and the body with its length") {
    LocalServer server;
    kinesis::HttpClient client;
    auto request = get(server.host(), "/echo");
    request.method = "POST";
    request.headers = {{"Host", server.host()}, {"X-Amz-Target", "Kinesis_20131202.PutRecord"},
                       {"Content-Type", "application/x-amz-json-1.1"}};
    request.body = std::string(70000, 'x');  // large enough that curl would send "Expect: 100-continue"
    auto response = client.send(request);
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(response->body == "/echo");
    const std::string head = server.last_head();
    CAPTURE(head);
    CHECK(head.rfind("POST /echo HTTP/1.1\r\n", 0) == 0);
    CHECK(head.find("X-Amz-Target: Kinesis_20131202.PutRecord\r\n") != std::string::npos);
    CHECK(head.find("Content-Length: 70000\r\n") != std::string::npos);
    CHECK(head.find("Expect:") == std::string::npos);
    CHECK(head.find("Accept:") == std::string::npos);
    CHECK(head.find("User-Agent:") == std::string::npos);
    CHECK(server.last_body() == request.body);
}

TEST_CASE("sequential requests reuse one keep-alive connection") {
    LocalServer server;
    kinesis::HttpClient client;
    for (int i = 0; i < 50; ++i) {
        auto response = client.send(get(server.host(), "/n" + std::to_string(i)));
        REQUIRE(response);
        CHECK(response->body == "/n" + std::to_string(i));
        CHECK(response->header("x-amzn-requestid") == "req-/n" + std::to_string(i));
    }
    CHECK(client.connections_opened() == 1);
    CHECK(server.accepted() == 1);
}

TEST_CASE("a moved client keeps working on the same connection") {
    LocalServer server;
    kinesis::HttpClient first;
    REQUIRE(first.send(get(server.host(), "/a")));
    kinesis::HttpClient second(std::move(first));
    REQUIRE(second.send(get(server.host(), "/b")));
    CHECK(second.connections_opened() == 1);
    CHECK(server.accepted() == 1);
}

TEST_CASE("a refused connection is a Transport error naming the target, not the headers") {
    // Bind a port, then close it, so nothing listens there.
    const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    ::close(probe);
    const std::string host = "127.0.0.1:" + std::to_string(ntohs(address.sin_port));

    kinesis::HttpClient client;
    auto request = get(host, "/path");
    request.set_header("Authorization", "AWS4-HMAC-SHA256 Signature=SECRETSIGNATURE");
    request.query = {{"X-Amz-Security-Token", "SESSIONTOKENSECRET"}};
    auto response = client.send(request);
    REQUIRE_FALSE(response);
    CHECK(response.error().kind == kinesis::ErrorKind::Transport);
    CHECK(response.error().retryable());
    const std::string text = response.error().to_string();
    CAPTURE(text);
    CHECK(text.find(host) != std::string::npos);
    CHECK(text.find("SECRETSIGNATURE") == std::string::npos);
    CHECK(text.find("SESSIONTOKENSECRET") == std::string::npos);
}

TEST_CASE("a server that never answers gives a Timeout after request_timeout") {
    LocalServer server(/*silent=*/true);
    kinesis::HttpOptions options;
    options.request_timeout = 300ms;
    kinesis::HttpClient client(options);
    const auto start = std::chrono::steady_clock::now();
    auto response = client.send(get(server.host(), "/never"));
    const auto elapsed = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(response);
    CHECK(response.error().kind == kinesis::ErrorKind::Timeout);
    CHECK(elapsed >= 250ms);
    CHECK(elapsed < 5s);
}

TEST_CASE("AsyncHttpClient completes 200 requests in flight with the right bodies") {
    LocalServer server;
    kinesis::AsyncHttpClient client;
    constexpr int count = 200;
    std::vector<std::string> bodies(count);
    int failures = 0;
    for (int i = 0; i < count; ++i) {
        client.submit(get(server.host(), "/r" + std::to_string(i)), [&, i](kinesis::Result<kinesis::HttpResponse> r) {
            if (!r || r->status != 200) {
                ++failures;
                return;
            }
            bodies[static_cast<std::size_t>(i)] = r->body;
        });
    }
    CHECK(client.in_flight() == count);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (client.perform(1s) > 0 && std::chrono::steady_clock::now() < deadline) {
    }
    CHECK(client.in_flight() == 0);
    CHECK(failures == 0);
    for (int i = 0; i < count; ++i) CHECK(bodies[static_cast<std::size_t>(i)] == "/r" + std::to_string(i));
    // At most max_connections (64) were opened, and the next wave reuses them.
    const auto opened = client.connections_opened();
    CHECK(opened <= 64);
    CHECK(opened >= 1);
    int second_wave = 0;
    for (int i = 0; i < 20; ++i) {
        client.submit(get(server.host(), "/again"), [&](kinesis::Result<kinesis::HttpResponse> r) {
            if (r && r->body == "/again") ++second_wave;
        });
    }
    while (client.perform(1s) > 0) {
    }
    CHECK(second_wave == 20);
    CHECK(client.connections_opened() == opened);
    CHECK(server.accepted() == static_cast<int>(opened));
}

TEST_CASE("AsyncHttpClient talks to moto and reports refused connections through the callback") {
    kinesis::AsyncHttpClient client;
    int ok = 0;
    for (int i = 0; i < 20; ++i) {
        client.submit(list_streams(kinesis_test::moto_endpoint()), [&](kinesis::Result<kinesis::HttpResponse> r) {
            if (r && r->status == 200 && r->body.find("StreamNames") != std::string::npos) ++ok;
        });
    }
    kinesis::Error refused;
    client.submit(get("127.0.0.1:1", "/"), [&](kinesis::Result<kinesis::HttpResponse> r) {
        if (!r) refused = r.error();
    });
    while (client.perform(1s) > 0) {
    }
    CHECK(ok == 20);
    CHECK(refused.kind == kinesis::ErrorKind::Transport);
}

TEST_CASE("a callback may submit the next request, and wakeup() ends a perform() early") {
    LocalServer server;
    kinesis::AsyncHttpClient client;
    int chain = 0;
    std::function<void(kinesis::Result<kinesis::HttpResponse>)> next = [&](kinesis::Result<kinesis::HttpResponse> r) {
        REQUIRE(r);
        if (++chain < 5) client.submit(get(server.host(), "/chain"), next);
    };
    client.submit(get(server.host(), "/chain"), next);
    while (client.perform(1s) > 0) {
    }
    CHECK(chain == 5);

    std::thread waker([&] {
        std::this_thread::sleep_for(100ms);
        client.wakeup();
    });
    const auto start = std::chrono::steady_clock::now();
    CHECK(client.perform(10s) == 0);
    waker.join();
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}
