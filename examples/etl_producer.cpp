// SPDX-License-Identifier: Apache-2.0
// etl-producer: the ingestion lab's feed for its ETL (W12): e-commerce records
// shaped like W10's sample, random sessions, countries and browse histories,
// put one at a time with the session id as partition key, at random gaps
// (exponential, 10 s mean by default).
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/streams/stream.hpp>

#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"
#include "common/stop_signal.hpp"

#include <fmt/core.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <utility>

namespace {

constexpr std::string_view program = "etl-producer";

std::string usage() {
    return "usage: etl-producer [options]\n"
           "Puts random e-commerce records (W10's shape) on a stream, one at a time,\n"
           "the session_id as partition key, logging each put. SIGINT/SIGTERM stop it.\n"
           "  --stream NAME         (default: de-c2w2lab1-kinesis-data-stream)\n"
           "  --shards N            shards when the stream is created (default: 1)\n"
           "  --no-create           do not create the stream when it is missing\n"
           "  --count N             records to put; 0 = until stopped (default: 0)\n"
           "  --mean-gap SECS       mean of the exponential gap between records; 0 = none (default: 10)\n"
           "  --seed N              random seed, for a reproducible sequence (default: random)\n"
           "  --invalid-every N     make every Nth record non-JSON, for testing (default: never)\n" +
           examples::client_flags_usage("us-east-1");
}

struct Place {
    std::string_view country;
    std::array<std::string_view, 3> cities;
};

// About half the sessions are in the USA, so both of the ETL's routes are busy.
constexpr std::array<Place, 10> places{{
    {"USA", {"Washington", "New York", "Chicago"}},
    {"USA", {"Seattle", "Austin", "Boston"}},
    {"USA", {"Denver", "Miami", "San Francisco"}},
    {"USA", {"Atlanta", "Phoenix", "Portland"}},
    {"Canada", {"Toronto", "Montreal", "Vancouver"}},
    {"Mexico", {"Mexico City", "Guadalajara", "Monterrey"}},
    {"Germany", {"Berlin", "Munich", "Hamburg"}},
    {"France", {"Paris", "Lyon", "Marseille"}},
    {"Japan", {"Tokyo", "Osaka", "Kyoto"}},
    {"Brazil", {"S\xc3\xa3o Paulo", "Rio de Janeiro", "Bras\xc3\xadlia"}},
}};

class RecordGenerator {
public:
    explicit RecordGenerator(std::uint64_t seed) : rng_(seed) {}

    /// A UUID-shaped session id (version 4 layout), from the seeded generator.
    std::string session_id() {
        const std::uint64_t a = rng_();
        const std::uint64_t b = rng_();
        return fmt::format("{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}", a >> 32, (a >> 16) & 0xffff, a & 0xfff,
                           0x8000 | ((b >> 48) & 0x3fff), b & 0xffffffffffffULL);
    }

    /// One record, as W10's sample: session, customer, place, credit limit and
    /// 1-6 browsed items (product codes may repeat, as a shopper comes back).
    std::string record(const std::string& session) {
        const Place& place = places[pick(places.size())];
        std::string json = fmt::format(
            R"({{"session_id": "{}", "customer_number": {}, "city": "{}", "country": "{}", "credit_limit": {}, )"
            R"("browse_history": [)",
            session, 100 + pick(99900), place.cities[pick(place.cities.size())], place.country,
            1000 * (1 + pick(20)));
        const std::size_t items = 1 + pick(6);
        for (std::size_t i = 0; i < items; ++i) {
            json += fmt::format(R"({}{{"product_code": "Product{}", "quantity": {}, "in_shopping_cart": {}}})",
                                i == 0 ? "" : ", ", 1 + pick(10), 1 + pick(5), pick(2) == 1 ? "true" : "false");
        }
        return json + "]}";
    }

    std::chrono::milliseconds gap(std::chrono::milliseconds mean) {
        if (mean.count() == 0) return mean;
        std::exponential_distribution<double> distribution(1.0 / static_cast<double>(mean.count()));
        return std::chrono::milliseconds(static_cast<long long>(distribution(rng_)));
    }

private:
    std::size_t pick(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng_); }

    std::mt19937_64 rng_;
};

struct Options {
    std::string stream;
    int shards = 1;
    bool create = true;
    long long count = 0;
    std::chrono::milliseconds mean_gap{};
    std::uint64_t seed = 0;
    long long invalid_every = 0;
};

int run(const kinesis::ClientConfig& config, const Options& options) {
    kinesis::Stream stream(config, options.stream);
    if (options.create) {
        kinesis::EnsureOptions ensure;
        ensure.shard_count = options.shards;
        ensure.waiter = {std::chrono::seconds(1), 300};
        auto summary = stream.ensure(ensure);
        if (!summary) return examples::fail(program, summary.error());
        fmt::print(stderr, "{}: stream {} is {} with {} open shard{}\n", program, options.stream,
                   kinesis::to_string(summary->stream_status), summary->open_shard_count,
                   summary->open_shard_count == 1 ? "" : "s");
    }
    fmt::print(stderr, "{}: seed {}\n", program, options.seed);

    RecordGenerator generator(options.seed);
    long long sent = 0;
    long long failed = 0;
    for (long long n = 1; (options.count == 0 || n <= options.count) && !examples::stop_requested(); ++n) {
        if (n > 1) examples::sleep_unless_stopped(generator.gap(options.mean_gap));
        if (examples::stop_requested()) break;
        const std::string session = generator.session_id();
        std::string data = generator.record(session);
        const bool invalid = options.invalid_every > 0 && n % options.invalid_every == 0;
        // Cut in the middle of the browse history: not JSON, yet plausible bytes.
        if (invalid) data.resize(data.find("\"browse_history\""));
        auto put = stream.put_record(data, session);
        if (!put) {
            ++failed;
            fmt::print(stderr, "{}: error putting record {} (partition key {}): {}\n", program, n, session,
                       examples::one_line(put.error()));
            continue;
        }
        ++sent;
        fmt::print("{} sent to shard {} with sequence number {} (partition key {}): {}\n",
                   invalid ? "Invalid record" : "Record", put->shard_id, put->sequence_number, session, data);
        std::fflush(stdout);
    }
    fmt::print(stderr, "{}: {} record{} sent, {} failed{}\n", program, sent, sent == 1 ? "" : "s", failed,
               examples::stop_requested() ? " (stopped by signal)" : "");
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1", {"no-create"}},
        [&](examples::Flags& flags) {
            options.stream = flags.get("stream", "de-c2w2lab1-kinesis-data-stream");
            options.shards = static_cast<int>(flags.get_int("shards", 1, 1, 10000));
            options.create = !flags.has("no-create");
            options.count = flags.get_int("count", 0, 0, 1LL << 62);
            options.mean_gap = flags.get_seconds("mean-gap", std::chrono::seconds(10));
            if (auto seed = flags.get_int("seed", 0, (1LL << 62))) {
                options.seed = static_cast<std::uint64_t>(*seed);
            } else {
                options.seed = std::random_device{}();
            }
            options.invalid_every = flags.get_int("invalid-every", 0, 1, 1LL << 62);
        },
        [&](const kinesis::ClientConfig& config) {
            examples::catch_stop_signals();
            return run(config, options);
        });
}
