// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/detail/encoding.hpp>

#include <doctest/doctest.h>

#include <string>

using kinesis::detail::base64_decode;
using kinesis::detail::base64_encode;

TEST_CASE("base64_encode matches the RFC 4648 section 10 vectors") {
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba") == "Zm9vYmE=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
    CHECK(kinesis::detail::base64_encoded_size(6) == 8);
    std::string out = "prefix:";
    base64_encode("foob", out);
    CHECK(out == "prefix:Zm9vYg==");
}

TEST_CASE("base64_decode inverts the RFC 4648 vectors and round-trips every byte value") {
    for (const auto* plain : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
        CAPTURE(plain);
        auto decoded = base64_decode(base64_encode(plain));
        REQUIRE(decoded);
        CHECK(*decoded == plain);
    }
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    for (std::size_t len = 0; len <= all.size(); len += 37) {
        const std::string part = all.substr(all.size() - len);
        auto decoded = base64_decode(base64_encode(part));
        REQUIRE(decoded);
        CHECK(*decoded == part);
    }
    CHECK(base64_encode("\xfb\xff\xbf") == "+/+/");
    CHECK(base64_decode("+/+/").value() == "\xfb\xff\xbf");
}

TEST_CASE("base64_decode rejects bad characters, bad padding and bad lengths") {
    for (const auto* bad : {"Zg=", "Zm9", "Z", "Zg=a", "Z===", "====", "=Zm9", "Zm=v", "Zm9v!A==",
                            "Zm9v\nYg==", "Zm9 vYg=", "Zm9vYg-=", "Zm9vYg_=", "Zh==", "Zm9=",
                            "Zm9vYg==Zm9v"}) {
        CAPTURE(bad);
        auto result = base64_decode(std::string_view(bad));
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(result.error().message.find(bad) == std::string::npos);  // input is never echoed
        std::string out = "kept";
        CHECK_FALSE(base64_decode(std::string_view(bad), out));
        CHECK(out == "kept");
    }
    std::string out = "kept:";
    CHECK(base64_decode("Zm9v", out));
    CHECK(out == "kept:foo");
}

TEST_CASE("hex encodes lowercase and decodes either case, rejecting odd lengths and non-hex") {
    using kinesis::detail::hex_decode;
    using kinesis::detail::to_hex;
    CHECK(to_hex(std::string_view("\x00\x01\xab\xff", 4)) == "0001abff");
    CHECK(to_hex("") == "");
    CHECK(hex_decode("0001abff").value() == std::string("\x00\x01\xab\xff", 4));
    CHECK(hex_decode("ABFF").value() == "\xab\xff");
    CHECK_FALSE(hex_decode("abc"));
    CHECK_FALSE(hex_decode("zz"));
    CHECK_FALSE(hex_decode("0g"));
    std::string out = "x";
    kinesis::detail::hex_encode("\x10", 1, out);
    CHECK(out == "x10");
}

TEST_CASE("base64_decode finds a bad character at any position and round-trips every length") {
    // The decoder takes two groups per step while at least three remain, then one:
    // every length and every position crosses both loops and their boundary.
    std::string bytes;
    for (std::size_t len = 0; len <= 70; ++len) {
        CAPTURE(len);
        const std::string text = base64_encode(bytes);
        REQUIRE(base64_decode(text).value() == bytes);
        for (std::size_t at = 0; at < text.size(); ++at) {
            CAPTURE(at);
            std::string broken = text;
            broken[at] = '*';
            CHECK_FALSE(base64_decode(broken));
        }
        bytes.push_back(static_cast<char>(len * 37 + 11));
    }
}

TEST_CASE("base64_encode matches a one-character-at-a-time encoder at every length") {
    // The encoder takes two groups per 8-byte load while eight bytes remain,
    // then one group at a time, then the padding: every length crosses them.
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto reference = [](const std::string& bytes) {
        std::string out;
        std::size_t i = 0;
        for (; i + 3 <= bytes.size(); i += 3) {
            const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) |
                               (static_cast<unsigned char>(bytes[i + 1]) << 8) | static_cast<unsigned char>(bytes[i + 2]);
            for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(v >> shift) & 0x3F];
        }
        if (bytes.size() - i == 1) {
            const unsigned v = static_cast<unsigned char>(bytes[i]) << 16;
            out += alphabet[v >> 18];
            out += alphabet[(v >> 12) & 0x3F];
            out += "==";
        } else if (bytes.size() - i == 2) {
            const unsigned v = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
            out += alphabet[v >> 18];
            out += alphabet[(v >> 12) & 0x3F];
            out += alphabet[(v >> 6) & 0x3F];
            out += '=';
        }
        return out;
    };
    std::string bytes;
    for (std::size_t len = 0; len <= 70; ++len) {
        CAPTURE(len);
        CHECK(base64_encode(bytes) == reference(bytes));
        bytes.push_back(static_cast<char>(len * 97 + 200));
    }
    std::string every;
    for (int b = 0; b < 256; ++b) every.push_back(static_cast<char>(255 - b));
    CHECK(base64_encode(every) == reference(every));
}
