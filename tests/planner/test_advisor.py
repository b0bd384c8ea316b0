"""Safe sequencing on a case whose answer is known by construction."""

from __future__ import annotations

import dataclasses

import pytest

from planner.advisor import advise
from planner.months import Horizon, parse_month
from planner.scenario import (
    Assumptions,
    Change,
    DeletePosts,
    NaturalWastage,
    Scenario,
    Selector,
    Targets,
)
from tests.planner.posts_factory import make_posts

START = parse_month("2027-04")
# £30,000 a year with no pay award: pay 2,500 + NI 312.50 + pension 495 a month.
MONTHLY_COST = 2_500 + 312.50 + 495.0
HOURS = 1613 / 12


def case(target_2027: float | None = None) -> Scenario:
    """Bravo (10 FTE, just coping) loses 2 FTE in May 2027. Its change removes 30 % of demand
    from October 2027 (month 6, no ramp). Before then 8 FTE for 10 FTE of work is 0.8 of
    demand: red. From October 8 FTE for 7 FTE of work is safe. So the earliest safe month
    is October 2027, by construction."""
    return Scenario(
        "advise", Horizon(START, 24), assumptions=Assumptions(pay_award_pct=0.0),
        natural_wastage=NaturalWastage(annual_turnover_pct=0.0, retirement=()),
        actions=(DeletePosts(START + 1, Selector(post_ids=("P011", "P012")), label="Cut"),),
        changes=(Change("Online", go_live=START + 6, teams=("Bravo",), demand_removed_pct=30.0,
                        ramp_months=1),),
        targets=Targets(savings_by_fy=((2027, target_2027),) if target_2027 else ()))


POSTS = make_posts([{"team": "Alpha"}] * 10 + [{"team": "Bravo"}] * 10)


def test_earliest_safe_month_savings_forgone_and_cover() -> None:
    advice, schedule = advise(POSTS, case())
    (a,) = advice
    assert a.teams == ["Bravo"] and a.planned_month == START + 1
    assert a.safe_month == START + 6
    # Waiting five months gives up five months of two posts' running cost.
    assert a.savings_forgone == pytest.approx(5 * 2 * MONTHLY_COST)
    # Holding the line from May: capacity must reach 0.85 of demand (8.5 FTE of hours) for
    # the five months before go-live; the backlog (1.5 FTE-months a month, 7.5 by
    # September) never brings the 4-week rule into play: 0.5 FTE × 5 months.
    assert a.cover_fte_months == pytest.approx(2.5)
    assert a.cover_cost == pytest.approx(2.5 * 45_000 / 12)
    assert "safe from 2027-10" in a.describe()
    assert schedule.months == {0: START + 6} and schedule.meets_targets


def test_schedule_brings_the_cut_back_when_the_target_needs_it() -> None:
    # Cut in October: 6 months of saving in 2027/28 (39,690); in May: 11 months (72,765).
    _, schedule = advise(POSTS, case(target_2027=50_000.0))
    assert schedule.months == {0: START + 1} and schedule.meets_targets
    assert "met" in schedule.message


def test_no_schedule_meets_an_impossible_target_and_the_shortfall_is_given() -> None:
    _, schedule = advise(POSTS, case(target_2027=100_000.0))
    assert not schedule.meets_targets
    assert schedule.shortfall == {"2027/28": pytest.approx(100_000 - 11 * 2 * MONTHLY_COST)}
    assert "No schedule" in schedule.message and "2027/28" in schedule.message


def test_a_cut_the_change_cannot_absorb_is_never_safe() -> None:
    sc = case()
    sc = dataclasses.replace(sc, changes=(dataclasses.replace(sc.changes[0],
                                                              demand_removed_pct=5.0),))
    (a,), _ = advise(POSTS, sc)
    assert a.safe_month is None
    assert "never safe" in a.describe()


def test_safe_month_at_a_confidence() -> None:
    (a,), _ = advise(POSTS, case(), confidence=0.9, simulations=50, seed=1)
    # Without turnover or slippage the simulation agrees with the expected value.
    assert a.safe_month_confident == START + 6
    assert "At 90% confidence: safe from 2027-10" in a.describe()


def test_the_schedule_never_brings_a_cut_forward() -> None:
    sc = case()
    late = dataclasses.replace(sc, actions=(dataclasses.replace(sc.actions[0],
                                                                month=START + 9),))
    (a,), schedule = advise(POSTS, late)
    assert a.safe_month == START + 6 and a.safe_on_plan
    assert schedule.months == {0: START + 9}


def test_a_small_lasting_shortfall_near_the_end_is_not_safe() -> None:
    """A 5 % cut the change cannot absorb is amber, not red, but its backlog passes four
    weeks after about 17 months: cut in the horizon's last year it would look safe
    without the two-year check past the end."""
    sc = dataclasses.replace(case(), changes=(), actions=(
        DeletePosts(START + 1, Selector(post_ids=("P011",)), max_fte=None, label="Cut"),))
    posts = make_posts([{"team": "Alpha"}] * 10 + [{"team": "Bravo"}] * 20)
    (a,), _ = advise(posts, sc)
    assert a.safe_month is None


def test_delete_on_vacancy_freezes_are_advised_on_too() -> None:
    from planner.scenario import VacancyFreeze

    sc = dataclasses.replace(case(), natural_wastage=NaturalWastage(
        annual_turnover_pct=20.0, retirement=()), actions=(VacancyFreeze(
            START + 1, Selector(fields=(("team", ("Bravo",)),)), delete_on_vacancy=True,
            delete_until_fte=2.0, label="Freeze Bravo"),))
    advice, _ = advise(POSTS, sc)
    assert [a.label for a in advice] == ["Freeze Bravo"] and advice[0].teams == ["Bravo"]
