// SPDX-License-Identifier: Apache-2.0
// Include from exactly one .cpp when KINESIS_SEPARATE_COMPILATION is defined.
#ifndef KINESIS_SRC_HPP
#define KINESIS_SRC_HPP

#ifndef KINESIS_SEPARATE_COMPILATION
#error "Define KINESIS_SEPARATE_COMPILATION in every translation unit to use kinesis/src.hpp"
#endif

#include <kinesis/kinesis.hpp>

#include <kinesis/impl/error.ipp>
#include <kinesis/impl/credentials.ipp>
#include <kinesis/impl/http.ipp>
#include <kinesis/impl/config.ipp>
#include <kinesis/detail/impl/profile.ipp>
#include <kinesis/detail/impl/xml.ipp>
#include <kinesis/detail/impl/json_writer.ipp>
#include <kinesis/detail/impl/json_reader.ipp>
#include <kinesis/detail/impl/checks.ipp>
#include <kinesis/detail/impl/crypto.ipp>
#include <kinesis/detail/impl/encoding.ipp>
#include <kinesis/impl/encoding.ipp>
#include <kinesis/impl/arn.ipp>
#include <kinesis/detail/impl/uri.ipp>
#include <kinesis/detail/impl/time.ipp>
#include <kinesis/impl/sigv4.ipp>
#include <kinesis/detail/impl/retry.ipp>
#include <kinesis/detail/impl/log.ipp>
#include <kinesis/detail/impl/protocol.ipp>
#include <kinesis/impl/sts.ipp>
#include <kinesis/impl/iam.ipp>
#include <kinesis/detail/impl/kinesis_protocol.ipp>
#include <kinesis/impl/kinesis_client.ipp>
#include <kinesis/impl/shard_reader.ipp>
#include <kinesis/impl/hash_key.ipp>
#include <kinesis/impl/stream.ipp>
#include <kinesis/detail/impl/firehose_protocol.ipp>
#include <kinesis/impl/firehose.ipp>
#include <kinesis/detail/impl/s3_wire.ipp>
#include <kinesis/impl/s3.ipp>

#endif  // KINESIS_SRC_HPP
