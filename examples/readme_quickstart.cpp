// SPDX-License-Identifier: Apache-2.0
// readme-quickstart: the README's first example, verbatim from the #include on (a unit test compares them).
#include <kinesis/kinesis.hpp>

#include <fmt/core.h>

int main() {
    kinesis::ClientConfig config;  // empty: region, endpoint and keys from AWS_REGION, AWS_ENDPOINT_URL, ...
    kinesis::Stream stream(config, "quickstart");
    if (auto ready = stream.ensure(); !ready) {  // creates the stream if needed, waits until ACTIVE
        fmt::print(stderr, "ensure failed: {}\n", ready.error());
        return 1;
    }
    auto put = stream.put_record(R"({"hello": "kinesis"})", "partitionkey");
    if (!put) {
        fmt::print(stderr, "put_record failed: {}\n", put.error());
        return 1;
    }
    fmt::print("{} {}\n", put->shard_id, put->sequence_number);
}
