"""Money panel: the bridge, savings and cumulative charts plot the scenario's figures."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from planner.scenario_edits import edit
from ui.chart_base import Chart
from ui.charts_money import BridgeChart, CumulativeChart, SavingsChart
from ui.money_panel import FY_ROWS, FinancialYearTableModel, MoneyPanel


@pytest.fixture
def panel(qtbot, demo_model):
    widget = MoneyPanel(demo_model)
    qtbot.addWidget(widget)
    return widget


def bar_heights(chart: BridgeChart) -> np.ndarray:
    """Height of each bridge bar by its x position, whichever series it is in."""
    heights = np.full(len(chart.waterfall.labels), np.nan)
    for name, _colour, _hatch in chart.KINDS.values():
        if name in chart.series:
            opts = chart.series[name].opts
            heights[np.asarray(opts["x"], dtype=int)] = opts["height"]
    return heights


def test_bridge_bars_are_the_bridge(panel, demo_model) -> None:
    bridge = demo_model.results().bridge()
    values = np.array([v for _, v in bridge])
    np.testing.assert_allclose(bar_heights(panel.bridge_chart), np.abs(values))
    start, *steps, end = values
    assert start + sum(steps) == pytest.approx(end)
    down = panel.bridge_chart.series[BridgeChart.KINDS["decrease"][0]].opts
    # "Deletions and reductions" (x = 1) hangs from the start level down by its size.
    assert down["y0"][0] == pytest.approx(start + values[1])
    labels = [label.toPlainText() for label in panel.bridge_chart._labels]
    assert labels[1] == f"\u2212{abs(values[1]):.1f}" and labels[3].startswith("+")
    assert "Deletions and reductions" in panel.bridge_chart.readout_text(1)


def test_savings_bars_and_targets(panel, demo_model) -> None:
    fy = demo_model.results().by_financial_year()
    series = panel.savings_chart.series
    core = series[SavingsChart.SAVING].opts["height"]
    external = series[SavingsChart.EXTERNAL].opts["height"]
    np.testing.assert_allclose(core, fy["core_saving"])
    np.testing.assert_allclose(np.asarray(core) + np.asarray(external), fy["saving"])
    np.testing.assert_allclose(series[SavingsChart.ONE_OFF].opts["height"], fy["one_off_total"])
    _x, y = series[SavingsChart.TARGET].getData()
    # The demo's MTFP targets: £1.5m in 2027/28, then £2.4m a year.
    np.testing.assert_allclose(y[::3], [1_500_000, 2_400_000, 2_400_000, 2_400_000, 2_400_000])
    assert [v for _, v in demo_model.scenario().targets.savings_by_fy] == list(y[::3])
    assert "MTFP target" in [label.text for _sample, label in panel.savings_chart.legend.items]
    assert "Running cost, baseline" in panel.savings_chart.readout_text(0)


def test_cumulative_and_payback(panel, demo_model) -> None:
    results = demo_model.results()
    _x, y = panel.cumulative_chart.series[CumulativeChart.NET].getData()
    np.testing.assert_allclose(y, results.monthly()["cumulative_net"])
    assert results.payback_month() == "2027-07"
    assert panel.cumulative_chart.series["Payback"].value() == 3  # Apr, May, Jun, Jul
    assert panel.cumulative_chart.series["Payback"].label.toPlainText() == "Payback Jul 2027"
    assert panel.kpis["payback"].value.text() == "Jul 2027"
    assert panel.kpis["targets"].value.text() == "5 of 5"


def test_another_scenario_and_an_edit_change_the_charts(qtbot, panel, demo_model) -> None:
    demo_model.set_current(1)  # "Gated by go-live" pays back in December 2028
    assert panel.cumulative_chart.series["Payback"].value() == 20
    old = panel.savings_chart.series[SavingsChart.SAVING].opts["height"].copy()
    scenario = demo_model.scenario()
    demo_model.edit_scenario(edit(scenario, "actions", ()), "Remove every action")
    assert "Computing" in panel.status_label.text()  # old charts stay until the new ones
    qtbot.waitUntil(lambda: demo_model.results() is not None, timeout=20000)
    new = panel.savings_chart.series[SavingsChart.SAVING].opts["height"]
    np.testing.assert_allclose(new, demo_model.results().by_financial_year()["core_saving"])
    assert not np.allclose(new, old)
    assert panel.cumulative_chart.payback is None
    assert panel.cumulative_chart.note.toPlainText() == "No one-off costs to pay back"


def test_an_error_is_a_sentence_and_clears_the_charts(panel, demo_model, monkeypatch) -> None:
    monkeypatch.setattr(demo_model, "results", lambda index=None: None)
    monkeypatch.setattr(demo_model, "result_error", lambda index=None: "No posts match.")
    demo_model.results_changed.emit(demo_model.current_index())
    assert panel.status_label.text().endswith("could not be worked out: No posts match.")
    for chart in panel.charts():
        assert list(chart.series) == ["Message"]
    assert panel.table_model.rowCount() == 0


def test_table_model_and_charts(qtmodeltester, panel, demo_model, tmp_path) -> None:
    model = panel.table_model
    qtmodeltester.check(model)
    assert model.rowCount() == len(FY_ROWS) and model.columnCount() == 6
    assert model.headerData(1, Qt.Orientation.Horizontal) == "2027/28"
    row = [name for name, *_ in FY_ROWS].index("target_status")
    assert model.index(row, 1).data() == "Met"
    saving = [name for name, *_ in FY_ROWS].index("saving")
    fy = demo_model.results().by_financial_year()
    assert model.index(saving, 2).data(FinancialYearTableModel.SortRole) == \
        pytest.approx(fy["saving"].iloc[1])
    charts = panel.charts()
    assert len(charts) == 3 and all(isinstance(c, Chart) for c in charts)
    assert all(c.title and c.legend.items for c in charts)
    assert charts[0].export_png(tmp_path / "bridge.png").stat().st_size > 0
    panel.apply_theme()
    qtmodeltester.check(FinancialYearTableModel())


def test_a_theme_switch_redraws_in_the_new_colours(panel, demo_model) -> None:
    from PySide6.QtGui import QColor, QPalette
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    old = app.palette()
    dark = QPalette(old)
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    app.setPalette(dark)
    try:
        panel.apply_theme()
        target = panel.savings_chart.series[SavingsChart.TARGET]
        assert target.opts["pen"].color() == QColor(230, 230, 230)
        assert panel.bridge_chart._labels[0].color == QColor(230, 230, 230)
        _x, y = panel.cumulative_chart.series[CumulativeChart.NET].getData()
        np.testing.assert_allclose(y, demo_model.results().monthly()["cumulative_net"])
    finally:
        app.setPalette(old)
