"""Importer behaviour on small hand-made files whose every expected figure is written here."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner.errors import MappingError, UnusableFileError
from planner.importer import load_establishment
from planner.quality import Severity

AS_AT = pd.Timestamp(2026, 3, 31)


def messy_workbook(path: Path) -> Path:
    """A title, a note, a two-row header with a merged group, and awkward values.

    Spreadsheet rows: 1 title, 2 note, 3 group row ("Pay" merged over F3:G3),
    4 headers, 5.. data, then a blank row and a totals row.
    """
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws["A1"] = "Anytown Council establishment 2026"
    ws["A2"] = "Confidential"
    ws["F3"] = "Pay"
    ws.merge_cells("F3:G3")
    headers = ["Post No", "Job Title", "Directorate", "Team", "FTE", "Salary", "Grade", "Status",
               "Employee Name", "DOB"]
    for c, h in enumerate(headers, start=1):
        ws.cell(row=4, column=c, value=h)
    rows = [
        ["00101", "Customer adviser", "Resources", "Contact Centre", 1, 24790, "Grade 4",
         "Filled", "A Person", dt.date(1980, 2, 1)],
        ["00102", "Customer adviser", "Resources", "Contact Centre", 0.5, "£24,790", "Grade 4",
         "Vacant", None, None],
        ["00103", "Team leader", "Resources", "Contact Centre", 1, "£30,000 - £34,999", "Grade 7",
         "Filled", "B Person", "31/02/1980"],
        ["00104", "Planner", "Place", "Development Management", 0, 40000, "Grade 9", "Filled",
         "C Person", 29252],
        ["00105", "Planner", "Place", "Development Management", 1.2, None, "Grade 9", "Filled",
         "D Person", None],
        ["00105", "Planner", "Place", "Development Management", 0.4, 40000, "Grade 9", "Filled",
         "E Person", None],
        [None, "Clerk", "Place", None, 1, 22000, "Grade 2", "Something", "F Person", None],
    ]
    for r, row in enumerate(rows, start=5):
        for c, v in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=v)
    ws.cell(row=13, column=1, value="Total")
    ws.cell(row=13, column=5, value=5.1)
    wb.save(path)
    return path


@pytest.fixture()
def messy(tmp_path: Path):
    return load_establishment(messy_workbook(tmp_path / "messy.xlsx"), as_at=AS_AT)


def _issues(est, code: str) -> list:
    return [i for i in est.report if i.code == code]


def test_messy_workbook_counts(messy) -> None:
    # rows 5-11 are posts, row 12 blank (ignored), row 13 totals (excluded);
    # row 8 has FTE 0 (excluded).
    assert messy.rows_read == 8
    assert messy.rows_loaded == 6
    assert messy.rows_excluded == 2
    assert messy.source.header_rows == (3, 4)
    assert messy.source.sheet == "Staff"


def test_messy_workbook_values(messy) -> None:
    posts = messy.posts.set_index("post_id")
    assert list(posts.index) == ["00101", "00102", "00103", "00105", "00105#2", "ROW11"]
    assert posts.loc["00102", "annual_salary"] == 24790.0  # "£24,790"
    assert posts.loc["00103", "annual_salary"] == 32499.5  # (30000 + 34999) / 2
    assert posts.loc["00102", "status"] == "vacant"
    assert posts.loc["00101", "date_of_birth"] == pd.Timestamp(1980, 2, 1)
    assert pd.isna(posts.loc["00103", "date_of_birth"])  # 31/02/1980 does not exist
    assert posts.loc["ROW11", "team"] == "Place"  # no team: the directorate stands in
    assert posts.loc["ROW11", "status"] == "filled"  # unknown status treated as filled
    assert posts["source_row"].tolist() == [5, 6, 7, 9, 10, 11]


def test_messy_workbook_report_names_rows_and_columns(messy) -> None:
    (total,) = _issues(messy, "totals_row")
    assert (total.row, total.severity) == (13, Severity.WARNING)
    (zero,) = _issues(messy, "fte_not_positive")
    assert (zero.row, zero.column, zero.severity) == (8, "FTE", Severity.ERROR)
    (above,) = _issues(messy, "fte_above_one")
    assert above.row == 9 and above.value == "1.2"
    (dup,) = _issues(messy, "duplicate_post_id")
    assert dup.row == 10 and "row 9" in dup.message
    (band,) = _issues(messy, "band_midpoint")
    assert (band.row, band.column, band.value) == (7, "Pay Salary", "£30,000 - £34,999")
    (bad_date,) = _issues(messy, "bad_date")
    assert (bad_date.row, bad_date.column, bad_date.value) == (7, "DOB", "31/02/1980")
    (missing_salary,) = _issues(messy, "salary_missing")
    assert missing_salary.row == 9
    (status,) = _issues(messy, "unknown_status")
    assert status.row == 11 and status.value == "Something"
    assert {i.code for i in messy.report if i.row == 11} >= {"post_id_missing", "team_defaulted"}
    assert all(i.sheet == "Staff" for i in messy.report)


def test_messy_workbook_summary_by_hand(messy) -> None:
    s = messy.summary()
    # filled: 00101 1.0×24790, 00103 1.0×32499.5, 00105 1.2×(no salary), 00105#2 0.4×40000,
    #         ROW11 1.0×22000; vacant: 00102 0.5×24790
    assert s.fte_filled == pytest.approx(1.0 + 1.0 + 1.2 + 0.4 + 1.0)
    assert s.fte_vacant == pytest.approx(0.5)
    assert s.annual_pay_bill == pytest.approx(24790 + 32499.5 + 0.4 * 40000 + 22000)
    assert s.establishment_cost == pytest.approx(24790 + 32499.5 + 16000 + 22000 + 12395)
    assert s.posts_without_salary == 1
    assert s.by_directorate["directorate"].tolist() == ["Resources", "Place"]


def write_csv(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


CSV_TEXT = (
    "Post ID;Team;Contracted Hrs;Annual Salary (£);Start Date\n"
    "A1;Revenues;18.5;£25,000;01/04/2010\n"
    "A2;Revenues;37;£26,000;15/09/2015\n"
)


@pytest.mark.parametrize(("encoding", "label"), [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 with BOM"), ("cp1252", "Windows-1252"),
    ("utf-16", "UTF-16")])
def test_csv_encodings_and_hours_to_fte(tmp_path: Path, encoding: str, label: str) -> None:
    est = load_establishment(write_csv(tmp_path / "e.csv", CSV_TEXT, encoding), as_at=AS_AT)
    assert est.source.encoding == label
    assert est.source.delimiter == ";"
    assert est.posts["fte"].tolist() == [0.5, 1.0]  # 18.5 / 37, 37 / 37
    assert est.posts["annual_salary"].tolist() == [25000.0, 26000.0]
    assert est.posts["service_start_date"].tolist() == [pd.Timestamp(2010, 4, 1),
                                                       pd.Timestamp(2015, 9, 15)]
    assert est.source.mapping["annual_salary"] == "Annual Salary (£)"
    assert est.report.counts()["error"] == 0


def test_mapping_profile_overrides_synonyms(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "e.csv",
                    "Ref,Section,Hours,Pay,Team\nX1,Benefits,37,30000,Ignored\n", "utf-8")
    profile = tmp_path / "profile.json"
    profile.write_text(json.dumps({"name": "ours", "columns": {
        "post_id": "Ref", "team": "Section", "weekly_hours": "Hours", "annual_salary": "Pay"}}))
    est = load_establishment(csv, mapping=profile)
    assert est.posts.loc[0, "team"] == "Benefits"
    assert est.posts.loc[0, "post_id"] == "X1"
    assert est.source.unmapped == ["Team"]
    assert est.extra is not None and est.extra.loc[0, "Team"] == "Ignored"


def test_mapping_profile_errors_name_the_field(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "e.csv", "Ref,Team,FTE,Salary\nX1,B,1,30000\n", "utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"columns": {"postid": "Ref"}}))
    with pytest.raises(MappingError, match="'postid'"):
        load_establishment(csv, mapping=bad)
    absent = tmp_path / "absent.json"
    absent.write_text(json.dumps({"columns": {"post_id": "Position"}}))
    with pytest.raises(MappingError, match="'Position'"):
        load_establishment(csv, mapping=absent)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    with pytest.raises(MappingError, match="not valid JSON"):
        load_establishment(csv, mapping=broken)


def test_profile_round_trip(tmp_path: Path) -> None:
    from planner.mapping import MappingProfile, load_profile

    p = MappingProfile("mine", columns={"post_id": ["Ref", "Post"]}, defaults={"fte": 1.0})
    p.save(tmp_path / "p.json")
    q = load_profile(tmp_path / "p.json")
    assert (q.name, q.columns, q.defaults, q.strict) == ("mine", p.columns, {"fte": 1.0}, True)


def test_data_on_second_sheet_is_found(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "Read me first"
    ws = wb.create_sheet("Data")
    ws.append(["Post", "Position ID", "Team", "FTE", "Salary"])
    ws.append(["Clerk", "9", "Legal", 1, 30000])
    wb.save(tmp_path / "two.xlsx")
    est = load_establishment(tmp_path / "two.xlsx")
    assert est.source.sheet == "Data"
    assert est.posts.loc[0, "post_id"] == "9"
    assert any(i.code == "sheet_chosen" for i in est.report)
    with pytest.raises(UnusableFileError, match="no sheet called 'Nope'"):
        load_establishment(tmp_path / "two.xlsx", sheet="Nope")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("garbage.csv", bytes(range(256)) * 20, "binary data"),
        ("fake.xlsx", b"Post,Team\n1,2\n", "not one"),
        ("notes.md", b"# hello\n", "not a spreadsheet or CSV"),
        ("blank.csv", b"\n\n  \n", "no data"),
        ("nosalary.csv", b"Post ID,Team,FTE\n1,A,1\n", "no column for salary"),
        ("broken.xlsx", b"PK\x03\x04" + b"\x00" * 100, "not a readable Excel workbook"),
    ],
)
def test_unusable_files_get_a_specific_sentence(tmp_path: Path, name: str, content: bytes,
                                                message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnusableFileError, match=message) as info:
        load_establishment(path)
    assert name in str(info.value) or "no column" in str(info.value)
    assert "\n" not in str(info.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnusableFileError, match="does not exist"):
        load_establishment(tmp_path / "nope.xlsx")


def test_cells_beyond_the_last_header_are_kept(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "w.csv", "Post ID,Team,FTE,Salary\n1,A,1,20000,stray note\n",
                    "utf-8")
    est = load_establishment(csv)
    assert est.extra is not None and est.extra.loc[0, "Column E"] == "stray note"


def test_exact_duplicate_row_is_excluded(tmp_path: Path) -> None:
    csv = write_csv(tmp_path / "d.csv",
                    "Post ID,Team,FTE,Salary\n7,A,1,20000\n7,A,1,20000\n8,A,1,20000\n", "utf-8")
    est = load_establishment(csv)
    assert (est.rows_read, est.rows_loaded, est.rows_excluded) == (3, 2, 1)
    (dup,) = [i for i in est.report if i.code == "duplicate_row"]
    assert dup.row == 3 and "row 2" in dup.message and dup.severity is Severity.ERROR


def test_progress_and_cancel(tmp_path: Path) -> None:
    from planner.errors import Cancelled

    path = messy_workbook(tmp_path / "m.xlsx")

    class State:
        def __init__(self, cancel_after: int) -> None:
            self.calls: list[float] = []
            self.cancel_after = cancel_after

        def set_progress(self, fraction: float, message: str = "") -> None:
            self.calls.append(fraction)

        def is_cancelled(self) -> bool:
            return len(self.calls) >= self.cancel_after

    done = State(10**6)
    load_establishment(path, state=done)
    assert done.calls[-1] == 1.0 and done.calls == sorted(done.calls)
    with pytest.raises(Cancelled):
        load_establishment(path, state=State(2))


def test_profile_headers_find_the_header_row(tmp_path: Path) -> None:
    # No synonym knows these headers, and a title row has more text cells than the header.
    csv = write_csv(tmp_path / "odd.csv",
                    "Our very own export,made by,the payroll,system,today\n"
                    "Ref,Section,Hours,Pay\nX1,Benefits,37,30000\n", "utf-8")
    profile = tmp_path / "p.json"
    profile.write_text(json.dumps({"columns": {
        "post_id": "Ref", "team": "Section", "weekly_hours": "Hours", "annual_salary": "Pay"}}))
    est = load_establishment(csv, mapping=profile)
    assert est.source.header_rows == (2,)
    assert est.posts.loc[0, "annual_salary"] == 30000


def test_openpyxl_fallback_reads_a_workbook(tmp_path: Path) -> None:
    from planner.readers import _open_openpyxl

    path = messy_workbook(tmp_path / "m.xlsx")
    wb = _open_openpyxl(path, RuntimeError("calamine failed"))
    assert wb.engine == "openpyxl"
    sheet = wb.read_sheet("Staff")
    assert sheet.rows[3][0] == "Post No" and sheet.first_row == 1
