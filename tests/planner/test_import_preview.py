"""The import wizard's pure helpers: preview, mapping choices, strict profiles, report export."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from planner import import_preview as ip
from planner.bundled import demo_workbook
from planner.errors import MappingError, PlannerError
from planner.importer import load_establishment
from planner.mapping import MappingProfile, load_profile
from planner.quality import Severity
from planner.readers import open_workbook

AS_AT = pd.Timestamp(2026, 3, 31)
DEMO_HEADERS = [
    "Post No", "Post Title", "Directorate", "Service", "Team", "Grade", "SCP", "FTE",
    "Contracted Hrs", "Annual Salary (£)", "Status", "Employee No", "Employee Name",
    "Date of Birth", "Continuous Service Date", "Contract Type", "Funding",
    "External Funding (£)", "Pension Member", "Skills", "Cost Centre", "Location",
]


@pytest.fixture(scope="module")
def demo() -> tuple[Path, ip.SheetPreview]:
    path = Path(str(demo_workbook()))
    return path, ip.preview_sheet(open_workbook(path), "Establishment")


def two_sheet_workbook(path: Path) -> Path:
    """A notes sheet first, then the posts: the importer (and the wizard) pick 'Staff'."""
    wb = openpyxl.Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes["A1"] = "Read me first"
    notes["A2"] = "This workbook lists the posts on the next sheet."
    staff = wb.create_sheet("Staff")
    staff.append(["Team establishment"])
    staff.append(["Post ID", "Team", "FTE", "Salary", "Name"])
    staff.append(["A1", "Payroll", 1, 30000, "Ann"])
    staff.append(["A2", "Payroll", 0.5, 28000, "Bob"])
    wb.save(path)
    return path


def test_cell_text_reads_like_excel() -> None:
    assert ip.cell_text(None) == ""
    assert ip.cell_text("  ") == ""
    assert ip.cell_text(37.0) == "37"
    assert ip.cell_text(0.5) == "0.5"
    assert ip.cell_text(dt.datetime(2026, 3, 31)) == "31/03/2026"
    assert ip.cell_text(dt.date(1980, 2, 1)) == "01/02/1980"
    assert ip.cell_text(True) == "TRUE"
    assert ip.cell_text("Line one\nline two") == "Line one line two"


def test_preview_of_the_demo_council(demo) -> None:
    _, preview = demo
    assert preview.sheet == "Establishment"
    assert preview.headers == DEMO_HEADERS
    assert preview.header_rows == (4,)  # title, source note and a blank row above it
    assert len(preview.rows) == ip.PREVIEW_ROWS
    assert preview.row_numbers[:3] == [5, 6, 7]
    assert preview.rows[0][:3] == ["P001019", "Director of Resources (S151 Officer)", "Resources"]
    # 1,499 posts and the totals row; the blank row is not counted (as `fteplan validate`)
    assert preview.data_rows == 1500
    assert preview.mapping["post_id"] == "Post No"
    assert preview.mapping["weekly_hours"] == "Contracted Hrs"
    assert preview.mapping["annual_salary"] == "Annual Salary (£)"
    assert preview.mapping["employee_name"] == "Employee Name"
    assert len(preview.mapping) == 22  # every header is recognised
    assert preview.sample("Team") == "Corporate Finance"
    assert preview.sample(None) == ""


def test_default_sheet_is_the_one_the_importer_uses(tmp_path: Path) -> None:
    wb = open_workbook(two_sheet_workbook(tmp_path / "two.xlsx"))
    assert ip.default_sheet(wb) == "Staff"
    preview = ip.preview_sheet(wb, "Staff")
    assert preview.header_rows == (2,)
    assert preview.rows == [["A1", "Payroll", "1", "30000", "Ann"],
                            ["A2", "Payroll", "0.5", "28000", "Bob"]]
    with pytest.raises(PlannerError, match="no header row"):
        ip.preview_sheet(wb, "Notes")


def test_mapping_rows_mark_the_required_columns() -> None:
    rows = {r.canonical: r for r in ip.mapping_rows()}
    assert [c for c, r in rows.items() if r.required] == ["post_id", "team", "fte",
                                                          "annual_salary"]
    assert rows["fte"].requirement == "Required (or Weekly hours)"
    assert rows["weekly_hours"].requirement == "Can stand in for FTE"
    assert rows["grade"].requirement == ""
    assert len(rows) == 28


def test_missing_required_columns_are_named(demo) -> None:
    _, preview = demo
    choices: dict[str, str | None] = dict(preview.mapping)
    assert ip.missing_required(choices) == []
    choices["fte"] = None
    assert ip.missing_required(choices) == []  # weekly hours stand in for FTE
    choices["weekly_hours"] = None
    choices["team"] = None  # service and directorate still stand in for team
    assert ip.missing_required(choices) == [
        "FTE (or Weekly hours) is required: choose the header it comes from."]
    assert ip.missing_required(choices, MappingProfile("x", defaults={"fte": 1.0})) == []
    for c in ("annual_salary", "salary_min", "salary_max"):
        choices[c] = None
    assert len(ip.missing_required(choices)) == 2
    choices["post_id"] = None  # not required: ids are made from row numbers
    assert len(ip.missing_required(choices)) == 2


def test_ambiguous_headers_are_reported() -> None:
    headers = ["Salary", "Salary (£)", "Team"]
    problems = ip.ambiguous_choices(headers, {"annual_salary": "Salary (£)", "team": "Team"})
    assert problems == ["'Salary (£)' (for Annual salary (£)) cannot be told apart from "
                        "'Salary'; rename one of them in the file."]


def test_build_profile_ignores_every_header_not_chosen(demo) -> None:
    _, preview = demo
    choices = dict(preview.mapping) | {"employee_name": None, "post_title": "Team"}
    base = MappingProfile("Base", defaults={"fte": 1.0}, options={"aggregate_rows": True})
    profile = ip.build_profile(preview.headers, choices, base)
    assert profile.strict
    assert profile.name == "Base"
    assert profile.columns["post_title"] == ["Team"]
    assert "employee_name" not in profile.columns
    assert profile.ignore == ["Post Title", "Employee Name"]
    assert profile.defaults == {"fte": 1.0}
    assert profile.options == {"aggregate_rows": True}
    assert ip.build_profile(preview.headers, choices).name == ip.CHOSEN
    with pytest.raises(PlannerError, match="no header 'Nope'"):
        ip.build_profile(preview.headers, {"team": "Nope"})


def test_the_default_choices_import_what_the_importer_imports(demo) -> None:
    path, preview = demo
    plain = load_establishment(path, as_at=AS_AT)
    chosen = load_establishment(path, sheet="Establishment", as_at=AS_AT,
                                mapping=ip.build_profile(preview.headers, preview.mapping))
    # `fteplan validate` of the demo: 0 errors, 1 warning (the totals row), 103 notes
    assert plain.report.counts() == {"error": 0, "warning": 1, "info": 103}
    assert chosen.report.counts() == plain.report.counts()
    pd.testing.assert_frame_equal(chosen.posts, plain.posts)
    assert chosen.source.mapping == plain.source.mapping


def test_a_changed_mapping_changes_what_is_imported(demo) -> None:
    path, preview = demo
    choices = dict(preview.mapping) | {"employee_name": None, "post_title": "Team"}
    est = load_establishment(path, sheet="Establishment", as_at=AS_AT,
                             mapping=ip.build_profile(preview.headers, choices))
    assert est.rows_loaded == 1499
    assert est.posts["employee_name"].isna().all()  # not found again by its synonym
    assert "Employee Name" in est.source.unmapped
    assert est.extra is not None and est.extra["Employee Name"].iloc[0] == "Samuel Patel"
    assert (est.posts["post_title"] == est.posts["team"]).all()
    assert est.posts["post_title"].iloc[0] == "Corporate Finance"


def test_saved_profile_round_trips(demo, tmp_path: Path) -> None:
    path, preview = demo
    choices = dict(preview.mapping) | {"employee_name": None, "post_title": "Team"}
    ip.build_profile(preview.headers, choices, name="Our HR export").save(tmp_path / "p.json")
    loaded = load_profile(tmp_path / "p.json")
    assert loaded.name == "Our HR export" and loaded.strict
    again = ip.preview_sheet(open_workbook(path), "Establishment", loaded)
    assert again.mapping == {c: h for c, h in choices.items() if h}
    bad = MappingProfile("Other", columns={"fte": ["Hours worked"]}, source="other.json")
    bad.strict = True
    with pytest.raises(MappingError, match="Hours worked"):
        ip.preview_sheet(open_workbook(path), "Establishment", bad)


def test_header_targets() -> None:
    targets = ip.header_targets({"post_title": "Team", "team": "Team", "fte": None})
    assert targets == {"Team": ["Team", "Post title"]}


def test_report_export_csv_and_xlsx(demo, tmp_path: Path) -> None:
    path, _ = demo
    est = load_establishment(path, as_at=AS_AT)
    out = ip.export_report(est, tmp_path / "report.csv")
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 104
    severities = [r["Severity"] for r in rows]
    assert (severities.count("Error"), severities.count("Warning"),
            severities.count("Note")) == (0, 1, 103)
    assert rows[0]["Row"] == "1505" and rows[0]["Value as read"] == "Total"

    out = ip.export_report(est, tmp_path / "report.xlsx")
    ws = openpyxl.load_workbook(out, read_only=True)["Data quality"]
    cells = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    assert ["Errors", 0] in cells and ["Warnings", 1] in cells and ["Notes", 103] in cells
    assert any("1,500 rows read, 1,499 loaded, 1 excluded" in str(r) for r in cells)
    assert ip.counts_rows(est)[-3:] == [("Errors", 0), ("Warnings", 1), ("Notes", 103)]
    with pytest.raises(PlannerError, match=r"\.csv or \.xlsx"):
        ip.export_report(est, tmp_path / "report.pdf")


def test_report_export_leaves_names_out_and_defuses_formulas(tmp_path: Path) -> None:
    src = tmp_path / "staff.csv"
    src.write_text("Post ID,Team,FTE,Salary,Name\nA1,Payroll,1,30000,=HYPERLINK(1)\n"
                   "A2,Payroll,-0.5,28000,Bob\n", encoding="utf-8")
    est = load_establishment(src, as_at=AS_AT)
    est.report.add(Severity.INFO, "A note about a name.", row=3, column="Name", value="Bob")
    frame = ip.report_frame(est)
    assert "Bob" not in frame.to_string()
    assert "(name left out)" in frame["Value as read"].tolist()
    assert "Bob" in ip.report_frame(est, include_names=True).to_string()
    ip.export_report(est, tmp_path / "r.csv")
    text = (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    assert "Bob" not in text and ",-0.5," in text
    assert ip._csv_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert ip._csv_safe("-0.5") == "-0.5"
    assert ip._csv_safe(3) == 3
