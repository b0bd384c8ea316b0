"""Benchmark the Monte Carlo simulation (issue 4's targets), printing times.

* 1,000 runs on the demo council over 60 months: at most 1 s;
* 1,000 runs on a 50,000-post establishment over 120 months: at most 10 s. Leavers
  are drawn per team-and-grade group, so the time grows with the number of groups:
  it is printed for 400 teams × 12 grades (4,800 groups, the engine benchmark's
  establishment) and for 100 teams × 4 grades (400 groups, as the issue assumed).

The expected-value run each simulation starts from is not timed.
Run: ``python bench/bench_montecarlo.py``
"""

from __future__ import annotations

import sys
import time
from importlib.resources import as_file
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_engine import scenario_for, synthetic_posts
from planner.bundled import demo_workbook
from planner.demo import demo_scenarios
from planner.importer import load_establishment
from planner.montecarlo import _groups, simulate
from planner.runner import run_scenario
from planner.workforce import Workforce


def timed(results: object, runs: int = 1000, repeat: int = 3) -> float:
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        simulate(results, runs, seed=1)  # type: ignore[arg-type]
        best = min(best, time.perf_counter() - t0)
    return float(best)


def main() -> None:
    print("Monte Carlo benchmark (1,000 runs, best of 3)\n")
    with as_file(demo_workbook()) as path:
        demo = Workforce.from_posts(load_establishment(path).posts)
    for sc in demo_scenarios():
        res = run_scenario(demo, sc)
        t = timed(res)
        print(f"  demo council, {sc.horizon.months} months, {len(_groups(res).per_person)} "
              f"groups, '{sc.name}': {t:.2f} s (target 1 s{', OK' if t <= 1 else ', SLOW'})")
    for label, teams, grades in (("400 teams x 12 grades", 400, 12),
                                 ("100 teams x 4 grades", 100, 4)):
        posts = synthetic_posts(50_000)
        rng = np.random.default_rng(3)
        posts["team"] = [f"Team {i:03d}" for i in rng.integers(0, teams, len(posts))]
        posts["grade"] = [f"Grade {g}" for g in rng.integers(1, grades + 1, len(posts))]
        res = run_scenario(Workforce.from_posts(posts), scenario_for(120))
        t = timed(res, repeat=1)
        print(f"  50,000 posts, 120 months, {label} ({len(_groups(res).per_person):,} groups): "
              f"{t:.1f} s (target 10 s{', OK' if t <= 10 else ', SLOW'})")


if __name__ == "__main__":
    main()
