"""Engine invariants (hypothesis) and agreement with the per-post reference loop."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.reference_engine import reference_project
from planner.engine import project
from planner.engine_inputs import prepare
from planner.months import Horizon, parse_month
from planner.runner import run_scenario
from planner.scenario import (
    CreatePosts,
    DeletePosts,
    NaturalWastage,
    ReduceFTE,
    RetirementBand,
    Scenario,
    Selector,
    VacancyFreeze,
)
from tests.planner.posts_factory import make_posts

START = parse_month("2027-04")
TEAMS = ("A", "B", "C")
GRADES = ("Grade 3", "Grade 5", "Grade 7")

post = st.fixed_dictionaries({
    "team": st.sampled_from(TEAMS),
    "grade": st.sampled_from(GRADES),
    "fte": st.sampled_from([0.2, 0.5, 0.81, 1.0]),
    "annual_salary": st.floats(12_000, 90_000),
    "status": st.sampled_from(["filled", "filled", "vacant"]),
    "age": st.one_of(st.none(), st.integers(18, 68)),
    "years_service": st.one_of(st.none(), st.integers(0, 40)),
})


def selector(draw: Any) -> Selector:
    kind = draw(st.sampled_from(["team", "grade", "both", "all"]))
    fields: list[tuple[str, tuple[str, ...]]] = []
    if kind in ("team", "both"):
        fields.append(("team", (draw(st.sampled_from(TEAMS)),)))
    if kind in ("grade", "both"):
        fields.append(("grade", (draw(st.sampled_from(GRADES)),)))
    return Selector(fields=tuple(sorted(fields)))


@st.composite
def action(draw: Any, months: int) -> Any:
    month = START + draw(st.integers(0, months - 1))
    kind = draw(st.sampled_from(["delete", "reduce", "freeze", "create"]))
    if kind == "delete":
        return DeletePosts(month, selector(draw),
                           max_fte=draw(st.one_of(st.none(), st.floats(0.5, 5))))
    if kind == "reduce":
        if draw(st.booleans()):
            return ReduceFTE(month, selector(draw), by_pct=draw(st.floats(0, 60)))
        return ReduceFTE(month, selector(draw), to_fte=draw(st.floats(0.1, 1.0)))
    if kind == "freeze":
        until = draw(st.one_of(st.none(), st.integers(month - START + 1, months)))
        until_month = None if until is None or until >= months else START + until
        delete = draw(st.booleans())
        return VacancyFreeze(month, selector(draw), until=until_month, delete_on_vacancy=delete,
                             delete_until_fte=draw(st.one_of(st.none(), st.floats(0.1, 4)))
                             if delete else None)
    return CreatePosts(month, draw(st.sampled_from(TEAMS)), count=draw(st.integers(1, 3)),
                       fte=draw(st.sampled_from([0.5, 1.0])),
                       annual_salary=draw(st.floats(15_000, 60_000)))


@st.composite
def case(draw: Any) -> tuple[pd.DataFrame, Scenario]:
    rows = draw(st.lists(post, min_size=1, max_size=25))
    months = draw(st.integers(12, 30))
    wastage = NaturalWastage(
        annual_turnover_pct=draw(st.floats(0, 40)),
        backfill_lag_months=draw(st.integers(0, 4)),
        retirement=draw(st.sampled_from([(), (RetirementBand(60, 64, 10.0),
                                                RetirementBand(65, None, 40.0))])),
    )
    actions = draw(st.lists(action(months), max_size=5))
    sc = Scenario("p", Horizon(START, months), natural_wastage=wastage, actions=tuple(actions))
    return make_posts(rows), sc


FAST = settings(max_examples=40, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(case())
def test_engine_matches_the_per_post_reference(data: tuple[pd.DataFrame, Scenario]) -> None:
    posts, sc = data
    prep = prepare(posts, sc)
    run = project(prep)
    occ, est = reference_project(prep)
    np.testing.assert_allclose(run.occ, occ, atol=1e-9)
    np.testing.assert_allclose(run.est, est, atol=1e-9)


@FAST
@given(case())
def test_invariants(data: tuple[pd.DataFrame, Scenario]) -> None:
    posts, sc = data
    r = run_scenario(posts, sc, check=False)
    run = r.run
    # No negative FTE; never more in post than the establishment.
    assert (run.occ >= -1e-9).all() and (run.est >= -1e-9).all()
    assert (run.occ <= run.est + 1e-9).all()
    # The bridges add up exactly to the end position.
    steps = [v for _, v in r.bridge()]
    assert sum(steps[:-1]) == pytest.approx(steps[-1], abs=1e-6)
    est_steps = [v for _, v in r.establishment_bridge()]
    assert sum(est_steps[:-1]) == pytest.approx(est_steps[-1], abs=1e-6)
    # No negative cost line.
    for lines in (r.costs.lines, r.one_off.lines):
        for name, values in lines.items():
            assert (values >= -1e-6).all(), name
    assert (r.one_off.leavers["expected_cost"] >= 0).all()


@FAST
@given(case())
def test_no_actions_means_no_savings(data: tuple[pd.DataFrame, Scenario]) -> None:
    posts, sc = data
    r = run_scenario(posts, sc.baseline(), check=False)
    m = r.monthly()
    assert (m["saving"].abs() < 1e-6).all()
    assert (m["one_off_total"] == 0).all()
    np.testing.assert_allclose(r.run.occ, r.baseline.occ)


@FAST
@given(case())
def test_a_freeze_never_increases_fte(data: tuple[pd.DataFrame, Scenario]) -> None:
    """While freezes are in force, FTE in post and running costs never exceed the baseline.

    (After a freeze *ends*, the held vacancies are recruited in one lump that has
    had fewer months of turnover than the baseline's staggered recruits, so a month
    or two can sit fractionally above the baseline; that is the model working.)
    """
    posts, sc = data
    freezes = tuple(replace(a, until=None) for a in sc.actions if isinstance(a, VacancyFreeze))
    frozen = Scenario("f", sc.horizon, natural_wastage=sc.natural_wastage, actions=freezes)
    r = run_scenario(posts, frozen, check=False)
    assert (r.run.occ.sum(1) <= r.baseline.occ.sum(1) + 1e-9).all()
    assert (r.monthly()["saving"] >= -1e-6).all()
