"""Run the Qt event loop until something is true (scripts and the self-test; not tests,
which use qtbot.waitUntil)."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication


def process_until(wait_for: Callable[[], object] | None = None, timeout: float = 120.0) -> bool:
    """Process events until ``wait_for()`` is true or ``timeout`` seconds pass; True if met."""
    end = time.monotonic() + timeout
    met = wait_for is None
    while True:
        QCoreApplication.processEvents()
        if wait_for is not None and wait_for():
            met = True
        if met or time.monotonic() > end:
            break
        time.sleep(0.01)
    for _ in range(5):
        QCoreApplication.processEvents()
    return met
