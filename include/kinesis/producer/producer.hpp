// SPDX-License-Identifier: Apache-2.0
// Producer: puts records in the background with aggregation, bounded memory and back-pressure.
#ifndef KINESIS_PRODUCER_PRODUCER_HPP
#define KINESIS_PRODUCER_PRODUCER_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/producer/config.hpp>
#include <kinesis/producer/metrics.hpp>
#include <kinesis/producer/outcome.hpp>
#include <kinesis/streams/model.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace kinesis {

namespace detail {
class ProducerCore;
}

/// Writes records to one stream from a background I/O thread, as the KPL does:
/// each record's shard is predicted from its hash key, records bound for one
/// shard are packed into KPL aggregated records, those are collected into
/// PutRecords calls, paced per shard, and exactly the failed entries are sent
/// again until each record's deadline (ProducerConfig::record_ttl).
///
///     kinesis::Producer producer("events");
///     auto put = producer.put(payload, user_id);   // never waits on the network
///     if (!put) { /* bad input, buffer full or shut down: put.error() */ }
///     ...
///     producer.flush(std::chrono::seconds(10)).wait();
///
/// Guarantees: every accepted put() resolves exactly once, as written or as
/// failed, also when the producer is destroyed (records left after its
/// shutdown_timeout fail with "ProducerShutdown"). Kinesis writes at least
/// once: a record whose call timed out may be written twice
/// (PutOutcome::may_be_duplicated()). Records of one shard keep their order
/// only with max_in_flight_per_shard = 1.
///
/// Threading: put(), flush() and metrics() may be called from any number of
/// threads at once. Callbacks run on the producer's I/O thread, one at a time:
/// keep them short, and do not call the producer's destructor from one.
class Producer {
public:
    /// Runs on the I/O thread when the record resolves. It must not throw
    /// (an exception is caught and dropped).
    using Callback = std::function<void(const PutOutcome&)>;

    /// Starts the I/O thread; the stream's shards are listed in the
    /// background. Throws kinesis::Exception (InvalidArgument) for a bad
    /// configuration or stream name, naming the field.
    KINESIS_DECL explicit Producer(StreamRef stream, ProducerConfig config = {});
    /// Flushes for up to config.shutdown_timeout, then fails what is left.
    KINESIS_DECL ~Producer();
    Producer(const Producer&) = delete;
    Producer& operator=(const Producer&) = delete;

    /// Queues a record; its outcome comes through the handle. Errors, with
    /// nothing queued: bad input (named field, limit and size), the buffer
    /// full (code "BufferFull", after put_timeout when blocking), shut down.
    [[nodiscard]] KINESIS_DECL Result<PutHandle> put(std::string data, std::string partition_key,
                                                     std::optional<std::string> explicit_hash_key = std::nullopt);
    /// As above, the outcome going to `on_done` (no allocation beyond the
    /// record's own bytes). On an error here `on_done` is never called.
    [[nodiscard]] KINESIS_DECL Result<void> put(std::string data, std::string partition_key,
                                                std::optional<std::string> explicit_hash_key, Callback on_done);

    /// Sends everything buffered now, without waiting for max_buffered_time;
    /// the handle completes when every record put before this call has
    /// resolved, or when `deadline` has passed (the records are not failed then).
    KINESIS_DECL FlushHandle flush(std::chrono::milliseconds deadline);

    [[nodiscard]] KINESIS_DECL ProducerMetrics metrics() const;
    [[nodiscard]] KINESIS_DECL const StreamRef& stream() const noexcept;

private:
    std::unique_ptr<detail::ProducerCore> core_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/producer/impl/producer.inl.hpp>
#endif

#endif  // KINESIS_PRODUCER_PRODUCER_HPP
