"""Workforce actions in plain words, and the small rules the scenario editor follows.

The editor's table and dialogs show each dated action as a month, a kind, what it
applies to and how much ("Oct 2027 · Delete posts · team Contact Centre · up to
20 FTE"). This module builds those texts, the sort values behind them, new actions
with sensible defaults, month shifts that keep an action inside its horizon, the
cut-before-live warning of each action, and the check that an edited scenario is
still valid (the same rules as loading a scenario file). No Qt here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

import pandas as pd

from planner.months import Horizon, month_label
from planner.report_text import money
from planner.scenario import (
    Action,
    CreatePosts,
    DeletePosts,
    ReduceFTE,
    Scenario,
    Selector,
    TemporaryCover,
    VacancyFreeze,
)
from planner.scenario_io import check_scenario, scenario_from_dict, scenario_to_dict
from planner.scenario_schema import ScenarioError
from planner.selectors import select_mask
from planner.service import CutBeforeLive
from planner.workforce import Workforce

#: The action kinds in the order the editor offers them.
KINDS: tuple[str, ...] = (
    "delete_posts", "reduce_fte", "vacancy_freeze", "create_posts", "temporary_cover",
)

KIND_NAMES: dict[str, str] = {
    "delete_posts": "Delete posts",
    "reduce_fte": "Reduce FTE",
    "vacancy_freeze": "Vacancy freeze",
    "create_posts": "Create posts",
    "temporary_cover": "Temporary cover",
}

KIND_HELP: dict[str, str] = {
    "delete_posts": "Delete the chosen posts in a month; their holders are displaced and "
                    "redeployed where possible, otherwise made redundant.",
    "reduce_fte": "Cut the hours of the chosen posts (agreed reductions: no redundancy cost).",
    "vacancy_freeze": "Leavers from the chosen posts are not replaced; optionally the vacated "
                      "FTE is deleted until a number of FTE has gone.",
    "create_posts": "New posts in a team, filled by redeployment first, then by recruitment.",
    "temporary_cover": "Temporary or agency staff in a team for a number of months.",
}


def number_text(value: float) -> str:
    """``20.0`` → ``"20"``, ``6.25`` → ``"6.25"``, ``1234.5`` → ``"1,234.5"``."""
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def kind_name(action: Action) -> str:
    return KIND_NAMES[action.kind]


def action_subject(action: Action) -> str:
    """What the action applies to: the selector in words, or the team (and grade) of new posts."""
    if isinstance(action, CreatePosts):
        grade = f" ({action.grade})" if action.grade else ""
        return f"{action.post_title}{grade} in team {action.team}"
    if isinstance(action, TemporaryCover):
        return f"team {action.team}"
    return action.select.describe()


def action_amount(action: Action) -> str:
    """How much: ``"up to 20 FTE"``, ``"by 10 %"``, ``"10 × 1 FTE"``, ``"3 FTE for 6 months"``,
    ``"delete vacancies up to 20 FTE"`` (a freeze)."""
    if isinstance(action, DeletePosts):
        return (f"up to {number_text(action.max_fte)} FTE" if action.max_fte is not None
                else "all matching posts")
    if isinstance(action, ReduceFTE):
        if action.by_pct is not None:
            return f"by {number_text(action.by_pct)} %"
        return f"to {number_text(action.to_fte or 0.0)} FTE a post"
    if isinstance(action, CreatePosts):
        salary = f" at {money(action.annual_salary)}" if action.annual_salary else ""
        return f"{action.count:,} × {number_text(action.fte)} FTE{salary}"
    if isinstance(action, VacancyFreeze):
        until = f" until {month_label(action.until)}" if action.until is not None else ""
        if not action.delete_on_vacancy:
            return f"leavers not replaced{until}"
        limit = (f" up to {number_text(action.delete_until_fte)} FTE"
                 if action.delete_until_fte is not None else "")
        return f"delete vacancies{limit}{until}"
    cost = (f" at {money(action.annual_cost_per_fte)} a year"
            if action.annual_cost_per_fte is not None else "")
    months = "month" if action.months == 1 else "months"
    return f"{number_text(action.fte)} FTE for {action.months} {months}{cost}"


def amount_value(action: Action) -> float:
    """A number to sort the amount column by (FTE, %, or FTE × count; ∞ for "all")."""
    if isinstance(action, DeletePosts):
        return action.max_fte if action.max_fte is not None else math.inf
    if isinstance(action, ReduceFTE):
        return action.by_pct if action.by_pct is not None else (action.to_fte or 0.0)
    if isinstance(action, CreatePosts):
        return action.count * action.fte
    if isinstance(action, VacancyFreeze):
        return action.delete_until_fte if action.delete_until_fte is not None else math.inf
    return action.fte


def describe_action(action: Action) -> str:
    """One line: ``"Oct 2027 · Delete posts · team Contact Centre · up to 20 FTE"``."""
    return " · ".join((month_label(action.month), kind_name(action), action_subject(action),
                       action_amount(action)))


def new_action(kind: str, month: int, team: str = "", grade: str | None = None) -> Action:
    """A new action of ``kind`` in ``month`` with the defaults the editor starts from
    (new posts need a ``grade`` to be costed; see :func:`usual_grade`)."""
    select = Selector(fields=(("team", (team,)),)) if team else Selector()
    if kind == "delete_posts":
        return DeletePosts(month=month, select=select, max_fte=1.0)
    if kind == "reduce_fte":
        return ReduceFTE(month=month, select=select, by_pct=10.0)
    if kind == "vacancy_freeze":
        return VacancyFreeze(month=month, select=select)
    if kind == "create_posts":
        return CreatePosts(month=month, team=team, grade=grade)
    if kind == "temporary_cover":
        return TemporaryCover(month=month, team=team, fte=1.0, months=6)
    raise ValueError(f"unknown action kind {kind!r} (one of {', '.join(KINDS)})")


def shift_action(action: Action, months: int, horizon: Horizon) -> Action | None:
    """The action moved ``months`` later (earlier if negative), or None if it would leave
    the horizon. A freeze's end moves with it; cover is not allowed to run past the end."""
    month = action.month + months
    if month not in horizon:
        return None
    if isinstance(action, VacancyFreeze) and action.until is not None:
        until = action.until + months
        if not horizon.start < until <= horizon.end:
            return None
        return replace(action, month=month, until=until)
    if isinstance(action, TemporaryCover) and month + action.months > horizon.end:
        return None
    return replace(action, month=month)


def shift_actions(actions: tuple[Action, ...], rows: Iterable[int], months: int,
                  horizon: Horizon) -> tuple[Action, ...] | None:
    """``actions`` with those at ``rows`` moved by ``months``; None if any would leave."""
    out = list(actions)
    for row in rows:
        moved = shift_action(out[row], months, horizon)
        if moved is None:
            return None
        out[row] = moved
    return tuple(out)


def cut_warnings(flags: Iterable[CutBeforeLive]) -> dict[int, str]:
    """The cut-before-live warning of each action (by its position), in words:
    ``"17 months early: Channel shift is at full effect from Sep 2028"``.

    An action flagged for several teams or changes is described by the change it
    precedes by the most months, with a count of the others.
    """
    by_action: dict[int, list[CutBeforeLive]] = {}
    for flag in flags:
        by_action.setdefault(flag.action, []).append(flag)
    out = {}
    for index, found in by_action.items():
        worst = max(found, key=lambda f: (f.months_early, f.fte_removed))
        months = "month" if worst.months_early == 1 else "months"
        text = (f"{worst.months_early} {months} early: {worst.change} is at full effect "
                f"from {month_label(worst.full_effect_month)}")
        others = {(f.change, f.team) for f in found} - {(worst.change, worst.team)}
        if others:
            text += f" and {len(others)} more"
        out[index] = text
    return out


def column_choices(posts: pd.DataFrame, column: str) -> list[str]:
    """The distinct values of a posts column, in natural order ("Grade 2" before "Grade 10")."""
    if column not in posts:
        return []
    values = {str(v).strip() for v in posts[column].dropna() if str(v).strip()}
    return sorted(values, key=_natural_key)


def _natural_key(text: str) -> list[Any]:
    return [(0, int(part), "") if part.isdigit() else (1, 0, part)
            for part in re.split(r"(\d+)", text.casefold()) if part]


def usual_grade(posts: pd.DataFrame, team: str) -> str | None:
    """The most common grade among the team's posts (the first in natural order on a tie),
    or None when the team has no graded posts."""
    if "grade" not in posts or "team" not in posts:
        return None
    teams = posts["team"].astype(object).where(posts["team"].notna(), "").astype(str)
    grades = posts.loc[teams.str.strip().str.casefold() == team.strip().casefold(), "grade"]
    counts = grades.dropna().astype(str).str.strip().value_counts()
    counts = counts[counts.index != ""]
    if counts.empty:
        return None
    best = counts[counts == counts.max()].index
    return sorted(best, key=_natural_key)[0]


def selection_summary(selector: Selector, posts: pd.DataFrame | Workforce) -> tuple[int, float]:
    """How many posts a selector matches and their total FTE (at the start)."""
    mask = select_mask(selector, posts)
    fte = posts.fte if isinstance(posts, Workforce) else pd.to_numeric(
        posts["fte"], errors="coerce").fillna(0.0).to_numpy()
    return int(mask.sum()), float(fte[mask].sum())


def _problems(scenario: Scenario, posts: pd.DataFrame | Workforce | None
              ) -> list[tuple[str, str]]:
    try:
        scenario_from_dict(scenario_to_dict(scenario))
    except ScenarioError as exc:
        return exc.problems
    if posts is None:
        return []
    try:
        check_scenario(scenario, posts)
    except ScenarioError as exc:
        return exc.problems
    return []


def scenario_problem(scenario: Scenario, posts: pd.DataFrame | Workforce | None = None, *,
                     before: Scenario | None = None) -> str | None:
    """Why an edited scenario cannot be used (one sentence), or None if it can.

    Applies the rules of loading a scenario file and, given the posts, the checks
    against the establishment. With ``before``, problems the scenario already had
    are not counted against the edit.
    """
    problems = _problems(scenario, posts)
    if before is not None and problems:
        old = set(_problems(before, posts))
        problems = [p for p in problems if p not in old]
    if not problems:
        return None
    return str(ScenarioError(problems, name=scenario.name))
