"""The main window: the welcome screen or the workspace, the scenario dock, menus, status bar."""

from __future__ import annotations

import contextlib
import sys
from importlib import resources
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from planner import __version__, bundled
from planner.demo import demo_scenarios
from planner.establishment import Establishment
from planner.months import Horizon, next_april
from planner.project import Project
from planner.project_file import FILE_SUFFIX
from planner.scenario import Scenario
from ui import formatting, main_menus, palette
from ui.chart_base import Chart
from ui.document import EstablishmentDocument
from ui.errors import show_error
from ui.exports import Exporter
from ui.loader import Loader, LoadRequest
from ui.project_files import ProjectFiles
from ui.project_model import ProjectModel
from ui.quality_view import tab_title
from ui.scenario_list import ScenarioList
from ui.settings import Settings
from ui.welcome import SUPPORTED_SUFFIXES, WelcomeView
from ui.workspace import SECTION_DASHBOARD, SECTION_ESTABLISHMENT, TAB_POSTS, TAB_QUALITY, Workspace

APP_NAME = "FTE Planner"
FILE_FILTER = (
    f"Projects and spreadsheets (*{FILE_SUFFIX} *.xlsx *.xlsm *.xls *.ods *.csv);;"
    f"FTE Planner projects (*{FILE_SUFFIX});;"
    "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv);;All files (*)"
)
OPENABLE_SUFFIXES = (FILE_SUFFIX, *SUPPORTED_SUFFIXES)


def loaded_message(establishment: Establishment) -> str:
    """``"Loaded 1,498 posts from demo_council.xlsx; 1 row excluded"``."""
    text = (
        f"Loaded {formatting.plural(establishment.rows_loaded, 'post')} "
        f"from {establishment.source.path.name}"
    )
    if establishment.rows_excluded:
        text += f"; {formatting.plural(establishment.rows_excluded, 'row')} excluded"
    return text


def droppable_file(paths: list[str]) -> Path | None:
    """The first local file with a supported extension (project or spreadsheet), if any."""
    for text in paths:
        if text and Path(text).suffix.lower() in OPENABLE_SUFFIXES:
            return Path(text)
    return None


def blank_scenario(name: str = "Scenario 1", like: Scenario | None = None) -> Scenario:
    """A scenario with no actions over ``like``'s horizon (or five years from next April)."""
    horizon = like.horizon if like is not None else Horizon(next_april(), 60)
    return Scenario(name=name, horizon=horizon)


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None, *,
                 recovery_folder: Path | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings()
        self.model = ProjectModel(parent=self)
        self.document = EstablishmentDocument(self)
        self.loader = Loader(self)
        self._resource_files = contextlib.ExitStack()
        self._demo_load: bool | None = None  # a demo load in flight: with its scenarios?
        self.presentation: QWidget | None = None  # presentation mode, while it is open
        self.exporter = Exporter(self)
        self.files = ProjectFiles(self, self.model, self.settings, recovery_folder)

        self.welcome = WelcomeView()
        self.welcome.setAccessibleName("Welcome")
        self.workspace = Workspace(self.model, self.document)
        self.tabs = self.workspace.establishment_tabs
        self.posts_view = self.workspace.posts_view
        self.summary_panel = self.workspace.summary_panel
        self.quality_view = self.workspace.quality_view
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.workspace)
        self.setCentralWidget(self.stack)

        self.scenario_list = ScenarioList(self.model)
        self.scenario_dock = QDockWidget("Scenarios", self)
        self.scenario_dock.setObjectName("scenario_dock")
        self.scenario_dock.setWidget(self.scenario_list)
        self.scenario_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                                       | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.scenario_dock.setTitleBarWidget(QWidget())  # the list has its own "Scenarios" label
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.scenario_dock)

        self._create_status_bar()
        main_menus.create_actions(self)
        main_menus.create_menus(self)
        self.toolbar = main_menus.create_toolbar(self)

        self.welcome.open_file_requested.connect(self.open_dialog)
        self.welcome.open_demo_requested.connect(self.open_demo)
        self.welcome.open_recent_requested.connect(self.open_file)
        self.loader.started.connect(self._on_load_started)
        self.loader.progress.connect(self._on_load_progress)
        self.loader.finished.connect(self._on_load_finished)
        self.loader.failed.connect(self._on_load_failed)
        self.loader.cancelled.connect(self._on_load_cancelled)
        self.model.establishment_changed.connect(self._on_establishment_changed)
        self.model.dirty_changed.connect(self._update_title)
        self.model.path_changed.connect(self._update_title)
        self.model.computing_changed.connect(self._on_computing)
        self.model.results_changed.connect(self._on_results)
        self.model.path_changed.connect(lambda _p: self._update_recent_files())

        self.setAcceptDrops(True)
        self._restore_geometry()
        self.dark_action.setChecked(palette.current_theme() == "dark")
        self._on_establishment_changed(None)
        self._update_recent_files()

    # -- building ---------------------------------------------------------------------------
    def _create_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel("Open a project or an establishment file to begin.")
        self.status_label.setAccessibleName("Status")
        self.compute_label = QLabel()
        self.compute_label.setAccessibleName("Results status")
        self.progress_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Loading progress")
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setTextVisible(False)
        self.cancel_button = QPushButton("&Cancel")
        self.cancel_button.setToolTip("Stop opening the file (Esc)")
        self.cancel_button.setAccessibleName("Cancel loading")
        self.cancel_button.clicked.connect(self.cancel_loading)
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.compute_label)
        bar.addPermanentWidget(self.progress_label)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self._set_loading(False)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry() if self.screen() else None
            width, height = 1440, 900
            if screen is not None:
                width, height = min(width, screen.width()), min(height, screen.height())
            self.resize(width, height)
        state = self.settings.window_state()
        if state is not None:
            self.restoreState(state)

    # -- files -------------------------------------------------------------------------------
    def new_project(self) -> None:
        if self.files.new_project():
            self.status_label.setText("New project: import an establishment to begin.")

    def open_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Open a project or an establishment file", self.settings.last_directory(),
            FILE_FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> None:
        """Open a project, or read an establishment spreadsheet in the background."""
        path = Path(path)
        if not path.is_file():
            show_error(
                self, f"The file {path.name} could not be found. It may have been moved, "
                "renamed or deleted.", f"File: {path}", "Could not open the file",
            )
            return
        if path.suffix.lower() == FILE_SUFFIX:
            self.files.open(path)  # read in the background; the status says when it is open
            return
        self.settings.set_last_directory(path.parent)
        self._demo_load = None
        self.loader.start(path)

    def save_project(self) -> bool:
        ok = self.files.save()
        if ok and self.model.path is not None:
            self.status_label.setText(f"Saved {self.model.path.name}")
        return ok

    def save_project_as(self) -> bool:
        ok = self.files.save_as()
        if ok and self.model.path is not None:
            self.status_label.setText(f"Saved {self.model.path.name}")
        return ok

    def import_wizard(self) -> None:
        from ui.import_wizard import ImportWizard

        wizard = ImportWizard(self.settings, parent=self)
        if wizard.exec() and wizard.establishment() is not None:
            self._take_establishment(wizard.establishment())

    def open_demo(self, with_scenarios: bool = True) -> None:
        """The demo council (and, by default, its three example scenarios) as a new project."""
        traversable = bundled.demo_workbook()
        if not traversable.is_file():
            show_error(
                self, "The demo council is missing from this installation of FTE Planner.",
                f"Looked for: {traversable}", "Could not open the demo council",
            )
            return
        if not self.files.maybe_save():
            return
        if isinstance(traversable, Path):
            path = traversable
        else:  # inside a zip: keep a temporary copy until the window closes
            path = self._resource_files.enter_context(resources.as_file(traversable))
        self._demo_load = with_scenarios
        self.loader.start(path)

    def load_demo_now(self, establishment: Establishment) -> None:
        """Show the demo project at once (start-up with the demo, screenshots, benchmarks)."""
        self.model.load(Project(establishment, demo_scenarios()))
        self.status_label.setText(loaded_message(establishment))

    def show_establishment(self, establishment: Establishment) -> None:
        """Take an establishment synchronously (tests, screenshots)."""
        self._take_establishment(establishment)

    def _take_establishment(self, establishment: Establishment) -> None:
        self.model.set_establishment(establishment)
        if not self.model.scenarios:
            self.model.add_scenario(blank_scenario(), "Add a first scenario")
        self.status_label.setText(loaded_message(establishment))

    def cancel_loading(self) -> None:
        self.files.cancel_open()
        if self.loader.is_running():
            self.progress_label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            self.loader.cancel()

    # -- views -------------------------------------------------------------------------------
    def show_section(self, section: int, tab: int | None = None) -> None:
        if self.model.establishment is not None:
            self.stack.setCurrentWidget(self.workspace)
            self.workspace.show_section(section, tab)

    def show_tab(self, index: int) -> None:
        """An establishment tab (posts, summary, data quality)."""
        self.show_section(SECTION_ESTABLISHMENT, index)

    def find_posts(self) -> None:
        self.show_tab(TAB_POSTS)
        self.posts_view.focus_search()

    def run_simulation(self) -> None:
        self.show_section(SECTION_DASHBOARD, 2)
        self.workspace.simulation_panel.run()

    def run_advice(self) -> None:
        self.show_section(SECTION_DASHBOARD, 3)
        self.workspace.advice_panel.run()

    def visible_charts(self) -> list[Chart]:
        return [c for c in self.findChildren(Chart) if c.isVisible()]

    def export_charts(self) -> None:
        charts = self.visible_charts()
        if not charts:
            self.status_label.setText("There is no chart on this page to export.")
            return
        folder = QFileDialog.getExistingDirectory(self, "Save the charts in",
                                                  self.settings.last_directory())
        if not folder:
            return
        try:
            for chart in charts:
                chart.export_png(Path(folder) / f"{chart.slug()}.png")
        except OSError as error:
            show_error(self, str(error), title="Could not save the charts")
            return
        self.status_label.setText(
            f"Saved {formatting.plural(len(charts), 'chart')} as PNG in {folder}")

    def start_presentation(self) -> None:
        """Presentation mode: the current scenario full screen on this window's screen."""
        from ui.presentation import PresentationWindow

        if self.model.scenario() is None:
            self.status_label.setText("There is no scenario to present yet.")
            return
        self.presentation = PresentationWindow(self.model, self)
        self.presentation.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.presentation.closed.connect(self._on_presentation_closed)
        self.presentation.start(self.screen())

    def _on_presentation_closed(self) -> None:
        self.presentation = None
        self.activateWindow()

    def toggle_dark(self) -> None:
        theme = palette.apply_theme("dark" if self.dark_action.isChecked() else "light")
        self.settings.set_theme(theme)
        for chart in self.findChildren(Chart):
            chart.apply_theme()

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About FTE Planner",
            f"<h3>FTE Planner {__version__}</h3>"
            "<p>Workforce (FTE) scenario planning for councils and public bodies.</p>"
            "<p>Everything stays on this computer: no data is sent anywhere.</p>"
            f"<p>Python {sys.version.split()[0]}, Qt {qVersion()}, "
            f"PySide {PySide6.__version__}</p>",
        )

    # -- loader slots ---------------------------------------------------------------------------
    def _set_loading(self, loading: bool) -> None:
        for widget in (self.progress_label, self.progress_bar, self.cancel_button):
            widget.setVisible(loading)
        self.cancel_button.setEnabled(loading)
        if hasattr(self, "cancel_action"):
            self.cancel_action.setEnabled(loading)

    def _on_load_started(self, request: LoadRequest) -> None:
        self._set_loading(True)
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.progress_label.setText(f"Opening {request.path.name}…")
        self._loading_name = request.path.name

    def _on_load_progress(self, fraction: float, message: str) -> None:
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(round(fraction * 1000))
        if message:
            self.progress_label.setText(message)

    def _on_load_finished(self, establishment: Establishment) -> None:
        self._set_loading(False)
        demo, self._demo_load = self._demo_load, None
        if demo is None:
            self._take_establishment(establishment)
            self.settings.add_recent_file(establishment.source.path)
            self._update_recent_files()
            return
        # The demo council is a new project of its own (not a recent file: an installed
        # copy may read it from a temporary file).
        self.model.load(Project(establishment, demo_scenarios() if demo else []))
        if not demo:
            self.model.add_scenario(blank_scenario(), "Add a first scenario")
        self.status_label.setText(loaded_message(establishment))

    def _on_load_failed(self, message: str, details: str, unexpected: bool) -> None:
        self._set_loading(False)
        self._demo_load = None
        name = getattr(self, "_loading_name", "the file")
        self.status_label.setText(f"Could not open {name}.")
        title = "Unexpected error" if unexpected else "Could not open the file"
        show_error(self, message, details, title, unexpected=unexpected)

    def _on_load_cancelled(self) -> None:
        self._set_loading(False)
        self._demo_load = None
        name = getattr(self, "_loading_name", "the file")
        self.status_label.setText(f"Opening {name} was cancelled.")

    # -- model slots ------------------------------------------------------------------------------
    def _on_establishment_changed(self, establishment: Establishment | None) -> None:
        self.document.set_establishment(establishment)
        has_data = establishment is not None
        for action in (self.find_action, self.simulate_action, self.advice_action,
                       self.export_charts_action, *self.section_actions):
            action.setEnabled(has_data)
        self.tabs.setTabText(TAB_QUALITY, tab_title(establishment.report if has_data else None))
        self.scenario_dock.setVisible(has_data)
        if establishment is None:
            self.stack.setCurrentWidget(self.welcome)
        else:
            self.tabs.setTabToolTip(TAB_QUALITY, self.quality_view.counts_text())
            if self.stack.currentWidget() is not self.workspace:
                self.stack.setCurrentWidget(self.workspace)
                self.workspace.show_section(SECTION_ESTABLISHMENT, TAB_POSTS)
        self._update_title()

    def _update_title(self, *_args: object) -> None:
        if self.model.path is not None:
            name = self.model.path.name
        elif self.model.establishment is not None:
            name = self.model.establishment.source.path.name
        else:
            name = ""
        self.setWindowTitle(f"{APP_NAME} — {name}[*]" if name else f"{APP_NAME}[*]")
        self.setWindowModified(self.model.is_dirty())

    def title_text(self) -> str:
        """The title as shown: ``[*]`` becomes ``*`` when there are unsaved changes."""
        return self.windowTitle().replace("[*]", "*" if self.isWindowModified() else "")

    def _on_computing(self, running: bool) -> None:
        self.compute_label.setText("Computing results…" if running else "")

    def _on_results(self, index: int) -> None:
        if index == self.model.current_index():
            error = self.model.result_error(index)
            if error:
                self.status_label.setText(f"The scenario cannot be computed: {error}")

    def _update_recent_files(self) -> None:
        files = self.settings.recent_files()
        self.recent_menu.clear()
        for i, path in enumerate(files, start=1):
            prefix = f"&{i} " if i < 10 else ""
            action = self.recent_menu.addAction(f"{prefix}{Path(path).name}")
            action.setStatusTip(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))
        if files:
            self.recent_menu.addSeparator()
        clear = self.recent_menu.addAction("&Clear list")
        clear.triggered.connect(self._on_clear_recent)
        clear.setEnabled(bool(files))
        self.welcome.set_recent_files(files)

    def _on_clear_recent(self) -> None:
        self.settings.clear_recent_files()
        self._update_recent_files()

    # -- events ------------------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if mime.hasUrls() and droppable_file([u.toLocalFile() for u in mime.urls()]):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        self.dragEnterEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        path = droppable_file([u.toLocalFile() for u in event.mimeData().urls()])
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.open_file(path)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.files.maybe_save():
            event.ignore()
            return
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.set_window_state(self.saveState())
        self.settings.sync()
        self.loader.shutdown()
        self.files.shutdown()  # a project still being read must not arrive after closing
        self.posts_view.copier.shutdown()
        self.model.shutdown()
        self.exporter.finish()  # a workbook being written is finished, not thrown away
        self.files.autosaver.clear()
        self.files.autosaver.stop()
        self.files.release_current()
        self._resource_files.close()
        super().closeEvent(event)
