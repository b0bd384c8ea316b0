"""What the current scenario must achieve: MTFP savings by financial year, an FTE target and
the risk thresholds, each edit one undoable step.

The savings table lists every financial year of the horizon with its target
(editable) beside the expected core-budget saving, the gap and whether the
target is met, as the results give them (blank while they are worked out).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.action_text import number_text
from planner.months import fy_text, month_label, parse_month
from planner.scenario import Scenario
from planner.scenario_edits import edit
from ui import formatting
from ui.assumptions_form import FieldSpec, ScenarioFieldForm
from ui.deferred import when_shown
from ui.month_edit import MonthEdit
from ui.project_model import ProjectModel
from ui.table_model import column_header

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
MET_TEXT = {True: "Met", False: "Not met"}

RISK = (
    FieldSpec("targets.risk.amber_ratio", "Amber when capacit&y is below",
              "the amber threshold", suffix=" × demand", lo=0.01, hi=2, step=0.01,
              tip="A team is Amber in a month when its capacity is below this share of its "
                  "demand (default 0.95)."),
    FieldSpec("targets.risk.red_ratio", "Red when capacity is belo&w", "the red threshold",
              suffix=" × demand", lo=0.01, hi=2, step=0.01,
              tip="A team is Red in a month when its capacity is below this share of its "
                  "demand (default 0.85). It must be lower than the amber threshold."),
    FieldSpec("targets.risk.amber_backlog_weeks", "Amber when bac&klog is over",
              "the amber backlog", suffix=" weeks", lo=0, hi=52, decimals=1, step=0.5,
              tip="A team is also Amber when its backlog would take more than this many "
                  "weeks of capacity to clear (default 2)."),
    FieldSpec("targets.risk.red_backlog_weeks", "Red when backlog is &over",
              "the red backlog", suffix=" weeks", lo=0, hi=52, decimals=1, step=0.5,
              tip="A team is also Red when its backlog would take more than this many weeks "
                  "of capacity to clear (default 4)."),
)


def with_saving_target(scenario: Scenario, year: int, value: float | None) -> Scenario:
    """A copy with the savings target of financial year ``year`` set (None or 0: removed)."""
    targets = dict(scenario.targets.savings_by_fy)
    if value:
        targets[year] = float(value)
    else:
        targets.pop(year, None)
    return edit(scenario, "targets.savings_by_fy", tuple(sorted(targets.items())))


def parse_money_text(text: str) -> float | None:
    """``"£1,500,000"`` → 1500000.0; blank → None. Raises ValueError for other text."""
    cleaned = text.replace("£", "").replace(",", "").strip()
    return float(cleaned) if cleaned else None


class SavingsTargetsModel(QAbstractTableModel):
    """One row per financial year of the horizon: the target and how the scenario does."""

    COL_YEAR, COL_TARGET, COL_SAVING, COL_GAP, COL_MET = range(5)
    SortRole = int(Qt.ItemDataRole.UserRole) + 1
    HEADERS = ("Financial year", "MTFP savings target", "Expected core saving",
               "Saving less target", "Target")
    TIPS = (
        "The financial year, April to March",
        "The saving the medium-term financial plan needs this year (double-click to "
        "change; 0 or Delete removes it)",
        "Expected saving to the core budget against the baseline (savings on externally "
        "funded posts are left out)",
        "Expected core saving less the target (negative: short of the target)",
        "Whether the target is met; part years are not judged",
    )

    def __init__(self, model: ProjectModel,
                 commit: Callable[[Scenario, str], bool] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._commit = commit or self._default_commit
        self._years: list[int] = []
        self._targets: dict[int, float] = {}
        self._fy: dict[str, dict[str, Any]] = {}
        self.refresh()

    def _default_commit(self, scenario: Scenario, text: str) -> bool:
        self._model.edit_scenario(scenario, text)
        return True

    def refresh(self) -> None:
        self.beginResetModel()
        scenario = self._model.scenario()
        results = self._model.results()
        if scenario is None:
            self._years, self._targets = [], {}
        else:
            self._targets = dict(scenario.targets.savings_by_fy)
            self._years = sorted(set(scenario.horizon.fy_start_years()) | set(self._targets))
        self._fy = {}
        if results is not None:
            frame: pd.DataFrame = results.by_financial_year()
            self._fy = {str(r["financial_year"]): {str(k): v for k, v in r.items()}
                        for r in frame.to_dict("records")}
        self.endResetModel()

    def year(self, row: int) -> int:
        return self._years[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._years)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def _raw(self, row: int, col: int) -> Any:
        year = self._years[row]
        fy = self._fy.get(fy_text(year), {})
        if col == self.COL_YEAR:
            return year
        if col == self.COL_TARGET:
            return self._targets.get(year)
        if col == self.COL_SAVING:
            return fy.get("core_saving")
        if col == self.COL_GAP:
            return fy.get("gap") if year in self._targets else None
        met = fy.get("target_met")
        return None if met is None or pd.isna(met) else bool(met)

    def _text(self, row: int, col: int) -> str:
        value = self._raw(row, col)
        if col == self.COL_YEAR:
            return fy_text(value)
        if col == self.COL_MET:
            if value is not None:
                return MET_TEXT[value]
            fy = self._fy.get(fy_text(self._years[row]), {})
            if self._years[row] in self._targets and fy and fy.get("months", 12) < 12:
                return "Part year (not judged)"
            return ""
        if value is None or pd.isna(value):
            return ""
        return formatting.money(float(value))

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._years):
            return None
        row, col = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, col)
        if role == Qt.ItemDataRole.EditRole:
            if col == self.COL_TARGET:
                return float(self._targets.get(self._years[row], 0.0))
            return self._text(row, col)
        if role == self.SortRole:
            value = self._raw(row, col)
            if value is None or (isinstance(value, float) and pd.isna(value)):
                return -1e18 if col != self.COL_MET else -1
            return int(value) if isinstance(value, bool) else value
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if col in (self.COL_TARGET, self.COL_SAVING, self.COL_GAP) else None
        if role == Qt.ItemDataRole.ToolTipRole and col == self.COL_TARGET:
            return "Double-click to change; 0 or Delete removes the target"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = _DISPLAY) -> object:
        return column_header(self.HEADERS, self.TIPS, section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | \
            Qt.ItemFlag.ItemNeverHasChildren
        if index.column() == self.COL_TARGET:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: Index, value: object,
                role: int = int(Qt.ItemDataRole.EditRole)) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole
                or index.column() != self.COL_TARGET):
            return False
        try:
            amount = parse_money_text(value) if isinstance(value, str) else (
                None if value is None else float(value))  # type: ignore[arg-type]
        except ValueError:
            return False
        if amount is not None and amount < 0:
            return False
        return self.set_target(self._years[index.row()], amount)

    def set_target(self, year: int, amount: float | None) -> bool:
        """Set (or with None or 0 remove) one year's target as one undoable edit."""
        scenario = self._model.scenario()
        if scenario is None:
            return False
        old = self._targets.get(year)
        if (amount or None) == old:
            return False
        new = with_saving_target(scenario, year, amount)
        text = (f"Set the {fy_text(year)} savings target to {formatting.money(amount)}"
                if amount else f"Remove the {fy_text(year)} savings target")
        return self._commit(new, text)


class MoneyDelegate(QStyledItemDelegate):
    """Edits whole pounds in a spin box with a £ sign and thousands separators."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index
                     ) -> QWidget:
        spin = QDoubleSpinBox(parent)
        spin.setPrefix("£")
        spin.setDecimals(0)
        spin.setRange(0, 1e11)
        spin.setSingleStep(10_000)
        spin.setGroupSeparatorShown(True)
        spin.setAccessibleName("Savings target")
        return spin

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        editor.setValue(float(index.data(Qt.ItemDataRole.EditRole) or 0.0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QDoubleSpinBox)
        editor.interpretText()
        model.setData(index, editor.value(), Qt.ItemDataRole.EditRole)


class TargetsForm(ScenarioFieldForm):
    """Savings by financial year, the FTE target (and its month) and the risk thresholds."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.savings_model = SavingsTargetsModel(model, self.apply, self)
        self.savings_view = QTableView()
        self.savings_view.setModel(self.savings_model)
        self.savings_view.setAccessibleName("Savings targets by financial year")
        self.savings_view.setItemDelegateForColumn(SavingsTargetsModel.COL_TARGET,
                                                   MoneyDelegate(self.savings_view))
        self.savings_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.savings_view.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                          | QAbstractItemView.EditTrigger.EditKeyPressed
                                          | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.savings_view.verticalHeader().hide()
        self.savings_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.savings_view.horizontalHeader().setStretchLastSection(True)
        clear = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.savings_view)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)
        clear.activated.connect(self.clear_selected_targets)
        self.clear_button = QPushButton("&Clear target")
        self.clear_button.setToolTip("Remove the savings target of the selected years (Del)")
        self.clear_button.clicked.connect(self.clear_selected_targets)
        savings_label = QLabel("MTF&P savings by financial year")
        savings_label.setBuddy(self.savings_view)

        self.fte_check = QCheckBox("Set an FTE ta&rget")
        self.fte_check.setToolTip("Aim for at most this many FTE in post by a month.")
        self.fte_check.clicked.connect(self._on_fte_check)
        self.fte_spin = QDoubleSpinBox()
        self.fte_spin.setRange(0, 1e6)
        self.fte_spin.setDecimals(1)
        self.fte_spin.setSuffix(" FTE")
        self.fte_spin.setGroupSeparatorShown(True)
        self.fte_spin.setKeyboardTracking(False)
        self.fte_spin.setAccessibleName("FTE target")
        self.fte_spin.setToolTip("The most FTE in post the scenario should have by the month.")
        self.fte_spin.editingFinished.connect(self._on_fte_value)
        self.fte_month = MonthEdit(none_text="End of horizon")
        self.fte_month.setAccessibleName("FTE target month")
        self.fte_month.setToolTip("The month by which the FTE target should be reached.")
        self.fte_month.month_changed.connect(self._on_fte_month)
        self.fte_result = QLabel()
        self.fte_result.setWordWrap(True)
        self.fte_result.setAccessibleName("FTE target result")

        fte_box = QGroupBox("FTE target")
        fte_form = QFormLayout(fte_box)
        fte_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        fte_form.addRow(self.fte_check)
        for text, widget in (("Target FTE &in post", self.fte_spin),
                             ("&By month", self.fte_month)):
            label = QLabel(text)
            label.setBuddy(widget)
            fte_form.addRow(label, widget)
        fte_form.addRow(self.fte_result)
        risk_box, _ = self.add_group("Risk thresholds (Green, Amber, Red)", RISK)

        left = QVBoxLayout()
        left.addWidget(savings_label)
        left.addWidget(self.savings_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.clear_button)
        row.addStretch(1)
        left.addLayout(row)
        right = QVBoxLayout()
        right.addWidget(fte_box)
        right.addWidget(risk_box)
        right.addStretch(1)
        columns = QHBoxLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.problem_label)
        layout.addLayout(columns, 1)
        self.setAccessibleName("Targets")
        model.results_changed.connect(self._on_results_changed)
        self.refresh()

    # -- filling ---------------------------------------------------------------------------
    def fill_extra(self, scenario: Scenario | None) -> None:
        self.savings_model.refresh()
        for w in (self.fte_check, self.fte_spin, self.fte_month):
            w.blockSignals(True)
        if scenario is not None:
            t = scenario.targets
            self.fte_check.setChecked(t.fte_target is not None)
            if t.fte_target is not None:
                self.fte_spin.setValue(t.fte_target)
            self.fte_month.set_horizon(scenario.horizon)
            self.fte_month.set_month(t.fte_target_month)
            self.fte_spin.setEnabled(t.fte_target is not None)
            self.fte_month.setEnabled(t.fte_target is not None)
        for w in (self.fte_check, self.fte_spin, self.fte_month):
            w.blockSignals(False)
        self._fill_fte_result()

    def _fill_fte_result(self) -> None:
        results = self._model.results()
        scenario = self._model.scenario()
        if scenario is None or scenario.targets.fte_target is None:
            self.fte_result.setText("No FTE target is set.")
            return
        if results is None:
            self.fte_result.setText("Working out the expected FTE…")
            return
        k = results.kpis()
        month = month_label(parse_month(k["fte_target_month"]))
        met = "Met" if k["fte_target_met"] else "Not met"
        self.fte_result.setText(f"Expected FTE in post in {month}: "
                                f"{formatting.fte(k['fte_at_target_month'])} ({met})")

    @when_shown
    def _on_results_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self.savings_model.refresh()
            self._fill_fte_result()

    # -- editing ---------------------------------------------------------------------------
    def clear_selected_targets(self) -> None:
        """Remove the savings targets of the selected years (one undo step)."""
        scenario = self._model.scenario()
        rows = sorted({i.row() for i in self.savings_view.selectionModel().selectedIndexes()})
        if scenario is None or not rows:
            return
        years = [self.savings_model.year(r) for r in rows]
        new = scenario
        for year in years:
            new = with_saving_target(new, year, None)
        if new != scenario:
            shown = ", ".join(fy_text(y) for y in years)
            self.apply(new, f"Remove the savings target of {shown}")

    def _on_fte_check(self, checked: bool) -> None:
        scenario = self._model.scenario()
        if scenario is None:
            return
        if not checked:
            new = edit(edit(scenario, "targets.fte_target", None), "targets.fte_target_month",
                       None)
            self.apply(new, "Remove the FTE target")
            return
        value = self.fte_spin.value()
        results = self._model.results()
        if value <= 0 and results is not None:
            value = round(results.kpis()["end_fte_in_post"], 1)
        self.apply(edit(scenario, "targets.fte_target", value),
                   f"Set an FTE target of {number_text(value)} FTE")

    def _on_fte_value(self) -> None:
        scenario = self._model.scenario()
        if scenario is None or scenario.targets.fte_target is None:
            return
        value = self.fte_spin.value()
        if round(scenario.targets.fte_target, 1) == value:
            return
        self.apply(edit(scenario, "targets.fte_target", value),
                   f"Change the FTE target to {number_text(value)} FTE")

    def _on_fte_month(self, month: int | None) -> None:
        scenario = self._model.scenario()
        if scenario is None or month == scenario.targets.fte_target_month:
            return
        when = month_label(month) if month is not None else "the end of the horizon"
        self.apply(edit(scenario, "targets.fte_target_month", month),
                   f"Change the FTE target month to {when}")
