"""Runs the engine and the NumPy reference on the same project, one core each, checks that
they agree and prints how long each took.

Agreement: each P50/P80 of finish and cost may differ by at most Z standard errors of the
difference. The two implementations draw independent samples of the same model, so that
standard error is sqrt(2) x the standard error of one quantile estimate, which the reference
computes from its own samples (order statistics sqrt(n p (1 - p)) ranks either side). Z
holds the chance of a false alarm over every figure checked in one call to 1 % (Bonferroni:
each of the 4 x (iteration counts) figures at 1 % / their number, two-sided; 3.2 standard
errors for the usual two counts). The engine's 16-bit quantile tables add an error far
below that.

Timing: `compute` is each implementation's own clock around the simulation alone (min over
repeats within one process; the project is parsed once, NumPy is imported once); `process`
is the wall time of one whole command running the simulation once, start-up included, as a
user would see it. The engine's `compute` is its whole forecast, tornado (every driver's
rank correlation), criticality and histograms included, which the reference does not
compute; `like for like` times the engine without its tornado (`forecast_reference run ...
no-tornado`).

The machine may be shared: the commands run in ROUNDS rounds (default 5), each round the
engine, the engine without its tornado and the reference one after the other. Each time
printed is the fastest round's; each ratio is the median over rounds of that round's
ratio, so a slow spell that hits one round moves neither much.

Usage: compare.py ENGINE_BINARY PYTHON PROJECT.json PERIOD SEED ITERATIONS...
Exit status 1 when any figure disagrees.
"""

import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time

FIGURES = ["finish_p50", "finish_p80", "cost_p50", "cost_p80"]
FALSE_ALARM = 0.01


def one_core():
    """Prefix pinning a command to CPU 0, when `taskset` is there."""
    return ["taskset", "-c", "0"] if shutil.which("taskset") else []


def run(cmd):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1", MKL_NUM_THREADS="1", RAYON_NUM_THREADS="1")
    started = time.perf_counter()
    out = subprocess.run(one_core() + cmd, check=True, capture_output=True, text=True, env=env).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["process_seconds"] = time.perf_counter() - started
    return result


def main():
    engine, python, project, period, seed = sys.argv[1:6]
    counts = [int(x) for x in sys.argv[6:]]
    rounds = max(1, int(os.environ.get("ROUNDS", "5")))
    z = statistics.NormalDist().inv_cdf(1.0 - FALSE_ALARM / (2 * len(FIGURES) * len(counts)))
    here = os.path.dirname(os.path.abspath(__file__))
    failed = False
    for n in counts:
        # Enough repeats for a stable minimum without making the slow side take minutes.
        engine_cmd = [engine, "run", project, period, str(n), seed]
        numpy_cmd = [python, os.path.join(here, "mc_reference.py"), project, period, str(n), seed]
        whole, bare, ref = [], [], []
        for _ in range(rounds):
            whole.append(run(engine_cmd + [str(max(3, 200_000 // n))]))
            bare.append(run(engine_cmd + [str(max(3, 200_000 // n)), "no-tornado"]))
            ref.append(run(numpy_cmd + [str(max(1, 30_000 // n))]))
        e_once, p_once = run(engine_cmd + ["1"]), run(numpy_cmd + ["1"])
        e, p = whole[0], ref[0]
        print(f"\n{n:,} iterations")
        print(f"  {'figure':<11} {'engine':>14} {'numpy':>14} {'difference':>12} {f'{z:.1f} SE':>12}  agree")
        for key in FIGURES:
            diff = e[key] - p[key]
            tolerance = z * math.sqrt(2.0) * p["se"][key]
            ok = abs(diff) <= tolerance
            failed |= not ok
            print(f"  {key:<11} {e[key]:>14,.2f} {p[key]:>14,.2f} {diff:>12,.2f} {tolerance:>12,.2f}  {'yes' if ok else 'NO'}")
        fastest = lambda runs: min(r["seconds_min"] for r in runs)  # noqa: E731
        ratio = lambda a, b: statistics.median(y["seconds_min"] / x["seconds_min"] for x, y in zip(a, b))  # noqa: E731
        process = p_once["process_seconds"] / e_once["process_seconds"]
        print(
            f"  compute: engine {fastest(whole) * 1000:,.1f} ms, numpy {fastest(ref) * 1000:,.1f} ms: "
            f"engine {ratio(whole, ref):.1f}x faster (median of {rounds} rounds)"
        )
        print(
            f"  like for like (engine without its tornado): engine {fastest(bare) * 1000:,.1f} ms: "
            f"engine {ratio(bare, ref):.1f}x faster"
        )
        print(
            f"  process (one simulation, start-up included): engine {e_once['process_seconds'] * 1000:,.0f} ms, "
            f"numpy {p_once['process_seconds'] * 1000:,.0f} ms: engine {process:.1f}x faster"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
