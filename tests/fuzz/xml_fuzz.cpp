// SPDX-License-Identifier: Apache-2.0
// Fuzzes the XML reader behind every S3, STS and IAM answer and every Query/REST error.
#include <kinesis/core/detail/xml.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

using kinesis_fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view document(reinterpret_cast<const char*>(data), size);
    auto root = kinesis::detail::parse_xml(document);
    kinesis_fuzz::require_parse_error_on_failure(root);
    if (!root) return 0;

    // Walked without recursion: the parser's own depth limit (64) is what is checked.
    std::vector<std::pair<const kinesis::detail::XmlElement*, int>> pending{{&*root, 1}};
    std::size_t elements = 0;
    while (!pending.empty()) {
        const auto [element, depth] = pending.back();
        pending.pop_back();
        require(depth <= 64);
        // Text is decoded input: never longer than the document it came from.
        require(element->text().size() <= size);
        for (const auto& child : element->children()) pending.emplace_back(&child, depth + 1);
        if (!element->children().empty()) {
            const auto& first = element->children().front();
            require(element->find_child(first.name()) == &first);
            require(element->child_text(first.name()) == first.text());
            require(!element->children(first.name()).empty());
        }
        ++elements;
    }
    // Every element costs at least "<a/>" worth of input.
    require(elements * 4 <= size);
    return 0;
}
