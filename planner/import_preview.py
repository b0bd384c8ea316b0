"""What the import wizard shows before and after an import, computed without Qt.

The wizard lets a user check the sheet, the header row and the column mapping
before anything is imported. These helpers reuse the importer's own pieces
(:func:`planner.headers.detect_header`, :func:`planner.mapping.resolve_mapping`,
:func:`planner.sheet_choice.choose_sheet`), so the preview shows exactly what the
importer would do, and :func:`build_profile` turns the user's choices back into a
strict :class:`MappingProfile` the importer follows to the letter: a column the
user sets to "not used" is ignored, not found again by its synonyms.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planner.atomic_file import replace_atomically
from planner.cell_text import csv_value
from planner.columns import BY_NAME, COLUMNS, normalise_header
from planner.errors import PlannerError, UnusableFileError
from planner.establishment import Establishment
from planner.headers import detect_header
from planner.mapping import MappingProfile, detect_profile, resolve_mapping
from planner.quality import QualityReport
from planner.readers import Cell, RawWorkbook, is_blank
from planner.sheet_choice import choose_sheet

PREVIEW_ROWS = 20
CHOSEN = "Columns chosen on import"

#: What each required (or alternative) column needs, in words; not colour.
REQUIREMENTS: dict[str, str] = {
    "post_id": "Required (or ids made from row numbers)",
    "team": "Required (or Service or Directorate)",
    "fte": "Required (or Weekly hours)",
    "annual_salary": "Required (or Pay floor and Pay ceiling)",
    "weekly_hours": "Can stand in for FTE",
    "salary_min": "Can stand in for Annual salary",
    "salary_max": "Can stand in for Annual salary",
}
REQUIRED_COLUMNS: tuple[str, ...] = ("post_id", "team", "fte", "annual_salary")

#: A required column, what else satisfies it, and how to name it in a message.
_NEEDS: tuple[tuple[str, frozenset[str], str], ...] = (
    ("team", frozenset({"team", "service", "directorate"}), "Team (or Service or Directorate)"),
    ("fte", frozenset({"fte", "weekly_hours"}), "FTE (or Weekly hours)"),
    ("annual_salary", frozenset({"annual_salary", "salary_min", "salary_max"}),
     "Annual salary (or a Pay floor or Pay ceiling)"),
)


@dataclass(frozen=True)
class MappingRow:
    """One canonical column as the mapping page lists it."""

    canonical: str
    label: str
    description: str
    requirement: str  # "" when optional
    required: bool


def mapping_rows() -> list[MappingRow]:
    """Every canonical column in catalogue order (the required ones come first)."""
    return [MappingRow(c.name, c.label, c.description, REQUIREMENTS.get(c.name, ""),
                       c.name in REQUIRED_COLUMNS) for c in COLUMNS]


@dataclass(frozen=True)
class SheetPreview:
    """The top of a sheet as the importer sees it.

    Attributes:
        sheet: sheet name (the file name stem for CSV).
        headers: one unique name per column, as the mapping drop-downs offer them.
        header_rows: spreadsheet row numbers (as Excel shows them) of the header.
        rows: display text of the first data rows below the header, one cell per header.
        row_numbers: spreadsheet row number of each of ``rows``.
        data_rows: number of non-blank rows below the header.
        mapping: canonical column → header, as detected (profile first, then synonyms).
        profile: the profile the detection used (a loaded one, or a built-in format).
    """

    sheet: str
    headers: list[str]
    header_rows: tuple[int, ...]
    rows: list[list[str]]
    row_numbers: list[int]
    data_rows: int
    mapping: dict[str, str]
    profile: MappingProfile | None = None
    notes: list[str] = field(default_factory=list)

    def sample(self, header: str | None) -> str:
        """The first non-blank preview value under ``header`` ("" if none)."""
        if header is None or header not in self.headers:
            return ""
        i = self.headers.index(header)
        return next((r[i] for r in self.rows if r[i]), "")


def cell_text(cell: Cell) -> str:
    """A raw cell as a short display string: UK dates, no trailing ``.0``, one line."""
    if cell is None or is_blank(cell):
        return ""
    if isinstance(cell, bool):
        return "TRUE" if cell else "FALSE"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() else f"{cell:.10g}"
    if isinstance(cell, dt.datetime):
        return f"{cell:%d/%m/%Y}" if cell.time() == dt.time() else f"{cell:%d/%m/%Y %H:%M}"
    if isinstance(cell, dt.date):
        return f"{cell:%d/%m/%Y}"
    if isinstance(cell, dt.time):
        return f"{cell:%H:%M}"
    return " ".join(str(cell).split())


def default_sheet(wb: RawWorkbook) -> str:
    """The sheet the importer would choose by itself (the first one if none qualifies)."""
    if len(wb.sheet_names) == 1:
        return wb.sheet_names[0]
    try:
        raw, *_ = choose_sheet(wb, None, None, QualityReport(), None)
    except UnusableFileError:
        return wb.sheet_names[0]
    return raw.name


def preview_sheet(wb: RawWorkbook, sheet: str, profile: MappingProfile | None = None,
                  limit: int = PREVIEW_ROWS) -> SheetPreview:
    """Header, first rows and detected mapping of ``sheet``.

    ``profile`` is a mapping profile the user loaded; without one a built-in format
    is detected from the headers, as the importer does.

    Raises:
        UnusableFileError: the sheet is empty or has no header row.
        MappingError: ``profile`` is strict and names a header the sheet lacks.
    """
    raw = wb.read_sheet(sheet)
    width = max((len(r) for r in raw.rows), default=0)
    known = frozenset(normalise_header(h) for alts in (profile.columns.values() if profile
                                                        else ()) for h in alts)
    header = detect_header(raw, width, known) if width else None
    where = wb.path.name if wb.file_format == "csv" else f"Sheet '{sheet}' of {wb.path.name}"
    if header is None:
        raise UnusableFileError(f"{where} has no header row (no row of column names in its "
                                "first 40 rows); choose another sheet or file.")
    used = profile if profile is not None else detect_profile(header.headers)
    cmap = resolve_mapping(header.headers, used, header.lower)
    below = raw.rows[header.index + 1:]
    first = raw.first_row + header.index + 1
    shown: list[list[str]] = []
    numbers: list[int] = []
    count = 0
    for i, row in enumerate(below):
        if all(is_blank(c) for c in row):
            continue
        count += 1
        if len(shown) < limit:
            cells = [cell_text(c) for c in row[:width]]
            shown.append(cells + [""] * (width - len(cells)))
            numbers.append(first + i)
    last = raw.first_row + header.index
    notes = []
    if used is not None and profile is None:
        notes.append(f"The file looks like the '{used.name}' format; its mapping is used.")
    return SheetPreview(sheet, list(header.headers),
                        tuple(range(last - header.n_rows + 1, last + 1)), shown, numbers, count,
                        cmap.as_names(), used, notes)


def missing_required(choices: Mapping[str, str | None],
                     base: MappingProfile | None = None) -> list[str]:
    """Sentences for each required column the choices leave without a source.

    A profile default (``defaults``) counts as a source, as it does in the importer.
    """
    have = {c for c, h in choices.items() if h} | set(base.defaults if base else ())
    return [f"{label} is required: choose the header it comes from."
            for _, options, label in _NEEDS if not have & options]


def ambiguous_choices(headers: list[str], choices: Mapping[str, str | None]) -> list[str]:
    """Sentences for chosen headers that another header matches once punctuation is ignored.

    The importer compares headers without case, punctuation or £ signs, so "Salary"
    and "Salary (£)" are the same header to it and the first one would be used.
    """
    out = []
    for canon, header in choices.items():
        if not header:
            continue
        key = normalise_header(header)
        twins = [h for h in headers if h != header and normalise_header(h) == key]
        if twins:
            out.append(f"'{header}' (for {BY_NAME[canon].label}) cannot be told apart from "
                       f"'{twins[0]}'; rename one of them in the file.")
    return out


def build_profile(headers: list[str], choices: Mapping[str, str | None],
                  base: MappingProfile | None = None, name: str | None = None
                  ) -> MappingProfile:
    """A strict profile that imports exactly the chosen columns.

    Every header not chosen for a column is listed in ``ignore``, so the importer does
    not map it again by its synonyms. Defaults and options (a built-in format's
    "each row is a group of posts", say) are kept from ``base``, and so is its name
    unless ``name`` is given.

    Raises:
        PlannerError: a choice names a column or header that does not exist.
    """
    columns: dict[str, list[str]] = {}
    for canon, header in choices.items():
        if not header:
            continue
        if canon not in BY_NAME:
            raise PlannerError(f"'{canon}' is not a column FTE Planner knows.")
        if header not in headers:
            raise PlannerError(f"The sheet has no header '{header}' (chosen for "
                               f"{BY_NAME[canon].label}).")
        columns[canon] = [header]
    used = {normalise_header(h[0]) for h in columns.values()}
    ignore = [h for h in headers if normalise_header(h) not in used]
    name = name or (base.name if base else CHOSEN)
    profile = MappingProfile(
        name=name,
        columns=columns,
        ignore=ignore,
        defaults=dict(base.defaults) if base else {},
        options=dict(base.options) if base else {},
        description=base.description if base else "",
        source=name,
    )
    profile.strict = True
    return profile


def header_targets(choices: Mapping[str, str | None]) -> dict[str, list[str]]:
    """Header → labels of the columns it is chosen for, in catalogue order."""
    out: dict[str, list[str]] = {}
    for column in COLUMNS:
        header = choices.get(column.name)
        if header:
            out.setdefault(header, []).append(column.label)
    return out


# ----- the data-quality report as a file --------------------------------------------------


def report_frame(est: Establishment, include_names: bool = False) -> pd.DataFrame:
    """The report with plain headings and severity words; names and dates of birth left
    out unless asked (:func:`planner.export_xlsx.report_table`)."""
    from planner.export_xlsx import HEADERS, report_table

    frame = report_table(est, include_names=include_names)
    return frame.rename(columns={k: HEADERS[k][0] for k in frame.columns if k in HEADERS})


def counts_rows(est: Establishment) -> list[tuple[str, int]]:
    """(label, count) lines for a summary: rows read/loaded/excluded, issues by severity."""
    from planner.export_xlsx import SEVERITY_LABELS

    counts = est.report.counts()
    return [("Rows read", est.rows_read), ("Rows loaded", est.rows_loaded),
            ("Rows excluded", est.rows_excluded),
            *((f"{SEVERITY_LABELS[s]}s", n) for s, n in counts.items())]


def export_report(est: Establishment, path: str | Path, include_names: bool = False) -> Path:
    """Write the data-quality report to ``path``: .xlsx (summary and issues) or .csv (issues).

    Raises:
        PlannerError: another file type, or the file cannot be written (open in Excel?).
    """
    from openpyxl import Workbook

    from planner.export_xlsx import quality_sheet, save_atomically

    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        wb = Workbook(write_only=True)
        quality_sheet(est, include_names=include_names).write(wb)
        save_atomically(wb, path)
        return path
    if suffix != ".csv":
        raise PlannerError(f"Could not write '{path.name}': the report is saved as .csv or "
                           ".xlsx.")
    frame = report_frame(est, include_names).map(_csv_safe)
    _write_text(path, frame.to_csv(index=False, lineterminator="\r\n"))
    return path


def _csv_safe(value: object) -> object:
    """Text Excel would run as a formula gets a leading apostrophe; numbers stay numbers
    (:func:`planner.cell_text.csv_value`)."""
    return csv_value(value)


def _write_text(path: Path, text: str) -> None:
    """UTF-8 with a BOM (so Excel reads £ correctly), written next to ``path`` then moved."""
    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            fh.write(text)

    replace_atomically(path, write, open_in="Excel")
