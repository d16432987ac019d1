#!/usr/bin/env bash
# `make test`: every test — unit, integration (real server, own SQLite files, own
# redis-server) and end-to-end (Playwright in Debian's Chromium, JavaScript on and off).
set -euo pipefail
cd "$(dirname "$0")/.."
started=$SECONDS
bash scripts/setup.sh --test
bash scripts/build-site.sh
# `frontend` is left out: with it in the build, `app` would get `ssr` and `hydrate` at once.
# `cargo test` also builds target/debug/pmr (the server's integration tests need it) with
# the same features, which the browser tests then run; a separate `cargo build` would
# resolve features without the dev-dependencies and rebuild the world.
cargo test --locked --workspace --exclude frontend
(cd end2end && npx playwright test)
echo "all tests passed in $((SECONDS - started)) s"
