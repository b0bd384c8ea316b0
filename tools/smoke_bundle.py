"""Build the packaged app with PyInstaller and run it with ``--selftest`` (the smoke test).

    python tools/smoke_bundle.py [--dist DIR] [--no-build]

Builds ``build.spec`` into ``DIR`` (default ``build/smoke``), reports the bundle's size,
runs ``FTE Planner --selftest`` offscreen with a time limit, and fails (exit 1) when the
self-test fails, when the app prints an import error or a Python traceback, when Qt cannot
load its platform plugin, or when the bundle is 250 MB or more. ``.ci/run`` runs it when
``FULL=1`` is set; it takes about two minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP_NAME = "FTE Planner"
#: The bundle's size limit in MB (10^6 bytes), from the issue that asked for the bundle. The
#: Linux bundle is the larger (it also carries Qt's ICU data, 32 MB, and the X11, D-Bus and
#: font libraries, 13 MB, that Windows does not need), so passing here bounds both.
SIZE_LIMIT_MB = 250
SELFTEST_TIMEOUT_S = 180
#: Output that means a broken bundle even if the exit code were 0.
BAD_OUTPUT = re.compile(
    r"Traceback \(most recent call last\)|ModuleNotFoundError|ImportError"
    r"|Could not load the Qt platform plugin|Failed to execute script|FAILED"
)


def folder_size(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file() and not f.is_symlink())


def build(dist: Path, work: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(dist), "--workpath", str(work), str(ROOT / "build.spec")],
                   cwd=ROOT, check=True)
    return time.perf_counter() - started


def executable(dist: Path) -> Path:
    name = APP_NAME + (".exe" if sys.platform == "win32" else "")
    return dist / APP_NAME / name


def run_selftest(exe: Path, report: Path) -> tuple[int, str, dict[str, float]]:
    """Run the self-test; the output, and when its first line and the window appeared."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("PYTHONPATH", None)  # the bundle must not find the checkout's modules
    started = time.perf_counter()
    times: dict[str, float] = {}
    lines: list[str] = []
    with subprocess.Popen([str(exe), "--selftest", "--report", str(report)], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                          cwd=report.parent) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            now = time.perf_counter() - started
            lines.append(line.rstrip("\n"))
            times.setdefault("first output", now)
            if "ok  window" in line:
                times["window drawn with the demo computed"] = now
            if now > SELFTEST_TIMEOUT_S:
                proc.kill()
                lines.append(f"Killed after {SELFTEST_TIMEOUT_S} s.")
                break
        code = proc.wait(timeout=SELFTEST_TIMEOUT_S)
    times["exit"] = time.perf_counter() - started
    return code, "\n".join(lines), times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "build" / "smoke" / "dist")
    parser.add_argument("--no-build", action="store_true", help="reuse an existing bundle")
    args = parser.parse_args(argv)
    dist: Path = args.dist.resolve()
    if not args.no_build:
        seconds = build(dist, dist.parent / "work")
        print(f"Built {dist / APP_NAME} in {seconds:.0f} s")
    exe = executable(dist)
    if not exe.is_file():
        print(f"No bundle at {exe}", file=sys.stderr)
        return 1
    size = folder_size(dist / APP_NAME)
    size_mb = size / 1e6
    report = dist.parent / "selftest.txt"
    code, output, times = run_selftest(exe, report)
    print(output.rstrip())
    print(f"Bundle: {size_mb:.0f} MB ({size / 2**20:.0f} MiB; limit {SIZE_LIMIT_MB} MB); "
          f"self-test exit {code}")
    print("Times from launch: " + ", ".join(f"{k} {v:.1f} s" for k, v in times.items()))
    problems = []
    if code != 0:
        problems.append(f"the self-test exited with {code}")
    if BAD_OUTPUT.search(output):
        problems.append(f"the output has {BAD_OUTPUT.search(output).group(0)!r}")
    if "self-test: OK" not in output:
        problems.append("the self-test did not report OK")
    if size_mb >= SIZE_LIMIT_MB:
        problems.append(f"the bundle is {size_mb:.0f} MB, over the {SIZE_LIMIT_MB} MB limit")
    if problems:
        print("Smoke test FAILED: " + "; ".join(problems) + ".", file=sys.stderr)
        return 1
    print("Smoke test passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
