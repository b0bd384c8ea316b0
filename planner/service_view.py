"""What the service dashboard shows, worked out from a run's :class:`planner.service.Service`.

The dashboard draws, for one team, capacity against demand with the shortfall
shaded and the go-live (and full-effect) dates of the changes that affect the
team; the weeks it would take to clear the team's backlog against the amber and
red limits; and a teams × months grid of green/amber/red. This module holds the
figures and sentences for those pictures so the views only draw them:

* :func:`team_series` — one team's lines (hours a month, or FTE equivalent);
* :func:`shortfall_band` — the band between the lines where capacity < demand,
  with the points where the lines cross added so the shading stops exactly there;
* :func:`change_markers` — go-live and full-effect months of a team's changes;
* :func:`risk_grid` — the grid, teams ordered most red months first, with a
  tooltip sentence per cell; :func:`risk_summary` — the one-line summary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import numpy as np

from planner.capacity import AMBER, RAG_LABELS, RED
from planner.demand import team_index
from planner.months import MONTH_NAMES, month_label
from planner.scenario import RiskThresholds, Scenario

if TYPE_CHECKING:
    from planner.results import Results
    from planner.service import Service

Unit = Literal["hours", "fte"]
MarkerKind = Literal["go_live", "full_effect"]
UNIT_LABELS: dict[str, str] = {"hours": "Hours a month", "fte": "FTE equivalent"}
RAG_CODES: tuple[str, ...] = tuple(label[0] for label in RAG_LABELS)  # "G", "A", "R"
MAX_MARKER_LABEL = 60  # characters of change names on a go-live marker


def compact_month(number: int) -> str:
    """``"Apr 27"`` for a month number (narrow column headers)."""
    return f"{MONTH_NAMES[number % 12]} {number // 12 % 100:02d}"


def weeks_text(weeks: float) -> str:
    """``"2 weeks"``, ``"1 week"``, ``"2.5 weeks"``."""
    return f"{weeks:g} week" + ("" if weeks == 1 else "s")


# ----------------------------------------------------------------- one team's chart


@dataclass(frozen=True)
class ChangeMarker:
    """A dashed line on a team's chart: changes going live, or reaching full effect."""

    x: int  # month index in the horizon
    month: int  # month number
    kind: MarkerKind
    changes: tuple[str, ...]  # change names, in scenario order

    @property
    def head(self) -> str:
        return "Go-live" if self.kind == "go_live" else "Full effect"

    @property
    def name(self) -> str:
        """``"Go-live: Web forms; Chatbot: web chat"``: unique per chart, never shortened."""
        return f"{self.head}: {'; '.join(self.changes)}"

    @property
    def label(self) -> str:
        """The text on the chart (short names when several changes share the month)."""
        head = self.head
        if len(self.changes) == 1:
            names = self.changes[0]
        else:  # several: their short names ("Channel shift" of "Channel shift: web forms")
            short = dict.fromkeys(name.split(":")[0].strip() for name in self.changes)
            head += f" ({len(self.changes)} changes)"
            names = "; ".join(short)
        if len(names) > MAX_MARKER_LABEL:
            names = names[:MAX_MARKER_LABEL - 1].rstrip() + "…"
        return f"{head}: {names}"

    def describe(self) -> str:
        """``"Web forms goes live in Apr 2028"`` (for the screen-reader list of changes)."""
        one = len(self.changes) == 1
        if self.kind == "go_live":
            verb = "goes live" if one else "go live"
        else:
            verb = "reaches full effect" if one else "reach full effect"
        return f"{' and '.join(self.changes)} {verb} in {month_label(self.month)}"


def change_markers(scenario: Scenario, team: str) -> list[ChangeMarker]:
    """Go-live and full-effect months (inside the horizon) of the changes affecting ``team``.

    Changes with the same month share one marker; full effect is only marked when
    it differs from go-live (a ramp longer than one month).
    """
    horizon = scenario.horizon
    groups: dict[tuple[int, MarkerKind], list[str]] = {}
    for change in scenario.changes:
        if team_index(list(change.teams), team) is None:
            continue
        groups.setdefault((change.go_live, "go_live"), []).append(change.name)
        full = change.full_effect_month()
        if full != change.go_live:
            groups.setdefault((full, "full_effect"), []).append(change.name)
    markers = [ChangeMarker(x=horizon.index(month), month=month, kind=kind, changes=tuple(names))
               for (month, kind), names in groups.items() if month in horizon]
    return sorted(markers, key=lambda m: (m.x, m.kind != "go_live"))


def shortfall_band(capacity: np.ndarray, demand: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, upper, lower) of the area between the lines where capacity < demand.

    ``upper`` is demand and ``lower`` is the smaller of capacity and demand, both on
    the straight lines a chart draws between months, with a point added wherever
    the lines cross; so ``upper − lower`` is zero except where there is a shortfall.
    """
    c = np.asarray(capacity, dtype=float)
    d = np.asarray(demand, dtype=float)
    xs: list[float] = []
    up: list[float] = []
    lo: list[float] = []
    for i in range(len(c)):
        if i > 0:
            g0, g1 = d[i - 1] - c[i - 1], d[i] - c[i]
            if g0 * g1 < 0:  # the lines cross between the two months
                f = g0 / (g0 - g1)
                y = c[i - 1] + f * (c[i] - c[i - 1])
                xs.append(i - 1 + f)
                up.append(y)
                lo.append(y)
        xs.append(float(i))
        up.append(d[i])
        lo.append(min(c[i], d[i]))
    return np.array(xs), np.array(up), np.array(lo)


@dataclass(frozen=True)
class TeamSeries:
    """One team's service lines over the horizon, in ``unit`` (hours a month or FTE)."""

    team: str
    unit: Unit
    months: list[str]  # "Apr 2027"
    capacity: np.ndarray
    demand: np.ndarray
    baseline_capacity: np.ndarray | None  # with no actions; None for pooled teams
    shortfall: np.ndarray  # demand − capacity where positive, else 0
    band: tuple[np.ndarray, np.ndarray, np.ndarray]  # see shortfall_band
    weeks: np.ndarray  # weeks to clear the backlog; NaN where it cannot clear
    no_capacity: np.ndarray  # True where a backlog cannot clear (no capacity)
    rag: np.ndarray  # 0 green, 1 amber, 2 red
    markers: list[ChangeMarker]
    limits: RiskThresholds

    @property
    def unit_label(self) -> str:
        return UNIT_LABELS[self.unit]

    def shortfall_months(self) -> np.ndarray:
        """Month indices where capacity is below demand."""
        return np.flatnonzero(self.shortfall > 1e-9)


def team_series(results: Results, team: str, unit: Unit = "hours") -> TeamSeries:
    """The capacity, demand, backlog and change dates of ``team`` for the charts.

    Raises:
        KeyError: the run has no team of that name.
    """
    svc = results.service()
    j = team_index(svc.teams, team)
    if j is None:
        raise KeyError(team)
    scale = 1.0 if unit == "hours" else 1.0 / svc.inputs.hours_per_fte_month
    p = svc.paths
    capacity, demand = p.capacity[:, j] * scale, p.demand[:, j] * scale
    baseline = None
    pooled = any(team_index(list(pool.teams), team) is not None for pool in svc.scenario.pools)
    if not pooled:
        staff = results.baseline.team_totals(results.baseline.occ)[:, j]
        baseline = staff * svc.inputs.hours_per_fte_month * svc.inputs.boost[:, j] * scale
    weeks = p.weeks[:, j]
    horizon = svc.scenario.horizon
    return TeamSeries(
        team=svc.teams[j], unit=unit, months=[month_label(n) for n in horizon.numbers()],
        capacity=capacity, demand=demand, baseline_capacity=baseline,
        shortfall=np.maximum(demand - capacity, 0.0), band=shortfall_band(capacity, demand),
        weeks=np.where(np.isfinite(weeks), weeks, np.nan), no_capacity=np.isinf(weeks),
        rag=p.rag[:, j].astype(int), markers=change_markers(svc.scenario, svc.teams[j]),
        limits=svc.scenario.targets.risk)


# ----------------------------------------------------------------- the risk grid


@dataclass(frozen=True)
class RiskGrid:
    """Teams (most red months first) × months of risk codes, with the figures behind them."""

    teams: list[str]
    months: list[int]  # month numbers
    codes: np.ndarray  # (teams, months) 0 green, 1 amber, 2 red
    ratio: np.ndarray  # (teams, months) capacity ÷ demand (NaN: no demand)
    weeks: np.ndarray  # (teams, months) weeks to clear the backlog (inf: cannot clear)

    def letter(self, row: int, col: int) -> str:
        return RAG_CODES[int(self.codes[row, col])]

    def status(self, row: int, col: int) -> str:
        return RAG_LABELS[int(self.codes[row, col])]

    def red_months(self) -> np.ndarray:
        """(teams,) red months per team."""
        return (self.codes == RED).sum(1)

    def tooltip(self, row: int, col: int) -> str:
        """``"Revenues, Oct 2028: Red — capacity 78% of demand, backlog 5.2 weeks"``."""
        r, w = float(self.ratio[row, col]), float(self.weeks[row, col])
        cap = "no demand" if np.isnan(r) else f"capacity {r * 100:.0f}% of demand"
        if np.isinf(w):
            backlog = "backlog cannot clear (no capacity)"
        elif w <= 0:
            backlog = "no backlog"
        else:
            backlog = f"backlog {w:.1f} weeks"
        return (f"{self.teams[row]}, {month_label(self.months[col])}: "
                f"{self.status(row, col)} — {cap}, {backlog}")


def risk_grid(service: Service) -> RiskGrid:
    """The teams with any demand or backlog, sorted by red months, then amber, then name."""
    active = list(service.risk_table().index)
    cols = [service.teams.index(t) for t in active]
    p = service.paths
    codes = p.rag[:, cols].T.astype(int)
    order = sorted(range(len(active)), key=lambda i: (-int((codes[i] == RED).sum()),
                                                      -int((codes[i] == AMBER).sum()),
                                                      active[i].casefold()))
    picked = [cols[i] for i in order]
    return RiskGrid(teams=[active[i] for i in order],
                    months=list(service.scenario.horizon.numbers()),
                    codes=codes[order] if order else codes,
                    ratio=p.ratio[:, picked].T, weeks=p.weeks[:, picked].T)


def default_team(grid: RiskGrid) -> str | None:
    """The team to show first: the one with the most red (then amber) months."""
    return grid.teams[0] if grid.teams else None


def _names(teams: list[str]) -> str:
    if len(teams) <= 2:
        return " and ".join(teams)
    return f"{teams[0]}, {teams[1]} and {len(teams) - 2} more"


def risk_summary(grid: RiskGrid) -> str:
    """``"3 teams go red (40 team-months); first: Revenues in Jun 2028"`` (or amber, or none)."""
    red = grid.codes == RED
    if red.any():
        first = int(np.flatnonzero(red.any(0))[0])
        teams = [t for t, row in zip(grid.teams, red, strict=True) if row[first]]
        n = int(red.any(1).sum())
        return (f"{n} team{'s' if n != 1 else ''} go{'es' if n == 1 else ''} red "
                f"({int(red.sum())} team-month{'s' if red.sum() != 1 else ''}); "
                f"first: {_names(sorted(teams, key=str.casefold))} "
                f"in {month_label(grid.months[first])}")
    amber = grid.codes == AMBER
    if amber.any():
        n = int(amber.any(1).sum())
        return f"No team goes red; {n} team{'s' if n != 1 else ''} go{'es' if n == 1 else ''} amber"
    if not grid.teams:
        return "No team has any demand to meet"
    return "Every team stays green"


def risk_legend(limits: RiskThresholds) -> list[tuple[str, str]]:
    """(letter, meaning) for the heat map's key, from the scenario's thresholds."""
    amber, red = limits.amber_ratio * 100, limits.red_ratio * 100
    return [
        ("G", f"Green: capacity at least {amber:g}% of demand and backlog at most "
              f"{weeks_text(limits.amber_backlog_weeks)}"),
        ("A", f"Amber: capacity below {amber:g}% of demand or backlog over "
              f"{weeks_text(limits.amber_backlog_weeks)}"),
        ("R", f"Red: capacity below {red:g}% of demand or backlog over "
              f"{weeks_text(limits.red_backlog_weeks)}"),
    ]
