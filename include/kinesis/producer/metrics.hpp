// SPDX-License-Identifier: Apache-2.0
// A Producer's counters, gauges and distributions, named after the KPL's metrics.
#ifndef KINESIS_PRODUCER_METRICS_HPP
#define KINESIS_PRODUCER_METRICS_HPP

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

namespace kinesis {

/// Count, sum, smallest and largest of what was observed.
struct Distribution {
    std::uint64_t count = 0;
    double sum = 0;
    double min = 0;
    double max = 0;
    [[nodiscard]] double mean() const noexcept { return count ? sum / static_cast<double>(count) : 0.0; }
    void add(double value) noexcept {
        if (count == 0 || value < min) min = value;
        if (count == 0 || value > max) max = value;
        ++count;
        sum += value;
    }
};

/// A snapshot, taken by Producer::metrics() at any time from any thread.
/// Counters count since the producer was made.
struct ProducerMetrics {
    std::uint64_t user_records_received = 0;  ///< UserRecordsReceived: put() calls accepted
    std::uint64_t user_records_pending = 0;   ///< UserRecordsPending: accepted, not yet resolved
    std::uint64_t user_records_put = 0;       ///< UserRecordsPut: resolved as written
    std::uint64_t user_records_data_put = 0;  ///< UserRecordsDataPut: their data bytes
    std::uint64_t user_records_failed = 0;    ///< resolved as failed
    std::uint64_t kinesis_records_put = 0;    ///< KinesisRecordsPut: entries written
    std::uint64_t kinesis_records_data_put = 0;  ///< KinesisRecordsDataPut: their bytes
    std::uint64_t put_records_calls = 0;      ///< PutRecords calls answered (or failed)
    std::uint64_t retries = 0;                ///< user records sent again
    std::uint64_t all_errors = 0;             ///< AllErrors: failed entries and failed calls
    std::map<std::string, std::uint64_t> errors_by_code;           ///< ErrorsByCode
    std::map<std::string, std::uint64_t> throttles_by_shard;       ///< throttled entries per shard id
    std::uint64_t shard_map_refreshes = 0;    ///< ListShards rounds completed
    std::uint64_t outstanding_bytes = 0;      ///< memory charged to records not yet resolved
    std::chrono::milliseconds oldest_record_age{0};  ///< of the records not yet resolved
    Distribution retries_per_record;          ///< RetriesPerRecord, per resolved record
    Distribution buffering_time_ms;           ///< BufferingTime: put() to first send
    Distribution request_time_ms;             ///< RequestTime: one PutRecords call
    Distribution user_records_per_kinesis_record;       ///< UserRecordsPerKinesisRecord
    Distribution kinesis_records_per_put_records;       ///< KinesisRecordsPerPutRecordsRequest
    Distribution user_records_per_put_records;          ///< UserRecordsPerPutRecordsRequest
};

}  // namespace kinesis

#endif  // KINESIS_PRODUCER_METRICS_HPP
