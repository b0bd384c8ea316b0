"""Find the header row of a sheet, below any title rows, and join two-row headers.

Real establishment spreadsheets start with titles ("Establishment as at…"),
notes, blank rows and sometimes a group row over the headers ("EU" over four
columns, "UK" over four more). The header row is the one whose cells best match
known column names; failing that, the first row that is mostly text. A row
directly above it is joined in as a group row when it looks like one: only
short text, fewer cells than the header, and a merged cell or several labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.columns import match_header, normalise_header
from planner.readers import Cell, Merged, RawSheet, column_letter

SCAN_ROWS = 40
MAX_GROUP_LABEL = 60


@dataclass(frozen=True)
class HeaderInfo:
    """The detected header.

    Attributes:
        index: index in ``RawSheet.rows`` of the (last) header row; data starts after it.
        n_rows: 1, or 2 when a group row above was joined in.
        headers: one unique, non-empty name per column (``Column F`` where the file has none).
        matches: number of distinct canonical columns the headers map to.
        lower: for a joined two-row header, each column's lower-row text alone (the
            mapping falls back to it: "Pay" over "Salary" still means salary).
    """

    index: int
    n_rows: int
    headers: list[str]
    matches: int
    lower: list[str] | None = None


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).replace("\u00a0", " ").split())


def _is_texty(cell: Cell) -> bool:
    if not isinstance(cell, str) or not cell.strip():
        return False
    try:
        float(cell.replace(",", "").replace("£", "").strip())
    except ValueError:
        return True
    return False


def _matches(cells: list[str], lower: list[str] | None = None,
             known: frozenset[str] = frozenset()) -> int:
    alt = lower or [""] * len(cells)
    found = (match_header(c) or match_header(a) for c, a in zip(cells, alt, strict=False))
    extra = sum(1 for c in cells if c and normalise_header(c) in known)
    return len({m for m in found if m}) + extra


def _score(cells: list[str], row: list[Cell], known: frozenset[str]) -> tuple[int, int]:
    return _matches(cells, None, known), sum(1 for c in row if _is_texty(c))


def detect_header(
    sheet: RawSheet, width: int, known: frozenset[str] = frozenset()
) -> HeaderInfo | None:
    """The header of ``sheet`` (``None`` if the sheet has no row that could be one).

    ``known`` holds normalised header names a mapping profile expects; they count
    as matches, so a profile's own headers are found even when no synonym knows them.
    """
    rows = sheet.rows
    best: tuple[int, int, int] | None = None  # (matches, texty, -index)
    for i, row in enumerate(rows[:SCAN_ROWS]):
        cells = [_text(c) for c in row]
        matches, texty = _score(cells, row, known)
        if texty < 2 and matches < 2:
            continue
        key = (matches, texty, -i)
        if best is None or key > best:
            best = key
    if best is None:
        return None
    index = -best[2]
    plain = _unique([_text(c) for c in rows[index]], width, sheet.first_col)
    if index + 1 < len(rows):
        below = _join_sub_row(sheet, index, width)
        if below is not None:
            lower = _unique([_text(c) for c in rows[index + 1]], width, sheet.first_col)
            headers = _unique(below, width, sheet.first_col)
            return HeaderInfo(index + 1, 2, headers, _matches(headers), lower=lower)
    if index > 0:
        joined = _join_group_row(sheet, index, width)
        if joined is not None and _matches(joined, plain) >= _matches(plain):
            headers = _unique(joined, width, sheet.first_col)
            return HeaderInfo(index, 2, headers, _matches(headers, plain), lower=plain)
    return HeaderInfo(index, 1, plain, _matches(plain))


def _join_group_row(sheet: RawSheet, index: int, width: int) -> list[str] | None:
    upper = [_text(c) for c in sheet.rows[index - 1]]
    lower = [_text(c) for c in sheet.rows[index]]
    upper += [""] * (width - len(upper))
    lower += [""] * (width - len(lower))
    labels = [i for i, u in enumerate(upper) if u]
    if not labels or any(not _is_texty(sheet.rows[index - 1][i]) for i in labels):
        return None
    if any(len(upper[i]) > MAX_GROUP_LABEL for i in labels):
        return None
    if len(labels) >= sum(1 for x in lower if x):
        return None
    spans = _horizontal_spans(sheet.merged, sheet.first_row - 1 + index - 1, sheet.first_col, width)
    if not spans:
        return None  # without a merged group cell, a row above is a note, not a group
    n_lower = sum(1 for x in lower if x)
    if any(c1 - c0 + 1 >= 0.8 * n_lower for c0, c1 in spans):
        return None  # a title merged across the whole table, not a group label
    filled = list(upper)
    for c0, c1 in spans:
        label = upper[c0]
        for c in range(c0, c1 + 1):
            filled[c] = label
    out = []
    for u, lo in zip(filled, lower, strict=True):
        if u and lo and u != lo:
            out.append(f"{u} {lo}")
        else:
            out.append(lo or u)
    return out


def _join_sub_row(sheet: RawSheet, index: int, width: int) -> list[str] | None:
    """Join the row below a header when it holds sub-labels under merged header cells.

    E.g. "Salary (£)" merged over two columns with "Min" and "Max" beneath it.
    """
    upper = [_text(c) for c in sheet.rows[index]] + [""] * width
    lower_cells = list(sheet.rows[index + 1]) + [None] * width
    lower = [_text(c) for c in lower_cells]
    labels = [i for i in range(width) if lower[i]]
    if not labels or any(not _is_texty(lower_cells[i]) for i in labels):
        return None
    if any(len(lower[i]) > MAX_GROUP_LABEL for i in labels):
        return None
    spans = _horizontal_spans(sheet.merged, sheet.first_row - 1 + index, sheet.first_col, width)
    if not spans or not all(any(c0 <= i <= c1 for c0, c1 in spans) for i in labels):
        return None
    out = upper[:width]
    for c0, c1 in spans:
        label = upper[c0]
        for c in range(c0, c1 + 1):
            out[c] = f"{label} {lower[c]}".strip() if lower[c] else label
    return out


def _horizontal_spans(
    merged: list[Merged], abs_row: int, first_col: int, width: int
) -> list[tuple[int, int]]:
    spans = []
    for (r0, c0), (r1, c1) in merged:
        if r0 <= abs_row <= r1 and c1 > c0:
            a, b = c0 - first_col, c1 - first_col
            if 0 <= a < width:
                spans.append((a, min(b, width - 1)))
    return spans


def _unique(cells: list[str], width: int, first_col: int = 0) -> list[str]:
    cells = list(cells[:width]) + [""] * (width - len(cells))
    seen: dict[str, int] = {}
    out = []
    for i, c in enumerate(cells):
        name = c or f"Column {column_letter(first_col + i)}"
        key = name.casefold()
        if key in seen:
            seen[key] += 1
            name = f"{name} ({seen[key]})"
        else:
            seen[key] = 1
        out.append(name)
    return out
