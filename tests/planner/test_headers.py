"""Header-row detection and two-row header joining on hand-built sheets."""

from __future__ import annotations

from planner.headers import detect_header
from planner.readers import RawSheet


def sheet(rows: list[list[object]], merged=None, first_row: int = 1) -> RawSheet:
    return RawSheet("S", rows, first_row=first_row, merged=merged or [])


def test_header_below_title_rows() -> None:
    s = sheet([
        ["Establishment report 2026", None, None, None],
        [None, None, None, None],
        ["Post ID", "Team", "FTE", "Salary"],
        ["1", "A", 1.0, 20000.0],
    ])
    h = detect_header(s, 4)
    assert h is not None and (h.index, h.n_rows) == (2, 1)
    assert h.headers == ["Post ID", "Team", "FTE", "Salary"]


def test_title_merged_across_the_table_is_not_a_group_row() -> None:
    s = sheet([
        ["Staff list", None, None, None],
        ["Post ID", "Team", "FTE", "Salary"],
    ], merged=[((0, 0), (0, 3))])
    h = detect_header(s, 4)
    assert h is not None and h.n_rows == 1 and h.headers[0] == "Post ID"


def test_merged_group_row_is_joined_like_the_nhs_workbook() -> None:
    # Rows 4-5 of the NHS Digital workbook: "EU" merged over D4:G4, "UK" over H4:K4.
    group = [None, None, None, "EU", None, None, None, "UK", None, None, None]
    subs = [None, None, None, "All staff", "HCHS doctors", "Nurses", "Other staff",
            "All staff", "HCHS doctors", "Nurses", "Other staff"]
    s = sheet([["Title", *[None] * 10], group, subs], merged=[((1, 3), (1, 6)), ((1, 7), (1, 10))])
    h = detect_header(s, 11)
    assert h is not None and (h.index, h.n_rows) == (2, 2)
    assert h.headers[3:5] == ["EU All staff", "EU HCHS doctors"]
    assert h.headers[7] == "UK All staff"
    assert h.headers[:3] == ["Column A", "Column B", "Column C"]


def test_group_label_falls_back_to_the_lower_header_for_mapping() -> None:
    s = sheet([
        [None, None, "Pay", None],
        ["Post ID", "Team", "Salary", "FTE"],
    ], merged=[((0, 2), (0, 3))])
    h = detect_header(s, 4)
    assert h is not None and h.headers == ["Post ID", "Team", "Pay Salary", "Pay FTE"]
    assert h.lower == ["Post ID", "Team", "Salary", "FTE"]
    assert h.matches == 4


def test_duplicate_and_blank_headers_are_made_unique() -> None:
    s = sheet([["Post ID", "Team", "", "Team", "FTE"]], first_row=3)
    h = detect_header(s, 5)
    assert h is not None and h.headers == ["Post ID", "Team", "Column C", "Team (2)", "FTE"]


def test_no_header_in_a_sheet_of_numbers() -> None:
    assert detect_header(sheet([[1.0, 2.0], [3.0, 4.0]]), 2) is None
