"""The current scenario's dated workforce actions as a table, with add, edit, delete and
"move a month earlier / later" (the point of the tool is testing the timing of cuts).

Every change is one undoable edit of the scenario. The Warning column says, in
words, when an action cuts a team before the change meant to absorb it has
reached full effect (the cut-before-live flag of the expected-value results).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

import pandas as pd
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.action_text import (
    KIND_HELP,
    KIND_NAMES,
    KINDS,
    action_amount,
    action_subject,
    amount_value,
    column_choices,
    cut_warnings,
    describe_action,
    kind_name,
    scenario_problem,
    shift_actions,
)
from planner.months import month_label
from planner.scenario import Action, CreatePosts, Scenario, TemporaryCover
from planner.scenario_edits import insert_item, remove_items, replace_item
from ui import action_dialog
from ui.deferred import when_shown
from ui.month_edit import MonthEdit
from ui.project_model import ProjectModel
from ui.table_model import column_header

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)


def _title(action: Action) -> str:
    return action.label or describe_action(action)


class ActionsTableModel(QAbstractTableModel):
    """The actions of the project model's current scenario; month and label are editable
    in place (each change one undoable edit)."""

    COL_MONTH, COL_KIND, COL_WHAT, COL_AMOUNT, COL_LABEL, COL_WARNING = range(6)
    SortRole = int(Qt.ItemDataRole.UserRole) + 1
    HEADERS = ("Month", "Action", "Applies to", "Amount", "Label", "Warning")
    TIPS = (
        "The month the action takes effect (F2 to change it here)",
        "The kind of action",
        "The posts or team the action applies to",
        "How much: FTE, %, number of posts or months of cover",
        "The action's name in tables, charts and reports (F2 to change it here)",
        "Cut before go-live: the action cuts a team before the change meant to absorb the "
        "work has reached full effect",
    )

    #: Emitted with a sentence when an edit made through the table was refused.
    problem = Signal(str)

    def __init__(self, model: ProjectModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._actions: tuple[Action, ...] = ()
        self._warnings: dict[Action, str] = {}
        self._scenario: Scenario | None = None
        model.current_changed.connect(self._on_changed)
        model.scenarios_changed.connect(self.refresh)
        model.scenario_changed.connect(self._on_changed)
        model.results_changed.connect(self._on_results)
        self.refresh()

    # -- data from the project model ---------------------------------------------------------
    def refresh(self) -> None:
        self.beginResetModel()
        self._scenario = self._model.scenario()
        self._actions = self._scenario.actions if self._scenario is not None else ()
        self._read_warnings()
        self.endResetModel()

    def _read_warnings(self) -> None:
        """Warnings from the results when they are ready; until then, those of unchanged
        actions are kept (an action is a value, so a moved one has none until recomputed)."""
        results = self._model.results()
        if results is not None and results.scenario is self._scenario:
            by_row = cut_warnings(results.service().cut_before_live)
            self._warnings = {self._actions[i]: text for i, text in by_row.items()
                              if 0 <= i < len(self._actions)}

    def _on_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self.refresh()

    def _on_results(self, index: int) -> None:
        if index == self._model.current_index() and self._actions:
            self._read_warnings()
            self.dataChanged.emit(self.index(0, self.COL_WARNING),
                                  self.index(len(self._actions) - 1, self.COL_WARNING))

    def action(self, row: int) -> Action:
        return self._actions[row]

    def warning(self, row: int) -> str:
        return self._warnings.get(self._actions[row], "")

    # -- Qt model interface -------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _text(self, action: Action, col: int) -> str:
        if col == self.COL_MONTH:
            return month_label(action.month)
        if col == self.COL_KIND:
            return kind_name(action)
        if col == self.COL_WHAT:
            return action_subject(action)
        if col == self.COL_AMOUNT:
            return action_amount(action)
        if col == self.COL_LABEL:
            return action.label
        return self._warnings.get(action, "")

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._actions):
            return None
        action, col = self._actions[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(action, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == self.COL_MONTH:
                return action.month
            return self._text(action, col)
        if role == self.SortRole:
            if col == self.COL_MONTH:
                return action.month
            if col == self.COL_AMOUNT:
                return amount_value(action)
            return self._text(action, col).casefold()
        if role == Qt.ItemDataRole.ToolTipRole:
            if col == self.COL_KIND:
                return KIND_HELP[action.kind]
            if col == self.COL_WARNING and self._text(action, col):
                return ("Cut before go-live: " + self._text(action, col)
                        + ". Consider moving the action later (Ctrl+Right).")
            return describe_action(action)
        if (role == Qt.ItemDataRole.DecorationRole and col == self.COL_WARNING
                and self._warnings.get(action)):
            return QApplication.style().standardIcon(
                    QStyle.StandardPixmap.SP_MessageBoxWarning)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._text(action, col) or ("No warning" if col == self.COL_WARNING else "")
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> object:
        return column_header(self.HEADERS, self.TIPS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemNeverHasChildren)
        if index.column() in (self.COL_MONTH, self.COL_LABEL):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: object,
                role: int = int(Qt.ItemDataRole.EditRole)) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole or self._scenario is None:
            return False
        row, col = index.row(), index.column()
        action = self._actions[row]
        if col == self.COL_MONTH:
            try:
                month = int(value)  # type: ignore[call-overload]
            except (TypeError, ValueError):
                return False
            if month == action.month:
                return False
            moved = shift_actions(self._actions, [row], month - action.month,
                                  self._scenario.horizon)
            if moved is None:
                self.problem.emit(f"Not changed: “{_title(action)}” cannot move to "
                                  f"{month_label(month)} (outside the horizon, or its end "
                                  "would be).")
                return False
            return self.commit(replace(self._scenario, actions=moved),
                               f"Move “{_title(action)}” to {month_label(month)}")
        if col == self.COL_LABEL:
            label = " ".join(str(value).split())
            if label == action.label:
                return False
            return self.commit(replace_item(self._scenario, "actions", row,
                                            replace(action, label=label)),
                               f"Rename action to “{label}”" if label else "Clear action label")
        return False

    def commit(self, new: Scenario, text: str) -> bool:
        """Push an edited scenario as one undoable step if it is valid (else emit problem)."""
        if self._scenario is None:
            return False
        problem = scenario_problem(new, self._model.workforce(), before=self._scenario)
        if problem is not None:
            self.problem.emit(f"Not changed: {problem}")
            return False
        self.problem.emit("")
        self._model.edit_scenario(new, text)
        return True



class MonthDelegate(QStyledItemDelegate):
    """Edits an action's month in place with a :class:`MonthEdit` over the horizon."""

    def __init__(self, model: ProjectModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index
                     ) -> QWidget:
        editor = MonthEdit(parent=parent)
        scenario = self._model.scenario()
        if scenario is not None:
            editor.set_horizon(scenario.horizon)
        editor.setAccessibleName("Month")
        # picking a month from the list is the commit (no need to press Enter as well)
        editor.month_changed.connect(lambda _month, e=editor: self.commitData.emit(e))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, MonthEdit)
        editor.set_month(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, MonthEdit)
        if editor.month() is not None:
            model.setData(index, editor.month(), Qt.ItemDataRole.EditRole)


class ActionsView(QWidget):
    """The actions table with its commands.

    Attributes ``add_menu`` (one QAction per kind in ``add_actions``), ``edit_action``
    (Enter; double-click), ``duplicate_action`` (Ctrl+D), ``delete_action`` (Del),
    ``earlier_action`` (Ctrl+Left) and ``later_action`` (Ctrl+Right) can go in the main
    window's menus; their shortcuts work while the table has the focus (not while a cell
    is being edited in place).
    """

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.table_model = ActionsTableModel(model, self)
        self.table_model.problem.connect(self.show_problem)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.table_model)
        self.proxy.setSortRole(ActionsTableModel.SortRole)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setAccessibleName("Workforce actions")
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(ActionsTableModel.COL_MONTH, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setItemDelegateForColumn(ActionsTableModel.COL_MONTH,
                                           MonthDelegate(model, self.view))
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.view.doubleClicked.connect(lambda _index: self.edit_selected())

        self.add_menu = QMenu("&Add action", self)
        self.add_actions: dict[str, QAction] = {}
        for kind in KINDS:
            action = self.add_menu.addAction(f"{KIND_NAMES[kind]}…")
            action.setStatusTip(KIND_HELP[kind])
            action.setToolTip(KIND_HELP[kind])
            action.triggered.connect(lambda _checked=False, k=kind: self.add(k))
            self.add_actions[kind] = action
        self.add_menu.setToolTipsVisible(True)
        self.edit_action = self._action("&Edit action…", "Change the selected action",
                                        self.edit_selected, QKeySequence(Qt.Key.Key_Return))
        self.duplicate_action = self._action("D&uplicate action", "Add a copy of the selected "
                                             "actions", self.duplicate_selected,
                                             QKeySequence("Ctrl+D"))
        self.delete_action = self._action("De&lete action", "Delete the selected actions "
                                          "(you can undo this)", self.delete_selected,
                                          QKeySequence(QKeySequence.StandardKey.Delete))
        self.earlier_action = self._action("Move a month &earlier", "Move the selected actions "
                                           "one month earlier", lambda: self.move_selected(-1),
                                           QKeySequence("Ctrl+Left"))
        self.later_action = self._action("Move a month la&ter", "Move the selected actions "
                                         "one month later", lambda: self.move_selected(1),
                                         QKeySequence("Ctrl+Right"))
        enter = QAction(self)
        enter.setShortcut(QKeySequence(Qt.Key.Key_Enter))
        enter.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        enter.triggered.connect(self.edit_selected)
        self.view.addAction(enter)

        buttons = QHBoxLayout()
        self.add_button = QToolButton()
        self.add_button.setText("Add acti&on")
        self.add_button.setMenu(self.add_menu)
        self.add_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.add_button.setAccessibleName("Add action")
        self.add_button.setToolTip("Add a dated workforce action")
        buttons.addWidget(self.add_button)
        # Few Alt+letter mnemonics: the menus and the editor's tabs own most letters; the
        # actions have shortcuts instead (Enter, Ctrl+D, Del, Ctrl+Left, Ctrl+Right).
        for action, text in ((self.edit_action, "Ed&it…"),
                             (self.duplicate_action, "D&uplicate"),
                             (self.delete_action, "Delete"),
                             (self.earlier_action, "◀ Earlier"),
                             (self.later_action, "Later ▶")):
            action.setIconText(text)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.hint_label = QLabel("Double-click an action to change it. Ctrl+Left and Ctrl+Right "
                                 "move the selected actions a month earlier or later.")
        self.hint_label.setWordWrap(True)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.problem_label.setAccessibleName("Problem with the last change")
        self.problem_label.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hint_label)
        self.setAccessibleName("Actions")

        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        model.current_changed.connect(self._on_current_changed)
        self.table_model.modelReset.connect(self._on_reset)
        self._on_reset()

    def _action(self, text: str, tip: str, slot: Callable[[], object],
                shortcut: QKeySequence) -> QAction:
        action = QAction(text, self)
        shown = shortcut.toString(QKeySequence.SequenceFormat.NativeText)
        action.setToolTip(f"{tip} ({shown})")
        action.setStatusTip(tip)
        action.setShortcut(shortcut)
        # only while the table itself has the focus, so an open cell editor keeps its keys
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    # -- selection -------------------------------------------------------------------------
    def selected_rows(self) -> list[int]:
        """The selected actions, as positions in the scenario's list, in order."""
        rows = {self.proxy.mapToSource(i).row()
                for i in self.view.selectionModel().selectedRows()}
        return sorted(rows)

    def select_rows(self, rows: Sequence[int]) -> None:
        """Select the actions at these positions in the scenario's list."""
        selection = QItemSelection()
        last = self.table_model.columnCount() - 1
        for row in rows:
            if 0 <= row < self.table_model.rowCount():
                left = self.proxy.mapFromSource(self.table_model.index(row, 0))
                right = self.proxy.mapFromSource(self.table_model.index(row, last))
                selection.select(left, right)
        flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                 | QItemSelectionModel.SelectionFlag.Rows)
        self.view.selectionModel().select(selection, flags)
        if rows and 0 <= rows[0] < self.table_model.rowCount():
            current = self.proxy.mapFromSource(self.table_model.index(rows[0], 0))
            self.view.selectionModel().setCurrentIndex(
                current, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.view.scrollTo(current)

    @when_shown
    def _on_reset(self) -> None:
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        em = self.view.fontMetrics().horizontalAdvance("M")
        # the Warning column (last, stretching) gets the room: it is the one to read
        for col, ems in ((ActionsTableModel.COL_WHAT, 20), (ActionsTableModel.COL_AMOUNT, 16),
                         (ActionsTableModel.COL_LABEL, 16)):
            header.resizeSection(col, min(header.sectionSize(col), ems * em))
        self._update_actions()

    def _update_actions(self, *_args: object) -> None:
        scenario = self._model.scenario()
        rows = self.selected_rows()
        for kind_action in self.add_actions.values():
            kind_action.setEnabled(scenario is not None)
        self.add_button.setEnabled(scenario is not None)
        self.edit_action.setEnabled(len(rows) == 1)
        for action in (self.duplicate_action, self.delete_action, self.earlier_action,
                       self.later_action):
            action.setEnabled(bool(rows))

    def _on_current_changed(self, _index: int) -> None:
        self.show_problem("")  # it was about the scenario shown before

    def show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    # -- commands ------------------------------------------------------------------------------
    def _posts(self) -> pd.DataFrame | None:
        establishment = self._model.establishment
        return establishment.posts if establishment is not None else None

    def _check(self, scenario: Scenario, build: Callable[[Action], Scenario]
               ) -> Callable[[Action], str | None]:
        workforce = self._model.workforce()
        return lambda action: scenario_problem(build(action), workforce, before=scenario)

    def add(self, kind: str) -> bool:
        """Ask for a new action of ``kind`` and add it (one undo step)."""
        scenario = self._model.scenario()
        if scenario is None:
            return False
        rows = self.selected_rows()
        month = scenario.actions[rows[0]].month if rows else scenario.horizon.start
        posts = self._posts()
        # start from the team of the selected action (a cut next to a cut, cover for it)
        team = _team_of(scenario.actions[rows[0]]) if rows else ""
        if kind in ("create_posts", "temporary_cover") and not team and posts is not None:
            team = next(iter(column_choices(posts, "team")), "")
        action = action_dialog.ask_action(
            self, kind, scenario.horizon, posts, None,
            self._check(scenario, lambda a: insert_item(scenario, "actions", a)),
            month=month, team=team)
        if action is None:
            return False
        if not self.table_model.commit(insert_item(scenario, "actions", action),
                                       f"Add action “{_title(action)}”"):
            return False
        self.select_rows([len(scenario.actions)])  # the new last row
        return True

    def edit_selected(self) -> bool:
        """Open the selected action in the dialog; a change is one undo step."""
        scenario = self._model.scenario()
        rows = self.selected_rows()
        if scenario is None or len(rows) != 1:
            return False
        row = rows[0]
        old = scenario.actions[row]
        action = action_dialog.ask_action(
            self, old.kind, scenario.horizon, self._posts(), old,
            self._check(scenario, lambda a: replace_item(scenario, "actions", row, a)))
        if action is None or action == old:
            return False
        if not self.table_model.commit(replace_item(scenario, "actions", row, action),
                                       f"Edit action “{_title(action)}”"):
            return False
        self.select_rows([row])
        return True

    def duplicate_selected(self) -> bool:
        scenario = self._model.scenario()
        rows = self.selected_rows()
        if scenario is None or not rows:
            return False
        new = scenario
        for row in rows:
            new = insert_item(new, "actions", scenario.actions[row])
        text = (f"Duplicate action “{_title(scenario.actions[rows[0]])}”" if len(rows) == 1
                else f"Duplicate {len(rows)} actions")
        if not self.table_model.commit(new, text):
            return False
        count = len(scenario.actions)
        self.select_rows(list(range(count, count + len(rows))))
        return True

    def delete_selected(self) -> bool:
        scenario = self._model.scenario()
        rows = self.selected_rows()
        if scenario is None or not rows:
            return False
        text = (f"Delete action “{_title(scenario.actions[rows[0]])}”" if len(rows) == 1
                else f"Delete {len(rows)} actions")
        if not self.table_model.commit(remove_items(scenario, "actions", rows), text):
            return False
        remaining = len(scenario.actions) - len(rows)
        if remaining:
            self.select_rows([min(rows[0], remaining - 1)])
        return True

    def move_selected(self, months: int) -> bool:
        """Move the selected actions ``months`` later (earlier if negative): one undo step."""
        scenario = self._model.scenario()
        rows = self.selected_rows()
        if scenario is None or not rows or not months:
            return False
        moved = shift_actions(scenario.actions, rows, months, scenario.horizon)
        direction = "later" if months > 0 else "earlier"
        if moved is None:
            self.show_problem(f"Not moved: the actions would fall outside the horizon, "
                              f"{scenario.horizon.describe()}.")
            return False
        if len(rows) == 1:
            text = f"Move “{_title(scenario.actions[rows[0]])}” to " \
                   f"{month_label(moved[rows[0]].month)}"
        else:
            text = f"Move {len(rows)} actions a month {direction}"
        if not self.table_model.commit(replace(scenario, actions=moved), text):
            return False
        self.select_rows(rows)
        return True


def _team_of(action: Action) -> str:
    if isinstance(action, (CreatePosts, TemporaryCover)):
        return action.team
    teams = dict(action.select.fields).get("team", ())
    return teams[0] if len(teams) == 1 else ""
