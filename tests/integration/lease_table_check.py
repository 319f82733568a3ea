#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""boto3 side of the lease store tests (run by lease_store_test.cpp).

  lease_table_check.py ENDPOINT TABLE fill
      Writes a lease table as KCL 2.x leaves it (checkpoints, sub-sequence
      numbers, owner switches, parent and child sets, an attribute of a newer
      KCL) plus two KCL 3.x rows that are not leases.
  lease_table_check.py ENDPOINT TABLE untouched
      Checks the two non-lease rows are exactly as `fill` wrote them, and the
      unknown attribute of shardId-000000000001 is still there.
  lease_table_check.py ENDPOINT TABLE ours KEY [OWNER COUNTER]...
      Checks the row KEY field by field: every attribute is one the KCL's
      DynamoDBLeaseSerializer writes, with its DynamoDB type; the five it
      always writes are there; no set is empty; numbers are whole numbers
      where the KCL keeps longs. With OWNER and COUNTER, checks those too
      ("-" for no owner).

Region and credentials come from the AWS_* environment, else test values;
the endpoint is passed explicitly. Exit status 0 only if every check passed;
each failed check is printed on stderr.
"""
import os
import sys

import boto3
from botocore.config import Config

# DynamoDBLeaseSerializer's attributes and the types it writes them with.
KCL_TYPES = {
    "leaseKey": "S",
    "leaseOwner": "S",
    "leaseCounter": "N",
    "checkpoint": "S",
    "checkpointSubSequenceNumber": "N",
    "ownerSwitchesSinceCheckpoint": "N",
    "parentShardId": "SS",
    "childShardIds": "SS",
    "startingHashKey": "S",
    "endingHashKey": "S",
    "pendingCheckpoint": "S",
    "pendingCheckpointSubSequenceNumber": "N",
    "pendingCheckpointState": "B",
    "throughputKBps": "N",
    "checkpointOwner": "S",
    "entityType": "S",
}
ALWAYS = ["leaseKey", "leaseCounter", "checkpoint", "checkpointSubSequenceNumber", "ownerSwitchesSinceCheckpoint"]
LONGS = ["leaseCounter", "checkpointSubSequenceNumber", "ownerSwitchesSinceCheckpoint",
         "pendingCheckpointSubSequenceNumber"]

MAX_HASH = "340282366920938463463374607431768211455"
HALF_HASH = "170141183460469231731687303715884105727"

# KCL 2.x lease rows.
LEASES = [
    {
        "leaseKey": {"S": "shardId-000000000000"},
        "leaseOwner": {"S": "kcl2-worker-a"},
        "leaseCounter": {"N": "17"},
        "checkpoint": {"S": "SHARD_END"},
        "checkpointSubSequenceNumber": {"N": "0"},
        "ownerSwitchesSinceCheckpoint": {"N": "0"},
        "childShardIds": {"SS": ["shardId-000000000002"]},
        "startingHashKey": {"S": "0"},
        "endingHashKey": {"S": MAX_HASH},
    },
    {
        "leaseKey": {"S": "shardId-000000000001"},
        "leaseOwner": {"S": "kcl2-worker-b"},
        "leaseCounter": {"N": "5"},
        "checkpoint": {"S": "49590338271490256608559692538361571095921575989136588898"},
        "checkpointSubSequenceNumber": {"N": "7"},
        "ownerSwitchesSinceCheckpoint": {"N": "2"},
        "startingHashKey": {"S": "0"},
        "endingHashKey": {"S": HALF_HASH},
        "throughputKBps": {"N": "3.5"},
        "someFutureAttribute": {"S": "keep me"},
    },
    {
        "leaseKey": {"S": "shardId-000000000002"},
        "leaseCounter": {"N": "0"},
        "checkpoint": {"S": "TRIM_HORIZON"},
        "checkpointSubSequenceNumber": {"N": "0"},
        "ownerSwitchesSinceCheckpoint": {"N": "0"},
        "parentShardId": {"SS": ["shardId-000000000000"]},
        "startingHashKey": {"S": "0"},
        "endingHashKey": {"S": MAX_HASH},
    },
]

# KCL 3.x rows that are not leases: the client version migration state
# (MigrationState: key "Migration3.0", cv, mb, mts, h) and a worker's metrics.
NOT_LEASES = [
    {
        "leaseKey": {"S": "Migration3.0"},
        "entityType": {"S": "CLIENT_VERSION_MIGRATION"},
        "cv": {"S": "CLIENT_VERSION_3X_WITH_ROLLBACK"},
        "mb": {"S": "kcl3-worker-c"},
        "mts": {"N": "1718000000000"},
        "h": {"L": [{"M": {"cv": {"S": "CLIENT_VERSION_UPGRADE_FROM_2X"}, "mb": {"S": "kcl3-worker-c"},
                           "mts": {"N": "1717990000000"}}}]},
    },
    {
        "leaseKey": {"S": "kcl3-worker-c"},
        "entityType": {"S": "WORKER_METRIC_STATS"},
        "lut": {"N": "1718000000"},
        "sts": {"N": "1718000000"},
        "mtd": {"M": {"CPU": {"L": [{"N": "12.5"}, {"N": "13"}]}}},
        "opr": {"N": "80"},
    },
]

failures = []


def fail(message):
    failures.append(message)
    print("lease_table_check: " + message, file=sys.stderr)


def client(endpoint):
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint,
        region_name=os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or "us-east-1",
        aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", "testing"),
        aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", "testing"),
        config=Config(retries={"max_attempts": 3, "mode": "standard"}),
    )


def get(dynamodb, table, key):
    response = dynamodb.get_item(TableName=table, Key={"leaseKey": {"S": key}}, ConsistentRead=True)
    return response.get("Item")


def normalised(item):
    # Sets come back in any order.
    out = {}
    for name, value in item.items():
        (kind, payload), = value.items()
        out[name] = (kind, sorted(payload)) if kind in ("SS", "NS", "BS") else (kind, payload)
    return out


def fill(dynamodb, table):
    for item in LEASES + NOT_LEASES:
        dynamodb.put_item(TableName=table, Item=item)


def untouched(dynamodb, table):
    for item in NOT_LEASES:
        key = item["leaseKey"]["S"]
        now = get(dynamodb, table, key)
        if now is None:
            fail(f"{key}: the non-lease row is gone")
        elif normalised(now) != normalised(item):
            fail(f"{key}: the non-lease row changed: {now}")
    row = get(dynamodb, table, "shardId-000000000001")
    if row is None or row.get("someFutureAttribute") != {"S": "keep me"}:
        fail(f"shardId-000000000001: someFutureAttribute did not survive: {row}")


def ours(dynamodb, table, key, expect):
    row = get(dynamodb, table, key)
    if row is None:
        fail(f"{key}: no such row")
        return
    for name, value in row.items():
        (kind, payload), = value.items()
        if name == "someFutureAttribute":
            continue  # written by the fill, not by us; `untouched` checks it
        if name not in KCL_TYPES:
            fail(f"{key}: {name} is not an attribute DynamoDBLeaseSerializer writes")
        elif kind != KCL_TYPES[name]:
            fail(f"{key}: {name} is {kind}, the KCL writes {KCL_TYPES[name]}")
        if kind in ("SS", "NS", "BS") and not payload:
            fail(f"{key}: {name} is an empty set")
        if name in LONGS and kind == "N" and not payload.isdigit():
            fail(f"{key}: {name} is {payload}, not a whole number")
    for name in ALWAYS:
        if name not in row:
            fail(f"{key}: {name} is missing")
    if name_value(row, "entityType") not in (None, "LEASE"):
        fail(f"{key}: entityType is {row['entityType']}")
    if expect:
        owner, counter = expect
        got_owner = name_value(row, "leaseOwner")
        if (owner == "-" and got_owner is not None) or (owner != "-" and got_owner != owner):
            fail(f"{key}: leaseOwner is {got_owner}, expected {owner}")
        if name_value(row, "leaseCounter") != counter:
            fail(f"{key}: leaseCounter is {name_value(row, 'leaseCounter')}, expected {counter}")


def name_value(row, name):
    value = row.get(name)
    if value is None:
        return None
    (_, payload), = value.items()
    return payload


def main(argv):
    if len(argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    endpoint, table, mode = argv[1], argv[2], argv[3]
    dynamodb = client(endpoint)
    if mode == "fill":
        fill(dynamodb, table)
    elif mode == "untouched":
        untouched(dynamodb, table)
    elif mode == "ours":
        key = argv[4]
        expect = (argv[5], argv[6]) if len(argv) >= 7 else None
        ours(dynamodb, table, key, expect)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
