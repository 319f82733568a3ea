// SPDX-License-Identifier: Apache-2.0
// callevents-producer: the call-events project's producer (W6). Makes sure the
// stream exists (4 shards, ACTIVE), then puts generated call events, one per
// second by default, each with a partition key that lands it on the next shard
// in turn, logging every put; prints the per-shard counts when it stops.
//
// It uses only what the original instance role allowed: kinesis:DescribeStream,
// kinesis:CreateStream and kinesis:PutRecord (Stream::ensure would also call
// DescribeStreamSummary, and Stream::shard_map ListShards, so neither is used).
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/shard_map.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"
#include "common/stop_signal.hpp"

#include <fmt/core.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr std::string_view program = "callevents-producer";

std::string usage() {
    return "usage: callevents-producer [options]\n"
           "Creates the stream if it is missing (and waits until it is ACTIVE), then puts\n"
           "generated call events spread evenly over its shards, logging each put as\n"
           "  <shard id> <sequence number> <partition key> <event JSON>\n"
           "and printing the records per shard when it stops (after --count, or on SIGINT\n"
           "or SIGTERM, with status 0).\n"
           "  --stream NAME             (default: AForB_callevents)\n"
           "  --shards N                shard count if the stream is created (default: 4)\n"
           "  --rate N                  records per second (default: 1)\n"
           "  --count N                 stop after N records; 0 = never (default: 0)\n"
           "  --bad-user-id-every N     every Nth event gets a user.user_id that is not a\n"
           "                            number, to exercise the consumer (default: 0, never)\n"
           "  --wait-delay SECS         between DescribeStream calls while waiting for ACTIVE\n"
           "                            (default: 2; up to 150 calls)\n" +
           examples::client_flags_usage("eu-north-1");
}

struct Options {
    std::string stream;
    int shards = 4;
    double rate = 1;
    long long count = 0;
    long long bad_user_id_every = 0;
    std::chrono::milliseconds wait_delay{2000};
};

// Random values for the documented call-event shape. The numbers are strings,
// as in the sample, so the consumer has user.user_id to turn into an integer.
class EventGenerator {
public:
    EventGenerator() : random_(std::random_device{}()) {}

    std::string uuid() {
        std::uniform_int_distribution<std::uint64_t> bits;
        const std::uint64_t hi = (bits(random_) & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
        const std::uint64_t lo = (bits(random_) & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // variant 10
        return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                           lo >> 48, lo & 0xFFFFFFFFFFFFULL);
    }

    /// One event as JSON, laid out as Python's json.dumps writes the sample.
    /// `bad_user_id`: user.user_id is a non-numeric string.
    std::string event(const std::string& call_id, bool bad_user_id) {
        const bool ios = between(0, 1) == 0;
        const auto& language = pick(languages);
        const auto timestamp = std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count();
        const std::string user_id = bad_user_id ? fmt::format("u{}x", between(1, 999)) : number(1, 100000);
        const std::string version = fmt::format("{}.{}.{}", between(1, 9), between(0, 9), between(0, 9));

        std::string json;
        json.reserve(1400);
        json += R"({"event": {"property": {"call_id": )";
        str(json, call_id);
        json += R"(, "call_duration": )";
        str(json, number(1, 3600));
        json += R"(, "call_status": )";
        str(json, pick(call_statuses));
        json += R"(}, "super_property": {"source": "mandir", "type": )";
        const std::size_t kind = static_cast<std::size_t>(between(0, static_cast<int>(event_types.size()) - 1));
        str(json, event_types[kind]);
        json += R"(, "producer": "user", "name": )";
        str(json, event_names[kind]);
        json += R"(, "timestamp": )";
        str(json, std::to_string(timestamp));
        json += R"(}}, "user": {"user_id": )";
        str(json, user_id);
        json += R"(, "state": {"coins": )";
        str(json, number(0, 5000));
        json += R"(, "is_logged_in": )";
        str(json, boolean());
        json += R"(, "language": )";
        str(json, language);
        json += R"(, "language_mode": )";
        str(json, language);
        json += R"(, "country_code": )";
        str(json, pick(country_codes));
        json += R"(, "tz": )";
        str(json, pick(time_zones));
        json += R"(}, "device_segment": )";
        str(json, number(1, 64));
        json += R"(}, "platform": {"version": {"integer": )";
        str(json, std::to_string(version[0] - '0') + version.substr(2, 1) + version.substr(4, 1));
        json += R"(, "string": )";
        str(json, version);
        json += R"(}, "code": "com.mandir", "type": )";
        str(json, ios ? "iOS" : "Android");
        json += R"(}, "geo_location": null, "device": {"a_id": )";
        str(json, uuid());
        json += R"(, "state": {"is_background": )";
        str(json, boolean());
        json += R"(, "is_online": )";
        str(json, boolean());
        json += R"(, "is_playing_music": )";
        str(json, boolean());
        json += R"(}, "hardware": {"model_name": )";
        str(json, ios ? pick(iphone_models) : pick(android_models));
        json += R"(, "brand_name": )";
        str(json, ios ? "Apple" : pick(android_brands));
        json += R"(, "type": "Mobile"}, "software": {"mobile": {"version": )";
        str(json, ios ? number(13, 17) : number(10, 14));
        json += R"(, "name": )";
        str(json, ios ? "iOS" : "Android");
        json += R"(}, "web": null}, "ip": {"ipv4": )";
        str(json, fmt::format("192.168.{}.{}", between(0, 255), between(1, 254)));
        json += R"(, "ipv6": )";
        str(json, fmt::format("2401:db00:2110:{:x}:0:0:0:{:x}", between(0, 0xFFFF), between(1, 0xFFFF)));
        json += R"(}, "system_language": )";
        str(json, pick(system_languages));
        json += R"(, "system_id": )";
        str(json, uuid());
        json += R"(}, "session": {"number": )";
        str(json, number(1, 50));
        json += R"(, "id": )";
        str(json, uuid());
        json += R"(}, "referral": {"user_id": )";
        str(json, number(1, 100000));
        json += R"(, "user_code": )";
        str(json, referral_code());
        json += "}}";
        return json;
    }

private:
    static constexpr std::array<std::string_view, 4> call_statuses{"ongoing", "completed", "missed", "dropped"};
    static constexpr std::array<std::string_view, 3> event_types{"purchase", "call", "view"};
    static constexpr std::array<std::string_view, 3> event_names{"astrology_session_purchase", "astrology_call",
                                                                 "horoscope_view"};
    static constexpr std::array<std::string_view, 6> languages{"en", "hi", "fr", "es", "de", "ta"};
    static constexpr std::array<std::string_view, 6> country_codes{"US", "IN", "GB", "FR", "ES", "SE"};
    static constexpr std::array<std::string_view, 5> time_zones{"Europe/London", "Asia/Kolkata", "America/New_York",
                                                                "Europe/Paris", "Europe/Stockholm"};
    static constexpr std::array<std::string_view, 4> iphone_models{"iPhone 12", "iPhone 13", "iPhone 14 Pro",
                                                                   "iPhone SE"};
    static constexpr std::array<std::string_view, 4> android_models{"Galaxy S21", "Pixel 7", "Redmi Note 12",
                                                                    "OnePlus 11"};
    static constexpr std::array<std::string_view, 4> android_brands{"Samsung", "Google", "Xiaomi", "OnePlus"};
    static constexpr std::array<std::string_view, 5> system_languages{"English", "Hindi", "Spanish", "French",
                                                                      "Swedish"};

    int between(int low, int high) { return std::uniform_int_distribution<int>(low, high)(random_); }
    std::string number(int low, int high) { return std::to_string(between(low, high)); }
    std::string_view boolean() { return between(0, 1) != 0 ? "true" : "false"; }
    template <std::size_t N>
    std::string_view pick(const std::array<std::string_view, N>& values) {
        return values[static_cast<std::size_t>(between(0, static_cast<int>(N) - 1))];
    }
    std::string referral_code() {
        constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        std::string code;
        for (int i = 0; i < 7; ++i) code += alphabet[static_cast<std::size_t>(between(0, 35))];
        return code;
    }
    static void str(std::string& out, std::string_view value) { examples::append_json_string(out, value); }

    std::mt19937_64 random_;
};

// DescribeStream; CreateStream when it is missing; DescribeStream until ACTIVE.
// Only the actions the original role granted.
kinesis::Result<kinesis::StreamDescription> ensure_stream(kinesis::KinesisClient& client, const Options& options) {
    const kinesis::StreamRef stream{options.stream};
    kinesis::DescribeStreamRequest describe;
    describe.stream = stream;
    auto existing = client.describe_stream(describe);
    if (existing) {
        fmt::print(stderr, "{}: stream {} exists ({}, {} shard{} listed)\n", program, options.stream,
                   kinesis::to_string(existing->stream_status), existing->shards.size(),
                   existing->shards.size() == 1 ? "" : "s");
    } else if (existing.error().code == "ResourceNotFoundException") {
        kinesis::CreateStreamRequest create;
        create.stream_name = options.stream;
        create.shard_count = options.shards;
        auto created = client.create_stream(create);
        // Someone else creating it at the same moment is as good as creating it.
        if (!created && created.error().code != "ResourceInUseException") return std::move(created).error();
        fmt::print(stderr, "{}: created stream {} with {} shards\n", program, options.stream, options.shards);
    } else {
        return std::move(existing).error();
    }
    kinesis::WaiterConfig waiter;
    waiter.delay = options.wait_delay;
    waiter.max_attempts = 150;
    auto active = client.wait_until_stream_exists(stream, waiter);
    if (!active) return active;
    // The waiter's answer holds the first page of shards only.
    return client.describe_stream_all_shards(stream);
}

int run(kinesis::KinesisClient& client, const Options& options) {
    auto description = ensure_stream(client, options);
    if (!description) return examples::fail(program, description.error());
    auto map = kinesis::ShardMap::from_shards(description->shards);
    if (!map) return examples::fail(program, map.error());
    if (map->empty()) {
        return examples::fail(program, kinesis::invalid_argument("stream " + options.stream + " has no open shard"));
    }
    fmt::print(stderr, "{}: stream {} is ACTIVE with {} open shard{}; putting {} record{}/s{}\n", program,
               options.stream, map->size(), map->size() == 1 ? "" : "s", options.rate, options.rate == 1 ? "" : "s",
               options.count > 0 ? fmt::format(", {} in all", options.count) : std::string(" until stopped"));

    // Round-robin over the open shards: each event's call_id, its partition
    // key, is drawn again until its MD5 falls in the next shard's hash-key
    // range (1 in N draws does), so N shards get equal shares.
    std::map<std::string, long long> per_shard;
    for (const auto& shard : map->shards()) per_shard[shard.shard_id] = 0;
    EventGenerator generator;
    long long sent = 0;
    long long failed = 0;
    const auto gap = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(1.0 / options.rate));
    auto next_at = std::chrono::steady_clock::now();
    for (long long i = 0; !examples::stop_requested() && (options.count == 0 || i < options.count); ++i) {
        const auto& target = map->shards()[static_cast<std::size_t>(i) % map->size()];
        std::string call_id = generator.uuid();
        for (int draw = 0; draw < 10000 && map->shard_for_partition_key(call_id) != &target; ++draw) {
            call_id = generator.uuid();
        }
        const bool bad = options.bad_user_id_every > 0 && (i + 1) % options.bad_user_id_every == 0;
        const std::string event = generator.event(call_id, bad);

        kinesis::PutRecordRequest request;
        request.stream = kinesis::StreamRef{options.stream};
        request.data = event;
        request.partition_key = call_id;
        auto put = client.put_record(request);
        if (put) {
            ++sent;
            ++per_shard[put->shard_id];
            fmt::print("{} {} {} {}\n", put->shard_id, put->sequence_number, call_id, event);
            std::fflush(stdout);
        } else {
            // The client has retried already; the event is reported, not retried again.
            ++failed;
            fmt::print(stderr, "{}: put of call {} failed: {}\n", program, call_id, examples::one_line(put.error()));
        }
        next_at += gap;
        if (options.count == 0 || i + 1 < options.count) {
            examples::sleep_unless_stopped(next_at - std::chrono::steady_clock::now());
        }
    }

    if (examples::stop_requested()) fmt::print(stderr, "{}: stopped by signal\n", program);
    fmt::print("records per shard:\n");
    for (const auto& [shard_id, count] : per_shard) fmt::print("  {}: {}\n", shard_id, count);
    fmt::print("total: {} sent, {} failed\n", sent, failed);
    return failed == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    Options options;
    return examples::run_main(
        argc, argv, {program, usage(), "eu-north-1"},
        [&](examples::Flags& flags) {
            options.stream = flags.get("stream", "AForB_callevents");
            options.shards = static_cast<int>(flags.get_int("shards", 4, 1, 10000));
            if (auto rate = flags.get("rate")) {
                char* end = nullptr;
                options.rate = std::strtod(rate->c_str(), &end);
                if (rate->empty() || *end != '\0' || !(options.rate > 0) || options.rate > 1000) {
                    throw examples::UsageError(
                        fmt::format("--rate must be a number above 0 and at most 1000, not '{}'", *rate));
                }
            }
            options.count = flags.get_int("count", 0, 0, 1LL << 62);
            options.bad_user_id_every = flags.get_int("bad-user-id-every", 0, 0, 1LL << 62);
            options.wait_delay = flags.get_seconds("wait-delay", std::chrono::seconds(2));
        },
        [&](const kinesis::ClientConfig& config) {
            examples::catch_stop_signals();
            kinesis::KinesisClient client(config);
            return run(client, options);
        });
}
