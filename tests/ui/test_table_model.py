"""The posts table model and its filter proxy."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt

from tests.ui.factories import make_establishment, many_posts, small_posts
from ui import formatting
from ui.table_model import SORT_ROLE, FrameFilterProxyModel, PostsTableModel

ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
M = PostsTableModel


@pytest.fixture
def model(qapp) -> PostsTableModel:
    m = PostsTableModel()
    m.set_establishment(make_establishment())
    return m


@pytest.fixture
def proxy(model: PostsTableModel) -> FrameFilterProxyModel:
    p = FrameFilterProxyModel()
    p.setSourceModel(model)
    return p


def column(model, col: int) -> list[str]:
    return [model.index(r, col).data() for r in range(model.rowCount())]


def test_modeltester_on_model_and_proxy(qtmodeltester, model, proxy) -> None:
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(proxy, force_py=True)


def test_modeltester_on_empty_model(qtmodeltester, qapp) -> None:
    m = PostsTableModel()
    m.set_establishment(None)
    qtmodeltester.check(m, force_py=True)


def test_display_strings(model) -> None:
    assert column(model, M.COL_POST_ID) == ["0007", "0010", "0011", "0012", "0100", "A001"]
    assert column(model, M.COL_SALARY)[:4] == ["£9,500", "£28,000", "£100,000", "£23,501"]
    assert column(model, M.COL_SALARY)[4] == ""  # missing salary shows empty, not "nan"
    assert column(model, M.COL_FTE)[:3] == ["1.00", "0.50", "10.00"]
    assert column(model, M.COL_DATE_OF_BIRTH)[:2] == ["31/03/1970", ""]
    assert column(model, M.COL_STATUS)[:2] == ["Filled", "Vacant"]
    assert column(model, M.COL_SOURCE_ROW)[0] == "2"


def test_numbers_are_right_aligned(model) -> None:
    align = model.index(0, M.COL_SALARY).data(Qt.ItemDataRole.TextAlignmentRole)
    assert Qt.AlignmentFlag(align) & Qt.AlignmentFlag.AlignRight
    align = model.index(0, M.COL_TEAM).data(Qt.ItemDataRole.TextAlignmentRole)
    assert not Qt.AlignmentFlag(align) & Qt.AlignmentFlag.AlignRight


def test_sort_role_returns_raw_values(model) -> None:
    assert model.index(0, M.COL_FTE).data(SORT_ROLE) == 1.0
    assert model.index(3, M.COL_SALARY).data(SORT_ROLE) == 23_500.5
    assert model.index(4, M.COL_SALARY).data(SORT_ROLE) is None
    assert model.index(0, M.COL_TEAM).data(SORT_ROLE) == "Revenues"
    assert model.index(0, M.COL_DATE_OF_BIRTH).data(SORT_ROLE).year == 1970


def test_personal_columns_say_so_in_header_tooltip(model) -> None:
    for col in (M.COL_EMPLOYEE_NAME, M.COL_DATE_OF_BIRTH):
        tip = model.headerData(col, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert "personal data" in tip
    tip = model.headerData(M.COL_TEAM, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "personal data" not in tip


def test_sort_by_fte_is_numeric(proxy) -> None:
    proxy.sort(M.COL_FTE, ASC)
    assert column(proxy, M.COL_FTE) == ["0.50", "0.60", "0.81", "1.00", "2.50", "10.00"]
    proxy.sort(M.COL_FTE, DESC)
    assert column(proxy, M.COL_FTE) == ["10.00", "2.50", "1.00", "0.81", "0.60", "0.50"]


def test_sort_by_salary_is_numeric_with_missing_last(proxy) -> None:
    proxy.sort(M.COL_SALARY, ASC)
    assert column(proxy, M.COL_SALARY) == [
        "£9,500", "£21,000", "£23,501", "£28,000", "£100,000", ""
    ]
    proxy.sort(M.COL_SALARY, DESC)
    assert column(proxy, M.COL_SALARY) == [
        "£100,000", "£28,000", "£23,501", "£21,000", "£9,500", ""
    ]


def test_sort_by_date_text_and_back_to_file_order(proxy) -> None:
    proxy.sort(M.COL_DATE_OF_BIRTH, ASC)
    assert column(proxy, M.COL_DATE_OF_BIRTH)[:3] == ["31/03/1970", "01/12/1985", "15/07/1990"]
    proxy.sort(M.COL_TEAM, ASC)
    assert column(proxy, M.COL_TEAM)[0] == "Benefits"
    proxy.sort(-1, ASC)
    assert column(proxy, M.COL_POST_ID) == ["0007", "0010", "0011", "0012", "0100", "A001"]


def test_selection_follows_rows_when_sorted(model) -> None:
    kept = QPersistentModelIndex(model.index(2, M.COL_POST_ID))  # "0011", FTE 10
    model.sort(M.COL_FTE, DESC)
    assert kept.row() == 0
    assert kept.data() == "0011"


def test_search_text_is_case_insensitive_and_every_word_must_match(proxy) -> None:
    proxy.set_search_text("officer")
    assert column(proxy, M.COL_POST_ID) == ["0007", "0011", "0100"]
    proxy.set_search_text("OFFICER place")
    assert column(proxy, M.COL_POST_ID) == ["0011"]
    proxy.set_search_text("£28,000")  # searches what is shown
    assert column(proxy, M.COL_POST_ID) == ["0010"]
    proxy.set_search_text("")
    assert proxy.rowCount() == 6


def test_filter_by_directorate_and_status(proxy) -> None:
    proxy.set_filter("directorate", "Place")
    assert column(proxy, M.COL_POST_ID) == ["0011", "0012"]
    proxy.set_filter("directorate", "People")
    proxy.set_filter("status", "Vacant")
    assert column(proxy, M.COL_POST_ID) == ["A001"]
    proxy.set_filter("directorate", None)
    assert column(proxy, M.COL_POST_ID) == ["0010", "A001"]
    proxy.clear_filters()
    assert proxy.rowCount() == 6
    assert not proxy.is_filtered()


def test_filter_and_search_combine_and_survive_sorting(proxy) -> None:
    proxy.set_filter("directorate", "Resources")
    proxy.sort(M.COL_SALARY, DESC)
    assert column(proxy, M.COL_POST_ID) == ["0010", "0007"]
    proxy.set_search_text("revenues")
    assert column(proxy, M.COL_POST_ID) == ["0007"]
    proxy.sort(M.COL_POST_ID, ASC)
    assert column(proxy, M.COL_POST_ID) == ["0007"]


def test_unknown_filter_column_is_an_error(proxy) -> None:
    with pytest.raises(KeyError):
        proxy.set_filter("no_such_column", "x")


def test_unique_values_for_filter_combos(model) -> None:
    assert model.unique_values("directorate") == ["People", "Place", "Resources"]
    assert model.unique_values("status") == ["Filled", "Vacant"]


def test_new_frame_resets_sort_and_filters_apply_to_it(model, proxy) -> None:
    proxy.sort(M.COL_FTE, DESC)
    proxy.set_filter("directorate", "Place")
    model.set_frame(many_posts(100))
    assert proxy.rowCount() == sum(model.display_array(M.COL_DIRECTORATE) == "Place")
    assert model.index(0, M.COL_POST_ID).data() == "P000000"


def test_text_in_numeric_column_is_kept(qapp) -> None:
    posts = small_posts()
    posts["annual_salary"] = pd.Series(["32654", "n/d", None, 1.5, "", 2e6], dtype=object)
    m = PostsTableModel()
    m.set_frame(posts)
    assert column(m, M.COL_SALARY) == ["£32,654", "n/d", "", "£2", "", "£2,000,000"]


def test_money_and_fte_formatting() -> None:
    assert formatting.money(1_234_567.4) == "£1,234,567"
    assert formatting.money(0.5) == "£1"
    assert formatting.money(-50) == "-£50"
    assert formatting.money(float("nan")) == ""
    assert formatting.money(None) == ""
    assert formatting.fte(1234.5) == "1,234.50"
    assert formatting.plural(1, "row") == "1 row"
    assert formatting.plural(1500, "row") == "1,500 rows"
    assert formatting.number_column(pd.Series([37, 18.5, None])) == ["37", "18.5", ""]
    dates = pd.Series(["2020-01-31", None, "not a date"], dtype=object)
    assert formatting.date_column(dates) == ["31/01/2020", "", "not a date"]


def test_fifty_thousand_rows_sort_search_and_filter(qapp) -> None:
    frame = many_posts(50_000)
    m = PostsTableModel()
    p = FrameFilterProxyModel()
    p.setSourceModel(m)
    m.set_frame(frame)
    assert p.rowCount() == 50_000
    p.sort(M.COL_SALARY, DESC)
    p.set_search_text("manager")
    p.set_filter("directorate", "Place")
    salaries = [p.index(r, M.COL_SALARY).data(SORT_ROLE) for r in range(p.rowCount())]
    assert salaries == sorted(salaries, reverse=True)
    expected = (frame["directorate"] == "Place") & (frame["post_title"] == "Manager")
    assert p.rowCount() == int(np.sum(expected))


def test_text_sorts_naturally_and_flags_read_yes_no(qapp) -> None:
    posts = small_posts()
    posts["grade"] = ["Grade 9", "Grade 10", "Grade 2", None, "grade 1", "SM3"]
    posts["pension_member"] = [True, False, True, True, False, True]
    m = PostsTableModel()
    m.set_frame(posts)
    m.sort(M.COL_GRADE, ASC)
    assert column(m, M.COL_GRADE) == ["grade 1", "Grade 2", "Grade 9", "Grade 10", "SM3", ""]
    assert m.unique_values("grade") == ["grade 1", "Grade 2", "Grade 9", "Grade 10", "SM3"]
    pension = m.column_of("pension_member")
    m.sort(-1, ASC)
    assert column(m, pension)[:2] == ["Yes", "No"]


def test_set_criteria_refilters_once(proxy) -> None:
    changes: list[int] = []
    proxy.layoutChanged.connect(lambda *a: changes.append(1))
    proxy.set_criteria("officer", {"directorate": "People", "status": None})
    assert column(proxy, M.COL_POST_ID) == ["0100"]
    assert len(changes) == 1
    assert proxy.filters() == {"directorate": "People"} and proxy.search_text() == "officer"
    proxy.set_criteria("officer", {"directorate": "People"})  # nothing new: no refilter
    assert len(changes) == 1
    with pytest.raises(KeyError):
        proxy.set_criteria("", {"no_such_column": "x"})


def test_frame_mask_and_shown_positions(model, proxy) -> None:
    proxy.set_filter("status", "Vacant")
    assert proxy.frame_mask().tolist() == [False, True, False, False, False, True]
    proxy.sort(M.COL_POST_ID, DESC)
    assert proxy.shown_positions().tolist() == [5, 1]  # A001, then 0010
    assert column(proxy, M.COL_POST_ID) == ["A001", "0010"]


def test_a_repeated_sort_request_is_ignored(model) -> None:
    """QTableView.sortByColumn asks the model to sort twice; the second costs nothing."""
    layouts: list[int] = []
    model.layoutChanged.connect(lambda *a: layouts.append(1))
    model.sort(M.COL_FTE, DESC)
    model.sort(M.COL_FTE, DESC)
    assert len(layouts) == 1
    model.sort(M.COL_FTE, ASC)
    model.sort(-1, ASC)
    model.sort(-1, ASC)
    assert len(layouts) == 3
    assert column(model, M.COL_POST_ID)[0] == "0007"  # the order of the file again


def test_flags_of_cells(model) -> None:
    assert model.flags(model.index(0, 0)) == (
        Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    assert model.flags(model.index(99, 0)) == Qt.ItemFlag.NoItemFlags


# -- filtering in the model itself (no per-row calls into Python) -------------------------------


def test_the_model_shows_only_the_rows_passing_the_filters(qtmodeltester, model, proxy) -> None:
    qtmodeltester.check(proxy, force_py=True)  # the tester follows the layout changes below
    proxy.set_filter("status", "Vacant")
    assert model.rowCount() == proxy.rowCount() == 2
    assert model.total_rows() == 6
    assert column(model, M.COL_POST_ID) == ["0010", "A001"]
    proxy.sort(M.COL_POST_ID, DESC)
    assert column(model, M.COL_POST_ID) == ["A001", "0010"]
    proxy.clear_filters()  # every row again, still sorted
    assert column(proxy, M.COL_POST_ID) == ["A001", "0100", "0012", "0011", "0010", "0007"]
    qtmodeltester.check(proxy, force_py=True)


def test_a_filter_keeps_persistent_indexes_on_their_posts(model, proxy) -> None:
    """Rows still shown keep their selection and current cell; rows hidden lose them."""
    kept = QPersistentModelIndex(proxy.index(5, M.COL_FTE))  # A001 (vacant)
    lost = QPersistentModelIndex(proxy.index(0, M.COL_FTE))  # 0007 (filled)
    proxy.set_filter("status", "Vacant")
    assert kept.isValid() and kept.row() == 1 and kept.column() == M.COL_FTE
    assert proxy.index(kept.row(), M.COL_POST_ID).data() == "A001"
    assert not lost.isValid()
    proxy.set_filter("status", None)
    assert kept.row() == 5


def test_a_new_frame_is_filtered_with_the_criteria_in_force(model, proxy) -> None:
    proxy.set_filter("status", "Vacant")
    model.set_establishment(make_establishment())
    assert column(proxy, M.COL_POST_ID) == ["0010", "A001"]
    assert model.total_rows() == 6


def test_a_mask_must_fit_the_table(model) -> None:
    with pytest.raises(ValueError, match="3 rows for a table of 6"):
        model.set_row_mask(np.ones(3, dtype=bool))
    model.set_row_mask(np.array([True, False, True, False, False, False]))
    assert column(model, M.COL_POST_ID) == ["0007", "0011"]
    model.set_row_mask(None)
    assert model.rowCount() == 6
