"""A 200,000-post establishment: import, compute, save and show it; memory and freezes.

    python bench/bench_large_establishment.py [--rows 200000] [--folder DIR] [--no-gui]

Generates (deterministically) an establishment of ``--rows`` posts with 30 columns, as
an HR system exports them (a title row, dates of birth and service, names, a manager's
post id, a few salaries typed as text), as ``.xlsx`` and as ``.csv`` into a temporary
folder (or ``--folder``, kept), then measures and prints, each step in a fresh process
so its memory is its own:

1. file sizes;
2. import of each file (``planner.importer.load_establishment``): time, Python's peak
   allocation (``tracemalloc``, in a second run, as tracing slows it) and the process's
   peak resident memory (``resource``, POSIX only; "n/a" on Windows);
3. one scenario (post deletions with redeployment, a vacancy freeze, new posts, demand
   and a technology change): engine time;
4. the project saved to ``.fteplan`` and opened again: times and file size;
5. the desktop app (offscreen): the ``.xlsx`` opened through the app's real path
   (``MainWindow.open_file`` → ``ui.loader.Loader`` → posts table, summary, scenario
   computed), with a 10 ms ``QTimer`` recording the longest gap between event-loop
   ticks in each phase: a gap over 250 ms is a freeze (reported as such). Then the file
   is opened again and cancelled at the first progress report: how long the cancel
   took to take effect.

Exit 0 when every step ran (freezes are reported, not failed), 1 when a step failed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FTEPLAN_ERRORS_TO_LOG", "1")

from bench.bench_import import HEADERS as BASE_HEADERS  # noqa: E402
from bench.bench_import import generate_rows  # noqa: E402

FREEZE_MS = 250.0
TICK_MS = 10
EXTRA_HEADERS: tuple[str, ...] = (
    "Reports To", "Job Code", "Job Family", "Work Pattern", "Payroll Area",
    "Date Started in Post", "Notice Period (weeks)", "Notes",
)  # fmt: skip
HEADERS: tuple[str, ...] = BASE_HEADERS + EXTRA_HEADERS
JOB_FAMILIES = ("Administrative", "Professional", "Technical", "Care", "Manual", "Managerial")
PATTERNS = ("Standard", "Compressed", "Term time", "Shift", "Annualised hours")
NOTES = ("", "", "", "", "Acting up", "Phased return", "Secondment in", "TUPE 2019")


# ----- generation ---------------------------------------------------------------------------
def posts(n: int, seed: int = 20260401) -> list[list[Any]]:
    """``n`` rows in :data:`HEADERS` order: the import benchmark's 22 columns and 8 more."""
    rows = generate_rows(n, seed)
    rng = random.Random(seed + 1)
    as_at = date(2026, 3, 31)
    for i, row in enumerate(rows):
        manager = rows[max(0, i - 1 - rng.randrange(40))][0] if i else None
        started = as_at - timedelta(days=rng.randrange(20 * 365))
        row += [manager, f"JC{rng.randrange(1000, 9999)}", rng.choice(JOB_FAMILIES),
                rng.choice(PATTERNS), f"PA{1 + i % 4}", started, rng.choice((1, 4, 8, 12)),
                rng.choice(NOTES) or None]
    return rows


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]]) -> None:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Establishment")
    ws.append([f"Benchmark Borough Council – Establishment ({len(rows):,} posts)"])
    ws.append(list(HEADERS))
    for row in rows:
        ws.append(row)
    wb.save(path)


def write_csv(path: Path, rows: Sequence[Sequence[Any]]) -> None:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADERS)
        for row in rows:
            out.writerow([f"{v:%d/%m/%Y}" if isinstance(v, date) else v for v in row])


def generate(n: int, folder: Path) -> dict[str, Any]:
    start = time.perf_counter()
    rows = posts(n)
    xlsx, csv_path = folder / f"establishment_{n}.xlsx", folder / f"establishment_{n}.csv"
    write_csv(csv_path, rows)
    write_xlsx(xlsx, rows)
    return {"xlsx": str(xlsx), "csv": str(csv_path), "seconds": time.perf_counter() - start,
            "xlsx_mb": xlsx.stat().st_size / 1e6, "csv_mb": csv_path.stat().st_size / 1e6,
            "columns": len(HEADERS)}


# ----- measuring ----------------------------------------------------------------------------
def peak_rss_mb() -> float | None:
    """The process's peak resident memory (POSIX; None on Windows)."""
    try:
        import resource
    except ImportError:
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1e6 if sys.platform == "darwin" else peak / 1e3  # bytes on macOS, KiB else


def traced(fn: Callable[[], Any]) -> tuple[float, float]:
    """(seconds, Python peak MB) of ``fn()`` under tracemalloc."""
    tracemalloc.start()
    start = time.perf_counter()
    fn()
    seconds = time.perf_counter() - start
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 1e6


def step_import(path: str) -> dict[str, Any]:
    from planner.importer import load_establishment

    start = time.perf_counter()
    est = load_establishment(path)
    seconds = time.perf_counter() - start
    rss = peak_rss_mb()
    loaded, issues = est.rows_loaded, len(est.report)
    del est
    _traced_seconds, python_peak = traced(lambda: load_establishment(path))
    return {"seconds": seconds, "rows": loaded, "issues": issues, "python_peak_mb": python_peak,
            "peak_rss_mb": rss}


def bench_scenario(posts_frame: Any) -> Any:
    """Deletions with redeployment, a freeze, new posts, demand and a technology change."""
    from planner.months import Horizon, parse_month
    from planner.scenario import (
        Change,
        CreatePosts,
        DeletePosts,
        Scenario,
        Selector,
        TeamDemand,
        VacancyFreeze,
    )

    teams = sorted(posts_frame["team"].dropna().unique())
    m = parse_month
    return Scenario(
        "Large establishment", Horizon(m("2026-04"), 36),
        actions=(
            DeletePosts(m("2026-09"), Selector(fields=(("team", tuple(teams[:40])),))),
            VacancyFreeze(m("2026-06"), Selector(fields=(("directorate", ("Place",)),)),
                          until=m("2027-04")),
            CreatePosts(m("2026-10"), teams[50], count=20, grade="Grade 6"),
        ),
        demand=tuple(TeamDemand(t) for t in teams[:200]),
        changes=(Change("New revenues system", m("2027-01"), tuple(teams[:100]),
                        demand_removed_pct=15.0, ramp_months=6),),
    )


def step_engine(path: str) -> dict[str, Any]:
    from planner.importer import load_establishment
    from planner.runner import run_scenario

    est = load_establishment(path)
    scenario = bench_scenario(est.posts)
    start = time.perf_counter()
    results = run_scenario(est.posts, scenario)
    seconds = time.perf_counter() - start
    k = results.kpis()
    return {"seconds": seconds, "displaced": k["people_displaced"],
            "redeployed": k["people_redeployed"], "peak_rss_mb": peak_rss_mb()}


def step_project(path: str) -> dict[str, Any]:
    from planner.importer import load_establishment
    from planner.project import Project
    from planner.project_file import load_project, save_project

    est = load_establishment(path)
    project = Project(est, [bench_scenario(est.posts)])
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "large.fteplan"
        start = time.perf_counter()
        save_project(project, target)
        saved = time.perf_counter() - start
        start = time.perf_counter()
        loaded = load_project(target)
        opened = time.perf_counter() - start
        size = target.stat().st_size / 1e6
    assert loaded.establishment is not None and len(loaded.establishment.posts) == len(est.posts)
    return {"save_seconds": saved, "load_seconds": opened, "file_mb": size,
            "peak_rss_mb": peak_rss_mb()}


class GapMonitor:
    """The longest gap between 10 ms timer ticks, by phase (the window's responsiveness)."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.phase = "idle"
        self.gaps: dict[str, float] = {}
        self.ticks: dict[str, int] = {}
        self._last = time.perf_counter()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        gap = (now - self._last) * 1000
        self._last = now
        self.gaps[self.phase] = max(self.gaps.get(self.phase, 0.0), gap)
        self.ticks[self.phase] = self.ticks.get(self.phase, 0) + 1

    def enter(self, phase: str) -> None:
        self._tick()  # the gap so far belongs to the phase before
        self.phase = phase

    def stop(self) -> None:
        self._tick()
        self._timer.stop()


def step_gui(path: str) -> dict[str, Any]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from ui.app import create_application
    from ui.event_wait import process_until
    from ui.main_window import MainWindow
    from ui.settings import Settings

    app = create_application()
    folder = Path(tempfile.mkdtemp())
    window = MainWindow(Settings(folder / "settings.ini"), recovery_folder=folder / "recovery")
    window.resize(1400, 900)
    window.show()
    process_until(None)
    monitor = GapMonitor()
    progress: list[tuple[float, str]] = []
    loader, model = window.loader, window.model
    loader.progress.connect(lambda f, m: progress.append((f, m)))
    times: dict[str, float] = {}

    finished = {"load": False}

    def on_progress(fraction: float, _message: str) -> None:
        # The loader's last report (1.0) comes just before ``finished``, whose slots in the
        # window (connected before ours) take the establishment: that is the display phase.
        if fraction >= 1.0 and monitor.phase == "import":
            times["import"] = time.perf_counter() - start
            monitor.enter("display")

    def on_finished(_est: object) -> None:
        finished["load"] = True

    loader.progress.connect(on_progress)
    loader.finished.connect(on_finished)
    monitor.enter("import")
    start = time.perf_counter()
    window.open_file(path)
    ok = process_until(lambda: finished["load"], timeout=600)
    process_until(lambda: model.establishment is not None, timeout=60)
    process_until(None)
    times["shown"] = time.perf_counter() - start
    monitor.enter("compute")
    process_until(lambda: model.results(0) is not None or model.result_error(0), timeout=600)
    times["computed"] = time.perf_counter() - start
    monitor.enter("browse")
    posts_view = window.posts_view
    browse: dict[str, float] = {}

    def copy_all() -> None:  # Ctrl+C: a large copy is made off the GUI thread
        monitor.enter("copy")  # its own phase: the longest gap while copying
        posts_view.copy_action.trigger()
        process_until(lambda: not posts_view.copier.is_running(), timeout=600)
        monitor.enter("browse")

    for name, action in (
        ("sort by salary", lambda: posts_view.table.sortByColumn(
            posts_view.model.COL_SALARY, Qt.SortOrder.DescendingOrder)),
        ("search", lambda: posts_view.proxy.set_search_text("Team 01")),
        ("clear search", lambda: posts_view.proxy.set_search_text("")),
        ("select all", posts_view.select_all_shown),
        ("copy all rows (Ctrl+C)", copy_all),
    ):
        t0 = time.perf_counter()
        action()
        process_until(None)
        browse[name] = time.perf_counter() - t0
    for section in range(1, 4):  # every section of the window, drawn with the results
        t0 = time.perf_counter()
        window.show_section(section, 0)
        process_until(None)
        browse[f"section {section}"] = time.perf_counter() - t0
    monitor.enter("cancel")
    cancel: dict[str, Any] = {}
    first = {"at": None}

    def cancel_on_first(fraction: float, _message: str) -> None:
        if first["at"] is None:
            first["at"] = time.perf_counter()
            window.cancel_loading()

    cancelled = {"at": None}
    loader.progress.connect(cancel_on_first)
    loader.cancelled.connect(lambda: cancelled.__setitem__("at", time.perf_counter()))
    window.open_file(path)
    process_until(lambda: cancelled["at"] is not None, timeout=600)
    if first["at"] is not None and cancelled["at"] is not None:
        cancel["seconds"] = cancelled["at"] - first["at"]
    # The abandoned load winds down in the background: the window must stay responsive.
    monitor.enter("winding down")
    process_until(lambda: loader.wait(0), timeout=600)
    cancel["wound_down"] = time.perf_counter() - cancelled["at"] if cancelled["at"] else None
    cancel["establishment_kept"] = model.establishment is not None \
        and model.establishment.rows_loaded == len(model.establishment.posts)
    monitor.stop()
    model.shutdown()
    loader.shutdown()
    QApplication.processEvents()
    del app
    return {"loaded": ok, "times": times, "gaps_ms": monitor.gaps, "ticks": monitor.ticks,
            "progress_reports": len(progress),
            "progress_messages": sorted({m for _f, m in progress}),
            "browse": browse, "cancel": cancel, "peak_rss_mb": peak_rss_mb()}


STEPS: dict[str, Callable[[str], dict[str, Any]]] = {
    "import": step_import, "engine": step_engine, "project": step_project, "gui": step_gui,
}


def run_step(step: str, path: Path) -> dict[str, Any]:
    """Run one step in a fresh Python process (its own peak memory); its JSON result."""
    done = subprocess.run([sys.executable, __file__, "--step", step, str(path)],
                          capture_output=True, text=True, cwd=ROOT)
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if done.returncode or line is None:
        return {"error": (done.stderr or done.stdout).strip()[-2000:]}
    return json.loads(line[len("RESULT "):])


# ----- report -------------------------------------------------------------------------------
def _mb(value: float | None) -> str:
    return "n/a (Windows)" if value is None else f"{value:,.0f} MB"


def report(n: int, gen: dict[str, Any], results: dict[str, dict[str, Any]]) -> list[str]:
    lines = [f"{n:,} posts × {gen['columns']} columns, generated in {gen['seconds']:.0f} s",
             f"  .xlsx {gen['xlsx_mb']:.1f} MB   .csv {gen['csv_mb']:.1f} MB", ""]
    for kind in ("xlsx", "csv"):
        r = results[f"import {kind}"]
        if "error" in r:
            lines.append(f"import .{kind}: FAILED {r['error']}")
            continue
        lines.append(f"import .{kind}: {r['seconds']:.1f} s, {r['rows']:,} posts loaded, "
                     f"{r['issues']:,} report lines; Python peak {r['python_peak_mb']:,.0f} MB"
                     f" (tracemalloc), process peak {_mb(r['peak_rss_mb'])} (RSS)")
    r = results["engine"]
    lines.append("engine (one scenario, 36 months): " + (
        f"FAILED {r['error']}" if "error" in r else
        f"{r['seconds']:.1f} s; {r['displaced']:,} displaced, {r['redeployed']:,} redeployed; "
        f"process peak {_mb(r['peak_rss_mb'])}"))
    r = results["project"]
    lines.append("project file: " + (
        f"FAILED {r['error']}" if "error" in r else
        f"save {r['save_seconds']:.1f} s, open {r['load_seconds']:.1f} s, "
        f"{r['file_mb']:.1f} MB; process peak {_mb(r['peak_rss_mb'])}"))
    if "gui" in results:
        lines += ["", *gui_lines(results["gui"])]
    return lines


def gui_lines(r: dict[str, Any]) -> list[str]:
    if "error" in r:
        return [f"desktop app: FAILED {r['error']}"]
    t = r["times"]
    lines = [f"desktop app (offscreen, .xlsx through MainWindow.open_file): imported in "
             f"{t.get('import', float('nan')):.1f} s, shown at {t['shown']:.1f} s, scenario "
             f"computed at {t['computed']:.1f} s; process peak {_mb(r['peak_rss_mb'])}",
             f"  {r['progress_reports']} progress reports: "
             + "; ".join(r["progress_messages"])]
    lines.append("  longest gap between 10 ms event-loop ticks (over "
                 f"{FREEZE_MS:.0f} ms is a freeze):")
    for phase, gap in r["gaps_ms"].items():
        flag = "  FREEZE" if gap > FREEZE_MS else ""
        lines.append(f"    {phase:<12} {gap:8.0f} ms ({r['ticks'].get(phase, 0)} ticks){flag}")
    lines.append("  browsing: " + ", ".join(f"{k} {v:.2f} s" for k, v in r["browse"].items()))
    c = r["cancel"]
    lines.append("  cancel at the first progress report: " + (
        f"took effect in {c['seconds']:.2f} s" if "seconds" in c else "did not take effect")
        + (f" (the abandoned read finished in the background {c['wound_down']:.1f} s later)"
           if c.get("wound_down") is not None else "")
        + ("; the establishment already open was kept" if c.get("establishment_kept")
           else "; the establishment open before was NOT kept"))
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--folder", type=Path, help="write (or reuse) the files here; kept")
    parser.add_argument("--no-gui", action="store_true", help="skip the desktop-app step")
    parser.add_argument("--only", choices=["import", "engine", "project", "gui"],
                        help="run one step only")
    parser.add_argument("--step", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        step, path = args.step
        print("RESULT " + json.dumps(STEPS[step](path), default=str), flush=True)
        return 0

    with tempfile.TemporaryDirectory(prefix="fteplan-large-") as tmp:
        folder = args.folder or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        xlsx, csv_path = (folder / f"establishment_{args.rows}.{k}" for k in ("xlsx", "csv"))
        if xlsx.exists() and csv_path.exists():
            gen = {"xlsx": str(xlsx), "csv": str(csv_path), "seconds": 0.0,
                   "xlsx_mb": xlsx.stat().st_size / 1e6, "csv_mb": csv_path.stat().st_size / 1e6,
                   "columns": len(HEADERS)}
        else:
            gen = generate(args.rows, folder)
        print(f"Files in {folder}" + ("" if args.folder else " (deleted afterwards)"), flush=True)
        results: dict[str, dict[str, Any]] = {}
        plan = [("import xlsx", "import", xlsx), ("import csv", "import", csv_path),
                ("engine", "engine", csv_path), ("project", "project", csv_path)]
        if not args.no_gui:
            plan.append(("gui", "gui", xlsx))
        for name, step, path in plan:
            if args.only and step != args.only:
                continue
            print(f"… {name}", flush=True)
            results[name] = run_step(step, path)
    print()
    if args.only:
        print(json.dumps(results, indent=1, default=str))
        return 1 if any("error" in r for r in results.values()) else 0
    for line in report(args.rows, gen, results):
        print(line)
    return 1 if any("error" in r for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
