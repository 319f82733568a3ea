// SPDX-License-Identifier: Apache-2.0
// consumer-from-cli: the ingestion lab's consumer (W9): every shard from
// TRIM_HORIZON, read by an in-process Consumer, printing each record,
// surviving errors, following closed shards to their children, until SIGINT
// or SIGTERM.
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/shard_reader.hpp>

#include "common/every_shard.hpp"
#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"
#include "common/stop_signal.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view program = "consumer-from-cli";

std::string usage() {
    return "usage: consumer-from-cli [options]\n"
           "Reads every shard of a stream from TRIM_HORIZON and prints each record,\n"
           "polling until interrupted (SIGINT or SIGTERM end it with status 0).\n"
           "  --stream NAME           (default: de-c2w2lab1-kinesis-data-stream-cli)\n"
           "  --poll-interval SECS    shortest pause between two reads of a shard (default: 1)\n"
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

// Each shard's ShardReader keeps its position (renewing an expired or aged
// iterator just after the last record printed) and paces its GetRecords calls
// within the per-shard limit; the lab's pause is the shortest gap between them.
examples::EveryShardOptions read_options(const Options& options) {
    examples::EveryShardOptions read;
    if (options.limit) read.reader.limit = *options.limit;
    read.reader.min_interval = options.poll_interval;
    read.reader.max_idle_backoff = std::max(read.reader.max_idle_backoff, options.poll_interval);
    read.idle_exit = options.idle_exit;
    return read;
}

int run(const kinesis::ClientConfig& config, const Options& options) {
    long long printed = 0;
    const auto print = [&](const std::string& shard_id, const std::vector<kinesis::UserRecord>& records) {
        for (const auto& record : records) {
            fmt::print("{} {} {}: {}\n", shard_id, record.sequence_number, record.partition_key, record.data);
            if (options.max_records && ++printed >= *options.max_records) break;
        }
        std::fflush(stdout);
        return !(options.max_records && printed >= *options.max_records);
    };
    examples::EveryShardConsumer consumer(config, options.stream, read_options(options), program, print);
    auto shards = consumer.start();
    if (!shards && shards.error().kind == kinesis::ErrorKind::Stopped) {
        fmt::print(stderr, "{}: stopped by signal\n", program);
        return 0;
    }
    if (!shards) return examples::fail(program, shards.error());
    fmt::print(stderr, "{}: reading {} shard{} of {}\n", program, *shards, *shards == 1 ? "" : "s", options.stream);

    switch (consumer.run()) {
    case examples::RunEnd::Callback: return 0;  // --max-records reached
    case examples::RunEnd::Idle:
        fmt::print(stderr, "{}: no new record for {} ms; exiting\n", program, options.idle_exit->count());
        return 0;
    case examples::RunEnd::Signal: break;
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
            return run(config, options);
        });
}
