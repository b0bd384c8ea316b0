"""Small establishments built directly from frames, so UI tests need no importer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from planner.establishment import POST_COLUMNS, Establishment, SourceInfo, empty_posts
from planner.quality import QualityReport, Severity

DIRECTORATES = ("Resources", "Place", "People")
TEAMS = {
    "Resources": ("Revenues", "Benefits", "Finance"),
    "Place": ("Planning", "Waste"),
    "People": ("Housing Options", "Customer Services"),
}


def small_posts() -> pd.DataFrame:
    """Six posts with values chosen to catch lexicographic sorting and formatting bugs."""
    rows = [
        # post_id, title, directorate, team, grade, fte, salary, status, name, dob, source_row
        ("0007", "Revenues Officer", "Resources", "Revenues", "6", 1.0, 9_500.0, "filled",
         "Ann Smith", pd.Timestamp("1970-03-31"), 2),
        ("0010", "Benefits Assessor", "Resources", "Benefits", "5", 0.5, 28_000.0, "vacant",
         None, pd.NaT, 3),
        ("0011", "Planning Officer", "Place", "Planning", "10", 10.0, 100_000.0, "filled",
         "Bob Jones", pd.Timestamp("1985-12-01"), 4),
        ("0012", "Waste Operative", "Place", "Waste", "3", 2.5, 23_500.5, "filled",
         "Cat Brown", pd.Timestamp("1990-07-15"), 5),
        ("0100", "Housing Officer", "People", "Housing Options", "7", 0.81, np.nan, "filled",
         "Dev Patel", pd.NaT, 6),
        ("A001", "Customer Adviser", "People", "Customer Services", "4", 0.6, 21_000.0,
         "vacant", None, pd.NaT, 8),
    ]
    names = ["post_id", "post_title", "directorate", "team", "grade", "fte", "annual_salary",
             "status", "employee_name", "date_of_birth", "source_row"]
    frame = pd.DataFrame(rows, columns=names)
    return _complete(frame)


def _complete(frame: pd.DataFrame) -> pd.DataFrame:
    posts = empty_posts()
    out = pd.DataFrame(index=range(len(frame)))
    for column in POST_COLUMNS:
        out[column] = frame[column] if column in frame else pd.Series(
            [None] * len(frame), dtype=posts[column].dtype
        )
    return out


def many_posts(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    directorate = rng.choice(DIRECTORATES, n)
    team = [TEAMS[d][i % len(TEAMS[d])] for i, d in enumerate(directorate)]
    frame = pd.DataFrame(
        {
            "post_id": [f"P{i:06d}" for i in range(n)],
            "post_title": rng.choice(["Officer", "Assistant", "Manager", "Adviser"], n),
            "directorate": directorate,
            "team": team,
            "grade": rng.integers(1, 15, n).astype(str),
            "fte": rng.choice([1.0, 0.5, 0.6, 0.81], n),
            "annual_salary": rng.integers(20_000, 80_000, n).astype(float),
            "status": rng.choice(["filled", "vacant"], n, p=[0.9, 0.1]),
            "employee_name": [f"Person {i}" for i in range(n)],
            "date_of_birth": pd.Timestamp("1960-01-01")
            + pd.to_timedelta(rng.integers(0, 15000, n), unit="D"),
            "source_row": np.arange(2, n + 2),
        }
    )
    return _complete(frame)


def sample_report() -> QualityReport:
    report = QualityReport()
    report.add(Severity.ERROR, "The FTE is zero or negative; the row was excluded.",
               code="fte_not_positive", sheet="Staff", row=7, column="FTE", value=0)
    report.add(Severity.WARNING, "The FTE is above 1.", code="fte_above_one", sheet="Staff",
               row=4, column="FTE", value=10)
    report.add(Severity.WARNING, "The salary is missing.", code="salary_missing",
               sheet="Staff", row=6, column="Salary", value=None)
    report.add(Severity.INFO, "Status was not given; posts with a name were taken as filled.",
               code="status_default")
    return report


def make_establishment(
    posts: pd.DataFrame | None = None,
    report: QualityReport | None = None,
    path: str | Path = "test_council.xlsx",
    rows_excluded: int = 1,
) -> Establishment:
    posts = small_posts() if posts is None else posts
    return Establishment(
        posts=posts,
        report=sample_report() if report is None else report,
        source=SourceInfo(path=Path(path), file_format="xlsx", sheet="Staff"),
        rows_read=len(posts) + rows_excluded,
        rows_excluded=rows_excluded,
    )
