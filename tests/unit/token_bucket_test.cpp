// SPDX-License-Identifier: Apache-2.0
// The producer's per-shard pacing, on values of a clock that only moves when told.
#include <kinesis/producer/detail/token_bucket.hpp>

#include <doctest/doctest.h>

using kinesis::detail::TokenBucket;
using namespace std::chrono_literals;

TEST_CASE("TokenBucket: starts full, spends, and refills at its rate up to its capacity") {
    const auto t0 = TokenBucket::Clock::time_point{} + 1h;
    TokenBucket bucket(1000.0, 1000.0, t0);  // a shard's 1,000 records/s
    CHECK(bucket.take(600, t0));
    CHECK(bucket.take(400, t0));
    CHECK(!bucket.take(1, t0));
    CHECK(bucket.wait_for(1, t0) > 0ms);
    CHECK(bucket.wait_for(1, t0) <= 2ms);
    CHECK(bucket.take(100, t0 + 100ms));      // 100 ms give 100 tokens
    CHECK(!bucket.take(1, t0 + 100ms));
    CHECK(bucket.tokens(t0 + 10s) == doctest::Approx(1000.0));  // never above capacity
}

TEST_CASE("TokenBucket: wait_for says when an amount will be there") {
    const auto t0 = TokenBucket::Clock::time_point{} + 1h;
    TokenBucket bucket(1048576.0, 1048576.0, t0);  // 1 MiB/s
    CHECK(bucket.take(1048576, t0));
    const auto wait = bucket.wait_for(524288, t0);
    CHECK(wait >= 500ms);
    CHECK(wait <= 501ms);
    CHECK(!bucket.can_take(524288, t0 + wait - 1ms));
    CHECK(bucket.can_take(524288, t0 + wait));
    CHECK(bucket.wait_for(524288, t0 + 2s) == 0ms);
}

TEST_CASE("TokenBucket: an amount above the capacity passes once the bucket is full, then is paid back") {
    const auto t0 = TokenBucket::Clock::time_point{} + 1h;
    TokenBucket bucket(100.0, 100.0, t0);
    CHECK(bucket.take(250, t0));        // a 250-token item never fits: it goes when full
    CHECK(bucket.tokens(t0) == doctest::Approx(-150.0));
    CHECK(!bucket.can_take(1, t0 + 1s));  // -150 + 100
    CHECK(bucket.can_take(1, t0 + 1510ms));
}

TEST_CASE("TokenBucket: give_back returns tokens not used, never above the capacity") {
    const auto t0 = TokenBucket::Clock::time_point{} + 1h;
    TokenBucket bucket(10.0, 10.0, t0);
    CHECK(bucket.take(10, t0));
    bucket.give_back(4);
    CHECK(bucket.tokens(t0) == doctest::Approx(4.0));
    bucket.give_back(100);
    CHECK(bucket.tokens(t0) == doctest::Approx(10.0));
}
