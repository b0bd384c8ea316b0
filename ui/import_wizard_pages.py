"""The import wizard's shared state and its first page: the file and the sheet.

:class:`ImportState` is what the pages pass along: the opened workbook, the
chosen sheet, the preview (header and first rows), the user's column choices
and, at the end, the imported establishment. Files are opened and previewed on
the GUI thread (with a wait cursor): reading the cells is quick; parsing and
checking them, the slow part, runs in the background on the last page.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from planner.errors import MappingError, PlannerError
from planner.establishment import Establishment
from planner.import_preview import SheetPreview, build_profile, default_sheet, preview_sheet
from planner.mapping import MappingProfile
from planner.readers import RawWorkbook, open_workbook
from ui.settings import Settings

FILE_FILTER = ("Spreadsheets and CSV files (*.xlsx *.xlsm *.xls *.ods *.csv *.tsv *.txt);;"
               "All files (*)")


@dataclass
class ImportState:
    """Everything the wizard's pages share."""

    path: Path | None = None
    workbook: RawWorkbook | None = None
    sheet: str | None = None
    preview: SheetPreview | None = None
    preview_key: tuple[Path, str] | None = None  # (file, sheet) the preview was made from
    loaded: MappingProfile | None = None  # a profile the user loaded on the mapping page
    choices: dict[str, str | None] = field(default_factory=dict)  # canonical -> header
    establishment: Establishment | None = None
    used_profile: MappingProfile | None = None

    def base(self) -> MappingProfile | None:
        """The profile whose defaults and options the import keeps."""
        if self.loaded is not None:
            return self.loaded
        return self.preview.profile if self.preview is not None else None

    def set_preview(self, preview: SheetPreview) -> None:
        """Show a new preview; the choices start from what it detected."""
        self.preview = preview
        self.choices = dict(preview.mapping)

    def profile(self) -> MappingProfile:
        """The strict profile built from the choices (what the import will follow)."""
        if self.preview is None:
            raise PlannerError("Choose a file and a sheet first.")
        return build_profile(self.preview.headers, self.choices, self.base())


@contextmanager
def wait_cursor() -> Iterator[None]:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


def message_label(name: str, bold: bool = True) -> QLabel:
    """A wrapped, plain-text label for a sentence from the planner (never rich text)."""
    label = QLabel()
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(name)
    label.setVisible(False)
    return label


def show_message(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class FilePage(QWizardPage):
    """Page 1: the file (typed or browsed for) and the sheet that holds the posts."""

    def __init__(self, state: ImportState, settings: Settings, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._state = state
        self._settings = settings
        self.setTitle("Choose the file and the sheet")
        self.setSubTitle("Choose the establishment spreadsheet or CSV file exported from your "
                         "HR or payroll system, then the sheet that lists the posts.")

        self.path_edit = QLineEdit()
        self.path_edit.setAccessibleName("File to import")
        self.path_edit.setPlaceholderText("Type a path or use Browse…")
        self.path_edit.textChanged.connect(self._on_path_edited)
        self.path_edit.editingFinished.connect(self._on_path_entered)
        path_label = QLabel("&File:")
        path_label.setBuddy(self.path_edit)
        self.browse_button = QPushButton("Bro&wse…")
        self.browse_button.setAutoDefault(False)
        self.browse_button.setAccessibleName("Browse for the file")
        self.browse_button.clicked.connect(self._on_browse)

        self.sheet_combo = QComboBox()
        self.sheet_combo.setAccessibleName("Sheet")
        self.sheet_combo.setEnabled(False)
        self.sheet_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        sheet_label = QLabel("&Sheet:")
        sheet_label.setBuddy(self.sheet_combo)

        self.info_label = QLabel()
        self.info_label.setWordWrap(True)
        self.info_label.setAccessibleName("About the file")
        self.message = message_label("Problem with the file")
        self.help_label = QLabel(
            "FTE Planner reads Excel workbooks (.xlsx, .xlsm, .xls), OpenDocument spreadsheets "
            "(.ods) and CSV files. Title rows and notes above the column names are fine: the "
            "row of column names is found for you, and the next page shows what was found.")
        self.help_label.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(path_label, 0, 0)
        grid.addWidget(self.path_edit, 0, 1)
        grid.addWidget(self.browse_button, 0, 2)
        grid.addWidget(sheet_label, 1, 0)
        grid.addWidget(self.sheet_combo, 1, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.info_label)
        layout.addWidget(self.message)
        layout.addSpacing(self.fontMetrics().height())
        layout.addWidget(self.help_label)
        layout.addStretch(1)
        self.setTabOrder(self.path_edit, self.browse_button)
        self.setTabOrder(self.browse_button, self.sheet_combo)

    # -- public --------------------------------------------------------------------------

    def set_path(self, path: str | Path) -> bool:
        """Open ``path`` and list its sheets, choosing the one the importer would use."""
        path = Path(path)
        self.path_edit.blockSignals(True)
        self.path_edit.setText(str(path))
        self.path_edit.blockSignals(False)
        self._state.workbook, self._state.path = None, path
        self._state.preview_key = None  # opened again: preview it afresh
        self.sheet_combo.clear()
        self.sheet_combo.setEnabled(False)
        self.info_label.clear()
        try:
            with wait_cursor():
                wb = open_workbook(path)
                chosen = default_sheet(wb)
        except PlannerError as error:
            show_message(self.message, f"This file cannot be used: {error}")
            self.completeChanged.emit()
            return False
        show_message(self.message, "")
        self._state.workbook = wb
        for name in wb.sheet_names:
            self.sheet_combo.addItem(name, name)
        self.sheet_combo.setCurrentIndex(max(wb.sheet_names.index(chosen), 0))
        self.sheet_combo.setEnabled(wb.file_format != "csv" and len(wb.sheet_names) > 1)
        if wb.file_format == "csv":
            self.info_label.setText(f"A CSV file ({wb.encoding or 'text'}); it has one table.")
        elif len(wb.sheet_names) == 1:
            self.info_label.setText("A workbook with one sheet.")
        else:
            self.info_label.setText(f"A workbook with {len(wb.sheet_names)} sheets; "
                                    f"'{chosen}' looks like the establishment, so it is chosen.")
        self.completeChanged.emit()
        return True

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip())

    def validatePage(self) -> bool:
        text = self.path_edit.text().strip()
        stale = self._state.workbook is None or Path(text) != self._state.path
        if stale and not self.set_path(text):
            return False
        sheet = self.sheet_combo.currentData()
        if self._state.preview is not None and self._state.preview_key == (Path(text), sheet):
            return True  # back and forward again: keep the user's choices
        return self._make_preview(sheet)

    # -- private -------------------------------------------------------------------------

    def _make_preview(self, sheet: str) -> bool:
        state = self._state
        assert state.workbook is not None
        try:
            with wait_cursor():
                try:
                    preview = preview_sheet(state.workbook, sheet, state.loaded)
                except MappingError:
                    state.loaded = None  # the loaded profile does not fit this sheet
                    preview = preview_sheet(state.workbook, sheet)
        except PlannerError as error:
            show_message(self.message, str(error))
            return False
        show_message(self.message, "")
        state.sheet = sheet
        state.preview_key = (state.path, sheet) if state.path else None
        state.set_preview(preview)
        return True

    def _on_path_edited(self, text: str) -> None:
        if self._state.workbook is not None and Path(text.strip()) != self._state.path:
            self._state.workbook = None
            self.sheet_combo.clear()
            self.sheet_combo.setEnabled(False)
            self.info_label.clear()
        self.completeChanged.emit()

    def _on_path_entered(self) -> None:
        text = self.path_edit.text().strip()
        if text and (self._state.workbook is None or Path(text) != self._state.path):
            self.set_path(text)

    def _on_browse(self) -> None:
        start = str(self._state.path.parent) if self._state.path else \
            self._settings.last_directory()
        name, _ = QFileDialog.getOpenFileName(self, "Choose the establishment file", start,
                                              FILE_FILTER)
        if name:
            self._settings.set_last_directory(Path(name).parent)
            self.set_path(name)
