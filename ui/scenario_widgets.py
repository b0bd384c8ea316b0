"""Small widgets and helpers the scenario editors share (changes, demand and pools).

:class:`MonthCombo` picks a month of the horizon, :class:`TeamChecklist` ticks
teams, :func:`known_teams` lists the teams a scenario can name and
:func:`commit_edit` applies an edited scenario as one undoable step after
checking it with the scenario-file rules
(:func:`planner.change_schedule.edit_problems`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import QComboBox, QListWidget, QListWidgetItem, QWidget

from planner.change_schedule import edit_problems
from planner.months import Horizon, month_label
from planner.scenario import CreatePosts, Scenario
from ui.project_model import ProjectModel


def known_teams(model: ProjectModel) -> list[str]:
    """The establishment's teams and teams that ``create_posts`` actions create, A–Z."""
    names = {team.casefold(): team for team in model.establishment_teams()}
    scenario = model.scenario()
    for action in scenario.actions if scenario is not None else ():
        if isinstance(action, CreatePosts):
            names.setdefault(action.team.strip().casefold(), action.team.strip())
    return sorted(names.values(), key=str.casefold)


def commit_edit(model: ProjectModel, after: Scenario, text: str,
                report: Callable[[str], object] | None = None) -> bool:
    """Apply ``after`` as one undoable edit, or refuse it if it brings in a problem.

    ``report`` (such as ``problem.emit``) receives the refusal sentence, or ``""``.
    """
    problems = edit_problems(model.scenario(), after)
    if problems:
        more = len(problems) - 1
        message = problems[0] + (f" (and {more} more problem{'s' * (more > 1)})" if more else "")
        if report is not None:
            report(f"Not changed. {message}")
        return False
    model.edit_scenario(after, text)
    if report is not None:
        report("")
    return True


class MonthCombo(QComboBox):
    """Pick a month of the horizon (the value is a month number; None with ``none_text``)."""

    def __init__(self, parent: QWidget | None = None, none_text: str | None = None) -> None:
        super().__init__(parent)
        self._none_text = none_text
        self.setAccessibleName("Month")

    def set_months(self, horizon: Horizon, value: int | None = None) -> None:
        """List the horizon's months (and ``value`` if outside it) and select ``value``."""
        with QSignalBlocker(self):
            self.clear()
            if self._none_text is not None:
                self.addItem(self._none_text, None)
            numbers = list(horizon.numbers())
            if value is not None and value not in horizon:
                numbers = sorted([*numbers, value])
            for n in numbers:
                self.addItem(month_label(n), n)
            self.set_month(value)

    def set_month(self, value: int | None) -> None:
        i = self.findData(value)
        self.setCurrentIndex(max(i, 0))

    def month(self) -> int | None:
        return self.currentData()


class TeamChecklist(QListWidget):
    """Teams with check boxes (Space toggles; type a name to jump to it)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Teams")
        self.setUniformItemSizes(True)

    def set_teams(self, teams: Sequence[str], checked: Sequence[str]) -> None:
        keys = {t.strip().casefold() for t in checked}
        listed = {t.strip().casefold() for t in teams}
        names = list(teams) + [t for t in checked if t.strip().casefold() not in listed]
        row, scroll = self.currentRow(), self.verticalScrollBar().value()
        with QSignalBlocker(self):
            self.clear()
            for name in names:
                item = QListWidgetItem(name, self)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if name.strip().casefold() in keys
                                   else Qt.CheckState.Unchecked)
            self.setCurrentRow(min(row, self.count() - 1))  # a refill keeps the place
        self.verticalScrollBar().setValue(scroll)

    def checked(self) -> list[str]:
        return [self.item(i).text() for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]
