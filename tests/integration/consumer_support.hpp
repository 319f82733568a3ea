// SPDX-License-Identifier: Apache-2.0
// A record processor that writes down everything a Consumer tells it, for the Consumer tests.
#ifndef KINESIS_TESTS_INTEGRATION_CONSUMER_SUPPORT_HPP
#define KINESIS_TESTS_INTEGRATION_CONSUMER_SUPPORT_HPP

#include <kinesis/kinesis.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace kinesis_test {

/// What the processors of one Consumer were told, in order, across shards.
struct ConsumerLog {
    struct Event {
        std::string shard_id;
        std::string what;  // "initialize", "records", "shard_ended", "lease_lost", "shutdown_requested"
        std::size_t count = 0;
    };
    mutable std::mutex mutex;
    std::condition_variable changed;
    std::vector<Event> events;
    std::map<std::string, std::vector<kinesis::UserRecord>> records;  // per shard, as delivered
    std::map<std::string, kinesis::ExtendedSequenceNumber> starts;     // the ShardStart checkpoint
    std::vector<kinesis::Error> checkpoint_errors;
    std::size_t total = 0;

    void add(const std::string& shard, std::string what, std::size_t count = 0) {
        {
            std::lock_guard<std::mutex> lock(mutex);
            events.push_back({shard, std::move(what), count});
        }
        changed.notify_all();
    }
    /// Waits until `done()` holds (checked under the lock) or `timeout`.
    bool wait(std::chrono::milliseconds timeout, const std::function<bool()>& done) {
        std::unique_lock<std::mutex> lock(mutex);
        return changed.wait_for(lock, timeout, done);
    }
    /// The index of the first event of `what` for `shard`; -1 when none.
    long index_of(const std::string& shard, const std::string& what) const {
        for (std::size_t i = 0; i < events.size(); ++i) {
            if (events[i].shard_id == shard && events[i].what == what) return static_cast<long>(i);
        }
        return -1;
    }
};

/// Writes everything down; checkpoints after every batch when `checkpoint_each_batch`.
class RecordingProcessor : public kinesis::RecordProcessor {
public:
    RecordingProcessor(std::shared_ptr<ConsumerLog> log, bool checkpoint_each_batch)
        : log_(std::move(log)), checkpoint_each_batch_(checkpoint_each_batch) {}

    void initialize(const kinesis::ShardStart& start) override {
        shard_ = start.shard_id;
        {
            std::lock_guard<std::mutex> lock(log_->mutex);
            log_->starts[shard_] = start.checkpoint;
        }
        log_->add(shard_, "initialize");
    }
    void process_records(kinesis::ProcessRecordsInput& input, kinesis::Checkpointer& checkpointer) override {
        // Checkpointed before the records count as seen, so a test that waits
        // for them finds the checkpoint in the table.
        if (checkpoint_each_batch_) {
            auto written = checkpointer.checkpoint(kinesis::ExtendedSequenceNumber{
                input.records.back().sequence_number, input.records.back().sub_sequence_number});
            if (!written) {
                std::lock_guard<std::mutex> lock(log_->mutex);
                log_->checkpoint_errors.push_back(written.error());
            }
        }
        {
            std::lock_guard<std::mutex> lock(log_->mutex);
            auto& mine = log_->records[shard_];
            for (auto& record : input.records) mine.push_back(record);
            log_->total += input.records.size();
        }
        log_->add(shard_, "records", input.records.size());
    }
    void lease_lost() override { log_->add(shard_, "lease_lost"); }
    void shard_ended(kinesis::Checkpointer& checkpointer) override {
        auto written = checkpointer.checkpoint();
        if (!written) {
            std::lock_guard<std::mutex> lock(log_->mutex);
            log_->checkpoint_errors.push_back(written.error());
        }
        log_->add(shard_, "shard_ended");
    }
    void shutdown_requested(kinesis::Checkpointer& checkpointer) override {
        auto written = checkpointer.checkpoint();
        if (!written) {
            std::lock_guard<std::mutex> lock(log_->mutex);
            log_->checkpoint_errors.push_back(written.error());
        }
        log_->add(shard_, "shutdown_requested");
    }

private:
    std::shared_ptr<ConsumerLog> log_;
    bool checkpoint_each_batch_;
    std::string shard_;
};

inline kinesis::RecordProcessorFactory recording_factory(const std::shared_ptr<ConsumerLog>& log,
                                                         bool checkpoint_each_batch = true) {
    return [log, checkpoint_each_batch] { return std::make_unique<RecordingProcessor>(log, checkpoint_each_batch); };
}

/// Fast timings for tests: a 1.5 s failover (renewal every 475 ms, taking every 3 s), fast polls.
inline kinesis::ConsumerConfig fast_consumer_config(const kinesis::ClientConfig& client, std::string worker_id) {
    kinesis::ConsumerConfig config;
    config.client = client;
    config.worker_id = std::move(worker_id);
    config.lease.failover_time = std::chrono::milliseconds(1500);
    config.reader.min_interval = std::chrono::milliseconds(50);
    config.reader.max_idle_backoff = std::chrono::milliseconds(200);
    config.parent_shard_poll_interval = std::chrono::milliseconds(300);
    config.shard_sync_interval = std::chrono::seconds(2);
    config.shutdown_timeout = std::chrono::seconds(10);
    return config;
}

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_INTEGRATION_CONSUMER_SUPPORT_HPP
