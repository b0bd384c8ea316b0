"""When each benefit change takes effect, for the changes timeline and the scenario editor.

:func:`change_bars` turns a scenario's changes into month positions on its
horizon (go-live, the months of the ramp, first month at full effect, the
slippage range) with the share of full effect reached in each month, taken
from :class:`planner.benefits.ChangeEffects` so the timeline draws exactly what
the engine computes. :func:`ramp_steps` lists the rectangles to draw.

:func:`edit_problems` checks an edited scenario with the same rules as a
scenario file (:func:`planner.scenario_io.scenario_from_dict`) and returns the
problems the edit brings in as short sentences, so the editor refuses a bad
edit in the file's own words.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.benefits import ChangeEffects
from planner.scenario import Scenario
from planner.scenario_io import ScenarioError, scenario_from_dict, scenario_to_dict

#: Plain words for the JSON keys named in validation messages.
FIELD_WORDS = {
    "name": "Name", "teams": "Teams", "team": "Team", "driver": "Driver",
    "go_live": "Go-live", "ramp_months": "Ramp", "realisation_pct": "Realisation",
    "demand_removed_pct": "Demand removed", "productivity_gain_pct": "Productivity gain",
    "slippage": "Slippage", "hours_per_month": "Hours a month",
    "volume_per_month": "Volume a month", "minutes_per_item": "Minutes per item",
    "seasonal": "Seasonal profile", "growth_pct": "Growth", "growth_positions": "Growth positions",
    "contact_centre": "Contact centre", "calls_per_interval": "Calls per interval",
    "interval_minutes": "Interval", "aht_seconds": "Average handling time",
    "answer_seconds": "Answer within", "target_pct": "Service-level target",
    "shrinkage_pct": "Shrinkage", "efficiency": "Efficiency", "weights": "Weights",
    "from_month": "From month", "skills": "Skills", "month": "Month",
}


def driver_words(driver: str) -> str:
    """``"channel_shift"`` → ``"Channel shift"``."""
    return driver.replace("_", " ").capitalize()


@dataclass(frozen=True)
class ChangeBar:
    """One change on the horizon; months are positions (0 = the horizon start).

    Attributes:
        row: position of the change in ``scenario.changes``.
        go_live: month position of the planned go-live (may lie outside the horizon).
        full_effect: first month position at full effect (go-live + ramp − 1).
        slip_min, slip_mode, slip_max: go-live month positions if the change slips by the
            least, the most likely and the most months.
        fractions: share of the full effect reached in each horizon month (0 to 1).
    """

    row: int
    name: str
    driver: str
    go_live: int
    full_effect: int
    ramp_months: int
    realisation_pct: float
    demand_removed_pct: float
    productivity_gain_pct: float
    slip_min: float
    slip_mode: float
    slip_max: float
    fractions: tuple[float, ...]

    @property
    def has_slippage(self) -> bool:
        return self.slip_max > self.slip_min

    def label(self) -> str:
        """``"Name — 86 % realised, 20 % of demand removed"``."""
        effects = []
        if self.demand_removed_pct:
            effects.append(f"{self.demand_removed_pct:g} % of demand removed")
        if self.productivity_gain_pct:
            effects.append(f"{self.productivity_gain_pct:g} % productivity gain")
        return (f"{self.name} — {self.realisation_pct:g} % realised"
                + (", " + " and ".join(effects) if effects else ""))


def change_bars(scenario: Scenario) -> list[ChangeBar]:
    """Each change of ``scenario`` placed on its horizon, in scenario order."""
    changes = scenario.changes
    if not changes:
        return []
    effects = ChangeEffects.build(changes, scenario.horizon.start, [])
    months = scenario.horizon.months
    progress = effects.progress(np.arange(months))  # (months, changes)
    full = effects.full_effect()
    bars = []
    for i, ch in enumerate(changes):
        go = int(effects.go_live[i])
        bars.append(ChangeBar(
            row=i, name=ch.name, driver=ch.driver, go_live=go, full_effect=int(full[i]),
            ramp_months=int(effects.ramp[i]), realisation_pct=ch.realisation_pct,
            demand_removed_pct=ch.demand_removed_pct,
            productivity_gain_pct=ch.productivity_gain_pct,
            slip_min=go + float(effects.slip_min[i]), slip_mode=go + float(effects.slip_mode[i]),
            slip_max=go + float(effects.slip_max[i]),
            fractions=tuple(float(x) for x in progress[:, i])))
    return bars


@dataclass(frozen=True)
class Step:
    """A stretch of one change to draw: months ``start`` to ``end`` (exclusive) at
    ``fraction`` of the full effect."""

    row: int
    start: int
    end: int
    fraction: float


def ramp_steps(bars: list[ChangeBar]) -> tuple[list[Step], list[Step]]:
    """(each month still ramping up, the stretch at full effect) of every change, inside
    the horizon: a change at full effect from month 17 of 60 gives ``Step(row, 17, 60, 1.0)``."""
    ramping: list[Step] = []
    full: list[Step] = []
    for bar in bars:
        for t, f in enumerate(bar.fractions):
            if 0.0 < f < 1.0:
                ramping.append(Step(bar.row, t, t + 1, f))
        first_full = next((t for t, f in enumerate(bar.fractions) if f >= 1.0), None)
        if first_full is not None:
            full.append(Step(bar.row, first_full, len(bar.fractions), 1.0))
    return ramping, full


def edit_problems(before: Scenario | None, after: Scenario) -> list[str]:
    """Problems the scenario-file rules find in ``after`` that ``before`` did not have.

    Checking the whole scenario (not just the edited item) catches problems an edit
    causes elsewhere, such as a change name now given twice. Each problem is a
    sentence starting with the field in plain words ("Slippage: min_months (5) is …").
    """
    old = set(_problems(before)) if before is not None else set()
    return [_sentence(path, message) for path, message in _problems(after)
            if (path, message) not in old]


def _problems(scenario: Scenario) -> list[tuple[str, str]]:
    try:
        scenario_from_dict(scenario_to_dict(scenario))
    except ScenarioError as error:
        return error.problems
    return []


def _sentence(path: str, message: str) -> str:
    """``"changes[0].slippage"`` + message → ``"Slippage: message"`` (the field named after
    the item; a problem with the whole item is just the message)."""
    parts = [k for k in path.replace("[", ".[").split(".") if k]
    first_index = next((i for i, k in enumerate(parts) if k.startswith("[")), -1)
    keys = [k for k in parts[first_index + 1:] if not k.startswith("[")]
    words = FIELD_WORDS.get(keys[-1], keys[-1]) if keys else ""
    return f"{words}: {message}" if words else message[:1].upper() + message[1:]
