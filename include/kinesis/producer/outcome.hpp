// SPDX-License-Identifier: Apache-2.0
// What became of a record given to a Producer, and the handles to wait for it.
#ifndef KINESIS_PRODUCER_OUTCOME_HPP
#define KINESIS_PRODUCER_OUTCOME_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/time.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace kinesis {

/// One PutRecords call that carried the record.
struct PutAttempt {
    Timestamp start{};
    std::chrono::microseconds duration{0};
    std::string error_code;     ///< empty: this attempt wrote the record
    std::string error_message;
    [[nodiscard]] bool succeeded() const noexcept { return error_code.empty(); }
};

namespace detail {
struct KinesisRecordPut;   // what the user records of one Kinesis record share
struct OutcomeAccess;
struct PutHandleState;
struct FlushState;
}  // namespace detail

/// The end of one put(): written (shard, sequence number, sub-sequence number
/// when it went inside an aggregate) or failed (error), and every attempt.
/// Records packed into one Kinesis record share its shard id, sequence number
/// and last attempt, so handing an outcome to a callback allocates nothing.
class PutOutcome {
public:
    [[nodiscard]] bool ok() const noexcept { return error_ == nullptr; }
    explicit operator bool() const noexcept { return ok(); }
    /// Empty when the record failed.
    [[nodiscard]] KINESIS_DECL const std::string& shard_id() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& sequence_number() const noexcept;
    /// The record's place inside its aggregated Kinesis record; empty when it
    /// was sent as a plain record (or failed).
    [[nodiscard]] std::optional<std::uint64_t> sub_sequence_number() const noexcept { return sub_sequence_number_; }
    /// Why it failed. Only when !ok(). Codes: the service's last entry error
    /// (e.g. ProvisionedThroughputExceededException, InternalFailure), "Expired"
    /// when record_ttl passed before any answer, "ProducerShutdown" when the
    /// producer was destroyed first, or a call's error code.
    [[nodiscard]] KINESIS_DECL const Error& error() const;
    /// Every attempt, first to last (allocates: read it when you need it).
    [[nodiscard]] KINESIS_DECL std::vector<PutAttempt> attempts() const;
    [[nodiscard]] KINESIS_DECL std::size_t attempt_count() const noexcept;
    /// An attempt timed out or lost its connection after sending, so Kinesis
    /// may hold this record more than once (it writes at least once).
    [[nodiscard]] bool may_be_duplicated() const noexcept { return may_be_duplicated_; }

private:
    friend struct detail::OutcomeAccess;
    std::shared_ptr<const detail::KinesisRecordPut> put_;  // set when written
    std::shared_ptr<const Error> error_;                    // set when failed
    std::vector<PutAttempt> failed_attempts_;               // those before put_'s attempt
    std::optional<std::uint64_t> sub_sequence_number_;
    bool may_be_duplicated_ = false;
};

/// A future-like handle on one record's outcome. Copyable; thread-safe.
class PutHandle {
public:
    PutHandle() = default;
    [[nodiscard]] KINESIS_DECL bool ready() const;
    /// Blocks until the record is resolved (it always is, by its TTL or the
    /// producer's destruction at the latest).
    KINESIS_DECL const PutOutcome& get() const;
    /// False if `timeout` passed first.
    [[nodiscard]] KINESIS_DECL bool wait_for(std::chrono::milliseconds timeout) const;

private:
    friend struct detail::OutcomeAccess;
    std::shared_ptr<detail::PutHandleState> state_;
};

/// Where a flush() ended.
struct FlushResult {
    bool complete = false;        ///< every record put before the flush is resolved
    std::size_t outstanding = 0;  ///< when not: how many of them are not yet
};

/// Completes when every record put before the flush() has resolved, or at the
/// flush's deadline, whichever comes first. Copyable; thread-safe.
class FlushHandle {
public:
    FlushHandle() = default;
    [[nodiscard]] KINESIS_DECL bool done() const;
    /// Blocks until done().
    KINESIS_DECL FlushResult wait() const;
    /// Empty if `timeout` passed before done().
    [[nodiscard]] KINESIS_DECL std::optional<FlushResult> wait_for(std::chrono::milliseconds timeout) const;

private:
    friend struct detail::OutcomeAccess;
    std::shared_ptr<detail::FlushState> state_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/producer/impl/outcome.inl.hpp>
#endif

#endif  // KINESIS_PRODUCER_OUTCOME_HPP
