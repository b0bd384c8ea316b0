"""Edit ▸ Remove personal data…: asked first, one undoable step, autosaved copies replaced."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from planner.demo import demo_scenarios
from planner.personal_data import RedactedEstablishment
from planner.project import Project
from planner.project_file import load_project, open_checked, read_meta
from planner.recovery import write_recovery
from planner.scenario_edits import edit
from tests.ui.conftest import demo_establishment
from ui import project_files
from ui.errors import format_exception

CRASHED_SESSION = "99999-1"  # no lock file: a session that ended without closing


def edit_menu_actions(window) -> list:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    return menu.actions()


def some_names(establishment, n: int = 20) -> list[str]:
    return establishment.posts["employee_name"].dropna().astype(str).head(n).tolist()


def holds_names(path: Path, names: list[str]) -> bool:
    est = load_project(path).establishment
    assert est is not None
    return bool(est.posts["employee_name"].isin(names).any())


@pytest.fixture
def saved_demo(window, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot) -> Path:
    """The demo council in the window, saved as plan.fteplan, then edited (unsaved)."""
    window.load_demo_now(demo_establishment())
    path = tmp_path / "plan.fteplan"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *_a, **_k: (str(path), "")))
    assert window.files.save_as()
    model = window.model
    model.edit_scenario(edit(model.scenario(0), "description", "Edited"), "Edit description", 0)
    return path


def test_the_action_is_in_the_edit_menu_and_needs_an_establishment(window) -> None:
    action = window.remove_personal_action
    assert action.text() == "Remove &personal data…"  # Alt+E, P
    assert action in edit_menu_actions(window)
    assert "names" in action.statusTip()
    assert not action.isEnabled()
    window.load_demo_now(demo_establishment())
    assert action.isEnabled()


def test_cancel_changes_nothing(window, monkeypatch: pytest.MonkeyPatch) -> None:
    window.load_demo_now(demo_establishment())
    asked: list[str] = []
    monkeypatch.setattr(project_files, "confirm_removal",
                        lambda _parent, summary: asked.append(summary) or False)
    window.remove_personal_action.trigger()
    assert asked and asked[0].startswith("• Employee names (1,379) and employee numbers (1,342)")
    assert window.model.establishment is demo_establishment()
    assert not window.model.is_dirty()


def test_confirmation_says_what_goes_and_that_it_is_final() -> None:
    text = project_files.removal_text("• Employee names (3) … are left empty.")
    assert text.startswith("• Employee names (3) … are left empty.\n\nYou can undo this")
    assert "until you close the project" in text
    assert "Once the project is saved and closed it cannot be undone" in text
    assert "Autosaved copies of the project are replaced straight away" in text


def test_remove_undo_save_and_the_recovery_copies(
        window, saved_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        qtbot) -> None:
    model, files = window.model, window.files
    est = demo_establishment()
    names = some_names(est)
    own = files.autosaver.save_now()  # the autosave before the removal holds names
    assert own is not None and holds_names(own, names)
    folder = files.recovery_folder
    crashed = write_recovery(Project(est, demo_scenarios()), folder, saved_demo, CRASHED_SESSION)
    unrelated = write_recovery(Project(est, demo_scenarios()), folder,
                               tmp_path / "other.fteplan", CRASHED_SESSION)
    monkeypatch.setattr(project_files, "confirm_removal", lambda _parent, _summary: True)

    assert files.remove_personal_data()

    clean = model.establishment
    assert isinstance(clean, RedactedEstablishment) and clean.posts["employee_name"].isna().all()
    assert model.project.audit[-1].action == "Remove personal data"
    assert model.undo_stack.undoText() == "Remove personal data"
    assert window.status_label.text().startswith("Personal data removed")
    # this session's copy now holds the project without names; the crashed session's copy
    # of this project is gone; another project's copy is not touched
    assert own.exists() and not holds_names(own, names)
    assert not crashed.exists() and unrelated.exists()
    qtbot.waitUntil(lambda: model.results(0) is not None, timeout=30000)

    model.undo_stack.undo()
    assert model.establishment is est
    model.undo_stack.redo()
    assert model.establishment is clean

    assert files.save()
    assert not own.exists()  # saved: the recovery copy goes
    conn = open_checked(saved_demo)
    try:
        state = read_meta(conn)["personal_data"]
    finally:
        conn.close()
    assert state["removed"] is True and state["columns"] == ["age", "years_service"]
    reopened = load_project(saved_demo)
    assert isinstance(reopened.establishment, RedactedEstablishment)
    assert reopened.establishment.posts["employee_name"].isna().all()
    for entry in reopened.audit:  # the audit log names no employee
        assert not any(name in entry.action for name in names)


def test_a_second_removal_is_not_offered(window, monkeypatch: pytest.MonkeyPatch) -> None:
    window.load_demo_now(demo_establishment())
    monkeypatch.setattr(project_files, "confirm_removal", lambda _parent, _summary: True)
    assert window.files.remove_personal_data()
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information",
                        staticmethod(lambda _p, _t, text, *_a: told.append(text)))
    assert not window.files.remove_personal_data()
    assert told and "already removed" in told[0]


def test_error_details_do_not_dump_the_data() -> None:
    """The error dialog's copyable details are the traceback: code lines, not the values
    of local variables, so a frame of posts in scope does not end up in them."""
    posts = demo_establishment().posts
    names = some_names(demo_establishment())

    def compute(frame: pd.DataFrame) -> None:
        selected = frame[frame["employee_name"].notna()]
        raise ValueError(f"{len(selected)} rows could not be used")

    try:
        compute(posts)
    except ValueError:
        details = format_exception(*sys.exc_info())
    assert "rows could not be used" in details
    assert not any(name in details for name in names)
