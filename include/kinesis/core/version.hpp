// SPDX-License-Identifier: Apache-2.0
// Library version, kept in step with project(VERSION) in CMakeLists.txt.
#ifndef KINESIS_CORE_VERSION_HPP
#define KINESIS_CORE_VERSION_HPP

#define KINESIS_VERSION_MAJOR 0
#define KINESIS_VERSION_MINOR 1
#define KINESIS_VERSION_PATCH 0

namespace kinesis {
/// The library version as "major.minor.patch"; also sent in the User-Agent.
inline constexpr const char* version_string = "0.1.0";
}  // namespace kinesis

#endif  // KINESIS_CORE_VERSION_HPP
