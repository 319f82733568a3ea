// SPDX-License-Identifier: Apache-2.0
// Stream: a handle for one Kinesis data stream over a (possibly shared) KinesisClient.
#ifndef KINESIS_STREAMS_STREAM_HPP
#define KINESIS_STREAMS_STREAM_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/protocol/waiter.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/shard_map.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

/// How Stream::ensure() creates a stream that does not exist yet.
struct EnsureOptions {
    int shard_count = 1;                           ///< sent for PROVISIONED only
    StreamMode stream_mode = StreamMode::Provisioned;
    WaiterConfig waiter{};                         ///< polling until ACTIVE
};

/// One stream, named by name or ARN, and the client that talks to it.
///
/// Threading: not thread-safe; use one Stream from one thread at a time.
/// Streams built over one shared KinesisClient share its connection and its
/// parser, so all of them together must be used from one thread at a time
/// (give each thread its own client, or use the ClientConfig constructor).
class Stream {
public:
    /// Owns a new KinesisClient; throws kinesis::Exception when the config's
    /// region or endpoint cannot be resolved. No network call here.
    KINESIS_DECL Stream(const ClientConfig& config, StreamRef stream, KinesisLimits limits = {});
    /// Shares `client` (not null) with other handles.
    KINESIS_DECL Stream(std::shared_ptr<KinesisClient> client, StreamRef stream);

    /// Creates the stream if it does not exist (a stream created meanwhile by
    /// someone else counts as existing), then waits until it is ACTIVE. An
    /// existing stream is kept as it is, whatever its shard count or mode. A
    /// stream named by ARN only cannot be created; it must exist already.
    KINESIS_DECL Result<StreamDescriptionSummary> ensure(const EnsureOptions& options = {});
    /// DescribeStreamSummary.
    KINESIS_DECL Result<StreamDescriptionSummary> describe();
    /// Every shard, open and closed, following ListShards' NextToken.
    KINESIS_DECL Result<std::vector<Shard>> shards();
    /// The open shards as a hash-key map (one ListShards pass).
    KINESIS_DECL Result<ShardMap> shard_map();

    /// PutRecord; pass a temporary or std::move() a std::string to avoid a copy.
    KINESIS_DECL Result<PutRecordResult> put_record(std::string data, std::string partition_key,
                                                    std::optional<std::string> explicit_hash_key = {});
    /// PutRecords (1..500 entries, each owning its bytes); per-entry results
    /// keep each failure.
    KINESIS_DECL Result<PutRecordsResult> put_records(std::vector<PutRecordsRequestEntry> records);

    /// UpdateShardCount with uniform scaling, then waits until ACTIVE again.
    KINESIS_DECL Result<StreamDescriptionSummary> scale(int target_shard_count, WaiterConfig waiter = {});
    /// Sets the retention period, increasing or decreasing it as the current
    /// value requires (no call when it is already `retention`). 24..8,760 h.
    KINESIS_DECL Result<void> set_retention(std::chrono::hours retention);

    /// AddTagsToStream (at most 50 tags per call, as the API allows).
    KINESIS_DECL Result<void> add_tags(const std::map<std::string, std::string>& tags);
    /// RemoveTagsFromStream.
    KINESIS_DECL Result<void> remove_tags(const std::vector<std::string>& keys);
    /// Every tag, following ListTagsForStream's pages; a tag without a value maps to "".
    KINESIS_DECL Result<std::map<std::string, std::string>> tags();

    /// DeleteStream, then waits until DescribeStream answers ResourceNotFound.
    /// A stream that is already gone counts as removed.
    KINESIS_DECL Result<void> remove(bool enforce_consumer_deletion = false, WaiterConfig waiter = {});

    /// The stream as it was given (name, ARN or both).
    [[nodiscard]] const StreamRef& ref() const noexcept { return stream_; }
    [[nodiscard]] KinesisClient& client() noexcept { return *client_; }
    [[nodiscard]] const std::shared_ptr<KinesisClient>& shared_client() const noexcept { return client_; }

private:
    std::shared_ptr<KinesisClient> client_;
    StreamRef stream_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/streams/impl/stream.inl.hpp>
#endif

#endif  // KINESIS_STREAMS_STREAM_HPP
