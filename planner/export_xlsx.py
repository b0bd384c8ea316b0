"""The Excel results workbook: one scenario's figures, charts, risk, assumptions and data quality.

A finance officer opens this file, not a developer, so every sheet has plain-English
headings with units, money shown in whole pounds (the cells keep their pence, so sums
agree with the planner to the penny), FTE to two decimals, and frozen, filterable
header rows. Charts: :mod:`planner.xlsx_charts`; risk: :mod:`planner.xlsx_risk`;
several scenarios and a Compare sheet: :mod:`planner.xlsx_compare`.

Personal data: anonymised unless ``anonymise=False`` (or the older ``include_names=True``):
no names, ids replaced by codes that agree across sheets (:mod:`planner.anonymise`). Ages
and service stay, to check redundancy costs. A workbook with personal data says so at the
top of the Summary sheet and in every printed page's header.

The file is written next to the target and moved into place, so a failed export never
leaves half a workbook, and a workbook open in Excel is reported, not overwritten.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import pandas as pd

from planner.anonymise import (
    ID_COLUMNS,
    NAME_LEFT_OUT,
    NOTICE,
    PERSONAL_NOTICE,
    Anonymiser,
    wants_anonymous,
)
from planner.establishment import Establishment
from planner.months import format_month, fy_text, month_label, parse_month
from planner.oncosts import ni_bands
from planner.results import Results
from planner.scenario import (
    CreatePosts,
    DeletePosts,
    ReduceFTE,
    Scenario,
    Selector,
    TemporaryCover,
    VacancyFreeze,
)
from planner.tasks import TaskState
from planner.xlsx_charts import charts_sheet
from planner.xlsx_format import (
    COUNT,
    FTE,
    MONEY,
    MONEY_PENCE,
    PCT,
    PCT_PRECISE,
    Column,
    SheetBuilder,
    Styled,
    write_workbook,
)
from planner.xlsx_format import save_atomically as save_atomically  # for import_preview
from planner.xlsx_risk import risk_sheet

SHEETS: tuple[str, ...] = (
    "Summary", "Charts", "Risk", "Monthly", "By team", "Financial years", "Redeployment",
    "Leavers and costs", "Assumptions", "Data quality",
)

#: Frame column → (heading, number format). Columns not listed keep a tidied name.
HEADERS: dict[str, tuple[str, str | None]] = {
    "month": ("Month", None),
    "financial_year": ("Financial year", None),
    "team": ("Team", None),
    "baseline_fte_in_post": ("Baseline FTE in post", FTE),
    "fte_in_post": ("FTE in post", FTE),
    "establishment_fte": ("Establishment FTE", FTE),
    "vacant_fte": ("Vacant FTE", FTE),
    "temporary_cover_fte": ("Temporary cover FTE", FTE),
    "retraining_fte_lost": ("FTE lost to retraining", FTE),
    "pay": ("Pay (£)", MONEY),
    "employer_ni": ("Employer NI (£)", MONEY),
    "pension": ("Employer pension (£)", MONEY),
    "levy": ("Apprenticeship levy (£)", MONEY),
    "recruitment": ("Recruitment (£)", MONEY),
    "baseline_running_cost": ("Baseline running cost (£)", MONEY),
    "running_cost": ("Running cost (£)", MONEY),
    "saving": ("Saving (£)", MONEY),
    "external_saving": ("Saving on externally funded posts (£)", MONEY),
    "core_saving": ("Saving to the core budget (£)", MONEY),
    "redundancy": ("Redundancy (£)", MONEY),
    "pension_strain": ("Pension strain, estimate (£)", MONEY),
    "pay_protection": ("Pay protection (£)", MONEY),
    "retraining": ("Retraining (£)", MONEY),
    "temporary_cover": ("Temporary cover (£)", MONEY),
    "one_off_total": ("One-off costs (£)", MONEY),
    "net": ("Net saving (£)", MONEY),
    "cumulative_net": ("Cumulative net saving (£)", MONEY),
    "months": ("Months in the horizon", COUNT),
    "target": ("Core-budget savings target (£)", MONEY),
    "gap": ("Core saving less target (£)", MONEY),
    "target_met": ("Target met (core saving; whole years)", None),
    "post_id": ("Post ID", None),
    "post_title": ("Post title", None),
    "directorate": ("Directorate", None),
    "service": ("Service", None),
    "grade": ("Grade", None),
    "skills": ("Skills", None),
    "employee_name": ("Employee name", None),
    "fte": ("FTE", FTE),
    "annual_salary": ("Annual salary, full-time (£)", MONEY),
    "weekly_pay": ("Week's pay (£)", MONEY_PENCE),
    "age_at_leaving": ("Age at leaving", COUNT),
    "years_service": ("Years of service", COUNT),
    "estimated": ("Age or service estimated", None),
    "statutory_weeks": ("Statutory weeks", "0.0"),
    "statutory_pay": ("Statutory redundancy pay (£)", MONEY),
    "enhancement": ("Discretionary enhancement (£)", MONEY),
    "pension_strain_estimate": ("Pension strain, estimate (£)", MONEY),
    "chance_still_in_post": ("Chance still in post", PCT),
    "expected_cost": ("Expected cost (£)", MONEY),
    "to_post_id": ("New post ID", None),
    "to_team": ("New team", None),
    "to_grade": ("New grade", None),
    "source": ("New post is", None),
    "old_salary": ("Old salary, full-time (£)", MONEY),
    "new_salary": ("New salary, full-time (£)", MONEY),
    "salary_drop": ("Salary drop, full-time (£ a year)", MONEY),
    "grade_steps": ("Grade steps (negative is down)", "0"),
    "reason": ("Why not redeployed", None),
    "severity": ("Severity", None),
    "sheet": ("Sheet", None),
    "row": ("Row", "0"),
    "column": ("Column", None),
    "value": ("Value as read", None),
    "message": ("What happened", None),
    "code": ("Code", None),
}
PERSONAL_HEADER = "Contains personal data"
DOB_LEFT_OUT = "(date of birth left out)"
DATE_LEFT_OUT = "(date left out)"
#: Dates in a message: 19/06/1983, 1983-06-19, 19.06.83 (a time may follow).
_DATES = re.compile(r"\b\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?\b")
_QUOTED = re.compile(r"'([^']+)'")
SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Note"}


def columns_for(frame: pd.DataFrame, **overrides: str) -> list[Column]:
    """Display columns for every column of ``frame`` (headings overridable by key)."""
    out = []
    for key in frame.columns:
        header, fmt = HEADERS.get(str(key)) or _guess(str(key))
        flags = ("Estimated", None) if key == "estimated" else ("Yes", "No")
        out.append(Column(str(key), overrides.get(str(key), header), fmt, flags))
    return out


def _guess(key: str) -> tuple[str, str | None]:
    """Heading and format for a column added to the results after this module was written."""
    words = key.split("_")
    text = " ".join("FTE" if w == "fte" else w for w in words)
    header = text[:1].upper() + text[1:]
    if "fte" in words:
        return header, FTE
    if {"cost", "costs", "saving", "pay", "salary", "strain"} & set(words):
        return f"{header} (£)", MONEY
    return header, None


def sheet_names(*, with_quality: bool) -> list[str]:
    """The sheets :func:`write_results_workbook` writes, in order."""
    return list(SHEETS if with_quality else SHEETS[:-1])


def write_results_workbook(results: Results, path: Path, *,
                           establishment: Establishment | None = None,
                           anonymise: bool | None = None, include_names: bool | None = None,
                           state: TaskState | None = None) -> Path:
    """Write the results workbook to ``path`` (replacing it) and return the path.

    Anonymised unless ``anonymise=False`` (``include_names=True`` means the same). Raises
    :class:`PlannerError` with a plain sentence when the file cannot be written (open in
    Excel?), and :class:`~planner.errors.Cancelled` (any existing file untouched) when
    ``state`` asks to stop. openpyxl writes some 50,000 formatted cells a second, so the
    by-team sheet of a very large establishment takes a minute: hence the progress reports.
    """
    anon = anonymiser(wants_anonymous(anonymise, include_names), [results], establishment)
    builders = scenario_sheets(results, anon=anon)
    if establishment is not None:
        builders.append(quality_sheet(establishment, include_names=anon is None, anon=anon))
    protect(builders, anon)
    title = f"{results.scenario.name}: workforce scenario results"
    return write_workbook(builders, path, title=anon.scrub(title) if anon else title,
                          state=state)


def anonymiser(anonymise: bool, results: Sequence[Results],
               establishment: Establishment | None = None) -> Anonymiser | None:
    """One anonymiser (one key) for a whole workbook, knowing every id and name in it."""
    if not anonymise:
        return None
    return Anonymiser.for_posts(establishment.posts if establishment is not None else None,
                                *(r.run.prep.wf.posts for r in results))


def scenario_sheets(results: Results, *, anon: Anonymiser | None) -> list[SheetBuilder]:
    """Every sheet of one scenario, in :data:`SHEETS` order (no data-quality sheet)."""
    return [
        summary_sheet(results, notice=NOTICE if anon else PERSONAL_NOTICE),
        charts_sheet(results),
        risk_sheet(results),
        _data_sheet("Monthly", results.monthly(), freeze_columns=1),
        _data_sheet("By team", results.team_monthly(), freeze_columns=2),
        _data_sheet("Financial years", results.by_financial_year(), freeze_columns=1),
        redeployment_sheet(results, anon=anon),
        leavers_sheet(results, anon=anon),
        assumptions_sheet(results),
    ]


def protect(builders: Sequence[SheetBuilder], anon: Anonymiser | None) -> None:
    """Scrub names and ids from every text cell, or mark every printed page as personal."""
    for builder in builders:
        builder.scrub = anon.scrub if anon else None
        builder.page_header = "" if anon else PERSONAL_HEADER


# ----- sheets ---------------------------------------------------------------------------
def summary_sheet(results: Results, *, notice: str = "") -> SheetBuilder:
    sc, k = results.scenario, results.kpis()
    sb = SheetBuilder("Summary", landscape=False)
    sb.line(sc.name, "title")
    if notice:
        sb.line(notice, "bold")
    sb.line(f"Workforce scenario results: {sc.horizon.describe()}")
    sb.line(f"Generated {dt.datetime.now():%d %B %Y at %H:%M} by FTE Planner", "note")
    if sc.description:
        sb.line(sc.description)
    sb.blank()
    sb.line("Headline figures", "heading")
    full = (f"Saving to the core budget in the first full year ({k['full_year']})"
            if k["full_year"] else
            "Saving in the first full year (no whole financial year in the horizon)")
    payback = month_label(parse_month(k["payback_month"])) if k["payback_month"] \
        else "Not within the horizon"
    rows: list[list[object]] = [
        ["FTE in post at the start", Styled(k["start_fte_in_post"], FTE), "FTE"],
        ["FTE in post at the end", Styled(k["end_fte_in_post"], FTE), "FTE"],
        ["FTE in post at the end with no changes (baseline)",
         Styled(k["baseline_end_fte_in_post"], FTE), "FTE"],
        ["FTE change against the baseline", Styled(k["fte_change_vs_baseline"], FTE), "FTE"],
        ["Establishment change", Styled(k["establishment_change"], FTE), "FTE"],
        [full, Styled(k["full_year_saving"], MONEY), "£"],
        ["Saving over the horizon", Styled(k["total_saving"], MONEY), "£"],
        ["  of which to the core budget", Styled(k["core_saving"], MONEY), "£"],
        ["  of which on externally funded posts", Styled(k["external_saving"], MONEY), "£"],
        ["One-off costs", Styled(k["one_off_costs"], MONEY), "£"],
        ["  of which redundancy", Styled(k["redundancy_cost"], MONEY), "£"],
        ["  of which pension strain (estimate)", Styled(k["pension_strain_estimate"], MONEY),
         "£"],
        ["Net position at the end (savings less one-off costs)",
         Styled(k["net_position"], MONEY), "£"],
        ["Payback month", payback, "month"],
        ["People displaced by deleted posts", Styled(k["people_displaced"], COUNT), "people"],
        ["People redeployed", Styled(k["people_redeployed"], COUNT), "people"],
        ["Expected compulsory redundancies", Styled(k["redundancies_expected"], "0.0"),
         "people"],
    ]
    if k.get("fte_target") is not None:
        met = "yes" if k.get("fte_target_met") else "no"
        when = month_label(parse_month(k["fte_target_month"]))
        rows += [["FTE target", Styled(k["fte_target"], FTE), "FTE"],
                 [f"FTE in post in {when} (target met: {met})",
                  Styled(k.get("fte_at_target_month"), FTE), "FTE"]]
    sb.rows(["Measure", "Value", "Unit"], rows)
    for title, bridge in (("FTE in post: start to end", results.bridge()),
                          ("Establishment FTE: start to end", results.establishment_bridge())):
        sb.blank()
        sb.line(title, "heading")
        sb.rows(["Step", "FTE"], [[label, Styled(value + 0.0, FTE)] for label, value in bridge])
    sb.blank()
    sb.line("Warnings", "heading")
    for warning in results.warnings or ["None."]:
        sb.line(warning)
    sb.blank()
    sb.line("How to read these figures", "heading")
    for note in _READING_NOTES:
        sb.line(note, "note")
    return sb


_READING_NOTES = (
    "Savings are against the baseline: the same establishment and assumptions with no "
    "actions. A positive saving means the scenario costs less than the baseline.",
    "Running costs are pay, employer NI, employer pension, apprenticeship levy and "
    "recruitment. One-off costs (redundancy, pension strain, pay protection, retraining, "
    "temporary cover) are shown apart.",
    "Net saving is the saving less one-off costs; payback is the first month from which "
    "the cumulative net saving stays at or above zero.",
    "Money is shown in whole pounds; cells hold the exact figures.",
)


def _data_sheet(title: str, frame: pd.DataFrame, *, freeze_columns: int) -> SheetBuilder:
    sb = SheetBuilder(title, freeze_columns=freeze_columns)
    sb.table(frame, columns_for(frame), freeze=True)
    return sb


def redeployment_sheet(results: Results, *, anon: Anonymiser | None = None) -> SheetBuilder:
    sb = SheetBuilder("Redeployment")
    sb.line("Redeployment of people whose posts are deleted", "title")
    red = results.redeployment
    s = red.summary() if red is not None else {}
    if red is None or not s["displaced"]:
        sb.line("Nobody's post is deleted in this scenario, so nobody needs redeploying.")
        return sb
    sb.line(f"{s['displaced']:,} people displaced: {s['redeployed']:,} redeployed "
            f"({s['fte_redeployed']:,.2f} FTE) and {s['redundancies']:,} not redeployed, "
            "facing redundancy (see 'Leavers and costs').")
    sb.line(f"{s['slots_offered']:,} vacancies and new posts were open to them under the "
            f"policy; {s['slots_used']:,} were used.")
    sb.blank()
    sb.line("People redeployed: old post → new post", "heading")
    if len(red.matches):
        matches = _private(red.matches.drop(columns=["person", "slot"], errors="ignore"), anon)
        sb.table(matches, columns_for(matches, post_id="Old post ID", team="Old team",
                                      grade="Old grade", month="Month of move"), freeze=True)
    else:
        sb.line("Nobody could be redeployed.")
    sb.blank()
    sb.line("People not redeployed", "heading")
    if len(red.unmatched):
        unmatched = _private(red.unmatched.drop(columns=["person", "slot"], errors="ignore"),
                             anon)
        first = not len(red.matches)
        sb.table(unmatched, columns_for(unmatched, month="Month post deleted"),
                 freeze=first, autofilter=first)
    else:
        sb.line("Everyone displaced was redeployed.")
    return sb


def _private(frame: pd.DataFrame, anon: Anonymiser | None) -> pd.DataFrame:
    """Month numbers as "YYYY-MM" text; ids coded and names dropped when anonymising."""
    if anon is not None:
        frame = anon.frame(frame)
    if "month" in frame and pd.api.types.is_integer_dtype(frame["month"].dtype):
        frame = frame.assign(month=[format_month(int(m)) for m in frame["month"]])
    return frame


def leavers_sheet(results: Results, *, anon: Anonymiser | None) -> SheetBuilder:
    sb = SheetBuilder("Leavers and costs")
    sb.line("Compulsory redundancies and their costs", "title")
    sb.line("Pension strain figures are estimates to be confirmed by the pension fund.", "bold")
    leavers = results.one_off.leavers
    leavers = leavers.drop(columns=[c for c in leavers.columns if str(c).startswith("_")])
    if anon is not None:
        leavers = anon.frame(leavers)
    sb.line("Expected cost = (statutory pay + enhancement + pension strain) × the chance the "
            "person is still in post when the post is deleted.", "note")
    sb.line("Rows marked 'Estimated' had no date of birth or service date: the establishment's "
            "median age and service were used.", "note")
    if anon is not None:
        sb.line("Employee names are left out of this workbook and post ids are replaced by "
                "codes (the same code for the same post on every sheet).", "note")
    sb.blank()
    if leavers.empty:
        sb.line("Nobody is made compulsorily redundant in this scenario.")
    else:
        sb.table(leavers, columns_for(leavers, month="Month post deleted"), freeze=True)
    return sb


def assumptions_sheet(results: Results) -> SheetBuilder:
    sb = SheetBuilder("Assumptions", landscape=False)
    sb.line(f"Assumptions, policies and actions: {results.scenario.name}", "title")
    sb.blank()
    sb.rows(["Item", "Value", "Unit or note"], assumption_rows(results.scenario))
    return sb


def quality_sheet(est: Establishment, *, include_names: bool = False,
                  anon: Anonymiser | None = None) -> SheetBuilder:
    """The importer's report (see :func:`report_table` for what personal data is left out)."""
    sb = SheetBuilder("Data quality")
    sb.line("Data-quality report of the establishment", "title")
    src = est.source
    where = src.path.name + (f", sheet '{src.sheet}'" if src.sheet else "")
    sb.line(f"Source: {where}. {est.rows_read:,} rows read, {est.rows_loaded:,} loaded, "
            f"{est.rows_excluded:,} excluded.")
    counts = est.report.counts()
    sb.rows(None, [[Styled(f"{SEVERITY_LABELS[s]}s", style="bold"), Styled(n, COUNT)]
                   for s, n in counts.items()])
    sb.blank()
    frame = report_table(est, include_names=include_names, anon=anon)
    if frame.empty:
        sb.line("No issues: every row loaded as it was.")
    else:
        sb.table(frame, columns_for(frame), freeze=True)
    return sb


def report_table(est: Establishment, *, include_names: bool = False,
                 anon: Anonymiser | None = None) -> pd.DataFrame:
    """The data-quality report as a frame (severity in words), personal data taken out.

    Unless ``include_names``, the values read from the name and date-of-birth columns
    are left out, in the "value" cell and in the message ("read as 19/06/1983"); with
    ``anon`` the values read from id columns become their codes, in both places too.
    Sheet, row, column and what was wrong stay, so the report still says what to fix.
    """
    frame = est.report.to_frame()
    frame["severity"] = frame["severity"].map(SEVERITY_LABELS).fillna(frame["severity"])
    mapping = est.source.mapping
    if not include_names:
        if header := mapping.get("employee_name"):
            _replace_values(frame, header, lambda value: NAME_LEFT_OUT)
        if header := mapping.get("date_of_birth"):
            _replace_values(frame, header, lambda value: DOB_LEFT_OUT, dates=True)
    if anon is not None:
        for key, prefix in ID_COLUMNS.items():
            if header := mapping.get(key):
                _replace_values(frame, header, partial(anon.code, prefix=prefix), quoted=True)
    return frame


def _replace_values(frame: pd.DataFrame, header: str, new: Callable[[str], str], *,
                    dates: bool = False, quoted: bool = False) -> None:
    """Replace the values read from column ``header``, in the value and in the message.

    ``dates``: every date in those rows' messages is left out too (a message may show
    the date as it was understood, not as it was written); ``quoted``: every quoted
    token in the messages is replaced as well ("kept as 'P001-2'").
    """
    for i in frame.index[frame["column"] == header]:
        value, message = frame.at[i, "value"], frame.at[i, "message"]
        old = None if value is None or value is pd.NA else str(value)
        if old is not None:
            frame.at[i, "value"] = new(old)
        if not isinstance(message, str):
            continue
        if quoted:
            message = _QUOTED.sub(lambda m: f"'{new(m.group(1))}'", message)
        for text in {old, old.strip()} if old is not None else ():
            if text.strip():
                message = message.replace(text, new(text))
        if dates:
            message = _DATES.sub(DATE_LEFT_OUT, message)
        frame.at[i, "message"] = message


# ----- assumptions --------------------------------------------------------------------
def assumption_rows(sc: Scenario) -> list[list[object]]:
    """Every assumption, policy, action and target as item / value / unit rows."""
    a, w, r = sc.assumptions, sc.natural_wastage, sc.redeployment
    ps = a.pension_strain

    def pct(value: float) -> Styled:
        return Styled(value / 100.0, PCT_PRECISE)

    def money(value: float) -> Styled:
        return Styled(value, MONEY)

    def head(text: str) -> list[object]:
        return [Styled(text, style="bold")]

    actions: list[list[object]] = [
        [f"{i}. {act.label or act.kind.replace('_', ' ').capitalize()}", describe_action(act),
         ""] for i, act in enumerate(sc.actions, 1)]
    rows: list[list[object]] = [
        head("Horizon"),
        ["Start month", format_month(sc.horizon.start), ""],
        ["Length", sc.horizon.months, "months"],
        head("Pay and on-costs"),
        ["Pay award each April after the start", pct(a.pay_award_pct), "a year"],
        *[[f"Pay award in {fy_text(y)}", pct(v), "overrides the yearly award"]
          for y, v in a.pay_award_by_fy],
        *[[f"Employer NI from {format_month(b.from_month)}", pct(b.rate_pct),
           f"of each person's pay above £{b.threshold:,.0f} a year"] for b in ni_bands(a)],
        ["LGPS employer pension rate", pct(a.pension_rate_pct), "of pension members' pay"],
        ["Apprenticeship levy", pct(a.levy_pct), "of the pay bill above the allowance"],
        ["Apprenticeship levy allowance", money(a.levy_allowance), "a year"],
        ["Productive hours per FTE", a.productive_hours_per_fte, "hours a year"],
        ["Standard working week", a.standard_weekly_hours, "hours"],
        ["Recruitment cost", money(a.recruitment_cost_per_hire), "per FTE recruited"],
        ["Agency or temporary cover cost", money(a.agency_cost_per_fte), "a year per FTE"],
        head("Redundancy"),
        ["Enhancement multiplier", a.redundancy.multiplier, "× statutory weeks"],
        ["Week's pay used", "actual pay" if a.redundancy.actual_pay else "statutory cap", ""],
        ["Most weeks paid", a.redundancy.max_weeks, "weeks"],
        head("Pension strain (estimate, to be confirmed by the pension fund)"),
        ["Method", "formula" if ps.method == "formula" else "share of salary", ""],
        ["For leavers aged at least", ps.min_age, "years"],
        ["With pension membership of at least", ps.min_years, "years"],
    ]
    if ps.method == "formula":
        rows += [["Accrual rate", f"1/{ps.accrual_denominator:g}", "of pay a year"],
                 ["Normal pension age", ps.normal_pension_age, "years"],
                 ["Early-retirement reduction", pct(ps.reduction_pct_per_year),
                  "a year before normal pension age"],
                 ["Capitalisation factor", ps.capitalisation_factor, "× annual pension"]]
    else:
        rows.append(["Strain", pct(ps.salary_pct), "of full-time salary"])
    rows += [
        head("Natural wastage"),
        ["Annual turnover", pct(w.annual_turnover_pct), "a year"],
        ["Backfill delay", w.backfill_lag_months, "months"],
        *[[f"Turnover for {_which(o.select)}", pct(o.annual_pct), "a year"]
          for o in w.overrides],
        *[[f"Retirement, ages {b.min_age:g}" + (f"–{b.max_age:g}" if b.max_age is not None
                                                else " and over"),
           pct(b.annual_pct), "extra a year"] for b in w.retirement],
        head("Redeployment"),
        ["Redeployment", "on" if r.enabled else "off", ""],
        ["Grades down allowed", r.grades_down, "grades"],
        ["Grades up allowed", r.grades_up, "grades"],
        ["Skills must overlap", "yes" if r.skills_overlap_required else "no", ""],
        ["Ring-fence", r.ring_fence, ""],
        ["Existing vacancies used", "yes" if r.use_existing_vacancies else "no", ""],
        ["Trial period", r.trial_weeks, "weeks"],
        ["Pay protection", r.pay_protection_months, "months"],
        ["Pay protection taper", r.pay_protection_taper, ""],
        ["Retraining period", r.retraining_months, "months"],
        ["Productivity while retraining", pct(r.retraining_productivity_pct), ""],
        ["Retraining cost", money(r.retraining_cost_per_person), "per person"],
        head("Actions"),
        *actions,
        head("Targets"),
        *[[f"Savings target {fy_text(y)}", money(v), ""] for y, v in sc.targets.savings_by_fy],
    ]
    if not sc.actions:
        rows.insert(rows.index(head("Actions")) + 1, ["No actions", "", ""])
    t = sc.targets
    if t.fte_target is not None:
        when = t.fte_target_month if t.fte_target_month is not None else sc.horizon.end - 1
        rows.append(["FTE target", Styled(t.fte_target, FTE), f"by {format_month(when)}"])
    elif not t.savings_by_fy:
        rows.append(["No targets", "", ""])
    return rows


def _which(select: Selector) -> str:
    text = select.describe()
    return text if text.startswith(("posts ", "all posts")) else f"posts with {text}"


def describe_action(act: object) -> str:
    """One sentence saying what an action does, for the Assumptions sheet."""
    when = month_label
    if isinstance(act, DeletePosts):
        cap = f", up to {act.max_fte:g} FTE (vacant posts first)" if act.max_fte else ""
        return f"From {when(act.month)}, delete {_which(act.select)}{cap}."
    if isinstance(act, ReduceFTE):
        how = f"by {act.by_pct:g}%" if act.by_pct is not None else f"to at most {act.to_fte:g} FTE"
        return f"From {when(act.month)}, reduce the FTE of {_which(act.select)} {how}."
    if isinstance(act, CreatePosts):
        pay = (f"£{act.annual_salary:,.0f} a year" if act.annual_salary is not None
               else f"the median salary of {act.grade}" if act.grade else "")
        grade = f" at {act.grade}" if act.grade else ""
        return (f"From {when(act.month)}, create {act.count} '{act.post_title}' post"
                f"{'s' if act.count != 1 else ''} of {act.fte:g} FTE{grade} in {act.team}"
                + (f", paid {pay}" if pay else "") + ".")
    if isinstance(act, VacancyFreeze):
        until = f" until {when(act.until - 1)}" if act.until is not None else ""
        text = f"From {when(act.month)}{until}, do not replace leavers from {_which(act.select)}"
        if act.delete_on_vacancy:
            text += "; delete the vacated posts" + (
                f" until {act.delete_until_fte:g} FTE has gone" if act.delete_until_fte else "")
        return text + "."
    if isinstance(act, TemporaryCover):
        cost = (f"£{act.annual_cost_per_fte:,.0f}" if act.annual_cost_per_fte is not None
                else "the agency cost")
        return (f"From {when(act.month)}, temporary cover of {act.fte:g} FTE in {act.team} for "
                f"{act.months} months at {cost} a year per FTE.")
    return str(act)
