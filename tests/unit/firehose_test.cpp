// SPDX-License-Identifier: Apache-2.0
// FirehoseClient without a server: input checks (nothing is sent on bad input),
// request bodies and answer parsers.
#include <kinesis/firehose/firehose_client.hpp>

#include <kinesis/auth/credentials.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/firehose/detail/wire.hpp>
#include <kinesis/core/detail/json_reader.hpp>

#include "offline_client.hpp"

#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

namespace {

using kinesis_test::rejected;
using kinesis_test::unreachable_config;

const std::string role = "arn:aws:iam::123456789012:role/firehose-delivery";
const std::string bucket = "arn:aws:s3:::etl-lab-bucket";
const std::string source_stream = "arn:aws:kinesis:us-east-1:123456789012:stream/etl-source";

template <class Destination>
Destination lab_destination() {
    return kinesis_test::lab_destination<Destination>(role, bucket);
}

kinesis::CreateDeliveryStreamRequest direct_put_request() {
    kinesis::CreateDeliveryStreamRequest request;
    request.delivery_stream_name = "etl-delivery";
    request.s3_destination_configuration = lab_destination<kinesis::S3DestinationConfiguration>();
    return request;
}

constexpr std::string_view lab_destination_json =
    R"({"RoleARN":"arn:aws:iam::123456789012:role/firehose-delivery","BucketARN":"arn:aws:s3:::etl-lab-bucket",)"
    R"("Prefix":"firehose/","ErrorOutputPrefix":"errors/","BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":60},)"
    R"("CompressionFormat":"UNCOMPRESSED","EncryptionConfiguration":{"NoEncryptionConfig":"NoEncryption"},)"
    R"("CloudWatchLoggingOptions":{"Enabled":true,"LogGroupName":"/aws/kinesisfirehose/etl-delivery",)"
    R"("LogStreamName":"S3Delivery"}})";

std::string create_message(const kinesis::CreateDeliveryStreamRequest& request) {
    kinesis::FirehoseClient client(unreachable_config());
    return rejected(client.create_delivery_stream(request));
}

}  // namespace

TEST_CASE("Firehose to_string gives the wire names of every enum") {
    using namespace kinesis;
    CHECK(to_string(DeliveryStreamType::DirectPut) == "DirectPut");
    CHECK(to_string(DeliveryStreamType::KinesisStreamAsSource) == "KinesisStreamAsSource");
    CHECK(to_string(DeliveryStreamStatus::Creating) == "CREATING");
    CHECK(to_string(DeliveryStreamStatus::CreatingFailed) == "CREATING_FAILED");
    CHECK(to_string(DeliveryStreamStatus::Deleting) == "DELETING");
    CHECK(to_string(DeliveryStreamStatus::DeletingFailed) == "DELETING_FAILED");
    CHECK(to_string(DeliveryStreamStatus::Active) == "ACTIVE");
    CHECK(to_string(CompressionFormat::Uncompressed) == "UNCOMPRESSED");
    CHECK(to_string(CompressionFormat::Gzip) == "GZIP");
    CHECK(to_string(CompressionFormat::Zip) == "ZIP");
    CHECK(to_string(CompressionFormat::Snappy) == "Snappy");
    CHECK(to_string(CompressionFormat::HadoopSnappy) == "HADOOP_SNAPPY");
}

TEST_CASE("Firehose CreateDeliveryStream body for DirectPut with the ETL lab's S3 destination") {
    const auto request = direct_put_request();
    REQUIRE_FALSE(kinesis::detail::check_create_delivery_stream(request));
    std::string body;
    kinesis::detail::write_create_delivery_stream(request, body);
    CHECK(body == std::string(R"({"DeliveryStreamName":"etl-delivery","DeliveryStreamType":"DirectPut",)") +
                      R"("S3DestinationConfiguration":)" + std::string(lab_destination_json) + "}");
}

TEST_CASE("Firehose CreateDeliveryStream body for KinesisStreamAsSource with the ETL lab's extended S3 destination") {
    kinesis::CreateDeliveryStreamRequest request;
    request.delivery_stream_name = "etl-from-stream";
    request.delivery_stream_type = kinesis::DeliveryStreamType::KinesisStreamAsSource;
    request.kinesis_stream_source_configuration = kinesis::KinesisStreamSourceConfiguration{source_stream, role};
    request.extended_s3_destination_configuration = lab_destination<kinesis::ExtendedS3DestinationConfiguration>();
    REQUIRE_FALSE(kinesis::detail::check_create_delivery_stream(request));
    std::string body;
    kinesis::detail::write_create_delivery_stream(request, body);
    CHECK(body ==
          std::string(R"({"DeliveryStreamName":"etl-from-stream","DeliveryStreamType":"KinesisStreamAsSource",)") +
              R"("KinesisStreamSourceConfiguration":{"KinesisStreamARN":")" + source_stream + R"(","RoleARN":")" +
              role + R"("},"ExtendedS3DestinationConfiguration":)" + std::string(lab_destination_json) + "}");
}

TEST_CASE("Firehose CreateDeliveryStream body: a KMS key and a minimal destination") {
    kinesis::CreateDeliveryStreamRequest request;
    request.delivery_stream_name = "minimal";
    kinesis::S3DestinationConfiguration destination;
    destination.role_arn = role;
    destination.bucket_arn = bucket;
    destination.encryption_configuration =
        kinesis::EncryptionConfiguration{"arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"};
    destination.compression_format = kinesis::CompressionFormat::Gzip;
    request.s3_destination_configuration = destination;
    REQUIRE_FALSE(kinesis::detail::check_create_delivery_stream(request));
    std::string body;
    kinesis::detail::write_create_delivery_stream(request, body);
    CHECK(body == std::string(R"({"DeliveryStreamName":"minimal","DeliveryStreamType":"DirectPut",)") +
                      R"("S3DestinationConfiguration":{"RoleARN":")" + role + R"(","BucketARN":")" + bucket +
                      R"(","CompressionFormat":"GZIP","EncryptionConfiguration":{"KMSEncryptionConfig":)" +
                      R"({"AWSKMSKeyARN":"arn:aws:kms:us-east-1:123456789012:key/)" +
                      R"(1234abcd-12ab-34cd-56ef-1234567890ab"}}}})");
}

TEST_CASE("Firehose request bodies of list, describe and delete") {
    std::string body;
    kinesis::ListDeliveryStreamsRequest list;
    kinesis::detail::write_list_delivery_streams(list, body);
    CHECK(body == "{}");
    body.clear();
    list.limit = 1;
    list.delivery_stream_type = kinesis::DeliveryStreamType::KinesisStreamAsSource;
    list.exclusive_start_delivery_stream_name = "a-stream";
    kinesis::detail::write_list_delivery_streams(list, body);
    CHECK(body ==
          R"({"Limit":1,"DeliveryStreamType":"KinesisStreamAsSource","ExclusiveStartDeliveryStreamName":"a-stream"})");
    body.clear();
    kinesis::detail::write_delivery_stream_name("s", body);
    CHECK(body == R"({"DeliveryStreamName":"s"})");
    body.clear();
    kinesis::detail::write_delete_delivery_stream("s", false, body);
    CHECK(body == R"({"DeliveryStreamName":"s"})");
    body.clear();
    kinesis::detail::write_delete_delivery_stream("s", true, body);
    CHECK(body == R"({"DeliveryStreamName":"s","AllowForceDelete":true})");
}

TEST_CASE("Firehose PutRecord and PutRecordBatch bodies carry base64 data, sized exactly") {
    std::string body;
    kinesis::detail::write_firehose_put_record("s", "hello", body);
    CHECK(body == R"({"DeliveryStreamName":"s","Record":{"Data":"aGVsbG8="}})");

    const std::vector<std::string> records = {"a", "bc", std::string("\0\xff", 2)};
    body.clear();
    kinesis::detail::write_put_record_batch("batch", records, body);
    CHECK(body == R"({"DeliveryStreamName":"batch","Records":[{"Data":"YQ=="},{"Data":"YmM="},{"Data":"AP8="}]})");
    CHECK(kinesis::detail::put_record_batch_body_size("batch", records) == body.size());
    const std::vector<std::string> one = {"xyz"};
    body.clear();
    kinesis::detail::write_put_record_batch("n", one, body);
    CHECK(kinesis::detail::put_record_batch_body_size("n", one) == body.size());
}

TEST_CASE("create_delivery_stream rejects a bad delivery stream name before sending") {
    auto request = direct_put_request();
    request.delivery_stream_name = "";
    CHECK(create_message(request) == "create_delivery_stream: delivery_stream_name is empty; it must have 1 to 64 characters");
    request.delivery_stream_name = std::string(65, 'a');
    CHECK(create_message(request) == "create_delivery_stream: delivery_stream_name has 65 characters; the limit is 64");
    request.delivery_stream_name = std::string(64, 'a');
    CHECK_FALSE(kinesis::detail::check_create_delivery_stream(request));
    request.delivery_stream_name = "bad name";
    CHECK(create_message(request) ==
          "create_delivery_stream: delivery_stream_name \"bad name\" has a character outside [a-zA-Z0-9_.-]");
}

TEST_CASE("create_delivery_stream requires exactly the source and destination its type needs") {
    auto request = direct_put_request();
    request.kinesis_stream_source_configuration = kinesis::KinesisStreamSourceConfiguration{source_stream, role};
    CHECK(create_message(request) == "create_delivery_stream: kinesis_stream_source_configuration is set for a "
                                     "DirectPut stream; only KinesisStreamAsSource takes one");

    request = direct_put_request();
    request.delivery_stream_type = kinesis::DeliveryStreamType::KinesisStreamAsSource;
    CHECK(create_message(request) == "create_delivery_stream: kinesis_stream_source_configuration is required for a "
                                     "KinesisStreamAsSource stream");

    request = direct_put_request();
    request.s3_destination_configuration.reset();
    CHECK(create_message(request) == "create_delivery_stream: no destination; set s3_destination_configuration or "
                                     "extended_s3_destination_configuration");

    request = direct_put_request();
    request.extended_s3_destination_configuration = lab_destination<kinesis::ExtendedS3DestinationConfiguration>();
    CHECK(create_message(request) == "create_delivery_stream: s3_destination_configuration and "
                                     "extended_s3_destination_configuration are both set; the API takes exactly one "
                                     "destination");
}

TEST_CASE("create_delivery_stream rejects ARNs of the wrong shape, naming the field") {
    auto request = direct_put_request();
    request.s3_destination_configuration->role_arn = "";
    CHECK(create_message(request) == "create_delivery_stream: s3_destination_configuration.role_arn is empty; it must "
                                     "be an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
    request.s3_destination_configuration->role_arn = "firehose-delivery";
    CHECK(create_message(request) == "create_delivery_stream: s3_destination_configuration.role_arn "
                                     "\"firehose-delivery\" is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)");
    request.s3_destination_configuration->role_arn = "arn:aws:iam::12345:role/x";
    CHECK(create_message(request).find("role_arn \"arn:aws:iam::12345:role/x\" is not an IAM role ARN") !=
          std::string::npos);
    request.s3_destination_configuration->role_arn = "arn:aws:iam::123456789012:role/" + std::string(500, 'r');
    CHECK(create_message(request) ==
          "create_delivery_stream: s3_destination_configuration.role_arn has 531 characters; the limit is 512");

    request = direct_put_request();
    request.s3_destination_configuration->bucket_arn = "arn:aws:s3:::bucket/key";
    CHECK(create_message(request) == "create_delivery_stream: s3_destination_configuration.bucket_arn "
                                     "\"arn:aws:s3:::bucket/key\" is not an S3 bucket ARN (arn:aws:s3:::<bucket>)");
    request.s3_destination_configuration->bucket_arn = "arn:aws:s3:us-east-1::bucket";
    CHECK(create_message(request).find("is not an S3 bucket ARN") != std::string::npos);

    request = direct_put_request();
    request.s3_destination_configuration->encryption_configuration =
        kinesis::EncryptionConfiguration{"arn:aws:kms:us-east-1:123456789012:secret/x"};
    CHECK(create_message(request) ==
          "create_delivery_stream: s3_destination_configuration.encryption_configuration.kms_key_arn "
          "\"arn:aws:kms:us-east-1:123456789012:secret/x\" is not a KMS key ARN "
          "(arn:aws:kms:<region>:<account>:key/<id> or alias/<name>)");

    request = direct_put_request();
    request.s3_destination_configuration.reset();
    request.extended_s3_destination_configuration = lab_destination<kinesis::ExtendedS3DestinationConfiguration>();
    request.delivery_stream_type = kinesis::DeliveryStreamType::KinesisStreamAsSource;
    request.kinesis_stream_source_configuration =
        kinesis::KinesisStreamSourceConfiguration{"arn:aws:kinesis:us-east-1:123456789012:deliverystream/x", role};
    CHECK(create_message(request) ==
          "create_delivery_stream: kinesis_stream_source_configuration.kinesis_stream_arn "
          "\"arn:aws:kinesis:us-east-1:123456789012:deliverystream/x\" is not a Kinesis stream ARN "
          "(arn:aws:kinesis:<region>:<account>:stream/<name>)");
    request.kinesis_stream_source_configuration = kinesis::KinesisStreamSourceConfiguration{source_stream, bucket};
    CHECK(create_message(request) == "create_delivery_stream: kinesis_stream_source_configuration.role_arn "
                                     "\"arn:aws:s3:::etl-lab-bucket\" is not an IAM role ARN "
                                     "(arn:aws:iam::<account>:role/<name>)");
    request.kinesis_stream_source_configuration = kinesis::KinesisStreamSourceConfiguration{source_stream, role};
    request.extended_s3_destination_configuration->bucket_arn = "";
    CHECK(create_message(request) == "create_delivery_stream: extended_s3_destination_configuration.bucket_arn is "
                                     "empty; it must be an S3 bucket ARN (arn:aws:s3:::<bucket>)");
}

TEST_CASE("create_delivery_stream checks buffering hints against the model's ranges") {
    auto request = direct_put_request();
    auto& hints = *request.s3_destination_configuration->buffering_hints;
    hints = kinesis::BufferingHints{0, 60};
    CHECK(create_message(request) ==
          "create_delivery_stream: s3_destination_configuration.buffering_hints.size_in_mbs is 0; it must be 1 to 128");
    hints = kinesis::BufferingHints{129, 60};
    CHECK(create_message(request) == "create_delivery_stream: s3_destination_configuration.buffering_hints.size_in_mbs "
                                     "is 129; it must be 1 to 128");
    hints = kinesis::BufferingHints{128, 901};
    CHECK(create_message(request) == "create_delivery_stream: s3_destination_configuration.buffering_hints."
                                     "interval_in_seconds is 901; it must be 0 to 900");
    hints = kinesis::BufferingHints{1, -1};
    CHECK(create_message(request).find("interval_in_seconds is -1; it must be 0 to 900") != std::string::npos);
    hints = kinesis::BufferingHints{5, std::nullopt};
    CHECK(create_message(request) == "create_delivery_stream: s3_destination_configuration.buffering_hints has only "
                                     "size_in_mbs; the service needs size_in_mbs and interval_in_seconds together");
    hints = kinesis::BufferingHints{128, 0};
    CHECK_FALSE(kinesis::detail::check_create_delivery_stream(request));
    hints = kinesis::BufferingHints{};
    CHECK_FALSE(kinesis::detail::check_create_delivery_stream(request));
}

TEST_CASE("create_delivery_stream checks prefixes and CloudWatch logging options") {
    auto request = direct_put_request();
    request.s3_destination_configuration->prefix = std::string(1025, 'p');
    CHECK(create_message(request) ==
          "create_delivery_stream: s3_destination_configuration.prefix has 1025 characters; the limit is 1024");
    request = direct_put_request();
    request.s3_destination_configuration->error_output_prefix = std::string("bad\xff", 4);
    CHECK(create_message(request) ==
          "create_delivery_stream: s3_destination_configuration.error_output_prefix is not valid UTF-8");

    request = direct_put_request();
    auto& logging = *request.s3_destination_configuration->cloud_watch_logging_options;
    logging.log_group_name.clear();
    CHECK(create_message(request) ==
          "create_delivery_stream: s3_destination_configuration.cloud_watch_logging_options.log_group_name is empty; "
          "CloudWatch logging that is enabled needs a log group and a log stream name");
    logging.log_group_name = "group with space";
    CHECK(create_message(request) ==
          "create_delivery_stream: s3_destination_configuration.cloud_watch_logging_options.log_group_name "
          "\"group with space\" has a character outside [.-_/#A-Za-z0-9]");
    logging.log_group_name = "/aws/group";
    logging.log_stream_name = "a:b";
    CHECK(create_message(request) ==
          "create_delivery_stream: s3_destination_configuration.cloud_watch_logging_options.log_stream_name \"a:b\" "
          "contains ':' or '*'");
    logging.log_stream_name = std::string(513, 's');
    CHECK(create_message(request) == "create_delivery_stream: s3_destination_configuration.cloud_watch_logging_options."
                                     "log_stream_name has 513 characters; the limit is 512");
    logging = kinesis::CloudWatchLoggingOptions{};  // disabled, no names: fine
    CHECK_FALSE(kinesis::detail::check_create_delivery_stream(request));
}

TEST_CASE("put_record rejects empty and over 1,000 KiB data before sending") {
    kinesis::FirehoseClient client(unreachable_config());
    CHECK(rejected(client.put_record("s", "")) == "put_record: data is empty; it must have 1 to 1024000 bytes");
    const std::string big(1024001, 'x');
    CHECK(rejected(client.put_record("s", big)) == "put_record: data has 1024001 bytes; the limit is 1024000 (1,000 KiB)");
    CHECK(rejected(client.put_record("no spaces", "x")) ==
          "put_record: delivery_stream_name \"no spaces\" has a character outside [a-zA-Z0-9_.-]");
    CHECK_FALSE(kinesis::detail::check_firehose_put_record("s", std::string(1024000, 'x')));
}

TEST_CASE("put_record_batch rejects bad record counts and sizes before sending") {
    kinesis::FirehoseClient client(unreachable_config());
    CHECK(rejected(client.put_record_batch("s", {})) ==
          "put_record_batch: records is empty; it must have 1 to 500 entries");
    const std::vector<std::string> too_many(501, "x");
    CHECK(rejected(client.put_record_batch("s", too_many)) == "put_record_batch: records has 501 entries; the limit is 500");
    CHECK_FALSE(kinesis::detail::check_put_record_batch("s", std::vector<std::string>(500, "x")));

    const std::string big(1024001, 'x');
    CHECK(rejected(client.put_record_batch("s", {"a", "b", big})) ==
          "put_record_batch: records[2] has 1024001 bytes; the limit is 1024000 (1,000 KiB)");
    CHECK(rejected(client.put_record_batch("s", {"a", ""})) ==
          "put_record_batch: records[1] is empty; it must have 1 to 1024000 bytes");

    // Five records of 1,000 KiB: each within its limit, 5,120,000 bytes in all.
    const std::string full(1024000, 'x');
    const std::vector<std::string> heavy(5, full);
    CHECK(rejected(client.put_record_batch("s", heavy)) ==
          "put_record_batch: records hold 5120000 bytes; the limit is 4194304 (4 MiB)");
    // Exactly 4 MiB passes.
    const std::string rest(4194304 - 4 * 1024000, 'y');
    CHECK_FALSE(kinesis::detail::check_put_record_batch("s", {full, full, full, full, rest}));
    CHECK(rejected(client.put_record_batch(std::string(65, 'n'), {"x"})) ==
          "put_record_batch: delivery_stream_name has 65 characters; the limit is 64");
}

TEST_CASE("Firehose describe, list, delete and waiters reject bad input before sending") {
    kinesis::FirehoseClient client(unreachable_config());
    CHECK(rejected(client.describe_delivery_stream("")) ==
          "describe_delivery_stream: delivery_stream_name is empty; it must have 1 to 64 characters");
    CHECK(rejected(client.delete_delivery_stream("a/b")) ==
          "delete_delivery_stream: delivery_stream_name \"a/b\" has a character outside [a-zA-Z0-9_.-]");
    kinesis::ListDeliveryStreamsRequest list;
    list.limit = 0;
    CHECK(rejected(client.list_delivery_streams(list)) == "list_delivery_streams: limit is 0; it must be 1 to 10000");
    list.limit = 10001;
    CHECK(rejected(client.list_delivery_streams(list)) == "list_delivery_streams: limit is 10001; it must be 1 to 10000");
    list.limit.reset();
    list.exclusive_start_delivery_stream_name = "";
    CHECK(rejected(client.list_delivery_streams(list)) ==
          "list_delivery_streams: exclusive_start_delivery_stream_name is empty; it must have 1 to 64 characters");
    CHECK(rejected(client.wait_until_active("s", kinesis::WaiterConfig{std::chrono::milliseconds(1), 0})) ==
          "wait_until_active: max_attempts is 0; it must be at least 1");
    CHECK(rejected(client.wait_until_deleted("", kinesis::WaiterConfig{})) ==
          "wait_until_deleted: delivery_stream_name is empty; it must have 1 to 64 characters");
}

TEST_CASE("Firehose DescribeDeliveryStream answer read field by field") {
    // The shape AWS sends for a KinesisStreamAsSource stream with an extended S3 destination.
    const std::string body = R"({"DeliveryStreamDescription":{
        "DeliveryStreamName":"etl-from-stream",
        "DeliveryStreamARN":"arn:aws:firehose:us-east-1:123456789012:deliverystream/etl-from-stream",
        "DeliveryStreamStatus":"ACTIVE",
        "DeliveryStreamEncryptionConfiguration":{"Status":"DISABLED"},
        "DeliveryStreamType":"KinesisStreamAsSource",
        "VersionId":"1",
        "CreateTimestamp":1.700000123456E9,
        "Source":{"KinesisStreamSourceDescription":{
            "KinesisStreamARN":"arn:aws:kinesis:us-east-1:123456789012:stream/etl-source",
            "RoleARN":"arn:aws:iam::123456789012:role/firehose-delivery",
            "DeliveryStartTimestamp":1700000100}},
        "Destinations":[{"DestinationId":"destinationId-000000000001",
            "S3DestinationDescription":{"RoleARN":"arn:aws:iam::123456789012:role/firehose-delivery",
                "BucketARN":"arn:aws:s3:::etl-lab-bucket","Prefix":"firehose/","ErrorOutputPrefix":"errors/",
                "BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":60},"CompressionFormat":"UNCOMPRESSED",
                "EncryptionConfiguration":{"NoEncryptionConfig":"NoEncryption"},
                "CloudWatchLoggingOptions":{"Enabled":true,"LogGroupName":"/aws/kinesisfirehose/etl-delivery",
                    "LogStreamName":"S3Delivery"}},
            "ExtendedS3DestinationDescription":{"RoleARN":"arn:aws:iam::123456789012:role/firehose-delivery",
                "BucketARN":"arn:aws:s3:::etl-lab-bucket","Prefix":"firehose/","ErrorOutputPrefix":"errors/",
                "BufferingHints":{"SizeInMBs":1,"IntervalInSeconds":60},"CompressionFormat":"GZIP",
                "EncryptionConfiguration":{"KMSEncryptionConfig":{"AWSKMSKeyARN":"arn:aws:kms:us-east-1:123456789012:key/k"}},
                "CloudWatchLoggingOptions":{"Enabled":false},
                "ProcessingConfiguration":{"Enabled":false,"Processors":[]},"S3BackupMode":"Disabled"}}],
        "HasMoreDestinations":false}})";
    kinesis::detail::JsonParser parser;
    auto parsed = kinesis::detail::parse_describe_delivery_stream(parser, body);
    REQUIRE(parsed);
    const auto& d = *parsed;
    CHECK(d.delivery_stream_name == "etl-from-stream");
    CHECK(d.delivery_stream_arn == "arn:aws:firehose:us-east-1:123456789012:deliverystream/etl-from-stream");
    CHECK(d.delivery_stream_status == kinesis::DeliveryStreamStatus::Active);
    CHECK(d.delivery_stream_type == kinesis::DeliveryStreamType::KinesisStreamAsSource);
    CHECK(d.version_id == "1");
    REQUIRE(d.create_timestamp);
    CHECK(std::chrono::duration_cast<std::chrono::microseconds>(d.create_timestamp->time_since_epoch()).count() ==
          1700000123456000);
    REQUIRE(d.source);
    CHECK(d.source->kinesis_stream_arn == source_stream);
    CHECK(d.source->role_arn == role);
    REQUIRE(d.source->delivery_start_timestamp);
    CHECK(std::chrono::duration_cast<std::chrono::seconds>(d.source->delivery_start_timestamp->time_since_epoch())
              .count() == 1700000100);
    CHECK_FALSE(d.has_more_destinations);
    REQUIRE(d.destinations.size() == 1);
    CHECK(d.destinations[0].destination_id == "destinationId-000000000001");
    REQUIRE(d.destinations[0].s3_destination_description);
    const auto& s3 = *d.destinations[0].s3_destination_description;
    CHECK(s3.role_arn == role);
    CHECK(s3.bucket_arn == bucket);
    CHECK(s3.prefix == "firehose/");
    CHECK(s3.error_output_prefix == "errors/");
    CHECK(s3.buffering_hints.size_in_mbs == 1);
    CHECK(s3.buffering_hints.interval_in_seconds == 60);
    CHECK(s3.compression_format == kinesis::CompressionFormat::Uncompressed);
    CHECK_FALSE(s3.encryption_configuration.kms_key_arn);
    REQUIRE(s3.cloud_watch_logging_options);
    CHECK(s3.cloud_watch_logging_options->enabled);
    CHECK(s3.cloud_watch_logging_options->log_group_name == "/aws/kinesisfirehose/etl-delivery");
    CHECK(s3.cloud_watch_logging_options->log_stream_name == "S3Delivery");
    REQUIRE(d.destinations[0].extended_s3_destination_description);
    const auto& extended = *d.destinations[0].extended_s3_destination_description;
    CHECK(extended.compression_format == kinesis::CompressionFormat::Gzip);
    CHECK(extended.encryption_configuration.kms_key_arn == "arn:aws:kms:us-east-1:123456789012:key/k");
    REQUIRE(extended.cloud_watch_logging_options);
    CHECK_FALSE(extended.cloud_watch_logging_options->enabled);
}

TEST_CASE("Firehose DescribeDeliveryStream answer without a description is a Parse error") {
    kinesis::detail::JsonParser parser;
    auto parsed = kinesis::detail::parse_describe_delivery_stream(parser, R"({"Other":1})");
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().kind == kinesis::ErrorKind::Parse);
    CHECK(parsed.error().message.find("DescribeDeliveryStream response") == 0);
}

TEST_CASE("Firehose PutRecordBatch answer with failures keeps the records' order") {
    const std::string body = R"({"FailedPutCount":2,"Encrypted":true,"RequestResponses":[
        {"RecordId":"id-0"},
        {"ErrorCode":"ServiceUnavailableException","ErrorMessage":"Slow down."},
        {"RecordId":"id-2"},
        {"ErrorCode":"InternalFailure","ErrorMessage":"Try again."}]})";
    kinesis::detail::JsonParser parser;
    auto parsed = kinesis::detail::parse_put_record_batch(parser, body);
    REQUIRE(parsed);
    CHECK(parsed->failed_put_count == 2);
    CHECK(parsed->encrypted);
    REQUIRE(parsed->request_responses.size() == 4);
    CHECK(parsed->request_responses[0].record_id == "id-0");
    CHECK_FALSE(parsed->request_responses[0].error_code);
    CHECK_FALSE(parsed->request_responses[1].record_id);
    CHECK(parsed->request_responses[1].error_code == "ServiceUnavailableException");
    CHECK(parsed->request_responses[1].error_message == "Slow down.");
    CHECK(parsed->request_responses[2].record_id == "id-2");
    CHECK(parsed->request_responses[3].error_code == "InternalFailure");
    CHECK(parsed->request_responses[3].error_message == "Try again.");
}

TEST_CASE("Firehose PutRecord, ListDeliveryStreams and CreateDeliveryStream answers") {
    kinesis::detail::JsonParser parser;
    auto put = kinesis::detail::parse_firehose_put_record(parser, R"({"RecordId":"abc","Encrypted":false})");
    REQUIRE(put);
    CHECK(put->record_id == "abc");
    CHECK_FALSE(put->encrypted);
    auto no_id = kinesis::detail::parse_firehose_put_record(parser, R"({"Encrypted":false})");
    REQUIRE_FALSE(no_id);
    CHECK(no_id.error().kind == kinesis::ErrorKind::Parse);

    auto list = kinesis::detail::parse_list_delivery_streams(
        parser, R"({"DeliveryStreamNames":["a","b"],"HasMoreDeliveryStreams":true})");
    REQUIRE(list);
    CHECK(list->delivery_stream_names == std::vector<std::string>{"a", "b"});
    CHECK(list->has_more_delivery_streams);

    auto arn = kinesis::detail::parse_create_delivery_stream(
        parser, R"({"DeliveryStreamARN":"arn:aws:firehose:us-east-1:123456789012:deliverystream/x"})");
    REQUIRE(arn);
    CHECK(*arn == "arn:aws:firehose:us-east-1:123456789012:deliverystream/x");
    CHECK_FALSE(kinesis::detail::parse_create_delivery_stream(parser, "{}"));
}
