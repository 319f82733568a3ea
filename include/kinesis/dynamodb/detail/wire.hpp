// SPDX-License-Identifier: Apache-2.0
// DynamoDB wire format as pure functions: input checks, request bodies, answer parsers.
#ifndef KINESIS_DYNAMODB_DETAIL_WIRE_HPP
#define KINESIS_DYNAMODB_DETAIL_WIRE_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/dynamodb/model.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace kinesis::detail {

class JsonParser;

/// "DynamoDB_20120810": the X-Amz-Target prefix; the protocol is AWS JSON 1.0.
inline constexpr std::string_view dynamodb_target_prefix = "DynamoDB_20120810";
inline constexpr std::string_view dynamodb_json_version = "1.0";
/// The code of a failed ConditionExpression (`__type` after its `#`).
inline constexpr std::string_view conditional_check_failed_code = "ConditionalCheckFailedException";

/// Any expression string: at most 4 KB.
inline constexpr std::size_t dynamodb_max_expression_bytes = 4096;
/// Documents nest at most 32 levels.
inline constexpr int dynamodb_max_depth = 32;

// ---- input checks: nullopt when fine, else an InvalidArgument naming op, field, limit, size ----

/// TableName: 3..255 of [a-zA-Z0-9_.-], or a table ARN (`arn:`..., at most 1,024 characters).
[[nodiscard]] KINESIS_DECL std::optional<Error> check_table_name(std::string_view op, std::string_view field,
                                                                 std::string_view name);
/// A value and everything in it: sets non-empty and without duplicates, N and
/// NS members valid DynamoDB numbers (38 significant digits, 1E-130 to
/// 9.99..E+125), S valid UTF-8, at most 32 levels deep. `field` names it in messages.
[[nodiscard]] KINESIS_DECL std::optional<Error> check_attribute_value(std::string_view op, const std::string& field,
                                                                      const AttributeValue& value, int depth = 1);
/// A primary key: non-empty, each value S, N or B, S and B not empty.
[[nodiscard]] KINESIS_DECL std::optional<Error> check_key(std::string_view op, std::string_view field,
                                                          const Item& key);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_create_table(const CreateTableRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_update_table(const UpdateTableRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_get_item(const GetItemRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_put_item(const PutItemRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_update_item(const UpdateItemRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_delete_item(const DeleteItemRequest& request);
[[nodiscard]] KINESIS_DECL std::optional<Error> check_scan(const ScanRequest& request);

// ---- request bodies: appended to `out`; members in botocore's order, items in name order ----

KINESIS_DECL void write_create_table(const CreateTableRequest& request, std::string& out);
/// {"TableName":"..."}: DescribeTable, DeleteTable.
KINESIS_DECL void write_table_name(std::string_view name, std::string& out);
KINESIS_DECL void write_update_table(const UpdateTableRequest& request, std::string& out);
KINESIS_DECL void write_get_item(const GetItemRequest& request, std::string& out);
KINESIS_DECL void write_put_item(const PutItemRequest& request, std::string& out);
KINESIS_DECL void write_update_item(const UpdateItemRequest& request, std::string& out);
KINESIS_DECL void write_delete_item(const DeleteItemRequest& request, std::string& out);
KINESIS_DECL void write_scan(const ScanRequest& request, std::string& out);

// ---- answers: copied into owned structs; nothing borrows the body afterwards ----

/// DescribeTable's `Table`.
[[nodiscard]] KINESIS_DECL Result<TableDescription> parse_describe_table(JsonParser& parser, const std::string& body);
/// The `TableDescription` of CreateTable, UpdateTable and DeleteTable.
[[nodiscard]] KINESIS_DECL Result<TableDescription> parse_table_description(JsonParser& parser,
                                                                           const std::string& body);
[[nodiscard]] KINESIS_DECL Result<GetItemResult> parse_get_item(JsonParser& parser, const std::string& body);
/// The `Attributes` of PutItem, UpdateItem and DeleteItem.
[[nodiscard]] KINESIS_DECL Result<WriteItemResult> parse_write_item(JsonParser& parser, const std::string& body);
[[nodiscard]] KINESIS_DECL Result<ScanResult> parse_scan(JsonParser& parser, const std::string& body);
/// The `Item` of a ConditionalCheckFailedException error body (none without ALL_OLD).
[[nodiscard]] KINESIS_DECL Result<ConditionalCheckFailure> parse_conditional_check_failure(JsonParser& parser,
                                                                                          const std::string& body);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/dynamodb/detail/impl/wire.inl.hpp>
#endif

#endif  // KINESIS_DYNAMODB_DETAIL_WIRE_HPP
