// SPDX-License-Identifier: Apache-2.0
// Consumer: reads every shard of a stream across processes, sharing a KCL 2.x lease table.
#ifndef KINESIS_CONSUMER_CONSUMER_HPP
#define KINESIS_CONSUMER_CONSUMER_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/consumer/config.hpp>
#include <kinesis/consumer/lease_store.hpp>
#include <kinesis/consumer/metrics.hpp>
#include <kinesis/consumer/processor.hpp>
#include <kinesis/streams/model.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace kinesis {

namespace detail {
class ConsumerCore;
}

/// Reads a stream with the KCL 2.x protocol: the shards are leases in a
/// LeaseStore shared by every worker of one application; each worker renews
/// what it holds, takes expired leases up to its fair share and steals one at
/// a time from the most loaded worker; each held shard is read by a
/// ShardReader and handed, deaggregated, to its own RecordProcessor.
///
///     auto store = std::make_shared<kinesis::DynamoDbLeaseStore>(kinesis::DynamoDbClient(), "my-app");
///     kinesis::Consumer consumer("events", store, [] { return std::make_unique<MyProcessor>(); });
///     if (auto started = consumer.start(); !started) { /* started.error() */ }
///     ...
///     consumer.shutdown();  // processors checkpoint, leases are released
///
/// Guarantees: every user record written to a shard is delivered at least
/// once, in order within the shard; a child shard is delivered only after
/// each of its parents was read to its end and checkpointed SHARD_END. After
/// a lease moves (crash, steal, shutdown without checkpoint) the records
/// after its last checkpoint are delivered again to the new owner. A worker
/// that lost a lease can no longer checkpoint it: the write is refused.
///
/// Threads: one coordinator (renewing, taking, shard sync) and, per held
/// shard, a reader and a processor thread. metrics() and shutdown() may be
/// called from any thread but a processor callback.
class Consumer {
public:
    /// Throws kinesis::Exception (InvalidArgument) for a bad configuration,
    /// stream name, a missing store or factory. Nothing runs before start().
    KINESIS_DECL Consumer(StreamRef stream, std::shared_ptr<LeaseStore> leases, RecordProcessorFactory factory,
                          ConsumerConfig config = {});
    /// shutdown(), if still running.
    KINESIS_DECL ~Consumer();
    Consumer(const Consumer&) = delete;
    Consumer& operator=(const Consumer&) = delete;

    /// Makes the lease table ready (creating it if missing), adds leases for
    /// the stream's shards, then starts the coordinator, which takes its
    /// first leases at once. Errors of the table or the listing come back
    /// here; later ones are counted and logged, and tried again.
    [[nodiscard]] KINESIS_DECL Result<void> start();

    /// Graceful shutdown: reads stop; each processor finishes its batch and
    /// gets shutdown_requested (to checkpoint); then each held lease is
    /// released (owner removed), so another worker takes it on its next
    /// round instead of after the failover time. Waits at most
    /// ConsumerConfig::shutdown_timeout for processors, then releases anyway.
    /// Idempotent.
    KINESIS_DECL void shutdown();

    /// Waits until the Consumer has stopped (shutdown(), the client's stop
    /// token) or `timeout` passed; true when stopped.
    KINESIS_DECL bool wait_for(std::chrono::milliseconds timeout);

    [[nodiscard]] KINESIS_DECL ConsumerMetrics metrics() const;
    [[nodiscard]] KINESIS_DECL const std::string& worker_id() const noexcept;

private:
    std::unique_ptr<detail::ConsumerCore> core_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/consumer/impl/consumer.inl.hpp>
#endif

#endif  // KINESIS_CONSUMER_CONSUMER_HPP
