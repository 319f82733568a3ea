// SPDX-License-Identifier: Apache-2.0
// The consumer module: the KCL lease model, the lease taker's policy and the lease store.
#ifndef KINESIS_CONSUMER_HPP
#define KINESIS_CONSUMER_HPP

#include <kinesis/consumer/lease.hpp>
#include <kinesis/consumer/lease_policy.hpp>
#include <kinesis/consumer/lease_store.hpp>

#endif  // KINESIS_CONSUMER_HPP
