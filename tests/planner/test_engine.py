"""The monthly engine against hand calculations written out in each test."""

from __future__ import annotations

import numpy as np
import pytest

from planner.engine import project
from planner.engine_inputs import monthly_hazard, prepare
from planner.months import Horizon, parse_month
from planner.scenario import (
    CreatePosts,
    DeletePosts,
    NaturalWastage,
    ReduceFTE,
    RetirementBand,
    Scenario,
    Selector,
    TurnoverRate,
    VacancyFreeze,
)
from tests.planner.posts_factory import make_posts

START = parse_month("2027-04")
NO_TURNOVER = NaturalWastage(annual_turnover_pct=0.0, backfill_lag_months=3)


def scenario(*actions: object, months: int = 12,
             wastage: NaturalWastage = NO_TURNOVER) -> Scenario:
    return Scenario("t", Horizon(START, months), natural_wastage=wastage,
                    actions=tuple(actions))  # type: ignore[arg-type]


def m(k: int) -> int:
    return START + k


def team(name: str) -> Selector:
    return Selector(fields=(("team", (name,)),))


def test_monthly_hazard_compounds_to_the_annual_rate() -> None:
    h = monthly_hazard(13.4)
    assert 1 - (1 - h) ** 12 == pytest.approx(0.134)
    assert h == pytest.approx(1 - 0.866 ** (1 / 12))


def test_no_turnover_no_actions_is_flat() -> None:
    posts = make_posts([{"fte": 1.0}, {"fte": 0.5}, {"status": "vacant", "fte": 1.0}])
    run = project(prepare(posts, scenario()))
    # The vacancy is recruited in month 0 and arrives after the 3-month lag.
    assert run.occ.sum(1)[:3] == pytest.approx([1.5] * 3)
    assert run.occ.sum(1)[3:] == pytest.approx([2.5] * 9)
    assert run.flows["hires_existing"].sum() == pytest.approx(1.0)


def test_leavers_are_backfilled_after_the_lag() -> None:
    wastage = NaturalWastage(annual_turnover_pct=13.4, backfill_lag_months=3)
    run = project(prepare(make_posts([{}]), scenario(wastage=wastage)))
    h = 1 - 0.866 ** (1 / 12)
    q = 1 - h
    # Months 0-2: only leavers. Month 3: month 0's leaver (h) is replaced, then leavers go.
    assert run.occ[:3, 0] == pytest.approx([q, q**2, q**3])
    assert run.occ[3, 0] == pytest.approx((q**3 + h) * q)
    # Month 4: month 1's recruit (h·q) arrives.
    assert run.occ[4, 0] == pytest.approx(((q**3 + h) * q + h * q) * q)


def test_freeze_loses_the_annual_turnover_in_a_year() -> None:
    wastage = NaturalWastage(annual_turnover_pct=13.4, backfill_lag_months=3)
    posts = make_posts([{}] * 10)
    run = project(prepare(posts, scenario(VacancyFreeze(m(0), team("Revenues")),
                                          wastage=wastage)))
    # Nobody is replaced: 10 FTE × (1 − 13.4 %) after twelve months.
    assert run.occ[11].sum() == pytest.approx(8.66)
    assert run.est[11].sum() == pytest.approx(10.0)  # posts kept, just vacant


def test_freeze_ends_and_recruitment_resumes() -> None:
    posts = make_posts([{"status": "vacant"}])
    run = project(prepare(posts, scenario(VacancyFreeze(m(0), team("Revenues"), until=m(4)))))
    # Frozen in months 0-3; recruitment starts in month 4 and lands in month 7.
    assert run.occ[:7, 0] == pytest.approx([0.0] * 7)
    assert run.occ[7:, 0] == pytest.approx([1.0] * 5)


def test_delete_on_vacancy_stops_at_its_limit_then_lifts() -> None:
    wastage = NaturalWastage(annual_turnover_pct=13.4, backfill_lag_months=3)
    posts = make_posts([{}] * 10 + [{"status": "vacant"}])
    action = VacancyFreeze(m(0), team("Revenues"), delete_on_vacancy=True, delete_until_fte=1.5)
    run = project(prepare(posts, scenario(action, months=24, wastage=wastage)))
    # The open vacancy (1 FTE) goes at once; leavers make up the other 0.5 FTE.
    assert run.flows["deleted_on_vacancy"][0].sum() == pytest.approx(1.0 + 10 * monthly_hazard(
        13.4))
    assert run.flows["deleted_on_vacancy"].sum() == pytest.approx(1.5)
    assert run.est[-1].sum() == pytest.approx(11 - 1.5)
    # Once the limit is reached the freeze lifts, so recruitment resumes.
    assert run.flows["hires_existing"][-6:].sum() > 0


def test_delete_displaces_holder_and_cancels_recruitment() -> None:
    posts = make_posts([{"team": "A"}, {"team": "A", "status": "vacant"}])
    sel = Selector(fields=(("team", ("A",)),))
    run = project(prepare(posts, scenario(DeletePosts(m(2), sel))))
    # Recruitment that could not land before the deletion (lag 3) is never started.
    assert run.flows["hires_existing"].sum() == 0.0
    assert run.flows["displaced"][2].sum() == pytest.approx(1.0)
    assert run.flows["deleted_posts"][2].sum() == pytest.approx(2.0)
    assert run.occ[1].sum() == pytest.approx(1.0) and run.occ[2:].sum() == 0.0
    assert list(run.deleted_at) == [2, 2]


def test_posts_are_held_only_for_the_lag_before_deletion() -> None:
    posts = make_posts([{"status": "vacant"}])
    run = project(prepare(posts, scenario(DeletePosts(m(8), team("Revenues")))))
    # Recruited in month 0, arrives in month 3, displaced in month 8.
    assert run.occ[2, 0] == 0.0 and run.occ[3, 0] == pytest.approx(1.0)
    assert run.flows["displaced"][8].sum() == pytest.approx(1.0)


def test_overlapping_freezes_both_hold() -> None:
    posts = make_posts([{"status": "vacant"}, {"status": "vacant", "team": "B"}])
    everything = VacancyFreeze(m(0), Selector())
    short = VacancyFreeze(m(0), team("Revenues"), until=m(3))
    run = project(prepare(posts, scenario(everything, short)))
    # The short freeze ending does not lift the long one that also covers the post.
    assert run.occ[-1].sum() == 0.0


def test_delete_up_to_fte_takes_vacancies_first() -> None:
    posts = make_posts([{"post_id": "B"}, {"post_id": "A"}, {"post_id": "C", "status": "vacant"},
                        {"post_id": "D", "fte": 0.5}])
    run = project(prepare(posts, scenario(DeletePosts(m(0), team("Revenues"), max_fte=2.0))))
    deleted = set(run.prep.posts["post_id"][run.deleted_at >= 0])
    # Vacant C (1.0) first, then filled in post-id order: A (1.0) → 2.0; B would exceed.
    assert deleted == {"A", "C"}


def test_reduce_fte_by_percent_and_to_fte() -> None:
    posts = make_posts([{"team": "A"}, {"team": "B", "fte": 0.8}])
    run = project(prepare(posts, scenario(
        ReduceFTE(m(2), Selector(fields=(("team", ("A",)),)), by_pct=20),
        ReduceFTE(m(2), Selector(fields=(("team", ("B",)),)), to_fte=0.5))))
    assert run.est[2] == pytest.approx([0.8, 0.5])
    assert run.occ[2] == pytest.approx([0.8, 0.5])
    assert run.flows["reduced_in_post"].sum() == pytest.approx(0.2 + 0.3)


def test_new_posts_are_recruited_after_the_lag() -> None:
    posts = make_posts([{"team": "A"}])
    run = project(prepare(posts, scenario(CreatePosts(m(2), "A", count=3, fte=0.5,
                                                      annual_salary=25_000))))
    new = run.prep.is_new
    assert new.sum() == 3
    assert run.est[1][new].sum() == 0.0 and run.est[2][new].sum() == pytest.approx(1.5)
    assert run.occ[4][new].sum() == 0.0 and run.occ[5][new].sum() == pytest.approx(1.5)
    assert run.flows["hires_new"][5].sum() == pytest.approx(1.5)


def test_turnover_overrides_later_rules_win() -> None:
    posts = make_posts([{"team": "A"}, {"team": "B"}, {"team": "B", "grade": "Grade 9"}])
    wastage = NaturalWastage(10.0, 3, overrides=(
        TurnoverRate(Selector(fields=(("team", ("B",)),)), 25.0),
        TurnoverRate(Selector(fields=(("grade", ("Grade 9",)),)), 5.0)))
    prep = prepare(posts, scenario(wastage=wastage))
    assert prep.hazard == pytest.approx(monthly_hazard(np.array([10.0, 25.0, 5.0])))


def test_retirement_applies_to_original_holders_by_age() -> None:
    posts = make_posts([{"age": 64.5}, {"age": 40}, {}])
    wastage = NaturalWastage(0.0, 3, retirement=(RetirementBand(60, 64, 50.0),))
    run = project(prepare(posts, scenario(VacancyFreeze(m(0), Selector()), wastage=wastage)))
    h = monthly_hazard(50.0)
    # The 64½-year-old is in the band for six months (64.5 → 65), then not.
    assert run.occ[5, 0] == pytest.approx((1 - h) ** 6)
    assert run.occ[11, 0] == pytest.approx((1 - h) ** 6)
    assert run.occ[11, 1] == 1.0 and run.occ[11, 2] == 1.0  # 40, and age unknown
