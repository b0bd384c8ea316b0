"""Scenario JSON: every kind of mistake gets its own plain message; valid files round-trip."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import pickle
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.months import Horizon, fy_start_year, month_number, parse_month
from planner.scenario import (
    SELECTOR_FIELDS,
    Action,
    Assumptions,
    CreatePosts,
    DeletePosts,
    EmployerNIBand,
    NaturalWastage,
    PensionStrainTerms,
    RedeploymentPolicy,
    ReduceFTE,
    RedundancyTerms,
    RetirementBand,
    Scenario,
    Selector,
    Targets,
    TemporaryCover,
    TurnoverRate,
    VacancyFreeze,
)
from planner.scenario_io import (
    ScenarioError,
    check_scenario,
    load_scenario,
    save_scenario,
    scenario_from_dict,
    scenario_to_dict,
    scenario_to_json,
)

FULL = Path(__file__).parent / "data" / "scenarios" / "full.json"


def full_doc() -> dict[str, Any]:
    return json.loads(FULL.read_text(encoding="utf-8"))


def minimal(**extra: Any) -> dict[str, Any]:
    return {"schema_version": 1, "name": "Cut", "horizon": {"start": "2027-04", "months": 60},
            **extra}


def error_of(doc: Any, source: str | None = "cut.json") -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(doc, source=source)
    return info.value


def only_problem(doc: Any) -> tuple[str, str]:
    err = error_of(doc)
    assert len(err.problems) == 1, err.problems
    return err.problems[0]


def edited(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    doc = full_doc()
    change(doc)
    return doc


# ---------------------------------------------------------------- the full example


def test_the_full_example_loads_with_every_field() -> None:
    s = load_scenario(FULL)
    assert s.name == "Customer services redesign"
    assert s.horizon == Horizon(parse_month("2027-04"), 60)
    a = s.assumptions
    assert a.pay_award_by_fy == ((2027, 3.2), (2028, 2.5))
    assert a.employer_ni == (EmployerNIBand(parse_month("2024-04"), 13.8, 9100.0),
                             EmployerNIBand(parse_month("2025-04"), 15.0, 5000.0))
    assert a.redundancy == RedundancyTerms(multiplier=1.5, actual_pay=True, max_weeks=104.0)
    assert a.pension_strain == PensionStrainTerms()
    w = s.natural_wastage
    assert w.overrides[1] == TurnoverRate(
        Selector(fields=(("contract", ("Temporary",)), ("grade", ("G2", "G3")))), 30.0)
    assert w.retirement == (RetirementBand(60, 64, 10), RetirementBand(65, None, 25))
    assert s.redeployment.ring_fence == "directorate"
    assert s.redeployment.pay_protection_taper == "linear"
    kinds = [act.kind for act in s.actions]
    assert kinds == ["delete_posts", "delete_posts", "reduce_fte", "create_posts",
                     "vacancy_freeze", "temporary_cover"]
    delete = s.actions[0]
    assert isinstance(delete, DeletePosts)
    assert delete.select.post_ids == ("CC-004", "CC-005", "10234")  # number becomes text
    freeze = s.actions[4]
    assert isinstance(freeze, VacancyFreeze)
    assert (freeze.until, freeze.delete_until_fte) == (parse_month("2029-04"), 5.0)
    assert s.targets == Targets(((2027, 250000.0), (2028, 600000.0)), 180.0,
                                parse_month("2029-03"))


def test_the_full_example_uses_every_key_the_writer_writes() -> None:
    """The example in the docs covers every field: nothing written is missing from it."""
    def keys(obj: Any, path: str = "") -> set[str]:
        if isinstance(obj, dict):
            return {f"{path}.{k}" for k in obj} | {
                p for k, v in obj.items() for p in keys(v, f"{path}.{k}")}
        if isinstance(obj, list):
            return {p for item in obj for p in keys(item, f"{path}[]")}
        return set()

    written = keys(scenario_to_dict(load_scenario(FULL)))
    example = keys(full_doc())
    assert written - example == set()


def test_written_actions_have_every_dataclass_field() -> None:
    doc = scenario_to_dict(load_scenario(FULL))
    for action, written in zip(load_scenario(FULL).actions, doc["actions"], strict=True):
        names = {f.name for f in fields(action)} - {"kind"}
        assert set(written) == names | {"type"}
        assert written["type"] == action.kind


def test_a_minimal_document_takes_the_defaults() -> None:
    s = scenario_from_dict({"schema_version": 1, "name": "Do nothing"},
                           today=dt.date(2026, 5, 1))
    assert s == Scenario("Do nothing", Horizon(month_number(2027, 4), 60))
    january = scenario_from_dict({"schema_version": 1, "name": "x"}, today=dt.date(2026, 1, 9))
    assert january.horizon.start == month_number(2026, 4)


# ---------------------------------------------------------------- one test per mistake


def test_unknown_key_suggests_the_nearest() -> None:
    doc = edited(lambda d: d["assumptions"].update(pension_rate=20))
    err = error_of(doc)
    assert err.path == "assumptions"
    assert err.problem == "unknown key 'pension_rate' (did you mean 'pension_rate_pct'?)"
    assert str(err) == ("Scenario file 'cut.json': assumptions: unknown key 'pension_rate' "
                        "(did you mean 'pension_rate_pct'?).")


def test_unknown_key_without_a_near_miss_lists_the_allowed_keys() -> None:
    assert only_problem(minimal(horizon={"start": "2027-04", "zzz": 1})) == (
        "horizon", "unknown key 'zzz' (allowed keys: start, months)")


def test_unknown_key_deep_inside_an_action_selector() -> None:
    doc = edited(lambda d: d["actions"][1]["select"].update(teams="Revenues"))
    assert only_problem(doc) == ("actions[1].select", "unknown key 'teams' (did you mean 'team'?)")


def test_sections_of_schema_version_2_are_read() -> None:
    """Demand, changes and pools (once refused as "a later version") are now read."""
    s = scenario_from_dict(minimal(schema_version=2, demand=[], changes=[], pools=[]))
    assert (s.demand, s.changes, s.pools) == ((), (), ())


@pytest.mark.parametrize(("change", "path", "message"), [
    (lambda d: d["assumptions"].update(pay_award_pct="3%"),
     "assumptions.pay_award_pct", "must be a number, not text '3%'"),
    (lambda d: d["natural_wastage"].update(backfill_lag_months=2.5),
     "natural_wastage.backfill_lag_months", "must be a whole number, not 2.5"),
    (lambda d: d["redeployment"].update(enabled="yes"),
     "redeployment.enabled", "must be true or false, not text 'yes'"),
    (lambda d: d.update(description=7), "description", "must be text, not 7"),
    (lambda d: d.update(actions={"type": "delete_posts"}),
     "actions", "must be a list […], not an object {…}"),
    (lambda d: d.update(assumptions=[]), "assumptions", "must be an object {…}, not a list"),
    (lambda d: d["actions"][0]["select"].update(team=["A", None]),
     "actions[0].select.team[1]", "must be text or a list of texts, not null"),
    (lambda d: d["redeployment"].update(ring_fence="region"), "redeployment.ring_fence",
     "must be one of 'council', 'directorate', 'service', 'team', not text 'region'"),
])
def test_wrong_types_are_named(change: Callable[[dict[str, Any]], Any], path: str,
                               message: str) -> None:
    assert only_problem(edited(change)) == (path, message)


def test_booleans_are_not_numbers() -> None:
    doc = edited(lambda d: d["assumptions"].update(pension_rate_pct=True))
    assert only_problem(doc) == ("assumptions.pension_rate_pct", "must be a number, not true")
    doc = edited(lambda d: d["horizon"].update(months=False))
    assert only_problem(doc) == ("horizon.months", "must be a whole number, not false")


@pytest.mark.parametrize(("change", "path", "message"), [
    (lambda d: d["assumptions"].update(pension_rate_pct=120),
     "assumptions.pension_rate_pct", "must be between 0 and 100, not 120"),
    (lambda d: d["assumptions"].update(pay_award_pct=-11),
     "assumptions.pay_award_pct", "must be between -10 and 50, not -11"),
    (lambda d: d["assumptions"]["pay_award_by_fy"].update({"2028/29": 51}),
     'assumptions.pay_award_by_fy["2028/29"]', "must be between -10 and 50, not 51"),
    (lambda d: d["natural_wastage"].update(annual_turnover_pct=-1),
     "natural_wastage.annual_turnover_pct", "must be between 0 and 100, not -1"),
    (lambda d: d["actions"][2].update(by_pct=100),
     "actions[2].by_pct", "must be more than 0 and less than 100, not 100"),
    (lambda d: d["assumptions"].update(levy_allowance=float("nan")),
     "assumptions.levy_allowance", "must be a finite number, not nan"),
])
def test_numbers_outside_sensible_ranges(change: Callable[[dict[str, Any]], Any], path: str,
                                         message: str) -> None:
    assert only_problem(edited(change)) == (path, message)


def test_month_outside_the_horizon_names_the_horizon() -> None:
    doc = edited(lambda d: d["actions"][2].update(month="2032-05"))
    err = error_of(doc)
    assert str(err) == ("Scenario file 'cut.json': actions[2].month: '2032-05' is outside the "
                        "horizon (2027-04 to 2032-03).")
    assert (err.path, err.problem) == (
        "actions[2].month", "'2032-05' is outside the horizon (2027-04 to 2032-03)")


def test_other_dated_fields_must_be_inside_the_horizon() -> None:
    doc = edited(lambda d: (d["targets"].update(fte_target_month="2026-03"),
                            d["actions"][4].update(until="2032-05"),
                            d["actions"][5].update(month="2031-12")))
    assert error_of(doc).problems == [
        ("actions[4].until", "'2032-05' is outside the horizon (2027-04 to 2032-03) (until is "
                             "the first month after the freeze; leave it out to freeze to "
                             "the end)"),
        ("actions[5].months", "cover from 2031-12 for 6 months runs to 2032-05, past the end of "
                              "the horizon (2027-04 to 2032-03)"),
        ("targets.fte_target_month", "'2026-03' is outside the horizon (2027-04 to 2032-03)"),
    ]


def test_a_freeze_may_run_to_the_end_of_the_horizon() -> None:
    doc = edited(lambda d: d["actions"][4].update(until="2032-04"))
    freeze = scenario_from_dict(doc).actions[4]
    assert isinstance(freeze, VacancyFreeze) and freeze.until == month_number(2032, 4)


@pytest.mark.parametrize(("value", "message"), [
    ("2027-13", "'2027-13' is not a month written as YYYY-MM (for example 2027-04)"),
    ("April 2027", "'April 2027' is not a month written as YYYY-MM (for example 2027-04)"),
    (202704, 'must be a month written as text "YYYY-MM" (for example "2027-04"), not 202704'),
    ("1927-04", "'1927-04' is not a year between 2000 and 2100"),
])
def test_bad_month_format(value: Any, message: str) -> None:
    assert only_problem(minimal(horizon={"start": value})) == ("horizon.start", message)


@pytest.mark.parametrize("months", [11, 121])
def test_horizon_months_must_be_12_to_120(months: int) -> None:
    assert only_problem(minimal(horizon={"months": months})) == (
        "horizon.months", f"must be between 12 and 120 months, not {months}")


def test_horizon_limits_are_allowed() -> None:
    for months in (12, 120):
        assert scenario_from_dict(minimal(horizon={"start": "2027-04", "months": months})
                                  ).horizon.months == months


def test_newer_schema_version_says_update_the_planner() -> None:
    doc = minimal(schema_version=3, something_new={"a": 1})
    err = error_of(doc)
    assert err.path == "schema_version"
    assert "was written by a newer FTE Planner (schema version 3)" in str(err)
    assert len(err.problems) == 1  # unknown keys of a newer version are not listed


def test_schema_version_is_required_and_must_be_1_or_2() -> None:
    assert only_problem({"name": "x"}) == ("schema_version", "is required but missing")
    assert only_problem(minimal(schema_version=0)) == ("schema_version", "must be 1 or 2, not 0")


def test_missing_or_empty_name() -> None:
    assert only_problem({"schema_version": 1}) == ("name", "is required but missing")
    assert only_problem(minimal(name="  ")) == ("name", "must not be empty")


def test_the_document_must_be_an_object() -> None:
    assert str(error_of([1, 2])) == (
        "Scenario file 'cut.json': the scenario must be a JSON object {…}, not a list.")
    assert str(error_of([], source=None)).startswith("Scenario: the scenario must be")


@pytest.mark.parametrize(("values", "message"), [
    ({"by_pct": 10, "to_fte": 0.5}, "needs exactly one of by_pct or to_fte, not both"),
    ({"by_pct": None}, "needs exactly one of by_pct or to_fte (neither is given)"),
])
def test_reduce_fte_needs_exactly_one_of_by_pct_or_to_fte(values: dict[str, Any],
                                                          message: str) -> None:
    doc = edited(lambda d: d["actions"][2].update(values))
    assert only_problem(doc) == ("actions[2]", message)


def test_action_type_mistakes() -> None:
    doc = minimal(actions=[{"type": "delete_post", "month": "2027-05", "select": {"team": "A"}},
                           {"month": "2027-05"}, "delete"])
    assert error_of(doc).problems == [
        ("actions[0].type", "unknown action type 'delete_post' (did you mean 'delete_posts'?)"),
        ("actions[1].type", "is required but missing (one of delete_posts, reduce_fte, "
                            "create_posts, vacancy_freeze, temporary_cover)"),
        ("actions[2]", "must be an object {…}, not text 'delete'"),
    ]


def test_action_required_fields_and_unknown_fields() -> None:
    doc = minimal(actions=[{"type": "temporary_cover", "month": "2027-05", "team": "A",
                            "fte": 1, "cost": 5}])
    assert error_of(doc).problems == [
        ("actions[0]", "unknown key 'cost' (allowed keys: type, month, team, fte, months, "
                       "annual_cost_per_fte, label)"),
        ("actions[0].months", "is required but missing"),
    ]


def test_vacancy_freeze_rules() -> None:
    doc = edited(lambda d: d["actions"][4].update(until="2027-04", delete_on_vacancy=False))
    assert error_of(doc).problems == [
        ("actions[4].until",
         "'2027-04' must be after month (2027-04), the first month of the freeze"),
        ("actions[4].delete_until_fte", "only applies with delete_on_vacancy: true"),
    ]


@pytest.mark.parametrize(("values", "path", "message"), [
    ({"grade": None, "annual_salary": None}, "actions[3]",
     "needs a grade or an annual_salary to cost the new posts"),
    ({"count": 0}, "actions[3].count", "must be between 1 and 10000, not 0"),
    ({"fte": 1.5}, "actions[3].fte", "must be more than 0 and at most 1, not 1.5"),
    ({"fte": 0}, "actions[3].fte", "must be more than 0 and at most 1, not 0"),
    ({"team": ""}, "actions[3].team", "must not be empty"),
])
def test_create_posts_rules(values: dict[str, Any], path: str, message: str) -> None:
    doc = edited(lambda d: d["actions"][3].update(values))
    assert only_problem(doc) == (path, message)


def test_delete_posts_with_an_empty_selector_is_refused() -> None:
    doc = minimal(actions=[{"type": "delete_posts", "month": "2027-05", "select": {}}])
    path, message = only_problem(doc)
    assert path == "actions[0].select"
    assert message.startswith("is empty, which would delete every post")
    doc["actions"][0]["max_fte"] = 3  # "delete up to 3 FTE anywhere, vacancies first" is fine
    assert scenario_from_dict(doc).actions[0] == DeletePosts(month_number(2027, 5), Selector(),
                                                             max_fte=3.0)


def test_selector_forms() -> None:
    doc = minimal(actions=[{"type": "vacancy_freeze", "month": "2027-05",
                            "select": {"post_ids": 1001.0, "grade": [7, "G8"],
                                       "team": "Parks", "status": " Vacant "}}])
    freeze = scenario_from_dict(doc).actions[0]
    assert isinstance(freeze, VacancyFreeze)
    assert freeze.select == Selector(post_ids=("1001",),
                                     fields=(("grade", ("7", "G8")), ("team", ("Parks",))),
                                     status="vacant")
    doc["actions"][0]["select"] = {"status": "open", "team": []}
    assert error_of(doc).problems == [
        ("actions[0].select.team", "must list at least one value (leave the key out to "
                                   "match any)"),
        ("actions[0].select.status", "must be 'filled' or 'vacant', not text 'open'"),
    ]


def test_overlapping_retirement_bands() -> None:
    doc = edited(lambda d: d["natural_wastage"]["retirement"].append(
        {"min_age": 63, "max_age": 67, "annual_pct": 5}))
    assert only_problem(doc) == (
        "natural_wastage.retirement[2]",
        "ages 63–67 overlap the band at natural_wastage.retirement[0] (60–64)")
    doc = edited(lambda d: d["natural_wastage"]["retirement"].append(
        {"min_age": 70, "annual_pct": 5}))
    assert only_problem(doc) == (
        "natural_wastage.retirement[2]",
        "ages 70 and over overlap the band at natural_wastage.retirement[1] (65 and over)")
    doc = edited(lambda d: d["natural_wastage"]["retirement"][0].update(max_age=59))
    assert only_problem(doc) == ("natural_wastage.retirement[0].max_age",
                                 "must not be below min_age (60)")


def test_financial_year_keys() -> None:
    doc = edited(lambda d: d["targets"].update(savings_by_fy={"2027": 1, "2028/2029": 2,
                                                              "2028/29": 3, "2040/41": 4}))
    assert error_of(doc).problems == [
        ('targets.savings_by_fy["2027"]',
         "'2027' is not a financial year written as YYYY/YY (for example 2027/28)"),
        ('targets.savings_by_fy["2028/29"]', "financial year 2028/29 is given more than once"),
        ('targets.savings_by_fy["2040/41"]',
         "financial year 2040/41 is outside the horizon (2027-04 to 2032-03)"),
    ]


def test_employer_ni_bands_must_be_in_date_order() -> None:
    doc = edited(lambda d: d["assumptions"]["employer_ni"].reverse())
    assert only_problem(doc) == ("assumptions.employer_ni[1].from",
                                 "bands must be in date order: 2024-04 is not after 2025-04")


def test_several_problems_are_reported_together() -> None:
    doc = edited(lambda d: (d.update(nme="x"),
                            d["horizon"].update(months=200),
                            d["assumptions"].update(pay_award_pct="3"),
                            d["actions"][0].update(month="2027-4x"),
                            d["targets"].update(fte_target=-5)))
    err = error_of(doc)
    assert [p for p, _ in err.problems] == [
        "", "horizon.months", "assumptions.pay_award_pct", "actions[0].month",
        "targets.fte_target"]
    assert str(err) == (
        "Scenario file 'cut.json' has 5 problems: unknown key 'nme' (did you mean 'name'?); "
        "horizon.months: must be between 12 and 120 months, not 200; "
        "assumptions.pay_award_pct: must be a number, not text '3'; and 2 more.")
    assert err.lines()[3] == ("actions[0].month: '2027-4x' is not a month written as YYYY-MM "
                              "(for example 2027-04)")
    assert isinstance(err, PlannerError)


def test_the_error_survives_pickling() -> None:
    """Errors may come back from a worker process."""
    err = error_of(minimal(name=""))
    again = pickle.loads(pickle.dumps(err))
    assert (str(again), again.problems, again.path) == (str(err), err.problems, err.path)


# ---------------------------------------------------------------- files


def test_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{\n  "schema_version": 1,\n  "name": "x"\n  "description": ""\n}\n',
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value) == ("Scenario file 'cut.json': is not valid JSON: expecting ',' "
                               "delimiter at line 4, column 3.")


def test_trailing_comma_gets_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "cut.json"
    path.write_text('{"schema_version": 1, "name": "x",\n}', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"line 2, column 1 \(JSON does not allow a comma"):
        load_scenario(path)


def test_missing_empty_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"^Scenario file 'nope.json': the file was not "
                                            r"found \(looked in "):
        load_scenario(tmp_path / "nope.json")
    (tmp_path / "empty.json").write_text(" \n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="the file is empty"):
        load_scenario(tmp_path / "empty.json")
    (tmp_path / "latin.json").write_bytes(b'{"schema_version": 1, "name": "Caf\xe9"}')
    with pytest.raises(ScenarioError, match=r"is not UTF-8 text \(line 1 has a character"):
        load_scenario(tmp_path / "latin.json")


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(minimal(name="Café")).encode("utf-8"))
    assert load_scenario(path).name == "Café"


def test_duplicate_keys_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "dup.json"
    path.write_text('{"schema_version": 1, "name": "a", "name": "b", "horizon": {"months": 3}}',
                    encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.problems == [
        ("", "key 'name' appears twice in one object (only one value is allowed)"),
        ("horizon.months", "must be between 12 and 120 months, not 3"),
    ]


def test_save_writes_pretty_utf8_json_that_loads_back(tmp_path: Path) -> None:
    scenario = load_scenario(FULL)
    scenario = Scenario(**{**scenario.__dict__, "name": "Café — 10% cut"})
    path = tmp_path / "cut.json"
    save_scenario(scenario, path)
    text = path.read_text(encoding="utf-8")
    assert text == scenario_to_json(scenario)
    assert text.endswith("}\n") and '\n  "name": "Café — 10% cut",\n' in text
    assert load_scenario(path) == scenario
    assert os.listdir(tmp_path) == ["cut.json"]


def test_save_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cut.json"
    save_scenario(Scenario("Original", Horizon(month_number(2027, 4), 60)), path)
    before = path.read_bytes()

    def refuse(src: Any, dst: Any) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(ScenarioError, match=r"'cut.json': could not be saved \(Permission denied"):
        save_scenario(Scenario("Changed", Horizon(month_number(2027, 4), 24)), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["cut.json"]


# ---------------------------------------------------------------- checks against posts


def posts_frame() -> pd.DataFrame:
    rows = [
        ("P1", "Contact Centre", "Resources", "Customer Services", "G4", 24000.0, "filled"),
        ("P2", "Contact Centre", "Resources", "Customer Services", "G4", 24500.0, "vacant"),
        ("P3", "Revenues", "Resources", "Revenues & Benefits", "G5", 27000.0, "filled"),
        ("P4", "Benefits", "Resources", "Revenues & Benefits", "G6", None, "filled"),
        ("P5", "Parks", "Place", "Green Spaces", "G3", 21000.0, "vacant"),
    ]
    posts = pd.DataFrame(rows, columns=["post_id", "team", "directorate", "service", "grade",
                                        "annual_salary", "status"])
    posts["contract"] = "Permanent"
    posts["funding"] = "Core"
    posts["post_title"] = "Officer"
    posts["location"] = "Town Hall"
    posts["fte"] = 1.0
    return posts


def scenario_with(*actions: Action, overrides: tuple[TurnoverRate, ...] = ()) -> Scenario:
    return Scenario("Cut", Horizon(month_number(2027, 4), 60), actions=actions,
                    natural_wastage=NaturalWastage(overrides=overrides))


M = month_number(2027, 6)


def test_a_scenario_that_fits_the_establishment_passes() -> None:
    check_scenario(scenario_with(
        DeletePosts(M, Selector(fields=(("team", ("contact centre ",)),))),
        ReduceFTE(M, Selector(post_ids=("p3",)), by_pct=10),
        VacancyFreeze(M, Selector()),
        CreatePosts(M, "Customer Hub", grade="G4", directorate="Resources"),
        TemporaryCover(M, "Customer Hub", fte=1, months=3),
        TemporaryCover(M, "Parks", fte=1, months=3),
    ), posts_frame())


def test_selector_matching_no_post_names_the_values() -> None:
    scenario = scenario_with(
        DeletePosts(M, Selector(fields=(("team", ("Contact Centr",)),))),
        ReduceFTE(M, Selector(post_ids=("P9", "P1"), fields=(("grade", ("G9",)),)), to_fte=0.5))
    with pytest.raises(ScenarioError) as info:
        check_scenario(scenario, posts_frame())
    assert info.value.problems == [
        ("actions[0].select", "matches no post (team 'Contact Centr' is not in the "
                              "establishment)"),
        ("actions[1].select", "matches no post (post id 'P9' and grade 'G9' are not in the "
                              "establishment)"),
    ]
    assert str(info.value).startswith("Scenario 'Cut' has 2 problems: actions[0].select: "
                                      "matches no post (team 'Contact Centr' is not")


def test_selector_whose_values_exist_but_not_together() -> None:
    scenario = scenario_with(VacancyFreeze(M, Selector(fields=(("team", ("Parks",)),),
                                                       status="filled")))
    with pytest.raises(ScenarioError) as info:
        check_scenario(scenario, posts_frame())
    assert info.value.problems == [("actions[0].select", "matches no post (no post has team "
                                                         "'Parks' and status filled together)")]


def test_wastage_override_matching_nothing() -> None:
    scenario = scenario_with(overrides=(TurnoverRate(Selector(fields=(("grade", ("G1",)),)),
                                                     20.0),))
    with pytest.raises(ScenarioError) as info:
        check_scenario(scenario, posts_frame())
    assert info.value.problems == [("natural_wastage.overrides[0].select",
                                    "matches no post (grade 'G1' is not in the establishment)")]


def test_unknown_grade_and_unknown_team() -> None:
    scenario = scenario_with(
        CreatePosts(M, "Customer Hub", grade="SO3", directorate="Resources"),
        CreatePosts(M, "Hub 2", annual_salary=30000.0),
        CreatePosts(M, "Benefits", grade="G6"),
        TemporaryCover(M, "Agency Pool", fte=2, months=6),
        TemporaryCover(M - 1, "Customer Hub", fte=2, months=6),
    )
    with pytest.raises(ScenarioError) as info:
        check_scenario(scenario, posts_frame())
    assert info.value.problems == [
        ("actions[0].grade", "grade 'SO3' is not in the establishment, so there is no salary to "
                             "cost the new posts; give an annual_salary"),
        ("actions[1].team", "team 'Hub 2' is not in the establishment; to create posts in a new "
                            "team, give its directorate"),
        ("actions[2].grade", "no post of grade 'G6' has a salary to cost the new posts; give an "
                             "annual_salary"),
        ("actions[3].team", "team 'Agency Pool' is not in the establishment"),
        ("actions[4].team", "team 'Customer Hub' is not in the establishment (create_posts "
                            "creates it only from 2027-06)"),
    ]


def test_unknown_grade_with_a_salary_is_fine() -> None:
    check_scenario(scenario_with(CreatePosts(M, "Revenues", grade="SO3",
                                             annual_salary=31000.0)), posts_frame())


# ---------------------------------------------------------------- round trip property

_CHARS = st.characters(codec="utf-8")  # no lone surrogates
TEXT = st.text(_CHARS, max_size=12)
NONBLANK = st.text(_CHARS, min_size=1, max_size=12).filter(lambda t: bool(t.strip()))


def _num(lo: float | None = None, hi: float | None = None, *, open_lo: bool = False,
         open_hi: bool = False) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, exclude_min=open_lo, exclude_max=open_hi, allow_nan=False,
                     allow_infinity=False)


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


@st.composite
def selectors(draw: st.DrawFn) -> Selector:
    cols = draw(st.lists(st.sampled_from(SELECTOR_FIELDS), unique=True, max_size=3))
    chosen = tuple(sorted((c, tuple(draw(st.lists(NONBLANK, min_size=1, max_size=3))))
                          for c in cols))
    return Selector(post_ids=tuple(draw(st.lists(NONBLANK, max_size=3))), fields=chosen,
                    status=draw(st.sampled_from([None, "filled", "vacant"])))


@st.composite
def actions(draw: st.DrawFn, h: Horizon) -> Action:
    month = draw(st.integers(h.start, h.end - 1))
    label = draw(TEXT)
    kind = draw(st.sampled_from(["delete", "reduce", "create", "freeze", "cover"]))
    if kind == "delete":
        max_fte = draw(_opt(_num(0, 1e6, open_lo=True)))
        select = draw(selectors())
        if select == Selector() and max_fte is None:
            select = Selector(post_ids=("P1",))
        return DeletePosts(month, select, max_fte=max_fte, label=label)
    if kind == "reduce":
        by_pct = draw(_opt(_num(0, 100, open_lo=True, open_hi=True)))
        to_fte = None if by_pct is not None else draw(_num(0, 10, open_lo=True))
        return ReduceFTE(month, draw(selectors()), by_pct=by_pct, to_fte=to_fte, label=label)
    if kind == "create":
        grade = draw(_opt(NONBLANK))
        salary = draw(_num(1, 1e6) if grade is None else _opt(_num(1, 1e6)))
        return CreatePosts(month, draw(NONBLANK), count=draw(st.integers(1, 10_000)),
                           fte=draw(_num(0, 1, open_lo=True)), grade=grade,
                           annual_salary=salary, post_title=draw(NONBLANK),
                           directorate=draw(_opt(NONBLANK)), service=draw(_opt(NONBLANK)),
                           skills=draw(_opt(NONBLANK)), label=label)
    if kind == "freeze":
        on_vacancy = draw(st.booleans())
        return VacancyFreeze(month, draw(selectors()),
                             until=draw(_opt(st.integers(month + 1, h.end))),
                             delete_on_vacancy=on_vacancy,
                             delete_until_fte=draw(_opt(_num(0, 1e4, open_lo=True)))
                             if on_vacancy else None, label=label)
    return TemporaryCover(month, draw(NONBLANK), fte=draw(_num(0, 100, open_lo=True)),
                          months=draw(st.integers(1, min(120, h.end - month))),
                          annual_cost_per_fte=draw(_opt(_num(0, 1e6))), label=label)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    h = Horizon(draw(st.integers(month_number(2000, 1), month_number(2090, 12))),
                draw(st.integers(12, 120)))
    ni_months = sorted(draw(st.lists(st.integers(month_number(2000, 1), month_number(2100, 12)),
                                     unique=True, max_size=3)))
    assumptions = Assumptions(
        pay_award_pct=draw(_num(-10, 50)),
        pay_award_by_fy=tuple(sorted(draw(st.dictionaries(st.integers(2000, 2099),
                                                          _num(-10, 50), max_size=3)).items())),
        employer_ni=tuple(EmployerNIBand(m, draw(_num(0, 100)), draw(_num(0, 1e5)))
                          for m in ni_months),
        pension_rate_pct=draw(_num(0, 100)), levy_pct=draw(_num(0, 100)),
        levy_allowance=draw(_num(0, 1e7)),
        productive_hours_per_fte=draw(_num(1, 8784)),
        standard_weekly_hours=draw(_num(0, 168, open_lo=True)),
        recruitment_cost_per_hire=draw(_num(0, 1e6)), agency_cost_per_fte=draw(_num(0, 1e6)),
        redundancy=RedundancyTerms(draw(_num(0, 10)), draw(st.booleans()), draw(_num(0, 104))),
        pension_strain=PensionStrainTerms(
            draw(st.sampled_from(["formula", "salary_pct"])), draw(st.integers(40, 75)),
            draw(_num(0, 60)), draw(_num(1, 200)), draw(st.integers(55, 75)),
            draw(_num(0, 100)), draw(_num(0, 100)), draw(_num(0, 1000))),
    )
    ages = sorted(draw(st.lists(st.integers(16, 100), unique=True, max_size=6)))
    ages = ages[:len(ages) // 2 * 2]
    bands = [RetirementBand(float(lo), float(hi), draw(_num(0, 100)))
             for lo, hi in zip(ages[::2], ages[1::2], strict=True)]
    last_open: bool = draw(st.booleans())
    if bands and last_open:
        bands[-1] = RetirementBand(bands[-1].min_age, None, bands[-1].annual_pct)
    wastage = NaturalWastage(
        draw(_num(0, 100)), draw(st.integers(0, 60)),
        tuple(TurnoverRate(draw(selectors()), draw(_num(0, 100)))
              for _ in range(draw(st.integers(0, 2)))),
        tuple(bands))
    redeployment = RedeploymentPolicy(
        draw(st.booleans()), draw(st.integers(0, 20)), draw(st.integers(0, 20)),
        draw(st.booleans()), draw(st.sampled_from(["council", "directorate", "service", "team"])),
        draw(st.booleans()), draw(st.integers(0, 52)), draw(st.integers(0, 120)),
        draw(st.sampled_from(["none", "linear"])), draw(st.integers(0, 60)),
        draw(_num(0, 100)), draw(_num(0, 1e5)))
    years = sorted({fy_start_year(m) for m in h.numbers()})
    fte_target = draw(_opt(_num(0, 1e5)))
    targets = Targets(
        tuple(sorted(draw(st.dictionaries(st.sampled_from(years), _num(0, 1e9),
                                          max_size=3)).items())),
        fte_target,
        None if fte_target is None else draw(_opt(st.integers(h.start, h.end - 1))))
    return Scenario(draw(NONBLANK), h, draw(TEXT), assumptions, wastage, redeployment,
                    tuple(draw(st.lists(actions(h), max_size=6))), targets)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_round_trip(scenario: Scenario) -> None:
    doc = scenario_to_dict(scenario)
    assert scenario_from_dict(doc) == scenario
    text = scenario_to_json(scenario)
    assert scenario_from_dict(json.loads(text)) == scenario
    assert scenario_to_dict(scenario_from_dict(copy.deepcopy(doc))) == doc


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | TEXT
    | st.sampled_from(["2027-05", "2027/28", "delete_posts", "filled"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8)


def _leaf_paths(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    items = (obj.items() if isinstance(obj, dict)
             else enumerate(obj) if isinstance(obj, list) else [])
    return [path] + [p for k, v in items for p in _leaf_paths(v, (*path, k))]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_any_mangled_document_gives_a_scenario_or_a_scenario_error(data: st.DataObject) -> None:
    doc = full_doc()
    for _ in range(data.draw(st.integers(1, 3))):
        path = data.draw(st.sampled_from(_leaf_paths(doc)))
        value = data.draw(JSON)
        if not path:
            doc = value
            continue
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    try:
        scenario_from_dict(doc)
    except ScenarioError as err:
        assert err.problems and all(isinstance(m, str) and m for _, m in err.problems)
        assert str(err).endswith(".")
