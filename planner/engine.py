"""The monthly workforce engine, expected-value mode (DESIGN §4).

State per post (numpy vectors, engine order from :mod:`planner.engine_inputs`):

* ``est``: establishment FTE (the budgeted post; falls when posts are deleted
  or reduced, rises when new posts are created);
* ``occ``: FTE in post (expected value, so fractional);
* ``orig``: the part of ``occ`` still held by the person in the establishment
  file, whose age is known (retirement rates and redundancy apply to them);
* ``pending``: FTE being recruited, arriving ``lag`` months after recruitment starts.

Each month, in this order: dated events (create, freeze end, freeze start,
delete with redeployment moves, reduce); recruits arrive; leavers go at the
monthly hazard; frozen posts with delete-on-vacancy lose their vacant FTE up
to the freeze's limit; recruitment starts for every remaining unfilled FTE
that is not frozen or held (held: planned for deletion, or ring-fenced for a
redeployee who moves later). Vacancies already open at the start are
recruited to in the first month like any other. There is no per-post Python
loop: each step is a few vector operations, and team totals are
``np.add.reduceat`` over contiguous team slices.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from planner.engine_inputs import Event, Prepared
from planner.tasks import TaskState, checkpoint

EPS = 1e-12

#: Team-by-month flows recorded by :func:`project` (FTE).
FLOWS: tuple[str, ...] = (
    "leavers",  # natural wastage (turnover and retirement)
    "hires_existing",  # recruits arriving in existing posts (backfill and vacancies)
    "hires_new",  # recruits arriving in new posts
    "displaced",  # FTE in post removed by deleting posts
    "reduced_in_post",  # FTE in post removed by FTE reductions
    "redeployed",  # displaced FTE placed in vacancies and new posts
    "deleted_posts",  # establishment FTE removed by deleting posts
    "deleted_on_vacancy",  # establishment FTE removed as it fell vacant under a freeze
    "reduced",  # establishment FTE removed by FTE reductions
    "created",  # establishment FTE added by new posts
)


@dataclass
class Move:
    """Redeployment moves happening in one month: person post → slot post (engine positions)."""

    person: np.ndarray
    slot: np.ndarray


@dataclass
class Run:
    """One projection: per post per month FTE, team flows, and what deletions found."""

    prep: Prepared
    occ: np.ndarray  # (months, posts) FTE in post at the end of each month
    est: np.ndarray  # (months, posts) establishment FTE
    contract: np.ndarray  # (months, posts) contracted FTE of the post's holder (for NI)
    flows: dict[str, np.ndarray]  # name -> (months, teams)
    deleted_at: np.ndarray  # month index each post was deleted (-1 never)
    deleted_fte: np.ndarray  # the post's FTE when it was deleted
    original_share: np.ndarray  # chance the original holder was still in post when deleted
    occupied_share: np.ndarray  # FTE in post ÷ post FTE when deleted
    moved_share: dict[int, float] = field(default_factory=dict)  # person -> share that moved
    #: (months, posts) True where a vacancy would be recruited to (not frozen or held):
    #: simulation uses it to decide whether extra leavers are replaced.
    recruitable: np.ndarray | None = None

    @property
    def vacant(self) -> np.ndarray:
        """(months, posts) vacant FTE."""
        return np.maximum(self.est - self.occ, 0.0)

    def team_totals(self, matrix: np.ndarray) -> np.ndarray:
        """(months, posts) → (months, teams) by summing each team's contiguous slice."""
        return self.prep.team_sum(matrix)


class _TeamAdd(Protocol):
    def __call__(self, name: str, t: int, values: np.ndarray,
                 idx: np.ndarray | None = None) -> None: ...


class _State:
    """Mutable vectors for one projection (kept together so event handlers stay small)."""

    def __init__(self, prep: Prepared) -> None:
        n, lag = prep.n, prep.lag
        self.prep = prep
        self.est = prep.fte0.copy()
        self.occ = prep.occ0.copy()
        self.orig = self.occ.copy()
        self.pipe = np.zeros((lag + 1, n)) if lag else np.zeros((0, n))
        self.pending = np.zeros(n)
        n_freezes = len(prep.freezes)
        self.member = np.zeros((n_freezes, n), dtype=bool)  # posts each freeze covers
        self.active = np.zeros(n_freezes, dtype=bool)
        self.frozen = np.zeros(n, dtype=bool)  # covered by any active freeze
        self.budget = np.array([f.budget for f in prep.freezes], dtype=float)
        self.delete_flag = np.array([f.delete_on_vacancy for f in prep.freezes], dtype=bool)
        self.contract = prep.fte0.copy()  # contracted FTE: changed only by create/reduce/delete
        self.deleted_fte = np.zeros(n)
        self.deleted_at = np.full(n, -1, dtype=np.int64)
        self.original_share = np.zeros(n)
        self.occupied_share = np.zeros(n)

    def refreeze(self) -> None:
        """Recompute which posts are frozen: those covered by any active freeze."""
        if self.active.any():
            self.frozen = np.asarray(self.member[self.active].any(axis=0), dtype=bool)
        else:
            self.frozen = np.zeros_like(self.frozen)

    def cancel_recruitment(self, idx: np.ndarray, keep: np.ndarray | None = None) -> None:
        """Stop recruitment to ``idx`` (all of it, or down to ``keep`` FTE per post)."""
        if keep is None:
            self.pipe[:, idx] = 0.0
            self.pending[idx] = 0.0
            return
        pend = self.pending[idx]
        scale = np.where(pend > keep, np.divide(keep, pend, out=np.zeros_like(pend),
                                                where=pend > 0), 1.0)
        self.pipe[:, idx] *= scale
        self.pending[idx] = pend * scale


def project(prep: Prepared, moves: dict[int, Move] | None = None,
            state: TaskState | None = None) -> Run:
    """Step the workforce month by month; see the module docstring for the order."""
    T, n_teams = prep.horizon.months, len(prep.team_names)
    moves = moves or {}
    s = _State(prep)
    occ_hist = np.empty((T, prep.n))
    est_hist = np.empty((T, prep.n))
    contract_hist = np.empty((T, prep.n))
    open_hist = np.empty((T, prep.n), dtype=bool)
    flows = {name: np.zeros((T, n_teams)) for name in FLOWS}
    moved_share: dict[int, float] = {}
    new_mask = prep.is_new
    age_known = ~np.isnan(prep.age0)
    retire = prep.retirement_edges.size > 0 and bool(np.any(prep.retirement_hazard > 0))
    lag = prep.lag

    def team_add(name: str, t: int, values: np.ndarray, idx: np.ndarray | None = None) -> None:
        if idx is None:
            flows[name][t] += prep.team_sum(values)
        elif idx.size:
            flows[name][t] += np.bincount(prep.team_code[idx], values, minlength=n_teams)

    for t in range(T):
        if t % 12 == 0:
            checkpoint(state, t / T, "Projecting the workforce…")
        for event in prep.events.get(t, ()):
            _apply_event(s, event, t, team_add)
        if t in moves:
            _apply_moves(s, moves[t], team_add, t, moved_share)

        if lag:  # recruits arrive
            slot = t % (lag + 1)
            arriving = s.pipe[slot].copy()
            s.pipe[slot] = 0.0
            s.pending -= arriving
            s.occ += arriving
            team_add("hires_existing", t, np.where(new_mask, 0.0, arriving))
            team_add("hires_new", t, np.where(new_mask, arriving, 0.0))

        # Leavers: turnover for everyone, plus retirement for original holders of known age.
        if retire:
            age = prep.age0 + t / 12.0
            band = np.searchsorted(prep.retirement_edges, np.where(age_known, age, -1.0),
                                   side="right")
            h_ret = prep.retirement_hazard[band]
            h_orig = 1.0 - (1.0 - prep.hazard) * (1.0 - h_ret)
        else:
            h_orig = prep.hazard
        leave_orig = s.orig * h_orig
        leavers = leave_orig + (s.occ - s.orig) * prep.hazard
        s.occ -= leavers
        s.orig -= leave_orig
        team_add("leavers", t, leavers)

        unfilled = np.maximum(s.est - s.occ - s.pending, 0.0)
        if s.delete_flag.any():  # delete on vacancy under a freeze, up to each freeze's limit
            unfilled = _delete_on_vacancy(s, unfilled, t, team_add)

        # Recruitment starts for unfilled FTE that is neither frozen nor held.
        held = (prep.hold_from <= t) & (t < prep.hold_until)
        open_hist[t] = ~s.frozen & ~held
        recruit = np.where(open_hist[t], unfilled, 0.0)
        recruit[recruit < EPS] = 0.0
        if lag:
            s.pipe[(t + lag) % (lag + 1)] += recruit
            s.pending += recruit
        else:
            s.occ += recruit
            team_add("hires_existing", t, np.where(new_mask, 0.0, recruit))
            team_add("hires_new", t, np.where(new_mask, recruit, 0.0))

        occ_hist[t] = s.occ
        est_hist[t] = s.est
        contract_hist[t] = s.contract
    checkpoint(state, 1.0, "Projection done")
    return Run(prep, occ_hist, est_hist, contract_hist, flows, s.deleted_at, s.deleted_fte,
               s.original_share, s.occupied_share, moved_share, open_hist)


def _apply_event(s: _State, e: Event, t: int, team_add: _TeamAdd) -> None:
    idx = e.idx
    if e.kind == "create":
        s.est[idx] = s.prep.new_fte[idx]
        s.contract[idx] = s.est[idx]
        team_add("created", t, s.est[idx], idx)
    elif e.kind == "freeze_end":
        s.active[e.freeze] = False
        s.refreeze()
    elif e.kind == "freeze_start":
        s.member[e.freeze, idx] = True
        s.active[e.freeze] = True
        s.refreeze()
        s.cancel_recruitment(idx)
    elif e.kind == "delete":
        idx = idx[s.deleted_at[idx] < 0]
        est = s.est[idx]
        s.occupied_share[idx] = np.divide(s.occ[idx], est, out=np.zeros_like(est), where=est > 0)
        s.original_share[idx] = np.divide(s.orig[idx], est, out=np.zeros_like(est),
                                          where=est > 0)
        s.deleted_fte[idx] = est
        s.deleted_at[idx] = t
        team_add("displaced", t, s.occ[idx], idx)
        team_add("deleted_posts", t, est, idx)
        s.est[idx] = 0.0
        s.contract[idx] = 0.0
        s.occ[idx] = 0.0
        s.orig[idx] = 0.0
        s.cancel_recruitment(idx)
    elif e.kind == "reduce":
        old = s.est[idx]
        new = np.minimum(old, e.value) if e.to_fte else old * (1.0 - e.value / 100.0)
        new = np.maximum(new, 0.0)
        excess = np.maximum(s.occ[idx] - new, 0.0)
        s.occ[idx] -= excess
        s.orig[idx] = np.minimum(s.orig[idx], s.occ[idx])
        s.est[idx] = new
        s.contract[idx] = np.minimum(s.contract[idx], new) if e.to_fte else \
            s.contract[idx] * (1.0 - e.value / 100.0)
        s.cancel_recruitment(idx, keep=np.maximum(new - s.occ[idx], 0.0))
        team_add("reduced_in_post", t, excess, idx)
        team_add("reduced", t, old - new, idx)


def _apply_moves(s: _State, move: Move, team_add: _TeamAdd, t: int,
                 moved_share: dict[int, float]) -> None:
    """Place displaced people (already removed by their post's deletion) in their slots."""
    share = s.occupied_share[move.person]
    room = np.maximum(s.est[move.slot] - s.occ[move.slot] - s.pending[move.slot], 0.0)
    # The person brings their own hours; any rest of the slot is recruited as usual.
    fill = np.minimum(share * s.deleted_fte[move.person], room)
    s.occ[move.slot] += fill
    team_add("redeployed", t, fill, move.slot)
    moved_share.update(zip(move.person.tolist(), share.tolist(), strict=True))


def _delete_on_vacancy(s: _State, unfilled: np.ndarray, t: int,
                       team_add: _TeamAdd) -> np.ndarray:
    """Delete vacant FTE in posts under active delete-on-vacancy freezes, up to each limit.

    A post covered by several such freezes counts towards the latest-started one.
    Loops over freezes (scenario actions), never over posts.
    """
    owner = np.full(len(unfilled), -1, dtype=np.int64)
    for f in np.flatnonzero(s.active & s.delete_flag)[::-1]:
        owner[s.member[f] & (owner < 0)] = f
    target = np.flatnonzero(owner >= 0)
    if not target.size:
        return unfilled
    f_of = owner[target]
    u = unfilled[target]
    total = np.bincount(f_of, u, minlength=s.budget.size)
    scale = np.where(total > EPS, np.minimum(1.0, np.divide(
        s.budget, total, out=np.ones_like(total), where=total > EPS)), 0.0)
    cut = u * scale[f_of]
    s.est[target] -= cut
    unfilled = unfilled.copy()
    unfilled[target] -= cut
    team_add("deleted_on_vacancy", t, cut, target)
    s.budget -= np.bincount(f_of, cut, minlength=s.budget.size)
    done = np.flatnonzero(s.active & s.delete_flag & np.isfinite(s.budget) & (s.budget <= 1e-9))
    if done.size:  # the freeze has removed what it was for: it lifts
        s.active[done] = False
        s.delete_flag[done] = False
        s.refreeze()
    return unfilled
