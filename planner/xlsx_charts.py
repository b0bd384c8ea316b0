"""The "Charts" sheet: native Excel charts beside the small tables they read.

Three charts, each reading cell ranges on this sheet so they stay live in Excel (change
a figure and its chart follows):

* savings to the core budget by financial year against the MTFP target: clustered
  columns (saving, one-off costs) with the target as diamond markers;
* the FTE bridge from the start to the end of the horizon: a waterfall drawn the
  standard way, stacked columns on an invisible "base" series;
* capacity against demand month by month (FTE equivalent), summed over the teams
  whose demand is modelled: the title says whether that is every team.

The short tables come first so the three charts sit close together on screen; each
section starts on a new printed page. The figures are worked out by the pure
``*_frame`` functions so tests can check them against the results.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.chart._chart import ChartBase
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.legend import LegendEntry
from openpyxl.chart.marker import Marker
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import (
    CharacterProperties,
    Paragraph,
    ParagraphProperties,
    RegularTextRun,
)
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break

from planner.capacity import RED
from planner.chart_data import fy_money_table, month_labels, waterfall
from planner.xlsx_format import COUNT, FTE, MONEY, Column, SheetBuilder

if TYPE_CHECKING:
    from planner.results import Results

SHEET = "Charts"
#: Okabe–Ito colours (the app's ui.chart_base.OKABE_ITO), as Excel hex.
BLUE, ORANGE, GREEN, VERMILLION, BLACK = "0072B2", "E69F00", "009E73", "D55E00", "000000"
CHART_WIDTH_CM, CHART_HEIGHT_CM = 24.0, 13.0
CHART_ROWS = 28  # rows of 15 pt a chart of 13 cm covers, with a little to spare
MONEY_AXIS = '"£"#,##0.0,,"m";-"£"#,##0.0,,"m";"£"0'  # £ millions; the cells keep pounds
FTE_AXIS = "#,##0"
TITLE_SIZE, AXIS_TITLE_SIZE, TEXT_SIZE = 1400, 1100, 1000  # hundredths of a point
MINUS = "\u2212"


# ----- the figures ------------------------------------------------------------------------
def savings_frame(results: Results) -> pd.DataFrame:
    """Per financial year: core saving, one-off costs, the MTFP target and whether it is met."""
    fy = fy_money_table(results)
    label = [y if m == 12 else f"{y} ({m} months)"
             for y, m in zip(fy["financial_year"], fy["months"], strict=True)]
    return pd.DataFrame({
        "financial_year": label,
        "core_saving": fy["core_saving"].to_numpy(float),
        "one_off_total": fy["one_off_total"].to_numpy(float),
        "target": fy["target"].to_numpy(float),
        "target_status": fy["target_status"].to_numpy(object),
    })


def bridge_frame(results: Results) -> pd.DataFrame:
    """The FTE bridge as a waterfall's columns: the invisible base and the visible bars.

    ``base`` is where each floating bar starts; ``total``, ``increase`` and ``decrease``
    are the visible heights (NaN where the bar is of another kind, or a step of
    nothing), so stacking base + visible draws the bridge. ``fte`` is the bridge's own
    figure (start, signed steps, end).
    """
    wf = waterfall(results.bridge())
    kinds = np.array(wf.kinds)
    heights = wf.heights

    def only(kind: str) -> np.ndarray:
        return np.where((kinds == kind) & (heights >= 0.005), heights, np.nan)

    return pd.DataFrame({
        "step": wf.labels,
        "fte": wf.values,
        "base": np.where(kinds == "total", 0.0, wf.bottoms),
        "total": only("total"),
        "increase": only("increase"),
        "decrease": only("decrease"),
    })


@dataclass(frozen=True)
class CapacityDemand:
    """Capacity and demand per month summed over teams, and which teams they cover."""

    frame: pd.DataFrame  # month ("Apr 2027"), capacity, demand (FTE equivalent), red_teams
    teams: int  # teams summed
    all_teams: int  # teams in the run

    @property
    def scope(self) -> str:
        if self.teams == self.all_teams:
            return f"whole organisation (all {self.teams} teams summed)"
        return f"the {self.teams} teams with demand modelled, summed"


def capacity_demand(results: Results) -> CapacityDemand:
    """Monthly capacity and demand in FTE equivalent (hours ÷ productive hours a month)."""
    svc = results.service()
    active = [svc.teams.index(t) for t in svc.risk_table().index]
    hours = svc.inputs.hours_per_fte_month
    p = svc.paths
    frame = pd.DataFrame({
        "month": month_labels(svc.months),
        "capacity": p.capacity[:, active].sum(1) / hours,
        "demand": p.demand[:, active].sum(1) / hours,
        "red_teams": (p.rag[:, active] == RED).sum(1).astype(int),
    })
    return CapacityDemand(frame, len(active), len(svc.teams))


# ----- the sheet ----------------------------------------------------------------------------
SAVING_COLUMNS = [
    Column("financial_year", "Financial year"),
    Column("core_saving", "Core-budget saving (£)", MONEY),
    Column("one_off_total", "One-off costs (£)", MONEY),
    Column("target", "MTFP target (£)", MONEY),
    Column("target_status", "Target met?", horizontal="center"),
]
BRIDGE_COLUMNS = [
    Column("step", "Step"),
    Column("fte", "Figure (FTE)", FTE),
    Column("base", "Chart helper (hidden base)", FTE),
    Column("total", "Start and end (FTE)", FTE),
    Column("increase", "Increase (FTE)", f'"+"{FTE}'),
    Column("decrease", "Decrease (FTE)", f'"{MINUS}"{FTE}'),  # heights shown as falls
]
CAPACITY_COLUMNS = [
    Column("month", "Month"),
    Column("capacity", "Capacity (FTE equivalent)", FTE),
    Column("demand", "Demand (FTE equivalent)", FTE),
    Column("red_teams", "Teams in red", COUNT),
]
CHART_COLUMN = max(len(SAVING_COLUMNS), len(BRIDGE_COLUMNS), len(CAPACITY_COLUMNS)) + 2
CHART_SPAN = 14  # columns of default width a chart covers (for the print area)

Placer = Callable[[Any, int], ChartBase]


def charts_sheet(results: Results) -> SheetBuilder:
    """The Charts sheet of one scenario."""
    sb = SheetBuilder(SHEET)
    sb.line(f"Charts: {results.scenario.name}", "title")
    sb.line("Each chart reads the table beside it, so the charts follow any figure you change.",
            "note")
    placed: list[tuple[int, Placer]] = []
    breaks: list[int] = []

    def section(heading: str, notes: list[str], frame: pd.DataFrame,
                columns: list[Column], make: Placer | None) -> None:
        if sb.row_count() > 2:
            sb.blank()
            breaks.append(sb.row_count())
        start = sb.row_count()
        sb.line(heading, "heading")
        for note in notes:
            sb.line(note, "note")
        top = sb.next_row()
        sb.table(frame, columns, autofilter=False)
        if make is not None:
            placed.append((top, make))
        while sb.row_count() - start < CHART_ROWS:
            sb.blank()

    savings = savings_frame(results)
    section("Savings by financial year against the MTFP target",
            ["MTFP targets are core-budget targets: savings on externally funded",
             "posts do not count towards them."], savings, SAVING_COLUMNS,
            _savings_chart(savings))
    bridge = bridge_frame(results)
    section("FTE in post: start to end (the FTE bridge)",
            ["The chart helper is the invisible part of each floating bar (the usual",
             "way to draw a waterfall in Excel): it is not a figure to read."],
            bridge, BRIDGE_COLUMNS, _bridge_chart(bridge))
    cd = capacity_demand(results)
    if cd.teams:
        section(f"Capacity and demand: {cd.scope}",
                ["Summed over teams, a surplus in one team hides a shortfall in another:",
                 "the Risk sheet shows each team."],
                cd.frame, CAPACITY_COLUMNS, _capacity_chart(cd))
    else:
        sb.blank()
        sb.line("No team has any demand modelled, so there is no capacity-and-demand chart.")
    last_row, last_col = sb.row_count(), get_column_letter(CHART_COLUMN + CHART_SPAN)

    def place(ws: Any) -> None:
        for top, make in placed:
            chart = make(ws, top)
            chart.anchor = f"{get_column_letter(CHART_COLUMN)}{top}"
            ws.add_chart(chart)
        for row in breaks:
            ws.row_breaks.append(Break(id=row))
        ws.print_area = f"A1:{last_col}{last_row}"

    sb.extras.append(place)
    return sb


# ----- the charts -----------------------------------------------------------------------------
def _savings_chart(frame: pd.DataFrame) -> Placer:
    n = len(frame)
    has_target = bool(np.isfinite(frame["target"].to_numpy(float)).any())

    def make(ws: Any, top: int) -> ChartBase:
        bar = BarChart()
        bar.type, bar.grouping, bar.gapWidth, bar.overlap = "col", "clustered", 60, -5
        cats = Reference(ws, min_col=1, min_row=top + 1, max_row=top + n)
        bar.add_data(Reference(ws, min_col=2, max_col=3, min_row=top, max_row=top + n),
                     titles_from_data=True)
        bar.set_categories(cats)
        _fill(bar.series[0], BLUE)
        _fill(bar.series[1], ORANGE)
        title = "Savings by financial year against the MTFP target"
        if has_target:
            line = LineChart()
            line.add_data(Reference(ws, min_col=4, min_row=top, max_row=top + n),
                          titles_from_data=True)
            line.set_categories(cats)
            target = line.series[0]
            target.marker = Marker(symbol="diamond", size=11)
            target.marker.graphicalProperties = GraphicalProperties(solidFill=BLACK)
            target.marker.graphicalProperties.line.solidFill = BLACK
            target.graphicalProperties.line.noFill = True
            target.smooth = False
            bar += line
        else:
            title += " (no target set)"
        _dress(bar, title, "Financial year", "Amount in the year (£)", MONEY_AXIS)
        return bar

    return make


def _bridge_chart(frame: pd.DataFrame) -> Placer:
    n = len(frame)
    levels = np.concatenate([frame["base"].to_numpy(float),
                             (frame["base"] + frame[["total", "increase", "decrease"]]
                              .fillna(0.0).sum(axis=1)).to_numpy(float)])
    low, high = _axis_range(levels[levels > 0] if (levels > 0).any() else levels)

    def make(ws: Any, top: int) -> ChartBase:
        chart = BarChart()
        chart.type, chart.grouping, chart.overlap, chart.gapWidth = "col", "stacked", 100, 45
        chart.add_data(Reference(ws, min_col=3, max_col=6, min_row=top, max_row=top + n),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + n))
        base, total, up, down = chart.series
        base.graphicalProperties.noFill = True
        base.graphicalProperties.line.noFill = True
        for series, colour in ((total, BLUE), (up, GREEN), (down, VERMILLION)):
            _fill(series, colour)
            # Labels take the cells' formats: "+41.84" and "−53.34".
            series.dLbls = DataLabelList(showVal=True, showSerName=False, showCatName=False,
                                         showLegendKey=False, showPercent=False,
                                         dLblPos="inEnd")
            series.dLbls.txPr = _text_props(TEXT_SIZE, bold=True)
        _dress(chart, "FTE in post: start to end", "Step", "FTE in post (FTE)", FTE_AXIS)
        chart.legend.legendEntry = [LegendEntry(idx=0, delete=True)]  # not the hidden base
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = low, high
        return chart

    return make


def _capacity_chart(cd: CapacityDemand) -> Placer:
    n = len(cd.frame)
    low, high = _axis_range(cd.frame[["capacity", "demand"]].to_numpy(float).ravel())

    def make(ws: Any, top: int) -> ChartBase:
        chart = LineChart()
        chart.add_data(Reference(ws, min_col=2, max_col=3, min_row=top, max_row=top + n),
                       titles_from_data=True)
        chart.set_categories(Reference(ws, min_col=1, min_row=top + 1, max_row=top + n))
        for series, colour, dash in ((chart.series[0], BLUE, None),
                                     (chart.series[1], BLACK, "dash")):
            series.smooth = False
            series.marker = Marker(symbol="none")
            series.graphicalProperties.line.solidFill = colour
            series.graphicalProperties.line.width = 31750  # 2.5 pt in EMU
            if dash:
                series.graphicalProperties.line.dashStyle = dash
        _dress(chart, f"Capacity and demand: {cd.scope}", "Month",
               "FTE equivalent (FTE)", FTE_AXIS)
        chart.y_axis.scaling.min, chart.y_axis.scaling.max = low, high
        chart.x_axis.tickLblSkip = chart.x_axis.tickMarkSkip = 6 if n > 24 else 3 if n > 12 else 1
        return chart

    return make


# ----- looks ------------------------------------------------------------------------------
def _fill(series: Any, colour: str) -> None:
    series.graphicalProperties.solidFill = colour
    series.graphicalProperties.line.solidFill = colour


def _text_props(size: int, bold: bool = False) -> RichText:
    props = CharacterProperties(sz=size, b=bold)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(text: str, size: int) -> Title:
    props = CharacterProperties(sz=size, b=True)
    para = Paragraph(pPr=ParagraphProperties(defRPr=props),
                     r=[RegularTextRun(rPr=props, t=text)])
    return Title(tx=Text(rich=RichText(p=[para])), overlay=False)


def _dress(chart: ChartBase, title: str, x_title: str, y_title: str, y_format: str) -> None:
    """Title, axis titles with units, legend below, readable text, a readable size."""
    chart.title = _title(title, TITLE_SIZE)
    chart.width, chart.height = CHART_WIDTH_CM, CHART_HEIGHT_CM
    chart.legend.position = "b"
    chart.legend.txPr = _text_props(TEXT_SIZE)
    for axis, text in ((chart.x_axis, x_title), (chart.y_axis, y_title)):
        axis.title = _title(text, AXIS_TITLE_SIZE)
        axis.delete = False  # openpyxl 3.1 hides axes unless told otherwise
        axis.txPr = _text_props(TEXT_SIZE)
    chart.y_axis.number_format = y_format
    chart.y_axis.majorGridlines.spPr = GraphicalProperties(ln=None)
    chart.y_axis.majorGridlines.spPr.line.solidFill = "D9D9D9"


def _axis_range(values: np.ndarray) -> tuple[float, float]:
    """A value axis that shows the changes: from zero unless that squashes them, with
    limits on a round step (1, 2, 2.5 or 5 × a power of ten) giving about five gridlines."""
    finite = values[np.isfinite(values)]
    if not finite.size:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    span = max(hi - lo, 1e-9, 0.02 * abs(hi))
    if lo >= 0 and lo - 1.5 * span <= 0.4 * hi:
        lo, span = 0.0, hi
    raw = span / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    top = math.ceil((hi + 0.1 * span) / step) * step
    return (0.0 if lo == 0 else math.floor((lo - 0.1 * span) / step) * step), top
