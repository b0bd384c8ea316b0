"""Posts, FTE and pay bill grouped by directorate and team, and totals of chosen posts.

The establishment views show these sums: the grouped summary (directorate rows
that open into team rows, with a total), the "Showing 1,234 of 50,000 posts ·
1,100.50 FTE" line under the posts table, and the size of a selection of posts
before it is deleted or frozen. The rules are those of
:func:`planner.establishment.summarise`: a post is vacant when its status is
``"vacant"`` and filled otherwise; a missing or unreadable FTE counts as 0; the
pay bill is basic pay (FTE × full-time annual salary) of *filled* posts, before
on-costs, with a missing salary counting as £0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.establishment import NO_DIRECTORATE, VACANT

NO_TEAM = "(no team)"

#: The summed columns of :attr:`EstablishmentGroups.directorates` and ``.teams``.
SUM_COLUMNS: tuple[str, ...] = (
    "posts", "posts_filled", "posts_vacant", "fte_filled", "fte_vacant", "annual_pay_bill",
)


@dataclass(frozen=True)
class GroupTotals:
    """Sums over a set of posts."""

    posts: int = 0
    posts_filled: int = 0
    posts_vacant: int = 0
    fte_filled: float = 0.0
    fte_vacant: float = 0.0
    annual_pay_bill: float = 0.0  # filled posts, basic pay

    @property
    def fte(self) -> float:
        """FTE of all the posts, filled and vacant."""
        return self.fte_filled + self.fte_vacant


@dataclass(frozen=True)
class EstablishmentGroups:
    """The sums by directorate, by team within directorate, and overall.

    ``directorates`` has a ``directorate`` column and ``teams`` has ``directorate`` and
    ``team`` columns, then :data:`SUM_COLUMNS`. Directorates are in descending order of
    pay bill (as in the summary's chart), teams likewise within their directorate;
    ties keep alphabetical order.
    """

    directorates: pd.DataFrame
    teams: pd.DataFrame
    total: GroupTotals

    def teams_of(self, directorate: str) -> pd.DataFrame:
        """The team rows of one directorate, in order."""
        rows = self.teams[self.teams["directorate"] == directorate]
        return rows.reset_index(drop=True)


def _labels(column: pd.Series, missing: str) -> np.ndarray:
    """Each post's group name: the value stripped, or ``missing`` when blank.

    Only the distinct values are stripped (a few thousand teams, not 200,000 posts).
    """
    codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
    names = np.array([str(u).strip() or missing for u in uniques] + [missing], dtype=object)
    return names[codes]  # code -1 (missing) takes the last entry


def _measures(posts: pd.DataFrame) -> pd.DataFrame:
    """One row per post: the amounts each post adds to its group's sums."""
    fte = pd.to_numeric(posts["fte"], errors="coerce").fillna(0.0).to_numpy(dtype=float)
    salary = pd.to_numeric(posts["annual_salary"], errors="coerce").to_numpy(dtype=float)
    vacant = (posts["status"] == VACANT).to_numpy(dtype=bool)
    filled = ~vacant
    return pd.DataFrame(
        {
            "posts": np.ones(len(posts), dtype=np.int64),
            "posts_filled": filled.astype(np.int64),
            "posts_vacant": vacant.astype(np.int64),
            "fte_filled": np.where(filled, fte, 0.0),
            "fte_vacant": np.where(vacant, fte, 0.0),
            "annual_pay_bill": np.where(filled, fte * np.nan_to_num(salary, nan=0.0), 0.0),
        }
    )


def _totals(measures: pd.DataFrame) -> GroupTotals:
    sums = measures.sum(numeric_only=True)
    return GroupTotals(
        posts=int(sums.get("posts", 0)),
        posts_filled=int(sums.get("posts_filled", 0)),
        posts_vacant=int(sums.get("posts_vacant", 0)),
        fte_filled=float(sums.get("fte_filled", 0.0)),
        fte_vacant=float(sums.get("fte_vacant", 0.0)),
        annual_pay_bill=float(sums.get("annual_pay_bill", 0.0)),
    )


def _subset(posts: pd.DataFrame, rows: np.ndarray | None) -> pd.DataFrame:
    """``rows`` is a boolean mask or an array of positions (None: every post)."""
    if rows is None:
        return posts
    rows = np.asarray(rows)
    if rows.dtype == bool:
        return posts.iloc[np.flatnonzero(rows)]
    return posts.iloc[rows.astype(np.int64)]


def group_establishment(posts: pd.DataFrame, rows: np.ndarray | None = None
                        ) -> EstablishmentGroups:
    """Sum posts, FTE filled, FTE vacant and pay bill by directorate and by team.

    Args:
        posts: the establishment's posts frame.
        rows: only these posts (a boolean mask or positions); None for all.
    """
    chosen = _subset(posts, rows)
    measures = _measures(chosen)
    measures.insert(0, "team", _labels(chosen["team"], NO_TEAM))
    measures.insert(0, "directorate", _labels(chosen["directorate"], NO_DIRECTORATE))
    teams = measures.groupby(["directorate", "team"], sort=True, as_index=False).sum()
    directorates = (
        teams.drop(columns="team").groupby("directorate", sort=True, as_index=False).sum()
    )
    directorates = directorates.sort_values(
        "annual_pay_bill", ascending=False, kind="stable"
    ).reset_index(drop=True)
    rank = {name: i for i, name in enumerate(directorates["directorate"])}
    teams = teams.assign(_rank=teams["directorate"].map(rank), _bill=-teams["annual_pay_bill"])
    teams = teams.sort_values(["_rank", "_bill"], kind="stable").drop(columns=["_rank", "_bill"])
    return EstablishmentGroups(
        directorates=directorates[["directorate", *SUM_COLUMNS]],
        teams=teams.reset_index(drop=True)[["directorate", "team", *SUM_COLUMNS]],
        total=_totals(measures),
    )


def selection_totals(posts: pd.DataFrame, rows: np.ndarray | None = None) -> GroupTotals:
    """Sums over some posts (a boolean mask or positions; None for all)."""
    return _totals(_measures(_subset(posts, rows)))


class PostAmounts:
    """Each post's amounts worked out once, so that sums over any posts are quick.

    A view that sums the posts shown or selected many times (every filter change,
    every click) makes one of these per establishment; :meth:`totals` gives the same
    figures as :func:`selection_totals`.
    """

    def __init__(self, posts: pd.DataFrame) -> None:
        measures = _measures(posts)
        self._arrays = {c: measures[c].to_numpy() for c in SUM_COLUMNS}
        self._n = len(posts)

    def __len__(self) -> int:
        return self._n

    def totals(self, rows: np.ndarray | None = None) -> GroupTotals:
        """Sums over some posts (a boolean mask or positions; None for all)."""
        if rows is None:
            chosen = self._arrays
        else:
            rows = np.asarray(rows)
            pick = rows if rows.dtype == bool else rows.astype(np.int64)
            chosen = {c: a[pick] for c, a in self._arrays.items()}
        return GroupTotals(
            posts=int(chosen["posts"].sum()),
            posts_filled=int(chosen["posts_filled"].sum()),
            posts_vacant=int(chosen["posts_vacant"].sum()),
            fte_filled=float(chosen["fte_filled"].sum()),
            fte_vacant=float(chosen["fte_vacant"].sum()),
            annual_pay_bill=float(chosen["annual_pay_bill"].sum()),
        )


def post_ids(posts: pd.DataFrame, rows: np.ndarray) -> tuple[str, ...]:
    """The post ids of some posts (positions or a mask), in the order given, as text."""
    ids = _subset(posts, rows)["post_id"]
    return tuple(ids.astype(object).where(ids.notna(), "").astype(str).tolist())


def teams_by_directorate(directorates: Sequence[str], teams: Sequence[str]
                         ) -> dict[str, set[str]]:
    """Which team names occur in each directorate (both given per post, as shown)."""
    found: dict[str, set[str]] = {}
    for directorate, team in set(zip(directorates, teams, strict=True)):
        found.setdefault(str(directorate), set()).add(str(team))
    return dict(sorted(found.items()))
