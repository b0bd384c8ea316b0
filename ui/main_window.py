"""The main window: menus, the welcome screen or the establishment tabs, the status bar."""

from __future__ import annotations

import contextlib
import sys
from importlib import resources
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from planner import __version__, bundled
from planner.establishment import Establishment
from ui import formatting
from ui.document import EstablishmentDocument
from ui.errors import show_error
from ui.establishment_view import EstablishmentView
from ui.loader import Loader, LoadRequest
from ui.quality_view import QualityView, tab_title
from ui.settings import Settings
from ui.summary_panel import SummaryPanel
from ui.welcome import SUPPORTED_SUFFIXES, WelcomeView

APP_NAME = "FTE Planner"
FILE_FILTER = (
    "Spreadsheets (*.xlsx *.xlsm *.xls *.ods *.csv);;Excel workbooks (*.xlsx *.xlsm *.xls);;"
    "OpenDocument spreadsheets (*.ods);;CSV files (*.csv);;All files (*)"
)
TAB_POSTS, TAB_SUMMARY, TAB_QUALITY = 0, 1, 2


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
    """The first local file with a supported extension, if any."""
    for text in paths:
        if text and Path(text).suffix.lower() in SUPPORTED_SUFFIXES:
            return Path(text)
    return None


class MainWindow(QMainWindow):
    def __init__(self, settings: Settings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else Settings()
        self.document = EstablishmentDocument(self)
        self.loader = Loader(self)
        self._resource_files = contextlib.ExitStack()

        self.welcome = WelcomeView()
        self.welcome.setAccessibleName("Welcome")
        self.posts_view = EstablishmentView(self.document)
        self.summary_panel = SummaryPanel(self.document)
        self.quality_view = QualityView(self.document)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Establishment")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.posts_view, "&Posts")
        self.tabs.addTab(self.summary_panel, "S&ummary")
        self.tabs.addTab(self.quality_view, tab_title(None))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)

        self._create_status_bar()
        self._create_actions()
        self._create_menus()

        self.welcome.open_file_requested.connect(self.open_file_dialog)
        self.welcome.open_demo_requested.connect(self.open_demo)
        self.welcome.open_recent_requested.connect(self.open_file)
        self.loader.started.connect(self._on_load_started)
        self.loader.progress.connect(self._on_load_progress)
        self.loader.finished.connect(self._on_load_finished)
        self.loader.failed.connect(self._on_load_failed)
        self.loader.cancelled.connect(self._on_load_cancelled)
        self.document.changed.connect(self._on_establishment_changed)

        self.setAcceptDrops(True)
        self._restore_geometry()
        self._on_establishment_changed(None)
        self._update_recent_files()

    # -- building ---------------------------------------------------------------------------

    def _create_status_bar(self) -> None:
        bar = self.statusBar()
        self.status_label = QLabel("Open an establishment file to begin.")
        self.status_label.setAccessibleName("Status")
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
        bar.addPermanentWidget(self.progress_label)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self._set_loading(False)

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        self.open_action = self._action(
            "&Open…", self.open_file_dialog, QKeySequence.StandardKey.Open,
            "Open an establishment spreadsheet",
        )
        self.open_action.setShortcut(QKeySequence("Ctrl+O"))
        self.demo_action = self._action(
            "Open &demo council", self.open_demo, None, "Open the made-up demo council"
        )
        self.cancel_action = self._action(
            "&Cancel loading", self.cancel_loading, "Esc", "Stop opening the file"
        )
        self.quit_action = self._action("&Quit", self.close, "Ctrl+Q", "Close FTE Planner")
        self.clear_recent_action = QAction("&Clear list", self)
        self.clear_recent_action.triggered.connect(self._on_clear_recent)
        self.posts_action = self._action(
            "&Posts", lambda: self.show_tab(TAB_POSTS), "Ctrl+1", "Show the posts table"
        )
        self.summary_action = self._action(
            "S&ummary", lambda: self.show_tab(TAB_SUMMARY), "Ctrl+2", "Show the summary"
        )
        self.quality_action = self._action(
            "Data &quality", lambda: self.show_tab(TAB_QUALITY), "Ctrl+3",
            "Show the data-quality report",
        )
        self.find_action = self._action(
            "&Find posts…", self._on_find, "Ctrl+F", "Search the posts table"
        )
        self.about_action = self._action("&About FTE Planner", self.show_about)

    def _create_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        menu.addAction(self.open_action)
        menu.addAction(self.demo_action)
        self.recent_menu = menu.addMenu("Open &recent")
        menu.addSeparator()
        menu.addAction(self.cancel_action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        view = self.menuBar().addMenu("&View")
        for action in (self.posts_action, self.summary_action, self.quality_action):
            view.addAction(action)
        view.addSeparator()
        view.addAction(self.find_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(self.about_action)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry()
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry() if self.screen() else None
            width, height = 1280, 800
            if screen is not None:
                width, height = min(width, screen.width()), min(height, screen.height())
            self.resize(width, height)

    # -- opening files -------------------------------------------------------------------------

    def open_file_dialog(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Open establishment file", self.settings.last_directory(), FILE_FILTER
        )
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> None:
        """Open ``path`` in the background; the result arrives in ``_on_load_*``."""
        path = Path(path)
        if not path.is_file():
            show_error(
                self, f"The file {path.name} could not be found. It may have been moved, "
                "renamed or deleted.", f"File: {path}", "Could not open the file",
            )
            return
        self.settings.set_last_directory(path.parent)
        self.loader.start(path)

    def open_demo(self) -> None:
        traversable = bundled.demo_workbook()
        if not traversable.is_file():
            show_error(
                self, "The demo council is missing from this installation of FTE Planner.",
                f"Looked for: {traversable}", "Could not open the demo council",
            )
            return
        if isinstance(traversable, Path):
            path = traversable
        else:  # inside a zip: keep a temporary copy until the window closes
            path = self._resource_files.enter_context(resources.as_file(traversable))
        self.loader.start(path)

    def cancel_loading(self) -> None:
        if self.loader.is_running():
            self.progress_label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)
            self.loader.cancel()

    def show_establishment(self, establishment: Establishment) -> None:
        """Show an establishment (also used to load synchronously, e.g. for screenshots)."""
        self.document.set_establishment(establishment)
        self.status_label.setText(loaded_message(establishment))

    def show_tab(self, index: int) -> None:
        if self.document.establishment is not None:
            self.stack.setCurrentWidget(self.tabs)
            self.tabs.setCurrentIndex(index)

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            "About FTE Planner",
            f"<h3>FTE Planner {__version__}</h3>"
            "<p>Workforce (FTE) scenario planning for councils and public bodies.</p>"
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
        self.show_establishment(establishment)
        self.settings.add_recent_file(establishment.source.path)
        self._update_recent_files()

    def _on_load_failed(self, message: str, details: str, unexpected: bool) -> None:
        self._set_loading(False)
        name = getattr(self, "_loading_name", "the file")
        self.status_label.setText(f"Could not open {name}.")
        title = "Unexpected error" if unexpected else "Could not open the file"
        show_error(self, message, details, title, unexpected=unexpected)

    def _on_load_cancelled(self) -> None:
        self._set_loading(False)
        name = getattr(self, "_loading_name", "the file")
        self.status_label.setText(f"Opening {name} was cancelled.")

    # -- other slots ------------------------------------------------------------------------------

    def _on_establishment_changed(self, establishment: Establishment | None) -> None:
        has_data = establishment is not None
        for action in (self.posts_action, self.summary_action, self.quality_action,
                       self.find_action):
            action.setEnabled(has_data)
        if establishment is None:
            self.setWindowTitle(APP_NAME)
            self.stack.setCurrentWidget(self.welcome)
            self.tabs.setTabText(TAB_QUALITY, tab_title(None))
            return
        self.setWindowTitle(f"{APP_NAME} — {establishment.source.path.name}")
        self.tabs.setTabText(TAB_QUALITY, tab_title(establishment.report))
        self.tabs.setTabToolTip(TAB_QUALITY, self.quality_view.counts_text())
        self.stack.setCurrentWidget(self.tabs)
        self.tabs.setCurrentIndex(TAB_POSTS)

    def _on_find(self) -> None:
        self.show_tab(TAB_POSTS)
        self.posts_view.focus_search()

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
        self.recent_menu.addAction(self.clear_recent_action)
        self.clear_recent_action.setEnabled(bool(files))
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
        self.settings.set_window_geometry(self.saveGeometry())
        self.settings.sync()
        self.loader.shutdown()
        self._resource_files.close()
        super().closeEvent(event)
