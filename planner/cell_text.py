"""Text a spreadsheet will show, not run: one rule for the xlsx writer, CSV files and Ctrl+C.

Excel, LibreOffice and Google Sheets read a cell that starts with ``=``, ``+``, ``-`` or
``@`` (also after a tab or a carriage return) as a formula: a team called
``=HYPERLINK("http://evil","x")`` in a user's establishment would become a live link,
and ``=cmd|' /C calc'!A0`` a command, in whoever opens an export. Quoting a CSV field
does not help (Excel unquotes, then evaluates). An error code (``#N/A``) typed or pasted
becomes an error value. A leading apostrophe is Excel's own "this is text" mark: Excel
hides it and keeps the text as it is.

What is escaped, conservatively (an apostrophe on odd text costs little; a formula costs a
lot):

- text whose first character, after any spaces (also no-break and ideographic spaces)
  and double quotes, is ``=`` ``+`` ``-`` ``@`` a tab, a carriage return or a line feed,
  or the full-width ``＝`` ``＋`` ``－`` ``＠`` (Excel with an East Asian input method may
  read those as a formula; we could not check Excel here, so they are escaped too);
- text that is an error code, in any case (``#n/a``).

What is not: numbers. A cell holding a number stays a number in the CSV and on the
clipboard ("-12.5", "-£1,250" pasted into Excel stay numbers), decided by the value's
type (:func:`csv_value`) or by the caller who knows the cell is numeric
(:func:`clipboard_cell`). A text that is exactly a plain decimal number ("-0.5", what a
file said) is also left alone: Excel reads it as that very number, nothing runs.

In the xlsx writer (:mod:`planner.xlsx_format`) the mark is not an apostrophe in the
value but Excel's *quote prefix* style on a text cell, so the value read back is unchanged.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from numbers import Real

import numpy as np

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "\n",
                                   "\uff1d", "\uff0b", "\uff0d", "\uff20")
#: Skipped before looking at the first character: spaces and CSV-style quotes.
_LEADING = " \u00a0\u3000\""
#: Excel's error values (openpyxl knows the first seven; Excel 365 added the rest).
ERROR_CODES: frozenset[str] = frozenset({
    "#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
    "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
})
#: First characters worth a closer look (a formula start, a skipped one, or "#").
_SUSPECT_FIRST = frozenset("".join(FORMULA_STARTS) + _LEADING + "#")
_PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_NUMBER_DECORATION = re.compile(r"[£$€%,\s]")
_CELL_BREAKS = re.compile(r"[\t\r\n]+")
QUOTE = "'"


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet read ``text`` as a formula or an error value if typed or pasted?"""
    if not text or text[0] not in _SUSPECT_FIRST:  # most text: one look-up
        return False
    if text.startswith(("\t", "\r", "\n")):
        return True
    stripped = text.lstrip(_LEADING)
    return stripped.startswith(FORMULA_STARTS) or stripped.strip().upper() in ERROR_CODES


def is_plain_number(text: str) -> bool:
    """``"-12.5"``, ``"3"``, ``"1e5"``: text Excel reads as exactly that number."""
    return _PLAIN_NUMBER.fullmatch(text) is not None


def escape_text(text: str) -> str:
    """``text`` with a leading apostrophe when it would run as a formula (not a plain number)."""
    if looks_like_formula(text) and not is_plain_number(text):
        return QUOTE + text
    return text


def is_number(value: object) -> bool:
    """A real number (not True/False, not NaN): written as a number, never escaped."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (Real, np.number)):
        return False
    return not math.isnan(float(value))


def csv_value(value: object) -> object:
    """One CSV field: numbers (and True/False, missing values) as they are, text escaped."""
    if isinstance(value, str):
        return escape_text(value)
    return value


def shown_number(text: str) -> bool:
    """Does a number's display text ("-£1,250", "+2.9", "12.5%", "1,234.50") read as a number?

    A numeric cell shown as words ("+1 (up)", "Apr 2028") is escaped like text.
    """
    bare = _NUMBER_DECORATION.sub("", text)
    if bare.startswith(("-", "+", "\u2212")):  # "+2.9" pastes as the number 2.9
        bare = bare[1:]
    return is_plain_number(bare)


def clipboard_cell(text: object, number: bool = False) -> str:
    """One cell of tab-separated text for Excel.

    Args:
        text: what the cell shows (None is an empty cell).
        number: the cell holds a number (its model's raw value is numeric): kept as it is
            when its text reads as a number, so "-£12,500" pastes as a number.

    Tabs and line breaks inside the text become spaces: they would otherwise start a new
    cell or row on paste, and the text after them would be read on its own (a formula).
    """
    if text is None:
        return ""
    raw = str(text)
    if looks_like_formula(raw) and not is_plain_number(raw) \
            and not (number and shown_number(raw)):
        raw = QUOTE + raw
    if "\t" in raw or "\n" in raw or "\r" in raw:
        raw = _CELL_BREAKS.sub(" ", raw)
    return raw


def clipboard_row(cells: Iterable[tuple[object, bool]]) -> str:
    """One line of tab-separated text from (text, is number) pairs."""
    return "\t".join(clipboard_cell(text, number) for text, number in cells)


def clipboard_text(header: Sequence[object], rows: Iterable[Iterable[tuple[object, bool]]]
                   ) -> str:
    """Tab-separated text for Excel: a header line of text, then the rows, each line ended."""
    lines = [clipboard_row((h, False) for h in header)]
    lines += [clipboard_row(r) for r in rows]
    return "\n".join(lines) + "\n"


def clipboard_column(texts: Sequence[str], numbers: Sequence[bool] | None = None
                     ) -> list[str]:
    """:func:`clipboard_cell` of every cell of a column (``numbers``: which cells hold a
    number), without a Python call per cell: 200,000 cells take milliseconds.

    Only a cell that is not text, starts with a suspect character (``_SUSPECT_FIRST``) or
    holds a tab or line break can come out of :func:`clipboard_cell` changed; those are
    found in one pass over the whole column (:func:`_cells_to_check`) and worked out once
    per distinct (text, number) pair. Every other cell is its own text.
    """
    cells = texts.tolist() if isinstance(texts, np.ndarray) else list(texts)
    if not cells:
        return []
    flags = None if numbers is None else np.asarray(numbers, dtype=bool)
    done: dict[tuple[object, bool], str] = {}
    for i in _cells_to_check(cells).tolist():
        key = (cells[i], False if flags is None else bool(flags[i]))
        cell = done.get(key)
        if cell is None:
            cell = done[key] = clipboard_cell(*key)
        cells[i] = cell
    return cells


#: Lines of text joined at once by :func:`clipboard_columns`.
_JOIN_LINES = 10_000
#: Joins a column's cells for :func:`_cells_to_check`; a cell holding one is checked slowly.
_SEPARATOR = "\x00"
_SUSPECT_CODES = np.array(sorted(map(ord, _SUSPECT_FIRST)), dtype=np.uint32)


def _cells_to_check(cells: Sequence[object]) -> np.ndarray:
    """Indices of the cells :func:`clipboard_cell` may change (see :func:`clipboard_column`).

    The column is joined into one string (``_SEPARATOR`` between cells, and after the
    last) and read as an array of code points: each cell starts after a separator, and
    a tab or line break belongs to the cell of the next separator. A column with a cell
    that is not text or holds the separator itself (never in a real file) is checked
    cell by cell: all of its cells.
    """
    n = len(cells)
    try:
        joined = _SEPARATOR.join(cells) + _SEPARATOR  # type: ignore[arg-type]
    except TypeError:  # a cell that is not text
        return np.arange(n)
    if joined.count(_SEPARATOR) != n:
        return np.arange(n)
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ends = np.flatnonzero(codes == ord(_SEPARATOR))  # n of them, the last at the end
    starts = np.concatenate(([0], ends[:-1] + 1))
    check = np.isin(codes[starts], _SUSPECT_CODES)  # an empty cell "starts" with a separator
    breaks = np.flatnonzero((codes == ord("\t")) | (codes == ord("\n")) | (codes == ord("\r")))
    if len(breaks):
        check[np.searchsorted(ends, breaks)] = True
    return np.flatnonzero(check)


def clipboard_columns(header: Sequence[object], columns: Sequence[Sequence[str]]) -> str:
    """Tab-separated text from a header and columns already made by
    :func:`clipboard_column` (as :func:`clipboard_text` makes it from rows)."""
    lines = [clipboard_row((h, False) for h in header)]
    # A Python loop, not map(), and joined a block at a time: a worker thread making the
    # text of 200,000 rows then lets the GUI thread run in between (one C call over
    # them all would hold the GIL for tens of milliseconds).
    lines += ["\t".join(row) for row in zip(*columns, strict=True)]
    return "".join(["\n".join(lines[i:i + _JOIN_LINES]) + "\n"
                    for i in range(0, len(lines), _JOIN_LINES)])
