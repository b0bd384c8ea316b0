"""Open a project file in a worker thread, with progress and Cancel.

:func:`run` is a plain ``run(path, state)`` task (no Qt in it): it reads and checks the
file (:func:`planner.project_file.load_project`, about a second for 200,000 posts) and
prepares the posts table (:func:`ui.table_model.prepare_posts`, seconds at that size),
so that showing the project formats nothing on the GUI thread. :class:`ProjectOpener`
runs it on a :class:`ui.tasks.TaskRunner`, as :class:`ui.loader.Loader` does for
spreadsheets: the newest open wins, and :meth:`ProjectOpener.cancel` takes effect at once
(the worker winds down unseen). While it reads, :class:`OpenProgress` shows a small
progress window with a Cancel button (only if the open takes a while).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from planner.errors import PlannerError
from planner.project import Project
from planner.project_file import ProjectFileError, load_project
from planner.tasks import ShareOfProgress, TaskState, checkpoint
from ui.project_model import ProjectModel
from ui.table_model import prepare_posts
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

#: Share of the progress bar for reading and checking the file (it reports no progress of
#: its own); the rest prepares the posts table, which takes about six times as long.
READ_SHARE = 0.15
#: A project that opens faster than this shows no progress window at all.
SHOW_AFTER_MS = 500
PROGRESS_STEPS = 1000


def run(path: Path, state: TaskState) -> Project:
    """The task: read and check the project file, then prepare its posts table here.

    Raises:
        PlannerError: the file cannot be opened (the message says why, naming the file).
        Cancelled: the user cancelled.
    """
    checkpoint(state, 0.0)  # the window keeps saying what is opened
    try:
        project = load_project(path)
    except PlannerError:
        raise
    except OSError as error:  # load_project words its own; this is the last resort
        raise ProjectFileError(
            f"{path.name} could not be read: {error.strerror or error}.") from error
    checkpoint(state, READ_SHARE, "Preparing the posts table…")
    if project.establishment is not None:
        prepare_posts(project.establishment.posts, ShareOfProgress(state, READ_SHARE, 1.0))
    checkpoint(state, 1.0, "Showing the project…")
    return project


@dataclass
class _Opening:
    """An open in progress: the file, the project on screen when it started, its window."""

    path: Path
    before: Project
    progress: OpenProgress
    edited: bool = False  # the user changed ``before`` while this file was read


class ProjectOpener(QObject):
    """Reads one project file at a time off the GUI thread, for ``model``'s window.

    The outcome is one of ``finished(project, path, edited)`` (``edited``: the project
    on screen was changed meanwhile, so ask again before replacing it), ``failed(path,
    message, details, unexpected)`` or ``cancelled(path)``; ``cancelled`` also when
    another project replaced the one on screen while the file was read (the newest
    wins). Only reading happens here; showing the project is the caller's
    (:class:`ui.project_files.ProjectFiles`).
    """

    started = Signal(object)  # Path
    progress = Signal(float, str)  # fraction in [0, 1], message
    finished = Signal(object, object, bool)  # Project, Path, edited meanwhile
    failed = Signal(object, str, str, bool)  # Path, plain message, details, unexpected
    cancelled = Signal(object)  # Path

    def __init__(self, model: ProjectModel, window: QWidget | None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model, self._window = model, window
        self._runner = TaskRunner("open project", self, threads=2)  # a cancelled one winds down
        self._runner.progress.connect(self._on_progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._opening: _Opening | None = None
        model.undo_stack.indexChanged.connect(self._on_edited)

    def start(self, path: Path, label: str = "") -> None:
        """Start reading ``path``; an open already running is forgotten. ``label`` is the
        progress window's text (default "Opening <name>…")."""
        self.drop()
        path = Path(path)
        progress = OpenProgress(self, label or f"Opening {path.name}…", self._window)
        self._opening = _Opening(path, self._model.project, progress)
        self.started.emit(path)
        self._runner.start(lambda state: run(path, state))

    def cancel(self) -> None:
        """Stop the open in progress: ``cancelled`` follows on the next turn of the event
        loop, whatever the worker is doing (reading the file has no checkpoints); the
        worker winds down unseen (the runner has a second thread for the next open)."""
        opening = self._opening
        if opening is None:
            return
        self._runner.cancel()
        QTimer.singleShot(0, self, lambda: self._announce_cancel(opening))

    def drop(self) -> None:
        """Forget the open in progress without a signal (a new project replaced it)."""
        if self._take() is not None:
            self._runner.cancel()

    def is_running(self) -> bool:
        return self._opening is not None

    def path(self) -> Path | None:
        """The file being opened (None when nothing is)."""
        return self._opening.path if self._opening is not None else None

    def wait(self, msecs: int = -1) -> bool:
        """Block until every worker has stopped (outcomes still come through the event
        loop)."""
        return self._runner.wait(msecs)

    def shutdown(self, msecs: int = 5000) -> None:
        """Forget the open in progress and stop the workers (the window is closing)."""
        self.drop()
        self._runner.shutdown(msecs)

    # -- outcomes arrive here on the GUI thread ------------------------------------------
    def _take(self) -> _Opening | None:
        opening, self._opening = self._opening, None
        if opening is not None:
            opening.progress.finish()
        return opening

    def _on_edited(self, _index: int) -> None:
        if self._opening is not None:
            self._opening.edited = True

    def _announce_cancel(self, opening: _Opening) -> None:
        if self._opening is opening:
            self._take()
            self.cancelled.emit(opening.path)

    def _on_progress(self, fraction: float, message: str) -> None:
        if self._opening is not None:
            self.progress.emit(fraction, message)

    def _on_cancelled(self) -> None:
        opening = self._take()
        if opening is not None:
            self.cancelled.emit(opening.path)

    def _on_finished(self, project: Project) -> None:
        opening = self._take()
        if opening is None:
            return
        if self._model.project is not opening.before:
            log.info("Opening %s was dropped: another project was opened meanwhile",
                     opening.path.name)
            self.cancelled.emit(opening.path)
            return
        self.finished.emit(project, opening.path, opening.edited)

    def _on_failed(self, message: str, details: str) -> None:
        opening = self._take()
        if opening is None:
            log.debug("A cancelled open ended with an error: %s", message)
            return
        where = f"File: {opening.path}"
        if details:  # the runner gives details only for a bug
            self.failed.emit(opening.path, message, f"{where}\n\n{details}", True)
        else:
            self.failed.emit(opening.path, message, where, False)


class OpenProgress(QProgressDialog):
    """"Opening budget.fteplan…" with a bar and Cancel (Esc), shown only if the open takes
    longer than :data:`SHOW_AFTER_MS`.

    Modeless on purpose: the window stays usable while a project is read (a window-modal
    progress dialog would also run the event loop inside every progress update). Should
    the user change the project on screen meanwhile, they are asked again before it is
    replaced.
    """

    def __init__(self, opener: ProjectOpener, label: str, parent: QWidget | None) -> None:
        super().__init__(label, "&Cancel", 0, 0, parent)
        self._title = label
        self.setWindowTitle("Opening a project")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 50)  # scales with the font
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAccessibleName("Opening a project")
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumDuration(SHOW_AFTER_MS)
        self.setValue(0)  # starts the timer that shows the window if the open is slow
        self._opener = opener
        self.canceled.connect(opener.cancel)
        opener.progress.connect(self._on_progress)

    def _on_progress(self, fraction: float, message: str) -> None:
        if fraction > 0 and self.maximum() == 0:
            self.setRange(0, PROGRESS_STEPS)  # busy until the first real progress
        if self.maximum():
            self.setValue(round(fraction * PROGRESS_STEPS))
        if message:
            self.setLabelText(f"{self._title}\n{message}")

    def finish(self) -> None:
        """Hide for good (the open finished, failed or was cancelled)."""
        self.canceled.disconnect(self._opener.cancel)
        self._opener.progress.disconnect(self._on_progress)
        self.reset()
        self.hide()
        self.deleteLater()
