// SPDX-License-Identifier: Apache-2.0
// Typed Amazon Data Firehose client (AWS JSON 1.1): delivery streams to S3, PutRecord(Batch).
#ifndef KINESIS_FIREHOSE_HPP
#define KINESIS_FIREHOSE_HPP

#include <kinesis/config.hpp>
#include <kinesis/config_macros.hpp>
#include <kinesis/error.hpp>
#include <kinesis/types.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {

namespace detail {
class ServiceClient;
}  // namespace detail

enum class DeliveryStreamType { DirectPut, KinesisStreamAsSource };
enum class DeliveryStreamStatus { Creating, CreatingFailed, Deleting, DeletingFailed, Active };
enum class CompressionFormat { Uncompressed, Gzip, Zip, Snappy, HadoopSnappy };

/// The wire names: "DirectPut", "KinesisStreamAsSource".
[[nodiscard]] KINESIS_DECL std::string_view to_string(DeliveryStreamType value) noexcept;
/// The wire names: "CREATING", "CREATING_FAILED", "DELETING", "DELETING_FAILED", "ACTIVE".
[[nodiscard]] KINESIS_DECL std::string_view to_string(DeliveryStreamStatus value) noexcept;
/// The wire names: "UNCOMPRESSED", "GZIP", "ZIP", "Snappy", "HADOOP_SNAPPY".
[[nodiscard]] KINESIS_DECL std::string_view to_string(CompressionFormat value) noexcept;

/// BufferingHints: set both or neither (the service requires the pair).
struct BufferingHints {
    std::optional<int> size_in_mbs;          ///< SizeInMBs, 1..128 (service default 5)
    std::optional<int> interval_in_seconds;  ///< IntervalInSeconds, 0..900 (service default 300)
};

/// CloudWatchLoggingOptions: group and stream names are required when enabled.
struct CloudWatchLoggingOptions {
    bool enabled = false;
    std::string log_group_name;   ///< up to 512 of [.-_/#A-Za-z0-9]
    std::string log_stream_name;  ///< up to 512, no ':' or '*'
};

/// EncryptionConfiguration: a KMS key, or (empty) NoEncryptionConfig "NoEncryption".
struct EncryptionConfiguration {
    std::optional<std::string> kms_key_arn;  ///< KMSEncryptionConfig.AWSKMSKeyARN
};

/// S3DestinationConfiguration (botocore shape of the same name).
struct S3DestinationConfiguration {
    std::string role_arn;    ///< RoleARN: arn:<p>:iam::<account>:role/<name>
    std::string bucket_arn;  ///< BucketARN: arn:<p>:s3:::<bucket>
    std::optional<std::string> prefix;               ///< up to 1024 characters
    std::optional<std::string> error_output_prefix;  ///< up to 1024 characters
    std::optional<BufferingHints> buffering_hints;
    std::optional<CompressionFormat> compression_format;
    std::optional<EncryptionConfiguration> encryption_configuration;
    std::optional<CloudWatchLoggingOptions> cloud_watch_logging_options;
};

/// ExtendedS3DestinationConfiguration: the members shared with the plain S3 destination.
struct ExtendedS3DestinationConfiguration : S3DestinationConfiguration {};

/// KinesisStreamSourceConfiguration: the source stream and a role allowed to read it.
struct KinesisStreamSourceConfiguration {
    std::string kinesis_stream_arn;  ///< arn:<p>:kinesis:<region>:<account>:stream/<name>
    std::string role_arn;            ///< arn:<p>:iam::<account>:role/<name>
};

/// CreateDeliveryStreamInput. KinesisStreamAsSource needs
/// kinesis_stream_source_configuration (DirectPut must not have one), and
/// exactly one of the two destinations is required.
struct CreateDeliveryStreamRequest {
    std::string delivery_stream_name;  ///< 1..64 of [a-zA-Z0-9_.-]
    DeliveryStreamType delivery_stream_type = DeliveryStreamType::DirectPut;
    std::optional<KinesisStreamSourceConfiguration> kinesis_stream_source_configuration;
    std::optional<S3DestinationConfiguration> s3_destination_configuration;
    std::optional<ExtendedS3DestinationConfiguration> extended_s3_destination_configuration;
};

/// S3DestinationDescription and ExtendedS3DestinationDescription (common members).
struct S3DestinationDescription {
    std::string role_arn;
    std::string bucket_arn;
    std::string prefix;
    std::string error_output_prefix;
    BufferingHints buffering_hints;
    CompressionFormat compression_format = CompressionFormat::Uncompressed;
    EncryptionConfiguration encryption_configuration;
    std::optional<CloudWatchLoggingOptions> cloud_watch_logging_options;
};

/// One entry of DeliveryStreamDescription.Destinations.
struct DestinationDescription {
    std::string destination_id;
    std::optional<S3DestinationDescription> s3_destination_description;
    std::optional<S3DestinationDescription> extended_s3_destination_description;
};

/// Source.KinesisStreamSourceDescription.
struct KinesisStreamSourceDescription {
    std::string kinesis_stream_arn;
    std::string role_arn;
    std::optional<Timestamp> delivery_start_timestamp;
};

/// DescribeDeliveryStream's DeliveryStreamDescription.
struct DeliveryStreamDescription {
    std::string delivery_stream_name;
    std::string delivery_stream_arn;
    DeliveryStreamStatus delivery_stream_status = DeliveryStreamStatus::Creating;
    DeliveryStreamType delivery_stream_type = DeliveryStreamType::DirectPut;
    std::string version_id;
    std::optional<Timestamp> create_timestamp;
    std::optional<KinesisStreamSourceDescription> source;  ///< set for KinesisStreamAsSource
    std::vector<DestinationDescription> destinations;
    bool has_more_destinations = false;
};

/// ListDeliveryStreamsInput.
struct ListDeliveryStreamsRequest {
    std::optional<int> limit;  ///< 1..10000 (service default 10)
    std::optional<DeliveryStreamType> delivery_stream_type;
    std::optional<std::string> exclusive_start_delivery_stream_name;
};

/// ListDeliveryStreamsOutput: names in alphabetical order.
struct ListDeliveryStreamsResult {
    std::vector<std::string> delivery_stream_names;
    bool has_more_delivery_streams = false;
};

/// PutRecordOutput.
struct FirehosePutRecordResult {
    std::string record_id;
    bool encrypted = false;
};

/// One PutRecordBatch result: a record id, or an error code and message.
struct PutRecordBatchResponseEntry {
    std::optional<std::string> record_id;
    std::optional<std::string> error_code;
    std::optional<std::string> error_message;
};

/// PutRecordBatchOutput; request_responses are in the order of the records sent.
struct PutRecordBatchResult {
    int failed_put_count = 0;
    bool encrypted = false;
    std::vector<PutRecordBatchResponseEntry> request_responses;
};

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

    /// PutRecord: 1 byte to 1,000 KiB (1,024,000 bytes) of data.
    [[nodiscard]] KINESIS_DECL Result<FirehosePutRecordResult> put_record(const std::string& name,
                                                                          std::string_view data);
    /// PutRecordBatch: 1..500 records of 1 byte to 1,000 KiB each, 4 MiB
    /// (4,194,304 bytes) in all. Check failed_put_count: a record may fail
    /// while the call succeeds; resend those whose entry has an error_code.
    [[nodiscard]] KINESIS_DECL Result<PutRecordBatchResult> put_record_batch(
        const std::string& name, const std::vector<std::string_view>& records);

    [[nodiscard]] KINESIS_DECL const std::string& region() const noexcept;
    [[nodiscard]] KINESIS_DECL const std::string& endpoint() const noexcept;

private:
    std::unique_ptr<detail::ServiceClient> service_;
    std::string put_body_;  ///< PutRecord(Batch) bodies, written into one reused buffer
};

}  // namespace kinesis

#ifdef KINESIS_HEADER_ONLY
#include <kinesis/impl/firehose.ipp>
#endif

#endif  // KINESIS_FIREHOSE_HPP
