"""An establishment compiled once for fast repeated scenario runs.

The app recomputes a scenario after every edit, so everything that depends
only on the establishment is worked out here once: posts sorted by team (the
engine's order), numeric arrays, text columns factorised into case-folded
codes for selectors, each team's usual directorate and service, and grade
medians for new posts and redeployment. The baseline run depends only on the
establishment and a few scenario settings, so it is cached here too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from planner.establishment import FILLED
from planner.scenario import SELECTOR_FIELDS

NO_TEAM = "(no team)"


@dataclass
class Codes:
    """A text column as integer codes over its distinct case-folded, trimmed values."""

    codes: np.ndarray  # -1 for empty
    lookup: dict[str, int]  # case-folded value -> code

    @classmethod
    def of(cls, values: pd.Series) -> Codes:
        text = values.astype(object).where(values.notna(), "").astype(str)
        codes, uniques = pd.factorize(text.str.strip().str.casefold().to_numpy(dtype=object))
        codes = codes.astype(np.int64)
        empty = [i for i, u in enumerate(uniques) if u == ""]
        if empty:
            codes[codes == empty[0]] = -1
        return cls(codes, {str(u): i for i, u in enumerate(uniques) if u != ""})

    def mask(self, wanted: tuple[str, ...]) -> np.ndarray:
        keys = [self.lookup[v.strip().casefold()] for v in wanted
                if v.strip().casefold() in self.lookup]
        return np.isin(self.codes, keys)

    def has(self, value: str) -> bool:
        return value.strip().casefold() in self.lookup


@dataclass
class Workforce:
    """Posts in engine order (sorted by team) with the arrays the engine needs."""

    posts: pd.DataFrame
    team_names: list[str]
    team_code: np.ndarray
    team_starts: np.ndarray
    team_present: np.ndarray
    fte: np.ndarray
    salary_raw: np.ndarray  # NaN where unknown
    filled: np.ndarray
    pension_member: np.ndarray
    dob: np.ndarray  # datetime64[ns], NaT unknown
    age: np.ndarray  # float, NaN unknown
    external_funding: np.ndarray
    funding_external: np.ndarray  # grant/income/capital
    codes: dict[str, Codes]
    status: np.ndarray  # object array of "filled"/"vacant"
    team_directorate: dict[str, Any]
    team_service: dict[str, Any]
    grade_median: dict[str, float]
    cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.fte)

    def spelling(self, column: str, value: str) -> str:
        """The establishment's own spelling of ``value`` (matched ignoring case and spaces).

        Scenario checks match names that way, so the engine must too: "revenues " is
        the team "Revenues". A value not in the establishment is returned trimmed.
        """
        key = value.strip().casefold()
        spellings = self.cache.get(("spellings", column))
        if spellings is None:
            spellings = {}
            for v in self.posts[column].dropna().astype(str):
                spellings.setdefault(v.strip().casefold(), v)
            self.cache[("spellings", column)] = spellings
        return str(spellings.get(key, value.strip()))

    @classmethod
    def from_posts(cls, posts: pd.DataFrame) -> Workforce:
        team_text = posts["team"].astype(object).where(posts["team"].notna(), NO_TEAM)
        team_text = team_text.astype(str)
        names = sorted(set(team_text))
        code = pd.Categorical(team_text, categories=names).codes.astype(np.int64)
        order = np.argsort(code, kind="stable")
        p = posts.iloc[order].reset_index(drop=True)
        code = code[order]
        starts = np.searchsorted(code, np.arange(len(names)))
        present = np.flatnonzero(np.diff(np.append(starts, len(code))) > 0)
        salary = pd.to_numeric(p["annual_salary"], errors="coerce").to_numpy(dtype=float)
        grade = p["grade"].astype(object)
        medians = pd.Series(salary).groupby(grade.to_numpy()).median().dropna()
        team_sorted = np.array(names, dtype=object)[code]

        def usual(column: str) -> dict[str, Any]:
            values = p[column].astype(object)
            frame = pd.DataFrame({"team": team_sorted, "v": values}).dropna()
            if frame.empty:
                return {}
            counts = frame.groupby(["team", "v"]).size().reset_index(name="n")
            counts = counts.sort_values(["team", "n", "v"], ascending=[True, False, True])
            return dict(counts.drop_duplicates("team")[["team", "v"]].itertuples(index=False))

        funding = p["funding"].astype(object).fillna("core").astype(str).str.lower()
        return cls(
            posts=p,
            team_names=names,
            team_code=code,
            team_starts=starts,
            team_present=present,
            fte=pd.to_numeric(p["fte"], errors="coerce").fillna(0.0).to_numpy(dtype=float),
            salary_raw=salary,
            filled=(p["status"].astype(object) == FILLED).to_numpy(dtype=bool),
            pension_member=p["pension_member"].astype(object).fillna(True).astype(bool)
            .to_numpy(),
            dob=pd.to_datetime(p["date_of_birth"], errors="coerce").to_numpy(
                dtype="datetime64[ns]"),
            age=pd.to_numeric(p["age"], errors="coerce").to_numpy(dtype=float),
            external_funding=pd.to_numeric(p["external_funding"], errors="coerce")
            .to_numpy(dtype=float),
            funding_external=funding.isin(["grant", "income", "capital"]).to_numpy(),
            codes={c: Codes.of(p[c]) for c in ("post_id", *SELECTOR_FIELDS)},
            status=p["status"].astype(object).to_numpy(),
            team_directorate=usual("directorate"),
            team_service=usual("service"),
            grade_median={str(k): float(v) for k, v in medians.items()},
        )


def as_workforce(posts: pd.DataFrame | Workforce) -> Workforce:
    """Compile ``posts`` unless it already is a :class:`Workforce`."""
    return posts if isinstance(posts, Workforce) else Workforce.from_posts(posts)
