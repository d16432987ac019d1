"""A straightforward, vectorised NumPy implementation of the engine's Monte Carlo model.

It exists to check the engine (same numbers within sampling error) and to time it against
an ordinary implementation of the same model on one core. It reads the project import JSON
the engine reads and follows SPEC section 1.5 as the engine implements it:

- remaining work only: complete work packages (actual finish, or 100 %) leave the network;
  in-progress ones keep (1 - percent complete) of their sampled duration and cost;
- three-point estimates are triangular or PERT (Beta with alpha = 1 + 4c, beta = 1 + 4(1 - c));
- open risks with probability > 0 occur independently; a risk's delay counts once along any
  path: each node carries the set (a 64-bit mask) of risks counted on the path that set its
  start, a predecessor offers fin[p] + delays of the node's occurring risks not yet in its
  set, the latest offer wins (the first on ties) and the node's set becomes the winner's
  plus its own risks; a risk without targets delays the finish; its cost is added once;
- cost = AC of the latest snapshot at or before the period (or the work packages' booked
  actuals without one) + sampled remaining cost + occurring risks' costs;
- percentiles are nearest-rank, as in the engine.

Vectorised over iterations; the loop over work packages in topological order remains.

Usage: mc_reference.py PROJECT.json PERIOD ITERATIONS SEED REPEATS
Prints one JSON line like the engine's example `forecast_reference run`.
"""

import json
import math
import sys
import time

import numpy as np


def three_point(est):
    return est["optimistic"], est["most_likely"], est["pessimistic"]


def sample(rng, est, distribution, n):
    """n draws of a three-point estimate."""
    a, m, b = three_point(est)
    if b <= a:
        return np.full(n, a, dtype=np.float64)
    if distribution == "triangular":
        return rng.triangular(a, m, b, n)
    c = (m - a) / (b - a)
    return a + (b - a) * rng.beta(1.0 + 4.0 * c, 1.0 + 4.0 * (1.0 - c), n)


def is_complete(wp):
    return wp.get("actual_finish") is not None or wp.get("percent_complete", 0.0) >= 100.0


def remaining_network(wps):
    """Remaining work packages in topological order (ties by input order) and, per node,
    its remaining predecessors' positions, sorted."""
    index = {w["id"]: i for i, w in enumerate(wps)}
    remaining = [i for i, w in enumerate(wps) if not is_complete(w)]
    alive = set(remaining)
    preds = {i: sorted({index[p] for p in wps[i].get("predecessors", []) if index[p] in alive}) for i in remaining}
    order, placed = [], set()
    while len(order) < len(remaining):
        for i in remaining:
            if i not in placed and all(p in placed for p in preds[i]):
                order.append(i)
                placed.add(i)
                break
    position = {i: k for k, i in enumerate(order)}
    return order, [sorted(position[p] for p in preds[i]) for i in order], position


def cost_to_date(project, period, wps):
    snaps = [s for s in project.get("snapshots", []) if s["period"] <= period]
    if snaps:
        return max(snaps, key=lambda s: s["period"])["ac"]
    total = 0.0
    for w in wps:
        booked = w.get("actual_cost")
        if is_complete(w):
            total += booked if booked is not None else w["cost"]["most_likely"]
        else:
            done = w.get("percent_complete", 0.0) / 100.0
            total += booked if booked is not None else done * w["cost"]["most_likely"]
    return total


def simulate(project, period, n, seed):
    rng = np.random.default_rng(seed)
    dist = project.get("estimate", "pert")
    wps = project["work_packages"]
    order, preds, position = remaining_network(wps)
    index = {w["id"]: i for i, w in enumerate(wps)}

    # Risks: occurrence, impacts; targeted ones get a bit in the path masks.
    risk_cost = np.zeros(n)
    project_delay = np.zeros(n)
    bits_of = [[] for _ in order]  # per node: (bit, occurs, delay) of risks that target it
    targeted = 0
    for r in project.get("risks", []):
        p = r["probability"]
        if r["status"] != "open" or p <= 0.0:
            continue
        targets = sorted({position[index[a]] for a in r.get("affects", []) if index[a] in position})
        if r.get("affects") and not targets:
            continue  # only completed work affected
        occurs = rng.random(n) < p
        risk_cost += np.where(occurs, sample(rng, r["cost_impact"], dist, n), 0.0)
        delay = np.where(occurs, sample(rng, r["schedule_impact"], dist, n), 0.0)
        if not targets:
            project_delay += delay
            continue
        if targeted == 64:
            raise SystemExit("this reference holds at most 64 risks with targets")
        bit = np.uint64(1) << np.uint64(targeted)
        targeted += 1
        for k in targets:
            bits_of[k].append((bit, occurs, delay))

    fin = np.zeros((len(order), n))
    sets = np.zeros((len(order), n), dtype=np.uint64)
    has_successor = np.zeros(len(order), dtype=bool)
    work_cost = np.zeros(n)
    zero = np.uint64(0)
    for k, i in enumerate(order):
        w = wps[i]
        share = 1.0 - w.get("percent_complete", 0.0) / 100.0
        duration = share * sample(rng, w["duration"], dist, n)
        work_cost += share * sample(rng, w["cost"], dist, n)
        hit = np.zeros(n, dtype=np.uint64)
        for bit, occurs, _ in bits_of[k]:
            hit |= np.where(occurs, bit, zero)
        if not preds[k]:
            start = sum((delay for _, _, delay in bits_of[k]), np.zeros(n))
            carried = zero
        else:
            start = np.full(n, -np.inf)
            carried = np.zeros(n, dtype=np.uint64)
            for p in preds[k]:
                has_successor[p] = True
                offer = fin[p].copy()
                for bit, _, delay in bits_of[k]:
                    offer += np.where(sets[p] & bit, 0.0, delay)
                later = offer > start
                start = np.where(later, offer, start)
                carried = np.where(later, sets[p], carried)
        fin[k] = start + duration
        sets[k] = carried | hit
    sinks = [k for k in range(len(order)) if not has_successor[k]]
    end = fin[sinks].max(axis=0) if sinks else np.zeros(n)
    finish = end + project_delay
    cost = cost_to_date(project, period, wps) + work_cost + risk_cost
    return finish, cost


def nearest_rank(values, p):
    k = max(1, min(len(values), math.ceil(p * len(values)))) - 1
    return float(np.partition(values, k)[k])


def quantile_se(values, p):
    """Half the spread of the order statistics sqrt(n p (1-p)) ranks either side of the
    p-quantile: one standard error of the quantile (as the engine's P80 error)."""
    n = len(values)
    d = math.ceil(math.sqrt(n * p * (1.0 - p)))
    k = max(1, min(n, math.ceil(p * n))) - 1
    lo, hi = max(0, k - d), min(n - 1, k + d)
    s = np.partition(values, [lo, hi])
    return float(s[hi] - s[lo]) / 2.0


def main():
    path, period, n, seed, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    with open(path, encoding="utf-8") as f:
        project = json.load(f)
    seconds = []
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        finish, cost = simulate(project, period, n, seed)
        out = {
            "finish_p50": nearest_rank(finish, 0.5),
            "finish_p80": nearest_rank(finish, 0.8),
            "cost_p50": nearest_rank(cost, 0.5),
            "cost_p80": nearest_rank(cost, 0.8),
        }
        seconds.append(time.perf_counter() - started)
    seconds.sort()
    out.update(
        {
            "implementation": "numpy",
            "iterations": n,
            "seconds_min": seconds[0],
            "seconds_median": seconds[len(seconds) // 2],
            "mean_finish": float(finish.mean()),
            "mean_cost": float(cost.mean()),
            "se": {
                "finish_p50": quantile_se(finish, 0.5),
                "finish_p80": quantile_se(finish, 0.8),
                "cost_p50": quantile_se(cost, 0.5),
                "cost_p80": quantile_se(cost, 0.8),
            },
        }
    )
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()
