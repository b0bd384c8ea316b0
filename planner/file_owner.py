"""Who has a project open: a small marker file beside the project while it is open.

Opening ``budget.fteplan`` writes ``~$budget.fteplan`` next to it, naming the
user, computer and process (:func:`claim`); closing it removes the marker again
(:func:`release`). Another session that finds a marker can tell its user who
else has the file open before they both save over each other's work. Markers are
best effort: a read-only folder simply gets none, and a marker left by a crash
reads the same as a live one.
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


def owner_path(path: Path) -> Path:
    return Path(path).with_name(f"~${Path(path).name}")


def read_owner(path: Path) -> Owner | None:
    """Who else marked ``path`` as open, if anyone (a stale marker reads the same)."""
    try:
        data = json.loads(owner_path(path).read_text(encoding="utf-8"))
        return Owner(str(data["user"]), str(data["host"]), int(data["pid"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


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
