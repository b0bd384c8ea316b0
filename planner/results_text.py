"""Plain-text views of scenario results for the command line (same figures as ``--json``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from planner.months import month_label, parse_month
from planner.report_text import money
from planner.results import Results


def signed_money(value: float) -> str:
    return f"-£{-value:,.0f}" if value < -0.5 else money(value)


def month_text(month: str | None) -> str:
    return month_label(parse_month(month)) if month else "not within the horizon"


def results_lines(results: Results) -> list[str]:
    """A one-screen account of a scenario run."""
    k = results.kpis()
    sc = results.scenario
    lines = [
        f"Scenario: {sc.name}, {sc.horizon.describe()}",
        f"FTE in post: {k['start_fte_in_post']:,.1f} at the start, {k['end_fte_in_post']:,.1f} "
        f"at the end (baseline {k['baseline_end_fte_in_post']:,.1f}; "
        f"change {k['fte_change_vs_baseline']:+,.1f})",
        f"Establishment change: {k['establishment_change']:+,.1f} FTE",
    ]
    if k["full_year"]:
        lines.append(f"Saving to the core budget in the first full year ({k['full_year']}): "
                     f"{signed_money(k['full_year_saving'])}")
    lines += [
        f"Saving over the horizon: {signed_money(k['total_saving'])} "
        f"(core budget {signed_money(k['core_saving'])}; externally funded posts "
        f"{signed_money(k['external_saving'])})",
        f"One-off costs: {money(k['one_off_costs'])} (redundancy {money(k['redundancy_cost'])}, "
        f"pension strain estimate {money(k['pension_strain_estimate'])})",
        f"Net position at the end: {signed_money(k['net_position'])}; payback: "
        + (month_text(k["payback_month"]) if k["one_off_costs"] > 0 else "no one-off costs"),
        f"People displaced: {k['people_displaced']:,}; redeployed: {k['people_redeployed']:,}; "
        f"expected redundancies: {k['redundancies_expected']:,.1f}",
        "",
        "  Financial year   Saving        One-off       Net           Core target   Met",
    ]
    for r in results.by_financial_year().to_dict("records"):
        target = "" if r["target"] != r["target"] else money(r["target"])
        met = {True: "yes", False: "NO"}.get(r["target_met"], "part year" if target else "")
        part = "" if r["months"] == 12 else f" ({r['months']} mo)"
        lines.append(f"  {r['financial_year'] + part:<15}  {signed_money(r['saving']):>12}  "
                     f"{money(r['one_off_total']):>12}  {signed_money(r['net']):>12}  "
                     f"{target:>12}  {met}")
    lines += service_lines(results)
    lines += ["", "  FTE bridge (in post)"]
    for label, value in results.bridge():
        sign = "" if label.startswith(("Start", "End")) else "+" if value >= 0 else ""
        lines.append(f"    {label:<32} {sign}{value:,.1f}")
    if results.warnings:
        lines.append("")
        lines += [f"  Note: {w}" for w in results.warnings]
    return lines


KPI_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Scenario", "scenario"),
    ("FTE change", "fte_change_vs_baseline"),
    ("Full-year saving", "full_year_saving"),
    ("One-off costs", "one_off_costs"),
    ("Payback", "payback_month"),
)


def kpi_table(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The demo's KPI table: one line per scenario."""
    cells = [[
        str(r["scenario"]),
        f"{r['fte_change_vs_baseline']:+,.1f}",
        (signed_money(r["full_year_saving"]) + f" ({r['full_year']})"
         if r["full_year"] else "n/a"),
        money(r["one_off_costs"]),
        month_text(r["payback_month"]) if r["payback_month"] else "none",
    ] for r in rows]
    return _table([h for h, _ in KPI_COLUMNS], cells)


RISK_HEADS: tuple[str, ...] = (
    "Scenario", "Red team-months", "Peak backlog", "Transition cover", "Net by year 3",
    "P(year-2 target)",
)


def percent(value: float | None) -> str:
    return "n/a" if value is None else f"{100 * value:.0f}%"


def risk_table(rows: Sequence[dict[str, Any]]) -> list[str]:
    """Service risk per scenario: red team-months, peak backlog, cover, net, target chance."""
    cells = [[
        str(r["scenario"]),
        f"{r['red_team_months']:,}",
        f"{r['peak_backlog_weeks']:,.1f} weeks",
        money(r["transition_cover_cost"]),
        signed_money(r["net_saving_by_year_3"]) if r["net_saving_by_year_3"] is not None
        else "n/a",
        percent(r.get("p_meet_year_2_target")),
    ] for r in rows]
    return _table(list(RISK_HEADS), cells)


def service_lines(results: Results) -> list[str]:
    """Capacity against demand: red months, backlog, cover and cut-before-live warnings."""
    svc = results.service()
    k = svc.kpis()
    lines = ["", "  Service capacity against demand (expected value)",
             f"    Red team-months: {k['red_team_months']:,} (amber {k['amber_team_months']:,});"
             f" teams ever red: {k['teams_ever_red']}",
             f"    Peak backlog: {k['peak_backlog_weeks']:,.1f} weeks of capacity",
             f"    Temporary cover to keep every team out of red: "
             f"{k['transition_cover_fte_months']:,.1f} FTE-months, "
             f"{money(k['transition_cover_cost'])}"]
    for team, month in sorted(k["first_red_month"].items(), key=lambda kv: kv[1])[:8]:
        lines.append(f"    Red from {month_text(month)}: {team}")
    for flag in svc.cut_before_live[:8]:
        lines.append(f"    Cut before live: {flag.describe()}")
    if len(svc.cut_before_live) > 8:
        lines.append(f"    … and {len(svc.cut_before_live) - 8} more cut-before-live warnings")
    return lines


def _table(heads: list[str], cells: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(heads)]
    out = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w)
                     for i, (h, w) in enumerate(zip(heads, widths, strict=True)))]
    out += ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                      for i, (c, w) in enumerate(zip(row, widths, strict=True)))
            for row in cells]
    return out
