// SPDX-License-Identifier: Apache-2.0
// The firehose module: Amazon Data Firehose: the typed client and model.
#ifndef KINESIS_FIREHOSE_HPP
#define KINESIS_FIREHOSE_HPP

#include <kinesis/firehose/model.hpp>
#include <kinesis/firehose/firehose_client.hpp>

#endif  // KINESIS_FIREHOSE_HPP
