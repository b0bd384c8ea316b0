"""Safe-sequencing advice and cut-before-live warnings; redeployment and redundancy tables."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from planner.months import month_label
from planner.scenario import DeletePosts, ReduceFTE, VacancyFreeze
from ui import formatting
from ui.advice_panel import NOT_YET, AdvicePanel
from ui.people_tables import PeoplePanel, RedeploymentTableModel, RedundancyTableModel


@pytest.fixture
def advice_panel(qtbot, demo_model) -> AdvicePanel:
    panel = AdvicePanel(demo_model)
    qtbot.addWidget(panel)
    return panel


@pytest.fixture
def people(qtbot, demo_model) -> PeoplePanel:
    panel = PeoplePanel(demo_model)
    qtbot.addWidget(panel)
    return panel


def _reductions(scenario) -> list:
    return [a for a in scenario.actions if isinstance(a, (DeletePosts, ReduceFTE))
            or (isinstance(a, VacancyFreeze) and a.delete_on_vacancy)]


# -- advice -------------------------------------------------------------------------------


def test_cut_before_live_warnings_shown_before_advice(advice_panel, demo_model) -> None:
    assert demo_model.current_index() == 0  # "Cut first, as planned"
    flags = demo_model.results().service().cut_before_live
    assert len(flags) == 7
    items = advice_panel.warning_items()
    assert len(items) == len(flags)
    text = advice_panel.text()
    assert "Cut before the change is live" in text
    first = flags[0]
    assert items[0].startswith(f"{first.label}: {first.fte_removed:,.1f} FTE removed from "
                               f"{first.team} in {month_label(first.month)}")
    assert f"{first.months_early} months before ‘{first.change}’" in items[0]
    for item in items:
        assert item in text
    assert NOT_YET in text  # advice not worked out yet
    assert advice_panel.run_button.isEnabled()
    assert not advice_panel.cancel_button.isEnabled()
    demo_model.set_current(1)  # "Gated by go-live": no cut before the change is live
    assert advice_panel.warning_items() == []
    assert "No reduction is made before" in advice_panel.text()
    assert "Gated by go-live" in advice_panel.title_label.text()


def test_advice_lists_one_item_per_reduction(qtbot, advice_panel, demo_model) -> None:
    with qtbot.waitSignal(demo_model.advice_changed, timeout=60000):
        qtbot.mouseClick(advice_panel.run_button, Qt.MouseButton.LeftButton)
        assert advice_panel.cancel_button.isEnabled()
        assert not advice_panel.run_button.isEnabled()
    reductions = _reductions(demo_model.scenario())
    items = advice_panel.advice_items()
    assert len(items) == len(reductions) == 7
    advice, schedule = demo_model.advice()
    text = advice_panel.text()
    for action, item, a in zip(reductions, items, advice, strict=True):
        assert a.label == action.label and item.startswith(action.label)
        assert f"Planned: {month_label(action.month)}." in item
        assert item.split(" Planned:")[0] in text
    libraries = next(i for i, a in zip(items, advice, strict=True) if a.safe_month is not None)
    assert "Too early" in libraries and "Earliest safe month: Oct 2027." in libraries
    assert "Savings given up by waiting: £272,420." in libraries
    assert "Suggested schedule" in text and schedule.message in text
    assert advice_panel.warning_items()[0] in text  # the warnings stay listed
    assert advice_panel.run_button.isEnabled()


def test_cancel_stops_the_advice(qtbot, advice_panel, demo_model) -> None:
    with qtbot.waitSignal(demo_model.advisor.cancelled, timeout=60000):
        advice_panel.run()
        qtbot.mouseClick(advice_panel.cancel_button, Qt.MouseButton.LeftButton)
    assert demo_model.advice() is None
    assert advice_panel.status_label.text().startswith("Cancelled")
    assert advice_panel.run_button.isEnabled()
    assert not advice_panel.cancel_button.isEnabled()
    assert NOT_YET in advice_panel.text()


# -- people ---------------------------------------------------------------------------------


def test_people_tables_match_the_planner_frames(qtmodeltester, people, demo_model) -> None:
    results = demo_model.results()
    assert people.redeployment_model.rowCount() == len(results.redeployment.matches) == 55
    assert people.redundancy_model.rowCount() == len(results.one_off.leavers) == 10
    assert people.redeployment_proxy.rowCount() == 55
    qtmodeltester.check(people.redeployment_model)
    qtmodeltester.check(people.redundancy_model)
    qtmodeltester.check(RedeploymentTableModel())
    qtmodeltester.check(RedundancyTableModel())
    # totals line
    leavers = results.one_off.leavers
    assert formatting.money(leavers["expected_cost"].sum()) in people.redundancy_totals.text()
    assert people.redeployment_totals.text().startswith("Total: 55 people redeployed")
    # names are personal data: not even in the model unless asked
    model = people.redundancy_model
    col = RedundancyTableModel.COL_NAME
    assert people.redundancy_table.isColumnHidden(col)
    assert people.redeployment_table.isColumnHidden(RedeploymentTableModel.COL_NAME)
    assert all(model.index(r, col).data() == "" for r in range(model.rowCount()))
    people.names_check.setChecked(True)
    assert not people.redundancy_table.isColumnHidden(col)
    names = [model.index(r, col).data() for r in range(model.rowCount())]
    assert names == demo_model.results().one_off.leavers["employee_name"].tolist()
    people.names_check.setChecked(False)
    assert all(model.index(r, col).data() == "" for r in range(model.rowCount()))
    # sorting uses the raw values
    table = people.redundancy_table
    table.sortByColumn(RedundancyTableModel.COL_EXPECTED, Qt.SortOrder.DescendingOrder)
    proxy = people.redundancy_proxy
    top = proxy.index(0, RedundancyTableModel.COL_EXPECTED).data(RedundancyTableModel.SortRole)
    assert top == pytest.approx(demo_model.results().one_off.leavers["expected_cost"].max())
    table.sortByColumn(RedundancyTableModel.COL_WEEKLY_PAY, Qt.SortOrder.AscendingOrder)
    pays = [proxy.index(r, RedundancyTableModel.COL_WEEKLY_PAY).data(
        RedundancyTableModel.SortRole) for r in range(proxy.rowCount())]
    assert pays == sorted(pays)  # numbers, not "£699.29" < "£1,301.73" as text


def test_people_follow_the_current_scenario_and_copy(people, demo_model) -> None:
    demo_model.set_current(1)  # "Gated by go-live": redeployment switched off
    results = demo_model.results(1)
    assert people.redeployment_model.rowCount() == 0
    assert people.redundancy_model.rowCount() == len(results.one_off.leavers) == 65
    assert people.redeployment_totals.text() == "Nobody is redeployed in this scenario."
    from ui.people_tables import copy_rows

    text = copy_rows(people.redundancy_table)
    lines = text.rstrip("\n").split("\n")
    assert len(lines) == 66
    assert lines[0].startswith("Post ID\tTeam\tGrade\tDeleted from")
    assert "Name" not in lines[0].split("\t")
    assert QGuiApplication.clipboard().text() == text
