"""Open an establishment file in a worker thread, with progress and Cancel.

:func:`run` is a plain ``run(data, state)`` task (no Qt in it); :class:`Loader`
runs it on a :class:`QThreadPool` and turns the outcome into one of three
signals: ``finished(Establishment)``, ``failed(message, details, unexpected)``
or ``cancelled()``. ``unexpected`` is False for a :class:`PlannerError` (the
message is the importer's own sentence, the details name the file) and True for
a bug (a generic message, the traceback in the details).
Signals from a load that was superseded are dropped.
"""

from __future__ import annotations

import logging
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from planner import importer
from planner.errors import Cancelled, PlannerError
from planner.establishment import Establishment
from planner.tasks import TaskState
from ui.errors import UNEXPECTED_MESSAGE, format_exception

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


class _Signals(QObject):
    """Carries a job's outcome from the worker thread to the GUI thread (queued)."""

    progress = Signal(int, float, str)
    finished = Signal(int)  # the establishment waits on the job (see ui.tasks._Signals)
    failed = Signal(int, str, str, bool)
    cancelled = Signal(int)


class _State:
    """A :class:`planner.tasks.TaskState` forwarding progress to a signal."""

    def __init__(self, job: int, signals: _Signals, cancel: threading.Event) -> None:
        self._job = job
        self._signals = signals
        self._cancel = cancel

    def set_progress(self, fraction: float, message: str = "") -> None:
        self._signals.progress.emit(self._job, max(0.0, min(1.0, float(fraction))), message)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _Job(QRunnable):
    def __init__(self, job: int, request: LoadRequest, signals: _Signals) -> None:
        super().__init__()
        self.setAutoDelete(False)  # Python keeps the reference (see Loader._jobs)
        self.job = job
        self.request = request
        self.signals = signals
        self.cancel_event = threading.Event()
        self.result: Establishment | None = None

    def run(self) -> None:
        state = _State(self.job, self.signals, self.cancel_event)
        try:
            result = run(self.request, state)
        except Cancelled:
            self.signals.cancelled.emit(self.job)
        except PlannerError as error:
            if self.cancel_event.is_set():  # the user has moved on: no dialog for this file
                self.signals.cancelled.emit(self.job)
            else:
                self.signals.failed.emit(self.job, str(error), f"File: {self.request.path}",
                                         False)
        except Exception:  # never let a worker take the app down
            details = f"File: {self.request.path}\n\n" + format_exception(*sys.exc_info())
            log.error("Unexpected error while opening %s\n%s", self.request.path, details)
            self.signals.failed.emit(self.job, UNEXPECTED_MESSAGE, details, True)
        else:
            if self.cancel_event.is_set():
                self.signals.cancelled.emit(self.job)
            else:
                self.result = result
                self.signals.finished.emit(self.job)


class Loader(QObject):
    """Loads one establishment at a time off the GUI thread."""

    started = Signal(object)  # LoadRequest
    progress = Signal(float, str)  # fraction in [0, 1], message
    finished = Signal(object)  # Establishment
    failed = Signal(str, str, bool)  # plain message, details, unexpected
    cancelled = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)  # a cancelled job may still be winding down
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._jobs: dict[int, _Job] = {}
        self._current: _Job | None = None
        self._next_id = 0

    def start(self, path: str | Path, *, sheet: str | None = None,
              mapping: str | Path | None = None) -> None:
        """Start loading ``path``; a load already running is cancelled and forgotten."""
        if self._current is not None:
            self._current.cancel_event.set()
        self._next_id += 1
        request = LoadRequest(Path(path), sheet, Path(mapping) if mapping else None)
        job = _Job(self._next_id, request, self._signals)
        self._jobs[job.job] = job
        self._current = job
        self.started.emit(request)
        self._pool.start(job)

    def cancel(self) -> None:
        """Ask the running load to stop; ``cancelled`` follows when it has."""
        if self._current is not None:
            self._current.cancel_event.set()

    def is_running(self) -> bool:
        return self._current is not None

    def request(self) -> LoadRequest | None:
        return self._current.request if self._current else None

    def wait(self, msecs: int = -1) -> bool:
        """Block until every worker has stopped (for shutdown and tests)."""
        return self._pool.waitForDone(msecs)

    def shutdown(self, msecs: int = 5000) -> None:
        for job in self._jobs.values():
            job.cancel_event.set()
        self.wait(msecs)

    # -- results arrive here on the GUI thread -------------------------------------------

    def _take(self, job: int) -> bool:
        """Forget a finished job; True if it is the current one (its result matters)."""
        self._jobs.pop(job, None)
        if self._current is not None and self._current.job == job:
            self._current = None
            return True
        return False

    def _on_progress(self, job: int, fraction: float, message: str) -> None:
        if self._current is not None and self._current.job == job:
            self.progress.emit(fraction, message)

    def _on_finished(self, job: int) -> None:
        done = self._jobs.get(job)
        establishment = done.result if done is not None else None
        if self._take(job):
            self.finished.emit(establishment)

    def _on_failed(self, job: int, message: str, details: str, unexpected: bool) -> None:
        if self._take(job):
            self.failed.emit(message, details, unexpected)

    def _on_cancelled(self, job: int) -> None:
        if self._take(job):
            self.cancelled.emit()
