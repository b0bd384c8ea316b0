"""Which steps of opening an establishment hold Python's lock (the GIL) long enough to freeze
the window.

    python bench/bench_gil_hold.py [--file PATH ...] [--rows 200000] [--folder DIR]
                                   [--top 10] [--gap-ms 100] [--no-profile]

The app opens a file in a worker thread (``ui.loader.run``: the importer, then the posts
table prepared); the window stays responsive only if that thread lets go of the GIL
often. A C call that runs 400 ms in one go (a pandas routine over 200,000 object values,
freeing millions of cells at once) freezes the window for 400 ms. For each file (by
default the 200,000-post ``.xlsx`` and ``.csv`` of ``bench_large_establishment.py``,
generated into ``--folder`` or reused from it) this prints:

1. the task run in a thread while the main thread sleeps 5 ms at a time, as the GUI
   thread's event loop would: the task's time (and when the importer's part ended), the
   longest gap between the main thread's wake-ups (over 250 ms is a freeze) and the gaps
   over ``--gap-ms``, each with the progress message then and where the task was when the
   main thread got the GIL back (just after what held it; on a busy machine a gap can
   also be the main thread waiting for a core);
2. unless ``--no-profile``, the task run again under a profile hook (about ten times
   slower) that times, in the thread's CPU time, every stretch between two Python-visible
   events (calls and returns of Python and built-in functions). A long stretch is code
   that never came back to the interpreter, so held the GIL: a C call (named when it is a
   built-in) or Cython code (pandas' own routines, which the hook does not see) run from
   the line shown. A stretch during which the main thread (sleeping 5 ms at a time
   meanwhile) woke up did not hold the GIL (calamine parses a sheet with it released) and
   is left out. The ``--top`` longest are listed by place, with the nearest line in
   ``planner/`` or ``ui/`` that led there.

Automatic garbage collection is off, as in the app (pyqtgraph's GarbageCollector collects
on a GUI-thread timer instead). Exit 0 when every file loaded, 1 otherwise.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import os
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

GAP_MS = 100.0  # gaps listed
FREEZE_MS = 250.0  # a gap the user notices as a freeze
STRETCH_MS = 20.0  # stretches the profile hook keeps
SLEEP_S = 0.005
WAKE_SLACK_S = 0.002  # a wake this close to a stretch's ends is not inside it


@dataclass
class _State:
    """A ``TaskState`` that remembers the latest message and when the importer finished."""

    started: float = field(default_factory=time.perf_counter)
    message: str = ""
    import_done: float | None = None

    def set_progress(self, fraction: float, message: str = "") -> None:
        from ui.loader import IMPORT_SHARE

        self.message = message or self.message
        if self.import_done is None and fraction >= IMPORT_SHARE:
            self.import_done = time.perf_counter() - self.started

    def is_cancelled(self) -> bool:
        return False


def _task(path: Path, state: _State, hook: Any = None) -> dict[str, Any]:
    """Run the loader task on ``path`` in this thread (under ``hook``, a profile function)."""
    from ui.loader import LoadRequest, run

    out: dict[str, Any] = {}
    if hook is not None:
        sys.setprofile(hook)
    try:
        out["establishment"] = run(LoadRequest(path), state)
    except BaseException as exc:  # reported by the main thread
        out["error"] = exc
    finally:
        sys.setprofile(None)
    return out


def measure_gaps(path: Path, gap_ms: float = GAP_MS) -> dict[str, Any]:
    """Run the task in a thread; the main thread sleeps 5 ms at a time and notes its gaps."""
    state = _State()
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(_task(path, state)), daemon=True)
    gaps: list[tuple[float, float, str, str, str]] = []  # ms, ended at s, message, where
    longest = 0.0
    state.started = last = time.perf_counter()
    worker.start()
    while worker.is_alive():
        time.sleep(SLEEP_S)
        now = time.perf_counter()
        gap = (now - last) * 1000
        longest = max(longest, gap)
        if gap > gap_ms:  # the worker has just let go: where it is tells what it held
            frame = sys._current_frames().get(worker.ident or 0)
            gaps.append((gap, now - state.started, state.message, _where(frame), _ours(frame)))
        last = now
    worker.join()
    seconds = time.perf_counter() - state.started
    est = result.get("establishment")
    return {"seconds": seconds, "import_seconds": state.import_done, "longest_ms": longest,
            "gaps": gaps, "error": result.get("error"),
            "posts": len(est.posts) if est is not None else 0}


def _where(frame: FrameType | None, line: int | None = None) -> str:
    if frame is None:
        return "?"
    name = frame.f_code.co_filename.replace("\\", "/")
    for marker in (str(ROOT).replace("\\", "/") + "/", "site-packages/"):
        if marker in name:
            name = name.split(marker, 1)[1]
            break
    return f"{name}:{frame.f_lineno if line is None else line} {frame.f_code.co_name}"


def _ours(frame: FrameType | None) -> str:
    """The innermost frame of this repository's ``planner/`` or ``ui/`` code."""
    root = str(ROOT)
    while frame is not None:
        name = frame.f_code.co_filename
        if name.startswith(root) and Path(name).relative_to(root).parts[0] in ("planner", "ui"):
            return _where(frame)
        frame = frame.f_back
    return "?"


def _c_name(func: Any) -> str:
    owner = getattr(func, "__self__", None)
    qual = getattr(func, "__qualname__", None) or getattr(func, "__name__", repr(func))
    if owner is not None and not isinstance(owner, type) and "." not in qual:
        qual = f"{type(owner).__name__}.{qual}"
    return qual


class HoldProfiler:
    """Profile hook for one thread: the stretches between two events that took more than
    STRETCH_MS of the thread's CPU time (CPU time, so that other processes taking turns on
    the machine's cores do not lengthen them).

    Each kept stretch is (ms, what, where, ours): ``what`` names the built-in when the
    stretch is one whole built-in call, else says it was code the hook cannot see (Cython,
    C) between the two events; ``where`` is the Python line that ran it; ``ours`` the
    nearest line of planner/ or ui/ on the stack.
    """

    def __init__(self) -> None:
        self.stretches: list[tuple[float, float, float, str, str, str]] = []  # start, end,
        self._last = time.perf_counter()  # CPU ms, what, where, ours
        self._cpu = time.thread_time()
        self._event = ""
        self._frame: FrameType | None = None
        self._line = 0
        self._arg: Any = None

    def __call__(self, frame: FrameType, event: str, arg: Any) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        ms = (cpu - self._cpu) * 1000
        if ms > STRETCH_MS:
            self._keep(now, ms, frame, event, arg)
        self._event, self._frame, self._line, self._arg = event, frame, frame.f_lineno, arg
        self._last, self._cpu = time.perf_counter(), time.thread_time()  # not the hook's own

    def _keep(self, now: float, ms: float, frame: FrameType, event: str, arg: Any) -> None:
        if self._event == "c_call" and event in ("c_return", "c_exception") and arg is self._arg:
            what, where = f"{_c_name(arg)}()", _where(frame)
        else:
            # Cython/C code between two events; the line that ran it is where the stretch
            # ended when the event is in the same frame as the start, else where it began
            inside = frame if frame is self._frame or self._frame is None else self._frame
            what = "code the hook cannot see (Cython/C), after " + (
                f"{self._event} {_c_name(self._arg)}" if self._event.startswith("c_")
                else self._event)
            where = _where(inside, None if inside is frame else self._line)
        self.stretches.append((self._last, now, ms, what, where, _ours(frame)))

    def top(self, n: int, wakes: Sequence[float]) -> tuple[list[tuple[float, int, str, str,
                                                                     str]], int]:
        """The ``n`` places with the longest stretch that held the GIL: (longest ms, count,
        what, where, ours), and how many stretches let go of it.

        A stretch held the GIL when the main thread, sleeping 5 ms at a time, did not wake
        during it (``wakes``: its wake-up times, in order); one it woke in released the GIL
        (calamine parsing a sheet) or was bytecode, which the interpreter interrupts.
        """
        by_place: dict[tuple[str, str, str], list[float]] = {}
        released = 0
        for start, end, ms, what, where, ours in self.stretches:
            i = bisect.bisect_right(wakes, start + WAKE_SLACK_S)
            if i < len(wakes) and wakes[i] < end - WAKE_SLACK_S:
                released += 1
                continue
            by_place.setdefault((what, where, ours), []).append(ms)
        ranked = sorted(by_place.items(), key=lambda kv: -max(kv[1]))[:n]
        return [(max(v), len(v), *k) for k, v in ranked], released


def measure_holds(path: Path) -> tuple[float, HoldProfiler, list[float]]:
    """Run the task under the profile hook; the main thread notes when it wakes."""
    profiler = HoldProfiler()
    state = _State()
    result: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: result.update(_task(path, state, profiler)),
                              daemon=True)
    wakes: list[float] = []
    start = time.perf_counter()
    worker.start()
    while worker.is_alive():
        time.sleep(SLEEP_S)
        wakes.append(time.perf_counter())
    worker.join()
    return time.perf_counter() - start, profiler, wakes


def report(path: Path, top: int, profile: bool, gap_ms: float = GAP_MS) -> bool:
    gc.collect()
    gaps = measure_gaps(path, gap_ms)
    print(f"\n{path.name}")
    if gaps["error"] is not None:
        print(f"  FAILED: {gaps['error']!r}")
        return False
    imported = gaps["import_seconds"]
    print(f"  loader task {gaps['seconds']:.2f} s for {gaps['posts']:,} posts (importer "
          + (f"{imported:.2f} s, posts table {gaps['seconds'] - imported:.2f} s)"
             if imported is not None else "time unknown)"))
    flag = "  FREEZE" if gaps["longest_ms"] > FREEZE_MS else ""
    print(f"  longest gap between the main thread's 5 ms sleeps: {gaps['longest_ms']:.0f} ms"
          f"{flag}; {len(gaps['gaps'])} gap(s) over {gap_ms:.0f} ms")
    for gap, at, message, where, ours in sorted(gaps["gaps"], reverse=True)[:top]:
        print(f"    {gap:6.0f} ms, ended at {at:6.2f} s, during {message!r}\n{'':14}the task "
              f"then at {where}\n{'':14}from {ours}")
    if not profile:
        return True
    gc.collect()
    seconds, profiler, wakes = measure_holds(path)
    held, released = profiler.top(top, wakes)
    print(f"  longest stretches that held the GIL without a Python-visible call in the task "
          f"(profiled run, {seconds:.1f} s; {released} stretch(es) over {STRETCH_MS:.0f} ms "
          "let go of it and are not shown):")
    for ms, count, what, where, ours in held:
        times = f" (x{count} over {STRETCH_MS:.0f} ms)" if count > 1 else ""
        print(f"    {ms:6.0f} ms{times} {what}\n{'':14}at {where}\n{'':14}from {ours}")
    return True


def _files(args: argparse.Namespace) -> list[Path]:
    if args.file:
        return [Path(f) for f in args.file]
    from bench.bench_large_establishment import generate

    folder = args.folder or Path(tempfile.mkdtemp(prefix="fteplan-gil-"))
    folder.mkdir(parents=True, exist_ok=True)
    xlsx, csv_path = (folder / f"establishment_{args.rows}.{k}" for k in ("xlsx", "csv"))
    if not (xlsx.exists() and csv_path.exists()):
        print(f"Generating {args.rows:,} posts into {folder}…", flush=True)
        generate(args.rows, folder)
    return [xlsx, csv_path]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--file", action="append", help="a file to open (repeatable)")
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--folder", type=Path, help="write (or reuse) the generated files here")
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--gap-ms", type=float, default=GAP_MS, help="list gaps over this")
    parser.add_argument("--no-profile", action="store_true", help="measure the gaps only")
    args = parser.parse_args(argv)
    gc.disable()  # as in the app
    ok = True
    for path in _files(args):
        ok &= report(path, args.top, not args.no_profile, args.gap_ms)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
