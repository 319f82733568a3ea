// SPDX-License-Identifier: Apache-2.0
// Definitions for consumer/lease_store.hpp.
#ifndef KINESIS_CONSUMER_IMPL_LEASE_STORE_INL_HPP
#define KINESIS_CONSUMER_IMPL_LEASE_STORE_INL_HPP

#include <kinesis/consumer/lease_store.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <utility>

namespace kinesis {

namespace detail {

// Attribute names, as DynamoDBLeaseSerializer spells them.
inline constexpr const char* lease_key_attr = "leaseKey";
inline constexpr const char* lease_owner_attr = "leaseOwner";
inline constexpr const char* lease_counter_attr = "leaseCounter";
inline constexpr const char* checkpoint_attr = "checkpoint";
inline constexpr const char* checkpoint_sub_attr = "checkpointSubSequenceNumber";
inline constexpr const char* owner_switches_attr = "ownerSwitchesSinceCheckpoint";
inline constexpr const char* parent_shard_id_attr = "parentShardId";
inline constexpr const char* child_shard_ids_attr = "childShardIds";
inline constexpr const char* starting_hash_key_attr = "startingHashKey";
inline constexpr const char* ending_hash_key_attr = "endingHashKey";
inline constexpr const char* pending_checkpoint_attr = "pendingCheckpoint";
inline constexpr const char* pending_checkpoint_sub_attr = "pendingCheckpointSubSequenceNumber";
inline constexpr const char* pending_checkpoint_state_attr = "pendingCheckpointState";
inline constexpr const char* throughput_kbps_attr = "throughputKBps";
inline constexpr const char* checkpoint_owner_attr = "checkpointOwner";
inline constexpr const char* entity_type_attr = "entityType";

inline std::string owner_text(const std::optional<std::string>& owner) {
    return owner ? "owner " + *owner : std::string("no owner");
}

inline std::string lease_state(const Lease& lease) {
    return fmt::format("counter {}, {}", lease.lease_counter, owner_text(lease.lease_owner));
}

// The LeaseLost error: what was expected, and what is there now when known.
inline Error lease_lost_error(std::string_view operation, const Lease& seen, const std::optional<Lease>& current,
                              const Error* cause = nullptr) {
    Error error;
    error.kind = ErrorKind::Service;
    error.code = std::string(lease_lost_code);
    std::string now;
    if (!current) {
        now = "the lease is gone or was not sent back";
    } else if (!current->is_lease()) {
        now = "the row is not a lease";
    } else {
        now = "found " + lease_state(*current);
    }
    error.message = fmt::format("{}: lease {} lost: expected {}; {}", operation, seen.lease_key, lease_state(seen), now);
    if (cause != nullptr) {
        error.http_status = cause->http_status;
        error.request_id = cause->request_id;
    }
    return error;
}

inline Result<void> check_writable(std::string_view operation, const Lease& seen, bool needs_owner) {
    if (seen.lease_key.empty()) return invalid_argument(fmt::format("{}: lease_key is empty", operation));
    if (!seen.is_lease()) {
        return invalid_argument(fmt::format("{}: row {} is not a lease (entityType {})", operation, seen.lease_key,
                                            *seen.entity_type));
    }
    if (needs_owner && !seen.lease_owner) {
        return invalid_argument(fmt::format("{}: lease {} has no owner", operation, seen.lease_key));
    }
    if (seen.lease_owner && seen.lease_owner->empty()) {
        return invalid_argument(fmt::format("{}: lease {} has an empty owner", operation, seen.lease_key));
    }
    return {};
}

inline bool is_decimal(std::string_view text) noexcept {
    return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

inline Result<void> check_checkpoint(const ExtendedSequenceNumber& checkpoint) {
    if (!checkpoint.is_sentinel() && !is_decimal(checkpoint.sequence_number)) {
        return invalid_argument(fmt::format(
            "checkpoint: sequence number \"{}\" is neither decimal digits nor TRIM_HORIZON, LATEST, AT_TIMESTAMP "
            "or SHARD_END",
            checkpoint.sequence_number));
    }
    return {};
}

// A set as DynamoDB keeps it: no duplicates, first occurrence order.
inline std::vector<std::string> unique_strings(const std::vector<std::string>& strings) {
    std::vector<std::string> out;
    for (const auto& s : strings) {
        if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    }
    return out;
}

inline Result<void> check_children(const std::vector<std::string>& children) {
    if (children.empty()) return invalid_argument("update_child_shards: child_shard_ids is empty");
    for (const auto& child : children) {
        if (child.empty()) return invalid_argument("update_child_shards: a child shard id is empty");
    }
    return {};
}

// Whether the lease in the store is still the one `seen` describes.
inline bool matches_seen(const Lease& stored, const Lease& seen) noexcept {
    return stored.is_lease() && stored.lease_counter == seen.lease_counter && stored.lease_owner == seen.lease_owner;
}

// take_lease's owner-switch rule (DynamoDBLeaseSerializer.getDynamoTakeLeaseUpdate).
inline bool take_switches_owner(const Lease& seen, const std::string& owner) {
    return (seen.lease_owner && *seen.lease_owner != owner) || (seen.checkpoint_owner && *seen.checkpoint_owner == owner);
}

inline std::string format_number(double value) { return fmt::format("{}", value); }

inline Error parse_error(const std::string& key, std::string message) {
    Error error;
    error.kind = ErrorKind::Parse;
    error.message = fmt::format("lease row {}: {}", key.empty() ? std::string("(no leaseKey)") : key, message);
    return error;
}

KINESIS_DECL std::string lease_seen_condition(const Lease& seen, ExpressionAttributeNames& names,
                                              ExpressionAttributeValues& values) {
    names["#counter"] = lease_counter_attr;
    names["#owner"] = lease_owner_attr;
    values[":seen_counter"] = AttributeValue::n(fmt::format("{}", seen.lease_counter));
    if (seen.lease_owner) {
        values[":seen_owner"] = AttributeValue::s(*seen.lease_owner);
        return "#counter = :seen_counter AND #owner = :seen_owner";
    }
    return "#counter = :seen_counter AND attribute_not_exists(#owner)";
}

}  // namespace detail

KINESIS_DECL bool is_lease_lost(const Error& error) noexcept {
    return error.kind == ErrorKind::Service && error.code == lease_lost_code;
}

// Serializer.

KINESIS_DECL Result<Item> lease_to_item(const Lease& lease) {
    using namespace detail;
    if (lease.lease_key.empty()) return invalid_argument("lease_to_item: lease_key is empty");
    if (!lease.is_lease()) {
        return invalid_argument(
            fmt::format("lease_to_item: row {} is not a lease (entityType {})", lease.lease_key, *lease.entity_type));
    }
    Item item;
    item[lease_key_attr] = AttributeValue::s(lease.lease_key);
    item[lease_counter_attr] = AttributeValue::n(fmt::format("{}", lease.lease_counter));
    if (lease.lease_owner) {
        if (lease.lease_owner->empty()) return invalid_argument("lease_to_item: lease_owner is empty");
        item[lease_owner_attr] = AttributeValue::s(*lease.lease_owner);
    }
    item[owner_switches_attr] = AttributeValue::n(fmt::format("{}", lease.owner_switches_since_checkpoint));
    if (!lease.checkpoint.sequence_number.empty()) {
        item[checkpoint_attr] = AttributeValue::s(lease.checkpoint.sequence_number);
        item[checkpoint_sub_attr] = AttributeValue::n(fmt::format("{}", lease.checkpoint.sub_sequence_number));
    }
    if (!lease.parent_shard_ids.empty()) {
        item[parent_shard_id_attr] = AttributeValue::ss(unique_strings(lease.parent_shard_ids));
    }
    if (!lease.child_shard_ids.empty()) {
        item[child_shard_ids_attr] = AttributeValue::ss(unique_strings(lease.child_shard_ids));
    }
    if (lease.hash_key_range) {
        if (!is_decimal(lease.hash_key_range->starting_hash_key) || !is_decimal(lease.hash_key_range->ending_hash_key)) {
            return invalid_argument(fmt::format("lease_to_item: lease {} has a hash key range that is not decimal",
                                                lease.lease_key));
        }
        item[starting_hash_key_attr] = AttributeValue::s(lease.hash_key_range->starting_hash_key);
        item[ending_hash_key_attr] = AttributeValue::s(lease.hash_key_range->ending_hash_key);
    }
    if (lease.pending_checkpoint && !lease.pending_checkpoint->sequence_number.empty()) {
        item[pending_checkpoint_attr] = AttributeValue::s(lease.pending_checkpoint->sequence_number);
        item[pending_checkpoint_sub_attr] =
            AttributeValue::n(fmt::format("{}", lease.pending_checkpoint->sub_sequence_number));
    }
    // The KCL's toDynamoRecord writes the checkpoint's sub-sequence number
    // here (an N), a slip; its updateLease and its reader use the bytes (B).
    if (lease.pending_checkpoint_state) {
        item[pending_checkpoint_state_attr] = AttributeValue::b(*lease.pending_checkpoint_state);
    }
    if (lease.throughput_kbps) item[throughput_kbps_attr] = AttributeValue::n(format_number(*lease.throughput_kbps));
    if (lease.checkpoint_owner) item[checkpoint_owner_attr] = AttributeValue::s(*lease.checkpoint_owner);
    if (lease.entity_type) item[entity_type_attr] = AttributeValue::s(*lease.entity_type);
    return item;
}

KINESIS_DECL Result<Lease> lease_from_item(const Item& item) {
    using namespace detail;
    Lease lease;
    std::string key;
    const auto find = [&item](const char* name) -> const AttributeValue* {
        const auto it = item.find(name);
        return it == item.end() ? nullptr : &it->second;
    };
    const auto wrong_type = [&key](const char* name, const AttributeValue& value, std::string_view expected) {
        return parse_error(key, fmt::format("{} is {}, not {}", name, to_string(value.type()), expected));
    };
    const AttributeValue* key_value = find(lease_key_attr);
    if (key_value == nullptr) return parse_error(key, "leaseKey is missing");
    if (key_value->as_s() == nullptr) return wrong_type(lease_key_attr, *key_value, "S");
    key = *key_value->as_s();
    lease.lease_key = key;

    if (const auto* v = find(entity_type_attr)) {
        if (v->as_s() == nullptr) return wrong_type(entity_type_attr, *v, "S");
        lease.entity_type = *v->as_s();
        if (!lease.is_lease()) return lease;
    }

    const auto string_of = [&](const char* name, std::optional<std::string>& out) -> Result<void> {
        if (const auto* v = find(name)) {
            if (v->as_s() == nullptr) return wrong_type(name, *v, "S");
            out = *v->as_s();
        }
        return {};
    };
    const auto count_of = [&](const char* name, std::uint64_t& out) -> Result<void> {
        if (const auto* v = find(name)) {
            if (v->as_n() == nullptr) return wrong_type(name, *v, "N");
            const auto number = v->as_int64();
            if (!number || *number < 0) {
                return parse_error(key, fmt::format("{} is {}, not a non-negative whole number", name, *v->as_n()));
            }
            out = static_cast<std::uint64_t>(*number);
        }
        return {};
    };
    const auto set_of = [&](const char* name, std::vector<std::string>& out) -> Result<void> {
        if (const auto* v = find(name)) {
            if (v->as_ss() == nullptr) return wrong_type(name, *v, "SS");
            out = *v->as_ss();
        }
        return {};
    };

    std::optional<std::string> text;
    if (auto r = string_of(lease_owner_attr, lease.lease_owner); !r) return r.error();
    if (auto r = count_of(lease_counter_attr, lease.lease_counter); !r) return r.error();
    if (auto r = count_of(owner_switches_attr, lease.owner_switches_since_checkpoint); !r) return r.error();
    if (auto r = string_of(checkpoint_attr, text); !r) return r.error();
    if (text) lease.checkpoint.sequence_number = *text;
    if (auto r = count_of(checkpoint_sub_attr, lease.checkpoint.sub_sequence_number); !r) return r.error();
    if (auto r = set_of(parent_shard_id_attr, lease.parent_shard_ids); !r) return r.error();
    if (auto r = set_of(child_shard_ids_attr, lease.child_shard_ids); !r) return r.error();

    text.reset();
    if (auto r = string_of(pending_checkpoint_attr, text); !r) return r.error();
    if (text && !text->empty()) {
        ExtendedSequenceNumber pending{*text, 0};
        if (auto r = count_of(pending_checkpoint_sub_attr, pending.sub_sequence_number); !r) return r.error();
        lease.pending_checkpoint = pending;
    }
    if (const auto* v = find(pending_checkpoint_state_attr)) {
        if (v->as_b() == nullptr) return wrong_type(pending_checkpoint_state_attr, *v, "B");
        lease.pending_checkpoint_state = *v->as_b();
    }

    std::optional<std::string> starting;
    std::optional<std::string> ending;
    if (auto r = string_of(starting_hash_key_attr, starting); !r) return r.error();
    if (auto r = string_of(ending_hash_key_attr, ending); !r) return r.error();
    if (starting && ending && !starting->empty() && !ending->empty()) {
        lease.hash_key_range = LeaseHashKeyRange{*starting, *ending};
    }

    if (const auto* v = find(throughput_kbps_attr)) {
        if (v->as_n() == nullptr) return wrong_type(throughput_kbps_attr, *v, "N");
        errno = 0;
        char* end = nullptr;
        const double number = std::strtod(v->as_n()->c_str(), &end);
        if (errno != 0 || end == v->as_n()->c_str() || *end != '\0') {
            return parse_error(key, fmt::format("throughputKBps is {}, not a number", *v->as_n()));
        }
        lease.throughput_kbps = number;
    }
    if (auto r = string_of(checkpoint_owner_attr, lease.checkpoint_owner); !r) return r.error();
    return lease;
}

// In memory.

KINESIS_DECL Result<void> InMemoryLeaseStore::ensure_table() { return {}; }

KINESIS_DECL Result<std::vector<Lease>> InMemoryLeaseStore::list_leases() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<Lease> out;
    out.reserve(leases_.size());
    for (const auto& entry : leases_) out.push_back(entry.second);
    return out;
}

KINESIS_DECL Result<bool> InMemoryLeaseStore::create_lease_if_absent(const Lease& lease) {
    // The same checks as the table's serializer, so both stores refuse the same leases.
    auto item = lease_to_item(lease);
    if (!item) return item.error();
    auto stored = lease_from_item(*item);
    if (!stored) return stored.error();
    std::lock_guard<std::mutex> lock(mutex_);
    return leases_.emplace(lease.lease_key, std::move(*stored)).second;
}

namespace detail {

// Applies `change` to the stored lease if it is still as `seen`; else LeaseLost.
template <class Change>
Result<Lease> in_memory_update(std::mutex& mutex, std::map<std::string, Lease>& leases, std::string_view operation,
                               const Lease& seen, LeaseLost* lost, Change change) {
    std::lock_guard<std::mutex> lock(mutex);
    const auto it = leases.find(seen.lease_key);
    if (it == leases.end()) return lease_lost_error(operation, seen, std::nullopt);
    if (!matches_seen(it->second, seen)) {
        if (lost != nullptr) lost->current = it->second;
        return lease_lost_error(operation, seen, it->second);
    }
    change(it->second);
    ++it->second.lease_counter;
    return it->second;
}

}  // namespace detail

KINESIS_DECL Result<Lease> InMemoryLeaseStore::renew_lease(const Lease& seen, LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("renew_lease", seen, true); !ok) return ok.error();
    return detail::in_memory_update(mutex_, leases_, "renew_lease", seen, lost, [](Lease&) {});
}

KINESIS_DECL Result<Lease> InMemoryLeaseStore::take_lease(const Lease& seen, const std::string& owner,
                                                          LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("take_lease", seen, false); !ok) return ok.error();
    if (owner.empty()) return invalid_argument("take_lease: owner is empty");
    return detail::in_memory_update(mutex_, leases_, "take_lease", seen, lost, [&](Lease& lease) {
        // Judged on the row as stored, which equals `seen` in counter and owner.
        if (detail::take_switches_owner(lease, owner)) ++lease.owner_switches_since_checkpoint;
        lease.lease_owner = owner;
        lease.checkpoint_owner.reset();
    });
}

KINESIS_DECL Result<Lease> InMemoryLeaseStore::evict_lease(const Lease& seen, LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("evict_lease", seen, true); !ok) return ok.error();
    return detail::in_memory_update(mutex_, leases_, "evict_lease", seen, lost, [](Lease& lease) {
        lease.lease_owner.reset();
        lease.checkpoint_owner.reset();
    });
}

KINESIS_DECL Result<Lease> InMemoryLeaseStore::checkpoint(const Lease& seen, const ExtendedSequenceNumber& checkpoint,
                                                          LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("checkpoint", seen, true); !ok) return ok.error();
    if (auto ok = detail::check_checkpoint(checkpoint); !ok) return ok.error();
    return detail::in_memory_update(mutex_, leases_, "checkpoint", seen, lost, [&](Lease& lease) {
        lease.checkpoint = checkpoint;
        lease.owner_switches_since_checkpoint = 0;
        lease.pending_checkpoint.reset();
        lease.pending_checkpoint_state.reset();
    });
}

KINESIS_DECL Result<Lease> InMemoryLeaseStore::update_child_shards(const Lease& seen,
                                                                   const std::vector<std::string>& child_shard_ids,
                                                                   LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("update_child_shards", seen, false); !ok) return ok.error();
    if (auto ok = detail::check_children(child_shard_ids); !ok) return ok.error();
    return detail::in_memory_update(mutex_, leases_, "update_child_shards", seen, lost, [&](Lease& lease) {
        lease.child_shard_ids = detail::unique_strings(child_shard_ids);
    });
}

KINESIS_DECL Result<void> InMemoryLeaseStore::delete_lease(const Lease& seen, LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("delete_lease", seen, false); !ok) return ok.error();
    std::lock_guard<std::mutex> lock(mutex_);
    const auto it = leases_.find(seen.lease_key);
    if (it == leases_.end()) return detail::lease_lost_error("delete_lease", seen, std::nullopt);
    if (!detail::matches_seen(it->second, seen)) {
        if (lost != nullptr) lost->current = it->second;
        return detail::lease_lost_error("delete_lease", seen, it->second);
    }
    leases_.erase(it);
    return {};
}

// DynamoDB.

KINESIS_DECL DynamoDbLeaseStore::DynamoDbLeaseStore(DynamoDbClient client, std::string table_name,
                                                    WaiterConfig table_waiter)
    : client_(std::move(client)), table_name_(std::move(table_name)), table_waiter_(table_waiter) {}

KINESIS_DECL Result<void> DynamoDbLeaseStore::ensure_table() {
    std::lock_guard<std::mutex> lock(mutex_);
    auto described = client_.describe_table(table_name_);
    if (!described && described.error().code != "ResourceNotFoundException") return described.error();
    if (!described) {
        CreateTableRequest request;
        request.table_name = table_name_;
        request.attribute_definitions = {{detail::lease_key_attr, ScalarAttributeType::S}};
        request.key_schema = {{detail::lease_key_attr, KeyType::Hash}};
        request.billing_mode = BillingMode::PayPerRequest;
        auto created = client_.create_table(request);
        // Another worker may have created it a moment ago: wait for that one.
        if (!created && created.error().code != "ResourceInUseException") return created.error();
    } else if (described->table_status == TableStatus::Active) {
        return {};
    }
    auto active = client_.wait_until_table_exists(table_name_, table_waiter_);
    if (!active) return active.error();
    return {};
}

KINESIS_DECL Result<std::vector<Lease>> DynamoDbLeaseStore::list_leases() {
    ScanRequest scan;
    scan.table_name = table_name_;
    scan.consistent_read = true;
    std::unique_lock<std::mutex> lock(mutex_);
    auto items = client_.scan_all(scan);
    lock.unlock();
    if (!items) return items.error();
    std::vector<Lease> leases;
    leases.reserve(items->size());
    for (const Item& item : *items) {
        auto lease = lease_from_item(item);
        if (!lease) return lease.error();
        if (lease->is_lease()) leases.push_back(std::move(*lease));
    }
    return leases;
}

KINESIS_DECL Result<bool> DynamoDbLeaseStore::create_lease_if_absent(const Lease& lease) {
    auto item = lease_to_item(lease);
    if (!item) return item.error();
    PutItemRequest put;
    put.table_name = table_name_;
    put.item = std::move(*item);
    put.condition_expression = "attribute_not_exists(#key)";
    put.expression_attribute_names = {{"#key", detail::lease_key_attr}};
    std::lock_guard<std::mutex> lock(mutex_);
    auto written = client_.put_item(put);
    if (written) return true;
    if (is_conditional_check_failed(written.error())) return false;
    return written.error();
}

KINESIS_DECL Result<Lease> DynamoDbLeaseStore::update(std::string_view operation, const Lease& seen,
                                                      UpdateItemRequest request, LeaseLost* lost) {
    request.table_name = table_name_;
    request.key = {{detail::lease_key_attr, AttributeValue::s(seen.lease_key)}};
    request.condition_expression =
        detail::lease_seen_condition(seen, request.expression_attribute_names, request.expression_attribute_values);
    request.return_values = ReturnValue::AllNew;
    request.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::AllOld;
    ConditionalCheckFailure failure;
    std::unique_lock<std::mutex> lock(mutex_);
    auto updated = client_.update_item(request, &failure);
    lock.unlock();
    if (!updated) {
        if (!is_conditional_check_failed(updated.error())) return updated.error();
        std::optional<Lease> current;
        if (failure.item) {
            auto parsed = lease_from_item(*failure.item);
            if (parsed) current = std::move(*parsed);
        }
        if (lost != nullptr) lost->current = current;
        return detail::lease_lost_error(operation, seen, current, &updated.error());
    }
    if (!updated->attributes) {
        Error error;
        error.kind = ErrorKind::Parse;
        error.message = fmt::format("{}: lease {}: UpdateItem sent no attributes back", operation, seen.lease_key);
        return error;
    }
    return lease_from_item(*updated->attributes);
}

namespace detail {
inline UpdateItemRequest counter_increment() {
    UpdateItemRequest request;
    request.expression_attribute_names = {{"#counter", lease_counter_attr}};
    request.expression_attribute_values = {{":one", AttributeValue::n("1")}};
    return request;
}
}  // namespace detail

KINESIS_DECL Result<Lease> DynamoDbLeaseStore::renew_lease(const Lease& seen, LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("renew_lease", seen, true); !ok) return ok.error();
    auto request = detail::counter_increment();
    request.update_expression = "SET #counter = #counter + :one";
    return update("renew_lease", seen, std::move(request), lost);
}

KINESIS_DECL Result<Lease> DynamoDbLeaseStore::take_lease(const Lease& seen, const std::string& owner,
                                                          LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("take_lease", seen, false); !ok) return ok.error();
    if (owner.empty()) return invalid_argument("take_lease: owner is empty");
    auto request = detail::counter_increment();
    request.expression_attribute_names["#owner"] = detail::lease_owner_attr;
    request.expression_attribute_names["#checkpoint_owner"] = detail::checkpoint_owner_attr;
    request.expression_attribute_values[":owner"] = AttributeValue::s(owner);
    std::string expression = "SET #counter = #counter + :one, #owner = :owner";
    if (detail::take_switches_owner(seen, owner)) {
        request.expression_attribute_names["#switches"] = detail::owner_switches_attr;
        request.expression_attribute_values[":zero"] = AttributeValue::n("0");
        expression += ", #switches = if_not_exists(#switches, :zero) + :one";
    }
    request.update_expression = expression + " REMOVE #checkpoint_owner";
    return update("take_lease", seen, std::move(request), lost);
}

KINESIS_DECL Result<Lease> DynamoDbLeaseStore::evict_lease(const Lease& seen, LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("evict_lease", seen, true); !ok) return ok.error();
    auto request = detail::counter_increment();
    request.expression_attribute_names["#owner"] = detail::lease_owner_attr;
    request.expression_attribute_names["#checkpoint_owner"] = detail::checkpoint_owner_attr;
    request.update_expression = "SET #counter = #counter + :one REMOVE #owner, #checkpoint_owner";
    return update("evict_lease", seen, std::move(request), lost);
}

KINESIS_DECL Result<Lease> DynamoDbLeaseStore::checkpoint(const Lease& seen, const ExtendedSequenceNumber& checkpoint,
                                                          LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("checkpoint", seen, true); !ok) return ok.error();
    if (auto ok = detail::check_checkpoint(checkpoint); !ok) return ok.error();
    auto request = detail::counter_increment();
    auto& names = request.expression_attribute_names;
    auto& values = request.expression_attribute_values;
    names["#checkpoint"] = detail::checkpoint_attr;
    names["#sub"] = detail::checkpoint_sub_attr;
    names["#switches"] = detail::owner_switches_attr;
    names["#pending"] = detail::pending_checkpoint_attr;
    names["#pending_sub"] = detail::pending_checkpoint_sub_attr;
    names["#pending_state"] = detail::pending_checkpoint_state_attr;
    values[":checkpoint"] = AttributeValue::s(checkpoint.sequence_number);
    values[":sub"] = AttributeValue::n(fmt::format("{}", checkpoint.sub_sequence_number));
    values[":zero"] = AttributeValue::n("0");
    request.update_expression =
        "SET #counter = #counter + :one, #checkpoint = :checkpoint, #sub = :sub, #switches = :zero "
        "REMOVE #pending, #pending_sub, #pending_state";
    return update("checkpoint", seen, std::move(request), lost);
}

KINESIS_DECL Result<Lease> DynamoDbLeaseStore::update_child_shards(const Lease& seen,
                                                                   const std::vector<std::string>& child_shard_ids,
                                                                   LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("update_child_shards", seen, false); !ok) return ok.error();
    if (auto ok = detail::check_children(child_shard_ids); !ok) return ok.error();
    auto request = detail::counter_increment();
    request.expression_attribute_names["#children"] = detail::child_shard_ids_attr;
    request.expression_attribute_values[":children"] = AttributeValue::ss(detail::unique_strings(child_shard_ids));
    request.update_expression = "SET #counter = #counter + :one, #children = :children";
    return update("update_child_shards", seen, std::move(request), lost);
}

KINESIS_DECL Result<void> DynamoDbLeaseStore::delete_lease(const Lease& seen, LeaseLost* lost) {
    if (lost != nullptr) lost->current.reset();
    if (auto ok = detail::check_writable("delete_lease", seen, false); !ok) return ok.error();
    DeleteItemRequest request;
    request.table_name = table_name_;
    request.key = {{detail::lease_key_attr, AttributeValue::s(seen.lease_key)}};
    request.condition_expression =
        detail::lease_seen_condition(seen, request.expression_attribute_names, request.expression_attribute_values);
    request.return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::AllOld;
    ConditionalCheckFailure failure;
    std::unique_lock<std::mutex> lock(mutex_);
    auto deleted = client_.delete_item(request, &failure);
    lock.unlock();
    if (deleted) return {};
    if (!is_conditional_check_failed(deleted.error())) return deleted.error();
    std::optional<Lease> current;
    if (failure.item) {
        auto parsed = lease_from_item(*failure.item);
        if (parsed) current = std::move(*parsed);
    }
    if (lost != nullptr) lost->current = current;
    return detail::lease_lost_error("delete_lease", seen, current, &deleted.error());
}

}  // namespace kinesis

#endif  // KINESIS_CONSUMER_IMPL_LEASE_STORE_INL_HPP
