"""Choose the sheet of a workbook that holds the establishment, and say why not when none does.

Every sheet is read and its header found; the sheets with every required column
and some data compete, a visible sheet beating one hidden in Excel (an old copy,
a lookup list), then a list of posts (with post ids) beating a summary, then
the table with more recognised columns and rows. When none qualifies, the error
names what each sheet lacks and the headers it does have.

Once a sheet is chosen: rows hidden in Excel are read like any other row (a
filter or a hidden row does not take a post out), and the report says how many
were; formulas saved without their results (files written by programs rather
than Excel) are refused if they are in a column FTE Planner needs, since their
values are unknown, and noted otherwise.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from planner.columns import REQUIRED, normalise_header
from planner.errors import UnusableFileError
from planner.headers import HeaderInfo, detect_header
from planner.mapping import ColumnMapping, MappingProfile, detect_profile, resolve_mapping
from planner.quality import QualityReport, Severity
from planner.readers import RawSheet, RawWorkbook, is_blank
from planner.tasks import TaskState, checkpoint
from planner.workbook_guard import quoted

_DESCRIBE = {"post_id": "a post id", "team": "the team", "fte": "FTE (or weekly hours)",
             "annual_salary": "salary (or a pay floor and ceiling)"}


def choose_sheet(
    wb: RawWorkbook, sheet: str | None, profile: MappingProfile | None,
    report: QualityReport, state: TaskState | None,
) -> tuple[RawSheet, HeaderInfo, ColumnMapping, MappingProfile | None]:
    names = [sheet] if sheet is not None else wb.sheet_names
    tried: list[str] = []
    unreadable: list[UnusableFileError] = []
    best = None
    usable: list[tuple[tuple[int, ...], str, RawSheet, HeaderInfo, ColumnMapping,
                       MappingProfile | None]] = []
    for n, name in enumerate(names):
        checkpoint(state, 0.05 + 0.35 * n / len(names), f"Reading sheet {quoted(name)}…")
        try:
            raw = wb.read_sheet(name)
        except UnusableFileError as exc:  # e.g. a sheet beyond the size limits
            if len(names) == 1:
                raise
            unreadable.append(exc)
            tried.append(f"{quoted(name)} could not be read")
            continue
        width = max((len(r) for r in raw.rows), default=0)
        prof = profile
        header = detect_header(raw, width, _profile_headers(prof)) if width else None
        if header is None:
            tried.append(f"{quoted(name)} has no header row")
            continue
        if prof is None:
            prof = detect_profile(header.headers)
        cmap = resolve_mapping(header.headers, prof, header.lower)
        missing = _missing_required(cmap, prof)
        below = raw.rows[header.index + 1:]
        data_rows = len(below) if any(not all(is_blank(c) for c in r) for r in below) else 0
        if not missing and data_rows:
            # prefer a visible sheet, a list of posts (with post ids) over a summary, then
            # the bigger table
            score = (int(not raw.hidden), int("post_id" in cmap.columns), len(cmap.columns),
                     data_rows, -n)
            usable.append((score, name, raw, header, cmap, prof))
            continue
        tried.append(f"{quoted(name)} has no column for {_missing_text(missing)}" if missing
                     else f"{quoted(name)} has a header row but no data below it")
        if best is None:
            best = (name, header, missing)
    if usable:
        usable.sort(key=lambda u: u[0], reverse=True)
        _, name, raw, header, cmap, prof = usable[0]
        if sheet is None and len(wb.sheet_names) > 1:
            report.add(Severity.INFO, f"Sheet {quoted(name)} was used; the workbook also has "
                       + ", ".join(quoted(s) + (" (hidden)" if s in wb.hidden_sheets else "")
                                   for s in wb.sheet_names if s != name) + ".",
                       code="sheet_chosen", sheet=name)
        for error in unreadable:
            report.add(Severity.WARNING, f"Another sheet was not read: {error}",
                       code="sheet_unreadable")
        if raw.hidden and sheet is None:
            report.add(Severity.WARNING, f"Sheet {quoted(name)} is hidden in Excel; it was used "
                       "because no visible sheet holds an establishment.", code="hidden_sheet",
                       sheet=name)
        _report_hidden_rows(raw, header, report)
        _check_formulas(wb, raw, header, cmap, report)
        _fill_merged_down(raw, header, report)
        return raw, header, cmap, prof
    if best is None and unreadable and len(unreadable) == len(tried):
        raise unreadable[0]
    if best is None:
        raise UnusableFileError(
            f"{wb.path.name} has no table with a header row"
            + ("" if wb.file_format == "csv" else f" on any sheet ({'; '.join(tried)})") + "."
        )
    name, header, missing = best
    found = [h for h in header.headers if not h.startswith("Column ")]
    if wb.file_format == "csv" or len(names) == 1:
        where = (wb.path.name if wb.file_format == "csv"
                 else f"sheet {quoted(name)} of {wb.path.name}")
        if not missing:
            raise UnusableFileError(f"{where} has a header row but no data rows below it.")
        raise UnusableFileError(
            f"{where} has no column for {_missing_text(missing)} (its headers are "
            f"{_list((repr(h) for h in found[:10]), 'and')}{', …' if len(found) > 10 else ''}); "
            "choose the columns in a mapping profile (--mapping) if they are there under "
            "other names."
        )
    raise UnusableFileError(
        f"No sheet of {wb.path.name} holds an establishment ({'; '.join(tried)}); "
        "choose the sheet and columns with --sheet and --mapping."
    )


def _report_hidden_rows(raw: RawSheet, header: HeaderInfo, report: QualityReport) -> None:
    """Say how many hidden rows with data below the header were read (they are not skipped)."""
    first = raw.first_row + header.index + 1
    rows = [r for r in raw.hidden_rows if r >= first and r - raw.first_row < len(raw.rows)
            and not all(is_blank(c) for c in raw.rows[r - raw.first_row])]
    if not rows:
        return
    shown = _list([str(r) for r in rows[:8]] + (["…"] if len(rows) > 8 else []), "and")
    what = (f"{len(rows)} rows hidden in Excel (rows {shown}) were" if len(rows) > 1
            else f"Row {shown} is hidden in Excel but was")
    report.add(Severity.WARNING, f"{what} read like any other row: hiding a row does not leave "
               "it out, so delete it in Excel if it is not a post.", code="hidden_rows",
               sheet=raw.name)


def _fill_merged_down(raw: RawSheet, header: HeaderInfo, report: QualityReport) -> None:
    """Give every cell of a vertically merged range below the header its top cell's value.

    Excel shows "Revenues" merged down five rows as the team of all five posts; only the
    top cell holds it. Ranges across columns are left alone (a label spanning columns).
    """
    first = raw.first_row - 1 + header.index + 1  # 0-based spreadsheet row of the first data
    filled = []
    for (r0, c0), (r1, c1) in raw.merged:
        if c0 != c1 or r1 <= r0 or r0 < first:
            continue
        col = c0 - raw.first_col
        top = r0 - (raw.first_row - 1)
        if col < 0 or top >= len(raw.rows) or col >= len(raw.rows[top]):
            continue
        value = raw.rows[top][col]
        if is_blank(value):
            continue
        for i in range(top + 1, min(r1 - (raw.first_row - 1), len(raw.rows) - 1) + 1):
            row = raw.rows[i]
            if len(row) <= col:
                row.extend([None] * (col + 1 - len(row)))
            if is_blank(row[col]):
                row[col] = value
        filled.append(f"{_letter(c0)}{r0 + 1}:{_letter(c0)}{r1 + 1}")
    if filled:
        report.add(Severity.INFO, f"{len(filled)} merged cell range(s) below the header (e.g. "
                   f"{', '.join(filled[:3])}) were read as if each cell held the merged value.",
                   code="merged_filled", sheet=raw.name)


def _letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


_CELL = re.compile(r"([A-Z]+)([0-9]+)")


def _check_formulas(wb: RawWorkbook, raw: RawSheet, header: HeaderInfo, cmap: ColumnMapping,
                    report: QualityReport) -> None:
    """Refuse formulas saved without results in a column FTE Planner uses; note the others.

    Raises:
        UnusableFileError: such a formula is in a mapped column below the header.
    """
    if not raw.blank_formula_count:
        return
    first = raw.first_row + header.index + 1
    used = {i: canon for canon, i in cmap.columns.items()}
    needed: dict[str, list[str]] = {}
    for ref in raw.blank_formulas:
        m = _CELL.fullmatch(ref)
        if m is None or int(m.group(2)) < first:
            continue
        col = sum((ord(ch) - 64) * 26**k for k, ch in enumerate(reversed(m.group(1)))) - 1
        index = col - raw.first_col
        if index in used and index < len(header.headers):
            needed.setdefault(header.headers[index], []).append(ref)
    where = f"Sheet {quoted(raw.name)} of {wb.path.name}"
    if needed:
        cells = [ref for refs in needed.values() for ref in refs]
        raise UnusableFileError(
            f"{where} has {len(cells):,} formula cell(s) saved without their results in "
            f"column(s) {_list([repr(h) for h in needed], 'and')} (e.g. {', '.join(cells[:3])}), "
            "so their values are unknown; open the file in Excel, save it (Excel then stores "
            "the results), and load it again.")
    report.add(Severity.INFO, f"{raw.blank_formula_count:,} formula cell(s) saved without "
               f"their results (e.g. {', '.join(raw.blank_formulas[:3])}) are in columns FTE "
               "Planner does not use; they were read as blank.", code="blank_formulas",
               sheet=raw.name)


def _profile_headers(profile: MappingProfile | None) -> frozenset[str]:
    if profile is None:
        return frozenset()
    names = [h for alts in profile.columns.values() for h in alts]
    return frozenset(normalise_header(h) for h in names)


def _missing_required(cmap: ColumnMapping, profile: MappingProfile | None) -> list[str]:
    have = set(cmap.columns) | set(profile.defaults if profile else ())
    missing = []
    for canon, alternatives in REQUIRED.items():
        if canon == "post_id":
            continue  # generated from row numbers when absent
        if canon == "team" and have & {"service", "directorate"}:
            continue
        if canon not in have and not have & set(alternatives) - {"grade"}:
            missing.append(_DESCRIBE[canon])
    return missing


def _list(items: Iterable[str], conj: str = "or") -> str:
    seq = list(items)
    if len(seq) <= 1:
        return "".join(seq)
    return ", ".join(seq[:-1]) + f" {conj} " + seq[-1]


def _missing_text(missing: list[str]) -> str:
    return "; ".join(missing) if len(missing) > 1 else missing[0]
