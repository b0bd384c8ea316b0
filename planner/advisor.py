"""Safe sequencing (DESIGN §5): when can each reduction happen without a team going red?

For each reduction (deleting posts, reducing FTE) the advisor finds the earliest
month at which it adds no red month to the teams it cuts, compared with not
making it at all (so a team already red for other reasons is judged on what
this reduction adds); otherwise a cut near the end would look safe
only because the horizon stops before the backlog reaches the red line, so the
last month's capacity and demand are held for two more years as a check. It
searches by bisection over the horizon, assuming a later cut is never less safe,
on the expected-value
run and, when asked, on a simulation at a chosen confidence (the cut may add a
red month in at most 1 − confidence of the runs).

It also gives the savings forgone by waiting (cumulative net position at the
horizon end, planned against safe month), the temporary cover (FTE-months and £)
that would hold the line if the cut happens on the planned date, and a suggested
schedule: every reduction at its safe month, then, while a financial year's
savings target is missed, the reduction with the most saving per £ of cover
brought back to its planned month. When even the plan as dated misses a target,
it says so and gives the shortfall.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from planner.capacity import RED
from planner.demand import WEEKS_PER_MONTH
from planner.months import format_month
from planner.results import Results
from planner.runner import run_scenario
from planner.scenario import Action, DeletePosts, ReduceFTE, Scenario, VacancyFreeze
from planner.selectors import select_mask
from planner.tasks import TaskState, checkpoint
from planner.workforce import Workforce, as_workforce

AFTER_MONTHS = 24  # how far past the horizon the last month's position is held


@dataclass
class Advice:
    """The advisor's answer for one reduction."""

    action: int
    label: str
    teams: list[str]
    planned_month: int
    safe_month: int | None  # None: adds red months wherever it falls in the horizon
    safe_month_confident: int | None = None
    confidence: float | None = None
    savings_forgone: float = 0.0  # £ of cumulative net position given up by waiting
    cover_fte_months: float = 0.0  # to hold the line if cut on the planned date
    cover_cost: float = 0.0

    @property
    def safe_on_plan(self) -> bool:
        return self.safe_month is not None and self.safe_month <= self.planned_month

    def describe(self) -> str:
        text = self._describe()
        if self.confidence is not None:
            when = (format_month(self.safe_month_confident)
                    if self.safe_month_confident is not None else "never in the horizon")
            text += f" At {self.confidence:.0%} confidence: safe from {when}."
        return text

    def _describe(self) -> str:
        name = self.label or f"Reduction {self.action + 1}"
        where = ", ".join(self.teams)
        if self.safe_month is None:
            return (f"{name} ({where}): never safe in the horizon: wherever it falls it adds "
                    "red months or leaves the team short for good (the benefit meant to "
                    "absorb it is too small); holding the line from "
                    f"{format_month(self.planned_month)} needs {self.cover_fte_months:,.1f} "
                    f"FTE-months of cover (£{self.cover_cost:,.0f}).")
        if self.safe_on_plan:
            return (f"{name} ({where}): safe on the planned date "
                    f"{format_month(self.planned_month)} (safe from "
                    f"{format_month(self.safe_month)}).")
        return (f"{name} ({where}): planned {format_month(self.planned_month)}, safe from "
                f"{format_month(self.safe_month)}; waiting gives up £{self.savings_forgone:,.0f};"
                f" cutting on plan needs {self.cover_fte_months:,.1f} FTE-months of cover "
                f"(£{self.cover_cost:,.0f}) to hold the line.")


@dataclass
class Schedule:
    """A suggested date for each reduction and whether it meets the savings targets."""

    months: dict[int, int]  # action position -> month
    meets_targets: bool
    shortfall: dict[str, float]  # financial year -> £ short of the target
    red_team_months: int
    cover_cost: float
    message: str
    scenario: Scenario = field(repr=False)


@dataclass
class Advisor:
    """Runs scenario variants on one establishment (compiled once)."""

    wf: Workforce
    scenario: Scenario
    state: TaskState | None = None
    confidence: float | None = None
    simulations: int = 200
    seed: int = 0
    _cache: dict[Any, Results] = field(default_factory=dict)

    def run(self, scenario: Scenario) -> Results:
        key = tuple(scenario.actions)
        if key not in self._cache:
            self._cache[key] = run_scenario(self.wf, scenario, check=False)
        return self._cache[key]

    def reductions(self) -> list[int]:
        return [i for i, a in enumerate(self.scenario.actions)
                if isinstance(a, (DeletePosts, ReduceFTE))
                or (isinstance(a, VacancyFreeze) and a.delete_on_vacancy)]

    def teams_of(self, action: Action) -> np.ndarray:
        assert isinstance(action, (DeletePosts, ReduceFTE, VacancyFreeze))
        return np.unique(self.wf.team_code[select_mask(action.select, self.wf)])

    def moved(self, i: int, month: int | None, base: Scenario | None = None) -> Scenario:
        """The scenario with action ``i`` at ``month`` (None: left out)."""
        sc = base or self.scenario
        actions = list(sc.actions)
        if month is None:
            actions[i] = replace(actions[i], month=-1)  # marker, removed below
            actions = [a for a in actions if a.month != -1]
        else:
            action = actions[i]
            if isinstance(action, VacancyFreeze) and action.until is not None:
                # A freeze moves as a whole; it ends at the horizon end at the latest.
                until = action.until + month - action.month
                action = replace(action, until=until if until < sc.horizon.end else None)
            actions[i] = replace(action, month=month)
        return replace(sc, actions=tuple(actions))

    # ----- safety tests --------------------------------------------------------------------
    def _red(self, results: Results, teams: np.ndarray) -> int:
        return int((results.service().paths.rag[:, teams] == RED).sum())

    def _red_after(self, results: Results, teams: np.ndarray) -> np.ndarray:
        """Per team, 1 if holding the last month's capacity and demand for two more years
        turns it red (by ratio, or by the backlog passing the red weeks), else 0."""
        p, limits = results.service().paths, self.scenario.targets.risk
        cap, dem, backlog = p.capacity[-1, teams], p.demand[-1, teams], p.backlog[-1, teams]
        ratio_red = np.nan_to_num(cap / np.where(dem > 0, dem, np.nan), nan=np.inf) \
            < limits.red_ratio
        later = backlog + AFTER_MONTHS * np.maximum(dem - cap, 0.0)
        backlog_red = later * WEEKS_PER_MONTH > limits.red_backlog_weeks * cap + 1e-9
        return (ratio_red | backlog_red).astype(int)

    def _p_red(self, results: Results, teams: np.ndarray) -> float:
        from planner.montecarlo import simulate

        sim = simulate(results, self.simulations, seed=self.seed)
        return float(np.max(sim.p_red[teams])) if teams.size else 0.0

    def _safe_search(self, is_safe: Callable[[int], bool]) -> int | None:
        h = self.scenario.horizon
        lo, hi = h.start, h.end - 1
        if not is_safe(hi):
            return None
        while lo < hi:  # earliest safe month, assuming later is never less safe
            mid = (lo + hi) // 2
            if is_safe(mid):
                hi = mid
            else:
                lo = mid + 1
        return lo

    def advise_one(self, i: int) -> Advice:
        action = self.scenario.actions[i]
        teams = self.teams_of(action)
        without = self.run(self.moved(i, None))
        red0 = self._red(without, teams)
        late0 = self._red_after(without, teams)

        def safe(month: int) -> bool:
            res = self.run(self.moved(i, month))
            # No red month added, inside the horizon or in the two years after it with the
            # last month's capacity and demand (a cut near the end must not look safe only
            # because the horizon stops before its backlog reaches the red line).
            return (self._red(res, teams) <= red0
                    and bool(np.all(self._red_after(res, teams) <= late0)))

        safe_month = self._safe_search(safe)
        confident = None
        if self.confidence is not None:
            p0 = self._p_red(without, teams)
            allowed = p0 + (1.0 - self.confidence) + 1e-12

            def safe_mc(month: int) -> bool:
                return safe(month) and self._p_red(self.run(self.moved(i, month)),
                                                   teams) <= allowed

            confident = self._safe_search(safe_mc)
        planned = self.run(self.scenario)
        cover_now = planned.service().cover_fte[:, teams].sum()
        cover_without = without.service().cover_fte[:, teams].sum()
        fte_months = max(float(cover_now - cover_without), 0.0)
        forgone = 0.0
        if safe_month is not None and safe_month > action.month:
            later = self.run(self.moved(i, safe_month))
            forgone = float(planned.monthly()["cumulative_net"].iloc[-1]
                            - later.monthly()["cumulative_net"].iloc[-1])
        rate = self.scenario.assumptions.agency_cost_per_fte / 12.0
        return Advice(action=i, label=getattr(action, "label", ""),
                      teams=[self.wf.team_names[j] for j in teams], planned_month=action.month,
                      safe_month=safe_month, safe_month_confident=confident,
                      confidence=self.confidence, savings_forgone=forgone,
                      cover_fte_months=fte_months, cover_cost=fte_months * rate)

    # ----- schedule ------------------------------------------------------------------------
    def shortfall(self, results: Results) -> dict[str, float]:
        fy = results.by_financial_year()
        short = fy[fy["target_met"].map(lambda met: met is False)]  # whole years judged
        return {str(y): -float(g) for y, g in zip(short["financial_year"], short["gap"],
                                                  strict=True)}

    def schedule(self, advice: list[Advice]) -> Schedule:
        def suggested(a: Advice) -> int:
            safe = a.safe_month_confident if a.confidence is not None else a.safe_month
            return a.planned_month if safe is None else max(safe, a.planned_month)

        months = {a.action: suggested(a) for a in advice}
        delayed = [a for a in advice if months[a.action] > a.planned_month]

        def build(m: dict[int, int]) -> tuple[Scenario, Results]:
            sc = self.scenario
            for i, month in m.items():
                sc = self.moved(i, month, sc)
            return sc, self.run(sc)

        sc, res = build(months)
        short = self.shortfall(res)
        # Bring back first the delays that give up most saving per £ of cover needed.
        delayed.sort(key=lambda a: -a.savings_forgone / max(a.cover_cost, 1.0))
        while short and delayed:
            a = delayed.pop(0)
            months[a.action] = a.planned_month
            sc, res = build(months)
            short = self.shortfall(res)
        kpis = res.service().kpis()
        if not short:
            moved = sum(1 for a in advice if months[a.action] != a.planned_month)
            message = ("Every financial year's savings target is met with "
                       f"{moved} reduction(s) re-dated; {kpis['red_team_months']} red "
                       f"team-months remain; cover to hold the line £"
                       f"{kpis['transition_cover_cost']:,.0f}.")
        else:
            gaps = "; ".join(f"{fy}: £{v:,.0f} short" for fy, v in short.items())
            message = ("No schedule of these reductions meets every savings target, even on "
                       f"the planned dates ({gaps}). Find further savings or accept the gap.")
        return Schedule(months=months, meets_targets=not short, shortfall=short,
                        red_team_months=int(kpis["red_team_months"]),
                        cover_cost=float(kpis["transition_cover_cost"]), message=message,
                        scenario=sc)


def advise(posts: pd.DataFrame | Workforce, scenario: Scenario, *,
           confidence: float | None = None, simulations: int = 200, seed: int = 0,
           state: TaskState | None = None) -> tuple[list[Advice], Schedule]:
    """Advice for every reduction in the scenario, and a suggested schedule."""
    advisor = Advisor(as_workforce(posts), scenario, state, confidence, simulations, seed)
    found = []
    todo = advisor.reductions()
    for n, i in enumerate(todo):
        checkpoint(state, n / max(len(todo), 1), f"Checking reduction {n + 1} of {len(todo)}…")
        found.append(advisor.advise_one(i))
    checkpoint(state, 0.95, "Suggesting a schedule…")
    return found, advisor.schedule(found)
