"""Display strings for figures and whole columns, computed once and not per cell.

Money is whole pounds with thousands separators ("£32,654"), FTE has two
decimal places, dates are UK day-first ("31/03/2026") and a missing value is
an empty string. Column formatters take a pandas Series and return a list of
``str`` in the same order, so a table model's ``data()`` only has to index it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

EMPTY = ""


# -- single figures (summary panel, status bar) -------------------------------------------


def money(value: float | None) -> str:
    """``1234567.4`` → ``"£1,234,567"``; ``-50`` → ``"-£50"``; missing → ``""``."""
    if value is None or _isnan(value):
        return EMPTY
    amount = float(value)
    pounds = int(abs(amount) + 0.5)  # half up, as people round money
    sign = "-" if amount < 0 and pounds else ""
    return f"{sign}£{pounds:,}"


def fte(value: float | None) -> str:
    """``1234.5`` → ``"1,234.50"``; missing → ``""``."""
    if value is None or _isnan(value):
        return EMPTY
    return f"{float(value):,.2f}"


def count(value: int | None) -> str:
    """``1234`` → ``"1,234"``."""
    if value is None:
        return EMPTY
    return f"{int(value):,}"


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "row")`` → ``"1 row"``; ``plural(2, "row")`` → ``"2 rows"``."""
    word = singular if n == 1 else (plural_form or singular + "s")
    return f"{n:,} {word}"


def _isnan(value: object) -> bool:
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


# -- whole columns --------------------------------------------------------------------------


def numeric(series: pd.Series) -> np.ndarray:
    """The column as float64 with NaN for missing or non-numeric cells."""
    values = pd.to_numeric(series, errors="coerce")
    return np.asarray(values, dtype="float64")


def _with_fallback(series: pd.Series, parsed_ok: np.ndarray, formatted: list[str]) -> list[str]:
    """Cells that could not be parsed keep their original text rather than vanish.

    Only those cells are turned into text: a date column with a few blanks was once
    converted whole (a second, holding Python's lock, for 200,000 posts).
    """
    bad = np.flatnonzero(~parsed_ok & series.notna().to_numpy(dtype=bool))
    if not len(bad):
        return formatted
    for i, text in zip(bad.tolist(), text_array(series.iloc[bad]).tolist(), strict=True):
        formatted[i] = text
    return formatted


def _number_column(series: pd.Series, fmt: Callable[[float], str]) -> list[str]:
    values = numeric(series)
    ok = ~np.isnan(values)
    if not ok.any() and series.isna().all():
        return [EMPTY] * len(series)
    formatted = [fmt(v) if good else EMPTY for v, good in zip(values.tolist(), ok, strict=True)]
    return _with_fallback(series, ok, formatted)


def money_column(series: pd.Series) -> list[str]:
    return _number_column(series, money)


def fte_column(series: pd.Series) -> list[str]:
    return _number_column(series, lambda v: f"{v:,.2f}")


def number_column(series: pd.Series) -> list[str]:
    """Whole numbers without decimals, others with up to two ("37", "18.5")."""

    def fmt(v: float) -> str:
        if v.is_integer():
            return f"{int(v):,}"
        return f"{v:,.2f}".rstrip("0").rstrip(".")

    return _number_column(series, fmt)


def integer_column(series: pd.Series) -> list[str]:
    """Row numbers and counts: no thousands separator for row numbers is easier to search."""
    return _number_column(series, lambda v: str(int(v)))


def count_column(series: pd.Series) -> list[str]:
    """Counts with thousands separators ("1,234")."""
    return _number_column(series, lambda v: f"{int(v):,}")


def to_datetimes(series: pd.Series) -> pd.Series:
    """The column as datetime64 (NaT where missing or unreadable); UK day-first for text."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series
    values = series.astype(object).where(series.notna(), None)
    return pd.to_datetime(values, errors="coerce", dayfirst=True, format="mixed")


def date_column(series: pd.Series) -> list[str]:
    if series.isna().all():
        return [EMPTY] * len(series)
    parsed = to_datetimes(series)
    ok = parsed.notna().to_numpy(dtype=bool)
    # Each distinct date formatted once: strftime over 200,000 dates held Python's lock
    # for half a second (the window froze while a worker prepared the table).
    codes, uniques = pd.factorize(parsed, use_na_sentinel=True)
    texts = np.array([*pd.Series(uniques).dt.strftime("%d/%m/%Y").tolist(), EMPTY],
                     dtype=object)
    formatted = texts[codes].tolist()  # code -1 (no date) takes the last entry
    return _with_fallback(series, ok, formatted)


def text_array(series: pd.Series) -> np.ndarray:
    """The column as an object array of ``str`` ("" for missing), for masks and searching."""
    missing = series.isna().to_numpy(dtype=bool)
    if missing.all():
        return np.full(len(series), EMPTY, dtype=object)
    text = series.astype(object).where(~missing, EMPTY).astype(str)
    return text.to_numpy(dtype=object)


def text_column(series: pd.Series) -> list[str]:
    return text_array(series).tolist()


def capitalised_column(series: pd.Series) -> list[str]:
    """``"vacant"`` → ``"Vacant"``; ``"fixed_term"`` → ``"Fixed term"``."""
    return [s[:1].upper() + s[1:].replace("_", " ") if s else s for s in text_column(series)]


def flag_column(series: pd.Series) -> list[str]:
    """Yes/no columns: ``True`` → ``"Yes"``; text such as ``"y"`` is shown as given."""
    names = {"true": "Yes", "false": "No", "1": "Yes", "0": "No", "yes": "Yes", "no": "No"}
    return [names.get(s.casefold(), s) for s in text_column(series)]


_DIGITS = re.compile(r"\d+")


def natural_key(text: str) -> str:
    """A sort key in which "Grade 9" comes before "Grade 10" (numbers compared as numbers)."""
    return _DIGITS.sub(lambda m: m.group(0).zfill(12), text.casefold())


def natural_keys(values: list[str]) -> pd.Series:
    """:func:`natural_key` for a whole column; ``None`` for empty cells so they sort last."""
    keys = pd.Series(values, dtype=object).str.casefold()
    keys = keys.str.replace(_DIGITS, lambda m: m.group(0).zfill(12), regex=True)
    return keys.where(keys != "", None)


FORMATTERS: dict[str, Callable[[pd.Series], list[str]]] = {
    "text": text_column,
    "id": text_column,
    "choice": capitalised_column,
    "flag": flag_column,
    "money": money_column,
    "fte": fte_column,
    "number": number_column,
    "integer": integer_column,
    "count": count_column,
    "date": date_column,
}

NUMERIC_KINDS = frozenset({"money", "fte", "number", "integer", "count"})
