"""The importer works a chunk of rows at a time where one pandas call would hold Python's
lock (the GIL) for long while a 200,000-post file loads in the background: every chunked
step gives exactly what the one-call version gives, with chunks of a few rows so that
missing and odd values fall on chunk boundaries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import values as values_module
from planner.establishment import Establishment
from planner.importer import cells_by_column, load_establishment
from planner.values import chunks, duplicated, factorize, release, rows_per_chunk

NAN = float("nan")
ODD: list[object] = [
    None, NAN, pd.NaT, pd.NA, "", " ", "a", "A", "a", 1, 1.0, True, "1", np.float64(1.0),
    np.int64(2), 2.0, -0.0, 0.0, False, 0, dt.date(2020, 1, 1), dt.datetime(2020, 1, 1),
    pd.Timestamp("2020-01-01"), Decimal("NaN"), Decimal("1.5"), "\ud800", "b", None, "a",
]


def _objects(items: list[object]) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    for i, v in enumerate(items):
        out[i] = v
    return out


def _same_uniques(got: np.ndarray, want: np.ndarray) -> None:
    assert got.dtype == want.dtype and len(got) == len(want)
    for g, w in zip(got, want, strict=True):  # the same objects, not just equal ones
        assert type(g) is type(w) and (g is w or g == w), (g, w)


def _check_factorize(values: np.ndarray, size: int) -> None:
    codes, uniques = factorize(values, size)
    want_codes, want_uniques = pd.factorize(values, use_na_sentinel=True)
    assert codes.dtype == want_codes.dtype
    np.testing.assert_array_equal(codes, want_codes)
    _same_uniques(uniques, want_uniques)


@pytest.mark.parametrize("size", [1, 2, 3, 5, 7, 100])
def test_factorize_matches_pandas_on_odd_values(size: int) -> None:
    _check_factorize(_objects(ODD), size)
    _check_factorize(_objects(ODD[::-1]), size)


@pytest.mark.parametrize("items", [
    [], [None], [None, NAN, pd.NaT], ["x"] * 10, [f"P{i:03d}" for i in range(50)],
    [NAN, "x", None, "y", NAN, "x", pd.NA, "z", None, "y"],  # text: one pandas call
    [dt.date(2020, 1, 1 + i % 3) for i in range(30)] + [None],  # few distinct: pandas merges
    [dt.date(2020, 1, 1) + dt.timedelta(days=i) for i in range(30)] + [NAN],  # many: a dict
    [1, 1.0, True, np.int64(1), "1", None, 2, 2.5, False, 0, 0.0, -0.0] * 3,
])
def test_factorize_each_way_matches_pandas(items: list[object]) -> None:
    for size in (1, 2, 3, 4, 8):
        _check_factorize(_objects(items), size)


def test_factorize_leaves_other_dtypes_to_pandas() -> None:
    floats = np.array([1.5, NAN, 2.0, 1.5, NAN, 3.0])
    codes, uniques = factorize(floats, 2)
    want_codes, want_uniques = pd.factorize(floats, use_na_sentinel=True)
    np.testing.assert_array_equal(codes, want_codes)
    np.testing.assert_array_equal(uniques, want_uniques)


def test_factorize_refuses_unhashable_values_as_pandas_does() -> None:
    values = _objects([1, 2, ["a list"], 3])
    with pytest.raises(TypeError):
        pd.factorize(values, use_na_sentinel=True)
    with pytest.raises(TypeError):
        factorize(values, 1)


_cells = st.one_of(
    st.none(), st.just(NAN), st.just(pd.NaT), st.booleans(), st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 1.0, 2.5, 1e300]), st.text(alphabet="aAb 1£", max_size=3),
    st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2020, 1, 5)),
)


def _duplicated_by_pandas(values: np.ndarray) -> np.ndarray:
    series = pd.Series(values, dtype=object)
    return (series.duplicated(keep=False) & series.notna()).to_numpy()


@settings(max_examples=150, deadline=None)
@given(st.lists(_cells, max_size=40), st.integers(1, 9))
def test_factorize_and_duplicated_match_pandas(items: list[object], size: int) -> None:
    values = _objects(items)
    _check_factorize(values, size)
    np.testing.assert_array_equal(duplicated(values), _duplicated_by_pandas(values))


def test_duplicated_on_odd_values_and_post_ids() -> None:
    for items in (ODD, ODD[::-1], [f"P{i % 37}" for i in range(200)] + [None, "P1"]):
        values = _objects(items)
        np.testing.assert_array_equal(duplicated(values), _duplicated_by_pandas(values))


def test_duplicated_ignores_missing_values() -> None:
    values = _objects([None, "P1", NAN, "P2", None, "P1", NAN, pd.NA, "P3"])
    assert duplicated(values).tolist() == [False, True, False, False, False, True,
                                           False, False, False]
    assert not duplicated(_objects([])).any()
    assert not duplicated(_objects([None, None])).any()


def test_chunks_cover_every_row_once() -> None:
    for n in (0, 1, 5, 6, 7, 100):
        for size in (1, 3, 6, 1000):
            parts = chunks(n, size)
            assert [i for part in parts for i in range(n)[part]] == list(range(n))
            assert all(part.stop - part.start <= size for part in parts)
    assert rows_per_chunk(0) == rows_per_chunk(1) == values_module.CHUNK_CELLS
    assert rows_per_chunk(10 ** 9) == 1


def test_release_empties_the_list_in_steps() -> None:
    rows = [[i, str(i)] for i in range(10)]
    release(rows, 3)
    assert rows == []
    release(rows)
    assert rows == []


@pytest.mark.parametrize("size", [1, 2, 3, 100])
def test_cells_by_column_is_the_frame_pandas_builds(size: int) -> None:
    width = 6
    rows = [[ODD[(i * width + j) % len(ODD)] for j in range(width)] for i in range(13)]
    rows.append([("a", "tuple"), None, None, None, None, None])  # any object is one cell
    grid = cells_by_column(rows, width, size)
    frame = pd.DataFrame(grid.T, columns=range(width), dtype=object, copy=False)
    want = pd.DataFrame(rows, columns=range(width), dtype=object)
    pd.testing.assert_frame_equal(frame, want)
    for j in range(width):
        assert all(a is b for a, b in zip(frame[j], want[j], strict=True))


def test_cells_by_column_of_no_rows_and_no_columns() -> None:
    for rows, width in (([], 3), ([[], []], 0)):
        grid = cells_by_column(rows, width, 1)
        frame = pd.DataFrame(grid.T, columns=range(width), dtype=object, copy=False)
        pd.testing.assert_frame_equal(frame, pd.DataFrame(rows, columns=range(width),
                                                           dtype=object))


# -- a whole import, chunked into a few rows, against one chunk ------------------------------

HEADER = ["Post No", "Post Title", "Team", "Directorate", "FTE", "Contracted Hrs",
          "Annual Salary", "Status", "Vacant", "Employee Name", "Date of Birth",
          "Pension Member", "Contract Type", "Notes", "Code"]


def _rows() -> list[list[object]]:
    """Posts with blanks, "n/a", repeated ids, an exact copy, a totals row, text numbers and
    dates, bands, odd flags; repeated so that chunks of a few rows split every kind."""
    base: list[list[object]] = [
        ["P1", "Officer", "Revenues", "Resources", 1, 37, 30000, "Filled", "No", "Ann Lee",
         dt.date(1980, 5, 1), "Yes", "Permanent", "", 7],
        ["P2", "Officer", "", "Resources", "", "18:30", "£31,000", "", "", "Vacant post",
         "01/02/1975", "no", "FTC", None, "x"],
        ["P1", "Adviser", "Revenues", "Resources", 0.5, "", "30,000 - 34,000", "Filled",
         "Y", "Bob Hill", "1975-02-01", "", "Agency", "Acting up", 7.0],
        ["P1", "Officer", "Revenues", "Resources", 1, 37, 30000, "Filled", "No", "Ann Lee",
         dt.date(1980, 5, 1), "Yes", "Permanent", "", 7],
        ["", "", "", "", "", "", "", "", "", "", "", "", "", "a note", None],
        ["Total", "", "Revenues", "", 2.5, "", 91000, "", "", "", "", "", "", "", None],
        ["P3", "Clerk", "n/a", "Place", "1,0", 37, "(5,000)", "vacancy", "TRUE", None,
         "03/25/1980", "N", "casual", None, True],
        ["P4", None, "Team 9", "Place", 2, 74, 0, "odd", "maybe", "Cy Dee", 29000,
         "opted out", "secondee", "TUPE", False],
        [None, "Clerk", "Team 9", None, 1, 37, "£32.6k", "Filled", None, "Di Eve",
         dt.datetime(1990, 1, 1, 12, 0), "member", None, None, 3],
    ]
    rows = []
    for k in range(4):
        for row in base:
            row = list(row)
            if isinstance(row[0], str) and row[0].startswith("P") and k:
                row[0] = f"{row[0]}-{k}" if k % 2 else row[0]  # more repeated ids
            rows.append(row)
    return rows


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    import csv

    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(HEADER)
        for row in rows:
            out.writerow(["" if v is None else (f"{v:%d/%m/%Y}" if isinstance(v, dt.date)
                                                else v) for v in row])


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Establishment"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    wb.save(path)


def _load(path: Path, monkeypatch: pytest.MonkeyPatch, rows: int, cells: int) -> Establishment:
    monkeypatch.setattr(values_module, "CHUNK_ROWS", rows)
    monkeypatch.setattr(values_module, "CHUNK_CELLS", cells)
    return load_establishment(path, as_at=pd.Timestamp("2026-03-31"))


def _same_establishment(a: Establishment, b: Establishment) -> None:
    pd.testing.assert_frame_equal(a.posts, b.posts)
    assert a.extra is not None and b.extra is not None
    pd.testing.assert_frame_equal(a.extra, b.extra)
    assert list(a.report) == list(b.report)  # every line, in the same order
    assert (a.rows_read, a.rows_excluded) == (b.rows_read, b.rows_excluded)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_import_in_chunks_of_a_few_rows_is_the_import_in_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str,
) -> None:
    path = tmp_path / f"establishment{suffix}"
    (_write_csv if suffix == ".csv" else _write_xlsx)(path, _rows() * 3)  # over 64 rows
    whole = _load(path, monkeypatch, 10 ** 9, 10 ** 9)
    codes = {i.code for i in whole.report}
    assert {"duplicate_row", "duplicate_post_id", "totals_row", "not_a_post"} <= codes
    assert whole.extra is not None and whole.extra["Notes"].notna().any()
    for rows, cells in ((1, 1), (2, 7), (3, 40), (5, 100)):
        _same_establishment(_load(path, monkeypatch, rows, cells), whole)


@pytest.mark.parametrize("dtype", [object, "str"])
def test_the_pension_flag_is_what_map_and_fillna_gave(dtype: object) -> None:
    flags = pd.Series(["yes", "no", None, NAN, "yes", "no", None], dtype=dtype)  # type: ignore[call-overload]
    want = flags.map({"yes": True, "no": False}).fillna(True).astype(bool)
    got = flags.to_numpy(dtype=object) != "no"  # what the importer does
    assert got.dtype == bool and got.tolist() == want.tolist()


def test_extra_columns_survive_when_every_row_loads(tmp_path: Path) -> None:
    """The raw cells are let go of column by column at the end; the unmapped columns kept as
    ``extra`` (then a view of them, no row being excluded) must not be among them."""
    path = tmp_path / "clean.csv"
    path.write_text("Post No,Team,FTE,Annual Salary,Notes,Code\n"
                    + "".join(f"P{i},Revenues,1,30000,note {i},C{i}\n" for i in range(80)),
                    encoding="utf-8")
    est = load_establishment(path)
    assert est.rows_excluded == 0 and est.extra is not None
    assert est.extra["Notes"].tolist() == [f"note {i}" for i in range(80)]
    assert est.extra["Code"].tolist() == [f"C{i}" for i in range(80)]
