// SPDX-License-Identifier: Apache-2.0
// The Consumer's pure parts: checkpoint rules, sequence order, the shard-sync plan, config checks.
#include <kinesis/consumer.hpp>

#include <doctest/doctest.h>

#include <unistd.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

using kinesis::ExtendedSequenceNumber;
using kinesis::InitialPosition;
using kinesis::Lease;
using kinesis::Shard;

namespace {

Shard shard(std::string id, std::optional<std::string> parent = std::nullopt,
            std::optional<std::string> adjacent = std::nullopt, bool open = true) {
    Shard s;
    s.shard_id = std::move(id);
    s.parent_shard_id = std::move(parent);
    s.adjacent_parent_shard_id = std::move(adjacent);
    s.hash_key_range = {"0", "100"};
    s.sequence_number_range.starting_sequence_number = "1";
    if (!open) s.sequence_number_range.ending_sequence_number = "9";
    return s;
}

Lease lease(std::string key, ExtendedSequenceNumber checkpoint = ExtendedSequenceNumber::trim_horizon()) {
    Lease l;
    l.lease_key = std::move(key);
    l.checkpoint = std::move(checkpoint);
    return l;
}

std::vector<std::string> keys(const std::vector<Lease>& leases) {
    std::vector<std::string> out;
    for (const auto& l : leases) out.push_back(l.lease_key + "@" + l.checkpoint.sequence_number);
    return out;
}

const std::string seq_a = "49590338271490256608559692538361571095921575989136588898";
const std::string seq_b = "49590338271490256608559692540925702759324208523137515618";

}  // namespace

TEST_CASE("Sequence numbers compare as numbers, then sub-sequence numbers") {
    using kinesis::detail::compare;
    using kinesis::detail::compare_sequence_numbers;
    CHECK(compare_sequence_numbers("9", "10") < 0);
    CHECK(compare_sequence_numbers("10", "9") > 0);
    CHECK(compare_sequence_numbers(seq_a, seq_b) < 0);
    CHECK(compare_sequence_numbers(seq_b, seq_b) == 0);
    CHECK(compare({seq_a, 3}, {seq_a, 4}) < 0);
    CHECK(compare({seq_a, 4}, {seq_a, 4}) == 0);
    CHECK(compare({seq_b, 0}, {seq_a, 99}) > 0);
    CHECK(kinesis::detail::is_decimal_sequence_number("0"));
    CHECK(kinesis::detail::is_decimal_sequence_number(seq_a));
    CHECK_FALSE(kinesis::detail::is_decimal_sequence_number(""));
    CHECK_FALSE(kinesis::detail::is_decimal_sequence_number("012"));
    CHECK_FALSE(kinesis::detail::is_decimal_sequence_number("12a"));
    CHECK_FALSE(kinesis::detail::is_decimal_sequence_number("TRIM_HORIZON"));
    CHECK_FALSE(kinesis::detail::is_decimal_sequence_number(std::string(129, '1')));
}

TEST_CASE("A checkpoint must lie between the last checkpoint and the last delivered record") {
    using kinesis::detail::check_checkpoint;
    const ExtendedSequenceNumber start = ExtendedSequenceNumber::trim_horizon();
    const std::optional<ExtendedSequenceNumber> delivered = ExtendedSequenceNumber{seq_b, 2};

    CHECK(check_checkpoint({seq_b, 2}, start, delivered));
    CHECK(check_checkpoint({seq_b, 0}, start, delivered));
    CHECK(check_checkpoint({seq_a, 7}, start, delivered));
    CHECK(check_checkpoint({seq_a, 7}, {seq_a, 7}, delivered));  // the same again is no regression

    auto beyond = check_checkpoint({seq_b, 3}, start, delivered);
    REQUIRE_FALSE(beyond);
    CHECK(beyond.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(beyond.error().message.find("after the last delivered record") != std::string::npos);
    CHECK(beyond.error().message.find(seq_b) != std::string::npos);

    auto backwards = check_checkpoint({seq_a, 1}, {seq_a, 2}, delivered);
    REQUIRE_FALSE(backwards);
    CHECK(backwards.error().message.find("before the last checkpoint") != std::string::npos);

    auto nothing_yet = check_checkpoint({seq_a, 0}, start, std::nullopt);
    REQUIRE_FALSE(nothing_yet);
    CHECK(nothing_yet.error().message.find("none delivered yet") != std::string::npos);

    auto sentinel = check_checkpoint(ExtendedSequenceNumber::latest(), start, delivered);
    REQUIRE_FALSE(sentinel);
    CHECK(sentinel.error().message.find("decimal digits or SHARD_END") != std::string::npos);

    // SHARD_END only once the shard was read to its end.
    CHECK_FALSE(check_checkpoint(ExtendedSequenceNumber::shard_end(), start, delivered));
    CHECK(check_checkpoint(ExtendedSequenceNumber::shard_end(), {seq_a, 0}, ExtendedSequenceNumber::shard_end()));
    // Inside shard_ended any delivered record may still be checkpointed, but nothing after SHARD_END.
    CHECK(check_checkpoint({seq_b, 2}, {seq_a, 0}, ExtendedSequenceNumber::shard_end()));
    CHECK_FALSE(check_checkpoint({seq_b, 2}, ExtendedSequenceNumber::shard_end(), ExtendedSequenceNumber::shard_end()));
}

TEST_CASE("Shard sync: a new stream gets a lease per shard at the initial position") {
    const std::vector<Shard> shards{shard("s0"), shard("s1"), shard("s2")};
    auto planned = kinesis::plan_new_leases(shards, {}, InitialPosition::TrimHorizon);
    CHECK(keys(planned) == std::vector<std::string>{"s0@TRIM_HORIZON", "s1@TRIM_HORIZON", "s2@TRIM_HORIZON"});
    CHECK(keys(kinesis::plan_new_leases(shards, {}, InitialPosition::Latest)) ==
          std::vector<std::string>{"s0@LATEST", "s1@LATEST", "s2@LATEST"});
    REQUIRE(planned[0].hash_key_range);
    CHECK(planned[0].hash_key_range->ending_hash_key == "100");
    CHECK(!planned[0].lease_owner);
    CHECK(planned[0].lease_counter == 0);
    // Leases already there are left alone.
    CHECK(keys(kinesis::plan_new_leases(shards, {lease("s1")}, InitialPosition::TrimHorizon)) ==
          std::vector<std::string>{"s0@TRIM_HORIZON", "s2@TRIM_HORIZON"});
}

TEST_CASE("Shard sync: children start at TRIM_HORIZON after a leased parent, and finished lineages stay finished") {
    // s0 split into s1 and s2; s1 and s2 merged into s3.
    const std::vector<Shard> shards{shard("s0", {}, {}, false), shard("s1", "s0", {}, false),
                                    shard("s2", "s0", {}, false), shard("s3", "s1", "s2")};
    auto fresh = kinesis::plan_new_leases(shards, {}, InitialPosition::AtTimestamp);
    CHECK(keys(fresh) ==
          std::vector<std::string>{"s0@AT_TIMESTAMP", "s1@TRIM_HORIZON", "s2@TRIM_HORIZON", "s3@TRIM_HORIZON"});
    CHECK(fresh[3].parent_shard_ids == std::vector<std::string>{"s1", "s2"});

    // With LATEST the closed shards get none, and the open child starts at LATEST.
    CHECK(keys(kinesis::plan_new_leases(shards, {}, InitialPosition::Latest)) ==
          std::vector<std::string>{"s3@LATEST"});

    // s0's lease was deleted once s1 and s2 had begun: s0 is not read again.
    CHECK(keys(kinesis::plan_new_leases(shards, {lease("s1", {seq_a, 0}), lease("s2")},
                                        InitialPosition::TrimHorizon)) == std::vector<std::string>{"s3@TRIM_HORIZON"});
    // Only the grandchild is left: no ancestor comes back.
    CHECK(kinesis::plan_new_leases(shards, {lease("s3", {seq_b, 0})}, InitialPosition::TrimHorizon).empty());
    // A row that is not a lease counts for nothing.
    Lease migration = lease("s3");
    migration.entity_type = "MIGRATION";
    CHECK(kinesis::plan_new_leases(shards, {migration}, InitialPosition::TrimHorizon).size() == 4);
}

TEST_CASE("ConsumerConfig is checked before anything starts, naming the field") {
    kinesis::ConsumerConfig config;
    CHECK(kinesis::validate(config));

    config.initial_position = InitialPosition::AtTimestamp;
    auto no_time = kinesis::validate(config);
    REQUIRE_FALSE(no_time);
    CHECK(no_time.error().message.find("initial_timestamp") != std::string::npos);

    config = {};
    config.max_prefetch_batches = 0;
    auto no_batches = kinesis::validate(config);
    REQUIRE_FALSE(no_batches);
    CHECK(no_batches.error().message.find("max_prefetch_batches") != std::string::npos);

    config = {};
    config.lease.failover_time = std::chrono::milliseconds(50);
    CHECK_FALSE(kinesis::validate(config));

    config = {};
    config.shard_sync_interval = std::chrono::milliseconds(0);
    auto sync = kinesis::validate(config);
    REQUIRE_FALSE(sync);
    CHECK(sync.error().message.find("shard_sync_interval") != std::string::npos);

    config = {};
    config.reader.limit = 20000;
    CHECK_FALSE(kinesis::validate(config));

    // The Consumer refuses the same before it runs anything.
    auto store = std::make_shared<kinesis::InMemoryLeaseStore>();
    kinesis::ConsumerConfig bad;
    bad.client.region = "us-east-1";
    bad.max_prefetch_batches = 0;
    auto factory = []() -> std::unique_ptr<kinesis::RecordProcessor> { return nullptr; };
    CHECK_THROWS_AS(kinesis::Consumer("s", store, factory, bad), kinesis::Exception);
    kinesis::ConsumerConfig good;
    good.client.region = "us-east-1";
    CHECK_THROWS_AS(kinesis::Consumer("s", nullptr, factory, good), kinesis::Exception);
    CHECK_THROWS_AS(kinesis::Consumer("s", store, nullptr, good), kinesis::Exception);
    CHECK_THROWS_AS(kinesis::Consumer("", store, factory, good), kinesis::Exception);
}

TEST_CASE("The default worker id is the host name and the process id") {
    const std::string id = kinesis::default_worker_id();
    const auto colon = id.rfind(':');
    REQUIRE(colon != std::string::npos);
    CHECK(colon > 0);
    CHECK(id.substr(colon + 1) == std::to_string(::getpid()));
}
