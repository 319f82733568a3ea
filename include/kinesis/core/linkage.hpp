// SPDX-License-Identifier: Apache-2.0
// How definitions are emitted: inline in every TU (default), or once in src.hpp.
#ifndef KINESIS_CORE_LINKAGE_HPP
#define KINESIS_CORE_LINKAGE_HPP

// Header-only by default: every header ends by including its definitions
// (`impl/*.inl.hpp`), marked `inline`. Large users define
// KINESIS_SEPARATE_COMPILATION everywhere and include <kinesis/src.hpp> from
// exactly one .cpp: there KINESIS_SOURCE is set before any of our headers, so
// the same headers bring their definitions in, non-inline, once; every other
// TU sees declarations only (and none of curl, OpenSSL or simdjson).
#ifdef KINESIS_SEPARATE_COMPILATION
#define KINESIS_DECL
#ifdef KINESIS_SOURCE
#define KINESIS_IMPLEMENT 1
#endif
#else
#define KINESIS_HEADER_ONLY 1
#define KINESIS_IMPLEMENT 1
#define KINESIS_DECL inline
#endif

#endif  // KINESIS_CORE_LINKAGE_HPP
