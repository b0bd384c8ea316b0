"""The scenario list of presentation mode (S): a numbered list over the slide.

Up and Down move, Enter shows the highlighted scenario, a number key shows that
scenario at once, and Esc or S closes the list without switching. The list is a
plain read-only list: nothing in it can be edited.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.presentation_slides import label
from ui.presentation_style import SlideFonts, sized

HINT = "↑ ↓ then Enter, or the scenario's number; Esc to go back"


class ScenarioPicker(QFrame):
    """Signals: ``chosen(int)`` a scenario's position; ``dismissed()`` closed unchosen."""

    chosen = Signal(int)
    dismissed = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.Box)
        self.setLineWidth(2)
        self.setAutoFillBackground(True)
        self.setAccessibleName("Switch scenario")
        self.title = label("Switch scenario", "Switch scenario")
        self.hint = label(HINT, "How to choose")
        self.list = QListWidget()
        self.list.setAccessibleName("Scenarios")
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.installEventFilter(self)
        self.list.itemActivated.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.hint)
        self.hide()

    def open(self, names: list[str], current: int) -> None:
        self.list.clear()
        for i, name in enumerate(names):
            shown = "   (on screen)" if i == current else ""
            item = QListWidgetItem(f"{i + 1}   {name}{shown}")
            item.setData(Qt.ItemDataRole.UserRole, i)
            self.list.addItem(item)
        self.list.setCurrentRow(current if 0 <= current < len(names) else 0)
        self.place()
        self.show()
        self.raise_()
        self.list.setFocus()

    def set_fonts(self, fonts: SlideFonts) -> None:
        self.title.setFont(sized(self, fonts.heading, bold=True))
        self.list.setFont(sized(self, fonts.body))
        self.hint.setFont(sized(self, fonts.tick))
        m = fonts.margin
        self.layout().setContentsMargins(m, m, m, m)
        self.list.setSpacing(round(fonts.body * 0.3))
        self.place()

    def place(self) -> None:
        """Centred over the slide, half its width, tall enough for the list."""
        parent = self.parentWidget()
        if parent is None:
            return
        rows = max(self.list.count(), 1)
        row = self.list.sizeHintForRow(0) if self.list.count() else 30
        list_h = rows * (row + 2 * self.list.spacing()) + 2 * self.list.frameWidth()
        margins = self.layout().contentsMargins()
        height = (self.title.sizeHint().height() + self.hint.sizeHint().height() + list_h
                  + margins.top() + margins.bottom() + 2 * self.layout().spacing())
        width = max(parent.width() // 2, 200)
        height = min(height, parent.height() - 40)
        self.setGeometry((parent.width() - width) // 2, (parent.height() - height) // 2,
                         width, height)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress \
                and isinstance(event, QKeyEvent):
            key = event.key()
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_S):
                self.hide()
                self.dismissed.emit()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._choose(self.list.currentRow())
                return True
            number = key - int(Qt.Key.Key_1)
            if 0 <= number < min(self.list.count(), 9):
                self._choose(number)
                return True
        return super().eventFilter(watched, event)

    def _on_activated(self, item: QListWidgetItem) -> None:
        self._choose(int(item.data(Qt.ItemDataRole.UserRole)))

    def _choose(self, row: int) -> None:
        if 0 <= row < self.list.count():
            self.hide()
            self.chosen.emit(row)
