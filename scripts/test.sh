#!/usr/bin/env bash
# `make test`: every test — unit, integration (real server, own SQLite files, own
# redis-server) and end-to-end (Playwright in Debian's Chromium, JavaScript on and off).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
bash scripts/setup.sh --test
bash scripts/build-site.sh
# `frontend` is left out: with it in the build, `app` would get `ssr` and `hydrate` at once.
cargo test --locked --workspace --exclude frontend
cargo build --locked -p server --bin pmr
(cd end2end && npx playwright test)
echo "all tests passed in $((SECONDS - started)) s"
