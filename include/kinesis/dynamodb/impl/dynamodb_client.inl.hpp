// SPDX-License-Identifier: Apache-2.0
// Definitions for dynamodb/dynamodb_client.hpp.
#ifndef KINESIS_DYNAMODB_IMPL_DYNAMODB_CLIENT_INL_HPP
#define KINESIS_DYNAMODB_IMPL_DYNAMODB_CLIENT_INL_HPP

#include <kinesis/dynamodb/dynamodb_client.hpp>

#include <kinesis/dynamodb/detail/wire.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/protocol/detail/operation.hpp>
#include <kinesis/protocol/detail/service_client.hpp>

#include <fmt/core.h>

#include <utility>

namespace kinesis {

namespace detail::dynamodb_impl {

inline constexpr detail::ServiceInfo service{"dynamodb", "DYNAMODB", "dynamodb"};

inline constexpr JsonProtocol json{dynamodb_target_prefix, dynamodb_json_version};

// An item write: the call, and on a failed condition the item of its error
// answer handed to `failure` (reset first, so it never holds an earlier one).
template <class Read>
Result<WriteItemResult> write_item(ServiceClient& client, std::string_view operation, std::string body,
                                   const Read& read, ConditionalCheckFailure* failure) {
    if (failure != nullptr) *failure = ConditionalCheckFailure{};
    CallReport report;
    auto result = call_json<WriteItemResult>(client, json, operation, std::move(body), read, &report);
    if (!result && failure != nullptr && is_conditional_check_failed(result.error()) && !report.error_body.empty()) {
        // An unreadable item leaves `failure` empty; the error stays what it is.
        if (auto parsed = parse_conditional_check_failure(client.json_parser(), report.error_body)) {
            *failure = std::move(*parsed);
        }
    }
    return result;
}

inline std::optional<Error> check_waiter(std::string_view op, const std::string& name, const WaiterConfig& waiter) {
    if (auto error = check_table_name(op, "table_name", name)) return error;
    if (waiter.max_attempts < 1) {
        return invalid_argument(fmt::format("{}: max_attempts is {}; it must be at least 1", op, waiter.max_attempts));
    }
    return std::nullopt;
}

}  // namespace detail::dynamodb_impl

KINESIS_DECL bool is_conditional_check_failed(const Error& error) noexcept {
    return error.kind == ErrorKind::Service && error.code == detail::conditional_check_failed_code;
}

KINESIS_DECL DynamoDbClient::DynamoDbClient(const ClientConfig& config)
    : service_(std::make_unique<detail::ServiceClient>(config, detail::dynamodb_impl::service)) {}

KINESIS_DECL DynamoDbClient::~DynamoDbClient() = default;
KINESIS_DECL DynamoDbClient::DynamoDbClient(DynamoDbClient&&) noexcept = default;
KINESIS_DECL DynamoDbClient& DynamoDbClient::operator=(DynamoDbClient&&) noexcept = default;

KINESIS_DECL const std::string& DynamoDbClient::region() const noexcept { return service_->region(); }
KINESIS_DECL const std::string& DynamoDbClient::endpoint() const noexcept { return service_->endpoint(); }

KINESIS_DECL Result<TableDescription> DynamoDbClient::create_table(const CreateTableRequest& request) {
    if (auto error = detail::check_create_table(request)) return std::move(*error);
    std::string body;
    detail::write_create_table(request, body);
    return detail::call_json<TableDescription>(*service_, detail::dynamodb_impl::json, "CreateTable", std::move(body),
                                               detail::parse_table_description);
}

KINESIS_DECL Result<TableDescription> DynamoDbClient::describe_table(const std::string& table_name) {
    if (auto error = detail::check_table_name("describe_table", "table_name", table_name)) return std::move(*error);
    std::string body;
    detail::write_table_name(table_name, body);
    return detail::call_json<TableDescription>(*service_, detail::dynamodb_impl::json, "DescribeTable",
                                               std::move(body), detail::parse_describe_table);
}

KINESIS_DECL Result<TableDescription> DynamoDbClient::update_table(const UpdateTableRequest& request) {
    if (auto error = detail::check_update_table(request)) return std::move(*error);
    std::string body;
    detail::write_update_table(request, body);
    return detail::call_json<TableDescription>(*service_, detail::dynamodb_impl::json, "UpdateTable", std::move(body),
                                               detail::parse_table_description);
}

KINESIS_DECL Result<TableDescription> DynamoDbClient::delete_table(const std::string& table_name) {
    if (auto error = detail::check_table_name("delete_table", "table_name", table_name)) return std::move(*error);
    std::string body;
    detail::write_table_name(table_name, body);
    return detail::call_json<TableDescription>(*service_, detail::dynamodb_impl::json, "DeleteTable", std::move(body),
                                               detail::parse_table_description);
}

// waiters-2.json: TableExists succeeds on Table.TableStatus ACTIVE and retries
// on ResourceNotFoundException; TableNotExists succeeds on that error. Any
// other error ends either wait, as botocore's waiters end on an unmatched error.
KINESIS_DECL Result<TableDescription> DynamoDbClient::wait_until_table_exists(const std::string& table_name,
                                                                            WaiterConfig waiter) {
    constexpr std::string_view op = "wait_until_table_exists";
    if (auto error = detail::dynamodb_impl::check_waiter(op, table_name, waiter)) return std::move(*error);
    return detail::wait_until<TableDescription>(
        *service_, waiter, op, fmt::format("table {}", table_name), [&]() {
            detail::WaitPoll<TableDescription> seen;
            auto description = describe_table(table_name);
            if (!description) {
                if (description.error().code == "ResourceNotFoundException") {
                    seen.state = "does not exist yet";
                } else {
                    seen.failed = std::move(description).error();
                }
            } else if (description->table_status == TableStatus::Active) {
                seen.done = std::move(*description);
            } else {
                seen.state = fmt::format("is still {}", to_string(description->table_status));
            }
            return seen;
        });
}

KINESIS_DECL Result<void> DynamoDbClient::wait_until_table_not_exists(const std::string& table_name,
                                                                     WaiterConfig waiter) {
    constexpr std::string_view op = "wait_until_table_not_exists";
    if (auto error = detail::dynamodb_impl::check_waiter(op, table_name, waiter)) return std::move(*error);
    auto gone = detail::wait_until<bool>(*service_, waiter, op, fmt::format("table {}", table_name), [&]() {
        detail::WaitPoll<bool> seen;
        auto description = describe_table(table_name);
        if (!description) {
            if (description.error().code == "ResourceNotFoundException") {
                seen.done = true;
            } else {
                seen.failed = std::move(description).error();
            }
        } else {
            seen.state = fmt::format("still exists ({})", to_string(description->table_status));
        }
        return seen;
    });
    if (!gone) return std::move(gone).error();
    return {};
}

KINESIS_DECL Result<GetItemResult> DynamoDbClient::get_item(const GetItemRequest& request) {
    if (auto error = detail::check_get_item(request)) return std::move(*error);
    std::string body;
    detail::write_get_item(request, body);
    return detail::call_json<GetItemResult>(*service_, detail::dynamodb_impl::json, "GetItem", std::move(body),
                                            detail::parse_get_item);
}

KINESIS_DECL Result<PutItemResult> DynamoDbClient::put_item(const PutItemRequest& request,
                                                            ConditionalCheckFailure* failure) {
    if (auto error = detail::check_put_item(request)) return std::move(*error);
    std::string body;
    detail::write_put_item(request, body);
    return detail::dynamodb_impl::write_item(*service_, "PutItem", std::move(body), detail::parse_write_item, failure);
}

KINESIS_DECL Result<UpdateItemResult> DynamoDbClient::update_item(const UpdateItemRequest& request,
                                                                  ConditionalCheckFailure* failure) {
    if (auto error = detail::check_update_item(request)) return std::move(*error);
    std::string body;
    detail::write_update_item(request, body);
    return detail::dynamodb_impl::write_item(*service_, "UpdateItem", std::move(body), detail::parse_write_item,
                                             failure);
}

KINESIS_DECL Result<DeleteItemResult> DynamoDbClient::delete_item(const DeleteItemRequest& request,
                                                                  ConditionalCheckFailure* failure) {
    if (auto error = detail::check_delete_item(request)) return std::move(*error);
    std::string body;
    detail::write_delete_item(request, body);
    return detail::dynamodb_impl::write_item(*service_, "DeleteItem", std::move(body), detail::parse_write_item,
                                             failure);
}

KINESIS_DECL Result<ScanResult> DynamoDbClient::scan(const ScanRequest& request) {
    if (auto error = detail::check_scan(request)) return std::move(*error);
    std::string body;
    detail::write_scan(request, body);
    return detail::call_json<ScanResult>(*service_, detail::dynamodb_impl::json, "Scan", std::move(body),
                                         detail::parse_scan);
}

KINESIS_DECL Result<std::vector<Item>> DynamoDbClient::scan_all(ScanRequest request) {
    std::vector<Item> items;
    for (;;) {
        auto page = scan(request);
        if (!page) return std::move(page).error();
        for (auto& item : page->items) items.push_back(std::move(item));
        // paginators-1.json: ExclusiveStartKey <- LastEvaluatedKey, until there is none.
        if (!page->last_evaluated_key || page->last_evaluated_key->empty()) break;
        request.exclusive_start_key = std::move(page->last_evaluated_key);
    }
    return items;
}

}  // namespace kinesis

#endif  // KINESIS_DYNAMODB_IMPL_DYNAMODB_CLIENT_INL_HPP
