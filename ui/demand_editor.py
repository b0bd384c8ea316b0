"""Demand settings per team: every team of the establishment, with a form for the selected one.

A team without demand settings is "just coping": its demand is its baseline
capacity. For the selected team the form sets hours a month or volume × minutes
per item, yearly growth, a seasonal profile (12 factors, April to March), growth
positions (new duties from a month) and contact-centre (Erlang C) settings. Each
change is one undoable edit, checked with the scenario-file rules first.

The per-team form is :class:`ui.demand_form.DemandForm`, its dialogs are in
:mod:`ui.demand_dialogs` and the wording in :mod:`ui.demand_text`; their public
names can still be imported from here.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.demand import base_hours, team_index
from planner.scenario import TeamDemand
from planner.scenario_edits import insert_item, remove_items, replace_item
from ui.deferred import when_shown
from ui.demand_dialogs import PositionDialog, SeasonDialog
from ui.demand_form import CENTRE_FIELDS, DemandForm
from ui.demand_text import (
    BASES,
    JUST_COPING,
    SEASON_MONTHS,
    centre_text,
    describe_demand,
    parse_seasonal,
    position_text,
    seasonal_text,
)
from ui.project_model import ProjectModel
from ui.scenario_widgets import commit_edit, known_teams
from ui.table_model import column_header

__all__ = ["BASES", "CENTRE_FIELDS", "JUST_COPING", "SEASON_MONTHS", "DemandEditor",
           "DemandForm", "DemandTableModel", "Index", "PositionDialog", "SeasonDialog",
           "centre_text", "describe_demand", "parse_seasonal", "position_text",
           "seasonal_text"]

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole


#: Rows measured to size the table's columns (Qt's default is 1,000).
RESIZE_PRECISION = 100


class DemandTableModel(QAbstractTableModel):
    """One row per team: its demand settings (hours, growth and season are editable here)."""

    (COL_TEAM, COL_DEMAND, COL_HOURS, COL_GROWTH, COL_SEASONAL, COL_POSITIONS,
     COL_CONTACT_CENTRE) = range(7)
    SortRole = int(Qt.ItemDataRole.UserRole) + 1
    HEADERS = ("Team", "Demand", "Hours a month", "Growth a year", "Seasonal profile",
               "Growth positions", "Contact centre")
    TIPS = ("Team in the establishment",
            "How the team's workload is given (without settings: its baseline capacity)",
            "An average month's hours (empty: just coping, or volume × minutes)",
            "Yearly growth, compounding month by month from the horizon start",
            "12 factors, April to March (flat if empty)",
            "New duties adding hours from a month",
            "Erlang C settings for a telephone team")
    problem = Signal(str)

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._teams, self._entries = self._load()
        model.current_changed.connect(self._on_refresh)
        model.scenarios_changed.connect(self._on_refresh)
        model.establishment_changed.connect(self._on_refresh)
        model.scenario_changed.connect(self._on_scenario_changed)

    def _load(self) -> tuple[list[str], list[TeamDemand | None]]:
        """(teams, their settings): the establishment's teams, then any other team named."""
        scenario = self._model.scenario()
        demand = scenario.demand if scenario is not None else ()
        teams = known_teams(self._model) if scenario is not None else []
        teams += [d.team for d in demand if team_index(teams, d.team) is None]
        names = [d.team for d in demand]
        return teams, [demand[j] if (j := team_index(names, t)) is not None else None
                       for t in teams]

    def team(self, row: int) -> str:
        return self._teams[row]

    def entry(self, row: int) -> TeamDemand | None:
        """The team's demand settings (None: just coping)."""
        return self._entries[row]

    def row_of(self, team: str) -> int | None:
        return team_index(self._teams, team)

    # -- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._teams)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = int(_DISPLAY)) -> Any:
        return column_header(self.HEADERS, self.TIPS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                 | Qt.ItemFlag.ItemNeverHasChildren)
        if index.column() in (self.COL_HOURS, self.COL_GROWTH, self.COL_SEASONAL):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: Index, role: int = int(_DISPLAY)) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._teams):
            return None
        row, col = index.row(), index.column()
        e = self._entries[row]
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_SEASONAL and e is not None \
                and e.seasonal:
            return "April to March: " + ", ".join(f"{x:g}" for x in e.seasonal)
        if role == _DISPLAY or role == Qt.ItemDataRole.ToolTipRole:
            return self._text(row, col)
        if role in (_EDIT, self.SortRole):
            return self._raw(row, col, role == self.SortRole)
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.COL_HOURS,
                                                                 self.COL_GROWTH):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.FontRole and col == self.COL_DEMAND and e is None:
            font = QFont()
            font.setItalic(True)
            return font
        return None

    def _text(self, row: int, col: int) -> str:
        e = self._entries[row]
        hours = base_hours(e) if e is not None else None
        return {
            self.COL_TEAM: lambda: self._teams[row],
            self.COL_DEMAND: lambda: describe_demand(e),
            self.COL_HOURS: lambda: f"{hours:,.0f}" if hours is not None else "",
            self.COL_GROWTH: lambda: f"{e.growth_pct:g} %" if e is not None else "0 %",
            self.COL_SEASONAL: lambda: seasonal_text(e.seasonal) if e is not None else "flat",
            self.COL_POSITIONS: lambda: "; ".join(position_text(p) for p in e.growth_positions)
            if e is not None else "",
            self.COL_CONTACT_CENTRE: lambda: centre_text(e.contact_centre if e else None),
        }[col]()

    def _raw(self, row: int, col: int, sort: bool) -> Any:
        e = self._entries[row]
        if col == self.COL_HOURS:
            hours = base_hours(e) if e is not None else None
            return (hours if hours is not None else -1.0) if sort else hours
        if col == self.COL_GROWTH:
            return e.growth_pct if e is not None else 0.0
        if col == self.COL_POSITIONS:
            return len(e.growth_positions) if e is not None else 0
        if col == self.COL_SEASONAL and not sort:
            return ", ".join(f"{x:g}" for x in e.seasonal) if e is not None else ""
        return self._text(row, col)

    def setData(self, index: Index, value: Any, role: int = int(_EDIT)) -> bool:
        if not index.isValid() or role != _EDIT or not 0 <= index.row() < len(self._teams):
            return False
        row, col, team = index.row(), index.column(), self._teams[index.row()]
        try:
            if col == self.COL_HOURS:
                text = str(value if value is not None else "").replace(",", "").strip()
                hours = float(text) if text else None
                return self.set_demand(row, f"Set {team} demand to " + (
                    f"{hours:,.0f} hours a month" if hours is not None else JUST_COPING.lower()),
                    hours_per_month=hours, volume_per_month=None, minutes_per_item=None)
            if col == self.COL_GROWTH:
                growth = float(str(value).rstrip("% ").strip())
                return self.set_demand(row, f"Set {team} demand growth to {growth:g} % a year",
                                       growth_pct=growth)
            if col == self.COL_SEASONAL:
                return self.set_demand(row, f"Set {team} seasonal profile",
                                       seasonal=parse_seasonal(value))
        except (TypeError, ValueError):
            self.problem.emit(f"Not changed. {self.HEADERS[col]}: {value!r} is not a number "
                              "(or a list of numbers).")
        return False

    # -- editing ----------------------------------------------------------------------------
    def set_demand(self, row: int, text: str, **fields: Any) -> bool:
        """Change fields of team ``row``'s demand settings as one undoable edit.

        Settings left with nothing but the team name are removed (the team is just coping).
        """
        scenario = self._model.scenario()
        if scenario is None:
            return False
        team = self._teams[row]
        j = team_index([d.team for d in scenario.demand], team)
        entry = scenario.demand[j] if j is not None else TeamDemand(team=team)
        new = replace(entry, **fields)
        if new == entry:
            return False
        if new == TeamDemand(team=entry.team):
            after = remove_items(scenario, "demand", [j]) if j is not None else scenario
        elif j is None:
            after = insert_item(scenario, "demand", new)
        else:
            after = replace_item(scenario, "demand", j, new)
        return commit_edit(self._model, after, text, self.problem.emit)

    def reference_hours(self, row: int) -> float | None:
        """The team's average month at the start, as the engine sees it (from the results)."""
        results = self._model.results()
        if results is None:
            return None
        base = results.service().inputs.base
        j = team_index(results.teams, self._teams[row])
        return float(base.reference[j]) if j is not None else None

    # -- slots -------------------------------------------------------------------------------
    def _on_refresh(self, *_args: object) -> None:
        teams, entries = self._load()
        if teams != self._teams:
            self.beginResetModel()
            self._teams, self._entries = teams, entries
            self.endResetModel()
        elif entries != self._entries:
            self._entries = entries
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._teams) - 1, len(self.HEADERS) - 1))

    def _on_scenario_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self._on_refresh()


class DemandEditor(QWidget):
    """Every team's demand settings in a table, with a form for the selected team."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.table_model = DemandTableModel(model, self)
        self.table = QTableView(self)
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Demand by team")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Widths from the first rows only: measuring every team's text (5,000 teams in a
        # 200,000-post council) froze the window for over a second on each reset.
        header.setResizeContentsPrecision(RESIZE_PRECISION)
        header.setSectionResizeMode(DemandTableModel.COL_CONTACT_CENTRE,
                                    QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Demand editor message")
        self.message.hide()
        self.detail = DemandForm(model, self.table_model, self.current_row, self)
        # The form's controls stay reachable as the editor's own, as before the form was split out.
        d = self.detail
        self.title, self.basis, self.form = d.title, d.basis, d.form
        self.hours, self.volume, self.minutes, self.growth = d.hours, d.volume, d.minutes, d.growth
        self.seasonal, self.season_button, self.positions = d.seasonal, d.season_button, d.positions
        self.add_position, self.edit_position = d.add_position, d.edit_position
        self.remove_position, self.centre, self.centre_boxes = (d.remove_position, d.centre,
                                                                d.centre_boxes)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setSizes([900, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self.table_model.problem.connect(self._on_problem)
        self.detail.problem.connect(self._on_problem)
        self.table.selectionModel().currentRowChanged.connect(self.detail.fill)
        self.table_model.modelReset.connect(self._on_reset)
        self.table_model.dataChanged.connect(self.detail.fill)
        self._on_reset()

    # ----- reading --------------------------------------------------------------------------
    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def select_team(self, team: str) -> None:
        row = self.table_model.row_of(team)
        if row is not None:
            self.table.selectRow(row)

    # ----- slots ------------------------------------------------------------------------------
    @when_shown
    def _on_reset(self) -> None:
        if self.table_model.rowCount() and self.current_row() < 0:
            self.table.selectRow(0)
        self.detail.fill()

    def _on_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
