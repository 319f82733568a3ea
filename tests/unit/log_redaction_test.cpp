// SPDX-License-Identifier: Apache-2.0
#include <kinesis/http/detail/log.hpp>

#include <doctest/doctest.h>

#include <string>
#include <vector>

using kinesis::LogLevel;

namespace {
constexpr const char* fake_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
}

TEST_CASE("describe_request redacts Authorization, the session token and presigned query secrets") {
    kinesis::HttpRequest request;
    request.method = "GET";
    request.scheme = "https";
    request.host = "bucket.s3.amazonaws.com";
    request.path = "/key";
    request.query = {{"X-Amz-Credential", "AKIDEXAMPLE/20150830/us-east-1/s3/aws4_request"},
                     {"x-amz-signature", "deadbeef"},
                     {"X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLETOKEN"},
                     {"prefix", "a b"}};
    request.headers = {{"Host", "bucket.s3.amazonaws.com"},
                       {"authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/..., Signature=deadbeef"},
                       {"X-Amz-Security-Token", "FQoGZXIvYXdzEXAMPLETOKEN"},
                       {"X-Amz-Date", "20150830T123600Z"}};
    const auto text = kinesis::detail::describe_request(request, true);
    CHECK(text.find("deadbeef") == std::string::npos);
    CHECK(text.find("EXAMPLETOKEN") == std::string::npos);
    CHECK(text.find("AKIDEXAMPLE") == std::string::npos);
    CHECK(text.find("GET https://bucket.s3.amazonaws.com/key?X-Amz-Credential=<redacted>") == 0);
    CHECK(text.find("prefix=a%20b") != std::string::npos);
    CHECK(text.find("\n  authorization: <redacted>") != std::string::npos);
    CHECK(text.find("\n  X-Amz-Security-Token: <redacted>") != std::string::npos);
    CHECK(text.find("\n  X-Amz-Date: 20150830T123600Z") != std::string::npos);
    CHECK(kinesis::detail::describe_request(request, false).find('\n') == std::string::npos);
}

TEST_CASE("scrub removes every occurrence of each secret") {
    std::string text = std::string("a ") + fake_secret + " b " + fake_secret + " token";
    kinesis::detail::scrub(text, {fake_secret, "", "token"});
    CHECK(text == "a <redacted> b <redacted> <redacted>");
}

TEST_CASE("the logger passes lines at or above its level to the hook, and nothing without one") {
    std::vector<std::pair<LogLevel, std::string>> lines;
    kinesis::detail::Logger logger(
        [&](LogLevel level, std::string_view text) { lines.emplace_back(level, std::string(text)); },
        LogLevel::Info);
    CHECK_FALSE(logger.enabled(LogLevel::Debug));
    CHECK(logger.enabled(LogLevel::Warn));
    CHECK_FALSE(logger.enabled(LogLevel::Off));
    logger.logf(LogLevel::Debug, "hidden {}", 1);
    logger.logf(LogLevel::Info, "shown {}", 2);
    logger.log(LogLevel::Error, "bad");
    REQUIRE(lines.size() == 2);
    CHECK(lines[0].first == LogLevel::Info);
    CHECK(lines[0].second == "shown 2");
    CHECK(lines[1].second == "bad");

    kinesis::detail::Logger off;
    CHECK_FALSE(off.enabled(LogLevel::Error));
    off.log(LogLevel::Error, "nobody hears this");
}
