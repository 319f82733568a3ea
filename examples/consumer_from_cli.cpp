// SPDX-License-Identifier: Apache-2.0
// consumer-from-cli: the ingestion lab's consumer (W9): a ShardReader from
// TRIM_HORIZON for every shard, polled round-robin forever, printing each
// record, surviving errors, following closed shards to their children, until
// SIGINT or SIGTERM.
#include <kinesis/config.hpp>
#include <kinesis/error.hpp>
#include <kinesis/kinesis_client.hpp>
#include <kinesis/shard_reader.hpp>

#include "common/flags.hpp"
#include "common/output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

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

volatile std::sig_atomic_t stop_requested = 0;

extern "C" void on_stop_signal(int) { stop_requested = 1; }

// Sleeps in short slices so a signal ends the wait at once.
void sleep_unless_stopped(std::chrono::milliseconds duration) {
    const auto until = std::chrono::steady_clock::now() + duration;
    while (stop_requested == 0) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= until) return;
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(until - now,
                                                                                  std::chrono::milliseconds(50)));
    }
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
    // next() sleeps out a failure backoff without seeing signals, so it is
    // kept short enough for SIGINT/SIGTERM to end the consumer within ~2 s.
    reader.max_throttle_backoff = std::chrono::seconds(2);
    return reader;
}

int run(kinesis::KinesisClient& client, const Options& options) {
    auto shards = client.list_all_shards(options.stream);
    if (!shards) return examples::fail(program, shards.error());
    const kinesis::ShardReaderOptions reader_settings = reader_options(options);
    // One reader per shard, from TRIM_HORIZON, polled round-robin. Every shard
    // id ever started is remembered, so a child listed by two merged parents,
    // or already listed at the start, is read once.
    std::vector<kinesis::ShardReader> readers;
    std::set<std::string> started;
    const auto start_reader = [&](const std::string& shard_id) {
        if (started.insert(shard_id).second) {
            readers.emplace_back(client, options.stream, shard_id, kinesis::StartingPosition::trim_horizon(),
                                 reader_settings);
        }
    };
    for (const auto& shard : *shards) start_reader(shard.shard_id);
    fmt::print(stderr, "{}: reading {} shard{} of {}\n", program, readers.size(), readers.size() == 1 ? "" : "s",
               options.stream);

    long long printed = 0;
    auto last_record_at = std::chrono::steady_clock::now();
    while (stop_requested == 0) {
        for (std::size_t i = 0; i < readers.size() && stop_requested == 0; ++i) {
            auto batch = readers[i].next();
            if (!batch) {
                // The reader retries from the same position, after a growing backoff.
                fmt::print(stderr, "{}: {}: {}\n", program, readers[i].shard_id(), examples::one_line(batch.error()));
                continue;
            }
            for (const auto& record : batch->records) {
                fmt::print("{} {} {}: {}\n", readers[i].shard_id(), record.sequence_number, record.partition_key,
                           record.data);
                last_record_at = std::chrono::steady_clock::now();
                if (options.max_records && ++printed >= *options.max_records) {
                    std::fflush(stdout);
                    return 0;
                }
            }
            std::fflush(stdout);
            if (!batch->shard_end) continue;
            // A closed shard read to its end: its children take over from their start.
            fmt::print(stderr, "{}: {} is closed and read to its end\n", program, readers[i].shard_id());
            readers.erase(readers.begin() + static_cast<std::ptrdiff_t>(i));
            --i;
            for (const auto& child : batch->child_shards) start_reader(child.shard_id);
        }
        if (options.idle_exit && std::chrono::steady_clock::now() - last_record_at >= *options.idle_exit) {
            fmt::print(stderr, "{}: no new record for {} ms; exiting\n", program, options.idle_exit->count());
            return 0;
        }
        sleep_unless_stopped(options.poll_interval);
    }
    fmt::print(stderr, "{}: stopped by signal\n", program);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    kinesis::ClientConfig config;
    try {
        examples::Flags flags(argc, argv, 1, {"help"});
        if (flags.has("help")) {
            fmt::print("{}", usage());
            return 0;
        }
        options.stream = flags.get("stream", "de-c2w2lab1-kinesis-data-stream-cli");
        options.poll_interval = flags.get_seconds("poll-interval", std::chrono::seconds(1));
        if (auto limit = flags.get_int("limit", 1, 10000)) options.limit = static_cast<int>(*limit);
        options.max_records = flags.get_int("max-records", 1, 1LL << 62);
        options.idle_exit = flags.get_seconds("idle-exit");
        config = examples::client_config(flags, "us-east-1");
        if (!flags.positional().empty()) throw examples::UsageError("unexpected argument " + flags.positional()[0]);
        flags.finish();
    } catch (const examples::UsageError& e) {
        fmt::print(stderr, "{}: {}\n{}", program, e.what(), usage());
        return 2;
    }

    struct sigaction action {};
    action.sa_handler = on_stop_signal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);

    try {
        kinesis::KinesisClient client(config);
        return run(client, options);
    } catch (const kinesis::Exception& e) {
        return examples::fail(program, e.error());
    }
}
