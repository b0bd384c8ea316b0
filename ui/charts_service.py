"""One team's service charts: capacity against demand, and weeks to clear the backlog.

Both draw a :class:`planner.service_view.TeamSeries`; every figure comes from the
planner. The shortfall (capacity below demand) is shaded between the two lines in
semi-transparent vermillion with its own legend entry, and the changes affecting
the team are marked with labelled dashed lines at go-live (and dotted lines at full
effect), so the reader sees whether a cut came before the change that absorbs it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.LegendItem import ItemSample
from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter
from PySide6.QtWidgets import QWidget

from planner.service_view import TeamSeries, weeks_text
from ui.chart_base import OKABE_ITO, RAG_COLOURS, Chart

SHORTFALL_ALPHA = 110  # of 255: the lines and grid stay visible through the shading
CAPACITY_TITLE = "Capacity and demand"
BACKLOG_TITLE = "Weeks to clear the backlog"


def _formatter(unit: str) -> Callable[[float], str]:
    if unit == "fte":
        return lambda v: f"{v:,.1f} FTE"
    return lambda v: f"{v:,.0f} hours"


def x_range(months: int) -> tuple[float, float]:
    """Room either side for the first and last month's tick labels."""
    return -0.02 * months - 1.0, months - 0.5


class _FillSample(ItemSample):
    """Legend swatch for a filled area (pyqtgraph's sample only knows lines and bars)."""

    def paint(self, p: QPainter, *args: object) -> None:
        brush = self.item.brush()
        p.setPen(pg.mkPen(brush.color().darker(130), width=1))
        p.setBrush(brush if self.item.isVisible() else Qt.BrushStyle.NoBrush)
        p.drawRect(QRectF(2, 2, 18, 16))


class _TeamChart(Chart):
    """A chart of one team that redraws itself when the palette changes."""

    base_title = ""

    def __init__(self, y_label: str, parent: QWidget | None = None) -> None:
        super().__init__(self.base_title, y_label, "Month", parent)
        self._shown: TeamSeries | None = None
        self._marker_texts: list[tuple[pg.InfiniteLine, str]] = []
        self.getPlotItem().vb.sigResized.connect(self._fit_marker_labels)

    def apply_theme(self) -> None:
        super().apply_theme()
        shown = getattr(self, "_shown", None)
        if shown is not None:
            self.show_series(shown)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        ready = hasattr(self, "_marker_texts")  # not while pyqtgraph is still setting up
        if ready and event.type() == QEvent.Type.PaletteChange:  # light/dark switched
            self.apply_theme()

    def show_series(self, series: TeamSeries | None) -> None:
        """Draw ``series`` (None: clear the chart)."""
        raise NotImplementedError

    def _structure(self, series: TeamSeries) -> tuple[object, ...]:
        """What decides the chart's items (not their data): same key, update in place."""
        return (series.team, series.unit, tuple(series.months), series.limits,
                tuple((m.x, m.kind, m.changes) for m in series.markers),
                series.baseline_capacity is None, self._text.name())

    def _update_in_place(self, series: TeamSeries) -> bool:
        """After an edit the items stay and only their data changes: much faster than
        rebuilding lines, fills, markers and legend (the edit → redraw budget is 100 ms)."""
        if series is None or getattr(self, "_key", None) != self._structure(series):
            return False
        self._shown = series
        return True

    def _relabel(self, series: TeamSeries | None, y_label: str) -> None:
        self._shown = series
        self.title = f"{self.base_title}: {series.team}" if series else self.base_title
        self._y_label = y_label
        self.setAccessibleName(self.title)
        Chart.apply_theme(self)  # title and axis labels only (no redraw)
        self.clear_data()
        self._key = None
        self._marker_texts = []

    def _add_markers(self, series: TeamSeries, short: bool = False) -> None:
        """Dashed lines at go-live, dotted at full effect; labels hang from the top."""
        for marker in series.markers:
            text = marker.head if short else marker.label
            line = self.add_marker(marker.name, marker.x, text)
            if marker.kind == "full_effect":
                line.setPen(pg.mkPen(self._text, width=1.2, style=Qt.PenStyle.DotLine))
            # Rotated text reads upwards: anchor its far end at the top so it hangs down
            # inside the plot, just right of the line (no background patch: it would look
            # like a gap in the shading).
            line.label.anchors = [(1, 0), (1, 0)]
            line.label.setPosition(0.98)
            self._marker_texts.append((line, text))
        self._fit_marker_labels()

    def _fit_marker_labels(self, *_args: object) -> None:
        """Shorten marker labels (with "…") to the plot's height, so none runs off it."""
        room = self.getPlotItem().vb.height() - 12
        for line, text in self._marker_texts:
            label = line.label
            metrics = QFontMetricsF(label.textItem.font())
            shown = metrics.elidedText(text, Qt.TextElideMode.ElideRight, max(room, 40.0))
            label.format = shown
            label.setText(shown)
            label.updatePosition()


def _stable_top(chart: Chart, top: float) -> None:
    """Set the y axis to 0 … ``top``, unless the current top already fits the data with
    less than 15 % to spare: a small edit then redraws the lines, not the whole axis."""
    item = chart.getPlotItem()
    current = item.vb.viewRange()[1][1]
    if not top <= current <= top * 1.15:
        item.setYRange(0, top, padding=0)


class CapacityChart(_TeamChart):
    """Capacity and demand of one team per month, the shortfall shaded, change dates marked.

    Series (in :attr:`series`): ``"Capacity"``, ``"Demand"``, ``"Capacity with no
    actions"`` (when the team is not pooled), ``"Shortfall"`` (a FillBetweenItem whose
    ``curves`` hold the band's upper and lower edges) and one line per change marker,
    named by :attr:`planner.service_view.ChangeMarker.name` (``"Go-live: …"``,
    ``"Full effect: …"``).
    """

    base_title = CAPACITY_TITLE

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Hours a month (hours)", parent)
        self.legend.anchor(itemPos=(0, 1), parentPos=(0, 1), offset=(10, -10))

    def show_series(self, series: TeamSeries | None) -> None:
        if series is not None and self._update_in_place(series):
            x = np.arange(len(series.months), dtype=float)
            lines = {"Capacity": series.capacity, "Demand": series.demand}
            if series.baseline_capacity is not None:
                lines["Capacity with no actions"] = series.baseline_capacity
            for name, values in lines.items():
                self.series[name].setData(x, np.asarray(values, dtype=float))
                self._hover_values[name] = np.asarray(values, dtype=float)
            band_x, upper, lower = series.band
            fill = self.series["Shortfall"]
            fill.curves[0].setData(band_x, upper)
            fill.curves[1].setData(band_x, lower)
            self._hover_values["Shortfall"] = np.asarray(series.shortfall, dtype=float)
            self._set_y_range(series)
            return
        unit = series.unit_label if series else "Hours a month"
        y_label = f"{unit} ({'FTE' if series and series.unit == 'fte' else 'hours'})"
        self._relabel(series, y_label)
        if series is None:
            return
        self._y_format = _formatter(series.unit)
        self.set_months(series.months)
        text = self._text
        capacity = self.add_line("Capacity", series.capacity, colour=OKABE_ITO["blue"],
                                 dash=Qt.PenStyle.SolidLine, width=2.5)
        demand = self.add_line("Demand", series.demand, colour=text,
                               dash=Qt.PenStyle.DashLine, width=2.0)
        capacity.setZValue(10)
        demand.setZValue(11)
        if series.baseline_capacity is not None:
            self.add_line("Capacity with no actions", series.baseline_capacity,
                          colour=OKABE_ITO["sky"], dash=Qt.PenStyle.DotLine, width=1.5)
        x, upper, lower = series.band
        colour = QColor(RAG_COLOURS["R"])
        colour.setAlpha(SHORTFALL_ALPHA)
        fill = pg.FillBetweenItem(pg.PlotCurveItem(x, upper), pg.PlotCurveItem(x, lower),
                                  brush=pg.mkBrush(colour))
        self.add_item("Shortfall", fill, hover_values=series.shortfall)
        self.legend.addItem(_FillSample(fill), "Shortfall")
        self._add_markers(series)
        self.getPlotItem().setXRange(*x_range(len(series.months)), padding=0)
        self._set_y_range(series)
        self._key = self._structure(series)

    def _set_y_range(self, series: TeamSeries) -> None:
        tops = [np.nanmax(series.capacity, initial=0.0), np.nanmax(series.demand, initial=0.0)]
        if series.baseline_capacity is not None:
            tops.append(np.nanmax(series.baseline_capacity, initial=0.0))
        _stable_top(self, max(max(tops), 1.0) * 1.08)


class BacklogChart(_TeamChart):
    """Weeks it would take one team to clear its backlog, against the amber and red limits.

    Series: ``"Weeks to clear"`` (NaN where a backlog cannot clear for want of
    capacity), ``"Amber: 2 weeks"`` and ``"Red: 4 weeks"`` (horizontal lines named by
    their labels) and the go-live markers of the team's changes.
    """

    base_title = BACKLOG_TITLE

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Weeks to clear (weeks)", parent)
        self.legend.hide()  # one line, named by the title; the limits are labelled lines
        self._y_format = lambda v: weeks_text(round(v, 1))

    def show_series(self, series: TeamSeries | None) -> None:
        if series is not None and self._update_in_place(series):
            weeks = np.asarray(series.weeks, dtype=float)
            self.series["Weeks to clear"].setData(np.arange(len(weeks), dtype=float), weeks)
            self._hover_values["Weeks to clear"] = weeks
            self._after_draw(series)
            return
        self._relabel(series, "Weeks to clear (weeks)")
        if series is None:
            return
        self.set_months(series.months)
        self.add_line("Weeks to clear", series.weeks, colour=OKABE_ITO["blue"],
                      dash=Qt.PenStyle.SolidLine, width=2.5, legend=False)
        limits = series.limits
        # Red's label at the left end and amber's at the right, both above their lines,
        # so they never overlap however close the lines are drawn.
        for key, weeks, dash, at, anchor in (
                ("A", limits.amber_backlog_weeks, Qt.PenStyle.DashLine, 0.98, (1, 1)),
                ("R", limits.red_backlog_weeks, Qt.PenStyle.DashDotLine, 0.02, (0, 1))):
            label = f"{'Amber' if key == 'A' else 'Red'}: {weeks_text(weeks)}"
            line = pg.InfiniteLine(
                pos=weeks, angle=0, movable=False,
                pen=pg.mkPen(RAG_COLOURS[key], width=2, style=dash), label=label,
                labelOpts={"position": at, "color": self._text.name(),
                           "anchors": [anchor, anchor]})
            self.add_item(label, line)
        self._add_markers(series, short=True)
        self.getPlotItem().setXRange(*x_range(len(series.months)), padding=0)
        self._after_draw(series)
        self._key = self._structure(series)

    def _after_draw(self, series: TeamSeries) -> None:
        top = max(float(np.nanmax(series.weeks, initial=0.0)),
                  series.limits.red_backlog_weeks * 1.5)
        _stable_top(self, top * 1.08)
