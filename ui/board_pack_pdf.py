"""The board pack as a PDF (A4 landscape, Qt's own PDF writer) and its charts as PNGs.

Pages: the cover; the plain-English summary; the KPI comparison; the charts (capacity
and demand for the team most at risk, two scenarios a page; savings by year against
the MTFP target; the cumulative net position with payback; the FTE bridge; the risk
heat maps); the assumptions side by side and each scenario's actions; the
data-quality summary. Every page has a footer with the title, the date and "Page 3 of
12". The content comes from :func:`planner.board_pack.build_board_pack`; this module
only lays it out.

Works with no window shown, from a plain script: :func:`ensure_qt_app` creates the Qt
application (offscreen where there is no display) if there is none. The PDF is made in
memory, written to a temporary file beside the target and moved into place, so a
failed export never leaves half a PDF behind.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from planner.atomic_file import replace_atomically
from planner.board_pack import BoardPack
from planner.board_pack_charts import ChartSpec
from planner.errors import PlannerError
from ui.board_pack_charts import paint_chart
from ui.board_pack_ink import INK, Ink
from ui.board_pack_layout import (
    Block,
    Columns,
    LeadText,
    Placed,
    ScenarioHeading,
    Spacer,
    Text,
    draw_placed,
    flow,
    heading,
    table_blocks,
)

DPI = 300
MARGINS_MM = (14.0, 12.0, 14.0, 9.0)  # left, top, right, bottom
FOOTER_MM = 8.0
PNG_SIZE = (1600, 900)
PNG_DPI = 150  # 1600 px = 271 mm: the charts' size on the page, so fonts match the PDF

_app: QGuiApplication | None = None


def ensure_qt_app() -> QGuiApplication:
    """The running Qt application, or a new one (offscreen when there is no display).

    Needed before drawing text from a plain script (``fteplan run --pdf``)."""
    global _app
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication):
        return app
    if (sys.platform.startswith("linux") and "QT_QPA_PLATFORM" not in os.environ
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    _app = QApplication(sys.argv[:1] or ["fteplan"])
    return _app


# ----- the PDF ----------------------------------------------------------------------------------
PageDraw = Callable[[Ink, QRectF], None]


def write_board_pack_pdf(pack: BoardPack, path: str | Path) -> Path:
    """Write the pack to ``path`` (replacing it only once the new PDF is complete).

    Raises:
        PlannerError: the folder cannot be written to, or the file is open elsewhere
            (a sentence naming the file).
    """
    ensure_qt_app()
    path = Path(path)
    data = render_pdf(pack)
    save_atomically(data, path)
    return path


def render_pdf(pack: BoardPack) -> bytes:
    """The PDF's bytes."""
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    left, top, right, bottom = MARGINS_MM
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Landscape,
                                     QMarginsF(left, top, right, bottom),
                                     QPageLayout.Unit.Millimeter))
    writer.setTitle(pack.title)
    writer.setCreator("FTE Planner")
    painter = QPainter()
    if not painter.begin(writer):
        raise PlannerError("Could not start the PDF (Qt's PDF writer would not open).")
    try:
        ink = Ink(painter, float(writer.resolution()))
        page = QRectF(0, 0, writer.width(), writer.height())
        content = page.adjusted(0, 0, 0, -ink.mm(FOOTER_MM))
        pages = plan_pages(pack, ink, content)
        for number, draw in enumerate(pages, 1):
            if number > 1:
                writer.newPage()
            painter.save()
            draw(ink, content)
            painter.restore()
            _footer(ink, page, pack, number, len(pages))
    finally:
        painter.end()
        buffer.close()
    return bytes(array.data())


def save_atomically(data: bytes, path: Path) -> None:
    """Write to a temporary file in the target's folder, then move it onto the target."""
    replace_atomically(path, lambda tmp: tmp.write_bytes(data), open_in="a PDF reader")


def _footer(ink: Ink, page: QRectF, pack: BoardPack, number: int, total: int) -> None:
    p = ink.painter
    font = ink.font(9)
    h = ink.metrics(font).height()
    y = page.bottom() - h
    p.setPen(ink.pen(QColor(150, 150, 150), 0.5))
    p.drawLine(QLineF(page.left(), y - ink.mm(1.5), page.right(), y - ink.mm(1.5)))
    p.setFont(font)
    p.setPen(INK)
    who = f"{pack.organisation} · " if pack.organisation else ""
    p.drawText(QRectF(page.left(), y, page.width() * 0.8, h),
               int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
               f"{who}{pack.title} · {pack.date_text}")
    p.drawText(QRectF(page.left(), y, page.width(), h),
               int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
               f"Page {number} of {total}")


# ----- pages ------------------------------------------------------------------------------------
def plan_pages(pack: BoardPack, ink: Ink, content: QRectF) -> list[PageDraw]:
    """Every page in order, laid out (measured) before anything is drawn."""
    pages: list[PageDraw] = [lambda i, r: _cover(i, r, pack)]
    pages += _flowed(ink, content, _summary_blocks(pack), "Summary")
    pages += _flowed(ink, content, [heading("Key figures side by side"),
                                    *table_blocks(pack.kpi_table,
                                                  9.5 if len(pack.scenarios) <= 3 else 9.0,
                                                  1.1 if len(pack.scenarios) <= 3 else 0.8)],
                     "Key figures side by side")
    pages += _chart_pages(pack.charts)
    pages += _flowed(ink, content, _assumption_blocks(pack), "Assumptions")
    pages += _flowed(ink, content, _action_blocks(pack), "What each scenario does")
    quality: list[Block] = [heading("Data quality of the establishment"),
                            *(Text(line, size=11, after_mm=1.5) for line in pack.quality_lines)]
    if pack.quality is not None:
        quality += [Spacer(3), *table_blocks(pack.quality, 10)]
    pages += _flowed(ink, content, quality, "Data quality of the establishment")
    return pages


def _flowed(ink: Ink, content: QRectF, blocks: Sequence[Block], title: str) -> list[PageDraw]:
    placed = flow(ink, blocks, content, continued=title)
    return [_drawer(page) for page in placed]


def _drawer(page: Placed) -> PageDraw:
    return lambda ink, _rect: draw_placed(ink, page)


def _cover(ink: Ink, rect: QRectF, pack: BoardPack) -> None:
    blocks: list[Block] = [Spacer(22), Text(pack.title, size=28, bold=True, after_mm=4)]
    if pack.organisation:
        blocks.append(Text(pack.organisation, size=18, after_mm=3))
    blocks += [Text(pack.date_text, size=16, after_mm=12),
               Text("Scenarios compared" if len(pack.scenarios) > 1 else "Scenario",
                    size=13, bold=True, after_mm=2)]
    for i, s in enumerate(pack.scenarios):
        blocks.append(ScenarioHeading(s.label, i, size=14))
        blocks.append(Spacer(1.5))
    blocks.append(Spacer(8))
    blocks += [Text(line, size=11, after_mm=1.5) for line in pack.cover_lines]
    blocks.append(Text("Figures are model estimates from the scenarios' assumptions (listed "
                       "at the back). No personal data is included.", size=10, italic=True,
                       after_mm=0))
    x = rect.left() + ink.mm(8)
    y = rect.top()
    width = rect.width() - ink.mm(16)
    for block in blocks:
        h = block.height(ink, width)
        block.draw(ink, QRectF(x, y, width, h))
        y += h


def _in_columns(pack: BoardPack, column: Callable[[int], list[Block]]) -> list[Block]:
    """The scenarios side by side, three to a row."""
    n = len(pack.scenarios)
    per_row = 3 if n != 4 else 2
    return [Columns([column(i) for i in range(k, min(k + per_row, n))])
            for k in range(0, n, per_row)]


def _summary_blocks(pack: BoardPack) -> list[Block]:
    blocks: list[Block] = [heading("Summary")]
    if pack.lead:
        blocks += [Text("At a glance", size=12.5, bold=True, after_mm=1.5, keep_with_next=True),
                   Text(" ".join(pack.lead), size=11, after_mm=5)]

    size = {1: 12.0, 2: 11.0}.get(len(pack.scenarios), 10.0)  # narrower columns: smaller

    def column(i: int) -> list[Block]:
        s = pack.scenarios[i]
        return [ScenarioHeading(s.label, i, size=12.5), Spacer(1),
                *(Text(sentence, size=size, bullet="•", after_mm=1.6)
                  for sentence in s.sentences), Spacer(4)]
    return blocks + _in_columns(pack, column)


def _assumption_blocks(pack: BoardPack) -> list[Block]:
    blocks: list[Block] = [heading("Assumptions")]
    if pack.assumptions.rows:
        blocks.append(Text("Where the scenarios differ", size=12.5, bold=True, after_mm=2,
                           keep_with_next=True))
    blocks += table_blocks(pack.assumptions, 9.5, 1.0)
    if len(pack.scenarios) > 1:
        blocks += [Spacer(2), Text("The same in every scenario", size=12.5, bold=True,
                                   after_mm=2, keep_with_next=True)]
    blocks += table_blocks(pack.shared_assumptions, 9.0, 0.6)
    return blocks


def _action_blocks(pack: BoardPack) -> list[Block]:
    same_horizon = len({s.horizon for s in pack.scenarios}) == 1  # then it is on the cover

    def column(i: int) -> list[Block]:
        s = pack.scenarios[i]
        out: list[Block] = [ScenarioHeading(s.label, i, size=12.5), Spacer(1)]
        if s.description:
            out.append(Text(s.description, size=9.5, italic=True, after_mm=2))
        if not same_horizon:
            out.append(Text(f"Horizon: {s.horizon}", size=9.5, after_mm=2))
        for head, text in s.actions:
            out.append(LeadText(head + ":", text, size=9.5, after_mm=1.4))
        out.append(Spacer(4))
        return out
    return [heading("What each scenario does"), *_in_columns(pack, column)]


def _chart_pages(charts: Sequence[ChartSpec]) -> list[PageDraw]:
    """Capacity charts two a page (one legend under both); one chart a page otherwise."""
    pages: list[PageDraw] = []
    capacity = [c for c in charts if c.kind == "capacity_demand"]
    for k in range(0, len(capacity), 2):
        pages.append(_stacked(capacity[k:k + 2]))
    pages += [_stacked([c]) for c in charts if c.kind != "capacity_demand"]
    return pages


def _stacked(specs: Sequence[ChartSpec]) -> PageDraw:
    def draw(ink: Ink, rect: QRectF) -> None:
        gap = ink.mm(7)
        legend_h = ink.mm(16) if len(specs) > 1 else 0.0  # the shared legend and notes
        share = (rect.height() - gap * (len(specs) - 1) - legend_h) / len(specs)
        y = rect.top()
        for k, spec in enumerate(specs):
            last = k == len(specs) - 1
            h = share + (legend_h if last else 0.0)
            paint_chart(ink.painter, QRectF(rect.left(), y, rect.width(), h), spec, ink.dpi,
                        legend=last, notes=last)
            y += h + gap
    return draw


# ----- PNG files --------------------------------------------------------------------------------
def write_chart_pngs(pack: BoardPack, folder: str | Path,
                     size: tuple[int, int] = PNG_SIZE) -> list[Path]:
    """Each chart of the pack as a PNG (``01-capacity-and-demand-….png``) in ``folder``."""
    ensure_qt_app()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for i, spec in enumerate(pack.charts, 1):
        image = chart_image(spec, size)
        path = folder / f"{i:02d}-{spec.slug()}.png"
        tmp = path.with_name(f".{path.stem}.tmp.png")
        if not image.save(str(tmp)):  # the format from the name: .png
            tmp.unlink(missing_ok=True)
            raise PlannerError(f"Could not write the chart picture '{path.name}' in {folder}.")
        try:
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise PlannerError(f"Could not write '{path.name}': is it open in another "
                               "program? Close it and try again.") from exc
        written.append(path)
    return written


def chart_image(spec: ChartSpec, size: tuple[int, int] = PNG_SIZE) -> QImage:
    """One chart drawn on a white image of ``size`` pixels."""
    image = QImage(size[0], size[1], QImage.Format.Format_ARGB32)
    dots_per_metre = round(PNG_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.fill(QColor(255, 255, 255))
    painter = QPainter(image)
    try:
        margin = PNG_DPI * 6 / 25.4
        paint_chart(painter, QRectF(margin, margin, size[0] - 2 * margin, size[1] - 2 * margin),
                    spec, PNG_DPI)
    finally:
        painter.end()
    return image
