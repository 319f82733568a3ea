// SPDX-License-Identifier: Apache-2.0
// KinesisClient without a server: input checks (nothing is sent on bad input)
// and the pure request writers and answer parsers.
#include <kinesis/streams/kinesis_client.hpp>

#include <kinesis/auth/credentials.hpp>
#include <kinesis/core/base64.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/streams/detail/wire.hpp>

#include "aws_env.hpp"
#include "offline_client.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace {

using kinesis_test::log_lines;
using kinesis_test::rejected;
using kinesis_test::unreachable_config;

const std::string stream_arn = "arn:aws:kinesis:us-east-1:123456789012:stream/test";

}  // namespace

TEST_CASE("to_string gives the wire names of every enum") {
    using namespace kinesis;
    CHECK(to_string(StreamStatus::Active) == "ACTIVE");
    CHECK(to_string(StreamStatus::Updating) == "UPDATING");
    CHECK(to_string(StreamMode::OnDemand) == "ON_DEMAND");
    CHECK(to_string(StreamMode::Provisioned) == "PROVISIONED");
    CHECK(to_string(EncryptionType::Kms) == "KMS");
    CHECK(to_string(ShardIteratorType::AfterSequenceNumber) == "AFTER_SEQUENCE_NUMBER");
    CHECK(to_string(ShardIteratorType::AtTimestamp) == "AT_TIMESTAMP");
    CHECK(to_string(ShardFilterType::FromTrimHorizon) == "FROM_TRIM_HORIZON");
    CHECK(to_string(ConsumerStatus::Deleting) == "DELETING");
}

TEST_CASE("a client refuses an invalid region from the environment before it builds a host name or signs") {
    kinesis_test::AwsEnv env;
    env.set("AWS_REGION", "evil.com/x");
    auto config = unreachable_config();
    config.region.clear();
    config.endpoint.clear();  // else no host name is built from the region
    try {
        kinesis::KinesisClient client(config);
        FAIL("constructed with region ", client.region());
    } catch (const kinesis::Exception& e) {
        CHECK(e.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(e.error().message.rfind("invalid region \"evil.com/x\" from AWS_REGION: ", 0) == 0);
    }
    CHECK(log_lines.load() == 0);
}

TEST_CASE("a client whose AWS_PROFILE is in neither shared file fails before sending, though keys are in the environment") {
    kinesis_test::AwsEnv env;
    env.set("AWS_ACCESS_KEY_ID", "AKIDENV");
    env.set("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI");
    env.set("AWS_PROFILE", "typo");
    const std::string expected =
        "profile \"typo\" (from AWS_PROFILE) not found in " + env.path("credentials") + " or " + env.path("config");
    auto config = unreachable_config();
    config.credentials.reset();  // the default chain
    try {
        kinesis::KinesisClient client(config);  // reads the profile for its CA bundle
        FAIL("constructed");
    } catch (const kinesis::Exception& e) {
        CHECK(e.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(e.error().message == expected);
    }
    config.ca_bundle = "/etc/ssl/certs/ca-certificates.crt";  // no setting left to read from the profile
    kinesis::KinesisClient client(config);
    auto streams = client.list_streams();
    REQUIRE_FALSE(streams);
    CHECK(streams.error().kind == kinesis::ErrorKind::Credentials);  // not Transport: nothing was sent
    CHECK(streams.error().message == expected);
}

TEST_CASE("StreamRef takes a value starting with arn: as an ARN and anything else as a name") {
    kinesis::StreamRef by_name("test");
    CHECK(by_name.name == "test");
    CHECK(by_name.arn.empty());
    kinesis::StreamRef by_arn(stream_arn);
    CHECK(by_arn.arn == stream_arn);
    CHECK(by_arn.name.empty());
    CHECK(by_arn.display() == stream_arn);
    CHECK(kinesis::StreamRef().empty());
}

TEST_CASE("compare_sequence_numbers orders decimal strings as numbers") {
    using kinesis::compare_sequence_numbers;
    CHECK(compare_sequence_numbers("9", "10") < 0);
    CHECK(compare_sequence_numbers("10", "9") > 0);
    CHECK(compare_sequence_numbers("49590338271490256608559692538361571095921575989136588898",
                                   "49590338271490256608559692538361571095921575989136588898") == 0);
    CHECK(compare_sequence_numbers("49590338271490256608559692538361571095921575989136588898",
                                   "49590338271490256608559692540925702759324208523137515618") < 0);
    CHECK(compare_sequence_numbers("007", "7") == 0);
}

TEST_CASE("count_code_points counts characters, not bytes") {
    CHECK(kinesis::detail::count_code_points("abc") == 3);
    CHECK(kinesis::detail::count_code_points("\xC3\xA9t\xC3\xA9") == 3);           // été
    CHECK(kinesis::detail::count_code_points("\xF0\x9F\x98\x80") == 1);            // one emoji, 4 bytes
    CHECK(kinesis::detail::count_code_points("\xE6\x97\xA5\xE6\x9C\xAC") == 2);    // 日本
}

TEST_CASE("is_hash_key accepts 0 to 2^128-1 without leading zeros") {
    using kinesis::detail::is_hash_key;
    CHECK(is_hash_key("0"));
    CHECK(is_hash_key("1"));
    CHECK(is_hash_key("340282366920938463463374607431768211455"));
    CHECK_FALSE(is_hash_key("340282366920938463463374607431768211456"));
    CHECK_FALSE(is_hash_key("999999999999999999999999999999999999999"));
    CHECK_FALSE(is_hash_key("1000000000000000000000000000000000000000"));  // 40 digits
    CHECK_FALSE(is_hash_key("01"));
    CHECK_FALSE(is_hash_key(""));
    CHECK_FALSE(is_hash_key("-1"));
    CHECK_FALSE(is_hash_key("12a"));
}

TEST_CASE("write_put_records writes base64 data, keys and the stream in one exactly-sized pass") {
    kinesis::PutRecordsRequest request;
    request.stream = "test";
    request.records.push_back({"hello", "pk1", std::nullopt});
    request.records.push_back({std::string("\x00\xff", 2), "k\"2", std::string("12345")});
    std::string body;
    kinesis::detail::write_put_records(request, body);
    CHECK(body == R"({"Records":[{"Data":"aGVsbG8=","PartitionKey":"pk1"},)"
                  R"({"Data":"AP8=","PartitionKey":"k\"2","ExplicitHashKey":"12345"}],"StreamName":"test"})");
    CHECK(kinesis::detail::put_records_body_size(request) >= body.size());
    CHECK(kinesis::detail::put_records_body_size(request) <= body.size() + 2);

    request.stream = stream_arn;
    body.clear();
    kinesis::detail::write_put_records(request, body);
    CHECK(body.find(R"("StreamARN":"arn:aws:kinesis:us-east-1:123456789012:stream/test")") != std::string::npos);
    CHECK(body.find("StreamName") == std::string::npos);
}

TEST_CASE("a PutRecords request built in a loop from temporary strings writes those strings' bytes") {
    const auto payload = [](int i) { return "payload " + std::to_string(i) + std::string(48, static_cast<char>(i)); };
    kinesis::PutRecordsRequest request;
    request.stream = "test";
    for (int i = 0; i < 20; ++i) request.records.push_back({payload(i), "k" + std::to_string(i)});
    std::string body;
    kinesis::detail::write_put_records(request, body);
    for (int i = 0; i < 20; ++i) {
        CAPTURE(i);
        CHECK(body.find("{\"Data\":\"" + kinesis::base64_encode(payload(i)) + "\",\"PartitionKey\":\"k" +
                        std::to_string(i) + "\"}") != std::string::npos);
    }
}

TEST_CASE("write_get_shard_iterator sends the sequence number or timestamp only for the types that use them") {
    kinesis::GetShardIteratorRequest request;
    request.stream = "s";
    request.shard_id = "shardId-000000000000";
    request.shard_iterator_type = kinesis::ShardIteratorType::AtTimestamp;
    request.timestamp = kinesis::Timestamp(std::chrono::milliseconds(1700000000123));
    std::string body;
    kinesis::detail::write_get_shard_iterator(request, body);
    CHECK(body == R"({"StreamName":"s","ShardId":"shardId-000000000000","ShardIteratorType":"AT_TIMESTAMP",)"
                  R"("Timestamp":1700000000.123})");

    request.shard_iterator_type = kinesis::ShardIteratorType::AfterSequenceNumber;
    request.starting_sequence_number = "42";
    body.clear();
    kinesis::detail::write_get_shard_iterator(request, body);
    CHECK(body == R"({"StreamName":"s","ShardId":"shardId-000000000000",)"
                  R"("ShardIteratorType":"AFTER_SEQUENCE_NUMBER","StartingSequenceNumber":"42"})");
}

TEST_CASE("write_list_shards sends the token alone on later pages") {
    kinesis::ListShardsRequest request;
    request.next_token = "tok";
    request.max_results = 5;
    std::string body;
    kinesis::detail::write_list_shards(request, body);
    CHECK(body == R"({"NextToken":"tok","MaxResults":5})");

    kinesis::ListShardsRequest first;
    first.stream = "s";
    first.shard_filter = kinesis::ShardFilter{kinesis::ShardFilterType::AfterShardId, std::string("shardId-1"), {}};
    body.clear();
    kinesis::detail::write_list_shards(first, body);
    CHECK(body == R"({"StreamName":"s","ShardFilter":{"Type":"AFTER_SHARD_ID","ShardId":"shardId-1"}})");
}

TEST_CASE("write_create_stream writes shard count, mode, tags and record size") {
    kinesis::CreateStreamRequest request;
    request.stream_name = "s";
    request.stream_mode = kinesis::StreamMode::OnDemand;
    request.tags = {{"team", "a"}};
    request.max_record_size_kib = 2048;
    std::string body;
    kinesis::detail::write_create_stream(request, body);
    CHECK(body ==
          R"({"StreamName":"s","StreamModeDetails":{"StreamMode":"ON_DEMAND"},"Tags":{"team":"a"},"MaxRecordSizeInKiB":2048})");
}

TEST_CASE("parse_get_records decodes data into owned records and reads iterator, lag and child shards") {
    kinesis::detail::JsonParser parser;
    const std::string body =
        R"({"Records":[{"SequenceNumber":"1","ApproximateArrivalTimestamp":1.7000000005E9,"Data":"aGVsbG8=",)"
        R"("PartitionKey":"pk","EncryptionType":"KMS"},{"SequenceNumber":"2","Data":"","PartitionKey":"q"}],)"
        R"("NextShardIterator":null,"MillisBehindLatest":250,)"
        R"("ChildShards":[{"ShardId":"shardId-2","ParentShards":["shardId-0","shardId-1"],)"
        R"("HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"99"}}]})";
    auto result = kinesis::detail::parse_get_records(parser, body);
    REQUIRE_MESSAGE(result, (result ? "" : result.error().to_string()));
    REQUIRE(result->records.size() == 2);
    CHECK(result->records[0].data == "hello");
    CHECK(result->records[0].partition_key == "pk");
    CHECK(result->records[0].sequence_number == "1");
    CHECK(result->records[0].encryption_type == kinesis::EncryptionType::Kms);
    REQUIRE(result->records[0].approximate_arrival_timestamp);
    CHECK(std::chrono::duration_cast<std::chrono::milliseconds>(
              result->records[0].approximate_arrival_timestamp->time_since_epoch())
              .count() == 1700000000500);
    CHECK(result->records[1].data.empty());
    CHECK_FALSE(result->records[1].approximate_arrival_timestamp);
    CHECK_FALSE(result->next_shard_iterator);
    REQUIRE(result->millis_behind_latest);
    CHECK(result->millis_behind_latest->count() == 250);
    REQUIRE(result->child_shards.size() == 1);
    CHECK(result->child_shards[0].parent_shards == std::vector<std::string>{"shardId-0", "shardId-1"});
    CHECK(result->child_shards[0].hash_key_range.ending_hash_key == "99");
}

TEST_CASE("parse_get_records rejects data that is not base64 as a Parse error") {
    kinesis::detail::JsonParser parser;
    auto result = kinesis::detail::parse_get_records(
        parser, R"({"Records":[{"SequenceNumber":"1","Data":"a!!=","PartitionKey":"p"}],"NextShardIterator":"x"})");
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == kinesis::ErrorKind::Parse);
}

// Found by tests/fuzz/streams_json_fuzz: these overflowed system_clock's nanoseconds (UBSan).
TEST_CASE("an answer timestamp past what system_clock holds is a Parse error") {
    kinesis::detail::JsonParser parser;
    for (const char* time : {"1705000000000.5", "1.705E12", "9.7e9", "-9.7e9", "\"9999-01-01T00:00:00Z\""}) {
        CAPTURE(time);
        auto result = kinesis::detail::parse_get_records(
            parser, fmt::format(R"({{"Records":[{{"SequenceNumber":"1","Data":"","PartitionKey":"p",)"
                                R"("ApproximateArrivalTimestamp":{}}}],"NextShardIterator":"x"}})",
                                time));
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == kinesis::ErrorKind::Parse);
    }
    auto in_range = kinesis::detail::parse_get_records(
        parser, R"({"Records":[{"SequenceNumber":"1","Data":"","PartitionKey":"p",)"
                R"("ApproximateArrivalTimestamp":1.7E9}],"NextShardIterator":"x"})");
    REQUIRE(in_range);
    CHECK(in_range->records.at(0).approximate_arrival_timestamp ==
          kinesis::Timestamp(std::chrono::seconds(1700000000)));
}

TEST_CASE("parse_put_records keeps each entry's result or error for a retry of exactly the failed ones") {
    kinesis::detail::JsonParser parser;
    auto result = kinesis::detail::parse_put_records(
        parser, R"({"FailedRecordCount":1,"Records":[{"SequenceNumber":"5","ShardId":"shardId-0"},)"
                R"({"ErrorCode":"ProvisionedThroughputExceededException","ErrorMessage":"slow down"}],)"
                R"("EncryptionType":"NONE"})");
    REQUIRE(result);
    CHECK(result->failed_record_count == 1);
    REQUIRE(result->records.size() == 2);
    CHECK(result->records[0].ok());
    CHECK(result->records[0].sequence_number == "5");
    CHECK_FALSE(result->records[1].ok());
    CHECK(result->records[1].error_code == "ProvisionedThroughputExceededException");
    CHECK(result->records[1].error_message == "slow down");
    CHECK(result->encryption_type == kinesis::EncryptionType::None);
}

TEST_CASE("parse_put_records reads escaped, null and spaced sequence numbers and shard ids as their text") {
    // Plain strings are copied from the raw token; anything else takes simdjson's path.
    kinesis::detail::JsonParser parser;
    auto result = kinesis::detail::parse_put_records(
        parser, R"({"Records":[{"SequenceNumber":"4\u0039","ShardId":"shard\/1"},)"
                R"({"SequenceNumber":null,"ShardId":null,"ErrorCode":"InternalFailure"},)"
                R"({ "SequenceNumber" : "7" , "ShardId" : "shardId-2" }]})");
    REQUIRE_MESSAGE(result, (result ? "" : result.error().to_string()));
    REQUIRE(result->records.size() == 3);
    CHECK(result->records[0].sequence_number == "49");
    CHECK(result->records[0].shard_id == "shard/1");
    CHECK_FALSE(result->records[1].sequence_number.has_value());
    CHECK_FALSE(result->records[1].shard_id.has_value());
    CHECK(result->records[2].sequence_number == "7");
    CHECK(result->records[2].shard_id == "shardId-2");
}

TEST_CASE("parse_describe_stream reads shards, open and closed, and the stream fields") {
    kinesis::detail::JsonParser parser;
    auto result = kinesis::detail::parse_describe_stream(
        parser,
        R"({"StreamDescription":{"StreamName":"s","StreamARN":"arn:x","StreamStatus":"UPDATING",)"
        R"("StreamModeDetails":{"StreamMode":"PROVISIONED"},"Shards":[{"ShardId":"shardId-0",)"
        R"("HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"5"},)"
        R"("SequenceNumberRange":{"StartingSequenceNumber":"1","EndingSequenceNumber":"9"}},)"
        R"({"ShardId":"shardId-1","ParentShardId":"shardId-0","HashKeyRange":{"StartingHashKey":"0",)"
        R"("EndingHashKey":"5"},"SequenceNumberRange":{"StartingSequenceNumber":"10"}}],"HasMoreShards":true,)"
        R"("RetentionPeriodHours":48,"StreamCreationTimestamp":1700000000,"EnhancedMonitoring":[{"ShardLevelMetrics":[]}],)"
        R"("EncryptionType":"NONE"}})");
    REQUIRE_MESSAGE(result, (result ? "" : result.error().to_string()));
    CHECK(result->stream_status == kinesis::StreamStatus::Updating);
    CHECK(result->stream_mode == kinesis::StreamMode::Provisioned);
    REQUIRE(result->shards.size() == 2);
    CHECK_FALSE(result->shards[0].is_open());
    CHECK(result->shards[1].is_open());
    CHECK(result->shards[1].parent_shard_id == "shardId-0");
    CHECK(result->has_more_shards);
    CHECK(result->retention_period_hours == 48);
    CHECK(std::chrono::system_clock::to_time_t(result->stream_creation_timestamp) == 1700000000);

    CHECK_FALSE(kinesis::detail::parse_describe_stream(parser, R"({"Other":1})"));
    CHECK_FALSE(kinesis::detail::parse_describe_stream(parser, "not json"));
}

TEST_CASE("put_record rejects a partition key over 256 characters, counting code points, before sending") {
    kinesis::KinesisClient client(unreachable_config());
    kinesis::PutRecordRequest request;
    request.stream = "test";
    request.data = "x";
    request.partition_key = std::string(300, 'k');
    CHECK(rejected(client.put_record(request)) == "put_record: partition_key has 300 characters; the limit is 256");

    // 256 two-byte characters are 512 bytes but within the limit: the check counts characters.
    std::string accented;
    for (int i = 0; i < 256; ++i) accented += "\xC3\xA9";
    CHECK(kinesis::detail::check_partition_key("put_record", "partition_key", accented) == std::nullopt);
    accented += "\xC3\xA9";
    auto error = kinesis::detail::check_partition_key("put_record", "partition_key", accented);
    REQUIRE(error);
    CHECK(error->message == "put_record: partition_key has 257 characters; the limit is 256");

    request.partition_key.clear();
    CHECK(rejected(client.put_record(request)) == "put_record: partition_key is empty; it must have 1 to 256 characters");
}

TEST_CASE("a client that sends logs a line, so the bad-input tests' silent log means nothing was sent") {
    kinesis::KinesisClient client(unreachable_config());
    auto sent = client.describe_limits();
    REQUIRE_FALSE(sent);
    CHECK(sent.error().kind != kinesis::ErrorKind::InvalidArgument);
    CHECK(log_lines.load() > 0);
}

TEST_CASE("stream names are checked for pattern and length, and a StreamRef holds exactly one of name and ARN") {
    kinesis::KinesisClient client(unreachable_config());
    CHECK(rejected(client.describe_stream_summary(std::string(129, 's'))) ==
          "describe_stream_summary: stream name has 129 characters; the limit is 128");
    CHECK(rejected(client.describe_stream_summary("bad name")) ==
          "describe_stream_summary: stream name \"bad name\" has a character outside [a-zA-Z0-9_.-]");
    CHECK(rejected(client.describe_stream_summary("")) ==
          "describe_stream_summary: stream name is empty; it must have 1 to 128 characters");
    CHECK(rejected(client.delete_stream({"caf\xC3\xA9", false})) ==
          "delete_stream: stream name \"caf\xC3\xA9\" has a character outside [a-zA-Z0-9_.-]");
    CHECK(rejected(client.describe_stream_summary("arn:aws:kinesis:us-east-1:12345:stream/x")) ==
          "describe_stream_summary: stream ARN \"arn:aws:kinesis:us-east-1:12345:stream/x\" is not a Kinesis "
          "stream ARN (arn:aws:kinesis:<region>:<account>:stream/<name>)");
    kinesis::StreamRef both;
    both.name = "test";
    both.arn = stream_arn;
    CHECK(rejected(client.describe_stream({both, std::nullopt, std::nullopt})) ==
          "describe_stream: stream has both a name and an ARN; the API takes exactly one");

    kinesis::CreateStreamRequest create;
    create.stream_name = std::string(200, 'a');
    create.shard_count = 1;
    CHECK(rejected(client.create_stream(create)) == "create_stream: stream_name has 200 characters; the limit is 128");
    create.stream_name = "ok";
    create.shard_count.reset();
    CHECK(rejected(client.create_stream(create)) == "create_stream: shard_count is required for a provisioned stream");
    create.shard_count = 0;
    CHECK(rejected(client.create_stream(create)) == "create_stream: shard_count is 0; it must be 1 to 1000000");
    create.shard_count = 1;
    create.max_record_size_kib = 20000;
    CHECK(rejected(client.create_stream(create)) ==
          "create_stream: max_record_size_kib is 20000; it must be 1024 to 10240");
    CHECK(kinesis::detail::check_stream_arn("op", "arn", stream_arn) == std::nullopt);
}

TEST_CASE("data plus partition key above limits.max_record_bytes is rejected, and the limit is configurable to 10 MiB") {
    kinesis::KinesisClient client(unreachable_config());
    const std::string mib(1024 * 1024, 'x');
    kinesis::PutRecordRequest request{"test", mib, "k", std::nullopt, std::nullopt};
    CHECK(rejected(client.put_record(request)) ==
          "put_record: data plus partition_key is 1048577 bytes; the limit is 1048576");
    request.data = mib.substr(1);
    CHECK(kinesis::detail::check_put_record(request, client.limits()) == std::nullopt);

    kinesis::KinesisLimits larger;
    larger.max_record_bytes = 10 * 1024 * 1024;
    kinesis::KinesisClient large_client(unreachable_config(), larger);
    request.data = mib;
    CHECK(kinesis::detail::check_put_record(request, large_client.limits()) == std::nullopt);
    const std::string eleven(10 * 1024 * 1024, 'y');
    request.data = eleven;
    CHECK(rejected(large_client.put_record(request)) ==
          "put_record: data plus partition_key is 10485761 bytes; the limit is 10485760");

    kinesis::KinesisLimits too_large;
    too_large.max_record_bytes = 10 * 1024 * 1024 + 1;
    CHECK_THROWS_WITH_AS(kinesis::KinesisClient(unreachable_config(), too_large),
                         "InvalidArgument: KinesisClient: limits.max_record_bytes is 10485761; it must be 1 to "
                         "10485760 (10 MiB)",
                         kinesis::Exception);
}

TEST_CASE("ExplicitHashKey must match 0|([1-9]\\d{0,38}) and be at most 2^128-1") {
    kinesis::KinesisClient client(unreachable_config());
    kinesis::PutRecordRequest request{"test", "d", "k", std::string("340282366920938463463374607431768211456"),
                                      std::nullopt};
    CHECK(rejected(client.put_record(request)) ==
          "put_record: explicit_hash_key \"340282366920938463463374607431768211456\" is above the largest hash "
          "key 2^128-1");
    request.explicit_hash_key = "0123";
    CHECK(rejected(client.put_record(request)) ==
          "put_record: explicit_hash_key \"0123\" is not a decimal hash key (0|[1-9][0-9]{0,38})");
    request.explicit_hash_key = "";
    CHECK(rejected(client.put_record(request)) ==
          "put_record: explicit_hash_key \"\" is not a decimal hash key (0|[1-9][0-9]{0,38})");
    request.explicit_hash_key = "340282366920938463463374607431768211455";
    CHECK(kinesis::detail::check_put_record(request, client.limits()) == std::nullopt);

    kinesis::PutRecordsRequest batch;
    batch.stream = "test";
    batch.records.push_back({"a", "k", std::nullopt});
    batch.records.push_back({"b", "k", std::string("1e5")});
    CHECK(rejected(client.put_records(batch)) ==
          "put_records: records[1].explicit_hash_key \"1e5\" is not a decimal hash key (0|[1-9][0-9]{0,38})");

    CHECK(rejected(client.split_shard({"test", "shardId-0", "-5"})) ==
          "split_shard: new_starting_hash_key \"-5\" is not a decimal hash key (0|[1-9][0-9]{0,38})");
    request.explicit_hash_key.reset();
    request.sequence_number_for_ordering = "abc";
    CHECK(rejected(client.put_record(request)) ==
          "put_record: sequence_number_for_ordering \"abc\" is not a sequence number");
}

TEST_CASE("PutRecords takes 1 to 500 entries within max_put_records_bytes, each entry checked by index") {
    kinesis::KinesisClient client(unreachable_config());
    kinesis::PutRecordsRequest batch;
    batch.stream = "test";
    CHECK(rejected(client.put_records(batch)) == "put_records: records is empty; it must have 1 to 500 entries");
    batch.records.assign(501, {"d", "k", std::nullopt});
    CHECK(rejected(client.put_records(batch)) == "put_records: records has 501 entries; the limit is 500");
    batch.records.resize(500);
    CHECK(kinesis::detail::check_put_records(batch, client.limits()) == std::nullopt);

    // Five records of 1 MiB (data plus key each within the record limit) exceed 5 MiB in all.
    const std::string almost(1024 * 1024 - 1, 'x');
    batch.records.assign(5, {almost, "k", std::nullopt});
    CHECK(kinesis::detail::check_put_records(batch, client.limits()) == std::nullopt);
    batch.records.push_back({"y", "k", std::nullopt});
    CHECK(rejected(client.put_records(batch)) ==
          "put_records: records hold 5242882 bytes of data plus partition keys; the limit is 5242880");

    kinesis::KinesisLimits limits;
    limits.max_put_records_bytes = 100;
    kinesis::KinesisClient small(unreachable_config(), limits);
    batch.records.assign(2, {almost.substr(0, 50), "k", std::nullopt});
    CHECK(rejected(small.put_records(batch)) ==
          "put_records: records hold 102 bytes of data plus partition keys; the limit is 100");

    batch.records.assign(3, {"d", "k", std::nullopt});
    batch.records[2].partition_key = std::string(257, 'p');
    CHECK(rejected(client.put_records(batch)) ==
          "put_records: records[2].partition_key has 257 characters; the limit is 256");
    batch.records[2].partition_key = "k";
    batch.records[1].data = almost;
    batch.records[1].partition_key = "kk";
    CHECK(rejected(client.put_records(batch)) ==
          "put_records: records[1].data plus partition_key is 1048577 bytes; the limit is 1048576");
}

TEST_CASE("partition keys must be valid UTF-8") {
    kinesis::KinesisClient client(unreachable_config());
    kinesis::PutRecordRequest request{"test", "d", "bad\xFF", std::nullopt, std::nullopt};
    CHECK(rejected(client.put_record(request)) == "put_record: partition_key is not valid UTF-8");
}

TEST_CASE("GetRecords limit is 1 to 10000 and the shard iterator 1 to 512 characters") {
    kinesis::KinesisClient client(unreachable_config());
    CHECK(rejected(client.get_records({"iterator", 0, std::nullopt})) ==
          "get_records: limit is 0; it must be 1 to 10000");
    CHECK(rejected(client.get_records({"iterator", 10001, std::nullopt})) ==
          "get_records: limit is 10001; it must be 1 to 10000");
    CHECK(rejected(client.get_records({"", 10, std::nullopt})) ==
          "get_records: shard_iterator is empty; it must have 1 to 512 characters");
    CHECK(rejected(client.get_records({std::string(513, 'i'), 10, std::nullopt})) ==
          "get_records: shard_iterator has 513 characters; the limit is 512");
    CHECK(kinesis::detail::check_get_records({"iterator", 10000, std::nullopt}) == std::nullopt);
    CHECK(kinesis::detail::check_get_records({"iterator", 1, stream_arn}) == std::nullopt);
}

TEST_CASE("retention is 24 to 8760 hours for both increase and decrease") {
    kinesis::KinesisClient client(unreachable_config());
    CHECK(rejected(client.increase_stream_retention_period("test", 23)) ==
          "increase_stream_retention_period: retention_period_hours is 23; it must be 24 to 8760 "
          "(7 days is 168, 365 days 8760)");
    CHECK(rejected(client.decrease_stream_retention_period("test", 8761)) ==
          "decrease_stream_retention_period: retention_period_hours is 8761; it must be 24 to 8760 "
          "(7 days is 168, 365 days 8760)");
    CHECK(kinesis::detail::check_retention("op", "test", 24) == std::nullopt);
    CHECK(kinesis::detail::check_retention("op", "test", 8760) == std::nullopt);
}

TEST_CASE("ListShards rejects next_token together with a stream, and paging limits out of range") {
    kinesis::KinesisClient client(unreachable_config());
    kinesis::ListShardsRequest request;
    request.stream = "test";
    request.next_token = "token";
    CHECK(rejected(client.list_shards(request)) ==
          "list_shards: next_token and stream are both set; the API takes the stream only on the first page");
    request.stream = kinesis::StreamRef();
    request.exclusive_start_shard_id = "shardId-0";
    CHECK(rejected(client.list_shards(request)) ==
          "list_shards: next_token cannot be combined with exclusive_start_shard_id or stream_creation_timestamp");
    request = {};
    CHECK(rejected(client.list_shards(request)) ==
          "list_shards: stream name is empty; it must have 1 to 128 characters");
    request.stream = "test";
    request.max_results = 10001;
    CHECK(rejected(client.list_shards(request)) == "list_shards: max_results is 10001; it must be 1 to 10000");
    request.max_results.reset();
    request.shard_filter = kinesis::ShardFilter{kinesis::ShardFilterType::AfterShardId, std::nullopt, std::nullopt};
    CHECK(rejected(client.list_shards(request)) ==
          "list_shards: shard_filter.shard_id is required for AFTER_SHARD_ID");
    request.shard_filter = kinesis::ShardFilter{kinesis::ShardFilterType::FromTimestamp, std::nullopt, std::nullopt};
    CHECK(rejected(client.list_shards(request)) ==
          "list_shards: shard_filter.timestamp is required for FROM_TIMESTAMP");

    CHECK(rejected(client.describe_stream({"test", 0, std::nullopt})) ==
          "describe_stream: limit is 0; it must be 1 to 10000");
    CHECK(rejected(client.list_streams({10001, std::nullopt, std::nullopt})) ==
          "list_streams: limit is 10001; it must be 1 to 10000");
}

TEST_CASE("GetShardIterator needs a sequence number or timestamp for the types that start there") {
    kinesis::KinesisClient client(unreachable_config());
    kinesis::GetShardIteratorRequest request;
    request.stream = "test";
    request.shard_id = "shardId-000000000000";
    request.shard_iterator_type = kinesis::ShardIteratorType::AfterSequenceNumber;
    CHECK(rejected(client.get_shard_iterator(request)) ==
          "get_shard_iterator: starting_sequence_number is required for AFTER_SEQUENCE_NUMBER");
    request.starting_sequence_number = "12x";
    CHECK(rejected(client.get_shard_iterator(request)) ==
          "get_shard_iterator: starting_sequence_number \"12x\" is not a sequence number");
    request.shard_iterator_type = kinesis::ShardIteratorType::AtTimestamp;
    CHECK(rejected(client.get_shard_iterator(request)) == "get_shard_iterator: timestamp is required for AT_TIMESTAMP");
    request.shard_iterator_type = kinesis::ShardIteratorType::Latest;
    request.shard_id = "";
    CHECK(rejected(client.get_shard_iterator(request)) ==
          "get_shard_iterator: shard_id is empty; it must have 1 to 128 characters");
}

TEST_CASE("tags, scaling, encryption, consumers and waiters check their input") {
    kinesis::KinesisClient client(unreachable_config());
    CHECK(rejected(client.add_tags_to_stream("test", {})) ==
          "add_tags_to_stream: tags is empty; it must have 1 to 50 entries");
    CHECK(rejected(client.add_tags_to_stream("test", {{std::string(129, 'k'), "v"}})) ==
          "add_tags_to_stream: tag key has 129 characters; the limit is 128");
    CHECK(rejected(client.add_tags_to_stream("test", {{"k", std::string(257, 'v')}})) ==
          "add_tags_to_stream: the value of tag \"k\" has 257 characters; the limit is 256");
    CHECK(rejected(client.remove_tags_from_stream("test", {})) ==
          "remove_tags_from_stream: tag_keys is empty; it must have 1 to 50 entries");
    CHECK(rejected(client.list_tags_for_stream("test", std::nullopt, 51)) ==
          "list_tags_for_stream: limit is 51; it must be 1 to 50");
    CHECK(rejected(client.update_shard_count({"test", 0})) ==
          "update_shard_count: target_shard_count is 0; it must be 1 to 1000000");
    CHECK(rejected(client.merge_shards({"test", "shardId-0", ""})) ==
          "merge_shards: adjacent_shard_to_merge is empty; it must have 1 to 128 characters");
    CHECK(rejected(client.start_stream_encryption("test", kinesis::EncryptionType::Kms, "")) ==
          "start_stream_encryption: key_id is empty; it must have 1 to 2048 characters");
    CHECK(rejected(client.stop_stream_encryption("test", kinesis::EncryptionType::None, "alias/k")) ==
          "stop_stream_encryption: encryption_type must be KMS");
    CHECK(rejected(client.update_stream_mode("test", kinesis::StreamMode::OnDemand)) ==
          "update_stream_mode: stream_arn \"test\" is not a Kinesis stream ARN "
          "(arn:aws:kinesis:<region>:<account>:stream/<name>)");
    CHECK(rejected(client.register_stream_consumer(stream_arn, "bad name")) ==
          "register_stream_consumer: consumer_name \"bad name\" has a character outside [a-zA-Z0-9_.-]");
    CHECK(rejected(client.describe_stream_consumer(stream_arn, "c",
                                                   "arn:aws:kinesis:us-east-1:123456789012:stream/test/consumer/c:1")) ==
          "describe_stream_consumer: consumer_arn is set together with stream_arn or consumer_name; give the ARN alone");
    CHECK(rejected(client.list_stream_consumers(stream_arn, std::nullopt, 0)) ==
          "list_stream_consumers: max_results is 0; it must be 1 to 10000");
    CHECK(rejected(client.wait_until_stream_exists("test", {std::chrono::milliseconds(1), 0})) ==
          "wait_until_stream_exists: max_attempts must be at least 1");
}

TEST_CASE("record arrival times are read exactly from every number form AWS and the emulators send") {
    kinesis::detail::JsonParser parser;
    auto millis_of = [&](const std::string& timestamp) -> std::optional<long long> {
        const std::string body = R"({"Records":[{"SequenceNumber":"1","Data":"","PartitionKey":"p",)"
                                 R"("ApproximateArrivalTimestamp":)" + timestamp + R"(}]})";
        auto result = kinesis::detail::parse_get_records(parser, body);
        REQUIRE_MESSAGE(result, (result ? "" : result.error().to_string()));
        REQUIRE(result->records.size() == 1);
        const auto& time = result->records[0].approximate_arrival_timestamp;
        if (!time) return std::nullopt;
        return std::chrono::duration_cast<std::chrono::milliseconds>(time->time_since_epoch()).count();
    };
    CHECK(millis_of("1.700000123456E9") == 1700000123456);
    CHECK(millis_of("1.700000123456e+9") == 1700000123456);
    CHECK(millis_of("1700000123.456") == 1700000123456);
    CHECK(millis_of("1700000123") == 1700000123000);
    CHECK(millis_of("1700000123.4567891") == 1700000123456);
    CHECK(millis_of("17000001234560E-4") == 1700000123456);
    CHECK(millis_of("\"2023-11-14T22:15:23.456Z\"") == 1700000123456);
    CHECK(millis_of("null") == std::nullopt);
}

TEST_CASE("record arrival times keep their microseconds whatever the digit grouping") {
    kinesis::detail::JsonParser parser;
    auto micros_of = [&](const std::string& timestamp) -> long long {
        const std::string body = R"({"Records":[{"SequenceNumber":"1","Data":"","PartitionKey":"p",)"
                                 R"("ApproximateArrivalTimestamp":)" + timestamp + R"( }]})";
        auto result = kinesis::detail::parse_get_records(parser, body);
        REQUIRE_MESSAGE(result, (result ? "" : result.error().to_string()));
        REQUIRE(result->records.at(0).approximate_arrival_timestamp);
        return std::chrono::duration_cast<std::chrono::microseconds>(
                   result->records[0].approximate_arrival_timestamp->time_since_epoch())
            .count();
    };
    CAPTURE("eight-digit runs, runs that are not digits, and a run cut short by the token's end");
    CHECK(micros_of("1700000123.123456") == 1700000123123456);
    CHECK(micros_of("1.700000123123456E9") == 1700000123123456);
    CHECK(micros_of("17000001.23123456E2") == 1700000123123456);
    CHECK(micros_of("0000000001700000123.5") == 1700000123500000);
    CHECK(micros_of("1700000123.1234569999") == 1700000123123456);
    CHECK(micros_of("9.87654321E8") == 987654321000000);
}

TEST_CASE("a GetRecords result kept across calls is overwritten in place and never keeps stale fields") {
    kinesis::detail::JsonParser parser;
    kinesis::GetRecordsResult result;
    const std::string first =
        R"({"Records":[)"
        R"({"SequenceNumber":"101","ApproximateArrivalTimestamp":1.7E9,"Data":"b25l","PartitionKey":"k1","EncryptionType":"KMS"},)"
        R"({"SequenceNumber":"102","Data":"dHdv","PartitionKey":"k2"},)"
        R"({"SequenceNumber":"103","Data":"dGhyZWU=","PartitionKey":"k3"}],)"
        R"("NextShardIterator":"it-1","MillisBehindLatest":5})";
    REQUIRE(kinesis::detail::parse_get_records_into(parser, first, result));
    REQUIRE(result.records.size() == 3);
    CHECK(result.records[2].data == "three");
    CHECK(result.records[0].encryption_type == kinesis::EncryptionType::Kms);
    const auto* first_record = result.records.data();

    const std::string second = R"({"Records":[{"SequenceNumber":"200","Data":"Zml2ZQ==","PartitionKey":"k"},)"
                               R"({"SequenceNumber":"201","Data":"","PartitionKey":"k"}],"MillisBehindLatest":0,)"
                               R"("ChildShards":[]})";
    REQUIRE(kinesis::detail::parse_get_records_into(parser, second, result));
    REQUIRE(result.records.size() == 2);
    CHECK(result.records.data() == first_record);  // the same storage, not a new vector
    CHECK(result.records[0].sequence_number == "200");
    CHECK(result.records[0].data == "five");
    CHECK(result.records[0].partition_key == "k");
    CHECK_FALSE(result.records[0].approximate_arrival_timestamp);
    CHECK_FALSE(result.records[0].encryption_type);
    CHECK(result.records[1].data.empty());
    CHECK_FALSE(result.next_shard_iterator);  // the closed shard's end: no stale iterator
    CHECK(result.millis_behind_latest == std::chrono::milliseconds(0));

    const std::string escaped = R"({"Records":[{"SequenceNumber":"300","Data":"YS9i\/w==","PartitionKey":"k"}]})";
    REQUIRE(kinesis::detail::parse_get_records_into(parser, escaped, result));
    CHECK(result.records.at(0).data == std::string("a/b\xff", 4));

    auto broken = kinesis::detail::parse_get_records_into(parser, R"({"Records":[{"SequenceNumber":)", result);
    CHECK_FALSE(broken);
    CHECK(result.records.empty());
}
