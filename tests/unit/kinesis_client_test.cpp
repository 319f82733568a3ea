// SPDX-License-Identifier: Apache-2.0
// KinesisClient without a server: input checks (nothing is sent on bad input)
// and the pure request writers and answer parsers.
#include <kinesis/kinesis_client.hpp>

#include <kinesis/detail/encoding.hpp>
#include <kinesis/detail/json_reader.hpp>
#include <kinesis/detail/kinesis_protocol.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <vector>

namespace {

// A client whose endpoint is a closed port: any request that were sent would
// come back as a Transport error, so an InvalidArgument proves nothing left.
kinesis::ClientConfig unreachable_config() {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = "http://127.0.0.1:9";
    config.retry.max_attempts = 1;
    return config;
}

template <class R>
std::string rejected(const R& result) {
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == kinesis::ErrorKind::InvalidArgument);
    return result.error().message;
}

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
    request.records.push_back({std::string_view("hello"), "pk1", std::nullopt});
    request.records.push_back({std::string_view("\x00\xff", 2), "k\"2", std::string("12345")});
    std::string body;
    kinesis::detail::write_put_records(request, body);
    CHECK(body == R"({"Records":[{"Data":"aGVsbG8=","PartitionKey":"pk1"},)"
                  R"({"Data":"AP8=","PartitionKey":"k\"2","ExplicitHashKey":"12345"}],"StreamName":"test"})");
    CHECK(kinesis::detail::put_records_body_size(request) >= body.size());
    CHECK(kinesis::detail::put_records_body_size(request) <= body.size() + 8);

    request.stream = stream_arn;
    body.clear();
    kinesis::detail::write_put_records(request, body);
    CHECK(body.find(R"("StreamARN":"arn:aws:kinesis:us-east-1:123456789012:stream/test")") != std::string::npos);
    CHECK(body.find("StreamName") == std::string::npos);
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
