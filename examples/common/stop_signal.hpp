// SPDX-License-Identifier: Apache-2.0
// SIGINT/SIGTERM as a flag the example's loop checks, and sleeps that end on it.
#ifndef KINESIS_EXAMPLES_COMMON_STOP_SIGNAL_HPP
#define KINESIS_EXAMPLES_COMMON_STOP_SIGNAL_HPP

#include <algorithm>
#include <chrono>
#include <csignal>
#include <thread>

namespace examples {

/// The signal that asked the program to stop, 0 while none has.
inline volatile std::sig_atomic_t stop_signal = 0;

extern "C" inline void record_stop_signal(int signal) { stop_signal = signal; }

/// Routes SIGINT and SIGTERM to stop_signal, so a loop can finish its
/// current step and print its summary instead of dying mid-way.
inline void catch_stop_signals() {
    struct sigaction action {};
    action.sa_handler = record_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

[[nodiscard]] inline bool stop_requested() noexcept { return stop_signal != 0; }

/// Sleeps in short slices so a stop signal ends the wait within 50 ms.
inline void sleep_unless_stopped(std::chrono::steady_clock::duration duration) {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!stop_requested()) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= until) return;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now,
                                                                                  std::chrono::milliseconds(50)));
    }
}

}  // namespace examples

#endif  // KINESIS_EXAMPLES_COMMON_STOP_SIGNAL_HPP
