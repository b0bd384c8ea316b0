"""Open an establishment file in a worker thread, with progress and Cancel.

:func:`run` is a plain ``run(data, state)`` task (no Qt in it); :class:`Loader`
runs it on a :class:`ui.tasks.TaskRunner` and turns the outcome into one of three
signals: ``finished(Establishment)``, ``failed(message, details, unexpected)``
or ``cancelled()``. ``unexpected`` is False for a :class:`PlannerError` (the
message is the importer's own sentence, the details name the file) and True for
a bug (a generic message, the traceback in the details). A load that another
load replaced is dropped; an error from a load the user cancelled is not shown.

The task also prepares the posts table (:func:`ui.table_model.prepare_posts`), so a
200,000-post file does not format its cells on the GUI thread, and :meth:`Loader.cancel`
takes effect at once even while the spreadsheet library is busy (the load is abandoned).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from planner import importer
from planner.establishment import Establishment
from planner.tasks import ShareOfProgress, TaskState, checkpoint
from ui.table_model import prepare_posts
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadRequest:
    """What to open: a file and, optionally, a sheet and a mapping profile."""

    path: Path
    sheet: str | None = None
    mapping: Path | None = None


#: Share of the progress bar for reading the file; the rest prepares the posts table.
IMPORT_SHARE = 0.9


def run(request: LoadRequest, state: TaskState) -> Establishment:
    """The task: read the file with the domain importer (looked up at call time), then
    prepare the posts table here, off the GUI thread (seconds for 200,000 posts)."""
    establishment = importer.load_establishment(
        request.path, sheet=request.sheet, mapping=request.mapping,
        state=ShareOfProgress(state, 0.0, IMPORT_SHARE),
    )
    prepare_posts(establishment.posts, ShareOfProgress(state, IMPORT_SHARE, 1.0))
    checkpoint(state, 1.0, "Showing the posts…")
    return establishment


class Loader(QObject):
    """Loads one establishment at a time off the GUI thread."""

    started = Signal(object)  # LoadRequest
    progress = Signal(float, str)  # fraction in [0, 1], message
    finished = Signal(object)  # Establishment
    failed = Signal(str, str, bool)  # plain message, details, unexpected
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = TaskRunner("load", self, threads=2)  # a cancelled load may wind down
        self._runner.progress.connect(self._on_progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self._on_cancelled)
        self._request: LoadRequest | None = None
        self._abandoned = False  # cancelled: the worker winds down, its outcome is dropped
        self._generation = 0

    def start(self, path: str | Path, *, sheet: str | None = None,
              mapping: str | Path | None = None) -> None:
        """Start loading ``path``; a load already running is cancelled and forgotten."""
        request = LoadRequest(Path(path), sheet, Path(mapping) if mapping else None)
        self._request = request
        self._abandoned = False
        self._generation += 1
        self.started.emit(request)
        self._runner.start(lambda state: run(request, state))

    def cancel(self) -> None:
        """Stop the running load: ``cancelled`` follows at once (on the next turn of the
        event loop), whatever the worker is doing.

        The importer stops at its next checkpoint, but one step can run for seconds
        without one (the spreadsheet library parsing a 200,000-row sheet), so the load is
        abandoned rather than waited for: its worker winds down in the background (the
        runner has a second thread for a new load meanwhile) and its outcome is dropped.
        """
        if not self.is_running():
            return
        self._runner.cancel()
        self._abandoned = True
        generation = self._generation
        QTimer.singleShot(0, self, lambda: self._announce_cancel(generation))

    def is_running(self) -> bool:
        return self._runner.is_running() and not self._abandoned

    def request(self) -> LoadRequest | None:
        return self._request if self.is_running() else None

    def wait(self, msecs: int = -1) -> bool:
        """Block until every worker has stopped (for shutdown and tests)."""
        return self._runner.wait(msecs)

    def shutdown(self, msecs: int = 5000) -> None:
        self._runner.shutdown(msecs)

    # -- results arrive here on the GUI thread -------------------------------------------
    def _announce_cancel(self, generation: int) -> None:
        if generation == self._generation and self._abandoned:
            self.cancelled.emit()

    def _on_progress(self, fraction: float, message: str) -> None:
        if not self._abandoned:
            self.progress.emit(fraction, message)

    def _on_cancelled(self) -> None:
        if not self._abandoned:  # else announced when cancel() was called
            self.cancelled.emit()

    def _on_finished(self, establishment: Establishment) -> None:
        if not self._abandoned:
            self.finished.emit(establishment)

    def _on_failed(self, message: str, details: str) -> None:
        if self._abandoned:
            log.debug("A cancelled load ended with an error: %s", message)
            return
        path = self._request.path if self._request is not None else ""
        unexpected = bool(details)  # the runner gives details only for a bug
        if unexpected:
            log.error("Unexpected error while opening %s\n%s", path, details)
            self.failed.emit(message, f"File: {path}\n\n{details}", True)
        else:
            self.failed.emit(message, f"File: {path}", False)
