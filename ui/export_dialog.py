"""Choose what goes into an export: which scenarios (1–5) and, for the workbook, anonymising."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

MAX_SCENARIOS = 5


class ExportDialog(QDialog):
    """Scenario ticks (at most five) and, when ``anonymise_option``, the anonymise box."""

    def __init__(self, title: str, intro: str, names: list[str], ticked: list[int], *,
                 anonymise_option: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        layout.addWidget(label)
        heading = QLabel("&Scenarios (one to five):")
        layout.addWidget(heading)
        self.scenario_list = QListWidget()
        self.scenario_list.setAccessibleName("Scenarios to export")
        heading.setBuddy(self.scenario_list)
        for i, name in enumerate(names):
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if i in ticked
                               else Qt.CheckState.Unchecked)
            self.scenario_list.addItem(item)
        self.scenario_list.itemChanged.connect(self._on_item_changed)
        layout.addWidget(self.scenario_list)
        self.anonymise = QCheckBox(
            "&Leave out names and replace post and employee ids with codes (recommended)")
        self.anonymise.setChecked(True)
        self.anonymise.setToolTip("Untick only when the workbook stays with people allowed to "
                                  "see personal data; it then says so on its first sheet.")
        self.anonymise.setVisible(anonymise_option)
        layout.addWidget(self.anonymise)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._on_item_changed()

    def chosen(self) -> list[int]:
        return [i for i in range(self.scenario_list.count())
                if self.scenario_list.item(i).checkState() == Qt.CheckState.Checked]

    def _on_item_changed(self, *_args: object) -> None:
        count = len(self.chosen())
        ok = 1 <= count <= MAX_SCENARIOS
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if count == 0:
            self.message.setText("Tick at least one scenario.")
        elif count > MAX_SCENARIOS:
            self.message.setText(f"Tick at most {MAX_SCENARIOS} scenarios; "
                                 f"{count} are ticked.")
        else:
            self.message.setText("")
