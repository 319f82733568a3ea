// SPDX-License-Identifier: Apache-2.0
// Fuzzes every DynamoDB answer reader (items nest up to 32 levels, so depth is the thing
// to watch); the first byte picks the reader, the rest is the body.
#include <kinesis/dynamodb/detail/wire.hpp>
#include <kinesis/core/detail/json_reader.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using kinesis_fuzz::require_parse_error_on_failure;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace d = kinesis::detail;
    const auto [choice, body] = kinesis_fuzz::answer_input(data, size);
    static d::JsonParser parser;

    switch (choice % 6) {
        case 0: require_parse_error_on_failure(d::parse_describe_table(parser, body)); break;
        case 1: require_parse_error_on_failure(d::parse_table_description(parser, body)); break;
        case 2: require_parse_error_on_failure(d::parse_get_item(parser, body)); break;
        case 3: require_parse_error_on_failure(d::parse_write_item(parser, body)); break;
        case 4: require_parse_error_on_failure(d::parse_scan(parser, body)); break;
        default: require_parse_error_on_failure(d::parse_conditional_check_failure(parser, body)); break;
    }
    return 0;
}
