"""The domain package must stay free of Qt and of the ui package (DEVELOPERS.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import planner

FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "pyqtgraph", "ui", "qtpy")


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "import_module":
            for arg in node.args[:1]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    roots.add(arg.value.split(".")[0])
    return roots


def test_planner_never_imports_qt_or_ui() -> None:
    package_dir = Path(planner.__file__).parent
    files = sorted(package_dir.rglob("*.py"))
    assert len(files) > 5, "the planner package was not found"
    offenders = {
        str(f.relative_to(package_dir)): sorted(_imported_roots(f) & set(FORBIDDEN))
        for f in files
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"planner modules import Qt or ui: {offenders}"


def test_the_checker_catches_a_qt_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport ui.app\n", encoding="utf-8")
    assert {"PySide6", "ui"} <= _imported_roots(bad)
