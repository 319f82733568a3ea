// SPDX-License-Identifier: Apache-2.0
// The record processor contract: what a Consumer calls for each leased shard, and the checkpointer it hands over.
#ifndef KINESIS_CONSUMER_PROCESSOR_HPP
#define KINESIS_CONSUMER_PROCESSOR_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/consumer/lease.hpp>
#include <kinesis/streams/aggregation.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kinesis {

namespace detail {
class ShardWorker;
}

/// What a processor is told when its shard starts (the KCL's InitializationInput).
struct ShardStart {
    std::string shard_id;
    /// The lease's checkpoint when processing starts: a sentinel for a shard
    /// never checkpointed (TRIM_HORIZON, LATEST, AT_TIMESTAMP), else the last
    /// user record processed. Delivery resumes after it.
    ExtendedSequenceNumber checkpoint;
    /// The shard's parents, as the lease lists them (read to their ends before this shard).
    std::vector<std::string> parent_shard_ids;
};

/// One batch for process_records (the KCL's ProcessRecordsInput).
struct ProcessRecordsInput {
    /// User records in order: an aggregate's records (sub-sequence numbers
    /// 0..n-1) in place of the aggregate. Never empty.
    std::vector<UserRecord> records;
    /// How far the shard's newest record is ahead of this batch, when the service said.
    std::optional<std::chrono::milliseconds> millis_behind_latest;
};

/// Records a shard's progress in the lease table, from inside a processor
/// callback only (it is valid for the duration of the call).
///
/// A checkpoint says "every user record up to and including this one is
/// processed": after a restart or a hand-over, delivery resumes after it.
/// Each write is conditional on the lease as this worker last saw it, so a
/// worker that has lost its lease is refused (is_lease_lost() true, code
/// "LeaseLost") and nothing is written; the processor is then told lease_lost().
class Checkpointer {
public:
    /// At the last user record delivered so far (in shard_ended: SHARD_END).
    /// With nothing delivered yet and no shard end, there is nothing to
    /// record: succeeds without a write.
    [[nodiscard]] KINESIS_DECL Result<void> checkpoint();

    /// At a given user record: `at` must be a delivered record (not after the
    /// last delivered one), not before the last checkpoint, decimal digits,
    /// or SHARD_END inside shard_ended(). Bad input is InvalidArgument,
    /// naming the value and the bound, with nothing written.
    [[nodiscard]] KINESIS_DECL Result<void> checkpoint(const ExtendedSequenceNumber& at);

    /// The last checkpoint written or read for this shard.
    [[nodiscard]] KINESIS_DECL ExtendedSequenceNumber last_checkpoint() const;

    /// The last user record delivered (SHARD_END inside shard_ended());
    /// empty before the first delivery.
    [[nodiscard]] KINESIS_DECL std::optional<ExtendedSequenceNumber> largest_permitted() const;

    [[nodiscard]] KINESIS_DECL const std::string& shard_id() const noexcept;

    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

private:
    friend class detail::ShardWorker;
    explicit Checkpointer(detail::ShardWorker& worker) noexcept : worker_(&worker) {}
    detail::ShardWorker* worker_;
};

/// The user's code for one shard. A Consumer makes one per lease it
/// processes, and calls it from one thread at a time, in this order:
/// initialize, process_records any number of times, then shard_ended
/// (repeated until it checkpoints SHARD_END), lease_lost or
/// shutdown_requested; a shard_ended that has not checkpointed yet may still
/// be followed by lease_lost or shutdown_requested. Then it is destroyed.
/// Different shards' processors run on different threads at once.
///
/// An exception from a callback is caught, counted
/// (ConsumerMetrics::processor_errors) and logged; processing goes on with
/// the next batch, as the KCL does. Records are delivered at least once:
/// everything after the last checkpoint may be delivered again to another
/// processor after a crash, a lease loss or a shutdown without checkpoint.
class RecordProcessor {
public:
    virtual ~RecordProcessor() = default;

    /// Before the first batch.
    virtual void initialize(const ShardStart& start) { (void)start; }

    /// One batch, in order. `input.records` may be moved from.
    virtual void process_records(ProcessRecordsInput& input, Checkpointer& checkpointer) = 0;

    /// Another worker holds the lease now (taken, stolen, or expired while
    /// this worker could not renew it). Checkpointing is no longer possible:
    /// stop work on the shard. No record after the last checkpoint is lost:
    /// the new owner delivers them again.
    virtual void lease_lost() {}

    /// The shard is closed and every record was delivered. Must checkpoint
    /// SHARD_END (checkpoint() does) or the children never start: until it
    /// does, shard_ended is called again after ConsumerConfig::shard_end_retry.
    /// The default checkpoints.
    virtual void shard_ended(Checkpointer& checkpointer) { (void)checkpointer.checkpoint(); }

    /// The Consumer is shutting down gracefully: checkpoint what is done now;
    /// the lease is released right after, for another worker to take at once.
    virtual void shutdown_requested(Checkpointer& checkpointer) { (void)checkpointer; }
};

/// Makes one processor per shard; called on the Consumer's threads.
using RecordProcessorFactory = std::function<std::unique_ptr<RecordProcessor>()>;

namespace detail {
/// -1, 0 or 1 as `a` is below, equal to or above `b`: decimal sequence
/// numbers (no leading zeros) by length, then digit by digit.
[[nodiscard]] KINESIS_DECL int compare_sequence_numbers(std::string_view a, std::string_view b) noexcept;
/// (sequence, sub-sequence) order; both must be decimal.
[[nodiscard]] KINESIS_DECL int compare(const ExtendedSequenceNumber& a, const ExtendedSequenceNumber& b) noexcept;
/// Whether `text` is a sequence number as the API writes it: 1-128 decimal digits, no leading zero.
[[nodiscard]] KINESIS_DECL bool is_decimal_sequence_number(std::string_view text) noexcept;
/// Checks a checkpoint the processor asked for against what the worker
/// allows (the KCL's RecordProcessorCheckpointer rules); InvalidArgument names the bound.
[[nodiscard]] KINESIS_DECL Result<void> check_checkpoint(const ExtendedSequenceNumber& at,
                                                        const ExtendedSequenceNumber& last_checkpoint,
                                                        const std::optional<ExtendedSequenceNumber>& largest_permitted);
}  // namespace detail

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/consumer/impl/processor.inl.hpp>
// Checkpointer forwards to the shard's worker, which lives with the Consumer:
// a TU that includes only this header still gets its definitions.
#include <kinesis/consumer/consumer.hpp>
#endif

#endif  // KINESIS_CONSUMER_PROCESSOR_HPP
