"""The comparison view: ticking scenarios, the KPI table, copying, and overlaid charts."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from planner.scenario_edits import edit
from ui.compare_view import (
    BEST_MARK,
    PLAIN_ROLE,
    SORT_ROLE,
    TOO_MANY,
    CompareTableModel,
    CompareView,
)


@pytest.fixture
def view(qtbot, demo_model) -> CompareView:
    w = CompareView(demo_model)
    qtbot.addWidget(w)
    w.resize(1400, 900)
    return w


def _item(view: CompareView, row: int):
    return view.scenario_list.item(row)


def test_first_three_ticked_by_default(qtmodeltester, view, demo_model) -> None:
    assert view.ticked_indices() == [0, 1, 2]
    model = view.table_model
    assert model.columnCount() == 1 + 3
    assert model.scenarios == [s.name for s in demo_model.scenarios]
    assert all(_item(view, r).checkState() == Qt.CheckState.Checked for r in range(3))
    qtmodeltester.check(model)
    qtmodeltester.check(CompareTableModel())
    # the best value of a row: "★ best" in the text and bold, not colour alone
    row = model.row_of("red_team_months")
    gated = CompareTableModel.COL_FIRST_SCENARIO + 1
    assert model.index(row, gated).data() == f"164   {BEST_MARK}"
    assert model.index(row, gated).data(Qt.ItemDataRole.FontRole).bold()
    assert model.index(row, gated).data(PLAIN_ROLE) == "164"
    assert model.index(row, gated).data(SORT_ROLE) == 164.0
    first = CompareTableModel.COL_FIRST_SCENARIO
    assert model.index(row, first).data() == "351"
    assert model.index(row, first).data(Qt.ItemDataRole.FontRole) is None
    assert model.index(model.row_of("p_meet_year_2_target"), first).data() == \
        "—, run a simulation"


def test_tick_and_untick_and_rename(view, demo_model) -> None:
    _item(view, 1).setCheckState(Qt.CheckState.Unchecked)
    assert view.ticked_indices() == [0, 2]
    assert view.table_model.scenarios == [demo_model.scenarios[i].name for i in (0, 2)]
    assert set(view.charts["cumulative_net"].series) == {demo_model.scenarios[i].name
                                                         for i in (0, 2)}
    _item(view, 1).setCheckState(Qt.CheckState.Checked)
    assert view.ticked_indices() == [0, 1, 2]
    _item(view, 0).setCheckState(Qt.CheckState.Unchecked)
    _item(view, 1).setCheckState(Qt.CheckState.Unchecked)
    assert "at least 2" in view.message_label.text()
    view.set_ticked([0, 2])
    demo_model.edit_scenario(replace(demo_model.scenarios[2], name="Renamed"), "Rename",
                             index=2)
    assert view.ticked_indices() == [0, 2]  # a renamed scenario stays ticked
    assert view.table_model.scenarios[1] == "Renamed"


def test_a_sixth_scenario_is_refused(qtbot, view, demo_model) -> None:
    for k in range(3):
        demo_model.add_scenario(replace(demo_model.scenarios[0], name=f"Copy {k + 1}"))
    assert view.scenario_list.count() == 6
    _item(view, 3).setCheckState(Qt.CheckState.Checked)
    _item(view, 4).setCheckState(Qt.CheckState.Checked)
    assert view.ticked_indices() == [0, 1, 2, 3, 4]
    _item(view, 5).setCheckState(Qt.CheckState.Checked)
    assert _item(view, 5).checkState() == Qt.CheckState.Unchecked
    assert view.ticked_indices() == [0, 1, 2, 3, 4]
    assert view.message_label.text() == TOO_MANY
    assert not view.set_ticked([0, 1, 2, 3, 4, 5])
    assert view.ticked_indices() == [0, 1, 2, 3, 4]


def test_charts_have_one_line_per_ticked_scenario(view, demo_model) -> None:
    view.set_ticked([0, 2])
    for key, chart in view.charts.items():
        assert len(chart.series) == 2, key
    chart = view.charts["cumulative_net"]
    for i in (0, 2):
        results = demo_model.results(i)
        x, y = chart.series[demo_model.scenarios[i].name].getData()
        np.testing.assert_allclose(y, results.monthly()["cumulative_net"].to_numpy())
        np.testing.assert_array_equal(x, np.arange(len(results.months)))
    fte = view.charts["fte_in_post"].series[demo_model.scenarios[0].name].getData()[1]
    np.testing.assert_allclose(fte, demo_model.results(0).monthly()["fte_in_post"])
    red = view.charts["red_teams"].series[demo_model.scenarios[0].name].getData()[1]
    assert red.sum() == 351  # every red team-month of "Cut first"
    assert chart.months[0] == "Apr 2027"
    # the same pen (colour and dash) for a scenario in every chart
    pens = {k: c.series[demo_model.scenarios[2].name].opts["pen"] for k, c in view.charts.items()}
    assert len({(p.color().name(), p.style()) for p in pens.values()}) == 1


def test_computing_scenarios_show_dots_then_figures(qtbot, view, demo_model) -> None:
    scenario = demo_model.scenarios[0]
    demo_model.edit_scenario(edit(scenario, "assumptions.pension_rate_pct", 21.0),
                             "Pension rate")
    model = view.table_model
    first = CompareTableModel.COL_FIRST_SCENARIO
    assert model.index(model.row_of("red_team_months"), first).data() == "…"
    assert demo_model.scenarios[0].name not in view.charts["cumulative_net"].series
    qtbot.waitUntil(lambda: demo_model.results(0) is not None, timeout=30000)
    assert model.index(model.row_of("red_team_months"), first).data() != "…"
    assert demo_model.scenarios[0].name in view.charts["cumulative_net"].series
    # a simulation fills in the chance of meeting the target
    with qtbot.waitSignal(demo_model.simulation_changed, timeout=30000):
        demo_model.run_simulation(100, seed=2, index=1)
    cell = model.index(model.row_of("p_meet_year_2_target"), first + 1)
    p = demo_model.simulation_result(1).p_meet(2)
    assert cell.data(PLAIN_ROLE) == f"{100 * p:.0f}%"


def test_ctrl_c_copies_tab_separated_text(qtbot, view, demo_model) -> None:
    view.show()
    qtbot.waitExposed(view)
    view.table.setFocus()
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == 1 + view.table_model.rowCount()
    assert lines[0].split("\t") == ["Measure", *[s.name for s in demo_model.scenarios]]
    red = next(line for line in lines if line.startswith("Red team-months"))
    assert red.split("\t")[1:] == ["351", "164", "261"]
    assert BEST_MARK not in text
