// SPDX-License-Identifier: Apache-2.0
// One row of a KCL 2.x lease table, as DynamoDBLeaseSerializer reads and writes it.
#ifndef KINESIS_CONSUMER_LEASE_HPP
#define KINESIS_CONSUMER_LEASE_HPP

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

/// A checkpoint as the KCL keeps it: `checkpoint` (S) and
/// `checkpointSubSequenceNumber` (N). The sequence number is a Kinesis
/// sequence number in decimal or one of the four sentinels below, spelled as
/// the KCL's SentinelCheckpoint names them. A sentinel has sub-sequence 0.
struct ExtendedSequenceNumber {
    std::string sequence_number;
    std::uint64_t sub_sequence_number = 0;

    /// "TRIM_HORIZON": start at the oldest record (a new lease's usual start).
    [[nodiscard]] static ExtendedSequenceNumber trim_horizon() { return {"TRIM_HORIZON", 0}; }
    /// "LATEST": start after the newest record.
    [[nodiscard]] static ExtendedSequenceNumber latest() { return {"LATEST", 0}; }
    /// "AT_TIMESTAMP": start at the configured time.
    [[nodiscard]] static ExtendedSequenceNumber at_timestamp() { return {"AT_TIMESTAMP", 0}; }
    /// "SHARD_END": the shard is closed and every record of it was processed.
    [[nodiscard]] static ExtendedSequenceNumber shard_end() { return {"SHARD_END", 0}; }

    /// Whether the sequence number is one of the four sentinels.
    [[nodiscard]] bool is_sentinel() const noexcept {
        return sequence_number == "TRIM_HORIZON" || sequence_number == "LATEST" ||
               sequence_number == "AT_TIMESTAMP" || sequence_number == "SHARD_END";
    }
    /// Whether the sequence number is SHARD_END (any sub-sequence number).
    [[nodiscard]] bool is_shard_end() const noexcept { return sequence_number == "SHARD_END"; }

    /// Both fields equal, as the KCL's ExtendedSequenceNumber.equals.
    friend bool operator==(const ExtendedSequenceNumber& a, const ExtendedSequenceNumber& b) noexcept {
        return a.sequence_number == b.sequence_number && a.sub_sequence_number == b.sub_sequence_number;
    }
    friend bool operator!=(const ExtendedSequenceNumber& a, const ExtendedSequenceNumber& b) noexcept {
        return !(a == b);
    }
};

/// The hash key range a lease covers: `startingHashKey` and `endingHashKey`,
/// decimal strings. The KCL keeps a range only when both attributes are present.
struct LeaseHashKeyRange {
    std::string starting_hash_key;
    std::string ending_hash_key;
};

/// One row of the lease table, keyed by `leaseKey` (the shard id). A plain
/// value: the lease as a scan saw it, with the attribute names and types of
/// the KCL's DynamoDBLeaseSerializer given beside each field. Rows of another
/// entity type (KCL 3.x) come through too, marked by `entity_type`; the
/// lease policy skips them and nothing ever takes, renews or deletes them.
struct Lease {
    /// `leaseKey` (S), the table's hash key: the shard id.
    std::string lease_key;
    /// `leaseOwner` (S): the worker id holding the lease; empty when unassigned.
    std::optional<std::string> lease_owner;
    /// `leaseCounter` (N): incremented by every renewal and take; every write
    /// on the lease is conditional on the value last seen.
    std::uint64_t lease_counter = 0;
    /// `checkpoint` (S) and `checkpointSubSequenceNumber` (N). The KCL always
    /// writes both; an empty sequence number means the row had none.
    ExtendedSequenceNumber checkpoint;
    /// `ownerSwitchesSinceCheckpoint` (N): owner changes since the last checkpoint.
    std::uint64_t owner_switches_since_checkpoint = 0;
    /// `parentShardId` (SS): empty when absent; an empty set is never written.
    std::vector<std::string> parent_shard_ids;
    /// `childShardIds` (SS): empty when absent; an empty set is never written.
    std::vector<std::string> child_shard_ids;
    /// `startingHashKey` and `endingHashKey` (S, decimal), when both are present.
    std::optional<LeaseHashKeyRange> hash_key_range;
    /// `pendingCheckpoint` (S) and `pendingCheckpointSubSequenceNumber` (N),
    /// read and kept when present (a two-phase checkpoint in progress).
    std::optional<ExtendedSequenceNumber> pending_checkpoint;
    /// `pendingCheckpointState` (B), raw bytes, read and kept when present.
    std::optional<std::string> pending_checkpoint_state;
    /// `throughputKBps` (N), written by KCL 3.x renewers; kept when present.
    std::optional<double> throughput_kbps;
    /// `checkpointOwner` (S), KCL 3.x graceful hand-off; kept when present.
    std::optional<std::string> checkpoint_owner;
    /// `entityType` (S): absent on rows written before KCL 3.x, "LEASE" on
    /// leases since; any other value marks a row that is not a lease.
    std::optional<std::string> entity_type;

    /// Whether the row is a lease: no `entityType`, or `entityType` "LEASE"
    /// (DynamoDBLeaseSerializer.fromDynamoRecord answers null for the rest).
    [[nodiscard]] bool is_lease() const noexcept { return !entity_type || *entity_type == "LEASE"; }
};

}  // namespace kinesis

#endif  // KINESIS_CONSUMER_LEASE_HPP
