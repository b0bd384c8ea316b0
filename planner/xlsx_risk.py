"""The "Risk" sheet: teams × months of G / A / R, coloured by conditional formatting.

The letter is the cell's value, so the sheet reads in black and white and survives
copying; the colours (the app's colour-blind-safe Okabe–Ito green, orange and
vermillion, green as a pale tint so amber and red stand out) come from conditional
formatting rules on the letters, so a user who edits a letter sees the colour follow.
Teams are ordered as the app's heat map orders them (most red months first, from
:func:`planner.service_view.risk_grid`, which reads ``Service.risk_table()``), each
with its count of red and amber months beside its name.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import pandas as pd
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from planner.capacity import AMBER, RED
from planner.service_view import RAG_CODES, compact_month, risk_grid, risk_legend, risk_summary
from planner.xlsx_format import COUNT, Column, SheetBuilder, Styled

if TYPE_CHECKING:
    from planner.results import Results

SHEET = "Risk"
#: ui.chart_base.RAG_COLOURS (Okabe–Ito green, orange, vermillion) as Excel hex.
RAG_HEX = {"G": "009E73", "A": "E69F00", "R": "D55E00"}
GREEN_ALPHA = 110 / 255  # the app's heat map paints green as a tint (ui.risk_heatmap)


def _tint(hex_colour: str, alpha: float) -> str:
    """``hex_colour`` at ``alpha`` over white, as an opaque colour."""
    rgb = (int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
    return "".join(f"{round(alpha * c + (1 - alpha) * 255):02X}" for c in rgb)


#: Cell fills: black letters on every fill have a contrast above 5:1.
FILLS = {"G": _tint(RAG_HEX["G"], GREEN_ALPHA), "A": RAG_HEX["A"], "R": RAG_HEX["R"]}
TEAM_COLUMNS = 3  # team, red months, amber months: kept in view and on every printed page
MONTH_WIDTH = 5.5  # characters: "Apr" over "27"
MONTHS_PER_PAGE = 24


def risk_frame(results: Results) -> pd.DataFrame:
    """One row per team with demand (most red months first): team, red and amber month
    counts, then one column of "G"/"A"/"R" per month (keys ``m0``, ``m1``…)."""
    grid = risk_grid(results.service())
    frame = pd.DataFrame({
        "team": grid.teams,
        "red_months": (grid.codes == RED).sum(1).astype(int),
        "amber_months": (grid.codes == AMBER).sum(1).astype(int),
    })
    letters = pd.DataFrame([[RAG_CODES[int(c)] for c in row] for row in grid.codes],
                           columns=[f"m{i}" for i in range(len(grid.months))], dtype=object)
    return pd.concat([frame, letters], axis=1) if len(frame) else frame


def rag_rules() -> list[tuple[str, CellIsRule]]:
    """(letter, rule) filling cells equal to the letter with its colour."""
    return [(code, CellIsRule(operator="equal", formula=[f'"{code}"'],
                              fill=PatternFill(fill_type="solid", start_color=FILLS[code],
                                               end_color=FILLS[code]),
                              font=Font(color="000000", bold=code == "R")))
            for code in RAG_CODES]


def risk_sheet(results: Results) -> SheetBuilder:
    """The Risk sheet of one scenario."""
    svc = results.service()
    grid = risk_grid(svc)
    sb = SheetBuilder(SHEET, freeze_columns=TEAM_COLUMNS,
                      pages_wide=max(1, math.ceil(len(grid.months) / MONTHS_PER_PAGE)))
    sb.line(f"Service risk by team and month: {results.scenario.name}", "title")
    sb.line(risk_summary(grid) + ".")
    sb.line("Each cell holds its letter, so the sheet reads in black and white too; the "
            "colours follow the letters.", "note")
    sb.blank()
    legend_top = sb.next_row()
    sb.rows(None, [[Styled(code, style="bold"), text]
                   for code, text in risk_legend(svc.scenario.targets.risk)], fit=False)
    sb.blank()
    frame = risk_frame(results)
    if frame.empty:
        sb.line("No team has any demand modelled, so there is no service risk to show.")
        return sb
    top = sb.next_row()
    months = [Column(f"m{i}", compact_month(m).replace(" ", "\n"), width=MONTH_WIDTH,
                     horizontal="center")
              for i, m in enumerate(grid.months)]
    sb.table(frame, [Column("team", "Team"), Column("red_months", "Red months", COUNT),
                     Column("amber_months", "Amber months", COUNT), *months], freeze=True)
    first = get_column_letter(TEAM_COLUMNS + 1)
    last = get_column_letter(TEAM_COLUMNS + len(months))
    letters = f"{first}{top + 1}:{last}{top + len(frame)}"
    legend = f"A{legend_top}:A{legend_top + len(RAG_CODES) - 1}"

    def format_letters(ws: Any) -> None:
        for _code, rule in rag_rules():
            ws.conditional_formatting.add(f"{letters} {legend}", rule)
        ws.print_title_cols = f"A:{get_column_letter(TEAM_COLUMNS)}"

    sb.extras.append(format_letters)
    return sb
