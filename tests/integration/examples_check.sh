#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the Kinesis example binaries against one local endpoint and checks what
# they print, not only their exit status.
# Usage: examples_check.sh CHECK ENDPOINT BIN_DIR
#   CHECK     quickstart | kinesis_cli | put_record | producer_consumer | kinesis_producer
#   ENDPOINT  moto | kinesis_mock   (addresses from scripts/test's environment)
#   BIN_DIR   where the example binaries are
# Every stream name carries a unique suffix, so checks may run in parallel
# against the same servers.
set -euo pipefail
check="$1"
endpoint_name="$2"
bin="$3"
case "$endpoint_name" in
moto) endpoint="${KINESIS_TEST_MOTO_ENDPOINT:?not set: run through scripts/test}" ;;
kinesis_mock) endpoint="${KINESIS_TEST_KINESIS_MOCK_ENDPOINT:?not set: run through scripts/test}" ;;
*) echo "examples_check: unknown endpoint $endpoint_name" >&2; exit 2 ;;
esac
check_label="examples_check $check ($endpoint_name)"
source "$(dirname "${BASH_SOURCE[0]}")/check_lib.sh"

# kinesis-mock checks only that auth headers are present; moto ignores them.
clean_env AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing \
    AWS_SECRET_ACCESS_KEY=testing AWS_ENDPOINT_URL="$endpoint"

# py NAME 'python code': runs the code with `out` bound to the parsed JSON of
# $tmp/NAME.out; a failed assert fails the check. Prints what the code prints.
py() {
    python3 - "$tmp/$1.out" "$2" <<'EOF' || fail "check on $1 failed"
import base64, json, sys
text = open(sys.argv[1]).read()
out = json.loads(text) if text.strip() else None
exec(sys.argv[2])
EOF
}

# The CLI's layout: 4-space indentation, "key": value.
expect_cli_layout() {
    python3 - "$tmp/$1.out" <<'EOF' || fail "$1 is not laid out as the AWS CLI prints JSON"
import json, sys
text = open(sys.argv[1]).read()
assert text == json.dumps(json.loads(text), indent=4, ensure_ascii=False) + "\n", text
EOF
}

cli() { run "$1" kinesis-cli "${@:2}"; }

create_and_wait() {  # create_and_wait STREAM SHARDS
    cli create "create-stream" --stream-name "$1" --shard-count "$2"
    expect_rc 0 "create-stream $1"
    [[ ! -s "$tmp/create.out" ]] || fail "create-stream printed something"
    cli wait wait stream-exists --stream-name "$1" --delay 0.2 --max-attempts 100
    expect_rc 0 "wait stream-exists $1"
}

check_quickstart() {
    local stream="quickstart-$uniq"
    run quickstart quickstart --stream "$stream" --poll-interval 0.2
    expect_rc 0 "quickstart"
    local out="$tmp/quickstart.out"
    grep -qx "Creating stream $stream with 1 shard in us-east-1" "$out" || fail "no creation line"
    grep -qx "Stream $stream is ACTIVE" "$out" || fail "no ACTIVE status line"
    local seq
    seq=$(sed -n 's/^Put record: ShardId shardId-000000000000, SequenceNumber \([0-9]\{1,\}\)$/\1/p' "$out")
    [[ -n "$seq" ]] || fail "no put record line with a numeric sequence number"
    grep -qx "Shard: shardId-000000000000" "$out" || fail "no shard id line"
    grep -qx "1 record from shardId-000000000000:" "$out" || fail "not exactly one record read"
    grep -qxF "  PartitionKey: partitionkey  Data: {\"key1\": \"value1\", \"key2\": \"value2\"}  SequenceNumber: $seq" \
        "$out" || fail "the record read back differs from the one put"
    grep -qx "Deleted stream $stream" "$out" || fail "no deletion line"
    # Gone (moto) or going (kinesis-mock keeps it DELETING for a moment).
    cli gone describe-stream-summary --stream-name "$stream"
    if [[ $rc -eq 0 ]]; then
        py gone 'assert out["StreamDescriptionSummary"]["StreamStatus"] == "DELETING", out'
    else
        expect_rc 254 "describe-stream-summary after quickstart"
        grep -q "ResourceNotFoundException" "$tmp/gone.err" || fail "stream still there after quickstart"
    fi

    # A stream that exists already: one line naming the error, non-zero status.
    create_and_wait "$stream-taken" 1
    run taken quickstart --stream "$stream-taken" --poll-interval 0.2
    [[ $rc -ne 0 ]] || fail "quickstart succeeded on an existing stream"
    [[ $(wc -l <"$tmp/taken.err") -eq 1 ]] || fail "expected one error line"
    grep -q '^quickstart: .*ResourceInUseException' "$tmp/taken.err" || fail "error does not name ResourceInUseException"
    cli delete delete-stream --stream-name "$stream-taken"
    expect_rc 0 "delete-stream $stream-taken"
    cat "$out"
}

check_kinesis_cli() {
    local stream="DemoStream-$uniq"
    create_and_wait "$stream" 1

    cli list list-streams
    expect_rc 0 "list-streams"
    expect_cli_layout list
    # kinesis-mock leaves StreamSummaries empty; moto fills them in.
    py list "assert '$stream' in out['StreamNames'], out
assert '$endpoint_name' == 'kinesis_mock' or any(
    s['StreamName'] == '$stream' and s['StreamStatus'] == 'ACTIVE' for s in out['StreamSummaries']), out"

    cli summary describe-stream-summary --stream-name "$stream"
    expect_rc 0 "describe-stream-summary"
    expect_cli_layout summary
    py summary "d = out['StreamDescriptionSummary']
assert d['StreamName'] == '$stream' and d['StreamStatus'] == 'ACTIVE', d
assert d['OpenShardCount'] == 1 and d['RetentionPeriodHours'] == 24, d
assert d['StreamARN'].startswith('arn:aws:kinesis:us-east-1:') and d['StreamARN'].endswith(':stream/$stream'), d"

    # The tutorial's four ATM transactions, raw text in.
    local amounts=(200 400 600 900) i
    for i in 1 2 3 4; do
        cli "put$i" put-record --stream-name "$stream" --partition-key 1 --cli-binary-format raw-in-base64-out \
            --data "{\"trans_id\": $i, \"trans_type\": \"ATM\", \"amt\": ${amounts[$((i - 1))]}}"
        expect_rc 0 "put-record $i"
        expect_cli_layout "put$i"
        py "put$i" "assert out['ShardId'] == 'shardId-000000000000', out
assert out['SequenceNumber'].isdigit(), out"
    done

    cli iterator get-shard-iterator --stream-name "$stream" --shard-id shardId-000000000000 \
        --shard-iterator-type TRIM_HORIZON
    expect_rc 0 "get-shard-iterator"
    expect_cli_layout iterator
    local iterator
    iterator=$(py iterator 'print(out["ShardIterator"])')
    [[ -n "$iterator" ]] || fail "empty iterator"

    cli records get-records --shard-iterator "$iterator"
    expect_rc 0 "get-records"
    expect_cli_layout records
    local seqs
    seqs=$(python3 -c 'import json,sys; print(json.dumps([json.load(open(f))["SequenceNumber"] for f in sys.argv[1:]]))' \
        "$tmp"/put{1,2,3,4}.out)
    py records "amts = [200, 400, 600, 900]
want = ['{\"trans_id\": %d, \"trans_type\": \"ATM\", \"amt\": %d}' % (i + 1, amts[i]) for i in range(4)]
got = [base64.b64decode(r['Data']).decode() for r in out['Records']]
assert got == want, got
assert [r['PartitionKey'] for r in out['Records']] == ['1'] * 4, out
assert [r['SequenceNumber'] for r in out['Records']] == $seqs, out
assert out['NextShardIterator'], out
print(out['NextShardIterator'])" >"$tmp/next-iterator"

    # put-records with base64 data, the CLI v2 default; then read on from the next iterator.
    cli batch put-records --stream-name "$stream" \
        --records '[{"Data":"aGVsbG8=","PartitionKey":"k1"},{"Data":"d29ybGQ=","PartitionKey":"k2"}]'
    expect_rc 0 "put-records"
    expect_cli_layout batch
    py batch "assert out['FailedRecordCount'] == 0 and len(out['Records']) == 2, out
assert all(r['ShardId'] == 'shardId-000000000000' and r['SequenceNumber'].isdigit() for r in out['Records']), out"
    cli more get-records --shard-iterator "$(cat "$tmp/next-iterator")" --limit 10
    expect_rc 0 "get-records after put-records"
    py more "assert [base64.b64decode(r['Data']) for r in out['Records']] == [b'hello', b'world'], out
assert [r['PartitionKey'] for r in out['Records']] == ['k1', 'k2'], out"

    # --data without raw-in-base64-out is base64, as the AWS CLI v2 takes it.
    cli b64 put-record --stream-name "$stream" --partition-key 2 --data 'not base64!'
    expect_rc 252 "put-record with data that is not base64"
    grep -q 'Invalid base64' "$tmp/b64.err" || fail "no 'Invalid base64' message"

    cli shards list-shards --stream-name "$stream"
    expect_rc 0 "list-shards"
    expect_cli_layout shards
    py shards "assert [s['ShardId'] for s in out['Shards']] == ['shardId-000000000000'], out
r = out['Shards'][0]['HashKeyRange']
assert r['StartingHashKey'] == '0' and r['EndingHashKey'] == str(2**128 - 1), r"

    cli describe describe-stream --stream-name "$stream"
    expect_rc 0 "describe-stream"
    expect_cli_layout describe
    py describe "d = out['StreamDescription']
assert d['StreamName'] == '$stream' and d['StreamStatus'] == 'ACTIVE' and len(d['Shards']) == 1, d
assert d['HasMoreShards'] is False, d"

    # Tags: add two, remove one.
    cli tag add-tags-to-stream --stream-name "$stream" --tags env=test,team=atm
    expect_rc 0 "add-tags-to-stream"
    cli tags list-tags-for-stream --stream-name "$stream"
    expect_rc 0 "list-tags-for-stream"
    expect_cli_layout tags
    py tags "assert sorted((t['Key'], t['Value']) for t in out['Tags']) == [('env', 'test'), ('team', 'atm')], out
assert out['HasMoreTags'] is False, out"
    cli untag remove-tags-from-stream --stream-name "$stream" --tag-keys env
    expect_rc 0 "remove-tags-from-stream"
    cli tags2 list-tags-for-stream --stream-name "$stream"
    py tags2 "assert [(t['Key'], t['Value']) for t in out['Tags']] == [('team', 'atm')], out"

    # Retention: 24 h by default, can be increased (and decreased again).
    cli up increase-stream-retention-period --stream-name "$stream" --retention-period-hours 48
    expect_rc 0 "increase-stream-retention-period"
    cli wait2 wait stream-exists --stream-name "$stream" --delay 0.2 --max-attempts 100
    cli summary2 describe-stream-summary --stream-name "$stream"
    py summary2 "assert out['StreamDescriptionSummary']['RetentionPeriodHours'] == 48, out"
    cli down decrease-stream-retention-period --stream-name "$stream" --retention-period-hours 24
    expect_rc 0 "decrease-stream-retention-period"
    cli wait3 wait stream-exists --stream-name "$stream" --delay 0.2 --max-attempts 100

    # Scaling: update-shard-count, then split and merge on a stream of their own.
    cli scale update-shard-count --stream-name "$stream" --target-shard-count 2 --scaling-type UNIFORM_SCALING
    expect_rc 0 "update-shard-count"
    expect_cli_layout scale
    py scale "assert out['StreamName'] == '$stream', out
assert out['CurrentShardCount'] == 1 and out['TargetShardCount'] == 2, out"
    cli wait4 wait stream-exists --stream-name "$stream" --delay 0.2 --max-attempts 100
    expect_rc 0 "wait after update-shard-count"

    local split="Split-$uniq"
    create_and_wait "$split" 1
    cli split split-shard --stream-name "$split" --shard-to-split shardId-000000000000 \
        --new-starting-hash-key 170141183460469231731687303715884105728
    expect_rc 0 "split-shard"
    cli wait5 wait stream-exists --stream-name "$split" --delay 0.2 --max-attempts 100
    cli shards2 list-shards --stream-name "$split"
    expect_rc 0 "list-shards after split"
    # Both endpoints list the parent and its two children (kinesis-mock also closes the parent).
    py shards2 "ids = [s['ShardId'] for s in out['Shards']]
assert ids == ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002'], ids
kids = out['Shards'][1:]
assert all(s['ParentShardId'] == 'shardId-000000000000' for s in kids), kids
assert kids[1]['HashKeyRange']['StartingHashKey'] == '170141183460469231731687303715884105728', kids"
    cli merge merge-shards --stream-name "$split" --shard-to-merge shardId-000000000001 \
        --adjacent-shard-to-merge shardId-000000000002
    expect_rc 0 "merge-shards"
    cli wait6 wait stream-exists --stream-name "$split" --delay 0.2 --max-attempts 100
    cli shards3 list-shards --stream-name "$split"
    py shards3 "s = out['Shards'][-1]
assert len(out['Shards']) == 4 and s['ParentShardId'] == 'shardId-000000000001', out
assert s['AdjacentParentShardId'] == 'shardId-000000000002', s
assert s['HashKeyRange'] == {'StartingHashKey': '0', 'EndingHashKey': str(2**128 - 1)}, s"

    # Errors as the AWS CLI prints them.
    cli missing describe-stream --stream-name "NoSuchStream-$uniq"
    expect_rc 254 "describe-stream of a missing stream"
    [[ ! -s "$tmp/missing.out" ]] || fail "printed something on stdout for a service error"
    grep -q "^An error occurred (ResourceNotFoundException) when calling the DescribeStream operation: ." \
        "$tmp/missing.err" || fail "service error not printed as the AWS CLI does"
    cli usage create-stream --shard-count 1
    expect_rc 252 "create-stream without --stream-name"
    grep -q -- "--stream-name" "$tmp/usage.err" || fail "usage error does not name --stream-name"
    cli badcmd no-such-command
    expect_rc 252 "an unknown command"
    cli badtype get-shard-iterator --stream-name "$stream" --shard-id shardId-000000000000 --shard-iterator-type OLDEST
    expect_rc 252 "an unknown iterator type"
    cli typo list-streams --limitt 3
    expect_rc 252 "an unknown option"
    cli badkey put-record --stream-name "$stream" --partition-key "$(printf 'k%.0s' {1..257})" \
        --cli-binary-format raw-in-base64-out --data x
    expect_rc 252 "a partition key of 257 characters"
    grep -q "partition_key" "$tmp/badkey.err" || fail "validation error does not name the field"

    local s
    for s in "$stream" "$split"; do
        cli delete delete-stream --stream-name "$s"
        expect_rc 0 "delete-stream $s"
        cli wait7 wait stream-not-exists --stream-name "$s" --delay 0.2 --max-attempts 100
        expect_rc 0 "wait stream-not-exists $s"
    done
    cli list2 list-streams
    py list2 "assert '$stream' not in out['StreamNames'], out"
    cat "$tmp/records.out"
}

check_put_record() {
    local stream="emi-kinesis-stream-$uniq"
    create_and_wait "$stream" 1
    run put put-record --stream "$stream"
    expect_rc 0 "put-record"
    local seq
    seq=$(sed -n 's/^Record added successfully: ShardId shardId-000000000000, SequenceNumber \([0-9]\{1,\}\), EncryptionType NONE$/\1/p' \
        "$tmp/put.out")
    [[ -n "$seq" ]] || fail "no success line with ShardId, SequenceNumber and EncryptionType"
    cli iterator get-shard-iterator --stream-name "$stream" --shard-id shardId-000000000000 \
        --shard-iterator-type AT_SEQUENCE_NUMBER --starting-sequence-number "$seq"
    expect_rc 0 "get-shard-iterator AT_SEQUENCE_NUMBER"
    cli records get-records --shard-iterator "$(py iterator 'print(out["ShardIterator"])')"
    py records "r = out['Records'][0]
assert base64.b64decode(r['Data']) == b'Hello, Emi' and r['PartitionKey'] == 'PartitionKey1', r
assert r['SequenceNumber'] == '$seq', r"

    run missing put-record --stream "no-such-stream-$uniq"
    expect_rc 1 "put-record to a missing stream"
    [[ ! -s "$tmp/missing.out" ]] || fail "printed a result for a failed put"
    grep -q '^Error adding record to Kinesis: .*ResourceNotFoundException' "$tmp/missing.err" ||
        fail "no error line naming ResourceNotFoundException"
    cli delete delete-stream --stream-name "$stream"
    expect_rc 0 "delete-stream $stream"
    cat "$tmp/put.out" "$tmp/missing.err"
}

check_producer_consumer() {
    local stream="de-c2w2lab1-kinesis-data-stream-cli-$uniq"
    create_and_wait "$stream" 2

    # An empty stream: the consumer prints nothing and keeps waiting (here until --idle-exit).
    run empty consumer-from-cli --stream "$stream" --poll-interval 0.2 --idle-exit 1
    expect_rc 0 "consumer on an empty stream"
    [[ ! -s "$tmp/empty.out" ]] || fail "the consumer printed something for an empty stream"

    # The lab's sample record, then five more sessions (spread over both shards).
    run produce0 producer-from-cli --stream "$stream"
    expect_rc 0 "producer-from-cli with the sample record"
    grep -Eqx 'Record sent to shard shardId-00000000000[01] with sequence number [0-9]+ \(partition key a1\)' \
        "$tmp/produce0.out" || fail "no result line for the sample record"
    local i
    for i in 1 2 3 4 5; do
        run "produce$i" producer-from-cli --stream "$stream" \
            --json_string "{\"session_id\": \"s$i\", \"customer_number\": $i, \"country\": \"USA\"}"
        expect_rc 0 "producer-from-cli session s$i"
    done

    run consume consumer-from-cli --stream "$stream" --poll-interval 0.2 --max-records 6
    expect_rc 0 "consumer-from-cli --max-records 6"
    python3 - "$tmp/consume.out" <<'EOF' || fail "the consumer did not print each record exactly once"
import json, re, sys
lines = open(sys.argv[1]).read().splitlines()
assert len(lines) == 6, lines
sessions = []
for line in lines:
    m = re.fullmatch(r"(shardId-00000000000[01]) (\d+) (\S+): (.*)", line)
    assert m, line
    record = json.loads(m.group(4))
    assert record["session_id"] == m.group(3), line
    sessions.append(record["session_id"])
assert sorted(sessions) == ["a1", "s1", "s2", "s3", "s4", "s5"], sessions
sample = [json.loads(l.split(": ", 1)[1]) for l in lines if " a1: " in l][0]
assert sample["browse_history"][0]["product_code"] == "Product1", sample
EOF

    # Bad input: no session_id, not JSON.
    run nosession producer-from-cli --stream "$stream" --json_string '{"customer_number": 1}'
    expect_rc 1 "producer-from-cli without session_id"
    grep -q 'session_id' "$tmp/nosession.err" || fail "error does not name session_id"
    run notjson producer-from-cli --stream "$stream" --json_string '{"session_id": '
    expect_rc 1 "producer-from-cli with broken JSON"
    grep -q 'not valid JSON' "$tmp/notjson.err" || fail "error does not say the JSON is invalid"
    run nostream producer-from-cli --stream "no-such-stream-$uniq"
    expect_rc 1 "producer-from-cli to a missing stream"
    grep -q 'ResourceNotFoundException' "$tmp/nostream.err" || fail "error does not name ResourceNotFoundException"

    # SIGTERM and SIGINT end a consumer that would otherwise poll forever, with status 0.
    local sig
    for sig in TERM INT; do
        "${run_env[@]}" "$bin/consumer-from-cli" --stream "$stream" --poll-interval 0.2 \
            >"$tmp/forever-$sig.out" 2>"$tmp/forever-$sig.err" &
        bg_pid=$!
        wait_for 6 lines "$tmp/forever-$sig.out"
        kill -0 "$bg_pid" 2>/dev/null || fail "consumer-from-cli exited by itself"
        [[ $(lines "$tmp/forever-$sig.out") -eq 6 ]] || fail "consumer-from-cli did not print the 6 records"
        stop_bg "$sig" consumer-from-cli
        expect_rc 0 "consumer-from-cli after SIG$sig"
        grep -q 'stopped by signal' "$tmp/forever-$sig.err" || fail "no stop message after SIG$sig"
    done
    # A stop signal ends the consumer within 300 ms, whatever it is waiting on:
    # its round's pause (--poll-interval 30), or a retry backoff of its calls
    # (a port that refuses connections, AWS_MAX_ATTEMPTS=20: the standard mode
    # waits up to seconds between attempts).
    local case ms t0
    for case in pause backoff; do
        if [[ $case == pause ]]; then
            "${run_env[@]}" "$bin/consumer-from-cli" --stream "$stream" --poll-interval 30 \
                >"$tmp/stop-$case.out" 2>"$tmp/stop-$case.err" &
            bg_pid=$!
            wait_for 6 lines "$tmp/stop-$case.out"
            sleep 0.5
        else
            "${run_env[@]}" AWS_MAX_ATTEMPTS=20 "$bin/consumer-from-cli" --stream "$stream" \
                --endpoint-url http://127.0.0.1:1 >"$tmp/stop-$case.out" 2>"$tmp/stop-$case.err" &
            bg_pid=$!
            sleep 2
        fi
        kill -0 "$bg_pid" 2>/dev/null || fail "consumer-from-cli ($case) exited by itself"
        # `wait` returns the moment it exits (stop_bg polls once a second); a
        # watchdog kills it if it never does.
        (sleep 20 && kill -KILL "$bg_pid" 2>/dev/null) &
        local watchdog=$!
        t0=$(date +%s%N)
        kill -INT "$bg_pid"
        rc=0
        wait "$bg_pid" || rc=$?
        ms=$(( ($(date +%s%N) - t0) / 1000000 ))
        kill "$watchdog" 2>/dev/null || true
        bg_pid=
        expect_rc 0 "consumer-from-cli after SIGINT during its $case"
        grep -q 'stopped by signal' "$tmp/stop-$case.err" || fail "no stop message after SIGINT during its $case"
        echo "consumer-from-cli: exited $ms ms after SIGINT during its $case" >&2
        (( ms <= 300 )) || fail "consumer-from-cli took $ms ms to exit after SIGINT during its $case (at most 300)"
    done
    # Errors do not end it: the stream disappears under a running consumer,
    # which logs the failures, backs off and keeps polling until SIGTERM.
    "${run_env[@]}" "$bin/consumer-from-cli" --stream "$stream" --poll-interval 0.2 \
        >"$tmp/survivor.out" 2>"$tmp/survivor.err" &
    bg_pid=$!
    wait_for 6 lines "$tmp/survivor.out"
    [[ $(lines "$tmp/survivor.out") -eq 6 ]] || fail "consumer-from-cli did not print the 6 records"
    cli delete delete-stream --stream-name "$stream"
    expect_rc 0 "delete-stream $stream"
    wait_for 1 grep -c 'ResourceNotFoundException' "$tmp/survivor.err"
    grep -q 'ResourceNotFoundException' "$tmp/survivor.err" || fail "no error logged after the stream was deleted"
    sleep 1
    kill -0 "$bg_pid" 2>/dev/null || fail "consumer-from-cli died on an error"
    stop_bg TERM consumer-from-cli 40
    expect_rc 0 "consumer-from-cli after errors and SIGTERM"
    cat "$tmp/consume.out"
}

# kinesis-producer's JSON line, as a python dict bound to `out` by py().
producer_json() {  # producer_json NAME: $tmp/NAME.out is exactly one JSON line with the seven counts
    py "$1" "assert text.count('\n') == 1 and text.endswith('\n'), text
assert list(out) == ['user_records', 'succeeded', 'failed', 'kinesis_records', 'put_records_calls', 'retries',
                     'seconds'], out
assert out['succeeded'] + out['failed'] == out['user_records'], out"
}

# read_back STREAM SENT KEYS AGGREGATION: the stream holds exactly SENT's records (kinesis_producer_check.py).
read_back() {
    "${run_env[@]}" python3 "$(dirname "${BASH_SOURCE[0]}")/kinesis_producer_check.py" "$@" >>"$tmp/read-back.log" ||
        fail "read-back of $1 ($3, aggregation $4) failed"
    tail -n 1 "$tmp/read-back.log"
}

check_kinesis_producer() {
    local stream="kinesis-producer-$uniq"

    # 5,000 generated records into a new 4-shard stream: aggregated, far fewer Kinesis records.
    run gen kinesis-producer --stream "$stream" --generate 5000 --size 100 --create-shards 4
    expect_rc 0 "kinesis-producer --generate 5000 --create-shards 4"
    producer_json gen
    py gen "assert out['user_records'] == 5000 and out['succeeded'] == 5000 and out['failed'] == 0, out
assert 0 < out['kinesis_records'] < 5000 / 20, out
assert out['put_records_calls'] >= 1 and out['seconds'] > 0, out"
    grep -q "stream $stream is ACTIVE with 4 open shards" "$tmp/gen.err" || fail "no line saying the stream has 4 shards"
    [[ $(grep -c . "$tmp/gen.err" || true) -eq 1 ]] || fail "kinesis-producer printed more than its stream line on stderr"
    python3 -c 'import sys
for i in range(5000):
    d = "%d " % i
    print((d + chr(97 + i % 26) * 100)[:100])' >"$tmp/gen.sent"
    read_back "$stream" "$tmp/gen.sent" random yes
    grep -q "on 4 shards," "$tmp/read-back.log" || fail "the stream does not have 4 shards"

    # Stdin, partition key = the line: UTF-8, a CRLF line, an empty line (skipped).
    local lines="$stream-lines"
    cli create-lines create-stream --stream-name "$lines" --shard-count 2
    expect_rc 0 "create-stream $lines"
    cli wait-lines wait stream-exists --stream-name "$lines" --delay 0.2 --max-attempts 100
    { for i in $(seq 1 1500); do echo "line-$i"; done
      printf 'Grüße aus Köln\n\nwindows line\r\nno newline at the end'; } >"$tmp/lines.sent"
    run lines kinesis-producer --stream "$lines" --partition-key line <"$tmp/lines.sent"
    expect_rc 0 "kinesis-producer --partition-key line"
    producer_json lines
    py lines "assert out['user_records'] == 1503 and out['succeeded'] == 1503 and out['failed'] == 0, out"
    read_back "$lines" "$tmp/lines.sent" line yes

    # Stdin, partition key = a JSON member; three lines without it fail, named by line number.
    local json="$stream-json"
    run json-create kinesis-producer --stream "$json" --create-shards 2 --generate 0
    expect_rc 0 "kinesis-producer --create-shards 2 --generate 0"
    py json-create "assert out['user_records'] == 0 and out['kinesis_records'] == 0, out"
    { for i in $(seq 1 700); do echo "{\"user\": \"u$((i % 37))\", \"n\": $i, \"note\": \"é\"}"; done
      echo 'not json'; echo '{"name": "no user"}'; echo '{"user": 17}'; echo '["user"]'
      echo '{"user": "last", "nested": {"user": "inner"}}'; } >"$tmp/json.sent"
    run json kinesis-producer --stream "$json" --partition-key json:user <"$tmp/json.sent"
    expect_rc 1 "kinesis-producer --partition-key json:user with 4 lines lacking it"
    producer_json json
    py json "assert out['user_records'] == 705 and out['succeeded'] == 701 and out['failed'] == 4, out"
    local n
    for n in 701 702 703 704; do
        grep -q "^kinesis-producer: line $n: .*not put$" "$tmp/json.err" || fail "no error naming line $n"
    done
    grep -q 'line 701: not valid JSON' "$tmp/json.err" || fail "line 701 is not said to be invalid JSON"
    grep -q 'line 702: no member "user"' "$tmp/json.err" || fail "line 702 is not said to lack user"
    grep -q 'line 703: member "user" is not a string' "$tmp/json.err" || fail "line 703 is not said to have no string"
    read_back "$json" "$tmp/json.sent" json:user yes

    # Without aggregation every user record is a Kinesis record.
    local raw="$stream-raw"
    run raw kinesis-producer --stream "$raw" --generate 600 --size 40 --no-aggregation --create-shards 3 \
        --max-buffered-time 20 --rate-limit 100 --buffer-mib 1
    expect_rc 0 "kinesis-producer --no-aggregation"
    producer_json raw
    py raw "assert out['user_records'] == 600 and out['succeeded'] == 600 and out['failed'] == 0, out
assert out['kinesis_records'] == out['user_records'], out
assert out['put_records_calls'] >= 2, out"
    python3 -c 'import sys
for i in range(600):
    d = "%d " % i
    print((d + chr(97 + i % 26) * 40)[:40])' >"$tmp/raw.sent"
    read_back "$raw" "$tmp/raw.sent" random no

    # Nothing answers: every record fails by its TTL, the JSON line says so, status 1.
    run down kinesis-producer --stream "$stream" --generate 50 --record-ttl 1 --endpoint-url http://127.0.0.1:1
    expect_rc 1 "kinesis-producer against an endpoint that refuses connections"
    producer_json down
    py down "assert out['user_records'] == 50 and out['succeeded'] == 0 and out['failed'] == 50, out
assert out['kinesis_records'] == 0 and 1 <= out['seconds'] < 10, out"
    grep -q 'records failed after put: Expired 50' "$tmp/down.err" || fail "the failures are not counted by code"

    # A missing stream is an error unless --create-shards.
    run missing kinesis-producer --stream "no-such-stream-$uniq" --generate 1
    expect_rc 1 "kinesis-producer to a missing stream"
    grep -q 'does not exist (--create-shards N creates it)' "$tmp/missing.err" || fail "no missing-stream error"
    [[ ! -s "$tmp/missing.out" ]] || fail "printed a JSON line for a missing stream"

    # Bad usage: status 2, the message and the usage on stderr, nothing on stdout.
    local i=0 args
    for args in "--generate 1" "--stream $stream --partition-key hash" "--stream $stream --partition-key json:" \
        "--stream $stream --size 10" "--stream $stream --generate ten" "--stream $stream --generate 1 --size 0" \
        "--stream $stream --generate 1 --partition-key json:user" "--stream $stream --rate-limit 0" \
        "--stream $stream --record-ttl 0" "--stream $stream --buffer-mib" "--stream $stream --colour" \
        "--stream $stream extra"; do
        i=$((i + 1))
        # shellcheck disable=SC2086  # each case is a word list
        run "usage$i" kinesis-producer $args
        expect_rc 2 "kinesis-producer $args"
        grep -q '^usage: kinesis-producer' "$tmp/usage$i.err" || fail "no usage text for: $args"
        [[ ! -s "$tmp/usage$i.out" ]] || fail "printed something on stdout for: $args"
    done
    run help kinesis-producer --help
    expect_rc 0 "kinesis-producer --help"
    grep -q 'json:FIELD' "$tmp/help.out" || fail "--help does not describe json:FIELD"

    # SIGINT while stdin stays open: the reading stops, what was read is flushed, the JSON line printed.
    mkfifo "$tmp/fifo"
    "${run_env[@]}" "$bin/kinesis-producer" --stream "$lines" --partition-key line <"$tmp/fifo" \
        >"$tmp/sigint.out" 2>"$tmp/sigint.err" &
    bg_pid=$!
    exec 3>"$tmp/fifo"
    for i in $(seq 1 120); do echo "after-$i" >&3; done
    sleep 1.5
    kill -0 "$bg_pid" 2>/dev/null || fail "kinesis-producer exited with stdin still open"
    stop_bg INT kinesis-producer
    exec 3>&-
    expect_rc 0 "kinesis-producer after SIGINT"
    producer_json sigint
    py sigint "assert out['user_records'] == 120 and out['succeeded'] == 120 and out['failed'] == 0, out"
    grep -q 'stopped by signal after 120 records' "$tmp/sigint.err" || fail "no stop message after SIGINT"
    { cat "$tmp/lines.sent"; echo; for i in $(seq 1 120); do echo "after-$i"; done; } >"$tmp/lines2.sent"
    read_back "$lines" "$tmp/lines2.sent" line yes

    local s
    for s in "$stream" "$lines" "$json" "$raw"; do
        cli delete delete-stream --stream-name "$s"
        expect_rc 0 "delete-stream $s"
    done
    cat "$tmp/gen.out" "$tmp/read-back.log"
}

"check_$check"
echo "examples_check $check ($endpoint_name): ok"
