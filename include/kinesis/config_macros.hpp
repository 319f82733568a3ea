// SPDX-License-Identifier: Apache-2.0
// How definitions are emitted: inline in every TU (default), or once in src.hpp.
#ifndef KINESIS_CONFIG_MACROS_HPP
#define KINESIS_CONFIG_MACROS_HPP

// Header-only by default. Large users define KINESIS_SEPARATE_COMPILATION
// everywhere and include <kinesis/src.hpp> from exactly one .cpp, so the
// .ipp bodies (and curl/OpenSSL/simdjson headers) are compiled once.
#ifdef KINESIS_SEPARATE_COMPILATION
#define KINESIS_DECL
#else
#define KINESIS_HEADER_ONLY 1
#define KINESIS_DECL inline
#endif

#endif  // KINESIS_CONFIG_MACROS_HPP
