"""Board pack charts painted with QPainter: vector in the PDF, sharp in a PNG.

:func:`paint_chart` draws a :class:`planner.board_pack_charts.ChartSpec` into any rectangle
of any paint device (a PDF page, a QImage). Sizes are in points and millimetres,
turned into device pixels with the device's resolution, so the chart reads the same
at any size: text is never below 9 pt. Colours are Okabe–Ito; every scenario also has
its own dash (lines) and hatch (bars), the shortfall is hatched as well as tinted, and
risk cells carry their letter, so nothing is told by colour alone, even in grey print.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QPainter,
    QPainterPath,
    QPolygonF,
)

from planner.board_pack_charts import ChartSpec, Marker, Series, nice_ticks, tick_text
from ui.board_pack_ink import (
    GRID,
    INK,
    MARKER_DASH,
    Ink,
    colour_of,
    dash_of,
    elide,
    fill_hatched,
    halo_text,
    hatch_of,
    rag_cell,
)
from ui.chart_base import OKABE_ITO


# ----- the frame: title, legend, notes ---------------------------------------------------------
def paint_chart(painter: QPainter, rect: QRectF, spec: ChartSpec, dpi: float, *,
                legend: bool = True, notes: bool = True) -> None:
    """Draw ``spec`` inside ``rect`` (device pixels) of a painter whose device has ``dpi``.

    ``legend`` and ``notes`` off leave them out (a page that stacks two charts of the
    same kind shows them once, under the second)."""
    ink = Ink(painter, dpi)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
    top = rect.top()
    for text, font in ((spec.title, ink.font(13, bold=True)), (spec.subtitle, ink.font(10))):
        if not text:
            continue
        h = ink.text_height(text, font, rect.width())
        painter.setFont(font)
        painter.setPen(INK)
        painter.drawText(QRectF(rect.left(), top, rect.width(), h),
                         int(Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft), text)
        top += h + ink.mm(0.8)
    body = QRectF(rect.left(), top + ink.mm(1.2), rect.width(), rect.bottom() - top - ink.mm(1.2))
    note_font = ink.font(9)
    note_text = "\n".join(spec.notes) if notes else ""
    notes_h = ink.text_height(note_text, note_font, body.width()) if note_text else 0.0
    entries = _legend_entries(spec) if legend else []
    legend_h = _legend(ink, entries, QRectF(body.left(), 0, body.width(), 0), measure=True)
    gap = ink.mm(2)
    room = body.height() - legend_h - notes_h - (gap if entries else 0) - \
        (gap if note_text else 0)
    if spec.kind == "risk_heatmap":  # as tall as its rows need, the key right under it
        room = min(room, _heat_head(ink) + max(len(spec.rows), 2) * ink.mm(HEAT_ROW_MM))
    plot_area = QRectF(body.left(), body.top(), body.width(), room)
    legend_rect = QRectF(body.left(), plot_area.bottom() + gap, body.width(), legend_h)
    body.setBottom(legend_rect.bottom() + (gap if note_text else 0) + notes_h)
    if spec.kind == "risk_heatmap":
        _heatmap(ink, plot_area, spec)
    else:
        _cartesian(ink, plot_area, spec)
    if entries:
        _legend(ink, entries, legend_rect)
    if note_text:
        painter.setFont(note_font)
        painter.setPen(INK)
        painter.drawText(QRectF(body.left(), body.bottom() - notes_h, body.width(), notes_h),
                         int(Qt.TextFlag.TextWordWrap), note_text)
    painter.restore()


Entry = tuple[str, str, object]  # (kind: line/box/target/rag, text, what to draw)


def _legend_entries(spec: ChartSpec) -> list[Entry]:
    if spec.kind == "risk_heatmap":
        return [("rag", f"{letter} = {meaning}", letter) for letter, meaning in spec.key]
    out: list[Entry] = []
    for s in spec.series:
        if not s.legend:
            continue
        kind = {"line": "line", "target": "target"}.get(s.kind, "box")
        out.append((kind, s.name, s))
    return out


def _legend(ink: Ink, entries: Sequence[Entry], rect: QRectF, measure: bool = False) -> float:
    """Entries flowing left to right in rows; returns the height used."""
    if not entries:
        return 0.0
    font = ink.font(10)
    fm = ink.metrics(font)
    row_h = max(fm.height(), ink.mm(4.2)) * 1.25
    swatch, pad, gap = ink.mm(9), ink.mm(1.5), ink.mm(6)
    x, y = rect.left(), rect.top()
    p = ink.painter
    if not measure:
        p.setFont(font)
    for kind, text, item in entries:
        width = swatch + pad + fm.horizontalAdvance(text)
        if width > rect.width() - swatch:
            text = elide(ink, text, font, rect.width() - 2 * swatch - pad)
            width = swatch + pad + fm.horizontalAdvance(text)
        if x > rect.left() and x + width > rect.right():
            x, y = rect.left(), y + row_h
        if not measure:
            box = QRectF(x, y + row_h * 0.2, swatch, row_h * 0.6)
            _swatch(ink, kind, item, box)
            p.setFont(font)
            p.setPen(INK)
            p.drawText(QRectF(x + swatch + pad, y, width, row_h),
                       int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)
        x += width + gap
    return y + row_h - rect.top()


def _swatch(ink: Ink, kind: str, item: object, box: QRectF) -> None:
    p = ink.painter
    if kind == "rag":
        rag_cell(ink, str(item), box.adjusted(box.width() * 0.25, -box.height() * 0.25,
                                               -box.width() * 0.25, box.height() * 0.25))
        return
    assert isinstance(item, Series)
    colour = colour_of(item)
    mid = box.center().y()
    if kind == "line":
        p.setPen(ink.pen(colour, max(item.width, 1.5), dash_of(item)))
        p.drawLine(QLineF(box.left(), mid, box.right(), mid))
    elif kind == "target":
        _target_mark(ink, box.left(), box.right(), mid, colour)
    else:
        fill_hatched(ink, box, colour, hatch_of(item))
        p.setPen(ink.pen(colour, 0.8))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(box)


def _target_mark(ink: Ink, x0: float, x1: float, y: float, colour: QColor) -> None:
    p = ink.painter
    p.setPen(ink.pen(colour, 2.6))
    p.drawLine(QLineF(x0, y, x1, y))
    r = ink.pt(3.2)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(colour)
    mid = (x0 + x1) / 2
    p.drawPolygon(QPolygonF([QPointF(mid, y - r), QPointF(mid + r, y), QPointF(mid, y + r),
                             QPointF(mid - r, y)]))


# ----- x/y charts ------------------------------------------------------------------------------
@dataclass
class _Axes:
    plot: QRectF
    x0: float
    x1: float
    y0: float
    y1: float

    def x(self, value: float) -> float:
        return self.plot.left() + (value - self.x0) / (self.x1 - self.x0) * self.plot.width()

    def y(self, value: float) -> float:
        return self.plot.bottom() - (value - self.y0) / (self.y1 - self.y0) * self.plot.height()


def _data_range(spec: ChartSpec) -> tuple[float, float]:
    if spec.y_range is not None:
        return spec.y_range
    values: list[float] = []
    for s in spec.series:
        values += [v for v in s.values if math.isfinite(v)]
        if s.lower is not None:
            values += [v for v in s.lower if math.isfinite(v)]
    values.append(0.0)  # value axes start at zero (the bridge sets its own range)
    if not values:
        return 0.0, 1.0
    lo, hi = min(values), max(values)
    span = hi - lo or max(abs(hi), 1.0)
    lo = lo - 0.04 * span if lo != 0 else 0.0
    bars = [s for s in spec.series if s.kind in ("bar", "floating") and s.labels]
    room = 0.08 if not bars else 0.1 + 0.03 * len(bars)  # value labels above the bars
    return lo, hi + room * span


def _cartesian(ink: Ink, area: QRectF, spec: ChartSpec) -> None:
    p = ink.painter
    lo, hi = _data_range(spec)
    ticks = nice_ticks(lo, hi, 7)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    if spec.y_range is None and ticks:
        lo, hi = min(lo, ticks[0]), max(hi, ticks[-1])
    tick_font, label_font = ink.font(9.5), ink.font(10.5, bold=True)
    fm = ink.metrics(tick_font)
    texts = [tick_text(t, spec.y_format, step) for t in ticks]
    left = max((fm.horizontalAdvance(t) for t in texts), default=0) + ink.mm(2)
    label_h = ink.metrics(label_font).height()
    n = len(spec.categories)
    tick_lines = _x_tick_lines(ink, spec, area.width() - left - label_h * 1.4, tick_font)
    bottom_h = tick_lines * fm.height() + ink.mm(1.5) + label_h * 1.2
    end_font = ink.font(9.5, bold=True)
    ends = [t for s in spec.series if s.kind == "line" for t in s.labels if t]
    right = max((ink.metrics(end_font).horizontalAdvance(t) for t in ends), default=0.0)
    right = right + ink.mm(2.5) if ends else ink.mm(2)
    plot = QRectF(area.left() + label_h * 1.4 + left, area.top() + ink.mm(1),
                  area.width() - label_h * 1.4 - left - right,
                  area.height() - bottom_h - ink.mm(1))
    if plot.height() <= ink.mm(10) or plot.width() <= ink.mm(20):
        return
    ax = _Axes(plot, -0.5, n - 0.5, lo, hi)
    # grid and value axis
    p.setFont(tick_font)
    for value, text in zip(ticks, texts, strict=True):
        y = ax.y(value)
        if not plot.top() - 1 <= y <= plot.bottom() + 1:
            continue
        p.setPen(ink.pen(GRID, 0.5))
        p.drawLine(QLineF(plot.left(), y, plot.right(), y))
        p.setPen(INK)
        p.drawText(QRectF(plot.left() - left, y - fm.height() / 2, left - ink.mm(1.5),
                          fm.height()), int(Qt.AlignmentFlag.AlignRight
                                            | Qt.AlignmentFlag.AlignVCenter), text)
    p.save()
    p.setFont(label_font)
    p.setPen(INK)
    p.translate(area.left(), plot.center().y())
    p.rotate(-90)
    p.drawText(QRectF(-plot.height() / 2, 0, plot.height(), label_h),
               int(Qt.AlignmentFlag.AlignCenter), elide(ink, spec.y_label, label_font,
                                                        plot.height()))
    p.restore()
    p.save()
    p.setClipRect(plot.adjusted(-1, -1, 1, 1))
    for s in spec.series:
        if s.kind == "band":
            _band(ink, ax, s)
    labels = _bars(ink, ax, spec)
    for s in spec.series:
        if s.kind == "line":
            _line(ink, ax, s)
    if lo < 0 < hi:
        p.setPen(ink.pen(INK, 1.0))
        p.drawLine(QLineF(plot.left(), ax.y(0), plot.right(), ax.y(0)))
    _targets(ink, ax, spec)
    p.restore()
    _bar_labels(ink, labels)
    _markers(ink, ax, spec.markers)
    _line_labels(ink, ax, spec)
    p.setPen(ink.pen(INK, 1.0))
    p.drawLine(QLineF(plot.bottomLeft(), plot.bottomRight()))
    p.drawLine(QLineF(plot.bottomLeft(), plot.topLeft()))
    _x_axis(ink, ax, spec, tick_font, label_font)


def _x_tick_lines(ink: Ink, spec: ChartSpec, width: float, font: QFont) -> int:
    """How many text lines the category labels need (wrapped to their slot)."""
    if spec.x_ticks or not spec.categories:
        return 1
    slot = width / len(spec.categories)
    return max(_wrap_lines(ink, text, font, slot * 0.95) for text in spec.categories)


def _wrap_lines(ink: Ink, text: str, font: QFont, width: float) -> int:
    return max(1, round(ink.text_height(text, font, width) / ink.metrics(font).height()))


def _x_axis(ink: Ink, ax: _Axes, spec: ChartSpec, font: QFont, label_font: QFont) -> None:
    p = ink.painter
    p.setFont(font)
    p.setPen(INK)
    fm = ink.metrics(font)
    plot = ax.plot
    ticks = spec.x_ticks or tuple(range(len(spec.categories)))
    slot = plot.width() / max(len(spec.categories), 1)
    lines = _x_tick_lines(ink, spec, plot.width(), font)
    for i in ticks:
        x = ax.x(i)
        p.setPen(ink.pen(INK, 0.8))
        p.drawLine(QLineF(x, plot.bottom(), x, plot.bottom() + ink.mm(1)))
        p.setPen(INK)
        text = spec.categories[i]
        width = fm.horizontalAdvance(text) + ink.mm(1) if spec.x_ticks else slot * 0.95
        box = QRectF(x - width / 2, plot.bottom() + ink.mm(1.2), width, fm.height() * lines)
        if box.right() > plot.right() + ink.mm(6):
            box.moveRight(plot.right() + ink.mm(6))
        p.drawText(box, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                            | Qt.TextFlag.TextWordWrap), text)
    p.setFont(label_font)
    y = plot.bottom() + ink.mm(1.5) + fm.height() * lines
    p.drawText(QRectF(plot.left(), y, plot.width(), ink.metrics(label_font).height() * 1.2),
               int(Qt.AlignmentFlag.AlignCenter), spec.x_label)


def _xs(s: Series) -> list[float]:
    return list(s.x) if s.x is not None else [float(i) for i in range(len(s.values))]


def _line(ink: Ink, ax: _Axes, s: Series) -> None:
    path, drawing = QPainterPath(), False
    for x, y in zip(_xs(s), s.values, strict=True):
        if not math.isfinite(y):
            drawing = False
            continue
        point = QPointF(ax.x(x), ax.y(y))
        if drawing:
            path.lineTo(point)
        else:
            path.moveTo(point)
            drawing = True
    ink.painter.setPen(ink.pen(colour_of(s), s.width, dash_of(s)))
    ink.painter.setBrush(Qt.BrushStyle.NoBrush)
    ink.painter.drawPath(path)


def _line_labels(ink: Ink, ax: _Axes, spec: ChartSpec) -> None:
    """A line's labelled points (the cumulative chart's end values) written just right of
    the point, in the margin kept for them, moved apart vertically so none overlap."""
    p = ink.painter
    font = ink.font(9.5, bold=True)
    fm = ink.metrics(font)
    placed: list[tuple[float, float, str, QColor]] = []
    for s in spec.series:
        if s.kind != "line":
            continue
        for x, y, text in zip(_xs(s), s.values, s.labels, strict=False):
            if text and math.isfinite(y):
                placed.append((ax.x(x), ax.y(y), text, colour_of(s)))
    placed.sort(key=lambda t: t[1])
    last = -math.inf
    h = fm.height()
    p.setFont(font)
    for x, y, text, colour in placed:
        y = max(y, last + h)
        last = y
        box = QRectF(x + ink.mm(1.2), y - h / 2, fm.horizontalAdvance(text) + ink.mm(1), h)
        p.setPen(colour.darker(140))
        p.drawText(box, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


def _band(ink: Ink, ax: _Axes, s: Series) -> None:
    assert s.lower is not None
    xs = _xs(s)
    path = QPainterPath()
    upper = [QPointF(ax.x(x), ax.y(y)) for x, y in zip(xs, s.values, strict=True)]
    lower = [QPointF(ax.x(x), ax.y(y)) for x, y in zip(xs, s.lower, strict=True)]
    if not upper:
        return
    path.addPolygon(QPolygonF(upper + lower[::-1]))
    path.closeSubpath()
    fill_hatched(ink, path, colour_of(s), "bdiag")


def _bar_slots(spec: ChartSpec) -> tuple[list[Series], float]:
    bars = [s for s in spec.series if s.kind in ("bar", "floating")]
    return bars, 0.8 / max(len(bars), 1)


Label = tuple[QRectF, str, bool]  # (bar, text, written level above it: else rotated)


def _bars(ink: Ink, ax: _Axes, spec: ChartSpec) -> list[Label]:
    """Draw the bars; return their value labels (drawn last, over the target lines)."""
    p = ink.painter
    bars, width = _bar_slots(spec)
    font = ink.font(9)
    fm = ink.metrics(font)
    labels: list[Label] = []
    for k, s in enumerate(bars):
        colour = colour_of(s)
        for i, top in enumerate(s.values):
            base = s.lower[i] if s.lower is not None else 0.0
            if not (math.isfinite(top) and math.isfinite(base)):
                continue
            left = ax.x(i - 0.4 + k * width)
            right = ax.x(i - 0.4 + (k + 1) * width) - ink.mm(0.4)
            y_top, y_base = ax.y(max(top, base)), ax.y(min(top, base))
            box = QRectF(left, y_top, right - left, max(y_base - y_top, ink.pt(0.8)))
            fill_hatched(ink, box, colour, hatch_of(s))
            p.setPen(ink.pen(colour.darker(115), 0.9))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(box)
            if i < len(s.labels) and s.labels[i]:
                text = s.labels[i]
                tw = fm.horizontalAdvance(text)
                fits = tw <= box.width() - ink.mm(0.4)
                up = top >= base or s.kind == "floating"
                labels.append((box, text, fits and up))
                if not up:
                    labels[-1] = (box, text, False)
    return labels


def _bar_labels(ink: Ink, labels: Sequence[Label]) -> None:
    p = ink.painter
    font = ink.font(9)
    fm = ink.metrics(font)
    for box, text, above in labels:
        tw = fm.horizontalAdvance(text)
        if above:
            halo_text(ink, QPointF(box.center().x() - tw / 2, box.top() - fm.descent()
                                    - ink.mm(0.6)), text, font, QColor(INK))
        else:  # rotated, reading upwards, above the bar (or below a negative one)
            p.save()
            p.translate(box.center().x() + (fm.ascent() - fm.descent()) / 2,
                        box.top() - ink.mm(1))
            p.rotate(-90)
            halo_text(ink, QPointF(0, 0), text, font, QColor(INK))
            p.restore()


def _targets(ink: Ink, ax: _Axes, spec: ChartSpec) -> None:
    bars, width = _bar_slots(spec)
    for s in spec.series:
        if s.kind != "target":
            continue
        colour = colour_of(s) if s.style >= 0 else QColor(INK)
        for i, value in enumerate(s.values):
            if not math.isfinite(value):
                continue
            if s.style >= 0 and bars:
                k = next((j for j, b in enumerate(bars) if b.style == s.style), 0)
                x0, x1 = i - 0.4 + k * width, i - 0.4 + (k + 1) * width
            else:
                x0, x1 = i - 0.45, i + 0.45
            _target_mark(ink, ax.x(x0), ax.x(x1), ax.y(value), colour)


def _markers(ink: Ink, ax: _Axes, markers: Sequence[Marker]) -> None:
    """Vertical lines with their label reading upwards, hanging from the top of the plot."""
    p = ink.painter
    font = ink.font(9)
    fm = ink.metrics(font)
    plot = ax.plot
    for m in markers:
        if not ax.x0 <= m.x <= ax.x1:
            continue
        x = ax.x(m.x)
        colour = colour_of(m) if m.style >= 0 else QColor(INK)
        if m.kind == "cut":  # a cut: a solid vermillion line, its label in the text colour
            p.setPen(ink.pen(QColor(OKABE_ITO["vermillion"]), 1.6))
        else:
            p.setPen(ink.pen(colour, 1.3, MARKER_DASH.get(m.kind, "dash")))
        p.drawLine(QLineF(x, plot.top(), x, plot.bottom()))
        text = elide(ink, m.label, font, plot.height() - ink.mm(3))
        tw = fm.horizontalAdvance(text)
        p.save()
        p.translate(x, plot.top() + ink.mm(1.5))
        p.rotate(-90)
        halo_text(ink, QPointF(-tw, ink.mm(0.8) + fm.ascent()), text, font,
                   colour.darker(130) if m.style >= 0 else QColor(INK))
        p.restore()


# ----- the risk heat map ---------------------------------------------------------------------
HEAT_ROW_MM = 8.0  # tallest row of a heat map (few teams: big, easy cells)


def _heat_head(ink: Ink) -> float:
    return ink.metrics(ink.font(9.5)).height() * 2.4


def _heatmap(ink: Ink, area: QRectF, spec: ChartSpec) -> None:
    p = ink.painter
    font = ink.font(9.5)
    fm = ink.metrics(font)
    if not spec.rows:
        p.setFont(ink.font(11))
        p.setPen(INK)
        p.drawText(area, int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                   "Every team is green in every month.")
        return
    name_w = min(max(fm.horizontalAdvance(t) for t in spec.rows) + ink.mm(2), area.width() * 0.3)
    n = len(spec.categories)
    cell_w = (area.width() - name_w) / max(n, 1)
    head_h = _heat_head(ink)
    row_h = min((area.height() - head_h) / len(spec.rows), ink.mm(HEAT_ROW_MM))
    x0, y0 = area.left() + name_w, area.top()
    p.setFont(font)
    p.setPen(INK)
    for year, first, count in spec.spans:  # financial years over the months
        box = QRectF(x0 + first * cell_w, y0, count * cell_w, fm.height() * 1.2)
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), elide(ink, year, font, box.width()))
    initial_font = ink.font(9)
    p.setFont(initial_font)
    for c, label in enumerate(spec.categories):
        box = QRectF(x0 + c * cell_w, y0 + fm.height() * 1.2, cell_w, fm.height() * 1.1)
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), label[:1])
    top = y0 + head_h
    cell_font = ink.font(min(11.0, row_h / ink.pt(1) * 0.6, cell_w / ink.pt(1) * 0.95),
                         bold=True)
    for r, (team, letters) in enumerate(zip(spec.rows, spec.cells, strict=True)):
        y = top + r * row_h
        p.setFont(font)
        p.setPen(INK)
        p.drawText(QRectF(area.left(), y, name_w - ink.mm(1.5), row_h),
                   int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                   elide(ink, team, font, name_w - ink.mm(1.5)))
        for c, letter in enumerate(letters):
            rag_cell(ink, letter, QRectF(x0 + c * cell_w, y, cell_w, row_h), cell_font)
    bottom = top + len(spec.rows) * row_h
    p.setPen(ink.pen(QColor(255, 255, 255), 0.6))  # thin white cell borders
    for c in range(n + 1):
        x = x0 + c * cell_w
        p.drawLine(QLineF(x, top, x, bottom))
    for r in range(len(spec.rows) + 1):
        p.drawLine(QLineF(x0, top + r * row_h, x0 + n * cell_w, top + r * row_h))
    p.setPen(ink.pen(INK, 1.2))  # financial-year boundaries
    for _, first, _count in spec.spans:
        x = x0 + first * cell_w
        p.drawLine(QLineF(x, y0 + fm.height() * 1.2, x, bottom))
    p.drawLine(QLineF(x0 + n * cell_w, y0 + fm.height() * 1.2, x0 + n * cell_w, bottom))
