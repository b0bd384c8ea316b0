"""Project files: exact round trips, atomic saves, damaged files refused, crash recovery."""

from __future__ import annotations

import ast
import datetime as dt
import errno
import json
import os
import sqlite3
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import planner
from planner import bundled, frame_store, importer, project_file
from planner.demo import demo_scenarios
from planner.establishment import Establishment
from planner.project import AuditEntry, Project
from planner.project_file import (
    APPLICATION_ID,
    FILE_SUFFIX,
    FORMAT_VERSION,
    ProjectFileError,
    claim,
    discard_recovery,
    list_recoveries,
    load_project,
    read_owner,
    recovery_path,
    release,
    save_project,
    write_recovery,
)
from planner.runner import run_scenario
from planner.scenario_edits import edit
from planner.scenario_io import load_scenario
from tests.ui.factories import make_establishment, many_posts, small_posts

FULL = Path(__file__).parent / "data" / "scenarios" / "full.json"


@pytest.fixture(scope="module")
def demo() -> Establishment:
    return importer.load_establishment(bundled.demo_workbook())


@pytest.fixture(scope="module")
def demo_project(demo: Establishment) -> Project:
    project = Project(demo, demo_scenarios(), current=2)
    project.log("Import establishment demo_council.xlsx", user="alice")
    project.log("Edit “Vacancy freeze”: pay award 3 %", user="bob")
    return project


def roundtrip(project: Project, tmp_path: Path) -> Project:
    path = tmp_path / f"plan{FILE_SUFFIX}"
    save_project(project, path)
    return load_project(path)


def assert_same_establishment(got: Establishment | None, want: Establishment) -> None:
    assert got is not None
    pd.testing.assert_frame_equal(got.posts, want.posts, check_exact=True)
    if want.extra is None:
        assert got.extra is None
    else:
        assert got.extra is not None
        pd.testing.assert_frame_equal(got.extra, want.extra, check_exact=True)
    assert got.report == want.report
    assert got.source == want.source
    assert (got.rows_read, got.rows_excluded) == (want.rows_read, want.rows_excluded)


# ---------------------------------------------------------------- round trips

def test_demo_council_round_trip_is_exact(demo_project: Project, tmp_path: Path) -> None:
    got = roundtrip(demo_project, tmp_path)
    assert demo_project.establishment is not None
    assert_same_establishment(got.establishment, demo_project.establishment)
    assert got.establishment is not None
    assert got.establishment.source.mapping["fte"] == "FTE"  # canonical → header kept
    assert got.scenarios == demo_project.scenarios
    assert got.audit == demo_project.audit
    assert got.current == 2


def test_reloaded_project_gives_identical_results(demo_project: Project,
                                                  tmp_path: Path) -> None:
    got = roundtrip(demo_project, tmp_path)
    assert got.establishment is not None and demo_project.establishment is not None
    for before, after in zip(demo_project.scenarios, got.scenarios, strict=True):
        want = run_scenario(demo_project.establishment.posts, before).monthly()
        pd.testing.assert_frame_equal(
            run_scenario(got.establishment.posts, after).monthly(), want, check_exact=True)


@pytest.mark.parametrize("posts", [small_posts, lambda: many_posts(500)],
                         ids=["small_posts", "many_posts"])
def test_hand_made_frames_round_trip(posts, tmp_path: Path) -> None:
    est = make_establishment(posts())
    got = roundtrip(Project(est, [load_scenario(FULL)]), tmp_path)
    assert_same_establishment(got.establishment, est)


def test_unmapped_source_columns_round_trip(tmp_path: Path) -> None:
    est = make_establishment()
    est.extra = pd.DataFrame({"Notes": pd.Series(["x", None, 3, 4.5, np.nan, "é"], dtype=object),
                              "Start": pd.to_datetime(["2020-01-01", None] * 3)})
    got = roundtrip(Project(est), tmp_path)
    assert_same_establishment(got.establishment, est)


def test_every_scenario_field_survives(tmp_path: Path) -> None:
    full = load_scenario(FULL)
    edited = edit(full, "assumptions.pension_rate_pct", 21.5)
    got = roundtrip(Project(None, [full, edited], current=1), tmp_path)
    assert got.scenarios == [full, edited]
    assert got.current == 1


def test_new_project_without_establishment(tmp_path: Path) -> None:
    got = roundtrip(Project(), tmp_path)
    assert got == Project()


def test_audit_log_survives_with_unicode(tmp_path: Path) -> None:
    audit = [AuditEntry("2026-05-01T09:30:00+01:00", "DOMAIN\\siân", "Delete “Post 0007” – £9,500"),
             AuditEntry.now("Saved")]
    got = roundtrip(Project(make_establishment(), [], audit), tmp_path)
    assert got.audit == audit


def test_file_is_a_plain_sqlite_database_with_metadata(demo_project: Project,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "plan.fteplan"
    save_project(demo_project, path)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA user_version").fetchone()[0] == FORMAT_VERSION
        meta = {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM meta")}
        audit = conn.execute("SELECT time, user, action FROM audit ORDER BY position").fetchall()
        names = [n for (n,) in conn.execute("SELECT name FROM scenarios ORDER BY position")]
    finally:
        conn.close()
    assert meta["app_version"] == planner.__version__
    assert meta["saved_by"] == planner.project.os_user_name()
    assert dt.datetime.fromisoformat(meta["saved_at"]).tzinfo is not None
    assert len(meta["checksum"]) == 64
    assert [a[1] for a in audit] == ["alice", "bob"]
    assert names == demo_project.scenario_names()


def test_odd_values_and_dtypes_round_trip_exactly() -> None:
    """Everything a reader may leave in a frame: None vs NaN vs NaT vs NA, dates, numpy."""
    cells = [None, np.nan, pd.NaT, pd.NA, 1, 1.5, -0.0, True, "x", "",
             pd.Timestamp("2021-10-31 01:30+00:00").tz_convert("Europe/London"),  # 2nd 01:30
             pd.Timestamp("2020-01-01 00:00:00.000000001"),
             dt.date(2020, 1, 2), dt.datetime(2020, 1, 2, 3, 4), dt.time(1, 2),
             pd.Timedelta("1D"), dt.timedelta(3), np.int64(3), np.bool_(True), np.float32(1.5),
             np.datetime64("2020-01-01"), Decimal("1.10"), 2**70, float("inf")]
    n = len(cells)
    frame = pd.DataFrame({"mixed": pd.Series(cells, dtype=object)})
    frame["Int64"] = pd.array([*range(n - 1), None], dtype="Int64")
    frame["boolean"] = pd.array([True] * (n - 1) + [None], dtype="boolean")
    frame["Float64"] = pd.array([0.5] * (n - 1) + [None], dtype="Float64")
    frame["tz"] = pd.date_range("2021-10-31", periods=n, freq="15min", tz="Europe/London")
    frame["cat"] = pd.Categorical(["a", "b"] * (n // 2), categories=["b", "a", "z"],
                                  ordered=True)
    frame["na_string"] = pd.array(["x", None] * (n // 2), dtype=pd.StringDtype(na_value=pd.NA))
    frame["td"] = pd.to_timedelta(np.arange(n), unit="s")
    frame["u8"] = np.arange(n, dtype=np.uint8)
    frame["period"] = pd.period_range("2020-01", periods=n, freq="M")
    frame[("tuple", 2)] = 1.0
    frame.index = pd.Index([f"r{i}" for i in range(n)], dtype=object, name=("a", 1))

    spec, arrays = frame_store.encode_frame(frame)
    spec = frame_store.spec_from_json(frame_store.spec_to_json(spec))
    got = frame_store.decode_frame(spec, arrays)
    pd.testing.assert_frame_equal(got, frame, check_exact=True)
    assert [type(v) for v in got["mixed"]] == [type(v) for v in cells]
    assert got["mixed"].iloc[1] != got["mixed"].iloc[1] and got["mixed"].iloc[0] is None


CELLS = st.one_of(
    st.none(), st.just(np.nan), st.just(pd.NaT), st.booleans(),
    st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=8),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2100, 1, 1))
    .map(pd.Timestamp),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=3, max_size=3), max_size=12))
def test_any_mix_of_cells_round_trips(rows: list[list[object]]) -> None:
    frame = pd.DataFrame({f"c{i}": pd.Series([r[i] for r in rows], dtype=object)
                          for i in range(3)})
    frame["text"] = pd.array([str(r[2]) for r in rows], dtype="str")
    spec, arrays = frame_store.encode_frame(frame)
    got = frame_store.decode_frame(frame_store.spec_from_json(frame_store.spec_to_json(spec)),
                                   arrays)
    pd.testing.assert_frame_equal(got, frame, check_exact=True)
    for column in ("c0", "c1", "c2"):
        assert [type(v) for v in got[column]] == [type(v) for v in frame[column]]


@pytest.mark.parametrize("frame", [
    pd.DataFrame(),
    pd.DataFrame(index=pd.RangeIndex(4)),
    pd.DataFrame([[1, 2]], columns=["a", "a"]),
    pd.DataFrame({"x": [1.0, 2.0]}, index=pd.Index([3, 7], name="id")),
    pd.DataFrame({("a", "x"): [1, 2]},
                 index=pd.MultiIndex.from_tuples([(1, "a"), (2, "b")], names=["n", "m"])),
], ids=["empty", "no-columns", "duplicate-labels", "int-index", "multi-index"])
def test_frame_shapes_round_trip(frame: pd.DataFrame) -> None:
    spec, arrays = frame_store.encode_frame(frame)
    pd.testing.assert_frame_equal(frame_store.decode_frame(spec, arrays), frame,
                                  check_exact=True)


def test_decoded_frames_are_writable(tmp_path: Path) -> None:
    got = roundtrip(Project(make_establishment(many_posts(50))), tmp_path)
    assert got.establishment is not None
    got.establishment.posts.loc[0, "fte"] = 0.5  # frombuffer arrays would be read-only
    assert got.establishment.posts.loc[0, "fte"] == 0.5


def test_loading_never_unpickles() -> None:
    for module in (project_file, frame_store):
        tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
        names = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)
                 for a in n.names} | {n.module for n in ast.walk(tree)
                                      if isinstance(n, ast.ImportFrom)}
        assert not names & {"pickle", "marshal", "shelve", "dill", "cloudpickle"}


# ---------------------------------------------------------------- atomic saves

def files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_failed_save_keeps_previous_file_and_leaves_no_temp(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "budget.fteplan"
    save_project(Project(make_establishment(), [load_scenario(FULL)]), path)
    before = path.read_bytes()

    def disk_full(_fd: int) -> None:  # the data is written; flushing it to disk fails
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(project_file.os, "fsync", disk_full)
    with pytest.raises(ProjectFileError, match=r"^budget\.fteplan could not be saved "
                                               r"\(the disk is full\)\.$"):
        save_project(Project(make_establishment(many_posts(20))), path)
    assert path.read_bytes() == before
    assert files(tmp_path) == ["budget.fteplan"]
    assert load_project(path).scenarios == [load_scenario(FULL)]


def test_unexpected_error_while_writing_removes_the_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "budget.fteplan"
    save_project(Project(), path)
    before = path.read_bytes()
    real_fdopen = os.fdopen

    class Boom(RuntimeError):
        pass

    def half_write(fd: int, mode: str):
        handle = real_fdopen(fd, mode)
        original = handle.write

        def write(data: bytes) -> int:
            original(data[: len(data) // 2])
            raise Boom("killed midway")

        handle.write = write
        return handle

    monkeypatch.setattr(project_file.os, "fdopen", half_write)
    with pytest.raises(Boom):
        save_project(Project(make_establishment()), path)
    assert path.read_bytes() == before
    assert files(tmp_path) == ["budget.fteplan"]


def test_target_held_open_is_retried_then_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "budget.fteplan"
    save_project(Project(), path)
    monkeypatch.setattr(project_file, "REPLACE_DELAY", 0.0)
    real_replace = os.replace
    calls: list[int] = []

    def busy_twice(src: Path, dst: Path) -> None:
        calls.append(1)
        if len(calls) <= 2:
            raise PermissionError(13, "The process cannot access the file")
        real_replace(src, dst)

    monkeypatch.setattr(project_file.os, "replace", busy_twice)
    save_project(Project(make_establishment()), path)
    assert len(calls) == 3 and load_project(path).establishment is not None

    def always_busy(src: Path, dst: Path) -> None:
        raise PermissionError(13, "The process cannot access the file")

    monkeypatch.setattr(project_file.os, "replace", always_busy)
    with pytest.raises(ProjectFileError, match="open in another program"):
        save_project(Project(), path)
    assert files(tmp_path) == ["budget.fteplan"]
    assert load_project(path).establishment is not None


def test_saving_into_a_missing_folder_says_so(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match=r"plan\.fteplan could not be saved \(the folder"):
        save_project(Project(), tmp_path / "gone" / "plan.fteplan")


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_resave_keeps_the_shared_files_permissions(tmp_path: Path) -> None:
    path = tmp_path / "shared.fteplan"
    save_project(Project(), path)
    path.chmod(0o664)
    save_project(Project(), path)
    assert path.stat().st_mode & 0o777 == 0o664


# ---------------------------------------------------------------- damaged and foreign files

@pytest.fixture
def saved(tmp_path: Path) -> Path:
    path = tmp_path / "budget.fteplan"
    save_project(Project(make_establishment(many_posts(300)), [load_scenario(FULL)],
                         [AuditEntry.now("Import")]), path)
    return path


NOT_A_PROJECT = (r"^budget\.fteplan is not an FTE Planner project "
                 r"\(it may be damaged or another kind of file\)\.$")


def test_random_bytes_are_not_a_project(saved: Path) -> None:
    saved.write_bytes(np.random.default_rng(1).bytes(5000))
    with pytest.raises(ProjectFileError, match=NOT_A_PROJECT):
        load_project(saved)


def test_empty_file_is_not_a_project(saved: Path) -> None:
    saved.write_bytes(b"")
    with pytest.raises(ProjectFileError, match=NOT_A_PROJECT):
        load_project(saved)


def test_other_sqlite_database_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "budget.fteplan"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectFileError, match=NOT_A_PROJECT):
        load_project(path)


def test_truncated_copy_is_damaged(saved: Path) -> None:
    data = saved.read_bytes()
    for size in (len(data) // 2, len(data) - 4096, len(data) - 1):
        saved.write_bytes(data[:size])
        with pytest.raises(ProjectFileError,
                           match=r"^budget\.fteplan is damaged .*interrupted copy.*\.$"):
            load_project(saved)


def test_altered_contents_fail_the_checksum(saved: Path) -> None:
    conn = sqlite3.connect(saved)
    conn.execute("UPDATE audit SET user = 'mallory'")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectFileError, match=r"^budget\.fteplan is damaged.*checksum"):
        load_project(saved)


def test_changed_bytes_are_detected(saved: Path) -> None:
    data = saved.read_bytes()
    at = data.index(b'"schema_version"')  # inside a stored scenario
    saved.write_bytes(data[:at] + b"'" + data[at + 1:])
    with pytest.raises(ProjectFileError, match=r"^budget\.fteplan is damaged.*checksum"):
        load_project(saved)


def test_a_page_of_zeros_is_detected(saved: Path) -> None:
    data = saved.read_bytes()
    saved.write_bytes(data[:8192] + bytes(4096) + data[12288:])
    with pytest.raises(ProjectFileError, match=r"^budget\.fteplan is damaged"):
        load_project(saved)


def test_file_left_in_wal_mode_by_another_tool_still_opens(saved: Path) -> None:
    conn = sqlite3.connect(saved)
    assert conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    conn.close()
    got = load_project(saved)
    assert got.establishment is not None and len(got.establishment.posts) == 300


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ProjectFileError, match=r"^nothing\.fteplan was not found"):
        load_project(tmp_path / "nothing.fteplan")
    folder = tmp_path / "folder.fteplan"
    folder.mkdir()
    with pytest.raises(ProjectFileError, match="is not an FTE Planner project"):
        load_project(folder)


def set_user_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


def test_newer_format_is_refused_clearly(saved: Path) -> None:
    set_user_version(saved, FORMAT_VERSION + 1)
    with pytest.raises(ProjectFileError, match=(
            rf"^budget\.fteplan was made by a newer version of FTE Planner "
            rf"\({planner.__version__}\); install the latest version to open it\.$")):
        load_project(saved)


def test_older_format_is_migrated(saved: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pretend this build reads format 2: the hook upgrades a format-1 file on load."""
    upgraded: list[int] = []

    def one_to_two(conn: sqlite3.Connection) -> None:
        upgraded.append(conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0])
        conn.execute("UPDATE audit SET action = action || ' (migrated)'")

    monkeypatch.setattr(project_file, "FORMAT_VERSION", FORMAT_VERSION + 1)
    monkeypatch.setattr(project_file, "MIGRATIONS", {FORMAT_VERSION: one_to_two})
    got = load_project(saved)
    assert upgraded == [1] and got.audit[0].action == "Import (migrated)"


def test_format_without_migration_is_refused(saved: Path) -> None:
    set_user_version(saved, 0)
    with pytest.raises(ProjectFileError, match=r"^budget\.fteplan uses an old file format"):
        load_project(saved)


# ---------------------------------------------------------------- crash recovery

def test_recovery_path_is_one_per_project(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    a = recovery_path(folder, tmp_path / "Budget 2027.fteplan")
    assert a == recovery_path(folder, tmp_path / "x" / ".." / "Budget 2027.fteplan")
    assert a != recovery_path(folder, tmp_path / "other" / "Budget 2027.fteplan")
    assert a.parent == folder and a.name.startswith("Budget 2027-") and a.suffix == FILE_SUFFIX
    assert recovery_path(folder, None) == folder / f"untitled{FILE_SUFFIX}"


def test_write_list_load_and_discard_recoveries(tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    original = tmp_path / "budget.fteplan"
    full = load_scenario(FULL)
    first = write_recovery(Project(make_establishment(), [full]), folder, original)
    second = write_recovery(Project(None, [full, edit(full, "name", "Copy")]), folder, None)
    (folder / f"junk{FILE_SUFFIX}").write_bytes(b"not a project")  # skipped, not fatal

    found = list_recoveries(folder)
    assert [r.path for r in sorted(found, key=lambda r: r.path.name)] == sorted(
        [first, second], key=lambda p: p.name)
    by_path = {r.path: r for r in found}
    assert by_path[first].original_path == original.absolute()
    assert by_path[first].scenarios == (full.name,)
    assert by_path[second].original_path is None
    assert by_path[second].scenarios == (full.name, "Copy")
    assert dt.datetime.fromisoformat(by_path[first].saved_at)
    assert load_project(first).scenarios == [full]
    if os.name != "nt":
        assert first.stat().st_mode & 0o777 == 0o600

    discard_recovery(first)
    discard_recovery(first)  # already gone: fine
    assert [r.path for r in list_recoveries(folder)] == [second]
    assert list_recoveries(tmp_path / "no such folder") == []


# ---------------------------------------------------------------- who has it open

def test_owner_marker(tmp_path: Path) -> None:
    path = tmp_path / "budget.fteplan"
    assert claim(path) is None
    mine = read_owner(path)
    assert mine is not None and mine.is_me()
    other = {"user": "bob", "host": "PC-17", "pid": 4242, "since": "2026-05-01T09:00:00+01:00"}
    marker = tmp_path / "~$budget.fteplan"
    marker.write_text(json.dumps(other), encoding="utf-8")
    found = claim(path)
    assert found is not None and (found.user, found.host) == ("bob", "PC-17")
    release(path)
    assert not marker.exists()
    marker.write_text(json.dumps(other), encoding="utf-8")
    release(path)  # someone else's marker is left alone
    assert marker.exists()
