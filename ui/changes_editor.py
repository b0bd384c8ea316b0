"""The scenario's benefit changes: a timeline above an editable table.

Each cell edit builds an edited copy of the scenario, is checked with the
scenario-file rules (:func:`planner.change_schedule.edit_problems`) and, if
good, goes to :meth:`ProjectModel.edit_scenario` as one undoable step; a bad
edit is refused with a sentence under the table. The table model is in
:mod:`ui.changes_table`, its cell editors in :mod:`ui.changes_delegates` and the
pieces the demand and pool editors share in :mod:`ui.scenario_widgets`; their
public names can still be imported from here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.changes_delegates import PCT_RANGES, ChangesDelegate, SlippageEditor
from ui.changes_table import ChangesTableModel, Index, slippage_text
from ui.changes_timeline import ChangesTimeline
from ui.project_model import ProjectModel
from ui.scenario_widgets import MonthCombo, TeamChecklist, commit_edit, known_teams

__all__ = ["PCT_RANGES", "ChangesDelegate", "ChangesEditor", "ChangesTableModel", "Index",
           "MonthCombo", "SlippageEditor", "TeamChecklist", "commit_edit", "known_teams",
           "slippage_text"]


class ChangesEditor(QWidget):
    """The changes timeline above the table of changes, with Add, Duplicate and Delete."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.timeline = ChangesTimeline(model, self)
        self.table_model = ChangesTableModel(model, self)
        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.table.setItemDelegate(ChangesDelegate(model, self.table))
        self.table.setAccessibleName("Changes")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ChangesTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ChangesTableModel.COL_TEAMS, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&New change", self)
        self.duplicate_button = QPushButton("D&uplicate", self)
        self.delete_button = QPushButton("&Delete", self)
        self.delete_button.setToolTip("Delete the selected changes (Delete)")
        delete = QAction("Delete changes", self.table)
        delete.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self._on_delete)
        self.table.addAction(delete)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Changes editor message")
        self.message.hide()
        hint = QLabel("Double-click a cell (or press F2) to change it; Ctrl+Z undoes.", self)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.duplicate_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addWidget(hint, 1)
        lower = QWidget(self)
        column = QVBoxLayout(lower)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.table, 1)
        column.addWidget(self.message)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.timeline)
        splitter.addWidget(lower)
        splitter.setSizes([600, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        self.add_button.clicked.connect(self._on_add)
        self.duplicate_button.clicked.connect(self._on_duplicate)
        self.delete_button.clicked.connect(self._on_delete)
        self.table_model.problem.connect(self._on_problem)
        self.timeline.go_live_dragged.connect(self._on_dragged)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.table_model.modelReset.connect(self._on_selection)
        model.current_changed.connect(self._on_selection)
        self._on_selection()

    def selected_rows(self) -> list[int]:
        return sorted({i.row() for i in self.table.selectionModel().selectedIndexes()})

    # ----- slots --------------------------------------------------------------------------------
    def _on_add(self) -> None:
        rows = self.selected_rows()
        teams = self.table_model.change(rows[0]).teams if rows else known_teams(self._model)[:1]
        if self.table_model.add_change(teams):
            last = self.table_model.rowCount() - 1
            self.table.setCurrentIndex(self.table_model.index(last, ChangesTableModel.COL_NAME))

    def _on_duplicate(self) -> None:
        self.table_model.duplicate_changes(self.selected_rows())

    def _on_delete(self) -> None:
        self.table_model.remove_changes(self.selected_rows())

    def _on_dragged(self, row: int, month: int) -> None:
        self.table_model.setData(self.table_model.index(row, ChangesTableModel.COL_GO_LIVE),
                                 month)

    def _on_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_selection(self, *_args: object) -> None:
        has_scenario = self._model.scenario() is not None
        rows = bool(self.selected_rows())
        self.add_button.setEnabled(has_scenario)
        self.duplicate_button.setEnabled(rows)
        self.delete_button.setEnabled(rows)
