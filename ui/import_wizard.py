"""The import wizard: file and sheet → preview and column mapping → import and report.

Usage from the main window::

    wizard = ImportWizard(settings, path, parent=self)
    if wizard.exec() == QDialog.DialogCode.Accepted:
        model.set_establishment(wizard.establishment())

Every step is reachable by keyboard (Enter is Next, then Finish); a file or a
mapping the importer cannot use shows the importer's own sentence on the page,
and Back leads to the fix. Nothing is committed until Finish.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget, QWizard

from planner.establishment import Establishment
from planner.mapping import MappingProfile
from ui.import_mapping_page import MappingPage
from ui.import_run_page import ImportPage
from ui.import_wizard_pages import FilePage, ImportState
from ui.settings import Settings


class ImportWizard(QWizard):
    """Three pages: :class:`FilePage`, :class:`MappingPage`, :class:`ImportPage`.

    After the dialog is accepted, :meth:`establishment` returns what was imported,
    :meth:`profile` the mapping that was followed and :meth:`sheet` the sheet read.
    """

    FILE_PAGE, MAPPING_PAGE, IMPORT_PAGE = 0, 1, 2

    def __init__(self, settings: Settings, path: str | Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import an establishment")
        self.setAccessibleName("Import an establishment")
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.state = ImportState()
        self.file_page = FilePage(self.state, settings)
        self.mapping_page = MappingPage(self.state, settings)
        self.import_page = ImportPage(self.state, settings)
        self.setPage(self.FILE_PAGE, self.file_page)
        self.setPage(self.MAPPING_PAGE, self.mapping_page)
        self.setPage(self.IMPORT_PAGE, self.import_page)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Finish")
        self.setSizeGripEnabled(True)
        if path is not None:
            self.file_page.set_path(path)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        font = self.fontMetrics()
        return hint.expandedTo(QSize(font.averageCharWidth() * 150, font.height() * 42))

    def establishment(self) -> Establishment | None:
        """The imported establishment once the wizard was accepted (``None`` before)."""
        if self.result() != QWizard.DialogCode.Accepted:
            return None
        return self.state.establishment

    def profile(self) -> MappingProfile | None:
        """The strict mapping profile the import followed."""
        return self.state.used_profile

    def sheet(self) -> str | None:
        return self.state.sheet

    def done(self, result: int) -> None:
        """Closing stops an import still running (Cancel or Esc included)."""
        self.import_page.runner.shutdown(2000)
        if result != QWizard.DialogCode.Accepted:
            self.state.establishment = None
        super().done(result)
