"""Build posts frames (every canonical column) for engine tests, without the importer."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from planner.establishment import POST_COLUMNS

DEFAULTS: dict[str, Any] = {
    "team": "Revenues", "directorate": "Resources", "service": "Finance", "fte": 1.0,
    "annual_salary": 30_000.0, "status": "filled", "grade": "Grade 5", "contract": "permanent",
    "funding": "core", "pension_member": True, "post_title": "Officer",
}


def make_posts(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """One post per dict; missing keys take :data:`DEFAULTS`, then empty."""
    records = []
    for i, row in enumerate(rows):
        rec: dict[str, Any] = {c: None for c in POST_COLUMNS}
        rec.update(DEFAULTS)
        rec["post_id"] = f"P{i + 1:03d}"
        rec["source_row"] = i + 2
        rec.update(row)
        records.append(rec)
    frame = pd.DataFrame.from_records(records, columns=list(POST_COLUMNS))
    for col in ("fte", "annual_salary", "age", "years_service", "external_funding",
                "weekly_hours", "salary_min", "salary_max"):
        frame[col] = pd.to_numeric(frame[col], errors="coerce").astype(float)
    for col in ("date_of_birth", "service_start_date"):
        frame[col] = pd.to_datetime(frame[col])
    frame["pension_member"] = frame["pension_member"].astype(bool)
    frame["source_row"] = frame["source_row"].astype(np.int64)
    return frame
