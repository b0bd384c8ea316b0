"""Benchmark the expected-value engine (issue 3's targets), printing times and ratios.

* 50,000 posts over 120 months: one expected-value run (prepare + project +
  running costs) should take at most 0.5 s;
* the demo council (about 1,500 posts, 60 months): at most 20 ms, so the app can
  recompute while a slider moves; the whole ``run_scenario`` (scenario check,
  redeployment matching, one-off costs, cached baseline) is printed too;
* the per-post Python loop in ``bench/reference_engine.py`` as the reference
  (on a 2,000-post slice, scaled, because the full loop would take minutes).

Run: ``python bench/bench_engine.py``
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from importlib.resources import as_file
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.reference_engine import reference_project
from planner.bundled import demo_workbook
from planner.costing import running_costs
from planner.demo import demo_scenarios
from planner.engine import project
from planner.engine_inputs import prepare
from planner.establishment import POST_COLUMNS
from planner.importer import load_establishment
from planner.months import Horizon, parse_month
from planner.runner import run_scenario
from planner.scenario import (
    DeletePosts,
    RetirementBand,
    Scenario,
    Selector,
    VacancyFreeze,
)
from planner.workforce import Workforce


def best_of(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def synthetic_posts(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    teams = np.array([f"Team {i:03d}" for i in range(400)], dtype=object)
    frame = pd.DataFrame({c: pd.Series([None] * n, dtype=object) for c in POST_COLUMNS})
    frame["post_id"] = [f"P{i:06d}" for i in range(n)]
    frame["team"] = teams[rng.integers(0, len(teams), n)]
    frame["directorate"] = [f"Directorate {int(t[-3:]) % 8}" for t in frame["team"]]
    frame["grade"] = [f"Grade {g}" for g in rng.integers(1, 13, n)]
    frame["fte"] = rng.choice([0.5, 0.8, 1.0, 1.0, 1.0], n)
    frame["annual_salary"] = rng.normal(32_000, 8_000, n).clip(18_000, 90_000)
    frame["status"] = np.where(rng.random(n) < 0.08, "vacant", "filled")
    frame["age"] = rng.integers(18, 67, n).astype(float)
    frame["years_service"] = rng.integers(0, 30, n).astype(float)
    frame["pension_member"] = True
    frame["funding"] = "core"
    frame["source_row"] = np.arange(n) + 2
    return frame


def scenario_for(months: int) -> Scenario:
    start = parse_month("2027-04")
    from planner.scenario import NaturalWastage

    return Scenario(
        "bench", Horizon(start, months),
        natural_wastage=NaturalWastage(retirement=(RetirementBand(60, 64, 8.0),
                                                   RetirementBand(65, None, 30.0))),
        actions=(
            DeletePosts(start + 3, Selector(fields=(("grade", ("Grade 3",)),)), max_fte=400),
            VacancyFreeze(start, Selector(fields=(("directorate", ("Directorate 2",)),)),
                          delete_on_vacancy=True, delete_until_fte=300),
        ),
    )


def engine_run(wf: Workforce, sc: Scenario) -> None:
    run = project(prepare(wf, sc))
    running_costs(run, sc.assumptions)


def main() -> None:
    print("Expected-value engine benchmark (best of 5)\n")
    big = Workforce.from_posts(synthetic_posts(50_000))
    sc = scenario_for(120)
    t_big = best_of(lambda: engine_run(big, sc))
    print(f"50,000 posts × 120 months: engine run {t_big:.3f} s "
          f"(target ≤ 0.5 s: {'met' if t_big <= 0.5 else 'NOT met'})")
    t_full_big = best_of(lambda: run_scenario(big, sc, check=False), repeat=3)
    print(f"  whole run_scenario incl. matching and one-off costs: {t_full_big:.3f} s")

    slice_n = 2_000
    small = Workforce.from_posts(synthetic_posts(slice_n))
    prep = prepare(small, sc)
    t_ref = best_of(lambda: reference_project(prep), repeat=1)
    t_vec = best_of(lambda: project(prep))
    print(f"Per-post Python loop, {slice_n:,} posts × 120 months: {t_ref:.2f} s "
          f"(≈ {t_ref * 50_000 / slice_n:.0f} s scaled to 50,000); vectorised {t_vec:.4f} s: "
          f"{t_ref / t_vec:.0f}× faster")

    with as_file(demo_workbook()) as path:
        est = load_establishment(path)
    wf = Workforce.from_posts(est.posts)
    for demo in demo_scenarios():
        run_scenario(wf, demo)  # warm the baseline cache
        t_engine = best_of(lambda demo=demo: engine_run(wf, demo), repeat=10)
        t_full = best_of(lambda demo=demo: run_scenario(wf, demo), repeat=10)
        print(f"Demo council ({wf.n:,} posts × {demo.horizon.months} months), "
              f"'{demo.name}': engine {t_engine * 1000:.1f} ms "
              f"(target ≤ 20 ms: {'met' if t_engine <= 0.02 else 'NOT met'}); "
              f"whole run_scenario {t_full * 1000:.1f} ms")


if __name__ == "__main__":
    main()
