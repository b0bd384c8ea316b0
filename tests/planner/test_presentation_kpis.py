"""What presentation mode picks and words from the results (planner.presentation_kpis)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from planner import compare
from planner.months import month_number
from planner.presentation_kpis import (
    COMPARE_ROWS,
    bridge_sentence,
    capacity_team,
    compare_rows,
    cumulative_sentence,
    footer_text,
    long_date,
    organisation_name,
    presented_grid,
    savings_sentence,
    slide_keys,
)
from planner.service_view import RiskGrid


def grid(codes: list[list[int]], start: int = month_number(2027, 4),
         teams: list[str] | None = None) -> RiskGrid:
    array = np.array(codes, dtype=int)
    n_teams, n_months = array.shape
    return RiskGrid(teams=teams or [f"Team {i + 1}" for i in range(n_teams)],
                    months=list(range(start, start + n_months)), codes=array,
                    ratio=np.ones(array.shape), weeks=np.zeros(array.shape))


@pytest.fixture(scope="module")
def demo_results():
    from planner import bundled, importer
    from planner.demo import demo_scenarios
    from planner.runner import run_scenario
    from planner.workforce import as_workforce

    wf = as_workforce(importer.load_establishment(bundled.demo_workbook()).posts)
    return run_scenario(wf, demo_scenarios()[0])


def test_compare_slide_only_with_two_scenarios() -> None:
    assert slide_keys(1) == ["title", "kpis", "capacity", "risk", "savings", "cumulative",
                             "bridge"]
    assert slide_keys(0) == slide_keys(1)
    assert slide_keys(2)[-1] == "compare" and len(slide_keys(5)) == 8


def test_footer_and_date() -> None:
    assert footer_text(3, 8, "Option A") == (
        "Slide 3 of 8 · Option A · ← → to move, B to black out, S to switch, Esc to leave")
    assert long_date(dt.date(2026, 11, 3)) == "3 November 2026"


def test_organisation_from_the_file_name() -> None:
    def est(name: str) -> SimpleNamespace:
        return SimpleNamespace(source=SimpleNamespace(path=Path("C:/data") / name))

    assert organisation_name(est("demo_council.xlsx")) == "Demo Council"
    assert organisation_name(est("Borough of Westfield-establishment.csv")) == \
        "Borough of Westfield establishment"
    assert organisation_name(None) == ""


def test_capacity_team_is_the_one_most_often_red() -> None:
    g = grid([[2, 2, 1], [0, 1, 0]], teams=["Revenues", "Benefits"])
    assert capacity_team(g) == ("Revenues",
                                "Showing Revenues: the team red for the most months (2 of 3).")
    amber = grid([[1, 1, 0], [0, 0, 0]], teams=["Benefits", "Parks"])
    assert capacity_team(amber)[1] == ("Showing Benefits: no team goes red; this one is amber "
                                       "for the most months (2 of 3).")
    assert capacity_team(grid([[0, 0]], teams=["Parks"]))[1].startswith(
        "Showing Parks: every team stays green")
    empty = RiskGrid([], [1, 2], np.zeros((0, 2), int), np.zeros((0, 2)), np.zeros((0, 2)))
    assert capacity_team(empty)[0] is None


def test_short_horizon_keeps_months_and_drops_green_teams() -> None:
    # Jan 2027 to Jun 2027: Jan–Mar is 2026/27, Apr–Jun is 2027/28.
    g = grid([[0, 2, 2, 1, 0, 0], [0, 0, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0]],
             start=month_number(2027, 1))
    shown = presented_grid(g)
    assert shown.months_per_column == 1 and shown.unit == "month"
    assert shown.columns == ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    assert shown.years == [("2026/27", 3), ("2027/28", 3)]
    assert shown.teams == ["Team 1", "Team 3"]  # Team 2 stays green
    np.testing.assert_array_equal(shown.codes, [[0, 2, 2, 1, 0, 0], [0, 0, 1, 0, 0, 0]])
    assert shown.red_months == [2, 0]
    assert (shown.hidden_at_risk, shown.hidden_green) == (0, 1)
    assert shown.note() == "1 other team stays green throughout."


def test_long_horizon_folds_into_quarters_with_the_worst_month() -> None:
    # 30 months from May 2027: quarters of 2027/28 are May–Jun (part), Jul–Sep, Oct–Dec,
    # Jan–Mar; then 2028/29's four; then Apr–Oct 2029 (Q1 full and Q2 part).
    row = [0] * 30
    row[0] = 1  # May 2027: amber in Q1 2027/28
    row[4] = 2  # Sep 2027: red in Q2
    row[29] = 2  # Oct 2029: Q3 2029/30
    g = grid([row, [0] * 30], start=month_number(2027, 5))
    shown = presented_grid(g)
    assert shown.months_per_column == 3
    assert shown.years == [("2027/28", 4), ("2028/29", 4), ("2029/30", 3)]
    assert shown.columns == ["Q1", "Q2", "Q3", "Q4"] * 2 + ["Q1", "Q2", "Q3"]
    assert shown.codes.tolist() == [[1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 2]]
    assert shown.red_months == [2]
    assert shown.note().startswith("Each letter is the worst month of the quarter.")


def test_too_many_teams_at_risk_are_counted() -> None:
    g = grid([[2, 2]] * 3 + [[1, 0]] * 2 + [[0, 0]] * 4)
    shown = presented_grid(g, max_teams=4)
    assert len(shown.teams) == 4
    assert (shown.hidden_at_risk, shown.hidden_green) == (1, 4)
    assert "1 more team with amber or red months not shown." in shown.note()
    all_green = presented_grid(grid([[0, 0]] * 5), max_teams=3)
    assert len(all_green.teams) == 3 and all_green.hidden_green == 2


def test_bridge_sentence() -> None:
    bridge = [("Start (in post)", 1249.67), ("Deletions", -53.34), ("End (in post)", 1236.42)]
    assert bridge_sentence(bridge) == \
        "1,249.7 FTE in post at the start, 1,236.4 at the end (\u221213.3)."
    assert bridge_sentence([("Start", 10.0), ("End", 10.0)]).endswith("(0.0).")
    assert bridge_sentence([]) == ""


def test_sentences_from_results(demo_results) -> None:
    fy = demo_results.by_financial_year()
    whole = fy[fy["months"] == 12]
    judged = whole[whole["target"].notna()]
    met = int((judged["target_met"] == True).sum())  # noqa: E712 (numpy/None values)
    assert savings_sentence(demo_results) == \
        f"MTFP target met in {met} of {len(judged)} whole financial years."
    net = demo_results.monthly()["net"].sum()
    assert cumulative_sentence(demo_results).endswith(f"Net position at the end: £{net:,.0f}.")
    assert cumulative_sentence(demo_results).startswith("Payback ")


def test_compare_rows_pick_the_slide_rows(demo_results) -> None:
    frame = compare.compare_kpis([demo_results, None], names=["A", "B"])
    rows = compare_rows(frame)
    assert [r.key for r in rows] == [k for k, _ in COMPARE_ROWS]
    one_off = next(r for r in rows if r.key == "one_off_costs")
    assert one_off.texts == [frame.loc["one_off_costs", "A"], compare.COMPUTING]
    assert one_off.best == ()  # one value cannot be compared
    frame = pd.DataFrame({compare.LABEL: ["x"], compare.UNIT: ["£"], compare.BETTER: ["lower"],
                          "A": ["£2"], "B": ["£1"], compare.RAW: [[2.0, 1.0]],
                          compare.BEST: [[1]]}, index=["one_off_costs"])
    frame.attrs["scenarios"] = ["A", "B"]
    assert compare_rows(frame)[0].best == (1,)
