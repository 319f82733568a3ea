// SPDX-License-Identifier: Apache-2.0
// Typed Amazon Data Firehose client (AWS JSON 1.1): delivery streams to S3, PutRecord(Batch).
#ifndef KINESIS_FIREHOSE_FIREHOSE_CLIENT_HPP
#define KINESIS_FIREHOSE_FIREHOSE_CLIENT_HPP

#include <kinesis/core/config.hpp>
#include <kinesis/core/linkage.hpp>
#include <kinesis/protocol/waiter.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/firehose/model.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

namespace detail {
class ServiceClient;
}  // namespace detail

/// Calls Firehose (`firehose.<region>.amazonaws.com`, or
/// AWS_ENDPOINT_URL_FIREHOSE / AWS_ENDPOINT_URL / the profile's endpoint).
/// Bad input is rejected before sending with an InvalidArgument error naming
/// the operation, field, limit and size. Movable, not copyable; one thread at
/// a time.
class FirehoseClient {
public:
    /// Resolves region and endpoint now and throws kinesis::Exception when
    /// either is missing; credentials are fetched at the first call.
    KINESIS_DECL explicit FirehoseClient(const ClientConfig& config = {});
    KINESIS_DECL ~FirehoseClient();
    KINESIS_DECL FirehoseClient(FirehoseClient&&) noexcept;
    KINESIS_DECL FirehoseClient& operator=(FirehoseClient&&) noexcept;
    FirehoseClient(const FirehoseClient&) = delete;
    FirehoseClient& operator=(const FirehoseClient&) = delete;

    /// CreateDeliveryStream; returns the new stream's ARN (it starts CREATING).
    [[nodiscard]] KINESIS_DECL Result<std::string> create_delivery_stream(const CreateDeliveryStreamRequest& request);
    /// DescribeDeliveryStream.
    [[nodiscard]] KINESIS_DECL Result<DeliveryStreamDescription> describe_delivery_stream(const std::string& name);
    /// ListDeliveryStreams: one page.
    [[nodiscard]] KINESIS_DECL Result<ListDeliveryStreamsResult> list_delivery_streams(
        const ListDeliveryStreamsRequest& request = {});
    /// Every page of ListDeliveryStreams, paged by the last name seen.
    [[nodiscard]] KINESIS_DECL Result<std::vector<std::string>> list_all_delivery_streams(
        std::optional<DeliveryStreamType> type = std::nullopt);
    /// DeleteDeliveryStream (the stream goes DELETING, then away).
    [[nodiscard]] KINESIS_DECL Result<void> delete_delivery_stream(const std::string& name,
                                                                   bool allow_force_delete = false);

    /// Polls describe every `waiter.delay` until ACTIVE. CREATING_FAILED and
    /// any error (ResourceNotFoundException too) end the wait with an error;
    /// still CREATING after `max_attempts` is a Timeout error.
    [[nodiscard]] KINESIS_DECL Result<DeliveryStreamDescription> wait_until_active(const std::string& name,
                                                                                 WaiterConfig waiter = {});
    /// Polls describe until ResourceNotFoundException; DELETING_FAILED is an error.
    [[nodiscard]] KINESIS_DECL Result<void> wait_until_deleted(const std::string& name, WaiterConfig waiter = {});

    /// PutRecord: 1 byte to 1,000 KiB (1,024,000 bytes) of data, read during
    /// the call only (nothing keeps it afterwards).
    [[nodiscard]] KINESIS_DECL Result<FirehosePutRecordResult> put_record(const std::string& name,
                                                                          std::string_view data);
    /// PutRecordBatch: 1..500 records of 1 byte to 1,000 KiB each, 4 MiB
    /// (4,194,304 bytes) in all. Check failed_put_count: a record may fail
    /// while the call succeeds; resend those whose entry has an error_code.
    /// The records are owned strings, so a batch built in a loop from
    /// temporaries (`records.push_back(make_payload(i))`) stays valid.
    [[nodiscard]] KINESIS_DECL Result<PutRecordBatchResult> put_record_batch(
        const std::string& name, const std::vector<std::string>& records);

    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;

private:
    std::unique_ptr<detail::ServiceClient> service_;
    std::string put_body_;  ///< PutRecord(Batch) bodies, written into one reused buffer
};

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/firehose/impl/firehose_client.inl.hpp>
#endif

#endif  // KINESIS_FIREHOSE_FIREHOSE_CLIENT_HPP
