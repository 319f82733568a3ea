// SPDX-License-Identifier: Apache-2.0
// A Consumer's counters: per shard, and for its leases and checkpoints.
#ifndef KINESIS_CONSUMER_METRICS_HPP
#define KINESIS_CONSUMER_METRICS_HPP

#include <kinesis/consumer/lease.hpp>
#include <kinesis/producer/metrics.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace kinesis {

/// One shard's counters, kept after its lease is gone (counted since the Consumer started).
struct ShardConsumerMetrics {
    /// User records read from the shard: processed, or waiting in the
    /// prefetch buffer (bounded by ConsumerConfig::max_prefetch_*).
    std::uint64_t records_read = 0;
    std::uint64_t records_processed = 0;  ///< user records handed to process_records
    std::uint64_t bytes_processed = 0;    ///< their data bytes
    /// User records of an aggregate whose hash key lies outside the shard's
    /// range. They are delivered all the same (the KCL drops the whole
    /// aggregate); the count tells a producer that mixed shards.
    std::uint64_t records_outside_shard_range = 0;
    std::optional<std::chrono::milliseconds> millis_behind_latest;  ///< of the last batch read
    ExtendedSequenceNumber last_checkpoint;  ///< as written or read
    bool shard_ended = false;                ///< SHARD_END checkpointed here
};

/// A snapshot, taken by Consumer::metrics() at any time from any thread.
struct ConsumerMetrics {
    std::string worker_id;
    std::vector<std::string> held_leases;  ///< shard ids this worker holds now, sorted
    std::map<std::string, ShardConsumerMetrics> shards;
    std::uint64_t leases_taken = 0;    ///< takes of unowned or expired leases
    std::uint64_t leases_stolen = 0;   ///< takes of live leases from the most loaded worker
    std::uint64_t leases_lost = 0;     ///< leases found taken by another worker, or expired unrenewed
    std::uint64_t leases_released = 0; ///< given up at shutdown
    std::uint64_t leases_created = 0;  ///< rows added for new shards
    std::uint64_t leases_deleted = 0;  ///< finished parents removed
    std::uint64_t renewals = 0;
    std::uint64_t renewal_errors = 0;  ///< failed renewals other than a lost lease
    std::uint64_t checkpoints = 0;     ///< written
    std::uint64_t checkpoint_errors = 0;  ///< refused or failed
    std::uint64_t processor_errors = 0;   ///< exceptions thrown by processor callbacks
    std::uint64_t read_errors = 0;        ///< GetRecords / GetShardIterator calls that failed
    std::uint64_t lease_table_errors = 0; ///< scans, creations and deletions that failed
    std::uint64_t shard_syncs = 0;        ///< ListShards rounds completed
    Distribution checkpoint_latency_ms;   ///< one conditional checkpoint write
};

}  // namespace kinesis

#endif  // KINESIS_CONSUMER_METRICS_HPP
