// SPDX-License-Identifier: Apache-2.0
// KPL aggregation against the reference module, aws-kinesis-agg (node, pinned in scripts/setup):
// our aggregates decode with it into the same records, and its aggregates decode with ours.
// Needs no endpoint; a missing node or module fails, never skips.
#include <kinesis/streams/aggregation.hpp>

#include <kinesis/streams/shard_map.hpp>

#include <doctest/doctest.h>
#include <simdjson.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <vector>

#ifndef KINESIS_SOURCE_DIR
#error "KINESIS_SOURCE_DIR must name the source tree (tests/CMakeLists.txt defines it)"
#endif

namespace {

namespace fs = std::filesystem;

struct Input {
    std::string partition_key;
    std::optional<std::string> explicit_hash_key;
    std::string data;
};

const std::string source_dir = KINESIS_SOURCE_DIR;
const std::string module_dir = source_dir + "/.local/kinesis-agg/node_modules/aws-kinesis-agg";

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        out += digits[static_cast<unsigned char>(c) >> 4];
        out += digits[static_cast<unsigned char>(c) & 0x0f];
    }
    return out;
}

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (const char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Runs the node tool; its stdout, or a failed check naming the exit status.
std::string run_node(const std::string& arguments) {
    const std::string command = "node " + shell_quote(source_dir + "/tests/integration/kpl_agg_interop.js") + " " +
                                shell_quote(module_dir) + " " + arguments;
    CAPTURE(command);
    FILE* pipe = popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string out;
    char buffer[65536];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
    const int status = pclose(pipe);
    REQUIRE_MESSAGE((WIFEXITED(status) && WEXITSTATUS(status) == 0), "node failed (is aws-kinesis-agg installed? scripts/setup)");
    return out;
}

std::string read_file(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const fs::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary);
    REQUIRE(out);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out);
}

struct TempDir {
    fs::path path;
    TempDir() {
        static int counter = 0;
        path = fs::temp_directory_path() /
               ("kinesis-kpl-agg-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::remove_all(path);
        fs::create_directories(path);
    }
    ~TempDir() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
};

// A few hundred records in groups of 1..40: repeated keys, some EHKs (some repeated),
// UTF-8 keys beyond ASCII, binary and 1-byte data (aws-kinesis-agg refuses empty data).
std::vector<std::vector<Input>> random_groups(std::uint64_t seed, std::size_t total) {
    std::mt19937_64 rng(seed);
    std::vector<std::string> keys{"k\xC3\xA9y-\xE2\x82\xAC", "same", "\xF0\x9F\x98\x80"};
    std::vector<std::vector<Input>> groups;
    std::size_t made = 0;
    while (made < total) {
        auto& group = groups.emplace_back();
        const std::size_t size = 1 + rng() % 40;
        for (std::size_t i = 0; i < size && made < total; ++i, ++made) {
            Input input;
            if (rng() % 3 == 0) {
                input.partition_key = keys[rng() % keys.size()];
            } else {
                input.partition_key = "pk-" + std::to_string(rng() % 1000000);
                keys.push_back(input.partition_key);
            }
            switch (rng() % 4) {
                case 0: input.explicit_hash_key = kinesis::UInt128{rng(), rng()}.to_decimal(); break;
                case 1: input.explicit_hash_key = "170141183460469231731687303715884105728"; break;
                default: break;
            }
            input.data.resize(1 + (rng() % 10 == 0 ? rng() % 5000 : rng() % 100));
            for (auto& c : input.data) c = static_cast<char>(rng());
            group.push_back(std::move(input));
        }
    }
    return groups;
}

std::string aggregate(const std::vector<Input>& group) {
    kinesis::Aggregator aggregator;
    for (const auto& input : group) {
        std::optional<std::string_view> ehk;
        if (input.explicit_hash_key) ehk = *input.explicit_hash_key;
        aggregator.add(input.partition_key, ehk, input.data);
    }
    return aggregator.finish();
}

std::string string_field(simdjson::dom::element element, const char* name) {
    std::string_view text;
    REQUIRE(element[name].get_string().get(text) == simdjson::SUCCESS);
    return std::string(text);
}

}  // namespace

TEST_CASE("our aggregates deaggregate with aws-kinesis-agg into the same records") {
    const auto groups = random_groups(1, 400);
    TempDir dir;
    for (std::size_t n = 0; n < groups.size(); ++n) {
        char name[32];
        std::snprintf(name, sizeof name, "%04zu.bin", n);
        write_file(dir.path / name, aggregate(groups[n]));
    }
    const std::string output = run_node("deaggregate " + shell_quote(dir.path.string()));

    simdjson::dom::parser parser;
    simdjson::dom::element root;
    REQUIRE(parser.parse(output).get(root) == simdjson::SUCCESS);
    simdjson::dom::array aggregates;
    REQUIRE(root["aggregates"].get_array().get(aggregates) == simdjson::SUCCESS);
    REQUIRE(aggregates.size() == groups.size());
    std::size_t n = 0;
    std::size_t checked = 0;
    for (simdjson::dom::element aggregate_json : aggregates) {
        CAPTURE(n);
        simdjson::dom::array records;
        REQUIRE(aggregate_json["records"].get_array().get(records) == simdjson::SUCCESS);
        REQUIRE(records.size() == groups[n].size());
        std::size_t i = 0;
        for (simdjson::dom::element record : records) {
            CAPTURE(i);
            const Input& input = groups[n][i];
            CHECK(string_field(record, "pk") == hex(input.partition_key));
            if (input.explicit_hash_key) {
                CHECK(string_field(record, "ehk") == hex(*input.explicit_hash_key));
            } else {
                CHECK(record["ehk"].is_null());
            }
            CHECK(string_field(record, "data") == hex(input.data));
            std::uint64_t sub = 0;
            REQUIRE(record["sub"].get_uint64().get(sub) == simdjson::SUCCESS);
            CHECK(sub == i);
            ++i;
            ++checked;
        }
        ++n;
    }
    CHECK(checked == 400);
}

TEST_CASE("aws-kinesis-agg's aggregates deaggregate with ours into the same records, and equal ours byte for byte") {
    const auto groups = random_groups(2, 400);
    TempDir dir;
    std::string input = "{\"aggregates\":[";
    for (std::size_t n = 0; n < groups.size(); ++n) {
        input += n ? ",[" : "[";
        for (std::size_t i = 0; i < groups[n].size(); ++i) {
            const Input& record = groups[n][i];
            input += i ? "," : "";
            input += "{\"pk\":\"" + hex(record.partition_key) + "\",\"ehk\":" +
                     (record.explicit_hash_key ? "\"" + hex(*record.explicit_hash_key) + "\"" : std::string("null")) +
                     ",\"data\":\"" + hex(record.data) + "\"}";
        }
        input += "]";
    }
    input += "]}";
    write_file(dir.path / "input.json", input);
    fs::create_directories(dir.path / "out");
    const std::string output =
        run_node("aggregate " + shell_quote((dir.path / "input.json").string()) + " " +
                 shell_quote((dir.path / "out").string()));

    simdjson::dom::parser parser;
    simdjson::dom::element root;
    REQUIRE(parser.parse(output).get(root) == simdjson::SUCCESS);
    simdjson::dom::array aggregates;
    REQUIRE(root["aggregates"].get_array().get(aggregates) == simdjson::SUCCESS);
    REQUIRE(aggregates.size() == groups.size());
    std::size_t n = 0;
    std::size_t checked = 0;
    for (simdjson::dom::element aggregate_json : aggregates) {
        CAPTURE(n);
        const std::string bytes = read_file(dir.path / "out" / string_field(aggregate_json, "file"));
        // The outer partition key aws-kinesis-agg gives is the first record's.
        CHECK(string_field(aggregate_json, "pk") == hex(groups[n][0].partition_key));
        CHECK(kinesis::is_aggregated(bytes));
        CHECK(bytes == aggregate(groups[n]));
        std::vector<kinesis::UserRecord> records;
        kinesis::deaggregate(bytes, "outer", records);
        REQUIRE(records.size() == groups[n].size());
        for (std::size_t i = 0; i < records.size(); ++i) {
            CAPTURE(i);
            CHECK(records[i].aggregated);
            CHECK(records[i].partition_key == groups[n][i].partition_key);
            CHECK(records[i].explicit_hash_key == groups[n][i].explicit_hash_key);
            CHECK(records[i].data == groups[n][i].data);
            CHECK(records[i].sub_sequence_number == i);
            ++checked;
        }
        ++n;
    }
    CHECK(checked == 400);
}
