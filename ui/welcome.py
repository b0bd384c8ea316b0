"""The first screen: what the app does and the two ways to start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

SUPPORTED_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")

INTRODUCTION = (
    "FTE Planner reads your council's establishment — one row per post or post-holder — "
    "and lets you test workforce scenarios before you commit to them: post deletions, "
    "vacancy freezes, redeployment and new systems going live. It shows, month by month, "
    "whether each service still has the capacity for its demand, what it costs and what it "
    "saves. Everything stays on this computer."
)
DROP_HINT = (
    "You can also drag a project (.fteplan) or a spreadsheet (.xlsx, .xlsm, .xls, .ods or "
    ".csv) onto this window. File ▸ Import establishment (Ctrl+I) checks the columns step "
    "by step."
)


class WelcomeView(QWidget):
    """Buttons to open a file or the demo council, and the recent files."""

    open_file_requested = Signal()
    open_demo_requested = Signal()
    open_recent_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel("FTE Planner")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName("FTE Planner")

        intro = QLabel(INTRODUCTION)
        intro.setWordWrap(True)

        self.open_button = QPushButton("&Open project or spreadsheet…")
        self.open_button.setToolTip("Open an FTE Planner project, or an Excel, OpenDocument "
                                    "or CSV establishment file (Ctrl+O)")
        self.open_button.clicked.connect(self.open_file_requested)
        self.open_button.setDefault(True)
        self.demo_button = QPushButton("Open the &demo council")
        self.demo_button.setToolTip("A made-up district council with about 1,500 posts")
        self.demo_button.clicked.connect(self.open_demo_requested)
        for button in (self.open_button, self.demo_button):
            button.setMinimumHeight(button.sizeHint().height() + 12)

        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)

        hint = QLabel(DROP_HINT)
        hint.setWordWrap(True)

        self.recent_label = QLabel("&Recent files:")
        self.recent_list = QListWidget()
        self.recent_list.setAccessibleName("Recent files")
        self.recent_list.setMaximumHeight(160)
        self.recent_list.itemActivated.connect(self._on_recent_activated)
        self.recent_label.setBuddy(self.recent_list)

        column = QVBoxLayout()
        column.addWidget(title)
        column.addSpacing(8)
        column.addWidget(intro)
        column.addSpacing(16)
        column.addLayout(buttons)
        column.addSpacing(8)
        column.addWidget(hint)
        column.addSpacing(16)
        column.addWidget(self.recent_label)
        column.addWidget(self.recent_list)

        inner = QWidget()
        inner.setLayout(column)
        inner.setMaximumWidth(720)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(inner, 4)
        outer.addStretch(1)
        outer.setAlignment(inner, Qt.AlignmentFlag.AlignVCenter)
        self.set_recent_files([])

    def set_recent_files(self, paths: list[str]) -> None:
        self.recent_list.clear()
        for path in paths:
            item = QListWidgetItem(f"{Path(path).name} — {Path(path).parent}")
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.recent_list.addItem(item)
        self.recent_label.setVisible(bool(paths))
        self.recent_list.setVisible(bool(paths))

    def _on_recent_activated(self, item: QListWidgetItem) -> None:
        self.open_recent_requested.emit(str(item.data(Qt.ItemDataRole.UserRole)))
