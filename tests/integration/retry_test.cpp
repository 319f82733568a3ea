// SPDX-License-Identifier: Apache-2.0
// ServiceClient's retry loop on real sockets: a refused port, a listener that
// never answers, a missing credential, and signature-verifying moto.
#include <kinesis/protocol/detail/service_client.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

using kinesis::ErrorKind;

namespace {

constexpr const char* wrong_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

// A TCP socket on 127.0.0.1 with a kernel-chosen port; listening or not.
class LoopbackSocket {
public:
    explicit LoopbackSocket(bool listen) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        REQUIRE(fd_ >= 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
        socklen_t length = sizeof address;
        REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) == 0);
        port_ = ntohs(address.sin_port);
        // The kernel completes handshakes into the backlog; nobody ever reads or answers.
        if (listen) REQUIRE(::listen(fd_, 16) == 0);
    }
    ~LoopbackSocket() { close(); }
    LoopbackSocket(const LoopbackSocket&) = delete;
    LoopbackSocket& operator=(const LoopbackSocket&) = delete;

    void close() {
        if (fd_ >= 0) ::close(fd_);
        fd_ = -1;
    }
    [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    // Connections waiting in the backlog, taken (and closed) now.
    int take_pending_connections() {
        REQUIRE(::fcntl(fd_, F_SETFL, ::fcntl(fd_, F_GETFL) | O_NONBLOCK) == 0);
        int count = 0;
        for (int fd; (fd = ::accept(fd_, nullptr, nullptr)) >= 0;) {
            ::close(fd);
            ++count;
        }
        return count;
    }

private:
    int fd_ = -1;
    unsigned short port_ = 0;
};

class KeyProvider final : public kinesis::CredentialsProvider {
public:
    KeyProvider(std::string id, std::string secret) : id_(std::move(id)), secret_(std::move(secret)) {}
    kinesis::Result<kinesis::Credentials> credentials() override {
        ++calls;
        if (id_.empty()) {
            kinesis::Error error;
            error.kind = ErrorKind::Credentials;
            error.message = "no credentials in the chain";
            return error;
        }
        kinesis::Credentials c;
        c.access_key_id = id_;
        c.secret_access_key = kinesis::SecretString(secret_);
        return c;
    }
    int calls = 0;

private:
    std::string id_;
    std::string secret_;
};

struct Client {
    std::vector<std::string> lines;
    std::shared_ptr<KeyProvider> keys;
    std::unique_ptr<kinesis::detail::ServiceClient> service;

    // A Kinesis client on `endpoint` logging every line at Trace.
    Client(const std::string& endpoint, kinesis::ClientConfig config, std::string id = "AKIAIOSFODNN7EXAMPLE",
           std::string secret = wrong_secret)
        : keys(std::make_shared<KeyProvider>(std::move(id), std::move(secret))) {
        config.region = "us-east-1";
        config.endpoint = endpoint;
        config.credentials = keys;
        config.log = [this](kinesis::LogLevel, std::string_view line) { lines.emplace_back(line); };
        config.log_level = kinesis::LogLevel::Trace;
        service = std::make_unique<kinesis::detail::ServiceClient>(
            config, kinesis::detail::ServiceInfo{"kinesis", "KINESIS", "kinesis"});
    }

    kinesis::Result<kinesis::HttpResponse> list_streams() {
        return service->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    }

    // The Debug line ServiceClient writes before each attempt it sends.
    [[nodiscard]] int attempts_logged() const {
        int count = 0;
        for (const auto& line : lines) {
            if (line.find("kinesis ListStreams attempt ") == 0) ++count;
        }
        return count;
    }
};

}  // namespace

TEST_CASE("a refused connection is retried max_attempts times, then returned as a Transport error") {
    LoopbackSocket closed(false);
    const auto url = closed.url();
    closed.close();  // the port is free now: connecting to it is refused

    kinesis::ClientConfig config;
    config.retry.max_attempts = 4;
    config.retry.base_delay = std::chrono::milliseconds(1);
    Client client(url, config);
    auto response = client.list_streams();
    REQUIRE_FALSE(response);
    CAPTURE(response.error().to_string());
    CHECK(response.error().kind == ErrorKind::Transport);
    CHECK(response.error().retryable());
    CHECK(client.attempts_logged() == 4);
    CHECK(client.keys->calls == 4);  // fresh credentials for every attempt
    CHECK(client.service->retry_strategy().available_quota() == 500 - 3 * 5);
}

TEST_CASE("a listener that never answers times out on each attempt, and each retry costs 10 quota tokens") {
    LoopbackSocket silent(true);
    kinesis::ClientConfig config;
    config.request_timeout = std::chrono::milliseconds(300);
    config.retry.max_attempts = 3;
    config.retry.base_delay = std::chrono::milliseconds(1);
    Client client(silent.url(), config);

    const auto started = std::chrono::steady_clock::now();
    auto response = client.list_streams();
    const auto elapsed = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(response);
    CAPTURE(response.error().to_string());
    CHECK(response.error().kind == ErrorKind::Timeout);
    CHECK(client.attempts_logged() == 3);
    CHECK(client.service->retry_strategy().available_quota() == 500 - 2 * 10);
    CHECK(elapsed >= 3 * config.request_timeout);
    CHECK(elapsed < std::chrono::seconds(10));
    // Every attempt reached the socket on a connection of its own.
    CHECK(silent.take_pending_connections() == 3);
}

TEST_CASE("a credentials failure is returned before anything is sent") {
    LoopbackSocket listener(true);
    kinesis::ClientConfig config;
    Client client(listener.url(), config, /*id=*/"");
    auto response = client.list_streams();
    REQUIRE_FALSE(response);
    CHECK(response.error().kind == ErrorKind::Credentials);
    CHECK(response.error().message == "no credentials in the chain");
    CHECK(client.keys->calls == 1);
    CHECK(client.attempts_logged() == 0);
    CHECK(listener.take_pending_connections() == 0);
    CHECK(client.service->retry_strategy().available_quota() == 500);
}

TEST_CASE("a wrong secret at signature-verifying moto: one attempt, SignatureDoesNotMatch, the secret never shown") {
    kinesis::ClientConfig config;
    config.retry.base_delay = std::chrono::milliseconds(1);
    Client client(kinesis_test::moto_verify_endpoint(), config, kinesis_test::moto_verify_access_key_id(),
                  wrong_secret);
    auto response = client.list_streams();
    REQUIRE_FALSE(response);
    const auto& error = response.error();
    CAPTURE(error.to_string());
    CHECK(error.code == "SignatureDoesNotMatch");
    CHECK(error.http_status == 403);
    CHECK_FALSE(error.retryable());
    CHECK(client.attempts_logged() == 1);
    CHECK(client.keys->calls == 1);
    CHECK(client.service->retry_strategy().available_quota() == 500);
    // moto's clock is ours: a signature failure is not mistaken for clock skew.
    CHECK(client.service->clock_skew() == std::chrono::milliseconds(0));
    CHECK(error.to_string().find(wrong_secret) == std::string::npos);

    bool saw_headers = false;
    for (const auto& line : client.lines) {
        CAPTURE(line);
        CHECK(line.find(wrong_secret) == std::string::npos);
        CHECK(line.find("Signature=") == std::string::npos);
        if (line.find("Authorization: <redacted>") != std::string::npos) saw_headers = true;
    }
    CHECK(saw_headers);  // Trace did log the request headers: the secret had a way out
}
