# SPDX-License-Identifier: Apache-2.0
# The frame the *_check.sh scripts share, sourced by them (not run alone).
# Before sourcing, set:
#   check_label  what fail() puts in front of its message
#   bin          the directory of the example binaries run() runs
#   run_timeout  optional: seconds one run() may take (120)
#   fail_bytes   optional: how much of each output fail() shows (4000)
# After sourcing, set run_env with clean_env (or to an `env` command of its own).

tmp="$(mktemp -d)"
uniq="$$-$RANDOM"
# A binary run in the background; killed on exit if a failed check leaves it running.
bg_pid=
cleanup() {
    if [[ -n "$bg_pid" ]]; then kill -KILL "$bg_pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# clean_env VAR=VALUE...: run_env becomes an environment holding only these
# (and PATH, HOME, NO_PROXY), so nothing from the caller's AWS setup leaks in.
clean_env() {
    run_env=(env -i PATH="$PATH" HOME="$tmp" "$@" NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost)
}

# run NAME BINARY ARGS...: runs a binary, stdout/stderr to $tmp/NAME.{out,err}; sets rc.
rc=0
run() {
    local name=$1 binary=$2
    shift 2
    rc=0
    "${run_env[@]}" timeout "${run_timeout:-120}" "$bin/$binary" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
}

fail() {
    echo "$check_label: $*" >&2
    local f
    for f in "$tmp"/*.out "$tmp"/*.err; do
        [[ -s "$f" ]] || continue
        echo "--- $(basename "$f")" >&2
        head -c "${fail_bytes:-4000}" "$f" >&2
    done
    exit 1
}

expect_rc() {  # expect_rc WANT WHAT
    [[ $rc -eq $1 ]] || fail "$2: exit status $rc, expected $1"
}

lines() { wc -l <"$1"; }  # lines FILE: its line count

# wait_for N COMMAND...: polls every 0.1 s, for 30 s at most, until COMMAND
# prints a number of at least N (a background binary's progress).
wait_for() {
    local want=$1 waited=0
    shift
    while [[ $("$@") -lt $want && $waited -lt 300 ]]; do
        sleep 0.1
        waited=$((waited + 1))
    done
}

# stop_bg SIGNAL WHAT [SECONDS]: sends SIGNAL to $bg_pid and waits for it to
# end (20 s at most); sets rc to its exit status.
stop_bg() {
    local limit=${3:-20}
    kill "-$1" "$bg_pid"
    rc=0
    timeout "$limit" tail --pid="$bg_pid" -f /dev/null || fail "$2 still running $limit s after SIG$1"
    wait "$bg_pid" || rc=$?
    bg_pid=
}
