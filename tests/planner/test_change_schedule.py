"""Changes placed on the horizon for the timeline, and checking scenario edits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from planner.change_schedule import (
    Step,
    change_bars,
    driver_words,
    edit_problems,
    ramp_steps,
)
from planner.months import Horizon, month_number
from planner.scenario import Change, Scenario, Slippage
from planner.scenario_edits import insert_item, replace_item

START = month_number(2027, 4)


def _scenario(*changes: Change, months: int = 24) -> Scenario:
    return Scenario(name="Test", horizon=Horizon(START, months), changes=changes)


def _change(**fields) -> Change:
    base = Change(name="Online forms", go_live=START + 6, teams=("Revenues",),
                  demand_removed_pct=20.0, ramp_months=4, realisation_pct=75.0,
                  slippage=Slippage(1, 2, 6))
    return replace(base, **fields)


def test_a_change_is_placed_on_the_horizon() -> None:
    [bar] = change_bars(_scenario(_change()))
    assert (bar.row, bar.go_live, bar.full_effect, bar.ramp_months) == (0, 6, 9, 4)
    assert (bar.slip_min, bar.slip_mode, bar.slip_max) == (7.0, 8.0, 12.0)
    assert bar.has_slippage
    # 1/ramp in the go-live month, full from go-live + ramp − 1 (DESIGN §3).
    assert bar.fractions[5:11] == pytest.approx((0, 0.25, 0.5, 0.75, 1.0, 1.0))
    assert len(bar.fractions) == 24
    assert bar.label() == "Online forms — 75 % realised, 20 % of demand removed"


def test_ramp_steps_list_the_ramp_months_and_the_full_stretch() -> None:
    bars = change_bars(_scenario(_change(), _change(name="Early", go_live=START - 1,
                                                    ramp_months=3, productivity_gain_pct=10)))
    ramping, full = ramp_steps(bars)
    assert ramping == [Step(0, 6, 7, 0.25), Step(0, 7, 8, 0.5), Step(0, 8, 9, 0.75),
                       Step(1, 0, 1, pytest.approx(2 / 3))]
    assert full == [Step(0, 9, 24, 1.0), Step(1, 1, 24, 1.0)]
    assert bars[1].label().endswith("20 % of demand removed and 10 % productivity gain")


def test_a_change_after_the_horizon_draws_nothing() -> None:
    bars = change_bars(_scenario(_change(go_live=START + 30, slippage=Slippage())))
    assert ramp_steps(bars) == ([], [])
    assert not bars[0].has_slippage
    assert change_bars(_scenario()) == []


def test_edit_problems_names_only_what_the_edit_brought_in() -> None:
    good = _scenario(_change(), _change(name="Chatbot"))
    assert edit_problems(None, good) == []
    bad_slip = replace_item(good, "changes", 0, _change(slippage=Slippage(5, 2, 6)))
    assert edit_problems(good, bad_slip) == [
        "Slippage: min_months (5) is more than mode_months (2); slippage needs "
        "min_months ≤ mode_months ≤ max_months"]
    # A duplicate name is reported at the second use, whichever item was edited.
    clash = replace_item(good, "changes", 1, _change())
    assert edit_problems(good, clash) == [
        "Name: change name 'Online forms' is given twice (also at changes[0].name); each "
        "change name must be different"]
    worse = insert_item(bad_slip, "changes", _change(name="X", realisation_pct=250))
    assert edit_problems(bad_slip, worse) == ["Realisation: must be between 0 and 200, not 250"]
    no_effect = replace_item(good, "changes", 0, _change(demand_removed_pct=0))
    assert edit_problems(good, no_effect) == [
        "Has no effect: give demand_removed_pct or productivity_gain_pct"]


def test_driver_words() -> None:
    assert driver_words("technology_and_process") == "Technology and process"
