"""Run a scenario end to end: baseline, redeployment matching, projection, costs, results."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from planner.costing import RunningCosts, running_costs
from planner.engine import Move, Run, project
from planner.engine_inputs import Prepared, prepare
from planner.redeployment import (
    RedeploymentResult,
    grade_medians,
    grade_ranks,
    match_redeployment,
)
from planner.results import Results
from planner.scenario import Scenario, VacancyFreeze
from planner.scenario_io import check_scenario
from planner.selectors import select_mask
from planner.tasks import TaskState, checkpoint
from planner.workforce import Workforce, as_workforce

_PERSON_COLUMNS = ("post_id", "team", "directorate", "service", "grade", "skills")


def _people(prep: Prepared, idx: np.ndarray) -> dict[str, object]:
    posts = prep.posts
    cols: dict[str, object] = {c: posts[c].iloc[idx].to_numpy() for c in _PERSON_COLUMNS}
    cols["annual_salary"] = prep.salary[idx]
    return cols


def redeployment_problem(prep: Prepared, scenario: Scenario) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Displaced people (holders of deleted filled posts) and the slots open to them.

    Slots are every new post (open from its creation month; it is held for the
    redeployee) and the vacancies open at the start that no action deletes or
    freezes. A vacancy is only offered to someone whose post goes within the
    backfill lag of the start: after that it has been filled by recruitment.
    Vacancies that arise later through turnover are fractional in the
    expected-value model and are not offered (so later deletions show more
    redundancies than they may in practice; the Monte Carlo mode will offer them).
    """
    start = scenario.horizon.start
    deleted: dict[int, int] = {}
    for t, events in sorted(prep.events.items()):
        for e in events:
            if e.kind == "delete":
                for i in e.idx.tolist():
                    deleted.setdefault(i, t)
    person = np.array([i for i in deleted if prep.occ0[i] > 0], dtype=np.int64)
    displaced = pd.DataFrame({"person": person, **_people(prep, person),
                              "fte": prep.fte0[person],
                              "month": [start + deleted[i] for i in person.tolist()]})
    blocked = np.zeros(prep.n, dtype=bool)
    blocked[list(deleted)] = True
    for action in scenario.actions:
        if isinstance(action, VacancyFreeze):
            blocked[:prep.n_existing] |= select_mask(action.select, prep.wf)
    vacancy = (~prep.is_new) & (prep.occ0 <= 0) & (prep.fte0 > 0) & ~blocked
    opens = np.full(prep.n, start, dtype=np.int64)
    for t, events in prep.events.items():
        for e in events:
            if e.kind == "create":
                opens[e.idx] = start + t
    slot = np.flatnonzero(vacancy | prep.is_new)
    closes = np.where(prep.is_new, np.iinfo(np.int64).max, start + prep.lag)
    slots = pd.DataFrame({"slot": slot, **_people(prep, slot),
                          "fte": np.where(prep.is_new, prep.new_fte, prep.fte0)[slot],
                          "open_month": opens[slot], "close_month": closes[slot],
                          "source": np.where(prep.is_new[slot], "new post", "vacancy")})
    return displaced, slots


def _baseline(wf: Workforce, scenario: Scenario, teams: list[str],
              state: TaskState | None) -> tuple[Run, RunningCosts]:
    """The baseline run and its costs, cached on the workforce.

    It depends only on the horizon, the assumptions, natural wastage and the
    team list, so editing actions never recomputes it.
    """
    key = ("baseline", scenario.horizon, scenario.assumptions, scenario.natural_wastage,
           tuple(teams))
    if key not in wf.cache:
        checkpoint(state, 0.1, "Projecting the baseline…")
        base_prep = prepare(wf, replace(scenario, actions=()), teams=teams)
        run = project(base_prep)
        baselines = [k for k in wf.cache if isinstance(k, tuple) and k[0] == "baseline"]
        if len(baselines) >= 8:  # keep memory bounded: drop the oldest
            wf.cache.pop(baselines[0])
        wf.cache[key] = (run, running_costs(run, scenario.assumptions))
    cached: tuple[Run, RunningCosts] = wf.cache[key]
    return cached


def run_scenario(posts: pd.DataFrame | Workforce, scenario: Scenario,
                 state: TaskState | None = None, *, check: bool = True) -> Results:
    """Baseline and scenario projections with costs; raises ScenarioError on a bad scenario.

    Pass a :class:`~planner.workforce.Workforce` (compiled once from the posts)
    when running many scenarios on one establishment: it is much faster.
    """
    wf = as_workforce(posts)
    if check:
        check_scenario(scenario, wf)
    checkpoint(state, 0.0, "Preparing…")
    prep = prepare(wf, scenario)
    match: RedeploymentResult | None = None
    moves: dict[int, Move] = {}
    displaced, slots = redeployment_problem(prep, scenario)
    if len(displaced):
        if "grades" not in wf.cache:
            wf.cache["grades"] = (grade_ranks(wf.posts), grade_medians(wf.posts))
        ranks, medians = wf.cache["grades"]
        match = match_redeployment(displaced, slots, scenario.redeployment, ranks, medians)
        m = match.matches
        if len(m):
            t = m["month"].to_numpy() - scenario.horizon.start
            for month in np.unique(t):
                sel = t == month
                slot_idx = m["slot"].to_numpy()[sel]
                moves[int(month)] = Move(m["person"].to_numpy()[sel], slot_idx)
                # Ring-fence the slot for the redeployee until the move (at most the
                # backfill lag for a vacancy; a new post from its creation).
                prep.hold_until[slot_idx] = np.maximum(prep.hold_until[slot_idx], int(month))
    baseline, baseline_costs = _baseline(wf, scenario, prep.team_names, state)
    checkpoint(state, 0.4, "Projecting the scenario…")
    run = project(prep, moves)
    checkpoint(state, 0.7, "Costing…")
    from planner.one_off import one_off_costs

    one_off = one_off_costs(run, scenario, match)
    results = Results(
        scenario=scenario,
        run=run,
        baseline=baseline,
        costs=running_costs(run, scenario.assumptions),
        baseline_costs=baseline_costs,
        one_off=one_off,
        redeployment=match,
        warnings=[*prep.warnings, *one_off.warnings],
    )
    checkpoint(state, 1.0, "Done")
    return results
