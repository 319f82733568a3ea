// SPDX-License-Identifier: Apache-2.0
// Requests of each protocol, signed by us, against signature-verifying moto.
#include <kinesis/protocol/detail/service_client.hpp>

#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/core/detail/xml.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <memory>
#include <string>

namespace {

constexpr const char* fake_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

std::unique_ptr<kinesis::detail::ServiceClient> client(kinesis::detail::ServiceInfo service, bool right_secret) {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = kinesis_test::moto_verify_endpoint();
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>(
        kinesis_test::moto_verify_access_key_id(),
        right_secret ? kinesis_test::moto_verify_secret_access_key() : std::string(fake_secret));
    return std::make_unique<kinesis::detail::ServiceClient>(config, service);
}

constexpr kinesis::detail::ServiceInfo kinesis_service{"kinesis", "KINESIS", "kinesis"};

}  // namespace

TEST_CASE("a Kinesis ListStreams signed as AWS JSON 1.1 is accepted by signature-verifying moto") {
    auto kinesis = client(kinesis_service, true);
    auto response = kinesis->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE_MESSAGE(response, (response ? std::string() : response.error().to_string()));
    CHECK(response->status == 200);
    simdjson::ondemand::document doc;
    REQUIRE(kinesis->json_parser().iterate(response->body).get(doc) == simdjson::SUCCESS);
    simdjson::ondemand::array names;
    CHECK(doc["StreamNames"].get_array().get(names) == simdjson::SUCCESS);
}

TEST_CASE("a Kinesis ListStreams signed with a wrong secret is rejected, and the secret never shown") {
    auto kinesis = client(kinesis_service, false);
    auto response = kinesis->call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE_FALSE(response);
    CHECK(response.error().code == "SignatureDoesNotMatch");
    CHECK(response.error().http_status == 403);
    CHECK(response.error().to_string().find(fake_secret) == std::string::npos);
}

TEST_CASE("a DynamoDB ListTables signed as AWS JSON 1.0 is accepted by signature-verifying moto") {
    auto dynamodb = client({"dynamodb", "DYNAMODB", "dynamodb"}, true);
    auto response = dynamodb->call_json("DynamoDB_20120810", "ListTables", "1.0", "{}");
    REQUIRE_MESSAGE(response, (response ? std::string() : response.error().to_string()));
    CHECK(response->body.find("TableNames") != std::string::npos);
}

TEST_CASE("an S3 ListBuckets signed as REST with x-amz-content-sha256 is accepted, a wrong secret is not") {
    kinesis::detail::RestRequest request;
    request.method = "GET";
    request.path = "/";
    request.signing.double_uri_encode = false;
    request.signing.normalize_path = false;
    request.signing.add_content_sha256_header = true;
    auto s3 = client({"s3", "S3", "s3"}, true);
    auto response = s3->call_rest(request);
    REQUIRE_MESSAGE(response, (response ? std::string() : response.error().to_string()));
    auto root = kinesis::detail::parse_xml(response->body);
    REQUIRE(root);
    CHECK(root->name() == "ListAllMyBucketsResult");

    auto wrong = client({"s3", "S3", "s3"}, false);
    auto rejected = wrong->call_rest(request);
    REQUIRE_FALSE(rejected);
    CHECK(rejected.error().code == "SignatureDoesNotMatch");
    CHECK(rejected.error().http_status == 403);
}
