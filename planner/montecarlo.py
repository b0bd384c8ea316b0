"""Monte Carlo simulation around a scenario run (DESIGN §4 "Monte Carlo").

Each of N seeded runs draws:

* each change's go-live slippage (whole months, triangular min / most likely / max);
* leavers **per team-and-grade group per month**, binomially: people in post in
  the group (FTE in post ÷ the group's FTE per person) each leave with the
  group's monthly chance in the expected-value run.

The planned actions (deletions, reductions, redeployment, new posts) happen as
in the expected-value run. Extra (or fewer) leavers than expected change the FTE
in post from that month; the share of the group's posts being recruited to at
the time (not frozen or held for deletion) comes back after the backfill lag,
as in the engine. FTE in post stays between 0 and the establishment. Pay
moves by the group's cost per FTE, so savings vary with the staff in post.
Pooled teams keep the expected-value allocation, scaled by the pool's capacity.

Results are P10/P50/P90 bands per month (capacity ÷ demand and backlog weeks per
team, cumulative net position), the probability of a red month per team, and
the probability of meeting each financial year's savings target. Same seed,
same numbers. The loop runs over months only; each step works on runs × groups.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import sparse

from planner.capacity import RED, cover_step, rag, ratio, step_backlog, weeks_to_clear
from planner.months import fy_text
from planner.tasks import TaskState, checkpoint

if TYPE_CHECKING:
    from planner.results import Results

BANDS = (10, 50, 90)
EVENTS_PER_DRAW = 0.5  # above this many leaving events per group, draw per group instead
DEFAULT_RUNS = 1000
MAX_RUNS = 20_000  # about 0.6 GB of working memory on the demo council


@dataclass
class Simulation:
    """What N runs say about a scenario (bands are P10, P50, P90 on the first axis)."""

    runs: int
    seed: int
    teams: list[str]
    months: list[str]
    ratio_bands: np.ndarray  # (3, months, teams) capacity ÷ demand
    backlog_weeks_bands: np.ndarray  # (3, months, teams)
    cumulative_net_bands: np.ndarray  # (3, months) £
    fte_bands: np.ndarray  # (3, months) FTE in post, organisation
    fte_mean: np.ndarray  # (months,)
    cumulative_net_mean: np.ndarray  # (months,)
    p_red: np.ndarray  # (teams,) chance of at least one red month
    red_team_months: np.ndarray  # (runs,)
    cover_cost: np.ndarray  # (runs,) £ of cover to keep every team out of red
    fy_core_saving: pd.DataFrame  # per financial year: P10/P50/P90 and target chance

    def p_meet(self, year_index: int) -> float | None:
        """Chance of meeting the savings target in the n-th financial year (1 = first)."""
        fy = self.fy_core_saving
        if len(fy) < year_index:
            return None
        value = fy["p_target_met"].iloc[year_index - 1]
        return None if pd.isna(value) else float(value)

    def kpis(self) -> dict[str, Any]:
        p10, p50, p90 = np.percentile(self.cover_cost, BANDS)
        r10, r50, r90 = np.percentile(self.red_team_months, BANDS)
        return {
            "simulations": self.runs,
            "seed": self.seed,
            "teams_likely_red": int((self.p_red >= 0.5).sum()),
            "red_team_months_p10": float(r10), "red_team_months_p50": float(r50),
            "red_team_months_p90": float(r90),
            "transition_cover_cost_p10": float(p10), "transition_cover_cost_p50": float(p50),
            "transition_cover_cost_p90": float(p90),
            "p_meet_year_2_target": self.p_meet(2),
            "cumulative_net_end_p10": float(self.cumulative_net_bands[0, -1]),
            "cumulative_net_end_p50": float(self.cumulative_net_bands[1, -1]),
            "cumulative_net_end_p90": float(self.cumulative_net_bands[2, -1]),
        }

    def to_dict(self) -> dict[str, Any]:
        from planner.results import json_record, json_records

        return {
            **json_record(self.kpis()),
            "p_red_by_team": {t: round(float(p), 4) for t, p in zip(self.teams, self.p_red,
                                                                     strict=True) if p > 0},
            "by_financial_year": json_records(self.fy_core_saving),
        }


@dataclass
class _Groups:
    """Team-and-grade groups: expected-value paths the simulation varies around."""

    team_starts: np.ndarray  # first group of each present team (groups sorted by team)
    team_present: np.ndarray
    x: np.ndarray  # (months, groups) FTE in post at month end
    est: np.ndarray  # (months, groups) establishment
    leavers: np.ndarray  # (months, groups) expected leavers (FTE)
    hazard: np.ndarray  # (months, groups) monthly chance of leaving
    per_person: np.ndarray  # (groups,) FTE per person
    replaced: np.ndarray  # (months, groups) share of vacated FTE recruited to
    cost: np.ndarray  # (months, groups) running cost per FTE in post per month

    def to_teams(self, values: np.ndarray, k: int) -> np.ndarray:
        out = np.zeros((*values.shape[:-1], k))
        out[..., self.team_present] = np.add.reduceat(values, self.team_starts, axis=-1)
        return out


def _groups(results: Results) -> _Groups:
    run, prep = results.run, results.run.prep
    grade = prep.posts["grade"].astype(object).where(prep.posts["grade"].notna(), "")
    key = pd.MultiIndex.from_arrays([prep.team_code, grade.astype(str).to_numpy()])
    raw, uniques = pd.factorize(key, sort=True)  # sorted: groups come in team order
    G, n, k = len(uniques), prep.n, len(prep.team_names)
    team_of = np.asarray(uniques.get_level_values(0), dtype=np.int64)
    onehot = sparse.csr_matrix((np.ones(n), (np.arange(n), raw)), shape=(n, G))

    def by_group(matrix: np.ndarray) -> np.ndarray:
        return np.asarray(onehot.T @ np.asarray(matrix, dtype=float).T).T

    x, est = by_group(run.occ), by_group(run.est)
    size = np.bincount(raw, minlength=G)
    fte_post = np.where(prep.is_new, prep.new_fte, prep.fte0)
    per_person = np.maximum(np.bincount(raw, fte_post, minlength=G) / np.maximum(size, 1), 0.05)
    # Expected leavers per group: each post's FTE in post before leavers × its turnover
    # hazard (end-of-month FTE × h ÷ (1 − h)), scaled to the team's leavers in the run
    # (which include retirements).
    h = np.minimum(prep.hazard, 0.999)
    weight = by_group(run.occ * (h / (1.0 - h)))
    team_weight = weight @ sparse.csr_matrix(
        (np.ones(G), (np.arange(G), team_of)), shape=(G, k)).toarray()
    share = np.divide(weight, team_weight[:, team_of], out=np.zeros_like(weight),
                      where=team_weight[:, team_of] > 0)
    leavers = run.flows["leavers"][:, team_of] * share
    pre = x + leavers
    hazard = np.clip(np.divide(leavers, pre, out=np.zeros_like(pre), where=pre > 1e-9), 0, 1)
    if run.recruitable is not None:
        open_est = by_group(run.est * run.recruitable)
        replaced = np.divide(open_est, est, out=np.ones_like(est), where=est > 1e-9)
    else:
        replaced = np.ones_like(est)
    costs = results.costs.lines
    team_cost = costs["pay"] + costs["employer_ni"] + costs["pension"]
    team_x = run.team_totals(run.occ)
    per_fte_team = np.divide(team_cost, team_x, out=np.zeros_like(team_cost), where=team_x > 0)
    salary = np.bincount(raw, prep.salary * fte_post, minlength=G) / \
        np.maximum(np.bincount(raw, fte_post, minlength=G), 1e-12)
    team_salary = np.bincount(team_of, salary * size, minlength=k) / \
        np.maximum(np.bincount(team_of, size, minlength=k), 1)
    rel = np.divide(salary, team_salary[team_of], out=np.ones_like(salary),
                    where=team_salary[team_of] > 0)
    present = np.unique(team_of)
    return _Groups(team_starts=np.searchsorted(team_of, present), team_present=present,
                   x=x, est=est, leavers=leavers, hazard=hazard, per_person=per_person,
                   replaced=replaced, cost=per_fte_team[:, team_of] * rel)


def binomial_draws(rng: np.random.Generator, n: np.ndarray, rate: np.ndarray) -> np.ndarray:
    """Binomial(n, p) draws for an array of groups, with p = 1 − exp(−rate), exactly.

    Leavers are rare (about 1 % of people a month), so instead of one draw per group
    this draws the few leaving events: each person has a Poisson clock of ``rate``
    a month and leaves if it rings at least once (chance 1 − e^−rate = p, independent
    across people). The events of all runs and groups are placed in one pass (a
    Poisson total per row, positions by inverse CDF over the cumulative rates) and
    each person is counted once. ``n`` is (rows, groups) of whole people; ``rate``
    broadcasts over rows. When leavers are not rare (more than one event per two
    groups) numpy's per-group binomial draw is used instead: same distribution.
    """
    rows, cols = n.shape
    lam = (n * rate).ravel()
    cum = np.cumsum(lam)
    if cum[-1] > EVENTS_PER_DRAW * lam.size if lam.size else False:
        # Many leavers per group (large groups): one binomial draw per group is cheaper.
        p = -np.expm1(-np.broadcast_to(rate, n.shape))
        return rng.binomial(n, p)
    ends = cum[cols - 1::cols]
    totals = np.diff(ends, prepend=0.0)
    counts = rng.poisson(np.maximum(totals, 0.0))
    row = np.repeat(np.arange(rows), counts)
    pos = (ends - totals)[row] + rng.random(row.size) * totals[row]
    flat = np.searchsorted(cum, pos, side="right")
    flat = np.clip(flat, row * cols, row * cols + cols - 1)  # rounding at a row's edge
    size = n.ravel()[flat]
    person = np.minimum((rng.random(row.size) * size).astype(np.int64), np.maximum(size - 1, 0))
    width = int(n.max()) + 1 if n.size else 1
    hit = np.unique(flat.astype(np.int64) * width + person) // width
    return np.bincount(hit, minlength=rows * cols).reshape(rows, cols)


def simulate(results: Results, runs: int = DEFAULT_RUNS, seed: int | None = None,
             state: TaskState | None = None) -> Simulation:
    """Run the simulation; raises :class:`planner.errors.Cancelled` if ``state`` cancels."""
    from planner.errors import PlannerError

    if not 1 <= runs <= MAX_RUNS:
        raise PlannerError(f"The number of simulations must be from 1 to {MAX_RUNS:,}, "
                           f"not {runs:,}.")
    seed = secrets.randbelow(2**31) if seed is None else int(seed)
    rng = np.random.default_rng(seed)
    checkpoint(state, 0.0, "Preparing the simulation…")
    svc = results.service()
    inp, limits = svc.inputs, results.scenario.targets.risk
    T, k = svc.paths.capacity.shape
    g = _groups(results)
    h = inp.hours_per_fte_month
    slips = inp.effects.draw_slips(rng, runs)
    lag = results.run.prep.lag
    pipe = np.zeros((lag + 1, runs, g.x.shape[1])) if lag else None
    pipe_b = np.zeros((lag + 1, runs, g.x.shape[1])) if lag else None
    y = np.zeros((runs, g.x.shape[1]))
    yb = np.zeros_like(y)
    coping = ~inp.base.given  # teams whose demand is their baseline capacity
    backlog = np.zeros((runs, k))
    held = np.zeros((runs, k))
    red_any = np.zeros((runs, k), dtype=bool)
    red_count = np.zeros(runs)
    cover_hours = np.zeros(runs)
    saving_dev = np.zeros((runs, T))
    fte = np.zeros((runs, T))
    ratio_b = np.zeros((3, T, k))
    weeks_b = np.zeros((3, T, k))
    kth = [min(runs - 1, round(q / 100 * (runs - 1))) for q in BANDS]
    pooled_cols = [np.array([results.teams.index(t) for t in p.teams]) for p in svc.pools]
    raw_cap = inp.capacity()  # before pooling
    expected_pre = g.x + g.leavers  # FTE in post before each month's leavers
    inv_person = 1.0 / g.per_person
    lowest = -g.x
    alive = (g.est > 1e-9).astype(float)
    buf = np.empty_like(y)
    rates = -np.log1p(-np.minimum(g.hazard, 1.0 - 1e-12))  # per-person Poisson clock rates
    for t in range(T):
        checkpoint(state, (t + 0.5) / T, f"Simulating month {t + 1} of {T}…")
        if pipe is not None and pipe_b is not None:
            slot = t % (lag + 1)
            y += pipe[slot]
            pipe[slot] = 0.0
            yb += pipe_b[slot]
            pipe_b[slot] = 0.0
        pre = np.add(y, expected_pre[t], out=buf)
        np.maximum(pre, 0.0, out=pre)
        pre *= inv_person  # people in post; rounded up or down at random, unbiased
        pre += rng.random(pre.shape)
        heads = np.floor(pre, out=pre).astype(np.int64)
        left = binomial_draws(rng, heads, rates[t]) * g.per_person
        left -= g.leavers[t]  # leavers beyond those expected (FTE)
        y -= left
        back = left * g.replaced[t]  # recruited to, back after the lag
        if pipe is not None:
            pipe[(t + lag) % (lag + 1)] += back
        else:
            y += back
        np.maximum(y, lowest[t], out=y)
        y *= alive[t]  # a group whose posts are all gone has nobody in post
        # The same leavers in the baseline, where every vacancy is recruited to: a team with
        # no demand given is "just coping" with what its baseline staff deliver in this run.
        yb -= left
        if pipe_b is not None:
            pipe_b[(t + lag) % (lag + 1)] += left
        else:
            yb += left
        team_y = g.to_teams(y, k)
        fte[:, t] = g.x[t].sum() + y.sum(1)
        saving_dev[:, t] = -(y @ g.cost[t])
        if inp.effects.n:
            keep, boost = inp.effects.factors(inp.effects.progress(t, slips))
        else:
            keep, boost = inp.keep[t], inp.boost[t]
        staff = np.maximum(inp.staff_fte[t] + team_y, 0.0)
        cap = staff * h * boost + inp.cover_fte[t] * h
        for cols in pooled_cols:
            ev_raw = raw_cap[t, cols].sum()
            scale = cap[:, cols].sum(1, keepdims=True) / ev_raw if ev_raw > 0 else 1.0
            cap[:, cols] = svc.paths.capacity[t, cols] * scale
        base = inp.base.hours[t] + np.where(coping, g.to_teams(yb, k) * h, 0.0)
        dem = np.maximum(base * keep + inp.base.positions[t], 0.0)
        backlog, _ = step_backlog(backlog, cap, dem)
        weeks = weeks_to_clear(backlog, cap)
        r = ratio(cap, dem)
        red = rag(r, weeks, limits) == RED
        red_any |= red
        red_count += red.sum(1)
        extra, held = cover_step(held, cap, dem, limits)
        cover_hours += extra.sum(1)
        ratio_b[:, t] = np.partition(np.nan_to_num(r, nan=np.inf), kth, axis=0)[kth]
        weeks_b[:, t] = np.partition(weeks, kth, axis=0)[kth]
    checkpoint(state, 1.0, "Summarising…")
    m = results.monthly()
    net = np.cumsum(m["net"].to_numpy()[None, :] + saving_dev, axis=1)
    core = m["core_saving"].to_numpy()[None, :] + saving_dev
    return Simulation(
        runs=runs, seed=seed, teams=list(results.teams), months=results.months,
        ratio_bands=np.where(np.isinf(ratio_b), np.nan, ratio_b), backlog_weeks_bands=weeks_b,
        cumulative_net_bands=np.percentile(net, BANDS, axis=0), cumulative_net_mean=net.mean(0),
        fte_bands=np.percentile(fte, BANDS, axis=0), fte_mean=fte.mean(0), p_red=red_any.mean(0),
        red_team_months=red_count,
        cover_cost=cover_hours / h * results.scenario.assumptions.agency_cost_per_fte / 12.0,
        fy_core_saving=_fy_table(results, core))


def _fy_table(results: Results, core: np.ndarray) -> pd.DataFrame:
    """Core saving per financial year: P10/P50/P90 and the chance of meeting the target."""
    years = np.array(results.scenario.horizon.fy_start_years())
    targets = dict(results.scenario.targets.savings_by_fy)
    rows = []
    for year in dict.fromkeys(years.tolist()):
        sel = years == year
        total = core[:, sel].sum(1)
        p10, p50, p90 = np.percentile(total, BANDS)
        target = targets.get(year)
        whole = int(sel.sum()) == 12
        rows.append({"financial_year": fy_text(year), "months": int(sel.sum()),
                     "core_saving_p10": p10, "core_saving_p50": p50, "core_saving_p90": p90,
                     "target": target,
                     "p_target_met": (float((total >= target - 0.005).mean())
                                      if target is not None and whole else None)})
    return pd.DataFrame(rows)
