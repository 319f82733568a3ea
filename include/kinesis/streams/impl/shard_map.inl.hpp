// SPDX-License-Identifier: Apache-2.0
// Definitions for streams/shard_map.hpp.
#ifndef KINESIS_STREAMS_IMPL_SHARD_MAP_INL_HPP
#define KINESIS_STREAMS_IMPL_SHARD_MAP_INL_HPP

#include <kinesis/streams/shard_map.hpp>

#include <kinesis/core/detail/crypto.hpp>

#include <algorithm>
#include <numeric>
#include <utility>

namespace kinesis {

namespace detail::hash_key_impl {

constexpr std::uint64_t low32 = 0xffffffffu;

// value * 10 + digit, or false on overflow past 2^128 - 1. Done on 32-bit
// halves of the low word so nothing needs a compiler's 128-bit extension.
inline bool mul10_add(UInt128& value, unsigned digit) noexcept {
    const std::uint64_t p0 = (value.lo & low32) * 10 + digit;
    const std::uint64_t p1 = (value.lo >> 32) * 10 + (p0 >> 32);
    const std::uint64_t carry = p1 >> 32;
    if (value.hi > (~std::uint64_t{0} - carry) / 10) return false;
    value.hi = value.hi * 10 + carry;
    value.lo = (p1 << 32) | (p0 & low32);
    return true;
}

// value / 10 in place, returning the remainder; long division over 32-bit limbs.
inline unsigned divmod10(UInt128& value) noexcept {
    std::uint64_t limbs[4] = {value.hi >> 32, value.hi & low32, value.lo >> 32, value.lo & low32};
    std::uint64_t remainder = 0;
    for (auto& limb : limbs) {
        const std::uint64_t current = (remainder << 32) | limb;
        limb = current / 10;
        remainder = current % 10;
    }
    value.hi = (limbs[0] << 32) | limbs[1];
    value.lo = (limbs[2] << 32) | limbs[3];
    return static_cast<unsigned>(remainder);
}

inline Error bad_range(const Shard& shard) {
    Error error;
    error.kind = ErrorKind::Parse;
    error.message = "shard map: shard " + shard.shard_id + " has hash key range [" +
                    shard.hash_key_range.starting_hash_key + ", " + shard.hash_key_range.ending_hash_key +
                    "], which is not two decimal 128-bit values with start <= end";
    return error;
}

}  // namespace detail::hash_key_impl

KINESIS_DECL std::optional<UInt128> UInt128::from_decimal(std::string_view text) noexcept {
    // 2^128 - 1 has 39 digits; the API's pattern is 0|([1-9]\d{0,38}).
    if (text.empty() || text.size() > 39) return std::nullopt;
    if (text.size() > 1 && text.front() == '0') return std::nullopt;
    UInt128 value;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        if (!detail::hash_key_impl::mul10_add(value, static_cast<unsigned>(c - '0'))) return std::nullopt;
    }
    return value;
}

KINESIS_DECL std::string UInt128::to_decimal() const {
    char digits[40];
    std::size_t n = 0;
    UInt128 rest = *this;
    do {
        digits[n++] = static_cast<char>('0' + detail::hash_key_impl::divmod10(rest));
    } while (rest != UInt128{});
    std::string out(n, '0');
    for (std::size_t i = 0; i < n; ++i) out[i] = digits[n - 1 - i];
    return out;
}

KINESIS_DECL UInt128 partition_key_hash(std::string_view partition_key) {
    const detail::Md5Digest digest = detail::md5(partition_key);
    UInt128 value;
    for (std::size_t i = 0; i < 8; ++i) value.hi = (value.hi << 8) | digest[i];
    for (std::size_t i = 8; i < 16; ++i) value.lo = (value.lo << 8) | digest[i];
    return value;
}

KINESIS_DECL Result<ShardMap> ShardMap::from_shards(std::vector<Shard> shards) {
    shards.erase(std::remove_if(shards.begin(), shards.end(), [](const Shard& s) { return !s.is_open(); }),
                 shards.end());
    std::vector<Range> ranges;
    ranges.reserve(shards.size());
    for (const Shard& shard : shards) {
        auto start = UInt128::from_decimal(shard.hash_key_range.starting_hash_key);
        auto end = UInt128::from_decimal(shard.hash_key_range.ending_hash_key);
        if (!start || !end || *end < *start) return detail::hash_key_impl::bad_range(shard);
        ranges.push_back({*start, *end});
    }
    std::vector<std::size_t> order(shards.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(),
              [&](std::size_t a, std::size_t b) { return ranges[a].start < ranges[b].start; });
    ShardMap map;
    map.shards_.reserve(shards.size());
    map.ranges_.reserve(shards.size());
    for (const std::size_t i : order) {
        map.shards_.push_back(std::move(shards[i]));
        map.ranges_.push_back(ranges[i]);
    }
    return map;
}

KINESIS_DECL ShardMap::ShardMap(std::vector<Shard> shards) {
    *this = from_shards(std::move(shards)).value();
}

KINESIS_DECL const Shard* ShardMap::shard_for_hash_key(UInt128 hash_key) const noexcept {
    // The last range starting at or before the key is the only one that can hold it.
    auto after = std::upper_bound(ranges_.begin(), ranges_.end(), hash_key,
                                  [](const UInt128& key, const Range& range) { return key < range.start; });
    if (after == ranges_.begin()) return nullptr;
    const auto index = static_cast<std::size_t>(std::prev(after) - ranges_.begin());
    if (ranges_[index].end < hash_key) return nullptr;
    return &shards_[index];
}

KINESIS_DECL const Shard* ShardMap::shard_for_partition_key(std::string_view partition_key) const {
    return shard_for_hash_key(partition_key_hash(partition_key));
}

KINESIS_DECL const Shard* ShardMap::shard_for_partition_key(
    std::string_view partition_key, std::optional<std::string_view> explicit_hash_key) const {
    if (!explicit_hash_key) return shard_for_partition_key(partition_key);
    const auto hash_key = UInt128::from_decimal(*explicit_hash_key);
    return hash_key ? shard_for_hash_key(*hash_key) : nullptr;
}

}  // namespace kinesis

#endif  // KINESIS_STREAMS_IMPL_SHARD_MAP_INL_HPP
