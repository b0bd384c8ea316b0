"""The demo workbook is a valid workbook LibreOffice can open and print to PDF.

Slow (LibreOffice takes some 25 s on the demo's three scenarios), so it runs only
where ``soffice`` is installed; ``tools/render_workbook.py --png DIR`` renders the
pages to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tools.render_workbook import convert_to_pdf, demo_workbook, page_count

pytestmark = pytest.mark.skipif(shutil.which("soffice") is None,
                                reason="LibreOffice (soffice) is not installed")


def test_the_demo_workbook_renders_to_pdf(tmp_path: Path) -> None:
    book = demo_workbook(tmp_path)
    pdf = convert_to_pdf(book, tmp_path, timeout=120)
    assert pdf.is_file() and pdf.stat().st_size > 10_000
    assert pdf.read_bytes().startswith(b"%PDF")
    # every one of the 29 sheets prints at least one page
    assert page_count(pdf) >= 29
