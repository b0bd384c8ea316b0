"""Actions in plain words, month shifts, cut-before-live warnings and edit checks."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest

from planner.action_text import (
    KINDS,
    action_amount,
    amount_value,
    column_choices,
    cut_warnings,
    describe_action,
    new_action,
    scenario_problem,
    selection_summary,
    shift_action,
    shift_actions,
    usual_grade,
)
from planner.months import Horizon, month_number
from planner.scenario import (
    CreatePosts,
    DeletePosts,
    ReduceFTE,
    RiskThresholds,
    Scenario,
    Selector,
    Targets,
    TemporaryCover,
    VacancyFreeze,
)
from planner.service import CutBeforeLive
from tests.planner.posts_factory import make_posts

APR27 = month_number(2027, 4)
H = Horizon(APR27, 60)
CC = Selector(fields=(("team", ("Contact Centre",)),))


def test_describe_each_kind() -> None:
    oct27 = month_number(2027, 10)
    assert describe_action(DeletePosts(oct27, CC, max_fte=20.0)) == \
        "Oct 2027 · Delete posts · team Contact Centre · up to 20 FTE"
    assert action_amount(DeletePosts(oct27, CC)) == "all matching posts"
    assert action_amount(ReduceFTE(oct27, CC, by_pct=12.5)) == "by 12.5 %"
    assert action_amount(ReduceFTE(oct27, CC, to_fte=0.8)) == "to 0.8 FTE a post"
    create = CreatePosts(oct27, team="Benefits", count=10, grade="Grade 5",
                         post_title="Case Officer")
    assert describe_action(create) == \
        "Oct 2027 · Create posts · Case Officer (Grade 5) in team Benefits · 10 × 1 FTE"
    freeze = VacancyFreeze(APR27, CC, until=month_number(2029, 4), delete_on_vacancy=True,
                           delete_until_fte=6.3)
    assert action_amount(freeze) == "delete vacancies up to 6.3 FTE until Apr 2029"
    assert action_amount(VacancyFreeze(APR27, CC)) == "leavers not replaced"
    cover = TemporaryCover(APR27, team="Revenues", fte=3.0, months=1, annual_cost_per_fte=4.5e4)
    assert describe_action(cover) == \
        "Apr 2027 · Temporary cover · team Revenues · 3 FTE for 1 month at £45,000 a year"
    vacant = Selector(fields=(("grade", ("Grade 5",)), ("team", ("Revenues", "Benefits"))),
                      status="vacant")
    assert describe_action(DeletePosts(APR27, vacant)).split(" · ")[2] == \
        "grade Grade 5; team Revenues or Benefits; vacant posts"


def test_amount_values_sort_numbers() -> None:
    assert amount_value(DeletePosts(APR27, CC, max_fte=6.3)) == 6.3
    assert math.isinf(amount_value(DeletePosts(APR27, CC)))
    assert amount_value(CreatePosts(APR27, team="B", count=4, fte=0.5)) == 2.0
    assert amount_value(ReduceFTE(APR27, CC, by_pct=10)) == 10


def test_shift_keeps_actions_inside_the_horizon() -> None:
    first = DeletePosts(APR27, CC, max_fte=1.0)
    assert shift_action(first, -1, H) is None
    assert shift_action(first, 1, H) == replace(first, month=APR27 + 1)
    last = replace(first, month=H.end - 1)
    assert shift_action(last, 1, H) is None
    freeze = VacancyFreeze(APR27, CC, until=H.end)
    assert shift_action(freeze, 1, H) is None  # its end would pass the horizon end
    assert shift_action(freeze, -0, H) == freeze
    moved = shift_action(replace(freeze, until=APR27 + 6), 2, H)
    assert moved is not None and (moved.month, moved.until) == (APR27 + 2, APR27 + 8)
    cover = TemporaryCover(H.end - 6, team="T", fte=1.0, months=6)
    assert shift_action(cover, 1, H) is None
    assert shift_actions((first, last), [0, 1], 1, H) is None
    assert shift_actions((first, last), [0], 3, H) == (replace(first, month=APR27 + 3), last)


def test_cut_warnings_name_the_worst_change() -> None:
    def flag(action: int, change: str, team: str, month: int, full: int) -> CutBeforeLive:
        return CutBeforeLive(action=action, label="", team=team, month=month, fte_removed=5.0,
                             change=change, full_effect_month=full)

    sep28 = month_number(2028, 9)
    flags = [flag(0, "Channel shift", "Contact Centre", APR27 + 1, sep28),
             flag(0, "Webchat", "Contact Centre", APR27 + 1, APR27 + 5),
             flag(2, "New system", "Revenues", sep28 - 1, sep28)]
    warnings = cut_warnings(flags)
    assert warnings == {
        0: "16 months early: Channel shift is at full effect from Sep 2028 and 1 more",
        2: "1 month early: New system is at full effect from Sep 2028",
    }


def _posts() -> pd.DataFrame:
    return make_posts([
        {"team": "Revenues", "grade": "Grade 10", "fte": 1.0},
        {"team": "Revenues", "grade": "Grade 2", "fte": 0.5, "status": "vacant"},
        {"team": "Benefits", "grade": "Grade 2", "fte": 0.81},
        {"team": None, "grade": "SM1", "fte": 1.0},
    ])


def test_column_choices_and_selection_summary() -> None:
    posts = _posts()
    assert column_choices(posts, "grade") == ["Grade 2", "Grade 10", "SM1"]
    assert column_choices(posts, "team") == ["Benefits", "Revenues"]
    assert column_choices(posts, "skills") == []
    count, fte = selection_summary(Selector(fields=(("grade", ("grade 2",)),)), posts)
    assert (count, fte) == (2, pytest.approx(0.5 + 0.81))
    assert selection_summary(Selector(status="filled"), posts) == (3, pytest.approx(2.81))
    assert usual_grade(posts, "revenues ") == "Grade 2"  # a tie: natural order decides
    assert usual_grade(posts, "Benefits") == "Grade 2"
    assert usual_grade(posts, "Nowhere") is None


def test_new_actions_are_valid_scenario_items() -> None:
    for kind in KINDS:
        action = new_action(kind, APR27 + 3, "Revenues", usual_grade(_posts(), "Revenues"))
        assert action.kind == kind and action.month == APR27 + 3
        scenario = Scenario("S", H, actions=(action,))
        assert scenario_problem(scenario, _posts()) is None, kind
    with pytest.raises(ValueError, match="unknown action kind"):
        new_action("sack_everyone", APR27)


def test_scenario_problem_explains_and_ignores_old_problems() -> None:
    ok = Scenario("S", H)
    assert scenario_problem(ok) is None
    bad = replace(ok, targets=Targets(risk=RiskThresholds(amber_ratio=0.9, red_ratio=0.95)))
    problem = scenario_problem(bad)
    assert problem is not None and "red_ratio" in problem and "amber_ratio" in problem
    late = replace(ok, actions=(DeletePosts(H.end, CC, max_fte=1.0),))
    assert "outside the horizon" in (scenario_problem(late) or "")
    unknown = replace(ok, actions=(DeletePosts(APR27, Selector(fields=(("team", ("Nope",)),)),
                                               max_fte=1.0),))
    assert "Nope" in (scenario_problem(unknown, _posts()) or "")
    # an edit of something else is not blamed for a problem that was already there
    edited = replace(unknown, description="changed")
    assert scenario_problem(edited, _posts(), before=unknown) is None
