"""The slides of presentation mode: one chart or panel each, a heading and a sentence.

Every slide is a :class:`Slide`: a heading (the chart's own title, large), one or
two sentences under it, and its content; while the shown scenario's results are
being worked out the content gives way to "Calculating…". Here: the base class,
the title slide and the chart slides, which draw the dashboard's own charts
(:mod:`ui.presentation_charts`); the headline figures, the risk grid and the
comparison have modules of their own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QLabel, QStackedWidget, QVBoxLayout, QWidget

from planner.presentation_kpis import (
    bridge_sentence,
    capacity_team,
    cumulative_sentence,
    savings_sentence,
)
from planner.results import Results
from planner.scenario import Scenario
from planner.service_view import risk_grid, team_series
from ui.chart_base import OKABE_ITO
from ui.presentation_charts import (
    SlideBridgeChart,
    SlideCapacityChart,
    SlideCumulativeChart,
    SlideSavingsChart,
)
from ui.presentation_style import QUIET, SlideFonts, set_text_colour, sized
from ui.project_model import ProjectModel

CALCULATING = "Calculating…"
NO_SCENARIO = "There is no scenario to present: add one in the main window."


@dataclass(frozen=True)
class SlideContext:
    """What a slide is drawn from: the project and the scenario shown."""

    model: ProjectModel
    index: int
    organisation: str = ""
    made_on: dt.date | None = None

    @property
    def scenario(self) -> Scenario | None:
        return self.model.scenario(self.index)

    @property
    def results(self) -> Results | None:
        return self.model.results(self.index)

    def waiting_text(self) -> str:
        """Why there is nothing to draw yet."""
        scenario = self.scenario
        if scenario is None:
            return NO_SCENARIO
        error = self.model.result_error(self.index)
        if error:
            return f"The results of “{scenario.name}” could not be worked out: {error}"
        return CALCULATING


def label(text: str = "", name: str = "", wrap: bool = True) -> QLabel:
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if name:
        widget.setAccessibleName(name)
    return widget


class Slide(QWidget):
    """A heading, a sentence, and the content (or "Calculating…" in its place)."""

    key = ""

    def __init__(self, heading: str = "") -> None:
        super().__init__()
        self.fonts: SlideFonts | None = None
        self.heading = label(heading, "Slide heading")
        self.subtitle = label(name="What the slide shows")
        self.message = label(CALCULATING, "Slide status")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body = QStackedWidget()
        self.body.addWidget(self.message)
        self.content: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.body, 1)
        self.setAccessibleName(heading)

    def set_content(self, widget: QWidget) -> None:
        self.content = widget
        self.body.addWidget(widget)

    def set_heading(self, text: str, sentence: str = "") -> None:
        self.heading.setText(text)
        self.subtitle.setText(sentence)
        self.subtitle.setVisible(bool(sentence))
        self.setAccessibleName(text)
        self.setAccessibleDescription(sentence)

    def set_fonts(self, fonts: SlideFonts) -> None:
        self.fonts = fonts
        self.heading.setFont(sized(self, fonts.heading, bold=True))
        self.subtitle.setFont(sized(self, fonts.body))
        self.message.setFont(sized(self, fonts.heading))
        self.layout().setSpacing(round(fonts.body * 0.6))
        self.apply_fonts(fonts)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        """Content fonts (override)."""

    def showing_message(self) -> bool:
        return self.body.currentWidget() is self.message

    def refresh(self, context: SlideContext) -> None:
        results = context.results
        if results is None:
            self.message.setText(context.waiting_text())
            self.body.setCurrentWidget(self.message)
            return
        self.draw(results, context)
        if self.content is not None:
            self.body.setCurrentWidget(self.content)

    def draw(self, results: Results, context: SlideContext) -> None:
        raise NotImplementedError


# ----- title -------------------------------------------------------------------------------
class TitleSlide(Slide):
    key = "title"

    def __init__(self) -> None:
        super().__init__()
        self.heading.hide()
        self.organisation = label(name="Organisation")
        self.name = label(name="Scenario")
        self.horizon = label(name="Period")
        self.position = label(name="Scenario number")
        self.date = label(name="Date")
        for quiet in (self.organisation, self.position):
            set_text_colour(quiet, QUIET)
        self.rule = QFrame()  # a short bar in the charts' blue: the slide's only ornament
        self.rule.setAutoFillBackground(True)
        pal = self.rule.palette()
        pal.setColor(QPalette.ColorRole.Window, OKABE_ITO["blue"])
        self.rule.setPalette(pal)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addStretch(2)
        column.addWidget(self.organisation)
        column.addWidget(self.rule)
        for widget in (self.name, self.horizon, self.position):
            column.addWidget(widget)
        column.addStretch(3)
        column.addWidget(self.date)
        self.set_content(page)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        self.organisation.setFont(sized(self, fonts.heading))
        self.name.setFont(sized(self, fonts.huge, bold=True))
        self.horizon.setFont(sized(self, fonts.heading))
        for widget in (self.position, self.date):
            widget.setFont(sized(self, fonts.body))
        self.content.layout().setSpacing(round(fonts.body))
        self.rule.setFixedSize(fonts.margin * 4, max(4, fonts.margin // 5))

    def refresh(self, context: SlideContext) -> None:
        scenario = context.scenario
        if scenario is None:
            self.set_heading("Presentation")
            self.message.setText(NO_SCENARIO)
            self.body.setCurrentWidget(self.message)
            return
        count = len(context.model.scenarios)
        self.set_heading(scenario.name, f"Title slide: {scenario.name}")
        self.subtitle.hide()
        self.organisation.setText(context.organisation)
        self.organisation.setVisible(bool(context.organisation))
        self.name.setText(scenario.name)
        self.horizon.setText(scenario.horizon.describe())
        self.position.setText(f"Scenario {context.index + 1} of {count}, "
                              "workforce plan from FTE Planner")
        day = context.made_on or dt.date.today()
        self.date.setText(f"{day.day} {day:%B %Y}")
        self.body.setCurrentWidget(self.content)


# ----- charts ---------------------------------------------------------------------------------
class CapacitySlide(Slide):
    key = "capacity"

    def __init__(self) -> None:
        super().__init__("Capacity and demand")
        self.chart = SlideCapacityChart()
        self.team: str | None = None
        self.set_content(self.chart)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        self.chart.set_fonts(fonts)

    def draw(self, results: Results, context: SlideContext) -> None:
        team, why = capacity_team(risk_grid(results.service()))
        self.team = team
        if team is None:
            self.chart.show_series(None)
            self.set_heading("Capacity and demand", why)
            return
        series = team_series(results, team, "fte")
        self.chart.show_series(series)
        self.set_heading(self.chart.title, f"{why} Shortfall shaded; dashed lines: changes "
                                           "go live.")


class SavingsSlide(Slide):
    key = "savings"

    def __init__(self) -> None:
        super().__init__("Savings by financial year")
        self.chart = SlideSavingsChart()
        self.set_content(self.chart)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        self.chart.set_fonts(fonts)

    def draw(self, results: Results, context: SlideContext) -> None:
        self.chart.set_results(results)
        self.set_heading(self.chart.title, savings_sentence(results))


class CumulativeSlide(Slide):
    key = "cumulative"

    def __init__(self) -> None:
        super().__init__("Cumulative net position")
        self.chart = SlideCumulativeChart()
        self.set_content(self.chart)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        self.chart.set_fonts(fonts)

    def draw(self, results: Results, context: SlideContext) -> None:
        self.chart.set_results(results)
        self.set_heading(self.chart.title, cumulative_sentence(results))


class BridgeSlide(Slide):
    key = "bridge"

    def __init__(self) -> None:
        super().__init__("FTE bridge")
        self.chart = SlideBridgeChart()
        self.set_content(self.chart)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        self.chart.set_fonts(fonts)

    def draw(self, results: Results, context: SlideContext) -> None:
        bridge = results.bridge()
        self.chart.set_bridge(bridge)
        self.set_heading(self.chart.title, bridge_sentence(bridge))
