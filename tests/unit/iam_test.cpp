// SPDX-License-Identifier: Apache-2.0
#include <kinesis/iam/iam_client.hpp>

#include "aws_env.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <optional>
#include <string>

namespace {

// AWS_ENDPOINT_URL_IAM is not among the variables AwsEnv clears.
struct NoIamEndpointEnv {
    NoIamEndpointEnv() {
        if (const char* value = std::getenv("AWS_ENDPOINT_URL_IAM")) saved = value;
        ::unsetenv("AWS_ENDPOINT_URL_IAM");
    }
    ~NoIamEndpointEnv() {
        if (saved) ::setenv("AWS_ENDPOINT_URL_IAM", saved->c_str(), 1);
    }
    std::optional<std::string> saved;
};

kinesis::CreateRoleRequest role_request(std::string name, std::string document, std::string path = "/") {
    kinesis::CreateRoleRequest request;
    request.role_name = std::move(name);
    request.assume_role_policy_document = std::move(document);
    request.path = std::move(path);
    return request;
}

kinesis::ClientConfig offline_config() {
    kinesis::ClientConfig config;
    config.region = "eu-north-1";
    // Nothing listens here: every check below must fail before sending.
    config.endpoint = "http://127.0.0.1:9";
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("AKIDEXAMPLE", "secret");
    config.retry.max_attempts = 1;
    return config;
}

}  // namespace

TEST_CASE("IamClient uses the global IAM endpoint signed for us-east-1 in the aws partition") {
    kinesis_test::AwsEnv env;
    NoIamEndpointEnv no_iam;
    kinesis::ClientConfig config;
    config.region = "eu-north-1";
    kinesis::IamClient iam(config);
    CHECK(iam.endpoint() == "https://iam.amazonaws.com");
    CHECK(iam.region() == "us-east-1");
}

TEST_CASE("IamClient uses iam.cn-north-1.amazonaws.com.cn in the aws-cn partition") {
    kinesis_test::AwsEnv env;
    NoIamEndpointEnv no_iam;
    kinesis::ClientConfig config;
    config.region = "cn-northwest-1";
    kinesis::IamClient iam(config);
    CHECK(iam.endpoint() == "https://iam.cn-north-1.amazonaws.com.cn");
    CHECK(iam.region() == "cn-north-1");
}

TEST_CASE("IamClient needs no region and honours AWS_ENDPOINT_URL_IAM and config.endpoint") {
    kinesis_test::AwsEnv env;
    NoIamEndpointEnv no_iam;
    {
        kinesis::IamClient iam;
        CHECK(iam.endpoint() == "https://iam.amazonaws.com");
    }
    env.set("AWS_ENDPOINT_URL", "http://127.0.0.1:5000");
    CHECK(kinesis::IamClient().endpoint() == "http://127.0.0.1:5000");
    ::setenv("AWS_ENDPOINT_URL_IAM", "http://127.0.0.1:5001", 1);
    CHECK(kinesis::IamClient().endpoint() == "http://127.0.0.1:5001");
    kinesis::ClientConfig config;
    config.endpoint = "http://127.0.0.1:5002";
    kinesis::IamClient iam(config);
    CHECK(iam.endpoint() == "http://127.0.0.1:5002");
    CHECK(iam.region() == "us-east-1");
    ::unsetenv("AWS_ENDPOINT_URL_IAM");
}

TEST_CASE("IamClient rejects bad role, user and policy names before sending") {
    kinesis::IamClient iam(offline_config());
    auto empty = iam.get_role("");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(empty.error().message == "get_role: name has 0 characters; the limit is 1 to 64");

    auto long_name = iam.create_role(role_request(std::string(65, 'r'), kinesis::service_trust_policy()));
    REQUIRE_FALSE(long_name);
    CHECK(long_name.error().message == "create_role: role_name has 65 characters; the limit is 1 to 64");

    auto bad_char = iam.create_user("bad/name");
    REQUIRE_FALSE(bad_char);
    CHECK(bad_char.error().message ==
          "create_user: name has a character outside [A-Za-z0-9_+=,.@-] at position 3");

    auto policy = iam.put_role_policy("role", std::string(129, 'p'), "{}");
    REQUIRE_FALSE(policy);
    CHECK(policy.error().message == "put_role_policy: policy_name has 129 characters; the limit is 1 to 128");

    CHECK(iam.delete_user_policy("u", "").error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(iam.role_exists("a b").error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(iam.create_access_key("").error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(iam.delete_access_key("u", "short").error().message ==
          "delete_access_key: access_key_id has 5 characters; the limit is 16 to 128");
    // Every character IAM allows passes the check (then fails to connect).
    auto allowed = iam.get_role("a_Z9+=,.@-");
    REQUIRE_FALSE(allowed);
    CHECK(allowed.error().kind != kinesis::ErrorKind::InvalidArgument);
}

TEST_CASE("IamClient rejects empty and oversized policy documents before sending") {
    kinesis::IamClient iam(offline_config());
    auto empty = iam.put_user_policy("user", "policy", "");
    REQUIRE_FALSE(empty);
    CHECK(empty.error().message == "put_user_policy: document has 0 characters; the limit is 1 to 131072");
    auto huge = iam.create_role(role_request("role", std::string(131073, ' ')));
    REQUIRE_FALSE(huge);
    CHECK(huge.error().message ==
          "create_role: assume_role_policy_document has 131073 characters; the limit is 1 to 131072");
    auto path = iam.create_role(role_request("role", kinesis::service_trust_policy(), "no-slash"));
    REQUIRE_FALSE(path);
    CHECK(path.error().kind == kinesis::ErrorKind::InvalidArgument);
}

TEST_CASE("service_trust_policy lets the named service assume the role") {
    CHECK(kinesis::service_trust_policy() ==
          R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"firehose.amazonaws.com"},)"
          R"("Action":"sts:AssumeRole"}]})");
    CHECK(kinesis::service_trust_policy("ec2.amazonaws.com").find(R"("Service":"ec2.amazonaws.com")") !=
          std::string::npos);
}

TEST_CASE("firehose_delivery_policy grants stream reads and bucket writes on bucket and bucket/*") {
    const auto policy = kinesis::firehose_delivery_policy({"arn:aws:kinesis:eu-north-1:123456789012:stream/s"},
                                                          {"arn:aws:s3:::b"});
    CHECK(policy ==
          R"({"Version":"2012-10-17","Statement":[)"
          R"({"Effect":"Allow","Action":["kinesis:DescribeStream","kinesis:GetShardIterator","kinesis:GetRecords",)"
          R"("kinesis:ListShards"],"Resource":["arn:aws:kinesis:eu-north-1:123456789012:stream/s"]},)"
          R"({"Effect":"Allow","Action":["s3:AbortMultipartUpload","s3:GetBucketLocation","s3:GetObject",)"
          R"("s3:ListBucket","s3:ListBucketMultipartUploads","s3:PutObject"],)"
          R"("Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}]})");
    const auto direct_put = kinesis::firehose_delivery_policy({}, {"arn:aws:s3:::b"});
    CHECK(direct_put.find("kinesis:") == std::string::npos);
}
