// SPDX-License-Identifier: Apache-2.0
// The dynamodb module: Amazon DynamoDB: the typed client and model (what lease tables need).
#ifndef KINESIS_DYNAMODB_HPP
#define KINESIS_DYNAMODB_HPP

#include <kinesis/dynamodb/model.hpp>
#include <kinesis/dynamodb/dynamodb_client.hpp>

#endif  // KINESIS_DYNAMODB_HPP
