// SPDX-License-Identifier: Apache-2.0
// Test helper: a kinesis::Clock that reads a time point the test moves.
#ifndef KINESIS_TESTS_MANUAL_CLOCK_HPP
#define KINESIS_TESTS_MANUAL_CLOCK_HPP

#include <kinesis/core/time.hpp>

#include <chrono>
#include <memory>

namespace kinesis_test {

/// Reads `now`, which the test owns and moves forward; the steady time moves with it.
class ManualClock final : public kinesis::Clock {
public:
    explicit ManualClock(const std::chrono::system_clock::time_point& now) : now_(&now) {}
    std::chrono::system_clock::time_point wall_now() const override { return *now_; }
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::time_point(
            std::chrono::duration_cast<std::chrono::steady_clock::duration>(now_->time_since_epoch()));
    }

private:
    const std::chrono::system_clock::time_point* now_;
};

/// A clock for `now`, as RefreshOptions::clock and ClientConfig::clock take it.
inline std::shared_ptr<const kinesis::Clock> clock_at(const std::chrono::system_clock::time_point& now) {
    return std::make_shared<ManualClock>(now);
}

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_MANUAL_CLOCK_HPP
