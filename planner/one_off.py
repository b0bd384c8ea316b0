"""One-off costs of a scenario: redundancy, pension strain, pay protection, retraining, cover.

Redundancy is costed per person whose post is deleted and who is not
redeployed, in the deletion month (their leaving date is the last day of the
month before, so a post deleted "from April 2027" pays under the March cap),
and weighted by the expected share of the original post-holder still in
post by then (the engine's ``original_share``):
people who leave naturally before their post goes cost nothing. Posts
planned for deletion are not recruited to, so nobody else is displaced.

Ages and service: a date of birth and a service start date give exact
figures (each counted year at the age held throughout it); an age or years
of service in whole years are rolled forward a year for every 12 months to
the deletion. When neither is known the establishment's median is used and
the row is marked ``estimated``; the results carry a warning.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.engine import Run
from planner.engine_inputs import Prepared
from planner.months import first_day, format_month
from planner.oncosts import ni_by_month, pay_index
from planner.redeployment import (
    RedeploymentResult,
    protection_factor,
    retraining_productivity,
)
from planner.redundancy import (
    CapTable,
    load_cap_table,
    pension_strain_estimate,
    redundancy_amounts,
    statutory_weeks_array,
    statutory_weeks_from_dates,
)
from planner.scenario import Scenario

ONE_OFF_LINES: tuple[str, ...] = (
    "redundancy", "pension_strain", "pay_protection", "retraining", "temporary_cover",
)
DEFAULT_AGE, DEFAULT_YEARS = 45.0, 8.0
WEEKS_PER_YEAR = 52.0  # a week's pay is annual pay ÷ 52


@dataclass
class OneOffCosts:
    lines: dict[str, np.ndarray]  # (months, teams) £
    leavers: pd.DataFrame  # one row per compulsory redundancy
    warnings: list[str]
    #: (months, teams) FTE-equivalent lost while redeployed staff retrain in their new team
    #: (FTE moved × (1 − retraining productivity)); capacity uses it, costs do not.
    retraining_fte_lost: np.ndarray | None = None

    @property
    def total(self) -> np.ndarray:
        return sum((self.lines[k] for k in ONE_OFF_LINES),
                   np.zeros_like(self.lines["redundancy"]))


def complete_years(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Whole years from ``start`` to ``end`` (datetime64 arrays), as on a birthday; NaT → NaN.

    Someone born on 31 March 1972 is 55 on 31 March 2027, not 54 as dividing the
    days by 365.25 would say.
    """
    s, e = pd.DatetimeIndex(start), pd.DatetimeIndex(end)
    years = np.asarray(e.year - s.year, dtype=float)
    before = np.asarray((e.month < s.month) | ((e.month == s.month) & (e.day < s.day)))
    years = years - before
    return np.where(np.asarray(s.isna()) | np.asarray(e.isna()), np.nan, years)


def _plausible(age: np.ndarray, years: np.ndarray) -> np.ndarray:
    """Ages 16–100 and service from age 15 onwards; anything else is treated as unknown."""
    with np.errstate(invalid="ignore"):
        return (age >= 16) & (age <= 100) & (years >= 0) & (years <= age - 15)


def redundancies(run: Run, scenario: Scenario, matched: set[int],
                 caps: CapTable | None = None) -> tuple[pd.DataFrame, list[str]]:
    """The people made redundant: deleted filled posts whose holder was not redeployed."""
    prep = run.prep
    caps = caps or load_cap_table()
    people = np.flatnonzero((run.deleted_at >= 0) & (prep.occ0 > 0))
    people = people[~np.isin(people, list(matched))]
    posts = prep.wf.posts.iloc[people]
    t = run.deleted_at[people]
    months = prep.horizon.start + t
    # People leave on the last day before the month their post is deleted from.
    leaving = (pd.to_datetime([first_day(int(m)) for m in months])
               - pd.Timedelta(days=1)).to_numpy()
    index = pay_index(prep.horizon, scenario.assumptions)[t]
    salary = prep.salary[people] * index
    fte = run.deleted_fte[people]  # after any FTE reduction
    weekly = salary * fte / WEEKS_PER_YEAR

    dob = prep.wf.dob[people]
    start = pd.to_datetime(posts["service_start_date"], errors="coerce").to_numpy(
        dtype="datetime64[ns]")
    age_from = complete_years(dob, leaving)
    years_from = complete_years(start, leaving)
    # Ages and service given as numbers may hold months (a project whose personal data was
    # removed keeps them to the month), so they are rolled forward by months, then floored.
    age_given = pd.to_numeric(posts["age"], errors="coerce").to_numpy(dtype=float) + t / 12
    yrs_given = (pd.to_numeric(posts["years_service"], errors="coerce").to_numpy(dtype=float)
                 + t / 12)
    age = np.floor(np.where(np.isnan(age_from), age_given, age_from))
    years = np.floor(np.where(np.isnan(years_from), yrs_given, years_from))
    known = _plausible(age, years)
    implausible = int((~known & ~np.isnan(age) & ~np.isnan(years)).sum())
    age_default, yrs_default = _typical_age_and_service(prep, scenario)
    estimated = ~known
    age = np.where(known, age, np.floor(age_default + t / 12))
    years = np.where(known, years, np.floor(yrs_default + t / 12))
    years = np.minimum(years, np.maximum(age - 16, 0))
    age_from = np.where(known, age_from, np.nan)
    years_from = np.where(known, years_from, np.nan)

    exact = ~np.isnan(age_from) & ~np.isnan(years_from)
    weeks = statutory_weeks_array(age, years)
    if exact.any():
        weeks[exact] = statutory_weeks_from_dates(dob[exact], start[exact], leaving[exact])
    cap = caps.caps_on_array(leaving)
    terms = scenario.assumptions.redundancy
    statutory, enhancement = redundancy_amounts(weeks, weekly, cap, terms)
    member = prep.pension_member[people]
    strain = np.where(member, pension_strain_estimate(
        age_at_leaving=age, years_membership=years, annual_salary_fte=salary, fte=fte,
        terms=scenario.assumptions.pension_strain), 0.0)
    share = run.original_share[people]
    frame = pd.DataFrame({
        "post_id": posts["post_id"].to_numpy(),
        "post_title": posts["post_title"].to_numpy(),
        "team": posts["team"].to_numpy(),
        "directorate": posts["directorate"].to_numpy(),
        "grade": posts["grade"].to_numpy(),
        "employee_name": posts["employee_name"].to_numpy(),
        "month": [format_month(int(m)) for m in months],
        "fte": fte,
        "annual_salary": salary,
        "weekly_pay": weekly,
        "age_at_leaving": age,
        "years_service": years,
        "estimated": estimated,
        "statutory_weeks": weeks,
        "statutory_pay": statutory,
        "enhancement": enhancement,
        "pension_strain_estimate": strain,
        "chance_still_in_post": share,
        "expected_cost": (statutory + enhancement + strain) * share,
        "_pos": people,
        "_t": t,
    })
    warnings = []
    if estimated.any():
        warnings.append(
            f"{int(estimated.sum()):,} people facing redundancy have no usable age or "
            f"length of service; their costs use the establishment's median age "
            f"({age_default:.0f}) and service ({yrs_default:.0f} years) and are estimates.")
    if implausible:
        warnings.append(
            f"{implausible:,} people facing redundancy have an age or length of service that "
            "cannot be right (under 16, over 100, or service from before age 15); "
            "their figures were treated as unknown.")
    if (strain > 0).any():
        warnings.append("Pension strain figures are estimates to be confirmed by the "
                        "pension fund.")
    return frame, warnings


def _typical_age_and_service(prep: Prepared, scenario: Scenario) -> tuple[float, float]:
    """Median age and service at the start, from dates where given, else whole years."""
    start = np.datetime64(first_day(scenario.horizon.start), "ns")
    wf = prep.wf
    at = np.full(wf.n, start)
    age = complete_years(wf.dob, at)
    age = np.where(np.isnan(age), np.floor(wf.age), age)
    svc_start = pd.to_datetime(wf.posts["service_start_date"], errors="coerce").to_numpy(
        dtype="datetime64[ns]")
    years = complete_years(svc_start, at)
    given = pd.to_numeric(wf.posts["years_service"], errors="coerce").to_numpy(dtype=float)
    years = np.where(np.isnan(years), np.floor(given), years)
    ok = _plausible(age, years)
    age_ok, years_ok = age[ok & ~np.isnan(age)], years[ok & ~np.isnan(years)]
    return (float(np.median(age_ok)) if age_ok.size else DEFAULT_AGE,
            float(np.median(years_ok)) if years_ok.size else DEFAULT_YEARS)


def one_off_costs(run: Run, scenario: Scenario, match: RedeploymentResult | None) -> OneOffCosts:
    """Every one-off cost line by team and month."""
    prep = run.prep
    T, n_teams = prep.horizon.months, len(prep.team_names)
    lines = {k: np.zeros((T, n_teams)) for k in ONE_OFF_LINES}
    matches = match.matches if match is not None else pd.DataFrame()
    matched = set(matches["person"].tolist()) if len(matches) else set()
    leavers, warnings = redundancies(run, scenario, matched)
    codes = prep.team_code[leavers["_pos"].to_numpy()]
    t = leavers["_t"].to_numpy()
    share = leavers["chance_still_in_post"].to_numpy()
    red = (leavers["statutory_pay"] + leavers["enhancement"]).to_numpy() * share
    np.add.at(lines["redundancy"], (t, codes), red)
    np.add.at(lines["pension_strain"], (t, codes),
              leavers["pension_strain_estimate"].to_numpy() * share)
    lines["temporary_cover"] += prep.cover_cost
    lost = np.zeros((T, n_teams))
    if len(matches):
        moves = _Moves.of(run, matches)
        _redeployment_costs(run, scenario, matches, moves, lines)
        lost = _retraining_loss(run, scenario, matches, moves)
    return OneOffCosts(lines, leavers, warnings, lost)


@dataclass
class _Moves:
    """Per redeployment match: move month, the share of the person who moved, new team."""

    month: np.ndarray
    share: np.ndarray
    team: np.ndarray
    months_since: np.ndarray  # (months, matches): horizon month minus move month

    @classmethod
    def of(cls, run: Run, matches: pd.DataFrame) -> _Moves:
        person = matches["person"].to_numpy()
        move_t = run.deleted_at[person]
        return cls(
            month=move_t,
            share=np.array([run.moved_share.get(int(p), 0.0) for p in person]),
            team=run.prep.team_code[matches["slot"].to_numpy()],
            months_since=np.arange(run.prep.horizon.months)[:, None] - move_t[None, :],
        )

    def add_to(self, out: np.ndarray, values: np.ndarray) -> None:
        """Add (months, matches) values into (months, teams) on each match's new team."""
        np.add.at(out, (np.arange(out.shape[0])[:, None], self.team[None, :]), values)


def _retraining_loss(run: Run, scenario: Scenario, matches: pd.DataFrame,
                     moves: _Moves) -> np.ndarray:
    fte = moves.share * matches["fte"].to_numpy()
    loss = fte[None, :] * (1.0 - retraining_productivity(moves.months_since,
                                                         scenario.redeployment))
    out = np.zeros((run.prep.horizon.months, len(run.prep.team_names)))
    moves.add_to(out, loss)
    return out


def _redeployment_costs(run: Run, scenario: Scenario, matches: pd.DataFrame,
                        moves: _Moves, lines: dict[str, np.ndarray]) -> None:
    """Pay protection month by month, and retraining at the move, on the new team."""
    prep = run.prep
    policy, a = scenario.redeployment, scenario.assumptions
    index = pay_index(prep.horizon, a)
    ni_rate, _ = ni_by_month(prep.horizon, a)
    base = (matches["salary_drop"].to_numpy() * matches["fte"].to_numpy() / 12.0) * moves.share
    months = moves.months_since
    factor = protection_factor(months, policy) * (months >= 0)
    oncost = 1.0 + a.pension_rate_pct / 100.0 + ni_rate[:, None]
    moves.add_to(lines["pay_protection"], base[None, :] * factor * index[:, None] * oncost)
    if policy.retraining_cost_per_person:
        np.add.at(lines["retraining"], (moves.month, moves.team),
                  policy.retraining_cost_per_person * moves.share)
