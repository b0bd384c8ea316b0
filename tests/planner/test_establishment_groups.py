"""Group sums of the establishment, checked against sums worked out by hand.

small_posts (tests/ui/factories.py), with pay bill = FTE × salary of filled posts:

    post  directorate team               FTE   salary     status  pay bill
    0007  Resources   Revenues           1.00    9,500    filled      9,500
    0010  Resources   Benefits           0.50   28,000    vacant          0
    0011  Place       Planning          10.00  100,000    filled  1,000,000
    0012  Place       Waste              2.50   23,500.5  filled     58,751.25
    0100  People      Housing Options    0.81   (none)    filled          0
    A001  People      Customer Services  0.60   21,000    vacant          0
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planner.establishment import NO_DIRECTORATE, summarise
from planner.establishment_groups import (
    NO_TEAM,
    GroupTotals,
    PostAmounts,
    group_establishment,
    post_ids,
    selection_totals,
    teams_by_directorate,
)
from tests.ui.factories import many_posts, small_posts


def records(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(r) for r in frame.itertuples(index=False)]


def test_directorate_sums_by_hand() -> None:
    groups = group_establishment(small_posts())
    assert records(groups.directorates) == [
        # directorate, posts, filled, vacant, FTE filled, FTE vacant, pay bill
        ("Place", 2, 2, 0, 12.5, 0.0, 1_058_751.25),
        ("Resources", 2, 1, 1, 1.0, 0.5, 9_500.0),
        ("People", 2, 1, 1, pytest.approx(0.81), pytest.approx(0.6), 0.0),
    ]


def test_team_sums_by_hand_in_directorate_order() -> None:
    teams = group_establishment(small_posts()).teams
    assert records(teams) == [
        ("Place", "Planning", 1, 1, 0, 10.0, 0.0, 1_000_000.0),
        ("Place", "Waste", 1, 1, 0, 2.5, 0.0, 58_751.25),
        ("Resources", "Revenues", 1, 1, 0, 1.0, 0.0, 9_500.0),
        ("Resources", "Benefits", 1, 0, 1, 0.0, 0.5, 0.0),
        # equal pay bills (£0) keep alphabetical order
        ("People", "Customer Services", 1, 0, 1, 0.0, 0.6, 0.0),
        ("People", "Housing Options", 1, 1, 0, 0.81, 0.0, 0.0),
    ]
    people = group_establishment(small_posts()).teams_of("People")
    assert people["team"].tolist() == ["Customer Services", "Housing Options"]


def test_totals_by_hand() -> None:
    total = group_establishment(small_posts()).total
    assert total.posts == 6 and total.posts_filled == 4 and total.posts_vacant == 2
    assert total.fte_filled == pytest.approx(1 + 10 + 2.5 + 0.81)  # 14.31
    assert total.fte_vacant == pytest.approx(0.5 + 0.6)
    assert total.fte == pytest.approx(15.41)
    assert total.annual_pay_bill == pytest.approx(9_500 + 1_000_000 + 58_751.25)


def test_directorates_agree_with_the_establishment_summary() -> None:
    posts = many_posts(3_000)
    groups = group_establishment(posts)
    summary = summarise(posts, len(posts), 0).by_directorate
    assert groups.directorates["directorate"].tolist() == summary["directorate"].tolist()
    for column in ("posts", "fte_filled", "fte_vacant", "annual_pay_bill"):
        np.testing.assert_allclose(groups.directorates[column], summary[column])
    # teams add up to their directorate, directorates to the total
    by_dir = groups.teams.groupby("directorate")["annual_pay_bill"].sum()
    for row in groups.directorates.itertuples():
        assert by_dir[row.directorate] == pytest.approx(row.annual_pay_bill)
    assert groups.directorates["posts"].sum() == groups.total.posts == 3_000


def test_missing_directorate_and_team_are_named() -> None:
    posts = small_posts()
    posts.loc[0, "directorate"] = None
    posts.loc[0, "team"] = "  "
    groups = group_establishment(posts)
    assert NO_DIRECTORATE in groups.directorates["directorate"].tolist()
    row = groups.teams[groups.teams["directorate"] == NO_DIRECTORATE].iloc[0]
    assert row["team"] == NO_TEAM and row["annual_pay_bill"] == 9_500.0


def test_only_chosen_rows_by_mask_or_positions() -> None:
    posts = small_posts()
    mask = np.array([True, True, False, False, False, True])  # 0007, 0010, A001
    groups = group_establishment(posts, mask)
    assert groups.directorates["directorate"].tolist() == ["Resources", "People"]
    total = groups.total
    assert (total.posts, total.posts_filled, total.posts_vacant) == (3, 1, 2)
    assert (total.fte_filled, total.annual_pay_bill) == (1.0, 9_500.0)
    assert total.fte_vacant == pytest.approx(0.5 + 0.6)
    by_positions = group_establishment(posts, np.array([5, 0, 1]))
    assert records(by_positions.teams) == records(groups.teams)


def test_selection_totals_and_post_ids() -> None:
    posts = small_posts()
    chosen = np.array([2, 3])  # 0011 and 0012, both filled in Place
    totals = selection_totals(posts, chosen)
    assert (totals.posts, totals.posts_filled, totals.posts_vacant) == (2, 2, 0)
    assert totals.fte == 12.5
    assert totals.annual_pay_bill == 1_058_751.25
    assert post_ids(posts, chosen) == ("0011", "0012")
    assert post_ids(posts, np.array([5, 0])) == ("A001", "0007")
    assert selection_totals(posts, np.array([], dtype=np.int64)) == GroupTotals()
    assert selection_totals(posts).posts == 6


def test_empty_establishment() -> None:
    groups = group_establishment(small_posts().iloc[0:0])
    assert len(groups.directorates) == 0 and len(groups.teams) == 0
    assert groups.total == GroupTotals()


def test_teams_by_directorate() -> None:
    posts = small_posts()
    mapping = teams_by_directorate(posts["directorate"], posts["team"])
    assert mapping == {
        "Resources": {"Revenues", "Benefits"},
        "Place": {"Planning", "Waste"},
        "People": {"Housing Options", "Customer Services"},
    }


def test_post_amounts_give_the_same_sums() -> None:
    posts = small_posts()
    amounts = PostAmounts(posts)
    assert len(amounts) == 6
    assert amounts.totals() == selection_totals(posts)
    mask = np.array([False, False, True, True, False, False])
    assert amounts.totals(mask) == selection_totals(posts, mask)
    assert amounts.totals(np.array([2, 3])).annual_pay_bill == 1_058_751.25
    assert amounts.totals(np.array([], dtype=np.int64)) == GroupTotals()
