// SPDX-License-Identifier: Apache-2.0
// quickstart: the boto3 tutorial's stream lifecycle (W1-W4) in one run: create a
// stream and wait for ACTIVE, put one JSON record, read it back, delete the stream.
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

namespace {

constexpr std::string_view program = "quickstart";

std::string usage() {
    return "usage: quickstart [options]\n"
           "Creates a stream, waits until it is ACTIVE, puts one record, reads it back\n"
           "with a TRIM_HORIZON iterator, and deletes the stream.\n"
           "  --stream NAME           stream to create (default: test)\n"
           "  --shards N              shard count (default: 1)\n"
           "  --poll-interval SECS    DescribeStream interval while CREATING (default: 5)\n"
           "  --max-polls N           give up after N polls (default: 18)\n"
           "  --data TEXT             record data (default: {\"key1\": \"value1\", \"key2\": \"value2\"})\n"
           "  --partition-key KEY     (default: partitionkey)\n"
           "  --limit N               GetRecords limit (default: 10)\n" +
           examples::client_flags_usage("us-east-1");
}

struct Options {
    std::string stream;
    int shards = 1;
    std::chrono::milliseconds poll_interval{};
    int max_polls = 18;
    std::string data;
    std::string partition_key;
    int limit = 10;
};

// W1: create, then DescribeStream every poll interval, printing the status, until ACTIVE.
kinesis::Result<void> create_and_wait(kinesis::KinesisClient& client, const Options& options) {
    fmt::print("Creating stream {} with {} shard{} in {}\n", options.stream, options.shards,
               options.shards == 1 ? "" : "s", client.region());
    kinesis::CreateStreamRequest create;
    create.stream_name = options.stream;
    create.shard_count = options.shards;
    if (auto created = client.create_stream(create); !created) return created.error();

    for (int poll = 1;; ++poll) {
        kinesis::DescribeStreamRequest describe;
        describe.stream = options.stream;
        auto description = client.describe_stream(describe);
        if (!description) return description.error();
        fmt::print("Stream {} is {}\n", options.stream, kinesis::to_string(description->stream_status));
        std::fflush(stdout);
        if (description->stream_status == kinesis::StreamStatus::Active) return {};
        if (poll >= options.max_polls) {
            return kinesis::Error{kinesis::ErrorKind::Timeout, "", 0,
                                  fmt::format("stream {} not ACTIVE after {} polls", options.stream, poll), ""};
        }
        std::this_thread::sleep_for(options.poll_interval);
    }
}

// W2: one JSON record.
kinesis::Result<void> put_one(kinesis::KinesisClient& client, const Options& options) {
    kinesis::PutRecordRequest put;
    put.stream = options.stream;
    put.data = options.data;
    put.partition_key = options.partition_key;
    auto result = client.put_record(put);
    if (!result) return result.error();
    fmt::print("Put record: ShardId {}, SequenceNumber {}\n", result->shard_id, result->sequence_number);
    return {};
}

// W3: every shard id, then the first shard's records from TRIM_HORIZON.
kinesis::Result<void> read_first_records(kinesis::KinesisClient& client, const Options& options) {
    auto description = client.describe_stream_all_shards(options.stream);
    if (!description) return description.error();
    for (const auto& shard : description->shards) fmt::print("Shard: {}\n", shard.shard_id);
    if (description->shards.empty()) return {};

    kinesis::GetShardIteratorRequest iterator_request;
    iterator_request.stream = options.stream;
    iterator_request.shard_id = description->shards.front().shard_id;
    iterator_request.shard_iterator_type = kinesis::ShardIteratorType::TrimHorizon;
    auto iterator = client.get_shard_iterator(iterator_request);
    if (!iterator) return iterator.error();

    kinesis::GetRecordsRequest get;
    get.shard_iterator = iterator->shard_iterator;
    get.limit = options.limit;
    // AWS may answer the first GetRecords of a shard with no records even
    // though some are there; a few more calls along the iterator find them.
    for (int attempt = 0; attempt < 5; ++attempt) {
        auto records = client.get_records(get);
        if (!records) return records.error();
        if (!records->records.empty() || !records->next_shard_iterator) {
            fmt::print("{} record{} from {}:\n", records->records.size(), records->records.size() == 1 ? "" : "s",
                       iterator_request.shard_id);
            for (const auto& record : records->records) {
                fmt::print("  PartitionKey: {}  Data: {}  SequenceNumber: {}\n", record.partition_key,
                           record.data, record.sequence_number);
            }
            return {};
        }
        get.shard_iterator = *records->next_shard_iterator;
        std::this_thread::sleep_for(std::chrono::milliseconds(250));  // 5 GetRecords/s per shard
    }
    fmt::print("0 records from {}\n", iterator_request.shard_id);
    return {};
}

// W4.
kinesis::Result<void> remove(kinesis::KinesisClient& client, const Options& options) {
    kinesis::DeleteStreamRequest request;
    request.stream = options.stream;
    if (auto deleted = client.delete_stream(request); !deleted) return deleted.error();
    fmt::print("Deleted stream {}\n", options.stream);
    return {};
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1"},
        [&](examples::Flags& flags) {
            options.stream = flags.get("stream", "test");
            options.shards = static_cast<int>(flags.get_int("shards", 1, 1, 100000));
            options.poll_interval = flags.get_seconds("poll-interval", std::chrono::seconds(5));
            options.max_polls = static_cast<int>(flags.get_int("max-polls", 18, 1, 1000000));
            options.data = flags.get("data", R"({"key1": "value1", "key2": "value2"})");
            options.partition_key = flags.get("partition-key", "partitionkey");
            options.limit = static_cast<int>(flags.get_int("limit", 10, 1, 10000));
        },
        [&](const kinesis::ClientConfig& config) {
            kinesis::KinesisClient client(config);
            if (auto created = create_and_wait(client, options); !created) {
                return examples::fail(program, created.error());
            }
            auto ran = put_one(client, options);
            if (ran) ran = read_first_records(client, options);
            if (!ran) {
                // Leave nothing behind: the stream was created by this run.
                kinesis::DeleteStreamRequest cleanup;
                cleanup.stream = options.stream;
                (void)client.delete_stream(cleanup);
                return examples::fail(program, ran.error());
            }
            if (auto removed = remove(client, options); !removed) return examples::fail(program, removed.error());
            return 0;
        });
}
