"""Resolve a :class:`~planner.scenario.Selector` against the posts frame."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.scenario import Selector
from planner.workforce import Workforce


def _norm(values: pd.Series) -> np.ndarray:
    return values.astype(object).where(values.notna(), "").astype(str).str.strip().str.casefold(
    ).to_numpy(dtype=object)


def select_mask(selector: Selector, posts: pd.DataFrame | Workforce) -> np.ndarray:
    """Boolean mask of the posts the selector matches (an empty selector matches all).

    With a :class:`~planner.workforce.Workforce` the mask is in its (team-sorted)
    post order and comes from precomputed codes, which is much faster.
    """
    if isinstance(posts, Workforce):
        return _workforce_mask(selector, posts)
    mask = np.ones(len(posts), dtype=bool)
    if selector.post_ids:
        wanted = {p.strip().casefold() for p in selector.post_ids}
        mask &= np.isin(_norm(posts["post_id"]), list(wanted))
    for column, values in selector.fields:
        wanted = {v.strip().casefold() for v in values}
        mask &= np.isin(_norm(posts[column]), list(wanted))
    if selector.status is not None:
        mask &= (posts["status"].astype(str) == selector.status).to_numpy(dtype=bool)
    return mask


def _workforce_mask(selector: Selector, wf: Workforce) -> np.ndarray:
    mask = np.ones(wf.n, dtype=bool)
    if selector.post_ids:
        mask &= wf.codes["post_id"].mask(selector.post_ids)
    for column, values in selector.fields:
        mask &= wf.codes[column].mask(values)
    if selector.status is not None:
        mask &= wf.status == selector.status
    return mask


def unmatched_values(selector: Selector, posts: pd.DataFrame) -> list[str]:
    """Values in the selector that match no post at all, as ``"team 'X'"`` phrases.

    Used to say *why* a selector matched nothing (usually a typing mistake).
    """
    problems: list[str] = []
    if selector.post_ids:
        have = set(_norm(posts["post_id"]))
        problems += [f"post id {p!r}" for p in selector.post_ids
                     if p.strip().casefold() not in have]
    for column, values in selector.fields:
        have = set(_norm(posts[column]))
        problems += [f"{column} {v!r}" for v in values if v.strip().casefold() not in have]
    return problems
