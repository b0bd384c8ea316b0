"""The ``fteplan`` command line (DESIGN §7; a stable contract that automation depends on).

Every command takes ``--json`` and then prints exactly one JSON object on
stdout. Errors go to stderr as one plain sentence, with no traceback unless
``--debug`` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from planner import __version__
from planner.errors import PlannerError

EXIT_OK, EXIT_EXCLUDED, EXIT_UNUSABLE = 0, 1, 2
DEMO_SIMULATIONS, DEMO_SEED = 1000, 2027


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fteplan",
        description="FTE Planner: workforce scenario planning for councils and public bodies.",
    )
    parser.add_argument("--version", action="version", version=f"FTE Planner {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    common.add_argument("--debug", action="store_true", help="show tracebacks on errors")

    v = sub.add_parser("validate", parents=[common],
                       help="read an establishment file and report its data quality")
    v.add_argument("file", type=Path, help=".xlsx, .xls, .ods or .csv establishment file")
    v.add_argument("--sheet", help="sheet name (default: the first that holds posts)")
    v.add_argument("--mapping", type=Path, help="mapping profile (JSON) for the headers")
    v.add_argument("--all", action="store_true", help="list every data-quality issue")

    d = sub.add_parser("demo", parents=[common],
                       help="run the demo council's scenarios and print their KPIs")
    d.add_argument("--out", type=Path, help="folder for the demo outputs")

    from planner.cli_scenarios import add_parsers

    add_parsers(sub, common)

    from planner.cli_erlang import add_parser as add_erlang_parser

    add_erlang_parser(sub, common)

    g = sub.add_parser("gui", parents=[common], help="open the desktop app")
    g.add_argument("file", nargs="?", type=Path, help="establishment or project file to open")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        # A Windows console or a redirect in cp1252 must not crash on "Tŷ Hafan" or "£".
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_OK
    from planner.cli_erlang import cmd_erlang
    from planner.cli_run import cmd_run
    from planner.cli_scenarios import cmd_redundancy

    handler = {"validate": cmd_validate, "demo": cmd_demo, "gui": cmd_gui, "run": cmd_run,
               "redundancy": cmd_redundancy, "erlang": cmd_erlang}[args.command]
    try:
        return handler(args)
    except PlannerError as exc:
        return _fail(args, str(exc), EXIT_UNUSABLE)
    except KeyboardInterrupt:
        return _fail(args, "Interrupted.", 130)
    except Exception as exc:  # the one place an unexpected error becomes a sentence
        return _fail(args, f"Unexpected error: {type(exc).__name__}: {exc} "
                     "(run again with --debug for details).", 3)


def _fail(args: argparse.Namespace, message: str, code: int) -> int:
    if getattr(args, "debug", False):
        traceback.print_exc()
    print(message, file=sys.stderr)
    if getattr(args, "json", False):
        _print_json({"error": message, "exit_code": code})
    return code


def print_json(obj: dict[str, Any]) -> None:
    """Print one ASCII-safe JSON object on stdout (the ``--json`` contract)."""
    _print_json(obj)


def _print_json(obj: dict[str, Any]) -> None:
    # ASCII-only JSON (non-ASCII as \\u escapes) is valid in any output encoding.
    sys.stdout.write(json.dumps(obj, ensure_ascii=True, default=str, allow_nan=False) + "\n")


def cmd_validate(args: argparse.Namespace) -> int:
    from planner.importer import load_establishment

    est = load_establishment(args.file, sheet=args.sheet, mapping=args.mapping)
    code = EXIT_EXCLUDED if est.rows_excluded else EXIT_OK
    if args.json:
        _print_json(validation_json(est, code))
    else:
        print(validation_text(est, show_all=args.all))
    return code


def validation_json(est: Any, code: int) -> dict[str, Any]:
    summary = est.summary().to_dict()
    return {
        "file": str(est.source.path),
        "sheet": est.source.sheet,
        "profile": est.source.profile,
        "header_rows": list(est.source.header_rows),
        "encoding": est.source.encoding,
        "mapping": est.source.mapping,
        "unmapped_columns": est.source.unmapped,
        **summary,
        "issue_counts": est.report.counts(),
        "issues": est.report.to_records(),
        "exit_code": code,
    }


def validation_text(est: Any, show_all: bool = False, limit: int = 25) -> str:
    from planner.report_text import summary_lines

    lines = summary_lines(est)
    issues = est.report.sorted()
    shown = issues if show_all else issues[:limit]
    for i in shown:
        where = i.location()
        value = f" [value: {i.value}]" if i.value is not None else ""
        lines.append(f"  {i.severity.value.upper():8} {where + ': ' if where else ''}"
                     f"{i.message}{value}")
    if len(issues) > len(shown):
        lines.append(f"  … and {len(issues) - len(shown):,} more "
                     "(--all lists them, --json gives them all).")
    return "\n".join(lines)


def cmd_demo(args: argparse.Namespace) -> int:
    from importlib.resources import as_file

    from planner.bundled import demo_workbook
    from planner.demo import demo_scenarios
    from planner.importer import load_establishment
    from planner.results_text import kpi_table, risk_table
    from planner.runner import run_scenario

    with as_file(demo_workbook()) as path:
        est = load_establishment(path)
    result = {"demo": "Demo Borough Council", **validation_json(est, EXIT_OK)}
    from planner.montecarlo import simulate
    from planner.workforce import Workforce

    wf = Workforce.from_posts(est.posts)
    runs = [run_scenario(wf, sc) for sc in demo_scenarios()]
    sims = [simulate(r, DEMO_SIMULATIONS, seed=DEMO_SEED) for r in runs]
    kpis = [{**r.to_dict()["kpis"], **s.kpis()} for r, s in zip(runs, sims, strict=True)]
    result["scenarios"] = [{**r.to_dict(), "simulation": s.to_dict()}
                           for r, s in zip(runs, sims, strict=True)]
    written: list[str] = []
    if args.out:
        from planner.export_xlsx import write_results_workbook

        args.out.mkdir(parents=True, exist_ok=True)
        target = args.out / "demo_establishment.json"
        target.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str),
                          encoding="utf-8")
        written.append(str(target))
        for number, r in enumerate(runs, start=1):
            book = args.out / f"demo_scenario_{number}.xlsx"
            written.append(str(write_results_workbook(r, book, establishment=est)))
        from planner.xlsx_compare import write_comparison_workbook

        written.append(str(write_comparison_workbook(
            runs, args.out / "demo_comparison.xlsx", simulations=sims, establishment=est)))
        from planner.board_pack import build_board_pack
        from planner.frontends import write_board_pack_pdf, write_chart_pngs

        pack = build_board_pack(runs, sims, est, organisation="Demo Borough Council")
        written.append(str(write_board_pack_pdf(pack, args.out / "demo_board_pack.pdf")))
        written += [str(p) for p in write_chart_pngs(pack, args.out / "charts")]
    result["written"] = written
    if args.json:
        _print_json(result)
    else:
        print("FTE Planner demo: Demo Borough Council\n")
        print(validation_text(est, limit=5))
        print("\nScenarios (savings and FTE against the baseline of no action):\n")
        print("\n".join("  " + line for line in kpi_table(kpis)))
        print(f"\nService risk (expected value; target chance from {DEMO_SIMULATIONS:,} "
              f"simulations, seed {DEMO_SEED}):\n")
        print("\n".join("  " + line for line in risk_table(kpis)))
        for target_name in written:
            print(f"\nWrote {target_name}")
        print("\nOpen the demo in the app with 'fteplan gui'.")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    """Start the desktop app, found through an entry point so ``planner`` never imports Qt."""
    from planner.frontends import frontend

    run_gui = frontend("gui", "The desktop app")
    return int(run_gui(str(args.file) if args.file else None))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
