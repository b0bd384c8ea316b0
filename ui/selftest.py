"""``--selftest``: prove an installed or frozen app works, then exit (0 ok, 1 failed).

The packaged app is smoke-tested by running it with ``--selftest`` offscreen
(``tools/smoke_bundle.py`` on Linux, the release workflow on Windows). Each check
exercises a part that breaks when a bundle is missing something: the bundled resources
(through ``importlib.resources``), the spreadsheet readers, scipy's solvers (redeployment,
pools, the simulation), the main window and its charts, and the exports (the Excel
workbook and the PDF board pack). Nothing touches the user's settings or recovery
files: both go to a temporary folder that is removed afterwards.

A windowed Windows program has no console (``sys.stdout`` is None), so the report is
also written to ``--report FILE`` when given.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from importlib.resources import as_file
from pathlib import Path

from planner import __version__

OK_LINE = "FTE Planner self-test: OK"
FAILED_LINE = "FTE Planner self-test: FAILED"
RESULTS_TIMEOUT_S = 60.0


class _Report:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.started = time.perf_counter()

    def say(self, text: str) -> None:
        line = f"[{time.perf_counter() - self.started:6.2f} s] {text}"
        self.lines.append(line)
        if sys.stdout is not None:
            print(line, flush=True)


def run_selftest(report_path: str | None = None) -> int:
    """Run every check; 0 when all pass. The report goes to stdout and ``report_path``."""
    report = _Report()
    report.say(f"FTE Planner {__version__}, Python {sys.version.split()[0]}, "
               f"frozen={getattr(sys, 'frozen', False)}, platform={sys.platform}")
    code = 0
    with tempfile.TemporaryDirectory(prefix="fteplan-selftest-") as tmp:
        folder = Path(tmp)
        saved = os.environ.get("FTEPLAN_SETTINGS_FILE")
        os.environ["FTEPLAN_SETTINGS_FILE"] = str(folder / "settings.ini")
        try:
            for name, check in _checks(folder):
                detail = check()
                report.say(f"ok  {name}{': ' + detail if detail else ''}")
            report.say(OK_LINE)
        except Exception:  # the point of a self-test: report anything at all, then fail
            for line in traceback.format_exc().rstrip().splitlines():
                report.say(line)
            report.say(FAILED_LINE)
            code = 1
        finally:
            if saved is None:
                os.environ.pop("FTEPLAN_SETTINGS_FILE", None)
            else:
                os.environ["FTEPLAN_SETTINGS_FILE"] = saved
    if report_path:
        Path(report_path).write_text("\n".join(report.lines) + "\n", encoding="utf-8")
    return code


def _checks(folder: Path) -> list[tuple[str, Callable[[], str]]]:
    state: dict[str, object] = {}

    def resources() -> str:
        from planner.bundled import demo_workbook, profile_files, resource

        missing = [str(p) for p in (demo_workbook(), resource("icons", "fteplan.png"),
                                    resource("rates", "employer_ni.json"))
                   if not p.is_file()]
        if missing:
            raise RuntimeError(f"Resources missing from the installation: {missing}")
        return f"demo workbook, icon, rates and {len(profile_files())} mapping profiles"

    def establishment() -> str:
        from planner.bundled import demo_workbook
        from planner.importer import load_establishment

        with as_file(demo_workbook()) as path:
            est = load_establishment(path)
        state["est"] = est
        return f"{len(est.posts):,} posts read from the demo workbook"

    def scenarios() -> str:
        from planner.demo import demo_scenarios
        from planner.montecarlo import simulate
        from planner.runner import run_scenario
        from planner.workforce import Workforce

        est = state["est"]
        wf = Workforce.from_posts(est.posts)  # type: ignore[attr-defined]
        runs = [run_scenario(wf, sc) for sc in demo_scenarios()]
        state["runs"] = runs
        sim = simulate(runs[0], 200, seed=1)
        red = sum(int(r.kpis().get("red_team_months", 0) or 0) for r in runs)
        return (f"{len(runs)} scenarios run ({red} red team-months), "
                f"{sim.runs} simulations (seed {sim.seed})")

    def window() -> str:
        from PySide6.QtCore import QCoreApplication, QEvent

        from ui.event_wait import process_until
        from ui.main_window import MainWindow
        from ui.settings import Settings

        win = MainWindow(Settings(folder / "settings.ini"), recovery_folder=folder / "recovery")
        win.resize(1280, 800)
        win.show()
        win.load_demo_now(state["est"])
        model = win.model
        process_until(lambda: model.results() is not None
                      or model.result_error(model.current_index()), RESULTS_TIMEOUT_S)
        if model.result_error(model.current_index()):
            raise RuntimeError(model.result_error(model.current_index()))
        if model.results() is None:
            raise RuntimeError("The main window did not compute the demo's results in time.")
        shot = folder / "window.png"
        if not win.grab().save(str(shot)):
            raise RuntimeError("Could not draw the main window.")
        title = win.windowTitle().replace("[*]", "")
        win.model.undo_stack.setClean()
        if not win.close():
            raise RuntimeError("The main window refused to close.")
        scenarios = len(win.model.scenarios)
        # Delete it now: its thread pools wait for their workers in their destructors, so
        # no worker is left running while Python shuts down.
        win.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return f"main window drawn ({title!r}, {scenarios} scenarios)"

    def workbook() -> str:
        from openpyxl import load_workbook

        from planner.export_xlsx import write_results_workbook

        path = write_results_workbook(state["runs"][0], folder / "selftest.xlsx",  # type: ignore[index]
                                      establishment=state["est"])  # type: ignore[arg-type]
        sheets = load_workbook(path, read_only=True).sheetnames
        return f"workbook written and read back ({len(sheets)} sheets)"

    def project_file() -> str:
        from planner.demo import demo_scenarios
        from planner.project import Project
        from planner.project_file import load_project, save_project

        path = folder / "selftest.fteplan"
        save_project(Project(state["est"], demo_scenarios()), path)  # type: ignore[arg-type]
        again = load_project(path)
        if [s.name for s in again.scenarios] != [s.name for s in demo_scenarios()]:
            raise RuntimeError("The project file did not read back the same scenarios.")
        return f"project saved and reopened with its checksum ({path.stat().st_size:,} bytes)"

    def board_pack() -> str:
        from planner.board_pack import build_board_pack
        from ui.board_pack_pdf import write_board_pack_pdf

        pack = build_board_pack(state["runs"], None, state["est"])  # type: ignore[arg-type]
        path = write_board_pack_pdf(pack, folder / "selftest.pdf")
        data = path.read_bytes()
        if not data.startswith(b"%PDF") or len(data) < 10_000:
            raise RuntimeError(f"The board pack PDF is not right ({len(data):,} bytes).")
        return f"board pack PDF written ({len(data):,} bytes)"

    return [("resources", resources), ("establishment", establishment),
            ("scenarios", scenarios), ("window", window), ("project file", project_file),
            ("workbook", workbook), ("board pack", board_pack)]
