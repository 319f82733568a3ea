// SPDX-License-Identifier: Apache-2.0
// How a Consumer reads, leases and shuts down; KCL 2.x defaults.
#ifndef KINESIS_CONSUMER_CONFIG_HPP
#define KINESIS_CONSUMER_CONFIG_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/core/time.hpp>
#include <kinesis/consumer/lease_policy.hpp>
#include <kinesis/streams/shard_reader.hpp>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace kinesis {

/// Where a shard that has no checkpoint yet starts (the KCL's InitialPositionInStream).
enum class InitialPosition {
    TrimHorizon,  ///< the oldest record the shard holds
    Latest,       ///< records written after the lease is first read
    AtTimestamp,  ///< records that arrived at or after ConsumerConfig::initial_timestamp
};

/// The call a Consumer lists the stream's shards with.
enum class ShardListing {
    ListShards,      ///< kinesis:ListShards, as the KCL 2.x does
    DescribeStream,  ///< kinesis:DescribeStream, for policies written for it (the KCL 1.x's call)
};

/// Every field has a working default; the lease timings are the KCL 2.x ones.
struct ConsumerConfig {
    /// Region, endpoint, credentials, TLS for the Kinesis calls. Its stop
    /// token, when set, shuts the Consumer down gracefully (as shutdown()).
    ClientConfig client;
    /// This worker's id in the lease table (`leaseOwner`); unique per running
    /// process. Empty: "<host name>:<process id>".
    std::string worker_id;
    /// Failover time, renewal and taking, as the KCL's LeaseManagementConfig.
    LeaseConfig lease;
    /// Where a new lease starts. A lease's checkpoint always wins over it;
    /// child shards of a resharding start at TRIM_HORIZON, so nothing between
    /// the parent's end and the child's start is skipped.
    InitialPosition initial_position = InitialPosition::TrimHorizon;
    /// With InitialPosition::AtTimestamp (required then).
    std::optional<Timestamp> initial_timestamp;
    /// GetRecords pacing per shard.
    ShardReaderOptions reader;
    /// Bytes of user-record data read ahead of the processor per shard. The
    /// shard's reads wait while this much is queued, so a slow processor
    /// slows its own shard's reads, not memory (one batch may exceed it when
    /// nothing else is queued).
    std::size_t max_prefetch_bytes = 8 * 1024 * 1024;
    /// Batches read ahead of the processor per shard, whatever their size.
    std::size_t max_prefetch_batches = 3;
    /// Which call lists the shards (at start and at each shard sync): a
    /// principal allowed DescribeStream but not ListShards reads the stream too.
    ShardListing shard_listing = ShardListing::ListShards;
    /// How often the stream's shards are listed to add leases for new shards
    /// (the KCL's shardSyncIntervalMillis). A shard that ends here adds its
    /// children's leases at once.
    std::chrono::milliseconds shard_sync_interval = std::chrono::seconds(60);
    /// How often a held lease waiting for its parents re-reads the table
    /// (the KCL's parentShardPollIntervalMillis).
    std::chrono::milliseconds parent_shard_poll_interval = std::chrono::seconds(10);
    /// How long after shard_ended without a SHARD_END checkpoint it is called again.
    std::chrono::milliseconds shard_end_retry = std::chrono::seconds(1);
    /// shutdown(): how long processors get to finish and checkpoint before
    /// the leases are released anyway.
    std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(20);
};

/// Checks a ConsumerConfig before anything starts; InvalidArgument names the field.
[[nodiscard]] KINESIS_DECL Result<void> validate(const ConsumerConfig& config);

/// The worker id used when none is configured: "<host name>:<process id>".
[[nodiscard]] KINESIS_DECL std::string default_worker_id();

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/consumer/impl/config.inl.hpp>
#endif

#endif  // KINESIS_CONSUMER_CONFIG_HPP
