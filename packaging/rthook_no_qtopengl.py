"""PyInstaller runtime hook: a stand-in for PySide6.QtOpenGL in the packaged app.

pyqtgraph 0.14 imports ``PySide6.QtOpenGL`` when its curve and colour-mesh items are
imported, but uses it only to draw with OpenGL, which FTE Planner never switches on
(pyqtgraph's ``useOpenGL`` option stays False). The binding is 8.9 MB of the bundle, so
build.spec leaves it out and this hook registers an empty module in its place before the
app starts. ``PySide6.QtOpenGLWidgets`` (which pyqtgraph subclasses at import time) is real
and loads without the Python binding of QtOpenGL. Anything that does reach for an OpenGL
class gets an error that says why, instead of a crash.
"""

import sys
import types


def _install() -> None:
    import PySide6

    stub = types.ModuleType("PySide6.QtOpenGL", __doc__)

    def __getattr__(name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"PySide6.QtOpenGL.{name} is not part of the packaged FTE Planner "
            "(it never draws with OpenGL)")

    stub.__getattr__ = __getattr__  # type: ignore[method-assign]
    sys.modules["PySide6.QtOpenGL"] = stub
    PySide6.QtOpenGL = stub  # type: ignore[attr-defined]


if "PySide6.QtOpenGL" not in sys.modules:
    _install()
