"""Read an establishment file into a validated :class:`Establishment`.

The pipeline: open the file (:mod:`planner.readers`) → choose the sheet
(:mod:`planner.sheet_choice`) → find
the header (:mod:`planner.headers`) → map headers to canonical columns
(:mod:`planner.mapping`) → parse each column (:mod:`planner.values`) → apply
the row rules (:mod:`planner.validation`). Every row that is read is either
loaded or excluded with a line in the data-quality report.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from planner import validation as rules
from planner.columns import BY_NAME, Kind
from planner.errors import UnusableFileError
from planner.establishment import POST_COLUMNS, Establishment, SourceInfo
from planner.headers import HeaderInfo
from planner.mapping import (
    ColumnMapping,
    MappingProfile,
    load_profile,
)
from planner.quality import QualityReport, Severity
from planner.readers import Cell, RawSheet, RawWorkbook, column_letter, is_blank, open_workbook
from planner.sheet_choice import choose_sheet
from planner.tasks import TaskState, checkpoint
from planner.values import (
    CONTRACT_VOCAB,
    FLAG_VOCAB,
    FUNDING_VOCAB,
    STATUS_VOCAB,
    Parsed,
    chunks,
    factorize,
    parse_date,
    parse_hours,
    parse_money,
    parse_number,
    parse_text,
    parse_vocab,
    release,
    rows_per_chunk,
)

_PARSERS: dict[Kind, Callable[[pd.Series], Parsed]] = {
    Kind.TEXT: parse_text,
    Kind.ID: parse_text,
    Kind.NUMBER: parse_number,
    Kind.HOURS: parse_hours,
    Kind.MONEY: parse_money,
    Kind.DATE: parse_date,
    Kind.STATUS: lambda s: parse_vocab(s, STATUS_VOCAB, "status", lambda t: "filled"),
    Kind.FLAG: lambda s: parse_vocab(s, FLAG_VOCAB, "yes/no value", lambda t: None),
    Kind.CONTRACT: lambda s: parse_vocab(s, CONTRACT_VOCAB, "contract type", lambda t: t),
    Kind.FUNDING: lambda s: parse_vocab(s, FUNDING_VOCAB, "funding type", lambda t: t),
}
_FLOAT_KINDS = {Kind.NUMBER, Kind.MONEY, Kind.HOURS}
_TYPED_KINDS = {Kind.NUMBER, Kind.MONEY, Kind.DATE}


def load_establishment(
    path: str | Path,
    *,
    sheet: str | None = None,
    mapping: MappingProfile | str | Path | None = None,
    state: TaskState | None = None,
    as_at: pd.Timestamp | None = None,
) -> Establishment:
    """Read, map, parse and validate an establishment file.

    Args:
        path: .xlsx/.xlsm/.xls/.ods workbook or .csv file.
        sheet: sheet name; by default the first sheet that holds an establishment.
        mapping: a mapping profile (or the path of its JSON); by default built-in
            profiles are tried and then header synonyms.
        state: progress and cancellation (see :mod:`planner.tasks`).
        as_at: the date impossible dates are judged against (default today).

    Raises:
        UnusableFileError: the file cannot be used at all (message is one sentence).
        MappingError: the mapping profile is malformed or does not fit the file.
        Cancelled: ``state.is_cancelled()`` became true.
    """
    path = Path(path)
    as_at = as_at if as_at is not None else pd.Timestamp.today().normalize()
    checkpoint(state, 0.02, f"Opening {path.name}…")
    workbook = open_workbook(path)
    profile = load_profile(mapping) if isinstance(mapping, (str, Path)) else mapping
    report = QualityReport()
    checkpoint(state, 0.05, "Reading cells…")
    raw, header, cmap, profile = choose_sheet(workbook, sheet, profile, report, state)
    checkpoint(state, 0.45, "Checking values…")
    try:
        return _build(workbook, raw, header, cmap, profile, report, state, as_at)
    finally:  # the cells, a step at a time (see values.release)
        release(raw.rows, rows_per_chunk(len(header.headers)))


def _build(
    wb: RawWorkbook, raw_sheet: RawSheet, header: HeaderInfo, cmap: ColumnMapping,
    profile: MappingProfile | None, report: QualityReport, state: TaskState | None,
    as_at: pd.Timestamp,
) -> Establishment:
    sheet_label = None if wb.file_format == "csv" else raw_sheet.name
    width = len(header.headers)
    data_rows = raw_sheet.rows[header.index + 1:]
    first = raw_sheet.first_row + header.index + 1
    nonblank = [i for i, r in enumerate(data_rows) if not all(is_blank(c) for c in r)]
    blank_count = len(data_rows) - len(nonblank)
    too_wide = [i for i in nonblank if len(data_rows[i]) > width]
    if too_wide:  # cells beyond the last header: give them columns rather than lose them
        width = max(len(data_rows[i]) for i in too_wide)
        extra_names = [f"Column {column_letter(raw_sheet.first_col + j)}"
                       for j in range(len(header.headers), width)]
        header = HeaderInfo(header.index, header.n_rows, header.headers + extra_names,
                            header.matches,
                            header.lower + extra_names if header.lower else None)
        cmap = ColumnMapping(cmap.columns, header.headers, cmap.duplicates)
    row_numbers = np.array([first + i for i in nonblank], dtype=np.int64)
    # rows may be ragged (trailing blanks were trimmed): pad the short ones, copy none
    pad = [None] * width
    rows = [r if len(r) == width else r + pad[len(r):]
            for r in (data_rows[i] for i in nonblank)]
    grid = cells_by_column(rows, width)
    release(rows, rows_per_chunk(width))
    raw = pd.DataFrame(grid.T, columns=range(width), dtype=object, copy=False)
    headers = list(header.headers)
    cmap = ColumnMapping(dict(cmap.columns), headers, cmap.duplicates)
    default_cells = _defaults_into_raw(raw, headers, cmap, profile, report, sheet_label)
    names = cmap.as_names()
    keep = np.ones(len(raw), dtype=bool)
    originals = {c: raw[i].to_numpy() for c, i in cmap.columns.items()}
    ctx = rules.RowContext(sheet_label, row_numbers, names, report, keep, originals)
    for canon, positions, value in default_cells:
        for pos in positions:
            ctx.add(pos, Severity.WARNING, "default_used",
                    f"Blank; the mapping profile's default {value!r} is used.", canon, "")
    if blank_count:
        report.add(Severity.INFO, f"{blank_count} blank row(s) below the header were ignored.",
                   code="blank_rows", sheet=sheet_label)
    for h, canon, used in cmap.duplicates:
        report.add(Severity.INFO, f"Header {h!r} also looks like {canon}; {used!r} was used "
                   f"for {canon} and {h!r} is kept as an extra column.", code="duplicate_header",
                   sheet=sheet_label, column=h)

    typed = [i for c, i in cmap.columns.items() if BY_NAME[c].kind in _FLOAT_KINDS | {Kind.DATE}]
    totals = rules.totals_rows(raw, skip=typed)
    for pos in np.flatnonzero(totals):
        keep[pos] = False
        label = next((v for v in raw.iloc[pos] if isinstance(v, str)
                      and rules.TOTAL_LABEL.match(v)), None)
        ctx.add(pos, Severity.WARNING, "totals_row",
                "Row excluded: it looks like a totals or subtotal row, not a post.", value=label)

    checkpoint(state, 0.5, "Parsing values…")
    posts = pd.DataFrame(index=raw.index)
    parsed_flags: pd.Series | None = None
    for n, canon in enumerate(c.name for c in BY_NAME.values()):
        col = BY_NAME[canon]
        if canon in cmap.columns:
            result = _PARSERS[col.kind](raw[cmap.columns[canon]])
            header_name = headers[cmap.columns[canon]]
            cells = raw[cmap.columns[canon]].to_numpy()
            for p in result.problems:
                if keep[p.pos]:
                    report.add(p.severity, p.message, code=p.code, sheet=sheet_label,
                               row=int(row_numbers[p.pos]), column=header_name,
                               value=cells[p.pos])
            values = result.values
            if wb.file_format != "csv" and col.kind in _TYPED_KINDS:
                _report_text_cells(cells, values, keep, ctx, canon, col.kind)
        elif col.kind in _FLOAT_KINDS:
            values = pd.Series(np.nan, index=raw.index)
        elif col.kind is Kind.DATE:
            values = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
        else:
            values = pd.Series(None, index=raw.index, dtype=object)
        if canon == "vacant":
            parsed_flags = values if canon in cmap.columns else None
            continue
        posts[canon] = values
        if n % 4 == 0:
            checkpoint(state, 0.5 + 0.35 * n / len(BY_NAME), "Parsing values…")

    _exclude_empty_rows(posts, ctx, keep, raw, cmap)
    _fill_post_ids(posts, ctx, cmap, profile, row_numbers, report, sheet_label)
    _fte_from_hours(posts, ctx, profile, keep)
    _salary_from_range(posts, ctx, profile, keep)

    checkpoint(state, 0.88, "Checking rows…")
    aggregate = bool(profile and profile.option("aggregate_rows"))
    rules.check_fte(posts, ctx, keep, aggregate)
    if aggregate:
        report.add(Severity.INFO, "Each row is a group of posts (the file's format says so), "
                   "so FTE above 1 is expected.", code="aggregate_rows", sheet=sheet_label)
    rules.check_post_ids(posts, raw, ctx, keep)
    rules.check_salary(posts, ctx, keep)
    fallback = list(profile.option("team_fallback")) if profile else ["service", "directorate"]
    rules.fill_teams(posts, ctx, keep, fallback)
    vacant_names = list(profile.option("vacant_names")) if profile else ["vacant", "vacancy"]
    rules.derive_status(posts, ctx, keep, parsed_flags, vacant_names)
    rules.check_dates(posts, ctx, keep, as_at)
    # a member unless the file says "no" (as .map({"yes": True, "no": False}).fillna(True)
    # gives, without pandas mapping 200,000 cells in one call)
    posts["pension_member"] = posts["pension_member"].to_numpy(dtype=object) != "no"
    posts["source_row"] = row_numbers

    loaded = posts.loc[keep, list(POST_COLUMNS)].reset_index(drop=True)
    unmapped = cmap.unmapped()
    extra = raw.loc[keep, unmapped].reset_index(drop=True)  # may be a view of grid
    extra.columns = [headers[i] for i in unmapped]
    source = SourceInfo(
        path=wb.path, file_format=wb.file_format, sheet=sheet_label,
        sheets=list(wb.sheet_names) if wb.file_format != "csv" else [],
        header_rows=tuple(range(raw_sheet.first_row + header.index - header.n_rows + 1,
                                raw_sheet.first_row + header.index + 1)),
        encoding=wb.encoding, delimiter=wb.delimiter, mapping=names,
        profile=profile.name if profile else None,
        unmapped=[headers[i] for i in unmapped],
    )
    rows_read = len(raw)
    ctx.originals.clear()
    del raw  # then the cells a column at a time: at once they hold the GIL for 50-100 ms
    for index in cmap.columns.values():  # not the others: extra may share their memory
        if index < len(grid):
            grid[index] = None
    if not keep.any():
        reasons = sorted({i.message for i in report if i.severity is not Severity.INFO})[:2]
        raise UnusableFileError(
            f"None of the {rows_read:,} rows of {wb.path.name} could be loaded as a post"
            + (f" ({' '.join(reasons)})" if reasons else "") + "."
        )
    checkpoint(state, 1.0, "Done")
    return Establishment(loaded, report, source, rows_read=rows_read,
                         rows_excluded=int((~keep).sum()), extra=extra)


def cells_by_column(rows: list[list[Cell]], width: int, size: int | None = None) -> np.ndarray:
    """The cells of ``rows`` (each ``width`` long) as a (column, row) object array, made
    ``size`` rows at a time (by default :func:`~planner.values.rows_per_chunk`) so that no
    single pandas call holds the GIL for long.

    ``pd.DataFrame(cells.T, columns=range(width), dtype=object, copy=False)`` is then
    ``pd.DataFrame(rows, columns=range(width), dtype=object)``, in the same memory.
    """
    cells = np.empty((width, len(rows)), dtype=object)
    for part in chunks(len(rows), size or rows_per_chunk(width)):
        cells[:, part] = pd.DataFrame(rows[part], columns=range(width), dtype=object) \
            .to_numpy().T
    return cells


def _report_text_cells(cells: np.ndarray, values: pd.Series, keep: np.ndarray,
                       ctx: rules.RowContext, canon: str, kind: Kind) -> None:
    """Numbers and dates typed as text in a spreadsheet: read, but worth telling the user."""
    # cell by cell: pandas would hash these numbers and dates holding the GIL throughout,
    # a Python loop lets go of it, and whether a cell is text is all that is asked
    is_text = np.fromiter((isinstance(v, str) for v in cells), dtype=bool, count=len(cells))
    read = is_text & values.notna().to_numpy() & keep
    for pos in np.flatnonzero(read):
        v = values.iloc[pos]
        shown = (f"{v:%d/%m/%Y}" if kind is Kind.DATE
                 else f"£{v:,.2f}" if kind is Kind.MONEY else f"{v:g}")
        ctx.add(pos, Severity.INFO, "text_value",
                f"Stored as text in the spreadsheet; read as {shown}.", canon, cells[pos])


def blank_mask(cells: np.ndarray) -> np.ndarray:
    """True where a cell is empty or only spaces (tested once per distinct value)."""
    codes, uniques = factorize(cells)
    blank_codes = [k for k, v in enumerate(uniques) if is_blank(v)]
    return (codes < 0) | np.isin(codes, blank_codes)


def _defaults_into_raw(
    raw: pd.DataFrame, headers: list[str], cmap: ColumnMapping, profile: MappingProfile | None,
    report: QualityReport, sheet: str | None,
) -> list[tuple[str, np.ndarray, object]]:
    """Put a profile's defaults into the raw cells, so they are parsed like any value.

    A column the file lacks becomes a column of the default (one note); blank cells
    of a column it has get the default (a warning per cell, returned for reporting
    once the row context exists).
    """
    filled: list[tuple[str, np.ndarray, object]] = []
    if profile is None:
        return filled
    for canon, value in profile.defaults.items():
        if canon in cmap.columns:
            col = cmap.columns[canon]
            cells = raw[col].to_numpy(dtype=object)
            blank = blank_mask(cells)
            if blank.any():
                raw.loc[blank, col] = value
                filled.append((canon, np.flatnonzero(blank), value))
            continue
        col = len(raw.columns)
        raw[col] = value
        headers.append(f"{BY_NAME[canon].label} (default)")
        cmap.columns[canon] = col
        report.add(Severity.INFO, f"The file has no {BY_NAME[canon].label} column; every post is "
                   f"taken as {value!r}, as the '{profile.name}' format says.",
                   code="column_defaulted", sheet=sheet, column=BY_NAME[canon].label)
    return filled


def _fill_post_ids(posts: pd.DataFrame, ctx: rules.RowContext, cmap: ColumnMapping,
                   profile: MappingProfile | None, row_numbers: np.ndarray,
                   report: QualityReport, sheet: str | None) -> None:
    generated = pd.Series([f"ROW{r}" for r in row_numbers], index=posts.index, dtype=object)
    if "post_id" not in cmap.columns:
        planned = bool(profile and profile.option("generate_post_id"))
        report.add(Severity.INFO if planned else Severity.WARNING,
                   "The file has no post id column; ids are made from spreadsheet row numbers "
                   "(ROW2, ROW3, …).", code="post_id_generated", sheet=sheet, column="post_id")
        posts["post_id"] = generated
        return
    missing = posts["post_id"].isna().to_numpy()
    for pos in np.flatnonzero(missing & ctx.keep):
        ctx.add(pos, Severity.WARNING, "post_id_missing",
                f"Post id is missing; {generated.iloc[pos]} is used.", "post_id")
    posts["post_id"] = posts["post_id"].where(~missing, generated)


def _fte_from_hours(posts: pd.DataFrame, ctx: rules.RowContext,
                    profile: MappingProfile | None, keep: np.ndarray) -> None:
    standard = float(profile.option("standard_weekly_hours")) if profile else 37.0
    fte = posts["fte"].to_numpy(dtype=float).copy()
    hours = posts["weekly_hours"].to_numpy(dtype=float)
    from_hours = hours / standard
    use = np.isnan(fte) & ~np.isnan(hours)
    if "fte" in ctx.headers:
        for pos in np.flatnonzero(use & keep):
            ctx.add(pos, Severity.WARNING, "fte_from_hours",
                    f"FTE is missing; {hours[pos]:g} hours ÷ {standard:g} = "
                    f"{from_hours[pos]:.4f} FTE is used.", "fte")
        clash = keep & ~np.isnan(fte) & ~np.isnan(hours) & (np.abs(fte - from_hours) > 0.02)
        for pos in np.flatnonzero(clash):
            ctx.add(pos, Severity.WARNING, "fte_hours_mismatch",
                    f"FTE {fte[pos]:g} does not match {hours[pos]:g} weekly hours "
                    f"({from_hours[pos]:.2f} FTE at {standard:g} hours); the FTE column is used.",
                    "fte", fte[pos])
    elif use.any():
        ctx.report.add(Severity.INFO, f"The file has no FTE column; FTE is worked out as weekly "
                       f"hours ÷ {standard:g} (the standard full-time week) from "
                       f"'{ctx.headers.get('weekly_hours')}'.", code="fte_from_hours",
                       sheet=ctx.sheet, column=ctx.headers.get("weekly_hours"))
    fte[use] = from_hours[use]
    posts["fte"] = fte


def _salary_from_range(posts: pd.DataFrame, ctx: rules.RowContext,
                       profile: MappingProfile | None, keep: np.ndarray) -> None:
    zero_missing = profile.option("zero_salary_is_missing") if profile else True
    for col in ("annual_salary", "salary_min", "salary_max"):
        values = posts[col].to_numpy(dtype=float).copy()
        if zero_missing:
            values[values == 0] = np.nan
        posts[col] = values
    salary = posts["annual_salary"].to_numpy(dtype=float).copy()
    lo = posts["salary_min"].to_numpy(dtype=float)
    hi = posts["salary_max"].to_numpy(dtype=float)
    need = np.isnan(salary)
    both = need & ~np.isnan(lo) & ~np.isnan(hi)
    only = need & ~both & ~(np.isnan(lo) & np.isnan(hi))
    salary[both] = lo[both] / 2 + hi[both] / 2  # (lo + hi) / 2 overflows near 1e308
    salary[only] = np.where(np.isnan(lo[only]), hi[only], lo[only])
    if "annual_salary" in ctx.headers:
        for pos in np.flatnonzero(both & keep):
            ctx.add(pos, Severity.WARNING, "salary_from_range",
                    f"Salary is missing; the midpoint £{salary[pos]:,.2f} of the pay floor and "
                    "ceiling is used.", "annual_salary")
        for pos in np.flatnonzero(only & keep):
            ctx.add(pos, Severity.WARNING, "salary_from_range",
                    f"Salary is missing; £{salary[pos]:,.0f} from the pay "
                    f"{'ceiling' if np.isnan(lo[pos]) else 'floor'} is used.", "annual_salary")
    elif both.any() or only.any():
        ctx.report.add(Severity.WARNING, "The file gives pay ranges, not salaries; each post's "
                       "salary is taken as the midpoint of its pay floor and ceiling.",
                       code="salary_from_range", sheet=ctx.sheet, column="annual_salary")
    posts["annual_salary"] = salary


def _all_blank(raw: pd.DataFrame, cmap: ColumnMapping, names: Iterable[str]) -> np.ndarray:
    """Rows whose cells are blank in every one of the named (mapped) columns."""
    blank = np.ones(len(raw), dtype=bool)
    for name in names:
        if name in cmap.columns:
            blank &= blank_mask(raw[cmap.columns[name]].to_numpy(dtype=object))
    return blank


def _exclude_empty_rows(posts: pd.DataFrame, ctx: rules.RowContext, keep: np.ndarray,
                        raw: pd.DataFrame, cmap: ColumnMapping) -> None:
    """Rows with none of team, FTE and salary are notes or footers, not posts; rows with
    no post id, team or title but some figures are unlabelled sum rows."""
    if "post_id" in cmap.columns:
        unlabelled = _all_blank(raw, cmap, ("post_id", "team", "post_title"))
        for pos in np.flatnonzero(unlabelled & keep):
            keep[pos] = False
            ctx.add(pos, Severity.WARNING, "not_a_post",
                    "Row excluded: it has no post id, team or title, so it is not a post "
                    "(a sum or subtotal row?).")
    core = [c for c in ("team", "fte", "annual_salary", "weekly_hours") if c in cmap.columns]
    if not core:
        return
    empty = _all_blank(raw, cmap, core)
    for pos in np.flatnonzero(empty & keep):
        keep[pos] = False
        first_text = next((str(v) for v in raw.iloc[pos] if not is_blank(v)), "")
        ctx.add(pos, Severity.WARNING, "not_a_post",
                "Row excluded: it has no team, FTE or salary, so it is not a post "
                "(a note or footer?).", value=first_text)
