"""Light and dark palettes that both read well, on the Fusion style on every platform.

Fusion draws the same on Windows, macOS and Linux, so the colours chosen here
are the colours users see. Both palettes keep text contrast above WCAG AA
(4.5:1) for normal text, and links and highlights above 3:1 against their
backgrounds; the test in ``tests/ui`` checks those ratios.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

THEMES = ("light", "dark")

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup

_LIGHT = {
    _Role.Window: "#f3f3f3", _Role.WindowText: "#1a1a1a", _Role.Base: "#ffffff",
    _Role.AlternateBase: "#f0f4f8", _Role.ToolTipBase: "#ffffe8", _Role.ToolTipText: "#1a1a1a",
    _Role.PlaceholderText: "#6b6b6b", _Role.Text: "#1a1a1a", _Role.Button: "#e8e8e8",
    _Role.ButtonText: "#1a1a1a", _Role.BrightText: "#ffffff", _Role.Light: "#ffffff",
    _Role.Midlight: "#e0e0e0", _Role.Mid: "#b0b0b0", _Role.Dark: "#8a8a8a",
    _Role.Shadow: "#5a5a5a", _Role.Highlight: "#005a9e", _Role.HighlightedText: "#ffffff",
    _Role.Link: "#0b5cad", _Role.LinkVisited: "#6b3fa0",
}
_DARK = {
    _Role.Window: "#202124", _Role.WindowText: "#e8e8e8", _Role.Base: "#17181a",
    _Role.AlternateBase: "#24272b", _Role.ToolTipBase: "#303134", _Role.ToolTipText: "#e8e8e8",
    _Role.PlaceholderText: "#9a9a9a", _Role.Text: "#e8e8e8", _Role.Button: "#2d2f33",
    _Role.ButtonText: "#e8e8e8", _Role.BrightText: "#ffffff", _Role.Light: "#3c3f44",
    _Role.Midlight: "#34373b", _Role.Mid: "#4a4d52", _Role.Dark: "#151617",
    _Role.Shadow: "#000000", _Role.Highlight: "#3d8fd6", _Role.HighlightedText: "#0b0b0b",
    _Role.Link: "#8cc4ff", _Role.LinkVisited: "#c6a6ff",
}
_DISABLED = {"light": "#8a8a8a", "dark": "#7a7a7a"}


def palette(theme: str) -> QPalette:
    """The palette for ``"light"`` or ``"dark"``."""
    colours = _DARK if theme == "dark" else _LIGHT
    result = QPalette()
    for role, colour in colours.items():
        result.setColor(role, QColor(colour))
    for role in (_Role.Text, _Role.WindowText, _Role.ButtonText):
        result.setColor(_Group.Disabled, role, QColor(_DISABLED[theme if theme in THEMES
                                                                 else "light"]))
    return result


_current = "light"


def current_theme() -> str:
    """The theme last applied with :func:`apply_theme`."""
    return _current


def apply_theme(theme: str, app: QApplication | None = None) -> str:
    """Switch the application to a theme ("light" or "dark"); returns the theme applied."""
    global _current
    theme = theme if theme in THEMES else "light"
    _current = theme
    instance = app or QApplication.instance()
    if not isinstance(instance, QApplication):
        return theme
    style = QStyleFactory.create("Fusion")
    if style is not None:
        instance.setStyle(style)
    instance.setPalette(palette(theme))
    return theme


def system_prefers_dark() -> bool:
    """True when the operating system asks for a dark appearance (Windows 10+ and others)."""
    hints = QGuiApplication.styleHints()
    try:
        from PySide6.QtCore import Qt

        return bool(hints.colorScheme() == Qt.ColorScheme.Dark)
    except AttributeError:
        return False


def contrast_ratio(a: QColor, b: QColor) -> float:
    """WCAG 2 contrast ratio between two colours (1 to 21)."""

    def luminance(c: QColor) -> float:
        def channel(v: float) -> float:
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4

        return (0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF())
                + 0.0722 * channel(c.blueF()))

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)
