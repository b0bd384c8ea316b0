"""Run plain ``fn(state)`` tasks off the GUI thread, one at a time per runner.

The work is a plain function taking a :class:`planner.tasks.TaskState` (as in
Orange's ``run(data, state)`` tasks); :class:`TaskRunner` runs it on its own
thread pool and reports on the GUI thread: ``progress(fraction, message)``,
then exactly one of ``finished(result)``, ``failed(message, details)`` or
``cancelled()``. Starting a new task cancels the running one, and the outcome
of a superseded task is dropped, so the last request always wins.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from planner.errors import Cancelled, PlannerError
from planner.tasks import TaskState
from ui.errors import UNEXPECTED_MESSAGE, format_exception

log = logging.getLogger(__name__)

Work = Callable[[TaskState], Any]


class _Signals(QObject):
    """Only plain values cross threads: the result waits on the job object.

    Emitting a Python object from a worker makes Qt copy it while holding one of its
    internal mutexes, and copying needs the GIL; if the GUI thread meanwhile destroys
    a QObject (a closed dialog) it holds the GIL and waits for that same mutex: the app
    freezes. Ints, floats and strings are converted before Qt takes the mutex.
    """

    progress = Signal(int, float, str)
    finished = Signal(int)
    failed = Signal(int, str, str)
    cancelled = Signal(int)


class _State:
    def __init__(self, job: int, signals: _Signals, cancel: threading.Event) -> None:
        self._job, self._signals, self._cancel = job, signals, cancel

    def set_progress(self, fraction: float, message: str = "") -> None:
        self._signals.progress.emit(self._job, max(0.0, min(1.0, float(fraction))), message)

    def is_cancelled(self) -> bool:
        return self._cancel.is_set()


class _Job(QRunnable):
    def __init__(self, job: int, work: Work, signals: _Signals, name: str) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.job, self.work, self.signals, self.name = job, work, signals, name
        self.cancel_event = threading.Event()
        self.result: object = None

    def run(self) -> None:
        state = _State(self.job, self.signals, self.cancel_event)
        try:
            result = self.work(state)
        except Cancelled:
            self.signals.cancelled.emit(self.job)
        except PlannerError as error:
            if self.cancel_event.is_set():  # the user has moved on: no message for this one
                self.signals.cancelled.emit(self.job)
            else:
                self.signals.failed.emit(self.job, str(error), "")
        except Exception:  # never let a worker take the app down
            details = format_exception(*sys.exc_info())
            log.error("Unexpected error in %s\n%s", self.name, details)
            self.signals.failed.emit(self.job, UNEXPECTED_MESSAGE, details)
        else:
            if self.cancel_event.is_set():
                self.signals.cancelled.emit(self.job)
            else:
                self.result = result
                self.signals.finished.emit(self.job)


class TaskRunner(QObject):
    """One background task at a time; the newest request wins."""

    started = Signal()
    progress = Signal(float, str)
    finished = Signal(object)
    failed = Signal(str, str)  # message, details
    cancelled = Signal()
    running_changed = Signal(bool)

    def __init__(self, name: str = "task", parent: QObject | None = None, *,
                 threads: int = 1) -> None:
        super().__init__(parent)
        self.name = name
        self._pool = QThreadPool(self)
        # One by default: tasks of a runner share caches, so never two at once.
        self._pool.setMaxThreadCount(threads)
        self._signals = _Signals(self)
        self._signals.progress.connect(self._on_progress)
        self._signals.finished.connect(self._on_finished)
        self._signals.failed.connect(self._on_failed)
        self._signals.cancelled.connect(self._on_cancelled)
        self._jobs: dict[int, _Job] = {}
        self._current: _Job | None = None
        self._next = 0
        self._closed = False

    def start(self, work: Work) -> int:
        """Run ``work(state)`` after cancelling whatever is running; returns a job id.

        After :meth:`shutdown` nothing starts (0 is returned): a result still queued when
        the window closes must not set off new work while Python shuts down, since a
        worker thread that runs then takes the whole process down with it.
        """
        if self._closed:
            log.debug("%s: not started, the runner is shut down", self.name)
            return 0
        if self._current is not None:
            self._current.cancel_event.set()
        was_running = self._current is not None
        self._next += 1
        job = _Job(self._next, work, self._signals, self.name)
        self._jobs[job.job] = job
        self._current = job
        self.started.emit()
        if not was_running:
            self.running_changed.emit(True)
        self._pool.start(job)
        return job.job

    def cancel(self) -> None:
        if self._current is not None:
            self._current.cancel_event.set()

    def is_running(self) -> bool:
        return self._current is not None

    def wait(self, msecs: int = -1) -> bool:
        return self._pool.waitForDone(msecs)

    def shutdown(self, msecs: int = 5000) -> None:
        """Cancel every job, wait up to ``msecs`` for them, and start nothing afterwards."""
        self._closed = True
        for job in self._jobs.values():
            job.cancel_event.set()
        self.wait(msecs)

    def _take(self, job: int) -> bool:
        self._jobs.pop(job, None)
        if self._current is not None and self._current.job == job:
            self._current = None
            self.running_changed.emit(False)
            return True
        return False

    def _on_progress(self, job: int, fraction: float, message: str) -> None:
        if self._current is not None and self._current.job == job:
            self.progress.emit(fraction, message)

    def _on_finished(self, job: int) -> None:
        done = self._jobs.get(job)
        result = done.result if done is not None else None
        if self._take(job):
            self.finished.emit(result)

    def _on_failed(self, job: int, message: str, details: str) -> None:
        if self._take(job):
            self.failed.emit(message, details)

    def _on_cancelled(self, job: int) -> None:
        if self._take(job):
            self.cancelled.emit()
