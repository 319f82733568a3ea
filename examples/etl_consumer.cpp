// SPDX-License-Identifier: Apache-2.0
// etl-consumer: the ingestion lab's ETL (W12). Reads every shard of the source
// stream, adds four attributes derived from each record and routes it by
// country: "USA" to the USA stream, every other country to the International
// one, through a kinesis::Producer per destination (batching, pacing and
// retries of exactly the entries that failed, in order per shard).
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/producer.hpp>

#include "common/every_shard.hpp"
#include "common/etl.hpp"
#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"
#include "common/stop_signal.hpp"

#include <fmt/core.h>
#include <simdjson.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

constexpr std::string_view program = "etl-consumer";

// The names of the attributes the ETL adds; the README lists them.
constexpr std::string_view attribute_names[] = {"processing_timestamp", "distinct_products", "total_quantity",
                                                "in_cart_quantity"};

std::string usage() {
    return "usage: etl-consumer [options]\n"
           "Reads every shard of the source stream, adds processing_timestamp,\n"
           "distinct_products, total_quantity and in_cart_quantity to each JSON record,\n"
           "and puts it on the USA stream when country is \"USA\", else on the\n"
           "International one (a country named in --dest_streams goes to its own).\n"
           "Records that are not JSON objects with a string country go nowhere and are\n"
           "counted. Runs until SIGINT/SIGTERM (then flushes and exits 0).\n"
           "  --source_stream NAME    (default: de-c2w2lab1-kinesis-data-stream)\n"
           "  --dest_streams JSON     {\"USA\": NAME, \"International\": NAME} (default: the lab's\n"
           "                          de-c2w2lab1-usa-data-stream, de-c2w2lab1-international-data-stream)\n"
           "  --iterator-type TYPE    TRIM_HORIZON or LATEST (default: TRIM_HORIZON)\n"
           "  --flush-ms N            put a partial batch once its oldest record waited N ms (default: 200)\n"
           "  --record-ttl SECS       how long a record may be retried before it counts as failed\n"
           "                          (default: 30)\n"
           "  --max-records N         exit after reading N records (default: never)\n"
           "  --idle-exit SECS        exit after SECS without a new record (default: never)\n" +
           examples::client_flags_usage("us-east-1");
}

/// The ETL's view of one source record.
struct Transformed {
    std::string country;
    std::string json;  ///< the record's members, then the four attributes
};

// The four attributes from the browse history: distinct product codes, total
// quantity and the quantity in the cart. Re-serializes the record's members
// compactly (values keep their JSON form) and appends the attributes; a
// member already named like an attribute is replaced.
kinesis::Result<Transformed> transform(simdjson::dom::parser& parser, std::string_view data,
                                       std::string_view processing_timestamp) {
    simdjson::dom::element document;
    if (auto error = parser.parse(data.data(), data.size()).get(document)) {
        return kinesis::invalid_argument(fmt::format("not valid JSON ({})", simdjson::error_message(error)));
    }
    simdjson::dom::object object;
    if (document.get(object) != simdjson::SUCCESS) return kinesis::invalid_argument("not a JSON object");
    std::string_view country;
    if (object["country"].get(country) != simdjson::SUCCESS) {
        return kinesis::invalid_argument("no string member country");
    }

    std::set<std::string_view> products;
    std::int64_t total_quantity = 0;
    std::int64_t in_cart_quantity = 0;
    simdjson::dom::element history;
    if (object["browse_history"].get(history) == simdjson::SUCCESS && !history.is_null()) {
        simdjson::dom::array items;
        if (history.get(items) != simdjson::SUCCESS) return kinesis::invalid_argument("browse_history is not an array");
        std::size_t index = 0;
        for (simdjson::dom::element item : items) {
            simdjson::dom::object entry;
            if (item.get(entry) != simdjson::SUCCESS) {
                return kinesis::invalid_argument(fmt::format("browse_history[{}] is not an object", index));
            }
            std::string_view code;
            if (entry["product_code"].get(code) == simdjson::SUCCESS) products.insert(code);
            std::int64_t quantity = 0;
            simdjson::dom::element quantity_value;
            if (entry["quantity"].get(quantity_value) == simdjson::SUCCESS &&
                quantity_value.get(quantity) != simdjson::SUCCESS) {
                return kinesis::invalid_argument(fmt::format("browse_history[{}].quantity is not an integer", index));
            }
            bool in_cart = false;
            simdjson::dom::element cart_value;
            if (entry["in_shopping_cart"].get(cart_value) == simdjson::SUCCESS &&
                cart_value.get(in_cart) != simdjson::SUCCESS) {
                return kinesis::invalid_argument(
                    fmt::format("browse_history[{}].in_shopping_cart is not a boolean", index));
            }
            total_quantity += quantity;
            if (in_cart) in_cart_quantity += quantity;
            ++index;
        }
    }

    Transformed out;
    out.country = std::string(country);
    out.json.reserve(data.size() + 160);
    out.json += '{';
    for (const auto field : object) {
        if (std::find(std::begin(attribute_names), std::end(attribute_names), field.key) !=
            std::end(attribute_names)) {
            continue;
        }
        examples::append_json_string(out.json, field.key);
        out.json += ':';
        out.json += simdjson::minify(field.value);
        out.json += ',';
    }
    out.json += fmt::format(
        R"("processing_timestamp":"{}","distinct_products":{},"total_quantity":{},"in_cart_quantity":{}}})",
        processing_timestamp, products.size(), total_quantity, in_cart_quantity);
    return out;
}

/// One destination stream, its producer and what became of its records. The
/// outcome counters are written by the producer's I/O thread.
struct Destination {
    std::string label;  ///< the --dest_streams key: "USA", "International", ...
    std::string stream;
    std::unique_ptr<kinesis::Producer> producer;
    long long routed = 0;
    std::atomic<long long> put{0};
    std::atomic<long long> failed{0};
    long long put_reported = 0;
    long long failed_reported = 0;
    std::mutex mutex;
    std::string last_error;  ///< of the latest failed record, under `mutex`
};

struct Options {
    std::string source_stream;
    std::map<std::string, std::string> dest_streams;
    kinesis::InitialPosition start = kinesis::InitialPosition::TrimHorizon;
    std::chrono::milliseconds flush_interval{200};
    std::chrono::milliseconds record_ttl = std::chrono::seconds(30);
    std::optional<long long> max_records;
    std::optional<std::chrono::milliseconds> idle_exit;
};

// The --dest_streams map: a JSON object of strings with at least USA and International.
std::map<std::string, std::string> parse_dest_streams(const std::string& text) {
    simdjson::dom::parser parser;
    simdjson::dom::object object;
    if (parser.parse(text).get(object) != simdjson::SUCCESS) {
        throw examples::UsageError("--dest_streams must be a JSON object of stream names, not '" + text + "'");
    }
    std::map<std::string, std::string> streams;
    for (const auto field : object) {
        std::string_view name;
        if (field.value.get(name) != simdjson::SUCCESS || name.empty()) {
            throw examples::UsageError(fmt::format("--dest_streams: {} must name a stream", field.key));
        }
        streams[std::string(field.key)] = std::string(name);
    }
    for (const char* required : {"USA", "International"}) {
        if (streams.count(required) == 0) {
            throw examples::UsageError(fmt::format("--dest_streams has no \"{}\" stream", required));
        }
    }
    return streams;
}

class Etl {
public:
    Etl(const kinesis::ClientConfig& client_config, const Options& options) : options_(options) {
        kinesis::ProducerConfig config;
        config.client = client_config;
        // Records in hand are still delivered after a stop signal: the
        // producers' calls do not get its token.
        config.client.stop = kinesis::StopToken();
        // The destination streams are read as plain records (consumer-from-cli,
        // Firehose, the checks), so no KPL aggregation; one call in flight per
        // shard keeps each shard's records in order, as one batch at a time did.
        config.aggregation = false;
        config.max_in_flight_per_shard = 1;
        config.max_buffered_time = options.flush_interval;
        config.record_ttl = options.record_ttl;
        config.shutdown_timeout = std::chrono::milliseconds(0);  // finish() flushes first
        for (const auto& [label, stream] : options.dest_streams) {
            auto destination = std::make_unique<Destination>();
            destination->label = label;
            destination->stream = stream;
            destination->producer = std::make_unique<kinesis::Producer>(stream, config);
            destinations_.push_back(std::move(destination));
        }
    }

    /// Puts a source record on its destination's producer; invalid records are logged and counted.
    void route(const std::string& shard_id, const kinesis::UserRecord& record) {
        ++read_;
        auto transformed = transform(parser_, record.data, examples::etl::utc_iso8601(std::chrono::system_clock::now()));
        if (!transformed) {
            ++invalid_;
            std::string preview = record.data.substr(0, 80);
            for (char& c : preview) {
                if (static_cast<unsigned char>(c) < 0x20) c = ' ';
            }
            fmt::print(stderr, "{}: skipped record {} {} (partition key {}): {}: {}{}\n", program, shard_id,
                       record.sequence_number, record.partition_key, transformed.error().message, preview,
                       record.data.size() > preview.size() ? "..." : "");
            return;
        }
        Destination& destination = destination_for(transformed->country);
        ++destination.routed;
        Destination* target = &destination;
        auto queued = destination.producer->put(
            std::move(transformed->json), record.partition_key, std::nullopt, [target](const kinesis::PutOutcome& o) {
                if (o) {
                    target->put.fetch_add(1, std::memory_order_relaxed);
                    return;
                }
                {
                    std::lock_guard<std::mutex> lock(target->mutex);
                    target->last_error = examples::one_line(o.error());
                }
                target->failed.fetch_add(1, std::memory_order_relaxed);
            });
        if (!queued) {
            destination.failed.fetch_add(1, std::memory_order_relaxed);
            fmt::print(stderr, "{}: could not put record {} {} on {}: {}\n", program, shard_id, record.sequence_number,
                       destination.stream, examples::one_line(queued.error()));
        }
    }

    /// Logs what was written or given up on since the last report.
    void report() {
        for (auto& destination : destinations_) {
            const long long put = destination->put.load();
            const long long failed = destination->failed.load();
            if (put > destination->put_reported) {
                const long long n = put - destination->put_reported;
                fmt::print(stderr, "{}: put {} record{} on {}\n", program, n, n == 1 ? "" : "s", destination->stream);
            }
            if (failed > destination->failed_reported) {
                const long long n = failed - destination->failed_reported;
                std::lock_guard<std::mutex> lock(destination->mutex);
                fmt::print(stderr, "{}: gave up on {} record{} for {}: {}\n", program, n, n == 1 ? "" : "s",
                           destination->stream, destination->last_error);
            }
            destination->put_reported = put;
            destination->failed_reported = failed;
        }
    }

    /// Flushes every producer (each record is resolved by its TTL at the
    /// latest) and shuts them down, so the counts are final.
    void finish() {
        std::vector<kinesis::FlushHandle> flushes;
        const auto deadline = options_.record_ttl + std::chrono::seconds(5);
        for (auto& destination : destinations_) flushes.push_back(destination->producer->flush(deadline));
        for (auto& flush : flushes) flush.wait();
        for (auto& destination : destinations_) destination->producer.reset();  // what is left fails here
        report();
    }

    long long read() const noexcept { return read_; }

    /// The counts, one per line, on stdout; true when no record was lost.
    bool print_counts() const {
        long long failed = 0;
        fmt::print("Records read: {}\n", read_);
        for (const auto& destination : destinations_) {
            fmt::print("Routed to {} ({}): {} ({} put, {} failed)\n", destination->label, destination->stream,
                       destination->routed, destination->put.load(), destination->failed.load());
            failed += destination->failed.load();
        }
        fmt::print("Invalid (on no stream): {}\n", invalid_);
        std::fflush(stdout);
        return failed == 0;
    }

private:
    Destination& destination_for(const std::string& country) {
        const std::string_view label =
            options_.dest_streams.count(country) != 0 ? std::string_view(country) : std::string_view("International");
        for (auto& destination : destinations_) {
            if (destination->label == label) return *destination;
        }
        return *destinations_.front();  // unreachable: International is required
    }

    const Options& options_;
    std::vector<std::unique_ptr<Destination>> destinations_;
    simdjson::dom::parser parser_;
    long long read_ = 0;
    long long invalid_ = 0;
};

int run(const kinesis::ClientConfig& config, const Options& options) {
    Etl etl(config, options);
    const auto done = [&] { return options.max_records && etl.read() >= *options.max_records; };
    const auto route = [&](const std::string& shard_id, const std::vector<kinesis::UserRecord>& records) {
        for (const auto& record : records) {
            etl.route(shard_id, record);
            if (done()) break;
        }
        return !done();
    };
    examples::EveryShardOptions read;
    // An idle shard is polled often enough for --flush-ms to hold.
    read.reader.max_idle_backoff =
        std::clamp(options.flush_interval, read.reader.min_interval, std::chrono::milliseconds(1000));
    // LATEST applies to the open shards; closed ones hold nothing new and get no lease.
    read.start = options.start;
    read.idle_exit = options.idle_exit;
    examples::EveryShardConsumer consumer(config, options.source_stream, read, program, route);
    auto shards = consumer.start();
    if (!shards) return examples::fail(program, shards.error());
    fmt::print(stderr, "{}: reading {} shard{} of {}; USA -> {}, others -> {}\n", program, *shards,
               *shards == 1 ? "" : "s", options.source_stream, options.dest_streams.at("USA"),
               options.dest_streams.at("International"));

    std::string stop_reason = "stopped by signal";
    switch (consumer.run([&] { etl.report(); })) {
    case examples::RunEnd::Callback: stop_reason = fmt::format("read {} records", etl.read()); break;
    case examples::RunEnd::Idle: stop_reason = fmt::format("no new record for {} ms", options.idle_exit->count()); break;
    case examples::RunEnd::Signal: break;
    }
    etl.finish();
    fmt::print(stderr, "{}: {}; exiting\n", program, stop_reason);
    return etl.print_counts() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1"},
        [&](examples::Flags& flags) {
            options.source_stream = flags.get("source_stream", "de-c2w2lab1-kinesis-data-stream");
            options.dest_streams = parse_dest_streams(
                flags.get("dest_streams", R"({"USA": "de-c2w2lab1-usa-data-stream", )"
                                          R"("International": "de-c2w2lab1-international-data-stream"})"));
            const std::string type = flags.get("iterator-type", "TRIM_HORIZON");
            if (type == "LATEST") {
                options.start = kinesis::InitialPosition::Latest;
            } else if (type != "TRIM_HORIZON") {
                throw examples::UsageError("--iterator-type must be TRIM_HORIZON or LATEST, not '" + type + "'");
            }
            options.flush_interval = std::chrono::milliseconds(flags.get_int("flush-ms", 200, 0, 3600 * 1000));
            if (auto ttl = flags.get_seconds("record-ttl")) {
                if (ttl->count() <= 0) throw examples::UsageError("--record-ttl must be above zero");
                options.record_ttl = *ttl;
            }
            options.max_records = flags.get_int("max-records", 1, 1LL << 62);
            options.idle_exit = flags.get_seconds("idle-exit");
        },
        [&](const kinesis::ClientConfig& config) {
            examples::catch_stop_signals();
            return run(config, options);
        });
}
