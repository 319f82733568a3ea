// SPDX-License-Identifier: Apache-2.0
// DynamoDbClient without a server: AttributeValue, input checks (nothing is
// sent on bad input), request bodies, answer and error parsers.
#include <kinesis/dynamodb/dynamodb_client.hpp>

#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/dynamodb/detail/wire.hpp>
#include <kinesis/protocol/detail/service_client.hpp>

#include "aws_env.hpp"
#include "offline_client.hpp"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace {

using kinesis::AttributeValue;
using kinesis::Item;
using kinesis_test::rejected;
using kinesis_test::unreachable_config;

// The KCL lease table: hash key leaseKey, on demand.
kinesis::CreateTableRequest lease_table() {
    kinesis::CreateTableRequest request;
    request.table_name = "lease-app";
    request.attribute_definitions = {{"leaseKey", kinesis::ScalarAttributeType::S}};
    request.key_schema = {{"leaseKey", kinesis::KeyType::Hash}};
    return request;
}

Item lease_key() { return {{"leaseKey", AttributeValue::s("shardId-000000000000")}}; }

// A renewal: the counter goes up by one, only if it is still the one seen.
kinesis::UpdateItemRequest renewal() {
    kinesis::UpdateItemRequest request;
    request.table_name = "lease-app";
    request.key = lease_key();
    request.update_expression = "SET leaseCounter = leaseCounter + :one";
    request.condition_expression = "leaseCounter = :seen AND #owner = :me";
    request.expression_attribute_names = {{"#owner", "leaseOwner"}};
    request.expression_attribute_values = {
        {":one", AttributeValue::n("1")}, {":seen", AttributeValue::n("41")}, {":me", AttributeValue::s("worker-1")}};
    request.return_values = kinesis::ReturnValue::AllNew;
    request.return_values_on_condition_check_failure = kinesis::ReturnValuesOnConditionCheckFailure::AllOld;
    return request;
}

// Every type, the composite ones nested in each other.
Item every_type() {
    return {
        {"s", AttributeValue::s("text \"quoted\"")},
        {"n", AttributeValue::n("-12.5E+3")},
        {"b", AttributeValue::b(std::string("\x00\xff\x10", 3))},
        {"ss", AttributeValue::ss({"a", "b"})},
        {"ns", AttributeValue::ns({"1", "12345678901234567890123456789012345678"})},
        {"bs", AttributeValue::bs({"x", std::string("\x01\x02", 2)})},
        {"t", AttributeValue::boolean(true)},
        {"z", AttributeValue::null()},
        {"l", AttributeValue::l({AttributeValue::s("one"), AttributeValue::n("2"),
                                 AttributeValue::m({{"inner", AttributeValue::ss({"p"})}}),
                                 AttributeValue::l({AttributeValue::boolean(false), AttributeValue::null()})})},
        {"m", AttributeValue::m({{"b", AttributeValue::b("hi")},
                                 {"l", AttributeValue::l({AttributeValue::ns({"7"})})},
                                 {"m", AttributeValue::m({{"bs", AttributeValue::bs({"q"})}})}})},
    };
}

constexpr std::string_view every_type_json =
    R"({"b":{"B":"AP8Q"},"bs":{"BS":["eA==","AQI="]},)"
    R"("l":{"L":[{"S":"one"},{"N":"2"},{"M":{"inner":{"SS":["p"]}}},{"L":[{"BOOL":false},{"NULL":true}]}]},)"
    R"("m":{"M":{"b":{"B":"aGk="},"l":{"L":[{"NS":["7"]}]},"m":{"M":{"bs":{"BS":["cQ=="]}}}}},)"
    R"("n":{"N":"-12.5E+3"},"ns":{"NS":["1","12345678901234567890123456789012345678"]},)"
    R"("s":{"S":"text \"quoted\""},"ss":{"SS":["a","b"]},"t":{"BOOL":true},"z":{"NULL":true}})";

kinesis::HttpResponse answer(int status, std::string body) {
    kinesis::HttpResponse response;
    response.status = status;
    response.headers = {{"x-amzn-RequestId", "REQ123"}};
    response.body = std::move(body);
    return response;
}

}  // namespace

TEST_CASE("AttributeValue holds exactly one type, with accessors for it only") {
    const auto s = AttributeValue::s("x");
    CHECK(s.type() == kinesis::AttributeType::S);
    REQUIRE(s.as_s() != nullptr);
    CHECK(*s.as_s() == "x");
    CHECK(s.as_n() == nullptr);
    CHECK(s.as_m() == nullptr);
    CHECK(AttributeValue().is_null());
    CHECK(*AttributeValue::n(std::int64_t{-42}).as_n() == "-42");
    CHECK(AttributeValue::n("42").as_int64() == 42);
    CHECK_FALSE(AttributeValue::n("4.2").as_int64());
    CHECK_FALSE(AttributeValue::s("42").as_int64());
    CHECK(*AttributeValue::boolean(false).as_bool() == false);
    CHECK(AttributeValue::ss({"a"}).as_ns() == nullptr);
    const auto m = AttributeValue::m({{"k", AttributeValue::l({AttributeValue::n("1")})}});
    REQUIRE(m.as_m() != nullptr);
    CHECK(*m.as_m()->at("k").as_l()->at(0).as_n() == "1");
    for (const auto type : {kinesis::AttributeType::S, kinesis::AttributeType::N, kinesis::AttributeType::B,
                            kinesis::AttributeType::SS, kinesis::AttributeType::NS, kinesis::AttributeType::BS,
                            kinesis::AttributeType::Bool, kinesis::AttributeType::Null, kinesis::AttributeType::L,
                            kinesis::AttributeType::M}) {
        CAPTURE(static_cast<int>(type));
        CHECK(kinesis::to_string(type) != "UNKNOWN");
    }
    CHECK(kinesis::to_string(kinesis::AttributeType::Bool) == "BOOL");
    CHECK(kinesis::to_string(kinesis::AttributeType::Null) == "NULL");
}

TEST_CASE("AttributeValue copies deeply and compares sets as sets") {
    auto original = AttributeValue::m({{"k", AttributeValue::s("v")}});
    auto copy = original;
    original = AttributeValue::n("1");
    REQUIRE(copy.as_m() != nullptr);
    CHECK(*copy.as_m()->at("k").as_s() == "v");
    CHECK(AttributeValue::ss({"a", "b"}) == AttributeValue::ss({"b", "a"}));
    CHECK(AttributeValue::ss({"a", "b"}) != AttributeValue::ns({"a", "b"}));
    CHECK(AttributeValue::l({AttributeValue::s("a"), AttributeValue::s("b")}) !=
          AttributeValue::l({AttributeValue::s("b"), AttributeValue::s("a")}));
    CHECK(AttributeValue::n("1") != AttributeValue::n("1.0"));
    CHECK(AttributeValue::m(every_type()) == AttributeValue::m(every_type()));
}

TEST_CASE("DynamoDB enums have their wire names") {
    using namespace kinesis;
    CHECK(to_string(KeyType::Hash) == "HASH");
    CHECK(to_string(KeyType::Range) == "RANGE");
    CHECK(to_string(BillingMode::PayPerRequest) == "PAY_PER_REQUEST");
    CHECK(to_string(BillingMode::Provisioned) == "PROVISIONED");
    CHECK(to_string(ProjectionType::KeysOnly) == "KEYS_ONLY");
    CHECK(to_string(TableStatus::InaccessibleEncryptionCredentials) == "INACCESSIBLE_ENCRYPTION_CREDENTIALS");
    CHECK(to_string(IndexStatus::Active) == "ACTIVE");
    CHECK(to_string(ReturnValue::UpdatedOld) == "UPDATED_OLD");
    CHECK(to_string(ReturnValuesOnConditionCheckFailure::AllOld) == "ALL_OLD");
}

TEST_CASE("DynamoDB CreateTable body: on demand, and provisioned with a GSI and deletion protection") {
    auto request = lease_table();
    REQUIRE_FALSE(kinesis::detail::check_create_table(request));
    std::string body;
    kinesis::detail::write_create_table(request, body);
    CHECK(body == R"({"AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"}],)"
                  R"("TableName":"lease-app","KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],)"
                  R"("BillingMode":"PAY_PER_REQUEST"})");

    request.attribute_definitions.push_back({"leaseOwner", kinesis::ScalarAttributeType::S});
    request.billing_mode = kinesis::BillingMode::Provisioned;
    request.provisioned_throughput = kinesis::ProvisionedThroughput{10, 5};
    kinesis::GlobalSecondaryIndex index;
    index.index_name = "LeaseOwnerToLeaseKeyIndex";
    index.key_schema = {{"leaseOwner", kinesis::KeyType::Hash}, {"leaseKey", kinesis::KeyType::Range}};
    index.projection.projection_type = kinesis::ProjectionType::KeysOnly;
    index.provisioned_throughput = kinesis::ProvisionedThroughput{1, 1};
    request.global_secondary_indexes = {index};
    request.deletion_protection_enabled = true;
    REQUIRE_FALSE(kinesis::detail::check_create_table(request));
    body.clear();
    kinesis::detail::write_create_table(request, body);
    CHECK(body ==
          R"({"AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"},)"
          R"({"AttributeName":"leaseOwner","AttributeType":"S"}],"TableName":"lease-app",)"
          R"("KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],)"
          R"("GlobalSecondaryIndexes":[{"IndexName":"LeaseOwnerToLeaseKeyIndex","KeySchema":[)"
          R"({"AttributeName":"leaseOwner","KeyType":"HASH"},{"AttributeName":"leaseKey","KeyType":"RANGE"}],)"
          R"("Projection":{"ProjectionType":"KEYS_ONLY"},"ProvisionedThroughput":{"ReadCapacityUnits":1,)"
          R"("WriteCapacityUnits":1}}],"BillingMode":"PROVISIONED","ProvisionedThroughput":{)"
          R"("ReadCapacityUnits":10,"WriteCapacityUnits":5},"DeletionProtectionEnabled":true})");
}

TEST_CASE("DynamoDB UpdateTable body adds and removes an index") {
    kinesis::UpdateTableRequest request;
    request.table_name = "lease-app";
    request.attribute_definitions = {{"leaseOwner", kinesis::ScalarAttributeType::S}};
    kinesis::GlobalSecondaryIndex index;
    index.index_name = "by-owner";
    index.key_schema = {{"leaseOwner", kinesis::KeyType::Hash}};
    index.projection.projection_type = kinesis::ProjectionType::Include;
    index.projection.non_key_attributes = {"checkpoint"};
    request.global_secondary_index_updates.push_back({index, std::nullopt});
    request.global_secondary_index_updates.push_back({std::nullopt, kinesis::DeleteGlobalSecondaryIndexAction{"old"}});
    REQUIRE_FALSE(kinesis::detail::check_update_table(request));
    std::string body;
    kinesis::detail::write_update_table(request, body);
    CHECK(body == R"({"AttributeDefinitions":[{"AttributeName":"leaseOwner","AttributeType":"S"}],)"
                  R"("TableName":"lease-app","GlobalSecondaryIndexUpdates":[{"Create":{"IndexName":"by-owner",)"
                  R"("KeySchema":[{"AttributeName":"leaseOwner","KeyType":"HASH"}],"Projection":{)"
                  R"("ProjectionType":"INCLUDE","NonKeyAttributes":["checkpoint"]}}},)"
                  R"({"Delete":{"IndexName":"old"}}]})");
}

TEST_CASE("DynamoDB item bodies: every type, get, conditional update and delete, scan") {
    kinesis::PutItemRequest put;
    put.table_name = "lease-app";
    put.item = every_type();
    put.condition_expression = "attribute_not_exists(s)";
    REQUIRE_FALSE(kinesis::detail::check_put_item(put));
    std::string body;
    kinesis::detail::write_put_item(put, body);
    CHECK(body == std::string(R"({"TableName":"lease-app","Item":)") + std::string(every_type_json) +
                      R"j(,"ConditionExpression":"attribute_not_exists(s)"})j");

    kinesis::GetItemRequest get;
    get.table_name = "lease-app";
    get.key = lease_key();
    get.consistent_read = true;
    get.projection_expression = "#o, leaseCounter";
    get.expression_attribute_names = {{"#o", "leaseOwner"}};
    REQUIRE_FALSE(kinesis::detail::check_get_item(get));
    body.clear();
    kinesis::detail::write_get_item(get, body);
    CHECK(body == R"({"TableName":"lease-app","Key":{"leaseKey":{"S":"shardId-000000000000"}},)"
                  R"("ConsistentRead":true,"ProjectionExpression":"#o, leaseCounter",)"
                  R"("ExpressionAttributeNames":{"#o":"leaseOwner"}})");

    const auto update = renewal();
    REQUIRE_FALSE(kinesis::detail::check_update_item(update));
    body.clear();
    kinesis::detail::write_update_item(update, body);
    CHECK(body == R"({"TableName":"lease-app","Key":{"leaseKey":{"S":"shardId-000000000000"}},)"
                  R"("ReturnValues":"ALL_NEW","UpdateExpression":"SET leaseCounter = leaseCounter + :one",)"
                  R"("ConditionExpression":"leaseCounter = :seen AND #owner = :me",)"
                  R"("ExpressionAttributeNames":{"#owner":"leaseOwner"},"ExpressionAttributeValues":{)"
                  R"(":me":{"S":"worker-1"},":one":{"N":"1"},":seen":{"N":"41"}},)"
                  R"("ReturnValuesOnConditionCheckFailure":"ALL_OLD"})");

    kinesis::DeleteItemRequest remove;
    remove.table_name = "lease-app";
    remove.key = lease_key();
    remove.condition_expression = "checkpoint = :end";
    remove.expression_attribute_values = {{":end", AttributeValue::s("SHARD_END")}};
    remove.return_values = kinesis::ReturnValue::AllOld;
    REQUIRE_FALSE(kinesis::detail::check_delete_item(remove));
    body.clear();
    kinesis::detail::write_delete_item(remove, body);
    CHECK(body == R"({"TableName":"lease-app","Key":{"leaseKey":{"S":"shardId-000000000000"}},)"
                  R"("ReturnValues":"ALL_OLD","ConditionExpression":"checkpoint = :end",)"
                  R"("ExpressionAttributeValues":{":end":{"S":"SHARD_END"}}})");

    kinesis::ScanRequest scan;
    scan.table_name = "lease-app";
    scan.limit = 2;
    scan.exclusive_start_key = lease_key();
    scan.filter_expression = "entityType <> :other";
    scan.expression_attribute_values = {{":other", AttributeValue::s("WORKER")}};
    scan.consistent_read = true;
    REQUIRE_FALSE(kinesis::detail::check_scan(scan));
    body.clear();
    kinesis::detail::write_scan(scan, body);
    CHECK(body == R"({"TableName":"lease-app","Limit":2,"ExclusiveStartKey":{"leaseKey":{"S":"shardId-000000000000"}},)"
                  R"("FilterExpression":"entityType <> :other","ExpressionAttributeValues":{":other":{"S":"WORKER"}},)"
                  R"("ConsistentRead":true})");

    body.clear();
    kinesis::detail::write_table_name("lease-app", body);
    CHECK(body == R"({"TableName":"lease-app"})");
}

TEST_CASE("DynamoDB GetItem answer reads every type nested in L and M") {
    kinesis::detail::JsonParser parser;
    const auto parsed = kinesis::detail::parse_get_item(
        parser, std::string(R"({"Item":)") + std::string(every_type_json) + "}");
    REQUIRE(parsed);
    REQUIRE(parsed->item);
    CHECK(*parsed->item == every_type());
    const auto& item = *parsed->item;
    CHECK(*item.at("b").as_b() == std::string("\x00\xff\x10", 3));
    CHECK(*item.at("bs").as_bs() == std::vector<std::string>{"x", std::string("\x01\x02", 2)});
    CHECK(*item.at("ns").as_ns() == std::vector<std::string>{"1", "12345678901234567890123456789012345678"});
    const auto& nested = *item.at("l").as_l();
    REQUIRE(nested.size() == 4);
    CHECK(*nested[2].as_m()->at("inner").as_ss() == std::vector<std::string>{"p"});
    CHECK(nested[3].as_l()->at(1).is_null());
    CHECK(*item.at("m").as_m()->at("m").as_m()->at("bs").as_bs() == std::vector<std::string>{"q"});

    const auto none = kinesis::detail::parse_get_item(parser, "{}");
    REQUIRE(none);
    CHECK_FALSE(none->item);
    CHECK_FALSE(kinesis::detail::parse_get_item(parser, R"({"Item":{"b":{"B":"not base64!"}}})"));
}

TEST_CASE("DynamoDB table, write and scan answers") {
    kinesis::detail::JsonParser parser;
    const std::string table =
        R"({"Table":{"AttributeDefinitions":[{"AttributeName":"leaseKey","AttributeType":"S"}],)"
        R"("TableName":"lease-app","KeySchema":[{"AttributeName":"leaseKey","KeyType":"HASH"}],)"
        R"("TableStatus":"ACTIVE","CreationDateTime":1.7E9,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,)"
        R"("ReadCapacityUnits":0,"WriteCapacityUnits":0},"TableSizeBytes":12,"ItemCount":3,)"
        R"("TableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/lease-app",)"
        R"("TableId":"0a1b2c3d-0000-4000-8000-000000000000","BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},)"
        R"("GlobalSecondaryIndexes":[{"IndexName":"by-owner","KeySchema":[{"AttributeName":"leaseOwner",)"
        R"("KeyType":"HASH"}],"Projection":{"ProjectionType":"ALL"},"IndexStatus":"CREATING","Backfilling":true,)"
        R"("ItemCount":0}],"DeletionProtectionEnabled":true,"SomethingNew":{"x":[1]}}})";
    const auto described = kinesis::detail::parse_describe_table(parser, table);
    REQUIRE(described);
    CHECK(described->table_name == "lease-app");
    CHECK(described->table_status == kinesis::TableStatus::Active);
    CHECK(described->item_count == 3);
    CHECK(described->table_size_bytes == 12);
    CHECK(described->creation_date_time.has_value());
    REQUIRE(described->billing_mode_summary);
    CHECK(described->billing_mode_summary->billing_mode == kinesis::BillingMode::PayPerRequest);
    REQUIRE(described->global_secondary_indexes.size() == 1);
    CHECK(described->global_secondary_indexes[0].index_status == kinesis::IndexStatus::Creating);
    CHECK(described->global_secondary_indexes[0].backfilling);
    CHECK(described->deletion_protection_enabled);
    CHECK(described->key_schema.at(0).key_type == kinesis::KeyType::Hash);
    // Create, update and delete answer with TableDescription instead of Table.
    CHECK_FALSE(kinesis::detail::parse_table_description(parser, table));
    CHECK(kinesis::detail::parse_table_description(parser, R"({"TableDescription":{"TableName":"t12"}})")->table_name ==
          "t12");

    const auto written = kinesis::detail::parse_write_item(parser, R"({"Attributes":{"leaseCounter":{"N":"42"}}})");
    REQUIRE(written);
    REQUIRE(written->attributes);
    CHECK(written->attributes->at("leaseCounter").as_int64() == 42);
    CHECK_FALSE(kinesis::detail::parse_write_item(parser, "{}")->attributes);

    const auto page = kinesis::detail::parse_scan(
        parser, R"({"Items":[{"k":{"S":"a"}},{"k":{"S":"b"}}],"Count":2,"ScannedCount":3,)"
                R"("LastEvaluatedKey":{"k":{"S":"b"}}})");
    REQUIRE(page);
    CHECK(page->items.size() == 2);
    CHECK(page->count == 2);
    CHECK(page->scanned_count == 3);
    REQUIRE(page->last_evaluated_key);
    CHECK(*page->last_evaluated_key->at("k").as_s() == "b");
}

TEST_CASE("DynamoDB ConditionalCheckFailedException is a Service error and carries the ALL_OLD item") {
    const std::string body =
        R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",)"
        R"("message":"The conditional request failed","Item":{"leaseKey":{"S":"shardId-000000000000"},)"
        R"("leaseOwner":{"S":"worker-2"},"leaseCounter":{"N":"43"},"parentShardIds":{"SS":["p1","p2"]}}})";
    kinesis::detail::JsonParser parser;
    const auto error = kinesis::detail::extract_error(answer(400, body), parser);
    CHECK(error.kind == kinesis::ErrorKind::Service);
    CHECK(error.code == "ConditionalCheckFailedException");
    CHECK(error.message == "The conditional request failed");
    CHECK(error.request_id == "REQ123");
    CHECK_FALSE(error.retryable());
    CHECK(kinesis::is_conditional_check_failed(error));

    const auto failure = kinesis::detail::parse_conditional_check_failure(parser, body);
    REQUIRE(failure);
    REQUIRE(failure->item);
    CHECK(failure->item->at("leaseCounter").as_int64() == 43);
    CHECK(*failure->item->at("leaseOwner").as_s() == "worker-2");
    CHECK(failure->item->at("parentShardIds") == AttributeValue::ss({"p2", "p1"}));

    // Without ALL_OLD the body has no item.
    const auto bare = kinesis::detail::parse_conditional_check_failure(
        parser, R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"x"})");
    REQUIRE(bare);
    CHECK_FALSE(bare->item);

    kinesis::Error other;
    other.code = "ResourceNotFoundException";
    CHECK_FALSE(kinesis::is_conditional_check_failed(other));
    other.code = "ConditionalCheckFailedException";
    other.kind = kinesis::ErrorKind::InvalidArgument;
    CHECK_FALSE(kinesis::is_conditional_check_failed(other));
}

TEST_CASE("DynamoDB table names: 3 to 255 of [a-zA-Z0-9_.-], or a table ARN") {
    kinesis::DynamoDbClient client(unreachable_config());
    CHECK(rejected(client.describe_table("")) == "describe_table: table_name is empty; it must have 3 to 255 characters");
    CHECK(rejected(client.describe_table("ab")) == "describe_table: table_name \"ab\" has 2 characters; it must have 3 to 255");
    CHECK(rejected(client.describe_table(std::string(256, 'a'))) ==
          "describe_table: table_name has 256 characters; the limit is 255");
    CHECK(rejected(client.delete_table("lease app")) ==
          "delete_table: table_name \"lease app\" has a character outside [a-zA-Z0-9_.-]");
    CHECK(rejected(client.describe_table("arn:" + std::string(1021, 'a'))) ==
          "describe_table: table_name has 1025 characters; the limit is 1024 for a table ARN");
    CHECK_FALSE(kinesis::detail::check_table_name("op", "table_name", "arn:aws:dynamodb:us-east-1:123456789012:table/t"));
    CHECK(rejected(client.wait_until_table_exists("x")) ==
          "wait_until_table_exists: table_name \"x\" has 1 characters; it must have 3 to 255");
    CHECK(rejected(client.wait_until_table_not_exists("lease-app", {std::chrono::milliseconds(1), 0})) ==
          "wait_until_table_not_exists: max_attempts is 0; it must be at least 1");
}

TEST_CASE("create_table and update_table reject bad schemas before sending") {
    kinesis::DynamoDbClient client(unreachable_config());
    auto request = lease_table();
    request.key_schema.clear();
    CHECK(rejected(client.create_table(request)) ==
          "create_table: key_schema is empty; it needs a HASH attribute, then optionally a RANGE one");
    request = lease_table();
    request.key_schema[0].key_type = kinesis::KeyType::Range;
    CHECK(rejected(client.create_table(request)) == "create_table: key_schema[0] is RANGE; the first element must be HASH");
    request = lease_table();
    request.key_schema[0].attribute_name = "shard";
    CHECK(rejected(client.create_table(request)) ==
          "create_table: key_schema[0] names \"shard\", which attribute_definitions does not define");
    request = lease_table();
    request.attribute_definitions.push_back({"leaseOwner", kinesis::ScalarAttributeType::S});
    CHECK(rejected(client.create_table(request)) ==
          "create_table: attribute_definitions[1] \"leaseOwner\" is in no key schema; DynamoDB rejects unused "
          "definitions");
    request = lease_table();
    request.billing_mode = kinesis::BillingMode::Provisioned;
    CHECK(rejected(client.create_table(request)) ==
          "create_table: provisioned_throughput is required with billing_mode PROVISIONED");
    request.provisioned_throughput = kinesis::ProvisionedThroughput{0, 1};
    CHECK(rejected(client.create_table(request)) ==
          "create_table: provisioned_throughput.read_capacity_units is 0; it must be at least 1");
    request = lease_table();
    request.provisioned_throughput = kinesis::ProvisionedThroughput{1, 1};
    CHECK(rejected(client.create_table(request)) ==
          "create_table: provisioned_throughput is set with billing_mode PAY_PER_REQUEST; on-demand capacity takes "
          "none");
    request = lease_table();
    kinesis::GlobalSecondaryIndex index;
    index.index_name = "ix";
    index.key_schema = {{"leaseKey", kinesis::KeyType::Hash}};
    request.global_secondary_indexes = {index};
    CHECK(rejected(client.create_table(request)) ==
          "create_table: global_secondary_indexes[0].index_name \"ix\" has 2 characters; it must have 3 to 255");
    request.global_secondary_indexes[0].index_name = "by-key";
    request.global_secondary_indexes[0].projection.projection_type = kinesis::ProjectionType::Include;
    CHECK(rejected(client.create_table(request)) ==
          "create_table: global_secondary_indexes[0].projection.non_key_attributes has 0 names; INCLUDE takes 1 to "
          "20");

    kinesis::UpdateTableRequest update;
    update.table_name = "lease-app";
    CHECK(rejected(client.update_table(update)) ==
          "update_table: nothing to update; set billing_mode, provisioned_throughput, "
          "global_secondary_index_updates or deletion_protection_enabled");
    update.global_secondary_index_updates.emplace_back();
    CHECK(rejected(client.update_table(update)) ==
          "update_table: global_secondary_index_updates[0] has neither; it must have exactly one of create and remove");
    index.index_name = "by-owner";
    update.global_secondary_index_updates[0].create = index;
    update.global_secondary_index_updates[0].create->key_schema[0].attribute_name = "leaseOwner";
    CHECK(rejected(client.update_table(update)) ==
          "update_table: global_secondary_index_updates[0].create.key_schema[0] names \"leaseOwner\", which "
          "attribute_definitions does not define");
}

TEST_CASE("item operations reject bad keys, values and expressions before sending") {
    kinesis::DynamoDbClient client(unreachable_config());
    kinesis::GetItemRequest get;
    get.table_name = "lease-app";
    CHECK(rejected(client.get_item(get)) ==
          "get_item: key is empty; it must hold the table's primary key (1 or 2 attributes)");
    get.key = {{"leaseKey", AttributeValue::ss({"a"})}};
    CHECK(rejected(client.get_item(get)) == "get_item: key[\"leaseKey\"] is SS; a key attribute must be S, N or B");
    get.key = {{"leaseKey", AttributeValue::s("")}};
    CHECK(rejected(client.get_item(get)) == "get_item: key[\"leaseKey\"] (S) is empty; a key attribute must not be");
    get.key = lease_key();
    get.expression_attribute_names = {{"#o", "leaseOwner"}};
    CHECK(rejected(client.get_item(get)) ==
          "get_item: expression_attribute_names[\"#o\"] is not used in any expression; DynamoDB rejects unused names");

    kinesis::PutItemRequest put;
    put.table_name = "lease-app";
    CHECK(rejected(client.put_item(put)) == "put_item: item is empty; it must hold at least the table's primary key");
    put.item = lease_key();
    put.item["parents"] = AttributeValue::ss({});
    CHECK(rejected(client.put_item(put)) == "put_item: item[\"parents\"] is an empty SS; DynamoDB rejects empty sets");
    put.item["parents"] = AttributeValue::ss({"p1", "p2", "p1"});
    CHECK(rejected(client.put_item(put)) ==
          "put_item: item[\"parents\"] (SS) has \"p1\" twice; a set's members must be distinct");
    put.item["parents"] = AttributeValue::l({AttributeValue::m({{"bs", AttributeValue::bs({"x", "x"})}})});
    CHECK(rejected(client.put_item(put)) ==
          "put_item: item[\"parents\"][0][\"bs\"] (BS) has member 1 twice; a set's members must be distinct");
    put.item.erase("parents");
    put.item["leaseCounter"] = AttributeValue::n("12x");
    CHECK(rejected(client.put_item(put)) == "put_item: item[\"leaseCounter\"] (N) \"12x\" is not a number");
    put.item["leaseCounter"] = AttributeValue::n("1" + std::string(38, '1'));
    CHECK(rejected(client.put_item(put)) ==
          "put_item: item[\"leaseCounter\"] (N) \"111111111111111111111111111111111111111\" has 39 significant digits; "
          "the limit is 38");
    put.item["leaseCounter"] = AttributeValue::n("1E126");
    CHECK(rejected(client.put_item(put)) ==
          "put_item: item[\"leaseCounter\"] (N) \"1E126\" is out of range; a DynamoDB number is 1E-130 to "
          "9.9999999999999999999999999999999999999E+125 in magnitude");
    put.item["leaseCounter"] = AttributeValue::ns({"1", "two"});
    CHECK(rejected(client.put_item(put)) == "put_item: item[\"leaseCounter\"] (NS) member 1 \"two\" is not a number");
    put.item["leaseCounter"] = AttributeValue::n("0.000");
    put.condition_expression = "";
    CHECK(rejected(client.put_item(put)) ==
          "put_item: condition_expression is empty; leave it unset or give an expression");
    put.condition_expression = std::string(4097, 'a');
    CHECK(rejected(client.put_item(put)) == "put_item: condition_expression has 4097 bytes; the limit is 4096");
    put.condition_expression = "attribute_not_exists(leaseKey)";
    put.return_values = kinesis::ReturnValue::AllNew;
    CHECK(rejected(client.put_item(put)) == "put_item: return_values is ALL_NEW; put_item takes only NONE or ALL_OLD");
    put.return_values.reset();
    put.expression_attribute_values = {{"one", AttributeValue::n("1")}};
    CHECK(rejected(client.put_item(put)) ==
          "put_item: expression_attribute_values key \"one\" must be ':' and a name");

    auto update = renewal();
    update.expression_attribute_values[":ones"] = AttributeValue::n("1");
    CHECK(rejected(client.update_item(update)) ==
          "update_item: expression_attribute_values[\":ones\"] is not used in any expression; DynamoDB rejects "
          "unused values");
    update = renewal();
    update.update_expression = "";
    CHECK(rejected(client.update_item(update)) ==
          "update_item: update_expression is empty; leave it unset or give an expression");
    update = renewal();
    update.table_name = "x";
    kinesis::ConditionalCheckFailure failure;
    failure.item = lease_key();
    CHECK(rejected(client.update_item(update, &failure)) ==
          "update_item: table_name \"x\" has 1 characters; it must have 3 to 255");

    kinesis::DeleteItemRequest remove;
    remove.table_name = "lease-app";
    remove.key = {{"a", AttributeValue::s("1")}, {"b", AttributeValue::s("2")}, {"c", AttributeValue::s("3")}};
    CHECK(rejected(client.delete_item(remove)) == "delete_item: key has 3 attributes; a primary key has 1 or 2");
    remove.key = lease_key();
    remove.return_values = kinesis::ReturnValue::UpdatedNew;
    CHECK(rejected(client.delete_item(remove)) ==
          "delete_item: return_values is UPDATED_NEW; delete_item takes only NONE or ALL_OLD");

    AttributeValue deep = AttributeValue::s("leaf");
    for (int i = 0; i < 32; ++i) deep = AttributeValue::l({deep});
    put = kinesis::PutItemRequest{};
    put.table_name = "lease-app";
    put.item = lease_key();
    put.item["deep"] = deep;
    const auto message = rejected(client.put_item(put));
    CHECK(message.find("is nested 33 levels deep; the limit is 32") != std::string::npos);
}

TEST_CASE("scan rejects a bad limit, segments and start key before sending") {
    kinesis::DynamoDbClient client(unreachable_config());
    kinesis::ScanRequest scan;
    scan.table_name = "lease-app";
    scan.limit = 0;
    CHECK(rejected(client.scan(scan)) == "scan: limit is 0; it must be 1 to 2147483647");
    CHECK(rejected(client.scan_all(scan)) == "scan: limit is 0; it must be 1 to 2147483647");
    scan.limit = 1;
    scan.segment = 0;
    CHECK(rejected(client.scan(scan)) == "scan: segment is set without total_segments; set both or neither");
    scan.total_segments = 2;
    scan.segment = 2;
    CHECK(rejected(client.scan(scan)) == "scan: segment is 2; it must be 0 to 1");
    scan.segment.reset();
    scan.total_segments.reset();
    scan.index_name = "a b";
    CHECK(rejected(client.scan(scan)) == "scan: index_name \"a b\" has a character outside [a-zA-Z0-9_.-]");
    scan.index_name.reset();
    scan.exclusive_start_key = Item{};
    CHECK(rejected(client.scan(scan)) ==
          "scan: exclusive_start_key is empty; it must hold the table's primary key (1 or 2 attributes)");
    scan.exclusive_start_key.reset();
    scan.filter_expression = "a = :a";
    scan.expression_attribute_values = {{":a", AttributeValue::ns({})}};
    CHECK(rejected(client.scan(scan)) ==
          "scan: expression_attribute_values[\":a\"] is an empty NS; DynamoDB rejects empty sets");
}

TEST_CASE("DynamoDB numbers: the forms DynamoDB takes are accepted") {
    for (const char* number : {"0", "-0", "12", "-12.50", "+3", "1E+125", "9.9999999999999999999999999999999999999E+125",
                               "1E-130", "0.0000001", "1e3", "12345678901234567890123456789012345678",
                               "1000000000000000000000000000000000000000000", ".5", "5."}) {
        CAPTURE(number);
        CHECK_FALSE(kinesis::detail::check_attribute_value("op", "n", AttributeValue::n(number)));
    }
    for (const char* number : {"", "-", "1e", "1.2.3", "1e+", "0x10", " 1", "1E-131", "NaN", "Infinity"}) {
        CAPTURE(number);
        CHECK(kinesis::detail::check_attribute_value("op", "n", AttributeValue::n(number)));
    }
}

TEST_CASE("DynamoDbClient resolves dynamodb.<region> and honours AWS_ENDPOINT_URL_DYNAMODB") {
    kinesis_test::AwsEnv env;
    kinesis::ClientConfig config;
    config.region = "eu-north-1";
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("AKIDEXAMPLE", "wJalrXUtnFEMI");
    CHECK(kinesis::DynamoDbClient(config).endpoint() == "https://dynamodb.eu-north-1.amazonaws.com");
    env.set("AWS_ENDPOINT_URL_FIREHOSE", "http://env-firehose");
    env.set("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000");
    const kinesis::DynamoDbClient client(config);
    CHECK(client.endpoint() == "http://127.0.0.1:8000");
    CHECK(client.region() == "eu-north-1");
}
