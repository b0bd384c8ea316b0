"""The Monte Carlo fan: the P10–P90 band of a simulation with its middle (P50) line and the
expected-value run, for the cumulative net position, FTE in post, or one team's
capacity ÷ demand."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from planner.chart_data import FanData
from ui import formatting
from ui.chart_base import OKABE_ITO, Chart
from ui.charts_money import legend_below, show_message, shrinkable_title, use_money_axis

OUT_OF_DATE = " (out of date)"


def _ratio(v: float) -> str:
    return f"{v:.2f}"


class FanChart(Chart):
    """A band of outcomes: 8 in 10 simulated futures fall between the P10 and P90 lines."""

    P10, P50, P90 = "P10", "P50 (median)", "P90"
    BAND = "P10 to P90 (8 in 10 futures)"
    EXPECTED = "Expected value (the plan)"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Range of outcomes (P10 to P90)", "Cumulative net position (£)",
                         x_label="Month", parent=parent, y_format=formatting.money)
        self.money_axis = use_money_axis(self)
        shrinkable_title(self)
        legend_below(self, 3)
        self.data: FanData | None = None
        self.stale = False
        self._message = "No simulation yet"
        self._ready = True

    def apply_theme(self) -> None:
        """Follow the palette (the fan is drawn again in the new colours)."""
        super().apply_theme()
        if getattr(self, "_ready", False):
            self.set_fan(self.data, self.stale, self._message)

    def set_fan(self, data: FanData | None, stale: bool = False,
                message: str = "No simulation yet") -> None:
        """Draw ``data`` (None: an empty chart saying ``message``); ``stale`` marks it out
        of date."""
        self.clear_data()
        self.data, self.stale, self._message = data, stale, message
        show_message(self, None)
        if data is None:
            self.title = "Range of outcomes (P10 to P90)"
            Chart.apply_theme(self)
            show_message(self, message)
            return
        money = data.measure == "cumulative_net"
        self.money_axis.money = money
        self._y_format = formatting.money if money else (
            formatting.fte if data.measure == "fte" else _ratio)
        self.title = data.title + (OUT_OF_DATE if stale else "")
        self._y_label = data.y_label
        Chart.apply_theme(self)
        self.set_months(data.months)
        colour = QColor(150, 150, 150) if stale else OKABE_ITO["sky"]
        edge = pg.mkPen(colour, width=1)
        low = pg.PlotDataItem(np.arange(len(data.months)), data.bands[0], pen=edge,
                              connect="finite")
        high = pg.PlotDataItem(np.arange(len(data.months)), data.bands[2], pen=edge,
                               connect="finite")
        self.add_item(self.P10, low, hover_values=data.bands[0])
        self.add_item(self.P90, high, hover_values=data.bands[2])
        brush = pg.mkBrush(QColor(colour.red(), colour.green(), colour.blue(),
                                  60 if stale else 110))
        self.add_item(self.BAND, pg.FillBetweenItem(low, high, brush=brush))
        # The legend cannot draw a FillBetweenItem's sample: a bar of the same look stands in.
        self._band_sample = pg.BarGraphItem(x=[0], height=[1], width=1, brush=brush, pen=edge)
        self.legend.addItem(self._band_sample, self.BAND)
        self.add_line(self.P50, data.bands[1], colour=OKABE_ITO["blue"], width=2.5,
                      dash=Qt.PenStyle.SolidLine)
        if np.isfinite(data.expected).any():
            self.add_line(self.EXPECTED, data.expected, colour=OKABE_ITO["vermillion"],
                          width=2, dash=Qt.PenStyle.DashLine)
        for name in (self.P10, self.P90, self.P50, self.EXPECTED):
            if name in self.series:  # never clip the data to the view (read-outs, exports)
                self.series[name].setDynamicRangeLimit(None)
        if data.measure == "ratio":
            references = (("Capacity equals demand", 1.0), *data.thresholds)
            for label, value in references:
                line = pg.InfiniteLine(
                    pos=value, angle=0, movable=False, label=label,
                    pen=pg.mkPen(QColor(128, 128, 128), width=1, style=Qt.PenStyle.DotLine),
                    labelOpts={"position": 0.98, "color": self._text.name(),
                               "anchors": [(1, 1), (1, 1)]})
                self.add_item(label, line)
        elif money:
            zero = pg.InfiniteLine(pos=0.0, angle=0, movable=False,
                                   pen=pg.mkPen(QColor(128, 128, 128), width=1,
                                                style=Qt.PenStyle.DotLine))
            self.add_item("Zero", zero)
