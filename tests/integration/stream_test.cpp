// SPDX-License-Identifier: Apache-2.0
// Stream and the shard map against moto and kinesis-mock.
#include <kinesis/streams/stream.hpp>

#include <kinesis/auth/credentials.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

namespace {

using kinesis_test::fast_waiter;
using kinesis_test::unique_name;
using kinesis_test::kinesis_config;
using kinesis_test::kinesis_endpoints;
using Endpoint = kinesis_test::KinesisEndpoint;


using namespace std::chrono_literals;


kinesis::EnsureOptions shards(int count) {
    kinesis::EnsureOptions options;
    options.shard_count = count;
    options.waiter = fast_waiter;
    return options;
}

template <class T>
std::string error_text(const kinesis::Result<T>& result) {
    return result ? std::string() : result.error().to_string();
}

// A partition key of 1-40 characters mixing ASCII and 2-, 3- and 4-byte UTF-8.
std::string random_partition_key(std::mt19937& rng) {
    static const std::vector<std::string> alphabet = {
        "a", "b", "z", "A", "Q", "0", "7", "-", "_", ".", " ", "\xc3\xa9" /* é */, "\xc3\xbc" /* ü */,
        "\xe2\x82\xac" /* € */, "\xe6\x97\xa5" /* 日 */, "\xf0\x9f\x98\x80" /* 😀 */};
    std::uniform_int_distribution<int> length(1, 40);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::string key;
    const int n = length(rng);
    for (int i = 0; i < n; ++i) key += alphabet[pick(rng)];
    return key;
}

}  // namespace

TEST_CASE("Stream::ensure creates a missing stream, waits until ACTIVE, and accepts an existing one") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-ensure"));
        auto created = stream.ensure(shards(2));
        REQUIRE_MESSAGE(created, error_text(created));
        CHECK(created->stream_status == kinesis::StreamStatus::Active);
        CHECK(created->open_shard_count == 2);
        CHECK(created->stream_name == stream.ref().name);
        CHECK_FALSE(created->stream_arn.empty());

        // Existing: CreateStream answers ResourceInUseException; the stream keeps its 2 shards.
        auto again = stream.ensure(shards(5));
        REQUIRE_MESSAGE(again, error_text(again));
        CHECK(again->stream_status == kinesis::StreamStatus::Active);
        CHECK(again->open_shard_count == 2);

        // The same stream by ARN, over the first handle's client.
        kinesis::Stream by_arn(stream.shared_client(), created->stream_arn);
        CHECK(by_arn.ref().name.empty());
        auto through_arn = by_arn.ensure(shards(1));
        REQUIRE_MESSAGE(through_arn, error_text(through_arn));
        CHECK(through_arn->stream_name == stream.ref().name);
        CHECK(&by_arn.client() == &stream.client());

        auto removed = stream.remove(false, fast_waiter);
        CHECK_MESSAGE(removed, error_text(removed));
    }
}

TEST_CASE("Stream::ensure creates an on-demand stream") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-on-demand"));
        kinesis::EnsureOptions options;
        options.stream_mode = kinesis::StreamMode::OnDemand;
        options.waiter = fast_waiter;
        auto created = stream.ensure(options);
        REQUIRE_MESSAGE(created, error_text(created));
        CHECK(created->stream_status == kinesis::StreamStatus::Active);
        REQUIRE(created->stream_mode.has_value());
        CHECK(*created->stream_mode == kinesis::StreamMode::OnDemand);
        CHECK(created->open_shard_count >= 1);
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Stream::ensure of a stream named by an ARN that does not exist is ResourceNotFound") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const std::string arn = "arn:aws:kinesis:us-east-1:000000000000:stream/" + unique_name("k2-missing");
        kinesis::Stream stream(kinesis_config(endpoint), arn);
        auto result = stream.ensure(shards(1));
        REQUIRE_FALSE(result);
        CHECK(result.error().code == "ResourceNotFoundException");
    }
}

TEST_CASE("Stream::describe and shards() report every shard, whose ranges cover the whole key space") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-describe"));
        REQUIRE(stream.ensure(shards(3)));

        auto summary = stream.describe();
        REQUIRE_MESSAGE(summary, error_text(summary));
        CHECK(summary->open_shard_count == 3);
        CHECK(summary->retention_period_hours == 24);

        auto all = stream.shards();
        REQUIRE_MESSAGE(all, error_text(all));
        REQUIRE(all->size() == 3);
        auto map = stream.shard_map();
        REQUIRE_MESSAGE(map, error_text(map));
        REQUIRE(map->size() == 3);
        // Sorted ranges that start at 0, end at 2^128-1 and leave no gap.
        CHECK(map->shards().front().hash_key_range.starting_hash_key == "0");
        CHECK(map->shards().back().hash_key_range.ending_hash_key == kinesis::UInt128::max().to_decimal());
        for (std::size_t i = 1; i < map->size(); ++i) {
            auto previous_end = kinesis::UInt128::from_decimal(map->shards()[i - 1].hash_key_range.ending_hash_key);
            auto start = kinesis::UInt128::from_decimal(map->shards()[i].hash_key_range.starting_hash_key);
            REQUIRE(previous_end);
            REQUIRE(start);
            auto next = *previous_end;
            next.lo += 1;
            if (next.lo == 0) next.hi += 1;
            CHECK(next == *start);
        }
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Stream::put_record lands on the shard the shard map predicts, explicit hash key included") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-put"));
        REQUIRE(stream.ensure(shards(4)));
        auto map = stream.shard_map();
        REQUIRE_MESSAGE(map, error_text(map));

        auto put = stream.put_record("hello", "partition-key");
        REQUIRE_MESSAGE(put, error_text(put));
        CHECK_FALSE(put->sequence_number.empty());
        const kinesis::Shard* predicted = map->shard_for_partition_key("partition-key");
        REQUIRE(predicted != nullptr);
        CHECK(put->shard_id == predicted->shard_id);

        // The key "a" hashes into the first quarter; an explicit hash key of 2^127 sends it to the third.
        const std::string ehk = "170141183460469231731687303715884105728";
        auto explicit_put = stream.put_record("x", "a", ehk);
        REQUIRE_MESSAGE(explicit_put, error_text(explicit_put));
        const kinesis::Shard* by_ehk = map->shard_for_partition_key("a", std::optional<std::string_view>(ehk));
        REQUIRE(by_ehk != nullptr);
        CHECK(explicit_put->shard_id == by_ehk->shard_id);
        CHECK(explicit_put->shard_id != map->shard_for_partition_key("a")->shard_id);

        // Every entry of a batch gets a sequence number and the predicted shard.
        std::vector<std::string> keys = {"k-1", "k-2", "k-3"};
        std::vector<kinesis::PutRecordsRequestEntry> entries;
        for (const auto& key : keys) entries.push_back({"payload", key, {}});
        auto batch = stream.put_records(entries);
        REQUIRE_MESSAGE(batch, error_text(batch));
        CHECK(batch->failed_record_count == 0);
        REQUIRE(batch->records.size() == keys.size());
        for (std::size_t i = 0; i < keys.size(); ++i) {
            CAPTURE(keys[i]);
            CHECK(batch->records[i].ok());
            REQUIRE(batch->records[i].shard_id);
            CHECK(*batch->records[i].shard_id == map->shard_for_partition_key(keys[i])->shard_id);
        }
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("The predicted shard equals the server's ShardId for 1,000 random partition keys over 4 shards") {
    std::mt19937 rng(20261122);
    std::vector<std::string> keys;
    for (int i = 0; i < 1000; ++i) keys.push_back(random_partition_key(rng));
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-shard-map"));
        REQUIRE(stream.ensure(shards(4)));
        auto map = stream.shard_map();
        REQUIRE_MESSAGE(map, error_text(map));
        REQUIRE(map->size() == 4);

        int matched = 0;
        std::map<std::string, int> per_shard;
        for (std::size_t begin = 0; begin < keys.size(); begin += 500) {
            std::vector<kinesis::PutRecordsRequestEntry> entries;
            for (std::size_t i = begin; i < begin + 500 && i < keys.size(); ++i) {
                entries.push_back({keys[i], keys[i], {}});
            }
            auto batch = stream.put_records(std::move(entries));
            REQUIRE_MESSAGE(batch, error_text(batch));
            REQUIRE(batch->failed_record_count == 0);
            REQUIRE(batch->records.size() == std::min<std::size_t>(500, keys.size() - begin));
            for (std::size_t j = 0; j < batch->records.size(); ++j) {
                const std::string& key = keys[begin + j];
                const kinesis::Shard* predicted = map->shard_for_partition_key(key);
                REQUIRE(predicted != nullptr);
                REQUIRE(batch->records[j].shard_id);
                CAPTURE(key);
                CHECK(*batch->records[j].shard_id == predicted->shard_id);
                if (*batch->records[j].shard_id == predicted->shard_id) ++matched;
                ++per_shard[*batch->records[j].shard_id];
            }
        }
        CHECK(matched == 1000);
        // 1,000 uniform hashes over 4 equal ranges: each shard gets some.
        CHECK(per_shard.size() == 4);
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Stream::scale changes the number of open shards and the shard map follows") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-scale"));
        REQUIRE(stream.ensure(shards(2)));
        auto scaled = stream.scale(4, fast_waiter);
        REQUIRE_MESSAGE(scaled, error_text(scaled));
        CHECK(scaled->stream_status == kinesis::StreamStatus::Active);
        CHECK(scaled->open_shard_count == 4);

        auto map = stream.shard_map();
        REQUIRE_MESSAGE(map, error_text(map));
        CHECK(map->size() == 4);
        auto all = stream.shards();
        REQUIRE(all);
        // Both servers keep the two parents, closed, beside the four children.
        int closed = 0;
        for (const auto& shard : *all) closed += shard.is_open() ? 0 : 1;
        CHECK(all->size() == 6);
        CHECK(closed == 2);

        // kinesis-mock sends new records to the open child the map predicts.
        // moto (5.2) does not: its shard lookup walks every shard in creation
        // order, closed ones included, so a record goes to the closed parent
        // whose range holds the key. Both behaviours are checked as they are.
        for (const std::string key : {"alpha", "beta", "gamma", "delta", "epsilon"}) {
            CAPTURE(key);
            auto put = stream.put_record("after scaling", key);
            REQUIRE_MESSAGE(put, error_text(put));
            if (endpoint.name == "moto") {
                const kinesis::ShardMap parents(
                    [&] {
                        std::vector<kinesis::Shard> closed_parents;
                        for (auto shard : *all) {
                            if (shard.is_open()) continue;
                            shard.sequence_number_range.ending_sequence_number.reset();  // map them as if open
                            closed_parents.push_back(std::move(shard));
                        }
                        return closed_parents;
                    }());
                REQUIRE(parents.size() == 2);
                CHECK(put->shard_id == parents.shard_for_partition_key(key)->shard_id);
            } else {
                CHECK(put->shard_id == map->shard_for_partition_key(key)->shard_id);
            }
        }
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Stream::set_retention increases and decreases the retention period as needed") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-retention"));
        REQUIRE(stream.ensure(shards(1)));

        auto up = stream.set_retention(std::chrono::hours(72));
        REQUIRE_MESSAGE(up, error_text(up));
        CHECK(stream.describe()->retention_period_hours == 72);

        auto same = stream.set_retention(std::chrono::hours(72));
        CHECK_MESSAGE(same, error_text(same));
        CHECK(stream.describe()->retention_period_hours == 72);

        auto down = stream.set_retention(std::chrono::hours(48));
        REQUIRE_MESSAGE(down, error_text(down));
        CHECK(stream.describe()->retention_period_hours == 48);

        auto too_short = stream.set_retention(std::chrono::hours(23));
        REQUIRE_FALSE(too_short);
        CHECK(too_short.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(too_short.error().message == "set_retention: retention is 23 hours; the limit is 24 to 8760");
        CHECK_FALSE(stream.set_retention(std::chrono::hours(8761)));
        CHECK(stream.describe()->retention_period_hours == 48);
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Stream tags are added, listed and removed") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-tags"));
        REQUIRE(stream.ensure(shards(1)));

        auto none = stream.tags();
        REQUIRE_MESSAGE(none, error_text(none));
        CHECK(none->empty());

        auto added = stream.add_tags({{"team", "data"}, {"env", "test"}, {"cost-center", "42"}});
        REQUIRE_MESSAGE(added, error_text(added));
        auto listed = stream.tags();
        REQUIRE_MESSAGE(listed, error_text(listed));
        const std::map<std::string, std::string> expected = {{"team", "data"}, {"env", "test"}, {"cost-center", "42"}};
        CHECK(*listed == expected);

        auto removed = stream.remove_tags({"env"});
        REQUIRE_MESSAGE(removed, error_text(removed));
        listed = stream.tags();
        REQUIRE(listed);
        const std::map<std::string, std::string> left = {{"team", "data"}, {"cost-center", "42"}};
        CHECK(*listed == left);
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Stream::remove deletes the stream and waits until it is gone, and a second remove succeeds") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        kinesis::Stream stream(kinesis_config(endpoint), unique_name("k2-remove"));
        REQUIRE(stream.ensure(shards(1)));
        auto removed = stream.remove(false, fast_waiter);
        REQUIRE_MESSAGE(removed, error_text(removed));
        auto gone = stream.describe();
        REQUIRE_FALSE(gone);
        CHECK(gone.error().code == "ResourceNotFoundException");
        auto again = stream.remove(false, fast_waiter);
        CHECK_MESSAGE(again, error_text(again));
    }
}

TEST_CASE("Stream rejects bad input before sending: shard count, partition key, explicit hash key, null client") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const std::string name = unique_name("k2-bad-input");
        kinesis::Stream stream(kinesis_config(endpoint), name);

        auto no_shards = stream.ensure(shards(0));
        REQUIRE_FALSE(no_shards);
        CHECK(no_shards.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(no_shards.error().message.find("shard_count") != std::string::npos);
        // Nothing was created.
        auto missing = stream.describe();
        REQUIRE_FALSE(missing);
        CHECK(missing.error().code == "ResourceNotFoundException");

        auto empty_key = stream.put_record("data", "");
        REQUIRE_FALSE(empty_key);
        CHECK(empty_key.error().kind == kinesis::ErrorKind::InvalidArgument);
        auto long_key = stream.put_record("data", std::string(257, 'k'));
        REQUIRE_FALSE(long_key);
        CHECK(long_key.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(long_key.error().message.find("257") != std::string::npos);
        auto bad_ehk = stream.put_record("data", "key", std::string("340282366920938463463374607431768211456"));
        REQUIRE_FALSE(bad_ehk);
        CHECK(bad_ehk.error().kind == kinesis::ErrorKind::InvalidArgument);
        auto no_entries = stream.put_records({});
        REQUIRE_FALSE(no_entries);
        CHECK(no_entries.error().kind == kinesis::ErrorKind::InvalidArgument);
    }
    CHECK_THROWS_AS(kinesis::Stream(std::shared_ptr<kinesis::KinesisClient>(), "name"), kinesis::Exception);
}
