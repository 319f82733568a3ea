// SPDX-License-Identifier: Apache-2.0
// kinesis-producer: puts records from stdin (one per line) or generated ones
// through a kinesis::Producer, shows its progress on a terminal and ends with
// one JSON line of counts.
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/producer.hpp>
#include <kinesis/streams/stream.hpp>

#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"
#include "common/stop_signal.hpp"

#include <fmt/core.h>
#include <simdjson.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <utility>

#include <poll.h>
#include <unistd.h>

namespace {

constexpr std::string_view program = "kinesis-producer";

// Errors about single records shown on stderr before the rest are only counted.
constexpr long long max_record_errors_shown = 10;

std::string usage() {
    return "usage: kinesis-producer --stream NAME [options]\n"
           "Puts records through a kinesis::Producer (KPL-style aggregation, batching,\n"
           "per-shard pacing, retries until --record-ttl): the lines of stdin, one\n"
           "record each, or --generate N records. On a terminal it shows records/s,\n"
           "outstanding records, retries and failures on stderr; at the end it prints\n"
           "one JSON line on stdout:\n"
           "  {\"user_records\":N,\"succeeded\":N,\"failed\":N,\"kinesis_records\":N,\n"
           "   \"put_records_calls\":N,\"retries\":N,\"seconds\":S}\n"
           "(succeeded + failed = user_records). Exit status 0 when every record was\n"
           "written, 1 when any failed (or the stream is missing), 2 for bad usage.\n"
           "SIGINT/SIGTERM stop the reading; what was read is flushed for up to\n"
           "--flush-timeout, the rest fails, and the JSON line is printed.\n"
           "\n"
           "Stdin: a record is a line without its \\n (and a trailing \\r); empty lines\n"
           "are skipped and not counted.\n"
           "  --stream NAME             the stream (required)\n"
           "  --partition-key KEY       random: 32 random hex digits per record (default);\n"
           "                            line: the line itself (1-256 characters, else that\n"
           "                            record fails);\n"
           "                            json:FIELD: the value of the top-level string member\n"
           "                            FIELD of the line, which must be a JSON object. A\n"
           "                            line that is not JSON, or has no such string member,\n"
           "                            is not put: an error on stderr names its line number,\n"
           "                            and it counts as failed.\n"
           "  --generate N              put N generated records instead of reading stdin:\n"
           "                            record i (from 0) is \"i \" and then the letter\n"
           "                            a + i % 26 repeated, cut to --size bytes\n"
           "  --size BYTES              generated record size (default: 100; 1-1048320)\n"
           "  --no-aggregation          one Kinesis record per record (default: KPL aggregation)\n"
           "  --buffer-mib N            memory for records not yet written (default: 128);\n"
           "                            reading waits when it is full\n"
           "  --rate-limit PCT          per-shard pacing in % of 1,000 records/s and 1 MiB/s\n"
           "                            (default: 150)\n"
           "  --record-ttl SECONDS      how long a record may take before it fails (default: 30)\n"
           "  --max-buffered-time MS    how long a record may wait to be batched (default: 100)\n"
           "  --create-shards N         create the stream with N shards if it is missing\n"
           "                            (default: a missing stream is an error)\n"
           "  --flush-timeout SECONDS   the final flush's deadline (default: 30)\n" +
           examples::client_flags_usage("us-east-1");
}

enum class KeySource { Random, Line, JsonField };

struct Options {
    std::string stream;
    KeySource key_source = KeySource::Random;
    std::string json_field;
    std::optional<long long> generate;
    std::size_t size = 100;
    bool aggregation = true;
    std::size_t buffer_mib = 128;
    int rate_limit = 150;
    std::chrono::milliseconds record_ttl = std::chrono::seconds(30);
    std::chrono::milliseconds max_buffered_time{100};
    std::optional<int> create_shards;
    std::chrono::milliseconds flush_timeout = std::chrono::seconds(30);
};

void read_options(examples::Flags& flags, Options& options) {
    options.stream = flags.required("stream");
    const std::string key = flags.get("partition-key", "random");
    if (key == "random") {
        options.key_source = KeySource::Random;
    } else if (key == "line") {
        options.key_source = KeySource::Line;
    } else if (key.rfind("json:", 0) == 0 && key.size() > 5) {
        options.key_source = KeySource::JsonField;
        options.json_field = key.substr(5);
    } else {
        throw examples::UsageError("--partition-key must be random, line or json:FIELD, not '" + key + "'");
    }
    options.generate = flags.get_int("generate", 0, 1LL << 40);
    if (auto size = flags.get_int("size", 1, 1048320)) {
        if (!options.generate) throw examples::UsageError("--size goes with --generate");
        options.size = static_cast<std::size_t>(*size);
    }
    if (options.generate && options.key_source == KeySource::JsonField) {
        throw examples::UsageError("--partition-key json:FIELD reads stdin; it does not go with --generate");
    }
    options.aggregation = !flags.has("no-aggregation");
    options.buffer_mib = static_cast<std::size_t>(flags.get_int("buffer-mib", 128, 1, 1 << 20));
    options.rate_limit = static_cast<int>(flags.get_int("rate-limit", 150, 1, 100000));
    if (auto ttl = flags.get_seconds("record-ttl")) {
        if (ttl->count() <= 0) throw examples::UsageError("--record-ttl must be above zero");
        options.record_ttl = *ttl;
    }
    options.max_buffered_time = std::chrono::milliseconds(flags.get_int("max-buffered-time", 100, 0, 3600 * 1000));
    if (auto shards = flags.get_int("create-shards", 1, 100000)) options.create_shards = static_cast<int>(*shards);
    options.flush_timeout = flags.get_seconds("flush-timeout", std::chrono::seconds(30));
}

/// What became of the records: written by the callbacks (on the producer's
/// I/O thread), read by the main thread and the progress line.
struct Counts {
    std::atomic<long long> succeeded{0};
    std::atomic<long long> failed{0};  ///< outcomes that failed, and records never put
    std::mutex mutex;
    std::map<std::string, long long> failures_by_code;
    std::string first_failure;
};

/// Prints stderr messages about single records, the first few of them.
class RecordErrors {
public:
    void report(std::string_view where, std::string_view what) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (++count_ <= max_record_errors_shown) {
            fmt::print(stderr, "{}: {}: {}\n", program, where, what);
        } else if (count_ == max_record_errors_shown + 1) {
            fmt::print(stderr, "{}: further record errors are only counted\n", program);
        }
    }

private:
    std::mutex mutex_;
    long long count_ = 0;
};

/// The one-line progress on a terminal, redrawn twice a second from a thread
/// of its own (the main thread may wait on stdin or a full buffer).
class Progress {
public:
    Progress(const kinesis::Producer& producer, const Counts& counts) : producer_(producer), counts_(counts) {
        if (isatty(STDERR_FILENO) == 0) return;
        thread_ = std::thread([this] { loop(); });
    }
    ~Progress() { stop(); }

    void stop() {
        if (!thread_.joinable()) return;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            done_ = true;
        }
        wake_.notify_all();
        thread_.join();
        fmt::print(stderr, "\r\033[K");  // the last figures are in the JSON line
    }

private:
    void loop() {
        auto last_time = std::chrono::steady_clock::now();
        long long last_resolved = 0;
        std::unique_lock<std::mutex> lock(mutex_);
        while (!wake_.wait_for(lock, std::chrono::milliseconds(500), [this] { return done_; })) {
            const auto now = std::chrono::steady_clock::now();
            const long long succeeded = counts_.succeeded.load();
            const long long resolved = succeeded + counts_.failed.load();
            const double seconds = std::chrono::duration<double>(now - last_time).count();
            const double rate = seconds > 0 ? static_cast<double>(resolved - last_resolved) / seconds : 0.0;
            last_time = now;
            last_resolved = resolved;
            const auto metrics = producer_.metrics();
            fmt::print(stderr, "\r\033[K{}: {:.0f} records/s, {} written, {} outstanding, {} retries, {} failures",
                       program, rate, succeeded, metrics.user_records_pending, metrics.retries,
                       counts_.failed.load());
            std::fflush(stderr);
        }
    }

    const kinesis::Producer& producer_;
    const Counts& counts_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool done_ = false;
    std::thread thread_;
};

/// Hands each line of stdin to `take(line, line_number)` until end of file or
/// a stop signal. poll() with a short timeout, so that a stop is seen while
/// stdin is quiet (the signals are blocked in this thread: read() never sees EINTR).
template <class Take>
void read_lines(Take&& take) {
    std::string pending;
    long long line_number = 0;
    char buffer[1 << 16];
    const auto deliver = [&](std::string line) {
        ++line_number;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) return;
        take(std::move(line), line_number);
    };
    while (!examples::stop_requested()) {
        pollfd fd{STDIN_FILENO, POLLIN, 0};
        const int ready = poll(&fd, 1, 100);
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) continue;
        const ssize_t n = ready < 0 ? -1 : read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            fmt::print(stderr, "{}: reading stdin: {}\n", program, std::strerror(errno));
            break;
        }
        if (n == 0) break;  // end of file
        std::size_t start = 0;
        const std::string_view chunk(buffer, static_cast<std::size_t>(n));
        for (std::size_t nl = chunk.find('\n'); nl != std::string_view::npos; nl = chunk.find('\n', start)) {
            pending.append(chunk.substr(start, nl - start));
            deliver(std::move(pending));
            pending.clear();
            start = nl + 1;
        }
        pending.append(chunk.substr(start));
    }
    if (!pending.empty() && !examples::stop_requested()) deliver(std::move(pending));
}

/// The partition key of a JSON line: its top-level string member `field`, or why not.
kinesis::Result<std::string> json_key(simdjson::dom::parser& parser, const std::string& line, const std::string& field) {
    simdjson::dom::element document;
    if (auto error = parser.parse(line).get(document)) {
        return kinesis::invalid_argument(fmt::format("not valid JSON ({})", simdjson::error_message(error)));
    }
    simdjson::dom::object object;
    if (document.get(object) != simdjson::SUCCESS) return kinesis::invalid_argument("not a JSON object");
    simdjson::dom::element value;
    if (object.at_key(field).get(value) != simdjson::SUCCESS) {
        return kinesis::invalid_argument(fmt::format("no member \"{}\" (the partition key)", field));
    }
    std::string_view text;
    if (value.get(text) != simdjson::SUCCESS) {
        return kinesis::invalid_argument(fmt::format("member \"{}\" is not a string (the partition key)", field));
    }
    return std::string(text);
}

std::string generated_record(long long i, std::size_t size) {
    std::string data = std::to_string(i);
    data += ' ';
    if (data.size() < size) data.append(size - data.size(), static_cast<char>('a' + i % 26));
    data.resize(size);
    return data;
}

/// The stream, created when missing if --create-shards says so. False (with
/// the error printed) when the producer has nowhere to write; a stream that
/// cannot be described for another reason (an endpoint that does not answer)
/// is left to the producer, whose records then fail by their TTL.
bool prepare_stream(const kinesis::ClientConfig& config, const Options& options) {
    kinesis::Stream stream(config, options.stream);
    if (options.create_shards) {
        kinesis::EnsureOptions ensure;
        ensure.shard_count = *options.create_shards;
        ensure.waiter = {std::chrono::milliseconds(200), 1500};
        auto summary = stream.ensure(ensure);
        if (!summary) {
            examples::fail(program, summary.error());
            return false;
        }
        fmt::print(stderr, "{}: stream {} is {} with {} open shard{}\n", program, options.stream,
                   kinesis::to_string(summary->stream_status), summary->open_shard_count,
                   summary->open_shard_count == 1 ? "" : "s");
        return true;
    }
    auto summary = stream.describe();
    if (summary) return true;
    if (summary.error().code == "ResourceNotFoundException") {
        fmt::print(stderr, "{}: stream {} does not exist (--create-shards N creates it): {}\n", program,
                   options.stream, examples::one_line(summary.error()));
        return false;
    }
    fmt::print(stderr, "{}: could not describe stream {}; putting all the same: {}\n", program, options.stream,
               examples::one_line(summary.error()));
    return true;
}

kinesis::ProducerConfig producer_config(const kinesis::ClientConfig& client, const Options& options) {
    kinesis::ProducerConfig config;
    config.client = client;
    // The flush after a stop signal must still send: the producer's calls do
    // not get the signal's token (their every wait is bounded by record_ttl).
    config.client.stop = kinesis::StopToken();
    config.aggregation = options.aggregation;
    config.buffer_max_bytes = options.buffer_mib * 1024 * 1024;
    config.rate_limit = options.rate_limit;
    config.record_ttl = options.record_ttl;
    config.max_buffered_time = options.max_buffered_time;
    // The final flush has its own deadline; what is left after it fails at once.
    config.shutdown_timeout = std::chrono::milliseconds(0);
    return config;
}

int run(const kinesis::ClientConfig& client_config, const Options& options) {
    if (!prepare_stream(client_config, options)) return 1;

    Counts counts;
    RecordErrors record_errors;
    long long user_records = 0;
    kinesis::ProducerMetrics metrics;
    const auto start = std::chrono::steady_clock::now();
    {
        kinesis::Producer producer(options.stream, producer_config(client_config, options));
        Progress progress(producer, counts);
        const auto on_done = [&counts](const kinesis::PutOutcome& outcome) {
            if (outcome) {
                counts.succeeded.fetch_add(1, std::memory_order_relaxed);
                return;
            }
            counts.failed.fetch_add(1, std::memory_order_relaxed);
            std::lock_guard<std::mutex> lock(counts.mutex);
            if (counts.failures_by_code.empty()) counts.first_failure = examples::one_line(outcome.error());
            ++counts.failures_by_code[outcome.error().code];
        };
        std::mt19937_64 rng(std::random_device{}());
        const auto random_key = [&rng] { return fmt::format("{:016x}{:016x}", rng(), rng()); };
        // One record: put, or counted as failed with the reason on stderr.
        const auto put = [&](std::string data, std::string key, const std::string& where) {
            ++user_records;
            auto queued = producer.put(std::move(data), std::move(key), std::nullopt, on_done);
            if (!queued) {
                counts.failed.fetch_add(1, std::memory_order_relaxed);
                record_errors.report(where, examples::one_line(queued.error()));
            }
        };

        if (options.generate) {
            for (long long i = 0; i < *options.generate && !examples::stop_requested(); ++i) {
                std::string data = generated_record(i, options.size);
                std::string key = options.key_source == KeySource::Line ? data : random_key();
                put(std::move(data), std::move(key), fmt::format("record {}", i));
            }
        } else {
            simdjson::dom::parser parser;
            read_lines([&](std::string line, long long number) {
                const std::string where = fmt::format("line {}", number);
                switch (options.key_source) {
                case KeySource::Random: put(std::move(line), random_key(), where); break;
                case KeySource::Line: {
                    std::string key = line;
                    put(std::move(line), std::move(key), where);
                    break;
                }
                case KeySource::JsonField: {
                    auto key = json_key(parser, line, options.json_field);
                    if (!key) {
                        ++user_records;
                        counts.failed.fetch_add(1, std::memory_order_relaxed);
                        record_errors.report(where, key.error().message + "; not put");
                        break;
                    }
                    put(std::move(line), std::move(*key), where);
                    break;
                }
                }
            });
        }
        if (examples::stop_requested()) {
            fmt::print(stderr, "{}{}: stopped by signal after {} records; flushing for up to {} ms\n",
                       isatty(STDERR_FILENO) ? "\r\033[K" : "", program, user_records, options.flush_timeout.count());
        }
        const auto flushed = producer.flush(options.flush_timeout).wait();
        if (!flushed.complete) {
            fmt::print(stderr, "{}: the flush timed out with {} records outstanding; they fail\n", program,
                       flushed.outstanding);
        }
        progress.stop();
        metrics = producer.metrics();
    }  // what the flush left fails here, through on_done
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const long long failed = counts.failed.load();
    if (!counts.failures_by_code.empty()) {
        std::string by_code;
        for (const auto& [code, n] : counts.failures_by_code) {
            by_code += fmt::format("{}{} {}", by_code.empty() ? "" : ", ", code.empty() ? "(no code)" : code, n);
        }
        fmt::print(stderr, "{}: records failed after put: {}; the first: {}\n", program, by_code, counts.first_failure);
    }
    fmt::print("{{\"user_records\":{},\"succeeded\":{},\"failed\":{},\"kinesis_records\":{},\"put_records_calls\":{},"
               "\"retries\":{},\"seconds\":{:.3f}}}\n",
               user_records, counts.succeeded.load(), failed, metrics.kinesis_records_put, metrics.put_records_calls,
               metrics.retries, seconds);
    std::fflush(stdout);
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1", {"no-aggregation"}},
        [&](examples::Flags& flags) { read_options(flags, options); },
        [&](const kinesis::ClientConfig& config) {
            examples::catch_stop_signals();
            return run(config, options);
        });
}
