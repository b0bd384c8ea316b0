"""Every Alt+letter on a visible page is unique: no clash with the menus, the tabs, or
another control on the same page (Qt would cycle between them instead of acting)."""

from __future__ import annotations

import re
from collections import Counter

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabBar, QTabWidget

from tests.ui.conftest import demo_establishment


def _mnemonic(text: str) -> str | None:
    match = re.search(r"&([^&])", text.replace("&&", ""))
    return match.group(1).casefold() if match else None


def _visible_texts(window) -> list[str]:
    texts = [a.text() for a in window.menuBar().actions()]
    texts += [b.text() for b in window.findChildren(QAbstractButton)
              if b.isVisible() and b.isEnabled()]
    texts += [lb.text() for lb in window.findChildren(QLabel)
              if lb.isVisible() and lb.buddy() is not None]
    texts += [g.title() for g in window.findChildren(QGroupBox) if g.isVisible()]
    for bar in window.findChildren(QTabBar):
        if bar.isVisible():
            texts += [bar.tabText(i) for i in range(bar.count())]
    return texts


def clashes(window, qtbot) -> list[tuple[str, str, list[str]]]:
    found = []
    ws = window.workspace
    for section in range(ws.count()):
        inner = ws.widget(section)
        for tab in range(inner.count() if isinstance(inner, QTabWidget) else 1):
            ws.show_section(section, tab if isinstance(inner, QTabWidget) else None)
            qtbot.wait(1)
            texts = _visible_texts(window)
            letters = Counter(m for m in map(_mnemonic, texts) if m)
            for letter, n in letters.items():
                if n > 1:
                    same = sorted({t for t in texts if _mnemonic(t) == letter})
                    where = ws.tabText(section) + (f" / {inner.tabText(tab)}"
                                                   if isinstance(inner, QTabWidget) else "")
                    found.append((where, letter, same))
    return found


def test_no_alt_letter_is_used_twice_on_any_page(window, qtbot) -> None:
    window.load_demo_now(demo_establishment())
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: all(window.model.results(i) is not None for i in range(3)),
                    timeout=30000)
    assert clashes(window, qtbot) == []
