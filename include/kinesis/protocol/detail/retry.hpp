// SPDX-License-Identifier: Apache-2.0
// The standard retry mode (attempt limit, full-jitter backoff, retry quota) and
// the per-call decision after a failed attempt, clock-skew correction included.
#ifndef KINESIS_PROTOCOL_DETAIL_RETRY_HPP
#define KINESIS_PROTOCOL_DETAIL_RETRY_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/http/transport.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <string_view>

namespace kinesis::detail {

/// botocore's standard mode: 3 attempts in all.
inline constexpr int default_max_attempts = 3;

/// The retry settings a client runs with: `config` as given, its
/// max_attempts 0 resolved from AWS_MAX_ATTEMPTS (a whole number of at
/// least 1; anything else is an InvalidArgument naming the variable), else
/// default_max_attempts.
[[nodiscard]] KINESIS_DECL Result<RetryConfig> resolve_retry_config(RetryConfig config);

/// What one operation has done so far; one per call, owned by the caller.
struct RetryToken {
    int attempts = 1;       ///< attempts made, the current one included
    int last_cost = 0;      ///< quota taken by the latest retry, refunded on success
};

/// The verdict after a failed attempt.
struct RetryDecision {
    bool retry = false;
    std::chrono::milliseconds delay{0};  ///< wait this long before the next attempt
    std::string_view reason;             ///< why not, when !retry ("not retryable", ...)
};

/// botocore's "standard" retry mode, without I/O: the caller sends, asks
/// `on_failure()` what to do, sleeps for the delay it returns, and reports
/// the final success with `on_success()`.
///
/// - Only `Error::retryable()` errors are retried, up to `max_attempts`
///   attempts in all.
/// - Delay before retry n (n = 1, 2, ...): `rand[0,1) * min(max_backoff,
///   base_delay * 2^(n-1))` (full jitter).
/// - A bucket of `quota` tokens, shared by every call of a client: a retry
///   takes `retry_cost` (`timeout_cost` after a timeout) and is refused when
///   the bucket holds too few; a success returns what its last retry took, or
///   `success_refund` when it needed none; the bucket never exceeds `quota`.
///
/// Thread-safe: the quota is atomic; the random source must be too when
/// calls share one strategy across threads (the default one is).
class RetryStrategy {
public:
    /// Returns a uniform double in [0, 1).
    using Random = std::function<double()>;

    /// An empty `random` uses a thread-local xoshiro256** generator.
    KINESIS_DECL explicit RetryStrategy(RetryConfig config = {}, Random random = {});
    RetryStrategy(const RetryStrategy&) = delete;
    RetryStrategy& operator=(const RetryStrategy&) = delete;

    /// Decides whether to try again after `error`; takes quota when it says yes
    /// and advances `token.attempts`.
    [[nodiscard]] KINESIS_DECL RetryDecision on_failure(const Error& error, RetryToken& token);
    /// Records a successful call: refunds quota.
    KINESIS_DECL void on_success(const RetryToken& token) noexcept;

    /// The jittered delay before retry `retry_number` (1-based).
    [[nodiscard]] KINESIS_DECL std::chrono::milliseconds backoff(int retry_number) const;
    /// The ceiling of backoff(): min(max_backoff, base_delay * 2^(retry_number-1)).
    [[nodiscard]] KINESIS_DECL std::chrono::milliseconds max_delay(int retry_number) const noexcept;

    [[nodiscard]] int available_quota() const noexcept { return quota_.load(std::memory_order_relaxed); }
    [[nodiscard]] const RetryConfig& config() const noexcept { return config_; }

private:
    bool acquire(int cost) noexcept;
    void release(int amount) noexcept;

    RetryConfig config_;
    Random random_;
    std::atomic<int> quota_;
};

/// Whether a service error may mean our clock is off, so the answer's Date
/// header is worth comparing with ours.
[[nodiscard]] KINESIS_DECL bool is_clock_skew_code(std::string_view code) noexcept;

/// Clocks off by more than this are corrected (AWS allows 5 to 15 minutes).
inline constexpr std::chrono::minutes clock_skew_threshold{4};

/// What one call has done so far, as the retry policy sees it; one per call.
struct CallState {
    RetryToken retry;              ///< attempts and the quota taken
    bool skew_corrected = false;   ///< the clock was corrected once in this call
};

/// What a call does after a failed attempt.
enum class NextAction {
    Stop,                ///< return the error
    Retry,               ///< sleep `delay`, then send again
    RetrySkewCorrected,  ///< sign with `clock_skew` as the new offset and send again at once
};

/// The verdict of next_step().
struct NextStep {
    NextAction action = NextAction::Stop;
    std::chrono::milliseconds delay{0};       ///< Retry: wait this long first
    std::chrono::milliseconds clock_skew{0};  ///< RetrySkewCorrected: server time minus ours
    std::string_view reason;                  ///< Stop: why ("not retryable", ...)
};

/// The retry policy after attempt `call.retry.attempts` failed with `error`;
/// `answer` is the HTTP answer it came from, null when none arrived.
///
/// - A clock-skew code (is_clock_skew_code) in an answer whose Date header is
///   more than clock_skew_threshold away from `now + current_skew` gives
///   RetrySkewCorrected with offset `Date - now`, once per call, without
///   taking quota or an attempt: the signature, not the service, failed.
/// - Otherwise `strategy.on_failure()` decides: Retry with its delay, or Stop
///   with its reason (not retryable, max attempts, quota exhausted).
/// No I/O: the caller sends, sleeps and keeps the offset.
[[nodiscard]] KINESIS_DECL NextStep next_step(const Error& error, const HttpResponse* answer, CallState& call,
                                              RetryStrategy& strategy, std::chrono::system_clock::time_point now,
                                              std::chrono::milliseconds current_skew);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/protocol/detail/impl/retry.inl.hpp>
#endif

#endif  // KINESIS_PROTOCOL_DETAIL_RETRY_HPP
