// SPDX-License-Identifier: Apache-2.0
// consumer-from-cli: the ingestion lab's consumer (W9): a ShardReader from
// TRIM_HORIZON for every shard, polled round-robin forever, printing each
// record, surviving errors, following closed shards to their children, until
// SIGINT or SIGTERM.
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/streams/shard_reader.hpp>

#include "common/all_shards_reader.hpp"
#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"
#include "common/stop_signal.hpp"

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view program = "consumer-from-cli";

std::string usage() {
    return "usage: consumer-from-cli [options]\n"
           "Reads every shard of a stream from TRIM_HORIZON and prints each record,\n"
           "polling until interrupted (SIGINT or SIGTERM end it with status 0).\n"
           "  --stream NAME           (default: de-c2w2lab1-kinesis-data-stream-cli)\n"
           "  --poll-interval SECS    pause between rounds over all shards (default: 1)\n"
           "  --limit N               GetRecords limit per call (default: the service's, 10000)\n"
           "  --max-records N         exit 0 after printing N records (default: never)\n"
           "  --idle-exit SECS        exit 0 after SECS without a new record (default: never)\n" +
           examples::client_flags_usage("us-east-1");
}

struct Options {
    std::string stream;
    std::chrono::milliseconds poll_interval{};
    std::optional<int> limit;
    std::optional<long long> max_records;
    std::optional<std::chrono::milliseconds> idle_exit;
};

// ShardReader keeps each shard's position (renewing an expired or aged
// iterator just after the last record printed) and paces its GetRecords calls
// within the per-shard limit; the round's sleep below is the lab's pause.
kinesis::ShardReaderOptions reader_options(const Options& options) {
    kinesis::ShardReaderOptions reader;
    if (options.limit) reader.limit = *options.limit;
    return reader;
}

int run(kinesis::KinesisClient& client, const Options& options) {
    auto shards = client.list_all_shards(options.stream);
    if (!shards && shards.error().kind == kinesis::ErrorKind::Stopped) {
        fmt::print(stderr, "{}: stopped by signal\n", program);
        return 0;
    }
    if (!shards) return examples::fail(program, shards.error());
    examples::AllShardsReader readers(client, options.stream, reader_options(options), program);
    for (const auto& shard : *shards) readers.start(shard.shard_id, kinesis::StartingPosition::trim_horizon());
    fmt::print(stderr, "{}: reading {} shard{} of {}\n", program, readers.size(), readers.size() == 1 ? "" : "s",
               options.stream);

    long long printed = 0;
    const auto print = [&](const std::string& shard_id, const kinesis::RecordBatch& batch) {
        for (const auto& record : batch.records) {
            fmt::print("{} {} {}: {}\n", shard_id, record.sequence_number, record.partition_key, record.data);
            if (options.max_records && ++printed >= *options.max_records) break;
        }
        std::fflush(stdout);
        return !(options.max_records && printed >= *options.max_records);
    };
    while (!examples::stop_requested()) {
        if (!readers.poll(print)) return 0;  // --max-records reached
        if (options.idle_exit && readers.idle_for() >= *options.idle_exit) {
            fmt::print(stderr, "{}: no new record for {} ms; exiting\n", program, options.idle_exit->count());
            return 0;
        }
        examples::sleep_unless_stopped(options.poll_interval);
    }
    fmt::print(stderr, "{}: stopped by signal\n", program);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1"},
        [&](examples::Flags& flags) {
            options.stream = flags.get("stream", "de-c2w2lab1-kinesis-data-stream-cli");
            options.poll_interval = flags.get_seconds("poll-interval", std::chrono::seconds(1));
            if (auto limit = flags.get_int("limit", 1, 10000)) options.limit = static_cast<int>(*limit);
            options.max_records = flags.get_int("max-records", 1, 1LL << 62);
            options.idle_exit = flags.get_seconds("idle-exit");
        },
        [&](const kinesis::ClientConfig& config) {
            examples::catch_stop_signals();
            kinesis::KinesisClient client(config);
            return run(client, options);
        });
}
