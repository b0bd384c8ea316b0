"""New, Open, Save, Save As, recent projects, unsaved-changes questions, crash recovery,
and removing personal data from the open project.

The file work itself is the domain's (:mod:`planner.project_file`: one SQLite
file, written to a temporary file and renamed into place); this controller asks
the questions, shows the one error path's dialog when something goes wrong,
keeps the recent-files list and the autosaved recovery file in step. Opening (and
restoring unsaved work) reads the file in the background (:mod:`ui.project_opener`):
the window stays responsive, a large project shows its progress and can be cancelled,
and the project on screen stays until the new one is ready.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox, QWidget

from planner.commands import RemovePersonalData
from planner.errors import PlannerError
from planner.file_owner import claim, release
from planner.months import month_label
from planner.personal_data import (
    DATES,
    IDENTIFYING,
    planning_start,
    removal_summary,
    state_of,
)
from planner.project import Project
from planner.project_file import FILE_SUFFIX, save_project
from planner.recovery import RecoveryInfo, discard_recovery
from ui.autosave import Autosaver, default_folder, pending_recoveries
from ui.errors import show_error
from ui.event_wait import process_until
from ui.project_model import ProjectModel
from ui.project_opener import ProjectOpener
from ui.settings import Settings

log = logging.getLogger(__name__)

PROJECT_FILTER = f"FTE Planner projects (*{FILE_SUFFIX});;All files (*)"


REMOVE_TITLE = "Remove personal data"


def confirm_removal(parent: QWidget, summary: str) -> bool:
    """Ask before removing personal data; True to go ahead (Cancel is the default)."""
    box = QMessageBox(QMessageBox.Icon.Warning, REMOVE_TITLE,
                      "Remove the personal data from this project?", parent=parent)
    box.setInformativeText(removal_text(summary))
    remove = box.addButton("&Remove personal data", QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.exec()
    return box.clickedButton() is remove


def removal_text(summary: str) -> str:
    """The confirmation's explanation: what goes, what stays, and when it is final."""
    return (f"{summary}\n\nYou can undo this (Edit ▸ Undo) until you close the project. "
            "Once the project is saved and closed it cannot be undone: the personal data "
            "is gone from the project file. Autosaved copies of the project are replaced "
            "straight away. Your original spreadsheet is not changed. The results do not "
            "change: ages and service are kept to the month.")


def default_recovery_folder(settings: Settings) -> Path:
    """The settings' recovery folder if set (portable installs), else the autosaver's."""
    return settings.recovery_folder() or default_folder()


class ProjectFiles(QObject):
    """File commands for one window's project.

    Opening is in the background: :meth:`open` returns once the open has started;
    ``opened(path)`` (the project's path, None for recovered new work), ``open_failed
    (message)`` or ``open_cancelled()`` follow. The newest open wins.
    """

    opened = Signal(object)  # Path | None
    open_failed = Signal(str)
    open_cancelled = Signal()

    def __init__(self, window: QWidget, model: ProjectModel, settings: Settings,
                 recovery_folder: Path | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.model = model
        self.settings = settings
        self.recovery_folder = recovery_folder or default_recovery_folder(settings)
        self.autosaver = Autosaver(model, self.recovery_folder, parent=self)
        self.opener = ProjectOpener(model, window, self)
        self.opener.finished.connect(self._on_read)
        self.opener.failed.connect(self._on_open_failed)
        self.opener.cancelled.connect(self._on_open_cancelled)
        self._recovery: RecoveryInfo | None = None  # what the open in progress restores
        self._outcome = ""
        app = QCoreApplication.instance()
        if app is not None:  # no worker may outlive the event loop
            app.aboutToQuit.connect(self.shutdown)

    # ----- questions ------------------------------------------------------------------------
    def maybe_save(self) -> bool:
        """Before losing unsaved changes: Save, Discard or Cancel. True to go on."""
        if not self.model.is_dirty():
            return True
        name = self.model.path.name if self.model.path else "this new project"
        answer = QMessageBox.question(
            self.window, "Unsaved changes",
            f"Save the changes to {name} before closing it?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # ----- who has the file open ---------------------------------------------------------------
    def _claim(self, path: Path) -> None:
        """Mark the project as open here; warn if someone else marked it first."""
        other = claim(path)
        if other is not None:
            show_error(
                self.window,
                f"{path.name} was also opened by {other.user} on {other.host} "
                f"(since {other.since.replace('T', ' ')[:16]}). If they still have it open, "
                "whoever saves last overwrites the other's changes: agree who saves, or use "
                "File ▸ Save as for your own copy.",
                f"File: {path}", "The project may be open elsewhere")

    def release_current(self) -> None:
        """Take this window's "open here" marker off the current project file."""
        if self.model.path is not None:
            with contextlib.suppress(OSError):
                release(self.model.path)

    # ----- commands ---------------------------------------------------------------------------
    def new_project(self) -> bool:
        if not self.maybe_save():
            return False
        self.opener.drop()
        self.autosaver.clear()
        self.release_current()
        self.model.load(Project())
        return True

    def open_dialog(self) -> bool:
        name, _ = QFileDialog.getOpenFileName(self.window, "Open project",
                                              self.settings.last_directory(), PROJECT_FILTER)
        return bool(name) and self.open(Path(name))

    def open(self, path: Path) -> bool:
        """Start opening a project file (asking first about unsaved changes); False if the
        user cancelled that question. The current project stays until the new one is read."""
        if not self.maybe_save():
            return False
        self._start_opening(Path(path))
        return True

    def open_and_wait(self, path: Path, timeout: float = 60.0) -> bool:
        """:meth:`open`, then wait for it (tests, scripts); True if the project is open."""
        return self.open(path) and self.wait_open(timeout) and self._outcome == "opened"

    def wait_open(self, timeout: float = 60.0) -> bool:
        """Run the event loop until the open in progress has ended; False on time-out."""
        return process_until(lambda: not self.opener.is_running(), timeout)

    def cancel_open(self) -> None:
        """Stop the open in progress (``open_cancelled`` follows); the project stays."""
        self.opener.cancel()

    def shutdown(self, msecs: int = 5000) -> None:
        """The window is closing: forget any open in progress and stop its worker."""
        self.opener.shutdown(msecs)

    def _start_opening(self, path: Path, recovery: RecoveryInfo | None = None) -> None:
        self._recovery, self._outcome = recovery, ""
        self.opener.start(path, "Restoring your unsaved work…" if recovery else "")

    def _on_read(self, project: Project, path: Path, edited: bool) -> None:
        """The file is read: show it, unless the user wants to keep what they changed."""
        recovery, self._recovery = self._recovery, None
        if edited and not self.maybe_save():
            self._finish("cancelled", f"Opening {path.name} was cancelled.")
        elif recovery is not None:
            self._restore(project, recovery)
            self._finish("opened", "Your unsaved work was restored.")
        else:
            self.autosaver.clear()
            self.release_current()
            self.model.load(project, path)
            self._claim(path)
            self.settings.set_last_directory(path.parent)
            self.settings.add_recent_file(path)
            self._finish("opened", f"Opened {path.name}")

    def _on_open_failed(self, path: Path, message: str, details: str, unexpected: bool
                        ) -> None:
        recovery, self._recovery = self._recovery, None
        self._finish("failed", "Could not restore your unsaved work." if recovery
                     else f"Could not open {path.name}.", message)
        title = ("Unexpected error" if unexpected else "Could not recover the unsaved work"
                 if recovery else "Could not open the project")
        show_error(self.window, message, details, title, unexpected=unexpected)

    def _on_open_cancelled(self, path: Path) -> None:
        self._recovery = None
        self._finish("cancelled", f"Opening {path.name} was cancelled.")

    def _finish(self, outcome: str, status: str, message: str = "") -> None:
        self._outcome = outcome
        label = getattr(self.window, "status_label", None)
        if isinstance(label, QLabel):
            label.setText(status)
        if outcome == "opened":
            self.opened.emit(self.model.path)
        elif outcome == "failed":
            self.open_failed.emit(message)
        else:
            self.open_cancelled.emit()

    def save(self) -> bool:
        if self.model.path is None:
            return self.save_as()
        return self._write(self.model.path)

    def save_as(self) -> bool:
        start = str(self.model.path or Path(self.settings.last_directory()) / f"Workforce plan"
                    f"{FILE_SUFFIX}")
        name, _ = QFileDialog.getSaveFileName(self.window, "Save project as", start,
                                              PROJECT_FILTER)
        if not name:
            return False
        path = Path(name)
        if path.suffix.lower() != FILE_SUFFIX:
            path = path.with_name(path.name + FILE_SUFFIX)
        return self._write(path)

    def _write(self, path: Path) -> bool:
        entry = self.model.project.log(f"Saved as {path.name}")
        try:
            save_project(self.model.project, path)
        except (PlannerError, OSError) as error:
            self.model.project.audit.remove(entry)  # it was not saved
            text = str(error) if isinstance(error, PlannerError) else (
                f"{path.name} could not be saved: {error.strerror or error}. "
                "Your work is still open; try another folder.")
            show_error(self.window, text, f"File: {path}", "Could not save the project")
            return False
        self.autosaver.clear()
        if self.model.path != path:
            self.release_current()
            self._claim(path)
        self.model.mark_saved(path)
        self.settings.set_last_directory(path.parent)
        self.settings.add_recent_file(path)
        return True

    # ----- personal data ---------------------------------------------------------------------
    def remove_personal_data(self) -> bool:
        """Edit ▸ Remove personal data…: ask, then replace the establishment with its copy
        without personal data (one undoable step) and replace the autosaved copies."""
        establishment = self.model.establishment
        if establishment is None:
            return False
        state = state_of(establishment)
        identifying = [c for c in state.columns if c in (*IDENTIFYING, *DATES)]
        if state.removed and not identifying and not state.unmapped_columns:
            QMessageBox.information(self.window, REMOVE_TITLE,
                                    "This project holds no names, employee numbers or dates "
                                    "any more: its personal data was already removed.")
            return False
        start = planning_start(self.model.scenarios, self.model.current_index())
        if not confirm_removal(self.window, removal_summary(establishment, start,
                                                            self.model.scenarios)):
            return False
        self.model.push(RemovePersonalData.of(establishment, start))
        self.autosaver.replace_copies()
        status = getattr(self.window, "status_label", None)
        if isinstance(status, QLabel):
            status.setText(f"Personal data removed (ages and service as at {month_label(start)}). "
                           "Save the project to make it final.")
        log.info("Personal data removed from the open project")
        return True

    # ----- recovery -----------------------------------------------------------------------------
    def offer_recovery(self) -> bool:
        """After a crash: offer the newest recovery file; True if restoring it started
        (in the background, as :meth:`open`: the window is already on screen)."""
        found = pending_recoveries(self.recovery_folder)
        if not found:
            return False
        info = found[0]
        original = Path(info.original_path).name if info.original_path else "a new project"
        answer = QMessageBox.question(
            self.window, "Recover unsaved work",
            f"FTE Planner closed before changes to {original} were saved. An automatic copy "
            f"from {info.saved_at} was kept. Restore it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer != QMessageBox.StandardButton.Yes:
            for other in found:
                with contextlib.suppress(PlannerError):
                    discard_recovery(other.path)
            return False
        self._start_opening(info.path, info)
        return True

    def _restore(self, project: Project, info: RecoveryInfo) -> None:
        original_path = Path(info.original_path) if info.original_path else None
        self.model.load(project, original_path, dirty=True)
        # This session's own copy first, then the old one goes: never a moment without one.
        if self.autosaver.save_now() is not None:
            with contextlib.suppress(PlannerError):
                discard_recovery(info.path)
