"""Row-level rules applied after parsing: what is excluded, defaulted or suspicious.

Every rule reports to the :class:`QualityReport` with the spreadsheet row
number and the source header, so the user can find the cell in Excel.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.establishment import FILLED, VACANT
from planner.quality import QualityReport, Severity
from planner.values import duplicated, factorize

TOTAL_LABEL = re.compile(
    r"^\s*(grand\s+|sub[\s-]?)?totals?\s*(:|$|\bfor\b|\bfte\b|\(|-)"  # "Total", "Total for X"
    r"|^.{0,80}\s(grand\s+|sub[\s-]?)?total\s*:?\s*$",  # "Libraries Total" (Excel's Subtotal)
    re.IGNORECASE,
)
NO_TEAM = "(no team)"
MIN_FULL_TIME_SALARY = 10_000.0
MAX_FULL_TIME_SALARY = 500_000.0
#: Hard limits: beyond them a value is a typing or export error, never a real post, and
#: (1e300 read from a spreadsheet cell) would overflow the costs to infinity in the engine.
MAX_ROW_FTE = 10_000.0  # the largest group of posts one row may stand for
MAX_BELIEVABLE_SALARY = 10_000_000.0


@dataclass
class RowContext:
    """What the rules need to know about where rows came from."""

    sheet: str | None
    rows: np.ndarray  # spreadsheet row number of each frame row
    headers: dict[str, str]  # canonical → source header (for messages)
    report: QualityReport
    keep: np.ndarray  # rows still loaded (rules clear entries to exclude rows)
    originals: dict[str, np.ndarray]  # canonical → the cells as they were in the file

    def add(self, pos: int | np.integer, severity: Severity, code: str, message: str,
            column: str | None = None, value: object = None) -> None:
        header = self.headers.get(column, column) if column else None
        if value is None and column in self.originals:
            value = self.originals[column][int(pos)]  # the report shows what the file says
        self.report.add(severity, message, code=code, sheet=self.sheet,
                        row=int(self.rows[int(pos)]), column=header, value=value)


def totals_rows(raw: pd.DataFrame, skip: Iterable[object] = ()) -> np.ndarray:
    """Rows whose text cells include a "Total"/"Sub-total"/"Grand total" label.

    ``skip`` names columns known to hold numbers or dates, which need no look.
    """
    mask = np.zeros(len(raw), dtype=bool)
    skipped = set(skip)
    for col in raw.columns:
        if col in skipped:
            continue
        codes, uniques = factorize(raw[col].to_numpy(dtype=object))
        hits = [k for k, v in enumerate(uniques)
                if isinstance(v, str) and "otal" in v.lower() and TOTAL_LABEL.match(v)]
        if hits:
            mask |= np.isin(codes, hits)
    return mask


def check_fte(posts: pd.DataFrame, ctx: RowContext, keep: np.ndarray, aggregate: bool) -> None:
    """Exclude FTE missing or ≤ 0; warn above 1 (unless rows are aggregates by design)."""
    fte = posts["fte"].to_numpy(dtype=float)
    for pos in np.flatnonzero(keep & np.isnan(fte)):
        keep[pos] = False
        ctx.add(pos, Severity.ERROR, "fte_missing",
                "Row excluded: FTE (or weekly hours) is missing.", "fte")
    for pos in np.flatnonzero(keep & (fte <= 0)):
        keep[pos] = False
        ctx.add(pos, Severity.ERROR, "fte_not_positive",
                f"Row excluded: FTE {fte[pos]:g} is not above zero.", "fte")
    for pos in np.flatnonzero(keep & (fte > MAX_ROW_FTE)):
        keep[pos] = False
        ctx.add(pos, Severity.ERROR, "fte_too_large",
                f"Row excluded: FTE {fte[pos]:g} is more than {MAX_ROW_FTE:,.0f}, which no "
                "row of an establishment can be.", "fte")
    if not aggregate:
        for pos in np.flatnonzero(keep & (fte > 1)):
            ctx.add(pos, Severity.WARNING, "fte_above_one",
                    f"FTE {fte[pos]:g} is above 1; kept as it is (check it is one post).",
                    "fte")


def _pounds(x: float) -> str:
    return f"£{x:,.0f}" if x < 1e15 else f"£{x:.3g}"


def check_salary(posts: pd.DataFrame, ctx: RowContext, keep: np.ndarray) -> None:
    """Warn about missing and implausible salaries; leave unbelievable ones empty."""
    salary = posts["annual_salary"].to_numpy(dtype=float).copy()
    absurd = ~np.isnan(salary) & (salary > MAX_BELIEVABLE_SALARY)
    for pos in np.flatnonzero(keep & absurd):
        ctx.add(pos, Severity.WARNING, "salary_unbelievable",
                f"Salary {_pounds(salary[pos])} is more than {_pounds(MAX_BELIEVABLE_SALARY)}, "
                "which cannot be one post's pay; left empty.", "annual_salary")
    salary[absurd] = np.nan
    posts["annual_salary"] = salary
    for pos in np.flatnonzero(keep & np.isnan(salary) & ~absurd):
        ctx.add(pos, Severity.WARNING, "salary_missing",
                "Salary is missing; this post adds nothing to the pay bill.", "annual_salary")
    low = keep & (salary < MIN_FULL_TIME_SALARY)
    for pos in np.flatnonzero(low):
        ctx.add(pos, Severity.WARNING, "salary_low",
                f"Full-time salary £{salary[pos]:,.0f} is implausibly low; "
                "check it is not part-time pay.", "annual_salary")
    for pos in np.flatnonzero(keep & (salary > MAX_FULL_TIME_SALARY)):
        ctx.add(pos, Severity.WARNING, "salary_high",
                f"Salary {_pounds(salary[pos])} is implausibly high; check it.",
                "annual_salary")


def check_post_ids(posts: pd.DataFrame, raw: pd.DataFrame, ctx: RowContext,
                   keep: np.ndarray) -> None:
    """Exact duplicate rows are excluded; a repeated id on a different row gets a suffix."""
    ids = posts["post_id"]
    id_values = ids.to_numpy(dtype=object)
    dup = duplicated(id_values) & keep
    if not dup.any():
        return
    positions = np.flatnonzero(dup)
    raw_values = raw.iloc[positions].to_numpy(dtype=object)  # the rows with a repeated id
    first_of: dict[str, int] = {}
    taken = set(ids.dropna())
    seen_rows: dict[str, int] = {}
    counts: dict[str, int] = {}
    post_id_col = int(posts.columns.get_loc("post_id"))  # type: ignore[arg-type]
    for row, npos in enumerate(positions):
        pos = int(npos)
        pid = id_values[pos]
        key = "\x1f".join(repr(v) for v in raw_values[row])
        if pid not in first_of:
            first_of[pid] = pos
            seen_rows[key] = pos
            counts[pid] = 1
            continue
        if key in seen_rows:
            keep[pos] = False
            ctx.add(pos, Severity.ERROR, "duplicate_row",
                    f"Row excluded: an exact copy of row {ctx.rows[seen_rows[key]]}.",
                    "post_id", pid)
            continue
        seen_rows[key] = pos
        counts[pid] += 1
        new_id = f"{pid}#{counts[pid]}"
        while new_id in taken:
            counts[pid] += 1
            new_id = f"{pid}#{counts[pid]}"
        taken.add(new_id)
        posts.iat[pos, post_id_col] = new_id
        ctx.add(pos, Severity.WARNING, "duplicate_post_id",
                f"Post id {pid!r} is also on row {ctx.rows[first_of[pid]]}; this row is kept "
                f"as {new_id!r} (a job share or a second holder?).", "post_id", pid)


def derive_status(posts: pd.DataFrame, ctx: RowContext, keep: np.ndarray,
                  vacant_flag: pd.Series | None, vacant_names: list[str]) -> None:
    """status from the status column, else the vacancy flag, else the holder's name."""
    status = posts["status"].astype(object).copy()
    if vacant_flag is not None:
        from_flag = vacant_flag.map({"yes": VACANT, "no": FILLED})
        status = status.where(status.notna(), from_flag)
    names = posts["employee_name"].to_numpy(dtype=object)
    prefixes = tuple(n.lower() for n in vacant_names)
    is_vacant_name = np.fromiter(
        (isinstance(v, str) and v.strip().lower().startswith(prefixes) for v in names),
        dtype=bool, count=len(names))
    given = status.to_numpy(dtype=object)
    for pos in np.flatnonzero(is_vacant_name & keep):
        if given[pos] == FILLED:
            ctx.add(pos, Severity.WARNING, "vacant_name_filled",
                    f"The name {names[pos]!r} says vacant but the status says filled; the "
                    "status is used and the name is not kept as a person.", "employee_name")
        else:
            ctx.add(pos, Severity.INFO, "vacant_name",
                    f"Name {names[pos]!r} read as a vacant post (no holder).", "employee_name")
    status = status.where(~(status.isna() & is_vacant_name), VACANT)
    posts.loc[is_vacant_name, "employee_name"] = None
    posts["status"] = status.fillna(FILLED)


def fill_teams(posts: pd.DataFrame, ctx: RowContext, keep: np.ndarray,
               fallback: list[str]) -> None:
    team = posts["team"].to_numpy(dtype=object).copy()
    missing = posts["team"].isna().to_numpy()
    alternatives = {alt: posts[alt].to_numpy(dtype=object) for alt in fallback}
    for pos in np.flatnonzero(missing):
        for alt in fallback:
            value = alternatives[alt][pos]
            if isinstance(value, str) and value:
                team[pos] = value
                if keep[pos]:
                    ctx.add(pos, Severity.WARNING, "team_defaulted",
                            f"Team is missing; the {alt} {value!r} is used as the team.", "team")
                break
        else:
            team[pos] = NO_TEAM
            if keep[pos]:
                ctx.add(pos, Severity.WARNING, "team_missing",
                        f"Team is missing; the post is put in {NO_TEAM!r}.", "team")
    posts["team"] = team


def check_dates(posts: pd.DataFrame, ctx: RowContext, keep: np.ndarray,
                as_at: pd.Timestamp) -> None:
    """Dates of birth give an age of 15–100 at ``as_at``; service starts after 15 and not later."""
    dob = posts["date_of_birth"]
    start = posts["service_start_date"]
    age = (as_at - dob).dt.days / 365.25
    bad_dob = (keep & ((age < 15) | (age > 100)).fillna(False).to_numpy(dtype=bool))
    for pos in np.flatnonzero(bad_dob):
        ctx.add(pos, Severity.WARNING, "impossible_date",
                f"Date of birth {dob.iloc[pos]:%d/%m/%Y} gives an age of {age.iloc[pos]:.0f}, "
                "which is impossible for an employee; left empty.", "date_of_birth",
                f"{dob.iloc[pos]:%d/%m/%Y}")
    posts.loc[bad_dob, "date_of_birth"] = pd.NaT
    dob = posts["date_of_birth"]
    future = (start > as_at).fillna(False).to_numpy(dtype=bool)
    too_young = ((start - dob).dt.days / 365.25 < 15).fillna(False).to_numpy(dtype=bool)
    for pos in np.flatnonzero(keep & (future | too_young)):
        why = ("is in the future" if future[pos]
               else "is before the holder's 15th birthday")
        ctx.add(pos, Severity.WARNING, "impossible_date",
                f"Service start date {start.iloc[pos]:%d/%m/%Y} {why}; left empty.",
                "service_start_date", f"{start.iloc[pos]:%d/%m/%Y}")
    posts.loc[future | too_young, "service_start_date"] = pd.NaT
    if "age" in posts:
        a = posts["age"].to_numpy(dtype=float)
        bad_age = keep & ((a < 15) | (a > 100))
        for pos in np.flatnonzero(bad_age):
            ctx.add(pos, Severity.WARNING, "impossible_age",
                    f"Age {a[pos]:g} is impossible for an employee; left empty.", "age")
        posts.loc[bad_age, "age"] = np.nan
