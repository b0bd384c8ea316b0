"""Pay awards and employer on-costs: NI per person, LGPS pension, apprenticeship levy.

The arithmetic is deliberately small and separate from the engine so that it
can be checked against hand calculations (e.g. £30,000 at 19.8 % pension is
£5,940 a year; employer NI on £30,000 at 15 % above £5,000 is £3,750).

Conventions (shown in every report):

* Salaries in the establishment are those in force in the start month; the
  pay award is applied from each April *after* the start month.
* Employer NI is worked out per person per month on that person's own pay:
  ``rate × max(0, monthly pay − annual threshold ÷ 12)``, with the band in
  force in that month (a tax year's rate applies from its April).
* The apprenticeship levy is 0.5 % of the monthly pay bill less one twelfth
  of the £15,000 annual allowance, i.e. 0.5 % of the pay bill above £3m a year.
"""

from __future__ import annotations

import json
from functools import lru_cache

import numpy as np

from planner.bundled import resource
from planner.months import Horizon, fy_start_year, parse_month
from planner.scenario import Assumptions, EmployerNIBand


@lru_cache(maxsize=1)
def builtin_ni_bands() -> tuple[EmployerNIBand, ...]:
    """The employer NI bands shipped in ``resources/rates/employer_ni.json``."""
    data = json.loads(resource("rates", "employer_ni.json").read_text(encoding="utf-8"))
    return tuple(
        EmployerNIBand(parse_month(b["from"]), float(b["rate_pct"]), float(b["threshold"]))
        for b in data["bands"]
    )


def ni_bands(assumptions: Assumptions) -> tuple[EmployerNIBand, ...]:
    """Built-in bands overlaid with the scenario's own (a scenario band wins from its month)."""
    bands = {b.from_month: b for b in builtin_ni_bands()}
    bands.update({b.from_month: b for b in assumptions.employer_ni})
    return tuple(sorted(bands.values(), key=lambda b: b.from_month))


def ni_by_month(horizon: Horizon, assumptions: Assumptions) -> tuple[np.ndarray, np.ndarray]:
    """Per horizon month: employer NI rate (fraction) and *monthly* threshold (£)."""
    bands = ni_bands(assumptions)
    starts = np.array([b.from_month for b in bands])
    months = np.arange(horizon.start, horizon.end)
    which = np.searchsorted(starts, months, side="right") - 1
    which = np.clip(which, 0, len(bands) - 1)  # before the table: its first band
    rate = np.array([bands[i].rate_pct / 100.0 for i in which])
    threshold = np.array([bands[i].threshold / 12.0 for i in which])
    return rate, threshold


def award_pct(assumptions: Assumptions, fy_start: int) -> float:
    """The pay award (%) applied in April of ``fy_start``."""
    return dict(assumptions.pay_award_by_fy).get(fy_start, assumptions.pay_award_pct)


def pay_index(horizon: Horizon, assumptions: Assumptions) -> np.ndarray:
    """Salary multiplier per horizon month: compounded awards from each April after the start."""
    index = np.ones(horizon.months)
    factor = 1.0
    for t, month in enumerate(horizon.numbers()):
        if t > 0 and month % 12 == 3:  # April
            factor *= 1.0 + award_pct(assumptions, fy_start_year(month)) / 100.0
        index[t] = factor
    return index


def employer_ni(monthly_pay: np.ndarray, rate: float | np.ndarray,
                monthly_threshold: float | np.ndarray) -> np.ndarray:
    """Employer NI on each person's monthly pay (arrays broadcast)."""
    return np.asarray(rate) * np.maximum(0.0, monthly_pay - monthly_threshold)


def annual_employer_ni(annual_pay: float, rate_pct: float, annual_threshold: float) -> float:
    """Employer NI for a year of steady pay (for checks and the assumptions sheet)."""
    return rate_pct / 100.0 * max(0.0, annual_pay - annual_threshold)


def pension_cost(pay: np.ndarray, rate_pct: float, member: np.ndarray | bool = True) -> np.ndarray:
    """Employer LGPS contribution on the pay of pension-scheme members."""
    return pay * (rate_pct / 100.0) * np.asarray(member, dtype=float)


def apprenticeship_levy(monthly_pay_bill: np.ndarray, assumptions: Assumptions) -> np.ndarray:
    """Levy per month on the whole organisation's pay bill (not per team)."""
    return np.maximum(
        0.0,
        monthly_pay_bill * assumptions.levy_pct / 100.0 - assumptions.levy_allowance / 12.0,
    )
