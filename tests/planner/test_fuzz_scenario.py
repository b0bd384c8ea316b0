"""Property-based fuzzing of scenario files (issue 7): whatever a scenario file holds,
``load_scenario`` returns a Scenario or raises a :class:`ScenarioError` whose one-line message
names the file and the JSON path of the first problem; and a scenario that loads either runs
on an establishment, giving finite figures, or is refused with a :class:`PlannerError`.

Inputs: arbitrary bytes and text; arbitrary JSON values; and the full example document
(tests/planner/data/scenarios/full.json) mutated at a random place in its tree (a value
replaced by any JSON value or an extreme number such as 1e308, 10**400 or NaN, a key deleted
or added, a type changed). ``FTE_FUZZ_SCALE=20`` multiplies the number of examples.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import json
import math
import os
import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.runner import run_scenario
from planner.scenario import Scenario
from planner.scenario_io import (
    ScenarioError,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
    scenario_to_json,
)
from planner.workforce import Workforce
from tests.planner.posts_factory import make_posts

SCALE = max(1, int(os.environ.get("FTE_FUZZ_SCALE", "1")))
#: Any code point, lone surrogates included: JSON's "\\ud800" escape decodes to one.
ANY_CHAR = st.characters(blacklist_categories=())
FULL = Path(__file__).parent / "data" / "scenarios" / "full.json"
NAME = "cut.json"
TODAY = dt.date(2026, 11, 1)  # the default horizon starts at the next April
#: A JSON path as the messages write it: keys, [index] and ["free text key"].
PATH = re.compile(r'^([A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\["(?:[^"\\\n\r]|\\.)*"\]|\.)*$')


def fuzz(n: int) -> settings:
    return settings(max_examples=n * SCALE, deadline=None, derandomize=SCALE == 1, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------- the property


def check_error(exc: ScenarioError) -> None:
    text = str(exc)
    assert text.strip() and "\n" not in text and "\r" not in text, text
    assert text.endswith("."), text
    assert f"'{NAME}'" in text, text
    assert len(text) < 1500, text
    assert exc.problems, text
    first_path = exc.problems[0][0]
    assert first_path in text, (first_path, text)
    for path, message in exc.problems:
        assert PATH.match(path), path
        assert message and "\n" not in message and "\r" not in message, message


@contextmanager
def written(data: bytes) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        path = Path(tmp) / NAME
        path.write_bytes(data)
        yield path


def outcome(data: bytes) -> Scenario | None:
    """Load the bytes as a scenario file: a Scenario, or None after checking the error."""
    with written(data) as path:
        try:
            scenario = load_scenario(path, today=TODAY)
        except ScenarioError as exc:
            check_error(exc)
            return None
    assert isinstance(scenario, Scenario)
    assert scenario_from_dict(scenario_to_dict(scenario)) == scenario  # what loads, saves
    json.dumps(scenario_to_dict(scenario), allow_nan=False)  # and holds no NaN or infinity
    scenario_to_json(scenario).encode("utf-8")  # nor anything a UTF-8 file cannot hold
    return scenario


# ---------------------------------------------------------------- a small establishment


@functools.cache
def workforce() -> Workforce:
    """Posts that every name in full.json refers to (teams, grades, post ids, contracts)."""
    rows: list[dict[str, Any]] = []
    for team, directorate, grade, salary in (
        ("Contact Centre", "Resources", "G4", 24_000.0), ("Revenues", "Resources", "G4", 26_000.0),
        ("Benefits", "Resources", "G5", 28_000.0), ("Parks", "Place", "G3", 21_000.0),
        ("Revenues", "Resources", "G2", 19_000.0), ("Benefits", "Resources", "G3", 21_500.0),
    ):
        for k in range(3):
            rows.append({"team": team, "directorate": directorate, "grade": grade,
                         "annual_salary": salary + 500 * k, "status": "vacant" if k == 2 else
                         "filled", "contract": "temporary" if k == 1 else "permanent",
                         "date_of_birth": f"{1960 + 7 * k}-05-01",
                         "service_start_date": f"{2000 + 3 * k}-09-01", "skills": "revenues"})
    posts = make_posts(rows)
    posts.loc[0, "post_id"], posts.loc[1, "post_id"], posts.loc[2, "post_id"] = \
        "CC-004", "CC-005", "10234"
    return Workforce.from_posts(posts)


def check_runs(scenario: Scenario) -> None:
    """Runs, giving finite figures, or is refused with a PlannerError (never NaN/inf)."""
    try:
        results = run_scenario(workforce(), scenario)
        service = results.service()  # computed on first use; its refusals are PlannerErrors
    except PlannerError as exc:
        assert str(exc).strip() and "\n" not in str(exc), str(exc)
        return
    monthly = results.monthly()
    numbers = monthly.select_dtypes("number").to_numpy(dtype=float)
    assert np.isfinite(numbers).all(), monthly.columns[~np.isfinite(numbers).all(axis=0)]
    for key, value in results.kpis().items():
        if isinstance(value, float):
            assert math.isfinite(value), (key, value)
    frame = service.frame()
    # backlog_weeks and asa_seconds are infinite by design where a team has no capacity
    figures = frame[["capacity_hours", "demand_hours", "throughput_hours", "backlog_hours",
                     "cover_needed_fte"]].to_numpy(dtype=float)
    assert np.isfinite(figures).all()
    assert not np.isnan(frame["backlog_weeks"].to_numpy(dtype=float)).any()


def test_the_full_example_runs() -> None:
    scenario = outcome(FULL.read_bytes())
    assert scenario is not None
    results = run_scenario(workforce(), scenario)  # not refused: every mutation starts here
    assert results.kpis()["people_displaced"] > 0
    check_runs(scenario)


# ---------------------------------------------------------------- (a) bytes and text


@fuzz(60)
@given(st.one_of(st.binary(max_size=400),
                 st.text(ANY_CHAR, max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
                 st.text(alphabet='{}[]":,0123456789.eE+-tfnrulasNIyi \n\\', max_size=80)
                 .map(str.encode)))
@example(b"")
@example(b"\xef\xbb\xbf")
@example(b"\xff\xfe{\x00}\x00")
@example(b'{"schema_version": ' + b"9" * 5000 + b"}")
@example(b"[" * 100_000 + b"]" * 100_000)
@example(b'{"a": ' * 5000 + b"1" + b"}" * 5000)
def test_any_bytes_are_a_scenario_or_a_scenario_error(data: bytes) -> None:
    outcome(data)


# ---------------------------------------------------------------- (b) any JSON value

EXTREMES = [1e308, -1e308, 1e12, -1e12, 1e12 + 1, 0, -1, 10**400, -(10**400), float("nan"),
            float("inf"), float("-inf"), 5e-324, 2**63, 2**53 + 1, 0.1, "", " ", "x" * 2000,
            "\n", "\u202e", True, False, None, [], {}]
json_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                        st.text(ANY_CHAR, max_size=10), st.sampled_from(EXTREMES),
                        st.sampled_from(["2027-04", "2027/28", "delete_posts", "filled",
                                         "Revenues", "G4", "linear", "formula"]))


def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(inner, max_size=4),
                     st.dictionaries(st.text(ANY_CHAR, max_size=8), inner, max_size=4))


json_values = st.recursive(
    json_scalar,
    _containers,
    max_leaves=15,
)


@fuzz(80)
@given(json_values)
def test_any_json_value_is_a_scenario_or_a_scenario_error(value: Any) -> None:
    outcome(json.dumps(value).encode("utf-8"))


# ---------------------------------------------------------------- (c) the full example, mutated


@functools.cache
def full_text() -> str:
    return FULL.read_text(encoding="utf-8")


def _places(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _places(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _places(value, (*path, i))


@functools.cache
def places() -> tuple[tuple[Any, ...], ...]:
    return tuple(_places(json.loads(full_text())))


def _retyped(value: Any) -> Any:
    """The same value as another JSON type (3 → "3", "x" → ["x"], [..] → {..})."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return {str(i): v for i, v in enumerate(value)}
    if isinstance(value, dict):
        return list(value.values())
    return 0


HUGE = "HUGE_NUMBER_SENTINEL"  # becomes a 5,000-digit number in the text


@st.composite
def mutated_document(draw: st.DrawFn) -> bytes:
    doc = json.loads(full_text())
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(places()))
        if not path:
            continue
        *parents, last = path
        node = doc
        try:
            for key in parents:
                node = node[key]
            current = node[last]
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation moved this place
        if not isinstance(node, (dict, list)):
            continue  # ... or turned its parent into text
        how = draw(st.sampled_from(["replace", "extreme", "delete", "add", "retype", "huge",
                                    "scale", "scale"]))
        if how == "scale":  # a plausible edit, so that more documents reach the engine
            if isinstance(current, (int, float)) and not isinstance(current, bool):
                node[last] = current * draw(st.sampled_from([0, -1, 0.5, 2, 10, 1000, 1e6]))
        elif how == "replace":
            node[last] = draw(json_values)
        elif how == "extreme":  # a copy: a later "add" must not change EXTREMES' [] or {}
            node[last] = copy.deepcopy(draw(st.sampled_from(EXTREMES)))
        elif how == "delete":
            del node[last]
        elif how == "add":
            if isinstance(current, dict):
                current[draw(st.text(ANY_CHAR, max_size=12))] = draw(json_values)
            elif isinstance(current, list):
                current.insert(draw(st.integers(0, len(current))), draw(json_values))
            else:
                node[last] = draw(json_values)
        elif how == "retype":
            node[last] = _retyped(current)
        else:
            node[last] = HUGE
    text = json.dumps(doc, indent=1, ensure_ascii=draw(st.booleans()))
    # surrogatepass: a lone surrogate written raw (not as \\ud800) is bytes no UTF-8 reader takes
    return text.replace(f'"{HUGE}"', "9" * 5000).encode("utf-8", "surrogatepass")


@fuzz(150)
@given(mutated_document())
def test_mutated_full_example_loads_or_names_the_problem(data: bytes) -> None:
    scenario = outcome(data)
    if scenario is not None:
        check_runs(scenario)


# ---------------------------------------------------------------- engine guard on loaded values


@functools.cache
def numeric_places() -> tuple[tuple[Any, ...], ...]:
    doc = json.loads(full_text())

    def value(path: tuple[Any, ...]) -> Any:
        node = doc
        for key in path:
            node = node[key]
        return node

    return tuple(p for p in places() if p and isinstance(value(p), (int, float))
                 and not isinstance(value(p), bool))


#: Places where a tiny positive number (5e-324) is accepted and then overflows in the
#: engine; see the known-defect tests below (the fix is outside this helper's files).
TINY_OVERFLOWS = {("assumptions", "productive_hours_per_fte"), ("demand", 0, "hours_per_month")}


@fuzz(40)
@given(st.sampled_from(numeric_places()),
       st.sampled_from([1e308, -1e308, 10**400, 1e15, 1e12, -1e12, 9_999_999.0, 0, -1, 5e-324,
                        1e-300, 1e-9]))
def test_extreme_numbers_anywhere_never_reach_the_engine_as_inf(path: tuple[Any, ...],
                                                               number: float) -> None:
    if path in TINY_OVERFLOWS and 0 < number < 1e-200:
        return
    scenario = outcome(full_with(lambda d: _set(d, path, number)).encode("utf-8"))
    if scenario is not None:
        check_runs(scenario)


def _set(doc: Any, path: tuple[Any, ...], value: Any) -> None:
    node = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def test_regression_tiny_productive_hours_are_refused() -> None:
    """5e-324 productive hours a year made the cover FTE infinite; the form's floor (1 hour)
    now holds for files too."""
    error = load_error(full_with(
        lambda d: d["assumptions"].update(productive_hours_per_fte=5e-324)))
    assert "productive_hours_per_fte" in str(error)


def test_regression_tiny_contact_centre_demand_counts_as_none() -> None:
    """A contact centre's reference demand of 5e-324 hours was divided by ("Calls must be
    numbers from 0 upwards, not inf"); so small a month is treated as no reference."""
    scenario = load_scenario_text(full_with(
        lambda d: d["demand"][0].update(hours_per_month=5e-324)))
    service = run_scenario(workforce(), scenario).service()
    assert service is not None
    check_runs(scenario)


def test_posts_frame_helper_is_sound() -> None:
    posts = workforce().posts
    assert isinstance(posts, pd.DataFrame) and posts["post_id"].is_unique


# ---------------------------------------------------------------- regressions found by fuzzing


def load_error(text: str) -> ScenarioError:
    with written(text.encode("utf-8")) as path:
        try:
            load_scenario(path, today=TODAY)
        except ScenarioError as exc:
            check_error(exc)
            return exc
    raise AssertionError("the document loaded")


def full_with(change: Any) -> str:
    doc = json.loads(full_text())
    change(doc)
    return json.dumps(doc)


def test_regression_integer_beyond_the_float_range_is_a_scenario_error() -> None:
    # was OverflowError: int too large to convert to float (math.isfinite(10**400))
    err = load_error(full_with(lambda d: d["assumptions"].update(pay_award_pct=10**400)))
    assert err.problems == [("assumptions.pay_award_pct",
                             "must be between -10 and 50, not a number of 401 digits")]


def test_regression_a_number_of_thousands_of_digits_is_a_scenario_error() -> None:
    # was ValueError: Exceeds the limit (4300 digits) for integer string conversion
    err = load_error('{"schema_version": 2, "name": "x", "horizon": {"months": '
                     + "1" * 5000 + "}}")
    assert err.problems == [("", "holds a number too long to read (thousands of digits)")]


def test_regression_deep_nesting_is_a_scenario_error() -> None:
    # was RecursionError: maximum recursion depth exceeded while decoding a JSON array
    err = load_error("[" * 100_000 + "]" * 100_000)
    assert "nested too deeply" in str(err)


def test_regression_nan_and_infinity_are_not_post_ids() -> None:
    # NaN and Infinity (which Python's json reads) became the post ids 'nan' and 'inf'
    text = full_with(lambda d: d["actions"][0]["select"].update(post_ids=["CC-004", "NAN_"]))
    err = load_error(text.replace('"NAN_"', "NaN"))
    assert err.problems == [("actions[0].select.post_ids[1]",
                             "must be text or a list of texts, not nan")]


def test_regression_a_line_break_in_a_key_stays_escaped_in_the_path() -> None:
    # the path was written as savings_by_fy["<line break>"], breaking the one-line message
    err = load_error(full_with(lambda d: d["targets"]["savings_by_fy"].update({"\n": 1})))
    assert err.problems[0][0] == 'targets.savings_by_fy["\\n"]'
    err = load_error(full_with(lambda d: d["pools"][0]["weights"].update({"Bene\nfits": 1})))
    assert err.problems[0][0] == 'pools[0].weights["Bene\\nfits"]'


def test_regression_numbers_too_large_for_the_engine_are_refused() -> None:
    # 1e308 hours of new duty reached the engine: transition_cover_fte_months was NaN
    err = load_error(full_with(
        lambda d: d["demand"][0]["growth_positions"][1].update(hours_per_month=1e308)))
    assert err.problems == [("demand[0].growth_positions[1].hours_per_month",
                             "must be a number no larger than 1,000,000,000,000 either way, "
                             "not 1e+308")]
    fine = load_scenario_text(full_with(
        lambda d: d["demand"][0]["growth_positions"][1].update(hours_per_month=-1e12)))
    check_runs(fine)


def test_regression_a_huge_value_is_cut_in_the_message() -> None:
    err = load_error(full_with(lambda d: d["horizon"].update(start="9" * 100_000)))
    assert len(str(err)) < 400 and str(err).endswith("….")


def load_scenario_text(text: str) -> Scenario:
    scenario = outcome(text.encode("utf-8"))
    assert scenario is not None
    return scenario


def test_regression_a_lone_surrogate_escape_is_refused_not_loaded() -> None:
    # "\ud800" in a JSON string loaded as a lone surrogate; saving the scenario (or the
    # project holding it) then raised UnicodeEncodeError
    err = load_error(full_text().replace('"Customer services redesign"', '"Cut \\ud800"')
                     .replace('"2027/28": 250000', '"2027/28\\udfff": 250000'))
    assert err.problems == [
        ("name", "holds \\ud800, half of a character pair on its own, which no file can "
                 "store; remove it"),
        ('targets.savings_by_fy["2027/28\\udfff"]', "the key holds half of a character pair "
                                                    "on its own, which no file can store; "
                                                    "remove it"),
    ]
