// SPDX-License-Identifier: Apache-2.0
// Fuzzes every Kinesis answer reader; the first byte picks the reader, the rest is the body.
#include <kinesis/streams/detail/wire.hpp>
#include <kinesis/core/detail/json_reader.hpp>

#include "fuzz_input.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

using kinesis_fuzz::require;
using kinesis_fuzz::require_parse_error_on_failure;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace d = kinesis::detail;
    const auto [choice, body] = kinesis_fuzz::answer_input(data, size);
    // One parser for all: the clients reuse theirs, so state left by a bad document must not leak.
    static d::JsonParser parser;

    switch (choice % 17) {
        case 0: {
            auto r = d::parse_get_records(parser, body);
            require_parse_error_on_failure(r);
            // The in-place form must agree with the plain one, whatever `out` held before.
            kinesis::GetRecordsResult out;
            out.records.resize(2);
            out.records[0].data = "left over";
            auto into = d::parse_get_records_into(parser, body, out);
            require(static_cast<bool>(into) == static_cast<bool>(r));
            if (r) {
                require(out.records.size() == r->records.size());
                for (std::size_t i = 0; i < out.records.size(); ++i) {
                    require(out.records[i].data == r->records[i].data);
                    require(out.records[i].sequence_number == r->records[i].sequence_number);
                    require(out.records[i].partition_key == r->records[i].partition_key);
                }
            } else {
                require(out.records.empty());
            }
            break;
        }
        case 1: require_parse_error_on_failure(d::parse_put_records(parser, body)); break;
        case 2: {
            const std::size_t sent = (choice >> 2) % 8;
            auto r = d::parse_put_records_for(parser, body, sent);
            require_parse_error_on_failure(r);
            if (r) require(r->records.size() == sent);
            break;
        }
        case 3: require_parse_error_on_failure(d::parse_put_record(parser, body)); break;
        case 4: require_parse_error_on_failure(d::parse_describe_stream(parser, body)); break;
        case 5: require_parse_error_on_failure(d::parse_describe_stream_summary(parser, body)); break;
        case 6: require_parse_error_on_failure(d::parse_list_streams(parser, body)); break;
        case 7: require_parse_error_on_failure(d::parse_list_shards(parser, body)); break;
        case 8: require_parse_error_on_failure(d::parse_get_shard_iterator(parser, body)); break;
        case 9: require_parse_error_on_failure(d::parse_update_shard_count(parser, body)); break;
        case 10: require_parse_error_on_failure(d::parse_describe_limits(parser, body)); break;
        case 11: require_parse_error_on_failure(d::parse_list_tags_for_stream(parser, body)); break;
        case 12: require_parse_error_on_failure(d::parse_register_stream_consumer(parser, body)); break;
        case 13: require_parse_error_on_failure(d::parse_describe_stream_consumer(parser, body)); break;
        case 14: require_parse_error_on_failure(d::parse_list_stream_consumers(parser, body)); break;
        default: {
            // Two readers on one parser in a row, as a client does between calls.
            (void)d::parse_list_shards(parser, body);
            require_parse_error_on_failure(d::parse_get_records(parser, body));
            break;
        }
    }
    return 0;
}
