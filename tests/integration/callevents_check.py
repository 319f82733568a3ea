#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Setup and read-back for callevents_check.sh, through boto3 (never through the
code under test). Every command takes the endpoint and a key from the
environment: CHECK_ENDPOINT (CHECK_KINESIS_ENDPOINT for Kinesis),
CHECK_KEY_ID, CHECK_SECRET.

  create-bucket BUCKET                      in eu-north-1
  create-user USER KEYFILE [ACTION...]     an IAM user holding only the original
                                            policy (less ACTIONs); writes
                                            "KEY_ID SECRET" to KEYFILE
  expect-denied                             ListStreams, DescribeStreamSummary, ListShards
                                            and CreateBucket are AccessDenied for this key
  put-raw STREAM KEY DATA                   one record with these exact bytes
  split STREAM SHARD                        splits SHARD in the middle of its range
  count-records STREAM                      prints how many records all its shards hold
  check-stream STREAM PRODUCER_OUT EXTRA    the stream holds the producer's records
                                            (same shard, sequence number, key, bytes)
                                            and EXTRA more
  check-objects BUCKET PREFIX PRODUCER_OUT CONSUMER_OUT RAW...
                                            every record is in S3 as the consumer must
                                            have stored it; RAW are the extra records'
                                            exact bytes
"""

import json
import os
import re
import sys

import boto3
import botocore.config
import botocore.exceptions

REGION = "eu-north-1"

# The original instance role's actions (moto matches Kinesis resources only as "*").
ORIGINAL_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": ["kinesis:PutRecord", "kinesis:CreateStream", "kinesis:GetShardIterator",
                   "kinesis:GetRecords", "kinesis:DescribeStream", "s3:PutObject"],
        "Resource": "*",
    }],
}


def client(service, region=REGION):
    return boto3.session.Session().client(
        service,
        endpoint_url=os.environ["CHECK_KINESIS_ENDPOINT"] if service == "kinesis" else os.environ["CHECK_ENDPOINT"],
        region_name=region,
        aws_access_key_id=os.environ["CHECK_KEY_ID"],
        aws_secret_access_key=os.environ["CHECK_SECRET"],
        config=botocore.config.Config(retries={"max_attempts": 2, "mode": "standard"}),
    )


def producer_lines(path):
    """(shard id, sequence number, partition key, event JSON text) per put."""
    puts = []
    for line in open(path, encoding="utf-8").read().splitlines():
        m = re.fullmatch(r"(shardId-\d{12}) (\d+) ([0-9a-f-]{36}) (\{.*\})", line)
        if m:
            puts.append(m.groups())
    return puts


def create_bucket(bucket):
    client("s3").create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": REGION})


def create_user(user, keyfile, *drop):
    iam = client("iam", "us-east-1")
    iam.create_user(UserName=user)
    policy = json.loads(json.dumps(ORIGINAL_POLICY))
    statement = policy["Statement"][0]
    statement["Action"] = [a for a in statement["Action"] if a not in drop]
    iam.put_user_policy(UserName=user, PolicyName="callevents-original-role", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName=user)["AccessKey"]
    with open(keyfile, "w", encoding="utf-8") as f:
        f.write(f"{key['AccessKeyId']} {key['SecretAccessKey']}\n")


def expect_denied():
    kinesis, s3 = client("kinesis"), client("s3")
    calls = {
        "kinesis:ListStreams": lambda: kinesis.list_streams(),
        "kinesis:DescribeStreamSummary": lambda: kinesis.describe_stream_summary(StreamName="any"),
        "kinesis:ListShards": lambda: kinesis.list_shards(StreamName="any"),
        "s3:CreateBucket": lambda: s3.create_bucket(
            Bucket="callevents-denied", CreateBucketConfiguration={"LocationConstraint": REGION}),
    }
    for action, call in calls.items():
        try:
            call()
        except botocore.exceptions.ClientError as error:
            code = error.response["Error"]["Code"]
            # moto answers a denied Kinesis call in XML, which botocore's JSON
            # parser reports as code "403" with the XML as the message.
            if code == "403" and "<Code>AccessDenied</Code>" in error.response["Error"].get("Message", ""):
                code = "AccessDenied"
            assert code in ("AccessDenied", "AccessDeniedException"), f"{action}: {code}: {error}"
            print(f"{action}: {code}")
            continue
        raise AssertionError(f"{action} was allowed: the policy is not enforced")


def put_raw(stream, key, data):
    out = client("kinesis").put_record(StreamName=stream, PartitionKey=key, Data=data.encode())
    print(out["ShardId"], out["SequenceNumber"])


def split(stream, shard_id):
    kinesis = client("kinesis")
    shards = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["Shards"]
    r = [s for s in shards if s["ShardId"] == shard_id][0]["HashKeyRange"]
    middle = (int(r["StartingHashKey"]) + int(r["EndingHashKey"]) + 1) // 2
    kinesis.split_shard(StreamName=stream, ShardToSplit=shard_id, NewStartingHashKey=str(middle))
    kinesis.get_waiter("stream_exists").wait(StreamName=stream, WaiterConfig={"Delay": 1, "MaxAttempts": 60})


def read_stream(stream):
    kinesis = client("kinesis")
    shards = kinesis.describe_stream(StreamName=stream)["StreamDescription"]["Shards"]
    records = {}
    for shard in shards:
        iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while iterator:
            page = kinesis.get_records(ShardIterator=iterator, Limit=1000)
            for r in page["Records"]:
                records[(shard["ShardId"], r["SequenceNumber"])] = r
            if not page["Records"]:
                break
            iterator = page.get("NextShardIterator")
    return shards, records


def count_records(stream):
    print(len(read_stream(stream)[1]))


def check_stream(stream, producer_out, extra):
    shards, records = read_stream(stream)
    assert len(shards) == 4, shards
    puts = producer_lines(producer_out)
    assert len(records) == len(puts) + int(extra), (len(records), len(puts), extra)
    for shard, seq, key, event in puts:
        r = records[(shard, seq)]
        assert r["Data"] == event.encode() and r["PartitionKey"] == key, (shard, seq)
    per_shard = {s["ShardId"]: sum(1 for k in records if k[0] == s["ShardId"]) for s in shards}
    print(f"stream {stream}: {len(records)} records, per shard {per_shard}")


def check_objects(bucket, prefix, producer_out, consumer_out, *raws):
    s3 = client("s3")
    objects = {}
    # No Prefix parameter: signature-verifying moto rejects a signed query
    # holding "/" (its canonical query string encodes it differently), so the
    # bucket is listed whole and filtered here.
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            if not o["Key"].startswith(prefix):
                continue
            objects[o["Key"]] = s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
    puts = producer_lines(producer_out)
    assert len(objects) == len(puts) + len(raws), (len(objects), len(puts), len(raws))

    # The consumer's log: one line per stored record.
    logged = {}
    for line in open(consumer_out, encoding="utf-8").read().splitlines():
        m = re.fullmatch(r"(shardId-\d{12}) (\d+) s3://([^/]+)/(\S+) (.+)", line)
        assert m, line
        assert m.group(3) == bucket, line
        logged[m.group(4)] = m.group(5)
    assert len(logged) == len(objects), (len(logged), len(objects))

    converted = kept = 0
    for shard, seq, _key, event in puts:
        key = f"{prefix}{shard}/{seq}.json"
        body = objects.pop(key)
        original = json.loads(event)
        stored = json.loads(body)
        user_id = original["user"]["user_id"]
        if re.fullmatch(r"-?\d+", user_id):
            expected = dict(original)
            expected["user"] = dict(original["user"], user_id=int(user_id))
            assert stored == expected and type(stored["user"]["user_id"]) is int, (key, body)
            # Only the user_id token changed: every other byte is the producer's.
            token = f'"user_id": "{user_id}"'
            assert body == event.replace(token, f'"user_id": {int(user_id)}', 1).encode(), (key, body)
            assert logged[key] == "user_id converted", (key, logged[key])
            converted += 1
        else:
            assert body == event.encode(), (key, body)
            assert logged[key] == "user_id kept (not a number)", (key, logged[key])
            kept += 1
    # The extra records (not JSON, or no user_id) are stored byte for byte.
    remaining = sorted(objects.items())
    assert sorted(body for _, body in remaining) == sorted(r.encode() for r in raws), remaining
    for key, body in remaining:
        try:
            json.loads(body)
            assert key.endswith(".json") and logged[key] == "kept (no user.user_id)", (key, logged[key])
        except ValueError:
            assert key.endswith(".raw") and logged[key] == "kept (not JSON)", (key, logged[key])
    print(f"s3://{bucket}/{prefix}: {converted + kept + len(raws)} objects: {converted} with user_id "
          f"converted, {kept} with a non-numeric user_id kept, {len(raws)} other records kept byte for byte")


def main():
    command, args = sys.argv[1], sys.argv[2:]
    {
        "create-bucket": create_bucket,
        "create-user": create_user,
        "expect-denied": expect_denied,
        "put-raw": put_raw,
        "split": split,
        "count-records": count_records,
        "check-stream": check_stream,
        "check-objects": check_objects,
    }[command](*args)


if __name__ == "__main__":
    main()
