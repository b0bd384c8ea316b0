"""File ▸ Export board pack (PDF)… and File ▸ Export workbook (Excel)….

Both ask which scenarios go in (the ones ticked in Compare, else the one on screen; one to
five) and where to save. The board pack is drawn on the GUI thread (well under a second);
the workbook is written in the background with progress, since a large establishment's
sheets take a while. Failures reach the user as one sentence through the error dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFileDialog

from planner.errors import PlannerError
from planner.tasks import TaskState
from ui.errors import show_error
from ui.export_dialog import MAX_SCENARIOS, ExportDialog
from ui.tasks import TaskRunner

if TYPE_CHECKING:
    from ui.main_window import MainWindow


class Exporter(QObject):
    """The two exports of the main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.runner = TaskRunner("export", self)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self._on_finished)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self._target: Path | None = None

    def finish(self, msecs: int = 120_000) -> None:
        """On closing: let a workbook being written finish, then start nothing more."""
        if self.runner.is_running():
            self.runner.wait(msecs)
        self.runner.shutdown(0)

    # ----- choosing ---------------------------------------------------------------------
    def default_ticks(self) -> list[int]:
        model = self.window.model
        ticked = [i for i in self.window.workspace.compare_view.ticked_indices()
                  if 0 <= i < len(model.scenarios)][:MAX_SCENARIOS]
        return ticked or [model.current_index()]

    def choose(self, title: str, intro: str, *, anonymise_option: bool = False
               ) -> tuple[list[int], bool] | None:
        names = [s.name for s in self.window.model.scenarios]
        if not names:
            self.window.status_label.setText("There is no scenario to export yet.")
            return None
        dialog = ExportDialog(title, intro, names, self.default_ticks(),
                              anonymise_option=anonymise_option, parent=self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.chosen(), dialog.anonymise.isChecked()

    def _ready(self, indices: list[int]) -> bool:
        model = self.window.model
        waiting = [model.scenarios[i].name for i in indices if model.results(i) is None]
        if waiting:
            self.window.status_label.setText(
                f"Still working out {', '.join(waiting)}; try again in a moment.")
            return False
        return True

    def _save_name(self, caption: str, suggestion: str, filter_text: str) -> Path | None:
        folder = Path(self.window.settings.last_directory())
        name, _ = QFileDialog.getSaveFileName(self.window, caption, str(folder / suggestion),
                                              filter_text)
        if not name:
            return None
        path = Path(name)
        suffix = Path(suggestion).suffix
        return path if path.suffix.lower() == suffix else path.with_name(path.name + suffix)

    # ----- the board pack -----------------------------------------------------------------
    def export_board_pack(self) -> None:
        from planner.board_pack import build_board_pack
        from ui.board_pack_pdf import write_board_pack_pdf

        choice = self.choose("Export board pack", "The board pack (PDF, A4 landscape) has a "
                             "plain-English summary, the KPI comparison, the key charts, the "
                             "assumptions and the data quality. It holds no names or post ids.")
        if choice is None:
            return
        indices, _anonymise = choice
        if not self._ready(indices):
            return
        path = self._save_name("Save the board pack as", "board pack.pdf", "PDF (*.pdf)")
        if path is None:
            return
        model = self.window.model
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            pack = build_board_pack([model.results(i) for i in indices],
                                    [model.simulation_result(i) for i in indices],
                                    model.establishment)
            write_board_pack_pdf(pack, path)
        except PlannerError as error:
            show_error(self.window, str(error), title="Could not save the board pack")
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.window.status_label.setText(f"Saved the board pack to {path}")

    # ----- the workbook -------------------------------------------------------------------
    def export_workbook(self) -> None:
        if self.runner.is_running():
            self.window.status_label.setText(
                f"Still saving {self._target.name if self._target else 'a workbook'}; "
                "try again when it has finished.")
            return
        from planner.export_xlsx import write_results_workbook
        from planner.xlsx_compare import write_comparison_workbook

        choice = self.choose("Export workbook", "The Excel workbook has each scenario's "
                             "figures, native charts, the risk sheet and, for two or more "
                             "scenarios, a Compare sheet.", anonymise_option=True)
        if choice is None:
            return
        indices, anonymise = choice
        if not self._ready(indices):
            return
        path = self._save_name("Save the workbook as", "scenarios.xlsx",
                               "Excel workbook (*.xlsx)")
        if path is None:
            return
        model = self.window.model
        results = [model.results(i) for i in indices]
        simulations = [model.simulation_result(i) for i in indices]
        establishment = model.establishment
        self._target = path

        def work(state: TaskState) -> Path:
            if len(results) == 1:
                return write_results_workbook(results[0], path, establishment=establishment,
                                              anonymise=anonymise, state=state)
            return write_comparison_workbook(results, path, simulations=simulations,
                                             establishment=establishment,
                                             anonymise=anonymise, state=state)

        self.window.status_label.setText(f"Writing {path.name}…")
        self.runner.start(work)

    def _on_progress(self, fraction: float, message: str) -> None:
        self.window.status_label.setText(f"{message} {fraction:.0%}".strip())

    def _on_finished(self, path: object) -> None:
        self.window.status_label.setText(f"Saved the workbook to {path}")

    def _on_cancelled(self) -> None:
        name = self._target.name if self._target else "the workbook"
        self.window.status_label.setText(f"Stopped saving {name}.")

    def _on_failed(self, message: str, details: str) -> None:
        show_error(self.window, message, details, "Could not save the workbook")
