"""Redeployment matching benchmark: solve time for random problems of growing size.

    python bench/bench_redeployment.py [--sizes 500x800 2000x3000 4000x4000] [--seed 1]

Each problem has twelve grades (£18k–£51k, so ranks follow the grade numbers), 40 teams
in 10 services and 4 directorates, a few skills each, deletion and opening months over
two years and half the slots existing vacancies. It is solved under the default policy
(council-wide, one grade down) and under a directorate ring-fence with skills required,
and prints the wall time and people placed for each. Council-wide problems are the
slow case: the grade chain links every grade, so the whole problem is one block.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.redeployment import grade_ranks, match_redeployment
from planner.scenario import RedeploymentPolicy

GRADES = [f"Grade {g}" for g in range(1, 13)]
SKILLS = ["finance", "revenues", "benefits", "planning", "it", "hr", "legal", "housing"]
POLICIES = {
    "council, 1 down": RedeploymentPolicy(),
    "directorate, skills": RedeploymentPolicy(ring_fence="directorate",
                                              skills_overlap_required=True),
}


def _table(rng: np.random.Generator, k: int, key: str) -> pd.DataFrame:
    grade = rng.integers(0, len(GRADES), k)
    team = rng.integers(0, 40, k)
    return pd.DataFrame({
        key: np.arange(k), "post_id": [f"{key[0].upper()}{i:05d}" for i in range(k)],
        "team": [f"Team {t}" for t in team], "service": [f"Service {t // 4}" for t in team],
        "directorate": [f"Directorate {t // 10}" for t in team],
        "grade": [GRADES[g] for g in grade],
        "annual_salary": 18_000.0 + 3_000.0 * grade + rng.integers(0, 2_000, k),
        "fte": rng.choice([1.0, 0.8, 0.5], k),
        "skills": [";".join(rng.choice(SKILLS, rng.integers(0, 3), replace=False)) or None
                   for _ in range(k)],
    })


def problem(people: int, slots: int, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A random displaced table and slot table (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    displaced = _table(rng, people, "person").assign(month=rng.integers(0, 24, people))
    offered = _table(rng, slots, "slot").assign(
        open_month=rng.integers(0, 24, slots),
        source=rng.choice(["vacancy", "new post"], slots))
    return displaced, offered


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["500x800", "2000x3000", "4000x4000"],
                        help="PEOPLExSLOTS problem sizes")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for size in args.sizes:
        people, slots = (int(x) for x in size.lower().split("x"))
        displaced, offered = problem(people, slots, args.seed)
        ranks = grade_ranks(pd.concat([displaced, offered], ignore_index=True))
        for name, policy in POLICIES.items():
            start = time.perf_counter()
            result = match_redeployment(displaced, offered, policy, ranks)
            took = time.perf_counter() - start
            summary = result.summary()
            print(f"{people:>6,} × {slots:<6,} {name:<20} {took:7.2f} s   "
                  f"placed {summary['redeployed']:,} of {people:,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
