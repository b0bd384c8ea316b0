"""Save every presentation-mode slide of the demo at 1920×1080 and at 1366×768.

    python docs/make_presentation_screenshots.py [--theme dark] [--out FOLDER]

Runs offscreen with the demo council and its three scenarios; the window is
resized to exactly each size (there is no real screen to fill) and each slide is
saved as ``docs/screenshots/presentation/1920x1080_03_capacity.png`` and so on.
``--theme dark`` switches the app to its dark palette first: the slides must look
the same (they keep their projector colours).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FTEPLAN_ERRORS_TO_LOG", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots" / "presentation"
SIZES = ((1920, 1080), (1366, 768))
MADE_ON = dt.date(2026, 11, 23)  # a fixed date: the pictures do not change from day to day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", choices=("light", "dark"), default="light")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()

    from PySide6.QtCore import QSize

    from planner import bundled, importer
    from planner.demo import demo_scenarios
    from planner.project import Project
    from ui import palette
    from ui.app import create_application
    from ui.presentation import PresentationWindow
    from ui.project_model import ProjectModel

    app = create_application()
    palette.apply_theme(args.theme, app)
    model = ProjectModel()
    model.load(Project(importer.load_establishment(bundled.demo_workbook()), demo_scenarios()))

    from ui.event_wait import process_until

    def settle(wait_for=None, timeout: float = 120.0) -> None:
        process_until(wait_for, timeout)

    settle(lambda: all(model.results(i) is not None for i in range(len(model.scenarios))))
    args.out.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        window = PresentationWindow(model, made_on=MADE_ON)
        window.start(size=QSize(width, height))
        settle()
        for i, key in enumerate(window.slide_keys()):
            window.go_to(i)
            settle()
            window.grab()  # the first paint sizes the axes to their tick labels
            settle()
            path = args.out / f"{width}x{height}_{i + 1:02d}_{key}.png"
            window.grab().save(str(path))
            print("saved", path)
        window.close()
        window.deleteLater()
        settle()
    model.shutdown()


if __name__ == "__main__":
    main()
