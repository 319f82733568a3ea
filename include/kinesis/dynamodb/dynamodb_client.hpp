// SPDX-License-Identifier: Apache-2.0
// Typed Amazon DynamoDB client (AWS JSON 1.0): what a lease table needs.
#ifndef KINESIS_DYNAMODB_DYNAMODB_CLIENT_HPP
#define KINESIS_DYNAMODB_DYNAMODB_CLIENT_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/protocol/waiter.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/dynamodb/model.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace kinesis {

namespace detail {
class ServiceClient;
}  // namespace detail

/// botocore's TableExists and TableNotExists waiters: every 20 s, 25 attempts.
inline constexpr WaiterConfig dynamodb_table_waiter{std::chrono::seconds(20), 25};

/// Whether `error` is a failed ConditionExpression: ErrorKind::Service with
/// code "ConditionalCheckFailedException" (never retried).
[[nodiscard]] KINESIS_DECL bool is_conditional_check_failed(const Error& error) noexcept;

/// Calls DynamoDB (`dynamodb.<region>.amazonaws.com`, or
/// AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL / the profile's endpoint).
/// Bad input is rejected before sending with an InvalidArgument error naming
/// the operation, field, limit and size. Movable, not copyable; one thread at
/// a time.
///
/// A failed condition. As boto3 raises ConditionalCheckFailedException, a
/// put_item, update_item or delete_item whose condition_expression is false
/// fails: the Result holds an Error with is_conditional_check_failed() true,
/// so `if (!result)` and `value()` cannot mistake it for a write. With
/// return_values_on_condition_check_failure = AllOld the service also sends
/// the item as it was (boto3's `e.response["Item"]`); pass a
/// ConditionalCheckFailure to receive it:
/// ```cpp
/// kinesis::ConditionalCheckFailure failure;
/// auto renewed = dynamodb.update_item(request, &failure);
/// if (!renewed && kinesis::is_conditional_check_failed(renewed.error()) && failure.item) {
///     // another worker holds the lease: failure.item->at("leaseOwner")
/// }
/// ```
/// `*failure` is reset at the start of every call and set only on that error,
/// so it never holds an item of an earlier call.
class DynamoDbClient {
public:
    /// Resolves region and endpoint now and throws kinesis::Exception when
    /// either is missing; credentials are fetched at the first call.
    KINESIS_DECL explicit DynamoDbClient(const ClientConfig& config = {});
    KINESIS_DECL ~DynamoDbClient();
    KINESIS_DECL DynamoDbClient(DynamoDbClient&&) noexcept;
    KINESIS_DECL DynamoDbClient& operator=(DynamoDbClient&&) noexcept;
    DynamoDbClient(const DynamoDbClient&) = delete;
    DynamoDbClient& operator=(const DynamoDbClient&) = delete;

    /// CreateTable; the table starts CREATING (wait_until_table_exists()).
    [[nodiscard]] KINESIS_DECL Result<TableDescription> create_table(const CreateTableRequest& request);
    /// DescribeTable.
    [[nodiscard]] KINESIS_DECL Result<TableDescription> describe_table(const std::string& table_name);
    /// UpdateTable: billing mode, throughput, add or remove a global secondary index.
    [[nodiscard]] KINESIS_DECL Result<TableDescription> update_table(const UpdateTableRequest& request);
    /// DeleteTable; the table goes DELETING, then away (wait_until_table_not_exists()).
    [[nodiscard]] KINESIS_DECL Result<TableDescription> delete_table(const std::string& table_name);

    /// TableExists: polls DescribeTable until the table is ACTIVE;
    /// ResourceNotFoundException means not yet, any other error ends the wait.
    /// Still not ACTIVE after `max_attempts` is a Timeout error.
    [[nodiscard]] KINESIS_DECL Result<TableDescription> wait_until_table_exists(
        const std::string& table_name, WaiterConfig waiter = dynamodb_table_waiter);
    /// TableNotExists: polls DescribeTable until ResourceNotFoundException.
    [[nodiscard]] KINESIS_DECL Result<void> wait_until_table_not_exists(const std::string& table_name,
                                                                        WaiterConfig waiter = dynamodb_table_waiter);

    /// GetItem (consistent_read for a strongly consistent read).
    [[nodiscard]] KINESIS_DECL Result<GetItemResult> get_item(const GetItemRequest& request);
    /// PutItem. A false condition_expression is an error; see the class comment for `failure`.
    [[nodiscard]] KINESIS_DECL Result<PutItemResult> put_item(const PutItemRequest& request,
                                                              ConditionalCheckFailure* failure = nullptr);
    /// UpdateItem. A false condition_expression is an error; see the class comment for `failure`.
    [[nodiscard]] KINESIS_DECL Result<UpdateItemResult> update_item(const UpdateItemRequest& request,
                                                                    ConditionalCheckFailure* failure = nullptr);
    /// DeleteItem. A false condition_expression is an error; see the class comment for `failure`.
    [[nodiscard]] KINESIS_DECL Result<DeleteItemResult> delete_item(const DeleteItemRequest& request,
                                                                    ConditionalCheckFailure* failure = nullptr);

    /// Scan: one page of at most `limit` items evaluated (and 1 MB).
    [[nodiscard]] KINESIS_DECL Result<ScanResult> scan(const ScanRequest& request);
    /// Every page of Scan, each starting at the previous page's
    /// LastEvaluatedKey (botocore's Scan paginator), from the request's
    /// exclusive_start_key; the items in the order read.
    [[nodiscard]] KINESIS_DECL Result<std::vector<Item>> scan_all(ScanRequest request);

    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;

private:
    std::unique_ptr<detail::ServiceClient> service_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/dynamodb/impl/dynamodb_client.inl.hpp>
#endif

#endif  // KINESIS_DYNAMODB_DYNAMODB_CLIENT_HPP
