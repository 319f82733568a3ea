// SPDX-License-Identifier: Apache-2.0
// Producer against moto and kinesis-mock: what is put is what a reader gets back.
#include <kinesis/kinesis.hpp>
#include <kinesis/producer.hpp>

#include "integration/endpoints.hpp"
#include "integration/producer_support.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <set>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace {

using kinesis_test::fast_waiter;
using kinesis_test::kinesis_config;
using kinesis_test::kinesis_endpoints;
using kinesis_test::KeyData;
using kinesis_test::make_stream;
using kinesis_test::minus;
using kinesis_test::multiset_of;
using kinesis_test::producer_config;
using kinesis_test::ReadShard;
using kinesis_test::unique_name;
using namespace std::chrono_literals;

std::string random_bytes(std::mt19937_64& rng, std::size_t size) {
    std::string bytes(size, '\0');
    for (auto& c : bytes) c = static_cast<char>(rng() & 0xff);
    return bytes;
}

std::size_t total_records(const std::vector<ReadShard>& shards) {
    std::size_t total = 0;
    for (const auto& shard : shards) total += shard.records.size();
    return total;
}

/// The stream read back from the endpoint itself: at least `expected` user records.
std::vector<ReadShard> read_back_at_least(const kinesis_test::KinesisEndpoint& endpoint, const std::string& stream,
                                          std::size_t expected) {
    auto shards = kinesis_test::read_back(endpoint, endpoint.url, stream);
    CHECK(total_records(shards) >= expected);
    return shards;
}

struct Tally {
    std::mutex mutex;
    std::size_t written = 0;
    std::size_t failed = 0;
    std::size_t resolved = 0;
    std::map<std::string, std::size_t> failures;
    void add(const kinesis::PutOutcome& outcome) {
        std::lock_guard<std::mutex> lock(mutex);
        ++resolved;
        if (outcome) {
            ++written;
        } else {
            ++failed;
            ++failures[outcome.error().code];
        }
    }
};

}  // namespace

TEST_CASE("Producer: 100,000 aggregated records into 4 shards read back as the same multiset, 50x fewer entries") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const std::string name = unique_name("producer-100k");
        auto stream = make_stream(endpoint, name, 4);
        std::mt19937_64 rng(20261202);
        std::multiset<KeyData> put;
        std::vector<KeyData> records;
        std::vector<char> may_be_duplicated(100000, 0);
        Tally tally;
        kinesis::ProducerMetrics metrics;
        {
            auto config = producer_config(endpoint);
            // kinesis-mock takes seconds over a 5 MiB PutRecords; a call that
            // times out is sent again and may be written twice (at least once).
            config.request_timeout = 60s;
            kinesis::Producer producer(name, config);
            for (int i = 0; i < 100000; ++i) {
                std::string key = "key-" + std::to_string(rng() % 100000);
                std::string data = random_bytes(rng, 100);
                put.emplace(key, data);
                records.emplace_back(key, data);
                auto queued = producer.put(data, key, std::nullopt, [&, i](const kinesis::PutOutcome& o) {
                    if (o.may_be_duplicated()) may_be_duplicated[static_cast<std::size_t>(i)] = 1;
                    tally.add(o);
                });
                REQUIRE_MESSAGE(queued, queued.error().to_string());
            }
            auto flushed = producer.flush(60s).wait();
            CHECK(flushed.complete);
            metrics = producer.metrics();
        }
        CHECK(tally.resolved == 100000);
        CHECK(tally.written == 100000);
        CHECK(tally.failures.empty());
        CHECK(metrics.user_records_put == 100000);
        CHECK(metrics.user_records_pending == 0);
        // 100-byte records in 50 KiB aggregates: far fewer Kinesis records than user records.
        CHECK(metrics.kinesis_records_put * 50 <= 100000);
        INFO("kinesis records: " << metrics.kinesis_records_put << ", calls: " << metrics.put_records_calls
                                 << ", retries: " << metrics.retries << ", errors: " << metrics.all_errors
                                 << ", request ms max: " << metrics.request_time_ms.max);
        for (const auto& [code, n] : metrics.errors_by_code) INFO(code << ": " << n);

        const auto shards = read_back_at_least(endpoint, name, 100000);
        const auto got = multiset_of(shards);
        auto shard_map = stream.shard_map();
        REQUIRE(shard_map);
        for (const auto& shard : shards) {
            for (const auto& record : shard.records) {
                // A KCL reader drops user records outside its shard's range: none may be.
                const kinesis::Shard* owner = shard_map->shard_for_partition_key(record.partition_key);
                REQUIRE(owner != nullptr);
                CHECK(owner->shard_id == shard.shard.shard_id);
            }
        }
        const auto extra = minus(got, put);
        CHECK(minus(put, got).empty());
        // Twice in the stream only what the producer said may be there twice.
        std::set<KeyData> allowed;
        for (std::size_t i = 0; i < records.size(); ++i) {
            if (may_be_duplicated[i]) allowed.insert(records[i]);
        }
        for (const auto& record : extra) CHECK(allowed.count(record) == 1);
        INFO("read back " << got.size() << ", extra " << extra.size() << ", flagged " << allowed.size());
        CHECK(extra.size() <= allowed.size() * 2);
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Producer: without aggregation every record is its own Kinesis record, outcomes name shard and sequence") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const std::string name = unique_name("producer-raw");
        auto stream = make_stream(endpoint, name, 2);
        auto config = producer_config(endpoint);
        config.aggregation = false;
        // One attempt per record is asserted: a call that kinesis-mock, loaded by the
        // other tests, answers after the 6 s default would be sent again (seen under ASan on a loaded machine).
        config.request_timeout = 60s;
        std::vector<kinesis::PutHandle> handles;
        std::vector<std::string> keys;
        kinesis::ProducerMetrics metrics;
        {
            kinesis::Producer producer(name, config);
            for (int i = 0; i < 2000; ++i) {
                keys.push_back("k" + std::to_string(i));
                auto handle = producer.put("payload-" + std::to_string(i), keys.back());
                REQUIRE(handle);
                handles.push_back(*handle);
            }
            CHECK(producer.flush(30s).wait().complete);
            metrics = producer.metrics();
        }
        auto map = stream.shard_map();
        REQUIRE(map);
        for (std::size_t i = 0; i < handles.size(); ++i) {
            const auto& outcome = handles[i].get();
            REQUIRE_MESSAGE(outcome.ok(), outcome.error().to_string());
            CHECK(!outcome.sub_sequence_number());
            CHECK(!outcome.sequence_number().empty());
            CHECK(outcome.shard_id() == map->shard_for_partition_key(keys[i])->shard_id);
            CHECK_MESSAGE(outcome.attempt_count() == 1, outcome.attempts().front().error_code, ": ",
                          outcome.attempts().front().error_message);
            CHECK(outcome.attempts().front().succeeded());
        }
        CHECK(metrics.kinesis_records_put == 2000);
        const auto shards = read_back_at_least(endpoint, name, 2000);
        for (const auto& shard : shards) {
            for (const auto& record : shard.records) CHECK(!record.aggregated);
        }
        CHECK(total_records(shards) == 2000);
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Producer: aggregated outcomes carry sub-sequence numbers, and explicit hash keys choose the shard") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const std::string name = unique_name("producer-ehk");
        auto stream = make_stream(endpoint, name, 4);
        auto map = stream.shard_map();
        REQUIRE(map);
        REQUIRE(map->size() == 4);
        std::vector<kinesis::PutHandle> handles;
        std::vector<std::string> expected_shard;
        {
            kinesis::Producer producer(name, producer_config(endpoint));
            for (int i = 0; i < 400; ++i) {
                const auto& shard = map->shards()[static_cast<std::size_t>(i % 4)];
                std::string ehk = shard.hash_key_range.starting_hash_key;
                expected_shard.push_back(shard.shard_id);
                auto handle = producer.put("v" + std::to_string(i), "same-key", ehk);
                REQUIRE(handle);
                handles.push_back(*handle);
            }
            CHECK(producer.flush(30s).wait().complete);
        }
        std::map<std::string, std::vector<std::uint64_t>> subs;
        for (std::size_t i = 0; i < handles.size(); ++i) {
            const auto& outcome = handles[i].get();
            REQUIRE_MESSAGE(outcome.ok(), outcome.error().to_string());
            CHECK(outcome.shard_id() == expected_shard[i]);
            REQUIRE(outcome.sub_sequence_number());
            subs[outcome.shard_id() + "/" + outcome.sequence_number()].push_back(*outcome.sub_sequence_number());
        }
        // Within one aggregate the sub-sequence numbers are 0..n-1 in put order.
        for (const auto& [sequence, numbers] : subs) {
            for (std::size_t k = 0; k < numbers.size(); ++k) CHECK(numbers[k] == k);
        }
        for (const auto& shard : read_back_at_least(endpoint, name, 400)) {
            for (const auto& record : shard.records) {
                REQUIRE(record.explicit_hash_key);
                CHECK(map->shard_for_hash_key(*kinesis::UInt128::from_decimal(*record.explicit_hash_key))->shard_id ==
                      shard.shard.shard_id);
            }
        }
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Producer: with max_in_flight_per_shard 1 each shard holds its records in put order") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const std::string name = unique_name("producer-order");
        auto stream = make_stream(endpoint, name, 2);
        auto config = producer_config(endpoint);
        config.max_in_flight_per_shard = 1;
        config.aggregation_max_bytes = 2048;  // many aggregates, many calls
        config.collection_max_count = 20;
        {
            kinesis::Producer producer(name, config);
            for (int i = 0; i < 5000; ++i) {
                auto queued = producer.put(std::to_string(i), "k" + std::to_string(i % 7), std::nullopt,
                                           [](const kinesis::PutOutcome&) {});
                REQUIRE(queued);
            }
            CHECK(producer.flush(60s).wait().complete);
        }
        const auto shards = read_back_at_least(endpoint, name, 5000);
        for (const auto& shard : shards) {
            CAPTURE(shard.shard.shard_id);
            int last = -1;
            for (const auto& record : shard.records) {
                const int value = std::stoi(record.data);
                CHECK(value > last);
                last = value;
            }
        }
        CHECK(total_records(shards) == 5000);
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Producer: bad input fails in put() with the field, the limit and the size, and nothing is queued") {
    auto config = producer_config(kinesis_endpoints().front());
    kinesis::Producer producer(unique_name("producer-bad-input"), config);

    auto empty_key = producer.put("x", "");
    REQUIRE(!empty_key);
    CHECK(empty_key.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(empty_key.error().message == "Producer::put: partition_key is empty; it must have 1 to 256 characters");

    auto long_key = producer.put("x", std::string(300, 'k'));
    REQUIRE(!long_key);
    CHECK(long_key.error().message == "Producer::put: partition_key has 300 characters; the limit is 256");

    auto bad_ehk = producer.put("x", "k", std::string("-1"));
    REQUIRE(!bad_ehk);
    CHECK(bad_ehk.error().message.find("explicit_hash_key") != std::string::npos);

    auto too_large = producer.put(std::string(1024 * 1024, 'd'), "k");
    REQUIRE(!too_large);
    CHECK(too_large.error().message == "Producer::put: data plus partition_key is 1048577 bytes; the limit is 1048576");

    CHECK(producer.metrics().user_records_received == 0);
}

TEST_CASE("Producer: a bad configuration throws, naming the field") {
    kinesis::ProducerConfig config;
    config.collection_max_count = 501;
    CHECK_THROWS_WITH_AS(kinesis::Producer("s", config),
                         "InvalidArgument: Producer: collection_max_count is 501; it must be 1 to 500",
                         kinesis::Exception);
    config = {};
    config.max_shard_share = 0;
    CHECK_THROWS_AS(kinesis::Producer("s", config), kinesis::Exception);
    CHECK_THROWS_AS(kinesis::Producer("bad name!", kinesis::ProducerConfig{}), kinesis::Exception);
}

TEST_CASE("Producer: with the endpoint down every record fails at its TTL, flush keeps its deadline") {
    kinesis::ProducerConfig config;
    config.client = kinesis_config({"closed", "http://127.0.0.1:9"});
    config.client.connect_timeout = 200ms;
    config.record_ttl = 700ms;
    config.shard_map_retry_first = 50ms;
    config.shard_map_retry_max = 100ms;
    Tally tally;
    {
        kinesis::Producer producer("nowhere", config);
        for (int i = 0; i < 100; ++i) {
            REQUIRE(producer.put("d", "k" + std::to_string(i), std::nullopt,
                                 [&](const kinesis::PutOutcome& o) { tally.add(o); }));
        }
        const auto short_flush = producer.flush(100ms).wait();
        CHECK(!short_flush.complete);
        CHECK(short_flush.outstanding == 100);
        const auto long_flush = producer.flush(10s).wait();
        CHECK(long_flush.complete);
        const auto metrics = producer.metrics();
        CHECK(metrics.user_records_failed == 100);
        CHECK(metrics.errors_by_code.count("Transport") == 1);  // the failed ListShards calls
    }
    CHECK(tally.resolved == 100);
    CHECK(tally.failed == 100);
    CHECK(tally.failures["Expired"] == 100);
}

TEST_CASE("Producer: the destructor fails what it cannot flush with ProducerShutdown, every record once") {
    kinesis::ProducerConfig config;
    config.client = kinesis_config({"closed", "http://127.0.0.1:9"});
    config.client.connect_timeout = 200ms;
    config.shutdown_timeout = 200ms;
    Tally tally;
    const auto start = std::chrono::steady_clock::now();
    {
        kinesis::Producer producer("nowhere", config);
        for (int i = 0; i < 1000; ++i) {
            REQUIRE(producer.put("d", "k", std::nullopt, [&](const kinesis::PutOutcome& o) { tally.add(o); }));
        }
    }
    CHECK(std::chrono::steady_clock::now() - start < 10s);  // the deadline holds; no hang
    CHECK(tally.resolved == 1000);
    CHECK(tally.failures["ProducerShutdown"] == 1000);
}

TEST_CASE("Producer: a full buffer blocks put() up to put_timeout, or fails at once, with BufferFull") {
    kinesis::ProducerConfig config;
    config.client = kinesis_config({"closed", "http://127.0.0.1:9"});
    config.client.connect_timeout = 200ms;
    config.buffer_max_bytes = 64 * 1024;
    config.put_timeout = 150ms;
    config.shutdown_timeout = 10ms;
    for (auto mode : {kinesis::WhenBufferFull::Block, kinesis::WhenBufferFull::Fail}) {
        config.when_buffer_full = mode;
        kinesis::Producer producer("nowhere", config);
        std::size_t accepted = 0;
        kinesis::Result<void> last;
        const auto start = std::chrono::steady_clock::now();
        for (int i = 0; i < 1000; ++i) {
            last = producer.put(std::string(1000, 'x'), "k", std::nullopt, [](const kinesis::PutOutcome&) {});
            if (!last) break;
            ++accepted;
        }
        const auto waited = std::chrono::steady_clock::now() - start;
        REQUIRE(!last);
        CHECK(last.error().code == "BufferFull");
        // A 1,001-byte record holds about 2.7 KiB of the buffer: its bytes, its
        // share of the request body it goes out in (base64, 4/3 of them) and its
        // state; and 1.1 KiB more until the I/O thread has taken it from the inbox.
        CHECK(accepted >= 15);
        CHECK(accepted < 24);
        if (mode == kinesis::WhenBufferFull::Block) {
            CHECK(waited >= 150ms);
        }
        CHECK(producer.metrics().outstanding_bytes <= config.buffer_max_bytes);
    }
}

TEST_CASE("Producer: many threads put at once and every record resolves once") {
    const auto endpoint = kinesis_endpoints().back();  // kinesis-mock
    const std::string name = unique_name("producer-threads");
    auto stream = make_stream(endpoint, name, 2);
    Tally tally;
    std::atomic<int> rejected{0};
    {
        kinesis::Producer producer(name, producer_config(endpoint));
        std::vector<std::thread> threads;
        for (int t = 0; t < 8; ++t) {
            threads.emplace_back([&, t] {
                for (int i = 0; i < 2000; ++i) {
                    auto queued = producer.put(std::to_string(t) + ":" + std::to_string(i), "t" + std::to_string(t) + std::to_string(i),
                                               std::nullopt, [&](const kinesis::PutOutcome& o) { tally.add(o); });
                    if (!queued) ++rejected;
                }
            });
        }
        for (auto& thread : threads) thread.join();
        CHECK(producer.flush(60s).wait().complete);
    }
    CHECK(rejected == 0);
    CHECK(tally.resolved == 16000);
    CHECK(tally.written == 16000);
    CHECK(total_records(read_back_at_least(endpoint, name, 16000)) == 16000);
    CHECK(stream.remove(false, fast_waiter));
}
