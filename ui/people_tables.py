"""Who is redeployed where, and what each compulsory redundancy costs (current scenario).

The rows come from :func:`planner.compare.redeployment_table` and
:func:`planner.compare.redundancy_table`, the totals from
:func:`planner.compare.column_totals`. Employee names are personal data: they
are not even read into the tables unless "Show names" is ticked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner import compare
from planner.cell_text import clipboard_text, is_number
from planner.months import month_label
from planner.results import Results
from ui import formatting
from ui.compare_view import CopyTableView
from ui.deferred import when_shown
from ui.establishment_view import configure_table
from ui.project_model import ProjectModel

SORT_ROLE = int(Qt.ItemDataRole.UserRole) + 1
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
NAME_NOTE = ("Employee names are personal data: they are hidden unless you tick "
             "“Show names”.")
STRAIN_NOTE = "Pension strain figures are estimates to be confirmed by the pension fund."

Index = QModelIndex | QPersistentModelIndex


def _steps(v: float) -> str:
    n = round(v)
    return "same grade" if n == 0 else f"{n:+d} ({'up' if n > 0 else 'down'})"


def _number(fmt: Callable[[float], str], missing: str = "") -> Callable[[object], str]:
    """A formatter of one numeric cell; ``missing`` for None, NaN or text."""
    def format_one(value: object) -> str:
        try:
            v = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            return missing
        return missing if v != v else fmt(v)

    return format_one


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _choice(value: object) -> str:
    """``"new post"`` → ``"New post"``."""
    text = _text(value)
    return text[:1].upper() + text[1:]


#: kind → (display formatter of one value, numeric?)
KINDS: dict[str, tuple[Callable[[object], str], bool]] = {
    "text": (_text, False),
    "choice": (_choice, False),
    "flag": (lambda v: "Estimated" if v is True or v == 1 else "", False),
    "money": (_number(formatting.money), True),
    "pence": (_number(lambda v: f"£{v:,.2f}"), True),
    "fte": (_number(formatting.fte), True),
    "whole": (_number(lambda v: f"{v:,.0f}"), True),
    "weeks": (_number(lambda v: f"{v:g}"), True),
    "pct": (_number(lambda v: f"{100 * v:.0f}%"), True),
    "month": (_number(lambda v: month_label(int(v))), True),
    "steps": (_number(_steps, "unknown"), True),
}


@dataclass(frozen=True)
class Column:
    """A frame column: its header (may break over two lines), format kind and tooltip."""

    name: str
    header: str
    kind: str = "text"
    tooltip: str = ""

    @property
    def title(self) -> str:
        """The header on one line (for copying and screen readers)."""
        return " ".join(self.header.replace("-\n", "").split())


class PeopleTableModel(QAbstractTableModel):
    """A read-only table over one of the planner's people frames."""

    COLUMNS: tuple[Column, ...] = ()
    SortRole = SORT_ROLE

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._frame = pd.DataFrame()
        self._display: list[list[str]] = [[] for _ in self.COLUMNS]
        self._raw: list[list[object]] = [[] for _ in self.COLUMNS]
        self._n = 0

    def build(self, results: Results, include_names: bool) -> pd.DataFrame:
        raise NotImplementedError

    def set_results(self, results: Results | None, include_names: bool = False) -> None:
        """Show the rows of ``results`` (empty for None); names only if asked."""
        frame = self.build(results, include_names) if results is not None else pd.DataFrame()
        self.set_frame(frame)

    def set_frame(self, frame: pd.DataFrame) -> None:
        self.beginResetModel()
        self._frame = frame.reset_index(drop=True)
        self._n = len(frame)
        self._display, self._raw = [], []
        for col in self.COLUMNS:
            fmt, numeric = KINDS[col.kind]
            if col.name in frame:
                values = frame[col.name].to_numpy(dtype=object)
            else:
                values = np.full(self._n, None, dtype=object)
            self._display.append([fmt(v) for v in values])
            if numeric:
                nums = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float)
                self._raw.append([float(v) if v == v else float("-inf") for v in nums])
            else:
                self._raw.append([formatting.natural_key(d) for d in self._display[-1]])
        self.endResetModel()

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    def totals(self) -> dict[str, float]:
        raise NotImplementedError

    # ----- Qt model interface ----------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._n

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == _DISPLAY:
            return self._display[column][row]
        if role == SORT_ROLE:
            return self._raw[column][row]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if KINDS[self.COLUMNS[column].kind][1] else _LEFT
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        col = self.COLUMNS[section]
        if role == _DISPLAY:
            return col.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tooltip or col.title
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return col.title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if KINDS[col.kind][1] else _LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RedeploymentTableModel(PeopleTableModel):
    """One row per person redeployed (from :func:`planner.compare.redeployment_table`)."""

    COL_POST, COL_NAME, COL_TEAM, COL_GRADE, COL_TO_POST, COL_TO_TEAM, COL_TO_GRADE, \
        COL_SOURCE, COL_MONTH, COL_FTE, COL_GRADE_CHANGE, COL_SALARY_DROP, \
        COL_PAY_PROTECTION = range(13)
    COLUMNS = (
        Column("post_id", "Post ID", tooltip="The post deleted (it identifies the person)"),
        Column("employee_name", "Name", tooltip="Personal data: shown only when asked"),
        Column("team", "From team"),
        Column("grade", "Grade"),
        Column("to_post_id", "New\npost ID"),
        Column("to_team", "To team"),
        Column("to_grade", "New\ngrade"),
        Column("source", "New\npost is", "choice", "An existing vacancy or a new post"),
        Column("month", "Moves\nin", "month", "The month of the move (the old post's deletion)"),
        Column("fte", "FTE", "fte"),
        Column("grade_steps", "Grade\nchange", "steps",
               "Grades up or down, ranked by the grades' median pay"),
        Column("salary_drop", "Salary drop\n(£/year)", "money",
               "Full-time salary lost by the move (0 when the new post pays the same or more)"),
        Column("pay_protection", "Pay\nprotection (£)", "money",
               "Protected pay over the whole protection period at today's pay, before "
               "on-costs (salary drop × FTE, month by month, tapered as the policy says)"),
    )

    def build(self, results: Results, include_names: bool) -> pd.DataFrame:
        return compare.redeployment_table(results, include_names=include_names)

    def totals(self) -> dict[str, float]:
        return compare.column_totals(self._frame, compare.REDEPLOYMENT_TOTALS)


class RedundancyTableModel(PeopleTableModel):
    """One row per compulsory redundancy (from :func:`planner.compare.redundancy_table`)."""

    COL_POST, COL_NAME, COL_TEAM, COL_GRADE, COL_MONTH, COL_FTE, COL_AGE, COL_YEARS, \
        COL_ESTIMATED, COL_WEEKLY_PAY, COL_WEEKS, COL_STATUTORY, COL_ENHANCED, \
        COL_PENSION_STRAIN, COL_TOTAL, COL_CHANCE, COL_EXPECTED = range(17)
    COLUMNS = (
        Column("post_id", "Post ID", tooltip="The post deleted (it identifies the person)"),
        Column("employee_name", "Name", tooltip="Personal data: shown only when asked"),
        Column("team", "Team"),
        Column("grade", "Grade"),
        Column("month", "Deleted\nfrom", "month", "The month the post is deleted from"),
        Column("fte", "FTE", "fte"),
        Column("age_at_leaving", "Age", "whole", "Age in whole years at the leaving date"),
        Column("years_service", "Years", "whole", "Complete years of service at leaving"),
        Column("estimated", "Age or\nservice", "flag",
               "“Estimated”: no usable age or service; the establishment's median was used"),
        Column("weekly_pay", "Week's\npay (£)", "pence", "Actual gross week's pay"),
        Column("statutory_weeks", "Statutory\nweeks", "weeks", "Statutory weeks' pay"),
        Column("statutory_pay", "Statutory\npay (£)", "money",
               "Statutory redundancy pay (Employment Rights Act 1996 s.162)"),
        Column("enhancement", "Enhance-\nment (£)", "money",
               "The council's discretionary enhancement, on top of statutory pay"),
        Column("pension_strain_estimate", "Pension\nstrain (£)", "money",
               "An estimate, to be confirmed by the pension fund"),
        Column("total", "Total\n(£)", "money",
               "Statutory + enhancement + pension strain, if the person is still in post"),
        Column("chance_still_in_post", "Still in\npost", "pct",
               "Chance the person has not left naturally by the deletion"),
        Column("expected_cost", "Expected\ncost (£)", "money",
               "Total × chance still in post: what the scenario's one-off costs count"),
    )

    def build(self, results: Results, include_names: bool) -> pd.DataFrame:
        return compare.redundancy_table(results, include_names=include_names)

    def totals(self) -> dict[str, float]:
        return compare.column_totals(self._frame, compare.REDUNDANCY_TOTALS)

    def any_estimated(self) -> bool:
        """Whether any row's age or service is an estimate (else that column is hidden)."""
        return "Estimated" in self._display[self.COL_ESTIMATED]


def redeployment_totals_text(model: RedeploymentTableModel) -> str:
    n = model.rowCount()
    if not n:
        return "Nobody is redeployed in this scenario."
    t = model.totals()
    return (f"Total: {formatting.plural(n, 'person', 'people')} redeployed, "
            f"{formatting.fte(t['fte'])} FTE; salary drops "
            f"{formatting.money(t['salary_drop'])} a year (full-time); pay protection "
            f"{formatting.money(t['pay_protection'])} in all, before on-costs.")


def redundancy_totals_text(model: RedundancyTableModel) -> str:
    n = model.rowCount()
    if not n:
        return "Nobody is made compulsorily redundant in this scenario."
    t = model.totals()
    return (f"Total: {formatting.plural(n, 'person', 'people')}, "
            f"{formatting.fte(t['fte'])} FTE; statutory {formatting.money(t['statutory_pay'])}, "
            f"enhancement {formatting.money(t['enhancement'])}, pension strain estimate "
            f"{formatting.money(t['pension_strain_estimate'])}; total "
            f"{formatting.money(t['total'])} if everyone is still in post, expected cost "
            f"{formatting.money(t['expected_cost'])}.")


def copy_rows(table: QTableView) -> str:
    """Copy the selected rows (all rows if none) as tab-separated text, headers first."""
    proxy = table.model()
    selection = table.selectionModel()
    rows = sorted({i.row() for i in selection.selectedRows()}) if selection else []
    rows = rows or list(range(proxy.rowCount()))
    columns = [c for c in range(proxy.columnCount()) if not table.isColumnHidden(c)]
    head = [proxy.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.AccessibleTextRole)
            for c in columns]
    # Teams, grades and names are the user's text: escaped (planner.cell_text) so they
    # paste into Excel as text; money and counts (a float sort value) stay numbers.
    text = clipboard_text(head, ([(proxy.index(r, c).data() or "",
                                   is_number(proxy.index(r, c).data(SORT_ROLE)))
                                  for c in columns] for r in rows))
    QGuiApplication.clipboard().setText(text)
    return text


class PeoplePanel(QWidget):
    """Redeployment matches and redundancy costs of the current scenario."""

    def __init__(self, model: ProjectModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setWordWrap(True)
        self.title_label.setAccessibleName("Scenario")
        self.names_check = QCheckBox("Show &names")
        self.names_check.setToolTip(NAME_NOTE)
        self.names_check.toggled.connect(self._on_names_toggled)
        note = QLabel(f"{NAME_NOTE} {STRAIN_NOTE}")
        note.setWordWrap(True)

        self.redeployment_model = RedeploymentTableModel(self)
        self.redundancy_model = RedundancyTableModel(self)
        self.redeployment_proxy, self.redeployment_table, self.redeployment_totals, box1 = \
            self._table_box("&Redeployment matches", "People redeployed", self.redeployment_model)
        self.redundancy_proxy, self.redundancy_table, self.redundancy_totals, box2 = \
            self._table_box("Redundanc&y costs", "Compulsory redundancies and their costs",
                            self.redundancy_model)
        self.redeployment_table.copy_requested.connect(self._copy_redeployment)
        self.redundancy_table.copy_requested.connect(self._copy_redundancy)

        head = QHBoxLayout()
        head.addWidget(self.title_label, 1)
        head.addWidget(self.names_check)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(box1)
        splitter.addWidget(box2)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(note)
        layout.addWidget(splitter, 1)
        self.setTabOrder(self.names_check, self.redeployment_table)
        self.setTabOrder(self.redeployment_table, self.redundancy_table)

        model.results_changed.connect(self._on_index_changed)
        model.scenario_changed.connect(self._on_index_changed)
        model.current_changed.connect(self._refresh)
        model.scenarios_changed.connect(self._refresh)
        model.establishment_changed.connect(self._refresh)
        self._refresh()

    def _table_box(self, title: str, name: str, source: PeopleTableModel
                   ) -> tuple[QSortFilterProxyModel, CopyTableView, QLabel, QGroupBox]:
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(source)
        proxy.setSortRole(SORT_ROLE)
        table = CopyTableView()
        table.setModel(proxy)
        configure_table(table)
        table.setAccessibleName(name)
        table.setToolTip("Ctrl+C copies the selected rows (or all rows) for Excel")
        label = QLabel(title + ":")
        label.setBuddy(table)
        totals = QLabel()
        totals.setWordWrap(True)
        totals.setAccessibleName(f"{name}: totals")
        totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        box = QGroupBox()
        inner = QVBoxLayout(box)
        inner.addWidget(label)
        inner.addWidget(table, 1)
        inner.addWidget(totals)
        return proxy, table, totals, box

    # ----- slots -------------------------------------------------------------------------
    def _copy_redeployment(self) -> None:
        copy_rows(self.redeployment_table)

    def _copy_redundancy(self) -> None:
        copy_rows(self.redundancy_table)

    @when_shown
    def _on_index_changed(self, index: int) -> None:
        if index == self._model.current_index():
            self._refresh()

    def _on_names_toggled(self, _checked: bool) -> None:
        self._refresh()

    @when_shown
    def _refresh(self, *_args: object) -> None:
        scenario, results = self._model.scenario(), self._model.results()
        names = self.names_check.isChecked()
        if scenario is None:
            self.title_label.setText("People: no scenario open")
        elif results is None:
            error = self._model.result_error()
            self.title_label.setText(f"People: {scenario.name} ("
                                     + (error or "still being worked out…") + ")")
        else:
            self.title_label.setText(f"People: {scenario.name}")
        self.redeployment_model.set_results(results, names)
        self.redundancy_model.set_results(results, names)
        self.redeployment_table.setColumnHidden(RedeploymentTableModel.COL_NAME, not names)
        self.redundancy_table.setColumnHidden(RedundancyTableModel.COL_NAME, not names)
        self.redundancy_table.setColumnHidden(
            RedundancyTableModel.COL_ESTIMATED, not self.redundancy_model.any_estimated())
        for table in (self.redeployment_table, self.redundancy_table):
            table.resizeColumnsToContents()
        known = results is not None
        self.redeployment_totals.setText(
            redeployment_totals_text(self.redeployment_model) if known else "")
        self.redundancy_totals.setText(
            redundancy_totals_text(self.redundancy_model) if known else "")
