// SPDX-License-Identifier: Apache-2.0
// Definitions for dynamodb/detail/wire.hpp.
#ifndef KINESIS_DYNAMODB_DETAIL_IMPL_WIRE_INL_HPP
#define KINESIS_DYNAMODB_DETAIL_IMPL_WIRE_INL_HPP

#include <kinesis/dynamodb/detail/wire.hpp>

#include <kinesis/core/detail/checks.hpp>
#include <kinesis/core/detail/encoding.hpp>
#include <kinesis/core/detail/json_reader.hpp>
#include <kinesis/core/detail/json_writer.hpp>

#include <fmt/core.h>

#include <climits>
#include <cstdint>
#include <initializer_list>
#include <set>
#include <utility>

namespace kinesis::detail {

namespace dynamodb_wire {

using simdjson::error_code;
using simdjson::ondemand::value;

inline std::string member_field(std::string_view parent, std::string_view name) {
    return fmt::format("{}[{}]", parent, quoted_escaped(name));
}

// A DynamoDB number: [+-]digits[.digits][(e|E)[+-]digits], 1 to 38 significant
// digits, magnitude 1E-130 to 9.99..E+125 (or zero). nullopt when fine, else why not.
inline std::optional<std::string> number_problem(std::string_view text) {
    std::size_t i = 0;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    std::string digits;
    long long before_point = 0;
    bool point = false;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c >= '0' && c <= '9') {
            digits += c;
            if (!point) ++before_point;
        } else if (c == '.' && !point) {
            point = true;
        } else {
            break;
        }
    }
    if (digits.empty()) return std::string("is not a number");
    long long exponent = 0;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        bool negative = false;
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
        const std::size_t start = i;
        for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
            if (exponent < 100000) exponent = exponent * 10 + (text[i] - '0');
        }
        if (i == start) return std::string("is not a number");
        if (negative) exponent = -exponent;
    }
    if (i != text.size()) return std::string("is not a number");
    const auto first = digits.find_first_not_of('0');
    if (first == std::string::npos) return std::nullopt;  // zero
    const auto last = digits.find_last_not_of('0');
    const auto significant = last - first + 1;
    if (significant > 38) return fmt::format("has {} significant digits; the limit is 38", significant);
    // The value is d.ddd x 10^magnitude.
    const long long magnitude = before_point + exponent - static_cast<long long>(first) - 1;
    if (magnitude < -130 || magnitude > 125) {
        return std::string("is out of range; a DynamoDB number is 1E-130 to 9.9999999999999999999999999999999999999E+125 "
                           "in magnitude");
    }
    return std::nullopt;
}

inline std::optional<Error> check_set(std::string_view op, const std::string& field, AttributeType type,
                                      const std::vector<std::string>& members) {
    if (members.empty()) {
        return invalid_argument(
            fmt::format("{}: {} is an empty {}; DynamoDB rejects empty sets", op, field, to_string(type)));
    }
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < members.size(); ++i) {
        const auto& member = members[i];
        if (type == AttributeType::NS) {
            if (auto problem = number_problem(member)) {
                return invalid_argument(
                    fmt::format("{}: {} (NS) member {} {} {}", op, field, i, quoted_escaped(member), *problem));
            }
        } else if (type == AttributeType::SS && !is_valid_utf8(member)) {
            return invalid_argument(fmt::format("{}: {} (SS) member {} is not valid UTF-8", op, field, i));
        }
        if (!seen.insert(member).second) {
            return invalid_argument(fmt::format("{}: {} ({}) has {} twice; a set's members must be distinct", op,
                                                field, to_string(type),
                                                type == AttributeType::BS ? fmt::format("member {}", i)
                                                                          : quoted_escaped(member)));
        }
    }
    return std::nullopt;
}

inline std::optional<Error> check_item(std::string_view op, std::string_view field, const Item& item, int depth) {
    for (const auto& [name, member] : item) {
        if (name.empty()) return invalid_argument(fmt::format("{}: {} has an attribute with an empty name", op, field));
        if (auto error = check_attribute_value(op, member_field(field, name), member, depth)) return error;
    }
    return std::nullopt;
}

inline std::optional<Error> check_expression(std::string_view op, std::string_view field,
                                             const std::optional<std::string>& expression) {
    if (!expression) return std::nullopt;
    if (expression->empty()) {
        return invalid_argument(fmt::format("{}: {} is empty; leave it unset or give an expression", op, field));
    }
    if (expression->size() > dynamodb_max_expression_bytes) {
        return invalid_argument(fmt::format("{}: {} has {} bytes; the limit is {}", op, field, expression->size(),
                                            dynamodb_max_expression_bytes));
    }
    if (!is_valid_utf8(*expression)) return invalid_argument(fmt::format("{}: {} is not valid UTF-8", op, field));
    return std::nullopt;
}

// Whether `placeholder` occurs in one of the expressions as a whole token
// (":one" is not used by ":ones"); DynamoDB rejects unused names and values.
inline bool used_in(std::string_view placeholder,
                    std::initializer_list<const std::optional<std::string>*> expressions) {
    const auto is_token_char = [](char c) { return is_name_char(c) && c != '.' && c != '-'; };
    for (const auto* expression : expressions) {
        if (!expression->has_value()) continue;
        const std::string_view text = **expression;
        for (auto at = text.find(placeholder); at != std::string_view::npos; at = text.find(placeholder, at + 1)) {
            const auto end = at + placeholder.size();
            if (end == text.size() || !is_token_char(text[end])) return true;
        }
    }
    return false;
}

// The expressions, then the names and values they use: every name "#...", every
// value ":..." and each used by one of the expressions.
inline std::optional<Error> check_expressions(
    std::string_view op, std::initializer_list<std::pair<std::string_view, const std::optional<std::string>*>> named,
    const ExpressionAttributeNames& names, const ExpressionAttributeValues* values) {
    for (const auto& [field, expression] : named) {
        if (auto error = check_expression(op, field, *expression)) return error;
    }
    const auto used = [&](std::string_view placeholder) {
        for (const auto& entry : named) {
            if (used_in(placeholder, {entry.second})) return true;
        }
        return false;
    };
    for (const auto& [placeholder, name] : names) {
        if (placeholder.size() < 2 || placeholder.front() != '#') {
            return invalid_argument(fmt::format("{}: expression_attribute_names key {} must be '#' and a name", op,
                                                quoted_escaped(placeholder)));
        }
        const auto field = member_field("expression_attribute_names", placeholder);
        if (name.empty()) return invalid_argument(fmt::format("{}: {} is empty", op, field));
        if (!used(placeholder)) {
            return invalid_argument(
                fmt::format("{}: {} is not used in any expression; DynamoDB rejects unused names", op, field));
        }
    }
    if (values == nullptr) return std::nullopt;
    for (const auto& [placeholder, value] : *values) {
        if (placeholder.size() < 2 || placeholder.front() != ':') {
            return invalid_argument(fmt::format("{}: expression_attribute_values key {} must be ':' and a name", op,
                                                quoted_escaped(placeholder)));
        }
        const auto field = member_field("expression_attribute_values", placeholder);
        if (!used(placeholder)) {
            return invalid_argument(
                fmt::format("{}: {} is not used in any expression; DynamoDB rejects unused values", op, field));
        }
        if (auto error = check_attribute_value(op, field, value)) return error;
    }
    return std::nullopt;
}

inline std::optional<Error> check_attribute_name(std::string_view op, std::string_view field, std::string_view name) {
    if (name.empty()) return invalid_argument(fmt::format("{}: {} is empty; it must have 1 to 255 bytes", op, field));
    if (name.size() > 255) {
        return invalid_argument(fmt::format("{}: {} has {} bytes; the limit is 255", op, field, name.size()));
    }
    return std::nullopt;
}

inline std::optional<Error> check_index_name(std::string_view op, std::string_view field, std::string_view name) {
    if (auto error = check_name(op, field, name, 255)) return error;
    if (name.size() < 3) {
        return invalid_argument(fmt::format("{}: {} {} has {} characters; it must have 3 to 255", op, field,
                                            quoted_if_short(name), name.size()));
    }
    return std::nullopt;
}

inline const AttributeDefinition* find_definition(const std::vector<AttributeDefinition>& definitions,
                                                  std::string_view name) {
    for (const auto& definition : definitions) {
        if (definition.attribute_name == name) return &definition;
    }
    return nullptr;
}

inline std::optional<Error> check_key_schema(std::string_view op, std::string_view field,
                                             const std::vector<KeySchemaElement>& schema,
                                             const std::vector<AttributeDefinition>& definitions) {
    if (schema.empty()) {
        return invalid_argument(
            fmt::format("{}: {} is empty; it needs a HASH attribute, then optionally a RANGE one", op, field));
    }
    if (schema.size() > 2) {
        return invalid_argument(fmt::format("{}: {} has {} elements; the limit is 2", op, field, schema.size()));
    }
    for (std::size_t i = 0; i < schema.size(); ++i) {
        const auto element = fmt::format("{}[{}]", field, i);
        const auto expected = i == 0 ? KeyType::Hash : KeyType::Range;
        if (schema[i].key_type != expected) {
            return invalid_argument(fmt::format("{}: {} is {}; the {} element must be {}", op, element,
                                                to_string(schema[i].key_type), i == 0 ? "first" : "second",
                                                to_string(expected)));
        }
        if (auto error = check_attribute_name(op, element + ".attribute_name", schema[i].attribute_name)) return error;
        if (find_definition(definitions, schema[i].attribute_name) == nullptr) {
            return invalid_argument(fmt::format("{}: {} names {}, which attribute_definitions does not define", op,
                                                element, quoted_escaped(schema[i].attribute_name)));
        }
    }
    if (schema.size() == 2 && schema[0].attribute_name == schema[1].attribute_name) {
        return invalid_argument(fmt::format("{}: {} names {} twice", op, field, quoted_escaped(schema[0].attribute_name)));
    }
    return std::nullopt;
}

inline std::optional<Error> check_throughput(std::string_view op, std::string_view field,
                                             const ProvisionedThroughput& throughput) {
    if (throughput.read_capacity_units < 1) {
        return invalid_argument(fmt::format("{}: {}.read_capacity_units is {}; it must be at least 1", op, field,
                                            throughput.read_capacity_units));
    }
    if (throughput.write_capacity_units < 1) {
        return invalid_argument(fmt::format("{}: {}.write_capacity_units is {}; it must be at least 1", op, field,
                                            throughput.write_capacity_units));
    }
    return std::nullopt;
}

// The throughput a billing mode needs: some with PROVISIONED, none with PAY_PER_REQUEST.
inline std::optional<Error> check_billing(std::string_view op, std::string_view field, BillingMode mode,
                                          const std::optional<ProvisionedThroughput>& throughput) {
    if (mode == BillingMode::Provisioned && !throughput) {
        return invalid_argument(fmt::format("{}: {} is required with billing_mode PROVISIONED", op, field));
    }
    if (mode == BillingMode::PayPerRequest && throughput) {
        return invalid_argument(
            fmt::format("{}: {} is set with billing_mode PAY_PER_REQUEST; on-demand capacity takes none", op, field));
    }
    if (throughput) return check_throughput(op, field, *throughput);
    return std::nullopt;
}

inline std::optional<Error> check_index(std::string_view op, std::string_view field, const GlobalSecondaryIndex& index,
                                        const std::vector<AttributeDefinition>& definitions,
                                        std::optional<BillingMode> mode) {
    if (auto error = check_index_name(op, fmt::format("{}.index_name", field), index.index_name)) return error;
    if (auto error = check_key_schema(op, fmt::format("{}.key_schema", field), index.key_schema, definitions)) {
        return error;
    }
    const auto& projection = index.projection;
    const auto attributes = fmt::format("{}.projection.non_key_attributes", field);
    if (projection.projection_type == ProjectionType::Include) {
        if (projection.non_key_attributes.empty() || projection.non_key_attributes.size() > 20) {
            return invalid_argument(fmt::format("{}: {} has {} names; INCLUDE takes 1 to 20", op, attributes,
                                                projection.non_key_attributes.size()));
        }
    } else if (!projection.non_key_attributes.empty()) {
        return invalid_argument(fmt::format("{}: {} is set with projection_type {}; only INCLUDE takes names", op,
                                            attributes, to_string(projection.projection_type)));
    }
    const auto throughput = fmt::format("{}.provisioned_throughput", field);
    if (mode) return check_billing(op, throughput, *mode, index.provisioned_throughput);
    if (index.provisioned_throughput) return check_throughput(op, throughput, *index.provisioned_throughput);
    return std::nullopt;
}

inline std::optional<Error> check_definitions(std::string_view op, const std::vector<AttributeDefinition>& definitions) {
    for (std::size_t i = 0; i < definitions.size(); ++i) {
        const auto field = fmt::format("attribute_definitions[{}].attribute_name", i);
        if (auto error = check_attribute_name(op, field, definitions[i].attribute_name)) return error;
        for (std::size_t j = 0; j < i; ++j) {
            if (definitions[j].attribute_name == definitions[i].attribute_name) {
                return invalid_argument(fmt::format("{}: attribute_definitions has {} twice", op,
                                                    quoted_escaped(definitions[i].attribute_name)));
            }
        }
    }
    return std::nullopt;
}

inline std::optional<Error> check_return_values(std::string_view op, const std::optional<ReturnValue>& value,
                                                bool updates) {
    if (!value || updates || *value == ReturnValue::None || *value == ReturnValue::AllOld) return std::nullopt;
    return invalid_argument(
        fmt::format("{}: return_values is {}; {} takes only NONE or ALL_OLD", op, to_string(*value), op));
}

}  // namespace dynamodb_wire

// ---- input checks ----

KINESIS_DECL std::optional<Error> check_table_name(std::string_view op, std::string_view field,
                                                   std::string_view name) {
    if (name.size() > 4 && name.compare(0, 4, "arn:") == 0) {
        if (name.size() > 1024) {
            return invalid_argument(
                fmt::format("{}: {} has {} characters; the limit is 1024 for a table ARN", op, field, name.size()));
        }
        return std::nullopt;
    }
    if (name.empty()) {
        return invalid_argument(fmt::format("{}: {} is empty; it must have 3 to 255 characters", op, field));
    }
    if (auto error = check_name(op, field, name, 255)) return error;
    if (name.size() < 3) {
        return invalid_argument(fmt::format("{}: {} {} has {} characters; it must have 3 to 255", op, field,
                                            quoted_if_short(name), name.size()));
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_attribute_value(std::string_view op, const std::string& field,
                                                        const AttributeValue& value, int depth) {
    using namespace dynamodb_wire;
    if (depth > dynamodb_max_depth) {
        return invalid_argument(
            fmt::format("{}: {} is nested {} levels deep; the limit is {}", op, field, depth, dynamodb_max_depth));
    }
    switch (value.type()) {
        case AttributeType::S:
            if (!is_valid_utf8(*value.as_s())) return invalid_argument(fmt::format("{}: {} (S) is not valid UTF-8", op, field));
            return std::nullopt;
        case AttributeType::N:
            if (auto problem = number_problem(*value.as_n())) {
                return invalid_argument(fmt::format("{}: {} (N) {} {}", op, field, quoted_escaped(*value.as_n()), *problem));
            }
            return std::nullopt;
        case AttributeType::SS: return check_set(op, field, AttributeType::SS, *value.as_ss());
        case AttributeType::NS: return check_set(op, field, AttributeType::NS, *value.as_ns());
        case AttributeType::BS: return check_set(op, field, AttributeType::BS, *value.as_bs());
        case AttributeType::L: {
            const auto& list = *value.as_l();
            for (std::size_t i = 0; i < list.size(); ++i) {
                if (auto error = check_attribute_value(op, fmt::format("{}[{}]", field, i), list[i], depth + 1)) {
                    return error;
                }
            }
            return std::nullopt;
        }
        case AttributeType::M: return check_item(op, field, *value.as_m(), depth + 1);
        case AttributeType::B:
        case AttributeType::Bool:
        case AttributeType::Null: return std::nullopt;
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_key(std::string_view op, std::string_view field, const Item& key) {
    if (key.empty()) {
        return invalid_argument(
            fmt::format("{}: {} is empty; it must hold the table's primary key (1 or 2 attributes)", op, field));
    }
    if (key.size() > 2) {
        return invalid_argument(
            fmt::format("{}: {} has {} attributes; a primary key has 1 or 2", op, field, key.size()));
    }
    for (const auto& [name, value] : key) {
        const auto member = dynamodb_wire::member_field(field, name);
        if (name.empty()) return invalid_argument(fmt::format("{}: {} has an attribute with an empty name", op, field));
        const auto type = value.type();
        if (type != AttributeType::S && type != AttributeType::N && type != AttributeType::B) {
            return invalid_argument(
                fmt::format("{}: {} is {}; a key attribute must be S, N or B", op, member, to_string(type)));
        }
        if ((type == AttributeType::S && value.as_s()->empty()) || (type == AttributeType::B && value.as_b()->empty())) {
            return invalid_argument(fmt::format("{}: {} ({}) is empty; a key attribute must not be", op, member,
                                                to_string(type)));
        }
        if (auto error = check_attribute_value(op, member, value)) return error;
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_create_table(const CreateTableRequest& request) {
    using namespace dynamodb_wire;
    constexpr std::string_view op = "create_table";
    if (auto error = check_table_name(op, "table_name", request.table_name)) return error;
    if (auto error = check_definitions(op, request.attribute_definitions)) return error;
    if (auto error = check_key_schema(op, "key_schema", request.key_schema, request.attribute_definitions)) {
        return error;
    }
    if (auto error = check_billing(op, "provisioned_throughput", request.billing_mode, request.provisioned_throughput)) {
        return error;
    }
    const auto& indexes = request.global_secondary_indexes;
    if (indexes.size() > 20) {
        return invalid_argument(
            fmt::format("create_table: global_secondary_indexes has {} entries; the limit is 20", indexes.size()));
    }
    for (std::size_t i = 0; i < indexes.size(); ++i) {
        const auto field = fmt::format("global_secondary_indexes[{}]", i);
        if (auto error = check_index(op, field, indexes[i], request.attribute_definitions, request.billing_mode)) {
            return error;
        }
        for (std::size_t j = 0; j < i; ++j) {
            if (indexes[j].index_name == indexes[i].index_name) {
                return invalid_argument(fmt::format("create_table: global_secondary_indexes has {} twice",
                                                    quoted_if_short(indexes[i].index_name)));
            }
        }
    }
    // DynamoDB rejects a definition no key schema uses.
    for (std::size_t i = 0; i < request.attribute_definitions.size(); ++i) {
        const auto& name = request.attribute_definitions[i].attribute_name;
        const auto in = [&](const std::vector<KeySchemaElement>& schema) {
            for (const auto& element : schema) {
                if (element.attribute_name == name) return true;
            }
            return false;
        };
        bool used = in(request.key_schema);
        for (const auto& index : indexes) used = used || in(index.key_schema);
        if (!used) {
            return invalid_argument(fmt::format("create_table: attribute_definitions[{}] {} is in no key schema; "
                                                "DynamoDB rejects unused definitions",
                                                i, quoted_escaped(name)));
        }
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_update_table(const UpdateTableRequest& request) {
    using namespace dynamodb_wire;
    constexpr std::string_view op = "update_table";
    if (auto error = check_table_name(op, "table_name", request.table_name)) return error;
    if (!request.billing_mode && !request.provisioned_throughput && request.global_secondary_index_updates.empty() &&
        !request.deletion_protection_enabled) {
        return invalid_argument("update_table: nothing to update; set billing_mode, provisioned_throughput, "
                                "global_secondary_index_updates or deletion_protection_enabled");
    }
    if (auto error = check_definitions(op, request.attribute_definitions)) return error;
    if (request.billing_mode == BillingMode::PayPerRequest && request.provisioned_throughput) {
        return invalid_argument("update_table: provisioned_throughput is set with billing_mode PAY_PER_REQUEST; "
                                "on-demand capacity takes none");
    }
    if (request.provisioned_throughput) {
        if (auto error = check_throughput(op, "provisioned_throughput", *request.provisioned_throughput)) return error;
    }
    const auto& updates = request.global_secondary_index_updates;
    for (std::size_t i = 0; i < updates.size(); ++i) {
        const auto field = fmt::format("global_secondary_index_updates[{}]", i);
        if (updates[i].create.has_value() == updates[i].remove.has_value()) {
            return invalid_argument(fmt::format("update_table: {} has {}; it must have exactly one of create and "
                                                "remove",
                                                field, updates[i].create ? "both" : "neither"));
        }
        if (updates[i].create) {
            if (auto error = check_index(op, field + ".create", *updates[i].create, request.attribute_definitions,
                                         request.billing_mode)) {
                return error;
            }
        } else if (auto error = check_index_name(op, field + ".remove.index_name", updates[i].remove->index_name)) {
            return error;
        }
    }
    return std::nullopt;
}

KINESIS_DECL std::optional<Error> check_get_item(const GetItemRequest& request) {
    using namespace dynamodb_wire;
    constexpr std::string_view op = "get_item";
    if (auto error = check_table_name(op, "table_name", request.table_name)) return error;
    if (auto error = check_key(op, "key", request.key)) return error;
    return check_expressions(op, {{"projection_expression", &request.projection_expression}},
                             request.expression_attribute_names, nullptr);
}

KINESIS_DECL std::optional<Error> check_put_item(const PutItemRequest& request) {
    using namespace dynamodb_wire;
    constexpr std::string_view op = "put_item";
    if (auto error = check_table_name(op, "table_name", request.table_name)) return error;
    if (request.item.empty()) {
        return invalid_argument("put_item: item is empty; it must hold at least the table's primary key");
    }
    if (auto error = check_item(op, "item", request.item, 1)) return error;
    if (auto error = check_return_values(op, request.return_values, false)) return error;
    return check_expressions(op, {{"condition_expression", &request.condition_expression}},
                             request.expression_attribute_names, &request.expression_attribute_values);
}

KINESIS_DECL std::optional<Error> check_update_item(const UpdateItemRequest& request) {
    using namespace dynamodb_wire;
    constexpr std::string_view op = "update_item";
    if (auto error = check_table_name(op, "table_name", request.table_name)) return error;
    if (auto error = check_key(op, "key", request.key)) return error;
    return check_expressions(op,
                             {{"update_expression", &request.update_expression},
                              {"condition_expression", &request.condition_expression}},
                             request.expression_attribute_names, &request.expression_attribute_values);
}

KINESIS_DECL std::optional<Error> check_delete_item(const DeleteItemRequest& request) {
    using namespace dynamodb_wire;
    constexpr std::string_view op = "delete_item";
    if (auto error = check_table_name(op, "table_name", request.table_name)) return error;
    if (auto error = check_key(op, "key", request.key)) return error;
    if (auto error = check_return_values(op, request.return_values, false)) return error;
    return check_expressions(op, {{"condition_expression", &request.condition_expression}},
                             request.expression_attribute_names, &request.expression_attribute_values);
}

KINESIS_DECL std::optional<Error> check_scan(const ScanRequest& request) {
    using namespace dynamodb_wire;
    constexpr std::string_view op = "scan";
    if (auto error = check_table_name(op, "table_name", request.table_name)) return error;
    if (request.index_name) {
        if (auto error = check_index_name(op, "index_name", *request.index_name)) return error;
    }
    if (request.limit) {
        if (auto error = check_range(op, "limit", *request.limit, 1, INT_MAX)) return error;
    }
    if (request.segment.has_value() != request.total_segments.has_value()) {
        return invalid_argument(fmt::format("scan: {} is set without {}; set both or neither",
                                            request.segment ? "segment" : "total_segments",
                                            request.segment ? "total_segments" : "segment"));
    }
    if (request.total_segments) {
        if (auto error = check_range(op, "total_segments", *request.total_segments, 1, 1000000)) return error;
        if (auto error = check_range(op, "segment", *request.segment, 0, *request.total_segments - 1)) return error;
    }
    if (request.exclusive_start_key) {
        if (auto error = check_key(op, "exclusive_start_key", *request.exclusive_start_key)) return error;
    }
    return check_expressions(op,
                             {{"filter_expression", &request.filter_expression},
                              {"projection_expression", &request.projection_expression}},
                             request.expression_attribute_names, &request.expression_attribute_values);
}

// ---- request bodies ----

namespace dynamodb_wire {

inline void write_value(JsonWriter& writer, const AttributeValue& value);

inline void write_item(JsonWriter& writer, const Item& item) {
    writer.begin_object();
    for (const auto& [name, member] : item) {
        writer.key(name);
        write_value(writer, member);
    }
    writer.end_object();
}

inline void write_strings(JsonWriter& writer, const std::vector<std::string>& strings, bool bytes) {
    writer.begin_array();
    for (const auto& text : strings) {
        if (bytes) {
            writer.base64(text);
        } else {
            writer.string(text);
        }
    }
    writer.end_array();
}

inline void write_value(JsonWriter& writer, const AttributeValue& value) {
    writer.begin_object();
    writer.key(to_string(value.type()));
    switch (value.type()) {
        case AttributeType::S: writer.string(*value.as_s()); break;
        case AttributeType::N: writer.string(*value.as_n()); break;
        case AttributeType::B: writer.base64(*value.as_b()); break;
        case AttributeType::SS: write_strings(writer, *value.as_ss(), false); break;
        case AttributeType::NS: write_strings(writer, *value.as_ns(), false); break;
        case AttributeType::BS: write_strings(writer, *value.as_bs(), true); break;
        case AttributeType::Bool: writer.boolean(*value.as_bool()); break;
        case AttributeType::Null: writer.boolean(true); break;
        case AttributeType::L:
            writer.begin_array();
            for (const auto& element : *value.as_l()) write_value(writer, element);
            writer.end_array();
            break;
        case AttributeType::M: write_item(writer, *value.as_m()); break;
    }
    writer.end_object();
}

inline void write_key_schema(JsonWriter& writer, const std::vector<KeySchemaElement>& schema) {
    writer.key("KeySchema").begin_array();
    for (const auto& element : schema) {
        writer.begin_object();
        writer.member("AttributeName", element.attribute_name);
        writer.member("KeyType", to_string(element.key_type));
        writer.end_object();
    }
    writer.end_array();
}

inline void write_definitions(JsonWriter& writer, const std::vector<AttributeDefinition>& definitions) {
    writer.key("AttributeDefinitions").begin_array();
    for (const auto& definition : definitions) {
        writer.begin_object();
        writer.member("AttributeName", definition.attribute_name);
        writer.member("AttributeType", to_string(definition.attribute_type));
        writer.end_object();
    }
    writer.end_array();
}

inline void write_throughput(JsonWriter& writer, const ProvisionedThroughput& throughput) {
    writer.key("ProvisionedThroughput").begin_object();
    writer.member("ReadCapacityUnits", throughput.read_capacity_units);
    writer.member("WriteCapacityUnits", throughput.write_capacity_units);
    writer.end_object();
}

inline void write_index(JsonWriter& writer, const GlobalSecondaryIndex& index) {
    writer.begin_object();
    writer.member("IndexName", index.index_name);
    write_key_schema(writer, index.key_schema);
    writer.key("Projection").begin_object();
    writer.member("ProjectionType", to_string(index.projection.projection_type));
    if (!index.projection.non_key_attributes.empty()) {
        writer.key("NonKeyAttributes");
        write_strings(writer, index.projection.non_key_attributes, false);
    }
    writer.end_object();
    if (index.provisioned_throughput) write_throughput(writer, *index.provisioned_throughput);
    writer.end_object();
}

// ReturnValues, the expressions, their names and values, ReturnValuesOnConditionCheckFailure:
// the tail every item write shares, in botocore's order.
struct WriteTail {
    const std::optional<ReturnValue>& return_values;
    const std::optional<std::string>* update_expression;
    const std::optional<std::string>& condition_expression;
    const ExpressionAttributeNames& names;
    const ExpressionAttributeValues& values;
    const std::optional<ReturnValuesOnConditionCheckFailure>& on_failure;
};

inline void write_names_values(JsonWriter& writer, const ExpressionAttributeNames& names,
                               const ExpressionAttributeValues* values) {
    if (!names.empty()) {
        writer.key("ExpressionAttributeNames").begin_object();
        for (const auto& [placeholder, name] : names) writer.member(placeholder, name);
        writer.end_object();
    }
    if (values != nullptr && !values->empty()) {
        writer.key("ExpressionAttributeValues");
        write_item(writer, *values);
    }
}

inline void write_tail(JsonWriter& writer, const WriteTail& tail) {
    if (tail.return_values) writer.member("ReturnValues", to_string(*tail.return_values));
    if (tail.update_expression != nullptr && *tail.update_expression) {
        writer.member("UpdateExpression", **tail.update_expression);
    }
    if (tail.condition_expression) writer.member("ConditionExpression", *tail.condition_expression);
    write_names_values(writer, tail.names, &tail.values);
    if (tail.on_failure) writer.member("ReturnValuesOnConditionCheckFailure", to_string(*tail.on_failure));
}

}  // namespace dynamodb_wire

KINESIS_DECL void write_create_table(const CreateTableRequest& request, std::string& out) {
    using namespace dynamodb_wire;
    JsonWriter writer(out);
    writer.begin_object();
    write_definitions(writer, request.attribute_definitions);
    writer.member("TableName", request.table_name);
    write_key_schema(writer, request.key_schema);
    if (!request.global_secondary_indexes.empty()) {
        writer.key("GlobalSecondaryIndexes").begin_array();
        for (const auto& index : request.global_secondary_indexes) write_index(writer, index);
        writer.end_array();
    }
    writer.member("BillingMode", to_string(request.billing_mode));
    if (request.provisioned_throughput) write_throughput(writer, *request.provisioned_throughput);
    if (request.deletion_protection_enabled) {
        writer.member("DeletionProtectionEnabled", *request.deletion_protection_enabled);
    }
    writer.end_object();
}

KINESIS_DECL void write_table_name(std::string_view name, std::string& out) {
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("TableName", name);
    writer.end_object();
}

KINESIS_DECL void write_update_table(const UpdateTableRequest& request, std::string& out) {
    using namespace dynamodb_wire;
    JsonWriter writer(out);
    writer.begin_object();
    if (!request.attribute_definitions.empty()) write_definitions(writer, request.attribute_definitions);
    writer.member("TableName", request.table_name);
    if (request.billing_mode) writer.member("BillingMode", to_string(*request.billing_mode));
    if (request.provisioned_throughput) write_throughput(writer, *request.provisioned_throughput);
    if (!request.global_secondary_index_updates.empty()) {
        writer.key("GlobalSecondaryIndexUpdates").begin_array();
        for (const auto& update : request.global_secondary_index_updates) {
            writer.begin_object();
            if (update.create) {
                writer.key("Create");
                write_index(writer, *update.create);
            }
            if (update.remove) {
                writer.key("Delete").begin_object();
                writer.member("IndexName", update.remove->index_name);
                writer.end_object();
            }
            writer.end_object();
        }
        writer.end_array();
    }
    if (request.deletion_protection_enabled) {
        writer.member("DeletionProtectionEnabled", *request.deletion_protection_enabled);
    }
    writer.end_object();
}

KINESIS_DECL void write_get_item(const GetItemRequest& request, std::string& out) {
    using namespace dynamodb_wire;
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("TableName", request.table_name);
    writer.key("Key");
    write_item(writer, request.key);
    if (request.consistent_read) writer.member("ConsistentRead", true);
    if (request.projection_expression) writer.member("ProjectionExpression", *request.projection_expression);
    write_names_values(writer, request.expression_attribute_names, nullptr);
    writer.end_object();
}

KINESIS_DECL void write_put_item(const PutItemRequest& request, std::string& out) {
    using namespace dynamodb_wire;
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("TableName", request.table_name);
    writer.key("Item");
    write_item(writer, request.item);
    write_tail(writer, {request.return_values, nullptr, request.condition_expression,
                        request.expression_attribute_names, request.expression_attribute_values,
                        request.return_values_on_condition_check_failure});
    writer.end_object();
}

KINESIS_DECL void write_update_item(const UpdateItemRequest& request, std::string& out) {
    using namespace dynamodb_wire;
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("TableName", request.table_name);
    writer.key("Key");
    write_item(writer, request.key);
    write_tail(writer, {request.return_values, &request.update_expression, request.condition_expression,
                        request.expression_attribute_names, request.expression_attribute_values,
                        request.return_values_on_condition_check_failure});
    writer.end_object();
}

KINESIS_DECL void write_delete_item(const DeleteItemRequest& request, std::string& out) {
    using namespace dynamodb_wire;
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("TableName", request.table_name);
    writer.key("Key");
    write_item(writer, request.key);
    write_tail(writer, {request.return_values, nullptr, request.condition_expression,
                        request.expression_attribute_names, request.expression_attribute_values,
                        request.return_values_on_condition_check_failure});
    writer.end_object();
}

KINESIS_DECL void write_scan(const ScanRequest& request, std::string& out) {
    using namespace dynamodb_wire;
    JsonWriter writer(out);
    writer.begin_object();
    writer.member("TableName", request.table_name);
    if (request.index_name) writer.member("IndexName", *request.index_name);
    if (request.limit) writer.member("Limit", static_cast<std::int64_t>(*request.limit));
    if (request.exclusive_start_key) {
        writer.key("ExclusiveStartKey");
        write_item(writer, *request.exclusive_start_key);
    }
    if (request.total_segments) writer.member("TotalSegments", static_cast<std::int64_t>(*request.total_segments));
    if (request.segment) writer.member("Segment", static_cast<std::int64_t>(*request.segment));
    if (request.projection_expression) writer.member("ProjectionExpression", *request.projection_expression);
    if (request.filter_expression) writer.member("FilterExpression", *request.filter_expression);
    write_names_values(writer, request.expression_attribute_names, &request.expression_attribute_values);
    if (request.consistent_read) writer.member("ConsistentRead", true);
    writer.end_object();
}

// ---- answers ----

namespace dynamodb_wire {

inline constexpr KeyType key_types[] = {KeyType::Hash, KeyType::Range};
inline constexpr ScalarAttributeType scalar_types[] = {ScalarAttributeType::S, ScalarAttributeType::N,
                                                       ScalarAttributeType::B};
inline constexpr BillingMode billing_modes[] = {BillingMode::Provisioned, BillingMode::PayPerRequest};
inline constexpr ProjectionType projection_types[] = {ProjectionType::All, ProjectionType::KeysOnly,
                                                      ProjectionType::Include};
inline constexpr TableStatus table_statuses[] = {
    TableStatus::Creating, TableStatus::Updating,  TableStatus::Deleting, TableStatus::Active,
    TableStatus::InaccessibleEncryptionCredentials, TableStatus::Archiving, TableStatus::Archived,
    TableStatus::ReplicationNotAuthorized};
inline constexpr IndexStatus index_statuses[] = {IndexStatus::Creating, IndexStatus::Updating, IndexStatus::Deleting,
                                                 IndexStatus::Active};

inline error_code read_int64_or_null(value v, std::int64_t& out) {
    std::optional<std::int64_t> read;
    if (auto error = read_optional_int64(v, read)) return error;
    if (read) out = *read;
    return simdjson::SUCCESS;
}

inline error_code read_value(value v, AttributeValue& out, int depth);

inline error_code read_item(value v, Item& out, int depth) {
    return read_object(v, [&](std::string_view name, value member) -> error_code {
        AttributeValue read;
        if (auto error = read_value(member, read, depth + 1)) return error;
        out.insert_or_assign(std::string(name), std::move(read));
        return simdjson::SUCCESS;
    });
}

inline error_code read_bytes(value v, std::string& out) {
    std::string_view text;
    if (auto error = v.get_string().get(text)) return error;
    return base64_decode(text, out) ? simdjson::SUCCESS : simdjson::INCORRECT_TYPE;
}

// {"<type>": payload}: exactly one member names the type; others (a newer
// service's) are skipped.
inline error_code read_value(value v, AttributeValue& out, int depth) {
    // Past any depth DynamoDB writes: a hostile answer must not exhaust the stack.
    if (depth > 2 * dynamodb_max_depth) return simdjson::DEPTH_ERROR;
    return read_object(v, [&](std::string_view type, value payload) -> error_code {
        if (type == "S" || type == "N") {
            std::string text;
            if (auto error = read_string(payload, text)) return error;
            out = type == "S" ? AttributeValue::s(std::move(text)) : AttributeValue::n(std::move(text));
        } else if (type == "B") {
            std::string bytes;
            if (auto error = read_bytes(payload, bytes)) return error;
            out = AttributeValue::b(std::move(bytes));
        } else if (type == "SS" || type == "NS") {
            std::vector<std::string> members;
            if (auto error = read_string_list(payload, members)) return error;
            out = type == "SS" ? AttributeValue::ss(std::move(members)) : AttributeValue::ns(std::move(members));
        } else if (type == "BS") {
            std::vector<std::string> members;
            if (auto error = read_array(payload, [&](value element) { return read_bytes(element, members.emplace_back()); })) {
                return error;
            }
            out = AttributeValue::bs(std::move(members));
        } else if (type == "BOOL") {
            bool flag = false;
            if (auto error = read_bool(payload, flag)) return error;
            out = AttributeValue::boolean(flag);
        } else if (type == "NULL") {
            bool flag = false;
            if (auto error = read_bool(payload, flag)) return error;
            out = AttributeValue::null();
        } else if (type == "L") {
            std::vector<AttributeValue> elements;
            if (auto error = read_array(payload, [&](value element) {
                    return read_value(element, elements.emplace_back(), depth + 1);
                })) {
                return error;
            }
            out = AttributeValue::l(std::move(elements));
        } else if (type == "M") {
            Item members;
            if (auto error = read_item(payload, members, depth)) return error;
            out = AttributeValue::m(std::move(members));
        }
        return simdjson::SUCCESS;
    });
}

inline error_code read_key_schema(value v, std::vector<KeySchemaElement>& out) {
    return read_array(v, [&](value element) {
        auto& entry = out.emplace_back();
        return read_object(element, [&](std::string_view key, value field) -> error_code {
            if (key == "AttributeName") return read_string_or_null(field, entry.attribute_name);
            if (key == "KeyType") return read_enum_or_null(field, entry.key_type, key_types);
            return simdjson::SUCCESS;
        });
    });
}

inline error_code read_throughput(value v, ProvisionedThroughputDescription& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "ReadCapacityUnits") return read_int64_or_null(field, out.read_capacity_units);
        if (key == "WriteCapacityUnits") return read_int64_or_null(field, out.write_capacity_units);
        if (key == "NumberOfDecreasesToday") return read_int64_or_null(field, out.number_of_decreases_today);
        return simdjson::SUCCESS;
    });
}

inline error_code read_projection(value v, Projection& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "ProjectionType") return read_enum_or_null(field, out.projection_type, projection_types);
        if (key == "NonKeyAttributes") return read_string_list(field, out.non_key_attributes);
        return simdjson::SUCCESS;
    });
}

inline error_code read_index(value v, GlobalSecondaryIndexDescription& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "IndexName") return read_string_or_null(field, out.index_name);
        if (key == "KeySchema") return read_key_schema(field, out.key_schema);
        if (key == "Projection") return read_projection(field, out.projection);
        if (key == "IndexStatus") return read_enum_or_null(field, out.index_status, index_statuses);
        if (key == "Backfilling") return read_bool_or_null(field, out.backfilling);
        if (key == "ProvisionedThroughput") return read_throughput(field, out.provisioned_throughput);
        if (key == "IndexSizeBytes") return read_int64_or_null(field, out.index_size_bytes);
        if (key == "ItemCount") return read_int64_or_null(field, out.item_count);
        if (key == "IndexArn") return read_string_or_null(field, out.index_arn);
        return simdjson::SUCCESS;
    });
}

inline error_code read_table(value v, TableDescription& out) {
    return read_object(v, [&](std::string_view key, value field) -> error_code {
        if (key == "TableName") return read_string_or_null(field, out.table_name);
        if (key == "TableArn") return read_string_or_null(field, out.table_arn);
        if (key == "TableId") return read_string_or_null(field, out.table_id);
        if (key == "TableStatus") return read_enum_or_null(field, out.table_status, table_statuses);
        if (key == "KeySchema") return read_key_schema(field, out.key_schema);
        if (key == "AttributeDefinitions") {
            return read_array(field, [&](value element) {
                auto& entry = out.attribute_definitions.emplace_back();
                return read_object(element, [&](std::string_view name, value member) -> error_code {
                    if (name == "AttributeName") return read_string_or_null(member, entry.attribute_name);
                    if (name == "AttributeType") return read_enum_or_null(member, entry.attribute_type, scalar_types);
                    return simdjson::SUCCESS;
                });
            });
        }
        if (key == "CreationDateTime") return read_optional_time(field, out.creation_date_time);
        if (key == "ProvisionedThroughput") return read_throughput(field, out.provisioned_throughput);
        if (key == "BillingModeSummary") {
            auto& summary = out.billing_mode_summary.emplace();
            return read_object(field, [&](std::string_view name, value member) -> error_code {
                if (name == "BillingMode") return read_optional_enum(member, summary.billing_mode, billing_modes);
                return simdjson::SUCCESS;
            });
        }
        if (key == "GlobalSecondaryIndexes") {
            return read_array(field, [&](value element) {
                return read_index(element, out.global_secondary_indexes.emplace_back());
            });
        }
        if (key == "TableSizeBytes") return read_int64_or_null(field, out.table_size_bytes);
        if (key == "ItemCount") return read_int64_or_null(field, out.item_count);
        if (key == "DeletionProtectionEnabled") return read_bool_or_null(field, out.deletion_protection_enabled);
        return simdjson::SUCCESS;
    });
}

inline Result<TableDescription> parse_table_member(JsonParser& parser, const std::string& body,
                                                   std::string_view member, std::string_view what) {
    bool found = false;
    auto result = parse_object<TableDescription>(
        parser, body, what, [&](TableDescription& out, std::string_view key, value field) -> error_code {
            if (key != member) return simdjson::SUCCESS;
            found = true;
            return read_table(field, out);
        });
    if (result && (!found || result->table_name.empty())) return json_parse_error(what, simdjson::NO_SUCH_FIELD);
    return result;
}

}  // namespace dynamodb_wire

KINESIS_DECL Result<TableDescription> parse_describe_table(JsonParser& parser, const std::string& body) {
    return dynamodb_wire::parse_table_member(parser, body, "Table", "DescribeTable response");
}

KINESIS_DECL Result<TableDescription> parse_table_description(JsonParser& parser, const std::string& body) {
    return dynamodb_wire::parse_table_member(parser, body, "TableDescription", "DynamoDB table response");
}

KINESIS_DECL Result<GetItemResult> parse_get_item(JsonParser& parser, const std::string& body) {
    using namespace dynamodb_wire;
    return parse_object<GetItemResult>(parser, body, "GetItem response",
                                       [](GetItemResult& out, std::string_view key, value field) -> error_code {
                                           if (key == "Item") return read_item(field, out.item.emplace(), 0);
                                           return simdjson::SUCCESS;
                                       });
}

KINESIS_DECL Result<WriteItemResult> parse_write_item(JsonParser& parser, const std::string& body) {
    using namespace dynamodb_wire;
    return parse_object<WriteItemResult>(parser, body, "DynamoDB write response",
                                         [](WriteItemResult& out, std::string_view key, value field) -> error_code {
                                             if (key == "Attributes") {
                                                 return read_item(field, out.attributes.emplace(), 0);
                                             }
                                             return simdjson::SUCCESS;
                                         });
}

KINESIS_DECL Result<ScanResult> parse_scan(JsonParser& parser, const std::string& body) {
    using namespace dynamodb_wire;
    return parse_object<ScanResult>(parser, body, "Scan response",
                                    [](ScanResult& out, std::string_view key, value field) -> error_code {
                                        if (key == "Items") {
                                            return read_array(field, [&](value element) {
                                                return read_item(element, out.items.emplace_back(), 0);
                                            });
                                        }
                                        if (key == "Count") return read_int_or_null(field, out.count);
                                        if (key == "ScannedCount") return read_int_or_null(field, out.scanned_count);
                                        if (key == "LastEvaluatedKey") {
                                            return read_item(field, out.last_evaluated_key.emplace(), 0);
                                        }
                                        return simdjson::SUCCESS;
                                    });
}

KINESIS_DECL Result<ConditionalCheckFailure> parse_conditional_check_failure(JsonParser& parser,
                                                                            const std::string& body) {
    using namespace dynamodb_wire;
    return parse_object<ConditionalCheckFailure>(
        parser, body, "ConditionalCheckFailedException",
        [](ConditionalCheckFailure& out, std::string_view key, value field) -> error_code {
            if (key == "Item") return read_item(field, out.item.emplace(), 0);
            return simdjson::SUCCESS;
        });
}

}  // namespace kinesis::detail

#endif  // KINESIS_DYNAMODB_DETAIL_IMPL_WIRE_INL_HPP
