"""Simulation panel: run, progress, cancel, the fan's data, and out-of-date marking."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from planner.scenario_edits import edit
from ui.fan_chart import FanChart
from ui.project_model import ProjectModel
from ui.simulation_panel import NO_SIMULATION, SimulationPanel, SimulationYearTableModel


@pytest.fixture
def panel(qtbot, demo_model):
    widget = SimulationPanel(demo_model)
    qtbot.addWidget(widget)
    return widget


def run(qtbot, panel: SimulationPanel, model, runs: int = 200, seed: str = "1") -> None:
    panel.runs_spin.setValue(runs)
    panel.seed_edit.setText(seed)
    with qtbot.waitSignal(model.simulation_changed, timeout=30000):
        qtbot.mouseClick(panel.run_button, Qt.MouseButton.LeftButton)


def band(panel: SimulationPanel, name: str) -> np.ndarray:
    return panel.fan_chart.series[name].getData()[1]


def test_defaults_and_empty_state(panel) -> None:
    assert (panel.runs_spin.minimum(), panel.runs_spin.maximum()) == (100, 20_000)
    assert panel.runs_spin.value() == 1000 and panel.seed_edit.text() == ""
    assert panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert panel.message_label.text() == NO_SIMULATION
    assert list(panel.fan_chart.series) == ["Message"]


def test_run_draws_the_fan(qtbot, qtmodeltester, panel, demo_model) -> None:
    run(qtbot, panel, demo_model)
    sim = demo_model.simulation_result()
    assert sim is not None and (sim.runs, sim.seed) == (200, 1)
    np.testing.assert_array_equal(band(panel, FanChart.P10), sim.cumulative_net_bands[0])
    np.testing.assert_array_equal(band(panel, FanChart.P50), sim.cumulative_net_bands[1])
    np.testing.assert_array_equal(band(panel, FanChart.P90), sim.cumulative_net_bands[2])
    np.testing.assert_allclose(band(panel, FanChart.EXPECTED),
                               demo_model.results().monthly()["cumulative_net"])
    assert panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert panel.progress.value() == 100
    assert "seed 1" in panel.message_label.text() and "seed 1" in panel.summary_label.text()
    assert "Chance of meeting each year's savings target" in panel.summary_label.text()
    assert panel.year_model.rowCount() == 5
    qtmodeltester.check(panel.year_model)
    chance = panel.year_model.index(1, SimulationYearTableModel.COL_CHANCE).data()
    assert chance == f"{100 * sim.p_meet(2):.0f}%"

    # The selector: FTE in post, then one team's capacity ÷ demand.
    panel.measure_combo.setCurrentIndex(panel.measure_combo.findData("fte"))
    np.testing.assert_array_equal(band(panel, FanChart.P50), sim.fte_bands[1])
    assert not panel.team_combo.isEnabled()
    panel.measure_combo.setCurrentIndex(panel.measure_combo.findData("ratio"))
    assert panel.team_combo.isEnabled() and panel.team_combo.count() > 1
    panel.team_combo.setCurrentIndex(1)
    j = sim.teams.index(panel.team_combo.currentText())
    np.testing.assert_array_equal(band(panel, FanChart.P90), sim.ratio_bands[2, :, j])
    assert panel.team_combo.currentText() in panel.fan_chart.title


def test_cancel_a_long_run(qtbot, panel, demo_model) -> None:
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    panel.runs_spin.setValue(20_000)
    with qtbot.waitSignal(demo_model.simulation.progress, timeout=10000):
        panel.run_button.click()
    assert panel.cancel_button.isEnabled() and not panel.run_button.isEnabled()
    assert not panel.runs_spin.isEnabled()
    with qtbot.waitSignal(demo_model.simulation.cancelled, timeout=20000):
        panel.cancel_button.click()
    assert demo_model.simulation_result() is None
    assert panel.run_button.isEnabled() and not panel.cancel_button.isEnabled()
    assert panel.runs_spin.isEnabled() and panel.progress.value() == 0
    assert "cancelled" in panel.message_label.text()
    # Esc cancels too.
    with qtbot.waitSignal(demo_model.simulation.progress, timeout=10000):
        panel.run_button.click()
    with qtbot.waitSignal(demo_model.simulation.cancelled, timeout=20000):
        qtbot.keyClick(panel.cancel_button, Qt.Key.Key_Escape)
    assert demo_model.simulation_result() is None


def test_an_edit_marks_the_fan_out_of_date(qtbot, panel, demo_model) -> None:
    run(qtbot, panel, demo_model)
    sim = demo_model.simulation_result()
    scenario = demo_model.scenario()
    demo_model.edit_scenario(edit(scenario, "description", "changed"), "Edit description")
    assert demo_model.simulation_result() is None
    assert panel.stale and panel.simulation() is sim
    assert "Out of date" in panel.message_label.text()
    assert panel.fan_chart.title.endswith("(out of date)")
    np.testing.assert_array_equal(band(panel, FanChart.P50), sim.cumulative_net_bands[1])
    assert not panel.run_button.isEnabled()  # until the edited scenario's results are in
    qtbot.waitUntil(panel.run_button.isEnabled, timeout=20000)
    assert panel.stale and "Out of date" in panel.message_label.text()
    demo_model.undo_stack.undo()  # the same scenario object again: up to date
    assert not panel.stale and "(out of date)" not in panel.fan_chart.title

    demo_model.set_current(1)  # another scenario: nothing simulated yet
    assert panel.simulation() is None and panel.message_label.text() == NO_SIMULATION
    demo_model.set_current(0)
    assert panel.simulation() is sim and not panel.stale


def test_failure_is_reported(panel, demo_model) -> None:
    demo_model.simulation.failed.emit("Out of memory.", "")
    assert panel.message_label.text() == "The simulation failed: Out of memory."


def test_without_a_project_nothing_runs(qtbot) -> None:
    model = ProjectModel()
    widget = SimulationPanel(model)
    qtbot.addWidget(widget)
    assert not widget.run_button.isEnabled()
    assert widget.message_label.text() == "No scenario to simulate."
    assert widget.run() is False and "not ready" in widget.message_label.text()
    model.shutdown()


def test_the_fan_survives_a_theme_switch(qtbot, panel, demo_model) -> None:
    run(qtbot, panel, demo_model)
    panel.fan_chart.apply_theme()  # what the main window does for every chart
    sim = demo_model.simulation_result()
    np.testing.assert_array_equal(band(panel, FanChart.P90), sim.cumulative_net_bands[2])
    assert panel.fan_chart.title == "Cumulative net position: range of outcomes"
