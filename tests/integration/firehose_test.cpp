// SPDX-License-Identifier: Apache-2.0
// FirehoseClient against moto_server, plain and signature-verifying: delivery
// streams of both types, their configuration read back, and DirectPut records
// arriving in S3 (read with kinesis::S3Client).
#include <kinesis/firehose/firehose_client.hpp>

#include <kinesis/core/arn.hpp>
#include <kinesis/auth/credentials.hpp>
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/s3/s3_client.hpp>
#include <kinesis/sts/sts_client.hpp>

#include "integration/endpoints.hpp"
#include "unit/offline_client.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace {

using kinesis_test::fast_waiter;
using kinesis_test::unique_name;

template <class R>
void require_ok(const R& result, std::string_view what = {}) {
    REQUIRE_MESSAGE(result.has_value(), what, (result ? std::string() : ": " + result.error().to_string()));
}

// moto twice: once accepting any signature, once checking every SigV4 signature
// against an IAM user's key (so Firehose and S3 requests are proven well signed).
struct MotoEndpoint {
    std::string name;
    kinesis::ClientConfig config;
};

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

// ARNs are built from the caller's own account, as a user of the library would.
kinesis::ArnScope scope_for(const kinesis::ClientConfig& config) {
    kinesis::StsClient sts(config);
    auto identity = sts.get_caller_identity();
    require_ok(identity);
    return kinesis::ArnScope::of(config.region, identity->account);
}

template <class Destination>
Destination lab_destination(const kinesis::ArnScope& scope, const std::string& bucket) {
    return kinesis_test::lab_destination<Destination>(scope.role("firehose-delivery"), scope.bucket(bucket));
}

kinesis::CreateDeliveryStreamRequest direct_put(const kinesis::ArnScope& scope, const std::string& name,
                                                const std::string& bucket) {
    kinesis::CreateDeliveryStreamRequest request;
    request.delivery_stream_name = name;
    request.s3_destination_configuration = lab_destination<kinesis::S3DestinationConfiguration>(scope, bucket);
    return request;
}

// A real Kinesis stream on the same server, so the source ARN names something that exists.
std::string create_source_stream(const kinesis::ClientConfig& config, const std::string& name) {
    kinesis::KinesisClient kinesis_client(config);
    kinesis::CreateStreamRequest create;
    create.stream_name = name;
    create.shard_count = 1;
    require_ok(kinesis_client.create_stream(create));
    auto active = kinesis_client.wait_until_stream_exists(name, fast_waiter);
    require_ok(active);
    return active->stream_arn;
}

void delete_source_stream(const kinesis::ClientConfig& config, const std::string& name) {
    kinesis::KinesisClient kinesis_client(config);
    require_ok(kinesis_client.delete_stream({name, false}));
}

void delete_and_wait(kinesis::FirehoseClient& firehose, const std::string& name) {
    require_ok(firehose.delete_delivery_stream(name));
    require_ok(firehose.wait_until_deleted(name, fast_waiter));
}

// Record bytes as callers make them: a new heap string per call (64 to 127
// bytes, past any small-string buffer), different for every i.
std::string make_payload(std::size_t i) {
    std::string payload = "record " + std::to_string(i) + ":";
    for (std::size_t j = 0; payload.size() < 64 + i % 64; ++j) {
        payload.push_back(static_cast<char>((i * 131 + j * 7) & 0xFF));
    }
    return payload;
}

}  // namespace

TEST_CASE("Firehose delivery streams of both types are created, described, listed and deleted") {
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        const auto scope = scope_for(endpoint.config);
        kinesis::FirehoseClient firehose(endpoint.config);
        CHECK(firehose.endpoint() == endpoint.config.endpoint);
        CHECK(firehose.region() == "us-east-1");

        const auto source_name = unique_name("fh-source");
        const auto source_arn = create_source_stream(endpoint.config, source_name);
        // Names share a prefix and sort as listed: a, b, c.
        const auto base = unique_name("fh-list");
        const std::vector<std::string> names = {base + "-a", base + "-b", base + "-c"};
        const std::string bucket = unique_name("fh-list-bucket");

        auto arn_a = firehose.create_delivery_stream(direct_put(scope, names[0], bucket));
        require_ok(arn_a);
        CHECK(*arn_a == scope.delivery_stream(names[0]));
        require_ok(firehose.create_delivery_stream(direct_put(scope, names[1], bucket)));
        kinesis::CreateDeliveryStreamRequest from_stream;
        from_stream.delivery_stream_name = names[2];
        from_stream.delivery_stream_type = kinesis::DeliveryStreamType::KinesisStreamAsSource;
        from_stream.kinesis_stream_source_configuration =
            kinesis::KinesisStreamSourceConfiguration{source_arn, scope.role("firehose-delivery")};
        from_stream.extended_s3_destination_configuration =
            lab_destination<kinesis::ExtendedS3DestinationConfiguration>(scope, bucket);
        auto arn_c = firehose.create_delivery_stream(from_stream);
        require_ok(arn_c);
        CHECK(*arn_c == scope.delivery_stream(names[2]));

        for (const auto& name : names) {
            auto active = firehose.wait_until_active(name, fast_waiter);
            require_ok(active);
            CHECK(active->delivery_stream_name == name);
            CHECK(active->delivery_stream_status == kinesis::DeliveryStreamStatus::Active);
            CHECK(active->delivery_stream_arn == scope.delivery_stream(name));
            CHECK_FALSE(active->version_id.empty());
            CHECK(active->create_timestamp.has_value());
            CHECK(active->destinations.size() == 1);
        }
        auto a = firehose.describe_delivery_stream(names[0]);
        require_ok(a);
        CHECK(a->delivery_stream_type == kinesis::DeliveryStreamType::DirectPut);
        CHECK_FALSE(a->source.has_value());
        auto c = firehose.describe_delivery_stream(names[2]);
        require_ok(c);
        CHECK(c->delivery_stream_type == kinesis::DeliveryStreamType::KinesisStreamAsSource);
        CHECK(c->source.has_value());

        // A name already taken is the service's ResourceInUseException.
        auto again = firehose.create_delivery_stream(direct_put(scope, names[0], bucket));
        REQUIRE_FALSE(again);
        CHECK(again.error().code == "ResourceInUseException");

        // Paging one name at a time, each page starting after the last name seen,
        // walks every stream in alphabetical order: ours come a, b, c, side by side.
        std::vector<std::string> paged;
        kinesis::ListDeliveryStreamsRequest page_request;
        page_request.limit = 1;
        for (int page = 0; page < 100; ++page) {
            auto listed = firehose.list_delivery_streams(page_request);
            require_ok(listed);
            REQUIRE(listed->delivery_stream_names.size() == 1);
            paged.push_back(listed->delivery_stream_names.front());
            if (!listed->has_more_delivery_streams) break;
            page_request.exclusive_start_delivery_stream_name = paged.back();
        }
        CHECK(std::is_sorted(paged.begin(), paged.end()));
        const auto at = std::find(paged.begin(), paged.end(), names[0]);
        REQUIRE(paged.end() - at >= 3);
        CHECK(std::vector<std::string>(at, at + 3) == names);

        auto all = firehose.list_all_delivery_streams();
        require_ok(all);
        for (const auto& name : names) CHECK(std::count(all->begin(), all->end(), name) == 1);
        auto direct = firehose.list_all_delivery_streams(kinesis::DeliveryStreamType::DirectPut);
        require_ok(direct);
        CHECK(std::count(direct->begin(), direct->end(), names[0]) == 1);
        CHECK(std::count(direct->begin(), direct->end(), names[1]) == 1);
        CHECK(std::count(direct->begin(), direct->end(), names[2]) == 0);
        auto sourced = firehose.list_all_delivery_streams(kinesis::DeliveryStreamType::KinesisStreamAsSource);
        require_ok(sourced);
        CHECK(std::count(sourced->begin(), sourced->end(), names[2]) == 1);
        CHECK(std::count(sourced->begin(), sourced->end(), names[0]) == 0);

        for (const auto& name : names) delete_and_wait(firehose, name);
        auto gone = firehose.describe_delivery_stream(names[0]);
        REQUIRE_FALSE(gone);
        CHECK(gone.error().code == "ResourceNotFoundException");
        CHECK(gone.error().kind == kinesis::ErrorKind::Service);
        auto deleted_again = firehose.delete_delivery_stream(names[1]);
        REQUIRE_FALSE(deleted_again);
        CHECK(deleted_again.error().code == "ResourceNotFoundException");
        auto listed_after = firehose.list_all_delivery_streams();
        require_ok(listed_after);
        for (const auto& name : names) CHECK(std::count(listed_after->begin(), listed_after->end(), name) == 0);
        delete_source_stream(endpoint.config, source_name);
    }
}

TEST_CASE("Firehose KinesisStreamAsSource delivery stream: its configuration reads back through DescribeDeliveryStream") {
    // moto stores the source and destination as given and answers describe with
    // them, but it does not pump records from the Kinesis stream into the
    // destination: what is checked here is the configuration, not delivery.
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        const auto scope = scope_for(endpoint.config);
        kinesis::FirehoseClient firehose(endpoint.config);
        const auto source_name = unique_name("fh-etl-source");
        const auto source_arn = create_source_stream(endpoint.config, source_name);
        const auto name = unique_name("fh-etl");
        const auto bucket = unique_name("fh-etl-bucket");

        kinesis::CreateDeliveryStreamRequest request;
        request.delivery_stream_name = name;
        request.delivery_stream_type = kinesis::DeliveryStreamType::KinesisStreamAsSource;
        request.kinesis_stream_source_configuration =
            kinesis::KinesisStreamSourceConfiguration{source_arn, scope.role("firehose-delivery")};
        request.extended_s3_destination_configuration =
            lab_destination<kinesis::ExtendedS3DestinationConfiguration>(scope, bucket);
        require_ok(firehose.create_delivery_stream(request));

        auto d = firehose.wait_until_active(name, fast_waiter);
        require_ok(d);
        CHECK(d->delivery_stream_name == name);
        CHECK(d->delivery_stream_arn == scope.delivery_stream(name));
        CHECK(d->delivery_stream_type == kinesis::DeliveryStreamType::KinesisStreamAsSource);
        CHECK(d->delivery_stream_status == kinesis::DeliveryStreamStatus::Active);
        CHECK_FALSE(d->has_more_destinations);
        REQUIRE(d->source.has_value());
        CHECK(d->source->kinesis_stream_arn == source_arn);
        CHECK(d->source->role_arn == scope.role("firehose-delivery"));

        REQUIRE(d->destinations.size() == 1);
        const auto& destination = d->destinations.front();
        CHECK_FALSE(destination.destination_id.empty());
        REQUIRE(destination.extended_s3_destination_description.has_value());
        // AWS (and moto) also describe an extended S3 destination as a plain S3 one.
        for (const auto* s3 : {&*destination.extended_s3_destination_description,
                               destination.s3_destination_description ? &*destination.s3_destination_description
                                                                      : &*destination.extended_s3_destination_description}) {
            CHECK(s3->role_arn == scope.role("firehose-delivery"));
            CHECK(s3->bucket_arn == scope.bucket(bucket));
            CHECK(s3->prefix == "firehose/");
            CHECK(s3->error_output_prefix == "errors/");
            CHECK(s3->buffering_hints.size_in_mbs == 1);
            CHECK(s3->buffering_hints.interval_in_seconds == 60);
            CHECK(s3->compression_format == kinesis::CompressionFormat::Uncompressed);
            CHECK_FALSE(s3->encryption_configuration.kms_key_arn.has_value());
            REQUIRE(s3->cloud_watch_logging_options.has_value());
            CHECK(s3->cloud_watch_logging_options->enabled);
            CHECK(s3->cloud_watch_logging_options->log_group_name == "/aws/kinesisfirehose/etl-delivery");
            CHECK(s3->cloud_watch_logging_options->log_stream_name == "S3Delivery");
        }
        CHECK(destination.s3_destination_description.has_value());

        delete_and_wait(firehose, name);
        delete_source_stream(endpoint.config, source_name);
    }
}

TEST_CASE("Firehose DirectPut delivery stream delivers put_record and put_record_batch bytes to S3 under its prefix") {
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        const auto scope = scope_for(endpoint.config);
        kinesis::S3Client s3(endpoint.config);
        kinesis::FirehoseClient firehose(endpoint.config);
        const auto bucket = unique_name("fh-delivery-bucket");
        const auto name = unique_name("fh-delivery");
        require_ok(s3.create_bucket({bucket, std::nullopt}), "S3 CreateBucket");
        require_ok(firehose.create_delivery_stream(direct_put(scope, name, bucket)));
        require_ok(firehose.wait_until_active(name, fast_waiter));

        const std::string single = "{\"event\":\"single\"}\n";
        auto put = firehose.put_record(name, single);
        require_ok(put);
        CHECK_FALSE(put->record_id.empty());
        CHECK_FALSE(put->encrypted);

        // Binary bytes too: the base64 on the wire must round-trip exactly.
        const std::string binary("\x00\x01\xfe\xff\n", 5);
        const std::vector<std::string> batch = {"{\"event\":\"batch-0\"}\n", binary, "{\"event\":\"batch-2\"}\n"};
        auto batched = firehose.put_record_batch(name, batch);
        require_ok(batched);
        CHECK(batched->failed_put_count == 0);
        REQUIRE(batched->request_responses.size() == batch.size());
        for (const auto& entry : batched->request_responses) {
            CHECK(entry.record_id.has_value());
            CHECK_FALSE(entry.error_code.has_value());
        }

        // A real stream buffers (here up to 60 s) and may pack both calls into one
        // object; moto writes one object per call at once. Either way every byte
        // sent is under the prefix, in the order sent within a call.
        // The whole bucket is listed: every object in it must be under the prefix
        // (none under errors/ either).
        auto objects = s3.list_all_objects(bucket);
        require_ok(objects, "S3 ListObjectsV2");
        REQUIRE_FALSE(objects->empty());
        std::vector<std::string> bodies;
        std::size_t total = 0;
        for (const auto& object : *objects) {
            CHECK(object.key.rfind("firehose/", 0) == 0);
            auto got = s3.get_object(bucket, object.key);
            require_ok(got, "S3 GetObject " + object.key);
            CHECK(got->body.size() == object.size);
            total += got->body.size();
            bodies.push_back(got->body);
        }
        std::string batch_bytes;
        for (const auto& record : batch) batch_bytes += record;
        CHECK(total == single.size() + batch_bytes.size());
        const auto holds = [&](const std::string& bytes) {
            return std::any_of(bodies.begin(), bodies.end(),
                               [&](const std::string& body) { return body.find(bytes) != std::string::npos; });
        };
        CHECK(holds(single));
        CHECK(holds(batch_bytes));

        // A stream that does not exist is the service's error, not ours.
        auto missing = firehose.put_record(name + "-missing", single);
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == "ResourceNotFoundException");

        delete_and_wait(firehose, name);
        require_ok(s3.empty_bucket(bucket), "S3 empty_bucket");
        require_ok(s3.delete_bucket(bucket), "S3 DeleteBucket");
    }
}

TEST_CASE("Firehose put_record_batch built in a loop from temporary strings delivers those bytes to S3 unchanged") {
    for (const auto& endpoint : moto_endpoints()) {
        CAPTURE(endpoint.name);
        const auto scope = scope_for(endpoint.config);
        kinesis::S3Client s3(endpoint.config);
        kinesis::FirehoseClient firehose(endpoint.config);
        const auto bucket = unique_name("fh-owned-bucket");
        const auto name = unique_name("fh-owned");
        require_ok(s3.create_bucket({bucket, std::nullopt}), "S3 CreateBucket");
        require_ok(firehose.create_delivery_stream(direct_put(scope, name, bucket)));
        require_ok(firehose.wait_until_active(name, fast_waiter));

        std::vector<std::string> records;
        for (std::size_t i = 0; i < 300; ++i) records.push_back(make_payload(i));
        auto batched = firehose.put_record_batch(name, records);
        require_ok(batched);
        CHECK(batched->failed_put_count == 0);

        // One call, so the bucket holds exactly its bytes, in the order sent.
        std::string expected;
        for (std::size_t i = 0; i < 300; ++i) expected += make_payload(i);
        auto objects = s3.list_all_objects(bucket);
        require_ok(objects, "S3 ListObjectsV2");
        std::string delivered;
        for (const auto& object : *objects) {
            auto got = s3.get_object(bucket, object.key);
            require_ok(got, "S3 GetObject " + object.key);
            delivered += got->body;
        }
        CHECK(delivered.size() == expected.size());
        CHECK(delivered == expected);

        delete_and_wait(firehose, name);
        require_ok(s3.empty_bucket(bucket), "S3 empty_bucket");
        require_ok(s3.delete_bucket(bucket), "S3 DeleteBucket");
    }
}
