"""Property tests: whatever the file holds, the importer loads it or refuses it cleanly,
and every row it reads is either loaded or accounted for in the report."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.importer import load_establishment

HEADER = "Post ID,Team,FTE,Salary,Status,Date of Birth\n"
cell = st.one_of(
    st.sampled_from(["", "n/d", "NA", "-", "Total", "Vacant", "Filled", "£30,000", "0", "1",
                     "0.5", "1.5", "-1", "31/02/1980", "01/02/1980", "12/25/1980", "A1", "A1"]),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12),
    st.floats(allow_nan=False, allow_infinity=False, width=32).map(str),
)
row = st.lists(cell, min_size=0, max_size=8)


def _csv(rows: list[list[str]]) -> str:
    def q(v: str) -> str:
        return '"' + v.replace('"', '""') + '"'

    return HEADER + "\n".join(",".join(q(v) for v in r) for r in rows) + "\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(row, min_size=1, max_size=12))
def test_rows_are_loaded_or_reported(rows: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "f.csv"
        path.write_text(_csv(rows), encoding="utf-8")
        try:
            est = load_establishment(path)
        except PlannerError as exc:
            assert str(exc) and "\n" not in str(exc)
            return
    assert est.rows_loaded + est.rows_excluded == est.rows_read
    excluded_rows = {i.row for i in est.report if i.message.startswith("Row excluded")}
    assert len(excluded_rows) == est.rows_excluded  # every excluded row has its reason
    assert set(est.posts["source_row"]).isdisjoint(excluded_rows)
    assert (est.posts["fte"] > 0).all()
    assert est.posts["post_id"].is_unique


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for name in ("f.csv", "f.xlsx"):
            path = Path(tmp) / name
            path.write_bytes(data)
            with contextlib.suppress(PlannerError):
                load_establishment(path)


@pytest.mark.parametrize("prefix", [b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"])
def test_damaged_containers_are_refused(tmp_path: Path, prefix: bytes) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(prefix + b"garbage" * 50)
    with pytest.raises(PlannerError):
        load_establishment(path)
