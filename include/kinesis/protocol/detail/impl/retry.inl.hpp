// SPDX-License-Identifier: Apache-2.0
// Definitions for protocol/detail/retry.hpp.
#ifndef KINESIS_PROTOCOL_DETAIL_IMPL_RETRY_INL_HPP
#define KINESIS_PROTOCOL_DETAIL_IMPL_RETRY_INL_HPP

#include <kinesis/protocol/detail/retry.hpp>

#include <kinesis/core/detail/time.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <string_view>
#include <system_error>
#include <array>
#include <cmath>
#include <cstdint>
#include <chrono>

namespace kinesis::detail {

namespace retry_impl {
// Jitter needs spread, not secrecy: xoshiro256** (Blackman and Vigna), seeded
// per thread through splitmix64 from the clock and the state's address. Far
// cheaper to compile than <random>'s mt19937_64 and distributions.
inline std::uint64_t splitmix64(std::uint64_t& x) noexcept {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

inline std::uint64_t rotl(std::uint64_t x, int k) noexcept { return (x << k) | (x >> (64 - k)); }

struct Xoshiro256 {
    std::uint64_t s[4];
    Xoshiro256() noexcept {
        std::uint64_t seed = static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^
                             static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(this));
        for (auto& word : s) word = splitmix64(seed);
    }
    std::uint64_t next() noexcept {
        const std::uint64_t result = rotl(s[1] * 5, 7) * 9;
        const std::uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = rotl(s[3], 45);
        return result;
    }
};

/// Uniform in [0, 1): the top 53 bits as a double's mantissa.
inline double default_random() {
    thread_local Xoshiro256 engine;
    return static_cast<double>(engine.next() >> 11) * 0x1.0p-53;
}
}  // namespace retry_impl

KINESIS_DECL Result<RetryConfig> resolve_retry_config(RetryConfig config) {
    if (config.max_attempts > 0) return config;
    config.max_attempts = default_max_attempts;
    const char* env = std::getenv("AWS_MAX_ATTEMPTS");
    if (env == nullptr || *env == '\0') return config;
    const std::string_view text(env);
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size() || value < 1) {
        // {:?} quotes and escapes: a control character never reaches a terminal raw.
        return invalid_argument(
            fmt::format("AWS_MAX_ATTEMPTS is {:?}; it must be a whole number of at least 1", text));
    }
    config.max_attempts = value;
    return config;
}

KINESIS_DECL RetryStrategy::RetryStrategy(RetryConfig config, Random random)
    : config_(config), random_(std::move(random)), quota_(config.quota) {
    if (!random_) random_ = &retry_impl::default_random;
    if (config_.max_attempts <= 0) config_.max_attempts = default_max_attempts;
}

KINESIS_DECL bool RetryStrategy::acquire(int cost) noexcept {
    int available = quota_.load(std::memory_order_relaxed);
    do {
        if (cost > available) return false;
    } while (!quota_.compare_exchange_weak(available, available - cost, std::memory_order_relaxed));
    return true;
}

KINESIS_DECL void RetryStrategy::release(int amount) noexcept {
    int available = quota_.load(std::memory_order_relaxed);
    int next = 0;
    do {
        next = std::min(config_.quota, available + amount);
        if (next == available) return;  // already full: the common case
    } while (!quota_.compare_exchange_weak(available, next, std::memory_order_relaxed));
}

KINESIS_DECL std::chrono::milliseconds RetryStrategy::max_delay(int retry_number) const noexcept {
    // Double arithmetic with a bounded exponent: no overflow for any count.
    const int exponent = std::clamp(retry_number - 1, 0, 62);
    const double base = static_cast<double>(config_.base_delay.count());
    const double cap = static_cast<double>(config_.max_backoff.count());
    return std::chrono::milliseconds(static_cast<std::int64_t>(std::min(cap, std::ldexp(base, exponent))));
}

KINESIS_DECL std::chrono::milliseconds RetryStrategy::backoff(int retry_number) const {
    const double r = std::clamp(random_(), 0.0, 1.0);
    const auto ceiling = static_cast<double>(max_delay(retry_number).count());
    auto delay = static_cast<std::int64_t>(r * ceiling);
    // A random source that returns exactly 1.0 must not reach the ceiling.
    if (delay > 0 && static_cast<double>(delay) >= ceiling) --delay;
    return std::chrono::milliseconds(delay);
}

KINESIS_DECL RetryDecision RetryStrategy::on_failure(const Error& error, RetryToken& token) {
    RetryDecision decision;
    if (!error.retryable()) {
        decision.reason = "not retryable";
        return decision;
    }
    if (token.attempts >= config_.max_attempts) {
        decision.reason = "max attempts reached";
        return decision;
    }
    const int cost = error.kind == ErrorKind::Timeout ? config_.timeout_cost : config_.retry_cost;
    if (!acquire(cost)) {
        decision.reason = "retry quota exhausted";
        return decision;
    }
    token.last_cost = cost;
    decision.retry = true;
    decision.delay = backoff(token.attempts);
    ++token.attempts;
    return decision;
}

KINESIS_DECL void RetryStrategy::on_success(const RetryToken& token) noexcept {
    release(token.last_cost > 0 ? token.last_cost : config_.success_refund);
}

KINESIS_DECL bool is_clock_skew_code(std::string_view code) noexcept {
    // The codes the AWS SDKs treat as possible clock skew (Java's ClockSkewAdjuster).
    static constexpr std::array<std::string_view, 7> codes{
        "RequestTimeTooSkewed",      "RequestExpired",        "RequestInTheFuture",
        "InvalidSignatureException", "SignatureDoesNotMatch", "AuthFailure",
        "RequestTimeTooSkewedException",
    };
    return std::find(codes.begin(), codes.end(), code) != codes.end();
}

KINESIS_DECL NextStep next_step(const Error& error, const HttpResponse* answer, CallState& call,
                                RetryStrategy& strategy, std::chrono::system_clock::time_point now,
                                std::chrono::milliseconds current_skew) {
    NextStep step;
    if (answer != nullptr && !call.skew_corrected && is_clock_skew_code(error.code)) {
        if (auto server = parse_http_date(answer->header("Date"))) {
            const auto skew = std::chrono::duration_cast<std::chrono::milliseconds>(*server - now);
            const auto change = skew - current_skew;
            if (change > clock_skew_threshold || change < -clock_skew_threshold) {
                call.skew_corrected = true;
                step.action = NextAction::RetrySkewCorrected;
                step.clock_skew = skew;
                return step;
            }
        }
    }
    const auto decision = strategy.on_failure(error, call.retry);
    if (!decision.retry) {
        step.reason = decision.reason;
        return step;
    }
    step.action = NextAction::Retry;
    step.delay = decision.delay;
    return step;
}

}  // namespace kinesis::detail

#endif  // KINESIS_PROTOCOL_DETAIL_IMPL_RETRY_INL_HPP
