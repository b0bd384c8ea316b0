"""A process killed while it saves never costs the previous file or the recovery file.

Each test starts ``save_child.py`` (a real Python process), lets it save the demo
council over a good project file, stops it at a chosen point and kills it
(``Popen.kill``: SIGKILL on POSIX, TerminateProcess on Windows, so no clean-up runs).
Then the file must open and hold either exactly what was there before or, once
``os.replace`` has happened, exactly what was being saved; the recovery file of an
earlier autosave must still be listed and open; and the temporary file the kill
left behind must confuse nothing and be cleaned up by the next save once it is old.
"""

from __future__ import annotations

import os
import queue
import random
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from planner import bundled, importer
from planner.demo import demo_scenarios
from planner.project import AuditEntry, Project
from planner.project_file import (
    STALE_TEMP_SECONDS,
    load_project,
    remove_stale_temps,
    save_project,
    temp_pattern,
)
from planner.recovery import list_recoveries, write_recovery
from tests.planner.save_child import edited

CHILD = Path(__file__).with_name("save_child.py")
ROOT = Path(__file__).resolve().parents[2]
LINE_TIMEOUT_S = 120.0  # generous: the child imports pandas on a busy machine


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Project]:
    """The demo council with its scenarios, saved once: what every child starts from."""
    est = importer.load_establishment(bundled.demo_workbook())
    project = Project(est, demo_scenarios(),
                      [AuditEntry("2026-05-01T09:00:00+01:00", "alice", "Import")], 1)
    path = tmp_path_factory.mktemp("base") / "base.fteplan"
    save_project(project, path)
    return path, project


class Child:
    """A running ``save_child.py`` whose output lines are read on a thread (no blocking)."""

    def __init__(self, *args: object) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD), *map(str, args)], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.strip())
        self.lines.put("")  # end of output

    def wait_for(self, wanted: str) -> None:
        deadline = time.monotonic() + LINE_TIMEOUT_S
        while True:
            try:
                line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                line = ""
            self.seen.append(line)
            if line == wanted:
                return
            if line == "" or time.monotonic() > deadline:
                self.kill()
                err = self.proc.stderr.read() if self.proc.stderr else ""
                pytest.fail(f"the child never printed {wanted!r}: {self.seen}\n{err}")

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=60)
        for stream in (self.proc.stdout, self.proc.stderr):
            if stream is not None:
                stream.close()

    def saved(self) -> list[str]:
        """The ``SAVED n`` lines printed before the kill (read after :meth:`kill`)."""
        while True:
            try:
                self.seen.append(self.lines.get(timeout=5))
            except queue.Empty:
                break
            if self.seen[-1] == "":
                break
        return [s for s in self.seen if s.startswith("SAVED ")]


def assert_same(got: Project, want: Project) -> None:
    assert got.scenarios == want.scenarios
    assert got.audit == want.audit
    assert got.establishment is not None and want.establishment is not None
    pd.testing.assert_frame_equal(got.establishment.posts, want.establishment.posts,
                                  check_exact=True)


def temps(folder: Path, target: Path) -> list[Path]:
    pattern = temp_pattern(target)
    return [p for p in folder.iterdir() if pattern.match(p.name)]


@pytest.mark.parametrize("point", ["write", "fsynced", "replaced", "recovery"])
def test_killed_save_keeps_the_file_and_the_recovery_file(
        point: str, base: tuple[Path, Project], tmp_path: Path) -> None:
    base_file, old = base
    target = tmp_path / "plan.fteplan"
    shutil.copyfile(base_file, target)  # the good file the save goes over
    folder = tmp_path / "recovery"
    earlier = edited(old, "earlier autosave")
    autosaved = write_recovery(earlier, folder, target)

    child = Child("pause", point, base_file, target, folder)
    child.wait_for(f"AT {point}")
    child.kill()

    new = edited(old, point)
    assert_same(load_project(target), new if point == "replaced" else old)
    found = list_recoveries(folder)
    assert [r.path for r in found] == [autosaved]
    assert_same(load_project(found[0].path), earlier)

    left = temps(folder, autosaved) if point == "recovery" else temps(tmp_path, target)
    assert len(left) == (0 if point == "replaced" else 1)
    if left:  # what a kill leaves: not a project, ignored, cleaned up once it is old
        assert left[0].stat().st_size > 0
        old_time = time.time() - STALE_TEMP_SECONDS - 60
        os.utime(left[0], (old_time, old_time))
        if point == "recovery":
            assert list_recoveries(folder)[0].path == autosaved  # listing cleans up
        else:
            save_project(old, target)
        assert not left[0].exists()
        assert_same(load_project(target), old)


def test_only_old_temporary_files_of_our_own_pattern_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "plan.fteplan"
    old_time = time.time() - STALE_TEMP_SECONDS - 60
    names = {
        "~plan.fteplan.0a1b2c3d.tmp": True,  # ours, old: goes
        "~plan.fteplan.0a1b2c3e.tmp": False,  # ours but recent: a save in progress
        "~plan.fteplan.0a1b2c3.tmp": False,  # not the pattern (7 digits)
        "~other.fteplan.0a1b2c3d.tmp": False,  # another project's
        "plan.fteplan.0a1b2c3d.tmp": False,  # no tilde
        "~plan.fteplan.0a1b2c3d.tmp.bak": False,
        "~$plan.fteplan": False,  # the owner marker
    }
    for name, stale in names.items():
        path = tmp_path / name
        path.write_bytes(b"x")
        if stale or name != "~plan.fteplan.0a1b2c3e.tmp":
            os.utime(path, (old_time, old_time))
    assert remove_stale_temps(target) == [tmp_path / "~plan.fteplan.0a1b2c3d.tmp"]
    assert {p.name for p in tmp_path.iterdir()} == {n for n, s in names.items() if not s}


def test_kills_at_random_moments_never_leave_an_unreadable_file(
        base: tuple[Path, Project], tmp_path: Path) -> None:
    """Not instrumented: the child saves over and over and is killed whenever."""
    base_file, old = base
    target = tmp_path / "plan.fteplan"
    shutil.copyfile(base_file, target)
    rng = random.Random(20260501)
    saves_seen = 0
    for kill in range(5):
        child = Child("loop", base_file, target)
        child.wait_for("READY")
        delay = rng.uniform(0.05, 0.8)
        time.sleep(delay)
        child.kill()
        saved = child.saved()
        saves_seen += len(saved)
        got = load_project(target)  # whatever happened, the file opens
        last = got.audit[-1].action
        done = [s.removeprefix("SAVED ") for s in saved]
        if last != old.audit[-1].action:
            assert last.startswith("save "), (kill, delay, last)
            number = int(last.removeprefix("save "))
            # the file holds the last save reported, or the one under way when killed
            assert not done or number in (int(done[-1]), int(done[-1]) + 1), (kill, delay)
            assert_same(got, edited(old, last))
    assert saves_seen > 0  # the kills did land among the saves
