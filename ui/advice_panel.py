"""Safe sequencing for the current scenario, as a readable list (DESIGN §5).

Shows, for the current scenario, the reductions made before the change meant
to absorb them is live (always: they come with the results), and once the
user asks ("Work out safe dates", run in the background by
``model.run_advice()``), the earliest safe month of each reduction, what
waiting gives up, the cover needed to cut on the planned date, and the
suggested schedule. Every figure comes from :mod:`planner.advisor` and
:mod:`planner.service`; this module only words and lays them out.
"""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from planner.advisor import Advice, Schedule
from planner.months import month_label
from planner.service import CutBeforeLive
from ui import formatting
from ui.deferred import when_shown
from ui.errors import show_error
from ui.project_model import ProjectModel

INTRO = ("For each reduction (posts deleted, FTE reduced, vacancies deleted as they fall "
         "vacant): the earliest month it can happen without adding red months to the teams "
         "it cuts, what waiting costs in savings, and the temporary cover that would hold the "
         "line if it happens on the planned date.")
NOT_YET = "Not worked out yet for this scenario: choose “Work out safe dates”."
NO_REDUCTIONS = "This scenario has no reductions to date."
NO_WARNINGS = ("No reduction is made before the change meant to absorb it reaches full "
               "effect.")
NO_SCENARIO = "No scenario is open."

#: Status words shown with each reduction (never colour alone).
SAFE, TOO_EARLY, NEVER = "Safe on the planned date", "Too early", "Never safe in the horizon"


def advice_status(a: Advice) -> str:
    if a.safe_month is None:
        return NEVER
    return SAFE if a.safe_on_plan else TOO_EARLY


def advice_lines(a: Advice) -> list[str]:
    """The facts of one piece of advice, one short sentence each."""
    lines = [f"Planned: {month_label(a.planned_month)}."]
    if a.safe_month is None:
        lines.append("Earliest safe month: none within the horizon (wherever it falls it adds "
                     "red months: the change meant to absorb it is too small).")
    else:
        lines.append(f"Earliest safe month: {month_label(a.safe_month)}.")
    if a.confidence is not None:
        when = (month_label(a.safe_month_confident) if a.safe_month_confident is not None
                else "never in the horizon")
        lines.append(f"At {a.confidence:.0%} confidence: safe from {when}.")
    if a.safe_month is not None and not a.safe_on_plan:
        lines.append(f"Savings given up by waiting: {formatting.money(a.savings_forgone)}.")
    if not a.safe_on_plan:
        lines.append(f"Cover needed to cut on the planned date: {a.cover_fte_months:,.1f} "
                     f"FTE-months ({formatting.money(a.cover_cost)}).")
    return lines


def advice_title(a: Advice) -> str:
    name = a.label or f"Reduction {a.action + 1}"
    return f"{name} ({', '.join(a.teams)}): {advice_status(a)}"


def cut_before_live_text(flag: CutBeforeLive) -> str:
    """:meth:`CutBeforeLive.describe` with months written as "May 2027"."""
    return (f"{flag.label or 'Reduction'}: {flag.fte_removed:,.1f} FTE removed from "
            f"{flag.team} in {month_label(flag.month)}, "
            f"{formatting.plural(flag.months_early, 'month')} before ‘{flag.change}’ reaches "
            f"full effect ({month_label(flag.full_effect_month)}).")


def schedule_lines(advice: list[Advice], schedule: Schedule) -> list[str]:
    """The suggested date of each reduction, then the schedule's verdict."""
    lines = []
    for a in advice:
        month = schedule.months.get(a.action, a.planned_month)
        name = a.label or f"Reduction {a.action + 1}"
        if month == a.planned_month:
            lines.append(f"{name}: as planned, {month_label(month)}.")
        else:
            lines.append(f"{name}: {month_label(month)} (planned {month_label(a.planned_month)}).")
    return lines


class AdvicePanel(QWidget):
    """Cut-before-live warnings and safe dates for the current scenario."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._status = ""

        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.title_label.setAccessibleName("Scenario")
        intro = QLabel(INTRO)
        intro.setWordWrap(True)

        self.run_button = QPushButton("&Work out safe dates")
        self.run_button.setToolTip("Re-run the scenario with each reduction on other dates "
                                   "(a few seconds); you can keep working meanwhile")
        self.run_button.clicked.connect(self.run)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setToolTip("Stop working out the safe dates")
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setAccessibleName("Progress of the safe dates")
        self.progress.setTextVisible(False)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Safe dates status")

        self.browser = QTextBrowser()
        self.browser.setAccessibleName("Safe sequencing advice")
        self.browser.setOpenLinks(False)
        self.browser.setMinimumHeight(self.fontMetrics().height() * 8)

        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 3)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(intro)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(self.browser, 1)
        self.setTabOrder(self.run_button, self.cancel_button)
        self.setTabOrder(self.cancel_button, self.browser)

        runner = model.advisor
        runner.progress.connect(self._on_progress)
        runner.running_changed.connect(self._on_running_changed)
        runner.failed.connect(self._on_failed)
        runner.cancelled.connect(self._on_cancelled)
        model.advice_changed.connect(self._on_index_changed)
        model.results_changed.connect(self._on_index_changed)
        model.scenario_changed.connect(self._on_index_changed)
        model.current_changed.connect(self._on_current_changed)
        model.scenarios_changed.connect(self._refresh)
        model.establishment_changed.connect(self._refresh)
        self._on_running_changed(runner.is_running())
        self._refresh()

    # ----- public ------------------------------------------------------------------------
    def run(self) -> bool:
        """Start working out the safe dates of the current scenario."""
        started = self._model.run_advice()
        self._status = ("Working out the safe dates…" if started else
                        "Open an establishment and a scenario first.")
        self.status_label.setText(self._status)
        return started

    def cancel(self) -> None:
        self._model.advisor.cancel()

    def warning_items(self) -> list[str]:
        """The cut-before-live warnings shown (one sentence each)."""
        results = self._model.results()
        if results is None:
            return []
        return [cut_before_live_text(flag) for flag in results.service().cut_before_live]

    def advice_items(self) -> list[str]:
        """One text per reduction (title, then its facts), as listed."""
        found = self._model.advice()
        if found is None:
            return []
        return [" ".join([advice_title(a), *advice_lines(a)]) for a in found[0]]

    def text(self) -> str:
        return self.browser.toPlainText()

    # ----- slots -------------------------------------------------------------------------
    @when_shown
    def _on_index_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self._refresh()

    @when_shown
    def _on_current_changed(self, _index: int) -> None:
        self._status = ""
        self._refresh()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * 1000))
        self.status_label.setText(message or "Working out the safe dates…")

    def _on_running_changed(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.run_button.setEnabled(not running)
        if running:
            self.progress.setValue(0)
        elif self._status.startswith("Working"):
            self._status = ""
            self.status_label.setText("")

    def _on_failed(self, message: str, details: str) -> None:
        self._status = f"The safe dates could not be worked out: {message}"
        self.status_label.setText(self._status)
        show_error(self, message, details, "Safe dates")

    def _on_cancelled(self) -> None:
        self._status = "Cancelled: the safe dates were not worked out."
        self.status_label.setText(self._status)

    # ----- building ------------------------------------------------------------------------
    @when_shown
    def _refresh(self) -> None:
        scenario = self._model.scenario()
        if scenario is None:
            self.title_label.setText("Safe sequencing")
            self.browser.setHtml(f"<p>{escape(NO_SCENARIO)}</p>")
            return
        self.title_label.setText(f"Safe sequencing: {scenario.name}")
        self.status_label.setText(self._status)
        self.browser.setHtml(self._html())

    def _html(self) -> str:
        parts = ["<h3>Cut before the change is live</h3>"]
        results = self._model.results()
        if results is None:
            error = self._model.result_error()
            parts.append(f"<p>{escape(error or 'The results are still being worked out…')}</p>")
        else:
            warnings = self.warning_items()
            if warnings:
                parts.append("<p>These reductions come before the change meant to absorb them "
                             "reaches full effect:</p>")
                parts.append("<ul>" + "".join(f"<li>{escape(w)}</li>" for w in warnings)
                             + "</ul>")
            else:
                parts.append(f"<p>{escape(NO_WARNINGS)}</p>")
        parts.append("<h3>Safe dates for each reduction</h3>")
        found = self._model.advice()
        if found is None:
            parts.append(f"<p>{escape(NOT_YET)}</p>")
            return "".join(parts)
        advice, schedule = found
        if not advice:
            parts.append(f"<p>{escape(NO_REDUCTIONS)}</p>")
            return "".join(parts)
        items = []
        for a in advice:
            facts = "<br>".join(escape(line) for line in advice_lines(a))
            items.append(f"<li style='margin-bottom: 8px'><b>{escape(advice_title(a))}</b>"
                         f"<br>{facts}</li>")
        parts.append("<ol>" + "".join(items) + "</ol>")
        parts.append("<h3>Suggested schedule</h3>")
        parts.append(f"<p><b>{escape(schedule.message)}</b></p>")
        parts.append("<ul>" + "".join(f"<li>{escape(line)}</li>"
                                      for line in schedule_lines(advice, schedule)) + "</ul>")
        return "".join(parts)

