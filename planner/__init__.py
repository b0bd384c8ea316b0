"""FTE Planner domain: establishment import, scenarios, engine, costs, exports.

This package is pure Python and must never import Qt (PySide6, pyqtgraph) or
the ``ui`` package; ``tests/planner/test_architecture.py`` enforces it.
"""

__version__ = "0.1.0"
