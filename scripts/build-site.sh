#!/usr/bin/env bash
# Builds the browser side into target/site, the same layout cargo-leptos produces:
#   pkg/pmr.js, pkg/pmr.wasm (release, size-optimised), pkg/pmr.css, and public/ assets.
# Steps: cargo (wasm32, profile wasm-release) → wasm-bindgen → wasm-opt -Oz → copy.
# wasm-bindgen and wasm-opt rerun only when cargo's output changed.
set -euo pipefail
cd "$(dirname "$0")/.."

site=target/site
pkg=$site/pkg
raw=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
mkdir -p "$pkg"

cargo build --locked -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release

# wasm-opt from npm's binaryen (Debian's wasm-opt 108 produces bundles that fail to load).
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
stamp=$pkg/.built-from
fingerprint=$(sha256sum "$raw" | cut -d' ' -f1)
if [ ! -f "$pkg/pmr.wasm" ] || [ ! -f "$pkg/pmr.js" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$fingerprint" ]; then
    tmp=$(mktemp -d)
    wasm-bindgen "$raw" --target web --no-typescript --out-dir "$tmp" --out-name pmr
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals "$tmp/pmr_bg.wasm" -o "$pkg/pmr.wasm"
    mv "$tmp/pmr.js" "$pkg/pmr.js"
    rm -rf "$tmp"
    echo "$fingerprint" > "$stamp"
fi

cp style/main.css "$pkg/pmr.css"
cp -r public/. "$site/"
printf 'site built: %s (wasm %s bytes, %s gzipped)\n' "$site" \
    "$(stat -c %s "$pkg/pmr.wasm")" "$(gzip -9 -c "$pkg/pmr.wasm" | wc -c)"
