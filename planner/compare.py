"""Scenarios side by side, and the people tables behind a scenario's one-off costs.

:func:`compare_kpis` lays the headline figures of two to five scenarios out as
one row per KPI and one column per scenario (display text, in the wording of
the command line's tables), with the raw numbers and the best scenario of each
row alongside so a view can sort, mark and copy them without arithmetic.
:func:`overlay_frames` puts the monthly lines of scenarios with different
horizons on one month axis. :func:`redeployment_table` and
:func:`redundancy_table` are the redeployment matches and the compulsory
redundancies one row per person, with no names unless asked (personal data).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planner.capacity import RED
from planner.months import parse_month
from planner.redeployment import pay_protection_monthly, protection_factor
from planner.report_text import money
from planner.results_text import month_text, percent, signed_money

if TYPE_CHECKING:
    from planner.montecarlo import Simulation
    from planner.results import Results

COMPUTING = "…"
NO_SIMULATION = "—, run a simulation"
#: Raw values this close count as equal when picking the best scenario of a row.
TIE_TOLERANCE = 0.005
#: Frame columns that are not scenarios.
LABEL, UNIT, BETTER, RAW, BEST = "kpi", "unit", "better", "raw", "best"


@dataclass(frozen=True)
class Kpi:
    """One row of the comparison: key, plain-English label with units, and which way is best."""

    key: str
    label: str
    unit: str
    better: str  # "higher", "lower" or "" (no best: a matter of policy)


KPIS: tuple[Kpi, ...] = (
    Kpi("end_fte_in_post", "FTE in post at the end (FTE)", "FTE", ""),
    Kpi("fte_change_vs_baseline", "FTE change against the baseline (FTE)", "FTE", ""),
    Kpi("full_year_saving", "Full-year saving to the core budget (£ a year)", "£", "higher"),
    # one "fy:YYYY/YY" row per financial year goes here (see _fy_kpis)
    Kpi("total_saving", "Saving over the horizon (£)", "£", "higher"),
    Kpi("one_off_costs", "One-off costs (£)", "£", "lower"),
    Kpi("net_position", "Net position at the end of the horizon (£)", "£", "higher"),
    Kpi("payback_month", "Payback month (one-off costs repaid)", "month", "lower"),
    Kpi("redundancies_expected", "Expected compulsory redundancies (people)", "people", "lower"),
    Kpi("red_team_months", "Red team-months (count)", "team-months", "lower"),
    Kpi("peak_backlog_weeks", "Peak backlog (weeks of capacity)", "weeks", "lower"),
    Kpi("transition_cover_cost", "Transition cover to keep every team out of red (£)", "£",
        "lower"),
    Kpi("p_meet_year_2_target", "Chance of meeting the year-2 savings target (%)", "%",
        "higher"),
)
FY_PREFIX = "fy:"


def _fy_kpi(fy: str) -> Kpi:
    return Kpi(FY_PREFIX + fy, f"Saving to the core budget in {fy} (£)", "£", "higher")


Cell = tuple[str, float]  # (display text, raw value; NaN when there is none)


def _cells(results: Results, simulation: Simulation | None) -> dict[str, Cell]:
    """Display text and raw value of every KPI of one scenario."""
    k = results.kpis()
    nan = float("nan")
    out: dict[str, Cell] = {
        "end_fte_in_post": (f"{k['end_fte_in_post']:,.1f}", k["end_fte_in_post"]),
        "fte_change_vs_baseline": (f"{k['fte_change_vs_baseline']:+,.1f}",
                                   k["fte_change_vs_baseline"]),
        "full_year_saving": ((signed_money(k["full_year_saving"]) + f" ({k['full_year']})",
                              k["full_year_saving"]) if k["full_year"] else ("n/a", nan)),
        "total_saving": (signed_money(k["total_saving"]), k["total_saving"]),
        "one_off_costs": (money(k["one_off_costs"]), k["one_off_costs"]),
        "net_position": (signed_money(k["net_position"]), k["net_position"]),
        "payback_month": _payback(results, k),
        "redundancies_expected": (f"{k['redundancies_expected']:,.1f}",
                                  k["redundancies_expected"]),
        "red_team_months": (f"{k['red_team_months']:,}", float(k["red_team_months"])),
        "peak_backlog_weeks": (f"{k['peak_backlog_weeks']:,.1f}", k["peak_backlog_weeks"]),
        "transition_cover_cost": (money(k["transition_cover_cost"]),
                                  k["transition_cover_cost"]),
        "p_meet_year_2_target": _chance(simulation),
    }
    for r in results.by_financial_year().to_dict("records"):
        text = signed_money(r["core_saving"])
        if r["months"] != 12:
            text += f" (part year, {r['months']} months)"
        elif r["target_met"] is True:
            text += " (target met)"
        elif r["target_met"] is False:
            text += f" (short by {money(-r['gap'])})"
        out[FY_PREFIX + str(r["financial_year"])] = (text, float(r["core_saving"]))
    return out


def _payback(results: Results, k: dict[str, Any]) -> Cell:
    """Payback as a month; with no one-off costs it is the first month (nothing to repay)."""
    if k["one_off_costs"] <= 0:
        return "no one-off costs", float(results.scenario.horizon.start)
    if k["payback_month"] is None:
        return month_text(None), float("nan")
    return month_text(k["payback_month"]), float(parse_month(k["payback_month"]))


def _chance(simulation: Simulation | None) -> Cell:
    if simulation is None:
        return NO_SIMULATION, float("nan")
    p = simulation.p_meet(2)
    if p is None:
        return "n/a (no whole-year target in year 2)", float("nan")
    return percent(p), p


def best_of(raw: Sequence[float], better: str) -> list[int]:
    """Positions of the best values (ties included); none when fewer than two can be
    compared, when all are equal, or when the row has no better direction."""
    values = np.asarray(raw, dtype=float)
    finite = np.isfinite(values)
    if better not in ("higher", "lower") or finite.sum() < 2:
        return []
    target = values[finite].max() if better == "higher" else values[finite].min()
    if np.all(np.abs(values[finite] - target) <= TIE_TOLERANCE):
        return []
    return [int(i) for i in np.flatnonzero(finite & (np.abs(values - target) <= TIE_TOLERANCE))]


def compare_kpis(results: Sequence[Results | None],
                 simulations: Sequence[Simulation | None] | None = None, *,
                 names: Sequence[str] | None = None,
                 placeholders: Sequence[str] | None = None) -> pd.DataFrame:
    """Headline figures of scenarios side by side.

    Args:
        results: One entry per scenario; None while a scenario is still computing.
        simulations: Monte Carlo results per scenario (None: not run).
        names: Column names (default: the scenarios' names; needed for None results).
        placeholders: Text shown for a scenario without results (default "…").

    Returns:
        One row per KPI (index: the KPI key; financial years as ``"fy:2027/28"``) with
        columns ``kpi`` (label with units), ``unit``, ``better`` ("higher", "lower" or
        "" when neither is better), one display-text column per scenario (in order;
        names made unique), ``raw`` (a list of floats, one per scenario, NaN where there
        is no value) and ``best`` (the positions of the best scenarios in that row).
    """
    n = len(results)
    sims = list(simulations) if simulations is not None else [None] * n
    if len(sims) != n:
        raise ValueError("compare_kpis needs one simulation entry (or None) per scenario")
    given = [r.scenario.name if r is not None else f"Scenario {i + 1}"
             for i, r in enumerate(results)] if names is None else list(names)
    columns = unique_names(given)
    waiting = list(placeholders) if placeholders is not None else [COMPUTING] * n
    cells = [_cells(r, s) if r is not None else {} for r, s in zip(results, sims, strict=True)]
    rows = []
    for kpi in _row_specs(cells):
        pairs = [c.get(kpi.key, ("n/a", float("nan"))) if r is not None else (w, float("nan"))
                 for c, r, w in zip(cells, results, waiting, strict=True)]
        raw = [float(v) for _, v in pairs]
        rows.append({LABEL: kpi.label, UNIT: kpi.unit, BETTER: kpi.better,
                     **{col: text for col, (text, _) in zip(columns, pairs, strict=True)},
                     RAW: raw, BEST: best_of(raw, kpi.better), "_key": kpi.key})
    frame = pd.DataFrame(rows, columns=["_key", LABEL, UNIT, BETTER, *columns, RAW, BEST])
    frame = frame.set_index("_key")
    frame.index.name = "key"
    frame.attrs["scenarios"] = columns
    return frame


def _row_specs(cells: list[dict[str, Cell]]) -> list[Kpi]:
    """The fixed KPIs with one row per financial year (any scenario's) after the full year."""
    years = sorted({key[len(FY_PREFIX):] for c in cells for key in c if key.startswith(FY_PREFIX)})
    at = [k.key for k in KPIS].index("full_year_saving") + 1
    return [*KPIS[:at], *(_fy_kpi(y) for y in years), *KPIS[at:]]


def scenario_columns(frame: pd.DataFrame) -> list[str]:
    """The scenario columns of a :func:`compare_kpis` frame, in order."""
    return list(frame.attrs.get("scenarios", [c for c in frame.columns
                                              if c not in (LABEL, UNIT, BETTER, RAW, BEST)]))


def unique_names(names: Sequence[str]) -> list[str]:
    """Names made unique (and different from the frame's own columns) by " (2)", " (3)"…."""
    taken = {LABEL, UNIT, BETTER, RAW, BEST}
    out = []
    for name in names:
        candidate, k = str(name), 2
        while candidate in taken:
            candidate, k = f"{name} ({k})", k + 1
        taken.add(candidate)
        out.append(candidate)
    return out


# ----- overlaid monthly lines ------------------------------------------------------------

def monthly_lines(results: Results) -> pd.DataFrame:
    """Per month: month number, cumulative net position (£), FTE in post, teams in red."""
    m = results.monthly()
    red = (results.service().paths.rag == RED).sum(axis=1)
    return pd.DataFrame({
        "month": list(results.scenario.horizon.numbers()),
        "cumulative_net": m["cumulative_net"].to_numpy(dtype=float),
        "fte_in_post": m["fte_in_post"].to_numpy(dtype=float),
        "red_teams": red.astype(float),
    })


def overlay_frames(results: Sequence[Results | None]
                   ) -> tuple[list[int], list[pd.DataFrame | None]]:
    """Lines of several scenarios on one month axis.

    Returns the month numbers of the axis (every month any scenario covers, in order)
    and, per scenario, :func:`monthly_lines` with an ``x`` column: the position of
    each month on that axis (None for a scenario without results).
    """
    frames = [monthly_lines(r) if r is not None else None for r in results]
    months = [f["month"] for f in frames if f is not None]
    if not months:
        return [], frames
    first, last = min(int(m.min()) for m in months), max(int(m.max()) for m in months)
    for f in frames:
        if f is not None:
            f["x"] = (f["month"] - first).astype(float)
    return list(range(first, last + 1)), frames


# ----- people -------------------------------------------------------------------------------

def redeployment_table(results: Results, *, include_names: bool = False) -> pd.DataFrame:
    """One row per person redeployed: old post and team, new post and team, month,
    grade change and pay protection.

    ``pay_protection`` is the protected pay over the whole protection period at
    today's pay and before on-costs: the full-time salary drop × FTE ÷ 12 for each
    protected month, tapered as the policy says (0 when pay is not protected).
    ``employee_name`` is there only with ``include_names``.
    """
    red = results.redeployment
    matches = red.matches if red is not None else pd.DataFrame()
    policy = results.scenario.redeployment
    cols = ["post_id", "employee_name", "team", "grade", "to_post_id", "to_team", "to_grade",
            "source", "month", "fte", "grade_steps", "salary_drop", "pay_protection"]
    if not len(matches):
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in cols})
        return frame if include_names else frame.drop(columns="employee_name")
    months = np.arange(max(policy.pay_protection_months, 0))
    per_month = pay_protection_monthly(matches, policy)
    total = per_month * float(protection_factor(months, policy).sum())
    person = matches["person"].to_numpy(dtype=np.int64)
    frame = pd.DataFrame({
        "post_id": matches["post_id"].to_numpy(dtype=object),
        "employee_name": _names(results, person),
        "team": matches["team"].to_numpy(dtype=object),
        "grade": matches["grade"].to_numpy(dtype=object),
        "to_post_id": matches["to_post_id"].to_numpy(dtype=object),
        "to_team": matches["to_team"].to_numpy(dtype=object),
        "to_grade": matches["to_grade"].to_numpy(dtype=object),
        "source": matches["source"].to_numpy(dtype=object),
        "month": matches["month"].to_numpy(dtype=np.int64),
        "fte": matches["fte"].to_numpy(dtype=float),
        "grade_steps": pd.to_numeric(matches["grade_steps"], errors="coerce")
                         .to_numpy(dtype=float),
        "salary_drop": pd.to_numeric(matches["salary_drop"], errors="coerce")
                         .to_numpy(dtype=float),
        "pay_protection": total,
    }, columns=cols)
    return frame if include_names else frame.drop(columns="employee_name")


def _names(results: Results, positions: np.ndarray) -> np.ndarray:
    posts = results.run.prep.wf.posts
    if "employee_name" not in posts or not len(positions):
        return np.full(len(positions), None, dtype=object)
    return posts["employee_name"].to_numpy(dtype=object)[positions]


def redundancy_table(results: Results, *, include_names: bool = False) -> pd.DataFrame:
    """One row per compulsory redundancy with its costs.

    ``total`` is statutory pay + enhancement + the pension strain estimate if the
    person is still in post; ``expected_cost`` weights it by the chance they are
    (what the scenario's one-off costs count). ``month`` is a month number.
    """
    leavers = results.one_off.leavers
    cols = ["post_id", "employee_name", "team", "grade", "month", "fte", "age_at_leaving",
            "years_service", "estimated", "weekly_pay", "statutory_weeks", "statutory_pay",
            "enhancement", "pension_strain_estimate", "total", "chance_still_in_post",
            "expected_cost"]
    frame = pd.DataFrame({c: leavers[c].to_numpy() for c in cols
                          if c in leavers and c not in ("month", "total")})
    frame["month"] = [parse_month(str(m)) for m in leavers["month"]] if len(leavers) else []
    frame["total"] = (frame["statutory_pay"] + frame["enhancement"]
                      + frame["pension_strain_estimate"]) if len(leavers) else []
    if "employee_name" not in frame:
        frame["employee_name"] = None
    frame = frame[cols]
    return frame if include_names else frame.drop(columns="employee_name")


def column_totals(frame: pd.DataFrame, columns: Sequence[str]) -> dict[str, float]:
    """Sums of the given columns (missing values count as 0), for a totals line."""
    return {c: float(pd.to_numeric(frame[c], errors="coerce").fillna(0.0).sum())
            if c in frame else 0.0 for c in columns}


#: Totals shown under each people table.
REDEPLOYMENT_TOTALS = ("fte", "salary_drop", "pay_protection")
REDUNDANCY_TOTALS = ("fte", "statutory_pay", "enhancement", "pension_strain_estimate", "total",
                     "expected_cost")
