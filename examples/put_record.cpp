// SPDX-License-Identifier: Apache-2.0
// put-record: the JavaScript SDK guide's addRecordToKinesis (W8): one PutRecord,
// the response logged and returned, or the error logged and nothing returned.
// Needs only the kinesis:PutRecord permission.
#include <kinesis/core/config.hpp>
#include <kinesis/core/error.hpp>
#include <kinesis/streams/kinesis_client.hpp>

#include "common/flags.hpp"
#include "common/main.hpp"
#include "common/output.hpp"

#include <fmt/core.h>

#include <optional>
#include <string>
#include <string_view>

namespace {

constexpr std::string_view program = "put-record";

std::string usage() {
    return "usage: put-record [options]\n"
           "Puts one record and logs the ShardId, SequenceNumber and EncryptionType.\n"
           "  --stream NAME           (default: emi-kinesis-stream)\n"
           "  --data TEXT             (default: Hello, Emi)\n"
           "  --partition-key KEY     (default: PartitionKey1)\n" +
           examples::client_flags_usage("us-east-1");
}

}  // namespace

/// Puts `data` on `stream_name`; logs and returns the response, or logs the
/// error message and returns nothing. Records with the same partition key go
/// to the same shard; put_records is the batch form.
std::optional<kinesis::PutRecordResult> add_record_to_kinesis(kinesis::KinesisClient& client,
                                                              std::string_view stream_name, std::string_view data,
                                                              std::string_view partition_key) {
    kinesis::PutRecordRequest request;
    request.stream = stream_name;
    request.data = data;
    request.partition_key = std::string(partition_key);
    auto response = client.put_record(request);
    if (!response) {
        fmt::print(stderr, "Error adding record to Kinesis: {}\n", examples::one_line(response.error()));
        return std::nullopt;
    }
    // The service leaves EncryptionType out on some endpoints; NONE is what it means.
    fmt::print("Record added successfully: ShardId {}, SequenceNumber {}, EncryptionType {}\n", response->shard_id,
               response->sequence_number,
               kinesis::to_string(response->encryption_type.value_or(kinesis::EncryptionType::None)));
    return std::move(*response);
}

int main(int argc, char** argv) {
    std::string stream;
    std::string data;
    std::string partition_key;
    return examples::run_main(
        argc, argv, {program, usage(), "us-east-1"},
        [&](examples::Flags& flags) {
            stream = flags.get("stream", "emi-kinesis-stream");
            data = flags.get("data", "Hello, Emi");
            partition_key = flags.get("partition-key", "PartitionKey1");
        },
        [&](const kinesis::ClientConfig& config) {
            kinesis::KinesisClient client(config);
            return add_record_to_kinesis(client, stream, data, partition_key) ? 0 : 1;
        });
}
