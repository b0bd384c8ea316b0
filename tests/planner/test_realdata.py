"""Each real public file in ../shared/realdata loads with plausible totals or is refused clearly.

Expected figures come from ../shared/realdata/SOURCES.md, which was written from the
files independently of this code.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from planner.errors import UnusableFileError
from planner.importer import load_establishment

SENIOR = "pbouchal_Cabinet_Office_31_March_2014_senior_data.csv"
JUNIOR = "pbouchal_Cabinet_Office_31_March_2014_junior_data.csv"
HEFCE = "w3ccsvw_HEFCE_organogram_junior_data_31032011.csv"
TRAFFORD = "trafford_trafford_council_organisation_structure.csv"
NHS_HEADCOUNT = "myeu-nhsd_EU_and_UK_nationals_by_staff_group_and_organisation__September_2016.xlsx"
NHS_FTE = ("myeu-nhsd_hchs-staff-by-staff-group-nationality-and-organisation-"
           "september-2017-and-june-2018_ah2324.xlsx")


def test_cabinet_office_senior_organogram(realdata: Path) -> None:
    est = load_establishment(realdata / SENIOR)
    s = est.summary()
    assert est.source.encoding == "Windows-1252"
    assert est.source.profile == "UK government organogram (senior staff)"
    assert (s.rows_read, s.rows_loaded, s.rows_excluded) == (265, 265, 0)
    assert s.fte_total == pytest.approx(256.58)
    assert s.posts_vacant == 18  # the 18 'VACANT' names
    assert s.posts_without_salary == 190  # floor = ceiling = 0 means not disclosed
    posts = est.posts.set_index("post_id")
    assert posts.loc["405", "reports_to"] == "xx"  # the root post keeps its odd value
    assert posts.loc["24", "fte"] == 0.75 and posts.loc["445", "fte"] == 0.25
    paid = posts[posts["annual_salary"].notna()]
    # midpoints of £5k bands written as e.g. 105000/109999 → 107499.5
    assert ((paid["annual_salary"] - 2499.5).mod(5000) == 0).all()
    assert est.extra is not None and "Job/Team Function" in est.extra.columns


def test_cabinet_office_junior_organogram(realdata: Path) -> None:
    est = load_establishment(realdata / JUNIOR)
    s = est.summary()
    assert (s.rows_read, s.rows_loaded) == (804, 804)
    assert s.fte_total == pytest.approx(1556.11)
    assert s.teams == 28
    band_a = est.posts[est.posts["grade"] == "A/BAND A"]
    assert (band_a["annual_salary"] == (46000 + 60484) / 2).all()
    assert est.posts["post_id"].is_unique
    assert est.report.counts()["error"] == 0


def test_hefce_junior_organogram(realdata: Path) -> None:
    est = load_establishment(realdata / HEFCE)
    s = est.summary()
    assert (s.rows_read, s.rows_loaded) == (82, 82)
    assert s.fte_total == pytest.approx(239.36)
    assert s.teams == 3
    assert "Research, Innovation and Skills" in set(est.posts["team"])
    assert est.posts["grade"].map(type).eq(str).all()  # bare numbers kept as text


def test_trafford_transparency_org_chart(realdata: Path) -> None:
    est = load_establishment(realdata / TRAFFORD)
    s = est.summary()
    assert (s.rows_read, s.rows_loaded) == (80, 80)
    assert s.fte_total == 80  # one post per row
    assert s.posts_vacant == 11
    assert est.posts["employee_name"].notna().sum() == 2  # 'NA' is not a name
    wide = [i for i in est.report if "implausibly wide" in i.message]
    assert len(wide) == 3 and all(i.value == "10000 - 104999" for i in wide)
    assert est.posts["salary_max"].notna().sum() > 0


def test_nhs_headcount_table_is_refused_with_a_reason(realdata: Path) -> None:
    with pytest.raises(UnusableFileError) as info:
        load_establishment(realdata / NHS_HEADCOUNT)
    text = str(info.value)
    assert "no column for the team" in text and "'EU All staff'" in text


def test_nhs_long_fte_table_is_refused_quickly(realdata: Path) -> None:
    start = time.perf_counter()
    with pytest.raises(UnusableFileError) as info:
        load_establishment(realdata / NHS_FTE)
    assert time.perf_counter() - start < 30
    assert "'Data' has no column for" in str(info.value)
