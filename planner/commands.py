"""Undoable edits of a project as plain command objects (in the manner of glue).

Each command's :meth:`apply` changes the :class:`~planner.project.Project` and
returns the command that undoes it, so undo and redo need no Qt: the app wraps
them thinly in ``QUndoCommand``. Scenarios are frozen dataclasses, so an edit
replaces a whole scenario; :mod:`planner.scenario_edits` builds the new one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from planner.establishment import Establishment
from planner.personal_data import remove_personal_data
from planner.project import Project
from planner.scenario import Scenario


class Command(Protocol):
    """An edit: ``text`` names it for the Edit menu and the audit log."""

    @property
    def text(self) -> str: ...

    def apply(self, project: Project) -> Command:
        """Make the change; return the command that reverses it."""
        ...


@dataclass(frozen=True)
class ReplaceScenario:
    """Put ``scenario`` at ``index`` (every edit of one scenario is one of these)."""

    index: int
    scenario: Scenario
    text: str = "Edit scenario"

    def apply(self, project: Project) -> ReplaceScenario:
        old = project.scenarios[self.index]
        project.scenarios[self.index] = self.scenario
        return ReplaceScenario(self.index, old, self.text)


@dataclass(frozen=True)
class InsertScenario:
    """Add ``scenario`` at ``index`` (add and duplicate); it becomes the current one,
    unless ``current`` says which scenario to show (undoing a delete)."""

    index: int
    scenario: Scenario
    text: str = "Add scenario"
    current: int | None = None

    def apply(self, project: Project) -> RemoveScenario:
        index = max(0, min(self.index, len(project.scenarios)))
        before = project.current
        project.scenarios.insert(index, self.scenario)
        project.current = index if self.current is None else self.current
        return RemoveScenario(index, self.text, before)


@dataclass(frozen=True)
class RemoveScenario:
    """Delete the scenario at ``index``; the one shown stays shown (if it is not this one)."""

    index: int
    text: str = "Delete scenario"
    current: int | None = None  # what to show afterwards (undoing an add)

    def apply(self, project: Project) -> InsertScenario:
        before = project.current
        old = project.scenarios.pop(self.index)
        if self.current is not None:
            project.current = self.current
        elif project.current > self.index:
            project.current -= 1
        project.current = max(0, min(project.current, len(project.scenarios) - 1))
        return InsertScenario(self.index, old, self.text, before)


@dataclass(frozen=True)
class MoveScenario:
    """Move the scenario at ``source`` to ``target`` (the order of the Compare view)."""

    source: int
    target: int
    text: str = "Move scenario"

    def apply(self, project: Project) -> MoveScenario:
        scenario = project.scenarios.pop(self.source)
        project.scenarios.insert(self.target, scenario)
        project.current = self.target
        return MoveScenario(self.target, self.source, self.text)


@dataclass(frozen=True)
class SetEstablishment:
    """Replace the establishment (a new import); scenarios are kept and rerun."""

    establishment: Establishment | None
    text: str = "Import establishment"

    def apply(self, project: Project) -> SetEstablishment:
        old = project.establishment
        project.establishment = self.establishment
        return SetEstablishment(old, self.text)


@dataclass(frozen=True)
class RemovePersonalData(SetEstablishment):
    """Put the copy of the establishment without personal data in its place.

    Build it with :meth:`of`. Undoing puts the establishment with personal data back
    (a plain :class:`SetEstablishment`), until the project is closed: once it is saved
    and closed, the personal data is gone for good. The audit text names no person.
    """

    text: str = "Remove personal data"

    @classmethod
    def of(cls, establishment: Establishment, start: int, *, user: str | None = None,
           when: dt.datetime | None = None) -> RemovePersonalData:
        """The command for ``establishment``, ages and service worked out at ``start``."""
        return cls(remove_personal_data(establishment, start, user=user, when=when))
