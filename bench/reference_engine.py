"""A deliberately plain per-post, per-month Python loop of the engine's rules.

This is the correctness reference for :func:`planner.engine.project` (the
tests compare the two on random establishments and scenarios) and the speed
reference in ``bench/bench_engine.py``. It reads the same prepared inputs but
shares none of the engine's vector code: every post is stepped on its own, in
the order the engine's docstring gives.
"""

from __future__ import annotations

import math

import numpy as np

from planner.engine_inputs import Prepared


def reference_project(prep: Prepared) -> tuple[np.ndarray, np.ndarray]:
    """FTE in post and establishment FTE, (months, posts), stepped one post at a time."""
    T, n, lag = prep.horizon.months, prep.n, prep.lag
    est = [float(x) for x in prep.fte0]
    occ = [float(x) for x in prep.occ0]
    orig = list(occ)
    pipeline: list[dict[int, float]] = [{} for _ in range(n)]  # arrival month -> FTE
    covers: list[set[int]] = [set() for _ in range(n)]  # freezes each post is in
    active = [False] * len(prep.freezes)
    budget = [f.budget for f in prep.freezes]
    delete_flag = [f.delete_on_vacancy for f in prep.freezes]
    deleted = [False] * n
    edges = list(prep.retirement_edges)
    ret_h = list(prep.retirement_hazard)
    occ_out = np.zeros((T, n))
    est_out = np.zeros((T, n))

    def pending(i: int) -> float:
        return sum(pipeline[i].values())

    for t in range(T):
        for e in prep.events.get(t, ()):
            for i in e.idx.tolist():
                if e.kind == "create":
                    est[i] = float(prep.new_fte[i])
                elif e.kind == "freeze_end":
                    active[e.freeze] = False
                elif e.kind == "freeze_start":
                    covers[i].add(e.freeze)
                    active[e.freeze] = True
                    pipeline[i] = {}
                elif e.kind == "delete" and not deleted[i]:
                    deleted[i] = True
                    est[i] = occ[i] = orig[i] = 0.0
                    pipeline[i] = {}
                elif e.kind == "reduce":
                    new = min(est[i], e.value) if e.to_fte else est[i] * (1 - e.value / 100)
                    new = max(new, 0.0)
                    occ[i] = min(occ[i], new)
                    orig[i] = min(orig[i], occ[i])
                    est[i] = new
                    room = max(new - occ[i], 0.0)
                    p = pending(i)
                    if p > room:
                        pipeline[i] = {k: v * room / p for k, v in pipeline[i].items()}
        for i in range(n):
            occ[i] += pipeline[i].pop(t, 0.0)
            h = float(prep.hazard[i])
            h_orig = h
            age = float(prep.age0[i])
            if edges and not math.isnan(age):
                band = sum(1 for edge in edges if edge <= age + t / 12)
                h_orig = 1 - (1 - h) * (1 - ret_h[band])
            leave_orig = orig[i] * h_orig
            occ[i] -= leave_orig + (occ[i] - orig[i]) * h
            orig[i] -= leave_orig
        unfilled = [max(est[i] - occ[i] - pending(i), 0.0) for i in range(n)]
        # Each post's deleting freeze: the latest-started active delete-on-vacancy one.
        owner = [max((f for f in covers[i] if active[f] and delete_flag[f]), default=-1)
                 for i in range(n)]
        totals = [0.0] * len(budget)
        for i in range(n):
            if owner[i] >= 0:
                totals[owner[i]] += unfilled[i]
        cut_by = [0.0] * len(budget)
        for i in range(n):
            f = owner[i]
            if f >= 0 and totals[f] > 1e-12:
                cut = unfilled[i] * min(1.0, budget[f] / totals[f])
                est[i] -= cut
                unfilled[i] -= cut
                cut_by[f] += cut
        for f in range(len(budget)):
            budget[f] -= cut_by[f]
            if active[f] and delete_flag[f] and math.isfinite(budget[f]) and budget[f] <= 1e-9:
                delete_flag[f] = False
                active[f] = False
        for i in range(n):
            frozen = any(active[f] for f in covers[i])
            held = prep.hold_from[i] <= t < prep.hold_until[i]
            if not frozen and not held and unfilled[i] >= 1e-12:
                if lag:
                    pipeline[i][t + lag] = pipeline[i].get(t + lag, 0.0) + unfilled[i]
                else:
                    occ[i] += unfilled[i]
            occ_out[t, i] = occ[i]
            est_out[t, i] = est[i]
    return occ_out, est_out
