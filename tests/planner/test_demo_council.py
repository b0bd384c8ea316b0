"""The committed demo council workbook: reproducible from its generator, and shaped as promised.

Read with openpyxl directly (not through ``planner.importer``) so these tests
check the file itself, independently of the importer.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from resources.demo import make_demo_council as demo

COMMITTED = Path(demo.__file__).with_name("demo_council.xlsx")

Row = tuple[Any, ...]


def _values(path: Path) -> list[Row]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb[demo.SHEET]
        return [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()


@pytest.fixture(scope="module")
def sheet() -> list[Row]:
    assert COMMITTED.exists(), "run: python -m resources.demo.make_demo_council"
    return _values(COMMITTED)


@pytest.fixture(scope="module")
def header(sheet: list[Row]) -> dict[str, int]:
    return {h: i for i, h in enumerate(sheet[demo.HEADER_ROW - 1]) if h is not None}


@pytest.fixture(scope="module")
def posts(sheet: list[Row], header: dict[str, int]) -> list[Row]:
    """Data rows: from the first data row to the first fully blank row."""
    rows: list[Row] = []
    for row in sheet[demo.FIRST_DATA_ROW - 1 :]:
        if all(v is None for v in row):
            break
        rows.append(row)
    return rows


def _col(rows: list[Row], header: dict[str, int], name: str) -> list[Any]:
    return [r[header[name]] for r in rows]


# --------------------------------------------------------------- reproducible


def test_regenerating_gives_the_committed_workbook(tmp_path: Path) -> None:
    out = tmp_path / "demo.xlsx"
    demo.generate(out)
    committed, fresh = _values(COMMITTED), _values(out)
    assert len(fresh) == len(committed)
    for excel_row, (a, b) in enumerate(zip(committed, fresh, strict=True), start=1):
        assert a == b, f"row {excel_row} differs; regenerate the committed workbook"


def test_generation_does_not_depend_on_the_clock(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    demo.generate(first)
    demo.generate(second)
    assert first.read_bytes() == second.read_bytes()
    wb = openpyxl.load_workbook(first, read_only=True)
    try:
        assert wb.properties.created == demo.FIXED_TIMESTAMP
        assert wb.properties.modified == demo.FIXED_TIMESTAMP
    finally:
        wb.close()


def test_pay_spine_2025_26_is_the_2024_25_spine_plus_3_2_percent() -> None:
    assert demo.NJC_PAY_SPINE_2024_25[22] == 32654  # published 2024/25 point
    assert set(demo.NJC_PAY_SPINE_2025_26) == set(range(2, 44))
    for scp, old in demo.NJC_PAY_SPINE_2024_25.items():
        assert demo.NJC_PAY_SPINE_2025_26[scp] == int(old * demo.NJC_AWARD_2025_26 + 0.5)


# ----------------------------------------------------------------- structure


def test_layout(sheet: list[Row], header: dict[str, int]) -> None:
    assert sheet[0][0] == demo.TITLE
    assert str(sheet[1][0]).startswith("Source: HR/payroll system extract.")
    assert all(v is None for v in sheet[2])
    assert tuple(sheet[demo.HEADER_ROW - 1]) == demo.HEADERS
    wb = openpyxl.load_workbook(COMMITTED)
    ws = wb[demo.SHEET]
    assert ws.freeze_panes == f"A{demo.FIRST_DATA_ROW}"
    assert any(str(r).startswith("A1:") for r in ws.merged_cells.ranges)


def test_size_and_organisation(posts: list[Row], header: dict[str, int]) -> None:
    assert 1450 <= len(posts) <= 1550
    assert len(set(_col(posts, header, "Directorate"))) == 6
    teams = set(_col(posts, header, "Team"))
    assert 38 <= len(teams) <= 42
    assert set(demo.REQUIRED_TEAMS) <= teams
    fte_by_team: Counter[str] = Counter()
    for team, fte in zip(_col(posts, header, "Team"), _col(posts, header, "FTE"), strict=True):
        fte_by_team[team] += fte
    assert all(2 <= fte <= 120 for fte in fte_by_team.values()), fte_by_team
    assert 55 <= fte_by_team["Contact Centre"] <= 65
    assert fte_by_team["Waste Collection"] == max(fte_by_team.values())


def test_post_numbers_are_unique_text_with_leading_zeros(
    posts: list[Row], header: dict[str, int]
) -> None:
    numbers = _col(posts, header, "Post No")
    assert all(isinstance(n, str) and len(n) == 7 and n.startswith("P0") for n in numbers)
    assert len(set(numbers)) == len(numbers)


def test_exactly_one_totals_row_after_one_blank_row(
    sheet: list[Row], posts: list[Row], header: dict[str, int]
) -> None:
    post_no = header["Post No"]
    totals = [i for i, r in enumerate(sheet) if r[post_no] == demo.TOTAL_LABEL]
    assert len(totals) == 1
    last_post = demo.FIRST_DATA_ROW - 1 + len(posts) - 1
    assert totals[0] == last_post + 2
    assert all(v is None for v in sheet[last_post + 1])
    total = sheet[totals[0]]
    assert total[header["FTE"]] == pytest.approx(sum(_col(posts, header, "FTE")))
    salaries = [demo.PAY_POINTS[scp] for scp in _col(posts, header, "SCP")]
    assert total[header["Annual Salary (£)"]] == sum(salaries)
    assert totals[0] == len(sheet) - 1  # nothing below the totals


def test_vacancies(posts: list[Row], header: dict[str, int]) -> None:
    status = _col(posts, header, "Status")
    assert set(status) == {"Filled", "Vacant"}
    share = status.count("Vacant") / len(posts)
    assert 0.05 <= share <= 0.12
    personal = ("Employee No", "Employee Name", "Date of Birth", "Continuous Service Date")
    for row in posts:
        if row[header["Status"]] == "Vacant":
            assert all(row[header[h]] is None for h in personal)
        else:
            assert row[header["Employee Name"]]


def test_grades_scps_salaries_and_hours_agree(posts: list[Row], header: dict[str, int]) -> None:
    text_salaries = 0
    for row in posts:
        grade, scp, salary = (row[header[h]] for h in ("Grade", "SCP", "Annual Salary (£)"))
        lo, hi = demo.GRADE_POINTS[grade]
        assert lo <= scp <= hi
        if isinstance(salary, str):
            text_salaries += 1
            salary = float(salary.replace("£", "").replace(",", ""))
        assert salary == demo.PAY_POINTS[scp]
        fte = row[header["FTE"]]
        assert 0 < fte <= 1
        assert row[header["Contracted Hrs"]] == pytest.approx(round(fte * 37, 2))
    assert 0.01 <= text_salaries / len(posts) <= 0.06


def test_dates_are_plausible(posts: list[Row], header: dict[str, int]) -> None:
    def as_date(value: Any) -> date:
        if isinstance(value, str):
            return datetime.strptime(value, "%d/%m/%Y").date()
        assert isinstance(value, datetime)
        return value.date()

    text_dates = 0
    for row in posts:
        dob, started = row[header["Date of Birth"]], row[header["Continuous Service Date"]]
        if dob is None:
            assert started is None
            continue
        text_dates += isinstance(dob, str)
        born, joined = as_date(dob), as_date(started)
        had_birthday = (demo.AS_AT.month, demo.AS_AT.day) >= (born.month, born.day)
        age = demo.AS_AT.year - born.year - (0 if had_birthday else 1)
        assert 18 <= age <= 66
        assert demo._birthday(born, 16) < joined <= demo.AS_AT
    assert text_dates > 0


def test_contracts_funding_and_pensions(posts: list[Row], header: dict[str, int]) -> None:
    contracts = Counter(_col(posts, header, "Contract Type"))
    assert set(contracts) == {"Permanent", "Fixed Term", "Temporary", "Agency", "Secondment"}
    assert contracts["Permanent"] > 0.75 * len(posts)
    assert 0.015 <= contracts["Agency"] / len(posts) <= 0.05
    agency_teams = Counter(
        r[header["Team"]] for r in posts if r[header["Contract Type"]] == "Agency"
    )
    main_users = agency_teams["Waste Collection"] + agency_teams["Contact Centre"]
    assert main_users > contracts["Agency"] / 2
    for row in posts:
        if row[header["Contract Type"]] == "Agency":
            assert row[header["Pension Member"]] == "No"
        external = row[header["External Funding (£)"]]
        assert (external is not None) == (row[header["Funding"]] != "Core")
    funding = Counter(_col(posts, header, "Funding"))
    assert 0.04 <= funding["Grant"] / len(posts) <= 0.08
    assert funding["Income"] > 0
    pension = Counter(_col(posts, header, "Pension Member"))
    assert 0.8 <= pension["Yes"] / len(posts) <= 0.9


def test_skills_for_casework_teams_only(posts: list[Row], header: dict[str, int]) -> None:
    casework = {"Revenues", "Benefits", "Housing Options", "Housing Allocations", "Contact Centre",
                "Customer Services Face-to-Face"}  # fmt: skip
    multi = 0
    for row in posts:
        team, skills = row[header["Team"]], row[header["Skills"]]
        if team not in casework:
            assert skills is None
        elif not row[header["Grade"]].startswith("SM"):
            parts = skills.split(";")
            assert 1 <= len(parts) <= 3 and len(set(parts)) == len(parts)
            assert set(parts) <= set(demo.CASEWORK_DISCIPLINES)
            multi += len(parts) > 1
    assert multi > 50  # a multi-skilled pool is possible
