#!/usr/bin/env bash
# `make fuzz`: runs each cargo-fuzz target of fuzz/ for FUZZ_SECONDS (default 60) —
# `import` (bytes → Project::from_json → the report pipeline) and `markdown` (bytes → the
# server's to_safe_html). Not part of `make test`. Safe to re-run: cargo-fuzz is installed
# only when missing, and each run resumes from the corpus the last one grew.
#
# cargo-fuzz passes nightly-only flags (-Zsanitizer, sancov passes) to rustc. The pinned
# stable toolchain accepts them with RUSTC_BOOTSTRAP=1, so that is the default here; set
# FUZZ_TOOLCHAIN=nightly to use a nightly toolchain instead. Set FUZZ_SANITIZER=none to
# build without AddressSanitizer (faster; the engine has no unsafe code of its own).
#
# Seeds and dictionaries (committed) are in fuzz/seeds/<target> and fuzz/dicts; the growing
# corpus goes to fuzz/corpus/<target>, crashes and the last run's log to
# fuzz/artifacts/<target> (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
sanitizer="${FUZZ_SANITIZER:-address}"
targets=(import markdown)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "installing cargo-fuzz"
    cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
    fuzz=(cargo "+$FUZZ_TOOLCHAIN" fuzz)
else
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz)
fi
# Fuzz builds use their own flags; sharing a target directory with normal builds would
# only make both rebuild.
unset CARGO_TARGET_DIR

failed=()
for target in "${targets[@]}"; do
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    log="fuzz/artifacts/$target/last-run.log"
    echo "== fuzzing $target for ${seconds}s (sanitizer: $sanitizer)"
    # libFuzzer reads every corpus directory and writes new inputs to the first.
    # The full log goes to $log; the terminal gets the start, the end and any crash. The
    # verdict comes from the log, not the exit code, which the pipe would hide.
    "${fuzz[@]}" run --sanitizer "$sanitizer" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=20 -dict="fuzz/dicts/$target.dict" \
        -print_final_stats=1 2>&1 |
        tee "$log" | grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|Done|==[0-9]+==|thread|SUMMARY)' || true
    if grep -qE '^Done [0-9]+ runs' "$log"; then
        echo "   $(grep -E '^Done [0-9]+ runs' "$log"); corpus: $(find "fuzz/corpus/$target" -type f | wc -l) inputs"
    else
        failed+=("$target")
        echo "   $target FAILED: see $log and fuzz/artifacts/$target/"
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]}"
    exit 1
fi
echo "fuzzing done: no crashes in ${targets[*]}"
