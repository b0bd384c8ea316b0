"""How a team's demand settings read as text in the demand editor, and back.

Pure wording, no widgets: the demand table and the per-team form
(:mod:`ui.demand_editor`, :mod:`ui.demand_form`) show settings with these and
read a typed seasonal profile with :func:`parse_seasonal`.
"""

from __future__ import annotations

from typing import Any

from planner.demand import base_hours
from planner.months import MONTH_NAMES, month_label
from planner.scenario import ContactCentre, GrowthPosition, TeamDemand

JUST_COPING = "Baseline capacity (just coping)"
BASES = (JUST_COPING, "Hours a month", "Volume × minutes per item")
SEASON_MONTHS = MONTH_NAMES[3:] + MONTH_NAMES[:3]  # April to March


def describe_demand(entry: TeamDemand | None) -> str:
    """``"1,200 hours a month"``, ``"3,000 items × 12 min = 600 hours a month"`` or just coping."""
    hours = base_hours(entry) if entry is not None else None
    if entry is None or hours is None:
        return JUST_COPING
    if entry.hours_per_month is not None:
        return f"{hours:,.0f} hours a month"
    return (f"{entry.volume_per_month:,.0f} items × {entry.minutes_per_item:g} min "
            f"= {hours:,.0f} hours a month")


def seasonal_text(seasonal: tuple[float, ...]) -> str:
    """``"flat"`` or ``"Apr 1.05 … Mar 1.1"`` (the whole list is in the tooltip)."""
    if len(seasonal) != 12:
        return "flat"
    return f"Apr {seasonal[0]:g}, May {seasonal[1]:g} … Mar {seasonal[11]:g}"


def parse_seasonal(value: Any) -> tuple[float, ...]:
    """12 factors from a comma list (or a sequence); empty or "flat" for a flat year."""
    if isinstance(value, str):
        text = value.strip()
        value = [] if text.casefold() in ("", "flat") else text.replace(";", ",").split(",")
    return tuple(float(str(x).strip()) for x in value)


def centre_text(cc: ContactCentre | None) -> str:
    if cc is None:
        return ""
    return (f"{cc.calls_per_interval:g} calls a {cc.interval_minutes:g}-minute interval, "
            f"{cc.aht_seconds:g} s handling, {cc.target_pct:g} % answered in "
            f"{cc.answer_seconds:g} s, {cc.shrinkage_pct:g} % shrinkage")


def position_text(p: GrowthPosition) -> str:
    return (f"From {month_label(p.month)}: +{p.hours_per_month:,.0f} hours a month"
            + (f" — {p.label}" if p.label else ""))
