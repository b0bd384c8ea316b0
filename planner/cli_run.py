"""``fteplan run``: one scenario file against an establishment, or every scenario of a project.

    fteplan run ESTABLISHMENT --scenario FILE.json [--out report.xlsx] [--pdf pack.pdf] …
    fteplan run PROJECT.fteplan [--scenario NAME] [--out report.xlsx] [--pdf pack.pdf] …

With a project, every scenario in it runs (or just the one named by ``--scenario``); the
workbook then has a Compare sheet and the board pack compares them. ``--json`` keeps the
single-scenario shape (the first scenario's figures at the top level) and adds
``scenarios``: one entry per scenario with the same fields.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any

from planner.errors import PlannerError
from planner.establishment import Establishment
from planner.months import format_month
from planner.results import Results
from planner.scenario import Scenario

EXIT_OK, EXIT_EXCLUDED = 0, 1
MAX_SIMULATIONS = 20_000
MAX_COMPARED = 5  # a workbook's Compare sheet and a board pack take one to five scenarios


@dataclass
class Run:
    """One scenario's results and, when asked for, its simulation and advice."""

    results: Results
    simulation: Any = None
    advice: list[dict[str, Any]] | None = None
    schedule: dict[str, Any] | None = None
    text: list[str] | None = None


def load_inputs(args: argparse.Namespace) -> tuple[Establishment, list[Scenario], str]:
    """The establishment and the scenarios to run, and what they came from (for messages)."""
    from planner.importer import load_establishment
    from planner.scenario_io import load_scenario

    if args.file.suffix.lower() == ".fteplan":
        from planner.project_file import load_project

        project = load_project(args.file)
        if project.establishment is None:
            raise PlannerError(f"{args.file.name} has no establishment yet; open it in the app "
                               "and import one first.")
        scenarios = list(project.scenarios)
        if args.scenario is not None:
            if args.scenario.suffix.lower() == ".json":
                scenarios = [load_scenario(args.scenario)]
            else:
                wanted = str(args.scenario)
                scenarios = [s for s in scenarios if s.name == wanted]
                if not scenarios:
                    names = ", ".join(f"'{s.name}'" for s in project.scenarios) or "none"
                    raise PlannerError(f"{args.file.name} has no scenario called '{wanted}' "
                                       f"(it has {names}).")
        if not scenarios:
            raise PlannerError(f"{args.file.name} has no scenarios to run.")
        return project.establishment, scenarios, args.file.name
    if args.scenario is None:
        raise PlannerError("Give the scenario to run with --scenario FILE.json "
                           "(or give a .fteplan project, which holds its scenarios).")
    scenario = load_scenario(args.scenario)
    est = load_establishment(args.file, sheet=args.sheet, mapping=args.mapping)
    return est, [scenario], args.file.name


def check_options(args: argparse.Namespace) -> None:
    if not 0 <= args.simulations <= MAX_SIMULATIONS:
        raise PlannerError(f"--simulations must be from 0 to {MAX_SIMULATIONS:,}, "
                           f"not {args.simulations}.")
    if args.confidence is not None and not 0 < args.confidence < 1:
        raise PlannerError("--confidence must be a fraction between 0 and 1 (for example 0.9), "
                           f"not {args.confidence:g}.")
    for option, suffix in (("out", ".xlsx"), ("pdf", ".pdf")):
        path = getattr(args, option)
        if path is not None and path.suffix.lower() != suffix:
            raise PlannerError(f"--{option} needs a file name ending in {suffix}, "
                               f"not '{path.name}'.")


def run_all(est: Establishment, scenarios: list[Scenario], args: argparse.Namespace) -> list[Run]:
    from planner.runner import run_scenario
    from planner.workforce import Workforce

    workforce = Workforce.from_posts(est.posts)
    runs = []
    for scenario in scenarios:
        run = Run(run_scenario(workforce, scenario), text=[])
        if args.simulations:
            from planner.cli_scenarios import simulation_lines
            from planner.montecarlo import simulate

            run.simulation = simulate(run.results, args.simulations, seed=args.seed)
            run.text = (run.text or []) + simulation_lines(run.simulation)
        if args.advise:
            _advise(run, est, scenario, args)
        runs.append(run)
    return runs


def _advise(run: Run, est: Establishment, scenario: Scenario, args: argparse.Namespace) -> None:
    from planner.advisor import advise
    from planner.cli_scenarios import advice_dict

    seed = run.simulation.seed if run.simulation is not None else (args.seed or 0)
    advice, schedule = advise(est.posts, scenario, confidence=args.confidence, seed=seed)
    run.advice = [advice_dict(a) for a in advice]
    run.schedule = {
        "months": {str(i): format_month(m) for i, m in schedule.months.items()},
        "meets_targets": schedule.meets_targets, "shortfall": schedule.shortfall,
        "red_team_months": schedule.red_team_months,
        "transition_cover_cost": round(schedule.cover_cost, 2),
        "message": schedule.message}
    run.text = (run.text or []) + ["", "  Safe sequencing", *(f"    {a.describe()}"
                                                            for a in advice),
                                   f"    Suggested schedule: {schedule.message}"]


def write_outputs(runs: list[Run], est: Establishment, args: argparse.Namespace) -> list[str]:
    written: list[str] = []
    results = [r.results for r in runs]
    simulations = [r.simulation for r in runs]
    if args.out is not None:
        from planner.export_xlsx import write_results_workbook
        from planner.xlsx_compare import write_comparison_workbook

        if len(results) == 1:
            book = write_results_workbook(results[0], args.out, establishment=est,
                                          anonymise=not args.names)
        else:
            book = write_comparison_workbook(results, args.out,
                                             simulations=simulations,
                                             establishment=est, anonymise=not args.names)
        written.append(str(book))
    if args.pdf is not None:
        from planner.board_pack import build_board_pack
        from planner.frontends import write_board_pack_pdf

        pack = build_board_pack(results, simulations, est)
        written.append(str(write_board_pack_pdf(pack, args.pdf)))
    return written


def run_dict(run: Run) -> dict[str, Any]:
    data = run.results.to_dict()
    if run.simulation is not None:
        data["simulation"] = run.simulation.to_dict()
    if run.advice is not None:
        data["advice"] = run.advice
        data["suggested_schedule"] = run.schedule
    return data


def cmd_run(args: argparse.Namespace) -> int:
    from planner.cli import print_json
    from planner.results_text import results_lines

    check_options(args)
    est, scenarios, source = load_inputs(args)
    if len(scenarios) > MAX_COMPARED and (args.out is not None or args.pdf is not None):
        raise PlannerError(f"{source} has {len(scenarios)} scenarios, but a workbook or a "
                           f"board pack compares at most {MAX_COMPARED}; choose one with "
                           "--scenario NAME.")
    runs = run_all(est, scenarios, args)
    written = write_outputs(runs, est, args)
    code = EXIT_EXCLUDED if est.rows_excluded else EXIT_OK
    if args.json:
        summary = est.summary()
        out: dict[str, Any] = {
            "establishment": {"file": str(est.source.path), "sheet": est.source.sheet,
                              "rows_read": est.rows_read, "rows_loaded": est.rows_loaded,
                              "rows_excluded": est.rows_excluded, "posts": summary.posts},
            **run_dict(runs[0]),
        }
        if args.file.suffix.lower() == ".fteplan":
            out["project"] = str(args.file)
            out["scenarios"] = [run_dict(r) for r in runs]
        print_json({**out, "written": written, "exit_code": code})
        return code
    print(f"{source}: {est.rows_read:,} rows read, {est.rows_loaded:,} loaded, "
          f"{est.rows_excluded:,} excluded")
    for run in runs:
        if len(runs) > 1:
            print(f"\n=== {run.results.scenario.name} ===")
        print("\n".join(results_lines(run.results) + (run.text or [])))
    for name in written:
        print(f"\nWrote {name}")
    return code
