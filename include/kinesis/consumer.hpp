// SPDX-License-Identifier: Apache-2.0
// The consumer module: the KCL lease model and the lease taker's policy.
#ifndef KINESIS_CONSUMER_HPP
#define KINESIS_CONSUMER_HPP

#include <kinesis/consumer/lease.hpp>
#include <kinesis/consumer/lease_policy.hpp>

#endif  // KINESIS_CONSUMER_HPP
