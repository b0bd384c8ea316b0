"""The error path, settings and application start-up."""

from __future__ import annotations

import logging
import sys

import pytest
from PySide6.QtWidgets import QApplication

from ui import app, errors
from ui.settings import MAX_RECENT, Settings


def raise_and_capture(exc: BaseException):
    try:
        raise exc
    except BaseException:
        return sys.exc_info()


# -- errors ----------------------------------------------------------------------------------


def test_excepthook_logs_instead_of_showing_when_flagged(qapp, caplog, monkeypatch) -> None:
    def must_not_show(self):
        raise AssertionError("a dialog was opened")

    monkeypatch.setattr(errors.ErrorDialog, "exec", must_not_show)
    assert errors.errors_to_log()
    with caplog.at_level(logging.ERROR, logger="ui.errors"):
        errors.excepthook(*raise_and_capture(ValueError("boom")))
    assert "ValueError: boom" in caplog.text
    assert errors.UNEXPECTED_MESSAGE in caplog.text


def test_environment_variable_sets_the_flag(monkeypatch) -> None:
    errors.set_errors_to_log(None)
    monkeypatch.setenv(errors.ENV_ERRORS_TO_LOG, "1")
    assert errors.errors_to_log()
    monkeypatch.setenv(errors.ENV_ERRORS_TO_LOG, "0")
    assert not errors.errors_to_log()
    errors.set_errors_to_log(True)
    assert errors.errors_to_log()


def test_excepthook_shows_the_dialog_with_traceback(qapp, monkeypatch) -> None:
    shown: list[errors.ErrorDialog] = []
    monkeypatch.setattr(errors.ErrorDialog, "exec", lambda self: shown.append(self) or 0)
    errors.set_errors_to_log(False)
    errors.excepthook(*raise_and_capture(ValueError("boom")))
    assert len(shown) == 1
    dialog = shown[0]
    assert dialog.message() == errors.UNEXPECTED_MESSAGE
    assert "Traceback" in dialog.details() and "ValueError: boom" in dialog.details()
    assert dialog.windowTitle() == "Unexpected error"


def test_error_dialog_details_and_copy(qtbot) -> None:
    dialog = errors.ErrorDialog("The file is empty.", "File: C:\\HR\\posts.xlsx", "Oops")
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.details_edit.isVisible()
    dialog.details_button.click()
    assert dialog.details_edit.isVisible()
    assert dialog.details_edit.toPlainText() == "File: C:\\HR\\posts.xlsx"
    dialog.copy_button.click()
    clip = QApplication.clipboard().text()
    assert "The file is empty." in clip and "posts.xlsx" in clip
    assert dialog.message_label.wordWrap()


def test_error_dialog_without_details(qtbot) -> None:
    dialog = errors.ErrorDialog("Plain.")
    qtbot.addWidget(dialog)
    assert not dialog.details_button.isEnabled()


def test_keyboard_interrupt_is_not_swallowed(monkeypatch) -> None:
    seen: list[type] = []
    monkeypatch.setattr(sys, "__excepthook__", lambda t, v, tb: seen.append(t))
    errors.excepthook(*raise_and_capture(KeyboardInterrupt()))
    assert seen == [KeyboardInterrupt]


def test_install_excepthook(monkeypatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import threading

    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    errors.install_excepthook(log_instead=True)
    assert sys.excepthook is errors.excepthook
    assert errors.errors_to_log()


# -- settings --------------------------------------------------------------------------------


def test_settings_go_where_the_tests_say(settings, tmp_path) -> None:
    assert settings.file_name() == str(tmp_path / "settings.ini")
    assert Settings().file_name() == str(tmp_path / "settings.ini")  # via the env var


def test_recent_files(settings, tmp_path) -> None:
    for i in range(MAX_RECENT + 2):
        settings.add_recent_file(tmp_path / f"f{i}.xlsx")
    settings.add_recent_file(tmp_path / "f3.xlsx")
    recent = settings.recent_files()
    assert len(recent) == MAX_RECENT
    assert recent[0] == str(tmp_path / "f3.xlsx")
    assert recent.count(str(tmp_path / "f3.xlsx")) == 1
    settings.sync()
    assert Settings(tmp_path / "settings.ini").recent_files() == recent
    settings.clear_recent_files()
    assert settings.recent_files() == []


def test_last_directory_defaults_to_home(settings, tmp_path) -> None:
    assert settings.last_directory()
    settings.set_last_directory(tmp_path)
    assert settings.last_directory() == str(tmp_path)


# -- application -----------------------------------------------------------------------------


def test_create_application_reuses_the_instance(qapp) -> None:
    assert app.create_application() is qapp


def test_font_prefers_segoe_ui(qapp) -> None:
    before = qapp.font()
    try:
        app.apply_font(qapp)
        assert qapp.font().families()[0] == "Segoe UI"
        assert qapp.font().pointSizeF() == before.pointSizeF()
    finally:
        qapp.setFont(before)


def test_main_passes_the_file_to_run_gui(monkeypatch) -> None:
    seen: list[str | None] = []
    monkeypatch.setattr(app, "run_gui", lambda path=None, demo=False: seen.append(path) or 0)
    assert app.main(["council.xlsx"]) == 0
    assert app.main([]) == 0
    assert seen == ["council.xlsx", None]


def test_create_main_window_opens_the_file_when_the_loop_runs(qtbot, monkeypatch) -> None:
    from ui.main_window import MainWindow

    opened: list[str] = []
    monkeypatch.setattr(MainWindow, "open_file", lambda self, p: opened.append(p))
    window = app.create_main_window("council.xlsx")
    qtbot.addWidget(window)
    assert opened == []
    qtbot.waitUntil(lambda: opened == ["council.xlsx"], timeout=2000)


@pytest.mark.parametrize("argv", [["--version"]])
def test_version_flag(argv, capsys) -> None:
    with pytest.raises(SystemExit):
        app.main(argv)
    assert "FTE Planner" in capsys.readouterr().out


def test_qt_binding_does_not_lose_references_to_none(qapp) -> None:
    """PySide6 6.12.0 on Python 3.11 crashes after ~100k Qt calls; pyproject excludes it."""
    from ui import compat

    assert not compat.drops_none_references()


def test_run_gui_runs_the_event_loop_until_quit(qapp, monkeypatch) -> None:
    from PySide6.QtCore import QTimer

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    import threading

    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    windows = []

    def fake_window(path=None, demo=False):
        from ui.main_window import MainWindow

        window = MainWindow()
        windows.append((window, path))
        QTimer.singleShot(50, qapp.quit)
        return window

    monkeypatch.setattr(app, "create_main_window", fake_window)
    assert app.run_gui("council.xlsx") == 0
    assert windows[0][1] == "council.xlsx"
    windows[0][0].close()
