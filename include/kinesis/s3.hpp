// SPDX-License-Identifier: Apache-2.0
// The s3 module: Amazon S3: the typed client and model.
#ifndef KINESIS_S3_HPP
#define KINESIS_S3_HPP

#include <kinesis/s3/model.hpp>
#include <kinesis/s3/s3_client.hpp>

#endif  // KINESIS_S3_HPP
