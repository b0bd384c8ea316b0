"""Vectorised parsing of raw cells into typed values, reporting every cell it changes.

Each ``parse_*`` function takes a pandas Series of raw cells (str, float, int,
bool, datetime.date, None) and returns a :class:`Parsed`: the typed values and
a list of :class:`CellProblem` for cells that could not be read or were
altered (a band turned into its midpoint, an impossible date left empty).
Common cases go through pandas' vectorised string and numeric routines; only
the odd cell falls back to Python, so 50,000 rows parse in well under a second.

It also holds the importer's way of working on 200,000 rows without one pandas call
holding Python's lock for long (:func:`factorize`, :func:`duplicated`, :func:`release`),
which would freeze the window while a file loads in the background.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.quality import Severity

#: Cell texts that mean "no value" (compared case-insensitively after stripping).
MISSING_TOKENS = frozenset(
    {"", "n/d", "nd", "n/a", "na", "#n/a", "-", "–", "—", "null", "none", "nil", ".",
     "not disclosed", "not applicable", "nan", "nat"}
)
EXCEL_EPOCH = pd.Timestamp("1899-12-30")
MIN_SERIAL, MAX_SERIAL = 1, 73_415  # 1900-01-01 .. 2100-12-31
MIN_YEAR, MAX_YEAR = 1900, 2100  # outside this no date is an employee's

_BAND = re.compile(
    r"^\s*£?\s*([0-9][0-9,]*(?:\.[0-9]+)?)\s*(k?)\s*(?:-|–|—|to)\s*£?\s*([0-9][0-9,]*(?:\.[0-9]+)?)"
    r"\s*(k?)\s*$",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"\s*\(\s*£?\s*[0-9][0-9,]*(?:\.[0-9]+)?\s*\)\s*")
_K = re.compile(r"^\s*£?\s*([0-9]+(?:\.[0-9]+)?)\s*k\s*$", re.IGNORECASE)
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %Y", "%d %B %Y",
                "%d-%b-%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M",
                "%d/%m/%Y %H:%M:%S", "%Y/%m/%d", "%d/%m/%y", "%d-%b-%y", "%d.%m.%y")
#: Two-digit years above this (relative to today's two digits) are taken as 19xx.
_TWO_DIGIT_YEAR = re.compile(r"\D\d{2}\s*$")
_SERIAL_TEXT = re.compile(r"\s*\d{4,5}(\.\d+)?\s*")
_US_MESSAGE = "Not a valid day-first (UK) date; it looks month-first (US)"
_DAYFIRST_LIKE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\s*$")


@dataclass(frozen=True, slots=True)
class CellProblem:
    """A cell that was altered, defaulted or could not be read (``pos`` is positional)."""

    pos: int
    severity: Severity
    code: str
    message: str


@dataclass
class Parsed:
    values: pd.Series
    problems: list[CellProblem] = field(default_factory=list)


# -- a chunk of rows at a time ----------------------------------------------------------------

#: Rows the importer hands to one step at a time. A C-level step holds Python's lock (the
#: GIL) from start to end, and over 200,000 rows of object cells it can run for 100 ms or
#: more, freezing the window while a file loads in the background.
CHUNK_ROWS = 25_000
#: Cells of a table's rows (all columns) handled in one step: 10 columns of CHUNK_ROWS.
CHUNK_CELLS = 250_000


def chunks(n: int, size: int | None = None) -> list[slice]:
    """Slices that cover ``range(n)`` in order, ``size`` (default CHUNK_ROWS) each."""
    step = size or CHUNK_ROWS
    return [slice(start, min(start + step, n)) for start in range(0, n, step)]


def rows_per_chunk(width: int) -> int:
    """Rows of ``width`` cells that make about CHUNK_CELLS cells (at least one row)."""
    return max(1, CHUNK_CELLS // max(width, 1))


def release(items: list[Any], size: int | None = None) -> None:
    """Empty ``items`` (rows of cells) ``size`` (default CHUNK_ROWS) at a time, from the end.

    Letting go of 200,000 rows of 30 cells in one go frees millions of objects in one
    C-level step (140 ms holding the GIL); this frees them in steps of a few ms.
    """
    step = size or CHUNK_ROWS
    while items:
        del items[-step:]


def factorize(values: np.ndarray, size: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values, use_na_sentinel=True)``, without one long hold of the GIL: the
    same codes (-1 where missing) and uniques (in order of first appearance, each the first
    of its equal values).

    pandas hashes text letting go of the GIL now and then, so a column that looks like
    text (judged from a sample: a wrong guess costs time, never a different answer) is
    done in one call. Other objects (dates, numbers, mixed) it hashes holding the GIL
    throughout, 90-130 ms for 200,000 dates, so those are done ``size`` rows at a time
    (default CHUNK_ROWS) and the chunks' uniques then numbered overall: by pandas when
    there are few, else in a dict (Python, which lets go of the GIL; it compares as
    pandas does, by hash and ``==``, and missing values never reach it).
    """
    step = size or CHUNK_ROWS
    if values.dtype != object or len(values) <= step or _looks_like_text(values):
        return pd.factorize(values, use_na_sentinel=True)
    parts = [pd.factorize(values[part], use_na_sentinel=True)
             for part in chunks(len(values), step)]
    pooled = np.concatenate([u for _, u in parts])
    if len(pooled) <= step:
        overall, uniques = pd.factorize(pooled, use_na_sentinel=True)
    else:
        number: dict[object, int] = {}
        overall = np.fromiter((number.setdefault(u, len(number)) for u in pooled),
                              dtype=np.intp, count=len(pooled))
        uniques = np.fromiter(number, dtype=object, count=len(number))
    offsets = np.cumsum([0] + [len(u) for _, u in parts[:-1]])  # of each chunk's uniques
    codes = [np.append(overall[offset:offset + len(u)], -1)[part_codes]  # -1 stays -1
             for offset, (part_codes, u) in zip(offsets, parts, strict=True)]
    return np.concatenate(codes), uniques


def _looks_like_text(values: np.ndarray, sample: int = 1000) -> bool:
    """Whether the values that are not missing, in a sample of about ``sample``, are ``str``."""
    return bool(pd.api.types.infer_dtype(values[::max(1, len(values) // sample)],
                                         skipna=True) == "string")


def duplicated(values: np.ndarray) -> np.ndarray:
    """True where a value that is not missing occurs more than once: what
    ``Series.duplicated(keep=False) & Series.notna()`` gives.

    ``Series.duplicated`` holds the GIL throughout (150 ms for 200,000 post ids);
    :func:`factorize` does not, and counting the codes is numpy's.
    """
    codes, uniques = factorize(values)
    counts = np.append(np.bincount(codes[codes >= 0], minlength=len(uniques)), 0)
    return counts[codes] > 1  # code -1 (missing) reads the 0 appended


def by_unique(parser: Callable[[pd.Series], Parsed]) -> Callable[[pd.Series], Parsed]:
    """Run ``parser`` once per distinct cell value and spread the result back.

    Establishment columns repeat a lot (teams, grades, salaries, dates), so this
    makes parsing cost scale with the number of distinct values, not rows.
    Columns holding Excel TRUE/FALSE cells are parsed cell by cell, because
    ``True == 1`` would otherwise merge them with the number 1.
    """

    def wrapped(raw: pd.Series) -> Parsed:
        arr = raw.to_numpy(dtype=object)
        if len(arr) < 64:
            return parser(raw)
        codes, uniques = factorize(arr)
        if any(type(u) is bool or type(u) is np.bool_ for u in uniques):
            return parser(raw)
        idx = np.where(codes < 0, len(uniques), codes)
        result = parser(pd.Series([*uniques, None], dtype=object))
        values = pd.Series(result.values.to_numpy()[idx], index=raw.index)
        if result.values.dtype != object:
            values = values.astype(result.values.dtype)
        problems: list[CellProblem] = []
        if result.problems:
            order = np.argsort(idx, kind="stable")
            sorted_idx = idx[order]
            for p in result.problems:
                lo, hi = np.searchsorted(sorted_idx, [p.pos, p.pos + 1])
                problems += [CellProblem(int(pos), p.severity, p.code, p.message)
                             for pos in order[lo:hi]]
            problems.sort(key=lambda p: p.pos)
        return Parsed(values, problems)

    wrapped.__doc__ = parser.__doc__
    wrapped.__name__ = parser.__name__
    return wrapped


def _is_missing(v: object) -> bool:
    if v is None:
        return True
    if isinstance(v, str):
        return v.strip().lower() in MISSING_TOKENS
    if isinstance(v, float):
        return v != v
    return v is pd.NaT or v is pd.NA


def missing_mask(raw: pd.Series) -> np.ndarray:
    """True where a cell is empty or a "no value" token such as ``n/d`` or ``NA``."""
    arr = raw.to_numpy(dtype=object)
    return np.fromiter((_is_missing(v) for v in arr), dtype=bool, count=len(arr))


def _is_real_number(v: object) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d{1,2}")
_STRIP = re.compile(r"[£\s\u00a0]|gbp", re.IGNORECASE)


def _number_from_text(text: str) -> tuple[float, str | None]:
    """(value, problem code or None); value is NaN when the text is not a number.

    Commas must group thousands ("30,000", "1,234.5"). A comma followed by one or
    two digits ("0,5") is a decimal comma and is read as such with a warning;
    anything else with commas ("30.000,50") is refused rather than guessed.
    """
    t = _STRIP.sub("", text)
    if _PLAIN_NUMBER.fullmatch(t):
        return float(t.replace(",", "")), None
    if _DECIMAL_COMMA.fullmatch(t):
        return float(t.replace(",", ".")), "decimal_comma"
    return float("nan"), "not_a_number"


def _numbers(raw: pd.Series, missing: np.ndarray) -> tuple[np.ndarray, list[CellProblem]]:
    arr = raw.to_numpy(dtype=object)
    out = np.full(len(arr), np.nan)
    problems: list[CellProblem] = []
    for i, v in enumerate(arr):
        if missing[i]:
            continue
        if _is_real_number(v):
            f = float(v)
            if math.isfinite(f):
                out[i] = f
                continue
            problems.append(CellProblem(i, Severity.WARNING, "not_a_number",
                                        "Not a finite number; left empty."))
            continue
        value, code = _number_from_text(str(v))
        out[i] = value
        if code == "decimal_comma":
            problems.append(CellProblem(i, Severity.WARNING, code,
                                        f"Read as {value:g} (a decimal comma); check it."))
        elif code:
            problems.append(CellProblem(i, Severity.WARNING, code, "Not a number; left empty."))
    return out, problems


@by_unique
def parse_number(raw: pd.Series) -> Parsed:
    """Numbers and numeric text ("1,234.5"); anything else is reported and left empty."""
    out, problems = _numbers(raw, missing_mask(raw))
    return Parsed(pd.Series(out, index=raw.index), problems)


_DURATION = re.compile(r"\s*(\d{1,3}):([0-5]\d)(?::[0-5]\d)?\s*")


@by_unique
def parse_hours(raw: pd.Series) -> Parsed:
    """Weekly hours: numbers, "18.5", durations as cells (timedelta) or text "18:30"."""
    arr = raw.to_numpy(dtype=object)
    durations = {}
    for i, v in enumerate(arr):
        if isinstance(v, dt.timedelta):
            durations[i] = v.total_seconds() / 3600
        elif isinstance(v, dt.time):
            durations[i] = v.hour + v.minute / 60 + v.second / 3600
        elif isinstance(v, str) and (m := _DURATION.fullmatch(v)):
            durations[i] = int(m.group(1)) + int(m.group(2)) / 60
    missing = missing_mask(raw)
    for i in durations:
        missing[i] = True
    out, problems = _numbers(raw, missing)
    for i, hours in durations.items():
        out[i] = hours
    return Parsed(pd.Series(out, index=raw.index), problems)


@by_unique
def parse_money(raw: pd.Series) -> Parsed:
    """Money: numbers, "£32,654", "32654.00", "£32.6k", and bands "£40,000 - £44,999" (midpoint).

    Negative amounts (including accounting brackets "(30,000)") are reported and
    left empty: a salary cannot be negative and would silently reduce the pay bill.
    """
    out, first = _numbers(raw, missing_mask(raw))
    problems: list[CellProblem] = [p for p in first if p.code == "decimal_comma"]
    obj = raw.to_numpy(dtype=object)
    for p in first:
        if p.code != "not_a_number":
            continue
        i = p.pos
        text = str(obj[i])
        band = _BAND.match(text)
        if band:
            lo = float(band.group(1).replace(",", "")) * (1000 if band.group(2) else 1)
            hi = float(band.group(3).replace(",", "")) * (1000 if band.group(4) else 1)
            if hi < lo:
                lo, hi = hi, lo
            mid = (lo + hi) / 2
            out[i] = mid
            msg = f"Salary band {text.strip()!r} read as its midpoint £{mid:,.2f}."
            if lo > 0 and hi / lo > 2:
                msg += " The band is implausibly wide; check it (a typo?)."
            problems.append(CellProblem(i, Severity.WARNING, "band_midpoint", msg))
            continue
        k = _K.match(text)
        if k:
            out[i] = float(k.group(1)) * 1000
            continue
        if _BRACKETED.fullmatch(text):
            problems.append(CellProblem(i, Severity.WARNING, "negative_money",
                                        "A negative amount (in brackets); left empty."))
            continue
        problems.append(CellProblem(i, Severity.WARNING, "not_money",
                                    "Not an amount of money; left empty."))
    for neg in np.flatnonzero(out < 0):
        out[neg] = np.nan
        problems.append(CellProblem(int(neg), Severity.WARNING, "negative_money",
                                    "A negative amount; left empty."))
    problems.sort(key=lambda p: p.pos)
    return Parsed(pd.Series(out, index=raw.index), problems)


@by_unique
def parse_text(raw: pd.Series) -> Parsed:
    """Text with spaces tidied; numbers as text without a spurious ``.0``; missing → None."""
    return Parsed(pd.Series(_texts(raw), index=raw.index, dtype=object))


def _texts(raw: pd.Series) -> np.ndarray:
    missing = missing_mask(raw)
    obj = raw.astype(object).to_numpy()
    out = np.empty(len(obj), dtype=object)
    for i in range(len(obj)):
        if missing[i]:
            out[i] = None
            continue
        v = obj[i]
        if isinstance(v, str):
            out[i] = " ".join(v.replace("\u00a0", " ").split())
        elif isinstance(v, float) and v.is_integer():
            out[i] = str(int(v))
        elif isinstance(v, (dt.datetime, dt.date)):
            out[i] = v.strftime("%d/%m/%Y")
        else:
            out[i] = str(v)
    return out


@by_unique
def parse_date(raw: pd.Series) -> Parsed:
    """Dates: date cells, Excel serial numbers, UK day-first text and ISO text."""
    missing = missing_mask(raw)
    obj = raw.astype(object)
    arr = obj.to_numpy()
    out = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    is_date = np.fromiter((isinstance(v, (dt.date, pd.Timestamp)) for v in arr), dtype=bool,
                          count=len(arr))
    problems: list[CellProblem] = []
    if is_date.any():
        idx = np.flatnonzero(is_date)
        years = np.array([arr[i].year for i in idx])
        ok = (years >= MIN_YEAR) & (years <= MAX_YEAR)
        if ok.any():
            out.iloc[idx[ok]] = pd.to_datetime(
                [dt.date(v.year, v.month, v.day) for v in arr[idx[ok]]])
        problems += [CellProblem(int(i), Severity.WARNING, "bad_date",
                                 "A date outside 1900–2100; left empty.") for i in idx[~ok]]
    isnum = np.fromiter((_is_real_number(v) for v in arr), dtype=bool, count=len(arr)) & ~missing
    if isnum.any():
        serial = obj[isnum].astype(float).to_numpy()
        with np.errstate(invalid="ignore"):
            ok = (serial >= MIN_SERIAL) & (serial <= MAX_SERIAL)
        idx = np.flatnonzero(isnum)
        out.iloc[idx[ok]] = serial_to_dates(serial[ok])
        problems += [CellProblem(int(i), Severity.WARNING, "bad_date",
                                 "A number that is not a valid Excel date; left empty.")
                     for i in idx[~ok]]
    todo = ~is_date & ~isnum & ~missing
    if todo.any():
        text = obj[todo].astype(str).str.strip()
        parsed = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
        serial_text = text.str.fullmatch(_SERIAL_TEXT)
        if serial_text.any():  # an Excel serial number that arrived as text (CSV)
            numbers = text[serial_text].astype(float).to_numpy()
            in_range = (numbers >= MIN_SERIAL) & (numbers <= MAX_SERIAL)
            parsed.loc[serial_text[serial_text].index[in_range]] = serial_to_dates(
                numbers[in_range])
        for fmt in DATE_FORMATS:
            left = parsed.isna()
            if not left.any():
                break
            attempt = pd.to_datetime(text[left], format=fmt, errors="coerce")
            if fmt.endswith("%y"):  # 65 is 1965, not 2065: no employee was born in the future
                this_year = pd.Timestamp.today().year
                attempt = attempt.where(attempt.dt.year <= this_year,
                                        attempt - pd.DateOffset(years=100))
            years = attempt.dt.year
            attempt = attempt.where((years >= MIN_YEAR) & (years <= MAX_YEAR))
            parsed[left] = attempt.astype("datetime64[ns]")
        out.iloc[np.flatnonzero(todo)] = parsed.to_numpy()
        for pos, parsed_ok, value in zip(np.flatnonzero(todo), parsed.notna(), text, strict=True):
            if not parsed_ok:
                message = _date_message(value)
                code = "us_date" if message.startswith(_US_MESSAGE) else "bad_date"
                problems.append(CellProblem(int(pos), Severity.WARNING, code, message))
        if any(p.code == "us_date" for p in problems):
            problems += _ambiguous_dates(np.flatnonzero(todo), parsed, text)
            problems.sort(key=lambda p: p.pos)
    return Parsed(out, problems)


def _long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _ambiguous_dates(positions: np.ndarray, parsed: pd.Series,
                     text: pd.Series) -> list[CellProblem]:
    """Dates read day-first in a column that also holds dates only month-first makes sense
    of ("03/25/1980"): "04/05/1980" may be 5 April, not 4 May; each is flagged to check."""
    found = []
    for pos, value, cell in zip(positions, parsed, text, strict=True):
        m = _DAYFIRST_LIKE.match(cell)
        if m is None or pd.isna(value) or int(m.group(1)) == int(m.group(2)):
            continue
        if int(m.group(1)) <= 12 and int(m.group(2)) <= 12:
            other = dt.date(value.year, value.day, value.month)
            found.append(CellProblem(
                int(pos), Severity.WARNING, "ambiguous_date",
                f"Read day-first (UK) as {_long_date(value)}, but this column also has dates "
                f"that are only valid month-first (US); check it is not {_long_date(other)}."))
    return found


def serial_to_dates(serial: np.ndarray) -> pd.DatetimeIndex:
    """Excel serial day numbers → dates, allowing for Excel's fictitious 29 Feb 1900.

    Serial 1 is 1 Jan 1900 and 61 is 1 Mar 1900; Excel counts a 29 Feb 1900 (serial
    60) that never existed, so serials below 61 are one day later than the usual
    1899-12-30 epoch gives.
    """
    days = np.floor(serial)
    days = np.where(days < 61, days + 1, days)
    return pd.DatetimeIndex(EXCEL_EPOCH + pd.to_timedelta(days, unit="D"))


def _date_message(text: str) -> str:
    m = _DAYFIRST_LIKE.match(text)
    if m:
        day, month = int(m.group(1)), int(m.group(2))
        if month > 12 and day <= 12:
            try:
                us = f", i.e. {_long_date(dt.date(int(m.group(3)), day, month))}"
            except ValueError:  # a two-digit year, or no such day even month-first
                us = ""
            return (f"{_US_MESSAGE}{us}; FTE Planner reads dates day-first (dd/mm/yyyy), so "
                    "it was left empty: correct it, or export the dates as dd/mm/yyyy.")
        return "Not a real date (no such day in that month); left empty."
    return "Not a date FTE Planner can read (use dd/mm/yyyy); left empty."


def parse_vocab(
    raw: pd.Series, vocab: dict[str, str], what: str, unknown: Callable[[str], str | None]
) -> Parsed:
    """Map text onto a small vocabulary; unknown text is reported and replaced by ``unknown``."""
    return by_unique(lambda r: _parse_vocab(r, vocab, what, unknown))(raw)


def _parse_vocab(
    raw: pd.Series, vocab: dict[str, str], what: str, unknown: Callable[[str], str | None]
) -> Parsed:
    texts = _texts(raw)
    out = np.empty(len(texts), dtype=object)
    problems = []
    for i, t in enumerate(texts):
        if t is None:
            out[i] = None
            continue
        key = _vocab_key(t)
        first = key.split(" ", 1)[0]
        if key in vocab:
            out[i] = vocab[key]
        elif first in vocab and vocab[first] in ("vacant", "filled"):  # "Vacant (agency cover)"
            out[i] = vocab[first]
        else:
            out[i] = unknown(t)
            problems.append(CellProblem(i, Severity.WARNING, f"unknown_{what.replace(' ', '_')}",
                                        f"Unknown {what} {t!r}; "
                                        + (f"treated as {out[i]}." if out[i] else "left empty.")))
    return Parsed(pd.Series(out, index=raw.index, dtype=object), problems)


def _vocab_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


STATUS_VOCAB = {
    **dict.fromkeys(["filled", "occupied", "in post", "substantive", "active", "f", "staffed",
                     "live", "employed", "current"], "filled"),
    **dict.fromkeys(["vacant", "vacancy", "v", "unfilled", "empty", "not filled",
                     "vacant post", "open"], "vacant"),
}
FLAG_VOCAB = {
    **dict.fromkeys(["yes", "y", "true", "1", "t", "member", "opted in", "in",
                     "vacant", "vacancy"], "yes"),
    **dict.fromkeys(["no", "n", "false", "0", "f", "non member", "opted out", "out",
                     "filled", "occupied"], "no"),
}
CONTRACT_VOCAB = {
    **dict.fromkeys(["permanent", "perm", "p", "established", "substantive", "open ended"],
                    "permanent"),
    **dict.fromkeys(["fixed term", "fixed term contract", "ftc", "fixed", "fixed term temporary",
                     "fixed-term"], "fixed_term"),
    **dict.fromkeys(["temporary", "temp", "casual", "relief", "sessional", "bank"], "temporary"),
    **dict.fromkeys(["agency", "interim", "agency worker", "contractor", "consultant",
                     "interim agency"], "agency"),
    **dict.fromkeys(["secondment", "seconded", "secondee", "secondment in"], "secondment"),
}
FUNDING_VOCAB = {
    **dict.fromkeys(["core", "base", "base budget", "general fund", "revenue", "core budget",
                     "gf"], "core"),
    **dict.fromkeys(["grant", "grant funded", "external", "externally funded", "government grant",
                     "external grant"], "grant"),
    **dict.fromkeys(["income", "fees", "fees and charges", "traded", "recharge", "hra",
                     "income funded"], "income"),
    **dict.fromkeys(["capital", "capital funded", "capitalised"], "capital"),
}
