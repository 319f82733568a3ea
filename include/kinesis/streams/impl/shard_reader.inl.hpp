// SPDX-License-Identifier: Apache-2.0
// Definitions for streams/shard_reader.hpp.
#ifndef KINESIS_STREAMS_IMPL_SHARD_READER_INL_HPP
#define KINESIS_STREAMS_IMPL_SHARD_READER_INL_HPP

#include <kinesis/streams/shard_reader.hpp>

#include <fmt/core.h>

#include <algorithm>
#include <utility>

namespace kinesis {

KINESIS_DECL StartingPosition StartingPosition::trim_horizon() { return {}; }

KINESIS_DECL StartingPosition StartingPosition::latest() {
    StartingPosition position;
    position.type = ShardIteratorType::Latest;
    return position;
}

KINESIS_DECL StartingPosition StartingPosition::at_sequence_number(std::string sequence_number) {
    StartingPosition position;
    position.type = ShardIteratorType::AtSequenceNumber;
    position.sequence_number = std::move(sequence_number);
    return position;
}

KINESIS_DECL StartingPosition StartingPosition::after_sequence_number(std::string sequence_number) {
    StartingPosition position;
    position.type = ShardIteratorType::AfterSequenceNumber;
    position.sequence_number = std::move(sequence_number);
    return position;
}

KINESIS_DECL StartingPosition StartingPosition::at_timestamp(Timestamp time) {
    StartingPosition position;
    position.type = ShardIteratorType::AtTimestamp;
    position.timestamp = time;
    return position;
}

namespace detail {

KINESIS_DECL PollBackoff next_backoff(PollBackoff state, PollOutcome outcome) noexcept {
    switch (outcome) {
        case PollOutcome::Records:
            return {};
        case PollOutcome::EmptyCaughtUp:
            // Saturate: the delay is capped long before this could overflow.
            return {std::min(state.empty_polls + 1, 64)};
        case PollOutcome::EmptyBehind:
            // Empty while behind (a gap in an old shard): keep reading at full pace.
            return {0};
        case PollOutcome::Failed:
            return state;
    }
    return state;
}

namespace shard_reader_impl {
// base * 2^(n-1), capped; computed by doubling so it cannot overflow.
inline std::chrono::milliseconds doubled(std::chrono::milliseconds base, int n, std::chrono::milliseconds cap) noexcept {
    if (n <= 0) return std::chrono::milliseconds(0);
    auto delay = base;
    for (int i = 1; i < n && delay < cap; ++i) delay *= 2;
    return std::min(delay, cap);
}
}  // namespace shard_reader_impl

KINESIS_DECL std::chrono::milliseconds poll_delay(const ShardReaderOptions& options, PollBackoff state) noexcept {
    const auto idle = detail::shard_reader_impl::doubled(options.min_interval, state.empty_polls,
                                                 std::max(options.max_idle_backoff, options.min_interval));
    return std::max(options.min_interval, idle);
}

KINESIS_DECL bool iterator_needs_renewal(std::chrono::steady_clock::time_point issued_at,
                                         std::chrono::steady_clock::time_point now,
                                         std::chrono::milliseconds max_age) noexcept {
    return now - issued_at >= max_age;
}

KINESIS_DECL StartingPosition resume_position(const StartingPosition& start,
                                              const std::optional<std::string>& last_sequence_number,
                                              std::optional<Timestamp> latest_issued_at) {
    if (last_sequence_number) return StartingPosition::after_sequence_number(*last_sequence_number);
    // A second LATEST would skip whatever arrived since the first was issued.
    if (start.type == ShardIteratorType::Latest && latest_issued_at) {
        return StartingPosition::at_timestamp(*latest_issued_at);
    }
    return start;
}

KINESIS_DECL Result<void> check_shard_reader_input(const std::string& shard_id, const StartingPosition& start,
                                                    const ShardReaderOptions& options) {
    if (shard_id.empty()) return invalid_argument("ShardReader: shard_id is empty");
    if (options.limit < 1 || options.limit > 10000) {
        return invalid_argument("ShardReader: limit is " + std::to_string(options.limit) +
                                "; the range is 1 to 10000");
    }
    if (options.min_interval.count() < 0 || options.max_idle_backoff.count() < 0) {
        return invalid_argument("ShardReader: a pacing interval is negative");
    }
    if (options.iterator_max_age <= std::chrono::milliseconds(0)) {
        return invalid_argument("ShardReader: iterator_max_age must be positive");
    }
    const bool by_sequence = start.type == ShardIteratorType::AtSequenceNumber ||
                             start.type == ShardIteratorType::AfterSequenceNumber;
    if (by_sequence && (!start.sequence_number || start.sequence_number->empty())) {
        return invalid_argument(std::string("ShardReader: ") + std::string(to_string(start.type)) +
                                " needs a sequence_number");
    }
    if (start.type == ShardIteratorType::AtTimestamp && !start.timestamp) {
        return invalid_argument("ShardReader: AT_TIMESTAMP needs a timestamp");
    }
    return {};
}

}  // namespace detail

KINESIS_DECL ShardReader::ShardReader(KinesisClient& client, StreamRef stream, std::string shard_id,
                                      StartingPosition start, ShardReaderOptions options)
    : client_(&client),
      stream_(std::move(stream)),
      shard_id_(std::move(shard_id)),
      start_(std::move(start)),
      options_(std::move(options)) {}

KINESIS_DECL std::chrono::steady_clock::time_point ShardReader::now() const {
    return client_->clock().steady_now();
}

KINESIS_DECL Result<void> ShardReader::renew_iterator() {
    const auto position = detail::resume_position(start_, last_sequence_number_, latest_issued_at_);
    GetShardIteratorRequest request;
    request.stream = stream_;
    request.shard_id = shard_id_;
    request.shard_iterator_type = position.type;
    request.starting_sequence_number = position.sequence_number;
    request.timestamp = position.timestamp;
    // Taken before sending: records written while the request is in flight
    // are after this time, so a later AT_TIMESTAMP renewal still includes them.
    const auto wall = client_->clock().wall_now();
    const auto issued = now();
    ++stats_.get_shard_iterator_calls;
    auto got = client_->get_shard_iterator(request);
    if (!got) return std::move(got).error();
    if (position.type == ShardIteratorType::Latest && !latest_issued_at_) latest_issued_at_ = wall;
    iterator_ = std::move(got->shard_iterator);
    iterator_issued_at_ = issued;
    return {};
}

KINESIS_DECL Result<void> ShardReader::wait_turn() {
    std::chrono::milliseconds wait{0};
    if (last_call_) {
        const auto due = *last_call_ + detail::poll_delay(options_, backoff_);
        wait = std::chrono::ceil<std::chrono::milliseconds>(due - now());
    }
    if (!client_->wait_for(wait)) {
        Error error;
        error.kind = ErrorKind::Stopped;
        error.message = fmt::format("ShardReader {}: stopped", shard_id_);
        return error;
    }
    return {};
}

KINESIS_DECL Result<RecordBatch> ShardReader::next() {
    RecordBatch batch;
    if (auto got = next(batch); !got) return std::move(got).error();
    return batch;
}

KINESIS_DECL Result<void> ShardReader::next(RecordBatch& batch) {
    batch.millis_behind_latest.reset();
    batch.shard_end = false;
    batch.child_shards.clear();
    if (shard_end_) {
        batch.records.clear();
        batch.shard_end = true;
        batch.child_shards = child_shards_;
        return {};
    }
    if (!checked_) {
        auto checked = detail::check_shard_reader_input(shard_id_, start_, options_);
        if (!checked) {
            batch.records.clear();
            return std::move(checked).error();
        }
        checked_ = true;
    }
    bool renewed_after_expiry = false;
    for (;;) {
        if (iterator_ && detail::iterator_needs_renewal(iterator_issued_at_, now(), options_.iterator_max_age)) {
            iterator_.reset();
            ++stats_.proactive_renewals;
        }
        if (!iterator_) {
            // GetShardIterator is paced too, so a caller looping on next()
            // after failures does not hammer it.
            if (auto waited = wait_turn(); !waited) {
                batch.records.clear();
                return waited;
            }
            auto renewed = renew_iterator();
            if (!renewed) {
                last_call_ = now();
                backoff_ = detail::next_backoff(backoff_, detail::PollOutcome::Failed);
                ++stats_.failed_calls;
                batch.records.clear();
                return std::move(renewed).error();
            }
        }
        if (auto waited = wait_turn(); !waited) {
            batch.records.clear();
            return waited;
        }
        GetRecordsRequest request;
        request.shard_iterator = *iterator_;
        request.limit = options_.limit;
        if (!stream_.arn.empty()) request.stream_arn = stream_.arn;
        const auto called_at = now();
        last_call_ = called_at;
        ++stats_.get_records_calls;
        // The batch's records from the last call are parsed over in place.
        scratch_.records.swap(batch.records);
        auto got = client_->get_records(request, scratch_);
        scratch_.records.swap(batch.records);
        if (!got) {
            batch.records.clear();
            // Once per next(): a fresh iterator that expires at once means
            // something else is wrong, so that error is returned.
            if (got.error().code == "ExpiredIteratorException" && !renewed_after_expiry) {
                renewed_after_expiry = true;
                iterator_.reset();
                ++stats_.expired_renewals;
                continue;
            }
            backoff_ = detail::next_backoff(backoff_, detail::PollOutcome::Failed);
            ++stats_.failed_calls;
            return std::move(got).error();
        }

        batch.millis_behind_latest = scratch_.millis_behind_latest;
        if (!batch.records.empty()) last_sequence_number_ = batch.records.back().sequence_number;
        stats_.records += batch.records.size();

        if (scratch_.next_shard_iterator) {
            iterator_ = std::move(*scratch_.next_shard_iterator);
            iterator_issued_at_ = called_at;
        } else {
            // A closed shard read to its end: no iterator follows.
            iterator_.reset();
            shard_end_ = true;
            child_shards_ = scratch_.child_shards;
            batch.shard_end = true;
            batch.child_shards = std::move(scratch_.child_shards);
        }

        detail::PollOutcome outcome = detail::PollOutcome::Records;
        if (batch.records.empty()) {
            const bool behind = batch.millis_behind_latest && batch.millis_behind_latest->count() > 0;
            outcome = behind ? detail::PollOutcome::EmptyBehind : detail::PollOutcome::EmptyCaughtUp;
        }
        backoff_ = detail::next_backoff(backoff_, outcome);
        return {};
    }
}

}  // namespace kinesis

#endif  // KINESIS_STREAMS_IMPL_SHARD_READER_INL_HPP
