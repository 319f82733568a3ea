// SPDX-License-Identifier: Apache-2.0
// The end-to-end cost of a Kinesis call against a local nginx serving a canned
// answer (scripts/bench starts it), beside a bare libcurl loop sending the same
// bytes, and the parts of the call measured alone. In one run:
// - PutRecords of 500 entries x 100 random bytes, 2,000 calls on one connection:
//   bare curl, then KinesisClient::put_records(); CPU per call of this process,
//   wall time, nginx's CPU per call and the connections opened;
// - the parts: writing the body, its SHA-256, signing, parsing the answer;
//   ours / (parts + bare) and ours / bare;
// - PutRecord of one small record, ours against bare curl;
// - calls per second on one thread with N calls in flight (put_records_async,
//   put_record_async on one EventLoop).
// CPU is CLOCK_PROCESS_CPUTIME_ID (this process, every thread); nginx's is
// read from /proc/<pid>/schedstat of its master and worker. Without
// KINESIS_BENCH_NGINX_ENDPOINT only the parts run.
#include <kinesis/auth/credentials.hpp>
#include <kinesis/auth/sigv4.hpp>
#include <kinesis/core/detail/crypto.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/http/transport.hpp>
#include <kinesis/protocol/detail/service_client.hpp>
#include <kinesis/streams/detail/wire.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include <benchmark/benchmark.h>
#include <curl/curl.h>
#include <fmt/core.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <dirent.h>

namespace {

constexpr std::size_t entries = 500;
constexpr std::size_t record_size = 100;
constexpr int sync_calls = 2000;
constexpr int parts_iterations = 2000;

[[noreturn]] void fail(const std::string& what) {
    fmt::print(stderr, "call_bench: {}\n", what);
    std::exit(1);
}

// xorshift64*: random bytes without <random>, the same every run.
struct Random {
    std::uint64_t state = 0x9E3779B97F4A7C15ull;
    std::uint64_t next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1Dull;
    }
    std::string bytes(std::size_t n) {
        std::string out(n, '\0');
        for (auto& c : out) c = static_cast<char>(next());
        return out;
    }
    std::string key() {
        static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        std::string out(16 + next() % 17, '\0');
        for (auto& c : out) c = alphabet[next() % (sizeof alphabet - 1)];
        return out;
    }
};

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double wall_seconds() {
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// nginx's CPU time in seconds: the master and its children (the worker).
// schedstat's first field is nanoseconds on CPU, much finer than stat's ticks.
double nginx_cpu_seconds(long master) {
    if (master <= 0) return 0;
    const auto task_ns = [](long pid) -> double {
        std::ifstream in("/proc/" + std::to_string(pid) + "/schedstat");
        double ns = 0;
        in >> ns;
        return ns;
    };
    double total = task_ns(master);
    std::ifstream children("/proc/" + std::to_string(master) + "/task/" + std::to_string(master) + "/children");
    long child = 0;
    while (children >> child) total += task_ns(child);
    return total * 1e-9;
}

struct Measure {
    double cpu_us = 0;    // per call, this process
    double wall_us = 0;   // per call
    double nginx_us = 0;  // per call, nginx
    std::size_t connections = 0;
};

// Runs `body` `count` times and returns per-call figures.
template <class F>
Measure measure(int count, long nginx_pid, F&& body) {
    const double nginx0 = nginx_cpu_seconds(nginx_pid);
    const double cpu0 = cpu_seconds();
    const double wall0 = wall_seconds();
    for (int i = 0; i < count; ++i) body();
    Measure m;
    m.wall_us = (wall_seconds() - wall0) * 1e6 / count;
    m.cpu_us = (cpu_seconds() - cpu0) * 1e6 / count;
    m.nginx_us = (nginx_cpu_seconds(nginx_pid) - nginx0) * 1e6 / count;
    return m;
}

kinesis::Credentials credentials() {
    kinesis::Credentials c;
    c.access_key_id = "AKIDEXAMPLE";
    c.secret_access_key = kinesis::SecretString("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    return c;
}

kinesis::PutRecordsRequest put_records_request() {
    Random random;
    kinesis::PutRecordsRequest request;
    request.stream.name = "benchmark-stream";
    request.records.reserve(entries);
    for (std::size_t i = 0; i < entries; ++i) request.records.push_back({random.bytes(record_size), random.key()});
    return request;
}

kinesis::PutRecordRequest put_record_request() {
    Random random;
    kinesis::PutRecordRequest request;
    request.stream.name = "benchmark-stream";
    request.data = random.bytes(record_size);
    request.partition_key = random.key();
    return request;
}

// A bare libcurl easy handle POSTing a fixed body with the headers a signed
// Kinesis request carries (sizes as ours), the answer kept in a string.
class BareCurl {
public:
    BareCurl(const std::string& endpoint, std::string_view target, std::string body)
        : url_(endpoint + "/"), body_(std::move(body)) {
        easy_ = curl_easy_init();
        if (easy_ == nullptr) fail("curl_easy_init failed");
        const std::string host = endpoint.substr(endpoint.find("://") + 3);
        for (std::string line : {std::string("Content-Type: application/x-amz-json-1.1"),
                                 "X-Amz-Target: Kinesis_20131202." + std::string(target), "Host: " + host,
                                 std::string("X-Amz-Date: 20240101T000000Z"),
                                 "Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/kinesis/"
                                 "aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                                 "Signature=" + std::string(64, 'f'),
                                 std::string("Expect:"), std::string("Accept:")}) {
            headers_ = curl_slist_append(headers_, line.c_str());
        }
        curl_easy_setopt(easy_, CURLOPT_URL, url_.c_str());
        curl_easy_setopt(easy_, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(easy_, CURLOPT_HTTPHEADER, headers_);
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDS, body_.data());
        curl_easy_setopt(easy_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body_.size()));
        curl_easy_setopt(easy_, CURLOPT_WRITEFUNCTION, &BareCurl::on_body);
        curl_easy_setopt(easy_, CURLOPT_WRITEDATA, static_cast<void*>(&answer_));
        answer_.reserve(64 * 1024);
    }
    ~BareCurl() {
        curl_slist_free_all(headers_);
        curl_easy_cleanup(easy_);
    }
    BareCurl(const BareCurl&) = delete;
    BareCurl& operator=(const BareCurl&) = delete;

    void call() {
        answer_.clear();
        const CURLcode code = curl_easy_perform(easy_);
        long status = 0;
        curl_easy_getinfo(easy_, CURLINFO_RESPONSE_CODE, &status);
        if (code != CURLE_OK || status != 200) {
            fail(fmt::format("bare curl: {} HTTP {}", curl_easy_strerror(code), status));
        }
        long connects = 0;
        curl_easy_getinfo(easy_, CURLINFO_NUM_CONNECTS, &connects);
        connections_ += static_cast<std::size_t>(connects);
    }
    const std::string& answer() const noexcept { return answer_; }
    std::size_t connections() const noexcept { return connections_; }

private:
    static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* out) {
        static_cast<std::string*>(out)->append(data, size * count);
        return size * count;
    }
    CURL* easy_ = nullptr;
    curl_slist* headers_ = nullptr;
    std::string url_;
    std::string body_;
    std::string answer_;
    std::size_t connections_ = 0;
};

kinesis::ClientConfig client_config(const std::string& endpoint) {
    kinesis::ClientConfig config;
    config.endpoint = endpoint;
    config.region = "us-east-1";
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>(credentials());
    config.retry.max_attempts = 1;  // a retry would hide a failure: every call must succeed at once
    return config;
}

struct Parts {
    double write_us = 0, sha256_us = 0, sign_us = 0, parse_us = 0;
    double sum() const { return write_us + sha256_us + sign_us + parse_us; }
};

template <class F>
double cpu_us_per(int count, F&& body) {
    for (int i = 0; i < count / 10; ++i) body();  // warm caches and buffers
    const double cpu0 = cpu_seconds();
    for (int i = 0; i < count; ++i) body();
    return (cpu_seconds() - cpu0) * 1e6 / count;
}

// The pieces of put_records() alone, as the call does them.
Parts measure_parts(const kinesis::PutRecordsRequest& request, const std::string& answer) {
    Parts parts;
    const kinesis::KinesisLimits limits;
    std::string body;
    parts.write_us = cpu_us_per(parts_iterations, [&] {
        auto error = kinesis::detail::check_put_records(request, limits);
        benchmark::DoNotOptimize(error);
        body.clear();
        body.reserve(kinesis::detail::put_records_body_size(request));
        kinesis::detail::write_put_records(request, body);
        benchmark::DoNotOptimize(body.data());
    });
    char hex[64];
    parts.sha256_us = cpu_us_per(parts_iterations, [&] {
        const auto digest = kinesis::detail::sha256(body);
        kinesis::detail::hex_encode_to(digest.data(), digest.size(), hex);
        benchmark::DoNotOptimize(hex);
    });
    const auto endpoint = kinesis::HttpRequest::from_url("POST", "http://127.0.0.1:8080").value();
    auto prepared = kinesis::detail::json_request(endpoint, "Kinesis_20131202", "PutRecords", "1.1", body);
    kinesis::Signer signer;
    const auto creds = credentials();
    kinesis::SigningParams params;
    params.region = "us-east-1";
    params.service = "kinesis";
    params.payload_hash = std::string_view(hex, sizeof hex);
    parts.sign_us = cpu_us_per(parts_iterations, [&] {
        params.time = std::chrono::system_clock::now();
        signer.sign(prepared, creds, params);
        benchmark::DoNotOptimize(prepared.headers.data());
    });
    kinesis::detail::JsonParser parser;
    std::string padded = answer;
    padded.reserve(answer.size() + 64);
    parts.parse_us = cpu_us_per(parts_iterations, [&] {
        auto result = kinesis::detail::parse_put_records_for(parser, padded, entries);
        if (!result || result->records.size() != entries) fail("parse_put_records failed on the canned answer");
        benchmark::DoNotOptimize(result->records.data());
    });
    return parts;
}

struct AsyncFigures {
    double calls_per_second = 0;
    double cpu_us = 0;
    std::size_t connections = 0;
};

// `total` calls, `in_flight` at a time, from this one thread on one loop.
template <class Start>
AsyncFigures run_async(int total, int in_flight, Start&& start_one) {
    kinesis::EventLoop loop;
    int started = 0, done = 0;
    std::function<void()> next;
    const auto on_done = [&] {
        ++done;
        if (started < total) next();
    };
    std::unique_ptr<kinesis::KinesisClient> client;
    next = [&] {
        ++started;
        start_one(*client, on_done);
    };
    // The client needs the config, the starter needs the client: built here.
    client = std::make_unique<kinesis::KinesisClient>(client_config(std::getenv("KINESIS_BENCH_NGINX_ENDPOINT")),
                                                      loop);
    // One warm-up round opens the connections.
    {
        int warm = 0;
        for (int i = 0; i < in_flight; ++i) start_one(*client, [&warm] { ++warm; });
        while (warm < in_flight) loop.run_once(std::chrono::seconds(10));
    }
    const double cpu0 = cpu_seconds();
    const double wall0 = wall_seconds();
    for (int i = 0; i < in_flight && started < total; ++i) next();
    while (done < total) loop.run_once(std::chrono::seconds(10));
    AsyncFigures figures;
    const double wall = wall_seconds() - wall0;
    figures.calls_per_second = total / wall;
    figures.cpu_us = (cpu_seconds() - cpu0) * 1e6 / total;
    figures.connections = loop.connections_opened();
    return figures;
}

}  // namespace

int main(int argc, char** argv) {
    // --only=put_records | --only=put_record: just that synchronous call, 10,000
    // times, for a profiler (perf record -g) to see nothing else.
    const std::string only = argc > 1 && std::string_view(argv[1]).rfind("--only=", 0) == 0 ? argv[1] + 7 : "";
    const kinesis::PutRecordsRequest request = put_records_request();
    const kinesis::PutRecordRequest small = put_record_request();
    const char* endpoint_env = std::getenv("KINESIS_BENCH_NGINX_ENDPOINT");
    const char* pid_env = std::getenv("KINESIS_BENCH_NGINX_PID");

    std::string body;
    body.reserve(kinesis::detail::put_records_body_size(request));
    kinesis::detail::write_put_records(request, body);

    if (endpoint_env == nullptr || *endpoint_env == '\0') {
        fmt::print("call_bench: KINESIS_BENCH_NGINX_ENDPOINT is not set; the call cases need nginx: run "
                   "scripts/bench.\nOnly the parts of a 500-entry PutRecords call (CPU per call, us):\n");
        std::string answer = R"({"FailedRecordCount":0,"Records":[)";
        for (std::size_t i = 0; i < entries; ++i) {
            answer += fmt::format(R"({}{{"SequenceNumber":"49590338271490256608559692538361571095921575989136588{:03}",)"
                                  R"("ShardId":"shardId-000000000000"}})",
                                  i == 0 ? "" : ",", i);
        }
        answer += "]}";
        const Parts parts = measure_parts(request, answer);
        fmt::print("  write {:.1f}  sha256 {:.1f}  sign {:.1f}  parse {:.1f}\n", parts.write_us, parts.sha256_us,
                   parts.sign_us, parts.parse_us);
        return 0;
    }
    const std::string endpoint = endpoint_env;
    const long nginx_pid = pid_env != nullptr ? std::atol(pid_env) : 0;
    curl_global_init(CURL_GLOBAL_DEFAULT);

    if (!only.empty()) {
        kinesis::KinesisClient client(client_config(endpoint));
        Measure m;
        if (only == "put_records") {
            m = measure(5 * sync_calls, nginx_pid, [&] {
                if (!client.put_records(request)) fail("put_records failed");
            });
        } else if (only == "put_record") {
            m = measure(5 * sync_calls, nginx_pid, [&] {
                if (!client.put_record(small)) fail("put_record failed");
            });
        } else {
            fail("--only takes put_records or put_record");
        }
        fmt::print("{}: {:.1f} us CPU, {:.1f} us wall per call\n", only, m.cpu_us, m.wall_us);
        return 0;
    }

    // ---- PutRecords, 500 entries: bare curl, then ours, on one connection each
    BareCurl bare(endpoint, "PutRecords", body);
    bare.call();  // connects; the answer is the parse part's input
    const std::string answer = bare.answer();
    Measure bare_m = measure(sync_calls, nginx_pid, [&] { bare.call(); });
    bare_m.connections = bare.connections();

    kinesis::KinesisClient client(client_config(endpoint));
    const auto check = [](const kinesis::Result<kinesis::PutRecordsResult>& put) {
        if (!put) fail("put_records: " + put.error().to_string());
        if (put->failed_record_count != 0 || put->records.size() != entries) fail("put_records: a record failed");
    };
    check(client.put_records(request));
    Measure ours_m = measure(sync_calls, nginx_pid, [&] { check(client.put_records(request)); });
    ours_m.connections = client.loop().connections_opened();

    const Parts parts = measure_parts(request, answer);

    // ---- PutRecord, one small record
    std::string small_body;
    kinesis::detail::write_put_record(small, small_body);
    BareCurl bare_small(endpoint, "PutRecord", small_body);
    bare_small.call();
    Measure bare_small_m = measure(sync_calls, nginx_pid, [&] { bare_small.call(); });
    bare_small_m.connections = bare_small.connections();
    kinesis::KinesisClient small_client(client_config(endpoint));
    const auto check_small = [](const kinesis::Result<kinesis::PutRecordResult>& put) {
        if (!put) fail("put_record: " + put.error().to_string());
        if (put->sequence_number.empty()) fail("put_record: no sequence number");
    };
    check_small(small_client.put_record(small));
    Measure ours_small_m = measure(sync_calls, nginx_pid, [&] { check_small(small_client.put_record(small)); });
    ours_small_m.connections = small_client.loop().connections_opened();

    // ---- calls/s on one thread, N in flight
    struct AsyncRow {
        std::string name;
        int in_flight;
        AsyncFigures figures;
    };
    std::vector<AsyncRow> async_rows;
    for (const int n : {64, 256}) {
        async_rows.push_back({"put_records_async (500 x 100 B)", n,
                              run_async(4 * sync_calls / 2, n, [&](kinesis::KinesisClient& c, std::function<void()> done) {
                                  c.put_records_async(request, [done, &check](kinesis::Result<kinesis::PutRecordsResult> put) {
                                      check(put);
                                      done();
                                  });
                              })});
    }
    for (const int n : {64, 256}) {
        async_rows.push_back({"put_record_async (100 B)", n,
                              run_async(10 * sync_calls, n, [&](kinesis::KinesisClient& c, std::function<void()> done) {
                                  c.put_record_async(small, [done, &check_small](kinesis::Result<kinesis::PutRecordResult> put) {
                                      check_small(put);
                                      done();
                                  });
                              })});
    }

    // ---- the table
    const double ours_vs_parts = ours_m.cpu_us / (parts.sum() + bare_m.cpu_us);
    fmt::print("\nPutRecords, {} entries x {} B, {} calls each against nginx at {} (us per call)\n", entries,
               record_size, sync_calls, endpoint);
    fmt::print("{:<34} {:>9} {:>9} {:>10} {:>6}\n", "case", "CPU", "wall", "nginx CPU", "conns");
    const auto row = [](std::string_view name, const Measure& m) {
        fmt::print("{:<34} {:>9.1f} {:>9.1f} {:>10.1f} {:>6}\n", name, m.cpu_us, m.wall_us, m.nginx_us,
                   m.connections);
    };
    row("bare curl easy loop", bare_m);
    row("KinesisClient::put_records", ours_m);
    fmt::print("{:<34} {:>9.1f}\n", "part: write body (check+JSON)", parts.write_us);
    fmt::print("{:<34} {:>9.1f}\n", "part: SHA-256 of the body", parts.sha256_us);
    fmt::print("{:<34} {:>9.1f}\n", "part: SigV4 sign (hash given)", parts.sign_us);
    fmt::print("{:<34} {:>9.1f}\n", "part: parse the 500-entry answer", parts.parse_us);
    fmt::print("{:<34} {:>9.1f}\n", "parts + bare", parts.sum() + bare_m.cpu_us);
    fmt::print("{:<34} {:>8.2f}x   (goal <= 1.3)\n", "ours / (parts + bare)", ours_vs_parts);
    fmt::print("{:<34} {:>8.2f}x\n", "ours / bare", ours_m.cpu_us / bare_m.cpu_us);
    fmt::print("{:<34} {:>8.2f}x\n", "nginx CPU, ours / bare", bare_m.nginx_us > 0 ? ours_m.nginx_us / bare_m.nginx_us : 0.0);
    fmt::print("body {} bytes, answer {} bytes\n", body.size(), answer.size());

    fmt::print("\nPutRecord, one {} B record, {} calls each (us per call)\n", record_size, sync_calls);
    fmt::print("{:<34} {:>9} {:>9} {:>10} {:>6}\n", "case", "CPU", "wall", "nginx CPU", "conns");
    row("bare curl easy loop", bare_small_m);
    row("KinesisClient::put_record", ours_small_m);
    fmt::print("{:<34} {:>8.2f}x\n", "ours / bare (CPU)", ours_small_m.cpu_us / bare_small_m.cpu_us);
    fmt::print("{:<34} {:>8.2f}x\n", "ours / bare (wall)", ours_small_m.wall_us / bare_small_m.wall_us);

    fmt::print("\nAsync on one thread (one EventLoop), N calls in flight\n");
    fmt::print("{:<34} {:>5} {:>10} {:>12} {:>6}\n", "case", "N", "calls/s", "CPU us/call", "conns");
    for (const auto& r : async_rows) {
        fmt::print("{:<34} {:>5} {:>10.0f} {:>12.1f} {:>6}\n", r.name, r.in_flight, r.figures.calls_per_second,
                   r.figures.cpu_us, r.figures.connections);
    }

    bool ok = true;
    if (bare_m.connections != 1 || ours_m.connections != 1 || bare_small_m.connections != 1 ||
        ours_small_m.connections != 1) {
        fmt::print(stderr, "call_bench: a sync case opened more than one connection\n");
        ok = false;
    }
    return ok ? 0 : 1;
}
