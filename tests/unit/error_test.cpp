// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/error.hpp>

#include <doctest/doctest.h>

#include <string>

namespace {
kinesis::Result<int> half(int n) {
    if (n % 2 != 0) return kinesis::invalid_argument("half: n is odd");
    return n / 2;
}
}  // namespace

TEST_CASE("Result holds a value or an error, and value() throws on error") {
    auto ok = half(8);
    REQUIRE(ok);
    CHECK(*ok == 4);
    auto bad = half(3);
    REQUIRE_FALSE(bad);
    CHECK(bad.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK_THROWS_AS(bad.value(), kinesis::Exception);
    CHECK(bad.value_or(-1) == -1);
}

TEST_CASE("Error formats kind, code, status, message and request id on one line") {
    kinesis::Error error;
    error.kind = kinesis::ErrorKind::Service;
    error.code = "ResourceNotFoundException";
    error.http_status = 400;
    error.message = "Stream test not found";
    error.request_id = "abc-123";
    CHECK(fmt::format("{}", error) ==
          "Service: ResourceNotFoundException (HTTP 400): Stream test not found [request id abc-123]");
}

TEST_CASE("retryable() follows the standard retry classification") {
    kinesis::Error error;
    error.kind = kinesis::ErrorKind::Service;
    error.code = "ProvisionedThroughputExceededException";
    error.http_status = 400;
    CHECK(error.retryable());
    error.code = "ValidationException";
    CHECK_FALSE(error.retryable());
    error.code = "";
    error.http_status = 503;
    CHECK(error.retryable());
    error.kind = kinesis::ErrorKind::InvalidArgument;
    CHECK_FALSE(error.retryable());
    error.kind = kinesis::ErrorKind::Timeout;
    CHECK(error.retryable());
}
