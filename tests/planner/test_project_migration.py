"""Project files of an older format open, migrated, and save again in the current one.

``tests/data/projects/demo_v1.fteplan`` was written by format 1 (the code of commit
267136e, see ``make_demo_v1.py`` beside it): the demo council, its three scenarios,
three audit lines and the second scenario current. Format 2 adds the ``personal_data``
meta entry, which the migration works out from the stored posts.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest

from planner import bundled, importer, project_file
from planner.demo import demo_scenarios
from planner.establishment import Establishment
from planner.personal_data import RedactedEstablishment, remove_personal_data
from planner.project import Project
from planner.project_file import (
    FORMAT_VERSION,
    ProjectFileError,
    load_project,
    open_checked,
    read_meta,
    save_project,
)
from planner.runner import run_scenario
from tests.ui.factories import make_establishment

V1 = Path(__file__).resolve().parents[1] / "data" / "projects" / "demo_v1.fteplan"
DEMO_PERSONAL = ["employee_id", "employee_name", "date_of_birth", "service_start_date"]


@pytest.fixture(scope="module")
def demo() -> Establishment:
    return importer.load_establishment(bundled.demo_workbook())


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    finally:
        conn.close()


def meta_of(path: Path) -> dict:
    conn = open_checked(path)
    try:
        return read_meta(conn)
    finally:
        conn.close()


def as_format_1(path: Path) -> None:
    """Turn a file saved now into the format-1 file the old code would have written.

    Format 2 only added the ``personal_data`` meta entry, so dropping it, setting the
    version back and recomputing the checksum by the same rules gives a format-1 file.
    """
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM meta WHERE key = 'personal_data'")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'format_version'")
    conn.execute("PRAGMA user_version = 1")
    conn.execute("UPDATE meta SET value = ? WHERE key = 'checksum'",
                 (json.dumps(project_file._digest(conn)),))
    conn.commit()
    conn.close()


def test_the_committed_file_is_format_1_and_small() -> None:
    assert user_version(V1) == 1
    assert V1.stat().st_size < 1_000_000
    conn = sqlite3.connect(V1)
    keys = {k for (k,) in conn.execute("SELECT key FROM meta")}
    conn.close()
    assert "personal_data" not in keys and FORMAT_VERSION == 2


def test_format_1_demo_opens_with_the_same_posts_scenarios_and_results(
        demo: Establishment) -> None:
    got = load_project(V1)
    assert got.establishment is not None
    assert not isinstance(got.establishment, RedactedEstablishment)
    # Compared with the demo workbook read now: if the importer one day reads it
    # differently, compare with a frame saved beside the fixture instead.
    pd.testing.assert_frame_equal(got.establishment.posts, demo.posts, check_exact=True)
    assert len(got.establishment.report) > 0
    assert got.scenarios == demo_scenarios()
    assert got.current == 1
    assert [(a.user, a.action) for a in got.audit] == [
        ("alice", "Import establishment demo_council.xlsx"), ("alice", "Add scenario"),
        ("bob", "Saved as demo_v1.fteplan")]
    for scenario in got.scenarios:
        want = run_scenario(demo.posts, scenario)
        have = run_scenario(got.establishment.posts, scenario)
        pd.testing.assert_frame_equal(have.monthly(), want.monthly(), check_exact=True)
        assert have.to_dict() == want.to_dict()


def test_migration_records_the_personal_data_the_posts_hold() -> None:
    meta = meta_of(V1)  # migrated in memory: the file itself is not touched
    assert meta["format_version"] == FORMAT_VERSION
    assert meta["personal_data"] == {
        "removed": False, "removed_at": None, "removed_by": None, "ages_at": None,
        "columns": DEMO_PERSONAL, "unmapped_columns": 0}
    conn = open_checked(V1)
    try:  # the migrated database is consistent: its checksum matches its contents
        assert conn.execute("PRAGMA user_version").fetchone()[0] == FORMAT_VERSION
        assert meta["checksum"] == project_file._digest(conn)
    finally:
        conn.close()
    assert user_version(V1) == 1


def test_migrated_project_saves_as_the_current_format(tmp_path: Path) -> None:
    again = tmp_path / "demo.fteplan"
    first = load_project(V1)
    save_project(first, again)
    assert user_version(again) == FORMAT_VERSION
    assert meta_of(again)["personal_data"]["columns"] == DEMO_PERSONAL
    second = load_project(again)
    assert second.scenarios == first.scenarios and second.audit == first.audit
    assert first.establishment is not None and second.establishment is not None
    pd.testing.assert_frame_equal(second.establishment.posts, first.establishment.posts,
                                  check_exact=True)


def test_checksum_is_checked_before_migrating(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    damaged = tmp_path / "demo.fteplan"
    shutil.copyfile(V1, damaged)
    conn = sqlite3.connect(damaged)
    conn.execute("UPDATE audit SET user = 'mallory' WHERE position = 0")
    conn.commit()
    conn.close()
    ran: list[int] = []
    monkeypatch.setitem(project_file.MIGRATIONS, 1, lambda c: ran.append(1))
    with pytest.raises(ProjectFileError, match=r"^demo\.fteplan is damaged.*checksum"):
        load_project(damaged)
    assert ran == []


@pytest.mark.parametrize("case", ["no establishment", "unmapped columns", "no personal data"])
def test_other_format_1_files_migrate(case: str, tmp_path: Path) -> None:
    est = make_establishment()
    if case == "unmapped columns":
        est.extra = pd.DataFrame({"Notes": ["x"] * len(est.posts), "Home town": None},
                                 index=est.posts.index)
    if case == "no personal data":
        for column in ("employee_id", "employee_name", "date_of_birth", "service_start_date"):
            est.posts[column] = None
    path = tmp_path / "old.fteplan"
    save_project(Project(None if case == "no establishment" else est), path)
    as_format_1(path)
    assert user_version(path) == 1
    got = load_project(path)
    state = meta_of(path)["personal_data"]
    assert state["removed"] is False
    if case == "no establishment":
        assert got.establishment is None and state["columns"] == []
    elif case == "unmapped columns":
        assert state["unmapped_columns"] == 2 and got.establishment is not None
        assert got.establishment.extra is not None
    else:
        assert state["columns"] == [c for c in ("age", "years_service")
                                    if est.posts[c].notna().any()]


def test_removal_is_kept_in_the_file(demo: Establishment, tmp_path: Path) -> None:
    clean = remove_personal_data(demo, 2027 * 12 + 3, user="carol")
    path = tmp_path / "clean.fteplan"
    save_project(Project(clean, demo_scenarios()), path)
    state = meta_of(path)["personal_data"]
    assert state["removed"] is True and state["removed_by"] == "carol"
    assert state["ages_at"] == "2027-04" and state["columns"] == ["age", "years_service"]
    got = load_project(path).establishment
    assert isinstance(got, RedactedEstablishment) and got.removal == clean.removal
    pd.testing.assert_frame_equal(got.posts, clean.posts, check_exact=True)
