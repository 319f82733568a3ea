// SPDX-License-Identifier: Apache-2.0
// UTC timestamps for SigV4 (ISO-8601 basic), credentials (ISO-8601 extended) and HTTP dates.
#ifndef KINESIS_CORE_DETAIL_TIME_HPP
#define KINESIS_CORE_DETAIL_TIME_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis::detail {

/// A UTC calendar time to the second.
struct CivilTime {
    std::int64_t year = 1970;
    unsigned month = 1;  ///< 1-12
    unsigned day = 1;    ///< 1-31
    unsigned hour = 0;
    unsigned minute = 0;
    unsigned second = 0;
};

/// The seconds either side of 1970 that a system_clock time point can hold, less a day so
/// that a zone offset or a fraction added later cannot overflow it. libstdc++ counts
/// nanoseconds: about 292 years, so a time past 2262 from an answer is out of range.
inline constexpr std::int64_t max_epoch_seconds =
    std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::duration::max()).count() - 86400;

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil):
/// plain arithmetic, so no timegm, no TZ and no locale are involved.
[[nodiscard]] constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) noexcept {
    y -= m <= 2 ? 1 : 0;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

/// The UTC calendar time of a time point (sub-second part dropped, rounding down).
[[nodiscard]] KINESIS_DECL CivilTime to_civil(std::chrono::system_clock::time_point time) noexcept;
/// The time point of a UTC calendar time.
[[nodiscard]] KINESIS_DECL std::chrono::system_clock::time_point from_civil(const CivilTime& civil) noexcept;

/// Writes the 16 characters of "20150830T123600Z" at `out` (no terminator).
KINESIS_DECL void format_amz_date(std::chrono::system_clock::time_point time, char* out) noexcept;
/// "20150830T123600Z" (X-Amz-Date).
[[nodiscard]] KINESIS_DECL std::string amz_date(std::chrono::system_clock::time_point time);
/// "20150830" (the credential scope's date).
[[nodiscard]] KINESIS_DECL std::string amz_day(std::chrono::system_clock::time_point time);
/// "2015-08-30T12:36:00Z".
[[nodiscard]] KINESIS_DECL std::string iso8601(std::chrono::system_clock::time_point time);

/// Parses ISO-8601 extended date-time: "2015-08-30T12:36:00Z", optional fraction
/// (".123", any number of digits, kept to nanoseconds), and "Z" or a "+hh:mm"/"-hh:mm" offset.
[[nodiscard]] KINESIS_DECL Result<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);
/// Parses an RFC 1123 HTTP date, "Sun, 06 Nov 1994 08:49:37 GMT" (the Date response header).
[[nodiscard]] KINESIS_DECL Result<std::chrono::system_clock::time_point> parse_http_date(std::string_view text);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/time.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_TIME_HPP
