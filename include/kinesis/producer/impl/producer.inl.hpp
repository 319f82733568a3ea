// SPDX-License-Identifier: Apache-2.0
// The Producer's pipeline, on one I/O thread:
//   put() ─► inbox ─► shard prediction ─► per-shard aggregator ─► per-shard ready queue
//        ─► token buckets / throttle backoff / in-flight limit ─► PutRecords collection
//        ─► answer: written entries resolve, failed ones go back to the front of their shard.
// Only put(), flush() and metrics() run on other threads; they touch the inbox
// and the counters under `mutex_`, nothing else.
#include <kinesis/producer/detail/outcome_state.hpp>
#include <kinesis/producer/detail/token_bucket.hpp>
#include <kinesis/core/stop.hpp>
#include <kinesis/core/time.hpp>
#include <kinesis/http/transport.hpp>
#include <kinesis/streams/aggregation.hpp>
#include <kinesis/streams/detail/wire.hpp>
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/streams/shard_map.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <limits>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

namespace kinesis::detail {

namespace producer_impl {

using Steady = std::chrono::steady_clock;
using SteadyTime = Steady::time_point;
using std::chrono::milliseconds;

/// now + d, where a duration too long for the clock gives the clock's end
/// instead of wrapping around (a TTL of milliseconds::max() means "never").
inline SteadyTime saturating_add(SteadyTime now, milliseconds d) {
    const auto room = std::chrono::duration_cast<milliseconds>(SteadyTime::max() - now);
    if (d >= room) return SteadyTime::max();
    return now + d;
}

constexpr std::size_t entry_framing_bytes = 48;  // a PutRecords entry's JSON around its fields
constexpr std::size_t max_record_bytes_hard = 10 * 1024 * 1024;

inline Error producer_error(ErrorKind kind, std::string code, std::string message) {
    Error error;
    error.kind = kind;
    error.code = std::move(code);
    error.message = std::move(message);
    return error;
}

struct QueuedRecord {
    // The record's bytes, except while it is one of several in an aggregate, which holds them then.
    std::string data;
    std::string partition_key;
    std::optional<std::string> explicit_hash_key;
    UInt128 hash_key;
    std::uint64_t sequence = 0;
    SteadyTime arrival{};
    SteadyTime expiry{};
    std::vector<PutAttempt> attempts;  // the failed ones
    Producer::Callback callback;       // a PutHandle's too
    std::uint32_t data_size = 0;       // records are at most 10 MiB
    std::uint32_t charge = 0;
    ErrorKind last_error_kind = ErrorKind::Service;  // of the last failed attempt
    bool sent = false;
    bool may_be_duplicated = false;
};

/// Frees a record's strings: its bytes are in an aggregate now, or it is done, and
/// the buffer no longer charges them.
inline void release_bytes(QueuedRecord& record) {
    std::string().swap(record.data);
    std::string().swap(record.partition_key);
    record.explicit_hash_key.reset();
}

/// One put() waiting for the I/O thread. Its bytes were copied by put() into the
/// inbox's one byte buffer (data, partition key, explicit hash key, back to back), so
/// the caller's strings are freed on the caller's thread, where they were allocated
/// (a free on another thread takes the allocator's slow path, and slows the caller's
/// next malloc too), and the I/O thread reads the records as one run of memory.
/// Large data is not worth the copy: its string is moved in instead.
struct Incoming {
    std::size_t offset = 0;  // of the data (if not large_data), then the keys, in Inbox::bytes
    std::size_t data_size = 0;
    std::size_t key_size = 0;
    std::size_t explicit_hash_key_size = 0;
    bool has_explicit_hash_key = false;
    std::string large_data;
    UInt128 hash_key;
    std::size_t charge = 0;
    std::uint64_t sequence = 0;
    SteadyTime arrival{};
    Producer::Callback callback;
};

constexpr std::size_t copied_data_max = 4096;

struct Inbox {
    std::vector<Incoming> records;
    std::string bytes;
};

/// A queued record's own footprint, charged to the buffer beside its bytes: the
/// QueuedRecord (held by value in its shard's list, then in its Kinesis record's,
/// with the spare room seal() leaves there), its Incoming, and the allocator's
/// headers and rounding.
constexpr std::size_t record_overhead_bytes = sizeof(QueuedRecord) + sizeof(Incoming) + 64;

/// What one record may hold of the buffer at once: its bytes, its footprint and its
/// share of the PutRecords body it is sent in (base64: 4/3 of its bytes, and the
/// JSON around them). All of it is charged when put() takes the record: bodies are
/// written on the I/O thread, which never waits for room, so their room is taken up front.
inline std::size_t record_charge(std::size_t data_size, std::size_t key_sizes) {
    const std::size_t bytes = data_size + key_sizes;
    return bytes + record_overhead_bytes + (bytes + 2) / 3 * 4 + entry_framing_bytes;
}

/// What a record holds of the buffer while it waits in the inbox, beside its charge:
/// its Incoming and its bytes there, until drain() has made a QueuedRecord of it and
/// let go of the inbox. When callers put faster than the I/O thread packs, the inbox
/// holds many records, and with them uncharged the bound would not hold.
inline std::size_t inbox_charge(std::size_t copied_bytes) { return sizeof(Incoming) + copied_bytes; }

/// A user record's bytes, wherever they are (the inbox, or the record's own strings).
struct RecordBytes {
    std::string_view data;
    std::string_view partition_key;
    std::optional<std::string_view> explicit_hash_key;
};

inline RecordBytes bytes_of(const QueuedRecord& record) {
    RecordBytes bytes{record.data, record.partition_key, std::nullopt};
    if (record.explicit_hash_key) bytes.explicit_hash_key = *record.explicit_hash_key;
    return bytes;
}

/// A member's bytes back from the aggregate they were packed into.
inline void take_bytes(QueuedRecord& record, UserRecord& decoded) {
    record.data = std::move(decoded.data);
    record.partition_key = std::move(decoded.partition_key);
    record.explicit_hash_key = std::move(decoded.explicit_hash_key);
}

inline void copy_bytes(QueuedRecord& record, const RecordBytes& bytes) {
    record.data.assign(bytes.data);
    record.partition_key.assign(bytes.partition_key);
    if (bytes.explicit_hash_key) record.explicit_hash_key.emplace(*bytes.explicit_hash_key);
}

struct ShardState;

/// One Kinesis record: an aggregate of user records of one shard, or one of them raw.
struct KinesisEntry {
    std::vector<QueuedRecord> members;
    std::string data;
    std::string partition_key;
    std::optional<std::string> explicit_hash_key;
    bool aggregated = false;
    SteadyTime due = SteadyTime::max();
    SteadyTime expiry = SteadyTime::max();
    [[nodiscard]] std::size_t size() const noexcept { return data.size() + partition_key.size(); }
};

struct ShardState {
    std::string shard_id;
    UInt128 start;
    UInt128 end;
    bool open = true;  // false once a refresh no longer lists it
    // An answer put a record of this shard elsewhere: the map is out of date
    // (a reshard), so until the next refresh its records go raw, each landing
    // where its own key says, instead of in aggregates that may straddle new shards.
    bool stale = false;
    Aggregator aggregator;
    std::vector<QueuedRecord> aggregating;  // what `aggregator` holds, in order
    std::deque<KinesisEntry> ready;
    TokenBucket records_bucket;
    TokenBucket bytes_bucket;
    SteadyTime blocked_until{};
    int throttles_in_a_row = 0;
    std::size_t in_flight = 0;
    [[nodiscard]] bool holds(const UInt128& key) const noexcept { return start <= key && key <= end; }
};

struct InFlightRequest {
    std::vector<KinesisEntry> entries;
    std::vector<ShardState*> shards;  // entries[i] was predicted for shards[i]
    Timestamp start_wall{};
    SteadyTime start{};
};

/// An aggregate written to a shard the map did not know: its members are
/// accepted or sent again once a refresh tells that shard's range.
struct Unverified {
    KinesisEntry entry;
    std::shared_ptr<const KinesisRecordPut> put;
};

struct ActiveFlush {
    std::shared_ptr<FlushState> state;
    EventLoop::Id timer = 0;
};

}  // namespace producer_impl

class ProducerCore {
public:
    using QueuedRecord = producer_impl::QueuedRecord;
    using KinesisEntry = producer_impl::KinesisEntry;
    using ShardState = producer_impl::ShardState;
    using SteadyTime = producer_impl::SteadyTime;
    using Steady = producer_impl::Steady;

    ProducerCore(StreamRef stream, ProducerConfig config);
    ~ProducerCore();

    Result<void> enqueue(std::string data, std::string partition_key, std::optional<std::string> explicit_hash_key,
                         Producer::Callback callback);
    FlushHandle flush(std::chrono::milliseconds deadline);
    ProducerMetrics metrics() const;
    const StreamRef& stream() const noexcept { return stream_; }

private:
    // ---- loop thread ----
    void drain();
    QueuedRecord record_from(producer_impl::Incoming& incoming) const;
    // `own_bytes`: `bytes` are the record's own strings, else a view of the inbox.
    void route(QueuedRecord&& record, const producer_impl::RecordBytes& bytes, bool own_bytes);
    void route(QueuedRecord&& record) {
        const auto bytes = producer_impl::bytes_of(record);
        route(std::move(record), bytes, true);
    }
    void add_to_shard(ShardState& shard, QueuedRecord&& record, const producer_impl::RecordBytes& bytes,
                      bool own_bytes);
    void add_to_shard(ShardState& shard, QueuedRecord&& record) {
        const auto bytes = producer_impl::bytes_of(record);
        add_to_shard(shard, std::move(record), bytes, true);
    }
    void seal(ShardState& shard);
    void mark_stale(ShardState& shard);
    void pump();
    void schedule_wake(SteadyTime when);
    bool send_one_request(SteadyTime now);
    void on_answer(std::uint64_t id, Result<PutRecordsResult> result);
    void retry_entry(KinesisEntry entry, ShardState* predicted, const PutAttempt& attempt, const Error& error,
                     bool throttled);
    void requeue_front(ShardState* shard, KinesisEntry entry);
    void repack_front(std::vector<QueuedRecord> records);
    std::vector<QueuedRecord> dissolve(KinesisEntry& entry);
    void succeed(QueuedRecord& record, const std::shared_ptr<const KinesisRecordPut>& put,
                 std::optional<std::uint64_t> sub_sequence);
    void succeed_members(KinesisEntry& entry, const std::shared_ptr<const KinesisRecordPut>& put);
    void fail(QueuedRecord& record, Error error);
    void resolve(QueuedRecord& record, const PutOutcome& outcome);
    void sweep_expired(SteadyTime now);
    void start_refresh();
    void request_refresh();
    void list_page(std::optional<std::string> next_token, std::vector<Shard> collected);
    void refresh_failed(const Error& error);
    void install_map(std::vector<Shard> shards);
    void begin_flush(std::shared_ptr<FlushState> state);
    void end_flush(const std::shared_ptr<FlushState>& state, bool complete);
    void settle_counters();
    template <class F>
    void for_each_live(F&& f);
    void fail_everything(const std::string& why);
    ShardState* shard_for(const UInt128& key) const;
    // When a record must be on its way, packed with others or not.
    SteadyTime due_of(const QueuedRecord& record) const {
        return producer_impl::saturating_add(record.arrival, config_.max_buffered_time);
    }
    double rate_factor() const { return static_cast<double>(config_.rate_limit) / 100.0; }

    StreamRef stream_;
    ProducerConfig config_;
    std::shared_ptr<const Clock> clock_;
    EventLoop loop_;
    std::unique_ptr<KinesisClient> client_;
    StopSource loop_stop_;
    std::thread thread_;

    // ---- shared with put()/flush()/metrics(), under mutex_ ----
    mutable std::mutex mutex_;
    std::condition_variable room_cv_;
    producer_impl::Inbox inbox_;
    bool drain_posted_ = false;
    bool shutting_down_ = false;
    std::size_t waiting_putters_ = 0;
    std::uint64_t next_sequence_ = 0;
    std::size_t outstanding_bytes_ = 0;
    std::size_t inbox_charged_ = 0;  // the part of outstanding_bytes_ that is records in the inbox
    std::size_t outstanding_records_ = 0;
    std::size_t max_record_bytes_ = 1024 * 1024;
    ProducerMetrics metrics_;  // counters; the gauges are filled in by metrics()
    // Arrival of every record not yet resolved, by sequence (the front is
    // sequence live_base_), with a resolved flag: the oldest record's age in O(1).
    std::deque<std::pair<SteadyTime, bool>> live_order_;
    std::uint64_t live_base_ = 1;

    // ---- loop thread only ----
    std::vector<std::unique_ptr<ShardState>> shards_;      // open shards, sorted by start
    std::vector<std::unique_ptr<ShardState>> retired_;     // closed, with calls in flight
    std::deque<QueuedRecord> unmapped_;                   // waiting for a shard map
    bool map_ready_ = false;
    bool refreshing_ = false;
    bool refresh_wanted_ = false;
    std::chrono::milliseconds refresh_delay_;
    SteadyTime next_refresh_allowed_{};
    EventLoop::Id refresh_timer_ = 0;
    std::unordered_map<std::uint64_t, producer_impl::InFlightRequest> in_flight_;
    std::uint64_t next_request_id_ = 0;
    std::vector<producer_impl::Unverified> unverified_;
    std::vector<producer_impl::ActiveFlush> flushes_;
    std::vector<std::shared_ptr<FlushState>> flushes_done_;
    std::size_t round_robin_ = 0;
    int request_failures_in_a_row_ = 0;
    SteadyTime wake_at_ = SteadyTime::max();
    EventLoop::Id wake_timer_ = 0;
    // Settled into the shared counters once per loop turn, not once per record.
    std::size_t released_bytes_ = 0;
    std::size_t released_records_ = 0;
    ProducerMetrics pending_metrics_;
    std::vector<std::uint64_t> resolved_sequences_;
    producer_impl::Inbox draining_;  // the inbox taken by drain(); swapped back, to keep its capacity
    std::size_t loop_max_record_bytes_ = 1024 * 1024;
};

namespace producer_impl {

inline std::optional<Error> check_config(const StreamRef& stream, const ProducerConfig& c) {
    const auto bad = [](std::string message) { return invalid_argument("Producer: " + std::move(message)); };
    if (auto error = check_stream_ref("Producer", stream)) return error;
    if (c.collection_max_count < 1 || c.collection_max_count > 500) {
        return bad(fmt::format("collection_max_count is {}; it must be 1 to 500", c.collection_max_count));
    }
    if (c.collection_max_bytes < 1024 || c.collection_max_bytes > 10 * 1024 * 1024) {
        return bad(fmt::format("collection_max_bytes is {}; it must be 1024 to 10485760", c.collection_max_bytes));
    }
    if (!(c.max_shard_share > 0.0 && c.max_shard_share <= 1.0)) {
        return bad(fmt::format("max_shard_share is {}; it must be above 0 and at most 1", c.max_shard_share));
    }
    if (c.aggregation_max_bytes < 64 || c.aggregation_max_bytes > max_record_bytes_hard) {
        return bad(fmt::format("aggregation_max_bytes is {}; it must be 64 to 10485760", c.aggregation_max_bytes));
    }
    if (c.aggregation_max_count < 1) return bad("aggregation_max_count is 0; it must be at least 1");
    if (c.rate_limit < 1) return bad(fmt::format("rate_limit is {}%; it must be at least 1", c.rate_limit));
    if (c.record_ttl.count() <= 0) return bad("record_ttl must be positive");
    if (c.max_buffered_time.count() < 0) return bad("max_buffered_time must not be negative");
    if (c.request_timeout.count() <= 0) return bad("request_timeout must be positive");
    if (c.max_in_flight_requests < 1) return bad("max_in_flight_requests is 0; it must be at least 1");
    if (c.buffer_max_bytes < 1024) {
        return bad(fmt::format("buffer_max_bytes is {}; it must be at least 1024", c.buffer_max_bytes));
    }
    if (c.buffer_max_records < 1) return bad("buffer_max_records is 0; it must be at least 1");
    if (c.shard_map_retry_first.count() <= 0 || c.shard_map_retry_max < c.shard_map_retry_first) {
        return bad("shard_map_retry_first must be positive and at most shard_map_retry_max");
    }
    if (c.throttle_backoff_first.count() <= 0 || c.throttle_backoff_max < c.throttle_backoff_first) {
        return bad("throttle_backoff_first must be positive and at most throttle_backoff_max");
    }
    return std::nullopt;
}

inline ClientConfig client_config_for(const ProducerConfig& config) {
    ClientConfig client = config.client;
    // The producer decides on every retry (until each record's TTL); the
    // pipeline below makes one attempt per call.
    client.retry.max_attempts = 1;
    client.request_timeout = config.request_timeout;
    return client;
}

inline std::string error_code_of(const Error& error) {
    if (!error.code.empty()) return error.code;
    return std::string(to_string(error.kind));
}

}  // namespace producer_impl

// ============================================================================
// Construction and shutdown
// ============================================================================

inline ProducerCore::ProducerCore(StreamRef stream, ProducerConfig config)
    : stream_(std::move(stream)),
      config_(std::move(config)),
      clock_(config_.client.clock ? config_.client.clock : SystemClock::instance()),
      refresh_delay_(config_.shard_map_retry_first) {
    if (auto error = producer_impl::check_config(stream_, config_)) throw Exception(std::move(*error));
    // The pipeline's own checks must not be tighter than the producer's: a
    // 10 MiB record or request is the stream's and the config's to allow.
    client_ = std::make_unique<KinesisClient>(
        producer_impl::client_config_for(config_), loop_,
        KinesisLimits{producer_impl::max_record_bytes_hard, config_.collection_max_bytes});
    loop_.post([this] { start_refresh(); });
    thread_ = std::thread([this] { loop_.run(loop_stop_.token()); });
}

inline ProducerCore::~ProducerCore() {
    flush(config_.shutdown_timeout).wait();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        shutting_down_ = true;
    }
    room_cv_.notify_all();
    loop_stop_.request_stop();
    if (thread_.joinable()) thread_.join();
    // The loop is still now: what is left resolves here, on this thread.
    fail_everything("the producer was destroyed before the record was written");
    client_.reset();
}

// ============================================================================
// put(): any thread
// ============================================================================

inline Result<void> ProducerCore::enqueue(std::string data, std::string partition_key,
                                          std::optional<std::string> explicit_hash_key,
                                          Producer::Callback callback) {
    if (auto error = check_partition_key("Producer::put", "partition_key", partition_key)) return std::move(*error);
    UInt128 hash_key;
    if (explicit_hash_key) {
        auto parsed = UInt128::from_decimal(*explicit_hash_key);
        if (!parsed) {
            if (auto error = check_explicit_hash_key("Producer::put", "explicit_hash_key", *explicit_hash_key)) {
                return std::move(*error);
            }
            return invalid_argument("Producer::put: explicit_hash_key is not a hash key");
        }
        hash_key = *parsed;
    } else {
        hash_key = partition_key_hash(partition_key);
    }
    const std::size_t record_bytes = data.size() + partition_key.size();
    const std::size_t key_sizes = partition_key.size() + (explicit_hash_key ? explicit_hash_key->size() : 0);
    const std::size_t charge = producer_impl::record_charge(data.size(), key_sizes);
    const bool data_copied = data.size() <= producer_impl::copied_data_max;
    const std::size_t inbox_charge = producer_impl::inbox_charge((data_copied ? data.size() : 0) + key_sizes);
    const auto now = Steady::now();

    std::unique_lock<std::mutex> lock(mutex_);
    if (record_bytes > max_record_bytes_) {
        return invalid_argument(fmt::format("Producer::put: data plus partition_key is {} bytes; the limit is {}",
                                            record_bytes, max_record_bytes_));
    }
    if (charge + inbox_charge > config_.buffer_max_bytes) {
        return invalid_argument(fmt::format(
            "Producer::put: the record needs {} bytes of buffer; buffer_max_bytes is {}", charge + inbox_charge,
            config_.buffer_max_bytes));
    }
    const auto full = [&] {
        return outstanding_bytes_ + charge + inbox_charge > config_.buffer_max_bytes ||
               outstanding_records_ + 1 > config_.buffer_max_records;
    };
    if (!shutting_down_ && full()) {
        if (config_.when_buffer_full == WhenBufferFull::Fail) {
            return producer_impl::producer_error(
                ErrorKind::Throttled, "BufferFull",
                fmt::format("Producer::put: the buffer is full ({} records, {} of {} bytes); when_buffer_full is Fail",
                            outstanding_records_, outstanding_bytes_, config_.buffer_max_bytes));
        }
        ++waiting_putters_;
        const bool room = room_cv_.wait_for(lock, config_.put_timeout, [&] { return shutting_down_ || !full(); });
        --waiting_putters_;
        if (!room) {
            return producer_impl::producer_error(
                ErrorKind::Throttled, "BufferFull",
                fmt::format("Producer::put: the buffer stayed full for put_timeout ({} ms): {} records, {} of {} bytes",
                            config_.put_timeout.count(), outstanding_records_, outstanding_bytes_,
                            config_.buffer_max_bytes));
        }
    }
    if (shutting_down_) {
        return producer_impl::producer_error(ErrorKind::Stopped, "ProducerShutdown",
                                             "Producer::put: the producer is shutting down");
    }
    producer_impl::Incoming& incoming = inbox_.records.emplace_back();
    incoming.offset = inbox_.bytes.size();
    incoming.data_size = data.size();
    if (data_copied) {
        inbox_.bytes.append(data);
    } else {
        incoming.large_data = std::move(data);
    }
    incoming.key_size = partition_key.size();
    inbox_.bytes.append(partition_key);
    incoming.has_explicit_hash_key = explicit_hash_key.has_value();
    if (explicit_hash_key) {
        incoming.explicit_hash_key_size = explicit_hash_key->size();
        inbox_.bytes.append(*explicit_hash_key);
    }
    incoming.hash_key = hash_key;
    incoming.charge = charge;
    incoming.sequence = ++next_sequence_;
    incoming.arrival = now;
    incoming.callback = std::move(callback);
    outstanding_bytes_ += charge + inbox_charge;
    inbox_charged_ += inbox_charge;
    ++outstanding_records_;
    ++metrics_.user_records_received;
    live_order_.emplace_back(now, false);
    const bool post = !drain_posted_;
    drain_posted_ = true;
    lock.unlock();
    if (post) loop_.post([this] { drain(); });
    return {};
}

// ============================================================================
// Loop thread: routing and aggregation
// ============================================================================

/// A queued record with an incoming record's state (not its bytes).
inline ProducerCore::QueuedRecord ProducerCore::record_from(producer_impl::Incoming& incoming) const {
    QueuedRecord record;
    record.data_size = static_cast<std::uint32_t>(incoming.data_size);
    record.hash_key = incoming.hash_key;
    record.charge = static_cast<std::uint32_t>(incoming.charge);
    record.sequence = incoming.sequence;
    record.arrival = incoming.arrival;
    record.expiry = producer_impl::saturating_add(incoming.arrival, config_.record_ttl);
    record.callback = std::move(incoming.callback);
    return record;
}

inline void ProducerCore::drain() {
    std::size_t drained_charge = 0;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        std::swap(inbox_, draining_);
        drain_posted_ = false;
        drained_charge = inbox_charged_;
        inbox_charged_ = 0;
    }
    const std::string_view bytes = draining_.bytes;
    for (producer_impl::Incoming& incoming : draining_.records) {
        QueuedRecord record = record_from(incoming);
        std::size_t at = incoming.offset;
        producer_impl::RecordBytes view;
        if (incoming.large_data.empty() && incoming.data_size > 0) {
            view.data = bytes.substr(at, incoming.data_size);
            at += incoming.data_size;
        }
        view.partition_key = bytes.substr(at, incoming.key_size);
        at += incoming.key_size;
        if (incoming.has_explicit_hash_key) view.explicit_hash_key = bytes.substr(at, incoming.explicit_hash_key_size);
        if (incoming.large_data.empty()) {
            route(std::move(record), view, false);
        } else {
            record.data = std::move(incoming.large_data);
            record.partition_key = std::string(view.partition_key);
            if (view.explicit_hash_key) record.explicit_hash_key = std::string(*view.explicit_hash_key);
            route(std::move(record));
        }
    }
    draining_.records.clear();
    draining_.bytes.clear();
    // A burst's inbox is not kept: the buffer charges records, not the inbox's capacity.
    constexpr std::size_t kept_capacity = 4 * 1024 * 1024;
    if (draining_.bytes.capacity() > kept_capacity) std::string().swap(draining_.bytes);
    if (draining_.records.capacity() * sizeof(producer_impl::Incoming) > kept_capacity) {
        std::vector<producer_impl::Incoming>().swap(draining_.records);
    }
    if (drained_charge > 0) {
        bool wake = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            outstanding_bytes_ -= std::min(outstanding_bytes_, drained_charge);
            wake = waiting_putters_ > 0;
        }
        if (wake) room_cv_.notify_all();
    }
    pump();
}

inline ProducerCore::ShardState* ProducerCore::shard_for(const UInt128& key) const {
    auto it = std::upper_bound(shards_.begin(), shards_.end(), key,
                               [](const UInt128& k, const std::unique_ptr<ShardState>& s) { return k < s->start; });
    if (it == shards_.begin()) return nullptr;
    ShardState* shard = std::prev(it)->get();
    return shard->holds(key) ? shard : nullptr;
}

inline void ProducerCore::route(QueuedRecord&& record, const producer_impl::RecordBytes& bytes, bool own_bytes) {
    ShardState* shard = map_ready_ ? shard_for(record.hash_key) : nullptr;
    if (!shard) {
        if (!own_bytes) producer_impl::copy_bytes(record, bytes);
        unmapped_.push_back(std::move(record));
        // A gap in the map: a reshard is under way. Wait for the next map.
        if (map_ready_) request_refresh();
        return;
    }
    add_to_shard(*shard, std::move(record), bytes, own_bytes);
}

inline void ProducerCore::add_to_shard(ShardState& shard, QueuedRecord&& record,
                                       const producer_impl::RecordBytes& bytes, bool own_bytes) {
    // An aggregate is one Kinesis record: it must fit the stream's record limit too.
    const std::size_t limit = std::min(config_.aggregation_max_bytes, loop_max_record_bytes_ - 1);
    // A record that alone nearly fills an aggregate goes raw (the 64 bytes
    // cover the magic, the MD5 and the protobuf framing).
    const std::size_t alone_size = bytes.data.size() + bytes.partition_key.size() +
                                   (bytes.explicit_hash_key ? bytes.explicit_hash_key->size() : 0) + 64;
    const bool alone = !config_.aggregation || shard.stale || alone_size > limit;
    if (alone) {
        seal(shard);  // keeps the shard's order
        if (!own_bytes) producer_impl::copy_bytes(record, bytes);
        KinesisEntry entry;
        entry.data = std::move(record.data);
        entry.partition_key = std::move(record.partition_key);
        entry.explicit_hash_key = std::move(record.explicit_hash_key);
        record.explicit_hash_key.reset();
        entry.due = due_of(record);
        entry.expiry = record.expiry;
        entry.members.push_back(std::move(record));
        shard.ready.push_back(std::move(entry));
        return;
    }
    if (!shard.aggregating.empty() && shard.aggregating.size() >= config_.aggregation_max_count) seal(shard);
    // One key lookup: a record that does not fit seals the aggregate and starts the next
    // (alone it fits, by the check above; an empty aggregate takes it whatever its size).
    if (!shard.aggregator.add_if_fits(bytes.partition_key, bytes.explicit_hash_key, bytes.data, limit)) {
        if (!shard.aggregating.empty()) seal(shard);
        shard.aggregator.add(bytes.partition_key, bytes.explicit_hash_key, bytes.data);
    }
    if (shard.aggregating.empty()) {
        // The first keeps its own bytes: an aggregate of one is sent as a plain record.
        if (!own_bytes) producer_impl::copy_bytes(record, bytes);
    } else if (own_bytes) {
        producer_impl::release_bytes(record);
    }
    shard.aggregating.push_back(std::move(record));
}

/// Turns what the shard's aggregator holds into a Kinesis record on its ready
/// queue: raw when it holds one record, else an aggregate whose outer key is
/// "a" with the first record's hash key, so Kinesis puts it on that shard.
inline void ProducerCore::seal(ShardState& shard) {
    if (shard.aggregating.empty()) return;
    KinesisEntry entry;
    entry.members = std::move(shard.aggregating);
    shard.aggregating.clear();
    QueuedRecord& first = entry.members.front();
    if (entry.members.size() == 1) {
        shard.aggregator.clear();
        entry.data = std::move(first.data);
        entry.partition_key = std::move(first.partition_key);
        entry.explicit_hash_key = std::move(first.explicit_hash_key);
        first.explicit_hash_key.reset();
    } else {
        entry.data = shard.aggregator.finish();
        entry.aggregated = true;
        entry.partition_key = "a";
        entry.explicit_hash_key = first.hash_key.to_decimal();
        // The aggregate holds the bytes now (the others' it held from the start).
        producer_impl::release_bytes(first);
    }
    for (QueuedRecord& member : entry.members) {
        entry.due = std::min(entry.due, due_of(member));
        entry.expiry = std::min(entry.expiry, member.expiry);
    }
    // The next aggregate likely holds about as many: room for an eighth more keeps
    // a slightly fuller one from doubling the list, whose spare half nobody is charged for.
    shard.aggregating.reserve(entry.members.size() + entry.members.size() / 8 + 1);
    shard.ready.push_back(std::move(entry));
}

/// Stops aggregating for a shard whose prediction an answer contradicted: what
/// it holds, aggregated or being aggregated, is queued again as raw records,
/// in order, until a refresh tells the new shards.
inline void ProducerCore::mark_stale(ShardState& shard) {
    if (shard.stale || !shard.open) return;
    shard.stale = true;
    seal(shard);
    std::deque<KinesisEntry> ready = std::move(shard.ready);
    shard.ready.clear();
    for (KinesisEntry& entry : ready) {
        if (!entry.aggregated) {
            shard.ready.push_back(std::move(entry));
            continue;
        }
        for (QueuedRecord& record : dissolve(entry)) add_to_shard(shard, std::move(record));
    }
}

/// The user records of an entry with their bytes back, in order.
inline std::vector<ProducerCore::QueuedRecord> ProducerCore::dissolve(KinesisEntry& entry) {
    std::vector<QueuedRecord> records = std::move(entry.members);
    entry.members.clear();
    if (!entry.aggregated) {
        if (!records.empty()) {
            QueuedRecord& record = records.front();
            record.data = std::move(entry.data);
            record.partition_key = std::move(entry.partition_key);
            record.explicit_hash_key = std::move(entry.explicit_hash_key);
            entry.explicit_hash_key.reset();
        }
        return records;
    }
    std::vector<UserRecord> decoded;
    deaggregate(entry.data, entry.partition_key, decoded);
    // We wrote the aggregate, so it decodes to exactly its members.
    for (std::size_t i = 0; i < records.size() && i < decoded.size(); ++i) {
        producer_impl::take_bytes(records[i], decoded[i]);
    }
    return records;
}

/// Packs records (each bound for some shard now) into entries at the front
/// of their shards' ready queues, before anything queued later.
inline void ProducerCore::repack_front(std::vector<QueuedRecord> records) {
    std::vector<std::pair<ShardState*, std::vector<QueuedRecord>>> by_shard;
    std::vector<QueuedRecord> unmapped;
    for (QueuedRecord& record : records) {
        ShardState* shard = map_ready_ ? shard_for(record.hash_key) : nullptr;
        if (!shard) {
            unmapped.push_back(std::move(record));
            continue;
        }
        auto it = std::find_if(by_shard.begin(), by_shard.end(), [&](const auto& p) { return p.first == shard; });
        if (it == by_shard.end()) {
            by_shard.emplace_back(shard, std::vector<QueuedRecord>{});
            it = std::prev(by_shard.end());
        }
        it->second.push_back(std::move(record));
    }
    unmapped_.insert(unmapped_.begin(), std::make_move_iterator(unmapped.begin()),
                     std::make_move_iterator(unmapped.end()));
    for (auto& [shard, group] : by_shard) {
        // Pack into a scratch shard state so that the records' own shard's
        // aggregator (holding newer records) is left alone.
        ShardState scratch;
        scratch.stale = shard->stale;
        for (QueuedRecord& record : group) add_to_shard(scratch, std::move(record));
        seal(scratch);
        for (auto it = scratch.ready.rbegin(); it != scratch.ready.rend(); ++it) {
            it->due = Steady::now();
            shard->ready.push_front(std::move(*it));
        }
    }
}

inline void ProducerCore::requeue_front(ShardState* shard, KinesisEntry entry) {
    if (shard && shard->open && !(shard->stale && entry.aggregated)) {
        entry.due = Steady::now();
        shard->ready.push_front(std::move(entry));
        return;
    }
    repack_front(dissolve(entry));
}

// ============================================================================
// Loop thread: collection into PutRecords, pacing
// ============================================================================

inline void ProducerCore::pump() {
    const auto now = Steady::now();
    sweep_expired(now);
    if (map_ready_) {
        const bool flushing = !flushes_.empty();
        for (auto& shard : shards_) {
            if (!shard->aggregating.empty() && (flushing || due_of(shard->aggregating.front()) <= now)) seal(*shard);
        }
        bool sent = false;
        while (in_flight_.size() < config_.max_in_flight_requests) {
            if (!send_one_request(now)) break;
            sent = true;
        }
        // metrics() shows the calls made (and the buffering times) at once, not when one is answered.
        if (sent) settle_counters();
    }
    // When to look again: the first record to become due, the first shard to
    // come out of backoff or get tokens, the first record to expire.
    SteadyTime next = SteadyTime::max();
    if (!unmapped_.empty()) next = std::min(next, unmapped_.front().expiry);
    for (auto& shard : shards_) {
        if (!shard->aggregating.empty()) {
            next = std::min(next, due_of(shard->aggregating.front()));
            next = std::min(next, shard->aggregating.front().expiry);
        }
        if (shard->ready.empty()) continue;
        const KinesisEntry& front = shard->ready.front();
        next = std::min(next, front.expiry);
        SteadyTime can_send = std::max(front.due, shard->blocked_until);
        const auto tokens = std::max(shard->records_bucket.wait_for(1, now),
                                     shard->bytes_bucket.wait_for(static_cast<double>(front.size()), now));
        can_send = std::max(can_send, now + tokens);
        next = std::min(next, can_send);
    }
    if (next != SteadyTime::max()) schedule_wake(std::max(next, now + std::chrono::milliseconds(1)));
}

inline void ProducerCore::schedule_wake(SteadyTime when) {
    if (wake_timer_ != 0 && when >= wake_at_) return;
    if (wake_timer_ != 0) loop_.cancel(wake_timer_);
    wake_at_ = when;
    const auto delay = when - Steady::now();
    wake_timer_ = loop_.add_timer(std::max(delay, Steady::duration::zero()), [this] {
        wake_timer_ = 0;
        wake_at_ = SteadyTime::max();
        pump();
    });
}

/// Builds and sends one PutRecords from the shards' ready queues. A request is
/// sent when it is full, when it holds a record that is due, or while a flush
/// is on; otherwise its entries go back and it waits for more.
inline bool ProducerCore::send_one_request(SteadyTime now) {
    const bool flushing = !flushes_.empty();
    const std::size_t max_count = config_.collection_max_count;
    const std::size_t max_bytes = config_.collection_max_bytes;
    const auto share_count =
        std::max<std::size_t>(1, static_cast<std::size_t>(static_cast<double>(max_count) * config_.max_shard_share));
    const auto share_bytes =
        std::max<std::size_t>(1, static_cast<std::size_t>(static_cast<double>(max_bytes) * config_.max_shard_share));
    {
        // Look before taking: most turns find nothing due and too little for a full request.
        bool due = flushing;
        std::size_t entries = 0;
        std::size_t approx_bytes = 0;
        for (auto& shard : shards_) {
            if (shard->ready.empty() || shard->blocked_until > now) continue;
            if (config_.max_in_flight_per_shard != 0 && shard->in_flight >= config_.max_in_flight_per_shard) continue;
            if (shard->ready.front().due <= now) due = true;
            entries += shard->ready.size();
            approx_bytes += shard->ready.size() * shard->ready.front().size();
        }
        if (entries == 0) return false;
        if (!due && entries < max_count && approx_bytes < max_bytes) return false;
    }
    producer_impl::InFlightRequest request;
    std::size_t bytes = 0;
    bool has_due = false;
    bool more_waiting = false;  // entries left that would not fit: the request is full
    struct Taken {
        ShardState* shard;
        double bytes;
    };
    std::vector<Taken> taken;
    const std::size_t n = shards_.size();
    for (std::size_t k = 0; k < n && request.entries.size() < max_count; ++k) {
        ShardState* shard = shards_[(round_robin_ + k) % n].get();
        if (shard->ready.empty() || shard->blocked_until > now) continue;
        if (config_.max_in_flight_per_shard != 0 && shard->in_flight >= config_.max_in_flight_per_shard) continue;
        std::size_t shard_count = 0;
        std::size_t shard_bytes = 0;
        while (!shard->ready.empty() && request.entries.size() < max_count) {
            KinesisEntry& front = shard->ready.front();
            const std::size_t size = front.size();
            if (bytes + size > max_bytes || (shard_count > 0 && (shard_count + 1 > share_count ||
                                                                 shard_bytes + size > share_bytes))) {
                more_waiting = true;
                break;
            }
            if (!shard->records_bucket.can_take(1, now) ||
                !shard->bytes_bucket.can_take(static_cast<double>(size), now)) {
                break;
            }
            shard->records_bucket.take(1, now);
            shard->bytes_bucket.take(static_cast<double>(size), now);
            if (front.due <= now || flushing) has_due = true;
            bytes += size;
            ++shard_count;
            shard_bytes += size;
            taken.push_back({shard, static_cast<double>(size)});
            request.shards.push_back(shard);
            request.entries.push_back(std::move(front));
            shard->ready.pop_front();
        }
    }
    if (request.entries.empty()) return false;
    const bool full = request.entries.size() >= max_count || more_waiting;
    if (!has_due && !full) {
        // Not worth a call yet: everything goes back where it was, in order.
        for (std::size_t i = request.entries.size(); i-- > 0;) {
            request.shards[i]->ready.push_front(std::move(request.entries[i]));
            request.shards[i]->records_bucket.give_back(1);
            request.shards[i]->bytes_bucket.give_back(taken[i].bytes);
        }
        return false;
    }
    round_robin_ = n ? (round_robin_ + 1) % n : 0;

    PutRecordsRequest put;
    put.stream = stream_;
    put.records.reserve(request.entries.size());
    std::uint64_t user_records = 0;
    for (std::size_t i = 0; i < request.entries.size(); ++i) {
        KinesisEntry& entry = request.entries[i];
        request.shards[i]->in_flight += 1;
        user_records += entry.members.size();
        for (QueuedRecord& member : entry.members) {
            if (!member.sent) {
                member.sent = true;
                pending_metrics_.buffering_time_ms.add(
                    std::chrono::duration<double, std::milli>(now - member.arrival).count());
            }
        }
        put.records.push_back(
            PutRecordsRequestEntry{std::move(entry.data), std::move(entry.partition_key), std::move(entry.explicit_hash_key)});
    }
    pending_metrics_.kinesis_records_per_put_records.add(static_cast<double>(request.entries.size()));
    pending_metrics_.user_records_per_put_records.add(static_cast<double>(user_records));
    request.start = now;
    request.start_wall = clock_->wall_now();
    const std::uint64_t id = ++next_request_id_;
    client_->put_records_async(put, [this, id](Result<PutRecordsResult> result) { on_answer(id, std::move(result)); });
    // The body is written: the bytes come back to the entries for a retry.
    for (std::size_t i = 0; i < request.entries.size(); ++i) {
        request.entries[i].data = std::move(put.records[i].data);
        request.entries[i].partition_key = std::move(put.records[i].partition_key);
        request.entries[i].explicit_hash_key = std::move(put.records[i].explicit_hash_key);
    }
    in_flight_.emplace(id, std::move(request));
    return true;
}

// ============================================================================
// Loop thread: answers
// ============================================================================

inline void ProducerCore::on_answer(std::uint64_t id, Result<PutRecordsResult> result) {
    auto it = in_flight_.find(id);
    if (it == in_flight_.end()) return;  // failed at shutdown already
    producer_impl::InFlightRequest request = std::move(it->second);
    in_flight_.erase(it);
    const auto now = Steady::now();
    for (ShardState* shard : request.shards) shard->in_flight -= 1;
    const auto duration = std::chrono::duration_cast<std::chrono::microseconds>(now - request.start);
    pending_metrics_.request_time_ms.add(std::chrono::duration<double, std::milli>(duration).count());
    ++pending_metrics_.put_records_calls;

    if (!result) {
        const Error& error = result.error();
        const std::string code = producer_impl::error_code_of(error);
        PutAttempt attempt{request.start_wall, duration, code, error.message};
        ++pending_metrics_.all_errors;
        ++pending_metrics_.errors_by_code[code];
        // The request may have been written before its answer was lost.
        const bool maybe_written = error.kind == ErrorKind::Timeout || error.kind == ErrorKind::Transport;
        ++request_failures_in_a_row_;
        const auto backoff = std::min<std::chrono::milliseconds>(
            config_.throttle_backoff_max,
            config_.throttle_backoff_first * (1LL << std::min(request_failures_in_a_row_ - 1, 16)));
        for (std::size_t i = 0; i < request.entries.size(); ++i) {
            ShardState* shard = request.shards[i];
            shard->blocked_until = std::max(shard->blocked_until, now + backoff);
            if (maybe_written) {
                for (QueuedRecord& member : request.entries[i].members) member.may_be_duplicated = true;
            }
            retry_entry(std::move(request.entries[i]), shard, attempt, error,
                        error.kind == ErrorKind::Throttled);
        }
        settle_counters();
        pump();
        return;
    }
    request_failures_in_a_row_ = 0;
    PutRecordsResult& answer = *result;
    bool mispredicted = false;
    for (std::size_t i = 0; i < request.entries.size(); ++i) {
        KinesisEntry& entry = request.entries[i];
        ShardState* predicted = request.shards[i];
        PutRecordsResultEntry& got = answer.records[i];
        if (got.ok()) {
            predicted->throttles_in_a_row = 0;
            auto put = std::make_shared<KinesisRecordPut>();
            put->shard_id = got.shard_id.value_or(std::string());
            put->sequence_number = got.sequence_number.value_or(std::string());
            put->attempt = PutAttempt{request.start_wall, duration, {}, {}};
            ++pending_metrics_.kinesis_records_put;
            pending_metrics_.kinesis_records_data_put += entry.data.size();
            pending_metrics_.user_records_per_kinesis_record.add(static_cast<double>(entry.members.size()));
            if (put->shard_id != predicted->shard_id) mark_stale(*predicted);
            if (put->shard_id == predicted->shard_id || !entry.aggregated) {
                // A plain record is on the shard Kinesis chose by its own key: nothing to check.
                if (put->shard_id != predicted->shard_id) mispredicted = true;
                succeed_members(entry, put);
                continue;
            }
            mispredicted = true;
            // An aggregate on another shard than predicted: a KCL reader of that
            // shard drops the user records whose keys are outside its range, so
            // only those inside it count as written (the KPL's rule since PR #576).
            unverified_.push_back({std::move(entry), std::move(put)});
            continue;
        }
        const std::string code = got.error_code.value_or("InternalFailure");
        PutAttempt attempt{request.start_wall, duration, code, got.error_message.value_or(std::string())};
        ++pending_metrics_.all_errors;
        ++pending_metrics_.errors_by_code[code];
        const bool throttled = code == "ProvisionedThroughputExceededException";
        Error error = producer_impl::producer_error(throttled ? ErrorKind::Throttled : ErrorKind::Service, code,
                                                    attempt.error_message);
        if (throttled) {
            ++pending_metrics_.throttles_by_shard[predicted->shard_id];
            ++predicted->throttles_in_a_row;
            const auto backoff = std::min<std::chrono::milliseconds>(
                config_.throttle_backoff_max,
                config_.throttle_backoff_first * (1LL << std::min(predicted->throttles_in_a_row - 1, 16)));
            predicted->blocked_until = std::max(predicted->blocked_until, now + backoff);
        }
        retry_entry(std::move(entry), predicted, attempt, error, throttled);
    }
    if (mispredicted) {
        request_refresh();
    } else {
        refresh_delay_ = config_.shard_map_retry_first;
    }
    settle_counters();
    pump();
}

/// An entry that was not written: its records go back to the front of their
/// shard, except those past their TTL (or throttled, with fail_if_throttled).
inline void ProducerCore::retry_entry(KinesisEntry entry, ShardState* predicted, const PutAttempt& attempt,
                                      const Error& error, bool throttled) {
    const auto now = Steady::now();
    bool all_kept = true;
    for (QueuedRecord& member : entry.members) {
        member.attempts.push_back(attempt);
        member.last_error_kind = error.kind;
        if ((throttled && config_.fail_if_throttled) || member.expiry <= now) all_kept = false;
    }
    if (all_kept) {
        pending_metrics_.retries += entry.members.size();
        requeue_front(predicted, std::move(entry));
        return;
    }
    std::vector<QueuedRecord> kept;
    for (QueuedRecord& member : dissolve(entry)) {
        if ((throttled && config_.fail_if_throttled) || member.expiry <= now) {
            Error last = error;
            // A failed call without a service code (a timeout, a lost connection)
            // is named as its attempts are, by its kind.
            last.code = attempt.error_code;
            if (!(throttled && config_.fail_if_throttled)) {
                last.message = fmt::format("record_ttl ({} ms) passed after {} attempts; the last: {}",
                                           config_.record_ttl.count(), member.attempts.size(), error.message);
            }
            fail(member, std::move(last));
        } else {
            ++pending_metrics_.retries;
            kept.push_back(std::move(member));
        }
    }
    if (!kept.empty()) repack_front(std::move(kept));
}

// ============================================================================
// Loop thread: resolution
// ============================================================================

inline void ProducerCore::succeed(QueuedRecord& record, const std::shared_ptr<const KinesisRecordPut>& put,
                                  std::optional<std::uint64_t> sub_sequence) {
    ++pending_metrics_.user_records_put;
    pending_metrics_.user_records_data_put += record.data_size;
    const PutOutcome outcome =
        OutcomeAccess::written(put, std::move(record.attempts), sub_sequence, record.may_be_duplicated);
    resolve(record, outcome);
}

/// Every member of a written entry. They share one outcome, changed between the
/// callbacks in what is their own: no allocation or reference count per record.
inline void ProducerCore::succeed_members(KinesisEntry& entry, const std::shared_ptr<const KinesisRecordPut>& put) {
    PutOutcome outcome = OutcomeAccess::written(put, {}, std::nullopt, false);
    std::uint64_t sub = 0;
    for (QueuedRecord& member : entry.members) {
        ++pending_metrics_.user_records_put;
        pending_metrics_.user_records_data_put += member.data_size;
        OutcomeAccess::set_member(outcome, std::move(member.attempts),
                                  entry.aggregated ? std::optional<std::uint64_t>(sub) : std::nullopt,
                                  member.may_be_duplicated);
        resolve(member, outcome);
        ++sub;
    }
}

inline void ProducerCore::fail(QueuedRecord& record, Error error) {
    ++pending_metrics_.user_records_failed;
    const PutOutcome outcome =
        OutcomeAccess::failed(std::move(error), std::move(record.attempts), record.may_be_duplicated);
    resolve(record, outcome);
}

inline void ProducerCore::resolve(QueuedRecord& record, const PutOutcome& outcome) {
    pending_metrics_.retries_per_record.add(
        static_cast<double>(outcome.attempt_count() > 0 ? outcome.attempt_count() - 1 : 0));
    if (record.callback) {
        try {
            record.callback(outcome);
        } catch (...) {
            // A throwing callback must not take the I/O thread down with every other record.
        }
    }
    for (auto it = flushes_.begin(); it != flushes_.end();) {
        FlushState& flush = *it->state;
        if (record.sequence <= flush.up_to_sequence && flush.remaining > 0 && --flush.remaining == 0) {
            // Completed once the counters are settled, so that metrics() read
            // after the flush includes every record it waited for.
            if (it->timer) loop_.cancel(it->timer);
            flushes_done_.push_back(std::move(it->state));
            it = flushes_.erase(it);
            continue;
        }
        ++it;
    }
    released_bytes_ += record.charge;
    ++released_records_;
    resolved_sequences_.push_back(record.sequence);
}

inline void ProducerCore::settle_counters() {
    bool wake = false;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        outstanding_bytes_ -= std::min(outstanding_bytes_, released_bytes_);
        outstanding_records_ -= std::min(outstanding_records_, released_records_);
        wake = waiting_putters_ > 0 && (released_bytes_ > 0 || released_records_ > 0);
        auto& m = metrics_;
        const auto& p = pending_metrics_;
        m.user_records_put += p.user_records_put;
        m.user_records_data_put += p.user_records_data_put;
        m.user_records_failed += p.user_records_failed;
        m.kinesis_records_put += p.kinesis_records_put;
        m.kinesis_records_data_put += p.kinesis_records_data_put;
        m.put_records_calls += p.put_records_calls;
        m.retries += p.retries;
        m.all_errors += p.all_errors;
        m.shard_map_refreshes += p.shard_map_refreshes;
        for (const auto& [code, n] : p.errors_by_code) m.errors_by_code[code] += n;
        for (const auto& [shard, n] : p.throttles_by_shard) m.throttles_by_shard[shard] += n;
        const auto merge = [](Distribution& into, const Distribution& from) {
            if (from.count == 0) return;
            if (into.count == 0 || from.min < into.min) into.min = from.min;
            if (into.count == 0 || from.max > into.max) into.max = from.max;
            into.count += from.count;
            into.sum += from.sum;
        };
        merge(m.retries_per_record, p.retries_per_record);
        merge(m.buffering_time_ms, p.buffering_time_ms);
        merge(m.request_time_ms, p.request_time_ms);
        merge(m.user_records_per_kinesis_record, p.user_records_per_kinesis_record);
        merge(m.kinesis_records_per_put_records, p.kinesis_records_per_put_records);
        merge(m.user_records_per_put_records, p.user_records_per_put_records);
        for (const std::uint64_t sequence : resolved_sequences_) {
            const std::uint64_t index = sequence - live_base_;
            if (index < live_order_.size()) live_order_[index].second = true;
        }
        while (!live_order_.empty() && live_order_.front().second) {
            live_order_.pop_front();
            ++live_base_;
        }
    }
    resolved_sequences_.clear();
    released_bytes_ = 0;
    released_records_ = 0;
    pending_metrics_ = ProducerMetrics{};
    if (wake) room_cv_.notify_all();
    std::vector<std::shared_ptr<FlushState>> done = std::move(flushes_done_);
    flushes_done_.clear();
    for (auto& state : done) OutcomeAccess::finish(*state, FlushResult{true, 0});
}

inline void ProducerCore::sweep_expired(SteadyTime now) {
    const auto expired_error = [this](const QueuedRecord& record) {
        if (!record.attempts.empty()) {
            const PutAttempt& last = record.attempts.back();
            return producer_impl::producer_error(
                record.last_error_kind, last.error_code,
                fmt::format("record_ttl ({} ms) passed after {} attempts; the last: {}", config_.record_ttl.count(),
                            record.attempts.size(), last.error_message));
        }
        return producer_impl::producer_error(
            ErrorKind::Timeout, "Expired",
            fmt::format("record_ttl ({} ms) passed before the record could be sent", config_.record_ttl.count()));
    };
    bool any = false;
    while (!unmapped_.empty() && unmapped_.front().expiry <= now) {
        QueuedRecord record = std::move(unmapped_.front());
        unmapped_.pop_front();
        fail(record, expired_error(record));
        any = true;
    }
    for (auto& shard : shards_) {
        // Entries are roughly in arrival order: look at the front only.
        while (!shard->ready.empty() && shard->ready.front().expiry <= now) {
            KinesisEntry entry = std::move(shard->ready.front());
            shard->ready.pop_front();
            std::vector<QueuedRecord> kept;
            for (QueuedRecord& member : dissolve(entry)) {
                if (member.expiry <= now) {
                    fail(member, expired_error(member));
                } else {
                    kept.push_back(std::move(member));
                }
            }
            if (!kept.empty()) repack_front(std::move(kept));
            any = true;
        }
    }
    if (any) settle_counters();
}

// ============================================================================
// Loop thread: the shard map
// ============================================================================

inline void ProducerCore::request_refresh() {
    if (refreshing_) {
        refresh_wanted_ = true;
        return;
    }
    if (refresh_timer_ != 0) return;
    const auto now = Steady::now();
    if (now >= next_refresh_allowed_) {
        start_refresh();
        return;
    }
    refresh_timer_ = loop_.add_timer(next_refresh_allowed_ - now, [this] {
        refresh_timer_ = 0;
        start_refresh();
    });
}

inline void ProducerCore::start_refresh() {
    if (refreshing_) return;
    refreshing_ = true;
    refresh_wanted_ = false;
    if (!map_ready_) {
        // The stream's record size limit, once: a stream may allow up to 10 MiB.
        client_->describe_stream_summary_async(stream_, [this](Result<StreamDescriptionSummary> summary) {
            if (summary && summary->max_record_size_kib) {
                loop_max_record_bytes_ = static_cast<std::size_t>(*summary->max_record_size_kib) * 1024;
                std::lock_guard<std::mutex> lock(mutex_);
                max_record_bytes_ = loop_max_record_bytes_;
            }
        });
    }
    list_page(std::nullopt, {});
}

inline void ProducerCore::list_page(std::optional<std::string> next_token, std::vector<Shard> collected) {
    ListShardsRequest request;
    if (next_token) {
        request.next_token = std::move(next_token);
    } else {
        request.stream = stream_;
    }
    client_->list_shards_async(request, [this, collected = std::move(collected)](
                                            Result<ListShardsResult> page) mutable {
        if (!page) {
            refresh_failed(page.error());
            return;
        }
        for (Shard& shard : page->shards) collected.push_back(std::move(shard));
        if (page->next_token) {
            list_page(std::move(page->next_token), std::move(collected));
            return;
        }
        install_map(std::move(collected));
    });
}

inline void ProducerCore::refresh_failed(const Error& error) {
    refreshing_ = false;
    ++pending_metrics_.all_errors;
    ++pending_metrics_.errors_by_code[producer_impl::error_code_of(error)];
    settle_counters();
    next_refresh_allowed_ = Steady::now() + refresh_delay_;
    refresh_delay_ = std::min(config_.shard_map_retry_max,
                              std::chrono::duration_cast<std::chrono::milliseconds>(refresh_delay_ * 1.5));
    request_refresh();
}

inline void ProducerCore::install_map(std::vector<Shard> shards) {
    refreshing_ = false;
    ++pending_metrics_.shard_map_refreshes;
    auto map = ShardMap::from_shards(std::move(shards));
    if (!map || map->empty()) {
        refresh_failed(map ? producer_impl::producer_error(ErrorKind::Service, "NoOpenShards",
                                                           "ListShards listed no open shard")
                           : map.error());
        return;
    }
    const auto now = Steady::now();
    next_refresh_allowed_ = now + refresh_delay_;
    refresh_delay_ = std::min(config_.shard_map_retry_max,
                              std::chrono::duration_cast<std::chrono::milliseconds>(refresh_delay_ * 1.5));

    // Everything queued goes back to user records, in order, to be packed for its new shard.
    std::vector<QueuedRecord> queued;
    std::unordered_map<std::string, std::unique_ptr<ShardState>> old;
    for (auto& shard : shards_) {
        for (KinesisEntry& entry : shard->ready) {
            for (QueuedRecord& record : dissolve(entry)) queued.push_back(std::move(record));
        }
        shard->ready.clear();
        if (!shard->aggregating.empty()) {
            KinesisEntry partial;
            seal(*shard);
            partial = std::move(shard->ready.back());
            shard->ready.clear();
            for (QueuedRecord& record : dissolve(partial)) queued.push_back(std::move(record));
        }
        old.emplace(shard->shard_id, std::move(shard));
    }
    shards_.clear();
    const double rate = rate_factor();
    for (const Shard& listed : map->shards()) {
        auto it = old.find(listed.shard_id);
        std::unique_ptr<ShardState> state;
        if (it != old.end()) {
            state = std::move(it->second);
            old.erase(it);
        } else {
            state = std::make_unique<ShardState>();
            state->shard_id = listed.shard_id;
            state->records_bucket = TokenBucket(1000.0 * rate, 1000.0 * rate, now);
            state->bytes_bucket = TokenBucket(1048576.0 * rate, 1048576.0 * rate, now);
        }
        state->start = UInt128::from_decimal(listed.hash_key_range.starting_hash_key).value_or(UInt128{});
        state->end = UInt128::from_decimal(listed.hash_key_range.ending_hash_key).value_or(UInt128{});
        state->open = true;
        state->stale = false;
        shards_.push_back(std::move(state));
    }
    for (auto& [id, shard] : old) {
        shard->open = false;
        if (shard->in_flight > 0) retired_.push_back(std::move(shard));
    }
    retired_.erase(std::remove_if(retired_.begin(), retired_.end(),
                                  [](const std::unique_ptr<ShardState>& s) { return s->in_flight == 0; }),
                   retired_.end());
    map_ready_ = true;

    // Aggregates written to a shard we did not know: now we may.
    std::vector<producer_impl::Unverified> unverified = std::move(unverified_);
    unverified_.clear();
    for (auto& item : unverified) {
        const ShardState* actual = nullptr;
        for (auto& shard : shards_) {
            if (shard->shard_id == item.put->shard_id) actual = shard.get();
        }
        for (auto& shard : retired_) {
            if (shard->shard_id == item.put->shard_id) actual = shard.get();
        }
        std::vector<QueuedRecord> resend;
        std::vector<UserRecord> decoded;  // the bytes of those sent again are in the aggregate
        std::uint64_t sub = 0;
        for (QueuedRecord& member : item.entry.members) {
            if (actual && actual->holds(member.hash_key)) {
                succeed(member, item.put, sub);
            } else {
                if (decoded.empty()) deaggregate(item.entry.data, item.entry.partition_key, decoded);
                // We wrote the aggregate, so it decodes to exactly its members.
                if (sub < decoded.size()) producer_impl::take_bytes(member, decoded[sub]);
                member.may_be_duplicated = true;  // in the stream, though a KCL reader skips it
                resend.push_back(std::move(member));
            }
            ++sub;
        }
        if (!resend.empty()) {
            pending_metrics_.retries += resend.size();
            repack_front(std::move(resend));
        }
    }

    std::deque<QueuedRecord> waiting = std::move(unmapped_);
    unmapped_.clear();
    for (QueuedRecord& record : queued) route(std::move(record));
    for (QueuedRecord& record : waiting) route(std::move(record));
    settle_counters();
    if (refresh_wanted_) request_refresh();
    pump();
}

// ============================================================================
// Flush and shutdown
// ============================================================================

inline FlushHandle ProducerCore::flush(std::chrono::milliseconds deadline) {
    auto state = std::make_shared<FlushState>();
    {
        std::lock_guard<std::mutex> lock(mutex_);
        state->up_to_sequence = next_sequence_;
        if (outstanding_records_ == 0) {
            state->done = true;
            state->result = FlushResult{true, 0};
            return OutcomeAccess::flush_handle(state);
        }
    }
    FlushHandle handle = OutcomeAccess::flush_handle(state);
    // A timer far beyond any real wait, not an overflow, for milliseconds::max().
    deadline = std::min<std::chrono::milliseconds>(deadline, std::chrono::hours(24 * 365));
    loop_.post([this, state, deadline] {
        begin_flush(state);
        if (!state->done) {
            for (auto& flush : flushes_) {
                if (flush.state == state) {
                    flush.timer = loop_.add_timer(deadline, [this, state] { end_flush(state, false); });
                }
            }
        }
    });
    return handle;
}

inline void ProducerCore::begin_flush(std::shared_ptr<FlushState> state) {
    drain();  // the records put before the flush may still be in the inbox
    std::size_t remaining = 0;
    for_each_live([&](std::uint64_t sequence) {
        if (sequence <= state->up_to_sequence) ++remaining;
    });
    state->remaining = remaining;
    if (remaining == 0) {
        OutcomeAccess::finish(*state, FlushResult{true, 0});
        return;
    }
    flushes_.push_back({std::move(state), 0});
    pump();
}

inline void ProducerCore::end_flush(const std::shared_ptr<FlushState>& state, bool complete) {
    auto it = std::find_if(flushes_.begin(), flushes_.end(), [&](const auto& f) { return f.state == state; });
    if (it == flushes_.end()) return;
    const std::size_t left = state->remaining;
    flushes_.erase(it);
    OutcomeAccess::finish(*state, FlushResult{complete, left});
}

template <class F>
void ProducerCore::for_each_live(F&& f) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        for (const producer_impl::Incoming& incoming : inbox_.records) f(incoming.sequence);
    }
    for (QueuedRecord& record : unmapped_) f(record.sequence);
    const auto each_shard = [&](ShardState& shard) {
        for (QueuedRecord& record : shard.aggregating) f(record.sequence);
        for (KinesisEntry& entry : shard.ready) {
            for (QueuedRecord& record : entry.members) f(record.sequence);
        }
    };
    for (auto& shard : shards_) each_shard(*shard);
    for (auto& shard : retired_) each_shard(*shard);
    for (auto& [id, request] : in_flight_) {
        for (KinesisEntry& entry : request.entries) {
            for (QueuedRecord& record : entry.members) f(record.sequence);
        }
    }
    for (auto& item : unverified_) {
        for (QueuedRecord& record : item.entry.members) f(record.sequence);
    }
}

inline void ProducerCore::fail_everything(const std::string& why) {
    producer_impl::Inbox inbox;
    {
        std::lock_guard<std::mutex> lock(mutex_);
        std::swap(inbox, inbox_);
        outstanding_bytes_ -= std::min(outstanding_bytes_, inbox_charged_);
        inbox_charged_ = 0;
    }
    const auto shutdown_error = [&] {
        return producer_impl::producer_error(ErrorKind::Stopped, "ProducerShutdown", why);
    };
    for (producer_impl::Incoming& incoming : inbox.records) {
        QueuedRecord record = record_from(incoming);
        fail(record, shutdown_error());
    }
    for (QueuedRecord& record : unmapped_) fail(record, shutdown_error());
    unmapped_.clear();
    const auto each_shard = [&](ShardState& shard) {
        for (QueuedRecord& record : shard.aggregating) fail(record, shutdown_error());
        shard.aggregating.clear();
        for (KinesisEntry& entry : shard.ready) {
            for (QueuedRecord& record : entry.members) fail(record, shutdown_error());
        }
        shard.ready.clear();
    };
    for (auto& shard : shards_) each_shard(*shard);
    for (auto& shard : retired_) each_shard(*shard);
    for (auto& [id, request] : in_flight_) {
        for (KinesisEntry& entry : request.entries) {
            for (QueuedRecord& record : entry.members) {
                record.may_be_duplicated = true;  // sent; the answer never came
                Error error = shutdown_error();
                error.message += " (its PutRecords call was still in flight: it may have been written)";
                fail(record, std::move(error));
            }
        }
    }
    in_flight_.clear();
    // Written, on a shard the map never showed: count them as written.
    for (auto& item : unverified_) {
        std::uint64_t sub = 0;
        for (QueuedRecord& record : item.entry.members) succeed(record, item.put, sub++);
    }
    unverified_.clear();
    for (auto& flush : flushes_) OutcomeAccess::finish(*flush.state, FlushResult{false, flush.state->remaining});
    flushes_.clear();
    settle_counters();
}

inline ProducerMetrics ProducerCore::metrics() const {
    std::lock_guard<std::mutex> lock(mutex_);
    ProducerMetrics m = metrics_;
    m.user_records_pending = outstanding_records_;
    m.outstanding_bytes = outstanding_bytes_;
    if (!live_order_.empty()) {
        m.oldest_record_age =
            std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - live_order_.front().first);
    }
    return m;
}

}  // namespace kinesis::detail

namespace kinesis {

KINESIS_DECL Producer::Producer(StreamRef stream, ProducerConfig config)
    : core_(std::make_unique<detail::ProducerCore>(std::move(stream), std::move(config))) {}

KINESIS_DECL Producer::~Producer() = default;

KINESIS_DECL Result<PutHandle> Producer::put(std::string data, std::string partition_key,
                                             std::optional<std::string> explicit_hash_key) {
    auto state = std::make_shared<detail::PutHandleState>();
    state->until_resolved = state;
    detail::PutHandleState* resolving = state.get();
    auto queued = core_->enqueue(std::move(data), std::move(partition_key), std::move(explicit_hash_key),
                                 [resolving](const PutOutcome& outcome) {
                                     // Called once: the state lives until resolve() has notified.
                                     const auto keep = std::move(resolving->until_resolved);
                                     detail::OutcomeAccess::resolve(*resolving, outcome);
                                 });
    if (!queued) {
        state->until_resolved.reset();  // nothing was queued: the callback is never called
        return queued.error();
    }
    return detail::OutcomeAccess::handle(std::move(state));
}

KINESIS_DECL Result<void> Producer::put(std::string data, std::string partition_key,
                                        std::optional<std::string> explicit_hash_key, Callback on_done) {
    return core_->enqueue(std::move(data), std::move(partition_key), std::move(explicit_hash_key),
                          std::move(on_done));
}

KINESIS_DECL FlushHandle Producer::flush(std::chrono::milliseconds deadline) { return core_->flush(deadline); }

KINESIS_DECL ProducerMetrics Producer::metrics() const { return core_->metrics(); }

KINESIS_DECL const StreamRef& Producer::stream() const noexcept { return core_->stream(); }

}  // namespace kinesis
