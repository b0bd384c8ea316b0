"""The dashboard's charts, drawn for a projector: big fonts, projector colours, no menus.

Each class here is the dashboard's own chart (same series, same figures) with
:class:`_OnSlide` mixed in. The mixin draws in the projector colours whatever the
app's theme, bumps every font of the chart (tick labels, axis titles, legend,
labels drawn in the plot) to the slide's sizes after each draw, hides the chart's
own title (the slide's heading says it, larger), and switches off what a room
cannot use: the hover read-out, the right-click menu, zooming and keyboard focus
(the presentation window takes every key).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QContextMenuEvent, QFont, QFontMetricsF

from planner.chart_data import wrap_label
from planner.results import Results
from planner.service_view import TeamSeries
from ui.chart_base import Chart
from ui.charts_money import BridgeChart, CumulativeChart, SavingsChart, legend_below
from ui.charts_service import CapacityChart
from ui.presentation_style import TEXT, SlideFonts, projector_colours, sized

LINE_SCALE = 1.6  # lines drawn this much thicker than on the dashboard: projectors blur
WRAP = 20  # characters per line of the bridge's step names


def restyle_chart(chart: Chart, fonts: SlideFonts) -> None:
    """Set every text of ``chart`` to the slide's sizes (call again after each draw:
    the charts rebuild their items, and reset their labels, when they draw)."""
    item = chart.getPlotItem()
    item.setTitle(None)
    tick = sized(chart, fonts.tick)
    for name in ("left", "bottom"):
        axis = item.getAxis(name)
        axis.setTickFont(tick)
        # Labelled ticks only: the finer grid lines read as noise on a projector.
        axis.setStyle(tickTextOffset=max(4, round(fonts.tick * 0.4)), maxTickLevel=0)
        if axis.labelText:
            axis.setLabel(axis.labelText, color=TEXT.name(), **{"font-size": f"{fonts.tick}pt"})
    _fit_bottom_axis(item.getAxis("bottom"), tick)
    chart.legend.setLabelTextSize(f"{fonts.tick}pt")
    labels = [*chart.series.values(), *getattr(chart, "_labels", [])]
    for graphic in labels:
        if isinstance(graphic, pg.TextItem):
            graphic.setFont(tick)
        elif isinstance(graphic, pg.InfiniteLine) and getattr(graphic, "label", None):
            graphic.label.setFont(tick)
        if not getattr(graphic, "_thick", False):  # once: restyling must not thicken again
            thicken(graphic)
    fit = getattr(chart, "_fit_marker_labels", None)
    if callable(fit):  # shorten the go-live labels to the plot's height in the new font
        fit()


def _fit_bottom_axis(axis: pg.AxisItem, font: QFont) -> None:
    """Make the x axis tall enough for its tick labels (category names run to two lines)
    and its title below them: pyqtgraph lets a large title overlap the last line."""
    levels = getattr(axis, "_tickLevels", None) or []
    lines = max((str(text).count("\n") + 1 for level in levels for _x, text in level),
                default=1)
    offset = axis.style["tickTextOffset"][1]
    title = axis.label.boundingRect().height() if axis.label.isVisible() else 0.0
    spacing = QFontMetricsF(font).lineSpacing()
    axis.setHeight(round(offset + lines * spacing + 0.8 * title))


def thicken(graphic: object) -> None:
    """Lines and markers :data:`LINE_SCALE` times as thick or large as on the dashboard."""
    if isinstance(graphic, pg.PlotDataItem):
        pen = pg.mkPen(graphic.opts["pen"])
        pen.setWidthF(pen.widthF() * LINE_SCALE)
        graphic.setPen(pen)
        if graphic.opts.get("symbol") is not None:
            graphic.setSymbolSize(graphic.opts["symbolSize"] * LINE_SCALE)
    elif isinstance(graphic, pg.ScatterPlotItem):
        graphic.setSize(graphic.opts["size"] * LINE_SCALE)
    else:
        return
    graphic._thick = True  # type: ignore[attr-defined]


class _OnSlide:
    """Mixin for a :class:`Chart` subclass shown on a slide (see the module docstring)."""

    fonts: SlideFonts | None = None

    def _on_slide(self) -> None:
        chart: Any = self
        chart.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        chart.setToolTip("")
        chart.getPlotItem().setMouseEnabled(x=False, y=False)
        chart.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)

    def set_fonts(self, fonts: SlideFonts) -> None:
        self.fonts = fonts
        self.restyle()

    def restyle(self) -> None:
        if self.fonts is not None:
            restyle_chart(self, self.fonts)  # type: ignore[arg-type]

    def apply_theme(self) -> None:
        with projector_colours():
            super().apply_theme()  # type: ignore[misc]
        self.restyle()

    def _drawn(self, draw: Callable[..., None], *args: object) -> None:
        with projector_colours():
            draw(*args)
        self.restyle()

    def _on_mouse_moved(self, _event: object) -> None:
        """No hover read-out on a slide: a box over the data helps nobody in a room."""

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.ignore()


class SlideCapacityChart(_OnSlide, CapacityChart):
    def __init__(self) -> None:
        super().__init__()
        legend_below(self, 4)  # a big legend inside the plot would cover the lines
        self._on_slide()

    def show_series(self, series: TeamSeries | None) -> None:
        self._drawn(super().show_series, series)
        if series is not None:  # a little room under 0, so the 0 tick is labelled
            item = self.getPlotItem()
            bottom, top = item.vb.viewRange()[1]
            if bottom == 0:
                item.setYRange(-0.02 * top, top, padding=0)


class SlideSavingsChart(_OnSlide, SavingsChart):
    def __init__(self) -> None:
        super().__init__()
        self._on_slide()

    def set_results(self, results: Results) -> None:
        self._drawn(super().set_results, results)


class SlideCumulativeChart(_OnSlide, CumulativeChart):
    def __init__(self) -> None:
        super().__init__()
        self._on_slide()

    def set_results(self, results: Results) -> None:
        self._drawn(super().set_results, results)
        # Room left of the first month, so its tick label ("Apr 2027") is not dropped.
        n = len(results.months)
        self.getPlotItem().setXRange(-0.05 * n - 1.0, n - 0.5, padding=0)


class SlideBridgeChart(_OnSlide, BridgeChart):
    def __init__(self) -> None:
        super().__init__()
        self._on_slide()

    def set_bridge(self, bridge: list[tuple[str, float]]) -> None:
        self._drawn(self._draw_bridge, bridge)

    def _draw_bridge(self, bridge: list[tuple[str, float]]) -> None:
        super().set_bridge(bridge)
        # A slide is wide: two lines per step name, not three over the axis title.
        self.getPlotItem().getAxis("bottom").setTicks(
            [[(i, wrap_label(text, WRAP)) for i, (text, _) in enumerate(bridge)], []])
