// SPDX-License-Identifier: Apache-2.0
// Include from exactly one .cpp when KINESIS_SEPARATE_COMPILATION is defined.
#ifndef KINESIS_SRC_HPP
#define KINESIS_SRC_HPP

#ifndef KINESIS_SEPARATE_COMPILATION
#error "Define KINESIS_SEPARATE_COMPILATION in every translation unit to use kinesis/src.hpp"
#endif
// A header seen before this point was read without its definitions, and its
// guard would keep them out now.
#ifdef KINESIS_CORE_LINKAGE_HPP
#error "Include kinesis/src.hpp before any other kinesis header in its translation unit"
#endif

#define KINESIS_SOURCE 1
// Every header brings its own definitions, in the order its includes give.
#include <kinesis/kinesis.hpp>
// Not in kinesis.hpp yet; its definitions are compiled here all the same.

#endif  // KINESIS_SRC_HPP
