"""A part of a task reports its progress as a share of the whole bar."""

from __future__ import annotations

import pytest

from planner.errors import Cancelled
from planner.tasks import ShareOfProgress, checkpoint


class _Recorder:
    def __init__(self) -> None:
        self.reports: list[tuple[float, str]] = []
        self.cancelled = False

    def set_progress(self, fraction: float, message: str = "") -> None:
        self.reports.append((fraction, message))

    def is_cancelled(self) -> bool:
        return self.cancelled


def test_a_share_maps_its_progress_into_its_part_of_the_bar() -> None:
    whole = _Recorder()
    reading, preparing = ShareOfProgress(whole, 0.0, 0.9), ShareOfProgress(whole, 0.9, 1.0)
    checkpoint(reading, 0.5, "Reading")
    checkpoint(reading, 1.0)
    checkpoint(preparing, 0.5, "Preparing")
    assert whole.reports == [(0.45, "Reading"), (0.9, ""), (pytest.approx(0.95), "Preparing")]


def test_a_share_passes_the_cancel_on() -> None:
    whole = _Recorder()
    whole.cancelled = True
    with pytest.raises(Cancelled):
        checkpoint(ShareOfProgress(whole, 0.2, 0.4), 0.5)
    assert whole.reports == []
