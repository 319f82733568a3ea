// SPDX-License-Identifier: Apache-2.0
// tests/tools/fault_proxy.py in front of moto and kinesis-mock, driven by
// KinesisClient: each fault does what its script says, and what the backend
// holds afterwards (read from it directly) is exactly what was let through.
#include <kinesis/kinesis.hpp>

#include "integration/endpoints.hpp"
#include "integration/fault_proxy.hpp"

#include <doctest/doctest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using kinesis_test::FaultProxy;
using kinesis_test::fast_waiter;
using kinesis_test::kinesis_endpoints;
using kinesis_test::unique_name;
using Endpoint = kinesis_test::KinesisEndpoint;

template <class R>
void require_ok(const R& result) {
    REQUIRE_MESSAGE(result.has_value(), (result ? std::string() : result.error().to_string()));
}

/// A client talking to `url` (the proxy or the backend), retries as given (0: the default).
kinesis::KinesisClient client_at(const Endpoint& endpoint, const std::string& url, int max_attempts = 0,
                                 std::chrono::milliseconds request_timeout = std::chrono::seconds(30)) {
    auto config = kinesis_test::kinesis_config(endpoint);
    config.endpoint = url;
    config.retry.max_attempts = max_attempts;
    config.retry.base_delay = std::chrono::milliseconds(10);
    config.request_timeout = request_timeout;
    return kinesis::KinesisClient(config);
}

/// Creates a stream on the backend directly and waits until it is ACTIVE.
std::vector<kinesis::Shard> create_active(kinesis::KinesisClient& direct, const std::string& name, int shards) {
    kinesis::CreateStreamRequest create;
    create.stream_name = name;
    create.shard_count = shards;
    require_ok(direct.create_stream(create));
    auto active = direct.wait_until_stream_exists(name, fast_waiter);
    require_ok(active);
    kinesis::ListShardsRequest list;
    list.stream = name;
    auto listed = direct.list_shards(list);
    require_ok(listed);
    REQUIRE(listed->shards.size() == static_cast<std::size_t>(shards));
    return listed->shards;
}

void delete_stream(kinesis::KinesisClient& direct, const std::string& name) {
    require_ok(direct.delete_stream({name, false}));
}

/// Everything a shard holds, read from TRIM_HORIZON until `count` records
/// arrived or, once they have, one more empty poll says nothing else follows.
std::vector<kinesis::Record> read_shard(kinesis::KinesisClient& direct, const std::string& stream,
                                        const std::string& shard_id, std::size_t count) {
    kinesis::GetShardIteratorRequest request;
    request.stream = stream;
    request.shard_id = shard_id;
    request.shard_iterator_type = kinesis::ShardIteratorType::TrimHorizon;
    auto iterator = direct.get_shard_iterator(request);
    require_ok(iterator);
    std::vector<kinesis::Record> records;
    std::optional<std::string> next = iterator->shard_iterator;
    for (int poll = 0; poll < 20 && next; ++poll) {
        auto page = direct.get_records({*next, 1000, std::nullopt});
        require_ok(page);
        const bool empty = page->records.empty();
        for (auto& record : page->records) records.push_back(std::move(record));
        next = page->next_shard_iterator;
        if (records.size() >= count && empty) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return records;
}

std::vector<std::string> keys_of(const std::vector<kinesis::Record>& records) {
    std::vector<std::string> keys;
    for (const auto& record : records) keys.push_back(record.partition_key);
    return keys;
}

kinesis::PutRecordsRequest batch_of(const std::string& stream, int count) {
    kinesis::PutRecordsRequest batch;
    batch.stream = stream;
    for (int i = 0; i < count; ++i) batch.records.push_back({"data-" + std::to_string(i), "k" + std::to_string(i)});
    return batch;
}

/// The proxy's log holds fault lines only: no traceback, no handler error.
void check_log_clean(const FaultProxy& proxy) {
    const auto log = proxy.log();
    CHECK_MESSAGE(log.find("Traceback") == std::string::npos, log);
    CHECK_MESSAGE(log.find("error handling") == std::string::npos, log);
}

/// A loopback port nobody listens on.
std::string dead_url() {
    const int probe = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    socklen_t length = sizeof address;
    REQUIRE(::getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length) == 0);
    ::close(probe);
    return "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port));
}

}  // namespace

TEST_CASE("fault proxy: with no rules PutRecords and PutRecord pass through and land on the backend") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        FaultProxy proxy(endpoint.url);
        auto direct = client_at(endpoint, endpoint.url);
        auto client = client_at(endpoint, proxy.url());
        const auto name = unique_name("fp-pass");
        const auto shard = create_active(direct, name, 1).at(0).shard_id;
        proxy.set_script(R"({"record_keys": true, "rules": []})");

        auto put = client.put_records(batch_of(name, 3));
        require_ok(put);
        CHECK(put->failed_record_count == 0);
        CHECK(put->attempts == 1);
        REQUIRE(put->records.size() == 3);
        for (const auto& entry : put->records) CHECK(entry.shard_id == shard);
        kinesis::PutRecordRequest single;
        single.stream = name;
        single.data = "single";
        single.partition_key = "k3";
        require_ok(client.put_record(single));

        CHECK(proxy.stat("/operations/PutRecords/requests") == 1);
        CHECK(proxy.stat("/operations/PutRecords/forwarded") == 1);
        CHECK(proxy.stat("/operations/PutRecords/entries_forwarded") == 3);
        CHECK(proxy.stat("/operations/PutRecord/entries_forwarded") == 1);
        CHECK(proxy.stat("/backend_errors") == 0);
        CHECK(proxy.stat_strings("/forwarded_keys") == std::vector<std::string>{"k0", "k1", "k2", "k3"});
        CHECK(proxy.stat_strings("/failed_keys").empty());

        const auto records = read_shard(direct, name, shard, 4);
        CHECK(keys_of(records) == std::vector<std::string>{"k0", "k1", "k2", "k3"});
        REQUIRE(records.size() == 4);
        CHECK(records[0].data == "data-0");
        CHECK(records[3].data == "single");
        check_log_clean(proxy);
        delete_stream(direct, name);
    }
}

TEST_CASE("fault proxy: fail_entries fails exactly the chosen entries and the backend holds exactly the others") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        FaultProxy proxy(endpoint.url);
        auto direct = client_at(endpoint, endpoint.url);
        auto client = client_at(endpoint, proxy.url());
        const auto name = unique_name("fp-fail");
        const auto shard = create_active(direct, name, 1).at(0).shard_id;
        proxy.set_script(R"({"record_keys": true,
                             "rules": [{"action": "fail_entries", "indexes": [0, 5], "operation": "PutRecords"}]})");

        auto put = client.put_records(batch_of(name, 8));
        require_ok(put);
        CHECK(put->failed_record_count == 2);
        CHECK(put->attempts == 1);  // failed entries are the caller's to re-send, not a retry
        REQUIRE(put->records.size() == 8);
        for (std::size_t i = 0; i < 8; ++i) {
            CAPTURE(i);
            if (i == 0 || i == 5) {
                CHECK(put->records[i].error_code == std::optional<std::string>("InternalFailure"));
                CHECK(put->records[i].error_message.has_value());
                CHECK_FALSE(put->records[i].sequence_number.has_value());
            } else {
                CHECK(put->records[i].ok());
                CHECK(put->records[i].shard_id == shard);
                CHECK(put->records[i].sequence_number.has_value());
            }
        }
        CHECK(proxy.stat("/operations/PutRecords/entries_forwarded") == 6);
        CHECK(proxy.stat("/operations/PutRecords/entries_failed/InternalFailure") == 2);
        CHECK(proxy.stat("/rules/0/fired") == 1);
        CHECK(proxy.stat_strings("/failed_keys") == std::vector<std::string>{"k0", "k5"});

        const auto records = read_shard(direct, name, shard, 6);
        CHECK(keys_of(records) == std::vector<std::string>{"k1", "k2", "k3", "k4", "k6", "k7"});
        for (const auto& record : records) CHECK(record.data == "data-" + record.partition_key.substr(1));

        // Every entry chosen: nothing is forwarded, all come back failed.
        proxy.set_script(R"({"rules": [{"action": "fail_entries", "fraction": 1, "seed": 7,
                                        "error_code": "ProvisionedThroughputExceededException"}]})");
        auto all = client.put_records(batch_of(name, 3));
        require_ok(all);
        CHECK(all->failed_record_count == 3);
        for (const auto& entry : all->records) {
            CHECK(entry.error_code == std::optional<std::string>("ProvisionedThroughputExceededException"));
        }
        CHECK(proxy.stat("/operations/PutRecords/forwarded") == 0);
        CHECK(proxy.stat("/operations/PutRecords/answered_by_proxy") == 1);
        CHECK(read_shard(direct, name, shard, 6).size() == 6);
        check_log_clean(proxy);
        delete_stream(direct, name);
    }
}

TEST_CASE("fault proxy: throttle_shards fails exactly the entries that hash into that shard") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        FaultProxy proxy(endpoint.url);
        auto direct = client_at(endpoint, endpoint.url);
        auto client = client_at(endpoint, proxy.url(), 2);
        const auto name = unique_name("fp-throttle");
        const auto shards = create_active(direct, name, 2);
        const auto throttled = shards.at(1).shard_id;
        const auto open = shards.at(0).shard_id;
        const auto map = kinesis::ShardMap::from_shards(shards);
        require_ok(map);
        proxy.set_script(R"({"record_keys": true, "rules": [{"action": "throttle_shards", "shards": [")" + throttled +
                         R"("]}]})");

        auto batch = batch_of(name, 20);
        // An explicit hash key routes by itself: the last hash key is in the last shard.
        batch.records.push_back({"explicit", "x-explicit", std::string("340282366920938463463374607431768211455")});
        std::vector<std::string> expected_failed;
        std::vector<std::string> expected_kept;
        for (const auto& entry : batch.records) {
            const auto* shard = map->shard_for_partition_key(entry.partition_key, entry.explicit_hash_key);
            REQUIRE(shard != nullptr);
            (shard->shard_id == throttled ? expected_failed : expected_kept).push_back(entry.partition_key);
        }
        REQUIRE_FALSE(expected_failed.empty());
        REQUIRE_FALSE(expected_kept.empty());

        auto put = client.put_records(batch);
        require_ok(put);
        CHECK(put->failed_record_count == static_cast<int>(expected_failed.size()));
        REQUIRE(put->records.size() == batch.records.size());
        std::vector<std::string> failed;
        for (std::size_t i = 0; i < batch.records.size(); ++i) {
            CAPTURE(i);
            const auto& entry = put->records[i];
            if (entry.ok()) {
                CHECK(entry.shard_id == open);
            } else {
                failed.push_back(batch.records[i].partition_key);
                CHECK(entry.error_code == std::optional<std::string>("ProvisionedThroughputExceededException"));
                REQUIRE(entry.error_message.has_value());
                CHECK(entry.error_message->find("Rate exceeded for shard " + throttled + " in stream " + name) == 0);
            }
        }
        CHECK(failed == expected_failed);
        CHECK(proxy.stat_strings("/failed_keys") == expected_failed);
        CHECK(proxy.stat_strings("/forwarded_keys") == expected_kept);

        // PutRecord to the throttled shard: a 400 throttling error, retried, never forwarded.
        kinesis::PutRecordRequest single;
        single.stream = name;
        single.data = "single";
        single.partition_key = expected_failed.front();
        auto refused = client.put_record(single);
        REQUIRE_FALSE(refused);
        CHECK(refused.error().kind == kinesis::ErrorKind::Throttled);
        CHECK(refused.error().code == "ProvisionedThroughputExceededException");
        CHECK(refused.error().http_status == 400);
        CHECK(proxy.stat("/operations/PutRecord/requests") == 2);  // max_attempts 2
        CHECK(proxy.stat("/operations/PutRecord/forwarded") == 0);
        single.partition_key = expected_kept.front();
        auto accepted = client.put_record(single);
        require_ok(accepted);
        CHECK(accepted->shard_id == open);

        CHECK(read_shard(direct, name, throttled, 0).empty());
        auto kept = expected_kept;
        kept.push_back(expected_kept.front());
        CHECK(keys_of(read_shard(direct, name, open, kept.size())) == kept);
        check_log_clean(proxy);
        delete_stream(direct, name);
    }
}

TEST_CASE("fault proxy: status 503 twice, then the third attempt goes through") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        FaultProxy proxy(endpoint.url);
        auto direct = client_at(endpoint, endpoint.url);
        auto client = client_at(endpoint, proxy.url(), 3);
        const auto name = unique_name("fp-503");
        const auto shard = create_active(direct, name, 1).at(0).shard_id;
        proxy.set_script(R"([{"action": "status", "status": 503, "count": 2, "operation": "PutRecords"}])");

        auto put = client.put_records(batch_of(name, 2));
        require_ok(put);
        CHECK(put->attempts == 3);
        CHECK(put->failed_record_count == 0);
        CHECK(proxy.stat("/rules/0/fired") == 2);
        CHECK(proxy.stat("/operations/PutRecords/requests") == 3);
        CHECK(proxy.stat("/operations/PutRecords/forwarded") == 1);
        CHECK(keys_of(read_shard(direct, name, shard, 2)) == std::vector<std::string>{"k0", "k1"});

        // With fewer attempts than failures the caller sees the service's error.
        proxy.set_script(R"([{"action": "status", "status": 500, "count": 5}])");
        auto once = client_at(endpoint, proxy.url(), 1).put_records(batch_of(name, 1));
        REQUIRE_FALSE(once);
        CHECK(once.error().http_status == 500);
        CHECK(once.error().code == "InternalFailure");
        check_log_clean(proxy);
        delete_stream(direct, name);
    }
}

TEST_CASE("fault proxy: a stall longer than the request timeout is a Timeout, and nothing was written") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        FaultProxy proxy(endpoint.url);
        auto direct = client_at(endpoint, endpoint.url);
        auto client = client_at(endpoint, proxy.url(), 1, std::chrono::milliseconds(500));
        const auto name = unique_name("fp-stall");
        const auto shard = create_active(direct, name, 1).at(0).shard_id;
        proxy.set_script(R"([{"action": "stall", "seconds": 3, "count": 1, "operation": "PutRecord"}])");

        kinesis::PutRecordRequest single;
        single.stream = name;
        single.data = "stalled";
        single.partition_key = "stalled";
        const auto start = std::chrono::steady_clock::now();
        auto stalled = client.put_record(single);
        const auto waited = std::chrono::steady_clock::now() - start;
        REQUIRE_FALSE(stalled);
        CHECK(stalled.error().kind == kinesis::ErrorKind::Timeout);
        CHECK(waited < std::chrono::seconds(3));
        CHECK(proxy.stat("/operations/PutRecord/forwarded") == 0);

        single.data = "after";
        single.partition_key = "after";
        require_ok(client.put_record(single));  // count 1: the rule is spent
        CHECK(keys_of(read_shard(direct, name, shard, 1)) == std::vector<std::string>{"after"});
        check_log_clean(proxy);
        delete_stream(direct, name);
    }
}

TEST_CASE("fault proxy: a reset mid-answer is a transport error, and the backend holds the record") {
    for (const auto& endpoint : kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        FaultProxy proxy(endpoint.url);
        auto direct = client_at(endpoint, endpoint.url);
        auto client = client_at(endpoint, proxy.url(), 1);
        const auto name = unique_name("fp-reset");
        const auto shard = create_active(direct, name, 1).at(0).shard_id;
        proxy.set_script(R"([{"action": "reset_mid_answer", "count": 1, "operation": "PutRecord"}])");

        kinesis::PutRecordRequest single;
        single.stream = name;
        single.data = "written-before-the-reset";
        single.partition_key = "reset";
        auto lost = client.put_record(single);
        REQUIRE_FALSE(lost);
        CHECK(lost.error().kind == kinesis::ErrorKind::Transport);
        CHECK(lost.error().retryable());
        CHECK(proxy.stat("/operations/PutRecord/forwarded") == 1);
        CHECK(proxy.stat("/rules/0/fired") == 1);

        const auto records = read_shard(direct, name, shard, 1);
        REQUIRE(records.size() == 1);
        CHECK(records[0].data == "written-before-the-reset");
        check_log_clean(proxy);
        delete_stream(direct, name);
    }
}

TEST_CASE("fault proxy: delay answers late but answers") {
    const auto endpoint = kinesis_endpoints().front();
    FaultProxy proxy(endpoint.url);
    auto client = client_at(endpoint, proxy.url(), 1);
    proxy.set_script(R"([{"action": "delay", "seconds": 0.4, "operation": "ListStreams", "after": 1}])");
    const auto fast_start = std::chrono::steady_clock::now();
    require_ok(client.list_streams({}));  // skipped by "after"
    const auto fast = std::chrono::steady_clock::now() - fast_start;
    const auto slow_start = std::chrono::steady_clock::now();
    require_ok(client.list_streams({}));
    const auto slow = std::chrono::steady_clock::now() - slow_start;
    CHECK(slow >= std::chrono::milliseconds(400));
    CHECK(fast < std::chrono::milliseconds(400));
    CHECK(proxy.stat("/rules/0/matched") == 2);
    CHECK(proxy.stat("/rules/0/fired") == 1);
    check_log_clean(proxy);
}

TEST_CASE("fault proxy: a malformed script is refused with a message and changes nothing") {
    FaultProxy proxy(kinesis_endpoints().front().url);
    proxy.set_script(R"([{"action": "status", "status": 503}])");
    for (const char* bad : {"{not json", R"([{"action": "explode"}])", R"([{"action": "stall"}])",
                            R"([{"action": "stall", "seconds": 1, "secs": 2}])",
                            R"([{"action": "fail_entries", "indexes": [0], "fraction": 0.5}])",
                            R"({"rules": [], "extra": 1})"}) {
        CAPTURE(bad);
        const auto answer = proxy.post_script(bad);
        CHECK(answer.status == 400);
        CHECK(answer.body.find("\"error\"") != std::string::npos);
    }
    CHECK(proxy.stats_json().find("\"action\": \"status\"") != std::string::npos);  // the old rules stand
    proxy.reset();
    CHECK(proxy.stats_json().find("\"rules\": []") != std::string::npos);
}

TEST_CASE("fault proxy: with its backend gone the proxy closes the connection, a transport error") {
    const auto endpoint = kinesis_endpoints().front();
    FaultProxy proxy(dead_url());
    auto client = client_at(endpoint, proxy.url(), 1);
    auto listed = client.list_streams({});
    REQUIRE_FALSE(listed);
    CHECK(listed.error().kind == kinesis::ErrorKind::Transport);
    CHECK(proxy.stat("/backend_errors") == 1);
    // The proxy itself lives on.
    CHECK(proxy.stat("/operations/ListStreams/requests") == 1);
    CHECK(proxy.log().find("backend error on ListStreams") != std::string::npos);
}
