"""The demo council's prepared scenarios (``resources/demo/scenarios/*.json``)."""

from __future__ import annotations

import json

from planner.bundled import resource
from planner.scenario import Scenario
from planner.scenario_io import scenario_from_dict


def demo_scenarios() -> list[Scenario]:
    """The prepared scenarios, in file-name order."""
    folder = resource("demo", "scenarios")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".json")),
                   key=lambda f: f.name)
    return [scenario_from_dict(json.loads(f.read_text(encoding="utf-8")), source=f.name)
            for f in files]
