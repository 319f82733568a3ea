// SPDX-License-Identifier: Apache-2.0
#include <kinesis/streams/shard_map.hpp>

#include <doctest/doctest.h>
#include <simdjson.h>

#include <optional>
#include <string>
#include <vector>

namespace {

using kinesis::Shard;
using kinesis::ShardMap;
using kinesis::UInt128;

Shard make_shard(std::string id, std::string start, std::string end, bool open = true) {
    Shard shard;
    shard.shard_id = std::move(id);
    shard.hash_key_range.starting_hash_key = std::move(start);
    shard.hash_key_range.ending_hash_key = std::move(end);
    shard.sequence_number_range.starting_sequence_number = "1";
    if (!open) shard.sequence_number_range.ending_sequence_number = "2";
    return shard;
}

const std::string max_decimal = "340282366920938463463374607431768211455";  // 2^128 - 1
const std::string two_pow_128 = "340282366920938463463374607431768211456";

// Four equal ranges, as CreateStream with ShardCount 4 makes them.
std::vector<Shard> four_shards() {
    return {make_shard("shard-2", "170141183460469231731687303715884105728",
                       "255211775190703847597530955573826158591"),
            make_shard("shard-0", "0", "85070591730234615865843651857942052863"),
            make_shard("shard-3", "255211775190703847597530955573826158592", max_decimal),
            make_shard("shard-1", "85070591730234615865843651857942052864",
                       "170141183460469231731687303715884105727")};
}

std::string id_of(const Shard* shard) { return shard ? shard->shard_id : std::string("(none)"); }

}  // namespace

TEST_CASE("UInt128 parses and prints 0, 1, 2^64 and 2^128-1") {
    auto zero = UInt128::from_decimal("0");
    REQUIRE(zero);
    CHECK(*zero == UInt128{0, 0});
    CHECK(zero->to_decimal() == "0");

    auto one = UInt128::from_decimal("1");
    REQUIRE(one);
    CHECK(*one == UInt128{0, 1});

    auto two_pow_64 = UInt128::from_decimal("18446744073709551616");
    REQUIRE(two_pow_64);
    CHECK(*two_pow_64 == UInt128{1, 0});
    CHECK(two_pow_64->to_decimal() == "18446744073709551616");

    auto below = UInt128::from_decimal("18446744073709551615");
    REQUIRE(below);
    CHECK(*below == UInt128{0, ~std::uint64_t{0}});

    auto max = UInt128::from_decimal(max_decimal);
    REQUIRE(max);
    CHECK(*max == UInt128::max());
    CHECK(UInt128::max().to_decimal() == max_decimal);
}

TEST_CASE("UInt128::from_decimal rejects what the API's ExplicitHashKey pattern rejects") {
    CHECK_FALSE(UInt128::from_decimal(""));
    CHECK_FALSE(UInt128::from_decimal("00"));
    CHECK_FALSE(UInt128::from_decimal("01"));
    CHECK_FALSE(UInt128::from_decimal("-1"));
    CHECK_FALSE(UInt128::from_decimal("+1"));
    CHECK_FALSE(UInt128::from_decimal(" 1"));
    CHECK_FALSE(UInt128::from_decimal("1 "));
    CHECK_FALSE(UInt128::from_decimal("12a4"));
    CHECK_FALSE(UInt128::from_decimal("1.0"));
    CHECK_FALSE(UInt128::from_decimal(two_pow_128));
    CHECK_FALSE(UInt128::from_decimal("999999999999999999999999999999999999999"));  // 39 nines > 2^128
    CHECK_FALSE(UInt128::from_decimal("1000000000000000000000000000000000000000"));  // 40 digits
    CHECK_FALSE(UInt128::from_decimal(std::string_view("1\0", 2)));
}

TEST_CASE("UInt128 round-trips decimal strings across both words") {
    for (const char* text : {"9", "10", "4294967295", "4294967296", "18446744073709551617",
                             "79228162514264337593543950335", "79228162514264337593543950336",
                             "170141183460469231731687303715884105727",
                             "170141183460469231731687303715884105728", "340282366920938463463374607431768211454"}) {
        CAPTURE(text);
        auto value = UInt128::from_decimal(text);
        REQUIRE(value);
        CHECK(value->to_decimal() == text);
    }
}

TEST_CASE("UInt128 compares the high word first, then the low word") {
    const UInt128 a{0, ~std::uint64_t{0}};
    const UInt128 b{1, 0};
    CHECK(a < b);
    CHECK(b > a);
    CHECK(a <= b);
    CHECK(b >= a);
    CHECK(a != b);
    CHECK(a <= a);
    CHECK(a >= a);
    CHECK_FALSE(a < a);
    CHECK(UInt128{2, 1} < UInt128{2, 3});
    CHECK(UInt128{} == UInt128{0, 0});
}

TEST_CASE("partition_key_hash matches every vector in partition-key-hash.json") {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    const std::string path = std::string(KINESIS_TESTDATA_DIR) + "/kpl-aggregation/partition-key-hash.json";
    REQUIRE(parser.load(path).get(root) == simdjson::SUCCESS);
    simdjson::dom::array vectors;
    REQUIRE(root["vectors"].get_array().get(vectors) == simdjson::SUCCESS);
    int checked = 0;
    for (simdjson::dom::element vector : vectors) {
        std::string_view key;
        std::string_view decimal;
        REQUIRE(vector["partition_key"].get_string().get(key) == simdjson::SUCCESS);
        REQUIRE(vector["hash_key_decimal"].get_string().get(decimal) == simdjson::SUCCESS);
        CAPTURE(key);
        const UInt128 hash = kinesis::partition_key_hash(key);
        CHECK(hash.to_decimal() == decimal);
        auto parsed = UInt128::from_decimal(decimal);
        REQUIRE(parsed);
        CHECK(*parsed == hash);
        ++checked;
    }
    CHECK(checked >= 7);
}

TEST_CASE("partition_key_hash reads the MD5 digest big-endian") {
    // MD5("abc") = 900150983cd24fb0 d6963f7d28e17f72
    const UInt128 hash = kinesis::partition_key_hash("abc");
    CHECK(hash.hi == 0x900150983cd24fb0u);
    CHECK(hash.lo == 0xd6963f7d28e17f72u);
}

TEST_CASE("ShardMap finds the shard holding each hash key, including both ends of every range") {
    const ShardMap map(four_shards());
    REQUIRE(map.size() == 4);
    CHECK(map.shards()[0].shard_id == "shard-0");
    CHECK(map.shards()[3].shard_id == "shard-3");

    CHECK(id_of(map.shard_for_hash_key(UInt128{})) == "shard-0");
    CHECK(id_of(map.shard_for_hash_key(UInt128::max())) == "shard-3");
    for (const Shard& shard : map.shards()) {
        CAPTURE(shard.shard_id);
        const auto start = UInt128::from_decimal(shard.hash_key_range.starting_hash_key).value();
        const auto end = UInt128::from_decimal(shard.hash_key_range.ending_hash_key).value();
        CHECK(id_of(map.shard_for_hash_key(start)) == shard.shard_id);
        CHECK(id_of(map.shard_for_hash_key(end)) == shard.shard_id);
    }
    CHECK(id_of(map.shard_for_hash_key(UInt128::from_decimal("85070591730234615865843651857942052863").value())) ==
          "shard-0");
    CHECK(id_of(map.shard_for_hash_key(UInt128::from_decimal("85070591730234615865843651857942052864").value())) ==
          "shard-1");
}

TEST_CASE("ShardMap maps partition keys through their MD5 hash key") {
    const ShardMap map(four_shards());
    // "a" -> 16955237001963240173058271559858726497 (< 2^126): the first quarter.
    CHECK(id_of(map.shard_for_partition_key("a")) == "shard-0");
    // "abc" -> 191415658344158766168031473277922803570: the third quarter.
    CHECK(id_of(map.shard_for_partition_key("abc")) == "shard-2");
    // "abcd" -> 301716283811389038011477436469853762335: the last quarter.
    CHECK(id_of(map.shard_for_partition_key("abcd")) == "shard-3");
}

TEST_CASE("ShardMap lets an explicit hash key override the partition key") {
    const ShardMap map(four_shards());
    CHECK(id_of(map.shard_for_partition_key("abcd", std::nullopt)) == "shard-3");
    CHECK(id_of(map.shard_for_partition_key("abcd", std::optional<std::string_view>("0"))) == "shard-0");
    const std::optional<std::string> ehk = std::string("170141183460469231731687303715884105728");
    CHECK(id_of(map.shard_for_partition_key("a", ehk)) == "shard-2");
    CHECK(map.shard_for_partition_key("a", std::optional<std::string_view>("01")) == nullptr);
    CHECK(map.shard_for_partition_key("a", std::optional<std::string_view>(two_pow_128)) == nullptr);
}

TEST_CASE("ShardMap ignores closed shards and answers nullptr in a gap") {
    std::vector<Shard> shards = {
        // A closed parent over the whole range, as kinesis-mock leaves it after a split.
        make_shard("parent", "0", max_decimal, false),
        make_shard("low", "0", "99"),
        make_shard("high", "200", max_decimal),
    };
    const ShardMap map(shards);
    REQUIRE(map.size() == 2);
    CHECK(id_of(map.shard_for_hash_key(UInt128{0, 0})) == "low");
    CHECK(id_of(map.shard_for_hash_key(UInt128{0, 99})) == "low");
    CHECK(map.shard_for_hash_key(UInt128{0, 100}) == nullptr);
    CHECK(map.shard_for_hash_key(UInt128{0, 199}) == nullptr);
    CHECK(id_of(map.shard_for_hash_key(UInt128{0, 200})) == "high");
    CHECK(id_of(map.shard_for_hash_key(UInt128::max())) == "high");

    const ShardMap upper_only({make_shard("upper", "1000", max_decimal)});
    CHECK(upper_only.shard_for_hash_key(UInt128{0, 999}) == nullptr);
    CHECK(upper_only.shard_for_hash_key(UInt128{}) == nullptr);
    const ShardMap lower_only({make_shard("lower", "0", "1000")});
    CHECK(lower_only.shard_for_hash_key(UInt128{0, 1001}) == nullptr);
    CHECK(lower_only.shard_for_hash_key(UInt128::max()) == nullptr);
}

TEST_CASE("An empty ShardMap, or one of closed shards only, finds nothing") {
    const ShardMap empty;
    CHECK(empty.empty());
    CHECK(empty.shard_for_partition_key("a") == nullptr);
    const ShardMap closed({make_shard("closed", "0", max_decimal, false)});
    CHECK(closed.empty());
    CHECK(closed.shard_for_hash_key(UInt128{}) == nullptr);
}

TEST_CASE("ShardMap::from_shards reports a shard whose hash key range is not two 128-bit values") {
    auto bad_number = ShardMap::from_shards({make_shard("shard-x", "0", "12x")});
    REQUIRE_FALSE(bad_number);
    CHECK(bad_number.error().kind == kinesis::ErrorKind::Parse);
    CHECK(bad_number.error().message.find("shard-x") != std::string::npos);

    auto too_big = ShardMap::from_shards({make_shard("shard-y", "0", two_pow_128)});
    CHECK_FALSE(too_big);
    auto reversed = ShardMap::from_shards({make_shard("shard-z", "10", "9")});
    CHECK_FALSE(reversed);
    CHECK_THROWS_AS(ShardMap({make_shard("shard-z", "10", "9")}), kinesis::Exception);

    // A closed shard is dropped before its range is read.
    CHECK(ShardMap::from_shards({make_shard("closed", "junk", "junk", false)}));
}
