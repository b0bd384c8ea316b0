"""The "Summary" tab: headline figures, and pay bill by directorate and team.

Every figure comes from the domain's sums (:meth:`Establishment.summary` and
:mod:`planner.establishment_groups`); this module only formats and lays them out.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from planner.establishment import Establishment, EstablishmentSummary
from ui import formatting
from ui.charts import HorizontalBarChart
from ui.deferred import flush, when_shown
from ui.document import EstablishmentDocument
from ui.group_summary import GroupSummaryView

PAY_BILL_NOTE = (
    "Pay bill is basic pay (FTE × full-time annual salary) before employer's National "
    "Insurance, pension and other on-costs. Posts without a salary count as £0."
)

#: (group title, [(field key, label)]) — keys are read by :meth:`SummaryPanel._values`.
GROUPS = (
    ("Posts", [("posts", "Posts"), ("posts_filled", "Filled"), ("posts_vacant", "Vacant"),
               ("directorates", "Directorates"), ("teams", "Teams")]),
    ("Full-time equivalent (FTE)", [("fte_total", "Total FTE"), ("fte_filled", "FTE filled"),
                                    ("fte_vacant", "FTE vacant")]),
    ("Money", [("annual_pay_bill", "Annual pay bill (filled posts)"),
               ("establishment_cost", "Establishment cost (all posts)"),
               ("posts_without_salary", "Posts without a salary")]),
    ("Rows in the file", [("rows_read", "Rows read"), ("rows_loaded", "Rows loaded"),
                          ("rows_excluded", "Rows excluded")]),
)


def summary_values(summary: EstablishmentSummary) -> dict[str, str]:
    """Each summary figure as the text shown in the panel."""
    return {
        "posts": formatting.count(summary.posts),
        "posts_filled": formatting.count(summary.posts_filled),
        "posts_vacant": formatting.count(summary.posts_vacant),
        "directorates": formatting.count(summary.directorates),
        "teams": formatting.count(summary.teams),
        "fte_total": formatting.fte(summary.fte_total),
        "fte_filled": formatting.fte(summary.fte_filled),
        "fte_vacant": formatting.fte(summary.fte_vacant),
        "annual_pay_bill": formatting.money(summary.annual_pay_bill),
        "establishment_cost": formatting.money(summary.establishment_cost),
        "posts_without_salary": formatting.count(summary.posts_without_salary),
        "rows_read": formatting.count(summary.rows_read),
        "rows_loaded": formatting.count(summary.rows_loaded),
        "rows_excluded": formatting.count(summary.rows_excluded),
    }


def rows_sentence(summary: EstablishmentSummary) -> str:
    """``"1,500 rows read, 1,498 loaded, 2 excluded"`` (DESIGN §2: nothing dropped silently)."""
    return (
        f"{formatting.plural(summary.rows_read, 'row')} read, "
        f"{summary.rows_loaded:,} loaded, {summary.rows_excluded:,} excluded"
    )


class SummaryPanel(QWidget):
    """Headline figures of the document's establishment."""

    def __init__(self, document: EstablishmentDocument, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document = document

        self.title_label = QLabel()
        font = self.title_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title_label.setFont(font)
        self.title_label.setAccessibleName("File")
        self.rows_label = QLabel()
        self.rows_label.setAccessibleName("Rows read, loaded and excluded")
        self.rows_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.value_labels: dict[str, QLabel] = {}
        groups = QGridLayout()
        for i, (title, fields) in enumerate(GROUPS):
            box = QGroupBox(title)
            form = QFormLayout(box)
            form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for key, label_text in fields:
                value = QLabel()
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                value.setAccessibleName(label_text)
                form.addRow(label_text + ":", value)
                self.value_labels[key] = value
            groups.addWidget(box, 0, i)
            groups.setColumnStretch(i, 1)

        self.note_label = QLabel(PAY_BILL_NOTE)
        self.note_label.setWordWrap(True)

        # Directorates that open into teams; the chart repeats the directorate rows.
        self.group_summary = GroupSummaryView(document)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addWidget(self.rows_label)
        layout.addSpacing(6)
        layout.addLayout(groups)
        layout.addWidget(self.note_label)
        layout.addSpacing(6)
        self.chart = HorizontalBarChart("Annual pay bill by directorate", "£ million")
        self.chart.setMinimumWidth(320)
        table_row = QHBoxLayout()
        table_row.addWidget(self.group_summary)
        table_row.addWidget(self.chart, 1)
        layout.addLayout(table_row, 1)

        document.changed.connect(self._on_establishment_changed)
        self._on_establishment_changed(document.establishment)

    def text_of(self, key: str) -> str:
        return self.value_labels[key].text()

    @when_shown  # a tab of its own: nothing to work out until it is opened
    def _on_establishment_changed(self, establishment: Establishment | None) -> None:
        flush(self.group_summary)  # its column widths first: the chart takes the rest
        summary = self._document.summary()
        if establishment is None or summary is None:
            self.title_label.setText("No establishment open")
            self.rows_label.clear()
            for label in self.value_labels.values():
                label.clear()
            self.chart.set_data([], [])
            return
        source = establishment.source
        sheet = f", sheet “{source.sheet}”" if source.sheet else ""
        self.title_label.setText(f"{source.path.name}{sheet}")
        self.title_label.setToolTip(str(source.path))
        self.rows_label.setText(rows_sentence(summary))
        for key, text in summary_values(summary).items():
            self.value_labels[key].setText(text)
        self._fit_tree_width()
        by_directorate = summary.by_directorate
        self.chart.set_data(
            by_directorate["directorate"].astype(str).tolist(),
            by_directorate["annual_pay_bill"].astype(float).tolist(),
            scale=1e6,
        )

    def _fit_tree_width(self) -> None:
        """As wide as the tree's columns, so the chart gets the rest of the row."""
        tree = self.group_summary.tree
        columns = sum(tree.columnWidth(c) for c in range(self.group_summary.model.columnCount()))
        scrollbar = tree.verticalScrollBar().sizeHint().width()
        self.group_summary.setFixedWidth(columns + 2 * tree.frameWidth() + scrollbar)
