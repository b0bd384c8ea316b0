"""Personal data in an establishment: what it holds, and a copy with it removed.

Personal data here means the employee columns the importer maps (names, employee
numbers, dates of birth, service start dates, ages and years of service), the
unmapped source columns kept beside the posts (``Establishment.extra``: free text
such as notes can name anyone) and the data-quality report's cell values and
messages that quote them. :func:`remove_personal_data` returns a copy without them:

* names and employee numbers are left empty;
* the unmapped source columns are dropped;
* dates of birth and service start dates are replaced by the age and the length of
  service they imply at the planning start, to the month (redundancy pay, pension
  strain and retirement need them). A whole number of months ``k`` is stored as
  ``(k + ½) / 12`` years, half a month clear of every whole month, so comparing it
  with a band edge never hangs on rounding. Ages count months as the engine does
  (days ÷ 365.25, :func:`planner.engine_inputs._age_at_start`), so retirement is
  unchanged; service counts calendar months up to the last day before the start
  (the leaving dates of :mod:`planner.one_off` are month ends). Every result stays the
  same, redundancy pay and pension strain included (:mod:`planner.one_off` rolls a given
  age forward by months before taking whole years); ``tests/planner/test_personal_data.py``
  checks this on the demo council's scenarios;
* every report line loses the personal values it quotes (dates, names, numbers),
  and one line says what was removed, when and by whom.

Nothing here touches files: saving the copy (and replacing autosaved copies) is the
caller's job. The copy is a :class:`RedactedEstablishment`, which carries the
:class:`Removal` record that project files keep in their ``personal_data`` meta entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import pandas as pd

from planner.establishment import Establishment
from planner.months import first_day, format_month, from_date, month_label, parse_month
from planner.project import os_user_name
from planner.quality import Issue, QualityReport, Severity
from planner.scenario import Scenario

#: Identifying columns: emptied by :func:`remove_personal_data`.
IDENTIFYING = ("employee_id", "employee_name")
#: Dates and the columns (years, to the month) they become.
DATES = {"date_of_birth": "age", "service_start_date": "years_service"}
#: Every personal column of the posts, in the order they are listed.
PERSONAL_COLUMNS = (*IDENTIFYING, *DATES, *DATES.values())

REMOVED = "[removed]"
REMOVAL_CODE = "personal_data_removed"

_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-./]*[A-Za-z0-9]|[A-Za-z0-9]")
_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"|“[^”]*”|‘[^’]*’")
_MONTHS = ("january|february|march|april|may|june|july|august|september|october|"
           "november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATE = re.compile(
    r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?[ \-](?:{_MONTHS})[a-z]*\.?[ \-,]+\d{{2,4}}\b"
    rf"|\b(?:{_MONTHS})[a-z]*\.? \d{{1,2}}(?:st|nd|rd|th)?,? \d{{2,4}}\b",
    re.IGNORECASE)


@dataclass(frozen=True)
class Removal:
    """When personal data was removed, by whom, and the month ages and service are at."""

    at: str  # ISO 8601 local time, to the second
    by: str  # the operating-system user
    ages_at: int  # month number: ages and service are as on its first day


@dataclass
class RedactedEstablishment(Establishment):
    """An establishment whose personal data was removed (:func:`remove_personal_data`)."""

    removal: Removal | None = None


@dataclass(frozen=True)
class PersonalDataState:
    """What personal data an establishment holds; kept in project files (``personal_data``)."""

    removed: bool = False
    removed_at: str | None = None
    removed_by: str | None = None
    ages_at: str | None = None  # "YYYY-MM" when removed
    columns: tuple[str, ...] = ()  # personal columns of the posts that hold values
    unmapped_columns: int = 0  # source columns kept beside the posts (may hold free text)

    def to_dict(self) -> dict[str, Any]:
        return {"removed": self.removed, "removed_at": self.removed_at,
                "removed_by": self.removed_by, "ages_at": self.ages_at,
                "columns": list(self.columns), "unmapped_columns": self.unmapped_columns}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PersonalDataState:
        """The state a project file recorded (``ValueError`` if it is malformed)."""
        if not isinstance(data, dict) or not isinstance(data.get("removed"), bool):
            raise ValueError("personal_data is not a record")
        columns = data.get("columns", [])
        if not isinstance(columns, list) or not all(isinstance(c, str) for c in columns):
            raise ValueError("personal_data columns are not a list of names")
        text = {k: data.get(k) for k in ("removed_at", "removed_by", "ages_at")}
        if any(v is not None and not isinstance(v, str) for v in text.values()):
            raise ValueError("personal_data holds a value of the wrong type")
        return cls(data["removed"], text["removed_at"], text["removed_by"], text["ages_at"],
                   tuple(columns), int(data.get("unmapped_columns", 0)))

    def removal(self) -> Removal | None:
        """The :class:`Removal` this state records, if personal data was removed."""
        if not self.removed:
            return None
        start = parse_month(self.ages_at) if self.ages_at else 0
        return Removal(self.removed_at or "", self.removed_by or "", start)


def columns_with_values(posts: pd.DataFrame) -> tuple[str, ...]:
    """The personal columns of ``posts`` that hold at least one value (not just spaces)."""
    return tuple(c for c in PERSONAL_COLUMNS
                 if c in posts and any(str(v).strip() for v in posts[c].dropna()))


def state_of(establishment: Establishment | None) -> PersonalDataState:
    """What personal data ``establishment`` holds (nothing, without an establishment)."""
    if establishment is None:
        return PersonalDataState()
    extra = establishment.extra
    unmapped = 0 if extra is None else int(extra.shape[1])
    columns = columns_with_values(establishment.posts)
    removal = establishment.removal if isinstance(establishment, RedactedEstablishment) else None
    if removal is None:
        return PersonalDataState(columns=columns, unmapped_columns=unmapped)
    return PersonalDataState(True, removal.at, removal.by, format_month(removal.ages_at),
                             columns, unmapped)


def with_removal(establishment: Establishment, removal: Removal | None) -> Establishment:
    """``establishment`` as a :class:`RedactedEstablishment` recording ``removal`` (when read
    back from a file); the same object when there is nothing to record."""
    if removal is None:
        return establishment
    values = {f.name: getattr(establishment, f.name) for f in fields(Establishment)}
    return RedactedEstablishment(**values, removal=removal)


# ---------------------------------------------------------------- the planning start

def planning_start(scenarios: Sequence[Scenario], current: int = 0,
                   today: dt.date | None = None) -> int:
    """The month ages and service are worked out at: the current scenario's start
    (the scenarios' common start when they share one), else this month."""
    if not scenarios:
        return from_date(today or dt.date.today())
    current = current if 0 <= current < len(scenarios) else 0
    return scenarios[current].horizon.start


def other_starts(scenarios: Sequence[Scenario], start: int) -> list[str]:
    """Names of the scenarios that start in another month than ``start``."""
    return [s.name for s in scenarios if s.horizon.start != start]


# ---------------------------------------------------------------- ages and service

def age_to_the_month(dates: pd.Series, start: int) -> np.ndarray:
    """Years from each date to the first day of ``start``, to the month (NaN where no date).

    Months are counted as the engine counts age: days ÷ 365.25 × 12, whole months.
    """
    stamps = pd.to_datetime(dates, errors="coerce").to_numpy(dtype="datetime64[ns]")
    day = np.datetime64(first_day(start), "ns")
    days = (day - stamps).astype("timedelta64[D]").astype(float)
    months = np.floor(days / 365.25 * 12.0)
    return np.where(np.isnat(stamps), np.nan, (months + 0.5) / 12.0)


def service_to_the_month(dates: pd.Series, start: int) -> np.ndarray:
    """Years from each date to the last day before ``start``, in calendar months (NaN where
    no date): ``(whole months + ½) / 12``. Rolled forward by a month for every month of a
    plan, its whole part is the complete years of service at each month end."""
    stamps = pd.DatetimeIndex(pd.to_datetime(dates, errors="coerce"))
    months = ((start // 12 - stamps.year) * 12 + (start % 12 + 1 - stamps.month) - 1)
    months_array = np.asarray(months, dtype=float)
    return np.where(np.asarray(stamps.isna()), np.nan, (months_array + 0.5) / 12.0)


# ---------------------------------------------------------------- removing

def remove_personal_data(establishment: Establishment, start: int, *,
                         user: str | None = None,
                         when: dt.datetime | None = None) -> RedactedEstablishment:
    """A copy of ``establishment`` without personal data (see the module notes).

    Args:
        establishment: Not changed.
        start: Month number of the planning start (:func:`planning_start`): ages and
            service are worked out at its first day.
        user: Who removed it (default: the signed-in user).
        when: When (default: now), recorded to the second.
    """
    posts = establishment.posts.copy()
    known = _known_values(posts)
    for column in IDENTIFYING:
        if column in posts:
            posts[column] = pd.Series(np.nan, index=posts.index, dtype=posts[column].dtype)
    to_the_month = {"date_of_birth": age_to_the_month, "service_start_date": service_to_the_month}
    for date_column, number_column in DATES.items():
        if date_column not in posts:
            continue
        derived = to_the_month[date_column](posts[date_column], start)
        given = (pd.to_numeric(posts[number_column], errors="coerce").to_numpy(dtype=float)
                 if number_column in posts else np.full(len(posts), np.nan))
        posts[number_column] = np.where(np.isnan(derived), given, derived)
        posts[date_column] = pd.Series(pd.NaT, index=posts.index, dtype=posts[date_column].dtype)
    stamp = when or dt.datetime.now()
    stamp = stamp.astimezone() if stamp.tzinfo is None else stamp
    removal = Removal(stamp.replace(microsecond=0).isoformat(),
                      user if user is not None else os_user_name(), start)
    old = establishment.source
    source = replace(old, sheets=list(old.sheets), mapping=dict(old.mapping),
                     unmapped=list(old.unmapped))
    report = _redacted_report(establishment, known)
    report.issues.append(Issue(Severity.INFO, removal_line(establishment, removal),
                               REMOVAL_CODE))
    return RedactedEstablishment(posts=posts, report=report, source=source,
                                 rows_read=establishment.rows_read,
                                 rows_excluded=establishment.rows_excluded, extra=None,
                                 removal=removal)


def removal_line(establishment: Establishment, removal: Removal) -> str:
    """The data-quality report's line about a removal (no personal values in it)."""
    when = dt.datetime.fromisoformat(removal.at)
    unmapped = 0 if establishment.extra is None else establishment.extra.shape[1]
    dropped = f"; {_count(unmapped, 'unmapped source column')} dropped" if unmapped else ""
    return (f"Personal data removed on {when:%d %b %Y at %H:%M} by {removal.by}: employee "
            "names and numbers left empty, dates of birth and service start dates replaced "
            f"by age and years of service at {month_label(removal.ages_at)} (to the month)"
            f"{dropped}; values quoted in this report were removed.")


def removal_summary(establishment: Establishment, start: int,
                    scenarios: Sequence[Scenario] = ()) -> str:
    """What :func:`remove_personal_data` will remove, one "• " line each, for the confirmation."""
    posts = establishment.posts
    filled = {c: _filled(posts[c]) for c in (*IDENTIFYING, *DATES) if c in posts}
    items = []
    names, ids = filled.get("employee_name", 0), filled.get("employee_id", 0)
    if names or ids:
        items.append(f"employee names ({names:,}) and employee numbers ({ids:,}) are "
                     "left empty")
    dob, service = filled.get("date_of_birth", 0), filled.get("service_start_date", 0)
    if dob or service:
        items.append(f"dates of birth ({dob:,}) and service start dates ({service:,}) are "
                     f"replaced by the age and years of service they give at "
                     f"{month_label(start)}, to the month, which redundancy and pension "
                     "costs need")
    unmapped = 0 if establishment.extra is None else establishment.extra.shape[1]
    if unmapped:
        items.append(f"{_count(unmapped, 'unmapped column')} of the source file "
                     "(free text such as notes) are dropped")
    items.append("names, numbers and dates quoted in the data-quality report are removed")
    text = "\n".join(f"• {item[0].upper()}{item[1:]}." for item in items)
    others = other_starts(scenarios, start)
    if others:
        text += (f"\n\nScenarios starting in another month ({', '.join(others)}) will use "
                 f"these ages as at {month_label(start)}, so their results may change a little.")
    return text


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _filled(values: pd.Series) -> int:
    """How many cells hold a value (not just spaces)."""
    return sum(1 for v in values.dropna() if str(v).strip())


# ---------------------------------------------------------------- the quality report

def _known_values(posts: pd.DataFrame) -> tuple[set[str], dict[str, list[str]]]:
    """Employee numbers (as searchable tokens) and names by first word, to find in text."""
    ids = {text for text in _texts(posts.get("employee_id")) if _searchable(text)}
    names: dict[str, list[str]] = {}
    for text in _texts(posts.get("employee_name")):
        first = _TOKEN.search(text)
        if first is None or len(text) < 3:
            continue
        names.setdefault(first.group(), []).append(text)
    for found in names.values():
        found.sort(key=len, reverse=True)
    return ids, names


def _texts(values: pd.Series | None) -> Iterable[str]:
    if values is None:
        return
    for value in values.dropna().unique():
        text = str(value).strip()
        if text:
            yield text


def _searchable(token: str) -> bool:
    """Can ``token`` be looked for in text without hitting ordinary numbers (row 12)?"""
    has_digit, has_alpha = any(c.isdigit() for c in token), any(c.isalpha() for c in token)
    return len(token) >= 5 or (len(token) >= 3 and has_digit and has_alpha)


def _personal_headers(establishment: Establishment) -> set[str]:
    """Source headers whose cells are personal: the personal columns and the unmapped ones."""
    mapping = establishment.source.mapping
    headers = {mapping[c] for c in PERSONAL_COLUMNS if c in mapping}
    headers |= set(PERSONAL_COLUMNS) | set(establishment.source.unmapped)
    if establishment.extra is not None:
        headers |= {str(c) for c in establishment.extra.columns}
    return headers


def _redacted_report(establishment: Establishment,
                     known: tuple[set[str], dict[str, list[str]]]) -> QualityReport:
    personal = _personal_headers(establishment)
    issues = []
    for issue in establishment.report.issues:
        row_level = issue.row is not None
        cell_personal = issue.column in personal or (
            row_level and issue.column is None and issue.code != "totals_row")
        message = scrub(issue.message, known)
        if cell_personal and row_level:
            message = _QUOTED.sub(REMOVED, message)
        value = issue.value
        if value is not None:
            value = REMOVED if cell_personal else scrub(value, known)
        issues.append(replace(issue, message=message, value=value))
    return QualityReport(issues)


def scrub(text: str, known: tuple[set[str], dict[str, list[str]]]) -> str:
    """``text`` with dates, known employee numbers and known names replaced by ``[removed]``."""
    ids, names = known
    text = _DATE.sub(REMOVED, text)
    if not ids and not names:
        return text
    parts: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        start = match.start()
        if start < pos:
            continue
        token = match.group()
        name = next((n for n in names.get(token, ()) if text.startswith(n, start)
                     and not text[start + len(n):start + len(n) + 1].isalnum()), None)
        if name is not None:
            parts += [text[pos:start], REMOVED]
            pos = start + len(name)
        elif token in ids:
            parts += [text[pos:start], REMOVED]
            pos = match.end()
    return "".join(parts) + text[pos:] if parts else text
