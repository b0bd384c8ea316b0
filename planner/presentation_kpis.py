"""What presentation mode shows, picked and worded from a scenario's results (no Qt).

Presentation mode puts one chart or panel per slide on a projector. The slides
reuse the dashboard's figures; this module only chooses among them and words
them for a room: which slides there are, which team the capacity slide shows
and why, the few comparison rows that fit on one slide, and the risk grid
folded into quarters (the worst month of each quarter) so its letters can be
read from the back of a room.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner import compare
from planner.capacity import AMBER, GREEN, RED
from planner.chart_data import fy_money_table, payback_text, targets_met
from planner.months import MONTH_NAMES, fy_start_year, fy_text

if TYPE_CHECKING:
    from planner.establishment import Establishment
    from planner.results import Results
    from planner.service_view import RiskGrid

#: The slides, in order; "compare" only when the project has two or more scenarios.
SLIDES: tuple[str, ...] = ("title", "kpis", "capacity", "risk", "savings", "cumulative",
                           "bridge", "compare")
#: The rows of the Compare slide: (compare_kpis key, label short enough for a slide).
COMPARE_ROWS: tuple[tuple[str, str], ...] = (
    ("fte_change_vs_baseline", "FTE change against the baseline"),
    ("full_year_saving", "Full-year saving (core budget)"),
    ("one_off_costs", "One-off costs"),
    ("net_position", "Net position at the end"),
    ("payback_month", "Payback month"),
    ("red_team_months", "Red team-months"),
    ("transition_cover_cost", "Transition cover to keep teams out of red"),
    ("redundancies_expected", "Expected compulsory redundancies"),
)
MAX_GRID_TEAMS = 14  # rows of the risk slide that stay readable at 1366 × 768
MONTHLY_UP_TO = 24  # horizons this long or shorter keep one column per month


def slide_keys(scenario_count: int) -> list[str]:
    """The slides shown for a project with ``scenario_count`` scenarios."""
    return [key for key in SLIDES if key != "compare" or scenario_count >= 2]


def footer_text(slide: int, count: int, scenario: str) -> str:
    """``"Slide 3 of 8 · Option A · ← → to move, B to black out, S to switch, Esc to leave"``."""
    return (f"Slide {slide} of {count} · {scenario} · ← → to move, B to black out, "
            "S to switch, Esc to leave")


def long_date(day: dt.date) -> str:
    """``"23 November 2026"`` (UK order, no leading zero)."""
    return f"{day.day} {day:%B %Y}"


def organisation_name(establishment: Establishment | None) -> str:
    """A name for the title slide from the establishment's file: ``demo_council.xlsx`` →
    ``"Demo Council"``; a file name in mixed case is kept as written."""
    if establishment is None:
        return ""
    stem = establishment.source.path.stem
    words = re.sub(r"[_\-.]+", " ", stem).split()
    text = " ".join(words)
    return " ".join(w[:1].upper() + w[1:] for w in words) if text.islower() else text


# ----- the capacity slide ------------------------------------------------------------------
def capacity_team(grid: RiskGrid) -> tuple[str | None, str]:
    """The team the capacity slide shows (the one most often red, then amber) and a
    sentence saying why it was chosen."""
    if not grid.teams:
        return None, "No team has any demand to meet in this scenario."
    team = grid.teams[0]
    months = len(grid.months)
    red = int((grid.codes[0] == RED).sum())
    amber = int((grid.codes[0] == AMBER).sum())
    if red:
        why = f"the team red for the most months ({red} of {months})"
    elif amber:
        why = f"no team goes red; this one is amber for the most months ({amber} of {months})"
    else:
        why = "every team stays green; this is the first team in the list"
    return team, f"Showing {team}: {why}."


# ----- the risk slide --------------------------------------------------------------------
@dataclass(frozen=True)
class PresentedGrid:
    """The risk grid as the slide draws it: a few teams, months or quarters across.

    ``codes[row, column]`` is the worst status (0 green, 1 amber, 2 red) of the team
    in the months of that column; ``years`` are the financial years over the columns
    as (label, number of columns).
    """

    teams: list[str]
    columns: list[str]  # "Q1"… or "Apr"…
    years: list[tuple[str, int]]
    codes: np.ndarray  # (teams, columns)
    red_months: list[int]  # per team shown, over the whole horizon
    months_per_column: int  # 1 or 3
    hidden_at_risk: int  # teams with amber or red months left off (too many rows)
    hidden_green: int  # teams left off because they stay green throughout

    @property
    def unit(self) -> str:
        return "month" if self.months_per_column == 1 else "quarter"

    def note(self) -> str:
        """What the grid leaves out, in words."""
        parts = []
        if self.months_per_column > 1:
            parts.append("Each letter is the worst month of the quarter.")
        if self.hidden_at_risk:
            n = self.hidden_at_risk
            parts.append(f"{n} more team{'s' if n != 1 else ''} with amber or red months "
                         "not shown.")
        if self.hidden_green:
            n = self.hidden_green
            parts.append(f"{n} other team{'s' if n != 1 else ''} stay{'s' if n == 1 else ''} "
                         "green throughout.")
        return " ".join(parts)


def _column_of(month: int, per_column: int) -> tuple[int, int]:
    """(financial year start, column within the year) of a month number."""
    fy = fy_start_year(month)
    within = (month % 12 - 3) % 12  # April is 0
    return fy, within // per_column


def presented_grid(grid: RiskGrid, max_teams: int = MAX_GRID_TEAMS) -> PresentedGrid:
    """The teams at risk (most red months first, as in ``grid``), at most ``max_teams``,
    in months for horizons up to two years and in financial-year quarters beyond."""
    at_risk = [i for i in range(len(grid.teams)) if (grid.codes[i] != GREEN).any()]
    rows = (at_risk or list(range(len(grid.teams))))[:max_teams]
    per_column = 1 if len(grid.months) <= MONTHLY_UP_TO else 3
    keys = [_column_of(m, per_column) for m in grid.months]
    order = list(dict.fromkeys(keys))
    groups = [[j for j, k in enumerate(keys) if k == key] for key in order]
    codes = np.zeros((len(rows), len(groups)), dtype=int)
    for c, members in enumerate(groups):
        if rows:
            codes[:, c] = grid.codes[np.ix_(rows, members)].max(axis=1)
    if per_column == 1:
        columns = [MONTH_NAMES[grid.months[g[0]] % 12] for g in groups]
    else:
        columns = [f"Q{k[1] + 1}" for k in order]
    years: list[tuple[str, int]] = []
    for fy, _ in order:
        label = fy_text(fy)
        if years and years[-1][0] == label:
            years[-1] = (label, years[-1][1] + 1)
        else:
            years.append((label, 1))
    red = grid.red_months()
    return PresentedGrid(
        teams=[grid.teams[i] for i in rows], columns=columns, years=years, codes=codes,
        red_months=[int(red[i]) for i in rows], months_per_column=per_column,
        hidden_at_risk=max(len(at_risk) - len(rows), 0),
        hidden_green=len(grid.teams) - len(at_risk) if at_risk else len(grid.teams) - len(rows))


# ----- sentences under the chart headings --------------------------------------------------
def savings_sentence(results: Results) -> str:
    """``"MTFP target met in 5 of 5 whole financial years."``"""
    met, judged = targets_met(fy_money_table(results))
    if not judged:
        return "No MTFP target is set for a whole financial year in the horizon."
    return f"MTFP target met in {met} of {judged} whole financial year{'s' if judged != 1 else ''}."


def cumulative_sentence(results: Results) -> str:
    """``"Payback Jul 2027. Net position at the end: £16,761,817."``"""
    net = float(results.monthly()["cumulative_net"].iloc[-1])
    sign = "-" if net < -0.5 else ""
    return f"{payback_text(results)}. Net position at the end: {sign}£{abs(net):,.0f}."


def bridge_sentence(bridge: list[tuple[str, float]]) -> str:
    """``"1,249.7 FTE in post at the start, 1,236.4 at the end (−13.3)."``"""
    if not bridge:
        return ""
    start, end = round(bridge[0][1], 1), round(bridge[-1][1], 1)
    change = end - start  # of the figures as shown, so the sentence adds up
    sign = "+" if change > 0.05 else "\u2212" if change < -0.05 else ""
    return (f"{start:,.1f} FTE in post at the start, {end:,.1f} at the end "
            f"({sign}{abs(change):,.1f}).")


# ----- the compare slide ---------------------------------------------------------------------
@dataclass(frozen=True)
class CompareRow:
    key: str
    label: str
    texts: list[str]  # one per scenario
    best: tuple[int, ...]  # positions of the best scenarios (none: no "best" in this row)


def compare_rows(frame: pd.DataFrame) -> list[CompareRow]:
    """The :data:`COMPARE_ROWS` of a :func:`planner.compare.compare_kpis` frame, in order."""
    columns = compare.scenario_columns(frame)
    rows = []
    for key, label in COMPARE_ROWS:
        if key not in frame.index:
            continue
        row = frame.loc[key]
        rows.append(CompareRow(key, label, [str(row[c]) for c in columns],
                               tuple(int(i) for i in row[compare.BEST])))
    return rows
