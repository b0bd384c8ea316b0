"""The table model of a scenario's benefit changes: one row per change, edited in place.

Each cell edit builds an edited copy of the scenario and goes through
:func:`ui.scenario_widgets.commit_edit` (checked with the scenario-file rules,
one undoable step); a bad edit is refused with a sentence on :attr:`problem`.
The editors for the cells are in :mod:`ui.changes_delegates`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QWidget

from planner.change_schedule import driver_words
from planner.months import month_label, parse_month
from planner.scenario import DRIVERS, Change, Slippage
from planner.scenario_edits import insert_item, remove_items, replace_item
from ui.project_model import ProjectModel
from ui.scenario_widgets import commit_edit
from ui.table_model import column_header

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ChangesTableModel(QAbstractTableModel):
    """The current scenario's changes, one row each, edited in place (undoable)."""

    (COL_NAME, COL_DRIVER, COL_TEAMS, COL_GO_LIVE, COL_RAMP, COL_REALISATION,
     COL_DEMAND_REMOVED, COL_PRODUCTIVITY, COL_SLIPPAGE) = range(9)
    SortRole = int(Qt.ItemDataRole.UserRole) + 1
    HEADERS = ("Change", "Driver", "Teams", "Go-live", "Ramp", "Realisation",
               "Demand removed", "Productivity gain", "Slippage (min / likely / max)")
    TIPS = ("Name of the change (each different)",
            "What brings the benefit",
            "Teams whose demand or productivity the change affects",
            "Month the change goes live",
            "Months from go-live to full effect (1/ramp of the effect in the go-live month)",
            "Share of the planned benefit expected to be realised",
            "Share of the teams' demand removed at full effect",
            "Productivity gained at full effect",
            "Months late the go-live may be: least, most likely and most (for simulation)")
    FIELDS = ("name", "driver", "teams", "go_live", "ramp_months", "realisation_pct",
              "demand_removed_pct", "productivity_gain_pct", "slippage")
    problem = Signal(str)  # why an edit was refused ("" after a good edit)

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._changes: tuple[Change, ...] = self._current()
        model.current_changed.connect(self._on_refresh)
        model.scenarios_changed.connect(self._on_refresh)
        model.scenario_changed.connect(self._on_scenario_changed)

    def _current(self) -> tuple[Change, ...]:
        scenario = self._model.scenario()
        return scenario.changes if scenario is not None else ()

    def change(self, row: int) -> Change:
        return self._changes[row]

    # -- Qt model interface ---------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._changes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = int(_DISPLAY)) -> Any:
        if orientation == Qt.Orientation.Vertical and role == _DISPLAY:
            return str(section + 1)
        return column_header(self.HEADERS, self.TIPS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemNeverHasChildren)

    def data(self, index: Index, role: int = int(_DISPLAY)) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._changes):
            return None
        c, col = self._changes[index.row()], index.column()
        if role == _DISPLAY:
            return _display(c, col)
        if role == _EDIT:
            return _raw(c, col)
        if role == self.SortRole:
            raw = _raw(c, col)
            if col == self.COL_TEAMS:
                return ", ".join(raw)
            return raw[2] if col == self.COL_SLIPPAGE else raw
        if role == Qt.ItemDataRole.ToolTipRole:
            return _display(c, col) if col in (self.COL_NAME, self.COL_TEAMS) else \
                self.TIPS[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col >= self.COL_GO_LIVE:
            return int(_RIGHT)
        return None

    def setData(self, index: Index, value: Any, role: int = int(_EDIT)) -> bool:
        if not index.isValid() or role != _EDIT or not 0 <= index.row() < len(self._changes):
            return False
        row, col = index.row(), index.column()
        old = self._changes[row]
        try:
            new_value = _parse(col, value)
        except (TypeError, ValueError) as exc:
            self.problem.emit(f"Not changed. {self.HEADERS[col]}: {exc}")
            return False
        field = self.FIELDS[col]
        if getattr(old, field) == new_value:
            return False
        changed = replace(old, **{field: new_value})
        scenario = self._model.scenario()
        assert scenario is not None
        text = f"Set {self.HEADERS[col].split(' (')[0].lower()} of “{old.name}” to " \
               f"{_display(changed, col)}"
        if col == self.COL_NAME:
            text = f"Rename change “{old.name}” to “{changed.name}”"
        return commit_edit(self._model, replace_item(scenario, "changes", row, changed), text,
                           self.problem.emit)

    # -- rows -------------------------------------------------------------------------------
    def add_change(self, teams: Sequence[str]) -> bool:
        """Append a new change (10 % of demand removed in ``teams`` a year into the horizon)."""
        scenario = self._model.scenario()
        if scenario is None or not teams:
            return False
        name = _unique_name("New change", [c.name for c in scenario.changes])
        go = scenario.horizon.start + min(12, scenario.horizon.months - 1)
        change = Change(name=name, go_live=go, teams=tuple(teams), demand_removed_pct=10.0,
                        ramp_months=3)
        return commit_edit(self._model, insert_item(scenario, "changes", change),
                           f"Add change “{name}”", self.problem.emit)

    def duplicate_changes(self, rows: Sequence[int]) -> bool:
        scenario = self._model.scenario()
        if scenario is None or not rows:
            return False
        names = [c.name for c in scenario.changes]
        after = scenario
        for row in sorted(rows):
            name = _unique_name(f"{scenario.changes[row].name} (copy)", names)
            names.append(name)
            after = insert_item(after, "changes", replace(scenario.changes[row], name=name))
        what = f"“{scenario.changes[rows[0]].name}”" if len(rows) == 1 else f"{len(rows)} changes"
        return commit_edit(self._model, after, f"Duplicate {what}", self.problem.emit)

    def remove_changes(self, rows: Sequence[int]) -> bool:
        scenario = self._model.scenario()
        if scenario is None or not rows:
            return False
        what = f"“{scenario.changes[rows[0]].name}”" if len(rows) == 1 else f"{len(rows)} changes"
        return commit_edit(self._model, remove_items(scenario, "changes", list(rows)),
                           f"Delete change {what}", self.problem.emit)

    # -- slots -------------------------------------------------------------------------------
    def _on_refresh(self, *_args: object) -> None:
        changes = self._current()
        if len(changes) != len(self._changes):
            self.beginResetModel()
            self._changes = changes
            self.endResetModel()
        elif changes != self._changes:
            self._changes = changes
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(changes) - 1, len(self.HEADERS) - 1))

    def _on_scenario_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self._on_refresh()


def _unique_name(name: str, taken: Sequence[str]) -> str:
    keys = {t.strip().casefold() for t in taken}
    candidate, n = name, 2
    while candidate.casefold() in keys:
        candidate, n = f"{name} {n}", n + 1
    return candidate


def _pct(x: float) -> str:
    return f"{x:g} %"


def slippage_text(s: Slippage) -> str:
    if s.max_months == s.min_months == s.mode_months == 0:
        return "none"
    return f"{s.min_months:g} / {s.mode_months:g} / {s.max_months:g} months"


def _display(c: Change, col: int) -> str:
    m = ChangesTableModel
    return {
        m.COL_NAME: lambda: c.name,
        m.COL_DRIVER: lambda: driver_words(c.driver),
        m.COL_TEAMS: lambda: ", ".join(c.teams),
        m.COL_GO_LIVE: lambda: month_label(c.go_live),
        m.COL_RAMP: lambda: f"{c.ramp_months} month{'s' * (c.ramp_months != 1)}",
        m.COL_REALISATION: lambda: _pct(c.realisation_pct),
        m.COL_DEMAND_REMOVED: lambda: _pct(c.demand_removed_pct),
        m.COL_PRODUCTIVITY: lambda: _pct(c.productivity_gain_pct),
        m.COL_SLIPPAGE: lambda: slippage_text(c.slippage),
    }[col]()


def _raw(c: Change, col: int) -> Any:
    value = getattr(c, ChangesTableModel.FIELDS[col])
    if col == ChangesTableModel.COL_TEAMS:
        return list(value)
    if col == ChangesTableModel.COL_SLIPPAGE:
        return [value.min_months, value.mode_months, value.max_months]
    return value


def _numbers(value: Any) -> list[float]:
    if isinstance(value, str):
        value = value.replace("/", ",").replace("months", "").split(",")
    return [float(str(x).strip().rstrip("%").strip()) for x in value]


def _parse(col: int, value: Any) -> Any:
    """The field value for an edit of column ``col`` (ValueError with a reason if unusable)."""
    m = ChangesTableModel
    if col == m.COL_NAME:
        return str(value).strip()
    if col == m.COL_DRIVER:
        key = str(value).strip().casefold().replace(" ", "_").replace("-", "_")
        if key not in DRIVERS:
            raise ValueError(f"must be one of {', '.join(driver_words(d) for d in DRIVERS)}")
        return key
    if col == m.COL_TEAMS:
        teams = value.split(",") if isinstance(value, str) else list(value)
        return tuple(t.strip() for t in teams if str(t).strip())
    if col == m.COL_GO_LIVE:
        return value if isinstance(value, int) else parse_month(str(value))
    if col == m.COL_RAMP:
        number = float(value)
        if not number.is_integer():
            raise ValueError("must be a whole number of months")
        return int(number)
    if col == m.COL_SLIPPAGE:
        numbers = _numbers(value)
        if len(numbers) != 3:
            raise ValueError("give three numbers of months: least, most likely and most")
        return Slippage(*numbers)
    try:
        return _numbers([value])[0]
    except ValueError:
        raise ValueError(f"{value!r} is not a number") from None
