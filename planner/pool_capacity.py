"""Multi-skilled pools inside a scenario run (DESIGN §3 "Multi-skilled pools", §4).

From the pool's start month, each month the members' hours (FTE in post ×
productive hours ÷ 12 × their team's productivity multiplier, less retraining)
and any temporary cover in the pool's teams are allocated across the pool's
teams (the disciplines) by the linear programme in :mod:`planner.pools`, against
each team's demand plus the backlog it carries in. A member works their own
team and any other pool team named in their ``skills``.

A team's capacity is then what the pool delivered to it; where the pool
cleared a team's work, the pool's spare hours are shared among those teams by
demand, so capacity ÷ demand still shows headroom. The same staff kept in
single-skill teams give the comparison (:class:`PoolRun`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner.capacity import step_backlog
from planner.demand import team_index
from planner.pools import allocate_pool

if TYPE_CHECKING:
    from planner.results import Results
    from planner.service import ServiceInputs

_SPLIT = re.compile(r"[;,/|]")


@dataclass
class PoolRun:
    """One pool over the horizon: what it delivered against single-skill teams."""

    name: str
    teams: list[str]
    demand: np.ndarray  # (months, teams) demand hours
    served: np.ndarray  # (months, teams) hours delivered by the pool
    backlog: np.ndarray  # (months, teams) work left at month end, pooled
    single_served: np.ndarray  # the same staff in single-skill teams
    single_backlog: np.ndarray
    members: int
    multi_skilled: int

    def frame(self) -> pd.DataFrame:
        """Per team: demand, hours served and work left at the end, pooled vs single-skill."""
        return pd.DataFrame({
            "team": self.teams,
            "demand_hours": self.demand.sum(0),
            "served_hours": self.served.sum(0),
            "single_skill_served_hours": self.single_served.sum(0),
            "backlog_end_hours": self.backlog[-1] if len(self.backlog) else 0.0,
            "single_skill_backlog_end_hours": (self.single_backlog[-1]
                                               if len(self.single_backlog) else 0.0),
        })


def _word(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").casefold().split())


def member_skills(skills: pd.Series, home: np.ndarray, names: list[str],
                  words: dict[str, tuple[str, ...]] | None = None) -> np.ndarray:
    """(members, disciplines) True for the home team and any pool team their ``skills`` name.

    A skill word qualifies a member for a team when it is the team's name or one of
    the words the pool lists for that team (case, ``_`` and ``-`` ignored).
    """
    keys = {_word(n): d for d, n in enumerate(names)}
    for team, listed in (words or {}).items():
        d = keys.get(_word(team))
        if d is not None:
            keys.update({_word(w): d for w in listed})
    out = np.zeros((len(home), len(names)), dtype=bool)
    out[np.arange(len(home)), home] = True
    for row, text in enumerate(skills.tolist()):
        if isinstance(text, str) and text.strip():
            for token in _SPLIT.split(text):
                d = keys.get(_word(token))
                if d is not None:
                    out[row, d] = True
    return out


def pooled_capacity(results: Results, inputs: ServiceInputs, capacity: np.ndarray,
                    demand: np.ndarray) -> tuple[np.ndarray, list[PoolRun]]:
    """Capacity with each pool's hours re-allocated across its teams; one PoolRun per pool."""
    scenario, run = results.scenario, results.run
    prep, teams = run.prep, results.teams
    T, h = capacity.shape[0], inputs.hours_per_fte_month
    out = capacity.copy()
    occ_team = run.team_totals(run.occ)
    with np.errstate(divide="ignore", invalid="ignore"):
        working = np.where(occ_team > 0, inputs.staff_fte / occ_team, 1.0)  # after retraining
    posts = prep.posts
    skills_col = (posts["skills"] if "skills" in posts.columns
                  else pd.Series([None] * prep.n, dtype=object))
    pool_runs = []
    for pool in scenario.pools:
        cols = [j for j in (team_index(teams, n) for n in pool.teams) if j is not None]
        D = len(cols)
        members = np.flatnonzero(np.isin(prep.team_code, cols))
        position = {j: d for d, j in enumerate(cols)}
        home = np.array([position[int(j)] for j in prep.team_code[members]], dtype=np.int64)
        skills = member_skills(skills_col.iloc[members].reset_index(drop=True), home,
                               [teams[j] for j in cols], dict(pool.skills))
        multi = skills.sum(1) > 1
        # Temporary cover works its own team only: one single-skill row per team.
        all_skills = np.r_[skills, np.eye(D, dtype=bool)]
        all_home = np.r_[home, np.arange(D)]
        eff = np.r_[np.where(multi, pool.efficiency, 1.0), np.ones(D)]
        by_name = {k.strip().casefold(): w for k, w in pool.weights}
        weights = np.array([by_name.get(teams[j].strip().casefold(), 1.0) for j in cols])
        start = max(0, (pool.from_month if pool.from_month is not None
                        else scenario.horizon.start) - scenario.horizon.start)
        backlog, single_backlog = np.zeros(D), np.zeros(D)
        pr = PoolRun(name=pool.name, teams=[teams[j] for j in cols], demand=demand[:, cols],
                     served=np.zeros((T, D)), backlog=np.zeros((T, D)),
                     single_served=np.zeros((T, D)), single_backlog=np.zeros((T, D)),
                     members=len(members), multi_skilled=int(multi.sum()))
        for t in range(T):
            d, own = demand[t, cols], capacity[t, cols]
            single_backlog, pr.single_served[t] = step_backlog(single_backlog, own, d)
            pr.single_backlog[t] = single_backlog
            if t < start:
                backlog, pr.served[t] = step_backlog(backlog, own, d)
                pr.backlog[t] = backlog
                continue
            factor = inputs.boost[t, cols] * working[t, cols]
            hours = np.r_[run.occ[t, members] * h * factor[home], inputs.cover_fte[t, cols] * h]
            alloc = allocate_pool(hours, all_skills, all_home, d + backlog, weights,
                                  pool.efficiency)
            served = np.asarray(alloc.served, dtype=float)
            cleared = np.asarray(alloc.unmet) <= 1e-6
            spare = max(float((hours * eff).sum() - served.sum()), 0.0)
            share = np.where(cleared, d, 0.0)
            extra = spare * share / share.sum() if share.sum() > 0 else np.zeros(D)
            out[t, cols] = served + extra
            backlog = np.maximum(d + backlog - served, 0.0)
            backlog[cleared] = 0.0
            pr.served[t], pr.backlog[t] = served, backlog
        pool_runs.append(pr)
    return out, pool_runs
