# SPDX-License-Identifier: Apache-2.0
# Local AWS endpoints for tests and examples: moto_server (plain and
# signature-verifying) and kinesis-mock, on free loopback ports; nginx with a
# canned answer for the call benchmark, or standing in for a stream (lua) for
# the producer benchmark.
# Sourced, not run:
#   source scripts/endpoints.sh
#   trap endpoints_stop_all EXIT
#   endpoints_start_moto; endpoints_start_moto_verify; endpoints_start_kinesis_mock
#   endpoints_start_nginx  # optional: returns 2 when nginx is not installed
#   endpoints_start_nginx_stream 64  # optional: returns 2 without nginx's lua module
#   endpoints_write_env && source "$ENDPOINTS_ENV_FILE"
# Every server is recorded by PID and stopped by PID (TERM, then KILL after a
# grace period); each also gets SIGKILL from the kernel if the shell that
# started it dies without running its traps (setpriv --pdeathsig).
# shellcheck shell=bash

KINESIS_ROOT="${KINESIS_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
KINESIS_LOCAL="$KINESIS_ROOT/.local"
ENDPOINTS_LOG_DIR="$KINESIS_LOCAL/logs"
ENDPOINTS_ENV_FILE="$KINESIS_LOCAL/endpoints.env"
# kinesis-local (kinesis-mock on npm), installed by scripts/setup.
KINESIS_MOCK_DIR="$KINESIS_LOCAL/kinesis-local/node_modules/kinesis-local"
# Seconds a server may take to answer its first request.
ENDPOINTS_READY_TIMEOUT="${ENDPOINTS_READY_TIMEOUT:-60}"
# Seconds between TERM and KILL when stopping.
ENDPOINTS_STOP_GRACE="${ENDPOINTS_STOP_GRACE:-10}"

ENDPOINTS_PIDS=()
ENDPOINTS_NAMES=()

# Requests to loopback must never go through a proxy from the environment.
export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"
export no_proxy="$NO_PROXY"

endpoints_log() { printf 'endpoints: %s\n' "$*" >&2; }

# The python that has moto (with its server extra) and boto3: scripts/setup's
# venv if it had to make one, else python3. moto runs as `python -m moto.server`
# (what the moto_server command runs), so no wrapper script sits between the
# PID we record and the server.
endpoints_python() {
    if [[ -x "$KINESIS_LOCAL/venv/bin/moto_server" ]]; then
        printf '%s\n' "$KINESIS_LOCAL/venv/bin/python"
    else
        command -v python3
    fi
}

# A port nobody listens on right now, chosen by the kernel.
endpoints_free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# Whether URL answers HTTP at all (any status, 4xx included, counts).
endpoints_http_answers() {
    python3 - "$1" <<'EOF'
import sys, urllib.error, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    opener.open(sys.argv[1], timeout=2).close()
except urllib.error.HTTPError:
    pass
except Exception:
    sys.exit(1)
EOF
}

# endpoints_spawn NAME DIR LOG CMD...: starts CMD in DIR in the background,
# output to LOG, and records its PID (the subshell execs, so $! is CMD itself).
endpoints_spawn() {
    local name=$1 dir=$2 log=$3
    shift 3
    local deathsig=()
    if [[ "$(setpriv --help 2>&1 || true)" == *--pdeathsig* ]]; then
        deathsig=(setpriv --pdeathsig SIGKILL --)
    fi
    (cd "$dir" && exec "${deathsig[@]}" "$@") </dev/null >"$log" 2>&1 &
    ENDPOINTS_PIDS+=("$!")
    ENDPOINTS_NAMES+=("$name")
    ENDPOINTS_LAST_PID=$!
}

# endpoints_wait_ready NAME PID URL LOG: polls URL until it answers; fails
# with the log's tail if the process exits or the timeout passes.
endpoints_wait_ready() {
    local name=$1 pid=$2 url=$3 log=$4
    local deadline=$((SECONDS + ENDPOINTS_READY_TIMEOUT))
    while ! endpoints_http_answers "$url"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            endpoints_log "$name (pid $pid) exited before answering $url; last lines of $log:"
            tail -n 30 "$log" >&2 || true
            return 1
        fi
        if ((SECONDS >= deadline)); then
            endpoints_log "$name (pid $pid) did not answer $url within ${ENDPOINTS_READY_TIMEOUT}s; last lines of $log:"
            tail -n 30 "$log" >&2 || true
            return 1
        fi
        sleep 0.2
    done
    endpoints_log "$name ready at $url (pid $pid, log $log)"
}

endpoints_prepare() {
    mkdir -p "$ENDPOINTS_LOG_DIR" "$KINESIS_LOCAL/aws"
    # Empty config and credentials files: the developer's ~/.aws never leaks in.
    : >"$KINESIS_LOCAL/aws/config"
    : >"$KINESIS_LOCAL/aws/credentials"
}

# moto_server accepting any signature. Sets KINESIS_TEST_MOTO_ENDPOINT.
endpoints_start_moto() {
    endpoints_prepare
    local python port log
    python=$(endpoints_python)
    port=$(endpoints_free_port)
    log="$ENDPOINTS_LOG_DIR/moto.log"
    endpoints_spawn moto "$KINESIS_LOCAL" "$log" \
        env AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        "$python" -m moto.server -H 127.0.0.1 -p "$port"
    KINESIS_TEST_MOTO_ENDPOINT="http://127.0.0.1:$port"
    endpoints_wait_ready moto "$ENDPOINTS_LAST_PID" "$KINESIS_TEST_MOTO_ENDPOINT/moto-api/" "$log"
}

# A second moto_server that verifies SigV4 after its first unchecked calls,
# which scripts/moto_bootstrap.py spends on creating an IAM user and key.
# Sets KINESIS_TEST_MOTO_VERIFY_{ENDPOINT,ACCESS_KEY_ID,SECRET_ACCESS_KEY}.
endpoints_start_moto_verify() {
    endpoints_prepare
    local python port log keyfile
    python=$(endpoints_python)
    port=$(endpoints_free_port)
    log="$ENDPOINTS_LOG_DIR/moto-verify.log"
    # 3 = the calls moto_bootstrap.py makes before it checks verification.
    endpoints_spawn moto-verify "$KINESIS_LOCAL" "$log" \
        env INITIAL_NO_AUTH_ACTION_COUNT=3 AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null \
        "$python" -m moto.server -H 127.0.0.1 -p "$port"
    KINESIS_TEST_MOTO_VERIFY_ENDPOINT="http://127.0.0.1:$port"
    endpoints_wait_ready moto-verify "$ENDPOINTS_LAST_PID" "$KINESIS_TEST_MOTO_VERIFY_ENDPOINT/moto-api/" "$log"

    keyfile="$KINESIS_LOCAL/moto-verify.key"
    if ! "$python" "$KINESIS_ROOT/scripts/moto_bootstrap.py" "$KINESIS_TEST_MOTO_VERIFY_ENDPOINT" "$keyfile" >&2; then
        endpoints_log "bootstrapping the signature-verifying moto failed; last lines of $log:"
        tail -n 30 "$log" >&2 || true
        return 1
    fi
    # shellcheck disable=SC2034  # read by endpoints_write_env through ${!var}
    read -r KINESIS_TEST_MOTO_VERIFY_ACCESS_KEY_ID KINESIS_TEST_MOTO_VERIFY_SECRET_ACCESS_KEY <"$keyfile"
    rm -f "$keyfile"
}

# kinesis-mock (plain HTTP and TLS ports). It listens on every interface and
# has no bind option: start it only inside a private network namespace (see
# scripts/with-endpoints). Sets KINESIS_TEST_KINESIS_MOCK_ENDPOINT (plain HTTP/1.1
# and h2c) and KINESIS_TEST_KINESIS_MOCK_TLS_ENDPOINT (TLS with its own
# self-signed certificate; HTTP/2 by ALPN).
endpoints_start_kinesis_mock() {
    endpoints_prepare
    local plain tls log
    if [[ ! -f "$KINESIS_MOCK_DIR/main.js" ]]; then
        endpoints_log "kinesis-mock is not installed in $KINESIS_MOCK_DIR: run scripts/setup"
        return 1
    fi
    plain=$(endpoints_free_port)
    tls=$(endpoints_free_port)
    while [[ "$tls" == "$plain" ]]; do tls=$(endpoints_free_port); done
    log="$ENDPOINTS_LOG_DIR/kinesis-mock.log"
    # Started from its package folder: it reads server.json (its TLS key) from there.
    # Its shard limit is 50 by default; the test runs of one set of servers keep
    # more open than that (streams outlive failed tests and the fleet checks),
    # so it gets the default an AWS account has in us-east-1, 500.
    endpoints_spawn kinesis-mock "$KINESIS_MOCK_DIR" "$log" \
        env KINESIS_MOCK_PLAIN_PORT="$plain" KINESIS_MOCK_TLS_PORT="$tls" LOG_LEVEL=WARN SHARD_LIMIT=500 \
        node main.js
    KINESIS_TEST_KINESIS_MOCK_ENDPOINT="http://127.0.0.1:$plain"
    KINESIS_TEST_KINESIS_MOCK_TLS_ENDPOINT="https://127.0.0.1:$tls"
    endpoints_wait_ready kinesis-mock "$ENDPOINTS_LAST_PID" "$KINESIS_TEST_KINESIS_MOCK_ENDPOINT/" "$log"
}

# The nginx binary (PATH, else Debian's /usr/sbin); prints nothing when absent.
endpoints_nginx_binary() {
    local nginx
    nginx=$(command -v nginx || true)
    if [[ -z "$nginx" && -x /usr/sbin/nginx ]]; then nginx=/usr/sbin/nginx; fi
    printf '%s' "$nginx"
}

# The part every nginx.conf here shares: one process in the foreground, its
# pid, logs and temporary files under DIR. Prints the lines up to and
# including "http {" and the settings both servers use; the caller writes the rest.
endpoints_nginx_conf_head() {
    local dir=$1 writer=$2 modules=${3:-}
    cat <<EOF
# Written by scripts/endpoints.sh ($writer).
${modules:+$modules
}daemon off;
master_process off;
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/client_body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    server_tokens off;
EOF
}

# Checks DIR/nginx.conf, then starts nginx on it as NAME, logging to LOG.
endpoints_nginx_spawn() {
    local name=$1 nginx=$2 dir=$3 log=$4
    if ! "$nginx" -t -q -p "$dir" -c "$dir/nginx.conf" >"$log" 2>&1; then
        endpoints_log "nginx rejected $dir/nginx.conf:"
        cat "$log" >&2
        return 1
    fi
    endpoints_spawn "$name" "$dir" "$log" "$nginx" -p "$dir" -c "$dir/nginx.conf"
}

# nginx answering every POST with a canned Kinesis answer, for the call
# benchmark (scripts/bench): PutRecords (500 entries) for any X-Amz-Target but
# PutRecord's, which gets a one-record answer. No root paths: config, pid,
# temp folders and error log live in .local/nginx; no access log. One process
# in the foreground (daemon off, master_process off): the recorded PID is the
# one serving, whose CPU time the benchmark reads, and the kernel's SIGKILL on
# our death leaves no orphaned worker behind (a master's workers would stay).
# Sets KINESIS_BENCH_NGINX_ENDPOINT and KINESIS_BENCH_NGINX_PID.
# Returns 2 (with a message) when nginx is not installed, so callers may skip.
endpoints_start_nginx() {
    endpoints_prepare
    local nginx dir port log records i
    nginx=$(endpoints_nginx_binary)
    if [[ -z "$nginx" ]]; then
        endpoints_log "nginx is not installed (scripts/setup installs it): no nginx sink"
        return 2
    fi
    dir="$KINESIS_LOCAL/nginx"
    mkdir -p "$dir/tmp" "$dir/html"
    port=$(endpoints_free_port)
    log="$ENDPOINTS_LOG_DIR/nginx.log"
    # The answers are files; nginx refuses POST on a static file (405), and
    # error_page turns that into a 200 with the file.
    records=""
    for ((i = 0; i < 500; i++)); do
        records+="${records:+,}{\"SequenceNumber\":\"49590338271490256608559692538361571095921575989136588$(printf '%03d' "$i")\",\"ShardId\":\"shardId-000000000000\"}"
    done
    printf '{"FailedRecordCount":0,"Records":[%s]}' "$records" >"$dir/html/put_records.json"
    printf '{"SequenceNumber":"49590338271490256608559692538361571095921575989136588000","ShardId":"shardId-000000000000"}' \
        >"$dir/html/put_record.json"
    {
        endpoints_nginx_conf_head "$dir" endpoints_start_nginx
        cat <<EOF
    client_max_body_size 16m;
    client_body_buffer_size 1m;
    types { }
    default_type application/x-amz-json-1.1;
    map \$http_x_amz_target \$canned {
        default /put_records.json;
        Kinesis_20131202.PutRecord /put_record.json;
    }
    server {
        listen 127.0.0.1:$port;
        root $dir/html;
        location = / {
            error_page 405 =200 \$canned;
            try_files \$canned =404;
        }
        location ~ ^/put_records?\.json\$ {
            internal;
        }
    }
}
EOF
    } >"$dir/nginx.conf"
    endpoints_nginx_spawn nginx "$nginx" "$dir" "$log" || return 1
    KINESIS_BENCH_NGINX_ENDPOINT="http://127.0.0.1:$port"
    KINESIS_BENCH_NGINX_PID=$ENDPOINTS_LAST_PID
    export KINESIS_BENCH_NGINX_ENDPOINT KINESIS_BENCH_NGINX_PID
    endpoints_wait_ready nginx "$ENDPOINTS_LAST_PID" "$KINESIS_BENCH_NGINX_ENDPOINT/" "$log"
}

# The nginx lua module (Debian's libnginx-mod-http-lua, with the NDK module it
# needs): prints the load_module lines, or fails when the module is absent.
endpoints_nginx_lua_modules() {
    local dir
    for dir in /usr/lib/nginx/modules /usr/share/nginx/modules; do
        if [[ -f "$dir/ngx_http_lua_module.so" ]]; then
            if [[ -f "$dir/ndk_http_module.so" ]]; then printf 'load_module %s;\n' "$dir/ndk_http_module.so"; fi
            printf 'load_module %s;\n' "$dir/ngx_http_lua_module.so"
            return 0
        fi
    done
    return 1
}

# nginx standing in for one Kinesis stream of SHARDS (default 64) equal shards,
# for the producer benchmark: scripts/nginx/kinesis_sink.lua answers each
# PutRecords with one entry per request entry and the ShardId Kinesis would
# choose for it, and ListShards / DescribeStreamSummary with canned answers
# (scripts/nginx/write_shards.py). Same process model as endpoints_start_nginx.
# Sets KINESIS_BENCH_STREAM_ENDPOINT, KINESIS_BENCH_STREAM_PID and
# KINESIS_BENCH_STREAM_SHARDS. Returns 2 (with a message) when nginx or its lua
# module is not installed, so callers may skip.
endpoints_start_nginx_stream() {
    endpoints_prepare
    local shards=${1:-64} nginx dir port log modules
    nginx=$(endpoints_nginx_binary)
    if [[ -z "$nginx" ]]; then
        endpoints_log "nginx is not installed (scripts/setup installs it): no stream sink"
        return 2
    fi
    if ! modules=$(endpoints_nginx_lua_modules); then
        endpoints_log "nginx's lua module is not installed (scripts/setup tries libnginx-mod-http-lua): no stream sink"
        return 2
    fi
    dir="$KINESIS_LOCAL/nginx-stream"
    mkdir -p "$dir/tmp" "$dir/lua"
    port=$(endpoints_free_port)
    log="$ENDPOINTS_LOG_DIR/nginx-stream.log"
    python3 "$KINESIS_ROOT/scripts/nginx/write_shards.py" "$shards" bench "$dir/lua/kinesis_sink_shards.lua"
    cp "$KINESIS_ROOT/scripts/nginx/kinesis_sink.lua" "$dir/lua/kinesis_sink.lua"
    {
        endpoints_nginx_conf_head "$dir" endpoints_start_nginx_stream "$modules"
        cat <<EOF
    # Bodies up to 10 MiB of records (14 MB as base64 JSON) stay in memory.
    client_max_body_size 16m;
    client_body_buffer_size 16m;
    lua_package_path "$dir/lua/?.lua;/usr/share/lua/5.1/?.lua;;";
    lua_code_cache on;
    server {
        listen 127.0.0.1:$port;
        location = / {
            content_by_lua_file $dir/lua/kinesis_sink.lua;
        }
    }
}
EOF
    } >"$dir/nginx.conf"
    endpoints_nginx_spawn nginx-stream "$nginx" "$dir" "$log" || return 1
    KINESIS_BENCH_STREAM_ENDPOINT="http://127.0.0.1:$port"
    KINESIS_BENCH_STREAM_PID=$ENDPOINTS_LAST_PID
    KINESIS_BENCH_STREAM_SHARDS=$shards
    export KINESIS_BENCH_STREAM_ENDPOINT KINESIS_BENCH_STREAM_PID KINESIS_BENCH_STREAM_SHARDS
    endpoints_wait_ready nginx-stream "$ENDPOINTS_LAST_PID" "$KINESIS_BENCH_STREAM_ENDPOINT/" "$log"
}

# Writes ENDPOINTS_ENV_FILE for the endpoints started so far, plus region,
# dummy credentials and empty AWS config files. Shell syntax, meant to be sourced.
endpoints_write_env() {
    endpoints_prepare
    local tmp="$ENDPOINTS_ENV_FILE.tmp"
    {
        echo "# Written by scripts/endpoints.sh; valid while those servers run."
        echo "# Variables that would point the SDK chain elsewhere are cleared first."
        echo "unset AWS_PROFILE AWS_DEFAULT_PROFILE AWS_SESSION_TOKEN AWS_DEFAULT_REGION AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"
        echo "unset AWS_ENDPOINT_URL_KINESIS AWS_ENDPOINT_URL_FIREHOSE AWS_ENDPOINT_URL_S3 AWS_ENDPOINT_URL_STS AWS_ENDPOINT_URL_DYNAMODB"
        echo "unset AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_AUTHORIZATION_TOKEN AWS_EC2_METADATA_DISABLED"
        local var
        for var in KINESIS_TEST_MOTO_ENDPOINT KINESIS_TEST_MOTO_VERIFY_ENDPOINT \
            KINESIS_TEST_MOTO_VERIFY_ACCESS_KEY_ID KINESIS_TEST_MOTO_VERIFY_SECRET_ACCESS_KEY \
            KINESIS_TEST_KINESIS_MOCK_ENDPOINT KINESIS_TEST_KINESIS_MOCK_TLS_ENDPOINT \
            KINESIS_BENCH_NGINX_ENDPOINT KINESIS_BENCH_NGINX_PID \
            KINESIS_BENCH_STREAM_ENDPOINT KINESIS_BENCH_STREAM_PID KINESIS_BENCH_STREAM_SHARDS; do
            if [[ -n "${!var:-}" ]]; then printf 'export %s=%q\n' "$var" "${!var}"; fi
        done
        if [[ -n "${KINESIS_TEST_MOTO_ENDPOINT:-}" ]]; then
            printf 'export AWS_ENDPOINT_URL=%q\n' "$KINESIS_TEST_MOTO_ENDPOINT"
            # moto_server also serves the EC2 instance metadata paths (IMDSv2).
            printf 'export AWS_EC2_METADATA_SERVICE_ENDPOINT=%q\n' "$KINESIS_TEST_MOTO_ENDPOINT"
        fi
        echo "export AWS_REGION=us-east-1"
        echo "export AWS_DEFAULT_REGION=us-east-1  # for boto3 and the AWS CLI"
        echo "export AWS_ACCESS_KEY_ID=testing"
        echo "export AWS_SECRET_ACCESS_KEY=testing"
        printf 'export AWS_CONFIG_FILE=%q\n' "$KINESIS_LOCAL/aws/config"
        printf 'export AWS_SHARED_CREDENTIALS_FILE=%q\n' "$KINESIS_LOCAL/aws/credentials"
        printf 'export NO_PROXY=%q\n' "$NO_PROXY"
        printf 'export no_proxy=%q\n' "$NO_PROXY"
    } >"$tmp"
    chmod 600 "$tmp"
    mv "$tmp" "$ENDPOINTS_ENV_FILE"
    endpoints_log "environment written to $ENDPOINTS_ENV_FILE"
}

# Stops every recorded server by PID: TERM, then KILL after the grace period.
# Safe to call more than once (from EXIT and from a signal trap).
endpoints_stop_all() {
    local i pid name deadline
    for i in "${!ENDPOINTS_PIDS[@]}"; do
        pid=${ENDPOINTS_PIDS[$i]}
        name=${ENDPOINTS_NAMES[$i]}
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            deadline=$((SECONDS + ENDPOINTS_STOP_GRACE))
            while kill -0 "$pid" 2>/dev/null && ! endpoints_reaped "$pid" && ((SECONDS < deadline)); do
                sleep 0.1
            done
            if kill -0 "$pid" 2>/dev/null && ! endpoints_reaped "$pid"; then
                endpoints_log "$name (pid $pid) ignored TERM for ${ENDPOINTS_STOP_GRACE}s; killing it"
                kill -KILL "$pid" 2>/dev/null || true
            fi
        fi
        wait "$pid" 2>/dev/null || true
        endpoints_log "$name (pid $pid) stopped"
    done
    ENDPOINTS_PIDS=()
    ENDPOINTS_NAMES=()
    rm -f "$ENDPOINTS_ENV_FILE"
}

# A zombie still answers kill -0; it has exited all the same.
endpoints_reaped() {
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 0
    [[ "$state" == Z ]]
}
