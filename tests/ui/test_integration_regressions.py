"""Regressions found in review of the integrated desktop app: recovery, caches, ticks, audit."""

from __future__ import annotations

import dataclasses
import re
import threading
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMessageBox,
    QTabBar,
    QTabWidget,
    QWidget,
)

from tests.ui.conftest import demo_establishment


def _shown_demo_window(window, qtbot):
    window.load_demo_now(demo_establishment())
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: all(window.model.results(i) is not None for i in range(3)),
                    timeout=30000)
    return window


# 1. Compare page: a rename followed by an add while the page is hidden loses the tick ----------
@pytest.mark.parametrize("shown", [False, True])
def test_compare_keeps_renamed_scenario_ticked(window, qtbot, shown) -> None:
    from ui.scenario_list import rename_scenario
    from ui.workspace import SECTION_COMPARE, SECTION_SCENARIO

    if shown:
        _shown_demo_window(window, qtbot)
    else:  # not shown: @when_shown runs every call at once (the old behaviour)
        window.load_demo_now(demo_establishment())
    model, compare = window.model, window.workspace.compare_view
    window.show_section(SECTION_COMPARE)
    assert compare.ticked_indices() == [0, 1, 2]
    window.show_section(SECTION_SCENARIO)  # the Compare page is now hidden
    rename_scenario(model, 0, "Renamed")
    window.scenario_list.duplicate_scenario()  # or New scenario
    window.show_section(SECTION_COMPARE)
    qtbot.wait(10)
    # the renamed scenario must still be compared (it is when the page is not deferred)
    assert 0 in compare.ticked_indices(), compare.ticked_indices()


# 2. A simulation started before an establishment change is shown as the new one's -----------
def test_simulation_from_old_establishment_is_not_attributed(demo_model, qtbot, monkeypatch):
    import ui.project_model as pm

    model = demo_model
    gate = threading.Event()
    real = pm.simulate

    def slow(results, **kwargs):
        gate.wait(10)
        return real(results, **kwargs)

    monkeypatch.setattr(pm, "simulate", slow)
    assert model.run_simulation(runs=50, seed=1, index=0)
    other = dataclasses.replace(model.establishment)  # a re-import (new object)
    model.set_establishment(other, "Import again")
    gate.set()
    qtbot.waitUntil(lambda: not model.simulation.is_running(), timeout=10000)
    qtbot.waitUntil(lambda: model.results(0) is not None, timeout=30000)
    # the simulation was of the results of the previous establishment
    assert model.simulation_result(0) is None


# 3. A failed save still writes "Saved as …" to the audit log ------------------------------------
def test_failed_save_is_not_logged_as_saved(demo_model, qtbot, tmp_path, settings) -> None:
    from ui.project_files import ProjectFiles

    parent = QWidget()
    qtbot.addWidget(parent)
    files = ProjectFiles(parent, demo_model, settings, tmp_path / "recovery")
    demo_model.path = tmp_path / "no such folder" / "plan.fteplan"
    before = len(demo_model.project.audit)
    assert not files.save()
    assert [e.action for e in demo_model.project.audit[before:]] == []


# 4. The results cache evicts the results of live scenarios (not just undo history) ------------
def test_cache_keeps_live_scenarios(demo_model, qtbot, monkeypatch) -> None:
    import ui.project_model as pm
    from planner.scenario_edits import edit

    model = demo_model
    monkeypatch.setattr(pm, "CACHE_SIZE", 4)
    starts: list[int] = []
    model.compute.started.connect(lambda: starts.append(1))
    for k in range(3):
        with qtbot.waitSignal(model.results_changed, timeout=10000):
            model.edit_scenario(edit(model.scenario(0), "description", f"edit {k}"), "Edit")
        qtbot.waitUntil(lambda: not model.compute.is_running(), timeout=10000)
    # three edits of scenario 0 should need three computations; scenario 1's results were
    # evicted (oldest inserted, never refreshed on use) and recomputed
    assert len(starts) == 3


def test_more_scenarios_than_cache_never_settles(demo_model, qtbot, monkeypatch) -> None:
    import ui.project_model as pm
    from planner.scenario_edits import edit

    model = demo_model
    monkeypatch.setattr(pm, "CACHE_SIZE", 2)  # = a project with 65+ scenarios at 64
    model.edit_scenario(edit(model.scenario(0), "description", "x"), "Edit")
    starts: list[int] = []
    model.compute.started.connect(lambda: starts.append(1))
    qtbot.wait(3000)
    assert len(starts) <= 1, f"{len(starts)} recomputations in 3 s: the cache thrashes"


# 5. Alt+letter clashes with the menu bar on visible pages --------------------------------------
def _mnemonic(text: str) -> str | None:
    m = re.search(r"&([^&])", text.replace("&&", ""))
    return m.group(1).lower() if m else None


def test_no_visible_mnemonic_clashes_with_menus(window, qtbot) -> None:
    _shown_demo_window(window, qtbot)
    menus = {_mnemonic(a.text()): a.text() for a in window.menuBar().actions()}
    ws = window.workspace
    clashes = []
    for section in range(ws.count()):
        inner = ws.widget(section)
        tabs = inner.count() if isinstance(inner, QTabWidget) else 1
        for tab in range(tabs):
            ws.show_section(section, tab if isinstance(inner, QTabWidget) else None)
            qtbot.wait(1)
            texts = [b.text() for b in window.findChildren(QAbstractButton)
                     if b.isVisible() and b.isEnabled()]
            texts += [lb.text() for lb in window.findChildren(QLabel)
                      if lb.isVisible() and lb.buddy() is not None]
            texts += [g.title() for g in window.findChildren(QGroupBox) if g.isVisible()]
            for bar in window.findChildren(QTabBar):
                if bar.isVisible():
                    texts += [bar.tabText(i) for i in range(bar.count())]
            for text in texts:
                if _mnemonic(text) in menus:
                    clashes.append((ws.tabText(section), text, menus[_mnemonic(text)]))
    assert clashes == []


# 6. A second instance offers (and on "No" deletes) the first instance's live recovery file -----
def test_second_instance_does_not_take_a_live_recovery_file(qtbot, tmp_path, settings) -> None:
    from planner.demo import demo_scenarios
    from planner.project import Project
    from ui.project_files import ProjectFiles
    from ui.project_model import ProjectModel

    folder = tmp_path / "recovery"
    first = ProjectModel()
    first.load(Project(demo_establishment(), demo_scenarios()), dirty=True)
    parent = QWidget()
    qtbot.addWidget(parent)
    files1 = ProjectFiles(parent, first, settings, folder)
    written = files1.autosaver.save_now()
    assert written is not None and written.exists()
    # the user double-clicks another project: a second FTE Planner starts
    second = ProjectModel()
    files2 = ProjectFiles(QWidget(parent), second, settings, folder)
    asked: list[str] = []

    def answer(*args, **_kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.No

    import pytest as _pytest
    mp = _pytest.MonkeyPatch()
    mp.setattr(QMessageBox, "question", staticmethod(answer))
    try:
        files2.offer_recovery()
    finally:
        mp.undo()
    first.shutdown()
    second.shutdown()
    assert asked == [], "told the user FTE Planner had closed while it is still running"
    assert written.exists(), "the running session's recovery file was deleted"


# 7. Restoring deletes the recovery file before the restored work is written anywhere ---------
def test_restored_work_keeps_a_recovery_file(qtbot, tmp_path, settings, monkeypatch) -> None:
    from planner.demo import demo_scenarios
    from planner.project import Project
    from ui.autosave import pending_recoveries
    from ui.project_files import ProjectFiles
    from ui.project_model import ProjectModel

    folder = tmp_path / "recovery"
    crashed = ProjectModel()
    crashed.load(Project(demo_establishment(), demo_scenarios()), dirty=True)
    parent = QWidget()
    qtbot.addWidget(parent)
    crashed_files = ProjectFiles(parent, crashed, settings, folder)
    assert crashed_files.autosaver.save_now() is not None
    crashed.shutdown()
    crashed_files.autosaver.release_session_lock()  # the process died

    model = ProjectModel()
    files = ProjectFiles(QWidget(parent), model, settings, folder)
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    assert files.offer_recovery()
    assert files.wait_open()  # restored in the background
    assert model.is_dirty()
    model.shutdown()
    # if the app crashes again before the next autosave (up to 3 minutes), a copy is left
    files.autosaver.release_session_lock()  # crash again
    assert pending_recoveries(folder), "the only copy of the recovered work is in memory"


# 8. Opening the demo adds the bundled demo workbook to File > Open recent ---------------------
def test_demo_is_not_a_recent_file(window, qtbot) -> None:
    window.open_demo()
    qtbot.waitUntil(lambda: window.model.establishment is not None, timeout=30000)
    assert not any("demo" in Path(p).name.lower() for p in window.settings.recent_files())
