"""Monte Carlo: reproducible, centred on the expected-value run, slippage, cancellation."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from planner.errors import Cancelled
from planner.montecarlo import simulate
from planner.months import Horizon, parse_month
from planner.runner import run_scenario
from planner.scenario import (
    Change,
    DeletePosts,
    NaturalWastage,
    Scenario,
    Selector,
    Slippage,
    Targets,
)
from tests.planner.posts_factory import make_posts

START = parse_month("2027-04")


def council() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for team, n in (("Alpha", 40), ("Bravo", 30), ("Charlie", 20)):
        for i in range(n):
            rows.append({"team": team, "grade": f"Grade {4 + i % 3}",
                         "annual_salary": 24_000.0 + 2_000 * (i % 3),
                         "status": "vacant" if i % 10 == 9 else "filled"})
    return rows


def scenario(turnover: float = 13.4, slip: Slippage | None = None) -> Scenario:
    return Scenario(
        "mc", Horizon(START, 36), natural_wastage=NaturalWastage(annual_turnover_pct=turnover),
        actions=(DeletePosts(START + 2, Selector(fields=(("team", ("Bravo",)),)), max_fte=6.0),),
        changes=(Change("System", go_live=START + 6, teams=("Bravo",), demand_removed_pct=25.0,
                        ramp_months=3, slippage=slip or Slippage(0.0, 2.0, 6.0)),),
        targets=Targets(savings_by_fy=((2027, 100_000.0), (2028, 150_000.0))))


@pytest.fixture(scope="module")
def results():
    return run_scenario(make_posts(council()), scenario())


def test_same_seed_same_numbers_and_another_seed_differs(results) -> None:
    a, b = simulate(results, 300, seed=7), simulate(results, 300, seed=7)
    c = simulate(results, 300, seed=8)
    for name in ("ratio_bands", "backlog_weeks_bands", "cumulative_net_bands", "p_red",
                 "red_team_months", "cover_cost"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.cumulative_net_bands, c.cumulative_net_bands)
    assert a.kpis() == b.kpis() and a.seed == 7


def test_mean_is_close_to_the_expected_value_run(results) -> None:
    sim = simulate(results, 2000, seed=1)
    ev = results.monthly()
    # FTE in post: the simulated mean stays within 0.3 % of the expected value each month.
    assert np.max(np.abs(sim.fte_mean / ev["fte_in_post"].to_numpy() - 1)) < 0.003
    # Cumulative net position at the end within 1 % of its expected value.
    end = ev["cumulative_net"].iloc[-1]
    assert abs(sim.cumulative_net_mean[-1] - end) < 0.01 * abs(end)
    # The bands are ordered and spread.
    assert (sim.fte_bands[0] <= sim.fte_bands[1]).all()
    assert (sim.fte_bands[1] <= sim.fte_bands[2]).all()
    assert sim.fte_bands[2, -1] > sim.fte_bands[0, -1]


def test_without_randomness_the_simulation_is_the_expected_value_run() -> None:
    res = run_scenario(make_posts(council()),
                       scenario(turnover=0.0, slip=Slippage(0.0, 0.0, 0.0)))
    sim = simulate(res, 50, seed=3)
    svc = res.service()
    np.testing.assert_allclose(sim.fte_bands[1], res.monthly()["fte_in_post"].to_numpy())
    np.testing.assert_allclose(sim.ratio_bands[0], sim.ratio_bands[2])
    np.testing.assert_allclose(np.nan_to_num(sim.ratio_bands[1]),
                               np.nan_to_num(svc.paths.ratio), rtol=1e-9)
    red = (svc.paths.rag == 2).any(0)
    np.testing.assert_array_equal(sim.p_red, red.astype(float))


def test_a_certain_slip_moves_the_benefit_by_that_many_months() -> None:
    posts = make_posts(council())
    late = run_scenario(posts, scenario(turnover=0.0, slip=Slippage(3.0, 3.0, 3.0)))
    sim = simulate(late, 20, seed=0)
    sc = scenario(turnover=0.0, slip=Slippage(0.0, 0.0, 0.0))
    moved = dataclasses.replace(sc, changes=(dataclasses.replace(
        sc.changes[0], go_live=START + 9),))
    expected = run_scenario(posts, moved).service().paths.ratio
    np.testing.assert_allclose(np.nan_to_num(sim.ratio_bands[1]), np.nan_to_num(expected))


def test_target_probability_and_cancellation(results) -> None:
    sim = simulate(results, 200, seed=2)
    fy = sim.fy_core_saving
    assert list(fy["financial_year"]) == ["2027/28", "2028/29", "2029/30"]
    assert all(0.0 <= p <= 1.0 for p in fy["p_target_met"].iloc[:2])
    assert fy["p_target_met"].iloc[2] is None or np.isnan(fy["p_target_met"].iloc[2])

    class Stop:
        calls = 0

        def set_progress(self, fraction: float, message: str = "") -> None:
            self.calls += 1

        def is_cancelled(self) -> bool:
            return self.calls >= 5

    with pytest.raises(Cancelled):
        simulate(results, 200, seed=2, state=Stop())


@pytest.mark.parametrize("events_per_draw", [np.inf, 0.0])
def test_leaver_draws_are_binomial(events_per_draw: float,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """Both ways of drawing (rare events, or one draw per group) give Binomial(n, p): check
    mean, variance and the whole distribution of a small case against the formula."""
    from math import comb

    import planner.montecarlo as mc
    from planner.montecarlo import binomial_draws

    monkeypatch.setattr(mc, "EVENTS_PER_DRAW", events_per_draw)

    rng = np.random.default_rng(0)
    n = np.tile(np.array([0, 1, 5, 20, 100, 3]), (100_000, 1))
    p = np.array([0.3, 0.5, 0.1, 0.02, 0.012, 0.9])
    d = binomial_draws(rng, n, -np.log1p(-p))
    assert (d >= 0).all() and (d <= n).all() and (d[:, 0] == 0).all()
    mean, var = n[0] * p, n[0] * p * (1 - p)
    se = np.sqrt(var / len(d))
    assert np.all(np.abs(d.mean(0) - mean) <= 5 * se + 1e-12)
    assert np.allclose(d.var(0)[1:], var[1:], rtol=0.03)
    observed = np.bincount(d[:, 5], minlength=4) / len(d)
    expected = [comb(3, k) * 0.9**k * 0.1 ** (3 - k) for k in range(4)]  # 0.001 … 0.729
    assert observed == pytest.approx(expected, abs=0.005)


def test_a_plan_with_no_actions_is_not_made_red_by_chance() -> None:
    """Teams with no demand given are "just coping" with their baseline staff: the same
    random leavers hit the baseline, so doing nothing shows no risk and no saving."""
    res = run_scenario(make_posts(council()),
                       dataclasses.replace(scenario(), actions=(), changes=()))
    sim = simulate(res, 500, seed=4)
    assert sim.p_red.max() == 0.0 and sim.red_team_months.max() == 0
    assert abs(sim.cumulative_net_mean[-1]) < 5_000  # noise only: no actions, no saving
