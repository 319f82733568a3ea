// SPDX-License-Identifier: Apache-2.0
// Fuzzes every Firehose answer reader; the first byte picks the reader, the rest is the body.
#include <kinesis/firehose/detail/wire.hpp>
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

    switch (choice % 5) {
        case 0: require_parse_error_on_failure(d::parse_create_delivery_stream(parser, body)); break;
        case 1: require_parse_error_on_failure(d::parse_describe_delivery_stream(parser, body)); break;
        case 2: require_parse_error_on_failure(d::parse_list_delivery_streams(parser, body)); break;
        case 3: require_parse_error_on_failure(d::parse_firehose_put_record(parser, body)); break;
        default: require_parse_error_on_failure(d::parse_put_record_batch(parser, body)); break;
    }
    return 0;
}
