"""A month picker: a drop-down of months ("Apr 2027", "May 2027", …) holding month numbers.

Scenario months are month numbers (:mod:`planner.months`); this combo shows them
as labels and gives the number back. It can offer an extra "no month" entry
("End of horizon") for optional months, and it keeps a month that lies outside
the offered range visible rather than silently changing it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from planner.months import Horizon, fy_label, month_label

_NONE = -1  # the item data of the "no month" entry


class MonthEdit(QComboBox):
    """Pick one month of a range (by default a scenario's horizon).

    Signals:
        month_changed(object): the user picked another month (``int``, or ``None`` for the
            "no month" entry). Not emitted by :meth:`set_month`.
    """

    month_changed = Signal(object)

    def __init__(self, horizon: Horizon | None = None, none_text: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._none_text = none_text
        self._start, self._end = 0, 0
        self.setMaxVisibleItems(15)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.activated.connect(self._on_activated)
        if horizon is not None:
            self.set_horizon(horizon)

    # -- range ---------------------------------------------------------------------------
    def set_horizon(self, horizon: Horizon, *, include_end: bool = False) -> None:
        """Offer the horizon's months (and the month after it with ``include_end``, for
        "until" months, which name the first month after a period)."""
        self.set_range(horizon.start, horizon.end + (1 if include_end else 0))

    def set_range(self, start: int, end: int) -> None:
        """Offer months ``start`` to ``end - 1``; the chosen month is kept if possible."""
        current = self.month()
        self._start, self._end = start, end
        self._fill(current)

    def _fill(self, current: int | None) -> None:
        blocked = self.blockSignals(True)
        self.clear()
        if self._none_text is not None:
            self.addItem(self._none_text, _NONE)
        for number in range(self._start, self._end):
            self.addItem(month_label(number), number)
            self.setItemData(self.count() - 1, f"Financial year {fy_label(number)}",
                             Qt.ItemDataRole.ToolTipRole)
        self.blockSignals(blocked)
        self.set_month(current)

    # -- value ---------------------------------------------------------------------------
    def month(self) -> int | None:
        """The chosen month number, or None for the "no month" entry (or an empty range)."""
        data = self.currentData()
        return None if data is None or data == _NONE else int(data)

    def set_month(self, month: int | None) -> None:
        """Show ``month`` without emitting :attr:`month_changed`; a month outside the range
        is added (marked) so it is never changed silently."""
        blocked = self.blockSignals(True)
        try:
            if month is None:
                index = self.findData(_NONE)
                self.setCurrentIndex(index if index >= 0 else (0 if self.count() else -1))
                return
            index = self.findData(int(month))
            if index < 0:
                index = self._add_outside(int(month))
            self.setCurrentIndex(index)
        finally:
            self.blockSignals(blocked)

    def _add_outside(self, month: int) -> int:
        """Insert a month that is outside the range, in order, marked as such."""
        position = 0
        for i in range(self.count()):
            data = self.itemData(i)
            if data == _NONE or (data is not None and int(data) < month):
                position = i + 1
        self.insertItem(position, f"{month_label(month)} (outside the horizon)", month)
        return position

    def months(self) -> list[int]:
        """The months offered, in order (without the "no month" entry)."""
        return [int(self.itemData(i)) for i in range(self.count())
                if self.itemData(i) is not None and self.itemData(i) != _NONE]

    def _on_activated(self, _index: int) -> None:
        self.month_changed.emit(self.month())

