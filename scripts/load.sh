#!/usr/bin/env bash
# `make load` / `scripts/load.sh SCENARIO…`: live collaboration under load (issue 15; the
# several-instance figures of issue 14). Each scenario starts its own release server(s),
# seeds rooms through the JSON API with `pmr-load seed`, runs `pmr-load run` and prints its
# summary; every outcome is also appended as one JSON line to $PMR_LOAD_OUT/results.jsonl.
#
#   idle            10,000 idle connections on one instance (SQLite): RSS and CPU per connection
#   active          5,000 connections in 500 rooms, 2 edits/room/s, batching on
#   active-nobatch  the same with WS_ENABLE_BATCHING=false
#   storm           the active load; at 8 s every client drops and reconnects at once
#                   (full-jitter backoff, ?since=): time until all resumed
#   cluster         PostgreSQL + Redis, 2,000 connections in 200 rooms, 5 edits/room/s:
#                   two instances (clients spread over both), then one instance, same load
#   drills          two instances: a baseline and the same with a reader that stops reading
#                   (4001); then, through nginx, one run with the pub/sub connections
#                   killed, a Redis restart and kill -9 of an instance
#   all             every scenario above, in that order
#   tsung-idle, tsung-active   the idle and active loads from Tsung (loadgen/tsung/*.xml),
#                   anonymous readers; see those files for what Tsung cannot do here
#
#   PMR_LOAD_SECONDS=20   measured window per run
#   PMR_LOAD_SCALE=1      multiply connection counts (0.5 on a busy machine)
#   PMR_LOAD_RATE=2       edits per room per second in active, active-nobatch and storm
#   PMR_LOAD_CLUSTER_RATE=5   edits per room per second in cluster and drills
#   PMR_LOAD_OUT=target/load   results and logs
#   PMR_BINARY, PMR_LOAD_BINARY   the release builds to use (built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
target=${CARGO_TARGET_DIR:-$root/target}
pmr=${PMR_BINARY:-$target/release/pmr}
load=${PMR_LOAD_BINARY:-$target/release/pmr-load}
seconds=${PMR_LOAD_SECONDS:-20}
active_rate=${PMR_LOAD_RATE:-2}
cluster_rate=${PMR_LOAD_CLUSTER_RATE:-5}
scale=${PMR_LOAD_SCALE:-1}
out=${PMR_LOAD_OUT:-$target/load}
mkdir -p "$out"
results=$out/results.jsonl

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'load: %s\n' "$*" >&2; exit 1; }
scaled() { python3 -c "import sys; print(max(1, int(round($1 * $scale))))"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # what, command…
    local what=$1; shift
    for _ in $(seq 1 600); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    die "timed out waiting for $what"
}

if [ ! -x "$pmr" ] || [ ! -x "$load" ]; then
    say "building the release server and load generator"
    cargo build --release --locked -p server -p pmr-load --bin pmr --bin pmr-load >&2
fi
# 10,000 sockets in the server and as many in the generator: raise the descriptor limit.
ulimit -n "$(ulimit -Hn)"
[ "$(ulimit -n)" -ge 12000 ] || say "warning: ulimit -n is $(ulimit -n); 10,000 connections need more"

# Limits raised for the run: all clients come from 127.0.0.1, and seeding generates hundreds
# of reports (Monte Carlo kept small: generation is not what is measured here).
export WS_MAX_CONNECTIONS=20000 PMR_HTTP_MAX_CONNECTIONS=25000 PMR_HTTP_MAX_CONNECTIONS_PER_CLIENT=25000
export PMR_GENERATE_PER_MINUTE=100000 PMR_MC_ITERATIONS=1000 PMR_GENERATION_QUEUE=64
export RUST_LOG=${RUST_LOG:-warn}

children=()
cleanup() {
    for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${children[@]}"; do wait "$pid" 2>/dev/null || true; done
    children=()
}
trap cleanup EXIT
trap 'cleanup; exit 130' INT TERM

conditions() {
    say "conditions: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%H:%M:%S) UTC"
}

# --- one instance on SQLite ----------------------------------------------------------------

# A seeded database per room count, made once and copied for each scenario.
single_pid='' single_url='' single_dir=''
start_single() { # dir, extra env…
    local dir=$1; shift
    local port; port=$(free_port)
    env PMR_LISTEN="127.0.0.1:$port" DATABASE_URL="sqlite://$dir/pmr.db" REDIS_URL=off \
        PMR_DEMO=true PMR_SITE_ROOT="$root/target/site" "$@" \
        "$pmr" serve >>"$dir/pmr.log" 2>&1 &
    single_pid=$!
    children+=("$single_pid")
    single_url="http://127.0.0.1:$port"
    wait_for "the server" curl -fsS "$single_url/readyz"
}
stop_single() {
    kill "$single_pid" 2>/dev/null || true
    wait "$single_pid" 2>/dev/null || true
}
seeded_db() { # rooms → sets single_dir to a fresh copy of a database seeded with that many
    local rooms=$1 base=$out/seeded-$1
    if [ ! -f "$base/seed.json" ]; then
        rm -rf "$base" && mkdir -p "$base"
        say "seeding $rooms rooms (once; kept in $base)"
        start_single "$base"
        local admin; admin=$(grep -o 'PMR_ADMIN_TOKEN=[^ ]*' "$base/pmr.log" | head -1 | cut -d= -f2-)
        "$load" seed --url "$single_url" --admin-token "$admin" --rooms "$rooms" --out "$base/seed.json.tmp" >&2
        stop_single
        mv "$base/seed.json.tmp" "$base/seed.json"
    fi
    single_dir=$(mktemp -d /tmp/pmr-load-XXXXXX)
    cp "$base"/pmr.db* "$base/seed.json" "$single_dir/"
}
run_single() { # label, run args… (env for the server in SERVER_ENV)
    local label=$1; shift
    conditions
    # shellcheck disable=SC2086
    start_single "$single_dir" ${SERVER_ENV:-}
    "$load" run --url "$single_url" --seed "$single_dir/seed.json" --pid "$single_pid" \
        --label "$label" --json-out "$results" "$@"
    stop_single
    rm -rf "$single_dir"
}

scenario_idle() {
    seeded_db 200
    # At least 30 s, so the window holds a heartbeat round (a ping every 25 s).
    run_single idle --conns "$(scaled 10000)" --rooms 200 --rate 0 --duration "$((seconds > 30 ? seconds : 30))"
}
scenario_active() {
    seeded_db 500
    run_single active-batching --conns "$(scaled 5000)" --rooms 500 --rate "$active_rate" --duration "$seconds"
}
scenario_active_nobatch() {
    seeded_db 500
    SERVER_ENV=WS_ENABLE_BATCHING=false run_single active-nobatch \
        --conns "$(scaled 5000)" --rooms 500 --rate "$active_rate" --duration "$seconds"
}
scenario_storm() {
    seeded_db 500
    run_single storm --conns "$(scaled 5000)" --rooms 500 --rate "$active_rate" --duration "$seconds" \
        --storm-at 8 --backoff-base-ms 1000 --backoff-cap-ms 5000
}

# --- several instances: PostgreSQL, Redis, nginx (scripts/cluster.sh) ------------------------

cluster_pid='' cluster_log=''
declare -A cluster=()
start_cluster() { # instances
    cluster_log=$(mktemp /tmp/pmr-load-cluster-XXXXXX.log)
    PMR_CLUSTER_PORT=0 PMR_CLUSTER_INSTANCES=$1 PMR_BINARY=$pmr PMR_CLUSTER_SETUP=false \
        PMR_CLUSTER_WATCH=false bash scripts/cluster.sh >"$cluster_log" 2>&1 &
    cluster_pid=$!
    children+=("$cluster_pid")
    wait_for "the cluster" grep -q '^PMR_CLUSTER_READY' "$cluster_log"
    cluster=()
    while IFS='=' read -r k v; do cluster[$k]=$v; done < <(grep -E '^PMR_[A-Z0-9_]+=' "$cluster_log")
    "$load" seed --url "${cluster[PMR_CLUSTER_URL]}" --admin-token "${cluster[PMR_ADMIN_TOKEN]}" \
        --rooms 200 --out "$cluster_log.seed" >&2
}
stop_cluster() {
    kill "$cluster_pid" 2>/dev/null || true
    wait "$cluster_pid" 2>/dev/null || true
}
cluster_run() { # label, run args…
    local label=$1; shift
    conditions
    "$load" run --seed "$cluster_log.seed" --label "$label" --json-out "$results" \
        --stats-url "${cluster[PMR_INSTANCE_1]}" ${cluster[PMR_INSTANCE_2]:+--stats-url "${cluster[PMR_INSTANCE_2]}"} \
        --pid "${cluster[PMR_INSTANCE_1_PID]}" ${cluster[PMR_INSTANCE_2_PID]:+--pid "${cluster[PMR_INSTANCE_2_PID]}"} "$@"
}

scenario_cluster() {
    local conns; conns=$(scaled 2000)
    say "two instances, clients on both"
    start_cluster 2
    cluster_run cluster-2 --url "${cluster[PMR_INSTANCE_1]}" --url "${cluster[PMR_INSTANCE_2]}" \
        --conns "$conns" --rooms 200 --rate "$cluster_rate" --duration "$seconds"
    stop_cluster
    say "one instance, the same load"
    start_cluster 1
    cluster_run cluster-1 --url "${cluster[PMR_INSTANCE_1]}" --conns "$conns" --rooms 200 --rate "$cluster_rate" --duration "$seconds"
    stop_cluster
}

scenario_drills() {
    local conns; conns=$(scaled 2000)
    start_cluster 2
    local via=${cluster[PMR_CLUSTER_URL]} redis=${cluster[PMR_CLUSTER_REDIS_PORT]}
    # Straight to the instances: through nginx, its own socket buffers (megabytes) would
    # hide the stalled reader from the server for a long time.
    local direct=(--url "${cluster[PMR_INSTANCE_1]}" --url "${cluster[PMR_INSTANCE_2]}")
    say "a baseline, then the same with one reader that stops reading"
    cluster_run drills-baseline "${direct[@]}" --conns "$conns" --rooms 200 --rate "$cluster_rate" --duration "$seconds"
    cluster_run drills-stalled-reader "${direct[@]}" --conns "$conns" --rooms 200 --rate "$cluster_rate" --duration "$seconds" --stall 1

    say "drills during one run: pub/sub connections killed at 8 s, Redis restarted at 18 s, kill -9 of instance 2 at 30 s"
    local ready; ready=$(mktemp -u /tmp/pmr-load-ready-XXXXXX)
    (
        wait_for "publishing" test -e "$ready"
        sleep 8; say "drill: redis-cli CLIENT KILL TYPE pubsub"
        redis-cli -p "$redis" CLIENT KILL TYPE pubsub >&2
        sleep 10; say "drill: Redis restart"
        redis-cli -p "$redis" shutdown nosave >/dev/null 2>&1 || true
        sleep 1
        redis-server --port "$redis" --bind 127.0.0.1 --save "" --appendonly no --dir /tmp \
            >"$out/redis-restarted.log" 2>&1 &
        echo $! >"$out/redis-restarted.pid"
        sleep 11; say "drill: kill -9 instance 2 (pid ${cluster[PMR_INSTANCE_2_PID]})"
        kill -9 "${cluster[PMR_INSTANCE_2_PID]}"
    ) &
    children+=($!)
    cluster_run drills --url "$via" --conns "$conns" --rooms 200 --rate "$cluster_rate" --duration 45 --drain 5 --ready-file "$ready"
    [ -f "$out/redis-restarted.pid" ] && kill "$(cat "$out/redis-restarted.pid")" 2>/dev/null || true
    rm -f "$out/redis-restarted.pid" "$ready"
    stop_cluster
}

# --- Tsung (Debian's `tsung`), the same server set-up --------------------------------------

scenario_tsung() { # idle|active
    local kind=$1
    command -v tsung >/dev/null || die "tsung is not installed (apt-get install tsung)"
    local users rooms=200 hold=$((seconds + 30))
    users=$([ "$kind" = idle ] && scaled 10000 || scaled 2000)
    seeded_db "$rooms"
    conditions
    start_single "$single_dir" PMR_ALLOW_ANONYMOUS=true
    local xml=$single_dir/tsung.xml editor
    editor=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["editor_token"])' "$single_dir/seed.json")
    python3 -c 'import json,sys; print("\n".join(json.load(open(sys.argv[1]))["reports"]))' "$single_dir/seed.json" >"$single_dir/reports.csv"
    sed -e "s|@PORT@|${single_url##*:}|; s|@REPORTS@|$single_dir/reports.csv|; s|@USERS@|$users|g" \
        -e "s|@MAXUSERS@|$((users + rooms))|g; s|@READER_WEIGHT@|$((users / rooms))|; s|@RAMP@|20|; s|@RATE@|$((users / 15 + 1))|" \
        -e "s|@HOLD@|$hold|g; s|@EDITS@|$((seconds * 2))|; s|@EDITOR_TOKEN@|$editor|g" \
        "loadgen/tsung/$kind.xml" >"$xml"
    local before; before=$(awk '/VmRSS/ {print $2}' "/proc/$single_pid/status")
    tsung -f "$xml" -l "$out/tsung" start >"$single_dir/tsung.out" 2>&1 &
    local tsung_pid=$!
    children+=("$tsung_pid")
    sleep $((20 + seconds / 2))
    local held; held=$(awk '/VmRSS/ {print $2}' "/proc/$single_pid/status")
    curl -fsS -H "Authorization: Bearer $editor" "$single_url/api/reports/pmr/performance/websocket/stats" \
        >"$single_dir/ws-stats.json" || true
    wait "$tsung_pid" || true
    say "tsung $kind: server RSS ${before} KiB before, ${held} KiB held; /websocket/stats then:"
    cat "$single_dir/ws-stats.json"; echo
    local log; log=$(ls -td "$out"/tsung/*/ | head -1)
    grep -E '^stats: (users|connected|finish_users_count|session|request|connect|page|error|tr_)' "$log/tsung.log" | tail -n 20 || true
    echo "tsung logs: $log"
    stop_single
    rm -rf "$single_dir"
}

[ $# -gt 0 ] || set -- all
for s in "$@"; do
    case $s in
        idle) scenario_idle ;;
        active) scenario_active ;;
        active-nobatch) scenario_active_nobatch ;;
        storm) scenario_storm ;;
        cluster) scenario_cluster ;;
        drills) scenario_drills ;;
        tsung-idle) scenario_tsung idle ;;
        tsung-active) scenario_tsung active ;;
        all) for t in idle active active-nobatch storm cluster drills; do "$0" "$t"; done ;;
        *) die "unknown scenario $s (idle, active, active-nobatch, storm, cluster, drills, all)" ;;
    esac
done
