"""The current scenario's horizon, description, assumptions and policies as a form.

Each field names the scenario value it edits by its dotted path
(``"assumptions.pension_rate_pct"``). A committed change (Enter or leaving the
field, not every keystroke) becomes one undoable edit; an edit that would make
the scenario invalid is refused with the reason in words, and the field goes
back to the scenario's value. The form refills itself from the model when the
scenario changes, including on undo, without making edits of its own.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.action_text import number_text, scenario_problem
from planner.months import Horizon
from planner.scenario import Scenario
from planner.scenario_edits import edit
from ui import formatting
from ui.deferred import when_shown
from ui.month_edit import MonthEdit
from ui.project_model import ProjectModel

MONEY_MAX = 1e9


@dataclass(frozen=True)
class FieldSpec:
    """One form field: the scenario value it edits and how it is shown.

    ``kind`` is ``"number"`` (a decimal spin box), ``"int"``, ``"money"`` (whole pounds),
    ``"bool"`` (a check box) or ``"choice"`` (``choices`` of (value, text)).
    """

    path: str
    label: str
    name: str  # for "Change <name> to <value>" in the Edit menu and the audit log
    kind: str = "number"
    suffix: str = ""
    lo: float = 0.0
    hi: float = 100.0
    decimals: int = 2
    step: float = 1.0
    tip: str = ""
    choices: tuple[tuple[str, str], ...] = ()

    def text(self, value: object) -> str:
        """The value in words for the undo text: ``"20 %"``, ``"£3,000"``, ``"on"``."""
        if self.kind == "bool":
            return "on" if value else "off"
        if self.kind == "choice":
            return dict(self.choices).get(str(value), str(value)).lower()
        if self.kind == "money":
            return formatting.money(float(value))  # type: ignore[arg-type]
        return f"{number_text(float(value))}{self.suffix}"  # type: ignore[arg-type]


def get_path(scenario: Scenario, path: str) -> object:
    """The value at a dotted path: ``get_path(s, "assumptions.redundancy.multiplier")``."""
    value: object = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value


class CommitTextEdit(QPlainTextEdit):
    """A multi-line text box that says when the user has finished editing (focus leaves)."""

    editing_finished = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.editing_finished.emit()


class ScenarioFieldForm(QWidget):
    """A form of :class:`FieldSpec` fields over the current scenario (shared by the
    assumptions and targets forms).

    ``widgets`` maps each field's path to its editor; ``problem_label`` shows why the
    last edit was refused (hidden when there is nothing to say).
    """

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self._filling = False
        self.specs: dict[str, FieldSpec] = {}
        self.widgets: dict[str, QWidget] = {}
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setAccessibleName("Problem with the last change")
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.setFrameShape(QFrame.Shape.StyledPanel)
        self.problem_label.hide()
        model.current_changed.connect(self._on_current_changed)
        model.scenarios_changed.connect(self.refresh)
        model.scenario_changed.connect(self._on_scenario_changed)

    # -- building ------------------------------------------------------------------------
    def add_group(self, title: str, specs: tuple[FieldSpec, ...]) -> tuple[QGroupBox, QFormLayout]:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        for spec in specs:
            widget = self._editor(spec)
            widget.setToolTip(spec.tip)
            widget.setAccessibleName(spec.label.replace("&", ""))
            widget.setAccessibleDescription(spec.tip)
            self.specs[spec.path] = spec
            self.widgets[spec.path] = widget
            if spec.kind == "bool":
                form.addRow(widget)
            else:
                label = QLabel(spec.label)
                label.setBuddy(widget)
                label.setToolTip(spec.tip)
                form.addRow(label, widget)
        return box, form

    def _editor(self, spec: FieldSpec) -> QWidget:
        path = spec.path
        if spec.kind == "bool":
            box = QCheckBox(spec.label)
            box.clicked.connect(lambda checked, p=path: self.commit(p, bool(checked)))
            return box
        if spec.kind == "choice":
            combo = QComboBox()
            for value, text in spec.choices:
                combo.addItem(text, value)
            combo.activated.connect(lambda _i, p=path, c=combo: self.commit(p, c.currentData()))
            return combo
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(spec.lo), int(spec.hi))
            spin.setSuffix(spec.suffix)
            spin.setKeyboardTracking(False)
            spin.editingFinished.connect(lambda p=path, s=spin: self.commit(p, s.value()))
            return spin
        dspin = QDoubleSpinBox()
        if spec.kind == "money":
            dspin.setPrefix("£")
            dspin.setDecimals(0)
            dspin.setRange(spec.lo, spec.hi if spec.hi > 100 else MONEY_MAX)
            dspin.setSingleStep(spec.step if spec.step > 1 else 100.0)
            dspin.setGroupSeparatorShown(True)
        else:
            dspin.setDecimals(spec.decimals)
            dspin.setRange(spec.lo, spec.hi)
            dspin.setSingleStep(spec.step)
        dspin.setSuffix(spec.suffix)
        dspin.setGroupSeparatorShown(True)
        dspin.setKeyboardTracking(False)
        dspin.editingFinished.connect(lambda p=path, s=dspin: self.commit(p, s.value()))
        return dspin

    # -- editing -------------------------------------------------------------------------
    def commit(self, path: str, value: object) -> bool:
        """Make ``value`` the scenario's value at ``path`` as one undoable edit.

        Returns True if the scenario was changed. Nothing happens while the form is
        being filled or when the value is what the scenario already holds.
        """
        scenario = self._model.scenario()
        if self._filling or scenario is None:
            return False
        spec = self.specs.get(path)
        current = get_path(scenario, path)
        if spec is not None and spec.kind in ("number", "money") and current is not None:
            decimals = 0 if spec.kind == "money" else spec.decimals
            if math.isclose(round(float(current), decimals), float(value), abs_tol=1e-9):  # type: ignore[arg-type]
                return False  # the shown (rounded) value was not changed
            value = float(value)  # type: ignore[arg-type]
        if value == current:
            return False
        name = spec.name if spec is not None else path
        text = f"Change {name} to {spec.text(value)}" if spec is not None else f"Change {name}"
        return self.apply(edit(scenario, path, value), text)

    def apply(self, new: Scenario, text: str) -> bool:
        """Push an edited scenario if it is valid; otherwise say why and show the old values."""
        scenario = self._model.scenario()
        if scenario is None:
            return False
        problem = scenario_problem(new, before=scenario)
        if problem is not None:
            self.show_problem(f"Not changed: {problem}")
            self.refresh()
            return False
        self.show_problem("")
        self._model.edit_scenario(new, text)
        return True

    def show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))

    # -- filling from the model -----------------------------------------------------------
    @when_shown
    def _on_current_changed(self, _index: int) -> None:
        self.show_problem("")  # it was about the scenario shown before
        self.refresh()

    @when_shown
    def _on_scenario_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self.refresh()

    def refresh(self) -> None:
        """Show the current scenario's values (no edits are made while filling)."""
        scenario = self._model.scenario()
        self.setEnabled(scenario is not None)
        self._filling = True
        try:
            for path, widget in self.widgets.items():
                blocked = widget.blockSignals(True)
                try:
                    if scenario is not None:
                        self._fill(widget, get_path(scenario, path))
                finally:
                    widget.blockSignals(blocked)
            self.fill_extra(scenario)
        finally:
            self._filling = False

    def _fill(self, widget: QWidget, value: object) -> None:
        if isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            widget.setCurrentIndex(max(index, 0))
        elif isinstance(widget, QSpinBox):
            widget.setValue(int(value))  # type: ignore[call-overload]
        elif isinstance(widget, QDoubleSpinBox):
            widget.setValue(float(value))  # type: ignore[arg-type]

    def fill_extra(self, scenario: Scenario | None) -> None:
        """Fill widgets that are not :class:`FieldSpec` fields (subclasses)."""


# ------------------------------------------------------------------------------------------

PAY = (
    FieldSpec("assumptions.pay_award_pct", "Annual pay a&ward", "the annual pay award",
              suffix=" %", lo=-10, hi=50, step=0.5,
              tip="Pay award applied to every salary each April after the start month "
                  "(the NJC settlement, for example)."),
    FieldSpec("assumptions.pension_rate_pct", "LGPS em&ployer pension rate",
              "the LGPS employer pension rate", suffix=" %", lo=0, hi=100, step=0.1,
              tip="Employer contribution to the Local Government Pension Scheme, as a % of "
                  "the pay of pension members (default 19.8 %; see the fund's valuation)."),
    FieldSpec("assumptions.levy_pct", "Apprenticeship levy", "the apprenticeship levy",
              suffix=" %", lo=0, hi=100, step=0.1,
              tip="Apprenticeship levy: this % of the pay bill above the allowance "
                  "(0.5 % in England)."),
    FieldSpec("assumptions.levy_allowance", "Levy allowance", "the levy allowance",
              kind="money", suffix=" a year", lo=0, step=1000,
              tip="The levy allowance, £15,000 a year (0.5 % of a £3m pay bill): only pay "
                  "above £3m attracts the levy."),
    FieldSpec("assumptions.productive_hours_per_fte", "Pr&oductive hours per FTE",
              "productive hours per FTE", suffix=" hours a year", lo=1, hi=8784,
              decimals=0, step=10,
              tip="Hours a full-time person spends on the work in a year: about 1,613 = "
                  "1,929 paid hours less annual leave, bank holidays, sickness (8.8 days) "
                  "and training. Capacity = FTE × productive hours ÷ 12 a month."),
    FieldSpec("assumptions.standard_weekly_hours", "Full-time weekly hours",
              "full-time weekly hours", suffix=" hours a week", lo=1, hi=168, decimals=1,
              step=0.5, tip="The hours of a full-time post (37; 36 in London)."),
)

RECRUITMENT = (
    FieldSpec("assumptions.recruitment_cost_per_hire", "Recruitment cost per hire",
              "the recruitment cost per hire", kind="money", suffix=" per FTE", step=100,
              tip="One-off cost of recruiting each FTE (advertising, selection, checks and "
                  "induction)."),
    FieldSpec("assumptions.agency_cost_per_fte", "Agen&cy cost per FTE",
              "the agency cost per FTE", kind="money", suffix=" a year", step=1000,
              tip="Annual cost of one FTE of temporary or agency cover, used for cover "
                  "actions that give no cost of their own."),
)

REDUNDANCY = (
    FieldSpec("assumptions.redundancy.multiplier", "Enhancement m&ultiplier",
              "the redundancy multiplier", suffix=" × statutory weeks", lo=0, hi=10,
              step=0.1,
              tip="The council's discretionary enhancement (SI 2006/2914): statutory weeks "
                  "× this multiplier. 1 means statutory redundancy pay only."),
    FieldSpec("assumptions.redundancy.actual_pay", "Use actual week's pay, not the "
              "statutory cap", "actual week's pay", kind="bool",
              tip="Pay redundancy on each person's actual week's pay instead of the statutory "
                  "weekly cap (£719 from 6 April 2025)."),
    FieldSpec("assumptions.redundancy.max_weeks", "Most weeks' pay", "the redundancy limit",
              suffix=" weeks", lo=0, hi=104, decimals=1,
              tip="The most weeks' pay anyone can receive (the regulations allow up to 104)."),
)

WASTAGE = (
    FieldSpec("natural_wastage.annual_turnover_pct", "Annual tu&rnover",
              "the annual turnover", suffix=" % a year", lo=0, hi=100, step=0.5,
              tip="Share of staff who leave each year (resignations, retirements). It applies "
                  "to the baseline and the scenario alike (default 13.4 %); leavers each "
                  "month = FTE × (1 − (1 − rate)^(1/12))."),
    FieldSpec("natural_wastage.backfill_lag_months", "&Backfill lag", "the backfill lag",
              kind="int", suffix=" months", lo=0, hi=60,
              tip="Months a post stays vacant after its holder leaves before it is filled "
                  "again (unless it is frozen)."),
)

REDEPLOYMENT = (
    FieldSpec("redeployment.enabled", "Redeploy displaced staff", "redeployment",
              kind="bool",
              tip="Match staff whose posts are deleted to vacancies and new posts before "
                  "anyone is made redundant."),
    FieldSpec("redeployment.grades_down", "Grades down allowed", "the grades down",
              kind="int", lo=0, hi=20,
              tip="How many grades below their own a displaced person may be offered "
                  "(default one)."),
    FieldSpec("redeployment.grades_up", "Grades up allowed", "the grades up", kind="int",
              lo=0, hi=20,
              tip="How many grades above their own a displaced person may be offered "
                  "(default none)."),
    FieldSpec("redeployment.skills_overlap_required", "Require a skills overlap",
              "the skills overlap rule", kind="bool",
              tip="Offer a post only when the person's skills include one the post needs."),
    FieldSpec("redeployment.ring_fence", "Ring-fence", "the ring-fence", kind="choice",
              choices=(("council", "Whole council"), ("directorate", "Same directorate"),
                       ("service", "Same service"), ("team", "Same team")),
              tip="Where displaced staff may be redeployed."),
    FieldSpec("redeployment.use_existing_vacancies", "Offer existing vacancies",
              "existing vacancies", kind="bool",
              tip="Offer vacancies already in the establishment as well as new posts."),
    FieldSpec("redeployment.trial_weeks", "Trial period", "the trial period", kind="int",
              suffix=" weeks", lo=0, hi=52,
              tip="The statutory trial period in a new post is 4 weeks."),
    FieldSpec("redeployment.pay_protection_months", "Pay protection", "pay protection",
              kind="int", suffix=" months", lo=0, hi=120,
              tip="Months a redeployed person keeps their old pay when the new post is "
                  "graded lower (default 12)."),
    FieldSpec("redeployment.pay_protection_taper", "Pay protection taper",
              "the pay protection taper", kind="choice",
              choices=(("none", "Full protection, then none"),
                       ("linear", "Tapering to nothing")),
              tip="Whether protected pay stays in full for the period or falls evenly to the "
                  "new pay."),
    FieldSpec("redeployment.retraining_months", "Retraining period", "the retraining period",
              kind="int", suffix=" months", lo=0, hi=60,
              tip="Months a redeployed or new person takes to reach full productivity "
                  "(default 3)."),
    FieldSpec("redeployment.retraining_productivity_pct", "Productivity while retraining",
              "productivity while retraining", suffix=" %", lo=0, hi=100, decimals=1, step=5,
              tip="How productive people are during retraining, as a % of full (default 50 %)."),
    FieldSpec("redeployment.retraining_cost_per_person", "Retraining cost per person",
              "the retraining cost per person", kind="money", step=100,
              tip="One-off training cost for each person redeployed."),
)

HORIZON_MONTHS_TIP = "How many months the scenario covers (12 to 120; five years is 60)."
HORIZON_START_TIP = ("The first month of the scenario (usually 1 April, the start of a "
                     "financial year). Dated actions, changes and targets must stay inside "
                     "the horizon.")
DESCRIPTION_TIP = "What this scenario tests, in a sentence or two (shown in reports)."


class AssumptionsForm(ScenarioFieldForm):
    """Horizon, description, money and time assumptions, natural wastage and redeployment."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(model, parent)
        self.start_edit = MonthEdit()
        self.start_edit.setToolTip(HORIZON_START_TIP)
        self.start_edit.setAccessibleName("Horizon start")
        self.start_edit.month_changed.connect(self._on_start_changed)
        self.months_spin = QSpinBox()
        self.months_spin.setRange(12, 120)
        self.months_spin.setSuffix(" months")
        self.months_spin.setKeyboardTracking(False)
        self.months_spin.setToolTip(HORIZON_MONTHS_TIP)
        self.months_spin.setAccessibleName("Horizon length")
        self.months_spin.editingFinished.connect(self._on_months_changed)
        self.horizon_label = QLabel()
        self.description_edit = CommitTextEdit()
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setToolTip(DESCRIPTION_TIP)
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setPlaceholderText("What this scenario tests")
        fm = self.description_edit.fontMetrics()
        self.description_edit.setFixedHeight(fm.lineSpacing() * 4 + 12)
        self.description_edit.editing_finished.connect(self._on_description_changed)

        scenario_box = QGroupBox("Scenario")
        form = QFormLayout(scenario_box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for text, widget, tip in (("Hori&zon starts", self.start_edit, HORIZON_START_TIP),
                                  ("Horizo&n length", self.months_spin, HORIZON_MONTHS_TIP)):
            label = QLabel(text)
            label.setBuddy(widget)
            label.setToolTip(tip)
            form.addRow(label, widget)
        form.addRow("", self.horizon_label)
        label = QLabel("Descr&iption")
        label.setBuddy(self.description_edit)
        form.addRow(label, self.description_edit)

        left = QVBoxLayout()
        left.addWidget(scenario_box)
        left.addWidget(self.add_group("Pay and on-costs", PAY)[0])
        left.addWidget(self.add_group("Recruitment and cover", RECRUITMENT)[0])
        left.addWidget(self.add_group("Redundancy terms", REDUNDANCY)[0])
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.add_group("Natural wastage", WASTAGE)[0])
        right.addWidget(self.add_group("Redeployment policy", REDEPLOYMENT)[0])
        right.addStretch(1)
        enabled = self.widgets["redeployment.enabled"]
        assert isinstance(enabled, QCheckBox)
        enabled.toggled.connect(self._enable_redeployment)

        inner = QWidget()
        columns = QHBoxLayout(inner)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.problem_label)
        layout.addWidget(scroll, 1)
        self.setAccessibleName("Assumptions")
        self.refresh()

    def fill_extra(self, scenario: Scenario | None) -> None:
        if scenario is None:
            return
        h = scenario.horizon
        for w in (self.start_edit, self.months_spin, self.description_edit):
            w.blockSignals(True)
        self.start_edit.set_range(h.start - 60, h.start + 61)
        self.start_edit.set_month(h.start)
        self.months_spin.setValue(h.months)
        self.horizon_label.setText(h.describe())
        if self.description_edit.toPlainText() != scenario.description:
            self.description_edit.setPlainText(scenario.description)
        for w in (self.start_edit, self.months_spin, self.description_edit):
            w.blockSignals(False)
        self._enable_redeployment(scenario.redeployment.enabled)

    def _enable_redeployment(self, enabled: bool) -> None:
        for path, widget in self.widgets.items():
            if path.startswith("redeployment.") and path != "redeployment.enabled":
                widget.setEnabled(enabled)

    def _set_horizon(self, horizon: Horizon) -> None:
        scenario = self._model.scenario()
        if self._filling or scenario is None or horizon == scenario.horizon:
            return
        self.apply(edit(scenario, "horizon", horizon),
                   f"Change the horizon to {horizon.describe()}")

    def _on_start_changed(self, month: int | None) -> None:
        scenario = self._model.scenario()
        if month is not None and scenario is not None:
            self._set_horizon(Horizon(month, scenario.horizon.months))

    def _on_months_changed(self) -> None:
        scenario = self._model.scenario()
        if scenario is not None:
            self._set_horizon(Horizon(scenario.horizon.start, self.months_spin.value()))

    def _on_description_changed(self) -> None:
        scenario = self._model.scenario()
        text = self.description_edit.toPlainText().strip()
        if self._filling or scenario is None or text == scenario.description:
            return
        self.apply(edit(scenario, "description", text), "Change the description")
