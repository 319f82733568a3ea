#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Consumer workers as separate processes (kinesis-consumer) sharing one lease
table: kinesis-mock for Kinesis, where shards really close, moto for DynamoDB.

  consumer_fleet_check.py BIN_DIR crash    3 workers, 6 shards: 2/2/2, kill -9, SIGTERM hand-over
  consumer_fleet_check.py BIN_DIR reshard  2 workers under a split and a merge
  consumer_fleet_check.py BIN_DIR fence    a worker paused past the failover time
  consumer_fleet_check.py BIN_DIR kcl      a KCL 2.x table (with KCL 3.x rows) joined

Endpoints from KINESIS_TEST_KINESIS_MOCK_ENDPOINT and KINESIS_TEST_MOTO_ENDPOINT
(scripts/with-endpoints). Prints what it measured; exit status 0 only when
every check passed.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

import boto3
from botocore.config import Config

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import lease_table_check  # noqa: E402  (the KCL row shapes and the field-by-field check)

FAILOVER_MS = 3000
# The KCL's taker period for that failover: (failover + epsilon) x 2.
TAKER_S = (FAILOVER_MS + 25) * 2 / 1000.0
FAILOVER_S = FAILOVER_MS / 1000.0
# Process start-up, a scan and a write on top of the protocol's own bound.
SLACK_S = 3.0
# After a crash the others see the counter stop at their first scan after it
# (up to one taker period later), count the failover time from that scan (as
# the KCL does: no worker's clock is compared with another's), and take the
# lease at the first scan after that.
CRASH_BOUND_S = TAKER_S + TAKER_S * -(-FAILOVER_S // TAKER_S)

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("consumer_fleet_check: FAILED: " + message, file=sys.stderr)


def note(message):
    print("consumer_fleet_check: " + message, flush=True)


def env(name):
    value = os.environ.get(name)
    if not value:
        sys.exit(f"{name} is not set: run through scripts/with-endpoints")
    return value


KINESIS = env("KINESIS_TEST_KINESIS_MOCK_ENDPOINT")
MOTO = env("KINESIS_TEST_MOTO_ENDPOINT")
BASE_ENV = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1",
                AWS_ENDPOINT_URL_KINESIS=KINESIS, AWS_ENDPOINT_URL_DYNAMODB=MOTO)
for unset in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
    BASE_ENV.pop(unset, None)


def boto(service, endpoint):
    return boto3.client(service, endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                        aws_secret_access_key="testing", config=Config(retries={"max_attempts": 5, "mode": "standard"}))


kinesis = boto("kinesis", KINESIS)
dynamodb = boto("dynamodb", MOTO)


def unique(prefix):
    return f"{prefix}-{os.getpid()}-{int(time.time() * 1000) % 100000000}"


def wait_until(what, timeout, condition, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    check(False, f"timed out after {timeout} s waiting for {what}")
    return None


def make_stream(name, shards):
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    wait_active(name)


def wait_active(name):
    wait_until(f"stream {name} ACTIVE", 60,
               lambda: kinesis.describe_stream_summary(StreamName=name)["StreamDescriptionSummary"]["StreamStatus"]
               == "ACTIVE")


def list_shards(name):
    shards, token = [], None
    while True:
        page = kinesis.list_shards(NextToken=token) if token else kinesis.list_shards(StreamName=name)
        shards += page["Shards"]
        token = page.get("NextToken")
        if not token:
            return shards


def leases(table):
    """Lease rows (KCL 3.x non-lease rows left out), by key."""
    out, start = {}, None
    while True:
        args = {"TableName": table, "ConsistentRead": True}
        if start:
            args["ExclusiveStartKey"] = start
        try:
            page = dynamodb.scan(**args)
        except dynamodb.exceptions.ResourceNotFoundException:
            return {}  # the first worker has not made the table yet
        for item in page["Items"]:
            if item.get("entityType", {}).get("S", "LEASE") == "LEASE":
                out[item["leaseKey"]["S"]] = item
        start = page.get("LastEvaluatedKey")
        if not start:
            return out


def owners(table):
    counts = {}
    for item in leases(table).values():
        owner = item.get("leaseOwner", {}).get("S")
        counts[owner] = counts.get(owner, 0) + 1
    return counts


def stable_assignment(table, want, hold_s, timeout):
    """Waits until every lease has had the same owner for hold_s seconds, with
    `want` leases per owner; the assignment, or None after timeout."""
    deadline = time.monotonic() + timeout
    last, since = None, None
    while time.monotonic() < deadline:
        assignment = {key: item.get("leaseOwner", {}).get("S") for key, item in leases(table).items()}
        counts = {}
        for owner in assignment.values():
            counts[owner] = counts.get(owner, 0) + 1
        if counts != want:
            last = None
        elif assignment != last:
            last, since = assignment, time.monotonic()
        elif time.monotonic() - since >= hold_s:
            return assignment
        time.sleep(0.5)
    check(False, f"timed out after {timeout} s waiting for a stable assignment {want}")
    return None


def seq_key(sequence, sub):
    return (len(sequence), sequence, int(sub))


class Worker:
    """One kinesis-consumer process; its output lines stamped as they arrive."""

    def __init__(self, bin_dir, stream, table, worker_id, extra=()):
        self.id = worker_id
        self.records = []  # (time, shard, sequence, sub, key, data)
        self.errors = []   # (time, line)
        self.summary = None
        command = [os.path.join(bin_dir, "kinesis-consumer"), "--stream", stream, "--application", table,
                   "--worker-id", worker_id, "--failover-ms", str(FAILOVER_MS), *extra]
        self.process = subprocess.Popen(command, env=BASE_ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, bufsize=1)
        self.threads = [threading.Thread(target=self._read_out, daemon=True),
                        threading.Thread(target=self._read_err, daemon=True)]
        for thread in self.threads:
            thread.start()

    def _read_out(self):
        for line in self.process.stdout:
            now = time.monotonic()
            line = line.rstrip("\n")
            if line.startswith("{"):
                self.summary = json.loads(line)
                continue
            parts = line.split(" ", 4)
            if len(parts) == 5:
                self.records.append((now, parts[0], parts[1], parts[2], parts[3], parts[4]))

    def _read_err(self):
        for line in self.process.stderr:
            self.errors.append((time.monotonic(), line.rstrip("\n")))

    def stderr_text(self):
        return "\n".join(line for _, line in self.errors)

    def signal(self, number):
        if self.process.poll() is None:
            self.process.send_signal(number)

    def stop(self, timeout=30):
        self.signal(signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            check(False, f"{self.id} did not exit within {timeout} s of SIGTERM")
            self.process.kill()
            self.process.wait()
        for thread in self.threads:
            thread.join(5)

    def kill(self):
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for thread in self.threads:
            thread.join(5)


class Writer:
    """Writes records "<tag>-<n>" with partition key "key-<n % 50>" at a steady pace, on a thread of its own."""

    def __init__(self, stream, tag, per_batch=20, pause=0.1):
        self.stream, self.tag, self.per_batch, self.pause = stream, tag, per_batch, pause
        self.written = []  # data, in write order
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        n = 0
        client = boto("kinesis", KINESIS)
        while not self.done.is_set():
            batch = [(f"{self.tag}-{n + i}", f"key-{(n + i) % 50}") for i in range(self.per_batch)]
            pending = batch
            while pending and not self.done.is_set():
                answer = client.put_records(StreamName=self.stream, Records=[
                    {"Data": data.encode(), "PartitionKey": key} for data, key in pending])
                failed = [entry for entry, result in zip(pending, answer["Records"]) if "ErrorCode" in result]
                self.written += [data for (data, _), result in zip(pending, answer["Records"])
                                 if "ErrorCode" not in result]
                pending = failed
            n += self.per_batch
            time.sleep(self.pause)

    def stop(self):
        self.done.set()
        self.thread.join(30)


def seen(workers):
    out = {}
    for worker in workers:
        for record in worker.records:
            out[record[5]] = out.get(record[5], 0) + 1
    return out


def run_crash(bin_dir):
    stream, table = unique("fleet-crash"), unique("fleet-crash-app")
    make_stream(stream, 6)
    # Checkpoints every 50 records of a shard, so the crash leaves records
    # after the last checkpoint: those, and only those, are read twice.
    workers = [Worker(bin_dir, stream, table, f"worker-{i}", ("--checkpoint-every", "50")) for i in range(3)]
    try:
        started = time.monotonic()
        # Settled: 2/2/2 and no lease moving for two taker periods, so the
        # records written next see no hand-over but the crash's.
        settled = stable_assignment(table, {w.id: 2 for w in workers}, 2 * TAKER_S, 120)
        if settled:
            note(f"crash: 3 workers settled at 2/2/2 (unchanged for {2 * TAKER_S:.1f} s) after "
                 f"{time.monotonic() - started:.1f} s")
        writer = Writer(stream, "crash")
        wait_until("records to flow", 30, lambda: len(seen(workers)) > 200)

        victim = workers[0]
        victim.kill()  # SIGKILL: no checkpoint, no release
        killed_at = time.monotonic()
        snapshot = {key: item for key, item in leases(table).items()
                    if item.get("leaseOwner", {}).get("S") == victim.id}
        check(len(snapshot) == 2, f"the killed worker held {len(snapshot)} leases, expected 2")
        taken = wait_until("the killed worker's leases to be taken", CRASH_BOUND_S + 30,
                           lambda: all(leases(table)[key].get("leaseOwner", {}).get("S") not in (None, victim.id)
                                       for key in snapshot), interval=0.1)
        failover = time.monotonic() - killed_at
        note(f"crash: the killed worker's 2 leases were taken {failover:.2f} s after kill -9 (failover "
             f"{FAILOVER_S:.1f} s, taker period {TAKER_S:.2f} s: at most {CRASH_BOUND_S:.2f} s by the protocol)")
        check(taken and failover <= CRASH_BOUND_S + SLACK_S,
              f"failover took {failover:.2f} s, above {CRASH_BOUND_S + SLACK_S:.2f} s")
        check(sorted(owners(table).values()) == [3, 3], f"after the crash: {owners(table)}")

        time.sleep(2)
        # A graceful stop hands over at once: released leases are free for the next taker round.
        leaving = workers[1]
        held = [key for key, item in leases(table).items() if item.get("leaseOwner", {}).get("S") == leaving.id]
        stopped_at = time.monotonic()
        leaving.stop()
        # Released on the way out: the moment the process is gone its rows have no
        # owner (or the survivor's already), never still its own waiting to expire.
        after_stop = {key: leases(table)[key].get("leaseOwner", {}).get("S") for key in held}
        check(all(owner in (None, workers[2].id) for owner in after_stop.values()),
              f"the stopped worker's leases were not released: {after_stop}")
        wait_until("the stopped worker's leases to be taken", TAKER_S + 30,
                   lambda: all(leases(table)[key].get("leaseOwner", {}).get("S") == workers[2].id for key in held),
                   interval=0.1)
        handover = time.monotonic() - stopped_at
        note(f"crash: SIGTERM handed {len(held)} leases over in {handover:.2f} s (taker period {TAKER_S:.2f} s)")
        check(handover <= TAKER_S + SLACK_S, f"hand-over took {handover:.2f} s, above {TAKER_S + SLACK_S:.2f} s")
        # Its summary counts leases stolen from it while the fleet settled; a
        # loss at the stop itself would show as a lease_lost line after the signal.
        lost_at_stop = [line for at, line in leaving.errors if at >= stopped_at and "lost" in line]
        check(leaving.summary is not None and not lost_at_stop,
              f"the stopped worker: summary {leaving.summary}, lost at the stop: {lost_at_stop}")

        time.sleep(2)
        writer.stop()
        written = set(writer.written)
        wait_until("every written record to be processed", 60, lambda: written <= set(seen(workers)))
        time.sleep(1)
        workers[2].stop()

        counts = seen(workers)
        lost = written - set(counts)
        check(not lost, f"{len(lost)} records were never processed, e.g. {sorted(lost)[:5]}")
        twice = {data for data, n in counts.items() if n > 1}
        # Allowed twice: what the killed worker printed after its last checkpoint of that shard.
        after_checkpoint = set()
        for _, shard, sequence, sub, _, data in victim.records:
            item = snapshot.get(shard)
            if item is None:
                continue
            checkpoint = item["checkpoint"]["S"]
            if not checkpoint.isdigit() or seq_key(sequence, sub) > seq_key(
                    checkpoint, item["checkpointSubSequenceNumber"]["N"]):
                after_checkpoint.add(data)
        unexplained = twice - after_checkpoint
        note(f"crash: {len(written)} records written, {len(set(counts))} processed, {len(twice)} twice "
             f"(the killed worker's records after its last checkpoint: {len(after_checkpoint)})")
        check(not unexplained, f"{len(unexplained)} records processed twice that the killed worker had "
                               f"checkpointed, e.g. {sorted(unexplained)[:5]}")
        for data in sorted(unexplained)[:5]:
            where = [(w.id, r[1], r[2], r[3], round(r[0] - killed_at, 2)) for w in workers for r in w.records
                     if r[5] == data]
            print(f"consumer_fleet_check: {data} delivered at {where}", file=sys.stderr)
        if unexplained:
            for worker in workers:
                for at, line in worker.errors:
                    print(f"consumer_fleet_check: {worker.id} {at - killed_at:+.2f} s: {line}", file=sys.stderr)
        check(all(n <= 2 for n in counts.values()), "a record was processed more than twice")
    finally:
        for worker in workers:
            worker.kill()


def start_pair(bin_dir, tag, workers, writer_box):
    """Two workers on a new 2-shard stream, settled 1/1, with a Writer feeding it;
    `workers` and `writer_box` are filled as they start, for the caller's clean-up."""
    stream, table = unique(f"fleet-{tag}"), unique(f"fleet-{tag}-app")
    make_stream(stream, 2)
    workers += [Worker(bin_dir, stream, table, f"worker-{i}") for i in range(2)]
    wait_until("leases to settle 1/1", 60,
               lambda: sorted(owners(table).values()) == [1, 1] and len(leases(table)) == 2, interval=0.5)
    writer_box.append(Writer(stream, tag))
    wait_until("records to flow", 30, lambda: len(seen(workers)) > 100)
    return stream, table, writer_box[0]


def stop_all(workers, writer_box):
    for writer in writer_box:
        writer.stop()
    for worker in workers:
        worker.kill()


def run_reshard(bin_dir):
    workers, writer_box = [], []
    try:
        stream, table, writer = start_pair(bin_dir, "reshard", workers, writer_box)
        shards = list_shards(stream)
        parent = shards[0]
        low, high = int(parent["HashKeyRange"]["StartingHashKey"]), int(parent["HashKeyRange"]["EndingHashKey"])
        kinesis.split_shard(StreamName=stream, ShardToSplit=parent["ShardId"],
                            NewStartingHashKey=str((low + high) // 2))
        wait_active(stream)
        time.sleep(3)
        children = sorted((s for s in list_shards(stream) if s.get("ParentShardId") == parent["ShardId"]),
                          key=lambda s: int(s["HashKeyRange"]["StartingHashKey"]))
        check(len(children) == 2, f"the split made {len(children)} children")
        kinesis.merge_shards(StreamName=stream, ShardToMerge=children[0]["ShardId"],
                             AdjacentShardToMerge=children[1]["ShardId"])
        wait_active(stream)
        time.sleep(3)
        writer.stop()
        written = set(writer.written)
        wait_until("every written record to be processed", 90, lambda: written <= set(seen(workers)))
        time.sleep(1)
        for worker in workers:
            worker.stop()

        counts = seen(workers)
        lost = written - set(counts)
        check(not lost, f"{len(lost)} records were never processed, e.g. {sorted(lost)[:5]}")
        all_shards = list_shards(stream)
        parents_of = {s["ShardId"]: [p for p in (s.get("ParentShardId"), s.get("AdjacentParentShardId")) if p]
                      for s in all_shards}
        # When each shard's last record and first record were printed, over both workers.
        first_at, last_at = {}, {}
        ended_at = {}
        for worker in workers:
            for stamp, shard, *_ in worker.records:
                first_at[shard] = min(first_at.get(shard, stamp), stamp)
                last_at[shard] = max(last_at.get(shard, stamp), stamp)
            for stamp, line in worker.errors:
                if line.endswith(" is closed and read to its end"):
                    shard = line.split(": ")[1].split(" ")[0]
                    ended_at[shard] = min(ended_at.get(shard, stamp), stamp)
        for shard, parents in parents_of.items():
            for p in parents:
                check(p in ended_at, f"parent {p} of {shard} was never read to its end")
                if p in ended_at and shard in first_at:
                    check(first_at[shard] >= ended_at[p],
                          f"{shard} delivered a record {ended_at[p] - first_at[shard]:.3f} s before its parent {p} "
                          f"was read to its end")
        # Within a key's lineage records come in write order: in each worker's
        # output, a shard's records of one key in rising write order; and every
        # record of a key in a parent written before every one in its child.
        index = {data: int(data.rsplit("-", 1)[1]) for data in written}
        out_of_order = 0
        numbers = {}  # (shard, key) -> write indexes delivered
        for worker in workers:
            last, delivered = {}, set()
            for _, shard, _, _, key, data in worker.records:
                if data in delivered:
                    continue  # again after a lease came back: its first delivery counts
                delivered.add(data)
                n = index.get(data, -1)
                if n < last.get((shard, key), -1):
                    out_of_order += 1
                last[(shard, key)] = max(last.get((shard, key), -1), n)
                numbers.setdefault((shard, key), []).append(n)
        for shard, parents in parents_of.items():
            for p in parents:
                for (owner, key), ns in numbers.items():
                    if owner != p or (shard, key) not in numbers:
                        continue
                    if max(ns) > min(numbers[(shard, key)]):
                        out_of_order += 1
        check(out_of_order == 0, f"{out_of_order} records were read out of order within their key's lineage")
        note(f"reshard: {len(written)} records across a split and a merge, {len(all_shards)} shards, "
             f"{sum(1 for n in counts.values() if n > 1)} delivered twice, none lost or out of order"
             if not failures else "reshard: see the failures above")
    finally:
        stop_all(workers, writer_box)


def run_fence(bin_dir):
    workers, writer_box = [], []
    try:
        stream, table, writer = start_pair(bin_dir, "fence", workers, writer_box)
        paused, other = workers
        key = next(k for k, item in leases(table).items() if item.get("leaseOwner", {}).get("S") == paused.id)
        paused.signal(signal.SIGSTOP)
        wait_until("the paused worker's lease to be taken", FAILOVER_S + TAKER_S + 30,
                   lambda: leases(table)[key].get("leaseOwner", {}).get("S") == other.id, interval=0.2)
        time.sleep(1)
        before = leases(table)[key]
        paused.signal(signal.SIGCONT)
        samples = []
        deadline = time.monotonic() + 6
        while time.monotonic() < deadline:
            samples.append(leases(table)[key])
            time.sleep(0.2)
        writer.stop()
        check(f"lost the lease of {key}" in paused.stderr_text(),
              "the resumed worker's processor was not told lease_lost")
        refused = [line for _, line in paused.errors if "refused" in line and key in line]
        for line in refused:
            check("LeaseLost" in line, f"a checkpoint was refused for another reason: {line}")
        # The resumed worker may steal the lease back on its next taker round (a
        # fresh take at the counter it reads then): legitimate. What it must
        # never do is write with the counter it saw before the pause.
        counters = [int(item["leaseCounter"]["N"]) for item in [before] + samples]
        check(counters == sorted(counters), f"the lease counter went backwards: {counters}")
        checkpoints = [seq_key(item["checkpoint"]["S"], item["checkpointSubSequenceNumber"]["N"])
                       for item in [before] + samples if item["checkpoint"]["S"].isdigit()]
        check(checkpoints == sorted(checkpoints), "the checkpoint went backwards")
        for worker in workers:
            worker.stop()
        check(paused.summary is not None and paused.summary["leases_lost"] >= 1,
              f"the resumed worker's summary: {paused.summary}")
        note(f"fence: after SIGCONT the paused worker was told lease_lost, {len(refused)} checkpoint(s) refused "
             f"as LeaseLost; counter and checkpoint never went back ({counters[0]} to {counters[-1]})")
    finally:
        stop_all(workers, writer_box)


def run_kcl(bin_dir):
    stream, table = unique("fleet-kcl"), unique("fleet-kcl-app")
    make_stream(stream, 2)
    shards = list_shards(stream)
    # Ten records on each shard, routed by explicit hash key.
    sequences = {}
    for shard in shards:
        low = shard["HashKeyRange"]["StartingHashKey"]
        for i in range(10):
            answer = kinesis.put_record(StreamName=stream, Data=f"{shard['ShardId']}-{i}".encode(),
                                        PartitionKey=f"pk-{i}", ExplicitHashKey=low)
            sequences.setdefault(shard["ShardId"], []).append(answer["SequenceNumber"])
    dynamodb.create_table(TableName=table, KeySchema=[{"AttributeName": "leaseKey", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "leaseKey", "AttributeType": "S"}],
                          BillingMode="PAY_PER_REQUEST")
    first, second = shards[0]["ShardId"], shards[1]["ShardId"]
    # As a KCL 2.x worker that died left it: shard 0 checkpointed at its 4th record, shard 1 never.
    rows = [
        {"leaseKey": {"S": first}, "leaseOwner": {"S": "dead-kcl-worker"}, "leaseCounter": {"N": "41"},
         "checkpoint": {"S": sequences[first][3]}, "checkpointSubSequenceNumber": {"N": "0"},
         "ownerSwitchesSinceCheckpoint": {"N": "2"}, "parentShardId": {"SS": ["shardId-000000000099"]},
         "startingHashKey": {"S": shards[0]["HashKeyRange"]["StartingHashKey"]},
         "endingHashKey": {"S": shards[0]["HashKeyRange"]["EndingHashKey"]}},
        {"leaseKey": {"S": second}, "leaseCounter": {"N": "3"}, "checkpoint": {"S": "TRIM_HORIZON"},
         "checkpointSubSequenceNumber": {"N": "0"}, "ownerSwitchesSinceCheckpoint": {"N": "0"}},
    ]
    for item in rows + lease_table_check.NOT_LEASES:
        dynamodb.put_item(TableName=table, Item=item)
    worker = Worker(bin_dir, stream, table, "cpp-worker", ["--idle-exit", str(FAILOVER_S + TAKER_S + 4)])
    try:
        worker.process.wait(120)
    except subprocess.TimeoutExpired:
        check(False, "kinesis-consumer did not exit on --idle-exit")
    worker.kill()
    delivered = [record[5] for record in worker.records]
    expected = [f"{first}-{i}" for i in range(4, 10)] + [f"{second}-{i}" for i in range(10)]
    check(sorted(delivered) == sorted(expected),
          f"delivered {sorted(delivered)}, expected the records after each checkpoint: {sorted(expected)}")
    for item in lease_table_check.NOT_LEASES:
        key = item["leaseKey"]["S"]
        now = dynamodb.get_item(TableName=table, Key={"leaseKey": {"S": key}}, ConsistentRead=True).get("Item")
        check(now is not None and lease_table_check.normalised(now) == lease_table_check.normalised(item),
              f"the KCL 3.x row {key} changed: {now}")
    after = leases(table)
    for key in (first, second):
        lease_table_check.ours(dynamodb, table, key, None)
        check(after[key].get("leaseOwner") is None, f"{key} was not released at the end: {after[key]}")
        check(after[key]["checkpoint"]["S"] == sequences[key][9],
              f"{key} is checkpointed at {after[key]['checkpoint']['S']}, not at its last record")
    check(after[first]["parentShardId"] == {"SS": ["shardId-000000000099"]}, "the parent set was not kept")
    check(int(after[first]["leaseCounter"]["N"]) > 41, "the counter did not move on from the KCL's")
    check(int(after[first]["ownerSwitchesSinceCheckpoint"]["N"]) == 0, "a checkpoint did not reset owner switches")
    failures.extend(lease_table_check.failures)
    note(f"kcl: a KCL 2.x table joined: {len(delivered)} records delivered after the KCL's checkpoints, "
         f"2 KCL 3.x rows untouched, our rows in the KCL's attribute names and types")


def main(argv):
    if len(argv) != 3 or argv[2] not in ("crash", "reshard", "fence", "kcl"):
        print(__doc__, file=sys.stderr)
        return 2
    {"crash": run_crash, "reshard": run_reshard, "fence": run_fence, "kcl": run_kcl}[argv[2]](argv[1])
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
