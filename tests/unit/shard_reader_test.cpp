// SPDX-License-Identifier: Apache-2.0
// ShardReader's pure parts: pacing and backoff, iterator age, resume position, input checks.
#include <kinesis/streams/shard_reader.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <string>

using kinesis::ShardIteratorType;
using kinesis::ShardReaderOptions;
using kinesis::StartingPosition;
using kinesis::detail::next_backoff;
using kinesis::detail::poll_delay;
using kinesis::detail::PollBackoff;
using kinesis::detail::PollOutcome;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// The delay after `n` consecutive outcomes of one kind, starting from rest.
milliseconds delay_after(const ShardReaderOptions& options, PollOutcome outcome, int n) {
    PollBackoff state;
    for (int i = 0; i < n; ++i) state = next_backoff(state, outcome);
    return poll_delay(options, state);
}

}  // namespace

TEST_CASE("starting position factories set the iterator type and only the field it needs") {
    const auto trim = StartingPosition::trim_horizon();
    CHECK(trim.type == ShardIteratorType::TrimHorizon);
    CHECK_FALSE(trim.sequence_number);
    CHECK_FALSE(trim.timestamp);

    CHECK(StartingPosition::latest().type == ShardIteratorType::Latest);

    const auto at = StartingPosition::at_sequence_number("49590338271490256608559692538361571095921575989136588898");
    CHECK(at.type == ShardIteratorType::AtSequenceNumber);
    CHECK(at.sequence_number == "49590338271490256608559692538361571095921575989136588898");
    CHECK_FALSE(at.timestamp);

    const auto after = StartingPosition::after_sequence_number("7");
    CHECK(after.type == ShardIteratorType::AfterSequenceNumber);
    CHECK(after.sequence_number == "7");

    const kinesis::Timestamp when{seconds(1700000000)};
    const auto stamp = StartingPosition::at_timestamp(when);
    CHECK(stamp.type == ShardIteratorType::AtTimestamp);
    CHECK(stamp.timestamp == when);
    CHECK_FALSE(stamp.sequence_number);
}

TEST_CASE("the default pacing keeps one reader within 5 GetRecords per second") {
    const ShardReaderOptions options;
    CHECK(poll_delay(options, {}) == milliseconds(200));
    CHECK(seconds(1) / poll_delay(options, {}) <= 5);
}

TEST_CASE("empty polls while caught up double the gap from min_interval up to max_idle_backoff") {
    ShardReaderOptions options;
    options.min_interval = milliseconds(200);
    options.max_idle_backoff = milliseconds(1000);
    CHECK(delay_after(options, PollOutcome::EmptyCaughtUp, 1) == milliseconds(200));
    CHECK(delay_after(options, PollOutcome::EmptyCaughtUp, 2) == milliseconds(400));
    CHECK(delay_after(options, PollOutcome::EmptyCaughtUp, 3) == milliseconds(800));
    CHECK(delay_after(options, PollOutcome::EmptyCaughtUp, 4) == milliseconds(1000));
    CHECK(delay_after(options, PollOutcome::EmptyCaughtUp, 1000) == milliseconds(1000));
}

TEST_CASE("a batch with records resets the idle backoff to min_interval") {
    ShardReaderOptions options;
    PollBackoff state;
    for (int i = 0; i < 5; ++i) state = next_backoff(state, PollOutcome::EmptyCaughtUp);
    REQUIRE(poll_delay(options, state) == options.max_idle_backoff);
    state = next_backoff(state, PollOutcome::Records);
    CHECK(state.empty_polls == 0);
    CHECK(poll_delay(options, state) == options.min_interval);
}

TEST_CASE("an empty batch while behind the tip does not slow the reader down") {
    ShardReaderOptions options;
    PollBackoff state;
    for (int i = 0; i < 3; ++i) state = next_backoff(state, PollOutcome::EmptyCaughtUp);
    state = next_backoff(state, PollOutcome::EmptyBehind);
    CHECK(state.empty_polls == 0);
    CHECK(poll_delay(options, state) == options.min_interval);
}

TEST_CASE("a failure adds no wait of the reader's own: the pipeline's retries already backed off") {
    ShardReaderOptions options;
    CHECK(delay_after(options, PollOutcome::Failed, 1) == options.min_interval);
    CHECK(delay_after(options, PollOutcome::Failed, 1000) == options.min_interval);
}

TEST_CASE("a failure keeps the idle count, records reset it") {
    ShardReaderOptions options;
    PollBackoff state;
    state = next_backoff(state, PollOutcome::EmptyCaughtUp);
    state = next_backoff(state, PollOutcome::EmptyCaughtUp);
    state = next_backoff(state, PollOutcome::Failed);
    CHECK(state.empty_polls == 2);
    CHECK(poll_delay(options, state) == milliseconds(400));
    state = next_backoff(state, PollOutcome::Records);
    CHECK(state.empty_polls == 0);
    CHECK(poll_delay(options, state) == options.min_interval);
}

TEST_CASE("min_interval is a floor even when the backoff settings are smaller") {
    ShardReaderOptions options;
    options.min_interval = milliseconds(300);
    options.max_idle_backoff = milliseconds(100);
    CHECK(delay_after(options, PollOutcome::EmptyCaughtUp, 5) == milliseconds(300));
    CHECK(delay_after(options, PollOutcome::Failed, 5) == milliseconds(300));
}

TEST_CASE("an iterator is renewed once it is iterator_max_age old, not before") {
    const std::chrono::steady_clock::time_point issued{seconds(1000)};
    const milliseconds max_age = ShardReaderOptions{}.iterator_max_age;
    CHECK(max_age == seconds(270));
    CHECK(max_age < std::chrono::minutes(5));  // renewed before the service expires it
    using kinesis::detail::iterator_needs_renewal;
    CHECK_FALSE(iterator_needs_renewal(issued, issued, max_age));
    CHECK_FALSE(iterator_needs_renewal(issued, issued + max_age - milliseconds(1), max_age));
    CHECK(iterator_needs_renewal(issued, issued + max_age, max_age));
    CHECK(iterator_needs_renewal(issued, issued + std::chrono::minutes(6), max_age));
}

TEST_CASE("a renewed iterator starts after the last delivered record whatever the start was") {
    using kinesis::detail::resume_position;
    const kinesis::Timestamp when{seconds(1700000000)};
    for (const auto& start : {StartingPosition::trim_horizon(), StartingPosition::latest(),
                              StartingPosition::at_sequence_number("5"), StartingPosition::after_sequence_number("5"),
                              StartingPosition::at_timestamp(when)}) {
        CAPTURE(kinesis::to_string(start.type));
        const auto resumed = resume_position(start, std::string("12345678901234567890"), when);
        CHECK(resumed.type == ShardIteratorType::AfterSequenceNumber);
        CHECK(resumed.sequence_number == "12345678901234567890");
        CHECK_FALSE(resumed.timestamp);
    }
}

TEST_CASE("with nothing delivered a renewed iterator repeats the start, and LATEST becomes its issue time") {
    using kinesis::detail::resume_position;
    const kinesis::Timestamp when{seconds(1700000000)};
    const kinesis::Timestamp issued{seconds(1700000100)};

    const auto trim = resume_position(StartingPosition::trim_horizon(), std::nullopt, issued);
    CHECK(trim.type == ShardIteratorType::TrimHorizon);

    const auto at = resume_position(StartingPosition::at_sequence_number("42"), std::nullopt, std::nullopt);
    CHECK(at.type == ShardIteratorType::AtSequenceNumber);
    CHECK(at.sequence_number == "42");

    const auto after = resume_position(StartingPosition::after_sequence_number("42"), std::nullopt, std::nullopt);
    CHECK(after.type == ShardIteratorType::AfterSequenceNumber);
    CHECK(after.sequence_number == "42");

    const auto stamp = resume_position(StartingPosition::at_timestamp(when), std::nullopt, std::nullopt);
    CHECK(stamp.type == ShardIteratorType::AtTimestamp);
    CHECK(stamp.timestamp == when);

    // A second LATEST would skip records written since the first one was issued.
    const auto latest = resume_position(StartingPosition::latest(), std::nullopt, issued);
    CHECK(latest.type == ShardIteratorType::AtTimestamp);
    CHECK(latest.timestamp == issued);
    // Before any LATEST iterator was issued there is nothing to skip.
    CHECK(resume_position(StartingPosition::latest(), std::nullopt, std::nullopt).type == ShardIteratorType::Latest);
}

TEST_CASE("ShardReader input checks name the field and the limit") {
    using kinesis::detail::check_shard_reader_input;
    const ShardReaderOptions options;
    CHECK(check_shard_reader_input("shardId-000000000000", StartingPosition::trim_horizon(), options));

    auto empty = check_shard_reader_input("", StartingPosition::trim_horizon(), options);
    REQUIRE_FALSE(empty);
    CHECK(empty.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(empty.error().message == "ShardReader: shard_id is empty");

    for (int limit : {0, 10001, -3}) {
        ShardReaderOptions bad;
        bad.limit = limit;
        auto result = check_shard_reader_input("shardId-000000000000", StartingPosition::trim_horizon(), bad);
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(result.error().message == "ShardReader: limit is " + std::to_string(limit) + "; the range is 1 to 10000");
    }
    ShardReaderOptions edge;
    edge.limit = 1;
    CHECK(check_shard_reader_input("s", StartingPosition::trim_horizon(), edge));
    edge.limit = 10000;
    CHECK(check_shard_reader_input("s", StartingPosition::trim_horizon(), edge));

    StartingPosition no_sequence;
    no_sequence.type = ShardIteratorType::AfterSequenceNumber;
    auto missing = check_shard_reader_input("s", no_sequence, options);
    REQUIRE_FALSE(missing);
    CHECK(missing.error().message == "ShardReader: AFTER_SEQUENCE_NUMBER needs a sequence_number");

    StartingPosition no_time;
    no_time.type = ShardIteratorType::AtTimestamp;
    auto missing_time = check_shard_reader_input("s", no_time, options);
    REQUIRE_FALSE(missing_time);
    CHECK(missing_time.error().message == "ShardReader: AT_TIMESTAMP needs a timestamp");

    ShardReaderOptions zero_age;
    zero_age.iterator_max_age = milliseconds(0);
    CHECK_FALSE(check_shard_reader_input("s", StartingPosition::latest(), zero_age));
}
