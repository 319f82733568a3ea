// SPDX-License-Identifier: Apache-2.0
// Interoperability with boto3: records cross between this client and boto3
// byte for byte, in both directions, on moto and kinesis-mock.
#include <kinesis/streams/stream.hpp>

#include <kinesis/auth/credentials.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#ifndef KINESIS_SOURCE_DIR
#error "KINESIS_SOURCE_DIR must name the source tree (tests/CMakeLists.txt defines it)"
#endif

namespace {

using kinesis_test::fast_waiter;
using kinesis_test::unique_name;
using kinesis_test::kinesis_config;
using kinesis_test::kinesis_endpoints;
using Endpoint = kinesis_test::KinesisEndpoint;


using namespace std::chrono_literals;


template <class T>
std::string error_text(const kinesis::Result<T>& result) {
    return result ? std::string() : result.error().to_string();
}

std::string hex(std::string_view bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    if (bytes.empty()) return "-";  // as boto3_interop.py writes empty data
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes) {
        const auto byte = static_cast<unsigned char>(c);
        out += digits[byte >> 4];
        out += digits[byte & 0x0f];
    }
    return out;
}

/// One record as either side saw it, bytes as lower-case hex.
struct Seen {
    std::string shard_id;
    std::string key_hex;
    std::string data_hex;
};

/// (shard id, sequence number) -> record: sequence numbers are unique per shard.
using SeenRecords = std::map<std::pair<std::string, std::string>, Seen>;

// The venv python that scripts/setup may have made (it has boto3), else python3.
std::string python() {
    const std::filesystem::path venv = std::filesystem::path(KINESIS_SOURCE_DIR) / ".local/venv/bin/python";
    return std::filesystem::exists(venv) ? venv.string() : std::string("python3");
}

// Runs boto3_interop.py and parses its lines "SEQ SHARD KEYHEX DATAHEX"; fails the test on a non-zero exit.
SeenRecords run_boto3(const std::string& endpoint, const std::string& stream, const std::string& mode,
                      const std::string& input_file = {}) {
    std::string command = python() + " " + KINESIS_SOURCE_DIR + "/tests/integration/boto3_interop.py " +
                          endpoint + " " + stream + " " + mode;
    if (!input_file.empty()) command += " " + input_file;
    CAPTURE(command);
    FILE* pipe = ::popen(command.c_str(), "r");
    REQUIRE(pipe != nullptr);
    std::string output;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
    const int status = ::pclose(pipe);
    REQUIRE(WIFEXITED(status));
    REQUIRE(WEXITSTATUS(status) == 0);

    SeenRecords seen;
    std::istringstream lines(output);
    std::string sequence;
    Seen record;
    while (lines >> sequence >> record.shard_id >> record.key_hex >> record.data_hex) {
        seen[{record.shard_id, sequence}] = record;
    }
    return seen;
}

// Every record of every shard from TRIM_HORIZON, through our client.
SeenRecords read_all(kinesis::KinesisClient& client, const std::string& stream) {
    SeenRecords seen;
    auto shards = client.list_all_shards(stream);
    REQUIRE_MESSAGE(shards, error_text(shards));
    for (const auto& shard : *shards) {
        kinesis::GetShardIteratorRequest request;
        request.stream = stream;
        request.shard_id = shard.shard_id;
        request.shard_iterator_type = kinesis::ShardIteratorType::TrimHorizon;
        auto iterator = client.get_shard_iterator(request);
        REQUIRE_MESSAGE(iterator, error_text(iterator));
        std::optional<std::string> next = iterator->shard_iterator;
        while (next) {
            kinesis::GetRecordsRequest get;
            get.shard_iterator = *next;
            get.limit = 10000;
            auto page = client.get_records(get);
            REQUIRE_MESSAGE(page, error_text(page));
            for (const auto& record : page->records) {
                seen[{shard.shard_id, record.sequence_number}] = {shard.shard_id, hex(record.partition_key),
                                                                    hex(record.data)};
            }
            // Both servers return all that is stored in one page; empty means the end.
            if (page->records.empty()) break;
            next = page->next_shard_iterator;
        }
    }
    return seen;
}

struct Input {
    std::string key;
    std::string data;
};

// Binary payloads (every byte value, NUL and CR/LF included) under UTF-8 keys.
std::vector<Input> make_inputs(unsigned seed, int random_count) {
    std::vector<Input> inputs;
    std::string all_bytes;
    for (int i = 0; i < 256; ++i) all_bytes += static_cast<char>(i);
    inputs.push_back({"all-256-byte-values", all_bytes});
    inputs.push_back({"\xd0\xba\xd0\xbb\xd1\x8e\xd1\x87-\xe6\x97\xa5\xe6\x9c\xac-\xf0\x9f\x98\x80",  // ключ-日本-😀
                      std::string(all_bytes.rbegin(), all_bytes.rend())});
    inputs.push_back({"nul-and-newlines", std::string("\0\r\n\0\n", 5)});
    static const std::vector<std::string> alphabet = {"a", "Z", "9", "-", " ", "\xc3\xa9", "\xe2\x82\xac",
                                                      "\xf0\x9f\x8e\x89", "\xe4\xb8\xad"};
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> key_length(1, 30);
    std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1);
    std::uniform_int_distribution<int> data_length(1, 3000);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < random_count; ++i) {
        Input input;
        const int k = key_length(rng);
        for (int j = 0; j < k; ++j) input.key += alphabet[pick(rng)];
        const int d = data_length(rng);
        for (int j = 0; j < d; ++j) input.data += static_cast<char>(byte(rng));
        inputs.push_back(std::move(input));
    }
    return inputs;
}

std::string write_input_file(const std::vector<Input>& inputs, std::size_t begin, std::size_t end) {
    const auto path = std::filesystem::temp_directory_path() / (unique_name("k2-interop") + ".txt");
    std::ofstream out(path);
    for (std::size_t i = begin; i < end; ++i) out << hex(inputs[i].key) << ' ' << hex(inputs[i].data) << '\n';
    out.close();
    REQUIRE(out);
    return path.string();
}

}  // namespace

TEST_CASE("Records written by this client read back byte-identical through boto3") {
    const std::vector<Input> inputs = make_inputs(7, 60);
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const std::string name = unique_name("k2-to-boto3");
        kinesis::Stream stream(kinesis_config(endpoint), name);
        kinesis::EnsureOptions options;
        options.shard_count = 2;
        options.waiter = fast_waiter;
        REQUIRE(stream.ensure(options));

        // What we wrote, keyed as the server numbered it: half one by one, half in one batch.
        SeenRecords written;
        const std::size_t half = inputs.size() / 2;
        for (std::size_t i = 0; i < half; ++i) {
            auto put = stream.put_record(inputs[i].data, inputs[i].key);
            REQUIRE_MESSAGE(put, error_text(put));
            written[{put->shard_id, put->sequence_number}] = {put->shard_id, hex(inputs[i].key), hex(inputs[i].data)};
        }
        std::vector<kinesis::PutRecordsRequestEntry> entries;
        for (std::size_t i = half; i < inputs.size(); ++i) entries.push_back({inputs[i].data, inputs[i].key, {}});
        auto batch = stream.put_records(std::move(entries));
        REQUIRE_MESSAGE(batch, error_text(batch));
        REQUIRE(batch->failed_record_count == 0);
        REQUIRE(batch->records.size() == inputs.size() - half);
        for (std::size_t i = half; i < inputs.size(); ++i) {
            const auto& result = batch->records[i - half];
            REQUIRE(result.shard_id);
            REQUIRE(result.sequence_number);
            written[{*result.shard_id, *result.sequence_number}] = {*result.shard_id, hex(inputs[i].key),
                                                                    hex(inputs[i].data)};
        }
        REQUIRE(written.size() == inputs.size());

        const SeenRecords read = run_boto3(endpoint.url, name, "read");
        CHECK(read.size() == written.size());
        for (const auto& [id, record] : written) {
            CAPTURE(id.first);
            CAPTURE(id.second);
            auto found = read.find(id);
            REQUIRE(found != read.end());
            CHECK(found->second.key_hex == record.key_hex);
            CHECK(found->second.data_hex == record.data_hex);
        }
        CHECK(stream.remove(false, fast_waiter));
    }
}

TEST_CASE("Records written by boto3 read back byte-identical through this client") {
    const std::vector<Input> inputs = make_inputs(11, 60);
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const std::string name = unique_name("k2-from-boto3");
        kinesis::Stream stream(kinesis_config(endpoint), name);
        kinesis::EnsureOptions options;
        options.shard_count = 2;
        options.waiter = fast_waiter;
        REQUIRE(stream.ensure(options));

        // boto3 writes half with PutRecord and half with PutRecords and says what it sent.
        const std::size_t half = inputs.size() / 2;
        const std::string one_by_one = write_input_file(inputs, 0, half);
        const std::string in_batch = write_input_file(inputs, half, inputs.size());
        SeenRecords written = run_boto3(endpoint.url, name, "write", one_by_one);
        const SeenRecords batch = run_boto3(endpoint.url, name, "write-batch", in_batch);
        std::filesystem::remove(one_by_one);
        std::filesystem::remove(in_batch);
        written.insert(batch.begin(), batch.end());
        REQUIRE(written.size() == inputs.size());

        // boto3 echoes the bytes it sent: they must be exactly the inputs.
        std::multiset<std::string> expected;
        std::multiset<std::string> echoed;
        for (const auto& input : inputs) expected.insert(hex(input.key) + " " + hex(input.data));
        for (const auto& [id, record] : written) echoed.insert(record.key_hex + " " + record.data_hex);
        CHECK(echoed == expected);

        const SeenRecords read = read_all(stream.client(), name);
        CHECK(read.size() == written.size());
        for (const auto& [id, record] : written) {
            CAPTURE(id.first);
            CAPTURE(id.second);
            auto found = read.find(id);
            REQUIRE(found != read.end());
            CHECK(found->second.key_hex == record.key_hex);
            CHECK(found->second.data_hex == record.data_hex);
        }
        CHECK(stream.remove(false, fast_waiter));
    }
}
