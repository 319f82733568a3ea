// SPDX-License-Identifier: Apache-2.0
// Typed Kinesis Data Streams client: one function per operation, shapes from botocore's model.
#ifndef KINESIS_STREAMS_KINESIS_CLIENT_HPP
#define KINESIS_STREAMS_KINESIS_CLIENT_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/protocol/waiter.hpp>
#include <kinesis/streams/model.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

class EventLoop;

namespace detail {
class ServiceClient;
}

/// The Kinesis Data Streams API, one function per operation. Every function
/// checks its input before sending (errors name the field, the limit and
/// the value's size). Movable, not copyable; one thread at a time.
///
/// The data-plane operations also come as `*_async`: the call starts on an
/// EventLoop and its callback runs on the loop's thread, with the same
/// checks, retries and errors as the blocking form (bad input is reported
/// through the callback too, on a later turn of the loop). Hundreds of calls
/// can be in flight on one thread:
///
///     kinesis::EventLoop loop;
///     kinesis::KinesisClient client(config, loop);
///     client.put_record_async(request, [](kinesis::Result<kinesis::PutRecordResult> put) { ... });
///     while (loop.run_once(std::chrono::seconds(1)) > 0) {}
///
/// The *_async functions may be called from any thread (from another than
/// the loop's, the start is posted to it). Blocking calls always run on the
/// calling thread, on a connection pool of the client's own.
class KinesisClient {
public:
    template <class T>
    using Callback = std::function<void(Result<T>)>;

    /// Resolves region and endpoint now; throws kinesis::Exception when they
    /// cannot be resolved. No network call until the first operation.
    KINESIS_DECL explicit KinesisClient(const ClientConfig& config = {}, KinesisLimits limits = {});
    /// As above; `*_async` calls run on `loop`, which must outlive the client.
    /// Destroy the client on the loop's thread, or once the loop no longer
    /// runs: calls still in flight then end without their callbacks.
    KINESIS_DECL KinesisClient(const ClientConfig& config, EventLoop& loop, KinesisLimits limits = {});
    KINESIS_DECL ~KinesisClient();
    KINESIS_DECL KinesisClient(KinesisClient&&) noexcept;
    KINESIS_DECL KinesisClient& operator=(KinesisClient&&) noexcept;
    KinesisClient(const KinesisClient&) = delete;
    KinesisClient& operator=(const KinesisClient&) = delete;

    KINESIS_DECL Result<void> create_stream(const CreateStreamRequest& request);
    KINESIS_DECL Result<void> delete_stream(const DeleteStreamRequest& request);
    KINESIS_DECL Result<StreamDescription> describe_stream(const DescribeStreamRequest& request);
    KINESIS_DECL Result<StreamDescriptionSummary> describe_stream_summary(const StreamRef& stream);
    KINESIS_DECL Result<DescribeLimitsResult> describe_limits();
    KINESIS_DECL Result<ListStreamsResult> list_streams(const ListStreamsRequest& request = {});
    KINESIS_DECL Result<ListShardsResult> list_shards(const ListShardsRequest& request);
    /// Kinesis writes at least once: an attempt that timed out or lost its
    /// connection may have been written, and the retry writes the record
    /// again, so a reader can see it twice. `attempts` in the result says how
    /// many attempts the call took; a PutRecords entry that failed in an
    /// answer is reported in its entry, never re-sent here.
    KINESIS_DECL Result<PutRecordResult> put_record(const PutRecordRequest& request);
    KINESIS_DECL Result<PutRecordsResult> put_records(const PutRecordsRequest& request);
    KINESIS_DECL Result<GetShardIteratorResult> get_shard_iterator(const GetShardIteratorRequest& request);
    KINESIS_DECL Result<GetRecordsResult> get_records(const GetRecordsRequest& request);
    /// get_records() into a result the caller keeps between calls: records
    /// already in `out` are overwritten in place, so a polling loop reuses
    /// their strings instead of allocating three per record. On error `out`
    /// is left empty.
    KINESIS_DECL Result<void> get_records(const GetRecordsRequest& request, GetRecordsResult& out);
    KINESIS_DECL Result<UpdateShardCountResult> update_shard_count(const UpdateShardCountRequest& request);
    KINESIS_DECL Result<void> split_shard(const SplitShardRequest& request);
    KINESIS_DECL Result<void> merge_shards(const MergeShardsRequest& request);
    KINESIS_DECL Result<void> update_stream_mode(std::string_view stream_arn, StreamMode mode);
    KINESIS_DECL Result<void> increase_stream_retention_period(const StreamRef& stream, int hours);
    KINESIS_DECL Result<void> decrease_stream_retention_period(const StreamRef& stream, int hours);
    KINESIS_DECL Result<void> add_tags_to_stream(const StreamRef& stream,
                                                 const std::map<std::string, std::string>& tags);
    KINESIS_DECL Result<void> remove_tags_from_stream(const StreamRef& stream,
                                                      const std::vector<std::string>& tag_keys);
    KINESIS_DECL Result<ListTagsForStreamResult> list_tags_for_stream(
        const StreamRef& stream, std::optional<std::string> exclusive_start_tag_key = {},
        std::optional<int> limit = {});
    KINESIS_DECL Result<void> start_stream_encryption(const StreamRef& stream, EncryptionType type,
                                                      std::string_view key_id);
    KINESIS_DECL Result<void> stop_stream_encryption(const StreamRef& stream, EncryptionType type,
                                                     std::string_view key_id);
    KINESIS_DECL Result<StreamConsumer> register_stream_consumer(std::string_view stream_arn,
                                                           std::string_view consumer_name);
    /// By stream ARN and consumer name, or by consumer ARN alone.
    KINESIS_DECL Result<ConsumerDescription> describe_stream_consumer(std::string_view stream_arn,
                                                                      std::string_view consumer_name,
                                                                      std::string_view consumer_arn = {});
    KINESIS_DECL Result<ListStreamConsumersResult> list_stream_consumers(
        std::string_view stream_arn, std::optional<std::string> next_token = {},
        std::optional<int> max_results = {});
    KINESIS_DECL Result<void> deregister_stream_consumer(std::string_view stream_arn,
                                                         std::string_view consumer_name,
                                                         std::string_view consumer_arn = {});

    // ---- all pages ----
    /// Every stream name and summary, following NextToken.
    KINESIS_DECL Result<ListStreamsResult> list_all_streams();
    /// Every shard, following NextToken (optionally filtered).
    KINESIS_DECL Result<std::vector<Shard>> list_all_shards(const StreamRef& stream,
                                                            std::optional<ShardFilter> filter = {});
    /// DescribeStream with every shard, following ExclusiveStartShardId.
    KINESIS_DECL Result<StreamDescription> describe_stream_all_shards(const StreamRef& stream);

    // ---- waiters (botocore StreamExists / StreamNotExists) ----
    /// Polls DescribeStream until ACTIVE; a Timeout error after max_attempts.
    KINESIS_DECL Result<StreamDescription> wait_until_stream_exists(const StreamRef& stream,
                                                                    WaiterConfig waiter = {});
    /// Polls DescribeStream until ResourceNotFoundException.
    KINESIS_DECL Result<void> wait_until_stream_not_exists(const StreamRef& stream, WaiterConfig waiter = {});

    // ---- the same calls, started on the loop ----
    KINESIS_DECL void put_record_async(const PutRecordRequest& request, Callback<PutRecordResult> done);
    KINESIS_DECL void put_records_async(const PutRecordsRequest& request, Callback<PutRecordsResult> done);
    KINESIS_DECL void get_shard_iterator_async(const GetShardIteratorRequest& request,
                                               Callback<GetShardIteratorResult> done);
    KINESIS_DECL void get_records_async(const GetRecordsRequest& request, Callback<GetRecordsResult> done);
    KINESIS_DECL void list_shards_async(const ListShardsRequest& request, Callback<ListShardsResult> done);
    KINESIS_DECL void describe_stream_summary_async(const StreamRef& stream,
                                                    Callback<StreamDescriptionSummary> done);
    /// The loop the *_async calls run on: the one given, else the client's own
    /// (which the caller then drives with run_once()).
    [[nodiscard]] KINESIS_DECL EventLoop& loop() noexcept;

    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;
    /// The stop token and clock from the client's configuration.
    [[nodiscard]] KINESIS_DECL const StopToken& stop_token() const noexcept;
    [[nodiscard]] KINESIS_DECL const Clock& clock() const noexcept;
    /// Waits `delay` or until the stop token is set (then false): the
    /// interruptible wait a ShardReader paces itself with.
    [[nodiscard]] KINESIS_DECL bool wait_for(std::chrono::milliseconds delay);
    [[nodiscard]] const KinesisLimits& limits() const noexcept { return limits_; }

private:
    std::unique_ptr<detail::ServiceClient> service_;
    KinesisLimits limits_;
    // Every PutRecords body is written here: a producer sending 500-record
    // batches then allocates its request buffer once, not once per call.
    std::string put_records_body_;
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/streams/impl/kinesis_client.inl.hpp>
#endif

#endif  // KINESIS_STREAMS_KINESIS_CLIENT_HPP
