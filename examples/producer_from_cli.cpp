// SPDX-License-Identifier: Apache-2.0
// producer-from-cli: the ingestion lab's producer (W10): parse a JSON record from
// the command line and put it with its session_id as the partition key.
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"

#include <fmt/core.h>
#include <simdjson.h>

#include <string>
#include <string_view>

namespace {

constexpr std::string_view program = "producer-from-cli";

constexpr std::string_view sample_record =
    R"({"session_id": "a1", "customer_number": 100, "city": "Washington", "country": "USA", )"
    R"("credit_limit": 1000, "browse_history": [{"product_code": "Product1", "quantity": 2, )"
    R"("in_shopping_cart": true}, {"product_code": "Product2", "quantity": 1, "in_shopping_cart": false}]})";

std::string usage() {
    return fmt::format(
               "usage: producer-from-cli [options]\n"
               "Puts one JSON record, with its session_id as the partition key.\n"
               "  --stream NAME           (default: de-c2w2lab1-kinesis-data-stream-cli)\n"
               "  --json_string JSON      (default: {})\n",
               sample_record) +
           examples::client_flags_usage("us-east-1");
}

// The record's session_id (a string, or a number's JSON text), or why not.
kinesis::Result<std::string> session_id_of(std::string_view json) {
    simdjson::dom::parser parser;
    simdjson::dom::element document;
    if (auto error = parser.parse(json.data(), json.size()).get(document)) {
        return kinesis::invalid_argument(fmt::format("--json_string is not valid JSON: {}", simdjson::error_message(error)));
    }
    simdjson::dom::element session;
    if (document.at_key("session_id").get(session) != simdjson::SUCCESS) {
        return kinesis::invalid_argument("--json_string has no session_id member (the partition key)");
    }
    if (session.is_string()) return std::string(session.get_string().value_unsafe());
    if (session.is_number()) return simdjson::minify(session);
    return kinesis::invalid_argument("--json_string: session_id must be a string or a number");
}

}  // namespace

int main(int argc, char** argv) {
    std::string stream;
    std::string json;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1"},
        [&](examples::Flags& flags) {
            stream = flags.get("stream", "de-c2w2lab1-kinesis-data-stream-cli");
            json = flags.get("json_string", sample_record);
        },
        [&](const kinesis::ClientConfig& config) {
            auto session_id = session_id_of(json);
            if (!session_id) return examples::fail(program, session_id.error());
            kinesis::KinesisClient client(config);
            kinesis::PutRecordRequest request;
            request.stream = stream;
            request.data = json;  // the record as given: its bytes are what consumers read
            request.partition_key = *session_id;
            auto response = client.put_record(request);
            if (!response) {
                fmt::print(stderr, "{}: error putting the record on {}: {}\n", program, stream,
                           examples::one_line(response.error()));
                return 1;
            }
            fmt::print("Record sent to shard {} with sequence number {} (partition key {})\n", response->shard_id,
                       response->sequence_number, *session_id);
            return 0;
        });
}
