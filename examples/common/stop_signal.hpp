// SPDX-License-Identifier: Apache-2.0
// SIGINT/SIGTERM as a kinesis::StopSource: every wait of a client whose config
// carries stop_token() ends at once, and the example's loop sees the stop.
#ifndef KINESIS_EXAMPLES_COMMON_STOP_SIGNAL_HPP
#define KINESIS_EXAMPLES_COMMON_STOP_SIGNAL_HPP

#include <kinesis/core/stop.hpp>

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include <pthread.h>
#include <signal.h>

namespace examples {

namespace stop_signal_impl {

struct State {
    kinesis::StopSource source;
    std::mutex mutex;
    std::condition_variable stopped;
    int signal = 0;
};

inline State& state() {
    static State* instance = new State();  // never destroyed: the watcher thread may outlive main()
    return *instance;
}

}  // namespace stop_signal_impl

/// The token clients get in their ClientConfig (run_main sets it).
[[nodiscard]] inline kinesis::StopToken stop_token() { return stop_signal_impl::state().source.token(); }

/// Hands SIGINT and SIGTERM to a thread that requests the stop, so a loop can
/// finish its current step and print its summary instead of dying mid-way.
/// A signal handler may do almost nothing (request_stop takes a lock), so the
/// signals are blocked here, before any other thread exists, and a watcher
/// thread takes them with sigwait(). Call it from main() first.
inline void catch_stop_signals() {
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);
    std::thread([signals] {
        int received = 0;
        if (sigwait(&signals, &received) != 0) return;
        auto& state = stop_signal_impl::state();
        {
            std::lock_guard<std::mutex> lock(state.mutex);
            state.signal = received;
        }
        state.source.request_stop();
        state.stopped.notify_all();
    }).detach();
}

[[nodiscard]] inline bool stop_requested() noexcept { return stop_signal_impl::state().source.stop_requested(); }

/// Sleeps until `duration` has passed or a stop signal arrives.
inline void sleep_unless_stopped(std::chrono::steady_clock::duration duration) {
    auto& state = stop_signal_impl::state();
    std::unique_lock<std::mutex> lock(state.mutex);
    state.stopped.wait_for(lock, duration, [&] { return state.signal != 0; });
}

}  // namespace examples

#endif  // KINESIS_EXAMPLES_COMMON_STOP_SIGNAL_HPP
