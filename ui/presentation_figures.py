"""The headline-figures slide: six big numbers with a plain label and a line of detail.

The figures are those of the dashboard (``Results.kpis()``), written with
:mod:`ui.formatting` as the dashboard writes them: FTE change against the
baseline, full-year saving, one-off costs, payback, red team-months and the
transition cover that would keep every team out of red.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QVBoxLayout, QWidget

from planner.chart_data import payback_text
from planner.months import month_label, parse_month
from planner.results import Results
from ui import formatting
from ui.presentation_slides import Slide, SlideContext, label
from ui.presentation_style import QUIET, SlideFonts, set_text_colour, sized

MINUS = "\u2212"


def signed_fte(value: float) -> str:
    """``-71.85`` → ``"−71.85 FTE"`` (a real minus sign; FTE as the dashboard writes it)."""
    text = formatting.fte(abs(value))
    sign = "" if text == formatting.fte(0) else ("+" if value > 0 else MINUS)
    return f"{sign}{text} FTE"


def kpi_texts(results: Results) -> list[tuple[str, str, str, str]]:
    """(key, plain label, figure, detail) of the six headline figures."""
    k = results.kpis()
    money = formatting.money
    if k["full_year"]:
        full = (money(k["full_year_saving"]), f"a year to the core budget, from {k['full_year']}")
    else:
        full = ("–", "no whole financial year in the horizon")
    if k["payback_month"]:
        payback = (month_label(parse_month(k["payback_month"])),
                   "when savings have repaid the one-off costs")
    else:
        payback = ("None", payback_text(results))
    teams = formatting.plural(int(k["teams_ever_red"]), "team")
    return [
        ("fte_change", "FTE change against the baseline", signed_fte(k["fte_change_vs_baseline"]),
         f"{formatting.fte(k['end_fte_in_post'])} FTE in post at the end, "
         f"{formatting.fte(k['baseline_end_fte_in_post'])} with no actions"),
        ("full_year_saving", "Full-year saving", *full),
        ("one_off_costs", "One-off costs", money(k["one_off_costs"]),
         f"redundancy {money(k['redundancy_cost'])}, pension strain "
         f"{money(k['pension_strain_estimate'])}"),
        ("payback", "Payback", *payback),
        ("red_team_months", "Red team-months", formatting.count(int(k["red_team_months"])),
         f"{teams} red at some point; {formatting.count(int(k['amber_team_months']))} "
         "amber team-months"),
        ("transition_cover", "Transition cover", money(k["transition_cover_cost"]),
         "temporary cover that would keep every team out of red"),
    ]


KPI_KEYS = ("fte_change", "full_year_saving", "one_off_costs", "payback", "red_team_months",
            "transition_cover")


class KpiTile(QFrame):
    """One headline figure: a plain label, the figure in large type, a line of detail.

    The figure is as large as the slide's ``big`` size allows, and smaller only when
    it would not otherwise fit the tile's width (a long sum on a narrow laptop)."""

    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.Box)
        self.caption = label(name="Measure")
        self.value = label(name="Figure", wrap=False)
        self.detail = label(name="Detail")
        self._big = 0.0
        set_text_colour(self.detail, QUIET)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        for widget in (self.caption, self.value, self.detail):
            layout.addWidget(widget)
        layout.addStretch(1)

    def show_figure(self, caption: str, value: str, detail: str) -> None:
        self.caption.setText(caption)
        self.value.setText(value)
        self.detail.setText(detail)
        self.value.setAccessibleName(caption)
        self.setAccessibleName(f"{caption}: {value}")
        self.setAccessibleDescription(detail)
        self._fit()

    def set_big(self, points: float) -> None:
        self._big = points
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        if self._big <= 0:
            return
        font = sized(self, self._big, bold=True)
        margins = self.layout().contentsMargins()
        room = self.contentsRect().width() - margins.left() - margins.right()
        wide = QFontMetricsF(font).horizontalAdvance(self.value.text())
        if room > 0 and wide > room:
            font.setPointSizeF(max(self._big * room / wide * 0.97, 1.0))
        self.value.setFont(font)


class KpiSlide(Slide):
    key = "kpis"
    COLUMNS = 3

    def __init__(self) -> None:
        super().__init__("Headline figures")
        page = QWidget()
        self.grid = QGridLayout(page)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.tiles: dict[str, KpiTile] = {}
        for i, key in enumerate(KPI_KEYS):
            tile = self.tiles[key] = KpiTile()
            self.grid.addWidget(tile, i // self.COLUMNS, i % self.COLUMNS)
        for c in range(self.COLUMNS):
            self.grid.setColumnStretch(c, 1)
        self.set_content(page)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        gap = round(fonts.body * 1.2)
        self.grid.setSpacing(gap)
        for tile in self.tiles.values():
            tile.caption.setFont(sized(self, fonts.body, bold=True))
            detail = sized(self, fonts.body)
            tile.detail.setFont(detail)
            # Room for two lines of detail in every tile, so the figures in a row line up.
            tile.detail.setMinimumHeight(round(2 * QFontMetricsF(detail).lineSpacing()) + 2)
            tile.detail.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            tile.layout().setContentsMargins(gap, gap, gap, gap)
            tile.layout().setSpacing(round(fonts.body * 0.5))
            tile.set_big(fonts.big)

    def draw(self, results: Results, context: SlideContext) -> None:
        texts = kpi_texts(results)
        self.set_heading(f"Headline figures: {results.scenario.name}",
                         f"{results.scenario.horizon.describe()}. Money in pounds; savings "
                         "against keeping today's establishment.")
        for key, caption, value, detail in texts:
            self.tiles[key].show_figure(caption, value, detail)

    def figure(self, key: str) -> str:
        """The figure shown for ``key`` (``"one_off_costs"``, …)."""
        return self.tiles[key].value.text()
