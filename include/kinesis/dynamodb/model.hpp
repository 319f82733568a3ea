// SPDX-License-Identifier: Apache-2.0
// DynamoDB shapes as botocore names them (dynamodb/2012-08-10): attribute values, items, tables.
#ifndef KINESIS_DYNAMODB_MODEL_HPP
#define KINESIS_DYNAMODB_MODEL_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/time.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

/// The ten members of botocore's AttributeValue union.
enum class AttributeType : unsigned char { S, N, B, SS, NS, BS, Bool, Null, L, M };

/// The wire names: "S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M".
[[nodiscard]] KINESIS_DECL std::string_view to_string(AttributeType value) noexcept;

class AttributeValue;

/// An item (AttributeMap, Key, ExpressionAttributeValues): attribute name to value.
// A std::map rather than a vector of pairs: names are unique in DynamoDB, an
// item is read by name (`item.at("leaseCounter")`), and its sorted order makes
// every request body the same bytes for the same item.
using Item = std::map<std::string, AttributeValue>;

/// One DynamoDB value, holding exactly one of the ten types. Numbers (N, NS)
/// are decimal strings as DynamoDB keeps them (38 digits, beyond any double);
/// B and BS are raw bytes (base64 only on the wire). Sets keep the order they
/// were given or read in; DynamoDB itself does not order them.
/// A type tag with one member per kind of payload instead of std::variant,
/// for the same compile-time reason as Result<T>. A value type: copies are deep.
class AttributeValue {
public:
    /// NULL.
    KINESIS_DECL AttributeValue() noexcept;
    KINESIS_DECL AttributeValue(const AttributeValue& other);
    KINESIS_DECL AttributeValue(AttributeValue&& other) noexcept;
    KINESIS_DECL AttributeValue& operator=(const AttributeValue& other);
    KINESIS_DECL AttributeValue& operator=(AttributeValue&& other) noexcept;
    KINESIS_DECL ~AttributeValue();

    [[nodiscard]] KINESIS_DECL static AttributeValue s(std::string text);
    /// A number as a decimal string ("12", "-0.5", "1E+3"); checked when sent.
    [[nodiscard]] KINESIS_DECL static AttributeValue n(std::string decimal);
    [[nodiscard]] KINESIS_DECL static AttributeValue n(std::int64_t number);
    /// Binary: raw bytes.
    [[nodiscard]] KINESIS_DECL static AttributeValue b(std::string bytes);
    /// Sets: non-empty and without duplicates, or the call is rejected before sending.
    [[nodiscard]] KINESIS_DECL static AttributeValue ss(std::vector<std::string> strings);
    [[nodiscard]] KINESIS_DECL static AttributeValue ns(std::vector<std::string> decimals);
    [[nodiscard]] KINESIS_DECL static AttributeValue bs(std::vector<std::string> byte_strings);
    /// BOOL (`bool` is a keyword).
    [[nodiscard]] KINESIS_DECL static AttributeValue boolean(bool value);
    [[nodiscard]] KINESIS_DECL static AttributeValue null();
    [[nodiscard]] KINESIS_DECL static AttributeValue l(std::vector<AttributeValue> values);
    [[nodiscard]] KINESIS_DECL static AttributeValue m(Item members);

    [[nodiscard]] AttributeType type() const noexcept { return type_; }
    /// Each accessor: the payload when the value is of that type, else nullptr.
    [[nodiscard]] KINESIS_DECL const std::string* as_s() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string* as_n() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string* as_b() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::vector<std::string>* as_ss() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::vector<std::string>* as_ns() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::vector<std::string>* as_bs() const noexcept;
    [[nodiscard]] KINESIS_DECL const bool* as_bool() const noexcept;
    [[nodiscard]] bool is_null() const noexcept { return type_ == AttributeType::Null; }
    [[nodiscard]] KINESIS_DECL const std::vector<AttributeValue>* as_l() const noexcept;
    [[nodiscard]] KINESIS_DECL const Item* as_m() const noexcept;
    /// An N that is a whole number within int64; nullopt otherwise.
    [[nodiscard]] KINESIS_DECL std::optional<std::int64_t> as_int64() const noexcept;

    /// Same type and payload; sets compare as sets (order ignored), numbers
    /// as the strings they are ("1" and "1.0" differ).
    KINESIS_DECL friend bool operator==(const AttributeValue& a, const AttributeValue& b);
    friend bool operator!=(const AttributeValue& a, const AttributeValue& b) { return !(a == b); }

private:
    AttributeType type_ = AttributeType::Null;
    bool bool_ = false;
    std::string text_;                   // S, N, B
    std::vector<std::string> set_;       // SS, NS, BS
    std::vector<AttributeValue> list_;   // L
    std::unique_ptr<Item> map_;          // M: boxed, std::map of an incomplete type is not portable
};

enum class KeyType { Hash, Range };
enum class ScalarAttributeType { S, N, B };
enum class BillingMode { Provisioned, PayPerRequest };
enum class ProjectionType { All, KeysOnly, Include };
enum class TableStatus {
    Creating,
    Updating,
    Deleting,
    Active,
    InaccessibleEncryptionCredentials,
    Archiving,
    Archived,
    ReplicationNotAuthorized
};
enum class IndexStatus { Creating, Updating, Deleting, Active };
/// ReturnValue: PutItem and DeleteItem take only None and AllOld.
enum class ReturnValue { None, AllOld, UpdatedOld, AllNew, UpdatedNew };
enum class ReturnValuesOnConditionCheckFailure { None, AllOld };

/// "HASH", "RANGE".
[[nodiscard]] KINESIS_DECL std::string_view to_string(KeyType value) noexcept;
/// "S", "N", "B".
[[nodiscard]] KINESIS_DECL std::string_view to_string(ScalarAttributeType value) noexcept;
/// "PROVISIONED", "PAY_PER_REQUEST".
[[nodiscard]] KINESIS_DECL std::string_view to_string(BillingMode value) noexcept;
/// "ALL", "KEYS_ONLY", "INCLUDE".
[[nodiscard]] KINESIS_DECL std::string_view to_string(ProjectionType value) noexcept;
/// "CREATING", "UPDATING", "DELETING", "ACTIVE", "INACCESSIBLE_ENCRYPTION_CREDENTIALS", "ARCHIVING", ...
[[nodiscard]] KINESIS_DECL std::string_view to_string(TableStatus value) noexcept;
/// "CREATING", "UPDATING", "DELETING", "ACTIVE".
[[nodiscard]] KINESIS_DECL std::string_view to_string(IndexStatus value) noexcept;
/// "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW".
[[nodiscard]] KINESIS_DECL std::string_view to_string(ReturnValue value) noexcept;
/// "NONE", "ALL_OLD".
[[nodiscard]] KINESIS_DECL std::string_view to_string(ReturnValuesOnConditionCheckFailure value) noexcept;

/// KeySchemaElement: one HASH attribute, then at most one RANGE attribute.
struct KeySchemaElement {
    std::string attribute_name;  ///< 1..255 bytes
    KeyType key_type = KeyType::Hash;
};

/// AttributeDefinition: the type of an attribute some key schema names.
struct AttributeDefinition {
    std::string attribute_name;  ///< 1..255 bytes
    ScalarAttributeType attribute_type = ScalarAttributeType::S;
};

/// ProvisionedThroughput: both at least 1.
struct ProvisionedThroughput {
    std::int64_t read_capacity_units = 1;
    std::int64_t write_capacity_units = 1;
};

/// Projection: INCLUDE takes 1..20 non_key_attributes, the others none.
struct Projection {
    ProjectionType projection_type = ProjectionType::All;
    std::vector<std::string> non_key_attributes;
};

/// GlobalSecondaryIndex (and CreateGlobalSecondaryIndexAction, the same members).
struct GlobalSecondaryIndex {
    std::string index_name;  ///< 3..255 of [a-zA-Z0-9_.-]
    std::vector<KeySchemaElement> key_schema;
    Projection projection;
    /// Required on a PROVISIONED table, not allowed on a PAY_PER_REQUEST one.
    std::optional<ProvisionedThroughput> provisioned_throughput;
};
using CreateGlobalSecondaryIndexAction = GlobalSecondaryIndex;

/// DeleteGlobalSecondaryIndexAction.
struct DeleteGlobalSecondaryIndexAction {
    std::string index_name;
};

/// GlobalSecondaryIndexUpdate: exactly one action.
struct GlobalSecondaryIndexUpdate {
    std::optional<CreateGlobalSecondaryIndexAction> create;
    std::optional<DeleteGlobalSecondaryIndexAction> remove;  ///< botocore's `Delete` (a C++ keyword)
};

/// CreateTableInput, the members leases need. Point-in-time recovery is a
/// separate call (UpdateContinuousBackups) left to the user.
struct CreateTableRequest {
    std::string table_name;  ///< 3..255 of [a-zA-Z0-9_.-]
    /// Every attribute some key schema (the table's or an index's) names, and no other.
    std::vector<AttributeDefinition> attribute_definitions;
    std::vector<KeySchemaElement> key_schema;
    std::vector<GlobalSecondaryIndex> global_secondary_indexes;
    /// PayPerRequest (on-demand) by default here; the service's own default is
    /// PROVISIONED, which needs provisioned_throughput.
    BillingMode billing_mode = BillingMode::PayPerRequest;
    std::optional<ProvisionedThroughput> provisioned_throughput;
    std::optional<bool> deletion_protection_enabled;
};

/// ProvisionedThroughputDescription (0 units on an on-demand table).
struct ProvisionedThroughputDescription {
    std::int64_t read_capacity_units = 0;
    std::int64_t write_capacity_units = 0;
    std::int64_t number_of_decreases_today = 0;
};

/// GlobalSecondaryIndexDescription.
struct GlobalSecondaryIndexDescription {
    std::string index_name;
    std::vector<KeySchemaElement> key_schema;
    Projection projection;
    IndexStatus index_status = IndexStatus::Creating;
    bool backfilling = false;
    ProvisionedThroughputDescription provisioned_throughput;
    std::int64_t index_size_bytes = 0;
    std::int64_t item_count = 0;
    std::string index_arn;
};

/// BillingModeSummary.
struct BillingModeSummary {
    std::optional<BillingMode> billing_mode;  ///< absent on a table created PROVISIONED by older APIs
};

/// TableDescription, the members leases need.
struct TableDescription {
    std::string table_name;
    std::string table_arn;
    std::string table_id;
    TableStatus table_status = TableStatus::Creating;
    std::vector<AttributeDefinition> attribute_definitions;
    std::vector<KeySchemaElement> key_schema;
    std::optional<Timestamp> creation_date_time;
    ProvisionedThroughputDescription provisioned_throughput;
    std::optional<BillingModeSummary> billing_mode_summary;
    std::vector<GlobalSecondaryIndexDescription> global_secondary_indexes;
    std::int64_t table_size_bytes = 0;
    std::int64_t item_count = 0;
    bool deletion_protection_enabled = false;
};

/// UpdateTableInput: billing mode, throughput, indexes to add or remove,
/// deletion protection. At least one change.
struct UpdateTableRequest {
    std::string table_name;
    /// The attributes a new index's key schema names.
    std::vector<AttributeDefinition> attribute_definitions;
    std::optional<BillingMode> billing_mode;
    std::optional<ProvisionedThroughput> provisioned_throughput;
    std::vector<GlobalSecondaryIndexUpdate> global_secondary_index_updates;
    std::optional<bool> deletion_protection_enabled;
};

/// ExpressionAttributeNames: "#name" to the attribute name it stands for.
using ExpressionAttributeNames = std::map<std::string, std::string>;
/// ExpressionAttributeValues: ":value" to its value.
using ExpressionAttributeValues = Item;

/// GetItemInput.
struct GetItemRequest {
    std::string table_name;
    Item key;  ///< the whole primary key: S, N or B values
    bool consistent_read = false;
    std::optional<std::string> projection_expression;
    ExpressionAttributeNames expression_attribute_names;
};

/// GetItemOutput: no item when none has the key.
struct GetItemResult {
    std::optional<Item> item;
};

/// PutItemInput.
struct PutItemRequest {
    std::string table_name;
    Item item;
    std::optional<std::string> condition_expression;  ///< e.g. "attribute_not_exists(leaseKey)"
    ExpressionAttributeNames expression_attribute_names;
    ExpressionAttributeValues expression_attribute_values;
    std::optional<ReturnValue> return_values;  ///< None or AllOld only
    /// AllOld: a failed condition hands back the item as it was (see DynamoDbClient).
    std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};

/// UpdateItemInput.
struct UpdateItemRequest {
    std::string table_name;
    Item key;
    std::optional<std::string> update_expression;  ///< e.g. "SET leaseCounter = leaseCounter + :one"
    std::optional<std::string> condition_expression;
    ExpressionAttributeNames expression_attribute_names;
    ExpressionAttributeValues expression_attribute_values;
    std::optional<ReturnValue> return_values;
    std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};

/// DeleteItemInput.
struct DeleteItemRequest {
    std::string table_name;
    Item key;
    std::optional<std::string> condition_expression;
    ExpressionAttributeNames expression_attribute_names;
    ExpressionAttributeValues expression_attribute_values;
    std::optional<ReturnValue> return_values;  ///< None or AllOld only
    std::optional<ReturnValuesOnConditionCheckFailure> return_values_on_condition_check_failure;
};

/// PutItemOutput, UpdateItemOutput, DeleteItemOutput: the attributes asked
/// for with return_values (none unless asked, or when there was no old item).
struct WriteItemResult {
    std::optional<Item> attributes;
};
using PutItemResult = WriteItemResult;
using UpdateItemResult = WriteItemResult;
using DeleteItemResult = WriteItemResult;

/// What a failed ConditionExpression left behind (botocore's
/// ConditionalCheckFailedException members beside `message`).
struct ConditionalCheckFailure {
    /// The item as it was: only with ReturnValuesOnConditionCheckFailure
    /// AllOld, and only when an item had the key.
    std::optional<Item> item;
};

/// ScanInput.
struct ScanRequest {
    std::string table_name;
    std::optional<std::string> index_name;  ///< 3..255 of [a-zA-Z0-9_.-]
    std::optional<int> limit;               ///< items evaluated per page, at least 1
    std::optional<Item> exclusive_start_key;
    std::optional<std::string> filter_expression;
    std::optional<std::string> projection_expression;
    ExpressionAttributeNames expression_attribute_names;
    ExpressionAttributeValues expression_attribute_values;
    bool consistent_read = false;
    std::optional<int> segment;         ///< 0..total_segments-1; set both or neither
    std::optional<int> total_segments;  ///< 1..1,000,000
};

/// ScanOutput: one page; more follow while last_evaluated_key is set.
struct ScanResult {
    std::vector<Item> items;
    int count = 0;
    int scanned_count = 0;
    std::optional<Item> last_evaluated_key;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/dynamodb/impl/model.inl.hpp>
#endif

#endif  // KINESIS_DYNAMODB_MODEL_HPP
