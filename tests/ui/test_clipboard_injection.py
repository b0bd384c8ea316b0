"""Ctrl+C puts text on the clipboard that Excel pastes as text, never as a formula.

Every copy path that holds the user's text: the risk heat map (team names), the Compare
view (scenario names), the posts table (every column) and the people tables (teams,
grades, names). A hostile value gets a leading apostrophe (Excel's "this is text" mark,
hidden on paste); a tab or line break inside a cell becomes a space (it would start a new
cell whose text Excel reads on its own); a number keeps its text ("-£12,500", "-12.5"),
so it pastes as a number. The rules are planner.cell_text's (tested in
tests/planner/test_export_injection.py); these tests check each view uses them.
"""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from planner.cell_text import shown_number
from planner.months import Horizon, parse_month
from planner.project import Project
from planner.scenario import (
    CreatePosts,
    DeletePosts,
    RedeploymentPolicy,
    Scenario,
    Selector,
    TeamDemand,
)
from tests.ui.factories import make_establishment, small_posts

M = parse_month
HYPERLINK = '=HYPERLINK("http://evil","x")'
DDE = "=cmd|' /C calc'!A0"
TAB_TEAM = "Waste\t=1"  # a tab inside a name would split the cell on paste


def _cells(text: str) -> list[list[str]]:
    assert text.endswith("\n")
    return [line.split("\t") for line in text[:-1].split("\n")]


def _hostile_posts() -> pd.DataFrame:
    posts = small_posts()
    posts.loc[0, ["team", "post_title", "directorate", "grade", "employee_name"]] = \
        [HYPERLINK, "@SUM(1)", "+1+cmd", "-1+1", DDE]
    posts.loc[3, "team"] = TAB_TEAM
    posts["weekly_hours"] = pd.Series([-12.5, 18.5, 37.0, 37.0, 30.0, 22.2])
    posts["age"] = 55.0
    posts["years_service"] = 20.0
    return posts


def _scenarios() -> list[Scenario]:
    teams = (HYPERLINK, TAB_TEAM)
    demand = tuple(TeamDemand(t, hours_per_month=400.0) for t in teams)
    return [
        Scenario(HYPERLINK, Horizon(M("2027-04"), 12), demand=demand,
                 redeployment=RedeploymentPolicy(enabled=False),
                 actions=(DeletePosts(M("2027-06"), Selector(fields=(("team", teams),))),)),
        Scenario("-1+1", Horizon(M("2027-04"), 12), demand=demand,
                 actions=(CreatePosts(M("2027-05"), "Benefits", count=3,
                                      annual_salary=40_000.0),)),
    ]


@pytest.fixture
def hostile_model(qtbot):
    from ui.project_model import ProjectModel

    model = ProjectModel()
    model.load(Project(make_establishment(_hostile_posts()), _scenarios()))
    qtbot.waitUntil(lambda: all(model.results(i) is not None for i in range(2)),
                    timeout=30000)
    yield model
    model.shutdown()


def test_heat_map_copy_escapes_team_names(qtbot, hostile_model) -> None:
    from planner.service_view import risk_grid
    from ui.risk_heatmap import RiskHeatMap

    heat = RiskHeatMap()
    qtbot.addWidget(heat)
    heat.set_grid(risk_grid(hostile_model.results(0).service()))
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(heat.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)  # Ctrl+C
    rows = _cells(QGuiApplication.clipboard().text())
    teams = {r[0] for r in rows[1:]}
    assert "'" + HYPERLINK in teams and "Waste =1" in teams
    assert all(len(r) == len(rows[0]) for r in rows)  # the tab did not add a cell
    assert {c for r in rows[1:] for c in r[1:]} <= {"G", "A", "R"}


def test_compare_copy_escapes_scenario_names_and_keeps_numbers(qtbot, hostile_model) -> None:
    from ui.compare_view import CompareView

    view = CompareView(hostile_model)
    qtbot.addWidget(view)
    assert view.set_ticked([0, 1])
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    text = QGuiApplication.clipboard().text()
    assert text == view.table_model.copy_text()
    rows = _cells(text)
    assert rows[0] == ["Measure", "'" + HYPERLINK, "'-1+1"]
    figures = [c for r in rows[1:] for c in r[1:]]
    # The cost of new posts is a negative saving: it pastes as a number, no apostrophe.
    assert any(c.startswith("-£") and shown_number(c) for c in figures)
    assert "+2.9" in figures  # FTE change against the baseline, a number too
    for cell in figures:  # an apostrophe only on figures shown with words
        assert not cell.startswith("'") or not shown_number(cell[1:]), cell
    assert any(c.startswith("'-£") and c.endswith("(2027/28)") for c in figures)


def test_posts_table_copy_escapes_text_and_keeps_numbers(qtbot) -> None:
    from ui.document import EstablishmentDocument
    from ui.establishment_view import EstablishmentView, copy_selected_rows

    document = EstablishmentDocument()
    document.set_establishment(make_establishment(_hostile_posts()))
    view = EstablishmentView(document)
    qtbot.addWidget(view)
    view.select_first_row()
    assert copy_selected_rows(view.table) == 1
    header, row = _cells(QGuiApplication.clipboard().text())
    cells = dict(zip(header, row, strict=True))
    assert cells["Team"] == "'" + HYPERLINK
    assert cells["Post title"] == "'@SUM(1)" and cells["Grade"] == "'-1+1"
    assert cells["Employee name"] == "'" + DDE
    hours = next(v for k, v in cells.items() if "hours" in k.lower())
    assert hours.startswith("-12.5")  # a number, shown as it is: no apostrophe


def test_people_copy_escapes_teams_grades_and_names(qtbot, hostile_model) -> None:
    from ui.people_tables import PeoplePanel, copy_rows

    panel = PeoplePanel(hostile_model)
    qtbot.addWidget(panel)
    panel.names_check.setChecked(True)
    assert panel.redundancy_model.rowCount() >= 2
    text = copy_rows(panel.redundancy_table)
    assert QGuiApplication.clipboard().text() == text
    rows = _cells(text)
    header = rows[0]
    by_team = {r[header.index("Team")]: r for r in rows[1:]}
    hostile = by_team["'" + HYPERLINK]
    assert hostile[header.index("Grade")] == "'-1+1"
    assert hostile[header.index("Name")] == "'" + DDE
    assert "Waste =1" in by_team
    assert all(len(r) == len(header) for r in rows)
    total = hostile[header.index("Total (£)")]
    assert total.startswith("£") and not total.startswith("'")
