"""End to end with the real importer: the demo council and a file that is not a spreadsheet."""

from __future__ import annotations

import random
from pathlib import Path

from planner import bundled
from ui import errors, formatting

DEMO = Path(str(bundled.demo_workbook()))


def test_open_the_demo_council(qtbot, window) -> None:
    with qtbot.waitSignal(window.loader.finished, timeout=60_000) as blocker:
        window.open_demo()
    establishment = blocker.args[0]
    summary = establishment.summary()
    assert window.title_text() == "FTE Planner — demo_council.xlsx"
    expected = f"Loaded {establishment.rows_loaded:,} posts from demo_council.xlsx"
    assert window.status_label.text().startswith(expected)
    assert establishment.rows_excluded == 1  # the demo's totals row
    assert "1 row excluded" in window.status_label.text()
    total = f"{establishment.rows_loaded:,}"
    assert window.posts_view.count_text().startswith(f"Showing {total} of {total} posts · ")
    assert window.summary_panel.text_of("annual_pay_bill") == formatting.money(
        summary.annual_pay_bill
    )
    assert window.summary_panel.text_of("fte_total") == formatting.fte(summary.fte_total)
    assert window.tabs.tabText(2) == f"Data &quality ({len(establishment.report):,})"
    # Every directorate appears in the filter and filtering by one shows its posts.
    first = summary.by_directorate["directorate"].iloc[0]
    window.posts_view.set_filter("directorate", first)
    posts = int(summary.by_directorate["posts"].iloc[0])
    assert window.posts_view.count_text().startswith(f"Showing {posts:,} of {total} posts · ")


def test_a_file_of_random_bytes_gives_a_plain_message(qtbot, window, tmp_path, monkeypatch):
    bad = tmp_path / "staff.csv"
    rng = random.Random(20240401)
    bad.write_bytes(bytes(rng.randrange(256) for _ in range(5000)))
    shown: list[errors.ErrorDialog] = []
    errors.set_errors_to_log(False)
    monkeypatch.setattr(errors.ErrorDialog, "exec", lambda self: shown.append(self) or 0)
    with qtbot.waitSignal(window.loader.failed, timeout=30_000) as blocker:
        window.open_file(bad)
    message, details, unexpected = blocker.args
    assert not unexpected, details
    assert len(shown) == 1
    assert shown[0].message() == message
    assert "staff.csv" in message and "Traceback" not in message
    assert message.endswith(".") and "\n" not in message
    assert str(bad) in shown[0].details()
    assert window.stack.currentWidget() is window.welcome
