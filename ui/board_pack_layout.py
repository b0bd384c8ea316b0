"""Text and tables flowed onto board pack pages: headings, paragraphs, tables that break
across pages with their header row repeated.

Each block measures itself on the page's paint device (so what is measured is what is
drawn) and draws itself into a rectangle; :func:`flow` places blocks page by page,
keeping a heading with what follows it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QPalette,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)

from planner.board_pack import PackTable
from planner.board_pack_charts import SCENARIO_STYLES
from ui.board_pack_ink import INK, Ink, fill_hatched
from ui.chart_base import OKABE_ITO

HEADER_FILL = QColor(226, 232, 240)
STRIPE_FILL = QColor(244, 246, 249)
SECTION_FILL = QColor(234, 234, 234)
RULE = QColor(170, 170, 170)
WRAP = int(Qt.TextFlag.TextWordWrap)


class Block:
    """Something placed on a page."""

    keep_with_next = False

    def height(self, ink: Ink, width: float) -> float:
        raise NotImplementedError

    def draw(self, ink: Ink, rect: QRectF) -> None:
        raise NotImplementedError

    def split(self, ink: Ink, width: float, room: float) -> tuple[Block | None, Block | None]:
        """The part that fits in ``room`` and the rest (default: all or nothing)."""
        return (self, None) if self.height(ink, width) <= room else (None, self)


@dataclass
class Spacer(Block):
    mm: float

    def height(self, ink: Ink, width: float) -> float:
        return ink.mm(self.mm)

    def draw(self, ink: Ink, rect: QRectF) -> None:
        return None


@dataclass
class Text(Block):
    """A paragraph (word-wrapped), optionally bold/italic, indented or a heading."""

    text: str
    size: float = 11.0
    bold: bool = False
    italic: bool = False
    indent_mm: float = 0.0
    after_mm: float = 2.0
    keep_with_next: bool = False
    bullet: str = ""  # hangs in the indent; the text wraps under itself
    colour: QColor = field(default_factory=lambda: QColor(INK))

    def _font(self, ink: Ink) -> QFont:
        return ink.font(self.size, self.bold, self.italic)

    def _left(self, ink: Ink) -> float:
        return ink.mm(self.indent_mm + (3.5 if self.bullet else 0.0))

    def height(self, ink: Ink, width: float) -> float:
        inner = width - self._left(ink)
        return ink.text_height(self.text, self._font(ink), inner) + ink.mm(self.after_mm)

    def draw(self, ink: Ink, rect: QRectF) -> None:
        p = ink.painter
        p.setFont(self._font(ink))
        p.setPen(self.colour)
        if self.bullet:
            p.drawText(rect.adjusted(ink.mm(self.indent_mm), 0, 0, 0), 0, self.bullet)
        p.drawText(rect.adjusted(self._left(ink), 0, 0, 0), WRAP, self.text)


@dataclass
class LeadText(Block):
    """A paragraph that starts with a few words in bold (``"3. Remove 14 FTE:"`` …)."""

    lead: str
    text: str
    size: float = 10.0
    after_mm: float = 1.5

    def _document(self, ink: Ink, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(ink.painter.device())
        doc.setDocumentMargin(0)
        doc.setDefaultFont(ink.font(self.size))
        doc.setTextWidth(width)
        cursor = QTextCursor(doc)
        bold = QTextCharFormat()
        bold.setFont(ink.font(self.size, bold=True))
        plain = QTextCharFormat()
        plain.setFont(ink.font(self.size))
        cursor.insertText(self.lead, bold)
        cursor.insertText(" " + self.text, plain)
        return doc

    def height(self, ink: Ink, width: float) -> float:
        return self._document(ink, width).size().height() + ink.mm(self.after_mm)

    def draw(self, ink: Ink, rect: QRectF) -> None:
        p = ink.painter
        doc = self._document(ink, rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        context.palette.setColor(QPalette.ColorRole.Text, INK)
        p.save()
        p.translate(rect.topLeft())
        doc.documentLayout().draw(p, context)
        p.restore()


def heading(text: str, size: float = 18.0) -> Text:
    return Text(text, size=size, bold=True, after_mm=3.0, keep_with_next=True)


@dataclass
class ScenarioHeading(Block):
    """``A: Cut first, as planned`` after a swatch in the scenario's colour and hatch."""

    text: str
    style: int
    size: float = 13.0
    keep_with_next: bool = True

    def height(self, ink: Ink, width: float) -> float:
        return ink.text_height(self.text, ink.font(self.size, True), width - ink.mm(9)) + \
            ink.mm(1.5)

    def draw(self, ink: Ink, rect: QRectF) -> None:
        colour_name, _, hatch = SCENARIO_STYLES[self.style % len(SCENARIO_STYLES)]
        colour = QColor(OKABE_ITO[colour_name])
        line = ink.metrics(ink.font(self.size, True)).height()
        box = QRectF(rect.left(), rect.top() + line * 0.15, ink.mm(6), line * 0.7)
        fill_hatched(ink, box, colour, hatch)
        ink.painter.setPen(ink.pen(colour, 0.8))
        ink.painter.drawRect(box)
        ink.painter.setFont(ink.font(self.size, True))
        ink.painter.setPen(INK)
        ink.painter.drawText(rect.adjusted(ink.mm(9), 0, 0, 0), WRAP, self.text)


@dataclass
class Table(Block):
    """A :class:`PackTable` (or some of its rows), header row repeated on each page."""

    table: PackTable
    first: int = 0
    last: int | None = None
    size: float = 10.0
    pad_mm: float = 1.3

    def _rows(self) -> range:
        end = len(self.table.rows) if self.last is None else self.last
        return range(self.first, end)

    def _widths(self, ink: Ink, width: float) -> list[float]:
        weights = list(self.table.widths) or [1.0] * len(self.table.columns)
        total = sum(weights)
        return [width * w / total for w in weights]

    def _cell_h(self, ink: Ink, texts: Sequence[str], widths: Sequence[float],
                bold: Sequence[bool], section: bool = False) -> float:
        pad = ink.mm(self.pad_mm)
        if section:
            return ink.text_height(texts[0], ink.font(self.size, True),
                                   sum(widths) - 2 * pad) + 2 * pad
        return max(ink.text_height(t or " ", ink.font(self.size, b), w - 2 * pad)
                   for t, w, b in zip(texts, widths, bold, strict=True)) + 2 * pad

    def _row_heights(self, ink: Ink, width: float) -> tuple[float, list[float]]:
        widths = self._widths(ink, width)
        columns = self.table.columns
        head = self._cell_h(ink, columns, widths, [True] * len(columns))
        rows = []
        for r in self._rows():
            cells = self.table.rows[r]
            bold = [(r, c) in self.table.bold for c in range(len(cells))]
            rows.append(self._cell_h(ink, cells, widths, bold, r in self.table.sections))
        return head, rows

    def height(self, ink: Ink, width: float) -> float:
        head, rows = self._row_heights(ink, width)
        return head + sum(rows) + ink.mm(3)

    def split(self, ink: Ink, width: float, room: float) -> tuple[Block | None, Block | None]:
        if self.height(ink, width) <= room:
            return self, None
        head, rows = self._row_heights(ink, width)
        used, fit = head, 0
        for h in rows:
            if used + h > room - ink.mm(3):
                break
            used += h
            fit += 1
        if len(rows) - fit < 2 and fit > 2:  # never leave one row alone on the next page
            fit -= 1
        if fit < 2:  # fewer than two rows here: start on the next page
            return None, self
        cut = self.first + fit
        return (Table(self.table, self.first, cut, self.size, self.pad_mm),
                Table(self.table, cut, self.last, self.size, self.pad_mm))

    def draw(self, ink: Ink, rect: QRectF) -> None:
        p = ink.painter
        widths = self._widths(ink, rect.width())
        pad = ink.mm(self.pad_mm)
        head, heights = self._row_heights(ink, rect.width())
        y = rect.top()
        p.fillRect(QRectF(rect.left(), y, rect.width(), head), HEADER_FILL)
        self._cells(ink, self.table.columns, widths, rect.left(), y, head, pad,
                    lambda _c: True)
        y += head
        for k, (r, h) in enumerate(zip(self._rows(), heights, strict=True)):
            cells = self.table.rows[r]
            if r in self.table.sections:
                p.fillRect(QRectF(rect.left(), y, rect.width(), h), SECTION_FILL)
                p.setFont(ink.font(self.size, True))
                p.setPen(INK)
                p.drawText(QRectF(rect.left() + pad, y + pad, rect.width() - 2 * pad, h - pad),
                           WRAP, cells[0])
            else:
                if k % 2:
                    p.fillRect(QRectF(rect.left(), y, rect.width(), h), STRIPE_FILL)
                self._cells(ink, cells, widths, rect.left(), y, h, pad,
                            lambda c, r=r: (r, c) in self.table.bold)
            p.setPen(ink.pen(RULE, 0.4))
            p.drawLine(QLineF(rect.left(), y + h, rect.right(), y + h))
            y += h

    def _cells(self, ink: Ink, texts: Sequence[str], widths: Sequence[float], x: float,
               y: float, h: float, pad: float, bold: object) -> None:
        p = ink.painter
        p.setPen(INK)
        for c, (text, w) in enumerate(zip(texts, widths, strict=True)):
            p.setFont(ink.font(self.size, bool(bold(c))))  # type: ignore[operator]
            p.drawText(QRectF(x + pad, y + pad, w - 2 * pad, h - pad), WRAP, text)
            x += w


def table_blocks(table: PackTable, size: float = 10.0, pad_mm: float = 1.3) -> list[Block]:
    """A table and its notes (small print under it)."""
    blocks: list[Block] = [Table(table, size=size, pad_mm=pad_mm)] if table.rows else []
    blocks += [Text(note, size=9, after_mm=1.0) for note in table.notes]
    return blocks


@dataclass
class Columns(Block):
    """Blocks side by side in equal columns (scenarios compared at a glance)."""

    columns: list[list[Block]]
    gap_mm: float = 7.0

    def _width(self, ink: Ink, width: float) -> float:
        n = max(len(self.columns), 1)
        return (width - ink.mm(self.gap_mm) * (n - 1)) / n

    def _heights(self, ink: Ink, w: float) -> list[list[float]]:
        """Block heights per column; headings on top share the tallest one's height, so
        what follows them starts level across the columns."""
        heights = [[b.height(ink, w) for b in col] for col in self.columns]
        tops = [h[0] for col, h in zip(self.columns, heights, strict=True)
                if col and isinstance(col[0], ScenarioHeading)]
        for col, h in zip(self.columns, heights, strict=True):
            if col and isinstance(col[0], ScenarioHeading):
                h[0] = max(tops)
        return heights

    def height(self, ink: Ink, width: float) -> float:
        heights = self._heights(ink, self._width(ink, width))
        return max((sum(h) for h in heights), default=0.0)

    def split(self, ink: Ink, width: float, room: float) -> tuple[Block | None, Block | None]:
        """Each column cut where the room ends; what is left continues in the same column
        on the next page, under its heading marked "(continued)"."""
        if self.height(ink, width) <= room:
            return self, None
        w = self._width(ink, width)
        here: list[list[Block]] = []
        later: list[list[Block]] = []
        for col in self.columns:
            used, k = 0.0, 0
            while k < len(col) and used + col[k].height(ink, w) <= room:
                used += col[k].height(ink, w)
                k += 1
            while 0 < k < len(col) and col[k - 1].keep_with_next:
                k -= 1
            here.append(col[:k])
            rest = col[k:]
            if all(isinstance(b, Spacer) for b in rest):
                rest = []
            if rest and k and isinstance(col[0], ScenarioHeading):
                first = col[0]
                rest = [ScenarioHeading(f"{first.text} (continued)", first.style, first.size),
                        *rest]
            later.append(rest)
        if not any(len(c) > 1 for c in here):
            return None, self
        if not any(later):
            return Columns(here, self.gap_mm), None
        return Columns(here, self.gap_mm), Columns(later, self.gap_mm)

    def draw(self, ink: Ink, rect: QRectF) -> None:
        w = self._width(ink, rect.width())
        x = rect.left()
        for col, heights in zip(self.columns, self._heights(ink, w), strict=True):
            y = rect.top()
            for block, h in zip(col, heights, strict=True):
                block.draw(ink, QRectF(x, y, w, h))
                y += h
            x += w + ink.mm(self.gap_mm)


# ----- pages -------------------------------------------------------------------------------
Placed = list[tuple[Block, QRectF]]


def flow(ink: Ink, blocks: Sequence[Block], area: QRectF,
         continued: str | None = None) -> list[Placed]:
    """Blocks placed top to bottom, page after page. A page after the first starts with
    ``continued`` as a heading when given."""
    pages: list[Placed] = [[]]
    y = area.top()
    todo = list(blocks)
    width = area.width()
    while todo:
        block = todo.pop(0)
        room = area.bottom() - y
        need = block.height(ink, width)
        if block.keep_with_next and todo:
            nxt = todo[0]
            head, _rest = nxt.split(ink, width, room - need)
            if head is None and pages[-1]:
                pages.append([])
                y = _continue(ink, pages[-1], area, continued)
                room = area.bottom() - y
        whole = isinstance(block, Columns) and need <= area.height() * 0.85
        fits, rest = (block, None) if need <= room else \
            (None, block) if whole and pages[-1] else block.split(ink, width, room)
        if fits is None:
            if not pages[-1] or (continued and len(pages[-1]) == 1):
                # nothing else on this page: draw what we can rather than loop for ever
                fits, rest = block, None
            else:
                pages.append([])
                y = _continue(ink, pages[-1], area, continued)
                todo.insert(0, block)
                continue
        h = min(fits.height(ink, width), area.bottom() - y)
        pages[-1].append((fits, QRectF(area.left(), y, width, h)))
        y += h
        if rest is not None:
            pages.append([])
            y = _continue(ink, pages[-1], area, continued)
            todo.insert(0, rest)
    return [page for page in pages if page]


def _continue(ink: Ink, page: Placed, area: QRectF, continued: str | None) -> float:
    if not continued:
        return area.top()
    block = heading(f"{continued} (continued)")
    h = block.height(ink, area.width())
    page.append((block, QRectF(area.left(), area.top(), area.width(), h)))
    return area.top() + h


def draw_placed(ink: Ink, page: Placed) -> None:
    for block, rect in page:
        block.draw(ink, rect)
