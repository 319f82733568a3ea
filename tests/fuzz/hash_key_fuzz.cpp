// SPDX-License-Identifier: Apache-2.0
// Fuzzes hash-key and sequence-number text: UInt128 decimal round trip, the two sequence-number
// comparisons, the format checks and partition_key_hash; the first byte splits the input in two.
#include <kinesis/streams/shard_map.hpp>
#include <kinesis/streams/detail/wire.hpp>
#include <kinesis/streams/model.hpp>
#include <kinesis/consumer.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using kinesis_fuzz::require;

namespace {

bool all_digits(std::string_view text) {
    for (char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

void check_one(std::string_view text) {
    namespace d = kinesis::detail;
    const auto value = kinesis::UInt128::from_decimal(text);
    // from_decimal takes exactly the API's hash-key form, which is_hash_key checks.
    require(value.has_value() == d::is_hash_key(text));
    if (value) require(value->to_decimal() == text);

    const bool decimal = d::is_decimal_sequence_number(text);
    if (decimal) {
        require(!text.empty() && text.size() <= 128 && all_digits(text));
        require(text.size() == 1 || text.front() != '0');
        require(d::is_sequence_number(text));
    }
    require(kinesis::compare_sequence_numbers(text, text) == 0);
    require(d::compare_sequence_numbers(text, text) == 0);
    (void)kinesis::partition_key_hash(text);
}

int sign(int c) { return (c > 0) - (c < 0); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace d = kinesis::detail;
    kinesis_fuzz::FuzzInput input(data, size);
    const std::string a = input.text(160);
    const std::string b(input.rest());
    check_one(a);
    check_one(b);

    // Both comparisons are orders: antisymmetric, and agreeing on decimal numbers.
    const int ab = sign(kinesis::compare_sequence_numbers(a, b));
    require(ab == -sign(kinesis::compare_sequence_numbers(b, a)));
    const int dab = sign(d::compare_sequence_numbers(a, b));
    require(dab == -sign(d::compare_sequence_numbers(b, a)));
    if (d::is_decimal_sequence_number(a) && d::is_decimal_sequence_number(b)) {
        require(ab == dab);
        require((ab == 0) == (a == b));
    }
    const auto x = kinesis::UInt128::from_decimal(a);
    const auto y = kinesis::UInt128::from_decimal(b);
    if (x && y) require(sign(kinesis::compare_sequence_numbers(a, b)) == (*x < *y ? -1 : *y < *x ? 1 : 0));
    return 0;
}
