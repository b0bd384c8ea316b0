"""The board pack's charts as data: series, labels and markers ready to draw (no Qt).

Each :class:`ChartSpec` holds what one chart shows, worked out by the planner's own
helpers (:func:`planner.service_view.team_series` for capacity and demand,
:func:`planner.chart_data.fy_money_table`, :func:`planner.compare.overlay_frames`,
:func:`planner.chart_data.waterfall`, :meth:`planner.service.Service.risk_table`), so
``ui.board_pack_charts`` only paints: capacity and demand for the team red the longest,
savings by financial year against the MTFP target, the cumulative net position with
payback, the FTE bridge and the teams × months risk heat maps.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from planner.board_pack_text import LETTERS, plural
from planner.chart_data import fy_money_table, money_short, money_tick_decimals, signed, waterfall
from planner.compare import overlay_frames
from planner.demand import team_index
from planner.months import fy_label, month_label, parse_month
from planner.service_view import change_markers, risk_legend, team_series

if TYPE_CHECKING:
    from planner.results import Results

MAX_HEATMAP_ROWS = 24
#: Per scenario, in order: (Okabe–Ito colour, line dash, bar hatch). The same colours and
#: dashes as the app's charts (ui.chart_base.SERIES_COLOURS and DASHES).
SCENARIO_STYLES: tuple[tuple[str, str, str], ...] = (
    ("blue", "solid", "solid"), ("orange", "dash", "bdiag"), ("green", "dot", "cross"),
    ("vermillion", "dashdot", "fdiag"), ("sky", "dashdotdot", "horizontal"),
)


@dataclass(frozen=True)
class Series:
    """One thing drawn on a chart.

    ``kind``: ``"line"``; ``"bar"`` (from zero to the value, bars of one category side by
    side); ``"floating"`` (from ``lower`` to the value, as in a waterfall); ``"band"`` (the
    area between ``lower`` and the value); ``"target"`` (a short thick line with a diamond
    across each category's bars, or across the ``style`` scenario's bar only).
    ``style`` ≥ 0 takes colour, dash and hatch from :data:`SCENARIO_STYLES`; otherwise
    ``colour`` (an Okabe–Ito name, ``"ink"`` for the text colour or ``"grey"``) and ``dash``.
    """

    name: str
    values: tuple[float, ...]
    kind: str = "line"
    style: int = -1
    colour: str = "ink"
    dash: str = "solid"
    width: float = 2.0  # points
    x: tuple[float, ...] | None = None  # default 0, 1, 2…
    lower: tuple[float, ...] | None = None
    labels: tuple[str, ...] = ()  # value labels (bars), one per value
    legend: bool = True


@dataclass(frozen=True)
class Marker:
    """A labelled vertical line: a go-live, a full effect, a cut, a payback month."""

    x: float
    label: str
    kind: str  # "go_live" (dashed), "full_effect" (dotted), "cut", "payback"
    style: int = -1  # scenario style for the colour, or the text colour


@dataclass(frozen=True)
class ChartSpec:
    """A chart ready to draw. ``kind`` is one of ``capacity_demand``, ``savings_fy``,
    ``cumulative_net``, ``fte_bridge``, ``risk_heatmap``.

    ``categories`` label the x positions (months as ``"Apr 2027"`` or categories);
    ``x_ticks`` says which of them get a tick label (all when empty). A heat map has
    ``rows`` (teams) and ``cells`` (one string of G/A/R letters per row, a space where
    a team has no figures), ``spans`` (financial year, first column, columns) and a
    ``key`` of (letter, meaning).
    """

    kind: str
    title: str
    x_label: str
    y_label: str
    categories: tuple[str, ...]
    series: tuple[Series, ...] = ()
    markers: tuple[Marker, ...] = ()
    y_format: str = "number"  # "money" (£1.2m), "fte" (1,234.5) or "number"
    y_range: tuple[float, float] | None = None
    x_ticks: tuple[int, ...] = ()
    scenario: str = ""  # the letter, when the chart is about one scenario
    subtitle: str = ""  # under the title: what this chart says about its scenario
    notes: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()
    spans: tuple[tuple[str, int, int], ...] = ()
    key: tuple[tuple[str, str], ...] = ()

    def slug(self) -> str:
        """A file name for the chart: ``capacity-and-demand-contact-centre-scenario-a``."""
        return re.sub(r"[^a-z0-9]+", "-", self.title.casefold()).strip("-")[:80] or "chart"


# ----- charts ---------------------------------------------------------------------------------
def charts(results: Sequence[Results]) -> list[ChartSpec]:
    """The pack's charts in order: capacity and demand (per scenario), savings by year,
    cumulative net position, FTE bridge, risk heat map (per scenario)."""
    team = key_team(results)
    out = [capacity_chart(r, team, LETTERS[i]) for i, r in enumerate(results)
           if team is not None and team in r.teams]
    out += [savings_chart(results), cumulative_chart(results), bridge_chart(results)]
    out += risk_charts(results)
    return out


def key_team(results: Sequence[Results]) -> str | None:
    """The team with the most red months over all the scenarios (then amber, then the
    lowest capacity ÷ demand): the one whose capacity chart the pack shows."""
    red: Counter[str] = Counter()
    amber: Counter[str] = Counter()
    low: dict[str, float] = {}
    for r in results:
        table = r.service().risk_table()
        red.update({str(t): int(n) for t, n in (table == "Red").sum(axis=1).items()})
        amber.update({str(t): int(n) for t, n in (table == "Amber").sum(axis=1).items()})
        ratio = r.service().paths.ratio
        for j, t in enumerate(r.teams):
            finite = ratio[:, j][np.isfinite(ratio[:, j])]
            if t in table.index and finite.size:
                low[t] = min(low.get(t, math.inf), float(finite.min()))
    teams = set(red) | set(amber)
    if not teams:
        return None
    return min(teams, key=lambda t: (-red[t], -amber[t], low.get(t, math.inf), t.casefold()))


def april_ticks(labels: Sequence[str]) -> tuple[int, ...]:
    """Tick positions for month labels: every April (or every few months if few Aprils)."""
    aprils = tuple(i for i, text in enumerate(labels) if text.startswith("Apr"))
    if 2 <= len(aprils) <= 12:
        return aprils
    return tuple(range(0, len(labels), max(1, len(labels) // 8)))


def capacity_chart(results: Results, team: str, letter: str) -> ChartSpec:
    """One team's capacity against demand (FTE equivalent) with the shortfall shaded, the
    go-live and full-effect months of its changes, and its cuts made before them."""
    ts = team_series(results, team, "fte")
    bx, upper, lower = ts.band
    series = [Series("Shortfall (capacity below demand)", tuple(upper), kind="band",
                     colour="vermillion", x=tuple(bx), lower=tuple(lower))]
    series.append(Series("Demand (work coming in)", tuple(ts.demand), colour="ink", width=2.5))
    series.append(Series("Capacity (staff available to do it)", tuple(ts.capacity),
                         colour="blue", width=2.5))
    if ts.baseline_capacity is not None:
        series.append(Series("Capacity with no change (baseline)",
                             tuple(ts.baseline_capacity), colour="grey", dash="dot", width=1.5))
    horizon = results.scenario.horizon
    changes = change_markers(results.scenario, ts.team)
    markers = [Marker(float(m.x), m.head, m.kind) for m in changes]
    markers += [Marker(float(horizon.index(f.month)), f"Cut {f.fte_removed:,.1f} FTE",
                       "cut") for f in results.service().cut_before_live if f.team == ts.team]
    red = int((ts.rag == 2).sum())
    subtitle = (f"Red for {red:,} of the {len(ts.months)} months." if red
                else "Never red in this scenario.")
    lives = [f"{c.name} goes live in {month_label(c.go_live)}"
             + (f" (full effect {month_label(c.full_effect_month())})"
                if c.full_effect_month() != c.go_live else "")
             for c in results.scenario.changes if team_index(list(c.teams), ts.team) is not None]
    if lives:
        subtitle += " " + "; ".join(lives) + "."
    return ChartSpec(
        kind="capacity_demand",
        title=f"Capacity and demand: {ts.team}, scenario {letter} ({results.scenario.name})",
        x_label="Month", y_label="FTE equivalent (FTE)", categories=tuple(ts.months),
        series=tuple(series), markers=tuple(markers), y_format="fte",
        x_ticks=april_ticks(ts.months), scenario=letter, subtitle=subtitle,
        notes=(f"{ts.team}: the team red for the most months over all the scenarios. "
               "Dashed line: a change goes live; dotted: it reaches full effect; "
               "“Cut”: a reduction made before full effect.",))


def savings_chart(results: Sequence[Results]) -> ChartSpec:
    """Core-budget saving per financial year, a bar per scenario, against the MTFP target."""
    tables = [fy_money_table(r) for r in results]
    years: dict[str, int] = {}
    for t in tables:
        for year, months in zip(t["financial_year"], t["months"], strict=True):
            years[str(year)] = min(years.get(str(year), 12), int(months))
    order = sorted(years)
    series, targets = [], []
    for i, (r, t) in enumerate(zip(results, tables, strict=True)):
        by_year = dict(zip(t["financial_year"].astype(str), t["core_saving"], strict=True))
        values = tuple(float(by_year.get(y, math.nan)) for y in order)
        series.append(Series(f"{LETTERS[i]}: {r.scenario.name}", values, kind="bar", style=i,
                             labels=tuple(money_short(v) for v in values)))
        target = dict(zip(t["financial_year"].astype(str), t["target"], strict=True))
        targets.append(tuple(float(target.get(y, math.nan)) for y in order))
    same = all(np.allclose(t, targets[0], equal_nan=True) for t in targets)
    if same and np.isfinite(targets[0]).any():
        series.append(Series("MTFP savings target", targets[0], kind="target"))
    elif not same:
        series += [Series(f"{LETTERS[i]}: MTFP target", t, kind="target", style=i)
                   for i, t in enumerate(targets) if np.isfinite(t).any()]
    categories = tuple(y if years[y] == 12 else f"{y} ({years[y]} months)" for y in order)
    return ChartSpec(
        kind="savings_fy", title="Savings to the core budget by financial year against the "
        "MTFP target", x_label="Financial year", y_label="Saving in the year (£)",
        categories=categories, series=tuple(series), y_format="money",
        notes=("Recurring saving against the baseline, less savings on externally funded "
               "posts; one-off costs are in the cumulative chart.",))


def cumulative_chart(results: Sequence[Results]) -> ChartSpec:
    """Cumulative net position (savings less one-off costs), a line per scenario, with
    each scenario's payback month marked."""
    months, frames = overlay_frames(results)
    series, markers = [], []
    for i, (r, f) in enumerate(zip(results, frames, strict=True)):
        assert f is not None
        values = tuple(float(v) for v in f["cumulative_net"])
        series.append(Series(f"{LETTERS[i]}: {r.scenario.name}", values, style=i, width=2.5,
                             x=tuple(float(v) for v in f["x"]),
                             labels=("",) * (len(values) - 1) + (
                                 f"{LETTERS[i]}: {money_short(values[-1])}",)))
        payback = r.payback_month()
        if payback is not None:
            markers.append(Marker(float(months.index(parse_month(payback))),
                                  f"{LETTERS[i]}: payback {month_label(parse_month(payback))}",
                                  "payback", i))
    labels = [month_label(m) for m in months]
    return ChartSpec(
        kind="cumulative_net", title="Cumulative net position: savings less one-off costs",
        x_label="Month", y_label="Cumulative net position (£)", categories=tuple(labels),
        series=tuple(series), markers=tuple(markers), y_format="money",
        x_ticks=april_ticks(labels),
        notes=("Payback: the month from which the savings have repaid the one-off costs "
               "(redundancy, pension strain, pay protection, retraining, cover) for good.",))


def bridge_chart(results: Sequence[Results]) -> ChartSpec:
    """FTE in post from the start to the end of the horizon, a floating bar per scenario."""
    series, lows, highs = [], [], []
    labels: list[str] = []
    for i, r in enumerate(results):
        wf = waterfall(r.bridge())
        labels = wf.labels
        lo, hi = wf.view_range()
        lows.append(lo)
        highs.append(hi)
        texts = tuple(f"{v:,.1f}" if k == "total" else signed(v)
                      for v, k in zip(wf.values, wf.kinds, strict=True))
        series.append(Series(f"{LETTERS[i]}: {r.scenario.name}", tuple(wf.tops),
                             kind="floating", style=i, lower=tuple(wf.bottoms), labels=texts))
    lo, hi = min(lows), max(highs)
    return ChartSpec(
        kind="fte_bridge", title="FTE bridge: FTE in post from the start to the end",
        x_label="Step", y_label="FTE in post (FTE)" if lo <= 0 else
        f"FTE in post (FTE; axis starts at {lo:,.0f})", categories=tuple(labels),
        series=tuple(series), y_format="fte", y_range=(lo, hi),
        notes=("Each step's bar floats from the level before it to the level after; "
               "signed figures are the change in FTE.",))


def risk_charts(results: Sequence[Results]) -> list[ChartSpec]:
    """A teams × months heat map of G/A/R per scenario, the same teams (those amber or
    red in any scenario, most red first) in the same order in each."""
    tables = [r.service().risk_table() for r in results]
    red: Counter[str] = Counter()
    amber: Counter[str] = Counter()
    everyone: set[str] = set()
    for t in tables:
        everyone |= {str(x) for x in t.index}
        red.update({str(k): int(v) for k, v in (t == "Red").sum(axis=1).items()})
        amber.update({str(k): int(v) for k, v in (t == "Amber").sum(axis=1).items()})
    shown = sorted((t for t in everyone if red[t] or amber[t]),
                   key=lambda t: (-red[t], -amber[t], t.casefold()))
    more = shown[MAX_HEATMAP_ROWS:]
    shown = shown[:MAX_HEATMAP_ROWS]
    rest = len(everyone) - len(shown) - len(more)
    notes = []
    if rest:
        notes.append(f"The other {plural(rest, 'team')} {'is' if rest == 1 else 'are'} green "
                     "in every month of every scenario.")
    if more:
        notes.append(f"{plural(len(more), 'more team')} with amber or red months "
                     f"{'is' if len(more) == 1 else 'are'} not shown: see the app or the "
                     "workbook.")
    out = []
    for i, (r, t) in enumerate(zip(results, tables, strict=True)):
        numbers = list(r.scenario.horizon.numbers())
        cells = tuple("".join(str(v)[0] for v in t.loc[team]) if team in t.index
                      else " " * len(numbers) for team in shown)
        count = int((t == "Red").to_numpy().sum())
        out.append(ChartSpec(
            kind="risk_heatmap",
            title=f"Service risk by team and month: scenario {LETTERS[i]} ({r.scenario.name})",
            x_label="Month", y_label="Team", categories=tuple(month_label(n) for n in numbers),
            scenario=LETTERS[i], rows=tuple(shown), cells=cells, spans=fy_spans(numbers),
            key=tuple(risk_legend(r.scenario.targets.risk)),
            notes=(f"{plural(count, 'red team-month')} in this scenario.", *notes)))
    return out


def fy_spans(numbers: Sequence[int]) -> tuple[tuple[str, int, int], ...]:
    """(financial year, first position, months) for consecutive month numbers."""
    spans: list[tuple[str, int, int]] = []
    for i, n in enumerate(numbers):
        year = fy_label(n)
        if spans and spans[-1][0] == year:
            spans[-1] = (year, spans[-1][1], spans[-1][2] + 1)
        else:
            spans.append((year, i, 1))
    return tuple(spans)


def nice_ticks(lo: float, hi: float, most: int = 7) -> list[float]:
    """Round tick values (steps of 1, 2, 2.5 or 5 × 10ⁿ) covering ``lo`` to ``hi``."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo] if math.isfinite(lo) else []
    raw = (hi - lo) / max(most - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks, k = [], 0
    while first + k * step <= hi + step * 1e-9:
        ticks.append(round(first + k * step, 10))
        k += 1
    return ticks


def tick_text(value: float, y_format: str, step: float) -> str:
    """A value axis label: £ in short form (as many decimals as the step needs), FTE or a
    plain number with thousands separators."""
    if y_format == "money":
        return money_short(value, money_tick_decimals(step))
    decimals = next((d for d in range(4) if abs(step * 10**d - round(step * 10**d)) < 1e-6), 3)
    text = f"{value:,.{decimals}f}"
    return text.replace("-", "\u2212") if value < 0 else text
