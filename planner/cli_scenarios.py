"""``fteplan run``, ``fteplan redundancy`` and the scenario part of ``fteplan demo`` (DESIGN §7)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from planner.errors import PlannerError
from planner.months import format_month

EXIT_OK, EXIT_EXCLUDED, EXIT_UNUSABLE = 0, 1, 2


def add_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    r = sub.add_parser("run", parents=[common], help="run a scenario against an establishment")
    r.add_argument("file", type=Path, help="establishment file (or a .fteplan project)")
    r.add_argument("--scenario", type=Path, help="scenario file (JSON)")
    r.add_argument("--sheet", help="sheet name in the establishment workbook")
    r.add_argument("--mapping", type=Path, help="mapping profile (JSON) for the headers")
    r.add_argument("--out", type=Path, help="write the results workbook (.xlsx)")
    r.add_argument("--names", action="store_true",
                   help="include employee names in the workbook (personal data)")
    r.add_argument("--pdf", type=Path, help="write the board pack (PDF)")
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


def cmd_run(args: argparse.Namespace) -> int:
    from planner.cli import print_json
    from planner.importer import load_establishment
    from planner.results_text import results_lines
    from planner.runner import run_scenario
    from planner.scenario_io import load_scenario

    if args.file.suffix.lower() == ".fteplan":
        raise PlannerError("Project files (.fteplan) are not supported by this version yet; "
                           "give an establishment file and --scenario FILE.json.")
    if args.scenario is None:
        raise PlannerError("Give the scenario to run with --scenario FILE.json.")
    if args.pdf is not None:
        raise PlannerError("The PDF board pack is not available in this version yet; "
                           "use --out report.xlsx.")
    if not 0 <= args.simulations <= 20_000:
        raise PlannerError(f"--simulations must be from 0 to 20,000, not {args.simulations}.")
    if args.confidence is not None and not 0 < args.confidence < 1:
        raise PlannerError("--confidence must be a fraction between 0 and 1 (for example 0.9), "
                           f"not {args.confidence:g}.")
    scenario = load_scenario(args.scenario)
    est = load_establishment(args.file, sheet=args.sheet, mapping=args.mapping)
    results = run_scenario(est.posts, scenario)
    extra: dict[str, Any] = {}
    text: list[str] = []
    if args.simulations:
        from planner.montecarlo import simulate

        sim = simulate(results, args.simulations, seed=args.seed)
        extra["simulation"] = sim.to_dict()
        text += simulation_lines(sim)
    if args.advise:
        from planner.advisor import advise

        seed = extra["simulation"]["seed"] if "simulation" in extra else (args.seed or 0)
        advice, schedule = advise(est.posts, scenario, confidence=args.confidence, seed=seed)
        extra["advice"] = [advice_dict(a) for a in advice]
        extra["suggested_schedule"] = {
            "months": {str(i): format_month(m) for i, m in schedule.months.items()},
            "meets_targets": schedule.meets_targets, "shortfall": schedule.shortfall,
            "red_team_months": schedule.red_team_months,
            "transition_cover_cost": round(schedule.cover_cost, 2),
            "message": schedule.message}
        text += ["", "  Safe sequencing", *(f"    {a.describe()}" for a in advice),
                 f"    Suggested schedule: {schedule.message}"]
    written = []
    if args.out is not None:
        from planner.export_xlsx import write_results_workbook

        written.append(str(write_results_workbook(results, args.out, establishment=est,
                                                  include_names=args.names)))
    code = EXIT_EXCLUDED if est.rows_excluded else EXIT_OK
    if args.json:
        summary = est.summary()
        print_json({
            "establishment": {"file": str(est.source.path), "sheet": est.source.sheet,
                              "rows_read": est.rows_read, "rows_loaded": est.rows_loaded,
                              "rows_excluded": est.rows_excluded, "posts": summary.posts},
            **results.to_dict(),
            **extra,
            "written": written,
            "exit_code": code,
        })
    else:
        print(f"{est.source.path.name}: {est.rows_read:,} rows read, {est.rows_loaded:,} "
              f"loaded, {est.rows_excluded:,} excluded")
        print("\n".join(results_lines(results) + text))
        for name in written:
            print(f"\nWrote {name}")
    return code


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
