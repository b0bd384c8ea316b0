"""Formula injection: hostile text in every field that reaches an xlsx or csv export stays text.

Every writer of a spreadsheet the app has (grep of planner/ for ``to_csv``, ``csv.writer``
and ``openpyxl``): the results workbook (anonymised and not), the comparison workbook
(anonymised and not), and the data-quality report as .xlsx and .csv. Each is read back:

- with openpyxl: no cell is a formula (``data_type == "f"``: we write no formulas) or an
  error value (``"e"``); every text cell a spreadsheet would run has Excel's quote-prefix
  style, and its value is the text itself (the mark is a style, not an apostrophe in
  the value, so the planted values are read back unchanged, except that XML reads a
  carriage return as a line feed: ``"\\r=1"`` comes back as ``"\\n=1"``, as in Excel);
- with the csv module: each hostile value carries a leading apostrophe (what Excel hides
  and treats as "this is text"), and nothing else changed.

Numbers stay numbers: a negative saving in the workbook is a number cell; "-12.5" read
from the file stays "-12.5" in the CSV (Excel reads it as the number it was).

The full-width ``＝1`` is escaped too. We could not run Excel here: as far as we know Excel
does not run a cell starting with the full-width sign when a file is opened, but with an
East Asian input method it converts full-width formulas typed into a cell, so the
helper escapes it (and ``＋`` ``－`` ``＠``) conservatively; the cost is an invisible
quote-prefix style in xlsx and an apostrophe in csv.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from openpyxl.cell.cell import Cell

from planner.cell_text import (
    clipboard_cell,
    clipboard_column,
    clipboard_columns,
    csv_value,
    escape_text,
    is_number,
    looks_like_formula,
    shown_number,
)
from planner.establishment import Establishment
from planner.export_xlsx import DOB_LEFT_OUT, write_results_workbook
from planner.import_preview import export_report
from planner.importer import load_establishment
from planner.months import Horizon, parse_month
from planner.quality import Severity
from planner.results import Results
from planner.runner import run_scenario
from planner.scenario import (
    Change,
    CreatePosts,
    DeletePosts,
    Pool,
    RedeploymentPolicy,
    Scenario,
    Selector,
    TeamDemand,
    TemporaryCover,
    VacancyFreeze,
)
from planner.xlsx_compare import write_comparison_workbook
from tests.planner.posts_factory import make_posts

M = parse_month
HYPERLINK = '=HYPERLINK("http://x","y")'
DDE = "=cmd|' /C calc'!A0"
MALICIOUS: tuple[str, ...] = (
    HYPERLINK, DDE, "+1+cmd", "-1+1", "@SUM(1)", "\t=1", "\r=1", "#N/A", "  =1", "＝1",
)
#: Planted in the posts' text columns; each value is one team (so a team selector finds it).
TEAMS = MALICIOUS
SAFE = ("Revenues", "2027-04", "Grade 5", "a=b", "", "O'Neil", "5 - 3", "'=1")


# ----- the helper's rules ---------------------------------------------------------------
def test_every_hostile_value_is_escaped_and_ordinary_text_is_not() -> None:
    for text in (*MALICIOUS, "#n/a", "#SPILL!", '"=1"', "\n=1", "－1", "＋1", "＠x", "-"):
        assert looks_like_formula(text), repr(text)
        assert escape_text(text) == "'" + text
        assert csv_value(text) == "'" + text
    for text in SAFE:  # "'=1": an apostrophe already marks text
        assert not looks_like_formula(text), repr(text)
        assert escape_text(text) == text


def test_numbers_stay_numbers() -> None:
    for value in (-12.5, -3, 0, 1e9):
        assert csv_value(value) == value and is_number(value)
    for text in ("-12.5", "-0.5", "3", "1e5", "-1E-3"):
        assert escape_text(text) == text  # plain decimal: Excel reads the same number
    for text in ("+1", "-1+1", "-inf", "-nan", "- 5", "-1,5"):
        assert escape_text(text) == "'" + text
    assert not is_number(True) and not is_number(float("nan")) and not is_number("1")
    for shown in ("-£12,500", "£-12,500", "-12.5", "12.5%", "1,234.50", "−3"):
        assert shown_number(shown), shown
        assert clipboard_cell(shown, number=True) == shown
    for shown in ("+1 (up)", "Apr 2028", ""):
        assert not shown_number(shown)
    assert clipboard_cell("+1 (up)", number=True) == "'+1 (up)"
    assert clipboard_cell("-£12,500") == "'-£12,500"  # text that only looks like money


def test_clipboard_cells_cannot_split_into_a_formula() -> None:
    """A tab or line break inside a cell would start a new cell on paste, so the text after
    it ("=1") would be read on its own: they become spaces (after the escape decision)."""
    assert clipboard_cell("\t=1") == "' =1"
    assert clipboard_cell("\r=1") == "' =1"
    assert clipboard_cell("a\t=1\r\n=2") == "a =1 =2"
    assert clipboard_cell(None) == ""
    assert clipboard_cell(HYPERLINK) == "'" + HYPERLINK


def test_a_whole_column_for_the_clipboard_at_once() -> None:
    """The posts table copies column by column (each distinct cell escaped once): the same
    cells as one by one, a number's text kept only where the cell holds a number."""
    texts = [HYPERLINK, "Revenues", HYPERLINK, "-£5", "-£5", "a\tb", "-£5"]
    numbers = [False, False, False, True, False, False, True]
    assert clipboard_column(texts, numbers) == [
        clipboard_cell(t, n) for t, n in zip(texts, numbers, strict=True)]
    assert clipboard_column(texts, numbers)[3:5] == ["-£5", "'-£5"]
    assert clipboard_column(texts)[3] == "'-£5" and clipboard_column([]) == []
    assert clipboard_columns(["Team", "=x"], [["'=1", "b"], ["1", "2"]]) == \
        "Team\t'=x\n'=1\t1\nb\t2\n"


# ----- the establishment and scenarios ----------------------------------------------------
def _posts() -> tuple[list[dict[str, object]], list[str]]:
    """Two posts per hostile team (one filled, one vacant), every text column hostile."""
    rows: list[dict[str, object]] = []
    for i, bad in enumerate(TEAMS):
        other = MALICIOUS[(i + 1) % len(MALICIOUS)]
        common = {"team": bad, "directorate": other, "service": bad, "post_title": other,
                  "grade": bad, "skills": bad, "location": other, "cost_centre": bad,
                  "age": 50 + i % 10, "years_service": 10 + i, "annual_salary": 30_000.0}
        # Ids and names differ from the teams: an anonymised export codes or leaves out any
        # cell equal to a known id or name, which would hide the team it is checked by.
        rows.append({**common, "post_id": f"{bad}P{i}", "employee_name": f"{other} Smith",
                     "employee_id": f"{bad}E{i}", "status": "filled"})
        rows.append({**common, "post_id": f"{bad}V{i}", "status": "vacant"})
    rows.append({"team": "Revenues", "post_id": "R1", "employee_name": "Ann Example"})
    return rows, [str(r["post_id"]) for r in rows]


def _source_file(folder: Path) -> Path:
    """An establishment workbook with a hostile sheet name and hostile text cells (written
    as text, not formulas) that the importer reports: its report reaches the exports."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "@SUM(1)"
    ws.append(["Post ID", "Team", "FTE", "Salary", "Name", "Date of birth", "Grade"])
    rows = [["A1", "Revenues", 1, 30_000, "Ann Example", "19/06/1983", "Grade 5"],
            ["A2", "Revenues", "-12.5", 28_000, "Bob Example", "01/02/1970", "Grade 4"]]
    for k, bad in enumerate(MALICIOUS):
        rows.append([f"B{k}", bad, bad, bad, bad, bad, bad])
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = ws.cell(r, c, value)
            if isinstance(value, str):
                cell.data_type = "s"  # text in the source, never a formula
    path = folder / "hostile.xlsx"
    wb.save(path)
    return path


def _scenario(name: str) -> Scenario:
    bad_team = Selector(fields=(("team", (TEAMS[0], TEAMS[1], TEAMS[2]),),))
    return Scenario(
        name, Horizon(M("2027-04"), 12), description=DDE,
        redeployment=RedeploymentPolicy(enabled=True, grades_down=12, grades_up=12),
        actions=(
            DeletePosts(M("2027-06"), bad_team, label=HYPERLINK),
            CreatePosts(M("2027-05"), TEAMS[3], post_title=TEAMS[4], grade=TEAMS[5],
                        annual_salary=40_000.0, label="@SUM(1)"),
            VacancyFreeze(M("2027-05"), Selector(fields=(("team", (TEAMS[6],)),)),
                          label="-1+1"),
            TemporaryCover(M("2027-07"), TEAMS[7], fte=1.0, months=3, label="+1+cmd"),
        ),
        demand=tuple(TeamDemand(team, hours_per_month=300.0) for team in TEAMS[:4]),
        changes=(Change(DDE, M("2027-09"), (TEAMS[1],), demand_removed_pct=10.0),),
        pools=(Pool("\t=1", (TEAMS[2], TEAMS[3])),),
    )


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Establishment, list[Results]]:
    folder = tmp_path_factory.mktemp("hostile")
    loaded = load_establishment(_source_file(folder))
    rows, _ids = _posts()
    posts = make_posts(rows)
    loaded.report.add(Severity.INFO, "Trimmed spaces from ' Bob Example '", sheet="@SUM(1)",
                      row=3, column="Name", value=" Bob Example ")
    for bad in MALICIOUS:  # every hostile value as a report message, value, column and sheet
        loaded.report.add(Severity.WARNING, bad, sheet=bad, row=3, column=bad, value=bad)
    est = dataclasses.replace(loaded, posts=posts)
    results = [run_scenario(posts, _scenario(HYPERLINK)), run_scenario(posts, _scenario("-1+1"))]
    return est, results


def _read_back(text: str) -> str:
    """What openpyxl reads back: XML turns a carriage return into a line feed (Excel too)."""
    return text.replace("\r", "\n")


def _cells(path: Path) -> Iterator[tuple[str, Cell]]:
    book = openpyxl.load_workbook(path)
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None:
                    yield ws.title, cell


def _check_workbook(path: Path) -> set[str]:
    """No formula or error cell; every runnable text has the quote prefix and is unchanged.

    Returns the hostile values found as whole cell values.
    """
    seen: set[str] = set()
    numbers: list[float] = []
    for sheet, cell in _cells(path):
        where = f"{path.name} {sheet}!{cell.coordinate}"
        assert cell.data_type not in ("f", "e"), f"{where} is a formula or error: {cell.value!r}"
        if isinstance(cell.value, str):
            assert not any(cell.value == "'" + bad for bad in MALICIOUS), where  # no literal '
            if looks_like_formula(cell.value):
                assert cell.quotePrefix, f"{where} lacks the quote prefix: {cell.value!r}"
            seen.update(bad for bad in MALICIOUS if cell.value == _read_back(bad))
        elif isinstance(cell.value, (int, float)):
            numbers.append(float(cell.value))
    assert any(n < 0 for n in numbers), f"{path.name}: no negative number cell"
    return seen


#: Teams, grades, titles, directorates: kept when anonymising (not personal data).
def test_results_workbook_with_personal_data(hostile, tmp_path: Path) -> None:
    est, results = hostile
    path = write_results_workbook(results[0], tmp_path / "named.xlsx", establishment=est,
                                  anonymise=False)
    seen = _check_workbook(path)
    assert seen == set(MALICIOUS), set(MALICIOUS) - seen
    book = openpyxl.load_workbook(path)
    assert book["Summary"]["A1"].value == HYPERLINK and book["Summary"]["A1"].quotePrefix
    saving = _column(book["Monthly"], "Saving (£)")
    assert any(isinstance(v, float) and v < 0 for v in saving)  # a cost stays a number
    quality = [c.value for _s, c in _cells(path) if _s == "Data quality"]
    assert "@SUM(1)" in quality  # the source's sheet name, as a value
    assert "-12.5" in quality  # the FTE text as read, still readable


def test_anonymised_results_workbook(hostile, tmp_path: Path) -> None:
    est, results = hostile
    path = write_results_workbook(results[0], tmp_path / "anon.xlsx", establishment=est)
    seen = _check_workbook(path)
    assert {HYPERLINK, DDE, "@SUM(1)", "-1+1", "+1+cmd", "#N/A"} <= seen
    values = {c.value for _s, c in _cells(path)}
    assert "Ann Example" not in values and "Bob Example" not in values
    assert not any("19/06/1983" in str(v) or "1983-06-19" in str(v) for v in values)
    quality = openpyxl.load_workbook(path)["Data quality"]
    dob = [[c.value for c in r] for r in quality.iter_rows() if r[3].value == "Date of birth"]
    assert dob and all(r[4] in (DOB_LEFT_OUT, None) for r in dob)  # where, not what
    assert ["Note", "@SUM(1)", 2, "Date of birth", DOB_LEFT_OUT,
            f"Stored as text in the spreadsheet; read as {DOB_LEFT_OUT}.", "text_value"] in dob


@pytest.mark.parametrize("anonymise", [True, False])
def test_comparison_workbook(hostile, tmp_path: Path, anonymise: bool) -> None:
    est, results = hostile
    path = write_comparison_workbook(results, tmp_path / f"compare{anonymise}.xlsx",
                                     establishment=est, anonymise=anonymise)
    seen = _check_workbook(path)
    assert {HYPERLINK, "-1+1"} <= seen  # the scenario names, in the Compare sheet's header
    book = openpyxl.load_workbook(path)
    heads = [c.value for c in next(r for r in book["Compare"].iter_rows()
                                   if r[0].value == "Scenario")]
    assert heads[0] == "Scenario"
    names = [r[0].value for r in book["Compare"].iter_rows()
             if r[0].value in (HYPERLINK, "-1+1")]
    assert names[:2] == [HYPERLINK, "-1+1"]


def test_quality_report_xlsx(hostile, tmp_path: Path) -> None:
    est, _ = hostile
    path = export_report(est, tmp_path / "report.xlsx")
    for _sheet, cell in _cells(path):
        assert cell.data_type not in ("f", "e")
        if isinstance(cell.value, str) and looks_like_formula(cell.value):
            assert cell.quotePrefix
    assert {_read_back(bad) for bad in MALICIOUS} <= {c.value for _s, c in _cells(path)}


@pytest.mark.parametrize("include_names", [False, True])
def test_quality_report_csv(hostile, tmp_path: Path, include_names: bool) -> None:
    est, _ = hostile
    path = export_report(est, tmp_path / "report.csv", include_names=include_names)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    fields = [f for r in rows[1:] for f in r]
    for bad in MALICIOUS:
        assert "'" + bad in fields, f"{bad!r} not escaped"
        assert bad not in fields, f"{bad!r} written as it is"
    for field in fields:
        if looks_like_formula(field):
            assert field.startswith("'") or field == "-12.5", field
    assert "-12.5" in fields  # a number as read stays a number
    assert all(r[2] == "" or r[2].isdigit() for r in rows[1:])  # rows are plain numbers
    text = path.read_text(encoding="utf-8-sig")
    assert ("Bob Example" in text) is include_names
    assert ("01/02/1970" in text) is include_names  # a date of birth is personal data too


def _column(ws, header: str) -> list[object]:
    for row in ws.iter_rows():
        values = [c.value for c in row]
        if header in values:
            k = values.index(header)
            return [r[k].value for r in ws.iter_rows(min_row=row[0].row + 1)]
    raise AssertionError(f"no column {header!r} in {ws.title}")


# ----- personal data in the data-quality report ---------------------------------------------
def test_report_table_leaves_out_names_dates_of_birth_and_ids(hostile) -> None:
    """The anonymised report keeps where and what went wrong, not who: names and dates of
    birth are left out of values and messages (however the date is written there), ids
    become the codes the rest of the workbook uses (also a renamed id in quotes)."""
    from planner.anonymise import NAME_LEFT_OUT, Anonymiser
    from planner.establishment import SourceInfo
    from planner.export_xlsx import DATE_LEFT_OUT, report_table
    from planner.quality import QualityReport

    report = QualityReport()
    report.add(Severity.WARNING, "Date of birth 1900-01-01 gives an age of 126, which is "
               "impossible for an employee; left empty.", row=4, column="DOB",
               value="01/01/1900")
    report.add(Severity.INFO, "Stored as text in the spreadsheet; read as 19/06/1983.",
               row=5, column="DOB", value="1983-06-19 00:00:00")
    report.add(Severity.INFO, "Name 'Jo Bloggs' read as a vacant post (no holder).", row=6,
               column="Name", value=" Jo Bloggs ")
    report.add(Severity.WARNING, "Post id 'X9' is also on row 2; this row is kept as 'X9-2' "
               "(a job share or a second holder?).", row=7, column="Post", value="X9")
    report.add(Severity.WARNING, "FTE 1.5 is above 1; kept as it is.", row=8, column="FTE",
               value="1.5")
    source = SourceInfo(Path("staff.xlsx"), "xlsx", sheet="Staff", mapping={
        "date_of_birth": "DOB", "employee_name": "Name", "post_id": "Post", "fte": "FTE"})
    est = Establishment(make_posts([{}]), report, source, rows_read=8, rows_excluded=0)
    anon = Anonymiser(key=b"k" * 32)
    frame = report_table(est, anon=anon).set_index("row")
    assert frame.at[4, "value"] == DOB_LEFT_OUT
    assert frame.at[4, "message"] == (f"Date of birth {DATE_LEFT_OUT} gives an age of 126, "
                                      "which is impossible for an employee; left empty.")
    assert frame.at[5, "message"] == f"Stored as text in the spreadsheet; read as {DATE_LEFT_OUT}."
    assert frame.at[6, "value"] == NAME_LEFT_OUT and "Jo" not in frame.at[6, "message"]
    code, renamed = anon.code("X9"), anon.code("X9-2")
    assert frame.at[7, "value"] == code
    assert frame.at[7, "message"] == (f"Post id '{code}' is also on row 2; this row is kept "
                                      f"as '{renamed}' (a job share or a second holder?).")
    assert frame.at[8, "value"] == "1.5"  # not personal: as it was
    named = report_table(est, include_names=True).set_index("row")
    assert named.at[5, "value"] == "1983-06-19 00:00:00" and named.at[7, "value"] == "X9"
