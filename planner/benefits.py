"""Benefit changes (DESIGN §3 "Changes", §4): demand removed and productivity gained.

A change's effect in a team ramps linearly from go-live: 1/ramp of the full
effect in the go-live month, full from go-live + ramp − 1, then scaled by the
realisation % (the reference case's technology realised 61 %). Several changes
in one team combine multiplicatively, so demand removed never passes 100 %:
remaining demand = Π (1 − removed_i) and capacity multiplier = Π (1 + gain_i).

Simulation moves go-live dates by whole months drawn from each change's
triangular slippage; :meth:`ChangeEffects.at` works on one month for many runs
at once, so the Monte Carlo loop never holds runs × months × teams arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planner.demand import team_index
from planner.scenario import Change

MAX_EFFECT = 0.99  # a share of demand removed is capped below 100 %


@dataclass
class ChangeEffects:
    """Per-change parameters as arrays (positions relative to the horizon start)."""

    go_live: np.ndarray  # (changes,) month index of planned go-live
    ramp: np.ndarray  # (changes,) months to full effect (at least 1)
    removed: np.ndarray  # (changes,) share of demand removed at full effect × realisation
    gain: np.ndarray  # (changes,) productivity gain at full effect × realisation
    teams: np.ndarray  # (changes, teams) 0/1 incidence
    slip_min: np.ndarray
    slip_mode: np.ndarray
    slip_max: np.ndarray

    @classmethod
    def build(cls, changes: tuple[Change, ...], start: int,
              team_names: list[str]) -> ChangeEffects:
        c, k = len(changes), len(team_names)
        teams = np.zeros((c, k))
        for i, ch in enumerate(changes):
            for name in ch.teams:
                j = team_index(team_names, name)
                if j is not None:  # check_scenario reports unknown teams before a run
                    teams[i, j] = 1.0
        real = np.array([ch.realisation_pct / 100.0 for ch in changes])
        return cls(
            go_live=np.array([ch.go_live - start for ch in changes], dtype=float),
            ramp=np.array([max(ch.ramp_months, 1) for ch in changes], dtype=float),
            removed=np.minimum(np.array([ch.demand_removed_pct / 100.0 for ch in changes])
                               * real, MAX_EFFECT) if c else np.zeros(0),
            gain=(np.array([ch.productivity_gain_pct / 100.0 for ch in changes]) * real
                  if c else np.zeros(0)),
            teams=teams,
            slip_min=np.array([ch.slippage.min_months for ch in changes], dtype=float),
            slip_mode=np.array([ch.slippage.mode_months for ch in changes], dtype=float),
            slip_max=np.array([ch.slippage.max_months for ch in changes], dtype=float),
        )

    @property
    def n(self) -> int:
        return len(self.go_live)

    def progress(self, t: int | np.ndarray, slip: np.ndarray | None = None) -> np.ndarray:
        """Share of each change's full effect reached in month index ``t``.

        ``slip`` is (runs, changes) whole months late (or None: as planned); the
        result is (changes,) or (runs, changes), or with an array ``t`` of months
        (months, changes).
        """
        go = self.go_live if slip is None else self.go_live + slip
        if isinstance(t, np.ndarray):
            t = t[:, None]
        return np.clip((t - go + 1.0) / self.ramp, 0.0, 1.0)

    def factors(self, progress: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(share of demand remaining, capacity multiplier) per team from change progress.

        ``progress`` has changes on its last axis; the results have teams there.
        """
        k = self.teams.shape[1]
        if self.n == 0:
            shape = (*progress.shape[:-1], k)
            return np.ones(shape), np.ones(shape)
        keep = np.exp(np.log1p(-progress * self.removed) @ self.teams)
        boost = np.exp(np.log1p(progress * self.gain) @ self.teams)
        return keep, boost

    def planned(self, T: int) -> tuple[np.ndarray, np.ndarray]:
        """(months, teams) demand remaining and capacity multiplier with no slippage."""
        return self.factors(self.progress(np.arange(T)))

    def full_effect(self, slip: np.ndarray | None = None) -> np.ndarray:
        """Month index from which each change has its full effect."""
        go = self.go_live if slip is None else self.go_live + slip
        return go + self.ramp - 1.0

    def draw_slips(self, rng: np.random.Generator, runs: int) -> np.ndarray:
        """(runs, changes) whole months late, from each change's triangular distribution."""
        out = np.zeros((runs, self.n))
        for i in range(self.n):
            lo, mode, hi = self.slip_min[i], self.slip_mode[i], self.slip_max[i]
            if hi > lo:
                out[:, i] = rng.triangular(lo, mode, hi, size=runs)
            else:
                out[:, i] = lo
        return np.rint(out)
