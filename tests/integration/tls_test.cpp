// SPDX-License-Identifier: Apache-2.0
// Certificate failures against a real TLS server (openssl s_server): what kind
// of error they are, that they are not retried, and where the CA bundle comes from.
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/auth/credentials.hpp>

#include "integration/tls_server.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

using kinesis::ErrorKind;
using kinesis_test::TlsServer;

namespace {

// A KinesisClient's settings for `server`, logging at Debug so every attempt
// shows ("kinesis ListStreams attempt N: ...").
struct LoggedConfig {
    kinesis::ClientConfig config;
    std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();

    explicit LoggedConfig(const TlsServer& server) {
        config.region = "us-east-1";
        config.endpoint = server.url();
        config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("AKIAIOSFODNN7EXAMPLE", "secret");
        config.retry.base_delay = std::chrono::milliseconds(1);
        config.log_level = kinesis::LogLevel::Debug;
        config.log = [lines = lines](kinesis::LogLevel, std::string_view line) { lines->emplace_back(line); };
    }

    [[nodiscard]] int attempts() const {
        int count = 0;
        for (const auto& line : *lines) count += line.find("ListStreams attempt ") != std::string::npos ? 1 : 0;
        return count;
    }
};

}  // namespace

TEST_CASE("an untrusted server certificate fails after one attempt with a Certificate error") {
    TlsServer server;
    LoggedConfig logged(server);
    REQUIRE(logged.config.verify_tls);
    REQUIRE(logged.config.retry.max_attempts == 3);
    kinesis::KinesisClient client(logged.config);
    auto streams = client.list_streams();
    REQUIRE_FALSE(streams);
    const auto& error = streams.error();
    CAPTURE(error.to_string());
    CHECK(error.kind == ErrorKind::Certificate);
    CHECK_FALSE(error.retryable());
    CHECK(error.message.find("certificate verification failed: SSL certificate problem: self-signed certificate") !=
          std::string::npos);
    CHECK(logged.attempts() == 1);
}

TEST_CASE("a CA bundle that does not exist is a Certificate error naming the file, not retried") {
    TlsServer server;
    LoggedConfig logged(server);
    logged.config.ca_bundle = "/nonexistent/kinesis-test-ca.pem";
    kinesis::KinesisClient client(logged.config);
    auto streams = client.list_streams();
    REQUIRE_FALSE(streams);
    CAPTURE(streams.error().to_string());
    CHECK(streams.error().kind == ErrorKind::Certificate);
    CHECK(streams.error().message.find("/nonexistent/kinesis-test-ca.pem") != std::string::npos);
    CHECK(logged.attempts() == 1);
}

TEST_CASE("a server that demands a client certificate fails once with a Certificate error") {
    TlsServer server({"-Verify", "1"});
    LoggedConfig logged(server);
    logged.config.ca_bundle = server.cert();
    kinesis::KinesisClient client(logged.config);
    auto streams = client.list_streams();
    REQUIRE_FALSE(streams);
    CAPTURE(streams.error().to_string());
    CHECK(streams.error().kind == ErrorKind::Certificate);
    CHECK(streams.error().message.find("the server refused the client certificate") != std::string::npos);
    CHECK(logged.attempts() == 1);
}
