"""The risk slide: teams × months (or quarters) with a G, A or R letter in every cell.

The dashboard's heat map is a table of 41 teams × 60 months for reading cell by
cell; from the back of a room its letters would be specks. This slide paints
:func:`planner.presentation_kpis.presented_grid` instead: only the teams at risk,
and quarters (the worst month of each) when the horizon is over two years, so the
letters can be as large as the body text. Colours are the dashboard's
(:func:`ui.risk_heatmap.cell_colour`), and every cell carries its letter.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from planner.presentation_kpis import PresentedGrid, presented_grid
from planner.results import Results
from planner.scenario import RiskThresholds
from planner.service_view import RAG_CODES, risk_grid, risk_legend, risk_summary
from ui.presentation_slides import Slide, SlideContext, label
from ui.presentation_style import BACKGROUND, RULE, TEXT, SlideFonts, sized
from ui.risk_heatmap import TEXT_ON_COLOUR, cell_colour

RED_MONTHS = "Red months"


def opaque(colour: QColor, base: QColor = BACKGROUND) -> QColor:
    """A translucent cell colour as painted over the slide's ground."""
    a = colour.alphaF()
    return QColor.fromRgbF(*(a * getattr(colour, c)() + (1 - a) * getattr(base, c)()
                             for c in ("redF", "greenF", "blueF")))


class RiskGridView(QWidget):
    """Paints a :class:`PresentedGrid`: team names, financial years over months or
    quarters, a lettered cell per column, and each team's red months at the right."""

    def __init__(self) -> None:
        super().__init__()
        self.grid: PresentedGrid | None = None
        self._body = 14.0
        self._small = 12.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleName("Risk by team")

    def set_fonts(self, fonts: SlideFonts) -> None:
        self._body, self._small = fonts.body, fonts.tick
        self.update()

    def set_grid(self, grid: PresentedGrid | None) -> None:
        self.grid = grid
        self.setAccessibleName(f"Risk by team and {grid.unit}" if grid else "Risk by team")
        self.setAccessibleDescription(self.describe())
        self.update()

    def describe(self) -> str:
        """The grid in words, a team per line (what a screen reader reads)."""
        grid = self.grid
        if grid is None:
            return ""
        lines = []
        for team, row, red in zip(grid.teams, grid.codes, grid.red_months, strict=True):
            letters = " ".join(RAG_CODES[int(v)] for v in row)
            lines.append(f"{team}: red in {red} months; by {grid.unit}: {letters}")
        return "\n".join(lines)

    # ----- painting ------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        grid = self.grid
        if grid is None or not grid.teams:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        body = sized(self, self._body)
        bold = sized(self, self._body, bold=True)
        small = sized(self, self._small)
        line = QFontMetricsF(body).height()
        pad = line * 0.4
        width, height = float(self.width()), float(self.height())
        names = max(QFontMetricsF(body).horizontalAdvance(t) for t in grid.teams) + 2 * pad
        names = min(names, width * 0.3)
        red_w = QFontMetricsF(small).horizontalAdvance(RED_MONTHS) + 2 * pad
        head = 2 * QFontMetricsF(small).height() + pad
        columns = len(grid.columns)
        cell_w = (width - names - red_w) / max(columns, 1)
        cell_h = min((height - head) / len(grid.teams), line * 1.8)
        left, top = names, head

        painter.setFont(small)
        painter.setPen(TEXT)
        x = left
        small_h = QFontMetricsF(small).height()
        for year, span in grid.years:  # financial years over their columns
            painter.drawText(QRectF(x, 0, span * cell_w, small_h),
                             Qt.AlignmentFlag.AlignCenter, year)
            x += span * cell_w
        for c, text in enumerate(grid.columns):
            painter.drawText(QRectF(left + c * cell_w, small_h, cell_w, small_h),
                             Qt.AlignmentFlag.AlignCenter, text)
        painter.drawText(QRectF(left + columns * cell_w, small_h, red_w, small_h),
                         Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                         RED_MONTHS)

        fills = {code: opaque(cell_colour(code)) for code in RAG_CODES}
        for r, team in enumerate(grid.teams):
            y = top + r * cell_h
            painter.setFont(body)
            painter.setPen(TEXT)
            shown = QFontMetricsF(body).elidedText(team, Qt.TextElideMode.ElideRight,
                                                   names - 2 * pad)
            painter.drawText(QRectF(0, y, names - pad, cell_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, shown)
            painter.setFont(bold)
            for c in range(columns):
                code = RAG_CODES[int(grid.codes[r, c])]
                cell = QRectF(left + c * cell_w, y, cell_w, cell_h).adjusted(1, 1, -1, -1)
                painter.fillRect(cell, fills[code])
                painter.setPen(TEXT if code == "G" else TEXT_ON_COLOUR)
                painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, code)
            painter.setFont(body)
            painter.setPen(TEXT)
            painter.drawText(QRectF(left + columns * cell_w, y, red_w, cell_h),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             f"{grid.red_months[r]:,}")
        # A rule between financial years, so the quarters read as years.
        painter.setPen(QPen(RULE, 2))
        x = left
        bottom = top + len(grid.teams) * cell_h
        for _year, span in grid.years[:-1]:
            x += span * cell_w
            painter.drawLine(int(x), 0, int(x), int(bottom))
        painter.end()


def key_html(limits: RiskThresholds) -> str:
    """The key: each letter on its colour, then what it means."""
    parts = []
    for code, text in risk_legend(limits):
        colour = opaque(cell_colour(code))
        parts.append(f'<span style="background-color: {colour.name()}; color: #000000;">'
                     f"&nbsp;<b>{code}</b>&nbsp;</span>&nbsp;{text}")
    return "<br>".join(parts)


class RiskSlide(Slide):
    key = "risk"

    def __init__(self) -> None:
        super().__init__("Risk by team")
        page = QWidget()
        column = self.column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.view = RiskGridView()
        self.key_label = label(name="Key to the risk letters")
        self.key_label.setTextFormat(Qt.TextFormat.RichText)
        column.addWidget(self.view, 1)
        column.addWidget(self.key_label)
        self.set_content(page)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        self.view.set_fonts(fonts)
        self.column.setSpacing(round(fonts.body * 0.8))
        self.key_label.setFont(sized(self, fonts.tick))

    def draw(self, results: Results, context: SlideContext) -> None:
        grid = risk_grid(results.service())
        shown = presented_grid(grid)
        self.view.set_grid(shown)
        self.key_label.setText(key_html(results.scenario.targets.risk))
        summary = risk_summary(grid)
        self.set_heading(f"Risk by team and {shown.unit}",
                         f"{summary}. {shown.note()}".strip())
