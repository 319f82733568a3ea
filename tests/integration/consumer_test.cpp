// SPDX-License-Identifier: Apache-2.0
// Consumer in one process: every record read once through the processor, in
// order per shard, checkpoints written, resumption inside an aggregate,
// lease fencing, hand-over between two workers sharing a DynamoDB table, and
// resharding under a running consumer.
#include <kinesis/kinesis.hpp>

#include "integration/consumer_support.hpp"
#include "integration/endpoints.hpp"
#include "integration/producer_support.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using kinesis_test::ConsumerLog;
using kinesis_test::error_text;
using kinesis_test::KinesisEndpoint;

namespace {

kinesis::DynamoDbClient moto_dynamodb() {
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = kinesis_test::moto_endpoint();
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("testing", "testing");
    return kinesis::DynamoDbClient(config);
}

// Puts `count` records "r<i>" with partition keys "k<i>" through a Producer, aggregated; waits for all.
void produce(const KinesisEndpoint& endpoint, const std::string& stream, int first, int count) {
    kinesis::Producer producer(stream, kinesis_test::producer_config(endpoint));
    for (int i = first; i < first + count; ++i) {
        auto put = producer.put("r" + std::to_string(i), "k" + std::to_string(i));
        REQUIRE_MESSAGE(put, error_text(put));
    }
    REQUIRE(producer.flush(30s).wait().complete);
    REQUIRE(producer.metrics().user_records_failed == 0);
}

std::multiset<std::string> delivered_data(const ConsumerLog& log) {
    std::multiset<std::string> all;
    std::lock_guard<std::mutex> lock(log.mutex);
    for (const auto& [shard, records] : log.records) {
        for (const auto& record : records) all.insert(record.data);
    }
    return all;
}

// Sequence numbers never go back within a shard, and sub-sequence numbers rise within an aggregate.
void check_in_order(const ConsumerLog& log) {
    std::lock_guard<std::mutex> lock(log.mutex);
    for (const auto& [shard, records] : log.records) {
        CAPTURE(shard);
        for (std::size_t i = 1; i < records.size(); ++i) {
            const kinesis::ExtendedSequenceNumber before{records[i - 1].sequence_number,
                                                         records[i - 1].sub_sequence_number};
            const kinesis::ExtendedSequenceNumber after{records[i].sequence_number, records[i].sub_sequence_number};
            REQUIRE(kinesis::detail::compare(before, after) < 0);
        }
    }
}

}  // namespace

TEST_CASE("Consumer in memory: every record a Producer wrote to 4 shards is delivered once, in order per shard") {
    for (const auto& endpoint : kinesis_test::kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const auto name = kinesis_test::unique_name("consumer-all");
        kinesis_test::make_stream(endpoint, name, 4);
        produce(endpoint, name, 0, 3000);

        auto log = std::make_shared<ConsumerLog>();
        auto store = std::make_shared<kinesis::InMemoryLeaseStore>();
        kinesis::Consumer consumer(name, store, kinesis_test::recording_factory(log),
                                   kinesis_test::fast_consumer_config(kinesis_test::kinesis_config(endpoint), "w1"));
        auto started = consumer.start();
        REQUIRE_MESSAGE(started, error_text(started));
        REQUIRE(log->wait(30s, [&] { return log->total >= 3000; }));
        produce(endpoint, name, 3000, 500);  // after the start too
        REQUIRE(log->wait(30s, [&] { return log->total >= 3500; }));
        std::this_thread::sleep_for(500ms);  // nothing more arrives

        const auto metrics = consumer.metrics();
        CHECK(metrics.held_leases.size() == 4);
        CHECK(metrics.leases_taken == 4);
        CHECK(metrics.leases_created == 4);
        CHECK(metrics.checkpoint_errors == 0);
        CHECK(metrics.checkpoints >= 4);
        std::uint64_t processed = 0;
        for (const auto& [shard, counters] : metrics.shards) {
            processed += counters.records_processed;
            CHECK(counters.records_outside_shard_range == 0);
        }
        CHECK(processed == 3500);

        std::multiset<std::string> expected;
        for (int i = 0; i < 3500; ++i) expected.insert("r" + std::to_string(i));
        CHECK(delivered_data(*log) == expected);
        check_in_order(*log);

        consumer.shutdown();
        CHECK(consumer.wait_for(0ms));
        {
            std::lock_guard<std::mutex> lock(log->mutex);
            std::size_t shutdowns = 0;
            for (const auto& event : log->events) shutdowns += event.what == "shutdown_requested";
            CHECK(shutdowns == 4);
            CHECK(log->checkpoint_errors.empty());
        }
        // Released, and checkpointed at the last record of each shard.
        auto leases = store->list_leases();
        REQUIRE(leases);
        REQUIRE(leases->size() == 4);
        for (const auto& lease : *leases) {
            CAPTURE(lease.lease_key);
            CHECK(!lease.lease_owner);
            std::lock_guard<std::mutex> lock(log->mutex);
            const auto& records = log->records[lease.lease_key];
            REQUIRE(!records.empty());
            CHECK(lease.checkpoint == kinesis::ExtendedSequenceNumber{records.back().sequence_number,
                                                                      records.back().sub_sequence_number});
        }
        CHECK(consumer.metrics().leases_released == 4);
    }
}

TEST_CASE("Consumer: a checkpoint inside an aggregate resumes at the next user record of it") {
    for (const auto& endpoint : kinesis_test::kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const auto name = kinesis_test::unique_name("consumer-resume");
        auto stream = kinesis_test::make_stream(endpoint, name, 1);
        kinesis::KinesisClient client(kinesis_test::kinesis_config(endpoint));
        kinesis::Aggregator aggregator;
        for (int i = 0; i < 10; ++i) aggregator.add("key" + std::to_string(i), std::nullopt, "sub" + std::to_string(i));
        kinesis::PutRecordRequest request;
        request.stream = name;
        request.partition_key = "a";
        request.data = aggregator.finish();
        auto first = client.put_record(request);
        REQUIRE_MESSAGE(first, error_text(first));
        request.partition_key = "plain";
        request.data = "after";
        REQUIRE(client.put_record(request));

        // A worker that processed sub-records 0..4 and crashed.
        auto shards = client.list_all_shards(name);
        REQUIRE(shards);
        auto store = std::make_shared<kinesis::InMemoryLeaseStore>();
        kinesis::Lease lease = kinesis::new_lease_for_shard(shards->front(), {first->sequence_number, 4});
        lease.lease_owner = "crashed-worker";
        REQUIRE(store->create_lease_if_absent(lease));

        auto log = std::make_shared<ConsumerLog>();
        auto config = kinesis_test::fast_consumer_config(kinesis_test::kinesis_config(endpoint), "w2");
        kinesis::Consumer consumer(name, store, kinesis_test::recording_factory(log, false), config);
        REQUIRE(consumer.start());
        // The crashed worker's lease expires after the failover time, then is taken.
        REQUIRE(log->wait(20s, [&] { return log->total >= 6; }));
        std::this_thread::sleep_for(300ms);
        consumer.shutdown();
        std::lock_guard<std::mutex> lock(log->mutex);
        CHECK(log->starts[shards->front().shard_id] == kinesis::ExtendedSequenceNumber{first->sequence_number, 4});
        const auto& records = log->records[shards->front().shard_id];
        REQUIRE(records.size() == 6);
        for (int i = 0; i < 5; ++i) {
            CHECK(records[static_cast<std::size_t>(i)].data == "sub" + std::to_string(i + 5));
            CHECK(records[static_cast<std::size_t>(i)].sub_sequence_number == static_cast<std::uint64_t>(i + 5));
            CHECK(records[static_cast<std::size_t>(i)].aggregated);
        }
        CHECK(records[5].data == "after");
        CHECK(!records[5].aggregated);
    }
}

TEST_CASE("Consumer: an aggregate holding user records of another shard's range is delivered whole, those counted") {
    for (const auto& endpoint : kinesis_test::kinesis_endpoints()) {
        CAPTURE(endpoint.name);
        const auto name = kinesis_test::unique_name("consumer-range");
        kinesis_test::make_stream(endpoint, name, 2);
        auto config = kinesis_test::kinesis_config(endpoint);
        kinesis::KinesisClient client(config);
        auto shards = client.list_all_shards(name);
        REQUIRE_MESSAGE(shards, error_text(shards));
        REQUIRE(shards->size() == 2);
        const auto& first = shards->front();
        const auto& second = shards->back();
        // Three user records hash into the first shard's range, two into the
        // second's; the outer record goes to the first (a producer that mixed shards).
        kinesis::Aggregator aggregator;
        for (int i = 0; i < 5; ++i) {
            const std::string& hash =
                i < 3 ? first.hash_key_range.starting_hash_key : second.hash_key_range.ending_hash_key;
            aggregator.add("key" + std::to_string(i), hash, "mixed" + std::to_string(i));
        }
        kinesis::PutRecordRequest request;
        request.stream = name;
        request.partition_key = "a";
        request.explicit_hash_key = first.hash_key_range.starting_hash_key;
        request.data = aggregator.finish();
        auto put = client.put_record(request);
        REQUIRE_MESSAGE(put, error_text(put));
        REQUIRE(put->shard_id == first.shard_id);

        auto log = std::make_shared<ConsumerLog>();
        kinesis::Consumer consumer(name, std::make_shared<kinesis::InMemoryLeaseStore>(),
                                   kinesis_test::recording_factory(log),
                                   kinesis_test::fast_consumer_config(config, "w1"));
        auto started = consumer.start();
        REQUIRE_MESSAGE(started, error_text(started));
        REQUIRE(log->wait(30s, [&] { return log->total >= 5; }));
        std::this_thread::sleep_for(300ms);  // the shard's counters are updated after its batch is handed over
        const auto metrics = consumer.metrics();
        consumer.shutdown();
        std::lock_guard<std::mutex> lock(log->mutex);
        const auto& records = log->records[first.shard_id];
        REQUIRE(records.size() == 5);
        for (std::size_t i = 0; i < records.size(); ++i) {
            CHECK(records[i].data == "mixed" + std::to_string(i));
            CHECK(records[i].sub_sequence_number == i);
        }
        CHECK(log->records[second.shard_id].empty());
        REQUIRE(metrics.shards.count(first.shard_id) == 1);
        CHECK(metrics.shards.at(first.shard_id).records_outside_shard_range == 2);
        CHECK(metrics.shards.at(first.shard_id).records_processed == 5);
    }
}

TEST_CASE("Consumer: a worker whose lease was taken is refused its next checkpoint, and told lease_lost") {
    const KinesisEndpoint endpoint{"kinesis-mock", kinesis_test::kinesis_mock_endpoint()};
    const auto name = kinesis_test::unique_name("consumer-fence");
    kinesis_test::make_stream(endpoint, name, 1);
    produce(endpoint, name, 0, 10);

    auto store = std::make_shared<kinesis::InMemoryLeaseStore>();
    auto log = std::make_shared<ConsumerLog>();
    auto config = kinesis_test::fast_consumer_config(kinesis_test::kinesis_config(endpoint), "slow-worker");
    // Renewal every ~10 s: the checkpoint, not the renewer, finds the loss.
    config.lease.failover_time = 30s;
    kinesis::Consumer consumer(name, store, kinesis_test::recording_factory(log), config);
    REQUIRE(consumer.start());
    REQUIRE(log->wait(20s, [&] { return log->total >= 10; }));

    auto leases = store->list_leases();
    REQUIRE(leases);
    REQUIRE(leases->size() == 1);
    const kinesis::Lease before = leases->front();
    REQUIRE(before.lease_owner == std::string("slow-worker"));
    auto stolen = store->take_lease(before, "thief");
    REQUIRE_MESSAGE(stolen, error_text(stolen));

    produce(endpoint, name, 10, 5);
    REQUIRE(log->wait(20s, [&] { return log->index_of(before.lease_key, "lease_lost") >= 0; }));
    {
        std::lock_guard<std::mutex> lock(log->mutex);
        REQUIRE(!log->checkpoint_errors.empty());
        CHECK(kinesis::is_lease_lost(log->checkpoint_errors.front()));
        CHECK(log->index_of(before.lease_key, "shutdown_requested") == -1);
    }
    // The table kept the thief's row: the refused checkpoint wrote nothing.
    auto after = store->list_leases();
    REQUIRE(after);
    CHECK(after->front().lease_owner == std::string("thief"));
    CHECK(after->front().checkpoint == before.checkpoint);
    CHECK(after->front().lease_counter == stolen->lease_counter);
    consumer.shutdown();
    CHECK(consumer.metrics().leases_lost == 1);
    CHECK(consumer.metrics().held_leases.empty());
}

TEST_CASE("Consumer: two workers share a DynamoDB lease table 2 and 2, and a graceful stop hands over at once") {
    const KinesisEndpoint endpoint{"kinesis-mock", kinesis_test::kinesis_mock_endpoint()};
    const auto name = kinesis_test::unique_name("consumer-pair");
    kinesis_test::make_stream(endpoint, name, 4);
    const auto table = kinesis_test::unique_name("consumer-pair-app");
    auto log_a = std::make_shared<ConsumerLog>();
    auto log_b = std::make_shared<ConsumerLog>();
    auto store_a = std::make_shared<kinesis::DynamoDbLeaseStore>(moto_dynamodb(), table, kinesis_test::fast_waiter);
    auto store_b = std::make_shared<kinesis::DynamoDbLeaseStore>(moto_dynamodb(), table, kinesis_test::fast_waiter);
    auto config_a = kinesis_test::fast_consumer_config(kinesis_test::kinesis_config(endpoint), "worker-a");
    auto config_b = kinesis_test::fast_consumer_config(kinesis_test::kinesis_config(endpoint), "worker-b");
    // Long enough that only a release, never an expiry, explains a quick hand-over.
    config_a.lease.failover_time = config_b.lease.failover_time = 6s;

    auto a = std::make_unique<kinesis::Consumer>(name, store_a, kinesis_test::recording_factory(log_a), config_a);
    REQUIRE(a->start());
    REQUIRE(log_a->wait(10s, [&] { return log_a->events.size() >= 4; }));  // a took all 4 first
    kinesis::Consumer b(name, store_b, kinesis_test::recording_factory(log_b), config_b);
    REQUIRE(b.start());
    // b steals one lease per taker round (12 s at this failover) until 2 and 2.
    const auto settle_deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < settle_deadline &&
           !(a->metrics().held_leases.size() == 2 && b.metrics().held_leases.size() == 2)) {
        std::this_thread::sleep_for(200ms);
    }
    CHECK(a->metrics().held_leases.size() == 2);
    CHECK(b.metrics().held_leases.size() == 2);
    CHECK(b.metrics().leases_stolen == 2);
    CHECK(a->metrics().leases_lost == 2);

    produce(endpoint, name, 0, 400);
    const auto both_total = [&] {
        std::lock_guard<std::mutex> la(log_a->mutex);
        std::lock_guard<std::mutex> lb(log_b->mutex);
        return log_a->total + log_b->total;
    };
    const auto wait_total = [&](std::size_t n) {
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (both_total() < n && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
        return both_total() >= n;
    };
    REQUIRE(wait_total(400));

    const auto stopped_at = std::chrono::steady_clock::now();
    a->shutdown();
    CHECK(a->metrics().leases_released == 2);
    a.reset();
    while (b.metrics().held_leases.size() < 4 && std::chrono::steady_clock::now() - stopped_at < 30s) {
        std::this_thread::sleep_for(100ms);
    }
    const auto handed_over_after = std::chrono::steady_clock::now() - stopped_at;
    CHECK(b.metrics().held_leases.size() == 4);
    // Released leases are taken on b's next taker round (at most 12 s here),
    // not after they expire (6 s after the last renewal, plus the round).
    CHECK(handed_over_after <= kinesis::taker_interval(config_b.lease) + 2s);

    produce(endpoint, name, 400, 400);
    REQUIRE(wait_total(800));
    std::this_thread::sleep_for(500ms);
    b.shutdown();
    std::multiset<std::string> all = delivered_data(*log_a);
    for (const auto& data : delivered_data(*log_b)) all.insert(data);
    // Nothing lost; nothing twice: a checkpointed every batch before it let go.
    std::multiset<std::string> expected;
    for (int i = 0; i < 800; ++i) expected.insert("r" + std::to_string(i));
    CHECK(all == expected);
}

TEST_CASE("Consumer: a split and a merge under a running consumer, parents read to their end before children") {
    const KinesisEndpoint endpoint{"kinesis-mock", kinesis_test::kinesis_mock_endpoint()};
    const auto name = kinesis_test::unique_name("consumer-reshard");
    kinesis_test::make_stream(endpoint, name, 2);
    kinesis::KinesisClient client(kinesis_test::kinesis_config(endpoint));
    auto log = std::make_shared<ConsumerLog>();
    auto store = std::make_shared<kinesis::InMemoryLeaseStore>();
    kinesis::Consumer consumer(name, store, kinesis_test::recording_factory(log),
                               kinesis_test::fast_consumer_config(kinesis_test::kinesis_config(endpoint), "w"));
    REQUIRE(consumer.start());
    produce(endpoint, name, 0, 200);
    REQUIRE(log->wait(20s, [&] { return log->total >= 200; }));

    auto shards = client.list_all_shards(name);
    REQUIRE(shards);
    REQUIRE(shards->size() == 2);
    const std::string first = shards->at(0).shard_id;
    const std::string second = shards->at(1).shard_id;
    // Split the first shard at the middle of its range.
    const auto low = *kinesis::UInt128::from_decimal(shards->at(0).hash_key_range.starting_hash_key);
    const auto high = *kinesis::UInt128::from_decimal(shards->at(0).hash_key_range.ending_hash_key);
    kinesis::UInt128 middle{(low.hi >> 1) + (high.hi >> 1), 0};
    kinesis::SplitShardRequest split;
    split.stream = name;
    split.shard_to_split = first;
    split.new_starting_hash_key = middle.to_decimal();
    auto splitted = client.split_shard(split);
    REQUIRE_MESSAGE(splitted, error_text(splitted));
    REQUIRE(client.wait_until_stream_exists(name, kinesis_test::fast_waiter));  // ACTIVE again
    produce(endpoint, name, 200, 200);
    REQUIRE(log->wait(30s, [&] { return log->total >= 400; }));

    // Merge the two children of the split.
    shards = client.list_all_shards(name);
    REQUIRE(shards);
    std::vector<kinesis::Shard> children;
    for (const auto& shard : *shards) {
        if (shard.parent_shard_id == first) children.push_back(shard);
    }
    REQUIRE(children.size() == 2);
    std::sort(children.begin(), children.end(), [](const kinesis::Shard& x, const kinesis::Shard& y) {
        return *kinesis::UInt128::from_decimal(x.hash_key_range.starting_hash_key) <
               *kinesis::UInt128::from_decimal(y.hash_key_range.starting_hash_key);
    });
    kinesis::MergeShardsRequest merge;
    merge.stream = name;
    merge.shard_to_merge = children[0].shard_id;
    merge.adjacent_shard_to_merge = children[1].shard_id;
    auto merged = client.merge_shards(merge);
    REQUIRE_MESSAGE(merged, error_text(merged));
    REQUIRE(client.wait_until_stream_exists(name, kinesis_test::fast_waiter));
    produce(endpoint, name, 400, 200);
    REQUIRE(log->wait(30s, [&] { return log->total >= 600; }));
    std::this_thread::sleep_for(500ms);
    consumer.shutdown();

    std::multiset<std::string> expected;
    for (int i = 0; i < 600; ++i) expected.insert("r" + std::to_string(i));
    CHECK(delivered_data(*log) == expected);
    check_in_order(*log);
    shards = client.list_all_shards(name);
    REQUIRE(shards);
    std::lock_guard<std::mutex> lock(log->mutex);
    CHECK(log->checkpoint_errors.empty());
    for (const auto& shard : *shards) {
        for (const auto& parent : {shard.parent_shard_id, shard.adjacent_parent_shard_id}) {
            if (!parent) continue;
            CAPTURE(shard.shard_id);
            CAPTURE(*parent);
            const long ended = log->index_of(*parent, "shard_ended");
            const long started = log->index_of(shard.shard_id, "initialize");
            REQUIRE(ended >= 0);
            REQUIRE(started >= 0);
            CHECK(ended < started);
        }
    }
    CHECK(log->index_of(second, "shard_ended") == -1);  // never closed
}

namespace {
// Blocks in its first process_records until released: a processor far slower than its shard.
class StuckProcessor : public kinesis::RecordProcessor {
public:
    explicit StuckProcessor(std::shared_ptr<ConsumerLog> log) : log_(std::move(log)) {}
    void process_records(kinesis::ProcessRecordsInput& input, kinesis::Checkpointer&) override {
        log_->add("", "records", input.records.size());
        std::unique_lock<std::mutex> lock(log_->mutex);
        log_->changed.wait(lock, [&] { return log_->total > 0; });  // the test sets total to release
    }

private:
    std::shared_ptr<ConsumerLog> log_;
};
}  // namespace

TEST_CASE("Consumer: a slow processor slows its shard's reads, within the prefetch bound") {
    const KinesisEndpoint endpoint{"kinesis-mock", kinesis_test::kinesis_mock_endpoint()};
    const auto name = kinesis_test::unique_name("consumer-prefetch");
    kinesis_test::make_stream(endpoint, name, 1);
    kinesis::KinesisClient client(kinesis_test::kinesis_config(endpoint));
    std::vector<kinesis::PutRecordsRequestEntry> entries;
    for (int i = 0; i < 300; ++i) entries.push_back({"d" + std::to_string(i), "k", std::nullopt});
    kinesis::PutRecordsRequest request;
    request.stream = name;
    request.records = entries;
    auto put = client.put_records(request);
    REQUIRE_MESSAGE(put, error_text(put));
    REQUIRE(put->failed_record_count == 0);

    auto log = std::make_shared<ConsumerLog>();
    auto config = kinesis_test::fast_consumer_config(kinesis_test::kinesis_config(endpoint), "w");
    config.reader.limit = 10;
    config.max_prefetch_batches = 2;
    kinesis::Consumer consumer(name, std::make_shared<kinesis::InMemoryLeaseStore>(),
                               [log] { return std::make_unique<StuckProcessor>(log); }, config);
    REQUIRE(consumer.start());
    REQUIRE(log->wait(10s, [&] { return !log->events.empty(); }));
    std::this_thread::sleep_for(2s);  // ~40 polls' worth at this pace, were reads not held back
    const auto metrics = consumer.metrics();
    REQUIRE(metrics.shards.size() == 1);
    const auto& shard = metrics.shards.begin()->second;
    // One batch in the processor, two queued, one in the reader's hands.
    CHECK(shard.records_read <= 40);
    CHECK(shard.records_read >= 30);
    CHECK(shard.records_processed == 0);
    {
        std::lock_guard<std::mutex> lock(log->mutex);
        log->total = 1;
    }
    log->changed.notify_all();
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (consumer.metrics().shards.begin()->second.records_processed < 300 &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(50ms);
    }
    CHECK(consumer.metrics().shards.begin()->second.records_processed == 300);
    consumer.shutdown();
}
