"""Check that the Excel workbook is valid and renders: LibreOffice converts it to PDF.

Writes the demo council's comparison workbook (its three scenarios, the Compare sheet
first), converts it with ``soffice --headless --convert-to pdf`` in a throw-away
LibreOffice profile (so a running LibreOffice, or another check, does not get in the
way), and reports the page count. ``--png DIR`` also renders pages to PNG with
poppler's ``pdftoppm`` (``--first``/``--last`` pick the pages) so they can be looked at.

    python tools/render_workbook.py [--out DIR] [--png DIR] [--first N] [--last N]
                                    [--single] [--names]

Exit status 0 when the PDF was made and has pages, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from importlib.resources import as_file
from pathlib import Path

TIMEOUT = 120  # seconds LibreOffice may take


def demo_workbook(folder: Path, *, single: bool = False, anonymise: bool = True) -> Path:
    """Write the demo workbook (all demo scenarios with the Compare sheet) into ``folder``."""
    from planner.bundled import demo_workbook as demo_file
    from planner.demo import demo_scenarios
    from planner.export_xlsx import write_results_workbook
    from planner.importer import load_establishment
    from planner.runner import run_scenario
    from planner.workforce import Workforce
    from planner.xlsx_compare import write_comparison_workbook

    with as_file(demo_file()) as path:
        est = load_establishment(path)
    wf = Workforce.from_posts(est.posts)
    results = [run_scenario(wf, sc) for sc in demo_scenarios()]
    if single:
        return write_results_workbook(results[0], folder / "demo_results.xlsx",
                                      establishment=est, anonymise=anonymise)
    return write_comparison_workbook(results, folder / "demo_compared.xlsx",
                                     establishment=est, anonymise=anonymise)


def convert_to_pdf(workbook: Path, out_dir: Path, timeout: float = TIMEOUT) -> Path:
    """``workbook`` as a PDF in ``out_dir`` by LibreOffice; raises RuntimeError on failure."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not on PATH")
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        done = subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--norestore", "--convert-to", "pdf", "--outdir", str(out_dir), str(workbook)],
            capture_output=True, text=True, timeout=timeout, check=False)
    pdf = out_dir / (workbook.stem + ".pdf")
    if done.returncode != 0 or not pdf.is_file():
        raise RuntimeError(f"LibreOffice could not convert {workbook.name} "
                           f"(exit {done.returncode}): {done.stderr.strip() or done.stdout}")
    return pdf


def page_count(pdf: Path) -> int:
    """Pages in ``pdf`` (pdfinfo when installed, else the page objects counted)."""
    pdfinfo = shutil.which("pdfinfo")
    if pdfinfo is not None:
        info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True,
                              check=False).stdout
        found = re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE)
        if found:
            return int(found.group(1))
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))


def to_png(pdf: Path, out_dir: Path, first: int, last: int, dpi: int = 70) -> list[Path]:
    """Pages ``first``–``last`` of ``pdf`` as PNG files in ``out_dir`` (poppler's pdftoppm)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise RuntimeError("pdftoppm (poppler) is not on PATH")
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = out_dir / pdf.stem
    subprocess.run([pdftoppm, "-r", str(dpi), "-png", "-f", str(first), "-l", str(last),
                    str(pdf), str(prefix)], check=True, timeout=TIMEOUT)
    return sorted(out_dir.glob(f"{pdf.stem}*.png"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="folder for the workbook and PDF "
                        "(default: a temporary folder)")
    parser.add_argument("--png", type=Path, help="also render pages to PNG in this folder")
    parser.add_argument("--first", type=int, default=1, help="first page to render")
    parser.add_argument("--last", type=int, default=0, help="last page to render (0: all)")
    parser.add_argument("--single", action="store_true",
                        help="one scenario's workbook instead of the comparison")
    parser.add_argument("--names", action="store_true", help="keep names and ids")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="render-workbook-") as tmp:
        folder = args.out or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        book = demo_workbook(folder, single=args.single, anonymise=not args.names)
        written = time.perf_counter()
        try:
            pdf = convert_to_pdf(book, folder)
        except (RuntimeError, subprocess.TimeoutExpired) as exc:
            print(f"FAILED: {exc}", file=sys.stderr)
            return 1
        pages = page_count(pdf)
        print(f"{book} written in {written - started:.1f} s; {pdf.name}: {pages} pages, "
              f"converted in {time.perf_counter() - written:.1f} s")
        if args.png:
            last = args.last or pages
            for png in to_png(pdf, args.png, args.first, last):
                print(png)
        return 0 if pages > 0 else 1


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    raise SystemExit(main())
