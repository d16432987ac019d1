#!/usr/bin/env bash
# One-time, idempotent machine set-up for building and testing PMR. Every step checks
# first and skips what is already there, so a second run takes seconds. Nothing is
# downloaded from outside rustup, crates.io, npm and Debian's apt.
#   scripts/setup.sh          what `make run` needs
#   scripts/setup.sh --test      plus Chromium, redis-server, PostgreSQL and nginx for the tests
#   scripts/setup.sh --cluster   plus redis-server, PostgreSQL and nginx (scripts/cluster.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=false want_cluster=false
[ "${1:-}" = "--test" ] && want_test=true
[ "${1:-}" = "--cluster" ] && want_cluster=true
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# 1. The WASM target for the islands bundle.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
fi

# 2. wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock.
want_wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have_wb=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have_wb" != "$want_wb" ]; then
    say "installing wasm-bindgen-cli $want_wb (about 2 minutes, once)"
    # Not --locked: its own lockfile pins crates this mirror may not have.
    cargo install wasm-bindgen-cli --version "$want_wb" --force
fi

# 3. Debian packages: Chromium for Playwright; redis-server and PostgreSQL, which the tests
#    start privately on free ports; nginx in front of a local cluster. Services the
#    packages would start at install are held back (policy-rc.d): nothing here should
#    take the machine's ports 80, 5432 or 6379.
missing=()
has_postgres() { compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null; }
if $want_test || $want_cluster; then
    command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
    has_postgres || missing+=(postgresql)
fi
if $want_test; then
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    python3 -c 'import ensurepip, venv' >/dev/null 2>&1 || missing+=(python3-venv)
fi
# nginx for --test too: a browser test runs the cluster (end2end/tests/cluster.js.spec.ts).
if $want_cluster || $want_test; then
    [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
fi
if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]} from apt"
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    held=false
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' | $sudo_cmd tee /usr/sbin/policy-rc.d >/dev/null
        $sudo_cmd chmod +x /usr/sbin/policy-rc.d
        held=true
    fi
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
    $held && $sudo_cmd rm -f /usr/sbin/policy-rc.d
fi

# 4. end2end's npm packages: Playwright (no browser download) and binaryen's wasm-opt.
stamp=end2end/node_modules/.installed-lock
if [ ! -f "$stamp" ] || ! cmp -s end2end/package-lock.json "$stamp"; then
    say "installing end2end npm packages"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
    cp end2end/package-lock.json "$stamp"
fi

# 5. The OpenAPI 3.1 validator the API tests run on the served document: Python's
#    openapi-spec-validator (and jsonschema) from PyPI, pinned, in a venv under target/.
if $want_test; then
    venv=target/pytools
    stamp=$venv/.installed-requirements
    if [ ! -f "$stamp" ] || ! cmp -s scripts/openapi-requirements.txt "$stamp" \
        || ! "$venv/bin/python" -c 'import openapi_spec_validator, jsonschema' >/dev/null 2>&1; then
        say "installing the OpenAPI validator into $venv"
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check -r scripts/openapi-requirements.txt
        cp scripts/openapi-requirements.txt "$stamp"
    fi
fi
