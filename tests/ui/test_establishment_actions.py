"""The posts view's filter bar, grouped summary and "delete / freeze these posts" actions."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton

from planner.demo import demo_scenarios
from planner.establishment_groups import GroupTotals
from planner.months import month_label
from planner.scenario import DeletePosts, VacancyFreeze
from tests.ui.factories import make_establishment, many_posts
from ui.document import EstablishmentDocument
from ui.establishment_view import EstablishmentView, selected_rows, shown_text
from ui.group_summary import TOTAL_NAME, GroupSummaryModel, GroupSummaryView
from ui.post_actions import (
    NO_SCENARIO_TIP,
    NO_SELECTION_TIP,
    ChosenPosts,
    DeletePostsDialog,
    FreezeVacanciesDialog,
)
from ui.project_model import ProjectModel
from ui.table_model import SORT_ROLE, PostsTableModel

M = PostsTableModel
G = GroupSummaryModel


@pytest.fixture
def view(qtbot, document) -> EstablishmentView:
    v = EstablishmentView(document)
    qtbot.addWidget(v)
    return v


def shown_ids(view: EstablishmentView) -> list[str]:
    return [view.proxy.index(r, M.COL_POST_ID).data() for r in range(view.proxy.rowCount())]


def select_rows(view: EstablishmentView, rows: list[int]) -> None:
    selection = view.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection.clearSelection()
    for row in rows:
        selection.select(view.proxy.index(row, 0), flags)


# -- filters (small_posts, see tests/ui/factories.py) ---------------------------------------


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("directorate", "Resources", ["0007", "0010"]),
    ("team", "Waste", ["0012"]),
    ("grade", "10", ["0011"]),
    ("status", "Vacant", ["0010", "A001"]),
    ("status", "Filled", ["0007", "0011", "0012", "0100"]),
])
def test_each_filter_gives_the_hand_counted_posts(view, name, value, expected) -> None:
    view.set_filter(name, value)
    assert shown_ids(view) == expected


def test_filters_and_search_combine(view) -> None:
    view.set_filter("directorate", "Resources")
    view.set_filter("status", "Filled")
    assert shown_ids(view) == ["0007"]
    view.clear_filters()
    view.set_filter("directorate", "Place")
    view.set_search_text("officer")  # Planning Officer only; Revenues/Housing Officer elsewhere
    assert shown_ids(view) == ["0011"]
    assert view.count_text() == "Showing 1 of 6 posts · 10.00 FTE"
    assert view.filter_bar.describe() == "Place, “officer”"


def test_directorate_narrows_the_team_list(view) -> None:
    teams = view.filter_combos["team"]
    view.set_filter("team", "Waste")
    view.set_filter("directorate", "People")  # Waste is not a People team: back to all teams
    assert [teams.itemText(i) for i in range(teams.count())] == [
        "All teams", "Customer Services", "Housing Options"]
    assert teams.currentData() is None
    assert shown_ids(view) == ["0100", "A001"]
    view.set_filter("team", "Housing Options")
    view.set_filter("directorate", None)
    assert teams.count() == 7 and teams.currentData() == "Housing Options"  # kept
    assert shown_ids(view) == ["0100"]


def test_shown_positions_follow_sort_and_filter(view) -> None:
    view.table.sortByColumn(M.COL_SALARY, Qt.SortOrder.DescendingOrder)
    view.set_filter("status", "Filled")
    positions = view.proxy.shown_positions()
    for row, position in enumerate(positions):
        source = view.proxy.mapToSource(view.proxy.index(row, 0)).row()
        assert view.model.position(source) == position
    assert view.model.frame["post_id"].iloc[positions].tolist() == shown_ids(view)


def test_select_all_shown_and_the_count_line(qtbot, view) -> None:
    view.set_filter("directorate", "Place")
    view.show()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert selected_rows(view.table).tolist() == [0, 1]
    assert view.count_text() == "Showing 2 of 6 posts · 12.50 FTE · 2 selected (12.50 FTE)"
    chosen = view.chosen_posts()
    assert chosen.post_ids == ("0011", "0012")
    assert chosen.totals.annual_pay_bill == 1_058_751.25
    view.set_filter("directorate", None)  # a filter change clears the selection
    assert view.count_text() == "Showing 6 of 6 posts · 15.41 FTE"


def test_shown_text() -> None:
    assert shown_text(1, 1, 0.5) == "Showing 1 of 1 post · 0.50 FTE"
    assert shown_text(1234, 50_000, 1100.5, 12, 10) == (
        "Showing 1,234 of 50,000 posts · 1,100.50 FTE · 12 selected (10.00 FTE)")
    assert shown_text(0, 0, 0.0) == "No posts to show"


def test_filtering_fifty_thousand_posts_keeps_the_counts(qtbot) -> None:
    document = EstablishmentDocument()
    view = EstablishmentView(document)
    qtbot.addWidget(view)
    frame = many_posts(50_000)
    document.set_establishment(make_establishment(frame))
    view.set_filter("directorate", "Place")
    view.set_filter("status", "Vacant")
    expected = (frame["directorate"] == "Place") & (frame["status"] == "vacant")
    assert view.proxy.rowCount() == int(expected.sum())
    fte = frame.loc[expected, "fte"].sum()
    assert view.count_text() == shown_text(int(expected.sum()), 50_000, fte)
    view.select_all_shown()
    assert len(view.selected_positions()) == int(expected.sum())


def test_mnemonics_are_unique_and_leave_the_menus_alone(view) -> None:
    texts = [w.text() for w in view.findChildren(QLabel) if w.buddy() is not None]
    texts += [b.text() for b in view.findChildren(QPushButton)]
    letters = [m.group(1).lower() for t in texts if (m := re.search(r"&(\w)", t))]
    assert len(letters) == len(texts) == len(set(letters)), texts
    assert not set(letters) & set("fesvhpuq"), texts  # menus, Establishment tabs


# -- grouped summary ------------------------------------------------------------------------


@pytest.fixture
def summary(qtbot, document) -> GroupSummaryView:
    v = GroupSummaryView(document)
    qtbot.addWidget(v)
    return v


def row_texts(model, parent=None) -> list[list[str]]:
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    return [[model.index(r, c, parent).data() for c in range(model.columnCount())]
            for r in range(model.rowCount(parent))]


def test_grouped_summary_sums_by_hand(summary) -> None:
    model = summary.model
    assert row_texts(model) == [
        ["Place", "2", "0", "12.50", "0.00", "£1,058,751"],
        ["Resources", "2", "1", "1.00", "0.50", "£9,500"],
        ["People", "2", "1", "0.81", "0.60", "£0"],
        [TOTAL_NAME, "6", "2", "14.31", "1.10", "£1,068,251"],
    ]
    assert row_texts(model, model.index(0, 0)) == [
        ["Planning", "1", "0", "10.00", "0.00", "£1,000,000"],
        ["Waste", "1", "0", "2.50", "0.00", "£58,751"],
    ]
    assert model.rowCount(model.index(3, 0)) == 0  # the total has no teams
    assert model.index(0, G.COL_PAY_BILL).data(SORT_ROLE) == 1_058_751.25


def test_grouped_summary_sorts_with_the_total_last(summary) -> None:
    proxy = summary.proxy
    summary.tree.sortByColumn(G.COL_FTE_VACANT, Qt.SortOrder.DescendingOrder)
    names = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert names == ["People", "Resources", "Place", TOTAL_NAME]
    summary.tree.sortByColumn(G.COL_NAME, Qt.SortOrder.AscendingOrder)
    names = [proxy.index(r, 0).data() for r in range(proxy.rowCount())]
    assert names == ["People", "Place", "Resources", TOTAL_NAME]
    place = proxy.index(1, 0)
    assert [proxy.index(r, 0, place).data() for r in range(2)] == ["Planning", "Waste"]
    summary.tree.sortByColumn(G.COL_PAY_BILL, Qt.SortOrder.AscendingOrder)
    place = proxy.index(2, 0)
    assert [proxy.index(r, 0, place).data() for r in range(2)] == ["Waste", "Planning"]


def test_grouped_summary_models_pass_modeltester(qtmodeltester, summary) -> None:
    qtmodeltester.check(summary.model, force_py=True)
    qtmodeltester.check(summary.proxy, force_py=True)
    empty = GroupSummaryModel()
    qtmodeltester.check(empty, force_py=True)


def test_grouped_summary_expands_and_follows_the_document(qtbot, summary, document) -> None:
    summary.expand_button.click()
    assert summary.tree.isExpanded(summary.proxy.index(0, 0))
    document.set_establishment(None)
    assert summary.model.rowCount() == 0 and not summary.expand_button.isEnabled()


# -- actions into the current scenario -------------------------------------------------------


@pytest.fixture
def demo_view(qtbot, demo_model) -> EstablishmentView:
    document = EstablishmentDocument()
    document.set_establishment(demo_model.establishment)
    v = EstablishmentView(document, demo_model)
    qtbot.addWidget(v)
    return v


def accept_with(monkeypatch, dialog_class, **choices) -> list[QDialog]:
    """Make ``dialog.exec()`` pick ``choices`` (combo item data / checkbox / label) and OK."""
    opened: list[QDialog] = []

    def exec_(dialog) -> int:
        opened.append(dialog)
        for name, value in choices.items():
            widget = getattr(dialog, name)
            if name.endswith("_combo"):
                widget.setCurrentIndex(widget.findData(value))
            elif name.endswith("_check"):
                widget.setChecked(value)
            else:
                widget.setText(value)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialog_class, "exec", exec_)
    return opened


def test_delete_selected_posts_adds_one_undoable_action(qtbot, monkeypatch, demo_view,
                                                         demo_model) -> None:
    view, model = demo_view, demo_model
    before = model.scenario()
    october = before.horizon.start + 6
    view.set_filter("status", "Filled")
    select_rows(view, [0, 2])
    ids = [view.proxy.index(r, M.COL_POST_ID).data() for r in (0, 2)]
    posts = model.establishment.posts.set_index("post_id")
    fte = float(posts.loc[ids, "fte"].astype(float).sum())
    assert view.delete_button.isEnabled()
    opened = accept_with(monkeypatch, DeletePostsDialog, month_combo=october,
                         label_edit="Two filled posts")
    steps = model.undo_stack.count()
    with qtbot.waitSignal(model.results_changed, timeout=30000):
        view.delete_button.click()
    assert len(opened) == 1
    after = model.scenario()
    assert after.actions[:-1] == before.actions
    action = after.actions[-1]
    assert isinstance(action, DeletePosts)
    assert action.select.post_ids == tuple(ids)
    assert (action.month, action.label, action.max_fte) == (october, "Two filled posts", None)
    assert model.undo_stack.count() == steps + 1
    text = f"Delete 2 posts ({fte:,.2f} FTE) from {month_label(october)}"
    assert model.undo_stack.undoText() == text
    assert model.results() is not None
    assert text in view.message_label.text()
    model.undo_stack.undo()
    assert model.scenario() is before


def test_freeze_vacancies_adds_one_undoable_action(qtbot, monkeypatch, demo_view,
                                                   demo_model) -> None:
    view, model = demo_view, demo_model
    start = model.scenario().horizon.start
    view.set_filter("status", "Vacant")
    view.set_filter("directorate", view.filter_combos["directorate"].itemData(1))
    view.select_all_shown()
    chosen = view.chosen_posts()
    assert len(chosen.post_ids) == view.proxy.rowCount() > 0
    accept_with(monkeypatch, FreezeVacanciesDialog, month_combo=start + 3,
                until_combo=start + 15, delete_check=True)
    steps = model.undo_stack.count()
    with qtbot.waitSignal(model.results_changed, timeout=30000):
        assert view.actions.freeze_chosen()
    action = model.scenario().actions[-1]
    assert isinstance(action, VacancyFreeze)
    assert action.select.post_ids == chosen.post_ids
    assert (action.month, action.until, action.delete_on_vacancy) == (start + 3, start + 15, True)
    assert action.label == view.filter_bar.describe()  # the default label names the filters
    assert model.undo_stack.count() == steps + 1
    assert model.undo_stack.undoText().startswith(
        f"Freeze vacancies in {len(chosen.post_ids)} posts")


def test_delete_key_opens_the_dialog_and_cancel_changes_nothing(qtbot, monkeypatch, demo_view,
                                                                demo_model) -> None:
    view = demo_view
    view.show()
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow, timeout=2000)  # shortcuts need an active window
    select_rows(view, [0])
    opened: list[QDialog] = []
    monkeypatch.setattr(DeletePostsDialog, "exec",
                        lambda d: opened.append(d) or QDialog.DialogCode.Rejected)
    steps = demo_model.undo_stack.count()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert len(opened) == 1
    assert demo_model.undo_stack.count() == steps


def test_freeze_dialog_offers_only_later_months_to_lift(qapp) -> None:
    scenario = demo_scenarios()[0]
    start, end = scenario.horizon.start, scenario.horizon.end
    dialog = FreezeVacanciesDialog(scenario, ChosenPosts(("P1",), GroupTotals(1, 0, 1, 0, 1)))
    assert dialog.until() is None  # to the end by default
    dialog.month_combo.setCurrentIndex(dialog.month_combo.findData(start + 10))
    months = [dialog.until_combo.itemData(i) for i in range(1, dialog.until_combo.count())]
    assert months == list(range(start + 11, end))
    assert "1 post is vacant now" in dialog.findChild(QLabel).text()
    dialog.deleteLater()


def test_actions_are_off_without_a_scenario_or_selection(qtbot, document) -> None:
    view = EstablishmentView(document)  # no project at all
    qtbot.addWidget(view)
    select_rows(view, [0])
    assert not view.delete_button.isEnabled() and not view.freeze_button.isEnabled()
    assert view.delete_button.toolTip() == NO_SCENARIO_TIP
    assert not view.actions.delete_chosen()

    empty = ProjectModel()  # a project with no scenarios
    view2 = EstablishmentView(document, empty)
    qtbot.addWidget(view2)
    select_rows(view2, [0])
    assert not view2.actions.delete_action.isEnabled()
    assert view2.freeze_button.toolTip() == NO_SCENARIO_TIP
    empty.shutdown()


def test_actions_need_a_selection(demo_view) -> None:
    assert not demo_view.delete_button.isEnabled()
    assert demo_view.delete_button.toolTip() == NO_SELECTION_TIP
    select_rows(demo_view, [1])
    assert demo_view.delete_button.isEnabled()
    assert "Cut first" in demo_view.delete_button.toolTip()
    menu = demo_view.table_menu()
    assert menu.actions()[1] is demo_view.actions.delete_action and menu.toolTipsVisible()


def test_selected_rows_reads_ranges(view) -> None:
    select_rows(view, [4, 1, 2])
    assert selected_rows(view.table).tolist() == [1, 2, 4]
    assert np.array_equal(view.selected_positions(), view.proxy.shown_positions()[[1, 2, 4]])


def test_delete_dialog_says_who_is_displaced(qapp) -> None:
    scenario = demo_scenarios()[0]
    vacant = DeletePostsDialog(scenario, ChosenPosts(("P1", "P2"), GroupTotals(2, 0, 2, 0, 1.5)))
    text = vacant.findChild(QLabel).text()
    assert text.startswith("Delete 2 posts (1.50 FTE). All are vacant: nobody is displaced.")
    assert vacant.month() == scenario.horizon.start
    filled = DeletePostsDialog(scenario, ChosenPosts(("P1",), GroupTotals(1, 1, 0, 1.0, 0)))
    assert "1 is filled: the holders are displaced" in filled.findChild(QLabel).text()
    start = month_label(scenario.horizon.start)
    assert filled.edit_text() == f"Delete 1 post (1.00 FTE) from {start}"
    for dialog in (vacant, filled):
        dialog.deleteLater()
