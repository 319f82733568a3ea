// SPDX-License-Identifier: Apache-2.0
// Which leases a shard listing adds to the table (the KCL's HierarchicalShardSyncer, without I/O).
#ifndef KINESIS_CONSUMER_SHARD_SYNC_HPP
#define KINESIS_CONSUMER_SHARD_SYNC_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/consumer/config.hpp>
#include <kinesis/consumer/lease.hpp>
#include <kinesis/streams/model.hpp>

#include <vector>

namespace kinesis {

/// The lease a new shard gets: no owner, counter 0, its parents and hash
/// range, and `checkpoint` as its start.
[[nodiscard]] KINESIS_DECL Lease new_lease_for_shard(const Shard& shard, ExtendedSequenceNumber checkpoint);

/// The leases to create for the shards of a listing that have none, given
/// the table's leases:
/// - a shard with a descendant (child, grandchild, ...) that has a lease gets
///   none: its lineage is being or has been read past it (a finished parent
///   whose lease was deleted is not read again);
/// - a shard whose parent has, or gets here, a lease starts at TRIM_HORIZON,
///   so a child is read from its first record once its parents end;
/// - the others (the oldest shards of the listing) start at the initial
///   position; with InitialPosition::Latest closed ones get no lease at all
///   (nothing of them is after "now"), as the KCL does.
/// Ordered as the listing.
[[nodiscard]] KINESIS_DECL std::vector<Lease> plan_new_leases(const std::vector<Shard>& shards,
                                                              const std::vector<Lease>& leases,
                                                              InitialPosition initial_position);

/// The checkpoint sentinel of an initial position.
[[nodiscard]] KINESIS_DECL ExtendedSequenceNumber initial_checkpoint(InitialPosition position);

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/consumer/impl/shard_sync.inl.hpp>
#endif

#endif  // KINESIS_CONSUMER_SHARD_SYNC_HPP
