"""Reading and writing the capacity sections of a scenario (schema version 2).

``demand``, ``changes``, ``pools`` and ``targets.risk`` (DESIGN §3). The readers
use :class:`~planner.scenario_schema.Reader`, so every problem is recorded with
its JSON path and reading carries on; the writers give the JSON form back
(``read(write(x)) == x``). :mod:`planner.scenario_schema` and
:mod:`planner.scenario_io` call these; import from those modules instead.
"""

from __future__ import annotations

import re
from dataclasses import fields
from typing import Any

from planner.months import format_month
from planner.scenario import (
    DRIVERS,
    Change,
    ContactCentre,
    GrowthPosition,
    Pool,
    RiskThresholds,
    Slippage,
    TeamDemand,
)
from planner.scenario_schema import (
    ABSENT,
    Reader,
    describe_value,
    fmt,
    join,
    json_keys,
    json_value,
    key_path,
    suggest,
)

__all__ = ["change_to_dict", "demand_to_dict", "pool_to_dict", "read_changes", "read_demand",
           "read_pools", "read_risk", "risk_to_dict"]

SLIP_LIMITS = {"lo": -24, "hi": 60, "unit": " months"}


def _key(name: str) -> str:
    return name.strip().casefold()


def _unique(r: Reader, seen: dict[str, str], name: str, path: str, what: str) -> None:
    """Record ``name`` (ignoring case and spaces); a second use is a problem at ``path``."""
    if not name.strip():
        return
    if _key(name) in seen:
        r.add(path, f"{what} {name!r} is given twice (also at {seen[_key(name)]}); "
                    f"each {what} must be different")
    else:
        seen[_key(name)] = path


def _teams(r: Reader, d: dict[str, Any], path: str, *, at_least: int) -> tuple[str, ...]:
    """``teams``: a team name or a list of different team names."""
    value = d["teams"]
    if isinstance(value, list) and not value:
        r.add(join(path, "teams"), "must name at least one team")
        return ()
    before = len(r.problems)
    teams = r.texts(d, "teams", path)
    seen: dict[str, str] = {}
    for i, team in enumerate(teams):
        _unique(r, seen, team, f"{path}.teams[{i}]" if isinstance(value, list) else
                join(path, "teams"), "team")
    if len(r.problems) == before and len(seen) < at_least:
        r.add(join(path, "teams"), f"must name at least {at_least} different teams "
                                   f"(a pool shares staff between teams), not {len(seen)}")
    return teams


# ---------------------------------------------------------------- demand

def read_demand(r: Reader, value: Any, path: str) -> tuple[TeamDemand, ...]:
    """The ``demand`` list: at most one entry per team."""
    out: list[TeamDemand] = []
    seen: dict[str, str] = {}
    for i, item in enumerate(r.items(value if value is not ABSENT else [], path)):
        p = f"{path}[{i}]"
        d = r.obj(item, p, json_keys(TeamDemand), required=("team",))
        if d is None:
            continue
        team = r.text(d, "team", p, "", blank_ok=False)
        if team.strip():
            prior = seen.get(_key(team))
            if prior is not None:
                r.add(join(p, "team"), f"team {team!r} already has demand at {prior}; give one "
                                       "entry per team")
            seen.setdefault(_key(team), p)
        out.append(_team_demand(r, d, p, team))
    return tuple(out)


def _team_demand(r: Reader, d: dict[str, Any], p: str, team: str) -> TeamDemand:
    hours = r.opt_num(d, "hours_per_month", p, lo=0, lo_open=True)
    volume = r.opt_num(d, "volume_per_month", p, lo=0)
    minutes = r.opt_num(d, "minutes_per_item", p, lo=0)
    given = {k for k in ("hours_per_month", "volume_per_month", "minutes_per_item")
             if d.get(k) is not None}
    if "hours_per_month" in given and len(given) > 1:
        r.add(p, "give hours_per_month or volume_per_month with minutes_per_item, not both")
    elif len(given) == 1 and "hours_per_month" not in given:
        have, need = sorted(given)[0], ({"volume_per_month", "minutes_per_item"} - given).pop()
        r.add(join(p, need), f"is required with {have} (or give hours_per_month instead)")
    seasonal = _seasonal(r, d.get("seasonal", []), join(p, "seasonal"))
    growth_pct = r.num(d, "growth_pct", p, 0.0, lo=-50, hi=100)
    positions: list[GrowthPosition] = []
    pos_path = join(p, "growth_positions")
    for j, item in enumerate(r.items(d.get("growth_positions", []), pos_path)):
        q = f"{pos_path}[{j}]"
        g = r.obj(item, q, json_keys(GrowthPosition), required=("month", "hours_per_month"))
        if g is not None:
            positions.append(GrowthPosition(
                month=r.when(g, "month", q) or 0,
                hours_per_month=r.num(g, "hours_per_month", q, 0.0),
                label=r.text(g, "label", q, "")))
    cc = d.get("contact_centre")
    return TeamDemand(
        team=team, hours_per_month=hours, volume_per_month=volume, minutes_per_item=minutes,
        seasonal=seasonal, growth_pct=growth_pct, growth_positions=tuple(positions),
        contact_centre=None if cc is None else _contact_centre(r, cc, join(p, "contact_centre")))


def _seasonal(r: Reader, value: Any, path: str) -> tuple[float, ...]:
    if value is None:
        return ()
    items = r.items(value, path)
    if items and len(items) != 12:
        r.add(path, f"must list 12 factors, April to March (or none for a flat year), "
                    f"not {len(items)}")
        return ()
    factors = [r.number(x, f"{path}[{i}]", lo=0, lo_open=True) for i, x in enumerate(items)]
    return tuple(x if x is not None else 1.0 for x in factors)


def _contact_centre(r: Reader, value: Any, path: str) -> ContactCentre | None:
    d = r.obj(value, path, json_keys(ContactCentre), required=("calls_per_interval",))
    if d is None:
        return None
    c = ContactCentre(calls_per_interval=0.0)
    return ContactCentre(
        calls_per_interval=r.num(d, "calls_per_interval", path, 0.0, lo=0),
        interval_minutes=r.num(d, "interval_minutes", path, c.interval_minutes,
                               lo=0, lo_open=True, hi=1440),
        aht_seconds=r.num(d, "aht_seconds", path, c.aht_seconds, lo=0, lo_open=True),
        answer_seconds=r.num(d, "answer_seconds", path, c.answer_seconds, lo=0),
        target_pct=r.num(d, "target_pct", path, c.target_pct, lo=0, lo_open=True,
                         hi=100, hi_open=True),
        shrinkage_pct=r.num(d, "shrinkage_pct", path, c.shrinkage_pct, lo=0, hi=100,
                            hi_open=True))


# ---------------------------------------------------------------- changes

def read_changes(r: Reader, value: Any, path: str) -> tuple[Change, ...]:
    """The ``changes`` list (benefit drivers): names are unique."""
    out: list[Change] = []
    names: dict[str, str] = {}
    required = ("name", "go_live", "teams")
    for i, item in enumerate(r.items(value if value is not ABSENT else [], path)):
        p = f"{path}[{i}]"
        d = r.obj(item, p, json_keys(Change), required=required)
        if d is None:
            continue
        name = r.text(d, "name", p, "", blank_ok=False)
        _unique(r, names, name, join(p, "name"), "change name")
        go_live = r.month(d, "go_live", p, nullable=False)
        h = r.horizon
        if go_live is not None and h is not None and go_live >= h.end:
            r.add(join(p, "go_live"), f"{format_month(go_live)!r} is after the end of the "
                                      f"horizon {r.horizon_text()}")
        before = len(r.problems)
        removed = r.num(d, "demand_removed_pct", p, 0.0, lo=0, hi=100, hi_open=True)
        gain = r.num(d, "productivity_gain_pct", p, 0.0, lo=0, hi=300)
        if len(r.problems) == before and removed == 0 and gain == 0:
            r.add(p, "has no effect: give demand_removed_pct or productivity_gain_pct")
        out.append(Change(
            name=name, go_live=go_live or 0,
            teams=_teams(r, d, p, at_least=1) if "teams" in d else (),
            driver=_driver(r, d, p),
            demand_removed_pct=removed, productivity_gain_pct=gain,
            ramp_months=r.whole_key(d, "ramp_months", p, 1, lo=0, hi=60, unit=" months"),
            realisation_pct=r.num(d, "realisation_pct", p, 100.0, lo=0, hi=200),
            slippage=_slippage(r, d.get("slippage", ABSENT), join(p, "slippage"))))
    return tuple(out)


def _driver(r: Reader, d: dict[str, Any], path: str) -> str:
    """One of DRIVERS; "Technology and process" is read as ``technology_and_process``."""
    value = d.get("driver", ABSENT)
    if value is ABSENT:
        return Change.driver
    if isinstance(value, str):
        words = re.sub(r"[\s\-]+", "_", value.strip()).casefold()
        value = words if words in DRIVERS else value
    return str(r.choice({"driver": value}, "driver", path, Change.driver, DRIVERS))


def _slippage(r: Reader, value: Any, path: str) -> Slippage:
    d = r.obj(value, path, json_keys(Slippage)) if value is not ABSENT else None
    if d is None:
        return Slippage()
    before = len(r.problems)
    s = Slippage(*(r.num(d, k, path, 0.0, **SLIP_LIMITS) for k in json_keys(Slippage)))
    if len(r.problems) > before:
        return s
    pairs = (("min_months", s.min_months, "mode_months", s.mode_months),
             ("mode_months", s.mode_months, "max_months", s.max_months))
    for low, a, high, b in pairs:
        if a > b:
            r.add(path, f"{low} ({fmt(a)}) is more than {high} ({fmt(b)}); slippage needs "
                        "min_months ≤ mode_months ≤ max_months")
    return s


# ---------------------------------------------------------------- pools

def read_pools(r: Reader, value: Any, path: str) -> tuple[Pool, ...]:
    """The ``pools`` list: unique names; each team in one pool at most."""
    out: list[Pool] = []
    names: dict[str, str] = {}
    members: dict[str, str] = {}  # team -> path of its pool
    for i, item in enumerate(r.items(value if value is not ABSENT else [], path)):
        p = f"{path}[{i}]"
        d = r.obj(item, p, json_keys(Pool), required=("name", "teams"))
        if d is None:
            continue
        name = r.text(d, "name", p, "", blank_ok=False)
        _unique(r, names, name, join(p, "name"), "pool name")
        before = len(r.problems)
        teams = _teams(r, d, p, at_least=2) if "teams" in d else ()
        known = "teams" in d and len(r.problems) == before  # else weights are not checked
        if known:
            for j, team in enumerate(teams):
                other = members.get(_key(team))
                if other is not None:
                    r.add(f"{p}.teams[{j}]", f"team {team!r} is already in the pool at "
                                             f"{other}; a team can be in one pool only")
                members.setdefault(_key(team), p)
        out.append(Pool(
            name=name, teams=teams,
            efficiency=r.num(d, "efficiency", p, 0.9, lo=0, lo_open=True, hi=1),
            weights=_weights(r, d.get("weights", {}), join(p, "weights"),
                             teams if known else None),
            from_month=r.when(d, "from_month", p, nullable=True),
            skills=_skills(r, d.get("skills", {}), join(p, "skills"), teams if known else None)))
    return tuple(out)


def _by_team(r: Reader, value: Any, path: str,
             teams: tuple[str, ...] | None) -> list[tuple[str, Any, str]]:
    """An object keyed by the pool's teams (unchecked when ``teams`` is None), as
    ``(team, value, path)``; null is an empty object."""
    obj = r.obj(value, path, None) if value is not None else {}
    spelling = {_key(t): t for t in teams or ()}
    seen: dict[str, str] = {}
    out = []
    for team, item in (obj or {}).items():
        q = key_path(path, team)
        if teams is not None and _key(team) not in spelling:
            hint = suggest(team, spelling.values())
            r.add(q, f"{team!r} is not one of the pool's teams" + (
                f" (did you mean {hint!r}?)" if hint
                else f" ({', '.join(spelling.values())})"))
        _unique(r, seen, team, q, "team")
        out.append((team, item, q))
    return out


def _weights(r: Reader, value: Any, path: str,
             teams: tuple[str, ...] | None) -> tuple[tuple[str, float], ...]:
    """Team → weight > 0."""
    return tuple((team, r.number(w, q, lo=0, lo_open=True) or 1.0)
                 for team, w, q in _by_team(r, value, path, teams))


def _skills(r: Reader, value: Any, path: str,
            teams: tuple[str, ...] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Team → skill words (a text or a list of texts) that qualify a member for it."""
    out = []
    for team, words, q in _by_team(r, value, path, teams):
        single = not isinstance(words, list)
        good = []
        for k, word in enumerate([words] if single else words):
            where = q if single else f"{q}[{k}]"
            if not isinstance(word, str):
                r.add(where, f"must be text or a list of texts, not {describe_value(word)}")
            elif not word.strip():
                r.add(where, "must not be empty")
            else:
                good.append(word)
        out.append((team, tuple(good)))
    return tuple(out)


# ---------------------------------------------------------------- targets.risk

def read_risk(r: Reader, value: Any, path: str) -> RiskThresholds:
    """``targets.risk``: 0 < red_ratio < amber_ratio ≤ 2 and amber backlog ≤ red backlog."""
    t = RiskThresholds()
    d = r.obj(value, path, json_keys(RiskThresholds)) if value is not ABSENT else None
    if d is None:
        return t
    before = len(r.problems)
    amber = r.num(d, "amber_ratio", path, t.amber_ratio, lo=0, lo_open=True, hi=2)
    red = r.num(d, "red_ratio", path, t.red_ratio, lo=0, lo_open=True, hi=2)
    amber_weeks = r.num(d, "amber_backlog_weeks", path, t.amber_backlog_weeks, lo=0, hi=52,
                        unit=" weeks")
    red_weeks = r.num(d, "red_backlog_weeks", path, t.red_backlog_weeks, lo=0, hi=52,
                      unit=" weeks")
    clean = len(r.problems) == before
    if clean and red >= amber:
        r.add(join(path, "red_ratio"), f"must be less than amber_ratio ({fmt(amber)}), "
                                       f"not {fmt(red)}")
    if clean and amber_weeks > red_weeks:
        r.add(join(path, "amber_backlog_weeks"), f"must not be more than red_backlog_weeks "
                                                 f"({fmt(red_weeks)}), not {fmt(amber_weeks)}")
    return RiskThresholds(amber, red, amber_weeks, red_weeks)


# ---------------------------------------------------------------- writing

def _plain(obj: Any) -> dict[str, Any]:
    return {f.name: json_value(getattr(obj, f.name)) for f in fields(obj)}


def _month(number: int | None) -> str | None:
    return None if number is None else format_month(int(number))


def demand_to_dict(t: TeamDemand) -> dict[str, Any]:
    cc = t.contact_centre
    return {**_plain(t), "seasonal": [json_value(x) for x in t.seasonal],
            "growth_positions": [{**_plain(g), "month": _month(g.month)}
                                 for g in t.growth_positions],
            "contact_centre": None if cc is None else _plain(cc)}


def change_to_dict(c: Change) -> dict[str, Any]:
    return {**_plain(c), "go_live": _month(c.go_live), "teams": list(c.teams),
            "slippage": _plain(c.slippage)}


def pool_to_dict(p: Pool) -> dict[str, Any]:
    return {**_plain(p), "teams": list(p.teams),
            "weights": {team: json_value(w) for team, w in p.weights},
            "from_month": _month(p.from_month),
            "skills": {team: list(words) for team, words in p.skills}}


def risk_to_dict(t: RiskThresholds) -> dict[str, Any]:
    return _plain(t)
