"""Demand settings per team: every team of the establishment, with a form for the selected one.

A team without demand settings is "just coping": its demand is its baseline
capacity. For the selected team the form sets hours a month or volume × minutes
per item, yearly growth, a seasonal profile (12 factors, April to March), growth
positions (new duties from a month) and contact-centre (Erlang C) settings. Each
change is one undoable edit, checked with the scenario-file rules first.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.demand import base_hours, team_index
from planner.months import MONTH_NAMES, Horizon, month_label
from planner.scenario import ContactCentre, GrowthPosition, TeamDemand
from planner.scenario_edits import insert_item, remove_items, replace_item
from ui.changes_editor import MonthCombo, commit_edit, known_teams
from ui.project_model import ProjectModel

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
JUST_COPING = "Baseline capacity (just coping)"
BASES = (JUST_COPING, "Hours a month", "Volume × minutes per item")
SEASON_MONTHS = MONTH_NAMES[3:] + MONTH_NAMES[:3]  # April to March


def describe_demand(entry: TeamDemand | None) -> str:
    """``"1,200 hours a month"``, ``"3,000 items × 12 min = 600 hours a month"`` or just coping."""
    hours = base_hours(entry) if entry is not None else None
    if entry is None or hours is None:
        return JUST_COPING
    if entry.hours_per_month is not None:
        return f"{hours:,.0f} hours a month"
    return (f"{entry.volume_per_month:,.0f} items × {entry.minutes_per_item:g} min "
            f"= {hours:,.0f} hours a month")


def seasonal_text(seasonal: tuple[float, ...]) -> str:
    """``"flat"`` or ``"Apr 1.05 … Mar 1.1"`` (the whole list is in the tooltip)."""
    if len(seasonal) != 12:
        return "flat"
    return f"Apr {seasonal[0]:g}, May {seasonal[1]:g} … Mar {seasonal[11]:g}"


def parse_seasonal(value: Any) -> tuple[float, ...]:
    """12 factors from a comma list (or a sequence); empty or "flat" for a flat year."""
    if isinstance(value, str):
        text = value.strip()
        value = [] if text.casefold() in ("", "flat") else text.replace(";", ",").split(",")
    return tuple(float(str(x).strip()) for x in value)


def centre_text(cc: ContactCentre | None) -> str:
    if cc is None:
        return ""
    return (f"{cc.calls_per_interval:g} calls a {cc.interval_minutes:g}-minute interval, "
            f"{cc.aht_seconds:g} s handling, {cc.target_pct:g} % answered in "
            f"{cc.answer_seconds:g} s, {cc.shrinkage_pct:g} % shrinkage")


def position_text(p: GrowthPosition) -> str:
    return (f"From {month_label(p.month)}: +{p.hours_per_month:,.0f} hours a month"
            + (f" — {p.label}" if p.label else ""))


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
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            if role == _DISPLAY:
                return self.HEADERS[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.TIPS[section]
        return None

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


# ----------------------------------------------------------------- dialogs

class SeasonDialog(QDialog):
    """Twelve seasonal factors, April to March (1 = an average month)."""

    def __init__(self, values: tuple[float, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Seasonal profile")
        grid = QGridLayout()
        self.boxes: list[QDoubleSpinBox] = []
        for i, name in enumerate(SEASON_MONTHS):
            box = QDoubleSpinBox(self)
            box.setRange(0.01, 10.0)
            box.setDecimals(2)
            box.setSingleStep(0.05)
            box.setValue(values[i] if len(values) == 12 else 1.0)
            box.setAccessibleName(f"{name} factor")
            label = QLabel(f"&{name}" if name != "Mar" else "Ma&r", self)
            label.setBuddy(box)
            grid.addWidget(label, i // 6 * 2, i % 6)
            grid.addWidget(box, i // 6 * 2 + 1, i % 6)
            self.boxes.append(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        flat = buttons.addButton("F&lat year", QDialogButtonBox.ButtonRole.ResetRole)
        flat.clicked.connect(lambda: [b.setValue(1.0) for b in self.boxes])
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Each month's workload against an average month (1). "
                                "The factors are scaled to average 1.", self))
        layout.addLayout(grid)
        layout.addWidget(buttons)

    def values(self) -> tuple[float, ...]:
        values = tuple(box.value() for box in self.boxes)
        return () if all(v == 1.0 for v in values) else values

    @staticmethod
    def ask(parent: QWidget, values: tuple[float, ...]) -> tuple[float, ...] | None:
        dialog = SeasonDialog(values, parent)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None


class PositionDialog(QDialog):
    """A growth position: extra hours a month from a month (a new duty)."""

    def __init__(self, horizon: Horizon, position: GrowthPosition | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Growth position")
        self.month = MonthCombo(self)
        self.month.set_months(horizon, position.month if position else horizon.start)
        self.hours = QDoubleSpinBox(self)
        self.hours.setRange(-1e6, 1e6)
        self.hours.setDecimals(0)
        self.hours.setSuffix(" hours a month")
        self.hours.setValue(position.hours_per_month if position else 100.0)
        self.label = QLineEdit(position.label if position else "", self)
        form = QFormLayout()
        form.addRow("&From month:", self.month)
        form.addRow("&Extra hours:", self.hours)
        form.addRow("&Label:", self.label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def position(self) -> GrowthPosition:
        return GrowthPosition(month=self.month.month() or 0,
                              hours_per_month=self.hours.value(), label=self.label.text().strip())

    @staticmethod
    def ask(parent: QWidget, horizon: Horizon, position: GrowthPosition | None
            ) -> GrowthPosition | None:
        dialog = PositionDialog(horizon, position, parent)
        return dialog.position() if dialog.exec() == QDialog.DialogCode.Accepted else None


# ----------------------------------------------------------------- the editor

#: Contact-centre fields: (attribute, label, suffix, minimum, maximum, decimals).
CENTRE_FIELDS = (
    ("calls_per_interval", "&Calls per interval", " calls", 0.0, 1e6, 0),
    ("interval_minutes", "&Interval", " minutes", 1.0, 1440.0, 0),
    ("aht_seconds", "Average &handling time", " seconds", 1.0, 36000.0, 0),
    ("answer_seconds", "Ans&wer within", " seconds", 0.0, 3600.0, 0),
    ("target_pct", "Target answered in &time", " %", 1.0, 99.9, 1),
    ("shrinkage_pct", "Shrin&kage", " %", 0.0, 99.9, 1),
)


def _spin(parent: QWidget, suffix: str, lo: float, hi: float, decimals: int,
          name: str) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(lo, hi)
    box.setDecimals(decimals)
    box.setSuffix(suffix)
    box.setKeyboardTracking(False)  # one edit when the value is entered, not per key
    box.setGroupSeparatorShown(True)
    box.setAccessibleName(name)
    return box


class DemandEditor(QWidget):
    """Every team's demand settings in a table, with a form for the selected team."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._filling = False
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
        header.setSectionResizeMode(DemandTableModel.COL_CONTACT_CENTRE,
                                    QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Demand editor message")
        self.message.hide()
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self._build_form())
        splitter.setSizes([900, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        self.table_model.problem.connect(self._on_problem)
        self.table.selectionModel().currentRowChanged.connect(self._on_fill)
        self.table_model.modelReset.connect(self._on_reset)
        self.table_model.dataChanged.connect(self._on_fill)
        self._on_reset()

    def _build_form(self) -> QWidget:
        form_widget = QWidget(self)
        self.title = QLabel(form_widget)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.title.setFont(font)
        self.basis = QComboBox(form_widget)
        self.basis.addItems(BASES)
        self.basis.setAccessibleName("Demand given as")
        self.hours = _spin(form_widget, " hours a month", 0.0, 1e7, 0, "Hours a month")
        self.volume = _spin(form_widget, " items a month", 0.0, 1e8, 0, "Items a month")
        self.minutes = _spin(form_widget, " minutes an item", 0.0, 10000.0, 2, "Minutes per item")
        self.growth = _spin(form_widget, " % a year", -50.0, 100.0, 1, "Growth a year")
        self.seasonal = QLineEdit(form_widget)
        self.seasonal.setPlaceholderText("flat (or 12 factors, April to March)")
        self.seasonal.setAccessibleName("Seasonal profile")
        self.season_button = QPushButton("Edit &season…", form_widget)
        season_row = QHBoxLayout()
        season_row.addWidget(self.seasonal, 1)
        season_row.addWidget(self.season_button)
        self.positions = QListWidget(form_widget)
        self.positions.setAccessibleName("Growth positions")
        self.positions.setMaximumHeight(6 * self.fontMetrics().height())
        self.add_position = QPushButton("Add p&osition…", form_widget)
        self.edit_position = QPushButton("Ed&it…", form_widget)
        self.remove_position = QPushButton("Re&move", form_widget)
        position_buttons = QHBoxLayout()
        for b in (self.add_position, self.edit_position, self.remove_position):
            position_buttons.addWidget(b)
        position_buttons.addStretch(1)
        self.centre = QGroupBox("Contact centre (Erlang C)", form_widget)
        self.centre.setCheckable(True)
        centre_form = QFormLayout(self.centre)
        self.centre_boxes: dict[str, QDoubleSpinBox] = {}
        for attr, label, suffix, lo, hi, decimals in CENTRE_FIELDS:
            box = _spin(self.centre, suffix, lo, hi, decimals, label.replace("&", ""))
            centre_form.addRow(label + ":", box)
            box.valueChanged.connect(lambda v, a=attr: self._on_centre_value(a, v))
            self.centre_boxes[attr] = box
        self.form = QFormLayout()
        self.form.addRow(self.title)
        self.form.addRow("Demand &given as:", self.basis)
        self.form.addRow("&Hours:", self.hours)
        self.form.addRow("&Volume:", self.volume)
        self.form.addRow("Min&utes per item:", self.minutes)
        self.form.addRow("G&rowth:", self.growth)
        season_label = QLabel("Seasonal &profile:", form_widget)
        season_label.setBuddy(self.seasonal)
        self.form.addRow(season_label, season_row)
        self.form.addRow("Growth positions:", self.positions)
        self.form.addRow("", position_buttons)
        column = QVBoxLayout(form_widget)
        column.addLayout(self.form)
        column.addWidget(self.centre)
        column.addStretch(1)
        self.basis.currentIndexChanged.connect(self._on_basis)
        self.hours.valueChanged.connect(lambda v: self._set(
            "demand to " + f"{v:,.0f} hours a month", hours_per_month=v or None))
        self.volume.valueChanged.connect(lambda v: self._set(
            f"volume to {v:,.0f} items a month", volume_per_month=v))
        self.minutes.valueChanged.connect(lambda v: self._set(
            f"minutes per item to {v:g}", minutes_per_item=v))
        self.growth.valueChanged.connect(lambda v: self._set(
            f"demand growth to {v:g} % a year", growth_pct=v))
        self.seasonal.editingFinished.connect(self._on_seasonal_text)
        self.season_button.clicked.connect(self._on_season_dialog)
        self.add_position.clicked.connect(lambda: self._on_position(None))
        self.edit_position.clicked.connect(lambda: self._on_position(self.positions.currentRow()))
        self.positions.itemActivated.connect(lambda _i: self._on_position(
            self.positions.currentRow()))
        self.remove_position.clicked.connect(self._on_remove_position)
        self.centre.toggled.connect(self._on_centre_toggled)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_widget)
        return scroll

    # ----- reading --------------------------------------------------------------------------
    def current_row(self) -> int:
        return self.table.currentIndex().row()

    def select_team(self, team: str) -> None:
        row = self.table_model.row_of(team)
        if row is not None:
            self.table.selectRow(row)

    # ----- filling the form ---------------------------------------------------------------------
    def _on_reset(self) -> None:
        if self.table_model.rowCount() and self.current_row() < 0:
            self.table.selectRow(0)
        self._on_fill()

    def _on_fill(self, *_args: object) -> None:
        row = self.current_row()
        has_team = row >= 0
        for w in (self.basis, self.hours, self.volume, self.minutes, self.growth, self.seasonal,
                  self.season_button, self.positions, self.add_position, self.centre):
            w.setEnabled(has_team)
        if not has_team:
            self.title.setText("No team selected")
            return
        e = self.table_model.entry(row)
        self._filling = True
        try:
            self.title.setText(self.table_model.team(row))
            basis = 0 if e is None or base_hours(e) is None else \
                1 if e.hours_per_month is not None else 2
            self.basis.setCurrentIndex(basis)
            self.form.setRowVisible(self.hours, basis == 1)
            self.form.setRowVisible(self.volume, basis == 2)
            self.form.setRowVisible(self.minutes, basis == 2)
            self.hours.setValue(e.hours_per_month or 0.0 if e else 0.0)
            self.volume.setValue(e.volume_per_month or 0.0 if e else 0.0)
            self.minutes.setValue(e.minutes_per_item or 0.0 if e else 0.0)
            self.growth.setValue(e.growth_pct if e else 0.0)
            self.seasonal.setText(", ".join(f"{x:g}" for x in e.seasonal) if e else "")
            self.positions.clear()
            for p in e.growth_positions if e else ():
                self.positions.addItem(position_text(p))
            self.edit_position.setEnabled(self.positions.count() > 0)
            self.remove_position.setEnabled(self.positions.count() > 0)
            cc = e.contact_centre if e else None
            self.centre.setChecked(cc is not None)
            for attr, box in self.centre_boxes.items():
                box.setValue(getattr(cc or ContactCentre(calls_per_interval=0.0), attr))
        finally:
            self._filling = False

    # ----- editing ----------------------------------------------------------------------------
    def _set(self, what: str, **fields: Any) -> bool:
        row = self.current_row()
        if self._filling or row < 0:
            return False
        team = self.table_model.team(row)
        done = self.table_model.set_demand(row, f"Set {team} {what}", **fields)
        if not done:
            self._on_fill()  # show the settings as they are
        return done

    def _on_basis(self, basis: int) -> None:
        if self._filling:
            return
        row = self.current_row()
        e = self.table_model.entry(row)
        hours = (base_hours(e) if e is not None else None) or \
            self.table_model.reference_hours(row) or 1000.0
        if basis == 0:
            self._set("demand to baseline capacity (just coping)", hours_per_month=None,
                      volume_per_month=None, minutes_per_item=None)
        elif basis == 1:
            self._set(f"demand to {hours:,.0f} hours a month", hours_per_month=float(round(hours)),
                      volume_per_month=None, minutes_per_item=None)
        else:  # one item an hour to start with: the same hours
            self._set("demand to volume × minutes per item", hours_per_month=None,
                      volume_per_month=float(round(hours)), minutes_per_item=60.0)

    def _on_seasonal_text(self) -> None:
        if self._filling or not self.seasonal.isModified():
            return
        self.seasonal.setModified(False)
        try:
            values = parse_seasonal(self.seasonal.text())
        except ValueError:
            self._on_problem("Not changed. Seasonal profile: give 12 numbers separated by "
                             "commas, April to March, or leave it empty for a flat year.")
            self._on_fill()
            return
        self._set("seasonal profile", seasonal=values)

    def _on_season_dialog(self) -> None:
        e = self.table_model.entry(self.current_row())
        values = SeasonDialog.ask(self, e.seasonal if e else ())
        if values is not None:
            self._set("seasonal profile", seasonal=values)

    def _on_position(self, index: int | None) -> None:
        scenario = self._model.scenario()
        e = self.table_model.entry(self.current_row())
        if scenario is None or (index is not None and (e is None or index < 0)):
            return
        positions = list(e.growth_positions if e else ())
        position = PositionDialog.ask(self, scenario.horizon,
                                      positions[index] if index is not None else None)
        if position is None:
            return
        if index is None:
            positions.append(position)
        else:
            positions[index] = position
        self._set("growth positions", growth_positions=tuple(positions))

    def _on_remove_position(self) -> None:
        e = self.table_model.entry(self.current_row())
        index = self.positions.currentRow()
        if e is not None and 0 <= index < len(e.growth_positions):
            kept = tuple(p for i, p in enumerate(e.growth_positions) if i != index)
            self._set("growth positions", growth_positions=kept)

    def _on_centre_toggled(self, on: bool) -> None:
        self._set("contact-centre settings" if on else "to not a contact centre",
                  contact_centre=ContactCentre(calls_per_interval=100.0) if on else None)

    def _on_centre_value(self, attr: str, value: float) -> None:
        e = self.table_model.entry(self.current_row())
        if self._filling or e is None or e.contact_centre is None:
            return
        label = next(f[1] for f in CENTRE_FIELDS if f[0] == attr).replace("&", "").lower()
        self._set(f"{label} to {value:g}", contact_centre=replace(e.contact_centre,
                                                                  **{attr: value}))

    def _on_problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
