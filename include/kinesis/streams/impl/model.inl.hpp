// SPDX-License-Identifier: Apache-2.0
// Definitions for streams/model.hpp.
#ifndef KINESIS_STREAMS_IMPL_MODEL_INL_HPP
#define KINESIS_STREAMS_IMPL_MODEL_INL_HPP

#include <kinesis/streams/model.hpp>

#include <utility>

namespace kinesis {

KINESIS_DECL std::string_view to_string(StreamStatus value) noexcept {
    switch (value) {
        case StreamStatus::Creating: return "CREATING";
        case StreamStatus::Deleting: return "DELETING";
        case StreamStatus::Active: return "ACTIVE";
        case StreamStatus::Updating: return "UPDATING";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(StreamMode value) noexcept {
    switch (value) {
        case StreamMode::Provisioned: return "PROVISIONED";
        case StreamMode::OnDemand: return "ON_DEMAND";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(EncryptionType value) noexcept {
    switch (value) {
        case EncryptionType::None: return "NONE";
        case EncryptionType::Kms: return "KMS";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(ShardIteratorType value) noexcept {
    switch (value) {
        case ShardIteratorType::AtSequenceNumber: return "AT_SEQUENCE_NUMBER";
        case ShardIteratorType::AfterSequenceNumber: return "AFTER_SEQUENCE_NUMBER";
        case ShardIteratorType::TrimHorizon: return "TRIM_HORIZON";
        case ShardIteratorType::Latest: return "LATEST";
        case ShardIteratorType::AtTimestamp: return "AT_TIMESTAMP";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(ShardFilterType value) noexcept {
    switch (value) {
        case ShardFilterType::AfterShardId: return "AFTER_SHARD_ID";
        case ShardFilterType::AtTrimHorizon: return "AT_TRIM_HORIZON";
        case ShardFilterType::FromTrimHorizon: return "FROM_TRIM_HORIZON";
        case ShardFilterType::AtLatest: return "AT_LATEST";
        case ShardFilterType::AtTimestamp: return "AT_TIMESTAMP";
        case ShardFilterType::FromTimestamp: return "FROM_TIMESTAMP";
    }
    return "UNKNOWN";
}

KINESIS_DECL std::string_view to_string(ConsumerStatus value) noexcept {
    switch (value) {
        case ConsumerStatus::Creating: return "CREATING";
        case ConsumerStatus::Deleting: return "DELETING";
        case ConsumerStatus::Active: return "ACTIVE";
    }
    return "UNKNOWN";
}

KINESIS_DECL StreamRef::StreamRef(std::string name_or_arn) {
    if (name_or_arn.rfind("arn:", 0) == 0) {
        arn = std::move(name_or_arn);
    } else {
        name = std::move(name_or_arn);
    }
}

KINESIS_DECL StreamRef::StreamRef(const char* name_or_arn)
    : StreamRef(std::string(name_or_arn == nullptr ? "" : name_or_arn)) {}

KINESIS_DECL StreamRef::StreamRef(std::string_view name_or_arn) : StreamRef(std::string(name_or_arn)) {}

KINESIS_DECL int compare_sequence_numbers(std::string_view a, std::string_view b) noexcept {
    // Leading zeros do not occur on the wire, but a caller's string might carry them.
    while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
    while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    const int order = a.compare(b);
    return order < 0 ? -1 : (order > 0 ? 1 : 0);
}

}  // namespace kinesis

#endif  // KINESIS_STREAMS_IMPL_MODEL_INL_HPP
