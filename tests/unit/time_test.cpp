// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/detail/time.hpp>

#include <doctest/doctest.h>

#include <chrono>
#include <ctime>
#include <string>

using namespace std::chrono;
using kinesis::detail::amz_date;
using kinesis::detail::amz_day;
using kinesis::detail::parse_http_date;
using kinesis::detail::parse_iso8601;

namespace {
system_clock::time_point at(std::int64_t seconds_since_epoch) {
    return system_clock::time_point(seconds(seconds_since_epoch));
}
}  // namespace

TEST_CASE("amz_date and amz_day format the SigV4 timestamps") {
    // 2015-08-30T12:36:00Z, the SigV4 test suite's time.
    CHECK(amz_date(at(1440938160)) == "20150830T123600Z");
    CHECK(amz_day(at(1440938160)) == "20150830");
    CHECK(amz_date(at(1440938160) + milliseconds(999)) == "20150830T123600Z");
    CHECK(amz_date(at(0)) == "19700101T000000Z");
    CHECK(amz_date(at(951782400)) == "20000229T000000Z");
    CHECK(kinesis::detail::iso8601(at(1440938160)) == "2015-08-30T12:36:00Z");
}

TEST_CASE("to_civil and from_civil agree with gmtime_r from 1901 to 2199") {
    for (std::int64_t t = -2147483648LL; t < 7258118400LL; t += 86400LL * 37 + 3623) {
        const std::time_t tt = static_cast<std::time_t>(t);
        std::tm tm{};
        REQUIRE(gmtime_r(&tt, &tm) != nullptr);
        const auto civil = kinesis::detail::to_civil(at(t));
        CAPTURE(t);
        CHECK(civil.year == tm.tm_year + 1900);
        CHECK(civil.month == static_cast<unsigned>(tm.tm_mon + 1));
        CHECK(civil.day == static_cast<unsigned>(tm.tm_mday));
        CHECK(civil.hour == static_cast<unsigned>(tm.tm_hour));
        CHECK(civil.minute == static_cast<unsigned>(tm.tm_min));
        CHECK(civil.second == static_cast<unsigned>(tm.tm_sec));
        CHECK(kinesis::detail::from_civil(civil) == at(t));
    }
    CHECK(kinesis::detail::days_from_civil(2000, 1, 1) == 10957);
    CHECK(kinesis::detail::days_from_civil(1969, 12, 31) == -1);
    // Half a second before the epoch is still 1969-12-31T23:59:59.
    CHECK(amz_date(at(0) - milliseconds(500)) == "19691231T235959Z");
}

TEST_CASE("parse_iso8601 reads Z, offsets and fractional seconds") {
    CHECK(parse_iso8601("2015-08-30T12:36:00Z").value() == at(1440938160));
    CHECK(parse_iso8601("2015-08-30T12:36:00.123Z").value() == at(1440938160) + milliseconds(123));
    CHECK(parse_iso8601("2015-08-30T12:36:00.5Z").value() == at(1440938160) + milliseconds(500));
    CHECK(parse_iso8601("2015-08-30T12:36:00+00:00").value() == at(1440938160));
    CHECK(parse_iso8601("2015-08-30T14:36:00+02:00").value() == at(1440938160));
    CHECK(parse_iso8601("2015-08-30T07:06:00-0530").value() == at(1440938160));
    CHECK(parse_iso8601("2000-02-29T00:00:00Z").value() == at(951782400));
}

TEST_CASE("parse_iso8601 rejects malformed and impossible timestamps") {
    for (const auto* bad : {"", "2015-08-30", "2015-08-30T12:36:00", "2015-08-30 12:36:00Z",
                            "2015-02-29T00:00:00Z", "2015-13-01T00:00:00Z", "2015-08-30T24:00:00Z",
                            "2015-08-30T12:60:00Z", "2015-08-30T12:36:00.Z", "2015-08-30T12:36:00Zjunk",
                            "2015-08-30T12:36:00+2:00", "20150830T123600Z", "2015-8-30T12:36:00Z"}) {
        CAPTURE(bad);
        auto parsed = parse_iso8601(bad);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().kind == kinesis::ErrorKind::InvalidArgument);
    }
}

// Found by tests/fuzz/aws_xml_fuzz: 9999-... overflowed system_clock's nanoseconds (UBSan).
TEST_CASE("parse_iso8601 and parse_http_date reject times past what system_clock holds") {
    CHECK(parse_iso8601("2262-04-01T00:00:00Z"));
    for (const auto* late : {"2262-04-12T00:00:00Z", "4999-01-01T00:00:00Z", "9999-12-31T23:59:59.999+23:59"}) {
        CAPTURE(late);
        auto parsed = parse_iso8601(late);
        REQUIRE_FALSE(parsed);
        CHECK(parsed.error().kind == kinesis::ErrorKind::InvalidArgument);
    }
    CHECK_FALSE(parse_http_date("Fri, 31 Dec 9999 23:59:59 GMT"));
}

TEST_CASE("parse_http_date reads RFC 1123 dates and rejects others") {
    CHECK(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").value() == at(784111777));
    CHECK(parse_http_date("Sun, 30 Aug 2015 12:36:00 GMT").value() == at(1440938160));
    for (const auto* bad : {"", "Sun, 06 Nov 1994 08:49:37 PST", "Sunday, 06-Nov-94 08:49:37 GMT",
                            "Sun Nov  6 08:49:37 1994", "Sun, 31 Feb 1994 08:49:37 GMT",
                            "Xyz, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Foo 1994 08:49:37 GMT",
                            "Sun, 06 Nov 1994 08:49:37 GMT "}) {
        CAPTURE(bad);
        CHECK_FALSE(parse_http_date(bad));
    }
}
