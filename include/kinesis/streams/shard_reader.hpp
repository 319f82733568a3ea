// SPDX-License-Identifier: Apache-2.0
// ShardReader: reads one shard from a starting position, paced, renewing expired iterators.
#ifndef KINESIS_STREAMS_SHARD_READER_HPP
#define KINESIS_STREAMS_SHARD_READER_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace kinesis {

/// Where a ShardReader starts: one of the five shard iterator types.
struct StartingPosition {
    ShardIteratorType type = ShardIteratorType::TrimHorizon;
    std::optional<std::string> sequence_number;  ///< AT_/AFTER_SEQUENCE_NUMBER only
    std::optional<Timestamp> timestamp;          ///< AT_TIMESTAMP only

    /// The oldest record the shard still holds.
    [[nodiscard]] KINESIS_DECL static StartingPosition trim_horizon();
    /// Only records written after the first iterator is issued.
    [[nodiscard]] KINESIS_DECL static StartingPosition latest();
    [[nodiscard]] KINESIS_DECL static StartingPosition at_sequence_number(std::string sequence_number);
    [[nodiscard]] KINESIS_DECL static StartingPosition after_sequence_number(std::string sequence_number);
    /// Records that arrived at or after `time`.
    [[nodiscard]] KINESIS_DECL static StartingPosition at_timestamp(Timestamp time);
};

/// What one ShardReader::next() delivers.
struct RecordBatch {
    std::vector<Record> records;  ///< in sequence-number order; may be empty
    std::optional<std::chrono::milliseconds> millis_behind_latest;
    bool shard_end = false;                 ///< the shard is closed and every record was delivered
    std::vector<ChildShard> child_shards;   ///< set with shard_end: where reading continues
};

/// Pacing and renewal knobs; the defaults respect the per-shard read limits.
struct ShardReaderOptions {
    /// GetRecords `Limit`, 1..10000.
    int limit = 10000;
    /// Shortest gap between two GetRecords calls: 200 ms keeps one reader
    /// within the 5 GetRecords/s per shard the service allows.
    std::chrono::milliseconds min_interval{200};
    /// Empty polls while caught up double the gap from min_interval up to this;
    /// the first batch with records resets it.
    std::chrono::milliseconds max_idle_backoff{1000};
    /// An iterator older than this is replaced before use: the service
    /// expires iterators 5 minutes after issuing them.
    std::chrono::milliseconds iterator_max_age{std::chrono::seconds(270)};
};

/// Counters of what a ShardReader has done.
struct ShardReaderStats {
    std::uint64_t get_records_calls = 0;
    std::uint64_t get_shard_iterator_calls = 0;
    std::uint64_t records = 0;             ///< records delivered
    std::uint64_t expired_renewals = 0;    ///< after ExpiredIteratorException
    std::uint64_t proactive_renewals = 0;  ///< iterators replaced for age before use
    std::uint64_t failed_calls = 0;        ///< errors returned by next() from the service (throttling included)
};

namespace detail {
struct ShardReaderAccess;

/// Consecutive outcomes the pacing depends on.
struct PollBackoff {
    int empty_polls = 0;  ///< empty batches while caught up, since the last records
};

/// How a GetRecords call went, as the pacing sees it.
enum class PollOutcome {
    Records,      ///< at least one record
    EmptyCaughtUp,///< no records and MillisBehindLatest 0 or absent
    EmptyBehind,  ///< no records but the shard holds newer ones: keep up the pace
    Failed,       ///< the pipeline gave up (its retries already backed off)
};

/// The backoff state after `outcome`: records reset the idle count; a
/// failure leaves it as it was. Failures add no wait of their own: the call
/// pipeline retried them after its backoff already, and retries live there only.
[[nodiscard]] KINESIS_DECL PollBackoff next_backoff(PollBackoff state, PollOutcome outcome) noexcept;

/// The gap to keep after the latest call before the next one: the larger of
/// min_interval and the idle backoff (min_interval * 2^(n-1) for n empty
/// polls, capped at max_idle_backoff).
[[nodiscard]] KINESIS_DECL std::chrono::milliseconds poll_delay(const ShardReaderOptions& options,
                                                               PollBackoff state) noexcept;

/// Whether an iterator issued at `issued_at` must be replaced before use at `now`.
[[nodiscard]] KINESIS_DECL bool iterator_needs_renewal(std::chrono::steady_clock::time_point issued_at,
                                                       std::chrono::steady_clock::time_point now,
                                                       std::chrono::milliseconds max_age) noexcept;

/// Where a new iterator must point so that no record is lost or repeated:
/// AFTER_SEQUENCE_NUMBER of the last delivered record; with nothing delivered
/// yet, the original start, except that a LATEST start becomes AT_TIMESTAMP
/// of `latest_issued_at` (the wall time the first LATEST iterator was
/// requested), so records written since then are not skipped. That time is
/// the client's clock to the millisecond: a record that arrived within the
/// client-server clock skew before the LATEST request may be read as well.
[[nodiscard]] KINESIS_DECL StartingPosition resume_position(const StartingPosition& start,
                                                            const std::optional<std::string>& last_sequence_number,
                                                            std::optional<Timestamp> latest_issued_at);

/// Checks a starting position and options before anything is sent.
[[nodiscard]] KINESIS_DECL Result<void> check_shard_reader_input(const std::string& shard_id,
                                                                  const StartingPosition& start,
                                                                  const ShardReaderOptions& options);
}  // namespace detail

/// Reads one shard from a starting position with GetRecords.
///
/// It keeps its position by the sequence number of the last delivered
/// record: an iterator the service reports expired (ExpiredIteratorException),
/// or one older than `iterator_max_age` (a paused reader), is replaced with
/// AFTER_SEQUENCE_NUMBER of that record, so nothing is lost or repeated.
/// `next()` waits to pace the calls (see ShardReaderOptions), on the client's
/// clock and stop token: a stop ends the wait at once and next() returns
/// ErrorKind::Stopped. An error from `next()` leaves the reader usable: the
/// next call tries again from the same position (the call pipeline has
/// already retried what can be retried; the reader adds no retry of its own).
/// Not thread-safe; one per shard. The client must outlive the reader.
///
///     kinesis::ShardReader reader(client, "test", shard.shard_id);
///     while (!reader.at_shard_end()) {
///         auto batch = reader.next();
///         if (!batch) { log(batch.error()); continue; }  // the next call backs off
///         for (const auto& record : batch->records) process(record);
///     }
///     // then read batch->child_shards (reader.child_shards()) from TRIM_HORIZON
class ShardReader {
public:
    KINESIS_DECL ShardReader(KinesisClient& client, StreamRef stream, std::string shard_id,
                             StartingPosition start = StartingPosition::trim_horizon(),
                             ShardReaderOptions options = {});

    /// The next batch, after waiting out the pacing gap; may be empty. Once the
    /// shard end is reached, returns empty batches with shard_end and the
    /// child shards without calling the service.
    [[nodiscard]] KINESIS_DECL Result<RecordBatch> next();
    /// next() into a batch the caller keeps between calls: its records are
    /// parsed over in place, so a steady reader stops allocating per record.
    /// On error the batch holds no records.
    [[nodiscard]] KINESIS_DECL Result<void> next(RecordBatch& batch);

    /// Whether the closed shard has been read to its end.
    [[nodiscard]] bool at_shard_end() const noexcept { return shard_end_; }
    /// The sequence number of the last delivered record; empty before the first.
    [[nodiscard]] const std::optional<std::string>& last_sequence_number() const noexcept {
        return last_sequence_number_;
    }
    /// Set once the shard end is reached.
    [[nodiscard]] const std::vector<ChildShard>& child_shards() const noexcept { return child_shards_; }
    [[nodiscard]] const std::string& shard_id() const noexcept { return shard_id_; }
    [[nodiscard]] const ShardReaderStats& stats() const noexcept { return stats_; }

private:
    friend struct detail::ShardReaderAccess;  // tests: install a forged iterator

    std::chrono::steady_clock::time_point now() const;
    Result<void> renew_iterator();
    Result<void> wait_turn();

    KinesisClient* client_;
    StreamRef stream_;
    std::string shard_id_;
    StartingPosition start_;
    ShardReaderOptions options_;

    std::optional<std::string> iterator_;
    std::chrono::steady_clock::time_point iterator_issued_at_{};
    std::optional<Timestamp> latest_issued_at_;
    std::optional<std::string> last_sequence_number_;
    std::optional<std::chrono::steady_clock::time_point> last_call_;
    detail::PollBackoff backoff_;
    bool checked_ = false;
    bool shard_end_ = false;
    std::vector<ChildShard> child_shards_;
    ShardReaderStats stats_;
    GetRecordsResult scratch_;  ///< iterator and child shards of the last answer
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/streams/impl/shard_reader.inl.hpp>
#endif

#endif  // KINESIS_STREAMS_SHARD_READER_HPP
