"""Import benchmark: fteplan's reader against pandas + openpyxl on a large establishment.

    python bench/bench_import.py [--rows 50000] [--keep PATH] [--repeat 3] [--pandas-repeat 1]

Generates (deterministically, with openpyxl's write-only mode) an establishment
workbook with the same 22 headers as the demo council: a title row above the
header, dates as real date cells, salaries as numbers with a few currency-text
cells. Then times, in one run:

1. ``planner.importer.load_establishment(path)``: read, map, parse and
   validate, which is what ``fteplan validate`` does (best of ``--repeat``);
2. ``pandas.read_excel(path, engine="openpyxl", header=1)``: reading only
   (best of ``--pandas-repeat``);

and prints both times, the rows loaded and the speed-up
``pandas/openpyxl time ÷ fteplan time``. Exits 0 when the benchmark ran
(including when the importer is not implemented yet), 1 when a reader failed.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]
SEED = 20260401
AS_AT = date(2026, 3, 31)

HEADERS: tuple[str, ...] = (
    "Post No", "Post Title", "Directorate", "Service", "Team", "Grade", "SCP", "FTE",
    "Contracted Hrs", "Annual Salary (£)", "Status", "Employee No", "Employee Name",
    "Date of Birth", "Continuous Service Date", "Contract Type", "Funding",
    "External Funding (£)", "Pension Member", "Skills", "Cost Centre", "Location",
)  # fmt: skip

#: NJC pay spine 2025/26 SCP 2-43 (see resources/demo/make_demo_council.py for the source).
PAY_SPINE: tuple[int, ...] = (
    24413, 24796, 25185, 25583, 25989, 26403, 26824, 27254, 27694, 28142, 28598, 29064,
    29540, 30024, 30518, 31022, 31537, 32061, 32597, 33143, 33699, 34434, 35412, 36363,
    37280, 38220, 39152, 39862, 40777, 41771, 42839, 44075, 45091, 46142, 47181, 48226,
    49282, 50269, 51356, 52413, 53460, 54495,
)  # fmt: skip
GRADE_POINTS: tuple[tuple[int, int], ...] = (  # Grade 1..12 -> (lowest SCP, highest SCP)
    (2, 3), (3, 5), (5, 7), (7, 11), (12, 17), (18, 22), (23, 25), (26, 29), (30, 33),
    (34, 37), (38, 41), (42, 43),
)  # fmt: skip
GRADE_WEIGHTS: tuple[float, ...] = (1, 12, 19, 14, 17, 9, 6, 11, 5, 3, 1, 0.5)

DIRECTORATES: tuple[str, ...] = (
    "Resources", "Customer & Digital Services", "Place", "Environment & Neighbourhoods",
    "Adult Social Care & Health", "Children's Services",
)  # fmt: skip
TITLES: tuple[str, ...] = (
    "Customer Adviser", "Revenues Officer", "Benefits Assessor", "Social Worker",
    "Support Worker", "Refuse Loader", "HGV Driver", "Planning Officer", "Finance Officer",
    "Team Leader", "Service Manager", "Business Support Officer", "Care Worker", "Analyst",
)  # fmt: skip
FIRST_NAMES: tuple[str, ...] = (
    "Oliver", "George", "Harry", "Jack", "Noah", "Thomas", "James", "Amelia", "Olivia",
    "Isla", "Emily", "Sophie", "Grace", "Sarah", "Emma", "Priya", "Mohammed", "Aisha",
)  # fmt: skip
SURNAMES: tuple[str, ...] = (
    "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Patel",
    "Khan", "Robinson", "Wright", "Walker", "Hughes", "Green", "Hall", "Clarke", "Singh",
)  # fmt: skip
CONTRACTS: tuple[tuple[str, float], ...] = (
    ("Permanent", 88), ("Fixed Term", 5), ("Temporary", 3), ("Agency", 3), ("Secondment", 1),
)  # fmt: skip
SKILLS: tuple[str, ...] = ("revenues", "benefits", "housing", "customer_contact", "council_tax")
LOCATIONS: tuple[str, ...] = ("Town Hall", "Civic Centre", "Depot", "Remote", "Community Sites")
PART_TIME: tuple[float, ...] = (0.5, 0.6, 0.8, 0.81, 0.41, 0.54, 0.7)


# ------------------------------------------------------------------ generation


def _teams(rng: random.Random, n_teams: int) -> list[tuple[str, str, str, str, str]]:
    """(directorate, service, team, cost centre, location) for ``n_teams`` teams."""
    teams = []
    for i in range(n_teams):
        directorate = DIRECTORATES[i % len(DIRECTORATES)]
        service = f"{directorate.split()[0]} Service {i // 24 + 1}"
        teams.append(
            (directorate, service, f"Team {i + 1:03d}", f"CC{1000 + i}", rng.choice(LOCATIONS))
        )
    return teams


def generate_rows(n_rows: int, seed: int = SEED) -> list[list[Any]]:
    """``n_rows`` establishment rows in :data:`HEADERS` order. Deterministic for a given seed."""
    rng = random.Random(seed)
    rand = rng.random
    teams = _teams(rng, max(1, n_rows // 40))
    post_numbers = rng.sample(range(100_000, 1_000_000), n_rows)
    employee_numbers = rng.sample(range(1_000_000, 10_000_000), n_rows)
    grades = rng.choices(range(12), weights=GRADE_WEIGHTS, k=n_rows)
    contracts = rng.choices([c for c, _ in CONTRACTS], weights=[w for _, w in CONTRACTS], k=n_rows)
    rows: list[list[Any]] = []
    for i in range(n_rows):
        directorate, service, team, cost_centre, location = teams[i * len(teams) // n_rows]
        g = grades[i]
        lo, hi = GRADE_POINTS[g]
        scp = rng.randint(lo, hi)
        salary = PAY_SPINE[scp - 2]
        fte = rng.choice(PART_TIME) if rand() < 0.25 else 1.0
        contract = contracts[i]
        vacant = rand() < 0.08
        funding = "Grant" if rand() < 0.06 else "Core"
        salary_cell: object = salary
        if rand() < 0.005:  # a few currency-text cells, as real extracts have
            salary_cell = f"£{salary:,}" if rand() < 0.5 else f"{salary}.00"
        if vacant:
            emp_no = name = dob = started = None
        else:
            age = 18 + int(rand() * 49)
            dob = AS_AT - timedelta(days=age * 365 + int(rand() * 364))
            started = AS_AT - timedelta(days=int(rand() * (age - 16) * 365))
            emp_no = f"E{employee_numbers[i]}"
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"
        skills = ";".join(rng.sample(SKILLS, 1 + int(rand() * 3))) if rand() < 0.15 else None
        rows.append(
            [
                f"P{post_numbers[i]:07d}",
                rng.choice(TITLES),
                directorate,
                service,
                team,
                f"Grade {g + 1}",
                scp,
                fte,
                round(fte * 37, 2),
                salary_cell,
                "Vacant" if vacant else "Filled",
                emp_no,
                name,
                dob,
                started,
                contract,
                funding,
                round(salary * fte * 1.3) if funding == "Grant" else None,
                "No" if contract == "Agency" or rand() < 0.12 else "Yes",
                skills,
                cost_centre,
                location,
            ]
        )
    return rows


def write_workbook(path: Path, rows: Sequence[Sequence[Any]]) -> None:
    """Write ``rows`` under a title row and the header row, in write-only (streaming) mode."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Establishment")
    ws.append([f"Benchmark Borough Council – Establishment ({len(rows):,} posts)"])
    ws.append(list(HEADERS))
    for row in rows:
        ws.append(row)  # date objects become real date cells
    wb.save(path)


# --------------------------------------------------------------------- timing


@dataclass
class Timing:
    label: str
    best: float | None = None
    runs: int = 0
    rows: int | None = None
    note: str = ""


def best_of(repeat: int, fn: Callable[[], int]) -> tuple[float, int]:
    """Best wall-clock time over ``repeat`` calls of ``fn`` and the rows the last call returned."""
    best = float("inf")
    rows = 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = fn()
        best = min(best, time.perf_counter() - start)
    return best, rows


def time_fteplan(path: Path, repeat: int) -> Timing:
    timing = Timing("fteplan load_establishment(path)  [read + validate]")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))  # run from a checkout without installing
    try:
        from planner.importer import load_establishment
    except ImportError as exc:
        timing.note = f"cannot import planner.importer: {exc}"
        return timing

    def run() -> int:
        return int(load_establishment(path).rows_loaded)

    try:
        timing.best, timing.rows = best_of(repeat, run)
        timing.runs = repeat
    except NotImplementedError:
        timing.note = "not implemented yet"
    except Exception as exc:  # report any failure as a row of the table
        timing.note = f"failed: {type(exc).__name__}: {exc}"
    return timing


def time_pandas(path: Path, repeat: int) -> Timing:
    timing = Timing('pandas.read_excel(engine="openpyxl", header=1)  [read only]')
    import pandas as pd

    def run() -> int:
        return len(pd.read_excel(path, engine="openpyxl", header=1))

    try:
        timing.best, timing.rows = best_of(repeat, run)
        timing.runs = repeat
    except Exception as exc:  # report any failure as a row of the table
        timing.note = f"failed: {type(exc).__name__}: {exc}"
    return timing


def render(timings: Sequence[Timing]) -> list[str]:
    width = max(len(t.label) for t in timings)
    lines = [f"{'reader':<{width}}  {'best (s)':>9}  {'runs':>4}  {'rows loaded':>11}"]
    lines.append("-" * len(lines[0]))
    for t in timings:
        if t.best is None:
            lines.append(f"{t.label:<{width}}  {t.note}")
        else:
            rows = f"{t.rows:,}" if t.rows is not None else "?"
            lines.append(f"{t.label:<{width}}  {t.best:>9.3f}  {t.runs:>4}  {rows:>11}")
    return lines


def speedup(fteplan: Timing, pandas: Timing) -> str:
    if fteplan.best is None or pandas.best is None or fteplan.best <= 0:
        missing = fteplan if fteplan.best is None else pandas
        return f"speed-up: n/a ({missing.label.split('(')[0]}: {missing.note or 'no time'})"
    ratio = pandas.best / fteplan.best
    if ratio >= 1:
        return f"fteplan is {ratio:.1f}× faster than pandas/openpyxl (ratio {ratio:.2f})"
    return f"fteplan is {1 / ratio:.1f}× SLOWER than pandas/openpyxl (ratio {ratio:.2f})"


# ----------------------------------------------------------------------- main


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000, help="posts to generate (50,000)")
    parser.add_argument("--keep", type=Path, help="save the generated workbook here and keep it")
    parser.add_argument("--repeat", type=int, default=3, help="fteplan runs, best taken (3)")
    parser.add_argument("--pandas-repeat", type=int, default=1, help="pandas runs, best taken (1)")
    parser.add_argument("--seed", type=int, default=SEED, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1 or args.pandas_repeat < 1:
        parser.error("--rows, --repeat and --pandas-repeat must be at least 1")

    with tempfile.TemporaryDirectory(prefix="fteplan-bench-") as tmp:
        path = args.keep if args.keep is not None else Path(tmp) / "bench_establishment.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        rows = generate_rows(args.rows, args.seed)
        write_workbook(path, rows)
        generated = time.perf_counter() - start
        del rows
        size_mb = path.stat().st_size / 1e6
        print(
            f"Generated {args.rows:,} posts × {len(HEADERS)} columns in {generated:.1f} s: "
            f"{path} ({size_mb:.1f} MB){'' if args.keep else ', deleted afterwards'}"
        )
        print(f"Timing… (fteplan best of {args.repeat}, pandas best of {args.pandas_repeat})")
        sys.stdout.flush()
        fteplan = time_fteplan(path, args.repeat)
        pandas = time_pandas(path, args.pandas_repeat)

    print()
    for line in render([fteplan, pandas]):
        print(line)
    print()
    print(speedup(fteplan, pandas))
    failed = any(t.note.startswith(("failed", "cannot")) for t in (fteplan, pandas))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
