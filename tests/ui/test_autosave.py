"""Autosave: recovery files written while there are unsaved changes, found after a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.project import Project
from planner.project_file import load_project, recovery_path, save_project
from planner.recovery import list_recoveries
from planner.scenario_edits import edit
from planner.scenario_io import load_scenario
from tests.ui.factories import make_establishment
from ui.autosave import Autosaver, default_folder, pending_recoveries
from ui.project_model import ProjectModel

FULL = Path(__file__).parents[1] / "planner" / "data" / "scenarios" / "full.json"


@pytest.fixture
def model(qtbot):
    """A small project (six posts, one scenario) with no unsaved changes."""
    m = ProjectModel()
    m.load(Project(make_establishment(), [load_scenario(FULL)]))
    yield m
    m.shutdown()


def edited(model: ProjectModel, description: str = "Edited before the crash") -> None:
    scenario = model.scenario()
    assert scenario is not None
    model.edit_scenario(edit(scenario, "description", description), "Edit description")


def test_recovery_after_a_crash(qtbot, demo_model: ProjectModel, tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    saver = Autosaver(demo_model, folder)
    edited(demo_model)
    demo_model.remove_scenario(1)
    wanted = list(demo_model.scenarios)
    with qtbot.waitSignal(saver.saved) as signal:
        path = saver.save_now()
    assert path is not None and signal.args == [path]
    assert path == recovery_path(folder, None, saver.session)

    saver.stop()  # the "crash": nothing is saved, nothing cleared
    demo_model.shutdown()
    del saver

    found = pending_recoveries(folder)
    assert [info.path for info in found] == [path]
    assert found[0].original_path is None
    assert found[0].scenarios == tuple(s.name for s in wanted)
    recovered = load_project(found[0].path)
    assert recovered.scenarios == wanted
    assert recovered.audit[-1].action.startswith("Delete scenario")


def test_clear_removes_the_recovery_file(model: ProjectModel, tmp_path: Path) -> None:
    saver = Autosaver(model, tmp_path)
    edited(model)
    path = saver.save_now()
    assert path is not None and path.exists()
    saver.clear()
    assert not path.exists()
    assert pending_recoveries(tmp_path) == []


def test_nothing_written_without_unsaved_changes(model: ProjectModel, tmp_path: Path) -> None:
    saver = Autosaver(model, tmp_path)
    assert not model.is_dirty()
    assert saver.save_now() is None
    edited(model)
    assert saver.save_now() is not None
    assert saver.save_now() is None  # nothing new since the last autosave
    edited(model, "Again")
    assert saver.save_now() is not None


def test_timer_writes_in_the_background(qtbot, model: ProjectModel, tmp_path: Path) -> None:
    saver = Autosaver(model, tmp_path, interval_ms=20)
    edited(model)
    with qtbot.waitSignal(saver.saved, timeout=10000) as signal:
        pass
    (path,) = signal.args
    assert load_project(path).scenarios == model.scenarios
    saver.stop()


def test_clear_wins_over_a_write_in_flight(qtbot, model: ProjectModel,
                                           tmp_path: Path) -> None:
    saver = Autosaver(model, tmp_path)
    saved: list[Path] = []
    saver.saved.connect(saved.append)
    edited(model)
    assert saver.autosave()  # a background write starts…
    saver.clear()  # …and the project is saved or closed before it ends
    qtbot.waitUntil(lambda: not saver._runner.is_running())
    assert list(tmp_path.glob("*.fteplan")) == [] and saved == []


def test_saving_the_project_removes_its_recovery_copy(model: ProjectModel,
                                                      tmp_path: Path) -> None:
    folder = tmp_path / "recovery"
    saver = Autosaver(model, folder)
    edited(model)
    untitled = saver.save_now()
    assert untitled is not None and untitled.exists()

    target = tmp_path / "budget.fteplan"  # what File ▸ Save as does
    save_project(model.project, target)
    model.mark_saved(target)
    assert not untitled.exists()
    assert list(folder.glob("*.fteplan")) == []

    edited(model, "After saving")
    named = saver.save_now()
    assert named == recovery_path(folder, target, saver.session)
    assert pending_recoveries(folder) == []  # this session is alive: its copy is not left over
    info = list_recoveries(folder)[0]
    assert info.original_path == target.absolute()
    model.undo_stack.undo()  # back to the saved state: the copy is no longer needed
    assert not model.is_dirty() and not named.exists()


def test_a_failed_autosave_is_reported_not_raised(qtbot, model: ProjectModel,
                                                  tmp_path: Path) -> None:
    blocker = tmp_path / "not a folder"
    blocker.write_text("x", encoding="utf-8")
    saver = Autosaver(model, blocker)
    edited(model)
    with qtbot.waitSignal(saver.failed) as signal:
        assert saver.save_now() is None
    assert "recovery folder" in signal.args[0]


def test_default_folder_is_under_app_data() -> None:
    assert default_folder().name == "recovery"
