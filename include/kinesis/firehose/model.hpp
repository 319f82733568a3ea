// SPDX-License-Identifier: Apache-2.0
// Firehose shapes as botocore names them: delivery streams, destinations, batches.
#ifndef KINESIS_FIREHOSE_MODEL_HPP
#define KINESIS_FIREHOSE_MODEL_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/core/time.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis {


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

}  // namespace kinesis

#ifdef KINESIS_IMPLEMENT
#include <kinesis/firehose/impl/model.inl.hpp>
#endif

#endif  // KINESIS_FIREHOSE_MODEL_HPP
