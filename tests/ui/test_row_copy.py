"""Ctrl+C on the posts table: a large copy is made off the GUI thread (ui.row_copy).

The threshold (``ui.row_copy.BACKGROUND_ROWS``, 20,000 rows) is lowered to 3 so the
six hand-made posts go through the worker thread. A worker held on an event lets a test
cancel, copy again or replace the establishment while a copy is being made, without
sleeps. Also: ``planner.cell_text.clipboard_column`` (made fast for this) gives exactly
what ``clipboard_cell`` gives cell by cell, for any text.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from planner.cell_text import clipboard_cell, clipboard_column, clipboard_columns
from tests.ui.factories import make_establishment, many_posts, small_posts
from ui import row_copy
from ui.document import EstablishmentDocument
from ui.establishment_view import EstablishmentView, copy_selected_rows

HYPERLINK = '=HYPERLINK("http://evil","x")'
UNCHANGED = "what the clipboard held before"


def _hostile_posts() -> pd.DataFrame:
    posts = small_posts()
    posts.loc[0, ["team", "post_title", "employee_name"]] = [HYPERLINK, "@SUM(1)", "-1+1"]
    posts.loc[3, "team"] = "Waste\t=1"  # a tab would split the cell on paste
    posts["weekly_hours"] = pd.Series([-12.5, 18.5, 37.0, 37.0, 30.0, 22.2])
    return posts


def _cells(text: str) -> list[list[str]]:
    assert text.endswith("\n")
    return [line.split("\t") for line in text[:-1].split("\n")]


class Worker:
    """Wraps ``row_copy.build_text``: records the thread it runs on and can hold it
    (when it runs on a worker thread)."""

    def __init__(self) -> None:
        self.gui_thread = threading.get_ident()
        self.threads: list[int] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self.release.set()  # not held unless a test says so
        self._build = row_copy.build_text

    def __call__(self, rows: row_copy.RowsToCopy, state=None) -> str:
        self.threads.append(threading.get_ident())
        if self.threads[-1] != self.gui_thread:
            self.started.set()
            assert self.release.wait(10)
        return self._build(rows, state)

    def hold(self) -> None:
        self.release.clear()


@pytest.fixture
def worker(monkeypatch) -> Iterator[Worker]:
    monkeypatch.setattr(row_copy, "BACKGROUND_ROWS", 3)
    wrapped = Worker()
    monkeypatch.setattr(row_copy, "build_text", wrapped)
    yield wrapped
    wrapped.release.set()


@pytest.fixture
def view(qtbot) -> Iterator[EstablishmentView]:
    document = EstablishmentDocument()
    document.set_establishment(make_establishment(_hostile_posts()))
    view = EstablishmentView(document)
    qtbot.addWidget(view)
    view.show()
    yield view
    view.copier.shutdown()


def _copy_in_background(qtbot, view: EstablishmentView) -> None:
    QGuiApplication.clipboard().setText(UNCHANGED)
    view.copy_action.trigger()
    assert view.copier.is_running()


def _wait_done(qtbot, view: EstablishmentView) -> None:
    qtbot.waitUntil(lambda: not view.copier.is_running(), timeout=10000)


def _synchronous_text(view: EstablishmentView) -> str:
    """What the copy made before there was a background path: the model's copy_cells."""
    columns = row_copy.shown_columns(view.table)
    positions = view.selected_positions()
    source = view.proxy.frame_model()
    header = [view.proxy.headerData(c, Qt.Orientation.Horizontal) for c in columns]
    return clipboard_columns(header, [clipboard_column(*source.copy_cells(c, positions))
                                      for c in columns])


def test_large_copy_is_made_on_a_worker_thread_and_matches_the_synchronous_copy(
        qtbot, view, worker) -> None:
    view.table.sortByColumn(view.model.COL_SALARY, Qt.SortOrder.DescendingOrder)
    view.table.horizontalHeader().moveSection(0, 3)  # the order shown is the order copied
    view.select_all_shown()
    assert copy_selected_rows(view.table) == 6  # no copier: at once, whatever the size
    expected = QGuiApplication.clipboard().text()
    assert expected == _synchronous_text(view)
    assert worker.threads == [threading.get_ident()]  # made here, on the GUI thread
    worker.threads.clear()

    _copy_in_background(qtbot, view)
    assert view.message_label.text() == "Copying 6 rows… Press Esc to cancel."
    assert view.cancel_copy_action.isEnabled()
    assert QGuiApplication.clipboard().text() == UNCHANGED  # set when the worker is done
    with qtbot.waitSignal(view.message) as said:
        pass
    assert said.args == ["Copied 6 rows"]
    assert QGuiApplication.clipboard().text() == expected
    assert worker.threads and threading.get_ident() not in worker.threads
    assert not view.cancel_copy_action.isEnabled()
    rows = _cells(expected)
    assert rows[0].index("Post ID") > 0 and len(rows) == 7


def test_background_copy_escapes_hostile_text(qtbot, view, worker) -> None:
    view.select_all_shown()
    _copy_in_background(qtbot, view)
    _wait_done(qtbot, view)
    assert worker.threads
    rows = _cells(QGuiApplication.clipboard().text())
    assert all(len(r) == len(rows[0]) for r in rows)  # the tab did not add a cell
    cells = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    first = next(c for c in cells if c["Post ID"] == "0007")
    assert first["Team"] == "'" + HYPERLINK
    assert first["Post title"] == "'@SUM(1)" and first["Employee name"] == "'-1+1"
    hours = next(v for k, v in first.items() if "hours" in k.lower())
    assert hours.startswith("-12.5")  # a number stays a number: no apostrophe
    assert "Waste =1" in {c["Team"] for c in cells}


def test_esc_cancels_and_leaves_the_clipboard_unchanged(qtbot, view, worker) -> None:
    view.select_all_shown()
    worker.hold()
    _copy_in_background(qtbot, view)
    assert worker.started.wait(10)
    qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    worker.release.set()
    _wait_done(qtbot, view)
    assert QGuiApplication.clipboard().text() == UNCHANGED
    assert view.message_label.text() == "Copying cancelled: the clipboard is unchanged."


def test_a_copy_cancelled_once_made_does_not_reach_the_clipboard(qtbot, view, worker) -> None:
    view.select_all_shown()
    _copy_in_background(qtbot, view)
    assert view.copier.runner.wait(10000)  # the text is made, its signal not yet handled
    view.copier.cancel()
    _wait_done(qtbot, view)
    assert QGuiApplication.clipboard().text() == UNCHANGED
    assert view.message_label.text() == "Copying cancelled: the clipboard is unchanged."


def test_a_small_copy_during_a_large_one_wins(qtbot, view, worker) -> None:
    view.select_all_shown()
    worker.hold()
    _copy_in_background(qtbot, view)
    assert worker.started.wait(10)
    view.select_first_row()
    view.copy_action.trigger()  # one row: at once, and it cancels the large copy
    small = QGuiApplication.clipboard().text()
    assert len(_cells(small)) == 2
    worker.release.set()
    _wait_done(qtbot, view)
    assert QGuiApplication.clipboard().text() == small
    assert view.message_label.text() == "Copied 1 row"


def test_replacing_the_establishment_during_a_copy(qtbot, view, worker, dialogs) -> None:
    view.select_all_shown()
    worker.hold()
    _copy_in_background(qtbot, view)
    assert worker.started.wait(10)
    view._document.set_establishment(make_establishment(many_posts(50)))
    assert view.proxy.rowCount() == 50
    worker.release.set()
    _wait_done(qtbot, view)
    text = QGuiApplication.clipboard().text()
    assert "P000001" not in text and text == UNCHANGED  # the copy was cancelled
    assert not dialogs


def test_captured_rows_do_not_follow_the_live_model(qtbot, view) -> None:
    """What makes the worker safe: the rows captured are read from the old columns even
    after the model took a new establishment (it replaces its lists, never changes them)."""
    view.select_all_shown()
    chosen = row_copy.capture(view.table, np.arange(6))
    assert chosen is not None
    before = row_copy.build_text(chosen)
    view._document.set_establishment(make_establishment(many_posts(50)))
    assert row_copy.build_text(chosen) == before
    assert "0007" in before and "P000001" not in before


def test_esc_does_nothing_when_no_copy_is_running(qtbot, view) -> None:
    assert not view.cancel_copy_action.isEnabled()
    view.select_all_shown()
    view.copy_action.trigger()  # six rows: at once (threshold 20,000)
    assert not view.copier.is_running() and not view.message_label.isVisible()
    assert len(_cells(QGuiApplication.clipboard().text())) == 7


_PIECES = [*"ab1 .,£-+=@#\"'\t\r\n\x00", "\u00a0", "\u3000", "\uff1d", "\ud800", "N/A",
           "#N/A", "DIV/0!", "😀"]
_TEXT = st.lists(st.sampled_from(_PIECES), max_size=6).map("".join)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_TEXT, st.booleans()), max_size=12))
def test_clipboard_column_is_clipboard_cell_of_every_cell(cells) -> None:
    texts = [t for t, _n in cells]
    numbers = [n for _t, n in cells]
    assert clipboard_column(texts, numbers) == [clipboard_cell(t, n) for t, n in cells]
    assert clipboard_column(np.array(texts, dtype=object)) == \
        [clipboard_cell(t) for t in texts]


def test_clipboard_column_cells_that_are_not_text() -> None:
    assert clipboard_column(["=1", None, float("nan"), "a"], [False, False, False, False]) == \
        ["'=1", "", "nan", "a"]


def test_selected_table_rows_are_selected_rows(qtbot, view) -> None:
    from PySide6.QtCore import QItemSelection, QItemSelectionModel

    from ui.establishment_view import selected_rows

    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    selection = view.table.selectionModel()
    for top, bottom in ((4, 5), (0, 1), (1, 2)):  # out of order and overlapping
        selection.select(QItemSelection(view.proxy.index(top, 0), view.proxy.index(bottom, 0)),
                         flags)
    assert row_copy.selected_table_rows(view.table).tolist() == [0, 1, 2, 4, 5]
    assert row_copy.selected_table_rows(view.table).tolist() == \
        selected_rows(view.table).tolist()
    selection.clearSelection()
    assert len(row_copy.selected_table_rows(view.table)) == 0
