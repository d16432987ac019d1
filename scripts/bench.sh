#!/usr/bin/env bash
# The benchmarks of BENCHMARKS.md: criterion for the engine, the monitor, the hub and cold report
# generation; a load run (own redis-server, 32 connections) for the cache and the
# monitor's overhead. Timings belong here, not in the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
if ! command -v wrk >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends wrk
fi
cargo bench --locked -p engine -- --warm-up-time 1 --measurement-time 5
cargo bench --locked -p monitor -- --warm-up-time 1 --measurement-time 3
cargo bench --locked -p hub -- --warm-up-time 1 --measurement-time 3
cargo bench --locked -p server --bench generation
cargo bench --locked -p server --features bench --bench load
cargo bench --locked -p server --bench routes
bash scripts/bench-numpy.sh
