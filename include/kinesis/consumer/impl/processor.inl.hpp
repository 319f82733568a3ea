// SPDX-License-Identifier: Apache-2.0
// Definitions for consumer/processor.hpp (the checkpointer's own are in consumer.inl.hpp, beside the worker).
#ifndef KINESIS_CONSUMER_IMPL_PROCESSOR_INL_HPP
#define KINESIS_CONSUMER_IMPL_PROCESSOR_INL_HPP

#include <kinesis/consumer/processor.hpp>

#include <fmt/core.h>

namespace kinesis {
namespace detail {

KINESIS_DECL bool is_decimal_sequence_number(std::string_view text) noexcept {
    if (text.empty() || text.size() > 128) return false;
    if (text.size() > 1 && text.front() == '0') return false;
    for (const char c : text) {
        if (c < '0' || c > '9') return false;
    }
    return true;
}

KINESIS_DECL int compare_sequence_numbers(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
    const int c = a.compare(b);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

KINESIS_DECL int compare(const ExtendedSequenceNumber& a, const ExtendedSequenceNumber& b) noexcept {
    if (const int c = compare_sequence_numbers(a.sequence_number, b.sequence_number); c != 0) return c;
    if (a.sub_sequence_number == b.sub_sequence_number) return 0;
    return a.sub_sequence_number < b.sub_sequence_number ? -1 : 1;
}

namespace {
std::string describe(const ExtendedSequenceNumber& at) {
    return fmt::format("{} (sub-sequence {})", at.sequence_number, at.sub_sequence_number);
}
}  // namespace

KINESIS_DECL Result<void> check_checkpoint(const ExtendedSequenceNumber& at,
                                          const ExtendedSequenceNumber& last_checkpoint,
                                          const std::optional<ExtendedSequenceNumber>& largest_permitted) {
    if (at.is_shard_end()) {
        if (largest_permitted && largest_permitted->is_shard_end()) return {};
        return invalid_argument("checkpoint: SHARD_END is allowed only in shard_ended(), once the shard is read "
                                "to its end");
    }
    if (!is_decimal_sequence_number(at.sequence_number)) {
        return invalid_argument(fmt::format(
            "checkpoint: sequence number must be 1-128 decimal digits or SHARD_END, got {} characters",
            at.sequence_number.size()));
    }
    if (!largest_permitted) {
        return invalid_argument(
            fmt::format("checkpoint: {} is after the last delivered record (none delivered yet)", describe(at)));
    }
    if (!largest_permitted->is_shard_end() && compare(at, *largest_permitted) > 0) {
        return invalid_argument(fmt::format("checkpoint: {} is after the last delivered record {}", describe(at),
                                            describe(*largest_permitted)));
    }
    if (last_checkpoint.is_shard_end()) {
        return invalid_argument("checkpoint: the shard is already checkpointed at SHARD_END");
    }
    if (is_decimal_sequence_number(last_checkpoint.sequence_number) && compare(at, last_checkpoint) < 0) {
        return invalid_argument(fmt::format("checkpoint: {} is before the last checkpoint {}", describe(at),
                                            describe(last_checkpoint)));
    }
    return {};
}

}  // namespace detail
}  // namespace kinesis

#endif  // KINESIS_CONSUMER_IMPL_PROCESSOR_INL_HPP
