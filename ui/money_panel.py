"""The money part of the results dashboard: headline figures, the FTE bridge, savings by
financial year against the MTFP target, the cumulative net position with its payback
month, and the same figures as a table (which screen readers and Excel users read)."""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.chart_data import fy_money_table, payback_text, targets_met
from planner.months import month_label, parse_month
from planner.results import Results
from ui import formatting
from ui.chart_base import Chart
from ui.charts_money import BridgeChart, CumulativeChart, SavingsChart
from ui.deferred import when_shown
from ui.project_model import ProjectModel
from ui.table_model import SORT_ROLE

RUNNING_COST_NOTE = ("Pay, employer's National Insurance, pension, apprenticeship levy and "
                     "recruitment")

#: Rows of the money table: (column of fy_money_table, label, kind, tooltip).
FY_ROWS = (
    ("months", "Months in the horizon", "count", "Part years are not judged against a target"),
    ("baseline_running_cost", "Running cost, baseline", "money",
     f"{RUNNING_COST_NOTE}, with no actions taken"),
    ("running_cost", "Running cost, scenario", "money", f"{RUNNING_COST_NOTE}, this scenario"),
    ("saving", "Recurring saving", "money", "Baseline running cost less the scenario's"),
    ("core_saving", "  of which core budget", "money",
     "Recurring saving less savings on externally funded posts"),
    ("external_saving", "  of which externally funded posts", "money",
     "Savings on posts paid for by grants or other outside funding"),
    ("target", "MTFP target (core budget)", "money", "The medium-term financial plan's saving"),
    ("target_status", "Target met?", "text",
     "Met when the core-budget saving reaches the target; part years are not judged"),
    ("gap", "Over (under) target", "money", "Core-budget saving less the target"),
    ("one_off_total", "One-off costs", "money",
     "Redundancy, pension strain, pay protection, retraining and temporary cover"),
    ("net", "Net saving", "money", "Recurring saving less one-off costs"),
    ("cumulative_net", "Cumulative net position", "money", "Net saving so far"),
)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)


class FinancialYearTableModel(QAbstractTableModel):
    """Money by financial year, years across as in a budget report: one row per measure
    (:data:`FY_ROWS`), one column per financial year after the measure's name."""

    COL_MEASURE = 0  # then one column per financial year
    SortRole = SORT_ROLE

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._years: list[str] = []
        self._text: list[list[str]] = []
        self._raw: list[list[object]] = []

    def set_table(self, table: pd.DataFrame | None) -> None:
        """Show :func:`planner.chart_data.fy_money_table` (None: empty)."""
        self.beginResetModel()
        if table is None or table.empty:
            self._years, self._text, self._raw = [], [], []
        else:
            self._years = table["financial_year"].astype(str).tolist()
            self._text, self._raw = [], []
            for name, _label, kind, _tip in FY_ROWS:
                column = table[name]
                self._text.append(formatting.FORMATTERS[kind](column))
                self._raw.append([None if pd.isna(v) else (v if kind == "text" else float(v))
                                  for v in column])
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()  # noqa: B008
                 ) -> int:
        return 0 if parent.isValid() or not self._years else len(FY_ROWS)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()  # noqa: B008
                    ) -> int:
        return 0 if parent.isValid() else 1 + len(self._years)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        _name, label, kind, tip = FY_ROWS[row]
        if role in (_DISPLAY, self.SortRole):
            if column == self.COL_MEASURE:
                return label
            return self._text[row][column - 1] if role == _DISPLAY else self._raw[row][column - 1]
        if role == _ALIGN:
            return (_LEFT if column == self.COL_MEASURE or kind == "text" else _RIGHT)
        if role == _TOOLTIP and column == self.COL_MEASURE:
            return tip
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
                   ) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section <= len(self._years):
            return None
        if role == _DISPLAY:
            return "Measure" if section == self.COL_MEASURE else self._years[section - 1]
        if role == _ALIGN:
            return _LEFT if section == self.COL_MEASURE else _RIGHT
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class KpiBox(QFrame):
    """One headline figure: a caption, the value in large type and a line of detail."""

    def __init__(self, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.caption = QLabel(caption)
        self.value = QLabel("–")
        self.value.setAccessibleName(caption)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 1.45)
        font.setBold(True)
        self.value.setFont(font)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setSpacing(2)
        for label in (self.caption, self.value, self.detail):
            layout.addWidget(label)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)

    def show_value(self, value: str, detail: str = "") -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.setToolTip(f"{self.caption.text()}: {value}" + (f" ({detail})" if detail else ""))


class MoneyPanel(QWidget):
    """Savings, costs and the FTE bridge of the current scenario."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._shown: Results | None = None

        self.status_label = QLabel()
        self.status_label.setAccessibleName("Money results status")
        self.status_label.setWordWrap(True)
        self.kpis = {key: KpiBox(caption) for key, caption in (
            ("full_year", "Full-year saving"), ("one_off", "One-off costs"),
            ("payback", "Payback"), ("net", "Net position at the end"),
            ("targets", "MTFP targets met"))}
        strip = QHBoxLayout()
        for box in self.kpis.values():
            strip.addWidget(box, 1)

        self.bridge_chart = BridgeChart()
        self.savings_chart = SavingsChart()
        self.cumulative_chart = CumulativeChart()
        for chart in self.charts():
            chart.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Tab reaches it for export

        self.table_model = FinancialYearTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.table_model)
        self.table.setAccessibleName("Money by financial year")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        table_label = QLabel("Mo&ney by financial year:")
        table_label.setBuddy(self.table)
        table_box = QVBoxLayout()
        table_box.addWidget(table_label)
        table_box.addWidget(self.table, 1)

        grid = QGridLayout()
        grid.addWidget(self.savings_chart, 0, 0)
        grid.addWidget(self.cumulative_chart, 0, 1)
        grid.addWidget(self.bridge_chart, 1, 0)
        grid.addLayout(table_box, 1, 1)
        for i in (0, 1):
            grid.setColumnStretch(i, 1)
            grid.setRowStretch(i, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addLayout(strip)
        layout.addLayout(grid, 1)

        model.results_changed.connect(self._on_results_changed)
        model.current_changed.connect(self._on_current_changed)
        model.scenario_changed.connect(self._on_scenario_changed)
        model.scenarios_changed.connect(self._refresh)
        model.establishment_changed.connect(self._on_establishment_changed)
        self._refresh()

    # ----- public ---------------------------------------------------------------------------
    def charts(self) -> list[Chart]:
        return [self.bridge_chart, self.savings_chart, self.cumulative_chart]

    def apply_theme(self) -> None:
        """Follow a light/dark palette switch."""
        for chart in self.charts():
            chart.apply_theme()

    # ----- slots ----------------------------------------------------------------------------
    @when_shown
    def _on_results_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self._refresh()

    @when_shown
    def _on_current_changed(self, _index: int) -> None:
        self._refresh(keep_old=False)

    @when_shown
    def _on_scenario_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self._refresh()

    @when_shown
    def _on_establishment_changed(self, _establishment: object) -> None:
        self._refresh(keep_old=False)

    @when_shown
    def _refresh(self, keep_old: bool = True) -> None:
        """Show the current scenario's results; while they are being worked out after an
        edit, the old charts stay up under a "Computing…" line."""
        model = self._model
        scenario = model.scenario()
        results = model.results()
        if scenario is None:
            self._clear("No scenario to show. Import an establishment and add a scenario.")
            return
        if results is not None:
            self.status_label.setText(f"Scenario “{scenario.name}”: "
                                      f"{scenario.horizon.describe()}.")
            self._show(results)
            return
        error = model.result_error()
        if error is not None:
            self._clear(f"The results of “{scenario.name}” could not be worked out: {error}",
                        "Could not be worked out: see the message above")
        elif keep_old and self._shown is not None:
            self.status_label.setText(f"Computing the results of “{scenario.name}”…")
        else:
            self._clear(f"Computing the results of “{scenario.name}”…", "Computing…")

    def _clear(self, message: str, chart_text: str = "No results to show") -> None:
        self._shown = None
        self.status_label.setText(message)
        for chart in self.charts():
            chart.show_empty(chart_text)
        for box in self.kpis.values():
            box.show_value("–")
        self.table_model.set_table(None)

    def _show(self, results: Results) -> None:
        self._shown = results
        self.bridge_chart.set_bridge(results.bridge())
        self.savings_chart.set_results(results)
        self.cumulative_chart.set_results(results)
        table = fy_money_table(results)
        self.table_model.set_table(table)
        self._show_kpis(results, table)

    def _show_kpis(self, results: Results, table: pd.DataFrame) -> None:
        k = results.kpis()
        if k["full_year"]:
            self.kpis["full_year"].show_value(formatting.money(k["full_year_saving"]),
                                              f"core budget, {k['full_year']}")
        else:
            self.kpis["full_year"].show_value("–", "no whole financial year in the horizon")
        self.kpis["one_off"].show_value(
            formatting.money(k["one_off_costs"]),
            f"redundancy {formatting.money(k['redundancy_cost'])}, pension strain "
            f"{formatting.money(k['pension_strain_estimate'])}")
        if k["payback_month"]:
            self.kpis["payback"].show_value(month_label(parse_month(k["payback_month"])),
                                            "cumulative net position positive from then on")
        else:
            self.kpis["payback"].show_value("None", payback_text(results))
        self.kpis["net"].show_value(formatting.money(k["net_position"]),
                                    f"savings less one-off costs over "
                                    f"{results.scenario.horizon.months} months")
        met, judged = targets_met(table)
        self.kpis["targets"].show_value(
            f"{met} of {judged}" if judged else "–",
            "whole financial years, core-budget savings" if judged else
            "no targets set for whole financial years")
