// SPDX-License-Identifier: Apache-2.0
// simdjson on-demand helpers: one reused parser, field readers into owned values.
#ifndef KINESIS_DETAIL_JSON_READER_HPP
#define KINESIS_DETAIL_JSON_READER_HPP

#include <kinesis/config_macros.hpp>
#include <kinesis/error.hpp>

#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace kinesis::detail {

/// One simdjson on-demand parser, reused for every response of a client so
/// its internal buffers are allocated once. Documents it returns borrow both
/// the parser and the input: read them into owned values before the next
/// parse. Not thread-safe.
class JsonParser {
public:
    /// Parses `json` in place when its capacity leaves SIMDJSON_PADDING bytes
    /// past size() (HttpResponse bodies do); otherwise copies it once into a
    /// padded scratch buffer owned by the parser.
    KINESIS_DECL simdjson::simdjson_result<simdjson::ondemand::document> iterate(const std::string& json);
    /// Always copies into the scratch buffer: a string_view's capacity is unknown.
    KINESIS_DECL simdjson::simdjson_result<simdjson::ondemand::document> iterate_copy(std::string_view json);

private:
    simdjson::ondemand::parser parser_;
    std::string scratch_;
};

/// Field readers: copy a value into an owned destination. They return the
/// simdjson error, or SUCCESS; `null` is an INCORRECT_TYPE except for the
/// std::optional forms, where it leaves the optional empty.
[[nodiscard]] KINESIS_DECL simdjson::error_code read_string(simdjson::ondemand::value value, std::string& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_int64(simdjson::ondemand::value value, std::int64_t& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_uint64(simdjson::ondemand::value value, std::uint64_t& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_bool(simdjson::ondemand::value value, bool& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_optional_string(simdjson::ondemand::value value,
                                                                     std::optional<std::string>& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_optional_int64(simdjson::ondemand::value value,
                                                                    std::optional<std::int64_t>& out);
/// AWS JSON timestamps are epoch seconds with a fraction (e.g. 1.700000123E9).
[[nodiscard]] KINESIS_DECL simdjson::error_code read_timestamp(simdjson::ondemand::value value,
                                                               std::chrono::system_clock::time_point& out);

/// Calls `on_field(std::string_view key, simdjson::ondemand::value value)` for
/// each member of an object, in document order (the fast on-demand pattern:
/// no field lookups, members may come in any order). `on_field` returns a
/// simdjson::error_code; the first error stops the walk and is returned.
template <class OnField>
[[nodiscard]] simdjson::error_code for_each_field(simdjson::ondemand::object object, OnField&& on_field) {
    for (auto field : object) {
        std::string_view key;
        if (auto error = field.unescaped_key().get(key)) return error;
        simdjson::ondemand::value value;
        if (auto error = field.value().get(value)) return error;
        if (auto error = on_field(key, value)) return error;
    }
    return simdjson::SUCCESS;
}

/// A Parse error for an unreadable answer: "<what>: <simdjson message>".
[[nodiscard]] KINESIS_DECL Error json_parse_error(std::string_view what, simdjson::error_code code);

/// `__type` (with any `prefix#` removed) and `message`/`Message` of an AWS
/// JSON error body.
struct JsonErrorBody {
    std::string type;
    std::string message;
};

/// Reads the error members of a JSON error body; false when `body` is not a
/// JSON object (other members are ignored).
[[nodiscard]] KINESIS_DECL bool read_json_error_body(JsonParser& parser, const std::string& body,
                                                     JsonErrorBody& out);

}  // namespace kinesis::detail

#ifdef KINESIS_HEADER_ONLY
#include <kinesis/detail/impl/json_reader.ipp>
#endif

#endif  // KINESIS_DETAIL_JSON_READER_HPP
