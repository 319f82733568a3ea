// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/base64.hpp>

#include <doctest/doctest.h>

#include <string>
#include <string_view>

TEST_CASE("kinesis::base64_encode matches the RFC 4648 section 10 vectors") {
    CHECK(kinesis::base64_encode("") == "");
    CHECK(kinesis::base64_encode("f") == "Zg==");
    CHECK(kinesis::base64_encode("fo") == "Zm8=");
    CHECK(kinesis::base64_encode("foo") == "Zm9v");
    CHECK(kinesis::base64_encode("foob") == "Zm9vYg==");
    CHECK(kinesis::base64_encode("fooba") == "Zm9vYmE=");
    CHECK(kinesis::base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("kinesis::base64_decode inverts the RFC 4648 vectors") {
    CHECK(kinesis::base64_decode("").value() == "");
    CHECK(kinesis::base64_decode("Zg==").value() == "f");
    CHECK(kinesis::base64_decode("Zm8=").value() == "fo");
    CHECK(kinesis::base64_decode("Zm9v").value() == "foo");
    CHECK(kinesis::base64_decode("Zm9vYg==").value() == "foob");
    CHECK(kinesis::base64_decode("Zm9vYmE=").value() == "fooba");
    CHECK(kinesis::base64_decode("Zm9vYmFy").value() == "foobar");
}

TEST_CASE("kinesis::base64 round-trips all 256 byte values at every padding length") {
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    const std::string encoded = kinesis::base64_encode(all);
    CHECK(encoded.size() == 344);
    CHECK(encoded.substr(0, 8) == "AAECAwQF");
    CHECK(encoded.substr(encoded.size() - 8) == "/P3+/w==");  // fc fd fe ff, one byte short of a block
    CHECK(kinesis::base64_decode(encoded).value() == all);
    for (std::size_t drop = 0; drop < 3; ++drop) {
        CAPTURE(drop);
        const std::string part = all.substr(drop);
        CHECK(kinesis::base64_decode(kinesis::base64_encode(part)).value() == part);
    }
}

TEST_CASE("kinesis::base64_decode rejects a length that is not a multiple of 4, naming the length") {
    auto result = kinesis::base64_decode("Zm9vY");
    REQUIRE_FALSE(result);
    CHECK(result.error().kind == kinesis::ErrorKind::InvalidArgument);
    CHECK(result.error().message == "base64_decode: input has 5 characters; the length must be a multiple of 4");
}

TEST_CASE("kinesis::base64_decode rejects a character outside the alphabet, naming its position") {
    struct Case {
        const char* text;
        const char* message;
    };
    for (const Case& c : {
             Case{"Zm9v!A==", "base64_decode: input has a character outside the base64 alphabet at position 4"},
             Case{"Zm9vYg-=", "base64_decode: input has a character outside the base64 alphabet at position 6"},
             Case{"Zm9vY_==", "base64_decode: input has a character outside the base64 alphabet at position 5"},
             Case{"Zm9\nvYg=", "base64_decode: input has a character outside the base64 alphabet at position 3"},
             Case{"Zm9 ", "base64_decode: input has a character outside the base64 alphabet at position 3"},
         }) {
        CAPTURE(c.text);
        auto result = kinesis::base64_decode(c.text);
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(result.error().message == c.message);
    }
}

TEST_CASE("kinesis::base64_decode rejects misplaced padding and non-zero padding bits") {
    struct Case {
        const char* text;
        const char* message;
    };
    for (const Case& c : {
             Case{"Zg=a", "base64_decode: input has '=' at position 2 of 4; padding may only end the input"},
             Case{"Z===", "base64_decode: input has '=' at position 1 of 4; padding may only end the input"},
             Case{"Zg==Zm9v", "base64_decode: input has '=' at position 2 of 8; padding may only end the input"},
             Case{"Zh==", "base64_decode: input of 4 characters has non-zero bits after its last byte "
                          "(not canonical base64)"},
             Case{"Zm9=", "base64_decode: input of 4 characters has non-zero bits after its last byte "
                          "(not canonical base64)"},
         }) {
        CAPTURE(c.text);
        auto result = kinesis::base64_decode(c.text);
        REQUIRE_FALSE(result);
        CHECK(result.error().kind == kinesis::ErrorKind::InvalidArgument);
        CHECK(result.error().message == c.message);
    }
}

TEST_CASE("kinesis::base64_decode errors never echo the input") {
    // Record data may be secret, so the message carries sizes and positions only.
    const std::string secret = "c2VjcmV0LXRva2Vu!";
    auto result = kinesis::base64_decode(secret + "===");
    REQUIRE_FALSE(result);
    CHECK(result.error().message.find("c2VjcmV0") == std::string::npos);
}
