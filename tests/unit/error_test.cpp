// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/error.hpp>

#include <doctest/doctest.h>

#include <string>
#include <utility>

namespace {
kinesis::Result<int> half(int n) {
    if (n % 2 != 0) return kinesis::invalid_argument("half: n is odd");
    return n / 2;
}

struct Shard {
    std::string id;
};

kinesis::Result<Shard> find_shard(bool found) {
    if (!found) return kinesis::invalid_argument("find_shard: no such shard");
    return Shard{"shardId-000000000000"};
}

// The message of the kinesis::Exception that `access` throws, or "" if it throws none.
template <class Access>
std::string thrown_message(Access&& access) {
    try {
        access();
    } catch (const kinesis::Exception& e) {
        CHECK(e.error().kind == kinesis::ErrorKind::InvalidArgument);
        return e.error().message;
    }
    return {};
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

TEST_CASE("operator* and operator-> on an error Result throw kinesis::Exception, as value() does") {
    auto bad = find_shard(false);
    const auto& const_bad = bad;
    REQUIRE_FALSE(bad);
    const std::string expected = "find_shard: no such shard";
    CHECK(thrown_message([&] { (void)*bad; }) == expected);
    CHECK(thrown_message([&] { (void)*const_bad; }) == expected);
    CHECK(thrown_message([&] { (void)*std::move(bad); }) == expected);
    CHECK(thrown_message([&] { (void)bad->id; }) == expected);
    CHECK(thrown_message([&] { (void)const_bad->id; }) == expected);
    CHECK(thrown_message([&] { (void)*half(3); }) == "half: n is odd");

    auto ok = find_shard(true);
    const auto& const_ok = ok;
    CHECK(ok->id == "shardId-000000000000");
    CHECK(const_ok->id == "shardId-000000000000");
    CHECK((*const_ok).id == "shardId-000000000000");
    const Shard moved = *std::move(ok);
    CHECK(moved.id == "shardId-000000000000");
}

TEST_CASE("Result copies and assigns across the value and error states") {
    auto ok = find_shard(true);
    auto bad = find_shard(false);
    kinesis::Result<Shard> copy = ok;
    CHECK(copy->id == "shardId-000000000000");
    copy = bad;  // value -> error
    REQUIRE_FALSE(copy);
    CHECK(copy.error().message == "find_shard: no such shard");
    copy = ok;  // error -> value
    REQUIRE(copy);
    CHECK(copy->id == "shardId-000000000000");
    kinesis::Result<Shard> moved = std::move(copy);
    CHECK(moved->id == "shardId-000000000000");
    moved = find_shard(false);  // move-assign error over value
    CHECK(moved.error().kind == kinesis::ErrorKind::InvalidArgument);
    moved = kinesis::Result<Shard>(Shard{"shardId-000000000001"});  // and back
    CHECK(moved->id == "shardId-000000000001");
    CHECK(ok->id == "shardId-000000000000");
    CHECK(bad.error().message == "find_shard: no such shard");
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
    error.kind = kinesis::ErrorKind::Transport;
    CHECK(error.retryable());
    error.kind = kinesis::ErrorKind::Certificate;  // the same certificate fails again
    CHECK_FALSE(error.retryable());
}

TEST_CASE("to_string names every ErrorKind") {
    CHECK(kinesis::to_string(kinesis::ErrorKind::Transport) == "Transport");
    CHECK(kinesis::to_string(kinesis::ErrorKind::Certificate) == "Certificate");
    kinesis::Error error;
    error.kind = kinesis::ErrorKind::Certificate;
    error.message = "GET https://127.0.0.1:4443/: certificate verification failed";
    CHECK(fmt::format("{}", error) == "Certificate: GET https://127.0.0.1:4443/: certificate verification failed");
}
