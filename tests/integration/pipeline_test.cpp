// SPDX-License-Identifier: Apache-2.0
// The call pipeline on an event loop: many calls in flight on one thread,
// streaming answers over HTTP/1.1 and h2c, and stop requests that end waits.
#include <kinesis/protocol/detail/service_client.hpp>

#include <kinesis/auth/credentials.hpp>
#include <kinesis/http/transport.hpp>
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/streams/shard_reader.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>
#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace {

using std::chrono::milliseconds;

template <class T>
T require_ok(kinesis::Result<T> result) {
    REQUIRE_MESSAGE(result, (result ? std::string() : result.error().to_string()));
    return std::move(result).value();
}

kinesis::ClientConfig mock_config() {
    return kinesis_test::kinesis_config({"kinesis-mock", kinesis_test::kinesis_mock_endpoint()});
}

std::string create_stream(kinesis::KinesisClient& client, std::string_view prefix, int shards) {
    auto name = kinesis_test::unique_name(prefix);
    kinesis::CreateStreamRequest create;
    create.stream_name = name;
    create.shard_count = shards;
    require_ok(client.create_stream(create));
    require_ok(client.wait_until_stream_exists(name, kinesis_test::fast_waiter));
    return name;
}

std::multiset<std::string> read_all(kinesis::KinesisClient& client, const std::string& stream) {
    std::multiset<std::string> out;
    kinesis::ShardReaderOptions options;
    options.min_interval = milliseconds(10);
    for (const auto& shard : require_ok(client.list_all_shards(stream))) {
        kinesis::ShardReader reader(client, stream, shard.shard_id, kinesis::StartingPosition::trim_horizon(),
                                    options);
        for (int empty = 0; empty < 2;) {
            auto batch = require_ok(reader.next());
            empty = batch.records.empty() ? empty + 1 : 0;
            for (auto& record : batch.records) out.insert(record.data);
        }
    }
    return out;
}

// kinesis-mock checks that the SigV4 headers are there, not their value.
kinesis::HttpRequest unsigned_kinesis_request(std::string_view operation, std::string body) {
    auto request = kinesis::HttpRequest::from_url("POST", kinesis_test::kinesis_mock_endpoint()).value();
    request.set_header("Content-Type", "application/x-amz-json-1.1");
    request.set_header("X-Amz-Target", fmt::format("Kinesis_20131202.{}", operation));
    request.set_header("X-Amz-Date", "20261122T000000Z");
    request.set_header("Authorization",
                       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261122/us-east-1/kinesis/aws4_request, "
                       "SignedHeaders=host;x-amz-date, Signature=0");
    request.body = std::move(body);
    return request;
}

std::uint32_t big_endian_u32(const std::string& bytes, std::size_t at) {
    return (std::uint32_t(static_cast<unsigned char>(bytes[at])) << 24) |
           (std::uint32_t(static_cast<unsigned char>(bytes[at + 1])) << 16) |
           (std::uint32_t(static_cast<unsigned char>(bytes[at + 2])) << 8) |
           std::uint32_t(static_cast<unsigned char>(bytes[at + 3]));
}

}  // namespace

TEST_CASE("256 PutRecord calls started on one thread all succeed against kinesis-mock, each record stored once") {
    kinesis::EventLoop loop;
    kinesis::KinesisClient client(mock_config(), loop);
    const auto stream = create_stream(client, "pipeline-256", 2);

    constexpr int calls = 256;
    int succeeded = 0;
    int failed = 0;
    int most_in_flight = 0;
    std::set<std::string> sequence_numbers;
    std::multiset<std::string> written;
    for (int i = 0; i < calls; ++i) {
        const std::string data = fmt::format("record-{}", i);
        written.insert(data);
        kinesis::PutRecordRequest put;
        put.stream = stream;
        put.data = data;  // the body is written before put_record_async returns
        put.partition_key = fmt::format("key-{}", i);
        client.put_record_async(put, [&](kinesis::Result<kinesis::PutRecordResult> result) {
            if (result && !result->sequence_number.empty() && !result->shard_id.empty()) {
                ++succeeded;
                sequence_numbers.insert(result->sequence_number);
                CHECK(result->attempts >= 1);
            } else {
                ++failed;
                if (!result) MESSAGE(result.error().to_string());
            }
        });
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (succeeded + failed < calls && std::chrono::steady_clock::now() < deadline) {
        most_in_flight = std::max(most_in_flight, static_cast<int>(loop.in_flight()));
        loop.run_once(milliseconds(100));
    }
    CHECK(succeeded == calls);
    CHECK(failed == 0);
    CHECK(sequence_numbers.size() == static_cast<std::size_t>(calls));
    // The calls really overlapped: far more than one was on the wire at once.
    CHECK(most_in_flight > 16);
    CHECK(loop.connections_opened() <= 64);
    CHECK(read_all(client, stream) == written);
    require_ok(client.delete_stream({stream}));
}

TEST_CASE("an async call started from another thread runs on the loop's thread and calls back there") {
    kinesis::EventLoop loop;
    kinesis::KinesisClient client(mock_config(), loop);
    const auto stream = create_stream(client, "pipeline-thread", 1);

    kinesis::StopSource stop;
    std::thread::id loop_thread;
    std::thread runner([&] {
        loop_thread = std::this_thread::get_id();
        loop.run(stop.token());
    });
    std::vector<std::promise<std::pair<bool, std::thread::id>>> done(10);
    for (int i = 0; i < 10; ++i) {
        const std::string data = fmt::format("threaded-{}", i);
        kinesis::PutRecordRequest put;
        put.stream = stream;
        put.data = data;
        put.partition_key = "k";
        client.put_record_async(put, [&done, i](kinesis::Result<kinesis::PutRecordResult> result) {
            done[static_cast<std::size_t>(i)].set_value({static_cast<bool>(result), std::this_thread::get_id()});
        });
    }
    std::vector<std::pair<bool, std::thread::id>> outcomes;
    for (auto& promise : done) outcomes.push_back(promise.get_future().get());
    stop.request_stop();
    runner.join();
    for (const auto& [ok, thread] : outcomes) {
        CHECK(ok);
        CHECK((thread == loop_thread));
    }
    CHECK(require_ok(client.describe_stream_summary(stream)).open_shard_count == 1);
    require_ok(client.delete_stream({stream}));
}

TEST_CASE("bad input to an async call fails through its callback on a later turn, before anything is sent") {
    kinesis::EventLoop loop;
    kinesis::KinesisClient client(mock_config(), loop);
    kinesis::PutRecordRequest put;
    put.stream = "any-stream";
    put.data = "x";
    put.partition_key = std::string(300, 'k');
    std::optional<kinesis::Result<kinesis::PutRecordResult>> answer;
    client.put_record_async(put, [&](kinesis::Result<kinesis::PutRecordResult> result) { answer = std::move(result); });
    CHECK_FALSE(answer.has_value());  // never inside the call
    loop.run_once(std::chrono::seconds(5));
    REQUIRE(answer.has_value());
    REQUIRE_FALSE(*answer);
    CHECK(answer->error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(answer->error().message.find("partition_key has 300 characters") != std::string::npos);
    CHECK(loop.connections_opened() == 0);
}

TEST_CASE("a SubscribeToShard answer from kinesis-mock is read piece by piece while it is still open") {
    kinesis::KinesisClient client(mock_config());
    const auto stream = create_stream(client, "pipeline-subscribe", 1);
    const auto summary = require_ok(client.describe_stream_summary(stream));
    // One consumer per protocol: a second subscription of one consumer to one
    // shard within 5 s is refused (ResourceInUseException), as AWS does.
    std::vector<kinesis::StreamConsumer> consumers;
    for (const char* name : {"pipeline-http1", "pipeline-h2c"}) {
        consumers.push_back(require_ok(client.register_stream_consumer(summary.stream_arn, name)));
        for (int i = 0; i < 50; ++i) {
            auto described = require_ok(client.describe_stream_consumer(summary.stream_arn, name));
            if (described.consumer_status == kinesis::ConsumerStatus::Active) break;
            std::this_thread::sleep_for(milliseconds(200));
        }
    }
    const auto shard = require_ok(client.list_all_shards(stream)).at(0).shard_id;
    for (int i = 0; i < 3; ++i) {
        kinesis::PutRecordRequest put;
        put.stream = stream;
        const std::string data = fmt::format("streamed-{}", i);
        put.data = data;
        put.partition_key = "k";
        require_ok(client.put_record(put));
    }

    for (const bool h2c : {false, true}) {
        CAPTURE(h2c);
        kinesis::HttpOptions options;
        options.http2_prior_knowledge = h2c;
        kinesis::EventLoop loop(options);
        const auto body = fmt::format(R"({{"ConsumerARN":"{}","ShardId":"{}","StartingPosition":{{"Type":"TRIM_HORIZON"}}}})",
                                      consumers[h2c ? 1 : 0].consumer_arn, shard);
        int head_status = 0;
        int head_version = 0;
        int chunks = 0;
        bool chunk_before_head = false;
        std::string received;
        kinesis::ResponseStream sink;
        sink.on_headers = [&](const kinesis::HttpResponse& head) {
            head_status = head.status;
            head_version = head.http_version;
        };
        sink.on_chunk = [&](std::string_view chunk) {
            if (head_status == 0) chunk_before_head = true;
            ++chunks;
            received.append(chunk);
            // The subscription would stay open for 5 minutes: end it once the
            // records' event has arrived.
            return received.find("streamed-") == std::string::npos &&
                   received.find("c3RyZWFtZWQt") == std::string::npos;  // "streamed-" in base64
        };
        std::optional<kinesis::Result<kinesis::HttpResponse>> done;
        loop.send(unsigned_kinesis_request("SubscribeToShard", body),
                  [&](kinesis::Result<kinesis::HttpResponse> result) { done = std::move(result); }, sink);
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (!done && std::chrono::steady_clock::now() < deadline) loop.run_once(milliseconds(200));
        REQUIRE(done.has_value());
        REQUIRE_FALSE(*done);
        CHECK(done->error().kind == kinesis::ErrorKind::Stopped);  // ended by our reader, not by the server
        CHECK(head_status == 200);
        CHECK(head_version == (h2c ? 20 : 11));
        CHECK_FALSE(chunk_before_head);
        CHECK(chunks >= 1);
        // The body is event-stream frames: total length, headers length, prelude CRC, headers...
        REQUIRE(received.size() >= 16);
        const auto first_frame = big_endian_u32(received, 0);
        CHECK(first_frame >= 16);
        CHECK(first_frame <= received.size());
        CHECK(received.find(":event-type") != std::string::npos);
        CHECK(received.find("SubscribeToShardEvent") != std::string::npos);
    }
    kinesis::DeleteStreamRequest remove;
    remove.stream = stream;
    remove.enforce_consumer_deletion = true;
    require_ok(client.delete_stream(remove));
}

TEST_CASE("a stop request ends a call's retry backoff at once, with ErrorKind::Stopped and the last error") {
    kinesis::StopSource stop;
    kinesis::ClientConfig config = mock_config();
    config.endpoint = "http://127.0.0.1:1";  // refuses connections: a retryable Transport error
    config.retry.max_attempts = 100;
    config.retry.base_delay = std::chrono::seconds(5);
    config.retry.max_backoff = std::chrono::seconds(5);
    config.stop = stop.token();
    kinesis::detail::ServiceClient service(config, {"kinesis", "KINESIS", "kinesis"});
    std::thread stopper([&stop] {
        std::this_thread::sleep_for(milliseconds(300));
        stop.request_stop();
    });
    kinesis::detail::CallReport report;
    auto response = service.call(service.json_call("Kinesis_20131202", "ListStreams", "1.1", "{}"), &report);
    stopper.join();
    REQUIRE_FALSE(response);
    CHECK(response.error().kind == kinesis::ErrorKind::Stopped);
    CHECK_FALSE(response.error().retryable());
    CHECK(response.error().message.find("last attempt: Transport") != std::string::npos);
    // 99 retries 0-5 s apart cannot all have happened in 300 ms.
    CHECK(report.attempt_count() >= 1);
    CHECK(report.attempt_count() < 100);
    for (const auto& attempt : report.attempts) CHECK(attempt.error_code == "Transport");

    // A stop ends waits, not calls: a call made after it tries once, and does not retry.
    auto after = service.call(service.json_call("Kinesis_20131202", "ListStreams", "1.1", "{}"), &report);
    REQUIRE_FALSE(after);
    CHECK(after.error().kind == kinesis::ErrorKind::Stopped);
    CHECK(report.attempt_count() == 1);
}

TEST_CASE("a stop request ends a waiter's wait between polls") {
    kinesis::KinesisClient plain(mock_config());
    const auto stream = create_stream(plain, "pipeline-waiter", 1);
    kinesis::StopSource stop;
    auto config = mock_config();
    config.stop = stop.token();
    kinesis::KinesisClient client(config);
    std::thread stopper([&stop] {
        std::this_thread::sleep_for(milliseconds(300));
        stop.request_stop();
    });
    // The stream stays: without the stop this would poll for 10 minutes.
    auto waited = client.wait_until_stream_not_exists(stream, kinesis::WaiterConfig{std::chrono::minutes(1), 10});
    stopper.join();
    REQUIRE_FALSE(waited);
    CHECK(waited.error().kind == kinesis::ErrorKind::Stopped);
    CHECK(waited.error().message.find("still exists") != std::string::npos);
    require_ok(plain.delete_stream({stream}));
}

TEST_CASE("PutRecord and PutRecords results say how many attempts they took") {
    kinesis::KinesisClient client(mock_config());
    const auto stream = create_stream(client, "pipeline-attempts", 1);
    kinesis::PutRecordRequest put;
    put.stream = stream;
    put.data = "once";
    put.partition_key = "k";
    CHECK(require_ok(client.put_record(put)).attempts == 1);
    kinesis::PutRecordsRequest batch;
    batch.stream = stream;
    batch.records.push_back({"a", "k", std::nullopt});
    CHECK(require_ok(client.put_records(batch)).attempts == 1);
    require_ok(client.delete_stream({stream}));
}

TEST_CASE("over TLS the pipeline speaks HTTP/2 where the server offers it by ALPN (kinesis-mock's TLS port)") {
    auto config = mock_config();
    config.endpoint = kinesis_test::kinesis_mock_tls_endpoint();
    config.verify_tls = false;  // kinesis-mock's own self-signed certificate
    kinesis::detail::ServiceClient service(config, {"kinesis", "KINESIS", "kinesis"});
    auto response = service.call(service.json_call("Kinesis_20131202", "ListStreams", "1.1", "{}"));
    REQUIRE_MESSAGE(response, (response ? std::string() : response.error().to_string()));
    CHECK(response->status == 200);
    CHECK(response->http_version == 20);
    CHECK(response->body.find("StreamNames") != std::string::npos);

    // Several calls in flight share one HTTP/2 connection (multiplexed).
    kinesis::EventLoop loop;
    kinesis::KinesisClient client(config, loop);
    int done = 0;
    int ok = 0;
    for (int i = 0; i < 20; ++i) {
        kinesis::ListShardsRequest request;
        request.stream = "no-such-stream-h2";
        client.list_shards_async(request, [&](kinesis::Result<kinesis::ListShardsResult> result) {
            ++done;
            // The stream does not exist: an answer from the service, over HTTP/2.
            if (!result && result.error().code == "ResourceNotFoundException") ++ok;
        });
    }
    while (done < 20) loop.run_once(std::chrono::seconds(1));
    CHECK(ok == 20);
    CHECK(loop.connections_opened() <= 2);
}
