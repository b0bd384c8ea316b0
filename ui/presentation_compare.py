"""The Compare slide: the scenarios' key figures side by side, the best one marked in words.

Figures come from :func:`planner.compare.compare_kpis` (what the Compare view
shows), cut to the rows of :data:`planner.presentation_kpis.COMPARE_ROWS`. The
best value of a row is bold and followed by "★ best", never marked by colour
alone; a scenario still computing shows "Calculating…". Plain labels in a grid,
with every other row on a light stripe: nothing to click or edit.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from planner import compare
from planner.presentation_kpis import CompareRow, compare_rows
from planner.results import Results
from ui.compare_view import BEST_MARK, MAX_TICKED, NOT_COMPUTED
from ui.presentation_slides import CALCULATING, Slide, SlideContext, label
from ui.presentation_style import STRIPE, SlideFonts, sized

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
MARK = BEST_MARK.replace(" ", "\u00a0")  # "★ best" never split over two lines
TABLE_SCALE = 1.15  # of the body text: the table is the whole slide


def compared_indices(count: int, shown: int, most: int = MAX_TICKED) -> list[int]:
    """Up to ``most`` scenarios in project order, always including the one shown."""
    picked = list(range(min(count, most)))
    if 0 <= shown < count and shown not in picked:
        picked[-1] = shown
    return picked


class CompareTable(QWidget):
    """A grid of labels: the measure, then one column per scenario."""

    def __init__(self) -> None:
        super().__init__()
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(0)
        self.grid.setVerticalSpacing(0)
        self.cells: list[list[QLabel]] = []
        self.rows: list[CompareRow] = []
        self.names: list[str] = []
        self._fonts: SlideFonts | None = None
        self.setAccessibleName("Key figures of the scenarios compared")

    def set_rows(self, names: list[str], rows: list[CompareRow]) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()
        self.names, self.rows = names, rows
        head = [label("Measure", "Measure")]
        head += [label(name, f"Scenario {j + 1}") for j, name in enumerate(names)]
        self.cells = [head]
        for row in rows:
            line = [label(row.label, row.label)]
            for j, text in enumerate(row.texts):
                best = j in row.best
                cell = label(f"{text}  {MARK}" if best else text)
                cell.setAccessibleName(f"{names[j]}, {row.label}: {text}"
                                       + (", best" if best else ""))
                line.append(cell)
            self.cells.append(line)
        for r, line in enumerate(self.cells):
            for c, cell in enumerate(line):
                cell.setAlignment(_LEFT if c == 0 else _RIGHT)
                self.grid.addWidget(cell, r, c)
        for line in self.cells:  # the measures keep one line; the scenarios share the rest
            line[0].setWordWrap(False)
        self.grid.setColumnStretch(0, 0)
        for c in range(1, len(names) + 1):
            self.grid.setColumnStretch(c, 1)
        self.grid.setRowStretch(len(self.cells), 1)
        if self._fonts is not None:
            self.set_fonts(self._fonts)

    def set_fonts(self, fonts: SlideFonts) -> None:
        self._fonts = fonts
        points = fonts.body * TABLE_SCALE
        pad = round(points * 0.8)
        for r, line in enumerate(self.cells):
            for c, cell in enumerate(line):
                best = r > 0 and c > 0 and c - 1 in self.rows[r - 1].best
                cell.setFont(sized(self, points, bold=r == 0 or best))
                cell.setContentsMargins(pad, pad, pad, pad)

    def text(self, key: str, scenario: int) -> str:
        """The cell of row ``key`` for the ``scenario``-th column (for tests)."""
        r = [row.key for row in self.rows].index(key) + 1
        return self.cells[r][scenario + 1].text()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        for line in self.cells[::2]:
            top = min(cell.geometry().top() for cell in line)
            bottom = max(cell.geometry().bottom() for cell in line)
            painter.fillRect(QRect(0, top, self.width(), bottom - top + 1), STRIPE)
        painter.end()
        super().paintEvent(event)


class CompareSlide(Slide):
    key = "compare"

    def __init__(self) -> None:
        super().__init__("Scenarios compared")
        self.table = CompareTable()
        self.set_content(self.table)

    def apply_fonts(self, fonts: SlideFonts) -> None:
        self.table.set_fonts(fonts)

    def refresh(self, context: SlideContext) -> None:
        model = context.model
        indices = compared_indices(len(model.scenarios), context.index)
        results: list[Results | None] = [model.results(i) for i in indices]
        names = [model.scenarios[i].name for i in indices]
        waiting = [NOT_COMPUTED if model.result_error(i) else CALCULATING for i in indices]
        frame = compare.compare_kpis(results, [model.simulation_result(i) for i in indices],
                                     names=names, placeholders=waiting)
        self.table.set_rows(compare.scenario_columns(frame), compare_rows(frame))
        more = len(model.scenarios) - len(indices)
        sentence = f"Bold with {MARK} marks the best value in each row."
        if more > 0:
            sentence += f" {more} more scenario{'s' if more != 1 else ''} not shown."
        self.set_heading("Scenarios compared", sentence)
        self.body.setCurrentWidget(self.table)
