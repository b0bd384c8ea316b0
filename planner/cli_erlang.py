"""``fteplan erlang``: agents needed for a contact-centre service level (DESIGN §7)."""

from __future__ import annotations

import argparse
import math
from typing import Any

EXIT_OK = 0


def add_parser(sub: Any, common: argparse.ArgumentParser) -> None:
    e = sub.add_parser("erlang", parents=[common],
                       help="Erlang C: agents needed for a service level, and what agents give")
    e.add_argument("--calls", type=float, required=True, help="calls offered in each interval")
    e.add_argument("--interval-minutes", type=float, default=30.0,
                   help="length of the interval in minutes (default 30)")
    e.add_argument("--aht", type=float, required=True,
                   help="average handle time in seconds (talk + hold + wrap-up)")
    e.add_argument("--target", type=float, default=0.8,
                   help="service-level target as a fraction (default 0.8 for 80%%)")
    e.add_argument("--answer-seconds", type=float, default=20.0,
                   help="answered within this many seconds (default 20)")
    e.add_argument("--shrinkage", type=float, default=0.0,
                   help="fraction of paid time off the phones, e.g. 0.3 (default 0)")
    e.add_argument("--agents", type=int,
                   help="also report the service level this many agents give")


def _pct(fraction: float) -> str:
    return f"{fraction * 100:.4g}%"


def _wait(seconds: float) -> str:
    return f"{seconds:,.1f} s" if math.isfinite(seconds) else "unbounded"


def cmd_erlang(args: argparse.Namespace) -> int:
    from planner.cli import print_json
    from planner.erlang import staffing

    result = staffing(args.calls, args.interval_minutes, args.aht, args.target,
                      args.answer_seconds, shrinkage=args.shrinkage, agents=args.agents)
    if args.json:
        print_json({"calls": args.calls, "interval_minutes": args.interval_minutes,
                    "aht_seconds": args.aht, "target": args.target,
                    "answer_seconds": args.answer_seconds, **result.to_dict()})
        return EXIT_OK
    print(f"Traffic {result.traffic_erlangs:,.2f} erlangs ({args.calls:,g} calls in "
          f"{args.interval_minutes:g} minutes, {args.aht:g} s handle time)")
    print(f"Agents needed for {_pct(args.target)} answered in {args.answer_seconds:g} s: "
          f"{result.agents:,} (service level {result.service_level:.1%}, average speed of "
          f"answer {_wait(result.asa_seconds)}, occupancy {result.occupancy:.0%})")
    print(f"To schedule at {_pct(result.shrinkage)} shrinkage: {result.scheduled_fte:,}")
    if result.given_agents is not None:
        if result.given_overloaded:
            print(f"With {result.given_agents:,} agents: the queue grows without limit "
                  f"(service level 0%; more than {result.traffic_erlangs:,.2f} agents are "
                  "needed just to keep up)")
        else:
            assert result.given_service_level is not None
            assert result.given_asa_seconds is not None and result.given_occupancy is not None
            print(f"With {result.given_agents:,} agents: service level "
                  f"{result.given_service_level:.1%}, average speed of answer "
                  f"{_wait(result.given_asa_seconds)}, occupancy "
                  f"{result.given_occupancy:.0%}")
    return EXIT_OK
