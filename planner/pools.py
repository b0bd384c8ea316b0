"""Multi-skilled pools (DESIGN §3, §4): share a pool's hours across its disciplines.

Each person's time is split across the disciplines they can work, and their hours sum to
at most their capacity, so a two-skilled person is never counted in full towards both.
People who can work more than one discipline work at ``efficiency`` (context switching)
on all their hours. The split maximises weighted served demand, a linear programme
solved by HiGHS (:func:`scipy.optimize.linprog`); a tiny secondary term keeps people on
their home discipline where that costs nothing, so answers are stable.

People with the same allowed disciplines and home discipline are identical to the LP,
so they are pooled into one class first: the LP is over classes × allowed disciplines.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.optimize import linprog
from scipy.sparse import csr_matrix

from planner.errors import PlannerError

#: Bonus per (scaled) hour a person spends on their home discipline, relative to the
#: smallest weight: a tie-break only, far below any real difference in weighted service.
HOME_PREFERENCE = 1e-6
_HIGHS_OPTIONS = {"primal_feasibility_tolerance": 1e-9, "dual_feasibility_tolerance": 1e-10}


@dataclass(frozen=True, eq=False)
class PoolAllocation:
    """The result of :func:`allocate_pool` (all arrays in hours for the month).

    Attributes:
        served: (D,) effective hours delivered per discipline.
        unmet: (D,) demand less served, never negative.
        hours: (P, D) time each person spends on each discipline (``per_person=True``).
        single_skill_served: (D,) what home staff alone would serve at efficiency 1.
        single_skill_unmet: (D,) demand less ``single_skill_served``.
        demand: (D,) the demand allocated against.
        weights: (D,) the weight of a served hour in each discipline.
    """

    served: np.ndarray
    unmet: np.ndarray
    hours: np.ndarray | None
    single_skill_served: np.ndarray
    single_skill_unmet: np.ndarray
    demand: np.ndarray
    weights: np.ndarray

    def to_frame(self, disciplines: Sequence[str]) -> pd.DataFrame:
        """One row per discipline, in the order given.

        Args:
            disciplines: D names, in the order of the demand vector.

        Returns:
            Columns discipline, demand_hours, served_hours, unmet_hours,
            single_skill_unmet_hours and weight.

        Raises:
            PlannerError: if the number of names is not D.
        """
        if len(disciplines) != len(self.served):
            raise PlannerError(f"The pool has {len(self.served)} disciplines but "
                               f"{len(disciplines)} names were given.")
        return pd.DataFrame({
            "discipline": list(disciplines), "demand_hours": self.demand,
            "served_hours": self.served, "unmet_hours": self.unmet,
            "single_skill_unmet_hours": self.single_skill_unmet, "weight": self.weights,
        })


@dataclass(frozen=True, eq=False)
class _Structure:
    """Classes of identical people and the LP over them (built once, any demand)."""

    person_class: np.ndarray  # (P,) class of each person, −1 when they can work nothing
    membership: csr_matrix  # (P, K): capacity (…, P) @ membership → class capacity
    home_supply: np.ndarray  # (K, D): effective hours per class hour at its home
    reach: np.ndarray  # (K, D): effective hours per class hour wherever it may work
    efficiency: np.ndarray  # (K,)
    var_class: np.ndarray  # (V,) class of each LP variable
    var_disc: np.ndarray  # (V,) discipline of each LP variable
    a_ub: csr_matrix  # (K + D, V): class time rows, then discipline service rows
    cost: np.ndarray  # (V,) objective to minimise


def _floats(values: ArrayLike, what: str) -> np.ndarray:
    """``values`` as a float array, or a PlannerError naming ``what``."""
    try:
        return np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise PlannerError(f"{what} must be numbers.") from None


def _check_pool(skills: ArrayLike, home: ArrayLike, weights: ArrayLike | None,
                efficiency: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Validated (allowed (P, D) with home OR-ed in, home (P,), weights (D,))."""
    allowed = np.array(skills, dtype=bool, ndmin=2)
    if np.ndim(skills) != 2 or allowed.shape[1] == 0:
        raise PlannerError("Skills must be a table of people by disciplines, "
                           "with at least one discipline.")
    n_people, n_disc = allowed.shape
    home_arr = _floats(home, "Home disciplines")
    if home_arr.shape != (n_people,) or not np.all(home_arr == np.round(home_arr)):
        raise PlannerError(f"Home disciplines must be {n_people} whole numbers, one a person.")
    home_arr = home_arr.astype(np.int64)
    if np.any((home_arr < -1) | (home_arr >= n_disc)):
        raise PlannerError(f"A home discipline must be −1 (none) or 0 to {n_disc - 1}.")
    has_home = home_arr >= 0
    allowed[np.flatnonzero(has_home), home_arr[has_home]] = True
    w = np.ones(n_disc) if weights is None else _floats(weights, "Weights")
    if w.shape != (n_disc,) or not np.all(np.isfinite(w) & (w > 0)):
        raise PlannerError(f"Weights must be {n_disc} positive numbers, one a discipline.")
    if not (np.isfinite(efficiency) and 0.0 < efficiency <= 1.0):
        raise PlannerError("The multi-skill efficiency must be above 0 and at most 1.")
    return allowed, home_arr, w


def _check_hours(values: ArrayLike, shape: tuple[int, ...], what: str) -> np.ndarray:
    """Finite, non-negative float array of the given shape."""
    arr = _floats(values, what)
    if arr.shape != shape:
        raise PlannerError(f"{what} has shape {arr.shape} where {shape} was expected.")
    if not np.all(np.isfinite(arr) & (arr >= 0)):
        raise PlannerError(f"{what} must be finite and not negative.")
    return arr


def _structure(allowed: np.ndarray, home: np.ndarray, weights: np.ndarray,
               efficiency: float) -> _Structure:
    """Group identical people and build the sparse LP once."""
    n_people, n_disc = allowed.shape
    keys = np.column_stack([allowed.astype(np.int64), home])
    active = allowed.any(axis=1)
    uniq, inverse = np.unique(keys[active], axis=0, return_inverse=True)
    person_class = np.full(n_people, -1, dtype=np.int64)
    person_class[active] = inverse.ravel()
    n_class = len(uniq)
    cls_allowed, cls_home = uniq[:, :n_disc].astype(bool), uniq[:, n_disc]
    eff = np.where(cls_allowed.sum(axis=1) > 1, efficiency, 1.0)
    rows = np.flatnonzero(active)
    membership = csr_matrix((np.ones(len(rows)), (rows, person_class[rows])),
                            shape=(n_people, n_class))
    home_supply = np.zeros((n_class, n_disc))
    with_home = np.flatnonzero(cls_home >= 0)
    home_supply[with_home, cls_home[with_home]] = eff[with_home]
    var_class, var_disc = np.nonzero(cls_allowed)
    n_var = len(var_class)
    a_ub = csr_matrix(
        (np.concatenate([np.ones(n_var), eff[var_class]]),
         (np.concatenate([var_class, n_class + var_disc]), np.tile(np.arange(n_var), 2))),
        shape=(n_class + n_disc, n_var))
    w = weights / weights.max()
    cost = -w[var_disc] * eff[var_class] - HOME_PREFERENCE * w.min() * (
        var_disc == cls_home[var_class])
    return _Structure(person_class, membership, home_supply, cls_allowed * eff[:, None],
                      eff, var_class, var_disc, a_ub, cost)


def _solve(st: _Structure, class_cap: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Class hours (K, D) that maximise weighted service for one month."""
    out = np.zeros((len(class_cap), len(demand)))
    # Demand beyond what the pool could ever serve changes nothing but the scaling.
    b_ub = np.concatenate([class_cap, np.minimum(demand, class_cap @ st.reach)])
    scale = float(b_ub.max(initial=0.0))
    if scale <= 0.0 or len(st.cost) == 0:
        return out
    res = linprog(st.cost, A_ub=st.a_ub, b_ub=b_ub / scale, bounds=(0, None),
                  method="highs", options=_HIGHS_OPTIONS)
    if res.status != 0 or res.x is None:
        raise PlannerError(f"The pool allocation could not be solved ({res.message}).")
    out[st.var_class, st.var_disc] = np.maximum(res.x, 0.0) * scale
    # Solver tolerance must never let a person work more than their hours.
    used = out.sum(axis=1)
    over = used > class_cap
    out[over] *= (class_cap[over] / used[over])[:, None]
    return out


def _served(st: _Structure, class_hours: np.ndarray, demand: np.ndarray) -> np.ndarray:
    """Effective hours per discipline, at most the demand (snapped to it within rounding)."""
    served = np.minimum((st.efficiency[:, None] * class_hours).sum(axis=0), demand)
    return np.where(demand - served <= 1e-9 * np.maximum(demand, 1.0), demand, served)


def allocate_pool(capacity: ArrayLike, skills: ArrayLike, home: ArrayLike,
                  demand: ArrayLike, weights: ArrayLike | None = None,
                  efficiency: float = 0.9, *, per_person: bool = False) -> PoolAllocation:
    """Allocate one month of a pool's hours across its disciplines.

    Args:
        capacity: (P,) hours each person has in the month.
        skills: (P, D) True where a person can work a discipline (home is always allowed).
        home: (P,) each person's home discipline index, or −1 for none.
        demand: (D,) hours of demand per discipline.
        weights: (D,) value of a served hour per discipline (default all 1).
        efficiency: output per hour of anyone who can work more than one discipline.
        per_person: also return each person's hours by discipline.

    Returns:
        Served and unmet hours, and the single-skill comparison.

    Raises:
        PlannerError: on malformed input, or if the solver fails.
    """
    allowed, home_arr, w = _check_pool(skills, home, weights, efficiency)
    n_people, n_disc = allowed.shape
    cap = _check_hours(capacity, (n_people,), "Capacity")
    q = _check_hours(demand, (n_disc,), "Demand")
    st = _structure(allowed, home_arr, w, efficiency)
    class_cap = np.asarray(cap @ st.membership).ravel()
    class_hours = _solve(st, class_cap, q)
    served = _served(st, class_hours, q)
    hours = None
    if per_person:
        share = np.zeros(n_people)
        inside = st.person_class >= 0
        total = class_cap[st.person_class[inside]]
        share[inside] = np.divide(cap[inside], total, out=np.zeros_like(total),
                                  where=total > 0)
        hours = np.zeros((n_people, n_disc))
        hours[inside] = class_hours[st.person_class[inside]] * share[inside, None]
    has_home = home_arr >= 0
    home_cap = np.bincount(home_arr[has_home], weights=cap[has_home], minlength=n_disc)
    single = np.minimum(q, home_cap)
    return PoolAllocation(served=served, unmet=np.maximum(q - served, 0.0), hours=hours,
                          single_skill_served=single, single_skill_unmet=q - single,
                          demand=q, weights=w)


def allocate_pool_months(capacity: ArrayLike, skills: ArrayLike, home: ArrayLike,
                         demand: ArrayLike, weights: ArrayLike | None = None,
                         efficiency: float = 0.9) -> tuple[np.ndarray, np.ndarray]:
    """Allocate a pool month by month: one LP a month over a structure built once.

    Months where home staff alone can meet every discipline's demand (or with no demand
    or no hours) are answered without the solver, since that answer is provably optimal.

    Args:
        capacity: (T, P) hours each person has in each month.
        skills: (P, D) True where a person can work a discipline.
        home: (P,) home discipline index per person, or −1 for none.
        demand: (T, D) hours of demand per discipline per month.
        weights: (D,) value of a served hour per discipline (default all 1).
        efficiency: output per hour of anyone who can work more than one discipline.

    Returns:
        Served (T, D) and unmet (T, D) hours.

    Raises:
        PlannerError: on malformed input, or if the solver fails.
    """
    allowed, home_arr, w = _check_pool(skills, home, weights, efficiency)
    n_people, n_disc = allowed.shape
    q = _floats(demand, "Demand")
    n_months = q.shape[0] if q.ndim == 2 else -1
    q = _check_hours(q, (n_months, n_disc), "Demand")
    cap = _check_hours(capacity, (n_months, n_people), "Capacity")
    st = _structure(allowed, home_arr, w, efficiency)
    class_cap = np.asarray((st.membership.T @ cap.T).T).reshape(n_months, -1)
    served = q.copy()  # right wherever home staff can meet all demand
    trivial = np.all(class_cap @ st.home_supply >= q, axis=1)
    served[class_cap.sum(axis=1) <= 0] = 0.0
    trivial |= (q.sum(axis=1) <= 0) | (class_cap.sum(axis=1) <= 0)
    for t in np.flatnonzero(~trivial):
        class_hours = _solve(st, class_cap[t], q[t])
        served[t] = _served(st, class_hours, q[t])
    return served, np.maximum(q - served, 0.0)


def class_count(skills: ArrayLike, home: ArrayLike) -> int:
    """Number of classes of identical people the LP works over (people who can work
    nothing are left out).

    Args:
        skills: (P, D) True where a person can work a discipline.
        home: (P,) home discipline index per person, or −1 for none.

    Returns:
        The number of distinct (allowed disciplines, home) pairs among the people.
    """
    allowed, home_arr, w = _check_pool(skills, home, None, 1.0)
    return len(_structure(allowed, home_arr, w, 1.0).efficiency)
