"""The common chart: title, axis labels with units, legend, hover read-out, PNG export.

Every dashboard chart is a :class:`Chart`. Series are added with
:meth:`Chart.add_line` / :meth:`Chart.add_bars` and remembered by name in
:attr:`Chart.series`, so tests assert on the plotted data (``item.getData()``)
and the hover read-out can list every series at the month under the mouse.
Colours come from the Okabe–Ito palette, which colour-blind readers can tell
apart; lines also differ in dash pattern, so no series is told by colour alone.
"""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")  # never pick up another Qt binding

from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QFileDialog, QMenu, QWidget

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with any colour vision.
OKABE_ITO = {
    "blue": QColor(0, 114, 178),
    "orange": QColor(230, 159, 0),
    "green": QColor(0, 158, 115),
    "vermillion": QColor(213, 94, 0),
    "sky": QColor(86, 180, 233),
    "purple": QColor(204, 121, 167),
    "yellow": QColor(240, 228, 66),
    "black": QColor(0, 0, 0),
}
SERIES_COLOURS = [OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "sky",
                                          "purple")]
DASHES = [Qt.PenStyle.SolidLine, Qt.PenStyle.DashLine, Qt.PenStyle.DotLine,
          Qt.PenStyle.DashDotLine, Qt.PenStyle.DashDotDotLine, Qt.PenStyle.SolidLine]
#: Risk colours; always shown with their letter (G, A, R) or a pattern, never alone.
RAG_COLOURS = {"G": OKABE_ITO["green"], "A": OKABE_ITO["orange"], "R": OKABE_ITO["vermillion"]}
RAG_NAMES = {"G": "Green", "A": "Amber", "R": "Red"}

Formatter = Callable[[float], str]


def theme() -> tuple[QColor, QColor]:
    """(background, text) colours of the current application palette (light or dark)."""
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text)


def month_ticks(labels: Sequence[str], every: int | None = None) -> list[tuple[int, str]]:
    """Tick positions for month labels (``"Apr 2027"``): every April, or every ``every``."""
    n = len(labels)
    if every is None:
        aprils = [i for i, text in enumerate(labels) if text.startswith("Apr")]
        if 2 <= len(aprils) <= 12:
            return [(i, labels[i]) for i in aprils]
        every = max(1, n // 8)
    return [(i, labels[i]) for i in range(0, n, every)]


class Chart(pg.PlotWidget):
    """A titled chart over months (x = month index) or categories."""

    def __init__(self, title: str, y_label: str, x_label: str = "Month",
                 parent: QWidget | None = None, *, y_format: Formatter | None = None) -> None:
        super().__init__(parent=parent)
        self.title = title
        self.setAccessibleName(title)
        self.setMinimumSize(320, 220)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab to it; Menu key exports
        self.setToolTip("Right-click (or the Menu key) to save this chart as a picture")
        self.series: dict[str, pg.GraphicsObject] = {}
        self.months: list[str] = []
        self._y_format = y_format or (lambda v: f"{v:,.1f}")
        self._hover_values: dict[str, np.ndarray] = {}
        item = self.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        item.showGrid(x=False, y=True, alpha=0.25)
        self.legend = item.addLegend(offset=(10, 10), labelTextSize="10pt")
        self._x_label, self._y_label = x_label, y_label
        self.readout = pg.TextItem("", anchor=(0, 0))
        self.readout.setZValue(100)
        self.cursor = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen(QColor(128, 128, 128), width=1))
        self.cursor.setZValue(90)
        self.cursor.hide()
        self.readout.hide()
        item.addItem(self.cursor, ignoreBounds=True)
        item.addItem(self.readout, ignoreBounds=True)
        self._proxy = pg.SignalProxy(self.scene().sigMouseMoved, rateLimit=30,
                                     slot=self._on_mouse_moved)
        self.apply_theme()

    # ----- look ---------------------------------------------------------------------------
    def apply_theme(self) -> None:
        """Follow the application palette (call again after switching light/dark)."""
        background, text = theme()
        self._text = text
        self.setBackground(background)
        item = self.getPlotItem()
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 9.0) + 3)
        font.setBold(True)
        item.setTitle(self.title, color=text.name(), size=f"{font.pointSizeF():.0f}pt",
                      bold=True)
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            axis.setTextPen(text)
            axis.setPen(text)
        item.getAxis("left").setLabel(self._y_label, color=text.name())
        item.getAxis("bottom").setLabel(self._x_label, color=text.name())
        self.legend.setLabelTextColor(text)
        self.readout.setColor(text)
        self.readout.fill = pg.mkBrush(QColor(background.red(), background.green(),
                                              background.blue(), 225))

    # ----- data ----------------------------------------------------------------------------
    def clear_data(self) -> None:
        """Remove every series (the cursor and read-out stay)."""
        item = self.getPlotItem()
        for graphic in self.series.values():
            item.removeItem(graphic)
        self.series.clear()
        self._hover_values.clear()
        self.legend.clear()

    def set_months(self, labels: Sequence[str]) -> None:
        """Label the x axis with months (x values are month indices 0 … n−1)."""
        self.months = list(labels)
        self.getPlotItem().getAxis("bottom").setTicks([month_ticks(self.months), []])

    def add_line(self, name: str, y: Sequence[float] | np.ndarray, *, x: np.ndarray | None = None,
                 index: int | None = None, width: float = 2.5, colour: QColor | None = None,
                 dash: Qt.PenStyle | None = None, legend: bool = True, hover: bool = True,
                 ) -> pg.PlotDataItem:
        """A named line; colour and dash follow ``index`` (the order series were added)."""
        k = len(self.series) if index is None else index
        y = np.asarray(y, dtype=float)
        x = np.arange(len(y), dtype=float) if x is None else np.asarray(x, dtype=float)
        pen = pg.mkPen(colour or SERIES_COLOURS[k % len(SERIES_COLOURS)], width=width,
                       style=dash if dash is not None else DASHES[k % len(DASHES)])
        line = self.getPlotItem().plot(x, y, pen=pen, name=name if legend else None)
        self.series[name] = line
        if hover:
            self._hover_values[name] = y
        return line

    def add_item(self, name: str, graphic: pg.GraphicsObject, *,
                 hover_values: np.ndarray | None = None, legend: str | None = None) -> None:
        """Any other graphics item (fill, bars, markers), kept by name."""
        self.getPlotItem().addItem(graphic)
        self.series[name] = graphic
        if hover_values is not None:
            self._hover_values[name] = np.asarray(hover_values, dtype=float)
        if legend is not None:
            if hasattr(graphic, "opts"):
                self.legend.addItem(graphic, legend)
            else:  # fills and infinite lines have no sample of their own
                brush = graphic.brush() if hasattr(graphic, "brush") else None
                pen = graphic.pen if isinstance(getattr(graphic, "pen", None), object) and \
                    not callable(getattr(graphic, "pen", None)) else None
                self.add_legend_entry(legend, brush, pen)

    def add_marker(self, name: str, x: float, label: str, colour: QColor | None = None
                   ) -> pg.InfiniteLine:
        """A labelled vertical line (a go-live date, the payback month).

        The label hangs down from the top of the plot, reading upwards, so it is
        never clipped by the plot's top edge.
        """
        pen = pg.mkPen(colour or self._text, width=1.5, style=Qt.PenStyle.DashLine)
        line = pg.InfiniteLine(pos=x, angle=90, movable=False, pen=pen, label=label,
                               labelOpts={"position": 0.98, "color": self._text.name(),
                                          "rotateAxis": (1, 0), "anchors": [(1, 0), (1, 0)]})
        self.getPlotItem().addItem(line, ignoreBounds=True)
        self.series[name] = line
        return line

    def add_legend_entry(self, label: str, brush: object = None, pen: object = None) -> None:
        """A legend entry for an item pyqtgraph's legend cannot sample (fills, lines)."""
        proxy = pg.PlotDataItem([], [], pen=pen if pen is not None else pg.mkPen(None),
                                fillLevel=0 if brush is not None else None,
                                fillBrush=brush)
        self.legend.addItem(proxy, label)

    def set_title(self, title: str) -> None:
        self.title = title
        self.setAccessibleName(title)
        self.apply_theme()

    def set_y_label(self, label: str) -> None:
        self._y_label = label
        self.getPlotItem().getAxis("left").setLabel(label, color=self._text.name())

    def set_y_format(self, formatter: Formatter) -> None:
        self._y_format = formatter

    # ----- hover read-out ----------------------------------------------------------------
    def readout_text(self, i: int) -> str:
        """What the read-out says at month (or category) ``i``."""
        head = self.months[i] if 0 <= i < len(self.months) else str(i)
        rows = [head]
        for name, values in self._hover_values.items():
            if 0 <= i < len(values) and np.isfinite(values[i]):
                rows.append(f"{name}: {self._y_format(float(values[i]))}")
        return "\n".join(rows)

    def _on_mouse_moved(self, event: tuple[QPointF]) -> None:
        pos = event[0]
        item = self.getPlotItem()
        if not item.sceneBoundingRect().contains(pos) or not self._hover_values:
            self.cursor.hide()
            self.readout.hide()
            return
        point = item.vb.mapSceneToView(pos)
        i = round(point.x())
        n = max((len(v) for v in self._hover_values.values()), default=0)
        if not 0 <= i < n:
            self.cursor.hide()
            self.readout.hide()
            return
        self.cursor.setPos(i)
        self.cursor.show()
        self.readout.setText(self.readout_text(i))
        (x0, x1), (_y0, y1) = item.vb.viewRange()
        self.readout.setAnchor((1, 0) if point.x() > (x0 + x1) / 2 else (0, 0))
        self.readout.setPos(point.x(), y1)
        self.readout.show()

    # ----- export ---------------------------------------------------------------------------
    def export_png(self, path: str | Path, width: int | None = None, height: int | None = None
                   ) -> Path:
        """Save the chart as a PNG (at its size on screen, or the size given)."""
        path = Path(path)
        if width and height and (width, height) != (self.width(), self.height()):
            old = self.size()
            self.resize(width, height)
            pixmap = self.grab()
            self.resize(old)
        else:
            pixmap = self.grab()
        if not pixmap.save(str(path), "PNG"):
            raise OSError(f"Could not write the picture to {path}.")
        return path

    def slug(self) -> str:
        """A file name for the chart: ``capacity-against-demand-revenues``."""
        import re

        return re.sub(r"[^a-z0-9]+", "-", self.title.casefold()).strip("-") or "chart"

    def save_png_dialog(self) -> Path | None:
        """Ask where to save, then save; None if the user cancelled."""
        from ui.errors import show_error

        name, _ = QFileDialog.getSaveFileName(self, "Save chart as PNG", f"{self.slug()}.png",
                                              "PNG pictures (*.png)")
        if not name:
            return None
        path = Path(name).with_suffix(".png") if Path(name).suffix.lower() != ".png" \
            else Path(name)
        try:
            return self.export_png(path)
        except OSError as error:
            show_error(self, str(error), title="Could not save the chart")
            return None

    def copy_image(self) -> None:
        QGuiApplication.clipboard().setPixmap(self.grab())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("&Save as PNG…", self.save_png_dialog)
        menu.addAction("&Copy picture", self.copy_image)
        menu.exec(event.globalPos())
