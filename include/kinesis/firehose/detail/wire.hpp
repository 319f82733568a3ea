// SPDX-License-Identifier: Apache-2.0
// Firehose wire format as pure functions: input checks, request bodies, answer parsers.
#ifndef KINESIS_FIREHOSE_DETAIL_WIRE_HPP
#define KINESIS_FIREHOSE_DETAIL_WIRE_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/firehose/model.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis::detail {

class JsonParser;

/// "Firehose_20150804": the X-Amz-Target prefix; the protocol is AWS JSON 1.1.
inline constexpr std::string_view firehose_target_prefix = "Firehose_20150804";
inline constexpr std::string_view firehose_json_version = "1.1";

/// Record.Data: at most 1,000 KiB before base64.
inline constexpr std::size_t firehose_max_record_bytes = 1024000;
/// PutRecordBatch: at most 500 records and 4 MiB of data.
inline constexpr std::size_t firehose_max_batch_records = 500;
inline constexpr std::size_t firehose_max_batch_bytes = 4194304;

// ---- input checks: nullopt when fine, else an InvalidArgument naming op, field, limit, size ----

/// 1..64 of [a-zA-Z0-9_.-].
[[nodiscard]] KINESIS_DECL std::optional<Error> check_delivery_stream_name(std::string_view op,
                                                                           std::string_view field,
                                                                           std::string_view name);
/// The name, the source the type needs (and no other), exactly one
/// destination, ARNs of the right service and resource, buffering hints,
/// prefixes and CloudWatch logging within the model's limits.
[[nodiscard]] KINESIS_DECL std::optional<Error> check_create_delivery_stream(
    const CreateDeliveryStreamRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_list_delivery_streams(
    const ListDeliveryStreamsRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_firehose_put_record(std::string_view name,
                                                                          std::string_view data);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_put_record_batch(std::string_view name,
                                                                       const std::vector<std::string>& records);

// ---- request bodies: appended to `out`, which the caller sizes and reuses ----

KINESIS_DECL void write_create_delivery_stream(const CreateDeliveryStreamRequest& request, std::string& out);
KINESIS_DECL void write_list_delivery_streams(const ListDeliveryStreamsRequest& request, std::string& out);
/// {"DeliveryStreamName":"...","AllowForceDelete":true} (the flag only when set).
KINESIS_DECL void write_delete_delivery_stream(std::string_view name, bool allow_force_delete, std::string& out);
/// {"DeliveryStreamName":"..."}: DescribeDeliveryStream.
KINESIS_DECL void write_delivery_stream_name(std::string_view name, std::string& out);

/// The exact size write_put_record_batch() appends for a checked name.
[[nodiscard]] KINESIS_DECL std::size_t put_record_batch_body_size(
    std::string_view name, const std::vector<std::string>& records) noexcept;
/// {"DeliveryStreamName":"...","Records":[{"Data":"<base64>"},...]}; the name must be checked.
KINESIS_DECL void write_put_record_batch(std::string_view name, const std::vector<std::string>& records,
                                         std::string& out);
/// {"DeliveryStreamName":"...","Record":{"Data":"<base64>"}}; the name must be checked.
KINESIS_DECL void write_firehose_put_record(std::string_view name, std::string_view data, std::string& out);

// ---- answers: copied into owned structs; nothing borrows the body afterwards ----

/// CreateDeliveryStream's DeliveryStreamARN.
[[nodiscard]] KINESIS_DECL Result<std::string> parse_create_delivery_stream(JsonParser& parser,
                                                                            const std::string& body);
[[nodiscard]] KINESIS_DECL Result<DeliveryStreamDescription> parse_describe_delivery_stream(JsonParser& parser,
                                                                                           const std::string& body);
[[nodiscard]] KINESIS_DECL Result<ListDeliveryStreamsResult> parse_list_delivery_streams(JsonParser& parser,
                                                                                        const std::string& body);
[[nodiscard]] KINESIS_DECL Result<FirehosePutRecordResult> parse_firehose_put_record(JsonParser& parser,
                                                                                    const std::string& body);
[[nodiscard]] KINESIS_DECL Result<PutRecordBatchResult> parse_put_record_batch(JsonParser& parser,
                                                                              const std::string& body);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/firehose/detail/impl/wire.inl.hpp>
#endif

#endif  // KINESIS_FIREHOSE_DETAIL_WIRE_HPP
