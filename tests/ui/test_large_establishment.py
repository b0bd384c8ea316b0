"""A 20,000-post file opened through the app's real path: progress, cancel, table prepared.

The smaller sibling of ``bench/bench_large_establishment.py`` (200,000 posts, timed): the
same generated establishment (30 columns, as an HR system exports them), as CSV so the
test stays quick, opened with ``MainWindow.open_file`` (``ui.loader.Loader`` in a worker
thread). No timing assertions: the benchmark measures; this checks the behaviour.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

import planner.importer
import ui.table_model
from bench.bench_large_establishment import posts, write_csv
from ui.workspace import page

ROWS = 20_000


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "establishment.csv"
    write_csv(path, posts(ROWS))
    return path


def test_opens_with_progress_and_a_table_prepared_off_the_gui_thread(
        qtbot, window, big_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    prepared_on: list[threading.Thread] = []
    real_prepare = ui.table_model.prepare_frame

    def spy(frame, specs, *args, **kwargs):
        if len(frame) == ROWS and tuple(specs) == ui.table_model.POSTS_SPECS:
            prepared_on.append(threading.current_thread())
        return real_prepare(frame, specs, *args, **kwargs)

    monkeypatch.setattr(ui.table_model, "prepare_frame", spy)
    progress: list[tuple[float, str]] = []
    window.loader.progress.connect(lambda f, m: progress.append((f, m)))
    with qtbot.waitSignal(window.loader.finished, timeout=120_000):
        window.open_file(big_csv)
        assert window.progress_bar.isVisibleTo(window) and window.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: window.model.results(0) is not None, timeout=120_000)

    fractions = [f for f, _m in progress]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    messages = {m for _f, m in progress}
    assert {"Reading cells…", "Parsing values…", "Preparing the posts table…",
            "Showing the posts…"} <= messages
    assert window.posts_view.model.rowCount() == ROWS
    assert window.posts_view.proxy.rowCount() == ROWS
    # The posts table was formatted once, by the loader's worker, not on the GUI thread.
    assert len(prepared_on) == 1 and prepared_on[0] is not threading.main_thread()
    assert not window.progress_bar.isVisibleTo(window)
    assert "20,000" in window.posts_view.count_text()


def test_cancel_mid_import_keeps_the_open_establishment(
        qtbot, window, big_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with qtbot.waitSignal(window.loader.finished, timeout=120_000):
        window.open_file(big_csv)
    before = window.model.establishment
    assert before is not None

    # The real importer, held at its first progress report until the user has cancelled,
    # so the cancel lands mid-import however fast the machine is.
    cancelled_by_user = threading.Event()
    real_load = planner.importer.load_establishment

    class Held:
        def __init__(self, state) -> None:
            self._state = state

        def set_progress(self, fraction: float, message: str = "") -> None:
            self._state.set_progress(fraction, message)
            cancelled_by_user.wait(30)

        def is_cancelled(self) -> bool:
            return self._state.is_cancelled()

    def held_load(path, *, state=None, **kwargs):
        return real_load(path, state=Held(state), **kwargs)

    monkeypatch.setattr(planner.importer, "load_establishment", held_load)
    progress: list[float] = []
    window.loader.progress.connect(lambda f, _m: progress.append(f))
    finished: list[object] = []
    window.loader.finished.connect(finished.append)

    with qtbot.waitSignal(window.loader.progress, timeout=30_000):
        window.open_file(big_csv)
    assert window.loader.is_running()
    with qtbot.waitSignal(window.loader.cancelled, timeout=10_000):
        window.cancel_loading()
        cancelled_by_user.set()
    assert not window.loader.is_running()
    assert "cancelled" in window.status_label.text()
    assert not window.progress_bar.isVisibleTo(window)
    reports = len(progress)
    assert window.loader.wait(60_000)  # the worker has wound down
    qtbot.wait(50)
    assert len(progress) == reports  # nothing reported after the cancel
    assert not finished
    assert window.model.establishment is before
    assert window.posts_view.model.rowCount() == ROWS


def test_a_prepared_table_is_taken_once_and_dropped_with_its_frame(qtbot, big_csv: Path) -> None:
    """The loader's table goes to the model showing that very frame, once; a table prepared
    for a frame nobody showed (a superseded load) is dropped with the frame."""
    import gc

    from planner.importer import load_establishment
    from ui.table_model import PostsTableModel, prepare_posts, take_prepared_posts

    est = load_establishment(big_csv)
    prepare_posts(est.posts)
    other = load_establishment(big_csv)
    assert take_prepared_posts(other.posts) is None  # another frame: not its table
    model = PostsTableModel()
    model.set_establishment(est)  # takes it
    assert take_prepared_posts(est.posts) is None  # taken once
    assert model.rowCount() == ROWS and model.search_mask("team 001").any()
    prepare_posts(other.posts)
    del other
    gc.collect()
    assert ui.table_model._ready is None


def test_the_summary_tab_sums_the_posts_when_it_is_opened(
        qtbot, window, big_csv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the posts table is drawn when a big file arrives: the Summary tab (grouping
    20,000 posts) and the demand editor wait until shown, and are right when they are."""
    import ui.group_summary
    from planner.establishment_groups import group_establishment

    grouped: list[int] = []

    def counting(posts, rows=None):
        grouped.append(len(posts))
        return group_establishment(posts, rows)

    monkeypatch.setattr(ui.group_summary, "group_establishment", counting)
    window.show()
    with qtbot.waitSignal(window.loader.finished, timeout=120_000):
        window.open_file(big_csv)
    qtbot.waitUntil(lambda: window.model.results(0) is not None, timeout=120_000)
    assert page(window.tabs) is window.posts_view
    assert grouped == []  # the Summary tab is hidden: nothing summed yet
    window.show_tab(1)
    assert grouped == [ROWS]
    summary = window.model.establishment.summary()
    assert window.summary_panel.text_of("posts") == f"{summary.posts:,}"
    groups = window.summary_panel.group_summary.groups
    assert groups is not None and groups.total.posts == ROWS
    window.show_tab(0)
    window.show_tab(1)
    assert grouped == [ROWS]  # shown again without a change: not summed again
