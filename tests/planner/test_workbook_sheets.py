"""The full workbook: native charts, the risk sheet, the Compare sheet and anonymising.

The demo council's three scenarios are cut to 24 months so the workbook writes fast;
the figures are checked against the results they came from.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from importlib.resources import as_file
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pytest
from openpyxl.chart import BarChart, LineChart
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from planner.anonymise import NAME_LEFT_OUT, NOTICE, PERSONAL_NOTICE
from planner.bundled import demo_workbook
from planner.compare import compare_kpis, scenario_columns
from planner.demo import demo_scenarios
from planner.errors import PlannerError
from planner.establishment import Establishment
from planner.export_xlsx import PERSONAL_HEADER, SHEETS, write_results_workbook
from planner.importer import load_establishment
from planner.months import Horizon
from planner.results import Results
from planner.runner import run_scenario
from planner.service_view import risk_grid
from planner.workforce import Workforce
from planner.xlsx_charts import bridge_frame, capacity_demand, savings_frame
from planner.xlsx_compare import BEST_MARK, comparison_sheet_names, write_comparison_workbook
from planner.xlsx_risk import FILLS, RAG_HEX

MONTHS = 24
CODE = re.compile(r"^P-[0-9a-f]{10}$")


@pytest.fixture(scope="module")
def demo() -> Establishment:
    with as_file(demo_workbook()) as path:
        return load_establishment(path)


@pytest.fixture(scope="module")
def results(demo: Establishment) -> list[Results]:
    wf = Workforce.from_posts(demo.posts)
    return [run_scenario(wf, dataclasses.replace(
        sc, horizon=Horizon(sc.horizon.start, MONTHS))) for sc in demo_scenarios()]


@pytest.fixture(scope="module")
def book_path(results: list[Results], demo: Establishment,
              tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("compare") / "compared.xlsx"
    assert write_comparison_workbook(results, path, establishment=demo) == path
    return path


@pytest.fixture(scope="module")
def book(book_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(book_path)


def cells(ws: Worksheet) -> Iterator[Any]:
    for row in ws.iter_rows():
        yield from row


def values(book: openpyxl.Workbook, ref: str) -> list[Any]:
    """Cell values of a chart reference such as ``'1 Charts'!$B$7:$B$11``."""
    sheet, _, area = ref.rpartition("!")
    ws = book[sheet.strip("'").replace("''", "'")]
    min_col, min_row, max_col, max_row = range_boundaries(area.replace("$", ""))
    return [c.value for row in ws.iter_rows(min_row=min_row, max_row=max_row,
                                            min_col=min_col, max_col=max_col) for c in row]


def text_of(title: Any) -> str:
    return "".join(r.t for p in title.tx.rich.p for r in (p.r or []))


def category(series: Any) -> str:
    """The reference of a series' categories (openpyxl writes it as a number reference)."""
    ref = series.cat.numRef or series.cat.strRef
    return str(ref.f)


def series_of(chart: Any) -> list[tuple[str, Any]]:
    return [(type(sub).__name__, s) for sub in chart._charts for s in sub.series]


def table_rows(ws: Worksheet, first: str, nth: int = 0) -> tuple[list[Any], list[list[Any]]]:
    """(headings, rows of values) of the ``nth`` table whose heading row starts ``first``."""
    tops = [c.row for c in ws["A"] if c.value == first]
    top = tops[nth]
    heads = [c.value for c in ws[top] if c.value is not None]
    rows = []
    for row in ws.iter_rows(min_row=top + 1, max_col=len(heads), values_only=True):
        if all(v is None for v in row):
            break
        rows.append(list(row))
    return heads, rows


# ----- sheets ---------------------------------------------------------------------------
def test_comparison_sheets_are_named_uniquely(book: openpyxl.Workbook) -> None:
    names = book.sheetnames
    assert names == comparison_sheet_names(3, with_quality=True)
    assert names[:4] == ["Compare", "1 Summary", "1 Charts", "1 Risk"]
    assert names[-1] == "Data quality" and names.count("Data quality") == 1
    assert len(set(names)) == len(names) and all(len(n) <= 31 for n in names)
    assert len(names) == 1 + 3 * (len(SHEETS) - 1) + 1


def test_two_to_five_scenarios(results: list[Results], tmp_path: Path) -> None:
    for chosen in ([results[0]], [*results, *results]):
        with pytest.raises(PlannerError, match="between 2 and 5 scenarios"):
            write_comparison_workbook(chosen, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


# ----- charts ---------------------------------------------------------------------------
def test_three_native_charts_reading_the_tables_beside_them(book: openpyxl.Workbook) -> None:
    for number in (1, 2, 3):
        sheet = f"{number} Charts"
        charts = book[sheet]._charts
        assert [type(c) for c in charts] == [BarChart, BarChart, LineChart]
        savings, bridge, capacity = charts
        assert [kind for kind, _ in series_of(savings)] == ["BarChart", "BarChart", "LineChart"]
        assert savings.grouping == "clustered"
        assert [kind for kind, _ in series_of(bridge)] == ["BarChart"] * 4
        assert bridge.grouping == "stacked" and bridge.overlap == 100
        assert [kind for kind, _ in series_of(capacity)] == ["LineChart"] * 2
        for chart in charts:
            assert text_of(chart.title) and chart.legend is not None
            assert text_of(chart.x_axis.title) and text_of(chart.y_axis.title)
            assert chart.x_axis.delete is False and chart.y_axis.delete is False
            cm = 360_000  # EMU
            assert chart.anchor.ext.width >= 20 * cm and chart.anchor.ext.height >= 10 * cm
            assert chart.anchor._from.col >= 6  # beside the tables (A–F), not over them
            for _, s in series_of(chart):
                assert s.val.numRef.f.startswith(f"'{sheet}'!")
                numbers = values(book, s.val.numRef.f)
                assert any(isinstance(v, (int, float)) for v in numbers)
                assert all(isinstance(v, str) and v for v in values(book, category(s)))
                assert values(book, s.tx.strRef.f)[0]  # the series is named by its heading
        assert "(£)" in text_of(savings.y_axis.title)
        assert "(FTE)" in text_of(bridge.y_axis.title)
        assert "FTE" in text_of(capacity.y_axis.title)
        assert "whole organisation (all 41 teams summed)" in text_of(capacity.title)


def test_chart_cells_hold_the_results_figures(book: openpyxl.Workbook,
                                              results: list[Results]) -> None:
    res = results[1]
    savings, bridge, capacity = book["2 Charts"]._charts
    fy = res.by_financial_year()
    _, core = series_of(savings)[0]
    assert values(book, core.val.numRef.f) == pytest.approx(list(fy["core_saving"]))
    assert values(book, category(core)) == list(fy["financial_year"])
    _, target = series_of(savings)[2]
    assert values(book, target.val.numRef.f) == pytest.approx(list(fy["target"]))
    base, total, up, down = (s for _, s in series_of(bridge))
    assert values(book, base.tx.strRef.f)[0].startswith("Chart helper")
    assert base.graphicalProperties.noFill
    labels = [label for label, _ in res.bridge()]
    assert values(book, category(base)) == labels
    bases = values(book, base.val.numRef.f)
    bars = list(zip(*(values(book, s.val.numRef.f) for s in (total, up, down)), strict=True))
    steps = [v for _, v in res.bridge()]
    level = 0.0
    for i, (value, start, (t, u, d)) in enumerate(zip(steps, bases, bars, strict=True)):
        if i in (0, len(steps) - 1):  # totals stand on zero
            assert (start, t, u, d) == (0.0, pytest.approx(value), None, None)
            level = value
            continue
        after = level + value
        assert start == pytest.approx(min(level, after))  # a fall ends at its bottom
        if abs(value) < 0.005:
            assert (t, u, d) == (None, None, None)  # a step of nothing draws nothing
        else:
            assert (u if value > 0 else d) == pytest.approx(abs(value))
            assert t is None and (d if value > 0 else u) is None
        level = after
    assert level == pytest.approx(steps[-1])
    cap, dem = (s for _, s in series_of(capacity))
    svc = res.service()
    hours = svc.inputs.hours_per_fte_month
    assert values(book, cap.val.numRef.f) == pytest.approx(
        list(svc.paths.capacity.sum(1) / hours))
    assert values(book, dem.val.numRef.f) == pytest.approx(list(svc.paths.demand.sum(1) / hours))
    assert values(book, category(cap))[:2] == ["Apr 2027", "May 2027"]


class _Bridge:
    def bridge(self) -> list[tuple[str, float]]:
        return [("Start (in post)", 100.0), ("Deletions", -10.0), ("Wastage", 0.0),
                ("Redeployment", 5.0), ("End (in post)", 95.0)]


def test_the_waterfall_floats_each_step_on_an_invisible_base() -> None:
    frame = bridge_frame(_Bridge())  # type: ignore[arg-type]
    # by hand: 100 from 0; fall to 90 drawn 90–100; no step; rise 90–95; 95 from 0
    assert list(frame["fte"]) == [100.0, -10.0, 0.0, 5.0, 95.0]
    assert list(frame["base"]) == [0.0, 90.0, 90.0, 90.0, 0.0]
    assert frame["total"].tolist()[::4] == [100.0, 95.0]
    assert frame["decrease"].tolist()[1] == 10.0 and frame["increase"].tolist()[3] == 5.0
    assert frame[["total", "increase", "decrease"]].notna().sum(axis=1).tolist() == [
        1, 1, 0, 1, 1]  # a step of nothing draws nothing


def test_chart_tables_from_the_results(results: list[Results]) -> None:
    res = results[0]
    s = savings_frame(res)
    fy = res.by_financial_year()
    assert list(s["core_saving"]) == pytest.approx(list(fy["core_saving"]))
    assert list(s["target_status"]) == ["Met" if m else "Not met" for m in fy["target_met"]]
    cd = capacity_demand(res)
    svc = res.service()
    j = svc.teams.index("Contact Centre")
    assert cd.teams == cd.all_teams == len(svc.teams)
    assert cd.frame["red_teams"].iloc[3] == int((svc.paths.rag[3] == 2).sum())
    assert cd.frame["capacity"].iloc[0] >= svc.paths.capacity[0, j] / svc.inputs.hours_per_fte_month


# ----- risk -----------------------------------------------------------------------------
def test_risk_sheet_has_letters_colours_legend_and_counts(book: openpyxl.Workbook,
                                                          results: list[Results]) -> None:
    ws = book["1 Risk"]
    heads, rows = table_rows(ws, "Team")
    grid = risk_grid(results[0].service())
    assert heads[:3] == ["Team", "Red months", "Amber months"]
    assert heads[3] == "Apr\n27" and len(heads) == 3 + MONTHS
    assert [r[0] for r in rows] == grid.teams
    table = results[0].service().risk_table()
    for row in rows:
        letters = row[3:]
        assert set(letters) <= {"G", "A", "R"}
        assert row[1] == letters.count("R") == int((table.loc[row[0]] == "Red").sum())
        assert row[2] == letters.count("A")
    top = next(c.row for c in ws["A"] if c.value == "Team")
    assert ws.freeze_panes == f"D{top + 1}"
    letters_range = f"D{top + 1}:AA{top + len(rows)}"
    rules = {}
    for cf in ws.conditional_formatting:
        assert letters_range in str(cf.sqref)
        for rule in cf.rules:
            rules[rule.formula[0]] = rule
    assert set(rules) == {'"G"', '"A"', '"R"'}
    for code in "GAR":
        rule = rules[f'"{code}"']
        assert rule.type == "cellIs" and rule.operator == "equal"
        assert rule.dxf.fill.bgColor.rgb.endswith(FILLS[code])
    assert FILLS["A"] == RAG_HEX["A"] == "E69F00" and FILLS["R"] == "D55E00"
    legend = {r[0].value: r[1].value for r in ws.iter_rows(max_col=2)
              if r[0].value in ("G", "A", "R")}
    assert "at least 95% of demand" in legend["G"] and "below 85%" in legend["R"]
    assert "over 4 weeks" in legend["R"] and "over 2 weeks" in legend["A"]


# ----- compare --------------------------------------------------------------------------
def test_compare_sheet_shows_compare_kpis(book: openpyxl.Workbook,
                                          results: list[Results]) -> None:
    frame = compare_kpis(results)
    names = scenario_columns(frame)
    ws = book["Compare"]
    heads, rows = table_rows(ws, "Measure", 0)
    assert heads == ["Measure", *names, "Best", "Better when"]
    assert [r[0] for r in rows] == list(frame["kpi"])
    for (_key, kpi), row in zip(frame.iterrows(), rows, strict=True):
        for j, name in enumerate(names):
            text = row[1 + j]
            marked = text.endswith(BEST_MARK)
            assert marked == (j in kpi["best"])
            assert text.removesuffix(BEST_MARK).rstrip() == kpi[name]
        assert row[1 + len(names)] == (", ".join(names[j] for j in kpi["best"]) or None)
    heads, numbers = table_rows(ws, "Measure", 1)
    assert heads == ["Measure", "Unit", *names]
    for (key, kpi), row in zip(frame.iterrows(), numbers, strict=True):
        for raw, value in zip(kpi["raw"], row[2:], strict=True):
            if key == "payback_month" or not np.isfinite(raw):
                continue
            assert value == pytest.approx(raw)
    payback = next(r for r in numbers if r[0].startswith("Payback"))
    assert all(re.match(r"^\d{4}-\d{2}$", v) for v in payback[2:])
    best = next(c for c in cells(ws) if isinstance(c.value, str) and c.value.endswith(BEST_MARK))
    assert best.font.b


# ----- anonymising ----------------------------------------------------------------------
def _personal(demo: Establishment) -> tuple[set[str], set[str]]:
    posts = demo.posts
    ids = {str(v) for c in ("post_id", "employee_id") for v in posts[c].dropna()}
    names = {str(v) for v in posts["employee_name"].dropna()}
    return ids, names


def test_anonymised_by_default_with_codes_that_join(book: openpyxl.Workbook,
                                                    demo: Establishment,
                                                    results: list[Results]) -> None:
    ids, names = _personal(demo)
    for ws in book.worksheets:
        for c in cells(ws):
            if isinstance(c.value, str):
                assert c.value not in ids and c.value not in names, f"{ws.title}!{c.coordinate}"
                if len(c.value) > 20:
                    assert not any(n in c.value for n in names), f"{ws.title}!{c.coordinate}"
    assert book["1 Summary"]["A2"].value == NOTICE == book["Compare"]["A2"].value
    assert not book["1 Summary"].oddHeader.center.text
    codes = []
    for number in (1, 2):
        heads, rows = table_rows(book[f"{number} Leavers and costs"], "Post ID")
        assert "Employee name" not in heads
        codes.append({r[0] for r in rows})
        assert all(CODE.match(c) for c in codes[-1])
    leavers = [set(r.one_off.leavers["post_id"]) for r in results[:2]]
    assert leavers[0] & leavers[1], "the two scenarios should share leavers"
    assert len(codes[0] & codes[1]) == len(leavers[0] & leavers[1])  # same post, same code
    _, moved = table_rows(book["1 Redeployment"], "Old post ID")
    assert all(CODE.match(r[0]) for r in moved)


def test_personal_data_when_asked(results: list[Results], demo: Establishment,
                                  tmp_path: Path) -> None:
    path = write_results_workbook(results[0], tmp_path / "named.xlsx", establishment=demo,
                                  anonymise=False)
    book = openpyxl.load_workbook(path)
    ws = book["Summary"]
    assert ws["A2"].value == PERSONAL_NOTICE and "personal data" in ws["A2"].value
    assert all(s.oddHeader.center.text == PERSONAL_HEADER for s in book.worksheets)
    heads, rows = table_rows(book["Leavers and costs"], "Post ID")
    assert "Employee name" in heads
    assert {r[0] for r in rows} == set(results[0].one_off.leavers["post_id"])
    same = write_results_workbook(results[0], tmp_path / "old.xlsx", include_names=True)
    assert openpyxl.load_workbook(same)["Summary"]["A2"].value == PERSONAL_NOTICE
    with pytest.raises(ValueError, match="disagree"):
        write_results_workbook(results[0], tmp_path / "x.xlsx", anonymise=True,
                               include_names=True)


def test_ids_in_the_quality_report_are_coded(results: list[Results], demo: Establishment,
                                             tmp_path: Path) -> None:
    from planner.quality import QualityReport, Severity

    report = QualityReport()
    post_header = demo.source.mapping["post_id"]
    name_header = demo.source.mapping["employee_name"]
    report.add(Severity.WARNING, "Duplicate post id P001019; the second was renamed",
               sheet="Establishment", row=9, column=post_header, value="P001019")
    report.add(Severity.INFO, "Trimmed spaces from ' Jo Bloggs '", sheet="Establishment",
               row=10, column=name_header, value=" Jo Bloggs ")
    est = dataclasses.replace(demo, report=report)
    book = openpyxl.load_workbook(write_results_workbook(results[0], tmp_path / "q.xlsx",
                                                         establishment=est))
    _, rows = table_rows(book["Data quality"], "Severity")
    assert CODE.match(rows[0][4]) and "P001019" not in rows[0][5]
    assert rows[0][5].startswith(f"Duplicate post id {rows[0][4]}")
    assert rows[1][4] == NAME_LEFT_OUT and "Jo Bloggs" not in rows[1][5]


# ----- formula injection ----------------------------------------------------------------
NASTY_TEAM = '=HYPERLINK("http://x","y")'


def test_formula_like_text_stays_text_everywhere(tmp_path: Path) -> None:
    from planner.establishment import SourceInfo
    from planner.quality import QualityReport
    from planner.scenario import DeletePosts, RedeploymentPolicy, Scenario, Selector
    from tests.planner.posts_factory import make_posts

    posts = make_posts([
        {"team": NASTY_TEAM, "employee_name": "@SUM(1)", "grade": "+1", "age": 40,
         "years_service": 5, "post_title": "-2+3"},
        {"team": NASTY_TEAM, "grade": "#N/A", "post_title": "=1+1", "age": 50,
         "years_service": 9},
        {"team": "-2+3", "employee_name": "\tTab"},
        {"team": "@Team"},
    ])
    est = Establishment(posts, QualityReport(), SourceInfo(Path("=evil.xlsx"), "xlsx"),
                        rows_read=3, rows_excluded=0)
    horizon = Horizon(24_327, 12)
    cut = DeletePosts(24_329, Selector(fields=(("team", (NASTY_TEAM,)),)), label="=cmd")
    scenarios = [Scenario(name, horizon, redeployment=RedeploymentPolicy(enabled=False),
                          actions=(cut,), description="+desc")
                 for name in ("=Evil()", "+Sum", "@me")]
    runs = [run_scenario(posts, sc) for sc in scenarios]
    for anonymise in (True, False):
        path = write_comparison_workbook(runs, tmp_path / f"nasty{anonymise}.xlsx",
                                         establishment=est, anonymise=anonymise)
        book = openpyxl.load_workbook(path)
        seen: set[str] = set()
        for ws in book.worksheets:
            for c in cells(ws):
                assert c.data_type not in ("f", "e"), f"{ws.title}!{c.coordinate}"
                if isinstance(c.value, str) and c.value[:1] in "=+-@\t#":
                    assert c.quotePrefix, f"{ws.title}!{c.coordinate} {c.value!r}"
                    seen.add(c.value)
        assert {NASTY_TEAM, "-2+3", "@Team", "#N/A", "=1+1", "=Evil()", "+Sum", "@me",
                "+desc", "+1"} <= seen
        compare_heads, _ = table_rows(book["Compare"], "Measure")
        assert compare_heads[1:4] == ["=Evil()", "+Sum", "@me"]
        teams = [r[0] for r in table_rows(book["1 Risk"], "Team")[1]]
        assert NASTY_TEAM in teams and "-2+3" in teams
        leavers = {v for c in cells(book["1 Leavers and costs"]) for v in [c.value]}
        assert ("@SUM(1)" in leavers) is not anonymise
        assert "+1" in leavers  # the grade, intact
        assert book["1 Charts"]._charts  # the charts still read their tables


def test_sheets_say_so_when_no_team_has_demand(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    import pandas as pd

    from planner.scenario import Scenario
    from planner.service import Service
    from tests.planner.posts_factory import make_posts

    res = run_scenario(make_posts([{}]), Scenario("Quiet", Horizon(24_327, 12)))
    monkeypatch.setattr(Service, "risk_table", lambda self: pd.DataFrame(
        columns=self.months, index=pd.Index([], name="team")))
    book = openpyxl.load_workbook(write_results_workbook(res, tmp_path / "quiet.xlsx"))
    risk = [c.value for c in book["Risk"]["A"] if c.value]
    assert any(str(v).startswith("No team has any demand") for v in risk)
    assert not list(book["Risk"].conditional_formatting)
    charts = book["Charts"]
    assert [type(c) for c in charts._charts] == [BarChart, BarChart]
    assert any(str(c.value).startswith("No team has any demand") for c in charts["A"])
