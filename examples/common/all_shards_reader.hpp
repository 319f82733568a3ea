// SPDX-License-Identifier: Apache-2.0
// Every shard of a stream read round-robin, closed shards followed to their children: the consumers' loop.
#ifndef KINESIS_EXAMPLES_COMMON_ALL_SHARDS_READER_HPP
#define KINESIS_EXAMPLES_COMMON_ALL_SHARDS_READER_HPP

#include "output.hpp"
#include "stop_signal.hpp"

#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/streams/shard_reader.hpp>

#include <fmt/core.h>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace examples {

/// One kinesis::ShardReader per shard, polled round-robin. A shard read to
/// its end gives way to its children, from TRIM_HORIZON; a shard id is
/// started once, whether the caller listed it at the start or one or both
/// merged parents name it as a child. The caller lists the first shards
/// (ListShards or DescribeStream, as its permissions allow). Not thread-safe.
class AllShardsReader {
public:
    AllShardsReader(kinesis::KinesisClient& client, kinesis::StreamRef stream, kinesis::ShardReaderOptions options,
                    std::string_view program)
        : client_(client), stream_(std::move(stream)), options_(std::move(options)), program_(program) {}

    /// Starts reading `shard_id` from `start`, unless it was started before.
    void start(const std::string& shard_id, const kinesis::StartingPosition& start) {
        if (started_.insert(shard_id).second) readers_.emplace_back(client_, stream_, shard_id, start, options_);
    }
    /// Counts `shard_id` as started without reading it, so a parent's end does not start it either.
    void skip(const std::string& shard_id) { started_.insert(shard_id); }

    /// The shards being read now.
    [[nodiscard]] std::size_t size() const noexcept { return readers_.size(); }
    [[nodiscard]] bool empty() const noexcept { return readers_.empty(); }
    /// How long since the last batch with records was handed out (or since construction).
    [[nodiscard]] std::chrono::steady_clock::duration idle_for() const {
        return std::chrono::steady_clock::now() - last_record_at_;
    }

    /// One round: next() on every reader in turn until a stop signal.
    /// `on_batch(shard_id, batch)` gets each batch and returns whether to go
    /// on; false ends the round at once (the shard's end, if reached, is not
    /// followed) and poll() returns false. A failed call is logged on stderr
    /// and tried again by the reader from the same position on the next round.
    template <typename OnBatch>
    bool poll(OnBatch&& on_batch) {
        for (std::size_t i = 0; i < readers_.size() && !stop_requested(); ++i) {
            auto batch = readers_[i].next();
            if (!batch && batch.error().kind == kinesis::ErrorKind::Stopped) break;  // the caller reports the stop
            if (!batch) {
                fmt::print(stderr, "{}: {}: {}\n", program_, readers_[i].shard_id(), one_line(batch.error()));
                continue;
            }
            const bool go_on = std::invoke(on_batch, readers_[i].shard_id(), std::as_const(*batch));
            if (!batch->records.empty()) last_record_at_ = std::chrono::steady_clock::now();
            if (!go_on) return false;
            if (!batch->shard_end) continue;
            fmt::print(stderr, "{}: {} is closed and read to its end\n", program_, readers_[i].shard_id());
            readers_.erase(readers_.begin() + static_cast<std::ptrdiff_t>(i));
            --i;
            for (const auto& child : batch->child_shards) {
                start(child.shard_id, kinesis::StartingPosition::trim_horizon());
            }
        }
        return true;
    }

private:
    kinesis::KinesisClient& client_;
    kinesis::StreamRef stream_;
    kinesis::ShardReaderOptions options_;
    std::string_view program_;
    std::vector<kinesis::ShardReader> readers_;
    std::set<std::string> started_;
    std::chrono::steady_clock::time_point last_record_at_ = std::chrono::steady_clock::now();
};

}  // namespace examples

#endif  // KINESIS_EXAMPLES_COMMON_ALL_SHARDS_READER_HPP
