"""The main window's actions, menus and toolbar (standard shortcuts throughout)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QToolBar

from ui.workspace import (
    SECTION_COMPARE,
    SECTION_DASHBOARD,
    SECTION_ESTABLISHMENT,
    SECTION_SCENARIO,
)

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def _action(window: MainWindow, text: str, slot: Callable[..., object],
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            tip: str = "", icon: QStyle.StandardPixmap | None = None) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setStatusTip(tip)
        action.setToolTip(tip)
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def create_actions(w: MainWindow) -> None:
    sp = QStyle.StandardPixmap
    w.new_action = _action(w, "&New project", w.new_project, "Ctrl+N",
                           "Start a new, empty project", sp.SP_FileIcon)
    w.open_action = _action(w, "&Open…", w.open_dialog, "Ctrl+O",
                            "Open a project (.fteplan) or an establishment spreadsheet",
                            sp.SP_DialogOpenButton)
    w.save_action = _action(w, "&Save", w.save_project, QKeySequence.StandardKey.Save,
                            "Save the project", sp.SP_DialogSaveButton)
    w.save_action.setShortcut(QKeySequence("Ctrl+S"))
    w.save_as_action = _action(w, "Save &as…", w.save_project_as, "Ctrl+Shift+S",
                               "Save the project under a new name")
    w.import_action = _action(w, "&Import establishment…", w.import_wizard, "Ctrl+I",
                              "Import an establishment spreadsheet step by step, checking the "
                              "column mapping and the data-quality report",
                              sp.SP_ArrowDown)
    w.demo_action = _action(w, "Open &demo council", w.open_demo, None,
                            "Open the made-up demo council with its example scenarios")
    w.export_charts_action = _action(w, "E&xport charts as PNG…", w.export_charts, "Ctrl+E",
                                     "Save every chart on the current page as a PNG picture")
    w.export_pack_action = _action(w, "Export &board pack (PDF)…", w.exporter.export_board_pack,
                                   "Ctrl+Shift+P", "Save a board pack for a meeting: summary, "
                                   "KPI comparison and charts of up to five scenarios")
    w.export_workbook_action = _action(w, "Export &workbook (Excel)…",
                                       w.exporter.export_workbook, "Ctrl+Shift+E",
                                       "Save the figures, charts, risk sheet and comparison "
                                       "of up to five scenarios as an Excel workbook")
    w.cancel_action = _action(w, "&Cancel loading", w.cancel_loading, "Esc",
                              "Stop opening the file")
    w.quit_action = _action(w, "&Quit", w.close, "Ctrl+Q", "Close FTE Planner")

    w.undo_action = w.model.undo_stack.createUndoAction(w, "&Undo")
    w.undo_action.setShortcut(QKeySequence("Ctrl+Z"))
    w.undo_action.setIcon(w.style().standardIcon(sp.SP_ArrowBack))
    w.redo_action = w.model.undo_stack.createRedoAction(w, "&Redo")
    w.redo_action.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
    w.redo_action.setIcon(w.style().standardIcon(sp.SP_ArrowForward))
    w.find_action = _action(w, "&Find posts…", w.find_posts, "Ctrl+F",
                            "Search the posts table")
    w.remove_personal_action = _action(
        w, "Remove &personal data…", w.files.remove_personal_data, None,
        "Remove employee names, numbers, dates of birth and service dates and the unmapped "
        "columns from the project, keeping the age and service that costs need")
    w.remove_personal_action.setEnabled(w.model.establishment is not None)
    w.model.establishment_changed.connect(
        lambda est: w.remove_personal_action.setEnabled(est is not None))

    w.simulate_action = _action(w, "Run &simulation", w.run_simulation, "F9",
                                "Run the Monte Carlo simulation of the current scenario",
                                sp.SP_MediaPlay)
    w.advice_action = _action(w, "Work out safe &dates", w.run_advice, "Shift+F9",
                              "Find the earliest safe month for each reduction")

    sections = (("&Establishment", SECTION_ESTABLISHMENT), ("&Scenario", SECTION_SCENARIO),
                ("&Dashboard", SECTION_DASHBOARD), ("&Compare", SECTION_COMPARE))
    w.section_actions = [
        _action(w, text, lambda s=section: w.show_section(s), f"Ctrl+{i}",
                f"Show the {text.replace('&', '').lower()} section")
        for i, (text, section) in enumerate(sections, start=1)
    ]
    w.present_action = _action(w, "&Presentation mode", w.start_presentation, "F5",
                               "Show the current scenario full screen, one chart per slide "
                               "(arrow keys to move, B to black out, Esc to leave)")
    w.dark_action = _action(w, "Dar&k theme", w.toggle_dark, "Ctrl+Shift+D",
                            "Switch between the light and the dark theme")
    w.dark_action.setCheckable(True)
    w.about_action = _action(w, "&About FTE Planner", w.show_about, None,
                             "Version and licence")


def create_menus(w: MainWindow) -> None:
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    for action in (w.new_action, w.open_action):
        file_menu.addAction(action)
    w.recent_menu = file_menu.addMenu("Open &recent")
    for action in (w.save_action, w.save_as_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    for action in (w.import_action, w.demo_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    for action in (w.export_pack_action, w.export_workbook_action, w.export_charts_action):
        file_menu.addAction(action)
    file_menu.addSeparator()
    file_menu.addAction(w.cancel_action)
    file_menu.addSeparator()
    file_menu.addAction(w.quit_action)

    edit_menu = bar.addMenu("&Edit")
    edit_menu.addAction(w.undo_action)
    edit_menu.addAction(w.redo_action)
    edit_menu.addSeparator()
    edit_menu.addAction(w.find_action)
    edit_menu.addSeparator()
    edit_menu.addAction(w.remove_personal_action)

    scenario_menu = bar.addMenu("&Scenario")
    scenario_list = w.scenario_list
    for action in (scenario_list.new_action, scenario_list.duplicate_action,
                   scenario_list.rename_action, scenario_list.delete_action):
        scenario_menu.addAction(action)
    scenario_menu.addSeparator()
    scenario_menu.addAction(w.simulate_action)
    scenario_menu.addAction(w.advice_action)

    view_menu = bar.addMenu("&View")
    for action in w.section_actions:
        view_menu.addAction(action)
    view_menu.addSeparator()
    view_menu.addAction(w.present_action)
    view_menu.addSeparator()
    view_menu.addAction(w.scenario_dock.toggleViewAction())
    view_menu.addAction(w.dark_action)

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(w.about_action)


def create_toolbar(w: MainWindow) -> QToolBar:
    toolbar = QToolBar("Main toolbar", w)
    toolbar.setObjectName("main_toolbar")
    toolbar.setIconSize(QSize(20, 20))
    # Words beside the icons: the standard icons alone are cryptic, and dark on the dark theme.
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in (w.new_action, w.open_action, w.save_action, None, w.import_action, None,
                   w.undo_action, w.redo_action, None, w.simulate_action):
        if action is None:
            toolbar.addSeparator()
        else:
            toolbar.addAction(action)
    w.addToolBar(toolbar)
    return toolbar
