"""Page 3 of the import wizard: import in the background, then the data-quality report.

The import follows the strict profile built from the mapping page, so the
columns chosen there are the columns read. While it runs the page shows
progress and a Cancel button; afterwards it shows rows read, loaded and
excluded, the issues counted by severity in words, and the report itself, which
can be exported to CSV or Excel before Finish commits the import. A file the
importer cannot use shows the importer's own sentence; Back leads to the fix.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from planner import importer
from planner.errors import PlannerError
from planner.establishment import Establishment
from planner.import_preview import export_report
from planner.tasks import ShareOfProgress, TaskState, checkpoint
from ui.document import EstablishmentDocument
from ui.errors import show_error
from ui.import_wizard_pages import ImportState, message_label, show_message
from ui.quality_view import QualityView
from ui.settings import Settings
from ui.table_model import prepare_posts
from ui.tasks import TaskRunner

REPORT_FILTER = "Excel workbook (*.xlsx);;CSV file (*.csv)"
PROGRESS_STEPS = 1000
#: Share of the progress bar for the import; the rest prepares the posts table.
IMPORT_SHARE = 0.85


class ImportPage(QWizardPage):
    """Page 3: run the import, then show its data-quality report."""

    def __init__(self, state: ImportState, settings: Settings, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._state = state
        self._settings = settings
        self.setTitle("Import and check the data")
        self.setSubTitle("Every row left out and every value changed or doubtful is listed "
                         "below. Finish opens the establishment; Back lets you change the "
                         "columns first.")
        self.runner = TaskRunner("import", self)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)

        self.status_label = QLabel()
        self.status_label.setAccessibleName("Import status")
        self.status_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setRange(0, PROGRESS_STEPS)
        self.progress.setAccessibleName("Import progress")
        self.cancel_button = QPushButton("&Cancel import")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.retry_button = QPushButton("&Import again")
        self.retry_button.setAutoDefault(False)
        self.retry_button.clicked.connect(self.start_import)
        self.export_button = QPushButton("&Export report…")
        self.export_button.setAutoDefault(False)
        self.export_button.setToolTip("Save the data-quality report as an Excel or CSV file")
        self.export_button.clicked.connect(lambda: self.export(None))
        self.message = message_label("Why the import failed")
        self.summary_label = QLabel()
        self.summary_label.setAccessibleName("Rows read, loaded and excluded")
        self.summary_label.setWordWrap(True)

        self.document = EstablishmentDocument(self)
        self.quality = QualityView(self.document)

        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.summary_label, 1)
        bar.addWidget(self.cancel_button)
        bar.addWidget(self.retry_button)
        bar.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status_label)
        layout.addLayout(bar)
        layout.addWidget(self.message)
        layout.addWidget(self.quality, 1)
        layout.addStretch(0)  # takes the space while the report is hidden
        self._layout = layout
        self._show("idle")

    # -- public --------------------------------------------------------------------------

    def initializePage(self) -> None:
        self.start_import()

    def cleanupPage(self) -> None:
        """Back: stop an import that is running and forget its result."""
        self.runner.cancel()
        self._set_establishment(None)

    def isComplete(self) -> bool:
        return self._state.establishment is not None and not self.runner.is_running()

    def start_import(self) -> None:
        state = self._state
        self._set_establishment(None)
        try:
            profile = state.profile()
        except PlannerError as error:
            self._on_failed(str(error), "")
            return
        path, sheet = state.path, state.sheet
        if path is None:
            self._on_failed("Choose a file first.", "")
            return
        state.used_profile = profile
        self.progress.setValue(0)
        self.status_label.setText(f"Importing {path.name}…")
        self._show("running")

        def work(task: TaskState) -> Establishment:
            est = importer.load_establishment(path, sheet=sheet, mapping=profile,
                                              state=ShareOfProgress(task, 0.0, IMPORT_SHARE))
            # Here, off the GUI thread, so that the window formats nothing when the wizard
            # hands the establishment over (seconds for 200,000 posts).
            prepare_posts(est.posts, ShareOfProgress(task, IMPORT_SHARE, 1.0))
            checkpoint(task, 1.0, "Checking the data…")
            return est

        self.runner.start(work)
        self.completeChanged.emit()

    def cancel(self) -> None:
        self.runner.cancel()

    def export(self, path: str | Path | None = None) -> Path | None:
        """Write the report to ``path`` (.xlsx or .csv; asks where when ``path`` is None)."""
        est = self._state.establishment
        if est is None:
            return None
        if path is None:
            start = Path(self._settings.last_directory()) / f"{est.source.path.stem} data " \
                "quality.xlsx"
            name, chosen = QFileDialog.getSaveFileName(self, "Export the data-quality report",
                                                       str(start), REPORT_FILTER)
            if not name:
                return None
            path = Path(name)
            if path.suffix.lower() not in (".xlsx", ".csv"):
                path = path.with_name(path.name + (".csv" if "csv" in chosen.lower()
                                                   else ".xlsx"))
        path = Path(path)
        try:
            export_report(est, path)
        except PlannerError as error:
            show_error(self, str(error), "", "Export the data-quality report")
            return None
        self._settings.set_last_directory(path.parent)
        self.status_label.setText(f"Report saved as '{path.name}'.")
        return path

    # -- private -------------------------------------------------------------------------

    def _show(self, phase: str) -> None:
        running = phase == "running"
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.retry_button.setVisible(phase in ("failed", "cancelled"))
        self.summary_label.setVisible(not running)
        self.export_button.setVisible(phase == "done")
        self.quality.setVisible(phase == "done")
        self._layout.setStretch(self._layout.count() - 1, 0 if phase == "done" else 1)
        if phase != "failed":
            show_message(self.message, "")

    def _set_establishment(self, est: Establishment | None) -> None:
        self._state.establishment = est
        self.document.set_establishment(est)
        self.completeChanged.emit()

    def _on_progress(self, fraction: float, message: str) -> None:
        self.progress.setValue(round(fraction * PROGRESS_STEPS))
        if message:
            self.status_label.setText(message)

    def _on_finished(self, est: Establishment) -> None:
        self._set_establishment(est)
        self.status_label.setText(f"Imported {est.source.path.name}"
                                  + (f", sheet '{est.source.sheet}'" if est.source.sheet else "")
                                  + ".")
        self.summary_label.setText(f"{est.rows_read:,} rows read, {est.rows_loaded:,} loaded, "
                                   f"{est.rows_excluded:,} excluded.")
        self._show("done")
        self.completeChanged.emit()

    def _on_failed(self, message: str, details: str) -> None:
        self.status_label.setText("The import did not finish.")
        self.summary_label.clear()
        show_message(self.message, f"{message}\nUse Back to choose another file, sheet or "
                                   "columns, or Import again.")
        self._show("failed")
        self.completeChanged.emit()
        if details:  # a bug, not a problem with the file: offer the details to copy
            show_error(self, message, details, "Import")

    def _on_cancelled(self) -> None:
        self.status_label.setText("Import cancelled. Nothing was imported; use Import again "
                                  "or Back.")
        self._show("cancelled")
        self.completeChanged.emit()
