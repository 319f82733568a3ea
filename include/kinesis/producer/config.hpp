// SPDX-License-Identifier: Apache-2.0
// How a Producer buffers, aggregates, collects, paces and retries; KPL defaults.
#ifndef KINESIS_PRODUCER_CONFIG_HPP
#define KINESIS_PRODUCER_CONFIG_HPP

#include <kinesis/core/config.hpp>

#include <chrono>
#include <cstddef>
#include <limits>

namespace kinesis {

/// What put() does when the producer's buffer is full.
enum class WhenBufferFull {
    Block,  ///< wait for room, up to ProducerConfig::put_timeout, then fail
    Fail,   ///< fail at once
};

/// Every field has a working default; the defaults are the KPL's where it has one.
struct ProducerConfig {
    /// Region, endpoint, credentials, TLS and stop token as for any client. Its
    /// retry settings are not used: the producer retries failed entries itself,
    /// until each record's deadline, so retries are never stacked.
    ClientConfig client;
    /// Each PutRecords attempt's deadline (the KPL's RequestTimeout).
    std::chrono::milliseconds request_timeout = std::chrono::seconds(6);

    /// Pack user records bound for the same shard into KPL aggregated records.
    bool aggregation = true;
    /// Bytes of one aggregated record (magic, protobuf and MD5 included).
    std::size_t aggregation_max_bytes = 50 * 1024;
    /// User records in one aggregated record.
    std::size_t aggregation_max_count = std::numeric_limits<std::size_t>::max();

    /// Entries of one PutRecords request (1..500).
    std::size_t collection_max_count = 500;
    /// Bytes (data and partition keys) of one PutRecords request; 5 MiB, or
    /// up to 10 MiB where the API allows it.
    std::size_t collection_max_bytes = 5 * 1024 * 1024;
    /// The largest share (0 < share <= 1) of a request's entries and bytes one
    /// shard may take, so that one hot or throttled shard does not fill every request.
    double max_shard_share = 1.0;
    /// How long a record may wait to be packed with others before it is sent.
    std::chrono::milliseconds max_buffered_time = std::chrono::milliseconds(100);
    /// PutRecords calls in flight holding one shard's records; 0: no limit.
    /// 1 keeps each shard's records in order, retries included.
    std::size_t max_in_flight_per_shard = 0;
    /// PutRecords calls in flight in all (the KPL's MaxConnections).
    std::size_t max_in_flight_requests = 24;

    /// Per-shard pacing, in percent of the shard's limits (1,000 records/s and
    /// 1 MiB/s); the KPL's RateLimit.
    int rate_limit = 150;
    /// How long a record may take, from put() to its outcome; retries stop
    /// there. milliseconds::max() means no deadline.
    std::chrono::milliseconds record_ttl = std::chrono::seconds(30);
    /// Fail a record at its first throttling answer instead of retrying it.
    bool fail_if_throttled = false;

    /// Memory the producer may hold for records not yet resolved: their bytes,
    /// the aggregates and request bodies made of them, and a fixed cost per record.
    /// A record is charged all of it when put() takes it: 2.3 times its size
    /// (its bytes and their base64 in a request body) and about 430 bytes, so the
    /// bound holds also when every record is in a call that does not come back;
    /// and its size and 144 bytes more until the I/O thread has taken it in, so
    /// that callers putting faster than the producer sends hold no more than the bound.
    std::size_t buffer_max_bytes = 128 * 1024 * 1024;
    /// Records not yet resolved.
    std::size_t buffer_max_records = std::numeric_limits<std::size_t>::max();
    WhenBufferFull when_buffer_full = WhenBufferFull::Block;
    /// With WhenBufferFull::Block: the longest a put() waits for room.
    std::chrono::milliseconds put_timeout = std::chrono::seconds(30);

    /// The destructor's flush deadline; what is left then fails with a shutdown error.
    std::chrono::milliseconds shutdown_timeout = std::chrono::seconds(30);
    /// Shard map refreshes after a failure or a misprediction back off from
    /// the first delay, times 1.5 each time, up to the last.
    std::chrono::milliseconds shard_map_retry_first = std::chrono::seconds(1);
    std::chrono::milliseconds shard_map_retry_max = std::chrono::seconds(30);
    /// A shard that answers ProvisionedThroughputExceededException waits this
    /// long before its next request, doubled on each throttle in a row up to the maximum.
    std::chrono::milliseconds throttle_backoff_first = std::chrono::milliseconds(100);
    std::chrono::milliseconds throttle_backoff_max = std::chrono::seconds(5);
};

}  // namespace kinesis

#endif  // KINESIS_PRODUCER_CONFIG_HPP
