"""Recovery files are the user's alone; the "who has it open" marker names no employee.

POSIX only for the modes: on Windows the recovery folder lives in the user's own
profile (``AppData``), whose access list already keeps other users out, and file
modes mean nothing there, so those tests are skipped.
"""

from __future__ import annotations

import json
import os
import platform
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from planner.file_owner import claim, owner_path, release
from planner.project import Project, os_user_name
from planner.project_file import save_project
from planner.recovery import write_recovery
from tests.ui.factories import make_establishment

posix_only = pytest.mark.skipif(os.name == "nt", reason=(
    "Windows: the per-user AppData folder's access list keeps recovery files private"))


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask 022", "umask 000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The modes must not depend on a careful umask."""
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


@posix_only
def test_recovery_folder_and_files_are_private(tmp_path: Path, umask: int) -> None:
    folder = tmp_path / "app" / "recovery"
    project = Project(make_establishment())
    first = write_recovery(project, folder, tmp_path / "budget.fteplan")
    assert mode(folder) == 0o700 and mode(first) == 0o600
    inode = first.stat().st_ino
    again = write_recovery(project, folder, tmp_path / "budget.fteplan")  # an overwrite
    assert again == first and first.stat().st_ino != inode  # a new file took its place
    assert mode(first) == 0o600 and mode(folder) == 0o700
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


@posix_only
def test_a_recovery_folder_made_too_open_is_tightened(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    write_recovery(Project(make_establishment()), folder, None)
    assert mode(folder) == 0o700


@posix_only
def test_a_shared_project_keeps_its_own_permissions(tmp_path: Path) -> None:
    path = tmp_path / "budget.fteplan"
    save_project(Project(make_establishment()), path)
    os.chmod(path, 0o640)  # e.g. a team folder's group
    save_project(Project(make_establishment()), path)
    assert mode(path) == 0o640


def test_the_owner_marker_names_only_the_user_and_computer(tmp_path: Path) -> None:
    est = make_establishment()
    path = tmp_path / "budget.fteplan"
    save_project(Project(est), path)
    claim(path)
    text = owner_path(path).read_text(encoding="utf-8")
    data = json.loads(text)
    assert set(data) == {"user", "host", "pid", "since"}
    assert (data["user"], data["host"], data["pid"]) == (os_user_name(), platform.node(),
                                                         os.getpid())
    for name in est.posts["employee_name"].dropna():
        assert name not in text
    release(path)
    assert not owner_path(path).exists()
