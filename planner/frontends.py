"""The Qt parts that the command line uses, found through entry points.

``planner`` never imports Qt (``tests/planner/test_architecture.py``), yet ``fteplan gui``
opens the desktop app and ``fteplan run --pdf`` draws the board pack with Qt's PDF
writer. Both are registered by the package under the ``fteplan.frontends`` entry-point
group (``pyproject.toml``) and looked up here by name.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from planner.errors import PlannerError

GROUP = "fteplan.frontends"


def frontend(name: str, what: str) -> Callable[..., Any]:
    """The function registered as ``name``; ``what`` names it in the error message."""
    found = [ep for ep in importlib.metadata.entry_points(group=GROUP) if ep.name == name]
    if not found:
        raise PlannerError(f"{what} is not installed; install FTE Planner with "
                           "'python -m pip install -e .' and try again.")
    try:
        function: Callable[..., Any] = found[0].load()
    except ImportError as exc:
        raise PlannerError(f"{what} could not start ({exc}).") from exc
    return function


def write_board_pack_pdf(pack: Any, path: Path) -> Path:
    """Draw a :class:`planner.board_pack.BoardPack` to ``path`` (PDF, A4 landscape)."""
    return Path(frontend("board_pack_pdf", "The PDF board pack writer")(pack, Path(path)))


def write_chart_pngs(pack: Any, folder: Path) -> Sequence[Path]:
    """The board pack's charts as PNG files in ``folder``."""
    return list(frontend("chart_pngs", "The chart writer")(pack, Path(folder)))
