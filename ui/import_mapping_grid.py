"""The mapping drop-downs: one row per FTE Planner column, in one or two blocks.

Each row reads "FTE Planner column | Needed? | Comes from your column | First
value". Required columns are bold and say "Required" in words. The rows are
laid out in two side-by-side blocks when the area is wide enough and in one
block otherwise (large fonts, narrow windows), so nothing is squeezed or cut.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QScrollArea, QWidget

from planner.import_preview import MappingRow, mapping_rows
from ui.import_preview_model import NOT_USED

HEADINGS = ("FTE Planner column", "Needed?", "Comes from your column", "First value")
SAMPLE_CHARS = 22
WRAP_AT = "Required (or Pay floor and"  # the "Needed?" column wraps to two lines at most


def _bold(label: QLabel) -> QLabel:
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class MappingGrid(QScrollArea):
    """The drop-downs, keyed by canonical column name; ``choice_changed(canonical)``."""

    choice_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName("Column mapping")
        self._rows: list[MappingRow] = mapping_rows()
        self._inner = QWidget()
        self._grid = QGridLayout(self._inner)
        self.setWidget(self._inner)
        self.combos: dict[str, QComboBox] = {}
        self.samples: dict[str, QLabel] = {}
        self._cells: list[tuple[QLabel, QLabel, QComboBox, QLabel]] = []
        self._headings = [[_bold(QLabel(h)) for h in HEADINGS] for _ in range(2)]
        for row in self._rows:
            name = QLabel(row.label)
            name.setToolTip(row.description)
            if row.required:
                _bold(name)
            need = QLabel(row.requirement)
            need.setWordWrap(True)
            combo = QComboBox()
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(16)
            combo.setAccessibleName(f"{row.label} comes from"
                                    + (" (required)" if row.required else ""))
            combo.setToolTip(row.description)
            combo.currentIndexChanged.connect(
                lambda _i, canon=row.canonical: self.choice_changed.emit(canon))
            name.setBuddy(combo)
            sample = QLabel()
            sample.setAccessibleName(f"First value for {row.label}")
            sample.setTextFormat(Qt.TextFormat.PlainText)
            self.combos[row.canonical] = combo
            self.samples[row.canonical] = sample
            self._cells.append((name, need, combo, sample))
        self._parts = 0  # Tab goes down the rows: the combos were created in row order
        self._arrange(2)

    # -- public --------------------------------------------------------------------------

    def set_headers(self, headers: list[str]) -> None:
        """Offer ``headers`` (after "(not used)") in every drop-down, without signals."""
        for combo in self.combos.values():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(NOT_USED, None)
            for header in headers:
                combo.addItem(header, header)
            combo.blockSignals(False)

    def set_choice(self, canonical: str, header: str | None) -> None:
        combo = self.combos[canonical]
        combo.setCurrentIndex(max(combo.findData(header), 0) if header else 0)

    def choice(self, canonical: str) -> str | None:
        return self.combos[canonical].currentData()

    def set_sample(self, canonical: str, text: str) -> None:
        label = self.samples[canonical]
        label.setToolTip(text if len(text) > SAMPLE_CHARS else "")
        label.setText(text if len(text) <= SAMPLE_CHARS else text[:SAMPLE_CHARS - 1] + "…")

    def parts(self) -> int:
        """1 or 2: how many side-by-side blocks the rows are shown in."""
        return self._parts

    # -- layout --------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(2 if self.viewport().width() >= 2 * self._block_width() else 1)

    def _block_width(self) -> int:
        """The width one block needs, from the fonts in use (not fixed pixels)."""
        metrics = self.fontMetrics()
        name = max(cells[0].fontMetrics().horizontalAdvance(cells[0].text())
                   for cells in self._cells)
        combo = max(cells[2].sizeHint().width() for cells in self._cells)
        spacing = max(self._grid.horizontalSpacing(), 6)
        return (name + metrics.horizontalAdvance(WRAP_AT) + combo
                + metrics.horizontalAdvance("x" * SAMPLE_CHARS) + 5 * spacing)

    def _arrange(self, parts: int) -> None:
        if parts == self._parts:
            return
        self._parts = parts
        grid = self._grid
        for widgets in (*self._headings, *self._cells):
            for widget in widgets:
                grid.removeWidget(widget)
        for c in range(10):
            grid.setColumnStretch(c, 0)
            grid.setColumnMinimumWidth(c, 0)
        for r in range(len(self._rows) + 2):
            grid.setRowStretch(r, 0)
        per_part = -(-len(self._rows) // parts)
        for part in range(2):
            for c, label in enumerate(self._headings[part]):
                label.setVisible(part < parts)
                if part < parts:
                    grid.addWidget(label, 0, part * 5 + c)
        for n, cells in enumerate(self._cells):
            part, r = divmod(n, per_part)
            for c, w in enumerate(cells):
                grid.addWidget(w, r + 1, part * 5 + c)
        if parts == 2:
            grid.setColumnMinimumWidth(4, grid.spacing() * 4)
            grid.setColumnStretch(8, 1)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(per_part + 1, 1)
