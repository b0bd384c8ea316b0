"""Erlang B and Erlang C: agents needed for a contact-centre service level (DESIGN §4).

Traffic A in erlangs is calls × average handle time (AHT) ÷ interval length. Erlang C
(callers queue and never hang up) gives the probability C that a call waits; the share
answered within t seconds is 1 − C·exp(−(N − A)·t ÷ AHT) and the average speed of
answer is C·AHT ÷ (N − A). With N ≤ A the queue grows without bound: service level 0
and an infinite average speed of answer.

Erlang B comes from the stable recursion B(0) = 1, B(n) = A·B(n−1) ÷ (n + A·B(n−1)),
never from factorials or powers, so thousands of erlangs neither overflow nor lose
precision; C follows as N·B ÷ (N − A(1 − B)).
"""

from __future__ import annotations

import math
import numbers
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.errors import PlannerError

FloatArray = npt.NDArray[np.float64]
_NEGLIGIBLE = 1e-200  # Erlang B below this changes no service level or ASA in a double


def _show(value: object) -> str:
    return f"{value:g}" if isinstance(value, numbers.Real) else repr(value)


def _require(value: object, ok: bool, message: str) -> None:
    if not (isinstance(value, numbers.Real) and not isinstance(value, bool)
            and math.isfinite(value) and ok):
        raise PlannerError(f"{message}, not {_show(value)}.")


def _check_rates(calls: float, interval_minutes: float, aht_seconds: float,
                 answer_seconds: float = 0.0) -> None:
    _require(calls, calls >= 0, "Calls must be a number from 0 upwards")
    _require(interval_minutes, interval_minutes > 0,
             "The interval must be more than 0 minutes")
    _require(aht_seconds, aht_seconds > 0, "Average handle time must be more than 0 seconds")
    _require(answer_seconds, answer_seconds >= 0, "The answer time must be 0 seconds or more")


def _check_whole(value: int, name: str) -> None:
    _require(value, isinstance(value, numbers.Integral) and value >= 0,
             f"{name} must be a whole number from 0 upwards")


def traffic_erlangs(calls: float, interval_minutes: float, aht_seconds: float) -> float:
    """Offered traffic A = calls × AHT ÷ interval, in erlangs (busy agents on average)."""
    _check_rates(calls, interval_minutes, aht_seconds)
    return float(calls * aht_seconds / (interval_minutes * 60.0))


def erlang_b(servers: int, traffic: float) -> float:
    """Blocking probability with ``servers`` lines offered ``traffic`` erlangs (Erlang B)."""
    _check_whole(servers, "Servers")
    _require(traffic, traffic >= 0, "Traffic must be a number of erlangs from 0 upwards")
    b = 1.0
    for n in range(1, int(servers) + 1):
        ab = traffic * b
        b = ab / (n + ab)
    return b


def _c_from_b(n: float, a: float, b: float) -> float:
    return n * b / (n - a * (1.0 - b))


def erlang_c(servers: int, traffic: float) -> float:
    """Probability that a call has to wait (Erlang C).

    Returns 0.0 with no traffic and 1.0 when ``servers <= traffic`` (overloaded: everyone
    waits and the queue grows without bound).
    """
    b = erlang_b(servers, traffic)
    if traffic == 0:
        return 0.0
    if servers <= traffic:
        return 1.0
    return _c_from_b(servers, traffic, b)


def service_level(agents: int, calls: float, interval_minutes: float, aht_seconds: float,
                  answer_seconds: float) -> float:
    """Fraction of calls answered within ``answer_seconds`` by ``agents`` agents.

    1.0 with no calls; 0.0 when agents cannot keep up with the traffic (N ≤ A).
    """
    _check_rates(calls, interval_minutes, aht_seconds, answer_seconds)
    a = traffic_erlangs(calls, interval_minutes, aht_seconds)
    c = erlang_c(agents, a)
    if a == 0:
        return 1.0
    if agents <= a:
        return 0.0
    return 1.0 - c * math.exp(-(agents - a) * answer_seconds / aht_seconds)


def average_speed_of_answer(agents: int, calls: float, interval_minutes: float,
                            aht_seconds: float) -> float:
    """Average wait in seconds before a call is answered: 0 with no calls, ``inf`` if N ≤ A."""
    a = traffic_erlangs(calls, interval_minutes, aht_seconds)
    c = erlang_c(agents, a)
    if a == 0:
        return 0.0
    if agents <= a:
        return math.inf
    return c * aht_seconds / (agents - a)


def _check_target(target: float) -> None:
    _require(target, 0 < target < 1, "The service-level target must be a fraction between 0 "
             "and 1 (for example 0.8 for 80%)")


def agents_needed(calls: float, interval_minutes: float, aht_seconds: float, target: float,
                  answer_seconds: float) -> int:
    """Smallest number of agents answering ``target`` of calls within ``answer_seconds``.

    Searches upward from floor(A) + 1, carrying the Erlang B recursion from one N to the
    next, so 2,000 erlangs take a few thousand steps. No calls need no agents.
    """
    _check_rates(calls, interval_minutes, aht_seconds, answer_seconds)
    _check_target(target)
    a = traffic_erlangs(calls, interval_minutes, aht_seconds)
    if a == 0:
        return 0
    n = math.floor(a)
    b = erlang_b(n, a)
    while True:
        n += 1
        ab = a * b
        b = ab / (n + ab)
        c = _c_from_b(n, a, b)
        if 1.0 - c * math.exp(-(n - a) * answer_seconds / aht_seconds) >= target:
            return n


def scheduled_fte(agents: int, shrinkage: float) -> int:
    """Whole people to schedule so ``agents`` are on the phones after ``shrinkage``."""
    _check_shrinkage(shrinkage)
    # Rounded first so 14 ÷ 0.7 = 20.000000000000004 schedules 20 people, not 21.
    return math.ceil(round(agents / (1.0 - shrinkage), 9))


def _check_shrinkage(shrinkage: float) -> None:
    _require(shrinkage, 0 <= shrinkage < 1, "Shrinkage must be a fraction from 0 to below 1 "
             "(for example 0.3 for 30%)")


@dataclass(frozen=True)
class Staffing:
    """Agents needed for a service-level target, and what a given number of agents achieves."""

    traffic_erlangs: float
    agents: int
    service_level: float
    asa_seconds: float
    occupancy: float
    shrinkage: float
    scheduled_fte: int
    given_agents: int | None = None
    given_service_level: float | None = None
    given_asa_seconds: float | None = None
    given_occupancy: float | None = None
    given_overloaded: bool | None = None

    def to_dict(self) -> dict[str, Any]:
        """Snake-case fields; an unbounded wait (``inf``) becomes ``None`` for JSON."""
        return {k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                for k, v in asdict(self).items()}


def staffing(calls: float, interval_minutes: float, aht_seconds: float, target: float,
             answer_seconds: float, shrinkage: float = 0.0,
             agents: int | None = None) -> Staffing:
    """Agents needed, their service level, ASA and occupancy, and the people to schedule.

    With ``agents`` given, also reports the service level, ASA and occupancy they give.
    """
    _check_shrinkage(shrinkage)
    if agents is not None:
        _check_whole(agents, "Agents")
    n = agents_needed(calls, interval_minutes, aht_seconds, target, answer_seconds)
    a = traffic_erlangs(calls, interval_minutes, aht_seconds)
    args = (calls, interval_minutes, aht_seconds)
    given: dict[str, Any] = {}
    if agents is not None:
        given = {"given_agents": int(agents),
                 "given_service_level": service_level(agents, *args, answer_seconds),
                 "given_asa_seconds": average_speed_of_answer(agents, *args),
                 "given_occupancy": a / agents if agents else 0.0,
                 "given_overloaded": a > 0 and agents <= a}
    return Staffing(traffic_erlangs=a, agents=n,
                    service_level=service_level(n, *args, answer_seconds),
                    asa_seconds=average_speed_of_answer(n, *args),
                    occupancy=a / n if n else 0.0, shrinkage=float(shrinkage),
                    scheduled_fte=scheduled_fte(n, shrinkage), **given)


# --- vectorised form for the engine (e.g. 1,000 runs × 120 months at once) -------------

def _erlang_b_at(hi: npt.NDArray[np.int64], a: FloatArray) -> tuple[FloatArray, FloatArray]:
    """B(hi − 1) and B(hi) elementwise: one recursion over all elements, sorted by hi."""
    order = np.argsort(hi, kind="stable")
    hs, as_ = hi[order], a[order]
    b, before, at = np.ones(hs.size), np.ones(hs.size), np.ones(hs.size)
    ab_buf, den_buf = np.empty(hs.size), np.empty(hs.size)
    top = int(hs[-1]) if hs.size else 0
    bounds = np.searchsorted(hs, np.arange(1, top + 2))  # bounds[n-1]: first with hs >= n
    for n in range(1, top + 1):
        start, end = int(bounds[n - 1]), int(bounds[n])
        if b[start:].max() < _NEGLIGIBLE:  # all still climbing are beyond any effect
            before[start:], at[start:] = 0.0, 0.0
            break
        before[start:end] = b[start:end]
        ab, den = ab_buf[start:], den_buf[start:]
        np.multiply(as_[start:], b[start:], out=ab)
        np.add(ab, n, out=den)
        np.divide(ab, den, out=b[start:])
        at[start:end] = b[start:end]
    out_before, out_at = np.empty_like(before), np.empty_like(at)
    out_before[order], out_at[order] = before, at
    return out_before, out_at


def _measures(n: FloatArray, a: FloatArray, b: FloatArray, aht: float,
              t: float) -> tuple[FloatArray, FloatArray]:
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        c = n * b / (n - a * (1.0 - b))
        ok = n > a
        sl = np.where(ok, 1.0 - c * np.exp(-(n - a) * t / aht), 0.0)
        asa = np.where(ok, c * aht / (n - a), np.inf)
    return sl, asa


def _array_measures(agents: npt.ArrayLike, calls: npt.ArrayLike, interval_minutes: float,
                    aht_seconds: float, answer_seconds: float) -> tuple[FloatArray, FloatArray]:
    _check_rates(0.0, interval_minutes, aht_seconds, answer_seconds)
    x, k = np.broadcast_arrays(np.asarray(agents, dtype=float), np.asarray(calls, dtype=float))
    shape = x.shape
    x, k = x.ravel(), k.ravel()
    for values, name in ((x, "Agents"), (k, "Calls")):
        if values.size and not (np.isfinite(values).all() and values.min() >= 0):
            bad = values[~(np.isfinite(values) & (values >= 0))][0]
            raise PlannerError(f"{name} must be numbers from 0 upwards, not {bad:g}.")
    a = k * aht_seconds / (interval_minutes * 60.0)
    lo, hi = np.floor(x), np.ceil(x)
    frac = x - lo
    sl, asa = np.zeros(x.size), np.full(x.size, np.inf)
    idx = np.flatnonzero((k > 0) & (hi > a))  # the upper integer agent count is stable
    if idx.size:
        ai, loi, hii, f = a[idx], lo[idx], hi[idx], frac[idx]
        b_before, b_hi = _erlang_b_at(hii.astype(np.int64), ai)
        sl_lo, asa_lo = _measures(loi, ai, np.where(loi == hii, b_hi, b_before),
                                  aht_seconds, answer_seconds)
        sl_hi, asa_hi = _measures(hii, ai, b_hi, aht_seconds, answer_seconds)
        sl[idx] = (1.0 - f) * sl_lo + f * sl_hi
        with np.errstate(invalid="ignore"):
            asa[idx] = np.where(f == 0, asa_lo, (1.0 - f) * asa_lo + f * asa_hi)
    overloaded = x <= a
    sl[overloaded], asa[overloaded] = 0.0, np.inf
    idle = k == 0
    sl[idle], asa[idle] = 1.0, 0.0
    return sl.reshape(shape), asa.reshape(shape)


def service_level_array(agents: npt.ArrayLike, calls: npt.ArrayLike, interval_minutes: float,
                        aht_seconds: float, answer_seconds: float) -> FloatArray:
    """Elementwise :func:`service_level` over arrays of any (broadcastable) shape.

    Agents may be fractional (planned FTE × (1 − shrinkage)): the service level is
    interpolated linearly between the whole numbers either side, and is 0 wherever
    agents ≤ traffic. Elements with no calls get 1.0.
    """
    return _array_measures(agents, calls, interval_minutes, aht_seconds, answer_seconds)[0]


def asa_array(agents: npt.ArrayLike, calls: npt.ArrayLike, interval_minutes: float,
              aht_seconds: float) -> FloatArray:
    """Elementwise :func:`average_speed_of_answer` in seconds (fractional agents as above).

    ``inf`` where the whole number of agents below is ≤ traffic (an unbounded queue on
    that side of the interpolation); 0 with no calls.
    """
    return _array_measures(agents, calls, interval_minutes, aht_seconds, 0.0)[1]
