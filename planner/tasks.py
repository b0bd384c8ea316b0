"""Progress and cancellation for long work, without any Qt.

Long operations (import, simulation) take an optional ``state`` object with
this interface, in the manner of Orange's ``run(data, state)`` tasks. The UI
passes one that forwards progress to a signal and reads a cancel flag; the
command line passes nothing.
"""

from __future__ import annotations

from typing import Protocol

from planner.errors import Cancelled


class TaskState(Protocol):
    def set_progress(self, fraction: float, message: str = "") -> None:
        """Report progress in [0, 1] with a short message ("Reading sheet…")."""

    def is_cancelled(self) -> bool:
        """True once the user asked to stop."""


def checkpoint(state: TaskState | None, fraction: float, message: str = "") -> None:
    """Report progress and raise :class:`Cancelled` if the user asked to stop."""
    if state is None:
        return
    if state.is_cancelled():
        raise Cancelled()
    state.set_progress(fraction, message)


class ShareOfProgress:
    """One part of a task reporting its own progress (0 to 1) as a share ``[start, end]``
    of the whole bar: an import's reading, then the table it prepares."""

    def __init__(self, state: TaskState, start: float, end: float) -> None:
        self._state, self._start, self._end = state, start, end

    def set_progress(self, fraction: float, message: str = "") -> None:
        self._state.set_progress(self._start + (self._end - self._start) * fraction, message)

    def is_cancelled(self) -> bool:
        return self._state.is_cancelled()
