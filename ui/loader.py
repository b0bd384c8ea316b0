"""Open an establishment file in a worker thread, with progress and Cancel.

:func:`run` is a plain ``run(data, state)`` task (no Qt in it); :class:`Loader`
runs it on a :class:`ui.tasks.TaskRunner` and turns the outcome into one of three
signals: ``finished(Establishment)``, ``failed(message, details, unexpected)``
or ``cancelled()``. ``unexpected`` is False for a :class:`PlannerError` (the
message is the importer's own sentence, the details name the file) and True for
a bug (a generic message, the traceback in the details). A load that another
load replaced is dropped; an error from a load the user cancelled is not shown.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from planner import importer
from planner.establishment import Establishment
from planner.tasks import TaskState
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LoadRequest:
    """What to open: a file and, optionally, a sheet and a mapping profile."""

    path: Path
    sheet: str | None = None
    mapping: Path | None = None


def run(request: LoadRequest, state: TaskState) -> Establishment:
    """The task: read the file with the domain importer (looked up at call time)."""
    return importer.load_establishment(
        request.path, sheet=request.sheet, mapping=request.mapping, state=state
    )


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
        self._runner.progress.connect(self.progress)
        self._runner.finished.connect(self._on_finished)
        self._runner.failed.connect(self._on_failed)
        self._runner.cancelled.connect(self.cancelled)
        self._request: LoadRequest | None = None

    def start(self, path: str | Path, *, sheet: str | None = None,
              mapping: str | Path | None = None) -> None:
        """Start loading ``path``; a load already running is cancelled and forgotten."""
        request = LoadRequest(Path(path), sheet, Path(mapping) if mapping else None)
        self._request = request
        self.started.emit(request)
        self._runner.start(lambda state: run(request, state))

    def cancel(self) -> None:
        """Ask the running load to stop; ``cancelled`` follows when it has."""
        self._runner.cancel()

    def is_running(self) -> bool:
        return self._runner.is_running()

    def request(self) -> LoadRequest | None:
        return self._request if self.is_running() else None

    def wait(self, msecs: int = -1) -> bool:
        """Block until every worker has stopped (for shutdown and tests)."""
        return self._runner.wait(msecs)

    def shutdown(self, msecs: int = 5000) -> None:
        self._runner.shutdown(msecs)

    # -- results arrive here on the GUI thread -------------------------------------------
    def _on_finished(self, establishment: Establishment) -> None:
        self.finished.emit(establishment)

    def _on_failed(self, message: str, details: str) -> None:
        path = self._request.path if self._request is not None else ""
        unexpected = bool(details)  # the runner gives details only for a bug
        if unexpected:
            log.error("Unexpected error while opening %s\n%s", path, details)
            self.failed.emit(message, f"File: {path}\n\n{details}", True)
        else:
            self.failed.emit(message, f"File: {path}", False)
