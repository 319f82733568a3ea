#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A soak run with faults (scripts/soak runs it inside scripts/with-endpoints).

    soak.py BIN_DIR MINUTES [RATE]

kinesis-producer writes RATE records a second (default 200), fed line by line
on its stdin, through the fault proxy (tests/tools/fault_proxy.py) into a
4-shard stream on kinesis-mock. The proxy's faults change every 15 s, in turn:
one shard throttled, 10 % of PutRecords entries failed, a burst of 503s,
answers reset half-way, a 6 s stall closed unanswered, delays; every
third minute the proxy process itself is killed and started again on the same
port (the endpoint the producer knows goes away and comes back). Three
kinesis-consumer workers read the stream through a lease table on moto; every
minute one of them is killed with SIGKILL and started again with the same id.

At the end the writing stops, the producer flushes, the workers read until
they have seen every record (or 120 s pass), and one JSON line is printed:
records put, the producer's failures, records the consumers saw, records lost,
records seen more than once, worker kills, proxy restarts, faults fired, and
the peak RSS of each process. Exit status 1 when a record was lost: written
(the producer did not report it failed) but never seen by a consumer.
"""
import json
import os
import signal
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
import consumer_fleet_check as fleet  # noqa: E402  (workers, lease table helpers, endpoints)

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PROXY = os.path.join(ROOT, "tests", "tools", "fault_proxy.py")
SHARDS = 4

# One rule set per 15 s period, in turn. Each fires for a bounded number of
# requests, so records get through between faults and no TTL runs out.
FAULTS = [
    ("throttle one shard", [{"action": "throttle_shards", "shards": ["shardId-000000000001"],
                             "operation": "PutRecords", "count": 30}]),
    ("10% of entries failed", [{"action": "fail_entries", "fraction": 0.1, "seed": 7, "operation": "PutRecords"}]),
    ("503 burst", [{"action": "status", "status": 503, "error_code": "ServiceUnavailable",
                    "operation": "PutRecords", "count": 20}]),
    ("answers reset half-way", [{"action": "reset_mid_answer", "operation": "PutRecords", "count": 5}]),
    ("a 6 s stall, then the connection closed unanswered", [{"action": "stall", "seconds": 6,
                                                             "operation": "PutRecords", "count": 1}]),
    ("delays", [{"action": "delay", "seconds": 0.5, "operation": "PutRecords", "count": 10}]),
]
PERIOD_S = 15


def peak_rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class Proxy:
    """The fault proxy as a child process; restartable on the same port."""

    def __init__(self, backend):
        self.backend = backend
        self.port = 0
        self.process = None
        self.stats = {}
        self.start()

    def start(self):
        port_file = f"/tmp/soak-proxy-{os.getpid()}.port"
        if os.path.exists(port_file):
            os.unlink(port_file)
        # Its log of every fault fired goes to a file: it would drown the run's own lines.
        log = open(os.path.join(ROOT, ".local", "logs", "soak-fault-proxy.log"), "a")
        self.process = subprocess.Popen([sys.executable, PROXY, "--backend", self.backend, "--port", str(self.port),
                                         "--port-file", port_file], stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not (os.path.exists(port_file) and open(port_file).read().strip()):
            time.sleep(0.05)
        self.port = int(open(port_file).read().strip())

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def post(self, path, body=None):
        import urllib.request
        data = json.dumps(body).encode() if body is not None else b""
        request = urllib.request.Request(self.url + path, data=data, method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.read()

    def collect(self):
        """Adds the proxy's counters to the totals (they are zeroed by each new script)."""
        import urllib.request
        try:
            with urllib.request.urlopen(self.url + "/__faults__/stats", timeout=10) as answer:
                stats = json.loads(answer.read())
        except OSError:
            return
        for rule in stats.get("rules", []):
            self.stats[rule["action"]] = self.stats.get(rule["action"], 0) + rule["fired"]

    def set_rules(self, rules):
        self.collect()
        self.post("/__faults__", {"rules": rules})

    def restart(self, down_s=3):
        self.collect()
        self.process.kill()
        self.process.wait()
        time.sleep(down_s)  # connections refused meanwhile
        self.start()

    def stop(self):
        self.collect()
        self.process.kill()
        self.process.wait()


class Feeder:
    """Writes "soak-<n>" lines at a steady rate into the producer's stdin."""

    def __init__(self, stdin, rate):
        self.stdin, self.rate = stdin, rate
        self.written = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        started = time.monotonic()
        while not self.done.is_set():
            due = int((time.monotonic() - started) * self.rate)
            lines = "".join(f"soak-{n}\n" for n in range(self.written, due))
            if lines:
                self.stdin.write(lines)
                self.stdin.flush()
                self.written = due
            time.sleep(0.02)

    def stop(self):
        self.done.set()
        self.thread.join(10)


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__, file=sys.stderr)
        return 2
    bin_dir, minutes = argv[1], float(argv[2])
    rate = int(argv[3]) if len(argv) == 4 else 200
    stream, table = fleet.unique("soak"), fleet.unique("soak-app")
    fleet.make_stream(stream, SHARDS)
    proxy = Proxy(fleet.KINESIS)
    peaks = {}

    producer_env = dict(fleet.BASE_ENV)
    producer_env.pop("AWS_ENDPOINT_URL_KINESIS", None)
    producer = subprocess.Popen(
        [os.path.join(bin_dir, "kinesis-producer"), "--stream", stream, "--endpoint-url", proxy.url,
         "--record-ttl", "600", "--flush-timeout", "120"],
        env=producer_env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        bufsize=1)
    producer_err = []
    threading.Thread(target=lambda: producer_err.extend(producer.stderr), daemon=True).start()
    workers = [fleet.Worker(bin_dir, stream, table, f"worker-{i}", ("--checkpoint-every", "100"))
               for i in range(3)]
    retired = []  # killed incarnations: their records count too
    feeder = Feeder(producer.stdin, rate)

    kills = restarts = 0
    started = time.monotonic()
    period = 0
    next_period = started
    next_kill = started + 60
    next_restart = started + 180
    while time.monotonic() - started < minutes * 60:
        now = time.monotonic()
        for worker in workers:
            peaks[worker.id] = max(peaks.get(worker.id, 0), peak_rss_kib(worker.process.pid))
        peaks["producer"] = max(peaks.get("producer", 0), peak_rss_kib(producer.pid))
        if now >= next_period:
            name, rules = FAULTS[period % len(FAULTS)]
            proxy.set_rules(rules)
            fleet.note(f"soak: {now - started:6.0f} s: {name}")
            period += 1
            next_period += PERIOD_S
        if now >= next_kill:
            victim = workers[kills % len(workers)]
            victim.kill()
            retired.append(victim)
            workers[kills % len(workers)] = fleet.Worker(bin_dir, stream, table, victim.id,
                                                         ("--checkpoint-every", "100"))
            kills += 1
            fleet.note(f"soak: {now - started:6.0f} s: {victim.id} killed with SIGKILL and started again")
            next_kill += 60
        if now >= next_restart:
            proxy.restart()
            restarts += 1
            fleet.note(f"soak: {now - started:6.0f} s: the proxy was killed and started again")
            next_restart += 180
        time.sleep(0.5)

    feeder.stop()
    proxy.set_rules([])
    producer.stdin.close()
    summary_line = producer.stdout.read().strip().splitlines()
    producer.wait(300)
    summary = json.loads(summary_line[-1]) if summary_line else {}
    written = {f"soak-{n}" for n in range(feeder.written)}
    failed = summary.get("failed", len(written))

    def seen_data():
        counts = {}
        for worker in workers + retired:
            for record in worker.records:
                counts[record[5]] = counts.get(record[5], 0) + 1
        return counts

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(written - set(seen_data())) > failed:
        time.sleep(1)
    for worker in workers:
        peaks[worker.id] = max(peaks.get(worker.id, 0), peak_rss_kib(worker.process.pid))
        worker.stop()
    proxy.stop()

    counts = seen_data()
    unseen = written - set(counts)
    # A record the producer reported failed may be missing; the producer says
    # how many failed, not which, so only the unseen beyond that count are lost.
    lost = max(0, len(unseen) - failed)
    result = {
        "minutes": minutes, "rate": rate, "records_put": len(written), "producer_succeeded": summary.get("succeeded"),
        "producer_failed": failed, "producer_retries": summary.get("retries"), "records_seen": len(set(counts)),
        "records_lost": lost, "records_seen_twice": sum(1 for n in counts.values() if n > 1),
        "worker_kills": kills, "proxy_restarts": restarts,
        "faults": {key: proxy.stats[key] for key in sorted(proxy.stats)},
        "peak_rss_mib": {key: round(value / 1024, 1) for key, value in sorted(peaks.items())},
    }
    print(json.dumps(result), flush=True)
    if lost:
        print(f"soak: {lost} records lost, e.g. {sorted(unseen)[:5]}", file=sys.stderr)
    if fleet.failures:
        print("soak: " + "; ".join(fleet.failures), file=sys.stderr)
    return 1 if lost or producer.returncode not in (0, 1) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
