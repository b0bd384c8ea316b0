"""Whole scenario runs against hand calculations: savings, years, payback, redundancy, moves."""

from __future__ import annotations

import pytest

from planner.months import Horizon, parse_month
from planner.runner import run_scenario
from planner.scenario import (
    Assumptions,
    DeletePosts,
    NaturalWastage,
    RedundancyTerms,
    Scenario,
    Selector,
    Targets,
    VacancyFreeze,
)
from planner.scenario_io import ScenarioError, check_scenario
from planner.workforce import Workforce
from tests.planner.posts_factory import make_posts

START = parse_month("2027-04")
FLAT = Assumptions(pay_award_pct=0.0)
NO_TURNOVER = NaturalWastage(annual_turnover_pct=0.0, backfill_lag_months=3)
# £30,000 a year: pay 2,500 + NI 15 % × (2,500 − 416.67) = 312.50 + pension 19.8 % = 495.
MONTHLY_COST = 2_500 + 312.50 + 495.0


def ids(*post_ids: str) -> Selector:
    return Selector(post_ids=post_ids)


def one_post_deleted(**post: object) -> Scenario:
    return Scenario("Delete one", Horizon(START, 24), assumptions=FLAT,
                    natural_wastage=NO_TURNOVER,
                    actions=(DeletePosts(START + 6, ids("P001")),),
                    targets=Targets(savings_by_fy=((2027, 19_845.0), (2028, 40_000.0))))


def test_deleting_one_post_saves_its_cost_from_the_month() -> None:
    posts = make_posts([{"age": 45, "years_service": 10}])
    r = run_scenario(posts, one_post_deleted())
    m = r.monthly()
    assert m["saving"].iloc[:6].abs().max() < 1e-9
    assert m["saving"].iloc[6:].to_numpy() == pytest.approx([MONTHLY_COST] * 18)
    fy = r.by_financial_year().set_index("financial_year")
    assert fy.loc["2027/28", "saving"] == pytest.approx(6 * MONTHLY_COST)  # 19,845
    assert fy.loc["2028/29", "saving"] == pytest.approx(12 * MONTHLY_COST)  # 39,690
    assert fy.loc["2027/28", "target_met"] is True
    assert fy.loc["2028/29", "target_met"] is False  # 39,690 < 40,000
    assert r.kpis()["full_year"] == "2028/29"


def test_redundancy_and_payback_of_one_deletion() -> None:
    posts = make_posts([{"age": 45, "years_service": 10}])
    r = run_scenario(posts, one_post_deleted())
    leaver = r.one_off.leavers.iloc[0]
    # Age 45 with 10 years: ages 44-41 at 1.5 weeks (6) and 40-35 at 1 week (6) = 12 weeks.
    assert leaver["statutory_weeks"] == 12
    # Week's pay 30,000 ÷ 52 = 576.92, under the cap: 12 × 576.92 = 6,923.08.
    assert leaver["statutory_pay"] == pytest.approx(12 * 30_000 / 52)
    assert leaver["enhancement"] == 0 and leaver["pension_strain_estimate"] == 0
    m = r.monthly()
    assert m["redundancy"].iloc[6] == pytest.approx(6_923.08, abs=0.01)
    # Cumulative net: month 6 −3,615.58; month 7 −308.08; month 8 +2,999.42 → Dec 2027.
    assert m["cumulative_net"].iloc[7] == pytest.approx(2 * MONTHLY_COST - 6_923.08, abs=0.01)
    assert r.payback_month() == "2027-12"


def test_enhanced_redundancy_with_actual_pay_and_multiplier() -> None:
    posts = make_posts([{"age": 45, "years_service": 10, "annual_salary": 52_000}])
    sc = one_post_deleted()
    from dataclasses import replace

    sc = replace(sc, assumptions=replace(FLAT, redundancy=RedundancyTerms(2.0, True, 104)))
    leaver = run_scenario(posts, sc).one_off.leavers.iloc[0]
    # Week's pay 52,000 ÷ 52 = 1,000; leaving 30 Sep 2027 the cap is the latest in the table.
    assert leaver["weekly_pay"] == pytest.approx(1_000)
    total = leaver["statutory_pay"] + leaver["enhancement"]
    assert total == pytest.approx(24 * 1_000)  # 12 weeks × 2 at actual pay


def test_people_who_may_have_left_cost_less() -> None:
    posts = make_posts([{"age": 45, "years_service": 10}])
    sc = one_post_deleted()
    from dataclasses import replace

    sc = replace(sc, natural_wastage=NaturalWastage(13.4, 3))
    leaver = run_scenario(posts, sc).one_off.leavers.iloc[0]
    # The post is held empty once planned for deletion, so the chance the holder is still
    # there after six months is (1 − 13.4 %)^(6/12).
    assert leaver["chance_still_in_post"] == pytest.approx(0.866 ** 0.5)
    assert leaver["expected_cost"] == pytest.approx(12 * 30_000 / 52 * 0.866 ** 0.5)


def test_externally_funded_savings_are_shown_apart() -> None:
    posts = make_posts([{"funding": "grant"}, {"post_id": "X", "external_funding": 7_500}])
    sc = Scenario("x", Horizon(START, 12), assumptions=FLAT, natural_wastage=NO_TURNOVER,
                  actions=(DeletePosts(START, ids("P001", "X")),))
    m = run_scenario(posts, sc).monthly()
    # The grant post is wholly external; the other is 7,500 ÷ 30,000 = a quarter external.
    assert m["saving"].iloc[0] == pytest.approx(2 * MONTHLY_COST)
    assert m["external_saving"].iloc[0] == pytest.approx(1.25 * MONTHLY_COST)
    assert m["core_saving"].iloc[0] == pytest.approx(0.75 * MONTHLY_COST)


def test_redeployment_into_a_vacancy_avoids_redundancy() -> None:
    posts = make_posts([
        {"post_id": "A", "team": "X", "age": 50, "years_service": 20},
        {"post_id": "B", "team": "Y", "status": "vacant", "annual_salary": 28_000},
    ])
    sc = Scenario("move", Horizon(START, 24), assumptions=FLAT, natural_wastage=NO_TURNOVER,
                  actions=(DeletePosts(START + 3, ids("A")),))
    r = run_scenario(posts, sc)
    assert len(r.redeployment.matches) == 1 and r.one_off.leavers.empty
    # B is held for the redeployee (not recruited), and filled by the move in month 3.
    assert r.run.occ[:3].sum(axis=1) == pytest.approx([1.0] * 3)
    assert r.run.occ[3:].sum(axis=1) == pytest.approx([1.0] * 21)
    m = r.monthly()
    # Pay protection: (30,000 − 28,000) ÷ 12 = 166.67 a month for 12 months, with pension
    # (19.8 %) and NI at the marginal 15 %: 166.67 × 1.348 = 224.67.
    assert m["pay_protection"].iloc[3:15].to_numpy() == pytest.approx([2_000 / 12 * 1.348] * 12)
    assert m["pay_protection"].iloc[15:].sum() == 0
    # The baseline recruits to B (3,000 recruitment cost when the recruit arrives in month 3);
    # the scenario does not, and A's 30,000 post goes while B costs the same in both runs.
    assert m["saving"].iloc[3] == pytest.approx(MONTHLY_COST + 3_000)
    assert r.kpis()["people_redeployed"] == 1


def test_the_vacancy_freeze_saving_is_the_unfilled_vacancy() -> None:
    posts = make_posts([{"status": "vacant"}])
    sc = Scenario("freeze", Horizon(START, 12), assumptions=FLAT, natural_wastage=NO_TURNOVER,
                  actions=(VacancyFreeze(START, Selector()),))
    m = run_scenario(posts, sc).monthly()
    # The baseline fills the vacancy in month 3 (3,000 to recruit); the freeze keeps it empty.
    assert m["saving"].iloc[:3].abs().max() < 1e-9
    assert m["saving"].iloc[3] == pytest.approx(MONTHLY_COST + 3_000)
    assert m["saving"].iloc[4:].to_numpy() == pytest.approx([MONTHLY_COST] * 8)


def test_check_against_a_workforce_gives_the_same_message() -> None:
    posts = make_posts([{}])
    sc = Scenario("bad", Horizon(START, 12),
                  actions=(DeletePosts(START, Selector(fields=(("team", ("Revenus",)),))),))
    messages = []
    for target in (posts, Workforce.from_posts(posts)):
        with pytest.raises(ScenarioError) as info:
            check_scenario(sc, target)
        messages.append(str(info.value))
    assert messages[0] == messages[1]
    assert "actions[0].select" in messages[0] and "'Revenus'" in messages[0]


def test_retraining_loses_capacity_in_the_new_team() -> None:
    posts = make_posts([
        {"post_id": "A", "team": "X"},
        {"post_id": "B", "team": "Y", "status": "vacant"},
    ])
    sc = Scenario("move", Horizon(START, 12), assumptions=FLAT, natural_wastage=NO_TURNOVER,
                  actions=(DeletePosts(START + 2, ids("A")),))
    r = run_scenario(posts, sc)
    team_y = r.teams.index("Y")
    lost = r.one_off.retraining_fte_lost[:, team_y]
    # Default policy: 3 months at 50 % productivity from the move in month 2.
    assert list(lost) == pytest.approx([0, 0, 0.5, 0.5, 0.5] + [0] * 7)


def test_fte_target_is_reported() -> None:
    posts = make_posts([{}, {}, {}])
    sc = Scenario("t", Horizon(START, 12), assumptions=FLAT, natural_wastage=NO_TURNOVER,
                  actions=(DeletePosts(START + 1, ids("P001")),),
                  targets=Targets(fte_target=2.0, fte_target_month=START + 6))
    k = run_scenario(posts, sc).kpis()
    assert k["fte_at_target_month"] == pytest.approx(2.0) and k["fte_target_met"] is True


def test_names_in_actions_match_ignoring_case_and_spaces() -> None:
    from planner.scenario import CreatePosts, TemporaryCover

    posts = make_posts([{"team": "Revenues", "grade": "Grade 5", "annual_salary": 30_000}])
    sc = Scenario("case", Horizon(START, 12), assumptions=FLAT, natural_wastage=NO_TURNOVER,
                  actions=(CreatePosts(START, "revenues ", count=1, grade="grade 5"),
                           TemporaryCover(START, "REVENUES", fte=1, months=2,
                                          annual_cost_per_fte=12_000)))
    r = run_scenario(posts, sc)
    assert r.teams == ["Revenues"]
    new = r.run.prep.posts.iloc[-1]
    assert new["team"] == "Revenues" and new["annual_salary"] == 30_000
    assert r.monthly()["temporary_cover"].iloc[:2].tolist() == pytest.approx([1_000, 1_000])


def test_reduced_then_deleted_post_pays_on_the_reduced_hours() -> None:
    from planner.scenario import ReduceFTE

    posts = make_posts([{"annual_salary": 52_000, "age": 45, "years_service": 10}])
    sc = Scenario("cut", Horizon(START, 12), assumptions=FLAT, natural_wastage=NO_TURNOVER,
                  actions=(ReduceFTE(START, ids("P001"), to_fte=0.5),
                           DeletePosts(START + 6, ids("P001"))))
    leaver = run_scenario(posts, sc).one_off.leavers.iloc[0]
    # 0.5 FTE of £52,000: £500 a week; still certainly in post; 12 weeks → £6,000.
    assert leaver["weekly_pay"] == pytest.approx(500)
    assert leaver["chance_still_in_post"] == pytest.approx(1.0)
    assert leaver["expected_cost"] == pytest.approx(6_000)


def test_ages_from_dates_count_whole_years_on_the_birthday() -> None:
    # Leaving 31 March 2027 (post deleted from April 2027): born 31 March 1972 is 55 that day.
    posts = make_posts([{"date_of_birth": "1972-03-31", "service_start_date": "2007-04-01"}])
    sc = Scenario("b", Horizon(parse_month("2027-03"), 12), assumptions=FLAT,
                  natural_wastage=NO_TURNOVER,
                  actions=(DeletePosts(parse_month("2027-04"), ids("P001")),))
    leaver = run_scenario(posts, sc).one_off.leavers.iloc[0]
    assert leaver["age_at_leaving"] == 55 and leaver["years_service"] == 19
    assert leaver["pension_strain_estimate"] > 0


def test_impossible_ages_are_treated_as_unknown_with_a_warning() -> None:
    posts = make_posts([{"age": 15, "years_service": 3}, {"age": 40, "years_service": 10},
                        {"age": 50, "years_service": 20}])
    sc = Scenario("odd", Horizon(START, 12), assumptions=FLAT, natural_wastage=NO_TURNOVER,
                  actions=(DeletePosts(START, ids("P001")),))
    r = run_scenario(posts, sc)
    leaver = r.one_off.leavers.iloc[0]
    assert bool(leaver["estimated"]) and leaver["age_at_leaving"] == 45  # median of 40 and 50
    assert any("cannot be right" in w for w in r.warnings)


def test_targets_use_core_savings_and_skip_part_years() -> None:
    posts = make_posts([{"funding": "grant"}])
    sc = Scenario("grant", Horizon(parse_month("2027-10"), 18), assumptions=FLAT,
                  natural_wastage=NO_TURNOVER,
                  actions=(DeletePosts(parse_month("2027-10"), ids("P001")),),
                  targets=Targets(savings_by_fy=((2027, 1.0), (2028, 1.0))))
    r = run_scenario(posts, sc)
    fy = r.by_financial_year().set_index("financial_year")
    assert fy.loc["2027/28", "target_met"] is None  # six months only
    assert fy.loc["2028/29", "target_met"] is False  # grant-funded: no core saving
    assert r.kpis()["full_year_saving"] == pytest.approx(0.0)


def test_no_payback_without_one_off_costs() -> None:
    posts = make_posts([{}])
    r = run_scenario(posts, Scenario("none", Horizon(START, 12)))
    assert r.payback_month() is None
