"""Drawing units and primitives for the board pack: points and millimetres on any paint
device, fonts never below 9 pt (and without ligatures, so the PDF's text can be searched),
scenario colours with their dashes and hatches, hatched fills, outlined text, risk cells.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPen,
)

from planner.board_pack_charts import SCENARIO_STYLES, Marker, Series
from ui.chart_base import OKABE_ITO, RAG_COLOURS

INK = QColor(26, 26, 26)
GRID = QColor(200, 200, 200)
GREY = QColor(110, 110, 110)
GREEN_ALPHA = 95  # green cells are a tint, so amber and red stand out
DASH_STYLES = {"solid": Qt.PenStyle.SolidLine, "dash": Qt.PenStyle.DashLine,
               "dot": Qt.PenStyle.DotLine, "dashdot": Qt.PenStyle.DashDotLine,
               "dashdotdot": Qt.PenStyle.DashDotDotLine}
MARKER_DASH = {"go_live": "dash", "full_effect": "dot", "cut": "solid", "payback": "dash"}
MIN_PT = 9.0  # smallest text anywhere


def base_font() -> QFont:
    """The application's font (never a hard-coded family)."""
    app = QGuiApplication.instance()
    return QFont(QGuiApplication.font()) if app is not None else QFont()


@dataclass
class Ink:
    """Units for one paint device: points and millimetres to device pixels, fonts."""

    painter: QPainter
    dpi: float

    def pt(self, points: float) -> float:
        return points * self.dpi / 72.0

    def mm(self, millimetres: float) -> float:
        return millimetres * self.dpi / 25.4

    def font(self, size: float, bold: bool = False, italic: bool = False) -> QFont:
        font = base_font()
        font.setPixelSize(max(1, round(self.pt(max(size, MIN_PT)))))
        # No ligatures: "fi" stays two letters, so the PDF's text can be searched and copied.
        font.setFeature(QFont.Tag("liga"), 0)
        font.setBold(bold)
        font.setItalic(italic)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.painter.device())

    def text_height(self, text: str, font: QFont, width: float) -> float:
        self.painter.setFont(font)
        flags = int(Qt.TextFlag.TextWordWrap)
        return self.painter.boundingRect(QRectF(0, 0, width, 1e6), flags, text).height()

    def pen(self, colour: QColor, width_pt: float, dash: str = "solid") -> QPen:
        pen = QPen(colour, self.pt(width_pt))
        pen.setStyle(DASH_STYLES.get(dash, Qt.PenStyle.SolidLine))
        pen.setCapStyle(Qt.PenCapStyle.FlatCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        return pen


def colour_of(series: Series | Marker) -> QColor:
    style = getattr(series, "style", -1)
    if style >= 0:
        return QColor(OKABE_ITO[SCENARIO_STYLES[style % len(SCENARIO_STYLES)][0]])
    name = getattr(series, "colour", "ink")
    if name == "grey":
        return QColor(GREY)
    return QColor(OKABE_ITO.get(name, INK)) if name != "ink" else QColor(INK)


def dash_of(series: Series) -> str:
    return SCENARIO_STYLES[series.style % len(SCENARIO_STYLES)][1] if series.style >= 0 \
        else series.dash


def hatch_of(series: Series) -> str:
    if series.kind == "band":
        return "bdiag"
    return SCENARIO_STYLES[series.style % len(SCENARIO_STYLES)][2] if series.style >= 0 \
        else "solid"


def pale(colour: QColor, alpha: int = 70) -> QColor:
    return QColor(colour.red(), colour.green(), colour.blue(), alpha)


def fill_hatched(ink: Ink, shape: QRectF | QPainterPath, colour: QColor, hatch: str) -> None:
    """Fill with the colour (solid) or a pale tint crossed by lines 1.6 mm apart."""
    p = ink.painter
    path = shape if isinstance(shape, QPainterPath) else _rect_path(shape)
    p.save()
    p.setPen(Qt.PenStyle.NoPen)
    if hatch == "solid":
        p.fillPath(path, colour)
        p.restore()
        return
    p.fillPath(path, pale(colour, 55))
    p.setClipPath(path, Qt.ClipOperation.IntersectClip)
    box = path.boundingRect()
    p.setPen(ink.pen(colour, 0.8))
    step = ink.mm(1.8)
    span = box.width() + box.height()
    angles = {"bdiag": [1], "fdiag": [-1], "cross": [1, -1], "horizontal": [0]}.get(hatch, [1])
    for a in angles:
        k = 0.0
        while k <= span + step:
            if a == 0:
                y = box.top() + k
                if y > box.bottom():
                    break
                p.drawLine(QLineF(box.left(), y, box.right(), y))
            elif a > 0:  # rising to the right
                p.drawLine(QLineF(box.left() + k, box.bottom(), box.left() + k - box.height(),
                                  box.top()))
            else:
                p.drawLine(QLineF(box.left() + k - box.height(), box.bottom(), box.left() + k,
                                  box.top()))
            k += step
    p.restore()


def _rect_path(rect: QRectF) -> QPainterPath:
    path = QPainterPath()
    path.addRect(rect)
    return path


def elide(ink: Ink, text: str, font: QFont, width: float) -> str:
    return ink.metrics(font).elidedText(text, Qt.TextElideMode.ElideRight, max(width, 0.0))


def halo_text(ink: Ink, at: QPointF, text: str, font: QFont, colour: QColor) -> None:
    """Text with a thin white outline, readable over lines without hiding them."""
    p = ink.painter
    path = QPainterPath()
    path.addText(at, font, text)
    halo = QPen(QColor(255, 255, 255), ink.pt(2.4))
    halo.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    p.strokePath(path, halo)
    p.fillPath(path, colour)


def rag_cell(ink: Ink, letter: str, box: QRectF, font: QFont | None = None) -> None:
    p = ink.painter
    if letter in RAG_COLOURS:
        colour = QColor(RAG_COLOURS[letter])
        if letter == "G":
            colour.setAlpha(GREEN_ALPHA)
        p.fillRect(box, colour)
        p.setPen(INK)
        p.setFont(font or ink.font(9, bold=True))
        p.drawText(box, int(Qt.AlignmentFlag.AlignCenter), letter)
    else:
        p.fillRect(box, QColor(235, 235, 235))
