# SPDX-License-Identifier: Apache-2.0
"""Checks for etl_check.sh, with boto3 against the same signature-verifying
moto the ETL binaries used (endpoint and keys from the environment).

  etl_check.py present PREFIX          the infrastructure etl-setup --create-role makes, exactly
  etl_check.py absent PREFIX           none of it is left (source stream included)
  etl_check.py put-object BUCKET KEY   one object, so teardown has something to empty
  etl_check.py verify PREFIX PRODUCER_OUT CONSUMER_OUT START END
                                       every valid produced record on its destination
                                       stream exactly once with the four attributes right
  etl_check.py cli-output PREFIX CONSUMER_FROM_CLI_OUT
                                       consumer-from-cli printed the USA stream's records
"""
import datetime
import json
import os
import re
import sys

import boto3
from botocore.config import Config

REGION = "us-east-1"


def client(service):
    return boto3.client(
        service,
        region_name=REGION,
        endpoint_url=os.environ["AWS_ENDPOINT_URL"],
        aws_access_key_id=os.environ["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 2}),
    )


def account():
    return client("sts").get_caller_identity()["Account"]


def names(prefix):
    acct = account()
    return {
        "account": acct,
        "buckets": {"usa": f"{prefix}-{acct}-usa", "int": f"{prefix}-{acct}-int"},
        "streams": {"usa": f"{prefix}-usa-data-stream", "int": f"{prefix}-international-data-stream"},
        "source": f"{prefix}-kinesis-data-stream",
        "role": f"{prefix}-firehose-role",
        "policy": f"{prefix}-firehose-policy",
        "delivery": {"usa": f"{prefix}-firehose-usa", "int": f"{prefix}-firehose-international"},
        "log_group": {"usa": f"{prefix}-firehose-usa-log-group", "int": f"{prefix}-firehose-international-log-group"},
        "log_stream": {"usa": f"{prefix}-usa-firehose-log-stream", "int": f"{prefix}-international-firehose-log-stream"},
    }


def all_stream_names(kinesis):
    out, kwargs = [], {}
    while True:
        page = kinesis.list_streams(**kwargs)
        out += page["StreamNames"]
        if not page.get("HasMoreStreams") or not page.get("NextToken"):
            return out
        kwargs = {"NextToken": page["NextToken"]}


def check_present(prefix):
    n = names(prefix)
    acct = n["account"]
    s3 = client("s3")
    buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
    for b in n["buckets"].values():
        assert b in buckets, (b, sorted(buckets))
    kinesis = client("kinesis")
    for s in n["streams"].values():
        d = kinesis.describe_stream(StreamName=s)["StreamDescription"]
        assert d["StreamStatus"] == "ACTIVE", d
        assert len(d["Shards"]) == 2, d["Shards"]
    iam = client("iam")
    role = iam.get_role(RoleName=n["role"])["Role"]
    trust = role["AssumeRolePolicyDocument"]
    if isinstance(trust, str):
        trust = json.loads(trust)
    stmt = trust["Statement"][0]
    assert stmt["Principal"] == {"Service": "firehose.amazonaws.com"} and stmt["Action"] == "sts:AssumeRole", trust
    assert iam.list_role_policies(RoleName=n["role"])["PolicyNames"] == [n["policy"]]
    doc = iam.get_role_policy(RoleName=n["role"], PolicyName=n["policy"])["PolicyDocument"]
    if isinstance(doc, str):
        doc = json.loads(doc)
    text = json.dumps(doc)
    for s in n["streams"].values():
        assert f"arn:aws:kinesis:{REGION}:{acct}:stream/{s}" in text, text
    for b in n["buckets"].values():
        assert f'"arn:aws:s3:::{b}"' in text and f'"arn:aws:s3:::{b}/*"' in text, text
    for action in ["kinesis:GetRecords", "kinesis:GetShardIterator", "kinesis:DescribeStream", "s3:PutObject"]:
        assert action in text, (action, text)

    firehose = client("firehose")
    role_arn = f"arn:aws:iam::{acct}:role/{n['role']}"
    for k in ["usa", "int"]:
        d = firehose.describe_delivery_stream(DeliveryStreamName=n["delivery"][k])["DeliveryStreamDescription"]
        assert d["DeliveryStreamStatus"] == "ACTIVE", d
        assert d["DeliveryStreamType"] == "KinesisStreamAsSource", d
        assert d["DeliveryStreamARN"] == f"arn:aws:firehose:{REGION}:{acct}:deliverystream/{n['delivery'][k]}", d
        src = d["Source"]["KinesisStreamSourceDescription"]
        assert src["KinesisStreamARN"] == f"arn:aws:kinesis:{REGION}:{acct}:stream/{n['streams'][k]}", src
        assert src["RoleARN"] == role_arn, src
        assert len(d["Destinations"]) == 1, d["Destinations"]
        dest = d["Destinations"][0]["S3DestinationDescription"]
        want = {
            "RoleARN": role_arn,
            "BucketARN": f"arn:aws:s3:::{n['buckets'][k]}",
            "Prefix": "firehose/",
            "ErrorOutputPrefix": "errors/",
            "BufferingHints": {"SizeInMBs": 1, "IntervalInSeconds": 60},
            "CompressionFormat": "UNCOMPRESSED",
            "EncryptionConfiguration": {"NoEncryptionConfig": "NoEncryption"},
            "CloudWatchLoggingOptions": {
                "Enabled": True,
                "LogGroupName": n["log_group"][k],
                "LogStreamName": n["log_stream"][k],
            },
        }
        assert dest == want, (dest, want)
    print(f"present: 2 buckets, 2 streams x 2 shards, role + policy, 2 delivery streams ({prefix})")


def check_absent(prefix):
    n = names(prefix)
    buckets = {b["Name"] for b in client("s3").list_buckets()["Buckets"]}
    assert not set(n["buckets"].values()) & buckets, buckets
    streams = set(all_stream_names(client("kinesis")))
    assert not (set(n["streams"].values()) | {n["source"]}) & streams, streams
    delivery = set(client("firehose").list_delivery_streams(Limit=10000)["DeliveryStreamNames"])
    assert not set(n["delivery"].values()) & delivery, delivery
    iam = client("iam")
    try:
        iam.get_role(RoleName=n["role"])
        raise AssertionError("role still there")
    except iam.exceptions.NoSuchEntityException:
        pass
    print(f"absent: nothing of {prefix} is left")


def read_stream(kinesis, stream):
    """Every record of every shard, from TRIM_HORIZON."""
    records = []
    for shard in kinesis.list_shards(StreamName=stream)["Shards"]:
        it = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard["ShardId"],
                                        ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        while it:
            page = kinesis.get_records(ShardIterator=it, Limit=10000)
            records += page["Records"]
            if not page["Records"]:
                break
            it = page.get("NextShardIterator")
    return records


LINE = re.compile(r"(Invalid record|Record) sent to shard (\S+) with sequence number (\d+) "
                  r"\(partition key (\S+)\): (.*)")
ATTRIBUTES = ["processing_timestamp", "distinct_products", "total_quantity", "in_cart_quantity"]


def produced(path):
    valid, invalid = {}, {}
    for line in open(path, encoding="utf-8").read().splitlines():
        m = LINE.fullmatch(line)
        assert m, line
        kind, _, _, key, data = m.groups()
        if kind == "Record":
            record = json.loads(data)
            assert record["session_id"] == key, line
            assert key not in valid, f"session {key} twice: the generator's ids must be unique"
            valid[key] = record
        else:
            try:
                json.loads(data)
                raise AssertionError(f"an 'invalid' record is JSON: {data}")
            except ValueError:
                pass
            invalid[key] = data
    return valid, invalid


def expected_attributes(record):
    history = record.get("browse_history", [])
    return {
        "distinct_products": len({h["product_code"] for h in history}),
        "total_quantity": sum(h["quantity"] for h in history),
        "in_cart_quantity": sum(h["quantity"] for h in history if h["in_shopping_cart"]),
    }


def verify(prefix, producer_out, consumer_out, start, end):
    n = names(prefix)
    valid, invalid = produced(producer_out)
    start = datetime.datetime.fromisoformat(start.replace("Z", "+00:00"))
    end = datetime.datetime.fromisoformat(end.replace("Z", "+00:00"))
    kinesis = client("kinesis")
    seen = {}
    by_stream = {}
    for k in ["usa", "int"]:
        records = read_stream(kinesis, n["streams"][k])
        by_stream[k] = len(records)
        for r in records:
            out = json.loads(r["Data"])
            key = r["PartitionKey"]
            assert key not in invalid, f"invalid record {key} reached {n['streams'][k]}"
            assert key in valid, f"unknown record {key} on {n['streams'][k]}"
            assert key not in seen, f"record {key} delivered twice ({seen.get(key)} and {k})"
            seen[key] = k
            original = valid[key]
            want_stream = "usa" if original["country"] == "USA" else "int"
            assert k == want_stream, f"{key} ({original['country']}) on the {k} stream"
            assert {f: v for f, v in out.items() if f not in ATTRIBUTES} == original, (out, original)
            assert list(out)[:len(original)] == list(original), "original members first, in order"
            want = expected_attributes(original)
            got = {f: out[f] for f in want}
            assert got == want, (key, got, want, original["browse_history"])
            ts = out["processing_timestamp"]
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", ts), ts
            t = datetime.datetime.fromisoformat(ts.replace("Z", "+00:00"))
            assert start - datetime.timedelta(seconds=1) <= t <= end + datetime.timedelta(seconds=1), (ts, start, end)
    missing = set(valid) - set(seen)
    assert not missing, f"{len(missing)} valid records on neither stream: {sorted(missing)[:5]}"
    usa = sum(1 for r in valid.values() if r["country"] == "USA")
    counts = open(consumer_out, encoding="utf-8").read()
    want_counts = [
        f"Records read: {len(valid) + len(invalid)}",
        f"Routed to International ({n['streams']['int']}): {len(valid) - usa} ({len(valid) - usa} put, 0 failed)",
        f"Routed to USA ({n['streams']['usa']}): {usa} ({usa} put, 0 failed)",
        f"Invalid (on no stream): {len(invalid)}",
    ]
    assert counts.splitlines() == want_counts, (counts, want_counts)
    assert usa > 0 and len(valid) - usa > 0 and invalid, "the run must exercise both routes and invalid records"
    print(f"verify: {len(valid)} valid records each once on the right stream (USA {by_stream['usa']}, "
          f"International {by_stream['int']}) with correct attributes; {len(invalid)} invalid on neither")


def cli_output(prefix, path):
    n = names(prefix)
    usa = {r["PartitionKey"] for r in read_stream(client("kinesis"), n["streams"]["usa"])}
    lines = open(path, encoding="utf-8").read().splitlines()
    keys = []
    for line in lines:
        m = re.fullmatch(r"(shardId-\d+) (\d+) (\S+): (.*)", line)
        assert m, line
        record = json.loads(m.group(4))
        assert record["country"] == "USA" and record["session_id"] == m.group(3), line
        assert all(a in record for a in ATTRIBUTES), line
        keys.append(m.group(3))
    assert sorted(keys) == sorted(usa), (len(keys), len(usa))
    print(f"consumer-from-cli: printed the {len(keys)} transformed records of {n['streams']['usa']}")


def main(argv):
    cmd = argv[1]
    if cmd == "present":
        check_present(argv[2])
    elif cmd == "absent":
        check_absent(argv[2])
    elif cmd == "put-object":
        client("s3").put_object(Bucket=argv[2], Key=argv[3], Body=b"left by etl_check")
    elif cmd == "verify":
        verify(*argv[2:7])
    elif cmd == "cli-output":
        cli_output(argv[2], argv[3])
    else:
        raise SystemExit(f"etl_check.py: unknown command {cmd}")


if __name__ == "__main__":
    main(sys.argv)
