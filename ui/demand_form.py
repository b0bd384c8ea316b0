"""The demand editor's form for the selected team: every demand setting of one team.

Demand given as hours a month or volume × minutes per item (or not at all: just
coping), yearly growth, a seasonal profile (typed, or in
:class:`ui.demand_dialogs.SeasonDialog`), growth positions and contact-centre
(Erlang C) settings. Each change goes to
:meth:`ui.demand_editor.DemandTableModel.set_demand` as one undoable edit; a
refusal the form finds itself is sent on :attr:`DemandForm.problem`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from planner.demand import base_hours
from planner.scenario import ContactCentre
from ui.demand_dialogs import PositionDialog, SeasonDialog
from ui.demand_text import BASES, parse_seasonal, position_text
from ui.project_model import ProjectModel

if TYPE_CHECKING:
    from ui.demand_editor import DemandTableModel

#: Contact-centre fields: (attribute, label, suffix, minimum, maximum, decimals).
CENTRE_FIELDS = (
    ("calls_per_interval", "&Calls per interval", " calls", 0.0, 1e6, 0),
    ("interval_minutes", "&Interval", " minutes", 1.0, 1440.0, 0),
    ("aht_seconds", "Average handling time per call", " seconds", 1.0, 36000.0, 0),
    ("answer_seconds", "Ans&wer within", " seconds", 0.0, 3600.0, 0),
    ("target_pct", "Target answered in time", " %", 1.0, 99.9, 1),
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


class DemandForm(QScrollArea):
    """The selected team's demand settings, in a scrolling form beside the demand table."""

    problem = Signal(str)  # why an entry was refused

    def __init__(self, model: ProjectModel, table_model: DemandTableModel,
                 current_row: Callable[[], int], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.table_model = table_model
        self._current_row = current_row
        self._filling = False
        form_widget = self._build_form()
        self.setWidgetResizable(True)
        self.setWidget(form_widget)

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
        self.season_button = QPushButton("Edit &by month…", form_widget)
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
        self.form.addRow("Dema&nd given as:", self.basis)
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
        return form_widget

    def current_row(self) -> int:
        """The table row of the team shown (-1: none)."""
        return self._current_row()

    # ----- filling the form ---------------------------------------------------------------------
    def fill(self, *_args: object) -> None:
        """Show the selected team's settings (or that no team is selected)."""
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
            self.fill()  # show the settings as they are
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
            self.problem.emit("Not changed. Seasonal profile: give 12 numbers separated by "
                              "commas, April to March, or leave it empty for a flat year.")
            self.fill()
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
