#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The peers table (benchmarks/peers/run starts nginx and builds what it needs):

    peers.py BENCH_DIR JS_MODULES NGINX_ENDPOINT [AGG_MODULE]

The same work through kinesis-cpp (the Google Benchmark binaries in BENCH_DIR
and kinesis_call_bench), botocore (this Python, in this process) and the AWS
SDK for JavaScript v3 (node, benchmarks/peers/peers_js.js), in one sitting:
- SigV4 signing of a PutRecord request (a 100-byte record);
- the PutRecords request of 500 x 100 B records: the input checks and the body
  (kinesis-cpp also hashes the body for the signature; the others hash it when
  signing, which this row leaves out);
- the GetRecords answer of 1,000 records of 100 B parsed into records;
- a whole PutRecords call of 500 x 100 B against the local nginx (canned
  answer), on one keep-alive connection: CPU of the client process per call;
- KPL aggregation of 100-byte records against npm aws-kinesis-agg, when AGG_MODULE is given.
Every figure is CPU microseconds of the measuring process per operation, the
median of 3 runs; the ratios are the peer's over ours, from the same run.
"""
import base64
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time

import botocore.config
import botocore.session
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.parsers import create_parser
from botocore.serialize import create_serializer

RUNS = 3
PEERS_DIR = os.path.dirname(os.path.abspath(__file__))


def shapes():
    rng = random.Random(7)
    put = [{"data_base64": base64.b64encode(bytes(rng.getrandbits(8) for _ in range(100))).decode(),
            "partition_key": f"partition-key-{i}"} for i in range(500)]
    records = [{"SequenceNumber": f"49590338271490256608559692538361571095921575989136{100000 + i}",
                "ApproximateArrivalTimestamp": 1.700000123456e9,
                "Data": base64.b64encode(bytes(rng.getrandbits(8) for _ in range(100))).decode(),
                "PartitionKey": f"partition-key-{i}"} for i in range(1000)]
    iterator = "AAAAAAAAAAGdWq0cI2ePWcoOrZ4ZVoWhzeIxV1mCNYfyNJRKa5bjBzKvsiqHGWpNC1fjpQ7nJ9ZRjzHMiW2PoVSZkzqG1NGWsSwy9WgMBxi5KL9HyEh3"
    return {
        "put_record_body": json.dumps({"StreamName": "my-stream", "Data": base64.b64encode(b"x" * 100).decode(),
                                       "PartitionKey": "partition-key-0001"}, separators=(",", ":")),
        "put_records": put,
        "get_records_answer": json.dumps({"Records": records, "NextShardIterator": iterator, "MillisBehindLatest": 0}),
        "get_records_empty": json.dumps({"Records": [], "NextShardIterator": iterator, "MillisBehindLatest": 0}),
    }


def per_call(fn, iterations):
    for _ in range(max(20, iterations // 10)):
        fn()
    start = time.process_time()
    for _ in range(iterations):
        fn()
    return (time.process_time() - start) * 1e6 / iterations


def botocore_figures(data, nginx):
    session = botocore.session.get_session()
    model = session.get_service_model("kinesis")
    credentials = Credentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    out = {}

    signer = SigV4Auth(credentials, "kinesis", "us-east-1")

    def sign():
        request = AWSRequest(method="POST", url="https://kinesis.us-east-1.amazonaws.com/",
                             data=data["put_record_body"].encode(),
                             headers={"Content-Type": "application/x-amz-json-1.1",
                                      "X-Amz-Target": "Kinesis_20131202.PutRecord"})
        signer.add_auth(request)
    out["sign_put_record"] = per_call(sign, 5000)

    # What a client call does before signing: validate the parameters, serialize.
    serializer = create_serializer("json", include_validation=True)
    put_records = model.operation_model("PutRecords")
    params = {"StreamName": "bench", "Records": [{"Data": base64.b64decode(r["data_base64"]),
                                                 "PartitionKey": r["partition_key"]} for r in data["put_records"]]}
    out["put_records_body"] = per_call(lambda: serializer.serialize_to_request(params, put_records), 300)

    parser = create_parser("json")
    shape = model.operation_model("GetRecords").output_shape
    answer = {"status_code": 200, "headers": {"x-amzn-requestid": "r"},
              "body": data["get_records_answer"].encode()}
    out["get_records_parse"] = per_call(lambda: parser.parse(answer, shape), 100)

    client = session.create_client("kinesis", region_name="us-east-1", endpoint_url=nginx,
                                   aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="secret",
                                   config=botocore.config.Config(retries={"max_attempts": 1},
                                                                 max_pool_connections=1))
    out["put_records_call"] = per_call(lambda: client.put_records(**params), 200)
    out["version"] = botocore.__version__
    return out


def google_benchmark(binary, name):
    """cpu_time of one case in microseconds."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([binary, f"--benchmark_filter=^{re.escape(name)}$", "--benchmark_min_time=0.5",
                        f"--benchmark_out={out.name}", "--benchmark_out_format=json"],
                       capture_output=True, text=True, check=True)
        report = json.load(open(out.name))
    for case in report["benchmarks"]:
        if case["name"] == name:
            factor = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[case["time_unit"]]
            return case["cpu_time"] * factor
    raise RuntimeError(f"{binary}: no case {name}")


def ours(bench_dir, nginx_env):
    out = {
        "sign_put_record": google_benchmark(os.path.join(bench_dir, "kinesis_sigv4_bench"), "sigv4_sign/kinesis"),
        "put_records_body": google_benchmark(os.path.join(bench_dir, "kinesis_kinesis_bench"),
                                             "put_records_500x100/kinesis"),
        "get_records_parse": google_benchmark(os.path.join(bench_dir, "kinesis_kinesis_bench"),
                                              "get_records_1000x100/kinesis"),
    }
    call = subprocess.run([os.path.join(bench_dir, "kinesis_call_bench"), "--only=put_records"],
                          capture_output=True, text=True, check=True, env=nginx_env)
    match = re.search(r"put_records: ([0-9.]+) us CPU", call.stdout)
    if not match:
        raise RuntimeError("kinesis_call_bench printed no put_records figure:\n" + call.stdout)
    out["put_records_call"] = float(match.group(1))
    return out


def aggregation(bench_dir, agg_module):
    """CPU microseconds per 100-byte record aggregated: ours (every key new) and aws-kinesis-agg."""
    mine = google_benchmark(os.path.join(bench_dir, "kinesis_aggregation_bench"), "aggregate/kinesis/8192")
    theirs = subprocess.run(["node", os.path.join(PEERS_DIR, "..", "compare", "kinesis_agg.js"), agg_module, "500000"],
                            capture_output=True, text=True, check=True).stdout
    match = re.search(r"([0-9.]+) us CPU per record", theirs)
    return mine / 8192, float(match.group(1)) if match else None


def main(argv):
    if len(argv) not in (4, 5):
        print(__doc__, file=sys.stderr)
        return 2
    bench_dir, js_modules, nginx = argv[1], argv[2], argv[3]
    agg_module = argv[4] if len(argv) == 5 else None
    data = shapes()
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(data, f)
        shapes_path = f.name
    nginx_env = dict(os.environ, KINESIS_BENCH_NGINX_ENDPOINT=nginx)
    runs = {"kinesis-cpp": [], "botocore": [], "JS SDK v3": []}
    agg_runs = []
    for run in range(RUNS):
        print(f"peers: run {run + 1} of {RUNS}", file=sys.stderr, flush=True)
        runs["kinesis-cpp"].append(ours(bench_dir, nginx_env))
        runs["botocore"].append(botocore_figures(data, nginx))
        js = subprocess.run(["node", os.path.join(PEERS_DIR, "peers_js.js"), js_modules, nginx, shapes_path],
                            capture_output=True, text=True, check=True)
        runs["JS SDK v3"].append(json.loads(js.stdout.strip().splitlines()[-1]))
        if agg_module:
            agg_runs.append(aggregation(bench_dir, agg_module))
    os.unlink(shapes_path)

    rows = [("SigV4 sign, PutRecord (100 B)", "sign_put_record"),
            ("PutRecords request, 500 x 100 B (checks + body)", "put_records_body"),
            ("GetRecords answer, 1,000 x 100 B parsed", "get_records_parse"),
            ("PutRecords call, 500 x 100 B, against nginx", "put_records_call")]
    median = {who: {key: statistics.median(r[key] for r in results) for _, key in rows}
              for who, results in runs.items()}
    print(f"Peers, CPU us per operation, median of {RUNS} runs "
          f"(botocore {runs['botocore'][0]['version']}, @aws-sdk/client-kinesis {runs['JS SDK v3'][0]['version']}, "
          f"node {runs['JS SDK v3'][0]['node']}, Python {sys.version.split()[0]}):")
    print("| Work | kinesis-cpp | botocore | botocore / ours | JS SDK v3 | JS / ours |")
    print("|---|---:|---:|---:|---:|---:|")
    for title, key in rows:
        us = median["kinesis-cpp"][key]
        bc = median["botocore"][key]
        js = median["JS SDK v3"][key]
        print(f"| {title} | {us:.2f} | {bc:.1f} | {bc / us:.1f}x | {js:.1f} | {js / us:.1f}x |")
    if agg_runs:
        mine = statistics.median(a for a, _ in agg_runs)
        theirs = [b for _, b in agg_runs if b is not None]
        if theirs:
            theirs = statistics.median(theirs)
            print(f"| KPL aggregation, per 100 B record (aws-kinesis-agg in the JS column) | {mine:.3f} | | | "
                  f"{theirs:.3f} | {theirs / mine:.1f}x |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
