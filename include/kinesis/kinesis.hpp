// SPDX-License-Identifier: Apache-2.0
// Umbrella header: every public header of kinesis-cpp.
#ifndef KINESIS_KINESIS_HPP
#define KINESIS_KINESIS_HPP

#include <kinesis/version.hpp>
#include <kinesis/error.hpp>
#include <kinesis/types.hpp>
#include <kinesis/encoding.hpp>
#include <kinesis/arn.hpp>
#include <kinesis/config.hpp>
#include <kinesis/credentials.hpp>
#include <kinesis/sigv4.hpp>
#include <kinesis/http.hpp>
#include <kinesis/sts.hpp>
#include <kinesis/iam.hpp>
#include <kinesis/kinesis_client.hpp>
#include <kinesis/shard_reader.hpp>
#include <kinesis/hash_key.hpp>
#include <kinesis/stream.hpp>
#include <kinesis/firehose.hpp>
#include <kinesis/s3.hpp>

#endif  // KINESIS_KINESIS_HPP
