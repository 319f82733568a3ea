#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the call-events producer (W6) and consumer (W7) end to end and reads
# back what they wrote: the stream's records through boto3, every S3 object
# through boto3, compared with what the producer logged.
# Usage: callevents_check.sh CHECK BIN_DIR
#   imds_moto               plain moto; the binaries get no key at all, so their
#                           credentials can only come from moto's instance
#                           metadata endpoint (the default chain's last step)
#   policy_verifying_moto   signature-verifying moto; the binaries run as an IAM
#                           user holding only the original role's policy
#   reshard_kinesis_mock    kinesis-mock for the stream, moto for S3: a shard
#                           split under a running consumer
# Stream, bucket and user names carry a unique suffix.
set -euo pipefail
check="$1"
bin="$2"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
check_label="callevents_check $check"
fail_bytes=6000
source "$here/check_lib.sh"
stream="AForB_callevents-$uniq"
bucket="aforb-consumer-data-$uniq"
prefix="mandir-event-records/"

case "$check" in
imds_moto)
    endpoint="${KINESIS_TEST_MOTO_ENDPOINT:?not set: run through scripts/test}"
    admin_key=testing
    admin_secret=testing
    # No key, no profile, no region: credentials from IMDS, region eu-north-1 by default.
    clean_env AWS_ENDPOINT_URL="$endpoint" AWS_EC2_METADATA_SERVICE_ENDPOINT="$endpoint" \
        AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none"
    ;;
reshard_kinesis_mock)
    endpoint="${KINESIS_TEST_MOTO_ENDPOINT:?not set: run through scripts/test}"
    kinesis_endpoint="${KINESIS_TEST_KINESIS_MOCK_ENDPOINT:?not set: run through scripts/test}"
    admin_key=testing
    admin_secret=testing
    clean_env AWS_ENDPOINT_URL_KINESIS="$kinesis_endpoint" AWS_ENDPOINT_URL_S3="$endpoint" \
        AWS_EC2_METADATA_DISABLED=true AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing \
        AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none"
    ;;
policy_verifying_moto)
    endpoint="${KINESIS_TEST_MOTO_VERIFY_ENDPOINT:?not set: run through scripts/test}"
    admin_key="${KINESIS_TEST_MOTO_VERIFY_ACCESS_KEY_ID:?not set: run through scripts/test}"
    admin_secret="${KINESIS_TEST_MOTO_VERIFY_SECRET_ACCESS_KEY:?not set: run through scripts/test}"
    run_env=()  # set once the user's key exists
    ;;
*) echo "callevents_check: unknown check $check" >&2; exit 2 ;;
esac

# user_env KEY SECRET: run the binaries as that IAM user.
user_env() {
    clean_env AWS_ENDPOINT_URL="$endpoint" AWS_EC2_METADATA_DISABLED=true \
        AWS_ACCESS_KEY_ID="$1" AWS_SECRET_ACCESS_KEY="$2" \
        AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none"
}

# py [KEY_ID SECRET] COMMAND ARGS...: callevents_check.py with a key (the admin's by default).
py_as() {
    local key=$1 secret=$2
    shift 2
    CHECK_ENDPOINT="$endpoint" CHECK_KINESIS_ENDPOINT="${kinesis_endpoint:-$endpoint}" CHECK_KEY_ID="$key" \
        CHECK_SECRET="$secret" AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null python3 "$here/callevents_check.py" "$@" ||
        fail "callevents_check.py $1 failed"
}
py() { py_as "$admin_key" "$admin_secret" "$@"; }

# The producer's summary: "records per shard:" then "  shardId-...: N" lines.
expect_per_shard() {  # expect_per_shard NAME EACH TOTAL
    python3 - "$tmp/$1.out" "$2" "$3" <<'EOF' || fail "$1: per-shard counts are not as expected"
import re, sys
text, each, total = open(sys.argv[1]).read(), int(sys.argv[2]), int(sys.argv[3])
counts = dict(re.findall(r"^  (shardId-\d{12}): (\d+)$", text.split("records per shard:\n")[1], re.M))
assert len(counts) == 4, counts
assert all(int(n) > 0 for n in counts.values()), counts
if each:
    assert all(int(n) == each for n in counts.values()), counts
puts = re.findall(r"^(shardId-\d{12}) \d+ [0-9a-f-]{36} \{", text, re.M)
assert len(puts) == sum(int(n) for n in counts.values()), (len(puts), counts)
assert all(puts.count(s) == int(n) for s, n in counts.items()), counts
assert f"total: {total} sent, 0 failed" in text or total < 0, text
print("per shard:", counts)
EOF
}

# The producer then the consumer on a fresh stream; everything read back.
# COUNT events, every BAD-th with a user_id that is not a number, then a record
# that is not JSON and one without user.user_id put beside them.
produce_consume_compare() {  # produce_consume_compare COUNT BAD KEY SECRET
    local count=$1 bad=$2 key=$3 secret=$4
    run produce callevents-producer --stream "$stream" --count "$count" --rate 50 \
        --bad-user-id-every "$bad" --wait-delay 0.2
    expect_rc 0 "callevents-producer --count $count"
    grep -q "created stream $stream with 4 shards" "$tmp/produce.err" || fail "no line saying the stream was created"
    expect_per_shard produce $((count / 4)) "$count"

    # Records the producer cannot make, written with the same key.
    local not_json='not JSON {"user": {"user_id": "1"' no_user='{"event": {"property": {"call_id": "x"}}, "user": {}}'
    py_as "$key" "$secret" put-raw "$stream" k1 "$not_json" >/dev/null
    py_as "$key" "$secret" put-raw "$stream" k2 "$no_user" >/dev/null
    py check-stream "$stream" "$tmp/produce.out" 2

    run consume callevents-consumer --stream "$stream" --bucket "$bucket" --poll-interval 0.2 \
        --max-records $((count + 2))
    expect_rc 0 "callevents-consumer --max-records $((count + 2))"
    grep -q "reading 4 shards of $stream into s3://$bucket/$prefix" "$tmp/consume.err" ||
        fail "the consumer does not say it reads the 4 shards"
    local bad_count=$((count / bad))
    [[ $(grep -c 'user.user_id "u[0-9]*x" is not a number; stored unchanged$' "$tmp/consume.err") -eq $bad_count ]] ||
        fail "expected $bad_count log lines for non-numeric user_ids"
    grep -q ': not JSON (.*); stored unchanged$' "$tmp/consume.err" || fail "the record that is not JSON was not logged"
    grep -q ': no user.user_id; stored unchanged$' "$tmp/consume.err" || fail "the record without user_id was not logged"
    py check-objects "$bucket" "$prefix" "$tmp/produce.out" "$tmp/consume.out" "$not_json" "$no_user"

    # A second run reads the stream again from TRIM_HORIZON, rewrites the same
    # keys (no duplicates) and ends by --idle-exit.
    run reconsume callevents-consumer --stream "$stream" --bucket "$bucket" --poll-interval 0.2 --idle-exit 1
    expect_rc 0 "callevents-consumer --idle-exit 1"
    grep -q 'no new record for 1000 ms; exiting' "$tmp/reconsume.err" || fail "no idle-exit message"
    py check-objects "$bucket" "$prefix" "$tmp/produce.out" "$tmp/reconsume.out" "$not_json" "$no_user"
}

check_imds_moto() {
    py create-bucket "$bucket"
    produce_consume_compare 40 7 "$admin_key" "$admin_secret"

    # With the metadata endpoint switched off nothing else supplies a key: the
    # runs above had their credentials from it.
    run_env+=(AWS_EC2_METADATA_DISABLED=true)
    run nocreds callevents-producer --stream "$stream" --count 1
    expect_rc 1 "callevents-producer without any credentials"
    grep -q 'Credentials' "$tmp/nocreds.err" || fail "no credentials error without IMDS"
    unset 'run_env[${#run_env[@]}-1]'

    # SIGTERM and SIGINT end the endless producer and consumer with status 0
    # and their summaries.
    local sig
    for sig in TERM INT; do
        : >"$tmp/forever-$sig.out"
        "${run_env[@]}" "$bin/callevents-producer" --stream "$stream" --rate 20 \
            >"$tmp/forever-$sig.out" 2>"$tmp/forever-$sig.err" &
        bg_pid=$!
        wait_for 8 grep -c '^shardId' "$tmp/forever-$sig.out"
        stop_bg "$sig" callevents-producer
        expect_rc 0 "callevents-producer after SIG$sig"
        grep -q 'stopped by signal' "$tmp/forever-$sig.err" || fail "producer: no stop message after SIG$sig"
        grep -q "stream $stream exists (ACTIVE, 4 shards listed)" "$tmp/forever-$sig.err" ||
            fail "producer: an existing stream was not found as it is"
        expect_per_shard "forever-$sig" 0 -1

        : >"$tmp/consumer-$sig.out"
        "${run_env[@]}" "$bin/callevents-consumer" --stream "$stream" --bucket "$bucket" --prefix "again-$sig/" \
            --poll-interval 0.2 >"$tmp/consumer-$sig.out" 2>"$tmp/consumer-$sig.err" &
        bg_pid=$!
        wait_for 20 lines "$tmp/consumer-$sig.out"
        kill -0 "$bg_pid" 2>/dev/null || fail "callevents-consumer exited by itself"
        stop_bg "$sig" callevents-consumer
        expect_rc 0 "callevents-consumer after SIG$sig"
        grep -q 'stopped by signal' "$tmp/consumer-$sig.err" || fail "consumer: no stop message after SIG$sig"
        grep -q 'stored [0-9]* records (.*); per shard: shardId' "$tmp/consumer-$sig.err" ||
            fail "consumer: no summary after SIG$sig"
    done

    # A bucket that does not exist: the consumer says which record it could not
    # store and exits 1 rather than dropping it.
    run nobucket callevents-consumer --stream "$stream" --bucket "no-such-bucket-$uniq" --poll-interval 0.2 \
        --idle-exit 5
    expect_rc 1 "callevents-consumer with a missing bucket"
    grep -q 'could not store s3://no-such-bucket-.*NoSuchBucket' "$tmp/nobucket.err" ||
        fail "no error naming the record and NoSuchBucket"
    cat "$tmp/produce.err" "$tmp/consume.err"
}

# kinesis-mock for the stream (moto routes records to a split's closed parent
# as well as its children) and moto for S3, through the per-service endpoint
# variables.
check_reshard_kinesis_mock() {
    py create-bucket "$bucket"
    run produce callevents-producer --stream "$stream" --count 8 --rate 50 --wait-delay 0.2
    expect_rc 0 "callevents-producer --count 8 on kinesis-mock"
    expect_per_shard produce 2 8

    # A shard split under a running consumer: it reads the closed parent to its
    # end, then the two children, where the producer's next events land.
    : >"$tmp/resharded.out"
    "${run_env[@]}" "$bin/callevents-consumer" --stream "$stream" --bucket "$bucket" --prefix "resharded/" \
        --poll-interval 0.2 >"$tmp/resharded.out" 2>"$tmp/resharded.err" &
    bg_pid=$!
    local before
    before=$(py count-records "$stream")
    wait_for "$before" lines "$tmp/resharded.out"
    [[ $(lines "$tmp/resharded.out") -eq $before ]] || fail "the consumer did not store the $before records"
    py split "$stream" shardId-000000000000
    run split-produce callevents-producer --stream "$stream" --count 10 --rate 50
    expect_rc 0 "callevents-producer after a split"
    grep -q "is ACTIVE with 5 open shards" "$tmp/split-produce.err" || fail "the producer does not see 5 open shards"
    grep -q '^  shardId-000000000004: 2$' "$tmp/split-produce.out" || fail "no 2 records on the first child"
    grep -q '^  shardId-000000000005: 2$' "$tmp/split-produce.out" || fail "no 2 records on the second child"
    wait_for $((before + 10)) lines "$tmp/resharded.out"
    stop_bg TERM callevents-consumer
    expect_rc 0 "callevents-consumer across a split, after SIGTERM"
    [[ $(lines "$tmp/resharded.out") -eq $((before + 10)) ]] || fail "the consumer did not store the 10 new records"
    grep -q 'shardId-000000000000 is closed and read to its end' "$tmp/resharded.err" ||
        fail "the consumer did not reach the parent's end"
    [[ $(grep -c '^shardId-00000000000[45] ' "$tmp/resharded.out") -eq 4 ]] ||
        fail "the consumer did not store the 4 records of the children"
    cat "$tmp/split-produce.out" "$tmp/resharded.err"
}

check_policy_verifying_moto() {
    local user="callevents-$uniq" key secret
    py create-user "$user" "$tmp/user.key"
    read -r key secret <"$tmp/user.key"
    py create-bucket "$bucket"
    # The policy is enforced for this key, so the runs below prove the
    # binaries need nothing beyond it.
    py_as "$key" "$secret" expect-denied >"$tmp/denied.out"
    user_env "$key" "$secret"
    produce_consume_compare 12 5 "$key" "$secret"

    # The same policy without s3:PutObject: the consumer cannot store the
    # first record, names it and the denial, and exits 1.
    local key2 secret2
    py create-user "$user-noput" "$tmp/user2.key" s3:PutObject
    read -r key2 secret2 <"$tmp/user2.key"
    user_env "$key2" "$secret2"
    run noput callevents-consumer --stream "$stream" --bucket "$bucket" --prefix "noput/" --poll-interval 0.2 \
        --idle-exit 5
    expect_rc 1 "callevents-consumer without s3:PutObject"
    grep -q "could not store s3://$bucket/noput/shardId-[0-9]*/[0-9]*.json: .*AccessDenied" "$tmp/noput.err" ||
        fail "no error naming the record and AccessDenied"
    if grep -qF -e "$secret" -e "$secret2" "$tmp"/*.out "$tmp"/*.err; then fail "a secret was printed"; fi
    cat "$tmp/denied.out" "$tmp/consume.err" "$tmp/noput.err"
}

"check_$check"
echo "callevents_check $check: ok"
