"""Small pyqtgraph charts. Each repeats figures that are also in a table next to it,
so the chart is never the only way to read them (screen readers read the table)."""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # never pick up another Qt binding

import pyqtgraph as pg
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QWidget

from ui import formatting

BAR_COLOUR = QColor(47, 110, 186)


class HorizontalBarChart(pg.PlotWidget):
    """Labelled horizontal bars, largest first, with the value written at each bar's end."""

    def __init__(self, title: str, axis_label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent=parent)
        palette = self.palette()
        self.setBackground(palette.color(QPalette.ColorRole.Base))
        text = palette.color(QPalette.ColorRole.Text)
        self.setAccessibleName(title)
        self.setAccessibleDescription("The same figures are in the table beside the chart.")
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.setMouseEnabled(x=False, y=False)
        item.setTitle(title, color=text)
        item.showGrid(x=True, y=False, alpha=0.25)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setTextPen(text)
            axis.setPen(text)
        item.getAxis("bottom").setLabel(axis_label, color=text.name())
        self._text = text
        self._bars: pg.BarGraphItem | None = None
        self._labels: list[pg.TextItem] = []
        self.values: list[float] = []
        self.names: list[str] = []

    def set_data(self, names: list[str], values: list[float], scale: float = 1.0) -> None:
        """``values`` are drawn divided by ``scale`` (e.g. 1e6 for £m); labels show them whole."""
        item = self.getPlotItem()
        if self._bars is not None:
            item.removeItem(self._bars)
        for label in self._labels:
            item.removeItem(label)
        self._labels = []
        self.names, self.values = list(names), list(values)
        count = len(values)
        ys = list(range(count - 1, -1, -1))  # first item at the top
        widths = [v / scale for v in values]
        self._bars = pg.BarGraphItem(
            x0=0, y=ys, height=0.6, width=widths, brush=BAR_COLOUR, pen=pg.mkPen(None)
        )
        item.addItem(self._bars)
        for y, width, value in zip(ys, widths, values, strict=True):
            label = pg.TextItem(formatting.money(value), color=self._text, anchor=(0, 0.5))
            label.setPos(width, y)
            item.addItem(label)
            self._labels.append(label)
        left = item.getAxis("left")
        left.setTicks([[(y, n) for y, n in zip(ys, names, strict=True)]])
        # Size the axis for the longest name now: pyqtgraph otherwise widens it only after
        # the first paint, which leaves the names clipped in the first frame (and in grabs).
        metrics = self.fontMetrics()
        left.setWidth(max((metrics.horizontalAdvance(n) for n in names), default=0) + 16)
        right = max(widths, default=1.0) or 1.0
        item.setXRange(0, right * 1.4, padding=0)  # room for the £ labels
        item.setYRange(-0.6, max(count - 0.4, 0.6), padding=0)
