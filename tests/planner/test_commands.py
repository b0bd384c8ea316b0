"""Scenario commands keep the scenario on screen when others are removed or restored."""

from __future__ import annotations

from planner.commands import RemoveScenario
from planner.project import Project
from planner.scenario import Scenario


def _project() -> Project:
    from planner.months import Horizon, next_april

    h = Horizon(next_april(), 12)
    return Project(None, [Scenario(name=n, horizon=h) for n in "ABC"], [], current=1)


def test_remove_before_current_keeps_the_current_scenario() -> None:
    project = _project()  # current = B
    RemoveScenario(0).apply(project)
    assert project.scenarios[project.current].name == "B"


def test_undo_of_remove_restores_the_current_scenario() -> None:
    project = _project()
    project.current = 2  # C on screen; B removed from the list's context (index 1)
    inverse = RemoveScenario(1).apply(project)
    inverse.apply(project)
    assert project.scenarios[project.current].name == "C"
