// SPDX-License-Identifier: Apache-2.0
// etl-teardown: removes what etl-setup created (W11, in reverse): the delivery
// streams (waiting until they are gone), the destination streams, the buckets
// with everything in them, and optionally Firehose's role. What is missing
// already is "not found", not an error.
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

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view program = "etl-teardown";

std::string usage() {
    return "usage: etl-teardown [options]\n"
           "Deletes the ingestion lab's ETL infrastructure that etl-setup creates: both\n"
           "delivery streams, both destination streams, both buckets (emptied first).\n"
           "Exit status 1 if anything failed; missing resources are \"not found\".\n"
           "  --delete-role            also delete Firehose's IAM role and its inline policies\n"
           "  --delete-source          also delete the source stream (P-kinesis-data-stream)\n"
           "  --wait-delay SECS        pause between status polls (default: 10)\n"
           "  --wait-attempts N        polls before giving up (default: 60)\n" +
           examples::etl::names_usage() + examples::client_flags_usage("us-east-1");
}

struct Options {
    examples::etl::Names names;
    bool delete_role = false;
    bool delete_source = false;
    kinesis::WaiterConfig waiter{std::chrono::seconds(10), 60};
};

bool not_found(const kinesis::Error& error) {
    return error.code == "ResourceNotFoundException" || error.code == "NoSuchBucket" || error.code == "NotFound" ||
           error.code == "NoSuchEntity";
}

void delete_delivery_stream(kinesis::FirehoseClient& firehose, const std::string& name, const Options& options,
                            examples::etl::Report& report) {
    auto deleted = firehose.delete_delivery_stream(name);
    if (!deleted) {
        if (not_found(deleted.error())) return report.line("Delivery stream", name, "not found");
        return report.error("Delivery stream", name, deleted.error());
    }
    auto gone = firehose.wait_until_deleted(name, options.waiter);
    if (!gone) return report.error("Delivery stream", name, gone.error());
    report.line("Delivery stream", name, "deleted");
}

void delete_stream(kinesis::KinesisClient& kinesis, const std::string& name, const Options& options, examples::etl::Report& report) {
    kinesis::DeleteStreamRequest request;
    request.stream = name;
    auto deleted = kinesis.delete_stream(request);
    if (!deleted) {
        if (not_found(deleted.error())) return report.line("Stream", name, "not found");
        return report.error("Stream", name, deleted.error());
    }
    auto gone = kinesis.wait_until_stream_not_exists(name, options.waiter);
    if (!gone) return report.error("Stream", name, gone.error());
    report.line("Stream", name, "deleted");
}

void delete_bucket(kinesis::S3Client& s3, const std::string& bucket, examples::etl::Report& report) {
    auto exists = s3.bucket_exists(bucket);
    if (!exists) return report.error("Bucket", bucket, exists.error());
    if (!*exists) return report.line("Bucket", bucket, "not found");
    auto objects = s3.list_all_objects(bucket);
    if (!objects) return report.error("Bucket", bucket, objects.error());
    auto emptied = s3.empty_bucket(bucket);
    if (!emptied) return report.error("Bucket", bucket, emptied.error());
    auto deleted = s3.delete_bucket(bucket);
    if (!deleted) {
        if (not_found(deleted.error())) return report.line("Bucket", bucket, "not found");
        return report.error("Bucket", bucket, deleted.error());
    }
    report.line("Bucket", bucket,
                fmt::format("deleted ({} object{} removed first)", objects->size(), objects->size() == 1 ? "" : "s"));
}

// Inline policies must go before the role; every one of them goes, as the
// role exists only for the ETL.
void delete_role(kinesis::IamClient& iam, const std::string& role, examples::etl::Report& report) {
    auto policies = iam.list_role_policies(role);
    if (!policies) {
        if (not_found(policies.error())) return report.line("Role", role, "not found");
        return report.error("Role", role, policies.error());
    }
    for (const auto& policy : *policies) {
        auto deleted = iam.delete_role_policy(role, policy);
        if (!deleted && !not_found(deleted.error())) return report.error("Role policy", policy, deleted.error());
        report.line("Role policy", policy, "deleted");
    }
    auto deleted = iam.delete_role(role);
    if (!deleted) {
        if (not_found(deleted.error())) return report.line("Role", role, "not found");
        return report.error("Role", role, deleted.error());
    }
    report.line("Role", role, "deleted");
}

int run(const kinesis::ClientConfig& config, Options& options) {
    if (auto account = examples::etl::identify(config, options.names); !account) {
        return examples::fail(program, account.error());
    }
    const auto& n = options.names;
    kinesis::KinesisClient kinesis(config);

    examples::etl::Report report;
    // Delivery streams first: they read the streams and write the buckets.
    kinesis::FirehoseClient firehose(config);
    delete_delivery_stream(firehose, n.usa_delivery_stream, options, report);
    delete_delivery_stream(firehose, n.int_delivery_stream, options, report);
    delete_stream(kinesis, n.usa_stream, options, report);
    delete_stream(kinesis, n.int_stream, options, report);
    if (options.delete_source) delete_stream(kinesis, n.source_stream, options, report);
    kinesis::S3Client s3(config);
    delete_bucket(s3, n.usa_bucket, report);
    delete_bucket(s3, n.int_bucket, report);
    if (options.delete_role) {
        kinesis::IamClient iam(config);
        delete_role(iam, n.role, report);
    }
    return report.failed() ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1", {"delete-role", "delete-source"}},
        [&](examples::Flags& flags) {
            options.names = examples::etl::read_names(flags);
            options.delete_role = flags.has("delete-role");
            options.delete_source = flags.has("delete-source");
            examples::etl::read_waiter(flags, options.waiter);
        },
        [&](const kinesis::ClientConfig& config) { return run(config, options); });
}
