// SPDX-License-Identifier: Apache-2.0
#include <kinesis/consumer/lease_store.hpp>

#include "lease_store_suite.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

using kinesis::AttributeType;
using kinesis::AttributeValue;
using kinesis::Item;
using kinesis::Lease;

namespace {

// name -> DynamoDB type, for comparing an item's shape.
std::map<std::string, AttributeType> shape_of(const Item& item) {
    std::map<std::string, AttributeType> shape;
    for (const auto& [name, value] : item) shape[name] = value.type();
    return shape;
}

Item kcl2_row() {
    return {
        {"leaseKey", AttributeValue::s("shardId-000000000003")},
        {"leaseOwner", AttributeValue::s("kcl2-worker")},
        {"leaseCounter", AttributeValue::n("42")},
        {"checkpoint", AttributeValue::s("49590338271490256608559692538361571095921575989136588898")},
        {"checkpointSubSequenceNumber", AttributeValue::n("5")},
        {"ownerSwitchesSinceCheckpoint", AttributeValue::n("2")},
        {"parentShardId", AttributeValue::ss({"shardId-000000000001", "shardId-000000000002"})},
        {"startingHashKey", AttributeValue::s("0")},
        {"endingHashKey", AttributeValue::s("170141183460469231731687303715884105727")},
        {"pendingCheckpoint", AttributeValue::s("49590338271490256608559692538361571095921575989136589000")},
        {"pendingCheckpointSubSequenceNumber", AttributeValue::n("1")},
        {"pendingCheckpointState", AttributeValue::b(std::string("\x00\x01state", 7))},
        {"throughputKBps", AttributeValue::n("12.5")},
        {"checkpointOwner", AttributeValue::s("kcl3-worker")},
        {"someFutureAttribute", AttributeValue::boolean(true)},
    };
}

}  // namespace

TEST_CASE("in-memory lease store: every operation, and every write refused on a stale counter or owner") {
    kinesis::InMemoryLeaseStore store;
    kinesis_test::run_lease_store_suite(store, "");
    // A second run in the same store, under other keys, meets the first run's leftovers.
    kinesis_test::run_lease_store_suite(store, "again-");
}

TEST_CASE("in-memory lease store: of eight workers racing to take one lease, exactly one wins") {
    kinesis::InMemoryLeaseStore store;
    const Lease lease = kinesis_test::new_lease("shardId-000000000000");
    REQUIRE(store.create_lease_if_absent(lease).value());
    std::atomic<int> won{0};
    std::atomic<int> lost{0};
    std::vector<std::thread> workers;
    for (int i = 0; i < 8; ++i) {
        workers.emplace_back([&, i] {
            auto taken = store.take_lease(lease, "worker-" + std::to_string(i));
            if (taken) {
                ++won;
            } else if (kinesis::is_lease_lost(taken.error())) {
                ++lost;
            }
        });
    }
    for (auto& worker : workers) worker.join();
    CHECK(won == 1);
    CHECK(lost == 7);
    auto now = store.list_leases().value();
    REQUIRE(now.size() == 1);
    CHECK(now[0].lease_counter == 1);
}

TEST_CASE("lease_to_item writes exactly the KCL's attribute names and DynamoDB types") {
    Lease lease;
    lease.lease_key = "shardId-000000000007";
    lease.lease_owner = "worker-1";
    lease.lease_counter = 9;
    lease.checkpoint = {"49590338271490256608559692538361571095921575989136588898", 3};
    lease.owner_switches_since_checkpoint = 1;
    lease.parent_shard_ids = {"shardId-000000000001", "shardId-000000000002", "shardId-000000000001"};
    lease.child_shard_ids = {"shardId-000000000010"};
    lease.hash_key_range = kinesis::LeaseHashKeyRange{"0", "340282366920938463463374607431768211455"};
    lease.pending_checkpoint = kinesis::ExtendedSequenceNumber{"49590338271490256608559692538361571095921575989136589000", 2};
    lease.pending_checkpoint_state = std::string("\x00\xff", 2);
    lease.throughput_kbps = 0.25;
    lease.checkpoint_owner = "worker-2";

    const Item item = kinesis::lease_to_item(lease).value();
    const std::map<std::string, AttributeType> expected{
        {"leaseKey", AttributeType::S},
        {"leaseOwner", AttributeType::S},
        {"leaseCounter", AttributeType::N},
        {"checkpoint", AttributeType::S},
        {"checkpointSubSequenceNumber", AttributeType::N},
        {"ownerSwitchesSinceCheckpoint", AttributeType::N},
        {"parentShardId", AttributeType::SS},
        {"childShardIds", AttributeType::SS},
        {"startingHashKey", AttributeType::S},
        {"endingHashKey", AttributeType::S},
        {"pendingCheckpoint", AttributeType::S},
        {"pendingCheckpointSubSequenceNumber", AttributeType::N},
        {"pendingCheckpointState", AttributeType::B},
        {"throughputKBps", AttributeType::N},
        {"checkpointOwner", AttributeType::S},
    };
    CHECK(shape_of(item) == expected);
    CHECK(*item.at("leaseCounter").as_n() == "9");
    CHECK(*item.at("checkpointSubSequenceNumber").as_n() == "3");
    CHECK(*item.at("ownerSwitchesSinceCheckpoint").as_n() == "1");
    CHECK(item.at("parentShardId") == AttributeValue::ss({"shardId-000000000002", "shardId-000000000001"}));
    CHECK(item.at("parentShardId").as_ss()->size() == 2);  // a set: the duplicate dropped
    CHECK(*item.at("endingHashKey").as_s() == "340282366920938463463374607431768211455");
    CHECK(*item.at("throughputKBps").as_n() == "0.25");
    CHECK(*item.at("pendingCheckpointState").as_b() == std::string("\x00\xff", 2));

    // And back: the same lease.
    const Lease back = kinesis::lease_from_item(item).value();
    CHECK(back.lease_key == lease.lease_key);
    CHECK(back.lease_owner == lease.lease_owner);
    CHECK(back.lease_counter == 9);
    CHECK(back.checkpoint == lease.checkpoint);
    CHECK(back.parent_shard_ids.size() == 2);
    CHECK(back.child_shard_ids == lease.child_shard_ids);
    CHECK(back.pending_checkpoint == lease.pending_checkpoint);
    CHECK(back.pending_checkpoint_state == lease.pending_checkpoint_state);
    CHECK(back.throughput_kbps == 0.25);
    CHECK(back.checkpoint_owner == lease.checkpoint_owner);
}

TEST_CASE("lease_to_item leaves out what is absent and never writes an empty set") {
    Lease lease;
    lease.lease_key = "shardId-000000000000";
    lease.checkpoint = kinesis::ExtendedSequenceNumber::trim_horizon();
    const Item item = kinesis::lease_to_item(lease).value();
    const std::map<std::string, AttributeType> expected{
        {"leaseKey", AttributeType::S},
        {"leaseCounter", AttributeType::N},
        {"checkpoint", AttributeType::S},
        {"checkpointSubSequenceNumber", AttributeType::N},
        {"ownerSwitchesSinceCheckpoint", AttributeType::N},
    };
    CHECK(shape_of(item) == expected);

    // An empty pending checkpoint is no pending checkpoint (as the KCL's serializer).
    lease.pending_checkpoint = kinesis::ExtendedSequenceNumber{};
    CHECK(kinesis::lease_to_item(lease).value().count("pendingCheckpoint") == 0);

    // An entityType of LEASE is kept; any other is not a lease and is refused.
    lease.entity_type = "LEASE";
    CHECK(*kinesis::lease_to_item(lease).value().at("entityType").as_s() == "LEASE");
    lease.entity_type = "WORKER_METRIC_STATS";
    auto refused = kinesis::lease_to_item(lease);
    REQUIRE_FALSE(refused);
    CHECK(refused.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(refused.error().message.find("not a lease") != std::string::npos);

    Lease no_key;
    CHECK(kinesis::lease_to_item(no_key).error().message == "lease_to_item: lease_key is empty");
    Lease bad_range = lease;
    bad_range.entity_type.reset();
    bad_range.hash_key_range = kinesis::LeaseHashKeyRange{"0", "0x10"};
    CHECK(kinesis::lease_to_item(bad_range).error().kind == kinesis::ErrorKind::InvalidArgument);
}

TEST_CASE("lease_from_item reads a KCL 2.x row with every field and ignores attributes it does not know") {
    const Lease lease = kinesis::lease_from_item(kcl2_row()).value();
    CHECK(lease.is_lease());
    CHECK_FALSE(lease.entity_type);
    CHECK(lease.lease_key == "shardId-000000000003");
    CHECK(lease.lease_owner == std::optional<std::string>("kcl2-worker"));
    CHECK(lease.lease_counter == 42);
    CHECK(lease.checkpoint ==
          kinesis::ExtendedSequenceNumber{"49590338271490256608559692538361571095921575989136588898", 5});
    CHECK(lease.owner_switches_since_checkpoint == 2);
    CHECK(std::set<std::string>(lease.parent_shard_ids.begin(), lease.parent_shard_ids.end()) ==
          std::set<std::string>{"shardId-000000000001", "shardId-000000000002"});
    CHECK(lease.child_shard_ids.empty());
    REQUIRE(lease.hash_key_range);
    CHECK(lease.hash_key_range->starting_hash_key == "0");
    CHECK(lease.hash_key_range->ending_hash_key == "170141183460469231731687303715884105727");
    REQUIRE(lease.pending_checkpoint);
    CHECK(lease.pending_checkpoint->sub_sequence_number == 1);
    CHECK(lease.pending_checkpoint_state == std::optional<std::string>(std::string("\x00\x01state", 7)));
    CHECK(lease.throughput_kbps == 12.5);
    CHECK(lease.checkpoint_owner == std::optional<std::string>("kcl3-worker"));

    // Written back, it is the same row less the attribute the KCL does not know.
    Item expected = kcl2_row();
    expected.erase("someFutureAttribute");
    CHECK(kinesis::lease_to_item(lease).value() == expected);

    // A hash key range needs both ends; a missing counter reads as 0, an unowned lease has no owner.
    Item partial = {{"leaseKey", AttributeValue::s("shardId-1")}, {"startingHashKey", AttributeValue::s("0")}};
    const Lease sparse = kinesis::lease_from_item(partial).value();
    CHECK_FALSE(sparse.hash_key_range);
    CHECK(sparse.lease_counter == 0);
    CHECK_FALSE(sparse.lease_owner);
    CHECK(sparse.checkpoint.sequence_number.empty());
}

TEST_CASE("lease_from_item marks KCL 3.x rows that are not leases and reads nothing else of them") {
    const Item metrics = {{"leaseKey", AttributeValue::s("worker-1")},
                          {"entityType", AttributeValue::s("WORKER_METRIC_STATS")},
                          {"leaseCounter", AttributeValue::s("not a number")}};
    const Lease row = kinesis::lease_from_item(metrics).value();
    CHECK_FALSE(row.is_lease());
    CHECK(row.entity_type == std::optional<std::string>("WORKER_METRIC_STATS"));
    CHECK(row.lease_key == "worker-1");

    const Item lease3 = {{"leaseKey", AttributeValue::s("shardId-1")},
                         {"entityType", AttributeValue::s("LEASE")},
                         {"leaseCounter", AttributeValue::n("3")}};
    const Lease modern = kinesis::lease_from_item(lease3).value();
    CHECK(modern.is_lease());
    CHECK(modern.lease_counter == 3);
}

TEST_CASE("lease_from_item fails on a known attribute of the wrong type, naming the row and attribute") {
    auto missing = kinesis::lease_from_item({{"leaseOwner", AttributeValue::s("w")}});
    REQUIRE_FALSE(missing);
    CHECK(missing.error().kind == kinesis::ErrorKind::Parse);
    CHECK(missing.error().message == "lease row (no leaseKey): leaseKey is missing");

    Item row = kcl2_row();
    row["leaseCounter"] = AttributeValue::s("42");
    CHECK(kinesis::lease_from_item(row).error().message ==
          "lease row shardId-000000000003: leaseCounter is S, not N");
    row = kcl2_row();
    row["parentShardId"] = AttributeValue::s("shardId-000000000001");
    CHECK(kinesis::lease_from_item(row).error().message ==
          "lease row shardId-000000000003: parentShardId is S, not SS");
    row = kcl2_row();
    row["ownerSwitchesSinceCheckpoint"] = AttributeValue::n("-1");
    CHECK(kinesis::lease_from_item(row).error().message ==
          "lease row shardId-000000000003: ownerSwitchesSinceCheckpoint is -1, not a non-negative whole number");
}

TEST_CASE("lease lost errors are Service errors with code LeaseLost and say what was expected and found") {
    kinesis::InMemoryLeaseStore store;
    Lease lease = kinesis_test::new_lease("shardId-000000000000");
    REQUIRE(store.create_lease_if_absent(lease).value());
    const Lease mine = store.take_lease(lease, "worker-a").value();
    REQUIRE(store.take_lease(mine, "worker-b").has_value());
    auto refused = store.checkpoint(mine, {"123", 0});
    REQUIRE_FALSE(refused);
    CHECK(kinesis::is_lease_lost(refused.error()));
    CHECK_FALSE(refused.error().retryable());
    CHECK(refused.error().message ==
          "checkpoint: lease shardId-000000000000 lost: expected counter 1, owner worker-a; "
          "found counter 2, owner worker-b");
    kinesis::Error other;
    other.code = "ConditionalCheckFailedException";
    CHECK_FALSE(kinesis::is_lease_lost(other));
}
