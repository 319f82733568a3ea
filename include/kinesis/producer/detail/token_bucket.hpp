// SPDX-License-Identifier: Apache-2.0
// A token bucket on a caller-given clock: a shard's records/s and bytes/s budget.
#ifndef KINESIS_PRODUCER_DETAIL_TOKEN_BUCKET_HPP
#define KINESIS_PRODUCER_DETAIL_TOKEN_BUCKET_HPP

#include <algorithm>
#include <chrono>

namespace kinesis::detail {

/// Holds up to `capacity` tokens and gains `rate_per_second` of them per
/// second. take() spends tokens when there are enough; wait_for() says how
/// long until there are. The time is always passed in, so it is tested on values.
/// A request larger than the capacity is allowed once the bucket is full, so
/// that one large item is paced, not stuck forever.
class TokenBucket {
public:
    using Clock = std::chrono::steady_clock;

    TokenBucket() = default;
    TokenBucket(double rate_per_second, double capacity, Clock::time_point now)
        : rate_(rate_per_second), capacity_(capacity), tokens_(capacity), last_(now) {}

    [[nodiscard]] bool can_take(double amount, Clock::time_point now) {
        refill(now);
        return tokens_ >= std::min(amount, capacity_);
    }
    /// Spends `amount` if can_take(); the balance may go below zero for an
    /// amount above the capacity, and is paid back before the next take.
    bool take(double amount, Clock::time_point now) {
        if (!can_take(amount, now)) return false;
        tokens_ -= amount;
        return true;
    }
    /// How long until can_take(amount); zero when it already can.
    [[nodiscard]] Clock::duration wait_for(double amount, Clock::time_point now) {
        refill(now);
        const double missing = std::min(amount, capacity_) - tokens_;
        if (missing <= 0 || rate_ <= 0) return Clock::duration::zero();
        return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(missing / rate_)) +
               Clock::duration(1);
    }
    /// Returns what a take() spent that was not used after all.
    void give_back(double amount) { tokens_ = std::min(capacity_, tokens_ + amount); }
    [[nodiscard]] double tokens(Clock::time_point now) {
        refill(now);
        return tokens_;
    }

private:
    void refill(Clock::time_point now) {
        if (now <= last_) return;
        const double seconds = std::chrono::duration<double>(now - last_).count();
        tokens_ = std::min(capacity_, tokens_ + seconds * rate_);
        last_ = now;
    }

    double rate_ = 0;
    double capacity_ = 0;
    double tokens_ = 0;
    Clock::time_point last_{};
};

}  // namespace kinesis::detail

#endif  // KINESIS_PRODUCER_DETAIL_TOKEN_BUCKET_HPP
