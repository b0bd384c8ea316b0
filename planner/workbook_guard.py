"""Check a workbook before a parser sees it: zip bombs, XML entity bombs, huge sparse sheets.

The readers trust the file they are given. calamine builds a *dense* grid of
every sheet from its first to its last cell, so a 2 KB workbook with values in
A1 and XFD1048576 asks for 17 billion cells and aborts the process; a deflated
part can expand a thousandfold; an XML part can declare entities that expand
exponentially ("billion laughs"). Before calamine (or openpyxl) opens a ZIP-based
workbook (.xlsx, .xlsm, .ods) this module:

1. reads the zip's central directory and refuses too many parts, a part whose
   declared size or compression ratio is a bomb's, or an unusual compression;
2. inflates, streaming with its own byte count and CRC (never trusting the
   sizes in the headers), each XML part read when the workbook is opened, and
   refuses a part with a DOCTYPE (the only way to declare entities);
3. for each worksheet when it is read (``WorkbookGuard.check_sheet``), and for
   .ods at once, finds the real extent of the cells and refuses a sheet whose
   grid would exceed :data:`MAX_ROWS` rows or :data:`MAX_CELLS` cells, naming
   the far cell; on the way it notes hidden rows and formulas saved without
   results. A fast path (a few C-speed scans per 4 MB) handles what Excel,
   LibreOffice and openpyxl write; anything else is tokenised cell by cell.

Old .xls files (OLE containers, as are encrypted workbooks of any age) are checked
too (:func:`check_ole`): their size is bounded, encryption is recognised, and each
sheet's cell records are scanned for the same limits, because calamine reads every
cell of every sheet when it opens an .xls.
Every refusal is an :class:`~planner.errors.UnusableFileError` naming the file.
"""

from __future__ import annotations

import contextlib
import html
import queue
import re
import struct
import threading
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import IO

from planner.errors import UnusableFileError

MAX_ENTRIES = 5_000  # parts in one workbook (a 200,000-post workbook has about 10)
MAX_PART_BYTES = 1 << 30  # one sheet, expanded (a 200,000 × 40 sheet is about 375 MB)
MAX_OTHER_BYTES = 256 << 20  # any other part, expanded (shared strings are held in memory)
MAX_SMALL_BYTES = 16 << 20  # workbook.xml and relationships, read here to find the sheets
MAX_TOTAL_BYTES = 3 << 29  # all parts together, expanded (1.5 GB)
MAX_RATIO = 400  # expansion of a part over 16 MB (real sheets: 5-30×; zeros: 1,000×)
RATIO_FLOOR = 16 << 20
MAX_ROWS = 300_000  # rows a sheet may span (the documented limit is 200,000 posts)
MAX_CELLS = 12_000_000  # rows × columns a sheet may span (200,000 × 40 is 8 million)
MAX_OLE_BYTES = 256 << 20  # an old .xls file (Excel 97-2003 sheets hold 65,536 rows)
CHUNK = 4 << 20
SLOW_PIECE = 128 << 10  # the fast path halves a chunk it cannot vouch for down to this
PROLOG_BYTES = 64 << 10
MAX_LISTED = 1_000  # hidden rows / formula cells remembered for messages

_FRESH_COPY = ("ask whoever sent it for a fresh export, or open it in Excel and save a copy, "
               "and load that")


@dataclass
class SheetScan:
    """What the guard saw in one sheet's cells.

    Attributes:
        rows, cols: the extent of the cells with values (1-based last row and column).
        far_ref: the cell farthest from A1 that sets the extent, e.g. ``"XFD1048576"``.
        hidden_rows: 1-based numbers of rows hidden in Excel (at most :data:`MAX_LISTED`).
        blank_formulas: cells holding a formula saved without its result (at most
            :data:`MAX_LISTED`, in file order); ``blank_formula_count`` counts them all.
    """

    rows: int = 0
    cols: int = 0
    far_ref: str = ""
    hidden_rows: list[int] = field(default_factory=list)
    blank_formulas: list[str] = field(default_factory=list)
    blank_formula_count: int = 0

    def extend(self, row: int, col: int) -> None:
        if row > self.rows or col > self.cols:
            self.rows, self.cols = max(row, self.rows), max(col, self.cols)
            self.far_ref = f"{_letters(self.cols)}{self.rows}"

    def check(self, where: str) -> None:
        """Raise if the sheet's grid is larger than the limits; ``where`` names the sheet."""
        cells = self.rows * self.cols
        if self.rows <= MAX_ROWS and cells <= MAX_CELLS:
            return
        if self.rows > MAX_ROWS:
            size = f"row {self.rows:,}, more than the {MAX_ROWS:,} rows FTE Planner reads"
        else:
            size = (f"{self.rows:,} rows × {self.cols:,} columns = {_count(cells)} cells, more "
                    f"than the {MAX_CELLS // 1_000_000} million FTE Planner reads")
        raise UnusableFileError(
            f"{where} has cells in use as far out as {self.far_ref} ({size}). If your data ends "
            "sooner, delete the unused rows and columns beyond it (in Excel, Ctrl+End goes to "
            "the last cell in use), save, and load the file again.")


def quoted(name: str) -> str:
    """A sheet name in quotes for a one-line message (line breaks and tabs as spaces)."""
    return "'" + _CONTROL.sub(" ", name) + "'"


_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _count(n: int) -> str:
    return f"{n / 1e9:,.1f} billion" if n >= 10**9 else f"{n / 1e6:,.1f} million"


def _letters(col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _col_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n


def _size(n: int) -> str:
    return f"{n / 2**30:,.1f} GB" if n >= 2**30 else f"{n / 2**20:,.0f} MB"


# --------------------------------------------------------------------------- zip packages


class WorkbookGuard:
    """A checked ZIP workbook: its sheets' parts and a way to check each sheet when read."""

    def __init__(self, path: Path, kind: str, sheet_parts: dict[str, str],
                 hidden: set[str], scans: dict[str, SheetScan]) -> None:
        self.path = path
        self.kind = kind  # "ooxml" or "ods"
        self.sheet_parts = sheet_parts
        self.hidden_sheets = hidden
        self._scans = scans

    def check_sheet(self, name: str) -> SheetScan:
        """Scan sheet ``name`` (once) and raise if its grid is too large or its part is bad."""
        if name in self._scans:
            return self._scans[name]
        where = f"Sheet {quoted(name)} of {self.path.name}"
        part = self.sheet_parts.get(name)
        if part is None:
            return SheetScan()  # not a worksheet we know of: calamine will say what it is
        with zipfile.ZipFile(self.path) as zf:
            try:
                info = zf.getinfo(part)
            except KeyError:
                raise UnusableFileError(
                    f"{where} is damaged or incomplete: its cells (part {part}) are missing "
                    f"from the file; {_FRESH_COPY}.") from None
            with _Prefetch(_inflate(zf, info, self.path)) as chunks:
                scan = _scan_xlsx_sheet(iter(chunks), self.path, part, where)
        scan.check(where)
        self._scans[name] = scan
        return scan


class _Prefetch:
    """Run an iterator of chunks in a thread, two chunks ahead, so inflating (zlib releases
    the GIL) overlaps scanning. Leaving the ``with`` block stops and joins the thread."""

    def __init__(self, source: Iterator[bytes]) -> None:
        self._source = source
        self._queue: queue.Queue[tuple[str, object]] = queue.Queue(maxsize=2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="workbook-guard", daemon=True)

    def __enter__(self) -> _Prefetch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        while self._thread.is_alive():
            with contextlib.suppress(queue.Empty):
                self._queue.get(timeout=0.05)
        self._thread.join()

    def __iter__(self) -> Iterator[bytes]:
        while True:
            kind, item = self._queue.get()
            if kind == "data":
                yield item  # type: ignore[misc]
            elif kind == "error":
                raise item  # type: ignore[misc]
            else:
                return

    def _run(self) -> None:
        try:
            for chunk in self._source:
                if not self._put(("data", chunk)):
                    return
            self._put(("end", None))
        except BaseException as exc:  # handed to the scanning thread
            self._put(("error", exc))

    def _put(self, item: tuple[str, object]) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False


def check_zip(path: Path) -> WorkbookGuard:
    """Check a ZIP-based workbook's parts; raises :class:`UnusableFileError` if it is unsafe."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise UnusableFileError(
            f"{path.name} is not a readable Excel workbook: it is damaged or incomplete "
            f"({_short(exc)}); if it was copied or downloaded, get a fresh copy.") from exc
    with zf:
        infos = zf.infolist()
        _check_directory(path, infos)
        names = {i.filename for i in infos}
        if "content.xml" in names and "xl/workbook.xml" not in names:
            return _check_ods(zf, path)
        if not any(n.startswith("xl/") for n in names):
            kind = ("a Word document" if any(n.startswith("word/") for n in names) else
                    "a PowerPoint presentation" if any(n.startswith("ppt/") for n in names) else
                    "a ZIP archive")
            raise UnusableFileError(f"{path.name} is {kind}, not a workbook; FTE Planner reads "
                                    ".xlsx, .xlsm, .xls, .ods, .csv, .tsv or .txt files.")
        if "xl/workbook.bin" in names:
            raise UnusableFileError(
                f"{path.name} is an Excel Binary Workbook (.xlsb), which FTE Planner cannot "
                "check before reading; open it in Excel, save it as an Excel Workbook (.xlsx), "
                "and load that.")
        small: dict[str, bytes] = {}
        for info in infos:
            if _SHEET_PART.fullmatch(info.filename):
                continue  # checked when the sheet is read (check_sheet)
            if info.file_size > MAX_OTHER_BYTES:
                raise UnusableFileError(
                    f"{path.name} is not a workbook FTE Planner can open: its part "
                    f"{info.filename} expands to {_size(info.file_size)} (the limit is "
                    f"{_size(MAX_OTHER_BYTES)}); {_FRESH_COPY}.")
            if info.filename.endswith((".xml", ".rels", ".vml")):
                small[info.filename] = _check_xml_part(zf, info, path)
        parts, hidden = _ooxml_sheets(small, path)
    return WorkbookGuard(path, "ooxml", parts, hidden, {})


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return text[:120]


def _check_directory(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise UnusableFileError(
            f"{path.name} holds {len(infos):,} parts, far more than any workbook (the limit is "
            f"{MAX_ENTRIES:,}); it is not a genuine spreadsheet, so FTE Planner will not open it.")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnusableFileError(f"{path.name} is an encrypted ZIP archive, not a workbook.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnusableFileError(
                f"{path.name} uses a compression method Excel and LibreOffice never write "
                f"(part {info.filename}); {_FRESH_COPY}.")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise UnusableFileError(
                f"{path.name} is not a genuine spreadsheet: its part {info.filename} expands to "
                f"{_size(info.file_size)} ({ratio:,.0f} times its stored size), as a 'zip bomb' "
                "made to exhaust a computer's memory does; FTE Planner will not open it. Ask "
                "whoever sent it for a fresh export.")
        if info.file_size > MAX_PART_BYTES:
            raise UnusableFileError(
                f"{path.name} is too large to open: its part {info.filename} expands to "
                f"{_size(info.file_size)}, more than the {_size(MAX_PART_BYTES)} FTE Planner "
                "reads for one sheet (far beyond an establishment of 200,000 posts).")
    if total > MAX_TOTAL_BYTES:
        raise UnusableFileError(
            f"{path.name} expands to {_size(total)} in all, more than the {_size(MAX_TOTAL_BYTES)} "
            "FTE Planner opens (a 'zip bomb', or a workbook far larger than an establishment); "
            "it was not opened.")


def _inflate(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> Iterator[bytes]:
    """The expanded bytes of one part in chunks, checked against its declared size and CRC.

    Python's own reader stops at the declared size; the Rust reader may not, so a
    part whose header lies about its size is refused here rather than trusted.
    """
    fp: IO[bytes] = zf.fp  # type: ignore[assignment]
    damaged = (f"{path.name} is damaged or incomplete (part {info.filename} is corrupt); "
               "if it was copied or downloaded, get a fresh copy.")
    fp.seek(info.header_offset)
    head = fp.read(30)
    if len(head) < 30 or head[:4] != b"PK\x03\x04":
        raise UnusableFileError(damaged)
    name_len, extra_len = struct.unpack("<HH", head[26:30])
    fp.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    produced = crc = 0
    tail = b""
    while True:
        if tail:
            buf, tail = tail, b""
        else:
            if left <= 0:
                break
            buf = fp.read(min(CHUNK, left))
            if not buf:
                raise UnusableFileError(damaged)
            left -= len(buf)
        try:
            data = inflater.decompress(buf, CHUNK) if inflater else buf
        except zlib.error as exc:
            raise UnusableFileError(damaged) from exc
        if inflater:
            tail = inflater.unconsumed_tail
        produced += len(data)
        if produced > info.file_size:
            raise UnusableFileError(
                f"{path.name} is not a genuine spreadsheet: its part {info.filename} expands to "
                f"more than the {info.file_size:,} bytes its header declares, a 'zip bomb' "
                "trick; FTE Planner will not open it. Ask whoever sent it for a fresh export.")
        crc = zlib.crc32(data, crc)
        if data:
            yield data
        if inflater and inflater.eof:
            break
    if (inflater and not inflater.eof) or produced != info.file_size or crc != info.CRC:
        raise UnusableFileError(damaged)


_DOCTYPE = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_PROLOG_ITEM = re.compile(rb"\s*(?:<\?.*?\?>|<!--.*?-->)", re.DOTALL)


def _check_prolog(first: bytes, path: Path, part: str) -> None:
    """Refuse a part that declares a DOCTYPE (and so entities).

    The prolog is walked past the XML declaration, comments and processing instructions
    to the first real markup, which must be the root element; a DOCTYPE anywhere in the
    first chunk is refused too, and so is a prolog longer than :data:`PROLOG_BYTES`.
    """
    text = first
    if text.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = first.decode("utf-16", errors="ignore").encode()
    pos = 3 if text.startswith(b"\xef\xbb\xbf") else 0
    while (m := _PROLOG_ITEM.match(text, pos, PROLOG_BYTES)) is not None:
        pos = m.end()
    rest = text[pos:pos + 64].lstrip()
    if rest.startswith(b"<!") or _DOCTYPE.search(text) or (
            pos >= PROLOG_BYTES - 64 and len(text) >= PROLOG_BYTES):
        raise UnusableFileError(
            f"{path.name} contains an XML document type declaration (DOCTYPE) in part {part}; "
            "Excel never writes one, and it is how 'billion laughs' files attack a computer, so "
            f"FTE Planner will not open it; {_FRESH_COPY}.")


def _check_xml_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, path: Path) -> bytes:
    """Inflate an XML part checking its prolog; returns its bytes if under
    :data:`MAX_SMALL_BYTES` (for finding the sheets), else ``b""``."""
    kept: list[bytes] = []
    first = b""
    size = 0
    for chunk in _inflate(zf, info, path):
        if len(first) < PROLOG_BYTES:
            first += chunk[:PROLOG_BYTES]
            if len(first) >= PROLOG_BYTES:
                _check_prolog(first, path, info.filename)
        size += len(chunk)
        if size <= MAX_SMALL_BYTES:
            kept.append(chunk)
    if len(first) < PROLOG_BYTES:
        _check_prolog(first, path, info.filename)
    return b"".join(kept) if size <= MAX_SMALL_BYTES else b""


_SHEET_PART = re.compile(r"xl/worksheets/[^/]+\.xml")
_SHEET_EL = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_REL_EL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(text: bytes) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(text):
        key = m.group(1).decode("ascii", "replace").split(":")[-1]
        raw = m.group(2) if m.group(2) is not None else m.group(3)
        out[key] = html.unescape(raw.decode("utf-8", "replace"))
    return out


def _ooxml_sheets(small: dict[str, bytes], path: Path) -> tuple[dict[str, str], set[str]]:
    """Sheet name → worksheet part, and the names of hidden sheets, from workbook.xml.

    ``small`` holds the checked XML parts (empty bytes for one too large to keep).
    """
    names = {n for n, data in small.items() if data}
    book_part = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for rel in _REL_EL.finditer(small["_rels/.rels"]):
            a = _attrs(rel.group(1))
            if a.get("Type", "").endswith("/officeDocument"):
                book_part = _resolve("", a.get("Target", book_part))
    if book_part not in names:
        raise UnusableFileError(
            f"{path.name} is damaged or incomplete: it has no workbook part ({book_part}), so "
            f"its sheets cannot be found; {_FRESH_COPY}.")
    rels_part = str(PurePosixPath(book_part).parent / "_rels" / (PurePosixPath(book_part).name
                                                                   + ".rels"))
    if rels_part not in names:
        raise UnusableFileError(
            f"{path.name} is damaged or incomplete: the list of its sheets' parts ({rels_part}) "
            f"is missing; {_FRESH_COPY}.")
    base = str(PurePosixPath(book_part).parent)
    targets = {}
    for rel in _REL_EL.finditer(small[rels_part]):
        a = _attrs(rel.group(1))
        targets[a.get("Id", "")] = _resolve(base, a.get("Target", ""))
    parts: dict[str, str] = {}
    hidden: set[str] = set()
    for el in _SHEET_EL.finditer(small[book_part]):
        a = _attrs(el.group(1))
        name = a.get("name", "")
        target = targets.get(a.get("id", ""))
        if target:
            parts[name] = target
        if a.get("state", "visible") in ("hidden", "veryHidden"):
            hidden.add(name)
    return parts, hidden


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = [p for p in base.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


# --------------------------------------------------------------------------- xlsx sheets


_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR = re.compile(rb"""\sr\s*=\s*["']([^"']*)["']""")
_HIDDEN = re.compile(rb"""\shidden\s*=\s*["'](?:1|true)["']""")
_REF = re.compile(rb"([A-Za-z]{1,3})([0-9]{1,7})")
_LAST_ROW = re.compile(rb'<row r="([0-9]{1,7})"[^>]*?(/?)>')
#: A row element the fast path cannot vouch for (r missing or not first), or a hidden row.
_ODD_ROW_OR_HIDDEN = re.compile(rb'<row(?! r="[1-9][0-9]{0,6}"(?:(?!hidden=)[^>])*>)[\s/>]')
_ODD_ROW = re.compile(rb'<row(?! r="[1-9][0-9]{0,6}")[\s/>]')
_HIDDEN_ROW = re.compile(rb"""<row r="([0-9]{1,7})"[^>]*?\shidden\s*=\s*["'](?:1|true)["']""")
#: A cell or row with a namespace prefix (calamine ignores prefixes, so it is still a cell).
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_FORMULA = re.compile(rb"<f[\s>/]")
_BLANK_FORMULA = re.compile(
    rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)'
    rb"(?:<v\s*/>|<v>\s*</v>)?</c>")


def _numbers_upto(n: int) -> bytes:
    """Regex for the decimal numbers 1..``n`` (no leading zeros)."""
    s = str(n).encode()
    alts = [rb"[1-9][0-9]{0,%d}" % (len(s) - 2)] if len(s) > 1 else []
    for i, ch in enumerate(s):
        low = b"1" if i == 0 else b"0"
        if ch > low[0]:
            alts.append(s[:i] + b"[" + low + b"-" + bytes([ch - 1]) + b"]"
                        + rb"[0-9]" * (len(s) - i - 1))
    alts.append(s)
    return b"(?:" + b"|".join(alts) + b")"


def _letters_upto(col: int) -> bytes:
    """Regex for the column letters A..``col`` (1-based)."""
    s = _letters(col).encode()
    alts = [rb"[A-Z]{1,%d}" % (len(s) - 1)] if len(s) > 1 else []
    for i, ch in enumerate(s):
        if ch > ord("A"):
            alts.append(s[:i] + b"[A-" + bytes([ch - 1]) + b"]" + rb"[A-Z]" * (len(s) - i - 1))
    alts.append(s)
    return b"(?:" + b"|".join(alts) + b")"


@lru_cache(maxsize=64)
def _odd_cell(cols: int) -> re.Pattern[bytes]:
    """A cell the fast path cannot vouch for: r missing or not first, a column after ``cols``,
    or a row beyond the most rows a sheet ``cols`` wide may have."""
    rows = min(MAX_ROWS, MAX_CELLS // cols)
    return re.compile(rb'<c(?! r="' + _letters_upto(cols) + _numbers_upto(rows) + rb'")[\s/>]')


class _SheetState:
    """Position of the cell tokeniser (the slow path) across chunks."""

    def __init__(self) -> None:
        self.row = 0
        self.col = 0


def _scan_xlsx_sheet(chunks: Iterator[bytes], path: Path, part: str, where: str) -> SheetScan:
    scan = SheetScan()
    state = _SheetState()
    carry = b""
    first = True
    for chunk in chunks:
        data = carry + chunk
        if first:
            _check_prolog(data[:PROLOG_BYTES], path, part)
            first = False
        cut = data.rfind(b"<")  # a tag never holds "<", so no tag is cut in two
        if cut <= 0:
            carry = data
            if len(carry) > 64 << 20:
                raise UnusableFileError(f"{where} is damaged (a tag longer than 64 MB).")
            continue
        data, carry = data[:cut], data[cut:]
        _scan_chunk(data, scan, state, where)
    if first:
        _check_prolog(carry[:PROLOG_BYTES], path, part)
    _scan_chunk(carry, scan, state, where)
    return scan


def _scan_chunk(data: bytes, scan: SheetScan, state: _SheetState, where: str) -> None:
    """Fast path: a few C-speed searches prove every cell lies within ``scan.cols`` columns
    and the rows that width allows. A piece that fails is halved until it is small, and
    only that small piece is tokenised exactly (usually just the first, before the width
    is known)."""
    if _fast(data, scan, state):
        pass
    elif len(data) > SLOW_PIECE:
        middle = data.rfind(b"<", 0, len(data) // 2)
        if middle > 0:
            _scan_chunk(data[:middle], scan, state, where)
            _scan_chunk(data[middle:], scan, state, where)
            return
        _tokenise(data, scan, state, where)
    else:
        _tokenise(data, scan, state, where)
    scan.check(where)
    if _FORMULA.search(data):
        for m in _BLANK_FORMULA.finditer(data):
            scan.blank_formula_count += 1
            if len(scan.blank_formulas) < MAX_LISTED:
                scan.blank_formulas.append(m.group(1).decode())


def _fast(data: bytes, scan: SheetScan, state: _SheetState) -> bool:
    if not scan.cols or _odd_cell(scan.cols).search(data) or _PREFIXED.search(data):
        return False
    if _ODD_ROW_OR_HIDDEN.search(data):
        if _ODD_ROW.search(data):
            return False
        for m in _HIDDEN_ROW.finditer(data):
            if len(scan.hidden_rows) < MAX_LISTED:
                scan.hidden_rows.append(int(m.group(1)))
    last = _last_full_row(data)
    if last:
        scan.extend(last, scan.cols)
        state.row, state.col = last, 0
    return True


def _last_full_row(data: bytes) -> int:
    """The number of the last row element in ``data`` that is not empty (self-closing)."""
    end = len(data)
    while True:
        at = data.rfind(b'<row r="', 0, end)
        if at < 0:
            return 0
        m = _LAST_ROW.match(data, at)
        if m and not m.group(2):
            return int(m.group(1))
        end = at


def _tokenise(data: bytes, scan: SheetScan, state: _SheetState, where: str) -> None:
    """Exact positions the way calamine assigns them: a missing r means the next row/cell."""
    for m in _TAG.finditer(data):
        attrs = m.group(2)
        ref = _R_ATTR.search(attrs)
        if m.group(1) == b"row":
            state.row = int(ref.group(1)) if ref and ref.group(1).isdigit() else state.row + 1
            state.col = 0
            if _HIDDEN.search(attrs) and len(scan.hidden_rows) < MAX_LISTED:
                scan.hidden_rows.append(state.row)
            continue
        row = state.row
        if ref:
            cell = _REF.fullmatch(ref.group(1))
            if cell is None:
                raise UnusableFileError(
                    f"{where} is damaged: it has a cell reference "
                    f"'{ref.group(1).decode('utf-8', 'replace')[:20]}' that is not a cell.")
            row, state.col = int(cell.group(2)), _col_number(cell.group(1))
        else:
            state.col += 1
        if not attrs.rstrip().endswith(b"/"):  # <c .../> has no value
            scan.extend(max(row, 1), state.col)
            if scan.rows > MAX_ROWS or scan.rows * scan.cols > MAX_CELLS:
                return  # refused by the caller; no need to read further


# --------------------------------------------------------------------------- OpenDocument


_ODS_TOKEN = re.compile(
    rb"<table:table(?=[\s>])([^>]*)>|</table:table>|<table:table-row(?=[\s/>])([^>]*?)(/?)>"
    rb"|</table:table-row>")
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])([^>]*?)(/?)>")
_ODS_REPEAT_COLS = re.compile(rb'table:number-columns-repeated="([0-9]+)"')
_ODS_REPEAT_ROWS = re.compile(rb'table:number-rows-repeated="([0-9]+)"')


def _check_ods(zf: zipfile.ZipFile, path: Path) -> WorkbookGuard:
    for info in zf.infolist():
        if info.filename.endswith(".xml") and info.filename != "content.xml":
            _check_xml_part(zf, info, path)
    info = zf.getinfo("content.xml")
    scans: dict[str, SheetScan] = {}
    ods = _OdsState(scans, path)
    carry = b""
    first = True
    for chunk in _inflate(zf, info, path):
        data = carry + chunk
        if first:
            _check_prolog(data[:PROLOG_BYTES], path, "content.xml")
            first = False
        cut = max(data.rfind(b"<table:table-row"), data.rfind(b"<table:table "))
        if cut <= 0:
            carry = data
            if len(carry) > 64 << 20:
                raise UnusableFileError(f"{path.name} has a row larger than 64 MB; it was "
                                        "not opened.")
            continue
        data, carry = data[:cut], data[cut:]
        ods.feed(data)
    ods.feed(carry)
    return WorkbookGuard(path, "ods", {}, set(), scans)


class _OdsState:
    """Rows and widths of each table of an OpenDocument spreadsheet, repeats included."""

    def __init__(self, scans: dict[str, SheetScan], path: Path) -> None:
        self.scans = scans
        self.path = path
        self.scan: SheetScan | None = None
        self.where = ""
        self.row = 0  # rows so far in the current table, repeats included
        self.open_row: tuple[int, bytes] | None = None  # (content start, attributes)

    def feed(self, data: bytes) -> None:
        for m in _ODS_TOKEN.finditer(data):
            if m.group(1) is not None:  # a table starts
                name = _attrs(m.group(1)).get("name", f"Sheet{len(self.scans) + 1}")
                self.scan, self.row, self.where = SheetScan(), 0, \
                    f"Sheet {quoted(name)} of {self.path.name}"
                self.scans[name] = self.scan
            elif m.group(0) == b"</table:table>":
                self.scan = None
            elif m.group(2) is not None:  # a row starts
                if m.group(3):  # <table:table-row/>: empty
                    self._row(m.group(2), b"")
                else:
                    self.open_row = (m.end(), m.group(2))
            elif self.open_row is not None:  # </table:table-row>
                start, attrs = self.open_row
                self._row(attrs, data[start:m.start()])
                self.open_row = None
        if self.open_row is not None:
            raise UnusableFileError(f"{self.path.name} is damaged (a row is not closed).")

    def _row(self, attrs: bytes, content: bytes) -> None:
        if self.scan is None:
            return
        rep = _ODS_REPEAT_ROWS.search(attrs)
        repeat = int(rep.group(1)) if rep else 1
        width = self._width(content)
        if b"visibility=" in attrs and b'"visible"' not in attrs:
            for r in range(self.row + 1, self.row + 1 + min(repeat, MAX_LISTED)):
                if len(self.scan.hidden_rows) < MAX_LISTED:
                    self.scan.hidden_rows.append(r)
        self.row += repeat
        if width:
            self.scan.extend(self.row, width)
            self.scan.check(self.where)

    @staticmethod
    def _width(content: bytes) -> int:
        """Columns up to the last cell with a value (0 if none has one)."""
        if b"office:value-type" not in content and b"<text:" not in content:
            return 0
        if b"repeated" not in content:
            return content.count(b"<table:table-cell") + content.count(b"<table:covered-table-cell")
        col = width = 0
        for m in _ODS_CELL.finditer(content):
            rep = _ODS_REPEAT_COLS.search(m.group(1))
            col += int(rep.group(1)) if rep else 1
            if b"office:value-type" in m.group(1) or not m.group(2):
                width = col
        return width


# --------------------------------------------------------------------------- old .xls (OLE)


_BIFF_CELLS = {0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x00D6}  # blanks do not count
_BIFF_MULRK = 0x00BD
_BIFF_BOF, _BIFF_EOF, _BIFF_SHEET, _BIFF_FILEPASS = 0x0809, 0x000A, 0x0085, 0x002F


def check_ole(path: Path) -> bool:
    """Check an OLE (Office 97-2003 or encrypted) file; True if it is an .xls workbook.

    Raises:
        UnusableFileError: too large, encrypted, damaged, or a sheet beyond the limits.
    """
    size = path.stat().st_size
    if size > MAX_OLE_BYTES:
        raise UnusableFileError(
            f"{path.name} is {_size(size)}, larger than the {_size(MAX_OLE_BYTES)} FTE Planner "
            "reads for an old-style (.xls) workbook; save it as an Excel Workbook (.xlsx) and "
            "load that.")
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except Exception as exc:  # olefile raises several types for damaged files
        raise UnusableFileError(
            f"{path.name} is damaged or incomplete (an Office 97-2003 file that cannot be read: "
            f"{_short(exc)}); if it was copied or downloaded, get a fresh copy.") from exc
    with ole:
        if ole.exists("EncryptedPackage") or ole.exists("EncryptionInfo"):
            raise UnusableFileError(_encrypted(path))
        stream = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        if stream is None:
            return False
        data = ole.openstream(stream).read()
    _scan_biff(data, path)
    return True


def _encrypted(path: Path) -> str:
    return (f"{path.name} is password-protected (encrypted); open it in Excel with its password, "
            "remove the password (File > Info > Protect Workbook > Encrypt with Password, clear "
            "it), save, and load that copy.")


def _scan_biff(data: bytes, path: Path) -> None:
    """Walk the BIFF records; refuse a sheet whose cells span more than the limits."""
    names: dict[int, str] = {}
    scan: SheetScan | None = None
    where = ""
    pos, n = 0, len(data)
    unpack = struct.unpack_from
    while pos + 4 <= n:
        rtype, size = unpack("<HH", data, pos)
        body = pos + 4
        if rtype in _BIFF_CELLS and size >= 4:
            row, col = unpack("<HH", data, body)
            if scan is not None and (row >= scan.rows or col >= scan.cols):
                scan.extend(row + 1, col + 1)
        elif rtype == _BIFF_MULRK and size >= 6:
            row, = unpack("<H", data, body)
            col, = unpack("<H", data, body + size - 2)
            if scan is not None:
                scan.extend(row + 1, col + 1)
        elif rtype == _BIFF_BOF:
            if scan is not None:
                scan.check(where)
            scan = SheetScan() if pos in names else None
            where = f"Sheet {quoted(names.get(pos, ''))} of {path.name}"
        elif rtype == _BIFF_SHEET and size >= 8:
            offset, = unpack("<I", data, body)
            names[offset] = _biff_name(data[body + 6: body + size])
        elif rtype == _BIFF_FILEPASS and scan is None:
            raise UnusableFileError(_encrypted(path))
        elif rtype == _BIFF_EOF and scan is not None:
            scan.check(where)
            scan = None
        pos = body + size
    if scan is not None:
        scan.check(where)


def _biff_name(raw: bytes) -> str:
    if len(raw) < 2:
        return ""
    count, wide = raw[0], raw[1] & 1
    text = raw[2: 2 + count * (2 if wide else 1)]
    return text.decode("utf-16-le" if wide else "latin-1", errors="replace")
