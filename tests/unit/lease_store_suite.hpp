// SPDX-License-Identifier: Apache-2.0
// The behaviour every LeaseStore shares, written once: run on the in-memory store
// (unit) and on a DynamoDB table in moto (integration).
#ifndef KINESIS_TESTS_UNIT_LEASE_STORE_SUITE_HPP
#define KINESIS_TESTS_UNIT_LEASE_STORE_SUITE_HPP

#include <kinesis/consumer/lease_store.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

namespace kinesis_test {

// The value of a successful Result, copied (the Result is usually a temporary).
template <class R>
auto ok_value(const R& result, const char* what) {
    REQUIRE_MESSAGE(result.has_value(), what, ": ", (result ? std::string() : result.error().to_string()));
    return *result;
}

template <class R>
void require_lost(const R& result, const char* what) {
    REQUIRE_MESSAGE(!result.has_value(), what, " succeeded but should have been refused");
    CHECK_MESSAGE(kinesis::is_lease_lost(result.error()), what, ": ", result.error().to_string());
    CHECK(result.error().kind == kinesis::ErrorKind::Service);
    CHECK(result.error().code == "LeaseLost");
}

inline std::optional<kinesis::Lease> find_lease(kinesis::LeaseStore& store, const std::string& key) {
    const auto leases = ok_value(store.list_leases(), "list_leases");
    for (const auto& lease : leases) {
        if (lease.lease_key == key) return lease;
    }
    return std::nullopt;
}

/// A new lease as a shard sync writes it: unassigned at TRIM_HORIZON.
inline kinesis::Lease new_lease(const std::string& key) {
    kinesis::Lease lease;
    lease.lease_key = key;
    lease.checkpoint = kinesis::ExtendedSequenceNumber::trim_horizon();
    lease.hash_key_range = kinesis::LeaseHashKeyRange{"0", "340282366920938463463374607431768211455"};
    return lease;
}

/// Every LeaseStore operation, and each refused on a stale counter or owner.
/// Keys start with `prefix`, so one table can hold several runs.
inline void run_lease_store_suite(kinesis::LeaseStore& store, const std::string& prefix) {
    using kinesis::ExtendedSequenceNumber;
    using kinesis::Lease;
    using kinesis::LeaseLost;
    REQUIRE(store.ensure_table().has_value());
    REQUIRE(store.ensure_table().has_value());  // a second call finds it ready

    const std::string key = prefix + "shardId-000000000000";
    const std::string other_key = prefix + "shardId-000000000001";

    // Create: once only; a second create leaves the first row.
    Lease parent = new_lease(key);
    CHECK(ok_value(store.create_lease_if_absent(parent), "create"));
    Lease again = parent;
    again.lease_owner = "intruder";
    CHECK_FALSE(ok_value(store.create_lease_if_absent(again), "create again"));
    Lease child = new_lease(other_key);
    child.parent_shard_ids = {key};
    CHECK(ok_value(store.create_lease_if_absent(child), "create child"));

    auto listed = find_lease(store, key);
    REQUIRE(listed);
    CHECK_FALSE(listed->lease_owner);
    CHECK(listed->lease_counter == 0);
    CHECK(listed->checkpoint == ExtendedSequenceNumber::trim_horizon());
    CHECK(listed->parent_shard_ids.empty());
    REQUIRE(listed->hash_key_range);
    CHECK(listed->hash_key_range->ending_hash_key == "340282366920938463463374607431768211455");
    auto listed_child = find_lease(store, other_key);
    REQUIRE(listed_child);
    CHECK(listed_child->parent_shard_ids == std::vector<std::string>{key});

    // Take an unassigned lease: owner set, counter 1, no owner switch (there was no owner).
    LeaseLost lost;
    const Lease taken = ok_value(store.take_lease(*listed, "worker-a", &lost), "take");
    CHECK_FALSE(lost.current);
    CHECK(taken.lease_owner == std::optional<std::string>("worker-a"));
    CHECK(taken.lease_counter == 1);
    CHECK(taken.owner_switches_since_checkpoint == 0);
    CHECK(taken.hash_key_range);

    // Taking again on the stale view (counter 0, no owner) is refused, with the lease as it is.
    require_lost(store.take_lease(*listed, "worker-b", &lost), "take on a stale view");
    REQUIRE(lost.current);
    CHECK(lost.current->lease_owner == std::optional<std::string>("worker-a"));
    CHECK(lost.current->lease_counter == 1);

    // Renew: counter up, nothing else.
    const Lease renewed = ok_value(store.renew_lease(taken, &lost), "renew");
    CHECK_FALSE(lost.current);  // reset by the call
    CHECK(renewed.lease_counter == 2);
    CHECK(renewed.lease_owner == taken.lease_owner);
    CHECK(renewed.checkpoint == taken.checkpoint);
    require_lost(store.renew_lease(taken, &lost), "renew on a stale counter");
    REQUIRE(lost.current);
    CHECK(lost.current->lease_counter == 2);
    Lease wrong_owner = renewed;
    wrong_owner.lease_owner = "worker-z";
    require_lost(store.renew_lease(wrong_owner), "renew by another owner");
    Lease unowned = renewed;
    unowned.lease_owner.reset();
    CHECK(store.renew_lease(unowned).error().kind == kinesis::ErrorKind::InvalidArgument);

    // Checkpoint by the owner: checkpoint and sub-sequence set, switches 0, counter up.
    const ExtendedSequenceNumber seq{"49590338271490256608559692538361571095921575989136588898", 7};
    const Lease checkpointed = ok_value(store.checkpoint(renewed, seq), "checkpoint");
    CHECK(checkpointed.checkpoint == seq);
    CHECK(checkpointed.lease_counter == 3);
    CHECK(checkpointed.owner_switches_since_checkpoint == 0);
    CHECK(checkpointed.lease_owner == renewed.lease_owner);
    CHECK(store.checkpoint(checkpointed, {"12x", 0}).error().kind == kinesis::ErrorKind::InvalidArgument);

    // Another worker steals it: an owner switch is counted.
    const Lease stolen = ok_value(store.take_lease(checkpointed, "worker-b"), "steal");
    CHECK(stolen.lease_owner == std::optional<std::string>("worker-b"));
    CHECK(stolen.lease_counter == 4);
    CHECK(stolen.owner_switches_since_checkpoint == 1);
    CHECK(stolen.checkpoint == seq);

    // The worker that lost it learns on its next write: its checkpoint is refused, never written (KCL #973).
    const ExtendedSequenceNumber late{"49590338271490256608559692538361571095921575989136589999", 0};
    require_lost(store.checkpoint(checkpointed, late, &lost), "checkpoint by the worker that lost the lease");
    REQUIRE(lost.current);
    CHECK(lost.current->lease_owner == std::optional<std::string>("worker-b"));
    CHECK(find_lease(store, key)->checkpoint == seq);
    require_lost(store.renew_lease(checkpointed), "renew by the worker that lost the lease");
    require_lost(store.evict_lease(checkpointed), "evict by the worker that lost the lease");
    require_lost(store.delete_lease(checkpointed), "delete by the worker that lost the lease");
    // Same counter, other owner: still refused.
    Lease forged = stolen;
    forged.lease_owner = "worker-a";
    require_lost(store.checkpoint(forged, late), "checkpoint with the right counter and the wrong owner");

    // The new owner checkpoints: the owner-switch count goes back to 0.
    const Lease finished = ok_value(store.checkpoint(stolen, ExtendedSequenceNumber::shard_end()), "SHARD_END");
    CHECK(finished.checkpoint.is_shard_end());
    CHECK(finished.owner_switches_since_checkpoint == 0);
    CHECK(finished.lease_counter == 5);

    // Children of the closed shard, as a set; an empty list is refused.
    const Lease with_children =
        ok_value(store.update_child_shards(finished, {other_key, prefix + "shardId-2", other_key}), "children");
    CHECK(with_children.lease_counter == 6);
    auto children = with_children.child_shard_ids;
    std::sort(children.begin(), children.end());
    CHECK(children == std::vector<std::string>{other_key, prefix + "shardId-2"});
    CHECK(store.update_child_shards(with_children, {}).error().kind == kinesis::ErrorKind::InvalidArgument);
    require_lost(store.update_child_shards(finished, {other_key}), "children on a stale counter");

    // Evict: a graceful hand-off leaves the lease unassigned for anyone to take.
    const Lease released = ok_value(store.evict_lease(with_children), "evict");
    CHECK_FALSE(released.lease_owner);
    CHECK(released.lease_counter == 7);
    CHECK(released.checkpoint.is_shard_end());
    CHECK(store.evict_lease(released).error().kind == kinesis::ErrorKind::InvalidArgument);
    const Lease retaken = ok_value(store.take_lease(released, "worker-c"), "take after evict");
    CHECK(retaken.lease_owner == std::optional<std::string>("worker-c"));
    CHECK(retaken.owner_switches_since_checkpoint == 0);  // from no owner: not a switch

    // Delete: refused on a stale view, done on the current one; then every write is refused.
    require_lost(store.delete_lease(released), "delete on a stale counter");
    REQUIRE(store.delete_lease(retaken).has_value());
    CHECK_FALSE(find_lease(store, key));
    require_lost(store.renew_lease(retaken, &lost), "renew after delete");
    CHECK_FALSE(lost.current);
    require_lost(store.delete_lease(retaken), "delete twice");
    CHECK(find_lease(store, other_key));

    // Rows that are not leases are never written.
    Lease not_a_lease = new_lease(prefix + "worker-metrics");
    not_a_lease.entity_type = "WORKER_METRIC_STATS";
    CHECK(store.create_lease_if_absent(not_a_lease).error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(store.take_lease(not_a_lease, "worker-a").error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(store.delete_lease(not_a_lease).error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK_FALSE(find_lease(store, prefix + "worker-metrics"));
}

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_UNIT_LEASE_STORE_SUITE_HPP
