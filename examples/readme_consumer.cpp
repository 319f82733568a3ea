// SPDX-License-Identifier: Apache-2.0
// The README's Consumer example, verbatim (tests/cmake/readme_quickstart.cmake checks the two agree).
#include <kinesis/consumer.hpp>

#include <fmt/core.h>

#include <memory>

class PrintRecords : public kinesis::RecordProcessor {
public:
    void process_records(kinesis::ProcessRecordsInput& input, kinesis::Checkpointer& checkpointer) override {
        for (const auto& record : input.records) fmt::print("{} {}\n", record.partition_key, record.data);
        if (auto done = checkpointer.checkpoint(); !done) fmt::print(stderr, "{}\n", done.error().to_string());
    }
};

int main() {
    kinesis::ConsumerConfig config;  // KCL defaults: 10 s failover, TRIM_HORIZON for new shards
    auto leases = std::make_shared<kinesis::DynamoDbLeaseStore>(kinesis::DynamoDbClient(), "my-application");
    kinesis::Consumer consumer("events", leases, [] { return std::make_unique<PrintRecords>(); }, config);
    if (auto started = consumer.start(); !started) {  // creates the table if it is missing
        fmt::print(stderr, "{}\n", started.error().to_string());
        return 1;
    }
    consumer.wait_for(std::chrono::minutes(1));
    consumer.shutdown();  // processors checkpoint, then the leases are released
}
