"""Who has a project open: a small marker file beside the project while it is open.

Opening ``budget.fteplan`` writes ``~$budget.fteplan`` next to it, naming the
user, computer and process (:func:`claim`); closing it removes the marker again
(:func:`release`). Another session that finds a marker can tell its user who
else has the file open before they both save over each other's work. The marker
names an operating-system user and computer only, nothing from the project.

Markers are best effort: a read-only folder simply gets none, and the last session
to open a file holds the marker (when it closes, a third session is not told about
the first). A marker left by a session that crashed is recognised when it names this
computer and a process that no longer runs; one left on another computer reads the
same as a live one.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
from dataclasses import asdict, dataclass
from pathlib import Path

from planner.project import os_user_name


@dataclass(frozen=True)
class Owner:
    """Who has a project open: written to ``~$name.fteplan`` beside it while it is open."""

    user: str
    host: str
    pid: int
    since: str  # ISO 8601 local time

    @classmethod
    def me(cls) -> Owner:
        return cls(os_user_name(), platform.node(), os.getpid(),
                   dt.datetime.now().astimezone().replace(microsecond=0).isoformat())

    def is_me(self) -> bool:
        return (self.user, self.host, self.pid) == (os_user_name(), platform.node(), os.getpid())

    def is_gone(self) -> bool:
        """True when this owner was a process on this computer that has ended (a crash)."""
        return self.host == platform.node() and not self.is_me() and not process_running(self.pid)


def owner_path(path: Path) -> Path:
    return Path(path).with_name(f"~${Path(path).name}")


def process_running(pid: int) -> bool:
    """Is process ``pid`` running on this computer? (True when it cannot be told.)"""
    if pid <= 0:
        return False
    if os.name == "nt":
        return _windows_process_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # PermissionError: it exists, as another user
        return True
    return True


def _windows_process_running(pid: int) -> bool:
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    query_limited_information, still_active, access_denied = 0x1000, 259, 5
    handle = kernel32.OpenProcess(query_limited_information, False, pid)
    if not handle:  # no such process, or one we may not look at (then it exists)
        return bool(ctypes.get_last_error() == access_denied)  # type: ignore[attr-defined]
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == still_active
    finally:
        kernel32.CloseHandle(handle)


def read_owner(path: Path) -> Owner | None:
    """Who marked ``path`` as open, if anyone (a marker left on another computer by a
    crash reads the same as a live one; one of this computer's ended processes does not)."""
    try:
        data = json.loads(owner_path(path).read_text(encoding="utf-8"))
        owner = Owner(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return None if owner.is_gone() else owner


def claim(path: Path) -> Owner | None:
    """Mark ``path`` as open by this process; returns the other owner found, if any.

    Best effort: a read-only folder simply gets no marker. The caller decides what
    to tell the user when someone else is returned (the marker is taken over).
    """
    other = read_owner(path)
    me = Owner.me()
    with contextlib.suppress(OSError):
        owner_path(path).write_text(json.dumps(asdict(me)), encoding="utf-8")
    return other if other is not None and not other.is_me() else None


def release(path: Path) -> None:
    """Remove this process's marker (someone else's is left alone)."""
    owner = read_owner(path)
    if owner is not None and owner.is_me():
        with contextlib.suppress(OSError):
            owner_path(path).unlink()
