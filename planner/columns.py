"""Canonical establishment columns (DESIGN §2) and the header synonyms that map onto them.

A user's header is *normalised* (lower case, £ and punctuation removed, spaces
collapsed) and then looked up in :data:`SYNONYMS`. Matching is exact on the
normalised text, so "Grade" never matches "Grade Description" by accident; a
few patterns in :data:`PATTERNS` catch families such as "Contracted Hrs".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """How a canonical column's cells are parsed."""

    TEXT = "text"
    ID = "id"  # text, but numbers keep no trailing ".0" and leading zeros are kept
    NUMBER = "number"
    HOURS = "hours"  # a number, or a duration such as 18:30
    MONEY = "money"
    DATE = "date"
    STATUS = "status"
    FLAG = "flag"  # yes/no
    CONTRACT = "contract"
    FUNDING = "funding"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: Kind
    label: str
    description: str


COLUMNS: tuple[Column, ...] = (
    Column("post_id", Kind.ID, "Post ID", "Post or position reference (kept as text)"),
    Column("team", Kind.TEXT, "Team", "Lowest organisational unit used for capacity"),
    Column("fte", Kind.NUMBER, "FTE", "Full-time equivalent of the post, normally 0 < FTE ≤ 1"),
    Column("weekly_hours", Kind.HOURS, "Weekly hours", "Contracted hours a week (÷ 37 = FTE)"),
    Column("annual_salary", Kind.MONEY, "Annual salary (£)", "Full-time annual salary (GBP)"),
    Column("salary_min", Kind.MONEY, "Pay floor (£)", "Bottom of the pay range or band"),
    Column("salary_max", Kind.MONEY, "Pay ceiling (£)", "Top of the pay range or band"),
    Column("post_title", Kind.TEXT, "Post title", "Job title"),
    Column("directorate", Kind.TEXT, "Directorate", "Directorate or department"),
    Column("service", Kind.TEXT, "Service", "Service area"),
    Column("grade", Kind.ID, "Grade", "Grade or band"),
    Column("scp", Kind.ID, "SCP", "Spinal column point"),
    Column("cost_centre", Kind.ID, "Cost centre", "Finance cost centre"),
    Column("location", Kind.TEXT, "Location", "Work base"),
    Column("reports_to", Kind.ID, "Reports to", "Post id of the line manager's post"),
    Column("status", Kind.STATUS, "Status", "filled or vacant"),
    Column("vacant", Kind.FLAG, "Vacant?", "Yes when the post is vacant"),
    Column("employee_id", Kind.ID, "Employee ID", "Personal data"),
    Column("employee_name", Kind.TEXT, "Employee name", "Personal data"),
    Column("date_of_birth", Kind.DATE, "Date of birth", "Personal data; for redundancy costs"),
    Column("age", Kind.NUMBER, "Age", "Age in whole years"),
    Column("service_start_date", Kind.DATE, "Service start", "Continuous service start date"),
    Column("years_service", Kind.NUMBER, "Years' service", "Complete years of service"),
    Column("contract", Kind.CONTRACT, "Contract",
           "permanent/fixed_term/temporary/agency/secondment"),
    Column("funding", Kind.FUNDING, "Funding", "core/grant/income/capital"),
    Column("external_funding", Kind.MONEY, "External funding (£)",
           "Annual amount funded externally"),
    Column("pension_member", Kind.FLAG, "Pension member", "In the LGPS (default yes)"),
    Column("skills", Kind.TEXT, "Skills", "Disciplines the holder can work in, ';'-separated"),
)

BY_NAME: dict[str, Column] = {c.name: c for c in COLUMNS}
CANONICAL: tuple[str, ...] = tuple(c.name for c in COLUMNS)

#: Columns a file must provide (directly, or through the alternative named in the tuple).
REQUIRED: dict[str, tuple[str, ...]] = {
    "post_id": (),
    "team": (),
    "fte": ("weekly_hours",),
    "annual_salary": ("salary_min", "salary_max", "grade"),
}

SYNONYMS: dict[str, tuple[str, ...]] = {
    "post_id": (
        "post id", "post no", "post number", "post ref", "post reference", "postid",
        "position id", "position number", "position no", "position reference", "position ref",
        "post unique reference", "establishment ref", "establishment reference",
        "job id", "unique post reference", "post unique ref",
    ),
    "team": (
        "team", "team name", "unit", "section", "work group", "organisational unit",
        "org unit", "business unit", "sub service", "subservice", "team unit",
    ),
    "fte": (
        "fte", "post fte", "assignment fte", "contracted fte", "actual fte", "fte in post",
        "full time equivalent", "number of posts in fte", "posts fte", "fte posts", "wte",
        "whole time equivalent", "funded fte", "establishment fte", "budgeted fte",
        "fte budgeted", "budget fte",
    ),
    "weekly_hours": (
        "contracted hours", "contracted hrs", "weekly hours", "weekly contracted hours",
        "hours per week", "contract hours", "normal hours", "working hours", "hours a week",
        "hours", "hrs",
    ),
    "annual_salary": (
        "annual salary", "salary", "fte salary", "full time salary", "basic salary",
        "annual basic salary", "basic salary fte", "salary fte", "full time equivalent salary",
        "fte annual salary", "basic pay", "annual pay", "salary band", "salaryband",
        "remuneration band", "salary range",
    ),
    "salary_min": (
        "actual pay floor", "payscale minimum", "pay scale minimum", "salary min",
        "minimum salary", "min salary", "pay floor", "salary band bottom", "salary floor",
        "band minimum", "salary band min", "salary minimum",
    ),
    "salary_max": (
        "actual pay ceiling", "payscale maximum", "pay scale maximum", "salary max",
        "maximum salary", "max salary", "pay ceiling", "salary band top", "salary ceiling",
        "band maximum", "salary band max", "salary maximum",
    ),
    "post_title": (
        "post title", "job title", "position title", "position name", "generic job title",
        "role", "jobtitle", "role title", "post name", "job name",
    ),
    "directorate": (
        "directorate", "department", "division", "parent department", "portfolio",
        "directorate name",
    ),
    "service": ("service", "service area", "service name", "head of service area"),
    "grade": ("grade", "grade or equivalent", "pay grade", "band", "njc grade", "grade band",
              "pay band"),
    "scp": ("scp", "spinal column point", "spinal column point scp", "spinal point",
            "spine point", "pay point"),
    "cost_centre": ("cost centre", "cost center", "cost code", "cost centre code", "budget code"),
    "location": ("location", "base", "work location", "site", "work base"),
    "reports_to": (
        "reports to", "reports to senior post", "reporting senior post", "line manager post",
        "manager post id", "parent post",
    ),
    "status": ("status", "post status", "vacancy status", "filled vacant", "occupancy"),
    "vacant": ("vacant", "vacancy", "is vacant", "vacant post"),
    "employee_id": (
        "employee id", "employee number", "employee no", "staff number", "staff no",
        "person id", "person number", "staff id", "payroll id", "payroll number",
        "payroll no", "assignment number", "emp no",
    ),
    "employee_name": (
        "employee name", "name", "full name", "staff name", "post holder", "postholder",
        "holder name",
    ),
    "date_of_birth": ("date of birth", "dob", "birth date", "d o b"),
    "age": ("age", "age years", "age in years"),
    "service_start_date": (
        "continuous service date", "cont service date", "continuous service start",
        "local government service date", "service start date", "service date",
        "employment start date", "start date", "date started", "hire date", "date joined",
    ),
    "years_service": ("years service", "years of service", "length of service", "service years"),
    "contract": ("contract", "contract type", "contracttype", "employment type", "tenure"),
    "funding": ("funding", "funding source", "funding type", "funded by"),
    "external_funding": (
        "external funding", "externally funded amount", "grant funding", "external funding amount",
    ),
    "pension_member": ("pension member", "pension", "lgps member", "in pension scheme", "lgps"),
    "skills": ("skills", "disciplines", "skill set", "competencies", "multi skilled"),
}

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^(contract(ed)?|weekly|basic) (hrs|hours)( per week| pw)?$"), "weekly_hours"),
    # "FTE 2026", "WTE (decimal)", but not "FTE Salary", "FTE Hours", "FTE Vacant", "FTE pct"
    (re.compile(r"^(fte|wte)\b(?!.*\b(salary|pay|hours|hrs|vacan\w*|variance|pct|cost|"
                r"budget\w*|filled|change|diff\w*)\b)"), "fte"),
    (re.compile(r"^number of posts (in|as) fte$"), "fte"),
    (re.compile(r"^(annual |basic |fte )?salary( annual| per annum| pa| fte)?$"), "annual_salary"),
)

_CURRENCY = re.compile(r"\(\s*(£|gbp)\s*\)|£|\bgbp\b", re.IGNORECASE)
_PERCENT = re.compile(r"%|\bper ?cent(age)?\b", re.IGNORECASE)
_PUNCT = re.compile(r"[^0-9a-z]+")


def normalise_header(header: object) -> str:
    """Header as compared: ``'Payscale Minimum (£)'`` → ``'payscale minimum'``."""
    text = "" if header is None else str(header)
    text = text.replace("\u00a0", " ").strip().lower()
    text = _CURRENCY.sub(" ", text)
    text = _PERCENT.sub(" pct ", text)  # "FTE %" must not read as plain "FTE"
    text = text.replace("'", "").replace("’", "")
    text = _PUNCT.sub(" ", text)
    return " ".join(text.split())


_LOOKUP: dict[str, tuple[str, int]] = {}
for _name, _words in SYNONYMS.items():
    for _rank, _w in enumerate(_words):
        _LOOKUP.setdefault(normalise_header(_w), (_name, _rank))

#: Rank of a pattern match: weaker than any listed synonym.
PATTERN_RANK = 1000


def match_header_ranked(header: object) -> tuple[str, int] | None:
    """The canonical column a header means and how strongly (0 = the best synonym).

    When two headers mean the same column, the stronger one is used: "Contracted
    Hours" beats "Hours", "Continuous Service Date" beats "Start Date", and any
    listed synonym beats a pattern.
    """
    key = normalise_header(header)
    if not key:
        return None
    if key in _LOOKUP:
        return _LOOKUP[key]
    if key.replace(" ", "_") in BY_NAME:  # already canonical, e.g. "annual_salary"
        return key.replace(" ", "_"), 0
    for pattern, name in PATTERNS:
        if pattern.search(key):
            return name, PATTERN_RANK
    return None


def match_header(header: object) -> str | None:
    """The canonical column a header means, or ``None`` if it is not recognised."""
    found = match_header_ranked(header)
    return found[0] if found else None
