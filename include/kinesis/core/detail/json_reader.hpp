// SPDX-License-Identifier: Apache-2.0
// simdjson on-demand helpers: one reused parser, field readers into owned values.
#ifndef KINESIS_CORE_DETAIL_JSON_READER_HPP
#define KINESIS_CORE_DETAIL_JSON_READER_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <simdjson.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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

/// -2^31..2^31-1: an int member of an AWS shape.
[[nodiscard]] KINESIS_DECL simdjson::error_code read_int(simdjson::ondemand::value value, int& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_optional_int(simdjson::ondemand::value value,
                                                                  std::optional<int>& out);
/// read_timestamp(), or an ISO-8601 string: not what AWS sends, but some emulators write one.
[[nodiscard]] KINESIS_DECL simdjson::error_code read_time(simdjson::ondemand::value value,
                                                          std::chrono::system_clock::time_point& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_optional_time(
    simdjson::ondemand::value value, std::optional<std::chrono::system_clock::time_point>& out);
/// The `_or_null` forms read a member the service may send as `null` into a
/// plain destination, which `null` leaves as it is.
[[nodiscard]] KINESIS_DECL simdjson::error_code read_string_or_null(simdjson::ondemand::value value,
                                                                    std::string& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_bool_or_null(simdjson::ondemand::value value, bool& out);
[[nodiscard]] KINESIS_DECL simdjson::error_code read_int_or_null(simdjson::ondemand::value value, int& out);
/// Appends each string of an array to `out`.
[[nodiscard]] KINESIS_DECL simdjson::error_code read_string_list(simdjson::ondemand::value value,
                                                                 std::vector<std::string>& out);

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

/// for_each_field() over a value that must be an object.
template <class OnField>
[[nodiscard]] simdjson::error_code read_object(simdjson::ondemand::value value, OnField&& on_field) {
    simdjson::ondemand::object object;
    if (auto error = value.get_object().get(object)) return error;
    return for_each_field(object, std::forward<OnField>(on_field));
}

/// Calls `on_element(simdjson::ondemand::value)` for each element of an array,
/// in order; the first error it returns stops the walk and is returned.
template <class OnElement>
[[nodiscard]] simdjson::error_code read_array(simdjson::ondemand::value value, OnElement&& on_element) {
    simdjson::ondemand::array array;
    if (auto error = value.get_array().get(array)) return error;
    for (auto element : array) {
        simdjson::ondemand::value item;
        if (auto error = element.get(item)) return error;
        if (auto error = on_element(item)) return error;
    }
    return simdjson::SUCCESS;
}

/// The one of `values` whose to_string() is `text`; false, `out` untouched, for none.
template <class Enum, std::size_t N>
[[nodiscard]] bool enum_from_wire(std::string_view text, Enum& out, const Enum (&values)[N]) {
    for (const Enum candidate : values) {
        if (to_string(candidate) == text) {
            out = candidate;
            return true;
        }
    }
    return false;
}

/// Enum readers: a string that names none of `values` (a newer service's) is
/// no error and leaves `out` as it is: reading must not fail on it.
template <class Enum, std::size_t N>
[[nodiscard]] simdjson::error_code read_enum(simdjson::ondemand::value value, Enum& out, const Enum (&values)[N]) {
    std::string_view text;
    if (auto error = value.get_string().get(text)) return error;
    (void)enum_from_wire(text, out, values);
    return simdjson::SUCCESS;
}

template <class Enum, std::size_t N>
[[nodiscard]] simdjson::error_code read_enum_or_null(simdjson::ondemand::value value, Enum& out,
                                                     const Enum (&values)[N]) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) return simdjson::SUCCESS;
    return read_enum(value, out, values);
}

template <class Enum, std::size_t N>
[[nodiscard]] simdjson::error_code read_optional_enum(simdjson::ondemand::value value, std::optional<Enum>& out,
                                                      const Enum (&values)[N]) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) {
        out.reset();
        return simdjson::SUCCESS;
    }
    std::string_view text;
    if (auto error = value.get_string().get(text)) return error;
    Enum parsed{};
    if (enum_from_wire(text, parsed, values)) out = parsed;
    return simdjson::SUCCESS;
}

/// A Parse error for an unreadable answer: "<what>: <simdjson message>".
[[nodiscard]] KINESIS_DECL Error json_parse_error(std::string_view what, simdjson::error_code code);

/// Parses `body` as one object into a fresh T, handing each member to
/// `on_field(T& out, std::string_view key, simdjson::ondemand::value value)`;
/// an error, from simdjson or `on_field`, is a json_parse_error() naming `what`.
template <class T, class OnField>
[[nodiscard]] Result<T> parse_object(JsonParser& parser, const std::string& body, std::string_view what,
                                     OnField&& on_field) {
    simdjson::ondemand::document doc;
    if (auto error = parser.iterate(body).get(doc)) return json_parse_error(what, error);
    simdjson::ondemand::object object;
    if (auto error = doc.get_object().get(object)) return json_parse_error(what, error);
    T out{};
    if (auto error = for_each_field(object, [&](std::string_view key, simdjson::ondemand::value value) {
            return on_field(out, key, value);
        })) {
        return json_parse_error(what, error);
    }
    return out;
}

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

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/json_reader.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_JSON_READER_HPP
