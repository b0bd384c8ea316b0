"""Several scenarios in one workbook: a Compare sheet first, then each scenario's sheets.

The Compare sheet is the app's Compare view on paper: :func:`planner.compare.compare_kpis`
for two to five scenarios, one row per headline figure, the best value of each row
marked "★ best" (and named in a "Best" column), never by colour alone; then the same
figures as plain numbers for a finance officer's own sums.

Each scenario's sheets follow, their names prefixed with the scenario's number
("1 Summary", "1 Charts", … "2 Summary", …): scenario names can be long, repeat, or
hold characters a sheet name cannot, so they appear in a table on the Compare sheet
instead. The establishment's data-quality report, the same for every scenario, comes
once at the end. One anonymiser serves the whole workbook, so a post has the same
code on every scenario's sheets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from planner import compare
from planner.anonymise import NOTICE, PERSONAL_NOTICE, wants_anonymous
from planner.errors import PlannerError
from planner.export_xlsx import (
    SHEETS,
    anonymiser,
    protect,
    quality_sheet,
    scenario_sheets,
)
from planner.months import format_month
from planner.tasks import TaskState
from planner.xlsx_format import COUNT, FTE, MONEY, PCT, SheetBuilder, Styled, write_workbook

if TYPE_CHECKING:
    from planner.establishment import Establishment
    from planner.montecarlo import Simulation
    from planner.results import Results

SHEET = "Compare"
MIN_SCENARIOS, MAX_SCENARIOS = 2, 5
BEST_MARK = "★ best"  # the app's Compare view marks the best value the same way
BETTER_TEXT = {"higher": "Higher", "lower": "Lower (earlier for months)", "": "No best: policy"}
#: Number formats of the raw figures by compare_kpis' unit.
UNIT_FORMATS = {"£": MONEY, "FTE": FTE, "people": "0.0", "team-months": COUNT,
                "weeks": "0.0", "%": PCT}
NO_ONE_OFF = "no one-off costs"  # compare_kpis' payback text when there is nothing to repay


def sheet_prefix(number: int) -> str:
    """``"1 "``: the start of every sheet name of scenario ``number`` (1-based)."""
    return f"{number} "


def comparison_sheet_names(count: int, *, with_quality: bool) -> list[str]:
    """The sheets :func:`write_comparison_workbook` writes for ``count`` scenarios, in order."""
    per_scenario = [s for s in SHEETS if s != "Data quality"]
    names = [SHEET] + [sheet_prefix(i) + s for i in range(1, count + 1) for s in per_scenario]
    return names + (["Data quality"] if with_quality else [])


def write_comparison_workbook(results_list: Sequence[Results], path: Path, *,
                              simulations: Sequence[Simulation | None] | None = None,
                              establishment: Establishment | None = None,
                              anonymise: bool = True,
                              state: TaskState | None = None) -> Path:
    """Write a Compare sheet and every scenario's sheets to ``path``; return the path.

    Args:
        results_list: Two to five scenarios' results, in the order to show them.
        simulations: Monte Carlo results per scenario (None where not run), for the
            chance of meeting the year-2 target; None: no simulations.
        establishment: Adds the shared data-quality sheet at the end.
        anonymise: No names; post and employee ids replaced by codes (the default).
        state: Progress and cancel, as for :func:`planner.export_xlsx.write_results_workbook`.

    Raises:
        PlannerError: Fewer than two or more than five scenarios, or the file cannot be
            written (open in Excel?).
    """
    results = list(results_list)
    if not MIN_SCENARIOS <= len(results) <= MAX_SCENARIOS:
        raise PlannerError(f"Choose between {MIN_SCENARIOS} and {MAX_SCENARIOS} scenarios to "
                           f"compare ({len(results)} chosen).")
    anon = anonymiser(wants_anonymous(anonymise), results, establishment)
    builders = [compare_sheet(results, simulations, anonymised=anon is not None)]
    for number, res in enumerate(results, start=1):
        for builder in scenario_sheets(res, anon=anon):
            builder.title = sheet_prefix(number) + builder.title
            builders.append(builder)
    if establishment is not None:
        builders.append(quality_sheet(establishment, include_names=anon is None, anon=anon))
    protect(builders, anon)
    return write_workbook(builders, path, title="Workforce scenarios compared", state=state)


def compare_sheet(results: Sequence[Results], simulations: Sequence[Simulation | None] | None,
                  *, anonymised: bool = True) -> SheetBuilder:
    """The Compare sheet: which scenario is where, the key figures, and the raw numbers."""
    frame = compare.compare_kpis(results, simulations)
    names = compare.scenario_columns(frame)
    sb = SheetBuilder(SHEET)
    sb.line("Workforce scenarios compared", "title")
    sb.line(NOTICE if anonymised else PERSONAL_NOTICE, "bold")
    sb.line(f"Generated {dt.datetime.now():%d %B %Y at %H:%M} by FTE Planner", "note")
    sb.blank()
    sb.line("Scenarios in this workbook", "heading")
    sb.rows(["Scenario", "Its sheets", "Horizon"],
            [[name, f"'{sheet_prefix(i)}Summary' to '{sheet_prefix(i)}Assumptions'",
              res.scenario.horizon.describe()]
             for i, (name, res) in enumerate(zip(names, results, strict=True), start=1)])
    sb.blank()
    sb.line("Key figures", "heading")
    sb.line(f"{BEST_MARK} marks the best value of a row where higher or lower is better; "
            "rows with no best are a matter of policy.", "note")
    sb.rows(["Measure", *names, "Best", "Better when"], key_figure_rows(frame))
    sb.blank()
    sb.line("The same figures as numbers", "heading")
    sb.line("Money in pounds, FTE to two decimals, chances as percentages; blank where a "
            "scenario has no figure.", "note")
    sb.rows(["Measure", "Unit", *names], number_rows(frame))
    return sb


def key_figure_rows(frame: pd.DataFrame) -> list[list[object]]:
    """Rows of the key-figures table: label, one text per scenario (best marked in bold
    with "★ best"), the best scenarios' names, and which way is better."""
    names = compare.scenario_columns(frame)
    rows: list[list[object]] = []
    for _key, row in frame.iterrows():
        best = set(row[compare.BEST])
        cells: list[object] = [Styled(f"{row[name]}  {BEST_MARK}", style="bold")
                               if j in best else row[name] for j, name in enumerate(names)]
        rows.append([row[compare.LABEL], *cells, ", ".join(names[j] for j in sorted(best)),
                     BETTER_TEXT.get(row[compare.BETTER], "")])
    return rows


def number_rows(frame: pd.DataFrame) -> list[list[object]]:
    """Rows of the numbers table: label, unit, one raw figure per scenario (months as
    YYYY-MM text; a payback with no one-off costs keeps its words)."""
    names = compare.scenario_columns(frame)
    rows: list[list[object]] = []
    for _key, row in frame.iterrows():
        unit = row[compare.UNIT]
        cells: list[object] = []
        for name, value in zip(names, row[compare.RAW], strict=True):
            if not np.isfinite(value):
                cells.append(None)
            elif unit == "month":
                cells.append(row[name] if row[name] == NO_ONE_OFF else format_month(int(value)))
            else:
                cells.append(Styled(float(value), UNIT_FORMATS.get(unit)))
        rows.append([row[compare.LABEL], "month (YYYY-MM)" if unit == "month" else unit,
                     *cells])
    return rows
