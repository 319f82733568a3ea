// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/detail/uri.hpp>

#include <doctest/doctest.h>

#include <string>

using kinesis::detail::normalize_path;
using kinesis::detail::uri_decode;
using kinesis::detail::uri_encode;

TEST_CASE("uri_encode keeps the RFC 3986 unreserved set and escapes the rest as uppercase %XX") {
    const std::string unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    CHECK(uri_encode(unreserved) == unreserved);
    CHECK(uri_encode("a b") == "a%20b");
    CHECK(uri_encode("a+b=c&d*e") == "a%2Bb%3Dc%26d%2Ae");
    CHECK(uri_encode("\xe1\x88\xb4") == "%E1%88%B4");
    CHECK(uri_encode("%2F") == "%252F");
    CHECK(uri_encode(std::string_view("\x00\xff", 2)) == "%00%FF");
    CHECK(uri_encode("/a b/c") == "%2Fa%20b%2Fc");
    CHECK(uri_encode("/a b/c", true) == "/a%20b/c");
    std::string out = "x=";
    uri_encode("1/2", out);
    CHECK(out == "x=1%2F2");
}

TEST_CASE("uri_decode decodes %XX in either case, keeps '+', and rejects broken escapes") {
    CHECK(uri_decode("%E1%88%B4").value() == "\xe1\x88\xb4");
    CHECK(uri_decode("1%2bab%3D%3d").value() == "1+ab==");
    CHECK(uri_decode("a+b").value() == "a+b");
    CHECK(uri_decode("").value() == "");
    for (const auto* bad : {"%", "%4", "%G0", "a%zz", "%%"}) {
        CAPTURE(bad);
        CHECK_FALSE(uri_decode(bad));
    }
}

TEST_CASE("normalize_path removes dot segments and collapses empty ones") {
    struct Case {
        const char* in;
        const char* out;
    };
    const Case cases[] = {
        {"", "/"},
        {"/", "/"},
        {"//", "/"},
        {"/./", "/"},
        {"/example/..", "/"},
        {"/example1/example2/../..", "/"},
        {"/./example", "/example"},
        {"//example//", "/example/"},
        {"/a/b/../c", "/a/c"},
        {"/a/b/..", "/a/"},
        {"/a/b/.", "/a/b/"},
        {"/../../a", "/a"},
        {"/a%2F../b", "/a%2F../b"},  // an encoded slash is not a separator
        {"/a/./b/", "/a/b/"},
        {"/example space/", "/example space/"},
        {"/...", "/..."},
    };
    for (const auto& c : cases) {
        const std::string in = c.in;
        CAPTURE(in);
        CHECK(normalize_path(in) == std::string(c.out));
    }
}
