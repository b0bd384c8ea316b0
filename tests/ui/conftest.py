"""UI tests run headless, with throw-away settings and errors logged, not shown."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before anything imports Qt
os.environ.setdefault("FTEPLAN_ERRORS_TO_LOG", "1")

from collections.abc import Iterator
from pathlib import Path

import pytest

from ui import errors
from ui.settings import ENV_SETTINGS_FILE, Settings


@pytest.fixture(autouse=True, scope="session")
def _collect_on_the_gui_thread() -> Iterator[None]:
    """As in the app (ui.app): no automatic cycle collection, which could run on a worker
    thread and destroy Qt objects there; collect between tests on this thread instead."""
    import gc

    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True, scope="module")
def _collect_after_each_module() -> Iterator[None]:
    import gc

    yield
    gc.collect()


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Settings go to a file in tmp_path; error dialogs are logged instead of shown."""
    monkeypatch.setenv(ENV_SETTINGS_FILE, str(tmp_path / "settings.ini"))
    monkeypatch.setenv(errors.ENV_ERRORS_TO_LOG, "1")
    errors.set_errors_to_log(True)
    # A question nobody answers would block a headless test for ever: answer "Discard"/"No"
    # unless a test patches its own answer.
    from PySide6.QtWidgets import QMessageBox

    def _no(*_args, **_kwargs):
        return QMessageBox.StandardButton.Discard if len(_args) > 3 and \
            _args[3] & QMessageBox.StandardButton.Discard else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", staticmethod(_no))
    yield
    errors.set_errors_to_log(None)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.ini")


@pytest.fixture
def window(qtbot, settings: Settings):
    """A main window with throw-away settings; its loader is shut down afterwards."""
    from ui.main_window import MainWindow

    w = MainWindow(settings, recovery_folder=settings_folder(settings) / "recovery")
    qtbot.addWidget(w)
    yield w
    w.loader.shutdown()
    w.model.shutdown()


def settings_folder(settings: Settings) -> Path:
    return Path(settings.file_name()).parent


_DEMO_CACHE: dict[str, object] = {}


def demo_establishment():
    """The demo council, read once per test session (treat it as read-only)."""
    if "est" not in _DEMO_CACHE:
        from planner import bundled, importer

        _DEMO_CACHE["est"] = importer.load_establishment(bundled.demo_workbook())
    return _DEMO_CACHE["est"]


@pytest.fixture
def demo_model(qtbot):
    """A ProjectModel with the demo council and its three scenarios, results ready."""
    from planner.demo import demo_scenarios
    from planner.project import Project
    from ui.project_model import ProjectModel

    model = ProjectModel()
    model.load(Project(demo_establishment(), demo_scenarios()))
    qtbot.waitUntil(lambda: all(model.results(i) is not None for i in range(3)), timeout=30000)
    yield model
    model.shutdown()


@pytest.fixture
def dialogs(monkeypatch) -> list[errors.ErrorDialog]:
    """Error dialogs that were opened (recorded, never blocking)."""
    shown: list[errors.ErrorDialog] = []
    errors.set_errors_to_log(False)
    monkeypatch.setattr(errors.ErrorDialog, "exec", lambda self: shown.append(self) or 0)
    return shown


@pytest.fixture
def document(qapp):
    """An EstablishmentDocument holding the six hand-made posts of tests/ui/factories.py."""
    from tests.ui.factories import make_establishment
    from ui.document import EstablishmentDocument

    doc = EstablishmentDocument()
    doc.set_establishment(make_establishment())
    return doc


@pytest.fixture
def files(qtbot, settings: Settings, tmp_path: Path):
    """A window's file commands (ProjectFiles) on a plain widget: opening and saving need
    no whole window."""
    from PySide6.QtWidgets import QWidget

    from ui.project_files import ProjectFiles
    from ui.project_model import ProjectModel

    widget = QWidget()
    qtbot.addWidget(widget)
    model = ProjectModel()
    files = ProjectFiles(widget, model, settings, tmp_path / "recovery")
    yield files
    files.shutdown()
    files.autosaver.stop()
    files.release_current()
    model.shutdown()
