"""The scenario editor's changes (table and timeline), demand and pools (helper H6)."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtWidgets import QStyleOptionViewItem

from planner.months import month_number
from planner.scenario import GrowthPosition
from ui.changes_editor import ChangesDelegate, ChangesEditor, ChangesTableModel, MonthCombo
from ui.changes_timeline import TITLE, ChangesTimeline
from ui.demand_editor import (
    JUST_COPING,
    DemandEditor,
    DemandTableModel,
    PositionDialog,
    SeasonDialog,
)
from ui.pools_editor import PoolsEditor, PoolsTableModel

GATED, NATURAL = 1, 2  # demo scenario positions: "Gated by go-live", "Natural wastage"
SYSTEM = "Technology and process: new revenues and benefits system"


def _ready(qtbot, model) -> None:
    qtbot.waitUntil(lambda: model.results() is not None, timeout=30000)


def _team_series(results, team: str, what: str) -> np.ndarray:
    j = results.teams.index(team)
    return np.asarray(getattr(results.service().paths, what)[:, j])


@pytest.fixture
def gated(qtbot, demo_model):
    demo_model.set_current(GATED)
    _ready(qtbot, demo_model)
    return demo_model


def test_table_models_pass_the_model_tester(qtmodeltester, gated) -> None:
    changes = ChangesTableModel(gated)
    demand = DemandTableModel(gated)
    assert changes.rowCount() == 6 and demand.rowCount() == 41
    qtmodeltester.check(changes)
    qtmodeltester.check(demand)
    gated.set_current(NATURAL)
    pools = PoolsTableModel(gated)
    assert pools.rowCount() == 1
    qtmodeltester.check(pools)


def test_go_live_edit_moves_results_and_bar_and_undo_redo_restore_both(qtbot, gated) -> None:
    editor = ChangesEditor(gated)
    qtbot.addWidget(editor)
    table, timeline = editor.table_model, editor.timeline
    row = next(r for r in range(table.rowCount()) if table.change(r).name == SYSTEM)
    bar = timeline.bars()[row]
    assert (bar.go_live, bar.full_effect) == (12, 17)  # Apr 2028 on a horizon from Apr 2027
    before = gated.results()
    x0_before = np.array(timeline.series["Ramp"].opts["x0"])
    capacity_before = _team_series(before, "Revenues", "capacity")

    oct_2028 = month_number(2028, 10)
    assert table.setData(table.index(row, ChangesTableModel.COL_GO_LIVE), oct_2028)
    assert gated.undo_stack.undoText() == f"Set go-live of “{SYSTEM}” to Oct 2028"
    moved = timeline.bars()[row]
    assert (moved.go_live, moved.full_effect, moved.slip_max) == (18, 23, 30.0)
    assert table.data(table.index(row, ChangesTableModel.COL_GO_LIVE)) == "Oct 2028"
    assert not np.array_equal(np.array(timeline.series["Ramp"].opts["x0"]), x0_before)
    _ready(qtbot, gated)
    after = gated.results()
    capacity_after = _team_series(after, "Revenues", "capacity")
    # The productivity gain now starts six months later: less capacity in Jul 2028 (index 15).
    assert capacity_after[15] < capacity_before[15]
    assert capacity_after[:12] == pytest.approx(capacity_before[:12])

    gated.undo_stack.undo()
    assert timeline.bars()[row].go_live == 12
    assert np.array_equal(np.array(timeline.series["Ramp"].opts["x0"]), x0_before)
    assert gated.results() is before  # the cached results come back at once
    gated.undo_stack.redo()
    assert timeline.bars()[row].go_live == 18
    assert gated.results() is after


def test_bad_change_edits_are_refused_with_a_sentence(qtbot, gated) -> None:
    editor = ChangesEditor(gated)
    qtbot.addWidget(editor)
    table = editor.table_model
    steps = gated.undo_stack.count()
    assert not table.setData(table.index(0, ChangesTableModel.COL_SLIPPAGE), [5, 3, 9])
    assert editor.message.text().startswith("Not changed. Slippage: min_months (5) is more")
    assert not table.setData(table.index(0, ChangesTableModel.COL_REALISATION), 250)
    assert "Realisation: must be between 0 and 200" in editor.message.text()
    assert not table.setData(table.index(0, ChangesTableModel.COL_NAME), table.change(1).name)
    assert "given twice" in editor.message.text()
    assert not table.setData(table.index(0, ChangesTableModel.COL_TEAMS), [])
    assert not table.setData(table.index(0, ChangesTableModel.COL_RAMP), "soon")
    assert "Ramp" in editor.message.text()
    assert gated.undo_stack.count() == steps  # nothing was changed
    assert table.setData(table.index(0, ChangesTableModel.COL_SLIPPAGE), "1, 2, 3")
    assert editor.message.text() == ""
    assert table.change(0).slippage.max_months == 3


def test_add_duplicate_and_delete_changes(qtbot, gated) -> None:
    editor = ChangesEditor(gated)
    qtbot.addWidget(editor)
    table = editor.table_model
    editor.table.setCurrentIndex(table.index(5, 0))
    editor.add_button.click()
    assert table.rowCount() == 7
    new = table.change(6)
    assert new.name == "New change" and new.teams == table.change(5).teams
    assert len(editor.timeline.bars()) == 7
    editor.table.setCurrentIndex(table.index(6, 0))
    editor.duplicate_button.click()
    assert table.change(7).name == "New change (copy)"
    editor.table.setCurrentIndex(table.index(7, 0))
    editor.delete_button.click()
    assert table.rowCount() == 7
    for _ in range(3):
        gated.undo_stack.undo()
    assert table.rowCount() == 6 and len(editor.timeline.bars()) == 6
    for row in range(6):  # no change ramps: nothing but full-effect bars
        assert table.setData(table.index(row, ChangesTableModel.COL_RAMP), 1)
    assert len(editor.timeline.series["Ramp"].opts["x0"]) == 0
    assert table.remove_changes(range(6))
    assert table.rowCount() == 0 and editor.timeline.bars() == []
    assert not editor.delete_button.isEnabled()
    for _ in range(7):
        gated.undo_stack.undo()
    assert len(editor.timeline.bars()) == 6 and table.change(0).ramp_months == 6


def test_delegate_edits_go_live_and_teams(qtbot, gated) -> None:
    editor = ChangesEditor(gated)
    qtbot.addWidget(editor)
    table = editor.table_model
    delegate = editor.table.itemDelegate()
    assert isinstance(delegate, ChangesDelegate)
    index = table.index(5, ChangesTableModel.COL_GO_LIVE)
    combo = delegate.createEditor(editor.table.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(combo, MonthCombo)
    delegate.setEditorData(combo, index)
    assert combo.month() == month_number(2027, 10) and combo.count() == 60
    combo.set_month(month_number(2028, 1))
    delegate.setModelData(combo, table, index)
    assert table.change(5).go_live == month_number(2028, 1)
    index = table.index(5, ChangesTableModel.COL_TEAMS)
    checklist = delegate.createEditor(editor.table.viewport(), QStyleOptionViewItem(), index)
    delegate.setEditorData(checklist, index)
    assert checklist.checked() == ["Housing Options", "Libraries"]
    checklist.set_teams([checklist.item(i).text() for i in range(checklist.count())],
                        ["Libraries"])
    delegate.setModelData(checklist, table, index)
    assert table.change(5).teams == ("Libraries",)


def test_timeline_draws_ramp_slippage_and_labels(qtbot, gated, tmp_path) -> None:
    timeline = ChangesTimeline(gated)
    qtbot.addWidget(timeline)
    assert timeline.title == TITLE
    ramp = timeline.series["Ramp"].opts
    # Row 6 (remodelling) goes live Oct 2027 (index 6) with a 3-month ramp: 1/3 then 2/3.
    rows = np.round(-np.asarray(ramp["y0"]) - 0.12).astype(int)
    mine = np.flatnonzero(rows == 5)
    assert list(np.asarray(ramp["x0"])[mine] + 0.5) == [6, 7]
    assert list(np.asarray(ramp["height"])[mine] / 0.36) == pytest.approx([1 / 3, 2 / 3])
    full = timeline.series["Full effect"].opts
    assert list(np.asarray(full["width"])) == [60 - 17] * 5 + [60 - 8]
    xs, _ys = timeline.series["Slippage"].getData()
    assert xs[0] + 0.5 == 12 and xs[1] + 0.5 == 21  # customer enablement: 0 to 9 months late
    legend = [label.text for _sample, label in timeline.legend.items]
    assert "Most likely go-live (◆)" in legend and "Customer enablement" in legend
    assert timeline._labels[0].textItem.toPlainText().startswith(
        "1. Customer enablement: online accounts and self-service — 86 % realised")
    assert timeline.readout_text(14).splitlines()[1].endswith("50 % of full effect")
    assert timeline.drag_month(0, 2.4) == month_number(2028, 6)
    assert timeline.bar_at(13.0, 0.0) == 0 and timeline.bar_at(2.0, 0.0) is None
    assert timeline.export_png(tmp_path / "timeline.png").stat().st_size > 0


def test_team_demand_hours_give_the_hand_worked_demand(qtbot, gated) -> None:
    editor = DemandEditor(gated)
    qtbot.addWidget(editor)
    table = editor.table_model
    row = table.row_of("Payroll")
    assert table.data(table.index(row, DemandTableModel.COL_DEMAND)) == JUST_COPING
    profile = "1.2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.8"  # averages 1
    assert table.setData(table.index(row, DemandTableModel.COL_SEASONAL), profile)
    assert table.setData(table.index(row, DemandTableModel.COL_HOURS), "1,200")
    assert gated.undo_stack.undoText() == "Set Payroll demand to 1,200 hours a month"
    assert table.data(table.index(row, DemandTableModel.COL_DEMAND)) == "1,200 hours a month"
    _ready(qtbot, gated)
    demand = _team_series(gated.results(), "Payroll", "demand")
    # No change touches Payroll and growth is 0: hours × the month's seasonal factor.
    assert demand[0] == pytest.approx(1200 * 1.2)  # Apr 2027
    assert demand[1] == pytest.approx(1200.0)  # May 2027
    assert demand[11] == pytest.approx(1200 * 0.8)  # Mar 2028
    assert demand[12] == pytest.approx(1200 * 1.2)  # Apr 2028

    editor.select_team("Payroll")
    assert editor.title.text() == "Payroll" and editor.basis.currentIndex() == 1
    editor.growth.setValue(2.0)
    assert table.entry(row).growth_pct == 2.0
    assert gated.undo_stack.undoText() == "Set Payroll demand growth to 2 % a year"
    assert not table.setData(table.index(row, DemandTableModel.COL_SEASONAL), "1, 2, 3")
    assert "12 factors" in editor.message.text()
    editor.basis.setCurrentIndex(0)  # back to just coping: the settings keep season and growth
    assert table.entry(row).hours_per_month is None
    for _ in range(4):
        gated.undo_stack.undo()
    assert table.entry(row) is None


def test_contact_centre_and_growth_positions_from_the_form(qtbot, gated, monkeypatch) -> None:
    editor = DemandEditor(gated)
    qtbot.addWidget(editor)
    duty = GrowthPosition(month_number(2029, 4), 300.0, "New statutory duty")
    monkeypatch.setattr(PositionDialog, "ask", staticmethod(lambda *_a: duty))
    monkeypatch.setattr(SeasonDialog, "ask", staticmethod(lambda *_a: ()))
    editor.select_team("Contact Centre")
    assert editor.centre.isChecked()
    assert editor.centre_boxes["aht_seconds"].value() == 300
    editor.centre_boxes["aht_seconds"].setValue(240)
    row = editor.table_model.row_of("Contact Centre")
    assert editor.table_model.entry(row).contact_centre.aht_seconds == 240
    assert editor.table_model.entry(row).seasonal[0] == 1.05  # the rest is kept
    editor.add_position.click()
    assert editor.table_model.entry(row).growth_positions == (duty,)
    assert editor.positions.item(0).text() == (
        "From Apr 2029: +300 hours a month — New statutory duty")
    editor.season_button.click()  # a flat year
    assert editor.table_model.entry(row).seasonal == ()
    editor.positions.setCurrentRow(0)
    editor.remove_position.click()
    assert editor.table_model.entry(row).growth_positions == ()
    editor.select_team("Benefits")
    assert not editor.centre.isChecked()
    dialog = SeasonDialog((1.1,) * 12)
    qtbot.addWidget(dialog)
    assert dialog.values() == (1.1,) * 12
    for box in dialog.boxes:
        box.setValue(1.0)
    assert dialog.values() == ()


def test_add_and_remove_a_pool_with_undo(qtbot, demo_model) -> None:
    demo_model.set_current(NATURAL)
    editor = PoolsEditor(demo_model)
    qtbot.addWidget(editor)
    table = editor.table_model
    assert editor.name.text() == "Revenues and benefits case officers"
    assert editor.teams.checked() == ["Benefits", "Revenues"]
    assert editor.from_month.currentText() == "Oct 2027"
    editor.add_button.click()
    assert table.rowCount() == 2 and len(demo_model.scenario().pools) == 2
    new = table.pool(1)
    assert new.name == "New pool" and new.teams == ("Accounts Payable", "Adult Social Work")
    assert editor.current_row() == 1 and editor.name.text() == "New pool"
    editor.efficiency.setValue(80)
    assert table.pool(1).efficiency == pytest.approx(0.8)
    editor.delete_button.click()
    assert table.rowCount() == 1
    demo_model.undo_stack.undo()  # the delete
    assert table.rowCount() == 2 and table.pool(1).efficiency == pytest.approx(0.8)
    demo_model.undo_stack.undo()
    demo_model.undo_stack.undo()  # the add
    assert table.rowCount() == 1 and len(demo_model.scenario().pools) == 1


def test_pool_form_refuses_a_one_team_pool_and_edits_weights(qtbot, demo_model) -> None:
    demo_model.set_current(NATURAL)
    editor = PoolsEditor(demo_model)
    qtbot.addWidget(editor)
    steps = demo_model.undo_stack.count()
    benefits = editor.teams.findItems("Benefits", Qt.MatchFlag.MatchExactly)[0]
    benefits.setCheckState(Qt.CheckState.Unchecked)
    assert "at least 2 different teams" in editor.message.text()
    assert demo_model.undo_stack.count() == steps
    assert editor.teams.checked() == ["Benefits", "Revenues"]  # the form shows the pool again
    editor.members.item(0, 0).setText("2")
    assert editor.table_model.pool(0).weights == (("Revenues", 2.0),)
    editor.members.item(1, 1).setText("benefits, housing_benefit")
    assert dict(editor.table_model.pool(0).skills)["Benefits"] == ("benefits", "housing_benefit")
    editor.members.item(0, 0).setText("lots")
    assert "not a number" in editor.message.text()


def test_editors_follow_the_current_scenario(qtbot, gated) -> None:
    changes, demand, pools = ChangesEditor(gated), DemandEditor(gated), PoolsEditor(gated)
    for w in (changes, demand, pools):
        qtbot.addWidget(w)
    assert pools.table_model.rowCount() == 0 and not pools.delete_button.isEnabled()
    steps = gated.undo_stack.count()
    gated.set_current(NATURAL)
    assert gated.undo_stack.count() == steps  # refreshing the forms edits nothing
    assert pools.table_model.rowCount() == 1 and pools.delete_button.isEnabled()
    assert len(changes.timeline.bars()) == len(gated.scenario().changes)
    assert changes.table_model.rowCount() == len(gated.scenario().changes)


def test_dragging_a_bar_moves_its_go_live(qtbot, gated) -> None:
    editor = ChangesEditor(gated)
    qtbot.addWidget(editor)
    editor.resize(1200, 800)
    editor.show()
    qtbot.waitExposed(editor)
    timeline = editor.timeline
    vb = timeline.getPlotItem().vb

    def point(x: float, y: float) -> QPoint:
        return timeline.mapFromScene(vb.mapViewToScene(QPointF(x, y)))

    start, end = point(14, 0.06), point(17, 0.06)  # row 1's bar, three months to the right
    viewport = timeline.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=start)
    for i in range(1, 9):
        qtbot.mouseMove(viewport, start + (end - start) * (i / 8))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)
    assert editor.table_model.change(0).go_live == month_number(2028, 7)
    assert timeline.bars()[0].go_live == 15
