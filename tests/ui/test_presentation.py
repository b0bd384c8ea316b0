"""Presentation mode: keys, black-out, scenario switching, the figures on the slides."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTextEdit,
    QToolBar,
    QWidget,
)

from planner.months import month_label, parse_month
from planner.presentation_kpis import capacity_team, presented_grid
from planner.scenario_edits import edit
from planner.service_view import risk_grid, team_series
from ui import formatting
from ui.presentation import PresentationWindow
from ui.presentation_slides import CALCULATING
from ui.presentation_style import BACKGROUND, app_point_size, slide_fonts

K = Qt.Key
KEYS_HINT = "← → to move, B to black out, S to switch, Esc to leave"


@pytest.fixture
def show(qtbot, demo_model):
    window = PresentationWindow(demo_model, made_on=dt.date(2026, 11, 23))
    qtbot.addWidget(window)
    window.start(size=QSize(1366, 768))
    return window


def press(qtbot, widget: QWidget, *keys: Qt.Key) -> None:
    for key in keys:
        qtbot.keyClick(widget, key)


def go(show, key: str) -> None:
    show.go_to(show.slide_keys().index(key))


def test_keys_move_between_slides_and_the_footer_counts(qtbot, show) -> None:
    name = show._model.scenario(0).name
    assert show.slide_keys() == ["title", "kpis", "capacity", "risk", "savings",
                                 "cumulative", "bridge", "compare"]
    assert show.footer_text() == f"Slide 1 of 8 · {name} · {KEYS_HINT}"
    for key in (K.Key_Right, K.Key_Down, K.Key_PageDown, K.Key_Space, K.Key_Return, K.Key_N):
        before = show.current_slide()
        press(qtbot, show, key)
        assert show.current_slide() == before + 1, key
    assert show.footer_text().startswith("Slide 7 of 8 · ")
    assert show.current_key() == "bridge"
    for key in (K.Key_Left, K.Key_Up, K.Key_PageUp, K.Key_Backspace, K.Key_P):
        before = show.current_slide()
        press(qtbot, show, key)
        assert show.current_slide() == before - 1, key
    press(qtbot, show, K.Key_End)
    assert show.current_key() == "compare"
    assert show.footer_text().startswith("Slide 8 of 8 · ")
    press(qtbot, show, K.Key_Right)  # past the end: stays
    assert show.current_slide() == 7
    press(qtbot, show, K.Key_Home, K.Key_Left)
    assert show.current_slide() == 0
    assert show.stack.currentWidget() is show.slide("title")
    assert show.slide("title").name.text() == name


def test_black_and_white_out_as_powerpoint(qtbot, show) -> None:
    press(qtbot, show, K.Key_Right)
    press(qtbot, show, K.Key_B)
    assert show.blank_colour() == "black"
    assert show.screens.currentWidget() is show.blank
    assert show.blank.palette().window().color() == Qt.GlobalColor.black
    assert not show.footer.isVisible()  # nothing but black
    press(qtbot, show, K.Key_B)
    assert show.blank_colour() is None and show.screens.currentWidget() is show.page
    press(qtbot, show, K.Key_Period)
    assert show.blank_colour() == "black"
    press(qtbot, show, K.Key_W)  # white straight from black
    assert show.blank_colour() == "white"
    assert show.blank.palette().window().color() == Qt.GlobalColor.white
    press(qtbot, show, K.Key_Right)  # any other key brings the slide back and does nothing else
    assert show.blank_colour() is None and show.current_slide() == 1
    press(qtbot, show, K.Key_Comma, K.Key_Comma)
    assert show.blank_colour() is None


def test_number_keys_switch_scenario_on_the_same_slide(qtbot, show, demo_model) -> None:
    go(show, "kpis")
    press(qtbot, show, K.Key_2)
    assert show.shown_index() == 1 and show.current_key() == "kpis"
    second = demo_model.scenario(1)
    assert f"· {second.name} ·" in show.footer_text()
    k = demo_model.results(1).kpis()
    assert show.slide("kpis").figure("one_off_costs") == formatting.money(k["one_off_costs"])
    press(qtbot, show, K.Key_5)  # there is no fifth scenario: nothing happens
    assert show.shown_index() == 1
    press(qtbot, show, K.Key_1)
    assert show.shown_index() == 0
    assert demo_model.current_index() == 0  # presenting never changes the app's scenario


def test_s_lists_the_scenarios_and_esc_leaves(qtbot, show, demo_model) -> None:
    go(show, "savings")
    press(qtbot, show, K.Key_S)
    picker = show.picker
    assert picker.isVisible()
    assert picker.list.count() == 3 and picker.list.currentRow() == 0
    assert picker.list.item(0).text().endswith("(on screen)")
    press(qtbot, picker.list, K.Key_Down, K.Key_Down, K.Key_Return)
    assert not picker.isVisible()
    assert show.shown_index() == 2 and show.current_key() == "savings"
    assert show.isVisible()
    press(qtbot, show, K.Key_S)
    press(qtbot, picker.list, K.Key_Escape)  # closes the list, not the presentation
    assert not picker.isVisible() and show.isVisible() and show.shown_index() == 2
    press(qtbot, show, K.Key_S)
    press(qtbot, picker.list, K.Key_2)
    assert show.shown_index() == 1 and not picker.isVisible()
    with qtbot.waitSignal(show.closed, timeout=1000):  # Esc on a slide leaves
        press(qtbot, show, K.Key_Escape)
    assert not show.isVisible()


def test_nothing_to_edit_click_or_open(show) -> None:
    editors = (QLineEdit, QAbstractSpinBox, QComboBox, QTextEdit, QPlainTextEdit,
               QAbstractButton, QToolBar, QMenuBar, QMenu)
    for kind in editors:
        assert show.findChildren(kind) == [], kind.__name__
    for view in show.findChildren(QAbstractItemView):  # the scenario list only
        assert view is show.picker.list
        assert view.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    focusable = [w for w in show.findChildren(QWidget)
                 if w.focusPolicy() != Qt.FocusPolicy.NoFocus]
    assert focusable == [show.picker.list]  # every key reaches the window
    for key in show.slide_keys():
        go(show, key)
        assert show.slide().accessibleName()


def test_kpi_slide_shows_the_dashboard_figures(show, demo_model) -> None:
    go(show, "kpis")
    results = demo_model.results(0)
    k = results.kpis()
    slide = show.slide()
    assert slide.figure("full_year_saving") == formatting.money(k["full_year_saving"])
    assert slide.figure("one_off_costs") == formatting.money(k["one_off_costs"])
    assert slide.figure("transition_cover") == formatting.money(k["transition_cover_cost"])
    assert slide.figure("red_team_months") == formatting.count(k["red_team_months"])
    assert slide.figure("payback") == month_label(parse_month(k["payback_month"]))
    change = k["fte_change_vs_baseline"]
    assert change < 0
    assert slide.figure("fte_change") == f"\u2212{formatting.fte(-change)} FTE"
    assert slide.tiles["one_off_costs"].accessibleName() == \
        f"One-off costs: {formatting.money(k['one_off_costs'])}"


def test_chart_slides_draw_the_planner_figures(show, demo_model) -> None:
    results = demo_model.results(0)
    go(show, "capacity")
    grid = risk_grid(results.service())
    team, why = capacity_team(grid)
    slide = show.slide()
    assert slide.heading.text() == f"Capacity and demand: {team}"
    assert slide.subtitle.text().startswith(why)
    capacity = team_series(results, team, "fte").capacity
    np.testing.assert_allclose(slide.chart.series["Capacity"].getData()[1], capacity)
    go(show, "risk")
    shown = show.slide().view.grid
    assert shown.teams == presented_grid(grid).teams
    np.testing.assert_array_equal(shown.codes, presented_grid(grid).codes)
    assert "R" in show.slide().view.describe()
    go(show, "bridge")
    bars = show.slide().chart.waterfall
    assert bars.labels == [label for label, _ in results.bridge()]


def test_compare_slide_only_with_two_scenarios(qtbot, show, demo_model) -> None:
    go(show, "compare")
    table = show.slide().table
    k = [demo_model.results(i).kpis() for i in range(3)]
    assert table.names == [s.name for s in demo_model.scenarios]
    red = [row.key for row in table.rows].index("red_team_months")
    best = int(np.argmin([x["red_team_months"] for x in k]))
    assert table.rows[red].best == (best,)
    assert "★" in table.text("red_team_months", best)
    assert table.cells[red + 1][best + 1].font().bold()
    assert "★" not in table.text("red_team_months", (best + 1) % 3)
    demo_model.remove_scenario(2)
    assert show.slide_keys()[-1] == "compare"
    demo_model.remove_scenario(1)
    assert "compare" not in show.slide_keys()
    assert show.current_key() == "bridge"  # the last slide now
    assert show.footer_text().startswith("Slide 7 of 7")


def test_slide_follows_the_results(qtbot, show, demo_model) -> None:
    go(show, "kpis")
    slide = show.slide()
    before = slide.figure("full_year_saving")
    scenario = demo_model.scenario(0)
    demo_model.edit_scenario(edit(scenario, "assumptions.pension_rate_pct", 30.0),
                             "Pension 30%")
    assert slide.showing_message() and slide.message.text() == CALCULATING
    qtbot.waitUntil(lambda: not slide.showing_message(), timeout=20000)
    k = demo_model.results(0).kpis()
    assert slide.figure("full_year_saving") == formatting.money(k["full_year_saving"])
    assert slide.figure("full_year_saving") != before


def test_fonts_follow_the_screen_and_stay_light_in_a_dark_app(qtbot, show) -> None:
    big, laptop = slide_fonts(1080, 96, 9), slide_fonts(768, 96, 9)
    assert (big.heading, big.tick, big.body) == (27.0, 16.6, 18.0)  # up to 3× and 2×
    assert (laptop.heading, laptop.tick) == (22.5, 14.4)  # 2.5× and 1.6×
    scaled = slide_fonts(720, 96, 9)  # 1080p at 150 % display scaling: the same floor
    assert (scaled.heading, scaled.tick, scaled.body) == (laptop.heading, laptop.tick, 14.4)
    assert slide_fonts(1080, 144, 9).heading == 22.5  # same pixels, more dots per inch
    go(show, "savings")
    chart = show.slide().chart
    fonts = show._fonts
    assert fonts == slide_fonts(768, show.logicalDpiY(), app_point_size())
    assert chart.getPlotItem().getAxis("left").style["tickFont"].pointSizeF() == fonts.tick
    assert show.slide().heading.font().pointSizeF() == fonts.heading
    show.resize(1920, 1080)
    assert show._fonts.heading > fonts.heading
    from ui import palette

    palette.apply_theme("dark")
    try:
        chart.apply_theme()  # as the main window does after switching theme
        assert chart.backgroundBrush().color() == BACKGROUND
        assert show.palette().window().color() == BACKGROUND
    finally:
        palette.apply_theme("light")


def test_calculating_before_results_and_organisation(qtbot) -> None:
    from planner.demo import demo_scenarios
    from planner.project import Project
    from tests.ui.conftest import demo_establishment
    from ui.project_model import ProjectModel

    model = ProjectModel()
    model.load(Project(demo_establishment(), demo_scenarios()[:1]))
    window = PresentationWindow(model, organisation="Borough of Westfield")
    qtbot.addWidget(window)
    window.start(size=QSize(1366, 768))
    assert window.slide_keys()[-1] == "bridge"
    assert window.slide("title").organisation.text() == "Borough of Westfield"
    window.go_to(1)
    assert window.slide().showing_message() and window.slide().message.text() == CALCULATING
    qtbot.waitUntil(lambda: not window.slide().showing_message(), timeout=20000)
    model.shutdown()


def test_compare_keeps_the_shown_scenario_among_five() -> None:
    from ui.presentation_compare import compared_indices

    assert compared_indices(3, 1) == [0, 1, 2]
    assert compared_indices(7, 2) == [0, 1, 2, 3, 4]
    assert compared_indices(7, 6) == [0, 1, 2, 3, 6]
