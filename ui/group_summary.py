"""Posts, FTE and pay bill by directorate, opening into teams, with a total row.

The sums come from :func:`planner.establishment_groups.group_establishment`; this
module shows them as a sortable tree. The total row always stays last.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from planner.establishment import Establishment
from planner.establishment_groups import EstablishmentGroups, GroupTotals, group_establishment
from ui import formatting
from ui.deferred import when_shown
from ui.document import EstablishmentDocument
from ui.table_model import SORT_ROLE, longest_strings

Index = QModelIndex | QPersistentModelIndex

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter

TOTAL_NAME = "All directorates"

#: (header, field of the sums, formatter, header tooltip)
COLUMNS: tuple[tuple[str, str, object, str], ...] = (
    ("Directorate / team", "name", str, "Open a directorate to see its teams"),
    ("Posts", "posts", formatting.count, "Number of posts, filled and vacant"),
    ("Vacant posts", "posts_vacant", formatting.count, "Number of vacant posts"),
    ("FTE filled", "fte_filled", formatting.fte, "FTE of filled posts"),
    ("FTE vacant", "fte_vacant", formatting.fte, "FTE of vacant posts"),
    ("Annual pay bill", "annual_pay_bill", formatting.money,
     "Basic pay of filled posts (FTE × salary), before on-costs"),
)


@dataclass
class _Row:
    name: str
    values: dict[str, float]
    kind: str  # "directorate", "team" or "total"
    children: list[_Row] = field(default_factory=list)


def _values(record: dict | GroupTotals) -> dict[str, float]:
    get = record.get if isinstance(record, dict) else lambda k: getattr(record, k)
    return {key: get(key) for _h, key, _f, _t in COLUMNS[1:]}


def _rows(groups: EstablishmentGroups) -> list[_Row]:
    teams: dict[str, list[_Row]] = {}
    for record in groups.teams.to_dict("records"):
        teams.setdefault(record["directorate"], []).append(
            _Row(str(record["team"]), _values(record), "team"))
    rows = [
        _Row(str(r["directorate"]), _values(r), "directorate", teams.get(r["directorate"], []))
        for r in groups.directorates.to_dict("records")
    ]
    if rows:
        rows.append(_Row(TOTAL_NAME, _values(groups.total), "total"))
    return rows


class GroupSummaryModel(QAbstractItemModel):
    """Directorate rows (top level) with their team rows as children, then a total row.

    Internal ids: 0 for a top-level row, ``directorate row + 1`` for a team row.
    """

    COL_NAME, COL_POSTS, COL_VACANT, COL_FTE_FILLED, COL_FTE_VACANT, COL_PAY_BILL = range(6)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._bold = QFont()
        self._bold.setBold(True)

    def set_groups(self, groups: EstablishmentGroups | None) -> None:
        self.beginResetModel()
        self._rows = _rows(groups) if groups is not None else []
        self.endResetModel()

    def _row(self, index: Index) -> _Row:
        parent_id = index.internalId()
        if parent_id == 0:
            return self._rows[index.row()]
        return self._rows[parent_id - 1].children[index.row()]

    # -- tree structure --------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._rows)
        if parent.column() != 0 or parent.internalId() != 0:
            return 0
        return len(self._rows[parent.row()].children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    # -- data --------------------------------------------------------------------------------

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        row, column = self._row(index), index.column()
        _header, key, fmt, _tip = COLUMNS[column]
        if role == _DISPLAY:
            return row.name if column == 0 else fmt(row.values[key])  # type: ignore[operator]
        if role == SORT_ROLE:
            return row.name if column == 0 else float(row.values[key])
        if role == _ALIGN:
            return _LEFT if column == 0 else _RIGHT
        if role == _FONT and row.kind == "total":
            return self._bold
        if role == _TOOLTIP and column == 0:
            if row.kind == "directorate":
                return f"{row.name}: {formatting.plural(len(row.children), 'team')}"
            if row.kind == "total":
                return "The whole establishment"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(COLUMNS):
            return None
        if role == _DISPLAY:
            return COLUMNS[section][0]
        if role == _TOOLTIP:
            return COLUMNS[section][3]
        if role == _ALIGN:
            return _LEFT if section == 0 else _RIGHT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- helpers -----------------------------------------------------------------------------

    def is_total(self, index: Index) -> bool:
        return index.isValid() and self._row(index).kind == "total"

    def names(self) -> list[str]:
        return [r.name for r in self._rows]


class GroupSortProxy(QSortFilterProxyModel):
    """Sorts directorates, and teams within each, on the raw values; the total stays last."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)

    def lessThan(self, left: Index, right: Index) -> bool:
        model = self.sourceModel()
        if isinstance(model, GroupSummaryModel):
            # Qt sorts descending by asking lessThan(right, left): keep the total last both ways.
            descending = self.sortOrder() == Qt.SortOrder.DescendingOrder
            if model.is_total(left):
                return descending
            if model.is_total(right):
                return not descending
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        if isinstance(a, str) and isinstance(b, str):
            return formatting.natural_key(a) < formatting.natural_key(b)
        return (a or 0.0) < (b or 0.0)  # type: ignore[operator]


class GroupSummaryView(QWidget):
    """The document's establishment summed by directorate and team, as a tree."""

    def __init__(self, document: EstablishmentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.groups: EstablishmentGroups | None = None
        self.model = GroupSummaryModel(self)
        self.proxy = GroupSortProxy(self)
        self.proxy.setSourceModel(self.model)

        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setAccessibleName("Posts, FTE and pay bill by directorate and team")
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setSortingEnabled(True)
        header = self.tree.header()
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        title = QLabel("Pay &bill by directorate and team:")
        title.setBuddy(self.tree)
        self.expand_button = QPushButton("E&xpand all")
        self.expand_button.setToolTip("Show every directorate's teams (or press * on a row)")
        self.expand_button.clicked.connect(self.tree.expandAll)
        self.collapse_button = QPushButton("C&ollapse all")
        self.collapse_button.setToolTip("Show the directorates only")
        self.collapse_button.clicked.connect(self.tree.collapseAll)

        top = QHBoxLayout()
        top.addWidget(title, 1)
        top.addWidget(self.expand_button)
        top.addWidget(self.collapse_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        QWidget.setTabOrder(self.tree, self.expand_button)
        QWidget.setTabOrder(self.expand_button, self.collapse_button)

        document.changed.connect(self._on_establishment_changed)
        self._on_establishment_changed(document.establishment)

    @when_shown  # on the Summary tab: summing 200,000 posts waits until it is opened
    def _on_establishment_changed(self, establishment: Establishment | None) -> None:
        self.groups = group_establishment(establishment.posts) if establishment else None
        self.tree.header().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_groups(self.groups)
        self._fit_columns()
        has_rows = self.model.rowCount() > 0
        self.expand_button.setEnabled(has_rows)
        self.collapse_button.setEnabled(has_rows)

    def _fit_columns(self) -> None:
        """Widths from the longest names and figures, measured here rather than by Qt."""
        metrics = self.tree.fontMetrics()
        header_metrics = self.tree.header().fontMetrics()
        groups = self.groups
        for column, (header, key, fmt, _tip) in enumerate(COLUMNS):
            texts = [header]
            if groups is not None:
                if column == 0:
                    texts += groups.directorates["directorate"].astype(str).tolist()
                    texts += [name for name in groups.teams["team"].astype(str)]
                    texts.append(TOTAL_NAME)
                else:
                    frame = pd.concat([groups.directorates[key], groups.teams[key]])
                    texts += [fmt(v) for v in frame.tolist()]  # type: ignore[operator]
                    texts.append(fmt(getattr(groups.total, key)))  # type: ignore[operator]
            # The longest texts only: 5,000 teams measured one by one took 0.1 s.
            widest = max((metrics.horizontalAdvance(t) for t in longest_strings(texts[1:])),
                         default=0)
            widest = max(widest + 8, header_metrics.horizontalAdvance(header) + 24)
            if column == 0:
                widest += 2 * self.tree.indentation()
            self.tree.setColumnWidth(column, widest + 12)
