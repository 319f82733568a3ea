// SPDX-License-Identifier: Apache-2.0
#include <kinesis/consumer/lease.hpp>

#include <doctest/doctest.h>

using kinesis::ExtendedSequenceNumber;
using kinesis::Lease;

TEST_CASE("lease checkpoint sentinels are spelled as the KCL writes them") {
    CHECK(ExtendedSequenceNumber::trim_horizon().sequence_number == "TRIM_HORIZON");
    CHECK(ExtendedSequenceNumber::latest().sequence_number == "LATEST");
    CHECK(ExtendedSequenceNumber::at_timestamp().sequence_number == "AT_TIMESTAMP");
    CHECK(ExtendedSequenceNumber::shard_end().sequence_number == "SHARD_END");
    CHECK(ExtendedSequenceNumber::shard_end().sub_sequence_number == 0);
    CHECK(ExtendedSequenceNumber::shard_end().is_sentinel());
    CHECK(ExtendedSequenceNumber::shard_end().is_shard_end());
    CHECK_FALSE(ExtendedSequenceNumber::latest().is_shard_end());

    const ExtendedSequenceNumber seq{"49590338271490256608559692538361571095921575989136588898", 3};
    CHECK_FALSE(seq.is_sentinel());
    CHECK(seq == ExtendedSequenceNumber{seq.sequence_number, 3});
    CHECK(seq != ExtendedSequenceNumber{seq.sequence_number, 4});
}

TEST_CASE("lease rows without entityType or with LEASE are leases and others are not") {
    Lease row;
    row.lease_key = "shardId-000000000000";
    CHECK(row.is_lease());
    row.entity_type = "LEASE";
    CHECK(row.is_lease());
    row.entity_type = "WORKER_METRICS";
    CHECK_FALSE(row.is_lease());
    row.entity_type = "";
    CHECK_FALSE(row.is_lease());
}

TEST_CASE("a default lease row is unassigned at counter 0 with no sets and no optional attributes") {
    const Lease row;
    CHECK_FALSE(row.lease_owner);
    CHECK(row.lease_counter == 0);
    CHECK(row.owner_switches_since_checkpoint == 0);
    CHECK(row.parent_shard_ids.empty());
    CHECK(row.child_shard_ids.empty());
    CHECK_FALSE(row.hash_key_range);
    CHECK_FALSE(row.pending_checkpoint);
    CHECK_FALSE(row.pending_checkpoint_state);
    CHECK_FALSE(row.throughput_kbps);
    CHECK_FALSE(row.checkpoint_owner);
}
