// SPDX-License-Identifier: Apache-2.0
// The one translation unit that compiles the library in separate-compilation mode.
#include <kinesis/src.hpp>
