"""Scenarios side by side: a KPI table and overlaid charts for two to five scenarios.

Every figure comes from :func:`planner.compare.compare_kpis` and
:func:`planner.compare.overlay_frames`; this module only lays them out. A
scenario keeps one colour and dash pattern (from its position in the project)
in the table header and in every chart, and the best value of each row is
marked "★ best" in bold, never by colour alone.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyqtgraph as pg
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner import compare
from planner.cell_text import clipboard_text, is_number
from planner.months import month_label
from ui import formatting
from ui.chart_base import DASHES, SERIES_COLOURS, Chart, theme
from ui.deferred import when_shown
from ui.project_model import ProjectModel

MIN_TICKED, MAX_TICKED, DEFAULT_TICKED = 2, 5, 3
BEST_MARK = "★ best"
TOO_MANY = (f"You can compare at most {MAX_TICKED} scenarios at once: untick one before "
            "ticking another.")
TOO_FEW = f"Tick at least {MIN_TICKED} scenarios to compare them."
NOT_COMPUTED = "could not be worked out"

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
#: The cell's text without the "★ best" mark (what Ctrl+C copies).
PLAIN_ROLE = int(Qt.ItemDataRole.UserRole) + 2
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

Index = QModelIndex | QPersistentModelIndex


def series_pen(k: int, width: float = 2.5) -> QPen:
    """The pen of the scenario at project position ``k`` (as :meth:`Chart.add_line` draws it)."""
    pen = QPen(SERIES_COLOURS[k % len(SERIES_COLOURS)], width)
    pen.setStyle(DASHES[k % len(DASHES)])
    return pen


def line_icon(k: int, size: QSize) -> QPixmap:
    """A short line in the scenario's colour and dash, for headers and the list."""
    pixmap = QPixmap(size)
    pixmap.fill(QColor(0, 0, 0, 0))
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(series_pen(k, max(2.0, size.height() / 6)))
    painter.drawLine(1, size.height() // 2, size.width() - 1, size.height() // 2)
    painter.end()
    return pixmap


class CopyTableView(QTableView):
    """A table whose Ctrl+C (the platform's Copy keys) emits ``copy_requested`` (the owner
    copies tab-separated text for Excel) instead of Qt's default of copying one cell."""

    copy_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class CompareTableModel(QAbstractTableModel):
    """Rows are KPIs, columns the KPI label then one per scenario (a compare_kpis frame)."""

    COL_KPI = 0
    COL_FIRST_SCENARIO = 1
    SortRole = SORT_ROLE

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._frame = compare.compare_kpis([])
        self._scenarios: list[str] = []
        self._rows: list[tuple[str, str, list[str], list[float], set[int]]] = []
        self._icons: list[QPixmap | None] = []

    def set_frame(self, frame: pd.DataFrame, colours: list[int] | None = None) -> None:
        """Show a :func:`planner.compare.compare_kpis` frame; ``colours`` are the scenarios'
        project positions (their colour and dash in the charts)."""
        self.beginResetModel()
        self._frame = frame
        self._scenarios = compare.scenario_columns(frame)
        self._rows = [(str(r[compare.LABEL]), str(r[compare.BETTER] or ""),
                       [str(r[c]) for c in self._scenarios], list(r[compare.RAW]),
                       set(r[compare.BEST]))
                      for _, r in frame.iterrows()]
        size = QSize(28, 12)
        self._icons = [line_icon(k, size) for k in colours] if colours is not None else \
            [None] * len(self._scenarios)
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    @property
    def scenarios(self) -> list[str]:
        return list(self._scenarios)

    def keys(self) -> list[str]:
        """The KPI key of each row (``"red_team_months"``, ``"fy:2027/28"``…)."""
        return [str(k) for k in self._frame.index]

    def row_of(self, key: str) -> int:
        return self.keys().index(key)

    def is_best(self, row: int, column: int) -> bool:
        return column >= self.COL_FIRST_SCENARIO and \
            column - self.COL_FIRST_SCENARIO in self._rows[row][4]

    # ----- Qt model interface ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COL_FIRST_SCENARIO + len(self._scenarios)

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        label, better, texts, raw, best = self._rows[row]
        j = column - self.COL_FIRST_SCENARIO
        if role == _DISPLAY:
            if column == self.COL_KPI:
                return label
            return f"{texts[j]}   {BEST_MARK}" if j in best else texts[j]
        if role == PLAIN_ROLE:
            return label if column == self.COL_KPI else texts[j]
        if role == SORT_ROLE:
            return label if column == self.COL_KPI else float(raw[j])
        if role == Qt.ItemDataRole.FontRole and column != self.COL_KPI and j in best:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if column == self.COL_KPI else _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.COL_KPI:
                return {"higher": f"{label}: higher is better",
                        "lower": f"{label}: lower is better"}.get(
                    better, f"{label}: neither higher nor lower is better in itself")
            if j in best:
                return f"{self._scenarios[j]}: best of the scenarios compared"
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole and column != self.COL_KPI:
            text = f"{self._scenarios[j]}, {label}: {texts[j]}"
            return text + ", best" if j in best else text
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        j = section - self.COL_FIRST_SCENARIO
        if role == _DISPLAY:
            return "Measure" if section == self.COL_KPI else self._scenarios[j]
        if role == Qt.ItemDataRole.DecorationRole and section != self.COL_KPI:
            return self._icons[j]
        if role == Qt.ItemDataRole.ToolTipRole and section != self.COL_KPI:
            return f"{self._scenarios[j]} (its line in the charts is drawn like this)"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _LEFT if section == self.COL_KPI else _RIGHT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def copy_text(self, rows: list[int] | None = None) -> str:
        """Tab-separated text (headers then the rows; all rows by default) for Excel."""
        rows = list(range(self.rowCount())) if rows is None else rows
        columns = range(self.columnCount())
        # Scenario names are the user's text: escaped (planner.cell_text) so a name like
        # "=HYPERLINK(…)" pastes as text; a figure stays a number ("-£12,500").
        return clipboard_text(
            [self.headerData(c, Qt.Orientation.Horizontal) for c in columns],
            ([(self.index(r, c).data(PLAIN_ROLE),
               c != self.COL_KPI and is_number(self.index(r, c).data(SORT_ROLE)))
              for c in columns] for r in rows))


def money_ticks(values: list[float], _scale: float = 1.0, _spacing: float = 0.0) -> list[str]:
    """Axis labels for pounds: "£15m", "£500k", "-£2.5m" (not "1.5e+07")."""
    out = []
    for v in values:
        sign, a = ("-" if v < 0 else ""), abs(v)
        if a >= 1e6:
            text = f"{a / 1e6:,.2f}".rstrip("0").rstrip(".") + "m"
        elif a >= 1e3:
            text = f"{a / 1e3:,.1f}".rstrip("0").rstrip(".") + "k"
        else:
            text = f"{a:,.0f}"
        out.append(f"{sign}£{text}" if a >= 0.5 else "£0")
    return out


def _fit_view(chart: Chart, months: int) -> None:
    """All months across; headroom above the lines for the legend (top left), which
    gets a background so a line passing under it stays readable."""
    item = chart.getPlotItem()
    ys = [line.getOriginalDataset()[1] for line in chart.series.values()
          if isinstance(line, pg.PlotDataItem)]
    ys = [y for y in ys if y is not None and len(y)]
    background, _ = theme()
    background.setAlpha(215)
    chart.legend.setBrush(pg.mkBrush(background))
    if not ys or months < 1:
        item.enableAutoRange()
        return
    low = min(float(np.nanmin(y)) for y in ys)
    high = max(float(np.nanmax(y)) for y in ys)
    span = (high - low) or max(abs(high), 1.0)
    item.setXRange(0, max(months - 1, 1), padding=0.02)
    item.setYRange(low - 0.05 * span, high + 0.12 * span * (1 + len(ys)), padding=0)


CHARTS = (
    ("cumulative_net", "Cumulative net position", "Net position (£)", formatting.money),
    ("fte_in_post", "FTE in post", "FTE in post (FTE)", lambda v: f"{v:,.1f} FTE"),
    ("red_teams", "Red teams per month", "Teams in red (count)", lambda v: f"{v:,.0f}"),
)


class CompareView(QWidget):
    """Tick two to five of the project's scenarios to see their KPIs and lines together."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._ticked: list[str] = []
        self._building = False

        self.scenario_list = QListWidget()
        self.scenario_list.setAccessibleName("Scenarios to compare")
        self.scenario_list.setToolTip(f"Tick {MIN_TICKED} to {MAX_TICKED} scenarios (Space "
                                      "ticks the highlighted one)")
        self.scenario_list.setIconSize(QSize(28, 12))
        self.scenario_list.setWordWrap(True)
        self.scenario_list.itemChanged.connect(self._on_item_changed)
        list_label = QLabel(f"Scenarios to com&pare ({MIN_TICKED} to {MAX_TICKED}):")
        list_label.setBuddy(self.scenario_list)
        list_label.setWordWrap(True)
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Comparison message")
        self.message_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table_model = CompareTableModel(self)
        self.table = CopyTableView()
        self.table.copy_requested.connect(self.copy_table)
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Key figures of the scenarios compared")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table_label = QLabel("&Key figures (★ best marks the best value in a row; Ctrl+C "
                             "copies the table for Excel):")
        table_label.setBuddy(self.table)
        table_label.setWordWrap(True)
        self.copy_button = QPushButton("C&opy table")
        self.copy_button.setToolTip("Copy the key figures as tab-separated text (Ctrl+C in the "
                                    "table), to paste into Excel")
        self.copy_button.clicked.connect(self.copy_table)

        self.charts = {key: Chart(title, y_label, y_format=fmt)
                       for key, title, y_label, fmt in CHARTS}
        self.charts["cumulative_net"].getPlotItem().getAxis("left").tickStrings = money_ticks

        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(list_label)
        left.addWidget(self.scenario_list, 1)
        left.addWidget(self.message_label)
        table_column = QVBoxLayout()
        table_column.setContentsMargins(0, 0, 0, 0)
        head = QHBoxLayout()
        head.addWidget(table_label, 1)
        head.addWidget(self.copy_button)
        table_column.addLayout(head)
        table_column.addWidget(self.table, 1)
        top = QWidget()
        top_row = QHBoxLayout(top)
        top_row.setContentsMargins(0, 0, 0, 0)
        top_row.addLayout(left, 0)
        top_row.addLayout(table_column, 1)
        charts = QWidget()
        chart_row = QHBoxLayout(charts)
        chart_row.setContentsMargins(0, 0, 0, 0)
        for chart in self.charts.values():
            chart_row.addWidget(chart, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(top)
        self.splitter.addWidget(charts)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.setTabOrder(self.scenario_list, self.copy_button)
        self.setTabOrder(self.copy_button, self.table)

        model.scenarios_changed.connect(self._on_scenarios_changed)
        model.establishment_changed.connect(self._on_data_changed)
        model.scenario_changed.connect(self._on_index_changed)
        model.results_changed.connect(self._on_index_changed)
        model.simulation_changed.connect(self._on_index_changed)
        self._on_scenarios_changed()

    # ----- public ------------------------------------------------------------------------
    def ticked_indices(self) -> list[int]:
        """Project positions of the ticked scenarios, in project order."""
        names = [s.name for s in self._model.scenarios]
        return [i for i, n in enumerate(names) if n in self._ticked]

    def set_ticked(self, indices: list[int]) -> bool:
        """Tick exactly these scenarios (at most five); False (and nothing changes) if more."""
        if len(indices) > MAX_TICKED:
            self.message_label.setText(TOO_MANY)
            return False
        names = [s.name for s in self._model.scenarios]
        self._ticked = [names[i] for i in sorted(set(indices)) if 0 <= i < len(names)]
        self._fill_list()
        self._refresh()
        return True

    def copy_table(self) -> str:
        """Copy the selected rows (or the whole table) as tab-separated text."""
        selection = self.table.selectionModel()
        rows = sorted({i.row() for i in selection.selectedIndexes()}) if selection else []
        text = self.table_model.copy_text(rows or None)
        QGuiApplication.clipboard().setText(text)
        return text

    # ----- slots -------------------------------------------------------------------------
    def _on_scenarios_changed(self) -> None:
        # Not deferred: the ticks must follow each rename, add and delete as it happens
        # (renamed scenarios stay ticked); only the redraw waits until the page is shown.
        names = [s.name for s in self._model.scenarios]
        previous = self._previous_positions()
        kept = [n for n in self._ticked if n in names]
        if len(kept) < len(self._ticked) and len(previous) and len(names) == self._list_count():
            kept = [names[i] for i in previous if i < len(names)]  # renamed: keep the places
        if not kept:  # a new project (or nothing ticked): the first few
            kept = names[:DEFAULT_TICKED]
        self._ticked = kept
        self._fill_list()
        self._on_data_changed()

    @when_shown
    def _on_data_changed(self, *_args: object) -> None:
        self._refresh()

    @when_shown
    def _on_index_changed(self, index: int) -> None:
        if index in self.ticked_indices():
            self._refresh()

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        if self._building:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            if name not in self._ticked and len(self._ticked) >= MAX_TICKED:
                self._building = True
                item.setCheckState(Qt.CheckState.Unchecked)
                self._building = False
                self.message_label.setText(TOO_MANY)
                return
            if name not in self._ticked:
                self._ticked.append(name)
        elif name in self._ticked:
            self._ticked.remove(name)
        self._refresh()

    # ----- building ----------------------------------------------------------------------
    def _list_count(self) -> int:
        return self.scenario_list.count()

    def _previous_positions(self) -> list[int]:
        return [r for r in range(self.scenario_list.count())
                if self.scenario_list.item(r).checkState() == Qt.CheckState.Checked]

    def _fill_list(self) -> None:
        self._building = True
        current = self.scenario_list.currentRow()
        self.scenario_list.clear()
        for k, scenario in enumerate(self._model.scenarios):
            item = QListWidgetItem(scenario.name)
            item.setData(Qt.ItemDataRole.UserRole, scenario.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if scenario.name in self._ticked
                               else Qt.CheckState.Unchecked)
            item.setIcon(line_icon(k, QSize(28, 12)))
            item.setToolTip(scenario.name)
            self.scenario_list.addItem(item)
        if 0 <= current < self.scenario_list.count():
            self.scenario_list.setCurrentRow(current)
        metrics = self.scenario_list.fontMetrics()
        widest = max((metrics.horizontalAdvance(s.name) for s in self._model.scenarios),
                     default=0)
        extra = 28 + 4 * metrics.averageCharWidth() + 2 * self.scenario_list.frameWidth()
        self.scenario_list.setFixedWidth(min(max(widest + extra, 14 * metrics.averageCharWidth()),
                                             40 * metrics.averageCharWidth()))
        self._building = False

    def _refresh(self) -> None:
        """Rebuild the table and the charts from the model's current results."""
        indices = self.ticked_indices()
        model = self._model
        results = [model.results(i) for i in indices]
        names = [model.scenarios[i].name for i in indices]
        waiting = [NOT_COMPUTED if model.result_error(i) else compare.COMPUTING for i in indices]
        sims = [model.simulation_result(i) for i in indices]
        frame = compare.compare_kpis(results, sims, names=names, placeholders=waiting)
        self.table_model.set_frame(frame, colours=indices)
        self._update_message(indices, results)
        months, lines = compare.overlay_frames(results)
        labels = [month_label(m) for m in months]
        for key, chart in self.charts.items():
            chart.clear_data()
            chart.set_months(labels)
            for k, name, line in zip(indices, names, lines, strict=True):
                if line is not None:
                    chart.add_line(name, line[key].to_numpy(), x=line["x"].to_numpy(), index=k)
            _fit_view(chart, len(months))

    def _update_message(self, indices: list[int], results: list[object]) -> None:
        parts = []
        if len(indices) < MIN_TICKED:
            parts.append(TOO_FEW)
        waiting = sum(1 for r in results if r is None)
        if waiting:
            parts.append(f"{formatting.plural(waiting, 'scenario')} still being worked out "
                         "or not computed (shown as “…”).")
        self.message_label.setText(" ".join(parts))
