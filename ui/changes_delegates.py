"""Editing the changes table in place: the right editor for each column.

Driver and month combos, spin boxes for ramp and percentages, a team check list
and three spin boxes for slippage; the values go back through
:meth:`ui.changes_table.ChangesTableModel.setData`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from planner.change_schedule import driver_words
from planner.scenario import DRIVERS
from ui.changes_table import ChangesTableModel, Index
from ui.project_model import ProjectModel
from ui.scenario_widgets import MonthCombo, TeamChecklist, known_teams

_EDIT = Qt.ItemDataRole.EditRole


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
