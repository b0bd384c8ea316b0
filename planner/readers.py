"""Read the raw cells of a spreadsheet or CSV file, with no interpretation yet.

Spreadsheets (.xlsx, .xlsm, .xls, .ods) are read with python-calamine, a Rust
reader that is an order of magnitude faster than openpyxl; openpyxl is the
fallback if calamine cannot read a workbook. CSV bytes are decoded as UTF-16
(with BOM) or UTF-8 (with or without BOM), any bytes that are not valid UTF-8
being read as Windows-1252 one by one, so a UTF-8 file with one stray
Windows-1252 character keeps its other characters; the delimiter is sniffed.
Trailing blank cells are dropped from every row as it is read.

The file format is decided from the first bytes, not the extension, so a CSV
renamed .xlsx or a workbook renamed .csv is still read correctly or refused
with a message that says what the file really is (including web pages and
Excel 2003 XML files that HR systems save with an .xls name).

Before calamine or openpyxl sees a workbook, :mod:`planner.workbook_guard` checks it
(zip bombs, XML entity declarations, encrypted and damaged files, sheets whose
cells span more than the limits), and each sheet is scanned for its extent,
hidden rows and formulas saved without results as it is read. Hidden rows are
read like any other row (the sheet chooser reports them).
"""

from __future__ import annotations

import codecs
import csv
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.errors import UnusableFileError
from planner.workbook_guard import (
    MAX_ROWS,
    SheetScan,
    WorkbookGuard,
    check_ole,
    check_zip,
    quoted,
)

Cell = Any  # str, float, int, bool, datetime.date/datetime/time/timedelta, or None
Merged = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), 0-based, inclusive

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ""}
SUPPORTED = ".xlsx, .xlsm, .xls, .ods, .csv, .tsv or .txt"
MAX_CSV_BYTES = 512 * 1024 * 1024
MAX_CSV_CELL = 1 << 24  # characters in one CSV cell (Excel's own limit is 32,767)
MAX_CELL_LINES = 500  # lines one quoted CSV cell may span before it counts as an unclosed quote
SNIFF_BYTES = 1024  # how much of a file is read to decide its format


@dataclass
class RawSheet:
    """The cells of one sheet as a list of rows.

    Attributes:
        name: sheet name (the file name stem for CSV).
        rows: cells, row by row; empty cells are ``""`` or ``None``.
        first_row: spreadsheet row number (1-based, as Excel shows it) of ``rows[0]``.
        first_col: 0-based column index of the first cell of each row.
        merged: merged ranges in absolute 0-based coordinates (spreadsheets only).
        hidden: the sheet is hidden in Excel.
        hidden_rows: spreadsheet row numbers (1-based) hidden in Excel; their cells are read.
        blank_formulas: cells (e.g. "D2") holding a formula saved without its result, which
            are read as blank; ``blank_formula_count`` counts all of them (the list is capped).
    """

    name: str
    rows: list[list[Cell]]
    first_row: int = 1
    first_col: int = 0
    merged: list[Merged] = field(default_factory=list)
    hidden: bool = False
    hidden_rows: list[int] = field(default_factory=list)
    blank_formulas: list[str] = field(default_factory=list)
    blank_formula_count: int = 0


@dataclass
class RawWorkbook:
    """An opened file: its sheet names and a way to read each sheet."""

    path: Path
    file_format: str  # "xlsx", "xls", "ods", "csv"
    sheet_names: list[str]
    encoding: str | None = None
    delimiter: str | None = None
    _csv_sheet: RawSheet | None = None
    _book: Any = None
    engine: str = "csv"  # "calamine", "openpyxl" or "csv"
    hidden_sheets: set[str] = field(default_factory=set)
    guard: WorkbookGuard | None = None

    def read_sheet(self, name: str) -> RawSheet:
        if self._csv_sheet is not None:
            return self._csv_sheet
        if name not in self.sheet_names:
            raise UnusableFileError(
                f"{self.path.name} has no sheet called {quoted(name)}; "
                f"its sheets are {', '.join(quoted(s) for s in self.sheet_names)}."
            )
        scan = self.guard.check_sheet(name) if self.guard is not None else SheetScan()
        sheet = _read_calamine_sheet(self, name)
        sheet.hidden = name in self.hidden_sheets
        sheet.hidden_rows = list(scan.hidden_rows)
        sheet.blank_formulas = list(scan.blank_formulas)
        sheet.blank_formula_count = scan.blank_formula_count
        return sheet


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 27 → AB)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def open_workbook(path: str | Path) -> RawWorkbook:
    """Open ``path`` and list its sheets, deciding the format from its content.

    Raises:
        UnusableFileError: missing, empty, unreadable, password-protected or not a table.
    """
    path = Path(path)
    if not path.exists():
        raise UnusableFileError(f"{path} does not exist.")
    if path.is_dir():
        raise UnusableFileError(f"{path} is a folder, not a file.")
    try:
        with path.open("rb") as fh:
            head = fh.read(SNIFF_BYTES)
    except OSError as exc:
        raise UnusableFileError(f"{path.name} could not be opened: {exc.strerror or exc}.") from exc
    if not head:
        raise UnusableFileError(f"{path.name} is empty (0 bytes).")
    if head.startswith(ZIP_MAGIC):
        return _open_calamine(path, head, check_zip(path))
    if head.startswith(OLE_MAGIC):
        if not check_ole(path):
            raise UnusableFileError(
                f"{path.name} is an Office 97-2003 document but not an Excel workbook (a Word or "
                f"PowerPoint file?); FTE Planner reads {SUPPORTED} files.")
        return _open_calamine(path, head, None)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        kind = _markup_kind(head)
        if kind is not None:
            raise UnusableFileError(
                f"{path.name} is {kind}; open it in Excel and save it as an "
                "Excel Workbook (.xlsx), then load that."
            )
        raise UnusableFileError(
            f"{path.name} is named like a spreadsheet but is not one "
            "(it is neither an Excel nor an OpenDocument file); it may be damaged."
        )
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise UnusableFileError(
            f"{path.name} is not a spreadsheet or CSV file; FTE Planner reads {SUPPORTED} files."
        )
    return _open_csv(path)


def _markup_kind(head: bytes) -> str | None:
    """What a markup file saved with a spreadsheet name is ("a web page …"), or ``None``."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    text = text.lstrip("\ufeff \t\r\n").lower()
    html = "a web page (HTML) saved with a spreadsheet name"
    if text.startswith(("<html", "<!doctype html", "<table")):
        return html
    if text.startswith("<?xml"):
        if "urn:schemas-microsoft-com:office:spreadsheet" in text or "excel.sheet" in text:
            return "an Excel 2003 XML spreadsheet, which FTE Planner cannot read"
        if "<html" in text:
            return html
    return None


# --------------------------------------------------------------------------- spreadsheets


def _open_calamine(path: Path, head: bytes, guard: WorkbookGuard | None) -> RawWorkbook:
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise UnusableFileError(
            f"{path.name} is password-protected; save an unprotected copy and open that."
        ) from exc
    except Exception as exc:  # calamine raises several types for damaged files
        if guard is not None and guard.kind == "ods":
            raise UnusableFileError(
                f"{path.name} is an OpenDocument spreadsheet that could not be read "
                f"({_short(exc)}); open it in LibreOffice or Excel, save it as an Excel "
                "Workbook (.xlsx), and load that.") from exc
        if head.startswith(OLE_MAGIC):
            raise UnusableFileError(
                f"{path.name} is an old-style or encrypted Office file that could not be read "
                f"({_short(exc)}); if it is password-protected, save an unprotected .xlsx copy."
            ) from exc
        return _open_openpyxl(path, exc, guard)
    sheets = [m for m in book.sheets_metadata if str(m.typ).endswith("WorkSheet")]
    names = [m.name for m in sheets]
    if not names:
        raise UnusableFileError(f"{path.name} has no worksheets.")
    hidden = {m.name for m in sheets if not str(m.visible).endswith("Visible")}
    if guard is not None:
        hidden |= guard.hidden_sheets & set(names)
    fmt = ("ods" if guard is not None and guard.kind == "ods" else
           {".xls": "xls", ".ods": "ods", ".xlsb": "xlsb"}.get(path.suffix.lower(), "xlsx"))
    return RawWorkbook(path, fmt, names, _book=book, engine="calamine", hidden_sheets=hidden,
                       guard=guard)


def _read_calamine_sheet(wb: RawWorkbook, name: str) -> RawSheet:
    if wb._book is None:
        raise UnusableFileError(f"{wb.path.name} is closed.")
    if wb.engine == "openpyxl":
        return _read_openpyxl_sheet(wb, name)
    try:
        sheet = wb._book.get_sheet_by_name(name)
        start = sheet.start or (0, 0)
        # Row by row, not sheet.to_python(): that builds every row in one call and holds
        # Python's lock throughout (about a second for 200,000 posts), freezing the window
        # while a file loads in the background. iter_rows() starts at row 0 (the columns
        # already start at the first one in use), so the blank rows above are skipped.
        rows = [_trim_row(row)  # calamine rows are rectangular: drop each row's blank tail
                for row in itertools.islice(sheet.iter_rows(), int(start[0]), None)]
        merged = list(sheet.merged_cell_ranges or [])
    except Exception as exc:
        raise UnusableFileError(
            f"Sheet {quoted(name)} of {wb.path.name} could not be read ({_short(exc)})."
        ) from exc
    return RawSheet(name, rows, first_row=int(start[0]) + 1, first_col=int(start[1]), merged=merged)


def _open_openpyxl(path: Path, first_error: Exception,
                   guard: WorkbookGuard | None = None) -> RawWorkbook:
    """openpyxl for a workbook calamine cannot read; it parses XML with defusedxml when that
    is installed (a dependency), and the guard has checked the parts first."""
    import zipfile

    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise UnusableFileError(
            f"{path.name} is not a readable Excel workbook; it may be damaged or incomplete "
            f"({_short(first_error)})."
        ) from exc
    except Exception as exc:
        raise UnusableFileError(
            f"{path.name} could not be read as a workbook ({_short(exc)})."
        ) from exc
    hidden = {ws.title for ws in book.worksheets if ws.sheet_state != "visible"}
    return RawWorkbook(path, "xlsx", list(book.sheetnames), _book=book, engine="openpyxl",
                       hidden_sheets=hidden, guard=guard)


def _read_openpyxl_sheet(wb: RawWorkbook, name: str) -> RawSheet:
    ws = wb._book[name]
    rows = [_trim_row(list(r)) for r in ws.iter_rows(values_only=True)]
    return RawSheet(name, rows)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# --------------------------------------------------------------------------- CSV


CP1252_FALLBACK = "fteplan-cp1252"
MIXED = " (with some Windows-1252 characters)"


def _byte_as_cp1252(b: int) -> str:
    try:
        return bytes([b]).decode("cp1252")
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in cp1252
        return chr(b)  # as ISO-8859-1 reads it


_CP1252 = tuple(_byte_as_cp1252(b) for b in range(256))


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    """Codec error handler: each byte that is not valid UTF-8 becomes one Windows-1252 character."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = bytes(exc.object[exc.start:exc.end])
    return "".join(_CP1252[b] for b in bad), exc.end


codecs.register_error(CP1252_FALLBACK, _cp1252_fallback)


def _decode_utf8(body: bytes, label: str) -> tuple[str, str]:
    """UTF-8 with Windows-1252 for the bytes that are not UTF-8, and the label for the user."""
    try:
        return body.decode("utf-8"), label
    except UnicodeDecodeError:
        pass
    text = body.decode("utf-8", errors=CP1252_FALLBACK)
    # Each ASCII or fallback byte gives one character and each valid multi-byte UTF-8
    # sequence one character for 2-4 bytes, so the text is shorter than the bytes exactly
    # when the file also holds real UTF-8 characters.
    if len(text) < len(body) or label != "UTF-8":
        return text, label + MIXED
    return text, "Windows-1252"


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding name as reported to the user).

    The label is "UTF-8", "UTF-8 with BOM", "UTF-16", "Windows-1252" (no valid
    multi-byte UTF-8 at all), or "UTF-8 (with some Windows-1252 characters)" when
    a UTF-8 file holds bytes that are not UTF-8 (read as Windows-1252, one by one).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode_utf8(data[3:], "UTF-8 with BOM")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise UnusableFileError(f"{name} claims to be UTF-16 text but is not.") from exc
    sample = data[:65536]
    if b"\x00" in sample or len(sample.translate(None, _TEXT_BYTES)) > len(sample) // 100:
        raise UnusableFileError(
            f"{name} is not a spreadsheet or a text (CSV) file; it contains binary data."
        )
    return _decode_utf8(data, "UTF-8")


#: Bytes a text file may hold; control characters other than tab, line breaks and form
#: feed (under 1% of a sample is tolerated) mean binary data.
_TEXT_BYTES = bytes([9, 10, 12, 13, 26, 27]) + bytes(range(32, 256))


def sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


# The csv module refuses cells over 131,072 characters by default; real files can hold a
# long note, and an unclosed quote is caught by MAX_CELL_LINES and the end-of-file mark.
csv.field_size_limit(max(csv.field_size_limit(), MAX_CSV_CELL))
_DELIMITER_NAMES = {",": "commas (,)", ";": "semicolons (;)", "\t": "tabs", "|": "bars (|)"}

# Private-use characters fed to the CSV reader after the last line: if they end up
# inside the last record's last field, the file ended inside a quoted cell.
_EOF_MARK = "\ue000\uf8ff\ue000"
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)?")


def _open_csv(path: Path) -> RawWorkbook:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise UnusableFileError(
            f"{path.name} is {size / 2**20:,.0f} MB, larger than the "
            f"{MAX_CSV_BYTES // 2**20} MB limit for CSV files."
        )
    # Bytes, never text mode: the platform's default encoding (cp1252 on Windows) must not
    # decide how the file is read; decode_text does that.
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnusableFileError(f"{path.name} could not be read: {exc.strerror or exc}.") from exc
    text, encoding = decode_text(data, path.name)
    del data
    if not text or text.isspace():  # not text.strip(), a copy of the whole text
        raise UnusableFileError(f"{path.name} contains no data (only blank lines).")
    delimiter = sniff_delimiter(text)
    rows = _read_csv_rows(text, delimiter, path.name)
    sheet = RawSheet(path.stem, rows)
    return RawWorkbook(path, "csv", [path.stem], encoding, delimiter, _csv_sheet=sheet)


def _read_csv_rows(text: str, delimiter: str, name: str) -> list[list[Cell]]:
    """Records of ``text`` (a quoted cell may span lines), each without its blank tail.

    Raises:
        UnusableFileError: a quote is never closed, or the text is not CSV.
    """
    lines: Iterable[str] = itertools.chain(_physical_lines(text), (_EOF_MARK,))
    reader = csv.reader(lines, delimiter=delimiter)
    rows: list[list[Cell]] = []
    done = 0  # physical lines taken by the records read so far
    others = [d for d in _DELIMITER_NAMES if d != delimiter]
    lumped: list[tuple[str, int, int]] = []  # (other delimiter, cells it would give, line)
    try:
        for record in reader:
            start = done + 1
            done = reader.line_num
            if record and record[-1].endswith(_EOF_MARK):
                if record == [_EOF_MARK] and done == start:
                    break  # the mark alone: the file ended between records
                raise UnusableFileError(
                    f'{name} has an unclosed quote (") in the record starting on line {start}, '
                    "so the rest of the file cannot be read; fix that cell and try again."
                )
            if done - start >= MAX_CELL_LINES:
                raise UnusableFileError(
                    f'{name} has an unclosed quote (") in the record starting on line {start}: '
                    f"its quoted cell runs on for {done - start + 1:,} lines, so the rest of the "
                    "file cannot be read; fix that cell and try again."
                )
            if len(record) == 1 and len(record[0]) < 10_000:
                other = max(others, key=record[0].count)
                if record[0].count(other) >= 2:
                    lumped.append((other, record[0].count(other) + 1, start))
            rows.append(_trim_row(record))
            if len(rows) > MAX_ROWS:
                raise UnusableFileError(
                    f"{name} has more than {MAX_ROWS:,} rows, the most FTE Planner reads; "
                    "split it, or remove the rows that are not posts, and load it again.")
    except csv.Error as exc:
        start = done + 1
        if "field limit" in str(exc):
            raise UnusableFileError(
                f"{name} has a cell longer than {csv.field_size_limit():,} characters in the "
                f'record starting on line {start}, probably because of an unclosed quote ("); '
                "fix that cell and try again."
            ) from exc
        raise UnusableFileError(
            f"{name} is not valid CSV near line {start} ({_short(exc)})."
        ) from exc
    _check_one_delimiter(rows, delimiter, lumped, name)
    return rows


def _check_one_delimiter(rows: list[list[Cell]], delimiter: str,
                         lumped: list[tuple[str, int, int]], name: str) -> None:
    """Refuse a file whose lines use different delimiters (some ; and some ,), whose
    odd lines would otherwise each become one long cell and be dropped as notes.

    A line counts as odd when it is one cell that the other delimiter would split into
    about as many cells as the widest rows have (so a note with a semicolon does not).
    """
    width = max((len(r) for r in rows[:1000]), default=0)
    slack = max(1, width // 4)
    by_delimiter: dict[str, list[int]] = {}
    for other, cells, line in lumped:
        if abs(cells - width) <= slack:
            by_delimiter.setdefault(other, []).append(line)
    if width < 3 or not by_delimiter:
        return
    other, lines = max(by_delimiter.items(), key=lambda item: len(item[1]))
    shown = ", ".join(str(n) for n in lines[:5]) + (", …" if len(lines) > 5 else "")
    raise UnusableFileError(
        f"{name} mixes delimiters: most lines separate cells with "
        f"{_DELIMITER_NAMES[delimiter]}, but {len(lines):,} line(s) ({shown}) use "
        f"{_DELIMITER_NAMES[other]}, so their cells would run together; save the file again "
        "from Excel or the HR system with one delimiter, and load that.")


def _physical_lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings (\\r\\n, \\n or \\r) untranslated.

    What ``io.StringIO(text, newline="")`` yields, as the csv module requires, without
    the copy of the whole text at 4 bytes a character that StringIO would make.
    """
    for match in _LINE.finditer(text):
        line = match.group()
        if not line:  # only at the end: elsewhere the pattern takes at least one character
            return
        yield line


_EMPTY = frozenset({"", None})


def _trim_row(row: list[Cell]) -> list[Cell]:
    """Drop the blank cells at the end of ``row`` (in place) and return it.

    Blank cells between values are kept. The run of ``""``/``None`` is found in C, so a
    row with thousands of trailing empty cells costs little.
    """
    if not row or not is_blank(row[-1]):
        return row
    try:
        tail = len(list(itertools.takewhile(_EMPTY.__contains__, reversed(row))))
    except TypeError:  # an unhashable cell value: trim one by one below
        tail = 0
    if tail:
        del row[len(row) - tail:]
    while row and is_blank(row[-1]):
        row.pop()
    return row


def is_blank(cell: Cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and cell != cell
