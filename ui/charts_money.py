"""The money charts of the results dashboard: the FTE bridge, savings by financial year
against the MTFP target, and the cumulative net position with its payback month.

Figures come from :mod:`planner.chart_data`; these classes only draw them. Every bar
that goes down is also labelled with its signed value and drawn hatched, so ups and
downs never differ by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QWidget

from planner.chart_data import (
    Waterfall,
    fy_money_table,
    money_short,
    money_tick_decimals,
    month_labels,
    payback_index,
    payback_text,
    signed,
    waterfall,
    wrap_label,
)
from planner.results import Results
from ui import formatting
from ui.chart_base import OKABE_ITO, Chart


class MoneyAxis(pg.AxisItem):
    """A value axis that reads £1.2m, £350k (switch off with ``money = False``)."""

    def __init__(self, orientation: str = "left", **kwargs: Any) -> None:
        super().__init__(orientation, **kwargs)
        self.money = True

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if not self.money:
            return super().tickStrings(values, scale, spacing)
        decimals = money_tick_decimals(spacing * scale)
        return [money_short(v * scale, decimals) for v in values]


def use_money_axis(chart: Chart) -> MoneyAxis:
    """Give ``chart`` a £ value axis (keeps the chart's grid, label and theme)."""
    axis = MoneyAxis("left")
    item = chart.getPlotItem()
    item.setAxisItems({"left": axis})
    item.showGrid(x=False, y=True, alpha=0.25)
    chart.apply_theme()
    return axis


def legend_below(chart: Chart, columns: int) -> pg.LegendItem:
    """Move the chart's legend under the plot, in ``columns`` columns, so it never covers
    the data (and is still part of the exported picture)."""
    item = chart.getPlotItem()
    old = chart.legend
    if old.scene() is not None:
        old.scene().removeItem(old)
    legend = pg.LegendItem(offset=None, labelTextSize="10pt", colCount=columns, frame=False)
    item.layout.addItem(legend, 4, 1)
    item.legend = chart.legend = legend
    chart.apply_theme()
    return legend


def shrinkable_title(chart: Chart) -> None:
    """Let a long title be cut at the edges instead of widening the plot past the widget
    (pyqtgraph's LabelItem otherwise asks for its whole text width)."""
    label = chart.getPlotItem().titleLabel

    def update_min() -> None:
        bounds = label.itemRect()
        label.setMinimumWidth(0)
        label.setMinimumHeight(bounds.height())
        label._sizeHint = {
            Qt.SizeHint.MinimumSize: (0, bounds.height()),
            Qt.SizeHint.PreferredSize: (bounds.width(), bounds.height()),
            Qt.SizeHint.MaximumSize: (-1, -1),
            Qt.SizeHint.MinimumDescent: (0, 0),
        }
        label.updateGeometry()

    label.updateMin = update_min
    update_min()


def show_message(chart: Chart, text: str | None) -> None:
    """An empty chart says why (``text``) instead of showing meaningless axes; None puts
    the axes' values back for new data."""
    item = chart.getPlotItem()
    for name in ("left", "bottom"):
        item.getAxis(name).setStyle(showValues=text is None)
    if text is None:
        item.enableAutoRange()  # undo the fixed 0–1 range of the empty chart
        return
    label = pg.TextItem(text, color=chart._text, anchor=(0.5, 0.5))
    label.setPos(0.5, 0.5)
    chart.add_item("Message", label)
    item.setXRange(0, 1, padding=0)
    item.setYRange(0, 1, padding=0)


def hatched(colour: QColor, style: Qt.BrushStyle = Qt.BrushStyle.BDiagPattern) -> QBrush:
    """A hatch pattern in ``colour`` (drawn over a pale fill of the same colour)."""
    return QBrush(colour, style)


def pale(colour: QColor, alpha: int = 90) -> QColor:
    return QColor(colour.red(), colour.green(), colour.blue(), alpha)


def _category_axis(chart: Chart, labels: Sequence[str], width: int = 14) -> None:
    chart.months = list(labels)  # heads of the hover read-out
    chart.getPlotItem().getAxis("bottom").setTicks(
        [[(i, wrap_label(text, width)) for i, text in enumerate(labels)], []])


class _Annotated(Chart):
    """A chart with value labels that are redrawn with the data and the theme."""

    def __init__(self, *args: Any, legend_columns: int = 3, **kwargs: Any) -> None:
        self._labels: list[pg.TextItem] = []
        self._last: Any = None  # what the chart shows, to draw again in a new theme
        super().__init__(*args, **kwargs)
        shrinkable_title(self)
        legend_below(self, legend_columns)

    def clear_data(self) -> None:
        super().clear_data()
        for label in self._labels:
            self.getPlotItem().removeItem(label)
        self._labels = []
        show_message(self, None)

    def show_empty(self, message: str = "") -> None:
        """No data: an empty chart with ``message`` in the middle."""
        self.clear_data()
        self._last = None
        show_message(self, message)

    def _label(self, text: str, x: float, y: float, anchor: tuple[float, float]) -> pg.TextItem:
        label = pg.TextItem(text, color=self._text, anchor=anchor)
        label.setPos(x, y)
        self.getPlotItem().addItem(label)
        self._labels.append(label)
        return label

    def apply_theme(self) -> None:
        """Follow the palette: the colours taken from it are baked into the items, so the
        last data is drawn again."""
        super().apply_theme()
        if getattr(self, "_last", None) is not None:
            self._redraw()

    def _redraw(self) -> None:
        raise NotImplementedError

    def _set_y_label(self, text: str) -> None:
        self._y_label = text
        self.getPlotItem().getAxis("left").setLabel(text, color=self._text.name())


# ----- FTE bridge ---------------------------------------------------------------------------
class BridgeChart(_Annotated):
    """FTE in post from the start of the horizon to the end, as a waterfall."""

    KINDS: ClassVar[dict[str, tuple[str, QColor, bool]]] = {  # kind → (name, colour, hatched)
        "total": ("Start and end (FTE in post)", OKABE_ITO["blue"], False),
        "increase": ("Increase (+)", OKABE_ITO["green"], False),
        "decrease": ("Decrease (\u2212)", OKABE_ITO["vermillion"], True),
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("FTE bridge: start to end", "FTE in post (FTE)",
                         x_label="Step", parent=parent, y_format=lambda v: signed(v, 2))
        self.getPlotItem().setMouseEnabled(x=False, y=False)
        self.waterfall: Waterfall | None = None

    def set_bridge(self, bridge: list[tuple[str, float]]) -> None:
        """Draw :meth:`Results.bridge` (start, steps…, end)."""
        self.clear_data()
        self._last = bridge
        wf = self.waterfall = waterfall(bridge)
        x = np.arange(len(wf.labels), dtype=float)
        kinds = np.array(wf.kinds)
        for kind, (name, colour, hatch) in self.KINDS.items():
            sel = kinds == kind
            if not sel.any():
                continue
            brush = hatched(colour) if hatch else pg.mkBrush(colour)
            bars = pg.BarGraphItem(x=x[sel], y0=wf.bottoms[sel], height=wf.heights[sel],
                                   width=0.62, brush=brush, pen=pg.mkPen(colour, width=1.5))
            if hatch:  # a pale fill under the hatching, so the bar reads as solid
                under = pg.BarGraphItem(x=x[sel], y0=wf.bottoms[sel], height=wf.heights[sel],
                                        width=0.62, brush=pg.mkBrush(pale(colour)),
                                        pen=pg.mkPen(None))
                self.add_item(name + " (fill)", under)
            self.add_item(name, bars, legend=name)
        self._hover_values["Change (FTE)"] = np.where(kinds == "total", np.nan, wf.values)
        self._hover_values["FTE in post after"] = wf.levels
        for i, (value, kind) in enumerate(zip(wf.values, wf.kinds, strict=True)):
            text = f"{value:,.1f}" if kind == "total" else signed(value)
            self._label(text, i, wf.tops[i], (0.5, 1.0))
        _category_axis(self, wf.labels)
        lo, hi = wf.view_range()
        self._set_y_label("FTE in post (FTE)" if lo <= 0 else
                          f"FTE in post (FTE; axis starts at {lo:,.0f})")
        item = self.getPlotItem()
        item.setXRange(-0.6, len(wf.labels) - 0.4, padding=0)
        item.setYRange(lo, hi, padding=0)

    def _redraw(self) -> None:
        self.set_bridge(self._last)

    def readout_text(self, i: int) -> str:
        wf = self.waterfall
        if wf is None or not 0 <= i < len(wf.labels):
            return ""
        if wf.kinds[i] == "total":
            return f"{wf.labels[i]}\n{formatting.fte(wf.values[i])} FTE in post"
        return (f"{wf.labels[i]}\nChange: {signed(wf.values[i], 2)} FTE\n"
                f"FTE in post after: {formatting.fte(wf.levels[i])}")


# ----- savings by financial year -----------------------------------------------------------
class SavingsChart(_Annotated):
    """Recurring savings and one-off costs per financial year, against the MTFP target."""

    SAVING = "Recurring saving (core budget)"
    EXTERNAL = "Recurring saving (externally funded posts)"
    ONE_OFF = "One-off costs"
    TARGET = "MTFP target"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Savings by financial year against the MTFP target",
                         "Amount in the year (£)", x_label="Financial year", parent=parent,
                         y_format=formatting.money, legend_columns=2)
        self.money_axis = use_money_axis(self)
        self.getPlotItem().setMouseEnabled(x=False, y=False)
        self.table: pd.DataFrame | None = None

    def set_results(self, results: Results) -> None:
        self.clear_data()
        self._last = results
        fy = self.table = fy_money_table(results)
        n = len(fy)
        x = np.arange(n, dtype=float)
        core = fy["core_saving"].to_numpy(float)
        external = fy["external_saving"].to_numpy(float)
        one_off = fy["one_off_total"].to_numpy(float)
        target = fy["target"].to_numpy(float)
        blue, sky, orange = OKABE_ITO["blue"], OKABE_ITO["sky"], OKABE_ITO["orange"]
        self.add_item(self.SAVING, pg.BarGraphItem(
            x=x - 0.19, y0=0, height=core, width=0.36, brush=pg.mkBrush(blue),
            pen=pg.mkPen(blue)), hover_values=core, legend=self.SAVING)
        if np.abs(external).max(initial=0) > 0.5:
            self.add_item(self.EXTERNAL, pg.BarGraphItem(
                x=x - 0.19, y0=core, height=external, width=0.36,
                brush=hatched(sky, Qt.BrushStyle.CrossPattern), pen=pg.mkPen(sky, width=1.5)),
                hover_values=external, legend=self.EXTERNAL)
        self.add_item(self.ONE_OFF + " (fill)", pg.BarGraphItem(
            x=x + 0.19, y0=0, height=one_off, width=0.36, brush=pg.mkBrush(pale(orange)),
            pen=pg.mkPen(None)))
        self.add_item(self.ONE_OFF, pg.BarGraphItem(
            x=x + 0.19, y0=0, height=one_off, width=0.36, brush=hatched(orange),
            pen=pg.mkPen(orange, width=1.5)), hover_values=one_off, legend=self.ONE_OFF)
        # The target: a short thick line across each year's saving bar.
        tx = np.column_stack([x - 0.42, x + 0.04, np.full(n, np.nan)]).ravel()
        ty = np.repeat(target, 3)
        ty[2::3] = np.nan
        line = pg.PlotDataItem(tx, ty, connect="finite", dynamicRangeLimit=None,
                               pen=pg.mkPen(self._text, width=3.5),
                               symbol="d", symbolSize=9, symbolBrush=pg.mkBrush(self._text),
                               symbolPen=pg.mkPen(None))
        self.add_item(self.TARGET, line, hover_values=target, legend=self.TARGET)
        for i in range(n):
            if np.isfinite(target[i]):
                met = fy["target_status"].iloc[i]
                self._label(met, x[i] - 0.19, max(core[i] + external[i], target[i], 0),
                            (0.5, 1.2))
        ticks = [f"{y} ({m} months)" if m != 12 else str(y)
                 for y, m in zip(fy["financial_year"], fy["months"], strict=True)]
        _category_axis(self, ticks, width=10)
        top = np.nanmax(np.concatenate([core + external, one_off, target, [0.0]]))
        bottom = min(0.0, float(np.nanmin(np.concatenate([core, core + external, [0.0]]))))
        item = self.getPlotItem()
        item.setXRange(-0.6, n - 0.4, padding=0)
        item.setYRange(bottom, top * 1.3 if top > 0 else 1.0, padding=0.02)

    def _redraw(self) -> None:
        self.set_results(self._last)

    def readout_text(self, i: int) -> str:
        text = super().readout_text(i)
        fy = self.table
        if fy is None or not 0 <= i < len(fy):
            return text
        row = fy.iloc[i]
        return (f"{text}\nTarget: {row['target_status']}\n"
                f"Running cost, baseline: {formatting.money(row['baseline_running_cost'])}\n"
                f"Running cost, scenario: {formatting.money(row['running_cost'])}")


# ----- cumulative net position -------------------------------------------------------------
class CumulativeChart(_Annotated):
    """Savings less one-off costs, added up month by month, with the payback month."""

    NET = "Cumulative net position"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Cumulative net position: savings less one-off costs",
                         "Cumulative net position (£)", x_label="Month", parent=parent,
                         y_format=formatting.money)
        self.money_axis = use_money_axis(self)
        self.payback: int | None = None
        self.note: pg.TextItem | None = None

    def set_results(self, results: Results) -> None:
        self.clear_data()
        self._last = results
        self.note = None
        monthly = results.monthly()
        self.set_months(month_labels(results.months))
        cumulative = monthly["cumulative_net"].to_numpy(float)
        self.add_line(self.NET, cumulative, colour=OKABE_ITO["blue"], width=3
                      ).setDynamicRangeLimit(None)
        self._hover_values["Net in the month"] = monthly["net"].to_numpy(float)
        zero = pg.InfiniteLine(pos=0, angle=0, movable=False,
                               pen=pg.mkPen(QColor(128, 128, 128), width=1.5,
                                            style=Qt.PenStyle.DashLine))
        self.add_item("Zero", zero)
        self.payback = payback_index(results)
        text = payback_text(results)
        if self.payback is not None:
            colour = OKABE_ITO["vermillion"]
            right = self.payback <= len(cumulative) / 2  # label on the roomier side
            marker = pg.InfiniteLine(
                pos=self.payback, angle=90, movable=False, label=text,
                pen=pg.mkPen(colour, width=1.5, style=Qt.PenStyle.DashLine),
                labelOpts={"position": 0.88, "color": self._text.name(),
                           "anchors": [(-0.04 if right else 1.04, 0.5)] * 2})
            self.getPlotItem().addItem(marker, ignoreBounds=True)
            self.series["Payback"] = marker
            point = pg.ScatterPlotItem([self.payback], [cumulative[self.payback]], size=12,
                                       symbol="o", brush=pg.mkBrush(OKABE_ITO["vermillion"]),
                                       pen=pg.mkPen(self._text))
            self.add_item("Payback point", point, legend=text)
        else:
            top = float(np.nanmax(cumulative)) if len(cumulative) else 0.0
            self.note = self._label(text, 0, top, (0.0, 0.0))
        item = self.getPlotItem()
        item.setXRange(0, max(len(cumulative) - 1, 1), padding=0.02)

    def _redraw(self) -> None:
        self.set_results(self._last)
