// SPDX-License-Identifier: Apache-2.0
#include <kinesis/protocol/detail/retry.hpp>

#include "aws_env.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <chrono>

using kinesis::detail::RetryStrategy;
using kinesis::detail::RetryToken;
using std::chrono::milliseconds;

namespace {

kinesis::Error throttled() {
    kinesis::Error error;
    error.kind = kinesis::ErrorKind::Throttled;
    error.code = "ProvisionedThroughputExceededException";
    error.http_status = 400;
    return error;
}

kinesis::Error timeout() {
    kinesis::Error error;
    error.kind = kinesis::ErrorKind::Timeout;
    return error;
}

kinesis::Error validation() {
    kinesis::Error error;
    error.kind = kinesis::ErrorKind::Service;
    error.code = "ValidationException";
    error.http_status = 400;
    return error;
}

}  // namespace

TEST_CASE("the default retry config is botocore's standard mode") {
    kinesis_test::AwsEnv env;
    kinesis::RetryConfig config;
    CHECK(config.max_attempts == 0);  // resolved when a client starts
    CHECK(kinesis::detail::resolve_retry_config(config).value().max_attempts == 3);
    CHECK(RetryStrategy(config).config().max_attempts == 3);
    CHECK(config.max_backoff == std::chrono::seconds(20));
    CHECK(config.quota == 500);
    CHECK(config.retry_cost == 5);
    CHECK(config.timeout_cost == 10);
    CHECK(config.success_refund == 1);
}

TEST_CASE("AWS_MAX_ATTEMPTS sets the attempts unless the config names them, and a bad value is refused by name") {
    kinesis_test::AwsEnv env;
    env.set("AWS_MAX_ATTEMPTS", "7");
    kinesis::RetryConfig config;
    CHECK(kinesis::detail::resolve_retry_config(config).value().max_attempts == 7);
    config.max_attempts = 2;
    CHECK(kinesis::detail::resolve_retry_config(config).value().max_attempts == 2);
    for (const char* bad : {"0", "-1", "3x", "many", " 4"}) {
        CAPTURE(bad);
        env.set("AWS_MAX_ATTEMPTS", bad);
        auto resolved = kinesis::detail::resolve_retry_config(kinesis::RetryConfig{});
        REQUIRE_FALSE(resolved);
        CHECK(resolved.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(resolved.error().message ==
              fmt::format("AWS_MAX_ATTEMPTS is \"{}\"; it must be a whole number of at least 1", bad));
    }
}

TEST_CASE("backoff is full jitter under min(max_backoff, base * 2^(n-1))") {
    kinesis::RetryConfig config;
    config.base_delay = milliseconds(100);
    double r = 0.0;
    RetryStrategy strategy(config, [&] { return r; });
    CHECK(strategy.max_delay(1) == milliseconds(100));
    CHECK(strategy.max_delay(2) == milliseconds(200));
    CHECK(strategy.max_delay(5) == milliseconds(1600));
    CHECK(strategy.max_delay(8) == milliseconds(12800));
    CHECK(strategy.max_delay(9) == milliseconds(20000));  // capped at 20 s
    CHECK(strategy.max_delay(1000) == milliseconds(20000));
    CHECK(strategy.backoff(3) == milliseconds(0));
    r = 0.5;
    CHECK(strategy.backoff(3) == milliseconds(200));
    CHECK(strategy.backoff(30) == milliseconds(10000));
    r = 0.999999;
    CHECK(strategy.backoff(3) == milliseconds(399));
    r = 1.0;  // a source out of contract still stays under the ceiling
    CHECK(strategy.backoff(3) < milliseconds(400));
}

TEST_CASE("the default random source spreads delays inside the bounds") {
    RetryStrategy strategy;
    milliseconds low = milliseconds::max();
    milliseconds high = milliseconds::zero();
    for (int i = 0; i < 2000; ++i) {
        const auto d = strategy.backoff(4);
        CHECK(d >= milliseconds(0));
        CHECK(d < milliseconds(800));
        low = std::min(low, d);
        high = std::max(high, d);
    }
    CHECK(low < milliseconds(100));
    CHECK(high > milliseconds(700));
}

TEST_CASE("retries stop at max attempts and only for retryable errors") {
    RetryStrategy strategy({}, [] { return 0.5; });
    RetryToken token;
    auto first = strategy.on_failure(throttled(), token);
    CHECK(first.retry);
    CHECK(first.delay == milliseconds(50));
    CHECK(token.attempts == 2);
    auto second = strategy.on_failure(throttled(), token);
    CHECK(second.retry);
    CHECK(second.delay == milliseconds(100));
    CHECK(token.attempts == 3);
    auto third = strategy.on_failure(throttled(), token);
    CHECK_FALSE(third.retry);
    CHECK(third.reason == "max attempts reached");

    RetryToken other;
    auto never = strategy.on_failure(validation(), other);
    CHECK_FALSE(never.retry);
    CHECK(never.reason == "not retryable");
    CHECK(other.attempts == 1);
}

TEST_CASE("a retry costs 5 tokens, one after a timeout 10, and success refunds") {
    RetryStrategy strategy({}, [] { return 0.0; });
    RetryToken token;
    REQUIRE(strategy.on_failure(throttled(), token).retry);
    CHECK(strategy.available_quota() == 495);
    REQUIRE(strategy.on_failure(timeout(), token).retry);
    CHECK(strategy.available_quota() == 485);
    CHECK(token.last_cost == 10);
    strategy.on_success(token);  // refunds what the last retry took, as botocore does
    CHECK(strategy.available_quota() == 495);

    RetryToken clean;
    strategy.on_success(clean);  // +1 for a success without retries
    CHECK(strategy.available_quota() == 496);
    for (int i = 0; i < 10; ++i) strategy.on_success(clean);
    CHECK(strategy.available_quota() == 500);  // never above the bucket size
}

TEST_CASE("an exhausted quota refuses retries until successes refill it") {
    kinesis::RetryConfig config;
    config.max_attempts = 1000;
    RetryStrategy strategy(config, [] { return 0.0; });
    RetryToken token;
    int retries = 0;
    while (strategy.on_failure(throttled(), token).retry) ++retries;
    CHECK(retries == 100);  // 500 / 5
    CHECK(strategy.available_quota() == 0);
    RetryToken again;
    auto refused = strategy.on_failure(throttled(), again);
    CHECK_FALSE(refused.retry);
    CHECK(refused.reason == "retry quota exhausted");
    CHECK(again.attempts == 1);

    for (int i = 0; i < 4; ++i) strategy.on_success(RetryToken{});
    CHECK_FALSE(strategy.on_failure(throttled(), again).retry);  // 4 < 5
    strategy.on_success(RetryToken{});
    CHECK(strategy.on_failure(throttled(), again).retry);
    CHECK(strategy.available_quota() == 0);
    CHECK_FALSE(strategy.on_failure(timeout(), again).retry);
}

TEST_CASE("transient 5xx and transport failures are retried, credentials failures are not") {
    RetryStrategy strategy({}, [] { return 0.0; });
    kinesis::Error error;
    error.kind = kinesis::ErrorKind::Service;
    error.code = "InternalFailure";
    error.http_status = 500;
    RetryToken a;
    CHECK(strategy.on_failure(error, a).retry);
    error = {};
    error.kind = kinesis::ErrorKind::Transport;
    RetryToken b;
    CHECK(strategy.on_failure(error, b).retry);
    error.kind = kinesis::ErrorKind::Credentials;
    RetryToken c;
    CHECK_FALSE(strategy.on_failure(error, c).retry);
}
