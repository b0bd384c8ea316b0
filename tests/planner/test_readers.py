"""The raw readers: encodings, delimiters, quoting, trailing blank cells and disguised files."""

from __future__ import annotations

import subprocess
import sys
import tracemalloc
from pathlib import Path

import openpyxl
import pytest

from planner.errors import UnusableFileError
from planner.readers import (
    RawSheet,
    _open_openpyxl,
    decode_text,
    open_workbook,
    sniff_delimiter,
)

ROOT = Path(__file__).resolve().parents[2]


def read(path: Path) -> tuple[RawSheet, str | None, str | None]:
    wb = open_workbook(path)
    return wb.read_sheet(wb.sheet_names[0]), wb.encoding, wb.delimiter


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path) -> str:
    with pytest.raises(UnusableFileError) as info:
        open_workbook(path)
    text = str(info.value)
    assert path.name in text and "\n" not in text
    return text


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(("stray", "char"), [(b"\x92", "\u2019"), (b"\xa3", "£")],
                         ids=["x92", "xa3"])
def test_stray_cp1252_byte_in_utf8_csv_keeps_the_utf8_characters(
        tmp_path: Path, stray: bytes, char: str) -> None:
    data = ("Post ID,Team,Salary\nA1,Caf\u00e9,£25,000\nA2,Rates,£26,000\n".encode()
            + b"A3,Ops" + stray + b"s,1\n")
    sheet, encoding, _ = read(write(tmp_path, "m.csv", data))
    assert encoding == "UTF-8 (with some Windows-1252 characters)"
    assert [r[2] for r in sheet.rows[1:3]] == ["£25", "£26"]  # not "Â£"
    assert sheet.rows[1][1] == "Café"
    assert sheet.rows[3][1] == f"Ops{char}s"


def test_pure_cp1252_csv_is_labelled_windows_1252() -> None:
    text, label = decode_text("Team,Salary\nCafé,£25\nO’Neill,£1\n".encode("cp1252"), "w.csv")
    assert (text, label) == ("Team,Salary\nCafé,£25\nO’Neill,£1\n", "Windows-1252")


def test_bytes_undefined_in_cp1252_are_read_as_latin1() -> None:
    assert decode_text(b"a\x81b\x8d\x8f\x90\x9dc\x80", "u.csv") == (
        "a\x81b\x8d\x8f\x90\x9dc€", "Windows-1252")


def test_stray_byte_after_utf8_bom_is_not_replaced() -> None:
    text, label = decode_text(b"\xef\xbb\xbf" + "£1 ".encode() + b"it\x92s", "b.csv")
    assert text == "£1 it’s" and "\ufffd" not in text
    assert label == "UTF-8 with BOM (with some Windows-1252 characters)"
    assert decode_text(b"\xef\xbb\xbf" + "£1".encode(), "b.csv") == ("£1", "UTF-8 with BOM")


def test_clean_utf8_and_binary_data() -> None:
    assert decode_text("£1".encode(), "c.csv") == ("£1", "UTF-8")
    with pytest.raises(UnusableFileError, match=r"c\.csv .*binary data"):
        decode_text(b"Post\x00ID\n", "c.csv")


def test_utf16_le_with_bom(tmp_path: Path) -> None:
    data = "\ufeffPost ID\tTeam\tSalary\r\nA1\tCafé\t£25,000\r\n".encode("utf-16-le")
    sheet, encoding, delimiter = read(write(tmp_path, "u16.csv", data))
    assert (encoding, delimiter) == ("UTF-16", "\t")
    assert sheet.rows == [["Post ID", "Team", "Salary"], ["A1", "Café", "£25,000"]]


# --------------------------------------------------------------------------- delimiters and quoting


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_semicolon_and_tab_delimiters(tmp_path: Path, delimiter: str) -> None:
    rows = [["Post ID", "Team", "Salary"], ["A1", "Revenues", "25000,50"], ["A2", "Rates", "1"]]
    text = "".join(delimiter.join(r) + "\n" for r in rows)
    sheet, _, found = read(write(tmp_path, "d.csv", text.encode()))
    assert found == delimiter
    assert sheet.rows == rows


def test_one_column_csv_falls_back_to_comma(tmp_path: Path) -> None:
    assert sniff_delimiter("Name\nAlice\nBob\n") == ","
    sheet, _, delimiter = read(write(tmp_path, "one.csv", b"Name\nAlice\nBob\n"))
    assert delimiter == ","
    assert sheet.rows == [["Name"], ["Alice"], ["Bob"]]


def test_quoted_cells_with_commas_and_newlines_are_one_record(tmp_path: Path) -> None:
    data = (b'Post ID,Team,Note\n'
            b'A1,"Revenues, Benefits","acting up\nuntil March"\n'
            b'A2,Rates,plain\n')
    sheet, _, _ = read(write(tmp_path, "q.csv", data))
    assert sheet.rows == [["Post ID", "Team", "Note"],
                          ["A1", "Revenues, Benefits", "acting up\nuntil March"],
                          ["A2", "Rates", "plain"]]


def test_crlf_and_cr_line_endings(tmp_path: Path) -> None:
    expected = [["Post ID", "Team"], ["A1", "Rates"], ["A2", "Revenues"]]
    for ending in ("\r\n", "\r"):
        text = ending.join(",".join(r) for r in expected) + ending
        sheet, _, _ = read(write(tmp_path, "e.csv", text.encode()))
        assert sheet.rows == expected
    # newline="" semantics: a line break inside a quoted cell is kept as written
    sheet, _, _ = read(write(tmp_path, "e.csv", b'Post ID,Note\r\nA1,"two\r\nlines"\r\n'))
    assert sheet.rows == [["Post ID", "Note"], ["A1", "two\r\nlines"]]


def test_unclosed_quote_is_refused_with_its_line(tmp_path: Path) -> None:
    data = (b"Post ID,Team,Note\n"
            b"A1,Rates,ok\n"
            b'A2,Rates,"acting up\n'
            b"A3,Rates,ok\n"
            b"A4,Rates,ok\n")
    text = refusal(write(tmp_path, "open.csv", data))
    assert text == ('open.csv has an unclosed quote (") in the record starting on line 3, so '
                    "the rest of the file cannot be read; fix that cell and try again.")


def test_unclosed_quote_line_counts_physical_lines(tmp_path: Path) -> None:
    data = (b"Post ID,Note\n"
            b'A1,"two\nlines"\n'  # lines 2-3: one record
            b'A2,"never closed')  # line 4, no newline at the end of the file
    assert "record starting on line 4" in refusal(write(tmp_path, "open.csv", data))
    assert "line 2" in refusal(write(tmp_path, "open.csv", b'Post ID\n"'))


def test_quote_left_open_for_a_huge_cell_is_refused(tmp_path: Path) -> None:
    data = b'Post ID,Note\nA1,"never closed\n' + b"A2,x\n" * 30_000 + b'A3,"y"\n'
    text = refusal(write(tmp_path, "huge.csv", data))
    assert "line 2" in text and "unclosed quote" in text


def test_properly_closed_quote_at_end_of_file_is_accepted(tmp_path: Path) -> None:
    sheet, _, _ = read(write(tmp_path, "ok.csv", b'Post ID,Note\nA1,"multi\nline"'))
    assert sheet.rows == [["Post ID", "Note"], ["A1", "multi\nline"]]


# --------------------------------------------------------------------------- trailing blank cells


def test_trailing_blank_cells_are_dropped_but_middle_blanks_kept(tmp_path: Path) -> None:
    data = b"Post ID,Team,,FTE,, ,\nA1,,Rates,1,,,\n,,,\n"
    sheet, _, _ = read(write(tmp_path, "t.csv", data))
    assert sheet.rows == [["Post ID", "Team", "", "FTE"], ["A1", "", "Rates", "1"], []]
    assert all(isinstance(r, list) for r in sheet.rows)


def test_thousands_of_trailing_commas_use_little_memory(tmp_path: Path) -> None:
    n_rows, n_commas = 5_000, 2_000
    data = (b"Post ID,Team,FTE,Salary" + b"," * n_commas + b"\n"
            + (b"1,A,1,20000" + b"," * n_commas + b"\r\n") * n_rows)
    path = write(tmp_path, "wide.csv", data)
    tracemalloc.start()
    try:
        sheet, _, _ = read(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(sheet.rows) == n_rows + 1
    assert sheet.rows[1] == ["1", "A", "1", "20000"]
    # the untrimmed rows alone would take n_rows * n_commas * 8 bytes = 80 MB
    assert peak < 6 * len(data)


def _wide_workbook(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Staff"
    ws.append(["Post ID", "Team", None, "FTE"])
    ws.append(["A1", None, "Rates", 1, None, "   "])
    ws.append([0, False])  # zero and FALSE are values, not blanks
    ws.cell(row=5, column=40, value="far away")
    wb.save(path)
    return path


def test_trailing_blank_cells_are_dropped_from_spreadsheets(tmp_path: Path) -> None:
    path = _wide_workbook(tmp_path / "wide.xlsx")
    wb = open_workbook(path)
    assert wb.engine == "calamine"
    rows = wb.read_sheet("Staff").rows
    assert rows[0] == ["Post ID", "Team", "", "FTE"]
    assert rows[1][:4] == ["A1", "", "Rates", 1] and len(rows[1]) == 4
    assert rows[2] == [0, False]
    assert rows[3] == [] and len(rows[4]) == 40
    rows = _open_openpyxl(path, RuntimeError("calamine failed")).read_sheet("Staff").rows
    assert rows[0] == ["Post ID", "Team", None, "FTE"]
    assert rows[1] == ["A1", None, "Rates", 1]
    assert rows[2] == [0, False] and rows[3] == []


# --------------------------------------------------------------------------- disguised files


@pytest.mark.parametrize("head", [
    "<html><body><table><tr><td>Post</td></tr></table></body></html>",
    "\ufeff  \r\n<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.0//EN\"><html>",
    "<TABLE border=1><tr><td>Post ID</td></tr></TABLE>",
    '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml">',
], ids=["html", "doctype", "table", "xhtml"])
@pytest.mark.parametrize("name", ["export.xls", "export.xlsx"])
def test_html_saved_with_a_spreadsheet_name(tmp_path: Path, head: str, name: str) -> None:
    text = refusal(write(tmp_path, name, head.encode()))
    assert text == (f"{name} is a web page (HTML) saved with a spreadsheet name; open it in "
                    "Excel and save it as an Excel Workbook (.xlsx), then load that.")


def test_utf16_html_saved_as_xls(tmp_path: Path) -> None:
    data = "\ufeff<html><body><table></table></body></html>".encode("utf-16-le")
    assert "web page (HTML)" in refusal(write(tmp_path, "hr.xls", data))


def test_excel_2003_xml_saved_as_xls(tmp_path: Path) -> None:
    data = (b'<?xml version="1.0"?>\r\n<?mso-application progid="Excel.Sheet"?>\r\n'
            b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"\r\n'
            b' xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">')
    text = refusal(write(tmp_path, "hr.xls", data))
    assert "Excel 2003 XML spreadsheet" in text
    assert text.endswith("save it as an Excel Workbook (.xlsx), then load that.")


def test_other_text_named_like_a_spreadsheet_is_still_not_one(tmp_path: Path) -> None:
    assert "named like a spreadsheet but is not one" in refusal(
        write(tmp_path, "fake.xlsx", b"<note>hello</note>"))


# --------------------------------------------------------------------------- header only, text mode


def test_header_only_csv_gives_one_row(tmp_path: Path) -> None:
    path = write(tmp_path, "head.csv", b"Post ID,Team,FTE,Salary\r\n")
    wb = open_workbook(path)
    assert wb.read_sheet("head").rows == [["Post ID", "Team", "FTE", "Salary"]]
    from planner.importer import load_establishment

    try:  # the importer decides what to say; it must not crash
        load_establishment(path)
    except UnusableFileError as exc:
        assert "\n" not in str(exc)


def test_csv_is_never_opened_with_the_platform_default_encoding(tmp_path: Path) -> None:
    path = write(tmp_path, "e.csv", "Post ID,Team\nA1,Café £\n".encode())
    code = ("import sys; from planner.readers import open_workbook; "
            "wb = open_workbook(sys.argv[1]); print(wb.read_sheet('e').rows[1][1] == 'Café £')")
    done = subprocess.run(
        [sys.executable, "-X", "warn_default_encoding", "-W", "error::EncodingWarning",
         "-c", code, str(path)],
        cwd=ROOT, capture_output=True, text=True, encoding="utf-8", check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"
