// SPDX-License-Identifier: Apache-2.0
// Definitions for consumer/lease_policy.hpp.
#ifndef KINESIS_CONSUMER_IMPL_LEASE_POLICY_INL_HPP
#define KINESIS_CONSUMER_IMPL_LEASE_POLICY_INL_HPP

#include <kinesis/consumer/lease_policy.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <unordered_set>
#include <utility>

namespace kinesis {

namespace detail {

// The lease of `key` among the leases of a scan, or nullptr.
inline const Lease* find_lease(const std::vector<Lease>& scan, std::string_view key) noexcept {
    for (const Lease& row : scan) {
        if (row.is_lease() && row.lease_key == key) return &row;
    }
    return nullptr;
}

// Oldest counter change first, never renewed before any time, then by key:
// where the KCL shuffles, a fixed order that favours the longest-silent lease.
inline void sort_oldest_first(std::vector<const Lease*>& leases, const LeaseExpiryTracker& tracker) {
    std::sort(leases.begin(), leases.end(), [&tracker](const Lease* a, const Lease* b) {
        const auto ta = tracker.last_change(a->lease_key);
        const auto tb = tracker.last_change(b->lease_key);
        if (ta != tb) return !ta || (tb && *ta < *tb);
        return a->lease_key < b->lease_key;
    });
}

}  // namespace detail

KINESIS_DECL Result<void> validate(const LeaseConfig& config) {
    if (config.epsilon.count() < 0) return invalid_argument("lease config: epsilon must not be negative");
    if (config.failover_time <= config.epsilon * 3) {
        return invalid_argument("lease config: failover_time must be more than 3 x epsilon");
    }
    if (config.max_leases_for_worker == 0) {
        return invalid_argument("lease config: max_leases_for_worker must be at least 1");
    }
    if (config.max_leases_to_steal_at_one_time == 0) {
        return invalid_argument("lease config: max_leases_to_steal_at_one_time must be at least 1");
    }
    if (config.very_old_lease_multiplier == 0) {
        return invalid_argument("lease config: very_old_lease_multiplier must be at least 1");
    }
    return {};
}

KINESIS_DECL std::chrono::milliseconds renewal_interval(const LeaseConfig& config) noexcept {
    return config.failover_time / 3 - config.epsilon;
}

KINESIS_DECL std::chrono::milliseconds taker_interval(const LeaseConfig& config) noexcept {
    return (config.failover_time + config.epsilon) * 2;
}

KINESIS_DECL void LeaseExpiryTracker::update(const std::vector<Lease>& scan, time_point scan_time) {
    std::unordered_map<std::string, Entry> fresh;
    fresh.reserve(scan.size());
    for (const Lease& lease : scan) {
        if (!lease.is_lease()) continue;
        Entry entry;
        entry.counter = lease.lease_counter;
        const auto old = entries_.find(lease.lease_key);
        if (old != entries_.end()) {
            // Seen before: the time moves only when the counter does.
            entry.since = old->second.counter == lease.lease_counter ? old->second.since
                                                                    : std::optional<time_point>(scan_time);
        } else if (lease.lease_owner) {
            // New and owned: treated as renewed at the scan.
            entry.since = scan_time;
        }  // New and unowned: never renewed.
        fresh[lease.lease_key] = entry;
    }
    // Leases gone from the table are forgotten.
    entries_ = std::move(fresh);
}

KINESIS_DECL void LeaseExpiryTracker::record_write(const std::string& lease_key, std::uint64_t counter,
                                                   time_point now) {
    entries_[lease_key] = Entry{counter, now};
}

KINESIS_DECL bool LeaseExpiryTracker::expired(const std::string& lease_key, time_point now,
                                              std::chrono::milliseconds failover) const {
    const auto since = last_change(lease_key);
    if (!since) return true;
    return now - *since > failover;
}

KINESIS_DECL std::optional<LeaseExpiryTracker::time_point> LeaseExpiryTracker::last_change(
    const std::string& lease_key) const {
    const auto it = entries_.find(lease_key);
    if (it == entries_.end()) return std::nullopt;
    return it->second.since;
}

KINESIS_DECL std::optional<std::uint64_t> LeaseExpiryTracker::counter(const std::string& lease_key) const {
    const auto it = entries_.find(lease_key);
    if (it == entries_.end()) return std::nullopt;
    return it->second.counter;
}

KINESIS_DECL bool lease_available(const Lease& lease, const LeaseExpiryTracker& tracker,
                                  std::chrono::steady_clock::time_point now, const LeaseConfig& config) {
    if (!lease.is_lease()) return false;
    return !lease.lease_owner || tracker.expired(lease.lease_key, now, config.failover_time);
}

KINESIS_DECL std::size_t lease_target(std::size_t lease_count, std::size_t worker_count,
                                      const LeaseConfig& config) noexcept {
    if (lease_count == 0) return 0;
    if (worker_count == 0) worker_count = 1;  // I always count myself
    if (worker_count >= lease_count) return 1;
    const std::size_t target = lease_count / worker_count + (lease_count % worker_count == 0 ? 0 : 1);
    return std::min(target, std::max<std::size_t>(config.max_leases_for_worker, 1));
}

KINESIS_DECL LeaseTakePlan compute_leases_to_take(const std::vector<Lease>& scan, std::string_view worker_id,
                                                  const LeaseExpiryTracker& tracker,
                                                  std::chrono::steady_clock::time_point now,
                                                  const LeaseConfig& config) {
    LeaseTakePlan plan;
    const std::string me(worker_id);

    std::vector<const Lease*> leases;
    std::vector<const Lease*> available;
    // std::map: workers in id order, so ties among the most loaded go to the smallest id.
    std::map<std::string, std::size_t> counts;
    std::unordered_set<std::string> seen;
    for (const Lease& row : scan) {
        if (!row.is_lease() || !seen.insert(row.lease_key).second) continue;
        leases.push_back(&row);
        if (lease_available(row, tracker, now, config)) {
            available.push_back(&row);
        } else {
            ++counts[*row.lease_owner];  // not available, so owned
        }
    }
    counts.emplace(me, 0);

    plan.lease_count = leases.size();
    plan.worker_count = counts.size();
    if (leases.empty()) return plan;
    const std::size_t max_for_worker = std::max<std::size_t>(config.max_leases_for_worker, 1);
    plan.target = lease_target(plan.lease_count, plan.worker_count, config);
    plan.held = counts[me];

    if (config.priority_lease_assignment) {
        // Leases silent for multiplier x failover (and never-renewed ones) are
        // taken first, whatever the target, within max_leases_for_worker.
        const auto very_old_age = config.failover_time * static_cast<long long>(config.very_old_lease_multiplier);
        std::vector<const Lease*> very_old;
        for (const Lease* lease : leases) {
            const auto since = tracker.last_change(lease->lease_key);
            if (!since || now - *since > very_old_age) very_old.push_back(lease);
        }
        if (!very_old.empty()) {
            detail::sort_oldest_first(very_old, tracker);
            const std::size_t room = max_for_worker > plan.held ? max_for_worker - plan.held : 0;
            const std::size_t n = std::min(room, very_old.size());
            for (std::size_t i = 0; i < n; ++i) plan.lease_keys.push_back(very_old[i]->lease_key);
            if (n > 0) plan.reason = LeaseTakePlan::Reason::VeryOld;
            return plan;
        }
    }

    if (plan.held >= plan.target) return plan;
    const std::size_t needed = plan.target - plan.held;

    if (!available.empty()) {
        detail::sort_oldest_first(available, tracker);
        const std::size_t n = std::min(needed, available.size());
        for (std::size_t i = 0; i < n; ++i) plan.lease_keys.push_back(available[i]->lease_key);
        plan.reason = LeaseTakePlan::Reason::Available;
        return plan;
    }

    // None available: consider stealing from the most loaded worker (chooseLeasesToSteal).
    auto most = counts.begin();
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        if (it->second > most->second) most = it;
    }
    if (most->second < plan.target) return plan;
    std::size_t steal = std::min(needed, most->second - plan.target);
    // The most loaded holds exactly target and I need more than one: steal one.
    if (needed > 1 && steal == 0) steal = 1;
    steal = std::min(steal, std::max<std::size_t>(config.max_leases_to_steal_at_one_time, 1));
    if (steal == 0) return plan;

    std::vector<const Lease*> candidates;
    for (const Lease* lease : leases) {
        if (lease->lease_owner && *lease->lease_owner == most->first) candidates.push_back(lease);
    }
    detail::sort_oldest_first(candidates, tracker);
    const std::size_t n = std::min(steal, candidates.size());
    for (std::size_t i = 0; i < n; ++i) plan.lease_keys.push_back(candidates[i]->lease_key);
    if (n > 0) {
        plan.reason = LeaseTakePlan::Reason::Steal;
        plan.steal_from = most->first;
    }
    return plan;
}

KINESIS_DECL bool shard_ready_to_process(const Lease& lease, const std::vector<Lease>& scan) {
    for (const std::string& parent_id : lease.parent_shard_ids) {
        const Lease* parent = detail::find_lease(scan, parent_id);
        if (parent && !(parent->checkpoint == ExtendedSequenceNumber::shard_end())) return false;
    }
    return true;
}

KINESIS_DECL bool parent_lease_deletable(const Lease& parent, const std::vector<Lease>& scan) {
    if (!parent.is_lease() || !(parent.checkpoint == ExtendedSequenceNumber::shard_end())) return false;
    if (parent.child_shard_ids.empty()) return false;
    for (const std::string& child_id : parent.child_shard_ids) {
        const Lease* child = detail::find_lease(scan, child_id);
        // A missing child lease: the KCL stops the clean-up (IllegalStateException).
        if (!child) return false;
        if (child->checkpoint == ExtendedSequenceNumber::trim_horizon() ||
            child->checkpoint == ExtendedSequenceNumber::at_timestamp()) {
            return false;
        }
    }
    // The KCL deletes a lease only after its own parents' leases are gone.
    for (const std::string& grandparent_id : parent.parent_shard_ids) {
        if (detail::find_lease(scan, grandparent_id)) return false;
    }
    return true;
}

}  // namespace kinesis

#endif  // KINESIS_CONSUMER_IMPL_LEASE_POLICY_INL_HPP
