// SPDX-License-Identifier: Apache-2.0
// Definitions for consumer/consumer.hpp: the coordinator, the per-shard workers and the checkpointer.
#ifndef KINESIS_CONSUMER_IMPL_CONSUMER_INL_HPP
#define KINESIS_CONSUMER_IMPL_CONSUMER_INL_HPP

#include <kinesis/consumer/consumer.hpp>
#include <kinesis/consumer/shard_sync.hpp>
#include <kinesis/core/stop.hpp>
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/streams/shard_map.hpp>
#include <kinesis/streams/shard_reader.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

namespace kinesis {
namespace detail {

using SteadyTime = std::chrono::steady_clock::time_point;

// A lease this worker holds. The renewer and the checkpointer both advance
// its counter; the mutex makes each write start from the other's result, so
// this worker never fences itself out.
struct HeldLease {
    std::mutex mutex;
    Lease seen;                // as this worker last read or wrote it
    SteadyTime last_renewed;   // of the last successful write
    bool lost = false;         // another worker may hold it now: never written again
};

// One GetRecords answer, deaggregated, waiting for the processor.
struct PrefetchedBatch {
    std::vector<UserRecord> records;
    std::size_t bytes = 0;
    std::optional<std::chrono::milliseconds> millis_behind_latest;
    bool shard_end = false;
    std::vector<ChildShard> child_shards;
};

inline Error lease_no_longer_held(const std::string& shard_id) {
    Error error;
    error.kind = ErrorKind::Service;
    error.code = std::string(lease_lost_code);
    error.message = fmt::format("checkpoint: lease {} is no longer held by this worker", shard_id);
    return error;
}

inline std::string error_text(const std::exception_ptr& failure) {
    try {
        std::rethrow_exception(failure);
    } catch (const std::exception& e) {
        return e.what();
    } catch (...) {
        return "an exception that is not a std::exception";
    }
}

class ConsumerCore;

class ShardWorker {
public:
    ShardWorker(ConsumerCore& core, std::shared_ptr<HeldLease> lease);
    ~ShardWorker() { join(); }
    ShardWorker(const ShardWorker&) = delete;
    ShardWorker& operator=(const ShardWorker&) = delete;

    void start();
    // Graceful: reads stop, the processor gets shutdown_requested after its batch.
    void request_shutdown();
    // The lease is gone: reads stop, the processor gets lease_lost after its batch.
    void lease_lost();
    [[nodiscard]] bool done() const noexcept { return done_.load(std::memory_order_acquire); }
    [[nodiscard]] bool ended_shard() const noexcept { return ended_shard_.load(std::memory_order_acquire); }
    // The processor thread joins the reader before it ends.
    void join() {
        if (processor_.joinable()) processor_.join();
    }

    // The Checkpointer's calls, on the processor thread.
    Result<void> checkpoint(const std::optional<ExtendedSequenceNumber>& at);
    [[nodiscard]] ExtendedSequenceNumber last_checkpoint() const { return last_checkpoint_; }
    [[nodiscard]] std::optional<ExtendedSequenceNumber> largest_permitted() const { return largest_permitted_; }
    [[nodiscard]] const std::string& shard_id() const noexcept { return shard_id_; }

private:
    void read_loop();
    void process_loop();
    void deliver(PrefetchedBatch& item, RecordProcessor& processor, Checkpointer& checkpointer);
    // Calls shard_ended until it checkpoints SHARD_END; false when stopped first.
    bool end_shard(RecordProcessor& processor, Checkpointer& checkpointer);
    void add_child_leases(const std::vector<ChildShard>& children);
    [[nodiscard]] bool stopping_locked() const noexcept { return shutdown_ || lost_; }
    // Waits up to `delay` unless stopped; true when stopped.
    bool wait_stopped(std::chrono::milliseconds delay);
    template <class Call>
    void call_processor(const char* callback, Call&& call);

    ConsumerCore& core_;
    std::shared_ptr<HeldLease> lease_;
    std::string shard_id_;
    std::vector<std::string> parent_shard_ids_;
    std::optional<std::pair<UInt128, UInt128>> hash_range_;
    StartingPosition start_;
    std::optional<ExtendedSequenceNumber> resume_after_;  // skip user records at or before it
    StopSource reader_stop_;

    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<PrefetchedBatch> queue_;
    std::size_t queued_bytes_ = 0;
    bool shutdown_ = false;
    bool lost_ = false;
    bool reader_done_ = false;

    // The processor thread's own.
    ExtendedSequenceNumber last_checkpoint_;
    std::optional<ExtendedSequenceNumber> largest_permitted_;

    std::atomic<bool> done_{false};
    std::atomic<bool> ended_shard_{false};
    std::thread reader_;
    std::thread processor_;
};

class ConsumerCore {
public:
    ConsumerCore(StreamRef stream, std::shared_ptr<LeaseStore> leases, RecordProcessorFactory factory,
                 ConsumerConfig config);
    ~ConsumerCore() { shutdown(); }

    Result<void> start();
    void shutdown();
    bool wait_for(std::chrono::milliseconds timeout);
    ConsumerMetrics metrics() const;

    [[nodiscard]] const ConsumerConfig& config() const noexcept { return config_; }
    [[nodiscard]] LeaseStore& store() noexcept { return *store_; }
    [[nodiscard]] const StreamRef& stream() const noexcept { return stream_; }
    [[nodiscard]] const RecordProcessorFactory& factory() const noexcept { return factory_; }
    [[nodiscard]] const std::string& worker_id() const noexcept { return config_.worker_id; }

    template <class Update>
    void count(Update&& update) {
        std::lock_guard<std::mutex> lock(metrics_mutex_);
        update(metrics_);
    }
    void log(LogLevel level, const std::string& text) const {
        if (config_.client.log && level >= config_.client.log_level) config_.client.log(level, text);
    }
    // A worker finished its shard: its children's leases are in the table.
    void shard_ended() { wake(true); }
    // Marks `lease` lost (its mutex held); counts it the first time.
    void mark_lost_locked(HeldLease& lease);

private:
    Result<void> prepare_table();
    Result<std::vector<Shard>> list_shards();
    void run();
    void wake(bool take_now);
    void sync_shards();
    void renew_leases(SteadyTime now);
    // Scans the table: takes leases, starts workers whose parents are done,
    // removes finished parents. False when the scan failed.
    bool scan_round(SteadyTime now, bool take);
    void take_leases(const std::vector<Lease>& scan, SteadyTime now);
    void start_workers(const std::vector<Lease>& scan);
    void clean_up_finished(const std::vector<Lease>& scan);
    void drop_lost_leases();
    void reap_workers();
    void shut_down_workers_and_release();
    [[nodiscard]] bool any_lease_waiting_for_parents() const;

    StreamRef stream_;
    std::shared_ptr<LeaseStore> store_;
    RecordProcessorFactory factory_;
    ConsumerConfig config_;
    std::optional<KinesisClient> client_;  // the coordinator's: shard listings
    std::vector<Shard> last_listing_;

    // The coordinator thread's own.
    LeaseExpiryTracker tracker_;
    std::map<std::string, std::unique_ptr<ShardWorker>> workers_;
    std::map<std::string, std::shared_ptr<HeldLease>> held_;  // also read by metrics() under state_mutex_

    mutable std::mutex state_mutex_;
    std::condition_variable state_changed_;
    bool started_ = false;
    bool stop_requested_ = false;
    bool take_now_ = false;
    bool stopped_ = false;
    std::optional<StopCallback> user_stop_;
    std::thread coordinator_;

    mutable std::mutex metrics_mutex_;
    ConsumerMetrics metrics_;
};

// --- ShardWorker -------------------------------------------------------------

inline ShardWorker::ShardWorker(ConsumerCore& core, std::shared_ptr<HeldLease> lease)
    : core_(core), lease_(std::move(lease)) {
    std::optional<LeaseHashKeyRange> range;
    {
        std::lock_guard<std::mutex> lock(lease_->mutex);
        shard_id_ = lease_->seen.lease_key;
        parent_shard_ids_ = lease_->seen.parent_shard_ids;
        last_checkpoint_ = lease_->seen.checkpoint;
        range = lease_->seen.hash_key_range;
    }
    if (range) {
        auto low = UInt128::from_decimal(range->starting_hash_key);
        auto high = UInt128::from_decimal(range->ending_hash_key);
        if (low && high) hash_range_ = std::make_pair(*low, *high);
    }
    const auto& seq = last_checkpoint_.sequence_number;
    if (seq.empty() || seq == "TRIM_HORIZON") {
        start_ = StartingPosition::trim_horizon();
    } else if (seq == "LATEST") {
        start_ = StartingPosition::latest();
    } else if (seq == "AT_TIMESTAMP") {
        if (core_.config().initial_timestamp) {
            start_ = StartingPosition::at_timestamp(*core_.config().initial_timestamp);
        } else {
            core_.log(LogLevel::Warn, fmt::format("consumer: lease {} starts AT_TIMESTAMP but no initial_timestamp "
                                                  "is configured: reading from TRIM_HORIZON",
                                                  shard_id_));
            start_ = StartingPosition::trim_horizon();
        }
    } else {
        // AT, not AFTER: a checkpoint inside an aggregate leaves the rest of
        // the aggregate to deliver; the filter drops what was processed.
        start_ = StartingPosition::at_sequence_number(seq);
        resume_after_ = last_checkpoint_;
    }
}

inline void ShardWorker::start() {
    reader_ = std::thread([this] { read_loop(); });
    processor_ = std::thread([this] { process_loop(); });
}

inline void ShardWorker::request_shutdown() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        shutdown_ = true;
    }
    reader_stop_.request_stop();
    changed_.notify_all();
}

inline void ShardWorker::lease_lost() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        lost_ = true;
    }
    reader_stop_.request_stop();
    changed_.notify_all();
}

inline bool ShardWorker::wait_stopped(std::chrono::milliseconds delay) {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, delay, [this] { return stopping_locked(); });
}

inline void ShardWorker::read_loop() {
    std::optional<KinesisClient> client;
    try {
        ClientConfig client_config = core_.config().client;
        client_config.stop = reader_stop_.token();
        client.emplace(client_config);
    } catch (const Exception& e) {
        core_.log(LogLevel::Error, fmt::format("consumer: shard {}: {}", shard_id_, e.error().to_string()));
        core_.count([](ConsumerMetrics& m) { ++m.read_errors; });
    }
    if (client) {
        ShardReader reader(*client, core_.stream(), shard_id_, start_, core_.config().reader);
        RecordBatch batch;
        std::vector<UserRecord> records;
        for (;;) {
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (stopping_locked()) break;
            }
            auto read = reader.next(batch);
            if (!read) {
                if (read.error().kind == ErrorKind::Stopped) break;
                core_.count([](ConsumerMetrics& m) { ++m.read_errors; });
                core_.log(LogLevel::Warn,
                          fmt::format("consumer: shard {}: {}", shard_id_, read.error().to_string()));
                continue;  // the reader paces its next try
            }
            PrefetchedBatch item;
            std::uint64_t outside = 0;
            for (const Record& record : batch.records) {
                records.clear();
                deaggregate(record, records);
                for (UserRecord& user : records) {
                    if (resume_after_) {
                        if (compare({user.sequence_number, user.sub_sequence_number}, *resume_after_) <= 0) continue;
                        resume_after_.reset();  // records come in order: the rest are all new
                    }
                    if (user.aggregated && hash_range_) {
                        const UInt128 key = user.explicit_hash_key
                                                ? UInt128::from_decimal(*user.explicit_hash_key).value_or(UInt128{})
                                                : partition_key_hash(user.partition_key);
                        if (key < hash_range_->first || key > hash_range_->second) ++outside;
                    }
                    item.bytes += user.data.size();
                    item.records.push_back(std::move(user));
                }
            }
            item.millis_behind_latest = batch.millis_behind_latest;
            item.shard_end = batch.shard_end;
            item.child_shards = batch.child_shards;
            core_.count([&](ConsumerMetrics& m) {
                auto& shard = m.shards[shard_id_];
                shard.records_read += item.records.size();
                shard.records_outside_shard_range += outside;
                if (item.millis_behind_latest) shard.millis_behind_latest = item.millis_behind_latest;
            });
            if (item.records.empty() && !item.shard_end) continue;
            const bool end = item.shard_end;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                const auto& config = core_.config();
                changed_.wait(lock, [&] {
                    return stopping_locked() || queue_.empty() ||
                           (queue_.size() < config.max_prefetch_batches && queued_bytes_ < config.max_prefetch_bytes);
                });
                if (stopping_locked()) break;
                queued_bytes_ += item.bytes;
                queue_.push_back(std::move(item));
            }
            changed_.notify_all();
            if (end) break;
        }
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        reader_done_ = true;
    }
    changed_.notify_all();
}

template <class Call>
void ShardWorker::call_processor(const char* callback, Call&& call) {
    try {
        call();
    } catch (...) {
        const std::string what = error_text(std::current_exception());
        core_.count([](ConsumerMetrics& m) { ++m.processor_errors; });
        core_.log(LogLevel::Error, fmt::format("consumer: shard {}: {} threw: {}", shard_id_, callback, what));
    }
}

inline void ShardWorker::deliver(PrefetchedBatch& item, RecordProcessor& processor, Checkpointer& checkpointer) {
    const UserRecord& last = item.records.back();
    largest_permitted_ = ExtendedSequenceNumber{last.sequence_number, last.sub_sequence_number};
    const std::size_t count = item.records.size();
    const std::size_t bytes = item.bytes;
    ProcessRecordsInput input{std::move(item.records), item.millis_behind_latest};
    call_processor("process_records", [&] { processor.process_records(input, checkpointer); });
    core_.count([&](ConsumerMetrics& m) {
        auto& shard = m.shards[shard_id_];
        shard.records_processed += count;
        shard.bytes_processed += bytes;
    });
}

inline bool ShardWorker::end_shard(RecordProcessor& processor, Checkpointer& checkpointer) {
    largest_permitted_ = ExtendedSequenceNumber::shard_end();
    for (;;) {
        call_processor("shard_ended", [&] { processor.shard_ended(checkpointer); });
        if (last_checkpoint_.is_shard_end()) return true;
        core_.log(LogLevel::Error,
                  fmt::format("consumer: shard {}: shard_ended did not checkpoint SHARD_END; its children wait "
                              "until it does (called again in {} ms)",
                              shard_id_, core_.config().shard_end_retry.count()));
        if (wait_stopped(core_.config().shard_end_retry)) return false;
    }
}

inline void ShardWorker::add_child_leases(const std::vector<ChildShard>& children) {
    std::vector<std::string> child_ids;
    for (const ChildShard& child : children) {
        child_ids.push_back(child.shard_id);
        Lease lease;
        lease.lease_key = child.shard_id;
        lease.checkpoint = ExtendedSequenceNumber::trim_horizon();
        lease.parent_shard_ids = child.parent_shards;
        lease.hash_key_range =
            LeaseHashKeyRange{child.hash_key_range.starting_hash_key, child.hash_key_range.ending_hash_key};
        auto created = core_.store().create_lease_if_absent(lease);
        if (!created) {
            core_.count([](ConsumerMetrics& m) { ++m.lease_table_errors; });
            core_.log(LogLevel::Warn, fmt::format("consumer: lease for child shard {}: {} (the next shard sync "
                                                  "adds it)",
                                                  child.shard_id, created.error().to_string()));
        } else if (*created) {
            core_.count([](ConsumerMetrics& m) { ++m.leases_created; });
        }
    }
    if (child_ids.empty()) return;
    std::lock_guard<std::mutex> lock(lease_->mutex);
    if (lease_->lost) return;
    LeaseLost lost;
    auto updated = core_.store().update_child_shards(lease_->seen, child_ids, &lost);
    if (updated) {
        lease_->seen = std::move(*updated);
        lease_->last_renewed = std::chrono::steady_clock::now();
    } else if (is_lease_lost(updated.error())) {
        core_.mark_lost_locked(*lease_);
    } else {
        core_.count([](ConsumerMetrics& m) { ++m.lease_table_errors; });
    }
}

inline void ShardWorker::process_loop() {
    std::unique_ptr<RecordProcessor> processor;
    while (!processor) {
        call_processor("the processor factory", [&] { processor = core_.factory()(); });
        if (processor) break;
        core_.log(LogLevel::Error, fmt::format("consumer: shard {}: the processor factory gave no processor", shard_id_));
        if (wait_stopped(core_.config().shard_end_retry)) break;
    }
    enum class End { Lost, Shutdown, ShardEnded, ReaderGone };
    End end = End::ReaderGone;
    if (processor) {
        Checkpointer checkpointer(*this);
        call_processor("initialize", [&] { processor->initialize(ShardStart{shard_id_, last_checkpoint_, parent_shard_ids_}); });
        for (;;) {
            PrefetchedBatch item;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                changed_.wait(lock, [this] { return stopping_locked() || !queue_.empty() || reader_done_; });
                if (lost_) {
                    end = End::Lost;
                    break;
                }
                if (shutdown_) {
                    end = End::Shutdown;
                    break;
                }
                if (queue_.empty()) break;  // the reader is gone without a shard end: nothing more to read
                item = std::move(queue_.front());
                queue_.pop_front();
                queued_bytes_ -= item.bytes;
            }
            changed_.notify_all();
            if (!item.records.empty()) deliver(item, *processor, checkpointer);
            if (!item.shard_end) continue;
            // Children first, as the KCL's ShutdownTask: once SHARD_END is
            // written, nothing else would add them until the next shard sync.
            add_child_leases(item.child_shards);
            if (end_shard(*processor, checkpointer)) {
                end = End::ShardEnded;
                ended_shard_.store(true, std::memory_order_release);
                core_.count([&](ConsumerMetrics& m) { m.shards[shard_id_].shard_ended = true; });
                core_.shard_ended();
            } else {
                std::lock_guard<std::mutex> lock(mutex_);
                end = lost_ ? End::Lost : End::Shutdown;
            }
            break;
        }
        if (end == End::Lost) call_processor("lease_lost", [&] { processor->lease_lost(); });
        if (end == End::Shutdown) {
            call_processor("shutdown_requested", [&] { processor->shutdown_requested(checkpointer); });
        }
        processor.reset();
    }
    reader_stop_.request_stop();
    {
        std::unique_lock<std::mutex> lock(mutex_);
        lost_ = lost_ || end == End::Lost;
        shutdown_ = true;  // the reader stops waiting for room
    }
    changed_.notify_all();
    if (reader_.joinable()) reader_.join();
    done_.store(true, std::memory_order_release);
}

inline Result<void> ShardWorker::checkpoint(const std::optional<ExtendedSequenceNumber>& at) {
    if (!at && !largest_permitted_) return {};  // nothing delivered: nothing to record
    const ExtendedSequenceNumber target = at ? *at : *largest_permitted_;
    if (auto checked = check_checkpoint(target, last_checkpoint_, largest_permitted_); !checked) {
        core_.count([](ConsumerMetrics& m) { ++m.checkpoint_errors; });
        return checked;
    }
    if (target == last_checkpoint_) return {};
    const auto began = std::chrono::steady_clock::now();
    std::unique_lock<std::mutex> lock(lease_->mutex);
    if (lease_->lost) {
        core_.count([](ConsumerMetrics& m) { ++m.checkpoint_errors; });
        return lease_no_longer_held(shard_id_);
    }
    LeaseLost lost;
    auto written = core_.store().checkpoint(lease_->seen, target, &lost);
    if (!written) {
        Error error = written.error();
        if (is_lease_lost(error)) core_.mark_lost_locked(*lease_);
        lock.unlock();
        if (is_lease_lost(error)) lease_lost();
        core_.count([](ConsumerMetrics& m) { ++m.checkpoint_errors; });
        return error;
    }
    const auto finished = std::chrono::steady_clock::now();
    lease_->seen = std::move(*written);
    lease_->last_renewed = finished;
    lock.unlock();
    last_checkpoint_ = target;
    const double ms = std::chrono::duration<double, std::milli>(finished - began).count();
    core_.count([&](ConsumerMetrics& m) {
        ++m.checkpoints;
        m.checkpoint_latency_ms.add(ms);
        m.shards[shard_id_].last_checkpoint = target;
    });
    return {};
}

// --- ConsumerCore ------------------------------------------------------------

inline ConsumerCore::ConsumerCore(StreamRef stream, std::shared_ptr<LeaseStore> leases,
                                  RecordProcessorFactory factory, ConsumerConfig config)
    : stream_(std::move(stream)), store_(std::move(leases)), factory_(std::move(factory)), config_(std::move(config)) {
    if (stream_.empty()) throw Exception(invalid_argument("Consumer: the stream name or ARN is empty"));
    if (!store_) throw Exception(invalid_argument("Consumer: the lease store is null"));
    if (!factory_) throw Exception(invalid_argument("Consumer: the processor factory is empty"));
    if (auto valid = validate(config_); !valid) throw Exception(valid.error());
    if (config_.worker_id.empty()) config_.worker_id = default_worker_id();
    metrics_.worker_id = config_.worker_id;
    client_.emplace(config_.client);
}

inline Result<void> ConsumerCore::start() {
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        if (started_) return invalid_argument("Consumer: start() was called already");
        if (stop_requested_) return invalid_argument("Consumer: start() after shutdown()");
        started_ = true;
    }
    auto prepared = prepare_table();
    if (!prepared) {
        std::lock_guard<std::mutex> lock(state_mutex_);
        started_ = false;  // nothing runs: start() may be tried again
        return prepared;
    }
    if (config_.client.stop.stop_possible()) user_stop_.emplace(config_.client.stop, [this] { wake(false); });
    coordinator_ = std::thread([this] { run(); });
    return {};
}

inline Result<std::vector<Shard>> ConsumerCore::list_shards() {
    if (config_.shard_listing == ShardListing::ListShards) return client_->list_all_shards(stream_);
    auto description = client_->describe_stream_all_shards(stream_);
    if (!description) return std::move(description).error();
    return std::move(description->shards);
}

inline Result<void> ConsumerCore::prepare_table() {
    if (auto table = store_->ensure_table(); !table) return table;
    auto shards = list_shards();
    if (!shards) return std::move(shards).error();
    last_listing_ = std::move(*shards);
    auto leases = store_->list_leases();
    if (!leases) return std::move(leases).error();
    for (const Lease& lease : plan_new_leases(last_listing_, *leases, config_.initial_position)) {
        auto created = store_->create_lease_if_absent(lease);
        if (!created) return std::move(created).error();
        if (*created) count([](ConsumerMetrics& m) { ++m.leases_created; });
    }
    count([](ConsumerMetrics& m) { ++m.shard_syncs; });
    return {};
}

inline void ConsumerCore::wake(bool take_now) {
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        if (take_now) {
            take_now_ = true;
        } else {
            stop_requested_ = true;
        }
    }
    state_changed_.notify_all();
}

inline void ConsumerCore::shutdown() {
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        stop_requested_ = true;
    }
    state_changed_.notify_all();
    if (coordinator_.joinable() && coordinator_.get_id() != std::this_thread::get_id()) coordinator_.join();
    user_stop_.reset();
}

inline bool ConsumerCore::wait_for(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(state_mutex_);
    return state_changed_.wait_for(lock, timeout, [this] { return stopped_ || (!started_ && stop_requested_); });
}

inline ConsumerMetrics ConsumerCore::metrics() const {
    ConsumerMetrics snapshot;
    {
        std::lock_guard<std::mutex> lock(metrics_mutex_);
        snapshot = metrics_;
    }
    std::lock_guard<std::mutex> lock(state_mutex_);
    for (const auto& entry : held_) snapshot.held_leases.push_back(entry.first);
    return snapshot;
}

inline void ConsumerCore::mark_lost_locked(HeldLease& lease) {
    if (lease.lost) return;
    lease.lost = true;
    count([](ConsumerMetrics& m) { ++m.leases_lost; });
    log(LogLevel::Warn, fmt::format("consumer: lease {} lost", lease.seen.lease_key));
}

inline void ConsumerCore::sync_shards() {
    auto shards = list_shards();
    if (!shards) {
        count([](ConsumerMetrics& m) { ++m.lease_table_errors; });
        log(LogLevel::Warn, "consumer: shard sync: " + shards.error().to_string());
        return;
    }
    last_listing_ = std::move(*shards);
    auto leases = store_->list_leases();
    if (!leases) {
        count([](ConsumerMetrics& m) { ++m.lease_table_errors; });
        log(LogLevel::Warn, "consumer: shard sync: " + leases.error().to_string());
        return;
    }
    for (const Lease& lease : plan_new_leases(last_listing_, *leases, config_.initial_position)) {
        auto created = store_->create_lease_if_absent(lease);
        if (!created) {
            count([](ConsumerMetrics& m) { ++m.lease_table_errors; });
            log(LogLevel::Warn, "consumer: shard sync: " + created.error().to_string());
        } else if (*created) {
            count([](ConsumerMetrics& m) { ++m.leases_created; });
        }
    }
    count([](ConsumerMetrics& m) { ++m.shard_syncs; });
}

inline void ConsumerCore::renew_leases(SteadyTime now) {
    for (auto& entry : held_) {
        HeldLease& held = *entry.second;
        std::lock_guard<std::mutex> lock(held.mutex);
        if (held.lost) continue;
        LeaseLost lost;
        auto renewed = store_->renew_lease(held.seen, &lost);
        const auto after = std::chrono::steady_clock::now();
        if (renewed) {
            held.seen = std::move(*renewed);
            held.last_renewed = after;
            tracker_.record_write(held.seen.lease_key, held.seen.lease_counter, after);
            count([](ConsumerMetrics& m) { ++m.renewals; });
        } else if (is_lease_lost(renewed.error())) {
            mark_lost_locked(held);
        } else {
            count([](ConsumerMetrics& m) { ++m.renewal_errors; });
            log(LogLevel::Warn, fmt::format("consumer: renewing lease {}: {}", entry.first, renewed.error().to_string()));
            // Unrenewed for the failover time, the lease looks expired to
            // every other worker: one of them may hold it already.
            if (now - held.last_renewed > config_.lease.failover_time) mark_lost_locked(held);
        }
    }
    drop_lost_leases();
}

inline void ConsumerCore::drop_lost_leases() {
    for (auto it = held_.begin(); it != held_.end();) {
        bool lost = false;
        {
            std::lock_guard<std::mutex> lock(it->second->mutex);
            lost = it->second->lost;
        }
        if (!lost) {
            ++it;
            continue;
        }
        if (auto worker = workers_.find(it->first); worker != workers_.end()) worker->second->lease_lost();
        std::lock_guard<std::mutex> lock(state_mutex_);
        it = held_.erase(it);
    }
}

inline void ConsumerCore::take_leases(const std::vector<Lease>& scan, SteadyTime now) {
    // Workers that scanned at about the same time choose the same oldest
    // lease; the loser of that race plans again with the rows its failed
    // take sent back, so it takes another lease this round instead of next
    // round (the KCL shuffles its candidates for the same reason).
    std::vector<Lease> rows = scan;
    for (int round = 0; round < 4; ++round) {
        const LeaseTakePlan plan = compute_leases_to_take(rows, config_.worker_id, tracker_, now, config_.lease);
        // A re-plan only takes what is free: stealing stays one lease a round.
        if (round > 0 && plan.reason == LeaseTakePlan::Reason::Steal) return;
        bool lost_a_race = false;
        for (const std::string& key : plan.lease_keys) {
            auto row = std::find_if(rows.begin(), rows.end(), [&](const Lease& l) { return l.lease_key == key; });
            if (row == rows.end() || held_.count(key)) continue;
            LeaseLost lost;
            auto taken = store_->take_lease(*row, config_.worker_id, &lost);
            if (!taken) {
                if (!is_lease_lost(taken.error())) {
                    count([](ConsumerMetrics& m) { ++m.lease_table_errors; });
                    log(LogLevel::Warn, fmt::format("consumer: taking lease {}: {}", key, taken.error().to_string()));
                    continue;
                }
                // Another worker was quicker: its row as it is now, with its live counter.
                if (lost.current) {
                    *row = *lost.current;
                    tracker_.record_write(key, row->lease_counter, now);
                } else {
                    rows.erase(row);
                }
                lost_a_race = true;
                continue;
            }
            *row = *taken;
            auto held = std::make_shared<HeldLease>();
            held->seen = std::move(*taken);
            held->last_renewed = std::chrono::steady_clock::now();
            tracker_.record_write(key, held->seen.lease_counter, held->last_renewed);
            {
                std::lock_guard<std::mutex> lock(state_mutex_);
                held_[key] = std::move(held);
            }
            const bool stolen = plan.reason == LeaseTakePlan::Reason::Steal;
            count([stolen](ConsumerMetrics& m) { ++(stolen ? m.leases_stolen : m.leases_taken); });
            log(LogLevel::Info, fmt::format("consumer: {} lease {}{}", stolen ? "stole" : "took", key,
                                            stolen ? " from " + plan.steal_from : std::string()));
        }
        if (!lost_a_race) return;
    }
}

inline void ConsumerCore::start_workers(const std::vector<Lease>& scan) {
    for (auto& entry : held_) {
        if (workers_.count(entry.first)) continue;
        Lease seen;
        {
            std::lock_guard<std::mutex> lock(entry.second->mutex);
            if (entry.second->lost) continue;
            seen = entry.second->seen;
        }
        if (seen.checkpoint.is_shard_end()) continue;  // finished: held until its children have begun
        if (!shard_ready_to_process(seen, scan)) continue;
        auto worker = std::make_unique<ShardWorker>(*this, entry.second);
        worker->start();
        workers_[entry.first] = std::move(worker);
    }
}

inline void ConsumerCore::clean_up_finished(const std::vector<Lease>& scan) {
    for (auto it = held_.begin(); it != held_.end();) {
        HeldLease& held = *it->second;
        auto worker = workers_.find(it->first);
        if (worker != workers_.end() && !worker->second->done()) {
            ++it;
            continue;
        }
        std::unique_lock<std::mutex> lock(held.mutex);
        if (held.lost || !held.seen.checkpoint.is_shard_end()) {
            ++it;
            continue;
        }
        if (held.seen.child_shard_ids.empty()) {
            // A row written without its children (an older KCL's): find them in the listing.
            std::vector<std::string> children;
            for (const Shard& shard : last_listing_) {
                if (shard.parent_shard_id == it->first || shard.adjacent_parent_shard_id == it->first) {
                    children.push_back(shard.shard_id);
                }
            }
            if (!children.empty()) {
                LeaseLost lost;
                auto updated = store_->update_child_shards(held.seen, children, &lost);
                if (updated) {
                    held.seen = std::move(*updated);
                } else if (is_lease_lost(updated.error())) {
                    mark_lost_locked(held);
                }
            }
        }
        if (held.lost || !parent_lease_deletable(held.seen, scan)) {
            ++it;
            continue;
        }
        LeaseLost lost;
        auto deleted = store_->delete_lease(held.seen, &lost);
        if (!deleted) {
            if (is_lease_lost(deleted.error())) mark_lost_locked(held);
            ++it;
            continue;
        }
        count([](ConsumerMetrics& m) { ++m.leases_deleted; });
        log(LogLevel::Info, fmt::format("consumer: deleted the finished lease {}", it->first));
        lock.unlock();
        if (worker != workers_.end()) workers_.erase(worker);
        std::lock_guard<std::mutex> state(state_mutex_);
        it = held_.erase(it);
    }
}

inline bool ConsumerCore::scan_round(SteadyTime now, bool take) {
    auto scan = store_->list_leases();
    if (!scan) {
        count([](ConsumerMetrics& m) { ++m.lease_table_errors; });
        log(LogLevel::Warn, "consumer: scanning the lease table: " + scan.error().to_string());
        return false;
    }
    tracker_.update(*scan, now);
    if (take) take_leases(*scan, now);
    start_workers(*scan);
    clean_up_finished(*scan);
    return true;
}

inline bool ConsumerCore::any_lease_waiting_for_parents() const {
    for (const auto& entry : held_) {
        if (workers_.count(entry.first)) continue;
        std::lock_guard<std::mutex> lock(entry.second->mutex);
        if (!entry.second->lost && !entry.second->seen.checkpoint.is_shard_end()) return true;
    }
    return false;
}

inline void ConsumerCore::reap_workers() {
    for (auto it = workers_.begin(); it != workers_.end();) {
        // A finished shard's worker stays until its lease is deleted; a lost
        // one's goes now, so the shard can start again if it comes back.
        if (it->second->done() && (!it->second->ended_shard() || !held_.count(it->first))) {
            it->second->join();
            it = workers_.erase(it);
        } else {
            ++it;
        }
    }
}

inline void ConsumerCore::run() {
    const auto renew_every = renewal_interval(config_.lease);
    const auto take_every = taker_interval(config_.lease);
    auto now = std::chrono::steady_clock::now();
    auto next_renew = now + renew_every;
    auto next_take = now;
    auto next_sync = now + config_.shard_sync_interval;
    auto next_parent_poll = now + config_.parent_shard_poll_interval;
    for (;;) {
        bool take_now = false;
        {
            std::unique_lock<std::mutex> lock(state_mutex_);
            const auto until = std::min({next_renew, next_take, next_sync, next_parent_poll});
            state_changed_.wait_until(lock, until, [this] { return stop_requested_ || take_now_; });
            if (stop_requested_) break;
            take_now = take_now_;
            take_now_ = false;
        }
        now = std::chrono::steady_clock::now();
        if (now >= next_renew) {
            renew_leases(now);
            next_renew = now + renew_every;
        }
        if (now >= next_sync) {
            sync_shards();
            next_sync = now + config_.shard_sync_interval;
        }
        if (take_now || now >= next_take) {
            scan_round(now, true);
            next_take = now + take_every;
            next_parent_poll = now + config_.parent_shard_poll_interval;
        } else if (now >= next_parent_poll) {
            if (any_lease_waiting_for_parents()) scan_round(now, false);
            next_parent_poll = now + config_.parent_shard_poll_interval;
        }
        drop_lost_leases();
        reap_workers();
    }
    shut_down_workers_and_release();
    {
        std::lock_guard<std::mutex> lock(state_mutex_);
        stopped_ = true;
    }
    state_changed_.notify_all();
}

inline void ConsumerCore::shut_down_workers_and_release() {
    for (auto& entry : workers_) entry.second->request_shutdown();
    const auto renew_every = renewal_interval(config_.lease);
    const auto deadline = std::chrono::steady_clock::now() + config_.shutdown_timeout;
    auto next_renew = std::chrono::steady_clock::now() + renew_every;
    for (;;) {
        const bool all_done = std::all_of(workers_.begin(), workers_.end(),
                                          [](const auto& entry) { return entry.second->done(); });
        const auto now = std::chrono::steady_clock::now();
        if (all_done || now >= deadline) break;
        if (now >= next_renew) {
            renew_leases(now);  // processors still checkpointing must not lose their leases meanwhile
            next_renew = now + renew_every;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    for (auto& entry : held_) {
        HeldLease& held = *entry.second;
        std::lock_guard<std::mutex> lock(held.mutex);
        if (held.lost) continue;
        LeaseLost lost;
        auto evicted = store_->evict_lease(held.seen, &lost);
        if (evicted) {
            held.seen = std::move(*evicted);
            count([](ConsumerMetrics& m) { ++m.leases_released; });
        } else {
            log(LogLevel::Warn, fmt::format("consumer: releasing lease {}: {}", entry.first,
                                            evicted.error().to_string()));
        }
        // Nothing more is written on it by this worker: a processor still
        // running past the timeout is refused its checkpoints.
        held.lost = true;
    }
    for (auto& entry : workers_) entry.second->lease_lost();
    workers_.clear();  // joins
    std::lock_guard<std::mutex> lock(state_mutex_);
    held_.clear();
}

}  // namespace detail

// --- Checkpointer and Consumer ------------------------------------------------

KINESIS_DECL Result<void> Checkpointer::checkpoint() { return worker_->checkpoint(std::nullopt); }

KINESIS_DECL Result<void> Checkpointer::checkpoint(const ExtendedSequenceNumber& at) {
    return worker_->checkpoint(at);
}

KINESIS_DECL ExtendedSequenceNumber Checkpointer::last_checkpoint() const { return worker_->last_checkpoint(); }

KINESIS_DECL std::optional<ExtendedSequenceNumber> Checkpointer::largest_permitted() const {
    return worker_->largest_permitted();
}

KINESIS_DECL const std::string& Checkpointer::shard_id() const noexcept { return worker_->shard_id(); }

KINESIS_DECL Consumer::Consumer(StreamRef stream, std::shared_ptr<LeaseStore> leases, RecordProcessorFactory factory,
                                ConsumerConfig config)
    : core_(std::make_unique<detail::ConsumerCore>(std::move(stream), std::move(leases), std::move(factory),
                                                   std::move(config))) {}

KINESIS_DECL Consumer::~Consumer() = default;

KINESIS_DECL Result<void> Consumer::start() { return core_->start(); }

KINESIS_DECL void Consumer::shutdown() { core_->shutdown(); }

KINESIS_DECL bool Consumer::wait_for(std::chrono::milliseconds timeout) { return core_->wait_for(timeout); }

KINESIS_DECL ConsumerMetrics Consumer::metrics() const { return core_->metrics(); }

KINESIS_DECL const std::string& Consumer::worker_id() const noexcept { return core_->worker_id(); }

}  // namespace kinesis

#endif  // KINESIS_CONSUMER_IMPL_CONSUMER_INL_HPP
