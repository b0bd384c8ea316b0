"""Opening a project (and importing with the wizard) does the slow work off the GUI thread.

Reading and checking a project file and formatting its posts table take seconds at
200,000 posts; here they run in the opener's worker, the project on screen stays until
the new one is ready, Cancel and errors leave it untouched, and the newest open wins.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

import ui.import_run_page
import ui.project_opener
import ui.table_model
from planner.demo import demo_scenarios
from planner.project import Project
from planner.project_file import load_project, save_project
from planner.scenario_edits import edit
from tests.ui.conftest import demo_establishment
from tests.ui.factories import make_establishment
from ui.main_window import blank_scenario
from ui.project_opener import OpenProgress


def gui_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@pytest.fixture
def saved(tmp_path: Path):
    """``saved(name)``: a small project file (six posts, one scenario) named ``name``."""
    def make(name: str) -> Path:
        path = tmp_path / name
        save_project(Project(make_establishment(), [blank_scenario(name)]), path)
        return path
    return make


class SlowRead:
    """Stands in for load_project: reading a file named ``slow*`` blocks (no checkpoints,
    like a large file) until ``go`` is set."""

    def __init__(self) -> None:
        self.started, self.go = threading.Event(), threading.Event()

    def __call__(self, path):
        if Path(path).name.startswith("slow"):
            self.started.set()
            assert self.go.wait(30)
        return load_project(path)


@pytest.fixture
def slow(monkeypatch):
    """The opener's reads of ``slow*`` files block until ``slow.go.set()`` (always let go
    at the end)."""
    read = SlowRead()
    monkeypatch.setattr(ui.project_opener, "load_project", read)
    yield read
    read.go.set()


def test_a_saved_project_is_read_and_its_table_prepared_off_the_gui_thread(
        qtbot, window, tmp_path, monkeypatch) -> None:
    path = tmp_path / "demo.fteplan"
    save_project(Project(demo_establishment(), demo_scenarios()), path)
    threads: dict[str, bool] = {}
    taken: list[object] = []

    def read(p):
        threads["load_project"] = gui_thread()
        return load_project(p)

    def prepare(posts, state=None):
        threads["prepare_posts"] = gui_thread()
        return ui.table_model.prepare_posts(posts, state)

    def take(posts):
        taken.append(prepared := real_take(posts))
        return prepared

    real_take = ui.table_model.take_prepared_posts
    monkeypatch.setattr(ui.project_opener, "load_project", read)
    monkeypatch.setattr(ui.project_opener, "prepare_posts", prepare)
    monkeypatch.setattr(ui.table_model, "take_prepared_posts", take)
    with qtbot.waitSignal(window.files.opened, timeout=30_000) as opened:
        assert window.files.open(path)  # returns at once: the open has started
    assert opened.args == [path]
    assert threads == {"load_project": False, "prepare_posts": False}
    # the posts view took the table the worker prepared: nothing formatted on the GUI thread
    assert taken and taken[-1] is not None
    assert window.model.path == path and not window.model.is_dirty()
    assert [s.name for s in window.model.scenarios] == [s.name for s in demo_scenarios()]
    assert len(window.model.establishment.posts) == len(demo_establishment().posts)
    assert window.status_label.text() == "Opened demo.fteplan"
    assert window.settings.recent_files()[0] == str(path)


@pytest.mark.parametrize("how", ["button", "escape"])
def test_cancel_shows_progress_first_and_leaves_the_previous_project(
        qtbot, files, saved, slow, how) -> None:
    first, second = saved("first.fteplan"), saved("slow.fteplan")
    assert files.open_and_wait(first)
    before = files.model.project
    assert files.open(second)
    assert slow.started.wait(10)
    # a slow open shows a progress window with Cancel (after a moment; small files never)
    (progress,) = files.window.findChildren(OpenProgress)
    qtbot.waitUntil(progress.isVisible, timeout=5000)
    assert progress.labelText() == "Opening slow.fteplan…"
    with qtbot.waitSignal(files.open_cancelled, timeout=5000):
        if how == "button":  # while the worker is still reading
            progress.findChild(QPushButton).click()
        else:
            qtbot.keyClick(progress, Qt.Key.Key_Escape)
    assert not progress.isVisible() and not files.opener.is_running()
    slow.go.set()  # the abandoned read ends: its project is dropped
    assert files.opener.wait(10_000)
    qtbot.wait(50)
    assert files.model.project is before and files.model.path == first
    assert [s.name for s in files.model.scenarios] == ["first.fteplan"]
    assert not files.model.is_dirty()


def test_a_corrupt_project_gives_the_message_and_leaves_the_previous_project(
        qtbot, files, saved, tmp_path, dialogs) -> None:
    first = saved("first.fteplan")
    assert files.open_and_wait(first)
    before = files.model.project
    bad = tmp_path / "budget.fteplan"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 50 + b"not really")
    with qtbot.waitSignal(files.open_failed, timeout=10_000) as failed:
        assert files.open(bad)
    assert len(dialogs) == 1
    assert dialogs[0].message() == failed.args[0] == (
        "budget.fteplan is not an FTE Planner project (it may be damaged or another kind "
        "of file).")
    assert dialogs[0].windowTitle() == "Could not open the project"
    assert files.model.project is before and files.model.path == first


def test_the_newest_open_wins(qtbot, files, saved, slow) -> None:
    first, second = saved("slow.fteplan"), saved("second.fteplan")
    assert files.open(first)
    assert slow.started.wait(10)
    with qtbot.waitSignal(files.opened, timeout=10_000):
        assert files.open(second)
    slow.go.set()  # the first file is read at last: too late
    assert files.opener.wait(10_000)
    qtbot.wait(50)
    assert files.model.path == second


def test_changes_made_while_a_project_is_read_are_asked_about(
        qtbot, files, saved, slow, monkeypatch) -> None:
    first, second = saved("first.fteplan"), saved("slow.fteplan")
    assert files.open_and_wait(first)
    assert files.open(second)  # nothing unsaved yet: no question
    asked: list[str] = []

    def cancel(*args, **_kwargs):
        asked.append(args[2])
        return QMessageBox.StandardButton.Cancel

    monkeypatch.setattr(QMessageBox, "question", staticmethod(cancel))
    changed = edit(files.model.scenario(0), "name", "Changed meanwhile")
    files.model.edit_scenario(changed, "Rename")
    with qtbot.waitSignal(files.open_cancelled, timeout=10_000):
        slow.go.set()
    assert asked == ["Save the changes to first.fteplan before closing it?"]
    assert files.model.path == first and files.model.scenario(0).name == "Changed meanwhile"


def test_the_import_wizard_prepares_the_posts_table_in_its_task(
        qtbot, settings, monkeypatch) -> None:
    from planner.bundled import demo_workbook
    from ui.import_wizard import ImportWizard

    prepared: list[tuple[object, bool]] = []

    def prepare(posts, state=None):
        prepared.append((posts, gui_thread()))
        return ui.table_model.prepare_posts(posts, state)

    monkeypatch.setattr(ui.import_run_page, "prepare_posts", prepare)
    wizard = ImportWizard(settings, Path(str(demo_workbook())))
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.next()
    wizard.next()
    page = wizard.import_page
    try:
        qtbot.waitUntil(page.isComplete, timeout=20_000)
        est = wizard.state.establishment  # what Finish hands to the main window
        assert est is not None
        assert len(prepared) == 1 and prepared[0][0] is est.posts and not prepared[0][1]
        assert page.progress.value() == 1000
        # what the main window's posts view will take instead of formatting the rows itself
        assert ui.table_model.take_prepared_posts(est.posts) is not None
    finally:
        page.runner.shutdown()
