"""The hostile and broken input corpus (tests/data/bad/, made by tools/make_bad_inputs.py).

Every corpus file goes through ``planner.importer.load_establishment`` — what the app
and the CLI call — in its own process (forked from a loader that imported the planner
once, or a new interpreter where there is no fork), so a crash or an abort fails one
test instead of killing pytest. On Linux and macOS the child's address space is capped
at 1.5 GB (RLIMIT_AS), and its peak resident memory must stay under 1 GB and its time
under 30 s (generous bounds: the largest case takes about 10 s and 270 MB here, most
well under a second and 80 MB). Each file must give what MANIFEST.json says: a load
with the expected posts, FTE and data-quality notes, or a refusal whose one-sentence
message names the file and contains the expected words. The cases run two at a time.

The rest checks the corpus is complete and the generator reproducible, that openpyxl
(the fallback reader) parses XML through defusedxml, and the guard's fast path on
chunk boundaries and odd markup that Excel never writes.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from planner import workbook_guard
from planner.errors import UnusableFileError
from planner.readers import open_workbook

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "tests" / "data" / "bad"
MANIFEST = json.loads((BAD / "MANIFEST.json").read_text(encoding="utf-8"))
CASES: dict[str, dict[str, Any]] = {c["file"]: c for c in MANIFEST["cases"]}
ADDRESS_LIMIT = 1536 * 2**20  # RLIMIT_AS in the child
MAX_PEAK_MB = 1024
MAX_SECONDS = 30

#: Loads corpus files named on stdin, printing one JSON line each. Where the OS can fork,
#: it imports the planner once and forks a fresh child per file (isolated, address space
#: capped, killed after 120 s, about 1 s faster than a new interpreter); elsewhere
#: (Windows) it loads one file and exits, and a new process is started for each file.
SERVER = r"""
import json, os, sys, time
try:
    import resource, signal
except ImportError:
    resource = None
from planner.errors import PlannerError
from planner.importer import load_establishment


def load(path, limit):
    start = time.perf_counter()
    if resource is not None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        est = load_establishment(path)
        out = {"outcome": "loads", "rows": int(est.rows_loaded),
               "fte": round(float(est.posts["fte"].sum()), 6),
               "codes": sorted({i.code for i in est.report})}
    except PlannerError as exc:
        out = {"outcome": "refused", "message": str(exc), "error": type(exc).__name__}
    except BaseException as exc:
        out = {"outcome": "crash", "message": f"{type(exc).__name__}: {exc}"[:2000]}
    out["seconds"] = round(time.perf_counter() - start, 3)
    if resource is not None:  # ru_maxrss: bytes on macOS, KB elsewhere
        scale = 1 if sys.platform == "darwin" else 1024
        out["peak_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 2**20)
    return out


def forked(path, limit):
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        signal.alarm(120)
        os.write(write, json.dumps(load(path, limit)).encode())
        os._exit(0)
    os.close(write)
    chunks = []
    while chunk := os.read(read, 1 << 16):
        chunks.append(chunk)
    os.close(read)
    _, status = os.waitpid(pid, 0)
    if status or not chunks:
        return {"outcome": "died", "status": status}
    return json.loads(b"".join(chunks))


limit, fork = int(sys.argv[1]), hasattr(os, "fork") and resource is not None
for line in sys.stdin:
    path = line.rstrip("\n")
    print("RESULT " + json.dumps(forked(path, limit) if fork else load(path, limit)), flush=True)
    if not fork:
        break
"""
CAN_FORK = hasattr(__import__("os"), "fork")


class Loader:
    """A SERVER process; ``load(name)`` is the result for one corpus file."""

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None

    def load(self, name: str) -> dict[str, Any]:
        if self.proc is None or self.proc.poll() is not None:
            self.proc = subprocess.Popen(
                [sys.executable, "-c", SERVER, str(ADDRESS_LIMIT)], cwd=ROOT, text=True,
                encoding="utf-8", errors="replace", stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(str(BAD / name) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not CAN_FORK:
            self.close()
        if not line.startswith("RESULT "):
            self.close()
            return {"outcome": "died", "output": line}
        return dict(json.loads(line[len("RESULT "):]))

    def close(self) -> None:
        if self.proc is not None:
            if self.proc.stdin:
                self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            if self.proc.stdout:
                self.proc.stdout.close()
            self.proc = None


def run_cases(names: list[str]) -> dict[str, dict[str, Any]]:
    """Load ``names`` two at a time, each in its own process."""
    loaders = [Loader(), Loader()]
    halves = [names[0::2], names[1::2]]

    def work(k: int) -> list[tuple[str, dict[str, Any]]]:
        try:
            return [(n, loaders[k].load(n)) for n in halves[k]]
        finally:
            loaders[k].close()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return {n: r for part in pool.map(work, range(2)) for n, r in part}


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, Any]]:
    """Every committed case, loaded once for all the tests below."""
    return run_cases([name for name in CASES if (BAD / name).exists()])


@pytest.mark.parametrize("name", list(CASES))
def test_corpus_file(name: str, results: dict[str, dict[str, Any]]) -> None:
    case = CASES[name]
    got = results[name]
    assert got["outcome"] == case["expect"], got
    assert got["seconds"] < MAX_SECONDS, got
    if got.get("peak_mb") is not None:
        assert got["peak_mb"] < MAX_PEAK_MB, got
    if case["expect"] == "refused":
        message = got["message"]
        assert got["error"] == "UnusableFileError"
        assert name in message, message  # the user can tell which file it is
        assert "\n" not in message and len(message) < 600, message
        for words in case["message"]:
            assert words in message, (words, message)
    else:
        assert got["rows"] == case["posts"], got
        assert got["fte"] == pytest.approx(case["fte"]), got
        assert set(case["codes"]) <= set(got["codes"]), got


# --------------------------------------------------------------------------- corpus and generator


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("make_bad_inputs",
                                                  ROOT / "tools" / "make_bad_inputs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_bad_inputs"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_every_manifest_file_is_committed_and_nothing_else() -> None:
    files = {p.name for p in BAD.iterdir()} - {"MANIFEST.json", ".gitattributes"}
    assert files == set(CASES)
    assert len(CASES) >= 35
    for case in CASES.values():
        assert case["expect"] in ("loads", "refused")
        assert case["expect"] == "loads" or case["message"]
        assert (BAD / case["file"]).stat().st_size < 2 * 2**20
    assert sum(p.stat().st_size for p in BAD.iterdir()) < 10 * 2**20


def test_the_generator_writes_the_same_corpus(tmp_path: Path) -> None:
    gen = _generator()
    skipped = gen.generate(tmp_path)
    assert json.loads((tmp_path / "MANIFEST.json").read_text(encoding="utf-8")) == MANIFEST
    written = {p.name for p in tmp_path.iterdir()} - {"MANIFEST.json", ".gitattributes"}
    assert written | set(skipped) == set(CASES)
    assert set(skipped) <= {c["file"] for c in CASES.values() if c.get("needs")}
    same = [n for n in written if not CASES[n].get("needs")]  # tools may stamp their output
    for name in same:
        assert _content(tmp_path / name) == _content(BAD / name), name


def _content(path: Path) -> object:
    """A file's bytes, or for a readable zip its parts' names, sizes and CRCs (deflate
    output may differ between zlib builds; what it expands to may not)."""
    data = path.read_bytes()
    if not zipfile.is_zipfile(path):
        return data
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.file_size, i.CRC) for i in zf.infolist()]


def test_the_password_protected_workbook_is_genuine(tmp_path: Path) -> None:
    """Refused for its encryption alone: with the password it is the 20-post workbook."""
    msoffcrypto = pytest.importorskip("msoffcrypto")
    from planner.importer import load_establishment

    plain = tmp_path / "unlocked.xlsx"
    with (BAD / "password_protected.xlsx").open("rb") as locked, plain.open("wb") as out:
        office = msoffcrypto.OfficeFile(locked)
        office.load_key(password="Password1")
        office.decrypt(out)
    assert load_establishment(plain).rows_loaded == MANIFEST["base_posts"]


def test_openpyxl_parses_xml_with_defusedxml() -> None:
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True


# --------------------------------------------------------------------------- the guard itself


NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _book(path: Path, sheet_xml: bytes) -> Path:
    gen = _generator()
    parts = gen.Book([("S", sheet_xml, "visible")]).parts()
    gen.write_zip(path, parts)
    return path


def _rows(n: int, width: int = 3) -> Iterator[str]:
    letters = "ABCDEFGHIJ"
    yield '<row r="1">' + "".join(f'<c r="{letters[j]}1" t="inlineStr"><is><t>H{j}</t></is></c>'
                                  for j in range(width)) + "</row>"
    for r in range(2, n + 1):
        yield f'<row r="{r}">' + "".join(f'<c r="{letters[j]}{r}"><v>{r}</v></c>'
                                         for j in range(width)) + "</row>"


def _sheet(body: str) -> bytes:
    return f'<?xml version="1.0"?><worksheet {NS}><sheetData>{body}</sheetData></worksheet>' \
        .encode()


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """4 KB chunks and 1 KB slow pieces, so a small sheet spans many chunks."""
    monkeypatch.setattr(workbook_guard, "CHUNK", 4096)
    monkeypatch.setattr(workbook_guard, "SLOW_PIECE", 1024)
    monkeypatch.setattr(workbook_guard, "MAX_ROWS", 5_000)
    monkeypatch.setattr(workbook_guard, "MAX_CELLS", 20_000)
    workbook_guard._odd_cell.cache_clear()


def _scan(path: Path) -> workbook_guard.SheetScan:
    guard = workbook_guard.check_zip(path)
    return guard.check_sheet("S")


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize(("far", "ok"), [
    ('<c r="D900"><v>1</v></c>', True),  # a fourth column: 900 × 4 is allowed
    ('<c r="ZZ900"><v>1</v></c>', False),  # 900 × 702 is not
    ('<c r="C6000"><v>1</v></c>', False),  # inside a row numbered 900: calamine uses 6000
    ('<x:c xmlns:x="urn:x" r="ZZ900"><v>1</v></x:c>', False),  # prefixes are ignored
    ('<c s="1" r="ZZ900"><v>1</v></c>', False),  # r not the first attribute
    ('<c r="ZZ900" s="1"/>', True),  # no value: calamine leaves it out of the grid
    ("<c><v>1</v></c>" * 10, True),  # no r: the next columns (D..M)
    ("<c><v>1</v></c>" * 800, False),  # ... as far as column ADV
], ids=["wider", "far-column", "wrong-row", "prefixed", "r-second", "empty", "few-no-r",
        "many-no-r"])
def test_a_far_cell_anywhere_in_a_long_sheet_is_found(tmp_path: Path, far: str,
                                                      ok: bool) -> None:
    rows = list(_rows(1500))
    rows[899] = rows[899].replace("</row>", far + "</row>")
    path = _book(tmp_path / "far.xlsx", _sheet("".join(rows)))
    if ok:
        scan = _scan(path)
        assert scan.rows >= 1500 and scan.cols >= 3
        return
    with pytest.raises(UnusableFileError, match=r"Sheet 'S' of far\.xlsx has cells in use"):
        _scan(path)


@pytest.mark.usefixtures("small_chunks")
def test_rows_without_r_count_as_the_next_rows(tmp_path: Path) -> None:
    body = "".join(_rows(20)) + '<row><c t="inlineStr"><is><t>x</t></is></c></row>' * 6000
    with pytest.raises(UnusableFileError, match="more than the 5,000 rows"):
        _scan(_book(tmp_path / "down.xlsx", _sheet(body)))


@pytest.mark.usefixtures("small_chunks")
def test_hidden_rows_and_formulas_without_results_are_noted(tmp_path: Path) -> None:
    rows = list(_rows(3000))
    rows[1] = rows[1].replace('<row r="2"', '<row r="2" hidden="1"')
    rows[2500] = rows[2500].replace('<row r="2501"', '<row r="2501" spans="1:3" hidden="1"')
    rows[1200] = rows[1200].replace('<c r="B1201"><v>1201</v></c>',
                                    '<c r="B1201"><f>A1201*2</f></c>')
    scan = _scan(_book(tmp_path / "notes.xlsx", _sheet("".join(rows))))
    assert scan.hidden_rows == [2, 2501]
    assert (scan.blank_formula_count, scan.blank_formulas) == (1, ["B1201"])
    assert (scan.rows, scan.cols) == (3000, 3)


def test_too_many_parts_and_too_large_parts_are_refused(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    path = _book(tmp_path / "ok.xlsx", _sheet("".join(_rows(10))))
    monkeypatch.setattr(workbook_guard, "MAX_ENTRIES", 3)
    with pytest.raises(UnusableFileError, match="far more than any workbook"):
        open_workbook(path)
    monkeypatch.setattr(workbook_guard, "MAX_ENTRIES", 5_000)
    monkeypatch.setattr(workbook_guard, "MAX_TOTAL_BYTES", 1_000)
    with pytest.raises(UnusableFileError, match=r"ok\.xlsx expands to .* in all"):
        open_workbook(path)


def test_unusual_compression_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bz.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_BZIP2) as zf:
        zf.writestr("xl/workbook.xml", b"<workbook/>")
    with pytest.raises(UnusableFileError, match="compression method"):
        open_workbook(path)


@pytest.mark.parametrize("prolog", [
    b"<!-- padding -->" * 5000,  # pushes the DOCTYPE past the first 64 KB
    b"<!-- <worksheet> -->",  # markup inside a comment is not the root element
    b"<?pi <a?>\n ",
], ids=["long", "comment", "instruction"])
def test_a_doctype_after_comments_is_still_found(tmp_path: Path, prolog: bytes) -> None:
    xml = (b'<?xml version="1.0"?>' + prolog + b'<!DOCTYPE x [<!ENTITY a "a">]>'
           + _sheet("".join(_rows(3)))[21:])
    with pytest.raises(UnusableFileError, match="DOCTYPE"):
        _scan(_book(tmp_path / "late.xlsx", xml))


@pytest.mark.parametrize(("n", "limit"), [(1, 1), (9, 9), (21, 21), (240_000, 240_000),
                                          (300_000, 300_000), (1_048_576, 1_048_576)])
def test_the_row_and_column_bounds_are_exact(n: int, limit: int) -> None:
    import re

    numbers = re.compile(workbook_guard._numbers_upto(limit))
    for k in {1, 2, 9, 10, 99, 100, limit - 1, limit, limit + 1, limit * 10 + 1} - {0}:
        assert bool(numbers.fullmatch(str(k).encode())) == (k <= limit), k
    letters = re.compile(workbook_guard._letters_upto(min(n, 16_384)))
    for col in {1, 26, 27, 52, 702, 703, 16_384, min(n, 16_384), min(n, 16_384) + 1}:
        letter = workbook_guard._letters(col).encode()
        assert bool(letters.fullmatch(letter)) == (col <= min(n, 16_384)), col
