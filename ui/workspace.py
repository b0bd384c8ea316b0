"""The working area once an establishment is open: four sections, each with its own tabs.

Establishment (posts, summary, data quality), Scenario (the editor of the current
scenario), Dashboard (its results) and Compare. The scenario list sits in a dock
beside them (see :mod:`ui.main_window`). Each page takes the project model in
``__init__`` and follows it by itself.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QTabWidget, QWidget

from ui.actions_table import ActionsView
from ui.advice_panel import AdvicePanel
from ui.assumptions_form import AssumptionsForm
from ui.changes_editor import ChangesEditor
from ui.compare_view import CompareView
from ui.demand_editor import DemandEditor
from ui.document import EstablishmentDocument
from ui.establishment_view import EstablishmentView
from ui.money_panel import MoneyPanel
from ui.people_tables import PeoplePanel
from ui.pools_editor import PoolsEditor
from ui.project_model import ProjectModel
from ui.quality_view import QualityView, tab_title
from ui.service_panel import ServicePanel
from ui.simulation_panel import SimulationPanel
from ui.summary_panel import SummaryPanel
from ui.targets_form import TargetsForm

SECTION_ESTABLISHMENT, SECTION_SCENARIO, SECTION_DASHBOARD, SECTION_COMPARE = range(4)
TAB_POSTS, TAB_SUMMARY, TAB_QUALITY = range(3)


def _tabs(name: str) -> QTabWidget:
    tabs = QTabWidget()
    tabs.setAccessibleName(name)
    tabs.setDocumentMode(True)
    return tabs


def scrolled(widget: QWidget) -> QScrollArea:
    """A page in a scroll area, so the window can be made small (a laptop at 150 %)
    without the page's minimum size forcing it wide; at normal sizes nothing scrolls."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    area.setAccessibleName(widget.accessibleName())
    return area


def page(tabs: QTabWidget, index: int | None = None) -> QWidget | None:
    """The page widget of a tab (inside its scroll area)."""
    outer = tabs.currentWidget() if index is None else tabs.widget(index)
    return outer.widget() if isinstance(outer, QScrollArea) else outer


class Workspace(QTabWidget):
    """The four sections as top-level tabs."""

    def __init__(self, model: ProjectModel, document: EstablishmentDocument,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.setAccessibleName("Sections")

        self.establishment_tabs = _tabs("Establishment")
        self.posts_view = EstablishmentView(document, model)
        self.summary_panel = SummaryPanel(document)
        self.quality_view = QualityView(document)
        self.establishment_tabs.addTab(scrolled(self.posts_view), "&Posts")
        self.establishment_tabs.addTab(scrolled(self.summary_panel), "S&ummary")
        self.establishment_tabs.addTab(scrolled(self.quality_view), tab_title(None))

        self.scenario_tabs = _tabs("Scenario editor")
        self.actions_view = ActionsView(model)
        self.changes_editor = ChangesEditor(model)
        self.demand_editor = DemandEditor(model)
        self.pools_editor = PoolsEditor(model)
        self.assumptions_form = AssumptionsForm(model)
        self.targets_form = TargetsForm(model)
        for widget, title in ((self.actions_view, "&Actions"), (self.changes_editor, "Chan&ges"),
                              (self.demand_editor, "&Demand"), (self.pools_editor, "Poo&ls"),
                              (self.assumptions_form, "Assu&mptions"),
                              (self.targets_form, "&Targets")):
            self.scenario_tabs.addTab(scrolled(widget), title)

        self.dashboard_tabs = _tabs("Dashboard")
        self.service_panel = ServicePanel(model)
        self.money_panel = MoneyPanel(model)
        self.simulation_panel = SimulationPanel(model)
        self.advice_panel = AdvicePanel(model)
        self.people_panel = PeoplePanel(model)
        for widget, title in ((self.service_panel, "Service and ris&k"),
                              (self.money_panel, "&Money"),
                              (self.simulation_panel, "&Uncertainty"),
                              (self.advice_panel, "A&dvice"),
                              (self.people_panel, "&People")):
            self.dashboard_tabs.addTab(scrolled(widget), title)

        self.compare_view = CompareView(model)
        # No mnemonics here: Alt+letters belong to the menus and the inner tabs;
        # the sections have Ctrl+1 … Ctrl+4 instead (View menu).
        for i, (widget, title) in enumerate(((self.establishment_tabs, "Establishment"),
                                             (self.scenario_tabs, "Scenario"),
                                             (self.dashboard_tabs, "Dashboard"),
                                             (self.compare_view, "Compare")), start=1):
            self.addTab(widget if isinstance(widget, QTabWidget) else scrolled(widget), title)
            self.setTabToolTip(i - 1, f"{title} (Ctrl+{i})")

    def show_section(self, section: int, tab: int | None = None) -> None:
        self.setCurrentIndex(section)
        inner = self.widget(section)
        if tab is not None and isinstance(inner, QTabWidget):
            inner.setCurrentIndex(tab)
