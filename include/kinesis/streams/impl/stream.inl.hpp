// SPDX-License-Identifier: Apache-2.0
// Definitions for streams/stream.hpp.
#ifndef KINESIS_STREAMS_IMPL_STREAM_INL_HPP
#define KINESIS_STREAMS_IMPL_STREAM_INL_HPP

#include <kinesis/streams/stream.hpp>

#include <utility>

namespace kinesis {

KINESIS_DECL Stream::Stream(const ClientConfig& config, StreamRef stream, KinesisLimits limits)
    : client_(std::make_shared<KinesisClient>(config, limits)), stream_(std::move(stream)) {}

KINESIS_DECL Stream::Stream(std::shared_ptr<KinesisClient> client, StreamRef stream)
    : client_(std::move(client)), stream_(std::move(stream)) {
    if (!client_) throw Exception(invalid_argument("Stream: client is null"));
}

KINESIS_DECL Result<StreamDescriptionSummary> Stream::ensure(const EnsureOptions& options) {
    if (stream_.name.empty()) {
        // CreateStream takes a name only; an ARN names a stream that must exist.
        auto summary = client_->describe_stream_summary(stream_);
        if (!summary) return std::move(summary).error();
    } else {
        CreateStreamRequest request;
        request.stream_name = stream_.name;
        if (options.stream_mode == StreamMode::OnDemand) {
            request.stream_mode = StreamMode::OnDemand;
        } else {
            request.shard_count = options.shard_count;
        }
        auto created = client_->create_stream(request);
        // ResourceInUseException: the stream exists (or is being created),
        // perhaps by another process racing us; waiting covers both.
        if (!created && created.error().code != "ResourceInUseException") return std::move(created).error();
    }
    auto active = client_->wait_until_stream_exists(stream_, options.waiter);
    if (!active) return std::move(active).error();
    return describe();
}

KINESIS_DECL Result<StreamDescriptionSummary> Stream::describe() {
    return client_->describe_stream_summary(stream_);
}

KINESIS_DECL Result<std::vector<Shard>> Stream::shards() { return client_->list_all_shards(stream_); }

KINESIS_DECL Result<ShardMap> Stream::shard_map() {
    auto all = shards();
    if (!all) return std::move(all).error();
    return ShardMap::from_shards(std::move(*all));
}

KINESIS_DECL Result<PutRecordResult> Stream::put_record(std::string data, std::string partition_key,
                                                        std::optional<std::string> explicit_hash_key) {
    PutRecordRequest request;
    request.stream = stream_;
    request.data = std::move(data);
    request.partition_key = std::move(partition_key);
    request.explicit_hash_key = std::move(explicit_hash_key);
    return client_->put_record(request);
}

KINESIS_DECL Result<PutRecordsResult> Stream::put_records(std::vector<PutRecordsRequestEntry> records) {
    PutRecordsRequest request;
    request.stream = stream_;
    request.records = std::move(records);
    return client_->put_records(request);
}

KINESIS_DECL Result<StreamDescriptionSummary> Stream::scale(int target_shard_count, WaiterConfig waiter) {
    UpdateShardCountRequest request;
    request.stream = stream_;
    request.target_shard_count = target_shard_count;
    auto updated = client_->update_shard_count(request);
    if (!updated) return std::move(updated).error();
    // The stream is UPDATING until the new shards are open.
    auto active = client_->wait_until_stream_exists(stream_, waiter);
    if (!active) return std::move(active).error();
    return describe();
}

KINESIS_DECL Result<void> Stream::set_retention(std::chrono::hours retention) {
    // Checked here too, so an out-of-range value fails before the describe call.
    if (retention.count() < 24 || retention.count() > 8760) {
        return invalid_argument("set_retention: retention is " + std::to_string(retention.count()) +
                                " hours; the limit is 24 to 8760");
    }
    const int hours = static_cast<int>(retention.count());
    auto summary = describe();
    if (!summary) return std::move(summary).error();
    // The API has one call per direction and rejects a no-op in either.
    if (hours == summary->retention_period_hours) return {};
    if (hours > summary->retention_period_hours) return client_->increase_stream_retention_period(stream_, hours);
    return client_->decrease_stream_retention_period(stream_, hours);
}

KINESIS_DECL Result<void> Stream::add_tags(const std::map<std::string, std::string>& tags) {
    return client_->add_tags_to_stream(stream_, tags);
}

KINESIS_DECL Result<void> Stream::remove_tags(const std::vector<std::string>& keys) {
    return client_->remove_tags_from_stream(stream_, keys);
}

KINESIS_DECL Result<std::map<std::string, std::string>> Stream::tags() {
    std::map<std::string, std::string> out;
    std::optional<std::string> start;
    for (;;) {
        auto page = client_->list_tags_for_stream(stream_, start);
        if (!page) return std::move(page).error();
        for (auto& tag : page->tags) out[tag.key] = tag.value.value_or(std::string());
        // HasMoreTags with an empty page would loop forever on a broken server.
        if (!page->has_more_tags || page->tags.empty()) break;
        start = page->tags.back().key;
    }
    return out;
}

KINESIS_DECL Result<void> Stream::remove(bool enforce_consumer_deletion, WaiterConfig waiter) {
    DeleteStreamRequest request;
    request.stream = stream_;
    request.enforce_consumer_deletion = enforce_consumer_deletion;
    auto deleted = client_->delete_stream(request);
    if (!deleted && deleted.error().code != "ResourceNotFoundException") return deleted;
    return client_->wait_until_stream_not_exists(stream_, waiter);
}

}  // namespace kinesis

#endif  // KINESIS_STREAMS_IMPL_STREAM_INL_HPP
