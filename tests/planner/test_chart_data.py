"""Chart shaping for the money and simulation views: waterfall bars, FY table, payback, fan."""

from __future__ import annotations

import numpy as np
import pytest

from planner.chart_data import (
    fan_data,
    fan_teams,
    fy_money_table,
    likely_red_teams,
    money_short,
    money_tick_decimals,
    month_labels,
    payback_index,
    payback_text,
    signed,
    simulation_sentences,
    simulation_year_table,
    targets_met,
    waterfall,
    wrap_label,
)
from planner.montecarlo import simulate
from planner.months import Horizon, parse_month
from planner.runner import run_scenario
from planner.scenario import DeletePosts, Scenario, Selector, Targets
from tests.planner.posts_factory import make_posts

START = parse_month("2027-04")


def council() -> list[dict[str, object]]:
    return [{"team": team, "grade": "Grade 5", "annual_salary": 30_000.0, "status": "filled"}
            for team, n in (("Alpha", 20), ("Bravo", 10)) for _ in range(n)]


def scenario(months: int = 30, delete: bool = True) -> Scenario:
    actions = (DeletePosts(START + 2, Selector(fields=(("team", ("Bravo",)),)), max_fte=4.0),
               ) if delete else ()
    return Scenario("cut", Horizon(START, months), actions=actions,
                    targets=Targets(savings_by_fy=((2027, 50_000.0), (2028, 1_000_000.0))))


@pytest.fixture(scope="module")
def results():
    return run_scenario(make_posts(council()), scenario())


# ----- labels ---------------------------------------------------------------------------------
def test_money_short_and_signed() -> None:
    assert money_short(1_234_567) == "£1.2m"
    assert money_short(-350_000) == "\u2212£350k"
    assert money_short(999_600) == "£1.0m"
    assert money_short(12.4) == "£12"
    assert money_short(0.2) == "£0"
    assert money_short(float("nan")) == ""
    assert signed(41.84) == "+41.8"
    assert signed(-53.34) == "\u221253.3"
    assert signed(-0.01) == "0.0"
    assert signed(1234.5, 2) == "+1,234.50"


def test_tick_decimals_show_the_spacing() -> None:
    assert money_tick_decimals(2_000_000) == 0
    assert money_tick_decimals(500_000) == 1
    assert money_tick_decimals(250_000) == 2
    assert money_tick_decimals(0) == 3


def test_month_and_category_labels() -> None:
    assert month_labels(["2027-04", "2028-01"]) == ["Apr 2027", "Jan 2028"]
    assert wrap_label("Natural wastage and backfill", 16) == "Natural wastage\nand backfill"


# ----- waterfall ------------------------------------------------------------------------------
def test_waterfall_floats_the_steps_between_the_totals() -> None:
    wf = waterfall([("Start", 100.0), ("Down", -20.0), ("Up", 5.0), ("None", 0.0),
                    ("End", 85.0)])
    np.testing.assert_allclose(wf.bottoms, [0, 80, 80, 85, 0])
    np.testing.assert_allclose(wf.tops, [100, 100, 85, 85, 85])
    np.testing.assert_allclose(wf.heights, [100, 20, 5, 0, 85])
    np.testing.assert_allclose(wf.levels, [100, 80, 85, 85, 85])
    assert wf.kinds == ["total", "decrease", "increase", "increase", "total"]


def test_waterfall_view_range() -> None:
    big = waterfall([("Start", 100.0), ("Down", -60.0), ("End", 40.0)])
    assert big.view_range() == (0.0, pytest.approx(112.0))
    small = waterfall([("Start", 1250.0), ("Down", -53.0), ("Up", 40.0), ("End", 1237.0)])
    lo, hi = small.view_range()
    # span 53 → floor 1197 − 1.2 × 53 = 1133.4, rounded down to the 10 below
    assert lo == 1130.0 and hi == pytest.approx(1250 + 0.45 * 53)


def test_results_bridge_adds_up(results) -> None:
    wf = waterfall(results.bridge())
    start, *steps, end = (v for _, v in results.bridge())
    assert wf.levels[-2] == pytest.approx(end)
    assert start + sum(steps) == pytest.approx(end)


# ----- money by financial year -------------------------------------------------------------------
def test_fy_table_adds_running_costs_and_words(results) -> None:
    table = fy_money_table(results)
    monthly = results.monthly()
    assert table["financial_year"].tolist() == ["2027/28", "2028/29", "2029/30"]
    first = monthly.iloc[:12]
    assert table["baseline_running_cost"].iloc[0] == pytest.approx(
        first["baseline_running_cost"].sum())
    assert table["running_cost"].iloc[0] == pytest.approx(first["running_cost"].sum())
    np.testing.assert_allclose(table["baseline_running_cost"] - table["running_cost"],
                               table["saving"])
    # 4 FTE deleted from June 2027 save money; £1m in 2028/29 is out of reach.
    assert table["target_status"].tolist() == ["Met", "Not met", "No target"]
    assert targets_met(table) == (1, 2)


def test_part_year_is_not_judged() -> None:
    short = run_scenario(make_posts(council()), scenario(months=18))
    assert fy_money_table(short)["target_status"].tolist() == ["Met", "Part year (6 months)"]


def test_payback(results) -> None:
    cumulative = results.monthly()["cumulative_net"].to_numpy()
    i = payback_index(results)
    assert i is not None and results.months[i] == results.payback_month()
    assert (cumulative[i:] >= 0).all() and cumulative[i - 1] < 0
    assert payback_text(results).startswith("Payback ")
    none = run_scenario(make_posts(council()), scenario(delete=False))
    assert payback_index(none) is None
    assert payback_text(none) == "No one-off costs to pay back"


# ----- simulation ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sim(results):
    return simulate(results, runs=60, seed=3)


def test_fan_data_takes_the_bands_and_the_expected_run(sim, results) -> None:
    net = fan_data(sim, results)
    np.testing.assert_array_equal(net.bands, sim.cumulative_net_bands)
    np.testing.assert_allclose(net.expected, results.monthly()["cumulative_net"])
    assert net.months[0] == "Apr 2027"
    fte = fan_data(sim, None, "fte")
    np.testing.assert_array_equal(fte.bands, sim.fte_bands)
    np.testing.assert_array_equal(fte.expected, sim.fte_mean)  # no results: the mean
    ratio = fan_data(sim, results, "ratio", "Bravo")
    j = sim.teams.index("Bravo")
    np.testing.assert_array_equal(ratio.bands, sim.ratio_bands[:, :, j])
    assert "Bravo" in ratio.title and [v for _, v in ratio.thresholds] == [0.95, 0.85]
    assert set(fan_teams(sim)) <= set(sim.teams)
    with pytest.raises(ValueError):
        fan_data(sim, results, "nonsense")


def test_simulation_in_words(results) -> None:
    sim = simulate(results, runs=60, seed=3)
    assert sim.teams == ["Alpha", "Bravo"]
    sim.p_red = np.array([0.4, 0.9])
    assert likely_red_teams(sim) == [(sim.teams[1], 0.9)]
    lines = simulation_sentences(sim)
    assert lines[0].startswith("60 simulated futures, seed 3")
    assert any("(90%)" in line and "Red" in line for line in lines)
    table = simulation_year_table(sim)
    assert table["chance"].iloc[2] == "No target"
    assert table["chance"].iloc[0].endswith("%")
