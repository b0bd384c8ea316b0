"""How presentation mode looks: fixed projector colours and font sizes from the screen.

Colours: dark text on a white ground whatever the app's theme. Council meeting
rooms are lit, and a projector in a lit room cannot show black: a dark slide
turns grey and its light-grey or coloured text washes out, while black text on
white keeps its contrast (and matches the printed board pack). The Okabe–Ito
colours the charts use were also chosen against white. Quiet text (footer,
details) is a dark grey with a contrast of 8:1, not a light grey.

Sizes: fonts are worked out from the window's height in logical pixels and the
screen's logical DPI (so Windows display scaling is respected), then held
between multiples of the app's own font: headings 2.5–3×, tick labels, legends
and body text 1.6–2×. A 1920×1080 projector gets the top of each range and a
1366×768 laptop the bottom, without any fixed pixel size.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from ui import chart_base
from ui.palette import palette

BACKGROUND = QColor("#ffffff")
TEXT = QColor("#111111")
QUIET = QColor("#4d4d4d")  # footer and details: 8.5:1 on white, still "quiet"
STRIPE = QColor("#eeeeee")  # every other row of a table
RULE = QColor("#9a9a9a")


@dataclass(frozen=True)
class SlideFonts:
    """Point sizes of the slide texts, and the slide margin in pixels."""

    heading: float  # slide headings
    huge: float  # the scenario name on the title slide
    big: float  # the headline figures
    body: float  # sentences, table text, the risk letters
    tick: float  # axis tick labels, axis titles, legends, labels in charts
    small: float  # the footer
    margin: int


#: (share of the window height, lowest and highest multiple of the app font)
_SIZES = {
    "heading": (0.0333, 2.5, 3.0),
    "huge": (0.075, 5.0, 7.0),
    "big": (0.065, 4.0, 5.5),
    "body": (0.0222, 1.6, 2.0),
    "tick": (0.0205, 1.6, 2.0),
    "small": (0.0135, 1.1, 1.35),
}


def slide_fonts(height: int, dpi: float, app_points: float) -> SlideFonts:
    """Font sizes for a window ``height`` logical pixels tall on a screen of ``dpi``
    logical dots per inch, when the app's font is ``app_points``."""
    dpi = dpi if dpi > 0 else 96.0
    app_points = app_points if app_points > 0 else 9.0

    def size(key: str) -> float:
        share, low, high = _SIZES[key]
        points = share * height * 72.0 / dpi
        return round(min(max(points, low * app_points), high * app_points), 1)

    return SlideFonts(heading=size("heading"), huge=size("huge"), big=size("big"),
                      body=size("body"), tick=size("tick"), small=size("small"),
                      margin=max(12, round(0.03 * height)))


def app_point_size() -> float:
    """The app font's size in points (converted when it was set in pixels)."""
    app = QApplication.instance()
    font = app.font() if isinstance(app, QApplication) else QFont()
    if font.pointSizeF() > 0:
        return font.pointSizeF()
    screen = app.primaryScreen() if isinstance(app, QApplication) else None
    dpi = screen.logicalDotsPerInchY() if screen is not None else 96.0
    return font.pixelSize() * 72.0 / dpi if font.pixelSize() > 0 else 9.0


def sized(widget: QWidget, points: float, bold: bool = False) -> QFont:
    """The widget's font family at ``points`` (never a hard-coded family)."""
    font = QFont(widget.font())
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


def set_text_colour(label: QLabel, colour: QColor) -> None:
    pal = label.palette()
    pal.setColor(QPalette.ColorRole.WindowText, colour)
    pal.setColor(QPalette.ColorRole.Text, colour)
    label.setPalette(pal)


def projector_palette() -> QPalette:
    """The light palette with a pure white ground and near-black text."""
    pal = palette("light")
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base):
        pal.setColor(role, BACKGROUND)
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text,
                 QPalette.ColorRole.ButtonText):
        pal.setColor(role, TEXT)
    pal.setColor(QPalette.ColorRole.AlternateBase, STRIPE)
    return pal


@contextmanager
def projector_colours() -> Iterator[None]:
    """Charts drawn inside this block take the projector colours, not the app's theme.

    :class:`ui.chart_base.Chart` reads its colours from the application palette
    (``chart_base.theme()``); slides must stay dark-on-white when the app is dark,
    so the function is swapped for the length of a (synchronous, GUI-thread) draw.
    """
    saved = chart_base.theme
    chart_base.theme = lambda: (QColor(BACKGROUND), QColor(TEXT))
    try:
        yield
    finally:
        chart_base.theme = saved
