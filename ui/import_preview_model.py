"""The first rows of a sheet, under its headers, for the import wizard's preview.

Columns are the sheet's own headers, so there are no fixed ``COL_*`` numbers;
each column header also says which FTE Planner column it feeds ("→ FTE") or
"(not used)", and follows the mapping drop-downs as they change. Row headers
are the spreadsheet row numbers as Excel shows them.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from planner.import_preview import SheetPreview

Index = QModelIndex | QPersistentModelIndex
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
NOT_USED = "(not used)"


class PreviewTableModel(QAbstractTableModel):
    """Read-only cells of a :class:`SheetPreview`; ``SortRole`` gives the raw text."""

    SortRole = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._rows: list[list[str]] = []
        self._numbers: list[int] = []
        self._targets: dict[str, list[str]] = {}

    def set_preview(self, preview: SheetPreview | None) -> None:
        self.beginResetModel()
        self._headers = list(preview.headers) if preview else []
        self._rows = [list(r) for r in preview.rows] if preview else []
        self._numbers = list(preview.row_numbers) if preview else []
        self.endResetModel()

    def set_targets(self, targets: dict[str, list[str]]) -> None:
        """Header → labels of the FTE Planner columns it feeds (from the drop-downs)."""
        self._targets = {h: list(v) for h, v in targets.items()}
        if self._headers:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self._headers) - 1)

    def target_text(self, column: int) -> str:
        labels = self._targets.get(self._headers[column], [])
        return "→ " + ", ".join(labels) if labels else NOT_USED

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        if role in (_DISPLAY, self.SortRole):
            return self._rows[index.row()][index.column()]
        if role == _TOOLTIP:
            text = self._rows[index.row()][index.column()]
            return text if len(text) > 30 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY
                   ) -> object:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._headers):
                return None
            if role == _DISPLAY:
                return f"{self._headers[section]}\n{self.target_text(section)}"
            if role == _TOOLTIP:
                return f"Column '{self._headers[section]}' of your file: " \
                       f"{self.target_text(section)}"
            return None
        if not 0 <= section < len(self._numbers):
            return None
        if role == _DISPLAY:
            return str(self._numbers[section])
        if role == _TOOLTIP:
            return f"Row {self._numbers[section]} as Excel shows it"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
