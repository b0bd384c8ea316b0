"""The "Data quality" tab: every excluded row and altered cell, counted by severity.

Severity is always written out ("Error", "Warning", "Info") and counted in words
("3 errors, 12 warnings, 1 info"); colour is never the only signal.
"""

from __future__ import annotations

import pandas as pd
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from planner.establishment import Establishment
from planner.quality import REPORT_COLUMNS, QualityReport, Severity
from ui.document import EstablishmentDocument
from ui.establishment_view import configure_table, fit_columns
from ui.table_model import ColumnSpec, FrameFilterProxyModel, FrameTableModel

SEVERITY_LABELS = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.INFO: "Info"}
_SEVERITY_RANK = {"Error": 0, "Warning": 1, "Info": 2}

QUALITY_COLUMNS = (
    ColumnSpec("severity", "Severity", "text",
               "How serious the problem is: Error, Warning or Info"),
    ColumnSpec("sheet", "Sheet"),
    ColumnSpec("row", "Row", "integer", "Row number as Excel shows it"),
    ColumnSpec("column", "Column", "text", "Column heading in your file"),
    ColumnSpec("value", "Value", "text", "The value in your file"),
    ColumnSpec("message", "Problem"),
    ColumnSpec("code", "Code", "text", "A short code for the kind of problem"),
)


def counts_text(report: QualityReport) -> str:
    """``"3 errors, 12 warnings, 1 info"``, or a sentence when there is nothing to report."""
    counts = report.counts()
    if not any(counts.values()):
        return "No problems found"
    errors, warnings = counts[Severity.ERROR.value], counts[Severity.WARNING.value]
    return (
        f"{errors:,} error{'' if errors == 1 else 's'}, "
        f"{warnings:,} warning{'' if warnings == 1 else 's'}, "
        f"{counts[Severity.INFO.value]:,} info"
    )


def tab_title(report: QualityReport | None) -> str:
    """Tab text with a mnemonic: ``"Data &quality (16)"``."""
    return f"Data &quality ({len(report) if report is not None else 0:,})"


class QualityTableModel(FrameTableModel):
    COL_SEVERITY = 0
    COL_SHEET = 1
    COL_ROW = 2
    COL_COLUMN = 3
    COL_VALUE = 4
    COL_MESSAGE = 5
    COL_CODE = 6

    def __init__(self, parent=None) -> None:
        super().__init__(QUALITY_COLUMNS, parent)

    def set_report(self, report: QualityReport | None) -> None:
        frame = report.to_frame() if report is not None else pd.DataFrame(columns=REPORT_COLUMNS)
        severity = frame["severity"].map(lambda s: SEVERITY_LABELS.get(Severity(s), str(s)))
        self.set_frame(frame.assign(severity=severity))
        # Sort severity by seriousness, not alphabetically.
        key = pd.Series(self._display[self.COL_SEVERITY], dtype=object)
        self._keys[self.COL_SEVERITY] = key.map(_SEVERITY_RANK)


class QualityView(QWidget):
    """The document's data-quality report with a severity filter and a search box."""

    def __init__(self, document: EstablishmentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self.model = QualityTableModel(self)
        self.proxy = FrameFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.counts_label = QLabel()
        self.counts_label.setAccessibleName("Issues by severity")
        font = self.counts_label.font()
        font.setBold(True)
        self.counts_label.setFont(font)

        self.severity_combo = QComboBox()
        self.severity_combo.setAccessibleName("Severity filter")
        self.severity_combo.addItem("All severities", None)
        for severity, label in SEVERITY_LABELS.items():
            self.severity_combo.addItem(f"{label}s only" if severity != Severity.INFO
                                        else "Info only", label)
        self.severity_combo.currentIndexChanged.connect(self._on_severity_changed)
        severity_label = QLabel("Severit&y:")
        severity_label.setBuddy(self.severity_combo)

        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Text in any column")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setAccessibleName("Search the data-quality report")
        self.search_edit.textChanged.connect(self._on_search_changed)
        search_label = QLabel("Sear&ch:")
        search_label.setBuddy(self.search_edit)

        self.shown_label = QLabel()
        self.shown_label.setAccessibleName("Issues shown")

        bar = QHBoxLayout()
        bar.addWidget(self.counts_label)
        bar.addStretch(1)
        bar.addWidget(severity_label)
        bar.addWidget(self.severity_combo)
        bar.addSpacing(8)
        bar.addWidget(search_label)
        bar.addWidget(self.search_edit)

        self.explanation = QLabel(
            "Every row that was left out and every value that was changed, defaulted or "
            "looks doubtful is listed here, with its row number as Excel shows it."
        )
        self.explanation.setWordWrap(True)

        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setAccessibleName("Data-quality report")
        configure_table(self.table)
        self.table.horizontalHeader().setStretchLastSection(True)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.explanation)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.shown_label)
        QWidget.setTabOrder(self.severity_combo, self.search_edit)
        QWidget.setTabOrder(self.search_edit, self.table)

        document.changed.connect(self._on_establishment_changed)
        self._on_establishment_changed(document.establishment)

    def counts_text(self) -> str:
        return self.counts_label.text()

    def set_severity(self, label: str | None) -> None:
        index = self.severity_combo.findData(label) if label else 0
        self.severity_combo.setCurrentIndex(max(index, 0))

    def _on_establishment_changed(self, establishment: Establishment | None) -> None:
        report = establishment.report if establishment is not None else QualityReport()
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.model.set_report(report)
        self.counts_label.setText(counts_text(report))
        self.severity_combo.setCurrentIndex(0)
        self.search_edit.clear()
        self.proxy.clear_filters()
        for column in (QualityTableModel.COL_SHEET, QualityTableModel.COL_CODE):
            self.table.setColumnHidden(column, self.model.column_is_empty(column))
        fit_columns(self.table, self.model)
        self.table.setColumnWidth(QualityTableModel.COL_MESSAGE, 560)
        self._update_shown()

    def _on_severity_changed(self) -> None:
        self.table.clearSelection()  # a large selection makes Qt's filter update very slow
        self.proxy.set_filter("severity", self.severity_combo.currentData())
        self._update_shown()

    def _on_search_changed(self, text: str) -> None:
        self.table.clearSelection()
        self.proxy.set_search_text(text)  # reports are short: no need to wait for typing
        self._update_shown()

    def _update_shown(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.total_rows()
        self.shown_label.setText(f"{shown:,} of {total:,} issues shown")
