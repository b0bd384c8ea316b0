"""Turn posts chosen in the posts table into scenario actions.

"Delete these posts from…" adds a :class:`~planner.scenario.DeletePosts` and
"Freeze vacancies…" a :class:`~planner.scenario.VacancyFreeze`, each selecting the
chosen posts by post id, to the current scenario of the project as one undoable
edit. A small dialog asks for the month (from the scenario's horizon) and a label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from planner.establishment_groups import GroupTotals
from planner.months import month_label
from planner.scenario import DeletePosts, Scenario, Selector, VacancyFreeze
from planner.scenario_edits import insert_item
from ui import formatting
from ui.project_model import ProjectModel

NO_SCENARIO_TIP = (
    "Add or choose a scenario first: these actions go into the current scenario."
)
NO_SELECTION_TIP = "Select one or more posts first (Ctrl+A selects every post shown)."
DELETE_TIP = "Add an action to the current scenario that deletes the selected posts in a month"
FREEZE_TIP = (
    "Add an action to the current scenario that stops leavers from the selected posts "
    "being replaced"
)


@dataclass(frozen=True)
class ChosenPosts:
    """The posts an action will select: their ids, their sums and the filters in words."""

    post_ids: tuple[str, ...]
    totals: GroupTotals
    filters: str = ""


def amount_text(chosen: ChosenPosts) -> str:
    """``"12 posts (34.50 FTE)"``."""
    return f"{formatting.plural(len(chosen.post_ids), 'post')} " \
           f"({formatting.fte(chosen.totals.fte)} FTE)"


def delete_text(chosen: ChosenPosts, month: int) -> str:
    """The Edit-menu text: ``"Delete 12 posts (34.50 FTE) from Oct 2027"``."""
    return f"Delete {amount_text(chosen)} from {month_label(month)}"


def freeze_text(chosen: ChosenPosts, month: int, until: int | None,
                delete_on_vacancy: bool) -> str:
    """``"Freeze vacancies in 12 posts (34.50 FTE) from Oct 2027 until Apr 2028"``."""
    text = f"Freeze vacancies in {amount_text(chosen)} from {month_label(month)}"
    if until is not None:
        text += f" until {month_label(until)}"
    if delete_on_vacancy:
        text += ", deleting posts as they fall vacant"
    return text


def delete_action(chosen: ChosenPosts, month: int, label: str = "") -> DeletePosts:
    return DeletePosts(month, Selector(post_ids=tuple(chosen.post_ids)), label=label.strip())


def freeze_action(chosen: ChosenPosts, month: int, until: int | None = None,
                  delete_on_vacancy: bool = False, label: str = "") -> VacancyFreeze:
    return VacancyFreeze(month, Selector(post_ids=tuple(chosen.post_ids)), until=until,
                         delete_on_vacancy=delete_on_vacancy, label=label.strip())


def _month_combo(months: range, accessible: str, none_text: str | None = None) -> QComboBox:
    """A drop-down of months shown as "Oct 2027" holding month numbers (None: ``none_text``)."""
    combo = QComboBox()
    combo.setAccessibleName(accessible)
    combo.setMaxVisibleItems(15)
    _fill_months(combo, months, none_text)
    return combo


def _fill_months(combo: QComboBox, months: range, none_text: str | None) -> None:
    keep = combo.currentData()
    combo.clear()
    if none_text is not None:
        combo.addItem(none_text, None)
    for number in months:
        combo.addItem(month_label(number), number)
    index = combo.findData(keep) if keep is not None else -1
    combo.setCurrentIndex(index if index >= 0 else 0)


class _ActionDialog(QDialog):
    """What both dialogs share: a sentence, a form, a label box and the buttons."""

    def __init__(self, title: str, sentence: str, chosen: ChosenPosts,
                 parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.chosen = chosen
        intro = QLabel(sentence)
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form = QFormLayout()
        self.label_edit = QLineEdit(chosen.filters)
        self.label_edit.setAccessibleName("Label")
        self.label_edit.setPlaceholderText("What this is, e.g. Waste round redesign")
        self.label_edit.setToolTip("Shown in the actions table and on the charts' markers")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add to scenario")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def _finish_form(self) -> None:
        self.form.addRow("La&bel:", self.label_edit)
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("M") * 36)


class DeletePostsDialog(_ActionDialog):
    """Ask from which month the chosen posts are deleted."""

    def __init__(self, scenario: Scenario, chosen: ChosenPosts,
                 parent: QWidget | None = None) -> None:
        filled = chosen.totals.posts_filled
        if filled:
            verb = "is" if filled == 1 else "are"
            people = f"{filled:,} {verb} filled: the holders are displaced and may be redeployed."
        else:
            people = "All are vacant: nobody is displaced."
        sentence = (
            f"Delete {amount_text(chosen)}. {people} "
            f"The action goes into the scenario “{scenario.name}”."
        )
        super().__init__("Delete posts", sentence, chosen, parent)
        self.scenario = scenario
        self.month_combo = _month_combo(scenario.horizon.numbers(), "Month the posts go")
        self.month_combo.setToolTip("The posts are deleted at the start of this month")
        self.form.addRow("&From month:", self.month_combo)
        self._finish_form()

    def month(self) -> int:
        return int(self.month_combo.currentData())

    def action(self) -> DeletePosts:
        return delete_action(self.chosen, self.month(), self.label_edit.text())

    def edit_text(self) -> str:
        return delete_text(self.chosen, self.month())


class FreezeVacanciesDialog(_ActionDialog):
    """Ask when a vacancy freeze on the chosen posts starts and lifts."""

    def __init__(self, scenario: Scenario, chosen: ChosenPosts,
                 parent: QWidget | None = None) -> None:
        vacant = chosen.totals.posts_vacant
        sentence = (
            f"Leavers from these {amount_text(chosen)} are not replaced while the freeze "
            f"lasts; {formatting.plural(vacant, 'post is', 'posts are')} vacant now. "
            f"The action goes into the scenario “{scenario.name}”."
        )
        super().__init__("Freeze vacancies", sentence, chosen, parent)
        self.scenario = scenario
        horizon = scenario.horizon
        self.month_combo = _month_combo(horizon.numbers(), "Month the freeze starts")
        self.until_combo = _month_combo(
            range(horizon.start + 1, horizon.end), "Month the freeze lifts",
            f"End of the scenario ({month_label(horizon.end - 1)})",
        )
        self.until_combo.setToolTip("The freeze lifts at the start of this month")
        self.month_combo.currentIndexChanged.connect(self._on_month_changed)
        self.delete_check = QCheckBox("&Delete the posts as they fall vacant, and vacant "
                                      "posts now")
        self.delete_check.setToolTip(
            "Instead of leaving the posts empty, delete them (no redundancy: nobody is in them)"
        )
        self.form.addRow("&From month:", self.month_combo)
        self.form.addRow("&Until:", self.until_combo)
        self.form.addRow("", self.delete_check)
        self._finish_form()

    def _on_month_changed(self, _index: int) -> None:
        """Only months after the start can end the freeze."""
        end = self.scenario.horizon.end
        _fill_months(self.until_combo, range(self.month() + 1, end),
                     self.until_combo.itemText(0))

    def month(self) -> int:
        return int(self.month_combo.currentData())

    def until(self) -> int | None:
        data = self.until_combo.currentData()
        return None if data is None else int(data)

    def action(self) -> VacancyFreeze:
        return freeze_action(self.chosen, self.month(), self.until(),
                             self.delete_check.isChecked(), self.label_edit.text())

    def edit_text(self) -> str:
        return freeze_text(self.chosen, self.month(), self.until(), self.delete_check.isChecked())


class PostActions(QObject):
    """The "Delete these posts from…" and "Freeze vacancies…" actions of a posts view.

    Args:
        model: the project whose current scenario receives the actions (None: always off).
        chosen: called when an action runs, returns the posts selected now.
        parent: the view; the dialogs open over it.

    Signals:
        applied(str): an action was added to the current scenario (the Edit-menu text).
    """

    applied = Signal(str)

    def __init__(self, model: ProjectModel | None, chosen: Callable[[], ChosenPosts],
                 parent: QWidget) -> None:
        super().__init__(parent)
        self._model = model
        self._chosen = chosen
        self._parent = parent
        self._selected = 0
        self.delete_action = QAction("&Delete these posts from…", parent)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.delete_action.triggered.connect(self.delete_chosen)
        self.freeze_action = QAction("Free&ze vacancies…", parent)
        self.freeze_action.triggered.connect(self.freeze_chosen)
        if model is not None:
            for signal in (model.current_changed, model.scenarios_changed,
                           model.scenario_changed):
                signal.connect(self._refresh)
        self.update_enabled(0)

    def scenario(self) -> Scenario | None:
        return self._model.scenario() if self._model is not None else None

    def update_enabled(self, selected: int) -> None:
        """Enable the actions for ``selected`` chosen posts, with a tooltip saying why not."""
        self._selected = selected
        scenario = self.scenario()
        if scenario is None:
            why = NO_SCENARIO_TIP
        elif not selected:
            why = NO_SELECTION_TIP
        else:
            why = ""
        for action, tip in ((self.delete_action, DELETE_TIP), (self.freeze_action, FREEZE_TIP)):
            action.setEnabled(not why)
            text = why or f"{tip} (scenario “{scenario.name}”)"  # type: ignore[union-attr]
            action.setToolTip(text)
            action.setStatusTip(text)

    def _refresh(self, *_args: object) -> None:
        self.update_enabled(self._selected)

    def delete_chosen(self) -> bool:
        """Ask for the month and add the deletion; False when cancelled or not possible."""
        return self._run(DeletePostsDialog)

    def freeze_chosen(self) -> bool:
        """Ask for the months and add the freeze; False when cancelled or not possible."""
        return self._run(FreezeVacanciesDialog)

    def _run(self, dialog_class: type[DeletePostsDialog] | type[FreezeVacanciesDialog]) -> bool:
        scenario, model = self.scenario(), self._model
        if scenario is None or model is None:
            return False
        chosen = self._chosen()
        if not chosen.post_ids:
            return False
        dialog = dialog_class(scenario, chosen, self._parent)
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            action, text = dialog.action(), dialog.edit_text()
        finally:
            dialog.deleteLater()
        current = model.scenario()  # the same one unless something changed it meanwhile
        if current is None:
            return False
        model.edit_scenario(insert_item(current, "actions", action), text)
        self.applied.emit(text)
        return True
