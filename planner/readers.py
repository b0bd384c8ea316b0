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

Cell = Any  # str, float, int, bool, datetime.date/datetime/time/timedelta, or None
Merged = tuple[tuple[int, int], tuple[int, int]]  # ((row0, col0), (row1, col1)), 0-based, inclusive

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt", ""}
SUPPORTED = ".xlsx, .xlsm, .xls, .ods, .csv, .tsv or .txt"
MAX_CSV_BYTES = 512 * 1024 * 1024
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
    """

    name: str
    rows: list[list[Cell]]
    first_row: int = 1
    first_col: int = 0
    merged: list[Merged] = field(default_factory=list)


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

    def read_sheet(self, name: str) -> RawSheet:
        if self._csv_sheet is not None:
            return self._csv_sheet
        if name not in self.sheet_names:
            raise UnusableFileError(
                f"{self.path.name} has no sheet called '{name}'; "
                f"its sheets are {', '.join(repr(s) for s in self.sheet_names)}."
            )
        return _read_calamine_sheet(self, name)


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
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return _open_calamine(path, head)
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


def _open_calamine(path: Path, head: bytes) -> RawWorkbook:
    import python_calamine as pc

    try:
        book = pc.CalamineWorkbook.from_path(str(path))
    except pc.PasswordError as exc:
        raise UnusableFileError(
            f"{path.name} is password-protected; save an unprotected copy and open that."
        ) from exc
    except Exception as exc:  # calamine raises several types for damaged files
        if head.startswith(OLE_MAGIC):
            raise UnusableFileError(
                f"{path.name} is an old-style or encrypted Office file that could not be read "
                f"({_short(exc)}); if it is password-protected, save an unprotected .xlsx copy."
            ) from exc
        return _open_openpyxl(path, exc)
    names = [m.name for m in book.sheets_metadata if str(m.typ).endswith("WorkSheet")]
    if not names:
        raise UnusableFileError(f"{path.name} has no worksheets.")
    fmt = {".xls": "xls", ".ods": "ods", ".xlsb": "xlsb"}.get(path.suffix.lower(), "xlsx")
    return RawWorkbook(path, fmt, names, _book=book, engine="calamine")


def _read_calamine_sheet(wb: RawWorkbook, name: str) -> RawSheet:
    if wb._book is None:
        raise UnusableFileError(f"{wb.path.name} is closed.")
    if wb.engine == "openpyxl":
        return _read_openpyxl_sheet(wb, name)
    try:
        sheet = wb._book.get_sheet_by_name(name)
        rows = sheet.to_python(skip_empty_area=True)
        for row in rows:  # calamine rows are rectangular: drop each row's blank tail
            _trim_row(row)
        start = sheet.start or (0, 0)
        merged = list(sheet.merged_cell_ranges or [])
    except Exception as exc:
        raise UnusableFileError(
            f"Sheet '{name}' of {wb.path.name} could not be read ({_short(exc)})."
        ) from exc
    return RawSheet(name, rows, first_row=int(start[0]) + 1, first_col=int(start[1]), merged=merged)


def _open_openpyxl(path: Path, first_error: Exception) -> RawWorkbook:
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
    return RawWorkbook(path, "xlsx", list(book.sheetnames), _book=book, engine="openpyxl")


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
    if b"\x00" in sample:
        raise UnusableFileError(
            f"{name} is not a spreadsheet or a text (CSV) file; it contains binary data."
        )
    return _decode_utf8(data, "UTF-8")


def sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


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
    if not text.strip():
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
            rows.append(_trim_row(record))
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
    return rows


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
