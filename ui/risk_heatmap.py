"""The teams × months risk heat map: a letter (G, A, R) on its colour in every cell.

A table rather than an image, so it can be read cell by cell with the keyboard and
a screen reader: each cell's tooltip and accessible text is a sentence such as
"Revenues, Oct 2028: Red — capacity 78% of demand, backlog 5.2 weeks". Teams are
rows, most red months first; months are columns under narrow rotated headers.
Clicking a cell, or pressing Enter on it, emits :attr:`RiskHeatMap.team_clicked`;
Ctrl+C copies the grid as tab-separated text for Excel.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.cell_text import clipboard_text
from planner.months import month_label
from planner.scenario import RiskThresholds
from planner.service_view import RAG_CODES, RiskGrid, compact_month, risk_legend
from ui.chart_base import RAG_COLOURS

Index = QModelIndex | QPersistentModelIndex
GREEN_ALPHA = 110  # green cells are a tint, so amber and red stand out
TEXT_ON_COLOUR = QColor(0, 0, 0)  # black on Okabe–Ito orange/vermillion: contrast > 5:1


def cell_colour(code: str) -> QColor:
    colour = QColor(RAG_COLOURS[code])
    if code == "G":
        colour.setAlpha(GREEN_ALPHA)
    return colour


class RiskTableModel(QAbstractTableModel):
    """Rows are teams (most red months first), column ``c`` is month ``c`` of the horizon."""

    COL_FIRST_MONTH = 0
    SortRole = int(Qt.ItemDataRole.UserRole) + 1  # 0 green, 1 amber, 2 red

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._grid: RiskGrid | None = None

    # ----- data in --------------------------------------------------------------------------
    def set_grid(self, grid: RiskGrid | None) -> None:
        old = self._grid
        if (old is not None and grid is not None and old.teams == grid.teams
                and old.months == grid.months):
            # Same rows and columns (most edits): announce only the cells whose letter
            # changed, so only they repaint (a reset repaints the whole 41 × 60 grid).
            changed = old.codes != grid.codes
            self._grid = grid
            for row in np.flatnonzero(changed.any(axis=1)):
                cols = np.flatnonzero(changed[row])
                self.dataChanged.emit(self.index(int(row), int(cols[0])),
                                      self.index(int(row), int(cols[-1])))
            return
        self.beginResetModel()
        self._grid = grid
        self.endResetModel()

    @property
    def grid(self) -> RiskGrid | None:
        return self._grid

    def team(self, row: int) -> str:
        return self._grid.teams[row] if self._grid is not None else ""

    def row_of(self, team: str) -> int:
        """Row of ``team`` (matched ignoring case), or -1."""
        if self._grid is None:
            return -1
        key = team.strip().casefold()
        return next((i for i, t in enumerate(self._grid.teams) if t.casefold() == key), -1)

    # ----- model ----------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._grid is None else len(self._grid.teams)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self._grid is None else len(self._grid.months)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        grid = self._grid
        if grid is None or not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return grid.letter(r, c)
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return grid.tooltip(r, c)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(cell_colour(grid.letter(r, c)))
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if grid.letter(r, c) == "G" else QBrush(TEXT_ON_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == self.SortRole:
            return int(grid.codes[r, c])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        grid = self._grid
        if grid is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(grid.months):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return compact_month(grid.months[section])
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                return month_label(grid.months[section])
            return None
        if not 0 <= section < len(grid.teams):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return grid.teams[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            red = int((grid.codes[section] == 2).sum())
            amber = int((grid.codes[section] == 1).sum())
            return f"{grid.teams[section]}: {red} red months, {amber} amber months"
        return None

    _FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def flags(self, index: Index) -> Qt.ItemFlag:
        return self._FLAGS if index.isValid() else Qt.ItemFlag.NoItemFlags

    def as_text(self) -> str:
        """The grid as tab-separated text (team, then one letter per month) for Excel."""
        grid = self._grid
        if grid is None:
            return ""
        # Team names come from the user's file: escaped so "=HYPERLINK(…)" pastes as text.
        return clipboard_text(["Team", *(month_label(m) for m in grid.months)],
                              ([(team, False), *((RAG_CODES[int(v)], False) for v in row)]
                               for team, row in zip(grid.teams, grid.codes, strict=True)))


class _CellDelegate(QStyledItemDelegate):
    """The RAG colour always shows: selection is a frame, not a highlight fill."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        # Brushes made once: a 41 × 60 grid is repainted after every edit.
        self._fills = {code: QBrush(cell_colour(code)) for code in RAG_COLOURS}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        rect = option.rect
        letter = index.data() or ""
        painter.fillRect(rect, option.palette.base())
        fill = self._fills.get(letter)
        if fill is not None:
            painter.fillRect(rect, fill)
        painter.setPen(option.palette.text().color() if letter == "G" or fill is None
                       else TEXT_ON_COLOUR)
        font = option.font
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letter)
        state = option.state
        if state & QStyle.StateFlag.State_Selected:
            pen = QPen(option.palette.text().color(), 2)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
        if state & QStyle.StateFlag.State_HasFocus:
            pen = QPen(option.palette.highlight().color(), 3)
            painter.setPen(pen)
            painter.drawRect(rect.adjusted(1, 1, -2, -2))
        painter.restore()


class _MonthHeader(QHeaderView):
    """Column headers written upwards, so 60 months fit across the screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setSectionsClickable(False)
        self.setHighlightSections(True)

    def sectionSizeFromContents(self, logical: int) -> QSize:
        text = str(self.model().headerData(logical, self.orientation()) or "") \
            if self.model() is not None else ""
        metrics = self.fontMetrics()
        return QSize(metrics.height() + 6, metrics.horizontalAdvance(text) + 12)

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        if not rect.isValid():
            return
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logical
        option.text = ""
        painter.save()
        self.style().drawControl(QStyle.ControlElement.CE_Header, option, painter, self)
        painter.restore()
        text = str(self.model().headerData(logical, self.orientation()) or "")
        painter.save()
        painter.setPen(self.palette().buttonText().color())
        painter.translate(rect.left(), rect.bottom())
        painter.rotate(-90)
        painter.drawText(QRect(6, 0, rect.height() - 8, rect.width()),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()


class RiskHeatMap(QWidget):
    """Teams × months of green/amber/red with a key; click a cell to choose that team.

    Signals:
        team_clicked(str team, int month_index): a cell was clicked or activated
            (Enter); ``month_index`` is -1 when the team's name was clicked.
    """

    team_clicked = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RiskTableModel(self)
        self.view = QTableView(self)
        self.view.setHorizontalHeader(_MonthHeader(self.view))
        self.view.setModel(self.model)
        self.view.setItemDelegate(_CellDelegate(self.view))
        self.view.setAccessibleName("Risk by team and month")
        self.view.setAccessibleDescription(
            "Teams down, months across; each cell is G (green), A (amber) or R (red). "
            "Press Enter on a cell to show that team's charts.")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setTabKeyNavigation(False)
        self.view.setWordWrap(False)
        self.view.setShowGrid(True)
        metrics = self.view.fontMetrics()
        header = self.view.horizontalHeader()
        header.setMinimumSectionSize(metrics.horizontalAdvance("W") + 6)
        header.setDefaultSectionSize(metrics.horizontalAdvance("W") + 10)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(metrics.height() + 6)
        rows.setSectionsClickable(True)
        self.view.clicked.connect(self._on_cell)
        self.view.activated.connect(self._on_cell)
        rows.sectionClicked.connect(self._on_row_header)
        self.view.installEventFilter(self)

        self.title = QLabel("Risk by team and month — click a cell, or press Enter on it, "
                            "to show that team")
        self.title.setWordWrap(True)
        self.key = QLabel()
        self.key.setWordWrap(True)
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setAccessibleName("Key to the risk letters")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.key)
        self.set_grid(None)

    # ----- public ---------------------------------------------------------------------------
    def set_grid(self, grid: RiskGrid | None, limits: RiskThresholds | None = None) -> None:
        """Show ``grid`` (None: empty) with a key written from the scenario's ``limits``."""
        self._limits = limits or RiskThresholds()
        self.model.set_grid(grid)
        self.key.setText(self._key_html(self._limits))

    def select_team(self, team: str) -> bool:
        """Frame ``team``'s row (no signal); False if the team is not in the grid."""
        row = self.model.row_of(team)
        selection = self.view.selectionModel()
        if row < 0:
            selection.clearSelection()
            return False
        last = self.model.columnCount() - 1
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        selection.select(QItemSelection(self.model.index(row, 0), self.model.index(row, last)),
                         flags)
        if self.view.isVisible():  # before the first layout any scroll would overshoot
            current = self.view.currentIndex()
            column = current.column() if current.isValid() else 0
            self.view.scrollTo(self.model.index(row, column))
        return True

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.model.as_text())

    # ----- private --------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent) and event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return True
        return super().eventFilter(watched, event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the key's green tint follows Base
            self.key.setText(self._key_html(self._limits))

    def _on_cell(self, index: QModelIndex) -> None:
        if index.isValid():
            self.team_clicked.emit(self.model.team(index.row()), index.column())

    def _on_row_header(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            self.team_clicked.emit(self.model.team(row), -1)

    def _key_html(self, limits: RiskThresholds) -> str:
        base = self.palette().base().color()
        parts = []
        for code, text in risk_legend(limits):
            colour = _over(cell_colour(code), base)
            fore = "" if code == "G" else " color: #000000;"
            parts.append(f'<span style="background-color: {colour.name()};{fore}">'
                         f"&nbsp;<b>{code}</b>&nbsp;</span>&nbsp;{text}")
        return "&nbsp;&nbsp;&nbsp; ".join(parts)


def _over(colour: QColor, base: QColor) -> QColor:
    """``colour`` (possibly translucent) painted over ``base``, as an opaque colour."""
    a = colour.alphaF()
    return QColor.fromRgbF(*(a * getattr(colour, c)() + (1 - a) * getattr(base, c)()
                             for c in ("redF", "greenF", "blueF")))
