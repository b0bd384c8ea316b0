"""The Monte Carlo part of the results dashboard: run a simulation of the current scenario
(with progress and Cancel), then its fan chart and what it says in words.

A simulation belongs to one scenario object. After an edit the model no longer returns
it (:meth:`ProjectModel.simulation_result` is None), but the panel keeps showing it,
greyed and marked "out of date", until it is run again.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QIntValidator, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.chart_data import (
    FAN_MEASURES,
    fan_data,
    fan_teams,
    simulation_sentences,
    simulation_year_table,
)
from planner.montecarlo import DEFAULT_RUNS, MAX_RUNS, Simulation
from planner.results import Results
from planner.scenario import Scenario
from ui.chart_base import Chart
from ui.deferred import when_shown
from ui.errors import show_error
from ui.establishment_view import configure_table
from ui.fan_chart import FanChart
from ui.project_model import ProjectModel
from ui.table_model import ColumnSpec, FrameTableModel

MIN_RUNS = 100
NO_SIMULATION = ("No simulation of this scenario yet. Choose the number of simulations and "
                 "press Run simulation (Alt+R).")
OUT_OF_DATE = ("⚠ Out of date: the scenario has changed since this simulation was run. "
               "Run it again.")

YEAR_SPECS = (
    ColumnSpec("financial_year", "Year", "text", "Financial year"),
    ColumnSpec("target", "MTFP target", "money", "Core-budget saving the plan needs"),
    ColumnSpec("chance", "Chance met", "text",
               "Share of simulated futures meeting the target (whole years only)"),
    ColumnSpec("core_saving_p10", "P10", "money",
               "Core-budget saving in a bad future: 1 in 10 do worse"),
    ColumnSpec("core_saving_p50", "P50", "money", "Core-budget saving, middle future"),
    ColumnSpec("core_saving_p90", "P90", "money",
               "Core-budget saving in a good future: 1 in 10 do better"),
)


class SimulationYearTableModel(FrameTableModel):
    """Core-budget saving per financial year across the simulated futures."""

    COL_YEAR, COL_TARGET, COL_CHANCE, COL_P10, COL_P50, COL_P90 = range(6)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(YEAR_SPECS, parent)


class SimulationPanel(QWidget):
    """Run the Monte Carlo simulation and show its range of outcomes."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._sim: Simulation | None = None
        self._sim_results: Results | None = None  # the expected-value run it varies around
        self._sim_scenario: Scenario | None = None
        self._sim_index = -1
        self._run_index = -1
        self.stale = False

        self.runs_spin = QSpinBox()
        self.runs_spin.setRange(MIN_RUNS, MAX_RUNS)
        self.runs_spin.setSingleStep(100)
        self.runs_spin.setValue(DEFAULT_RUNS)
        self.runs_spin.setGroupSeparatorShown(True)
        self.runs_spin.setAccessibleName("Number of simulations")
        runs_label = QLabel("&Number of simulations:")
        runs_label.setBuddy(self.runs_spin)
        self.seed_edit = QLineEdit()
        self.seed_edit.setValidator(QIntValidator(0, 2**31 - 1, self))
        self.seed_edit.setPlaceholderText("random")
        self.seed_edit.setAccessibleName("Seed (blank for a random seed)")
        self.seed_edit.setToolTip("The same seed and number of simulations give the same "
                                  "results. Leave blank for a new random seed.")
        seed_label = QLabel("Seed (b&lank for random):")
        seed_label.setBuddy(self.seed_edit)
        self.run_button = QPushButton("&Run simulation")
        self.run_button.setDefault(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, 100)
        self.progress.setAccessibleName("Simulation progress")
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setToolTip("Stop the simulation (Esc)")
        self.cancel_button.setAccessibleName("Cancel simulation")
        self.run_button.setAccessibleName("Run simulation")
        self.cancel_button.setEnabled(False)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self._on_cancel,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        controls = QHBoxLayout()
        for widget in (runs_label, self.runs_spin, seed_label, self.seed_edit, self.run_button):
            controls.addWidget(widget)
        controls.addWidget(self.progress, 1)
        controls.addWidget(self.cancel_button)
        self.message_label = QLabel()
        self.message_label.setAccessibleName("Simulation status")
        self.message_label.setWordWrap(True)

        self.measure_combo = QComboBox()
        for key, (text, _axis) in FAN_MEASURES.items():
            self.measure_combo.addItem(text, key)
        measure_label = QLabel("Sho&w:")
        measure_label.setBuddy(self.measure_combo)
        self.measure_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.team_combo = QComboBox()
        self.team_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.team_combo.setEnabled(False)
        self.team_combo.setAccessibleName("Team")
        team_label = QLabel("&Team:")
        team_label.setBuddy(self.team_combo)
        picker = QHBoxLayout()
        for item in (measure_label, self.measure_combo, team_label, self.team_combo):
            picker.addWidget(item)
        picker.addStretch(1)
        self.fan_chart = FanChart()
        self.fan_chart.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        left = QVBoxLayout()
        left.addLayout(picker)
        left.addWidget(self.fan_chart, 1)

        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary_label.setAccessibleName("What the simulation says")
        self.summary_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.year_model = SimulationYearTableModel(self)
        self.year_table = QTableView()
        self.year_table.setModel(self.year_model)
        self.year_table.setAccessibleName("Savings targets across the simulated futures")
        configure_table(self.year_table)
        self.year_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        year_label = QLabel("Core-budget saving per &year across the simulated futures "
                            "(P10: 1 in 10 do worse; P90: 1 in 10 do better):")
        year_label.setWordWrap(True)
        year_label.setBuddy(self.year_table)
        box = QGroupBox("What the simulation says")
        right = QVBoxLayout(box)
        right.addWidget(year_label)
        right.addWidget(self.year_table)
        right.addWidget(self.summary_label, 1)

        body = QHBoxLayout()
        body.addLayout(left, 5)
        body.addWidget(box, 4)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.message_label)
        layout.addLayout(body, 1)

        self.run_button.clicked.connect(self._on_run)
        self.cancel_button.clicked.connect(self._on_cancel)
        self.measure_combo.currentIndexChanged.connect(self._draw)
        self.team_combo.currentIndexChanged.connect(self._draw)
        runner = model.simulation
        runner.progress.connect(self._on_progress)
        runner.running_changed.connect(self._on_running_changed)
        runner.cancelled.connect(self._on_cancelled)
        runner.failed.connect(self._on_failed)
        runner.finished.connect(self._on_finished)
        model.simulation_changed.connect(self._on_simulation_changed)
        for signal in (model.results_changed, model.scenario_changed, model.current_changed):
            signal.connect(self._on_index_signal)
        model.scenarios_changed.connect(self._on_scenarios_changed)
        model.establishment_changed.connect(self._on_establishment_changed)
        self._refresh()

    # ----- public -------------------------------------------------------------------------
    def charts(self) -> list[Chart]:
        return [self.fan_chart]

    def simulation(self) -> Simulation | None:
        """The simulation on show (possibly out of date, see :attr:`stale`)."""
        return self._sim

    def apply_theme(self) -> None:
        """Follow a light/dark palette switch (the main window also does this per chart)."""
        self.fan_chart.apply_theme()

    def run(self) -> bool:
        """Simulate the current scenario with the runs and seed entered (the Run button,
        or the main window's Run simulation action); False if its results are not ready."""
        text = self.seed_edit.text().strip()
        seed = int(text) if text else None
        self._run_index = self._model.current_index()
        started = self._model.run_simulation(self.runs_spin.value(), seed)
        if started:
            self.progress.setValue(0)
            self.message_label.setText("Starting the simulation…")
        else:
            self.message_label.setText("The scenario's results are not ready yet; "
                                       "run the simulation when they are.")
        self._update_buttons()
        return started

    # ----- running --------------------------------------------------------------------------
    def _on_run(self) -> None:
        self.run()

    def _on_cancel(self) -> None:
        if self._model.simulation.is_running():
            self.message_label.setText("Cancelling…")
            self._model.simulation.cancel()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(100 * fraction))
        self.message_label.setText(message)

    def _on_running_changed(self, _running: bool) -> None:
        self._update_buttons()
        if self._sim is None:
            self._draw()  # the empty chart says whether a simulation is under way

    def _on_cancelled(self) -> None:
        self.progress.setValue(0)
        self.message_label.setText("Simulation cancelled; nothing was changed.")

    def _on_failed(self, message: str, details: str) -> None:
        self.progress.setValue(0)
        self.message_label.setText(f"The simulation failed: {message}")
        show_error(self, message, details, "Simulation")

    def _on_finished(self, outcome: tuple[Scenario, Simulation, int]) -> None:
        scenario, sim = outcome[0], outcome[1]
        if self._model.index_of(scenario) >= 0:
            return  # simulation_changed brings it
        # The scenario was edited while the simulation ran: show it, out of date.
        if self._run_index == self._model.current_index():
            self._sim, self._sim_results, self._sim_scenario = sim, None, scenario
            self._sim_index = self._run_index
            self._refresh()

    def _on_simulation_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self.progress.setValue(100)
            self._refresh()

    def _update_buttons(self) -> None:
        running = self._model.simulation.is_running()
        self.run_button.setEnabled(not running and self._model.results() is not None)
        self.cancel_button.setEnabled(running)
        self.runs_spin.setEnabled(not running)
        self.seed_edit.setEnabled(not running)

    # ----- what is shown ----------------------------------------------------------------------
    @when_shown
    def _on_index_signal(self, _index: int) -> None:
        self._refresh()

    @when_shown
    def _on_scenarios_changed(self) -> None:
        scenario = self._sim_scenario
        if scenario is not None and self._model.index_of(scenario) >= 0:
            self._sim_index = self._model.index_of(scenario)
        self._refresh()

    @when_shown
    def _on_establishment_changed(self, _establishment: object) -> None:
        self._sim = self._sim_results = self._sim_scenario = None
        self._sim_index = -1
        self._refresh()

    def _refresh(self) -> None:
        """Show the current scenario's simulation, the last one out of date, or nothing."""
        model = self._model
        index = model.current_index()
        fresh = model.simulation_result(index)
        if fresh is not None:
            if fresh is not self._sim or self.stale or self._sim_results is None:
                self._sim, self._sim_scenario, self._sim_index = fresh, model.scenario(index), index
                self._sim_results = model.results(index)
            self.stale = False
        elif self._sim is not None and self._sim_index == index:
            self.stale = True
        else:
            self._sim = self._sim_results = self._sim_scenario = None
            self.stale = False
        self._update_buttons()
        if not model.simulation.is_running():
            if self._sim is None:
                self.message_label.setText(NO_SIMULATION if model.scenario() is not None
                                           else "No scenario to simulate.")
            elif self.stale:
                self.message_label.setText(OUT_OF_DATE)
            else:
                self.message_label.setText(f"Simulation of “{model.scenario().name}” "
                                           f"({self._sim.runs:,} futures, seed {self._sim.seed}).")
        self._fill_teams()
        self._draw()

    def _fill_teams(self) -> None:
        teams = fan_teams(self._sim) if self._sim is not None else []
        current = self.team_combo.currentText()
        if teams == [self.team_combo.itemText(i) for i in range(self.team_combo.count())]:
            return
        self.team_combo.blockSignals(True)
        self.team_combo.clear()
        self.team_combo.addItems(teams)
        if current in teams:
            self.team_combo.setCurrentText(current)
        self.team_combo.blockSignals(False)

    def _draw(self) -> None:
        measure = self.measure_combo.currentData()
        self.team_combo.setEnabled(measure == "ratio" and self.team_combo.count() > 0)
        sim = self._sim
        if sim is None:
            self.fan_chart.set_fan(None, message="Simulating…" if self._model.simulation
                                   .is_running() else "No simulation yet: press Run simulation")
            self.summary_label.setText("")
            self.year_model.set_frame(self.year_model.frame.iloc[0:0])
            return
        team = self.team_combo.currentText() or None
        self.fan_chart.set_fan(fan_data(sim, self._sim_results, measure, team), self.stale)
        lines = simulation_sentences(sim)
        if self.stale:
            lines.insert(0, OUT_OF_DATE)
        self.summary_label.setText("\n\n".join(lines))
        self.year_model.set_frame(simulation_year_table(sim))
        self.year_table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        table = self.year_table  # as tall as its rows: the sentences get the rest
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                             + self.year_model.rowCount() * table.verticalHeader()
                             .defaultSectionSize() + table.horizontalScrollBar()
                             .sizeHint().height())
