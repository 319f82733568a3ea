// SPDX-License-Identifier: Apache-2.0
// What the ingestion lab's ETL binaries (W11-W13) share: resource names, reports, UTC time.
#ifndef KINESIS_EXAMPLES_COMMON_ETL_HPP
#define KINESIS_EXAMPLES_COMMON_ETL_HPP

#include "flags.hpp"
#include "output.hpp"

#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/sts/sts_client.hpp>
#include <kinesis/core/time.hpp>

#include <fmt/core.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>

namespace examples::etl {

/// Every name the lab's infrastructure uses, derived from one prefix (the
/// lab's "de-c2w2lab1") and the account id; each can be overridden by a flag.
struct Names {
    std::string prefix;
    std::string usa_bucket;
    std::string int_bucket;
    std::string usa_stream;
    std::string int_stream;
    std::string source_stream;  ///< the lab's input stream, fed by etl-producer
    std::string role;
    std::string policy;
    std::string usa_delivery_stream;
    std::string int_delivery_stream;
    std::string usa_log_group;
    std::string int_log_group;
    std::string usa_log_stream;
    std::string int_log_stream;
};

/// The usage lines of the flags read_names() reads.
inline std::string names_usage() {
    return "  --prefix P                   every default name below starts with P (default: de-c2w2lab1)\n"
           "  --usa-bucket NAME            (default: P-ACCOUNT_ID-usa)\n"
           "  --int-bucket NAME            (default: P-ACCOUNT_ID-int)\n"
           "  --usa-stream NAME            (default: P-usa-data-stream)\n"
           "  --int-stream NAME            (default: P-international-data-stream)\n"
           "  --source-stream NAME         (default: P-kinesis-data-stream)\n"
           "  --role NAME                  Firehose's IAM role (default: P-firehose-role)\n"
           "  --policy NAME                the role's inline policy (default: P-firehose-policy)\n"
           "  --usa-delivery-stream NAME   (default: P-firehose-usa)\n"
           "  --int-delivery-stream NAME   (default: P-firehose-international)\n"
           "  --usa-log-group NAME         (default: P-firehose-usa-log-group)\n"
           "  --int-log-group NAME         (default: P-firehose-international-log-group)\n"
           "  --usa-log-stream NAME        (default: P-usa-firehose-log-stream)\n"
           "  --int-log-stream NAME        (default: P-international-firehose-log-stream)\n";
}

/// Reads the name flags; the bucket names need the account id, so they are
/// completed by with_account() once STS has answered.
inline Names read_names(Flags& flags) {
    Names n;
    n.prefix = flags.get("prefix", "de-c2w2lab1");
    const std::string& p = n.prefix;
    n.usa_bucket = flags.get("usa-bucket", "");
    n.int_bucket = flags.get("int-bucket", "");
    n.usa_stream = flags.get("usa-stream", p + "-usa-data-stream");
    n.int_stream = flags.get("int-stream", p + "-international-data-stream");
    n.source_stream = flags.get("source-stream", p + "-kinesis-data-stream");
    n.role = flags.get("role", p + "-firehose-role");
    n.policy = flags.get("policy", p + "-firehose-policy");
    n.usa_delivery_stream = flags.get("usa-delivery-stream", p + "-firehose-usa");
    n.int_delivery_stream = flags.get("int-delivery-stream", p + "-firehose-international");
    n.usa_log_group = flags.get("usa-log-group", p + "-firehose-usa-log-group");
    n.int_log_group = flags.get("int-log-group", p + "-firehose-international-log-group");
    n.usa_log_stream = flags.get("usa-log-stream", p + "-usa-firehose-log-stream");
    n.int_log_stream = flags.get("int-log-stream", p + "-international-firehose-log-stream");
    return n;
}

/// Fills in the bucket names not given by flag: the lab's `{prefix}-{account}-usa` and `-int`.
inline void with_account(Names& n, std::string_view account) {
    if (n.usa_bucket.empty()) n.usa_bucket = fmt::format("{}-{}-usa", n.prefix, account);
    if (n.int_bucket.empty()) n.int_bucket = fmt::format("{}-{}-int", n.prefix, account);
}

/// Reads --wait-delay and --wait-attempts into `waiter`, whose values are the defaults.
inline void read_waiter(Flags& flags, kinesis::WaiterConfig& waiter) {
    waiter.delay = flags.get_seconds("wait-delay", waiter.delay);
    waiter.max_attempts = static_cast<int>(flags.get_int("wait-attempts", waiter.max_attempts, 1, 100000));
}

/// The lab's first step: the account behind the credentials (STS
/// GetCallerIdentity) completes the bucket names, and the "Account ID" and
/// "Region" lines are printed. Returns the account id.
inline kinesis::Result<std::string> identify(const kinesis::ClientConfig& config, Names& names) {
    kinesis::StsClient sts(config);
    auto identity = sts.get_caller_identity();
    if (!identity) return identity.error();
    with_account(names, identity->account);
    fmt::print("Account ID: {}\nRegion: {}\n", identity->account, sts.region());
    return std::move(identity->account);
}

/// One line per resource, "<what> <name>: <outcome>" (created, already
/// exists, deleted, not found, error: ...), as the lab printed its steps;
/// remembers whether any failed, for the exit status.
class Report {
public:
    void line(std::string_view what, std::string_view name, std::string_view outcome) {
        fmt::print("{} {}: {}\n", what, name, outcome);
        std::fflush(stdout);
    }
    void error(std::string_view what, std::string_view name, const kinesis::Error& error) {
        line(what, name, "error: " + one_line(error));
        failed_ = true;
    }
    [[nodiscard]] bool failed() const noexcept { return failed_; }

private:
    bool failed_ = false;
};

/// UTC ISO 8601 with milliseconds and a Z: "2024-02-14T10:35:12.123Z".
inline std::string utc_iso8601(std::chrono::system_clock::time_point time) {
    const auto [text, millis] = utc_seconds_and_fraction<std::chrono::milliseconds>(time);
    return fmt::format("{}.{:03}Z", text, millis);
}

}  // namespace examples::etl

#endif  // KINESIS_EXAMPLES_COMMON_ETL_HPP
