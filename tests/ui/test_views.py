"""The Posts, Summary and Data quality tabs and the welcome screen."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from planner.quality import QualityReport
from tests.ui.factories import make_establishment, many_posts
from ui.document import EstablishmentDocument
from ui.establishment_view import EstablishmentView
from ui.group_summary import GroupSummaryModel
from ui.quality_view import QualityTableModel, QualityView, counts_text, tab_title
from ui.summary_panel import SummaryPanel, rows_sentence
from ui.table_model import PostsTableModel
from ui.welcome import WelcomeView

# -- Posts ---------------------------------------------------------------------------------


@pytest.fixture
def posts_view(qtbot, document) -> EstablishmentView:
    view = EstablishmentView(document)
    qtbot.addWidget(view)
    return view


def test_posts_view_counts_rows(posts_view) -> None:
    assert posts_view.count_text() == "Showing 6 of 6 posts · 15.41 FTE"
    posts_view.set_filter("directorate", "Place")
    assert posts_view.count_text() == "Showing 2 of 6 posts · 12.50 FTE"
    posts_view.set_search_text("waste")
    assert posts_view.count_text() == "Showing 1 of 6 posts · 2.50 FTE"
    assert posts_view.clear_button.isEnabled()
    posts_view.clear_filters()
    assert posts_view.count_text() == "Showing 6 of 6 posts · 15.41 FTE"
    assert posts_view.filter_combos["directorate"].currentIndex() == 0
    assert not posts_view.clear_button.isEnabled()


def test_posts_view_search_waits_for_typing_to_pause(qtbot, posts_view) -> None:
    qtbot.keyClicks(posts_view.search_edit, "benefits")
    assert posts_view.proxy.rowCount() == 6  # not yet: the search is debounced
    qtbot.waitUntil(lambda: posts_view.proxy.rowCount() == 1, timeout=2000)
    assert posts_view.count_text() == "Showing 1 of 6 posts · 0.50 FTE"


def test_posts_view_filter_combos_list_the_values(posts_view) -> None:
    combo = posts_view.filter_combos["directorate"]
    items = [combo.itemText(i) for i in range(combo.count())]
    assert items == ["All directorates", "People", "Place", "Resources"]
    status = posts_view.filter_combos["status"]
    assert [status.itemText(i) for i in range(status.count())] == [
        "Filled and vacant", "Filled", "Vacant"
    ]


def test_posts_view_hides_empty_columns_and_shows_personal_ones(posts_view) -> None:
    table = posts_view.table
    assert table.isColumnHidden(PostsTableModel.COL_SERVICE)  # no service in the data
    assert not table.isColumnHidden(PostsTableModel.COL_EMPLOYEE_NAME)
    assert not table.isColumnHidden(PostsTableModel.COL_DATE_OF_BIRTH)
    assert not table.isColumnHidden(PostsTableModel.COL_SALARY)


def test_posts_view_header_click_sorts_numerically(qtbot, posts_view) -> None:
    posts_view.table.sortByColumn(PostsTableModel.COL_FTE, Qt.SortOrder.DescendingOrder)
    first = posts_view.proxy.index(0, PostsTableModel.COL_FTE).data()
    assert first == "10.00"


def test_posts_view_labels_have_buddies_and_names(posts_view) -> None:
    buddies = {
        label.text(): label.buddy()
        for label in posts_view.findChildren(QLabel) if label.buddy() is not None
    }
    # Alt+S and Alt+D belong to the Scenario menu and the Delete action
    assert buddies["Sear&ch:"] is posts_view.search_edit
    assert buddies["Di&rectorate:"] is posts_view.filter_combos["directorate"]
    assert posts_view.table.accessibleName() == "Posts table"
    assert posts_view.search_edit.accessibleName() == "Search posts"
    assert next_tab_stop(posts_view.search_edit) is posts_view.clear_button
    assert next_tab_stop(posts_view.clear_button) is posts_view.filter_combos["directorate"]
    assert next_tab_stop(posts_view.filter_combos["status"]) is posts_view.table


def next_tab_stop(widget):
    """The widget Tab moves to (skipping children that never take focus)."""
    nxt = widget.nextInFocusChain()
    while not nxt.focusPolicy() & Qt.FocusPolicy.TabFocus:
        nxt = nxt.nextInFocusChain()
    return nxt


def test_posts_view_follows_the_document(qtbot, posts_view, document) -> None:
    posts_view.set_filter("directorate", "Place")
    document.set_establishment(make_establishment(posts=many_posts(1500)))
    assert posts_view.count_text().startswith("Showing 1,500 of 1,500 posts · ")
    document.set_establishment(None)
    assert posts_view.count_text() == "No posts to show"


# -- Summary -------------------------------------------------------------------------------


def test_summary_panel_shows_the_domain_figures(qtbot, document) -> None:
    panel = SummaryPanel(document)
    qtbot.addWidget(panel)
    s = document.summary()
    assert panel.text_of("posts") == "6"
    assert panel.text_of("posts_vacant") == str(s.posts_vacant) == "2"
    assert panel.text_of("fte_total") == "15.41"
    # 1×9,500 + 10×100,000 + 2.5×23,500.5 = 1,068,251.25 (filled posts only)
    assert panel.text_of("annual_pay_bill") == "£1,068,251"
    assert panel.text_of("establishment_cost") == "£1,094,851"
    assert panel.text_of("posts_without_salary") == "1"
    assert panel.text_of("rows_excluded") == "1"
    assert panel.rows_label.text() == "7 rows read, 6 loaded, 1 excluded"
    model = panel.group_summary.model
    assert model.rowCount() == 4  # three directorates and the total
    assert model.index(0, GroupSummaryModel.COL_NAME).data() == "Place"
    assert model.index(0, GroupSummaryModel.COL_PAY_BILL).data() == "£1,058,751"
    assert model.index(0, GroupSummaryModel.COL_FTE_FILLED).data() == "12.50"
    assert model.index(3, GroupSummaryModel.COL_PAY_BILL).data() == "£1,068,251"


def test_summary_chart_repeats_the_table(qtbot, document) -> None:
    panel = SummaryPanel(document)
    qtbot.addWidget(panel)
    by_directorate = document.summary().by_directorate
    assert panel.chart.names == by_directorate["directorate"].tolist()
    assert panel.chart.values == by_directorate["annual_pay_bill"].tolist()
    assert panel.chart.accessibleName() == "Annual pay bill by directorate"


def test_summary_panel_clears_without_establishment(qtbot, document) -> None:
    panel = SummaryPanel(document)
    qtbot.addWidget(panel)
    document.set_establishment(None)
    assert panel.text_of("posts") == ""
    assert panel.group_summary.model.rowCount() == 0


def test_rows_sentence_singular() -> None:
    est = make_establishment(rows_excluded=0)
    est.rows_read = 1
    assert rows_sentence(est.summary()).startswith("1 row read")


# -- Data quality --------------------------------------------------------------------------


def test_quality_counts_are_words_not_colours(document) -> None:
    report = document.establishment.report
    assert counts_text(report) == "1 error, 2 warnings, 1 info"
    assert counts_text(QualityReport()) == "No problems found"
    assert tab_title(report) == "Data &quality (4)"


def test_quality_view_severity_filter(qtbot, document) -> None:
    view = QualityView(document)
    qtbot.addWidget(view)
    assert view.counts_text() == "1 error, 2 warnings, 1 info"
    assert view.proxy.rowCount() == 4
    view.set_severity("Warning")
    assert view.proxy.rowCount() == 2
    assert view.shown_label.text() == "2 of 4 issues shown"
    rows = {view.proxy.index(r, QualityTableModel.COL_SEVERITY).data() for r in range(2)}
    assert rows == {"Warning"}
    view.set_severity(None)
    view.search_edit.setText("salary")
    assert view.proxy.rowCount() == 1


def test_quality_view_sorts_severity_by_seriousness(qtbot, document) -> None:
    view = QualityView(document)
    qtbot.addWidget(view)
    view.proxy.sort(QualityTableModel.COL_SEVERITY, Qt.SortOrder.DescendingOrder)
    severities = [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]
    assert severities == ["Info", "Warning", "Warning", "Error"]
    view.proxy.sort(QualityTableModel.COL_ROW, Qt.SortOrder.AscendingOrder)
    rows = [view.proxy.index(r, QualityTableModel.COL_ROW).data() for r in range(4)]
    assert rows == ["4", "6", "7", ""]


def test_quality_model_passes_modeltester(qtmodeltester, document) -> None:
    model = QualityTableModel()
    model.set_report(document.establishment.report)
    qtmodeltester.check(model, force_py=True)


# -- Welcome -------------------------------------------------------------------------------


def test_welcome_buttons_emit_requests(qtbot) -> None:
    view = WelcomeView()
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.open_file_requested, timeout=1000):
        qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(view.open_demo_requested, timeout=1000):
        view.demo_button.click()
    assert "&" in view.open_button.text() and "&" in view.demo_button.text()


def test_welcome_recent_files(qtbot, tmp_path) -> None:
    view = WelcomeView()
    qtbot.addWidget(view)
    view.show()
    assert not view.recent_list.isVisible()
    path = str(tmp_path / "council.xlsx")
    view.set_recent_files([path])
    assert view.recent_list.isVisible()
    with qtbot.waitSignal(view.open_recent_requested, timeout=1000) as blocker:
        view.recent_list.itemActivated.emit(view.recent_list.item(0))
    assert blocker.args == [path]


def test_copy_selected_rows_as_tab_separated_text(qtbot, posts_view) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.establishment_view import copy_selected_rows

    posts_view.select_first_row()
    assert copy_selected_rows(posts_view.table) == 1
    header, row = QApplication.clipboard().text().splitlines()
    assert header.split("\t")[:2] == ["Post ID", "Post title"]
    assert row.split("\t")[:2] == ["0007", "Revenues Officer"]
    assert "Service" not in header.split("\t")  # hidden columns are not copied


def test_filter_change_clears_a_large_selection_first(qtbot) -> None:
    """Qt updated the selection once per block of filtered rows: a search with 50,000 rows
    selected froze the window for a minute. The view now clears the selection first."""
    from tests.ui.factories import make_establishment, many_posts
    from ui.establishment_view import EstablishmentView

    document = EstablishmentDocument()
    view = EstablishmentView(document)
    qtbot.addWidget(view)
    document.set_establishment(make_establishment(many_posts(2_000)))
    view.table.selectAll()
    cleared: list[bool] = []
    view.proxy.layoutAboutToBeChanged.connect(
        lambda *a: cleared.append(not view.table.selectionModel().hasSelection()))
    view.proxy.rowsAboutToBeRemoved.connect(
        lambda *a: cleared.append(not view.table.selectionModel().hasSelection()))
    view.set_search_text("Revenues")
    assert cleared and all(cleared)


def test_table_menu_sorts_and_lists_columns_from_the_keyboard(qtbot) -> None:
    from tests.ui.factories import make_establishment, many_posts
    from ui.establishment_view import EstablishmentView

    document = EstablishmentDocument()
    view = EstablishmentView(document)
    qtbot.addWidget(view)
    document.set_establishment(make_establishment(many_posts(50)))
    fte = view.model.column_of("fte")
    view.table.setCurrentIndex(view.proxy.index(0, fte))
    menu = view.table_menu()
    labels = [a.text() for a in menu.actions()]
    sort_at = next(i for i, text in enumerate(labels) if text.startswith("Sort by FTE"))
    assert labels[sort_at + 2] == "Show co&lumns"
    menu.actions()[sort_at + 1].trigger()  # descending
    values = [view.proxy.index(r, fte).data() for r in range(view.proxy.rowCount())]
    assert values == sorted(values, key=float, reverse=True)
