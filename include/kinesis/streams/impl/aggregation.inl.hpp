// SPDX-License-Identifier: Apache-2.0
// Definitions for streams/aggregation.hpp: the protobuf writer and reader for the two messages.
#ifndef KINESIS_STREAMS_IMPL_AGGREGATION_INL_HPP
#define KINESIS_STREAMS_IMPL_AGGREGATION_INL_HPP

#include <kinesis/streams/aggregation.hpp>

#include <kinesis/core/detail/crypto.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <utility>

namespace kinesis {

namespace detail::protobuf {

// Field tags, (field number << 3) | wire type. AggregatedRecord: 1, 2, 3 length-delimited;
// Record: 1, 2 varint, 3, 4 length-delimited; Tag: 1, 2 length-delimited.
constexpr char partition_key_table_tag = 0x0A;
constexpr char explicit_hash_key_table_tag = 0x12;
constexpr char records_tag = 0x1A;
constexpr char partition_key_index_tag = 0x08;
constexpr char explicit_hash_key_index_tag = 0x10;
constexpr char data_tag = 0x1A;

enum WireType : unsigned { Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5 };

constexpr std::size_t varint_size(std::uint64_t value) noexcept {
    std::size_t size = 1;
    while (value >= 0x80) {
        value >>= 7;
        ++size;
    }
    return size;
}

// Bytes a length-delimited field takes: tag, length, payload.
constexpr std::size_t field_size(std::size_t payload) noexcept { return 1 + varint_size(payload) + payload; }

// Writes `value` at `out`; returns the end. Room for 10 bytes is the caller's.
inline char* write_varint(char* out, std::uint64_t value) noexcept {
    while (value >= 0x80) {
        *out++ = static_cast<char>(static_cast<unsigned char>(value) | 0x80);
        value >>= 7;
    }
    *out++ = static_cast<char>(value);
    return out;
}

// The size of one Record message's body.
constexpr std::size_t record_body_size(std::size_t partition_key_index, bool has_explicit_hash_key,
                                       std::size_t explicit_hash_key_index, std::size_t data_size) noexcept {
    std::size_t size = 1 + varint_size(partition_key_index) + field_size(data_size);
    if (has_explicit_hash_key) size += 1 + varint_size(explicit_hash_key_index);
    return size;
}

// A cursor over protobuf bytes. Every read checks the end: a truncated or overlong
// varint, a length past the end or a group/reserved wire type makes it fail.
class Reader {
public:
    explicit Reader(std::string_view bytes) noexcept
        : at_(reinterpret_cast<const unsigned char*>(bytes.data())), end_(at_ + bytes.size()) {}

    [[nodiscard]] bool done() const noexcept { return at_ == end_; }

    // At most 10 bytes; the 10th may only carry the top bit of a 64-bit value.
    [[nodiscard]] bool varint(std::uint64_t& value) noexcept {
        value = 0;
        for (unsigned shift = 0; shift < 70; shift += 7) {
            if (at_ == end_) return false;
            const unsigned byte = *at_++;
            if (shift == 63 && byte > 1) return false;
            value |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
            if ((byte & 0x80) == 0) return true;
        }
        return false;
    }

    // A field's key: field numbers run 1..2^29-1.
    [[nodiscard]] bool key(std::uint32_t& field, unsigned& wire_type) noexcept {
        std::uint64_t tag = 0;
        if (!varint(tag) || tag > 0xFFFFFFFFu) return false;
        field = static_cast<std::uint32_t>(tag >> 3);
        wire_type = static_cast<unsigned>(tag & 7);
        return field != 0;
    }

    [[nodiscard]] bool bytes(std::string_view& value) noexcept {
        std::uint64_t length = 0;
        if (!varint(length) || length > static_cast<std::uint64_t>(end_ - at_)) return false;
        value = std::string_view(reinterpret_cast<const char*>(at_), static_cast<std::size_t>(length));
        at_ += length;
        return true;
    }

    // Skips a field's value; only the four wire types proto2 still writes are valid.
    [[nodiscard]] bool skip(unsigned wire_type) noexcept {
        switch (wire_type) {
            case Varint: {
                std::uint64_t ignored = 0;
                return varint(ignored);
            }
            case Fixed64: return advance(8);
            case LengthDelimited: {
                std::string_view ignored;
                return bytes(ignored);
            }
            case Fixed32: return advance(4);
            default: return false;  // 3 and 4 (groups, gone in proto3 and never in these messages), 6, 7
        }
    }

private:
    [[nodiscard]] bool advance(std::size_t n) noexcept {
        if (static_cast<std::size_t>(end_ - at_) < n) return false;
        at_ += n;
        return true;
    }

    const unsigned char* at_;
    const unsigned char* end_;
};

struct ParsedRecord {
    std::uint64_t partition_key_index = 0;
    std::optional<std::uint64_t> explicit_hash_key_index;
    std::string_view data;
};

struct ParsedAggregate {
    std::vector<std::string_view> partition_keys;
    std::vector<std::string_view> explicit_hash_keys;
    std::vector<ParsedRecord> records;
};

// A known field number with another wire type is an unknown field, as protobuf's own
// parsers treat it; proto2 "required" is enforced (Tag.key, Record's index and data).
inline bool parse_tag(std::string_view bytes) noexcept {
    Reader reader(bytes);
    bool has_key = false;
    while (!reader.done()) {
        std::uint32_t field = 0;
        unsigned wire_type = 0;
        if (!reader.key(field, wire_type)) return false;
        if (field == 1 && wire_type == LengthDelimited) has_key = true;
        if (!reader.skip(wire_type)) return false;
    }
    return has_key;
}

inline bool parse_record(std::string_view bytes, ParsedRecord& record) noexcept {
    Reader reader(bytes);
    bool has_partition_key_index = false;
    bool has_data = false;
    while (!reader.done()) {
        std::uint32_t field = 0;
        unsigned wire_type = 0;
        if (!reader.key(field, wire_type)) return false;
        if (field == 1 && wire_type == Varint) {
            if (!reader.varint(record.partition_key_index)) return false;
            has_partition_key_index = true;
        } else if (field == 2 && wire_type == Varint) {
            std::uint64_t index = 0;
            if (!reader.varint(index)) return false;
            record.explicit_hash_key_index = index;
        } else if (field == 3 && wire_type == LengthDelimited) {
            if (!reader.bytes(record.data)) return false;
            has_data = true;
        } else if (field == 4 && wire_type == LengthDelimited) {
            std::string_view tag;
            if (!reader.bytes(tag) || !parse_tag(tag)) return false;
        } else if (!reader.skip(wire_type)) {
            return false;
        }
    }
    return has_partition_key_index && has_data;
}

// Parses the protobuf part and checks every index against its table; `out` is
// complete only when this returns true.
inline bool parse_aggregate(std::string_view bytes, ParsedAggregate& out) {
    Reader reader(bytes);
    while (!reader.done()) {
        std::uint32_t field = 0;
        unsigned wire_type = 0;
        if (!reader.key(field, wire_type)) return false;
        if (wire_type == LengthDelimited && field >= 1 && field <= 3) {
            std::string_view value;
            if (!reader.bytes(value)) return false;
            if (field == 1) {
                out.partition_keys.push_back(value);
            } else if (field == 2) {
                out.explicit_hash_keys.push_back(value);
            } else {
                ParsedRecord record;
                if (!parse_record(value, record)) return false;
                out.records.push_back(record);
            }
        } else if (!reader.skip(wire_type)) {
            return false;
        }
    }
    // The tables may come after the records on the wire, so indexes are checked at the end.
    for (const auto& record : out.records) {
        if (record.partition_key_index >= out.partition_keys.size()) return false;
        if (record.explicit_hash_key_index && *record.explicit_hash_key_index >= out.explicit_hash_keys.size()) {
            return false;
        }
    }
    return true;
}

// The protobuf part of `data` when it is an aggregate with a matching MD5, parsed into `out`.
inline bool read_aggregate(std::string_view data, ParsedAggregate& out) {
    // Exactly 20 bytes is the aggregate of no records: the MD5 decides, as for any other.
    if (data.size() < aggregated_record_overhead || data.substr(0, 4) != aggregated_record_magic) return false;
    const std::string_view body = data.substr(4, data.size() - aggregated_record_overhead);
    const Md5Digest digest = md5(body);
    if (std::memcmp(digest.data(), data.data() + data.size() - digest.size(), digest.size()) != 0) return false;
    return parse_aggregate(body, out);
}

inline void deaggregate_into(std::string_view data, std::string_view partition_key,
                             const std::string* sequence_number, const std::optional<Timestamp>& arrival,
                             std::vector<UserRecord>& out) {
    ParsedAggregate parsed;
    if (!read_aggregate(data, parsed)) {
        UserRecord& plain = out.emplace_back();
        plain.data.assign(data);
        plain.partition_key.assign(partition_key);
        if (sequence_number != nullptr) plain.sequence_number = *sequence_number;
        plain.approximate_arrival_timestamp = arrival;
        return;
    }
    out.reserve(out.size() + parsed.records.size());
    std::uint64_t sub_sequence_number = 0;
    for (const auto& record : parsed.records) {
        UserRecord& user = out.emplace_back();
        user.data.assign(record.data);
        user.partition_key.assign(parsed.partition_keys[static_cast<std::size_t>(record.partition_key_index)]);
        if (record.explicit_hash_key_index) {
            user.explicit_hash_key.emplace(
                parsed.explicit_hash_keys[static_cast<std::size_t>(*record.explicit_hash_key_index)]);
        }
        if (sequence_number != nullptr) user.sequence_number = *sequence_number;
        user.sub_sequence_number = sub_sequence_number++;
        user.aggregated = true;
        user.approximate_arrival_timestamp = arrival;
    }
}

}  // namespace detail::protobuf

KINESIS_DECL std::size_t Aggregator::KeyTable::find(std::string_view key, std::size_t hash) const noexcept {
    if (slots.empty()) return npos;
    const std::size_t mask = slots.size() - 1;
    for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
        const std::uint32_t slot = slots[i];
        if (slot == 0) return npos;
        const Entry& entry = entries[slot - 1];
        if (entry.hash == hash && entry.size == key.size() &&
            std::memcmp(encoded.data() + entry.offset, key.data(), key.size()) == 0) {
            return slot - 1;
        }
    }
}

KINESIS_DECL void Aggregator::KeyTable::grow() {
    // Load at most one half: probes stay short.
    const std::size_t size = slots.empty() ? 64 : slots.size() * 2;
    slots.assign(size, 0);
    const std::size_t mask = size - 1;
    for (std::size_t index = 0; index < entries.size(); ++index) {
        std::size_t i = entries[index].hash & mask;
        while (slots[i] != 0) i = (i + 1) & mask;
        slots[i] = static_cast<std::uint32_t>(index + 1);
    }
}

KINESIS_DECL std::size_t Aggregator::KeyTable::lookup(std::string_view key, std::size_t& hash) const noexcept {
    if (last != npos && key == this->key(last)) return last;
    hash = std::hash<std::string_view>{}(key);
    return find(key, hash);
}

KINESIS_DECL std::size_t Aggregator::KeyTable::insert(std::string_view key, std::size_t hash, char tag) {
    if ((entries.size() + 1) * 2 > slots.size()) grow();
    const std::size_t index = entries.size();
    char header[11];
    header[0] = tag;
    char* end = detail::protobuf::write_varint(header + 1, key.size());
    encoded.append(header, static_cast<std::size_t>(end - header));
    entries.push_back(Entry{encoded.size(), key.size(), hash});
    encoded.append(key);
    const std::size_t mask = slots.size() - 1;
    std::size_t i = hash & mask;
    while (slots[i] != 0) i = (i + 1) & mask;
    slots[i] = static_cast<std::uint32_t>(index + 1);
    return index;
}

KINESIS_DECL std::size_t Aggregator::KeyTable::find_or_add(std::string_view key, char tag) {
    std::size_t hash = 0;
    std::size_t index = lookup(key, hash);
    if (index == npos) index = insert(key, hash, tag);
    last = index;
    return index;
}

KINESIS_DECL void Aggregator::KeyTable::clear() noexcept {
    if (!entries.empty()) std::fill(slots.begin(), slots.end(), 0u);
    encoded.clear();
    entries.clear();
    last = npos;
}

KINESIS_DECL std::size_t Aggregator::size_if_added(std::string_view partition_key,
                                                   std::optional<std::string_view> explicit_hash_key,
                                                   std::size_t data_size) const {
    using namespace detail::protobuf;
    std::size_t added = 0;
    const auto index_of = [&added](const KeyTable& table, std::string_view key) {
        std::size_t hash = 0;
        const std::size_t index = table.lookup(key, hash);
        if (index != KeyTable::npos) return index;
        added += field_size(key.size());
        return table.entries.size();
    };
    const std::size_t partition_key_index = index_of(partition_keys_, partition_key);
    const std::size_t explicit_hash_key_index =
        explicit_hash_key ? index_of(explicit_hash_keys_, *explicit_hash_key) : 0;
    added += field_size(
        record_body_size(partition_key_index, explicit_hash_key.has_value(), explicit_hash_key_index, data_size));
    return size() + added;
}

KINESIS_DECL void Aggregator::add(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key,
                                  std::string_view data) {
    using namespace detail::protobuf;
    const std::size_t partition_key_index = partition_keys_.find_or_add(partition_key, partition_key_table_tag);
    std::optional<std::size_t> explicit_hash_key_index;
    if (explicit_hash_key) {
        explicit_hash_key_index = explicit_hash_keys_.find_or_add(*explicit_hash_key, explicit_hash_key_table_tag);
    }
    append_record(partition_key_index, explicit_hash_key_index, data);
}

KINESIS_DECL bool Aggregator::add_if_fits(std::string_view partition_key,
                                          std::optional<std::string_view> explicit_hash_key, std::string_view data,
                                          std::size_t max_size) {
    using namespace detail::protobuf;
    std::size_t added = 0;
    std::size_t partition_key_hash = 0;
    std::size_t partition_key_index = partition_keys_.lookup(partition_key, partition_key_hash);
    const bool new_partition_key = partition_key_index == KeyTable::npos;
    if (new_partition_key) {
        added += field_size(partition_key.size());
        partition_key_index = partition_keys_.entries.size();
    }
    std::size_t explicit_hash_key_hash = 0;
    std::size_t explicit_hash_key_index = 0;
    bool new_explicit_hash_key = false;
    if (explicit_hash_key) {
        explicit_hash_key_index = explicit_hash_keys_.lookup(*explicit_hash_key, explicit_hash_key_hash);
        new_explicit_hash_key = explicit_hash_key_index == KeyTable::npos;
        if (new_explicit_hash_key) {
            added += field_size(explicit_hash_key->size());
            explicit_hash_key_index = explicit_hash_keys_.entries.size();
        }
    }
    added += field_size(
        record_body_size(partition_key_index, explicit_hash_key.has_value(), explicit_hash_key_index, data.size()));
    if (size() + added > max_size) return false;
    if (new_partition_key) partition_keys_.insert(partition_key, partition_key_hash, partition_key_table_tag);
    partition_keys_.last = partition_key_index;
    std::optional<std::size_t> ehk_index;
    if (explicit_hash_key) {
        if (new_explicit_hash_key) {
            explicit_hash_keys_.insert(*explicit_hash_key, explicit_hash_key_hash, explicit_hash_key_table_tag);
        }
        explicit_hash_keys_.last = explicit_hash_key_index;
        ehk_index = explicit_hash_key_index;
    }
    append_record(partition_key_index, ehk_index, data);
    return true;
}

KINESIS_DECL void Aggregator::append_record(std::size_t partition_key_index,
                                            std::optional<std::size_t> explicit_hash_key_index,
                                            std::string_view data) {
    using namespace detail::protobuf;
    if (explicit_hash_key_index && count_ == 0) first_explicit_hash_key_ = *explicit_hash_key_index;
    // Everything before the data: at most 1 + 10 + 1 + 10 + 1 + 10 + 1 + 10 bytes.
    char header[48];
    char* at = header;
    *at++ = records_tag;
    at = write_varint(at, record_body_size(partition_key_index, explicit_hash_key_index.has_value(),
                                           explicit_hash_key_index.value_or(0), data.size()));
    *at++ = partition_key_index_tag;
    at = write_varint(at, partition_key_index);
    if (explicit_hash_key_index) {
        *at++ = explicit_hash_key_index_tag;
        at = write_varint(at, *explicit_hash_key_index);
    }
    *at++ = data_tag;
    at = write_varint(at, data.size());
    records_.append(header, static_cast<std::size_t>(at - header));
    records_.append(data);
    ++count_;
}

KINESIS_DECL std::string_view Aggregator::first_partition_key() const noexcept {
    // Tables are in first-use order: entry 0 is the first record's key.
    return partition_keys_.entries.empty() ? std::string_view() : partition_keys_.key(0);
}

KINESIS_DECL std::optional<std::string_view> Aggregator::first_explicit_hash_key() const noexcept {
    if (!first_explicit_hash_key_) return std::nullopt;
    return explicit_hash_keys_.key(*first_explicit_hash_key_);
}

KINESIS_DECL void Aggregator::finish(std::string& out) {
    out.clear();
    out.reserve(size());
    out.append(aggregated_record_magic);
    // The byte-exact order: the partition key table, the explicit hash key table, the records.
    out.append(partition_keys_.encoded);
    out.append(explicit_hash_keys_.encoded);
    out.append(records_);
    const detail::Md5Digest digest = detail::md5(std::string_view(out).substr(aggregated_record_magic.size()));
    out.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    clear();
}

KINESIS_DECL std::string Aggregator::finish() {
    std::string out;
    finish(out);
    return out;
}

KINESIS_DECL void Aggregator::clear() noexcept {
    partition_keys_.clear();
    explicit_hash_keys_.clear();
    records_.clear();
    count_ = 0;
    first_explicit_hash_key_.reset();
}

KINESIS_DECL void deaggregate(std::string_view data, std::string_view partition_key, std::vector<UserRecord>& out) {
    detail::protobuf::deaggregate_into(data, partition_key, nullptr, std::nullopt, out);
}

KINESIS_DECL void deaggregate(const Record& record, std::vector<UserRecord>& out) {
    detail::protobuf::deaggregate_into(record.data, record.partition_key, &record.sequence_number,
                                       record.approximate_arrival_timestamp, out);
}

KINESIS_DECL std::vector<UserRecord> deaggregate(const Record& record) {
    std::vector<UserRecord> out;
    deaggregate(record, out);
    return out;
}

KINESIS_DECL bool is_aggregated(std::string_view data) {
    detail::protobuf::ParsedAggregate parsed;
    return detail::protobuf::read_aggregate(data, parsed);
}

}  // namespace kinesis

#endif  // KINESIS_STREAMS_IMPL_AGGREGATION_INL_HPP
