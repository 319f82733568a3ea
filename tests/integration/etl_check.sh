#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The ingestion lab's ETL end to end (W11-W13) against signature-verifying
# moto: etl-setup (twice), etl-producer, etl-consumer, consumer-from-cli on a
# destination stream, etl-teardown; boto3 (etl_check.py) checks what each step
# left on the servers, not only what the binaries print.
# Usage: etl_check.sh BIN_DIR   (endpoints from scripts/with-endpoints' environment)
set -euo pipefail
bin="$1"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
endpoint="${KINESIS_TEST_MOTO_VERIFY_ENDPOINT:?not set: run through scripts/with-endpoints}"
key_id="${KINESIS_TEST_MOTO_VERIFY_ACCESS_KEY_ID:?not set: run through scripts/with-endpoints}"
secret="${KINESIS_TEST_MOTO_VERIFY_SECRET_ACCESS_KEY:?not set: run through scripts/with-endpoints}"
check_label=etl_check
run_timeout=180
fail_bytes=6000
source "$here/check_lib.sh"
# Unique names, so the check may run beside others on the same servers
# (lower case: bucket names are P-ACCOUNT-usa).
prefix="etl-$uniq"

clean_env AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID="$key_id" \
    AWS_SECRET_ACCESS_KEY="$secret" AWS_ENDPOINT_URL="$endpoint"

expect_lines() {  # expect_lines NAME LINE...: the exact lines, in order, on NAME's stdout
    local name=$1
    shift
    printf '%s\n' "$@" | diff - "$tmp/$name.out" >"$tmp/$name.diff" || fail "$name printed other lines: $(cat "$tmp/$name.diff")"
}

check() {  # check ARGS...: etl_check.py with the same endpoint and keys
    "${run_env[@]}" python3 "$here/etl_check.py" "$@" || fail "etl_check.py $1 failed"
}

fast=(--wait-delay 0.2 --wait-attempts 150)
account=123456789012
usa="$prefix-usa-data-stream"
int="$prefix-international-data-stream"
source_stream="$prefix-kinesis-data-stream"

# W11: everything is created, then found again.
run setup etl-setup --prefix "$prefix" --create-role "${fast[@]}"
expect_rc 0 "etl-setup --create-role"
expect_lines setup "Account ID: $account" "Region: us-east-1" \
    "Bucket $prefix-$account-usa: created" "Bucket $prefix-$account-int: created" \
    "Stream $usa: created (ACTIVE, 2 open shards)" "Stream $int: created (ACTIVE, 2 open shards)" \
    "Role $prefix-firehose-role: created" "Role policy $prefix-firehose-policy: created" \
    "Delivery stream $prefix-firehose-usa: created (ACTIVE)" \
    "Delivery stream $prefix-firehose-international: created (ACTIVE)"
check present "$prefix"

run setup2 etl-setup --prefix "$prefix" --create-role "${fast[@]}"
expect_rc 0 "etl-setup run again"
expect_lines setup2 "Account ID: $account" "Region: us-east-1" \
    "Bucket $prefix-$account-usa: already exists" "Bucket $prefix-$account-int: already exists" \
    "Stream $usa: already exists (ACTIVE, 2 open shards)" "Stream $int: already exists (ACTIVE, 2 open shards)" \
    "Role $prefix-firehose-role: already exists" \
    "Role policy $prefix-firehose-policy: already exists (document rewritten)" \
    "Delivery stream $prefix-firehose-usa: already exists" \
    "Delivery stream $prefix-firehose-international: already exists"
check present "$prefix"

# W12's feed: 60 records, every 7th not JSON (8 of them), on a 2-shard source.
run produce etl-producer --stream "$source_stream" --shards 2 --count 60 --mean-gap 0 --seed 4242 --invalid-every 7
expect_rc 0 "etl-producer"
[[ $(grep -c '^Record sent to shard' "$tmp/produce.out") -eq 52 ]] || fail "expected 52 valid records logged"
[[ $(grep -c '^Invalid record sent to shard' "$tmp/produce.out") -eq 8 ]] || fail "expected 8 invalid records logged"
# --seed makes the sequence reproducible (the stream's sequence numbers aside).
run produce_again etl-producer --stream "$source_stream-seeded" --count 3 --mean-gap 0 --seed 4242
expect_rc 0 "etl-producer --seed 4242 again"
sed 's/.*): //' "$tmp/produce_again.out" >"$tmp/a" && head -3 "$tmp/produce.out" | sed 's/.*): //' >"$tmp/b"
cmp -s "$tmp/a" "$tmp/b" || fail "the same --seed gave other records"
run gap etl-producer --stream "$source_stream-seeded" --count 3 --mean-gap 0.3 --seed 1 --no-create
expect_rc 0 "etl-producer with gaps"
run nocreate etl-producer --stream "$source_stream-missing" --count 1 --mean-gap 0 --no-create
expect_rc 1 "etl-producer --no-create on a missing stream"
grep -q ResourceNotFoundException "$tmp/nocreate.err" || fail "no ResourceNotFoundException for the missing stream"

# W12: the ETL until idle.
dest="{\"USA\": \"$usa\", \"International\": \"$int\"}"
start=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
run consume etl-consumer --source_stream "$source_stream" --dest_streams "$dest" --idle-exit 2
end=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)
expect_rc 0 "etl-consumer --idle-exit 2"
[[ $(grep -c 'skipped record .*: not valid JSON' "$tmp/consume.err") -eq 8 ]] || fail "expected 8 invalid records logged"
check verify "$prefix" "$tmp/produce.out" "$tmp/consume.out" "$start" "$end"

# The destination streams hold nothing more after a second run was stopped:
# --max-records ends a run, and SIGTERM flushes and exits 0 with the counts.
cli() { run "$1" kinesis-cli "${@:2}"; }
for s in "$prefix-sig-usa" "$prefix-sig-int"; do
    cli create create-stream --stream-name "$s" --shard-count 1
    expect_rc 0 "create-stream $s"
done
sig_dest="{\"USA\": \"$prefix-sig-usa\", \"International\": \"$prefix-sig-int\"}"
run limited etl-consumer --source_stream "$source_stream" --dest_streams "$sig_dest" --max-records 10
expect_rc 0 "etl-consumer --max-records 10"
grep -qx 'Records read: 10' "$tmp/limited.out" || fail "--max-records 10 did not stop after 10 records"
"${run_env[@]}" "$bin/etl-consumer" --source_stream "$source_stream" --dest_streams "$sig_dest" \
    >"$tmp/forever.out" 2>"$tmp/forever.err" &
bg_pid=$!
put_so_far() { grep -o ': put [0-9]* record' "$tmp/forever.err" | awk '{ n += $3 } END { print n + 0 }'; }
wait_for 52 put_so_far
kill -0 "$bg_pid" 2>/dev/null || fail "etl-consumer exited by itself"
stop_bg TERM etl-consumer
expect_rc 0 "etl-consumer after SIGTERM"
grep -qx 'Records read: 60' "$tmp/forever.out" || fail "the stopped consumer did not count 60 records"
grep -qx 'Invalid (on no stream): 8' "$tmp/forever.out" || fail "the stopped consumer did not count 8 invalid records"
grep -q 'stopped by signal' "$tmp/forever.err" || fail "no stop message after SIGTERM"

# Bad usage is refused before anything runs.
run baddest etl-consumer --source_stream "$source_stream" --dest_streams '{"USA": "x"}'
expect_rc 2 "etl-consumer without an International stream"
grep -q 'International' "$tmp/baddest.err" || fail "the usage error does not name International"

# W13: W9's consumer prints the transformed records of the USA stream.
usa_count=$(sed -n 's/^Routed to USA ([^)]*): \([0-9]*\) .*/\1/p' "$tmp/consume.out")
run w13 consumer-from-cli --stream "$usa" --poll-interval 0.2 --max-records "$usa_count"
expect_rc 0 "consumer-from-cli on the USA stream"
check cli-output "$prefix" "$tmp/w13.out"

# Teardown: everything goes, a bucket with an object in it included; a second run finds nothing.
check put-object "$prefix-$account-usa" "firehose/2024/01/01/00/left-over"
run teardown etl-teardown --prefix "$prefix" --delete-role --delete-source "${fast[@]}"
expect_rc 0 "etl-teardown"
expect_lines teardown "Account ID: $account" "Region: us-east-1" \
    "Delivery stream $prefix-firehose-usa: deleted" "Delivery stream $prefix-firehose-international: deleted" \
    "Stream $usa: deleted" "Stream $int: deleted" "Stream $source_stream: deleted" \
    "Bucket $prefix-$account-usa: deleted (1 object removed first)" \
    "Bucket $prefix-$account-int: deleted (0 objects removed first)" \
    "Role policy $prefix-firehose-policy: deleted" "Role $prefix-firehose-role: deleted"
check absent "$prefix"
run teardown2 etl-teardown --prefix "$prefix" --delete-role --delete-source "${fast[@]}"
expect_rc 0 "etl-teardown run again"
expect_lines teardown2 "Account ID: $account" "Region: us-east-1" \
    "Delivery stream $prefix-firehose-usa: not found" "Delivery stream $prefix-firehose-international: not found" \
    "Stream $usa: not found" "Stream $int: not found" "Stream $source_stream: not found" \
    "Bucket $prefix-$account-usa: not found" "Bucket $prefix-$account-int: not found" \
    "Role $prefix-firehose-role: not found"
for s in "$prefix-sig-usa" "$prefix-sig-int" "$source_stream-seeded"; do cli del delete-stream --stream-name "$s"; done

cat "$tmp/setup.out" "$tmp/consume.out" "$tmp/teardown.out"
echo "etl_check: ok"
