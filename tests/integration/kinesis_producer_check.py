#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Read-back for examples_check.sh's kinesis_producer check, through boto3
(never through the code under test), with the KPL aggregated record taken
apart here by hand. Endpoint, region and keys from AWS_ENDPOINT_URL, AWS_REGION and the standard key variables.

  kinesis_producer_check.py STREAM SENT KEYS AGGREGATION
    SENT         a file with the records sent, one per line
    KEYS         random | line | json:FIELD: what each user record's partition key must be
    AGGREGATION  yes: at least one Kinesis record is an aggregate (and every one is
                 valid); no: none is
  The stream must hold exactly the records of SENT, each once, each user record
  on the shard its partition key maps to (a KCL reader drops the others).
  Prints what it found.
"""

import collections
import hashlib
import json
import os
import re
import sys

import boto3
import botocore.config

MAGIC = b"\xf3\x89\x9a\xc2"


def varint(buf, pos):
    result = shift = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if b < 0x80:
            return result, pos
        shift += 7


def fields(buf):
    """(field number, value) of a protobuf message: ints for varints, bytes for length-delimited."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 2:
            n, pos = varint(buf, pos)
            value, pos = buf[pos:pos + n], pos + n
            assert len(value) == n, "truncated protobuf"
        else:
            raise AssertionError(f"unexpected wire type {wire}")
        yield number, value


def deaggregate(record):
    """[(partition key, data)] of a Kinesis record, and whether it was an aggregate."""
    data = record["Data"]
    if not (len(data) >= 20 and data.startswith(MAGIC)):
        return [(record["PartitionKey"], data)], False
    body, digest = data[4:-16], data[-16:]
    assert hashlib.md5(body).digest() == digest, "an aggregate with a bad MD5"
    keys, records = [], []
    for number, value in fields(body):
        if number == 1:
            keys.append(value.decode("utf-8"))
        elif number == 3:
            inner = dict(fields(value))
            records.append((inner[1], inner.get(3, b"")))
    assert records, "an aggregate of no records"
    return [(keys[index], payload) for index, payload in records], True


def shard_of(shards, key):
    h = int.from_bytes(hashlib.md5(key.encode("utf-8")).digest(), "big")
    for s in shards:
        r = s["HashKeyRange"]
        if int(r["StartingHashKey"]) <= h <= int(r["EndingHashKey"]) and "EndingSequenceNumber" not in s.get(
                "SequenceNumberRange", {}):
            return s["ShardId"]
    raise AssertionError(f"no open shard for key {key}")


def main(stream, sent_path, keys, aggregation):
    kinesis = boto3.client("kinesis", region_name=os.environ["AWS_REGION"], endpoint_url=os.environ["AWS_ENDPOINT_URL"],
                           config=botocore.config.Config(retries={"max_attempts": 5, "mode": "standard"}))
    shards = kinesis.list_shards(StreamName=stream)["Shards"]
    got = collections.Counter()
    kinesis_records = aggregates = 0
    for shard in shards:
        it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        empty = 0
        while it and empty < 2:
            page = kinesis.get_records(ShardIterator=it, Limit=10000)
            empty = 0 if page["Records"] else empty + 1
            for record in page["Records"]:
                kinesis_records += 1
                users, aggregated = deaggregate(record)
                aggregates += aggregated
                for key, data in users:
                    assert shard_of(shards, key) == shard["ShardId"], \
                        f"key {key} on {shard['ShardId']}, its hash is elsewhere"
                    got[(key, data)] += 1
            it = page.get("NextShardIterator")

    want = collections.Counter()
    for line in open(sent_path, "rb").read().split(b"\n"):
        if line.endswith(b"\r"):
            line = line[:-1]
        if not line:
            continue
        if keys == "line":
            key = line.decode("utf-8")
        elif keys.startswith("json:"):
            try:
                document = json.loads(line)
            except ValueError:
                continue  # not put: the producer counts it as failed
            value = document.get(keys[5:]) if isinstance(document, dict) else None
            if not isinstance(value, str):
                continue
            key = value
        else:
            key = None
        want[(key, line)] += 1

    if keys == "random":
        for key, _ in got:
            assert re.fullmatch(r"[0-9a-f]{32}", key), f"not a random key: {key}"
        got = collections.Counter({(None, data): n for (key, data), n in got.items()})
    missing = want - got
    extra = got - want
    assert not missing, f"{sum(missing.values())} records sent are not in the stream, e.g. {list(missing)[:3]}"
    assert not extra, f"{sum(extra.values())} records in the stream were not sent (or twice), e.g. {list(extra)[:3]}"
    if aggregation == "yes":
        assert aggregates > 0, "no aggregated record in the stream"
    else:
        assert aggregates == 0, f"{aggregates} aggregated records in the stream"
    total = sum(got.values())
    print(f"{stream}: {total} user records in {kinesis_records} Kinesis records ({aggregates} aggregates) "
          f"on {len(shards)} shards, each sent record exactly once on the shard of its key")


if __name__ == "__main__":
    main(*sys.argv[1:])
