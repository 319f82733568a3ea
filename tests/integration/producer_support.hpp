// SPDX-License-Identifier: Apache-2.0
// Helpers the Producer integration tests share: a stream to write to, a
// producer's config, and what the stream holds afterwards, read back.
#ifndef KINESIS_TESTS_INTEGRATION_PRODUCER_SUPPORT_HPP
#define KINESIS_TESTS_INTEGRATION_PRODUCER_SUPPORT_HPP

#include <kinesis/kinesis.hpp>
#include <kinesis/producer.hpp>

#include "integration/endpoints.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <iterator>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace kinesis_test {

template <class T>
inline std::string error_text(const kinesis::Result<T>& result) {
    return result ? std::string() : result.error().to_string();
}

/// The stream `name` on `endpoint` with `shards` shards (made if missing), ACTIVE.
inline kinesis::Stream make_stream(const KinesisEndpoint& endpoint, const std::string& name, int shards) {
    kinesis::Stream stream(kinesis_config(endpoint), name);
    kinesis::EnsureOptions options;
    options.shard_count = shards;
    options.waiter = fast_waiter;
    auto created = stream.ensure(options);
    REQUIRE_MESSAGE(created, error_text(created));
    return stream;
}

/// A producer talking to `endpoint`, every other setting the default.
inline kinesis::ProducerConfig producer_config(const KinesisEndpoint& endpoint) {
    kinesis::ProducerConfig config;
    config.client = kinesis_config(endpoint);
    return config;
}

/// One shard as read back, and the user records it holds in its order.
struct ReadShard {
    kinesis::Shard shard;
    std::vector<kinesis::UserRecord> records;
};

/// Every user record in the stream, from every shard (closed ones too), in
/// each shard's order, aggregates taken apart; read from `url` (the backend,
/// never a proxy in front of it) on behalf of `endpoint`.
inline std::vector<ReadShard> read_back(const KinesisEndpoint& endpoint, const std::string& url,
                                        const std::string& stream) {
    auto config = kinesis_config(endpoint);
    config.endpoint = url;
    kinesis::KinesisClient client(config);
    auto shards = client.list_all_shards(stream);
    REQUIRE_MESSAGE(shards, error_text(shards));
    std::vector<ReadShard> out;
    kinesis::ShardReaderOptions options;
    options.min_interval = std::chrono::milliseconds(20);
    options.max_idle_backoff = std::chrono::milliseconds(100);
    for (const auto& shard : *shards) {
        kinesis::ShardReader reader(client, stream, shard.shard_id, kinesis::StartingPosition::trim_horizon(), options);
        ReadShard read{shard, {}};
        int empty_polls = 0;
        while (!reader.at_shard_end() && empty_polls < 3) {
            auto batch = reader.next();
            REQUIRE_MESSAGE(batch, error_text(batch));
            if (batch->records.empty()) {
                ++empty_polls;
                continue;
            }
            empty_polls = 0;
            for (const auto& record : batch->records) kinesis::deaggregate(record, read.records);
        }
        out.push_back(std::move(read));
    }
    return out;
}

/// A user record as put: (partition key, data).
using KeyData = std::pair<std::string, std::string>;

/// Every user record read back, as (partition key, data).
inline std::multiset<KeyData> multiset_of(const std::vector<ReadShard>& shards) {
    std::multiset<KeyData> all;
    for (const auto& shard : shards) {
        for (const auto& record : shard.records) all.emplace(record.partition_key, record.data);
    }
    return all;
}

/// What `a` holds more often than `b` does (multiset difference), sorted.
inline std::vector<KeyData> minus(const std::multiset<KeyData>& a, const std::multiset<KeyData>& b) {
    std::vector<KeyData> out;
    std::set_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_INTEGRATION_PRODUCER_SUPPORT_HPP
