"""Cell parsing: each expected value is worked out by hand in the test."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.quality import Severity
from planner.values import (
    CONTRACT_VOCAB,
    STATUS_VOCAB,
    missing_mask,
    parse_date,
    parse_money,
    parse_number,
    parse_text,
    parse_vocab,
)


def s(*values: object) -> pd.Series:
    return pd.Series(list(values), dtype=object)


def test_missing_tokens_are_missing() -> None:
    raw = s("n/d", "N/A", "NA", "-", "", "  ", None, float("nan"), "0", 0.0, "Vacant")
    assert missing_mask(raw).tolist() == [True] * 8 + [False] * 3


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("£32,654", 32654.0), ("32654.00", 32654.0), (32654, 32654.0), (32654.5, 32654.5),
     (" £ 1,000 ", 1000.0), ("GBP 25,000", 25000.0), ("£32.6k", 32600.0)],
)
def test_money_values(cell: object, expected: float) -> None:
    result = parse_money(s(cell))
    assert result.values.iloc[0] == pytest.approx(expected)
    assert result.problems == []


def test_money_band_becomes_midpoint_with_a_warning() -> None:
    result = parse_money(s("£40,000 - £44,999", "65000 - 69999", "£40k–£45k"))
    # (40000 + 44999) / 2 = 42499.5 ; (65000 + 69999) / 2 = 67499.5 ; (40000+45000)/2
    assert result.values.tolist() == [42499.5, 67499.5, 42500.0]
    assert [p.code for p in result.problems] == ["band_midpoint"] * 3
    assert all(p.severity is Severity.WARNING for p in result.problems)


def test_implausible_band_is_flagged() -> None:
    result = parse_money(s("10000 - 104999"))  # a real typo for 100000 - 104999
    assert result.values.iloc[0] == 57499.5
    assert "implausibly wide" in result.problems[0].message


def test_money_rubbish_is_reported_and_left_empty() -> None:
    result = parse_money(s("about thirty grand", "n/d", 1.0))
    assert np.isnan(result.values.iloc[0]) and np.isnan(result.values.iloc[1])
    assert result.values.iloc[2] == 1.0
    assert [(p.pos, p.code) for p in result.problems] == [(0, "not_money")]


def test_numbers() -> None:
    result = parse_number(s("0.5", 1, "1,037.5", "half", None))
    assert result.values.iloc[:3].tolist() == [0.5, 1.0, 1037.5]
    assert [p.pos for p in result.problems] == [3]


def test_ids_keep_leading_zeros_and_drop_float_tails() -> None:
    result = parse_text(s("000123", 405.0, " P 12 ", "NA", 12.5))
    assert result.values.tolist() == ["000123", "405", "P 12", None, "12.5"]


def test_dates_uk_day_first_serial_and_cells() -> None:
    raw = s("01/02/1980", dt.date(1975, 12, 25), 29252, "1980-02-01", "3 Mar 1990", "n/d")
    values = parse_date(raw).values
    assert values.iloc[0] == pd.Timestamp(1980, 2, 1)  # 1 February, not 2 January
    assert values.iloc[1] == pd.Timestamp(1975, 12, 25)
    # Excel serial 29252 = 1980-02-01 (days since 1899-12-30)
    assert values.iloc[2] == pd.Timestamp(1980, 2, 1)
    assert values.iloc[3] == pd.Timestamp(1980, 2, 1)
    assert values.iloc[4] == pd.Timestamp(1990, 3, 3)
    assert pd.isna(values.iloc[5])


def test_impossible_and_us_dates_are_reported() -> None:
    result = parse_date(s("31/02/1980", "12/25/1980", "yesterday"))
    assert result.values.isna().all()
    messages = [p.message for p in result.problems]
    assert "no such day" in messages[0]
    assert "month-first (US)" in messages[1]
    assert "dd/mm/yyyy" in messages[2]


def test_status_vocabulary() -> None:
    result = parse_vocab(s("Filled", "VACANT", "In Post", "maybe", None), STATUS_VOCAB,
                         "status", lambda t: "filled")
    assert result.values.tolist() == ["filled", "vacant", "filled", "filled", None]
    assert [p.pos for p in result.problems] == [3]
    assert "Unknown status 'maybe'" in result.problems[0].message


def test_contract_vocabulary() -> None:
    result = parse_vocab(s("Fixed Term Contract", "Perm", "Agency"), CONTRACT_VOCAB,
                         "contract type", lambda t: t)
    assert result.values.tolist() == ["fixed_term", "permanent", "agency"]


cells = st.one_of(
    st.none(), st.text(max_size=30), st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-10**12, max_value=10**12), st.booleans(),
    st.dates(), st.datetimes(),
)


@given(st.lists(cells, max_size=30))
def test_parsers_never_raise_and_report_positions_in_range(values: list[object]) -> None:
    raw = pd.Series(values, dtype=object)
    for parser in (parse_money, parse_number, parse_date, parse_text):
        result = parser(raw)
        assert len(result.values) == len(values)
        assert all(0 <= p.pos < len(values) for p in result.problems)
