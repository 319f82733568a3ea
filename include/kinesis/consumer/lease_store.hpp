// SPDX-License-Identifier: Apache-2.0
// Where leases live: an interface, a KCL 2.x DynamoDB lease table, and an in-memory store for one process.
#ifndef KINESIS_CONSUMER_LEASE_STORE_HPP
#define KINESIS_CONSUMER_LEASE_STORE_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/consumer/lease.hpp>
#include <kinesis/dynamodb/dynamodb_client.hpp>
#include <kinesis/dynamodb/model.hpp>
#include <kinesis/protocol/waiter.hpp>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

/// The Error code of a write refused because the lease is no longer as the
/// worker saw it (another counter or owner, or the row is gone): "LeaseLost",
/// with ErrorKind::Service. Never retried; the worker must drop the lease (KCL #973).
inline constexpr std::string_view lease_lost_code = "LeaseLost";

/// Whether `error` is a refused lease write: kind Service, code "LeaseLost".
[[nodiscard]] KINESIS_DECL bool is_lease_lost(const Error& error) noexcept;

/// What a refused write found: the lease as it is now, when the store could
/// say (DynamoDB: the item handed back by ReturnValuesOnConditionCheckFailure
/// ALL_OLD); nullopt when the row is gone or was not sent back.
struct LeaseLost {
    std::optional<Lease> current;
};

/// Where a worker's leases live. Every call is synchronous and thread-safe.
///
/// Every write on an existing lease is conditional on `seen`, the lease as
/// this worker last read or wrote it: its `lease_counter` and its
/// `lease_owner` (absent included) must still be those in the store, or
/// nothing is written and the call fails with is_lease_lost() true; pass a
/// LeaseLost to receive the lease as it is now (reset at the start of every
/// call). A successful write answers the lease as it is after the write,
/// with the counter one higher: keep it as the next `seen`.
/// Rows that are not leases (Lease::is_lease() false) are never listed,
/// written, taken or deleted; a write given one fails with InvalidArgument.
class LeaseStore {
public:
    virtual ~LeaseStore() = default;

    /// Makes the store ready. DynamoDB: creates the table (on demand, hash
    /// key `leaseKey` S) if it is missing and waits until it is ACTIVE.
    /// In memory: nothing.
    [[nodiscard]] virtual Result<void> ensure_table() = 0;

    /// Every lease, in no particular order; rows that are not leases are skipped.
    [[nodiscard]] virtual Result<std::vector<Lease>> list_leases() = 0;

    /// Writes `lease` as a new row unless a row with its key exists
    /// (createLeaseIfNotExists: attribute_not_exists(leaseKey)). True when
    /// written, false when a row was already there (left as it was).
    [[nodiscard]] virtual Result<bool> create_lease_if_absent(const Lease& lease) = 0;

    /// Renewal by its owner: the counter up by one, nothing else changed
    /// (renewLease). `seen` must have an owner.
    [[nodiscard]] virtual Result<Lease> renew_lease(const Lease& seen, LeaseLost* lost = nullptr) = 0;

    /// Makes `owner` the lease's owner, counter up by one (takeLease); the
    /// owner-switch count goes up by one when the owner changes from another
    /// worker (getDynamoTakeLeaseUpdate); `checkpointOwner` is removed.
    [[nodiscard]] virtual Result<Lease> take_lease(const Lease& seen, const std::string& owner,
                                                   LeaseLost* lost = nullptr) = 0;

    /// Gives the lease up for another worker to take: `leaseOwner` and
    /// `checkpointOwner` removed, counter up by one (evictLease). `seen` must have an owner.
    [[nodiscard]] virtual Result<Lease> evict_lease(const Lease& seen, LeaseLost* lost = nullptr) = 0;

    /// Records a checkpoint as the KCL's DynamoDBCheckpointer.setCheckpoint
    /// and updateLease do: `checkpoint` and `checkpointSubSequenceNumber` set,
    /// `ownerSwitchesSinceCheckpoint` 0, the `pendingCheckpoint*` attributes
    /// removed, counter up by one. `seen` must have an owner; a worker that
    /// lost the lease gets is_lease_lost() and nothing is written. The
    /// sequence number must be decimal digits or a sentinel.
    [[nodiscard]] virtual Result<Lease> checkpoint(const Lease& seen, const ExtendedSequenceNumber& checkpoint,
                                                   LeaseLost* lost = nullptr) = 0;

    /// Records the children of a closed shard (`childShardIds`, non-empty, a
    /// set: duplicates dropped), counter up by one.
    [[nodiscard]] virtual Result<Lease> update_child_shards(const Lease& seen,
                                                            const std::vector<std::string>& child_shard_ids,
                                                            LeaseLost* lost = nullptr) = 0;

    /// Deletes the lease row (a finished parent's, see parent_lease_deletable).
    [[nodiscard]] virtual Result<void> delete_lease(const Lease& seen, LeaseLost* lost = nullptr) = 0;
};

/// Leases in this process's memory, for a single consumer process that needs
/// no table: nothing survives a restart, and no other process can share them.
/// The same conditions as a table, checked under one mutex. Thread-safe.
class InMemoryLeaseStore final : public LeaseStore {
public:
    InMemoryLeaseStore() = default;

    [[nodiscard]] KINESIS_DECL Result<void> ensure_table() override;
    [[nodiscard]] KINESIS_DECL Result<std::vector<Lease>> list_leases() override;
    [[nodiscard]] KINESIS_DECL Result<bool> create_lease_if_absent(const Lease& lease) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> renew_lease(const Lease& seen, LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> take_lease(const Lease& seen, const std::string& owner,
                                                        LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> evict_lease(const Lease& seen, LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> checkpoint(const Lease& seen, const ExtendedSequenceNumber& checkpoint,
                                                        LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> update_child_shards(const Lease& seen,
                                                                 const std::vector<std::string>& child_shard_ids,
                                                                 LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<void> delete_lease(const Lease& seen, LeaseLost* lost = nullptr) override;

private:
    std::mutex mutex_;
    std::map<std::string, Lease> leases_;
};

/// The lease as a new row, exactly as the KCL's DynamoDBLeaseSerializer
/// .toDynamoRecord names and types it: leaseKey S, leaseCounter N,
/// leaseOwner S (when owned), ownerSwitchesSinceCheckpoint N, checkpoint S
/// and checkpointSubSequenceNumber N (when the sequence number is not
/// empty), parentShardId and childShardIds SS (never an empty set),
/// startingHashKey and endingHashKey S, pendingCheckpoint S and
/// pendingCheckpointSubSequenceNumber N, pendingCheckpointState B,
/// throughputKBps N, checkpointOwner S, entityType S (each when present).
/// A row that is not a lease is refused with InvalidArgument.
[[nodiscard]] KINESIS_DECL Result<Item> lease_to_item(const Lease& lease);

/// A row of the table as a Lease (DynamoDBLeaseSerializer.fromDynamoRecord).
/// A row that is not a lease comes back with only lease_key and entity_type.
/// A known attribute of the wrong type, a missing leaseKey or a number that
/// is not a non-negative whole number is a Parse error naming the attribute;
/// attributes the KCL does not know are ignored (and left in the table).
[[nodiscard]] KINESIS_DECL Result<Lease> lease_from_item(const Item& item);

/// A KCL 2.x lease table in DynamoDB (named after the application). Every
/// write is an UpdateItem that sets or removes only the attributes it
/// changes, so attributes it does not know (a newer KCL's) survive it.
/// Thread-safe: calls are serialised on the one DynamoDbClient.
class DynamoDbLeaseStore final : public LeaseStore {
public:
    /// The table `table_name` through `client`; `table_waiter` paces ensure_table()'s wait.
    KINESIS_DECL DynamoDbLeaseStore(DynamoDbClient client, std::string table_name,
                                    WaiterConfig table_waiter = dynamodb_table_waiter);

    [[nodiscard]] const std::string& table_name() const noexcept { return table_name_; }

    [[nodiscard]] KINESIS_DECL Result<void> ensure_table() override;
    [[nodiscard]] KINESIS_DECL Result<std::vector<Lease>> list_leases() override;
    [[nodiscard]] KINESIS_DECL Result<bool> create_lease_if_absent(const Lease& lease) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> renew_lease(const Lease& seen, LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> take_lease(const Lease& seen, const std::string& owner,
                                                        LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> evict_lease(const Lease& seen, LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> checkpoint(const Lease& seen, const ExtendedSequenceNumber& checkpoint,
                                                        LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<Lease> update_child_shards(const Lease& seen,
                                                                 const std::vector<std::string>& child_shard_ids,
                                                                 LeaseLost* lost = nullptr) override;
    [[nodiscard]] KINESIS_DECL Result<void> delete_lease(const Lease& seen, LeaseLost* lost = nullptr) override;

private:
    KINESIS_DECL Result<Lease> update(std::string_view operation, const Lease& seen, UpdateItemRequest request,
                                      LeaseLost* lost);

    std::mutex mutex_;
    DynamoDbClient client_;
    std::string table_name_;
    WaiterConfig table_waiter_;
};

namespace detail {
/// The condition every write on `seen` carries, with its names and values
/// added to `request`-style maps: leaseCounter = the counter seen, and
/// leaseOwner = the owner seen or attribute_not_exists(leaseOwner).
[[nodiscard]] KINESIS_DECL std::string lease_seen_condition(const Lease& seen, ExpressionAttributeNames& names,
                                                            ExpressionAttributeValues& values);
}  // namespace detail

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/consumer/impl/lease_store.inl.hpp>
#endif

#endif  // KINESIS_CONSUMER_LEASE_STORE_HPP
