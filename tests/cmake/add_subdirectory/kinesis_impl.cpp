// SPDX-License-Identifier: Apache-2.0
// The one translation unit that compiles kinesis-cpp's definitions for this consumer.
#include <kinesis/src.hpp>
