// SPDX-License-Identifier: Apache-2.0
// ShardReader against moto and kinesis-mock: starting positions, exactly-once
// delivery, iterator renewal (aged and expired), pacing, and reading across a split.
#include <kinesis/streams/shard_reader.hpp>

#include <kinesis/auth/credentials.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <openssl/evp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

using kinesis::KinesisClient;
using kinesis::Record;
using kinesis::ShardReader;
using kinesis::ShardReaderOptions;
using kinesis::StartingPosition;
using std::chrono::milliseconds;

namespace kinesis::detail {
// The test hook ShardReader befriends: swaps in an iterator the test made.
struct ShardReaderAccess {
    static const std::optional<std::string>& iterator(const ShardReader& reader) { return reader.iterator_; }
    static void set_iterator(ShardReader& reader, std::string iterator) { reader.iterator_ = std::move(iterator); }
};
}  // namespace kinesis::detail

namespace {

struct Endpoint {
    std::string name;
    std::string url;
    // kinesis-mock closes a split shard (GetRecords ends it, ChildShards
    // follow); moto marks it closed in DescribeStream but keeps serving it.
    bool closes_split_parent;
};

std::vector<Endpoint> endpoints() {
    return {{"moto", kinesis_test::moto_endpoint(), false},
            {"kinesis-mock", kinesis_test::kinesis_mock_endpoint(), true}};
}

KinesisClient make_client(const std::string& url, std::shared_ptr<const kinesis::Clock> clock = nullptr,
                          kinesis::StopToken stop = {}) {
    kinesis::ClientConfig config;
    config.clock = std::move(clock);
    config.stop = std::move(stop);
    config.region = "us-east-1";
    config.endpoint = url;
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("AKIAIOSFODNN7EXAMPLE", "anything");
    return KinesisClient(config);
}

using kinesis_test::fast_waiter;
using kinesis_test::unique_name;

template <class T>
T require_ok(kinesis::Result<T> result) {
    REQUIRE_MESSAGE(result, (result ? std::string() : result.error().to_string()));
    return std::move(result).value();
}

void require_ok(kinesis::Result<void> result) {
    REQUIRE_MESSAGE(result, (result ? std::string() : result.error().to_string()));
}

// Creates a stream with `shards` shards, waits until ACTIVE, returns its shards.
std::vector<kinesis::Shard> create_stream(KinesisClient& client, const std::string& name, int shards = 1) {
    kinesis::CreateStreamRequest request;
    request.stream_name = name;
    request.shard_count = shards;
    require_ok(client.create_stream(request));
    auto description = require_ok(client.wait_until_stream_exists(name, fast_waiter));
    REQUIRE(description.shards.size() == static_cast<std::size_t>(shards));
    return description.shards;
}

// A client on `url` and a fresh one-shard stream on it, ACTIVE.
struct OneShardStream {
    KinesisClient client;
    std::string stream;
    std::string shard;
};

OneShardStream one_shard_stream(const std::string& url, std::string_view prefix) {
    OneShardStream out{make_client(url), unique_name(prefix), {}};
    out.shard = create_stream(out.client, out.stream)[0].shard_id;
    return out;
}

kinesis::PutRecordResult put(KinesisClient& client, const std::string& stream, const std::string& data,
                             const std::string& key, std::optional<std::string> explicit_hash_key = {}) {
    kinesis::PutRecordRequest request;
    request.stream = stream;
    request.data = data;
    request.partition_key = key;
    request.explicit_hash_key = std::move(explicit_hash_key);
    return require_ok(client.put_record(request));
}

// Puts "<prefix>-0" ... one at a time (so their order in the shard is known);
// returns their sequence numbers.
std::vector<std::string> put_numbered(KinesisClient& client, const std::string& stream, const std::string& prefix,
                                      int count) {
    std::vector<std::string> sequence_numbers;
    for (int i = 0; i < count; ++i) {
        sequence_numbers.push_back(put(client, stream, prefix + "-" + std::to_string(i), "key-" + std::to_string(i))
                                       .sequence_number);
    }
    return sequence_numbers;
}

std::vector<std::string> numbered(const std::string& prefix, int from, int to) {
    std::vector<std::string> out;
    for (int i = from; i < to; ++i) out.push_back(prefix + "-" + std::to_string(i));
    return out;
}

ShardReaderOptions fast_options() {
    ShardReaderOptions options;
    options.min_interval = milliseconds(10);
    options.max_idle_backoff = milliseconds(40);
    return options;
}

struct Drained {
    std::vector<Record> records;
    bool shard_end = false;
    std::vector<kinesis::ChildShard> child_shards;
};

// Reads until the shard ends or `idle` batches in a row come back empty.
Drained drain(ShardReader& reader, int idle = 3, int max_calls = 300) {
    Drained out;
    int empty_in_a_row = 0;
    for (int call = 0; call < max_calls && empty_in_a_row < idle; ++call) {
        auto batch = require_ok(reader.next());
        empty_in_a_row = batch.records.empty() ? empty_in_a_row + 1 : 0;
        for (auto& record : batch.records) out.records.push_back(std::move(record));
        if (batch.shard_end) {
            out.shard_end = true;
            out.child_shards = batch.child_shards;
            break;
        }
    }
    return out;
}

std::vector<std::string> data_of(const std::vector<Record>& records) {
    std::vector<std::string> out;
    for (const auto& record : records) out.push_back(record.data);
    return out;
}

void check_strictly_increasing(const std::vector<Record>& records) {
    for (std::size_t i = 1; i < records.size(); ++i) {
        CAPTURE(i);
        CHECK(kinesis::compare_sequence_numbers(records[i - 1].sequence_number, records[i].sequence_number) < 0);
    }
}

// A steady clock the test can move forward, to age iterators without waiting.
// Monotonic time that a test moves forward: iterators age without waiting.
struct AgingClock final : kinesis::Clock {
    std::shared_ptr<milliseconds> offset = std::make_shared<milliseconds>(0);
    std::chrono::system_clock::time_point wall_now() const override { return std::chrono::system_clock::now(); }
    std::chrono::steady_clock::time_point steady_now() const override {
        return std::chrono::steady_clock::now() + *offset;
    }
};

// kinesis-mock's iterator (after kinesalite): 8 bytes, then AES-256-CBC of
// "<14-digit epoch ms>/<stream>/<shard>/<sequence>/<37 zeros>" under a key
// fixed in its source, base64. It answers ExpiredIteratorException once that
// time is over 300 s old, so an iterator re-stamped 6 minutes back is one the
// server itself reports expired.
std::string aged_kinesis_mock_iterator(const std::string& iterator, std::chrono::minutes age) {
    static const unsigned char key[32] = {0x11, 0x33, 0xa5, 0xa8, 0x33, 0x66, 0x6b, 0x49, 0xab, 0xf2, 0x8c,
                                          0x8b, 0xa3, 0x02, 0x93, 0x0f, 0x0b, 0x2f, 0xb2, 0x40, 0xdc, 0xcd,
                                          0x43, 0xcf, 0x4d, 0xfb, 0xc0, 0xca, 0x91, 0xf1, 0x77, 0x51};
    static const unsigned char iv[16] = {0x7b, 0xf1, 0x39, 0xdb, 0xab, 0xbe, 0xa2, 0xd9,
                                         0x99, 0x5d, 0x6f, 0xca, 0xe1, 0xdf, 0xf7, 0xda};
    std::string raw(iterator.size(), '\0');
    const int decoded = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(raw.data()),
                                        reinterpret_cast<const unsigned char*>(iterator.data()),
                                        static_cast<int>(iterator.size()));
    REQUIRE(decoded > 8);
    std::size_t padding = 0;
    for (auto it = iterator.rbegin(); it != iterator.rend() && *it == '='; ++it) ++padding;
    raw.resize(static_cast<std::size_t>(decoded) - padding);

    auto crypt = [&](const std::string& in, int encrypt) {
        std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)> ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
        REQUIRE(EVP_CipherInit_ex(ctx.get(), EVP_aes_256_cbc(), nullptr, key, iv, encrypt) == 1);
        std::string out(in.size() + 32, '\0');
        int n = 0;
        int tail = 0;
        REQUIRE(EVP_CipherUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &n,
                                 reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size())) == 1);
        REQUIRE(EVP_CipherFinal_ex(ctx.get(), reinterpret_cast<unsigned char*>(out.data()) + n, &tail) == 1);
        out.resize(static_cast<std::size_t>(n + tail));
        return out;
    };
    std::string plain = crypt(raw.substr(8), 0);
    REQUIRE(plain.size() > 15);
    REQUIRE(plain[14] == '/');
    const auto issued_ms = std::stoll(plain.substr(0, 14));
    const auto aged_ms = issued_ms - std::chrono::duration_cast<milliseconds>(age).count();
    std::string stamp = std::to_string(aged_ms);
    plain.replace(0, 14, std::string(14 - stamp.size(), '0') + stamp);
    const std::string forged = raw.substr(0, 8) + crypt(plain, 1);

    std::string out(4 * ((forged.size() + 2) / 3) + 1, '\0');
    const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                        reinterpret_cast<const unsigned char*>(forged.data()),
                                        static_cast<int>(forged.size()));
    out.resize(static_cast<std::size_t>(written));
    return out;
}

}  // namespace

TEST_CASE("ShardReader from TRIM_HORIZON reads every record once, in order, with its fields") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, shard] = one_shard_stream(endpoint.url, "reader-trim");
        const auto sequence_numbers = put_numbered(client, stream, "trim", 8);

        ShardReader reader(client, stream, shard, StartingPosition::trim_horizon(), fast_options());
        CHECK_FALSE(reader.last_sequence_number());
        auto read = drain(reader);
        CHECK(data_of(read.records) == numbered("trim", 0, 8));
        REQUIRE(read.records.size() == 8);
        for (std::size_t i = 0; i < read.records.size(); ++i) {
            CHECK(read.records[i].sequence_number == sequence_numbers[i]);
            CHECK(read.records[i].partition_key == "key-" + std::to_string(i));
            CHECK(read.records[i].approximate_arrival_timestamp.has_value());
        }
        CHECK(reader.last_sequence_number() == sequence_numbers.back());
        CHECK_FALSE(read.shard_end);
        CHECK_FALSE(reader.at_shard_end());
        CHECK(reader.stats().records == 8);
        CHECK(reader.stats().get_shard_iterator_calls == 1);
        require_ok(client.delete_stream({stream}));
    }
}

TEST_CASE("ShardReader from AT_SEQUENCE_NUMBER and AFTER_SEQUENCE_NUMBER starts at and after that record") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, shard] = one_shard_stream(endpoint.url, "reader-seq");
        const auto sequence_numbers = put_numbered(client, stream, "seq", 10);

        ShardReader at(client, stream, shard, StartingPosition::at_sequence_number(sequence_numbers[4]),
                       fast_options());
        CHECK(data_of(drain(at).records) == numbered("seq", 4, 10));

        ShardReader after(client, stream, shard,
                          StartingPosition::after_sequence_number(sequence_numbers[4]), fast_options());
        CHECK(data_of(drain(after).records) == numbered("seq", 5, 10));

        ShardReader after_last(client, stream, shard,
                               StartingPosition::after_sequence_number(sequence_numbers.back()), fast_options());
        CHECK(drain(after_last).records.empty());
        require_ok(client.delete_stream({stream}));
    }
}

TEST_CASE("ShardReader from LATEST reads only records written after its first call") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, shard] = one_shard_stream(endpoint.url, "reader-latest");
        put_numbered(client, stream, "before", 5);

        ShardReader reader(client, stream, shard, StartingPosition::latest(), fast_options());
        auto first = require_ok(reader.next());  // issues the LATEST iterator
        CHECK(first.records.empty());
        put_numbered(client, stream, "after", 4);
        CHECK(data_of(drain(reader).records) == numbered("after", 0, 4));
        require_ok(client.delete_stream({stream}));
    }
}

TEST_CASE("ShardReader from AT_TIMESTAMP reads the records that arrived at or after that time") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, shard] = one_shard_stream(endpoint.url, "reader-time");
        put_numbered(client, stream, "early", 4);
        // Arrival times may be kept to the second: a clear gap either side.
        std::this_thread::sleep_for(milliseconds(1100));
        const auto boundary = std::chrono::system_clock::now();
        std::this_thread::sleep_for(milliseconds(1100));
        put_numbered(client, stream, "late", 3);

        ShardReader reader(client, stream, shard, StartingPosition::at_timestamp(boundary),
                           fast_options());
        auto read = drain(reader);
        CHECK(data_of(read.records) == numbered("late", 0, 3));
        for (const auto& record : read.records) {
            REQUIRE(record.approximate_arrival_timestamp);
            CHECK(*record.approximate_arrival_timestamp >= boundary - std::chrono::seconds(1));
        }
        require_ok(client.delete_stream({stream}));
    }
}

TEST_CASE("many small batches deliver every record once, in sequence order, paced by min_interval") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, shard] = one_shard_stream(endpoint.url, "reader-many");
        const auto sequence_numbers = put_numbered(client, stream, "many", 31);

        auto options = fast_options();
        options.limit = 3;
        options.min_interval = milliseconds(50);
        options.max_idle_backoff = milliseconds(50);
        ShardReader reader(client, stream, shard, StartingPosition::trim_horizon(), options);
        const auto started = std::chrono::steady_clock::now();
        auto read = drain(reader, 2);
        const auto elapsed = std::chrono::steady_clock::now() - started;

        CHECK(data_of(read.records) == numbered("many", 0, 31));
        check_strictly_increasing(read.records);
        CHECK(reader.last_sequence_number() == sequence_numbers.back());
        // 31 records 3 at a time: 11 batches with records, then the empty ones.
        CHECK(reader.stats().get_records_calls >= 11);
        CHECK(elapsed >= options.min_interval * static_cast<int>(reader.stats().get_records_calls - 1));
        require_ok(client.delete_stream({stream}));
    }
}

TEST_CASE("a batch kept across next(batch) calls is refilled in place without stale or lost records") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, shard] = one_shard_stream(endpoint.url, "reader-kept");
        // Long and short records and keys in turn: every reused string must
        // shrink and grow, and no record may show a field of an earlier one.
        std::vector<std::string> data;
        std::vector<std::string> keys;
        std::vector<std::string> sequence_numbers;
        for (int i = 0; i < 20; ++i) {
            data.push_back(i % 2 == 0 ? std::string(300, static_cast<char>('a' + i)) + std::to_string(i)
                                      : std::to_string(i));
            keys.push_back(i % 2 == 0 ? "k" + std::to_string(i) : std::string(200, 'p') + std::to_string(i));
            sequence_numbers.push_back(put(client, stream, data.back(), keys.back()).sequence_number);
        }

        auto options = fast_options();
        options.limit = 3;  // 7 batches, the last one short
        ShardReader reader(client, stream, shard, StartingPosition::trim_horizon(), options);
        kinesis::RecordBatch batch;
        std::vector<Record> read;
        for (int call = 0; call < 30 && read.size() < data.size(); ++call) {
            require_ok(reader.next(batch));
            CHECK(batch.records.size() <= 3);
            read.insert(read.end(), batch.records.begin(), batch.records.end());
        }
        REQUIRE(read.size() == data.size());
        for (std::size_t i = 0; i < read.size(); ++i) {
            CAPTURE(i);
            CHECK(read[i].data == data[i]);
            CHECK(read[i].partition_key == keys[i]);
            CHECK(read[i].sequence_number == sequence_numbers[i]);
            CHECK(read[i].approximate_arrival_timestamp.has_value());
        }
        // Caught up: the kept batch comes back empty, not with the last records again.
        require_ok(reader.next(batch));
        CHECK(batch.records.empty());
        require_ok(client.delete_stream({stream}));
    }
}

TEST_CASE("an iterator older than iterator_max_age is renewed after the last record, losing and repeating none") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, shard] = one_shard_stream(endpoint.url, "reader-aged");
        put_numbered(client, stream, "aged", 10);

        auto clock = std::make_shared<AgingClock>();
        auto aging = make_client(endpoint.url, clock);
        auto options = fast_options();
        options.limit = 4;
        ShardReader reader(aging, stream, shard, StartingPosition::trim_horizon(), options);
        auto first = require_ok(reader.next());
        CHECK(data_of(first.records) == numbered("aged", 0, 4));

        // The reader "pauses" for 4m31s: its iterator is now too old to use.
        *clock->offset = std::chrono::seconds(271);
        auto rest = drain(reader);
        CHECK(data_of(rest.records) == numbered("aged", 4, 10));
        CHECK(reader.stats().proactive_renewals == 1);
        CHECK(reader.stats().expired_renewals == 0);
        CHECK(reader.stats().get_shard_iterator_calls == 2);
        require_ok(client.delete_stream({stream}));
    }
}

TEST_CASE("a LATEST reader renewed before any record keeps the records written since it started") {
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, shard] = one_shard_stream(endpoint.url, "reader-latest-aged");
        put_numbered(client, stream, "old", 3);
        // The renewal's AT_TIMESTAMP is our clock when LATEST was requested,
        // sent to the millisecond: a record that arrived within that much (or
        // the client-server clock skew) before it would be read too, so the
        // test leaves a clear gap.
        std::this_thread::sleep_for(milliseconds(200));

        auto clock = std::make_shared<AgingClock>();
        auto aging = make_client(endpoint.url, clock);
        ShardReader reader(aging, stream, shard, StartingPosition::latest(), fast_options());
        CHECK(require_ok(reader.next()).records.empty());
        // Arrival times may be kept to the second; LATEST was issued before this.
        std::this_thread::sleep_for(milliseconds(1100));
        put_numbered(client, stream, "new", 3);
        *clock->offset = std::chrono::minutes(5);
        // A fresh LATEST iterator would now skip "new-*"; the renewal must not.
        const auto read = data_of(drain(reader).records);
        CAPTURE(fmt::format("{}", fmt::join(read, " ")));
        CHECK(read == numbered("new", 0, 3));
        CHECK(reader.stats().proactive_renewals == 1);
        require_ok(client.delete_stream({stream}));
    }
}

TEST_CASE("an iterator kinesis-mock reports expired is renewed after the last record, losing and repeating none") {
    // moto's iterators carry no issue time and never expire, so only
    // kinesis-mock can answer ExpiredIteratorException.
    auto [client, stream, shard] = one_shard_stream(kinesis_test::kinesis_mock_endpoint(), "reader-expired");
    put_numbered(client, stream, "exp", 10);

    auto options = fast_options();
    options.limit = 4;
    ShardReader reader(client, stream, shard, StartingPosition::trim_horizon(), options);
    CHECK(data_of(require_ok(reader.next()).records) == numbered("exp", 0, 4));

    const auto& current = kinesis::detail::ShardReaderAccess::iterator(reader);
    REQUIRE(current);
    const auto expired = aged_kinesis_mock_iterator(*current, std::chrono::minutes(6));
    // The server itself rejects the re-stamped iterator; the fresh one still works.
    kinesis::GetRecordsRequest probe;
    probe.shard_iterator = expired;
    auto rejected = client.get_records(probe);
    REQUIRE_FALSE(rejected);
    CHECK(rejected.error().code == "ExpiredIteratorException");
    probe.shard_iterator = *current;
    CHECK(client.get_records(probe));

    kinesis::detail::ShardReaderAccess::set_iterator(reader, expired);
    auto rest = drain(reader);
    CHECK(data_of(rest.records) == numbered("exp", 4, 10));
    CHECK(reader.stats().expired_renewals == 1);
    CHECK(reader.stats().proactive_renewals == 0);
    CHECK(reader.stats().get_shard_iterator_calls == 2);
    require_ok(client.delete_stream({stream}));
}

TEST_CASE("ShardReader rejects a bad limit before sending anything") {
    auto client = make_client(kinesis_test::kinesis_mock_endpoint());
    auto options = fast_options();
    options.limit = 10001;
    ShardReader reader(client, "no-such-stream", "shardId-000000000000", StartingPosition::trim_horizon(), options);
    auto batch = reader.next();
    REQUIRE_FALSE(batch);
    CHECK(batch.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(batch.error().message == "ShardReader: limit is 10001; the range is 1 to 10000");
    CHECK(reader.stats().get_shard_iterator_calls == 0);
    CHECK(reader.stats().get_records_calls == 0);
}

TEST_CASE("a service error leaves the reader usable, and the reader adds no retry or backoff of its own") {
    auto client = make_client(kinesis_test::kinesis_mock_endpoint());
    auto options = fast_options();
    ShardReader reader(client, unique_name("absent"), "shardId-000000000000", StartingPosition::trim_horizon(),
                       options);
    auto batch = reader.next();
    REQUIRE_FALSE(batch);
    CHECK(batch.error().code == "ResourceNotFoundException");
    auto again = reader.next();
    REQUIRE_FALSE(again);
    CHECK(again.error().code == "ResourceNotFoundException");
    // One GetShardIterator per next(): the error is returned, not retried by the reader.
    CHECK(reader.stats().get_shard_iterator_calls == 2);
    CHECK(reader.stats().failed_calls == 2);
}

TEST_CASE("a stop request ends a ShardReader's pacing wait at once with ErrorKind::Stopped") {
    kinesis::StopSource stop;
    auto [plain, stream, shard] = one_shard_stream(kinesis_test::kinesis_mock_endpoint(), "reader-stop");
    auto client = make_client(kinesis_test::kinesis_mock_endpoint(), nullptr, stop.token());
    ShardReaderOptions options;
    options.min_interval = std::chrono::seconds(30);  // a wait no test could sit out
    options.max_idle_backoff = std::chrono::seconds(30);
    ShardReader reader(client, stream, shard, StartingPosition::trim_horizon(), options);
    require_ok(reader.next());  // the first call does not wait
    std::thread stopper([&stop] {
        std::this_thread::sleep_for(milliseconds(200));
        stop.request_stop();
    });
    auto paced = reader.next();
    stopper.join();
    REQUIRE_FALSE(paced);
    CHECK(paced.error().kind == kinesis::ErrorKind::Stopped);
    CHECK(reader.stats().get_records_calls == 1);
    require_ok(plain.delete_stream({stream}));
}

TEST_CASE("across a split every record written before and after it is read exactly once") {
    // 2^127: the midpoint of a single shard's hash key range.
    const std::string midpoint = "170141183460469231731687303715884105728";
    for (const auto& endpoint : endpoints()) {
        CAPTURE(endpoint.name);
        auto [client, stream, parent] = one_shard_stream(endpoint.url, "reader-split");

        std::vector<std::string> written = numbered("pre", 0, 12);
        put_numbered(client, stream, "pre", 12);

        kinesis::SplitShardRequest split;
        split.stream = stream;
        split.shard_to_split = parent;
        split.new_starting_hash_key = midpoint;
        require_ok(client.split_shard(split));
        require_ok(client.wait_until_stream_exists(stream, fast_waiter));

        const auto shards = require_ok(client.list_all_shards(stream));
        std::vector<std::string> children;
        for (const auto& shard : shards) {
            if (shard.parent_shard_id == parent) children.push_back(shard.shard_id);
        }
        REQUIRE(children.size() == 2);

        // Explicit hash keys 1 and 2^127 land one in each child.
        std::vector<std::string> post_shards;
        for (int i = 0; i < 10; ++i) {
            const auto data = "post-" + std::to_string(i);
            written.push_back(data);
            post_shards.push_back(put(client, stream, data, "post", i % 2 == 0 ? "1" : midpoint).shard_id);
        }

        ShardReader parent_reader(client, stream, parent, StartingPosition::trim_horizon(), fast_options());
        auto parent_read = drain(parent_reader);
        std::vector<Record> all = parent_read.records;

        if (endpoint.closes_split_parent) {
            // kinesis-mock: the parent ends, naming both children; the new
            // records went to the children, half each.
            CHECK(parent_read.shard_end);
            CHECK(parent_reader.at_shard_end());
            CHECK(data_of(parent_read.records) == numbered("pre", 0, 12));
            std::vector<std::string> reported;
            for (const auto& child : parent_read.child_shards) {
                reported.push_back(child.shard_id);
                CHECK(std::find(child.parent_shards.begin(), child.parent_shards.end(), parent) !=
                      child.parent_shards.end());
            }
            std::sort(reported.begin(), reported.end());
            auto expected_children = children;
            std::sort(expected_children.begin(), expected_children.end());
            CHECK(reported == expected_children);
            CHECK(std::count(post_shards.begin(), post_shards.end(), children[0]) == 5);
            CHECK(std::count(post_shards.begin(), post_shards.end(), children[1]) == 5);
            // Past the end: no further call, the same answer.
            const auto calls = parent_reader.stats().get_records_calls;
            auto after_end = require_ok(parent_reader.next());
            CHECK(after_end.shard_end);
            CHECK(after_end.records.empty());
            CHECK(after_end.child_shards.size() == 2);
            CHECK(parent_reader.stats().get_records_calls == calls);
        } else {
            // moto never ends a shard: GetRecords on the split parent always
            // returns a next iterator and no ChildShards, and put_record still
            // routes by the first shard whose range holds the key, which is
            // the (closed) parent, so every record stays there.
            CHECK_FALSE(parent_read.shard_end);
            CHECK_FALSE(parent_reader.at_shard_end());
            CHECK(parent_read.child_shards.empty());
            CHECK(std::count(post_shards.begin(), post_shards.end(), parent) == 10);
        }

        for (const auto& child : children) {
            CAPTURE(child);
            ShardReader child_reader(client, stream, child, StartingPosition::trim_horizon(), fast_options());
            auto child_read = drain(child_reader);
            CHECK_FALSE(child_read.shard_end);
            check_strictly_increasing(child_read.records);
            if (endpoint.closes_split_parent) CHECK(child_read.records.size() == 5);
            all.insert(all.end(), child_read.records.begin(), child_read.records.end());
        }

        auto read_data = data_of(all);
        std::sort(read_data.begin(), read_data.end());
        std::sort(written.begin(), written.end());
        CHECK(read_data == written);
        require_ok(client.delete_stream({stream}));
    }
}
