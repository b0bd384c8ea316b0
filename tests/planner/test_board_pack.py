"""The board pack's content (planner.board_pack, planner.board_pack_text): the summary
sentences against figures worked out here from the Results frames, plural forms, no
personal data, one to five scenarios, and the charts' and tables' data."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

import numpy as np
import pytest

from planner import board_pack_text as words
from planner.board_pack import build_board_pack
from planner.board_pack_charts import fy_spans, key_team, nice_ticks, tick_text
from planner.chart_data import fy_money_table
from planner.montecarlo import simulate
from planner.months import month_label, parse_month
from planner.scenario import DeletePosts, Selector

DAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def demo():
    """The demo council, its three scenarios run once, and a small seeded simulation each."""
    from planner import bundled, importer
    from planner.demo import demo_scenarios
    from planner.runner import run_scenario
    from planner.workforce import Workforce

    est = importer.load_establishment(bundled.demo_workbook())
    wf = Workforce.from_posts(est.posts)
    scenarios = demo_scenarios()
    results = [run_scenario(wf, s) for s in scenarios]
    sims = [simulate(r, 150, seed=2027) for r in results]
    return {"est": est, "wf": wf, "scenarios": scenarios, "results": results, "sims": sims}


@pytest.fixture(scope="module")
def pack(demo):
    return build_board_pack(demo["results"], demo["sims"], demo["est"],
                            organisation="Demo Borough Council", made_on=DAY)


@pytest.fixture(scope="module")
def no_change(demo):
    """The first scenario with every action taken out: nothing is cut."""
    from planner.runner import run_scenario

    sc = replace(demo["scenarios"][0], name="No change", actions=(), description="")
    return run_scenario(demo["wf"], sc)


def short(value: float) -> str:
    """£ as the pack writes it, worked out independently: £3.4m, £480k, £950."""
    if value >= 999_500:
        return f"£{value / 1e6:.1f}m"
    if value >= 1000:
        return f"£{value / 1e3:.0f}k"
    return f"£{value:.0f}"


# ----- the sentences, against the frames ---------------------------------------------------
@pytest.mark.parametrize("i", [0, 1, 2])
def test_headline_fte_and_full_year_saving(demo, pack, i):
    r = demo["results"][i]
    m = r.monthly()
    posts_fte = float(demo["est"].posts["fte"].astype(float).sum())
    removed = posts_fte - float(m["establishment_fte"].iloc[-1])
    fewer = float(m["baseline_fte_in_post"].iloc[-1] - m["fte_in_post"].iloc[-1])
    fy = r.by_financial_year()
    last_action = max(a.month for a in r.scenario.actions)
    whole = fy[(fy["months"] == 12)
               & (fy["financial_year"].str[:4].astype(int) > (last_action - 3) // 12)]
    year, saving = whole["financial_year"].iloc[0], float(whole["core_saving"].iloc[0])
    headline = pack.scenarios[i].sentences[0]
    letter = "ABC"[i]
    assert headline == (f"Scenario {letter} removes {removed:,.1f} FTE of posts ({fewer:,.1f} FTE "
                        f"fewer in post than with no change by Mar 2032) and saves "
                        f"{short(saving)} a year to the core budget from {year}.")


def test_cut_first_in_numbers(demo, pack):
    """Scenario A: 75.2 FTE of posts, £3.4m a year from 2028/29 (the demo's shape)."""
    assert pack.scenarios[0].sentences[0].startswith(
        "Scenario A removes 75.2 FTE of posts (71.9 FTE fewer in post")
    assert "saves £3.4m a year to the core budget from 2028/29." in pack.scenarios[0].sentences[0]


@pytest.mark.parametrize("i", [0, 1, 2])
def test_red_teams_longest_first(demo, pack, i):
    r = demo["results"][i]
    frame = r.service().frame()
    red = frame[frame["rag"] == "Red"]
    counts = red.groupby("team").size()
    first = red.groupby("team")["month"].min()
    ranked = sorted(counts.index, key=lambda t: (-counts[t], first[t], t.casefold()))
    sentence = pack.scenarios[i].sentences[1]
    assert sentence.startswith(f"{len(ranked)} teams go red")
    for team in ranked[:3]:
        assert f"{team} ({counts[team]} months from {month_label(parse_month(first[team]))})" \
            in sentence
    if len(ranked) > 3:
        assert ranked[3] not in sentence


@pytest.mark.parametrize("i", [0, 1, 2])
def test_cover_target_payback_and_chance(demo, pack, i):
    r, sim = demo["results"][i], demo["sims"][i]
    sentences = pack.scenarios[i].sentences
    svc = r.service()
    fte_months = float(svc.cover_fte.sum())
    cost = fte_months * r.scenario.assumptions.agency_cost_per_fte / 12
    assert (f"needs {short(cost)} of temporary cover ({fte_months:,.0f} FTE-months)."
            in " ".join(sentences))
    fy = r.by_financial_year()
    judged = fy[fy["target_met"].notna()]
    met = int(judged["target_met"].astype(bool).sum())
    text = " ".join(sentences)
    if met == len(judged):
        assert f"It meets the MTFP savings target in all {len(judged)} years with a target." \
            in text
    else:
        for _, row in judged[~judged["target_met"].astype(bool)].iterrows():
            assert f"{row['financial_year']} (by {short(-row['gap'])})" in text
        assert f"meets it in the other {met} years." in text
    m = r.monthly()
    cum = m["net"].cumsum().to_numpy()
    below = np.flatnonzero(cum < 0)
    payback = r.months[int(below[-1]) + 1 if below.size else 0]
    one_off = float(m["one_off_total"].sum())
    assert (f"One-off costs of {short(one_off)} are paid back by "
            f"{month_label(parse_month(payback))}.") in sentences
    p = float(sim.fy_core_saving["p_target_met"].iloc[1])
    chance = words.chance_text(p)
    assert sentences[-1] == (f"In 150 simulated futures (go-live slippage and staff turnover "
                             f"varied), the chance of meeting the 2028/29 (year 2) savings "
                             f"target is {chance}.")


def test_cuts_before_live(demo, pack):
    flags = demo["results"][0].service().cut_before_live
    fte = sum(f.fte_removed for f in flags)
    early = max(f.months_early for f in flags)
    assert (f"{len(flags)} reductions ({fte:,.1f} FTE in Contact Centre, Customer Services "
            f"Face-to-Face and 5 more teams) are made before the change meant to absorb them "
            f"is at full effect, up to {early} months early.") in pack.scenarios[0].sentences
    assert "Every reduction waits until the change meant to absorb it is at full effect." \
        in pack.scenarios[1].sentences  # gated by go-live: none early


def test_lead_names_the_best_scenarios(pack):
    lead = " ".join(pack.lead)
    assert "Scenario B (Gated by go-live) has the fewest red team-months (164)" in lead
    assert "Scenario A (Cut first, as planned) saves the most over the horizon" in lead
    assert pack.summary[0] == lead
    assert pack.summary[1:] == tuple(s.paragraph for s in pack.scenarios)


def test_no_cuts_says_so(demo, no_change):
    p = build_board_pack([no_change], made_on=DAY)
    text = p.scenarios[0].sentences
    assert text[0] == ("Scenario A has no workforce actions: the establishment stays as it is "
                       "and there is no recurring saving.")
    assert "There are no one-off costs to pay back." in text
    assert not any("reduction" in s for s in text)
    assert "No temporary cover is needed to keep every team out of red." in text
    assert any(s.startswith("It falls short of the MTFP savings target in every year with a "
                            "target: 2027/28 (by £1.5m)") for s in text)
    assert p.scenarios[0].actions[0][0] == "No workforce actions"


# ----- words ------------------------------------------------------------------------------
def test_plural_and_lists():
    assert words.plural(1, "team") == "1 team"
    assert words.plural(0, "team") == "0 teams"
    assert words.plural(2, "month") == "2 months"
    assert words.plural(1_234, "person", "people") == "1,234 people"
    assert words.join_words(["a"]) == "a"
    assert words.join_words(["a", "b"]) == "a and b"
    assert words.join_words(["a", "b", "c"]) == "a, b and c"


def test_money_dates_and_chances():
    assert words.long_date(dt.date(2026, 11, 23)) == "23 November 2026"
    assert words.long_date(dt.date(2027, 4, 1)) == "1 April 2027"
    assert words.chance_text(0.002) == "under 1%"
    assert words.chance_text(0.998) == "over 99%"
    assert words.chance_text(0.776) == "78%"
    assert words.chance_text(0.0) == "0%"
    assert words.number_text(0.198, '0.0##%') == "19.8%"
    assert words.number_text(0.1725, '0.0##%') == "17.25%"
    assert words.number_text(45000, '"£"#,##0') == "£45,000"
    assert words.number_text(1613.0) == "1,613"


def test_no_singular_mistakes_anywhere(pack, no_change):
    texts = pack.texts() + build_board_pack([no_change], made_on=DAY).texts()
    wrong = re.compile(r"(?<![\d.,])1 (teams|months|reductions|years|errors|warnings|notes|"
                       r"posts|red team-months)\b")
    assert not [t for t in texts if wrong.search(t)]


def test_singular_sentences(demo):
    """One cut, one red team, one year with a target: all in the singular."""
    from planner.runner import run_scenario

    a = demo["scenarios"][0]
    one = replace(a, actions=a.actions[:1],
                  targets=replace(a.targets, savings_by_fy=((2028, 100_000.0),)))
    r = run_scenario(demo["wf"], one)
    flag = r.service().cut_before_live[0]
    frame = r.service().frame()
    red = frame[frame["rag"] == "Red"]
    assert set(red["team"]) == {"Contact Centre"}
    assert words.red_sentence(r) == (
        f"Contact Centre is red for {len(red)} months, from "
        f"{month_label(parse_month(red['month'].min()))}.")
    assert words.cut_sentence(r) == (
        f"1 reduction ({flag.fte_removed:,.1f} FTE in Contact Centre) is made "
        f"{flag.months_early} months before the change meant to absorb it is at full effect.")
    assert words.target_sentence(r) == ("It meets the MTFP savings target in 2028/29, the only "
                                        "year with a target.")


# ----- personal data ------------------------------------------------------------------------
def test_no_names_or_post_ids_anywhere(demo, pack):
    posts = demo["est"].posts
    names = {str(n) for n in posts["employee_name"].dropna() if len(str(n)) > 3}
    ids = {str(i) for i in posts["post_id"].dropna()}
    text = "\n".join(pack.texts())
    assert not [n for n in names if n in text]
    tokens = set(re.findall(r"[A-Za-z0-9_-]+", text))
    assert not ids & tokens
    assert "19/06/1983" not in text  # a value the data-quality report holds


def test_post_ids_in_actions_become_a_count(demo):
    ids = tuple(str(i) for i in demo["est"].posts["post_id"].iloc[:5])
    action = DeletePosts(month=parse_month("2027-06"), select=Selector(post_ids=ids),
                         label=f"Delete {ids[0]}")
    sentence = words.action_text(action)
    assert "5 named posts" in sentence
    assert not any(i in sentence for i in ids)
    assert ids[0] not in words.action_heading(action, 1)


def test_quality_summary_counts_not_values(demo, pack):
    counts = demo["est"].report.counts()
    assert pack.quality_lines[1] == "1,500 rows read, 1,499 loaded, 1 excluded."
    assert pack.quality_lines[2] == (f"The checks found {counts['error']} errors, 1 warning and "
                                     f"{counts['info']} notes.")
    rows = {row[1]: row for row in pack.quality.rows}
    assert rows["Numbers or dates stored as text, read as values"][2] == "102"
    assert "Date of Birth" in rows["Numbers or dates stored as text, read as values"][3]
    assert sum(int(r[2].replace(",", "")) for r in pack.quality.rows) == len(demo["est"].report)


# ----- one to five scenarios -----------------------------------------------------------------
def test_one_scenario(demo):
    p = build_board_pack(demo["results"][:1], made_on=DAY)
    assert [s.letter for s in p.scenarios] == ["A"]
    assert p.lead == ()
    assert len(p.summary) == 1
    assert [c.kind for c in p.charts] == ["capacity_demand", "savings_fy", "cumulative_net",
                                          "fte_bridge", "risk_heatmap"]
    assert p.quality is None and "No establishment" in p.quality_lines[0]
    assert p.assumptions.rows == ()  # nothing to differ from
    assert "p_meet_year_2_target" not in " ".join(r[0] for r in p.kpi_table.rows)


def test_five_scenarios(demo, no_change):
    results = [*demo["results"], no_change, demo["results"][1]]
    p = build_board_pack(results, made_on=DAY)
    assert [s.letter for s in p.scenarios] == list("ABCDE")
    assert p.kpi_table.columns[1:] == ("A: Cut first, as planned", "B: Gated by go-live",
                                       "C: Natural wastage and redeployment", "D: No change",
                                       "E: Gated by go-live")
    assert sum(c.kind == "risk_heatmap" for c in p.charts) == 5
    assert "Scenario D (No change) has no red team-months and needs no temporary cover" \
        in " ".join(p.lead)
    with pytest.raises(ValueError, match="1 to 5"):
        build_board_pack([*results, no_change])
    with pytest.raises(ValueError, match="1 to 5"):
        build_board_pack([])
    with pytest.raises(ValueError, match="one simulation"):
        build_board_pack(results[:2], [None])


# ----- tables -------------------------------------------------------------------------------
def test_kpi_table_marks_best_in_words(demo, pack):
    from planner.compare import compare_kpis

    frame = compare_kpis(demo["results"], demo["sims"])
    assert len(pack.kpi_table.rows) == len(frame)
    for r, best in enumerate(frame["best"]):
        for c in best:
            assert (r, c + 1) in pack.kpi_table.bold
            assert pack.kpi_table.rows[r][c + 1].endswith("(best)")
    assert all(pack.kpi_table.rows[r][c].endswith("(best)") for r, c in pack.kpi_table.bold)
    assert pack.kpi_table.rows[0][0] == "FTE in post at the end (FTE)"


def test_assumptions_shared_and_differing(demo):
    from planner.runner import run_scenario

    same = build_board_pack(demo["results"], made_on=DAY)
    assert same.assumptions.rows == ()
    assert "differ only in their actions" in same.assumptions.notes[0]
    cells = [c for row in same.shared_assumptions.rows for c in row]
    assert "19.8% of pension members' pay" in cells
    a = demo["scenarios"][0]
    higher = replace(a, name="Higher pension", assumptions=replace(a.assumptions,
                                                                  pension_rate_pct=21.5))
    p = build_board_pack([demo["results"][0], run_scenario(demo["wf"], higher)], made_on=DAY)
    assert ("LGPS employer pension rate", "19.8%", "21.5%", "of pension members' pay") \
        in p.assumptions.rows
    assert "LGPS employer pension rate" not in [c for row in p.shared_assumptions.rows
                                                for c in row]


def test_shared_assumptions_runs_start_at_headings(pack):
    table = pack.shared_assumptions
    assert table.columns == ("Assumption", "Value") * 3
    assert all(row[0] for row in table.rows[:1])
    for r, c in table.bold:
        assert table.rows[r][c + 1] == ""  # a heading has no value
    for side in range(3):  # no run ends on a heading
        run = [row[2 * side:2 * side + 2] for row in table.rows if row[2 * side]]
        assert run[-1][1]


# ----- charts -------------------------------------------------------------------------------
def test_capacity_chart_for_the_team_red_longest(demo, pack):
    red = {}
    for r in demo["results"]:
        counts = (r.service().risk_table() == "Red").sum(axis=1)
        for t, n in counts.items():
            red[t] = red.get(t, 0) + int(n)
    assert key_team(demo["results"]) == max(red, key=red.get) == "Accounts Payable"
    charts = [c for c in pack.charts if c.kind == "capacity_demand"]
    assert [c.scenario for c in charts] == ["A", "B", "C"]
    a = charts[0]
    band = next(s for s in a.series if s.kind == "band")
    demand = next(s for s in a.series if s.name.startswith("Demand"))
    capacity = next(s for s in a.series if s.name.startswith("Capacity ("))
    gap = np.maximum(np.array(demand.values) - np.array(capacity.values), 0)
    at_months = [k for k, x in enumerate(band.x) if float(x).is_integer()]
    shaded = np.array(band.values)[at_months] - np.array(band.lower)[at_months]
    assert shaded == pytest.approx(gap)
    assert [m.kind for m in a.markers] == ["go_live", "full_effect", "cut"]
    assert a.markers[0].x == 12  # Apr 2028 in a horizon from Apr 2027
    assert a.subtitle.startswith("Red for 58 of the 60 months.")
    assert a.y_label == "FTE equivalent (FTE)"


def test_savings_and_cumulative_charts(demo, pack):
    savings = next(c for c in pack.charts if c.kind == "savings_fy")
    assert savings.categories == ("2027/28", "2028/29", "2029/30", "2030/31", "2031/32")
    for i, r in enumerate(demo["results"]):
        assert savings.series[i].values == pytest.approx(
            tuple(fy_money_table(r)["core_saving"]))
        assert savings.series[i].style == i
    target = savings.series[-1]
    assert target.kind == "target" and target.values == (1.5e6, 2.4e6, 2.4e6, 2.4e6, 2.4e6)
    cumulative = next(c for c in pack.charts if c.kind == "cumulative_net")
    assert [m.label for m in cumulative.markers] == [
        "A: payback Jul 2027", "B: payback Dec 2028", "C: payback Nov 2027"]
    end = demo["results"][0].monthly()["cumulative_net"].iloc[-1]
    assert cumulative.series[0].labels[-1] == f"A: {short(end)}"
    assert cumulative.x_ticks == (0, 12, 24, 36, 48)


def test_bridge_and_heat_maps(demo, pack):
    bridge = next(c for c in pack.charts if c.kind == "fte_bridge")
    steps = demo["results"][0].bridge()
    assert bridge.categories[0] == "Start (in post)" and bridge.categories[-1] == "End (in post)"
    assert bridge.series[0].values[0] == pytest.approx(steps[0][1])
    assert bridge.series[0].labels[1] == "\u2212" + f"{-steps[1][1]:,.1f}"
    heat = [c for c in pack.charts if c.kind == "risk_heatmap"]
    table = demo["results"][1].service().risk_table()
    grid = heat[1]
    for team, letters in zip(grid.rows, grid.cells, strict=True):
        assert letters == "".join(v[0] for v in table.loc[team])
    assert grid.rows[0] == "Accounts Payable"
    assert grid.spans[0] == ("2027/28", 0, 12) and len(grid.spans) == 5
    assert [k for k, _ in grid.key] == ["G", "A", "R"]
    assert "The other 27 teams are green in every month of every scenario." in grid.notes


def test_axis_helpers():
    assert nice_ticks(0, 12.2) == [0, 2.5, 5, 7.5, 10]  # steps of 1, 2, 2.5 or 5 × 10ⁿ
    assert nice_ticks(-1.2e6, 16.8e6) == [0, 5e6, 10e6, 15e6]
    assert nice_ticks(1090, 1310) == [1100, 1150, 1200, 1250, 1300]
    assert nice_ticks(5, 5) == [5]
    assert tick_text(7.5, "fte", 2.5) == "7.5"
    assert tick_text(10, "fte", 2.5) == "10.0"
    assert tick_text(1500, "number", 500) == "1,500"
    assert tick_text(2_500_000, "money", 500_000) == "£2.5m"
    assert fy_spans([24327 + k for k in range(15)]) == (("2027/28", 0, 12), ("2028/29", 12, 3))


def test_cover_and_titles(pack):
    assert pack.date_text == "23 November 2026"
    assert pack.title == "Workforce scenarios: board pack"
    assert pack.cover_lines[0] == "Horizon: Apr 2027 to Mar 2032 (60 months)"
    assert pack.cover_lines[1].startswith("Establishment: 1,499 posts")
    assert [s.label for s in pack.scenarios] == [
        "A: Cut first, as planned", "B: Gated by go-live", "C: Natural wastage and redeployment"]
