"""Service capacity against demand for one scenario run (DESIGN §4 and §5).

Per team and month:

* capacity hours = (FTE in post − FTE lost to retraining) × productive hours ÷ 12
  × productivity multiplier from changes + temporary cover FTE × productive hours ÷ 12;
* demand hours from :mod:`planner.demand`, less the share changes remove;
* multi-skilled pools re-allocate their members' hours across the pool's teams by
  the linear programme in :mod:`planner.pools`, month by month with the backlog
  each team carries in;
* contact-centre teams also get an Erlang C service level (answered within the
  target seconds) from their agents after shrinkage and the month's call volume.

The result holds the paths (:class:`planner.capacity.Paths`), the teams × months
risk table, the cover needed to hold the line, and the cut-before-live flags.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planner.benefits import ChangeEffects
from planner.capacity import RAG_LABELS, RED, Paths, paths
from planner.demand import DemandBase, demand_base
from planner.months import format_month
from planner.pool_capacity import PoolRun, pooled_capacity
from planner.scenario import ContactCentre, Scenario

if TYPE_CHECKING:
    from planner.results import Results

#: A contact centre's reference demand below this many hours a month is none at all.
NO_REFERENCE_HOURS = 1e-6


@dataclass(frozen=True)
class CutBeforeLive:
    """A reduction made in a team before the change meant to absorb it has ramped up."""

    action: int  # position in scenario.actions
    label: str
    team: str
    month: int
    fte_removed: float
    change: str
    full_effect_month: int

    @property
    def months_early(self) -> int:
        return self.full_effect_month - self.month

    def describe(self) -> str:
        return (f"{self.label or 'Reduction'}: {self.fte_removed:,.1f} FTE removed from "
                f"{self.team} in {format_month(self.month)}, {self.months_early} months "
                f"before '{self.change}' reaches full effect "
                f"({format_month(self.full_effect_month)})")


@dataclass
class ServiceInputs:
    """The pieces capacity is built from (kept for simulation and the advisor)."""

    hours_per_fte_month: float
    staff_fte: np.ndarray  # (months, teams) FTE in post less retraining loss
    cover_fte: np.ndarray  # (months, teams) temporary cover in the scenario
    base: DemandBase
    effects: ChangeEffects
    keep: np.ndarray  # (months, teams) share of demand left after changes (as planned)
    boost: np.ndarray  # (months, teams) productivity multiplier (as planned)

    def capacity(self) -> np.ndarray:
        h = self.hours_per_fte_month
        return self.staff_fte * h * self.boost + self.cover_fte * h

    def demand(self) -> np.ndarray:
        return self.base.total(1.0 - self.keep)


@dataclass
class Service:
    """Capacity, demand, backlog, risk and cover per team and month for one run."""

    scenario: Scenario
    teams: list[str]
    inputs: ServiceInputs
    paths: Paths
    service_level: np.ndarray  # (months, teams) NaN where not a contact centre
    asa_seconds: np.ndarray
    cut_before_live: list[CutBeforeLive]
    pools: list[PoolRun] = field(default_factory=list)
    cover_cost_per_fte_year: float = 0.0

    @property
    def months(self) -> list[str]:
        return self.scenario.horizon.labels()

    @property
    def cover_fte(self) -> np.ndarray:
        """(months, teams) temporary cover FTE that would keep each team out of red."""
        return self.paths.cover_hours / self.inputs.hours_per_fte_month

    def risk_table(self) -> pd.DataFrame:
        """Teams × months of "Green" / "Amber" / "Red" (teams with no demand left out)."""
        active = (self.paths.demand.sum(0) > 0) | (self.paths.backlog.sum(0) > 0)
        labels = np.array(RAG_LABELS, dtype=object)[self.paths.rag.T[active]]
        return pd.DataFrame(labels, index=pd.Index(np.array(self.teams)[active], name="team"),
                            columns=self.months)

    def frame(self) -> pd.DataFrame:
        """One row per team and month with every service figure."""
        T, k = self.paths.capacity.shape
        p = self.paths
        return pd.DataFrame({
            "month": np.repeat(self.months, k),
            "team": np.tile(np.array(self.teams, dtype=object), T),
            "capacity_hours": p.capacity.ravel(),
            "demand_hours": p.demand.ravel(),
            "throughput_hours": p.throughput.ravel(),
            "backlog_hours": p.backlog.ravel(),
            "backlog_weeks": p.weeks.ravel(),
            "capacity_ratio": p.ratio.ravel(),
            "rag": np.array(RAG_LABELS, dtype=object)[p.rag.ravel()],
            "cover_needed_fte": self.cover_fte.ravel(),
            "service_level": self.service_level.ravel(),
            "asa_seconds": self.asa_seconds.ravel(),
        })

    def kpis(self) -> dict[str, Any]:
        p = self.paths
        red = p.rag == RED
        finite = p.weeks[np.isfinite(p.weeks)]
        fte_months = float(self.cover_fte.sum())
        first_red = {self.teams[j]: self.months[int(np.argmax(red[:, j]))]
                     for j in np.flatnonzero(red.any(0))}
        return {
            "red_team_months": int(red.sum()),
            "amber_team_months": int((p.rag == 1).sum()),
            "teams_ever_red": len(first_red),
            "first_red_month": first_red,
            "peak_backlog_weeks": float(finite.max()) if finite.size else 0.0,
            "no_capacity_team_months": int(np.isinf(p.weeks).sum()),
            "transition_cover_fte_months": fte_months,
            "transition_cover_cost": fte_months * self.cover_cost_per_fte_year / 12.0,
            "cut_before_live": len(self.cut_before_live),
        }


def service_inputs(results: Results) -> ServiceInputs:
    """Capacity and demand ingredients for a run (no backlog or pools yet)."""
    scenario, run = results.scenario, results.run
    T, teams = scenario.horizon.months, results.teams
    h = scenario.assumptions.productive_hours_per_fte / 12.0
    lost = results.one_off.retraining_fte_lost
    staff = run.team_totals(run.occ) - (lost if lost is not None else 0.0)
    base = demand_base(scenario, teams, results.baseline.team_totals(results.baseline.occ) * h)
    effects = ChangeEffects.build(scenario.changes, scenario.horizon.start, teams)
    keep, boost = effects.planned(T)
    return ServiceInputs(hours_per_fte_month=h, staff_fte=np.maximum(staff, 0.0),
                         cover_fte=run.prep.cover_fte, base=base, effects=effects,
                         keep=keep, boost=boost)


def contact_centre_levels(inputs: ServiceInputs, demand: np.ndarray, capacity_fte: np.ndarray,
                          boost: np.ndarray, centres: dict[int, ContactCentre]
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Erlang C service level and ASA per month for contact-centre teams (NaN elsewhere).

    Arrays have teams on the last axis and any leading axes (months, or runs).
    """
    level = np.full(demand.shape, np.nan)
    asa = np.full(demand.shape, np.nan)
    if not centres:
        return level, asa
    from planner.erlang import asa_array, service_level_array

    for j, cc in centres.items():
        ref = inputs.base.reference[j]
        # No reference month to scale by (or one too small to divide by, a fraction of a
        # second's work): the calls are as set.
        share = demand[..., j] / ref if ref > NO_REFERENCE_HOURS else np.ones(demand.shape[:-1])
        agents = capacity_fte[..., j] * (1.0 - cc.shrinkage_pct / 100.0)
        # A productivity gain shortens handling: fewer erlangs from the same calls.
        calls = cc.calls_per_interval * share / boost[..., j]
        level[..., j] = service_level_array(agents, calls, cc.interval_minutes,
                                            cc.aht_seconds, cc.answer_seconds)
        asa[..., j] = asa_array(agents, calls, cc.interval_minutes, cc.aht_seconds)
    return level, asa


def cut_before_live(results: Results, effects: ChangeEffects) -> list[CutBeforeLive]:
    """Flag each reduction made in a team before a change affecting that team is at full effect."""
    scenario, run = results.scenario, results.run
    prep, start = run.prep, scenario.horizon.start
    if not scenario.changes:
        return []
    full = effects.full_effect()
    out: list[CutBeforeLive] = []
    for t, events in sorted(prep.events.items()):
        for ev in events:
            if ev.kind not in ("delete", "reduce", "freeze_start") or not ev.idx.size:
                continue
            action = scenario.actions[ev.action]
            if ev.kind == "freeze_start" and not getattr(action, "delete_on_vacancy", False):
                continue
            before = run.est[t - 1, ev.idx] if t > 0 else prep.fte0[ev.idx]
            end = t if ev.kind != "freeze_start" else run.est.shape[0] - 1
            removed = np.maximum(before - run.est[end, ev.idx], 0.0)
            codes = prep.team_code[ev.idx]
            for j in np.unique(codes):
                fte = float(removed[codes == j].sum())
                late = [(full[c], c) for c in np.flatnonzero(effects.teams[:, j]) if full[c] > t]
                if fte <= 1e-9 or not late:
                    continue
                when, c = max(late)
                out.append(CutBeforeLive(
                    action=ev.action, label=getattr(action, "label", ""),
                    team=results.teams[j], month=start + t, fte_removed=fte,
                    change=scenario.changes[c].name, full_effect_month=start + int(when)))
    return out


def service(results: Results) -> Service:
    """Work out capacity against demand, backlog, risk and cover for a run."""
    scenario = results.scenario
    inputs = service_inputs(results)
    capacity, demand = inputs.capacity(), inputs.demand()
    pool_runs: list[PoolRun] = []
    if scenario.pools:
        capacity, pool_runs = pooled_capacity(results, inputs, capacity, demand)
    p = paths(capacity, demand, scenario.targets.risk)
    level, asa = contact_centre_levels(inputs, demand, inputs.staff_fte + inputs.cover_fte,
                                       inputs.boost, inputs.base.contact_centres)
    return Service(scenario=scenario, teams=results.teams, inputs=inputs, paths=p,
                   service_level=level, asa_seconds=asa,
                   cut_before_live=cut_before_live(results, inputs.effects), pools=pool_runs,
                   cover_cost_per_fte_year=scenario.assumptions.agency_cost_per_fte)
