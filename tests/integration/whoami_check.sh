#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the whoami example against signature-verifying moto: with the right key
# it prints the account; with a wrong secret it exits 1 with one stderr line
# naming SignatureDoesNotMatch and the request id, and never the secret.
# Usage: whoami_check.sh PATH_TO_WHOAMI   (endpoints from scripts/test's env)
set -euo pipefail
whoami="$1"
endpoint="${KINESIS_TEST_MOTO_VERIFY_ENDPOINT:?not set: run through scripts/test}"
key_id="${KINESIS_TEST_MOTO_VERIFY_ACCESS_KEY_ID:?not set: run through scripts/test}"
secret="${KINESIS_TEST_MOTO_VERIFY_SECRET_ACCESS_KEY:?not set: run through scripts/test}"
fake_secret="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

run() {  # run SECRET: whoami with only what it needs in the environment
    env -i PATH="$PATH" HOME="$tmp" AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 \
        AWS_ACCESS_KEY_ID="$key_id" AWS_SECRET_ACCESS_KEY="$1" \
        "$whoami" --endpoint-url "$endpoint" >"$tmp/out" 2>"$tmp/err"
}

fail() { echo "whoami_check: $*" >&2; echo "--- stdout" >&2; cat "$tmp/out" >&2; echo "--- stderr" >&2; cat "$tmp/err" >&2; exit 1; }

run "$secret" || fail "whoami failed with the right key"
grep -q '^Account: 123456789012$' "$tmp/out" || fail "no account printed"
grep -q '^Arn: *arn:aws:iam::123456789012:user/' "$tmp/out" || fail "no ARN printed"
grep -q '^UserId: ' "$tmp/out" || fail "no user id printed"
cat "$tmp/out"

rc=0
run "$fake_secret" || rc=$?
[[ $rc -eq 1 ]] || fail "expected exit status 1 with a wrong secret, got $rc"
[[ ! -s "$tmp/out" ]] || fail "printed something on stdout with a wrong secret"
[[ $(wc -l <"$tmp/err") -eq 1 ]] || fail "expected exactly one line on stderr"
grep -q 'SignatureDoesNotMatch' "$tmp/err" || fail "stderr does not name SignatureDoesNotMatch"
grep -Eq '\[request id [^] ]+\]' "$tmp/err" || fail "stderr does not give the request id"
if grep -qF "$fake_secret" "$tmp/err" "$tmp/out"; then fail "the secret was printed"; fi
cat "$tmp/err"
