"""The establishment currently open, as an observable object the views share."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from planner.establishment import Establishment, EstablishmentSummary


class EstablishmentDocument(QObject):
    """Holds the open :class:`Establishment` and announces when it changes.

    Views take the document in ``__init__`` and update in their ``_on_*`` slots,
    so the main window never has to push data into each one.
    """

    changed = Signal(object)  # Establishment | None

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._establishment: Establishment | None = None
        self._summary: EstablishmentSummary | None = None

    @property
    def establishment(self) -> Establishment | None:
        return self._establishment

    def summary(self) -> EstablishmentSummary | None:
        """The headline figures, computed once per establishment by the domain."""
        if self._establishment is not None and self._summary is None:
            self._summary = self._establishment.summary()
        return self._summary

    def set_establishment(self, establishment: Establishment | None) -> None:
        self._establishment = establishment
        self._summary = None
        self.changed.emit(establishment)

    def file_name(self) -> str:
        if self._establishment is None:
            return ""
        return self._establishment.source.path.name
