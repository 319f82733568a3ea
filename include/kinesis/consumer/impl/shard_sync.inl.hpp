// SPDX-License-Identifier: Apache-2.0
// Definitions for consumer/shard_sync.hpp.
#ifndef KINESIS_CONSUMER_IMPL_SHARD_SYNC_INL_HPP
#define KINESIS_CONSUMER_IMPL_SHARD_SYNC_INL_HPP

#include <kinesis/consumer/shard_sync.hpp>

#include <map>
#include <set>
#include <string>

namespace kinesis {

KINESIS_DECL ExtendedSequenceNumber initial_checkpoint(InitialPosition position) {
    switch (position) {
        case InitialPosition::Latest: return ExtendedSequenceNumber::latest();
        case InitialPosition::AtTimestamp: return ExtendedSequenceNumber::at_timestamp();
        case InitialPosition::TrimHorizon: break;
    }
    return ExtendedSequenceNumber::trim_horizon();
}

KINESIS_DECL Lease new_lease_for_shard(const Shard& shard, ExtendedSequenceNumber checkpoint) {
    Lease lease;
    lease.lease_key = shard.shard_id;
    lease.checkpoint = std::move(checkpoint);
    if (shard.parent_shard_id) lease.parent_shard_ids.push_back(*shard.parent_shard_id);
    if (shard.adjacent_parent_shard_id) lease.parent_shard_ids.push_back(*shard.adjacent_parent_shard_id);
    lease.hash_key_range = LeaseHashKeyRange{shard.hash_key_range.starting_hash_key,
                                             shard.hash_key_range.ending_hash_key};
    return lease;
}

KINESIS_DECL std::vector<Lease> plan_new_leases(const std::vector<Shard>& shards, const std::vector<Lease>& leases,
                                                InitialPosition initial_position) {
    std::set<std::string> leased;
    for (const Lease& lease : leases) {
        if (lease.is_lease()) leased.insert(lease.lease_key);
    }
    std::map<std::string, std::vector<std::string>> children;
    for (const Shard& shard : shards) {
        if (shard.parent_shard_id) children[*shard.parent_shard_id].push_back(shard.shard_id);
        if (shard.adjacent_parent_shard_id) children[*shard.adjacent_parent_shard_id].push_back(shard.shard_id);
    }
    // Shard lineages are short and acyclic; the memo keeps a wide merge tree linear.
    std::map<std::string, bool> memo;
    const auto has_leased_descendant = [&](const std::string& id, const auto& self) -> bool {
        if (auto found = memo.find(id); found != memo.end()) return found->second;
        memo[id] = false;
        bool any = false;
        if (auto kids = children.find(id); kids != children.end()) {
            for (const std::string& child : kids->second) {
                if (leased.count(child) || self(child, self)) {
                    any = true;
                    break;
                }
            }
        }
        memo[id] = any;
        return any;
    };
    std::set<std::string> creating;
    for (const Shard& shard : shards) {
        if (leased.count(shard.shard_id) || has_leased_descendant(shard.shard_id, has_leased_descendant)) continue;
        if (initial_position == InitialPosition::Latest && !shard.is_open()) continue;
        creating.insert(shard.shard_id);
    }
    std::vector<Lease> planned;
    for (const Shard& shard : shards) {
        if (!creating.count(shard.shard_id)) continue;
        const auto will_be_leased = [&](const std::optional<std::string>& parent) {
            return parent && (leased.count(*parent) || creating.count(*parent));
        };
        const bool child = will_be_leased(shard.parent_shard_id) || will_be_leased(shard.adjacent_parent_shard_id);
        planned.push_back(new_lease_for_shard(
            shard, child ? ExtendedSequenceNumber::trim_horizon() : initial_checkpoint(initial_position)));
    }
    return planned;
}

}  // namespace kinesis

#endif  // KINESIS_CONSUMER_IMPL_SHARD_SYNC_INL_HPP
