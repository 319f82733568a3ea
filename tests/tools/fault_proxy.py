#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A fault-injecting HTTP proxy for Kinesis tests: it sits in front of moto or
kinesis-mock and, following a script posted per test, throttles chosen shards,
fails chosen PutRecords entries, answers 500/503, stalls, resets the
connection mid-answer or delays. It is a test tool, not a stand-in for the
service: every record that succeeds went to the real backend.

    fault_proxy.py --backend http://127.0.0.1:PORT [--port 0] [--port-file F]

Listens on 127.0.0.1 (port 0: a free one, written to --port-file and printed
on stdout as one line). HTTP/1.1 with keep-alive; every answer has a
Content-Length. Python 3 standard library only.

Signatures: the client signs each request with SigV4, and the proxy may
rewrite the body (entries removed from a PutRecords) without re-signing, so
the forwarded signature no longer matches. Neither backend verifies
signatures by default (moto unless INITIAL_NO_AUTH_ACTION_COUNT is set,
kinesis-mock never), so the rewritten body is accepted. Do not put the proxy
in front of a verifying moto and expect rewritten requests to pass.

Control interface, on the same port under /__faults__ (no AWS client uses it):
    POST /__faults__                  a JSON script; REPLACES the rules, zeroes the stats
    GET  /__faults__                  the current script
    GET  /__faults__/stats            JSON counters
    POST /__faults__/reset            no rules, zeroed stats, shard cache dropped
    POST /__faults__/refresh_shards   drops the cached shard ranges

Script:
    {"record_keys": false,            # optional: list partition keys in the stats
     "rules": [RULE, ...]}            # a bare [RULE, ...] is accepted too
RULE: {"action": ..., "operation": "PutRecords" | ["PutRecord", ...] (optional,
the X-Amz-Target suffix), "after": N (optional: skip the first N matching
requests), "count": N (optional: fire at most N times; absent: forever)}, one of
    {"action": "throttle_shards", "shards": ["shardId-000000000001", ...]}
        PutRecords: the entries hashing into those shards fail with
        ProvisionedThroughputExceededException and are not forwarded;
        PutRecord to such a shard: a 400 ProvisionedThroughputExceededException.
    {"action": "fail_entries", "indexes": [0, 5]}
    {"action": "fail_entries", "fraction": 0.1, "seed": 1}
    {"action": "fail_entries", "partition_keys": ["k1", ...]}
        PutRecords: those entries (positions in the request as sent) fail
        with "error_code" (default InternalFailure; "error_message" optional)
        and are not forwarded; their failures are merged into the backend's
        answer at their original positions. If every entry fails, nothing is
        forwarded (an empty PutRecords is invalid): the proxy answers alone.
    {"action": "status", "status": 503, "error_code": "ServiceUnavailable",
     "message": "...", "body": "..."}
        Answers at once without forwarding: a JSON error body as Kinesis
        writes it ({"__type": code, "message": ...}), or `body` verbatim.
    {"action": "stall", "seconds": S}
        Reads the request, forwards nothing, answers nothing for S seconds,
        then closes the connection.
    {"action": "reset_mid_answer"}
        Forwards (the backend really does it), sends the status line, the
        headers and half the body, then resets the connection (SO_LINGER 0).
    {"action": "delay", "seconds": S}
        Forwards, then waits S seconds before answering.
Rules are checked per request in order. A rule "matches" a request of an
operation it applies to (throttle_shards: PutRecords, PutRecord; fail_entries:
PutRecords; the others: any) that passes its `operation` filter; it "fires"
when it matches past `after` and below `count` and, for the entry rules, fails
at least one entry. Entry rules compose (each sees the entries the ones before
it left); a firing status or stall answers and ends the walk; reset_mid_answer
and delay apply to the answer of the forwarded request.

Backend down (refused, reset, timed out): the proxy closes the client's
connection without an answer and counts a backend_error. A client talking to
a dead endpoint sees a connection error, not an HTTP status, and this keeps
that: answering 502/503 instead would turn a kill/restart test into a status
test. (With the connection already accepted the client sees "empty reply",
not "refused": both are transport errors.)

Shard ranges: learnt by calling ListShards on the backend itself, with the
client's Authorization header copied (unchecked, but moto routes by its
credential scope) or a dummy one for kinesis in us-east-1, cached per stream; dropped when a client's
ListShards, DescribeStream or resharding call for that stream passes, on
/__faults__/refresh_shards and on every new script.

Stats (GET /__faults__/stats):
    {"operations": {"PutRecords": {"requests": n, "forwarded": n,
                                   "answered_by_proxy": n, "backend_errors": n,
                                   "entries_forwarded": n,
                                   "entries_failed": {"InternalFailure": n}}},
     "rules": [{"index": 0, "action": "...", "matched": n, "fired": n}],
     "backend_errors": n,
     "failed_keys": [...], "forwarded_keys": [...],   # with record_keys, capped
     "keys_truncated": false}
One line per fault fired goes to stderr.
"""

import argparse
import hashlib
import http.client
import http.server
import json
import os
import random
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse
import uuid

CONTROL_PREFIX = "/__faults__"
TARGET_PREFIX = "Kinesis_20131202."
DEFAULT_ACCOUNT = "123456789012"
MAX_KEYS = 100000
BACKEND_TIMEOUT = 30.0
JSON_CONTENT_TYPE = "application/x-amz-json-1.1"

# Hop-by-hop headers (RFC 9110 7.6.1) and the ones the proxy rewrites itself.
HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-connection", "proxy-authenticate",
    "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
    "content-length", "expect",
}
# Written by the proxy's own send_response on every answer.
RELAY_SKIP = HOP_BY_HOP | {"server", "date"}
# Client headers copied onto the proxy's own ListShards: moto picks the
# service (and both backends the region) from the credential scope in
# Authorization; nobody checks the signature. An unsigned client request
# gets UNSIGNED_CONTEXT instead: without it moto answers as S3.
CONTEXT_HEADERS = ("Authorization", "X-Amz-Date", "X-Amz-Security-Token")
UNSIGNED_CONTEXT = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/kinesis/aws4_request, "
                     "SignedHeaders=host, Signature=0",
}

ACTIONS = ("throttle_shards", "fail_entries", "status", "stall", "reset_mid_answer", "delay")
COMMON_KEYS = {"action", "operation", "after", "count"}
ACTION_KEYS = {
    "throttle_shards": {"shards"},
    "fail_entries": {"indexes", "fraction", "seed", "partition_keys", "error_code", "error_message"},
    "status": {"status", "error_code", "message", "body"},
    "stall": {"seconds"},
    "reset_mid_answer": set(),
    "delay": {"seconds"},
}
# Operations an action applies to; None: every request.
ACTION_OPERATIONS = {
    "throttle_shards": {"PutRecords", "PutRecord"},
    "fail_entries": {"PutRecords"},
}
STATUS_CODES = {500: "InternalFailure", 503: "ServiceUnavailable", 400: "ValidationException"}
DEFAULT_MESSAGES = {
    "InternalFailure": "Internal service failure.",
    "ServiceUnavailable": "Service unavailable.",
}


def log(message):
    sys.stderr.write("fault_proxy: %s\n" % message)
    sys.stderr.flush()


class ScriptError(ValueError):
    pass


class ShardsUnknown(Exception):
    """The backend answered, but not with the stream's shards."""


def _require(condition, message):
    if not condition:
        raise ScriptError(message)


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return (isinstance(value, (int, float))) and not isinstance(value, bool)


class Rule:
    """One validated rule and its counters (guarded by the proxy's lock)."""

    def __init__(self, index, spec):
        where = "rule %d" % index
        _require(isinstance(spec, dict), "%s: not a JSON object" % where)
        action = spec.get("action")
        _require(action in ACTIONS, "%s: action must be one of %s, not %r" % (where, ", ".join(ACTIONS), action))
        unknown = set(spec) - COMMON_KEYS - ACTION_KEYS[action]
        _require(not unknown, "%s (%s): unknown keys %s" % (where, action, ", ".join(sorted(unknown))))
        self.index = index
        self.action = action
        self.spec = spec
        operation = spec.get("operation")
        if operation is None:
            self.operations = None
        elif isinstance(operation, str):
            self.operations = {operation}
        else:
            _require(isinstance(operation, list) and operation and all(isinstance(o, str) for o in operation),
                     "%s: operation must be a string or a list of strings" % where)
            self.operations = set(operation)
        self.after = spec.get("after", 0)
        _require(_is_int(self.after) and self.after >= 0, "%s: after must be an integer >= 0" % where)
        self.count = spec.get("count")
        _require(self.count is None or (_is_int(self.count) and self.count >= 0),
                 "%s: count must be an integer >= 0" % where)
        self.matched = 0
        self.fired = 0

        if action == "throttle_shards":
            shards = spec.get("shards")
            _require(isinstance(shards, list) and shards and all(isinstance(s, str) for s in shards),
                     "%s: shards must be a non-empty list of shard ids" % where)
            self.shards = set(shards)
        elif action == "fail_entries":
            chosen = [k for k in ("indexes", "fraction", "partition_keys") if k in spec]
            _require(len(chosen) == 1, "%s: fail_entries needs exactly one of indexes, fraction, partition_keys" % where)
            self.indexes = self.fraction = self.partition_keys = None
            if "indexes" in spec:
                indexes = spec["indexes"]
                _require(isinstance(indexes, list) and all(_is_int(i) and i >= 0 for i in indexes),
                         "%s: indexes must be a list of integers >= 0" % where)
                self.indexes = set(indexes)
            elif "fraction" in spec:
                fraction = spec["fraction"]
                _require(_is_number(fraction) and 0 <= fraction <= 1, "%s: fraction must be within [0, 1]" % where)
                self.fraction = float(fraction)
                seed = spec.get("seed")
                _require(seed is None or _is_int(seed), "%s: seed must be an integer" % where)
                self.random = random.Random(seed)
            else:
                keys = spec["partition_keys"]
                _require(isinstance(keys, list) and all(isinstance(k, str) for k in keys),
                         "%s: partition_keys must be a list of strings" % where)
                self.partition_keys = set(keys)
            _require("seed" not in spec or self.fraction is not None, "%s: seed goes with fraction" % where)
            self.error_code = spec.get("error_code", "InternalFailure")
            _require(isinstance(self.error_code, str) and self.error_code, "%s: error_code must be a string" % where)
            self.error_message = spec.get("error_message")
            _require(self.error_message is None or isinstance(self.error_message, str),
                     "%s: error_message must be a string" % where)
        elif action == "status":
            self.status = spec.get("status", 503)
            _require(_is_int(self.status) and 100 <= self.status <= 599, "%s: status must be an HTTP status" % where)
            self.error_code = spec.get("error_code", STATUS_CODES.get(self.status, "InternalFailure"))
            _require(isinstance(self.error_code, str), "%s: error_code must be a string" % where)
            self.message = spec.get("message", DEFAULT_MESSAGES.get(self.error_code, "Injected by fault_proxy."))
            _require(isinstance(self.message, str), "%s: message must be a string" % where)
            self.body = spec.get("body")
            _require(self.body is None or isinstance(self.body, str), "%s: body must be a string" % where)
        elif action in ("stall", "delay"):
            self.seconds = spec.get("seconds")
            _require(_is_number(self.seconds) and 0 <= self.seconds <= 3600,
                     "%s: seconds must be a number within [0, 3600]" % where)

    def applies_to(self, operation):
        ops = ACTION_OPERATIONS.get(self.action)
        if ops is not None and operation not in ops:
            return False
        return self.operations is None or operation in self.operations

    def may_fire(self):
        """Counts a match; whether the rule is armed for this request."""
        self.matched += 1
        return self.matched > self.after and (self.count is None or self.fired < self.count)


def parse_script(text):
    try:
        script = json.loads(text)
    except ValueError as error:
        raise ScriptError("not JSON: %s" % error)
    if isinstance(script, list):
        script = {"rules": script}
    _require(isinstance(script, dict), "a script is a JSON object {\"rules\": [...]} or a list of rules")
    unknown = set(script) - {"rules", "record_keys"}
    _require(not unknown, "script: unknown keys %s" % ", ".join(sorted(unknown)))
    rules = script.get("rules", [])
    _require(isinstance(rules, list), "script: rules must be a list")
    record_keys = script.get("record_keys", False)
    _require(isinstance(record_keys, bool), "script: record_keys must be true or false")
    return script, [Rule(i, spec) for i, spec in enumerate(rules)], record_keys


def hash_key_of(entry):
    """The 128-bit hash key Kinesis routes an entry by, or None if unreadable."""
    explicit = entry.get("ExplicitHashKey")
    if explicit is not None:
        try:
            return int(explicit)
        except (TypeError, ValueError):
            return None
    key = entry.get("PartitionKey")
    if not isinstance(key, str):
        return None
    return int.from_bytes(hashlib.md5(key.encode("utf-8")).digest(), "big")


def stream_name_of(request):
    name = request.get("StreamName")
    if isinstance(name, str) and name:
        return name
    arn = request.get("StreamARN")
    if isinstance(arn, str) and "/" in arn:
        return arn.rsplit("/", 1)[1]
    return None


def account_of(request):
    arn = request.get("StreamARN")
    if isinstance(arn, str):
        parts = arn.split(":")
        if len(parts) >= 5 and parts[4]:
            return parts[4]
    return DEFAULT_ACCOUNT


def throttle_message(shard, request):
    return "Rate exceeded for shard %s in stream %s under account %s." % (
        shard, stream_name_of(request) or "", account_of(request))


class Stats:
    def __init__(self):
        self.operations = {}
        self.backend_errors = 0
        self.failed_keys = []
        self.forwarded_keys = []
        self.keys_truncated = False

    def op(self, operation):
        entry = self.operations.get(operation)
        if entry is None:
            entry = {"requests": 0, "forwarded": 0, "answered_by_proxy": 0, "backend_errors": 0,
                     "entries_forwarded": 0, "entries_failed": {}}
            self.operations[operation] = entry
        return entry

    def add_key(self, target, key):
        if len(target) >= MAX_KEYS:
            self.keys_truncated = True
        else:
            target.append(key)


class Proxy:
    """Rules, counters and the shard cache; one lock guards them all."""

    def __init__(self, backend):
        parsed = urllib.parse.urlsplit(backend)
        if parsed.scheme != "http" or not parsed.hostname:
            raise SystemExit("fault_proxy: --backend must be http://host:port, not %r" % backend)
        self.backend_host = parsed.hostname
        self.backend_port = parsed.port or 80
        self.lock = threading.Lock()
        self.script = {"rules": []}
        self.rules = []
        self.record_keys = False
        self.stats = Stats()
        self.shards = {}  # stream name -> [(start, end, shard id)] of open shards

    # --- control ---------------------------------------------------------

    def set_script(self, text):
        script, rules, record_keys = parse_script(text)
        with self.lock:
            self.script, self.rules, self.record_keys = script, rules, record_keys
            self.stats = Stats()
            self.shards.clear()
        log("script set: %d rule(s)%s" % (len(rules), ", recording keys" if record_keys else ""))

    def reset(self):
        with self.lock:
            self.script, self.rules, self.record_keys = {"rules": []}, [], False
            self.stats = Stats()
            self.shards.clear()
        log("reset")

    def refresh_shards(self):
        with self.lock:
            self.shards.clear()

    def stats_json(self):
        with self.lock:
            stats = self.stats
            out = {
                "operations": json.loads(json.dumps(stats.operations)),
                "rules": [{"index": r.index, "action": r.action, "matched": r.matched, "fired": r.fired}
                          for r in self.rules],
                "backend_errors": stats.backend_errors,
                "failed_keys": list(stats.failed_keys),
                "forwarded_keys": list(stats.forwarded_keys),
                "keys_truncated": stats.keys_truncated,
            }
        return json.dumps(out, sort_keys=True)

    # --- backend -----------------------------------------------------------

    def connect(self):
        return http.client.HTTPConnection(self.backend_host, self.backend_port, timeout=BACKEND_TIMEOUT)

    def shard_ranges(self, request, context):
        """Open shards of the request's stream: [(start, end, id)].

        Raises OSError/HTTPException when the backend is unreachable,
        ShardsUnknown when it answers something else than the shards."""
        name = stream_name_of(request)
        with self.lock:
            cached = self.shards.get(name)
        if cached is not None:
            return cached
        ranges = []
        token = None
        while True:
            if token is None:
                body = {"StreamARN": request["StreamARN"]} if "StreamARN" in request else {"StreamName": name}
            else:
                body = {"NextToken": token}
            connection = self.connect()
            try:
                headers = {
                    "Content-Type": JSON_CONTENT_TYPE,
                    "X-Amz-Target": TARGET_PREFIX + "ListShards",
                    "Host": "%s:%d" % (self.backend_host, self.backend_port),
                }
                headers.update(context if "Authorization" in context else UNSIGNED_CONTEXT)
                connection.request("POST", "/", json.dumps(body).encode(), headers)
                response = connection.getresponse()
                data = response.read()
            finally:
                connection.close()
            if response.status != 200:
                raise ShardsUnknown("ListShards for %s answered %d: %r" % (name, response.status, data[:200]))
            try:
                page = json.loads(data)
                for shard in page.get("Shards", []):
                    if shard.get("SequenceNumberRange", {}).get("EndingSequenceNumber") is not None:
                        continue  # closed: no new record goes there
                    hash_range = shard["HashKeyRange"]
                    ranges.append((int(hash_range["StartingHashKey"]), int(hash_range["EndingHashKey"]),
                                   shard["ShardId"]))
            except (ValueError, KeyError, TypeError, AttributeError) as error:
                raise ShardsUnknown("ListShards for %s: unreadable answer (%r)" % (name, error))
            token = page.get("NextToken")
            if not token:
                break
        with self.lock:
            self.shards[name] = ranges
        return ranges

    # --- decisions -----------------------------------------------------------

    def plan(self, operation, request, context):
        """What to do with one request, decided under the lock.

        Returns a dict: terminal ("status"/"stall" rule or None), failed
        ({index: (code, message)}), delay, reset, and fired log lines."""
        plan = {"terminal": None, "failed": {}, "delay": 0.0, "reset": False, "logs": []}
        entries = None
        if operation == "PutRecords" and isinstance(request, dict) and isinstance(request.get("Records"), list):
            entries = request["Records"]
        shard_of = None  # index -> shard id, computed once when a throttle rule needs it
        needs_shards = any(r.action == "throttle_shards" and r.applies_to(operation) for r in self.rules_snapshot())
        ranges = None
        if needs_shards and isinstance(request, dict) and stream_name_of(request):
            try:
                ranges = self.shard_ranges(request, context)  # outside the lock: may call the backend
            except ShardsUnknown as error:
                # A stream the backend does not know: no shard to throttle, and
                # the backend answers the request itself.
                log("%s; no shard throttled" % error)
        if ranges is not None:

            def locate(hash_key):
                for start, end, shard in ranges:
                    if hash_key is not None and start <= hash_key <= end:
                        return shard
                return None
            if entries is not None:
                shard_of = {i: locate(hash_key_of(e)) for i, e in enumerate(entries) if isinstance(e, dict)}
            elif operation == "PutRecord":
                shard_of = {0: locate(hash_key_of(request))}

        with self.lock:
            stats = self.stats
            for rule in self.rules:
                if not rule.applies_to(operation) or not rule.may_fire():
                    continue
                if rule.action == "throttle_shards":
                    if shard_of is None:
                        continue
                    if operation == "PutRecord":
                        if shard_of.get(0) in rule.shards:
                            rule.fired += 1
                            plan["terminal"] = ("throttle", shard_of[0])
                            plan["logs"].append("rule %d throttle_shards fired on PutRecord to %s" % (
                                rule.index, shard_of[0]))
                            break
                        continue
                    hit = [i for i, shard in shard_of.items() if shard in rule.shards and i not in plan["failed"]]
                    if hit:
                        rule.fired += 1
                        for i in hit:
                            plan["failed"][i] = ("ProvisionedThroughputExceededException",
                                                 throttle_message(shard_of[i], request))
                        plan["logs"].append("rule %d throttle_shards fired on PutRecords: %d of %d entries throttled" % (
                            rule.index, len(hit), len(entries)))
                elif rule.action == "fail_entries":
                    if entries is None:
                        continue
                    candidates = [i for i in range(len(entries)) if i not in plan["failed"]]
                    if rule.indexes is not None:
                        hit = [i for i in candidates if i in rule.indexes]
                    elif rule.partition_keys is not None:
                        hit = [i for i in candidates
                               if isinstance(entries[i], dict) and entries[i].get("PartitionKey") in rule.partition_keys]
                    else:
                        hit = [i for i in candidates if rule.random.random() < rule.fraction]
                    if hit:
                        rule.fired += 1
                        message = rule.error_message or DEFAULT_MESSAGES.get(rule.error_code, "Injected by fault_proxy.")
                        for i in hit:
                            plan["failed"][i] = (rule.error_code, message)
                        plan["logs"].append("rule %d fail_entries fired on PutRecords: %d of %d entries failed (%s)" % (
                            rule.index, len(hit), len(entries), rule.error_code))
                elif rule.action in ("status", "stall"):
                    rule.fired += 1
                    plan["terminal"] = (rule.action, rule)
                    plan["logs"].append("rule %d %s fired on %s" % (rule.index, rule.action, operation or "(no target)"))
                    break
                elif rule.action == "delay":
                    rule.fired += 1
                    plan["delay"] += rule.seconds
                    plan["logs"].append("rule %d delay %.3gs fired on %s" % (rule.index, rule.seconds, operation or "(no target)"))
                elif rule.action == "reset_mid_answer":
                    rule.fired += 1
                    plan["reset"] = True
                    plan["logs"].append("rule %d reset_mid_answer fired on %s" % (rule.index, operation or "(no target)"))
            stats.op(operation)["requests"] += 1
        for line in plan["logs"]:
            log(line)
        return plan

    def rules_snapshot(self):
        with self.lock:
            return list(self.rules)

    def count(self, operation, field, amount=1):
        with self.lock:
            self.stats.op(operation)[field] += amount

    def record_entries(self, operation, forwarded_keys, failed):
        """failed: [(partition key, code)] answered failed by the proxy."""
        with self.lock:
            stats = self.stats
            op = stats.op(operation)
            op["entries_forwarded"] += len(forwarded_keys)
            for _, code in failed:
                op["entries_failed"][code] = op["entries_failed"].get(code, 0) + 1
            if self.record_keys:
                for key in forwarded_keys:
                    stats.add_key(stats.forwarded_keys, key)
                for key, _ in failed:
                    stats.add_key(stats.failed_keys, key)

    def backend_error(self, operation, error):
        with self.lock:
            self.stats.backend_errors += 1
            self.stats.op(operation)["backend_errors"] += 1
        log("backend error on %s: %s: %s; closing the client's connection without an answer" % (
            operation or "(no target)", type(error).__name__, error))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault_proxy"
    sys_version = ""
    proxy = None  # set by main()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass  # one line per fault, not per request

    def do_POST(self):
        self.handle_any()

    do_GET = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_POST

    # --- plumbing --------------------------------------------------------

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def answer(self, status, body, headers=(), reason=None):
        self.send_response(status, reason)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def answer_json(self, status, value):
        body = json.dumps(value).encode()
        self.answer(status, body, [("Content-Type", JSON_CONTENT_TYPE), ("x-amzn-RequestId", str(uuid.uuid4()))])

    def answer_error(self, status, code, message):
        self.answer_json(status, {"__type": code, "message": message})

    def drop_connection(self, reset=False):
        self.close_connection = True
        try:
            if reset:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            else:
                self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        # The fd closes (with an RST under SO_LINGER 0) once rfile is closed too.
        self.connection.close()
        self.rfile.close()

    def forward(self, body):
        """Sends the request to the backend; (status, reason, headers, body). Raises OSError/HTTPException."""
        connection = self.proxy.connect()
        try:
            connection.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() in HOP_BY_HOP or name.lower() == "accept-encoding":
                    continue
                connection.putheader(name, value)
            connection.putheader("Accept-Encoding", "identity")  # so an answer can be read and merged
            connection.putheader("Content-Length", str(len(body)))
            connection.endheaders(body)
            response = connection.getresponse()
            data = response.read()
            headers = [(k, v) for k, v in response.getheaders() if k.lower() not in RELAY_SKIP]
            return response.status, response.reason, headers, data
        finally:
            connection.close()

    # --- requests --------------------------------------------------------------

    def handle_any(self):
        body = self.read_body()
        path = urllib.parse.urlsplit(self.path).path
        if path == CONTROL_PREFIX or path.startswith(CONTROL_PREFIX + "/"):
            self.handle_control(path, body)
            return
        proxy = self.proxy
        target = self.headers.get("X-Amz-Target", "")
        operation = target.rsplit(".", 1)[-1] if target else ""
        request = None
        if body and operation:
            try:
                request = json.loads(body)
            except ValueError:
                request = None  # forwarded as it is; the backend answers
        context = {name: self.headers[name] for name in CONTEXT_HEADERS if self.headers.get(name)}
        try:
            plan = proxy.plan(operation, request, context)
        except (OSError, http.client.HTTPException) as error:
            proxy.count(operation, "requests")
            proxy.backend_error(operation, error)
            self.drop_connection()
            return

        terminal = plan["terminal"]
        if terminal is not None:
            kind, detail = terminal
            proxy.count(operation, "answered_by_proxy")
            if kind == "throttle":
                proxy.record_entries(operation, [], [(request.get("PartitionKey"), "ProvisionedThroughputExceededException")])
                self.answer_error(400, "ProvisionedThroughputExceededException", throttle_message(detail, request))
            elif kind == "status":
                rule = detail
                if rule.body is not None:
                    self.answer(rule.status, rule.body.encode(), [("Content-Type", JSON_CONTENT_TYPE),
                                                                  ("x-amzn-RequestId", str(uuid.uuid4()))])
                else:
                    self.answer_error(rule.status, rule.error_code, rule.message)
            else:  # stall
                time.sleep(detail.seconds)
                self.drop_connection()
            return

        failed = plan["failed"]
        entries = request["Records"] if failed else None
        if failed:
            kept = [e for i, e in enumerate(entries) if i not in failed]
            failures = [(entries[i].get("PartitionKey") if isinstance(entries[i], dict) else None, failed[i][0])
                        for i in sorted(failed)]
            if not kept:
                proxy.count(operation, "answered_by_proxy")
                proxy.record_entries(operation, [], failures)
                records = [{"ErrorCode": failed[i][0], "ErrorMessage": failed[i][1]} for i in range(len(entries))]
                time.sleep(plan["delay"])
                self.answer_json(200, {"FailedRecordCount": len(records), "Records": records})
                return
            rewritten = dict(request)
            rewritten["Records"] = kept
            forward_body = json.dumps(rewritten).encode()
        else:
            kept = None
            forward_body = body

        try:
            status, reason, headers, data = self.forward(forward_body)
        except (OSError, http.client.HTTPException) as error:
            proxy.backend_error(operation, error)
            self.drop_connection()
            return
        proxy.count(operation, "forwarded")
        self.note_forwarded(operation, request, kept, status)
        self.maybe_drop_shard_cache(operation, request)

        if failed:
            status, reason, data, headers, merged = self.merge(status, reason, data, headers, entries, failed,
                                                               len(kept))
            proxy.record_entries(operation, [], failures if merged else [])
        if plan["delay"]:
            time.sleep(plan["delay"])
        if plan["reset"]:
            self.send_response(status, reason)
            for name, value in headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data[:len(data) // 2])
            time.sleep(0.05)  # let the client read the head before the RST arrives
            self.drop_connection(reset=True)
            return
        self.answer(status, data, headers, reason)

    def note_forwarded(self, operation, request, kept, status):
        """Counts the entries the backend was given (whatever it answered)."""
        if operation == "PutRecords" and isinstance(request, dict) and isinstance(request.get("Records"), list):
            records = kept if kept is not None else request["Records"]
            keys = [e.get("PartitionKey") if isinstance(e, dict) else None for e in records]
            self.proxy.record_entries(operation, keys, [])
        elif operation == "PutRecord" and isinstance(request, dict):
            self.proxy.record_entries(operation, [request.get("PartitionKey")], [])

    def maybe_drop_shard_cache(self, operation, request):
        if operation in ("ListShards", "DescribeStream", "UpdateShardCount", "SplitShard", "MergeShards",
                         "DeleteStream", "CreateStream") and isinstance(request, dict):
            name = stream_name_of(request)
            with self.proxy.lock:
                if name is None:
                    self.proxy.shards.clear()
                else:
                    self.proxy.shards.pop(name, None)

    def merge(self, status, reason, data, headers, entries, failed, forwarded_count):
        """Merges the proxy's failures into a backend PutRecords answer at their original positions."""
        if status != 200:
            return status, reason, data, headers, False  # the whole call failed: relayed as it is
        try:
            answer = json.loads(data)
            backend_records = answer["Records"]
            if len(backend_records) != forwarded_count:
                raise ValueError("%d records answered for %d forwarded" % (len(backend_records), forwarded_count))
        except (ValueError, KeyError, TypeError) as error:
            log("cannot merge into the backend's PutRecords answer (%s): answering 500" % error)
            body = json.dumps({"__type": "InternalFailure",
                               "message": "fault_proxy could not merge the backend's answer: %s" % error}).encode()
            return 500, None, body, [("Content-Type", JSON_CONTENT_TYPE)], False
        records = []
        it = iter(backend_records)
        for i in range(len(entries)):
            if i in failed:
                records.append({"ErrorCode": failed[i][0], "ErrorMessage": failed[i][1]})
            else:
                records.append(next(it))
        answer["Records"] = records
        answer["FailedRecordCount"] = sum(1 for r in records if isinstance(r, dict) and r.get("ErrorCode"))
        body = json.dumps(answer).encode()
        headers = [(k, v) for k, v in headers if k.lower() not in ("content-md5", "x-amz-crc32")]
        return status, reason, body, headers, True

    def handle_control(self, path, body):
        proxy = self.proxy
        if path == CONTROL_PREFIX and self.command == "POST":
            try:
                proxy.set_script(body.decode("utf-8"))
            except (ScriptError, UnicodeDecodeError) as error:
                log("script rejected: %s" % error)
                self.answer(400, json.dumps({"error": str(error)}).encode(), [("Content-Type", "application/json")])
                return
            self.answer(200, b'{"ok":true}', [("Content-Type", "application/json")])
        elif path == CONTROL_PREFIX and self.command == "GET":
            with proxy.lock:
                text = json.dumps(proxy.script)
            self.answer(200, text.encode(), [("Content-Type", "application/json")])
        elif path == CONTROL_PREFIX + "/stats" and self.command == "GET":
            self.answer(200, proxy.stats_json().encode(), [("Content-Type", "application/json")])
        elif path == CONTROL_PREFIX + "/reset" and self.command == "POST":
            proxy.reset()
            self.answer(200, b'{"ok":true}', [("Content-Type", "application/json")])
        elif path == CONTROL_PREFIX + "/refresh_shards" and self.command == "POST":
            proxy.refresh_shards()
            self.answer(200, b'{"ok":true}', [("Content-Type", "application/json")])
        else:
            self.answer(404, json.dumps({"error": "no control call %s %s" % (self.command, path)}).encode(),
                        [("Content-Type", "application/json")])


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request, client_address):
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, BrokenPipeError, socket.timeout)):
            return  # the client went away: nothing to tell
        log("error handling a request from %s: %r" % (client_address, error))


def main():
    parser = argparse.ArgumentParser(description="Fault-injecting HTTP proxy for Kinesis tests.")
    parser.add_argument("--backend", required=True, help="http://host:port of moto or kinesis-mock")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0: a free one)")
    parser.add_argument("--port-file", help="file the chosen port is written to, as one line")
    args = parser.parse_args()

    Handler.proxy = Proxy(args.backend)
    server = Server(("127.0.0.1", args.port), Handler)
    port = server.server_address[1]

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    if args.port_file:
        temporary = args.port_file + ".tmp"
        with open(temporary, "w") as out:
            out.write("%d\n" % port)
        os.replace(temporary, args.port_file)  # readers never see half a line
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()
    log("listening on 127.0.0.1:%d, backend %s" % (port, args.backend))
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    log("stopped")


if __name__ == "__main__":
    main()
