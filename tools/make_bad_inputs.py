"""Write the corpus of hostile and broken input files under tests/data/bad/ (issue 7).

    python tools/make_bad_inputs.py [--out DIR]

Each file is what an HR system, a colleague or an attacker might hand FTE Planner:
damaged and incomplete workbooks, zip bombs, XML entity bombs, an encrypted
workbook, a legacy .xls, macros, formulas, enormous and sparse sheets, merged and
hidden cells, odd CSV encodings and delimiters, binary garbage, huge cells,
numbers and dates typed as text. MANIFEST.json lists every file with what it is
and the outcome tests/test_hostile_inputs.py expects when the file goes through
``planner.importer.load_establishment``: "loads" (with the posts and FTE that
must come out) or "refused" (with words the message must contain).

Workbooks are written part by part with :mod:`zipfile` (not openpyxl), with fixed
timestamps, so the output is the same on every run and each part is exactly what
the case needs. Four cases need optional tools and are skipped (the committed
files kept) when they are missing: ``legacy.xls``, ``legacy_sparse_corners.xls``
and ``establishment.ods`` (LibreOffice's ``soffice``; the .ods carries its save
time, so it differs on every run) and ``password_protected.xlsx``
(``msoffcrypto-tool``, the ``corpus`` extra; its salts and times are made repeatable).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import random
import shutil
import struct
import subprocess
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "bad"
ZIP_TIME = (2026, 1, 1, 0, 0, 0)
EXCEL_EPOCH = dt.date(1899, 12, 30)

# ------------------------------------------------------------------ the valid base establishment

HEADERS = ("Post ID", "Team", "FTE", "Annual Salary", "Grade", "Employee Name",
           "Date of Birth", "Service Start Date", "Status")
_TEAMS = ("Revenues", "Benefits", "Customer Services", "Council Tax")
_NAMES = ("Alex Morgan", "Sam Patel", "Jo Evans", "Priya Shah", "Chris Wright", "Ola Nowak",
          "Ruth Hughes", "Tom Clarke", "Aisha Khan", "Dan Walker", "Meg Davies", "Raj Singh",
          "Lucy Hall", "Ben Green", "Kate Wilson", "Omar Ali", "Fay Brown", "Ian Taylor",
          "Zoe Jones", "Ken Smith")
_SPINE = (24413, 25989, 27694, 29540, 31537, 33699, 36363, 39152, 42839, 46142)


def base_rows() -> list[list[Any]]:
    """20 posts in :data:`HEADERS` order; posts 5 and 14 are vacant (no holder)."""
    rows: list[list[Any]] = []
    for i in range(20):
        vacant = i in (4, 13)
        point = (i * 3) % len(_SPINE)
        rows.append([
            f"P{i + 1:03d}", _TEAMS[i % len(_TEAMS)], 0.5 if i % 5 == 2 else 1.0,
            _SPINE[point], f"Grade {point + 3}",
            None if vacant else _NAMES[i],
            None if vacant else dt.date(1960 + i, 1 + i % 12, 1 + (i * 7) % 28),
            None if vacant else dt.date(2000 + i % 20, 1 + (i * 5) % 12, 1 + (i * 3) % 28),
            "Vacant" if vacant else "Filled",
        ])
    return rows


BASE_POSTS = 20
BASE_FTE = sum(float(r[2]) for r in base_rows())


# ------------------------------------------------------------------ xlsx parts

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
WORKBOOK_CT = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_WORKBOOK_CT = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
STYLES = (XML_DECL + f'<styleSheet xmlns="{NS_MAIN}">'
          '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
          '</cellStyleXfs><cellXfs count="2">'
          '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
          '</cellXfs></styleSheet>')


def col_letters(index: int) -> str:
    """0-based column index → Excel letters."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell(ref: str, value: Any) -> str:
    """One ``<c>`` element: text inline, numbers as numbers, dates as date-styled serials."""
    if value is None:
        return ""
    if isinstance(value, Formula):
        cached = "" if value.cached is None else f"<v>{value.cached}</v>"
        return f'<c r="{ref}"><f>{escape(value.text)}</f>{cached}</c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


@dataclass(frozen=True)
class Formula:
    text: str
    cached: float | None = None


def rows_xml(rows: Iterable[list[Any]], first_row: int = 1,
             hidden: Iterable[int] = ()) -> Iterator[str]:
    """``<row>`` elements for ``rows`` starting at spreadsheet row ``first_row``."""
    hidden_rows = set(hidden)
    for n, row in enumerate(rows, start=first_row):
        attrs = ' hidden="1"' if n in hidden_rows else ""
        cells = "".join(cell(f"{col_letters(j)}{n}", v) for j, v in enumerate(row))
        yield f'<row r="{n}"{attrs}>{cells}</row>'


def sheet_xml(body: Iterable[str] | str, merges: Iterable[str] = (), head: str = "") -> bytes:
    """A worksheet part around ``body`` (its ``<row>`` elements)."""
    text = body if isinstance(body, str) else "".join(body)
    merged = list(merges)
    tail = (f'<mergeCells count="{len(merged)}">'
            + "".join(f'<mergeCell ref="{m}"/>' for m in merged) + "</mergeCells>"
            if merged else "")
    return (XML_DECL + head + f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">'
            f"<sheetData>{text}</sheetData>{tail}</worksheet>").encode()


def base_sheet(rows: list[list[Any]] | None = None, **kwargs: Any) -> bytes:
    return sheet_xml(rows_xml([list(HEADERS), *(rows if rows is not None else base_rows())]),
                     **kwargs)


@dataclass
class Book:
    """An xlsx package as its parts; ``sheets`` are (name, worksheet XML, state)."""

    sheets: list[tuple[str, bytes, str]]
    shared_strings: bytes | None = None
    macros: bool = False
    extra: dict[str, bytes] = field(default_factory=dict)

    def parts(self) -> dict[str, bytes]:
        types = [f'<Override PartName="/xl/workbook.xml" ContentType="'
                 f'{MACRO_WORKBOOK_CT if self.macros else WORKBOOK_CT}"/>',
                 '<Override PartName="/xl/styles.xml" ContentType="application/vnd.'
                 'openxmlformats-officedocument.spreadsheetml.styles+xml"/>']
        rels = [f'<Relationship Id="rIdS" Type="{NS_REL}/styles" Target="styles.xml"/>']
        entries = []
        parts: dict[str, bytes] = {}
        for n, (name, xml, state) in enumerate(self.sheets, start=1):
            part = f"xl/worksheets/sheet{n}.xml"
            parts[part] = xml
            types.append(f'<Override PartName="/{part}" ContentType="{SHEET_CT}"/>')
            rels.append(f'<Relationship Id="rId{n}" Type="{NS_REL}/worksheet" '
                        f'Target="worksheets/sheet{n}.xml"/>')
            shown = "" if state == "visible" else f' state="{state}"'
            entries.append(f'<sheet name="{escape(name)}" sheetId="{n}"{shown} r:id="rId{n}"/>')
        if self.shared_strings is not None:
            parts["xl/sharedStrings.xml"] = self.shared_strings
            types.append('<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')
            rels.append(f'<Relationship Id="rIdSS" Type="{NS_REL}/sharedStrings" '
                        'Target="sharedStrings.xml"/>')
        if self.macros:
            parts["xl/vbaProject.bin"] = vba_project()
            types.append('<Default Extension="bin" ContentType="application/'
                         'vnd.ms-office.vbaProject"/>')
            rels.append('<Relationship Id="rIdV" Type="http://schemas.microsoft.com/office/2006/'
                        'relationships/vbaProject" Target="vbaProject.bin"/>')
        ct = (XML_DECL + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
              'content-types"><Default Extension="rels" ContentType="application/'
              'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
              'ContentType="application/xml"/>' + "".join(types) + "</Types>")
        root_rels = (XML_DECL + f'<Relationships xmlns="{NS_PKG}"><Relationship Id="rId1" '
                     f'Type="{NS_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        workbook = (XML_DECL + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><sheets>'
                    + "".join(entries) + "</sheets></workbook>")
        wb_rels = XML_DECL + f'<Relationships xmlns="{NS_PKG}">' + "".join(rels) + \
            "</Relationships>"
        head = {"[Content_Types].xml": ct.encode(), "_rels/.rels": root_rels.encode(),
                "xl/workbook.xml": workbook.encode(), "xl/_rels/workbook.xml.rels":
                wb_rels.encode(), "xl/styles.xml": STYLES.encode()}
        return {**head, **parts, **self.extra}


def vba_project() -> bytes:
    """Stand-in for a macro project: FTE Planner never runs (or even reads) it."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name = \"Module1\"\r\n" \
        b"Sub AutoOpen()\r\n  MsgBox \"macros must never run\"\r\nEnd Sub\r\n" * 8


Chunks = bytes | Iterable[bytes]


def write_zip(path: Path, parts: dict[str, Chunks], level: int = 6) -> None:
    """Write ``parts`` in order, deflated, with fixed timestamps (the same bytes every run)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            if isinstance(data, bytes):
                zf.writestr(info, data, compresslevel=level)
                continue
            info._compresslevel = level  # type: ignore[attr-defined]  # open("w") takes no level
            with zf.open(info, "w") as out:
                for chunk in data:
                    out.write(chunk)


def write_book(path: Path, book: Book) -> None:
    write_zip(path, dict(book.parts()))


def deflate(data: bytes, level: int = 6) -> bytes:
    c = zlib.compressobj(level, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


@dataclass
class RawEntry:
    """A zip entry written byte for byte: already deflated, sizes and CRC as given."""

    name: str
    data: bytes  # deflated
    crc: int
    size: int  # uncompressed size recorded in the headers (true or not)


def write_raw_zip(path: Path, entries: list[RawEntry]) -> None:
    """A zip archive from pre-deflated entries (sizes below 4 GB, no zip64)."""
    dos_time = (ZIP_TIME[3] << 11) | (ZIP_TIME[4] << 5) | (ZIP_TIME[5] // 2)
    dos_date = ((ZIP_TIME[0] - 1980) << 9) | (ZIP_TIME[1] << 5) | ZIP_TIME[2]
    out = io.BytesIO()
    central = io.BytesIO()
    for e in entries:
        name = e.name.encode()
        offset = out.tell()
        fields = (20, 0, 8, dos_time, dos_date, e.crc, len(e.data), e.size, len(name))
        out.write(struct.pack("<4s5H3I2H", b"PK\x03\x04", *fields, 0) + name + e.data)
        central.write(struct.pack("<4s6H3I5H2I", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0,
                                  0o600 << 16, offset) + name)
    directory = central.getvalue()
    out.write(directory)
    out.write(struct.pack("<4s4H2IH", b"PK\x05\x06", 0, 0, len(entries), len(entries),
                          len(directory), out.tell() - len(directory), 0))
    path.write_bytes(out.getvalue())


def raw_entries(parts: dict[str, bytes]) -> list[RawEntry]:
    return [RawEntry(n, deflate(d), zlib.crc32(d), len(d)) for n, d in parts.items()]


def spaces_bomb(head: bytes, total: int, tail: bytes) -> tuple[bytes, int, int]:
    """``head`` + ``total`` spaces + ``tail`` deflated (about 1,000:1), its CRC and size.

    One 16 MB block of spaces is deflated once after a full flush, which resets the
    compressor, so the same bytes can simply be repeated for every block.
    """
    block = 16 << 20
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = comp.compress(head) + comp.flush(zlib.Z_FULL_FLUSH)
    piece = comp.compress(b" " * block) + comp.flush(zlib.Z_FULL_FLUSH)
    end = comp.compress(tail) + comp.flush()
    blocks = total // block
    crc = zlib.crc32(head)
    spaces = b" " * block
    for _ in range(blocks):
        crc = zlib.crc32(spaces, crc)
    crc = zlib.crc32(tail, crc)
    return start + piece * blocks + end, crc, len(head) + blocks * block + len(tail)


# ------------------------------------------------------------------ the cases


@dataclass
class Case:
    """One corpus file and what loading it must do."""

    file: str
    what: str
    expect: str  # "loads" or "refused"
    build: Callable[[Path], None]
    message: tuple[str, ...] = ()  # words the refusal must contain
    posts: int | None = None
    fte: float | None = None
    codes: tuple[str, ...] = ()  # data-quality codes the load must report
    needs: str | None = None  # "soffice" or "msoffcrypto"

    def manifest(self) -> dict[str, Any]:
        d: dict[str, Any] = {"file": self.file, "what": self.what, "expect": self.expect}
        if self.expect == "refused":
            d["message"] = list(self.message)
        else:
            d.update(posts=self.posts, fte=self.fte, codes=list(self.codes))
        if self.needs:
            d["needs"] = self.needs
        return d


def loads(file: str, what: str, build: Callable[[Path], None], *, posts: int = BASE_POSTS,
          fte: float = BASE_FTE, codes: tuple[str, ...] = (), needs: str | None = None) -> Case:
    return Case(file, what, "loads", build, posts=posts, fte=fte, codes=codes, needs=needs)


def refused(file: str, what: str, build: Callable[[Path], None], *message: str,
            needs: str | None = None) -> Case:
    return Case(file, what, "refused", build, message=message, needs=needs)


def base_parts() -> dict[str, bytes]:
    return Book([("Establishment", base_sheet(), "visible")]).parts()


def build_truncated(path: Path) -> None:
    """Stored (not deflated) parts, so the bytes do not depend on the zlib build."""
    whole = io.BytesIO()
    with zipfile.ZipFile(whole, "w") as zf:
        for name, data in base_parts().items():
            zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), data)
    data = whole.getvalue()
    path.write_bytes(data[: len(data) * 3 // 5])


def build_corrupt_data(path: Path) -> None:
    """Bytes flipped inside the deflated sheet: the zip's structure is intact."""
    parts = base_parts()
    entries = raw_entries(parts)
    sheet = next(e for e in entries if e.name == "xl/worksheets/sheet1.xml")
    data = bytearray(sheet.data)
    for i in range(len(data) // 3, len(data) // 3 + 40):
        data[i] ^= 0x5A
    sheet.data = bytes(data)
    write_raw_zip(path, entries)


def build_not_a_zip(path: Path) -> None:
    path.write_bytes(b"PK\x03\x04" + random.Random(7).randbytes(4000))


def without(part: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        write_zip(path, {k: v for k, v in base_parts().items() if k != part})
    return build


def build_word_document(path: Path) -> None:
    write_zip(path, {"[Content_Types].xml": b"<Types/>",
                     "word/document.xml": (XML_DECL + "<document/>").encode()})


def build_zip_bomb(path: Path) -> None:
    """The sheet holds the 20 posts, then 1.9 GB of spaces (legal XML whitespace)."""
    head, tail = bomb_sheet()
    data, crc, size = spaces_bomb(head, 113 * (16 << 20), tail)
    entries = [e for e in raw_entries(base_parts()) if e.name != "xl/worksheets/sheet1.xml"]
    write_raw_zip(path, [*entries, RawEntry("xl/worksheets/sheet1.xml", data, crc, size)])


def bomb_sheet() -> tuple[bytes, bytes]:
    xml = base_sheet()
    cut = xml.index(b"</sheetData>")
    return xml[:cut], xml[cut:]


def build_lying_bomb(path: Path) -> None:
    """256 MB of spaces whose local and central headers both claim 3,000 bytes, with the
    CRC of those first 3,000 bytes: Python's zipfile reads it as a valid 3,000-byte part."""
    head, tail = bomb_sheet()
    data, _, _ = spaces_bomb(head, 16 * (16 << 20), tail)
    claimed = 3_000
    prefix = (head + b" " * claimed)[:claimed]
    entries = [e for e in raw_entries(base_parts()) if e.name != "xl/worksheets/sheet1.xml"]
    write_raw_zip(path, [*entries, RawEntry("xl/worksheets/sheet1.xml", data,
                                            zlib.crc32(prefix), claimed)])


LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10))
          + "]>")


def build_laughs_strings(path: Path) -> None:
    strings = (XML_DECL + LAUGHS + f'<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1">'
               "<si><t>&lol9;</t></si></sst>").encode()
    sheet = base_sheet().replace(b'<c r="B2" t="inlineStr"><is><t xml:space="preserve">'
                                 b'Revenues</t></is></c>', b'<c r="B2" t="s"><v>0</v></c>')
    write_book(path, Book([("Establishment", sheet, "visible")], shared_strings=strings))


def build_laughs_sheet(path: Path) -> None:
    rows = base_rows()
    rows[0][5] = "&lol9;"
    xml = base_sheet(rows, head=LAUGHS).replace(b"&amp;lol9;", b"&lol9;")
    write_book(path, Book([("Establishment", xml, "visible")]))


def build_encrypted(path: Path) -> None:
    """msoffcrypto's agile encryption, its random salts and timestamps made repeatable
    (private hooks of msoffcrypto 5-6; if they move, the file is merely not byte-stable)."""
    from msoffcrypto.format.ooxml import OOXMLFile
    from msoffcrypto.method import ecma376_agile
    from msoffcrypto.method.container import ecma376_encrypted

    plain = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp:  # deflate level 0: msoffcrypto cannot decrypt
        p = Path(tmp) / "plain.xlsx"            # a package under 4 KB again (nor might Excel)
        write_zip(p, dict(base_parts()), level=0)
        plain.write(p.read_bytes())
    plain.seek(0)
    rng = random.Random(20260401)
    hooks = [(ecma376_agile, "_random_buffer", rng.randbytes),
             (ecma376_encrypted, "datetime2filetime", lambda _: 134_118_720_000_000_000)]
    saved = [(m, n, getattr(m, n)) for m, n, _ in hooks if hasattr(m, n)]
    for m, n, fake in hooks:
        if hasattr(m, n):
            setattr(m, n, fake)
    try:
        out = io.BytesIO()
        OOXMLFile(plain).encrypt("Password1", out)
    finally:
        for m, n, real in saved:
            setattr(m, n, real)
    path.write_bytes(out.getvalue())


def soffice(target: str, source_parts: dict[str, bytes]) -> Callable[[Path], None]:
    """Convert a workbook with LibreOffice (``target`` is its filter, e.g. "xls")."""

    def build(path: Path) -> None:
        exe = shutil.which("soffice") or shutil.which("libreoffice")
        if exe is None:
            raise MissingTool("soffice")
        with tempfile.TemporaryDirectory() as tmp:
            src = Path(tmp) / (path.stem + ".xlsx")
            write_zip(src, dict(source_parts))
            subprocess.run([exe, "--headless", f"-env:UserInstallation={_profile()}",
                            "--convert-to", target, "--outdir", tmp, str(src)],
                           check=True, capture_output=True, timeout=120)
            shutil.copyfile(Path(tmp) / f"{path.stem}.{path.suffix.lstrip('.')}", path)
    return build


class MissingTool(RuntimeError):
    pass


_PROFILE: list[tempfile.TemporaryDirectory[str]] = []


def _profile() -> str:
    """A private LibreOffice profile, made once per run (the first start is the slow one)."""
    if not _PROFILE:
        _PROFILE.append(tempfile.TemporaryDirectory(prefix="fteplan-soffice-"))
    return (Path(_PROFILE[0].name) / "profile").as_uri()


def sparse_corner_parts(far: str) -> dict[str, bytes]:
    row = int("".join(ch for ch in far if ch.isdigit()))
    body = "".join(rows_xml([list(HEADERS), *base_rows()]))
    body += f'<row r="{row}">{cell(far, "stray")}</row>'
    return Book([("Establishment", sheet_xml(body), "visible")]).parts()


def build_sparse_corners(path: Path) -> None:
    write_zip(path, sparse_corner_parts("XFD1048576"))


def build_macros(path: Path) -> None:
    write_book(path, Book([("Establishment", base_sheet(), "visible")], macros=True))


def build_formulas(cached: bool, column: str = "fte") -> Callable[[Path], None]:
    def build(path: Path) -> None:
        rows = base_rows()
        headers = list(HEADERS)
        if column == "fte":
            for r in rows:  # FTE as =2*x/2 and salary as =x+0, with or without results
                r[2] = Formula(f"2*{r[2]}/2", r[2] if cached else None)
                r[3] = Formula(f"{r[3]}+0", r[3] if cached else None)
        else:
            headers.append("Check")
            for n, r in enumerate(rows, start=2):
                r.append(Formula(f"IF(C{n}>1,\"check\",\"ok\")", None))
        body = rows_xml([headers, *rows])
        write_book(path, Book([("Establishment", sheet_xml(body), "visible")]))
    return build


def build_rows_1048576(path: Path) -> None:
    """The 20 posts, then column A filled to row 1,048,576: rows and cells without r
    attributes (legal: each is the next one), so 40 MB of XML deflates to about 150 KB."""
    head, tail = bomb_sheet()
    filler = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'

    def chunks() -> Iterator[bytes]:
        yield head
        for _ in range((1_048_576 - 21) // 1024):
            yield filler * 1024
        yield filler * ((1_048_576 - 21) % 1024)
        yield tail
    parts: dict[str, Chunks] = dict(base_parts())
    parts["xl/worksheets/sheet1.xml"] = chunks()
    write_zip(path, parts)


def build_cols_16384(path: Path) -> None:
    """The header row runs to column XFD (16,384 columns) with a note heading in each."""
    header = list(HEADERS) + [f"Note {i}" for i in range(len(HEADERS) + 1, 16_385)]
    write_book(path, Book([("Establishment",
                            sheet_xml(rows_xml([header, *base_rows()])), "visible")]))


def build_merged(path: Path) -> None:
    """A merged title, merged header groups, and team and status cells merged down."""
    rows = sorted(base_rows(), key=lambda r: (r[1], r[0]))
    width = len(HEADERS)
    title = ["Establishment – merged everywhere", *[None] * (width - 1)]
    merges = [f"A1:{col_letters(width - 1)}1"]
    body_rows: list[list[Any]] = [title, list(HEADERS)]
    n = 3
    for team in sorted({r[1] for r in rows}):
        group = [r for r in rows if r[1] == team]
        merges.append(f"B{n}:B{n + len(group) - 1}")
        for k, r in enumerate(group):
            body_rows.append([r[0], team if k == 0 else None, *r[2:]])
        n += len(group)
    write_book(path, Book([("Establishment", sheet_xml(rows_xml(body_rows), merges),
                            "visible")]))


def build_hidden_sheet(path: Path) -> None:
    """A hidden 'Old establishment' sheet (30 posts, first) and the visible one (20)."""
    old = [[f"OLD{i:03d}", "Archive", 1.0, 20000, "Grade 1", None, None, None, "Filled"]
           for i in range(30)]
    write_book(path, Book([("Old establishment", base_sheet(old), "hidden"),
                           ("Establishment", base_sheet(), "visible")]))


def build_hidden_far_sheet(path: Path) -> None:
    body = "".join(rows_xml([["Grades"], ["Grade 3"]]))
    body += f'<row r="1048576">{cell("XFD1048576", "stray")}</row>'
    write_book(path, Book([("Lookup", sheet_xml(body), "hidden"),
                           ("Establishment", base_sheet(), "visible")]))


def build_only_hidden_sheet(path: Path) -> None:
    notes = sheet_xml(rows_xml([["Read me"], ["The data is on the hidden sheet."]]))
    write_book(path, Book([("Notes", notes, "visible"), ("Data", base_sheet(), "hidden")]))


def build_hidden_rows(path: Path) -> None:
    xml = sheet_xml(rows_xml([list(HEADERS), *base_rows()], hidden=(5, 9, 12)))
    write_book(path, Book([("Establishment", xml, "visible")]))


def build_empty_workbook(path: Path) -> None:
    write_book(path, Book([("Sheet1", sheet_xml(""), "visible")]))


def csv_text(rows: list[list[Any]] | None = None, delimiter: str = ",") -> str:
    def text(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, dt.date):
            return f"{v:%d/%m/%Y}"
        return str(v)
    body = [list(HEADERS), *(rows if rows is not None else base_rows())]
    return "".join(delimiter.join(text(v) for v in r) + "\r\n" for r in body)


def build_utf16(encoding: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        path.write_bytes(("\ufeff" + csv_text(delimiter="\t")).encode(encoding))
    return build


def build_mixed_delimiters(path: Path) -> None:
    lines = csv_text().splitlines(keepends=True)
    for i in range(12, 18):  # posts 11-16 written with semicolons
        lines[i] = lines[i].replace(",", ";")
    path.write_text("".join(lines), encoding="utf-8", newline="")


def build_garbage(nul: bool) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        data = random.Random(11 if nul else 12).randbytes(20_000)
        path.write_bytes(data if nul else data.replace(b"\x00", b"\x01"))
    return build


LONG_XLSX = 10_000_000
LONG_CSV = 1_500_000


def build_long_cell_xlsx(path: Path) -> None:
    rows = [[*r, None] for r in base_rows()]
    rows[3][-1] = ("A very long note. " * (LONG_XLSX // 18 + 1))[:LONG_XLSX]
    body = rows_xml([[*HEADERS, "Notes"], *rows])
    write_book(path, Book([("Establishment", sheet_xml(body), "visible")]))


def build_long_cell_csv(path: Path) -> None:
    rows = [[*r, ""] for r in base_rows()]
    rows[3][-1] = '"' + ("A very long note, " * (LONG_CSV // 18 + 1))[:LONG_CSV] + '"'
    body = [[*HEADERS, "Notes"], *rows]
    text = "".join(",".join(f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else
                            "" if v is None else str(v) for v in r) + "\r\n" for r in body)
    path.write_text(text, encoding="utf-8", newline="")


def build_numbers_as_text(path: Path) -> None:
    rows = base_rows()
    rows[0][3] = f"£{rows[0][3]:,}"  # £24,413
    rows[1][2] = " 1.0 "
    rows[2][3] = f"{rows[2][3]:,}.50"  # 1,234.50 style
    rows[3][3] = f" {rows[3][3]} "
    rows[4][2] = "1"
    write_book(path, Book([("Establishment", base_sheet(rows), "visible")]))


def us_rows() -> list[list[Any]]:
    rows = base_rows()
    rows[0][6] = "03/25/1980"  # only valid month-first (US)
    rows[1][6] = "04/05/1980"  # 4 May (UK reading) or 5 April (US)?
    rows[2][6] = "12/31/1975"
    return rows


def build_us_dates_xlsx(path: Path) -> None:
    rows = [[f"{v:%d/%m/%Y}" if isinstance(v, dt.date) else v for v in r] for r in us_rows()]
    write_book(path, Book([("Establishment", base_sheet(rows), "visible")]))


def build_us_dates_csv(path: Path) -> None:
    path.write_text(csv_text(us_rows()), encoding="utf-8", newline="")


def build_repeated_ods(path: Path) -> None:
    """An OpenDocument sheet: one row of a value repeated 1,024 times, repeated 1,000,000
    times (a billion cells in 1 KB)."""
    ns = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
          'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
          'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')
    header = "".join(f'<table:table-cell office:value-type="string"><text:p>{h}</text:p>'
                     "</table:table-cell>" for h in HEADERS)
    content = (f'{XML_DECL}<office:document-content {ns} office:version="1.2"><office:body>'
               '<office:spreadsheet><table:table table:name="Establishment">'
               f"<table:table-row>{header}</table:table-row>"
               '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
               'office:value-type="float" office:value="1" table:number-columns-repeated="1024">'
               "<text:p>1</text:p></table:table-cell></table:table-row>"
               "</table:table></office:spreadsheet></office:body></office:document-content>")
    write_zip(path, {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                     "content.xml": content.encode()})


def cases() -> list[Case]:
    """Every corpus file, in the order MANIFEST.json lists them."""
    base = base_parts()
    return [
        refused("truncated.xlsx", "a valid workbook cut off at 60% of its bytes (an interrupted "
                "download)", build_truncated, "damaged"),
        refused("corrupt_data.xlsx", "40 bytes of the deflated sheet flipped; the zip structure "
                "is intact", build_corrupt_data, "damaged"),
        refused("not_a_zip.xlsx", "the zip signature followed by random bytes", build_not_a_zip,
                "damaged"),
        loads("missing_content_types.xlsx", "no [Content_Types].xml part; the cells are intact "
              "and calamine does not need it", without("[Content_Types].xml")),
        refused("missing_workbook_part.xlsx", "no xl/workbook.xml: the sheets cannot be found",
                without("xl/workbook.xml"), "damaged", "workbook part"),
        refused("missing_sheet_part.xlsx", "workbook.xml lists a sheet whose part is missing",
                without("xl/worksheets/sheet1.xml"), "damaged", "Establishment", "missing"),
        refused("word_document.xlsx", "a Word document renamed .xlsx", build_word_document,
                "Word document"),
        refused("zip_bomb.xlsx", "1.8 MB whose sheet expands to 1.9 GB (the posts, then spaces)",
                build_zip_bomb, "zip bomb", "expands to"),
        refused("zip_bomb_lying_sizes.xlsx", "256 MB of spaces in a sheet whose local and "
                "central headers claim 3,000 bytes (with a matching CRC)", build_lying_bomb,
                "zip bomb", "expands to more than"),
        refused("billion_laughs_shared_strings.xlsx", "nested entities in sharedStrings.xml "
                "(10^9 'lol's)", build_laughs_strings, "DOCTYPE", "sharedStrings.xml"),
        refused("billion_laughs_sheet.xlsx", "nested entities in the worksheet part",
                build_laughs_sheet, "DOCTYPE", "sheet1.xml"),
        refused("password_protected.xlsx", "the base workbook encrypted with a password "
                "(msoffcrypto-tool, agile encryption)", build_encrypted, "password-protected",
                needs="msoffcrypto"),
        loads("legacy.xls", "the base establishment saved as Excel 97-2003 by LibreOffice",
              soffice("xls", base), needs="soffice"),
        refused("legacy_sparse_corners.xls", "Excel 97-2003: the posts and one cell at IV65536 "
                "(calamine would build a 65,536 × 256 grid: 1 GB)",
                soffice("xls", sparse_corner_parts("IV65536")), "IV65536", "million",
                needs="soffice"),
        loads("establishment.ods", "the base establishment saved as OpenDocument by "
              "LibreOffice (trailing repeated empty cells)", soffice("ods", base),
              needs="soffice"),
        refused("repeated_cells.ods", "OpenDocument: a value repeated across 1,024 columns and "
                "1,000,000 rows in 1 KB", build_repeated_ods, "more than"),
        loads("macros.xlsm", "a macro-enabled workbook with a vbaProject.bin part (never run)",
              build_macros),
        loads("formulas_cached.xlsx", "FTE and salary are formulas with their saved results",
              build_formulas(cached=True)),
        refused("formulas_not_saved.xlsx", "FTE and salary are formulas saved without results "
                "(as programs write them)", build_formulas(cached=False), "formula",
                "without their results", "'FTE'"),
        loads("formulas_not_saved_unused_column.xlsx", "a formula without a result only in a "
              "column FTE Planner does not use", build_formulas(cached=False, column="check"),
              codes=("blank_formulas",)),
        refused("rows_1048576.xlsx", "the posts, then column A filled down to row 1,048,576 "
                "(rows and cells without r attributes)", build_rows_1048576, "300,000 rows"),
        loads("cols_16384.xlsx", "the header row runs across all 16,384 columns (to XFD)",
              build_cols_16384),
        refused("sparse_corners.xlsx", "the posts and one stray cell at XFD1048576 (calamine "
                "would build a grid of 17 billion cells)", build_sparse_corners, "XFD1048576",
                "delete the unused rows and columns"),
        loads("merged_everywhere.xlsx", "a merged title, team cells merged down each group",
              build_merged, codes=("merged_filled",)),
        loads("hidden_sheet.xlsx", "a hidden 'Old establishment' sheet with 30 posts before "
              "the visible one with 20", build_hidden_sheet, codes=("sheet_chosen",)),
        loads("hidden_sheet_sparse_corners.xlsx", "a hidden lookup sheet with a stray cell at "
              "XFD1048576 beside the visible establishment: that sheet alone is skipped",
              build_hidden_far_sheet, codes=("sheet_unreadable",)),
        loads("only_hidden_sheet.xlsx", "the establishment is on a hidden sheet; the visible "
              "one holds notes", build_only_hidden_sheet, codes=("hidden_sheet",)),
        loads("hidden_rows.xlsx", "three data rows hidden in Excel (they are read)",
              build_hidden_rows, codes=("hidden_rows",)),
        refused("empty.xlsx", "0 bytes", lambda p: p.write_bytes(b""), "empty (0 bytes)"),
        refused("empty.csv", "0 bytes", lambda p: p.write_bytes(b""), "empty (0 bytes)"),
        refused("empty_workbook.xlsx", "a workbook with one sheet and no cells",
                build_empty_workbook, "no table"),
        loads("utf16_le.csv", "UTF-16 little-endian with BOM, tab-separated (Excel's "
              "'Unicode text')", build_utf16("utf-16-le")),
        loads("utf16_be.csv", "UTF-16 big-endian with BOM, tab-separated",
              build_utf16("utf-16-be")),
        refused("mixed_delimiters.csv", "commas, but six posts written with semicolons",
                build_mixed_delimiters, "mixes delimiters", "semicolons"),
        refused("binary_garbage.csv", "20 KB of random bytes named .csv", build_garbage(True),
                "binary data"),
        refused("binary_garbage_no_nul.csv", "random bytes without a single NUL",
                build_garbage(False), "binary data"),
        loads("long_cell.xlsx", f"a {LONG_XLSX:,}-character note in one cell",
              build_long_cell_xlsx),
        loads("long_cell.csv", f"a {LONG_CSV:,}-character quoted note in one cell",
              build_long_cell_csv),
        loads("numbers_as_text.xlsx", "salaries and FTE typed as text: '£24,413', ' 1.0 ', "
              "'36,363.50'", build_numbers_as_text, codes=("text_value",)),
        loads("us_dates.xlsx", "dates of birth typed as text month-first: '03/25/1980' "
              "(only US) and '04/05/1980' (ambiguous)", build_us_dates_xlsx,
              codes=("us_date", "ambiguous_date")),
        loads("us_dates.csv", "the same dates in a CSV", build_us_dates_csv,
              codes=("us_date", "ambiguous_date")),
    ]


# ------------------------------------------------------------------ main


def generate(out: Path, only: Iterable[str] = ()) -> list[str]:
    """Write the corpus into ``out``; returns the names skipped for a missing tool."""
    out.mkdir(parents=True, exist_ok=True)
    wanted = set(only)
    skipped = []
    listed = []
    for case in cases():
        listed.append(case.manifest())
        if wanted and case.file not in wanted:
            continue
        try:
            case.build(out / case.file)
        except (MissingTool, ImportError):
            skipped.append(case.file)
    # Byte for byte on every platform: no line-ending conversion of the CSV files by git.
    (out / ".gitattributes").write_text("* -text\n", encoding="utf-8", newline="\n")
    (out / "MANIFEST.json").write_text(
        json.dumps({"about": __doc__.split("\n\n")[0], "base_posts": BASE_POSTS,
                    "base_fte": BASE_FTE, "cases": listed}, indent=1, ensure_ascii=False)
        + "\n", encoding="utf-8")
    return skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder (default {OUT})")
    parser.add_argument("only", nargs="*", help="write only these files (and the manifest)")
    args = parser.parse_args(argv)
    skipped = generate(args.out, args.only)
    for name in skipped:
        print(f"skipped {name}: its tool is not installed (the committed file is kept)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
