// SPDX-License-Identifier: Apache-2.0
// The streams module: Kinesis Data Streams: the typed client and model, Stream, ShardMap, ShardReader
// and the KPL aggregated record.
#ifndef KINESIS_STREAMS_HPP
#define KINESIS_STREAMS_HPP

#include <kinesis/streams/model.hpp>
#include <kinesis/streams/aggregation.hpp>
#include <kinesis/streams/kinesis_client.hpp>
#include <kinesis/streams/shard_map.hpp>
#include <kinesis/streams/shard_reader.hpp>
#include <kinesis/streams/stream.hpp>

#endif  // KINESIS_STREAMS_HPP
