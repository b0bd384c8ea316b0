"""Redeployment matching: feasibility rules, count-first optimality, reasons, pay protection.

Most cases are tiny hand-built tables with the expected answer reasoned in comments.
Grades used throughout (by median salary): G1 £20k → rank 0, G2 £25k → 1, G3 £30k → 2,
G4 £35k → 3.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

import planner.redeployment as rd
from planner.redeployment import (
    MATCH_COLUMNS,
    NO_GRADE,
    NO_SKILLS,
    NOT_OPEN,
    SWITCHED_OFF,
    TAKEN,
    grade_medians,
    grade_ranks,
    match_redeployment,
    pay_protection_monthly,
    protection_factor,
    rank_of,
    ranks_for,
    retraining_productivity,
)
from planner.scenario import RedeploymentPolicy

SALARY = {"G1": 20_000.0, "G2": 25_000.0, "G3": 30_000.0, "G4": 35_000.0}
RANKS = {"G1": 0, "G2": 1, "G3": 2, "G4": 3}


def person(key: int, grade: str | None = "G3", **kw: Any) -> dict[str, Any]:
    row = {"person": key, "post_id": f"OLD{key}", "team": "T1", "directorate": "D1",
           "service": "S1", "grade": grade, "annual_salary": SALARY.get(grade or "", np.nan),
           "fte": 1.0, "skills": None, "month": 10}
    return {**row, **kw}


def slot(key: int, grade: str = "G3", **kw: Any) -> dict[str, Any]:
    row = {"slot": key, "post_id": f"NEW{key}", "team": "T1", "directorate": "D1",
           "service": "S1", "grade": grade, "annual_salary": SALARY.get(grade, np.nan),
           "fte": 1.0, "skills": None, "open_month": 5, "source": "new post"}
    return {**row, **kw}


def run(people: list[dict[str, Any]], slots: list[dict[str, Any]],
        policy: RedeploymentPolicy | None = None) -> rd.RedeploymentResult:
    return match_redeployment(pd.DataFrame(people), pd.DataFrame(slots),
                              policy or RedeploymentPolicy(), RANKS, SALARY)


def pairs(result: rd.RedeploymentResult) -> set[tuple[int, int]]:
    m = result.matches
    return set(zip(m["person"].tolist(), m["slot"].tolist(), strict=True))


def reasons(result: rd.RedeploymentResult) -> dict[int, str]:
    u = result.unmatched
    return dict(zip(u["person"].tolist(), u["reason"].tolist(), strict=True))


# --- grade ranks -------------------------------------------------------------------------

def test_grades_ranked_by_median_salary_not_by_name() -> None:
    posts = pd.DataFrame({
        "grade": ["SM1", "Grade 3", "Grade 3", "Grade 3", "PO2", None, "Band 5", " PO2 "],
        "annual_salary": [50_000, 25_000, 26_000, 90_000, 35_000, 99_000, np.nan, 36_000],
    })
    # Grade 3: median of 25k, 26k, 90k = 26k (the outlier does not move it); PO2 (35k, 36k
    # after trimming) = 35.5k; SM1 50k. The missing grade and Band 5 (no salary) are ignored.
    assert grade_medians(posts) == {"Grade 3": 26_000.0, "PO2": 35_500.0, "SM1": 50_000.0}
    assert grade_ranks(posts) == {"Grade 3": 0, "PO2": 1, "SM1": 2}


def test_equal_medians_are_ordered_by_grade_text() -> None:
    posts = pd.DataFrame({"grade": ["B", "A", "C"], "annual_salary": [30_000, 30_000, 10_000]})
    assert grade_ranks(posts) == {"C": 0, "A": 1, "B": 2}


def test_unknown_grade_takes_the_rank_of_the_nearest_median_salary() -> None:
    assert rank_of("G3", 99_999.0, RANKS, SALARY) == 2  # a known grade wins over salary
    assert rank_of(" g3 ", None, RANKS, SALARY) == 2  # trimmed, any case
    assert rank_of(None, 34_000.0, RANKS, SALARY) == 3  # nearest to G4's £35k
    assert rank_of("Unknown grade", 21_000.0, RANKS, SALARY) == 0  # nearest to G1's £20k
    assert rank_of("Unknown grade", 22_500.0, RANKS, SALARY) == 0  # halfway: the lower grade
    assert rank_of(None, None, RANKS, SALARY) is None
    got = ranks_for(pd.Series(["G2", None, "X"]), pd.Series([1.0, 31_000, np.nan]),
                    RANKS, SALARY)
    np.testing.assert_array_equal(got, [1.0, 2.0, np.nan])


# --- feasibility ---------------------------------------------------------------------------

@pytest.mark.parametrize(("slot_grade", "grades_up", "matched"), [
    ("G3", 0, True),  # same grade
    ("G2", 0, True),  # one down: allowed by default
    ("G1", 0, False),  # two down: outside the tolerance
    ("G4", 0, False),  # one up: not allowed by default
    ("G4", 1, True),  # one up once grades_up=1
])
def test_grade_tolerance(slot_grade: str, grades_up: int, matched: bool) -> None:
    result = run([person(1, "G3")], [slot(1, slot_grade)],
                 RedeploymentPolicy(grades_up=grades_up))
    assert (len(result.matches) == 1) is matched
    if not matched:
        assert reasons(result) == {1: NO_GRADE}


@pytest.mark.parametrize(("where", "scope", "matched"), [
    # slot in another team of the same service (T2, S1, D1)
    ({"team": "T2"}, "council", True),
    ({"team": "T2"}, "directorate", True),
    ({"team": "T2"}, "service", True),
    ({"team": "T2"}, "team", False),
    # slot in another service of the same directorate (T3, S2, D1)
    ({"team": "T3", "service": "S2"}, "directorate", True),
    ({"team": "T3", "service": "S2"}, "service", False),
    # slot in another directorate altogether
    ({"team": "T9", "service": "S9", "directorate": "D9"}, "council", True),
    ({"team": "T9", "service": "S9", "directorate": "D9"}, "directorate", False),
    # the person's service is unknown: outside every fence but the council
    ({"service": None}, "service", False),
])
def test_ring_fence(where: dict[str, Any], scope: Any, matched: bool) -> None:
    result = run([person(1)], [slot(1, **where)], RedeploymentPolicy(ring_fence=scope))
    assert (len(result.matches) == 1) is matched
    if not matched:
        assert reasons(result) == {1: f"no vacancy inside the ring-fence ({scope})"}


@pytest.mark.parametrize(("slot_skills", "required", "matched"), [
    (" revenues ;IT", True, True),  # "Revenues" overlaps, whatever the case and spaces
    ("planning", True, False),  # no overlap
    (None, True, True),  # the slot asks for no skills: anyone will do
    ("planning", False, True),  # overlap not required
])
def test_skills(slot_skills: str | None, required: bool, matched: bool) -> None:
    result = run([person(1, skills="Finance; Revenues")], [slot(1, skills=slot_skills)],
                 RedeploymentPolicy(skills_overlap_required=required))
    assert (len(result.matches) == 1) is matched
    if not matched:
        assert reasons(result) == {1: NO_SKILLS}


def test_a_person_without_skills_fails_a_slot_that_requires_some() -> None:
    result = run([person(1)], [slot(1, skills="planning")],
                 RedeploymentPolicy(skills_overlap_required=True))
    assert reasons(result) == {1: NO_SKILLS}


def test_slot_must_be_open_by_the_deletion_month() -> None:
    # Both posts go in month 10. Slot 1 opens in month 10 (fine), slot 2 in 11 (too late).
    # Person 2's only suitable slot (same team, fence "team") is slot 2: the reason is its
    # timing, even though slot 1, outside the fence, was open in time.
    result = run([person(1, month=10), person(2, month=10, team="T2")],
                 [slot(1, open_month=10), slot(2, open_month=11, team="T2")],
                 RedeploymentPolicy(ring_fence="team"))
    assert pairs(result) == {(1, 1)}
    assert reasons(result) == {2: NOT_OPEN}


def test_vacancies_ignored_unless_the_policy_uses_them() -> None:
    people = [person(1), person(2)]
    slots = [slot(1, source="vacancy"), slot(2, source="new post")]
    assert len(run(people, slots).matches) == 2
    result = run(people, slots, RedeploymentPolicy(use_existing_vacancies=False))
    # Only the new post is offered; person 1 (listed first: equal costs) takes it.
    assert result.summary()["slots_offered"] == 1
    assert set(result.matches["slot"]) == {2}
    assert list(result.unmatched["reason"]) == [TAKEN]
    # With only a vacancy and vacancies not used, nothing is offered at all.
    alone = run([person(1)], [slot(1, source=" Vacancy")],
                RedeploymentPolicy(use_existing_vacancies=False))
    assert alone.matches.empty and reasons(alone) == {1: NOT_OPEN}


def test_switched_off_leaves_everyone_unmatched() -> None:
    result = run([person(1), person(2)], [slot(1), slot(2)], RedeploymentPolicy(enabled=False))
    assert result.matches.empty and list(result.matches.columns) == list(MATCH_COLUMNS)
    assert reasons(result) == {1: SWITCHED_OFF, 2: SWITCHED_OFF}
    assert result.summary() == {"displaced": 2, "redeployed": 0, "redundancies": 2,
                                "fte_redeployed": 0.0, "slots_offered": 0, "slots_used": 0}


# --- objective -----------------------------------------------------------------------------

def greedy_best_pair_first(result_cost: np.ndarray, feasible: np.ndarray) -> int:
    """How many a greedy matcher places: take the cheapest feasible pair, repeat."""
    cost = np.where(feasible, result_cost, np.inf)
    placed = 0
    while np.isfinite(cost).any():
        i, j = np.unravel_index(np.argmin(cost), cost.shape)
        cost[i, :] = cost[:, j] = np.inf
        placed += 1
    return placed


def test_count_comes_before_match_quality() -> None:
    # A (G3, team T1) fits slot X perfectly (G3, T1: cost ~0) or slot Y at a cost (G2, one
    # grade down, team T2). B (G4) can only take X: Y is two grades below B. The cheapest
    # pair is A–X, so a greedy matcher places A there and B is made redundant. The matcher
    # must instead put A in the worse slot Y so that B keeps a job in X.
    people = [person(1, "G3"), person(2, "G4", team="T2")]
    slots = [slot(10, "G3"), slot(20, "G2", team="T2")]
    result = run(people, slots)
    assert pairs(result) == {(1, 20), (2, 10)}
    problem = rd._Problem(*rd._sides(pd.DataFrame(people), pd.DataFrame(slots), RANKS,
                                     SALARY), RedeploymentPolicy())
    ip, js = np.arange(2), np.arange(2)
    cost, feasible = problem.cost(ip, js), problem.stages(ip, js)[-1]
    assert feasible.tolist() == [[True, True], [True, False]]
    assert cost[0, 0] == cost[feasible].min() < cost[0, 1]  # A–X is the cheapest pair
    # The chosen pairs cost more in total than A–X alone: the count came first.
    assert cost[0, 1] + cost[1, 0] > cost[0, 0]
    assert greedy_best_pair_first(cost, feasible) == 1


def test_prefers_same_grade_then_same_team_then_smaller_pay_drop() -> None:
    # One person, three feasible slots; only one can be used.
    down = run([person(1)], [slot(1, "G2"), slot(2, "G3", team="T2")])
    assert pairs(down) == {(1, 2)}  # a grade down costs more than a team move
    team = run([person(1)], [slot(1, team="T2"), slot(2)])
    assert pairs(team) == {(1, 2)}
    pay = run([person(1)], [slot(1, annual_salary=29_000.0), slot(2, annual_salary=29_500.0)])
    assert pairs(pay) == {(1, 2)}
    m = pay.matches.iloc[0]
    assert (m["old_salary"], m["new_salary"], m["salary_drop"]) == (30_000, 29_500, 500)
    assert m["grade_steps"] == 0 and m["month"] == 10 and m["to_post_id"] == "NEW2"


def test_taken_slots_go_to_the_closer_match() -> None:
    # One G3 slot in T1; person 1 (G3, T1) is the closer match, person 2 (G4, T2) is
    # feasible too (one grade down) but loses out.
    result = run([person(1), person(2, "G4", team="T2")], [slot(1)])
    assert pairs(result) == {(1, 1)}
    assert reasons(result) == {2: TAKEN}


def test_each_reason_is_the_most_specific_that_applies() -> None:
    # Fence: directorate; skills required. Slots (all open from month 5): 1 = G3 in D1,
    # 2 = G4 in D1, 3 = G3 in D2 (team T2) asking for IT. Filters run fence, grade,
    # skills, timing; the reason is the one that left a person with no slot.
    d2 = {"directorate": "D2", "service": "S2", "team": "T2"}
    people = [
        person(1, month=2),  # slot 1 suits (D1, G3) but opens in month 5, after 2
        person(2, "G1"),  # D1 slots are G3/G4; rank 0 accepts ranks -1..0
        person(3, directorate="D8"),  # G3 slots exist (1 and 3) but none in D8
        person(4, skills="legal", **d2),  # slot 3 is in grade and fence but wants IT
        person(5, skills="IT", **d2),  # takes slot 3 (same team)
        person(6, skills="it", **{**d2, "team": "T7"}),  # feasible for slot 3; further away
    ]
    slots = [slot(1), slot(2, "G4"), slot(3, skills="it", **d2)]
    result = run(people, slots,
                 RedeploymentPolicy(ring_fence="directorate", skills_overlap_required=True))
    assert pairs(result) == {(5, 3)}
    assert reasons(result) == {
        1: NOT_OPEN, 2: NO_GRADE, 3: "no vacancy inside the ring-fence (directorate)",
        4: NO_SKILLS, 6: TAKEN,
    }
    assert result.summary() == {"displaced": 6, "redeployed": 1, "redundancies": 5,
                                "fte_redeployed": 1.0, "slots_offered": 3, "slots_used": 1}


def test_unknown_grade_is_ranked_by_salary() -> None:
    # No grade but £34k: nearest is G4 (£35k), so a G3 slot is one grade down: allowed.
    result = run([person(1, grade=None, annual_salary=34_000.0)], [slot(1, "G3")])
    assert pairs(result) == {(1, 1)}
    assert result.matches["grade_steps"].iloc[0] == -1


def test_output_is_deterministic_whatever_the_row_order() -> None:
    displaced, slots = random_problem(120, 150, seed=3)
    policy = RedeploymentPolicy(grades_up=1)
    first = match_redeployment(displaced, slots, policy, RANKS)
    again = match_redeployment(displaced.sample(frac=1, random_state=1),
                               slots.sample(frac=1, random_state=2), policy, RANKS)
    pd.testing.assert_frame_equal(first.matches, again.matches)
    pd.testing.assert_frame_equal(first.unmatched, again.unmatched)


def test_bad_tables_are_refused_with_a_plain_message() -> None:
    with pytest.raises(ValueError, match="repeats a person key"):
        run([person(1), person(1)], [slot(1)])
    with pytest.raises(ValueError, match="no open_month column"):
        match_redeployment(pd.DataFrame([person(1)]), pd.DataFrame([slot(1)]).drop(
            columns="open_month"), RedeploymentPolicy(), RANKS)


def test_nobody_displaced() -> None:
    result = match_redeployment(pd.DataFrame([person(1)]).iloc[:0], pd.DataFrame([slot(1)]),
                                RedeploymentPolicy(), RANKS)
    assert result.summary()["displaced"] == 0 and result.unmatched.empty


# --- properties and scale -------------------------------------------------------------------

SKILLS = ("finance", "it", "housing", "planning")


def random_problem(n: int, m: int, seed: int, teams: int = 6) -> tuple[pd.DataFrame,
                                                                      pd.DataFrame]:
    """Random displaced and slot tables over grades G1–G4 (salary ± £1k), keys not 0..n."""
    rng = np.random.default_rng(seed)
    grades = list(SALARY)

    def table(k: int, key: str) -> pd.DataFrame:
        grade = rng.choice(grades, k)
        team = rng.integers(0, teams, k)
        return pd.DataFrame({
            key: rng.permutation(k) * 3 + 11, "post_id": [f"{key[0]}{i}" for i in range(k)],
            "team": [f"T{t}" for t in team], "service": [f"S{t // 2}" for t in team],
            "directorate": [f"D{t // 3}" for t in team],
            "grade": pd.Series(grade, dtype=object).where(rng.random(k) >= 0.05),
            "annual_salary": [SALARY[g] + rng.integers(-1000, 1000) for g in grade],
            "fte": rng.choice([1.0, 0.6, 0.5], k),
            "skills": [";".join(rng.choice(SKILLS, rng.integers(0, 3), replace=False)) or None
                       for _ in range(k)],
        })

    displaced = table(n, "person").assign(month=rng.integers(0, 24, n))
    slots = table(m, "slot").assign(open_month=rng.integers(0, 24, m),
                                    source=rng.choice(["vacancy", "new post"], m))
    return displaced, slots


def feasible(p: pd.Series, s: pd.Series, policy: RedeploymentPolicy) -> bool:
    """The policy's rules, pair by pair, written independently of the matcher."""
    if s["source"] == "vacancy" and not policy.use_existing_vacancies:
        return False
    if not policy.enabled or s["open_month"] > p["month"]:
        return False
    rp = rank_of(p["grade"], p["annual_salary"], RANKS, SALARY)
    rs = rank_of(s["grade"], s["annual_salary"], RANKS, SALARY)
    if rp is not None and rs is not None and not (
            rp - policy.grades_down <= rs <= rp + policy.grades_up):
        return False
    if policy.ring_fence != "council":
        here, there = p[policy.ring_fence], s[policy.ring_fence]
        if not isinstance(here, str) or here.strip().casefold() != str(there).strip().casefold():
            return False

    def skills(v: object) -> set[str]:
        return {t.strip().casefold() for t in v.split(";") if t.strip()} if isinstance(
            v, str) else set()

    needed = skills(s["skills"])
    return not (policy.skills_overlap_required and needed and not needed & skills(p["skills"]))


def feasibility(displaced: pd.DataFrame, slots: pd.DataFrame,
                policy: RedeploymentPolicy) -> np.ndarray:
    return np.array([[feasible(p, s, policy) for _, s in slots.iterrows()]
                     for _, p in displaced.iterrows()], dtype=bool).reshape(len(displaced),
                                                                            len(slots))


def most_people_placeable(feasible_pairs: np.ndarray) -> int:
    if not feasible_pairs.size:
        return 0
    matching = maximum_bipartite_matching(csr_matrix(feasible_pairs.astype(np.int8)),
                                          perm_type="column")
    return int((matching >= 0).sum())


def check_invariants(result: rd.RedeploymentResult, displaced: pd.DataFrame,
                     slots: pd.DataFrame, policy: RedeploymentPolicy) -> None:
    m = result.matches
    assert not m["person"].duplicated().any() and not m["slot"].duplicated().any()
    assert sorted([*m["person"], *result.unmatched["person"]]) == sorted(displaced["person"])
    people, places = displaced.set_index("person"), slots.set_index("slot")
    for who, where in zip(m["person"], m["slot"], strict=True):
        assert feasible(people.loc[who], places.loc[where], policy), (who, where)


policies = st.builds(
    RedeploymentPolicy,
    enabled=st.booleans(), grades_down=st.integers(0, 2), grades_up=st.integers(0, 1),
    skills_overlap_required=st.booleans(),
    ring_fence=st.sampled_from(["council", "directorate", "service", "team"]),
    use_existing_vacancies=st.booleans(),
)


@settings(max_examples=150, deadline=None)
@given(n=st.integers(0, 9), m=st.integers(0, 9), seed=st.integers(0, 10_000),
       teams=st.integers(1, 6), policy=policies)
def test_matching_properties(n: int, m: int, seed: int, teams: int,
                             policy: RedeploymentPolicy) -> None:
    displaced, slots = random_problem(n, m, seed, teams)
    displaced["month"] %= 6
    slots["open_month"] %= 6
    result = match_redeployment(displaced, slots, policy, RANKS, SALARY)
    check_invariants(result, displaced, slots, policy)
    # Count first: as many people placed as any matching of the feasible pairs could place.
    assert len(result.matches) == most_people_placeable(feasibility(displaced, slots, policy))
    assert result.unmatched["reason"].notna().all()


def test_oversized_blocks_are_split_by_grade_band(monkeypatch: pytest.MonkeyPatch) -> None:
    displaced, slots = random_problem(150, 200, seed=7, teams=2)
    policy = RedeploymentPolicy()
    exact = match_redeployment(displaced, slots, policy, RANKS, SALARY)
    monkeypatch.setattr(rd, "MAX_BLOCK", 25)
    banded = match_redeployment(displaced, slots, policy, RANKS, SALARY)
    check_invariants(banded, displaced, slots, policy)
    # Banding may cost a few placements, never many.
    assert len(banded.matches) >= 0.9 * len(exact.matches)


def test_a_large_problem_runs() -> None:
    displaced, slots = random_problem(1_500, 2_000, seed=11, teams=40)
    result = match_redeployment(displaced, slots, RedeploymentPolicy(grades_up=1), RANKS)
    assert result.summary()["displaced"] == 1_500
    assert 0 < len(result.matches) <= 1_500


# --- pay protection and retraining -----------------------------------------------------------

def test_pay_protection_factor_without_taper() -> None:
    policy = RedeploymentPolicy(pay_protection_months=12, pay_protection_taper="none")
    got = protection_factor(np.array([-1, 0, 6, 11, 12, 30]), policy)
    np.testing.assert_array_equal(got, [0, 1, 1, 1, 0, 0])


def test_pay_protection_factor_linear_taper() -> None:
    policy = RedeploymentPolicy(pay_protection_months=12, pay_protection_taper="linear")
    # (12 − m) ÷ 12: month 0 → 1, 6 → 0.5, 11 → 1/12, 12 → 0 (protection over).
    got = protection_factor(np.array([[0, 6], [11, 12]]), policy)
    np.testing.assert_allclose(got, [[1.0, 0.5], [1 / 12, 0.0]])
    none = RedeploymentPolicy(pay_protection_months=0)
    np.testing.assert_array_equal(protection_factor(np.array([0, 1]), none), [0, 0])


def test_pay_protection_monthly_amount() -> None:
    # Drops of £2,400 at 0.5 FTE → £100 a month; £0 drop → £0.
    matches = pd.DataFrame({"salary_drop": [2_400.0, 0.0], "fte": [0.5, 1.0]})
    np.testing.assert_allclose(pay_protection_monthly(matches, RedeploymentPolicy()), [100, 0])
    off = RedeploymentPolicy(pay_protection_months=0)
    np.testing.assert_array_equal(pay_protection_monthly(matches, off), [0, 0])


def test_retraining_productivity_ramp() -> None:
    policy = RedeploymentPolicy(retraining_months=3, retraining_productivity_pct=50.0)
    got = retraining_productivity(np.array([-1, 0, 1, 2, 3, 10]), policy)
    np.testing.assert_array_equal(got, [1.0, 0.5, 0.5, 0.5, 1.0, 1.0])
