"""Statutory redundancy, council enhancement and pension strain (planner.redundancy).

Every expected figure is either worked by hand in a comment or taken from a published
source cited next to it. Rules: ERA 1996 s.162 — ½ week per year under 22, 1 week for
22–40, 1½ weeks for 41+, at most the last 20 years, at least 2 years' service.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from planner.bundled import resource
from planner.errors import PlannerError
from planner.redundancy import (
    CapTable,
    load_cap_table,
    pension_strain_array,
    pension_strain_estimate,
    redundancy_amounts,
    redundancy_pay,
    statutory_weeks,
    statutory_weeks_array,
    statutory_weeks_from_dates,
)
from planner.scenario import PensionStrainTerms, RedundancyTerms

D = date

# ------------------------------------------------------------------------- cap table

# The limits on a week's pay from the Employment Rights (Increase of Limits) Orders,
# as published (e.g. xperthr.co.uk 2014 £464; conroys-solicitors.uk 2015 £475;
# mddus.com 2016 £479; personneltoday.com 2017 £489; tjdlaw.co.uk 2018 £508;
# barrco.org.uk 2020 £538; trowers.com 2022 £544→£571; lrdpublications.org.uk 2023
# £643; mondaq.com 2024 £700 and 2025 £719).
PUBLISHED_APRIL_CAPS = {
    2014: 464.0, 2015: 475.0, 2016: 479.0, 2017: 489.0, 2018: 508.0, 2019: 525.0,
    2020: 538.0, 2021: 544.0, 2022: 571.0, 2023: 643.0, 2024: 700.0, 2025: 719.0,
}


def test_built_in_table_has_every_april_cap_since_2014() -> None:
    table = load_cap_table()
    for year, cap in PUBLISHED_APRIL_CAPS.items():
        assert table.cap_on(D(year, 4, 6)) == cap
        assert table.entry_on(D(year, 4, 6)) == (D(year, 4, 6), cap)
    assert "Increase of Limits" in table.source
    assert load_cap_table() is table  # cached


def test_resource_json_is_well_formed() -> None:
    data = json.loads(resource("rates", "redundancy_caps.json").read_text(encoding="utf-8"))
    assert set(data) == {"source", "caps"}
    assert all({"from", "weekly_cap"} <= set(row) for row in data["caps"])


def test_cap_either_side_of_6_april_2025() -> None:
    table = load_cap_table()
    assert table.cap_on(D(2025, 4, 5)) == 700.0  # 2024 Order still in force
    assert table.cap_on(D(2025, 4, 6)) == 719.0  # 2025 Order applies from 6 April 2025
    assert table.cap_on(D(2013, 6, 1)) == 450.0  # from 1 Feb 2013 (lexology.com)


def test_cap_before_the_table_raises_and_after_it_uses_the_latest() -> None:
    table = CapTable.from_records(
        [{"from": "2025-04-06", "weekly_cap": 719}, {"from": "2024-04-06", "weekly_cap": 700}]
    )
    assert table.caps == ((D(2024, 4, 6), 700.0), (D(2025, 4, 6), 719.0))  # sorted
    assert table.last_known() == D(2025, 4, 6)
    assert table.cap_on(D(2040, 1, 1)) == 719.0
    with pytest.raises(PlannerError, match="before 2024-04-06"):
        table.cap_on(D(2024, 4, 5))


@pytest.mark.parametrize(
    "records",
    [
        [],
        [{"from": "6/4/2025", "weekly_cap": 719}],
        [{"from": "2025-04-06", "weekly_cap": "719"}],
        [{"from": "2025-04-06", "weekly_cap": 0}],
        [{"from": "2025-04-06", "weekly_cap": 719}, {"from": "2025-04-06", "weekly_cap": 720}],
    ],
)
def test_bad_user_tables_are_refused(records: list[dict[str, object]]) -> None:
    with pytest.raises(PlannerError):
        CapTable.from_records(records)


def test_caps_on_array_matches_scalar_and_passes_nat() -> None:
    table = load_cap_table()
    days = np.array(["2025-04-05", "2025-04-06", "NaT", "2031-01-01"], dtype="datetime64[D]")
    got = table.caps_on_array(days)
    assert got[:2].tolist() == [700.0, 719.0]
    assert np.isnan(got[2])
    assert got[3] == table.cap_on(D(2031, 1, 1))
    with pytest.raises(PlannerError):
        table.caps_on_array(np.array(["2000-01-01"], dtype="datetime64[D]"))


# ------------------------------------------------------- whole-years (ready reckoner)


@pytest.mark.parametrize(
    ("age", "years", "weeks"),
    [
        (41, 2, 2.0),  # years at 40, 39 → 1 + 1 (DESIGN §4; ready reckoner)
        (42, 2, 2.5),  # years at 41, 40 → 1.5 + 1
        (23, 2, 1.5),  # years at 22, 21 → 1 + 0.5
        (22, 2, 1.0),  # years at 21, 20 → 0.5 + 0.5
        (18, 2, 1.0),  # years at 17, 16 → 0.5 + 0.5
        (45, 15, 17.0),  # 4 years at 44..41 → 6; 11 years at 40..30 → 11
        (61, 30, 30.0),  # last 20 years at 60..41 → 20 × 1.5, the statutory maximum
        # Not 30: the 20th year back is at age 40 (1 week) → 19 × 1.5 + 1 = 29.5.
        (60, 30, 29.5),
        (30, 1, 0.0),  # under 2 years: nothing
        (30, 0, 0.0),
    ],
)
def test_ready_reckoner_convention(age: int, years: int, weeks: float) -> None:
    assert statutory_weeks(age=age, years=years) == weeks
    assert statutory_weeks_array(np.array([age]), np.array([years]))[0] == weeks


def test_only_the_last_20_years_count() -> None:
    # Acas "Work out redundancy pay" (acas.org.uk/manage-staff-redundancies/work-out-
    # redundancy-pay): Toni with 27 years is paid on the last 20 only. Aged 50: 9 years
    # at 49..41 → 13.5, 11 years at 40..30 → 11, total 24.5 whether 20 or 27 years.
    assert statutory_weeks(age=50, years=27) == 24.5
    assert statutory_weeks(age=50, years=20) == 24.5


def test_lrd_published_example() -> None:
    # LRD "Law at Work 2013", ch. 11 (lrdpublications.org.uk, id=idm1087328): aged 45,
    # £500 a week, 15 years → 4 × 1.5 + 11 × 1 = 17 weeks × £450 cap = £7,650.
    result = redundancy_pay(weekly_pay=500.0, leaving_date=D(2013, 6, 1), age=45, years=15)
    assert result.statutory_weeks == 17.0
    assert result.statutory_week_pay == 450.0  # pay above the cap
    assert result.statutory_amount == 7650.0
    assert result.total_amount == 7650.0 and result.enhancement_amount == 0.0


def test_published_statutory_maximums() -> None:
    # GOV.UK "Redundancy: your rights" (www.gov.uk/redundant-your-rights/redundancy-pay):
    # made redundant on or after 6 April 2024, cap £700, maximum £21,000 (30 × £700).
    r24 = redundancy_pay(weekly_pay=1_000.0, leaving_date=D(2024, 10, 1), age=61, years=25)
    assert (r24.statutory_weeks, r24.statutory_amount) == (30.0, 21_000.0)
    # Weightmans (weightmans.com/media-centre/news/redundancy-pay-and-other-statutory-
    # limits-to-rise-again): from 6 April 2025, 20 × £719 × 1.5 = £21,570.
    r25 = redundancy_pay(weekly_pay=1_000.0, leaving_date=D(2025, 4, 6), age=61, years=25)
    assert r25.statutory_amount == 21_570.0


def test_weekly_pay_below_the_cap_is_used_as_it_is() -> None:
    # 17 weeks (45, 15 years) × £400 (below the £719 cap) = £6,800.
    result = redundancy_pay(weekly_pay=400.0, leaving_date=D(2025, 6, 1), age=45, years=15)
    assert result.statutory_week_pay == 400.0
    assert result.statutory_amount == 6_800.0


# ------------------------------------------------------------------- date convention


def test_exactly_two_years_qualifies_and_a_day_less_does_not() -> None:
    # Employed 3 Apr 2023 to 2 Apr 2025 inclusive is exactly 2 years; the period ends
    # *with* the leaving date (ERA s.162(1)(a)). Born 1 Jan 1990 (aged 33–35): 2 × 1.
    dob, start = D(1990, 1, 1), D(2023, 4, 3)
    assert statutory_weeks(date_of_birth=dob, service_start=start, leaving_date=D(2025, 4, 2)) == 2
    # Leaving 1 Apr 2025: 1 year 364 days, so no statutory payment.
    assert statutory_weeks(date_of_birth=dob, service_start=start, leaving_date=D(2025, 4, 1)) == 0


def test_birthday_part_way_through_the_latest_year() -> None:
    # Leaving 30 Jun 2025; counted years run 1 Jul–30 Jun; 10 complete years since
    # 5 Jan 2015 (1 Jul 2015 – 30 Jun 2025).
    start, leaving = D(2015, 1, 5), D(2025, 6, 30)
    # Born 1 Sep 1983: aged 40 on 1 Jul 2024, 41 from 1 Sep 2024 — not 41 *throughout*
    # the latest year, so it counts 1 week; earlier years at 39..31 → 10 × 1 = 10.
    assert statutory_weeks(
        date_of_birth=D(1983, 9, 1), service_start=start, leaving_date=leaving
    ) == 10.0
    # Born 30 Jun 1983: already 41 on 1 Jul 2024 → 1.5, then 9 years at 40..32 → 10.5.
    assert statutory_weeks(
        date_of_birth=D(1983, 6, 30), service_start=start, leaving_date=leaving
    ) == 10.5


def test_leaving_the_day_before_the_42nd_birthday() -> None:
    # Practical Law ready reckoner note (uk.practicallaw.com/1-200-3157): employment that
    # ends the day before the 42nd birthday is treated as age 42 (a full year at 41).
    # Born 1 May 1983, start 6 Jan 2020: years begin 1 May 2024..1 May 2020 at ages
    # 41, 40, 39, 38, 37 → 1.5 + 4 = 5.5 (= ready reckoner at 42 with 5 years).
    dob, start = D(1983, 5, 1), D(2020, 1, 6)
    assert statutory_weeks(date_of_birth=dob, service_start=start, leaving_date=D(2025, 4, 30)) == (
        5.5
    )
    assert statutory_weeks(age=42, years=5) == 5.5
    # One day earlier the latest year starts 30 Apr 2024 at age 40 → 5 × 1 = 5.
    assert statutory_weeks(date_of_birth=dob, service_start=start, leaving_date=D(2025, 4, 29)) == 5


def test_years_under_22_with_dates() -> None:
    # Born 15 Mar 2000, start 3 Sep 2018, leave 31 Mar 2024: 5 complete years (years
    # begin 1 Apr 2023..2019 at ages 23, 22, 21, 20, 19) → 1 + 1 + 0.5 × 3 = 3.5.
    assert statutory_weeks(
        date_of_birth=D(2000, 3, 15), service_start=D(2018, 9, 3), leaving_date=D(2024, 3, 31)
    ) == 3.5


def test_leap_day_edges() -> None:
    # Leaving 28 Feb 2024 (a leap year): the latest year is 1 Mar 2023 – 28 Feb 2024,
    # so a start on 1 Mar 2022 gives exactly 2 years; a start on 2 Mar 2022 does not.
    dob = D(1980, 6, 1)  # aged 41–43 throughout → 2 × 1.5 = 3
    assert statutory_weeks(date_of_birth=dob, service_start=D(2022, 3, 1),
                           leaving_date=D(2024, 2, 28)) == 3.0
    assert statutory_weeks(date_of_birth=dob, service_start=D(2022, 3, 2),
                           leaving_date=D(2024, 2, 28)) == 0.0


def test_mixed_inputs() -> None:
    leaving = D(2025, 6, 30)
    # Date of birth with whole years: years dated back from the leaving date, rated
    # by the date of birth — same 10 weeks as the all-dates case above.
    assert statutory_weeks(date_of_birth=D(1983, 9, 1), years=10, leaving_date=leaving) == 10.0
    # Age with a start date: 10 complete years from the dates, rated at 41 − k → 40..31.
    assert statutory_weeks(age=41, service_start=D(2015, 1, 5), leaving_date=leaving) == 10.0


@pytest.mark.parametrize(
    "kwargs",
    [
        {"years": 5},  # no age or date of birth
        {"age": 40},  # no service
        {"age": -1, "years": 0},
        {"age": 40, "years": -2},
        {"age": 40.5, "years": 2},
        {"age": 30, "years": 16},  # would have started at 14
        {"age": 40, "date_of_birth": D(1985, 1, 1), "years": 2, "leaving_date": D(2025, 1, 1)},
        {"age": 40, "years": 2, "service_start": D(2020, 1, 1), "leaving_date": D(2025, 1, 1)},
        {"date_of_birth": D(1985, 1, 1), "years": 2},  # no leaving date
        {"age": 40, "service_start": D(2026, 1, 1), "leaving_date": D(2025, 1, 1)},
        {"date_of_birth": D(2026, 1, 1), "years": 0, "leaving_date": D(2025, 1, 1)},
        {"date_of_birth": D(2010, 1, 1), "service_start": D(2020, 1, 1),
         "leaving_date": D(2025, 1, 1)},  # started aged 10
    ],
)
def test_impossible_inputs_are_refused_in_one_sentence(kwargs: dict[str, object]) -> None:
    with pytest.raises(PlannerError) as info:
        statutory_weeks(**kwargs)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.endswith(".") and "\n" not in message


# ------------------------------------------------------------------------ enhancement

# 45 with 15 years → 17 weeks (LRD example above); cap on 1 Jun 2025 is £719.
LEAVE_2025 = D(2025, 6, 1)


def test_multiplier_with_actual_pay() -> None:
    terms = RedundancyTerms(multiplier=1.5, actual_pay=True)
    r = redundancy_pay(weekly_pay=900.0, leaving_date=LEAVE_2025, terms=terms, age=45, years=15)
    assert r.statutory_amount == 12_223.0  # 17 × £719
    assert r.enhanced_weeks == 25.5  # 17 × 1.5
    assert r.total_amount == 22_950.0  # 25.5 × £900
    assert r.enhancement_amount == 10_727.0  # 22,950 − 12,223
    assert (r.enhanced_week_pay, r.cap, r.cap_date) == (900.0, 719.0, D(2025, 4, 6))


def test_actual_pay_alone() -> None:
    terms = RedundancyTerms(actual_pay=True)
    r = redundancy_pay(weekly_pay=900.0, leaving_date=LEAVE_2025, terms=terms, age=45, years=15)
    assert r.total_amount == 15_300.0  # 17 × £900
    assert r.enhancement_amount == 3_077.0  # 15,300 − 12,223


def test_multiplier_alone_keeps_the_cap() -> None:
    terms = RedundancyTerms(multiplier=2.0)
    r = redundancy_pay(weekly_pay=900.0, leaving_date=LEAVE_2025, terms=terms, age=45, years=15)
    assert r.total_amount == 24_446.0  # 34 × £719
    assert r.enhanced_week_pay == 719.0


def test_104_week_limit() -> None:
    # 30 weeks × 4 = 120, limited to 104; pay £500 is below the cap.
    terms = RedundancyTerms(multiplier=4.0, actual_pay=True)
    r = redundancy_pay(weekly_pay=500.0, leaving_date=LEAVE_2025, terms=terms, age=61, years=30)
    assert r.statutory_amount == 15_000.0  # 30 × £500
    assert r.enhanced_weeks == 104.0
    assert r.total_amount == 52_000.0  # 104 × £500
    assert r.enhancement_amount == 37_000.0


def test_statutory_is_the_floor() -> None:
    # A multiplier below 1 cannot cut the statutory £12,223.
    terms = RedundancyTerms(multiplier=0.5)
    r = redundancy_pay(weekly_pay=900.0, leaving_date=LEAVE_2025, terms=terms, age=45, years=15)
    assert (r.total_amount, r.enhancement_amount, r.enhanced_weeks) == (12_223.0, 0.0, 17.0)
    with pytest.raises(PlannerError):
        redundancy_pay(weekly_pay=-1.0, leaving_date=LEAVE_2025, age=45, years=15)
    with pytest.raises(PlannerError):
        redundancy_pay(weekly_pay=1.0, leaving_date=LEAVE_2025, age=45, years=15,
                       terms=RedundancyTerms(multiplier=-1.0))


def test_to_dict() -> None:
    # £333.333… × 17 weeks = £5,666.67 to the penny.
    r = redundancy_pay(weekly_pay=1000 / 3, leaving_date=LEAVE_2025, age=45, years=15)
    d = r.to_dict()
    assert d["statutory_amount"] == 5666.67
    assert d["weekly_pay"] == 333.33
    assert d["cap_date"] == "2025-04-06"
    assert set(d) == {
        "statutory_weeks", "enhanced_weeks", "weekly_pay", "statutory_week_pay",
        "enhanced_week_pay", "cap", "cap_date", "statutory_amount", "enhancement_amount",
        "total_amount",
    }


# --------------------------------------------------------------------- pension strain


def test_pension_strain_formula() -> None:
    # Age 60, 20 years, £30,000 at 0.5 FTE: pension = 15,000 × 20 ÷ 49 = 300,000/49;
    # reduction 5 % × (67 − 60) = 35 %; strain = 300,000/49 × 0.35 × 20 = 2,100,000/49
    # = £42,857.14.
    strain = pension_strain_estimate(
        age_at_leaving=60, years_membership=20, annual_salary_fte=30_000, fte=0.5,
        terms=PensionStrainTerms(),
    )
    assert strain == pytest.approx(42_857.142857, abs=1e-4)


@pytest.mark.parametrize(
    ("age", "years", "terms", "expected"),
    [
        # £49,000 × 2 ÷ 49 = £2,000 pension; 12 years early × 5 % = 60 % → × 20 = £24,000.
        (55, 2, PensionStrainTerms(), 24_000.0),
        (54.9, 20, PensionStrainTerms(), 0.0),  # under 55
        (60, 1.9, PensionStrainTerms(), 0.0),  # under 2 years' membership
        (68, 20, PensionStrainTerms(), 0.0),  # past normal pension age: no reduction
        # 10 % × 12 years = 120 %, limited to 100 % → £2,000 × 1 × 20 = £40,000.
        (55, 2, PensionStrainTerms(reduction_pct_per_year=10.0), 40_000.0),
    ],
)
def test_pension_strain_thresholds(
    age: float, years: float, terms: PensionStrainTerms, expected: float
) -> None:
    got = pension_strain_estimate(
        age_at_leaving=age, years_membership=years, annual_salary_fte=49_000, fte=1.0, terms=terms
    )
    assert got == pytest.approx(expected)


def test_pension_strain_salary_pct() -> None:
    # 40 % of £30,000 × 0.8 FTE = £9,600; still nothing under 55.
    terms = PensionStrainTerms(method="salary_pct", salary_pct=40.0)
    kwargs = {"years_membership": 10.0, "annual_salary_fte": 30_000.0, "fte": 0.8}
    assert pension_strain_estimate(age_at_leaving=58, terms=terms, **kwargs) == pytest.approx(9_600)
    assert pension_strain_estimate(age_at_leaving=50, terms=terms, **kwargs) == 0.0
    with pytest.raises(PlannerError):
        pension_strain_estimate(age_at_leaving=58, years_membership=-1, annual_salary_fte=1,
                                fte=1, terms=terms)


def test_pension_strain_array_matches_scalar_and_passes_nan() -> None:
    ages = np.array([60.0, 55.0, 40.0, np.nan])
    got = pension_strain_array(ages, np.array([20.0, 2.0, 20.0, 20.0]),
                               np.array([30_000.0, 49_000.0, 30_000.0, 30_000.0]), 1.0)
    assert got[0] == pytest.approx(85_714.2857, abs=1e-3)  # 2 × the 0.5 FTE case above
    assert got[1] == pytest.approx(24_000.0)
    assert got[2] == 0.0 and np.isnan(got[3])
    # The keyword API takes arrays too (the engine passes one row a leaver).
    same = pension_strain_estimate(age_at_leaving=ages, years_membership=np.array(
        [20.0, 2.0, 20.0, 20.0]), annual_salary_fte=np.array([30_000.0, 49_000.0, 30_000.0,
        30_000.0]), fte=np.ones(4))
    np.testing.assert_array_equal(same, got)


# --------------------------------------------------------------------------- properties

ages_and_years = st.integers(15, 100).flatmap(
    lambda a: st.tuples(st.just(a), st.integers(0, a - 15))
)


@given(ages_and_years)
def test_array_agrees_with_scalar_whole_years(age_years: tuple[int, int]) -> None:
    age, years = age_years
    expected = statutory_weeks(age=age, years=years)
    assert statutory_weeks_array(np.array([age]), np.array([years]))[0] == expected


@given(st.integers(15, 100))
def test_weeks_bounded_and_monotone_in_years(age: int) -> None:
    years = np.arange(0, age - 14)
    weeks = statutory_weeks_array(np.full(years.shape, age), years)
    assert np.all(weeks >= 0) and np.all(weeks <= 30)
    assert np.all(np.diff(weeks) >= 0)
    assert [statutory_weeks(age=age, years=int(y)) for y in years] == weeks.tolist()


@st.composite
def people(draw: st.DrawFn) -> tuple[date, date, date]:
    dob = draw(st.dates(D(1940, 1, 1), D(2005, 12, 31)))
    start = dob + timedelta(days=366 * 15 + draw(st.integers(0, 15_000)))
    leaving = start + timedelta(days=draw(st.integers(0, 12_000)))
    return dob, start, leaving


@given(people())
@example((D(1980, 3, 1), D(2022, 3, 1), D(2024, 2, 28)))
@example((D(1980, 2, 29), D(2000, 2, 29), D(2023, 2, 28)))
@example((D(1984, 2, 29), D(2001, 3, 1), D(2024, 2, 29)))
@settings(max_examples=300)
def test_date_array_agrees_with_scalar(person: tuple[date, date, date]) -> None:
    dob, start, leaving = person
    expected = statutory_weeks(date_of_birth=dob, service_start=start, leaving_date=leaving)
    got = statutory_weeks_from_dates(
        np.array([dob], dtype="datetime64[D]"),
        np.array([start], dtype="datetime64[D]"),
        np.array([leaving], dtype="datetime64[D]"),
    )
    assert got[0] == expected
    assert 0 <= expected <= 30
    # An earlier start (more service, same person and leaving date) never pays less.
    earlier = max(start - timedelta(days=400), dob + timedelta(days=366 * 15))
    assert statutory_weeks(date_of_birth=dob, service_start=earlier, leaving_date=leaving) >= (
        expected
    )


def test_date_array_passes_nat() -> None:
    got = statutory_weeks_from_dates(
        np.array(["1983-05-01", "NaT"], dtype="datetime64[D]"),
        np.array(["2020-01-06", "2020-01-06"], dtype="datetime64[D]"),
        np.array(["2025-04-30", "2025-04-30"], dtype="datetime64[D]"),
    )
    assert got[0] == 5.5 and np.isnan(got[1])  # 5.5 as in the 42nd-birthday test
    assert np.isnan(statutory_weeks_array(np.array([np.nan]), np.array([5.0]))[0])


@given(
    ages_and_years,
    st.floats(0, 3_000),
    st.dates(D(2014, 4, 6), D(2030, 12, 31)),
    st.floats(0, 5),
    st.booleans(),
    st.floats(0, 200),
)
def test_amounts_array_agrees_with_scalar(
    age_years: tuple[int, int], pay: float, leaving: date, k: float, actual: bool, cap_w: float
) -> None:
    age, years = age_years
    terms = RedundancyTerms(multiplier=k, actual_pay=actual, max_weeks=cap_w)
    r = redundancy_pay(weekly_pay=pay, leaving_date=leaving, terms=terms, age=age, years=years)
    stat, extra = redundancy_amounts(
        np.array([r.statutory_weeks]), np.array([pay]), np.array([r.cap]), terms
    )
    assert stat[0] == pytest.approx(r.statutory_amount)
    assert extra[0] == pytest.approx(r.enhancement_amount, abs=1e-6)
    assert r.total_amount >= r.statutory_amount >= 0
