// SPDX-License-Identifier: Apache-2.0
// The single-process consumers' loop: a kinesis::Consumer holding every shard,
// its batches handed to one callback at a time.
#ifndef KINESIS_EXAMPLES_COMMON_EVERY_SHARD_HPP
#define KINESIS_EXAMPLES_COMMON_EVERY_SHARD_HPP

#include "stop_signal.hpp"

#include <kinesis/consumer.hpp>
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace examples {

struct EveryShardOptions {
    kinesis::ShardReaderOptions reader;
    kinesis::InitialPosition start = kinesis::InitialPosition::TrimHorizon;
    kinesis::ShardListing shard_listing = kinesis::ShardListing::ListShards;
    /// End the run after this long without a record.
    std::optional<std::chrono::milliseconds> idle_exit;
};

/// Why a run ended.
enum class RunEnd { Signal, Callback, Idle };

/// Gets each batch, with its shard id; returns false to end the run.
using OnBatch = std::function<bool(const std::string& shard_id, const std::vector<kinesis::UserRecord>& records)>;

namespace every_shard_impl {

// The examples' logic was written for one thread: a mutex makes the
// processors of all shards take turns.
struct Shared {
    std::mutex mutex;
    OnBatch on_batch;
    std::string_view program;
    std::atomic<bool> ended{false};
    std::atomic<long long> last_record_ns{0};
};

inline long long steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

class Processor : public kinesis::RecordProcessor {
public:
    explicit Processor(Shared& shared) : shared_(shared) {}
    void initialize(const kinesis::ShardStart& start) override { shard_id_ = start.shard_id; }
    void process_records(kinesis::ProcessRecordsInput& input, kinesis::Checkpointer&) override {
        shared_.last_record_ns.store(steady_ns());
        std::lock_guard<std::mutex> lock(shared_.mutex);
        // Nothing is handed on after the callback said stop: --max-records is exact.
        if (shared_.ended.load()) return;
        if (!shared_.on_batch(shard_id_, input.records)) shared_.ended.store(true);
    }
    void shard_ended(kinesis::Checkpointer& checkpointer) override {
        // SHARD_END lets the Consumer start the children.
        if (checkpointer.checkpoint()) {
            fmt::print(stderr, "{}: {} is closed and read to its end\n", shared_.program, shard_id_);
        }
    }

private:
    Shared& shared_;
    std::string shard_id_;
};

}  // namespace every_shard_impl

/// Reads every shard of a stream, following closed shards to their children,
/// with a kinesis::Consumer over an in-memory lease store: this process holds
/// every lease, nothing is kept across runs, each run starts at
/// options.start. Batches of all shards go to `on_batch`, one at a time (it
/// needs no lock of its own). A failed call is logged on stderr and tried again.
class EveryShardConsumer {
public:
    EveryShardConsumer(const kinesis::ClientConfig& client, kinesis::StreamRef stream,
                       const EveryShardOptions& options, std::string_view program, OnBatch on_batch)
        : shared_(std::make_shared<every_shard_impl::Shared>()), idle_exit_(options.idle_exit) {
        shared_->on_batch = std::move(on_batch);
        shared_->program = program;
        shared_->last_record_ns.store(every_shard_impl::steady_ns());
        kinesis::ConsumerConfig config;
        config.client = client;  // with the stop signal's token: a stop ends any wait at once
        config.client.log = [program](kinesis::LogLevel, std::string_view text) {
            fmt::print(stderr, "{}: {}\n", program, text);
        };
        config.client.log_level = kinesis::LogLevel::Warn;
        config.reader = options.reader;
        config.initial_position = options.start;
        config.shard_listing = options.shard_listing;
        // Children are listed the moment a parent ends; the periodic sync
        // finds shards that appear without one of ours ending.
        config.shard_sync_interval = std::chrono::seconds(10);
        config.parent_shard_poll_interval = std::chrono::milliseconds(500);
        auto shared = shared_;
        consumer_.emplace(std::move(stream), leases_,
                          [shared] { return std::make_unique<every_shard_impl::Processor>(*shared); }, config);
    }
    EveryShardConsumer(const EveryShardConsumer&) = delete;
    EveryShardConsumer& operator=(const EveryShardConsumer&) = delete;

    /// Lists the shards and starts reading; the number of shards to read.
    /// Stopped when a signal arrived before the listing succeeded.
    kinesis::Result<std::size_t> start() {
        if (auto started = consumer_->start(); !started) return std::move(started).error();
        auto leases = leases_->list_leases();
        if (!leases) return std::move(leases).error();
        return leases->size();
    }

    /// Until a stop signal, on_batch returning false, or options.idle_exit
    /// without a record; `on_tick` runs about every 100 ms meanwhile, never
    /// beside on_batch. Then the Consumer shuts down.
    RunEnd run(const std::function<void()>& on_tick = {}) {
        RunEnd end = RunEnd::Signal;
        while (!stop_requested()) {
            if (shared_->ended.load()) {
                end = RunEnd::Callback;
                break;
            }
            const auto idle = std::chrono::nanoseconds(every_shard_impl::steady_ns() - shared_->last_record_ns.load());
            if (idle_exit_ && idle >= *idle_exit_) {
                end = RunEnd::Idle;
                break;
            }
            if (on_tick) {
                std::lock_guard<std::mutex> lock(shared_->mutex);
                on_tick();
            }
            sleep_unless_stopped(std::chrono::milliseconds(100));
        }
        consumer_->shutdown();
        return end;
    }

private:
    std::shared_ptr<every_shard_impl::Shared> shared_;
    std::shared_ptr<kinesis::InMemoryLeaseStore> leases_ = std::make_shared<kinesis::InMemoryLeaseStore>();
    std::optional<std::chrono::milliseconds> idle_exit_;
    std::optional<kinesis::Consumer> consumer_;  // last: its threads end before what they call into
};

}  // namespace examples

#endif  // KINESIS_EXAMPLES_COMMON_EVERY_SHARD_HPP
