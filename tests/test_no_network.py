"""A full demo run opens no network connection and writes no personal data to the log.

One child process (so the audit hook sees everything from the first import) runs
``python -m planner demo --out DIR`` (establishment, scenarios, simulations, the
workbooks, the board pack PDF and chart PNGs, drawn with Qt offscreen) and then the
app's self-test (``python -m ui.app --selftest``: main window, charts, project file,
workbook, board pack), both through ``runpy`` as their ``__main__``, and then the main
window's paths that write to the log (the demo read by the background loader, an
autosave that fails, a damaged project refused, personal data removed). Meanwhile:

* a ``sys.addaudithook`` hook records every Python network event (sockets created,
  bound, connected; name look-ups; urllib, http.client, ftplib, smtplib… connections);
  the child exits non-zero if there was any. Qt's own C++ networking (QNetwork*,
  QHostInfo) raises no Python audit event, so on Linux the child also checks at the
  end that none of its open file descriptors is an IPv4/IPv6 socket (their inodes
  against ``/proc/self/net/tcp``, ``udp``, ``tcp6`` and ``udp6``); a socket opened and
  closed again by C++ code between those checks would go unseen;
* the root logger is at DEBUG, written to a file, which must not contain any employee
  name, employee number or date of birth of the demo council.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT_S = 900  # the whole demo and self-test take about a minute on a busy machine

HOOK = r'''
import json, logging, os, re, runpy, sys, traceback

WATCHED = {
    "socket.__new__", "socket.bind", "socket.connect", "socket.getaddrinfo",
    "socket.gethostbyname", "socket.gethostbyaddr", "socket.getnameinfo", "socket.sendto",
    "socket.sendmsg", "urllib.Request", "http.client.connect", "http.client.send",
    "ftplib.connect", "smtplib.connect", "poplib.connect", "imaplib.open", "nntplib.connect",
    "telnetlib.Telnet.open", "webbrowser.open",
}
events = []

def hook(event, args):
    if event in WATCHED:
        events.append({"event": event, "args": repr(args)[:200],
                       "stack": traceback.format_stack(limit=12)[:-1]})

sys.addaudithook(hook)

def inet_sockets():
    """Open IPv4/IPv6 sockets of this process (Linux only: None elsewhere)."""
    if not os.path.isdir("/proc/self/fd"):
        return None
    mine = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        found = re.fullmatch(r"socket:\[(\d+)\]", target)
        if found:
            mine.add(found.group(1))
    inet = set()
    for table in ("tcp", "udp", "tcp6", "udp6"):
        try:
            with open(f"/proc/self/net/{table}", encoding="ascii") as fh:
                rows = fh.read().splitlines()[1:]
        except OSError:
            continue
        inet |= {row.split()[9] for row in rows if len(row.split()) > 9}
    return sorted(mine & inet)
'''

DEMO = r'''
log_file, out = sys.argv[1], sys.argv[2]
logging.basicConfig(filename=log_file, level=logging.DEBUG, force=True,
                    format="%(levelname)s %(name)s: %(message)s")
logging.captureWarnings(True)

def run(module, *args):
    sys.argv = [module, *args]
    try:
        runpy.run_module(module, run_name="__main__", alter_sys=True)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    return 0

def app_flows():
    """The window's own paths that write to the log, with the demo council open."""
    from pathlib import Path
    from planner.bundled import demo_workbook
    from ui import project_files
    from ui.app import create_application
    from ui.event_wait import process_until
    from ui.main_window import MainWindow
    from ui.settings import Settings

    create_application()
    folder = Path(out) / "app"
    folder.mkdir(parents=True)
    window = MainWindow(Settings(folder / "settings.ini"), recovery_folder=folder / "recovery")
    window.open_file(Path(str(demo_workbook())))  # read by the background loader
    model = window.model
    if not process_until(lambda: model.establishment is not None
                         and model.results() is not None, 300):
        return 3
    (folder / "not a folder").write_text("x")
    window.files.autosaver.folder = folder / "not a folder" / "recovery"
    window.files.autosaver.save_now()  # fails: logged as a warning
    window.files.autosaver.folder = folder / "recovery"
    model.undo_stack.setClean()  # nothing to ask about before opening another file
    damaged = folder / "damaged.fteplan"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(300))
    window.files.open_and_wait(damaged)  # refused: the error is logged (errors go to the log)
    project_files.confirm_removal = lambda _parent, _summary: True
    window.files.remove_personal_data()
    process_until(lambda: model.results() is not None, 120)
    model.undo_stack.setClean()
    window.close()
    window.loader.shutdown()
    model.shutdown()
    return 0

codes = {"demo": run("planner", "demo", "--out", out), "selftest": run("ui.app", "--selftest"),
         "app": app_flows()}

'''

REPORT = r'''
result = {"codes": codes, "events": events, "inet_sockets": inet_sockets()}
logging.shutdown()
print("RESULT " + json.dumps(result), flush=True)
sys.exit(1 if events or result["inet_sockets"] else (2 if any(codes.values()) else 0))
'''

CHILD = HOOK + DEMO + REPORT


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("demo_run")
    log_file, out = folder / "debug.log", folder / "out"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "FTEPLAN_ERRORS_TO_LOG": "1",
           "FTEPLAN_SETTINGS_FILE": str(folder / "settings.ini"), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", CHILD, str(log_file), str(out)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=TIMEOUT_S)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    assert lines, f"the child did not finish (exit {done.returncode}):\n{done.stderr[-3000:]}"
    result = json.loads(lines[-1].removeprefix("RESULT "))
    result.update(returncode=done.returncode, log=log_file.read_text(encoding="utf-8"),
                  out=out, stderr=done.stderr)
    return result


def test_demo_and_selftest_open_no_network_connection(demo_run: dict) -> None:
    assert demo_run["events"] == [], json.dumps(demo_run["events"], indent=1)[:4000]
    if sys.platform.startswith("linux"):
        assert demo_run["inet_sockets"] == []
    assert demo_run["codes"] == {"demo": 0, "selftest": 0, "app": 0}, demo_run["stderr"][-3000:]
    assert demo_run["returncode"] == 0
    written = {p.name for p in demo_run["out"].rglob("*")}
    assert {"demo_comparison.xlsx", "demo_board_pack.pdf"} <= written
    assert any(name.endswith(".png") for name in written)


def test_debug_log_holds_no_personal_data(demo_run: dict) -> None:
    from planner import bundled, importer

    posts = importer.load_establishment(bundled.demo_workbook()).posts
    log = demo_run["log"]
    # the paths that log did run: an autosave that failed, a damaged project, the removal
    assert "Autosave failed" in log and "damaged.fteplan is" in log
    assert "Personal data removed" in log
    names = posts["employee_name"].dropna().astype(str).unique()
    ids = posts["employee_id"].dropna().astype(str).unique()
    births = posts["date_of_birth"].dropna()
    dates = {f"{d:%d/%m/%Y}" for d in births} | {f"{d:%Y-%m-%d}" for d in births}
    assert len(names) > 1000 and len(ids) > 1000 and len(dates) > 1000
    leaked = [v for v in (*names, *ids, *dates) if v in log]
    assert leaked == [], leaked[:20]


def test_the_checks_catch_a_socket() -> None:
    """The same hook and descriptor check, around a body that does open a socket."""
    body = ("import socket\nserver = socket.socket()\nserver.bind(('127.0.0.1', 0))\n"
            "server.listen()\ncodes = {}\n")
    done = subprocess.run([sys.executable, "-c", HOOK + body + REPORT], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    result = json.loads(done.stdout.splitlines()[-1].removeprefix("RESULT "))
    assert [e["event"] for e in result["events"]][:2] == ["socket.__new__", "socket.bind"]
    if sys.platform.startswith("linux"):
        assert len(result["inet_sockets"]) == 1
