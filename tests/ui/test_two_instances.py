"""Two copies of the app on one project: the second is warned, and only while it matters.

The "first copy" is a real second Python process that marks the project as open
(:func:`planner.file_owner.claim`) and, when told, closes it cleanly
(:func:`planner.file_owner.release`) or is killed; the "second copy" is a window's
file commands (:class:`ui.project_files.ProjectFiles`) in this process opening the same
file.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from planner.file_owner import owner_path
from planner.project import Project, os_user_name
from planner.project_file import save_project
from tests.ui.factories import make_establishment

ROOT = Path(__file__).resolve().parents[2]
FIRST_COPY = r'''
import sys
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from planner.file_owner import claim, release
path = Path(sys.argv[1])
other = claim(path)
print("CLAIMED", "none" if other is None else other.user, flush=True)
sys.stdin.readline()  # the test says when to close
release(path)
print("RELEASED", flush=True)
'''


class FirstCopy:
    def __init__(self, path: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-c", FIRST_COPY, str(path), str(ROOT)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        self.claimed = self.proc.stdout.readline().split()
        assert self.claimed[0] == "CLAIMED", self.claimed

    def close_cleanly(self) -> None:
        out, _ = self.proc.communicate("\n", timeout=60)
        assert out.split() == ["RELEASED"] and self.proc.returncode == 0

    def crash(self) -> None:
        self.proc.kill()
        self.proc.communicate(timeout=60)




@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = tmp_path / "budget.fteplan"
    save_project(Project(make_establishment()), path)
    return path


def warnings_of(dialogs) -> list[str]:
    return [d.message() for d in dialogs if "also opened by" in d.message()]


def test_second_copy_is_warned_until_the_first_closes(files, dialogs, project: Path) -> None:
    first = FirstCopy(project)
    try:
        since = json.loads(owner_path(project).read_text(encoding="utf-8"))["since"]
        assert files.open_and_wait(project)
        assert warnings_of(dialogs) == [
            f"budget.fteplan was also opened by {os_user_name()} on {platform.node()} "
            f"(since {since.replace('T', ' ')[:16]}). If they still have it open, whoever "
            "saves last overwrites the other's changes: agree who saves, or use File ▸ Save as "
            "for your own copy."]
    finally:
        first.close_cleanly()
    assert files.open_and_wait(project)  # the first copy has closed: no second warning
    assert len(warnings_of(dialogs)) == 1
    files.release_current()
    assert not owner_path(project).exists()  # closed cleanly: no marker is left behind


def test_a_first_copy_that_crashed_is_not_reported(files, dialogs, project: Path) -> None:
    first = FirstCopy(project)
    first.crash()  # its marker stays, naming a process of this computer that has ended
    assert owner_path(project).exists()
    assert files.open_and_wait(project)
    assert warnings_of(dialogs) == []


def test_a_copy_on_another_computer_is_reported(files, dialogs, project: Path) -> None:
    other = {"user": "bob", "host": "PC-17", "pid": 4242, "since": "2026-05-01T09:00:00+01:00"}
    owner_path(project).write_text(json.dumps(other), encoding="utf-8")
    assert files.open_and_wait(project)
    assert warnings_of(dialogs) == [
        "budget.fteplan was also opened by bob on PC-17 (since 2026-05-01 09:00). If they still "
        "have it open, whoever saves last overwrites the other's changes: agree who saves, or "
        "use File ▸ Save as for your own copy."]


def test_the_first_copy_is_told_about_the_second(files, project: Path) -> None:
    assert files.open_and_wait(project)
    first = FirstCopy(project)  # opened second: it finds this process's marker
    first.close_cleanly()
    assert first.claimed == ["CLAIMED", os_user_name()]
