"""Read the raw cells of a spreadsheet or CSV file, with no interpretation yet.

Spreadsheets (.xlsx, .xlsm, .xls, .ods) are read with python-calamine, a Rust
reader that is an order of magnitude faster than openpyxl; openpyxl is the
fallback if calamine cannot read a workbook. CSV text is decoded as UTF-8
(with or without BOM), UTF-16 (with BOM) or, failing those, Windows-1252, and
its delimiter is sniffed.

The file format is decided from the first bytes, not the extension, so a CSV
renamed .xlsx or a workbook renamed .csv is still read correctly or refused
with a message that says what the file really is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
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
            head = fh.read(8)
    except OSError as exc:
        raise UnusableFileError(f"{path.name} could not be opened: {exc.strerror or exc}.") from exc
    if not head:
        raise UnusableFileError(f"{path.name} is empty (0 bytes).")
    if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):
        return _open_calamine(path, head)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise UnusableFileError(
            f"{path.name} is named like a spreadsheet but is not one "
            "(it is neither an Excel nor an OpenDocument file); it may be damaged."
        )
    if path.suffix.lower() not in TEXT_SUFFIXES:
        raise UnusableFileError(
            f"{path.name} is not a spreadsheet or CSV file; FTE Planner reads {SUPPORTED} files."
        )
    return _open_csv(path)


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
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return RawSheet(name, rows)


def _short(exc: Exception) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:160]


# --------------------------------------------------------------------------- CSV


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding name as reported to the user)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
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
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "ISO-8859-1"


def sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ",;\t|"}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _open_csv(path: Path) -> RawWorkbook:
    size = path.stat().st_size
    if size > MAX_CSV_BYTES:
        raise UnusableFileError(
            f"{path.name} is {size / 2**20:,.0f} MB, larger than the "
            f"{MAX_CSV_BYTES // 2**20} MB limit for CSV files."
        )
    data = path.read_bytes()
    text, encoding = decode_text(data, path.name)
    if not text.strip():
        raise UnusableFileError(f"{path.name} contains no data (only blank lines).")
    delimiter = sniff_delimiter(text)
    try:
        rows: list[list[Cell]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""),
                                                               delimiter=delimiter)]
    except csv.Error as exc:
        raise UnusableFileError(f"{path.name} is not valid CSV ({_short(exc)}).") from exc
    sheet = RawSheet(path.stem, rows)
    return RawWorkbook(path, "csv", [path.stem], encoding, delimiter, _csv_sheet=sheet)


def is_blank(cell: Cell) -> bool:
    if cell is None:
        return True
    if isinstance(cell, str):
        return not cell.strip()
    return isinstance(cell, float) and cell != cell


def pad_rows(rows: Sequence[Sequence[Cell]], width: int) -> list[list[Cell]]:
    """Rows cut or padded with ``None`` to exactly ``width`` cells."""
    out = []
    for r in rows:
        n = len(r)
        if n == width:
            out.append(list(r))
        elif n < width:
            out.append([*r, *([None] * (width - n))])
        else:
            out.append(list(r[:width]))
    return out
