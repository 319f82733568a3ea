// SPDX-License-Identifier: Apache-2.0
// Test helpers: a client that cannot send (to prove input checks run first)
// and the ETL lab's Firehose S3 destination.
#ifndef KINESIS_TESTS_UNIT_OFFLINE_CLIENT_HPP
#define KINESIS_TESTS_UNIT_OFFLINE_CLIENT_HPP

#include <kinesis/auth/credentials.hpp>
#include <kinesis/firehose/firehose_client.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <memory>
#include <string>
#include <string_view>

namespace kinesis_test {

// Every attempt to send logs a line at Debug (and a credentials failure at
// Error), so a client logging everything into a counter proves that a rejected
// call sent nothing. Its endpoint is a closed port besides.
inline std::atomic<int> log_lines{0};

/// A config whose client logs every line into log_lines (reset here) and sends to a closed port.
inline kinesis::ClientConfig unreachable_config() {
    log_lines = 0;
    kinesis::ClientConfig config;
    config.region = "us-east-1";
    config.endpoint = "http://127.0.0.1:9";
    config.retry.max_attempts = 1;
    // Static keys: the default chain could wait on instance metadata in CI.
    config.credentials = std::make_shared<kinesis::StaticCredentialsProvider>("AKIDEXAMPLE", "wJalrXUtnFEMI");
    config.log_level = kinesis::LogLevel::Trace;
    config.log = [](kinesis::LogLevel, std::string_view) { log_lines.fetch_add(1); };
    return config;
}

/// Checks that a call made with unreachable_config() failed as InvalidArgument without sending; its message.
template <class R>
std::string rejected(const R& result) {
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(log_lines.load() == 0);
    return result.error().message;
}

/// The ETL lab's destination: firehose/ and errors/ prefixes, 1 MB or 60 s, uncompressed, CloudWatch logging on, no encryption.
template <class Destination>
Destination lab_destination(std::string role_arn, std::string bucket_arn) {
    Destination destination;
    destination.role_arn = std::move(role_arn);
    destination.bucket_arn = std::move(bucket_arn);
    destination.prefix = "firehose/";
    destination.error_output_prefix = "errors/";
    destination.buffering_hints = kinesis::BufferingHints{1, 60};
    destination.compression_format = kinesis::CompressionFormat::Uncompressed;
    destination.encryption_configuration = kinesis::EncryptionConfiguration{};
    destination.cloud_watch_logging_options =
        kinesis::CloudWatchLoggingOptions{true, "/aws/kinesisfirehose/etl-delivery", "S3Delivery"};
    return destination;
}

}  // namespace kinesis_test

#endif  // KINESIS_TESTS_UNIT_OFFLINE_CLIENT_HPP
