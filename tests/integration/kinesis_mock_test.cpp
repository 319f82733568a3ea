// SPDX-License-Identifier: Apache-2.0
// The foundation against kinesis-mock: a second, independent Kinesis that keeps
// connections alive (werkzeug, under moto, closes each one).
#include <kinesis/protocol/detail/service_client.hpp>

#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/http/transport.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>

namespace {

kinesis::HttpRequest unsigned_list_streams() {
    auto request = kinesis::HttpRequest::from_url("POST", kinesis_test::kinesis_mock_endpoint()).value();
    request.set_header("Content-Type", "application/x-amz-json-1.1");
    request.set_header("X-Amz-Target", "Kinesis_20131202.ListStreams");
    // kinesis-mock checks that the SigV4 headers are present, not their value.
    request.set_header("X-Amz-Date", "20261122T000000Z");
    request.set_header("Authorization",
                       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/kinesis/aws4_request, "
                       "SignedHeaders=host;x-amz-date, Signature=0");
    request.body = "{}";
    return request;
}

kinesis::ClientConfig kinesis_mock_config() {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = kinesis_test::kinesis_mock_endpoint();
    return config;
}

}  // namespace

TEST_CASE("kinesis-mock answers a ListStreams that ServiceClient signs from the default credential chain") {
    kinesis::detail::ServiceClient kinesis(kinesis_mock_config(), {"kinesis", "KINESIS", "kinesis"});
    auto response = kinesis.call_json("Kinesis_20131202", "ListStreams", "1.1", "{}");
    REQUIRE_MESSAGE(response, (response ? std::string() : response.error().to_string()));
    CHECK(response->status == 200);
    simdjson::ondemand::document doc;
    REQUIRE(kinesis.json_parser().iterate(response->body).get(doc) == simdjson::SUCCESS);
    bool has_more = true;
    CHECK(doc["HasMoreStreams"].get_bool().get(has_more) == simdjson::SUCCESS);
    CHECK_FALSE(has_more);
}

TEST_CASE("kinesis-mock's error for an unknown stream is read as a Service error with its code") {
    kinesis::detail::ServiceClient kinesis(kinesis_mock_config(), {"kinesis", "KINESIS", "kinesis"});
    auto response = kinesis.call_json("Kinesis_20131202", "DescribeStreamSummary", "1.1",
                                      R"({"StreamName":"no-such-stream-here"})");
    REQUIRE_FALSE(response);
    CHECK(response.error().kind == kinesis::ErrorKind::Service);
    CHECK(response.error().code == "ResourceNotFoundException");
    CHECK(response.error().http_status == 400);
    CHECK_FALSE(response.error().retryable());
}

TEST_CASE("sequential requests to kinesis-mock reuse one keep-alive connection") {
    kinesis::HttpClient client;
    for (int i = 0; i < 20; ++i) {
        auto response = client.send(unsigned_list_streams());
        REQUIRE_MESSAGE(response, (response ? std::string() : response.error().to_string()));
        REQUIRE(response->status == 200);
    }
    CHECK(client.connections_opened() == 1);
}

TEST_CASE("EventLoop keeps 100 requests to kinesis-mock in flight on one thread") {
    kinesis::HttpOptions options;
    options.max_connections = 16;
    kinesis::EventLoop client(options);
    int ok = 0;
    int failed = 0;
    for (int i = 0; i < 100; ++i) {
        client.send(unsigned_list_streams(), [&](kinesis::Result<kinesis::HttpResponse> response) {
            if (response && response->status == 200 &&
                response->body.find("\"StreamNames\"") != std::string::npos) {
                ++ok;
            } else {
                ++failed;
            }
        });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (client.in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
        client.run_once(std::chrono::milliseconds(100));
    }
    CHECK(client.in_flight() == 0);
    CHECK(ok == 100);
    CHECK(failed == 0);
    // More requests than connections: the pool is reused, not grown per request.
    CHECK(client.connections_opened() <= 16);
}
