"""Choose the sheet of a workbook that holds the establishment, and say why not when none does.

Every sheet is read and its header found; the sheets with every required column
and some data compete, a list of posts (with post ids) beating a summary, then
the table with more recognised columns and rows. When none qualifies, the error
names what each sheet lacks and the headers it does have.
"""

from __future__ import annotations

from collections.abc import Iterable

from planner.columns import REQUIRED, normalise_header
from planner.errors import UnusableFileError
from planner.headers import HeaderInfo, detect_header
from planner.mapping import ColumnMapping, MappingProfile, detect_profile, resolve_mapping
from planner.quality import QualityReport, Severity
from planner.readers import RawSheet, RawWorkbook, is_blank
from planner.tasks import TaskState, checkpoint

_DESCRIBE = {"post_id": "a post id", "team": "the team", "fte": "FTE (or weekly hours)",
             "annual_salary": "salary (or a pay floor and ceiling)"}


def choose_sheet(
    wb: RawWorkbook, sheet: str | None, profile: MappingProfile | None,
    report: QualityReport, state: TaskState | None,
) -> tuple[RawSheet, HeaderInfo, ColumnMapping, MappingProfile | None]:
    names = [sheet] if sheet is not None else wb.sheet_names
    tried: list[str] = []
    best = None
    usable: list[tuple[tuple[int, int, int, int], str, RawSheet, HeaderInfo, ColumnMapping,
                       MappingProfile | None]] = []
    for n, name in enumerate(names):
        checkpoint(state, 0.05 + 0.35 * n / len(names), f"Reading sheet '{name}'…")
        raw = wb.read_sheet(name)
        width = max((len(r) for r in raw.rows), default=0)
        prof = profile
        header = detect_header(raw, width, _profile_headers(prof)) if width else None
        if header is None:
            tried.append(f"'{name}' has no header row")
            continue
        if prof is None:
            prof = detect_profile(header.headers)
        cmap = resolve_mapping(header.headers, prof, header.lower)
        missing = _missing_required(cmap, prof)
        below = raw.rows[header.index + 1:]
        data_rows = len(below) if any(not all(is_blank(c) for c in r) for r in below) else 0
        if not missing and data_rows:
            # prefer a list of posts (with post ids) over a summary, then the bigger table
            score = (int("post_id" in cmap.columns), len(cmap.columns), data_rows, -n)
            usable.append((score, name, raw, header, cmap, prof))
            continue
        tried.append(f"'{name}' has no column for {_missing_text(missing)}" if missing
                     else f"'{name}' has a header row but no data below it")
        if best is None:
            best = (name, header, missing)
    if usable:
        usable.sort(key=lambda u: u[0], reverse=True)
        _, name, raw, header, cmap, prof = usable[0]
        if sheet is None and len(wb.sheet_names) > 1:
            report.add(Severity.INFO, f"Sheet '{name}' was used; the workbook also has "
                       + ", ".join(f"'{s}'" for s in wb.sheet_names if s != name) + ".",
                       code="sheet_chosen", sheet=name)
        return raw, header, cmap, prof
    if best is None:
        raise UnusableFileError(
            f"{wb.path.name} has no table with a header row"
            + ("" if wb.file_format == "csv" else f" on any sheet ({'; '.join(tried)})") + "."
        )
    name, header, missing = best
    found = [h for h in header.headers if not h.startswith("Column ")]
    if wb.file_format == "csv" or len(names) == 1:
        where = wb.path.name if wb.file_format == "csv" else f"sheet '{name}' of {wb.path.name}"
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
