// SPDX-License-Identifier: Apache-2.0
// The consumer module: Consumer, the record processor contract, the KCL lease model, policy and store.
#ifndef KINESIS_CONSUMER_HPP
#define KINESIS_CONSUMER_HPP

#include <kinesis/consumer/lease.hpp>
#include <kinesis/consumer/lease_policy.hpp>
#include <kinesis/consumer/lease_store.hpp>
#include <kinesis/consumer/processor.hpp>
#include <kinesis/consumer/config.hpp>
#include <kinesis/consumer/metrics.hpp>
#include <kinesis/consumer/shard_sync.hpp>
#include <kinesis/consumer/consumer.hpp>

#endif  // KINESIS_CONSUMER_HPP
