"""Page 2 of the import wizard: the first rows of the sheet and the column mapping.

One drop-down per FTE Planner column, filled with the sheet's headers and set to
what the importer detected (a recognised file format first, then header
synonyms). Required columns are in bold and say "Required" in words. The
choices can be saved as a mapping profile (JSON) and loaded again next month.
Whatever the drop-downs say is exactly what gets imported.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from planner.errors import PlannerError
from planner.import_preview import (
    ambiguous_choices,
    build_profile,
    header_targets,
    missing_required,
    preview_sheet,
)
from planner.mapping import load_profile
from ui.import_mapping_grid import MappingGrid
from ui.import_preview_model import NOT_USED, PreviewTableModel
from ui.import_wizard_pages import ImportState, message_label, show_message, wait_cursor
from ui.settings import Settings

PROFILE_FILTER = "Mapping profiles (*.json);;All files (*)"
PROFILE_DIR_KEY = "import_wizard/profile_directory"


class MappingPage(QWizardPage):
    """Page 2: preview the sheet and choose the header each FTE Planner column comes from."""

    def __init__(self, state: ImportState, settings: Settings, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self._state = state
        self._settings = settings
        self._problems: list[str] = []
        self.setTitle("Check the columns")
        self.setSubTitle("Each FTE Planner column on the left comes from the column of your "
                         "file chosen beside it. Change any that are wrong, or choose "
                         f"“{NOT_USED}” to leave a column out.")

        self.about_label = QLabel()
        self.about_label.setWordWrap(True)
        self.about_label.setAccessibleName("About the sheet")

        self.model = PreviewTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName("First rows of the sheet")
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        vertical = self.table.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 6)

        self.grid = MappingGrid()
        self.grid.choice_changed.connect(self._on_choice)
        self.combos = self.grid.combos
        self.samples = self.grid.samples

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.grid)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)

        self.save_button = QPushButton("Sa&ve profile…")
        self.load_button = QPushButton("&Load profile…")
        self.reset_button = QPushButton("&Reset to detected")
        for button, tip in ((self.save_button, "Save these choices to use on next month's file"),
                            (self.load_button, "Use choices saved earlier"),
                            (self.reset_button, "Go back to the columns FTE Planner detected")):
            button.setAutoDefault(False)
            button.setToolTip(tip)
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.save_button.clicked.connect(lambda: self.save_profile())
        self.load_button.clicked.connect(lambda: self.load_profile())
        self.reset_button.clicked.connect(self.reset)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.reset_button)
        buttons.addStretch(1)

        self.problems_label = message_label("Problems with the mapping")
        self.notice_label = message_label("Notes on the mapping", bold=False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.about_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.notice_label)
        layout.addLayout(buttons)

    # -- public --------------------------------------------------------------------------

    def initializePage(self) -> None:
        self._show_preview()

    def isComplete(self) -> bool:
        return self._state.preview is not None and not self._problems

    def set_choice(self, canonical: str, header: str | None) -> None:
        """Choose ``header`` (``None`` for not used) for ``canonical``, as a user would."""
        self.grid.set_choice(canonical, header)

    def problems(self) -> list[str]:
        return list(self._problems)

    def save_profile(self, path: str | Path | None = None) -> Path | None:
        """Save the choices as a mapping profile (asks where when ``path`` is None)."""
        if self._state.preview is None:
            return None
        if path is None:
            start = Path(self._profile_dir()) / "mapping profile.json"
            name, _ = QFileDialog.getSaveFileName(self, "Save mapping profile", str(start),
                                                  PROFILE_FILTER)
            if not name:
                return None
            path = name
        path = Path(path)
        if path.suffix.lower() != ".json":
            path = path.with_name(path.name + ".json")
        profile = build_profile(self._state.preview.headers, self._state.choices,
                                self._state.base(), name=path.stem)
        try:
            profile.save(path)
        except OSError as exc:
            show_message(self.notice_label, f"Could not save '{path.name}': "
                                            f"{exc.strerror or exc}.")
            return None
        self._settings.qsettings.setValue(PROFILE_DIR_KEY, str(path.parent))
        show_message(self.notice_label, f"Mapping profile saved as '{path.name}'. Use Load "
                                        "profile… to apply it to another file.")
        return path

    def load_profile(self, path: str | Path | None = None) -> bool:
        """Apply a saved mapping profile; a profile that does not fit says why."""
        state = self._state
        if state.workbook is None or state.sheet is None:
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(self, "Load mapping profile",
                                                  self._profile_dir(), PROFILE_FILTER)
            if not name:
                return False
            path = name
        path = Path(path)
        try:
            with wait_cursor():
                profile = load_profile(path)
                preview = preview_sheet(state.workbook, state.sheet, profile)
        except PlannerError as error:
            show_message(self.notice_label, f"The profile was not applied. {error}")
            return False
        self._settings.qsettings.setValue(PROFILE_DIR_KEY, str(path.parent))
        state.loaded = profile
        state.set_preview(preview)
        self._show_preview()
        show_message(self.notice_label, f"Mapping profile '{profile.name}' applied from "
                                        f"'{path.name}'.")
        return True

    def reset(self) -> None:
        """Back to the detected columns (of the loaded profile, if one was loaded)."""
        if self._state.preview is not None:
            self._state.choices = dict(self._state.preview.mapping)
            self._show_preview()

    # -- private -------------------------------------------------------------------------

    def _profile_dir(self) -> str:
        value = self._settings.qsettings.value(PROFILE_DIR_KEY, "")
        return str(value) if value else self._settings.last_directory()

    def _show_preview(self) -> None:
        preview = self._state.preview
        self.model.set_preview(preview)
        show_message(self.notice_label, "")
        if preview is None:
            return
        rows = ", ".join(str(r) for r in preview.header_rows)
        where = "" if self._state.workbook and self._state.workbook.file_format == "csv" \
            else f" of sheet '{preview.sheet}'"
        about = (f"Column names found on row {rows}{where}; {preview.data_rows:,} rows of "
                 f"data below them (the first {len(preview.rows)} are shown).")
        self.about_label.setText(" ".join([about, *preview.notes]))
        self.grid.set_headers(preview.headers)
        for canon in self.combos:
            self.grid.set_choice(canon, self._state.choices.get(canon))
        self.table.resizeColumnsToContents()
        self._refresh()

    def _on_choice(self, canonical: str) -> None:
        self._state.choices[canonical] = self.grid.choice(canonical)
        self._refresh()

    def _refresh(self) -> None:
        state = self._state
        if state.preview is None:
            return
        self.model.set_targets(header_targets(state.choices))
        for canon in self.samples:
            self.grid.set_sample(canon, state.preview.sample(state.choices.get(canon)))
        self._problems = (missing_required(state.choices, state.base())
                          + ambiguous_choices(state.preview.headers, state.choices))
        show_message(self.problems_label, "\n".join(
            ["Next is not available until these are fixed:", *self._problems]
            if self._problems else []))
        self.completeChanged.emit()
