"""Write ``demo_v1.fteplan``: the demo council and its scenarios in project-file format 1.

The committed file was made with the code of commit 267136e (the last one whose
``planner.project_file.FORMAT_VERSION`` was 1) by running, from the repository root::

    python tests/data/projects/make_demo_v1.py

With a later version it refuses to run (it would write that version's format over
the fixture that proves old files still open, ``tests/planner/test_project_migration.py``).
To make it again: ``git worktree add /tmp/v1 267136e`` and run this script there.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from planner import bundled, importer  # noqa: E402
from planner.demo import demo_scenarios  # noqa: E402
from planner.project import AuditEntry, Project  # noqa: E402
from planner.project_file import FORMAT_VERSION, save_project  # noqa: E402

TARGET = Path(__file__).with_name("demo_v1.fteplan")

#: Fixed audit entries (no real user names, stable across runs).
AUDIT = (
    AuditEntry("2026-05-01T09:00:00+01:00", "alice", "Import establishment demo_council.xlsx"),
    AuditEntry("2026-05-01T09:05:00+01:00", "alice", "Add scenario"),
    AuditEntry("2026-05-01T09:10:00+01:00", "bob", "Saved as demo_v1.fteplan"),
)


def main() -> None:
    if FORMAT_VERSION != 1:
        sys.exit(f"This code writes project format {FORMAT_VERSION}, not 1: {TARGET.name} "
                 "was left as it is.")
    est = importer.load_establishment(bundled.demo_workbook())
    project = Project(est, demo_scenarios(), list(AUDIT), current=1)
    save_project(project, TARGET)
    print(f"wrote {TARGET} ({TARGET.stat().st_size:,} bytes, format {FORMAT_VERSION})")


if __name__ == "__main__":
    main()
