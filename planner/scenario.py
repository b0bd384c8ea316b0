"""The scenario model (DESIGN §3): horizon, assumptions, policies, dated actions, targets.

These are plain frozen dataclasses with defaults from DESIGN §3. Reading and
writing the versioned JSON form, with messages that name the bad field, lives
in :mod:`planner.scenario_io`; resolving selectors against posts lives in
:mod:`planner.selectors`. Months are month numbers (see :mod:`planner.months`);
percentages are held as percentages (``19.8`` means 19.8 %), as users type them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from planner.months import Horizon

SCHEMA_VERSION = 2  # 2 adds demand, changes, pools and risk thresholds; 1 still reads

#: Selector keys that filter on a text column of the posts frame (values OR-ed within a key).
SELECTOR_FIELDS: tuple[str, ...] = (
    "team", "directorate", "service", "grade", "contract", "funding", "post_title", "location",
)


@dataclass(frozen=True)
class Selector:
    """Which posts an action applies to. Keys present are AND-ed; values in a key are OR-ed.

    An empty selector matches every post. ``status`` is ``"filled"``, ``"vacant"`` or
    ``None`` (both). Text matching ignores case and surrounding spaces.
    """

    post_ids: tuple[str, ...] = ()
    fields: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (column, allowed values), sorted
    status: Literal["filled", "vacant"] | None = None

    def describe(self) -> str:
        parts = []
        if self.post_ids:
            shown = ", ".join(self.post_ids[:3]) + (" …" if len(self.post_ids) > 3 else "")
            parts.append(f"posts {shown}")
        parts += [f"{col} {' or '.join(vals)}" for col, vals in self.fields]
        if self.status:
            parts.append(f"{self.status} posts")
        return "; ".join(parts) or "all posts"


@dataclass(frozen=True)
class EmployerNIBand:
    """Employer (secondary) Class 1 NI from a month: ``rate_pct`` on pay above ``threshold``."""

    from_month: int
    rate_pct: float
    threshold: float  # per employee per year


@dataclass(frozen=True)
class RedundancyTerms:
    """The council's discretionary enhancement (SI 2006/2914) on top of statutory pay."""

    multiplier: float = 1.0  # k × statutory weeks
    actual_pay: bool = False  # actual week's pay instead of the statutory cap
    max_weeks: float = 104.0


@dataclass(frozen=True)
class PensionStrainTerms:
    """How the pension-strain *estimate* is made for leavers aged ``min_age``+.

    ``method="formula"``: annual pension (salary × FTE × years ÷ ``accrual_denominator``)
    × early-retirement reduction (``reduction_pct_per_year`` × years before
    ``normal_pension_age``, at most 100 %) × ``capitalisation_factor``.
    ``method="salary_pct"``: ``salary_pct`` % of the full-time-equivalent salary.
    """

    method: Literal["formula", "salary_pct"] = "formula"
    min_age: int = 55
    min_years: float = 2.0
    accrual_denominator: float = 49.0
    normal_pension_age: int = 67
    reduction_pct_per_year: float = 5.0
    capitalisation_factor: float = 20.0
    salary_pct: float = 100.0


@dataclass(frozen=True)
class Assumptions:
    """Money and time assumptions (DESIGN §3), all shown in reports."""

    pay_award_pct: float = 3.0  # each April after the start month
    pay_award_by_fy: tuple[tuple[int, float], ...] = ()  # (FY start year, %) overrides
    employer_ni: tuple[EmployerNIBand, ...] = ()  # empty: the built-in table
    pension_rate_pct: float = 19.8  # LGPS employer rate, on pay of pension members
    levy_pct: float = 0.5
    levy_allowance: float = 15_000.0  # a year; 0.5 % × (pay bill − £3m)
    productive_hours_per_fte: float = 1_613.0  # a year
    standard_weekly_hours: float = 37.0
    recruitment_cost_per_hire: float = 3_000.0  # per FTE recruited
    agency_cost_per_fte: float = 45_000.0  # a year, default for temporary cover
    redundancy: RedundancyTerms = field(default_factory=RedundancyTerms)
    pension_strain: PensionStrainTerms = field(default_factory=PensionStrainTerms)


@dataclass(frozen=True)
class TurnoverRate:
    """An annual turnover rate for posts matching ``select`` (later entries win)."""

    select: Selector
    annual_pct: float


@dataclass(frozen=True)
class RetirementBand:
    """Extra annual leaving rate for original post-holders aged ``min_age``–``max_age``."""

    min_age: float
    max_age: float | None
    annual_pct: float


@dataclass(frozen=True)
class NaturalWastage:
    """Leavers and backfill. Applies to the baseline run and the scenario alike."""

    annual_turnover_pct: float = 13.4
    backfill_lag_months: int = 3
    overrides: tuple[TurnoverRate, ...] = ()
    retirement: tuple[RetirementBand, ...] = ()


@dataclass(frozen=True)
class RedeploymentPolicy:
    """How displaced post-holders are matched to vacancies and new posts (DESIGN §3, §5)."""

    enabled: bool = True
    grades_down: int = 1
    grades_up: int = 0
    skills_overlap_required: bool = False
    ring_fence: Literal["council", "directorate", "service", "team"] = "council"
    use_existing_vacancies: bool = True
    trial_weeks: int = 4
    pay_protection_months: int = 12
    pay_protection_taper: Literal["none", "linear"] = "none"
    retraining_months: int = 3
    retraining_productivity_pct: float = 50.0
    retraining_cost_per_person: float = 0.0


@dataclass(frozen=True)
class DeletePosts:
    """Delete the selected posts in ``month``; their holders are displaced.

    With ``max_fte``, only whole posts up to that FTE are deleted, vacant ones
    first, then filled ones in post-id order.
    """

    month: int
    select: Selector
    max_fte: float | None = None
    label: str = ""
    kind: Literal["delete_posts"] = "delete_posts"


@dataclass(frozen=True)
class ReduceFTE:
    """Reduce the FTE of the selected posts (agreed hours reductions: no redundancy cost).

    Exactly one of ``by_pct`` (cut each post by this %) or ``to_fte`` (cap each post).
    """

    month: int
    select: Selector
    by_pct: float | None = None
    to_fte: float | None = None
    label: str = ""
    kind: Literal["reduce_fte"] = "reduce_fte"


@dataclass(frozen=True)
class CreatePosts:
    """Create ``count`` posts of ``fte`` in ``team``; redeployment first, then recruitment.

    Salary is ``annual_salary`` or, failing that, the median salary of ``grade`` in
    the establishment.
    """

    month: int
    team: str
    count: int = 1
    fte: float = 1.0
    grade: str | None = None
    annual_salary: float | None = None
    post_title: str = "New post"
    directorate: str | None = None  # default: the team's directorate
    service: str | None = None
    skills: str | None = None
    label: str = ""
    kind: Literal["create_posts"] = "create_posts"


@dataclass(frozen=True)
class VacancyFreeze:
    """Leavers from the selected posts are not replaced from ``month`` until ``until``.

    With ``delete_on_vacancy`` the vacated FTE (and vacancies already open) is
    deleted instead, until ``delete_until_fte`` has gone (then the freeze lifts).
    """

    month: int
    select: Selector
    until: int | None = None  # first month after the freeze; None: to the horizon end
    delete_on_vacancy: bool = False
    delete_until_fte: float | None = None
    label: str = ""
    kind: Literal["vacancy_freeze"] = "vacancy_freeze"


@dataclass(frozen=True)
class TemporaryCover:
    """Temporary or agency cover: ``fte`` in ``team`` for ``months`` from ``month``."""

    month: int
    team: str
    fte: float
    months: int
    annual_cost_per_fte: float | None = None  # default: Assumptions.agency_cost_per_fte
    label: str = ""
    kind: Literal["temporary_cover"] = "temporary_cover"


Action = DeletePosts | ReduceFTE | CreatePosts | VacancyFreeze | TemporaryCover


# ----------------------------------------------------------------- capacity and demand

#: The benefit drivers of DESIGN §3 (the reference case's four).
DRIVERS: tuple[str, ...] = (
    "customer_enablement", "channel_shift", "technology_and_process", "remodelling",
)


@dataclass(frozen=True)
class GrowthPosition:
    """A dated step change in demand (a new statutory duty): hours a month from ``month``."""

    month: int
    hours_per_month: float
    label: str = ""


@dataclass(frozen=True)
class ContactCentre:
    """Erlang C settings for a contact-centre team (DESIGN §4).

    ``calls_per_interval`` is the planning interval's call volume at baseline
    (usually the busy interval); it moves each month with the team's demand
    (season, growth, channel shift). Agents on the phones = FTE × (1 − shrinkage).
    """

    calls_per_interval: float
    interval_minutes: float = 30.0
    aht_seconds: float = 180.0
    answer_seconds: float = 20.0
    target_pct: float = 80.0  # % of calls answered within answer_seconds
    shrinkage_pct: float = 30.0


@dataclass(frozen=True)
class TeamDemand:
    """A team's workload. Give ``hours_per_month``, or ``volume_per_month`` × ``minutes_per_item``,
    or neither (demand then equals the team's baseline capacity: just coping).

    ``seasonal`` is 12 factors, April to March (the financial year), scaled to
    average 1 so the hours are an average month's; ``growth_pct`` compounds
    yearly from the horizon start; growth positions add hours from their month.
    """

    team: str
    hours_per_month: float | None = None
    volume_per_month: float | None = None
    minutes_per_item: float | None = None
    seasonal: tuple[float, ...] = ()
    growth_pct: float = 0.0
    growth_positions: tuple[GrowthPosition, ...] = ()
    contact_centre: ContactCentre | None = None


@dataclass(frozen=True)
class Slippage:
    """How late a change may go live, for simulation: a triangular distribution in months."""

    min_months: float = 0.0
    mode_months: float = 0.0
    max_months: float = 0.0


@dataclass(frozen=True)
class Change:
    """A benefit driver: demand removed and/or productivity gained in ``teams`` from go-live.

    The effect ramps linearly to full over ``ramp_months`` (1/ramp in the go-live
    month, full from go-live + ramp − 1), scaled by ``realisation_pct``.
    """

    name: str
    go_live: int
    teams: tuple[str, ...]
    driver: str = "technology_and_process"
    demand_removed_pct: float = 0.0
    productivity_gain_pct: float = 0.0
    ramp_months: int = 1
    realisation_pct: float = 100.0
    slippage: Slippage = field(default_factory=Slippage)

    def full_effect_month(self, slip: int = 0) -> int:
        """First month at full effect (the month a reduction it absorbs is safe from)."""
        return self.go_live + slip + max(self.ramp_months, 1) - 1


@dataclass(frozen=True)
class Pool:
    """A multi-skilled pool: the staff of ``teams`` serve the teams' demand (the disciplines).

    Each member works their own team's discipline and any other pool discipline
    named in their ``skills``; members with more than one discipline work at
    ``efficiency`` (context switching). ``weights`` rank disciplines when demand
    cannot all be met (default 1 each).
    """

    name: str
    teams: tuple[str, ...]
    efficiency: float = 0.9
    weights: tuple[tuple[str, float], ...] = ()
    from_month: int | None = None  # pooling starts; None: the horizon start
    #: team -> skill words in the establishment's ``skills`` column that qualify a member
    #: to work that team's discipline (always also the team's own name).
    skills: tuple[tuple[str, tuple[str, ...]], ...] = ()


@dataclass(frozen=True)
class RiskThresholds:
    """Green/amber/red (DESIGN §3): amber below 0.95 of demand, red below 0.85 or over
    4 weeks of backlog (amber over 2 weeks)."""

    amber_ratio: float = 0.95
    red_ratio: float = 0.85
    amber_backlog_weeks: float = 2.0
    red_backlog_weeks: float = 4.0


@dataclass(frozen=True)
class Targets:
    """What the scenario must achieve: MTFP savings by financial year and an FTE target."""

    savings_by_fy: tuple[tuple[int, float], ...] = ()  # (FY start year, £)
    fte_target: float | None = None
    fte_target_month: int | None = None  # default: the last month
    risk: RiskThresholds = field(default_factory=RiskThresholds)


@dataclass(frozen=True)
class Scenario:
    """One scenario: everything the engine needs besides the establishment."""

    name: str
    horizon: Horizon
    description: str = ""
    assumptions: Assumptions = field(default_factory=Assumptions)
    natural_wastage: NaturalWastage = field(default_factory=NaturalWastage)
    redeployment: RedeploymentPolicy = field(default_factory=RedeploymentPolicy)
    actions: tuple[Action, ...] = ()
    targets: Targets = field(default_factory=Targets)
    demand: tuple[TeamDemand, ...] = ()
    changes: tuple[Change, ...] = ()
    pools: tuple[Pool, ...] = ()

    def baseline(self) -> Scenario:
        """The same scenario with no actions: the comparator for savings."""
        from dataclasses import replace

        return replace(self, name=f"{self.name} (baseline)", actions=())
