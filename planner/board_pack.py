"""The board pack's content: what a director reads, as plain frozen data (no Qt).

:func:`build_board_pack` gathers, for one to five scenarios, the cover, the
plain-English summary (:mod:`planner.board_pack_text`), the KPI comparison (the
same :func:`planner.compare.compare_kpis` frame as the app's Compare view), the
charts as :class:`planner.board_pack_charts.ChartSpec` (series, labels and markers,
ready to draw), the assumptions side by side and the data-quality counts. Everything
is worked out by the existing planner helpers; ``ui.board_pack_pdf`` only lays it out
and draws it.

No personal data: no names, no post ids, no cell values from the data-quality
report (they can hold dates of birth). The pack goes to councillors.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from planner.board_pack_charts import ChartSpec, charts
from planner.board_pack_text import (
    LETTERS,
    action_heading,
    action_text,
    chance_text,
    comparison_sentences,
    long_date,
    number_text,
    plural,
    quality_kind,
    scenario_sentences,
)
from planner.compare import BEST, NO_SIMULATION, RAW, compare_kpis
from planner.export_xlsx import assumption_rows
from planner.xlsx_format import Styled

if TYPE_CHECKING:
    from planner.establishment import Establishment
    from planner.montecarlo import Simulation
    from planner.results import Results

DEFAULT_TITLE = "Workforce scenarios: board pack"
MAX_SCENARIOS = 5
__all__ = ["BoardPack", "ChartSpec", "PackScenario", "PackTable", "build_board_pack"]


# ----- the data ------------------------------------------------------------------------------
@dataclass(frozen=True)
class PackTable:
    """A table as text. ``bold`` cells are emphasised (the best value, with the word
    "best" in the text too); ``sections`` are heading rows (first cell only)."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    bold: frozenset[tuple[int, int]] = frozenset()
    sections: frozenset[int] = frozenset()
    widths: tuple[float, ...] = ()  # relative column widths (default equal)
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PackScenario:
    """One scenario in the pack: its letter, name, paragraph and actions in words."""

    letter: str
    name: str
    description: str
    horizon: str  # "Apr 2027 to Mar 2032 (60 months)"
    sentences: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]  # ("3. Remove 14 FTE from Revenues", what it does)

    @property
    def label(self) -> str:
        return f"{self.letter}: {self.name}"

    @property
    def paragraph(self) -> str:
        return " ".join(self.sentences)


@dataclass(frozen=True)
class BoardPack:
    """Everything in the board pack, in reading order."""

    title: str
    organisation: str
    made_on: dt.date
    scenarios: tuple[PackScenario, ...]
    lead: tuple[str, ...]  # which scenario is best on what (empty for one scenario)
    summary: tuple[str, ...]  # paragraphs: the lead, then one per scenario
    cover_lines: tuple[str, ...]
    kpi_table: PackTable
    charts: tuple[ChartSpec, ...]
    assumptions: PackTable  # those that differ between the scenarios, side by side
    shared_assumptions: PackTable  # those the same in every scenario, two pairs a row
    quality_lines: tuple[str, ...]
    quality: PackTable | None

    @property
    def date_text(self) -> str:
        return long_date(self.made_on)

    def texts(self) -> list[str]:
        """Every piece of text in the pack (to check that no personal data is in it)."""
        out = [self.title, self.organisation, *self.lead, *self.summary, *self.cover_lines,
               *self.quality_lines]
        for s in self.scenarios:
            out += [s.name, s.description, s.horizon, *s.sentences,
                    *(text for action in s.actions for text in action)]
        for table in (self.kpi_table, self.assumptions, self.shared_assumptions, self.quality):
            if table is not None:
                out += [*table.columns, *(c for row in table.rows for c in row), *table.notes]
        for c in self.charts:
            out += [c.title, c.subtitle, c.x_label, c.y_label, *c.categories, *c.notes, *c.rows,
                    *(m.label for m in c.markers), *(s.name for s in c.series),
                    *(label for s in c.series for label in s.labels),
                    *(meaning for _, meaning in c.key)]
        return out


# ----- building it -----------------------------------------------------------------------------
def build_board_pack(results: Sequence[Results], simulations: Sequence[Simulation | None] | None
                     = None, establishment: Establishment | None = None, *,
                     title: str | None = None, organisation: str = "",
                     made_on: dt.date | None = None) -> BoardPack:
    """The board pack of one to five scenario runs.

    Args:
        results: Expected-value runs, in the order the pack lists them (A, B, C…).
        simulations: A Monte Carlo simulation per run, or None where none was run.
        establishment: The establishment the runs used (for the data-quality summary).
        title: The pack's title (default :data:`DEFAULT_TITLE`).
        organisation: The council's name for the cover (optional).
        made_on: The date on the cover and in the footer (default today).

    Raises:
        ValueError: no scenario, more than five, or a simulations list of another length.
    """
    results = list(results)
    if not 1 <= len(results) <= MAX_SCENARIOS:
        raise ValueError(f"A board pack holds 1 to {MAX_SCENARIOS} scenarios, "
                         f"not {len(results)}.")
    sims = list(simulations) if simulations is not None else [None] * len(results)
    if len(sims) != len(results):
        raise ValueError("build_board_pack needs one simulation entry (or None) per scenario.")
    letters = LETTERS[:len(results)]
    scenarios = tuple(_scenario(r, s, letter) for r, s, letter in zip(results, sims, letters,
                                                                       strict=True))
    frame = compare_kpis(results, sims, names=[s.label for s in scenarios])
    lead = tuple(comparison_sentences(frame, letters, [s.name for s in scenarios]))
    summary = ((" ".join(lead),) if lead else ()) + tuple(s.paragraph for s in scenarios)
    quality_lines, quality = _quality(establishment)
    differ, shared = assumptions_tables(results)
    return BoardPack(
        title=title or DEFAULT_TITLE, organisation=organisation,
        made_on=made_on or dt.date.today(), scenarios=scenarios, lead=lead, summary=summary,
        cover_lines=_cover_lines(results, establishment), kpi_table=kpi_table(frame),
        charts=tuple(charts(results)), assumptions=differ, shared_assumptions=shared,
        quality_lines=quality_lines, quality=quality)


def _scenario(results: Results, sim: Simulation | None, letter: str) -> PackScenario:
    sc = results.scenario
    actions = tuple((action_heading(a, i), action_text(a)) for i, a in enumerate(sc.actions, 1))
    return PackScenario(letter=letter, name=sc.name, description=sc.description,
                        horizon=sc.horizon.describe(),
                        sentences=tuple(scenario_sentences(results, sim, letter)),
                        actions=actions or (("No workforce actions", "The establishment "
                                             "stays as it is; only natural wastage and "
                                             "backfill happen."),))


def _cover_lines(results: list[Results], est: Establishment | None) -> tuple[str, ...]:
    horizons = dict.fromkeys(r.scenario.horizon.describe() for r in results)
    lines = [("Horizon: " if len(horizons) == 1 else "Horizons: ") + "; ".join(horizons)]
    if est is not None:
        s = est.summary()
        lines.append(f"Establishment: {plural(s.posts, 'post')} ({s.fte_total:,.1f} FTE, "
                     f"{s.fte_vacant:,.1f} FTE vacant) in {plural(s.teams, 'team')}, "
                     f"from {est.source.path.name}")
    return tuple(lines)


# ----- tables --------------------------------------------------------------------------------
def kpi_table(frame: pd.DataFrame) -> PackTable:
    """The :func:`compare_kpis` frame as text, the best value of each row in bold and
    followed by "best" (so it is not told by emphasis alone)."""
    names = list(frame.attrs["scenarios"])
    if all(frame.loc["p_meet_year_2_target", n] == NO_SIMULATION for n in names):
        frame = frame.drop(index="p_meet_year_2_target")  # nothing simulated: no row of "—"
    rows, bold = [], set()
    for r, (_, row) in enumerate(frame.iterrows()):
        cells = [str(row["kpi"])]
        for c, name in enumerate(names):
            text = str(row[name])
            if text == NO_SIMULATION:
                text = "not simulated"
            elif row.name == "p_meet_year_2_target" and math.isfinite(row[RAW][c]):
                text = chance_text(row[RAW][c])  # "under 1%", as the summary says
            if c in row[BEST]:
                text += " (best)"
                bold.add((r, c + 1))
            cells.append(text)
        rows.append(tuple(cells))
    return PackTable(
        columns=("Measure", *names), rows=tuple(rows), bold=frozenset(bold),
        widths=(1.6, *([1.0] * len(names))),
        notes=("“(best)” and bold mark the best value of a row; rows without one are a "
               "matter of policy, or every scenario is the same.",
               "Savings are against the baseline: the same establishment with no actions "
               "and normal backfill. Money in pounds; FTE is full-time equivalent."))


Key = tuple[str, str]  # (section, item)


def assumption_values(results: Sequence[Results]
                      ) -> tuple[list[Key], list[dict[Key, tuple[str, str]]]]:
    """(section, item) keys in order (a section's own key has item ""), and per scenario
    each item's (value, unit) as text, from :func:`planner.export_xlsx.assumption_rows`
    (actions left out: they are listed per scenario)."""
    order: list[tuple[str, str]] = []
    values: list[dict[tuple[str, str], tuple[str, str]]] = []
    for r in results:
        section, seen = "", {}
        for row in assumption_rows(r.scenario):
            if len(row) == 1:
                section = _text(row[0])
                if section != "Actions" and (section, "") not in order:
                    order.append((section, ""))
                continue
            if section == "Actions":
                continue
            item, value, unit = (_text(c) for c in (*row, "", "")[:3])
            if (section, item) not in order:
                order.append((section, item))
            seen[(section, item)] = (value, unit)
        values.append(seen)
    return order, values


def assumptions_tables(results: Sequence[Results]) -> tuple[PackTable, PackTable]:
    """The assumptions that differ between the scenarios (side by side) and those the
    same in all (three item–value pairs a row, so they fit a page)."""
    order, values = assumption_values(results)
    n = len(results)
    differ: list[tuple[str, ...]] = []
    differ_sections: set[int] = set()
    shared: list[tuple[str, str]] = []  # (item, value), or (section, "") for a heading
    in_differ = in_shared = None
    for section, item in order:
        if not item:
            continue
        cells = [v.get((section, item), ("—", "")) for v in values]
        if n > 1 and len(set(cells)) > 1:
            if in_differ != section:
                differ_sections.add(len(differ))
                differ.append((section, *[""] * (n + 1)))
                in_differ = section
            units = {u for _, u in cells if u}
            if len(units) <= 1:
                differ.append((item, *(v for v, _ in cells), next(iter(units), "")))
            else:
                differ.append((item, *(f"{v} {u}".strip() for v, u in cells), ""))
        else:
            if in_shared != section:
                shared.append((section, ""))
                in_shared = section
            value, unit = cells[0]
            shared.append((item, f"{value} {unit}".strip() or "—"))
    letters = LETTERS[:n]
    heads = tuple(f"{x}: {r.scenario.name}" for x, r in zip(letters, results, strict=True))
    differ_table = PackTable(
        columns=("Item", *heads, "Unit or note"), rows=tuple(differ),
        sections=frozenset(differ_sections), widths=(1.5, *([1.0] * n), 1.4),
        notes=() if differ or n == 1 else ("The scenarios share every assumption below; "
                                           "they differ only in their actions.",))
    return differ_table, _n_up(shared)


def _n_up(pairs: list[tuple[str, str]], parts: int = 3) -> PackTable:
    """(item, value) pairs in ``parts`` runs side by side, each run starting at a section
    heading (value "", shown in bold) when one is near, so headings are never orphaned."""
    cuts = [0]
    for k in range(1, parts):
        aim = round(len(pairs) * k / parts)
        near = [i for i in range(max(cuts[-1] + 1, aim - 5), min(len(pairs), aim + 6))
                if not pairs[i][1]]
        cut = min(near, key=lambda i: abs(i - aim)) if near else aim
        if 0 < cut < len(pairs) and not pairs[cut - 1][1]:
            cut -= 1  # never end a run with its heading
        cuts.append(max(cut, cuts[-1]))
    cuts.append(len(pairs))
    runs = [pairs[a:b] for a, b in itertools.pairwise(cuts)]
    rows, bold = [], set()
    for r in range(max((len(run) for run in runs), default=0)):
        cells: list[str] = []
        for side, run in enumerate(runs):
            item, value = run[r] if r < len(run) else ("", "")
            if item and not value:
                bold.add((r, 2 * side))
            cells += [item, value]
        rows.append(tuple(cells))
    return PackTable(columns=("Assumption", "Value") * parts, rows=tuple(rows),
                     bold=frozenset(bold), widths=(1.0, 1.05) * parts)


def _text(cell: object) -> str:
    if isinstance(cell, Styled):
        return number_text(cell.value, cell.number_format)
    return number_text(cell)


def _quality(est: Establishment | None) -> tuple[tuple[str, ...], PackTable | None]:
    """Counts only: which kinds of issue, how many, in which columns (never the values)."""
    if est is None:
        return ("No establishment was given, so there is no data-quality summary.",), None
    src = est.source
    where = src.path.name + (f", sheet '{src.sheet}'" if src.sheet else "")
    counts = est.report.counts()
    lines = (
        f"Source: {where}.",
        f"{est.rows_read:,} rows read, {est.rows_loaded:,} loaded, {est.rows_excluded:,} "
        "excluded.",
        f"The checks found {plural(counts['error'], 'error')}, "
        f"{plural(counts['warning'], 'warning')} and {plural(counts['info'], 'note')}.",
    )
    frame = est.report.to_frame()
    if frame.empty:
        return (*lines, "Every row loaded as it was."), None
    order = {"error": 0, "warning": 1, "info": 2}
    names = {"error": "Error", "warning": "Warning", "info": "Note"}
    groups: dict[tuple[str, str], list[str]] = {}
    sizes: Counter[tuple[str, str]] = Counter()
    for issue in est.report:
        key = (str(issue.severity), quality_kind(issue.code))
        sizes[key] += 1
        cols = groups.setdefault(key, [])
        if issue.column and issue.column not in cols:
            cols.append(issue.column)
    keys = sorted(sizes, key=lambda k: (order.get(k[0], 3), -sizes[k], k[1]))
    rows = tuple((names.get(sev, sev), kind, f"{sizes[(sev, kind)]:,}",
                  ", ".join(groups[(sev, kind)][:6]) + (" …" if len(groups[(sev, kind)]) > 6
                                                        else ""))
                 for sev, kind in keys)
    table = PackTable(
        columns=("Severity", "What the checks found", "How many", "Columns"), rows=rows,
        widths=(0.6, 2.2, 0.5, 1.6),
        notes=("Row-by-row details are in the data-quality report in the app and the Excel "
               "workbook. Cell values are left out of this pack: they can be personal data.",))
    return lines, table


