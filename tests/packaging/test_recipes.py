"""The packaging recipes agree with the app: build.spec, the version file, Inno Setup, CI.

The bundle itself is built and run by ``tools/smoke_bundle.py`` (``FULL=1 .ci/run``);
these fast checks run the spec with stand-ins for PyInstaller's classes and read the
installer and workflow files, so a rename or a wrongly excluded module fails here first.
"""

from __future__ import annotations

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest

from planner import __version__

ROOT = Path(__file__).resolve().parents[2]


def load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VERSION_INFO = load(ROOT / "packaging" / "version_info.py")


class Recorder:
    """Stands in for one of PyInstaller's spec classes and keeps its arguments."""

    calls: ClassVar[dict[str, Recorder]] = {}

    def __init__(self, kind: str, *args: object, **kwargs: object) -> None:
        self.kind, self.args, self.kwargs = kind, args, kwargs
        self.datas = list(kwargs.get("datas", []))  # type: ignore[call-overload]
        self.binaries: list[tuple[str, str, str]] = []
        self.pure: list[object] = []
        self.scripts: list[object] = []
        Recorder.calls[kind] = self


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Recorder]:
    Recorder.calls = {}
    dist = tmp_path_factory.mktemp("dist")
    names = {kind: (lambda *a, _k=kind, **k: Recorder(_k, *a, **k))
             for kind in ("Analysis", "PYZ", "EXE", "COLLECT")}
    code = compile((ROOT / "build.spec").read_text(encoding="utf-8"), "build.spec", "exec")
    exec(code, {"SPECPATH": str(ROOT), "DISTPATH": str(dist), "__name__": "__main__", **names})
    return dict(Recorder.calls)


def test_spec_makes_a_windowed_one_folder_app_named_fte_planner(spec: dict[str, Recorder]) -> None:
    exe, coll = spec["EXE"].kwargs, spec["COLLECT"].kwargs
    assert exe["name"] == coll["name"] == "FTE Planner" == VERSION_INFO.APP_NAME
    assert exe["console"] is False
    assert exe["exclude_binaries"] is True  # one folder, not one file
    assert exe["strip"] is False and coll["strip"] is False  # stripping breaks OpenBLAS
    assert Path(str(exe["icon"])).is_file()
    assert str(exe["icon"]).endswith(".ico") or sys.platform == "darwin"


def test_spec_ships_resources_at_the_same_relative_path(spec: dict[str, Recorder]) -> None:
    datas = spec["Analysis"].kwargs["datas"]
    assert (str(ROOT / "resources"), "resources") in datas  # type: ignore[operator]


def test_spec_keeps_what_pyqtgraph_imports_and_excludes_other_bindings(
        spec: dict[str, Recorder]) -> None:
    analysis = spec["Analysis"].kwargs
    hidden, excludes = analysis["hiddenimports"], analysis["excludes"]
    assert "PySide6.QtOpenGLWidgets" in hidden  # type: ignore[operator]
    for binding in ("PyQt5", "PyQt6", "PySide2"):
        assert binding in excludes  # type: ignore[operator]
    for needed in ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets",
                   "PySide6.QtOpenGLWidgets", "PySide6.QtSvg"):
        assert needed not in excludes  # type: ignore[operator]
    # The QtOpenGL binding is left out and the runtime hook puts an empty module in its place.
    assert "PySide6.QtOpenGL" in excludes  # type: ignore[operator]
    assert str(RTHOOK) in analysis["runtime_hooks"]  # type: ignore[operator]


RTHOOK = ROOT / "packaging" / "rthook_no_qtopengl.py"


def test_charts_draw_with_the_stand_in_for_qtopengl() -> None:
    """What the bundle does: the runtime hook runs first, then pyqtgraph imports and draws
    every kind of item the app uses, without the real QtOpenGL binding ever loading."""
    probe = (
        "import runpy, sys\n"
        f"runpy.run_path({str(RTHOOK)!r})\n"
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "import pyqtgraph as pg\n"
        "import numpy as np\n"
        "from ui.chart_base import Chart\n"
        "c = Chart('Capacity', 'FTE')\n"
        "c.set_months(['Apr', 'May', 'Jun'])\n"
        "c.add_line('Demand', np.array([1.0, 2.0, 3.0]))\n"
        "c.add_item('Bars', pg.BarGraphItem(x=[0, 1, 2], height=[1, 2, 3], width=0.6))\n"
        "img = pg.ImageItem(np.arange(12.0).reshape(3, 4))\n"
        "c.add_item('Heat', img)\n"
        "c.resize(400, 300); c.show(); app.processEvents()\n"
        "assert not c.grab().isNull()\n"
        "import PySide6.QtOpenGL as gl\n"
        "assert not hasattr(gl, '__file__'), 'the real binding loaded'\n"
        "try:\n"
        "    gl.QOpenGLBuffer\n"
        "except AttributeError as exc:\n"
        "    assert 'never draws with OpenGL' in str(exc)\n"
        "else:\n"
        "    raise SystemExit('the stand-in has an OpenGL class')\n"
        "print('drawn')\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=ROOT, env={**_env(), "QT_QPA_PLATFORM": "offscreen"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("drawn")


def test_nothing_the_app_imports_is_excluded(spec: dict[str, Recorder]) -> None:
    """Import every module of the app in a fresh interpreter and run a demo scenario with
    redeployment, pools and a simulation: none of the modules it loads may be excluded."""
    probe = (
        "import importlib, json, pkgutil, sys\n"
        "import planner, ui\n"
        "for pkg in (planner, ui):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__, pkg.__name__ + '.'):\n"
        "        if not m.name.endswith(('__main__', 'make_demo_council')):\n"
        "            importlib.import_module(m.name)\n"
        "from importlib.resources import as_file\n"
        "from planner.bundled import demo_workbook\n"
        "from planner.importer import load_establishment\n"
        "from planner.demo import demo_scenarios\n"
        "from planner.runner import run_scenario\n"
        "from planner.montecarlo import simulate\n"
        "with as_file(demo_workbook()) as p:\n"
        "    est = load_establishment(p)\n"
        "for sc in demo_scenarios():\n"
        "    simulate(run_scenario(est.posts, sc), 20, seed=1)\n"
        "print(json.dumps(sorted(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={**_env(), "QT_QPA_PLATFORM": "offscreen"})
    loaded = set(json.loads(out.stdout.strip().splitlines()[-1]))
    excludes = spec["Analysis"].kwargs["excludes"]
    wrongly = sorted(m for m in loaded for ex in excludes  # type: ignore[attr-defined]
                     if (m == ex or m.startswith(ex + ".")) and m not in OPTIONAL_IMPORTS)
    assert not wrongly, f"build.spec excludes modules the app loads: {wrongly}"


#: Imported inside ``try: … except ImportError`` by a library, so excluding them is safe:
#: pyqtgraph.Qt imports QtTest for its own test helpers, which the app never uses; hashlib
#: uses OpenSSL's _hashlib when present and its own SHA-256 otherwise (the self-test saves
#: and reopens a project, whose checksum needs it). PySide6.QtOpenGL is imported by
#: pyqtgraph but replaced by the runtime hook's stand-in (tested above).
OPTIONAL_IMPORTS = {"PySide6.QtTest", "_hashlib", "PySide6.QtOpenGL"}


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


def test_version_file_carries_the_package_version() -> None:
    text = VERSION_INFO.version_info_text(__version__)
    numbers = VERSION_INFO.version_tuple(__version__)
    assert f"filevers={numbers}" in text and f"prodvers={numbers}" in text
    assert f"StringStruct('ProductVersion', '{__version__}')" in text
    assert "StringStruct('OriginalFilename', 'FTE Planner.exe')" in text
    # The text is the Python expression PyInstaller evaluates: it must evaluate.
    names = ("VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct")
    built = eval(text, {n: (lambda *a, _n=n, **k: (_n, a, k)) for n in names})
    assert built[0] == "VSVersionInfo"


@pytest.mark.parametrize(("version", "expected"), [
    ("0.1.0", (0, 1, 0, 0)), ("1.2.3.4", (1, 2, 3, 4)), ("2.0rc1", (2, 0, 1, 0)),
    ("1.4.0.dev3+g1234", (1, 4, 0, 3)), ("7", (7, 0, 0, 0)),
])
def test_version_tuple(version: str, expected: tuple[int, int, int, int]) -> None:
    assert VERSION_INFO.version_tuple(version) == expected


def test_version_tuple_refuses_a_version_without_numbers() -> None:
    with pytest.raises(ValueError, match="no numbers"):
        VERSION_INFO.version_tuple("dev")


def test_icon_holds_every_windows_size() -> None:
    data = (ROOT / "resources" / "icons" / "fteplan.ico").read_bytes()
    reserved, kind, count = int.from_bytes(data[0:2], "little"), \
        int.from_bytes(data[2:4], "little"), int.from_bytes(data[4:6], "little")
    assert (reserved, kind) == (0, 1)
    sides = {data[6 + 16 * i] or 256 for i in range(count)}
    assert {16, 32, 48, 256} <= sides


def test_inno_setup_script_installs_the_bundle_with_association_and_shortcut() -> None:
    iss = (ROOT / "packaging" / "windows" / "fteplan.iss").read_text(encoding="utf-8")
    assert '#define AppExeName "FTE Planner.exe"' in iss
    assert '#define SourceDir "..\\..\\dist\\FTE Planner"' in iss
    assert "PrivilegesRequired=lowest" in iss
    assert "PrivilegesRequiredOverridesAllowed=dialog commandline" in iss  # per user or machine
    assert "DefaultDirName={autopf}" in iss
    assert re.search(r'Name: "\{autoprograms\}\\\{#AppName\}"', iss)  # Start menu
    assert '#define AssocExt ".fteplan"' in iss and "ChangesAssociations=yes" in iss
    assert '""%1""' in iss  # the opened file is passed to the app
    assert (ROOT / "packaging" / "windows" / "..\\..\\resources\\icons\\fteplan.ico"
            .replace("\\", "/")).resolve().is_file()
    assert re.search(r"^AppId=\{\{[0-9A-F-]{36}\}$", iss, re.M)


def test_release_workflow_builds_selftests_and_packages() -> None:
    yml = (ROOT / ".github" / "workflows" / "release.yml").read_text(encoding="utf-8")
    assert "runs-on: windows-latest" in yml
    assert "PyInstaller --noconfirm build.spec" in yml
    assert '"--selftest"' in yml and "ExitCode" in yml
    assert "packaging\\windows\\fteplan.iss" in yml
    assert "/DAppVersion=" in yml


def test_packaging_folder_never_shadows_the_packaging_library() -> None:
    # pip, setuptools and PyInstaller import 'packaging'; a package of ours by that name
    # on sys.path (the checkout's root) would break them.
    assert not (ROOT / "packaging" / "__init__.py").exists()
    import packaging.version

    assert "site-packages" in str(packaging.version.__file__) or "dist-packages" in str(
        packaging.version.__file__)
