"""The service dashboard's figures: shortfall band, change markers, one team's lines, risk grid."""

from __future__ import annotations

import numpy as np
import pytest

from planner.capacity import paths
from planner.months import Horizon, month_number, parse_month
from planner.runner import run_scenario
from planner.scenario import (
    Change,
    DeletePosts,
    NaturalWastage,
    RedeploymentPolicy,
    RiskThresholds,
    Scenario,
    Selector,
    TeamDemand,
)
from planner.service import Service
from planner.service_view import (
    ChangeMarker,
    change_markers,
    compact_month,
    default_team,
    risk_grid,
    risk_legend,
    risk_summary,
    shortfall_band,
    team_series,
    weeks_text,
)
from tests.planner.posts_factory import make_posts

START = parse_month("2027-04")
HOURS = 1613.0 / 12  # productive hours of 1 FTE a month
WEEKS = 52.143 / 12


def test_compact_month_and_weeks_text() -> None:
    assert compact_month(month_number(2027, 4)) == "Apr 27"
    assert compact_month(month_number(2030, 1)) == "Jan 30"
    assert weeks_text(2.0) == "2 weeks" and weeks_text(1.0) == "1 week"
    assert weeks_text(2.5) == "2.5 weeks"


def test_shortfall_band_adds_the_crossings_by_hand() -> None:
    # Demand 8 → 12 → 10 against capacity 10: the lines cross half-way between months 0
    # and 1 (gap −2 → +2) at height 10, and meet again at month 2.
    x, upper, lower = shortfall_band(np.array([10.0, 10.0, 10.0]), np.array([8.0, 12.0, 10.0]))
    assert x == pytest.approx([0.0, 0.5, 1.0, 2.0])
    assert upper == pytest.approx([8.0, 10.0, 12.0, 10.0])
    assert lower == pytest.approx([8.0, 10.0, 10.0, 10.0])
    assert upper - lower == pytest.approx([0.0, 0.0, 2.0, 0.0])


def test_shortfall_band_is_flat_without_a_shortfall() -> None:
    x, upper, lower = shortfall_band(np.array([5.0, 6.0]), np.array([4.0, 4.0]))
    assert x == pytest.approx([0.0, 1.0]) and upper == pytest.approx(lower)


def _scenario(**kw) -> Scenario:
    return Scenario("view", Horizon(START, 12), natural_wastage=NaturalWastage(
        annual_turnover_pct=0.0, retirement=()),
        redeployment=RedeploymentPolicy(enabled=False), **kw)


def test_change_markers_group_by_month_and_skip_other_teams() -> None:
    sc = _scenario(changes=(
        Change("Web forms", START + 6, ("Calls",), ramp_months=3),
        Change("Chatbot: web chat", START + 6, ("calls ",)),  # same month, team in any case
        Change("Payments", START + 2, ("Other",)),  # another team
        Change("Late", START + 12, ("Calls",)),  # after the horizon
    ))
    markers = change_markers(sc, "Calls")
    assert markers == [
        ChangeMarker(x=6, month=START + 6, kind="go_live",
                     changes=("Web forms", "Chatbot: web chat")),
        ChangeMarker(x=8, month=START + 8, kind="full_effect", changes=("Web forms",)),
    ]
    assert markers[0].label == "Go-live (2 changes): Web forms; Chatbot"
    assert markers[1].label == "Full effect: Web forms"
    assert markers[0].name == "Go-live: Web forms; Chatbot: web chat"
    long = ChangeMarker(x=0, month=START, kind="go_live", changes=("x" * 80,))
    assert len(long.label) == len("Go-live: ") + 60 and long.label.endswith("…")
    assert markers[0].describe() == "Web forms and Chatbot: web chat go live in Oct 2027"
    assert markers[1].describe() == "Web forms reaches full effect in Dec 2027"
    assert change_markers(sc, "Nobody") == []


def test_team_series_by_hand() -> None:
    """10 FTE meet 10 FTE of demand; 2 posts go in month 3; a change removing 20 % of
    demand goes live in month 6 with a 3-month ramp (1/3, 2/3, then full)."""
    sc = _scenario(
        demand=(TeamDemand("Calls", hours_per_month=10 * HOURS),),
        changes=(Change("Web forms", START + 6, ("Calls",), demand_removed_pct=20.0,
                        ramp_months=3),),
        actions=(DeletePosts(START + 3, Selector(post_ids=("P001", "P002"))),))
    res = run_scenario(make_posts([{"team": "Calls"}] * 10 + [{"team": "Other"}] * 5), sc)
    s = team_series(res, "calls")
    assert s.team == "Calls" and s.unit == "hours" and len(s.months) == 12
    assert s.months[0] == "Apr 2027"
    assert s.capacity == pytest.approx([10 * HOURS] * 3 + [8 * HOURS] * 9)
    removed = [0.0] * 6 + [0.2 / 3, 0.4 / 3] + [0.2] * 4
    assert s.demand == pytest.approx([10 * HOURS * (1 - r) for r in removed])
    assert s.baseline_capacity == pytest.approx([10 * HOURS] * 12)  # no actions, no boost
    # Short from the cut until the change reaches full effect (month 8: 8 FTE each side).
    assert list(s.shortfall_months()) == [3, 4, 5, 6, 7]
    assert s.shortfall[3] == pytest.approx(2 * HOURS)
    assert s.shortfall[6] == pytest.approx(10 * HOURS * (1 - 0.2 / 3) - 8 * HOURS)
    # Backlog: 2 FTE-months a month for 3 months, then 2 − 2/3 and 2 − 4/3 … in FTE-months.
    backlog_fte = np.cumsum([0, 0, 0, 2, 2, 2, 2 - 2 / 3, 2 - 4 / 3, 0, 0, 0, 0])
    assert s.weeks == pytest.approx(
        np.where(backlog_fte > 0, backlog_fte * WEEKS / np.array([10] * 3 + [8] * 9), 0.0))
    assert [m.x for m in s.markers] == [6, 8]
    fte = team_series(res, "Calls", "fte")
    assert fte.capacity == pytest.approx([10.0] * 3 + [8.0] * 9)
    assert fte.unit_label == "FTE equivalent"
    with pytest.raises(KeyError):
        team_series(res, "Nobody")


def _service(capacity: np.ndarray, demand: np.ndarray, teams: list[str]) -> Service:
    sc = Scenario("grid", Horizon(START, capacity.shape[0]))
    return Service(scenario=sc, teams=teams, inputs=None,  # type: ignore[arg-type]
                   paths=paths(capacity, demand, RiskThresholds()),
                   service_level=np.full(capacity.shape, np.nan),
                   asa_seconds=np.full(capacity.shape, np.nan), cut_before_live=[])


def grid_service() -> Service:
    """Alpha copes; Beta is 20 % short in May only; Gamma is 10 % short; Idle has no demand."""
    cap = np.array([[100.0, 100.0, 90.0, 50.0],
                    [100.0, 80.0, 90.0, 50.0],
                    [100.0, 100.0, 90.0, 50.0]])
    dem = np.array([[100.0, 100.0, 100.0, 0.0]] * 3)
    return _service(cap, dem, ["Alpha", "Beta", "Gamma", "Idle"])


def test_risk_grid_orders_teams_and_explains_cells_by_hand() -> None:
    grid = risk_grid(grid_service())
    # Beta has a red month; Gamma three amber (ratio 0.9); Alpha none; Idle has no demand.
    assert grid.teams == ["Beta", "Gamma", "Alpha"]
    assert default_team(grid) == "Beta"
    assert grid.codes.tolist() == [[0, 2, 0], [1, 1, 1], [0, 0, 0]]
    assert "".join(grid.letter(0, c) for c in range(3)) == "GRG"
    assert list(grid.red_months()) == [1, 0, 0]
    # Beta in May: 80 of 100 hours; 20 hours of backlog = 20 × 4.345 ÷ 80 = 1.09 weeks.
    assert grid.tooltip(0, 1) == "Beta, May 2027: Red — capacity 80% of demand, backlog 1.1 weeks"
    assert grid.tooltip(2, 0) == "Alpha, Apr 2027: Green — capacity 100% of demand, no backlog"
    assert risk_summary(grid) == "1 team goes red (1 team-month); first: Beta in May 2027"


def test_risk_summary_amber_green_and_several_first_teams() -> None:
    cap = np.array([[90.0, 100.0], [90.0, 100.0]])
    dem = np.full((2, 2), 100.0)
    assert risk_summary(risk_grid(_service(cap, dem, ["A", "B"]))) == \
        "No team goes red; 1 team goes amber"
    assert risk_summary(risk_grid(_service(dem, dem, ["A", "B"]))) == "Every team stays green"
    cap = np.array([[80.0, 80.0, 80.0], [80.0, 80.0, 80.0]])
    dem = np.full((2, 3), 100.0)
    assert risk_summary(risk_grid(_service(cap, dem, ["C", "a", "B"]))) == \
        "3 teams go red (6 team-months); first: a, B and 1 more in Apr 2027"


def test_risk_legend_follows_the_thresholds() -> None:
    legend = risk_legend(RiskThresholds(amber_ratio=0.9, red_ratio=0.8, amber_backlog_weeks=1,
                                        red_backlog_weeks=3))
    assert [code for code, _ in legend] == ["G", "A", "R"]
    assert legend[0][1] == ("Green: capacity at least 90% of demand and backlog at most 1 week")
    assert legend[2][1] == "Red: capacity below 80% of demand or backlog over 3 weeks"
