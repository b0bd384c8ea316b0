"""The "Service" part of the results dashboard: can each team still meet its demand?

For the current scenario: a team chooser (type to search; it starts on the team
with the most red months), that team's capacity against demand with the shortfall
shaded and go-live dates marked, the weeks it would take to clear its backlog, and
the teams × months risk heat map below; clicking a cell shows that team. A line
at the top sums up the risk ("7 teams go red …"). Everything shown comes from
:mod:`planner.service_view`; this panel only lays it out and follows the model.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from planner.results import Results
from planner.service_view import (
    UNIT_LABELS,
    RiskGrid,
    Unit,
    default_team,
    risk_grid,
    risk_summary,
    team_series,
)
from ui.chart_base import Chart
from ui.charts_service import BacklogChart, CapacityChart
from ui.deferred import when_shown
from ui.project_model import ProjectModel
from ui.risk_heatmap import RiskHeatMap

COMPUTING = "Computing…"
NO_SCENARIO = "Add a scenario to see whether each team can still meet its demand."


class ServicePanel(QWidget):
    """Capacity, backlog and risk per team for the model's current scenario."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._results: Results | None = None
        self._grid: RiskGrid | None = None
        self._shown_index = -1
        self.setAccessibleName("Service capacity and risk")

        self.team_combo = QComboBox()
        self.team_combo.setEditable(True)
        self.team_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.team_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.team_combo.setAccessibleName("Team")
        completer = QCompleter(self.team_combo.model(), self.team_combo)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.team_combo.setCompleter(completer)
        team_label = QLabel("&Team:")
        team_label.setBuddy(self.team_combo)

        self.unit_combo = QComboBox()
        self.unit_combo.setAccessibleName("Units of capacity and demand")
        for key, text in UNIT_LABELS.items():
            self.unit_combo.addItem(text, key)
        unit_label = QLabel("U&nits:")
        unit_label.setBuddy(self.unit_combo)

        self.summary = QLabel()
        self.summary.setAccessibleName("Service risk summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)

        top = QHBoxLayout()
        top.addWidget(team_label)
        top.addWidget(self.team_combo)
        top.addSpacing(12)
        top.addWidget(unit_label)
        top.addWidget(self.unit_combo)
        top.addSpacing(18)
        top.addWidget(self.summary, 1)

        self.capacity_chart = CapacityChart()
        self.backlog_chart = BacklogChart()
        self.changes_label = QLabel()
        self.changes_label.setWordWrap(True)
        self.changes_label.setAccessibleName("Changes affecting the team")
        self.changes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heat_map = RiskHeatMap()

        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.capacity_chart)
        charts.addWidget(self.backlog_chart)
        charts.setStretchFactor(0, 3)
        charts.setStretchFactor(1, 2)
        charts.setChildrenCollapsible(False)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addWidget(charts, 1)
        upper_layout.addWidget(self.changes_label)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(upper)
        self.splitter.addWidget(self.heat_map)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setChildrenCollapsible(False)

        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Service dashboard status")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.splitter)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.setTabOrder(self.team_combo, self.unit_combo)
        self.setTabOrder(self.unit_combo, self.heat_map.view)

        self.team_combo.currentIndexChanged.connect(self._on_team_chosen)
        line_edit = self.team_combo.lineEdit()
        if line_edit is not None:
            line_edit.editingFinished.connect(self._on_team_typed)
        self.unit_combo.currentIndexChanged.connect(self._on_unit_chosen)
        self.heat_map.team_clicked.connect(self._on_cell_clicked)
        model.results_changed.connect(self._on_results_changed)
        model.current_changed.connect(self._on_current_changed)
        model.scenario_changed.connect(self._on_results_changed)
        model.scenarios_changed.connect(self._refresh)
        self._refresh()

    # ----- public ---------------------------------------------------------------------------
    def charts(self) -> list[Chart]:
        """The chart widgets (for "Export chart as PNG…")."""
        return [self.capacity_chart, self.backlog_chart]

    def current_team(self) -> str | None:
        """The team shown (not half-typed search text)."""
        i = self.team_combo.currentIndex()
        return self.team_combo.itemText(i) if i >= 0 else None

    def select_team(self, name: str) -> bool:
        """Show ``name``'s charts (matched ignoring case); False if the team is not shown."""
        i = self.team_combo.findText(name, Qt.MatchFlag.MatchFixedString)
        if i < 0:
            return False
        if i == self.team_combo.currentIndex():
            self._draw()
        else:
            self.team_combo.setCurrentIndex(i)  # draws through _on_team_chosen
        return True

    def unit(self) -> Unit:
        return "fte" if self.unit_combo.currentData() == "fte" else "hours"

    # ----- following the model ------------------------------------------------------------------
    @when_shown
    def _on_results_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self._refresh()

    @when_shown
    def _on_current_changed(self, _index: int) -> None:
        self._refresh()

    @when_shown
    def _refresh(self) -> None:
        model = self._model
        results = model.results()
        if results is None:
            self._show_waiting()
            return
        if results is self._results and self.stack.currentWidget() is self.splitter:
            self.summary.setText(risk_summary(self._grid) if self._grid else "")
            return
        self._results = results
        self._shown_index = model.current_index()
        self._grid = grid = risk_grid(results.service())
        self.heat_map.set_grid(grid, results.scenario.targets.risk)
        self.summary.setText(risk_summary(grid))
        keep = self.current_team()
        teams = sorted(grid.teams, key=str.casefold)
        self.team_combo.blockSignals(True)
        self.team_combo.clear()
        self.team_combo.addItems(teams)
        wanted = keep if keep in teams else default_team(grid)
        self.team_combo.setCurrentIndex(teams.index(wanted) if wanted in teams else -1)
        self.team_combo.blockSignals(False)
        self.stack.setCurrentWidget(self.splitter)
        self._draw()

    def _show_waiting(self) -> None:
        model = self._model
        error = model.result_error()
        if model.scenario() is None:
            text = NO_SCENARIO
        elif error:
            text = error
        else:
            text = COMPUTING
        self.summary.setText(text if self.stack.currentWidget() is self.splitter else "")
        other = self._shown_index != model.current_index()  # never another scenario's charts
        if error or model.scenario() is None or self._results is None or other:
            self._results = None
            self.message.setText(text)
            self.stack.setCurrentWidget(self.message)

    # ----- drawing --------------------------------------------------------------------------
    def _draw(self) -> None:
        team = self.current_team()
        if self._results is None or not team:
            self.capacity_chart.show_series(None)
            self.backlog_chart.show_series(None)
            self.changes_label.setText("")
            return
        series = team_series(self._results, team, self.unit())
        self.capacity_chart.show_series(series)
        self.backlog_chart.show_series(series)
        changes = [m.describe() for m in series.markers]
        self.changes_label.setText(
            f"Changes affecting {series.team}: " + "; ".join(changes) + "."
            if changes else f"No change in this scenario affects {series.team}.")
        self.heat_map.select_team(series.team)

    def _on_team_chosen(self, _index: int) -> None:
        self._draw()

    def _on_team_typed(self) -> None:
        """Typed text that names no team goes back to the team shown."""
        combo = self.team_combo
        i = combo.findText(combo.currentText(), Qt.MatchFlag.MatchFixedString)
        if i >= 0 and i != combo.currentIndex():
            combo.setCurrentIndex(i)  # draws through _on_team_chosen
        else:
            combo.setEditText(self.current_team() or "")

    def _on_unit_chosen(self, _index: int) -> None:
        self._draw()

    def _on_cell_clicked(self, team: str, _month: int) -> None:
        self.select_team(team)
