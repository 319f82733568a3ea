// SPDX-License-Identifier: Apache-2.0
// Definitions for streams/kinesis_client.hpp.
#ifndef KINESIS_STREAMS_IMPL_KINESIS_CLIENT_INL_HPP
#define KINESIS_STREAMS_IMPL_KINESIS_CLIENT_INL_HPP

#include <kinesis/streams/kinesis_client.hpp>

#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/core/detail/json_writer.hpp>
#include <kinesis/streams/detail/wire.hpp>
#include <kinesis/protocol/detail/service_client.hpp>

#include <fmt/core.h>

#include <thread>
#include <utility>

namespace kinesis {

namespace detail::kinesis_client_impl {

inline constexpr detail::ServiceInfo service{"kinesis", "KINESIS", "kinesis"};
inline constexpr std::size_t max_record_limit = 10 * 1024 * 1024;

inline KinesisLimits checked_limits(KinesisLimits limits) {
    if (limits.max_record_bytes == 0 || limits.max_record_bytes > max_record_limit) {
        throw Exception(invalid_argument(fmt::format(
            "KinesisClient: limits.max_record_bytes is {}; it must be 1 to {} (10 MiB)", limits.max_record_bytes,
            max_record_limit)));
    }
    if (limits.max_put_records_bytes == 0 || limits.max_put_records_bytes > 500 * max_record_limit) {
        throw Exception(invalid_argument(fmt::format("KinesisClient: limits.max_put_records_bytes is {}; it must be "
                                                     "1 to {}",
                                                     limits.max_put_records_bytes, 500 * max_record_limit)));
    }
    return limits;
}

inline Result<void> done(Result<HttpResponse> response) {
    if (!response) return std::move(response).error();
    return {};
}

// An object with just the stream reference: the body of many operations.
inline std::string stream_body(const StreamRef& stream) {
    std::string body;
    body.reserve(32 + stream.name.size() + stream.arn.size());
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, stream);
    writer.end_object();
    return body;
}

template <class T>
inline Result<T> with_request_id(Result<T> parsed, const HttpResponse& response) {
    if (!parsed) {
        parsed.error().http_status = response.status;
        parsed.error().request_id = std::string(response.header("x-amzn-RequestId"));
    }
    return parsed;
}

}  // namespace detail::kinesis_client_impl

KINESIS_DECL KinesisClient::KinesisClient(const ClientConfig& config, KinesisLimits limits)
    : service_(std::make_unique<detail::ServiceClient>(config, detail::kinesis_client_impl::service)),
      limits_(detail::kinesis_client_impl::checked_limits(limits)) {}

KINESIS_DECL KinesisClient::~KinesisClient() = default;
KINESIS_DECL KinesisClient::KinesisClient(KinesisClient&&) noexcept = default;
KINESIS_DECL KinesisClient& KinesisClient::operator=(KinesisClient&&) noexcept = default;

KINESIS_DECL const std::string& KinesisClient::region() const noexcept { return service_->region(); }
KINESIS_DECL const std::string& KinesisClient::endpoint() const noexcept { return service_->endpoint(); }

namespace detail::kinesis_client_impl {

inline Result<HttpResponse> call(detail::ServiceClient& service, std::string_view operation, std::string body) {
    return service.call_json(detail::kinesis_target_prefix, operation, detail::kinesis_json_version,
                             std::move(body));
}

}  // namespace detail::kinesis_client_impl

KINESIS_DECL Result<void> KinesisClient::create_stream(const CreateStreamRequest& request) {
    if (auto error = detail::check_create_stream(request)) return std::move(*error);
    std::string body;
    detail::write_create_stream(request, body);
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "CreateStream", std::move(body)));
}

KINESIS_DECL Result<void> KinesisClient::delete_stream(const DeleteStreamRequest& request) {
    if (auto error = detail::check_stream_ref("delete_stream", request.stream)) return std::move(*error);
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, request.stream);
    if (request.enforce_consumer_deletion) writer.member("EnforceConsumerDeletion", true);
    writer.end_object();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "DeleteStream", std::move(body)));
}

KINESIS_DECL Result<StreamDescription> KinesisClient::describe_stream(const DescribeStreamRequest& request) {
    constexpr std::string_view op = "describe_stream";
    if (auto error = detail::check_stream_ref(op, request.stream)) return std::move(*error);
    if (request.limit) {
        if (auto error = detail::check_range(op, "limit", *request.limit, 1, 10000)) return std::move(*error);
    }
    if (request.exclusive_start_shard_id) {
        if (auto error = detail::check_shard_id(op, "exclusive_start_shard_id", *request.exclusive_start_shard_id)) {
            return std::move(*error);
        }
    }
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, request.stream);
    if (request.limit) writer.member("Limit", static_cast<std::int64_t>(*request.limit));
    if (request.exclusive_start_shard_id) writer.member("ExclusiveStartShardId", *request.exclusive_start_shard_id);
    writer.end_object();
    auto response = detail::kinesis_client_impl::call(*service_, "DescribeStream", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(detail::parse_describe_stream(service_->json_parser(), response->body),
                                                *response);
}

KINESIS_DECL Result<StreamDescriptionSummary> KinesisClient::describe_stream_summary(const StreamRef& stream) {
    if (auto error = detail::check_stream_ref("describe_stream_summary", stream)) return std::move(*error);
    auto response =
        detail::kinesis_client_impl::call(*service_, "DescribeStreamSummary", detail::kinesis_client_impl::stream_body(stream));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(
        detail::parse_describe_stream_summary(service_->json_parser(), response->body), *response);
}

KINESIS_DECL Result<DescribeLimitsResult> KinesisClient::describe_limits() {
    auto response = detail::kinesis_client_impl::call(*service_, "DescribeLimits", "{}");
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(detail::parse_describe_limits(service_->json_parser(), response->body),
                                                *response);
}

KINESIS_DECL Result<ListStreamsResult> KinesisClient::list_streams(const ListStreamsRequest& request) {
    constexpr std::string_view op = "list_streams";
    if (request.limit) {
        if (auto error = detail::check_range(op, "limit", *request.limit, 1, 10000)) return std::move(*error);
    }
    if (request.exclusive_start_stream_name) {
        if (auto error = detail::check_stream_name(op, "exclusive_start_stream_name",
                                                   *request.exclusive_start_stream_name)) {
            return std::move(*error);
        }
    }
    if (request.next_token && request.next_token->empty()) return invalid_argument("list_streams: next_token is empty");
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    if (request.limit) writer.member("Limit", static_cast<std::int64_t>(*request.limit));
    if (request.exclusive_start_stream_name) {
        writer.member("ExclusiveStartStreamName", *request.exclusive_start_stream_name);
    }
    if (request.next_token) writer.member("NextToken", *request.next_token);
    writer.end_object();
    auto response = detail::kinesis_client_impl::call(*service_, "ListStreams", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(detail::parse_list_streams(service_->json_parser(), response->body),
                                                *response);
}

KINESIS_DECL Result<ListShardsResult> KinesisClient::list_shards(const ListShardsRequest& request) {
    if (auto error = detail::check_list_shards(request)) return std::move(*error);
    std::string body;
    detail::write_list_shards(request, body);
    auto response = detail::kinesis_client_impl::call(*service_, "ListShards", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(detail::parse_list_shards(service_->json_parser(), response->body),
                                                *response);
}

KINESIS_DECL Result<PutRecordResult> KinesisClient::put_record(const PutRecordRequest& request) {
    if (auto error = detail::check_put_record(request, limits_)) return std::move(*error);
    std::string body;
    body.reserve(128 + detail::base64_encoded_size(request.data.size()) + request.partition_key.size() * 6 +
                 request.stream.name.size() + request.stream.arn.size());
    detail::write_put_record(request, body);
    auto response = detail::kinesis_client_impl::call(*service_, "PutRecord", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(detail::parse_put_record(service_->json_parser(), response->body),
                                                *response);
}

KINESIS_DECL Result<PutRecordsResult> KinesisClient::put_records(const PutRecordsRequest& request) {
    if (auto error = detail::check_put_records(request, limits_)) return std::move(*error);
    // One pass writing into the reused buffer (grown to the exact size at most
    // once); ServiceClient hashes it once for every attempt and sends it without copying.
    put_records_body_.clear();
    put_records_body_.reserve(detail::put_records_body_size(request));
    detail::write_put_records(request, put_records_body_);
    auto response = service_->call_json_borrowing(detail::kinesis_target_prefix, "PutRecords",
                                                  detail::kinesis_json_version, put_records_body_);
    if (!response) return std::move(response).error();
    auto parsed = detail::parse_put_records(service_->json_parser(), response->body);
    if (parsed && parsed->records.size() != request.records.size()) {
        Error error;
        error.kind = ErrorKind::Parse;
        error.message = fmt::format("PutRecords response has {} result entries for {} records", parsed->records.size(),
                                    request.records.size());
        return detail::kinesis_client_impl::with_request_id(Result<PutRecordsResult>(std::move(error)), *response);
    }
    return detail::kinesis_client_impl::with_request_id(std::move(parsed), *response);
}

KINESIS_DECL Result<GetShardIteratorResult> KinesisClient::get_shard_iterator(const GetShardIteratorRequest& request) {
    if (auto error = detail::check_get_shard_iterator(request)) return std::move(*error);
    std::string body;
    detail::write_get_shard_iterator(request, body);
    auto response = detail::kinesis_client_impl::call(*service_, "GetShardIterator", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(
        detail::parse_get_shard_iterator(service_->json_parser(), response->body), *response);
}

KINESIS_DECL Result<GetRecordsResult> KinesisClient::get_records(const GetRecordsRequest& request) {
    if (auto error = detail::check_get_records(request)) return std::move(*error);
    std::string body;
    detail::write_get_records(request, body);
    auto response = detail::kinesis_client_impl::call(*service_, "GetRecords", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(detail::parse_get_records(service_->json_parser(), response->body),
                                                *response);
}

KINESIS_DECL Result<void> KinesisClient::get_records(const GetRecordsRequest& request, GetRecordsResult& out) {
    if (auto error = detail::check_get_records(request)) {
        out = GetRecordsResult{};
        return std::move(*error);
    }
    std::string body;
    detail::write_get_records(request, body);
    auto response = detail::kinesis_client_impl::call(*service_, "GetRecords", std::move(body));
    if (!response) {
        out = GetRecordsResult{};
        return std::move(response).error();
    }
    return detail::kinesis_client_impl::with_request_id(
        detail::parse_get_records_into(service_->json_parser(), response->body, out), *response);
}

KINESIS_DECL Result<UpdateShardCountResult> KinesisClient::update_shard_count(const UpdateShardCountRequest& request) {
    constexpr std::string_view op = "update_shard_count";
    if (auto error = detail::check_stream_ref(op, request.stream)) return std::move(*error);
    if (auto error = detail::check_range(op, "target_shard_count", request.target_shard_count, 1, 1000000)) {
        return std::move(*error);
    }
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, request.stream);
    writer.member("TargetShardCount", static_cast<std::int64_t>(request.target_shard_count));
    writer.member("ScalingType", "UNIFORM_SCALING");
    writer.end_object();
    auto response = detail::kinesis_client_impl::call(*service_, "UpdateShardCount", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(
        detail::parse_update_shard_count(service_->json_parser(), response->body), *response);
}

KINESIS_DECL Result<void> KinesisClient::split_shard(const SplitShardRequest& request) {
    constexpr std::string_view op = "split_shard";
    if (auto error = detail::check_stream_ref(op, request.stream)) return std::move(*error);
    if (auto error = detail::check_shard_id(op, "shard_to_split", request.shard_to_split)) return std::move(*error);
    if (auto error = detail::check_explicit_hash_key(op, "new_starting_hash_key", request.new_starting_hash_key)) {
        return std::move(*error);
    }
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, request.stream);
    writer.member("ShardToSplit", request.shard_to_split);
    writer.member("NewStartingHashKey", request.new_starting_hash_key);
    writer.end_object();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "SplitShard", std::move(body)));
}

KINESIS_DECL Result<void> KinesisClient::merge_shards(const MergeShardsRequest& request) {
    constexpr std::string_view op = "merge_shards";
    if (auto error = detail::check_stream_ref(op, request.stream)) return std::move(*error);
    if (auto error = detail::check_shard_id(op, "shard_to_merge", request.shard_to_merge)) return std::move(*error);
    if (auto error = detail::check_shard_id(op, "adjacent_shard_to_merge", request.adjacent_shard_to_merge)) {
        return std::move(*error);
    }
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, request.stream);
    writer.member("ShardToMerge", request.shard_to_merge);
    writer.member("AdjacentShardToMerge", request.adjacent_shard_to_merge);
    writer.end_object();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "MergeShards", std::move(body)));
}

KINESIS_DECL Result<void> KinesisClient::update_stream_mode(std::string_view stream_arn, StreamMode mode) {
    if (auto error = detail::check_stream_arn("update_stream_mode", "stream_arn", stream_arn)) return std::move(*error);
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    writer.member("StreamARN", stream_arn);
    writer.key("StreamModeDetails").begin_object().member("StreamMode", to_string(mode)).end_object();
    writer.end_object();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "UpdateStreamMode", std::move(body)));
}

namespace detail::kinesis_client_impl {

inline std::string retention_body(const StreamRef& stream, int hours) {
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, stream);
    writer.member("RetentionPeriodHours", static_cast<std::int64_t>(hours));
    writer.end_object();
    return body;
}

}  // namespace detail::kinesis_client_impl

KINESIS_DECL Result<void> KinesisClient::increase_stream_retention_period(const StreamRef& stream, int hours) {
    if (auto error = detail::check_retention("increase_stream_retention_period", stream, hours)) {
        return std::move(*error);
    }
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "IncreaseStreamRetentionPeriod",
                                                               detail::kinesis_client_impl::retention_body(stream, hours)));
}

KINESIS_DECL Result<void> KinesisClient::decrease_stream_retention_period(const StreamRef& stream, int hours) {
    if (auto error = detail::check_retention("decrease_stream_retention_period", stream, hours)) {
        return std::move(*error);
    }
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "DecreaseStreamRetentionPeriod",
                                                               detail::kinesis_client_impl::retention_body(stream, hours)));
}

namespace detail::kinesis_client_impl {

inline std::optional<Error> check_tag_key(std::string_view op, std::string_view key) {
    const auto characters = detail::count_code_points(key);
    if (key.empty()) return invalid_argument(fmt::format("{}: a tag key is empty; it must have 1 to 128 characters", op));
    if (!detail::is_valid_utf8(key)) return invalid_argument(fmt::format("{}: a tag key is not valid UTF-8", op));
    if (characters > 128) {
        return invalid_argument(fmt::format("{}: tag key has {} characters; the limit is 128", op, characters));
    }
    return std::nullopt;
}

}  // namespace detail::kinesis_client_impl

KINESIS_DECL Result<void> KinesisClient::add_tags_to_stream(const StreamRef& stream,
                                                            const std::map<std::string, std::string>& tags) {
    constexpr std::string_view op = "add_tags_to_stream";
    if (auto error = detail::check_stream_ref(op, stream)) return std::move(*error);
    if (tags.empty()) return invalid_argument("add_tags_to_stream: tags is empty; it must have 1 to 50 entries");
    if (tags.size() > 50) {
        return invalid_argument(fmt::format("add_tags_to_stream: tags has {} entries; the limit is 50", tags.size()));
    }
    for (const auto& [key, value] : tags) {
        if (auto error = detail::kinesis_client_impl::check_tag_key(op, key)) return std::move(*error);
        if (!detail::is_valid_utf8(value)) {
            return invalid_argument(fmt::format("add_tags_to_stream: the value of tag \"{}\" is not valid UTF-8", key));
        }
        const auto characters = detail::count_code_points(value);
        if (characters > 256) {
            return invalid_argument(fmt::format("add_tags_to_stream: the value of tag \"{}\" has {} characters; "
                                                "the limit is 256",
                                                key, characters));
        }
    }
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, stream);
    writer.key("Tags").begin_object();
    for (const auto& [key, value] : tags) writer.member(key, value);
    writer.end_object();
    writer.end_object();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "AddTagsToStream", std::move(body)));
}

KINESIS_DECL Result<void> KinesisClient::remove_tags_from_stream(const StreamRef& stream,
                                                                 const std::vector<std::string>& tag_keys) {
    constexpr std::string_view op = "remove_tags_from_stream";
    if (auto error = detail::check_stream_ref(op, stream)) return std::move(*error);
    if (tag_keys.empty()) {
        return invalid_argument("remove_tags_from_stream: tag_keys is empty; it must have 1 to 50 entries");
    }
    if (tag_keys.size() > 50) {
        return invalid_argument(
            fmt::format("remove_tags_from_stream: tag_keys has {} entries; the limit is 50", tag_keys.size()));
    }
    for (const auto& key : tag_keys) {
        if (auto error = detail::kinesis_client_impl::check_tag_key(op, key)) return std::move(*error);
    }
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, stream);
    writer.key("TagKeys").begin_array();
    for (const auto& key : tag_keys) writer.string(key);
    writer.end_array();
    writer.end_object();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "RemoveTagsFromStream", std::move(body)));
}

KINESIS_DECL Result<ListTagsForStreamResult> KinesisClient::list_tags_for_stream(
    const StreamRef& stream, std::optional<std::string> exclusive_start_tag_key, std::optional<int> limit) {
    constexpr std::string_view op = "list_tags_for_stream";
    if (auto error = detail::check_stream_ref(op, stream)) return std::move(*error);
    if (limit) {
        if (auto error = detail::check_range(op, "limit", *limit, 1, 50)) return std::move(*error);
    }
    if (exclusive_start_tag_key) {
        if (auto error = detail::kinesis_client_impl::check_tag_key(op, *exclusive_start_tag_key)) return std::move(*error);
    }
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, stream);
    if (exclusive_start_tag_key) writer.member("ExclusiveStartTagKey", *exclusive_start_tag_key);
    if (limit) writer.member("Limit", static_cast<std::int64_t>(*limit));
    writer.end_object();
    auto response = detail::kinesis_client_impl::call(*service_, "ListTagsForStream", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(
        detail::parse_list_tags_for_stream(service_->json_parser(), response->body), *response);
}

namespace detail::kinesis_client_impl {

inline Result<std::string> encryption_body(std::string_view op, const StreamRef& stream, EncryptionType type,
                                           std::string_view key_id) {
    if (auto error = detail::check_stream_ref(op, stream)) return std::move(*error);
    if (type != EncryptionType::Kms) return invalid_argument(fmt::format("{}: encryption_type must be KMS", op));
    if (key_id.empty()) return invalid_argument(fmt::format("{}: key_id is empty; it must have 1 to 2048 characters", op));
    if (key_id.size() > 2048) {
        return invalid_argument(fmt::format("{}: key_id has {} characters; the limit is 2048", op, key_id.size()));
    }
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    detail::write_stream_ref(writer, stream);
    writer.member("EncryptionType", to_string(type));
    writer.member("KeyId", key_id);
    writer.end_object();
    return body;
}

}  // namespace detail::kinesis_client_impl

KINESIS_DECL Result<void> KinesisClient::start_stream_encryption(const StreamRef& stream, EncryptionType type,
                                                                 std::string_view key_id) {
    auto body = detail::kinesis_client_impl::encryption_body("start_stream_encryption", stream, type, key_id);
    if (!body) return std::move(body).error();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "StartStreamEncryption", std::move(*body)));
}

KINESIS_DECL Result<void> KinesisClient::stop_stream_encryption(const StreamRef& stream, EncryptionType type,
                                                                std::string_view key_id) {
    auto body = detail::kinesis_client_impl::encryption_body("stop_stream_encryption", stream, type, key_id);
    if (!body) return std::move(body).error();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "StopStreamEncryption", std::move(*body)));
}

namespace detail::kinesis_client_impl {

// By consumer ARN alone, or by stream ARN and consumer name.
inline Result<std::string> consumer_body(std::string_view op, std::string_view stream_arn,
                                         std::string_view consumer_name, std::string_view consumer_arn) {
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    if (!consumer_arn.empty()) {
        if (!stream_arn.empty() || !consumer_name.empty()) {
            return invalid_argument(fmt::format(
                "{}: consumer_arn is set together with stream_arn or consumer_name; give the ARN alone", op));
        }
        if (consumer_arn.size() > 2048 || consumer_arn.rfind("arn:", 0) != 0 ||
            consumer_arn.find("/consumer/") == std::string_view::npos) {
            return invalid_argument(fmt::format("{}: consumer_arn is not a Kinesis consumer ARN", op));
        }
        writer.member("ConsumerARN", consumer_arn);
    } else {
        if (auto error = detail::check_stream_arn(op, "stream_arn", stream_arn)) return std::move(*error);
        if (auto error = detail::check_stream_name(op, "consumer_name", consumer_name)) return std::move(*error);
        writer.member("StreamARN", stream_arn);
        writer.member("ConsumerName", consumer_name);
    }
    writer.end_object();
    return body;
}

}  // namespace detail::kinesis_client_impl

KINESIS_DECL Result<StreamConsumer> KinesisClient::register_stream_consumer(std::string_view stream_arn,
                                                                      std::string_view consumer_name) {
    constexpr std::string_view op = "register_stream_consumer";
    if (auto error = detail::check_stream_arn(op, "stream_arn", stream_arn)) return std::move(*error);
    auto body = detail::kinesis_client_impl::consumer_body(op, stream_arn, consumer_name, {});
    if (!body) return std::move(body).error();
    auto response = detail::kinesis_client_impl::call(*service_, "RegisterStreamConsumer", std::move(*body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(
        detail::parse_register_stream_consumer(service_->json_parser(), response->body), *response);
}

KINESIS_DECL Result<ConsumerDescription> KinesisClient::describe_stream_consumer(std::string_view stream_arn,
                                                                                 std::string_view consumer_name,
                                                                                 std::string_view consumer_arn) {
    auto body = detail::kinesis_client_impl::consumer_body("describe_stream_consumer", stream_arn, consumer_name, consumer_arn);
    if (!body) return std::move(body).error();
    auto response = detail::kinesis_client_impl::call(*service_, "DescribeStreamConsumer", std::move(*body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(
        detail::parse_describe_stream_consumer(service_->json_parser(), response->body), *response);
}

KINESIS_DECL Result<ListStreamConsumersResult> KinesisClient::list_stream_consumers(
    std::string_view stream_arn, std::optional<std::string> next_token, std::optional<int> max_results) {
    constexpr std::string_view op = "list_stream_consumers";
    if (auto error = detail::check_stream_arn(op, "stream_arn", stream_arn)) return std::move(*error);
    if (max_results) {
        if (auto error = detail::check_range(op, "max_results", *max_results, 1, 10000)) return std::move(*error);
    }
    if (next_token && next_token->empty()) return invalid_argument("list_stream_consumers: next_token is empty");
    std::string body;
    detail::JsonWriter writer(body);
    writer.begin_object();
    writer.member("StreamARN", stream_arn);
    if (next_token) writer.member("NextToken", *next_token);
    if (max_results) writer.member("MaxResults", static_cast<std::int64_t>(*max_results));
    writer.end_object();
    auto response = detail::kinesis_client_impl::call(*service_, "ListStreamConsumers", std::move(body));
    if (!response) return std::move(response).error();
    return detail::kinesis_client_impl::with_request_id(
        detail::parse_list_stream_consumers(service_->json_parser(), response->body), *response);
}

KINESIS_DECL Result<void> KinesisClient::deregister_stream_consumer(std::string_view stream_arn,
                                                                    std::string_view consumer_name,
                                                                    std::string_view consumer_arn) {
    auto body =
        detail::kinesis_client_impl::consumer_body("deregister_stream_consumer", stream_arn, consumer_name, consumer_arn);
    if (!body) return std::move(body).error();
    return detail::kinesis_client_impl::done(detail::kinesis_client_impl::call(*service_, "DeregisterStreamConsumer", std::move(*body)));
}

// ---- all pages ----

KINESIS_DECL Result<ListStreamsResult> KinesisClient::list_all_streams() {
    ListStreamsResult all;
    ListStreamsRequest request;
    for (;;) {
        auto page = list_streams(request);
        if (!page) return std::move(page).error();
        for (auto& name : page->stream_names) all.stream_names.push_back(std::move(name));
        for (auto& summary : page->stream_summaries) all.stream_summaries.push_back(std::move(summary));
        if (!page->has_more_streams || all.stream_names.empty()) break;
        // NextToken when the service sends one (botocore's paginator); older
        // services and emulators page by the last name instead.
        request = ListStreamsRequest{};
        if (page->next_token && !page->next_token->empty()) {
            request.next_token = std::move(page->next_token);
        } else {
            request.exclusive_start_stream_name = all.stream_names.back();
        }
    }
    return all;
}

KINESIS_DECL Result<std::vector<Shard>> KinesisClient::list_all_shards(const StreamRef& stream,
                                                                       std::optional<ShardFilter> filter) {
    std::vector<Shard> shards;
    ListShardsRequest request;
    request.stream = stream;
    request.shard_filter = std::move(filter);
    for (;;) {
        auto page = list_shards(request);
        if (!page) return std::move(page).error();
        for (auto& shard : page->shards) shards.push_back(std::move(shard));
        if (!page->next_token || page->next_token->empty()) break;
        // Later pages carry only the token (and the filter is part of it).
        // Cleared field by field: GCC 12 at -O1/-O3 with sanitizers warns
        // (falsely) about a fresh request's optional string moved in here.
        request.stream = StreamRef{};
        request.shard_filter.reset();
        request.next_token = std::move(page->next_token);
    }
    return shards;
}

KINESIS_DECL Result<StreamDescription> KinesisClient::describe_stream_all_shards(const StreamRef& stream) {
    DescribeStreamRequest request;
    request.stream = stream;
    auto first = describe_stream(request);
    if (!first) return first;
    StreamDescription all = std::move(*first);
    while (all.has_more_shards && !all.shards.empty()) {
        request.exclusive_start_shard_id = all.shards.back().shard_id;
        auto page = describe_stream(request);
        if (!page) return std::move(page).error();
        for (auto& shard : page->shards) all.shards.push_back(std::move(shard));
        all.has_more_shards = page->has_more_shards;
        if (page->shards.empty()) break;
    }
    return all;
}

// ---- waiters ----

namespace detail::kinesis_client_impl {

inline Error waiter_timeout(std::string_view waiter, const StreamRef& stream, const WaiterConfig& config,
                            std::string_view last) {
    Error error;
    error.kind = ErrorKind::Timeout;
    error.message = fmt::format("{}: stream {} {} after {} attempts {} ms apart", waiter, stream.display(), last,
                                config.max_attempts, config.delay.count());
    return error;
}

}  // namespace detail::kinesis_client_impl

KINESIS_DECL Result<StreamDescription> KinesisClient::wait_until_stream_exists(const StreamRef& stream,
                                                                               WaiterConfig waiter) {
    constexpr std::string_view op = "wait_until_stream_exists";
    if (auto error = detail::check_stream_ref(op, stream)) return std::move(*error);
    if (waiter.max_attempts < 1) return invalid_argument("wait_until_stream_exists: max_attempts must be at least 1");
    DescribeStreamRequest request;
    request.stream = stream;
    std::string_view last = "never answered";
    for (int attempt = 1; attempt <= waiter.max_attempts; ++attempt) {
        auto description = describe_stream(request);
        // botocore's StreamExists matches only ACTIVE: any error ends the wait.
        if (!description) return description;
        if (description->stream_status == StreamStatus::Active) return description;
        last = to_string(description->stream_status);
        if (attempt < waiter.max_attempts) std::this_thread::sleep_for(waiter.delay);
    }
    return detail::kinesis_client_impl::waiter_timeout(op, stream, waiter, fmt::format("is still {}", last));
}

KINESIS_DECL Result<void> KinesisClient::wait_until_stream_not_exists(const StreamRef& stream, WaiterConfig waiter) {
    constexpr std::string_view op = "wait_until_stream_not_exists";
    if (auto error = detail::check_stream_ref(op, stream)) return std::move(*error);
    if (waiter.max_attempts < 1) {
        return invalid_argument("wait_until_stream_not_exists: max_attempts must be at least 1");
    }
    DescribeStreamRequest request;
    request.stream = stream;
    std::string last = "still exists";
    for (int attempt = 1; attempt <= waiter.max_attempts; ++attempt) {
        auto description = describe_stream(request);
        if (!description) {
            if (description.error().code == "ResourceNotFoundException") return {};
            return std::move(description).error();
        }
        last = fmt::format("still exists ({})", to_string(description->stream_status));
        if (attempt < waiter.max_attempts) std::this_thread::sleep_for(waiter.delay);
    }
    return detail::kinesis_client_impl::waiter_timeout(op, stream, waiter, last);
}

}  // namespace kinesis

#endif  // KINESIS_STREAMS_IMPL_KINESIS_CLIENT_INL_HPP
