// SPDX-License-Identifier: Apache-2.0
// STS GetCallerIdentity against moto_server, plain and signature-verifying.
#include <kinesis/sts.hpp>

#include <kinesis/credentials.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

constexpr const char* fake_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

kinesis::ClientConfig config_for(const std::string& endpoint, std::string id, std::string secret) {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = endpoint;
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>(std::move(id), std::move(secret));
    return config;
}

}  // namespace

TEST_CASE("GetCallerIdentity against moto returns the account, ARN and user id") {
    kinesis::StsClient sts(config_for(kinesis_test::moto_endpoint(), "AKIAIOSFODNN7EXAMPLE", "anything"));
    CHECK(sts.endpoint() == kinesis_test::moto_endpoint());
    auto identity = sts.get_caller_identity();
    REQUIRE_MESSAGE(identity, (identity ? std::string() : identity.error().to_string()));
    CHECK(identity->account == "123456789012");
    CHECK(identity->arn.rfind("arn:aws:", 0) == 0);
    CHECK(identity->arn.find(identity->account) != std::string::npos);
    CHECK_FALSE(identity->user_id.empty());
}

TEST_CASE("GetCallerIdentity signed with the right key is accepted by signature-verifying moto") {
    kinesis::StsClient sts(config_for(kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(),
                                      kinesis_test::moto_verify_secret_access_key()));
    auto identity = sts.get_caller_identity();
    REQUIRE_MESSAGE(identity, (identity ? std::string() : identity.error().to_string()));
    CHECK(identity->account == "123456789012");
    CHECK(identity->arn.find(":user/") != std::string::npos);
    CHECK_FALSE(identity->user_id.empty());
}

TEST_CASE("a wrong secret is rejected with SignatureDoesNotMatch and a request id, and never shown") {
    std::vector<std::string> lines;
    auto config = config_for(kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(), fake_secret);
    config.log = [&](kinesis::LogLevel, std::string_view line) { lines.emplace_back(line); };
    config.log_level = kinesis::LogLevel::Trace;
    kinesis::StsClient sts(config);
    auto identity = sts.get_caller_identity();
    REQUIRE_FALSE(identity);
    const auto& error = identity.error();
    CHECK(error.kind == kinesis::ErrorKind::Service);
    CHECK(error.code == "SignatureDoesNotMatch");
    CHECK(error.http_status == 403);
    CHECK_FALSE(error.request_id.empty());
    CHECK_FALSE(error.retryable());
    const auto text = error.to_string();
    CHECK(text.find("SignatureDoesNotMatch") != std::string::npos);
    CHECK(text.find(fake_secret) == std::string::npos);
    REQUIRE_FALSE(lines.empty());
    for (const auto& line : lines) {
        CAPTURE(line);
        CHECK(line.find(fake_secret) == std::string::npos);
        CHECK(line.find("Signature=") == std::string::npos);
    }
}

TEST_CASE("an unknown access key id is rejected by signature-verifying moto") {
    kinesis::StsClient sts(config_for(kinesis_test::moto_verify_endpoint(), "AKIAUNKNOWNKEY000000", fake_secret));
    auto identity = sts.get_caller_identity();
    REQUIRE_FALSE(identity);
    CHECK(identity.error().code == "InvalidClientTokenId");
    CHECK(identity.error().http_status == 403);
}

TEST_CASE("a refused connection is a Transport error after the standard retries") {
    auto config = config_for("http://127.0.0.1:9", "AKIAIOSFODNN7EXAMPLE", "anything");
    config.retry.base_delay = std::chrono::milliseconds(1);
    kinesis::StsClient sts(config);
    auto identity = sts.get_caller_identity();
    REQUIRE_FALSE(identity);
    CHECK(identity.error().kind == kinesis::ErrorKind::Transport);
}
