"""Redundancy and pension-strain costs (DESIGN §4, "Costs").

Statutory redundancy pay follows the Employment Rights Act 1996 s.162: at least two
complete years' continuous service; the last 20 complete years counted back from the
relevant date (here the *leaving date*, the last day of employment); half a week's
pay for each year in which the employee was under 22, one week for 22–40 and one and a
half weeks for 41 and over; a week's pay capped at the limit in force on the leaving
date (:class:`CapTable`, an editable dated table shipped as
``resources/rates/redundancy_caps.json``).

Two ways of dating the counted years:

* **Dates** (date of birth, service start, leaving date): the period of employment
  ends *with* the leaving date, so year k counted back is
  ``[leaving + 1 day − k years, leaving + 1 day − (k − 1) years)`` and is rated by
  the age held at its start, i.e. throughout it (s.162(2): "a year of employment in
  which the employee was not below the age of 41"). Someone leaving the day before
  their 42nd birthday has therefore spent a whole year aged 41. Where a shifted date
  would be 29 February in a common year, 1 March is used; a 29 February birthday is
  reached on 1 March in common years.
* **Whole years** (age and years of service, the government ready reckoner): the
  k-th year counted back is taken at ``age − k``; a 41-year-old with 2 years gets
  2 weeks, a 42-year-old 2.5.

Mixed inputs: with a date of birth and whole ``years``, the years are dated back from
the leaving date and rated by the date of birth; with an ``age`` and a service start
date, the complete years come from the dates and are rated at ``age − k``.

Council enhancement follows SI 2006/2914 (actual week's pay instead of the cap and/or
a multiplier on the statutory weeks, at most 104 weeks in all). The pension strain is
an *estimate* only, to be confirmed by the pension fund.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from planner.bundled import resource
from planner.errors import PlannerError
from planner.scenario import PensionStrainTerms, RedundancyTerms

FloatArray = npt.NDArray[np.float64]

CAPS_RESOURCE = ("rates", "redundancy_caps.json")
QUALIFYING_YEARS = 2
MAX_COUNTED_YEARS = 20
MAX_STATUTORY_WEEKS = 30.0  # 20 years × 1.5 weeks
#: Service is not accepted from before this age (a guard against mistyped dates/years).
MIN_WORKING_AGE = 15
MAX_AGE = 120

_DEFAULT_TERMS = RedundancyTerms()
_DEFAULT_STRAIN = PensionStrainTerms()


# --------------------------------------------------------------------------- cap table


@dataclass(frozen=True)
class CapTable:
    """Dated limits on a week's pay: ``caps`` is ``((from_date, weekly_cap), ...)``, sorted."""

    caps: tuple[tuple[date, float], ...]
    source: str = ""

    def __post_init__(self) -> None:
        if not self.caps:
            raise PlannerError("The redundancy pay cap table has no entries.")
        dates = [d for d, _ in self.caps]
        if any(a >= b for a, b in itertools.pairwise(dates)):
            raise PlannerError("The redundancy pay cap table needs dates in order, one row a date.")
        for when, cap in self.caps:
            if not (math.isfinite(cap) and cap > 0):
                raise PlannerError(f"The redundancy pay cap from {when} must be above £0.")

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]], source: str = "") -> CapTable:
        """Build a table from ``{"from": "YYYY-MM-DD", "weekly_cap": 719.0}`` rows (any order)."""
        rows: list[tuple[date, float]] = []
        for n, rec in enumerate(records, start=1):
            raw_date, raw_cap = rec.get("from"), rec.get("weekly_cap")
            try:
                when = raw_date if isinstance(raw_date, date) else date.fromisoformat(str(raw_date))
            except ValueError:
                raise PlannerError(
                    f"Row {n} of the redundancy pay cap table needs a 'from' date like 2025-04-06."
                ) from None
            if isinstance(raw_cap, bool) or not isinstance(raw_cap, int | float):
                raise PlannerError(
                    f"Row {n} of the redundancy pay cap table needs a weekly_cap number."
                )
            rows.append((when, float(raw_cap)))
        rows.sort()
        for (a, _), (b, _) in itertools.pairwise(rows):
            if a == b:
                raise PlannerError(f"The redundancy pay cap table has two rows from {a}.")
        return cls(tuple(rows), source)

    def entry_on(self, leaving_date: date) -> tuple[date, float]:
        """The ``(from_date, cap)`` row in force on ``leaving_date`` (the latest row after it)."""
        first = self.caps[0][0]
        if leaving_date < first:
            raise PlannerError(
                f"No redundancy pay cap is known before {first.isoformat()} "
                f"(leaving date {leaving_date.isoformat()})."
            )
        found = self.caps[0]
        for row in self.caps:
            if row[0] > leaving_date:
                break
            found = row
        return found

    def cap_on(self, leaving_date: date) -> float:
        """The limit on a week's pay in force on ``leaving_date``."""
        return self.entry_on(leaving_date)[1]

    def last_known(self) -> date:
        """The date the newest cap in the table came in; later dates use that cap."""
        return self.caps[-1][0]

    def caps_on_array(self, leaving: npt.ArrayLike) -> FloatArray:
        """Vectorised :meth:`cap_on` over datetime64 leaving dates; NaT gives NaN."""
        days = np.asarray(leaving, dtype="datetime64[D]")
        starts = np.array([d for d, _ in self.caps], dtype="datetime64[D]")
        values = np.array([c for _, c in self.caps], dtype=np.float64)
        nat = np.isnat(days)
        if np.any(days[~nat] < starts[0]):
            raise PlannerError(
                f"No redundancy pay cap is known before {self.caps[0][0].isoformat()}."
            )
        idx = np.searchsorted(starts, np.where(nat, starts[0], days), side="right") - 1
        return np.where(nat, np.nan, values[idx])

    def to_records(self) -> list[dict[str, Any]]:
        return [{"from": d.isoformat(), "weekly_cap": c} for d, c in self.caps]


@cache
def load_cap_table() -> CapTable:
    """The built-in cap table (read once from the ``resources`` package)."""
    node = resource(*CAPS_RESOURCE)
    try:
        data = json.loads(node.read_text(encoding="utf-8"))
        records = data["caps"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PlannerError(f"The built-in redundancy pay cap table cannot be read: {exc}.") from exc
    return CapTable.from_records(records, str(data.get("source", "")))


# ----------------------------------------------------------------- statutory weeks


def _rate(age: int) -> float:
    """Weeks' pay for one year of employment spent (throughout) at ``age``."""
    return 1.5 if age >= 41 else 1.0 if age >= 22 else 0.5


def _shift_years(day: date, years: int) -> date:
    """``day`` moved back ``years`` years; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return date(day.year - years, 3, 1)


def _age_on(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def _complete_years(start: date, end_exclusive: date) -> int:
    """Complete years from ``start`` up to (not including) ``end_exclusive``."""
    n = end_exclusive.year - start.year
    return n - 1 if _shift_years(end_exclusive, n) < start else n


def _whole(value: float | None, what: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not math.isfinite(value) or value != int(value):
        raise PlannerError(f"The {what} must be a whole number of years, not {value}.")
    if value < 0:
        raise PlannerError(f"The {what} cannot be negative ({value}).")
    return int(value)


def statutory_weeks(
    *,
    age: int | None = None,
    years: int | None = None,
    date_of_birth: date | None = None,
    service_start: date | None = None,
    leaving_date: date | None = None,
) -> float:
    """Statutory redundancy weeks (ERA 1996 s.162), 0 to 30.

    Args:
        age: Age in completed years at the leaving date (ready-reckoner convention).
        years: Complete years of continuous service at the leaving date.
        date_of_birth: Alternative to ``age``; needs ``leaving_date``.
        service_start: Alternative to ``years`` (start of continuous employment);
            needs ``leaving_date``.
        leaving_date: The relevant date, the last day of employment.

    Raises:
        PlannerError: inputs missing, contradictory or impossible.
    """
    ages = _counted_ages(age, years, date_of_birth, service_start, leaving_date)
    return float(sum(_rate(a) for a in ages))


def _counted_ages(
    age: int | None,
    years: int | None,
    dob: date | None,
    start: date | None,
    leaving: date | None,
) -> list[int]:
    """The age held throughout each counted year (most recent first); empty if < 2 years."""
    if (age is None) == (dob is None):
        raise PlannerError("Give either an age or a date of birth (one of them, not both).")
    if (years is None) == (start is None):
        raise PlannerError("Give either years of service or a service start date (one, not both).")
    age, years = _whole(age, "age"), _whole(years, "years of service")
    if (dob is not None or start is not None) and leaving is None:
        raise PlannerError("A leaving date is needed with a date of birth or service start date.")
    end = leaving + timedelta(days=1) if leaving is not None else None
    if dob is not None and end is not None:
        if dob >= end:
            raise PlannerError(f"The date of birth {dob} is after the leaving date {leaving}.")
        age_at_end = _age_on(dob, end)
    else:
        assert age is not None
        age_at_end = age
    if age_at_end > MAX_AGE:
        raise PlannerError(f"An age of {age_at_end} at the leaving date is not plausible.")
    if start is not None and end is not None:
        if start >= end:
            raise PlannerError(
                f"The service start date {start} is after the leaving date {leaving}."
            )
        if dob is not None and start < _shift_years(dob, -MIN_WORKING_AGE):
            raise PlannerError(
                f"The service start date {start} is before the age of {MIN_WORKING_AGE}."
            )
        years = _complete_years(start, end)
    assert years is not None
    if years > max(0, age_at_end - MIN_WORKING_AGE):
        raise PlannerError(
            f"{years} years of service is more than is possible since the age of "
            f"{MIN_WORKING_AGE} for someone aged {age_at_end}."
        )
    if years < QUALIFYING_YEARS:
        return []
    counted = range(1, min(years, MAX_COUNTED_YEARS) + 1)
    if dob is not None and end is not None:
        return [_age_on(dob, _shift_years(end, k)) for k in counted]
    return [age_at_end - k for k in counted]


# -------------------------------------------------------------- statutory pay and result


@dataclass(frozen=True)
class RedundancyResult:
    """One person's redundancy cost. Amounts in £; ``enhancement_amount`` is on top."""

    statutory_weeks: float
    enhanced_weeks: float
    weekly_pay: float  # actual gross week's pay
    statutory_week_pay: float  # min(weekly_pay, cap)
    enhanced_week_pay: float  # the week's pay the enhancement is worked on
    cap: float
    cap_date: date  # the date the cap came in
    statutory_amount: float
    enhancement_amount: float
    total_amount: float

    def to_dict(self) -> dict[str, Any]:
        money = (
            "weekly_pay", "statutory_week_pay", "enhanced_week_pay", "cap",
            "statutory_amount", "enhancement_amount", "total_amount",
        )
        out: dict[str, Any] = {
            "statutory_weeks": self.statutory_weeks,
            "enhanced_weeks": self.enhanced_weeks,
            "cap_date": self.cap_date.isoformat(),
        }
        out.update({name: round(getattr(self, name), 2) for name in money})
        return out


def _check_terms(terms: RedundancyTerms) -> None:
    if not (math.isfinite(terms.multiplier) and terms.multiplier >= 0):
        raise PlannerError(f"The redundancy multiplier must be 0 or more, not {terms.multiplier}.")
    if not (math.isfinite(terms.max_weeks) and terms.max_weeks >= 0):
        raise PlannerError(f"The redundancy week limit must be 0 or more, not {terms.max_weeks}.")


def redundancy_pay(
    *,
    weekly_pay: float,
    leaving_date: date,
    terms: RedundancyTerms = _DEFAULT_TERMS,
    caps: CapTable | None = None,
    age: int | None = None,
    years: int | None = None,
    date_of_birth: date | None = None,
    service_start: date | None = None,
) -> RedundancyResult:
    """Statutory redundancy pay and the council's enhancement (SI 2006/2914).

    ``total = max(statutory, min(weeks × multiplier, max_weeks) × basis)`` where
    ``basis`` is the actual week's pay if ``terms.actual_pay`` else the capped pay.
    The age and service arguments are as for :func:`statutory_weeks`.
    """
    if not (math.isfinite(weekly_pay) and weekly_pay >= 0):
        raise PlannerError(f"The week's pay must be £0 or more, not {weekly_pay}.")
    _check_terms(terms)
    table = caps if caps is not None else load_cap_table()
    cap_date, cap = table.entry_on(leaving_date)
    weeks = statutory_weeks(
        age=age, years=years, date_of_birth=date_of_birth,
        service_start=service_start, leaving_date=leaving_date,
    )
    capped = min(weekly_pay, cap)
    statutory = weeks * capped
    enhanced_weeks = min(weeks * terms.multiplier, terms.max_weeks)
    basis = weekly_pay if terms.actual_pay else capped
    enhanced = enhanced_weeks * basis
    if enhanced < statutory:  # the statutory payment is the floor
        enhanced_weeks, basis, enhanced = weeks, capped, statutory
    return RedundancyResult(
        statutory_weeks=weeks, enhanced_weeks=enhanced_weeks, weekly_pay=float(weekly_pay),
        statutory_week_pay=capped, enhanced_week_pay=basis, cap=cap, cap_date=cap_date,
        statutory_amount=statutory, enhancement_amount=enhanced - statutory,
        total_amount=enhanced,
    )


# ------------------------------------------------------------------- vectorised forms


def statutory_weeks_array(
    age_at_leaving: npt.ArrayLike, years_at_leaving: npt.ArrayLike
) -> FloatArray:
    """Whole-years (ready reckoner) statutory weeks for many people; NaN in, NaN out.

    Ages and years are floored to completed years. With n = min(years, 20) counted
    years at ages age − 1 … age − n, the count at 22+ is clip(age − 22, 0, n) and at
    41+ is clip(age − 41, 0, n), so weeks = 0.5·n + 0.5·(count 22+) + 0.5·(count 41+).
    Inputs are not validated (the scalar :func:`statutory_weeks` does that).
    """
    age = np.floor(np.asarray(age_at_leaving, dtype=np.float64))
    yrs = np.floor(np.asarray(years_at_leaving, dtype=np.float64))
    n = np.clip(yrs, 0, MAX_COUNTED_YEARS)
    weeks = 0.5 * (n + np.clip(age - 22, 0, n) + np.clip(age - 41, 0, n))
    weeks = np.where(yrs >= QUALIFYING_YEARS, weeks, 0.0)
    return np.where(np.isnan(age) | np.isnan(yrs), np.nan, weeks)


def _ymd(days: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """(year, month-day key such as 229 for 29 February) of datetime64[D] values."""
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month_start = days.astype("datetime64[M]")
    month = month_start.astype(np.int64) % 12 + 1
    day = (days - month_start).astype(np.int64) + 1
    return year, month * 100 + day


def _shifted_md(md: npt.NDArray[np.int64], year: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Month-day key of a date moved to ``year`` (29 Feb → 1 Mar in a common year)."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return np.where((md == 229) & ~leap, 301, md)


def statutory_weeks_from_dates(
    dob: npt.ArrayLike, start: npt.ArrayLike, leaving: npt.ArrayLike
) -> FloatArray:
    """Date-convention statutory weeks for many people (datetime64 arrays); NaT → NaN.

    Same rules as :func:`statutory_weeks` with dates, looping over the 20 possible
    counted years rather than over people. Inputs are not validated.
    """
    b, s, lv = (np.asarray(x, dtype="datetime64[D]") for x in (dob, start, leaving))
    b, s, lv = np.broadcast_arrays(b, s, lv)
    missing = np.isnat(b) | np.isnat(s) | np.isnat(lv)
    filler = np.datetime64("2000-01-01", "D")
    b, s = np.where(missing, filler, b), np.where(missing, filler, s)
    end = np.where(missing, filler, lv) + np.timedelta64(1, "D")
    by, bmd = _ymd(b)
    sy, smd = _ymd(s)
    ey, emd = _ymd(end)
    n = ey - sy - (_shifted_md(emd, sy) < smd)
    weeks = np.zeros(n.shape, dtype=np.float64)
    for k in range(1, MAX_COUNTED_YEARS + 1):
        year = ey - k
        age = year - by - (_shifted_md(emd, year) < bmd)
        rate = 0.5 + 0.5 * (age >= 22) + 0.5 * (age >= 41)
        weeks += np.where(n >= k, rate, 0.0)
    weeks = np.where(n >= QUALIFYING_YEARS, weeks, 0.0)
    return np.where(missing, np.nan, weeks)


def redundancy_amounts(
    weeks: npt.ArrayLike,
    weekly_pay: npt.ArrayLike,
    caps_at_leaving: npt.ArrayLike,
    terms: RedundancyTerms = _DEFAULT_TERMS,
) -> tuple[FloatArray, FloatArray]:
    """Vectorised ``(statutory amount, enhancement on top)``, as in :func:`redundancy_pay`."""
    _check_terms(terms)
    w = np.asarray(weeks, dtype=np.float64)
    pay = np.asarray(weekly_pay, dtype=np.float64)
    capped = np.minimum(pay, np.asarray(caps_at_leaving, dtype=np.float64))
    statutory = w * capped
    basis = pay if terms.actual_pay else capped
    total = np.maximum(statutory, np.minimum(w * terms.multiplier, terms.max_weeks) * basis)
    return statutory, total - statutory


# --------------------------------------------------------------------- pension strain


def pension_strain_array(
    age_at_leaving: npt.ArrayLike,
    years_membership: npt.ArrayLike,
    annual_salary_fte: npt.ArrayLike,
    fte: npt.ArrayLike,
    terms: PensionStrainTerms = _DEFAULT_STRAIN,
) -> FloatArray:
    """Vectorised :func:`pension_strain_estimate`; NaN in any input gives NaN."""
    if terms.method not in ("formula", "salary_pct"):
        raise PlannerError(f"Unknown pension strain method {terms.method!r}.")
    age = np.asarray(age_at_leaving, dtype=np.float64)
    yrs = np.asarray(years_membership, dtype=np.float64)
    pay = np.asarray(annual_salary_fte, dtype=np.float64) * np.asarray(fte, dtype=np.float64)
    if terms.method == "formula":
        pension = pay * yrs / terms.accrual_denominator
        reduction_pct = np.minimum(
            100.0, terms.reduction_pct_per_year * np.maximum(0.0, terms.normal_pension_age - age)
        )
        strain = pension * reduction_pct / 100.0 * terms.capitalisation_factor
    else:
        strain = pay * terms.salary_pct / 100.0
    eligible = (age >= terms.min_age) & (yrs >= terms.min_years)
    strain = np.where(eligible, strain, 0.0)
    return np.where(np.isnan(age) | np.isnan(yrs) | np.isnan(pay), np.nan, strain)


@overload
def pension_strain_estimate(
    *,
    age_at_leaving: float,
    years_membership: float,
    annual_salary_fte: float,
    fte: float,
    terms: PensionStrainTerms = ...,
) -> float: ...


@overload
def pension_strain_estimate(
    *,
    age_at_leaving: npt.NDArray[Any],
    years_membership: npt.ArrayLike,
    annual_salary_fte: npt.ArrayLike,
    fte: npt.ArrayLike,
    terms: PensionStrainTerms = ...,
) -> FloatArray: ...


def pension_strain_estimate(
    *,
    age_at_leaving: float | npt.NDArray[Any],
    years_membership: npt.ArrayLike,
    annual_salary_fte: npt.ArrayLike,
    fte: npt.ArrayLike,
    terms: PensionStrainTerms = _DEFAULT_STRAIN,
) -> float | FloatArray:
    """An ESTIMATE of the pension strain cost, to be confirmed by the pension fund.

    Nothing for leavers under ``terms.min_age`` or with under ``terms.min_years`` of
    membership. ``"formula"``: annual pension (salary × FTE × years ÷
    ``accrual_denominator``) × early-retirement reduction (``reduction_pct_per_year`` ×
    years short of ``normal_pension_age``, at most 100 %) × ``capitalisation_factor``.
    ``"salary_pct"``: ``salary_pct`` % of salary × FTE. The fund's actuarial factors
    (and any pre-2014 protections) will give a different figure.

    With scalar inputs the values are checked and a float is returned; with arrays
    this is :func:`pension_strain_array` (unchecked, NaN in gives NaN out).
    """
    values = (age_at_leaving, years_membership, annual_salary_fte, fte)
    if any(np.ndim(v) for v in values):
        return pension_strain_array(*values, terms=terms)
    names = ("age at leaving", "years of membership", "annual salary", "FTE")
    for name, value in zip(names, values, strict=True):
        number = float(value)  # type: ignore[arg-type]  # a 0-d value here
        if not (math.isfinite(number) and number >= 0):
            raise PlannerError(f"The {name} for a pension strain estimate must be 0 or more.")
    return float(pension_strain_array(*values, terms=terms))
