// SPDX-License-Identifier: Apache-2.0
// Definitions for core/detail/xml.hpp.
#ifndef KINESIS_CORE_DETAIL_IMPL_XML_INL_HPP
#define KINESIS_CORE_DETAIL_IMPL_XML_INL_HPP

#include <kinesis/core/detail/xml.hpp>

#include <fmt/core.h>

#include <cstdint>

namespace kinesis::detail {

KINESIS_DECL const XmlElement* XmlElement::find_child(std::string_view name) const noexcept {
    for (const auto& child : children_) {
        if (child.name_ == name) return &child;
    }
    return nullptr;
}

KINESIS_DECL std::vector<const XmlElement*> XmlElement::children(std::string_view name) const {
    std::vector<const XmlElement*> out;
    for (const auto& child : children_) {
        if (child.name_ == name) out.push_back(&child);
    }
    return out;
}

KINESIS_DECL std::string_view XmlElement::child_text(std::string_view name) const noexcept {
    const auto* child = find_child(name);
    return child != nullptr ? std::string_view(child->text_) : std::string_view();
}

/// Recursive descent over the input; every loop advances or fails, and
/// nesting is bounded, so no input can hang it or exhaust the stack.
class XmlParser {
public:
    explicit XmlParser(std::string_view input) noexcept : in_(input) {}

    Result<XmlElement> document() {
        if (in_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;  // UTF-8 byte order mark
        XmlElement root;
        if (!skip_misc() || !expect_element_start() || !element(root, 1) || !skip_misc()) {
            return failure();
        }
        if (pos_ != in_.size()) {
            fail("content after the root element");
            return failure();
        }
        return root;
    }

private:
    static constexpr int max_depth = 64;

    bool fail(std::string_view what) {
        if (error_.empty()) error_ = fmt::format("XML: {} at byte {}", what, pos_);
        return false;
    }

    Error failure() const {
        Error error;
        error.kind = ErrorKind::Parse;
        error.message = error_;
        return error;
    }

    [[nodiscard]] bool at_end() const noexcept { return pos_ >= in_.size(); }
    [[nodiscard]] bool starts_with(std::string_view s) const noexcept {
        return in_.substr(pos_, s.size()) == s;
    }
    static bool space(char c) noexcept { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

    void skip_space() noexcept {
        while (!at_end() && space(in_[pos_])) ++pos_;
    }

    bool skip_past(std::string_view terminator, std::string_view what) {
        const auto at = in_.find(terminator, pos_);
        if (at == std::string_view::npos) {
            pos_ = in_.size();
            return fail(fmt::format("unterminated {}", what));
        }
        pos_ = at + terminator.size();
        return true;
    }

    // Whitespace, comments, processing instructions and a DOCTYPE, before or
    // after the root element.
    bool skip_misc() {
        for (;;) {
            skip_space();
            if (starts_with("<?")) {
                if (!skip_past("?>", "processing instruction")) return false;
            } else if (starts_with("<!--")) {
                if (!skip_past("-->", "comment")) return false;
            } else if (starts_with("<!DOCTYPE")) {
                const auto close = in_.find('>', pos_);
                const auto subset = in_.find('[', pos_);
                if (subset != std::string_view::npos && subset < close) {
                    return fail("DOCTYPE with an internal subset is not supported");
                }
                if (!skip_past(">", "DOCTYPE")) return false;
            } else {
                return true;
            }
        }
    }

    bool expect_element_start() {
        if (at_end()) return fail("no root element");
        if (in_[pos_] != '<') return fail("expected '<'");
        return true;
    }

    // A name up to whitespace, '/', '>' or '='; `raw` keeps any prefix.
    bool name(std::string_view& raw) {
        const auto begin = pos_;
        while (!at_end()) {
            const char c = in_[pos_];
            if (space(c) || c == '/' || c == '>' || c == '=') break;
            if (c == '<' || c == '&' || c == '"' || c == '\'') return fail("invalid character in a name");
            ++pos_;
        }
        if (pos_ == begin) return fail(at_end() ? "unexpected end in a tag" : "expected a name");
        raw = in_.substr(begin, pos_ - begin);
        return true;
    }

    static std::string local_name(std::string_view raw) {
        const auto colon = raw.rfind(':');
        if (colon != std::string_view::npos) raw.remove_prefix(colon + 1);
        return std::string(raw);
    }

    // Skips attributes; true with `empty` set for `<x/>`.
    bool attributes(bool& empty) {
        for (;;) {
            skip_space();
            if (at_end()) return fail("unexpected end in a tag");
            if (in_[pos_] == '>') {
                ++pos_;
                empty = false;
                return true;
            }
            if (in_[pos_] == '/') {
                ++pos_;
                if (at_end() || in_[pos_] != '>') return fail("expected '>' after '/'");
                ++pos_;
                empty = true;
                return true;
            }
            std::string_view ignored;
            if (!name(ignored)) return false;
            skip_space();
            if (at_end() || in_[pos_] != '=') return fail("expected '=' after an attribute name");
            ++pos_;
            skip_space();
            if (at_end() || (in_[pos_] != '"' && in_[pos_] != '\'')) return fail("expected a quoted attribute value");
            const char quote = in_[pos_++];
            const auto close = in_.find(quote, pos_);
            if (close == std::string_view::npos) {
                pos_ = in_.size();
                return fail("unterminated attribute value");
            }
            pos_ = close + 1;
        }
    }

    static void append_utf8(std::string& out, std::uint32_t cp) {
        if (cp < 0x80) {
            out.push_back(static_cast<char>(cp));
        } else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        } else {
            out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
        }
    }

    // One entity starting at '&'; appends its character.
    bool entity(std::string& out) {
        // Entities are short: look only a few bytes ahead, so text full of
        // stray '&' stays linear.
        const auto window = in_.substr(pos_, 14).find(';');
        if (window == std::string_view::npos) return fail("unterminated entity");
        const auto semi = pos_ + window;
        const auto body = in_.substr(pos_ + 1, semi - pos_ - 1);
        if (body == "amp") {
            out.push_back('&');
        } else if (body == "lt") {
            out.push_back('<');
        } else if (body == "gt") {
            out.push_back('>');
        } else if (body == "quot") {
            out.push_back('"');
        } else if (body == "apos") {
            out.push_back('\'');
        } else if (body.size() >= 2 && body[0] == '#') {
            const bool hex = body[1] == 'x' || body[1] == 'X';
            const auto digits = body.substr(hex ? 2 : 1);
            if (digits.empty() || digits.size() > 8) return fail("bad character reference");
            std::uint32_t cp = 0;
            for (const char c : digits) {
                std::uint32_t d = 0;
                if (c >= '0' && c <= '9') {
                    d = static_cast<std::uint32_t>(c - '0');
                } else if (hex && c >= 'a' && c <= 'f') {
                    d = static_cast<std::uint32_t>(c - 'a' + 10);
                } else if (hex && c >= 'A' && c <= 'F') {
                    d = static_cast<std::uint32_t>(c - 'A' + 10);
                } else {
                    return fail("bad character reference");
                }
                cp = cp * (hex ? 16 : 10) + d;
                if (cp > 0x10FFFF) return fail("character reference past U+10FFFF");
            }
            if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) return fail("character reference to a non-character");
            append_utf8(out, cp);
        } else {
            return fail("unknown entity");
        }
        pos_ = semi + 1;
        return true;
    }

    // Character data up to the next '<', entities decoded.
    bool text(std::string& out) {
        while (!at_end() && in_[pos_] != '<') {
            const auto stop = in_.find_first_of("<&", pos_);
            const auto end = stop == std::string_view::npos ? in_.size() : stop;
            out.append(in_.data() + pos_, end - pos_);
            pos_ = end;
            if (!at_end() && in_[pos_] == '&' && !entity(out)) return false;
        }
        return true;
    }

    // At '<' of a start tag: reads the element, its content and its end tag.
    bool element(XmlElement& out, int depth) {
        if (depth > max_depth) return fail("elements nested too deeply");
        ++pos_;  // '<'
        std::string_view raw;
        if (!name(raw)) return false;
        out.name_ = local_name(raw);
        bool empty = false;
        if (!attributes(empty)) return false;
        if (empty) return true;
        for (;;) {
            if (at_end()) return fail(fmt::format("unexpected end inside <{}>", out.name_));
            if (in_[pos_] != '<') {
                if (!text(out.text_)) return false;
            } else if (starts_with("</")) {
                pos_ += 2;
                std::string_view closing;
                if (!name(closing)) return false;
                skip_space();
                if (at_end() || in_[pos_] != '>') return fail("expected '>' in an end tag");
                ++pos_;
                if (closing != raw) return fail(fmt::format("</{}> closes <{}>", closing, raw));
                return true;
            } else if (starts_with("<!--")) {
                if (!skip_past("-->", "comment")) return false;
            } else if (starts_with("<![CDATA[")) {
                const auto begin = pos_ + 9;
                if (!skip_past("]]>", "CDATA section")) return false;
                out.text_.append(in_.data() + begin, pos_ - 3 - begin);
            } else if (starts_with("<?")) {
                if (!skip_past("?>", "processing instruction")) return false;
            } else if (starts_with("<!")) {
                return fail("unexpected markup declaration");
            } else {
                out.children_.emplace_back();
                if (!element(out.children_.back(), depth + 1)) return false;
            }
        }
    }

    std::string_view in_;
    std::size_t pos_ = 0;
    std::string error_;
};

KINESIS_DECL Result<XmlElement> parse_xml(std::string_view document) {
    return XmlParser(document).document();
}

}  // namespace kinesis::detail

#endif  // KINESIS_CORE_DETAIL_IMPL_XML_INL_HPP
