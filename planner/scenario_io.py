"""Scenario files: JSON to :class:`~planner.scenario.Scenario` and back, and checks.

* :func:`scenario_from_dict` / :func:`scenario_to_dict` convert between the decoded
  JSON document and the dataclasses (``from(to(s)) == s``); reading is in
  :mod:`planner.scenario_schema` and collects every problem with its JSON path.
* :func:`load_scenario` / :func:`save_scenario` read and write files (UTF-8, saved
  atomically so a failed save never damages the previous file).
* :func:`check_scenario` checks a valid scenario against a loaded establishment
  (selectors that match nothing, unknown teams and grades).

Every failure is a :class:`ScenarioError` whose ``str()`` is one plain sentence.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
from dataclasses import fields
from difflib import get_close_matches
from pathlib import Path
from typing import Any

import pandas as pd

from planner.months import format_month, fy_text
from planner.scenario import (
    SCHEMA_VERSION,
    Action,
    Assumptions,
    CreatePosts,
    NaturalWastage,
    Scenario,
    Selector,
    Targets,
    TemporaryCover,
)
from planner.scenario_capacity_schema import (
    change_to_dict,
    demand_to_dict,
    pool_to_dict,
    risk_to_dict,
)
from planner.scenario_schema import ScenarioError, scenario_from_dict
from planner.scenario_schema import json_value as _out
from planner.selectors import select_mask, unmatched_values
from planner.workforce import Workforce

__all__ = ["ScenarioError", "check_scenario", "load_scenario", "save_scenario",
           "scenario_from_dict", "scenario_to_dict", "scenario_to_json"]

_MONTH_FIELDS = frozenset({"month", "until"})


# ---------------------------------------------------------------- writing the document

def _plain(obj: Any) -> dict[str, Any]:
    """A dataclass of scalar fields as a dict, every field written."""
    return {f.name: _out(getattr(obj, f.name)) for f in fields(obj)}


def _by_fy(pairs: tuple[tuple[int, float], ...]) -> dict[str, Any]:
    return {fy_text(int(year)): _out(value) for year, value in pairs}


def selector_to_dict(selector: Selector) -> dict[str, Any]:
    """The ``select`` object: only the filters that are set (``{}`` matches every post)."""
    out: dict[str, Any] = {}
    if selector.post_ids:
        out["post_ids"] = list(selector.post_ids)
    for column, values in selector.fields:
        out[column] = list(values)
    if selector.status is not None:
        out["status"] = selector.status
    return out


def _action_to_dict(action: Action) -> dict[str, Any]:
    out: dict[str, Any] = {"type": action.kind}
    for f in fields(action):
        value = getattr(action, f.name)
        if f.name == "kind":
            continue
        if f.name == "select":
            out[f.name] = selector_to_dict(value)
        elif f.name in _MONTH_FIELDS:
            out[f.name] = None if value is None else format_month(int(value))
        else:
            out[f.name] = _out(value)
    return out


def _assumptions_to_dict(a: Assumptions) -> dict[str, Any]:
    out = _plain(a)
    out["pay_award_by_fy"] = _by_fy(a.pay_award_by_fy)
    out["employer_ni"] = [
        {"from": format_month(int(b.from_month)), "rate_pct": _out(b.rate_pct),
         "threshold": _out(b.threshold)} for b in a.employer_ni]
    out["redundancy"] = _plain(a.redundancy)
    out["pension_strain"] = _plain(a.pension_strain)
    return out


def _wastage_to_dict(w: NaturalWastage) -> dict[str, Any]:
    out = _plain(w)
    out["overrides"] = [{"select": selector_to_dict(o.select), "annual_pct": _out(o.annual_pct)}
                        for o in w.overrides]
    out["retirement"] = [_plain(b) for b in w.retirement]
    return out


def _targets_to_dict(t: Targets) -> dict[str, Any]:
    return {
        "savings_by_fy": _by_fy(t.savings_by_fy),
        "fte_target": _out(t.fte_target),
        "fte_target_month": (None if t.fte_target_month is None
                             else format_month(int(t.fte_target_month))),
        "risk": risk_to_dict(t.risk),
    }


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """The JSON document for a scenario: every field written, actions in the order held."""
    return {
        "schema_version": SCHEMA_VERSION,
        "name": scenario.name,
        "description": scenario.description,
        "horizon": {"start": format_month(int(scenario.horizon.start)),
                    "months": int(scenario.horizon.months)},
        "assumptions": _assumptions_to_dict(scenario.assumptions),
        "natural_wastage": _wastage_to_dict(scenario.natural_wastage),
        "redeployment": _plain(scenario.redeployment),
        "actions": [_action_to_dict(a) for a in scenario.actions],
        "demand": [demand_to_dict(t) for t in scenario.demand],
        "changes": [change_to_dict(c) for c in scenario.changes],
        "pools": [pool_to_dict(p) for p in scenario.pools],
        "targets": _targets_to_dict(scenario.targets),
    }


def scenario_to_json(scenario: Scenario) -> str:
    """Pretty JSON text (indent 2, non-ASCII kept, trailing newline) as written to files."""
    return json.dumps(scenario_to_dict(scenario), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- files

def _json_problem(text: str, exc: json.JSONDecodeError) -> str:
    before = text[:exc.pos].rstrip()
    hint = (" (JSON does not allow a comma before a closing bracket)"
            if before.endswith(",") and text[exc.pos:exc.pos + 1] in "}]" else "")
    return (f"is not valid JSON: {exc.msg.lower()} at line {exc.lineno}, "
            f"column {exc.colno}{hint}")


def load_scenario(path: str | os.PathLike[str], *, today: dt.date | None = None) -> Scenario:
    """Read and validate a scenario file (UTF-8, a byte-order mark is tolerated).

    Raises:
        ScenarioError: the file is missing, unreadable, not JSON, or not a valid scenario.
    """
    path = Path(path)
    source = path.name

    def fail(message: str) -> ScenarioError:
        return ScenarioError([("", message)], source=source)

    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(f"the file was not found (looked in {path.parent})") from None
    except OSError as exc:
        raise fail(f"the file could not be read ({exc.strerror or exc})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise fail(f"is not UTF-8 text (line {line} has a character that is not UTF-8), so "
                   "save it again as UTF-8") from None
    if not text.strip():
        raise fail("the file is empty")
    duplicates: list[str] = []

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out and key not in duplicates:
                duplicates.append(key)
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs_hook)
    except json.JSONDecodeError as exc:
        raise fail(_json_problem(text, exc)) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise fail("holds a number too long to read (thousands of digits)") from None
    except RecursionError:
        raise fail("has lists or objects nested too deeply to read") from None
    problems = [("", f"key {key!r} appears twice in one object (only one value is allowed)")
                for key in duplicates]
    try:
        scenario = scenario_from_dict(data, source=source, today=today)
    except ScenarioError as exc:
        raise ScenarioError(problems + exc.problems, source=source) from None
    if problems:
        raise ScenarioError(problems, source=source)
    return scenario


def save_scenario(scenario: Scenario, path: str | os.PathLike[str]) -> None:
    """Write the scenario as pretty JSON, atomically.

    The text goes to a temporary file in the same folder, which then replaces the
    target in one step (``os.replace``, atomic on Windows too), so an interrupted or
    failed save leaves any previous file as it was; the temporary file is removed.

    Raises:
        ScenarioError: the file could not be written.
    """
    path = Path(path)
    data = scenario_to_json(scenario).encode("utf-8")
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        with os.fdopen(os.open(tmp, flags, 0o666), "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise ScenarioError([("", f"could not be saved ({exc.strerror or exc})")],
                                source=path.name) from exc
        raise


# ---------------------------------------------------------------- checks against posts

def _norm(value: Any) -> str:
    return str(value).strip().casefold()


def _values(posts: pd.DataFrame | Workforce, column: str) -> set[str]:
    if isinstance(posts, Workforce):
        return set(posts.codes[column].lookup)
    return {_norm(v) for v in posts[column].dropna()}


def _criteria(selector: Selector) -> str:
    parts = []
    if selector.post_ids:
        parts.append("post id " + " or ".join(repr(p) for p in selector.post_ids[:5])
                     + (" …" if len(selector.post_ids) > 5 else ""))
    parts += [f"{col} " + " or ".join(repr(v) for v in vals) for col, vals in selector.fields]
    if selector.status:
        parts.append(f"status {selector.status}")
    return " and ".join(parts)


def _select_problem(selector: Selector, posts: pd.DataFrame | Workforce) -> str | None:
    if select_mask(selector, posts).any():
        return None
    frame = posts.posts if isinstance(posts, Workforce) else posts
    if frame.empty:
        return "matches no post (the establishment has no posts)"
    missing = unmatched_values(selector, frame)
    if missing:
        listed = ", ".join(missing[:-1]) + " and " + missing[-1] if len(missing) > 1 \
            else missing[0]
        verb = "is" if len(missing) == 1 else "are"
        return f"matches no post ({listed} {verb} not in the establishment)"
    return f"matches no post (no post has {_criteria(selector)} together)"


def _salaried_grades(posts: pd.DataFrame | Workforce) -> set[str]:
    if isinstance(posts, Workforce):
        return {_norm(g) for g, v in posts.grade_median.items() if v > 0}
    salary = pd.to_numeric(posts["annual_salary"], errors="coerce")
    return {_norm(g) for g in posts.loc[salary.gt(0).to_numpy(dtype=bool), "grade"].dropna()}


def _team_problems(scenario: Scenario, posts: pd.DataFrame | Workforce,
                   known: set[str]) -> list[tuple[str, str]]:
    """Teams named in demand, changes and pools that are neither in the establishment nor
    created by a ``create_posts`` action, each with the closest team name as a hint."""
    frame = posts.posts if isinstance(posts, Workforce) else posts
    spellings = {_norm(v): str(v).strip() for v in frame["team"].dropna().unique()}
    for action in scenario.actions:
        if isinstance(action, CreatePosts):
            spellings.setdefault(_norm(action.team), action.team.strip())
    named = [(f"demand[{i}].team", t.team) for i, t in enumerate(scenario.demand)]
    named += [(f"changes[{i}].teams[{j}]", team) for i, c in enumerate(scenario.changes)
              for j, team in enumerate(c.teams)]
    named += [(f"pools[{i}].teams[{j}]", team) for i, p in enumerate(scenario.pools)
              for j, team in enumerate(p.teams)]
    problems = []
    for path, team in named:
        key = _norm(team)
        if key in known or key in spellings:
            continue
        close = get_close_matches(key, list(spellings), n=1)
        hint = f" (did you mean {spellings[close[0]]!r}?)" if close else ""
        problems.append((path, f"team {team!r} is not in the establishment{hint}"))
    return problems


def check_scenario(scenario: Scenario, posts: pd.DataFrame | Workforce) -> None:
    """Check a scenario against an establishment's posts; raise listing every problem.

    ``posts`` is the posts frame or, faster, the compiled :class:`Workforce`.

    Finds selectors that match no post (saying which values are not in the
    establishment), ``create_posts`` into an unknown team without a directorate or with
    an unknown grade and no salary, ``temporary_cover`` for an unknown team (a team
    that ``create_posts`` creates no later than the cover starts is allowed), and teams
    in ``demand``, ``changes`` and ``pools`` that are neither in the establishment nor
    created by ``create_posts`` (with the closest team name as a hint).

    Raises:
        ScenarioError: naming each problem by its JSON path.
    """
    problems: list[tuple[str, str]] = []
    teams = _values(posts, "team")
    grades = _values(posts, "grade")
    paid_grades = _salaried_grades(posts)
    created: dict[str, int] = {}
    for action in scenario.actions:
        if isinstance(action, CreatePosts) and action.directorate is not None:
            key = _norm(action.team)
            created[key] = min(created.get(key, action.month), action.month)
    for i, action in enumerate(scenario.actions):
        path = f"actions[{i}]"
        if isinstance(action, CreatePosts):
            if _norm(action.team) not in teams and action.directorate is None:
                problems.append((f"{path}.team", (
                    f"team {action.team!r} is not in the establishment; to create posts in a "
                    "new team, give its directorate")))
            if action.grade is not None and action.annual_salary is None:
                if _norm(action.grade) not in grades:
                    problems.append((f"{path}.grade", (
                        f"grade {action.grade!r} is not in the establishment, so there is no "
                        "salary to cost the new posts; give an annual_salary")))
                elif _norm(action.grade) not in paid_grades:
                    problems.append((f"{path}.grade", (
                        f"no post of grade {action.grade!r} has a salary to cost the new "
                        "posts; give an annual_salary")))
        elif isinstance(action, TemporaryCover):
            key = _norm(action.team)
            if key not in teams and created.get(key, action.month + 1) > action.month:
                later = (f" (create_posts creates it only from "
                         f"{format_month(created[key])})" if key in created else "")
                problems.append((f"{path}.team",
                                 f"team {action.team!r} is not in the establishment{later}"))
        else:
            problem = _select_problem(action.select, posts)
            if problem:
                problems.append((f"{path}.select", problem))
    for i, override in enumerate(scenario.natural_wastage.overrides):
        problem = _select_problem(override.select, posts)
        if problem:
            problems.append((f"natural_wastage.overrides[{i}].select", problem))
    problems += _team_problems(scenario, posts, teams)
    if problems:
        raise ScenarioError(problems, name=scenario.name)
