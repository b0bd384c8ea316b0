"""Save screenshots of each main view at 1600×1000 into docs/screenshots/.

    python docs/make_screenshots.py

Runs offscreen with the demo council, so the pictures are reproducible.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("FTEPLAN_ERRORS_TO_LOG", "1")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
OUT = ROOT / "docs" / "screenshots"
SIZE = (1600, 1000)


def main() -> None:
    from PySide6.QtCore import QTimer

    from planner import bundled, importer
    from ui import palette
    from ui.app import create_application
    from ui.import_wizard import ImportWizard
    from ui.main_window import MainWindow
    from ui.settings import Settings
    from ui.workspace import (
        SECTION_COMPARE,
        SECTION_DASHBOARD,
        SECTION_ESTABLISHMENT,
        SECTION_SCENARIO,
    )

    app = create_application()
    palette.apply_theme("light", app)
    folder = Path(tempfile.mkdtemp())
    settings = Settings(folder / "settings.ini")
    OUT.mkdir(parents=True, exist_ok=True)

    from ui.event_wait import process_until

    def settle(wait_for=None, timeout: float = 120.0) -> None:
        process_until(wait_for, timeout)

    def shot(widget, name: str) -> None:
        settle()
        widget.repaint()
        path = OUT / f"{name}.png"
        widget.grab().save(str(path))
        print("saved", path.relative_to(ROOT))

    window = MainWindow(settings, recovery_folder=folder / "recovery")
    window.resize(*SIZE)
    window.show()
    shot(window, "01_welcome")

    wizard = ImportWizard(settings, bundled.demo_workbook(), parent=None)
    wizard.resize(*SIZE)
    wizard.show()
    settle()
    wizard.next()
    shot(wizard, "02_import_wizard_mapping")
    wizard.next()
    settle(lambda: wizard.establishment_ready() if hasattr(wizard, "establishment_ready")
           else not wizard.import_page.runner.is_running())
    shot(wizard, "03_import_wizard_quality")
    wizard.close()

    establishment = importer.load_establishment(bundled.demo_workbook())
    window.load_demo_now(establishment)
    model = window.model
    settle(lambda: all(model.results(i) is not None for i in range(len(model.scenarios))))

    posts = window.posts_view
    posts.set_filter("directorate", "Resources")
    window.show_section(SECTION_ESTABLISHMENT, 0)
    shot(window, "04_establishment_posts")
    posts.clear_filters()
    window.show_section(SECTION_ESTABLISHMENT, 1)
    shot(window, "05_establishment_summary")

    window.show_section(SECTION_SCENARIO, 0)
    shot(window, "06_scenario_actions")
    model.set_current(1)
    settle()
    window.show_section(SECTION_SCENARIO, 1)
    shot(window, "07_scenario_changes")
    model.set_current(0)
    settle()

    window.show_section(SECTION_DASHBOARD, 0)
    shot(window, "08_dashboard_service")
    window.show_section(SECTION_DASHBOARD, 1)
    shot(window, "09_dashboard_money")
    window.show_section(SECTION_DASHBOARD, 2)
    model.run_simulation(1000, 2027)
    settle(lambda: model.simulation_result() is not None)
    shot(window, "10_dashboard_uncertainty")
    window.show_section(SECTION_DASHBOARD, 3)
    model.run_advice()
    settle(lambda: model.advice() is not None)
    shot(window, "11_dashboard_advice")
    window.show_section(SECTION_COMPARE)
    shot(window, "12_compare")

    window.dark_action.setChecked(True)
    window.toggle_dark()
    window.show_section(SECTION_DASHBOARD, 0)
    shot(window, "13_dashboard_service_dark")
    window.dark_action.setChecked(False)
    window.toggle_dark()

    model.undo_stack.clear()
    model.mark_saved(folder / "demo.fteplan")
    model.shutdown()
    QTimer.singleShot(0, app.quit)
    window.close()


if __name__ == "__main__":
    main()
