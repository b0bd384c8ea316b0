"""The validated establishment: one row per post (or post-holder), canonical columns.

An :class:`Establishment` is what the importer produces and everything else
consumes. Its ``posts`` frame always has every column in :data:`POST_COLUMNS`
(missing inputs are empty), so downstream code never has to ask whether a
column exists.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from planner.columns import CANONICAL
from planner.quality import QualityReport

#: Columns of :attr:`Establishment.posts`, in display order. ``vacant`` is an
#: input-only alias that the importer folds into ``status``.
POST_COLUMNS: tuple[str, ...] = (*(c for c in CANONICAL if c != "vacant"), "source_row")

FILLED = "filled"
VACANT = "vacant"
NO_DIRECTORATE = "(no directorate)"


@dataclass
class SourceInfo:
    """Where an establishment came from and how it was read."""

    path: Path
    file_format: str
    sheet: str | None = None
    sheets: list[str] = field(default_factory=list)
    header_rows: tuple[int, ...] = ()
    encoding: str | None = None
    delimiter: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)  # canonical -> source header
    profile: str | None = None
    unmapped: list[str] = field(default_factory=list)  # source headers not used

    def to_dict(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "file_format": self.file_format,
            "sheet": self.sheet,
            "sheets": list(self.sheets),
            "header_rows": list(self.header_rows),
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "mapping": dict(self.mapping),
            "profile": self.profile,
            "unmapped": list(self.unmapped),
        }


@dataclass(frozen=True)
class EstablishmentSummary:
    """Headline figures. Pay bill is basic pay (FTE × full-time salary), before on-costs."""

    rows_read: int
    rows_loaded: int
    rows_excluded: int
    posts: int
    posts_filled: int
    posts_vacant: int
    fte_total: float
    fte_filled: float
    fte_vacant: float
    annual_pay_bill: float  # filled posts
    establishment_cost: float  # all posts, filled and vacant
    posts_without_salary: int
    directorates: int
    teams: int
    by_directorate: pd.DataFrame  # directorate, posts, fte_filled, fte_vacant, annual_pay_bill

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            k: getattr(self, k)
            for k in self.__dataclass_fields__
            if k != "by_directorate"
        }
        for k, v in d.items():
            if isinstance(v, (np.integer, np.floating)):
                d[k] = v.item()
        d["fte_total"] = round(d["fte_total"], 4)
        d["fte_filled"] = round(d["fte_filled"], 4)
        d["fte_vacant"] = round(d["fte_vacant"], 4)
        d["annual_pay_bill"] = round(d["annual_pay_bill"], 2)
        d["establishment_cost"] = round(d["establishment_cost"], 2)
        d["by_directorate"] = [
            {
                "directorate": str(r["directorate"]),
                "posts": int(r["posts"]),
                "fte_filled": round(float(r["fte_filled"]), 4),
                "fte_vacant": round(float(r["fte_vacant"]), 4),
                "annual_pay_bill": round(float(r["annual_pay_bill"]), 2),
            }
            for r in self.by_directorate.to_dict("records")
        ]
        return d


@dataclass
class Establishment:
    """Posts that loaded, the data-quality report, and where they came from."""

    posts: pd.DataFrame
    report: QualityReport
    source: SourceInfo
    rows_read: int
    rows_excluded: int
    extra: pd.DataFrame | None = None  # unmapped source columns, same index as ``posts``

    @property
    def rows_loaded(self) -> int:
        return len(self.posts)

    def summary(self) -> EstablishmentSummary:
        return summarise(self.posts, self.rows_read, self.rows_excluded)


def empty_posts() -> pd.DataFrame:
    """A posts frame with no rows and every column, for tests and placeholders."""
    return pd.DataFrame({c: pd.Series(dtype=object) for c in POST_COLUMNS})


def summarise(posts: pd.DataFrame, rows_read: int, rows_excluded: int) -> EstablishmentSummary:
    """Compute :class:`EstablishmentSummary` from a posts frame."""
    fte = pd.to_numeric(posts["fte"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    salary = pd.to_numeric(posts["annual_salary"], errors="coerce").to_numpy(dtype=float)
    vacant = (posts["status"] == VACANT).to_numpy(dtype=bool)
    filled = ~vacant
    cost = fte * np.nan_to_num(salary, nan=0.0)
    directorate = posts["directorate"].astype(object).where(
        posts["directorate"].notna() & (posts["directorate"].astype(str) != ""), NO_DIRECTORATE
    )
    frame = pd.DataFrame(
        {
            "directorate": directorate.astype(str).to_numpy(),
            "posts": 1,
            "fte_filled": np.where(filled, fte, 0.0),
            "fte_vacant": np.where(vacant, fte, 0.0),
            "annual_pay_bill": np.where(filled, cost, 0.0),
        }
    )
    by_dir = (
        frame.groupby("directorate", sort=True, as_index=False)
        .sum(numeric_only=True)
        .sort_values("annual_pay_bill", ascending=False, kind="stable")
        .reset_index(drop=True)
    )
    return EstablishmentSummary(
        rows_read=int(rows_read),
        rows_loaded=len(posts),
        rows_excluded=int(rows_excluded),
        posts=len(posts),
        posts_filled=int(filled.sum()),
        posts_vacant=int(vacant.sum()),
        fte_total=float(fte.sum()),
        fte_filled=float(fte[filled].sum()),
        fte_vacant=float(fte[vacant].sum()),
        annual_pay_bill=float(cost[filled].sum()),
        establishment_cost=float(cost.sum()),
        posts_without_salary=int(np.isnan(salary).sum()),
        directorates=int(by_dir.shape[0]),
        teams=int(posts["team"].nunique(dropna=True)),
        by_directorate=by_dir,
    )
