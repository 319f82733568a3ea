// SPDX-License-Identifier: Apache-2.0
// consumer-from-cli: the ingestion lab's consumer (W9): a TRIM_HORIZON iterator for
// every shard, then poll all shards forever, printing each record, surviving
// errors, until SIGINT or SIGTERM.
#include <kinesis/config.hpp>
#include <kinesis/error.hpp>
#include <kinesis/kinesis_client.hpp>

#include "common/flags.hpp"
#include "common/output.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
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

/// One shard being read: where its iterator points and the last record seen,
/// so an expired iterator is renewed just after that record.
struct ShardPosition {
    std::string shard_id;
    std::string iterator;
    std::optional<std::string> last_sequence_number;
};

struct Options {
    std::string stream;
    std::chrono::milliseconds poll_interval{};
    std::optional<int> limit;
    std::optional<long long> max_records;
    std::optional<std::chrono::milliseconds> idle_exit;
};

kinesis::Result<std::string> iterator_for(kinesis::KinesisClient& client, const std::string& stream,
                                          const ShardPosition& position) {
    kinesis::GetShardIteratorRequest request;
    request.stream = stream;
    request.shard_id = position.shard_id;
    if (position.last_sequence_number) {
        request.shard_iterator_type = kinesis::ShardIteratorType::AfterSequenceNumber;
        request.starting_sequence_number = position.last_sequence_number;
    } else {
        request.shard_iterator_type = kinesis::ShardIteratorType::TrimHorizon;
    }
    auto result = client.get_shard_iterator(request);
    if (!result) return std::move(result).error();
    return std::move(result->shard_iterator);
}

int run(kinesis::KinesisClient& client, const Options& options) {
    // Every shard with a TRIM_HORIZON iterator: the (shard id, iterator) pairs.
    auto shards = client.list_all_shards(options.stream);
    if (!shards) return examples::fail(program, shards.error());
    std::vector<ShardPosition> positions;
    for (const auto& shard : *shards) {
        ShardPosition position{shard.shard_id, "", std::nullopt};
        auto iterator = iterator_for(client, options.stream, position);
        if (!iterator) return examples::fail(program, iterator.error());
        position.iterator = std::move(*iterator);
        positions.push_back(std::move(position));
    }
    fmt::print(stderr, "{}: reading {} shard{} of {}\n", program, positions.size(), positions.size() == 1 ? "" : "s",
               options.stream);

    long long printed = 0;
    auto last_record_at = std::chrono::steady_clock::now();
    auto backoff = options.poll_interval;
    while (stop_requested == 0) {
        bool had_error = false;
        for (std::size_t i = 0; i < positions.size() && stop_requested == 0; ++i) {
            auto& position = positions[i];
            if (position.iterator.empty()) {  // expired earlier and not renewed yet
                auto renewed = iterator_for(client, options.stream, position);
                if (!renewed) {
                    fmt::print(stderr, "{}: {}: {}\n", program, position.shard_id, examples::one_line(renewed.error()));
                    had_error = true;
                    continue;
                }
                position.iterator = std::move(*renewed);
            }
            kinesis::GetRecordsRequest request;
            request.shard_iterator = position.iterator;
            request.limit = options.limit;
            auto batch = client.get_records(request);
            if (!batch) {
                fmt::print(stderr, "{}: {}: {}\n", program, position.shard_id, examples::one_line(batch.error()));
                // An iterator lives 5 minutes; start again just after the last record read.
                if (batch.error().code == "ExpiredIteratorException") position.iterator.clear();
                had_error = true;
                continue;
            }
            for (const auto& record : batch->records) {
                fmt::print("{} {} {}: {}\n", position.shard_id, record.sequence_number, record.partition_key,
                           record.data);
                position.last_sequence_number = record.sequence_number;
                last_record_at = std::chrono::steady_clock::now();
                if (options.max_records && ++printed >= *options.max_records) {
                    std::fflush(stdout);
                    return 0;
                }
            }
            std::fflush(stdout);
            if (batch->next_shard_iterator) {
                position.iterator = std::move(*batch->next_shard_iterator);
                continue;
            }
            // A closed shard read to its end: its children take over from their start.
            fmt::print(stderr, "{}: {} is closed and read to its end\n", program, position.shard_id);
            std::vector<ShardPosition> children;
            for (const auto& child : batch->child_shards) {
                const bool known = std::any_of(positions.begin(), positions.end(),
                                               [&](const ShardPosition& p) { return p.shard_id == child.shard_id; });
                if (!known) children.push_back(ShardPosition{child.shard_id, "", std::nullopt});
            }
            positions.erase(positions.begin() + static_cast<std::ptrdiff_t>(i));
            --i;
            for (auto& child : children) positions.push_back(std::move(child));
        }
        if (options.idle_exit && std::chrono::steady_clock::now() - last_record_at >= *options.idle_exit) {
            fmt::print(stderr, "{}: no new record for {} ms; exiting\n", program, options.idle_exit->count());
            return 0;
        }
        // After errors, wait longer each round (up to 30 s); a good round resets it.
        backoff = had_error ? std::min<std::chrono::milliseconds>(std::max(backoff * 2, std::chrono::milliseconds(500)),
                                                                   std::chrono::seconds(30))
                            : options.poll_interval;
        sleep_unless_stopped(backoff);
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
