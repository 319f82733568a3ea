// SPDX-License-Identifier: Apache-2.0
// KPL aggregation: 100-byte records into 50 KiB aggregates, beside the floor of the bare protobuf
// writes and one MD5 per aggregate; and deaggregation of those aggregates.
#include "benchmark_main.hpp"

#include <kinesis/core/detail/crypto.hpp>
#include <kinesis/streams/aggregation.hpp>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace {

constexpr std::size_t record_count = 8192;
constexpr std::size_t data_size = 100;
constexpr std::size_t aggregate_limit = 50 * 1024;

struct Input {
    std::string partition_key;
    std::string data;
};

// `distinct` keys of 36 characters (a UUID's length) spread at random over the records.
std::vector<Input> inputs(std::size_t distinct) {
    std::mt19937_64 rng(42);
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < distinct; ++i) {
        std::string key(36, '-');
        for (auto& c : key) c = "0123456789abcdef"[rng() % 16];
        keys.push_back(std::move(key));
    }
    std::vector<Input> out;
    for (std::size_t i = 0; i < record_count; ++i) {
        Input input{keys[distinct == record_count ? i : rng() % distinct], std::string(data_size, '\0')};
        for (auto& c : input.data) c = static_cast<char>(rng());
        out.push_back(std::move(input));
    }
    return out;
}

// The Producer's loop: ask the size, finish when the next record would pass the limit, add.
void aggregate_kinesis(benchmark::State& state) {
    const auto records = inputs(static_cast<std::size_t>(state.range(0)));
    kinesis::Aggregator aggregator;
    std::string out;
    std::int64_t aggregates = 0;
    for (auto _ : state) {
        for (const auto& record : records) {
            if (aggregator.size_if_added(record.partition_key, std::nullopt, record.data.size()) > aggregate_limit) {
                aggregator.finish(out);
                benchmark::DoNotOptimize(out.data());
                ++aggregates;
            }
            aggregator.add(record.partition_key, std::nullopt, record.data);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * record_count));
    state.counters["aggregates"] = benchmark::Counter(static_cast<double>(aggregates), benchmark::Counter::kIsRate);
}

void write_varint(std::string& out, std::uint64_t value) {
    while (value >= 0x80) {
        out += static_cast<char>(static_cast<unsigned char>(value) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
}

// The floor: each Record written bare (key index 0, no table, no lookup), one MD5 per aggregate.
void aggregate_floor(benchmark::State& state) {
    const auto records = inputs(static_cast<std::size_t>(state.range(0)));
    kinesis::detail::Md5 md5;
    std::string body;
    body.reserve(aggregate_limit + 1024);
    std::int64_t aggregates = 0;
    for (auto _ : state) {
        for (const auto& record : records) {
            const std::size_t record_size = 2 + 1 + 1 + record.data.size();  // data < 128 bytes
            if (4 + body.size() + 2 + record_size + 16 > aggregate_limit) {
                benchmark::DoNotOptimize(md5.hash(body));
                body.clear();
                ++aggregates;
            }
            body += '\x1a';
            write_varint(body, record_size);
            body += '\x08';
            body += '\x00';
            body += '\x1a';
            write_varint(body, record.data.size());
            body.append(record.data);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * record_count));
    state.counters["aggregates"] = benchmark::Counter(static_cast<double>(aggregates), benchmark::Counter::kIsRate);
}

std::vector<std::string> aggregates(std::size_t distinct) {
    kinesis::Aggregator aggregator;
    std::vector<std::string> out;
    for (const auto& record : inputs(distinct)) {
        if (aggregator.size_if_added(record.partition_key, std::nullopt, record.data.size()) > aggregate_limit) {
            out.push_back(aggregator.finish());
        }
        aggregator.add(record.partition_key, std::nullopt, record.data);
    }
    out.push_back(aggregator.finish());
    return out;
}

void deaggregate_kinesis(benchmark::State& state) {
    const auto blobs = aggregates(static_cast<std::size_t>(state.range(0)));
    std::vector<kinesis::UserRecord> out;
    for (auto _ : state) {
        for (const auto& blob : blobs) {
            out.clear();
            kinesis::deaggregate(blob, "a", out);
            benchmark::DoNotOptimize(out.data());
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * record_count));
}

// The floor of a reader: the MD5 check alone.
void deaggregate_floor(benchmark::State& state) {
    const auto blobs = aggregates(static_cast<std::size_t>(state.range(0)));
    kinesis::detail::Md5 md5;
    for (auto _ : state) {
        for (const auto& blob : blobs) benchmark::DoNotOptimize(md5.hash(std::string_view(blob).substr(4, blob.size() - 20)));
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * record_count));
}

void key_counts(benchmark::internal::Benchmark* b) {
    b->Arg(record_count);  // every key new
    b->Arg(16);            // a few hot keys
    b->Unit(benchmark::kMicrosecond);
}

}  // namespace

BENCHMARK(aggregate_kinesis)->Name("aggregate/kinesis")->Apply(key_counts);
BENCHMARK(aggregate_floor)->Name("aggregate/floor")->Apply(key_counts);
BENCHMARK(deaggregate_kinesis)->Name("deaggregate/kinesis")->Apply(key_counts);
BENCHMARK(deaggregate_floor)->Name("deaggregate/floor")->Apply(key_counts);

int main(int argc, char** argv) {
    return kinesis_bench::run(argc, argv,
                              {{"aggregate/kinesis", "aggregate/floor"}, {"deaggregate/kinesis", "deaggregate/floor"}});
}
