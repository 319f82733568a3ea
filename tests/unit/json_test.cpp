// SPDX-License-Identifier: Apache-2.0
#include <kinesis/core/detail/json_writer.hpp>
#include <kinesis/core/detail/json_reader.hpp>

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>

using kinesis::detail::JsonParser;
using kinesis::detail::JsonWriter;

namespace {

std::string json_literal(std::string_view text) {
    std::string out;
    kinesis::detail::append_json_string(out, text);
    return out;
}

// Parses `json` (one string literal) with simdjson and returns its value.
std::string round_trip(JsonParser& parser, const std::string& literal) {
    std::string doc = "{\"v\":" + literal + "}";
    simdjson::ondemand::document parsed;
    REQUIRE(parser.iterate(doc).get(parsed) == simdjson::SUCCESS);
    std::string value;
    simdjson::ondemand::value field;
    REQUIRE(parsed["v"].get(field) == simdjson::SUCCESS);
    REQUIRE(kinesis::detail::read_string(field, value) == simdjson::SUCCESS);
    return value;
}

}  // namespace

TEST_CASE("JSON strings escape quotes, backslash and the short control escapes") {
    CHECK(json_literal("a\"b") == R"("a\"b")");
    CHECK(json_literal("a\\b") == R"("a\\b")");
    CHECK(json_literal("\b\f\n\r\t") == R"("\b\f\n\r\t")");
    CHECK(json_literal("/") == "\"/\"");
    CHECK(json_literal("") == "\"\"");
}

TEST_CASE("JSON strings escape every other control character as \\u00XX and survive simdjson") {
    JsonParser parser;
    for (int c = 0; c < 0x20; ++c) {
        CAPTURE(c);
        const std::string raw(1, static_cast<char>(c));
        const std::string literal = json_literal(raw);
        switch (c) {
            case '\b': CHECK(literal == "\"\\b\""); break;
            case '\f': CHECK(literal == "\"\\f\""); break;
            case '\n': CHECK(literal == "\"\\n\""); break;
            case '\r': CHECK(literal == "\"\\r\""); break;
            case '\t': CHECK(literal == "\"\\t\""); break;
            default: CHECK(literal == fmt::format("\"\\u{:04x}\"", c));
        }
        CHECK(round_trip(parser, literal) == raw);
    }
    CHECK(json_literal(std::string("a\0b", 3)) == "\"a\\u0000b\"");
    CHECK(json_literal("\x7f") == "\"\x7f\"");
}

TEST_CASE("JSON strings pass 2-, 3- and 4-byte UTF-8 through and round-trip") {
    JsonParser parser;
    const std::string samples[] = {
        "caf\xC3\xA9",                   // é, 2 bytes
        "\xE2\x82\xAC 5",                // €, 3 bytes
        "\xEF\xBF\xBF",                  // U+FFFF, last of the BMP
        "\xF0\x9F\x98\x80 grin",         // U+1F600, 4 bytes
        "\xF4\x8F\xBF\xBF",              // U+10FFFF, the last code point
        "mix \"\xC3\xA9\"\n\xF0\x9F\x98\x80\\",
    };
    for (const auto& sample : samples) {
        CAPTURE(sample);
        CHECK(kinesis::detail::is_valid_utf8(sample));
        const auto literal = json_literal(sample);
        CHECK(round_trip(parser, literal) == sample);
    }
    CHECK(json_literal("caf\xC3\xA9") == "\"caf\xC3\xA9\"");
}

TEST_CASE("invalid UTF-8 becomes U+FFFD per bad sequence and marks the writer not ok") {
    const std::string bad[] = {
        "\x80",              // lone continuation byte
        "\xC0\xAF",          // overlong '/'
        "\xE0\x80\xAF",      // overlong 3-byte
        "\xED\xA0\x80",      // UTF-16 surrogate D800
        "\xF4\x90\x80\x80",  // past U+10FFFF
        "\xF5\x80",          // never a lead byte
        "\xE2\x82",          // truncated €
        "\xFF",
    };
    for (const auto& sample : bad) {
        CAPTURE(sample);
        CHECK_FALSE(kinesis::detail::is_valid_utf8(sample));
        std::string out;
        JsonWriter writer(out);
        writer.string(sample);
        CHECK_FALSE(writer.ok());
        CHECK(kinesis::detail::is_valid_utf8(out));
        CHECK(out.find("\xEF\xBF\xBD") != std::string::npos);
    }
    // A truncated 3-byte sequence is one maximal subpart: one replacement, then the rest.
    std::string out;
    CHECK_FALSE(kinesis::detail::append_json_string(out, "a\xE2\x82" "b"));
    CHECK(out == "\"a\xEF\xBF\xBD" "b\"");
    out.clear();
    CHECK_FALSE(kinesis::detail::append_json_string(out, "\xC0\xAF"));
    CHECK(out == "\"\xEF\xBF\xBD\xEF\xBF\xBD\"");
}

TEST_CASE("JsonWriter places commas and writes every value type") {
    std::string out = "prefix:";
    JsonWriter writer(out);
    writer.begin_object()
        .member("StreamName", "s")
        .member("Limit", std::int64_t{-5})
        .key("Big").uint64(std::numeric_limits<std::uint64_t>::max())
        .key("Min").int64(std::numeric_limits<std::int64_t>::min())
        .member("Flag", true)
        .key("Off").boolean(false)
        .key("Nothing").null()
        .key("List").begin_array().string("a").int64(1).begin_object().end_object().begin_array().end_array().end_array()
        .key("Data").base64("hello")
        .key("Empty").base64("")
        .end_object();
    CHECK(writer.ok());
    CHECK(out ==
          "prefix:{\"StreamName\":\"s\",\"Limit\":-5,\"Big\":18446744073709551615,"
          "\"Min\":-9223372036854775808,\"Flag\":true,\"Off\":false,\"Nothing\":null,"
          "\"List\":[\"a\",1,{},[]],\"Data\":\"aGVsbG8=\",\"Empty\":\"\"}");
}

TEST_CASE("JsonWriter output reads back through the simdjson helpers") {
    std::string out;
    const std::string bytes("\x00\xFF\x10 binary", 10);
    JsonWriter writer(out);
    writer.begin_object()
        .member("Name", "line1\nline2 \xE2\x82\xAC")
        .member("Count", std::int64_t{42})
        .member("On", true)
        .key("Missing").null()
        .key("Blob").base64(bytes)
        .end_object();
    JsonParser parser;
    simdjson::ondemand::document doc;
    REQUIRE(parser.iterate_copy(out).get(doc) == simdjson::SUCCESS);
    simdjson::ondemand::object object;
    REQUIRE(doc.get_object().get(object) == simdjson::SUCCESS);
    std::string name;
    std::int64_t count = 0;
    bool on = false;
    std::optional<std::string> missing = "set";
    std::string blob;
    auto error = kinesis::detail::for_each_field(object, [&](std::string_view key, simdjson::ondemand::value v) {
        if (key == "Name") return kinesis::detail::read_string(v, name);
        if (key == "Count") return kinesis::detail::read_int64(v, count);
        if (key == "On") return kinesis::detail::read_bool(v, on);
        if (key == "Missing") return kinesis::detail::read_optional_string(v, missing);
        if (key == "Blob") return kinesis::detail::read_string(v, blob);
        return simdjson::SUCCESS;
    });
    REQUIRE(error == simdjson::SUCCESS);
    CHECK(name == "line1\nline2 \xE2\x82\xAC");
    CHECK(count == 42);
    CHECK(on);
    CHECK_FALSE(missing.has_value());
    CHECK(blob == "AP8QIGJpbmFyeQ==");
}

TEST_CASE("field readers report a wrong type instead of guessing") {
    JsonParser parser;
    std::string doc_text = R"({"n":"12"})";
    simdjson::ondemand::document doc;
    REQUIRE(parser.iterate(doc_text).get(doc) == simdjson::SUCCESS);
    simdjson::ondemand::value v;
    REQUIRE(doc["n"].get(v) == simdjson::SUCCESS);
    std::int64_t n = 0;
    CHECK(kinesis::detail::read_int64(v, n) == simdjson::INCORRECT_TYPE);
    auto error = kinesis::detail::json_parse_error("ListStreams response", simdjson::INCORRECT_TYPE);
    CHECK(error.kind == kinesis::ErrorKind::Parse);
    CHECK(error.message.rfind("ListStreams response: ", 0) == 0);
}

TEST_CASE("epoch-second timestamps keep their fraction") {
    JsonParser parser;
    std::string text = R"({"t":1.700000123456E9})";
    simdjson::ondemand::document doc;
    REQUIRE(parser.iterate(text).get(doc) == simdjson::SUCCESS);
    simdjson::ondemand::value v;
    REQUIRE(doc["t"].get(v) == simdjson::SUCCESS);
    std::chrono::system_clock::time_point t;
    REQUIRE(kinesis::detail::read_timestamp(v, t) == simdjson::SUCCESS);
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
    CHECK(micros == 1700000123456000);
}

TEST_CASE("JSON error bodies give __type without its prefix and message or Message") {
    JsonParser parser;
    kinesis::detail::JsonErrorBody body;
    std::string text = R"({"__type":"com.amazonaws.kinesis.v20131202#ResourceNotFoundException","message":"Stream x not found"})";
    REQUIRE(kinesis::detail::read_json_error_body(parser, text, body));
    CHECK(body.type == "ResourceNotFoundException");
    CHECK(body.message == "Stream x not found");

    kinesis::detail::JsonErrorBody upper;
    text = R"({"Message":"Rate exceeded","__type":"ThrottlingException","extra":[1,{"a":2}]})";
    REQUIRE(kinesis::detail::read_json_error_body(parser, text, upper));
    CHECK(upper.type == "ThrottlingException");
    CHECK(upper.message == "Rate exceeded");

    kinesis::detail::JsonErrorBody none;
    text = "<Error/>";
    CHECK_FALSE(kinesis::detail::read_json_error_body(parser, text, none));
    text = "{\"__type\":";
    CHECK_FALSE(kinesis::detail::read_json_error_body(parser, text, none));
}

TEST_CASE("is_valid_utf8 finds a bad byte after any run of ASCII") {
    // ASCII is checked eight bytes at a time: a bad byte must be found in every
    // position of a word, and a valid multi-byte character must pass there too.
    for (std::size_t at = 0; at < 20; ++at) {
        CAPTURE(at);
        std::string text(24, 'k');
        text[at] = '\xff';
        CHECK_FALSE(kinesis::detail::is_valid_utf8(text));
        text[at] = '\xc3';
        CHECK_FALSE(kinesis::detail::is_valid_utf8(text));  // a lead byte with no continuation
        text.insert(at + 1, 1, '\xa9');
        CHECK(kinesis::detail::is_valid_utf8(text));  // U+00E9
    }
}

TEST_CASE("needs_json_escape and JSON strings find a quote, backslash or control byte at any position") {
    // Both check eight bytes at a time: each escape must be found in every
    // position of a word and in the tail, and bytes just outside the ranges
    // (space, '#', '[', ']', DEL) must not be taken for one.
    for (const char special : {'"', '\\', '\n', '\x01', '\x1f', '\0'}) {
        for (std::size_t at = 0; at < 21; ++at) {
            CAPTURE(static_cast<int>(special));
            CAPTURE(at);
            std::string text(21, 'k');
            text[at] = special;
            CHECK(kinesis::detail::needs_json_escape(text));
            JsonParser parser;
            std::string out;
            CHECK(kinesis::detail::append_json_string(out, text));
            auto doc = parser.iterate_copy(out);
            std::string_view back;
            REQUIRE(doc.get_string().get(back) == simdjson::SUCCESS);
            CHECK(back == text);
        }
    }
    CHECK_FALSE(kinesis::detail::needs_json_escape(""));
    CHECK_FALSE(kinesis::detail::needs_json_escape(" !#[]^~\x7f partition-key-0001 \xc3\xa9\xff"));
}
