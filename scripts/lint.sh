#!/usr/bin/env bash
# Formatting and clippy, per package and feature set: `app` is checked once for the server
# (ssr) and once for the browser (hydrate, wasm32) — never with both features at once.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --locked -p engine -p monitor -p hub --all-targets -- -D warnings
cargo clippy --locked -p app --features ssr --all-targets -- -D warnings
cargo clippy --locked -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked -p frontend --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked -p pmr-load --all-targets -- -D warnings
cargo clippy --locked -p server --all-targets -- -D warnings
cargo clippy --locked -p server --features bench --all-targets -- -D warnings
