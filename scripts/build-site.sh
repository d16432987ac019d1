#!/usr/bin/env bash
# Builds the browser side into target/site, the layout cargo-leptos produces with file
# hashing on:
#   pkg/pmr.<hash>.js, pkg/pmr.<hash>.wasm (release, size-optimised), pkg/pmr.<hash>.css,
#   pkg/hash.txt (which hash each has, read by Leptos and the server), and public/ assets;
#   every file also as .br and .gz, compressed once here so the server never compresses an
#   asset per request.
# Steps: cargo (wasm32, profile wasm-release) → wasm-bindgen → wasm-opt -Oz → hash → copy →
# precompress. wasm-bindgen and wasm-opt rerun only when cargo's output changed.
set -euo pipefail
cd "$(dirname "$0")/.."

site=target/site
pkg=$site/pkg
build=target/site-build
raw=target/wasm32-unknown-unknown/wasm-release/frontend.wasm
mkdir -p "$pkg" "$build"

cargo build --locked -p frontend --lib --target wasm32-unknown-unknown --profile wasm-release

# wasm-opt from npm's binaryen (Debian's wasm-opt 108 produces bundles that fail to load).
export PATH="$PWD/end2end/node_modules/.bin:$PATH"
stamp=$build/.built-from
fingerprint=$(sha256sum "$raw" | cut -d' ' -f1)
if [ ! -f "$build/pmr.wasm" ] || [ ! -f "$build/pmr.js" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$fingerprint" ]; then
    tmp=$(mktemp -d)
    wasm-bindgen "$raw" --target web --no-typescript --out-dir "$tmp" --out-name pmr
    wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
        --enable-mutable-globals "$tmp/pmr_bg.wasm" -o "$build/pmr.wasm"
    mv "$tmp/pmr.js" "$build/pmr.js"
    rm -rf "$tmp"
    echo "$fingerprint" > "$stamp"
fi
cp style/main.css "$build/pmr.css"

# Content-hashed names: a changed file gets a new name, so browsers may cache them forever.
hash_of() { sha256sum "$1" | cut -c1-16; }
declare -A hash
for kind in js wasm css; do
    hash[$kind]=$(hash_of "$build/pmr.$kind")
done
rm -f "$pkg"/pmr.* "$pkg"/hash.txt
for kind in js wasm css; do
    cp "$build/pmr.$kind" "$pkg/pmr.${hash[$kind]}.$kind"
done
printf 'js: %s\nwasm: %s\ncss: %s\n' "${hash[js]}" "${hash[wasm]}" "${hash[css]}" > "$pkg/hash.txt"
cp -r public/. "$site/"

# Brotli (best) and gzip (-9) beside every asset, with Node's zlib (no extra tool needed).
node -e '
const fs = require("fs"), path = require("path"), zlib = require("zlib");
for (const dir of process.argv.slice(1)) {
  for (const name of fs.readdirSync(dir)) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile() || /\.(br|gz)$/.test(name) || name.startsWith(".") || name === "hash.txt") continue;
    const data = fs.readFileSync(file);
    fs.writeFileSync(file + ".br", zlib.brotliCompressSync(data, { params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
    fs.writeFileSync(file + ".gz", zlib.gzipSync(data, { level: 9 }));
  }
}' "$site" "$pkg"

wasm=$pkg/pmr.${hash[wasm]}.wasm
printf 'site built: %s (wasm %s bytes, %s gzipped, %s brotli)\n' "$site" \
    "$(stat -c %s "$wasm")" "$(stat -c %s "$wasm.gz")" "$(stat -c %s "$wasm.br")"
