"""Checks for defects in the Qt binding that would crash the app.

shiboken6 6.12.0 on Python 3.11 returns ``None`` to Python without taking a
reference each time a Qt method returns nothing (``label.setText(...)``,
``obj.parent()`` when there is no parent, …). Every such call lowers ``None``'s
reference count by one; after some tens of thousands of calls the count reaches
zero and the interpreter aborts with "Fatal Python error: none_dealloc". Python
3.12 and later are immune (``None`` is immortal there).

``pyproject.toml`` excludes that release; :func:`drops_none_references` lets a
test (and the app, at start-up) prove the installed binding is not affected.
"""

from __future__ import annotations

import logging
import sys

from PySide6.QtCore import QObject

log = logging.getLogger(__name__)

_PROBE_CALLS = 200


def drops_none_references() -> bool:
    """True if calling a Qt method that returns nothing loses a reference to ``None``."""
    if sys.version_info >= (3, 12):
        return False  # None is immortal: its reference count does not matter
    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(_PROBE_CALLS):
        probe.setObjectName("")
    lost = before - sys.getrefcount(None)
    return lost >= _PROBE_CALLS // 2


def warn_if_defective() -> bool:
    """Log a warning if the installed binding has the defect; True if it has."""
    if drops_none_references():
        log.warning("This PySide6/shiboken6 build loses references to None and will crash "
                    "after long use; install a PySide6 release other than 6.12.0.")
        return True
    return False
