"""The service dashboard: charts plot the planner's numbers, the heat map drives the charts."""

from __future__ import annotations

import re

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from planner.scenario_edits import remove_items
from planner.service_view import risk_grid, risk_summary
from ui.chart_base import Chart
from ui.risk_heatmap import RiskHeatMap, RiskTableModel
from ui.service_panel import COMPUTING, NO_SCENARIO, ServicePanel


@pytest.fixture
def panel(qtbot, demo_model) -> ServicePanel:
    w = ServicePanel(demo_model)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    return w


def team_column(model, team: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    svc = model.results().service()
    j = svc.teams.index(team)
    return svc.paths.capacity[:, j], svc.paths.demand[:, j], svc.paths.weeks[:, j]


def test_capacity_chart_plots_the_planner_numbers(panel: ServicePanel, demo_model) -> None:
    assert panel.select_team("revenues")  # any case
    chart = panel.capacity_chart
    assert chart.title == "Capacity and demand: Revenues"
    assert "hours" in chart.getPlotItem().getAxis("left").labelText
    capacity, demand, weeks = team_column(demo_model, "Revenues")
    x, y = chart.series["Capacity"].getData()
    assert x == pytest.approx(np.arange(60)) and y == pytest.approx(capacity)
    assert chart.series["Demand"].getData()[1] == pytest.approx(demand)
    assert "Capacity with no actions" in chart.series  # the demo has no pools
    # The shortfall is shaded exactly where capacity < demand (and only there).
    fill = chart.series["Shortfall"]
    assert isinstance(fill, pg.FillBetweenItem) and not fill.path().isEmpty()
    bx, upper = fill.curves[0].getData()
    _, lower = fill.curves[1].getData()
    whole = np.isin(bx, np.arange(60))
    short = demand > capacity + 1e-9
    assert short.any() and (~short).any()
    assert (upper - lower)[whole][short] == pytest.approx((demand - capacity)[short])
    assert np.allclose((upper - lower)[whole][~short], 0.0)
    assert "Shortfall" in [label.text for _, label in chart.legend.items]
    # The hover read-out lists the month and every figure.
    text = chart.readout_text(20)
    assert text.startswith("Dec 2028") and f"Capacity: {capacity[20]:,.0f} hours" in text
    # Backlog: weeks to clear, with the scenario's amber and red limits.
    backlog = panel.backlog_chart
    assert backlog.series["Weeks to clear"].getData()[1] == pytest.approx(weeks)
    assert backlog.series["Amber: 2 weeks"].value() == 2.0
    assert backlog.series["Red: 4 weeks"].value() == 4.0
    assert "weeks" in backlog.getPlotItem().getAxis("left").labelText


def test_go_live_markers_for_the_changes_affecting_the_team(panel: ServicePanel) -> None:
    panel.select_team("Revenues")
    markers = {name: item.value() for name, item in panel.capacity_chart.series.items()
               if name.startswith(("Go-live", "Full effect"))}
    # "New revenues and benefits system": go-live Apr 2028 (month 12 from Apr 2027),
    # 6-month ramp: full effect Sep 2028 (month 17).
    name = "Technology and process: new revenues and benefits system"
    assert markers == {f"Go-live: {name}": 12, f"Full effect: {name}": 17}
    assert "goes live in Apr 2028" in panel.changes_label.text()
    panel.select_team("Development Management")  # no change affects it
    assert not [n for n in panel.capacity_chart.series if n.startswith("Go-live")]
    assert "No change" in panel.changes_label.text()


def test_default_team_summary_and_units(panel: ServicePanel, demo_model) -> None:
    svc = demo_model.results().service()
    red = (svc.paths.rag == 2).sum(0)
    assert red[svc.teams.index(panel.current_team())] == red.max()
    assert panel.summary.text() == risk_summary(risk_grid(svc))
    assert panel.summary.text().startswith(f"{svc.kpis()['teams_ever_red']} teams go red")
    panel.unit_combo.setCurrentIndex(panel.unit_combo.findData("fte"))
    capacity, _, _ = team_column(demo_model, panel.current_team())
    y = panel.capacity_chart.series["Capacity"].getData()[1]
    assert y == pytest.approx(capacity / svc.inputs.hours_per_fte_month)
    assert "FTE" in panel.capacity_chart.getPlotItem().getAxis("left").labelText
    assert all(isinstance(c, Chart) for c in panel.charts()) and len(panel.charts()) == 2


def test_heat_map_cells_match_the_planner(panel: ServicePanel, demo_model,
                                          qtmodeltester) -> None:
    model = panel.heat_map.model
    results = demo_model.results()
    letters = [model.index(r, c).data() for r in range(model.rowCount())
               for c in range(model.columnCount())]
    assert letters.count("R") == results.kpis()["red_team_months"]
    assert model.columnCount() == 60
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Apr 27"
    svc = results.service()
    row = model.row_of("Revenues")
    j = svc.teams.index("Revenues")
    col = 18  # Oct 2028
    cell = model.index(row, col)
    status = ("Green", "Amber", "Red")[int(svc.paths.rag[col, j])]
    assert cell.data() == status[0]
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"Revenues, Oct 2028: {status} — capacity "
                          f"{svc.paths.ratio[col, j] * 100:.0f}% of demand")
    assert re.search(r"backlog [\d.]+ weeks$", tip)
    assert cell.data(RiskTableModel.SortRole) == int(svc.paths.rag[col, j])
    # Teams are ordered most red months first.
    reds = [sum(model.index(r, c).data() == "R" for c in range(60))
            for r in range(model.rowCount())]
    assert reds == sorted(reds, reverse=True)
    qtmodeltester.check(model)


def test_clicking_a_cell_shows_that_team(qtbot, panel: ServicePanel) -> None:
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.heat_map.view
    index = view.model().index(view.model().row_of("Libraries"), 5)
    view.scrollTo(index)
    with qtbot.waitSignal(panel.heat_map.team_clicked) as blocker:
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton,
                         pos=view.visualRect(index).center())
    assert blocker.args == ["Libraries", 5]
    assert panel.current_team() == "Libraries"
    assert panel.capacity_chart.title.endswith("Libraries")
    # Enter on a cell does the same from the keyboard.
    index = view.model().index(view.model().row_of("Benefits"), 0)
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert panel.current_team() == "Benefits"
    assert {i.row() for i in view.selectionModel().selectedIndexes()} == {index.row()}
    # Clicking a team's name works too; typing a name in the team box chooses it.
    view.verticalHeader().sectionClicked.emit(view.model().row_of("Revenues"))
    assert panel.current_team() == "Revenues"
    panel.team_combo.lineEdit().setText("payroll")
    panel.team_combo.lineEdit().editingFinished.emit()
    assert panel.current_team() == "Payroll"
    panel.team_combo.lineEdit().setText("no such team")
    panel.team_combo.lineEdit().editingFinished.emit()
    assert panel.current_team() == "Payroll" and panel.team_combo.currentText() == "Payroll"


def test_editing_the_scenario_redraws(qtbot, panel: ServicePanel, demo_model) -> None:
    panel.select_team("Contact Centre")
    before = panel.capacity_chart.series["Capacity"].getData()[1].copy()
    scenario = demo_model.scenario()
    assert "Contact Centre" in scenario.actions[0].label
    with qtbot.waitSignal(demo_model.results_changed, timeout=30000):
        demo_model.edit_scenario(remove_items(scenario, "actions", [0]), "Remove a cut")
        assert panel.summary.text() == COMPUTING  # old charts stay while it computes
    after = panel.capacity_chart.series["Capacity"].getData()[1]
    capacity, _, _ = team_column(demo_model, "Contact Centre")
    assert after == pytest.approx(capacity)
    assert after[5] > before[5] + 100  # 20 FTE no longer cut
    assert panel.current_team() == "Contact Centre"  # the chosen team is kept
    assert panel.summary.text() != COMPUTING


def test_messages_without_results(qtbot, demo_model, monkeypatch) -> None:
    from ui.project_model import ProjectModel

    empty = ProjectModel()
    w = ServicePanel(empty)
    qtbot.addWidget(w)
    assert w.stack.currentWidget() is w.message and w.message.text() == NO_SCENARIO
    panel = ServicePanel(demo_model)
    qtbot.addWidget(panel)
    assert panel.stack.currentWidget() is panel.splitter
    monkeypatch.setattr(demo_model, "results", lambda index=None: None)
    monkeypatch.setattr(demo_model, "result_error", lambda index=None: "The scenario has no teams.")
    demo_model.results_changed.emit(demo_model.current_index())
    assert panel.stack.currentWidget() is panel.message
    assert panel.message.text() == "The scenario has no teams."
    empty.shutdown()


def test_switching_scenario_dark_palette_copy_and_export(qtbot, panel: ServicePanel, demo_model,
                                                         tmp_path) -> None:
    with qtbot.waitSignal(demo_model.current_changed):
        demo_model.set_current(1)
    assert panel.summary.text() == risk_summary(risk_grid(demo_model.results(1).service()))
    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    app = QApplication.instance()
    light = app.palette()
    app.setPalette(dark)  # the charts follow the application palette
    try:
        qtbot.waitUntil(  # palette changes arrive as posted events
            lambda: panel.capacity_chart.backgroundBrush().color() == QColor(30, 30, 30))
        assert "Capacity" in panel.capacity_chart.series  # redrawn in the new colours
    finally:
        app.setPalette(light)
        qtbot.waitUntil(
            lambda: panel.capacity_chart.backgroundBrush().color() != QColor(30, 30, 30))
    panel.heat_map.copy()
    lines = QGuiApplication.clipboard().text().splitlines()
    assert lines[0].startswith("Team\tApr 2027")
    assert len(lines) == panel.heat_map.model.rowCount() + 1
    path = panel.capacity_chart.export_png(tmp_path / "capacity.png", 800, 500)
    assert path.stat().st_size > 0


def test_heat_map_alone(qtbot, qtmodeltester) -> None:
    heat = RiskHeatMap()
    qtbot.addWidget(heat)
    qtmodeltester.check(heat.model)  # empty
    assert not heat.select_team("Anyone")
    assert heat.model.as_text() == ""
