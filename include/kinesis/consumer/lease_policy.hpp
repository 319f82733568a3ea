// SPDX-License-Identifier: Apache-2.0
// The KCL 2.x lease rules with no I/O: local expiry, fair share, taking, stealing, shard order.
#ifndef KINESIS_CONSUMER_LEASE_POLICY_HPP
#define KINESIS_CONSUMER_LEASE_POLICY_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/consumer/lease.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kinesis {

/// The knobs of the KCL 2.x lease coordinator, with its defaults
/// (LeaseManagementConfig).
struct LeaseConfig {
    /// A lease whose counter has not moved for this long, on this worker's
    /// clock, is expired (failoverTimeMillis).
    std::chrono::milliseconds failover_time{10000};
    /// Slack subtracted from the renewal interval and added to the taker's
    /// (epsilonMillis).
    std::chrono::milliseconds epsilon{25};
    /// This worker never holds more than this many leases; the fair share is
    /// capped by it (maxLeasesForWorker). At least 1.
    std::size_t max_leases_for_worker = std::numeric_limits<std::size_t>::max();
    /// Leases stolen from the most loaded worker in one round
    /// (maxLeasesToStealAtOneTime). At least 1.
    std::size_t max_leases_to_steal_at_one_time = 1;
    /// Take leases unrenewed for `very_old_lease_multiplier` x failover_time
    /// (and new, never-renewed leases) first, above the fair share but within
    /// max_leases_for_worker (enablePriorityLeaseAssignment).
    bool priority_lease_assignment = true;
    /// See priority_lease_assignment (veryOldLeaseDurationNanosMultiplier).
    unsigned very_old_lease_multiplier = 3;
};

/// Checks a LeaseConfig: failover_time above 3 x epsilon (so the renewal
/// interval is positive), both limits at least 1, the multiplier at least 1.
[[nodiscard]] KINESIS_DECL Result<void> validate(const LeaseConfig& config);

/// How often a worker renews its leases: failover_time / 3 - epsilon
/// (CommonCalculations.getRenewerTakerIntervalMillis; 3308 ms by default).
[[nodiscard]] KINESIS_DECL std::chrono::milliseconds renewal_interval(const LeaseConfig& config) noexcept;

/// How often a worker scans the table and takes leases:
/// (failover_time + epsilon) x 2 (DynamoDBLeaseCoordinator; 20050 ms by default).
[[nodiscard]] KINESIS_DECL std::chrono::milliseconds taker_interval(const LeaseConfig& config) noexcept;

/// What this worker knows of each lease's liveness: the counter it last saw
/// and the local time the counter was first seen at that value (the KCL's
/// Lease.lastCounterIncrementNanos, kept by DynamoDBLeaseTaker.updateAllLeases).
/// Expiry is judged on this worker's steady clock only; no two workers'
/// clocks are ever compared. Not thread-safe; one per worker.
class LeaseExpiryTracker {
public:
    using time_point = std::chrono::steady_clock::time_point;

    /// Records a scan of the whole table, taken at `scan_time`
    /// (DynamoDBLeaseTaker.updateAllLeases): a lease seen before at the same
    /// counter keeps its time; a changed counter is stamped `scan_time`; a
    /// lease seen for the first time is stamped `scan_time` when it has an
    /// owner, and "never renewed" when it has none; a lease missing from the
    /// scan is forgotten. Rows that are not leases are ignored.
    KINESIS_DECL void update(const std::vector<Lease>& scan, time_point scan_time);

    /// Records a write of this worker's that left the lease at `counter`
    /// (a successful take or renewal), as the KCL stamps
    /// lastCounterIncrementNanos after takeLease and renewLease.
    KINESIS_DECL void record_write(const std::string& lease_key, std::uint64_t counter, time_point now);

    /// Whether the lease's counter has stood still for more than `failover`
    /// as of `now` (Lease.isExpired: age > lease duration). A lease never seen
    /// or never renewed is expired.
    [[nodiscard]] KINESIS_DECL bool expired(const std::string& lease_key, time_point now,
                                            std::chrono::milliseconds failover) const;

    /// The local time the lease's counter last moved; empty when the lease is
    /// unknown or was never renewed (the KCL's lastCounterIncrementNanos of 0).
    [[nodiscard]] KINESIS_DECL std::optional<time_point> last_change(const std::string& lease_key) const;

    /// The counter last seen for the lease, if any.
    [[nodiscard]] KINESIS_DECL std::optional<std::uint64_t> counter(const std::string& lease_key) const;

    /// How many leases are tracked.
    [[nodiscard]] std::size_t size() const noexcept { return entries_.size(); }

private:
    struct Entry {
        std::uint64_t counter = 0;
        std::optional<time_point> since;  // empty: never renewed
    };
    std::unordered_map<std::string, Entry> entries_;
};

/// Whether a lease may be taken (Lease.isAvailable): it has no owner, or its
/// counter has not moved for failover_time on this worker's clock. A row
/// that is not a lease is never available.
[[nodiscard]] KINESIS_DECL bool lease_available(const Lease& lease, const LeaseExpiryTracker& tracker,
                                                std::chrono::steady_clock::time_point now,
                                                const LeaseConfig& config);

/// The fair share (DynamoDBLeaseTaker.computeLeasesToTake): 1 when there are
/// at least as many workers as leases, else ceil(leases / workers); then
/// capped at max_leases_for_worker. 0 when there are no leases.
[[nodiscard]] KINESIS_DECL std::size_t lease_target(std::size_t lease_count, std::size_t worker_count,
                                                    const LeaseConfig& config) noexcept;

/// One round's decision of the taker.
struct LeaseTakePlan {
    /// Lease keys to take, in the order to try them. Each take is a write
    /// conditional on the counter (and owner) the scan saw.
    std::vector<std::string> lease_keys;
    /// Why: taking very old leases first, expired or unassigned ones, or
    /// stealing live ones from the most loaded worker.
    enum class Reason { None, VeryOld, Available, Steal } reason = Reason::None;
    /// The most loaded worker the leases are stolen from, when stealing.
    std::string steal_from;
    /// What the decision saw: leases, live workers (me included), fair share, leases I hold.
    std::size_t lease_count = 0;
    std::size_t worker_count = 0;
    std::size_t target = 0;
    std::size_t held = 0;
};

/// Which leases this worker takes this round: DynamoDBLeaseTaker.computeLeasesToTake
/// and chooseLeasesToSteal with the KCL 2.x defaults. `scan` is the whole
/// table, and `tracker` must already hold it (update(scan, now)).
///
/// 1. Available leases are those lease_available() says; live workers are the
///    owners of the others, plus me (computeLeaseCounts). target = lease_target().
/// 2. With priority_lease_assignment, if any lease's counter has not moved for
///    very_old_lease_multiplier x failover_time (never-renewed leases included),
///    take those, up to max_leases_for_worker - held, whatever the target, and
///    nothing else this round.
/// 3. Else, when I hold fewer than target: take available leases, at most
///    target - held.
/// 4. Else, when none is available: find the most loaded worker; when it holds
///    more than target, steal min(needed, its leases - target); when it holds
///    exactly target and I need more than one, steal one; never more than
///    max_leases_to_steal_at_one_time.
///
/// Where the KCL shuffles (its candidates, to spread contention) this picks
/// deterministically: oldest counter change first (never renewed first),
/// then by lease key; among equally loaded workers, the smallest id.
/// Rows that are not leases are never counted or chosen.
[[nodiscard]] KINESIS_DECL LeaseTakePlan compute_leases_to_take(const std::vector<Lease>& scan,
                                                                std::string_view worker_id,
                                                                const LeaseExpiryTracker& tracker,
                                                                std::chrono::steady_clock::time_point now,
                                                                const LeaseConfig& config);

/// Whether a shard's records may be processed: no parent shard has a lease
/// whose checkpoint is not SHARD_END (BlockOnParentShardTask). A parent with
/// no lease in `scan` (cleaned up, or never created) does not block.
/// Lease keys are shard ids (one stream per table).
[[nodiscard]] KINESIS_DECL bool shard_ready_to_process(const Lease& lease, const std::vector<Lease>& scan);

/// Whether a finished lease may be deleted (LeaseCleanupManager
/// .cleanupLeaseForCompletedShard): its checkpoint is SHARD_END; it lists its
/// children; every child has a lease whose checkpoint is neither TRIM_HORIZON
/// nor AT_TIMESTAMP (processing of the child has begun); and none of its own
/// parents still has a lease. With no child_shard_ids the KCL first asks the
/// service for the children and records them, so this answers false.
[[nodiscard]] KINESIS_DECL bool parent_lease_deletable(const Lease& parent, const std::vector<Lease>& scan);

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/consumer/impl/lease_policy.inl.hpp>
#endif

#endif  // KINESIS_CONSUMER_LEASE_POLICY_HPP
