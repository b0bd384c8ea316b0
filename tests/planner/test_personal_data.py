"""Removing personal data: what goes, what is kept, and what it does to the results."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planner import bundled, importer
from planner.commands import RemovePersonalData, SetEstablishment
from planner.demo import demo_scenarios
from planner.establishment import Establishment
from planner.months import month_number
from planner.one_off import ONE_OFF_LINES
from planner.personal_data import (
    REMOVAL_CODE,
    REMOVED,
    RedactedEstablishment,
    age_to_the_month,
    planning_start,
    removal_summary,
    remove_personal_data,
    service_to_the_month,
    state_of,
)
from planner.project import Project
from planner.runner import run_scenario
from planner.scenario_edits import edit

APRIL_2027 = month_number(2027, 4)
WHEN = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=1)))
#: Monthly columns that come from the one-off costs (redundancy and pension strain).
ONE_OFF_COLUMNS = {*ONE_OFF_LINES, "one_off_total", "net", "cumulative_net"}

STAFF_CSV = """\
Post No,Team,FTE,Annual Salary,Employee No,Employee Name,Date of Birth,Continuous Service Date,Notes
P001,Revenues,1,"£30,000",E12345,Jane Doe,12/31/1980,01/04/2010,Ask Jane Doe about hours
P002,Revenues,1,31000,E22222,Vacant,,,
P003,Benefits,0.5,29000,E33333,John O'Brien,01/01/2030,01/01/2040,on leave
P004,Benefits,1,abc,E44444,Mary Major,03/05/1975,15/06/1999,
Jane Doe moved to Place in May,,,,,,,,
P005,Benefits,1,28000,,,,,
"""
PERSONAL_VALUES = ("Jane Doe", "John O'Brien", "Mary Major", "E12345", "E33333", "E44444",
                   "12/31/1980", "01/01/2030", "01/01/2040", "03/05/1975", "15/06/1999",
                   "1975", "1999", "1980", "2030", "2040", "Ask Jane", "on leave")


@pytest.fixture(scope="module")
def demo() -> Establishment:
    return importer.load_establishment(bundled.demo_workbook())


@pytest.fixture(scope="module")
def demo_clean(demo: Establishment) -> RedactedEstablishment:
    return remove_personal_data(demo, APRIL_2027, user="carol", when=WHEN)


@pytest.fixture
def staff(tmp_path: Path) -> Establishment:
    path = tmp_path / "staff.csv"
    path.write_text(STAFF_CSV, encoding="utf-8")
    return importer.load_establishment(path)


# ---------------------------------------------------------------- what goes, what stays

def test_names_ids_dates_and_free_text_go(staff: Establishment) -> None:
    before = staff.posts.copy()
    clean = remove_personal_data(staff, APRIL_2027, user="carol", when=WHEN)
    posts = clean.posts
    for column in ("employee_id", "employee_name", "date_of_birth", "service_start_date"):
        assert posts[column].isna().all(), column
    assert clean.extra is None
    text = posts.astype(str).to_csv() + "\n".join(
        f"{i.message} {i.value}" for i in clean.report.issues)
    for value in PERSONAL_VALUES:
        assert value not in text, value
    # the input is untouched; everything not personal is kept as it was
    pd.testing.assert_frame_equal(staff.posts, before)
    assert staff.extra is not None and staff.posts["employee_name"].notna().any()
    kept = [c for c in posts if c not in ("employee_id", "employee_name", "date_of_birth",
                                          "service_start_date", "age", "years_service")]
    pd.testing.assert_frame_equal(posts[kept], before[kept])
    assert clean.source.mapping == staff.source.mapping
    assert (clean.rows_read, clean.rows_excluded) == (staff.rows_read, staff.rows_excluded)


def test_report_keeps_what_is_not_personal(staff: Establishment) -> None:
    clean = remove_personal_data(staff, APRIL_2027, user="carol", when=WHEN)
    old, new = staff.report.issues, clean.report.issues
    assert len(new) == len(old) + 1
    for before, after in zip(old, new, strict=False):
        assert (after.severity, after.code, after.sheet, after.row, after.column) == (
            before.severity, before.code, before.sheet, before.row, before.column)
    by_code = {i.code: i for i in new}
    assert by_code["not_money"] == next(i for i in old if i.code == "not_money")  # 'abc' kept
    assert by_code["not_a_post"].value == REMOVED  # the note row's text
    assert by_code["vacant_name"].message == f"Name {REMOVED} read as a vacant post (no holder)."
    dob = next(i for i in new if i.code == "impossible_date" and i.column == "Date of Birth")
    assert dob.message == (f"Date of birth {REMOVED} gives an age of -3, which is impossible "
                           "for an employee; left empty.") and dob.value == REMOVED
    line = new[-1]
    assert line.code == REMOVAL_CODE and line.value is None
    assert line.message == (
        "Personal data removed on 01 May 2026 at 09:30 by carol: employee names and numbers "
        "left empty, dates of birth and service start dates replaced by age and years of "
        "service at Apr 2027 (to the month); 1 unmapped source column dropped; values "
        "quoted in this report were removed.")


def test_ages_and_service_to_the_month_by_hand() -> None:
    dates = pd.Series(pd.to_datetime(["1977-03-17", "2001-11-08", "1980-01-31", None]))
    # 17 Mar 1977 to 1 Apr 2027: 18,277 days = 600.48 months of 365.25/12 days → 600
    # 8 Nov 2001 to 1 Apr 2027: 9,275 days = 304.72 months → 304
    # 31 Jan 1980 to 1 Apr 2027: 17,227 days = 565.98 months → 565 (the engine's count)
    ages = age_to_the_month(dates, APRIL_2027)
    np.testing.assert_array_equal(ages[:3], np.array([600.5, 304.5, 565.5]) / 12)
    assert np.isnan(ages[3])
    # calendar months to 31 Mar 2027: Mar 1977 → Mar 2027 = 600; Nov 2001 → 304;
    # Jan 1980 → 566
    service = service_to_the_month(dates, APRIL_2027)
    np.testing.assert_array_equal(service[:3], np.array([600.5, 304.5, 566.5]) / 12)
    assert np.isnan(service[3])


def test_given_whole_years_are_kept_where_there_is_no_date(staff: Establishment) -> None:
    posts = staff.posts.copy()
    posts["age"] = [50.0, np.nan, 40.0, 30.0, 61.0]
    posts["years_service"] = [3.0, np.nan, 2.0, 1.0, 20.0]
    est = Establishment(posts, staff.report, staff.source, staff.rows_read, staff.rows_excluded)
    clean = remove_personal_data(est, APRIL_2027).posts
    # P001 has no usable date of birth (US format) but a service date; P004 has both
    assert clean["age"].tolist()[:3] == [50.0, pytest.approx(np.nan, nan_ok=True), 40.0]
    assert clean["age"].iloc[4] == 61.0 and clean["years_service"].iloc[4] == 20.0
    assert clean["age"].iloc[3] == pytest.approx((12 * 51 + 10 + 0.5) / 12)  # 3 May 1975
    assert clean["years_service"].iloc[3] == (12 * 27 + 9 + 0.5) / 12  # Jun 1999 → Mar 2027


def test_state_before_and_after(demo: Establishment, demo_clean: RedactedEstablishment) -> None:
    before = state_of(demo)
    assert not before.removed and before.columns == (
        "employee_id", "employee_name", "date_of_birth", "service_start_date")
    after = state_of(demo_clean)
    assert after.to_dict() == {
        "removed": True, "removed_at": "2026-05-01T09:30:00+01:00", "removed_by": "carol",
        "ages_at": "2027-04", "columns": ["age", "years_service"], "unmapped_columns": 0}
    assert state_of(None).to_dict()["columns"] == []


def test_summary_for_the_confirmation(demo: Establishment) -> None:
    scenarios = demo_scenarios()
    text = removal_summary(demo, APRIL_2027, scenarios)
    assert text == (
        "• Employee names (1,379) and employee numbers (1,342) are left empty.\n"
        "• Dates of birth (1,342) and service start dates (1,342) are replaced by the age and "
        "years of service they give at Apr 2027, to the month, which redundancy and pension "
        "costs need.\n"
        "• Names, numbers and dates quoted in the data-quality report are removed.")
    later = edit(scenarios[2], "horizon.start", month_number(2028, 4))
    assert removal_summary(demo, APRIL_2027, [*scenarios[:2], later]).endswith(
        f".\n\nScenarios starting in another month ({later.name}) will use these ages as at "
        "Apr 2027, so their results may change a little.")


def test_planning_start() -> None:
    scenarios = demo_scenarios()
    assert planning_start(scenarios, 1) == APRIL_2027
    later = edit(scenarios[1], "horizon.start", month_number(2028, 4))
    assert planning_start([scenarios[0], later], 1) == month_number(2028, 4)
    assert planning_start([], 0, today=dt.date(2026, 11, 23)) == month_number(2026, 11)


# ---------------------------------------------------------------- the command

def test_command_is_undoable_and_its_text_names_no_one(demo: Establishment) -> None:
    project = Project(demo, demo_scenarios())
    command = RemovePersonalData.of(demo, APRIL_2027, user="carol")
    assert isinstance(command, SetEstablishment)  # the app reruns everything on it
    assert command.text == "Remove personal data"
    undo = command.apply(project)
    assert isinstance(project.establishment, RedactedEstablishment)
    assert project.establishment.posts["employee_name"].isna().all()
    redo = undo.apply(project)
    assert project.establishment is demo
    redo.apply(project)
    assert project.establishment is command.establishment


# ---------------------------------------------------------------- results

def test_results_apart_from_one_off_costs_are_identical(
        demo: Establishment, demo_clean: RedactedEstablishment) -> None:
    """Capacity, running costs, savings and risk do not move: ages to the month retire
    people in the same month as their dates of birth did."""
    for scenario in demo_scenarios():
        want = run_scenario(demo.posts, scenario)
        have = run_scenario(demo_clean.posts, scenario)
        same = [c for c in want.monthly().columns if c not in ONE_OFF_COLUMNS]
        pd.testing.assert_frame_equal(have.monthly()[same], want.monthly()[same],
                                      check_exact=True)
        team = [c for c in want.team_monthly().columns if c not in ONE_OFF_COLUMNS]
        pd.testing.assert_frame_equal(have.team_monthly()[team], want.team_monthly()[team],
                                      check_exact=True)
        assert have.service().risk_table().equals(want.service().risk_table())
        assert have.warnings == want.warnings
        assert len(have.one_off.leavers) == len(want.one_off.leavers)


def test_redundancy_and_pension_strain_are_identical(
        demo: Establishment, demo_clean: RedactedEstablishment) -> None:
    for scenario in demo_scenarios():
        want = run_scenario(demo.posts, scenario)
        have = run_scenario(demo_clean.posts, scenario)
        pd.testing.assert_frame_equal(have.monthly(), want.monthly(), check_exact=True)
        assert have.to_dict() == want.to_dict()
