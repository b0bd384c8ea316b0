"""Crash recovery: autosaved copies of open projects, offered again after a crash.

While a project has unsaved changes the application writes it every few minutes
to one recovery file per project in a private folder (:func:`write_recovery`);
the file is a full project file (:mod:`planner.project_file`), saved the same
atomic way but readable only by the user, and names the project it is a copy of.
A clean save or close deletes it (:func:`discard_recovery`), so recovery files
found at start (:func:`list_recoveries`) were left by a session that did not end
well; each is opened with :func:`planner.project_file.load_project`.

Privacy: on POSIX the folder is made ``0o700`` (tightened if it was wider) and each
file ``0o600``, also when it replaces an earlier copy. On Windows both live in the
user's own profile (``AppData``), whose access list already keeps other users out.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from planner.project import Project
from planner.project_file import (
    FILE_SUFFIX,
    STALE_TEMP_SECONDS,
    ProjectFileError,
    database_bytes,
    open_checked,
    os_error_reason,
    read_meta,
    remove_old_files,
    write_atomically,
)

FOLDER_MODE = 0o700  # POSIX: the recovery folder is the user's alone
_ANY_TEMP = re.compile(r"~.+" + re.escape(FILE_SUFFIX) + r"\.[0-9a-f]{8}\.tmp\Z")


@dataclass(frozen=True)
class RecoveryInfo:
    """An autosaved copy left behind by a session that did not close normally."""

    path: Path  # the recovery file (open it with load_project)
    original_path: Path | None  # the project it was a copy of; None for a new project
    saved_at: str  # ISO 8601 local time
    scenarios: tuple[str, ...]  # scenario names


SESSION_SEPARATOR = "~"


def recovery_path(folder: Path, project_path: Path | None, session: str = "") -> Path:
    """The recovery file for a project path (``untitled`` for a new project).

    ``session`` (an id of the running app) prefixes the name, so two copies of the
    app running at once never write, offer or delete each other's file.
    """
    prefix = f"{session}{SESSION_SEPARATOR}" if session else ""
    if project_path is None:
        return Path(folder) / f"{prefix}untitled{FILE_SUFFIX}"
    key = os.path.normcase(os.path.abspath(os.fspath(project_path)))
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]
    stem = re.sub(r"[^\w\- ]+", "_", Path(project_path).stem)[:40] or "project"
    return Path(folder) / f"{prefix}{stem}-{digest}{FILE_SUFFIX}"


def session_of(path: Path) -> str:
    """The session id a recovery file was written by ("" for files without one)."""
    name = Path(path).name
    return name.split(SESSION_SEPARATOR, 1)[0] if SESSION_SEPARATOR in name else ""


def write_recovery(project: Project, folder: Path, project_path: Path | None,
                   session: str = "") -> Path:
    """Autosave ``project`` to its recovery file (atomically, readable only by the user)."""
    target = recovery_path(folder, project_path, session)
    make_private_folder(Path(folder))
    original = None if project_path is None else str(Path(project_path).absolute())
    data = database_bytes(project, {"recovery_of": original})
    write_atomically(target, data, private=True)
    return target


def make_private_folder(folder: Path) -> None:
    """Create ``folder`` readable only by the user (POSIX: mode 0o700, tightened if wider).

    Raises:
        ProjectFileError: it could not be created.
    """
    try:
        folder.mkdir(mode=FOLDER_MODE, parents=True, exist_ok=True)
    except OSError as exc:
        raise ProjectFileError(f"The recovery folder {folder} could not be created "
                               f"({os_error_reason(exc, folder)}).") from exc
    if os.name == "nt":
        return  # the profile's access list does this
    with contextlib.suppress(OSError):
        info = folder.stat()
        if stat.S_IMODE(info.st_mode) & ~FOLDER_MODE and info.st_uid == os.getuid():
            os.chmod(folder, FOLDER_MODE)


def remove_stale_temps(folder: Path, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temporary files that killed autosaves left in the recovery folder."""
    return remove_old_files(Path(folder), _ANY_TEMP, max_age)


def list_recoveries(folder: Path) -> list[RecoveryInfo]:
    """Recovery files in ``folder`` that pass every check, newest first (damaged ones skipped).

    Temporary files of autosaves that were killed are deleted on the way once they are
    old (:func:`remove_stale_temps`); they are never listed.
    """
    found: list[RecoveryInfo] = []
    remove_stale_temps(Path(folder))
    with contextlib.suppress(OSError):
        for path in Path(folder).glob(f"*{FILE_SUFFIX}"):
            try:
                conn = open_checked(path)
            except ProjectFileError:
                continue
            try:
                meta = read_meta(conn)
                names = tuple(n for (n,) in conn.execute(
                    "SELECT name FROM scenarios ORDER BY position"))
            except (sqlite3.Error, ValueError):
                continue
            finally:
                conn.close()
            original = meta.get("recovery_of")
            found.append(RecoveryInfo(path, Path(original) if original else None,
                                      str(meta.get("saved_at", "")), names))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)


def same_project(a: Path | None, b: Path | None) -> bool:
    """Do two project paths name the same file (``None``: a new, unsaved project)?"""
    if a is None or b is None:
        return a is None and b is None
    return (os.path.normcase(os.path.abspath(os.fspath(a)))
            == os.path.normcase(os.path.abspath(os.fspath(b))))


def discard_recovery(path: Path) -> None:
    """Delete a recovery file (nothing happens if it is already gone)."""
    try:
        Path(path).unlink(missing_ok=True)
    except OSError as exc:
        raise ProjectFileError(f"The recovery file {Path(path).name} could not be deleted "
                               f"({os_error_reason(exc, Path(path))}).") from exc
