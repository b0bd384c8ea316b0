"""The demand editor's dialogs: a seasonal profile and a growth position."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.months import Horizon
from planner.scenario import GrowthPosition
from ui.demand_text import SEASON_MONTHS
from ui.scenario_widgets import MonthCombo


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
