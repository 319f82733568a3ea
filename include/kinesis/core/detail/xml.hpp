// SPDX-License-Identifier: Apache-2.0
// A small non-validating XML reader for S3 and STS answers and errors.
#ifndef KINESIS_CORE_DETAIL_XML_HPP
#define KINESIS_CORE_DETAIL_XML_HPP

#include <kinesis/core/linkage.hpp>
#include <kinesis/core/error.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kinesis::detail {

/// One element of a parsed document, owning its name, text and children.
///
/// Names have any namespace prefix removed (`s3:Code` reads as `Code`) and
/// attributes, including `xmlns` declarations, are skipped: AWS answers use
/// one default namespace, and callers match on local names.
/// `text()` is the element's character data with entities and CDATA decoded,
/// every text run concatenated; for elements with children it also holds the
/// whitespace between them, so read text from leaf elements.
class XmlElement {
public:
    [[nodiscard]] const std::string& name() const noexcept { return name_; }
    [[nodiscard]] const std::string& text() const noexcept { return text_; }
    [[nodiscard]] const std::vector<XmlElement>& children() const noexcept { return children_; }

    /// First child element with this local name, or nullptr.
    [[nodiscard]] KINESIS_DECL const XmlElement* find_child(std::string_view name) const noexcept;
    /// Every child element with this local name, in document order.
    [[nodiscard]] KINESIS_DECL std::vector<const XmlElement*> children(std::string_view name) const;
    /// Text of the first child with this name, or "" when there is none.
    [[nodiscard]] KINESIS_DECL std::string_view child_text(std::string_view name) const noexcept;

private:
    friend class XmlParser;
    std::string name_;
    std::string text_;
    std::vector<XmlElement> children_;
};

/// Parses a whole document into its root element. Accepts a `<?xml ...?>`
/// prolog, comments, processing instructions and a DOCTYPE without an
/// internal subset; decodes `&amp; &lt; &gt; &quot; &apos; &#NN; &#xNN;` and
/// CDATA. Malformed, truncated or too deeply nested (over 64 levels) input is
/// an ErrorKind::Parse error naming the byte offset; it never crashes or hangs.
[[nodiscard]] KINESIS_DECL Result<XmlElement> parse_xml(std::string_view document);

}  // namespace kinesis::detail

#ifdef KINESIS_IMPLEMENT
#include <kinesis/core/detail/impl/xml.inl.hpp>
#endif

#endif  // KINESIS_CORE_DETAIL_XML_HPP
