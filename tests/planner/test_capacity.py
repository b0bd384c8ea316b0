"""Backlog, risk and cover against hand calculations; cut-before-live flags on a small run."""

from __future__ import annotations

import numpy as np
import pytest

from planner.capacity import AMBER, GREEN, RED, paths
from planner.months import Horizon, parse_month
from planner.runner import run_scenario
from planner.scenario import (
    Assumptions,
    Change,
    DeletePosts,
    NaturalWastage,
    RiskThresholds,
    Scenario,
    Selector,
)
from tests.planner.posts_factory import make_posts

WEEKS = 52.143 / 12  # 4.345 weeks in a month
LIMITS = RiskThresholds()  # amber < 0.95 or > 2 weeks; red < 0.85 or > 4 weeks


def three_teams() -> tuple[np.ndarray, np.ndarray]:
    """12 months: A just coping; B 10 % short until demand falls to 80 in month 6; C 20 % short."""
    cap = np.tile([100.0, 90.0, 80.0], (12, 1))
    dem = np.tile([100.0, 100.0, 100.0], (12, 1))
    dem[6:, 1] = 80.0
    return cap, dem


def test_backlog_builds_and_clears_by_hand() -> None:
    cap, dem = three_teams()
    p = paths(cap, dem, LIMITS)
    # A: capacity equals demand: no backlog, ratio 1, green throughout.
    assert np.allclose(p.backlog[:, 0], 0.0) and np.allclose(p.ratio[:, 0], 1.0)
    assert (p.rag[:, 0] == GREEN).all()
    # B: 10 hours short a month for six months (10, 20, … 60), then 10 hours spare a month.
    assert p.backlog[:, 1] == pytest.approx([10, 20, 30, 40, 50, 60, 50, 40, 30, 20, 10, 0])
    # Throughput is capacity while work waits; month 11 has 80 + 10 waiting, 90 capacity.
    assert p.throughput[:, 1] == pytest.approx([90.0] * 12)
    # Weeks to clear = backlog ÷ (capacity ÷ 4.345): 60 h → 2.897 weeks in month 5.
    assert p.weeks[5, 1] == pytest.approx(60 * WEEKS / 90)
    # Ratio 0.9 is amber; from month 6 the ratio is 90/80 but 50 h (2.41 weeks) keeps it
    # amber; month 7 has 40 h = 1.93 weeks: green.
    assert list(p.rag[:, 1]) == [AMBER] * 7 + [GREEN] * 5
    # C: 0.8 of demand is red every month.
    assert (p.rag[:, 2] == RED).all()


def test_cover_keeps_a_team_out_of_red_by_hand() -> None:
    cap, dem = three_teams()
    p = paths(cap, dem, LIMITS)
    assert np.allclose(p.cover_hours[:, 0], 0.0) and np.allclose(p.cover_hours[:, 1], 0.0)
    # C with cover bought each month: capacity must reach 0.85 × 100 = 85 and keep the
    # backlog under 4 weeks: c ≥ (b + d) ÷ (1 + 4 ÷ 4.345). With 85 h the carried backlog
    # grows by 15 h a month: 0, 15, 30, 45, 60, 75; the backlog rule binds once
    # (b + 100) ÷ 1.9206 > 85, i.e. b > 63.25: from month 5 (b = 75).
    assert p.cover_hours[:5, 2] == pytest.approx([5.0] * 5)
    need5 = (75 + 100) / (1 + 4 / WEEKS)
    assert p.cover_hours[5, 2] == pytest.approx(need5 - 80)
    backlog5 = 175 - need5
    assert p.cover_hours[6, 2] == pytest.approx((backlog5 + 100) / (1 + 4 / WEEKS) - 80)


def test_no_demand_is_green_and_no_capacity_is_infinite_weeks() -> None:
    cap = np.array([[0.0, 0.0], [0.0, 0.0]])
    dem = np.array([[0.0, 10.0], [0.0, 10.0]])
    p = paths(cap, dem, LIMITS)
    assert (p.rag[:, 0] == GREEN).all() and np.isnan(p.ratio[:, 0]).all()
    assert np.isinf(p.weeks[:, 1]).all() and (p.rag[:, 1] == RED).all()


START = parse_month("2027-04")
HOURS = 1613 / 12  # productive hours per FTE per month (134.42)


def small_council() -> list[dict[str, object]]:
    return ([{"team": "Alpha"}] * 10 + [{"team": "Bravo"}] * 10 + [{"team": "Charlie"}] * 10)


def flagged_run() -> Scenario:
    """Bravo loses 2 of 10 FTE in month 2, before a change (live month 6) absorbs it;
    Charlie loses 2 in month 8, after its change reached full effect in month 5."""
    return Scenario(
        "flags", Horizon(START, 12), assumptions=Assumptions(pay_award_pct=0.0),
        natural_wastage=NaturalWastage(annual_turnover_pct=0.0, retirement=()),
        actions=(
            DeletePosts(START + 2, Selector(post_ids=("P011", "P012")), label="Bravo cut"),
            DeletePosts(START + 8, Selector(post_ids=("P021", "P022")), label="Charlie cut"),
        ),
        changes=(
            Change("Bravo online", go_live=START + 6, teams=("Bravo",),
                   demand_removed_pct=30.0, ramp_months=1),
            Change("Charlie system", go_live=START + 3, teams=("charlie",),
                   demand_removed_pct=25.0, ramp_months=3),
        ),
    )


def test_capacity_backlog_and_cut_before_live_on_a_run() -> None:
    res = run_scenario(make_posts(small_council()), flagged_run())
    svc = res.service()
    j = {t: i for i, t in enumerate(svc.teams)}
    p = svc.paths
    # With no demand given, demand is the baseline capacity: 10 FTE × 1613 ÷ 12.
    assert p.demand[0, j["Alpha"]] == pytest.approx(10 * HOURS)
    assert p.capacity[:, j["Alpha"]] == pytest.approx([10 * HOURS] * 12)
    # Bravo: 8 FTE from month 2; demand 10 FTE's hours until month 6, then 70 % of it.
    b = j["Bravo"]
    assert p.capacity[2:, b] == pytest.approx([8 * HOURS] * 10)
    assert p.demand[6:, b] == pytest.approx([7 * HOURS] * 6)
    short = 2 * HOURS
    assert p.backlog[2:6, b] == pytest.approx([short, 2 * short, 3 * short, 4 * short])
    # Month 6: 4 × 268.8 waiting + 940.9 demand − 1,075.3 capacity.
    assert p.backlog[6, b] == pytest.approx(4 * short + 7 * HOURS - 8 * HOURS)
    assert p.rag[2, b] == RED  # 0.8 of demand
    # Charlie: the change removes 25 % at full effect (month 5); cutting 20 % in month 8
    # leaves 8 FTE for 7.5 FTE of work: green.
    c = j["Charlie"]
    assert p.demand[5:, c] == pytest.approx([7.5 * HOURS] * 7)
    assert (p.rag[8:, c] == GREEN).all()
    flags = svc.cut_before_live
    assert [(f.team, f.change, f.months_early) for f in flags] == [("Bravo", "Bravo online", 4)]
    assert flags[0].fte_removed == pytest.approx(2.0)
    kpis = res.kpis()
    assert kpis["cut_before_live"] == 1
    assert kpis["red_team_months"] == int((p.rag == RED).sum()) > 0


def test_seasonal_growth_and_positions_shape_demand() -> None:
    from planner.scenario import GrowthPosition, TeamDemand

    sc = Scenario("demand", Horizon(START, 24), natural_wastage=NaturalWastage(
        annual_turnover_pct=0.0, retirement=()), demand=(TeamDemand(
            "Alpha", volume_per_month=600, minutes_per_item=100,
            seasonal=(2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), growth_pct=10.0,
            growth_positions=(GrowthPosition(START + 12, 50.0),)),))
    res = run_scenario(make_posts(small_council()), sc)
    d = res.service().paths.demand[:, res.teams.index("Alpha")]
    base = 600 * 100 / 60  # 1,000 hours in an average month
    april = 2 / (13 / 12)  # factors scaled to average 1: April 2 ÷ (13/12)
    assert d[0] == pytest.approx(base * april)
    assert d[1] == pytest.approx(base / (13 / 12) * 1.1 ** (1 / 12))
    assert d[12] == pytest.approx(base * april * 1.1 + 50)


def test_contact_centre_service_level_from_planned_fte() -> None:
    """DESIGN §4 oracle: 100 calls in 30 minutes at 180 s is 10 erlangs; 13 agents answer
    79.6 % in 20 s, 14 agents 88.8 %. 20 FTE at 35 % shrinkage are 13 agents; after a
    cut of 1 FTE (from month 6) 19 × 0.65 = 12.35 agents: between 12 and 13 agents."""
    from planner.erlang import service_level
    from planner.scenario import ContactCentre, TeamDemand

    cc = ContactCentre(calls_per_interval=100, interval_minutes=30, aht_seconds=180,
                       answer_seconds=20, target_pct=80, shrinkage_pct=35)
    sc = Scenario("calls", Horizon(START, 12), natural_wastage=NaturalWastage(
        annual_turnover_pct=0.0, retirement=()),
        demand=(TeamDemand("Calls", hours_per_month=20 * HOURS, contact_centre=cc),),
        actions=(DeletePosts(START + 6, Selector(post_ids=("P001",))),))
    res = run_scenario(make_posts([{"team": "Calls"}] * 20 + [{"team": "Other"}] * 5), sc)
    svc = res.service()
    j = svc.teams.index("Calls")
    assert svc.service_level[:6, j] == pytest.approx([0.796] * 6, abs=5e-4)
    low, high = service_level(12, 100, 30, 180, 20), service_level(13, 100, 30, 180, 20)
    assert svc.service_level[6:, j] == pytest.approx([low + 0.35 * (high - low)] * 6)
    assert np.isnan(svc.service_level[:, svc.teams.index("Other")]).all()
    assert "service_level" in svc.frame().columns
