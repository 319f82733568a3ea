// SPDX-License-Identifier: Apache-2.0
// 128-bit hash keys, the partition-key hash, and the map from hash key to open shard.
#ifndef KINESIS_STREAMS_SHARD_MAP_HPP
#define KINESIS_STREAMS_SHARD_MAP_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

/// An unsigned 128-bit integer: a Kinesis hash key. A plain value type;
/// the API writes it as a decimal string of up to 39 digits.
struct UInt128 {
    std::uint64_t hi = 0;
    std::uint64_t lo = 0;

    /// 2^128 - 1, the last hash key.
    [[nodiscard]] static constexpr UInt128 max() noexcept { return {~std::uint64_t{0}, ~std::uint64_t{0}}; }

    /// Parses the API's form `0|[1-9][0-9]{0,38}`; empty for anything else,
    /// including signs, spaces, leading zeros and values of 2^128 or more.
    [[nodiscard]] KINESIS_DECL static std::optional<UInt128> from_decimal(std::string_view text) noexcept;
    /// The decimal form, as the API writes it ("0" for zero, no leading zeros).
    [[nodiscard]] KINESIS_DECL std::string to_decimal() const;

    friend constexpr bool operator==(const UInt128& a, const UInt128& b) noexcept {
        return a.hi == b.hi && a.lo == b.lo;
    }
    friend constexpr bool operator!=(const UInt128& a, const UInt128& b) noexcept { return !(a == b); }
    friend constexpr bool operator<(const UInt128& a, const UInt128& b) noexcept {
        return a.hi != b.hi ? a.hi < b.hi : a.lo < b.lo;
    }
    friend constexpr bool operator>(const UInt128& a, const UInt128& b) noexcept { return b < a; }
    friend constexpr bool operator<=(const UInt128& a, const UInt128& b) noexcept { return !(b < a); }
    friend constexpr bool operator>=(const UInt128& a, const UInt128& b) noexcept { return !(a < b); }
};

/// The hash key Kinesis gives a partition key: the MD5 digest of its UTF-8
/// bytes read as a big-endian unsigned 128-bit integer. Thread-safe.
[[nodiscard]] KINESIS_DECL UInt128 partition_key_hash(std::string_view partition_key);

/// Which open shard holds a hash key: the open shards of a stream, sorted by
/// StartingHashKey, searched in O(log n). Closed shards (those with an
/// EndingSequenceNumber) are left out, since no new record goes to them.
/// An immutable value once built: const member functions are safe from any
/// number of threads at once.
class ShardMap {
public:
    /// An empty map: every lookup answers nullptr.
    ShardMap() = default;
    /// Keeps the open shards of `shards`; throws kinesis::Exception (Parse)
    /// when a shard's hash key range is not two decimal 128-bit values with
    /// start <= end. Use from_shards() to get the error as a value.
    KINESIS_DECL explicit ShardMap(std::vector<Shard> shards);
    /// As the constructor, with a bad hash key range as an error.
    [[nodiscard]] KINESIS_DECL static Result<ShardMap> from_shards(std::vector<Shard> shards);

    /// The open shard whose [StartingHashKey, EndingHashKey] holds `hash_key`,
    /// or nullptr when none does (a gap, or an empty map).
    [[nodiscard]] KINESIS_DECL const Shard* shard_for_hash_key(UInt128 hash_key) const noexcept;
    /// The shard a PutRecord with this partition key (and no ExplicitHashKey) goes to.
    [[nodiscard]] KINESIS_DECL const Shard* shard_for_partition_key(std::string_view partition_key) const;
    /// The shard a PutRecord goes to: the ExplicitHashKey when given (it
    /// overrides the partition key's hash), else the partition key's hash.
    /// nullptr when the explicit hash key is not a valid decimal 128-bit value.
    [[nodiscard]] KINESIS_DECL const Shard* shard_for_partition_key(
        std::string_view partition_key, std::optional<std::string_view> explicit_hash_key) const;

    /// The open shards, sorted by StartingHashKey.
    [[nodiscard]] const std::vector<Shard>& shards() const noexcept { return shards_; }
    [[nodiscard]] std::size_t size() const noexcept { return shards_.size(); }
    [[nodiscard]] bool empty() const noexcept { return shards_.empty(); }

private:
    struct Range {
        UInt128 start;
        UInt128 end;
    };
    std::vector<Shard> shards_;  // sorted by start; ranges_[i] belongs to shards_[i]
    std::vector<Range> ranges_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/streams/impl/shard_map.inl.hpp>
#endif

#endif  // KINESIS_STREAMS_SHARD_MAP_HPP
