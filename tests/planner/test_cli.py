"""``fteplan validate`` and ``fteplan demo`` against the DESIGN §7 contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli import main

GOOD = ("Post ID,Team,FTE,Salary,Directorate\n"
        "1,Revenues,1,30000,Resources\n2,Revenues,0.5,30000,Resources\n")
WITH_EXCLUDED = GOOD + "3,Revenues,0,30000,Resources\n"


def write(tmp_path: Path, text: str, name: str = "e.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_validate_text_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write(tmp_path, GOOD))]) == 0
    out = capsys.readouterr().out
    assert "2 rows read, 2 loaded, 0 excluded" in out
    assert "£45,000" in out  # 1 × 30,000 + 0.5 × 30,000


def test_validate_exit_1_when_rows_excluded(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write(tmp_path, WITH_EXCLUDED))]) == 1
    out = capsys.readouterr().out
    assert "3 rows read, 2 loaded, 1 excluded" in out
    assert "row 4, column 'FTE'" in out


def test_validate_json_is_one_object(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(write(tmp_path, WITH_EXCLUDED)), "--json"]) == 1
    out = capsys.readouterr().out
    data = json.loads(out)  # exactly one object: json.loads fails on trailing text
    assert (data["rows_read"], data["rows_loaded"], data["rows_excluded"]) == (3, 2, 1)
    assert data["fte_filled"] == 1.5 and data["fte_vacant"] == 0
    assert data["annual_pay_bill"] == 45000
    assert data["issue_counts"]["error"] == 1
    issue = next(i for i in data["issues"] if i["severity"] == "error")
    assert (issue["row"], issue["column"], issue["value"]) == (4, "FTE", "0")
    assert data["exit_code"] == 1


def test_validate_unusable_exit_2_one_sentence(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    assert main(["validate", str(bad)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.strip().count("\n") == 0 and "binary data" in captured.err
    assert "Traceback" not in captured.err
    assert main(["validate", str(bad), "--json"]) == 2
    captured = capsys.readouterr()
    assert json.loads(captured.out)["exit_code"] == 2


def test_debug_shows_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(tmp_path / "missing.csv"), "--debug"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_sheet_and_mapping_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "Ref,Section,FTE,Pay\nA,Legal,1,40000\n")
    profile = tmp_path / "m.json"
    profile.write_text(json.dumps({"columns": {"post_id": "Ref", "team": "Section",
                                               "annual_salary": "Pay"}}))
    assert main(["validate", str(path), "--mapping", str(profile), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["mapping"]["team"] == "Section" and data["annual_pay_bill"] == 40000


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "planner", "validate", str(write(tmp_path, GOOD)), "--json"],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["posts"] == 2


def test_demo_prints_the_establishment_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo Borough Council" in out and "rows read" in out
    assert main(["demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert 1450 <= data["posts"] <= 1550


def test_gui_command_starts_the_registered_frontend(monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    import importlib.metadata as md

    opened: list[str | None] = []

    class FakeEntryPoint:
        name = "gui"

        def load(self):
            return lambda path: opened.append(path) or 0

    monkeypatch.setattr(md, "entry_points", lambda group: [FakeEntryPoint()])
    assert main(["gui", str(tmp_path / "x.xlsx")]) == 0
    assert opened == [str(tmp_path / "x.xlsx")]


def test_gui_is_registered_as_an_entry_point() -> None:
    import importlib.metadata as md

    names = {ep.value for ep in md.entry_points(group="fteplan.frontends")}
    assert names == {"ui.app:run_gui"}, "reinstall with 'python -m pip install -e .'"


def test_demo_out_writes_the_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--out", str(tmp_path / "out"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    written = Path(data["written"][0])
    assert json.loads(written.read_text(encoding="utf-8"))["posts"] == data["posts"]
