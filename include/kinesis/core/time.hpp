// SPDX-License-Identifier: Apache-2.0
// Points in time as AWS sends them, and the one clock the library reads.
#ifndef KINESIS_CORE_TIME_HPP
#define KINESIS_CORE_TIME_HPP

#include <chrono>
#include <memory>

namespace kinesis {

/// A point in time as AWS sends it (epoch seconds with fractions, or ISO 8601).
using Timestamp = std::chrono::system_clock::time_point;

/// Where the library reads the time: wall time for signatures and credential
/// expiry, monotonic time for pacing, iterator age and backoff deadlines.
/// Injected one way, `ClientConfig::clock`; tests move a clock of their own
/// forward. Waits themselves run on real time (the event loop's timers), so a
/// test clock ages things without making anything sleep less.
/// Implementations must be thread-safe.
class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual std::chrono::system_clock::time_point wall_now() const = 0;
    [[nodiscard]] virtual std::chrono::steady_clock::time_point steady_now() const = 0;
};

/// The real clocks: system_clock and steady_clock.
class SystemClock final : public Clock {
public:
    [[nodiscard]] std::chrono::system_clock::time_point wall_now() const override {
        return std::chrono::system_clock::now();
    }
    [[nodiscard]] std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::now();
    }
    /// One shared instance.
    [[nodiscard]] static const std::shared_ptr<const Clock>& instance() {
        static const std::shared_ptr<const Clock> clock = std::make_shared<SystemClock>();
        return clock;
    }
};

}  // namespace kinesis

#endif  // KINESIS_CORE_TIME_HPP
