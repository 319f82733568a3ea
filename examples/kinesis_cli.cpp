// SPDX-License-Identifier: Apache-2.0
// kinesis-cli: the AWS CLI tutorial (W5) with a tool whose sub-commands, flags,
// JSON output and errors mirror `aws kinesis`, so the tutorial can be followed
// as written: `kinesis-cli put-record --stream-name DemoStream --partition-key 1 ...`.
#include <kinesis/core/config.hpp>
#include <kinesis/core/base64.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include "common/flags.hpp"
#include "common/output.hpp"

#include <fmt/core.h>
#include <simdjson.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

// The AWS CLI v2's exit statuses.
constexpr int exit_usage = 252;        // bad command line or parameter validation
constexpr int exit_environment = 253;  // credentials or configuration
constexpr int exit_service = 254;      // the service answered with an error
constexpr int exit_other = 255;        // anything else (connection, timeout, unreadable answer)

constexpr std::string_view usage_text =
    "usage: kinesis-cli [global options] <command> [parameters]\n"
    "Sub-commands, parameters and JSON output follow `aws kinesis`.\n"
    "Commands:\n"
    "  list-streams, create-stream, delete-stream, describe-stream, describe-stream-summary,\n"
    "  describe-limits, list-shards, put-record, put-records, get-shard-iterator, get-records,\n"
    "  update-shard-count, split-shard, merge-shards, update-stream-mode,\n"
    "  increase-stream-retention-period, decrease-stream-retention-period,\n"
    "  add-tags-to-stream, list-tags-for-stream, remove-tags-from-stream,\n"
    "  wait stream-exists | stream-not-exists\n"
    "Global options:\n"
    "  --region REGION  --endpoint-url URL  --profile NAME  (else the standard AWS environment)\n"
    "  --cli-binary-format base64|raw-in-base64-out   how --data is given (default: base64)\n"
    "  --no-paginate    one page only (also implied by --limit, --max-results, --next-token)\n"
    "  --output json    the only output format\n"
    "Exit status: 0 ok, 252 bad usage, 253 credentials/configuration, 254 service error, 255 other.\n";

struct UsageFailure {
    std::string message;
};

/// What every sub-command needs: its flags, and a client made once the
/// command line is known to be good.
class Context {
public:
    Context(examples::Flags& flags, kinesis::ClientConfig config, bool raw_binary_in, bool paginate)
        : flags(flags), raw_binary_in(raw_binary_in), paginate(paginate), config_(std::move(config)) {}

    /// Checks that no unknown flag remains, then returns the client.
    kinesis::KinesisClient& client() {
        flags.finish();
        if (!client_) client_ = std::make_unique<kinesis::KinesisClient>(config_);
        return *client_;
    }

    examples::Flags& flags;
    bool raw_binary_in;
    bool paginate;

private:
    kinesis::ClientConfig config_;
    std::unique_ptr<kinesis::KinesisClient> client_;
};

// Prints an error the way the AWS CLI does, returning its exit status.
int report(std::string_view operation, const kinesis::Error& error) {
    switch (error.kind) {
    case kinesis::ErrorKind::InvalidArgument:
        fmt::print(stderr, "\nParameter validation failed:\n{}\n", error.message);
        return exit_usage;
    case kinesis::ErrorKind::Credentials:
        fmt::print(stderr, "\n{}\n", examples::one_line(error));
        return exit_environment;
    case kinesis::ErrorKind::Service:
    case kinesis::ErrorKind::Throttled:
        if (error.http_status != 0) {
            fmt::print(stderr, "\nAn error occurred ({}) when calling the {} operation: {}\n",
                       error.code.empty() ? "Unknown" : error.code, operation, error.message);
            return exit_service;
        }
        break;
    default:
        break;
    }
    fmt::print(stderr, "\n{}\n", examples::one_line(error));
    return exit_other;
}

void print(const examples::CliJson& json) {
    std::fputs(json.str().c_str(), stdout);
}

// ---- parameter values: shorthand, JSON, file://, timestamps ----

/// A parameter's text, read from a file for `file://path` as the CLI does.
std::string load_parameter(std::string_view name, std::string value) {
    constexpr std::string_view prefix = "file://";
    if (value.compare(0, prefix.size(), prefix) != 0) return value;
    std::ifstream in(value.substr(prefix.size()), std::ios::binary);
    if (!in) throw UsageFailure{fmt::format("--{}: cannot read {}", name, value.substr(prefix.size()))};
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

/// "Key=Value,Key2=Value2" or a JSON object of strings.
std::map<std::string, std::string> parse_map(std::string_view name, const std::string& text) {
    std::map<std::string, std::string> out;
    if (!text.empty() && text.front() == '{') {
        simdjson::dom::parser parser;
        simdjson::dom::object object;
        if (parser.parse(text).get(object) != simdjson::SUCCESS) {
            throw UsageFailure{fmt::format("--{}: not a JSON object", name)};
        }
        for (auto field : object) {
            std::string_view value;
            if (field.value.get(value) != simdjson::SUCCESS) {
                throw UsageFailure{fmt::format("--{}: the value of {} must be a string", name, field.key)};
            }
            out.emplace(std::string(field.key), std::string(value));
        }
        return out;
    }
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto end = std::min(text.find(',', start), text.size());
        const std::string_view pair(text.data() + start, end - start);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0) {
            throw UsageFailure{fmt::format("--{}: expected Key=Value[,Key=Value...], got '{}'", name, pair)};
        }
        out.emplace(std::string(pair.substr(0, eq)), std::string(pair.substr(eq + 1)));
        start = end + 1;
    }
    return out;
}

kinesis::StreamMode parse_stream_mode(const std::string& text) {
    auto fields = parse_map("stream-mode-details", text);
    const auto it = fields.find("StreamMode");
    if (it == fields.end() || fields.size() != 1) {
        throw UsageFailure{"--stream-mode-details: expected StreamMode=PROVISIONED|ON_DEMAND"};
    }
    if (it->second == "ON_DEMAND") return kinesis::StreamMode::OnDemand;
    if (it->second == "PROVISIONED") return kinesis::StreamMode::Provisioned;
    throw UsageFailure{fmt::format("--stream-mode-details: StreamMode must be PROVISIONED or ON_DEMAND, not '{}'",
                                   it->second)};
}

kinesis::ShardIteratorType parse_iterator_type(const std::string& text) {
    using T = kinesis::ShardIteratorType;
    for (T type : {T::AtSequenceNumber, T::AfterSequenceNumber, T::TrimHorizon, T::Latest, T::AtTimestamp}) {
        if (kinesis::to_string(type) == text) return type;
    }
    throw UsageFailure{fmt::format(
        "argument --shard-iterator-type: Invalid choice '{}', valid choices are: AT_SEQUENCE_NUMBER | "
        "AFTER_SEQUENCE_NUMBER | TRIM_HORIZON | LATEST | AT_TIMESTAMP",
        text)};
}

/// Epoch seconds ("1700000000.5") or ISO 8601 ("2024-02-14T10:35:12Z",
/// "2024-02-14T10:35:12.250+01:00", "2024-02-14"), as the CLI accepts them.
kinesis::Timestamp parse_timestamp(const std::string& text) {
    using namespace std::chrono;
    const auto bad = [&] {
        return UsageFailure{fmt::format("--timestamp: expected epoch seconds or ISO 8601, not '{}'", text)};
    };
    char* end = nullptr;
    const double epoch = std::strtod(text.c_str(), &end);
    if (!text.empty() && *end == '\0') {
        if (!std::isfinite(epoch)) throw bad();
        return kinesis::Timestamp(duration_cast<system_clock::duration>(duration<double>(epoch)));
    }
    std::tm tm{};
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &consumed) != 3) throw bad();
    std::string_view rest(text.c_str() + consumed);
    double fraction = 0;
    long offset_seconds = 0;
    if (!rest.empty()) {
        if (rest.front() != 'T' && rest.front() != ' ') throw bad();
        int used = 0;
        if (std::sscanf(rest.data() + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &used) != 3) {
            throw bad();
        }
        rest.remove_prefix(1 + static_cast<std::size_t>(used));
        if (!rest.empty() && rest.front() == '.') {
            std::size_t digits = 1;
            while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') ++digits;
            fraction = std::strtod(std::string(rest.substr(0, digits)).c_str(), nullptr);
            rest.remove_prefix(digits);
        }
        if (rest == "Z" || rest == "+00:00") {
            rest = {};
        } else if (!rest.empty()) {
            int hours = 0;
            int minutes = 0;
            if (rest.size() != 6 || (rest[0] != '+' && rest[0] != '-') ||
                std::sscanf(rest.data() + 1, "%2d:%2d", &hours, &minutes) != 2) {
                throw bad();
            }
            offset_seconds = (rest[0] == '+' ? 1 : -1) * (hours * 3600L + minutes * 60L);
        }
    }
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const std::time_t seconds = timegm(&tm);
    if (seconds == static_cast<std::time_t>(-1)) throw bad();
    return kinesis::Timestamp(duration_cast<system_clock::duration>(seconds * 1s - offset_seconds * 1s +
                                                                     duration<double>(fraction)));
}

/// --data as given: raw text with --cli-binary-format raw-in-base64-out, else
/// base64 (the AWS CLI v2 default).
std::string blob_argument(const Context& context, std::string_view name, const std::string& value) {
    if (context.raw_binary_in) return value;
    auto decoded = kinesis::base64_decode(value);
    if (!decoded) {
        throw UsageFailure{fmt::format("--{}: Invalid base64: \"{}\" (pass --cli-binary-format "
                                       "raw-in-base64-out to give raw text)",
                                       name, value)};
    }
    return std::move(*decoded);
}

/// --stream-arn, else --stream-name: every stream-addressed command takes either.
kinesis::StreamRef stream_argument(examples::Flags& flags) {
    if (auto arn = flags.get("stream-arn")) {
        if (flags.get("stream-name")) throw UsageFailure{"give --stream-name or --stream-arn, not both"};
        return kinesis::StreamRef(std::move(*arn));
    }
    auto name = flags.get("stream-name");
    if (!name) throw UsageFailure{"the following arguments are required: --stream-name (or --stream-arn)"};
    return kinesis::StreamRef(std::move(*name));
}

int int_argument(examples::Flags& flags, std::string_view name, long long min, long long max) {
    auto value = flags.get_int(name, min, max);
    if (!value) throw UsageFailure{fmt::format("the following arguments are required: --{}", name)};
    return static_cast<int>(*value);
}

std::optional<int> optional_int(examples::Flags& flags, std::string_view name, long long min, long long max) {
    auto value = flags.get_int(name, min, max);
    return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

// ---- JSON shapes, in the model's member order ----

void write_stream_mode(examples::CliJson& json, const std::optional<kinesis::StreamMode>& mode) {
    if (!mode) return;
    json.key("StreamModeDetails").begin_object().member("StreamMode", kinesis::to_string(*mode)).end_object();
}

void write_hash_key_range(examples::CliJson& json, const kinesis::HashKeyRange& range) {
    json.key("HashKeyRange")
        .begin_object()
        .member("StartingHashKey", range.starting_hash_key)
        .member("EndingHashKey", range.ending_hash_key)
        .end_object();
}

void write_shard(examples::CliJson& json, const kinesis::Shard& shard) {
    json.begin_object().member("ShardId", shard.shard_id);
    if (shard.parent_shard_id) json.member("ParentShardId", *shard.parent_shard_id);
    if (shard.adjacent_parent_shard_id) json.member("AdjacentParentShardId", *shard.adjacent_parent_shard_id);
    write_hash_key_range(json, shard.hash_key_range);
    json.key("SequenceNumberRange")
        .begin_object()
        .member("StartingSequenceNumber", shard.sequence_number_range.starting_sequence_number);
    if (shard.sequence_number_range.ending_sequence_number) {
        json.member("EndingSequenceNumber", *shard.sequence_number_range.ending_sequence_number);
    }
    json.end_object().end_object();
}

void write_shards(examples::CliJson& json, const std::vector<kinesis::Shard>& shards) {
    json.key("Shards").begin_array();
    for (const auto& shard : shards) write_shard(json, shard);
    json.end_array();
}

void write_enhanced_monitoring(examples::CliJson& json, const std::vector<kinesis::EnhancedMetrics>& metrics) {
    json.key("EnhancedMonitoring").begin_array();
    for (const auto& entry : metrics) {
        json.begin_object().key("ShardLevelMetrics").begin_array();
        for (const auto& name : entry.shard_level_metrics) json.string(name);
        json.end_array().end_object();
    }
    json.end_array();
}

void write_encryption(examples::CliJson& json, const std::optional<kinesis::EncryptionType>& type,
                      const std::optional<std::string>& key_id) {
    if (type) json.member("EncryptionType", kinesis::to_string(*type));
    if (key_id) json.member("KeyId", *key_id);
}

// ---- the sub-commands ----

int list_streams(Context& context) {
    auto& flags = context.flags;
    kinesis::ListStreamsRequest request;
    request.limit = optional_int(flags, "limit", 1, 10000);
    request.exclusive_start_stream_name = flags.get("exclusive-start-stream-name");
    request.next_token = flags.get("next-token");
    const bool one_page = !context.paginate || request.limit || request.exclusive_start_stream_name || request.next_token;
    auto& client = context.client();
    auto result = one_page ? client.list_streams(request) : client.list_all_streams();
    if (!result) return report("ListStreams", result.error());
    examples::CliJson json;
    json.begin_object().key("StreamNames").begin_array();
    for (const auto& name : result->stream_names) json.string(name);
    json.end_array();
    // A full listing (the CLI's paginator) has no HasMoreStreams or NextToken.
    if (one_page) {
        json.member("HasMoreStreams", result->has_more_streams);
        if (result->next_token) json.member("NextToken", *result->next_token);
    }
    json.key("StreamSummaries").begin_array();
    for (const auto& summary : result->stream_summaries) {
        json.begin_object()
            .member("StreamName", summary.stream_name)
            .member("StreamARN", summary.stream_arn)
            .member("StreamStatus", kinesis::to_string(summary.stream_status));
        write_stream_mode(json, summary.stream_mode);
        if (summary.stream_creation_timestamp) {
            json.member("StreamCreationTimestamp", examples::iso8601(*summary.stream_creation_timestamp));
        }
        json.end_object();
    }
    json.end_array().end_object();
    print(json);
    return 0;
}

int create_stream(Context& context) {
    auto& flags = context.flags;
    kinesis::CreateStreamRequest request;
    request.stream_name = flags.required("stream-name");
    request.shard_count = optional_int(flags, "shard-count", 1, 1000000);
    if (auto mode = flags.get("stream-mode-details")) {
        request.stream_mode = parse_stream_mode(load_parameter("stream-mode-details", std::move(*mode)));
    }
    if (auto tags = flags.get("tags")) request.tags = parse_map("tags", load_parameter("tags", std::move(*tags)));
    request.max_record_size_kib = optional_int(flags, "max-record-size-in-ki-b", 1, 1 << 30);
    auto result = context.client().create_stream(request);
    return result ? 0 : report("CreateStream", result.error());
}

int delete_stream(Context& context) {
    kinesis::DeleteStreamRequest request;
    request.stream = stream_argument(context.flags);
    request.enforce_consumer_deletion = context.flags.has("enforce-consumer-deletion");
    (void)context.flags.has("no-enforce-consumer-deletion");
    auto result = context.client().delete_stream(request);
    return result ? 0 : report("DeleteStream", result.error());
}

int describe_stream(Context& context) {
    auto& flags = context.flags;
    kinesis::DescribeStreamRequest request;
    request.stream = stream_argument(flags);
    request.limit = optional_int(flags, "limit", 1, 10000);
    request.exclusive_start_shard_id = flags.get("exclusive-start-shard-id");
    const bool one_page = !context.paginate || request.limit || request.exclusive_start_shard_id;
    auto& client = context.client();
    auto result = one_page ? client.describe_stream(request) : client.describe_stream_all_shards(request.stream);
    if (!result) return report("DescribeStream", result.error());
    const auto& d = *result;
    examples::CliJson json;
    json.begin_object().key("StreamDescription").begin_object();
    json.member("StreamName", d.stream_name)
        .member("StreamARN", d.stream_arn)
        .member("StreamStatus", kinesis::to_string(d.stream_status));
    write_stream_mode(json, d.stream_mode);
    write_shards(json, d.shards);
    json.member("HasMoreShards", d.has_more_shards)
        .member("RetentionPeriodHours", d.retention_period_hours)
        .member("StreamCreationTimestamp", examples::iso8601(d.stream_creation_timestamp));
    write_enhanced_monitoring(json, d.enhanced_monitoring);
    write_encryption(json, d.encryption_type, d.key_id);
    json.end_object().end_object();
    print(json);
    return 0;
}

int describe_stream_summary(Context& context) {
    const auto stream = stream_argument(context.flags);
    auto result = context.client().describe_stream_summary(stream);
    if (!result) return report("DescribeStreamSummary", result.error());
    const auto& d = *result;
    examples::CliJson json;
    json.begin_object().key("StreamDescriptionSummary").begin_object();
    json.member("StreamName", d.stream_name).member("StreamARN", d.stream_arn);
    if (d.stream_id) json.member("StreamId", *d.stream_id);
    json.member("StreamStatus", kinesis::to_string(d.stream_status));
    write_stream_mode(json, d.stream_mode);
    json.member("RetentionPeriodHours", d.retention_period_hours)
        .member("StreamCreationTimestamp", examples::iso8601(d.stream_creation_timestamp));
    write_enhanced_monitoring(json, d.enhanced_monitoring);
    write_encryption(json, d.encryption_type, d.key_id);
    json.member("OpenShardCount", d.open_shard_count);
    if (d.consumer_count) json.member("ConsumerCount", *d.consumer_count);
    if (d.max_record_size_kib) json.member("MaxRecordSizeInKiB", *d.max_record_size_kib);
    json.end_object().end_object();
    print(json);
    return 0;
}

int describe_limits(Context& context) {
    auto result = context.client().describe_limits();
    if (!result) return report("DescribeLimits", result.error());
    examples::CliJson json;
    json.begin_object()
        .member("ShardLimit", result->shard_limit)
        .member("OpenShardCount", result->open_shard_count)
        .member("OnDemandStreamCount", result->on_demand_stream_count)
        .member("OnDemandStreamCountLimit", result->on_demand_stream_count_limit)
        .end_object();
    print(json);
    return 0;
}

int list_shards(Context& context) {
    auto& flags = context.flags;
    kinesis::ListShardsRequest request;
    request.next_token = flags.get("next-token");
    if (!request.next_token) request.stream = stream_argument(flags);
    request.exclusive_start_shard_id = flags.get("exclusive-start-shard-id");
    request.max_results = optional_int(flags, "max-results", 1, 10000);
    const bool one_page =
        !context.paginate || request.next_token || request.exclusive_start_shard_id || request.max_results;
    auto& client = context.client();
    examples::CliJson json;
    json.begin_object();
    if (one_page) {
        auto result = client.list_shards(request);
        if (!result) return report("ListShards", result.error());
        write_shards(json, result->shards);
        if (result->next_token) json.member("NextToken", *result->next_token);
    } else {
        auto result = client.list_all_shards(request.stream);
        if (!result) return report("ListShards", result.error());
        write_shards(json, *result);
    }
    json.end_object();
    print(json);
    return 0;
}

void write_put_record_result(examples::CliJson& json, const kinesis::PutRecordResult& result) {
    json.begin_object().member("ShardId", result.shard_id).member("SequenceNumber", result.sequence_number);
    if (result.encryption_type) json.member("EncryptionType", kinesis::to_string(*result.encryption_type));
    json.end_object();
}

int put_record(Context& context) {
    auto& flags = context.flags;
    kinesis::PutRecordRequest request;
    request.stream = stream_argument(flags);
    request.partition_key = flags.required("partition-key");
    request.data = blob_argument(context, "data", load_parameter("data", flags.required("data")));
    request.explicit_hash_key = flags.get("explicit-hash-key");
    request.sequence_number_for_ordering = flags.get("sequence-number-for-ordering");
    auto result = context.client().put_record(request);
    if (!result) return report("PutRecord", result.error());
    examples::CliJson json;
    write_put_record_result(json, *result);
    print(json);
    return 0;
}

int put_records(Context& context) {
    auto& flags = context.flags;
    kinesis::PutRecordsRequest request;
    request.stream = stream_argument(flags);
    const std::string text = load_parameter("records", flags.required("records"));
    simdjson::dom::parser parser;
    simdjson::dom::array entries;
    if (parser.parse(text).get(entries) != simdjson::SUCCESS) {
        throw UsageFailure{R"(--records: expected a JSON list like [{"Data":"...","PartitionKey":"..."}])"};
    }
    for (auto entry : entries) {
        simdjson::dom::object object;
        std::string_view value;
        std::string_view key;
        if (entry.get(object) != simdjson::SUCCESS || object["Data"].get(value) != simdjson::SUCCESS ||
            object["PartitionKey"].get(key) != simdjson::SUCCESS) {
            throw UsageFailure{"--records: every entry needs string members Data and PartitionKey"};
        }
        kinesis::PutRecordsRequestEntry record;
        record.data = blob_argument(context, "records", std::string(value));
        record.partition_key = std::string(key);
        std::string_view hash_key;
        if (object["ExplicitHashKey"].get(hash_key) == simdjson::SUCCESS) record.explicit_hash_key = std::string(hash_key);
        request.records.push_back(std::move(record));
    }
    auto result = context.client().put_records(request);
    if (!result) return report("PutRecords", result.error());
    examples::CliJson json;
    json.begin_object().member("FailedRecordCount", result->failed_record_count).key("Records").begin_array();
    for (const auto& entry : result->records) {
        json.begin_object();
        if (entry.sequence_number) json.member("SequenceNumber", *entry.sequence_number);
        if (entry.shard_id) json.member("ShardId", *entry.shard_id);
        if (entry.error_code) json.member("ErrorCode", *entry.error_code);
        if (entry.error_message) json.member("ErrorMessage", *entry.error_message);
        json.end_object();
    }
    json.end_array();
    if (result->encryption_type) json.member("EncryptionType", kinesis::to_string(*result->encryption_type));
    json.end_object();
    print(json);
    return 0;
}

int get_shard_iterator(Context& context) {
    auto& flags = context.flags;
    kinesis::GetShardIteratorRequest request;
    request.stream = stream_argument(flags);
    request.shard_id = flags.required("shard-id");
    request.shard_iterator_type = parse_iterator_type(flags.required("shard-iterator-type"));
    request.starting_sequence_number = flags.get("starting-sequence-number");
    if (auto timestamp = flags.get("timestamp")) request.timestamp = parse_timestamp(*timestamp);
    auto result = context.client().get_shard_iterator(request);
    if (!result) return report("GetShardIterator", result.error());
    examples::CliJson json;
    json.begin_object().member("ShardIterator", result->shard_iterator).end_object();
    print(json);
    return 0;
}

int get_records(Context& context) {
    auto& flags = context.flags;
    kinesis::GetRecordsRequest request;
    request.shard_iterator = flags.required("shard-iterator");
    request.limit = optional_int(flags, "limit", 1, 10000);
    request.stream_arn = flags.get("stream-arn");
    auto result = context.client().get_records(request);
    if (!result) return report("GetRecords", result.error());
    examples::CliJson json;
    json.begin_object().key("Records").begin_array();
    for (const auto& record : result->records) {
        json.begin_object().member("SequenceNumber", record.sequence_number);
        if (record.approximate_arrival_timestamp) {
            json.member("ApproximateArrivalTimestamp", examples::iso8601(*record.approximate_arrival_timestamp));
        }
        json.key("Data").base64(record.data).member("PartitionKey", record.partition_key);
        if (record.encryption_type) json.member("EncryptionType", kinesis::to_string(*record.encryption_type));
        json.end_object();
    }
    json.end_array();
    if (result->next_shard_iterator) json.member("NextShardIterator", *result->next_shard_iterator);
    if (result->millis_behind_latest) {
        json.member("MillisBehindLatest", static_cast<std::int64_t>(result->millis_behind_latest->count()));
    }
    if (!result->child_shards.empty()) {
        json.key("ChildShards").begin_array();
        for (const auto& child : result->child_shards) {
            json.begin_object().member("ShardId", child.shard_id).key("ParentShards").begin_array();
            for (const auto& parent : child.parent_shards) json.string(parent);
            json.end_array();
            write_hash_key_range(json, child.hash_key_range);
            json.end_object();
        }
        json.end_array();
    }
    json.end_object();
    print(json);
    return 0;
}

int update_shard_count(Context& context) {
    auto& flags = context.flags;
    kinesis::UpdateShardCountRequest request;
    request.stream = stream_argument(flags);
    request.target_shard_count = int_argument(flags, "target-shard-count", 1, 1000000);
    const auto scaling = flags.required("scaling-type");
    if (scaling != "UNIFORM_SCALING") {
        throw UsageFailure{fmt::format(
            "argument --scaling-type: Invalid choice '{}', valid choices are: UNIFORM_SCALING", scaling)};
    }
    auto result = context.client().update_shard_count(request);
    if (!result) return report("UpdateShardCount", result.error());
    examples::CliJson json;
    json.begin_object()
        .member("StreamName", result->stream_name)
        .member("CurrentShardCount", result->current_shard_count)
        .member("TargetShardCount", result->target_shard_count);
    if (result->stream_arn) json.member("StreamARN", *result->stream_arn);
    json.end_object();
    print(json);
    return 0;
}

int split_shard(Context& context) {
    kinesis::SplitShardRequest request;
    request.stream = stream_argument(context.flags);
    request.shard_to_split = context.flags.required("shard-to-split");
    request.new_starting_hash_key = context.flags.required("new-starting-hash-key");
    auto result = context.client().split_shard(request);
    return result ? 0 : report("SplitShard", result.error());
}

int merge_shards(Context& context) {
    kinesis::MergeShardsRequest request;
    request.stream = stream_argument(context.flags);
    request.shard_to_merge = context.flags.required("shard-to-merge");
    request.adjacent_shard_to_merge = context.flags.required("adjacent-shard-to-merge");
    auto result = context.client().merge_shards(request);
    return result ? 0 : report("MergeShards", result.error());
}

int update_stream_mode(Context& context) {
    const auto arn = context.flags.required("stream-arn");
    const auto mode = parse_stream_mode(load_parameter("stream-mode-details", context.flags.required("stream-mode-details")));
    auto result = context.client().update_stream_mode(arn, mode);
    return result ? 0 : report("UpdateStreamMode", result.error());
}

int increase_retention(Context& context) {
    const auto stream = stream_argument(context.flags);
    const int hours = int_argument(context.flags, "retention-period-hours", 0, 1000000);
    auto result = context.client().increase_stream_retention_period(stream, hours);
    return result ? 0 : report("IncreaseStreamRetentionPeriod", result.error());
}

int decrease_retention(Context& context) {
    const auto stream = stream_argument(context.flags);
    const int hours = int_argument(context.flags, "retention-period-hours", 0, 1000000);
    auto result = context.client().decrease_stream_retention_period(stream, hours);
    return result ? 0 : report("DecreaseStreamRetentionPeriod", result.error());
}

int add_tags(Context& context) {
    const auto stream = stream_argument(context.flags);
    const auto tags = parse_map("tags", load_parameter("tags", context.flags.required("tags")));
    auto result = context.client().add_tags_to_stream(stream, tags);
    return result ? 0 : report("AddTagsToStream", result.error());
}

int list_tags(Context& context) {
    const auto stream = stream_argument(context.flags);
    auto start = context.flags.get("exclusive-start-tag-key");
    const auto limit = optional_int(context.flags, "limit", 1, 50);
    auto result = context.client().list_tags_for_stream(stream, std::move(start), limit);
    if (!result) return report("ListTagsForStream", result.error());
    examples::CliJson json;
    json.begin_object().key("Tags").begin_array();
    for (const auto& tag : result->tags) {
        json.begin_object().member("Key", tag.key);
        if (tag.value) json.member("Value", *tag.value);
        json.end_object();
    }
    json.end_array().member("HasMoreTags", result->has_more_tags).end_object();
    print(json);
    return 0;
}

int remove_tags(Context& context) {
    const auto stream = stream_argument(context.flags);
    auto keys = context.flags.get_list("tag-keys");
    if (!keys) throw UsageFailure{"the following arguments are required: --tag-keys"};
    // One JSON list, or the keys as separate arguments, as the CLI takes them.
    std::vector<std::string> tag_keys;
    if (keys->size() == 1 && !keys->front().empty() && keys->front().front() == '[') {
        simdjson::dom::parser parser;
        simdjson::dom::array array;
        if (parser.parse(keys->front()).get(array) != simdjson::SUCCESS) throw UsageFailure{"--tag-keys: bad JSON list"};
        for (auto element : array) {
            std::string_view key;
            if (element.get(key) != simdjson::SUCCESS) throw UsageFailure{"--tag-keys: every key must be a string"};
            tag_keys.emplace_back(key);
        }
    } else {
        tag_keys = std::move(*keys);
    }
    auto result = context.client().remove_tags_from_stream(stream, tag_keys);
    return result ? 0 : report("RemoveTagsFromStream", result.error());
}

// `wait stream-exists` / `wait stream-not-exists`: botocore's waiters.
int wait(Context& context) {
    const auto& positional = context.flags.positional();
    if (positional.size() != 2 || (positional[1] != "stream-exists" && positional[1] != "stream-not-exists")) {
        throw UsageFailure{"usage: kinesis-cli wait stream-exists|stream-not-exists --stream-name NAME"};
    }
    const auto stream = stream_argument(context.flags);
    kinesis::WaiterConfig waiter;
    if (auto delay = context.flags.get_seconds("delay")) waiter.delay = *delay;
    waiter.max_attempts = static_cast<int>(context.flags.get_int("max-attempts", waiter.max_attempts, 1, 1000000));
    const bool exists = positional[1] == "stream-exists";
    auto& client = context.client();
    kinesis::Result<void> result;
    if (exists) {
        if (auto found = client.wait_until_stream_exists(stream, waiter); !found) result = std::move(found).error();
    } else {
        result = client.wait_until_stream_not_exists(stream, waiter);
    }
    if (result) return 0;
    fmt::print(stderr, "\nWaiter {} failed: {}\n", exists ? "StreamExists" : "StreamNotExists",
               examples::one_line(result.error()));
    return exit_other;
}

struct Command {
    std::string_view name;
    std::function<int(Context&)> run;
};

const std::vector<Command>& commands() {
    static const std::vector<Command> table = {
        {"list-streams", list_streams},
        {"create-stream", create_stream},
        {"delete-stream", delete_stream},
        {"describe-stream", describe_stream},
        {"describe-stream-summary", describe_stream_summary},
        {"describe-limits", describe_limits},
        {"list-shards", list_shards},
        {"put-record", put_record},
        {"put-records", put_records},
        {"get-shard-iterator", get_shard_iterator},
        {"get-records", get_records},
        {"update-shard-count", update_shard_count},
        {"split-shard", split_shard},
        {"merge-shards", merge_shards},
        {"update-stream-mode", update_stream_mode},
        {"increase-stream-retention-period", increase_retention},
        {"decrease-stream-retention-period", decrease_retention},
        {"add-tags-to-stream", add_tags},
        {"list-tags-for-stream", list_tags},
        {"remove-tags-from-stream", remove_tags},
        {"wait", wait},
    };
    return table;
}

int usage_error(std::string_view message) {
    fmt::print(stderr, "{}\nkinesis-cli: error: {}\n", usage_text, message);
    return exit_usage;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        examples::Flags flags(argc, argv, 1,
                              {"help", "no-cli-pager", "no-paginate", "enforce-consumer-deletion",
                               "no-enforce-consumer-deletion"},
                              {"tag-keys"});
        if (flags.has("help") || (!flags.positional().empty() && flags.positional()[0] == "help")) {
            fmt::print("{}", usage_text);
            return 0;
        }
        if (flags.positional().empty()) return usage_error("a command is required");
        const std::string& name = flags.positional()[0];
        const Command* command = nullptr;
        for (const auto& candidate : commands()) {
            if (candidate.name == name) command = &candidate;
        }
        if (command == nullptr) return usage_error(fmt::format("argument command: Invalid choice: '{}'", name));
        if (name != "wait" && flags.positional().size() > 1) {
            return usage_error(fmt::format("Unknown options: {}", flags.positional()[1]));
        }

        const auto output = flags.get("output", "json");
        if (output != "json") return usage_error(fmt::format("--output {}: only json is supported", output));
        (void)flags.has("no-cli-pager");  // there is no pager
        const auto binary_format = flags.get("cli-binary-format", "base64");
        if (binary_format != "base64" && binary_format != "raw-in-base64-out") {
            return usage_error(fmt::format(
                "argument --cli-binary-format: Invalid choice '{}', valid choices are: base64 | raw-in-base64-out",
                binary_format));
        }
        const bool paginate = !flags.has("no-paginate");
        Context context(flags, examples::client_config(flags, ""), binary_format == "raw-in-base64-out", paginate);
        return command->run(context);
    } catch (const examples::UsageError& e) {
        return usage_error(e.what());
    } catch (const UsageFailure& e) {
        return usage_error(e.message);
    } catch (const kinesis::Exception& e) {  // a configuration the client cannot start with
        fmt::print(stderr, "\n{}\n", examples::one_line(e.error()));
        return e.error().kind == kinesis::ErrorKind::InvalidArgument || e.error().kind == kinesis::ErrorKind::Credentials
                   ? exit_environment
                   : exit_other;
    }
}
