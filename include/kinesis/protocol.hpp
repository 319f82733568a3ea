// SPDX-License-Identifier: Apache-2.0
// The protocol module: What every service call shares: waiter settings (the call pipeline is internal).
#ifndef KINESIS_PROTOCOL_HPP
#define KINESIS_PROTOCOL_HPP

#include <kinesis/protocol/waiter.hpp>

#endif  // KINESIS_PROTOCOL_HPP
