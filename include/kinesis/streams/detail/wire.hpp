// SPDX-License-Identifier: Apache-2.0
// Kinesis wire format as pure functions: input checks, request bodies, answer parsers.
#ifndef KINESIS_STREAMS_DETAIL_WIRE_HPP
#define KINESIS_STREAMS_DETAIL_WIRE_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/detail/checks.hpp>
#include <kinesis/core/detail/json_writer.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/model.hpp>

#include <cstddef>
#include <map>
#include <optional>
#include <vector>
#include <string>
#include <string_view>

namespace kinesis::detail {

class JsonParser;

/// "Kinesis_20131202": the X-Amz-Target prefix; the protocol is AWS JSON 1.1.
inline constexpr std::string_view kinesis_target_prefix = "Kinesis_20131202";
inline constexpr std::string_view kinesis_json_version = "1.1";

// ---- input checks: nullopt when fine, else an InvalidArgument naming op, field, limit, size ----

/// Unicode code points in UTF-8 text (bytes that do not start a sequence are not counted).
[[nodiscard]] KINESIS_DECL std::size_t count_code_points(std::string_view text) noexcept;
/// `0|([1-9]\d{0,38})` and at most 2^128-1.
[[nodiscard]] KINESIS_DECL bool is_hash_key(std::string_view text) noexcept;
/// `0|([1-9]\d{0,128})`.
[[nodiscard]] KINESIS_DECL bool is_sequence_number(std::string_view text) noexcept;

[[nodiscard]] KINESIS_DECL std::optional<Error> check_stream_name(std::string_view op, std::string_view field,
                                                                  std::string_view name);
/// Exactly one of name and ARN, each well-formed.
[[nodiscard]] KINESIS_DECL std::optional<Error> check_stream_ref(std::string_view op, const StreamRef& stream);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_stream_arn(std::string_view op, std::string_view field,
                                                                 std::string_view arn);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_shard_id(std::string_view op, std::string_view field,
                                                               std::string_view shard_id);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_partition_key(std::string_view op, std::string_view field,
                                                                    std::string_view key);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_explicit_hash_key(std::string_view op, std::string_view field,
                                                                        std::string_view key);

[[nodiscard]] KINESIS_DECL std::optional<Error> check_create_stream(const CreateStreamRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_put_record(const PutRecordRequest& request,
                                                                 const KinesisLimits& limits);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_put_records(const PutRecordsRequest& request,
                                                                  const KinesisLimits& limits);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_get_shard_iterator(const GetShardIteratorRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_get_records(const GetRecordsRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_list_shards(const ListShardsRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_retention(std::string_view op, const StreamRef& stream,
                                                                int hours);

// ---- request bodies: appended to `out`, which the caller sizes and reuses ----

/// `"StreamName":"..."` or `"StreamARN":"..."` as the next member(s) of an open object.
KINESIS_DECL void write_stream_ref(JsonWriter& writer, const StreamRef& stream);
/// Epoch seconds with milliseconds, as a JSON number (the AWS JSON timestamp form).
KINESIS_DECL void append_epoch_seconds(std::string& out, Timestamp time);

/// The exact size write_put_records() appends, so one reserve() covers it.
[[nodiscard]] KINESIS_DECL std::size_t put_records_body_size(const PutRecordsRequest& request) noexcept;
KINESIS_DECL void write_put_records(const PutRecordsRequest& request, std::string& out);
KINESIS_DECL void write_put_record(const PutRecordRequest& request, std::string& out);
KINESIS_DECL void write_create_stream(const CreateStreamRequest& request, std::string& out);
KINESIS_DECL void write_get_shard_iterator(const GetShardIteratorRequest& request, std::string& out);
KINESIS_DECL void write_get_records(const GetRecordsRequest& request, std::string& out);
KINESIS_DECL void write_list_shards(const ListShardsRequest& request, std::string& out);

// ---- bodies of the other operations (checked by the client before writing) ----

/// `{"StreamName": ...}` or `{"StreamARN": ...}`: the whole body of several operations.
[[nodiscard]] KINESIS_DECL std::string write_stream_only(const StreamRef& stream);
/// Increase/DecreaseStreamRetentionPeriod.
[[nodiscard]] KINESIS_DECL std::string write_retention(const StreamRef& stream, int hours);
/// Start/StopStreamEncryption, checked here: KMS only, key id 1 to 2048 characters.
[[nodiscard]] KINESIS_DECL Result<std::string> write_encryption(std::string_view op, const StreamRef& stream,
                                                                 EncryptionType type, std::string_view key_id);
/// A consumer by its ARN alone, or by stream ARN and name; checked here.
[[nodiscard]] KINESIS_DECL Result<std::string> write_consumer_ref(std::string_view op, std::string_view stream_arn,
                                                                   std::string_view consumer_name,
                                                                   std::string_view consumer_arn);
KINESIS_DECL void write_delete_stream(const DeleteStreamRequest& request, std::string& out);
KINESIS_DECL void write_describe_stream(const DescribeStreamRequest& request, std::string& out);
KINESIS_DECL void write_list_streams(const ListStreamsRequest& request, std::string& out);
KINESIS_DECL void write_update_shard_count(const UpdateShardCountRequest& request, std::string& out);
KINESIS_DECL void write_split_shard(const SplitShardRequest& request, std::string& out);
KINESIS_DECL void write_merge_shards(const MergeShardsRequest& request, std::string& out);
KINESIS_DECL void write_update_stream_mode(std::string_view stream_arn, StreamMode mode, std::string& out);
KINESIS_DECL void write_add_tags_to_stream(const StreamRef& stream,
 const std::map<std::string, std::string>& tags, std::string& out);
KINESIS_DECL void write_remove_tags_from_stream(const StreamRef& stream,
 const std::vector<std::string>& tag_keys, std::string& out);
KINESIS_DECL void write_list_tags_for_stream(
 const StreamRef& stream, const std::optional<std::string>& exclusive_start_tag_key, const std::optional<int>& limit, std::string& out);
KINESIS_DECL void write_list_stream_consumers(
 std::string_view stream_arn, const std::optional<std::string>& next_token, const std::optional<int>& max_results, std::string& out);

// ---- answers: copied into owned structs; nothing borrows the body afterwards ----

[[nodiscard]] KINESIS_DECL Result<GetRecordsResult> parse_get_records(JsonParser& parser, const std::string& body);
/// parse_get_records() into `out`, overwriting the records it holds in place
/// (their strings keep their capacity); on error `out` is reset to empty.
[[nodiscard]] KINESIS_DECL Result<void> parse_get_records_into(JsonParser& parser, const std::string& body,
                                                               GetRecordsResult& out);
[[nodiscard]] KINESIS_DECL Result<PutRecordsResult> parse_put_records(JsonParser& parser, const std::string& body);
/// parse_put_records(), and a Parse error unless the answer has one entry per record sent.
[[nodiscard]] KINESIS_DECL Result<PutRecordsResult> parse_put_records_for(JsonParser& parser, const std::string& body,
                                                                           std::size_t records_sent);
[[nodiscard]] KINESIS_DECL Result<PutRecordResult> parse_put_record(JsonParser& parser, const std::string& body);
[[nodiscard]] KINESIS_DECL Result<StreamDescription> parse_describe_stream(JsonParser& parser,
                                                                           const std::string& body);
[[nodiscard]] KINESIS_DECL Result<StreamDescriptionSummary> parse_describe_stream_summary(
    JsonParser& parser, const std::string& body);
[[nodiscard]] KINESIS_DECL Result<ListStreamsResult> parse_list_streams(JsonParser& parser, const std::string& body);
[[nodiscard]] KINESIS_DECL Result<ListShardsResult> parse_list_shards(JsonParser& parser, const std::string& body);
[[nodiscard]] KINESIS_DECL Result<GetShardIteratorResult> parse_get_shard_iterator(JsonParser& parser,
                                                                                   const std::string& body);
[[nodiscard]] KINESIS_DECL Result<UpdateShardCountResult> parse_update_shard_count(JsonParser& parser,
                                                                                   const std::string& body);
[[nodiscard]] KINESIS_DECL Result<DescribeLimitsResult> parse_describe_limits(JsonParser& parser,
                                                                              const std::string& body);
[[nodiscard]] KINESIS_DECL Result<ListTagsForStreamResult> parse_list_tags_for_stream(JsonParser& parser,
                                                                                      const std::string& body);
/// RegisterStreamConsumer's {"Consumer": {...}}.
[[nodiscard]] KINESIS_DECL Result<StreamConsumer> parse_register_stream_consumer(JsonParser& parser,
                                                                           const std::string& body);
/// DescribeStreamConsumer's {"ConsumerDescription": {...}}.
[[nodiscard]] KINESIS_DECL Result<ConsumerDescription> parse_describe_stream_consumer(JsonParser& parser,
                                                                                      const std::string& body);
[[nodiscard]] KINESIS_DECL Result<ListStreamConsumersResult> parse_list_stream_consumers(JsonParser& parser,
                                                                                         const std::string& body);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/streams/detail/impl/wire.inl.hpp>
#include <kinesis/streams/impl/kinesis_client.inl.hpp>
#endif

#endif  // KINESIS_STREAMS_DETAIL_WIRE_HPP
