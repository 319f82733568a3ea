// SPDX-License-Identifier: Apache-2.0
// KinesisClient against moto and kinesis-mock: every operation on both, noting
// where one of them lacks a behaviour and proving it on the other.
#include <kinesis/kinesis_client.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Endpoint {
    std::string name;
    std::string url;
};

std::vector<Endpoint> endpoints() {
    return {{"moto", kinesis_test::moto_endpoint()}, {"kinesis-mock", kinesis_test::kinesis_mock_endpoint()}};
}

kinesis::KinesisClient client_for(const Endpoint& endpoint, kinesis::KinesisLimits limits = {}) {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = endpoint.url;
    return kinesis::KinesisClient(config, limits);
}

// Unique per process and call, so tests (and reruns against a live server) never collide.
std::string unique_name(const std::string& prefix) {
    static std::atomic<int> counter{0};
    const auto now = std::chrono::steady_clock::now().time_since_epoch().count();
    return prefix + "-" + std::to_string(now % 1000000007) + "-" + std::to_string(counter.fetch_add(1));
}

const kinesis::WaiterConfig fast_waiter{std::chrono::milliseconds(200), 50};

template <class R>
void require_ok(const R& result) {
    REQUIRE_MESSAGE(result.has_value(), (result ? std::string() : result.error().to_string()));
}

/// Creates a provisioned stream and waits until it is ACTIVE.
kinesis::StreamDescription create_active(kinesis::KinesisClient& client, const std::string& name, int shards) {
    kinesis::CreateStreamRequest create;
    create.stream_name = name;
    create.shard_count = shards;
    require_ok(client.create_stream(create));
    auto active = client.wait_until_stream_exists(name, fast_waiter);
    require_ok(active);
    return *active;
}

void delete_and_wait(kinesis::KinesisClient& client, const kinesis::StreamRef& stream) {
    require_ok(client.delete_stream({stream, false}));
    require_ok(client.wait_until_stream_not_exists(stream, fast_waiter));
}

/// Reads a shard from TRIM_HORIZON until `count` records arrived (or 20 polls).
std::vector<kinesis::Record> read_shard(kinesis::KinesisClient& client, const kinesis::StreamRef& stream,
                                        const std::string& shard_id, std::size_t count) {
    kinesis::GetShardIteratorRequest request;
    request.stream = stream;
    request.shard_id = shard_id;
    request.shard_iterator_type = kinesis::ShardIteratorType::TrimHorizon;
    auto iterator = client.get_shard_iterator(request);
    require_ok(iterator);
    std::vector<kinesis::Record> records;
    std::optional<std::string> next = iterator->shard_iterator;
    for (int poll = 0; poll < 20 && next && records.size() < count; ++poll) {
        auto page = client.get_records({*next, 1000, std::nullopt});
        require_ok(page);
        for (auto& record : page->records) records.push_back(std::move(record));
        next = page->next_shard_iterator;
        if (records.size() < count) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return records;
}

std::string all_byte_values() {
    std::string bytes;
    for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
    return bytes;
}

}  // namespace

TEST_CASE("a stream is created, waited for, written, read back byte-identical and deleted on both endpoints") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto client = client_for(endpoint);
        const auto name = unique_name("k1-roundtrip");
        const auto active = create_active(client, name, 1);
        CHECK(active.stream_name == name);
        CHECK(active.stream_status == kinesis::StreamStatus::Active);
        REQUIRE(active.shards.size() == 1);
        const auto shard_id = active.shards[0].shard_id;

        const std::string binary = all_byte_values();
        kinesis::PutRecordRequest put;
        put.stream = name;
        put.data = binary;
        put.partition_key = "p\xC3\xA9-key";  // a non-ASCII key travels as UTF-8
        auto single = client.put_record(put);
        require_ok(single);
        CHECK(single->shard_id == shard_id);
        CHECK_FALSE(single->sequence_number.empty());

        const std::string json = R"({"a":1,"text":"line\nbreak"})";
        const std::string large(100 * 1024, 'z');
        kinesis::PutRecordsRequest batch;
        batch.stream = name;
        batch.records.push_back({json, "k1", std::nullopt});
        batch.records.push_back({large, "k2", std::nullopt});
        batch.records.push_back({std::string_view(binary).substr(250), "k3", std::string("7")});
        auto many = client.put_records(batch);
        require_ok(many);
        CHECK(many->failed_record_count == 0);
        REQUIRE(many->records.size() == 3);
        for (const auto& entry : many->records) {
            CHECK(entry.ok());
            CHECK(entry.shard_id == shard_id);
        }
        CHECK(kinesis::compare_sequence_numbers(single->sequence_number, *many->records[0].sequence_number) < 0);

        auto records = read_shard(client, name, shard_id, 4);
        REQUIRE(records.size() == 4);
        CHECK(records[0].data == binary);
        CHECK(records[0].partition_key == "p\xC3\xA9-key");
        CHECK(records[0].sequence_number == single->sequence_number);
        CHECK(records[1].data == json);
        CHECK(records[2].data == large);
        CHECK(records[3].data == binary.substr(250));
        CHECK(records[3].partition_key == "k3");
        for (std::size_t i = 1; i < 4; ++i) CHECK(records[i].sequence_number == many->records[i - 1].sequence_number);
        for (const auto& record : records) CHECK(record.approximate_arrival_timestamp.has_value());

        delete_and_wait(client, name);
        auto gone = client.describe_stream_summary(name);
        REQUIRE_FALSE(gone);
        CHECK(gone.error().code == "ResourceNotFoundException");
    }
}
