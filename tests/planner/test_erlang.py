"""Erlang B / Erlang C staffing (DESIGN §4) and ``fteplan erlang`` (DESIGN §7).

Oracles are hand-checkable: the textbook factorial formulas (fine at small N, used
here only as an independent check), scipy's Poisson distribution for large traffic,
the DESIGN oracle and published worked examples whose figures were re-derived by hand.
"""

from __future__ import annotations

import json
import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import poisson

from planner.cli import main
from planner.erlang import (
    agents_needed,
    asa_array,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    scheduled_fte,
    service_level,
    service_level_array,
    staffing,
    traffic_erlangs,
)
from planner.errors import PlannerError


def b_direct(n: int, a: float) -> float:
    """Erlang B from its definition: (A^N/N!) ÷ Σ_{k≤N} A^k/k!."""
    return (a**n / math.factorial(n)) / sum(a**k / math.factorial(k) for k in range(n + 1))


def c_direct(n: int, a: float) -> float:
    """Erlang C from its definition: (A^N/N!)·N/(N−A) ÷ (Σ_{k<N} A^k/k! + that term)."""
    top = a**n / math.factorial(n) * n / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


# --- Erlang B ---------------------------------------------------------------------------

def test_erlang_b_small_table_value_by_hand() -> None:
    # B(10 lines, 5 E): 5^10/10! = 9,765,625/3,628,800 = 2.69114; Σ_{k≤10} 5^k/k! = 146.3806
    # (e^5 × P[Poisson(5) ≤ 10] = 148.4132 × 0.986305), so B = 0.018385 (tables: 1.84%).
    assert erlang_b(10, 5.0) == pytest.approx(0.018385, abs=1e-6)
    assert erlang_b(10, 5.0) == pytest.approx(b_direct(10, 5.0), rel=1e-12)
    assert erlang_b(1, 1.0) == 0.5  # one line, one erlang: A/(1 + A)
    assert erlang_b(0, 3.0) == 1.0 and erlang_b(5, 0.0) == 0.0


def test_erlang_b_erlang_com_example() -> None:
    # Westbay Engineers' Erlang calculator manual, "How much traffic?"
    # (https://erlang.com/calculatormanual/howmuchtrafficcanatrunkgrouphandle.htm):
    # 15 lines at 1% blocking carry at most 8.108 erlangs. The figure is given to 3
    # decimals, so blocking crosses 1% between 8.1075 and 8.1085 E.
    assert erlang_b(15, 8.108) == pytest.approx(0.01, abs=1e-5)
    assert erlang_b(15, 8.1075) < 0.01 < erlang_b(15, 8.1085)


# Carrier Grade Voice Over IP (2nd ed.), Appendix A "Table of Erlang B"
# (https://www.globalspec.com/reference/55139/203279/appendix-a-table-of-erlang-b):
# erlangs offered to N channels at a blocking probability, printed to 0.1 E.
GLOBALSPEC_ROWS = {  # channels: {blocking: erlangs}
    5: {0.001: 0.8, 0.005: 1.1, 0.01: 1.4, 0.02: 1.7, 0.05: 2.2},
    6: {0.001: 1.1, 0.005: 1.6, 0.01: 1.9, 0.02: 2.3, 0.05: 3.0},
    7: {0.001: 1.6, 0.005: 2.2, 0.01: 2.5, 0.02: 2.9, 0.05: 3.7},
    8: {0.001: 2.1, 0.005: 2.7, 0.01: 3.1, 0.02: 3.6, 0.05: 4.5},
    9: {0.001: 2.6, 0.005: 3.3, 0.01: 3.8, 0.02: 4.3, 0.05: 5.4},
}


@pytest.mark.parametrize(("channels", "blocking", "erlangs"), [
    (n, p, e) for n, row in GLOBALSPEC_ROWS.items() for p, e in row.items()])
def test_erlang_b_published_table(channels: int, blocking: float, erlangs: float) -> None:
    # The printed figure is the traffic rounded to 0.1 E: blocking reaches the column's
    # probability somewhere within ±0.05 E of it (B rises with traffic).
    assert erlang_b(channels, erlangs - 0.05) <= blocking <= erlang_b(channels, erlangs + 0.05)


@pytest.mark.parametrize(("n", "a"), [(1, 0.3), (5, 2.0), (20, 12.5), (60, 48.0)])
def test_erlang_b_matches_definition(n: int, a: float) -> None:
    assert erlang_b(n, a) == pytest.approx(b_direct(n, a), rel=1e-10)


@pytest.mark.parametrize(("n", "a"), [(2100, 2000.0), (1990, 2000.0), (5000, 4900.5)])
def test_erlang_b_large_traffic_against_poisson(n: int, a: float) -> None:
    # B(N, A) = P[X = N] ÷ P[X ≤ N] for X ~ Poisson(A): independent of the recursion,
    # and A^N/N! would overflow a float long before this.
    assert erlang_b(n, a) == pytest.approx(poisson.pmf(n, a) / poisson.cdf(n, a), rel=1e-7)


# --- Erlang C: the DESIGN oracle and published examples -------------------------------

def test_design_oracle_service_levels() -> None:
    # DESIGN §4: 100 calls per 30 minutes, AHT 180 s -> A = 100 × 180 / 1,800 = 10 E.
    # By hand: C(13) = 0.2853, SL = 1 − 0.2853·e^(−3·20/180) = 1 − 0.2853 × 0.7165 = 0.7956;
    #          C(14) = 0.1741, SL = 1 − 0.1741·e^(−4·20/180) = 1 − 0.1741 × 0.6412 = 0.8884.
    assert traffic_erlangs(100, 30, 180) == 10.0
    assert erlang_c(13, 10.0) == pytest.approx(c_direct(13, 10.0), rel=1e-12)
    assert erlang_c(13, 10.0) == pytest.approx(0.2853, abs=5e-5)
    assert erlang_c(14, 10.0) == pytest.approx(0.1741, abs=5e-5)
    assert service_level(13, 100, 30, 180, 20) == pytest.approx(0.796, abs=0.0005)
    assert service_level(14, 100, 30, 180, 20) == pytest.approx(0.888, abs=0.0005)
    # ASA = C·AHT/(N − A) = 0.1741 × 180 / 4 = 7.84 s.
    assert average_speed_of_answer(14, 100, 30, 180) == pytest.approx(
        c_direct(14, 10.0) * 180 / 4, rel=1e-12)


def test_design_oracle_staffing() -> None:
    s = staffing(100, 30, 180, 0.8, 20, shrinkage=0.3)
    assert s.traffic_erlangs == 10.0
    assert s.agents == 14 == agents_needed(100, 30, 180, 0.8, 20)
    assert s.service_level == pytest.approx(0.888, abs=0.0005)
    assert s.occupancy == pytest.approx(10 / 14)
    assert s.scheduled_fte == 20  # 14 ÷ (1 − 0.3) = 20 (and not 21 from 20.000000000000004)
    assert s.given_agents is None and s.given_service_level is None
    d = s.to_dict()
    assert d["agents"] == 14 and d["scheduled_fte"] == 20 and d["shrinkage"] == 0.3
    assert d["asa_seconds"] == pytest.approx(7.84, abs=0.005)


def test_jonesthenet_erlang_uplift_example() -> None:
    # Jones the Net, "Erlang uplift"
    # (http://www.jonesthenet.com/budgeting/service-levels-erlang/erlang-uplift/):
    # 20,000 calls a week over 80 open hours = 250 calls an hour, AHT 330 s, 80% in 30 s.
    # "The accountant" needs 250 × 330 / 3,600 = 22.9 advisors; Erlang needs 28 (22% more).
    # By hand (C from the definition): 27 agents give 78.2% in 30 s, 28 give 85.7%.
    a = traffic_erlangs(250, 60, 330)
    assert a == pytest.approx(22.9, abs=0.05)
    assert service_level(27, 250, 60, 330, 30) == pytest.approx(
        1 - c_direct(27, a) * math.exp(-(27 - a) * 30 / 330), rel=1e-12)
    assert service_level(27, 250, 60, 330, 30) < 0.8 <= service_level(28, 250, 60, 330, 30)
    assert agents_needed(250, 60, 330, 0.8, 30) == 28
    assert round(28 / a - 1, 2) == 0.22


def test_erlang_r_package_vignette_example() -> None:
    # Patrick Hubers, R package "Erlang", vignette "Erlang: Queuing and Staffing Functions
    # for Contact Centers" (github.com/phubers/erlang, vignettes/vignette.Rmd):
    # 200 calls per half hour, AHT 3 minutes -> 20 E; 80% answered within 60 s needs
    # 23 agents, "an occupancy of 20/23 or 87%". By hand: 22 agents give 70.8%, 23 give 84.7%.
    s = staffing(200, 30, 180, 0.8, 60)
    assert s.traffic_erlangs == 20.0
    assert s.agents == 23
    assert round(s.occupancy, 2) == 0.87
    assert service_level(22, 200, 30, 180, 60) == pytest.approx(0.708, abs=0.0005)
    assert s.service_level == pytest.approx(0.847, abs=0.0005)


# --- edges ------------------------------------------------------------------------------

def test_overloaded_is_not_an_error() -> None:
    for n in (0, 5, 10):  # A = 10: N ≤ A
        assert erlang_c(n, 10.0) == 1.0
        assert service_level(n, 100, 30, 180, 20) == 0.0
        assert average_speed_of_answer(n, 100, 30, 180) == math.inf
    s = staffing(100, 30, 180, 0.8, 20, agents=9)
    assert s.given_overloaded is True and s.given_service_level == 0.0
    assert s.given_asa_seconds == math.inf
    assert s.to_dict()["given_asa_seconds"] is None  # JSON has no infinity
    assert staffing(100, 30, 180, 0.8, 20, agents=13).given_service_level == pytest.approx(
        0.796, abs=0.0005)


def test_zero_calls() -> None:
    assert erlang_c(5, 0.0) == 0.0 and erlang_c(0, 0.0) == 0.0
    assert service_level(0, 0, 30, 180, 20) == 1.0
    assert average_speed_of_answer(3, 0, 30, 180) == 0.0
    assert agents_needed(0, 30, 180, 0.8, 20) == 0
    s = staffing(0, 30, 180, 0.8, 20, shrinkage=0.3)
    assert (s.agents, s.scheduled_fte, s.occupancy, s.service_level) == (0, 0, 0.0, 1.0)


def test_large_traffic_is_fast_and_finite() -> None:
    start = time.perf_counter()
    n = agents_needed(40_000, 30, 90, 0.8, 20)  # A = 40,000 × 90 / 1,800 = 2,000 E
    assert time.perf_counter() - start < 0.5
    assert 2000 < n < 2100
    sl = service_level(n, 40_000, 30, 90, 20)
    assert 0.8 <= sl < 1 and service_level(n - 1, 40_000, 30, 90, 20) < 0.8
    assert math.isfinite(average_speed_of_answer(n, 40_000, 30, 90))


@pytest.mark.parametrize(("agents", "shrinkage", "people"),
                         [(14, 0.3, 20), (15, 0.3, 22), (10, 0.0, 10), (7, 0.125, 8), (0, 0.5, 0)])
def test_scheduled_fte_rounds_up_to_whole_people(agents: int, shrinkage: float,
                                                 people: int) -> None:
    assert scheduled_fte(agents, shrinkage) == people


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"shrinkage": 30}, "Shrinkage must be a fraction from 0 to below 1 (for example 0.3 for "
                        "30%), not 30."),
    ({"shrinkage": 1.0}, "Shrinkage must be"),
    ({"target": 80}, "The service-level target must be a fraction between 0 and 1"),
    ({"target": 1.0}, "The service-level target must be"),
    ({"calls": -1}, "Calls must be a number from 0 upwards, not -1."),
    ({"calls": math.nan}, "Calls must be"),
    ({"interval_minutes": 0}, "The interval must be more than 0 minutes, not 0."),
    ({"aht_seconds": 0}, "Average handle time must be more than 0 seconds, not 0."),
    ({"answer_seconds": -5}, "The answer time must be 0 seconds or more, not -5."),
    ({"agents": -1}, "Agents must be a whole number from 0 upwards, not -1."),
    ({"agents": 2.5}, "Agents must be a whole number"),
])
def test_bad_arguments_are_one_sentence(kwargs: dict[str, float], message: str) -> None:
    args: dict[str, object] = {"calls": 100, "interval_minutes": 30, "aht_seconds": 180,
                               "target": 0.8, "answer_seconds": 20, **kwargs}
    with pytest.raises(PlannerError) as err:
        staffing(**args)  # type: ignore[arg-type]
    text = str(err.value)
    assert text.startswith(message) and text.endswith(".") and text.count(". ") == 0


# --- vectorised form ----------------------------------------------------------------------

def test_array_equals_scalar_on_whole_agents() -> None:
    rng = np.random.default_rng(7)
    agents = rng.integers(0, 60, size=(40, 25))
    calls = rng.uniform(0, 700, size=(40, 25))
    calls[0, :5] = 0.0  # idle elements
    sl = service_level_array(agents, calls, 30, 180, 20)
    asa = asa_array(agents, calls, 30, 180)
    assert sl.shape == asa.shape == (40, 25)
    for (i, j), n in np.ndenumerate(agents):
        c = float(calls[i, j])
        assert sl[i, j] == pytest.approx(service_level(int(n), c, 30, 180, 20), abs=1e-12)
        expected = average_speed_of_answer(int(n), c, 30, 180)
        assert asa[i, j] == (pytest.approx(expected, rel=1e-12) if math.isfinite(expected)
                             else math.inf)


def test_array_interpolates_fractional_agents() -> None:
    # A = 10: 13.25 agents lie a quarter of the way from 13 (79.6%) to 14 (88.8%).
    sl = service_level_array(np.array([13.0, 13.25, 13.5, 14.0]), 100.0, 30, 180, 20)
    lo, hi = service_level(13, 100, 30, 180, 20), service_level(14, 100, 30, 180, 20)
    assert sl[0] == pytest.approx(lo) and sl[3] == pytest.approx(hi)
    assert lo < sl[1] < sl[2] < hi
    assert sl[1] == pytest.approx(0.75 * lo + 0.25 * hi)
    asa = asa_array(np.array([13.0, 13.5, 14.0]), 100.0, 30, 180)
    assert asa[0] > asa[1] > asa[2]
    # At or below the traffic the queue is unbounded, even between whole numbers.
    edge = service_level_array(np.array([9.5, 10.0, 10.5]), 100.0, 30, 180, 20)
    assert edge[0] == edge[1] == 0.0 and 0.0 < edge[2] < service_level(11, 100, 30, 180, 20)
    assert np.isinf(asa_array(np.array([9.5, 10.0]), 100.0, 30, 180)).all()


def test_array_idle_and_overloaded_and_bad_input() -> None:
    sl = service_level_array(np.array([0.0, 3.0, 0.0, 5.0]), np.array([0, 0, 50, 200]), 30,
                             180, 20)
    assert sl.tolist() == [1.0, 1.0, 0.0, 0.0]
    assert asa_array(np.array([0.0, 5.0]), np.array([0, 200]), 30, 180).tolist() == [0.0,
                                                                                     math.inf]
    with pytest.raises(PlannerError, match="Agents must be numbers from 0 upwards"):
        service_level_array(np.array([1.0, -2.0]), 10.0, 30, 180, 20)
    with pytest.raises(PlannerError, match="Calls must be"):
        asa_array(np.array([1.0]), np.array([np.nan]), 30, 180)


def test_array_runs_x_months_is_fast() -> None:
    rng = np.random.default_rng(3)
    agents = rng.uniform(0, 200, size=(1000, 120))  # planned FTE × (1 − shrinkage)
    calls = rng.uniform(0, 2000, size=(1000, 120))  # up to 200 E at AHT 180 s
    start = time.perf_counter()
    sl = service_level_array(agents, calls, 30, 180, 20)
    asa = asa_array(agents, calls, 30, 180)
    assert time.perf_counter() - start < 0.5
    assert sl.shape == (1000, 120) and ((sl >= 0) & (sl <= 1)).all()
    assert not np.isnan(asa).any()


# --- properties ---------------------------------------------------------------------------

@settings(max_examples=150, deadline=None)
@given(calls=st.floats(0, 3000), aht=st.floats(10, 900), interval=st.sampled_from([15, 30, 60]),
       agents=st.integers(0, 250), answer=st.floats(0, 120), extra=st.floats(0, 60))
def test_service_level_monotone_and_bounded(calls: float, aht: float, interval: int,
                                            agents: int, answer: float, extra: float) -> None:
    here = service_level(agents, calls, interval, aht, answer)
    assert 0.0 <= here <= 1.0
    assert service_level(agents + 1, calls, interval, aht, answer) >= here - 1e-12
    assert service_level(agents, calls, interval, aht, answer + extra) >= here - 1e-12


@settings(max_examples=60, deadline=None)
@given(calls=st.floats(1, 1500), aht=st.floats(30, 600), start=st.floats(0, 150))
def test_array_service_level_monotone_in_fractional_agents(calls: float, aht: float,
                                                           start: float) -> None:
    grid = start + np.linspace(0, 12, 97)
    sl = service_level_array(grid, calls, 30, aht, 20)
    assert ((sl >= 0) & (sl <= 1)).all()
    assert (np.diff(sl) >= -1e-12).all()


# --- command line -------------------------------------------------------------------------

def test_cli_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["erlang", "--calls", "100", "--interval-minutes", "30", "--aht", "180",
                 "--target", "0.8", "--answer-seconds", "20", "--shrinkage", "0.3",
                 "--agents", "13"]) == 0
    out = capsys.readouterr().out
    assert "Traffic 10.00 erlangs (100 calls in 30 minutes, 180 s handle time)" in out
    assert "Agents needed for 80% answered in 20 s: 14 (service level 88.8%" in out
    assert "occupancy 71%" in out
    assert "To schedule at 30% shrinkage: 20" in out
    assert "With 13 agents: service level 79.6%" in out


def test_cli_defaults_and_overloaded_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["erlang", "--calls", "100", "--aht", "180", "--agents", "8"]) == 0
    out = capsys.readouterr().out
    assert "80% answered in 20 s: 14" in out
    assert "With 8 agents: the queue grows without limit" in out


def test_cli_json_is_one_object(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["erlang", "--calls", "100", "--aht", "180", "--shrinkage", "0.3",
                 "--agents", "9", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["calls"], data["interval_minutes"], data["aht_seconds"]) == (100, 30, 180)
    assert (data["target"], data["answer_seconds"], data["shrinkage"]) == (0.8, 20, 0.3)
    assert data["traffic_erlangs"] == 10 and data["agents"] == 14
    assert data["scheduled_fte"] == 20
    assert data["service_level"] == pytest.approx(0.888, abs=0.0005)
    assert data["given_agents"] == 9 and data["given_overloaded"] is True
    assert data["given_asa_seconds"] is None


def test_cli_bad_shrinkage_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["erlang", "--calls", "100", "--aht", "180", "--shrinkage", "30"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == ("Shrinkage must be a fraction from 0 to below 1 (for example 0.3 "
                            "for 30%), not 30.\n")
