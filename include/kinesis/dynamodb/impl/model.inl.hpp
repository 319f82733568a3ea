// SPDX-License-Identifier: Apache-2.0
// Definitions for dynamodb/model.hpp.
#ifndef KINESIS_DYNAMODB_IMPL_MODEL_INL_HPP
#define KINESIS_DYNAMODB_IMPL_MODEL_INL_HPP

#include <kinesis/dynamodb/model.hpp>

#include <algorithm>
#include <charconv>
#include <utility>

namespace kinesis {

KINESIS_DECL std::string_view to_string(AttributeType value) noexcept {
    switch (value) {
        case AttributeType::S: return "S";
        case AttributeType::N: return "N";
        case AttributeType::B: return "B";
        case AttributeType::SS: return "SS";
        case AttributeType::NS: return "NS";
        case AttributeType::BS: return "BS";
        case AttributeType::Bool: return "BOOL";
        case AttributeType::Null: return "NULL";
        case AttributeType::L: return "L";
        case AttributeType::M: return "M";
    }
    return "UNKNOWN";
}

KINESIS_DECL AttributeValue::AttributeValue() noexcept = default;
KINESIS_DECL AttributeValue::AttributeValue(AttributeValue&& other) noexcept = default;
KINESIS_DECL AttributeValue& AttributeValue::operator=(AttributeValue&& other) noexcept = default;
KINESIS_DECL AttributeValue::~AttributeValue() = default;

KINESIS_DECL AttributeValue::AttributeValue(const AttributeValue& other)
    : type_(other.type_),
      bool_(other.bool_),
      text_(other.text_),
      set_(other.set_),
      list_(other.list_),
      map_(other.map_ ? std::make_unique<Item>(*other.map_) : nullptr) {}

KINESIS_DECL AttributeValue& AttributeValue::operator=(const AttributeValue& other) {
    if (this != &other) {
        AttributeValue copy(other);
        *this = std::move(copy);
    }
    return *this;
}

KINESIS_DECL AttributeValue AttributeValue::s(std::string text) {
    AttributeValue value;
    value.type_ = AttributeType::S;
    value.text_ = std::move(text);
    return value;
}

KINESIS_DECL AttributeValue AttributeValue::n(std::string decimal) {
    AttributeValue value;
    value.type_ = AttributeType::N;
    value.text_ = std::move(decimal);
    return value;
}

KINESIS_DECL AttributeValue AttributeValue::n(std::int64_t number) { return n(std::to_string(number)); }

KINESIS_DECL AttributeValue AttributeValue::b(std::string bytes) {
    AttributeValue value;
    value.type_ = AttributeType::B;
    value.text_ = std::move(bytes);
    return value;
}

KINESIS_DECL AttributeValue AttributeValue::ss(std::vector<std::string> strings) {
    AttributeValue value;
    value.type_ = AttributeType::SS;
    value.set_ = std::move(strings);
    return value;
}

KINESIS_DECL AttributeValue AttributeValue::ns(std::vector<std::string> decimals) {
    AttributeValue value;
    value.type_ = AttributeType::NS;
    value.set_ = std::move(decimals);
    return value;
}

KINESIS_DECL AttributeValue AttributeValue::bs(std::vector<std::string> byte_strings) {
    AttributeValue value;
    value.type_ = AttributeType::BS;
    value.set_ = std::move(byte_strings);
    return value;
}

KINESIS_DECL AttributeValue AttributeValue::boolean(bool flag) {
    AttributeValue value;
    value.type_ = AttributeType::Bool;
    value.bool_ = flag;
    return value;
}

KINESIS_DECL AttributeValue AttributeValue::null() { return AttributeValue(); }

KINESIS_DECL AttributeValue AttributeValue::l(std::vector<AttributeValue> values) {
    AttributeValue value;
    value.type_ = AttributeType::L;
    value.list_ = std::move(values);
    return value;
}

KINESIS_DECL AttributeValue AttributeValue::m(Item members) {
    AttributeValue value;
    value.type_ = AttributeType::M;
    value.map_ = std::make_unique<Item>(std::move(members));
    return value;
}

KINESIS_DECL const std::string* AttributeValue::as_s() const noexcept {
    return type_ == AttributeType::S ? &text_ : nullptr;
}
KINESIS_DECL const std::string* AttributeValue::as_n() const noexcept {
    return type_ == AttributeType::N ? &text_ : nullptr;
}
KINESIS_DECL const std::string* AttributeValue::as_b() const noexcept {
    return type_ == AttributeType::B ? &text_ : nullptr;
}
KINESIS_DECL const std::vector<std::string>* AttributeValue::as_ss() const noexcept {
    return type_ == AttributeType::SS ? &set_ : nullptr;
}
KINESIS_DECL const std::vector<std::string>* AttributeValue::as_ns() const noexcept {
    return type_ == AttributeType::NS ? &set_ : nullptr;
}
KINESIS_DECL const std::vector<std::string>* AttributeValue::as_bs() const noexcept {
    return type_ == AttributeType::BS ? &set_ : nullptr;
}
KINESIS_DECL const bool* AttributeValue::as_bool() const noexcept {
    return type_ == AttributeType::Bool ? &bool_ : nullptr;
}
KINESIS_DECL const std::vector<AttributeValue>* AttributeValue::as_l() const noexcept {
    return type_ == AttributeType::L ? &list_ : nullptr;
}
KINESIS_DECL const Item* AttributeValue::as_m() const noexcept {
    return type_ == AttributeType::M ? map_.get() : nullptr;
}

KINESIS_DECL std::optional<std::int64_t> AttributeValue::as_int64() const noexcept {
    if (type_ != AttributeType::N || text_.empty()) return std::nullopt;
    std::int64_t out = 0;
    const char* first = text_.data();
    const char* last = first + text_.size();
    const auto [end, error] = std::from_chars(first, last, out);
    if (error != std::errc() || end != last) return std::nullopt;
    return out;
}

KINESIS_DECL bool operator==(const AttributeValue& a, const AttributeValue& b) {
    if (a.type_ != b.type_) return false;
    switch (a.type_) {
        case AttributeType::S:
        case AttributeType::N:
        case AttributeType::B: return a.text_ == b.text_;
        case AttributeType::SS:
        case AttributeType::NS:
        case AttributeType::BS: {
            if (a.set_.size() != b.set_.size()) return false;
            auto left = a.set_;
            auto right = b.set_;
            std::sort(left.begin(), left.end());
            std::sort(right.begin(), right.end());
            return left == right;
        }
        case AttributeType::Bool: return a.bool_ == b.bool_;
        case AttributeType::Null: return true;
        case AttributeType::L: return a.list_ == b.list_;
        case AttributeType::M: return *a.map_ == *b.map_;
    }
    return false;
}

KINESIS_DECL std::string_view to_string(KeyType value) noexcept {
    return value == KeyType::Hash ? "HASH" : "RANGE";
}

KINESIS_DECL std::string_view to_string(ScalarAttributeType value) noexcept {
    switch (value) {
        case ScalarAttributeType::S: return "S";
        case ScalarAttributeType::N: return "N";
        case ScalarAttributeType::B: return "B";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(BillingMode value) noexcept {
    return value == BillingMode::Provisioned ? "PROVISIONED" : "PAY_PER_REQUEST";
}

KINESIS_DECL std::string_view to_string(ProjectionType value) noexcept {
    switch (value) {
        case ProjectionType::All: return "ALL";
        case ProjectionType::KeysOnly: return "KEYS_ONLY";
        case ProjectionType::Include: return "INCLUDE";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(TableStatus value) noexcept {
    switch (value) {
        case TableStatus::Creating: return "CREATING";
        case TableStatus::Updating: return "UPDATING";
        case TableStatus::Deleting: return "DELETING";
        case TableStatus::Active: return "ACTIVE";
        case TableStatus::InaccessibleEncryptionCredentials: return "INACCESSIBLE_ENCRYPTION_CREDENTIALS";
        case TableStatus::Archiving: return "ARCHIVING";
        case TableStatus::Archived: return "ARCHIVED";
        case TableStatus::ReplicationNotAuthorized: return "REPLICATION_NOT_AUTHORIZED";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(IndexStatus value) noexcept {
    switch (value) {
        case IndexStatus::Creating: return "CREATING";
        case IndexStatus::Updating: return "UPDATING";
        case IndexStatus::Deleting: return "DELETING";
        case IndexStatus::Active: return "ACTIVE";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(ReturnValue value) noexcept {
    switch (value) {
        case ReturnValue::None: return "NONE";
        case ReturnValue::AllOld: return "ALL_OLD";
        case ReturnValue::UpdatedOld: return "UPDATED_OLD";
        case ReturnValue::AllNew: return "ALL_NEW";
        case ReturnValue::UpdatedNew: return "UPDATED_NEW";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(ReturnValuesOnConditionCheckFailure value) noexcept {
    return value == ReturnValuesOnConditionCheckFailure::AllOld ? "ALL_OLD" : "NONE";
}

}  // namespace kinesis

#endif  // KINESIS_DYNAMODB_IMPL_MODEL_INL_HPP
