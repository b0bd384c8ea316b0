"""Multi-skilled pool allocation: hand-solved cases, invariants, and the monthly driver.

Disciplines are A = 0, B = 1 (and C = 2) throughout; weights are 1 unless stated; the
default efficiency 0.9 applies to every hour of anyone who can work two or more
disciplines.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import planner.pools as pools
from planner.errors import PlannerError
from planner.pools import allocate_pool, allocate_pool_months, class_count

TOL = 1e-6

# Person 0: home A, can also work B, 150 h, at 0.9 → 135 effective hours in all.
# Person 1: home B only, 20 h at 1.0. Demand A = B = 100.
SHORT: dict[str, Any] = {"capacity": [150.0, 20.0], "skills": [[True, True], [False, True]],
         "home": [0, 1], "demand": [100.0, 100.0]}


def test_equal_weights_keep_the_multi_skilled_person_at_home() -> None:
    # 155 effective hours against 200 of demand: any split of person 0 serves 155 in all,
    # so the home tie-break decides. A needs 100 / 0.9 = 111.1 h; the other 38.9 h go to B
    # → B = 20 + 38.9 × 0.9 = 55. Unmet: A 0, B 45.
    res = allocate_pool(**SHORT, per_person=True)
    assert res.served == pytest.approx([100.0, 55.0])
    assert res.unmet == pytest.approx([0.0, 45.0], abs=TOL)
    assert res.hours is not None
    assert res.hours == pytest.approx(np.array([[1000 / 9, 350 / 9], [0.0, 20.0]]))
    # Single-skill comparison (home only, efficiency 1): A min(100, 150) = 100,
    # B min(100, 20) = 20 → unmet A 0, B 80.
    assert res.single_skill_served == pytest.approx([100.0, 20.0])
    assert res.single_skill_unmet == pytest.approx([0.0, 80.0])


def test_weights_decide_who_is_served_when_short() -> None:
    # B weighted 2: an hour on B is worth 1.8 against 0.9 on A, so B is filled first.
    # B needs 80 more effective hours → 80 / 0.9 = 88.9 h; the other 61.1 h go to A
    # → A = 61.1 × 0.9 = 55.0, B = 100; unmet A 45.
    res = allocate_pool(**SHORT, weights=[1.0, 2.0], per_person=True)
    assert res.served == pytest.approx([55.0, 100.0])
    assert res.unmet == pytest.approx([45.0, 0.0], abs=TOL)
    assert res.hours is not None
    assert res.hours == pytest.approx(np.array([[550 / 9, 800 / 9], [0.0, 20.0]]))
    # The same person is not counted in full towards both: 150 h in all, 135 effective.
    assert res.hours[0].sum() == pytest.approx(150.0)
    assert res.served.sum() - 20.0 == pytest.approx(150.0 * 0.9)


def test_demand_far_beyond_the_pool_does_not_upset_the_solver() -> None:
    # Only 155 effective hours exist; a huge B demand must not swamp the scaling.
    res = allocate_pool(**{**SHORT, "demand": [100.0, 1e12]}, per_person=True)
    assert res.served == pytest.approx([100.0, 55.0])
    assert res.hours is not None
    assert res.hours.sum(axis=1) == pytest.approx([150.0, 20.0])


def test_home_tie_break_is_stable() -> None:
    # Two people who can both work A and B, 50 h each (45 effective), demand 45 each:
    # either could do either, but each stays at home.
    res = allocate_pool([50.0, 50.0], [[1, 1], [1, 1]], [1, 0], [45.0, 45.0],
                        per_person=True)
    assert res.served == pytest.approx([45.0, 45.0])
    assert res.hours == pytest.approx(np.array([[0.0, 50.0], [50.0, 0.0]]))


def test_efficiency_one_against_point_nine() -> None:
    # One person, home A, skills {A, B}, 100 h; demand A = B = 60.
    # e = 1: 100 effective → A 60 (home first), B 40.
    # e = 0.9: 90 effective → A 60 (66.7 h), B 30 (33.3 h).
    args: dict[str, Any] = {"capacity": [100.0], "skills": [[1, 1]], "home": [0],
                            "demand": [60.0, 60.0], "per_person": True}
    one = allocate_pool(**args, efficiency=1.0)
    assert one.served == pytest.approx([60.0, 40.0])
    point9 = allocate_pool(**args)
    assert point9.served == pytest.approx([60.0, 30.0])
    assert point9.hours == pytest.approx(np.array([[200 / 3, 100 / 3]]))


def test_efficiency_applies_to_all_hours_of_a_multi_skilled_person() -> None:
    # Demand only at home: the multi-skilled person still works at 0.9 (100 h → 90),
    # while the single-skill comparison counts them at 1.0 (100).
    res = allocate_pool([100.0], [[1, 1]], [0], [120.0, 0.0])
    assert res.served == pytest.approx([90.0, 0.0])
    assert res.single_skill_served == pytest.approx([100.0, 0.0])


def test_a_person_with_no_capacity_changes_nothing() -> None:
    base = allocate_pool(**SHORT)
    more = allocate_pool([150.0, 20.0, 0.0], [[1, 1], [0, 1], [1, 1]], [0, 1, 1],
                         [100.0, 100.0], per_person=True)
    assert more.served == pytest.approx(base.served)
    assert more.hours is not None
    assert more.hours[2] == pytest.approx([0.0, 0.0])


def test_zero_demand_serves_nothing() -> None:
    res = allocate_pool(**{**SHORT, "demand": [0.0, 0.0]}, per_person=True)
    assert res.served == pytest.approx([0.0, 0.0])
    assert res.unmet == pytest.approx([0.0, 0.0])
    assert res.hours == pytest.approx(np.zeros((2, 2)))
    assert res.single_skill_unmet == pytest.approx([0.0, 0.0])


def test_no_home_discipline() -> None:
    # Person 0: no home, skills {B} only → single-skilled, efficiency 1, 40 h on B.
    # Person 1: no home, no skills → works nothing. Demand B = 50 → served 40.
    # Single-skill comparison counts only home staff: nobody → 0 served.
    res = allocate_pool([40.0, 30.0], [[0, 1], [0, 0]], [-1, -1], [0.0, 50.0],
                        per_person=True)
    assert res.served == pytest.approx([0.0, 40.0])
    assert res.hours == pytest.approx(np.array([[0.0, 40.0], [0.0, 0.0]]))
    assert res.single_skill_served == pytest.approx([0.0, 0.0])
    assert res.single_skill_unmet == pytest.approx([0.0, 50.0])


def test_identical_people_split_pro_rata() -> None:
    # Same skills and home → one class of 150 h at 0.9: A's 90 effective hours take
    # 100 h, the other 50 h serve 45 on B. Each person's share is in the ratio 100 : 50:
    # person 0 works 66.7 h on A and 33.3 h on B, person 1 33.3 h and 16.7 h.
    res = allocate_pool([100.0, 50.0], [[1, 1], [1, 1]], [0, 0], [90.0, 100.0],
                        per_person=True)
    assert class_count([[1, 1], [1, 1]], [0, 0]) == 1
    assert res.served == pytest.approx([90.0, 45.0])
    assert res.hours == pytest.approx(np.array([[200 / 3, 100 / 3], [100 / 3, 50 / 3]]))


def test_class_count_groups_by_skills_and_home() -> None:
    # {A,B} home A twice → 1; {A,B} home B → 2; {B} home B = same as skills {} home B → 3;
    # nobody-home no-skills is left out.
    skills = [[1, 1], [1, 1], [1, 1], [0, 1], [0, 0], [0, 0]]
    assert class_count(skills, [0, 0, 1, 1, 1, -1]) == 3


def test_to_frame() -> None:
    frame = allocate_pool(**SHORT, weights=[1.0, 2.0]).to_frame(["Revenues", "Benefits"])
    assert list(frame.columns) == ["discipline", "demand_hours", "served_hours",
                                   "unmet_hours", "single_skill_unmet_hours", "weight"]
    assert frame["served_hours"].to_list() == pytest.approx([55.0, 100.0])
    assert frame["single_skill_unmet_hours"].to_list() == pytest.approx([0.0, 80.0])
    assert frame["weight"].to_list() == [1.0, 2.0]
    with pytest.raises(PlannerError, match="2 disciplines"):
        allocate_pool(**SHORT).to_frame(["only one"])


@pytest.mark.parametrize(("change", "message"), [
    ({"capacity": [150.0, -1.0]}, "not negative"),
    ({"capacity": [150.0]}, "shape"),
    ({"demand": [100.0, float("nan")]}, "finite"),
    ({"home": [0, 2]}, "home discipline"),
    ({"home": [0, -2]}, "home discipline"),
    ({"home": [0]}, "Home disciplines"),
    ({"home": [0, 0.5]}, "whole numbers"),
    ({"home": ["A", "B"]}, "numbers"),
    ({"demand": ["lots", 1]}, "Demand must be numbers"),
    ({"skills": [True, False]}, "table"),
    ({"weights": [1.0, 0.0]}, "Weights"),
    ({"efficiency": 0.0}, "efficiency"),
    ({"efficiency": 1.5}, "efficiency"),
])
def test_bad_input_is_a_planner_error(change: dict[str, Any], message: str) -> None:
    with pytest.raises(PlannerError, match=message):
        allocate_pool(**{**SHORT, **change})


def test_months_input_is_checked() -> None:
    with pytest.raises(PlannerError, match="shape"):
        allocate_pool_months(np.ones((3, 2)), SHORT["skills"], SHORT["home"], np.ones((4, 2)))
    with pytest.raises(PlannerError, match="shape"):
        allocate_pool_months(np.ones((3, 2)), SHORT["skills"], SHORT["home"], np.ones(2))


def test_solver_failure_is_a_planner_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(*_args: Any, **_kwargs: Any) -> SimpleNamespace:
        return SimpleNamespace(status=4, x=None, message="numerical difficulties")

    monkeypatch.setattr(pools, "linprog", failing)
    with pytest.raises(PlannerError, match="could not be solved"):
        allocate_pool(**SHORT)


def test_months_skip_trivial_months_and_agree_with_single_month() -> None:
    # Month 0: the hand case. Month 1: no demand. Month 2: home staff cover everything
    # (A 50 ≤ 135, B 10 ≤ 20) → skipped, served = demand. Month 3: nobody has hours.
    cap = np.array([[150.0, 20.0], [150.0, 20.0], [150.0, 20.0], [0.0, 0.0]])
    demand = np.array([[100.0, 100.0], [0.0, 0.0], [50.0, 10.0], [30.0, 5.0]])
    served, unmet = allocate_pool_months(cap, SHORT["skills"], SHORT["home"], demand,
                                         weights=[1.0, 2.0])
    assert served == pytest.approx(np.array([[55.0, 100.0], [0, 0], [50.0, 10.0], [0, 0]]))
    assert unmet == pytest.approx(np.array([[45.0, 0], [0, 0], [0, 0], [30.0, 5.0]]),
                                  abs=TOL)


def _random_pool(draw: st.DrawFn, n_months: int = 1) -> dict[str, Any]:
    n_people = draw(st.integers(1, 6))
    n_disc = draw(st.integers(1, 4))
    hours = st.floats(0.0, 200.0, allow_nan=False)
    rows = st.lists(st.lists(st.booleans(), min_size=n_disc, max_size=n_disc),
                    min_size=n_people, max_size=n_people)
    return {
        "capacity": np.array(draw(st.lists(st.lists(hours, min_size=n_people,
                                                    max_size=n_people),
                                           min_size=n_months, max_size=n_months))),
        "skills": np.array(draw(rows), dtype=bool).reshape(n_people, n_disc),
        "home": np.array(draw(st.lists(st.integers(-1, n_disc - 1), min_size=n_people,
                                       max_size=n_people))),
        "demand": np.array(draw(st.lists(st.lists(st.floats(0.0, 300.0), min_size=n_disc,
                                                  max_size=n_disc),
                                         min_size=n_months, max_size=n_months))),
        "weights": np.array(draw(st.lists(st.floats(0.1, 10.0), min_size=n_disc,
                                          max_size=n_disc))),
    }


@st.composite
def one_month(draw: st.DrawFn) -> dict[str, Any]:
    pool = _random_pool(draw)
    return {**pool, "capacity": pool["capacity"][0], "demand": pool["demand"][0],
            "efficiency": draw(st.sampled_from([1.0, 0.9, 0.5]))}


@st.composite
def many_months(draw: st.DrawFn) -> dict[str, Any]:
    return _random_pool(draw, n_months=draw(st.integers(1, 5)))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(one_month())
def test_allocation_invariants(pool: dict[str, Any]) -> None:
    res = allocate_pool(**pool, per_person=True)
    cap, q, w = pool["capacity"], pool["demand"], pool["weights"]
    assert res.hours is not None
    assert np.all(res.hours >= 0)
    assert np.all(res.hours.sum(axis=1) <= cap + TOL)
    home = pool["home"]
    allowed = pool["skills"].copy()
    allowed[np.flatnonzero(home >= 0), home[home >= 0]] = True
    assert np.all(res.hours[~allowed] == 0)
    assert np.all(res.served <= q) and np.all(res.unmet >= 0)
    assert res.served + res.unmet == pytest.approx(q)
    eff = np.where(allowed.sum(axis=1) > 1, pool["efficiency"], 1.0)
    assert res.served == pytest.approx(np.minimum((eff[:, None] * res.hours).sum(0), q),
                                       abs=TOL)
    if pool["efficiency"] == 1.0:  # the home-only arrangement is feasible: never worse
        slack = 1e-5 * float(w @ q) + TOL
        assert w @ res.served >= w @ res.single_skill_served - slack


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(many_months())
def test_months_equal_month_by_month(pool: dict[str, Any]) -> None:
    served, unmet = allocate_pool_months(**pool)
    for t in range(len(pool["demand"])):
        one = allocate_pool(pool["capacity"][t], pool["skills"], pool["home"],
                            pool["demand"][t], pool["weights"])
        assert served[t] == pytest.approx(one.served, abs=TOL)
        assert unmet[t] == pytest.approx(one.unmet, abs=TOL)
