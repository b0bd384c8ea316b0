"""``fteplan run``, ``fteplan redundancy`` and the scenario part of ``fteplan demo`` (DESIGN §7)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from planner.months import format_month

EXIT_OK, EXIT_EXCLUDED, EXIT_UNUSABLE = 0, 1, 2


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("run", parents=[common], help="run a scenario against an establishment")
    r.add_argument("file", type=Path, help="establishment file, or a .fteplan project "
                   "(then every scenario in it runs)")
    r.add_argument("--scenario", type=Path, help="scenario file (JSON); with a project, "
                   "the name of one of its scenarios")
    r.add_argument("--sheet", help="sheet name in the establishment workbook")
    r.add_argument("--mapping", type=Path, help="mapping profile (JSON) for the headers")
    r.add_argument("--out", type=Path, help="write the results workbook (.xlsx)")
    r.add_argument("--names", action="store_true",
                   help="include employee names in the workbook (personal data)")
    r.add_argument("--pdf", type=Path, help="write the board pack (PDF, A4 landscape)")
    r.add_argument("--simulations", type=int, default=0,
                   help="Monte Carlo runs (for example 1000); 0 for the expected value only")
    r.add_argument("--seed", type=int, help="random seed for the simulation (default: random, "
                   "reported so the run can be repeated)")
    r.add_argument("--advise", action="store_true",
                   help="safe sequencing: the earliest safe month for each reduction")
    r.add_argument("--confidence", type=float,
                   help="with --advise: also the safe month at this simulated confidence "
                        "(for example 0.9)")

    d = sub.add_parser("redundancy", parents=[common],
                       help="statutory and enhanced redundancy pay for one person")
    d.add_argument("--age", type=int, required=True, help="age in whole years at leaving")
    d.add_argument("--years", type=int, required=True, help="complete years of service")
    d.add_argument("--weekly-pay", type=float, required=True, help="actual week's pay (£)")
    d.add_argument("--leaving-date", type=dt.date.fromisoformat,
                   help="leaving date YYYY-MM-DD (default today): sets the weekly-pay cap")
    d.add_argument("--multiplier", type=float, default=1.0,
                   help="council enhancement: multiply statutory weeks (max 104 weeks)")
    d.add_argument("--actual-pay", action="store_true",
                   help="council enhancement: use actual week's pay instead of the cap")


def simulation_lines(sim: Any) -> list[str]:
    """Plain-text summary of a simulation (same figures as ``--json``)."""
    from planner.results_text import percent, signed_money

    k = sim.kpis()
    lines = ["", f"  Simulation: {sim.runs:,} runs, seed {sim.seed} (P10 / P50 / P90)",
             f"    Red team-months: {k['red_team_months_p10']:,.0f} / "
             f"{k['red_team_months_p50']:,.0f} / {k['red_team_months_p90']:,.0f}",
             f"    Cover to keep every team out of red: "
             f"{signed_money(k['transition_cover_cost_p10'])} / "
             f"{signed_money(k['transition_cover_cost_p50'])} / "
             f"{signed_money(k['transition_cover_cost_p90'])}",
             f"    Net position at the end: {signed_money(k['cumulative_net_end_p10'])} / "
             f"{signed_money(k['cumulative_net_end_p50'])} / "
             f"{signed_money(k['cumulative_net_end_p90'])}"]
    for r in sim.fy_core_saving.to_dict("records"):
        if r["p_target_met"] is not None and r["p_target_met"] == r["p_target_met"]:
            lines.append(f"    Chance of meeting the {r['financial_year']} target: "
                         f"{percent(r['p_target_met'])}")
    likely = [t for t, p in zip(sim.teams, sim.p_red, strict=True) if p >= 0.5]
    if likely:
        lines.append(f"    Teams with at least an even chance of a red month: "
                     f"{', '.join(likely[:10])}" + (" …" if len(likely) > 10 else ""))
    return lines


def advice_dict(a: Any) -> dict[str, Any]:
    return {"action": a.action, "label": a.label, "teams": a.teams,
            "planned_month": format_month(a.planned_month),
            "safe_month": format_month(a.safe_month) if a.safe_month is not None else None,
            "safe_month_at_confidence": (format_month(a.safe_month_confident)
                                         if a.safe_month_confident is not None else None),
            "confidence": a.confidence, "savings_forgone": round(a.savings_forgone, 2),
            "cover_fte_months": round(a.cover_fte_months, 2),
            "cover_cost": round(a.cover_cost, 2), "advice": a.describe()}


def cmd_redundancy(args: argparse.Namespace) -> int:
    from planner.cli import print_json
    from planner.redundancy import redundancy_pay
    from planner.scenario import RedundancyTerms

    leaving = args.leaving_date or dt.date.today()
    terms = RedundancyTerms(multiplier=args.multiplier, actual_pay=args.actual_pay)
    result = redundancy_pay(age=args.age, years=args.years, weekly_pay=args.weekly_pay,
                            leaving_date=leaving, terms=terms)
    data = {"age": args.age, "years": args.years, "leaving_date": leaving.isoformat(),
            **result.to_dict()}
    if args.json:
        print_json(data)
        return EXIT_OK
    print(f"Age {args.age}, {args.years} complete years' service, leaving {leaving:%d %B %Y}")
    print(f"Statutory: {result.statutory_weeks:g} weeks × £{result.statutory_week_pay:,.2f} "
          f"(weekly pay capped at £{result.cap:,.0f} from {result.cap_date:%d %B %Y}) "
          f"= £{result.statutory_amount:,.2f}")
    if result.enhancement_amount > 0.005:
        print(f"Council enhancement: {result.enhanced_weeks:g} weeks × "
              f"£{result.enhanced_week_pay:,.2f}; extra £{result.enhancement_amount:,.2f}")
    print(f"Total: £{result.total_amount:,.2f}")
    return EXIT_OK
