// SPDX-License-Identifier: Apache-2.0
// callevents-consumer: the call-events project's consumer (W7). Reads every
// shard of the stream (the original read only the first), turns each event's
// user.user_id from a string into an integer, and stores every record as its
// own S3 object, logging as it goes, until SIGINT or SIGTERM.
//
// It uses only what the original instance role allowed: kinesis:DescribeStream
// (shards listed through it, not ListShards), kinesis:GetShardIterator,
// kinesis:GetRecords and s3:PutObject (no bucket check: the bucket must exist).
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/s3/s3_client.hpp>

#include "common/every_shard.hpp"
#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"
#include "common/stop_signal.hpp"

#include <fmt/core.h>
#include <simdjson.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view program = "callevents-consumer";

std::string usage() {
    return "usage: callevents-consumer [options]\n"
           "Reads every shard of the stream from TRIM_HORIZON (and the children of a\n"
           "closed shard), turns user.user_id into an integer and stores each record as\n"
           "s3://BUCKET/PREFIX<shard id>/<sequence number>.json, logging each one as\n"
           "  <shard id> <sequence number> s3://<bucket>/<key> <what was done>\n"
           "A record whose user_id is not a number, or that has none, is stored as it is;\n"
           "one that is not JSON is stored as it is under .../<sequence number>.raw; both\n"
           "are logged on stderr too. Runs until SIGINT or SIGTERM (status 0).\n"
           "  --stream NAME           (default: AForB_callevents)\n"
           "  --bucket NAME           an existing bucket (default: aforb-consumer-data)\n"
           "  --prefix PREFIX         key prefix (default: mandir-event-records/)\n"
           "  --poll-interval SECS    shortest pause between two reads of a shard (default: 1)\n"
           "  --max-records N         exit 0 after storing N records (default: never)\n"
           "  --idle-exit SECS        exit 0 after SECS without a new record (default: never)\n" +
           examples::client_flags_usage("eu-north-1") +
           "                        (S3: AWS_ENDPOINT_URL_S3 before AWS_ENDPOINT_URL; --endpoint-url\n"
           "                        sets both)\n";
}

struct Options {
    std::string stream;
    std::string bucket;
    std::string prefix;
    std::chrono::milliseconds poll_interval{};
    std::optional<long long> max_records;
    std::optional<std::chrono::milliseconds> idle_exit;
};

/// What became of one record.
enum class Outcome {
    Converted,       ///< user.user_id was a decimal string; now an integer
    AlreadyInteger,  ///< user.user_id was an integer already (a re-sent record)
    NotANumber,      ///< user.user_id is there but is not a decimal integer string
    NoUserId,        ///< valid JSON without user.user_id (or not an object)
    NotJson,         ///< the bytes are not JSON at all
};

std::string_view to_string(Outcome outcome) {
    switch (outcome) {
    case Outcome::Converted: return "user_id converted";
    case Outcome::AlreadyInteger: return "user_id already an integer";
    case Outcome::NotANumber: return "user_id kept (not a number)";
    case Outcome::NoUserId: return "kept (no user.user_id)";
    case Outcome::NotJson: return "kept (not JSON)";
    }
    return "?";
}

struct Transformed {
    Outcome outcome = Outcome::NotJson;
    std::string body;    ///< what to store
    std::string detail;  ///< the user_id as read, or the parse error
};

// A decimal integer string as JSON would write it: optional '-', digits, in
// int64 range. Leading zeros are accepted ("007" is 7).
std::optional<std::int64_t> parse_integer(std::string_view text) {
    const std::size_t digits_from = !text.empty() && text[0] == '-' ? 1 : 0;
    if (text.size() == digits_from || text.size() > 40) return std::nullopt;
    if (!std::all_of(text.begin() + static_cast<std::ptrdiff_t>(digits_from), text.end(),
                     [](char c) { return c >= '0' && c <= '9'; })) {
        return std::nullopt;
    }
    const std::string copy(text);
    errno = 0;
    const long long value = std::strtoll(copy.c_str(), nullptr, 10);
    if (errno == ERANGE) return std::nullopt;
    return static_cast<std::int64_t>(value);
}

// The record with user.user_id rewritten as an integer. Only the user_id's
// token changes: every other byte of the record is kept, so nothing else the
// producer sent (key order, spacing, number spelling) is altered.
Transformed transform(std::string_view data) {
    Transformed out;
    out.body = std::string(data);
    const simdjson::padded_string padded(data);
    simdjson::dom::parser dom;
    simdjson::dom::element document;
    if (auto error = dom.parse(padded).get(document)) {
        out.outcome = Outcome::NotJson;
        out.detail = simdjson::error_message(error);
        return out;
    }
    simdjson::dom::element user_id;
    if (!document.is_object() || document.at_pointer("/user/user_id").get(user_id) != simdjson::SUCCESS) {
        out.outcome = Outcome::NoUserId;
        return out;
    }
    if (user_id.is_int64() || user_id.is_uint64()) {
        out.outcome = Outcome::AlreadyInteger;
        out.detail = simdjson::minify(user_id);
        return out;
    }
    out.outcome = Outcome::NotANumber;
    out.detail = simdjson::minify(user_id);
    if (!user_id.is_string()) return out;
    const std::string_view text = user_id.get_string().value_unsafe();
    const auto value = parse_integer(text);
    if (!value) return out;

    // Where the token is: the DOM keeps no offsets, the on-demand parser does.
    simdjson::ondemand::parser ondemand;
    simdjson::ondemand::document doc;
    std::string_view raw;
    if (ondemand.iterate(padded).get(doc) != simdjson::SUCCESS ||
        doc.find_field_unordered("user").find_field_unordered("user_id").raw_json_token().get(raw) !=
            simdjson::SUCCESS) {
        return out;
    }
    const std::string quoted = "\"" + std::string(text) + "\"";
    // A user_id spelled with escapes ("\u0035") is left alone rather than misspliced.
    if (raw.substr(0, quoted.size()) != quoted) return out;
    const auto offset = static_cast<std::size_t>(raw.data() - padded.data());
    out.body.replace(offset, quoted.size(), std::to_string(*value));
    out.outcome = Outcome::Converted;
    return out;
}

struct Counts {
    long long stored = 0;
    std::map<Outcome, long long> outcomes;
    std::map<std::string, long long> per_shard;
};

// Handles one record; false when it could not be stored.
bool consume(kinesis::S3Client& s3, const Options& options, const std::string& shard_id,
             const kinesis::UserRecord& record, Counts& counts) {
    Transformed transformed = transform(record.data);
    kinesis::PutObjectRequest request;
    request.bucket = options.bucket;
    // The user records of one KPL aggregate share a sequence number.
    request.key = options.prefix + shard_id + "/" + record.sequence_number +
                  (record.aggregated ? "-" + std::to_string(record.sub_sequence_number) : std::string()) +
                  (transformed.outcome == Outcome::NotJson ? ".raw" : ".json");
    request.body = std::move(transformed.body);
    if (transformed.outcome != Outcome::NotJson) request.content_type = "application/json";

    switch (transformed.outcome) {
    case Outcome::NotANumber:
        fmt::print(stderr, "{}: {} {}: user.user_id {} is not a number; stored unchanged\n", program, shard_id,
                   record.sequence_number, transformed.detail);
        break;
    case Outcome::NoUserId:
        fmt::print(stderr, "{}: {} {}: no user.user_id; stored unchanged\n", program, shard_id,
                   record.sequence_number);
        break;
    case Outcome::NotJson:
        fmt::print(stderr, "{}: {} {}: not JSON ({}); stored unchanged\n", program, shard_id,
                   record.sequence_number, transformed.detail);
        break;
    case Outcome::Converted:
    case Outcome::AlreadyInteger: break;
    }

    auto put = s3.put_object(request);
    if (!put) {
        fmt::print(stderr, "{}: {} {}: could not store s3://{}/{}: {}\n", program, shard_id, record.sequence_number,
                   request.bucket, request.key, examples::one_line(put.error()));
        return false;
    }
    fmt::print("{} {} s3://{}/{} {}\n", shard_id, record.sequence_number, request.bucket, request.key,
               to_string(transformed.outcome));
    std::fflush(stdout);
    ++counts.stored;
    ++counts.outcomes[transformed.outcome];
    ++counts.per_shard[shard_id];
    return true;
}

void print_summary(const Counts& counts) {
    std::string outcomes;
    for (const auto& [outcome, n] : counts.outcomes) {
        outcomes += fmt::format("{}{}: {}", outcomes.empty() ? "" : ", ", to_string(outcome), n);
    }
    std::string shards;
    for (const auto& [shard, n] : counts.per_shard) shards += fmt::format(" {}={}", shard, n);
    fmt::print(stderr, "{}: stored {} record{}{}{}; per shard:{}\n", program, counts.stored,
               counts.stored == 1 ? "" : "s", outcomes.empty() ? "" : " (", outcomes.empty() ? "" : outcomes + ")",
               shards.empty() ? " none" : shards);
}

int run(const kinesis::ClientConfig& config, kinesis::S3Client& s3, const Options& options) {
    Counts counts;
    int status = 0;
    const auto store_all = [&](const std::string& shard_id, const std::vector<kinesis::UserRecord>& records) {
        for (const auto& record : records) {
            if (!consume(s3, options, shard_id, record, counts)) {
                // Stopping here loses nothing: the next run reads the shard
                // from TRIM_HORIZON again and rewrites the same keys.
                status = 1;
                return false;
            }
            if (options.max_records && counts.stored >= *options.max_records) return false;
        }
        return true;
    };
    examples::EveryShardOptions read;
    read.reader.min_interval = options.poll_interval;
    read.reader.max_idle_backoff = std::max(read.reader.max_idle_backoff, options.poll_interval);
    read.shard_listing = kinesis::ShardListing::DescribeStream;  // what the instance role allows
    read.idle_exit = options.idle_exit;
    examples::EveryShardConsumer consumer(config, options.stream, read, program, store_all);
    auto shards = consumer.start();
    if (!shards) return examples::fail(program, shards.error());
    fmt::print(stderr, "{}: reading {} shard{} of {} into s3://{}/{}\n", program, *shards, *shards == 1 ? "" : "s",
               options.stream, options.bucket, options.prefix);

    switch (consumer.run()) {
    case examples::RunEnd::Callback: break;  // --max-records, or a record that could not be stored
    case examples::RunEnd::Idle:
        fmt::print(stderr, "{}: no new record for {} ms; exiting\n", program, options.idle_exit->count());
        break;
    case examples::RunEnd::Signal: fmt::print(stderr, "{}: stopped by signal\n", program); break;
    }
    print_summary(counts);
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "eu-north-1"},
        [&](examples::Flags& flags) {
            options.stream = flags.get("stream", "AForB_callevents");
            options.bucket = flags.get("bucket", "aforb-consumer-data");
            options.prefix = flags.get("prefix", "mandir-event-records/");
            options.poll_interval = flags.get_seconds("poll-interval", std::chrono::seconds(1));
            options.max_records = flags.get_int("max-records", 1, 1LL << 62);
            options.idle_exit = flags.get_seconds("idle-exit");
        },
        [&](const kinesis::ClientConfig& config) {
            examples::catch_stop_signals();
            // A transient S3 error is retried by the client (standard mode, full
            // jitter), with more patience than the default: a record is stored or
            // the consumer stops on a permanent error, never dropped without a word.
            kinesis::ClientConfig s3_config = config;
            if (s3_config.retry.max_attempts == 0 && std::getenv("AWS_MAX_ATTEMPTS") == nullptr) {
                s3_config.retry.max_attempts = 10;
            }
            kinesis::S3Client s3(s3_config);
            return run(config, s3, options);
        });
}
