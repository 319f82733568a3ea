// SPDX-License-Identifier: Apache-2.0
// A JSON writer that appends to a caller-owned, reused buffer.
#ifndef KINESIS_CORE_DETAIL_JSON_WRITER_HPP
#define KINESIS_CORE_DETAIL_JSON_WRITER_HPP

#include <kinesis/core/linkage.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace kinesis::detail {

/// Whether `text` is well-formed UTF-8 (no overlongs, surrogates or code
/// points past U+10FFFF). Typed clients call this while validating input, so
/// a bad field is named before anything is written.
[[nodiscard]] KINESIS_DECL bool is_valid_utf8(std::string_view text) noexcept;

/// Whether `text` holds a byte JSON must escape: `"`, `\` or one below 0x20.
/// Checks eight bytes at a time.
[[nodiscard]] KINESIS_DECL bool needs_json_escape(std::string_view text) noexcept;

/// Appends JSON to a caller-owned std::string, so a client reuses one buffer
/// and its capacity across calls (no allocation per value). Commas are placed
/// automatically; the caller pairs begin/end and key/value correctly.
///
/// Strings: `"` `\` and every control character are escaped (`\b \f \n \r \t`,
/// others as `\u00XX`); valid UTF-8 is copied through unchanged. Invalid UTF-8
/// (AWS rejects it) is written as U+FFFD per maximal bad sequence so the
/// output stays valid JSON, and the writer remembers it: `ok()` turns false
/// and the caller must not send the document. Validation with
/// `is_valid_utf8()` beforehand gives a better error naming the field.
/// Not thread-safe.
class JsonWriter {
public:
    /// Appends to `out` from its current end; `out` is not cleared.
    explicit JsonWriter(std::string& out) noexcept : out_(out), start_(out.size()) {}

    KINESIS_DECL JsonWriter& begin_object();
    KINESIS_DECL JsonWriter& end_object();
    KINESIS_DECL JsonWriter& begin_array();
    KINESIS_DECL JsonWriter& end_array();
    /// An object member's name; the next call writes its value.
    KINESIS_DECL JsonWriter& key(std::string_view name);

    KINESIS_DECL JsonWriter& string(std::string_view value);
    KINESIS_DECL JsonWriter& int64(std::int64_t value);
    KINESIS_DECL JsonWriter& uint64(std::uint64_t value);
    KINESIS_DECL JsonWriter& boolean(bool value);
    KINESIS_DECL JsonWriter& null();
    /// A JSON string holding the base64 encoding of `bytes` (AWS "blob"),
    /// encoded straight into the buffer.
    KINESIS_DECL JsonWriter& base64(std::string_view bytes);

    /// key(name).string(value) etc., for the common member forms.
    JsonWriter& member(std::string_view name, std::string_view value) { return key(name).string(value); }
    JsonWriter& member(std::string_view name, const char* value) { return key(name).string(value); }
    JsonWriter& member(std::string_view name, std::int64_t value) { return key(name).int64(value); }
    JsonWriter& member(std::string_view name, bool value) { return key(name).boolean(value); }

    /// False once invalid UTF-8 was written (replaced by U+FFFD).
    [[nodiscard]] bool ok() const noexcept { return ok_; }

private:
    void separate();
    void quoted(std::string_view text);
    void escaped_ascii(std::string_view text);

    std::string& out_;
    std::size_t start_;
    bool ok_ = true;
};

/// Appends `text` as a JSON string literal (quotes included) to `out`.
/// Returns false when `text` was not valid UTF-8 (bad bytes become U+FFFD).
KINESIS_DECL bool append_json_string(std::string& out, std::string_view text);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/json_writer.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_JSON_WRITER_HPP
