"""Ctrl+C on the posts table: the selected rows as tab-separated text for Excel.

The text is made column by column from the table model's prepared display strings
(:func:`planner.cell_text.clipboard_column` escapes formula-like text), never cell by cell
through Qt. Copying 200,000 rows still takes about a second, so a copy of more than
:data:`BACKGROUND_ROWS` rows is built by :class:`RowCopier` on a worker thread and the
clipboard is set on the GUI thread when it is ready; a smaller one is made at once.

Thread safety: :func:`capture` takes, on the GUI thread, references to the model's
per-column lists and arrays and the selected rows' frame positions. The model never
changes those lists: a new establishment replaces them wholesale
(``FrameTableModel.set_prepared``), so the worker reads the rows that were selected even
if the establishment is replaced meanwhile (the view cancels the copy then anyway).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QTableView, QWidget

from planner.cell_text import clipboard_column, clipboard_columns
from planner.tasks import TaskState, checkpoint
from ui import formatting
from ui.errors import show_error
from ui.table_model import FrameFilterProxyModel
from ui.tasks import TaskRunner

#: Copies of more rows than this are built off the GUI thread (200,000 rows: ~1 s).
BACKGROUND_ROWS = 20_000


@dataclass(frozen=True)
class RowsToCopy:
    """What a copy needs, taken on the GUI thread; a worker thread may read it.

    Attributes:
        header: the header of each column copied, in the order shown.
        columns: per column copied, the model's display strings (frame order) and its
            raw values (a float array for a numeric column, else anything).
        positions: frame positions of the rows copied, in the order shown.
    """

    header: list[object]
    columns: list[tuple[Sequence[str], object]]
    positions: np.ndarray

    def __len__(self) -> int:
        return len(self.positions)


def selected_table_rows(table: QTableView) -> np.ndarray:
    """The selected rows of ``table``, ascending, from the selection's ranges.

    Marks the ranges in a mask rather than ``np.unique`` of their rows: numpy 2's hashing
    ``unique`` took 60-180 ms on the GUI thread for 200,000 selected rows, the mask 1 ms.
    """
    selection, model = table.selectionModel(), table.model()
    if selection is None or model is None:
        return np.zeros(0, dtype=np.int64)
    mask = np.zeros(model.rowCount(), dtype=bool)
    for part in selection.selection():
        mask[part.top():part.bottom() + 1] = True
    return np.flatnonzero(mask)


def shown_columns(table: QTableView) -> list[int]:
    """The model columns the table shows, in the order shown (the user may move them)."""
    header = table.horizontalHeader()
    logical = (header.logicalIndex(v) for v in range(header.count()))
    return [c for c in logical if not header.isSectionHidden(c)]


def capture(table: QTableView, rows: np.ndarray) -> RowsToCopy | None:
    """The table's ``rows`` (proxy rows) and shown columns, ready to copy anywhere.

    None when the table's model is not a :class:`FrameFilterProxyModel`.
    """
    model = table.model()
    if not isinstance(model, FrameFilterProxyModel):
        return None
    source = model.frame_model()
    columns = shown_columns(table)
    header = [model.headerData(c, Qt.Orientation.Horizontal) for c in columns]
    positions = np.array(model.shown_positions()[np.asarray(rows, dtype=np.int64)])
    return RowsToCopy(header, [source.column_data(c) for c in columns], positions)


def _cells(display: Sequence[str], raw: object, positions: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray | None]:
    """Texts and "holds a number" flags at ``positions`` (as ``FrameTableModel.copy_cells``)."""
    texts = np.asarray(display, dtype=object)[positions]
    if isinstance(raw, np.ndarray):  # a numeric column: NaN is no number
        return texts, ~np.isnan(raw[positions])
    return texts, None


def build_text(rows: RowsToCopy, state: TaskState | None = None) -> str:
    """Tab-separated text of ``rows`` with a header line; plain work, safe off the GUI thread.

    Reports progress per column and stops (:class:`planner.errors.Cancelled`) when
    ``state`` says the user cancelled.
    """
    count = len(rows.columns)
    columns = []
    for i, (display, raw) in enumerate(rows.columns):
        checkpoint(state, i / (count + 1), "Copying rows…")
        columns.append(clipboard_column(*_cells(display, raw, rows.positions)))
    checkpoint(state, count / (count + 1), "Copying rows…")
    return clipboard_columns(rows.header, columns)


class RowCopier(QObject):
    """Puts rows on the clipboard: at once, or from a worker thread for large copies.

    Signals:
        message(str): "Copying 200,000 rows… Press Esc to cancel.", then "Copied 200,000
            rows" or "Copying cancelled: the clipboard is unchanged."

    The newest copy wins: starting one cancels the one running, and so does a small
    copy made meanwhile (else the large one would overwrite it when done). A copy
    cancelled after its text was made but before it reached the GUI thread is dropped
    too: once cancelled, nothing reaches the clipboard.
    """

    message = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner("copy rows", self)
        self.runner.finished.connect(self._on_finished)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.failed.connect(self._on_failed)
        self._rows = 0
        self._wanted = False  # the copy running still goes to the clipboard when done
        self._superseded = False  # ... no: a newer copy replaced it (say nothing of it)
        app = QCoreApplication.instance()
        if app is not None:  # a worker still running while Python shuts down takes it down
            app.aboutToQuit.connect(self.shutdown)

    def copy(self, rows: RowsToCopy) -> None:
        """Copy ``rows``: in the background when there are more than :data:`BACKGROUND_ROWS`."""
        if len(rows) <= BACKGROUND_ROWS:
            self.set_text(build_text(rows), len(rows))
            return
        self._rows, self._wanted, self._superseded = len(rows), True, False
        self.runner.start(lambda state: build_text(rows, state))
        self.message.emit(f"Copying {formatting.plural(self._rows, 'row')}… "
                          "Press Esc to cancel.")

    def set_text(self, text: str, rows: int) -> None:
        """Put ``text`` (``rows`` rows) on the clipboard now, cancelling a copy being made."""
        running = self.is_running()
        if running:
            self._superseded = True
            self.cancel()
        QGuiApplication.clipboard().setText(text)
        if running:  # replaces "Copying 200,000 rows…"
            self.message.emit(f"Copied {formatting.plural(rows, 'row')}")

    def cancel(self) -> None:
        """Stop the copy being made (Esc, or the establishment was replaced)."""
        if self.is_running():
            self._wanted = False
            self.runner.cancel()

    def is_running(self) -> bool:
        return self.runner.is_running()

    def shutdown(self) -> None:
        """Cancel and wait for the worker (the window is closing)."""
        self._wanted = False
        self.runner.shutdown()

    def _on_finished(self, text: object) -> None:
        if not self._wanted:  # cancelled while the finished text was on its way
            self._on_cancelled()
            return
        QGuiApplication.clipboard().setText(str(text))
        self.message.emit(f"Copied {formatting.plural(self._rows, 'row')}")

    def _on_cancelled(self) -> None:
        if not self._superseded:
            self.message.emit("Copying cancelled: the clipboard is unchanged.")

    def _on_failed(self, message: str, details: str) -> None:
        self.message.emit("Copying failed: the clipboard is unchanged.")
        parent = self.parent()
        show_error(parent if isinstance(parent, QWidget) else None, message, details,
                   "Copy rows")
