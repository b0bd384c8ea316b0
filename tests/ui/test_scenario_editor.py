"""The scenario editor: scenario list, assumptions and targets forms, actions table, dialog.

Every edit must be one undo step and must change the expected-value results the
model recomputes in the background; undo must bring back both the editor and the
(cached) results.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDoubleSpinBox

from planner.demo import demo_scenarios
from planner.months import month_label, month_number
from planner.scenario import DeletePosts, Selector, TemporaryCover
from tests.ui.conftest import demo_establishment
from ui import actions_table, scenario_list
from ui.action_dialog import ActionDialog
from ui.actions_table import ActionsTableModel, ActionsView
from ui.assumptions_form import AssumptionsForm
from ui.month_edit import MonthEdit
from ui.scenario_list import ScenarioList
from ui.targets_form import SavingsTargetsModel, TargetsForm

SEP28 = month_number(2028, 9)


@pytest.fixture
def quick_model(qtbot):
    """The demo project without waiting for results (for edits that do not look at them)."""
    from planner.project import Project
    from ui.project_model import ProjectModel

    model = ProjectModel()
    model.load(Project(demo_establishment(), demo_scenarios()))
    yield model
    model.shutdown()


def _recomputed(qtbot, model, index: int = 0):
    qtbot.waitUntil(lambda: model.results(index) is not None, timeout=15000)
    return model.results(index)


# -- models pass the model tester ------------------------------------------------------------


def test_models_pass_modeltester(qtmodeltester, demo_model) -> None:
    table = ActionsTableModel(demo_model)
    assert table.rowCount() == 7
    qtmodeltester.check(table, force_py=True)
    view = ActionsView(demo_model)
    qtmodeltester.check(view.proxy, force_py=True)
    qtmodeltester.check(scenario_list.ScenarioListModel(demo_model), force_py=True)
    qtmodeltester.check(SavingsTargetsModel(demo_model), force_py=True)


# -- actions ---------------------------------------------------------------------------------


def test_month_edit_through_the_table_recomputes_and_undoes(qtbot, demo_model) -> None:
    model = demo_model
    table = ActionsTableModel(model)
    before = model.results(0)
    saving_before = before.kpis()["total_saving"]
    first = table.index(0, ActionsTableModel.COL_MONTH)
    assert table.data(first) == "May 2027"
    assert "16 months early" in table.data(table.index(0, ActionsTableModel.COL_WARNING))

    # the Contact Centre cut waits until its channel-shift change is at full effect
    assert table.setData(first, SEP28)
    assert table.data(table.index(0, ActionsTableModel.COL_MONTH)) == "Sep 2028"
    assert model.undo_stack.count() == 1
    assert model.undo_stack.undoText() == "Move “Remove 20 FTE from Contact Centre” to Sep 2028"
    after = _recomputed(qtbot, model)
    assert after is not before
    # 16 months more of the 20 FTE's pay: the saving over the horizon falls
    assert after.kpis()["total_saving"] < saving_before - 500_000
    assert table.data(table.index(0, ActionsTableModel.COL_WARNING)) == ""

    model.undo_stack.undo()
    assert table.data(table.index(0, ActionsTableModel.COL_MONTH)) == "May 2027"
    assert model.results(0) is before  # cached: back at once
    assert "16 months early" in table.data(table.index(0, ActionsTableModel.COL_WARNING))
    model.undo_stack.redo()
    assert table.data(table.index(0, ActionsTableModel.COL_MONTH)) == "Sep 2028"
    assert model.results(0) is after


def test_month_outside_the_horizon_is_refused(qtbot, quick_model) -> None:
    table = ActionsTableModel(quick_model)
    problems: list[str] = []
    table.problem.connect(problems.append)
    end = quick_model.scenario().horizon.end
    assert not table.setData(table.index(0, ActionsTableModel.COL_MONTH), end)
    assert quick_model.undo_stack.count() == 0
    assert "outside the horizon" in problems[-1]


def test_label_edit_is_one_undo_step(quick_model) -> None:
    table = ActionsTableModel(quick_model)
    index = table.index(1, ActionsTableModel.COL_LABEL)
    assert table.setData(index, "  Face-to-face   cut ")
    assert quick_model.scenario().actions[1].label == "Face-to-face cut"
    assert quick_model.undo_stack.count() == 1
    quick_model.undo_stack.undo()
    assert quick_model.scenario().actions[1].label.startswith("Remove 10 FTE")


def test_actions_view_add_edit_move_delete(qtbot, demo_model, monkeypatch) -> None:
    model = demo_model
    view = ActionsView(model)
    qtbot.addWidget(view)
    horizon = model.scenario().horizon
    cover = TemporaryCover(month=horizon.start, team="Contact Centre", fte=5.0, months=12,
                           label="Agency cover")
    asked: list[tuple] = []

    def fake_ask(parent, kind, horizon, posts, action=None, check=None, **kwargs):
        asked.append((kind, action, kwargs))
        assert check is not None and check(cover) is None
        return cover if action is None else replace(action, fte=8.0)

    monkeypatch.setattr(actions_table.action_dialog, "ask_action", fake_ask)
    assert view.add("temporary_cover")
    assert model.scenario().actions[-1] == cover
    assert view.selected_rows() == [7]
    assert asked[0][2]["month"] == horizon.start
    assert model.undo_stack.undoText() == "Add action “Agency cover”"

    assert view.edit_selected()
    assert model.scenario().actions[7].fte == 8.0
    assert view.selected_rows() == [7]

    view.later_action.trigger()
    assert model.scenario().actions[7].month == horizon.start + 1
    view.earlier_action.trigger()
    view.earlier_action.trigger()  # already the first month: refused, said in words
    assert model.scenario().actions[7].month == horizon.start
    assert "outside the horizon" in view.problem_label.text()
    assert not view.problem_label.isHidden()

    view.select_rows([0, 1])
    view.later_action.trigger()
    assert [a.month for a in model.scenario().actions[:2]] == [month_number(2027, 6)] * 2
    assert model.undo_stack.undoText() == "Move 2 actions a month later"
    assert view.selected_rows() == [0, 1]

    view.select_rows([7])
    view.delete_action.trigger()
    assert len(model.scenario().actions) == 7
    steps = model.undo_stack.count()
    for _ in range(steps):
        model.undo_stack.undo()
    assert view.table_model.rowCount() == 7
    assert model.scenario().actions[0].month == month_number(2027, 5)


def test_actions_view_refuses_an_invalid_dialog_result(qtbot, quick_model, monkeypatch) -> None:
    view = ActionsView(quick_model)
    qtbot.addWidget(view)
    nobody = DeletePosts(month=quick_model.scenario().horizon.start,
                         select=Selector(fields=(("team", ("No Such Team",)),)), max_fte=1.0)
    monkeypatch.setattr(actions_table.action_dialog, "ask_action",
                        lambda *args, **kwargs: nobody)
    assert not view.add("delete_posts")
    assert quick_model.undo_stack.count() == 0
    assert "No Such Team" in view.problem_label.text()


def test_action_dialog_round_trips_every_kind(qtbot) -> None:
    posts = demo_establishment().posts
    scenarios = demo_scenarios()
    horizon = scenarios[2].horizon
    seen = set()
    for scenario in scenarios:
        for action in scenario.actions:
            dialog = ActionDialog(action.kind, horizon, posts, action)
            qtbot.addWidget(dialog)
            assert dialog.action() == action
            seen.add(action.kind)
    assert seen == {"delete_posts", "vacancy_freeze", "create_posts"}
    for kind in ("reduce_fte", "temporary_cover", "create_posts", "vacancy_freeze"):
        dialog = ActionDialog(kind, horizon, posts, None, month=horizon.start + 2,
                              team="Revenues")
        qtbot.addWidget(dialog)
        made = dialog.action()
        assert made.kind == kind and made.month == horizon.start + 2


def test_action_dialog_selector_and_check(qtbot) -> None:
    posts = demo_establishment().posts
    horizon = demo_scenarios()[0].horizon
    problems = iter(["team 'X' is not in the establishment", None])
    dialog = ActionDialog("delete_posts", horizon, posts, None,
                          check=lambda action: next(problems))
    qtbot.addWidget(dialog)
    editor = dialog.selector_edit
    assert editor is not None
    editor.set_checked("team", ["Revenues", "Benefits"])
    editor.status_combo.setCurrentIndex(editor.status_combo.findData("vacant"))
    spin = dialog.field("max_fte")
    assert isinstance(spin, QDoubleSpinBox)
    spin.setValue(3.5)
    action = dialog.action()
    assert action.select == Selector(fields=(("team", ("Benefits", "Revenues")),),
                                     status="vacant")
    assert action.max_fte == 3.5
    assert editor.match_label.text().startswith("Matches ")
    assert "team Benefits or Revenues; vacant posts" in dialog.summary_label.text()
    dialog.accept()
    assert dialog.result() != ActionDialog.DialogCode.Accepted
    assert "not in the establishment" in dialog.problem_label.text()
    dialog.accept()
    assert dialog.result() == ActionDialog.DialogCode.Accepted


def test_month_edit(qtbot) -> None:
    edit = MonthEdit(none_text="End of horizon")
    qtbot.addWidget(edit)
    from planner.months import Horizon

    edit.set_horizon(Horizon(month_number(2027, 4), 12), include_end=True)
    assert edit.itemText(1) == "Apr 2027" and edit.count() == 14
    assert edit.month() is None
    edit.set_month(month_number(2027, 10))
    assert edit.currentText() == "Oct 2027"
    edit.set_month(month_number(2030, 1))  # outside: shown, not lost
    assert edit.month() == month_number(2030, 1)
    assert "outside the horizon" in edit.currentText()
    got: list[object] = []
    edit.month_changed.connect(got.append)
    edit.setCurrentIndex(2)
    edit.activated.emit(2)
    assert got == [month_number(2027, 5)]


# -- scenarios -------------------------------------------------------------------------------


def test_scenario_list_add_duplicate_rename_delete(qtbot, demo_model, monkeypatch) -> None:
    model = demo_model
    widget = ScenarioList(model)
    qtbot.addWidget(widget)
    lm = widget.list_model
    assert lm.rowCount() == 3
    assert widget.view.currentIndex().row() == 0

    widget.view.setCurrentIndex(lm.index(1, 0))
    assert model.current_index() == 1
    widget.duplicate_action.trigger()
    assert model.scenarios[3].name == "Gated by go-live (copy)"
    assert model.current_index() == 3 and widget.view.currentIndex().row() == 3
    assert model.scenarios[3].actions == model.scenarios[1].actions
    assert widget.status(3) == scenario_list.STATUS_COMPUTING
    assert lm.data(lm.index(3, 0)) == "Gated by go-live (copy) (computing…)"
    _recomputed(qtbot, model, 3)
    assert widget.status(3) == ""

    widget.new_action.trigger()
    assert model.scenarios[4].name == "New scenario"
    assert model.scenarios[4].actions == () and model.scenarios[4].horizon == \
        model.scenarios[1].horizon

    assert lm.setData(lm.index(4, 0), "  Do nothing ")
    assert model.scenarios[4].name == "Do nothing"
    assert lm.data(lm.index(4, 0), Qt.ItemDataRole.EditRole) == "Do nothing"
    assert not lm.setData(lm.index(4, 0), "   ")
    assert lm.setData(lm.index(4, 0), "cut first, as planned")  # taken: numbered
    assert model.scenarios[4].name == "cut first, as planned (2)"

    monkeypatch.setattr(scenario_list, "confirm_delete", lambda parent, name: False)
    widget.delete_action.trigger()
    assert len(model.scenarios) == 5
    asked: list[str] = []
    monkeypatch.setattr(scenario_list, "confirm_delete",
                        lambda parent, name: asked.append(name) or True)
    widget.delete_action.trigger()
    assert asked == ["cut first, as planned (2)"]
    assert len(model.scenarios) == 4 and lm.rowCount() == 4

    texts = [model.undo_stack.text(i) for i in range(model.undo_stack.count())]
    assert texts == ["Duplicate scenario “Gated by go-live”", "Add scenario “New scenario”",
                     "Rename scenario “New scenario” to “Do nothing”",
                     "Rename scenario “Do nothing” to “cut first, as planned (2)”",
                     "Delete scenario “cut first, as planned (2)”"]
    model.undo_stack.undo()
    assert model.scenarios[4].name == "cut first, as planned (2)" and lm.rowCount() == 5
    for _ in range(4):
        model.undo_stack.undo()
    assert model.project.scenario_names() == [
        "Cut first, as planned", "Gated by go-live", "Natural wastage and redeployment"]
    assert lm.rowCount() == 3


def test_rename_asks_for_the_name_when_the_list_is_hidden(qtbot, quick_model,
                                                         monkeypatch) -> None:
    widget = ScenarioList(quick_model)
    qtbot.addWidget(widget)
    asked: list[str] = []

    def get_text(parent, title, label, text=""):
        asked.append(text)
        return "Slow and steady", True

    monkeypatch.setattr(scenario_list.QInputDialog, "getText", get_text)
    widget.rename_action.trigger()
    assert asked == ["Cut first, as planned"]
    assert quick_model.scenario(0).name == "Slow and steady"
    assert widget.list_model.data(widget.list_model.index(0, 0), Qt.ItemDataRole.EditRole) \
        == "Slow and steady"


def test_the_last_scenario_cannot_be_deleted(qtbot, quick_model, monkeypatch) -> None:
    widget = ScenarioList(quick_model)
    qtbot.addWidget(widget)
    monkeypatch.setattr(scenario_list, "confirm_delete", lambda parent, name: True)
    widget.delete_action.trigger()
    widget.delete_action.trigger()
    assert len(quick_model.scenarios) == 1
    assert not widget.delete_action.isEnabled()
    widget.delete_action.trigger()
    assert len(quick_model.scenarios) == 1


# -- assumptions and targets -----------------------------------------------------------------


def test_pension_rate_edit_changes_costs_and_undoes(qtbot, demo_model) -> None:
    model = demo_model
    form = AssumptionsForm(model)
    qtbot.addWidget(form)
    before = model.results(0)
    spin = form.widgets["assumptions.pension_rate_pct"]
    assert isinstance(spin, QDoubleSpinBox)
    assert spin.value() == pytest.approx(19.8)
    assert spin.suffix() == " %" and spin.toolTip()
    spin.editingFinished.emit()  # nothing changed: no edit
    assert model.undo_stack.count() == 0

    spin.setValue(20.0)
    spin.editingFinished.emit()
    spin.editingFinished.emit()  # Enter, then leaving the field: still one edit
    assert model.undo_stack.count() == 1
    assert model.undo_stack.undoText() == "Change the LGPS employer pension rate to 20 %"
    assert model.scenario().assumptions.pension_rate_pct == 20.0
    after = _recomputed(qtbot, model)
    # employer pension is rate × pensionable pay: 20 / 19.8 of what it was; the rest is unchanged
    old_pension = before.costs.lines["pension"].sum()
    extra = after.costs.total.sum() - before.costs.total.sum()
    assert extra == pytest.approx(old_pension * (20.0 / 19.8 - 1), rel=1e-9)

    model.undo_stack.undo()
    assert spin.value() == pytest.approx(19.8)
    assert model.results(0) is before
    model.undo_stack.redo()
    assert spin.value() == pytest.approx(20.0)


def test_assumptions_form_other_fields_and_refresh(qtbot, quick_model) -> None:
    model = quick_model
    form = AssumptionsForm(model)
    qtbot.addWidget(form)
    assert form.commit("redeployment.ring_fence", "directorate")
    assert model.scenario().redeployment.ring_fence == "directorate"
    assert form.commit("natural_wastage.backfill_lag_months", 6)
    assert not form.commit("natural_wastage.backfill_lag_months", 6)
    assert form.commit("redeployment.enabled", False)
    assert not form.widgets["redeployment.grades_down"].isEnabled()
    form.description_edit.setPlainText("Testing a slower pace")
    form.description_edit.editing_finished.emit()
    assert model.scenario().description == "Testing a slower pace"
    assert model.undo_stack.count() == 4
    model.set_current(1)
    assert form.widgets["redeployment.grades_down"].isEnabled()
    assert form.description_edit.toPlainText() == model.scenario(1).description
    model.set_current(0)
    model.undo_stack.undo()
    assert form.description_edit.toPlainText() == model.scenario(0).description != \
        "Testing a slower pace"


def test_invalid_edits_are_refused_with_a_reason(qtbot, quick_model) -> None:
    model = quick_model
    form = AssumptionsForm(model)
    qtbot.addWidget(form)
    # a later start would leave the May 2027 cuts outside the horizon
    form.start_edit.set_month(month_number(2027, 7))
    form.start_edit.month_changed.emit(month_number(2027, 7))
    assert model.undo_stack.count() == 0
    assert "outside the horizon" in form.problem_label.text()
    assert form.start_edit.month() == month_number(2027, 4)  # back to the scenario's value
    form.months_spin.setValue(72)
    form.months_spin.editingFinished.emit()
    assert model.scenario().horizon.months == 72
    assert form.problem_label.isHidden()
    assert model.undo_stack.undoText() == "Change the horizon to Apr 2027 to Mar 2033 (72 months)"


def test_targets_form_edits_are_undoable(qtbot, demo_model) -> None:
    model = demo_model
    form = TargetsForm(model)
    qtbot.addWidget(form)
    sm = form.savings_model
    assert [sm.data(sm.index(r, 0)) for r in range(sm.rowCount())] == [
        "2027/28", "2028/29", "2029/30", "2030/31", "2031/32"]
    target = sm.index(0, SavingsTargetsModel.COL_TARGET)
    assert sm.data(target) == "£1,500,000"
    assert sm.data(sm.index(0, SavingsTargetsModel.COL_MET)) in ("Met", "Not met")

    assert sm.setData(target, "£1,750,000")
    assert dict(model.scenario().targets.savings_by_fy)[2027] == 1_750_000
    assert model.undo_stack.undoText() == "Set the 2027/28 savings target to £1,750,000"
    assert not sm.setData(target, "lots")
    assert not sm.setData(target, -5.0)
    form.savings_view.selectionModel().select(
        sm.index(4, 1), form.savings_view.selectionModel().SelectionFlag.Select)
    form.clear_button.click()
    assert 2031 not in dict(model.scenario().targets.savings_by_fy)
    assert sm.data(sm.index(4, SavingsTargetsModel.COL_TARGET)) == ""

    results = _recomputed(qtbot, model)
    end_fte = results.kpis()["end_fte_in_post"]
    form.fte_check.click()
    assert model.scenario().targets.fte_target == pytest.approx(round(end_fte, 1))
    form.fte_spin.setValue(1000.0)
    form.fte_spin.editingFinished.emit()
    form.fte_month.month_changed.emit(month_number(2030, 3))
    assert model.scenario().targets.fte_target == 1000.0
    assert model.scenario().targets.fte_target_month == month_number(2030, 3)
    _recomputed(qtbot, model)
    k = model.results().kpis()
    assert form.fte_result.text() == (
        f"Expected FTE in post in Mar 2030: {k['fte_at_target_month']:,.2f} "
        f"({'Met' if k['fte_target_met'] else 'Not met'})")

    red = form.widgets["targets.risk.red_ratio"]
    assert isinstance(red, QDoubleSpinBox)
    red.setValue(0.96)  # above amber (0.95): refused
    red.editingFinished.emit()
    assert "amber_ratio" in form.problem_label.text()
    assert red.value() == pytest.approx(0.85)
    assert model.undo_stack.count() == 5
    for _ in range(5):
        model.undo_stack.undo()
    assert sm.data(target) == "£1,500,000"
    assert not form.fte_check.isChecked()
    assert month_label(model.scenario().horizon.start) == "Apr 2027"


def test_keyboard_moves_and_deletes_actions(qtbot, quick_model) -> None:
    view = ActionsView(quick_model)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    view.view.setFocus()
    qtbot.waitUntil(view.view.hasFocus)
    view.select_rows([0])
    qtbot.keyClick(view.view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    assert quick_model.scenario().actions[0].month == month_number(2027, 6)
    qtbot.keyClick(view.view, Qt.Key.Key_Delete)
    assert len(quick_model.scenario().actions) == 6
    assert quick_model.undo_stack.count() == 2


def test_f2_renames_a_scenario_in_place(qtbot, quick_model) -> None:
    widget = ScenarioList(quick_model)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    widget.view.setFocus()
    qtbot.waitUntil(widget.view.hasFocus)
    qtbot.keyClick(widget.view, Qt.Key.Key_F2)
    editor = widget.view.focusWidget()
    assert editor is not widget.view and editor.text() == "Cut first, as planned"
    editor.selectAll()
    qtbot.keyClicks(editor, "Fast cuts")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next event loop
    qtbot.waitUntil(lambda: quick_model.scenario(0).name == "Fast cuts")
    assert quick_model.undo_stack.count() == 1
