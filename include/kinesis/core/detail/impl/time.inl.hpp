// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/time.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_TIME_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_TIME_INL_HPP

#include <kinesis/core/detail/time.hpp>

#include <fmt/core.h>

#include <cstddef>

namespace kinesis::detail {

namespace time_impl {

using Clock = std::chrono::system_clock;

inline bool is_leap(std::int64_t y) noexcept { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

inline unsigned days_in_month(std::int64_t y, unsigned m) noexcept {
    constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

// Reads exactly `count` decimal digits at `pos`; false if any is not a digit.
inline bool read_digits(std::string_view text, std::size_t pos, std::size_t count, unsigned& value) noexcept {
    if (pos + count > text.size()) return false;
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9') return false;
        value = value * 10 + static_cast<unsigned>(text[i] - '0');
    }
    return true;
}

inline bool valid(const CivilTime& t) noexcept {
    return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= days_in_month(t.year, t.month) &&
           t.hour <= 23 && t.minute <= 59 && t.second <= 60;  // 60: a leap second
}

// Whether from_civil() can give this time without overflowing the clock's count.
inline bool representable(const CivilTime& t) noexcept {
    const std::int64_t days = days_from_civil(t.year, t.month, t.day);
    return days < max_epoch_seconds / 86400 && days > -max_epoch_seconds / 86400;
}

inline void put2(char* out, unsigned v) noexcept {
    out[0] = static_cast<char>('0' + v / 10);
    out[1] = static_cast<char>('0' + v % 10);
}

inline Error bad_timestamp(std::string_view op, std::string_view kind, std::string_view text) {
    // Timestamps are not secret, but a garbage input could be huge: show a bounded prefix.
    constexpr std::size_t shown = 64;
    return invalid_argument(fmt::format("{}: \"{}{}\" is not {}", op, text.substr(0, shown),
                                        text.size() > shown ? "..." : "", kind));
}

}  // namespace time_impl

KINESIS_DECL CivilTime to_civil(std::chrono::system_clock::time_point time) noexcept {
    using namespace std::chrono;
    const auto secs = floor<seconds>(time.time_since_epoch()).count();
    // Floor division, so instants before 1970 land on the right day.
    std::int64_t days = secs / 86400;
    std::int64_t rem = secs % 86400;
    if (rem < 0) {
        rem += 86400;
        --days;
    }
    // H. Hinnant's civil_from_days.
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    CivilTime civil;
    civil.day = doy - (153 * mp + 2) / 5 + 1;
    civil.month = mp < 10 ? mp + 3 : mp - 9;
    civil.year = static_cast<std::int64_t>(yoe) + era * 400 + (civil.month <= 2 ? 1 : 0);
    civil.hour = static_cast<unsigned>(rem / 3600);
    civil.minute = static_cast<unsigned>(rem % 3600 / 60);
    civil.second = static_cast<unsigned>(rem % 60);
    return civil;
}

KINESIS_DECL std::chrono::system_clock::time_point from_civil(const CivilTime& civil) noexcept {
    const std::int64_t secs = days_from_civil(civil.year, civil.month, civil.day) * 86400 +
                              std::int64_t{civil.hour} * 3600 + std::int64_t{civil.minute} * 60 +
                              civil.second;
    return std::chrono::system_clock::time_point(std::chrono::seconds(secs));
}

KINESIS_DECL void format_amz_date(std::chrono::system_clock::time_point time, char* out) noexcept {
    const CivilTime t = to_civil(time);
    // Years outside 0000-9999 cannot be written in this format; clamp the digits.
    const auto year = static_cast<unsigned>(t.year < 0 ? 0 : (t.year > 9999 ? 9999 : t.year));
    time_impl::put2(out, year / 100);
    time_impl::put2(out + 2, year % 100);
    time_impl::put2(out + 4, t.month);
    time_impl::put2(out + 6, t.day);
    out[8] = 'T';
    time_impl::put2(out + 9, t.hour);
    time_impl::put2(out + 11, t.minute);
    time_impl::put2(out + 13, t.second);
    out[15] = 'Z';
}

KINESIS_DECL std::string amz_date(std::chrono::system_clock::time_point time) {
    std::string out(16, '\0');
    format_amz_date(time, out.data());
    return out;
}

KINESIS_DECL std::string amz_day(std::chrono::system_clock::time_point time) {
    char buf[16];
    format_amz_date(time, buf);
    return std::string(buf, 8);
}

KINESIS_DECL std::string iso8601(std::chrono::system_clock::time_point time) {
    const CivilTime t = to_civil(time);
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", t.year, t.month, t.day, t.hour,
                       t.minute, t.second);
}

KINESIS_DECL Result<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
    using namespace std::chrono;
    constexpr std::string_view op = "parse_iso8601";
    constexpr std::string_view kind = "an ISO-8601 date-time like 2015-08-30T12:36:00Z";
    CivilTime t;
    unsigned year = 0;
    // Fixed part: YYYY-MM-DDThh:mm:ss (19 characters).
    if (text.size() < 20 || !time_impl::read_digits(text, 0, 4, year) || text[4] != '-' ||
        !time_impl::read_digits(text, 5, 2, t.month) || text[7] != '-' ||
        !time_impl::read_digits(text, 8, 2, t.day) || (text[10] != 'T' && text[10] != 't') ||
        !time_impl::read_digits(text, 11, 2, t.hour) || text[13] != ':' ||
        !time_impl::read_digits(text, 14, 2, t.minute) || text[16] != ':' ||
        !time_impl::read_digits(text, 17, 2, t.second)) {
        return time_impl::bad_timestamp(op, kind, text);
    }
    t.year = year;
    if (!time_impl::valid(t) || !time_impl::representable(t)) return time_impl::bad_timestamp(op, kind, text);
    std::size_t pos = 19;
    nanoseconds fraction{0};
    if (text[pos] == '.' || text[pos] == ',') {
        ++pos;
        const std::size_t first = pos;
        std::int64_t nanos = 0;
        std::int64_t scale = 100000000;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            nanos += (text[pos] - '0') * scale;  // digits past nanoseconds are dropped
            scale /= 10;
            ++pos;
        }
        if (pos == first) return time_impl::bad_timestamp(op, kind, text);
        fraction = nanoseconds(nanos);
    }
    seconds offset{0};
    if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
        ++pos;
    } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
        const bool negative = text[pos] == '-';
        unsigned hh = 0, mm = 0;
        if (!time_impl::read_digits(text, pos + 1, 2, hh)) return time_impl::bad_timestamp(op, kind, text);
        std::size_t minutes_at = pos + 3;
        if (minutes_at < text.size() && text[minutes_at] == ':') ++minutes_at;
        if (!time_impl::read_digits(text, minutes_at, 2, mm) || hh > 23 || mm > 59) {
            return time_impl::bad_timestamp(op, kind, text);
        }
        pos = minutes_at + 2;
        offset = seconds(std::int64_t{hh} * 3600 + std::int64_t{mm} * 60);
        if (negative) offset = -offset;
    } else {
        return time_impl::bad_timestamp(op, kind, text);  // a time without a zone is ambiguous
    }
    if (pos != text.size()) return time_impl::bad_timestamp(op, kind, text);
    // "12:00+02:00" is 10:00 UTC.
    return from_civil(t) - offset + duration_cast<system_clock::duration>(fraction);
}

KINESIS_DECL Result<std::chrono::system_clock::time_point> parse_http_date(std::string_view text) {
    constexpr std::string_view op = "parse_http_date";
    constexpr std::string_view kind = "an RFC 1123 date like \"Sun, 06 Nov 1994 08:49:37 GMT\"";
    constexpr std::string_view weekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    constexpr std::string_view months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    // "Sun, 06 Nov 1994 08:49:37 GMT": 29 characters, every field at a fixed offset.
    if (text.size() != 29 || text.substr(3, 2) != ", " || text[7] != ' ' || text[11] != ' ' ||
        text[16] != ' ' || text[19] != ':' || text[22] != ':' || text.substr(25) != " GMT") {
        return time_impl::bad_timestamp(op, kind, text);
    }
    bool weekday_ok = false;
    for (auto w : weekdays) weekday_ok = weekday_ok || text.substr(0, 3) == w;
    CivilTime t;
    t.month = 0;
    for (unsigned i = 0; i < 12; ++i) {
        if (text.substr(8, 3) == months[i]) t.month = i + 1;
    }
    unsigned year = 0;
    if (!weekday_ok || t.month == 0 || !time_impl::read_digits(text, 5, 2, t.day) ||
        !time_impl::read_digits(text, 12, 4, year) || !time_impl::read_digits(text, 17, 2, t.hour) ||
        !time_impl::read_digits(text, 20, 2, t.minute) || !time_impl::read_digits(text, 23, 2, t.second)) {
        return time_impl::bad_timestamp(op, kind, text);
    }
    t.year = year;
    if (!time_impl::valid(t) || !time_impl::representable(t)) return time_impl::bad_timestamp(op, kind, text);
    return from_civil(t);
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_TIME_INL_HPP
