// SPDX-License-Identifier: Apache-2.0
// Kinesis Data Streams shapes as botocore names them: requests, results, enums.
#ifndef KINESIS_STREAMS_MODEL_HPP
#define KINESIS_STREAMS_MODEL_HPP

#include <kinesis/core/error.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/core/time.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {



enum class StreamStatus { Creating, Deleting, Active, Updating };
enum class StreamMode { Provisioned, OnDemand };
enum class EncryptionType { None, Kms };
enum class ShardIteratorType { AtSequenceNumber, AfterSequenceNumber, TrimHorizon, Latest, AtTimestamp };
enum class ShardFilterType { AfterShardId, AtTrimHorizon, FromTrimHorizon, AtLatest, AtTimestamp, FromTimestamp };
enum class ConsumerStatus { Creating, Deleting, Active };

/// The wire names: "ACTIVE", "ON_DEMAND", "TRIM_HORIZON", ...
[[nodiscard]] KINESIS_DECL std::string_view to_string(StreamStatus value) noexcept;
[[nodiscard]] KINESIS_DECL std::string_view to_string(StreamMode value) noexcept;
[[nodiscard]] KINESIS_DECL std::string_view to_string(EncryptionType value) noexcept;
[[nodiscard]] KINESIS_DECL std::string_view to_string(ShardIteratorType value) noexcept;
[[nodiscard]] KINESIS_DECL std::string_view to_string(ShardFilterType value) noexcept;
[[nodiscard]] KINESIS_DECL std::string_view to_string(ConsumerStatus value) noexcept;

/// Names a stream by name or by ARN: a value starting with "arn:" is an ARN
/// (stream names cannot contain ':'), so `"test"` and an ARN both convert.
struct StreamRef {
    std::string name;
    std::string arn;

    StreamRef() = default;
    StreamRef(std::string name_or_arn);            // NOLINT: implicit by design
    StreamRef(const char* name_or_arn);            // NOLINT
    StreamRef(std::string_view name_or_arn);       // NOLINT
    [[nodiscard]] bool empty() const noexcept { return name.empty() && arn.empty(); }
    /// The name, or the ARN when only that is known; for messages.
    [[nodiscard]] const std::string& display() const noexcept { return name.empty() ? arn : name; }
};

/// Decimal strings of up to 128 bits, as the API sends them.
struct HashKeyRange {
    std::string starting_hash_key;
    std::string ending_hash_key;
};

struct SequenceNumberRange {
    std::string starting_sequence_number;
    std::optional<std::string> ending_sequence_number;  ///< set once the shard is closed
};

struct Shard {
    std::string shard_id;
    std::optional<std::string> parent_shard_id;
    std::optional<std::string> adjacent_parent_shard_id;
    HashKeyRange hash_key_range;
    SequenceNumberRange sequence_number_range;
    [[nodiscard]] bool is_open() const noexcept { return !sequence_number_range.ending_sequence_number; }
};

struct ChildShard {
    std::string shard_id;
    std::vector<std::string> parent_shards;
    HashKeyRange hash_key_range;
};

struct EnhancedMetrics {
    std::vector<std::string> shard_level_metrics;
};

struct StreamDescription {
    std::string stream_name;
    std::string stream_arn;
    StreamStatus stream_status = StreamStatus::Creating;
    std::optional<StreamMode> stream_mode;
    std::vector<Shard> shards;
    bool has_more_shards = false;
    int retention_period_hours = 24;
    Timestamp stream_creation_timestamp{};
    std::vector<EnhancedMetrics> enhanced_monitoring;
    std::optional<EncryptionType> encryption_type;
    std::optional<std::string> key_id;
};

struct StreamDescriptionSummary {
    std::string stream_name;
    std::string stream_arn;
    std::optional<std::string> stream_id;
    StreamStatus stream_status = StreamStatus::Creating;
    std::optional<StreamMode> stream_mode;
    int retention_period_hours = 24;
    Timestamp stream_creation_timestamp{};
    std::vector<EnhancedMetrics> enhanced_monitoring;
    std::optional<EncryptionType> encryption_type;
    std::optional<std::string> key_id;
    int open_shard_count = 0;
    std::optional<int> consumer_count;
    std::optional<int> max_record_size_kib;
};

struct StreamSummary {
    std::string stream_name;
    std::string stream_arn;
    StreamStatus stream_status = StreamStatus::Creating;
    std::optional<StreamMode> stream_mode;
    std::optional<Timestamp> stream_creation_timestamp;
};

struct Tag {
    std::string key;
    std::optional<std::string> value;
};

struct StreamConsumer {
    std::string consumer_name;
    std::string consumer_arn;
    ConsumerStatus consumer_status = ConsumerStatus::Creating;
    Timestamp consumer_creation_timestamp{};
};

struct ConsumerDescription : StreamConsumer {
    std::string stream_arn;
};

// ---- requests and results, named after the model's shapes ----

struct CreateStreamRequest {
    std::string stream_name;
    std::optional<int> shard_count;        ///< required for PROVISIONED
    std::optional<StreamMode> stream_mode; ///< empty: the service default (PROVISIONED)
    std::map<std::string, std::string> tags;
    std::optional<int> max_record_size_kib;  ///< 1024..10240
};

struct DeleteStreamRequest {
    StreamRef stream;
    bool enforce_consumer_deletion = false;
};

struct DescribeStreamRequest {
    StreamRef stream;
    std::optional<int> limit;  ///< 1..10000 shards per page
    std::optional<std::string> exclusive_start_shard_id;
};

struct DescribeLimitsResult {
    int shard_limit = 0;
    int open_shard_count = 0;
    int on_demand_stream_count = 0;
    int on_demand_stream_count_limit = 0;
};

struct ListStreamsRequest {
    std::optional<int> limit;  ///< 1..10000
    std::optional<std::string> exclusive_start_stream_name;
    std::optional<std::string> next_token;
};

struct ListStreamsResult {
    std::vector<std::string> stream_names;
    bool has_more_streams = false;
    std::optional<std::string> next_token;
    std::vector<StreamSummary> stream_summaries;
};

struct ShardFilter {
    ShardFilterType type = ShardFilterType::AtTrimHorizon;
    std::optional<std::string> shard_id;
    std::optional<Timestamp> timestamp;
};

struct ListShardsRequest {
    StreamRef stream;  ///< empty when next_token is set (the API forbids both)
    std::optional<std::string> next_token;
    std::optional<std::string> exclusive_start_shard_id;
    std::optional<int> max_results;  ///< 1..10000
    std::optional<Timestamp> stream_creation_timestamp;
    std::optional<ShardFilter> shard_filter;
};

struct ListShardsResult {
    std::vector<Shard> shards;
    std::optional<std::string> next_token;
};

/// The request owns its bytes: move a std::string into `data` to avoid a copy.
struct PutRecordRequest {
    StreamRef stream;
    std::string data;
    std::string partition_key;
    std::optional<std::string> explicit_hash_key = std::nullopt;
    std::optional<std::string> sequence_number_for_ordering = std::nullopt;
};

struct PutRecordResult {
    std::string shard_id;
    std::string sequence_number;
    std::optional<EncryptionType> encryption_type;
    /// Attempts the call took, the last included. A record retried after a
    /// timeout or a lost connection may have been written by an earlier
    /// attempt as well: Kinesis writes at least once, and a reader may see it twice.
    int attempts = 1;
};

/// One record of a PutRecords batch. The entry owns its bytes, so a batch
/// built in a loop from temporaries (`entries.push_back({make_payload(i), key})`)
/// stays valid; move a std::string in to avoid a copy.
struct PutRecordsRequestEntry {
    std::string data;
    std::string partition_key;
    std::optional<std::string> explicit_hash_key = std::nullopt;  ///< `{data, key}` needs no third value
};

struct PutRecordsRequest {
    StreamRef stream;
    std::vector<PutRecordsRequestEntry> records;  ///< 1..500
};

/// One entry per request entry, in order: a sequence number and shard id, or
/// an error code and message (ProvisionedThroughputExceededException,
/// InternalFailure) so exactly the failed entries can be sent again.
struct PutRecordsResultEntry {
    std::optional<std::string> sequence_number;
    std::optional<std::string> shard_id;
    std::optional<std::string> error_code;
    std::optional<std::string> error_message;
    [[nodiscard]] bool ok() const noexcept { return !error_code.has_value(); }
};

struct PutRecordsResult {
    int failed_record_count = 0;
    std::vector<PutRecordsResultEntry> records;
    std::optional<EncryptionType> encryption_type;
    /// Attempts the call took, the last included. A record retried after a
    /// timeout or a lost connection may have been written by an earlier
    /// attempt as well: Kinesis writes at least once, and a reader may see it twice.
    int attempts = 1;
};

struct GetShardIteratorRequest {
    StreamRef stream;
    std::string shard_id;
    ShardIteratorType shard_iterator_type = ShardIteratorType::TrimHorizon;
    std::optional<std::string> starting_sequence_number;  ///< AT_/AFTER_SEQUENCE_NUMBER
    std::optional<Timestamp> timestamp;                   ///< AT_TIMESTAMP
};

struct GetShardIteratorResult {
    std::string shard_iterator;
};

struct GetRecordsRequest {
    std::string shard_iterator;
    std::optional<int> limit;  ///< 1..10000
    std::optional<std::string> stream_arn;
};

/// A record as read back; `data` holds the decoded bytes.
struct Record {
    std::string sequence_number;
    std::optional<Timestamp> approximate_arrival_timestamp;
    std::string data;
    std::string partition_key;
    std::optional<EncryptionType> encryption_type;
};

struct GetRecordsResult {
    std::vector<Record> records;
    std::optional<std::string> next_shard_iterator;  ///< empty once a closed shard is read to its end
    std::optional<std::chrono::milliseconds> millis_behind_latest;
    std::vector<ChildShard> child_shards;
};

struct UpdateShardCountRequest {
    StreamRef stream;
    int target_shard_count = 1;
};

struct UpdateShardCountResult {
    std::string stream_name;
    int current_shard_count = 0;
    int target_shard_count = 0;
    std::optional<std::string> stream_arn;
};

struct SplitShardRequest {
    StreamRef stream;
    std::string shard_to_split;
    std::string new_starting_hash_key;
};

struct MergeShardsRequest {
    StreamRef stream;
    std::string shard_to_merge;
    std::string adjacent_shard_to_merge;
};

struct ListTagsForStreamResult {
    std::vector<Tag> tags;
    bool has_more_tags = false;
};

struct ListStreamConsumersResult {
    std::vector<StreamConsumer> consumers;
    std::optional<std::string> next_token;
};

/// Validation limits a client checks before sending.
struct KinesisLimits {
    /// Data plus partition key per record; a stream may allow up to 10 MiB.
    std::size_t max_record_bytes = 1024 * 1024;
    /// The whole PutRecords request (sum of data and keys); 5 MiB by default,
    /// the current API allows 10 MiB.
    std::size_t max_put_records_bytes = 5 * 1024 * 1024;
};

/// Compares two sequence numbers (decimal strings of up to 129 digits) as
/// numbers: by length, then lexicographically. Negative, zero, positive.
[[nodiscard]] KINESIS_DECL int compare_sequence_numbers(std::string_view a, std::string_view b) noexcept;

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/streams/impl/model.inl.hpp>
#endif

#endif  // KINESIS_STREAMS_MODEL_HPP
