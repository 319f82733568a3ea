// SPDX-License-Identifier: Apache-2.0
// Definitions for consumer/config.hpp.
#ifndef KINESIS_CONSUMER_IMPL_CONFIG_INL_HPP
#define KINESIS_CONSUMER_IMPL_CONFIG_INL_HPP

#include <kinesis/consumer/config.hpp>

#include <fmt/core.h>

#include <unistd.h>

#include <climits>

namespace kinesis {

KINESIS_DECL Result<void> validate(const ConsumerConfig& config) {
    if (auto lease = validate(config.lease); !lease) return lease;
    if (config.initial_position == InitialPosition::AtTimestamp && !config.initial_timestamp) {
        return invalid_argument("ConsumerConfig.initial_timestamp is required with InitialPosition::AtTimestamp");
    }
    if (config.worker_id.size() > 1024) {
        return invalid_argument(
            fmt::format("ConsumerConfig.worker_id must be at most 1024 characters, got {}", config.worker_id.size()));
    }
    if (config.max_prefetch_batches < 1) {
        return invalid_argument("ConsumerConfig.max_prefetch_batches must be at least 1, got 0");
    }
    const auto positive = [](std::chrono::milliseconds value, const char* field) -> Result<void> {
        if (value.count() > 0) return {};
        return invalid_argument(fmt::format("ConsumerConfig.{} must be positive, got {} ms", field, value.count()));
    };
    if (auto r = positive(config.shard_sync_interval, "shard_sync_interval"); !r) return r;
    if (auto r = positive(config.parent_shard_poll_interval, "parent_shard_poll_interval"); !r) return r;
    if (auto r = positive(config.shard_end_retry, "shard_end_retry"); !r) return r;
    if (config.shutdown_timeout.count() < 0) {
        return invalid_argument(fmt::format("ConsumerConfig.shutdown_timeout must not be negative, got {} ms",
                                            config.shutdown_timeout.count()));
    }
    return detail::check_shard_reader_input("shardId-000000000000", StartingPosition::trim_horizon(),
                                            config.reader);
}

KINESIS_DECL std::string default_worker_id() {
    char host[HOST_NAME_MAX + 1] = {};
    if (::gethostname(host, sizeof host) != 0) host[0] = '\0';
    host[HOST_NAME_MAX] = '\0';
    return fmt::format("{}:{}", host[0] ? host : "localhost", static_cast<long>(::getpid()));
}

}  // namespace kinesis

#endif  // KINESIS_CONSUMER_IMPL_CONFIG_INL_HPP
