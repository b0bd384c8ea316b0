"""``fteplan run``, ``fteplan redundancy`` and the scenario part of ``fteplan demo`` (DESIGN §7)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

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
    r.add_argument("--simulations", type=int, default=0, help="Monte Carlo runs")
    r.add_argument("--seed", type=int, help="random seed for the simulation")

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
    if args.simulations:
        raise PlannerError("Monte Carlo simulation is not available in this version yet; "
                           "leave out --simulations to get the expected-value run.")
    scenario = load_scenario(args.scenario)
    est = load_establishment(args.file, sheet=args.sheet, mapping=args.mapping)
    results = run_scenario(est.posts, scenario)
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
            "written": written,
            "exit_code": code,
        })
    else:
        print(f"{est.source.path.name}: {est.rows_read:,} rows read, {est.rows_loaded:,} "
              f"loaded, {est.rows_excluded:,} excluded")
        print("\n".join(results_lines(results)))
        for name in written:
            print(f"\nWrote {name}")
    return code


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
