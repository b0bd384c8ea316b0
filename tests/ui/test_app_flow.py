"""The issue's "done when", driven through the app's own widgets with no command line:
from the demo council, build a "cut first" and a "gated by go-live" scenario, see where and
when services go red, compare the two side by side, save, reopen and get the same results.
Also: crash recovery and a corrupt project file at the window level."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from planner.scenario import DeletePosts, Selector
from ui import action_dialog
from ui.main_window import MainWindow
from ui.scenario_list import rename_scenario

TEAM = "Contact Centre"


def _ready(model) -> bool:
    return all(model.results(i) is not None or model.result_error(i) for i in
               range(len(model.scenarios)))


def _red_months(results, team: str) -> int:
    table = results.service().risk_table()
    row = table.loc[team] if team in table.index else table[table["team"] == team].iloc[0]
    return int(sum(1 for v in row.to_numpy() if v == "R" or v == 2))


@pytest.fixture
def demo_window(qtbot, window):
    window.show()
    with qtbot.waitSignal(window.loader.finished, timeout=60_000):
        window.open_demo(with_scenarios=False)
    qtbot.waitUntil(lambda: _ready(window.model), timeout=30_000)
    return window


def test_build_compare_and_save_two_scenarios(qtbot, demo_window, tmp_path, monkeypatch):
    window, model = demo_window, demo_window.model
    assert [s.name for s in model.scenarios] == ["Scenario 1"]  # a blank first scenario
    start = model.scenario().horizon.start

    # 1. "Cut first": a channel-shift change live a year in, and a cut in the second month.
    assert rename_scenario(model, 0, "Cut first")
    changes = window.workspace.changes_editor.table_model
    assert changes.add_change([TEAM])
    col = changes.COL_DEMAND_REMOVED
    assert changes.setData(changes.index(0, col), 30.0)
    change = model.scenario().changes[0]
    assert change.go_live == start + 12 and change.demand_removed_pct == 30.0
    cut = DeletePosts(month=start + 1, select=Selector(fields=(("team", (TEAM,)),)),
                      max_fte=15.0, label="Remove 15 FTE from the Contact Centre")
    monkeypatch.setattr(action_dialog, "ask_action", lambda *a, **k: cut)
    assert window.workspace.actions_view.add("delete_posts")
    qtbot.waitUntil(lambda: model.results(0) is not None, timeout=30_000)
    cut_first = model.results(0)
    assert cut_first.scenario.actions == (cut,)

    # Where and when it goes red: the heat map and the cut-before-live warning.
    red_cut_first = cut_first.service().kpis()["red_team_months"]
    assert red_cut_first > 0
    warnings = window.workspace.advice_panel.warning_items()
    assert any(TEAM in w for w in warnings)

    # 2. "Gated by go-live": a copy with the cut moved to the change's full effect.
    window.scenario_list.duplicate_scenario()
    assert model.current_index() == 1
    assert rename_scenario(model, 1, "Gated by go-live")
    actions = window.workspace.actions_view
    actions.select_rows([0])
    months = change.full_effect_month() - cut.month
    assert actions.move_selected(months)
    assert model.scenario().actions[0].month == change.full_effect_month()
    qtbot.waitUntil(lambda: _ready(model), timeout=30_000)
    gated = model.results(1)
    assert gated.service().kpis()["red_team_months"] < red_cut_first

    # 3. Compare side by side.
    compare = window.workspace.compare_view
    assert compare.set_ticked([0, 1])
    table = compare.table_model
    assert table.columnCount() >= 3
    text = compare.copy_table()
    assert "Cut first" in text and "Gated by go-live" in text
    assert "Red team-months" in text

    # 4. Save, reopen in a new window, identical results.
    path = tmp_path / "plan.fteplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    assert window.save_project()
    assert path.is_file()
    assert not window.title_text().endswith("*")
    before = [model.results(i).monthly() for i in range(2)]

    other = MainWindow(window.settings, recovery_folder=tmp_path / "recovery2")
    qtbot.addWidget(other)
    other.open_file(path)
    qtbot.waitUntil(lambda: _ready(other.model) and other.model.results(1) is not None,
                    timeout=30_000)
    assert [s.name for s in other.model.scenarios] == ["Cut first", "Gated by go-live"]
    for i in range(2):
        pd.testing.assert_frame_equal(other.model.results(i).monthly(), before[i])
    assert other.title_text() == "FTE Planner — plan.fteplan"
    assert any("Saved as plan.fteplan" in e.action for e in other.model.project.audit)
    other.model.shutdown()


def test_unsaved_work_is_recovered_after_a_crash(qtbot, demo_window, tmp_path, monkeypatch):
    window, model = demo_window, demo_window.model
    assert rename_scenario(model, 0, "Edited before the crash")
    assert window.files.autosaver.save_now() is not None
    folder = window.files.recovery_folder
    # The "crash": the window is dropped without closing, so nothing clears the recovery
    # file, and the process's session lock goes with it.
    window.model.shutdown()
    window.files.autosaver.release_session_lock()

    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes))
    again = MainWindow(window.settings, recovery_folder=folder)
    qtbot.addWidget(again)
    assert again.files.offer_recovery()
    assert again.files.wait_open()  # restored in the background
    assert [s.name for s in again.model.scenarios] == ["Edited before the crash"]
    assert again.model.is_dirty()  # recovered work is unsaved until the user saves it
    assert again.title_text().endswith("*")
    # The restored work is kept safe at once, in this session's own recovery file.
    kept = again.files.autosaver.recovery_file()
    assert kept.is_file()
    again.model.shutdown()


def test_a_corrupt_project_gives_a_clear_message(qtbot, window, tmp_path, dialogs):
    bad = tmp_path / "budget.fteplan"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"not really")
    window.open_file(bad)
    assert window.files.wait_open()  # read in the background
    assert dialogs, "an error should have been shown"
    message = dialogs[0].message()
    assert "budget.fteplan" in message
    assert "Traceback" not in message
    assert window.stack.currentWidget() is window.welcome
    assert window.model.establishment is None


def test_closing_with_unsaved_changes_asks(qtbot, demo_window, monkeypatch):
    window = demo_window
    rename_scenario(window.model, 0, "Changed")
    asked: list[str] = []

    def cancel(*args, **kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", staticmethod(cancel))
    assert not window.close()
    assert asked and "Save the changes" in asked[0]
    assert window.isVisible()


def test_opening_a_project_someone_else_has_open_warns(qtbot, window, tmp_path, dialogs):
    import json

    from planner.demo import demo_scenarios
    from planner.file_owner import owner_path, read_owner
    from planner.project import Project
    from planner.project_file import save_project
    from tests.ui.conftest import demo_establishment

    path = tmp_path / "shared.fteplan"
    save_project(Project(demo_establishment(), demo_scenarios()[:1]), path)
    owner_path(path).write_text(json.dumps({"user": "alice", "host": "FINANCE-PC-7", "pid": 1,
                                            "since": "2026-11-23T09:15:00+00:00"}))
    window.open_file(path)
    assert window.files.wait_open()  # read in the background
    assert "alice on FINANCE-PC-7" in dialogs[0].message()
    assert read_owner(path).is_me()  # the marker is now this window's
    window.files.release_current()
    assert not owner_path(path).exists()
