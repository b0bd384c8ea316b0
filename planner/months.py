"""Calendar months and UK financial years (April to March).

A month is held as an integer *month number* ``year * 12 + (month - 1)`` so
that arithmetic is plain integer arithmetic and arrays can be indexed by
``month - horizon.start``. Text form is ``"YYYY-MM"``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_MONTH_RE = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")

MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_number(year: int, month: int) -> int:
    """The month number of ``year``-``month`` (month 1–12)."""
    return year * 12 + (month - 1)


def parse_month(text: str) -> int:
    """Parse ``"YYYY-MM"``; raise :class:`ValueError` with a plain message otherwise."""
    m = _MONTH_RE.match(text) if isinstance(text, str) else None
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError(f"{text!r} is not a month written as YYYY-MM (for example 2027-04)")
    return month_number(int(m.group(1)), int(m.group(2)))


def format_month(number: int) -> str:
    """``"YYYY-MM"`` for a month number."""
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def month_label(number: int) -> str:
    """Short human label such as ``"Apr 2027"``."""
    return f"{MONTH_NAMES[number % 12]} {number // 12}"


def first_day(number: int) -> dt.date:
    """The first day of the month."""
    return dt.date(number // 12, number % 12 + 1, 1)


def from_date(day: dt.date) -> int:
    """The month number that contains ``day``."""
    return month_number(day.year, day.month)


def fy_start_year(number: int) -> int:
    """Calendar year in which the financial year containing the month starts (April)."""
    year, month = number // 12, number % 12 + 1
    return year if month >= 4 else year - 1


def fy_label(number: int) -> str:
    """Financial-year label such as ``"2027/28"`` for a month number."""
    return fy_text(fy_start_year(number))


def fy_text(start_year: int) -> str:
    """``"2027/28"`` for the financial year starting in April ``start_year``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


_FY_RE = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2}|\d{4})\s*$")


def parse_fy(text: str) -> int:
    """Parse ``"2027/28"`` (or ``"2027/2028"``) into the start year; raise ValueError otherwise."""
    m = _FY_RE.match(text) if isinstance(text, str) else None
    if m:
        start, end = int(m.group(1)), int(m.group(2))
        if end % 100 == (start + 1) % 100 and (end < 100 or end == start + 1):
            return start
    raise ValueError(f"{text!r} is not a financial year written as YYYY/YY (for example 2027/28)")


def next_april(today: dt.date | None = None) -> int:
    """The month number of the next 1 April after ``today`` (DESIGN §3 default start)."""
    today = today or dt.date.today()
    year = today.year if today.month < 4 else today.year + 1
    return month_number(year, 4)


@dataclass(frozen=True)
class Horizon:
    """The months a scenario covers: ``start`` and the ``months`` that follow it."""

    start: int
    months: int

    @property
    def end(self) -> int:
        """One past the last month."""
        return self.start + self.months

    def __contains__(self, number: object) -> bool:
        return isinstance(number, int) and self.start <= number < self.end

    def index(self, number: int) -> int:
        """Position of a month in the horizon (0 for the start month)."""
        return number - self.start

    def numbers(self) -> range:
        return range(self.start, self.end)

    def labels(self) -> list[str]:
        return [format_month(n) for n in self.numbers()]

    def fy_start_years(self) -> list[int]:
        """Start year of the financial year of each month, in month order."""
        return [fy_start_year(n) for n in self.numbers()]

    def describe(self) -> str:
        return f"{month_label(self.start)} to {month_label(self.end - 1)} ({self.months} months)"
