// SPDX-License-Identifier: Apache-2.0
// DynamoDbLeaseStore against moto_server: the behaviour suite the in-memory
// store passes, a table written by KCL 2.x (and 3.x's non-lease rows) joined,
// and our rows checked by boto3 attribute by attribute.
#include <kinesis/consumer/lease_store.hpp>

#include <kinesis/auth/credentials.hpp>

#include "integration/endpoints.hpp"
#include "unit/lease_store_suite.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using kinesis::ExtendedSequenceNumber;
using kinesis::Lease;
using kinesis_test::ok_value;
using kinesis_test::unique_name;

kinesis::ClientConfig moto_config(bool verifying) {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = verifying ? kinesis_test::moto_verify_endpoint() : kinesis_test::moto_endpoint();
    config.credentials =
        verifying ? std::make_shared<kinesis::StaticCredentialsProvider>(kinesis_test::moto_verify_access_key_id(),
                                                                          kinesis_test::moto_verify_secret_access_key())
                  : std::make_shared<kinesis::StaticCredentialsProvider>("testing", "testing");
    return config;
}

void drop_table(const std::string& name, bool verifying = false) {
    kinesis::DynamoDbClient client(moto_config(verifying));
    REQUIRE(client.delete_table(name).has_value());
}

// The venv python that scripts/setup may have made (it has boto3), else python3.
std::string python() {
    const std::filesystem::path venv = std::filesystem::path(KINESIS_SOURCE_DIR) / ".local/venv/bin/python";
    return std::filesystem::exists(venv) ? venv.string() : std::string("python3");
}

// Runs lease_table_check.py against plain moto; its failed checks are on stderr.
void run_check(const std::string& table, const std::string& arguments) {
    const std::string command = python() + " " + KINESIS_SOURCE_DIR + "/tests/integration/lease_table_check.py " +
                                kinesis_test::moto_endpoint() + " " + table + " " + arguments;
    CAPTURE(command);
    const int status = std::system(command.c_str());
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);
}

std::map<std::string, Lease> by_key(const std::vector<Lease>& leases) {
    std::map<std::string, Lease> out;
    for (const auto& lease : leases) out.emplace(lease.lease_key, lease);
    return out;
}

}  // namespace

TEST_CASE("DynamoDb lease store: every operation, and every write refused on a stale counter or owner") {
    for (bool verifying : {false, true}) {
        CAPTURE(verifying);
        const auto table = unique_name("lease-store");
        kinesis::DynamoDbLeaseStore store(kinesis::DynamoDbClient(moto_config(verifying)), table,
                                          kinesis_test::fast_waiter);
        kinesis_test::run_lease_store_suite(store, "");
        drop_table(table, verifying);
    }
}

TEST_CASE("DynamoDb lease store: rows we write have exactly the KCL's attribute names and types (boto3)") {
    const auto table = unique_name("lease-store-types");
    kinesis::DynamoDbLeaseStore store(kinesis::DynamoDbClient(moto_config(false)), table, kinesis_test::fast_waiter);
    REQUIRE(store.ensure_table().has_value());

    Lease lease = kinesis_test::new_lease("shardId-000000000004");
    lease.parent_shard_ids = {"shardId-000000000001", "shardId-000000000002"};
    REQUIRE(ok_value(store.create_lease_if_absent(lease), "create"));
    run_check(table, "ours shardId-000000000004 - 0");
    // A bare lease: no owner, no sets, no range (nothing empty is written).
    Lease bare;
    bare.lease_key = "shardId-000000000005";
    bare.checkpoint = ExtendedSequenceNumber::latest();
    REQUIRE(ok_value(store.create_lease_if_absent(bare), "create bare"));
    run_check(table, "ours shardId-000000000005 - 0");

    Lease seen = ok_value(store.take_lease(lease, "worker-a"), "take");
    run_check(table, "ours shardId-000000000004 worker-a 1");
    seen = ok_value(store.renew_lease(seen), "renew");
    seen = ok_value(store.checkpoint(seen, {"49590338271490256608559692538361571095921575989136588898", 12}),
                    "checkpoint");
    seen = ok_value(store.update_child_shards(seen, {"shardId-000000000009"}), "children");
    run_check(table, "ours shardId-000000000004 worker-a 4");
    seen = ok_value(store.take_lease(seen, "worker-b"), "steal");
    CHECK(seen.owner_switches_since_checkpoint == 1);
    seen = ok_value(store.evict_lease(seen), "evict");
    run_check(table, "ours shardId-000000000004 - 6");
    drop_table(table);
}

TEST_CASE("DynamoDb lease store: a KCL 2.x table is joined, its checkpoints honoured and KCL 3.x non-lease rows untouched") {
    const auto table = unique_name("lease-store-kcl2");
    kinesis::DynamoDbLeaseStore store(kinesis::DynamoDbClient(moto_config(false)), table, kinesis_test::fast_waiter);
    REQUIRE(store.ensure_table().has_value());
    run_check(table, "fill");

    // Three leases listed, the two 3.x rows skipped.
    auto leases = by_key(ok_value(store.list_leases(), "list_leases"));
    REQUIRE(leases.size() == 3);
    CHECK(leases.count("Migration3.0") == 0);
    CHECK(leases.count("kcl3-worker-c") == 0);

    const Lease closed = leases.at("shardId-000000000000");
    CHECK(closed.lease_owner == std::optional<std::string>("kcl2-worker-a"));
    CHECK(closed.lease_counter == 17);
    CHECK(closed.checkpoint.is_shard_end());
    CHECK(closed.child_shard_ids == std::vector<std::string>{"shardId-000000000002"});
    CHECK(closed.parent_shard_ids.empty());

    const Lease open = leases.at("shardId-000000000001");
    CHECK(open.lease_owner == std::optional<std::string>("kcl2-worker-b"));
    CHECK(open.lease_counter == 5);
    CHECK(open.checkpoint == ExtendedSequenceNumber{"49590338271490256608559692538361571095921575989136588898", 7});
    CHECK(open.owner_switches_since_checkpoint == 2);
    CHECK(open.throughput_kbps == 3.5);
    REQUIRE(open.hash_key_range);
    CHECK(open.hash_key_range->ending_hash_key == "170141183460469231731687303715884105727");

    const Lease child = leases.at("shardId-000000000002");
    CHECK_FALSE(child.lease_owner);
    CHECK(child.lease_counter == 0);
    CHECK(child.checkpoint == ExtendedSequenceNumber::trim_horizon());
    CHECK(child.parent_shard_ids == std::vector<std::string>{"shardId-000000000000"});

    // We take the KCL worker's open lease: its checkpoint is where we resume, one more owner switch.
    Lease ours = ok_value(store.take_lease(open, "cpp-worker"), "take from the KCL worker");
    CHECK(ours.checkpoint == open.checkpoint);
    CHECK(ours.owner_switches_since_checkpoint == 3);
    CHECK(ours.lease_counter == 6);
    CHECK(ours.throughput_kbps == 3.5);

    // The KCL worker, still holding its old view, is refused; the row is ours.
    kinesis::LeaseLost lost;
    auto late = store.renew_lease(open, &lost);
    REQUIRE_FALSE(late);
    CHECK(kinesis::is_lease_lost(late.error()));
    REQUIRE(lost.current);
    CHECK(lost.current->lease_owner == std::optional<std::string>("cpp-worker"));

    ours = ok_value(store.renew_lease(ours), "renew");
    ours = ok_value(store.checkpoint(ours, {"49590338271490256608559692538361571095921575989136589999", 0}),
                    "checkpoint");
    CHECK(ours.owner_switches_since_checkpoint == 0);
    run_check(table, "ours shardId-000000000001 cpp-worker 8");

    // The child of the closed shard: taken from no owner, no switch counted.
    const Lease child_taken = ok_value(store.take_lease(child, "cpp-worker"), "take the child");
    CHECK(child_taken.owner_switches_since_checkpoint == 0);
    CHECK(child_taken.parent_shard_ids == std::vector<std::string>{"shardId-000000000000"});
    run_check(table, "ours shardId-000000000002 cpp-worker 1");

    // Still three leases; the non-lease rows and the unknown attribute are as the fill wrote them.
    CHECK(ok_value(store.list_leases(), "list again").size() == 3);
    run_check(table, "untouched");
    drop_table(table);
}

TEST_CASE("DynamoDb lease store: ensure_table creates an on-demand table keyed by leaseKey and accepts an existing one") {
    const auto table = unique_name("lease-store-table");
    kinesis::DynamoDbLeaseStore store(kinesis::DynamoDbClient(moto_config(false)), table, kinesis_test::fast_waiter);
    REQUIRE(store.ensure_table().has_value());
    kinesis::DynamoDbClient client(moto_config(false));
    auto described = client.describe_table(table);
    REQUIRE(described.has_value());
    CHECK(described->table_status == kinesis::TableStatus::Active);
    REQUIRE(described->key_schema.size() == 1);
    CHECK(described->key_schema[0].attribute_name == "leaseKey");
    CHECK(described->key_schema[0].key_type == kinesis::KeyType::Hash);
    REQUIRE(described->attribute_definitions.size() == 1);
    CHECK(described->attribute_definitions[0].attribute_type == kinesis::ScalarAttributeType::S);
    REQUIRE(described->billing_mode_summary);
    CHECK(described->billing_mode_summary->billing_mode == kinesis::BillingMode::PayPerRequest);

    // A second store on the same table (another worker) finds it ready.
    kinesis::DynamoDbLeaseStore second(kinesis::DynamoDbClient(moto_config(false)), table, kinesis_test::fast_waiter);
    REQUIRE(second.ensure_table().has_value());
    CHECK(ok_value(second.list_leases(), "list").empty());
    drop_table(table);
}
