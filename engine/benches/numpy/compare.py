"""Runs the engine and the NumPy reference on the same project, one core each, checks that
they agree and prints how long each took.

Agreement: each P50/P80 of finish and cost may differ by at most three standard errors of
the difference. The two implementations draw independent samples of the same model, so that
standard error is sqrt(2) x the standard error of one quantile estimate, which the reference
computes from its own samples (order statistics sqrt(n p (1 - p)) ranks either side). The
engine's 16-bit quantile tables add an error far below that.

Timing: `compute` is each implementation's own clock around the simulation alone (min over
repeats; the project is parsed once, NumPy is imported once); `process` is the wall time of
one whole command running the simulation once, start-up included, as a user would see it.
The engine's `compute` is its whole forecast, tornado (every driver's rank correlation),
criticality and histograms included, which the reference does not compute; `like for
like` times the engine without its tornado (`forecast_reference run ... no-tornado`).

Usage: compare.py ENGINE_BINARY PYTHON PROJECT.json PERIOD SEED ITERATIONS...
Exit status 1 when any figure disagrees.
"""

import json
import math
import os
import shutil
import subprocess
import sys
import time

FIGURES = ["finish_p50", "finish_p80", "cost_p50", "cost_p80"]


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
    here = os.path.dirname(os.path.abspath(__file__))
    failed = False
    for n in [int(x) for x in sys.argv[6:]]:
        # Enough repeats for a stable minimum without making the slow side take minutes.
        engine_cmd = [engine, "run", project, period, str(n), seed]
        numpy_cmd = [python, os.path.join(here, "mc_reference.py"), project, period, str(n), seed]
        e = run(engine_cmd + [str(max(3, 200_000 // n))])
        bare = run(engine_cmd + [str(max(3, 200_000 // n)), "no-tornado"])
        p = run(numpy_cmd + [str(max(1, 30_000 // n))])
        e_once, p_once = run(engine_cmd + ["1"]), run(numpy_cmd + ["1"])
        print(f"\n{n:,} iterations")
        print(f"  {'figure':<11} {'engine':>14} {'numpy':>14} {'difference':>12} {'3 SE':>12}  agree")
        for key in FIGURES:
            diff = e[key] - p[key]
            tolerance = 3.0 * math.sqrt(2.0) * p["se"][key]
            ok = abs(diff) <= tolerance
            failed |= not ok
            print(f"  {key:<11} {e[key]:>14,.2f} {p[key]:>14,.2f} {diff:>12,.2f} {tolerance:>12,.2f}  {'yes' if ok else 'NO'}")
        compute = p["seconds_min"] / e["seconds_min"]
        process = p_once["process_seconds"] / e_once["process_seconds"]
        like = p["seconds_min"] / bare["seconds_min"]
        print(f"  compute: engine {e['seconds_min'] * 1000:,.1f} ms, numpy {p['seconds_min'] * 1000:,.1f} ms: engine {compute:.1f}x faster")
        print(f"  like for like (engine without its tornado): engine {bare['seconds_min'] * 1000:,.1f} ms: engine {like:.1f}x faster")
        print(
            f"  process (one simulation, start-up included): engine {e_once['process_seconds'] * 1000:,.0f} ms, "
            f"numpy {p_once['process_seconds'] * 1000:,.0f} ms: engine {process:.1f}x faster"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
