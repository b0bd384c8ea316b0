"""The "Posts" tab: filter bar, the posts table, what is shown and actions on a selection.

Select posts (Ctrl+A selects every post shown) and "Delete these posts from…"
(the Delete key) or "Freeze vacancies…" adds that action to the current
scenario (see :mod:`ui.post_actions`).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, Signal
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

from planner.cell_text import clipboard_text
from planner.establishment import Establishment
from planner.establishment_groups import PostAmounts, post_ids, teams_by_directorate
from ui import formatting, row_copy
from ui.document import EstablishmentDocument
from ui.post_actions import ChosenPosts, PostActions
from ui.post_filters import FILTER_NAMES, PostFilterBar
from ui.project_model import ProjectModel
from ui.row_copy import RowCopier
from ui.table_model import (
    SORT_ROLE,
    WIDTH_SAMPLE,
    FrameFilterProxyModel,
    FrameTableModel,
    PostsTableModel,
)

MAX_COLUMN_WIDTH = 240


def configure_table(table: QTableView) -> None:
    """Settings shared by the app's tables: fast fixed rows, row selection, no Tab trap.

    Call it after ``setModel``: the header then gets a selection model of its own. With
    the table's, Qt asks every row whether its column is selected when painting the
    header, and selecting 50,000 rows took 4 s instead of 0.03 s.
    """
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
    if table.model() is not None:
        for header in (table.horizontalHeader(), table.verticalHeader()):
            header.setSelectionModel(QItemSelectionModel(table.model(), header))


def fit_columns(table: QTableView, model: FrameTableModel, sample: int = WIDTH_SAMPLE) -> None:
    """Column widths from the header and the longest display strings (no full scan by Qt).

    Qt's ``resizeColumnsToContents`` measures every cell (1.5 s for 50,000 posts); this
    measures the header and the ``sample`` longest strings of each column (found off
    the GUI thread when the loader prepared the table).
    """
    metrics = table.fontMetrics()
    header_metrics = table.horizontalHeader().fontMetrics()
    for column, spec in enumerate(model.specs):
        if table.isColumnHidden(column):
            continue
        values = model.longest_values(column, sample)
        widest = max((metrics.horizontalAdvance(v) for v in values), default=0)
        # room for the header's sort arrow beside its text
        width = max(widest, header_metrics.horizontalAdvance(spec.header) + 32) + 16
        table.setColumnWidth(column, min(width, MAX_COLUMN_WIDTH))


def selected_rows(table: QTableView) -> np.ndarray:
    """The selected rows, ascending, read from the selection's ranges.

    ``selectedRows()`` asks every cell for its flags: 1.8 s for 12,000 rows.
    """
    return row_copy.selected_table_rows(table)


def copy_selected_rows(table: QTableView, copier: RowCopier | None = None) -> int:
    """Copy the selected rows' visible cells as tab-separated text (pastes into Excel).

    Without a ``copier`` the clipboard holds the text on return. With one, a copy of
    more than :data:`ui.row_copy.BACKGROUND_ROWS` rows is made on a worker thread and
    reaches the clipboard when ready (see :class:`ui.row_copy.RowCopier`). Returns the
    number of rows copied (or being copied).
    """
    model = table.model()
    if model is None or table.selectionModel() is None:
        return 0
    rows = row_copy.selected_table_rows(table)  # as selected_rows(table), faster
    if not len(rows):
        return 0
    # Text from the user's file is escaped (planner.cell_text) so a team called
    # "=HYPERLINK(…)" pastes into Excel as text; numbers (a float sort value) stay numbers.
    chosen = row_copy.capture(table, rows)  # straight from the columns, not cell by cell
    if chosen is not None and copier is not None:  # through Qt: 200,000 rows in seconds
        copier.copy(chosen)
        return len(rows)
    if chosen is not None:
        text = row_copy.build_text(chosen)
    else:
        columns = row_copy.shown_columns(table)
        header_cells = [model.headerData(c, Qt.Orientation.Horizontal) for c in columns]
        text = clipboard_text(header_cells, (
            [(model.index(row, c).data() or "",
              isinstance(model.index(row, c).data(SORT_ROLE), float)) for c in columns]
            for row in rows.tolist()))
    if copier is not None:
        copier.set_text(text, len(rows))
    else:
        QGuiApplication.clipboard().setText(text)
    return len(rows)


def shown_text(shown: int, total: int, fte: float, selected: int = 0,
               selected_fte: float = 0.0) -> str:
    """``"Showing 1,234 of 50,000 posts · 1,100.50 FTE · 12 selected (10.00 FTE)"``."""
    if not total:
        return "No posts to show"
    text = f"Showing {shown:,} of {formatting.plural(total, 'post')} · {formatting.fte(fte)} FTE"
    if selected:
        text += f" · {selected:,} selected ({formatting.fte(selected_fte)} FTE)"
    return text


class EstablishmentView(QWidget):
    """The posts of the document's establishment: searchable, filterable, sortable.

    Args:
        document: the open establishment.
        model: the project; "Delete these posts from…" and "Freeze vacancies…" add to its
            current scenario (None: those actions stay off).

    Signals:
        message(str): a sentence for the status bar (an action was added).
    """

    message = Signal(str)

    def __init__(self, document: EstablishmentDocument, model: ProjectModel | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.project_model = model
        self.model = PostsTableModel(self)
        self.proxy = FrameFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.filter_bar = PostFilterBar()
        self.filter_bar.changed.connect(self._on_filters_changed)
        self.search_edit: QLineEdit = self.filter_bar.search_edit
        self.filter_combos: dict[str, QComboBox] = self.filter_bar.combos
        self.clear_button: QPushButton = self.filter_bar.clear_button

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
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)

        self.actions = PostActions(model, self.chosen_posts, self)
        self.actions.applied.connect(self._on_action_applied)
        # A large copy is made in the background: Esc anywhere in the tab stops it, and so
        # does a new establishment (the copy would hold posts no longer shown). Changing
        # the selection does not: the rows were taken when Ctrl+C was pressed.
        self.copier = RowCopier(self)
        self.copy_action = QAction("&Copy rows", self.table)
        self.copy_action.setShortcut(QKeySequence.StandardKey.Copy)
        self.copy_action.triggered.connect(lambda: copy_selected_rows(self.table, self.copier))
        self.copier.message.connect(self._on_copy_message)
        self.model.modelReset.connect(self.copier.cancel)
        self.cancel_copy_action = QAction("Cancel copying", self)
        self.cancel_copy_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.cancel_copy_action.setShortcutContext(
            Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.cancel_copy_action.setEnabled(False)  # Esc does nothing else meanwhile
        self.cancel_copy_action.triggered.connect(self.copier.cancel)
        self.copier.runner.running_changed.connect(self.cancel_copy_action.setEnabled)
        self.addAction(self.cancel_copy_action)
        self.select_all_action = QAction("Select all sho&wn", self)
        self.select_all_action.setShortcut(QKeySequence.StandardKey.SelectAll)
        self.select_all_action.setToolTip("Select every post the filters show (Ctrl+A)")
        self.select_all_action.triggered.connect(self.select_all_shown)
        for action in (self.copy_action, self.select_all_action, self.actions.delete_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.table.addAction(action)

        self.select_all_button = QPushButton(self.select_all_action.text())
        self.select_all_button.setToolTip(self.select_all_action.toolTip())
        self.select_all_button.clicked.connect(self.select_all_shown)
        self.delete_button = QPushButton(self.actions.delete_action.text())
        self.delete_button.clicked.connect(self.actions.delete_action.trigger)
        self.freeze_button = QPushButton(self.actions.freeze_action.text())
        self.freeze_button.clicked.connect(self.actions.freeze_action.trigger)
        for button, action in ((self.delete_button, self.actions.delete_action),
                               (self.freeze_button, self.actions.freeze_action)):
            action.changed.connect(lambda b=button, a=action: self._sync_button(b, a))
            self._sync_button(button, action)

        self.count_label = QLabel()
        self.count_label.setAccessibleName("Posts shown")
        self.message_label = QLabel()
        self.message_label.setAccessibleName("Last change")
        self.message_label.setWordWrap(True)
        self.message_label.setVisible(False)

        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label, 1)
        for button in (self.select_all_button, self.delete_button, self.freeze_button):
            bottom.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.message_label)

        previous: QWidget = self.filter_combos[FILTER_NAMES[-1]]
        for widget in (self.table, self.select_all_button, self.delete_button,
                       self.freeze_button):
            QWidget.setTabOrder(previous, widget)
            previous = widget

        self._shown_fte = 0.0
        self._amounts = PostAmounts(self.model.frame)
        document.changed.connect(self._on_establishment_changed)
        self._on_establishment_changed(document.establishment)

    # -- public ------------------------------------------------------------------------------

    def set_search_text(self, text: str) -> None:
        """Search now (the box itself waits briefly while the user types)."""
        self.filter_bar.set_search_text(text)

    def set_filter(self, name: str, value: str | None) -> None:
        self.filter_bar.set_filter(name, value)

    def clear_filters(self) -> None:
        self.filter_bar.clear()

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def count_text(self) -> str:
        return self.count_label.text()

    def select_all_shown(self) -> None:
        """Select every post the filters show and move the focus to the table."""
        self.table.selectAll()
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def select_first_row(self) -> None:
        if self.proxy.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.proxy.index(0, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )

    def selected_positions(self) -> np.ndarray:
        """Positions in the posts frame of the selected rows, in the order shown."""
        rows = selected_rows(self.table)
        return self.proxy.shown_positions()[rows] if len(rows) else rows

    def chosen_posts(self) -> ChosenPosts:
        """The selected posts: their ids, their sums and the filters in words."""
        positions = self.selected_positions()
        frame = self.model.frame
        return ChosenPosts(post_ids(frame, positions), self._amounts.totals(positions),
                           self.filter_bar.describe())

    def table_menu(self) -> QMenu:
        """Actions on the selection, sorting by the current column and the columns shown."""
        menu = QMenu(self)
        menu.setToolTipsVisible(True)  # says why an action is off
        menu.addAction(self.select_all_action)
        menu.addAction(self.actions.delete_action)
        menu.addAction(self.actions.freeze_action)
        menu.addAction(self.copy_action)
        menu.addSeparator()
        column = max(self.table.currentIndex().column(), 0)
        name = self.model.specs[column].header if self.model.specs else ""
        up = menu.addAction(f"Sort by {name}, &ascending")
        up.triggered.connect(lambda: self.table.sortByColumn(column, Qt.SortOrder.AscendingOrder))
        down = menu.addAction(f"Sort by {name}, desce&nding")
        down.triggered.connect(
            lambda: self.table.sortByColumn(column, Qt.SortOrder.DescendingOrder))
        columns = menu.addMenu("Show co&lumns")
        self._fill_column_menu(columns)
        return menu

    # -- slots ---------------------------------------------------------------------------------

    def _on_establishment_changed(self, establishment: Establishment | None) -> None:
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_establishment(establishment)
        self._amounts = PostAmounts(self.model.frame)
        values = {name: self.model.unique_values(name) for name in FILTER_NAMES}
        display = self.model.display_array
        teams = teams_by_directorate(display(self.model.COL_DIRECTORATE),
                                     display(self.model.COL_TEAM))
        self.filter_bar.set_choices(values, teams)
        self.proxy.clear_filters()
        for column in range(self.model.columnCount()):
            self.table.setColumnHidden(column, self.model.column_is_empty(column))
        fit_columns(self.table, self.model)
        self.message_label.clear()
        self.message_label.setVisible(False)
        self._update_shown()

    def _on_filters_changed(self) -> None:
        # Qt updates a selection once per block of rows a filter inserts or removes; with
        # thousands of rows selected that took over a minute, so the selection goes first.
        self.table.clearSelection()
        self.proxy.set_criteria(self.filter_bar.search_text(), self.filter_bar.filters())
        self._update_shown()

    def _update_shown(self) -> None:
        self._shown_fte = self._amounts.totals(self.proxy.frame_mask()).fte
        self._update_count()

    def _update_count(self) -> None:
        positions = self.selected_positions()
        selected_fte = self._amounts.totals(positions).fte if len(positions) else 0.0
        self.count_label.setText(shown_text(self.proxy.rowCount(), self.model.total_rows(),
                                            self._shown_fte, len(positions), selected_fte))
        self.actions.update_enabled(len(positions))

    def _on_selection_changed(self, *_args: object) -> None:
        self._update_count()

    def _on_action_applied(self, text: str) -> None:
        scenario = self.actions.scenario()
        name = f"“{scenario.name}”" if scenario is not None else "the scenario"
        sentence = f"Added to {name}: {text}. Undo with Ctrl+Z."
        self.message_label.setText(sentence)
        self.message_label.setVisible(True)
        self.message.emit(sentence)

    def _on_copy_message(self, text: str) -> None:
        """"Copying 200,000 rows…", then "Copied 200,000 rows" (or cancelled)."""
        self.message_label.setText(text)
        self.message_label.setVisible(True)
        self.message.emit(text)

    @staticmethod
    def _sync_button(button: QPushButton, action: QAction) -> None:
        button.setEnabled(action.isEnabled())
        button.setToolTip(action.toolTip())

    def _on_table_menu(self, pos: QPoint) -> None:
        menu = self.table_menu()
        menu.exec(self.table.viewport().mapToGlobal(pos))

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
