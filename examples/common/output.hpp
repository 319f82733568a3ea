// SPDX-License-Identifier: Apache-2.0
// Printing for the example binaries: AWS CLI style JSON, timestamps, one-line errors.
#ifndef KINESIS_EXAMPLES_COMMON_OUTPUT_HPP
#define KINESIS_EXAMPLES_COMMON_OUTPUT_HPP

#include <kinesis/core/base64.hpp>
#include <kinesis/core/error.hpp>

#include <fmt/core.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace examples {

/// Length of the well-formed UTF-8 sequence at `p` (Unicode table 3-7), or
/// the negated length of its maximal ill-formed prefix (at least 1).
inline int utf8_step(const unsigned char* p, std::size_t n) {
    const unsigned c = p[0];
    int len = 0;
    unsigned lo = 0x80;  // the range of the second byte
    unsigned hi = 0xBF;
    if (c < 0x80) return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;  // no overlong forms
        if (c == 0xED) hi = 0x9F;  // no UTF-16 surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;  // no overlong forms
        if (c == 0xF4) hi = 0x8F;  // nothing past U+10FFFF
    } else {
        return -1;  // never starts a sequence
    }
    for (int i = 1; i < len; ++i) {
        if (static_cast<std::size_t>(i) >= n) return -i;
        const unsigned b = p[i];
        if (b < (i == 1 ? lo : 0x80U) || b > (i == 1 ? hi : 0xBFU)) return -i;
    }
    return len;
}

/// Appends `text` as a JSON string literal, quotes included: `"` `\` and
/// control characters escaped (`\b \f \n \r \t`, others `\u00XX`), UTF-8
/// copied through, each maximal ill-formed sequence replaced by U+FFFD so the
/// output is always valid JSON.
inline void append_json_string(std::string& out, std::string_view text) {
    static constexpr char hex[] = "0123456789abcdef";
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    out += '"';
    for (std::size_t i = 0; i < text.size();) {
        const unsigned char c = p[i];
        if (c >= 0x80) {
            const int step = utf8_step(p + i, text.size() - i);
            if (step > 0) {
                out.append(text.data() + i, static_cast<std::size_t>(step));
            } else {
                out += "\xEF\xBF\xBD";  // U+FFFD
            }
            i += static_cast<std::size_t>(step > 0 ? step : -step);
            continue;
        }
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (c < 0x20) {
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            } else {
                out += static_cast<char>(c);
            }
        }
        ++i;
    }
    out += '"';
}

/// Builds JSON laid out as the AWS CLI prints it (Python's json.dumps with
/// indent=4: one member per line, ": " after keys, empty containers as [] and
/// {}), so output can be compared with the CLI's. The caller pairs
/// begin/end and key/value.
class CliJson {
public:
    CliJson& begin_object() { return open('{'); }
    CliJson& end_object() { return close('}'); }
    CliJson& begin_array() { return open('['); }
    CliJson& end_array() { return close(']'); }

    CliJson& key(std::string_view name) {
        next_item();
        append_json_string(out_, name);
        out_ += ": ";
        after_key_ = true;
        return *this;
    }
    CliJson& string(std::string_view value) {
        value_prefix();
        append_json_string(out_, value);
        return *this;
    }
    CliJson& number(std::int64_t value) {
        value_prefix();
        out_ += std::to_string(value);
        return *this;
    }
    CliJson& boolean(bool value) {
        value_prefix();
        out_ += value ? "true" : "false";
        return *this;
    }
    /// A blob, as the CLI prints one: base64.
    CliJson& base64(std::string_view bytes) {
        value_prefix();
        out_ += '"';
        out_ += kinesis::base64_encode(bytes);
        out_ += '"';
        return *this;
    }

    CliJson& member(std::string_view name, std::string_view value) { return key(name).string(value); }
    CliJson& member(std::string_view name, const char* value) { return key(name).string(value); }
    CliJson& member(std::string_view name, std::int64_t value) { return key(name).number(value); }
    CliJson& member(std::string_view name, int value) { return key(name).number(value); }
    CliJson& member(std::string_view name, bool value) { return key(name).boolean(value); }

    /// The document, with the final newline the CLI prints.
    [[nodiscard]] std::string str() const { return out_ + "\n"; }

private:
    CliJson& open(char bracket) {
        value_prefix();
        out_ += bracket;
        counts_.push_back(0);
        return *this;
    }
    CliJson& close(char bracket) {
        const bool empty = counts_.back() == 0;
        counts_.pop_back();
        if (!empty) newline();
        out_ += bracket;
        return *this;
    }
    // A value right after its key stays on the key's line; anywhere else it
    // starts a new item of the enclosing array (or is the document itself).
    void value_prefix() {
        if (after_key_) {
            after_key_ = false;
        } else if (!counts_.empty()) {
            next_item();
        }
    }
    void next_item() {
        if (counts_.back()++ != 0) out_ += ',';
        newline();
    }
    void newline() {
        out_ += '\n';
        out_.append(counts_.size() * 4, ' ');
    }

    std::string out_;
    std::vector<int> counts_;
    bool after_key_ = false;
};

/// "YYYY-MM-DDTHH:MM:SS" in UTC, and the fraction of a second below it in `Fraction`
/// units (never negative, also before 1970).
template <class Fraction>
inline std::pair<std::string, long long> utc_seconds_and_fraction(std::chrono::system_clock::time_point time) {
    using namespace std::chrono;
    constexpr long long per_second = duration_cast<Fraction>(seconds(1)).count();
    const auto ticks = duration_cast<Fraction>(time.time_since_epoch()).count();
    auto whole = ticks / per_second;
    auto fraction = ticks % per_second;
    if (fraction < 0) {
        fraction += per_second;
        whole -= 1;
    }
    const std::time_t t = static_cast<std::time_t>(whole);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return {fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                        tm.tm_hour, tm.tm_min, tm.tm_sec),
            fraction};
}

/// ISO 8601 in UTC as the AWS CLI v2 prints timestamps with TZ=UTC:
/// "2024-02-14T10:35:12.123000+00:00" (the fraction only when non-zero).
inline std::string iso8601(std::chrono::system_clock::time_point time) {
    auto [text, micros] = utc_seconds_and_fraction<std::chrono::microseconds>(time);
    if (micros != 0) text += fmt::format(".{:06}", micros);
    return text + "+00:00";
}

/// The error on one line, whatever the service put in its message.
inline std::string one_line(const kinesis::Error& error) {
    std::string line = error.to_string();
    for (char& c : line) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return line;
}

/// Prints "<program>: <error>" on stderr; returns the exit status 1.
inline int fail(std::string_view program, const kinesis::Error& error) {
    fmt::print(stderr, "{}: {}\n", program, one_line(error));
    return 1;
}

}  // namespace examples

#endif  // KINESIS_EXAMPLES_COMMON_OUTPUT_HPP
