"""Multi-skilled pool benchmark: one large LP, and a 120-month run of a mid-sized pool.

    python -m bench.bench_pools [--seed 1] [--repeat 3]

Pools are random but seeded: each person has a home discipline and 1–4 skills in all
(the home one included), 60–140 hours a month, and demand is drawn so that the pool is
short overall (about 110% of its hours), the case where the LP has real work to do.
The single LP (40 disciplines × 500 people) must take at most 1 s on a slow machine.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.pools import allocate_pool, allocate_pool_months, class_count


def pool(people: int, disciplines: int,
         rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Random capacity (P,), skills (P, D) with 1–4 skills each, and home (P,)."""
    home = rng.integers(0, disciplines, people)
    skills = np.zeros((people, disciplines), dtype=bool)
    for p in range(people):
        k = int(rng.integers(1, min(4, disciplines) + 1))
        others = rng.choice(np.delete(np.arange(disciplines), home[p]), k - 1, replace=False)
        skills[p, [home[p], *others]] = True
    return rng.uniform(60.0, 140.0, people), skills, home


def best_of(repeat: int, fn: object) -> float:
    """Fastest of ``repeat`` wall-clock timings of ``fn()``, in seconds."""
    assert callable(fn)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)

    cap, skills, home = pool(500, 40, rng)
    demand = rng.dirichlet(np.ones(40)) * cap.sum() * 1.1
    weights = rng.uniform(0.5, 2.0, 40)
    t_one = best_of(args.repeat, lambda: allocate_pool(cap, skills, home, demand, weights))
    res = allocate_pool(cap, skills, home, demand, weights, per_person=True)
    print(f"one LP, 40 disciplines x 500 people: {class_count(skills, home)} classes, "
          f"{t_one * 1000:.1f} ms (limit 1000 ms); served {res.served.sum():,.0f} of "
          f"{demand.sum():,.0f} h (single-skill {res.single_skill_served.sum():,.0f} h)")

    cap6, skills6, home6 = pool(200, 6, rng)
    months = 120
    # Monthly capacity wobbles (leave, leavers); demand has a season and a drifting mix,
    # so some months are short only in some disciplines and a few are not short at all.
    cap_t = cap6[None, :] * rng.uniform(0.8, 1.0, (months, 200))
    season = 1.0 + 0.15 * np.sin(2 * np.pi * np.arange(months) / 12)
    mix = rng.dirichlet(np.full(6, 8.0), months)
    demand_t = mix * (cap6.sum() * 0.95 * season)[:, None]
    t_months = best_of(args.repeat,
                       lambda: allocate_pool_months(cap_t, skills6, home6, demand_t))
    _, unmet = allocate_pool_months(cap_t, skills6, home6, demand_t)
    short = int((unmet.sum(axis=1) > 1e-6).sum())
    print(f"{months} months, 6 disciplines x 200 people: {class_count(skills6, home6)} "
          f"classes, {t_months * 1000:.1f} ms ({t_months / months * 1000:.2f} ms a month); "
          f"{short} months short; unmet {unmet.sum():,.0f} of {demand_t.sum():,.0f} h")
    return 0 if t_one <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
