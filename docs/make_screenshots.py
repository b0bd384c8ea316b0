"""Make the README screenshots of the main window with the demo council loaded.

    python docs/make_screenshots.py [--out docs]

Renders off screen by default (set QT_QPA_PLATFORM to use a real display) and
never touches the user's settings. Writes:

- screenshot-main-window.png (the Posts tab, 1400 × 850)
- screenshot-summary.png
- screenshot-data-quality.png
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SIZE = (1400, 850)
SHOTS = (
    (0, "screenshot-main-window.png"),
    (1, "screenshot-summary.png"),
    (2, "screenshot-data-quality.png"),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent)
    args = parser.parse_args(argv)

    from planner import bundled
    from planner.importer import load_establishment
    from ui import errors
    from ui.app import create_application
    from ui.main_window import MainWindow
    from ui.settings import Settings

    app = create_application(["make_screenshots"])
    errors.install_excepthook(log_instead=True)
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(Settings(Path(tmp) / "settings.ini"))
        window.resize(*SIZE)
        window.show()
        establishment = load_establishment(Path(str(bundled.demo_workbook())))
        window.show_establishment(establishment)  # synchronously, no worker thread
        window.posts_view.select_first_row()
        app.processEvents()
        args.out.mkdir(parents=True, exist_ok=True)
        for tab, name in SHOTS:
            window.show_tab(tab)
            app.processEvents()
            path = args.out / name
            if not window.grab().save(str(path)):
                print(f"Could not write {path}", file=sys.stderr)
                return 1
            print(f"Wrote {path}")
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
