"""Pay awards and on-costs against hand calculations."""

from __future__ import annotations

import numpy as np
import pytest

from planner.months import Horizon, parse_month
from planner.oncosts import (
    annual_employer_ni,
    apprenticeship_levy,
    employer_ni,
    ni_by_month,
    pay_index,
    pension_cost,
)
from planner.scenario import Assumptions, EmployerNIBand


def test_pension_on_30000_at_19_8_percent() -> None:
    # 30,000 × 0.198 = 5,940 a year.
    assert pension_cost(np.array([30_000.0]), 19.8)[0] == pytest.approx(5_940.0)
    assert pension_cost(np.array([30_000.0]), 19.8, member=np.array([False]))[0] == 0.0


def test_employer_ni_on_30000_from_april_2025() -> None:
    # 15 % × (30,000 − 5,000) = 3,750 a year; monthly: 15 % × (2,500 − 416.67) = 312.50.
    assert annual_employer_ni(30_000, 15.0, 5_000) == pytest.approx(3_750.0)
    monthly = employer_ni(np.array([2_500.0]), 0.15, 5_000 / 12)
    assert monthly[0] * 12 == pytest.approx(3_750.0)
    # 2024/25: 13.8 % × (30,000 − 9,100) = 2,884.20.
    assert annual_employer_ni(30_000, 13.8, 9_100) == pytest.approx(2_884.20)


def test_on_costs_of_30000_together() -> None:
    # Pension 5,940 + NI 3,750 = 9,690 a year on top of 30,000 (32.3 %).
    pay = np.full(12, 2_500.0)
    total = pension_cost(pay, 19.8).sum() + employer_ni(pay, 0.15, 5_000 / 12).sum()
    assert total == pytest.approx(9_690.0)


def test_ni_is_per_person_not_on_the_total() -> None:
    # Two part-timers on 5,000 a year each pay no NI; one person on 10,000 pays 15 % × 5,000.
    two = employer_ni(np.array([5_000 / 12, 5_000 / 12]), 0.15, 5_000 / 12).sum() * 12
    one = employer_ni(np.array([10_000 / 12]), 0.15, 5_000 / 12).sum() * 12
    assert two == 0.0 and one == pytest.approx(750.0)


def test_ni_band_changes_in_april_2025() -> None:
    h = Horizon(parse_month("2025-01"), 6)  # Jan–Jun 2025
    rate, threshold = ni_by_month(h, Assumptions())
    assert list(rate) == pytest.approx([0.138] * 3 + [0.15] * 3)
    assert list(threshold * 12) == pytest.approx([9_100] * 3 + [5_000] * 3)


def test_scenario_ni_band_overrides_from_its_month() -> None:
    a = Assumptions(employer_ni=(EmployerNIBand(parse_month("2027-04"), 16.0, 6_000),))
    rate, threshold = ni_by_month(Horizon(parse_month("2027-03"), 2), a)
    assert list(rate) == pytest.approx([0.15, 0.16])
    assert list(threshold * 12) == pytest.approx([5_000, 6_000])


def test_pay_award_each_april_after_the_start() -> None:
    # Start April 2027: no award in the start month; 3 % from April 2028, 2 % more from 2029.
    a = Assumptions(pay_award_pct=3.0, pay_award_by_fy=((2029, 2.0),))
    index = pay_index(Horizon(parse_month("2027-04"), 36), a)
    assert index[0] == 1.0 and index[11] == 1.0
    assert index[12] == pytest.approx(1.03)
    assert index[24] == pytest.approx(1.03 * 1.02)
    # Starting in October, the first award is the next April (month 6).
    index = pay_index(Horizon(parse_month("2027-10"), 8), a)
    assert list(index) == pytest.approx([1.0] * 6 + [1.03] * 2)


def test_apprenticeship_levy_half_percent_above_3m() -> None:
    a = Assumptions()
    # Pay bill 5m a year: 0.5 % × (5m − 3m) = 10,000 a year.
    assert apprenticeship_levy(np.full(12, 5e6 / 12), a).sum() == pytest.approx(10_000.0)
    # Below 3m a year: nothing.
    assert apprenticeship_levy(np.array([2.9e6 / 12]), a)[0] == 0.0
