// SPDX-License-Identifier: Apache-2.0
// Definitions for firehose/detail/wire.hpp.
#ifndef KINESIS_FIREHOSE_DETAIL_IMPL_WIRE_INL_HPP
#define KINESIS_FIREHOSE_DETAIL_IMPL_WIRE_INL_HPP

#include <kinesis/firehose/detail/wire.hpp>

#include <kinesis/core/arn.hpp>
#include <kinesis/core/detail/checks.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/core/detail/json_writer.hpp>
#include <kinesis/core/detail/time.hpp>

#include <fmt/core.h>

#include <cstdint>
#include <utility>

namespace kinesis::detail {

namespace firehose_wire {

using simdjson::error_code;
using simdjson::ondemand::value;

inline bool is_digits(std::string_view text, std::size_t count) noexcept {
    if (text.size() != count) return false;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

// What one kind of ARN must look like; the model's patterns, checked on the parts Arn::parse splits.
struct ArnShape {
    std::string_view what;     // "an IAM role"
    std::string_view form;     // "arn:aws:iam::<account>:role/<name>"
    std::string_view service;  // "iam"
    bool regional;             // region present (and must be)
    bool has_account;          // 12-digit account present (and must be)
    std::string_view resource_prefixes[2];  // the resource starts with one of these, followed by a name
    std::size_t max_size;
};

inline constexpr ArnShape role_arn{"an IAM role", "arn:aws:iam::<account>:role/<name>", "iam", false, true,
                                   {"role/", {}}, 512};
inline constexpr ArnShape bucket_arn{"an S3 bucket", "arn:aws:s3:::<bucket>", "s3", false, false, {{}, {}}, 2048};
inline constexpr ArnShape kinesis_stream_arn{"a Kinesis stream", "arn:aws:kinesis:<region>:<account>:stream/<name>",
                                             "kinesis", true, true, {"stream/", {}}, 512};
inline constexpr ArnShape kms_key_arn{"a KMS key", "arn:aws:kms:<region>:<account>:key/<id> or alias/<name>", "kms",
                                      true, true, {"key/", "alias/"}, 512};

inline bool matches(const Arn& arn, const ArnShape& shape) {
    if (arn.service != shape.service) return false;
    if (shape.regional == arn.region.empty()) return false;
    if (shape.has_account ? !is_digits(arn.account, 12) : !arn.account.empty()) return false;
    if (shape.resource_prefixes[0].empty()) {
        // A bucket: [\w.-]{1,255}, no key part.
        if (arn.resource.size() > 255) return false;
        for (const char c : arn.resource) {
            if (!is_name_char(c)) return false;
        }
        return true;
    }
    for (const auto prefix : shape.resource_prefixes) {
        if (!prefix.empty() && arn.resource.size() > prefix.size() && arn.resource.compare(0, prefix.size(), prefix) == 0) {
            return true;
        }
    }
    return false;
}

inline std::optional<Error> check_arn(std::string_view op, std::string_view field, std::string_view text,
                                      const ArnShape& shape) {
    if (text.empty()) {
        return invalid_argument(
            fmt::format("{}: {} is empty; it must be {} ARN ({})", op, field, shape.what, shape.form));
    }
    if (text.size() > shape.max_size) {
        return invalid_argument(
            fmt::format("{}: {} has {} characters; the limit is {}", op, field, text.size(), shape.max_size));
    }
    auto arn = Arn::parse(text);
    if (!arn || !matches(*arn, shape)) {
        return invalid_argument(fmt::format("{}: {} {} is not {} ARN ({})", op, field, quoted_if_short(text),
                                            shape.what, shape.form));
    }
    return std::nullopt;
}

inline std::optional<Error> check_text(std::string_view op, std::string_view field, std::string_view text,
                                       std::size_t max_size) {
    if (text.size() > max_size) {
        return invalid_argument(
            fmt::format("{}: {} has {} characters; the limit is {}", op, field, text.size(), max_size));
    }
    if (!is_valid_utf8(text)) return invalid_argument(fmt::format("{}: {} is not valid UTF-8", op, field));
    return std::nullopt;
}

inline std::optional<Error> check_s3_destination(std::string_view op, std::string_view name,
                                                 const S3DestinationConfiguration& config) {
    const auto field = [&](std::string_view member) { return fmt::format("{}.{}", name, member); };
    if (auto error = check_arn(op, field("role_arn"), config.role_arn, role_arn)) return error;
    if (auto error = check_arn(op, field("bucket_arn"), config.bucket_arn, bucket_arn)) return error;
    if (config.prefix) {
        if (auto error = check_text(op, field("prefix"), *config.prefix, 1024)) return error;
    }
    if (config.error_output_prefix) {
        if (auto error = check_text(op, field("error_output_prefix"), *config.error_output_prefix, 1024)) return error;
    }
    if (config.buffering_hints) {
        const auto& hints = *config.buffering_hints;
        if (hints.size_in_mbs.has_value() != hints.interval_in_seconds.has_value()) {
            return invalid_argument(
                fmt::format("{}: {} has only {}; the service needs size_in_mbs and interval_in_seconds together", op,
                            field("buffering_hints"), hints.size_in_mbs ? "size_in_mbs" : "interval_in_seconds"));
        }
        if (hints.size_in_mbs) {
            if (auto error = check_range(op, field("buffering_hints.size_in_mbs"), *hints.size_in_mbs, 1, 128)) {
                return error;
            }
        }
        if (hints.interval_in_seconds) {
            if (auto error =
                    check_range(op, field("buffering_hints.interval_in_seconds"), *hints.interval_in_seconds, 0, 900)) {
                return error;
            }
        }
    }
    if (config.encryption_configuration && config.encryption_configuration->kms_key_arn) {
        if (auto error = check_arn(op, field("encryption_configuration.kms_key_arn"),
                                   *config.encryption_configuration->kms_key_arn, kms_key_arn)) {
            return error;
        }
    }
    if (config.cloud_watch_logging_options) {
        const auto& logging = *config.cloud_watch_logging_options;
        const auto group = field("cloud_watch_logging_options.log_group_name");
        const auto stream = field("cloud_watch_logging_options.log_stream_name");
        if (logging.enabled && (logging.log_group_name.empty() || logging.log_stream_name.empty())) {
            return invalid_argument(fmt::format("{}: {} is empty; CloudWatch logging that is enabled needs a log group "
                                                "and a log stream name",
                                                op, logging.log_group_name.empty() ? group : stream));
        }
        if (logging.log_group_name.size() > 512) {
            return invalid_argument(fmt::format("{}: {} has {} characters; the limit is 512", op, group,
                                                logging.log_group_name.size()));
        }
        for (const char c : logging.log_group_name) {
            const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                            c == '-' || c == '_' || c == '/' || c == '#';
            if (!ok) {
                return invalid_argument(fmt::format("{}: {} {} has a character outside [.-_/#A-Za-z0-9]", op,
                                                    group, quoted_if_short(logging.log_group_name)));
            }
        }
        if (auto error = check_text(op, stream, logging.log_stream_name, 512)) return error;
        if (logging.log_stream_name.find_first_of(":*") != std::string::npos) {
            return invalid_argument(fmt::format("{}: {} {} contains ':' or '*'", op, stream,
                                                quoted_if_short(logging.log_stream_name)));
        }
    }
    return std::nullopt;
}

}  // namespace firehose_wire

KINESIS_DECL std::optional<Error> check_delivery_stream_name(std::string_view op, std::string_view field,
                                                             std::string_view name) {
    return check_name(op, field, name, 64);
}

KINESIS_DECL std::optional<Error> check_create_delivery_stream(const CreateDeliveryStreamRequest& request) {
    constexpr std::string_view op = "create_delivery_stream";
    if (auto error = check_delivery_stream_name(op, "delivery_stream_name", request.delivery_stream_name)) return error;
    const bool from_kinesis = request.delivery_stream_type == DeliveryStreamType::KinesisStreamAsSource;
    if (from_kinesis && !request.kinesis_stream_source_configuration) {
        return invalid_argument("create_delivery_stream: kinesis_stream_source_configuration is required for a "
                    "KinesisStreamAsSource stream");
    }
    if (!from_kinesis && request.kinesis_stream_source_configuration) {
        return invalid_argument(fmt::format("create_delivery_stream: kinesis_stream_source_configuration is set for a "
                                            "{} stream; only KinesisStreamAsSource takes one",
                                            to_string(request.delivery_stream_type)));
    }
    if (request.kinesis_stream_source_configuration) {
        const auto& source = *request.kinesis_stream_source_configuration;
        if (auto error = firehose_wire::check_arn(op, "kinesis_stream_source_configuration.kinesis_stream_arn",
                                                  source.kinesis_stream_arn, firehose_wire::kinesis_stream_arn)) {
            return error;
        }
        if (auto error = firehose_wire::check_arn(op, "kinesis_stream_source_configuration.role_arn", source.role_arn,
                                                  firehose_wire::role_arn)) {
            return error;
        }
    }
    const bool s3 = request.s3_destination_configuration.has_value();
    const bool extended = request.extended_s3_destination_configuration.has_value();
    if (!s3 && !extended) {
        return invalid_argument("create_delivery_stream: no destination; set s3_destination_configuration or "
                    "extended_s3_destination_configuration");
    }
    if (s3 && extended) {
        return invalid_argument("create_delivery_stream: s3_destination_configuration and "
                                "extended_s3_destination_configuration are both set; the API takes exactly one "
                                "destination");
    }
    if (s3) return firehose_wire::check_s3_destination(op, "s3_destination_configuration", *request.s3_destination_configuration);
    return firehose_wire::check_s3_destination(op, "extended_s3_destination_configuration",
                                               *request.extended_s3_destination_configuration);
}

KINESIS_DECL std::optional<Error> check_list_delivery_streams(const ListDeliveryStreamsRequest& request) {
    constexpr std::string_view op = "list_delivery_streams";
    if (request.limit) {
        if (auto error = check_range(op, "limit", *request.limit, 1, 10000)) return error;
    }
    if (request.exclusive_start_delivery_stream_name) {
        if (auto error = check_delivery_stream_name(op, "exclusive_start_delivery_stream_name",
                                                    *request.exclusive_start_delivery_stream_name)) {
            return error;
        }
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_firehose_put_record(std::string_view name, std::string_view data) {
    if (auto error = check_delivery_stream_name("put_record", "delivery_stream_name", name)) return error;
    if (data.empty()) {
        return invalid_argument(
            fmt::format("put_record: data is empty; it must have 1 to {} bytes", firehose_max_record_bytes));
    }
    if (data.size() > firehose_max_record_bytes) {
        return invalid_argument(fmt::format("put_record: data has {} bytes; the limit is {} (1,000 KiB)",
                                            data.size(), firehose_max_record_bytes));
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_put_record_batch(std::string_view name,
                                                         const std::vector<std::string>& records) {
    if (auto error = check_delivery_stream_name("put_record_batch", "delivery_stream_name", name)) return error;
    if (records.empty()) {
        return invalid_argument("put_record_batch: records is empty; it must have 1 to 500 entries");
    }
    if (records.size() > firehose_max_batch_records) {
        return invalid_argument(
            fmt::format("put_record_batch: records has {} entries; the limit is 500", records.size()));
    }
    std::size_t total = 0;
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto size = records[i].size();
        if (size == 0) {
            return invalid_argument(fmt::format("put_record_batch: records[{}] is empty; it must have 1 to {} bytes",
                                                i, firehose_max_record_bytes));
        }
        if (size > firehose_max_record_bytes) {
            return invalid_argument(fmt::format("put_record_batch: records[{}] has {} bytes; the limit is {} "
                                                "(1,000 KiB)",
                                                i, size, firehose_max_record_bytes));
        }
        total += size;
    }
    if (total > firehose_max_batch_bytes) {
        return invalid_argument(fmt::format("put_record_batch: records hold {} bytes; the limit is {} (4 MiB)",
                                            total, firehose_max_batch_bytes));
    }
    return std::nullopt;
}

// ---- request bodies ----

namespace firehose_wire {

inline void write_s3_destination(JsonWriter& writer, const S3DestinationConfiguration& config) {
    writer.begin_object();
    writer.member("RoleARN", config.role_arn);
    writer.member("BucketARN", config.bucket_arn);
    if (config.prefix) writer.member("Prefix", *config.prefix);
    if (config.error_output_prefix) writer.member("ErrorOutputPrefix", *config.error_output_prefix);
    if (config.buffering_hints) {
        writer.key("BufferingHints").begin_object();
        if (config.buffering_hints->size_in_mbs) {
            writer.member("SizeInMBs", static_cast<std::int64_t>(*config.buffering_hints->size_in_mbs));
        }
        if (config.buffering_hints->interval_in_seconds) {
            writer.member("IntervalInSeconds", static_cast<std::int64_t>(*config.buffering_hints->interval_in_seconds));
        }
        writer.end_object();
    }
    if (config.compression_format) writer.member("CompressionFormat", to_string(*config.compression_format));
    if (config.encryption_configuration) {
        writer.key("EncryptionConfiguration").begin_object();
        if (config.encryption_configuration->kms_key_arn) {
            writer.key("KMSEncryptionConfig").begin_object();
            writer.member("AWSKMSKeyARN", *config.encryption_configuration->kms_key_arn);
            writer.end_object();
        } else {
            writer.member("NoEncryptionConfig", "NoEncryption");
        }
        writer.end_object();
    }
    if (config.cloud_watch_logging_options) {
        const auto& logging = *config.cloud_watch_logging_options;
        writer.key("CloudWatchLoggingOptions").begin_object();
        writer.member("Enabled", logging.enabled);
        if (!logging.log_group_name.empty()) writer.member("LogGroupName", logging.log_group_name);
        if (!logging.log_stream_name.empty()) writer.member("LogStreamName", logging.log_stream_name);
        writer.end_object();
    }
    writer.end_object();
}

}  // namespace firehose_wire

KINESIS_DECL void write_create_delivery_stream(const CreateDeliveryStreamRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("DeliveryStreamName", request.delivery_stream_name);
    writer.member("DeliveryStreamType", to_string(request.delivery_stream_type));
    if (request.kinesis_stream_source_configuration) {
        writer.key("KinesisStreamSourceConfiguration").begin_object();
        writer.member("KinesisStreamARN", request.kinesis_stream_source_configuration->kinesis_stream_arn);
        writer.member("RoleARN", request.kinesis_stream_source_configuration->role_arn);
        writer.end_object();
    }
    if (request.s3_destination_configuration) {
        writer.key("S3DestinationConfiguration");
        firehose_wire::write_s3_destination(writer, *request.s3_destination_configuration);
    }
    if (request.extended_s3_destination_configuration) {
        writer.key("ExtendedS3DestinationConfiguration");
        firehose_wire::write_s3_destination(writer, *request.extended_s3_destination_configuration);
    }
    writer.end_object();
}

KINESIS_DECL void write_list_delivery_streams(const ListDeliveryStreamsRequest& request, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    if (request.limit) writer.member("Limit", static_cast<std::int64_t>(*request.limit));
    if (request.delivery_stream_type) writer.member("DeliveryStreamType", to_string(*request.delivery_stream_type));
    if (request.exclusive_start_delivery_stream_name) {
        writer.member("ExclusiveStartDeliveryStreamName", *request.exclusive_start_delivery_stream_name);
    }
    writer.end_object();
}

KINESIS_DECL void write_delete_delivery_stream(std::string_view name, bool allow_force_delete, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("DeliveryStreamName", name);
    if (allow_force_delete) writer.member("AllowForceDelete", true);
    writer.end_object();
}

KINESIS_DECL void write_delivery_stream_name(std::string_view name, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("DeliveryStreamName", name);
    writer.end_object();
}

KINESIS_DECL std::size_t put_record_batch_body_size(std::string_view name,
                                                    const std::vector<std::string>& records) noexcept {
    // {"DeliveryStreamName":"<name>","Records":[<entries>]} and ,{"Data":"<base64>"} per record
    std::size_t size = 38 + name.size();
    for (const auto& record : records) size += 12 + base64_encoded_size(record.size());
    return records.empty() ? size : size - 1;
}

// Written by hand, not through JsonWriter: the member names are constants and
// the name was checked to need no escapes, so each record is two appends and
// one base64 pass straight into the caller's reused buffer.
KINESIS_DECL void write_put_record_batch(std::string_view name, const std::vector<std::string>& records,
                                         std::string& out) {
    out.append(R"({"DeliveryStreamName":")");
    out.append(name.data(), name.size());
    out.append(R"(","Records":[)");
    bool first = true;
    for (const auto& record : records) {
        out.append(first ? R"({"Data":")" : R"(,{"Data":")");
        first = false;
        base64_encode(record, out);
        out.append(R"("})");
    }
    out.append("]}");
}

KINESIS_DECL void write_firehose_put_record(std::string_view name, std::string_view data, std::string& out) {
    out.append(R"({"DeliveryStreamName":")");
    out.append(name.data(), name.size());
    out.append(R"(","Record":{"Data":")");
    base64_encode(data, out);
    out.append(R"("}})");
}

// ---- answers ----

namespace firehose_wire {

inline constexpr DeliveryStreamStatus statuses[] = {DeliveryStreamStatus::Creating, DeliveryStreamStatus::CreatingFailed,
                                                    DeliveryStreamStatus::Deleting, DeliveryStreamStatus::DeletingFailed,
                                                    DeliveryStreamStatus::Active};
inline constexpr DeliveryStreamType types[] = {DeliveryStreamType::DirectPut,
                                               DeliveryStreamType::KinesisStreamAsSource};
inline constexpr CompressionFormat compression_formats[] = {CompressionFormat::Uncompressed, CompressionFormat::Gzip,
                                                            CompressionFormat::Zip, CompressionFormat::Snappy,
                                                            CompressionFormat::HadoopSnappy};

inline error_code read_s3_destination(value v, S3DestinationDescription& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "RoleARN") return read_string_or_null(field, out.role_arn);
        if (key == "BucketARN") return read_string_or_null(field, out.bucket_arn);
        if (key == "Prefix") return read_string_or_null(field, out.prefix);
        if (key == "ErrorOutputPrefix") return read_string_or_null(field, out.error_output_prefix);
        if (key == "CompressionFormat") return read_enum_or_null(field, out.compression_format, compression_formats);
        if (key == "BufferingHints") {
            return read_object(field, [&](std::string_view name, value member) -> error_code {
                if (name == "SizeInMBs") return read_optional_int(member, out.buffering_hints.size_in_mbs);
                if (name == "IntervalInSeconds") return read_optional_int(member, out.buffering_hints.interval_in_seconds);
                return simdjson::SUCCESS;
            });
        }
        if (key == "EncryptionConfiguration") {
            return read_object(field, [&](std::string_view name, value member) -> error_code {
                if (name != "KMSEncryptionConfig") return simdjson::SUCCESS;
                return read_object(member, [&](std::string_view kms_key, value kms_field) -> error_code {
                    if (kms_key == "AWSKMSKeyARN") {
                        return read_optional_string(kms_field, out.encryption_configuration.kms_key_arn);
                    }
                    return simdjson::SUCCESS;
                });
            });
        }
        if (key == "CloudWatchLoggingOptions") {
            auto& logging = out.cloud_watch_logging_options.emplace();
            return read_object(field, [&](std::string_view name, value member) -> error_code {
                if (name == "Enabled") return read_bool_or_null(member, logging.enabled);
                if (name == "LogGroupName") return read_string_or_null(member, logging.log_group_name);
                if (name == "LogStreamName") return read_string_or_null(member, logging.log_stream_name);
                return simdjson::SUCCESS;
            });
        }
        return simdjson::SUCCESS;
    });
}

inline error_code read_destination(value v, DestinationDescription& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "DestinationId") return read_string_or_null(field, out.destination_id);
        if (key == "S3DestinationDescription") {
            return read_s3_destination(field, out.s3_destination_description.emplace());
        }
        if (key == "ExtendedS3DestinationDescription") {
            return read_s3_destination(field, out.extended_s3_destination_description.emplace());
        }
        return simdjson::SUCCESS;
    });
}

inline error_code read_source(value v, std::optional<KinesisStreamSourceDescription>& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key != "KinesisStreamSourceDescription") return simdjson::SUCCESS;
        auto& source = out.emplace();
        return read_object(field, [&](std::string_view name, value member) -> error_code {
            if (name == "KinesisStreamARN") return read_string_or_null(member, source.kinesis_stream_arn);
            if (name == "RoleARN") return read_string_or_null(member, source.role_arn);
            if (name == "DeliveryStartTimestamp") return read_optional_time(member, source.delivery_start_timestamp);
            return simdjson::SUCCESS;
        });
    });
}

}  // namespace firehose_wire

KINESIS_DECL Result<std::string> parse_create_delivery_stream(JsonParser& parser, const std::string& body) {
    using namespace firehose_wire;
    auto result = parse_object<std::string>(parser, body, "CreateDeliveryStream response",
                                            [](std::string& out, std::string_view key, value field) -> error_code {
                                                if (key == "DeliveryStreamARN") return read_string_or_null(field, out);
                                                return simdjson::SUCCESS;
                                            });
    if (result && result->empty()) return json_parse_error("CreateDeliveryStream response", simdjson::NO_SUCH_FIELD);
    return result;
}

KINESIS_DECL Result<DeliveryStreamDescription> parse_describe_delivery_stream(JsonParser& parser,
                                                                              const std::string& body) {
    using namespace firehose_wire;
    bool found = false;
    auto result = parse_object<DeliveryStreamDescription>(
        parser, body, "DescribeDeliveryStream response",
        [&found](DeliveryStreamDescription& out, std::string_view key, value field) -> error_code {
            if (key != "DeliveryStreamDescription") return simdjson::SUCCESS;
            found = true;
            return read_object(field, [&](std::string_view name, value member) -> error_code {
                if (name == "DeliveryStreamName") return read_string_or_null(member, out.delivery_stream_name);
                if (name == "DeliveryStreamARN") return read_string_or_null(member, out.delivery_stream_arn);
                if (name == "DeliveryStreamStatus") {
                    return read_enum_or_null(member, out.delivery_stream_status, statuses);
                }
                if (name == "DeliveryStreamType") return read_enum_or_null(member, out.delivery_stream_type, types);
                if (name == "VersionId") return read_string_or_null(member, out.version_id);
                if (name == "CreateTimestamp") return read_optional_time(member, out.create_timestamp);
                if (name == "Source") return read_source(member, out.source);
                if (name == "HasMoreDestinations") return read_bool_or_null(member, out.has_more_destinations);
                if (name == "Destinations") {
                    return read_array(member, [&](value item) {
                        return read_destination(item, out.destinations.emplace_back());
                    });
                }
                return simdjson::SUCCESS;
            });
        });
    if (result && (!found || result->delivery_stream_name.empty())) {
        return json_parse_error("DescribeDeliveryStream response", simdjson::NO_SUCH_FIELD);
    }
    return result;
}

KINESIS_DECL Result<ListDeliveryStreamsResult> parse_list_delivery_streams(JsonParser& parser,
                                                                           const std::string& body) {
    using namespace firehose_wire;
    return parse_object<ListDeliveryStreamsResult>(
        parser, body, "ListDeliveryStreams response",
        [](ListDeliveryStreamsResult& out, std::string_view key, value field) -> error_code {
            if (key == "HasMoreDeliveryStreams") return read_bool_or_null(field, out.has_more_delivery_streams);
            if (key == "DeliveryStreamNames") return read_string_list(field, out.delivery_stream_names);
            return simdjson::SUCCESS;
        });
}

KINESIS_DECL Result<FirehosePutRecordResult> parse_firehose_put_record(JsonParser& parser, const std::string& body) {
    using namespace firehose_wire;
    auto result = parse_object<FirehosePutRecordResult>(
        parser, body, "PutRecord response",
        [](FirehosePutRecordResult& out, std::string_view key, value field) -> error_code {
            if (key == "RecordId") return read_string_or_null(field, out.record_id);
            if (key == "Encrypted") return read_bool_or_null(field, out.encrypted);
            return simdjson::SUCCESS;
        });
    if (result && result->record_id.empty()) return json_parse_error("PutRecord response", simdjson::NO_SUCH_FIELD);
    return result;
}

KINESIS_DECL Result<PutRecordBatchResult> parse_put_record_batch(JsonParser& parser, const std::string& body) {
    using namespace firehose_wire;
    return parse_object<PutRecordBatchResult>(
        parser, body, "PutRecordBatch response",
        [](PutRecordBatchResult& out, std::string_view key, value field) -> error_code {
            if (key == "FailedPutCount") return read_int_or_null(field, out.failed_put_count);
            if (key == "Encrypted") return read_bool_or_null(field, out.encrypted);
            if (key == "RequestResponses") {
                return read_array(field, [&](value item) {
                    auto& entry = out.request_responses.emplace_back();
                    return read_object(item, [&](std::string_view name, value member) -> error_code {
                        if (name == "RecordId") return read_optional_string(member, entry.record_id);
                        if (name == "ErrorCode") return read_optional_string(member, entry.error_code);
                        if (name == "ErrorMessage") return read_optional_string(member, entry.error_message);
                        return simdjson::SUCCESS;
                    });
                });
            }
            return simdjson::SUCCESS;
        });
}

}  // namespace kinesis::detail

#endif  // KINESIS_FIREHOSE_DETAIL_IMPL_WIRE_INL_HPP
