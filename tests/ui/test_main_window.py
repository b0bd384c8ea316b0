"""The main window: opening files through the worker, errors, cancel, settings, keyboard."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QMessageBox

import planner
import planner.importer
from planner.errors import UnusableFileError
from planner.tasks import checkpoint
from tests.ui.factories import make_establishment
from ui import errors
from ui.main_window import TAB_QUALITY, MainWindow, droppable_file, loaded_message
from ui.settings import Settings
from ui.workspace import page


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "council.xlsx"
    path.write_bytes(b"not really a workbook; the importer is faked")
    return path


@pytest.fixture
def fake_importer(monkeypatch):
    def load(path, *, sheet=None, mapping=None, state=None):
        checkpoint(state, 0.5, "Reading rows…")
        return make_establishment(path=path)

    monkeypatch.setattr(planner.importer, "load_establishment", load)




def test_starts_on_the_welcome_screen(window) -> None:
    assert window.stack.currentWidget() is window.welcome
    assert window.title_text() == "FTE Planner"
    assert not window.find_action.isEnabled()
    assert not window.cancel_button.isVisible()


def test_open_file_through_the_worker(qtbot, window, workbook, fake_importer) -> None:
    with qtbot.waitSignal(window.loader.finished, timeout=5000):
        window.open_file(workbook)
    assert window.title_text() == "FTE Planner — council.xlsx*"  # imported, not yet saved
    assert window.stack.currentWidget() is window.workspace
    assert page(window.tabs) is window.posts_view
    assert window.status_label.text() == "Loaded 6 posts from council.xlsx; 1 row excluded"
    assert window.tabs.tabText(TAB_QUALITY) == "Data &quality (4)"
    assert window.posts_view.count_text() == "Showing 6 of 6 posts · 15.41 FTE"
    assert window.summary_panel.text_of("posts") == "6"
    assert window.settings.recent_files() == [str(workbook)]
    assert window.recent_menu.actions()[0].text() == "&1 council.xlsx"
    assert not window.cancel_button.isVisible()
    assert window.find_action.isEnabled()


def test_bad_file_shows_the_plain_message(qtbot, window, workbook, monkeypatch, dialogs) -> None:
    def broken(path, **_kw):
        raise UnusableFileError("council.xlsx is not a spreadsheet FTE Planner can read.")

    monkeypatch.setattr(planner.importer, "load_establishment", broken)
    with qtbot.waitSignal(window.loader.failed, timeout=5000):
        window.open_file(workbook)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    assert dialog.message() == "council.xlsx is not a spreadsheet FTE Planner can read."
    assert str(workbook) in dialog.details()
    assert "Traceback" not in dialog.details()
    assert dialog.windowTitle() == "Could not open the file"
    assert window.status_label.text() == "Could not open council.xlsx."
    assert window.stack.currentWidget() is window.welcome  # nothing half-loaded


def test_unexpected_error_shows_the_traceback(qtbot, window, workbook, monkeypatch,
                                              dialogs) -> None:
    def buggy(path, **_kw):
        raise KeyError("annual_salary")

    monkeypatch.setattr(planner.importer, "load_establishment", buggy)
    with qtbot.waitSignal(window.loader.failed, timeout=5000):
        window.open_file(workbook)
    assert len(dialogs) == 1
    assert dialogs[0].message() == errors.UNEXPECTED_MESSAGE
    assert "KeyError" in dialogs[0].details()
    assert dialogs[0].windowTitle() == "Unexpected error"


def test_missing_file_says_so(window, tmp_path, dialogs) -> None:
    window.open_file(tmp_path / "gone.xlsx")
    assert len(dialogs) == 1
    assert "could not be found" in dialogs[0].message()
    assert not window.loader.is_running()


def test_failure_keeps_the_previous_establishment(qtbot, window, workbook, monkeypatch) -> None:
    window.show_establishment(make_establishment(path="earlier.xlsx"))

    def broken(path, **_kw):
        raise UnusableFileError("Nope.")

    monkeypatch.setattr(planner.importer, "load_establishment", broken)
    with qtbot.waitSignal(window.loader.failed, timeout=5000):
        window.open_file(workbook)
    assert window.title_text() == "FTE Planner — earlier.xlsx*"
    assert window.stack.currentWidget() is window.workspace


def test_cancel_button_stops_loading(qtbot, window, workbook, monkeypatch) -> None:
    def slow(path, *, state=None, **_kw):
        for i in range(3000):
            checkpoint(state, i / 3000, "Reading rows…")
            time.sleep(0.01)
        return make_establishment(path=path)

    monkeypatch.setattr(planner.importer, "load_establishment", slow)
    window.show()
    with qtbot.waitSignal(window.loader.progress, timeout=5000):
        window.open_file(workbook)
    assert window.cancel_button.isVisible()
    assert window.cancel_action.isEnabled()
    assert window.progress_bar.isVisible()
    with qtbot.waitSignal(window.loader.cancelled, timeout=5000):
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert window.status_label.text() == "Opening council.xlsx was cancelled."
    assert not window.cancel_button.isVisible()
    assert window.stack.currentWidget() is window.welcome


def test_geometry_is_remembered(qtbot, settings, tmp_path) -> None:
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.resize(700, 500)  # the offscreen screen is 800 × 600
    first.show()
    size = first.size()
    first.close()
    assert settings.window_geometry() is not None
    second = MainWindow(Settings(tmp_path / "settings.ini"))
    qtbot.addWidget(second)
    assert second.size() == size
    assert second.height() == 500


def test_drop_a_spreadsheet_opens_it(window, workbook, monkeypatch) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(window, "open_file", opened.append)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(workbook))])
    enter = QDragEnterEvent(
        QPoint(10, 10), Qt.DropAction.CopyAction, mime,
        Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
    )
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(drop)
    assert opened == [workbook]


def test_only_spreadsheets_are_droppable() -> None:
    assert droppable_file(["/x/a.txt", "/x/b.XLSX"]) == Path("/x/b.XLSX")
    assert droppable_file(["/x/a.ods"]) == Path("/x/a.ods")
    assert droppable_file(["/x/a.pdf", ""]) is None


def test_keyboard_shortcuts_and_mnemonics(window) -> None:
    assert window.open_action.shortcut() == QKeySequence("Ctrl+O")
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")
    assert window.find_action.shortcut() == QKeySequence("Ctrl+F")
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Edit", "&Scenario", "&View", "&Help"]
    assert window.undo_action.shortcut() == QKeySequence("Ctrl+Z")
    assert QKeySequence("Ctrl+Y") in window.redo_action.shortcuts()
    assert window.save_action.shortcut() == QKeySequence("Ctrl+S")
    assert window.new_action.shortcut() == QKeySequence("Ctrl+N")
    for i in range(window.tabs.count()):
        assert "&" in window.tabs.tabText(i)
    assert window.stack.accessibleName() or window.tabs.accessibleName() == "Establishment"


def test_view_actions_switch_tabs_and_find_focuses_search(qtbot, window) -> None:
    window.show()
    window.show_establishment(make_establishment())
    window.section_actions[2].trigger()
    assert window.workspace.currentIndex() == 2
    window.show_tab(1)
    assert page(window.tabs) is window.summary_panel
    window.show_tab(2)
    assert page(window.tabs) is window.quality_view
    window.find_action.trigger()
    assert window.workspace.currentIndex() == 0
    assert page(window.tabs) is window.posts_view


def test_about_shows_the_version(window, monkeypatch) -> None:
    seen: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: seen.append(text))
    window.about_action.trigger()
    assert planner.__version__ in seen[0]


def test_demo_missing_is_explained(window, monkeypatch, dialogs, tmp_path) -> None:
    monkeypatch.setattr(planner.bundled, "demo_workbook", lambda: tmp_path / "nope.xlsx")
    window.demo_action.trigger()
    assert "demo council is missing" in dialogs[0].message()


def test_open_demo_goes_through_the_loader(qtbot, window, monkeypatch, workbook,
                                           fake_importer) -> None:
    monkeypatch.setattr(planner.bundled, "demo_workbook", lambda: workbook)
    with qtbot.waitSignal(window.loader.finished, timeout=5000):
        window.welcome.demo_button.click()
    assert window.title_text() == "FTE Planner — council.xlsx"  # the demo is not an edit
    assert [s.name for s in window.model.scenarios][:2] == ["Cut first, as planned",
                                                             "Gated by go-live"]


def test_loaded_message_wording() -> None:
    assert loaded_message(make_establishment(rows_excluded=0)) == (
        "Loaded 6 posts from test_council.xlsx"
    )
    assert loaded_message(make_establishment(rows_excluded=3)).endswith("; 3 rows excluded")
