// SPDX-License-Identifier: Apache-2.0
#include <kinesis/sts/sts_client.hpp>

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace {

kinesis::StsClient offline_sts() {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = "http://127.0.0.1:9";  // nothing listens: checks must fail before sending
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("AKIDEXAMPLE", "secret");
    config.retry.max_attempts = 1;
    return kinesis::StsClient(config);
}

kinesis::AssumeRoleRequest valid_request() {
    kinesis::AssumeRoleRequest request;
    request.role_arn = "arn:aws:iam::123456789012:role/app";
    request.role_session_name = "session";
    return request;
}

std::string message_for(const kinesis::AssumeRoleRequest& request) {
    auto sts = offline_sts();
    auto result = sts.assume_role(request);
    REQUIRE_FALSE(result);
    return result.error().kind == kinesis::ErrorKind::InvalidArgument ? result.error().message : "sent";
}

}  // namespace

TEST_CASE("assume_role checks its input before sending") {
    CHECK(message_for(valid_request()) == "sent");
    auto request = valid_request();
    request.role_arn = "arn:short";
    CHECK(message_for(request) == "assume_role: role_arn has 9 characters; the limit is 20 to 2048");
    request = valid_request();
    request.role_session_name = "s";
    CHECK(message_for(request) == "assume_role: role_session_name has 1 characters; the limit is 2 to 64");
    request.role_session_name = std::string(65, 's');
    CHECK(message_for(request) == "assume_role: role_session_name has 65 characters; the limit is 2 to 64");
    request.role_session_name = "my session";
    CHECK(message_for(request) ==
          "assume_role: role_session_name has a character outside [A-Za-z0-9_+=,.@-] at position 2");
    request = valid_request();
    request.duration = std::chrono::seconds(899);
    CHECK(message_for(request) == "assume_role: duration is 899 s; the limit is 900 to 43200 s");
    request.duration = std::chrono::hours(12) + std::chrono::seconds(1);
    CHECK(message_for(request) == "assume_role: duration is 43201 s; the limit is 900 to 43200 s");
    request.duration = std::chrono::hours(12);
    CHECK(message_for(request) == "sent");
    request = valid_request();
    request.external_id = "a:b/c";
    CHECK(message_for(request) == "sent");
    request.external_id = "a b";
    CHECK(message_for(request) ==
          "assume_role: external_id has a character outside [A-Za-z0-9_+=,.@-:/] at position 1");
    request = valid_request();
    request.policy = "";
    CHECK(message_for(request) == "assume_role: policy is empty; leave it unset or give a policy document");
}
