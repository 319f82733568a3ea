// SPDX-License-Identifier: Apache-2.0
#include <kinesis/protocol/detail/service_client.hpp>

#include <kinesis/core/detail/json_reader.hpp>

#include <doctest/doctest.h>

#include <fmt/core.h>

#include <string>
#include <vector>

using kinesis::ErrorKind;
using kinesis::HttpRequest;
using kinesis::HttpResponse;
using kinesis::detail::extract_error;

namespace {

constexpr const char* fake_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr const char* fake_token = "FQoGZXIvYXdzEXAMPLESESSIONTOKEN//////////wEaDM";

HttpResponse answer(int status, std::string body, std::vector<kinesis::HttpHeader> headers = {}) {
    HttpResponse response;
    response.status = status;
    response.body = std::move(body);
    response.body.reserve(response.body.size() + 64);  // as the transport does
    response.headers = std::move(headers);
    return response;
}

HttpRequest endpoint(std::string_view url) {
    auto request = HttpRequest::from_url("POST", url);
    REQUIRE(request);
    return *request;
}

std::string header(const HttpRequest& request, std::string_view name) {
    const auto* h = request.find_header(name);
    return h != nullptr ? h->value : std::string();
}

}  // namespace

TEST_CASE("JSON errors give the code after '#', message or Message, and the request id header") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(400, R"({"__type":"com.amazonaws.kinesis#ResourceNotFoundException","message":"Stream s not found"})",
               {{"x-amzn-RequestId", "req-1"}}),
        parser);
    CHECK(error.kind == ErrorKind::Service);
    CHECK(error.code == "ResourceNotFoundException");
    CHECK(error.message == "Stream s not found");
    CHECK(error.http_status == 400);
    CHECK(error.request_id == "req-1");
    CHECK_FALSE(error.retryable());

    error = extract_error(answer(400, R"({"__type":"ProvisionedThroughputExceededException","Message":"Rate exceeded"})",
                                 {{"X-Amz-Request-Id", "req-2"}}),
                          parser);
    CHECK(error.kind == ErrorKind::Throttled);
    CHECK(error.message == "Rate exceeded");
    CHECK(error.request_id == "req-2");
    CHECK(error.retryable());
}

TEST_CASE("the x-amzn-ErrorType header names the code when the body does not") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(400, "", {{"X-Amzn-ErrorType", "ValidationException:http://internal.amazon.com/coral/"}}), parser);
    CHECK(error.code == "ValidationException");
    CHECK(error.kind == ErrorKind::Service);
    error = extract_error(answer(400, "{}", {{"x-amzn-errortype", "ThrottlingException"}}), parser);
    CHECK(error.code == "ThrottlingException");
    CHECK(error.kind == ErrorKind::Throttled);
}

TEST_CASE("Query XML errors give Code, Message and RequestId") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(answer(403, R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error><Type>Sender</Type><Code>SignatureDoesNotMatch</Code>
    <Message>The request signature we calculated does not match &amp; so on</Message></Error>
  <RequestId>4c5b9a1e-0000</RequestId>
</ErrorResponse>)"),
                               parser);
    CHECK(error.kind == ErrorKind::Service);
    CHECK(error.code == "SignatureDoesNotMatch");
    CHECK(error.message == "The request signature we calculated does not match & so on");
    CHECK(error.request_id == "4c5b9a1e-0000");
    CHECK(error.http_status == 403);
}

TEST_CASE("S3 XML errors keep their RequestId inside Error") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(503, "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message>"
                    "<RequestId>TX1</RequestId><HostId>h</HostId></Error>"),
        parser);
    CHECK(error.code == "SlowDown");
    CHECK(error.kind == ErrorKind::Throttled);
    CHECK(error.request_id == "TX1");
}

TEST_CASE("a JSON service answering an auth failure in XML (as moto does) is still read") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(403,
               "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code>"
               "<Message>The request signature we calculated does not match the signature you provided.</Message>"
               "<Type>Sender</Type></Error></Errors></ErrorResponse>",
               {{"x-amzn-ErrorType", "SignatureDoesNotMatch"}, {"x-amzn-RequestId", "moto-1"}}),
        parser);
    CHECK(error.code == "SignatureDoesNotMatch");
    CHECK(error.message.find("does not match") != std::string::npos);
    CHECK(error.request_id == "moto-1");
}

TEST_CASE("unreadable answers are Parse errors for 4xx and retryable Service errors for 5xx") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(answer(400, "<html><body>bad gateway</body>"), parser);
    CHECK(error.kind == ErrorKind::Parse);
    CHECK_FALSE(error.retryable());
    error = extract_error(answer(400, "{\"__type\": "), parser);
    CHECK(error.kind == ErrorKind::Parse);
    error = extract_error(answer(502, "<html>proxy</html>"), parser);
    CHECK(error.kind == ErrorKind::Service);
    CHECK(error.retryable());
    error = extract_error(answer(429, ""), parser);
    CHECK(error.kind == ErrorKind::Throttled);
    CHECK(error.retryable());
}

TEST_CASE("json_request is POST to the endpoint with the JSON content type and X-Amz-Target") {
    const auto request = kinesis::detail::json_request(endpoint("http://127.0.0.1:4566"), "Kinesis_20131202",
                                                       "ListStreams", "1.1", "{}");
    CHECK(request.method == "POST");
    CHECK(request.scheme == "http");
    CHECK(request.host == "127.0.0.1:4566");
    CHECK(request.path == "/");
    CHECK(request.query.empty());
    CHECK(request.body == "{}");
    CHECK(request.headers.size() == 2);
    CHECK(header(request, "Content-Type") == "application/x-amz-json-1.1");
    CHECK(header(request, "X-Amz-Target") == "Kinesis_20131202.ListStreams");

    const auto dynamo = kinesis::detail::json_request(endpoint("https://dynamodb.eu-west-1.amazonaws.com"),
                                                      "DynamoDB_20120810", "ListTables", "1.0", R"({"Limit":1})");
    CHECK(dynamo.scheme == "https");
    CHECK(dynamo.host == "dynamodb.eu-west-1.amazonaws.com");
    CHECK(header(dynamo, "Content-Type") == "application/x-amz-json-1.0");
    CHECK(header(dynamo, "X-Amz-Target") == "DynamoDB_20120810.ListTables");
    CHECK(dynamo.body == R"({"Limit":1})");
}

TEST_CASE("query_request form-encodes Action, Version and parameters in order, a space as + like botocore") {
    const auto request = kinesis::detail::query_request(endpoint("http://127.0.0.1:5000/sts"), "AssumeRole",
                                                        "2011-06-15",
                                                        {{"RoleSessionName", "a b/c"}, {"DurationSeconds", "900"}});
    CHECK(request.method == "POST");
    CHECK(request.host == "127.0.0.1:5000");
    CHECK(request.path == "/sts");
    CHECK(request.body == "Action=AssumeRole&Version=2011-06-15&RoleSessionName=a+b%2Fc&DurationSeconds=900");
    CHECK(header(request, "Content-Type") == "application/x-www-form-urlencoded; charset=utf-8");

    const auto bare = kinesis::detail::query_request(endpoint("http://127.0.0.1:5000"), "GetCallerIdentity",
                                                     "2011-06-15", {});
    CHECK(bare.body == "Action=GetCallerIdentity&Version=2011-06-15");

    const auto plus = kinesis::detail::query_request(endpoint("http://127.0.0.1:5000"), "CreateRole", "2010-05-08",
                                                     {{"Description", " Firehose role +1 "}});
    CHECK(plus.body == "Action=CreateRole&Version=2010-05-08&Description=+Firehose+role+%2B1+");
}

TEST_CASE("rest_request keeps method, host override, path, query, headers and body") {
    kinesis::detail::RestRequest rest;
    rest.method = "PUT";
    rest.host = "bucket.127.0.0.1:1";
    rest.path = "/my%20key";
    rest.query = {{"partNumber", "1"}};
    rest.headers = {{"Content-MD5", "abc="}};
    rest.body = "data";
    const auto request = kinesis::detail::rest_request(endpoint("http://127.0.0.1:1"), rest);
    CHECK(request.method == "PUT");
    CHECK(request.scheme == "http");
    CHECK(request.host == "bucket.127.0.0.1:1");
    CHECK(request.path == "/my%20key");
    REQUIRE(request.query.size() == 1);
    CHECK(request.query[0].first == "partNumber");
    CHECK(header(request, "Content-MD5") == "abc=");
    CHECK(request.body == "data");

    rest.host.clear();
    CHECK(kinesis::detail::rest_request(endpoint("http://127.0.0.1:1"), rest).host == "127.0.0.1:1");
}

TEST_CASE("rest_request puts the path under the endpoint's own path, and an empty path is /") {
    kinesis::detail::RestRequest rest;
    rest.path = "/bucket/key";
    CHECK(kinesis::detail::rest_request(endpoint("http://h:1/prefix/"), rest).path == "/prefix/bucket/key");
    CHECK(kinesis::detail::rest_request(endpoint("http://h:1/prefix"), rest).path == "/prefix/bucket/key");
    CHECK(kinesis::detail::rest_request(endpoint("http://h:1/"), rest).path == "/bucket/key");
    rest.path.clear();
    CHECK(kinesis::detail::rest_request(endpoint("http://h:1"), rest).path == "/");
}

TEST_CASE("scrub_error removes a secret and session token that a service echoed in its message") {
    kinesis::detail::JsonParser parser;
    auto error = extract_error(
        answer(403,
               fmt::format(R"({{"__type":"UnrecognizedClientException","message":"key {} token {} rejected"}})",
                           fake_secret, fake_token),
               {{"x-amzn-RequestId", "r-1"}}),
        parser);
    REQUIRE(error.message.find(fake_secret) != std::string::npos);  // there to leak
    kinesis::Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = kinesis::SecretString(fake_secret);
    credentials.session_token = kinesis::SecretString(fake_token);
    kinesis::detail::scrub_error(error, credentials);
    const auto text = error.to_string();
    CHECK(text.find(fake_secret) == std::string::npos);
    CHECK(text.find(fake_token) == std::string::npos);
    CHECK(text.find("UnrecognizedClientException") != std::string::npos);
    CHECK(text.find("rejected") != std::string::npos);
    CHECK(text.find("r-1") != std::string::npos);
}
