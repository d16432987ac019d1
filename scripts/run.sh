#!/usr/bin/env bash
# `make run`: set up (idempotent), build the site and the release server, and serve the
# demo portfolio at http://127.0.0.1:3000 (PMR_LISTEN to change). Data goes to ./data.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build-site.sh
cargo build --locked --release -p server --bin pmr
exec ./target/release/pmr serve
