"""Paths to data shipped in the ``resources`` package (demo council, mapping profiles).

Everything goes through :mod:`importlib.resources` so it works from a checkout,
an installed wheel and a PyInstaller bundle alike.
"""

from __future__ import annotations

from importlib import resources
from importlib.resources.abc import Traversable

DEMO_WORKBOOK = "demo_council.xlsx"


def resource(*parts: str) -> Traversable:
    """A file or folder inside the ``resources`` package."""
    node = resources.files("resources")
    for part in parts:
        node = node / part
    return node


def demo_workbook() -> Traversable:
    """The embedded demo council establishment workbook."""
    return resource("demo", DEMO_WORKBOOK)


def profile_files() -> list[Traversable]:
    """The built-in mapping profiles (JSON), sorted by file name."""
    folder = resource("profiles")
    return sorted(
        (f for f in folder.iterdir() if f.name.endswith(".json")), key=lambda f: f.name
    )
