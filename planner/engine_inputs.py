"""Turn an establishment and a scenario into the arrays and dated events the engine steps through.

Everything that depends on the scenario but not on the month-by-month state
is worked out here, once, so the monthly step stays a handful of numpy
operations: posts are sorted by team (team totals are then contiguous slices,
summed with ``np.add.reduceat``), new posts are appended as rows with no
establishment until their month, and each action becomes an event at a month
index.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.errors import PlannerError
from planner.establishment import VACANT
from planner.months import Horizon
from planner.scenario import (
    CreatePosts,
    DeletePosts,
    NaturalWastage,
    ReduceFTE,
    Scenario,
    Selector,
    TemporaryCover,
    VacancyFreeze,
)
from planner.selectors import select_mask
from planner.workforce import Workforce, as_workforce


def monthly_hazard(annual_pct: np.ndarray | float) -> np.ndarray:
    """Monthly leaving probability for an annual rate: 1 − (1 − r)^(1/12) (DESIGN §4)."""
    r = np.clip(np.asarray(annual_pct, dtype=float) / 100.0, 0.0, 1.0)
    return np.asarray(1.0 - (1.0 - r) ** (1.0 / 12.0))


@dataclass
class Event:
    """One thing that happens at a month index (``kind`` says which fields matter)."""

    kind: str  # create | delete | reduce | freeze_start | freeze_end
    idx: np.ndarray  # post positions (engine order)
    action: int = -1  # position in scenario.actions
    value: float = 0.0  # reduce: by_pct or to_fte
    to_fte: bool = False
    freeze: int = -1


@dataclass
class FreezeRule:
    delete_on_vacancy: bool
    budget: float  # FTE to delete; inf for no limit


@dataclass
class Prepared:
    """Engine inputs for one run: the workforce's posts (team order), then any new posts."""

    horizon: Horizon
    wf: Workforce
    new_posts: pd.DataFrame  # rows for posts the scenario creates, appended after wf's
    team_names: list[str]  # wf's teams, then any new teams
    team_code: np.ndarray
    fte0: np.ndarray  # establishment FTE at the start (0 for new posts)
    occ0: np.ndarray  # FTE in post at the start
    salary: np.ndarray  # full-time annual salary in the start month (0 when unknown)
    is_new: np.ndarray
    new_fte: np.ndarray  # FTE each new post is created with
    new_action: np.ndarray  # index of the creating action, -1 for existing posts
    pension_member: np.ndarray
    ext_share: np.ndarray  # share of each post's cost funded externally
    hazard: np.ndarray  # monthly turnover hazard
    age0: np.ndarray  # age in years at the start (NaN unknown)
    retirement_edges: np.ndarray
    retirement_hazard: np.ndarray  # monthly, per band (index 0: below the first band)
    lag: int
    events: dict[int, list[Event]] = field(default_factory=dict)
    freezes: list[FreezeRule] = field(default_factory=list)
    # Posts are not recruited to while hold_from <= month < hold_until (planned for
    # deletion, or kept for a redeployee).
    hold_from: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    hold_until: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    cover_fte: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    cover_cost: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    warnings: list[str] = field(default_factory=list)
    _posts: pd.DataFrame | None = None
    _new_onehot: np.ndarray | None = None

    @property
    def n(self) -> int:
        return len(self.fte0)

    @property
    def n_existing(self) -> int:
        return self.wf.n

    @property
    def posts(self) -> pd.DataFrame:
        """All posts in engine order (built on first use: only costs and matching need it)."""
        if self._posts is None:
            self._posts = (pd.concat([self.wf.posts, self.new_posts], ignore_index=True)
                           if len(self.new_posts) else self.wf.posts)
        return self._posts

    def team_sum(self, values: np.ndarray) -> np.ndarray:
        """Sum the last axis (posts) into teams.

        Existing posts are contiguous team slices (``np.add.reduceat``); the few
        new posts at the end are added with a one-hot product.
        """
        out = np.zeros((*values.shape[:-1], len(self.team_names)))
        ne, wf = self.n_existing, self.wf
        if ne:
            present = wf.team_present
            out[..., present] = np.add.reduceat(values[..., :ne], wf.team_starts[present],
                                                axis=-1)
        if self.n > ne:
            if self._new_onehot is None:  # built once: team_sum runs every month
                self._new_onehot = np.zeros((self.n - ne, len(self.team_names)))
                self._new_onehot[np.arange(self.n - ne), self.team_code[ne:]] = 1.0
            out += values[..., ne:] @ self._new_onehot
        return out


def _age_at_start(wf: Workforce, start: int) -> np.ndarray:
    start_day = np.datetime64(f"{start // 12:04d}-{start % 12 + 1:02d}-01", "ns")
    days = (start_day - wf.dob).astype("timedelta64[D]").astype(float)
    from_dob = np.where(np.isnat(wf.dob), np.nan, days / 365.25)
    return np.where(np.isnan(from_dob), wf.age, from_dob)


def _external_share(amount: np.ndarray, external: np.ndarray, salary: np.ndarray,
                    fte: np.ndarray) -> np.ndarray:
    """Share of a post's cost paid from outside the core budget.

    The stated annual external funding as a share of the post's basic pay;
    when no amount is given, grant-, income- and capital-funded posts count
    as fully external and core posts as not at all.
    """
    cost = salary * fte
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(cost > 0, amount / cost, 1.0)
    return np.clip(np.where(np.isnan(amount), external.astype(float), share), 0.0, 1.0)


def turnover_pct(wf: Workforce, wastage: NaturalWastage) -> np.ndarray:
    """Annual turnover % per post: the default, then each override in order (later wins)."""
    pct = np.full(wf.n, wastage.annual_turnover_pct, dtype=float)
    for rule in wastage.overrides:
        pct[select_mask(rule.select, wf)] = rule.annual_pct
    return pct


def retirement_bands(wastage: NaturalWastage) -> tuple[list[float], list[float]]:
    """Age edges and annual rates: ``rates[k]`` applies to ages in ``[edges[k-1], edges[k])``.

    ``rates[0]`` (below the first band) and any gap between bands are 0.
    """
    edges: list[float] = []
    rates: list[float] = [0.0]
    for band in sorted(wastage.retirement, key=lambda b: b.min_age):
        if edges and edges[-1] == band.min_age:
            rates[-1] = band.annual_pct
        else:
            edges.append(band.min_age)
            rates.append(band.annual_pct)
        if band.max_age is not None:
            edges.append(band.max_age + 1)
            rates.append(0.0)
    return edges, rates


def _new_posts(scenario: Scenario, wf: Workforce) -> pd.DataFrame:
    """One row per post created by the scenario's create actions (every posts column)."""
    rows: list[dict[str, object]] = []
    for a_i, action in enumerate(scenario.actions):
        if not isinstance(action, CreatePosts):
            continue
        team = wf.spelling("team", action.team)
        grade = wf.spelling("grade", action.grade) if action.grade is not None else None
        pay = action.annual_salary
        if pay is None and grade is not None:
            pay = wf.grade_median.get(grade, np.nan)
        for k in range(action.count):
            rows.append({
                "post_id": f"NEW-{a_i + 1}-{k + 1:03d}",
                "team": team,
                "fte": action.fte,
                "annual_salary": pay,
                "post_title": action.post_title,
                "directorate": action.directorate or wf.team_directorate.get(team),
                "service": action.service or wf.team_service.get(team),
                "grade": grade,
                "status": VACANT,
                "contract": "permanent",
                "funding": "core",
                "pension_member": True,
                "skills": action.skills,
                "_action": a_i,
            })
    frame = pd.DataFrame(rows, columns=[*wf.posts.columns, "_action"])
    return frame


def prepare(posts: pd.DataFrame | Workforce, scenario: Scenario,
            teams: list[str] | None = None) -> Prepared:
    """Build the engine inputs; ``scenario.actions`` may be empty (the baseline).

    ``teams`` fixes the team list (so a baseline lines up with its scenario,
    which may create posts in a new team); by default it is the posts' teams.
    """
    wf = as_workforce(posts)
    horizon = scenario.horizon
    new = _new_posts(scenario, wf)
    extra = sorted((set(new["team"].astype(str)) | set(teams or ())) - set(wf.team_names))
    team_names = [*wf.team_names, *extra]
    index = {name: i for i, name in enumerate(team_names)}
    k = len(new)
    new_code = np.array([index[t] for t in new["team"].astype(str)], dtype=np.int64)
    new_fte = new["fte"].to_numpy(dtype=float) if k else np.zeros(0)
    new_salary = pd.to_numeric(new["annual_salary"], errors="coerce").to_numpy(dtype=float)
    is_new = np.r_[np.zeros(wf.n, dtype=bool), np.ones(k, dtype=bool)]
    fte0 = np.r_[wf.fte, np.zeros(k)]
    salary_raw = np.r_[wf.salary_raw, new_salary]
    warnings: list[str] = []
    missing = int(np.isnan(wf.salary_raw).sum())
    if missing:
        warnings.append(f"{missing:,} posts have no salary; their pay is counted as £0.")
    salary = np.nan_to_num(salary_raw, nan=0.0)
    wastage = scenario.natural_wastage
    edges, rates = retirement_bands(wastage)
    hazard = monthly_hazard(turnover_pct(wf, wastage))
    default_hazard = monthly_hazard(wastage.annual_turnover_pct)
    cost_fte = np.r_[wf.fte, new_fte]
    prep = Prepared(
        horizon=horizon,
        wf=wf,
        new_posts=new.drop(columns="_action"),
        team_names=team_names,
        team_code=np.r_[wf.team_code, new_code],
        fte0=fte0,
        occ0=np.r_[np.where(wf.filled, wf.fte, 0.0), np.zeros(k)],
        salary=salary,
        is_new=is_new,
        new_fte=np.r_[np.zeros(wf.n), new_fte],
        new_action=np.r_[np.full(wf.n, -1), new["_action"].to_numpy(dtype=np.int64)],
        pension_member=np.r_[wf.pension_member, np.ones(k, dtype=bool)],
        ext_share=_external_share(np.r_[wf.external_funding, np.full(k, np.nan)],
                                  np.r_[wf.funding_external, np.zeros(k, dtype=bool)],
                                  salary, cost_fte),
        hazard=np.r_[hazard, np.full(k, default_hazard)],
        age0=np.r_[_age_at_start(wf, horizon.start), np.full(k, np.nan)],
        retirement_edges=np.asarray(edges, dtype=float),
        retirement_hazard=monthly_hazard(np.asarray(rates)),
        lag=max(0, int(wastage.backfill_lag_months)),
        hold_from=np.zeros(wf.n + k, dtype=np.int64),
        hold_until=np.zeros(wf.n + k, dtype=np.int64),
        warnings=warnings,
    )
    _schedule(prep, scenario)
    return prep


def _choose_up_to(mask: np.ndarray, wf: Workforce, max_fte: float) -> np.ndarray:
    """Whole posts up to ``max_fte``: vacant first, then filled, each in post-id order."""
    cand = np.flatnonzero(mask)
    pid = wf.posts["post_id"].astype(str).to_numpy(dtype=object)[cand]
    order = np.lexsort((pid, wf.filled[cand]))
    picked = cand[order]
    cum = np.cumsum(wf.fte[picked])
    out = np.zeros(len(mask), dtype=bool)
    out[picked[cum <= max_fte + 1e-9]] = True
    return out


def _schedule(prep: Prepared, scenario: Scenario) -> None:
    """Turn actions into events, holds and temporary-cover arrays."""
    horizon, T = scenario.horizon, scenario.horizon.months
    events: dict[int, list[Event]] = defaultdict(list)
    wf, k = prep.wf, prep.n - prep.n_existing
    action_col = prep.new_action

    def selected(selector: Selector) -> np.ndarray:
        """Existing posts the selector matches, as a mask over all posts."""
        return np.r_[select_mask(selector, wf), np.zeros(k, dtype=bool)]

    cover_fte = np.zeros((T, len(prep.team_names)))
    cover_cost = np.zeros((T, len(prep.team_names)))
    team_index = {name: i for i, name in enumerate(prep.team_names)}
    for a_i, action in enumerate(scenario.actions):
        t = horizon.index(action.month)
        if isinstance(action, CreatePosts):
            events[t].append(Event("create", np.flatnonzero(action_col == a_i), a_i))
        elif isinstance(action, DeletePosts):
            mask = selected(action.select)
            if action.max_fte is not None:
                mask = _choose_up_to(mask[:wf.n], wf, action.max_fte)
                mask = np.r_[mask, np.zeros(k, dtype=bool)]
            idx = np.flatnonzero(mask)
            events[t].append(Event("delete", idx, a_i))
            # Recruitment that could not land before the deletion is not started: the post
            # is held for the backfill lag before it goes.
            prep.hold_until[idx] = np.maximum(prep.hold_until[idx], t)
            prep.hold_from[idx] = np.maximum(0, prep.hold_until[idx] - prep.lag)
        elif isinstance(action, ReduceFTE):
            idx = np.flatnonzero(selected(action.select))
            if action.to_fte is not None:
                events[t].append(Event("reduce", idx, a_i, action.to_fte, to_fte=True))
            else:
                events[t].append(Event("reduce", idx, a_i, float(action.by_pct or 0.0)))
        elif isinstance(action, VacancyFreeze):
            idx = np.flatnonzero(selected(action.select))
            f = len(prep.freezes)
            budget = (action.delete_until_fte if action.delete_until_fte is not None
                      else np.inf)
            prep.freezes.append(FreezeRule(action.delete_on_vacancy, float(budget)))
            events[t].append(Event("freeze_start", idx, a_i, freeze=f))
            if action.until is not None and horizon.index(action.until) < T:
                events[horizon.index(action.until)].append(
                    Event("freeze_end", idx, a_i, freeze=f))
        elif isinstance(action, TemporaryCover):
            code = team_index.get(prep.wf.spelling("team", action.team))
            if code is None:  # check_scenario rejects this before a run
                raise PlannerError(f"Temporary cover names the team '{action.team}', "
                                   "which is not in the establishment.")
            rate = (action.annual_cost_per_fte if action.annual_cost_per_fte is not None
                    else scenario.assumptions.agency_cost_per_fte)
            end = min(T, t + action.months)
            cover_fte[t:end, code] += action.fte
            cover_cost[t:end, code] += action.fte * rate / 12.0
    # Events within a month run in this order: create, freeze end, freeze start, delete, reduce.
    rank = {"create": 0, "freeze_end": 1, "freeze_start": 2, "delete": 3, "reduce": 4}
    prep.events = {t: sorted(evs, key=lambda e: rank[e.kind]) for t, evs in events.items()}
    prep.cover_fte, prep.cover_cost = cover_fte, cover_cost
