#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Runs the README's quickstart (readme-quickstart) against plain moto with
# only the environment the README names: it must print one line, a shard id
# and a numeric sequence number, and nothing on stderr. A second run finds the
# stream there already and puts a record with a larger sequence number. The
# stream is deleted at the end with kinesis-cli (from the same BIN_DIR).
# Usage: readme_quickstart_check.sh BIN_DIR   (endpoints from scripts/test's env)
set -euo pipefail
bin="$1"
endpoint="${KINESIS_TEST_MOTO_ENDPOINT:?not set: run through scripts/test}"
check_label="readme_quickstart_check"
source "$(dirname "${BASH_SOURCE[0]}")/check_lib.sh"

clean_env AWS_EC2_METADATA_DISABLED=true AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing \
    AWS_SECRET_ACCESS_KEY=testing AWS_ENDPOINT_URL="$endpoint"

sequence_of() {  # sequence_of NAME: the sequence number NAME printed, checked to be all it printed
    [[ ! -s "$tmp/$1.err" ]] || fail "$1 printed on stderr"
    [[ $(lines "$tmp/$1.out") -eq 1 ]] || fail "$1 did not print exactly one line"
    sed -n 's/^shardId-[0-9]\{12\} \([0-9]\{1,\}\)$/\1/p' "$tmp/$1.out"
}

run first readme-quickstart
expect_rc 0 "readme-quickstart"
first=$(sequence_of first)
[[ -n "$first" ]] || fail "no '<shard id> <sequence number>' line"

run second readme-quickstart
expect_rc 0 "readme-quickstart on the existing stream"
second=$(sequence_of second)
[[ -n "$second" ]] || fail "no '<shard id> <sequence number>' line on the second run"
# Decimal strings of any length: compare by length, then as text.
if ((${#second} < ${#first})) || { ((${#second} == ${#first})) && [[ ! "$second" > "$first" ]]; }; then
    fail "the second sequence number $second is not above the first $first"
fi
cat "$tmp/first.out" "$tmp/second.out"

run delete kinesis-cli delete-stream --stream-name quickstart
expect_rc 0 "kinesis-cli delete-stream quickstart"
