#!/usr/bin/env bash
# The engine against a straightforward NumPy implementation of the same Monte Carlo model
# (engine/benches/numpy/), on the testkit's 200-work-package, 30-risk project, one core
# each, at 10,000 and 100,000 iterations: checks that both give the same P50/P80 of finish
# and cost within sampling error and prints how long each took (see compare.py).
#
# Idempotent set-up: a virtualenv with the pinned numpy (NUMPY_VENV, default
# target/venv-numpy; never the system Python), the engine's example binary in release.
# Usage: scripts/bench-numpy.sh [ITERATIONS...]
set -euo pipefail
cd "$(dirname "$0")/.."
venv="${NUMPY_VENV:-target/venv-numpy}"
requirements=engine/benches/numpy/requirements.txt
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# pip is quick when the pinned version is already there.
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
cargo build --locked --release -p engine --example forecast_reference
target_dir="${CARGO_TARGET_DIR:-target}"
engine="$target_dir/release/examples/forecast_reference"
project="$target_dir/synthetic-200wp-30risks.json"
"$engine" export "$project"
iterations=("$@")
[ ${#iterations[@]} -gt 0 ] || iterations=(10000 100000)
"$venv/bin/python" engine/benches/numpy/compare.py "$engine" "$venv/bin/python" "$project" 2024-12 42 "${iterations[@]}"
