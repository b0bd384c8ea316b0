"""Start the desktop app: ``fteplan-gui [FILE]`` and ``fteplan gui [FILE]``."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont, QGuiApplication, QIcon, QImage, QPixmap
from PySide6.QtWidgets import QApplication

from planner import __version__, bundled
from ui import compat, errors, palette
from ui.main_window import MainWindow
from ui.settings import APPLICATION, ORGANISATION, Settings

_GC: object | None = None  # kept alive for the life of the application

#: Segoe UI is the Windows UI font; the others are fallbacks on other systems.
FONT_FAMILIES = ["Segoe UI", "Noto Sans", "DejaVu Sans", "Helvetica Neue", "Arial"]


def create_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, created once, high-DPI safe, with names and font set."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # Must be set before the application exists; Qt 6 scales for high DPI by itself,
    # PassThrough keeps 125 % and 150 % Windows scaling crisp instead of rounding it.
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    _set_windows_app_id()
    app = QApplication(list(argv) if argv is not None else sys.argv[:1])
    app.setApplicationName(APPLICATION)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationDisplayName(APPLICATION)
    app.setApplicationVersion(__version__)
    apply_font(app)
    apply_icon(app)
    apply_saved_theme(app)
    # Python's cycle collector runs on whichever thread happens to allocate; if that is a
    # worker (a recomputation, a simulation) and the cycle holds a Qt widget, Qt crashes.
    # Collect on the GUI thread only, on a timer (pyqtgraph's recipe).
    from pyqtgraph.util.garbage_collector import GarbageCollector

    global _GC
    _GC = GarbageCollector(interval=1.0)
    compat.warn_if_defective()
    return app


def apply_icon(app: QApplication) -> None:
    """The FTE Planner icon for every window (and the taskbar, with the app id below)."""
    icon_file = bundled.resource("icons", "fteplan.png")
    if icon_file.is_file():
        image = QImage()
        if image.loadFromData(icon_file.read_bytes()):
            app.setWindowIcon(QIcon(QPixmap.fromImage(image)))


def apply_saved_theme(app: QApplication, settings: Settings | None = None) -> str:
    """The theme chosen last time, or the system's light/dark preference the first time."""
    chosen = (settings or Settings()).theme()
    if chosen is None:
        chosen = "dark" if palette.system_prefers_dark() else "light"
    return palette.apply_theme(chosen, app)


def apply_font(app: QApplication) -> None:
    """Prefer Segoe UI (the Windows UI font), keeping the platform's point size."""
    font = QFont(app.font())
    font.setFamilies(FONT_FAMILIES)
    app.setFont(font)


def _set_windows_app_id() -> None:
    """Give the taskbar our own icon group instead of python.exe's."""
    if sys.platform != "win32":
        return
    try:
        import ctypes

        ctypes.windll.shell32.SetCurrentProcessExplicitAppUserModelID(  # type: ignore[attr-defined]
            "FTEPlanner.FTEPlanner"
        )
    except (AttributeError, OSError):
        pass


def create_main_window(path: str | None = None, demo: bool = False) -> MainWindow:
    """The main window, shown; once the event loop runs it offers to recover unsaved work
    from a crash, then opens ``path`` (a project or a spreadsheet) or the demo council."""
    window = MainWindow()
    window.show()

    def start() -> None:
        recovered = window.files.offer_recovery()
        if path and not recovered:
            window.open_file(path)
        elif demo and not recovered:
            window.open_demo()

    QTimer.singleShot(0, start)
    return window


def run_gui(path: str | None = None, demo: bool = False) -> int:
    """Run the app until the main window closes; ``path`` (or the demo) is opened at start."""
    if sys.stderr is not None:  # None under pythonw (the windowed entry point)
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    app = create_application()
    errors.install_excepthook()
    window = create_main_window(path, demo)
    code = app.exec()
    del window
    return int(code)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="fteplan-gui", description="FTE Planner desktop app")
    parser.add_argument("file", nargs="?", help="project (.fteplan) or establishment file to open")
    parser.add_argument("--demo", action="store_true", help="open the demo council at start")
    parser.add_argument("--selftest", action="store_true",
                        help="check the installation (demo, scenarios, window, exports), then exit")
    parser.add_argument("--report", help="with --selftest: also write the report to this file")
    parser.add_argument("--version", action="version", version=f"FTE Planner {__version__}")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``fteplan-gui``."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.selftest:
        return run_selftest(args.report)
    return run_gui(args.file, args.demo)


def run_selftest(report: str | None = None) -> int:
    """``--selftest``: the checks of :mod:`ui.selftest` inside a real application."""
    from ui import selftest

    os.environ.setdefault(errors.ENV_ERRORS_TO_LOG, "1")  # a failure is reported, not shown
    app = create_application()
    code = selftest.run_selftest(report)
    app.processEvents()
    return code


if __name__ == "__main__":
    sys.exit(main())
