// SPDX-License-Identifier: Apache-2.0
#include <kinesis/http/transport.hpp>

#include "integration/endpoints.hpp"
#include "integration/local_server.hpp"
#include "integration/tls_server.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using kinesis::HttpRequest;
using kinesis_test::LocalServer;
using kinesis_test::TlsServer;

namespace {

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

TEST_CASE("EventLoop completes 200 requests in flight with the right bodies") {
    LocalServer server;
    kinesis::EventLoop client;
    constexpr int count = 200;
    std::vector<std::string> bodies(count);
    int failures = 0;
    for (int i = 0; i < count; ++i) {
        client.send(get(server.host(), "/r" + std::to_string(i)), [&, i](kinesis::Result<kinesis::HttpResponse> r) {
            if (!r || r->status != 200) {
                ++failures;
                return;
            }
            bodies[static_cast<std::size_t>(i)] = r->body;
        });
    }
    CHECK(client.in_flight() == count);
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    while (client.run_once(1s) > 0 && std::chrono::steady_clock::now() < deadline) {
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
        client.send(get(server.host(), "/again"), [&](kinesis::Result<kinesis::HttpResponse> r) {
            if (r && r->body == "/again") ++second_wave;
        });
    }
    while (client.run_once(1s) > 0) {
    }
    CHECK(second_wave == 20);
    CHECK(client.connections_opened() == opened);
    CHECK(server.accepted() == static_cast<int>(opened));
}

TEST_CASE("EventLoop talks to moto and reports refused connections through the callback") {
    kinesis::EventLoop client;
    int ok = 0;
    for (int i = 0; i < 20; ++i) {
        client.send(list_streams(kinesis_test::moto_endpoint()), [&](kinesis::Result<kinesis::HttpResponse> r) {
            if (r && r->status == 200 && r->body.find("StreamNames") != std::string::npos) ++ok;
        });
    }
    kinesis::Error refused;
    client.send(get("127.0.0.1:1", "/"), [&](kinesis::Result<kinesis::HttpResponse> r) {
        if (!r) refused = r.error();
    });
    while (client.run_once(1s) > 0) {
    }
    CHECK(ok == 20);
    CHECK(refused.kind == kinesis::ErrorKind::Transport);
}

TEST_CASE("a callback may submit the next request, and wakeup() ends a run_once() early") {
    LocalServer server;
    kinesis::EventLoop client;
    int chain = 0;
    std::function<void(kinesis::Result<kinesis::HttpResponse>)> next = [&](kinesis::Result<kinesis::HttpResponse> r) {
        REQUIRE(r);
        if (++chain < 5) client.send(get(server.host(), "/chain"), next);
    };
    client.send(get(server.host(), "/chain"), next);
    while (client.run_once(1s) > 0) {
    }
    CHECK(chain == 5);

    std::thread waker([&] {
        std::this_thread::sleep_for(100ms);
        client.wakeup();
    });
    const auto start = std::chrono::steady_clock::now();
    CHECK(client.run_once(10s) == 0);
    waker.join();
    CHECK(std::chrono::steady_clock::now() - start < 5s);
}

TEST_CASE("without a Host header the request's host is sent exactly as written, port included") {
    LocalServer server;
    kinesis::HttpClient client;
    REQUIRE(client.send(get(server.host(), "/host")));
    CHECK(server.last_head().find("\r\nHost: " + server.host() + "\r\n") != std::string::npos);
}

TEST_CASE("proxies come from the environment (http_proxy)") {
    LocalServer proxy;
    // Save and restore every proxy variable this test touches.
    const std::vector<std::string> names{"http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY", "all_proxy", "ALL_PROXY"};
    std::vector<std::pair<std::string, std::optional<std::string>>> saved;
    for (const auto& name : names) {
        const char* value = std::getenv(name.c_str());
        saved.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
        ::unsetenv(name.c_str());
    }
    ::setenv("http_proxy", ("http://" + proxy.host()).c_str(), 1);
    kinesis::HttpClient client;
    auto response = client.send(get("kinesis.example.invalid", "/via-proxy"));
    for (const auto& [name, value] : saved) {
        if (value) {
            ::setenv(name.c_str(), value->c_str(), 1);
        } else {
            ::unsetenv(name.c_str());
        }
    }
    REQUIRE(response);
    CHECK(response->status == 200);
    CHECK(proxy.last_head().rfind("GET http://kinesis.example.invalid/via-proxy HTTP/1.1\r\n", 0) == 0);
}

namespace {

HttpRequest tls_get(const TlsServer& server) {
    auto request = get(server.host(), "/");
    request.scheme = "https";
    return request;
}

}  // namespace

TEST_CASE("TLS peers are verified by default, ca_bundle trusts a private certificate, verify_tls=false trusts any") {
    TlsServer server;
    kinesis::HttpClient strict;
    auto refused = strict.send(tls_get(server));
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == kinesis::ErrorKind::Certificate);
    CHECK_FALSE(refused.error().retryable());
    CAPTURE(refused.error().message);
    CHECK(refused.error().message.find("certificate verification failed") != std::string::npos);

    kinesis::HttpOptions pinned;
    pinned.ca_bundle = server.cert();
    auto trusted = kinesis::HttpClient(pinned).send(tls_get(server));
    REQUIRE(trusted);
    CHECK(trusted->status == 200);

    kinesis::HttpOptions insecure;
    insecure.verify_tls = false;
    auto unverified = kinesis::HttpClient(insecure).send(tls_get(server));
    REQUIRE(unverified);
    CHECK(unverified->status == 200);
}

TEST_CASE("over TLS the client offers HTTP/2 by ALPN, and only HTTP/1.1 when http2 is off") {
    TlsServer server;
    kinesis::HttpOptions options;
    options.ca_bundle = server.cert();
    REQUIRE(kinesis::HttpClient(options).send(tls_get(server)));
    CHECK(server.log().find("ALPN protocols advertised by the client: h2, http/1.1") != std::string::npos);

    options.http2 = false;
    REQUIRE(kinesis::HttpClient(options).send(tls_get(server)));
    CHECK(server.log().find("ALPN protocols advertised by the client: http/1.1\n") != std::string::npos);
}
