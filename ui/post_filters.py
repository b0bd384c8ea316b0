"""The filter bar above the posts table: a search box and four "All …" drop-downs.

The bar only holds what the user chose; the posts view applies it to its filter
proxy in one step when :attr:`PostFilterBar.changed` fires (after typing pauses,
or at once for a drop-down). Choosing a directorate narrows the team list to
that directorate's teams.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui import formatting

SEARCH_DELAY_MS = 200

#: (column, label with mnemonic, accessible name, "all" item). The mnemonics avoid the
#: menu bar's (F, E, S, V, H), the Establishment tabs' (P, U, Q) and the posts actions' (D, Z, W).
FILTERS: tuple[tuple[str, str, str, str], ...] = (
    ("directorate", "Di&rectorate:", "Directorate filter", "All directorates"),
    ("team", "&Team:", "Team filter", "All teams"),
    ("grade", "&Grade:", "Grade filter", "All grades"),
    ("status", "St&atus:", "Status filter", "Filled and vacant"),
)
FILTER_NAMES: tuple[str, ...] = tuple(f[0] for f in FILTERS)


class PostFilterBar(QWidget):
    """Search text and exact-match filters on directorate, team, grade and status.

    Signals:
        changed(): the search text (once typing pauses) or a filter changed.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._teams_by_directorate: Mapping[str, set[str]] = {}
        self._all_teams: list[str] = []

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Post, title, team, grade or name")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search posts")
        self.search_edit.setToolTip("Shows posts containing every word typed, in any column")
        self.search_edit.setMinimumWidth(160)
        search_label = QLabel("Sear&ch:")
        search_label.setBuddy(self.search_edit)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._on_search_timeout)
        self.search_edit.textChanged.connect(self._on_text_changed)
        self.search_edit.returnPressed.connect(self._on_search_timeout)
        self._applied_text = ""

        self.clear_button = QPushButton("C&lear filters")
        self.clear_button.setToolTip("Clear the search text and every filter")
        self.clear_button.clicked.connect(self.clear)

        search_row = QHBoxLayout()
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_edit, 1)
        search_row.addSpacing(8)
        search_row.addWidget(self.clear_button)

        filter_row = QHBoxLayout()
        self.combos: dict[str, QComboBox] = {}
        for i, (name, label_text, accessible, all_text) in enumerate(FILTERS):
            combo = QComboBox()
            combo.setAccessibleName(accessible)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(8)
            combo.addItem(all_text, None)
            combo.setEnabled(False)
            combo.currentIndexChanged.connect(lambda _i, n=name: self._on_combo_changed(n))
            label = QLabel(label_text)
            label.setBuddy(combo)
            if i:
                filter_row.addSpacing(8)
            filter_row.addWidget(label)
            filter_row.addWidget(combo, 1)
            self.combos[name] = combo

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(search_row)
        layout.addLayout(filter_row)

        previous: QWidget = self.search_edit
        for widget in [self.clear_button, *self.combos.values()]:
            QWidget.setTabOrder(previous, widget)
            previous = widget
        self._update_clear_button()

    # -- choices -----------------------------------------------------------------------------

    def set_choices(self, values: Mapping[str, Sequence[str]],
                    teams_by_directorate: Mapping[str, set[str]] | None = None) -> None:
        """New lists for the drop-downs (each reset to "All …"); the search is cleared.

        Does not emit :attr:`changed`: the caller shows the new establishment unfiltered.
        """
        self._timer.stop()
        with QSignalBlocker(self.search_edit):
            self.search_edit.clear()
        self._applied_text = ""
        self._teams_by_directorate = dict(teams_by_directorate or {})
        self._all_teams = list(values.get("team", ()))
        for name, combo in self.combos.items():
            self._fill(combo, values.get(name, ()), None)
        self._update_clear_button()

    def _fill(self, combo: QComboBox, values: Sequence[str], keep: str | None) -> None:
        with QSignalBlocker(combo):
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            index = combo.findData(keep) if keep is not None else 0
            combo.setCurrentIndex(max(index, 0))
            combo.setEnabled(combo.count() > 1)

    # -- state ------------------------------------------------------------------------------

    def search_text(self) -> str:
        """The search text in force (what was typed once typing paused)."""
        return self._applied_text

    def filters(self) -> dict[str, str | None]:
        """Each filter's chosen value, None for "All …"."""
        return {name: combo.currentData() for name, combo in self.combos.items()}

    def is_filtered(self) -> bool:
        return bool(self._applied_text.strip()) or any(
            v is not None for v in self.filters().values()
        )

    def describe(self) -> str:
        """The filters in words, e.g. ``"Place, Waste, grade 3, “driver”"`` ("" when none)."""
        parts = []
        for name, value in self.filters().items():
            if value is None:
                continue
            parts.append(f"grade {value}" if name == "grade" else
                         value.lower() if name == "status" else value)
        if self._applied_text.strip():
            parts.append(f"“{self._applied_text.strip()}”")
        return ", ".join(parts)

    # -- changing ---------------------------------------------------------------------------

    def set_search_text(self, text: str) -> None:
        """Search now (the box itself waits briefly while the user types)."""
        with QSignalBlocker(self.search_edit):
            self.search_edit.setText(text)
        self._on_search_timeout()

    def set_filter(self, name: str, value: str | None) -> None:
        """Choose ``value`` in a filter (None or an unknown value: "All …")."""
        combo = self.combos[name]
        index = combo.findData(value) if value is not None else 0
        combo.setCurrentIndex(max(index, 0))

    def clear(self) -> None:
        """Clear the search and every filter; emits :attr:`changed` once."""
        self._timer.stop()
        with QSignalBlocker(self.search_edit):
            self.search_edit.clear()
        self._applied_text = ""
        for combo in self.combos.values():
            with QSignalBlocker(combo):
                combo.setCurrentIndex(0)
        self._fill(self.combos["team"], self._all_teams, None)
        self._update_clear_button()
        self.changed.emit()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    # -- slots ------------------------------------------------------------------------------

    def _on_text_changed(self, _text: str) -> None:
        self._timer.start()

    def _on_search_timeout(self) -> None:
        self._timer.stop()
        text = self.search_edit.text()
        if text == self._applied_text:
            return
        self._applied_text = text
        self._update_clear_button()
        self.changed.emit()

    def _on_combo_changed(self, name: str) -> None:
        if name == "directorate":
            self._narrow_teams()
        self._update_clear_button()
        self.changed.emit()

    def _narrow_teams(self) -> None:
        """Offer only the chosen directorate's teams (all teams for "All directorates")."""
        directorate = self.combos["directorate"].currentData()
        team_combo = self.combos["team"]
        current = team_combo.currentData()
        if directorate is None or directorate not in self._teams_by_directorate:
            teams = self._all_teams
        else:
            teams = sorted(self._teams_by_directorate[directorate], key=formatting.natural_key)
        self._fill(team_combo, teams, current if current in teams else None)

    def _update_clear_button(self) -> None:
        self.clear_button.setEnabled(self.is_filtered())
