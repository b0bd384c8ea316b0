"""A process that saves a project and stops where it is told, for ``test_kill_during_save``.

Run as ``python tests/planner/save_child.py MODE BASE TARGET [RECOVERY_FOLDER]``:

* ``BASE`` is a project file to start from (read once, so the child starts fast);
* ``pause POINT``: save an edited copy of ``BASE`` over ``TARGET`` (or, for the
  point ``recovery``, autosave it to ``RECOVERY_FOLDER`` as a copy of ``TARGET``),
  print ``AT POINT`` when it gets there and wait to be killed. Points: ``write``
  (half of the temporary file written), ``fsynced`` (temporary file complete and
  flushed to disk, before ``os.replace``), ``replaced`` (after ``os.replace``,
  before the folder is synced) and ``recovery`` (half of the recovery file's
  temporary file written);
* ``loop``: save edited copies over ``TARGET`` one after another, printing
  ``SAVED n`` after each, until killed.

The pause replaces one step of :func:`planner.project_file.write_atomically` in
this process only; nothing else of the saving code is changed.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from planner import project_file  # noqa: E402
from planner.project import AuditEntry, Project  # noqa: E402
from planner.project_file import load_project, save_project  # noqa: E402
from planner.recovery import write_recovery  # noqa: E402
from planner.scenario_edits import edit  # noqa: E402

WAIT_S = 120  # the parent kills the child long before this


def edited(base: Project, label: str) -> Project:
    """``base`` with its first scenario renamed and an audit line: what the child saves."""
    scenarios = list(base.scenarios)
    scenarios[0] = edit(scenarios[0], "name", f"{scenarios[0].name} ({label})")
    audit = [*base.audit, AuditEntry("2026-06-01T10:00:00+01:00", "child", label)]
    return Project(base.establishment, scenarios, audit, base.current)


def pause(point: str) -> None:
    print(f"AT {point}", flush=True)
    time.sleep(WAIT_S)
    sys.exit(3)  # not killed: the parent failed


def half_then_pause(point: str):
    def write_all(fh, data: bytes) -> None:
        fh.write(data[: len(data) // 2])
        fh.flush()
        os.fsync(fh.fileno())
        pause(point)
    return write_all


def install(point: str) -> None:
    if point in ("write", "recovery"):
        project_file._write_all = half_then_pause(point)
    elif point == "fsynced":
        project_file._replace = lambda tmp, path: pause(point)
    elif point == "replaced":
        project_file._sync_folder = lambda folder: pause(point)
    else:
        raise SystemExit(f"unknown point {point!r}")


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "pause":
        point, base, target = argv[1], Path(argv[2]), Path(argv[3])
        project = edited(load_project(base), point)
        install(point)
        if point == "recovery":
            write_recovery(project, Path(argv[4]), target)
        else:
            save_project(project, target)
        print("DONE", flush=True)
        return 0
    if mode == "loop":
        base, target = Path(argv[1]), Path(argv[2])
        project = load_project(base)
        print("READY", flush=True)
        for n in itertools.count(1):
            save_project(edited(project, f"save {n}"), target)
            print(f"SAVED {n}", flush=True)
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
