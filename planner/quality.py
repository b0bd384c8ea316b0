"""The data-quality report: every excluded row and every altered or defaulted cell.

Nothing read from a user's file may disappear without a line here. Row numbers
are spreadsheet row numbers as Excel (or a text editor, for CSV) shows them,
1-based and counting the title and header rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

import pandas as pd


class Severity(StrEnum):
    """How bad an issue is.

    ``ERROR``: the row's data is wrong and the row was excluded (FTE missing or
    ≤ 0, an exact duplicate). ``WARNING``: a value was altered, defaulted or looks
    wrong but the row was loaded, or a row that is not a post (a totals row, a
    note) was excluded. ``INFO``: a decision the user may want to know about.
    Whether a row was excluded is said in the message ("Row excluded: …").
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, slots=True)
class Issue:
    """One line of the data-quality report."""

    severity: Severity
    message: str
    code: str = ""
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    value: str | None = None

    def location(self) -> str:
        """Where the issue is, as a user would say it: ``sheet 'Staff', row 12, column 'FTE'``."""
        parts = []
        if self.sheet:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column '{self.column}'")
        return ", ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d


REPORT_COLUMNS = ["severity", "sheet", "row", "column", "value", "message", "code"]


@dataclass
class QualityReport:
    """An ordered list of :class:`Issue` with counting and tabulation helpers."""

    issues: list[Issue] = field(default_factory=list)

    def add(
        self,
        severity: Severity,
        message: str,
        *,
        code: str = "",
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> Issue:
        issue = Issue(severity, message, code, sheet, row, column, display_value(value))
        self.issues.append(issue)
        return issue

    def extend(self, issues: Iterable[Issue]) -> None:
        self.issues.extend(issues)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def counts(self) -> dict[str, int]:
        """Number of issues by severity, every severity present (zero if none)."""
        c = Counter(i.severity for i in self.issues)
        return {s.value: c.get(s, 0) for s in Severity}

    def sorted(self) -> list[Issue]:
        """Errors first, then warnings, then info; within each, by row."""
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        return sorted(
            self.issues, key=lambda i: (order[i.severity], i.row if i.row is not None else -1)
        )

    def to_frame(self) -> pd.DataFrame:
        """The report as a table with :data:`REPORT_COLUMNS` (row as a nullable integer)."""
        frame = pd.DataFrame(
            [i.to_dict() for i in self.sorted()], columns=REPORT_COLUMNS, dtype=object
        )
        frame["row"] = frame["row"].astype("Int64")
        return frame

    def to_records(self) -> list[dict[str, Any]]:
        return [i.to_dict() for i in self.sorted()]


def display_value(value: object, limit: int = 200) -> str | None:
    """The original cell value as text for the report (``None`` for an empty cell)."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    text = str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text
