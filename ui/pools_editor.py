"""Multi-skilled pools: the list of pools and a form for the selected one.

A pool lets the staff of its teams serve each other's demand: each member works
their own team's discipline and any other discipline named in their skills, at
the pool's efficiency. Weights rank the disciplines when demand cannot all be
met. Each change is one undoable edit, checked with the scenario-file rules.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from planner.demand import team_index
from planner.months import month_label
from planner.scenario import Pool
from planner.scenario_edits import insert_item, remove_items, replace_item
from ui.project_model import ProjectModel
from ui.scenario_widgets import MonthCombo, TeamChecklist, commit_edit, known_teams

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
FROM_START = "From the horizon start"


class PoolsTableModel(QAbstractTableModel):
    """The current scenario's pools, one row each."""

    COL_NAME, COL_TEAMS, COL_EFFICIENCY, COL_FROM = range(4)
    SortRole = int(Qt.ItemDataRole.UserRole) + 1
    HEADERS = ("Pool", "Teams", "Efficiency", "From")
    problem = Signal(str)

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._pools = self._current()
        model.current_changed.connect(self._on_refresh)
        model.scenarios_changed.connect(self._on_refresh)
        model.scenario_changed.connect(self._on_scenario_changed)

    def _current(self) -> tuple[Pool, ...]:
        scenario = self._model.scenario()
        return scenario.pools if scenario is not None else ()

    def pool(self, row: int) -> Pool:
        return self._pools[row]

    # -- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._pools)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = int(_DISPLAY)) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == _DISPLAY
                and 0 <= section < len(self.HEADERS)):
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = int(_DISPLAY)) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._pools):
            return None
        p, col = self._pools[index.row()], index.column()
        if role in (_DISPLAY, Qt.ItemDataRole.ToolTipRole):
            return (p.name, ", ".join(p.teams), f"{p.efficiency * 100:g} %",
                    month_label(p.from_month) if p.from_month is not None else "Start")[col]
        if role in (Qt.ItemDataRole.EditRole, self.SortRole):
            return (p.name, ", ".join(p.teams), p.efficiency,
                    p.from_month if p.from_month is not None else -1)[col]
        return None

    # -- editing ----------------------------------------------------------------------------
    def set_pool(self, row: int, text: str, **fields: Any) -> bool:
        scenario = self._model.scenario()
        if scenario is None or not 0 <= row < len(self._pools):
            return False
        old = self._pools[row]
        new = replace(old, **fields)
        if new == old:
            return False
        return commit_edit(self._model, replace_item(scenario, "pools", row, new), text,
                           self.problem.emit)

    def add_pool(self) -> bool:
        """A new pool of the first two teams not yet pooled, at 90 % efficiency."""
        scenario = self._model.scenario()
        if scenario is None:
            return False
        pooled = [t for p in scenario.pools for t in p.teams]
        free = [t for t in known_teams(self._model) if team_index(pooled, t) is None]
        if len(free) < 2:
            self.problem.emit("Not added. A pool needs two teams that are not in a pool yet.")
            return False
        names = {p.name.casefold() for p in scenario.pools}
        name, n = "New pool", 2
        while name.casefold() in names:
            name, n = f"New pool {n}", n + 1
        return commit_edit(self._model, insert_item(scenario, "pools", Pool(name, tuple(free[:2]))),
                           f"Add pool “{name}”", self.problem.emit)

    def remove_pool(self, row: int) -> bool:
        scenario = self._model.scenario()
        if scenario is None or not 0 <= row < len(self._pools):
            return False
        return commit_edit(self._model, remove_items(scenario, "pools", [row]),
                           f"Delete pool “{self._pools[row].name}”", self.problem.emit)

    # -- slots -------------------------------------------------------------------------------
    def _on_refresh(self, *_args: object) -> None:
        pools = self._current()
        if len(pools) != len(self._pools):
            self.beginResetModel()
            self._pools = pools
            self.endResetModel()
        elif pools != self._pools:
            self._pools = pools
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(pools) - 1, len(self.HEADERS) - 1))

    def _on_scenario_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self._on_refresh()


class PoolsEditor(QWidget):
    """The pools of the current scenario: a list, Add and Delete, and the selected pool's form."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._filling = False
        self.table_model = PoolsTableModel(model, self)
        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Pools")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Create a pool", self)
        self.delete_button = QPushButton("Delete this p&ool", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        left = QWidget(self)
        left_column = QVBoxLayout(left)
        left_column.setContentsMargins(0, 0, 0, 0)
        left_column.addLayout(buttons)
        left_column.addWidget(self.table, 1)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Pools editor message")
        self.message.hide()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self._build_form())
        splitter.setSizes([500, 700])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self.add_button.clicked.connect(self._on_add)
        self.delete_button.clicked.connect(self._on_delete)
        self.table_model.problem.connect(self._on_problem)
        self.table.selectionModel().currentRowChanged.connect(self._on_fill)
        self.table_model.modelReset.connect(self._on_reset)
        self.table_model.dataChanged.connect(self._on_fill)
        model.establishment_changed.connect(self._on_fill)
        self._on_reset()

    def _build_form(self) -> QWidget:
        form_widget = QWidget(self)
        self.name = QLineEdit(form_widget)
        self.name.setAccessibleName("Pool name")
        self.teams = TeamChecklist(form_widget)
        self.teams.setAccessibleName("Teams in the pool")
        self.efficiency = QDoubleSpinBox(form_widget)
        self.efficiency.setRange(1.0, 100.0)
        self.efficiency.setDecimals(0)
        self.efficiency.setSuffix(" %")
        self.efficiency.setKeyboardTracking(False)
        self.efficiency.setAccessibleName("Efficiency of members with more than one discipline")
        self.efficiency.setToolTip("Members who work more than one discipline work at this "
                                   "efficiency (switching between work costs time)")
        self.from_month = MonthCombo(form_widget, none_text=FROM_START)
        self.from_month.setAccessibleName("Pooling starts")
        self.members = QTableWidget(0, 2, form_widget)
        self.members.setHorizontalHeaderLabels(["Weight", "Skill words (besides the team name)"])
        self.members.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.members.setAccessibleName("Weights and skills per team")
        self.members.setToolTip(
            "Weight: how the pool ranks this team's work when demand cannot all be met "
            "(1 = equal).\nSkill words: words in the establishment's skills column that "
            "qualify a member for this team's work, separated by commas.")
        form = QFormLayout(form_widget)
        form.addRow("&Name:", self.name)
        form.addRow("Teams in the &pool:", self.teams)
        form.addRow("Effic&iency:", self.efficiency)
        form.addRow("F&rom:", self.from_month)
        members_label = QLabel("&Weights and skills:", form_widget)
        members_label.setBuddy(self.members)
        form.addRow(members_label, self.members)
        self.name.editingFinished.connect(self._on_name)
        self.teams.itemChanged.connect(self._on_teams)
        self.efficiency.valueChanged.connect(lambda v: self._set(
            f"efficiency to {v:g} %", efficiency=v / 100.0))
        self.from_month.currentIndexChanged.connect(self._on_from)
        self.members.itemChanged.connect(self._on_member)
        return form_widget

    def current_row(self) -> int:
        return self.table.currentIndex().row()

    # ----- filling the form -------------------------------------------------------------------
    def _on_reset(self) -> None:
        if self.table_model.rowCount() and self.current_row() < 0:
            self.table.selectRow(0)
        self._on_fill()

    def _on_fill(self, *_args: object) -> None:
        row = self.current_row()
        scenario = self._model.scenario()
        has_pool = row >= 0 and scenario is not None
        self.add_button.setEnabled(scenario is not None)
        for w in (self.delete_button, self.name, self.teams, self.efficiency,
                  self.from_month, self.members):
            w.setEnabled(has_pool)
        self._filling = True
        try:
            if not has_pool:
                self.name.clear()
                self.teams.clear()
                self.members.setRowCount(0)
                return
            p = self.table_model.pool(row)
            self.name.setText(p.name)
            self.teams.set_teams(known_teams(self._model), p.teams)
            self.efficiency.setValue(p.efficiency * 100.0)
            self.from_month.set_months(scenario.horizon, p.from_month)
            weights, skills = dict(p.weights), dict(p.skills)
            self.members.setRowCount(len(p.teams))
            self.members.setVerticalHeaderLabels(list(p.teams))
            for i, team in enumerate(p.teams):
                self.members.setItem(i, 0, QTableWidgetItem(f"{weights.get(team, 1.0):g}"))
                self.members.setItem(i, 1, QTableWidgetItem(", ".join(skills.get(team, ()))))
        finally:
            self._filling = False

    # ----- editing ----------------------------------------------------------------------------
    def _set(self, what: str, **fields: Any) -> bool:
        row = self.current_row()
        if self._filling or row < 0:
            return False
        name = self.table_model.pool(row).name
        done = self.table_model.set_pool(row, f"Set pool “{name}” {what}", **fields)
        if not done:
            self._on_fill()
        return done

    def _on_name(self) -> None:
        if self._filling or self.current_row() < 0:
            return
        old = self.table_model.pool(self.current_row()).name
        new = self.name.text().strip()
        if new != old:
            self._set(f"name to “{new}”", name=new) if new else self._on_problem(
                "Not changed. A pool needs a name.")

    def _on_teams(self, *_args: object) -> None:
        if self._filling or self.current_row() < 0:
            return
        teams = tuple(self.teams.checked())
        p = self.table_model.pool(self.current_row())
        keep = {t.casefold() for t in teams}
        self._set(f"teams to {', '.join(teams)}", teams=teams,
                  weights=tuple(w for w in p.weights if w[0].casefold() in keep),
                  skills=tuple(s for s in p.skills if s[0].casefold() in keep))

    def _on_from(self, *_args: object) -> None:
        month = self.from_month.month()
        self._set(f"start to {month_label(month) if month is not None else 'the horizon start'}",
                  from_month=month)

    def _on_member(self, item: QTableWidgetItem) -> None:
        if self._filling or self.current_row() < 0:
            return
        p = self.table_model.pool(self.current_row())
        team = p.teams[item.row()]
        text = item.text().strip()
        if item.column() == 0:
            try:
                weight = float(text) if text else 1.0
            except ValueError:
                self._on_problem(f"Not changed. Weight of {team}: {text!r} is not a number.")
                self._on_fill()
                return
            weights = tuple((t, w) for t, w in p.weights if t != team)
            if weight != 1.0:
                weights += ((team, weight),)
            self._set(f"weight of {team} to {weight:g}", weights=weights)
        else:
            words = tuple(w.strip() for w in text.replace(";", ",").split(",") if w.strip())
            skills = tuple((t, s) for t, s in p.skills if t != team)
            if words:
                skills += ((team, words),)
            self._set(f"skills for {team}", skills=skills)

    def _on_add(self) -> None:
        if self.table_model.add_pool():
            self.table.selectRow(self.table_model.rowCount() - 1)

    def _on_delete(self) -> None:
        self.table_model.remove_pool(self.current_row())

    def _on_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
