// SPDX-License-Identifier: Apache-2.0
#include <kinesis/streams/aggregation.hpp>

#include <kinesis/core/base64.hpp>
#include <kinesis/core/detail/crypto.hpp>
#include <kinesis/streams/shard_map.hpp>

#include <doctest/doctest.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

using kinesis::Aggregator;
using kinesis::UserRecord;

const std::string vectors_dir = std::string(KINESIS_TESTDATA_DIR) + "/kpl-aggregation";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string base64_decode(std::string_view text) {
    auto decoded = kinesis::base64_decode(text);
    REQUIRE(decoded);
    return *decoded;
}

std::optional<std::string> optional_string(simdjson::dom::element element) {
    if (element.is_null()) return std::nullopt;
    std::string_view text;
    REQUIRE(element.get_string().get(text) == simdjson::SUCCESS);
    return std::string(text);
}

std::string string_field(simdjson::dom::element element, const char* name) {
    std::string_view text;
    REQUIRE(element[name].get_string().get(text) == simdjson::SUCCESS);
    return std::string(text);
}

struct Input {
    std::string partition_key;
    std::optional<std::string> explicit_hash_key;
    std::string data;
};

std::optional<std::string_view> view(const std::optional<std::string>& text) {
    if (!text) return std::nullopt;
    return std::string_view(*text);
}

// magic + body + MD5(body): an aggregate whose checksum is right whatever the body holds.
std::string wrap(std::string_view body) {
    std::string out(kinesis::aggregated_record_magic);
    out.append(body);
    const auto digest = kinesis::detail::md5(body);
    out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    return out;
}

std::string varint(std::uint64_t value) {
    std::string out;
    while (value >= 0x80) {
        out += static_cast<char>((value & 0x7F) | 0x80);
        value >>= 7;
    }
    out += static_cast<char>(value);
    return out;
}

std::string field(std::uint32_t number, std::string_view payload) {
    return varint((std::uint64_t{number} << 3) | 2) + varint(payload.size()) + std::string(payload);
}

std::string varint_field(std::uint32_t number, std::uint64_t value) {
    return varint(std::uint64_t{number} << 3) + varint(value);
}

std::vector<UserRecord> decode(std::string_view data, std::string_view partition_key = "outer") {
    std::vector<UserRecord> out;
    kinesis::deaggregate(data, partition_key, out);
    return out;
}

// The one record a non-aggregate must give: the input, unchanged.
void check_plain(std::string_view data, std::string_view partition_key = "outer") {
    CHECK_FALSE(kinesis::is_aggregated(data));
    const auto records = decode(data, partition_key);
    REQUIRE(records.size() == 1);
    CHECK(records[0].data == data);
    CHECK(records[0].partition_key == partition_key);
    CHECK_FALSE(records[0].explicit_hash_key);
    CHECK_FALSE(records[0].aggregated);
    CHECK(records[0].sub_sequence_number == 0);
}

std::string random_bytes(std::mt19937_64& rng, std::size_t size) {
    std::string out(size, '\0');
    for (auto& c : out) c = static_cast<char>(rng());
    return out;
}

// Records with repeated keys, EHKs on some, empty and binary data.
std::vector<Input> random_inputs(std::mt19937_64& rng, std::size_t n) {
    std::vector<Input> inputs;
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < n; ++i) {
        Input input;
        if (!keys.empty() && rng() % 3 == 0) {
            input.partition_key = keys[rng() % keys.size()];
        } else {
            input.partition_key = "pk-" + std::to_string(rng() % 100000) + std::string(rng() % 40, 'x');
            keys.push_back(input.partition_key);
        }
        if (rng() % 2 == 0) {
            input.explicit_hash_key = kinesis::UInt128{rng(), rng()}.to_decimal();
            if (rng() % 4 == 0) input.explicit_hash_key = "42";  // repeated
        }
        const auto kind = rng() % 10;
        const std::size_t size = kind == 0 ? 0 : kind < 8 ? rng() % 200 : rng() % 20000;
        input.data = random_bytes(rng, size);
        inputs.push_back(std::move(input));
    }
    return inputs;
}

std::string aggregate(const std::vector<Input>& inputs) {
    Aggregator aggregator;
    for (const auto& input : inputs) aggregator.add(input.partition_key, view(input.explicit_hash_key), input.data);
    return aggregator.finish();
}

void check_round_trip(const std::vector<Input>& inputs, const std::vector<UserRecord>& records) {
    REQUIRE(records.size() == inputs.size());
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        CAPTURE(i);
        CHECK(records[i].partition_key == inputs[i].partition_key);
        CHECK(records[i].explicit_hash_key == inputs[i].explicit_hash_key);
        CHECK(records[i].data == inputs[i].data);
        CHECK(records[i].sub_sequence_number == i);
        CHECK(records[i].aggregated);
    }
}

}  // namespace

TEST_CASE("every case of vectors.json deaggregates to exactly its user records") {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    REQUIRE(parser.load(vectors_dir + "/vectors.json").get(root) == simdjson::SUCCESS);
    simdjson::dom::array cases;
    REQUIRE(root.get_array().get(cases) == simdjson::SUCCESS);
    int checked = 0;
    for (simdjson::dom::element vector : cases) {
        const std::string name = string_field(vector, "name");
        CAPTURE(name);
        const std::string blob = base64_decode(string_field(vector, "aggregated_record_base64"));
        CHECK(blob == read_file(vectors_dir + "/blobs/" + name + ".bin"));
        bool aggregated = false;
        REQUIRE(vector["is_aggregated"].get_bool().get(aggregated) == simdjson::SUCCESS);
        CHECK(kinesis::is_aggregated(blob) == aggregated);

        kinesis::Record record;
        record.data = blob;
        record.partition_key = string_field(vector, "outer_partition_key");
        record.sequence_number = "49590338271490256608559692538361571095921575989136588898";
        record.approximate_arrival_timestamp = kinesis::Timestamp(std::chrono::seconds(1700000000));
        const auto records = kinesis::deaggregate(record);

        simdjson::dom::array expected;
        REQUIRE(vector["user_records"].get_array().get(expected) == simdjson::SUCCESS);
        REQUIRE(records.size() == expected.size());
        std::size_t i = 0;
        for (simdjson::dom::element user : expected) {
            CAPTURE(i);
            const UserRecord& got = records[i];
            CHECK(got.partition_key == string_field(user, "partition_key"));
            CHECK(got.explicit_hash_key == optional_string(user["explicit_hash_key"]));
            CHECK(got.data == base64_decode(string_field(user, "data_base64")));
            CHECK(got.sequence_number == record.sequence_number);
            CHECK(got.approximate_arrival_timestamp == record.approximate_arrival_timestamp);
            CHECK(got.aggregated == aggregated);
            CHECK(got.sub_sequence_number == (aggregated ? i : 0));
            ++i;
        }
        ++checked;
    }
    CHECK(checked == 5);
}

TEST_CASE("every aggregated vector re-encodes byte for byte from its user records fed in order") {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    REQUIRE(parser.load(vectors_dir + "/vectors.json").get(root) == simdjson::SUCCESS);
    simdjson::dom::array cases;
    REQUIRE(root.get_array().get(cases) == simdjson::SUCCESS);
    Aggregator aggregator;  // reused across cases: finish() must leave nothing behind
    int checked = 0;
    for (simdjson::dom::element vector : cases) {
        bool aggregated = false;
        REQUIRE(vector["is_aggregated"].get_bool().get(aggregated) == simdjson::SUCCESS);
        if (!aggregated) continue;
        const std::string name = string_field(vector, "name");
        CAPTURE(name);
        simdjson::dom::array users;
        REQUIRE(vector["user_records"].get_array().get(users) == simdjson::SUCCESS);
        std::optional<std::string> first_ehk;
        std::string first_pk;
        for (simdjson::dom::element user : users) {
            const std::string pk = string_field(user, "partition_key");
            const auto ehk = optional_string(user["explicit_hash_key"]);
            const std::string data = base64_decode(string_field(user, "data_base64"));
            if (aggregator.empty()) {
                first_pk = pk;
                first_ehk = ehk;
            }
            const std::size_t predicted = aggregator.size_if_added(pk, view(ehk), data.size());
            aggregator.add(pk, view(ehk), data);
            CHECK(aggregator.size() == predicted);
        }
        CHECK(aggregator.count() == users.size());
        CHECK(aggregator.first_partition_key() == first_pk);
        CHECK(aggregator.first_explicit_hash_key() == view(first_ehk));
        simdjson::dom::array pk_table;
        REQUIRE(vector["partition_key_table"].get_array().get(pk_table) == simdjson::SUCCESS);
        CHECK(aggregator.partition_key_count() == pk_table.size());
        const std::string bytes = aggregator.finish();
        CHECK(aggregator.empty());
        CHECK(aggregator.size() == kinesis::aggregated_record_overhead);
        CHECK(bytes == base64_decode(string_field(vector, "aggregated_record_base64")));
        ++checked;
    }
    CHECK(checked == 4);
}

TEST_CASE("every negative vector deaggregates to one record equal to the input") {
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    REQUIRE(parser.load(vectors_dir + "/negative-vectors.json").get(root) == simdjson::SUCCESS);
    simdjson::dom::array cases;
    REQUIRE(root.get_array().get(cases) == simdjson::SUCCESS);
    int checked = 0;
    for (simdjson::dom::element vector : cases) {
        const std::string name = string_field(vector, "name");
        CAPTURE(name);
        const std::string blob = base64_decode(string_field(vector, "aggregated_record_base64"));
        CHECK(blob == read_file(vectors_dir + "/blobs/" + name + ".bin"));
        if (name == "empty-aggregate") continue;  // valid: its own case below
        check_plain(blob, "a");
        ++checked;
    }
    CHECK(checked == 4);
}

TEST_CASE("the empty aggregate is valid and gives zero records, and an empty Aggregator writes it") {
    const std::string blob = read_file(vectors_dir + "/blobs/empty-aggregate.bin");
    REQUIRE(blob.size() == 20);
    CHECK(kinesis::is_aggregated(blob));
    std::vector<UserRecord> out;
    kinesis::deaggregate(blob, "a", out);
    CHECK(out.empty());
    kinesis::Record record;
    record.data = blob;
    record.partition_key = "a";
    CHECK(kinesis::deaggregate(record).empty());

    Aggregator aggregator;
    CHECK(aggregator.empty());
    CHECK(aggregator.size() == 20);
    CHECK(aggregator.first_partition_key().empty());
    CHECK_FALSE(aggregator.first_explicit_hash_key());
    CHECK(aggregator.finish() == blob);
}

TEST_CASE("deaggregate appends to the vector it is given") {
    std::vector<UserRecord> out(1);
    out[0].data = "kept";
    kinesis::deaggregate("plain", "pk", out);
    const std::string aggregate_bytes = aggregate({{"a", std::nullopt, "x"}, {"b", std::string("7"), "y"}});
    kinesis::deaggregate(aggregate_bytes, "outer", out);
    REQUIRE(out.size() == 4);
    CHECK(out[0].data == "kept");
    CHECK(out[1].data == "plain");
    CHECK(out[1].partition_key == "pk");
    CHECK(out[2].data == "x");
    CHECK(out[2].sub_sequence_number == 0);
    CHECK(out[3].data == "y");
    CHECK(out[3].explicit_hash_key == "7");
    CHECK(out[3].sub_sequence_number == 1);
    CHECK(out[3].sequence_number.empty());
}

TEST_CASE("deaggregate of a plain record keeps its sequence number and arrival time, and gets no explicit hash key") {
    kinesis::Record record;
    record.data = std::string("\xF3\x89\x9A\xC2 not an aggregate at all", 28);
    record.partition_key = "user-key";
    record.sequence_number = "123";
    record.approximate_arrival_timestamp = kinesis::Timestamp(std::chrono::seconds(5));
    const auto records = kinesis::deaggregate(record);
    REQUIRE(records.size() == 1);
    CHECK(records[0].data == record.data);
    CHECK(records[0].partition_key == "user-key");
    CHECK(records[0].sequence_number == "123");
    CHECK(records[0].approximate_arrival_timestamp == record.approximate_arrival_timestamp);
    CHECK_FALSE(records[0].explicit_hash_key);
    CHECK_FALSE(records[0].aggregated);
    check_plain("");
}

TEST_CASE("an aggregate lists each distinct key once, in first-use order") {
    Aggregator aggregator;
    aggregator.add("k1", std::nullopt, "a");
    aggregator.add("k2", std::string_view("1"), "b");
    aggregator.add("k1", std::string_view("2"), "c");
    aggregator.add("k2", std::string_view("1"), "");
    CHECK(aggregator.partition_key_count() == 2);
    CHECK(aggregator.explicit_hash_key_count() == 2);
    CHECK(aggregator.count() == 4);
    CHECK_FALSE(aggregator.first_explicit_hash_key());  // the first record had none
    const std::string body = field(1, "k1") + field(1, "k2") + field(2, "1") + field(2, "2") +
                             field(3, varint_field(1, 0) + field(3, "a")) +
                             field(3, varint_field(1, 1) + varint_field(2, 0) + field(3, "b")) +
                             field(3, varint_field(1, 0) + varint_field(2, 1) + field(3, "c")) +
                             field(3, varint_field(1, 1) + varint_field(2, 0) + field(3, ""));
    CHECK(aggregator.finish() == wrap(body));
}

TEST_CASE("size_if_added predicts the aggregate's size after add, and finish().size(), for random records") {
    std::mt19937_64 rng(20240901);
    Aggregator aggregator;
    std::string out;
    for (int round = 0; round < 20; ++round) {
        const auto inputs = random_inputs(rng, 1 + rng() % 300);
        for (const auto& input : inputs) {
            const std::size_t predicted =
                aggregator.size_if_added(input.partition_key, view(input.explicit_hash_key), input.data.size());
            const std::size_t before = aggregator.size();
            aggregator.add(input.partition_key, view(input.explicit_hash_key), input.data);
            REQUIRE(aggregator.size() == predicted);
            REQUIRE(predicted > before);
        }
        const std::size_t size = aggregator.size();
        if (round % 2 == 0) {
            CHECK(aggregator.finish().size() == size);
        } else {
            aggregator.finish(out);
            CHECK(out.size() == size);
            check_round_trip(inputs, decode(out));
        }
    }
}

TEST_CASE("add_if_fits writes what size_if_added and add write, and leaves the aggregate alone when it refuses") {
    std::mt19937_64 rng(20261202);
    for (int round = 0; round < 20; ++round) {
        const auto inputs = random_inputs(rng, 1 + rng() % 300);
        const std::size_t limit = 64 + rng() % 20000;
        Aggregator one, two;
        std::vector<std::string> from_one, from_two;
        for (const auto& input : inputs) {
            const auto ehk = view(input.explicit_hash_key);
            const std::size_t predicted = two.size_if_added(input.partition_key, ehk, input.data.size());
            const std::size_t before = one.size();
            const bool added = one.add_if_fits(input.partition_key, ehk, input.data, limit);
            REQUIRE(added == (predicted <= limit));
            if (!added) {
                REQUIRE(one.size() == before);
                from_one.push_back(one.finish());
                from_two.push_back(two.finish());
                REQUIRE(one.add_if_fits(input.partition_key, ehk, input.data, std::size_t(-1)));
                two.add(input.partition_key, ehk, input.data);
                continue;
            }
            two.add(input.partition_key, ehk, input.data);
            REQUIRE(one.size() == two.size());
            REQUIRE(one.first_explicit_hash_key() == two.first_explicit_hash_key());
        }
        from_one.push_back(one.finish());
        from_two.push_back(two.finish());
        CHECK(from_one == from_two);
    }
}

TEST_CASE("size_if_added counts the aggregate's varints crossing 1- and 2-byte lengths and indexes") {
    Aggregator aggregator;
    for (int i = 0; i < 300; ++i) {  // indexes past 127 take two bytes
        const std::string key = "key-" + std::to_string(i);
        for (std::size_t size : {0u, 1u, 127u, 128u, 16383u, 16384u}) {
            const std::size_t predicted = aggregator.size_if_added(key, std::string_view(key), size);
            aggregator.add(key, std::string_view(key), std::string(size, 'd'));
            REQUIRE(aggregator.size() == predicted);
        }
    }
    const std::string long_key(200, 'k');  // a 2-byte length in the table
    const std::size_t predicted = aggregator.size_if_added(long_key, std::nullopt, 3);
    aggregator.add(long_key, std::nullopt, "abc");
    CHECK(aggregator.size() == predicted);
    const std::size_t size = aggregator.size();
    const std::string bytes = aggregator.finish();
    CHECK(bytes.size() == size);
    CHECK(decode(bytes).size() == 300 * 6 + 1);
}

TEST_CASE("random records round-trip through an aggregate: EHKs or none, repeated keys, empty data, 1 MiB data") {
    std::mt19937_64 rng(7);
    SUBCASE("random mixes") {
        for (int round = 0; round < 30; ++round) {
            const auto inputs = random_inputs(rng, rng() % 200 + 1);
            const std::string bytes = aggregate(inputs);
            CHECK(kinesis::is_aggregated(bytes));
            check_round_trip(inputs, decode(bytes));
        }
    }
    SUBCASE("one key for every record, with and without an EHK") {
        std::vector<Input> inputs;
        for (int i = 0; i < 100; ++i) {
            inputs.push_back({"same", i % 2 ? std::optional<std::string>("99") : std::nullopt, std::to_string(i)});
        }
        check_round_trip(inputs, decode(aggregate(inputs)));
    }
    SUBCASE("empty data only") {
        const std::vector<Input> inputs(5, Input{"k", std::nullopt, ""});
        check_round_trip(inputs, decode(aggregate(inputs)));
    }
    SUBCASE("1 MiB of data in one record") {
        const std::vector<Input> inputs{{"big", std::string("1"), random_bytes(rng, 1024 * 1024)},
                                        {"small", std::nullopt, "x"}};
        Aggregator aggregator;
        const std::size_t predicted = aggregator.size_if_added("big", std::string_view("1"), 1024 * 1024);
        aggregator.add(inputs[0].partition_key, view(inputs[0].explicit_hash_key), inputs[0].data);
        CHECK(aggregator.size() == predicted);
        aggregator.add(inputs[1].partition_key, view(inputs[1].explicit_hash_key), inputs[1].data);
        const std::string bytes = aggregator.finish();
        check_round_trip(inputs, decode(bytes));
    }
}

TEST_CASE("the aggregate reader skips unknown fields of every wire type, and Tags") {
    const std::string record = varint_field(1, 0) + field(3, "data");
    SUBCASE("unknown fields in AggregatedRecord") {
        const std::string body = field(1, "pk") + varint_field(9, 300) + varint(10 << 3 | 1) + "12345678" +
                                 field(11, "skipped") + varint(12 << 3 | 5) + "1234" + field(3, record);
        const auto records = decode(wrap(body));
        REQUIRE(records.size() == 1);
        CHECK(records[0].aggregated);
        CHECK(records[0].partition_key == "pk");
        CHECK(records[0].data == "data");
    }
    SUBCASE("unknown fields and Tags in Record") {
        const std::string tagged = record + field(4, field(1, "tag-key") + field(2, "tag-value")) +
                                   field(4, field(1, "key-only")) + varint_field(7, 1) + varint(8 << 3 | 1) +
                                   "abcdefgh" + varint(9 << 3 | 5) + "abcd" + field(15, "x");
        const auto records = decode(wrap(field(1, "pk") + field(3, tagged)));
        REQUIRE(records.size() == 1);
        CHECK(records[0].aggregated);
        CHECK(records[0].data == "data");
    }
    SUBCASE("tables after the records, and a known field with another wire type") {
        const std::string body =
            field(3, record + varint_field(3, 5)) + varint_field(1, 1) + field(1, "late-pk");
        const auto records = decode(wrap(body));
        REQUIRE(records.size() == 1);
        CHECK(records[0].aggregated);
        CHECK(records[0].partition_key == "late-pk");
        CHECK(records[0].data == "data");
    }
    SUBCASE("a 10-byte varint index with a leading-zero padding") {
        const std::string padded = std::string("\x08\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11) + field(3, "d");
        const auto records = decode(wrap(field(1, "pk") + field(3, padded)));
        REQUIRE(records.size() == 1);
        CHECK(records[0].aggregated);
    }
}

TEST_CASE("a malformed protobuf with a matching MD5 is not aggregated but one plain record") {
    const std::string good_record = varint_field(1, 0) + field(3, "data");
    const std::string pk = field(1, "pk");
    const std::vector<std::pair<const char*, std::string>> bodies{
        {"pk index out of range", pk + field(3, varint_field(1, 1) + field(3, "d"))},
        {"ehk index with no ehk table", pk + field(3, varint_field(1, 0) + varint_field(2, 0) + field(3, "d"))},
        {"ehk index out of range", pk + field(2, "5") + field(3, varint_field(1, 0) + varint_field(2, 1) + field(3, "d"))},
        {"pk index missing", pk + field(3, field(3, "d"))},
        {"data missing", pk + field(3, varint_field(1, 0))},
        {"Tag without its key", pk + field(3, good_record + field(4, field(2, "v")))},
        {"record length past the end", pk + "\x1a\x7f" + good_record},
        {"table length past the end", "\x0a\x05pk"},
        {"truncated varint", pk + "\x1a\x04\x08\x80\x80\x80"},
        {"truncated tag", pk + field(3, good_record) + "\x80"},
        {"11-byte varint", pk + field(3, std::string("\x08\x80\x80\x80\x80\x80\x80\x80\x80\x80\x80\x00", 12) + field(3, "d"))},
        {"10-byte varint overflowing 64 bits", pk + field(3, std::string("\x08\xff\xff\xff\xff\xff\xff\xff\xff\xff\x02", 11) + field(3, "d"))},
        {"field number 0", pk + std::string("\x02\x00", 2) + field(3, good_record)},
        {"start group (wire type 3)", pk + varint(9 << 3 | 3) + field(3, good_record)},
        {"end group (wire type 4)", pk + varint(9 << 3 | 4) + field(3, good_record)},
        {"wire type 6", pk + varint(9 << 3 | 6) + field(3, good_record)},
        {"wire type 7", pk + varint(9 << 3 | 7) + field(3, good_record)},
        {"truncated fixed64", pk + field(3, good_record) + varint(9 << 3 | 1) + "1234567"},
        {"truncated fixed32", pk + field(3, good_record) + varint(9 << 3 | 5) + "123"},
        {"bad wire type inside a Record", pk + field(3, good_record + varint(9 << 3 | 3))},
    };
    for (const auto& item : bodies) {
        const std::string name = item.first;
        CAPTURE(name);
        check_plain(wrap(item.second));
    }
    // The same records well formed decode, so each case above fails for its one reason.
    CHECK(decode(wrap(pk + field(3, good_record))).at(0).aggregated);
}

TEST_CASE("thousands of mutated aggregates with a fixed MD5 never crash and decode consistently") {
    std::mt19937_64 rng(99);
    int plain = 0;
    int still_valid = 0;
    for (int i = 0; i < 4000; ++i) {
        const auto inputs = random_inputs(rng, 1 + rng() % 8);
        const std::string bytes = aggregate(inputs);
        std::string body = bytes.substr(4, bytes.size() - 20);
        switch (rng() % 4) {
            case 0:  // flip one byte
                body[rng() % body.size()] ^= static_cast<char>(1 + rng() % 255);
                break;
            case 1:  // cut the end off
                body.resize(rng() % body.size());
                break;
            case 2:  // overwrite a few bytes with random ones
                for (int n = 0; n < 3; ++n) body[rng() % body.size()] = static_cast<char>(rng());
                break;
            default:  // drop one byte from the middle
                body.erase(rng() % body.size(), 1);
                break;
        }
        const std::string mutated = wrap(body);
        const auto records = decode(mutated);
        if (kinesis::is_aggregated(mutated)) {
            ++still_valid;
            for (std::size_t n = 0; n < records.size(); ++n) {
                REQUIRE(records[n].aggregated);
                REQUIRE(records[n].sub_sequence_number == n);
            }
        } else {
            ++plain;
            REQUIRE(records.size() == 1);
            REQUIRE(records[0].data == mutated);
            REQUIRE_FALSE(records[0].aggregated);
        }
        // A wrong MD5 is always plain, whatever the body.
        std::string bad_md5 = bytes;
        bad_md5[bad_md5.size() - 1 - rng() % 16] ^= 0x40;
        const auto bad = decode(bad_md5);
        REQUIRE(bad.size() == 1);
        REQUIRE(bad[0].data == bad_md5);
    }
    CHECK(plain > 1000);
    CHECK(still_valid > 100);  // flips inside data, cuts at a record boundary
}
