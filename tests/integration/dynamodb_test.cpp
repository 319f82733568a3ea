// SPDX-License-Identifier: Apache-2.0
// DynamoDbClient against moto_server, plain and signature-verifying: tables
// (on demand, provisioned, indexes, waiters), every attribute type, the
// conditional writes a lease table makes, and scans of many pages.
#include <kinesis/dynamodb/dynamodb_client.hpp>

#include <kinesis/auth/credentials.hpp>

#include "integration/endpoints.hpp"
#include "unit/offline_client.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace {

using kinesis::AttributeValue;
using kinesis::Item;
using kinesis_test::fast_waiter;
using kinesis_test::unique_name;

template <class R>
void require_ok(const R& result, std::string_view what = {}) {
    REQUIRE_MESSAGE(result.has_value(), what, (result ? std::string() : ": " + result.error().to_string()));
}

struct MotoEndpoint {
    std::string name;
    kinesis::ClientConfig config;
};

// moto twice: once accepting any signature, once checking every SigV4
// signature against an IAM user's key (so DynamoDB requests are proven well signed).
std::vector<MotoEndpoint> moto_endpoints() {
    kinesis::ClientConfig plain;
    plain.region = "us-east-1";
    plain.endpoint = kinesis_test::moto_endpoint();
    plain.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("testing", "testing");
    kinesis::ClientConfig verifying = plain;
    verifying.endpoint = kinesis_test::moto_verify_endpoint();
    verifying.credentials = std::make_shared<kinesis::StaticCredentialsProvider>(
        kinesis_test::moto_verify_access_key_id(), kinesis_test::moto_verify_secret_access_key());
    return {{"moto", plain}, {"moto (verifying signatures)", verifying}};
}

// A KCL-style lease table, on demand, ACTIVE when returned.
std::string make_lease_table(kinesis::DynamoDbClient& client) {
    kinesis::CreateTableRequest request;
    request.table_name = unique_name("leases");
    request.attribute_definitions = {{"leaseKey", kinesis::ScalarAttributeType::S}};
    request.key_schema = {{"leaseKey", kinesis::KeyType::Hash}};
    require_ok(client.create_table(request), "create_table");
    require_ok(client.wait_until_table_exists(request.table_name, fast_waiter), "wait_until_table_exists");
    return request.table_name;
}

void drop_table(kinesis::DynamoDbClient& client, const std::string& name) {
    require_ok(client.delete_table(name), "delete_table");
    require_ok(client.wait_until_table_not_exists(name, fast_waiter), "wait_until_table_not_exists");
}

Item key_of(const std::string& shard) { return {{"leaseKey", AttributeValue::s(shard)}}; }

Item every_type(const std::string& shard) {
    return {
        {"leaseKey", AttributeValue::s(shard)},
        {"s", AttributeValue::s(u8"z\u00fcrich \"\u2713\"")},
        {"n", AttributeValue::n("12345678901234567890123456789012345678")},
        {"b", AttributeValue::b(std::string("\x00\x01\xfe\xff", 4))},
        {"ss", AttributeValue::ss({"shardId-1", "shardId-2"})},
        {"ns", AttributeValue::ns({"1", "-2.5"})},
        {"bs", AttributeValue::bs({std::string("\x00", 1), "\xff"})},
        {"t", AttributeValue::boolean(true)},
        {"f", AttributeValue::boolean(false)},
        {"z", AttributeValue::null()},
        {"l", AttributeValue::l({AttributeValue::s("x"), AttributeValue::n("3"),
                                 AttributeValue::m({{"inner", AttributeValue::ss({"a"})}}),
                                 AttributeValue::l({AttributeValue::null(), AttributeValue::b("bytes")})})},
        {"m", AttributeValue::m({{"n", AttributeValue::n("0.5")},
                                 {"l", AttributeValue::l({AttributeValue::bs({"q"})})},
                                 {"m", AttributeValue::m({{"t", AttributeValue::boolean(false)}})}})},
    };
}

std::optional<Item> consistent_get(kinesis::DynamoDbClient& client, const std::string& table, const std::string& shard) {
    kinesis::GetItemRequest get;
    get.table_name = table;
    get.key = key_of(shard);
    get.consistent_read = true;
    auto got = client.get_item(get);
    REQUIRE_MESSAGE(got.has_value(), (got ? std::string() : got.error().to_string()));
    return got->item;
}

// A renewal as the KCL makes it: the counter up by one, if it is the one seen.
kinesis::UpdateItemRequest renew(const std::string& table, const std::string& shard, std::int64_t seen) {
    kinesis::UpdateItemRequest request;
    request.table_name = table;
    request.key = key_of(shard);
    request.update_expression = "SET leaseCounter = leaseCounter + :one";
    request.condition_expression = "leaseCounter = :seen";
    request.expression_attribute_values = {{":one", AttributeValue::n("1")}, {":seen", AttributeValue::n(seen)}};
    request.return_values = kinesis::ReturnValue::AllNew;
    request.return_values_on_condition_check_failure = kinesis::ReturnValuesOnConditionCheckFailure::AllOld;
    return request;
}

}  // namespace

TEST_CASE("DynamoDb tables: on demand and provisioned with a GSI, waited ACTIVE, a GSI added, deleted and waited gone") {
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::DynamoDbClient client(endpoint.config);

        kinesis::CreateTableRequest on_demand;
        on_demand.table_name = unique_name("on-demand");
        on_demand.attribute_definitions = {{"leaseKey", kinesis::ScalarAttributeType::S}};
        on_demand.key_schema = {{"leaseKey", kinesis::KeyType::Hash}};
        auto created = client.create_table(on_demand);
        require_ok(created, "create_table on demand");
        CHECK(created->table_name == on_demand.table_name);
        auto active = client.wait_until_table_exists(on_demand.table_name, fast_waiter);
        require_ok(active, "wait_until_table_exists");
        CHECK(active->table_status == kinesis::TableStatus::Active);
        REQUIRE(active->billing_mode_summary);
        CHECK(active->billing_mode_summary->billing_mode == kinesis::BillingMode::PayPerRequest);
        CHECK(active->key_schema.size() == 1);
        CHECK(active->table_arn.find(":table/" + on_demand.table_name) != std::string::npos);

        kinesis::CreateTableRequest provisioned;
        provisioned.table_name = unique_name("provisioned");
        provisioned.attribute_definitions = {{"leaseKey", kinesis::ScalarAttributeType::S},
                                             {"leaseOwner", kinesis::ScalarAttributeType::S},
                                             {"startedAt", kinesis::ScalarAttributeType::N}};
        provisioned.key_schema = {{"leaseKey", kinesis::KeyType::Hash}};
        provisioned.billing_mode = kinesis::BillingMode::Provisioned;
        provisioned.provisioned_throughput = kinesis::ProvisionedThroughput{5, 3};
        kinesis::GlobalSecondaryIndex index;
        index.index_name = "LeaseOwnerToLeaseKeyIndex";
        index.key_schema = {{"leaseOwner", kinesis::KeyType::Hash}, {"startedAt", kinesis::KeyType::Range}};
        index.projection.projection_type = kinesis::ProjectionType::KeysOnly;
        index.provisioned_throughput = kinesis::ProvisionedThroughput{1, 1};
        provisioned.global_secondary_indexes = {index};
        provisioned.deletion_protection_enabled = false;
        require_ok(client.create_table(provisioned), "create_table provisioned");
        auto described = client.wait_until_table_exists(provisioned.table_name, fast_waiter);
        require_ok(described, "wait provisioned");
        CHECK(described->provisioned_throughput.read_capacity_units == 5);
        CHECK(described->provisioned_throughput.write_capacity_units == 3);
        REQUIRE(described->global_secondary_indexes.size() == 1);
        CHECK(described->global_secondary_indexes[0].index_name == "LeaseOwnerToLeaseKeyIndex");
        CHECK(described->global_secondary_indexes[0].key_schema.size() == 2);
        CHECK(described->global_secondary_indexes[0].projection.projection_type == kinesis::ProjectionType::KeysOnly);

        // UpdateTable: an index added to the on-demand table.
        kinesis::UpdateTableRequest update;
        update.table_name = on_demand.table_name;
        update.attribute_definitions = {{"leaseOwner", kinesis::ScalarAttributeType::S}};
        kinesis::GlobalSecondaryIndex by_owner;
        by_owner.index_name = "by-owner";
        by_owner.key_schema = {{"leaseOwner", kinesis::KeyType::Hash}};
        update.global_secondary_index_updates.push_back({by_owner, std::nullopt});
        require_ok(client.update_table(update), "update_table");
        auto updated = client.wait_until_table_exists(on_demand.table_name, fast_waiter);
        require_ok(updated, "wait after update_table");
        REQUIRE(updated->global_secondary_indexes.size() == 1);
        CHECK(updated->global_secondary_indexes[0].index_name == "by-owner");

        drop_table(client, on_demand.table_name);
        drop_table(client, provisioned.table_name);
        auto gone = client.describe_table(on_demand.table_name);
        REQUIRE_FALSE(gone);
        CHECK(gone.error().code == "ResourceNotFoundException");
        // TableExists keeps polling through ResourceNotFoundException, then times out.
        auto never = client.wait_until_table_exists(on_demand.table_name, {std::chrono::milliseconds(10), 2});
        REQUIRE_FALSE(never);
        CHECK(never.error().kind == kinesis::ErrorKind::Timeout);
    }
}

TEST_CASE("DynamoDb items: every attribute type round-trips through put_item and a consistent get_item") {
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::DynamoDbClient client(endpoint.config);
        const auto table = make_lease_table(client);

        kinesis::PutItemRequest put;
        put.table_name = table;
        put.item = every_type("shardId-000000000000");
        require_ok(client.put_item(put), "put_item");
        auto item = consistent_get(client, table, "shardId-000000000000");
        REQUIRE(item);
        CHECK(*item == put.item);
        CHECK(*item->at("n").as_n() == "12345678901234567890123456789012345678");
        CHECK(*item->at("b").as_b() == std::string("\x00\x01\xfe\xff", 4));
        CHECK_FALSE(consistent_get(client, table, "shardId-999"));

        // Replacing it hands back the item that was there (ALL_OLD).
        put.item = key_of("shardId-000000000000");
        put.return_values = kinesis::ReturnValue::AllOld;
        auto replaced = client.put_item(put);
        require_ok(replaced, "put_item ALL_OLD");
        REQUIRE(replaced->attributes);
        CHECK(replaced->attributes->at("ss") == AttributeValue::ss({"shardId-2", "shardId-1"}));
        drop_table(client, table);
    }
}

TEST_CASE("DynamoDb conditional writes: a lease taken once, renewed on its counter, refused with the old item") {
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::DynamoDbClient client(endpoint.config);
        const auto table = make_lease_table(client);
        const std::string shard = "shardId-000000000001";

        kinesis::PutItemRequest create;
        create.table_name = table;
        create.item = {{"leaseKey", AttributeValue::s(shard)},
                       {"leaseOwner", AttributeValue::s("worker-1")},
                       {"leaseCounter", AttributeValue::n("0")},
                       {"checkpoint", AttributeValue::s("TRIM_HORIZON")}};
        create.condition_expression = "attribute_not_exists(leaseKey)";
        create.return_values_on_condition_check_failure = kinesis::ReturnValuesOnConditionCheckFailure::AllOld;
        require_ok(client.put_item(create), "first put_item");

        // A second create: the condition fails and the existing lease comes back.
        create.item["leaseOwner"] = AttributeValue::s("worker-2");
        kinesis::ConditionalCheckFailure failure;
        auto again = client.put_item(create, &failure);
        REQUIRE_FALSE(again);
        CHECK(kinesis::is_conditional_check_failed(again.error()));
        CHECK(again.error().http_status == 400);
        REQUIRE(failure.item);
        CHECK(*failure.item->at("leaseOwner").as_s() == "worker-1");

        // Renewal on the counter seen: succeeds, ALL_NEW.
        auto renewed = client.update_item(renew(table, shard, 0), &failure);
        require_ok(renewed, "renewal");
        CHECK_FALSE(failure.item);  // reset by the call
        REQUIRE(renewed->attributes);
        CHECK(renewed->attributes->at("leaseCounter").as_int64() == 1);
        CHECK(*renewed->attributes->at("leaseOwner").as_s() == "worker-1");

        // The same renewal again: the counter moved on, so it fails with the item as it is.
        auto stale = client.update_item(renew(table, shard, 0), &failure);
        REQUIRE_FALSE(stale);
        CHECK(kinesis::is_conditional_check_failed(stale.error()));
        CHECK(stale.error().code == "ConditionalCheckFailedException");
        CHECK_FALSE(stale.error().request_id.empty());
        REQUIRE(failure.item);
        CHECK(failure.item->at("leaseCounter").as_int64() == 1);
        CHECK(*failure.item->at("checkpoint").as_s() == "TRIM_HORIZON");

        // Without ALL_OLD the failure carries no item; without `failure` nothing is kept.
        auto bare = renew(table, shard, 0);
        bare.return_values_on_condition_check_failure.reset();
        auto refused = client.update_item(bare, &failure);
        REQUIRE_FALSE(refused);
        CHECK(kinesis::is_conditional_check_failed(refused.error()));
        CHECK_FALSE(failure.item);
        CHECK_FALSE(client.update_item(renew(table, shard, 0)));
        CHECK(consistent_get(client, table, shard)->at("leaseCounter").as_int64() == 1);

        // Delete on a condition: refused while the checkpoint is not SHARD_END, then done.
        kinesis::DeleteItemRequest remove;
        remove.table_name = table;
        remove.key = key_of(shard);
        remove.condition_expression = "#c = :end";
        remove.expression_attribute_names = {{"#c", "checkpoint"}};
        remove.expression_attribute_values = {{":end", AttributeValue::s("SHARD_END")}};
        remove.return_values = kinesis::ReturnValue::AllOld;
        remove.return_values_on_condition_check_failure = kinesis::ReturnValuesOnConditionCheckFailure::AllOld;
        auto kept = client.delete_item(remove, &failure);
        REQUIRE_FALSE(kept);
        CHECK(kinesis::is_conditional_check_failed(kept.error()));
        REQUIRE(failure.item);
        CHECK(*failure.item->at("checkpoint").as_s() == "TRIM_HORIZON");

        kinesis::UpdateItemRequest finish;
        finish.table_name = table;
        finish.key = key_of(shard);
        finish.update_expression = "SET checkpoint = :end";
        finish.expression_attribute_values = {{":end", AttributeValue::s("SHARD_END")}};
        require_ok(client.update_item(finish), "checkpoint SHARD_END");
        auto deleted = client.delete_item(remove, &failure);
        require_ok(deleted, "conditional delete");
        REQUIRE(deleted->attributes);
        CHECK(*deleted->attributes->at("checkpoint").as_s() == "SHARD_END");
        CHECK_FALSE(failure.item);
        CHECK_FALSE(consistent_get(client, table, shard));
        drop_table(client, table);
    }
}

TEST_CASE("DynamoDb update_item returns ALL_NEW and UPDATED_OLD, and adds to and deletes from a string set") {
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::DynamoDbClient client(endpoint.config);
        const auto table = make_lease_table(client);
        const std::string shard = "shardId-000000000002";

        kinesis::UpdateItemRequest add;
        add.table_name = table;
        add.key = key_of(shard);
        add.update_expression = "ADD childShardIds :kids SET leaseOwner = :me";
        add.expression_attribute_values = {{":kids", AttributeValue::ss({"shardId-3", "shardId-4"})},
                                           {":me", AttributeValue::s("worker-1")}};
        add.return_values = kinesis::ReturnValue::AllNew;
        auto added = client.update_item(add);
        require_ok(added, "ADD to a string set");
        REQUIRE(added->attributes);
        CHECK(added->attributes->at("childShardIds") == AttributeValue::ss({"shardId-4", "shardId-3"}));
        CHECK(*added->attributes->at("leaseKey").as_s() == shard);

        kinesis::UpdateItemRequest remove;
        remove.table_name = table;
        remove.key = key_of(shard);
        remove.update_expression = "DELETE childShardIds :gone SET leaseOwner = :other";
        remove.expression_attribute_values = {{":gone", AttributeValue::ss({"shardId-3"})},
                                              {":other", AttributeValue::s("worker-2")}};
        remove.return_values = kinesis::ReturnValue::UpdatedOld;
        auto removed = client.update_item(remove);
        require_ok(removed, "DELETE from a string set");
        REQUIRE(removed->attributes);
        CHECK(*removed->attributes->at("leaseOwner").as_s() == "worker-1");
        CHECK(removed->attributes->count("leaseKey") == 0);

        auto item = consistent_get(client, table, shard);
        REQUIRE(item);
        CHECK(item->at("childShardIds") == AttributeValue::ss({"shardId-4"}));
        CHECK(*item->at("leaseOwner").as_s() == "worker-2");
        drop_table(client, table);
    }
}

TEST_CASE("DynamoDb scan_all follows LastEvaluatedKey through more than one page") {
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::DynamoDbClient client(endpoint.config);
        const auto table = make_lease_table(client);
        std::set<std::string> written;
        for (int i = 0; i < 7; ++i) {
            kinesis::PutItemRequest put;
            put.table_name = table;
            put.item = {{"leaseKey", AttributeValue::s("shardId-" + std::to_string(i))},
                        {"leaseCounter", AttributeValue::n(std::int64_t{i})}};
            require_ok(client.put_item(put), "put_item");
            written.insert("shardId-" + std::to_string(i));
        }

        kinesis::ScanRequest scan;
        scan.table_name = table;
        scan.limit = 3;
        auto first = client.scan(scan);
        require_ok(first, "scan");
        CHECK(first->items.size() == 3);
        CHECK(first->count == 3);
        REQUIRE(first->last_evaluated_key);

        auto all = client.scan_all(scan);
        require_ok(all, "scan_all");
        std::set<std::string> read;
        for (const auto& item : *all) read.insert(*item.at("leaseKey").as_s());
        CHECK(all->size() == 7);
        CHECK(read == written);

        // A filter is applied page by page; scan_all gathers what each page kept.
        scan.filter_expression = "leaseCounter >= :min";
        scan.expression_attribute_values = {{":min", AttributeValue::n("4")}};
        auto filtered = client.scan_all(scan);
        require_ok(filtered, "scan_all with a filter");
        CHECK(filtered->size() == 3);
        drop_table(client, table);
    }
}

TEST_CASE("DynamoDb every operation rejects bad input before sending") {
    auto config = kinesis_test::unreachable_config();
    config.endpoint = kinesis_test::moto_endpoint();  // a server that would answer: nothing reaches it
    kinesis::DynamoDbClient client(config);
    using kinesis_test::rejected;

    kinesis::CreateTableRequest create;
    create.table_name = "ok-table";
    CHECK(rejected(client.create_table(create)).find("key_schema is empty") != std::string::npos);
    CHECK(rejected(client.describe_table("no")).find("table_name") != std::string::npos);
    CHECK(rejected(client.delete_table("bad name")).find("table_name") != std::string::npos);
    kinesis::UpdateTableRequest update;
    update.table_name = "ok-table";
    CHECK(rejected(client.update_table(update)).find("nothing to update") != std::string::npos);
    CHECK(rejected(client.wait_until_table_exists("")).find("table_name is empty") != std::string::npos);
    CHECK(rejected(client.wait_until_table_not_exists("")).find("table_name is empty") != std::string::npos);
    kinesis::GetItemRequest get;
    get.table_name = "ok-table";
    CHECK(rejected(client.get_item(get)).find("key is empty") != std::string::npos);
    kinesis::PutItemRequest put;
    put.table_name = "ok-table";
    put.item = {{"k", AttributeValue::s("v")}, {"set", AttributeValue::ns({})}};
    CHECK(rejected(client.put_item(put)).find("empty NS") != std::string::npos);
    kinesis::UpdateItemRequest change;
    change.table_name = "ok-table";
    change.key = {{"k", AttributeValue::n("1x")}};
    CHECK(rejected(client.update_item(change)).find("is not a number") != std::string::npos);
    kinesis::DeleteItemRequest remove;
    remove.table_name = "ok-table";
    remove.key = {{"k", AttributeValue::s("v")}};
    remove.condition_expression = "";
    CHECK(rejected(client.delete_item(remove)).find("condition_expression is empty") != std::string::npos);
    kinesis::ScanRequest scan;
    scan.table_name = "ok-table";
    scan.limit = 0;
    CHECK(rejected(client.scan(scan)).find("limit is 0") != std::string::npos);
    CHECK(rejected(client.scan_all(scan)).find("limit is 0") != std::string::npos);
}
