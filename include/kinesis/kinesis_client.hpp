// SPDX-License-Identifier: Apache-2.0
// Typed Kinesis Data Streams client: one function per operation, shapes from botocore's model.
#ifndef KINESIS_KINESIS_CLIENT_HPP
#define KINESIS_KINESIS_CLIENT_HPP

#include <kinesis/config.hpp>
#include <kinesis/config_macros.hpp>
#include <kinesis/error.hpp>
#include <kinesis/types.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

namespace detail {
class ServiceClient;
}


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

struct Consumer {
    std::string consumer_name;
    std::string consumer_arn;
    ConsumerStatus consumer_status = ConsumerStatus::Creating;
    Timestamp consumer_creation_timestamp{};
};

struct ConsumerDescription : Consumer {
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

/// `data` is borrowed: it must stay valid until the call returns, and is
/// copied once, base64-encoded, into the request body.
struct PutRecordRequest {
    StreamRef stream;
    std::string_view data;
    std::string partition_key;
    std::optional<std::string> explicit_hash_key;
    std::optional<std::string> sequence_number_for_ordering;
};

struct PutRecordResult {
    std::string shard_id;
    std::string sequence_number;
    std::optional<EncryptionType> encryption_type;
};

struct PutRecordsRequestEntry {
    std::string_view data;  ///< borrowed, as in PutRecordRequest
    std::string partition_key;
    std::optional<std::string> explicit_hash_key;
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
    std::vector<Consumer> consumers;
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

/// The Kinesis Data Streams API, one function per operation. Every function
/// checks its input before sending (errors name the field, the limit and
/// the value's size). Movable, not copyable; one thread at a time.
class KinesisClient {
public:
    /// Resolves region and endpoint now; throws kinesis::Exception when they
    /// cannot be resolved. No network call until the first operation.
    KINESIS_DECL explicit KinesisClient(const ClientConfig& config = {}, KinesisLimits limits = {});
    KINESIS_DECL ~KinesisClient();
    KINESIS_DECL KinesisClient(KinesisClient&&) noexcept;
    KINESIS_DECL KinesisClient& operator=(KinesisClient&&) noexcept;
    KinesisClient(const KinesisClient&) = delete;
    KinesisClient& operator=(const KinesisClient&) = delete;

    KINESIS_DECL Result<void> create_stream(const CreateStreamRequest& request);
    KINESIS_DECL Result<void> delete_stream(const DeleteStreamRequest& request);
    KINESIS_DECL Result<StreamDescription> describe_stream(const DescribeStreamRequest& request);
    KINESIS_DECL Result<StreamDescriptionSummary> describe_stream_summary(const StreamRef& stream);
    KINESIS_DECL Result<DescribeLimitsResult> describe_limits();
    KINESIS_DECL Result<ListStreamsResult> list_streams(const ListStreamsRequest& request = {});
    KINESIS_DECL Result<ListShardsResult> list_shards(const ListShardsRequest& request);
    KINESIS_DECL Result<PutRecordResult> put_record(const PutRecordRequest& request);
    KINESIS_DECL Result<PutRecordsResult> put_records(const PutRecordsRequest& request);
    KINESIS_DECL Result<GetShardIteratorResult> get_shard_iterator(const GetShardIteratorRequest& request);
    KINESIS_DECL Result<GetRecordsResult> get_records(const GetRecordsRequest& request);
    /// get_records() into a result the caller keeps between calls: records
    /// already in `out` are overwritten in place, so a polling loop reuses
    /// their strings instead of allocating three per record. On error `out`
    /// is left empty.
    KINESIS_DECL Result<void> get_records(const GetRecordsRequest& request, GetRecordsResult& out);
    KINESIS_DECL Result<UpdateShardCountResult> update_shard_count(const UpdateShardCountRequest& request);
    KINESIS_DECL Result<void> split_shard(const SplitShardRequest& request);
    KINESIS_DECL Result<void> merge_shards(const MergeShardsRequest& request);
    KINESIS_DECL Result<void> update_stream_mode(std::string_view stream_arn, StreamMode mode);
    KINESIS_DECL Result<void> increase_stream_retention_period(const StreamRef& stream, int hours);
    KINESIS_DECL Result<void> decrease_stream_retention_period(const StreamRef& stream, int hours);
    KINESIS_DECL Result<void> add_tags_to_stream(const StreamRef& stream,
                                                 const std::map<std::string, std::string>& tags);
    KINESIS_DECL Result<void> remove_tags_from_stream(const StreamRef& stream,
                                                      const std::vector<std::string>& tag_keys);
    KINESIS_DECL Result<ListTagsForStreamResult> list_tags_for_stream(
        const StreamRef& stream, std::optional<std::string> exclusive_start_tag_key = {},
        std::optional<int> limit = {});
    KINESIS_DECL Result<void> start_stream_encryption(const StreamRef& stream, EncryptionType type,
                                                      std::string_view key_id);
    KINESIS_DECL Result<void> stop_stream_encryption(const StreamRef& stream, EncryptionType type,
                                                     std::string_view key_id);
    KINESIS_DECL Result<Consumer> register_stream_consumer(std::string_view stream_arn,
                                                           std::string_view consumer_name);
    /// By stream ARN and consumer name, or by consumer ARN alone.
    KINESIS_DECL Result<ConsumerDescription> describe_stream_consumer(std::string_view stream_arn,
                                                                      std::string_view consumer_name,
                                                                      std::string_view consumer_arn = {});
    KINESIS_DECL Result<ListStreamConsumersResult> list_stream_consumers(
        std::string_view stream_arn, std::optional<std::string> next_token = {},
        std::optional<int> max_results = {});
    KINESIS_DECL Result<void> deregister_stream_consumer(std::string_view stream_arn,
                                                         std::string_view consumer_name,
                                                         std::string_view consumer_arn = {});

    // ---- all pages ----
    /// Every stream name and summary, following NextToken.
    KINESIS_DECL Result<ListStreamsResult> list_all_streams();
    /// Every shard, following NextToken (optionally filtered).
    KINESIS_DECL Result<std::vector<Shard>> list_all_shards(const StreamRef& stream,
                                                            std::optional<ShardFilter> filter = {});
    /// DescribeStream with every shard, following ExclusiveStartShardId.
    KINESIS_DECL Result<StreamDescription> describe_stream_all_shards(const StreamRef& stream);

    // ---- waiters (botocore StreamExists / StreamNotExists) ----
    /// Polls DescribeStream until ACTIVE; a Timeout error after max_attempts.
    KINESIS_DECL Result<StreamDescription> wait_until_stream_exists(const StreamRef& stream,
                                                                    WaiterConfig waiter = {});
    /// Polls DescribeStream until ResourceNotFoundException.
    KINESIS_DECL Result<void> wait_until_stream_not_exists(const StreamRef& stream, WaiterConfig waiter = {});

    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;
    [[nodiscard]] const KinesisLimits& limits() const noexcept { return limits_; }

private:
    std::unique_ptr<detail::ServiceClient> service_;
    KinesisLimits limits_;
    // Every PutRecords body is written here: a producer sending 500-record
    // batches then allocates its request buffer once, not once per call.
    std::string put_records_body_;
};

/// Compares two sequence numbers (decimal strings of up to 129 digits) as
/// numbers: by length, then lexicographically. Negative, zero, positive.
[[nodiscard]] KINESIS_DECL int compare_sequence_numbers(std::string_view a, std::string_view b) noexcept;

}  // namespace kinesis

// Inside detail/kinesis_protocol.hpp (which needs these types first), that header
// includes the definitions once its own declarations are complete.
#if defined(KINESIS_HEADER_ONLY) && !defined(KINESIS_DETAIL_KINESIS_PROTOCOL_HPP)
#include <kinesis/impl/kinesis_client.ipp>
#endif

#endif  // KINESIS_KINESIS_CLIENT_HPP
