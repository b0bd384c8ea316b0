"""Light and dark palettes read well; hidden pages redraw when they are shown."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from ui import palette
from ui.deferred import when_shown

Role = QPalette.ColorRole
PAIRS = [(Role.Text, Role.Base), (Role.WindowText, Role.Window),
         (Role.ButtonText, Role.Button), (Role.HighlightedText, Role.Highlight),
         (Role.ToolTipText, Role.ToolTipBase), (Role.Text, Role.AlternateBase)]


@pytest.mark.parametrize("theme", palette.THEMES)
def test_text_contrast_is_above_wcag_aa(theme: str) -> None:
    p = palette.palette(theme)
    for fore, back in PAIRS:
        assert palette.contrast_ratio(p.color(fore), p.color(back)) >= 4.5, (theme, fore, back)
    assert palette.contrast_ratio(p.color(Role.Link), p.color(Role.Base)) >= 4.5


def test_contrast_ratio_matches_wcag_examples() -> None:
    from PySide6.QtGui import QColor

    assert palette.contrast_ratio(QColor("black"), QColor("white")) == pytest.approx(21.0)
    assert palette.contrast_ratio(QColor("#777777"), QColor("white")) == pytest.approx(4.48,
                                                                                      abs=0.01)


def test_switching_theme_recolours_charts(qtbot, window) -> None:
    from ui.chart_base import theme

    try:
        window.dark_action.setChecked(True)
        window.toggle_dark()
        assert palette.current_theme() == "dark"
        assert window.settings.theme() == "dark"
        background, text = theme()
        assert background.lightness() < 60 and text.lightness() > 200
    finally:
        window.dark_action.setChecked(False)
        window.toggle_dark()
    assert palette.current_theme() == "light"


class _Page(QLabel):
    def __init__(self) -> None:
        super().__init__("page")
        self.calls: list[int] = []

    @when_shown
    def on_changed(self, index: int) -> None:
        self.calls.append(index)


def test_hidden_page_waits_until_shown_and_replays_each_call_once(qtbot) -> None:
    root = QWidget()
    qtbot.addWidget(root)
    tabs = QTabWidget()
    first, second = _Page(), _Page()
    tabs.addTab(first, "One")
    tabs.addTab(second, "Two")
    QVBoxLayout(root).addWidget(tabs)
    root.show()
    qtbot.waitExposed(root)
    first.on_changed(1)
    second.on_changed(1)
    second.on_changed(2)
    second.on_changed(1)  # the same call again: made once, after the others
    assert first.calls == [1]
    assert second.calls == []
    tabs.setCurrentIndex(1)
    assert second.calls == [2, 1]
    tabs.setCurrentIndex(0)
    tabs.setCurrentIndex(1)
    assert second.calls == [2, 1]  # nothing new to replay


def test_a_view_on_its_own_runs_at_once(qtbot) -> None:
    page = _Page()
    qtbot.addWidget(page)
    page.on_changed(3)  # not shown, not inside a shown window: no deferral
    assert page.calls == [3]
