// SPDX-License-Identifier: Apache-2.0
// The auth module: Credentials, the provider chain and SigV4.
#ifndef KINESIS_AUTH_HPP
#define KINESIS_AUTH_HPP

#include <kinesis/auth/credentials.hpp>
#include <kinesis/auth/sigv4.hpp>

#endif  // KINESIS_AUTH_HPP
