// SPDX-License-Identifier: Apache-2.0
#include <kinesis/http/transport.hpp>

#include <doctest/doctest.h>

#include <string>

using kinesis::HttpRequest;
using kinesis::HttpResponse;

TEST_CASE("find_header matches names case-insensitively and returns the first") {
    HttpRequest request;
    request.headers = {{"Content-Type", "application/x-amz-json-1.1"}, {"X-Amz-Target", "a"}, {"x-amz-target", "b"}};
    const auto* header = request.find_header("x-AMZ-target");
    REQUIRE(header != nullptr);
    CHECK(header->value == "a");
    CHECK(request.find_header("Host") == nullptr);
}

TEST_CASE("set_header replaces an existing header or appends a new one") {
    HttpRequest request;
    request.set_header("X-Amz-Date", "20150830T123600Z");
    request.set_header("x-amz-date", "20160101T000000Z");
    request.set_header("Host", "example.com");
    REQUIRE(request.headers.size() == 2);
    CHECK(request.headers[0].name == "X-Amz-Date");
    CHECK(request.headers[0].value == "20160101T000000Z");
    CHECK(request.headers[1].name == "Host");
}

TEST_CASE("url() joins scheme, host and path and encodes the query pairs in order") {
    HttpRequest request;
    request.scheme = "https";
    request.host = "sts.us-east-1.amazonaws.com";
    request.path = "/a%20b/c";
    CHECK(request.url() == "https://sts.us-east-1.amazonaws.com/a%20b/c");
    request.query = {{"Action", "GetCallerIdentity"}, {"key with space", "a/b+c=d&e~"}, {"empty", ""}};
    CHECK(request.url() ==
          "https://sts.us-east-1.amazonaws.com/a%20b/c?Action=GetCallerIdentity&key%20with%20space="
          "a%2Fb%2Bc%3Dd%26e~&empty=");
}

TEST_CASE("url() puts a slash before a path that lacks one") {
    HttpRequest request;
    request.scheme = "http";
    request.host = "127.0.0.1:4566";
    request.path = "";
    CHECK(request.url() == "http://127.0.0.1:4566/");
}

TEST_CASE("from_url splits an endpoint into scheme, host, path and decoded query") {
    auto request = HttpRequest::from_url("GET", "HTTP://127.0.0.1:5000/latest/meta-data/?a=1&b%20c=d%2Fe&flag");
    REQUIRE(request);
    CHECK(request->method == "GET");
    CHECK(request->scheme == "http");
    CHECK(request->host == "127.0.0.1:5000");
    CHECK(request->path == "/latest/meta-data/");
    REQUIRE(request->query.size() == 3);
    CHECK(request->query[1].first == "b c");
    CHECK(request->query[1].second == "d/e");
    CHECK(request->query[2].first == "flag");
    CHECK(request->query[2].second.empty());

    auto bare = HttpRequest::from_url("POST", "https://kinesis.eu-north-1.amazonaws.com");
    REQUIRE(bare);
    CHECK(bare->host == "kinesis.eu-north-1.amazonaws.com");
    CHECK(bare->path == "/");
    CHECK(bare->url() == "https://kinesis.eu-north-1.amazonaws.com/");
}

TEST_CASE("from_url rejects other schemes, missing hosts, bad escapes and user info") {
    CHECK(HttpRequest::from_url("GET", "ftp://example.com/").error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK_FALSE(HttpRequest::from_url("GET", "example.com/path"));
    CHECK_FALSE(HttpRequest::from_url("GET", "http:///path"));
    CHECK_FALSE(HttpRequest::from_url("GET", "http://host/?a=%zz"));
    auto with_password = HttpRequest::from_url("GET", "http://user:hunter2@host/");
    REQUIRE_FALSE(with_password);
    CHECK(with_password.error().message.find("hunter2") == std::string::npos);
}

TEST_CASE("response header() is case-insensitive and empty when absent") {
    HttpResponse response;
    response.headers = {{"x-amzn-RequestId", "abc"}, {"Content-Type", "application/json"}};
    CHECK(response.header("X-Amzn-Requestid") == "abc");
    CHECK(response.header("content-type") == "application/json");
    CHECK(response.header("Date").empty());
}

TEST_CASE("a request to a malformed URL fails as InvalidArgument without sending anything") {
    kinesis::HttpClient client;
    HttpRequest request;
    request.scheme = "http";
    request.host = "bad host name with spaces";
    auto response = client.send(request);
    REQUIRE_FALSE(response);
    CHECK(response.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK_FALSE(response.error().retryable());
    CHECK(client.connections_opened() == 0);
}

TEST_CASE("EventLoop reports a failure through the callback from run_once(), never from send()") {
    kinesis::EventLoop client;
    HttpRequest request;
    request.scheme = "http";
    request.host = "bad host name with spaces";
    bool called = false;
    kinesis::Error error;
    client.send(request, [&](kinesis::Result<HttpResponse> r) {
        called = true;
        if (!r) error = r.error();
    });
    CHECK_FALSE(called);
    CHECK(client.in_flight() == 1);
    while (client.run_once(std::chrono::seconds(1)) > 0) {
    }
    CHECK(called);
    CHECK(error.kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(client.in_flight() == 0);
}

TEST_CASE("EventLoop::run_once with nothing pending waits for its timeout") {
    kinesis::EventLoop client;
    const auto start = std::chrono::steady_clock::now();
    CHECK(client.run_once(std::chrono::milliseconds(100)) == 0);
    CHECK(std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(90));
}
