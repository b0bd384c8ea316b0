"""``--selftest`` (what the packaged app runs in CI): passes on a good install, and a
failing check gives exit 1 with the reason in the report, never a hang or a dialog."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ui import app as app_module
from ui import selftest


def test_selftest_passes_and_writes_its_report(qapp, tmp_path: Path) -> None:
    report = tmp_path / "selftest.txt"
    settings_before = os.environ.get("FTEPLAN_SETTINGS_FILE")
    assert app_module.main(["--selftest", "--report", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    for check in ("resources", "establishment", "scenarios", "window", "project file",
                  "workbook", "board pack"):
        assert f"ok  {check}" in text
    assert selftest.OK_LINE in text and selftest.FAILED_LINE not in text
    assert "1,499 posts" in text  # the demo council, read through importlib.resources
    assert os.environ.get("FTEPLAN_SETTINGS_FILE") == settings_before  # put back


def test_a_failing_check_exits_1_with_the_reason(qapp, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(folder: Path):
        def fail() -> str:
            raise ModuleNotFoundError("No module named 'scipy.optimize'")
        return [("scenarios", fail)]

    monkeypatch.setattr(selftest, "_checks", broken)
    report = tmp_path / "selftest.txt"
    assert selftest.run_selftest(str(report)) == 1
    text = report.read_text(encoding="utf-8")
    assert "ModuleNotFoundError: No module named 'scipy.optimize'" in text
    assert text.rstrip().endswith(selftest.FAILED_LINE)
