// SPDX-License-Identifier: Apache-2.0
// Definitions for streams/detail/wire.hpp.
#ifndef KINESIS_STREAMS_DETAIL_IMPL_WIRE_INL_HPP
#define KINESIS_STREAMS_DETAIL_IMPL_WIRE_INL_HPP

#include <kinesis/streams/detail/wire.hpp>

#include <kinesis/core/detail/checks.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/core/detail/json_writer.hpp>
#include <kinesis/core/detail/time.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <utility>

namespace kinesis::detail {

namespace kinesis_wire {

using simdjson::error_code;
using simdjson::ondemand::value;

// `0|([1-9]\d{0,max_digits-1})`
inline bool is_decimal(std::string_view text, std::size_t max_digits) noexcept {
    if (text.empty() || text.size() > max_digits) return false;
    if (text.size() > 1 && text.front() == '0') return false;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

}  // namespace kinesis_wire

KINESIS_DECL std::size_t count_code_points(std::string_view text) noexcept {
    std::size_t count = 0;
    for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0U) != 0x80U ? 1 : 0;
    return count;
}

KINESIS_DECL bool is_hash_key(std::string_view text) noexcept {
    // 2^128 - 1: the largest value of the 128-bit MD5 hash key space.
    constexpr std::string_view max_key = "340282366920938463463374607431768211455";
    if (!kinesis_wire::is_decimal(text, max_key.size())) return false;
    return text.size() < max_key.size() || text <= max_key;
}

KINESIS_DECL bool is_sequence_number(std::string_view text) noexcept {
    return kinesis_wire::is_decimal(text, 129);
}

KINESIS_DECL std::optional<Error> check_stream_name(std::string_view op, std::string_view field,
                                                    std::string_view name) {
    return check_name(op, field, name, 128);
}

KINESIS_DECL std::optional<Error> check_stream_arn(std::string_view op, std::string_view field,
                                                   std::string_view arn) {
    if (arn.empty()) return invalid_argument(fmt::format("{}: {} is empty", op, field));
    if (arn.size() > 2048) {
        return invalid_argument(fmt::format("{}: {} has {} characters; the limit is 2048", op, field, arn.size()));
    }
    // arn:aws.*:kinesis:.*:\d{12}:stream/\S+
    const auto stream = arn.find(":stream/");
    bool ok = arn.rfind("arn:aws", 0) == 0 && arn.find(":kinesis:") != std::string_view::npos &&
              stream != std::string_view::npos && stream + 8 < arn.size() && stream >= 13;
    if (ok) {
        for (std::size_t i = stream - 12; i < stream; ++i) ok = ok && arn[i] >= '0' && arn[i] <= '9';
        ok = ok && arn[stream - 13] == ':';
        for (std::size_t i = stream + 8; i < arn.size(); ++i) {
            const char c = arn[i];
            ok = ok && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v';
        }
    }
    if (!ok) {
        return invalid_argument(fmt::format("{}: {} {} is not a Kinesis stream ARN "
                                            "(arn:aws:kinesis:<region>:<account>:stream/<name>)",
                                            op, field, quoted_if_short(arn)));
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_stream_ref(std::string_view op, const StreamRef& stream) {
    if (!stream.name.empty() && !stream.arn.empty()) {
        return invalid_argument(
            fmt::format("{}: stream has both a name and an ARN; the API takes exactly one", op));
    }
    if (!stream.arn.empty()) return check_stream_arn(op, "stream ARN", stream.arn);
    return check_stream_name(op, "stream name", stream.name);
}

KINESIS_DECL std::optional<Error> check_shard_id(std::string_view op, std::string_view field,
                                                 std::string_view shard_id) {
    return check_name(op, field, shard_id, 128);
}

KINESIS_DECL std::optional<Error> check_partition_key(std::string_view op, std::string_view field,
                                                      std::string_view key) {
    if (key.empty()) {
        return invalid_argument(fmt::format("{}: {} is empty; it must have 1 to 256 characters", op, field));
    }
    if (!is_valid_utf8(key)) return invalid_argument(fmt::format("{}: {} is not valid UTF-8", op, field));
    // 256 bytes are at most 256 characters: only a longer key is counted (a producer
    // checks every record's key).
    if (key.size() <= 256) return std::nullopt;
    const auto characters = count_code_points(key);
    if (characters > 256) {
        return invalid_argument(fmt::format("{}: {} has {} characters; the limit is 256", op, field, characters));
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_explicit_hash_key(std::string_view op, std::string_view field,
                                                          std::string_view key) {
    if (kinesis_wire::is_decimal(key, 39) && !is_hash_key(key)) {
        return invalid_argument(
            fmt::format("{}: {} {} is above the largest hash key 2^128-1", op, field, quoted_if_short(key)));
    }
    if (!is_hash_key(key)) {
        return invalid_argument(fmt::format("{}: {} {} is not a decimal hash key (0|[1-9][0-9]{{0,38}})", op,
                                            field, quoted_if_short(key)));
    }
    return std::nullopt;
}

namespace kinesis_wire {

// `index` names the PutRecords entry ("records[3].partition_key"); the field
// names are formatted only for an error, so a valid batch costs no formatting.
inline std::optional<Error> check_record(std::string_view op, std::optional<std::size_t> index,
                                         std::string_view data, std::string_view partition_key,
                                         const std::optional<std::string>& explicit_hash_key,
                                         const KinesisLimits& limits) {
    const auto prefix = [&] { return index ? fmt::format("records[{}].", *index) : std::string(); };
    if (partition_key.empty() || partition_key.size() > 256 || !is_valid_utf8(partition_key)) {
        // Slow path only when something may be wrong: the full check names the problem.
        if (auto error = check_partition_key(op, prefix() + "partition_key", partition_key)) return error;
    }
    const std::size_t size = data.size() + partition_key.size();
    if (size > limits.max_record_bytes) {
        return invalid_argument(fmt::format("{}: {}data plus partition_key is {} bytes; the limit is {}", op, prefix(),
                                            size, limits.max_record_bytes));
    }
    if (explicit_hash_key && !is_hash_key(*explicit_hash_key)) {
        return check_explicit_hash_key(op, prefix() + "explicit_hash_key", *explicit_hash_key);
    }
    return std::nullopt;
}

}  // namespace kinesis_wire

KINESIS_DECL std::optional<Error> check_create_stream(const CreateStreamRequest& request) {
    constexpr std::string_view op = "create_stream";
    if (auto error = check_stream_name(op, "stream_name", request.stream_name)) return error;
    const bool on_demand = request.stream_mode == StreamMode::OnDemand;
    if (!on_demand && !request.shard_count) {
        return invalid_argument("create_stream: shard_count is required for a provisioned stream");
    }
    if (request.shard_count) {
        if (auto error = check_range(op, "shard_count", *request.shard_count, 1, 1000000)) return error;
    }
    if (request.max_record_size_kib) {
        if (auto error = check_range(op, "max_record_size_kib", *request.max_record_size_kib, 1024, 10240)) {
            return error;
        }
    }
    if (request.tags.size() > 200) {
        return invalid_argument(
            fmt::format("create_stream: tags has {} entries; the limit is 200", request.tags.size()));
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_put_record(const PutRecordRequest& request, const KinesisLimits& limits) {
    constexpr std::string_view op = "put_record";
    if (auto error = check_stream_ref(op, request.stream)) return error;
    if (auto error =
            kinesis_wire::check_record(op, std::nullopt, request.data, request.partition_key, request.explicit_hash_key, limits)) {
        return error;
    }
    if (request.sequence_number_for_ordering && !is_sequence_number(*request.sequence_number_for_ordering)) {
        return invalid_argument(fmt::format("put_record: sequence_number_for_ordering {} is not a sequence number",
                                            quoted_if_short(*request.sequence_number_for_ordering)));
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_put_records(const PutRecordsRequest& request, const KinesisLimits& limits) {
    constexpr std::string_view op = "put_records";
    if (auto error = check_stream_ref(op, request.stream)) return error;
    const auto count = request.records.size();
    if (count == 0) return invalid_argument("put_records: records is empty; it must have 1 to 500 entries");
    if (count > 500) {
        return invalid_argument(fmt::format("put_records: records has {} entries; the limit is 500", count));
    }
    std::size_t total = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const auto& entry = request.records[i];
        if (auto error = kinesis_wire::check_record(op, i, entry.data, entry.partition_key, entry.explicit_hash_key,
                                                    limits)) {
            return error;
        }
        total += entry.data.size() + entry.partition_key.size();
    }
    if (total > limits.max_put_records_bytes) {
        return invalid_argument(fmt::format(
            "put_records: records hold {} bytes of data plus partition keys; the limit is {}", total,
            limits.max_put_records_bytes));
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_get_shard_iterator(const GetShardIteratorRequest& request) {
    constexpr std::string_view op = "get_shard_iterator";
    if (auto error = check_stream_ref(op, request.stream)) return error;
    if (auto error = check_shard_id(op, "shard_id", request.shard_id)) return error;
    const auto type = request.shard_iterator_type;
    if (type == ShardIteratorType::AtSequenceNumber || type == ShardIteratorType::AfterSequenceNumber) {
        if (!request.starting_sequence_number) {
            return invalid_argument(fmt::format("get_shard_iterator: starting_sequence_number is required for {}",
                                                to_string(type)));
        }
        if (!is_sequence_number(*request.starting_sequence_number)) {
            return invalid_argument(
                fmt::format("get_shard_iterator: starting_sequence_number {} is not a sequence number",
                            quoted_if_short(*request.starting_sequence_number)));
        }
    }
    if (type == ShardIteratorType::AtTimestamp && !request.timestamp) {
        return invalid_argument("get_shard_iterator: timestamp is required for AT_TIMESTAMP");
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_get_records(const GetRecordsRequest& request) {
    constexpr std::string_view op = "get_records";
    if (request.shard_iterator.empty()) {
        return invalid_argument("get_records: shard_iterator is empty; it must have 1 to 512 characters");
    }
    if (request.shard_iterator.size() > 512) {
        return invalid_argument(fmt::format("get_records: shard_iterator has {} characters; the limit is 512",
                                            request.shard_iterator.size()));
    }
    if (request.limit) {
        if (auto error = check_range(op, "limit", *request.limit, 1, 10000)) return error;
    }
    if (request.stream_arn) {
        if (auto error = check_stream_arn(op, "stream_arn", *request.stream_arn)) return error;
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_list_shards(const ListShardsRequest& request) {
    constexpr std::string_view op = "list_shards";
    if (request.next_token) {
        if (!request.stream.empty()) {
            return invalid_argument(
                "list_shards: next_token and stream are both set; the API takes the stream only on the first page");
        }
        if (request.next_token->empty()) return invalid_argument("list_shards: next_token is empty");
        if (request.exclusive_start_shard_id || request.stream_creation_timestamp) {
            return invalid_argument("list_shards: next_token cannot be combined with exclusive_start_shard_id "
                                    "or stream_creation_timestamp");
        }
    } else if (auto error = check_stream_ref(op, request.stream)) {
        return error;
    }
    if (request.exclusive_start_shard_id) {
        if (auto error = check_shard_id(op, "exclusive_start_shard_id", *request.exclusive_start_shard_id)) {
            return error;
        }
    }
    if (request.max_results) {
        if (auto error = check_range(op, "max_results", *request.max_results, 1, 10000)) return error;
    }
    if (request.shard_filter) {
        const auto type = request.shard_filter->type;
        if (type == ShardFilterType::AfterShardId) {
            if (!request.shard_filter->shard_id) {
                return invalid_argument("list_shards: shard_filter.shard_id is required for AFTER_SHARD_ID");
            }
            if (auto error = check_shard_id(op, "shard_filter.shard_id", *request.shard_filter->shard_id)) {
                return error;
            }
        }
        if ((type == ShardFilterType::AtTimestamp || type == ShardFilterType::FromTimestamp) &&
            !request.shard_filter->timestamp) {
            return invalid_argument(
                fmt::format("list_shards: shard_filter.timestamp is required for {}", to_string(type)));
        }
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_retention(std::string_view op, const StreamRef& stream, int hours) {
    if (auto error = check_stream_ref(op, stream)) return error;
    if (hours < 24 || hours > 8760) {
        return invalid_argument(
            fmt::format("{}: retention_period_hours is {}; it must be 24 to 8760 (7 days is 168, 365 days 8760)", op,
                        hours));
    }
    return std::nullopt;
}

// ---- request bodies ----

KINESIS_DECL void write_stream_ref(JsonWriter& writer, const StreamRef& stream) {
    if (!stream.arn.empty()) {
        writer.member("StreamARN", stream.arn);
    } else {
        writer.member("StreamName", stream.name);
    }
}

KINESIS_DECL void append_epoch_seconds(std::string& out, Timestamp time) {
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
    // Floor division, so times before 1970 keep a positive fraction.
    std::int64_t seconds = millis / 1000;
    std::int64_t fraction = millis % 1000;
    if (fraction < 0) {
        fraction += 1000;
        seconds -= 1;
    }
    char digits[32];
    auto end = std::to_chars(digits, digits + sizeof digits, seconds).ptr;
    out.append(digits, static_cast<std::size_t>(end - digits));
    if (fraction != 0) {
        out.push_back('.');
        out.push_back(static_cast<char>('0' + fraction / 100));
        out.push_back(static_cast<char>('0' + fraction / 10 % 10));
        out.push_back(static_cast<char>('0' + fraction % 10));
    }
}

KINESIS_DECL std::size_t put_records_body_size(const PutRecordsRequest& request) noexcept {
    // {"Records":[...],"StreamName":"..."}: exact unless a key or name needs escapes
    // (rare; the string then grows once).
    const auto& stream = request.stream.arn.empty() ? request.stream.name : request.stream.arn;
    std::size_t size = 30 + stream.size();
    for (const auto& entry : request.records) {
        // ,{"Data":"...","PartitionKey":"..."}
        size += 30 + base64_encoded_size(entry.data.size()) + entry.partition_key.size();
        if (entry.explicit_hash_key) size += 21 + entry.explicit_hash_key->size();
    }
    return size;
}

namespace kinesis_wire {

// A string already checked as valid UTF-8: copied in one piece unless it holds
// a character JSON must escape.
inline void append_checked_string(std::string& out, std::string_view text) {
    if (needs_json_escape(text)) {
        append_json_string(out, text);
        return;
    }
    out.push_back('"');
    out.append(text.data(), text.size());
    out.push_back('"');
}

}  // namespace kinesis_wire

// The PutRecords hot path, written by hand rather than through JsonWriter: the
// member names are constants, the keys were validated by check_put_records(), so
// each entry is three appends and one base64 pass straight into the buffer.
KINESIS_DECL void write_put_records(const PutRecordsRequest& request, std::string& out) {
    out.append(R"({"Records":[)");
    bool first = true;
    for (const auto& entry : request.records) {
        out.append(first ? R"({"Data":")" : R"(,{"Data":")");
        first = false;
        base64_encode(entry.data, out);
        out.append(R"(","PartitionKey":)");
        kinesis_wire::append_checked_string(out, entry.partition_key);
        if (entry.explicit_hash_key) {
            out.append(R"(,"ExplicitHashKey":)");
            kinesis_wire::append_checked_string(out, *entry.explicit_hash_key);
        }
        out.push_back('}');
    }
    out.append("],");
    if (!request.stream.arn.empty()) {
        out.append(R"("StreamARN":)");
        kinesis_wire::append_checked_string(out, request.stream.arn);
    } else {
        out.append(R"("StreamName":)");
        kinesis_wire::append_checked_string(out, request.stream.name);
    }
    out.push_back('}');
}

KINESIS_DECL void write_put_record(const PutRecordRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, request.stream);
    writer.key("Data").base64(request.data);
    writer.member("PartitionKey", request.partition_key);
    if (request.explicit_hash_key) writer.member("ExplicitHashKey", *request.explicit_hash_key);
    if (request.sequence_number_for_ordering) {
        writer.member("SequenceNumberForOrdering", *request.sequence_number_for_ordering);
    }
    writer.end_object();
}

KINESIS_DECL void write_create_stream(const CreateStreamRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("StreamName", request.stream_name);
    if (request.shard_count) writer.member("ShardCount", static_cast<std::int64_t>(*request.shard_count));
    if (request.stream_mode) {
        writer.key("StreamModeDetails").begin_object().member("StreamMode", to_string(*request.stream_mode)).end_object();
    }
    if (!request.tags.empty()) {
        writer.key("Tags").begin_object();
        for (const auto& [key, value] : request.tags) writer.member(key, value);
        writer.end_object();
    }
    if (request.max_record_size_kib) {
        writer.member("MaxRecordSizeInKiB", static_cast<std::int64_t>(*request.max_record_size_kib));
    }
    writer.end_object();
}

KINESIS_DECL void write_get_shard_iterator(const GetShardIteratorRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, request.stream);
    writer.member("ShardId", request.shard_id);
    writer.member("ShardIteratorType", to_string(request.shard_iterator_type));
    const auto type = request.shard_iterator_type;
    if (request.starting_sequence_number &&
        (type == ShardIteratorType::AtSequenceNumber || type == ShardIteratorType::AfterSequenceNumber)) {
        writer.member("StartingSequenceNumber", *request.starting_sequence_number);
    }
    if (request.timestamp && type == ShardIteratorType::AtTimestamp) {
        writer.key("Timestamp");
        append_epoch_seconds(out, *request.timestamp);
    }
    writer.end_object();
}

KINESIS_DECL void write_get_records(const GetRecordsRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("ShardIterator", request.shard_iterator);
    if (request.limit) writer.member("Limit", static_cast<std::int64_t>(*request.limit));
    if (request.stream_arn) writer.member("StreamARN", *request.stream_arn);
    writer.end_object();
}

KINESIS_DECL void write_list_shards(const ListShardsRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    if (request.next_token) {
        writer.member("NextToken", *request.next_token);
    } else {
        write_stream_ref(writer, request.stream);
    }
    if (request.exclusive_start_shard_id) writer.member("ExclusiveStartShardId", *request.exclusive_start_shard_id);
    if (request.max_results) writer.member("MaxResults", static_cast<std::int64_t>(*request.max_results));
    if (request.stream_creation_timestamp) {
        writer.key("StreamCreationTimestamp");
        append_epoch_seconds(out, *request.stream_creation_timestamp);
    }
    if (request.shard_filter) {
        writer.key("ShardFilter").begin_object();
        writer.member("Type", to_string(request.shard_filter->type));
        if (request.shard_filter->shard_id) writer.member("ShardId", *request.shard_filter->shard_id);
        if (request.shard_filter->timestamp) {
            writer.key("Timestamp");
            append_epoch_seconds(out, *request.shard_filter->timestamp);
        }
        writer.end_object();
    }
    writer.end_object();
}

// ---- answers ----

namespace kinesis_wire {

inline constexpr StreamStatus stream_statuses[] = {
    StreamStatus::Creating, StreamStatus::Deleting, StreamStatus::Active, StreamStatus::Updating};
inline constexpr StreamMode stream_modes[] = {StreamMode::Provisioned, StreamMode::OnDemand};
inline constexpr EncryptionType encryption_types[] = {EncryptionType::None,
                                                                           EncryptionType::Kms};
inline constexpr ConsumerStatus consumer_statuses[] = {
    ConsumerStatus::Creating, ConsumerStatus::Deleting, ConsumerStatus::Active};

// StreamModeDetails: {"StreamMode": "ON_DEMAND"}
inline error_code read_stream_mode(value v, std::optional<StreamMode>& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "StreamMode") return read_optional_enum(field, out, stream_modes);
        return simdjson::SUCCESS;
    });
}

inline error_code read_hash_key_range(value v, HashKeyRange& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "StartingHashKey") return read_string(field, out.starting_hash_key);
        if (key == "EndingHashKey") return read_string(field, out.ending_hash_key);
        return simdjson::SUCCESS;
    });
}

inline error_code read_shard(value v, Shard& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "ShardId") return read_string(field, out.shard_id);
        if (key == "ParentShardId") return read_optional_string(field, out.parent_shard_id);
        if (key == "AdjacentParentShardId") return read_optional_string(field, out.adjacent_parent_shard_id);
        if (key == "HashKeyRange") return read_hash_key_range(field, out.hash_key_range);
        if (key == "SequenceNumberRange") {
            return read_object(field, [&](std::string_view range_key, value range_field) -> error_code {
                if (range_key == "StartingSequenceNumber") {
                    return read_string(range_field, out.sequence_number_range.starting_sequence_number);
                }
                if (range_key == "EndingSequenceNumber") {
                    return read_optional_string(range_field, out.sequence_number_range.ending_sequence_number);
                }
                return simdjson::SUCCESS;
            });
        }
        return simdjson::SUCCESS;
    });
}

inline error_code read_shards(value v, std::vector<Shard>& out) {
    return read_array(v, [&](value item) {
        out.emplace_back();
        return read_shard(item, out.back());
    });
}

inline error_code read_enhanced_monitoring(value v, std::vector<EnhancedMetrics>& out) {
    return read_array(v, [&](value item) {
        out.emplace_back();
        return read_object(item, [&](std::string_view key, value field) -> error_code {
            if (key == "ShardLevelMetrics") return read_string_list(field, out.back().shard_level_metrics);
            return simdjson::SUCCESS;
        });
    });
}

inline error_code read_child_shard(value v, ChildShard& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "ShardId") return read_string(field, out.shard_id);
        if (key == "ParentShards") return read_string_list(field, out.parent_shards);
        if (key == "HashKeyRange") return read_hash_key_range(field, out.hash_key_range);
        return simdjson::SUCCESS;
    });
}

// AWS writes timestamps as epoch seconds like 1.700000123456E9 or 1700000123.456.
// Read as integers straight from the token: exact to the microsecond, and several
// times faster than a double parse. Anything else is left to read_time().
inline bool eight_digits(const char* text, std::uint64_t& out) noexcept {
#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
    (void)text;
    (void)out;
    return false;  // the arithmetic below reads the first digit from the low byte
#else
    std::uint64_t v;
    std::memcpy(&v, text, 8);
    // Every byte in '0'..'9': high nibbles all 3, and adding 6 carries into none.
    if (((v & 0xF0F0F0F0F0F0F0F0u) | (((v + 0x0606060606060606u) & 0xF0F0F0F0F0F0F0F0u) >> 4)) !=
        0x3333333333333333u) {
        return false;
    }
    // Digits combined pairwise (two, then four, then eight) in three multiplies.
    v = ((v & 0x0F0F0F0F0F0F0F0Fu) * 2561) >> 8;
    v = ((v & 0x00FF00FF00FF00FFu) * 6553601) >> 16;
    out = ((v & 0x0000FFFF0000FFFFu) * 42949672960001u) >> 32;
    return true;
#endif
}

inline bool fast_epoch_micros(std::string_view token, Timestamp& out) noexcept {
    std::uint64_t mantissa = 0;
    int scale = 0;  // power of ten applied to the mantissa
    std::size_t i = 0;
    // One run of digits: eight at a time while they last and the mantissa has
    // room for them (under 10^11, so the result stays under 10^19), then one by one.
    auto read_digits = [&](bool fraction) {
        const std::size_t first = i;
        std::uint64_t eight = 0;
        while (token.size() - i >= 8 && mantissa < 100000000000u && eight_digits(token.data() + i, eight)) {
            mantissa = mantissa * 100000000u + eight;
            i += 8;
        }
        for (; i < token.size() && token[i] >= '0' && token[i] <= '9'; ++i) {
            if (mantissa > (UINT64_MAX - 9) / 10) return false;
            mantissa = mantissa * 10 + static_cast<std::uint64_t>(token[i] - '0');
        }
        if (fraction) scale -= static_cast<int>(i - first);
        return true;
    };
    if (!read_digits(false) || i == 0) return false;
    if (i < token.size() && token[i] == '.') {
        ++i;
        if (!read_digits(true)) return false;
    }
    if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < token.size() && (token[i] == '+' || token[i] == '-')) negative = token[i++] == '-';
        int exponent = 0;
        const std::size_t start = i;
        for (; i < token.size() && token[i] >= '0' && token[i] <= '9' && exponent < 1000; ++i) {
            exponent = exponent * 10 + (token[i] - '0');
        }
        if (i == start) return false;
        scale += negative ? -exponent : exponent;
    }
    // The raw token may carry trailing whitespace before ',' or '}'.
    for (; i < token.size(); ++i) {
        if (token[i] != ' ' && token[i] != '\t' && token[i] != '\n' && token[i] != '\r') return false;
    }
    scale += 6;  // to microseconds
    while (scale < 0) {
        mantissa /= 10;  // below a microsecond: truncated
        ++scale;
    }
    for (; scale > 0; --scale) {
        if (mantissa > UINT64_MAX / 10) return false;
        mantissa *= 10;
    }
    // Past the clock's range: read_time() rejects it (the conversion to nanoseconds would overflow).
    if (mantissa > static_cast<std::uint64_t>(max_epoch_seconds) * 1000000u) return false;
    out = Timestamp(std::chrono::duration_cast<Timestamp::duration>(
        std::chrono::microseconds(static_cast<std::int64_t>(mantissa))));
    return true;
}

// The characters of a raw JSON string token ("...", perhaps followed by
// whitespace) when it holds no escape; false otherwise, or if it is no string.
inline bool raw_string_without_escapes(std::string_view token, std::string_view& out) noexcept {
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t' || token.back() == '\n' ||
                              token.back() == '\r')) {
        token.remove_suffix(1);
    }
    if (token.size() < 2 || token.front() != '"' || token.back() != '"') return false;
    token = token.substr(1, token.size() - 2);
    if (std::memchr(token.data(), '\\', token.size()) != nullptr) return false;
    out = token;
    return true;
}

// read_string() without simdjson's unescaping copy when the text has no
// escapes (sequence numbers never do; keys rarely): one copy, not two. The
// document's UTF-8 was validated as a whole before any value is read.
inline error_code read_string_direct(value field, std::string& out) {
    std::string_view text;
    if (raw_string_without_escapes(field.raw_json_token(), text)) {
        out.assign(text.data(), text.size());
        return simdjson::SUCCESS;
    }
    return read_string(field, out);
}

// read_optional_string() with read_string_direct()'s single copy: a null or
// an escaped string takes the usual path.
inline error_code read_optional_string_direct(value field, std::optional<std::string>& out) {
    std::string_view text;
    if (raw_string_without_escapes(field.raw_json_token(), text)) {
        out.emplace(text.data(), text.size());
        return simdjson::SUCCESS;
    }
    return read_optional_string(field, out);
}

// Whether a raw key is exactly `name`: a fixed-size compare of the name and
// the closing quote instead of a loop per character. Reading past a shorter
// key stays inside the document or its padding (SIMDJSON_PADDING), and stops
// mattering at the first byte that differs; an escaped quote never matches.
template <std::size_t N>
inline bool key_is(simdjson::ondemand::raw_json_string key, const char (&name)[N]) noexcept {
    static_assert(N - 1 < simdjson::SIMDJSON_PADDING, "a key compare may read this far past a short key");
    const char* raw = key.raw();
    return std::memcmp(raw, name, N - 1) == 0 && raw[N - 1] == '"';
}

// One PutRecords result entry, keys compared raw as in read_record();
// sequence numbers and shard ids never hold escapes: one copy each.
inline error_code read_put_records_entry(value v, PutRecordsResultEntry& entry) {
    simdjson::ondemand::object object;
    if (auto error = v.get_object().get(object)) return error;
    for (auto member : object) {
        simdjson::ondemand::raw_json_string key;
        if (auto error = member.key().get(key)) return error;
        value field;
        if (auto error = member.value().get(field)) return error;
        error_code error = simdjson::SUCCESS;
        if (key_is(key, "SequenceNumber")) {
            error = read_optional_string_direct(field, entry.sequence_number);
        } else if (key_is(key, "ShardId")) {
            error = read_optional_string_direct(field, entry.shard_id);
        } else if (key_is(key, "ErrorCode")) {
            error = read_optional_string(field, entry.error_code);
        } else if (key_is(key, "ErrorMessage")) {
            error = read_optional_string(field, entry.error_message);
        }
        if (error) return error;
    }
    return simdjson::SUCCESS;
}

// The GetRecords hot path: keys compared raw (Kinesis keys have no escapes),
// no per-field lookups, the timestamp read as the number AWS sends first.
// `out` may be a record of an earlier batch: every field is reset, its
// strings cleared but not freed.
inline error_code read_record(value v, Record& out) {
    simdjson::ondemand::object object;
    if (auto error = v.get_object().get(object)) return error;
    out.sequence_number.clear();
    out.partition_key.clear();
    out.data.clear();
    out.approximate_arrival_timestamp.reset();
    out.encryption_type.reset();
    for (auto member : object) {
        simdjson::ondemand::raw_json_string key;
        if (auto error = member.key().get(key)) return error;
        value field;
        if (auto error = member.value().get(field)) return error;
        if (key_is(key, "Data")) {
            // Base64 has no characters JSON must escape: decode straight from the
            // raw token, skipping simdjson's unescaping copy. A '\' is outside the
            // alphabet, so a sender that escaped one anyway ("\/") fails this
            // decode and gets the unescaped one.
            std::string_view raw = field.raw_json_token();
            while (!raw.empty() && raw.back() != '"') raw.remove_suffix(1);  // trailing whitespace
            if (raw.size() < 2 || raw.front() != '"' || !base64_decode(raw.substr(1, raw.size() - 2), out.data)) {
                std::string_view text;
                if (auto error = field.get_string().get(text)) return error;
                // The answer's base64 is the service's: a malformed one is an unreadable answer.
                if (!base64_decode(text, out.data)) return simdjson::INCORRECT_TYPE;
            }
        } else if (key_is(key, "SequenceNumber")) {
            if (auto error = read_string_direct(field, out.sequence_number)) return error;
        } else if (key_is(key, "PartitionKey")) {
            if (auto error = read_string_direct(field, out.partition_key)) return error;
        } else if (key_is(key, "ApproximateArrivalTimestamp")) {
            Timestamp time{};
            if (fast_epoch_micros(field.raw_json_token(), time)) {
                out.approximate_arrival_timestamp = time;
            } else if (auto error = read_optional_time(field, out.approximate_arrival_timestamp)) {
                return error;
            }
        } else if (key_is(key, "EncryptionType")) {
            if (auto error = read_optional_enum(field, out.encryption_type, encryption_types)) return error;
        }
    }
    return simdjson::SUCCESS;
}

inline error_code read_consumer(value v, ConsumerDescription& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "ConsumerName") return read_string(field, out.consumer_name);
        if (key == "ConsumerARN") return read_string(field, out.consumer_arn);
        if (key == "ConsumerStatus") return read_enum(field, out.consumer_status, consumer_statuses);
        if (key == "ConsumerCreationTimestamp") return read_time(field, out.consumer_creation_timestamp);
        if (key == "StreamARN") return read_string(field, out.stream_arn);
        return simdjson::SUCCESS;
    });
}

inline StreamConsumer as_consumer(ConsumerDescription&& description) { return std::move(static_cast<StreamConsumer&>(description)); }

}  // namespace kinesis_wire

KINESIS_DECL Result<void> parse_get_records_into(JsonParser& parser, const std::string& body, GetRecordsResult& out) {
    using namespace kinesis_wire;
    constexpr std::string_view what = "GetRecords response";
    out.next_shard_iterator.reset();
    out.millis_behind_latest.reset();
    out.child_shards.clear();
    std::size_t filled = 0;  // records of `out` overwritten so far; the rest are stale
    auto fail = [&](error_code error) {
        out = GetRecordsResult{};
        return json_parse_error(what, error);
    };
    simdjson::ondemand::document doc;
    if (auto error = parser.iterate(body).get(doc)) return fail(error);
    simdjson::ondemand::object object;
    if (auto error = doc.get_object().get(object)) return fail(error);
    auto error = for_each_field(object, [&](std::string_view key, value field) -> error_code {
        if (key == "Records") {
            // A record takes at least ~100 bytes of JSON (keys, a sequence number);
            // GetRecords returns at most 10,000: one allocation in the common case.
            out.records.reserve(std::min<std::size_t>(body.size() / 100, 10000));
            return read_array(field, [&](value item) {
                if (filled == out.records.size()) out.records.emplace_back();
                return read_record(item, out.records[filled++]);
            });
        }
        if (key == "NextShardIterator") return read_optional_string(field, out.next_shard_iterator);
        if (key == "MillisBehindLatest") {
            std::optional<std::int64_t> millis;
            if (auto read_error = read_optional_int64(field, millis)) return read_error;
            if (millis) out.millis_behind_latest = std::chrono::milliseconds(*millis);
            return simdjson::SUCCESS;
        }
        if (key == "ChildShards") {
            bool is_null = false;
            if (auto read_error = field.is_null().get(is_null)) return read_error;
            if (is_null) return simdjson::SUCCESS;
            return read_array(field, [&](value item) {
                out.child_shards.emplace_back();
                return read_child_shard(item, out.child_shards.back());
            });
        }
        return simdjson::SUCCESS;
    });
    if (error) return fail(error);
    out.records.erase(out.records.begin() + static_cast<std::ptrdiff_t>(filled), out.records.end());
    return {};
}

KINESIS_DECL Result<GetRecordsResult> parse_get_records(JsonParser& parser, const std::string& body) {
    GetRecordsResult out;
    if (auto parsed = parse_get_records_into(parser, body, out); !parsed) return std::move(parsed).error();
    return out;
}

KINESIS_DECL Result<PutRecordsResult> parse_put_records(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    return parse_object<PutRecordsResult>(
        parser, body, "PutRecords response", [&body](PutRecordsResult& out, std::string_view key, value field) -> error_code {
            if (key == "FailedRecordCount") {
                std::optional<int> failed;
                if (auto error = read_optional_int(field, failed)) return error;
                out.failed_record_count = failed.value_or(0);
                return simdjson::SUCCESS;
            }
            if (key == "EncryptionType") return read_optional_enum(field, out.encryption_type, encryption_types);
            if (key == "Records") {
                // One allocation for the entries: each takes at least 64 bytes
                // of the answer, and a request has at most 500.
                out.records.reserve(std::min<std::size_t>(500, body.size() / 64));
                return read_array(field, [&](value item) { return read_put_records_entry(item, out.records.emplace_back()); });
            }
            return simdjson::SUCCESS;
        });
}

KINESIS_DECL Result<PutRecordsResult> parse_put_records_for(JsonParser& parser, const std::string& body,
                                                             std::size_t records_sent) {
    auto parsed = parse_put_records(parser, body);
    if (parsed && parsed->records.size() != records_sent) {
        Error error;
        error.kind = ErrorKind::Parse;
        error.message = fmt::format("PutRecords response has {} result entries for {} records",
                                    parsed->records.size(), records_sent);
        return error;
    }
    return parsed;
}

KINESIS_DECL Result<PutRecordResult> parse_put_record(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    auto result = parse_object<PutRecordResult>(
        parser, body, "PutRecord response", [](PutRecordResult& out, std::string_view key, value field) -> error_code {
            if (key == "ShardId") return read_string(field, out.shard_id);
            if (key == "SequenceNumber") return read_string(field, out.sequence_number);
            if (key == "EncryptionType") return read_optional_enum(field, out.encryption_type, encryption_types);
            return simdjson::SUCCESS;
        });
    if (result && (result->shard_id.empty() || result->sequence_number.empty())) {
        Error error;
        error.kind = ErrorKind::Parse;
        error.message = "PutRecord response lacks ShardId or SequenceNumber";
        return error;
    }
    return result;
}

KINESIS_DECL Result<StreamDescription> parse_describe_stream(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    bool found = false;
    auto result = parse_object<StreamDescription>(
        parser, body, "DescribeStream response",
        [&found](StreamDescription& out, std::string_view key, value field) -> error_code {
            if (key != "StreamDescription") return simdjson::SUCCESS;
            found = true;
            return read_object(field, [&](std::string_view name, value member) -> error_code {
                if (name == "StreamName") return read_string(member, out.stream_name);
                if (name == "StreamARN") return read_string(member, out.stream_arn);
                if (name == "StreamStatus") return read_enum(member, out.stream_status, stream_statuses);
                if (name == "StreamModeDetails") return read_stream_mode(member, out.stream_mode);
                if (name == "Shards") return read_shards(member, out.shards);
                if (name == "HasMoreShards") return read_bool(member, out.has_more_shards);
                if (name == "RetentionPeriodHours") return read_int(member, out.retention_period_hours);
                if (name == "StreamCreationTimestamp") return read_time(member, out.stream_creation_timestamp);
                if (name == "EnhancedMonitoring") return read_enhanced_monitoring(member, out.enhanced_monitoring);
                if (name == "EncryptionType") return read_optional_enum(member, out.encryption_type, encryption_types);
                if (name == "KeyId") return read_optional_string(member, out.key_id);
                return simdjson::SUCCESS;
            });
        });
    if (result && !found) return json_parse_error("DescribeStream response", simdjson::NO_SUCH_FIELD);
    return result;
}

KINESIS_DECL Result<StreamDescriptionSummary> parse_describe_stream_summary(JsonParser& parser,
                                                                            const std::string& body) {
    using namespace kinesis_wire;
    bool found = false;
    auto result = parse_object<StreamDescriptionSummary>(
        parser, body, "DescribeStreamSummary response",
        [&found](StreamDescriptionSummary& out, std::string_view key, value field) -> error_code {
            if (key != "StreamDescriptionSummary") return simdjson::SUCCESS;
            found = true;
            return read_object(field, [&](std::string_view name, value member) -> error_code {
                if (name == "StreamName") return read_string(member, out.stream_name);
                if (name == "StreamARN") return read_string(member, out.stream_arn);
                if (name == "StreamId") return read_optional_string(member, out.stream_id);
                if (name == "StreamStatus") return read_enum(member, out.stream_status, stream_statuses);
                if (name == "StreamModeDetails") return read_stream_mode(member, out.stream_mode);
                if (name == "RetentionPeriodHours") return read_int(member, out.retention_period_hours);
                if (name == "StreamCreationTimestamp") return read_time(member, out.stream_creation_timestamp);
                if (name == "EnhancedMonitoring") return read_enhanced_monitoring(member, out.enhanced_monitoring);
                if (name == "EncryptionType") return read_optional_enum(member, out.encryption_type, encryption_types);
                if (name == "KeyId") return read_optional_string(member, out.key_id);
                if (name == "OpenShardCount") return read_int(member, out.open_shard_count);
                if (name == "ConsumerCount") return read_optional_int(member, out.consumer_count);
                if (name == "MaxRecordSizeInKiB") return read_optional_int(member, out.max_record_size_kib);
                return simdjson::SUCCESS;
            });
        });
    if (result && !found) return json_parse_error("DescribeStreamSummary response", simdjson::NO_SUCH_FIELD);
    return result;
}

KINESIS_DECL Result<ListStreamsResult> parse_list_streams(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    return parse_object<ListStreamsResult>(
        parser, body, "ListStreams response", [](ListStreamsResult& out, std::string_view key, value field) -> error_code {
            if (key == "StreamNames") return read_string_list(field, out.stream_names);
            if (key == "HasMoreStreams") return read_bool(field, out.has_more_streams);
            if (key == "NextToken") return read_optional_string(field, out.next_token);
            if (key == "StreamSummaries") {
                bool is_null = false;
                if (auto error = field.is_null().get(is_null)) return error;
                if (is_null) return simdjson::SUCCESS;
                return read_array(field, [&](value item) {
                    auto& summary = out.stream_summaries.emplace_back();
                    return read_object(item, [&](std::string_view name, value member) -> error_code {
                        if (name == "StreamName") return read_string(member, summary.stream_name);
                        if (name == "StreamARN") return read_string(member, summary.stream_arn);
                        if (name == "StreamStatus") return read_enum(member, summary.stream_status, stream_statuses);
                        if (name == "StreamModeDetails") return read_stream_mode(member, summary.stream_mode);
                        if (name == "StreamCreationTimestamp") {
                            return read_optional_time(member, summary.stream_creation_timestamp);
                        }
                        return simdjson::SUCCESS;
                    });
                });
            }
            return simdjson::SUCCESS;
        });
}

KINESIS_DECL Result<ListShardsResult> parse_list_shards(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    return parse_object<ListShardsResult>(
        parser, body, "ListShards response", [](ListShardsResult& out, std::string_view key, value field) -> error_code {
            if (key == "Shards") return read_shards(field, out.shards);
            if (key == "NextToken") return read_optional_string(field, out.next_token);
            return simdjson::SUCCESS;
        });
}

KINESIS_DECL Result<GetShardIteratorResult> parse_get_shard_iterator(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    auto result = parse_object<GetShardIteratorResult>(
        parser, body, "GetShardIterator response",
        [](GetShardIteratorResult& out, std::string_view key, value field) -> error_code {
            if (key == "ShardIterator") return read_string(field, out.shard_iterator);
            return simdjson::SUCCESS;
        });
    if (result && result->shard_iterator.empty()) {
        return json_parse_error("GetShardIterator response", simdjson::NO_SUCH_FIELD);
    }
    return result;
}

KINESIS_DECL Result<UpdateShardCountResult> parse_update_shard_count(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    return parse_object<UpdateShardCountResult>(
        parser, body, "UpdateShardCount response",
        [](UpdateShardCountResult& out, std::string_view key, value field) -> error_code {
            if (key == "StreamName") return read_string(field, out.stream_name);
            if (key == "CurrentShardCount") return read_int(field, out.current_shard_count);
            if (key == "TargetShardCount") return read_int(field, out.target_shard_count);
            if (key == "StreamARN") return read_optional_string(field, out.stream_arn);
            return simdjson::SUCCESS;
        });
}

KINESIS_DECL Result<DescribeLimitsResult> parse_describe_limits(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    return parse_object<DescribeLimitsResult>(
        parser, body, "DescribeLimits response",
        [](DescribeLimitsResult& out, std::string_view key, value field) -> error_code {
            if (key == "ShardLimit") return read_int(field, out.shard_limit);
            if (key == "OpenShardCount") return read_int(field, out.open_shard_count);
            if (key == "OnDemandStreamCount") return read_int(field, out.on_demand_stream_count);
            if (key == "OnDemandStreamCountLimit") return read_int(field, out.on_demand_stream_count_limit);
            return simdjson::SUCCESS;
        });
}

KINESIS_DECL Result<ListTagsForStreamResult> parse_list_tags_for_stream(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    return parse_object<ListTagsForStreamResult>(
        parser, body, "ListTagsForStream response",
        [](ListTagsForStreamResult& out, std::string_view key, value field) -> error_code {
            if (key == "HasMoreTags") return read_bool(field, out.has_more_tags);
            if (key == "Tags") {
                return read_array(field, [&](value item) {
                    auto& tag = out.tags.emplace_back();
                    return read_object(item, [&](std::string_view name, value member) -> error_code {
                        if (name == "Key") return read_string(member, tag.key);
                        if (name == "Value") return read_optional_string(member, tag.value);
                        return simdjson::SUCCESS;
                    });
                });
            }
            return simdjson::SUCCESS;
        });
}

KINESIS_DECL Result<StreamConsumer> parse_register_stream_consumer(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    auto result = parse_object<ConsumerDescription>(
        parser, body, "RegisterStreamConsumer response",
        [](ConsumerDescription& out, std::string_view key, value field) -> error_code {
            if (key == "Consumer") return read_consumer(field, out);
            return simdjson::SUCCESS;
        });
    if (!result) return std::move(result).error();
    if (result->consumer_arn.empty()) return json_parse_error("RegisterStreamConsumer response", simdjson::NO_SUCH_FIELD);
    return as_consumer(std::move(*result));
}

KINESIS_DECL Result<ConsumerDescription> parse_describe_stream_consumer(JsonParser& parser, const std::string& body) {
    using namespace kinesis_wire;
    auto result = parse_object<ConsumerDescription>(
        parser, body, "DescribeStreamConsumer response",
        [](ConsumerDescription& out, std::string_view key, value field) -> error_code {
            if (key == "ConsumerDescription") return read_consumer(field, out);
            return simdjson::SUCCESS;
        });
    if (result && result->consumer_arn.empty()) {
        return json_parse_error("DescribeStreamConsumer response", simdjson::NO_SUCH_FIELD);
    }
    return result;
}

KINESIS_DECL Result<ListStreamConsumersResult> parse_list_stream_consumers(JsonParser& parser,
                                                                           const std::string& body) {
    using namespace kinesis_wire;
    return parse_object<ListStreamConsumersResult>(
        parser, body, "ListStreamConsumers response",
        [](ListStreamConsumersResult& out, std::string_view key, value field) -> error_code {
            if (key == "NextToken") return read_optional_string(field, out.next_token);
            if (key == "Consumers") {
                return read_array(field, [&](value item) {
                    ConsumerDescription description;
                    if (auto error = read_consumer(item, description)) return error;
                    out.consumers.push_back(as_consumer(std::move(description)));
                    return simdjson::SUCCESS;
                });
            }
            return simdjson::SUCCESS;
        });
}

// ---- bodies of the other operations ----

// An object with just the stream reference: the body of many operations.
KINESIS_DECL std::string write_stream_only(const StreamRef& stream) {
    std::string body;
    body.reserve(32 + stream.name.size() + stream.arn.size());
    JsonWriter writer(body);
    writer.begin_object();
    write_stream_ref(writer, stream);
    writer.end_object();
    return body;
}

KINESIS_DECL std::string write_retention(const StreamRef& stream, int hours) {
    std::string body;
    JsonWriter writer(body);
    writer.begin_object();
    write_stream_ref(writer, stream);
    writer.member("RetentionPeriodHours", static_cast<std::int64_t>(hours));
    writer.end_object();
    return body;
}

KINESIS_DECL Result<std::string> write_encryption(std::string_view op, const StreamRef& stream, EncryptionType type,
                                           std::string_view key_id) {
    if (auto error = check_stream_ref(op, stream)) return std::move(*error);
    if (type != EncryptionType::Kms) return invalid_argument(fmt::format("{}: encryption_type must be KMS", op));
    if (key_id.empty()) return invalid_argument(fmt::format("{}: key_id is empty; it must have 1 to 2048 characters", op));
    if (key_id.size() > 2048) {
        return invalid_argument(fmt::format("{}: key_id has {} characters; the limit is 2048", op, key_id.size()));
    }
    std::string body;
    JsonWriter writer(body);
    writer.begin_object();
    write_stream_ref(writer, stream);
    writer.member("EncryptionType", to_string(type));
    writer.member("KeyId", key_id);
    writer.end_object();
    return body;
}

// By consumer ARN alone, or by stream ARN and consumer name.
KINESIS_DECL Result<std::string> write_consumer_ref(std::string_view op, std::string_view stream_arn,
                                         std::string_view consumer_name, std::string_view consumer_arn) {
    std::string body;
    JsonWriter writer(body);
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
        if (auto error = check_stream_arn(op, "stream_arn", stream_arn)) return std::move(*error);
        if (auto error = check_stream_name(op, "consumer_name", consumer_name)) return std::move(*error);
        writer.member("StreamARN", stream_arn);
        writer.member("ConsumerName", consumer_name);
    }
    writer.end_object();
    return body;
}

KINESIS_DECL void write_delete_stream(const DeleteStreamRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, request.stream);
    if (request.enforce_consumer_deletion) writer.member("EnforceConsumerDeletion", true);
    writer.end_object();
}

 KINESIS_DECL void write_describe_stream(const DescribeStreamRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, request.stream);
    if (request.limit) writer.member("Limit", static_cast<std::int64_t>(*request.limit));
    if (request.exclusive_start_shard_id) writer.member("ExclusiveStartShardId", *request.exclusive_start_shard_id);
    writer.end_object();
}

 KINESIS_DECL void write_list_streams(const ListStreamsRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    if (request.limit) writer.member("Limit", static_cast<std::int64_t>(*request.limit));
    if (request.exclusive_start_stream_name) {
        writer.member("ExclusiveStartStreamName", *request.exclusive_start_stream_name);
    }
    if (request.next_token) writer.member("NextToken", *request.next_token);
    writer.end_object();
}

 KINESIS_DECL void write_update_shard_count(const UpdateShardCountRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, request.stream);
    writer.member("TargetShardCount", static_cast<std::int64_t>(request.target_shard_count));
    writer.member("ScalingType", "UNIFORM_SCALING");
    writer.end_object();
}

 KINESIS_DECL void write_split_shard(const SplitShardRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, request.stream);
    writer.member("ShardToSplit", request.shard_to_split);
    writer.member("NewStartingHashKey", request.new_starting_hash_key);
    writer.end_object();
}

 KINESIS_DECL void write_merge_shards(const MergeShardsRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, request.stream);
    writer.member("ShardToMerge", request.shard_to_merge);
    writer.member("AdjacentShardToMerge", request.adjacent_shard_to_merge);
    writer.end_object();
}

 KINESIS_DECL void write_update_stream_mode(std::string_view stream_arn, StreamMode mode, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("StreamARN", stream_arn);
    writer.key("StreamModeDetails").begin_object().member("StreamMode", to_string(mode)).end_object();
    writer.end_object();
}

 KINESIS_DECL void write_add_tags_to_stream(const StreamRef& stream, const std::map<std::string, std::string>& tags, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, stream);
    writer.key("Tags").begin_object();
    for (const auto& [key, value] : tags) writer.member(key, value);
    writer.end_object();
    writer.end_object();
}

 KINESIS_DECL void write_remove_tags_from_stream(const StreamRef& stream, const std::vector<std::string>& tag_keys, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, stream);
    writer.key("TagKeys").begin_array();
    for (const auto& key : tag_keys) writer.string(key);
    writer.end_array();
    writer.end_object();
}

 KINESIS_DECL void write_list_tags_for_stream(const StreamRef& stream, const std::optional<std::string>& exclusive_start_tag_key, const std::optional<int>& limit, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    write_stream_ref(writer, stream);
    if (exclusive_start_tag_key) writer.member("ExclusiveStartTagKey", *exclusive_start_tag_key);
    if (limit) writer.member("Limit", static_cast<std::int64_t>(*limit));
    writer.end_object();
}

 KINESIS_DECL void write_list_stream_consumers(std::string_view stream_arn, const std::optional<std::string>& next_token, const std::optional<int>& max_results, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("StreamARN", stream_arn);
    if (next_token) writer.member("NextToken", *next_token);
    if (max_results) writer.member("MaxResults", static_cast<std::int64_t>(*max_results));
    writer.end_object();
}

}  // namespace kinesis::detail

#endif  // KINESIS_STREAMS_DETAIL_IMPL_WIRE_INL_HPP
