"""The open project as an observable object: views take it in ``__init__`` and listen.

:class:`ProjectModel` holds a :class:`planner.project.Project`, applies every
edit as a domain command through a ``QUndoStack`` (so Ctrl+Z / Ctrl+Y work
everywhere), writes each edit to the audit log, and keeps the expected-value
results of every scenario up to date in the background: an edit cancels the
computation in flight and recomputes, current scenario first. Results are
cached by scenario object, so undo brings back the earlier results at once.
Monte Carlo runs and the safe-sequencing advice are started on request and
can be cancelled.
"""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path
from typing import Any

import pandas as pd
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from planner.advisor import Advice, Schedule, advise
from planner.commands import (
    Command,
    InsertScenario,
    RemoveScenario,
    ReplaceScenario,
    SetEstablishment,
)
from planner.establishment import Establishment
from planner.montecarlo import DEFAULT_RUNS, Simulation, simulate
from planner.project import Project
from planner.results import Results
from planner.runner import run_scenario
from planner.scenario import Scenario
from planner.tasks import TaskState
from planner.workforce import Workforce, as_workforce
from ui.tasks import TaskRunner

CACHE_SIZE = 64  # results kept (undo and redo hit this cache)


class _UndoCommand(QUndoCommand):
    """A domain command in Qt's undo stack: redo applies it, undo applies its inverse."""

    def __init__(self, model: ProjectModel, command: Command) -> None:
        super().__init__(command.text)
        self._model = model
        self._command = command
        self._inverse: Command | None = None

    def redo(self) -> None:
        self._inverse = self._model._apply(self._command)

    def undo(self) -> None:
        if self._inverse is not None:
            self._command = self._model._apply(self._inverse, undo=True)


class ProjectModel(QObject):
    """The project, its undo stack and its results."""

    establishment_changed = Signal(object)  # Establishment | None
    scenarios_changed = Signal()  # added, removed, renamed or reordered
    scenario_changed = Signal(int)  # the scenario at this index was edited
    current_changed = Signal(int)
    results_changed = Signal(int)  # results for this scenario index are ready (or failed)
    computing_changed = Signal(bool)
    dirty_changed = Signal(bool)
    path_changed = Signal(object)  # Path | None
    simulation_changed = Signal(int)  # a simulation for this index finished
    advice_changed = Signal(int)
    message = Signal(str)  # a status-bar sentence

    def __init__(self, project: Project | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.project = project if project is not None else Project()
        self.path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self._extra_dirty = False
        self._workforce: Workforce | None = None
        self._teams: tuple[pd.DataFrame, list[str]] | None = None  # posts → their teams
        self._results: OrderedDict[int, tuple[Scenario, Results]] = OrderedDict()
        self._errors: dict[int, tuple[Scenario, str]] = {}
        self._simulations: dict[int, tuple[Scenario, Simulation]] = {}
        self._advice: dict[int, tuple[Scenario, tuple[list[Advice], Schedule]]] = {}
        self.compute = TaskRunner("recompute", self)
        self.compute.finished.connect(self._on_computed)
        self.compute.failed.connect(self._on_compute_failed)
        self.compute.running_changed.connect(self.computing_changed)
        self.simulation = TaskRunner("simulation", self)
        self.simulation.finished.connect(self._on_simulated)
        self.advisor = TaskRunner("advice", self)
        self.advisor.finished.connect(self._on_advised)
        self._computing: Scenario | None = None
        self._generation = 0  # bumped with each establishment: older outcomes are dropped

    # ----- reading ------------------------------------------------------------------------
    @property
    def establishment(self) -> Establishment | None:
        return self.project.establishment

    @property
    def scenarios(self) -> list[Scenario]:
        return self.project.scenarios

    def scenario(self, index: int | None = None) -> Scenario | None:
        index = self.current_index() if index is None else index
        if 0 <= index < len(self.project.scenarios):
            return self.project.scenarios[index]
        return None

    def current_index(self) -> int:
        return self.project.current if self.project.scenarios else -1

    def index_of(self, scenario: Scenario) -> int:
        for i, s in enumerate(self.project.scenarios):
            if s is scenario:
                return i
        return -1

    def establishment_teams(self) -> list[str]:
        """The establishment's distinct team names as written (first spelling of each,
        ignoring case and spaces), worked out once per establishment: the editors ask on
        every change, and 200,000 posts take 20 ms each time."""
        est = self.project.establishment
        if est is None or "team" not in est.posts:
            return []
        cached = self._teams
        if cached is None or cached[0] is not est.posts:
            names: dict[str, str] = {}
            for team in est.posts["team"].dropna().unique():
                names.setdefault(str(team).strip().casefold(), str(team).strip())
            cached = self._teams = (est.posts, list(names.values()))
        return list(cached[1])

    def workforce(self) -> Workforce | None:
        """The establishment compiled once for fast reruns."""
        if self._workforce is None and self.project.establishment is not None:
            self._workforce = as_workforce(self.project.establishment.posts)
        return self._workforce

    def results(self, index: int | None = None) -> Results | None:
        """The expected-value results of a scenario, if they are up to date."""
        scenario = self.scenario(index)
        if scenario is None:
            return None
        entry = self._results.get(id(scenario))
        return entry[1] if entry is not None and entry[0] is scenario else None

    def result_error(self, index: int | None = None) -> str | None:
        """Why a scenario could not be computed (a sentence), if it could not."""
        scenario = self.scenario(index)
        entry = self._errors.get(id(scenario)) if scenario is not None else None
        return entry[1] if entry is not None and entry[0] is scenario else None

    def simulation_result(self, index: int | None = None) -> Simulation | None:
        scenario = self.scenario(index)
        entry = self._simulations.get(id(scenario)) if scenario is not None else None
        return entry[1] if entry is not None and entry[0] is scenario else None

    def advice(self, index: int | None = None) -> tuple[list[Advice], Schedule] | None:
        scenario = self.scenario(index)
        entry = self._advice.get(id(scenario)) if scenario is not None else None
        return entry[1] if entry is not None and entry[0] is scenario else None

    def is_dirty(self) -> bool:
        return self._extra_dirty or not self.undo_stack.isClean()

    # ----- editing --------------------------------------------------------------------------
    def push(self, command: Command) -> None:
        """Apply ``command`` as one undoable step."""
        self.undo_stack.push(_UndoCommand(self, command))

    def edit_scenario(self, scenario: Scenario, text: str, index: int | None = None) -> None:
        """Replace the scenario at ``index`` (default: the current one) with an edited copy."""
        index = self.current_index() if index is None else index
        if self.scenario(index) is scenario:
            return
        self.push(ReplaceScenario(index, scenario, text))

    def add_scenario(self, scenario: Scenario, text: str = "Add scenario") -> None:
        scenario = _renamed(scenario, self.project.unique_name(scenario.name))
        self.push(InsertScenario(len(self.project.scenarios), scenario, text))

    def remove_scenario(self, index: int) -> None:
        name = self.project.scenarios[index].name
        self.push(RemoveScenario(index, f"Delete scenario “{name}”"))

    def set_current(self, index: int) -> None:
        if index != self.project.current and 0 <= index < len(self.project.scenarios):
            self.project.current = index
            self.current_changed.emit(index)
            self._schedule()

    def set_establishment(self, establishment: Establishment | None, text: str = "") -> None:
        """A new import: undoable, scenarios kept and rerun."""
        name = establishment.source.path.name if establishment is not None else "none"
        self.push(SetEstablishment(establishment, text or f"Import establishment {name}"))

    def _apply(self, command: Command, undo: bool = False) -> Command:
        """Apply a command, log it, tell the views and recompute."""
        before = list(self.project.scenarios)
        current = self.project.current
        inverse = command.apply(self.project)
        self.project.log(("Undo: " if undo else "") + command.text)
        if isinstance(command, SetEstablishment):
            self.cancel_all()  # their results belong to the old establishment
            self._generation += 1
            self._workforce = None
            self._results.clear()
            self._errors.clear()
            self._simulations.clear()
            self._advice.clear()
        if isinstance(command, SetEstablishment):
            self._schedule_after_redraw()
        else:
            self._schedule()  # start computing before the views redraw their inputs
        if isinstance(command, SetEstablishment):
            self.establishment_changed.emit(self.project.establishment)
        elif isinstance(command, ReplaceScenario):
            self.scenario_changed.emit(command.index)
            if self.results(command.index) is not None:  # back to cached results (undo)
                self.results_changed.emit(command.index)
        if [id(s) for s in before] != [id(s) for s in self.project.scenarios] and not \
                isinstance(command, ReplaceScenario):
            self.scenarios_changed.emit()
        if isinstance(command, ReplaceScenario) and before[command.index].name != \
                self.project.scenarios[command.index].name:
            self.scenarios_changed.emit()
        if self.project.current != current or not isinstance(command, ReplaceScenario):
            self.current_changed.emit(self.current_index())
        return inverse

    # ----- whole projects -------------------------------------------------------------------
    def load(self, project: Project, path: Path | None = None, *, dirty: bool = False) -> None:
        """Show another project (opened, new, or recovered); the undo history starts again."""
        self.cancel_all()
        self._generation += 1
        self.project = project
        self.path = path
        self._workforce = None
        self._results.clear()
        self._errors.clear()
        self._simulations.clear()
        self._advice.clear()
        self.undo_stack.clear()
        self._extra_dirty = dirty
        self.establishment_changed.emit(project.establishment)
        self.scenarios_changed.emit()
        self.current_changed.emit(self.current_index())
        self.path_changed.emit(path)
        self.dirty_changed.emit(self.is_dirty())
        self._schedule_after_redraw()

    def mark_saved(self, path: Path) -> None:
        self.path = path
        self._extra_dirty = False
        self.undo_stack.setClean()
        self.path_changed.emit(path)
        self.dirty_changed.emit(False)

    def _on_clean_changed(self, _clean: bool) -> None:
        self.dirty_changed.emit(self.is_dirty())

    # ----- background work --------------------------------------------------------------------
    def _stale(self) -> list[Scenario]:
        """Scenarios without up-to-date results or errors, current first."""
        order = list(self.project.scenarios)
        cur = self.scenario()
        if cur is not None:
            order.remove(cur)
            order.insert(0, cur)
        return [s for s in order
                if self.results(self.index_of(s)) is None
                and self.result_error(self.index_of(s)) is None]

    def has_establishment(self) -> bool:
        return self.project.establishment is not None

    def _schedule_after_redraw(self) -> None:
        """Start computing once the views have drawn the new establishment.

        Drawing calls into Python thousands of times, and each call waits for Python's lock
        while a computation holds it: started at once, the first computation of a
        200,000-post establishment turned a 0.1 s redraw into 0.4 s.
        """
        QTimer.singleShot(0, self, self._schedule)

    def _schedule(self) -> None:
        """(Re)start the computation with the most wanted stale scenario.

        The first run after a new establishment also compiles its Workforce in the
        background (1–2 s for 200,000 posts, which would freeze the window here).
        """
        est = self.project.establishment
        stale = self._stale() if est is not None else []
        if est is None or not stale:
            if self._computing is not None:
                self.compute.cancel()
                self._computing = None
            return
        target = stale[0]
        if self._computing is target and self.compute.is_running():
            return
        self._computing = target

        def work(state: TaskState, posts: pd.DataFrame = est.posts,
                 wf: Workforce | None = self._workforce, s: Scenario = target
                 ) -> tuple[Scenario, Results, pd.DataFrame, Workforce]:
            wf = wf if wf is not None else as_workforce(posts)
            results = run_scenario(wf, s, state)
            results.service()  # the dashboard needs it at once: work it out here
            results.kpis()
            return s, results, posts, wf

        self.compute.start(work)

    def _on_computed(self, outcome: tuple[Scenario, Results, pd.DataFrame, Workforce]) -> None:
        scenario, results, posts, wf = outcome
        est = self.project.establishment
        if est is None or est.posts is not posts:
            # Computed for an establishment replaced since (its cancel came too late).
            self._computing = None
            self._schedule()
            return
        if self._workforce is None:
            self._workforce = wf
        self._computing = None
        self._results[id(scenario)] = (scenario, results)
        self._results.move_to_end(id(scenario))
        self._evict()
        index = self.index_of(scenario)
        if index >= 0:
            self.results_changed.emit(index)
        self._schedule()

    def _evict(self) -> None:
        """Forget the oldest results beyond CACHE_SIZE, but never a scenario in the project
        (only versions kept for undo go)."""
        live = {id(s) for s in self.project.scenarios}
        for key in list(self._results):
            if len(self._results) <= CACHE_SIZE:
                break
            if key not in live:
                del self._results[key]

    def _on_compute_failed(self, message: str, _details: str) -> None:
        scenario = self._computing
        self._computing = None
        if scenario is not None:
            self._errors[id(scenario)] = (scenario, message)
            index = self.index_of(scenario)
            if index >= 0:
                self.results_changed.emit(index)
        self._schedule()

    def run_simulation(self, runs: int = DEFAULT_RUNS, seed: int | None = None,
                       index: int | None = None) -> bool:
        """Start a Monte Carlo run for a scenario whose results are ready; False if not."""
        scenario, results = self.scenario(index), self.results(index)
        if scenario is None or results is None:
            return False

        generation = self._generation

        def work(state: TaskState) -> tuple[Scenario, Simulation, int]:
            return scenario, simulate(results, runs=runs, seed=seed, state=state), generation

        self.simulation.start(work)
        return True

    def _on_simulated(self, outcome: tuple[Scenario, Simulation, int]) -> None:
        scenario, sim, generation = outcome
        if generation != self._generation:
            return  # run on an establishment that has since been replaced
        self._simulations[id(scenario)] = (scenario, sim)
        index = self.index_of(scenario)
        if index >= 0:
            self.simulation_changed.emit(index)

    def run_advice(self, index: int | None = None, confidence: float | None = None) -> bool:
        """Work out the safe-sequencing advice in the background; False if nothing to advise."""
        scenario, wf = self.scenario(index), self.workforce()
        if scenario is None or wf is None:
            return False

        generation = self._generation

        def work(state: TaskState) -> tuple[Scenario, Any, int]:
            return scenario, advise(wf, scenario, confidence=confidence, state=state), generation

        self.advisor.start(work)
        return True

    def _on_advised(self, outcome: tuple[Scenario, tuple[list[Advice], Schedule], int]
                    ) -> None:
        scenario, advice, generation = outcome
        if generation != self._generation:
            return
        self._advice[id(scenario)] = (scenario, advice)
        index = self.index_of(scenario)
        if index >= 0:
            self.advice_changed.emit(index)

    def cancel_all(self) -> None:
        for runner in (self.compute, self.simulation, self.advisor):
            runner.cancel()
        self._computing = None

    def shutdown(self) -> None:
        for runner in (self.compute, self.simulation, self.advisor):
            runner.shutdown()

    def wait(self, msecs: int = 30000) -> bool:
        """Block until background work has stopped (tests and benchmarks)."""
        return all(r.wait(msecs) for r in (self.compute, self.simulation, self.advisor))


def _renamed(scenario: Scenario, name: str) -> Scenario:
    from dataclasses import replace

    return scenario if scenario.name == name else replace(scenario, name=name)
