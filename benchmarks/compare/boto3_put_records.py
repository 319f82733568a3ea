#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# For comparison with benchmarks/producer_bench.cpp: boto3's put_records (500 entries
# per call, no aggregation, one thread, one keep-alive connection) against the same
# nginx stream sink, the same kind of records (100 random bytes, random 16-36 character
# keys). Every entry must come back written. CPU is this process's (os.times: user +
# system), nginx's from /proc/<pid>/schedstat.
#   boto3_put_records.py ENDPOINT [RECORDS] [NGINX_PID]
import os
import random
import string
import sys
import time

import boto3
import botocore
from botocore.config import Config


def nginx_cpu(pid):
    if not pid:
        return 0.0
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0]) * 1e-9


def main():
    endpoint = sys.argv[1]
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 200000
    pid = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    client = boto3.client(
        "kinesis",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=Config(retries={"max_attempts": 1}),
    )
    rng = random.Random(11)
    alphabet = string.ascii_letters + string.digits
    # The records are made first: the timed loop is put_records alone.
    calls = []
    for start in range(0, total, 500):
        calls.append([
            {"Data": rng.randbytes(100), "PartitionKey": "".join(rng.choices(alphabet, k=rng.randint(16, 36)))}
            for _ in range(min(500, total - start))
        ])
    client.put_records(StreamName="bench", Records=calls[0])  # connect, load the model
    cpu0, wall0, nginx0 = os.times(), time.monotonic(), nginx_cpu(pid)
    written = 0
    for records in calls:
        answer = client.put_records(StreamName="bench", Records=records)
        if answer["FailedRecordCount"] != 0 or len(answer["Records"]) != len(records):
            sys.exit("boto3: a put_records answer reported failures")
        written += len(records)
    cpu1, wall1, nginx1 = os.times(), time.monotonic(), nginx_cpu(pid)
    cpu = (cpu1.user - cpu0.user) + (cpu1.system - cpu0.system)
    print(f"compare: boto3 {boto3.__version__} (botocore {botocore.__version__}) put_records, 500 per call: "
          f"{written} records: {written / cpu:.0f} records per CPU s, {written / (wall1 - wall0):.0f} per wall s, "
          f"{cpu * 1e6 / written:.2f} us CPU per record, nginx {(nginx1 - nginx0) * 1e6 / written:.2f} us per record")


if __name__ == "__main__":
    main()
