// SPDX-License-Identifier: Apache-2.0
#include <kinesis/auth/credentials.hpp>
#include <kinesis/core/detail/time.hpp>

#include "integration/endpoints.hpp"
#include "manual_clock.hpp"
#include "integration/local_server.hpp"
#include "unit/aws_env.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using namespace std::chrono_literals;

namespace {
const std::string role_path = "/latest/meta-data/iam/security-credentials/default-role";
}

TEST_CASE("IMDSv2 against moto yields the role's temporary credentials") {
    kinesis_test::AwsEnv env;
    env.unset("AWS_EC2_METADATA_DISABLED");
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", kinesis_test::moto_endpoint() + "/");
    kinesis::InstanceMetadataCredentialsProvider provider;
    auto credentials = provider.credentials();
    REQUIRE(credentials);
    CHECK(credentials->access_key_id == "test-key");
    CHECK_FALSE(credentials->secret_access_key.empty());
    CHECK_FALSE(credentials->session_token.empty());
    REQUIRE(credentials->expiration);
    CHECK(*credentials->expiration > std::chrono::system_clock::now());
    CHECK(credentials->provider_name == "InstanceMetadata");
    // Cached: a second call does not fetch again.
    REQUIRE(provider.credentials());
    CHECK(provider.fetches() == 1);
}

TEST_CASE("IMDS credentials are fetched again inside the refresh window") {
    kinesis_test::AwsEnv env;
    env.unset("AWS_EC2_METADATA_DISABLED");
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", kinesis_test::moto_endpoint());
    auto now = std::chrono::system_clock::now();
    kinesis::RefreshOptions options;
    options.clock = kinesis_test::clock_at(now);
    kinesis::InstanceMetadataCredentialsProvider provider(options);
    auto first = provider.credentials();
    REQUIRE(first);
    REQUIRE(first->expiration);
    now = *first->expiration - 6min;
    REQUIRE(provider.credentials());
    CHECK(provider.fetches() == 1);
    now = *first->expiration - 4min;
    auto refreshed = provider.credentials();
    REQUIRE(refreshed);
    CHECK(refreshed->access_key_id == "test-key");
    CHECK(provider.fetches() == 2);
}

TEST_CASE("the default chain reaches IMDS when nothing else is configured") {
    kinesis_test::AwsEnv env;
    env.unset("AWS_EC2_METADATA_DISABLED");
    env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", kinesis_test::moto_endpoint());
    kinesis::DefaultCredentialsChain chain;
    auto credentials = chain.credentials();
    REQUIRE(credentials);
    CHECK(credentials->access_key_id == "test-key");
    CHECK(chain.answered_by() == "InstanceMetadata");
}

TEST_CASE("the container provider reads AWS_CONTAINER_CREDENTIALS_FULL_URI with an authorization token") {
    kinesis_test::AwsEnv env;
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", kinesis_test::moto_endpoint() + role_path);
    SUBCASE("token in the environment") { env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer local-token"); }
    SUBCASE("token in a file") {
        env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", env.write("token", "local-token\n"));
    }
    kinesis::ContainerCredentialsProvider provider;
    auto credentials = provider.credentials();
    REQUIRE(credentials);
    CHECK(credentials->access_key_id == "test-key");
    CHECK_FALSE(credentials->session_token.empty());
    REQUIRE(credentials->expiration);
    CHECK(credentials->provider_name == "Container");
}

TEST_CASE("a container endpoint answering an error status gives a Credentials error with the status") {
    kinesis_test::AwsEnv env;
    env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI",
            kinesis_test::moto_endpoint() + "/latest/meta-data/iam/security-credentials/no-such-role");
    kinesis::ContainerCredentialsProvider provider;
    auto credentials = provider.credentials();
    REQUIRE_FALSE(credentials);
    CHECK(credentials.error().kind == kinesis::ErrorKind::Credentials);
    CHECK(credentials.error().message.rfind("HTTP 500 from GET http://", 0) == 0);
}

TEST_CASE("the container provider sends the token as Authorization, and IMDS sends its session token") {
    const std::string document =
        R"({"AccessKeyId":"ASIALOCAL","SecretAccessKey":"local-secret","Token":"local-token",)"
        R"("Expiration":"2099-01-01T00:00:00Z","Code":"Success"})";
    kinesis_test::LocalServer server(false, [&](const std::string& head, const std::string&) {
        if (head.rfind("PUT /latest/api/token ", 0) == 0) {
            const bool ttl = head.find("\r\nX-aws-ec2-metadata-token-ttl-seconds: 21600\r\n") != std::string::npos;
            return kinesis_test::LocalReply{ttl ? 200 : 400, "session-token-1"};
        }
        const bool container = head.find("\r\nAuthorization: Bearer abc\r\n") != std::string::npos;
        const bool imds = head.find("\r\nX-aws-ec2-metadata-token: session-token-1\r\n") != std::string::npos;
        if (!container && !imds) return kinesis_test::LocalReply{401, "missing token"};
        if (head.rfind("GET /latest/meta-data/iam/security-credentials/ ", 0) == 0) {
            return kinesis_test::LocalReply{200, "my-role\n"};
        }
        return kinesis_test::LocalReply{200, document};
    });
    kinesis_test::AwsEnv env;
    SUBCASE("container") {
        env.set("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://" + server.host() + "/creds");
        env.set("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer abc");
        kinesis::ContainerCredentialsProvider provider;
        auto credentials = provider.credentials();
        REQUIRE(credentials);
        CHECK(credentials->access_key_id == "ASIALOCAL");
        CHECK(credentials->session_token.view() == "local-token");
        CHECK(kinesis::detail::iso8601(*credentials->expiration) == "2099-01-01T00:00:00Z");
    }
    SUBCASE("instance metadata") {
        env.unset("AWS_EC2_METADATA_DISABLED");
        env.set("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://" + server.host());
        kinesis::InstanceMetadataCredentialsProvider provider;
        auto credentials = provider.credentials();
        REQUIRE(credentials);
        CHECK(credentials->access_key_id == "ASIALOCAL");
        CHECK(server.last_head().rfind("GET /latest/meta-data/iam/security-credentials/my-role ", 0) == 0);
    }
}
