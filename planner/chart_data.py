"""Numbers and words for the money and simulation charts, shaped from Results and Simulation.

The dashboard's views only draw: the waterfall's floating bars, the financial-year
table with its pay bills, the payback position, the fan's bands and the
simulation's headline sentences are worked out here, without Qt, so planner
tests can check them.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner.months import month_label, parse_month

if TYPE_CHECKING:
    from planner.montecarlo import Simulation
    from planner.results import Results

MINUS = "\u2212"  # a real minus sign: easier to read than a hyphen in charts

#: What the fan chart can show: key → (menu text, axis label with units).
FAN_MEASURES = {
    "cumulative_net": ("Cumulative net position (£)", "Cumulative net position (£)"),
    "fte": ("FTE in post", "FTE in post (FTE)"),
    "ratio": ("Capacity ÷ demand for one team", "Capacity ÷ demand (ratio)"),
}


# ----- labels -----------------------------------------------------------------------------
def money_short(value: float, decimals: int = 1) -> str:
    """``1_234_567`` → ``"£1.2m"``, ``-350_000`` → ``"−£350k"``, ``12`` → ``"£12"``."""
    if value is None or not math.isfinite(value):
        return ""
    sign = MINUS if value < 0 and round(abs(value)) > 0 else ""
    size = abs(value)
    if size >= 999_500:
        text = f"£{size / 1e6:,.{decimals}f}m"
    elif size >= 1_000:
        text = f"£{size / 1e3:,.0f}k"
    else:
        text = f"£{size:,.0f}"
    return sign + text


def money_tick_decimals(spacing: float) -> int:
    """Decimals of £m tick labels: as few as show the tick spacing exactly (£0.25m: 2)."""
    step = abs(spacing) / 1e6
    for decimals in range(3):
        scaled = step * 10**decimals
        if scaled > 0 and abs(scaled - round(scaled)) < 1e-6:
            return decimals
    return 3


def signed(value: float, decimals: int = 1) -> str:
    """``41.84`` → ``"+41.8"``, ``-53.3`` → ``"−53.3"``, ``0`` → ``"0.0"``."""
    text = f"{abs(value):,.{decimals}f}"
    if float(text.replace(",", "")) == 0:
        return text
    return ("+" if value > 0 else MINUS) + text


def month_labels(months: list[str]) -> list[str]:
    """``["2027-04", …]`` → ``["Apr 2027", …]`` for axes and read-outs."""
    return [month_label(parse_month(m)) for m in months]


def wrap_label(text: str, width: int = 16) -> str:
    """A category name broken over lines so that neighbouring labels do not overlap."""
    return "\n".join(textwrap.wrap(text, width)) or text


# ----- FTE bridge -------------------------------------------------------------------------
@dataclass(frozen=True)
class Waterfall:
    """Floating bars of a bridge: first and last are totals from zero, the rest are steps."""

    labels: list[str]
    values: np.ndarray  # the bridge's figures (totals, then signed steps)
    bottoms: np.ndarray
    tops: np.ndarray
    levels: np.ndarray  # the running total after each bar
    kinds: list[str]  # "total", "increase" or "decrease"

    @property
    def heights(self) -> np.ndarray:
        return self.tops - self.bottoms

    def view_range(self) -> tuple[float, float]:
        """A y range that shows the steps clearly: from zero unless that squashes them."""
        steps = self.levels
        lo, hi = float(steps.min()), float(steps.max())
        span = max(hi - lo, 1e-9, 0.02 * hi)
        floor = lo - 1.2 * span
        if floor <= 0.4 * hi:
            return 0.0, hi * 1.12 if hi > 0 else 1.0
        step = 10 ** math.floor(math.log10(span))
        return math.floor(floor / step) * step, hi + 0.45 * span


def waterfall(bridge: list[tuple[str, float]]) -> Waterfall:
    """Bars for a bridge from :meth:`Results.bridge` (start, steps…, end)."""
    labels = [label for label, _ in bridge]
    values = np.array([value for _, value in bridge], dtype=float)
    n = len(values)
    bottoms, tops, levels, kinds = np.zeros(n), np.zeros(n), np.zeros(n), []
    level = 0.0
    for i, value in enumerate(values):
        if i in (0, n - 1):
            level = value
            bottoms[i], tops[i] = min(0.0, value), max(0.0, value)
            kinds.append("total")
        else:
            bottoms[i], tops[i] = min(level, level + value), max(level, level + value)
            level += value
            kinds.append("increase" if value >= 0 else "decrease")
        levels[i] = level
    return Waterfall(labels, values, bottoms, tops, levels, kinds)


# ----- money by financial year ---------------------------------------------------------------
FY_COLUMNS = ("financial_year", "months", "baseline_running_cost", "running_cost", "saving",
              "core_saving", "external_saving", "target", "gap", "target_status",
              "one_off_total", "net", "cumulative_net")


def fy_money_table(results: Results) -> pd.DataFrame:
    """:meth:`Results.by_financial_year` with each year's running costs (the pay bill with
    on-costs) in the baseline and the scenario, and the target as words."""
    fy = results.by_financial_year()
    monthly = results.monthly()
    bills = monthly.groupby("financial_year", sort=False)[
        ["baseline_running_cost", "running_cost"]].sum()
    fy = fy.join(bills, on="financial_year")
    fy["target_status"] = [target_status(t, m, n) for t, m, n in zip(
        fy["target"], fy["target_met"], fy["months"], strict=True)]
    return fy.loc[:, list(FY_COLUMNS)].reset_index(drop=True)


def target_status(target: float, met: object, months: int) -> str:
    if target is None or not np.isfinite(target):
        return "No target"
    if met is None:
        return f"Part year ({months} months)"
    return "Met" if bool(met) else "Not met"


def targets_met(table: pd.DataFrame) -> tuple[int, int]:
    """(years meeting their MTFP target, years judged) from :func:`fy_money_table`."""
    status = table["target_status"]
    return int((status == "Met").sum()), int(status.isin(["Met", "Not met"]).sum())


def payback_index(results: Results) -> int | None:
    """Position of the payback month on the month axis, or None."""
    month = results.payback_month()
    return results.months.index(month) if month is not None else None


def payback_text(results: Results) -> str:
    """``"Payback Jul 2027"``, or why there is none."""
    month = results.payback_month()
    if month is not None:
        return f"Payback {month_label(parse_month(month))}"
    if float(results.monthly()["one_off_total"].sum()) <= 0:
        return "No one-off costs to pay back"
    return "No payback within the horizon"


# ----- the fan ---------------------------------------------------------------------------
@dataclass(frozen=True)
class FanData:
    """One measure from a simulation: P10/P50/P90 per month and the expected-value run."""

    measure: str
    title: str
    y_label: str
    bands: np.ndarray  # (3, months)
    expected: np.ndarray  # (months,)
    months: list[str]
    thresholds: tuple[tuple[str, float], ...] = ()  # labelled reference lines


def fan_teams(sim: Simulation) -> list[str]:
    """Teams whose capacity ÷ demand the simulation measured (some demand in some month)."""
    finite = np.isfinite(sim.ratio_bands[1]).any(0)
    return [t for t, ok in zip(sim.teams, finite, strict=True) if ok]


def fan_data(sim: Simulation, results: Results | None, measure: str = "cumulative_net",
             team: str | None = None) -> FanData:
    """The bands to draw; ``results`` (the same scenario's expected-value run) gives the
    expected line, or the simulations' mean stands in when it is not at hand."""
    months = month_labels(sim.months)
    nan = np.full(len(months), np.nan)
    thresholds: tuple[tuple[str, float], ...] = ()
    if measure == "cumulative_net":
        bands = sim.cumulative_net_bands
        expected = (results.monthly()["cumulative_net"].to_numpy() if results is not None
                    else sim.cumulative_net_mean)
        title = "Cumulative net position: range of outcomes"
    elif measure == "fte":
        bands = sim.fte_bands
        expected = (results.monthly()["fte_in_post"].to_numpy() if results is not None
                    else sim.fte_mean)
        title = "FTE in post: range of outcomes"
    elif measure == "ratio":
        team = team if team in sim.teams else (fan_teams(sim) or sim.teams)[0]
        j = sim.teams.index(team)
        bands = sim.ratio_bands[:, :, j]
        expected = (results.service().paths.ratio[:, j] if results is not None else nan)
        title = f"Capacity ÷ demand, {team}: range of outcomes"
        if results is not None:
            risk = results.scenario.targets.risk
            thresholds = ((f"Amber below {risk.amber_ratio:g}", risk.amber_ratio),
                          (f"Red below {risk.red_ratio:g}", risk.red_ratio))
    else:
        raise ValueError(f"Unknown fan measure {measure!r}")
    return FanData(measure, title, FAN_MEASURES[measure][1], np.asarray(bands, dtype=float),
                   np.asarray(expected, dtype=float), months, thresholds)


# ----- simulation in words -----------------------------------------------------------------
def percent(p: float | None) -> str:
    if p is None or not math.isfinite(p):
        return "–"
    return f"{100 * p:.0f}%"


def simulation_year_table(sim: Simulation) -> pd.DataFrame:
    """Core saving per financial year (P10/P50/P90), the target and the chance of meeting it."""
    fy = sim.fy_core_saving.copy()
    chance = []
    for p, target, months in zip(fy["p_target_met"].tolist(), fy["target"].tolist(),
                                 fy["months"].tolist(), strict=True):
        if target is None or not math.isfinite(float(target)):
            chance.append("No target")
        elif months != 12:
            chance.append("Part year")
        else:
            chance.append(percent(None if p is None else float(p)))
    fy["chance"] = chance
    return fy


def likely_red_teams(sim: Simulation, threshold: float = 0.5) -> list[tuple[str, float]]:
    """Teams with at least ``threshold`` chance of a red month, most likely first."""
    order = np.argsort(-sim.p_red, kind="stable")
    return [(sim.teams[j], float(sim.p_red[j])) for j in order if sim.p_red[j] >= threshold]


def simulation_sentences(sim: Simulation) -> list[str]:
    """The simulation's headline figures as plain sentences."""
    k = sim.kpis()
    lines = [f"{sim.runs:,} simulated futures, seed {sim.seed} (enter this seed to repeat "
             "the run)."]
    fy = sim.fy_core_saving
    years = [f"{year} {percent(float(p))}"
             for year, p in zip(fy["financial_year"].tolist(), fy["p_target_met"].tolist(),
                                strict=True) if p is not None and math.isfinite(float(p))]
    if years:
        lines.append("Chance of meeting each year's savings target: " + ", ".join(years) + ".")
    red = likely_red_teams(sim)
    if red:
        names = ", ".join(f"{t} ({percent(p)})" for t, p in red)
        lines.append(f"Teams likely to go Red (a 50% or greater chance of at least one Red "
                     f"month): {names}.")
    else:
        lines.append("No team has a 50% or greater chance of a Red month.")
    lines.append("Temporary cover to keep every team out of red: "
                 f"{money_short(k['transition_cover_cost_p50'])} in a typical future (P50), "
                 f"{money_short(k['transition_cover_cost_p90'])} in a bad one (P90).")
    lines.append("Cumulative net position at the end: "
                 f"{money_short(k['cumulative_net_end_p10'])} (P10) to "
                 f"{money_short(k['cumulative_net_end_p90'])} (P90), "
                 f"middle {money_short(k['cumulative_net_end_p50'])}.")
    return lines
