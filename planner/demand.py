"""Team demand in hours a month, before benefit changes (DESIGN §3 and §4).

For each team: the base hours (given as hours, or volume × minutes per item),
shaped by a 12-month seasonal profile (April to March, scaled to average 1),
grown by a yearly % compounding monthly from the horizon start, plus dated
growth positions (new statutory duties). A team with no hours given is
"just coping": its demand is its capacity in the baseline run, month by month
(or, with a seasonal profile, that capacity's first-year average shaped by the
season), so the tool is useful on an establishment alone.

Change effects (demand removed) are applied later, in :mod:`planner.benefits`,
because simulation moves the go-live dates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.scenario import ContactCentre, Scenario, TeamDemand

WEEKS_PER_MONTH = 52.143 / 12  # 4.345: weeks of work in an average month


def team_index(team_names: list[str], name: str) -> int | None:
    """Position of ``name`` in ``team_names``, matched ignoring case and surrounding spaces."""
    key = name.strip().casefold()
    for i, team in enumerate(team_names):
        if team.strip().casefold() == key:
            return i
    return None


@dataclass
class DemandBase:
    """Demand per team and month before change effects.

    Attributes:
        hours: (months, teams) demand hours before change effects, without the growth
            positions (changes remove a share of these hours, not of new duties).
        reference: (teams,) an average month's hours at the start (for scaling call
            volumes: calls this month = calls_per_interval × hours ÷ reference).
        given: (teams,) True where the scenario gives the team's demand.
        positions: (months, teams) the growth positions' hours.
        contact_centres: team position → Erlang C settings.
    """

    hours: np.ndarray
    reference: np.ndarray
    given: np.ndarray
    positions: np.ndarray
    contact_centres: dict[int, ContactCentre]

    def total(self, removed: np.ndarray | float = 0.0) -> np.ndarray:
        """Demand hours after removing the share ``removed`` (same shape or broadcastable)."""
        return np.maximum(self.hours * (1.0 - removed) + self.positions, 0.0)


def seasonal_factors(entry: TeamDemand, months: np.ndarray) -> np.ndarray:
    """The entry's seasonal factor for each month number (1 where no profile is given)."""
    if not entry.seasonal:
        return np.ones(len(months))
    profile = np.asarray(entry.seasonal, dtype=float)
    profile = profile / profile.mean()
    return profile[(months % 12 - 3) % 12]  # April is position 0


def growth_factors(growth_pct: float, T: int) -> np.ndarray:
    """Compound yearly growth applied monthly from the horizon start (1 in month 0)."""
    return (1.0 + growth_pct / 100.0) ** (np.arange(T) / 12.0)


def base_hours(entry: TeamDemand) -> float | None:
    """An average month's hours as given (hours, or volume × minutes ÷ 60), else None."""
    if entry.hours_per_month is not None:
        return float(entry.hours_per_month)
    if entry.volume_per_month is not None and entry.minutes_per_item is not None:
        return float(entry.volume_per_month) * float(entry.minutes_per_item) / 60.0
    return None


def demand_base(scenario: Scenario, team_names: list[str],
                baseline_capacity: np.ndarray) -> DemandBase:
    """Demand hours per team and month before change effects.

    Args:
        scenario: gives ``demand`` entries and the horizon.
        team_names: the run's teams (columns of the arrays).
        baseline_capacity: (months, teams) capacity hours of the baseline run (in-post
            FTE × productive hours ÷ 12), used where no demand is given.
    """
    T, k = baseline_capacity.shape
    months = scenario.horizon.start + np.arange(T)
    hours = baseline_capacity.astype(float).copy()
    first_year = baseline_capacity[: min(12, T)].mean(axis=0) if T else np.zeros(k)
    reference = first_year.copy()
    given = np.zeros(k, dtype=bool)
    positions = np.zeros((T, k))
    centres: dict[int, ContactCentre] = {}
    for entry in scenario.demand:
        j = team_index(team_names, entry.team)
        if j is None:  # check_scenario reports unknown teams before a run
            continue
        level = base_hours(entry)
        if level is not None:
            given[j] = True
            reference[j] = level
            path = np.full(T, level)
        elif entry.seasonal:
            path = np.full(T, first_year[j])
        else:
            path = baseline_capacity[:, j].astype(float)
        path = path * seasonal_factors(entry, months) * growth_factors(entry.growth_pct, T)
        for pos in entry.growth_positions:
            t = pos.month - scenario.horizon.start
            if t < T:
                positions[max(t, 0):, j] += pos.hours_per_month
        hours[:, j] = path
        if entry.contact_centre is not None:
            centres[j] = entry.contact_centre
    return DemandBase(hours=hours, reference=reference, given=given, positions=positions,
                      contact_centres=centres)
