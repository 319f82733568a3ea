// SPDX-License-Identifier: Apache-2.0
// Certificate failures against a real TLS server (openssl s_server): what kind
// of error they are, that they are not retried, and where the CA bundle comes from.
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/auth/credentials.hpp>

#include "integration/tls_server.hpp"
#include "unit/aws_env.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
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
    kinesis_test::AwsEnv env;  // no AWS_CA_BUNDLE or profile of the machine's
    TlsServer server;
    LoggedConfig logged(server);
    REQUIRE(logged.config.verify_tls);
    logged.config.retry.max_attempts = 3;  // a retryable error would be tried 3 times
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
    kinesis_test::AwsEnv env;  // no AWS_CA_BUNDLE or profile of the machine's
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
    kinesis_test::AwsEnv env;  // no AWS_CA_BUNDLE or profile of the machine's
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

TEST_CASE("https calls verify with config.ca_bundle, else AWS_CA_BUNDLE, else the profile's ca_bundle") {
    kinesis_test::AwsEnv env;
    TlsServer server;
    const std::string missing_env = env.path("missing-env-ca.pem");
    const std::string missing_profile = env.path("missing-profile-ca.pem");
    const auto call = [&](const kinesis::ClientConfig& config) {
        kinesis::KinesisClient client(config);
        auto streams = client.list_streams();
        REQUIRE_FALSE(streams);
        return std::move(streams).error();
    };
    // Verified, the POST is sent and waits: s_server -www answers GET only.
    const auto verified = [&](kinesis::ClientConfig config) {
        config.request_timeout = std::chrono::seconds(1);
        config.retry.max_attempts = 1;
        const auto error = call(config);
        CAPTURE(error.to_string());
        return error.kind == ErrorKind::Timeout;
    };

    SUBCASE("AWS_CA_BUNDLE naming a missing file fails the call, naming it") {
        env.set("AWS_CA_BUNDLE", missing_env);
        LoggedConfig logged(server);
        const auto error = call(logged.config);
        CAPTURE(error.to_string());
        CHECK(error.kind == ErrorKind::Certificate);
        CHECK(error.message.find("error setting certificate file: " + missing_env) != std::string::npos);
        CHECK(logged.attempts() == 1);
    }
    SUBCASE("the profile's ca_bundle naming a missing file fails the call, naming it") {
        env.write("config", "[profile tls]\nca_bundle = " + missing_profile + "\n");
        env.set("AWS_PROFILE", "tls");
        LoggedConfig logged(server);
        const auto error = call(logged.config);
        CAPTURE(error.to_string());
        CHECK(error.kind == ErrorKind::Certificate);
        CHECK(error.message.find("error setting certificate file: " + missing_profile) != std::string::npos);
        CHECK(logged.attempts() == 1);
    }
    SUBCASE("AWS_CA_BUNDLE wins over the profile's ca_bundle") {
        env.write("config", "[default]\nca_bundle = " + missing_profile + "\n");
        env.set("AWS_CA_BUNDLE", server.cert());
        CHECK(verified(LoggedConfig(server).config));
    }
    SUBCASE("config.ca_bundle wins over AWS_CA_BUNDLE and the profile's ca_bundle") {
        env.write("config", "[default]\nca_bundle = " + missing_profile + "\n");
        env.set("AWS_CA_BUNDLE", missing_env);
        LoggedConfig logged(server);
        logged.config.ca_bundle = server.cert();
        CHECK(verified(logged.config));
    }
}
