// SPDX-License-Identifier: Apache-2.0
// The shared states behind PutOutcome, PutHandle and FlushHandle.
#ifndef KINESIS_PRODUCER_DETAIL_OUTCOME_STATE_HPP
#define KINESIS_PRODUCER_DETAIL_OUTCOME_STATE_HPP

#include <kinesis/producer/outcome.hpp>

#include <condition_variable>
#include <mutex>

namespace kinesis::detail {

/// What every user record packed into one written Kinesis record shares.
struct KinesisRecordPut {
    std::string shard_id;
    std::string sequence_number;
    PutAttempt attempt;  // the one that wrote it
};

struct PutHandleState {
    mutable std::mutex mutex;
    std::condition_variable resolved_cv;
    std::optional<PutOutcome> outcome;
    /// The producer's reference, from put() to the record's one outcome: its callback
    /// holds only a raw pointer, which fits std::function's own storage, where a
    /// captured shared_ptr would be allocated (and freed on the I/O thread).
    std::shared_ptr<PutHandleState> until_resolved;
};

struct FlushState {
    mutable std::mutex mutex;
    std::condition_variable done_cv;
    bool done = false;
    FlushResult result;
    // Owned by the I/O thread: records put before the flush, not yet resolved.
    std::uint64_t up_to_sequence = 0;
    std::size_t remaining = 0;
};

/// The one way the producer's implementation reaches the handles' insides.
struct OutcomeAccess {
    static PutOutcome written(std::shared_ptr<const KinesisRecordPut> put, std::vector<PutAttempt> failed_attempts,
                              std::optional<std::uint64_t> sub_sequence_number, bool may_be_duplicated) {
        PutOutcome outcome;
        outcome.put_ = std::move(put);
        outcome.failed_attempts_ = std::move(failed_attempts);
        outcome.sub_sequence_number_ = sub_sequence_number;
        outcome.may_be_duplicated_ = may_be_duplicated;
        return outcome;
    }
    /// The outcome of the next member of the same written Kinesis record.
    static void set_member(PutOutcome& outcome, std::vector<PutAttempt> failed_attempts,
                           std::optional<std::uint64_t> sub_sequence_number, bool may_be_duplicated) {
        outcome.failed_attempts_ = std::move(failed_attempts);
        outcome.sub_sequence_number_ = sub_sequence_number;
        outcome.may_be_duplicated_ = may_be_duplicated;
    }
    static PutOutcome failed(Error error, std::vector<PutAttempt> attempts, bool may_be_duplicated) {
        PutOutcome outcome;
        outcome.error_ = std::make_shared<const Error>(std::move(error));
        outcome.failed_attempts_ = std::move(attempts);
        outcome.may_be_duplicated_ = may_be_duplicated;
        return outcome;
    }
    static PutHandle handle(std::shared_ptr<PutHandleState> state) {
        PutHandle handle;
        handle.state_ = std::move(state);
        return handle;
    }
    static FlushHandle flush_handle(std::shared_ptr<FlushState> state) {
        FlushHandle handle;
        handle.state_ = std::move(state);
        return handle;
    }
    static void resolve(PutHandleState& state, const PutOutcome& outcome) {
        {
            std::lock_guard<std::mutex> lock(state.mutex);
            state.outcome = outcome;
        }
        state.resolved_cv.notify_all();
    }
    static void finish(FlushState& state, FlushResult result) {
        {
            std::lock_guard<std::mutex> lock(state.mutex);
            if (state.done) return;
            state.done = true;
            state.result = result;
        }
        state.done_cv.notify_all();
    }
};

}  // namespace kinesis::detail

#endif  // KINESIS_PRODUCER_DETAIL_OUTCOME_STATE_HPP
