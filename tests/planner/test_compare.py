"""Scenarios side by side, overlaid lines and the people tables (planner.compare)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from planner import compare
from planner.capacity import RED
from planner.montecarlo import simulate
from planner.months import month_label, parse_month


@pytest.fixture(scope="module")
def demo_results():
    """The demo council's first two scenarios ("Cut first", "Gated by go-live"), run once."""
    from planner import bundled, importer
    from planner.demo import demo_scenarios
    from planner.runner import run_scenario
    from planner.workforce import as_workforce

    wf = as_workforce(importer.load_establishment(bundled.demo_workbook()).posts)
    return [run_scenario(wf, s) for s in demo_scenarios()[:2]]


def _red_team_months(results) -> int:
    """Counted straight from the risk table: every team-month labelled "Red"."""
    return int((results.service().risk_table().to_numpy() == "Red").sum())


def _payback_by_hand(results) -> str | None:
    """The first month after the last month the cumulative net position is below 0."""
    m = results.monthly()
    cum = m["net"].cumsum().to_numpy()
    if m["one_off_total"].sum() <= 0 or cum[-1] < 0:
        return None
    below = [i for i, v in enumerate(cum) if v < 0]
    return m["month"].iloc[below[-1] + 1 if below else 0]


def test_one_column_per_scenario_and_plain_labels(demo_results) -> None:
    frame = compare.compare_kpis(demo_results, [None, None])
    names = [r.scenario.name for r in demo_results]
    assert compare.scenario_columns(frame) == names
    assert list(frame.columns) == ["kpi", "unit", "better", *names, "raw", "best"]
    assert frame.loc["red_team_months", "kpi"] == "Red team-months (count)"
    assert frame.loc["transition_cover_cost", "kpi"].endswith("(£)")
    fys = [k for k in frame.index if k.startswith("fy:")]
    assert fys == [f"fy:{y}" for y in demo_results[0].by_financial_year()["financial_year"]]


def test_red_team_months_and_best(demo_results) -> None:
    frame = compare.compare_kpis(demo_results, [None, None])
    by_hand = [_red_team_months(r) for r in demo_results]
    assert by_hand == [351, 164]  # the demo's reference figures
    row = frame.loc["red_team_months"]
    assert row["raw"] == [351.0, 164.0]
    assert [row[r.scenario.name] for r in demo_results] == ["351", "164"]
    assert row["best"] == [1]  # fewer red team-months is better: "Gated by go-live"


def test_payback_by_hand(demo_results) -> None:
    frame = compare.compare_kpis(demo_results, [None, None])
    row = frame.loc["payback_month"]
    for j, results in enumerate(demo_results):
        month = _payback_by_hand(results)
        assert month is not None
        assert row[results.scenario.name] == month_label(parse_month(month))
        assert row["raw"][j] == parse_month(month)
    assert [row[r.scenario.name] for r in demo_results] == ["Jul 2027", "Dec 2028"]
    assert row["best"] == [0]  # earlier payback is better


def test_money_rows_match_each_results(demo_results) -> None:
    frame = compare.compare_kpis(demo_results, [None, None])
    for j, results in enumerate(demo_results):
        m = results.monthly()
        name = results.scenario.name
        one_off = float(m["one_off_total"].sum())
        assert frame.loc["one_off_costs", "raw"][j] == pytest.approx(one_off)
        assert frame.loc["one_off_costs", name] == f"£{one_off:,.0f}"
        assert frame.loc["net_position", "raw"][j] == pytest.approx(float(m["net"].sum()))
        cover = results.service().cover_fte.sum() * \
            results.scenario.assumptions.agency_cost_per_fte / 12
        assert frame.loc["transition_cover_cost", "raw"][j] == pytest.approx(cover)
        for fy, core in zip(m["financial_year"].unique(),
                            m.groupby("financial_year", sort=False)["core_saving"].sum(),
                            strict=True):
            assert frame.loc[f"fy:{fy}", "raw"][j] == pytest.approx(core)
    # 2027/28: "Cut first" meets its £1.5m target, "Gated" falls short
    fy = frame.loc["fy:2027/28"]
    assert fy[demo_results[0].scenario.name].endswith("(target met)")
    gated = demo_results[1].by_financial_year().iloc[0]
    short = gated["target"] - gated["core_saving"]  # £1,500,000 − £136,684
    assert fy[demo_results[1].scenario.name] == f"£136,684 (short by £{short:,.0f})"
    assert short == pytest.approx(1_363_316, abs=1)


def test_fte_rows_have_no_best(demo_results) -> None:
    frame = compare.compare_kpis(demo_results, [None, None])
    assert frame.loc["fte_change_vs_baseline", "best"] == []
    assert frame.loc["fte_change_vs_baseline", "better"] == ""


def test_probability_needs_a_simulation(demo_results) -> None:
    frame = compare.compare_kpis(demo_results, [None, None])
    row = frame.loc["p_meet_year_2_target"]
    assert [row[r.scenario.name] for r in demo_results] == [compare.NO_SIMULATION] * 2
    assert all(math.isnan(v) for v in row["raw"])
    sim = simulate(demo_results[0], runs=40, seed=3)
    frame = compare.compare_kpis(demo_results, [sim, None])
    row = frame.loc["p_meet_year_2_target"]
    p = sim.p_meet(2)
    assert p is not None
    assert row[demo_results[0].scenario.name] == f"{100 * p:.0f}%"
    assert row["raw"][0] == p
    assert row["best"] == []  # only one scenario has a figure


def test_computing_scenarios_show_a_placeholder(demo_results) -> None:
    frame = compare.compare_kpis([demo_results[0], None], [None, None],
                                 names=["A", "B"], placeholders=["…", "…"])
    assert set(frame["B"]) == {"…"}
    assert all(math.isnan(row[1]) for row in frame["raw"])
    assert all(best == [] for best in frame["best"])


def test_duplicate_and_clashing_names_are_made_unique() -> None:
    assert compare.unique_names(["A", "A", "kpi"]) == ["A", "A (2)", "kpi (2)"]


@pytest.mark.parametrize(("raw", "better", "best"), [
    ([1.0, 2.0, 3.0], "higher", [2]),
    ([1.0, 2.0, 1.0], "lower", [0, 2]),
    ([5.0, 5.0], "lower", []),  # all equal: nothing stands out
    ([5.0, float("nan")], "lower", []),  # one value alone
    ([1.0, 2.0], "", []),
])
def test_best_of(raw, better, best) -> None:
    assert compare.best_of(raw, better) == best


def test_monthly_lines_are_the_results_figures(demo_results) -> None:
    r = demo_results[0]
    lines = compare.monthly_lines(r)
    m = r.monthly()
    np.testing.assert_allclose(lines["cumulative_net"], m["cumulative_net"])
    np.testing.assert_allclose(lines["fte_in_post"], m["fte_in_post"])
    red = (r.service().paths.rag == RED).sum(axis=1)
    np.testing.assert_array_equal(lines["red_teams"], red)
    assert int(lines["red_teams"].sum()) == _red_team_months(r)


def test_overlay_aligns_different_horizons(monkeypatch) -> None:
    frames = {"a": pd.DataFrame({"month": [100, 101, 102], "cumulative_net": [1.0, 2.0, 3.0]}),
              "b": pd.DataFrame({"month": [102, 103], "cumulative_net": [5.0, 6.0]})}
    monkeypatch.setattr(compare, "monthly_lines", lambda r: frames[r].copy())
    months, lines = compare.overlay_frames(["a", None, "b"])  # type: ignore[list-item]
    assert months == [100, 101, 102, 103]
    assert lines[1] is None
    assert lines[0]["x"].tolist() == [0.0, 1.0, 2.0]
    assert lines[2]["x"].tolist() == [2.0, 3.0]


def test_redeployment_table(demo_results) -> None:
    r = demo_results[0]
    matches = r.redeployment.matches
    table = compare.redeployment_table(r)
    assert len(table) == len(matches) == 55
    assert "employee_name" not in table  # personal data left out by default
    assert table["post_id"].tolist() == matches["post_id"].tolist()
    # 12 months' protection, no taper: the whole drop × FTE; first row £735 × 1.0
    assert r.scenario.redeployment.pay_protection_months == 12
    assert table["pay_protection"].iloc[0] == pytest.approx(735.0)
    np.testing.assert_allclose(table["pay_protection"], matches["salary_drop"] * matches["fte"])
    named = compare.redeployment_table(r, include_names=True)
    posts = r.run.prep.wf.posts
    assert named["employee_name"].tolist() == \
        posts["employee_name"].to_numpy()[matches["person"].to_numpy(dtype=int)].tolist()
    assert len(compare.redeployment_table(demo_results[1])) == 0  # redeployment off


def test_redundancy_table_and_totals(demo_results) -> None:
    r = demo_results[0]
    leavers = r.one_off.leavers
    table = compare.redundancy_table(r)
    assert len(table) == len(leavers) == 10
    assert "employee_name" not in table
    first = leavers.iloc[0]
    assert table["total"].iloc[0] == pytest.approx(
        first["statutory_pay"] + first["enhancement"] + first["pension_strain_estimate"])
    assert table["month"].iloc[0] == parse_month(first["month"])
    totals = compare.column_totals(table, compare.REDUNDANCY_TOTALS)
    assert totals["expected_cost"] == pytest.approx(leavers["expected_cost"].sum())
    # the expected costs are the scenario's redundancy and pension strain one-off costs
    m = r.monthly()
    assert totals["expected_cost"] == pytest.approx(m["redundancy"].sum()
                                                    + m["pension_strain"].sum())
    named = compare.redundancy_table(r, include_names=True)
    assert named["employee_name"].tolist() == leavers["employee_name"].tolist()
