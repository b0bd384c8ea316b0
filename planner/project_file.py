"""``.fteplan`` project files: one SQLite database per project, saved atomically.

What a file holds (format version 2): ``meta`` (format and app version, when and
by whom it was saved, the current scenario, the establishment's source and row
counts, what personal data it holds or when it was removed (``personal_data``, see
:class:`planner.personal_data.PersonalDataState`; new in format 2), and a SHA-256
of everything else), ``frames``/``arrays`` (the posts and
the unmapped source columns, see :mod:`planner.frame_store`; bigger blobs are
zlib-compressed), ``issues`` (the data-quality report), ``scenarios`` (JSON, as
in scenario files) and ``audit`` (time, user, action). Any SQLite browser can
read it; nothing in it is pickled, so opening a file from a shared drive never
runs code.

Safety:

* Saving builds the database in memory and writes it to a temporary file in the
  same folder, flushed to disk, which then replaces the target in one step
  (``os.replace``), so a failed or killed save leaves the previous file as it was.
  A killed save can leave its temporary file (``~name.fteplan.1a2b3c4d.tmp``) behind:
  the next save beside it deletes such leftovers once they are
  :data:`STALE_TEMP_SECONDS` old (only names of exactly that pattern).
* Loading reads the whole file once (no SQLite journal on a shared drive) and
  checks, in order: the SQLite header and ``application_id``, the length the
  header promises (an interrupted copy), the format version (newer: refused with
  a clear message; older: migrated by :data:`MIGRATIONS`), ``PRAGMA
  integrity_check`` and the stored checksum. A file that fails any check raises
  :class:`ProjectFileError` before anything is built: never half-loaded. The
  checksum is checked before migrating, by the rules of the file's own version
  (what it covers has not changed since format 1); a migrated database gets a new
  checksum, and saving writes the current format.

Format history: 1, the first; 2 adds the ``personal_data`` meta entry
(:func:`_personal_data_v1_to_v2` works it out for a format-1 file from its posts).

Crash recovery files live in :mod:`planner.recovery` (built on the saving and
checking here) and the "who else has this open" marker in
:mod:`planner.file_owner`; both are re-exported from here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import json
import os
import platform
import re
import secrets
import sqlite3
import time
import zlib
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

import planner
from planner import frame_store
from planner.errors import PlannerError
from planner.establishment import Establishment, SourceInfo
from planner.file_owner import Owner as Owner
from planner.file_owner import claim as claim
from planner.file_owner import owner_path as owner_path
from planner.file_owner import read_owner as read_owner
from planner.file_owner import release as release
from planner.personal_data import (
    PersonalDataState,
    columns_with_values,
    state_of,
    with_removal,
)
from planner.project import AuditEntry, Project, os_user_name
from planner.quality import Issue, QualityReport, Severity
from planner.scenario_io import ScenarioError, scenario_from_dict, scenario_to_dict

FILE_SUFFIX = ".fteplan"
FORMAT_VERSION = 2
APPLICATION_ID = 0x46544550  # "FTEP": PRAGMA application_id of every project file

_MAGIC = b"SQLite format 3\x00"
_CHECKSUM_KEY = "checksum"
REPLACE_ATTEMPTS = 6  # os.replace retries while another program briefly holds the target
REPLACE_DELAY = 0.1  # seconds, times the attempt number
MAX_ARRAY_BYTES = 1 << 30  # one column, decompressed: guards against a crafted file
STALE_TEMP_SECONDS = 600  # a save's leftover temporary file older than this is deleted
_TEMP_NAME = "~{name}.{token}.tmp"  # token: 8 hex digits

#: ``MIGRATIONS[v]`` upgrades an open database from format ``v`` to ``v + 1`` in place
#: (filled in at the end of this module).
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {}

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE frames (name TEXT PRIMARY KEY, spec TEXT NOT NULL);
CREATE TABLE arrays (frame TEXT NOT NULL, position INTEGER NOT NULL, spec TEXT NOT NULL,
                     codec TEXT NOT NULL, data BLOB NOT NULL, PRIMARY KEY (frame, position));
CREATE TABLE issues (position INTEGER PRIMARY KEY, severity TEXT NOT NULL, message TEXT NOT NULL,
                     code TEXT NOT NULL, sheet TEXT, row INTEGER, column_name TEXT, value TEXT);
CREATE TABLE scenarios (position INTEGER PRIMARY KEY, name TEXT NOT NULL, document TEXT NOT NULL);
CREATE TABLE audit (position INTEGER PRIMARY KEY, time TEXT NOT NULL, user TEXT NOT NULL,
                    action TEXT NOT NULL);
"""


class ProjectFileError(PlannerError):
    """A project file could not be read or written; ``str()`` is one sentence naming it."""


# ---------------------------------------------------------------- saving

def save_project(project: Project, path: str | os.PathLike[str]) -> None:
    """Write ``project`` to ``path`` atomically (the previous file survives any failure).

    Raises:
        ProjectFileError: the file could not be written (permission, disk full, in use).
    """
    path = Path(path)
    write_atomically(path, database_bytes(project, {}), private=False)


def database_bytes(project: Project, extra_meta: dict[str, Any]) -> bytes:
    """The whole project file as bytes (built in memory), ``extra_meta`` added to ``meta``."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute(f"PRAGMA user_version = {FORMAT_VERSION}")
        conn.executescript(_SCHEMA)
        with conn:
            _insert_project(conn, project, extra_meta)
        with conn:
            conn.execute("INSERT INTO meta VALUES (?, ?)",
                         (_CHECKSUM_KEY, json.dumps(_digest(conn))))
        return conn.serialize()
    finally:
        conn.close()


def _insert_project(conn: sqlite3.Connection, project: Project, extra: dict[str, Any]) -> None:
    est = project.establishment
    meta: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "app_version": planner.__version__,
        "saved_at": dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
        "saved_by": os_user_name(),
        "saved_on": platform.node(),
        "current": int(project.current),
        "establishment": None if est is None else {
            "source": est.source.to_dict(), "rows_read": int(est.rows_read),
            "rows_excluded": int(est.rows_excluded), "extra": est.extra is not None},
        "personal_data": state_of(est).to_dict(),
        **extra,
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)",
                     [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()])
    if est is not None:
        frames = {"posts": est.posts} if est.extra is None else {"posts": est.posts,
                                                                  "extra": est.extra}
        for name, frame in frames.items():
            spec, arrays = frame_store.encode_frame(frame)
            conn.execute("INSERT INTO frames VALUES (?, ?)", (name, frame_store.spec_to_json(spec)))
            conn.executemany("INSERT INTO arrays VALUES (?, ?, ?, ?, ?)",
                             [(name, i, frame_store.spec_to_json(s), *_pack(data))
                              for i, (s, data) in enumerate(arrays)])
        conn.executemany("INSERT INTO issues VALUES (?, ?, ?, ?, ?, ?, ?, ?)", [
            (i, str(x.severity), x.message, x.code, x.sheet,
             None if x.row is None else int(x.row), x.column, x.value)
            for i, x in enumerate(est.report.issues)])
    conn.executemany("INSERT INTO scenarios VALUES (?, ?, ?)", [
        (i, s.name, json.dumps(scenario_to_dict(s), ensure_ascii=False))
        for i, s in enumerate(project.scenarios)])
    conn.executemany("INSERT INTO audit VALUES (?, ?, ?, ?)",
                     [(i, e.time, e.user, e.action) for i, e in enumerate(project.audit)])


def _pack(data: bytes) -> tuple[str, bytes]:
    """(codec, blob): zlib at its fastest level shrinks text columns about tenfold."""
    return ("zlib", zlib.compress(data, 1)) if len(data) > 1024 else ("", data)


def _unpack(codec: str, blob: bytes) -> bytes:
    if codec == "":
        return bytes(blob)
    if codec != "zlib":
        raise ValueError(f"unknown codec {codec!r}")
    inflater = zlib.decompressobj()
    data = inflater.decompress(blob, MAX_ARRAY_BYTES)
    if inflater.unconsumed_tail:
        raise ValueError("a stored column is implausibly large")
    return data


def _digest(conn: sqlite3.Connection) -> str:
    """SHA-256 of every row of every table (but the checksum itself), in key order."""
    h = hashlib.sha256()
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        width = len(conn.execute(f"SELECT * FROM {quoted} LIMIT 0").description)
        order = ", ".join(str(i + 1) for i in range(width))
        _feed(h, "table", table)
        for row in conn.execute(f"SELECT * FROM {quoted} ORDER BY {order}"):
            if table == "meta" and row[0] == _CHECKSUM_KEY:
                continue
            _feed(h, "row", *row)
    return h.hexdigest()


def _feed(h: Any, *values: Any) -> None:
    for v in values:
        if isinstance(v, bytes):
            raw, kind = v, b"b"
        elif v is None:
            raw, kind = b"", b"n"
        else:
            raw, kind = str(v).encode("utf-8"), type(v).__name__[:1].encode()
        h.update(kind + len(raw).to_bytes(8, "little") + raw)


def write_atomically(path: Path, data: bytes, *, private: bool) -> None:
    """Write ``data`` to a temporary file beside ``path``, flush it, then replace ``path``.

    The steps are separate functions (:func:`_write_all`, :func:`_replace`,
    :func:`_sync_folder`) so a test can stop a saving process between any two.
    """
    remove_stale_temps(path)
    tmp = path.with_name(_TEMP_NAME.format(name=path.name, token=secrets.token_hex(4)))
    created = False
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(tmp, flags, 0o600 if private else 0o666)
        created = True
        with os.fdopen(fd, "wb") as fh:
            _write_all(fh, data)
        if not private and os.name != "nt" and path.exists():
            os.chmod(tmp, path.stat().st_mode & 0o7777)  # keep the shared file's permissions
        _replace(tmp, path)
        created = False
        _sync_folder(path.parent)
    except OSError as exc:
        raise ProjectFileError(
            f"{path.name} could not be saved ({os_error_reason(exc, path)}).") from exc
    finally:
        if created:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _write_all(fh: Any, data: bytes) -> None:
    """Write, flush and fsync: the new contents are on disk before anything is replaced."""
    fh.write(data)
    fh.flush()
    os.fsync(fh.fileno())


def temp_pattern(path: Path) -> re.Pattern[str]:
    """The names of :func:`write_atomically`'s temporary files for ``path``, and only those."""
    return re.compile(re.escape(f"~{Path(path).name}.") + r"[0-9a-f]{8}\.tmp\Z")


def remove_stale_temps(path: Path, max_age: float = STALE_TEMP_SECONDS) -> list[Path]:
    """Delete temporary files a killed save of ``path`` left beside it; the paths deleted.

    Only files named exactly as this module names them for ``path`` and not written
    to for ``max_age`` seconds: a save in progress (here or in another session)
    writes its temporary file within seconds and renames it straight away. Best
    effort: a file that cannot be deleted is left.
    """
    return remove_old_files(Path(path).parent, temp_pattern(path), max_age)


def remove_old_files(folder: Path, pattern: re.Pattern[str], max_age: float) -> list[Path]:
    """Delete the files in ``folder`` whose names match ``pattern`` and that were not
    written to for ``max_age`` seconds; the paths deleted (best effort)."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not pattern.match(entry.name):
            continue
        with contextlib.suppress(OSError):
            if entry.is_file(follow_symlinks=False) and \
                    now - entry.stat(follow_symlinks=False).st_mtime > max_age:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def _replace(tmp: Path, path: Path) -> None:
    """``os.replace``, retried briefly: antivirus or a backup tool may hold the target."""
    for attempt in range(1, REPLACE_ATTEMPTS + 1):
        try:
            os.replace(tmp, path)
            return
        except PermissionError:
            if attempt == REPLACE_ATTEMPTS:
                raise
            time.sleep(REPLACE_DELAY * attempt)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no folder handles for this)."""
    if os.name == "nt":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def os_error_reason(exc: OSError, path: Path) -> str:
    """Why ``exc`` happened to ``path``, as a few lower-case words for a sentence."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if isinstance(exc, PermissionError):
        return "permission was denied, or the file is open in another program"
    if isinstance(exc, FileNotFoundError):
        return f"the folder {path.parent} does not exist"
    return (exc.strerror or str(exc)).rstrip(".").lower()


# ---------------------------------------------------------------- loading

def load_project(path: str | os.PathLike[str]) -> Project:
    """Read a project file, checking it completely first.

    Raises:
        ProjectFileError: missing, unreadable, not a project, damaged, or from a newer version.
    """
    path = Path(path)
    conn = open_checked(path)
    try:
        return _read_project(conn, path.name)
    except ScenarioError as exc:
        raise ProjectFileError(
            f"{path.name} holds a scenario that could not be read ({exc}).") from exc
    except (sqlite3.Error, ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise _damaged(path.name) from exc
    finally:
        conn.close()


def _damaged(name: str, why: str = "") -> ProjectFileError:
    return ProjectFileError(f"{name} is damaged and cannot be opened{why}; "
                            "open an earlier copy or a backup instead.")


def _not_a_project(name: str) -> ProjectFileError:
    return ProjectFileError(f"{name} is not an FTE Planner project "
                            "(it may be damaged or another kind of file).")


def open_checked(path: Path) -> sqlite3.Connection:
    """The file as an in-memory database that passed every check, migrated to this format."""
    name = path.name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProjectFileError(f"{name} was not found (looked in {path.parent}).") from None
    except IsADirectoryError:
        raise _not_a_project(name) from None
    except OSError as exc:
        reason = ("permission was denied" if isinstance(exc, PermissionError)
                  else (exc.strerror or str(exc)).rstrip(".").lower())
        raise ProjectFileError(f"{name} could not be read ({reason}).") from exc
    if len(data) < 100 or not data.startswith(_MAGIC):
        raise _not_a_project(name)
    if int.from_bytes(data[68:72], "big") != APPLICATION_ID:
        raise _not_a_project(name)
    page_size = int.from_bytes(data[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if len(data) < page_size * int.from_bytes(data[28:32], "big"):
        raise _damaged(name, " (it is incomplete, perhaps from an interrupted copy)")
    version = int.from_bytes(data[60:64], "big", signed=True)
    if data[18:20] == b"\x02\x02":  # left in WAL mode by another tool: read it as a rollback file
        data = data[:18] + b"\x01\x01" + data[20:]
    conn = sqlite3.connect(":memory:")
    try:
        conn.deserialize(data)
        conn.execute("PRAGMA trusted_schema = OFF")
        if version > FORMAT_VERSION:
            raise _newer(conn, name)
        if version < 1 or any(v not in MIGRATIONS for v in range(version, FORMAT_VERSION)):
            raise ProjectFileError(f"{name} uses an old file format (version {version}) that "
                                   "this version of FTE Planner cannot read.")
        if [r[0] for r in conn.execute("PRAGMA integrity_check")] != ["ok"]:
            raise _damaged(name)
        stored = conn.execute("SELECT value FROM meta WHERE key = ?",
                              (_CHECKSUM_KEY,)).fetchone()
        if stored is None or json.loads(stored[0]) != _digest(conn):
            raise _damaged(name, " (its contents do not match their checksum)")
        for v in range(version, FORMAT_VERSION):
            with conn:
                MIGRATIONS[v](conn)
                conn.execute(f"PRAGMA user_version = {v + 1}")
        if version < FORMAT_VERSION:
            with conn:  # the migrated database is consistent again
                conn.execute("UPDATE meta SET value = ? WHERE key = 'format_version'",
                             (json.dumps(FORMAT_VERSION),))
                conn.execute("UPDATE meta SET value = ? WHERE key = ?",
                             (json.dumps(_digest(conn)), _CHECKSUM_KEY))
    except (sqlite3.Error, ValueError, TypeError) as exc:
        conn.close()
        raise _damaged(name) from exc
    except BaseException:
        conn.close()
        raise
    return conn


def _newer(conn: sqlite3.Connection, name: str) -> ProjectFileError:
    app = ""
    with contextlib.suppress(sqlite3.Error, ValueError, TypeError):
        row = conn.execute("SELECT value FROM meta WHERE key = 'app_version'").fetchone()
        app = f" ({json.loads(row[0])})" if row else ""
    return ProjectFileError(f"{name} was made by a newer version of FTE Planner{app}; "
                            "install the latest version to open it.")


def read_meta(conn: sqlite3.Connection) -> dict[str, Any]:
    """The ``meta`` table of an open project database, values decoded."""
    return {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM meta")}


def _read_project(conn: sqlite3.Connection, name: str) -> Project:
    meta = read_meta(conn)
    establishment = None
    if meta["establishment"] is not None:
        establishment = _read_establishment(conn, meta["establishment"])
    scenarios = [scenario_from_dict(json.loads(doc), source=name)
                 for (doc,) in conn.execute("SELECT document FROM scenarios ORDER BY position")]
    audit = [AuditEntry(t, u, a) for t, u, a in conn.execute(
        "SELECT time, user, action FROM audit ORDER BY position")]
    current = int(meta["current"])
    current = current if 0 <= current < len(scenarios) else 0
    if establishment is not None:
        state = PersonalDataState.from_dict(meta["personal_data"])
        establishment = with_removal(establishment, state.removal())
    return Project(establishment, scenarios, audit, current)


def _read_frame(conn: sqlite3.Connection, name: str) -> Any:
    """One stored DataFrame (``posts`` or ``extra``)."""
    (spec,) = conn.execute("SELECT spec FROM frames WHERE name = ?", (name,)).fetchone()
    arrays = [(frame_store.spec_from_json(s), _unpack(c, d)) for s, c, d in conn.execute(
        "SELECT spec, codec, data FROM arrays WHERE frame = ? ORDER BY position", (name,))]
    return frame_store.decode_frame(frame_store.spec_from_json(spec), arrays)


def _read_establishment(conn: sqlite3.Connection, info: dict[str, Any]) -> Establishment:
    def frame(name: str) -> Any:
        return _read_frame(conn, name)

    issues = [Issue(Severity(sev), msg, code, sheet, row, column, value)
              for sev, msg, code, sheet, row, column, value in conn.execute(
                  "SELECT severity, message, code, sheet, row, column_name, value "
                  "FROM issues ORDER BY position")]
    source = {f.name: info["source"][f.name] for f in fields(SourceInfo)}
    source["path"] = Path(source["path"])
    source["header_rows"] = tuple(source["header_rows"])
    return Establishment(posts=frame("posts"), report=QualityReport(issues),
                         source=SourceInfo(**source), rows_read=int(info["rows_read"]),
                         rows_excluded=int(info["rows_excluded"]),
                         extra=frame("extra") if info["extra"] else None)


# ---------------------------------------------------------------- migrations

def _personal_data_v1_to_v2(conn: sqlite3.Connection) -> None:
    """Format 1 → 2: record which personal columns the stored posts fill (none removed:
    format 1 had no way to remove them)."""
    meta = read_meta(conn)
    state = PersonalDataState()
    if meta.get("establishment") is not None:
        posts = _read_frame(conn, "posts")
        has_extra = bool(meta["establishment"].get("extra"))
        unmapped = int(_read_frame(conn, "extra").shape[1]) if has_extra else 0
        state = PersonalDataState(columns=columns_with_values(posts), unmapped_columns=unmapped)
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('personal_data', ?)",
                 (json.dumps(state.to_dict(), ensure_ascii=False),))


MIGRATIONS[1] = _personal_data_v1_to_v2


# ---------------------------------------------------------------- re-exported crash recovery

#: Names of :mod:`planner.recovery` that can still be imported from here. That module
#: builds on this one, so they are looked up when first asked for (no import cycle).
_RECOVERY_NAMES = frozenset({"RecoveryInfo", "discard_recovery", "list_recoveries",
                             "recovery_path", "write_recovery"})

if TYPE_CHECKING:
    from planner.recovery import RecoveryInfo as RecoveryInfo
    from planner.recovery import discard_recovery as discard_recovery
    from planner.recovery import list_recoveries as list_recoveries
    from planner.recovery import recovery_path as recovery_path
    from planner.recovery import write_recovery as write_recovery
else:
    def __getattr__(name: str) -> Any:
        if name in _RECOVERY_NAMES:
            from planner import recovery

            return getattr(recovery, name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
