"""Scenario JSON, schema version 2: demand, changes, pools and risk thresholds.

Each rule has a failing case naming its JSON path; valid documents round-trip; a
version-1 file still loads; teams are checked against the establishment.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.months import Horizon, month_number
from planner.scenario import (
    DRIVERS,
    Change,
    ContactCentre,
    CreatePosts,
    GrowthPosition,
    Pool,
    RiskThresholds,
    Scenario,
    Slippage,
    Targets,
    TeamDemand,
)
from planner.scenario_io import (
    ScenarioError,
    check_scenario,
    load_scenario,
    scenario_from_dict,
    scenario_to_dict,
    scenario_to_json,
)
from planner.workforce import Workforce
from tests.planner.posts_factory import make_posts

FULL = Path(__file__).parent / "data" / "scenarios" / "full.json"
M = month_number


def full_doc() -> dict[str, Any]:
    return json.loads(FULL.read_text(encoding="utf-8"))


def edited(change: Callable[[dict[str, Any]], Any]) -> dict[str, Any]:
    doc = full_doc()
    change(doc)
    return doc


def problems_of(doc: Any) -> list[tuple[str, str]]:
    with pytest.raises(ScenarioError) as info:
        scenario_from_dict(doc, source="cut.json")
    return info.value.problems


def only_problem(doc: Any) -> tuple[str, str]:
    problems = problems_of(doc)
    assert len(problems) == 1, problems
    return problems[0]


# ---------------------------------------------------------------- the full example


def test_the_full_example_reads_every_new_field() -> None:
    s = load_scenario(FULL)
    cc, rev, ben = s.demand
    assert cc == TeamDemand(
        "Contact Centre", hours_per_month=5200.0,
        seasonal=(1.1, 1.0, 1.0, 0.9, 0.9, 1.0, 1.0, 0.9, 0.8, 1.2, 1.1, 1.0), growth_pct=2.0,
        growth_positions=(GrowthPosition(M(2028, 4), 150.0, "New duty"),
                          GrowthPosition(M(2030, 4), -80.0, "Duty transferred to the county")),
        contact_centre=ContactCentre(100.0, 30.0, 180.0, 20.0, 80.0, 30.0))
    assert rev == TeamDemand("Revenues", volume_per_month=4000.0, minutes_per_item=45.0)
    assert ben == TeamDemand("Benefits")  # neither: demand is the team's baseline capacity
    crm, self_service = s.changes
    assert crm == Change("New CRM and online forms", M(2028, 4), ("Contact Centre", "Revenues"),
                         "technology_and_process", 20.0, 10.0, 6, 61.0, Slippage(0, 3, 9))
    # the human driver name, a single team as text, and a change live before the horizon
    assert self_service == Change("Council tax self-service", M(2027, 1), ("Revenues",),
                                  "channel_shift", demand_removed_pct=15.0)
    assert s.pools == (Pool("Customer case officers", ("Revenues", "Benefits"), 0.9,
                            (("Benefits", 2.0),), M(2028, 1),
                            (("Revenues", ("revenues", "council tax")),
                             ("Benefits", ("benefits",)))),)
    assert s.targets.risk == RiskThresholds()


def test_the_full_example_round_trips() -> None:
    s = load_scenario(FULL)
    doc = scenario_to_dict(s)
    assert doc["schema_version"] == 2
    assert scenario_from_dict(doc) == s
    assert scenario_to_dict(scenario_from_dict(copy.deepcopy(doc))) == doc
    assert scenario_from_dict(json.loads(scenario_to_json(s))) == s


def test_every_field_of_the_new_sections_is_written() -> None:
    doc = scenario_to_dict(load_scenario(FULL))

    def names(cls: type) -> set[str]:
        return {f.name for f in fields(cls)}

    assert all(set(d) == names(TeamDemand) for d in doc["demand"])
    assert set(doc["demand"][0]["contact_centre"]) == names(ContactCentre)
    assert doc["demand"][1]["contact_centre"] is None
    assert doc["demand"][1]["seasonal"] == []
    assert doc["demand"][0]["growth_positions"][0] == {
        "month": "2028-04", "hours_per_month": 150, "label": "New duty"}
    assert all(set(c) == names(Change) for c in doc["changes"])
    assert doc["changes"][0]["slippage"] == {"min_months": 0, "mode_months": 3, "max_months": 9}
    assert doc["changes"][1]["go_live"] == "2027-01"
    assert doc["pools"] == [{"name": "Customer case officers", "teams": ["Revenues", "Benefits"],
                             "efficiency": 0.9, "weights": {"Benefits": 2},
                             "from_month": "2028-01",
                             "skills": {"Revenues": ["revenues", "council tax"],
                                        "Benefits": ["benefits"]}}]
    assert doc["targets"]["risk"] == {"amber_ratio": 0.95, "red_ratio": 0.85,
                                      "amber_backlog_weeks": 2, "red_backlog_weeks": 4}


# ---------------------------------------------------------------- versions


def v1_doc() -> dict[str, Any]:
    doc = full_doc()
    for key in ("demand", "changes", "pools"):
        del doc[key]
    del doc["targets"]["risk"]
    doc["schema_version"] = 1
    return doc


def test_a_version_1_document_loads_unchanged() -> None:
    s = scenario_from_dict(v1_doc())
    assert (s.demand, s.changes, s.pools, s.targets.risk) == ((), (), (), RiskThresholds())
    v2 = load_scenario(FULL)
    assert s == replace(v2, demand=(), changes=(), pools=(),
                        targets=replace(v2.targets, risk=RiskThresholds()))


def test_version_3_says_update_the_planner() -> None:
    path, message = only_problem(edited(lambda d: d.update(schema_version=3, future={})))
    assert path == "schema_version"
    assert "was written by a newer FTE Planner (schema version 3)" in message
    assert "reads schema version 2" in message


# ---------------------------------------------------------------- one case per rule


def _cc(**values: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["demand"][0]["contact_centre"].update(values)


def _dem(i: int, **values: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["demand"][i].update(values)


DEMAND_CASES: list[tuple[Callable[[dict[str, Any]], Any], str, str]] = [
    (lambda d: d.update(demand={"team": "Revenues"}), "demand", "must be a list […]"),
    (lambda d: d["demand"].append("Parks"), "demand[3]", "must be an object"),
    (lambda d: d["demand"].append({"hours_per_month": 5}), "demand[3].team",
     "is required but missing"),
    (_dem(2, team=" "), "demand[2].team", "must not be empty"),
    (lambda d: d["demand"].append({"team": " contact centre"}), "demand[3].team",
     "team ' contact centre' already has demand at demand[0]"),
    (_dem(0, volume_per_month=10, minutes_per_item=3), "demand[0]",
     "give hours_per_month or volume_per_month with minutes_per_item, not both"),
    (_dem(1, minutes_per_item=None), "demand[1].minutes_per_item",
     "is required with volume_per_month"),
    (_dem(2, minutes_per_item=5), "demand[2].volume_per_month",
     "is required with minutes_per_item"),
    (_dem(0, hours_per_month=0), "demand[0].hours_per_month", "must be more than 0, not 0"),
    (_dem(1, volume_per_month=-1), "demand[1].volume_per_month", "must be at least 0"),
    (_dem(1, minutes_per_item="45"), "demand[1].minutes_per_item", "must be a number"),
    (_dem(0, seasonal=[1] * 11), "demand[0].seasonal",
     "must list 12 factors, April to March (or none for a flat year), not 11"),
    (_dem(0, seasonal=[1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1]), "demand[0].seasonal[3]",
     "must be more than 0, not 0"),
    (_dem(0, seasonal="flat"), "demand[0].seasonal", "must be a list"),
    (_dem(0, growth_pct=101), "demand[0].growth_pct", "must be between -50 and 100, not 101"),
    (_dem(0, growth_pct=-51), "demand[0].growth_pct", "must be between -50 and 100, not -51"),
    (lambda d: d["demand"][0]["growth_positions"][0].update(month="2032-04"),
     "demand[0].growth_positions[0].month", "'2032-04' is outside the horizon"),
    (lambda d: d["demand"][0]["growth_positions"][1].update(hours_per_month=math.nan),
     "demand[0].growth_positions[1].hours_per_month", "must be a finite number, not nan"),
    (lambda d: d["demand"][0]["growth_positions"].append({"month": "2028-04"}),
     "demand[0].growth_positions[2].hours_per_month", "is required but missing"),
    (_cc(calls_per_interval=-1), "demand[0].contact_centre.calls_per_interval",
     "must be at least 0"),
    (lambda d: d["demand"][0]["contact_centre"].pop("calls_per_interval"),
     "demand[0].contact_centre.calls_per_interval", "is required but missing"),
    (_cc(interval_minutes=0), "demand[0].contact_centre.interval_minutes",
     "must be more than 0 and at most 1440, not 0"),
    (_cc(interval_minutes=1441), "demand[0].contact_centre.interval_minutes",
     "must be more than 0 and at most 1440, not 1441"),
    (_cc(aht_seconds=0), "demand[0].contact_centre.aht_seconds", "must be more than 0"),
    (_cc(answer_seconds=-1), "demand[0].contact_centre.answer_seconds", "must be at least 0"),
    (_cc(target_pct=100), "demand[0].contact_centre.target_pct",
     "must be more than 0 and less than 100, not 100"),
    (_cc(target_pct=0), "demand[0].contact_centre.target_pct", "must be more than 0"),
    (_cc(shrinkage_pct=100), "demand[0].contact_centre.shrinkage_pct",
     "must be at least 0 and less than 100, not 100"),
    (_cc(shrinkage_pct=-1), "demand[0].contact_centre.shrinkage_pct", "must be at least 0"),
    (_cc(aht_secs=180), "demand[0].contact_centre",
     "unknown key 'aht_secs' (did you mean 'aht_seconds'?)"),
    (_dem(0, season=[]), "demand[0]", "unknown key 'season' (did you mean 'seasonal'?)"),
]


def _chg(i: int, **values: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["changes"][i].update(values)


def _slip(**values: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["changes"][0]["slippage"].update(values)


CHANGE_CASES: list[tuple[Callable[[dict[str, Any]], Any], str, str]] = [
    (lambda d: d.update(changes="CRM"), "changes", "must be a list […]"),
    (lambda d: d["changes"][1].pop("name"), "changes[1].name", "is required but missing"),
    (_chg(1, name=""), "changes[1].name", "must not be empty"),
    (_chg(1, name="new crm AND online forms "), "changes[1].name",
     "change name 'new crm AND online forms ' is given twice (also at changes[0].name)"),
    (lambda d: d["changes"][0].pop("go_live"), "changes[0].go_live", "is required but missing"),
    (_chg(0, go_live="2032-04"), "changes[0].go_live",
     "'2032-04' is after the end of the horizon (2027-04 to 2032-03)"),
    (_chg(0, go_live="April 2028"), "changes[0].go_live", "is not a month written as YYYY-MM"),
    (lambda d: d["changes"][0].pop("teams"), "changes[0].teams", "is required but missing"),
    (_chg(0, teams=[]), "changes[0].teams", "must name at least one team"),
    (_chg(0, teams=["Revenues", None]), "changes[0].teams[1]", "must be text"),
    (_chg(0, teams=["Revenues", "revenues"]), "changes[0].teams[1]",
     "team 'revenues' is given twice (also at changes[0].teams[0])"),
    (_chg(0, driver="technology"), "changes[0].driver",
     "must be one of 'customer_enablement', 'channel_shift', 'technology_and_process', "
     "'remodelling', not text 'technology' (did you mean 'technology_and_process'?)"),
    (_chg(0, driver=3), "changes[0].driver", "must be one of"),
    (_chg(0, demand_removed_pct=100), "changes[0].demand_removed_pct",
     "must be at least 0 and less than 100, not 100"),
    (_chg(0, demand_removed_pct=-1), "changes[0].demand_removed_pct", "must be at least 0"),
    (_chg(0, productivity_gain_pct=301), "changes[0].productivity_gain_pct",
     "must be between 0 and 300, not 301"),
    (_chg(0, demand_removed_pct=0, productivity_gain_pct=0), "changes[0]",
     "has no effect: give demand_removed_pct or productivity_gain_pct"),
    (lambda d: d["changes"][1].pop("demand_removed_pct"), "changes[1]", "has no effect"),
    (_chg(0, ramp_months=61), "changes[0].ramp_months", "must be between 0 and 60 months, not 61"),
    (_chg(0, ramp_months=2.5), "changes[0].ramp_months", "must be a whole number, not 2.5"),
    (_chg(0, realisation_pct=201), "changes[0].realisation_pct",
     "must be between 0 and 200, not 201"),
    (_slip(min_months=4), "changes[0].slippage",
     "min_months (4) is more than mode_months (3); slippage needs min_months ≤ mode_months ≤ "
     "max_months"),
    (_slip(max_months=2), "changes[0].slippage", "mode_months (3) is more than max_months (2)"),
    (_slip(min_months=-25), "changes[0].slippage.min_months",
     "must be between -24 and 60 months, not -25"),
    (_slip(max_months=61), "changes[0].slippage.max_months",
     "must be between -24 and 60 months, not 61"),
    (_slip(most_likely=2), "changes[0].slippage",
     "unknown key 'most_likely' (allowed keys: min_months, mode_months, max_months)"),
    (_chg(0, slippage=3), "changes[0].slippage", "must be an object"),
]


def _pool(**values: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["pools"][0].update(values)


def _second_pool(**values: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["pools"].append({"name": "Hub", "teams": ["Contact Centre", "Parks"],
                                        **values})


POOL_CASES: list[tuple[Callable[[dict[str, Any]], Any], str, str]] = [
    (lambda d: d.update(pools={}), "pools", "must be a list […]"),
    (lambda d: d["pools"][0].pop("name"), "pools[0].name", "is required but missing"),
    (_second_pool(name="customer case officers"), "pools[1].name",
     "pool name 'customer case officers' is given twice (also at pools[0].name)"),
    (lambda d: d["pools"][0].pop("teams"), "pools[0].teams", "is required but missing"),
    (_pool(teams=["Revenues"], weights={}), "pools[0].teams",
     "must name at least 2 different teams (a pool shares staff between teams), not 1"),
    (_pool(teams="Revenues", weights={}), "pools[0].teams", "must name at least 2 different"),
    (_pool(teams=["Revenues", "REVENUES"], weights={}), "pools[0].teams[1]",
     "team 'REVENUES' is given twice"),
    (_second_pool(teams=["Contact Centre", "benefits"]), "pools[1].teams[1]",
     "team 'benefits' is already in the pool at pools[0]; a team can be in one pool only"),
    (_pool(efficiency=0), "pools[0].efficiency", "must be more than 0 and at most 1, not 0"),
    (_pool(efficiency=1.1), "pools[0].efficiency", "must be more than 0 and at most 1, not 1.1"),
    (_pool(weights={"Benefit": 2}), 'pools[0].weights["Benefit"]',
     "'Benefit' is not one of the pool's teams (did you mean 'Benefits'?)"),
    (_pool(weights={"Parks": 2}), 'pools[0].weights["Parks"]',
     "'Parks' is not one of the pool's teams (Revenues, Benefits)"),
    (_pool(weights={"Benefits": 0}), 'pools[0].weights["Benefits"]',
     "must be more than 0, not 0"),
    (_pool(weights={"Benefits": 1, "benefits": 2}), 'pools[0].weights["benefits"]',
     "is given twice"),
    (_pool(weights=[2, 1]), "pools[0].weights", "must be an object {…}, not a list"),
    (_pool(from_month="2026-12"), "pools[0].from_month", "'2026-12' is outside the horizon"),
    (_pool(skills={"Benefit": "benefits"}), 'pools[0].skills["Benefit"]',
     "'Benefit' is not one of the pool's teams (did you mean 'Benefits'?)"),
    (_pool(skills={"Benefits": ["benefits", 7]}), 'pools[0].skills["Benefits"][1]',
     "must be text or a list of texts, not 7"),
    (_pool(skills={"Revenues": " "}), 'pools[0].skills["Revenues"]', "must not be empty"),
    (_pool(skills=["benefits"]), "pools[0].skills", "must be an object {…}, not a list"),
]


def _risk(**values: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda d: d["targets"]["risk"].update(values)


RISK_CASES: list[tuple[Callable[[dict[str, Any]], Any], str, str]] = [
    (_risk(red_ratio=0.95), "targets.risk.red_ratio",
     "must be less than amber_ratio (0.95), not 0.95"),
    (_risk(amber_ratio=0.8), "targets.risk.red_ratio", "must be less than amber_ratio (0.8)"),
    (_risk(red_ratio=0), "targets.risk.red_ratio", "must be more than 0 and at most 2, not 0"),
    (_risk(amber_ratio=2.5), "targets.risk.amber_ratio",
     "must be more than 0 and at most 2, not 2.5"),
    (_risk(amber_backlog_weeks=5), "targets.risk.amber_backlog_weeks",
     "must not be more than red_backlog_weeks (4), not 5"),
    (_risk(amber_backlog_weeks=-1), "targets.risk.amber_backlog_weeks",
     "must be between 0 and 52 weeks, not -1"),
    (_risk(red_backlog_weeks=53), "targets.risk.red_backlog_weeks",
     "must be between 0 and 52 weeks, not 53"),
    (_risk(red_ratios=0.8), "targets.risk",
     "unknown key 'red_ratios' (did you mean 'red_ratio'?)"),
    (lambda d: d["targets"].update(risk="high"), "targets.risk", "must be an object"),
]


@pytest.mark.parametrize(("change", "path", "phrase"),
                         DEMAND_CASES + CHANGE_CASES + POOL_CASES + RISK_CASES)
def test_each_rule_names_its_path(change: Callable[[dict[str, Any]], Any], path: str,
                                  phrase: str) -> None:
    got_path, message = only_problem(edited(change))
    assert got_path == path
    assert phrase in message


@pytest.mark.parametrize(("change", "check"), [
    (_chg(0, driver="Technology and process"),
     lambda s: s.changes[0].driver == "technology_and_process"),
    (_chg(0, driver=" CUSTOMER-enablement "),
     lambda s: s.changes[0].driver == "customer_enablement"),
    (lambda d: d["changes"][0].pop("driver"),
     lambda s: s.changes[0].driver == "technology_and_process"),
    (_chg(0, go_live="2020-01"), lambda s: s.changes[0].go_live == M(2020, 1)),
    (_chg(0, go_live="2032-03"), lambda s: s.changes[0].go_live == M(2032, 3)),
    (_chg(0, ramp_months=0), lambda s: s.changes[0].ramp_months == 0),
    (_chg(0, demand_removed_pct=0), lambda s: s.changes[0].productivity_gain_pct == 10),
    (_slip(min_months=-24, mode_months=-24, max_months=60),
     lambda s: s.changes[0].slippage == Slippage(-24, -24, 60)),
    (_dem(0, seasonal=None), lambda s: s.demand[0].seasonal == ()),
    (_dem(1, volume_per_month=0, minutes_per_item=0),
     lambda s: s.demand[1].volume_per_month == 0),
    (_dem(0, growth_pct=-50), lambda s: s.demand[0].growth_pct == -50),
    (_dem(0, contact_centre={"calls_per_interval": 0}),
     lambda s: s.demand[0].contact_centre == ContactCentre(0.0)),
    (_pool(from_month=None, weights=None),
     lambda s: (s.pools[0].from_month, s.pools[0].weights) == (None, ())),
    (_pool(efficiency=1), lambda s: s.pools[0].efficiency == 1),
    (_pool(skills=None, weights={"revenues": 1.5}),
     lambda s: (s.pools[0].skills, s.pools[0].weights) == ((), (("revenues", 1.5),))),
    (_risk(amber_ratio=2, red_ratio=1.5, amber_backlog_weeks=3, red_backlog_weeks=3),
     lambda s: s.targets.risk == RiskThresholds(2, 1.5, 3, 3)),
])
def test_limits_and_forms_that_are_allowed(change: Callable[[dict[str, Any]], Any],
                                           check: Callable[[Scenario], bool]) -> None:
    assert check(scenario_from_dict(edited(change)))


def test_every_problem_in_the_new_sections_is_found_in_one_pass() -> None:
    doc = edited(lambda d: (_dem(0, growth_pct=500)(d), _chg(1, name="")(d),
                            _chg(1, ramp_months=-1)(d), _pool(efficiency=2)(d),
                            _risk(red_ratio=0.99)(d), d.update(horizon={"start": "2027-04",
                                                                         "months": 60})))
    assert [p for p, _ in problems_of(doc)] == [
        "demand[0].growth_pct", "changes[1].name", "changes[1].ramp_months",
        "pools[0].efficiency", "targets.risk.red_ratio"]


# ---------------------------------------------------------------- checks against posts


def establishment() -> Any:
    return make_posts([{"team": t} for t in ("Contact Centre", "Revenues", "Benefits", "Parks")])


def team_problems(scenario: Scenario, as_workforce: bool) -> list[tuple[str, str]]:
    posts = establishment()
    try:
        check_scenario(scenario, Workforce.from_posts(posts) if as_workforce else posts)
    except ScenarioError as err:
        return err.problems
    return []


def base(**sections: Any) -> Scenario:
    return Scenario("Hub", Horizon(M(2027, 4), 60), **sections)


@pytest.mark.parametrize("as_workforce", [False, True])
def test_misspelt_teams_in_demand_changes_and_pools(as_workforce: bool) -> None:
    scenario = base(
        demand=(TeamDemand("Revenues"), TeamDemand("Contact Centr")),
        changes=(Change("CRM", M(2028, 4), ("benefits ", "Revenue"), demand_removed_pct=5),),
        pools=(Pool("Case officers", ("Parks", "Bnefits")),))
    assert team_problems(scenario, as_workforce) == [
        ("demand[1].team",
         "team 'Contact Centr' is not in the establishment (did you mean 'Contact Centre'?)"),
        ("changes[0].teams[1]",
         "team 'Revenue' is not in the establishment (did you mean 'Revenues'?)"),
        ("pools[0].teams[1]",
         "team 'Bnefits' is not in the establishment (did you mean 'Benefits'?)"),
    ]


@pytest.mark.parametrize("as_workforce", [False, True])
def test_a_team_made_by_create_posts_is_known(as_workforce: bool) -> None:
    hub = CreatePosts(M(2027, 9), "Customer Hub", grade="Grade 5", directorate="Resources")
    scenario = base(actions=(hub,), demand=(TeamDemand("customer hub"),),
                    changes=(Change("CRM", M(2028, 4), ("Customer Hub",),
                                    productivity_gain_pct=5),),
                    pools=(Pool("Hub pool", ("Customer Hub", "CONTACT CENTRE")),))
    assert team_problems(scenario, as_workforce) == []
    unknown = replace(scenario, demand=(TeamDemand("Customer Hubb"), TeamDemand("Zzz")))
    assert team_problems(unknown, as_workforce) == [
        ("demand[0].team",
         "team 'Customer Hubb' is not in the establishment (did you mean 'Customer Hub'?)"),
        ("demand[1].team", "team 'Zzz' is not in the establishment"),
    ]


# ---------------------------------------------------------------- properties

_CHARS = st.characters(codec="utf-8")
NONBLANK = st.text(_CHARS, min_size=1, max_size=10).filter(lambda t: bool(t.strip()))
H = Horizon(M(2027, 4), 60)
IN_H = st.integers(H.start, H.end - 1)


def _num(lo: float, hi: float, *, open_lo: bool = False,
         open_hi: bool = False) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, exclude_min=open_lo, exclude_max=open_hi, allow_nan=False)


def _unique_names(n: int) -> st.SearchStrategy[list[str]]:
    return st.lists(NONBLANK, min_size=n, max_size=n, unique_by=lambda t: t.strip().casefold())


@st.composite
def team_demand(draw: st.DrawFn, team: str) -> TeamDemand:
    form = draw(st.sampled_from(["hours", "volume", "neither"]))
    cc = draw(st.none() | st.builds(
        ContactCentre, _num(0, 1e4), _num(0, 1440, open_lo=True), _num(0, 3600, open_lo=True),
        _num(0, 600), _num(0, 100, open_lo=True, open_hi=True), _num(0, 100, open_hi=True)))
    return TeamDemand(
        team, hours_per_month=draw(_num(0, 1e6, open_lo=True)) if form == "hours" else None,
        volume_per_month=draw(_num(0, 1e6)) if form == "volume" else None,
        minutes_per_item=draw(_num(0, 600)) if form == "volume" else None,
        seasonal=tuple(draw(st.lists(_num(0, 10, open_lo=True), min_size=12, max_size=12)
                            | st.just([]))),
        growth_pct=draw(_num(-50, 100)),
        growth_positions=tuple(draw(st.lists(st.builds(
            GrowthPosition, IN_H, _num(-1e5, 1e5), st.text(_CHARS, max_size=5)), max_size=2))),
        contact_centre=cc)


@st.composite
def capacity_sections(draw: st.DrawFn) -> Scenario:
    teams = draw(_unique_names(6))
    demand = tuple(draw(team_demand(t)) for t in teams[:draw(st.integers(0, 3))])
    changes = []
    for name in draw(st.lists(NONBLANK, max_size=3, unique_by=lambda t: t.strip().casefold())):
        removed, gain = draw(_num(0, 100, open_hi=True)), draw(_num(0, 300))
        slips = sorted(draw(st.lists(_num(-24, 60), min_size=3, max_size=3)))
        changes.append(Change(
            name, draw(st.integers(M(2000, 1), H.end - 1)),
            tuple(draw(st.lists(st.sampled_from(teams), min_size=1, max_size=3, unique=True))),
            draw(st.sampled_from(DRIVERS)), removed, gain if removed or gain else 1.0,
            draw(st.integers(0, 60)), draw(_num(0, 200)), Slippage(*slips)))
    pools = []
    if draw(st.booleans()):
        members = teams[:3]
        pools.append(Pool(draw(NONBLANK), tuple(members), draw(_num(0, 1, open_lo=True)),
                          tuple((t, draw(_num(0, 10, open_lo=True)))
                                for t in draw(st.lists(st.sampled_from(members), unique=True))),
                          draw(st.none() | IN_H),
                          tuple((t, tuple(draw(st.lists(NONBLANK, max_size=3))))
                                for t in draw(st.lists(st.sampled_from(members), unique=True)))))
    red, amber = sorted(draw(st.lists(_num(0, 2, open_lo=True), min_size=2, max_size=2,
                                      unique=True)))
    weeks = sorted(draw(st.lists(_num(0, 52), min_size=2, max_size=2)))
    return Scenario("Capacity", H, demand=demand, changes=tuple(changes), pools=tuple(pools),
                    targets=Targets(risk=RiskThresholds(amber, red, *weeks)))


@settings(max_examples=150, deadline=None)
@given(capacity_sections())
def test_the_new_sections_round_trip(scenario: Scenario) -> None:
    doc = scenario_to_dict(scenario)
    assert scenario_from_dict(doc) == scenario
    assert scenario_from_dict(json.loads(scenario_to_json(scenario))) == scenario
    assert scenario_to_dict(scenario_from_dict(copy.deepcopy(doc))) == doc


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(_CHARS, max_size=8)
    | st.sampled_from(["2028-04", "Revenues", "channel shift", "Benefits"]),
    lambda inner: st.lists(inner, max_size=12) | st.dictionaries(
        st.text(_CHARS, max_size=8) | st.sampled_from(["team", "teams", "Benefits", "month"]),
        inner, max_size=3),
    max_leaves=14)


def _paths(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    items = (obj.items() if isinstance(obj, dict)
             else enumerate(obj) if isinstance(obj, list) else [])
    return [path] + [p for k, v in items for p in _paths(v, (*path, k))]


NEW = {("demand",), ("changes",), ("pools",)}


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_mutated_capacity_sections_load_or_raise_a_scenario_error(data: st.DataObject) -> None:
    doc = full_doc()
    for _ in range(data.draw(st.integers(1, 4))):
        paths = [p for p in _paths(doc) if p[:1] in NEW or p[:2] == ("targets", "risk")]
        path = data.draw(st.sampled_from(paths))
        target: Any = doc
        for key in path[:-1]:
            target = target[key]
        if isinstance(target, dict) and data.draw(st.booleans()):
            target.pop(path[-1])  # a key left out
        else:
            target[path[-1]] = data.draw(JSON)
    try:
        scenario_from_dict(doc)
    except ScenarioError as err:
        assert err.problems and all(isinstance(m, str) and m for _, m in err.problems)
        assert str(err).endswith(".")
