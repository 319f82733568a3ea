// SPDX-License-Identifier: Apache-2.0
// Fuzzes the KPL aggregate decoder, and checks that what it decodes encodes back to the same records.
#include <kinesis/streams/aggregation.hpp>
#include <kinesis/core/detail/crypto.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

using kinesis_fuzz::require;

namespace {

std::string reencode(const std::vector<kinesis::UserRecord>& records) {
    kinesis::Aggregator aggregator;
    for (const auto& user : records) {
        std::optional<std::string_view> explicit_hash_key;
        if (user.explicit_hash_key) explicit_hash_key = *user.explicit_hash_key;
        aggregator.add(user.partition_key, explicit_hash_key, user.data);
    }
    return aggregator.finish();
}

bool same_records(const std::vector<kinesis::UserRecord>& a, const std::vector<kinesis::UserRecord>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].data != b[i].data || a[i].partition_key != b[i].partition_key ||
            a[i].explicit_hash_key != b[i].explicit_hash_key ||
            a[i].sub_sequence_number != b[i].sub_sequence_number || a[i].aggregated != b[i].aggregated) {
            return false;
        }
    }
    return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    kinesis_fuzz::FuzzInput input(data, size);
    const std::uint8_t mode = input.byte();
    std::string bytes;
    if ((mode & 1) != 0) {
        // The rest is the protobuf alone; magic and a matching MD5 are added, so the
        // fuzzer reaches the protobuf reader instead of stopping at the digest.
        const std::string_view protobuf = input.rest();
        const auto digest = kinesis::detail::md5(protobuf);
        bytes.append(kinesis::aggregated_record_magic);
        bytes.append(protobuf);
        bytes.append(reinterpret_cast<const char*>(digest.data()), digest.size());
    } else {
        bytes = std::string(input.rest());
    }

    std::vector<kinesis::UserRecord> records;
    kinesis::deaggregate(bytes, "outer-key", records);
    const bool aggregated = kinesis::is_aggregated(bytes);
    if (!aggregated) {
        // Anything that is not a whole valid aggregate is one plain record, passed through.
        require(records.size() == 1);
        require(records[0].data == bytes && records[0].partition_key == "outer-key");
        require(!records[0].aggregated && !records[0].explicit_hash_key);
        return 0;
    }
    for (std::size_t i = 0; i < records.size(); ++i) {
        require(records[i].aggregated);
        require(records[i].sub_sequence_number == i);
        require(records[i].data.size() < bytes.size());
    }

    // Decoded records encode to an aggregate that decodes to the same records, and that
    // encoding is a fixed point: a second round gives the same bytes.
    const std::string encoded = reencode(records);
    require(kinesis::is_aggregated(encoded));
    std::vector<kinesis::UserRecord> again;
    kinesis::deaggregate(encoded, "outer-key", again);
    require(same_records(records, again));
    require(reencode(again) == encoded);
    return 0;
}
