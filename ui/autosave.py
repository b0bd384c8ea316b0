"""Autosave for crash recovery: a timer writes the open project to a recovery file.

Every few minutes, if the project has unsaved changes that were not autosaved
yet, :class:`Autosaver` copies the project (scenarios and audit entries are
immutable; the establishment is never changed in place, so sharing it is safe)
and writes it with :func:`planner.project_file.write_recovery` on a background
thread, so a big establishment never freezes the window. The file is removed
again when the project is saved or closed cleanly (:meth:`Autosaver.clear`), so
a recovery file left behind at start means the last session did not end well:
:func:`pending_recoveries` lists them for the main window to offer.

After personal data is removed from the project, :meth:`Autosaver.replace_copies`
rewrites this session's copy at once and deletes copies of the project that crashed
sessions left, so no autosaved copy keeps the removed data.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, QTimer, Signal

from planner.errors import PlannerError
from planner.project import Project
from planner.recovery import (
    RecoveryInfo,
    discard_recovery,
    list_recoveries,
    recovery_path,
    same_project,
    session_of,
    write_recovery,
)
from planner.tasks import TaskState
from ui.project_model import ProjectModel
from ui.tasks import TaskRunner

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_MS = 3 * 60 * 1000

__all__ = ["DEFAULT_INTERVAL_MS", "Autosaver", "RecoveryInfo", "default_folder",
           "pending_recoveries"]


def default_folder() -> Path:
    """``<AppData>/recovery`` (the user's own profile, so other users cannot read it)."""
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return Path(base or Path.home() / ".fteplan") / "recovery"


def _lock_path(folder: Path, session: str) -> Path:
    return Path(folder) / f"session-{session}.lock"


def session_alive(folder: Path, session: str) -> bool:
    """True while the app that wrote ``session``'s files is still running (its lock is
    held; Qt's lock file records the process and machine, and a dead one's lock is stale)."""
    if not session:
        return False
    path = _lock_path(folder, session)
    if not path.exists():
        return False
    lock = QLockFile(str(path))
    if lock.tryLock(0):
        lock.unlock()  # it was stale: the session ended without closing; remove it
        return False
    return lock.error() == QLockFile.LockError.LockFailedError


def pending_recoveries(folder: Path | None = None) -> list[RecoveryInfo]:
    """Recovery files left by sessions that did not close normally, newest first.

    Files of a copy of the app that is still running are not listed: they are not
    left behind, and offering them would let one copy delete the other's safety net.
    """
    folder = folder if folder is not None else default_folder()
    return [info for info in list_recoveries(folder)
            if not session_alive(folder, session_of(info.path))]


def _snapshot(project: Project) -> Project:
    """A copy the GUI thread can go on editing while the copy is written."""
    return Project(project.establishment, list(project.scenarios), list(project.audit),
                   project.current)


def _state_key(project: Project) -> tuple[object, ...]:
    """Changes whenever an edit (or its undo) changes the project: every edit is logged."""
    return (id(project.establishment), tuple(id(s) for s in project.scenarios),
            len(project.audit), project.current)


class Autosaver(QObject):
    """Writes the model's project to its recovery file while it has unsaved changes."""

    saved = Signal(Path)  # a recovery file was written
    failed = Signal(str)  # a sentence (autosave failures are logged, never shown in a dialog)

    def __init__(self, model: ProjectModel, folder: Path | None = None,
                 interval_ms: int = DEFAULT_INTERVAL_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.folder = Path(folder) if folder is not None else default_folder()
        self.session = f"{os.getpid()}-{time.time_ns() % 10**12}"
        self._lock: QLockFile | None = None
        self._written: Path | None = None  # the recovery file this session last wrote
        self._last_key: tuple[object, ...] | None = None
        self._generation = 0  # bumped by clear(): writes started before it are thrown away
        self._runner = TaskRunner("autosave", self)
        self._runner.finished.connect(self._on_written)
        self._runner.failed.connect(self._on_failed)
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.autosave)
        self._timer.start()
        model.dirty_changed.connect(self._on_dirty_changed)

    # ----- public ---------------------------------------------------------------------------
    def recovery_file(self) -> Path:
        """Where the open project is autosaved."""
        return recovery_path(self.folder, self.model.path, self.session)

    def _hold_session_lock(self) -> None:
        """Mark this session's files as in use until :meth:`stop` (or the process ends)."""
        if self._lock is not None:
            return
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError:
            return  # the write will report the folder problem
        lock = QLockFile(str(_lock_path(self.folder, self.session)))
        lock.setStaleLockTime(0)  # never stale while this process lives
        if lock.tryLock(0):
            self._lock = lock

    def release_session_lock(self) -> None:
        """Let go of this session's lock (on quitting; tests use it to play a crash)."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    def autosave(self) -> bool:
        """Start a background write if there is anything new to keep; True if started."""
        project = self._due()
        if project is None:
            return False
        path, generation, session = self.model.path, self._generation, self.session
        self._hold_session_lock()

        def work(_state: TaskState, project: Project = project) -> tuple[int, Path]:
            return generation, write_recovery(project, self.folder, path, session)

        self._runner.start(work)
        return True

    def save_now(self) -> Path | None:
        """Write the recovery file at once, on this thread; the path, or None if not needed."""
        project = self._due()
        if project is None:
            return None
        self._hold_session_lock()
        try:
            written = write_recovery(project, self.folder, self.model.path, self.session)
        except PlannerError as error:
            self._on_failed(str(error), "")
            return None
        self._on_written((self._generation, written))
        return written

    def replace_copies(self) -> Path | None:
        """Rewrite this session's recovery file now and delete older copies of the project.

        For after personal data was removed: a write still in progress (it holds the
        old data) is waited for first, then this session's file is replaced by a copy
        of the project as it is now, and files that crashed sessions left for the same
        project are deleted. Files of another copy of the app that is still running are
        its own and left alone. Returns the file written (None if none was needed or
        the write failed; a failure is logged and the old copies still go).
        """
        self._runner.cancel()
        self._runner.wait(30000)  # its outcome, if any, arrives later and is harmless
        before = {p for p in (self._written, self.recovery_file()) if p is not None}
        self._last_key = None
        written = self.save_now()
        for path in before - {written}:
            self._discard(path)
        if self.model.path is not None:  # untitled copies cannot be told apart
            for info in list_recoveries(self.folder):
                session = session_of(info.path)
                if info.path != written and session != self.session \
                        and same_project(info.original_path, self.model.path) \
                        and not session_alive(self.folder, session):
                    self._discard(info.path)
        return written

    def clear(self) -> None:
        """Remove the open project's recovery file (after a Save or a clean close).

        A background write in progress is waited for (a fraction of a second), so
        its file cannot appear after this returns.
        """
        self._generation += 1
        self._runner.cancel()
        self._runner.wait(30000)
        for path in {self.recovery_file(), self._written}:
            if path is not None:
                self._discard(path)
        self._written = None
        self._last_key = None

    def stop(self) -> None:
        """Stop the timer and wait for a write in progress (on quitting)."""
        self._timer.stop()
        self._runner.shutdown()
        self.release_session_lock()

    # ----- private --------------------------------------------------------------------------
    def _due(self) -> Project | None:
        project = self.model.project
        if not self.model.is_dirty() or _state_key(project) == self._last_key:
            return None
        self._last_key = _state_key(project)
        return _snapshot(project)

    def _discard(self, path: Path) -> None:
        try:
            discard_recovery(path)
        except PlannerError as error:
            log.warning("%s", error)

    def _on_written(self, outcome: tuple[int, Path]) -> None:
        generation, path = outcome
        if generation != self._generation or not self.model.is_dirty() \
                or path != self.recovery_file():
            self._discard(path)  # saved, closed or renamed while this copy was being written
            return
        if self._written is not None and self._written != path:
            self._discard(self._written)
        self._written = path
        self.saved.emit(path)

    def _on_failed(self, message: str, _details: str) -> None:
        log.warning("Autosave failed: %s", message)
        self._last_key = None  # try again next time
        self.failed.emit(message)

    def _on_dirty_changed(self, dirty: bool) -> None:
        """Back to clean (saved, or undone to the saved state): this session's copy goes."""
        if not dirty and self._written is not None:
            self._discard(self._written)
            self._written = None
            self._last_key = None
