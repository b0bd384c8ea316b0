"""The list of scenarios: pick the one to edit; add, duplicate, rename and delete them.

Every change goes through the project model as one undoable step. Each row shows
the scenario's name and, while its results are being worked out or when they
could not be, a short status ("computing…", "error"), in words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QAbstractListModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListView,
    QMessageBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from planner.months import Horizon, next_april
from planner.scenario import Scenario
from ui.project_model import ProjectModel

Index = QModelIndex | QPersistentModelIndex

NEW_NAME = "New scenario"
DEFAULT_MONTHS = 60

STATUS_COMPUTING = "computing…"
STATUS_ERROR = "error"


def confirm_delete(parent: QWidget, name: str) -> bool:
    """Ask before deleting a scenario (tests replace this function)."""
    answer = QMessageBox.question(
        parent, "Delete scenario",
        f"Delete the scenario “{name}”?\n\nYou can bring it back with Undo (Ctrl+Z).",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def blank_scenario(model: ProjectModel) -> Scenario:
    """A new scenario with default assumptions over the current scenario's horizon (or five
    years from the next April when there is none)."""
    current = model.scenario()
    horizon = current.horizon if current is not None else Horizon(next_april(), DEFAULT_MONTHS)
    return Scenario(name=NEW_NAME, horizon=horizon)


class ScenarioListModel(QAbstractListModel):
    """The project's scenarios: display = name and status, edit = name (renaming is undoable)."""

    COL_NAME = 0
    SortRole = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, model: ProjectModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._names: list[str] = list(model.project.scenario_names())
        model.scenarios_changed.connect(self.refresh)
        model.establishment_changed.connect(self._on_status)
        model.results_changed.connect(self._on_results)
        model.computing_changed.connect(self._on_status)
        model.current_changed.connect(self._on_status)
        model.scenario_changed.connect(self._on_results)

    def refresh(self) -> None:
        """Scenarios added or removed: reset; renamed or reordered: the rows changed."""
        names = list(self._model.project.scenario_names())
        if len(names) == len(self._names):
            self._names = names
            self._on_status()
            return
        self.beginResetModel()
        self._names = names
        self.endResetModel()

    def status(self, row: int) -> str:
        """``""`` (results ready, or nothing to compute), ``"computing…"`` or ``"error"``."""
        if self._model.result_error(row) is not None:
            return STATUS_ERROR
        if self._model.results(row) is None and self._model.has_establishment():
            return STATUS_COMPUTING
        return ""

    # -- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._names)

    def data(self, index: Index, role: int = int(Qt.ItemDataRole.DisplayRole)) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._names):
            return None
        row = index.row()
        scenario = self._model.scenario(row)
        if scenario is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            status = self.status(row)
            return f"{scenario.name} ({status})" if status else scenario.name
        if role in (Qt.ItemDataRole.EditRole, self.SortRole):
            return scenario.name
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [scenario.name, scenario.horizon.describe()]
            if scenario.description:
                lines.append(scenario.description)
            error = self._model.result_error(row)
            if error:
                lines.append(f"Could not be worked out: {error}")
            elif self.status(row) == STATUS_COMPUTING:
                lines.append("Results are being worked out.")
            return "\n".join(lines)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return self.status(row) or "results ready"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemNeverHasChildren)

    def setData(self, index: Index, value: object,
                role: int = int(Qt.ItemDataRole.EditRole)) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        return rename_scenario(self._model, index.row(), str(value))

    # -- slots -------------------------------------------------------------------------------
    def _on_results(self, row: int) -> None:
        if 0 <= row < len(self._names):
            index = self.index(row, 0)
            self.dataChanged.emit(index, index)

    def _on_status(self, *_args: object) -> None:
        if self._names:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._names) - 1, 0))


def rename_scenario(model: ProjectModel, row: int, name: str) -> bool:
    """Rename scenario ``row`` (one undo step); False if the name is blank or unchanged.

    A name another scenario already has gets a number: "Cut first (2)".
    """
    scenario = model.scenario(row)
    name = " ".join(name.split())
    if scenario is None or not name or name == scenario.name:
        return False
    others = [s.name.casefold() for i, s in enumerate(model.scenarios) if i != row]
    if name.casefold() in others and name.casefold() != scenario.name.casefold():
        name = model.project.unique_name(name)
    model.edit_scenario(replace(scenario, name=name),
                        f"Rename scenario “{scenario.name}” to “{name}”", index=row)
    return True


class ScenarioList(QWidget):
    """The scenarios of the project, the current one selected.

    Attributes ``new_action``, ``duplicate_action``, ``rename_action`` and
    ``delete_action`` are the QActions for the main window's menus (their shortcuts
    F2 and Del work while the list has the focus).
    """

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._selecting = False
        self.list_model = ScenarioListModel(model, self)
        self.view = QListView()
        self.view.setModel(self.list_model)
        self.view.setAccessibleName("Scenarios")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.view.setUniformItemSizes(True)
        self.view.setToolTip("The scenarios of this project. Double-click a name or press F2 "
                             "to rename it.")
        label = QLabel("Scenarios")
        label.setBuddy(self.view)

        self.new_action = self._action("&New scenario", "Add a blank scenario with default "
                                       "assumptions", self.new_scenario)
        self.duplicate_action = self._action("D&uplicate scenario", "Add a copy of the "
                                             "selected scenario", self.duplicate_scenario)
        self.rename_action = self._action("&Rename scenario…", "Rename the selected scenario",
                                          self.start_rename, QKeySequence(Qt.Key.Key_F2))
        self.delete_action = self._action("&Delete scenario…", "Delete the selected scenario "
                                          "(you can undo this)", self.delete_scenario,
                                          QKeySequence(QKeySequence.StandardKey.Delete))
        buttons = QHBoxLayout()
        # No Alt+letter mnemonics on these buttons: the list sits beside the menus and the
        # editor's tabs, whose letters they would clash with (the actions have F2 and Del).
        for action, text in ((self.new_action, "New"), (self.duplicate_action, "Duplicate"),
                             (self.rename_action, "Rename"), (self.delete_action, "Delete")):
            action.setIconText(text)
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(action.text().replace("&", "").rstrip("…"))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)

        self.view.selectionModel().currentChanged.connect(self._on_row_changed)
        model.current_changed.connect(self._on_current_changed)
        model.scenarios_changed.connect(self._on_scenarios_changed)
        self._on_scenarios_changed()

    def _action(self, text: str, tip: str, slot: Callable[[], object],
                shortcut: QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip + (f" ({shortcut.toString(QKeySequence.SequenceFormat.NativeText)})"
                                 if shortcut else ""))
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        action.triggered.connect(slot)
        self.view.addAction(action)
        return action

    # -- public ------------------------------------------------------------------------------
    def status(self, row: int) -> str:
        """The status shown after a scenario's name: "", "computing…" or "error"."""
        return self.list_model.status(row)

    def new_scenario(self) -> None:
        self._model.add_scenario(blank_scenario(self._model), f"Add scenario “{NEW_NAME}”")
        if self.view.isVisible():  # type a name at once (no dialog when the list is hidden)
            self.start_rename()

    def duplicate_scenario(self) -> None:
        scenario = self._model.scenario()
        if scenario is None:
            return
        name = self._model.project.unique_name(f"{scenario.name} (copy)")
        self._model.add_scenario(replace(scenario, name=name),
                                 f"Duplicate scenario “{scenario.name}”")

    def start_rename(self) -> None:
        """Edit the current scenario's name in place (Enter commits, Esc cancels), or in a
        small dialog when the list is hidden (the menu command with the dock closed)."""
        row = self._model.current_index()
        scenario = self._model.scenario(row)
        if scenario is None:
            return
        if not self.view.isVisible():
            name, ok = QInputDialog.getText(self, "Rename scenario", "&Name:",
                                            text=scenario.name)
            if ok:
                rename_scenario(self._model, row, name)
            return
        index = self.list_model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.edit(index)

    def delete_scenario(self) -> None:
        row = self._model.current_index()
        scenario = self._model.scenario(row)
        if scenario is None or len(self._model.scenarios) <= 1:
            return
        if confirm_delete(self, scenario.name):
            self._model.remove_scenario(row)

    # -- slots -------------------------------------------------------------------------------
    def _on_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not self._selecting and current.isValid():
            self._model.set_current(current.row())

    def _on_current_changed(self, row: int) -> None:
        self._selecting = True
        try:
            if 0 <= row < self.list_model.rowCount():
                self.view.setCurrentIndex(self.list_model.index(row, 0))
            else:
                self.view.clearSelection()
        finally:
            self._selecting = False
        self._update_actions()

    def _on_scenarios_changed(self) -> None:
        self._on_current_changed(self._model.current_index())

    def _update_actions(self) -> None:
        has = self._model.scenario() is not None
        self.duplicate_action.setEnabled(has)
        self.rename_action.setEnabled(has)
        many = len(self._model.scenarios) > 1
        self.delete_action.setEnabled(has and many)
        self.delete_action.setToolTip(
            "Delete the selected scenario (you can undo this) (Del)" if many
            else "The only scenario of a project cannot be deleted; add another first.")
