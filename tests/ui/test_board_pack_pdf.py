"""The board pack PDF and chart PNGs (ui.board_pack_pdf): a real PDF with the expected
pages, the summary in its text, page numbers, an atomic write, and errors as sentences."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from planner.errors import PlannerError

DAY = dt.date(2026, 11, 23)
HAVE_POPPLER = shutil.which("pdftotext") is not None and shutil.which("pdfinfo") is not None


@pytest.fixture(scope="module")
def pack():
    """The demo council's three scenarios with a small seeded simulation each."""
    from planner.board_pack import build_board_pack
    from planner.demo import demo_scenarios
    from planner.montecarlo import simulate
    from planner.runner import run_scenario
    from planner.workforce import Workforce
    from tests.ui.conftest import demo_establishment

    est = demo_establishment()
    wf = Workforce.from_posts(est.posts)
    results = [run_scenario(wf, s) for s in demo_scenarios()]
    sims = [simulate(r, 100, seed=2027) for r in results]
    return build_board_pack(results, sims, est, organisation="Demo Borough Council",
                            made_on=DAY)


@pytest.fixture(scope="module")
def pdf(pack, tmp_path_factory) -> Path:
    from ui.board_pack_pdf import ensure_qt_app, write_board_pack_pdf

    ensure_qt_app()
    path = tmp_path_factory.mktemp("pack") / "board pack.pdf"
    assert write_board_pack_pdf(pack, path) == path
    return path


def page_count(path: Path) -> int:
    """Page objects in the file ("/Type /Page", not "/Type /Pages")."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", path.read_bytes()))


def text_of(path: Path, first: int | None = None, last: int | None = None) -> str:
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first), "-l", str(last or first)]
    out = subprocess.run([*args, str(path), "-"], capture_output=True, check=True).stdout
    return out.decode("utf-8")


def flat(text: str) -> str:
    """Lines joined with spaces, so a sentence wrapped over lines reads whole."""
    return re.sub(r"\s+", " ", text)


def test_a_real_pdf_with_every_page(pack, pdf, qapp):
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert data.rstrip().endswith(b"%%EOF")
    # cover, summary, key figures, 3 capacity charts two a page, savings, cumulative,
    # bridge, 3 heat maps one a page, assumptions, actions, data quality
    assert page_count(pdf) == 14


@pytest.mark.skipif(not HAVE_POPPLER, reason="poppler's pdftotext is not installed")
def test_pages_in_order_with_numbers_and_footer(pack, pdf):
    pages = page_count(pdf)
    heads = [text_of(pdf, k).strip().splitlines()[0] for k in range(1, pages + 1)]
    assert heads[:3] == ["Workforce scenarios: board pack", "Summary", "Key figures side by side"]
    assert heads[3].startswith("Capacity and demand: Accounts Payable, scenario A")
    assert heads[-3:] == ["Assumptions", "What each scenario does",
                          "Data quality of the establishment"]
    for k in range(1, pages + 1):
        page = flat(text_of(pdf, k))
        assert f"Page {k} of {pages}" in page
        assert ("Demo Borough Council · Workforce scenarios: board pack · 23 November 2026"
                in page)


@pytest.mark.skipif(not HAVE_POPPLER, reason="poppler's pdftotext is not installed")
def test_summary_and_tables_can_be_read_back(pack, pdf):
    summary = flat(text_of(pdf, 2))
    for sentence in pack.scenarios[0].sentences[:2]:
        assert sentence in summary
    assert flat(" ".join(pack.lead)) in summary
    key_figures = flat(text_of(pdf, 3))
    assert "£3,469,214 (2029/30) (best)" in key_figures
    cover = flat(text_of(pdf, 1))
    assert "A: Cut first, as planned" in cover and "23 November 2026" in cover
    everything = text_of(pdf)
    assert "ﬁ" not in everything  # no ligatures: "first" can be searched for
    assert "Samuel Patel" not in everything and "P001019" not in everything
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+842 x 595 pts \(A4\)", info)  # A4 landscape


def test_failed_export_leaves_the_old_file(pack, tmp_path, monkeypatch, qapp):
    from ui import board_pack_pdf

    target = tmp_path / "pack.pdf"
    target.write_bytes(b"the old pack")

    def broken(*_args, **_kwargs):
        raise RuntimeError("drawing failed")

    monkeypatch.setattr(board_pack_pdf, "paint_chart", broken)
    with pytest.raises(RuntimeError):
        board_pack_pdf.write_board_pack_pdf(pack, target)
    assert target.read_bytes() == b"the old pack"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]  # no temporary file left


def test_file_open_elsewhere_is_a_sentence(pack, tmp_path, monkeypatch, qapp):
    from ui import board_pack_pdf

    target = tmp_path / "pack.pdf"
    target.write_bytes(b"open in a reader")

    def locked(*_args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(board_pack_pdf.os, "replace", locked)
    with pytest.raises(PlannerError, match=r"Could not write 'pack\.pdf': is it open in a PDF "
                                           r"reader\? Close it and try again\."):
        board_pack_pdf.write_board_pack_pdf(pack, target)
    assert target.read_bytes() == b"open in a reader"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.pdf"]


def test_missing_folder_is_a_sentence(pack, tmp_path, qapp):
    from ui.board_pack_pdf import write_board_pack_pdf

    with pytest.raises(PlannerError, match="cannot be written to"):
        write_board_pack_pdf(pack, tmp_path / "no such folder" / "pack.pdf")


def test_chart_pngs(pack, tmp_path, qapp):
    from PySide6.QtGui import QImage

    from ui.board_pack_pdf import PNG_SIZE, write_chart_pngs

    paths = write_chart_pngs(pack, tmp_path / "charts")
    assert len(paths) == len(pack.charts) == 9
    assert paths[0].name == "01-capacity-and-demand-accounts-payable-scenario-a-cut-first-" \
                            "as-planned.png"
    for path in paths:
        image = QImage(str(path))
        assert (image.width(), image.height()) == PNG_SIZE
    assert sorted(p.name for p in (tmp_path / "charts").iterdir()) == [p.name for p in paths]


def test_text_is_never_below_nine_points(qapp):
    from PySide6.QtGui import QImage, QPainter

    from ui.board_pack_ink import Ink

    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        ink = Ink(painter, 300)
        assert ink.font(6).pixelSize() == round(9 * 300 / 72)
        assert ink.font(12).pixelSize() == 50
        assert ink.mm(25.4) == pytest.approx(300)
    finally:
        painter.end()


def test_ensure_qt_app_reuses_the_running_app(qapp):
    from ui.board_pack_pdf import ensure_qt_app

    assert ensure_qt_app() is qapp


def test_from_a_plain_script(tmp_path):
    """No Qt application and no display: the pack is still written (offscreen)."""
    script = (
        "import datetime as dt, sys\n"
        "from planner import bundled, importer\n"
        "from planner.board_pack import build_board_pack\n"
        "from planner.demo import demo_scenarios\n"
        "from planner.runner import run_scenario\n"
        "from ui.board_pack_pdf import write_board_pack_pdf\n"
        "est = importer.load_establishment(bundled.demo_workbook())\n"
        "r = run_scenario(est.posts, demo_scenarios()[1])\n"
        "write_board_pack_pdf(build_board_pack([r], None, est), sys.argv[1])\n")
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    root = Path(__file__).resolve().parents[2]
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    out = tmp_path / "one.pdf"
    done = subprocess.run([sys.executable, "-c", script, str(out)], env=env, cwd=root,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF")
