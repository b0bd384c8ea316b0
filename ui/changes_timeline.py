"""The changes timeline: a Gantt chart of the scenario's benefit changes over its horizon.

One row per change (row 1 at the top). The bar starts at go-live and rises month
by month through the ramp (its height is the share of the full effect reached,
from :func:`planner.change_schedule.change_bars`, the engine's own figures),
then runs at full height to the end of the horizon. A whisker under the bar
spans the go-live slippage from least to most months late, with a diamond at
the most likely. Each row is labelled with the change's name, driver,
realisation and effect, so nothing is told by colour alone. Dragging a bar
sideways moves its go-live (:attr:`ChangesTimeline.go_live_dragged`); the
table beside it does the same from the keyboard.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QWidget

from planner.change_schedule import ChangeBar, change_bars, driver_words, ramp_steps
from planner.months import month_label
from planner.scenario import DRIVERS, Scenario
from ui.chart_base import OKABE_ITO, Chart
from ui.deferred import when_shown
from ui.project_model import ProjectModel

TITLE = "Changes: go-live, ramp and slippage"
DRIVER_COLOURS = dict(zip(DRIVERS, (OKABE_ITO["blue"], OKABE_ITO["orange"],
                                    OKABE_ITO["green"], OKABE_ITO["purple"]), strict=True))
# Each row is one unit tall (row r at y = −r): label on top, the bar, the whisker below.
LABEL_Y = 0.28  # bottom of the label text
BAR_BOTTOM, BAR_HEIGHT = -0.12, 0.36
WHISKER_Y, CAP = -0.26, 0.06
HEADROOM = 0.7  # space above the first row for its label


def _colour(driver: str) -> QColor:
    return DRIVER_COLOURS.get(driver, OKABE_ITO["sky"])


class ChangesTimeline(Chart):
    """The current scenario's changes as bars over its months.

    Attributes:
        go_live_dragged: ``(row, month number)`` when a bar was dragged to a new go-live.
    """

    go_live_dragged = Signal(int, int)

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(TITLE, "Change (row number)", "Month",
                         parent, y_format=lambda v: f"{v:.0f} % of full effect")
        self._model = model
        self._bars: list[ChangeBar] = []
        self._scenario: Scenario | None = None
        self._labels: list[pg.TextItem] = []
        self._drag: tuple[int, float] | None = None  # (row, x where the drag started)
        item = self.getPlotItem()
        item.setMouseEnabled(x=False, y=False)
        item.showGrid(x=True, y=False, alpha=0.2)
        self._move_legend_below()
        self._guide = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen(self._text, width=2,
                                                   style=Qt.PenStyle.DotLine))
        self._guide.hide()
        item.addItem(self._guide, ignoreBounds=True)
        item.vb.mouseDragEvent = self._on_drag  # pyqtgraph dispatches drags in Python
        model.current_changed.connect(self._on_changed)
        model.scenarios_changed.connect(self._on_changed)
        model.scenario_changed.connect(self._on_scenario_changed)
        self.refresh()

    def _move_legend_below(self) -> None:
        """The legend goes under the month axis, where it cannot cover a bar."""
        item = self.getPlotItem()
        old = self.legend
        if old.scene() is not None:
            old.scene().removeItem(old)
        legend = pg.LegendItem(colCount=4, labelTextSize="10pt", frame=False)
        item.layout.addItem(legend, 4, 1)
        item.legend = self.legend = legend
        legend.setLabelTextColor(self._text)

    # ----- reading ----------------------------------------------------------------------------
    def bars(self) -> list[ChangeBar]:
        """The changes as drawn (month positions from the horizon start)."""
        return list(self._bars)

    # ----- drawing ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw from the model's current scenario."""
        scenario = self._model.scenario()
        if scenario is self._scenario and scenario is not None:
            return
        self._scenario = scenario
        self.clear_data()
        item = self.getPlotItem()
        for label in self._labels:
            item.removeItem(label)
        self._labels.clear()
        self._bars = change_bars(scenario) if scenario is not None else []
        if scenario is None:
            return
        if not self._bars:
            note = pg.TextItem("No changes in this scenario: add one in the table below.",
                               color=self._text, anchor=(0.5, 0.5))
            note.setPos(scenario.horizon.months / 2, 0.0)
            item.addItem(note, ignoreBounds=True)
            self._labels.append(note)
        months = scenario.horizon.months
        self.set_months([month_label(n) for n in scenario.horizon.numbers()])
        ramping, full = ramp_steps(self._bars)
        colours = {bar.row: _colour(bar.driver) for bar in self._bars}
        self._add_steps("Ramp", ramping, colours, 255,
                        "Ramp: bar height is the share of full effect")
        self._add_steps("Full effect", full, colours, 150, "Full effect (full-height bar)")
        self._add_slippage()
        for driver in sorted({bar.driver for bar in self._bars}, key=DRIVERS.index):
            sample = pg.BarGraphItem(x0=[0], width=[0], y0=[0], height=[0],
                                     brush=_colour(driver), pen=pg.mkPen(_colour(driver)))
            self.legend.addItem(sample, driver_words(driver))
        for bar in self._bars:
            self._hover_values[bar.name] = np.asarray(bar.fractions) * 100.0
            label = pg.TextItem(f"{bar.row + 1}. {bar.label()}", color=self._text,
                                anchor=(0, 1))
            label.setPos(-0.4, -bar.row + LABEL_Y)
            item.addItem(label, ignoreBounds=True)
            self._labels.append(label)
        n = len(self._bars)
        middle = BAR_BOTTOM + BAR_HEIGHT / 2
        item.getAxis("left").setTicks([[(-i + middle, str(i + 1)) for i in range(n)], []])
        item.setXRange(-0.5, months - 0.5, padding=0)
        item.setYRange(-(max(n, 1) - 1) + WHISKER_Y - 0.2, HEADROOM, padding=0)

    def _add_steps(self, name: str, steps: list, colours: dict[int, QColor], alpha: int,
                   legend: str) -> None:
        x0 = np.array([s.start for s in steps], dtype=float) - 0.5
        width = np.array([s.end - s.start for s in steps], dtype=float)
        y0 = np.array([-s.row + BAR_BOTTOM for s in steps], dtype=float)
        height = np.array([s.fraction * BAR_HEIGHT for s in steps], dtype=float)
        # pyqtgraph fails on empty per-bar lists (every ramp one month long): pass None then
        brushes = [pg.mkBrush(_with_alpha(colours[s.row], alpha)) for s in steps] or None
        pens = [pg.mkPen(colours[s.row], width=1) for s in steps] or None
        neutral = QColor(self._text)
        graphic = pg.BarGraphItem(x0=x0, width=width, y0=y0, height=height, brushes=brushes,
                                  pens=pens, brush=_with_alpha(neutral, alpha),
                                  pen=pg.mkPen(neutral))
        self.add_item(name, graphic, legend=legend)

    def _add_slippage(self) -> None:
        xs: list[float] = []
        ys: list[float] = []
        for bar in self._bars:
            if not bar.has_slippage:
                continue
            y = -bar.row + WHISKER_Y
            lo, hi = bar.slip_min - 0.5, bar.slip_max - 0.5
            xs += [lo, hi, lo, lo, hi, hi]
            ys += [y, y, y - CAP, y + CAP, y - CAP, y + CAP]
        whisker = pg.PlotDataItem(np.array(xs), np.array(ys), connect="pairs",
                                  pen=pg.mkPen(self._text, width=1.5))
        self.add_item("Slippage", whisker,
                      legend="Go-live slippage: least to most months late (whisker)")
        slipping = [b for b in self._bars if b.has_slippage]
        mode = pg.ScatterPlotItem(x=[b.slip_mode - 0.5 for b in slipping],
                                  y=[-b.row + WHISKER_Y for b in slipping], symbol="d",
                                  size=11, pen=pg.mkPen(self._text), brush=pg.mkBrush(self._text))
        self.add_item("Most likely go-live", mode, legend="Most likely go-live (◆)")

    # ----- dragging a bar ----------------------------------------------------------------------
    def bar_at(self, x: float, y: float) -> int | None:
        """The row of the bar under view point (x, y), if any."""
        row = round(-y)
        for bar in self._bars:
            inside = BAR_BOTTOM - 0.1 <= y + row <= BAR_BOTTOM + BAR_HEIGHT + 0.05
            if bar.row == row and x >= bar.go_live - 0.5 and inside:
                return row
        return None

    def drag_month(self, row: int, dx: float) -> int:
        """The go-live month number after dragging bar ``row`` by ``dx`` months."""
        assert self._scenario is not None
        return self._scenario.horizon.start + self._bars[row].go_live + round(dx)

    def _on_drag(self, event, axis=None) -> None:  # pyqtgraph calls it with (event, axis)
        if event.button() != Qt.MouseButton.LeftButton:
            event.ignore()
            return
        vb = self.getPlotItem().vb
        here = vb.mapSceneToView(event.scenePos())
        if event.isStart():
            start = vb.mapSceneToView(event.buttonDownScenePos())
            row = self.bar_at(start.x(), start.y())
            if row is None:
                event.ignore()
                return
            self._drag = (row, start.x())
        if self._drag is None:
            event.ignore()
            return
        event.accept()
        row, x0 = self._drag
        month = self.drag_month(row, here.x() - x0)
        self._guide.setPos(month - self._scenario.horizon.start - 0.5)
        self._guide.setVisible(not event.isFinish())
        if event.isFinish():
            self._drag = None
            if month != self._scenario.horizon.start + self._bars[row].go_live:
                self.go_live_dragged.emit(row, month)

    # ----- slots --------------------------------------------------------------------------------
    @when_shown
    def _on_changed(self, *_args: object) -> None:
        self.refresh()

    @when_shown
    def _on_scenario_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self.refresh()

    def apply_theme(self) -> None:
        super().apply_theme()
        if getattr(self, "_model", None) is not None:
            self._scenario = None
            self.refresh()


def _with_alpha(colour: QColor, alpha: int) -> QColor:
    c = QColor(colour)
    c.setAlpha(alpha)
    return c
