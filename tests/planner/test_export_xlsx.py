"""The Excel results workbook: sheets, headings, formats, personal data, safety, atomic save."""

from __future__ import annotations

import os
from collections.abc import Iterator
from importlib.resources import as_file
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from planner.bundled import demo_workbook
from planner.errors import Cancelled, PlannerError
from planner.establishment import Establishment, SourceInfo
from planner.export_xlsx import (
    SHEETS,
    columns_for,
    describe_action,
    report_table,
    sheet_names,
    write_results_workbook,
)
from planner.importer import load_establishment
from planner.months import Horizon, format_month, parse_month
from planner.quality import QualityReport, Severity
from planner.results import Results
from planner.runner import run_scenario
from planner.scenario import (
    CreatePosts,
    DeletePosts,
    RedeploymentPolicy,
    ReduceFTE,
    Scenario,
    Selector,
    Targets,
    TemporaryCover,
    VacancyFreeze,
)
from planner.xlsx_format import clean_text, needs_quote_prefix
from tests.planner.posts_factory import make_posts

M = parse_month


def _team(*names: str) -> Selector:
    return Selector(fields=(("team", names),))


@pytest.fixture(scope="module")
def demo() -> Establishment:
    with as_file(demo_workbook()) as path:
        return load_establishment(path)


@pytest.fixture(scope="module")
def results(demo: Establishment) -> Results:
    scenario = Scenario(
        "Contact Centre and Benefits", Horizon(M("2027-04"), 24),
        actions=(DeletePosts(M("2027-06"), _team("Contact Centre"), max_fte=20,
                             label="Cut Contact Centre"),
                 DeletePosts(M("2027-07"), _team("Benefits"), max_fte=10)),
        targets=Targets(savings_by_fy=((2027, 100_000.0),)),
    )
    return run_scenario(demo.posts, scenario)


@pytest.fixture(scope="module")
def book(results: Results, demo: Establishment,
         tmp_path_factory: pytest.TempPathFactory) -> openpyxl.Workbook:
    path = tmp_path_factory.mktemp("xlsx") / "results.xlsx"
    assert write_results_workbook(results, path, establishment=demo) == path
    return openpyxl.load_workbook(path)


def header_row(ws: Worksheet, first: str) -> int:
    """The row whose first cell is ``first`` (a table heading)."""
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == first:
            return int(row[0].row)
    raise AssertionError(f"no table starting {first!r} on {ws.title}")


def table(ws: Worksheet, first: str) -> list[dict[str, Any]]:
    """Rows of the table whose header starts with ``first``, down to the first blank row."""
    top = header_row(ws, first)
    heads = [c.value for c in ws[top] if c.value is not None]
    out = []
    for row in ws.iter_rows(min_row=top + 1, max_col=len(heads)):
        if all(c.value is None for c in row):
            break
        out.append({h: c for h, c in zip(heads, row, strict=True)})
    return out


def all_cells(ws: Worksheet) -> Iterator[Any]:
    for row in ws.iter_rows():
        yield from row


# ----- structure ------------------------------------------------------------------------
def test_sheets_in_order(book: openpyxl.Workbook) -> None:
    assert book.sheetnames == list(SHEETS) == sheet_names(with_quality=True)


def test_no_quality_sheet_without_an_establishment(results: Results, tmp_path: Path) -> None:
    path = write_results_workbook(results, tmp_path / "r.xlsx")
    assert openpyxl.load_workbook(path).sheetnames == sheet_names(with_quality=False)


def test_headers_panes_and_filters(book: openpyxl.Workbook) -> None:
    monthly = book["Monthly"]
    heads = [c.value for c in monthly[1]]
    assert heads[:4] == ["Month", "Financial year", "Baseline FTE in post", "FTE in post"]
    assert "Running cost (£)" in heads and "Saving (£)" in heads
    assert monthly.freeze_panes == "B2"
    assert monthly.auto_filter.ref == f"A1:S{monthly.max_row}"
    assert monthly["A1"].font.b and monthly["A1"].fill.fgColor.rgb.endswith("DDEBF7")
    assert book["By team"].freeze_panes == "C2"
    assert [c.value for c in book["By team"][1]][:2] == ["Month", "Team"]
    fy = [c.value for c in book["Financial years"][1]]
    assert {"Core-budget savings target (£)", "Core saving less target (£)",
            "Target met (core saving; whole years)"} <= set(fy)
    leavers = book["Leavers and costs"]
    top = header_row(leavers, "Post ID")
    assert leavers.freeze_panes == f"A{top + 1}"
    quality = book["Data quality"]
    assert quality.freeze_panes == f"A{header_row(quality, 'Severity') + 1}"
    for ws in book.worksheets:
        assert not any(isinstance(c.value, str) and "_" in c.value and c.value.islower()
                       and c.font.b for c in ws[1]), f"snake_case heading on {ws.title}"


def test_column_widths_fit_content(book: openpyxl.Workbook) -> None:
    ws = book["By team"]
    longest = max(len(str(c.value)) for c in ws["B"] if c.value)
    assert longest + 1 < ws.column_dimensions["B"].width <= 62
    assert all(d.width <= 62 for d in ws.column_dimensions.values())


def test_number_formats(book: openpyxl.Workbook) -> None:
    row = table(book["Monthly"], "Month")[0]
    assert row["Saving (£)"].number_format == '"£"#,##0'
    assert row["FTE in post"].number_format == "0.00"
    assert isinstance(row["Month"].value, str) and row["Month"].value == "2027-04"
    leaver = table(book["Leavers and costs"], "Post ID")[0]
    assert leaver["Week's pay (£)"].number_format == '"£"#,##0.00'
    assert leaver["Expected cost (£)"].number_format == '"£"#,##0'
    assert leaver["Chance still in post"].number_format == "0.0%"
    assert 0 < leaver["Chance still in post"].value <= 1


def test_monthly_sums_agree_to_the_penny(book: openpyxl.Workbook, results: Results) -> None:
    rows = table(book["Monthly"], "Month")
    monthly = results.monthly()
    assert len(rows) == len(monthly)
    assert sum(r["Saving (£)"].value for r in rows) == pytest.approx(
        monthly["saving"].sum(), abs=0.005)
    assert sum(r["One-off costs (£)"].value for r in rows) == pytest.approx(
        monthly["one_off_total"].sum(), abs=0.005)
    by_team = table(book["By team"], "Month")
    assert len(by_team) == len(results.team_monthly())
    assert sum(r["Saving (£)"].value for r in by_team) == pytest.approx(
        monthly["saving"].sum(), abs=0.01)


def test_summary_reads_in_plain_english(book: openpyxl.Workbook, results: Results) -> None:
    ws = book["Summary"]
    assert ws["A1"].value == results.scenario.name
    kpis = {r["Measure"].value: r["Value"] for r in table(ws, "Measure")}
    k = results.kpis()
    assert kpis["FTE change against the baseline"].value == pytest.approx(
        k["fte_change_vs_baseline"])
    full = kpis[f"Saving to the core budget in the first full year ({k['full_year']})"]
    assert full.value == pytest.approx(k["full_year_saving"]) and "£" in full.number_format
    assert kpis["One-off costs"].value == pytest.approx(k["one_off_costs"])
    assert "Payback month" in kpis
    steps = [r["Step"].value for r in table(ws, "Step")]
    assert steps[0] == "Start (in post)" and steps[-1] == "End (in post)"
    texts = {c.value for c in all_cells(ws)}
    assert "Start establishment" in texts and "Warnings" in texts


def test_redeployment_sheet(book: openpyxl.Workbook, results: Results) -> None:
    assert results.redeployment is not None
    ws = book["Redeployment"]
    rows = table(ws, "Old post ID")
    assert len(rows) == len(results.redeployment.matches)
    assert {"New post ID", "New team", "Month of move"} <= set(rows[0])
    assert not {"person", "slot", "Person", "Slot"} & set(rows[0])
    months = {format_month(int(m)) for m in results.redeployment.matches["month"]}
    assert {r["Month of move"].value for r in rows} == months == {"2027-06", "2027-07"}
    not_moved = table(ws, "Post ID")
    assert len(not_moved) == len(results.redeployment.unmatched)
    assert all(r["Why not redeployed"].value for r in not_moved)


def test_nothing_displaced_says_so(demo: Establishment, tmp_path: Path) -> None:
    plain = run_scenario(demo.posts, Scenario("Nothing", Horizon(M("2027-04"), 12)))
    book = openpyxl.load_workbook(write_results_workbook(plain, tmp_path / "n.xlsx"))
    texts = [c.value for c in all_cells(book["Redeployment"]) if c.value]
    assert any("nobody needs redeploying" in str(t) for t in texts)
    texts = [c.value for c in all_cells(book["Leavers and costs"]) if c.value]
    assert any("Nobody is made compulsorily redundant" in str(t) for t in texts)
    assert any("pension fund" in str(t) for t in texts)


# ----- personal data --------------------------------------------------------------------
def test_names_left_out_unless_asked(results: Results, book: openpyxl.Workbook,
                                     tmp_path: Path) -> None:
    names = set(results.one_off.leavers["employee_name"].dropna())
    assert names, "the scenario should make someone redundant"
    ws = book["Leavers and costs"]
    assert not names & {c.value for c in all_cells(ws)}
    assert "Employee name" not in {c.value for c in ws[header_row(ws, "Post ID")]}
    assert "Age at leaving" in {c.value for c in ws[header_row(ws, "Post ID")]}
    assert any("pension fund" in str(c.value) for c in ws["A"][:5])
    named = openpyxl.load_workbook(write_results_workbook(
        results, tmp_path / "named.xlsx", include_names=True))["Leavers and costs"]
    assert names <= {c.value for c in all_cells(named)}


# ----- formula injection ----------------------------------------------------------------
NASTY = ['=HYPERLINK("http://x","click")', "@SUM(A1)", "+1", "-2+3", "#N/A", "=1+1"]


def test_quote_prefix_rules() -> None:
    for text in [*NASTY, "\tx", "\r=1"]:
        assert needs_quote_prefix(text)
    for text in ["Revenues", "2027-04", "Grade 5", "a=b", ""]:
        assert not needs_quote_prefix(text)
    assert clean_text("bad\x00\x0bname") == "badname"


def test_formula_like_text_stays_text(tmp_path: Path) -> None:
    posts = make_posts([
        {"team": NASTY[0], "post_title": NASTY[1], "grade": NASTY[2], "directorate": NASTY[3],
         "employee_name": NASTY[5], "age": 40, "years_service": 5},
        {"team": NASTY[0], "post_title": "Officer\x07", "service": NASTY[4], "age": 30,
         "years_service": 3},
        {"team": "Revenues"},
    ])
    report = QualityReport()
    report.add(Severity.WARNING, "Looks like a formula", sheet="=Staff", row=3,
               column="@Team", value="=cmd|' /C calc'!A0")
    source = SourceInfo(Path("=evil.xlsx"), "xlsx", sheet="+S", mapping={"team": "@Team"})
    est = Establishment(posts, report, source, rows_read=3, rows_excluded=0)
    scenario = Scenario("=Evil()", Horizon(M("2027-04"), 12), description="-description",
                        redeployment=RedeploymentPolicy(enabled=False),
                        actions=(DeletePosts(M("2027-06"), _team(NASTY[0]),
                                             label="-delete"),))
    res = run_scenario(posts, scenario)
    assert len(res.one_off.leavers) == 2
    path = write_results_workbook(res, tmp_path / "nasty.xlsx", establishment=est,
                                  include_names=True)
    book = openpyxl.load_workbook(path)
    seen: set[str] = set()
    for ws in book.worksheets:
        for cell in all_cells(ws):
            assert cell.data_type != "f", f"{ws.title}!{cell.coordinate} is a formula"
            assert cell.data_type != "e", f"{ws.title}!{cell.coordinate} is an error value"
            if isinstance(cell.value, str) and needs_quote_prefix(cell.value):
                assert cell.quotePrefix, f"{ws.title}!{cell.coordinate} lacks the quote prefix"
                seen.add(cell.value)
    assert set(NASTY) | {"=Evil()", "=cmd|' /C calc'!A0", "-description", "=Staff", "@Team"} <= seen
    assert "Officer" in {c.value for c in all_cells(book["Leavers and costs"])}
    assert book["Summary"]["A1"].value == "=Evil()"


# ----- saving ---------------------------------------------------------------------------
def test_failed_replace_leaves_the_old_file(results: Results, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"old workbook")

    def locked(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("planner.atomic_file.os.replace", locked)
    with pytest.raises(PlannerError) as err:
        write_results_workbook(results, target)
    assert str(err.value) == ("Could not write 'results.xlsx': is it open in Excel? "
                              "Close it and try again.")
    assert target.read_bytes() == b"old workbook"
    assert os.listdir(tmp_path) == ["results.xlsx"]


def test_replaces_an_existing_file(results: Results, tmp_path: Path) -> None:
    target = tmp_path / "results.xlsx"
    target.write_bytes(b"old workbook")
    write_results_workbook(results, target)
    assert openpyxl.load_workbook(target).sheetnames[0] == "Summary"
    assert os.listdir(tmp_path) == ["results.xlsx"]


def test_missing_folder_is_a_plain_error(results: Results, tmp_path: Path) -> None:
    with pytest.raises(PlannerError, match=r"Could not write 'r\.xlsx'"):
        write_results_workbook(results, tmp_path / "nowhere" / "r.xlsx")


class _State:
    def __init__(self, cancel_after: int | None = None) -> None:
        self.calls: list[tuple[float, str]] = []
        self.cancel_after = cancel_after

    def set_progress(self, fraction: float, message: str = "") -> None:
        self.calls.append((fraction, message))

    def is_cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.calls) >= self.cancel_after


def test_progress_and_cancel(results: Results, tmp_path: Path) -> None:
    state = _State()
    write_results_workbook(results, tmp_path / "a.xlsx", state=state)
    fractions = [f for f, _ in state.calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert any("By team" in m for _, m in state.calls)
    with pytest.raises(Cancelled):
        write_results_workbook(results, tmp_path / "b.xlsx", state=_State(cancel_after=3))
    assert not (tmp_path / "b.xlsx").exists()
    assert sorted(os.listdir(tmp_path)) == ["a.xlsx"]


# ----- assumptions and data quality -----------------------------------------------------
def test_assumptions_list_policies_actions_and_targets(book: openpyxl.Workbook,
                                                       results: Results) -> None:
    rows = {r["Item"].value: r for r in table(book["Assumptions"], "Item")}
    assert rows["LGPS employer pension rate"]["Value"].value == pytest.approx(0.198)
    assert rows["LGPS employer pension rate"]["Value"].number_format.endswith("%")
    assert rows["Savings target 2027/28"]["Value"].value == 100_000
    assert any(str(k).startswith("Employer NI from") for k in rows)
    assert "Ring-fence" in rows and "Backfill delay" in rows
    first = rows["1. Cut Contact Centre"]["Value"].value
    assert first == ("From Jun 2027, delete posts with team Contact Centre, up to 20 FTE "
                     "(vacant posts first).")
    assert "2. Delete posts" in rows


def test_every_action_has_a_sentence() -> None:
    actions = [
        ReduceFTE(M("2027-05"), _team("Libraries"), by_pct=10),
        ReduceFTE(M("2027-05"), Selector(), to_fte=0.8),
        CreatePosts(M("2027-09"), "Benefits", count=2, grade="Grade 5"),
        VacancyFreeze(M("2027-04"), _team("Libraries"), until=M("2028-04"),
                      delete_on_vacancy=True, delete_until_fte=5),
        TemporaryCover(M("2027-04"), "Benefits", fte=2, months=6),
    ]
    texts = [describe_action(a) for a in actions]
    assert texts == [
        "From May 2027, reduce the FTE of posts with team Libraries by 10%.",
        "From May 2027, reduce the FTE of all posts to at most 0.8 FTE.",
        "From Sep 2027, create 2 'New post' posts of 1 FTE at Grade 5 in Benefits, paid the "
        "median salary of Grade 5.",
        "From Apr 2027 until Mar 2028, do not replace leavers from posts with team Libraries; "
        "delete the vacated posts until 5 FTE has gone.",
        "From Apr 2027, temporary cover of 2 FTE in Benefits for 6 months at the agency cost "
        "a year per FTE.",
    ]


def test_data_quality_sheet_lists_the_report(book: openpyxl.Workbook,
                                             demo: Establishment) -> None:
    ws = book["Data quality"]
    frame = demo.report.to_frame()
    rows = table(ws, "Severity")
    # The workbook is anonymised by default: the report's lines with the values read from
    # the name and date-of-birth columns left out (tests/planner/test_export_injection.py).
    assert [r["What happened"].value for r in rows] == list(report_table(demo)["message"])
    assert len(rows) == len(frame)
    assert rows[0]["Row"].value == frame["row"].iloc[0]
    counts = demo.report.counts()
    figures = {r[0].value: r[1].value for r in ws.iter_rows(max_col=2) if r[0].value}
    assert figures["Warnings"] == counts["warning"] and figures["Notes"] == counts["info"]
    assert any("demo_council.xlsx" in str(c.value) and "Establishment" in str(c.value)
               for c in ws["A"][:4])


def test_columns_added_later_get_readable_headings() -> None:
    frame = pd.DataFrame({"spare_fte": [1.0], "widget_cost": [2.0], "notes_text": ["x"]})
    cols = {c.key: (c.header, c.number_format) for c in columns_for(frame)}
    assert cols == {"spare_fte": ("Spare FTE", "0.00"),
                    "widget_cost": ("Widget cost (£)", '"£"#,##0'),
                    "notes_text": ("Notes text", None)}


def test_fte_target_on_the_summary(demo: Establishment, tmp_path: Path) -> None:
    scenario = Scenario("Target", Horizon(M("2027-04"), 12),
                        targets=Targets(fte_target=1_200.0))
    res = run_scenario(demo.posts, scenario)
    book = openpyxl.load_workbook(write_results_workbook(res, tmp_path / "t.xlsx"))
    kpis = {r["Measure"].value: r["Value"].value for r in table(book["Summary"], "Measure")}
    assert kpis["FTE target"] == 1_200.0
    assert any(str(k).startswith("FTE in post in Mar 2028") for k in kpis)
    items = {r["Item"].value: r for r in table(book["Assumptions"], "Item")}
    assert items["FTE target"]["Value"].value == 1_200.0
    assert items["FTE target"]["Unit or note"].value == "by 2028-03"


def test_names_left_out_of_the_quality_report(results: Results, tmp_path: Path) -> None:
    report = QualityReport()
    report.add(Severity.INFO, "Trimmed spaces", sheet="Staff", row=4, column="Name",
               value=" Jo Bloggs ")
    report.add(Severity.INFO, "Stored as text", sheet="Staff", row=5, column="FTE", value="1")
    source = SourceInfo(Path("staff.xlsx"), "xlsx", sheet="Staff",
                        mapping={"employee_name": "Name", "fte": "FTE"})
    est = Establishment(make_posts([{}]), report, source, rows_read=2, rows_excluded=0)

    def values(include_names: bool) -> list[Any]:
        path = write_results_workbook(results, tmp_path / f"q{include_names}.xlsx",
                                      establishment=est, include_names=include_names)
        ws = openpyxl.load_workbook(path)["Data quality"]
        return [r["Value as read"].value for r in table(ws, "Severity")]

    assert values(False) == ["(name left out)", "1"]
    assert values(True) == [" Jo Bloggs ", "1"]


def test_long_headings_wrap_onto_two_lines(book: openpyxl.Workbook) -> None:
    ws = book["Monthly"]
    assert ws.row_dimensions[1].height and ws.row_dimensions[1].height > 15
    assert ws["A1"].alignment.wrap_text
    assert ws.column_dimensions["J"].width < len("Saving on externally funded posts (£)")
