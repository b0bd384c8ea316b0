"""Property-based fuzzing of the importer (issue 7): whatever bytes a user's HR system exports,
``load_establishment`` returns a sound Establishment or raises a :class:`PlannerError` whose
message is one line naming the file; it never raises anything else.

Inputs: arbitrary bytes under spreadsheet and CSV names; a valid small workbook mutated
(truncated, bytes flipped, a part deleted or replaced by random XML or bytes) or given a
crafted first sheet (cells of every type with hostile values and references, odd dimensions,
merged ranges and sheet names); CSV text with
random headers, delimiters, quoting and encodings; cells from a hostile alphabet (formulas,
huge numbers, nan/inf, impossible dates, control characters). Mapping profiles (user JSON)
are fuzzed too. ``FTE_FUZZ_SCALE=20`` multiplies the number of examples for a longer hunt.
"""

from __future__ import annotations

import functools
import io
import json
import math
import os
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.errors import MappingError, PlannerError
from planner.establishment import POST_COLUMNS, Establishment
from planner.importer import load_establishment
from planner.mapping import MappingProfile, load_profile, profile_from_dict
from planner.validation import MAX_BELIEVABLE_SALARY, MAX_ROW_FTE

SCALE = max(1, int(os.environ.get("FTE_FUZZ_SCALE", "1")))
AS_AT = pd.Timestamp("2026-01-15")


def fuzz(n: int) -> settings:
    return settings(max_examples=n * SCALE, deadline=None, derandomize=SCALE == 1, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.large_base_example])


# ---------------------------------------------------------------- the property


def check_message(exc: PlannerError, name: str) -> None:
    """A user-facing error: one non-empty line, a sentence, naming the file."""
    text = str(exc)
    assert text.strip(), repr(exc)
    assert "\n" not in text and "\r" not in text, text
    assert text.rstrip().endswith((".", ".)", "?")), text
    assert name in text, text
    assert "Traceback" not in text, text


def check_establishment(est: Establishment) -> None:
    """What every loaded establishment promises its consumers."""
    assert est.rows_loaded + est.rows_excluded == est.rows_read
    assert est.rows_loaded > 0
    excluded = {i.row for i in est.report if i.message.startswith("Row excluded")}
    assert len(excluded) == est.rows_excluded  # every excluded row says why
    assert set(est.posts["source_row"]).isdisjoint(excluded)
    posts = est.posts
    assert list(posts.columns) == list(POST_COLUMNS)
    fte = posts["fte"].to_numpy(dtype=float)
    assert np.isfinite(fte).all() and (fte > 0).all() and (fte <= MAX_ROW_FTE).all(), fte
    for col in ("annual_salary", "salary_min", "salary_max", "external_funding",
                "weekly_hours", "age", "years_service"):
        values = posts[col].to_numpy(dtype=float)
        assert not np.isinf(values).any(), (col, values)
    salary = posts["annual_salary"].dropna()
    assert ((salary >= 0) & (salary <= MAX_BELIEVABLE_SALARY)).all(), salary
    ids = posts["post_id"]
    assert ids.notna().all() and ids.is_unique, ids.tolist()
    assert all(isinstance(i, str) and i for i in ids)
    assert posts["team"].notna().all()
    assert set(posts["status"]) <= {"filled", "vacant"}
    summary = est.summary()
    assert math.isfinite(summary.fte_total) and math.isfinite(summary.establishment_cost)
    json.dumps(summary.to_dict(), allow_nan=False)


def outcome(path: Path, **kwargs: Any) -> Establishment | None:
    """Load ``path``; check the establishment or the error. None when it was refused."""
    try:
        est = load_establishment(path, as_at=AS_AT, **kwargs)
    except PlannerError as exc:
        check_message(exc, path.name)
        return None
    check_establishment(est)
    return est


@contextmanager
def written(data: bytes, name: str) -> Iterator[Path]:
    # a fresh folder per example: a reader that still holds the file open (Windows) is
    # no obstacle to the next example
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        yield path


# ---------------------------------------------------------------- (a) arbitrary bytes

NAMES = ["staff.csv", "staff.xlsx", "staff.xls", "staff.xlsm", "staff.ods", "staff.txt"]
MAGIC = [b"", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xef\xbb\xbf", b"\xff\xfe",
         b"\xfe\xff", b"<?xml version='1.0'?>", b"<html>"]


@fuzz(60)
@given(st.sampled_from(MAGIC), st.binary(max_size=3000), st.sampled_from(NAMES))
def test_arbitrary_bytes_load_or_fail_cleanly(magic: bytes, data: bytes, name: str) -> None:
    with written(magic + data, name) as path:
        outcome(path)


# ---------------------------------------------------------------- (b) mutated workbooks

HEADERS = ["Post ID", "Team", "Post title", "FTE", "Annual salary", "Status", "Grade",
           "Date of birth", "Service start", "Directorate", "Contract", "Employee name"]
ROWS = [
    ["P001", "Revenues", "Officer", 1, 30000, "Filled", "G5", "1980-03-01", "2010-05-01",
     "Resources", "Permanent", "A. Person"],
    ["P002", "Revenues", "Officer", 0.5, 31000, "Vacant", "G5", None, None, "Resources",
     "Permanent", None],
    ["P003", "Benefits", "Assessor", 1, 28000.5, "Filled", "G4", "1990-12-31", "2015-01-01",
     "Resources", "Fixed term", "B. Person"],
    ["P004", "Parks", "Gardener", 0.8, 24000, "Filled", "G3", "1970-07-07", "2000-01-01",
     "Place", "Temporary", "C. Person"],
    ["P005", "Parks", "Manager", 1, 45000, "Filled", "G8", "1965-02-28", "1995-09-01",
     "Place", "Permanent", "D. Person"],
]


def workbook_bytes(rows: list[list[Any]], headers: list[str] = HEADERS,
                   title_rows: int = 1) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Establishment"
    for _ in range(title_rows):
        ws.append(["Establishment as at 1 April 2026"])
    ws.append(headers)
    for row in rows:
        ws.append(row)
    notes = wb.create_sheet("Notes")
    notes.append(["Prepared by HR"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _dates(row: list[Any]) -> list[Any]:
    return [pd.Timestamp(v).to_pydatetime() if isinstance(v, str) and v[:2] in ("19", "20")
            else v for v in row]


@functools.cache
def valid_xlsx() -> bytes:
    return workbook_bytes([_dates(r) for r in ROWS])


@functools.cache
def valid_parts() -> tuple[tuple[str, bytes], ...]:
    with zipfile.ZipFile(io.BytesIO(valid_xlsx())) as z:
        return tuple((n, z.read(n)) for n in z.namelist())


def rezip(parts: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts:
            z.writestr(name, data)
    return buffer.getvalue()


xml_names = st.sampled_from(["worksheet", "sheetData", "row", "c", "v", "si", "t", "sheet",
                             "workbook", "sheets", "Relationship", "Types", "x", "f", "is"])
xml_text = st.text(st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF),
                   max_size=20)


def _element(children: list[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda tag, attr, body: f"<{tag}{attr}>{body}</{tag}>",
                     xml_names,
                     st.sampled_from(["", ' r="A1"', ' t="s"', ' t="n"', ' t="inlineStr"',
                                     ' name="Sheet1" sheetId="1" r:id="rId1"', ' ref="A1:ZZ9"',
                                     ' r="XFD1048576"', ' t="d"', ' t="e"', ' s="99"']),
                     st.just("".join(children)))


random_xml = st.builds(
    lambda prolog, body: prolog + body,
    st.sampled_from(["", '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n']),
    st.recursive(xml_text.map(lambda t: t.replace("<", "&lt;").replace("&", "&amp;")),
                 lambda inner: st.lists(inner, max_size=4).flatmap(_element), max_leaves=12),
).map(lambda s: s.encode("utf-8"))


@st.composite
def mutated_workbook(draw: st.DrawFn) -> bytes:
    parts = list(valid_parts())
    how = draw(st.sampled_from(["truncate", "flip", "delete", "xml", "bytes", "cut_part",
                                "flip_part"]))
    if how == "truncate":
        data = valid_xlsx()
        return data[:draw(st.integers(1, len(data) - 1))]
    if how == "flip":
        data = bytearray(valid_xlsx())
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, len(data) - 1))
            data[i] = draw(st.integers(0, 255))
        return bytes(data)
    i = draw(st.integers(0, len(parts) - 1))
    name, body = parts[i]
    if how == "delete":
        del parts[i]
    elif how == "xml":
        parts[i] = (name, draw(random_xml))
    elif how == "bytes":
        parts[i] = (name, draw(st.binary(max_size=400)))
    elif how == "cut_part":
        parts[i] = (name, body[:draw(st.integers(0, max(0, len(body) - 1)))])
    else:
        mutable = bytearray(body)
        for _ in range(draw(st.integers(1, 4))):
            j = draw(st.integers(0, max(0, len(mutable) - 1)))
            if mutable:
                mutable[j] = draw(st.sampled_from(b"<>/\"'=&;01Aaz \x00\xff"))
        parts[i] = (name, bytes(mutable))
    return rezip(parts)


CELL_REFS = ["", "A0", "ZZZZ1", "1A", "XFD1048576", "A1048577", "XFE1", "A99999999999", "a3",
             "B$3"]
CELL_TYPES = ["", "n", "s", "b", "e", "str", "inlineStr", "d", "bogus"]
CELL_VALUES = ["1", "0.5", "1e308", "1e400", "-1e400", "NaN", "INF", "-0", "99999", "-1", "abc",
               "", "2", "TRUE", "2026-02-30T00:00:00", "9999-12-31", "0x10", "1,5", " 7 ",
               "#DIV/0!", "45000", "2958466", "-693594", "&lt;", "\u00a3"]


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


@st.composite
def crafted_cell(draw: st.DrawFn, ref: str) -> str:
    if draw(st.integers(0, 9)) == 0:
        ref = draw(st.sampled_from(CELL_REFS))
    kind = draw(st.sampled_from(CELL_TYPES))
    attrs = (f' r="{ref}"' if ref else "") + (f' t="{kind}"' if kind else "")
    if kind == "inlineStr":
        return f"<c{attrs}><is><t>{_escape(draw(xml_text))}</t></is></c>"
    formula = draw(st.sampled_from(["", "<f>1+1</f>", "<f>SUM(A1:A2)</f>", "<f/>"]))
    value = draw(st.one_of(st.sampled_from(CELL_VALUES), xml_text.map(_escape)))
    cached = draw(st.booleans())
    return f"<c{attrs}>{formula}{f'<v>{value}</v>' if cached else ''}</c>"


@st.composite
def crafted_workbook(draw: st.DrawFn) -> bytes:
    """The valid workbook with its first sheet's data rows (and maybe its name, dimension
    and merged cells) replaced by crafted cells of every type and hostile values."""
    parts = dict(valid_parts())
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    head, rest = sheet.split("<sheetData>", 1)
    rows, tail = rest.split("</sheetData>", 1)
    header_rows = rows.split('<row r="3">', 1)[0]
    data = []
    for r in range(3, 3 + draw(st.integers(0, 5))):
        cells = [draw(crafted_cell(f"{chr(65 + c)}{r}")) for c in range(draw(st.integers(0, 8)))]
        number = draw(st.sampled_from([str(r), str(r), "0", "-1", "1048577", "x", ""]))
        data.append(f'<row r="{number}">{"".join(cells)}</row>' if number
                    else f"<row>{''.join(cells)}</row>")
    if draw(st.booleans()):
        head = head.replace('<dimension ref="A1:L7" />', '<dimension ref="{}" />'.format(
            draw(st.sampled_from(["A1:XFD1048576", "", "B2", "ZZ0:A1", "A1:A1"]))))
    merged = ""
    if draw(st.booleans()):
        refs = draw(st.lists(st.sampled_from(["A1:L1", "A2:B2", "A1:XFD1048576", "C3:A1", "",
                                              "Q9"]), min_size=1, max_size=3))
        merged = ("<mergeCells>" + "".join(f'<mergeCell ref="{r}"/>' for r in refs)
                  + "</mergeCells>")
    tail = merged + tail if merged and "<mergeCells" not in tail else tail
    parts["xl/worksheets/sheet1.xml"] = (
        f"{head}<sheetData>{header_rows}{''.join(data)}</sheetData>{tail}").encode()
    if draw(st.booleans()):
        name = draw(st.one_of(st.sampled_from(["", "Notes", "A" * 40, "&#10;", "&#9;", "'",
                                               "Sheet[1]"]), xml_text.map(_escape)))
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
            b'name="Establishment"', f'name="{name}"'.encode())
    return rezip(list(parts.items()))


def test_the_unmutated_workbook_loads(tmp_path: Path) -> None:
    path = tmp_path / "staff.xlsx"
    path.write_bytes(valid_xlsx())
    est = outcome(path)
    assert est is not None and est.rows_loaded == len(ROWS) and est.rows_excluded == 0


@fuzz(80)
@given(mutated_workbook(), st.sampled_from(["staff.xlsx", "staff.xlsm", "staff.xls"]))
def test_damaged_workbooks_load_or_fail_cleanly(data: bytes, name: str) -> None:
    with written(data, name) as path:
        outcome(path)


@fuzz(60)
@given(crafted_workbook())
def test_crafted_sheet_xml_loads_or_fails_cleanly(data: bytes) -> None:
    with written(data, "staff.xlsx") as path:
        outcome(path)


# ---------------------------------------------------------------- (c) CSV variations

REAL_HEADERS = ["Post ID", "Post No", "Position Number", "FTE", "WTE", "Contracted hours",
                "Salary", "Annual salary", "Salary band", "Pay floor", "Pay ceiling",
                "Date of birth", "DOB", "Team", "Unit", "Service", "Directorate", "Grade",
                "Status", "Vacant?", "Employee name", "Start date", "Post title", "Age"]
header_cell = st.one_of(st.sampled_from(REAL_HEADERS), st.sampled_from(["", " ", "Team"]),
                        st.text(max_size=12).filter(lambda t: "\x00" not in t))

HOSTILE = [
    "=1+1", "@SUM(A1)", "+44", "-1", "=HYPERLINK(\"http://x\")", "1e308", "-1e308", "1e309",
    "nan", "NaN", "inf", "-inf", "Infinity", "-0", "0", "0.0", "1", "0.5", "2", "37",
    "29/02/1900", "00/00/0000", "31/12/9999", "01/01/0001", "12/25/1980", "1980-02-30",
    "60", "2958466", "99999999", "12:30", "37:30", "25:00:00", "£", "£30,000", "£-5",
    "(30,000)", "£40,000 - £44,999", "1,2,3", "1.2.3", "30.000,50", "0,5", "10k", "£1e308k",
    "\x00", "\x01\x02", "\x7f", "\u200b", "\ufeff", "\u202e", "e\u0301", "𝟙", "١٢٣",
    "Total", "Grand total", "Vacant", "vacancy", "Filled", "n/a", "#N/A", "#DIV/0!", "TRUE",
    "FALSE", "yes", "\t", "\r", "\n", '"', "''", "x" * 5000, "9" * 400,
]
hostile_cell = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=15),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(-(10**30), 10**30).map(str),
)
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]


def csv_text(headers: list[str], rows: list[list[str]], delimiter: str, quoting: str,
             newline: str) -> str:
    def one(value: str) -> str:
        needs = any(ch in value for ch in (delimiter, '"', "\n", "\r"))
        if quoting == "all" or (quoting == "minimal" and needs):
            return '"' + value.replace('"', '""') + '"'
        return value  # "none": as a careless exporter writes it

    return newline.join(delimiter.join(one(v) for v in r) for r in [headers, *rows]) + newline


@st.composite
def csv_file(draw: st.DrawFn) -> bytes:
    headers = draw(st.lists(header_cell, min_size=1, max_size=8))
    rows = draw(st.lists(st.lists(hostile_cell, max_size=len(headers) + 1), max_size=10))
    text = csv_text(headers, rows, draw(st.sampled_from([",", ";", "\t", "|", ":"])),
                    draw(st.sampled_from(["minimal", "all", "none"])),
                    draw(st.sampled_from(["\n", "\r\n", "\r"])))
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@fuzz(100)
@given(csv_file())
@example(b"Post ID,Team,FTE,Salary\nP1,Revenues,1e308,1e308\nP2,Revenues,1,30000\n")
@example(b"Post ID,Team,FTE,Salary\nP1,Revenues,1,30000\nP1,Revenues,1,30000\n")
def test_csv_variations_load_or_fail_cleanly(data: bytes) -> None:
    with written(data, "staff.csv") as path:
        outcome(path)


# ---------------------------------------------------------------- (d) hostile cells in a workbook


def _illegal_in_xlsx(value: object) -> bool:
    return isinstance(value, str) and any(
        (ord(ch) < 32 and ch not in "\t\n\r") or 0xD800 <= ord(ch) <= 0xDFFF or
        ord(ch) in (0xFFFE, 0xFFFF) for ch in value)


xlsx_cell = st.one_of(
    hostile_cell.filter(lambda v: not _illegal_in_xlsx(v)),
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(2**53), 2**53),
    st.booleans(),
    st.none(),
    st.datetimes(min_value=pd.Timestamp("1900-03-01").to_pydatetime(),
                 max_value=pd.Timestamp("9999-12-31").to_pydatetime()),
    st.times(),
    st.timedeltas(min_value=pd.Timedelta(0).to_pytimedelta(),
                  max_value=pd.Timedelta(days=3).to_pytimedelta()),
)


@fuzz(60)
@given(st.lists(st.lists(xlsx_cell, min_size=1, max_size=len(HEADERS)), min_size=1,
                max_size=8),
       st.lists(header_cell.filter(lambda v: not _illegal_in_xlsx(v)), max_size=3),
       st.integers(0, 3))
@example(rows=[["P1", "Revenues", "Officer", 1e300, 1.7e308], ["P2", "Parks", "Officer", 1]],
         extra_headers=[], title_rows=0)
def test_hostile_cells_in_a_workbook(rows: list[list[Any]], extra_headers: list[str],
                                     title_rows: int) -> None:
    data = workbook_bytes(rows, HEADERS + extra_headers, title_rows)
    with written(data, "staff.xlsx") as path:
        outcome(path)


# ---------------------------------------------------------------- mapping profiles

json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                        st.text(st.characters(blacklist_categories=()), max_size=8),
                        st.sampled_from(["post_id", "team", "fte", "annual_salary", "service",
                                         "Post ID", "FTE"]))


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(inner, max_size=4),
                     st.dictionaries(st.text(max_size=8), inner, max_size=4))


json_value = st.recursive(
    json_scalar,
    _containers,
    max_leaves=12,
)
profile_keys = st.sampled_from(["name", "description", "columns", "ignore", "defaults",
                                "options", "detect", "version", "colums"])
option_keys = st.sampled_from(["generate_post_id", "aggregate_rows", "standard_weekly_hours",
                               "team_fallback", "vacant_names", "zero_salary_is_missing"])
profile_dict = st.one_of(
    json_value,
    st.dictionaries(profile_keys, st.one_of(
        json_value,
        st.dictionaries(st.sampled_from(["post_id", "team", "fte", "annual_salary", "grade"]),
                        json_value, max_size=3),
        st.dictionaries(option_keys, json_value, max_size=3),
    ), max_size=6),
)


@fuzz(150)
@given(profile_dict)
@example({"options": {"team_fallback": [["service"]]}})
@example({"defaults": {"fte": float("nan")}})
@example({"defaults": {"fte": 10**400}})
def test_mapping_profiles_are_a_profile_or_a_mapping_error(data: Any) -> None:
    try:
        profile = profile_from_dict(data, "ours.json")
    except MappingError as exc:
        check_message(exc, "ours.json")
        return
    assert isinstance(profile, MappingProfile)
    for value in profile.defaults.values():
        assert isinstance(value, str) or math.isfinite(value), value
    json.dumps(profile.to_json(), allow_nan=False, ensure_ascii=False).encode("utf-8")


@fuzz(40)
@given(st.one_of(st.binary(max_size=300),
                 profile_dict.map(lambda d: json.dumps(d).encode())))
@example(b'{"name": ' + b"1" * 5000 + b"}")
@example(b"[" * 50_000)
@example(b"\xff\xfe{}")
def test_mapping_profile_files_load_or_fail_cleanly(data: bytes) -> None:
    with written(data, "ours.json") as path:
        try:
            load_profile(path)
        except MappingError as exc:
            check_message(exc, "ours.json")


@pytest.fixture(scope="module")
def establishment_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fuzz") / "staff.csv"
    path.write_text("Post ID,Team,FTE,Salary,Grade\nP1,Revenues,1,30000,G5\n"
                    "P2,Parks,,,G3\nP3,Parks,0.5,,G3\n", encoding="utf-8")
    return path


@fuzz(60)
@given(profile_dict, st.booleans())
def test_loading_with_any_valid_profile(establishment_csv: Path, data: Any,
                                        strict: bool) -> None:
    try:
        profile = profile_from_dict(data, "ours.json")
    except MappingError:
        return
    profile.strict = strict  # as load_profile sets it for a user's own file
    try:
        est = load_establishment(establishment_csv, mapping=profile, as_at=AS_AT)
    except PlannerError as exc:
        text = str(exc)
        assert text and "\n" not in text
        assert "staff.csv" in text or "ours.json" in text, text
        return
    check_establishment(est)


# ---------------------------------------------------------------- regressions found by fuzzing


def test_regression_team_fallback_holding_a_list_is_a_mapping_error() -> None:
    # was TypeError: unhashable type: 'list'
    with pytest.raises(MappingError, match=r"'options.team_fallback' must be a list"):
        profile_from_dict({"options": {"team_fallback": [["service"]]}}, "ours.json")


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 10**400, True, None, [1]],
                         ids=["nan", "inf", "10**400", "true", "null", "list"])
def test_regression_a_default_that_is_not_a_finite_number_or_text(value: Any) -> None:
    # NaN and infinity were accepted (Python's json reads them) and 10**400 made the
    # importer raise OverflowError when it parsed the default
    with pytest.raises(MappingError, match=r"'defaults.fte' must be a number or text"):
        profile_from_dict({"defaults": {"fte": value}}, "ours.json")


@pytest.mark.parametrize(("data", "message"), [
    (b"\xff\xfe{\x00}\x00", "is not UTF-8 text"),  # was UnicodeDecodeError
    (b'{"name": ' + b"1" * 5000 + b"}", "a number too long"),  # was ValueError
    (b"[" * 50_000, "nested too deeply"),  # was RecursionError
], ids=["utf-16", "5000-digits", "deep"])
def test_regression_unreadable_profile_files_are_mapping_errors(tmp_path: Path, data: bytes,
                                                                 message: str) -> None:
    path = tmp_path / "ours.json"
    path.write_bytes(data)
    with pytest.raises(MappingError, match=message) as info:
        load_profile(path)
    check_message(info.value, "ours.json")


def test_regression_an_unknown_key_with_a_line_break_stays_on_one_line() -> None:
    with pytest.raises(MappingError) as info:
        profile_from_dict({"\n" + "x" * 100: None}, "ours.json")
    assert str(info.value) == ("Mapping profile ours.json has an unknown field "
                               "'\\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'.")


def test_regression_absurd_numbers_from_a_workbook_never_reach_the_engine(
        tmp_path: Path) -> None:
    # FTE 1e300 and a salary of 1.7e308 (real numbers in Excel cells) were loaded as they
    # were: the establishment cost was inf and a scenario's net position NaN
    from planner.months import Horizon, month_number
    from planner.runner import run_scenario
    from planner.scenario import Scenario

    path = tmp_path / "staff.xlsx"
    path.write_bytes(workbook_bytes([
        ["P1", "Revenues", "Officer", 1e300, 30_000],
        ["P2", "Revenues", "Officer", 1, 1.7e308],
        ["P3", "Revenues", "Officer", 1, 30_000],
        ["P4", "Revenues", "Officer", 10_000, 30_000],  # the largest FTE a row may have
    ]))
    est = outcome(path)
    assert est is not None
    assert est.posts["post_id"].tolist() == ["P2", "P3", "P4"]
    assert est.posts["annual_salary"].isna().tolist() == [True, False, False]
    messages = {i.code: i.message for i in est.report}
    assert messages["fte_too_large"] == ("Row excluded: FTE 1e+300 is more than 10,000, which "
                                         "no row of an establishment can be.")
    assert messages["salary_unbelievable"] == (
        "Salary £1.7e+308 is more than £10,000,000, which cannot be one post's pay; "
        "left empty.")
    results = run_scenario(est.posts, Scenario("Nothing", Horizon(month_number(2027, 4), 24)))
    assert all(math.isfinite(v) for v in results.kpis().values() if isinstance(v, float))


def test_regression_a_line_break_in_a_sheet_name_stays_out_of_the_message(
        tmp_path: Path) -> None:
    # sheet_choice.py and readers.py quoted sheet names as they were ('{name}'), so a line
    # break in a name (possible in the XML as &#10;) split the message over two lines
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Staff\nlist"
    ws.append(["just a note"])
    wb.create_sheet("Notes").append(["x"])
    path = tmp_path / "staff.xlsx"
    wb.save(path)
    with pytest.raises(PlannerError) as info:
        load_establishment(path, as_at=AS_AT)
    check_message(info.value, "staff.xlsx")


def test_regression_a_lone_surrogate_escape_in_a_profile_is_refused(tmp_path: Path) -> None:
    # "\udc80" loaded as a lone surrogate; saving the profile raised UnicodeEncodeError
    path = tmp_path / "ours.json"
    path.write_text('{"columns": {"post_id": "Po\\udc80st"}}', encoding="utf-8")
    with pytest.raises(MappingError, match="half of a character pair") as info:
        load_profile(path)
    check_message(info.value, "ours.json")
