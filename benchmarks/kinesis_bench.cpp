// SPDX-License-Identifier: Apache-2.0
// KinesisClient's hot paths beside their floors in the same binary:
// - PutRecords: 500 records of 100 bytes checked, written as the JSON body (base64 data)
//   and hashed for the signature, as put_records() and ServiceClient do per call;
//   floor: bare OpenSSL base64 of the 500 records plus SHA-256 over a body of the same size.
// - GetRecords: a 1,000-record answer parsed into owned Records with data decoded,
//   into a result kept across calls (ShardReader's path) and into a new one;
//   floor: a simdjson on-demand walk reaching every Data field, decoded with OpenSSL.
#include "benchmark_main.hpp"

#include <kinesis/core/detail/crypto.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/streams/detail/wire.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include <openssl/evp.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

constexpr std::size_t put_count = 500;
constexpr std::size_t record_size = 100;
constexpr std::size_t get_count = 1000;

std::string bytes(std::size_t size, std::uint32_t seed) {
    std::string out(size, '\0');
    std::uint32_t x = seed;
    for (auto& c : out) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        c = static_cast<char>(x);
    }
    return out;
}

struct PutRecordsInput {
    std::vector<std::string> payloads;
    kinesis::PutRecordsRequest request;

    PutRecordsInput() {
        payloads.reserve(put_count);
        for (std::size_t i = 0; i < put_count; ++i) payloads.push_back(bytes(record_size, 2463534242u + static_cast<std::uint32_t>(i)));
        request.stream = "benchmark-stream";
        for (std::size_t i = 0; i < put_count; ++i) {
            request.records.push_back({payloads[i], "partition-key-" + std::to_string(i), std::nullopt});
        }
    }
};

// As put_records_kinesis, but with a new buffer per call: what put_records()
// cost before it kept its body buffer, and what a first call still costs.
void put_records_fresh_buffer_kinesis(benchmark::State& state) {
    const PutRecordsInput input;
    const kinesis::KinesisLimits limits;
    char hash_hex[64];
    for (auto _ : state) {
        auto error = kinesis::detail::check_put_records(input.request, limits);
        benchmark::DoNotOptimize(error);
        std::string body;
        body.reserve(kinesis::detail::put_records_body_size(input.request));
        kinesis::detail::write_put_records(input.request, body);
        const auto digest = kinesis::detail::sha256(body);
        kinesis::detail::hex_encode_to(digest.data(), digest.size(), hash_hex);
        benchmark::DoNotOptimize(body.data());
        benchmark::DoNotOptimize(hash_hex);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * put_count));
}

// What put_records() does before sending, and what ServiceClient::send() adds
// once per call: the checks, the body written into the client's kept buffer
// (its capacity already there after the first call), one SHA-256 of it in hex.
void put_records_kinesis(benchmark::State& state) {
    const PutRecordsInput input;
    const kinesis::KinesisLimits limits;
    std::string body;
    char hash_hex[64];
    for (auto _ : state) {
        auto error = kinesis::detail::check_put_records(input.request, limits);
        benchmark::DoNotOptimize(error);
        body.clear();
        body.reserve(kinesis::detail::put_records_body_size(input.request));
        kinesis::detail::write_put_records(input.request, body);
        const auto digest = kinesis::detail::sha256(body);
        kinesis::detail::hex_encode_to(digest.data(), digest.size(), hash_hex);
        benchmark::DoNotOptimize(body.data());
        benchmark::DoNotOptimize(hash_hex);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * put_count));
}

// Floor: base64 of every record into one preallocated buffer, and SHA-256 (hex)
// over as many bytes as the real body has. No JSON, no checks, no allocation.
void put_records_floor(benchmark::State& state) {
    const PutRecordsInput input;
    std::string body;
    kinesis::detail::write_put_records(input.request, body);
    std::string encoded(put_count * (kinesis::detail::base64_encoded_size(record_size) + 1), '\0');
    EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_size = 0;
    char hash_hex[64];
    for (auto _ : state) {
        auto* out = reinterpret_cast<unsigned char*>(encoded.data());
        for (const auto& payload : input.payloads) {
            out += EVP_EncodeBlock(out, reinterpret_cast<const unsigned char*>(payload.data()),
                                   static_cast<int>(payload.size()));
        }
        EVP_DigestInit_ex2(ctx, md, nullptr);
        EVP_DigestUpdate(ctx, body.data(), body.size());
        EVP_DigestFinal_ex(ctx, digest, &digest_size);
        kinesis::detail::hex_encode_to(digest, digest_size, hash_hex);
        benchmark::DoNotOptimize(encoded.data());
        benchmark::DoNotOptimize(hash_hex);
    }
    EVP_MD_CTX_free(ctx);
    EVP_MD_free(md);
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * put_count));
}

// A GetRecords answer as AWS writes it, padded like an HttpResponse body.
std::string get_records_body() {
    std::string body = R"({"Records":[)";
    for (std::size_t i = 0; i < get_count; ++i) {
        if (i != 0) body += ',';
        body += R"({"SequenceNumber":"49590338271490256608559692538361571095921575989136)";
        body += std::to_string(100000 + i);
        body += R"(","ApproximateArrivalTimestamp":1.700000123456E9,"Data":")";
        body += kinesis::detail::base64_encode(bytes(record_size, 99991u + static_cast<std::uint32_t>(i)));
        body += R"(","PartitionKey":"partition-key-)";
        body += std::to_string(i);
        body += R"("})";
    }
    body += R"(],"NextShardIterator":"AAAAAAAAAAGdWq0cI2ePWcoOrZ4ZVoWhzeIxV1mCNYfyNJRKa5bjBzKvsiqHGWpNC1fjpQ7nJ9ZRjzHMiW2)"
            R"(PoVSZkzqG1NGWsSwy9WgMBxi5KL9HyEh3","MillisBehindLatest":0})";
    body.reserve(body.size() + simdjson::SIMDJSON_PADDING);
    return body;
}

void get_records_kinesis(benchmark::State& state) {
    const std::string body = get_records_body();
    kinesis::detail::JsonParser parser;
    for (auto _ : state) {
        auto result = kinesis::detail::parse_get_records(parser, body);
        if (!result || result->records.size() != get_count) state.SkipWithError("parse failed");
        benchmark::DoNotOptimize(result);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * get_count));
}

// What ShardReader::next(batch) and get_records(request, result) do per call:
// the answer parsed over the records of the previous one, their strings reused.
void get_records_reused_kinesis(benchmark::State& state) {
    const std::string body = get_records_body();
    kinesis::detail::JsonParser parser;
    kinesis::GetRecordsResult result;
    for (auto _ : state) {
        auto parsed = kinesis::detail::parse_get_records_into(parser, body, result);
        if (!parsed || result.records.size() != get_count) state.SkipWithError("parse failed");
        benchmark::DoNotOptimize(result.records.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * get_count));
}

// Floor: on-demand walk to each record's Data, decoded by OpenSSL into one
// reused buffer; the other fields are skipped, nothing is copied or allocated.
void get_records_floor(benchmark::State& state) {
    const std::string body = get_records_body();
    simdjson::ondemand::parser parser;
    std::string decoded(get_count * record_size + 16, '\0');
    for (auto _ : state) {
        auto doc = parser.iterate(simdjson::padded_string_view(body.data(), body.size(), body.capacity()));
        std::size_t records = 0;
        auto* out = reinterpret_cast<unsigned char*>(decoded.data());
        for (auto record : doc["Records"].get_array()) {
            std::string_view data = record["Data"].get_string();
            // EVP_DecodeBlock writes whole groups; the padding bytes are not trimmed (floor, not equal).
            out += EVP_DecodeBlock(out, reinterpret_cast<const unsigned char*>(data.data()),
                                   static_cast<int>(data.size())) - 2;
            ++records;
        }
        if (records != get_count) state.SkipWithError("walk failed");
        benchmark::DoNotOptimize(decoded.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * get_count));
}

// Not a floor but a yardstick: the floor's walk plus what "owned Records" costs
// at least (sequence number, partition key and decoded data copied into
// std::strings of a reserved vector, destroyed with it). The distance from the
// floor to this is the price of owning the values; from this to ours, our parser's.
void get_records_owned_walk(benchmark::State& state) {
    const std::string body = get_records_body();
    simdjson::ondemand::parser parser;
    for (auto _ : state) {
        std::vector<kinesis::Record> records;
        records.reserve(get_count);
        auto doc = parser.iterate(simdjson::padded_string_view(body.data(), body.size(), body.capacity()));
        for (auto item : doc["Records"].get_array()) {
            auto& record = records.emplace_back();
            std::string_view sequence = item["SequenceNumber"].get_string();
            record.sequence_number.assign(sequence.data(), sequence.size());
            std::string_view data = item["Data"].get_string();
            record.data.resize(data.size() / 4 * 3);
            const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(record.data.data()),
                                          reinterpret_cast<const unsigned char*>(data.data()),
                                          static_cast<int>(data.size()));
            record.data.resize(static_cast<std::size_t>(n) - 2);
            std::string_view key = item["PartitionKey"].get_string();
            record.partition_key.assign(key.data(), key.size());
        }
        if (records.size() != get_count) state.SkipWithError("walk failed");
        benchmark::DoNotOptimize(records.data());
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * get_count));
}

}  // namespace

BENCHMARK(put_records_kinesis)->Name("put_records_500x100/kinesis")->Unit(benchmark::kMicrosecond);
BENCHMARK(put_records_fresh_buffer_kinesis)->Name("put_records_500x100_fresh_buffer/kinesis")->Unit(benchmark::kMicrosecond);
BENCHMARK(put_records_floor)->Name("put_records_500x100/floor")->Unit(benchmark::kMicrosecond);
BENCHMARK(get_records_kinesis)->Name("get_records_1000x100/kinesis")->Unit(benchmark::kMicrosecond);
BENCHMARK(get_records_reused_kinesis)->Name("get_records_1000x100_reused/kinesis")->Unit(benchmark::kMicrosecond);
BENCHMARK(get_records_floor)->Name("get_records_1000x100/floor")->Unit(benchmark::kMicrosecond);
BENCHMARK(get_records_owned_walk)->Name("get_records_1000x100/owned_walk")->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
    return kinesis_bench::run(argc, argv,
                              {{"put_records_500x100/kinesis", "put_records_500x100/floor"},
                               {"put_records_500x100_fresh_buffer/kinesis", "put_records_500x100/floor"},
                               {"get_records_1000x100_reused/kinesis", "get_records_1000x100/floor"},
                               {"get_records_1000x100/kinesis", "get_records_1000x100/floor"},
                               {"get_records_1000x100/owned_walk", "get_records_1000x100/floor"},
                               {"get_records_1000x100/kinesis", "get_records_1000x100/owned_walk"}});
}
