// SPDX-License-Identifier: Apache-2.0
// etl-setup: the ingestion lab's ETL infrastructure (W11): two buckets, two
// 2-shard destination streams, optionally Firehose's IAM role, and two
// Firehose delivery streams reading those streams into the buckets. Each
// resource that exists already is kept; one line per resource says what
// happened, and an error on one does not stop the others.
#include <kinesis/core/arn.hpp>
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/firehose/firehose_client.hpp>
#include <kinesis/iam/iam_client.hpp>
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/s3/s3_client.hpp>

#include "common/etl.hpp"
#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

constexpr std::string_view program = "etl-setup";

std::string usage() {
    return "usage: etl-setup [options]\n"
           "Creates the ingestion lab's ETL infrastructure in one region: buckets P-ACCOUNT-usa\n"
           "and P-ACCOUNT-int, streams P-usa-data-stream and P-international-data-stream\n"
           "(2 shards each), and Firehose delivery streams from each stream to its bucket\n"
           "(prefix firehose/, errors/, 1 MB / 60 s buffering, uncompressed, CloudWatch\n"
           "logging). What exists already is kept. Exit status 1 if anything failed.\n"
           "  --create-role            also create Firehose's IAM role and its inline policy\n"
           "  --shards N               shards of each new stream (default: 2)\n"
           "  --wait-delay SECS        pause between status polls (default: 10)\n"
           "  --wait-attempts N        polls before giving up on a status (default: 60)\n" +
           examples::etl::names_usage() + examples::client_flags_usage("us-east-1");
}

struct Options {
    examples::etl::Names names;
    bool create_role = false;
    int shards = 2;
    kinesis::WaiterConfig waiter{std::chrono::seconds(10), 60};
};

void create_bucket(kinesis::S3Client& s3, const std::string& bucket, examples::etl::Report& report) {
    // HeadBucket first: in us-east-1 CreateBucket answers 200 for a bucket the
    // caller already owns, which would read as "created".
    auto exists = s3.bucket_exists(bucket);
    if (!exists) return report.error("Bucket", bucket, exists.error());
    if (*exists) return report.line("Bucket", bucket, "already exists");
    kinesis::CreateBucketRequest request;
    request.bucket = bucket;
    auto created = s3.create_bucket(request);
    if (created) return report.line("Bucket", bucket, "created");
    if (created.error().code == "BucketAlreadyOwnedByYou") return report.line("Bucket", bucket, "already exists");
    report.error("Bucket", bucket, created.error());
}

void create_stream(kinesis::KinesisClient& kinesis, const std::set<std::string>& existing, const std::string& stream,
                   const Options& options, examples::etl::Report& report) {
    const bool present = existing.count(stream) != 0;
    if (!present) {
        kinesis::CreateStreamRequest request;
        request.stream_name = stream;
        request.shard_count = options.shards;
        auto created = kinesis.create_stream(request);
        if (!created && created.error().code != "ResourceInUseException") {
            return report.error("Stream", stream, created.error());
        }
    }
    auto active = kinesis.wait_until_stream_exists(stream, options.waiter);
    if (!active) return report.error("Stream", stream, active.error());
    const auto open = std::count_if(active->shards.begin(), active->shards.end(),
                                    [](const kinesis::Shard& shard) { return shard.is_open(); });
    report.line("Stream", stream,
                fmt::format("{} ({}, {} open shard{})", present ? "already exists" : "created",
                            kinesis::to_string(active->stream_status), open, open == 1 ? "" : "s"));
}

// The role Firehose assumes, with an inline policy to read both streams and
// write both buckets. Returns whether the role was created by this run.
bool create_role(kinesis::IamClient& iam, const kinesis::ArnScope& scope, const Options& options, examples::etl::Report& report) {
    const auto& n = options.names;
    auto exists = iam.role_exists(n.role);
    if (!exists) {
        report.error("Role", n.role, exists.error());
        return false;
    }
    bool created = false;
    if (*exists) {
        report.line("Role", n.role, "already exists");
    } else {
        kinesis::CreateRoleRequest request;
        request.role_name = n.role;
        request.assume_role_policy_document = kinesis::service_trust_policy("firehose.amazonaws.com");
        request.description = "Lets Firehose read the ETL's streams and write its buckets";
        auto role = iam.create_role(request);
        if (!role) {
            report.error("Role", n.role, role.error());
            return false;
        }
        created = true;
        report.line("Role", n.role, "created");
    }
    auto policies = iam.list_role_policies(n.role);
    if (!policies) {
        report.error("Role policy", n.policy, policies.error());
        return created;
    }
    const bool had_policy = std::find(policies->begin(), policies->end(), n.policy) != policies->end();
    const std::string document = kinesis::firehose_delivery_policy(
        {scope.stream(n.usa_stream), scope.stream(n.int_stream)}, {scope.bucket(n.usa_bucket), scope.bucket(n.int_bucket)});
    auto put = iam.put_role_policy(n.role, n.policy, document);
    if (!put) {
        report.error("Role policy", n.policy, put.error());
    } else {
        report.line("Role policy", n.policy, had_policy ? "already exists (document rewritten)" : "created");
    }
    return created;
}

// The lab's delivery stream: the Kinesis stream as source, an S3 destination
// with its prefixes, 1 MB / 60 s buffering, no compression or encryption, and
// CloudWatch logging to the given group and stream.
kinesis::CreateDeliveryStreamRequest delivery_stream_request(const kinesis::ArnScope& scope, const Options& options,
                                                             const std::string& name, const std::string& stream,
                                                             const std::string& bucket, const std::string& log_group,
                                                             const std::string& log_stream) {
    const std::string role_arn = scope.role(options.names.role);
    kinesis::CreateDeliveryStreamRequest request;
    request.delivery_stream_name = name;
    request.delivery_stream_type = kinesis::DeliveryStreamType::KinesisStreamAsSource;
    request.kinesis_stream_source_configuration = kinesis::KinesisStreamSourceConfiguration{scope.stream(stream), role_arn};
    kinesis::S3DestinationConfiguration s3;
    s3.role_arn = role_arn;
    s3.bucket_arn = scope.bucket(bucket);
    s3.prefix = "firehose/";
    s3.error_output_prefix = "errors/";
    s3.buffering_hints = kinesis::BufferingHints{1, 60};
    s3.compression_format = kinesis::CompressionFormat::Uncompressed;
    s3.encryption_configuration = kinesis::EncryptionConfiguration{};  // NoEncryption
    s3.cloud_watch_logging_options = kinesis::CloudWatchLoggingOptions{true, log_group, log_stream};
    request.s3_destination_configuration = std::move(s3);
    return request;
}

void create_delivery_stream(kinesis::FirehoseClient& firehose, const std::set<std::string>& existing,
                            const kinesis::CreateDeliveryStreamRequest& request, bool role_is_new,
                            const Options& options, examples::etl::Report& report) {
    const std::string& name = request.delivery_stream_name;
    if (existing.count(name) != 0) return report.line("Delivery stream", name, "already exists");
    // A role created seconds ago is not yet visible to Firehose everywhere in
    // AWS (IAM is eventually consistent): it answers InvalidArgumentException
    // "unable to assume role" for a while, so a new role gets a minute.
    for (int attempt = 1;; ++attempt) {
        auto created = firehose.create_delivery_stream(request);
        if (created) break;
        if (created.error().code == "ResourceInUseException") {
            return report.line("Delivery stream", name, "already exists");
        }
        if (role_is_new && created.error().code == "InvalidArgumentException" && attempt < 12) {
            fmt::print(stderr, "{}: {}: {}; retrying in 5 s while the new role propagates\n", program, name,
                       examples::one_line(created.error()));
            std::this_thread::sleep_for(std::chrono::seconds(5));
            continue;
        }
        return report.error("Delivery stream", name, created.error());
    }
    auto active = firehose.wait_until_active(name, options.waiter);
    if (!active) return report.error("Delivery stream", name, active.error());
    report.line("Delivery stream", name, fmt::format("created ({})", kinesis::to_string(active->delivery_stream_status)));
}

int run(const kinesis::ClientConfig& config, Options& options) {
    auto account = examples::etl::identify(config, options.names);
    if (!account) return examples::fail(program, account.error());
    kinesis::KinesisClient kinesis(config);
    const kinesis::ArnScope scope = kinesis::ArnScope::of(kinesis.region(), *account);
    const auto& n = options.names;

    examples::etl::Report report;
    kinesis::S3Client s3(config);
    create_bucket(s3, n.usa_bucket, report);
    create_bucket(s3, n.int_bucket, report);

    auto streams = kinesis.list_all_streams();
    if (!streams) {
        report.error("Stream", n.usa_stream, streams.error());
        report.error("Stream", n.int_stream, streams.error());
    } else {
        const std::set<std::string> existing(streams->stream_names.begin(), streams->stream_names.end());
        create_stream(kinesis, existing, n.usa_stream, options, report);
        create_stream(kinesis, existing, n.int_stream, options, report);
    }

    bool role_is_new = false;
    if (options.create_role) {
        kinesis::IamClient iam(config);
        role_is_new = create_role(iam, scope, options, report);
    }

    kinesis::FirehoseClient firehose(config);
    auto delivery_streams = firehose.list_all_delivery_streams();
    if (!delivery_streams) {
        report.error("Delivery stream", n.usa_delivery_stream, delivery_streams.error());
        report.error("Delivery stream", n.int_delivery_stream, delivery_streams.error());
    } else {
        const std::set<std::string> existing(delivery_streams->begin(), delivery_streams->end());
        create_delivery_stream(firehose, existing,
                               delivery_stream_request(scope, options, n.usa_delivery_stream, n.usa_stream,
                                                       n.usa_bucket, n.usa_log_group, n.usa_log_stream),
                               role_is_new, options, report);
        create_delivery_stream(firehose, existing,
                               delivery_stream_request(scope, options, n.int_delivery_stream, n.int_stream,
                                                       n.int_bucket, n.int_log_group, n.int_log_stream),
                               role_is_new, options, report);
    }
    return report.failed() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1", {"create-role"}},
        [&](examples::Flags& flags) {
            options.names = examples::etl::read_names(flags);
            options.create_role = flags.has("create-role");
            options.shards = static_cast<int>(flags.get_int("shards", 2, 1, 10000));
            examples::etl::read_waiter(flags, options.waiter);
        },
        [&](const kinesis::ClientConfig& config) { return run(config, options); });
}
