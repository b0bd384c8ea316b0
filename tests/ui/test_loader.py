"""Loading in a worker thread: result, failure, unexpected error, cancel, superseded loads."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import planner.importer
from planner.errors import UnusableFileError
from planner.establishment import Establishment
from planner.tasks import checkpoint
from tests.ui.factories import make_establishment
from ui.errors import UNEXPECTED_MESSAGE
from ui.loader import Loader, LoadRequest, run


def fake_loader(delay: float = 0.0, ignore_cancel: bool = False):
    """A stand-in for ``load_establishment`` that reports progress like the real one."""
    calls: list[tuple[Path, threading.Thread]] = []

    def load(path, *, sheet=None, mapping=None, state=None) -> Establishment:
        calls.append((Path(path), threading.current_thread()))
        steps = 20
        for i in range(steps):
            if ignore_cancel:
                state.set_progress(i / steps, "Reading rows…")
            else:
                checkpoint(state, i / steps, "Reading rows…")
            time.sleep(delay / steps)
        return make_establishment(path=path)

    load.calls = calls  # type: ignore[attr-defined]
    return load


@pytest.fixture
def loader(qtbot):
    loader = Loader()
    yield loader
    loader.shutdown()


def test_run_calls_the_importer_at_call_time(monkeypatch) -> None:
    fake = fake_loader()
    monkeypatch.setattr(planner.importer, "load_establishment", fake)

    class State:
        def set_progress(self, fraction, message=""):
            pass

        def is_cancelled(self):
            return False

    result = run(LoadRequest(Path("a.xlsx")), State())
    assert result.source.path == Path("a.xlsx")


def test_load_finishes_off_the_gui_thread(qtbot, loader, monkeypatch) -> None:
    fake = fake_loader(delay=0.1)
    monkeypatch.setattr(planner.importer, "load_establishment", fake)
    progress: list[tuple[float, str]] = []
    loader.progress.connect(lambda f, m: progress.append((f, m)))
    with qtbot.waitSignal(loader.finished, timeout=5000) as blocker:
        loader.start("council.xlsx")
        assert loader.is_running()
    establishment = blocker.args[0]
    assert isinstance(establishment, Establishment)
    assert establishment.source.path == Path("council.xlsx")
    assert fake.calls[0][1] is not threading.main_thread()
    assert progress and progress[0][1] == "Reading rows…"
    assert all(0.0 <= f <= 1.0 for f, _m in progress)
    assert not loader.is_running()


def test_planner_error_becomes_failed_with_the_path(qtbot, loader, monkeypatch) -> None:
    def broken(path, **_kw):
        raise UnusableFileError("The file is not a spreadsheet FTE Planner can read.")

    monkeypatch.setattr(planner.importer, "load_establishment", broken)
    with qtbot.waitSignal(loader.failed, timeout=5000) as blocker:
        loader.start("junk.csv")
    message, details, unexpected = blocker.args
    assert message == "The file is not a spreadsheet FTE Planner can read."
    assert "junk.csv" in details
    assert unexpected is False


def test_unexpected_error_becomes_failed_with_traceback(qtbot, loader, monkeypatch) -> None:
    def buggy(path, **_kw):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(planner.importer, "load_establishment", buggy)
    with qtbot.waitSignal(loader.failed, timeout=5000) as blocker:
        loader.start("council.xlsx")
    message, details, unexpected = blocker.args
    assert message == UNEXPECTED_MESSAGE
    assert "Traceback" in details and "ZeroDivisionError" in details
    assert "council.xlsx" in details
    assert unexpected is True


def test_cancel_stops_the_load(qtbot, loader, monkeypatch) -> None:
    monkeypatch.setattr(planner.importer, "load_establishment", fake_loader(delay=30))
    finished: list[object] = []
    loader.finished.connect(finished.append)
    with qtbot.waitSignal(loader.progress, timeout=5000):
        loader.start("big.xlsx")
    started = time.perf_counter()
    with qtbot.waitSignal(loader.cancelled, timeout=5000):
        loader.cancel()
    assert time.perf_counter() - started < 5
    assert not loader.is_running()
    assert not finished


def test_cancel_wins_even_if_the_importer_ignores_it(qtbot, loader, monkeypatch) -> None:
    monkeypatch.setattr(
        planner.importer, "load_establishment", fake_loader(delay=0.3, ignore_cancel=True)
    )
    finished: list[object] = []
    loader.finished.connect(finished.append)
    with qtbot.waitSignal(loader.cancelled, timeout=5000):
        loader.start("big.xlsx")
        loader.cancel()
    assert not finished


def test_a_new_load_supersedes_the_running_one(qtbot, loader, monkeypatch) -> None:
    monkeypatch.setattr(planner.importer, "load_establishment", fake_loader(delay=0.3))
    results: list[Path] = []
    cancelled: list[bool] = []
    loader.finished.connect(lambda e: results.append(e.source.path))
    loader.cancelled.connect(lambda: cancelled.append(True))
    with qtbot.waitSignal(loader.finished, timeout=5000):
        loader.start("first.xlsx")
        loader.start("second.xlsx")
    assert loader.wait(5000)
    qtbot.wait(50)
    assert results == [Path("second.xlsx")]
    assert not cancelled
