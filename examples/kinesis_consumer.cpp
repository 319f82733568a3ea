// SPDX-License-Identifier: Apache-2.0
// kinesis-consumer: one worker of an application that reads a stream through a
// KCL-compatible DynamoDB lease table; run several to share the shards. Ends
// with one JSON line of counts.
#include <kinesis/consumer.hpp>
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/dynamodb/dynamodb_client.hpp>

#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"
#include "common/stop_signal.hpp"

#include <fmt/core.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>

namespace {

constexpr std::string_view program = "kinesis-consumer";

std::string usage() {
    return "usage: kinesis-consumer --stream NAME --application APP [options]\n"
           "One worker of application APP: joins its lease table (the DynamoDB table APP,\n"
           "created if missing, in the format of the Java KCL 2.x) and reads its fair share\n"
           "of the stream's shards, records deaggregated; other workers of the same APP\n"
           "(other processes, or KCL 2.x workers) share the shards. SIGINT/SIGTERM shut it\n"
           "down gracefully: the last records are checkpointed and the leases released, so\n"
           "the others take them at once. At the end it prints one JSON line on stdout:\n"
           "  {\"worker\":W,\"records\":N,\"shards\":[...],\"checkpoints\":N,\n"
           "   \"leases_taken\":N,\"leases_stolen\":N,\"leases_lost\":N}\n"
           "(shards: every shard this worker processed records of). Exit status 0, 1 when\n"
           "the table or the stream cannot be used, 2 for bad usage.\n"
           "  --stream NAME             the stream (required)\n"
           "  --application APP         the application: the lease table's name (required)\n"
           "  --worker-id ID            this worker's id in the table (default: host:pid)\n"
           "  --failover-ms MS          a lease not renewed for this long is taken by another\n"
           "                            worker (default: 10000, the KCL's)\n"
           "  --start POSITION          where a shard without a checkpoint starts:\n"
           "                            trim-horizon (default), latest or\n"
           "                            at-timestamp:YYYY-MM-DDTHH:MM:SS[Z]\n"
           "  --checkpoint-every N      checkpoint after every N records of a shard\n"
           "                            (default: 1, after every batch's last record)\n"
           "  --print records|counts    records (default): a line per record on stdout,\n"
           "                            \"shard sequence sub-sequence partition-key data\"\n"
           "                            (data as it is);\n"
           "                            counts: a line per shard every second on stdout,\n"
           "                            \"shard records\"\n"
           "  --idle-exit SECONDS       shut down after this long without a record\n"
           "                            (default: run until a signal)\n"
           "Endpoints: --endpoint-url is Kinesis's; DynamoDB's comes from\n"
           "AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL or the profile.\n" +
           examples::client_flags_usage("us-east-1");
}

enum class Print { Records, Counts };

struct Options {
    std::string stream;
    std::string application;
    std::string worker_id;
    std::chrono::milliseconds failover{10000};
    kinesis::InitialPosition start = kinesis::InitialPosition::TrimHorizon;
    std::optional<kinesis::Timestamp> start_time;
    long long checkpoint_every = 1;
    Print print = Print::Records;
    std::optional<std::chrono::milliseconds> idle_exit;
};

// YYYY-MM-DDTHH:MM:SS with an optional Z, as UTC.
std::optional<kinesis::Timestamp> parse_utc(const std::string& text) {
    std::tm tm{};
    char zone = '\0';
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec, &consumed, &zone) < 6) {
        return std::nullopt;
    }
    const std::size_t end = static_cast<std::size_t>(consumed) + (zone == 'Z' ? 1 : 0);
    if (end != text.size()) return std::nullopt;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const std::time_t seconds = timegm(&tm);
    if (seconds == static_cast<std::time_t>(-1)) return std::nullopt;
    return std::chrono::system_clock::from_time_t(seconds);
}

void read_options(examples::Flags& flags, Options& options) {
    options.stream = flags.required("stream");
    options.application = flags.required("application");
    options.worker_id = flags.get("worker-id", "");
    options.failover = std::chrono::milliseconds(flags.get_int("failover-ms", 10000, 200, 3600 * 1000));
    const std::string start = flags.get("start", "trim-horizon");
    if (start == "trim-horizon") {
        options.start = kinesis::InitialPosition::TrimHorizon;
    } else if (start == "latest") {
        options.start = kinesis::InitialPosition::Latest;
    } else if (start.rfind("at-timestamp:", 0) == 0) {
        options.start = kinesis::InitialPosition::AtTimestamp;
        options.start_time = parse_utc(start.substr(13));
        if (!options.start_time) {
            throw examples::UsageError("--start at-timestamp: needs YYYY-MM-DDTHH:MM:SS[Z], not '" +
                                       start.substr(13) + "'");
        }
    } else {
        throw examples::UsageError("--start must be trim-horizon, latest or at-timestamp:TIME, not '" + start + "'");
    }
    options.checkpoint_every = flags.get_int("checkpoint-every", 1, 1, 1LL << 40);
    const std::string print = flags.get("print", "records");
    if (print == "records") {
        options.print = Print::Records;
    } else if (print == "counts") {
        options.print = Print::Counts;
    } else {
        throw examples::UsageError("--print must be records or counts, not '" + print + "'");
    }
    options.idle_exit = flags.get_seconds("idle-exit");
}

/// What every shard's processor adds to, read by the main thread.
struct Tally {
    std::mutex mutex;                         // also keeps record lines whole on stdout
    std::map<std::string, long long> by_shard;  // records processed
    std::atomic<long long> records{0};
    std::atomic<long long> last_record_ns{0};   // steady clock, of the last record
};

long long steady_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

class Processor : public kinesis::RecordProcessor {
public:
    Processor(Tally& tally, const Options& options) : tally_(tally), options_(options) {}

    void initialize(const kinesis::ShardStart& start) override {
        shard_ = start.shard_id;
        fmt::print(stderr, "{}: processing {} after checkpoint {} (sub-sequence {})\n", program, shard_,
                   start.checkpoint.sequence_number, start.checkpoint.sub_sequence_number);
    }

    void process_records(kinesis::ProcessRecordsInput& input, kinesis::Checkpointer& checkpointer) override {
        {
            std::lock_guard<std::mutex> lock(tally_.mutex);
            if (options_.print == Print::Records) {
                for (const auto& record : input.records) {
                    fmt::print("{} {} {} {} {}\n", shard_, record.sequence_number, record.sub_sequence_number,
                               record.partition_key, record.data);
                }
                // A worker killed after this line keeps what it printed: the tests count it.
                std::fflush(stdout);
            }
            tally_.by_shard[shard_] += static_cast<long long>(input.records.size());
        }
        tally_.records.fetch_add(static_cast<long long>(input.records.size()));
        tally_.last_record_ns.store(steady_ns());
        since_checkpoint_ += static_cast<long long>(input.records.size());
        if (since_checkpoint_ >= options_.checkpoint_every) checkpoint(checkpointer, "after a batch");
    }

    void lease_lost() override { fmt::print(stderr, "{}: lost the lease of {}\n", program, shard_); }

    void shard_ended(kinesis::Checkpointer& checkpointer) override {
        checkpoint(checkpointer, "at the shard's end");
        fmt::print(stderr, "{}: {} is closed and read to its end\n", program, shard_);
    }

    void shutdown_requested(kinesis::Checkpointer& checkpointer) override {
        checkpoint(checkpointer, "at shutdown");
    }

private:
    void checkpoint(kinesis::Checkpointer& checkpointer, std::string_view when) {
        auto written = checkpointer.checkpoint();
        if (written) {
            since_checkpoint_ = 0;
            return;
        }
        fmt::print(stderr, "{}: checkpoint of {} {} refused: {}\n", program, shard_, when,
                   examples::one_line(written.error()));
    }

    Tally& tally_;
    const Options& options_;
    std::string shard_;
    long long since_checkpoint_ = 0;
};

kinesis::ConsumerConfig consumer_config(const kinesis::ClientConfig& client, const Options& options) {
    kinesis::ConsumerConfig config;
    config.client = client;
    // A stop signal shuts the consumer down from the main thread, which first
    // lets the processors checkpoint: its Kinesis calls must not see the stop first.
    config.client.stop = kinesis::StopToken();
    // Lease moves (took, stole, lost, released) and failed calls, with a time
    // to match them with other workers' logs.
    config.client.log = [](kinesis::LogLevel, std::string_view text) {
        auto [time, ms] = examples::utc_seconds_and_fraction<std::chrono::milliseconds>(std::chrono::system_clock::now());
        fmt::print(stderr, "{}: {}.{:03}Z {}\n", program, time, ms, text);
    };
    config.client.log_level = kinesis::LogLevel::Info;
    config.worker_id = options.worker_id;
    config.lease.failover_time = options.failover;
    config.initial_position = options.start;
    config.initial_timestamp = options.start_time;
    return config;
}

void print_counts(Tally& tally) {
    std::lock_guard<std::mutex> lock(tally.mutex);
    for (const auto& [shard, records] : tally.by_shard) fmt::print("{} {}\n", shard, records);
    std::fflush(stdout);
}

int run(const kinesis::ClientConfig& client_config, const Options& options) {
    kinesis::ClientConfig dynamodb_config = client_config;
    dynamodb_config.endpoint.clear();  // --endpoint-url is Kinesis's
    dynamodb_config.stop = kinesis::StopToken();
    auto leases = std::make_shared<kinesis::DynamoDbLeaseStore>(kinesis::DynamoDbClient(dynamodb_config),
                                                                options.application);
    Tally tally;
    tally.last_record_ns.store(steady_ns());
    kinesis::Consumer consumer(options.stream, leases,
                               [&tally, &options] { return std::make_unique<Processor>(tally, options); },
                               consumer_config(client_config, options));
    if (auto started = consumer.start(); !started) return examples::fail(program, started.error());
    fmt::print(stderr, "{}: worker {} joined {}\n", program, consumer.worker_id(), options.application);

    auto next_counts = std::chrono::steady_clock::now() + std::chrono::seconds(1);
    while (!examples::stop_requested()) {
        examples::sleep_unless_stopped(std::chrono::milliseconds(100));
        if (options.print == Print::Counts && std::chrono::steady_clock::now() >= next_counts) {
            print_counts(tally);
            next_counts += std::chrono::seconds(1);
        }
        if (options.idle_exit) {
            const auto idle = std::chrono::nanoseconds(steady_ns() - tally.last_record_ns.load());
            if (idle >= *options.idle_exit) {
                fmt::print(stderr, "{}: no record for {} ms; shutting down\n", program, options.idle_exit->count());
                break;
            }
        }
    }
    consumer.shutdown();
    if (options.print == Print::Counts) print_counts(tally);
    const auto metrics = consumer.metrics();
    std::string shards;
    {
        std::lock_guard<std::mutex> lock(tally.mutex);
        for (const auto& entry : tally.by_shard) {
            if (!shards.empty()) shards += ',';
            examples::append_json_string(shards, entry.first);
        }
    }
    std::string worker;
    examples::append_json_string(worker, consumer.worker_id());
    fmt::print("{{\"worker\":{},\"records\":{},\"shards\":[{}],\"checkpoints\":{},\"leases_taken\":{},"
               "\"leases_stolen\":{},\"leases_lost\":{}}}\n",
               worker, tally.records.load(), shards, metrics.checkpoints, metrics.leases_taken, metrics.leases_stolen,
               metrics.leases_lost);
    std::fflush(stdout);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1"}, [&](examples::Flags& flags) { read_options(flags, options); },
        [&](const kinesis::ClientConfig& config) {
            examples::catch_stop_signals();
            return run(config, options);
        });
}
