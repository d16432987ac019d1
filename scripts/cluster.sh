#!/usr/bin/env bash
# `make cluster`: PMR as several instances on this machine (SPEC §7) — a private
# PostgreSQL and redis-server, PMR_CLUSTER_INSTANCES instances (default 2) of the release
# build, and nginx in front on one address with WebSocket upgrades. Prints the address and
# the first admin token; Ctrl-C stops everything and deletes the cluster's files.
#
#   PMR_CLUSTER_PORT=8080        nginx's port (0: any free port)
#   PMR_CLUSTER_INSTANCES=2      how many PMR instances (1–9)
#   PMR_BINARY=target/release/pmr   the server to run (built if it is the default and missing)
#   PMR_CLUSTER_DEMO=true        load the demo portfolio on first start
#   PMR_CLUSTER_SETUP=true       run scripts/setup.sh --cluster first (false: the caller did)
#   PMR_CLUSTER_WATCH=true       stop everything when one process exits (false: stay up, for
#                                drills that kill and restart parts on purpose, as
#                                scripts/load.sh does)
#
# Pinning: a `pmr_pin=<n>` cookie sends a browser to instance n (1-based) instead of the
# least-busy one; the `X-PMR-Upstream` response header says which instance answered.
# Machine-readable lines for scripts: `PMR_CLUSTER_URL=…`, `PMR_INSTANCE_<n>=…`,
# `PMR_INSTANCE_<n>_PID=…`, `PMR_CLUSTER_REDIS_PORT=…`, `PMR_ADMIN_TOKEN=…`, then
# `PMR_CLUSTER_READY`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

port=${PMR_CLUSTER_PORT:-8080}
count=${PMR_CLUSTER_INSTANCES:-2}
demo=${PMR_CLUSTER_DEMO:-true}
binary=${PMR_BINARY:-$root/target/release/pmr}
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }
[[ "$count" =~ ^[1-9]$ ]] || die "PMR_CLUSTER_INSTANCES must be 1–9, not $count"

[ "${PMR_CLUSTER_SETUP:-true}" = false ] || bash scripts/setup.sh --cluster >&2
if [ -z "${PMR_BINARY:-}" ]; then
    bash scripts/build-site.sh >&2
    cargo build --locked --release -p server --bin pmr >&2
fi
[ -x "$binary" ] || die "no server binary at $binary"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_for() { # what, command…
    local what=$1; shift
    for _ in $(seq 1 300); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    die "timed out waiting for $what"
}

work=$(mktemp -d /tmp/pmr-cluster-XXXXXX)
pids=()
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$work"
    as_pg=(runuser -u postgres --)
fi

stop() {
    trap - INT TERM EXIT
    say "stopping the cluster"
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    [ -d "$work/pg" ] && "${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap 'stop; exit 130' INT TERM
trap stop EXIT

# PostgreSQL: a cluster of our own in $work, its socket there too, on a free port.
pg_port=$(free_port)
say "PostgreSQL on 127.0.0.1:$pg_port"
"${as_pg[@]}" "$pg_bin/initdb" -D "$work/pg" -A trust -U pmr -E UTF8 >"$work/initdb.log" 2>&1 \
    || { cat "$work/initdb.log" >&2; die "initdb failed"; }
"${as_pg[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
    -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1 -c max_connections=200" start >/dev/null
"${as_pg[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U pmr pmr
database_url="postgres://pmr@127.0.0.1:$pg_port/pmr"

redis_port=$(free_port)
say "redis-server on 127.0.0.1:$redis_port"
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$work" \
    >"$work/redis.log" 2>&1 &
pids+=($!)
wait_for redis redis-cli -p "$redis_port" ping

# The instances: the first alone (it migrates the database and loads the demo), then the
# rest. They trust nginx's X-Forwarded-For, so limits and throttles see real clients.
instance_ports=()
instance_pids=()
for n in $(seq 1 "$count"); do
    p=$(free_port)
    instance_ports+=("$p")
    say "PMR instance $n on 127.0.0.1:$p"
    PMR_LISTEN="127.0.0.1:$p" DATABASE_URL="$database_url" REDIS_URL="redis://127.0.0.1:$redis_port/0" \
        PMR_DEMO=$([ "$n" -eq 1 ] && echo "$demo" || echo false) PMR_TRUSTED_PROXIES=127.0.0.1 \
        PMR_SITE_ROOT="$root/target/site" RUST_LOG="${RUST_LOG:-info}" \
        "$binary" serve >"$work/pmr-$n.log" 2>&1 &
    pids+=($!)
    instance_pids+=($!)
    wait_for "instance $n" curl -fsS "http://127.0.0.1:$p/readyz"
done

[ "$port" = 0 ] && port=$(free_port)
{
    echo "worker_processes 1;"
    echo "daemon off;"
    echo "pid $work/nginx.pid;"
    echo "error_log $work/nginx-error.log warn;"
    echo "events { worker_connections 16384; }"
    echo "http {"
    echo "  access_log off;"
    echo "  client_body_temp_path $work/nginx-body; proxy_temp_path $work/nginx-proxy;"
    echo "  fastcgi_temp_path $work/nginx-fcgi; uwsgi_temp_path $work/nginx-uwsgi; scgi_temp_path $work/nginx-scgi;"
    echo "  upstream pmr { least_conn;"
    for p in "${instance_ports[@]}"; do echo "    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"; done
    echo "    keepalive 64; }"
    echo "  map \$cookie_pmr_pin \$pmr_upstream {"
    echo "    default pmr;"
    n=1
    for p in "${instance_ports[@]}"; do echo "    $n 127.0.0.1:$p;"; n=$((n + 1)); done
    echo "  }"
    echo "  map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }"
    echo "  server {"
    echo "    listen 127.0.0.1:$port;"
    echo "    client_max_body_size 8m;"
    # Bodies and answers stay in memory: nginx's workers cannot write temp files in $work
    # when it belongs to the postgres user (running as root), and a large import failed 500.
    echo "    client_body_buffer_size 8m; proxy_max_temp_file_size 0;"
    echo "    location / {"
    echo "      proxy_pass http://\$pmr_upstream;"
    echo "      proxy_http_version 1.1;"
    echo "      proxy_set_header Host \$http_host;"
    echo "      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;"
    echo "      proxy_set_header Upgrade \$http_upgrade;"
    echo "      proxy_set_header Connection \$connection_upgrade;"
    echo "      proxy_read_timeout 1h; proxy_send_timeout 1h;"
    echo "      proxy_next_upstream error timeout http_502 http_503;"
    echo "      add_header X-PMR-Upstream \$upstream_addr always;"
    echo "    }"
    echo "  }"
    echo "}"
} >"$work/nginx.conf"
say "nginx on 127.0.0.1:$port"
/usr/sbin/nginx -p "$work" -c "$work/nginx.conf" &
pids+=($!)
wait_for nginx curl -fsS "http://127.0.0.1:$port/readyz"

admin=$(grep -o 'PMR_ADMIN_TOKEN=[^ ]*' "$work/pmr-1.log" | head -1 | cut -d= -f2- || true)
echo "PMR_CLUSTER_URL=http://127.0.0.1:$port"
n=1
for p in "${instance_ports[@]}"; do
    echo "PMR_INSTANCE_$n=http://127.0.0.1:$p"
    echo "PMR_INSTANCE_${n}_PID=${instance_pids[$((n - 1))]}"
    n=$((n + 1))
done
echo "PMR_CLUSTER_REDIS_PORT=$redis_port"
[ -n "$admin" ] && echo "PMR_ADMIN_TOKEN=$admin"
echo "PMR_CLUSTER_READY"
say "PMR cluster at http://127.0.0.1:$port ($count instances; logs in $work). Ctrl-C stops it."
if [ "${PMR_CLUSTER_WATCH:-true}" = false ]; then
    while :; do sleep 1; done # until INT or TERM (the trap stops everything)
fi
wait -n "${pids[@]}" || true
for log in "$work"/*.log; do printf '\n--- %s\n' "${log##*/}" >&2; tail -n 20 "$log" >&2; done
die "a cluster process exited (its log is above)"
