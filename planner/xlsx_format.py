"""Styling and safe cell writing for the Excel results workbook (openpyxl, write-only mode).

Sheets are streamed (``Workbook(write_only=True)``) because a by-team table can run to
hundreds of thousands of rows; openpyxl's ordinary mode would hold a Python object per
cell. Streaming means column widths and frozen panes must be set before the first row
is written, so a :class:`SheetBuilder` collects the blocks of a sheet first (titles,
notes, small label/value tables, data frames), measures them, then writes them in order.

Formula injection: openpyxl turns any string starting with ``=`` into a formula and any
string equal to an Excel error code into an error. Text from a user's establishment
(a team called ``=HYPERLINK(…)``) must stay text, so every such string, and every string
:func:`planner.cell_text.looks_like_formula` flags (starting with ``+``, ``-``, ``@``, a
tab or a carriage return, also after spaces, or a full-width ``＝``: text Excel would read
as a formula if the cell were edited), is written as an explicit text cell with Excel's
*quote prefix* style: Excel shows the text as it is and keeps it text on editing, the
way it does when a user types a leading apostrophe. The stored value is unchanged (no
apostrophe in it). Every text cell goes through :func:`text_value`: values, headings,
lines and labels; numbers are written as numbers.

Anonymised exports give the builder a ``scrub`` function (:meth:`planner.anonymise.
Anonymiser.scrub`) that every text cell passes through before it is written.
"""

from __future__ import annotations

import contextlib
import io
import textwrap
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from planner.atomic_file import replace_atomically
from planner.cell_text import FORMULA_STARTS as FORMULA_STARTS  # re-exported
from planner.cell_text import looks_like_formula
from planner.tasks import TaskState, checkpoint

MONEY = '"£"#,##0'  # whole pounds; the stored value keeps its pence
MONEY_PENCE = '"£"#,##0.00'
FTE = "0.00"
PCT = "0.0%"  # values stored as fractions
PCT_PRECISE = "0.0##%"  # assumptions: 17.25 % must not show as 17.3 %
COUNT = "#,##0"
NUMBER = "#,##0.0#"

MAX_WIDTH, MIN_WIDTH = 60.0, 8.0
BOLD = 1.1  # bold headings are this much wider than plain text
LINE_HEIGHT = 15.0  # points, Calibri 11
PROGRESS_EVERY = 2_000  # rows between progress reports

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADER_BORDER = Border(bottom=Side(style="thin", color="808080"))
HEADER_ALIGN = Alignment(vertical="top", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
FOOTER_LEFT, FOOTER_CENTRE = "&A", "Page &P of &N"  # sheet name; page numbers
A4_PAPER = 9  # openpyxl's PAPERSIZE_A4 (Excel's paper-size code)
STYLES: dict[str, Font] = {
    "title": Font(bold=True, size=14),
    "heading": Font(bold=True, size=12),
    "bold": Font(bold=True),
    "note": Font(italic=True, color="404040"),
    "plain": Font(),
}


def clean_text(value: object) -> str:
    """``value`` as text Excel accepts: no control characters, at most 32,767 characters."""
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))[:32_767]


def needs_quote_prefix(text: str) -> bool:
    """Would Excel (or openpyxl) read this text as a formula or an error value?"""
    return text in ERROR_CODES or looks_like_formula(text)


def text_value(ws: Any, value: object) -> str | Cell:
    """Plain text, or an explicit quote-prefixed text cell when it looks like a formula."""
    text = clean_text(value)
    if not needs_quote_prefix(text):
        return text
    cell = WriteOnlyCell(ws, text)
    cell.data_type = "s"  # openpyxl bound "=…" as a formula and "#N/A" as an error
    cell.quotePrefix = True
    return cell


@dataclass(frozen=True)
class Styled:
    """A value with its own number format or font, for small hand-built tables."""

    value: object
    number_format: str | None = None
    style: str | None = None  # a key of STYLES


@dataclass(frozen=True)
class Column:
    """A frame column as shown: its heading, number format and how to show True/False."""

    key: str
    header: str
    number_format: str | None = None
    true_false: tuple[str | None, str | None] = ("Yes", "No")
    width: float | None = None  # characters; None: fit the content
    horizontal: str | None = None  # text alignment ("center"); None: Excel's default


@dataclass
class _Table:
    frame: pd.DataFrame
    columns: list[Column]
    freeze: bool
    autofilter: bool


@dataclass
class _Rows:
    header: list[str] | None
    rows: list[list[object]]
    fit: bool = True  # widen columns to the values (False: text runs on to the right)


@dataclass
class _Line:
    text: str
    style: str


@dataclass
class SheetBuilder:
    """The blocks of one sheet, written top to bottom by :meth:`write`."""

    title: str
    freeze_columns: int = 0  # columns kept in view left of the frozen pane
    landscape: bool = True
    blocks: list[_Table | _Rows | _Line] = field(default_factory=list)
    scrub: Callable[[str], str] | None = None  # applied to every text cell (anonymising)
    page_header: str = ""  # printed at the top of every page
    pages_wide: int = 1  # printed pages across (0: as many as the columns need)
    #: Called with the worksheet before its rows are written (charts, conditional
    #: formatting, page breaks: anything a streaming sheet takes up front).
    extras: list[Callable[[Any], None]] = field(default_factory=list)

    def line(self, text: str, style: str = "plain") -> None:
        self.blocks.append(_Line(text, style))

    def blank(self) -> None:
        self.blocks.append(_Line("", "plain"))

    def rows(self, header: Sequence[str] | None, rows: Sequence[Sequence[object]], *,
             fit: bool = True) -> None:
        """A small table; cells may be :class:`Styled`. With ``fit=False`` the values do
        not widen their columns and long text runs on to the right instead of wrapping
        (a key or note beside narrow columns)."""
        self.blocks.append(_Rows(list(header) if header else None, [list(r) for r in rows],
                                 fit))

    def table(self, frame: pd.DataFrame, columns: Sequence[Column], *,
              freeze: bool = False, autofilter: bool = True) -> None:
        """A data table with a styled header; ``freeze`` keeps its header in view."""
        self.blocks.append(_Table(frame, list(columns), freeze, autofilter))

    # ----- writing ----------------------------------------------------------------------
    def row_count(self) -> int:
        return sum(_height(b) for b in self.blocks)

    def next_row(self) -> int:
        """The sheet row (1-based) the next block will start on."""
        return self.row_count() + 1

    def widths(self) -> list[float]:
        """Column widths in characters, as :meth:`write` sets them."""
        return self._widths()

    def write(self, wb: Workbook, progress: Callable[[int], None] | None = None) -> None:
        """Add the sheet to a write-only workbook; ``progress(rows)`` every few thousand rows."""
        ws = wb.create_sheet(self.title)
        out = _Out(ws, self.scrub)
        widths = self._widths()
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = round(width, 1)
        line_width = max(sum(widths), MAX_WIDTH)
        row, frozen, filtered = 1, False, False
        for block in self.blocks:  # layout first: panes must precede the rows
            if isinstance(block, _Table) and block.freeze and not frozen:
                ws.freeze_panes = f"{get_column_letter(self.freeze_columns + 1)}{row + 1}"
                ws.print_title_rows = f"{row}:{row}"
                frozen = True
            if isinstance(block, _Table) and (lines := _header_lines(
                    [c.header for c in block.columns], widths)) > 1:
                ws.row_dimensions[row].height = LINE_HEIGHT * lines + 2
            if isinstance(block, _Table) and block.autofilter and not filtered and block.columns:
                last = get_column_letter(len(block.columns))
                ws.auto_filter.ref = f"A{row}:{last}{row + len(block.frame)}"
                filtered = True
            for offset, height in _wrapped_heights(block, widths, line_width):
                ws.row_dimensions[row + offset].height = height
            row += _height(block)
        ws.page_setup.orientation = "landscape" if self.landscape else "portrait"
        ws.page_setup.paperSize = A4_PAPER
        ws.page_setup.fitToWidth = self.pages_wide
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.oddFooter.left.text, ws.oddFooter.center.text = FOOTER_LEFT, FOOTER_CENTRE
        if self.page_header:
            ws.oddHeader.center.text = self.page_header.replace("&", "&&")
        for extra in self.extras:
            extra(ws)
        written = 0
        for block in self.blocks:
            for values in _block_rows(out, block, line_width):
                ws.append(values)
                written += 1
                if progress is not None and not written % PROGRESS_EVERY:
                    progress(PROGRESS_EVERY)
        if progress is not None:
            progress(written % PROGRESS_EVERY)

    def _widths(self) -> list[float]:
        """Column widths in characters: the widest value, with headings on up to two lines."""
        widths: dict[int, float] = {}

        def widen(i: int, chars: float) -> None:
            widths[i] = max(widths.get(i, MIN_WIDTH), min(MAX_WIDTH, chars + 2))

        fixed: dict[int, float] = {}
        for block in self.blocks:
            if isinstance(block, _Table):
                for i, col in enumerate(block.columns):
                    if col.width is not None:
                        fixed[i] = max(fixed.get(i, 0.0), col.width)
                        continue
                    widen(i, max(_header_width(col.header),
                                 _content_width(block.frame[col.key], col)))
            elif isinstance(block, _Rows) and block.fit:
                table: list[list[object]] = [list(block.header or []), *block.rows]
                for r in table:
                    if sum(v is not None and v != "" for v in r) < 2:
                        continue  # a section heading may run on into the next cells
                    for i, v in enumerate(r):
                        widen(i, len(_shown(v)))
        for i, width in fixed.items():
            widths[i] = max(width, widths.get(i, 0.0))
        return [widths.get(i, MIN_WIDTH) for i in range(max(widths, default=-1) + 1)]


@dataclass
class _Out:
    """The sheet being written and how its text is made safe (and anonymous)."""

    ws: Any
    scrub: Callable[[str], str] | None

    def text(self, value: object) -> str | Cell:
        text = clean_text(value)
        return text_value(self.ws, self.scrub(text) if self.scrub else text)


def _header_width(header: str) -> float:
    """The narrowest width that shows a heading on at most two lines."""
    for chars in range(max(len(w) for w in [*header.split(), ""]), len(header) + 1):
        if len(textwrap.wrap(header, chars)) <= 2:
            return (chars + 1) * BOLD  # a character to spare: fonts differ
    return len(header) * BOLD


def _header_lines(headers: list[str], widths: list[float]) -> int:
    # The inverse of _header_width (+ 2 in widen); the epsilon keeps 13.2 / 1.1 at 12.
    return max((len(textwrap.wrap(h, max(1, int((w - 2) / BOLD + 1e-6) - 1))) or 1
                for h, w in zip(headers, widths, strict=False)), default=1)


def _wrapped_heights(block: _Table | _Rows | _Line, widths: list[float],
                     line_width: float) -> Iterator[tuple[int, float]]:
    """(row offset, height in points) of the block's rows whose text wraps.

    Excel fits such rows itself when it opens the file; LibreOffice (and Excel's
    print preview of a file never opened) keeps the default height and the lines
    overlap, so the height is set from the lines the text wraps to.
    """
    def lines(text: str, column: int) -> int:
        chars = max(1, int(widths[column] if column < len(widths) else MIN_WIDTH) - 2)
        return len(textwrap.wrap(text, chars)) or 1

    if isinstance(block, _Line) and len(block.text) > line_width:
        size = (STYLES[block.style].sz or 11) / 11
        yield 0, LINE_HEIGHT * size * lines(block.text, 0) + 2
    elif isinstance(block, _Rows) and block.fit:
        start = 1 if block.header else 0
        for k, r in enumerate(block.rows):
            n = max((lines(_shown(v), i) for i, v in enumerate(r)
                     if len(_shown(v)) > MAX_WIDTH), default=1)
            if n > 1:
                yield start + k, LINE_HEIGHT * n + 2


def _height(block: _Table | _Rows | _Line) -> int:
    if isinstance(block, _Table):
        return 1 + len(block.frame)
    if isinstance(block, _Rows):
        return len(block.rows) + (1 if block.header else 0)
    return 1


def _header_cell(out: _Out, text: str) -> Cell:
    safe = out.text(text)
    cell = safe if isinstance(safe, Cell) else WriteOnlyCell(out.ws, safe)
    cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    cell.border, cell.alignment = HEADER_BORDER, HEADER_ALIGN
    return cell


def _cell(out: _Out, value: object, wrap_over: float = float("inf")) -> object:
    """One hand-built cell: Styled values get their format, text is made safe.

    Text longer than ``wrap_over`` characters wraps inside its cell: it would otherwise
    run past the printed page or under the next column.
    """
    if isinstance(value, Styled):
        inner = _cell(out, value.value, wrap_over)
        if inner is None or (value.number_format is None and value.style is None):
            return inner
        cell = inner if isinstance(inner, Cell) else WriteOnlyCell(out.ws, inner)
        if value.number_format:
            cell.number_format = value.number_format
        if value.style:
            cell.font = STYLES[value.style]
        return cell
    if value is None or value == "" or (isinstance(value, float) and not np.isfinite(value)):
        return None
    if isinstance(value, (bool, int, float, np.number)):
        return value.item() if isinstance(value, np.generic) else value
    text = out.text(value)
    if len(str(value)) <= wrap_over:
        return text
    cell = text if isinstance(text, Cell) else WriteOnlyCell(out.ws, text)
    cell.alignment = WRAP
    return cell


def _block_rows(out: _Out, block: _Table | _Rows | _Line,
                line_width: float) -> Iterator[list[object]]:
    if isinstance(block, _Line):
        yield [_cell(out, Styled(block.text, style=block.style), line_width)]
    elif isinstance(block, _Rows):
        if block.header:
            yield [_header_cell(out, h) for h in block.header]
        wrap = MAX_WIDTH if block.fit else float("inf")
        for r in block.rows:
            yield [_cell(out, v, wrap) for v in r]
    else:
        yield [_header_cell(out, c.header) for c in block.columns]
        columns = [_column_values(out, block.frame[c.key], c) for c in block.columns]
        for values in zip(*columns, strict=True):
            yield list(values)


def _column_values(out: _Out, series: pd.Series, col: Column) -> Iterator[object]:
    """Cell values for one column, lazily, one a row.

    Formatted numbers share one template cell per column whose value is replaced row
    by row: :meth:`SheetBuilder.write` appends each row before the next is produced
    and openpyxl's streaming writer writes a row as it is appended, so each row is
    written with its own value while the style is built once, not once a cell.
    """
    missing = series.isna().to_numpy(dtype=bool)
    values = series.astype(object).to_numpy()
    if pd.api.types.is_bool_dtype(series.dtype) or _all_bool(values, missing):
        yes, no = col.true_false
        for v, m in zip(values, missing, strict=True):
            yield None if m else (yes if v else no)
    elif pd.api.types.is_numeric_dtype(series.dtype):
        template = WriteOnlyCell(out.ws)
        if col.number_format:
            template.number_format = col.number_format
        for v, m in zip(values, missing, strict=True):
            number = float(v) if not m else np.nan
            if not np.isfinite(number):
                yield None
            elif col.number_format:
                template.value = v.item() if isinstance(v, np.generic) else v
                yield template
            else:
                yield v.item() if isinstance(v, np.generic) else v
    else:
        cache: dict[object, object] = {}
        for v, m in zip(values, missing, strict=True):
            if m:
                yield None
                continue
            if v not in cache:
                cache[v] = _aligned(out, out.text(v), col.horizontal)
            yield cache[v]


def _aligned(out: _Out, value: str | Cell, horizontal: str | None) -> str | Cell:
    if horizontal is None:
        return value
    cell = value if isinstance(value, Cell) else WriteOnlyCell(out.ws, value)
    cell.alignment = Alignment(horizontal=horizontal)
    return cell


def _all_bool(values: np.ndarray, missing: np.ndarray) -> bool:
    """An object column of True/False/None (``target_met``)."""
    present = values[~missing]
    return bool(len(present)) and all(isinstance(v, (bool, np.bool_)) for v in present)


def _content_width(series: pd.Series, col: Column) -> float:
    """Characters needed by the widest value as Excel will show it."""
    present = series.dropna()
    if present.empty:
        return 0.0
    if pd.api.types.is_bool_dtype(series.dtype) or _all_bool(
            present.astype(object).to_numpy(), np.zeros(len(present), dtype=bool)):
        return float(max(len(t or "") for t in col.true_false))
    if pd.api.types.is_numeric_dtype(series.dtype):
        numbers = pd.to_numeric(present, errors="coerce").to_numpy(dtype=float)
        numbers = numbers[np.isfinite(numbers)]
        if not numbers.size:
            return 0.0
        biggest = float(np.abs(numbers).max())
        return len(_shown(Styled(biggest, col.number_format))) + float((numbers < 0).any())
    return float(present.astype(str).str.len().max())


def _shown(value: object) -> str:
    """Roughly how Excel displays a value, for column widths."""
    fmt = value.number_format if isinstance(value, Styled) else None
    if isinstance(value, Styled):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.number)):
        return str(value)
    number = float(value)
    if fmt in (MONEY, MONEY_PENCE):
        return f"£{number:,.0f}" if fmt == MONEY else f"£{number:,.2f}"
    if fmt in (PCT, PCT_PRECISE):
        return f"{number * 100:,.2f}%"
    if fmt == COUNT or (fmt is None and number.is_integer()):
        return f"{number:,.0f}"
    return f"{number:,.2f}"


# ----- the workbook ---------------------------------------------------------------------
def write_workbook(builders: Sequence[SheetBuilder], path: Path, *, title: str,
                   state: TaskState | None = None) -> Path:
    """Write the sheets to ``path`` (replacing it, atomically) and return the path.

    Reports progress by rows written; raises :class:`~planner.errors.Cancelled`
    (leaving any existing file untouched) when ``state`` asks to stop, and
    :class:`PlannerError` when the file cannot be written.
    """
    path = Path(path)
    wb = Workbook(write_only=True)
    wb.properties.title = clean_text(title)
    wb.properties.creator = "FTE Planner"
    total, done = max(sum(b.row_count() for b in builders), 1), 0
    try:
        for builder in builders:
            def progress(rows: int, name: str = builder.title) -> None:
                nonlocal done
                done += rows
                checkpoint(state, 0.95 * done / total, f"Writing the '{name}' sheet…")

            checkpoint(state, 0.95 * done / total, f"Writing the '{builder.title}' sheet…")
            builder.write(wb, progress)
        checkpoint(state, 0.95, "Saving the workbook…")
        save_atomically(wb, path)
    except BaseException:
        _discard(wb)
        raise
    checkpoint(state, 1.0, "Done")
    return path


def _discard(wb: Workbook) -> None:
    """Close a half-written streaming workbook so openpyxl removes its temporary files.

    Saving to memory is the public way to close every sheet's stream; an abandoned
    stream would otherwise fail noisily when garbage-collected.
    """
    with contextlib.suppress(Exception):
        wb.save(io.BytesIO())


def save_atomically(wb: Workbook, path: Path) -> None:
    """Save to a temporary file in the target's folder, then move it onto the target.

    ``os.replace`` is atomic on one volume (Windows included), so readers see the old
    workbook or the new one, never a partial file. On Windows a workbook open in Excel
    cannot be replaced: that is the PermissionError reported.
    """
    replace_atomically(path, wb.save, open_in="Excel")
