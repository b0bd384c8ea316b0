"""Stock-and-flow backlog, green/amber/red risk and the cover that holds the line (DESIGN §4).

Pure arithmetic on arrays whose last axis is teams (and any leading axes, such
as simulation runs), one month at a time or over a whole path:

* backlog_t = max(0, backlog_{t−1} + demand_t − capacity_t);
* throughput_t = min(capacity_t, demand_t + backlog_{t−1});
* weeks to clear = backlog ÷ (capacity ÷ 4.345) (infinite with backlog and no capacity);
* red when capacity ÷ demand < red ratio or backlog > red weeks; amber likewise with
  the amber limits; a team with no demand is green;
* cover needed: the least extra capacity that keeps a team out of red this month,
  given the backlog it carries in when cover is bought every month it is needed:
  c' = max(c, red_ratio × d, (b + d) ÷ (1 + red_weeks ÷ 4.345)).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.demand import WEEKS_PER_MONTH
from planner.scenario import RiskThresholds

GREEN, AMBER, RED = 0, 1, 2
RAG_LABELS: tuple[str, ...] = ("Green", "Amber", "Red")


def step_backlog(backlog: np.ndarray, capacity: np.ndarray,
                 demand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One month: (new backlog, throughput)."""
    work = backlog + demand
    throughput = np.minimum(capacity, work)
    return work - throughput, throughput


def weeks_to_clear(backlog: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """Backlog in weeks of the team's capacity (inf with a backlog and no capacity)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        weeks = backlog * WEEKS_PER_MONTH / capacity
    return np.where(backlog <= 1e-9, 0.0, np.where(capacity > 0, weeks, np.inf))


def ratio(capacity: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Capacity ÷ demand (NaN where there is no demand)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(demand > 1e-9, capacity / demand, np.nan)


def rag(ratio_: np.ndarray, weeks: np.ndarray, limits: RiskThresholds) -> np.ndarray:
    """0 green, 1 amber, 2 red (no demand: judged on the backlog alone)."""
    r = np.nan_to_num(ratio_, nan=np.inf)
    red = (r < limits.red_ratio) | (weeks > limits.red_backlog_weeks)
    amber = (r < limits.amber_ratio) | (weeks > limits.amber_backlog_weeks)
    return np.where(red, RED, np.where(amber, AMBER, GREEN)).astype(np.int8)


def cover_step(backlog: np.ndarray, capacity: np.ndarray, demand: np.ndarray,
               limits: RiskThresholds) -> tuple[np.ndarray, np.ndarray]:
    """One month of holding the line: (extra capacity hours needed, backlog carried out)."""
    need = np.maximum(limits.red_ratio * demand,
                      (backlog + demand) / (1.0 + limits.red_backlog_weeks / WEEKS_PER_MONTH))
    extra = np.maximum(need - capacity, 0.0)
    extra[extra < 1e-9] = 0.0
    out, _ = step_backlog(backlog, capacity + extra, demand)
    return extra, out


@dataclass
class Paths:
    """Month-by-month service figures for teams (arrays (months, …, teams))."""

    capacity: np.ndarray
    demand: np.ndarray
    backlog: np.ndarray
    throughput: np.ndarray
    weeks: np.ndarray
    ratio: np.ndarray
    rag: np.ndarray
    cover_hours: np.ndarray  # extra hours that would keep each team out of red


def paths(capacity: np.ndarray, demand: np.ndarray, limits: RiskThresholds,
          backlog0: np.ndarray | None = None) -> Paths:
    """Backlog, ratio, RAG and cover needed over a whole path (months first)."""
    T = capacity.shape[0]
    backlog = np.zeros_like(capacity, dtype=float)
    throughput = np.zeros_like(backlog)
    cover = np.zeros_like(backlog)
    b = np.zeros(capacity.shape[1:]) if backlog0 is None else backlog0.astype(float)
    held = b.copy()
    for t in range(T):
        b, throughput[t] = step_backlog(b, capacity[t], demand[t])
        backlog[t] = b
        cover[t], held = cover_step(held, capacity[t], demand[t], limits)
    weeks = weeks_to_clear(backlog, capacity)
    r = ratio(capacity, demand)
    return Paths(capacity=capacity, demand=demand, backlog=backlog, throughput=throughput,
                 weeks=weeks, ratio=r, rag=rag(r, weeks, limits), cover_hours=cover)
