"""The scenario's benefit changes: a timeline above an editable table.

Each cell edit builds an edited copy of the scenario, is checked with the
scenario-file rules (:func:`planner.change_schedule.edit_problems`) and, if
good, goes to :meth:`ProjectModel.edit_scenario` as one undoable step; a bad
edit is refused with a sentence under the table. The small pieces the demand
and pool editors share (:class:`MonthCombo`, :class:`TeamChecklist`,
:func:`commit_edit`, :func:`known_teams`) live here too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSignalBlocker,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.change_schedule import driver_words, edit_problems
from planner.months import Horizon, month_label, parse_month
from planner.scenario import DRIVERS, Change, CreatePosts, Scenario, Slippage
from planner.scenario_edits import insert_item, remove_items, replace_item
from ui.changes_timeline import ChangesTimeline
from ui.project_model import ProjectModel

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


# ----------------------------------------------------------------- shared pieces

def known_teams(model: ProjectModel) -> list[str]:
    """The establishment's teams and teams that ``create_posts`` actions create, A–Z."""
    names: dict[str, str] = {}
    est = model.establishment
    if est is not None and "team" in est.posts:
        for team in est.posts["team"].dropna().unique():
            names.setdefault(str(team).strip().casefold(), str(team).strip())
    scenario = model.scenario()
    for action in scenario.actions if scenario is not None else ():
        if isinstance(action, CreatePosts):
            names.setdefault(action.team.strip().casefold(), action.team.strip())
    return sorted(names.values(), key=str.casefold)


def commit_edit(model: ProjectModel, after: Scenario, text: str,
                report: Callable[[str], object] | None = None) -> bool:
    """Apply ``after`` as one undoable edit, or refuse it if it brings in a problem.

    ``report`` (such as ``problem.emit``) receives the refusal sentence, or ``""``.
    """
    problems = edit_problems(model.scenario(), after)
    if problems:
        more = len(problems) - 1
        message = problems[0] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
        if report is not None:
            report(f"Not changed. {message}")
        return False
    model.edit_scenario(after, text)
    if report is not None:
        report("")
    return True


class MonthCombo(QComboBox):
    """Pick a month of the horizon (the value is a month number; None with ``none_text``)."""

    def __init__(self, parent: QWidget | None = None, none_text: str | None = None) -> None:
        super().__init__(parent)
        self._none_text = none_text
        self.setAccessibleName("Month")

    def set_months(self, horizon: Horizon, value: int | None = None) -> None:
        """List the horizon's months (and ``value`` if outside it) and select ``value``."""
        with QSignalBlocker(self):
            self.clear()
            if self._none_text is not None:
                self.addItem(self._none_text, None)
            numbers = list(horizon.numbers())
            if value is not None and value not in horizon:
                numbers = sorted([*numbers, value])
            for n in numbers:
                self.addItem(month_label(n), n)
            self.set_month(value)

    def set_month(self, value: int | None) -> None:
        i = self.findData(value)
        self.setCurrentIndex(max(i, 0))

    def month(self) -> int | None:
        return self.currentData()


class TeamChecklist(QListWidget):
    """Teams with check boxes (Space toggles; type a name to jump to it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Teams")
        self.setUniformItemSizes(True)

    def set_teams(self, teams: Sequence[str], checked: Sequence[str]) -> None:
        keys = {t.strip().casefold() for t in checked}
        listed = {t.strip().casefold() for t in teams}
        names = list(teams) + [t for t in checked if t.strip().casefold() not in listed]
        row, scroll = self.currentRow(), self.verticalScrollBar().value()
        with QSignalBlocker(self):
            self.clear()
            for name in names:
                item = QListWidgetItem(name, self)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name.strip().casefold() in keys
                                   else Qt.CheckState.Unchecked)
            self.setCurrentRow(min(row, self.count() - 1))  # a refill keeps the place
        self.verticalScrollBar().setValue(scroll)

    def checked(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]


# ----------------------------------------------------------------- the table

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
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == _DISPLAY:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.TIPS[section]
        elif orientation == Qt.Orientation.Vertical and role == _DISPLAY:
            return str(section + 1)
        return None

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


# ----------------------------------------------------------------- editing in place

class SlippageEditor(QWidget):
    """Three whole-month spin boxes: least, most likely and most months late."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = []
        for prefix in ("least ", "likely ", "most "):
            box = QSpinBox(self)
            box.setRange(-24, 60)
            box.setPrefix(prefix)
            box.setAccessibleName(f"Slippage, {prefix.strip()} months late")
            layout.addWidget(box)
            self.boxes.append(box)
        self.setFocusProxy(self.boxes[0])

    def set_values(self, values: Sequence[float]) -> None:
        for box, v in zip(self.boxes, values, strict=True):
            box.setValue(round(v))

    def values(self) -> list[float]:
        return [float(box.value()) for box in self.boxes]


#: Spin-box ranges of the percentage columns (the scenario-file limits).
PCT_RANGES = {ChangesTableModel.COL_REALISATION: (0.0, 200.0),
              ChangesTableModel.COL_DEMAND_REMOVED: (0.0, 99.9),
              ChangesTableModel.COL_PRODUCTIVITY: (0.0, 300.0)}


class ChangesDelegate(QStyledItemDelegate):
    """Editors for the changes table: driver and month combos, spin boxes, team check list."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        m, col = ChangesTableModel, index.column()
        if col == m.COL_DRIVER:
            combo = QComboBox(parent)
            for d in DRIVERS:
                combo.addItem(driver_words(d), d)
            return combo
        if col == m.COL_TEAMS:
            return TeamChecklist(parent)
        if col == m.COL_GO_LIVE:
            return MonthCombo(parent)
        if col == m.COL_RAMP:
            box = QSpinBox(parent)
            box.setRange(0, 60)
            box.setSuffix(" months")
            return box
        if col in PCT_RANGES:
            spin = QDoubleSpinBox(parent)
            spin.setDecimals(1)
            spin.setRange(*PCT_RANGES[col])
            spin.setSuffix(" %")
            return spin
        if col == m.COL_SLIPPAGE:
            return SlippageEditor(parent)
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        value = index.data(_EDIT)
        scenario = self._model.scenario()
        if isinstance(editor, MonthCombo) and scenario is not None:
            editor.set_months(scenario.horizon, value)
        elif isinstance(editor, TeamChecklist):
            editor.set_teams(known_teams(self._model), value)
        elif isinstance(editor, SlippageEditor):
            editor.set_values(value)
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findData(value), 0))
        elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            editor.setValue(value)
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, MonthCombo):
            value: Any = editor.month()
        elif isinstance(editor, TeamChecklist):
            value = editor.checked()
        elif isinstance(editor, SlippageEditor):
            value = editor.values()
        elif isinstance(editor, QComboBox):
            value = editor.currentData()
        elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            editor.interpretText()
            value = editor.value()
        else:
            super().setModelData(editor, model, index)
            return
        model.setData(index, value, _EDIT)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem,
                             index: Index) -> None:
        rect = option.rect
        if isinstance(editor, (TeamChecklist, SlippageEditor)):  # wider (and taller) than a cell
            area = editor.parentWidget().rect() if editor.parentWidget() else rect
            rect = rect.adjusted(0, 0, max(0, editor.sizeHint().width() - rect.width()), 0)
            if isinstance(editor, TeamChecklist):
                rect.setHeight(min(12 * rect.height(), area.height()))
            if rect.bottom() > area.bottom():
                rect.moveBottom(area.bottom())
            if rect.right() > area.right():
                rect.moveRight(area.right())
        editor.setGeometry(rect)


# ----------------------------------------------------------------- the editor

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
        self.add_button = QPushButton("&Add change", self)
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
