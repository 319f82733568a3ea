#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Writes the Lua module kinesis_sink.lua reads: N shards splitting the hash key
# space as CreateStream does (shard i starts at floor(2^128 * i / N) and ends
# one below the next start), and the canned ListShards and DescribeStreamSummary
# answers for a stream of those shards.
#   write_shards.py SHARDS STREAM_NAME OUT.lua
import json
import sys


def lua_string(data: bytes) -> str:
    return '"' + "".join("\\%d" % b for b in data) + '"'


def main() -> None:
    count, name, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    starts = [(2**128 * i) // count for i in range(count)]
    ends = [s - 1 for s in starts[1:]] + [2**128 - 1]
    ids = ["shardId-%012d" % i for i in range(count)]
    arn = "arn:aws:kinesis:us-east-1:123456789012:stream/" + name
    list_shards = {
        "Shards": [
            {
                "ShardId": ids[i],
                "HashKeyRange": {"StartingHashKey": str(starts[i]), "EndingHashKey": str(ends[i])},
                "SequenceNumberRange": {"StartingSequenceNumber": "4959033827149025660855969253836157109592157598913%07d" % i},
            }
            for i in range(count)
        ]
    }
    summary = {
        "StreamDescriptionSummary": {
            "StreamName": name,
            "StreamARN": arn,
            "StreamStatus": "ACTIVE",
            "StreamModeDetails": {"StreamMode": "PROVISIONED"},
            "RetentionPeriodHours": 24,
            "StreamCreationTimestamp": 1767225600.0,
            "EnhancedMonitoring": [{"ShardLevelMetrics": []}],
            "EncryptionType": "NONE",
            "OpenShardCount": count,
            "ConsumerCount": 0,
        }
    }
    with open(out, "w") as f:
        f.write("-- Written by scripts/nginx/write_shards.py for kinesis_sink.lua.\nreturn {\n")
        f.write("  ids = {%s},\n" % ", ".join('"%s"' % i for i in ids))
        f.write("  starts_decimal = {%s},\n" % ", ".join('"%d"' % s for s in starts))
        f.write("  starts_bin = {%s},\n" % ", ".join(lua_string(s.to_bytes(16, "big")) for s in starts))
        f.write("  list_shards = %s,\n" % lua_string(json.dumps(list_shards, separators=(",", ":")).encode()))
        f.write("  describe_stream_summary = %s,\n" % lua_string(json.dumps(summary, separators=(",", ":")).encode()))
        f.write("}\n")


if __name__ == "__main__":
    main()
