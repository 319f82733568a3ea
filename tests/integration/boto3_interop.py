#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""boto3 side of the interoperability tests (run by interop_test.cpp).

  boto3_interop.py ENDPOINT STREAM read
      Reads every shard of STREAM from TRIM_HORIZON and prints one line per
      record: SEQUENCE SHARD_ID HEX(partition key UTF-8) HEX(data).
  boto3_interop.py ENDPOINT STREAM write FILE
  boto3_interop.py ENDPOINT STREAM write-batch FILE
      Writes the records in FILE (lines HEX(partition key) HEX(data)) with
      PutRecord each, or with one PutRecords call, and prints the same line
      per record as `read`, with what the server answered.

Hex is lower case; an empty data field is written as "-". Region and
credentials come from the AWS_* environment (with-endpoints writes them);
the endpoint is passed explicitly. Exit status 0 only if every call succeeded.
"""
import os
import sys

import boto3
from botocore.config import Config


def client(endpoint):
    return boto3.client(
        "kinesis",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
        config=Config(retries={"max_attempts": 3, "mode": "standard"}),
    )


def hex_or_dash(data):
    return data.hex() if data else "-"


def from_hex(text):
    return b"" if text == "-" else bytes.fromhex(text)


def line(sequence, shard, key, data):
    return f"{sequence} {shard} {key.encode('utf-8').hex()} {hex_or_dash(data)}"


def list_shards(kinesis, stream):
    shards = []
    response = kinesis.list_shards(StreamName=stream)
    shards.extend(response["Shards"])
    while response.get("NextToken"):
        response = kinesis.list_shards(NextToken=response["NextToken"])
        shards.extend(response["Shards"])
    return shards


def read(kinesis, stream):
    for shard in list_shards(kinesis, stream):
        shard_id = shard["ShardId"]
        iterator = kinesis.get_shard_iterator(
            StreamName=stream, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            response = kinesis.get_records(ShardIterator=iterator, Limit=10000)
            for record in response["Records"]:
                print(line(record["SequenceNumber"], shard_id, record["PartitionKey"], record["Data"]))
            # Both servers hand back everything written in one pass; an empty
            # page means this shard has nothing more.
            if not response["Records"]:
                break
            iterator = response.get("NextShardIterator")


def read_input(path):
    entries = []
    with open(path, encoding="ascii") as f:
        for text in f:
            text = text.strip()
            if not text:
                continue
            key_hex, data_hex = text.split(" ")
            entries.append((bytes.fromhex(key_hex).decode("utf-8"), from_hex(data_hex)))
    return entries


def write(kinesis, stream, path):
    for key, data in read_input(path):
        response = kinesis.put_record(StreamName=stream, Data=data, PartitionKey=key)
        print(line(response["SequenceNumber"], response["ShardId"], key, data))


def write_batch(kinesis, stream, path):
    entries = read_input(path)
    response = kinesis.put_records(
        StreamName=stream, Records=[{"Data": data, "PartitionKey": key} for key, data in entries]
    )
    if response.get("FailedRecordCount", 0):
        sys.exit(f"boto3_interop: {response['FailedRecordCount']} records failed: {response['Records']}")
    for (key, data), result in zip(entries, response["Records"]):
        print(line(result["SequenceNumber"], result["ShardId"], key, data))


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    endpoint, stream, mode = argv[1], argv[2], argv[3]
    kinesis = client(endpoint)
    if mode == "read":
        read(kinesis, stream)
    elif mode == "write" and len(argv) == 5:
        write(kinesis, stream, argv[4])
    elif mode == "write-batch" and len(argv) == 5:
        write_batch(kinesis, stream, argv[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
