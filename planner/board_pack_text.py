"""The board pack's plain English: one paragraph per scenario, and the comparison lead.

Each sentence states a figure that the app and the workbook also show, worked out by
:class:`planner.results.Results` and :class:`planner.service.Service` (nothing is
recomputed here): the FTE removed and the full-year saving, the teams red the longest,
cuts made before the change meant to absorb them, the temporary cover that would hold
the line, MTFP targets met or missed, payback, and the simulated chance of meeting the
year-2 target. Money reads £2.4m / £480k / £950; counts agree with their nouns. No
names or post ids: the pack goes to councillors.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from planner.chart_data import fy_money_table, money_short, targets_met
from planner.compare import BEST, RAW
from planner.export_xlsx import describe_action
from planner.months import month_label, parse_month
from planner.scenario import Selector

if TYPE_CHECKING:
    from planner.montecarlo import Simulation
    from planner.results import Results

LETTERS = "ABCDE"
#: Less than this (FTE or £) counts as nothing.
FTE_NIL, MONEY_NIL = 0.05, 0.5


# ----- words ------------------------------------------------------------------------------
def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """``plural(1, "team")`` → ``"1 team"``; ``plural(3, "team")`` → ``"3 teams"``."""
    return f"{n:,} " + (singular if n == 1 else plural_form or singular + "s")


def join_words(items: Sequence[str]) -> str:
    """``["a", "b", "c"]`` → ``"a, b and c"``."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def long_date(day: dt.date) -> str:
    """``date(2026, 11, 23)`` → ``"23 November 2026"``."""
    return f"{day.day} {day:%B %Y}"


def fte_text(value: float) -> str:
    """``75.21`` → ``"75.2"``."""
    return f"{value:,.1f}"


def month_text(month: str | int) -> str:
    """``"2027-05"`` (or a month number) → ``"May 2027"``."""
    return month_label(parse_month(month) if isinstance(month, str) else month)


def chance_text(p: float) -> str:
    """A probability as a percentage that never rounds a small chance to 0% or 100%."""
    if 0 < p < 0.005:
        return "under 1%"
    if 0.995 < p < 1:
        return "over 99%"
    return f"{100 * p:.0f}%"


def scenario_label(letter: str, name: str) -> str:
    """``"Scenario A (Cut first, as planned)"``."""
    return f"Scenario {letter} ({name})"


# ----- one scenario -----------------------------------------------------------------------
def scenario_sentences(results: Results, simulation: Simulation | None = None,
                       letter: str = "A") -> list[str]:
    """The scenario's paragraph, one sentence per point (see the module docstring)."""
    k = results.kpis()
    out = [headline(results, f"Scenario {letter}"), red_sentence(results)]
    cut = cut_sentence(results)
    if cut:
        out.append(cut)
    out += [cover_sentence(k), target_sentence(results), payback_sentence(results)]
    if simulation is not None:
        out.append(simulation_sentence(simulation))
    return out


def headline(results: Results, label: str) -> str:
    """``"Scenario A (…) removes 75.2 FTE of posts (71.9 FTE fewer in post than with no
    change by Mar 2032) and saves £3.4m a year to the core budget from 2028/29."``"""
    k = results.kpis()
    sc = results.scenario
    change, in_post = k["establishment_change"], k["fte_change_vs_baseline"]
    end = month_label(sc.horizon.end - 1)
    if not sc.actions:
        return (f"{label} has no workforce actions: the establishment stays as it is and there "
                "is no recurring saving.")
    if change < -FTE_NIL:
        text = f"{label} removes {fte_text(-change)} FTE of posts"
    elif change > FTE_NIL:
        text = f"{label} adds {fte_text(change)} FTE of posts"
    else:
        text = f"{label} keeps the same number of posts"
    if abs(in_post) >= FTE_NIL:
        text += (f" ({fte_text(abs(in_post))} FTE {'fewer' if in_post < 0 else 'more'} in post "
                 f"than with no change by {end})")
    saving, year = k["full_year_saving"], k["full_year"]
    if saving is None:
        text += "; the horizon has no whole financial year to show a full-year saving."
    elif saving >= MONEY_NIL:
        text += f" and saves {money_short(saving)} a year to the core budget from {year}."
    elif saving <= -MONEY_NIL:
        text += f" and costs {money_short(-saving)} a year more from {year}."
    else:
        text += " and makes no recurring saving."
    return text


def red_months(results: Results) -> list[tuple[str, int, str]]:
    """(team, red months, first red month "YYYY-MM"), longest red first, then by name."""
    svc = results.service()
    table = svc.risk_table()
    counts = (table == "Red").sum(axis=1)
    first = svc.kpis()["first_red_month"]
    teams = [(str(t), int(n), str(first[t])) for t, n in counts.items() if n > 0]
    return sorted(teams, key=lambda r: (-r[1], r[2], r[0].casefold()))


def _red_item(team: str, months: int, first: str) -> str:
    return f"{team} ({plural(months, 'month')} from {month_text(first)})"


def red_sentence(results: Results, longest: int = 3) -> str:
    """Which teams go red, for how long and from when; or that none does."""
    red = red_months(results)
    if not red:
        counts = (results.service().risk_table() == "Amber").sum(axis=1)
        amber = sorted(((str(t), int(n)) for t, n in counts.items() if n > 0),
                       key=lambda r: (-r[1], r[0].casefold()))
        if not amber:
            return "Every team stays green (capacity meets demand) in every month."
        if len(amber) == 1:
            return (f"No team goes red; {amber[0][0]} is amber for "
                    f"{plural(amber[0][1], 'month')}.")
        items = [f"{t} ({plural(n, 'month')})" for t, n in amber[:longest]]
        more = f" and {plural(len(amber) - longest, 'more team')}" if len(amber) > longest \
            else ""
        return (f"No team goes red; {plural(len(amber), 'team')} are amber for some months: "
                f"{', '.join(items) if more else join_words(items)}{more}.")
    if len(red) == 1:
        team, months, first = red[0]
        return f"{team} is red for {plural(months, 'month')}, from {month_text(first)}."
    items = [_red_item(*r) for r in red[:longest]]
    if len(red) <= longest:
        return f"{plural(len(red), 'team')} go red: {join_words(items)}."
    return f"{plural(len(red), 'team')} go red; the longest are {join_words(items)}."


def cut_sentence(results: Results) -> str:
    """Reductions made before the change meant to absorb them is at full effect."""
    flags = results.service().cut_before_live
    k = results.kpis()
    if not flags:
        if k["establishment_change"] >= -FTE_NIL:
            return ""
        if not results.scenario.changes:
            return "No new system or process change is modelled to absorb the reductions."
        return "Every reduction waits until the change meant to absorb it is at full effect."
    fte = sum(f.fte_removed for f in flags)
    teams = list(dict.fromkeys(f.team for f in flags))
    where = join_words(teams) if len(teams) <= 3 else \
        f"{teams[0]}, {teams[1]} and {plural(len(teams) - 2, 'more team')}"
    early = max(f.months_early for f in flags)
    if len(flags) == 1:
        return (f"1 reduction ({fte_text(fte)} FTE in {where}) is made "
                f"{plural(early, 'month')} before the change meant to absorb it is at "
                "full effect.")
    return (f"{plural(len(flags), 'reduction')} ({fte_text(fte)} FTE in {where}) are made "
            "before the change meant to absorb them is at full effect, up to "
            f"{plural(early, 'month')} early.")


def cover_sentence(k: dict[str, object]) -> str:
    """The transition cover bill that keeps every team out of red."""
    cost = float(k["transition_cover_cost"])  # type: ignore[arg-type]
    months = float(k["transition_cover_fte_months"])  # type: ignore[arg-type]
    if cost >= MONEY_NIL:
        return (f"Holding the line (keeping every team out of red) needs {money_short(cost)} "
                f"of temporary cover ({months:,.0f} FTE-months).")
    if months >= FTE_NIL:
        return (f"Holding the line (keeping every team out of red) needs {months:,.1f} "
                "FTE-months of temporary cover (no cover cost is set).")
    return "No temporary cover is needed to keep every team out of red."


def target_sentence(results: Results, listed: int = 4) -> str:
    """MTFP savings targets met, or missed and by how much."""
    fy = fy_money_table(results)
    met, judged = targets_met(fy)
    if not judged:
        if fy["target"].notna().any():
            return "No whole financial year in the horizon can be judged against the MTFP target."
        return "No MTFP savings target is set."
    if met == judged:
        if judged == 1:
            year = fy.loc[fy["target_status"] == "Met", "financial_year"].iloc[0]
            return f"It meets the MTFP savings target in {year}, the only year with a target."
        return f"It meets the MTFP savings target in all {judged} years with a target."
    short = fy[fy["target_status"] == "Not met"]
    items = [f"{y} (by {money_short(-float(g))})"
             for y, g in zip(short["financial_year"], short["gap"], strict=True)]
    if len(items) > listed:
        items = [*items[:listed - 1], plural(len(items) - listed + 1, "more year")]
    if met:
        return (f"It falls short of the MTFP savings target in {join_words(items)} and meets "
                f"it in the other {plural(met, 'year')}.")
    if judged == 1:
        return f"It falls short of the MTFP savings target in {items[0]}."
    return (f"It falls short of the MTFP savings target in every year with a target: "
            f"{join_words(items)}.")


def payback_sentence(results: Results) -> str:
    """When the one-off costs are paid back by the savings, if they are."""
    k = results.kpis()
    one_off, month = float(k["one_off_costs"]), k["payback_month"]
    if one_off < MONEY_NIL:
        return "There are no one-off costs to pay back."
    if month:
        return f"One-off costs of {money_short(one_off)} are paid back by {month_text(month)}."
    end = month_label(results.scenario.horizon.end - 1)
    return (f"One-off costs of {money_short(one_off)} are not paid back within the horizon "
            f"(to {end}).")


def simulation_sentence(sim: Simulation) -> str:
    """The simulated chance of meeting the second financial year's savings target."""
    fy = sim.fy_core_saving
    head = f"In {sim.runs:,} simulated futures (go-live slippage and staff turnover varied)"
    if len(fy) < 2:
        return head + " there is no second financial year to test against a target."
    year = str(fy["financial_year"].iloc[1])
    p = sim.p_meet(2)
    if p is None:
        return head + f" there is no whole-year savings target in {year} (year 2) to test."
    return head + f", the chance of meeting the {year} (year 2) savings target is {chance_text(p)}."


# ----- several scenarios --------------------------------------------------------------------
#: KPI key → (predicate for one scenario, for several, how to show the raw value).
#: ``_NONE`` says it when the best value is nothing at all.
_NONE = {"red_team_months": ("has no red team-months", "have no red team-months"),
         "transition_cover_cost": ("needs no temporary cover to hold the line",
                                   "need no temporary cover to hold the line")}
_LEADS: tuple[tuple[str, str, str, str], ...] = (
    ("total_saving", "saves the most over the horizon", "save the most over the horizon",
     "money"),
    ("net_position", "has the best net position by the end", "have the best net position by "
     "the end", "money"),
    ("red_team_months", "has the fewest red team-months", "have the fewest red team-months",
     "count"),
    ("transition_cover_cost", "needs the least temporary cover to hold the line",
     "need the least temporary cover to hold the line", "money"),
    ("p_meet_year_2_target", "has the best chance of meeting the year-2 target",
     "have the best chance of meeting the year-2 target", "chance"),
)


def _value(raw: float, how: str) -> str:
    if how == "money":
        return money_short(raw)
    if how == "chance":
        return chance_text(raw)
    return f"{raw:,.0f}"


def comparison_sentences(frame: pd.DataFrame, letters: Sequence[str],
                         names: Sequence[str]) -> list[str]:
    """Which scenario is best on the measures a board asks about first, from the same
    :func:`planner.compare.compare_kpis` frame as the KPI table (nothing for one scenario)."""
    if len(letters) < 2:
        return []
    groups: dict[tuple[int, ...], list[str]] = {}
    bests: dict[Any, Any] = frame[BEST].to_dict()
    raws: dict[Any, Any] = frame[RAW].to_dict()
    for key, one, many, how in _LEADS:
        if key not in frame.index:
            continue
        best: tuple[int, ...] = tuple(int(i) for i in bests[key])
        raw: list[float] = [float(v) for v in raws[key]]
        if not best or not all(math.isfinite(raw[i]) for i in best):
            continue
        value = raw[best[0]]
        if key in _NONE and abs(value) < MONEY_NIL:
            groups.setdefault(best, []).append(_NONE[key][len(best) > 1])
        else:
            groups.setdefault(best, []).append(
                f"{one if len(best) == 1 else many} ({_value(value, how)})")
    out = []
    for best, predicates in groups.items():
        if len(best) == 1:
            subject = scenario_label(letters[best[0]], names[best[0]])
        else:
            subject = "Scenarios " + join_words([letters[i] for i in best])
        out.append(f"{subject} {join_words(predicates)}.")
    return out


# ----- assumptions and actions, without personal data --------------------------------------
def _ids_text(ids: Sequence[str]) -> str:
    """How :meth:`Selector.describe` lists post ids (to swap them for a count)."""
    return Selector(post_ids=tuple(ids)).describe()


def action_text(action: object) -> str:
    """:func:`planner.export_xlsx.describe_action` with any post ids replaced by a count."""
    select = getattr(action, "select", None)
    if not isinstance(select, Selector) or not select.post_ids:
        return describe_action(action)
    text = describe_action(action)
    ids = select.post_ids
    count = plural(len(ids), "named post")
    text = text.replace(_ids_text(ids), count)
    for post_id in ids:  # belt and braces: no id survives in any wording
        text = text.replace(post_id, "…")
    return text


def action_heading(action: object, number: int) -> str:
    """``"3. Remove 14 FTE from Revenues"`` (the label the user gave, or the kind; post ids
    in a label are hidden too)."""
    label = getattr(action, "label", "") or str(getattr(action, "kind", "action")).replace(
        "_", " ").capitalize()
    select = getattr(action, "select", None)
    for post_id in select.post_ids if isinstance(select, Selector) else ():
        label = label.replace(post_id, "…")
    return f"{number}. {label}"


def number_text(value: object, number_format: str | None = None) -> str:
    """A cell of :func:`planner.export_xlsx.assumption_rows` as it would read in Excel."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        return str(value)
    v = float(value)
    fmt = number_format or ""
    if "%" in fmt:
        return f"{100 * v:,.3f}".rstrip("0").rstrip(".") + "%"
    if "£" in fmt:
        return f"£{v:,.2f}" if ".00" in fmt else f"£{v:,.0f}"
    if fmt == "0.00":
        return f"{v:,.2f}"
    return f"{v:,g}" if abs(v) < 1e15 else str(value)


# ----- data quality -------------------------------------------------------------------------
QUALITY_KINDS: dict[str, str] = {
    "aggregate_rows": "Totals or subtotal rows left out",
    "totals_row": "Totals or subtotal row left out",
    "blank_rows": "Blank rows ignored",
    "text_value": "Numbers or dates stored as text, read as values",
    "column_defaulted": "Missing column filled with a default",
    "duplicate_header": "Duplicate column heading",
    "fte_from_hours": "FTE worked out from weekly hours",
    "post_id_generated": "Post reference made up for rows without one",
    "salary_from_range": "Salary taken as the midpoint of a pay band",
    "sheet_chosen": "Sheet chosen automatically",
    "duplicate_post_id": "Post reference used more than once",
    "duplicate_row": "Exact duplicate row left out",
    "fte_above_one": "FTE above 1",
    "fte_missing": "FTE missing (row left out)",
    "fte_not_positive": "FTE zero or negative (row left out)",
    "impossible_age": "Age out of range",
    "impossible_date": "Date out of range",
    "salary_high": "Salary unusually high",
    "salary_low": "Salary unusually low",
    "salary_missing": "Salary missing (post not costed)",
    "team_defaulted": "Team missing, filled with a default",
    "team_missing": "Team missing",
    "vacant_name": "Vacant post with a post-holder named",
    "vacant_name_filled": "Post-holder named on a post marked vacant",
    "decimal_comma": "Decimal comma read as a decimal point",
    "not_a_number": "Not a number, left empty",
    "bad_date": "Not a date, left empty",
    "us_date": "Month-first (US) date, left empty",
    "ambiguous_date": "Date that may be month-first (US)",
    "hidden_rows": "Hidden rows read",
    "hidden_sheet": "Hidden sheet used",
    "sheet_unreadable": "Sheet not read (too large or damaged)",
    "blank_formulas": "Formulas without saved results",
    "merged_filled": "Merged cells filled down",
    "personal_data_removed": "Personal data removed",
    "fte_too_large": "FTE too large for one row (row left out)",
    "salary_unbelievable": "Salary too large to be real, left empty",
}


def quality_kind(code: str) -> str:
    """A plain description of a data-quality issue code (never the cell's value)."""
    if code in QUALITY_KINDS:
        return QUALITY_KINDS[code]
    return code.replace("_", " ").capitalize() if code else "Other"
