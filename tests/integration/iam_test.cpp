// SPDX-License-Identifier: Apache-2.0
// IamClient against moto_server, plain and signature-verifying (which also enforces user policies).
#include <kinesis/iam/iam_client.hpp>

#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/sts/sts_client.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

namespace {

struct IamEndpoint {
    std::string name;
    kinesis::ClientConfig config;
};

kinesis::ClientConfig config_for(const std::string& endpoint, std::string id, std::string secret) {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = endpoint;
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>(std::move(id), std::move(secret));
    return config;
}

kinesis::ClientConfig verify_config() {
    return config_for(kinesis_test::moto_verify_endpoint(), kinesis_test::moto_verify_access_key_id(),
                      kinesis_test::moto_verify_secret_access_key());
}

std::vector<IamEndpoint> iam_endpoints() {
    return {{"moto", config_for(kinesis_test::moto_endpoint(), "testing", "testing")}, {"moto-verify", verify_config()}};
}

template <class T>
std::string why(const kinesis::Result<T>& result) {
    return result ? std::string() : result.error().to_string();
}

kinesis::CreateRoleRequest role_request(std::string name, std::string document) {
    kinesis::CreateRoleRequest request;
    request.role_name = std::move(name);
    request.assume_role_policy_document = std::move(document);
    return request;
}

// A user of the verifying moto holding one inline policy, and a key of its own.
struct PolicyUser {
    kinesis::IamClient& iam;
    std::string name;
    kinesis::AccessKey key;

    PolicyUser(kinesis::IamClient& client, const std::string& policy) : iam(client), name(kinesis_test::unique_name("iam-user")) {
        auto user = iam.create_user(name);
        REQUIRE_MESSAGE(user, why(user));
        CHECK(user->user_name == name);
        CHECK(user->arn == "arn:aws:iam::123456789012:user/" + name);
        CHECK_FALSE(user->user_id.empty());
        auto put = iam.put_user_policy(name, "only-this", policy);
        REQUIRE_MESSAGE(put, why(put));
        auto created = iam.create_access_key(name);
        REQUIRE_MESSAGE(created, why(created));
        key = std::move(*created);
        CHECK(key.user_name == name);
        CHECK_FALSE(key.access_key_id.empty());
        CHECK_FALSE(key.secret_access_key.empty());
    }
    ~PolicyUser() {
        CHECK(iam.delete_access_key(name, key.access_key_id));
        CHECK(iam.delete_user_policy(name, "only-this"));
        CHECK(iam.delete_user(name));
    }
    [[nodiscard]] kinesis::ClientConfig config() const {
        return config_for(kinesis_test::moto_verify_endpoint(), key.access_key_id,
                          std::string(key.secret_access_key.view()));
    }
};

}  // namespace

TEST_CASE("IAM role lifecycle: create with the Firehose trust policy, get, inline policy, delete") {
    for (const auto& endpoint : iam_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::IamClient iam(endpoint.config);
        CHECK(iam.region() == "us-east-1");
        const auto name = kinesis_test::unique_name("iam-role");
        const auto trust = kinesis::service_trust_policy();

        auto created = iam.create_role(role_request(name, trust));
        REQUIRE_MESSAGE(created, why(created));
        CHECK(created->role_name == name);
        CHECK(created->arn == "arn:aws:iam::123456789012:role/" + name);
        CHECK(created->path == "/");
        CHECK_FALSE(created->role_id.empty());
        CHECK(created->create_date);

        auto again = iam.create_role(role_request(name, trust));
        REQUIRE_FALSE(again);
        CHECK(again.error().code == "EntityAlreadyExists");

        auto got = iam.get_role(name);
        REQUIRE_MESSAGE(got, why(got));
        CHECK(got->arn == created->arn);
        CHECK(got->role_id == created->role_id);
        CHECK(got->assume_role_policy_document == trust);
        auto exists = iam.role_exists(name);
        REQUIRE_MESSAGE(exists, why(exists));
        CHECK(*exists);

        const auto policy = kinesis::firehose_delivery_policy({"arn:aws:kinesis:us-east-1:123456789012:stream/s"},
                                                              {"arn:aws:s3:::b"});
        auto put = iam.put_role_policy(name, "firehose-delivery", policy);
        REQUIRE_MESSAGE(put, why(put));
        auto listed = iam.list_role_policies(name);
        REQUIRE_MESSAGE(listed, why(listed));
        CHECK(*listed == std::vector<std::string>{"firehose-delivery"});
        auto removed = iam.delete_role_policy(name, "firehose-delivery");
        REQUIRE_MESSAGE(removed, why(removed));
        listed = iam.list_role_policies(name);
        REQUIRE_MESSAGE(listed, why(listed));
        CHECK(listed->empty());

        auto deleted = iam.delete_role(name);
        REQUIRE_MESSAGE(deleted, why(deleted));
        exists = iam.role_exists(name);
        REQUIRE_MESSAGE(exists, why(exists));
        CHECK_FALSE(*exists);
        auto missing = iam.get_role(name);
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == "NoSuchEntity");
        CHECK(missing.error().http_status == 404);
    }
}

TEST_CASE("IAM user access key made by IamClient signs calls that verifying moto accepts") {
    kinesis::IamClient iam(verify_config());
    PolicyUser user(iam, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:GetCallerIdentity","Resource":"*"}]})");
    kinesis::StsClient sts(user.config());
    auto identity = sts.get_caller_identity();
    REQUIRE_MESSAGE(identity, why(identity));
    CHECK(identity->arn == "arn:aws:iam::123456789012:user/" + user.name);
}

TEST_CASE("IAM user limited to a Kinesis and S3 policy is allowed inside it and denied outside it by verifying moto") {
    kinesis::IamClient iam(verify_config());
    PolicyUser user(iam, R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":[)"
                         R"("kinesis:PutRecord","kinesis:CreateStream","kinesis:GetShardIterator","kinesis:GetRecords",)"
                         R"("kinesis:DescribeStream","s3:PutObject"],"Resource":"*"}]})");
    auto config = user.config();
    config.retry.max_attempts = 1;
    kinesis::KinesisClient kinesis(config);
    const auto stream = kinesis_test::unique_name("iam-limited");

    kinesis::CreateStreamRequest create;
    create.stream_name = stream;
    create.shard_count = 1;
    auto created = kinesis.create_stream(create);
    CHECK_MESSAGE(created, why(created));

    // AWS answers AccessDeniedException (HTTP 400); moto answers AccessDenied (HTTP 403).
    const auto access_denied = [](const kinesis::Error& error) {
        return error.code == "AccessDenied" || error.code == "AccessDeniedException";
    };
    auto listed = kinesis.list_streams();
    REQUIRE_FALSE(listed);
    CHECK_MESSAGE(access_denied(listed.error()), listed.error().to_string());

    kinesis::DeleteStreamRequest remove;
    remove.stream = stream;
    auto denied = kinesis.delete_stream(remove);
    REQUIRE_FALSE(denied);
    CHECK_MESSAGE(access_denied(denied.error()), denied.error().to_string());

    // Inside the policy again: a record is accepted.
    kinesis::PutRecordRequest record;
    record.stream = stream;
    record.data = "inside the policy";
    record.partition_key = "key";
    auto put = kinesis.put_record(record);
    CHECK_MESSAGE(put, why(put));

    // The stream is removed with the all-powerful key.
    auto admin = verify_config();
    kinesis::KinesisClient admin_kinesis(admin);
    CHECK(admin_kinesis.delete_stream(remove));
}
