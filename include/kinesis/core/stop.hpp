// SPDX-License-Identifier: Apache-2.0
// A stop request that ends every wait of the calls that carry its token.
#ifndef KINESIS_CORE_STOP_HPP
#define KINESIS_CORE_STOP_HPP

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <utility>

namespace kinesis {

namespace detail {

struct StopState {
    std::atomic<bool> stopped{false};
    std::mutex mutex;
    std::uint64_t next_id = 0;
    std::map<std::uint64_t, std::function<void()>> callbacks;
};

}  // namespace detail

class StopSource;

/// Seen by whatever waits: a client's backoff and waiters, a ShardReader's
/// pacing. Cheap to copy; a default-constructed token is never stopped.
class StopToken {
public:
    StopToken() = default;
    [[nodiscard]] bool stop_requested() const noexcept {
        return state_ && state_->stopped.load(std::memory_order_acquire);
    }
    /// Whether a StopSource stands behind this token.
    [[nodiscard]] bool stop_possible() const noexcept { return state_ != nullptr; }

private:
    friend class StopSource;
    friend class StopCallback;
    explicit StopToken(std::shared_ptr<detail::StopState> state) : state_(std::move(state)) {}
    std::shared_ptr<detail::StopState> state_;
};

/// Asks every holder of its tokens to stop. request_stop() is thread-safe; it
/// runs the registered callbacks (which wake the waiting event loops) on the
/// calling thread. It is not async-signal-safe: from a signal, hand the stop
/// to a thread (see examples/common/stop_signal.hpp).
class StopSource {
public:
    StopSource() : state_(std::make_shared<detail::StopState>()) {}
    [[nodiscard]] StopToken token() const { return StopToken(state_); }
    [[nodiscard]] bool stop_requested() const noexcept { return state_->stopped.load(std::memory_order_acquire); }
    /// Returns false if a stop was requested already.
    bool request_stop() {
        if (state_->stopped.exchange(true, std::memory_order_acq_rel)) return false;
        // Run under the lock: once a StopCallback's destructor has returned,
        // its callback is not running and never will.
        std::lock_guard<std::mutex> lock(state_->mutex);
        for (auto& entry : state_->callbacks) entry.second();
        state_->callbacks.clear();
        return true;
    }

private:
    std::shared_ptr<detail::StopState> state_;
};

/// Runs `on_stop` once when the token's stop is requested (at once, on this
/// thread, if it already was), unless this object is destroyed first. The
/// callback must be quick and thread-safe, and must not create or destroy a
/// StopCallback of the same token: it runs on the requesting thread, under
/// the token's lock.
class StopCallback {
public:
    StopCallback(const StopToken& token, std::function<void()> on_stop) : state_(token.state_) {
        if (!state_) return;
        {
            std::lock_guard<std::mutex> lock(state_->mutex);
            if (!state_->stopped.load(std::memory_order_acquire)) {
                id_ = ++state_->next_id;
                state_->callbacks.emplace(id_, std::move(on_stop));
                return;
            }
        }
        on_stop();
    }
    ~StopCallback() {
        if (!state_ || id_ == 0) return;
        std::lock_guard<std::mutex> lock(state_->mutex);
        state_->callbacks.erase(id_);
    }
    StopCallback(const StopCallback&) = delete;
    StopCallback& operator=(const StopCallback&) = delete;

private:
    std::shared_ptr<detail::StopState> state_;
    std::uint64_t id_ = 0;
};

}  // namespace kinesis

#endif  // KINESIS_CORE_STOP_HPP
