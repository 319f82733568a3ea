// SPDX-License-Identifier: Apache-2.0
// The event loop's timers and posted tasks, and stop tokens: no network.
#include <kinesis/http/transport.hpp>

#include <kinesis/core/stop.hpp>
#include <kinesis/core/time.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

using std::chrono::milliseconds;

TEST_CASE("timers run in deadline order on later turns, and a cancelled one never runs") {
    kinesis::EventLoop loop;
    std::vector<int> ran;
    loop.add_timer(milliseconds(30), [&] { ran.push_back(3); });
    loop.add_timer(milliseconds(0), [&] { ran.push_back(1); });
    const auto cancelled = loop.add_timer(milliseconds(10), [&] { ran.push_back(99); });
    loop.add_timer(milliseconds(20), [&] { ran.push_back(2); });
    CHECK(ran.empty());  // never inside add_timer
    CHECK(loop.cancel(cancelled));
    CHECK_FALSE(loop.cancel(cancelled));
    CHECK(loop.pending() == 3);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (loop.pending() > 0 && std::chrono::steady_clock::now() < deadline) loop.run_once(milliseconds(100));
    CHECK(ran == std::vector<int>{1, 2, 3});
}

TEST_CASE("a task posted from another thread wakes a waiting run_once and runs on the loop's thread") {
    kinesis::EventLoop loop;
    std::thread::id ran_on;
    std::atomic<bool> ran{false};
    std::thread poster([&] {
        std::this_thread::sleep_for(milliseconds(50));
        loop.post([&] {
            ran_on = std::this_thread::get_id();
            ran = true;
        });
    });
    const auto started = std::chrono::steady_clock::now();
    while (!ran && std::chrono::steady_clock::now() - started < std::chrono::seconds(10)) {
        loop.run_once(std::chrono::seconds(10));
    }
    poster.join();
    CHECK(ran);
    CHECK((ran_on == std::this_thread::get_id()));
    // Woken by the post, not by the 10 s bound.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(9));
}

TEST_CASE("run(stop) turns the loop until the stop is requested, then returns") {
    kinesis::EventLoop loop;
    kinesis::StopSource stop;
    int ticks = 0;
    std::function<void()> tick = [&] {
        if (++ticks == 3) stop.request_stop();
        else loop.add_timer(milliseconds(5), tick);
    };
    loop.add_timer(milliseconds(5), tick);
    loop.run(stop.token());
    CHECK(ticks == 3);
}

TEST_CASE("a stop callback runs once on request, at once if the stop came first, and never after it is gone") {
    kinesis::StopSource source;
    int first = 0;
    int gone = 0;
    {
        kinesis::StopCallback dropped(source.token(), [&] { ++gone; });
    }
    kinesis::StopCallback callback(source.token(), [&] { ++first; });
    CHECK_FALSE(source.token().stop_requested());
    CHECK(source.request_stop());
    CHECK_FALSE(source.request_stop());
    CHECK(first == 1);
    CHECK(gone == 0);
    CHECK(source.token().stop_requested());
    int late = 0;
    kinesis::StopCallback after(source.token(), [&] { ++late; });
    CHECK(late == 1);
    kinesis::StopToken never;
    CHECK_FALSE(never.stop_possible());
    CHECK_FALSE(never.stop_requested());
}

TEST_CASE("the system clock reads the system and steady clocks") {
    const auto& clock = kinesis::SystemClock::instance();
    const auto wall = std::chrono::system_clock::now();
    CHECK(clock->wall_now() - wall < std::chrono::seconds(1));
    const auto steady = std::chrono::steady_clock::now();
    CHECK(clock->steady_now() >= steady);
}
