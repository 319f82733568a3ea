// SPDX-License-Identifier: Apache-2.0
// Umbrella header: every module of kinesis-cpp, bottom layer first.
#ifndef KINESIS_KINESIS_HPP
#define KINESIS_KINESIS_HPP

#include <kinesis/core.hpp>
#include <kinesis/http.hpp>
#include <kinesis/auth.hpp>
#include <kinesis/protocol.hpp>
#include <kinesis/streams.hpp>
#include <kinesis/firehose.hpp>
#include <kinesis/dynamodb.hpp>
#include <kinesis/s3.hpp>
#include <kinesis/sts.hpp>
#include <kinesis/iam.hpp>
#include <kinesis/producer.hpp>
#include <kinesis/consumer.hpp>

#endif  // KINESIS_KINESIS_HPP
