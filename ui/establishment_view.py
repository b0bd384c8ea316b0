"""The "Posts" tab: search box, filter combos, the posts table and a row count."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.establishment import Establishment
from ui.document import EstablishmentDocument
from ui.table_model import FrameFilterProxyModel, FrameTableModel, PostsTableModel

SEARCH_DELAY_MS = 200
MAX_COLUMN_WIDTH = 240

#: (column, label with mnemonic, accessible name, "all" item)
FILTERS = (
    ("directorate", "&Directorate:", "Directorate filter", "All directorates"),
    ("team", "&Team:", "Team filter", "All teams"),
    ("grade", "&Grade:", "Grade filter", "All grades"),
    ("status", "St&atus:", "Status filter", "Filled and vacant"),
)


def configure_table(table: QTableView) -> None:
    """Settings shared by the app's tables: fast fixed rows, row selection, no Tab trap."""
    table.setSortingEnabled(False)
    table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    table.horizontalHeader().setSortIndicatorClearable(True)
    table.setSortingEnabled(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.setTabKeyNavigation(False)  # Tab moves to the next control, arrows move in the table
    table.verticalHeader().setVisible(False)
    vertical = table.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setStretchLastSection(False)


def fit_columns(table: QTableView, model: FrameTableModel, sample: int = 200) -> None:
    """Column widths from the header and the longest display strings (no full scan by Qt)."""
    metrics = table.fontMetrics()
    header_metrics = table.horizontalHeader().fontMetrics()
    for column, spec in enumerate(model.specs):
        values = model.display_array(column)
        if len(values) > sample:
            lengths = np.fromiter((len(v) for v in values), dtype=np.int64, count=len(values))
            values = values[np.argpartition(lengths, -sample)[-sample:]]
        widest = max((metrics.horizontalAdvance(v) for v in values), default=0)
        width = max(widest, header_metrics.horizontalAdvance(spec.header) + 24) + 16
        table.setColumnWidth(column, min(width, MAX_COLUMN_WIDTH))


def copy_selected_rows(table: QTableView) -> int:
    """Copy the selected rows' visible cells as tab-separated text (pastes into Excel)."""
    model = table.model()
    selection = table.selectionModel()
    if model is None or selection is None:
        return 0
    rows = sorted(index.row() for index in selection.selectedRows())
    if not rows:
        return 0
    header = table.horizontalHeader()
    columns = [
        header.logicalIndex(v) for v in range(header.count())
        if not header.isSectionHidden(header.logicalIndex(v))
    ]
    lines = ["\t".join(str(model.headerData(c, Qt.Orientation.Horizontal)) for c in columns)]
    for row in rows:
        lines.append("\t".join(str(model.index(row, c).data() or "") for c in columns))
    QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
    return len(rows)


class EstablishmentView(QWidget):
    """Shows the posts of the document's establishment, searchable and filterable."""

    def __init__(self, document: EstablishmentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.model = PostsTableModel(self)
        self.proxy = FrameFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Post, title, team, grade or name")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search posts")
        self.search_edit.setToolTip("Shows posts containing every word typed, in any column")
        self.search_edit.setMinimumWidth(160)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search_edit)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timeout)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.search_edit.returnPressed.connect(self._on_search_timeout)

        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        filter_row = QHBoxLayout()
        self.filter_combos: dict[str, QComboBox] = {}
        for i, (name, label_text, accessible, all_text) in enumerate(FILTERS):
            combo = QComboBox()
            combo.setAccessibleName(accessible)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            combo.addItem(all_text, None)
            combo.currentIndexChanged.connect(lambda _i, n=name: self._on_filter_changed(n))
            label = QLabel(label_text)
            label.setBuddy(combo)
            if i:
                filter_row.addSpacing(8)
            filter_row.addWidget(label)
            filter_row.addWidget(combo, 1)
            self.filter_combos[name] = combo
        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setToolTip("Clear the search text and every filter")
        self.clear_button.clicked.connect(self.clear_filters)
        search_row.addSpacing(8)
        search_row.addWidget(self.clear_button)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Posts table")
        configure_table(self.table)
        header = self.table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._on_header_menu)
        # The Menu key or Shift+F10 on the table opens the same choices from the keyboard.
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._on_table_menu)
        copy = QAction("&Copy rows", self.table)
        copy.setShortcut(QKeySequence.StandardKey.Copy)
        copy.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy.triggered.connect(lambda: copy_selected_rows(self.table))
        self.table.addAction(copy)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Posts shown")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)

        previous: QWidget = self.search_edit
        for widget in [self.clear_button, *self.filter_combos.values(), self.table]:
            QWidget.setTabOrder(previous, widget)
            previous = widget

        # The count is refreshed by every method that filters, not on rowsInserted/Removed:
        # a search over 50,000 posts can emit thousands of those.
        document.changed.connect(self._on_establishment_changed)
        self._on_establishment_changed(document.establishment)

    # -- public ------------------------------------------------------------------------------

    def set_search_text(self, text: str) -> None:
        """Search now (the box itself waits briefly while the user types)."""
        self.search_edit.setText(text)
        self._on_search_timeout()

    def set_filter(self, name: str, value: str | None) -> None:
        combo = self.filter_combos[name]
        index = combo.findData(value) if value is not None else 0
        combo.setCurrentIndex(max(index, 0))

    def clear_filters(self) -> None:
        self._search_timer.stop()
        for combo in self.filter_combos.values():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        self.table.clearSelection()  # see _on_filter_changed
        self.proxy.clear_filters()
        self._update_count()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def count_text(self) -> str:
        return self.count_label.text()

    # -- slots ---------------------------------------------------------------------------------

    def _on_establishment_changed(self, establishment: Establishment | None) -> None:
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_establishment(establishment)
        self._search_timer.stop()
        self.search_edit.blockSignals(True)
        self.search_edit.clear()
        self.search_edit.blockSignals(False)
        for name, combo in self.filter_combos.items():
            combo.blockSignals(True)
            while combo.count() > 1:
                combo.removeItem(1)
            for value in self.model.unique_values(name):
                combo.addItem(value, value)
            combo.setCurrentIndex(0)
            combo.setEnabled(combo.count() > 1)
            combo.blockSignals(False)
        self.proxy.clear_filters()
        for column in range(self.model.columnCount()):
            self.table.setColumnHidden(column, self.model.column_is_empty(column))
        fit_columns(self.table, self.model)
        self._update_count()

    def _on_search_timeout(self) -> None:
        self._search_timer.stop()
        self.table.clearSelection()  # see _on_filter_changed
        self.proxy.set_search_text(self.search_edit.text())
        self._update_count()

    def _on_filter_changed(self, name: str) -> None:
        # Qt updates a selection once per block of rows a filter inserts or removes; with
        # thousands of rows selected that took over a minute, so the selection goes first.
        self.table.clearSelection()
        self.proxy.set_filter(name, self.filter_combos[name].currentData())
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        noun = "post" if total == 1 else "posts"
        self.count_label.setText(f"{shown:,} of {total:,} {noun} shown")
        self.clear_button.setEnabled(self.proxy.is_filtered())

    def _on_table_menu(self, pos: QPoint) -> None:
        menu = self.table_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))

    def table_menu(self) -> QMenu:
        """Sort by the current cell's column, and show or hide columns, without a mouse."""
        menu = QMenu(self)
        column = max(self.table.currentIndex().column(), 0)
        name = self.model.specs[column].header if self.model.specs else ""
        up = menu.addAction(f"Sort by {name}, &ascending")
        up.triggered.connect(lambda: self.table.sortByColumn(column, Qt.SortOrder.AscendingOrder))
        down = menu.addAction(f"Sort by {name}, &descending")
        down.triggered.connect(
            lambda: self.table.sortByColumn(column, Qt.SortOrder.DescendingOrder))
        columns = menu.addMenu("Show &columns")
        self._fill_column_menu(columns)
        return menu

    def _fill_column_menu(self, menu: QMenu) -> None:
        for column, spec in enumerate(self.model.specs):
            action = menu.addAction(spec.header)
            action.setCheckable(True)
            action.setChecked(not self.table.isColumnHidden(column))
            action.toggled.connect(
                lambda shown, c=column: self.table.setColumnHidden(c, not shown)
            )

    def _on_header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        menu.setTitle("Columns")
        self._fill_column_menu(menu)
        menu.exec(header.mapToGlobal(pos))

    def select_first_row(self) -> None:
        if self.proxy.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
