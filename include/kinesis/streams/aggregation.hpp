// SPDX-License-Identifier: Apache-2.0
// The KPL aggregated record: Aggregator (encoder), deaggregate() and is_aggregated() (decoder).
#ifndef KINESIS_STREAMS_AGGREGATION_HPP
#define KINESIS_STREAMS_AGGREGATION_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/time.hpp>
#include <kinesis/streams/model.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

/// The 4 bytes an aggregated record starts with.
inline constexpr std::string_view aggregated_record_magic{"\xF3\x89\x9A\xC2", 4};

/// Bytes an aggregate adds around its protobuf: the magic and the 16-byte MD5 trailer.
inline constexpr std::size_t aggregated_record_overhead = 4 + 16;

/// Builds one KPL aggregated record incrementally. Not thread-safe.
///
/// The bytes are what the KPL writes: the magic, an `AggregatedRecord` whose
/// partition-key and explicit-hash-key tables list each distinct key once in
/// first-use order, the `Record`s in the order added, then the MD5 of the
/// protobuf. Keys and data are written as given: checking them (a partition key
/// of 1-256 characters, an explicit hash key in decimal) and keeping the total
/// under the 1 MiB record limit (with size_if_added()) is the caller's job.
/// add() copies its arguments: nothing passed in has to outlive the call.
class Aggregator {
public:
    Aggregator() = default;

    /// Bytes of the aggregate (magic + protobuf + 16-byte MD5) if a record with these
    /// sizes and keys were added now (tables de-duplicated: a key already in a table costs nothing more).
    [[nodiscard]] KINESIS_DECL std::size_t size_if_added(std::string_view partition_key,
        std::optional<std::string_view> explicit_hash_key, std::size_t data_size) const;
    /// Appends one user record.
    KINESIS_DECL void add(std::string_view partition_key, std::optional<std::string_view> explicit_hash_key,
                          std::string_view data);
    /// Appends one user record if the aggregate stays at most `max_size` bytes with it, and
    /// says whether it did: size_if_added() and add() in one, each key looked up once.
    [[nodiscard]] KINESIS_DECL bool add_if_fits(std::string_view partition_key,
                                                std::optional<std::string_view> explicit_hash_key,
                                                std::string_view data, std::size_t max_size);

    /// Bytes finish() would give now.
    [[nodiscard]] std::size_t size() const noexcept {
        return aggregated_record_overhead + partition_keys_.encoded.size() + explicit_hash_keys_.encoded.size() +
               records_.size();
    }
    /// User records added.
    [[nodiscard]] std::size_t count() const noexcept { return count_; }
    [[nodiscard]] bool empty() const noexcept { return count_ == 0; }

    /// The first user record's partition key (the outer record's routing comes from it); empty when empty().
    [[nodiscard]] KINESIS_DECL std::string_view first_partition_key() const noexcept;
    /// The first user record's explicit hash key, if it had one.
    [[nodiscard]] KINESIS_DECL std::optional<std::string_view> first_explicit_hash_key() const noexcept;
    /// Distinct partition keys and explicit hash keys in the tables.
    [[nodiscard]] std::size_t partition_key_count() const noexcept { return partition_keys_.entries.size(); }
    [[nodiscard]] std::size_t explicit_hash_key_count() const noexcept {
        return explicit_hash_keys_.entries.size();
    }

    /// The aggregated bytes; resets the aggregator for reuse (keeps capacity).
    /// An empty aggregator gives the 20-byte aggregate of no records (valid; deaggregates to none).
    [[nodiscard]] KINESIS_DECL std::string finish();
    /// As finish(), into `out` (its contents replaced, its capacity reused).
    KINESIS_DECL void finish(std::string& out);
    /// Drops every record; keeps capacity.
    KINESIS_DECL void clear() noexcept;

private:
    // One key table: its protobuf bytes as they will be sent, and an open-addressing
    // index over them. Entries refer to keys by offset into `encoded`, so growing the
    // buffer moves nothing that a lookup holds.
    struct KeyTable {
        struct Entry {
            std::size_t offset = 0;  // of the key bytes in `encoded`
            std::size_t size = 0;
            std::size_t hash = 0;
        };
        static constexpr std::size_t npos = ~std::size_t{0};

        std::string encoded;               // (field tag, length, key) per entry, in first-use order
        std::vector<Entry> entries;        // index in the table = position here
        std::vector<std::uint32_t> slots;  // 0: free; else entry index + 1. Size a power of two.
        std::size_t last = npos;           // the entry found or added last: repeated keys skip the hash

        [[nodiscard]] std::string_view key(std::size_t index) const noexcept {
            return std::string_view(encoded).substr(entries[index].offset, entries[index].size);
        }
        [[nodiscard]] KINESIS_DECL std::size_t find(std::string_view key, std::size_t hash) const noexcept;
        // The index of `key`, added (with field tag `tag`) when it is new.
        KINESIS_DECL std::size_t find_or_add(std::string_view key, char tag);
        // The index of `key`, or npos with `hash` set for insert().
        [[nodiscard]] KINESIS_DECL std::size_t lookup(std::string_view key, std::size_t& hash) const noexcept;
        // Adds a key lookup() did not find; its index.
        KINESIS_DECL std::size_t insert(std::string_view key, std::size_t hash, char tag);
        KINESIS_DECL void grow();
        KINESIS_DECL void clear() noexcept;
    };

    KINESIS_DECL void append_record(std::size_t partition_key_index,
                                    std::optional<std::size_t> explicit_hash_key_index, std::string_view data);

    KeyTable partition_keys_;
    KeyTable explicit_hash_keys_;
    std::string records_;  // the `records` fields (tag, length, Record) in order
    std::size_t count_ = 0;
    std::optional<std::size_t> first_explicit_hash_key_;  // its table index
};

/// One user record read out of a Kinesis record.
struct UserRecord {
    std::string data;
    std::string partition_key;
    std::optional<std::string> explicit_hash_key;  ///< only when the aggregate's record had one
    std::string sequence_number;            ///< the Kinesis record's
    std::uint64_t sub_sequence_number = 0;  ///< 0..n-1 inside an aggregate; 0 for a plain record
    bool aggregated = false;
    std::optional<Timestamp> approximate_arrival_timestamp;
};

/// The user records a Kinesis record holds: the aggregate's records in order, or the record
/// itself when its data is not an aggregate (no magic, too short, bad MD5, bad protobuf).
///
/// A user record's explicit hash key comes from the aggregate's table only. The outer
/// record's ExplicitHashKey (the KPL sends the first user record's hash there, to route
/// the aggregate) says nothing about the others, and GetRecords does not return it, so it
/// is never copied into a user record; a plain record has none.
/// A valid aggregate of zero user records (20 bytes: magic + MD5 of an empty protobuf)
/// gives zero records, as the KCL and aws-kinesis-agg do: its bytes are well formed and
/// hold nothing, and a reader that counted it as one record would hand the application
/// 20 bytes no producer meant as data.
[[nodiscard]] KINESIS_DECL std::vector<UserRecord> deaggregate(const Record& record);
/// The same for raw bytes (outer partition key given); appends to `out`. The records get
/// no sequence number or arrival time.
KINESIS_DECL void deaggregate(std::string_view data, std::string_view partition_key, std::vector<UserRecord>& out);
/// As deaggregate(const Record&), appending to `out`.
KINESIS_DECL void deaggregate(const Record& record, std::vector<UserRecord>& out);
/// Whether bytes start with the magic and carry a matching MD5 and a well-formed protobuf.
[[nodiscard]] KINESIS_DECL bool is_aggregated(std::string_view data);

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/streams/impl/aggregation.inl.hpp>
#endif

#endif  // KINESIS_STREAMS_AGGREGATION_HPP
