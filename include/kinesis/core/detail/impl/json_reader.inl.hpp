// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/json_reader.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_JSON_READER_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_JSON_READER_INL_HPP

#include <kinesis/core/detail/json_reader.hpp>

#include <kinesis/core/detail/time.hpp>

#include <cmath>
#include <cstdint>

namespace kinesis::detail {

KINESIS_DECL simdjson::simdjson_result<simdjson::ondemand::document> JsonParser::iterate(
    const std::string& json) {
    if (json.capacity() - json.size() >= simdjson::SIMDJSON_PADDING) {
        return parser_.iterate(simdjson::padded_string_view(json.data(), json.size(), json.capacity()));
    }
    return iterate_copy(json);
}

KINESIS_DECL simdjson::simdjson_result<simdjson::ondemand::document> JsonParser::iterate_copy(
    std::string_view json) {
    scratch_.reserve(json.size() + simdjson::SIMDJSON_PADDING);
    scratch_.assign(json.data(), json.size());
    return parser_.iterate(
        simdjson::padded_string_view(scratch_.data(), scratch_.size(), scratch_.capacity()));
}

KINESIS_DECL simdjson::error_code read_string(simdjson::ondemand::value value, std::string& out) {
    std::string_view view;
    if (auto error = value.get_string().get(view)) return error;
    out.assign(view.data(), view.size());
    return simdjson::SUCCESS;
}

KINESIS_DECL simdjson::error_code read_int64(simdjson::ondemand::value value, std::int64_t& out) {
    return value.get_int64().get(out);
}

KINESIS_DECL simdjson::error_code read_uint64(simdjson::ondemand::value value, std::uint64_t& out) {
    return value.get_uint64().get(out);
}

KINESIS_DECL simdjson::error_code read_bool(simdjson::ondemand::value value, bool& out) {
    return value.get_bool().get(out);
}

KINESIS_DECL simdjson::error_code read_optional_string(simdjson::ondemand::value value,
                                                       std::optional<std::string>& out) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) {
        out.reset();
        return simdjson::SUCCESS;
    }
    std::string text;
    if (auto error = read_string(value, text)) return error;
    out = std::move(text);
    return simdjson::SUCCESS;
}

KINESIS_DECL simdjson::error_code read_optional_int64(simdjson::ondemand::value value,
                                                      std::optional<std::int64_t>& out) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) {
        out.reset();
        return simdjson::SUCCESS;
    }
    std::int64_t number = 0;
    if (auto error = read_int64(value, number)) return error;
    out = number;
    return simdjson::SUCCESS;
}

KINESIS_DECL simdjson::error_code read_timestamp(simdjson::ondemand::value value,
                                                 std::chrono::system_clock::time_point& out) {
    double seconds = 0;
    if (auto error = value.get_double().get(seconds)) return error;
    // Beyond the clock's range the conversion to its nanoseconds would overflow.
    if (!std::isfinite(seconds) || std::fabs(seconds) > static_cast<double>(max_epoch_seconds)) {
        return simdjson::NUMBER_OUT_OF_RANGE;
    }
    // Whole seconds and the fraction separately, so the fraction keeps its
    // microseconds even for current epoch values.
    const double whole = std::floor(seconds);
    const auto micros = static_cast<std::int64_t>(std::llround((seconds - whole) * 1e6));
    out = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(static_cast<std::int64_t>(whole)) + std::chrono::microseconds(micros)));
    return simdjson::SUCCESS;
}

KINESIS_DECL simdjson::error_code read_int(simdjson::ondemand::value value, int& out) {
    std::int64_t number = 0;
    if (auto error = value.get_int64().get(number)) return error;
    if (number < INT32_MIN || number > INT32_MAX) return simdjson::NUMBER_OUT_OF_RANGE;
    out = static_cast<int>(number);
    return simdjson::SUCCESS;
}

KINESIS_DECL simdjson::error_code read_optional_int(simdjson::ondemand::value value, std::optional<int>& out) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) {
        out.reset();
        return simdjson::SUCCESS;
    }
    int number = 0;
    if (auto error = read_int(value, number)) return error;
    out = number;
    return simdjson::SUCCESS;
}

KINESIS_DECL simdjson::error_code read_time(simdjson::ondemand::value value,
                                            std::chrono::system_clock::time_point& out) {
    simdjson::ondemand::json_type type;
    if (auto error = value.type().get(type)) return error;
    if (type == simdjson::ondemand::json_type::string) {
        std::string_view text;
        if (auto error = value.get_string().get(text)) return error;
        auto parsed = parse_iso8601(text);
        if (!parsed) return simdjson::INCORRECT_TYPE;
        out = *parsed;
        return simdjson::SUCCESS;
    }
    return read_timestamp(value, out);
}

KINESIS_DECL simdjson::error_code read_optional_time(simdjson::ondemand::value value,
                                                     std::optional<std::chrono::system_clock::time_point>& out) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) {
        out.reset();
        return simdjson::SUCCESS;
    }
    std::chrono::system_clock::time_point time{};
    if (auto error = read_time(value, time)) return error;
    out = time;
    return simdjson::SUCCESS;
}

KINESIS_DECL simdjson::error_code read_string_or_null(simdjson::ondemand::value value, std::string& out) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) return simdjson::SUCCESS;
    return read_string(value, out);
}

KINESIS_DECL simdjson::error_code read_bool_or_null(simdjson::ondemand::value value, bool& out) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) return simdjson::SUCCESS;
    return read_bool(value, out);
}

KINESIS_DECL simdjson::error_code read_int_or_null(simdjson::ondemand::value value, int& out) {
    bool is_null = false;
    if (auto error = value.is_null().get(is_null)) return error;
    if (is_null) return simdjson::SUCCESS;
    return read_int(value, out);
}

KINESIS_DECL simdjson::error_code read_string_list(simdjson::ondemand::value value, std::vector<std::string>& out) {
    return read_array(value, [&](simdjson::ondemand::value item) { return read_string(item, out.emplace_back()); });
}

KINESIS_DECL Error json_parse_error(std::string_view what, simdjson::error_code code) {
    Error error;
    error.kind = ErrorKind::Parse;
    error.message = std::string(what);
    error.message += ": ";
    error.message += simdjson::error_message(code);
    return error;
}

KINESIS_DECL bool read_json_error_body(JsonParser& parser, const std::string& body, JsonErrorBody& out) {
    simdjson::ondemand::document doc;
    if (parser.iterate(body).get(doc)) return false;
    simdjson::ondemand::object object;
    if (doc.get_object().get(object)) return false;
    const auto error = for_each_field(object, [&](std::string_view key, simdjson::ondemand::value value) {
        if (key == "__type") {
            std::string_view type;
            if (value.get_string().get(type) == simdjson::SUCCESS) {
                // "aws.protocoltests#ValidationException" and the like.
                const auto hash = type.rfind('#');
                if (hash != std::string_view::npos) type.remove_prefix(hash + 1);
                out.type.assign(type.data(), type.size());
            }
        } else if (key == "message" || key == "Message") {
            std::string_view message;
            if (value.get_string().get(message) == simdjson::SUCCESS && out.message.empty()) {
                out.message.assign(message.data(), message.size());
            }
        }
        return simdjson::SUCCESS;
    });
    return error == simdjson::SUCCESS;
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_JSON_READER_INL_HPP
