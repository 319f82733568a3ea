// SPDX-License-Identifier: Apache-2.0
// The http module: The libcurl transport.
#ifndef KINESIS_HTTP_HPP
#define KINESIS_HTTP_HPP

#include <kinesis/http/transport.hpp>

#endif  // KINESIS_HTTP_HPP
