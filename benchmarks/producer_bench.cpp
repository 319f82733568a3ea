// SPDX-License-Identifier: Apache-2.0
// User records per CPU second through kinesis::Producer into a local nginx standing in
// for a 64-shard stream (scripts/bench-producer starts it; scripts/nginx/kinesis_sink.lua
// answers each PutRecords with the shard Kinesis would choose), beside the floor of the
// same bytes. In one run:
// - floor: for the same records (100 random bytes, a random 16-36 character key or a
//   36-character UUID-like one), the MD5 of each key, the protobuf of each record into its
//   shard's aggregate (bare writes: key table entry and Record), the MD5 of each 50 KiB
//   aggregate, base64 of the aggregates into PutRecords bodies and the SHA-256 of each body;
// - Producer, aggregation on: N records put from one thread with the callback form, then
//   flush; CPU seconds of the whole process (getrusage RUSAGE_SELF: the putting thread, the
//   I/O thread and curl), wall time, peak RSS against buffer_max_bytes, every outcome ok;
// - the same without aggregation (fewer records);
// - 8 threads putting: CPU per put() on the callers' threads (CLOCK_THREAD_CPUTIME_ID).
// rate_limit is set far above 100 %: nginx is not Kinesis and does not throttle, so pacing
// would only measure the token buckets' arithmetic, not the producer's work.
// The records are made while putting (a fast xorshift); making them costs CPU of the
// process too, so it is measured alone and shown beside.
#include <kinesis/auth/credentials.hpp>
#include <kinesis/core/detail/crypto.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/producer/producer.hpp>
#include <kinesis/streams/aggregation.hpp>
#include <kinesis/streams/shard_map.hpp>

#include <benchmark/benchmark.h>
#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <sys/resource.h>

namespace {

constexpr std::size_t record_size = 100;
constexpr std::size_t shard_count = 64;
constexpr std::size_t aggregate_limit = 50 * 1024;
constexpr std::size_t body_record_bytes = 5 * 1024 * 1024;
constexpr std::size_t body_entries = 500;

[[noreturn]] void fail(const std::string& what) {
    fmt::print(stderr, "producer_bench: {}\n", what);
    std::exit(1);
}

// xorshift64*: the records, the same every run for a given seed.
struct Random {
    std::uint64_t state;
    explicit Random(std::uint64_t seed) : state(seed * 0x9E3779B97F4A7C15ull + 1) {}
    std::uint64_t next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1Dull;
    }
};

bool uuid_keys = false;
std::size_t in_flight = 0;  // --in-flight=N: max_in_flight_requests; 0: the default

// One record into `data` and `key` (reusing their capacity when the caller keeps them).
void make_record(Random& random, std::string& data, std::string& key) {
    data.resize(record_size);
    for (std::size_t i = 0; i < record_size; i += 8) {
        const std::uint64_t v = random.next();
        std::memcpy(&data[i], &v, std::min<std::size_t>(8, record_size - i));
    }
    static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static constexpr char hex[] = "0123456789abcdef";
    if (uuid_keys) {
        key.resize(36);
        std::uint64_t a = random.next(), b = random.next();
        for (std::size_t i = 0; i < 36; ++i) {
            if (i == 8 || i == 13 || i == 18 || i == 23) {
                key[i] = '-';
                continue;
            }
            std::uint64_t& v = i < 18 ? a : b;
            key[i] = hex[v & 15];
            v >>= 4;
        }
        return;
    }
    std::uint64_t v = random.next();
    const std::size_t n = 16 + v % 21;  // 16..36
    key.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        if (i % 8 == 0) v = random.next();
        key[i] = alphabet[v % 62];
        v >>= 8;
    }
}

double process_cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1e-6;
}

double thread_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

long peak_rss_kib() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}

long rss_kib() {
    std::ifstream in("/proc/self/statm");
    long pages = 0, resident = 0;
    in >> pages >> resident;
    return resident * 4;
}

// nginx's CPU seconds (one process: master_process off), from schedstat.
double nginx_cpu_seconds(long pid) {
    if (pid <= 0) return 0;
    std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
    double ns = 0;
    in >> ns;
    return ns * 1e-9;
}

// ---- the floor ---------------------------------------------------------------

void write_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out += static_cast<char>(static_cast<unsigned char>(value) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

std::size_t varint_size(std::uint64_t value) {
    std::size_t n = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++n;
    }
    return n;
}

struct FloorShard {
    std::string keys;     // partition_key_table entries
    std::string records;  // records entries
    std::size_t count = 0;
};

struct FloorBody {
    std::string body;
    std::size_t entries = 0;
    std::size_t record_bytes = 0;
    std::size_t bodies = 0;
    std::size_t aggregates = 0;
};

void floor_send(FloorBody& out, const std::string& aggregate, const std::string& ehk) {
    if (out.entries + 1 > body_entries || out.record_bytes + aggregate.size() + 1 > body_record_bytes) {
        out.body.append("],\"StreamName\":\"bench\"}");
        benchmark::DoNotOptimize(kinesis::detail::sha256(out.body));
        out.body.clear();
        out.entries = 0;
        out.record_bytes = 0;
        ++out.bodies;
    }
    out.body.append(out.entries == 0 ? "{\"Records\":[{\"Data\":\"" : ",{\"Data\":\"");
    kinesis::detail::base64_encode(aggregate, out.body);
    out.body.append("\",\"PartitionKey\":\"a\",\"ExplicitHashKey\":\"");
    out.body.append(ehk);
    out.body.append("\"}");
    ++out.entries;
    out.record_bytes += aggregate.size() + 1;
    ++out.aggregates;
}

void floor_seal(FloorShard& shard, FloorBody& out, std::string& scratch, const std::string& ehk) {
    scratch.clear();
    scratch.append(kinesis::aggregated_record_magic);
    scratch.append(shard.keys);
    scratch.append(shard.records);
    const auto digest = kinesis::detail::md5(std::string_view(scratch).substr(4));
    scratch.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    floor_send(out, scratch, ehk);
    shard.keys.clear();
    shard.records.clear();
    shard.count = 0;
}

struct FloorResult {
    double cpu_us_per_record = 0;
    double generate_us_per_record = 0;
    std::size_t aggregates = 0;
    std::size_t bodies = 0;
};

// Every record: MD5 of the key (its shard), the bare protobuf writes into its shard's
// aggregate; each full aggregate: MD5, base64 into a body; each full body: SHA-256.
// The outer ExplicitHashKey's decimal is one fixed string per shard (a floor needs no
// conversion). The time of making the records, measured alone, is taken off.
FloorResult run_floor(std::size_t n) {
    std::vector<FloorShard> shards(shard_count);
    std::vector<std::string> ehks;
    for (std::size_t i = 0; i < shard_count; ++i) {
        kinesis::UInt128 start{static_cast<std::uint64_t>(i) << 58, 0};
        ehks.push_back(start.to_decimal());
    }
    FloorBody out;
    out.body.reserve(8 * 1024 * 1024);
    std::string scratch;
    std::string data, key;
    const auto run = [&](bool work) {
        Random random(7);
        const double cpu0 = thread_cpu_seconds();
        for (std::size_t r = 0; r < n; ++r) {
            make_record(random, data, key);
            if (!work) {
                benchmark::DoNotOptimize(data.data());
                benchmark::DoNotOptimize(key.data());
                continue;
            }
            const auto digest = kinesis::detail::md5(key);
            FloorShard& shard = shards[digest[0] >> 2];
            const std::size_t index = shard.count;
            const std::size_t body = 1 + varint_size(index) + 1 + varint_size(data.size()) + data.size();
            const std::size_t added = 1 + varint_size(key.size()) + key.size() + 1 + varint_size(body) + body;
            if (shard.count > 0 && 4 + shard.keys.size() + shard.records.size() + added + 16 > aggregate_limit) {
                floor_seal(shard, out, scratch, ehks[digest[0] >> 2]);
            }
            shard.keys += '\x0a';
            write_varint(shard.keys, key.size());
            shard.keys.append(key);
            shard.records += '\x1a';
            write_varint(shard.records, 1 + varint_size(shard.count) + 1 + varint_size(data.size()) + data.size());
            shard.records += '\x08';
            write_varint(shard.records, shard.count);
            shard.records += '\x1a';
            write_varint(shard.records, data.size());
            shard.records.append(data);
            ++shard.count;
        }
        if (work) {
            for (std::size_t i = 0; i < shard_count; ++i) {
                if (shards[i].count > 0) floor_seal(shards[i], out, scratch, ehks[i]);
            }
            out.body.append("]}");
            benchmark::DoNotOptimize(kinesis::detail::sha256(out.body));
            ++out.bodies;
        }
        return thread_cpu_seconds() - cpu0;
    };
    run(true);  // warm: buffers at their size
    out = FloorBody{};
    out.body.reserve(8 * 1024 * 1024);
    const double generate = run(false);
    const double total = run(true);
    FloorResult result;
    result.generate_us_per_record = generate * 1e6 / static_cast<double>(n);
    result.cpu_us_per_record = (total - generate) * 1e6 / static_cast<double>(n);
    result.aggregates = out.aggregates;
    result.bodies = out.bodies;
    return result;
}

// ---- the producer ------------------------------------------------------------

kinesis::ProducerConfig producer_config(const std::string& endpoint, bool aggregation) {
    kinesis::ProducerConfig config;
    config.client.endpoint = endpoint;
    config.client.region = "us-east-1";
    kinesis::Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = kinesis::SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    config.client.credentials = std::make_shared<kinesis::StaticCredentialsProvider>(credentials);
    config.aggregation = aggregation;
    // nginx does not throttle; 100,000 % keeps the token buckets out of the way.
    config.rate_limit = 100000;
    config.record_ttl = std::chrono::minutes(10);
    if (in_flight != 0) config.max_in_flight_requests = in_flight;
    return config;
}

struct Outcomes {
    std::atomic<std::uint64_t> ok{0};
    std::atomic<std::uint64_t> failed{0};
    std::string first_error;  // written on the I/O thread, read after flush
};

struct ProducerResult {
    std::size_t records = 0;
    double cpu_s = 0;
    double wall_s = 0;
    double nginx_cpu_s = 0;
    long rss_before_kib = 0;
    long peak_rss_kib = 0;
    kinesis::ProducerMetrics metrics;
    double generate_us_per_record = 0;
    double put_cpu_us = 0;  // threaded: CPU per put() on the callers' threads
    double put_cpu_us_min = 0, put_cpu_us_max = 0;
};

void check_outcomes(const Outcomes& outcomes, std::size_t n, const char* what) {
    if (outcomes.ok.load() != n || outcomes.failed.load() != 0) {
        fail(fmt::format("{}: {} of {} records written, {} failed; first error: {}", what, outcomes.ok.load(), n,
                         outcomes.failed.load(), outcomes.first_error));
    }
}

kinesis::Producer::Callback callback_for(Outcomes& outcomes) {
    return [&outcomes](const kinesis::PutOutcome& outcome) {
        if (outcome.ok()) {
            outcomes.ok.fetch_add(1, std::memory_order_relaxed);
        } else {
            if (outcomes.failed.fetch_add(1, std::memory_order_relaxed) == 0) {
                outcomes.first_error = fmt::format("{}: {}", outcome.error().code, outcome.error().message);
            }
        }
    };
}

double generate_cpu_us(std::size_t n) {
    Random random(11);
    const double cpu0 = thread_cpu_seconds();
    for (std::size_t i = 0; i < n; ++i) {
        std::string data, key;
        make_record(random, data, key);
        benchmark::DoNotOptimize(data.data());
        benchmark::DoNotOptimize(key.data());
    }
    return (thread_cpu_seconds() - cpu0) * 1e6 / static_cast<double>(n);
}

ProducerResult run_producer(const std::string& endpoint, long nginx_pid, std::size_t n, bool aggregation) {
    ProducerResult result;
    result.records = n;
    result.generate_us_per_record = generate_cpu_us(std::min<std::size_t>(n, 200000));
    Outcomes outcomes;
    result.rss_before_kib = rss_kib();
    const double nginx0 = nginx_cpu_seconds(nginx_pid);
    const double cpu0 = process_cpu_seconds();
    const double wall0 = wall_seconds();
    {
        kinesis::Producer producer("bench", producer_config(endpoint, aggregation));
        Random random(11);
        const double caller0 = thread_cpu_seconds();
        for (std::size_t i = 0; i < n; ++i) {
            std::string data, key;
            make_record(random, data, key);
            auto put = producer.put(std::move(data), std::move(key), std::nullopt, callback_for(outcomes));
            if (!put) fail(fmt::format("put: {}", put.error().message));
        }
        result.put_cpu_us = (thread_cpu_seconds() - caller0) * 1e6 / static_cast<double>(n);
        const auto flushed = producer.flush(std::chrono::minutes(5)).wait();
        if (!flushed.complete) fail(fmt::format("flush: {} records outstanding", flushed.outstanding));
        result.metrics = producer.metrics();
        result.wall_s = wall_seconds() - wall0;
    }  // the destructor joins the I/O thread: its CPU is in, as it is the producer's
    result.cpu_s = process_cpu_seconds() - cpu0;
    result.nginx_cpu_s = nginx_cpu_seconds(nginx_pid) - nginx0;
    result.peak_rss_kib = peak_rss_kib();
    check_outcomes(outcomes, n, aggregation ? "aggregated" : "not aggregated");
    return result;
}

ProducerResult run_threads(const std::string& endpoint, long nginx_pid, std::size_t n, std::size_t threads) {
    ProducerResult result;
    result.records = n;
    Outcomes outcomes;
    // Each thread's records are made first: its CPU clock then sees put() alone.
    std::vector<std::vector<std::pair<std::string, std::string>>> inputs(threads);
    for (std::size_t t = 0; t < threads; ++t) {
        Random random(100 + t);
        inputs[t].resize(n / threads);
        for (auto& [data, key] : inputs[t]) make_record(random, data, key);
    }
    std::vector<double> cpu(threads);
    result.rss_before_kib = rss_kib();
    const double nginx0 = nginx_cpu_seconds(nginx_pid);
    const double cpu0 = process_cpu_seconds();
    const double wall0 = wall_seconds();
    {
        kinesis::Producer producer("bench", producer_config(endpoint, true));
        std::atomic<std::size_t> ready{0};
        std::vector<std::thread> workers;
        for (std::size_t t = 0; t < threads; ++t) {
            workers.emplace_back([&, t] {
                ready.fetch_add(1);
                while (ready.load() < threads) std::this_thread::yield();
                const double c0 = thread_cpu_seconds();
                for (auto& [data, key] : inputs[t]) {
                    auto put = producer.put(std::move(data), std::move(key), std::nullopt, callback_for(outcomes));
                    if (!put) fail(fmt::format("put: {}", put.error().message));
                }
                cpu[t] = thread_cpu_seconds() - c0;
            });
        }
        for (auto& worker : workers) worker.join();
        const auto flushed = producer.flush(std::chrono::minutes(5)).wait();
        if (!flushed.complete) fail(fmt::format("flush: {} records outstanding", flushed.outstanding));
        result.metrics = producer.metrics();
        result.wall_s = wall_seconds() - wall0;
    }
    result.cpu_s = process_cpu_seconds() - cpu0;
    result.nginx_cpu_s = nginx_cpu_seconds(nginx_pid) - nginx0;
    result.peak_rss_kib = peak_rss_kib();
    const std::size_t per_thread = n / threads;
    check_outcomes(outcomes, per_thread * threads, "8 threads");
    result.records = per_thread * threads;
    double sum = 0;
    result.put_cpu_us_min = 1e300;
    for (double c : cpu) {
        const double us = c * 1e6 / static_cast<double>(per_thread);
        sum += us;
        result.put_cpu_us_min = std::min(result.put_cpu_us_min, us);
        result.put_cpu_us_max = std::max(result.put_cpu_us_max, us);
    }
    result.put_cpu_us = sum / static_cast<double>(threads);
    return result;
}

std::size_t arg_size(int argc, char** argv, std::string_view name, std::size_t fallback) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg(argv[i]);
        if (arg.rfind(name, 0) == 0 && arg.size() > name.size() && arg[name.size()] == '=') {
            return static_cast<std::size_t>(std::strtoull(argv[i] + name.size() + 1, nullptr, 10));
        }
    }
    return fallback;
}

bool has_flag(int argc, char** argv, std::string_view name) {
    for (int i = 1; i < argc; ++i) {
        if (std::string_view(argv[i]) == name) return true;
    }
    return false;
}

void print_producer(const char* name, const ProducerResult& r, double floor_us, std::size_t buffer) {
    const double cpu_us = r.cpu_s * 1e6 / static_cast<double>(r.records);
    const double put_calls = static_cast<double>(r.metrics.put_records_calls);
    fmt::print("{:<34} {:>10} {:>12.0f} {:>12.0f} {:>9.3f} {:>8}  {:>7.1f} MiB  {:>7.2f}x\n", name, r.records,
               static_cast<double>(r.records) / r.cpu_s, static_cast<double>(r.records) / r.wall_s, cpu_us,
               floor_us > 0 ? fmt::format("{:.2f}x", cpu_us / floor_us) : std::string("-"),
               static_cast<double>(r.peak_rss_kib) / 1024.0, static_cast<double>(r.peak_rss_kib) * 1024.0 /
                                                                  static_cast<double>(buffer));
    fmt::print("{:<34} calls {:.0f}, Kinesis records {}, user records per call {:.0f}, nginx CPU {:.2f} s "
               "({:.3f} us/record), RSS before {:.1f} MiB, making the records {:.3f} us/record (in the CPU)\n",
               "", put_calls, r.metrics.kinesis_records_put,
               r.metrics.user_records_per_put_records.count ? r.metrics.user_records_per_put_records.sum /
                                                                  r.metrics.user_records_per_put_records.count
                                                            : 0.0,
               r.nginx_cpu_s, r.nginx_cpu_s * 1e6 / static_cast<double>(r.records),
               static_cast<double>(r.rss_before_kib) / 1024.0, r.generate_us_per_record);
    if (r.put_cpu_us_max == 0) {
        fmt::print("{:<34} the putting thread: {:.3f} us/record (making the records and put())\n", "", r.put_cpu_us);
    }
}

}  // namespace

int main(int argc, char** argv) {
    uuid_keys = has_flag(argc, argv, "--uuid-keys");
    in_flight = arg_size(argc, argv, "--in-flight", 0);
    const std::size_t n = arg_size(argc, argv, "--records", 2000000);
    const std::size_t n_raw = arg_size(argc, argv, "--raw-records", 200000);
    const std::size_t n_threads = arg_size(argc, argv, "--thread-records", 800000);
    const std::size_t threads = arg_size(argc, argv, "--threads", 8);
    const bool only_aggregated = has_flag(argc, argv, "--only-aggregated");
    const char* endpoint_env = std::getenv("KINESIS_BENCH_STREAM_ENDPOINT");
    const char* pid_env = std::getenv("KINESIS_BENCH_STREAM_PID");
    const long nginx_pid = pid_env ? std::atol(pid_env) : 0;
    const std::size_t buffer = kinesis::ProducerConfig{}.buffer_max_bytes;

    fmt::print("producer_bench: {} records of {} B, {} keys, {} shards; CPU = getrusage(RUSAGE_SELF)\n", n,
               record_size, uuid_keys ? "36-character UUID-like" : "random 16-36 character", shard_count);
    // --skip-floor: the producer alone, for a profiler.
    const FloorResult floor = has_flag(argc, argv, "--skip-floor") ? FloorResult{1, 0, 0, 0}
                                                                   : run_floor(std::min<std::size_t>(n, 1000000));
    fmt::print("floor: {:.3f} us/record ({:.0f} records/s): MD5 per key, protobuf, MD5 per aggregate ({} of them), "
               "base64, SHA-256 of {} bodies; making the records {:.3f} us/record, not included\n",
               floor.cpu_us_per_record, 1e6 / floor.cpu_us_per_record, floor.aggregates, floor.bodies,
               floor.generate_us_per_record);
    if (endpoint_env == nullptr || *endpoint_env == '\0') {
        fmt::print("KINESIS_BENCH_STREAM_ENDPOINT is not set (scripts/bench-producer starts nginx): floor only\n");
        return 0;
    }
    const std::string endpoint = endpoint_env;
    const double floor_total = floor.cpu_us_per_record + floor.generate_us_per_record;

    const ProducerResult aggregated = run_producer(endpoint, nginx_pid, n, true);
    ProducerResult raw, threaded;
    if (!only_aggregated) {
        raw = run_producer(endpoint, nginx_pid, n_raw, false);
        threaded = run_threads(endpoint, nginx_pid, n_threads, threads);
    }

    fmt::print("\n{:<34} {:>10} {:>12} {:>12} {:>9} {:>8}  {:>11}  {:>8}\n", "case", "records", "per CPU s",
               "per wall s", "CPU us", "/floor", "peak RSS", "/buffer");
    fmt::print("{:<34} {:>10} {:>12.0f} {:>12} {:>9.3f} {:>8}\n", "floor (+ making the records)",
               std::min<std::size_t>(n, 1000000), 1e6 / floor_total, "", floor_total, "1.00x");
    print_producer("Producer, aggregated", aggregated, floor_total, buffer);
    if (!only_aggregated) {
        print_producer("Producer, not aggregated", raw, 0, buffer);
        print_producer(fmt::format("Producer, aggregated, {} threads", threads).c_str(), threaded, 0, buffer);
        fmt::print("{:<34} put() CPU on the callers' threads: {:.3f} us mean per put (threads {:.3f} to {:.3f})\n",
                   "", threaded.put_cpu_us, threaded.put_cpu_us_min, threaded.put_cpu_us_max);
    }
    return 0;
}
