"""A dialog to create or edit one dated workforce action (any of the five kinds).

Posts are chosen with a :class:`SelectorEditor`: tick teams, directorates and
grades from the establishment's own values, pick filled and/or vacant posts, and
see at once how many posts and FTE that matches. The dialog checks the action
with the caller's ``check`` before it closes, so a problem is explained while the
user can still fix it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import pandas as pd
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from planner.action_text import (
    KIND_HELP,
    KIND_NAMES,
    column_choices,
    describe_action,
    new_action,
    selection_summary,
    usual_grade,
)
from planner.months import Horizon
from planner.scenario import (
    Action,
    CreatePosts,
    DeletePosts,
    ReduceFTE,
    Selector,
    TemporaryCover,
    VacancyFreeze,
)
from ui import formatting
from ui.month_edit import MonthEdit

#: The selector columns offered as tick lists (others in a selector are kept as they are).
CHOICE_COLUMNS = (("team", "&Teams"), ("directorate", "Di&rectorates"), ("grade", "&Grades"))
STATUS_CHOICES: tuple[tuple[str | None, str], ...] = (
    (None, "Filled and vacant posts"), ("filled", "Filled posts only"),
    ("vacant", "Vacant posts only"))


class SelectorEditor(QWidget):
    """Choose posts: tick lists of teams, directorates and grades, status and post ids.

    Ticked values within a list are alternatives (any of them); the lists combine
    (all of them). Signals: ``changed()`` whenever the choice changes.
    """

    changed = Signal()

    def __init__(self, posts: pd.DataFrame | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._posts = posts
        self._kept: tuple[tuple[str, tuple[str, ...]], ...] = ()
        self._given: dict[str, tuple[str, ...]] = {}  # the values as the selector had them
        self.lists: dict[str, QListWidget] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.team_filter = QLineEdit()
        self.team_filter.setPlaceholderText("Type to filter teams")
        self.team_filter.setAccessibleName("Filter teams")
        self.team_filter.setClearButtonEnabled(True)
        self.team_filter.textChanged.connect(self._filter_teams)
        for col, (column, title) in enumerate(CHOICE_COLUMNS):
            widget = QListWidget()
            widget.setAccessibleName(title.replace("&", ""))
            widget.setToolTip(f"Tick the {title.replace('&', '').lower()} this action applies "
                              "to; none ticked means any.")
            values = column_choices(posts, column) if posts is not None else []
            for value in values:
                self._add_item(widget, value, False)
            widget.itemChanged.connect(lambda _item: self._on_changed())
            label = QLabel(title)
            label.setBuddy(widget)
            grid.addWidget(label, 0, col)
            if column == "team":
                grid.addWidget(self.team_filter, 1, col)
            grid.addWidget(widget, 2, col)
            self.lists[column] = widget
        grid.setRowStretch(2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setColumnStretch(2, 1)

        self.status_combo = QComboBox()
        for status, text in STATUS_CHOICES:
            self.status_combo.addItem(text, status)
        self.status_combo.setAccessibleName("Post status")
        self.status_combo.currentIndexChanged.connect(lambda _i: self._on_changed())
        self.post_ids = QLineEdit()
        self.post_ids.setPlaceholderText("Optional: post ids separated by commas")
        self.post_ids.setAccessibleName("Post ids")
        self.post_ids.setToolTip("Limit the action to these posts (their references in the "
                                 "establishment), separated by commas.")
        self.post_ids.textChanged.connect(lambda _t: self._on_changed())
        self.kept_label = QLabel()
        self.kept_label.setWordWrap(True)
        self.match_label = QLabel()
        self.match_label.setAccessibleName("Posts matched")
        form = QFormLayout()
        status_label = QLabel("&Status")
        status_label.setBuddy(self.status_combo)
        form.addRow(status_label, self.status_combo)
        ids_label = QLabel("Post &ids")
        ids_label.setBuddy(self.post_ids)
        form.addRow(ids_label, self.post_ids)
        grid.addLayout(form, 3, 0, 1, 3)
        grid.addWidget(self.kept_label, 4, 0, 1, 3)
        grid.addWidget(self.match_label, 5, 0, 1, 3)
        self.kept_label.hide()
        self._update_match()

    @staticmethod
    def _add_item(widget: QListWidget, value: str, checked: bool) -> QListWidgetItem:
        item = QListWidgetItem(value)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                      | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        widget.addItem(item)
        return item

    def set_selector(self, selector: Selector) -> None:
        wanted = dict(selector.fields)
        self._given = wanted
        for column, widget in self.lists.items():
            widget.blockSignals(True)
            chosen = {v.casefold() for v in wanted.get(column, ())}
            present = set()
            for i in range(widget.count()):
                item = widget.item(i)
                on = item.text().casefold() in chosen
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
                present.add(item.text().casefold())
            for value in wanted.get(column, ()):
                if value.casefold() not in present:  # not in the establishment: keep it visible
                    self._add_item(widget, value, True).setToolTip(
                        "Not in the establishment")
            widget.blockSignals(False)
        self._kept = tuple((c, v) for c, v in selector.fields if c not in self.lists)
        self.kept_label.setText("Also limited to: " + "; ".join(
            f"{c.replace('_', ' ')} {' or '.join(v)}" for c, v in self._kept))
        self.kept_label.setVisible(bool(self._kept))
        self.status_combo.blockSignals(True)
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(selector.status), 0))
        self.status_combo.blockSignals(False)
        self.post_ids.blockSignals(True)
        self.post_ids.setText(", ".join(selector.post_ids))
        self.post_ids.blockSignals(False)
        self._update_match()

    def checked(self, column: str) -> tuple[str, ...]:
        """The ticked values: those the selector had first, as it had them, then new ones."""
        widget = self.lists[column]
        ticked = [widget.item(i).text() for i in range(widget.count())
                  if widget.item(i).checkState() == Qt.CheckState.Checked]
        folded = {t.casefold() for t in ticked}
        given = [v for v in self._given.get(column, ()) if v.casefold() in folded]
        known = {v.casefold() for v in given}
        return tuple(given + [t for t in ticked if t.casefold() not in known])

    def set_checked(self, column: str, values: tuple[str, ...] | list[str]) -> None:
        """Tick exactly ``values`` in a list (tests and keyboard helpers)."""
        wanted = {v.casefold() for v in values}
        widget = self.lists[column]
        for i in range(widget.count()):
            item = widget.item(i)
            item.setCheckState(Qt.CheckState.Checked if item.text().casefold() in wanted
                               else Qt.CheckState.Unchecked)

    def selector(self) -> Selector:
        fields = [(c, self.checked(c)) for c in self.lists if self.checked(c)]
        fields += list(self._kept)
        ids = tuple(p.strip() for p in self.post_ids.text().split(",") if p.strip())
        return Selector(post_ids=ids, fields=tuple(sorted(fields, key=lambda f: f[0])),
                        status=self.status_combo.currentData())

    def _filter_teams(self, text: str) -> None:
        widget = self.lists["team"]
        needle = text.strip().casefold()
        for i in range(widget.count()):
            item = widget.item(i)
            item.setHidden(bool(needle) and needle not in item.text().casefold())

    def _on_changed(self) -> None:
        self._update_match()
        self.changed.emit()

    def _update_match(self) -> None:
        if self._posts is None:
            self.match_label.setText("")
            return
        count, fte = selection_summary(self.selector(), self._posts)
        self.match_label.setText(
            f"Matches {formatting.plural(count, 'post')} ({formatting.fte(fte)} FTE) "
            "in the establishment today.")


def _spin(lo: float, hi: float, decimals: int, suffix: str, special: str = "") -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(lo, hi)
    spin.setDecimals(decimals)
    spin.setSuffix(suffix)
    spin.setGroupSeparatorShown(True)
    if special:
        spin.setSpecialValueText(special)  # shown at the minimum, which means "none"
    return spin


def _team_combo(values: list[str], blank: str | None = None) -> QComboBox:
    combo = QComboBox()
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    if blank is not None:
        combo.addItem(blank, "")
    for v in values:
        combo.addItem(v, v)
    return combo


def _combo_text(combo: QComboBox) -> str:
    """The chosen value: an item's data, or what was typed."""
    text = combo.currentText().strip()
    index = combo.findText(text)
    if index >= 0 and combo.itemData(index) is not None:
        return str(combo.itemData(index))
    return text


def _set_combo_text(combo: QComboBox, value: str | None) -> None:
    index = combo.findData(value or "")
    if index >= 0:
        combo.setCurrentIndex(index)
    else:
        combo.setEditText(value or "")


class ActionDialog(QDialog):
    """Create or edit one action. ``action()`` builds it from the fields.

    Args:
        kind: one of :data:`planner.action_text.KINDS`.
        horizon: the scenario's horizon (months offered).
        posts: the establishment's posts (choices and the match count), or None.
        action: the action to edit; None to create one.
        check: called with the action on OK; a sentence returned is shown and the
            dialog stays open.
        month, team: where a new action starts (default: the horizon's first month).
    """

    def __init__(self, kind: str, horizon: Horizon, posts: pd.DataFrame | None,
                 action: Action | None = None,
                 check: Callable[[Action], str | None] | None = None,
                 parent: QWidget | None = None, *, month: int | None = None,
                 team: str = "") -> None:
        super().__init__(parent)
        self.kind = kind
        self._horizon = horizon
        self._check = check
        teams = column_choices(posts, "team") if posts is not None else []
        if not team and teams and kind in ("create_posts", "temporary_cover"):
            team = teams[0]
        grade = usual_grade(posts, team) if posts is not None and team else None
        start = action or new_action(kind, horizon.start if month is None else month, team,
                                     grade)
        self._original = start
        verb = "Edit" if action is not None else "Add"
        self.setWindowTitle(f"{verb} action: {KIND_NAMES[kind]}")
        self.setAccessibleName(self.windowTitle())

        help_label = QLabel(KIND_HELP[kind])
        help_label.setWordWrap(True)
        self.month_edit = MonthEdit(horizon)
        self.month_edit.setAccessibleName("Month")
        self.month_edit.setToolTip("The month the action takes effect.")
        self.month_edit.set_month(start.month)
        self.label_edit = QLineEdit(start.label)
        self.label_edit.setAccessibleName("Label")
        self.label_edit.setToolTip("A short name shown in tables, charts and reports.")
        self.label_edit.setPlaceholderText("Optional: a short name for tables and reports")
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self._row("&Month", self.month_edit)
        self._row("&Label", self.label_edit)
        self.selector_edit: SelectorEditor | None = None
        self._fields: dict[str, QWidget] = {}
        getattr(self, f"_build_{kind}")(start, posts, teams)

        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setAccessibleName("Problem")
        self.problem_label.hide()
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setAccessibleName("Summary")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(help_label)
        layout.addLayout(self.form)
        if self.selector_edit is not None:
            layout.addWidget(self.selector_edit, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.problem_label)
        layout.addWidget(buttons)
        for w in self.findChildren(QWidget):
            signal = getattr(w, "valueChanged", None) or getattr(w, "textChanged", None)
            if isinstance(w, (QDoubleSpinBox, QSpinBox, QLineEdit)) and signal is not None:
                signal.connect(self._update_summary)
        self.month_edit.currentIndexChanged.connect(self._update_summary)
        if self.selector_edit is not None:
            self.selector_edit.changed.connect(self._update_summary)
        self._update_summary()
        em = self.fontMetrics().horizontalAdvance("M")
        if self.selector_edit is not None:
            self.resize(max(self.sizeHint().width(), em * 60),
                        max(self.sizeHint().height(), self.fontMetrics().lineSpacing() * 36))
        else:
            self.resize(max(self.sizeHint().width(), em * 36), self.sizeHint().height())

    def _row(self, text: str, widget: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        self.form.addRow(label, widget)

    def _add_selector(self, select: Selector, posts: pd.DataFrame | None) -> None:
        self.selector_edit = SelectorEditor(posts)
        self.selector_edit.set_selector(select)

    # -- one builder per kind ------------------------------------------------------------
    def _build_delete_posts(self, a: Any, posts: pd.DataFrame | None, _teams: list[str]) -> None:
        spin = _spin(0, 100_000, 2, " FTE", "No limit: every matching post")
        spin.setValue(a.max_fte or 0.0)
        spin.setToolTip("Delete whole posts up to this FTE: vacant ones first, then filled "
                        "ones in post-id order.")
        self._fields["max_fte"] = spin
        self._row("&Up to", spin)
        self._add_selector(a.select, posts)

    def _build_reduce_fte(self, a: Any, posts: pd.DataFrame | None, _teams: list[str]) -> None:
        self.by_pct_radio = QRadioButton("Cut each post &by")
        self.to_fte_radio = QRadioButton("Cap each post &at")
        group = QButtonGroup(self)
        group.addButton(self.by_pct_radio)
        group.addButton(self.to_fte_radio)
        pct = _spin(0.1, 99.9, 1, " %")
        pct.setValue(a.by_pct if a.by_pct is not None else 10.0)
        cap = _spin(0.01, 10, 2, " FTE")
        cap.setValue(a.to_fte if a.to_fte is not None else 0.8)
        self._fields["by_pct"], self._fields["to_fte"] = pct, cap
        self.by_pct_radio.setChecked(a.to_fte is None)
        self.to_fte_radio.setChecked(a.to_fte is not None)
        pct.setAccessibleName("Cut by percent")
        cap.setAccessibleName("Cap at FTE")
        self.by_pct_radio.toggled.connect(self._update_summary)
        self.form.addRow(self.by_pct_radio, pct)
        self.form.addRow(self.to_fte_radio, cap)
        self._add_selector(a.select, posts)

    def _build_vacancy_freeze(self, a: Any, posts: pd.DataFrame | None,
                              _teams: list[str]) -> None:
        until = MonthEdit(none_text="End of horizon")
        until.set_horizon(self._horizon, include_end=True)
        until.set_month(a.until)
        until.setToolTip("The first month after the freeze: leavers are replaced again from "
                         "this month.")
        until.currentIndexChanged.connect(self._update_summary)
        self._fields["until"] = until
        self._row("Freeze lifts i&n", until)
        delete = QCheckBox("&Delete posts as they fall vacant")
        delete.setChecked(a.delete_on_vacancy)
        delete.setToolTip("Instead of leaving vacated FTE empty, delete it (and vacancies "
                          "already open) until the limit below has gone.")
        limit = _spin(0, 100_000, 2, " FTE", "No limit")
        limit.setValue(a.delete_until_fte or 0.0)
        limit.setToolTip("Stop deleting (and lift the freeze) once this much FTE has gone.")
        limit.setEnabled(a.delete_on_vacancy)
        delete.toggled.connect(limit.setEnabled)
        delete.toggled.connect(self._update_summary)
        self._fields["delete_on_vacancy"], self._fields["delete_until_fte"] = delete, limit
        self.form.addRow(delete)
        self._row("Until this much has g&one", limit)
        self._add_selector(a.select, posts)

    def _build_create_posts(self, a: Any, posts: pd.DataFrame | None, teams: list[str]) -> None:
        team = _team_combo(teams)
        _set_combo_text(team, a.team)
        title = QLineEdit(a.post_title)
        count = QSpinBox()
        count.setRange(1, 10_000)
        count.setValue(a.count)
        count.setSuffix(" posts")
        fte = _spin(0.01, 1, 2, " FTE each")
        fte.setValue(a.fte)
        grades = column_choices(posts, "grade") if posts is not None else []
        grade = _team_combo(grades, blank="(none)")
        _set_combo_text(grade, a.grade)
        salary = _spin(0, 1e7, 0, "", "Median salary of the grade")
        salary.setPrefix("£")
        salary.setValue(a.annual_salary or 0.0)
        salary.setToolTip("Full-time annual salary; leave at the minimum to use the median "
                          "salary of the grade in the establishment.")
        directorates = column_choices(posts, "directorate") if posts is not None else []
        directorate = _team_combo(directorates, blank="The team's directorate")
        _set_combo_text(directorate, a.directorate)
        directorate.setToolTip("Needed only for a team that is not in the establishment yet.")
        skills = QLineEdit(a.skills or "")
        skills.setPlaceholderText("For example: benefits;council_tax")
        skills.setToolTip("Disciplines the post-holders can work in, separated by ';' (for "
                          "multi-skilled pools).")
        for key, text, widget in (("team", "T&eam", team), ("post_title", "Post &title", title),
                                  ("count", "&Number of posts", count), ("fte", "&FTE", fte),
                                  ("grade", "G&rade", grade),
                                  ("annual_salary", "Annual &salary", salary),
                                  ("directorate", "&Directorate", directorate),
                                  ("skills", "S&kills", skills)):
            widget.setAccessibleName(text.replace("&", ""))
            self._fields[key] = widget
            self._row(text, widget)
        team.currentTextChanged.connect(self._update_summary)
        grade.currentTextChanged.connect(self._update_summary)

    def _build_temporary_cover(self, a: Any, _posts: pd.DataFrame | None,
                               teams: list[str]) -> None:
        team = _team_combo(teams)
        _set_combo_text(team, a.team)
        fte = _spin(0.01, 10_000, 2, " FTE")
        fte.setValue(a.fte)
        months = QSpinBox()
        months.setRange(1, 120)
        months.setSuffix(" months")
        months.setValue(a.months)
        cost = _spin(0, 1e7, 0, "", "The agency cost assumption")
        cost.setPrefix("£")
        cost.setValue(a.annual_cost_per_fte or 0.0)
        cost.setToolTip("Annual cost of one FTE of cover; leave at the minimum to use the "
                        "agency cost in the assumptions.")
        for key, text, widget in (("team", "T&eam", team), ("fte", "&FTE", fte),
                                  ("months", "F&or", months),
                                  ("annual_cost_per_fte", "&Cost per FTE a year", cost)):
            widget.setAccessibleName(text.replace("&", ""))
            self._fields[key] = widget
            self._row(text, widget)
        team.currentTextChanged.connect(self._update_summary)

    # -- result ----------------------------------------------------------------------------
    def field(self, name: str) -> QWidget:
        """The editor of one action field (tests)."""
        return self._fields[name]

    def action(self) -> Action:
        """The action the fields describe (not yet checked)."""
        month = self.month_edit.month()
        month = self._horizon.start if month is None else month
        label = self.label_edit.text().strip()
        f = self._fields
        base = self._original
        if self.kind == "delete_posts":
            assert self.selector_edit is not None and isinstance(base, DeletePosts)
            return replace(base, month=month, label=label, select=self.selector_edit.selector(),
                           max_fte=_value(f["max_fte"]) or None)
        if self.kind == "reduce_fte":
            assert self.selector_edit is not None
            by = self.by_pct_radio.isChecked()
            return ReduceFTE(month=month, select=self.selector_edit.selector(), label=label,
                             by_pct=_value(f["by_pct"]) if by else None,
                             to_fte=None if by else _value(f["to_fte"]))
        if self.kind == "vacancy_freeze":
            assert self.selector_edit is not None
            until = f["until"]
            delete = f["delete_on_vacancy"]
            assert isinstance(until, MonthEdit) and isinstance(delete, QCheckBox)
            on = delete.isChecked()
            return VacancyFreeze(month=month, select=self.selector_edit.selector(), label=label,
                                 until=until.month(), delete_on_vacancy=on,
                                 delete_until_fte=(_value(f["delete_until_fte"]) or None)
                                 if on else None)
        if self.kind == "create_posts":
            assert isinstance(base, CreatePosts)
            return replace(base, month=month, label=label, team=_text(f["team"]),
                           post_title=_text(f["post_title"]) or "New post",
                           count=int(_value(f["count"])), fte=_value(f["fte"]),
                           grade=_text(f["grade"]) or None,
                           annual_salary=_value(f["annual_salary"]) or None,
                           directorate=_text(f["directorate"]) or None,
                           skills=_text(f["skills"]) or None)
        assert isinstance(base, TemporaryCover)
        return replace(base, month=month, label=label, team=_text(f["team"]),
                       fte=_value(f["fte"]), months=int(_value(f["months"])),
                       annual_cost_per_fte=_value(f["annual_cost_per_fte"]) or None)

    def _update_summary(self, *_args: object) -> None:
        self.summary_label.setText("In words: " + describe_action(self.action()))

    def problem(self) -> str | None:
        return self._check(self.action()) if self._check is not None else None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.problem_label.setText(f"This action cannot be used yet: {problem}")
            self.problem_label.show()
            return
        super().accept()


def _value(widget: QWidget) -> float:
    assert isinstance(widget, (QDoubleSpinBox, QSpinBox))
    return float(widget.value())


def _text(widget: QWidget) -> str:
    if isinstance(widget, QComboBox):
        return _combo_text(widget)
    assert isinstance(widget, QLineEdit)
    return widget.text().strip()


def ask_action(parent: QWidget | None, kind: str, horizon: Horizon,
               posts: pd.DataFrame | None, action: Action | None = None,
               check: Callable[[Action], str | None] | None = None, *,
               month: int | None = None, team: str = "") -> Action | None:
    """Show the dialog; the action made, or None if cancelled (tests replace this)."""
    dialog = ActionDialog(kind, horizon, posts, action, check, parent, month=month, team=team)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.action()

