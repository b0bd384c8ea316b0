"""Checked reading of the scenario JSON document into :class:`~planner.scenario.Scenario`.

:func:`scenario_from_dict` walks the whole document and collects *every*
problem (a JSON path and a plain message) before raising one
:class:`ScenarioError`, so a user fixing a hand-edited file sees them all at
once. Writing, files and checks against an establishment live in
:mod:`planner.scenario_io`, which is the module to import from.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import MISSING, fields
from difflib import get_close_matches
from functools import partial
from typing import Any

from planner.errors import PlannerError
from planner.months import (
    Horizon,
    format_month,
    fy_start_year,
    fy_text,
    next_april,
    parse_fy,
    parse_month,
)
from planner.scenario import (
    SCHEMA_VERSION,
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

__all__ = ["ACTION_TYPES", "MAX_MAGNITUDE", "ScenarioError", "json_keys", "json_value",
           "key_path", "scenario_from_dict"]

ACTION_TYPES: dict[str, type[Action]] = {
    cls.kind: cls for cls in (DeletePosts, ReduceFTE, CreatePosts, VacancyFreeze, TemporaryCover)
}
TOP_KEYS = ("schema_version", "name", "description", "horizon", "assumptions",
            "natural_wastage", "redeployment", "actions", "demand", "changes", "pools",
            "targets")
#: Schema versions this FTE Planner reads (1 has no demand, changes, pools or risk).
READ_VERSIONS = (1, SCHEMA_VERSION)
SELECT_KEYS = ("post_ids", *SELECTOR_FIELDS, "status")
NI_KEYS = ("from", "rate_pct", "threshold")
#: No number in a scenario is larger than this (a trillion pounds or hours): beyond it a
#: value is a typing error, and 1e308 would overflow the projections to infinity and NaN.
MAX_MAGNITUDE = 1e12
#: Longest problem shown in a message (a pasted megabyte of text is cut, not echoed).
MAX_LINE = 300
#: Half of a UTF-16 pair on its own: JSON's "\ud800" escape decodes to one, and no UTF-8
#: file can hold it, so a scenario holding one could be loaded but never saved.
_SURROGATE = re.compile("[\ud800-\udfff]")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class ScenarioError(PlannerError):
    """A scenario document or file has problems; ``str()`` is one plain sentence.

    Attributes:
        problems: Every problem found, as ``(json_path, message)`` pairs, in document order.
        path: JSON path of the first problem, such as ``actions[2].month`` ("" for the file).
        problem: Message of the first problem.
        source: The file name given, if any.
        name: The scenario name given (used when there is no file), if any.
    """

    SHOWN = 3

    def __init__(self, problems: list[tuple[str, str]], *, source: str | None = None,
                 name: str | None = None) -> None:
        self.problems = list(problems) or [("", "is not a usable scenario")]
        self.path, self.problem = self.problems[0]
        self.source = source
        self.name = name
        subject = (f"Scenario file {source!r}" if source
                   else f"Scenario {name!r}" if name else "Scenario")
        lines = self.lines()
        if len(lines) == 1:
            text = f"{subject}: {lines[0]}."
        else:
            more = len(lines) - self.SHOWN
            shown = "; ".join(lines[:self.SHOWN]) + (f"; and {more} more" if more > 0 else "")
            text = f"{subject} has {len(lines)} problems: {shown}."
        super().__init__(text)

    def __reduce__(self) -> tuple[Any, ...]:  # picklable across processes
        return (partial(ScenarioError, source=self.source, name=self.name), (self.problems,))

    def lines(self) -> list[str]:
        """Each problem as ``"path: message"`` (just the message for the whole file).

        A line is cut at :data:`MAX_LINE` characters, so a message quoting a huge value
        from the file stays readable.
        """
        lines = (f"{path}: {message}" if path else message for path, message in self.problems)
        return [line if len(line) <= MAX_LINE else line[:MAX_LINE - 1] + "…" for line in lines]


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


def join(path: str, key: str) -> str:
    """The JSON path of ``key`` inside the object at ``path``."""
    return f"{path}.{key}" if path else key


def key_path(path: str, key: str) -> str:
    """The JSON path of a free-text key chosen by the user (``savings_by_fy["2027/28"]``).

    The key is written as a JSON string, so quotes and line breaks in it are escaped,
    and cut to 40 characters.
    """
    shown = key if len(key) <= 40 else key[:40] + "…"
    return f"{path}[{_SURROGATE.sub(_escaped, json.dumps(shown, ensure_ascii=False))}]"


def _escaped(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _surrogate_problems(data: Any) -> list[tuple[str, str]]:
    """Paths of texts and keys holding an unpaired surrogate, in document order."""
    problems: list[tuple[str, str]] = []
    stack: list[tuple[str, Any]] = [("", data)]
    while stack:  # no recursion: a deeply nested document cannot overflow the stack
        path, value = stack.pop()
        if isinstance(value, str):
            found = _SURROGATE.search(value)
            if found:
                problems.append((path, f"holds {_escaped(found)}, half of a character pair on "
                                       "its own, which no file can store; remove it"))
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                child = (join(path, key) if isinstance(key, str) and _IDENTIFIER.fullmatch(key)
                         else key_path(path, str(key)))
                if isinstance(key, str) and _SURROGATE.search(key):
                    problems.append((child, "the key holds half of a character pair on its "
                                            "own, which no file can store; remove it"))
                children.append((child, item))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(reversed([(f"{path}[{i}]", item) for i, item in enumerate(value)]))
    return problems


def suggest(word: str, options: Iterable[str]) -> str | None:
    """The closest option to a mistyped word, if any is close."""
    options = list(options)
    lowered = {o.casefold(): o for o in options}
    match = get_close_matches(word.casefold().replace(" ", "_"), list(lowered), n=1)
    return lowered[match[0]] if match else None


def describe_value(value: Any) -> str:
    """A short phrase for a JSON value in a message ("text '12%'", "true", "a list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return fmt(value)
    if isinstance(value, str):
        return f"text {value[:40] + '…' if len(value) > 40 else value!r}"
    return "a list" if isinstance(value, list) else "an object {…}"


def fmt(x: float) -> str:
    """A number as a person would write it (``3`` rather than ``3.0``; ``1e+20`` when huge)."""
    if isinstance(x, int) and not isinstance(x, bool) and abs(x) >= 10**15:
        try:
            return f"{float(x):.6g}"
        except OverflowError:  # beyond any float: say how big rather than print it
            return f"a number of {int(x.bit_length() * math.log10(2)) + 1} digits"
    return str(int(x)) if isinstance(x, float) and x.is_integer() and abs(x) < 1e15 else str(x)


def json_value(value: Any) -> Any:
    """A plain JSON value: whole floats are written without ``.0``; numpy scalars unwrapped."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        x = float(value)
        return int(x) if x.is_integer() and abs(x) < 2**53 else x
    return value


def _range_problem(x: float, lo: float | None, hi: float | None, lo_open: bool,
                   hi_open: bool, unit: str) -> str | None:
    low_ok = lo is None or (x > lo if lo_open else x >= lo)
    high_ok = hi is None or (x < hi if hi_open else x <= hi)
    if low_ok and high_ok:
        return None
    low = "" if lo is None else (f"more than {fmt(lo)}" if lo_open else f"at least {fmt(lo)}")
    high = "" if hi is None else (f"less than {fmt(hi)}" if hi_open else f"at most {fmt(hi)}")
    if lo is not None and hi is not None and not lo_open and not hi_open:
        rule = f"between {fmt(lo)} and {fmt(hi)}{unit}"
    else:
        rule = " and ".join(p for p in (low, high) if p) + unit
    return f"must be {rule}, not {fmt(x)}"


class Reader:
    """Reads fields of the decoded document, recording problems and carrying on.

    Each reader returns the value, or a placeholder (the default) after recording a
    problem, so one pass finds every problem in the document.
    """

    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []
        self.horizon: Horizon | None = None  # set once read; None: months not range-checked

    def add(self, path: str, message: str) -> None:
        self.problems.append((path, message))

    def horizon_text(self) -> str:
        h = self.horizon
        return f"({format_month(h.start)} to {format_month(h.end - 1)})" if h else ""

    def obj(self, value: Any, path: str, allowed: Sequence[str] | None,
            required: Sequence[str] = ()) -> dict[str, Any] | None:
        """``value`` if it is an object; unknown keys and missing required keys are problems."""
        if not isinstance(value, dict):
            self.add(path, f"must be an object {{…}}, not {describe_value(value)}")
            return None
        for key in value:
            if allowed is not None and key not in allowed:
                hint = suggest(key, allowed) if isinstance(key, str) else None
                self.add(path, f"unknown key {key!r} " + (
                    f"(did you mean {hint!r}?)" if hint
                    else f"(allowed keys: {', '.join(allowed)})"))
        for key in required:
            if key not in value:
                self.add(join(path, key), "is required but missing")
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if isinstance(value, list):
            return value
        self.add(path, f"must be a list […], not {describe_value(value)}")
        return []

    def number(self, value: Any, path: str, *, lo: float | None = None,
               hi: float | None = None, lo_open: bool = False, hi_open: bool = False,
               unit: str = "") -> float | None:
        """A finite number within the range and ±:data:`MAX_MAGNITUDE` (booleans are not
        numbers; Python's json reads ``NaN``, ``Infinity`` and integers too large for a
        float, and none of them gets through)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"must be a number, not {describe_value(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(path, f"must be a finite number, not {value}")
            return None
        problem = _range_problem(value, lo, hi, lo_open, hi_open, unit)
        if problem is None and abs(value) > MAX_MAGNITUDE:
            problem = (f"must be a number no larger than {MAX_MAGNITUDE:,.0f} either way, "
                       f"not {fmt(value)}")
        if problem:
            self.add(path, problem)
            return None
        return float(value)

    def whole(self, value: Any, path: str, *, lo: float | None = None,
              hi: float | None = None, unit: str = "") -> int | None:
        """A whole number (``3.0`` is accepted as 3) within the range."""
        ok = (isinstance(value, int) or (isinstance(value, float) and value.is_integer()))
        if isinstance(value, bool) or not ok:
            self.add(path, f"must be a whole number, not {describe_value(value)}")
            return None
        problem = _range_problem(value, lo, hi, False, False, unit)
        if problem:
            self.add(path, problem)
            return None
        return int(value)

    def num(self, d: dict[str, Any], key: str, path: str, default: float,
            **limits: Any) -> float:
        if key not in d:
            return default
        got = self.number(d[key], join(path, key), **limits)
        return default if got is None else got

    def opt_num(self, d: dict[str, Any], key: str, path: str, **limits: Any) -> float | None:
        """An optional number: missing or null is None."""
        return None if d.get(key) is None else self.number(d[key], join(path, key), **limits)

    def whole_key(self, d: dict[str, Any], key: str, path: str, default: int,
                  **limits: Any) -> int:
        if key not in d:
            return default
        got = self.whole(d[key], join(path, key), **limits)
        return default if got is None else got

    def flag(self, d: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = d.get(key, default)
        if isinstance(value, bool):
            return value
        self.add(join(path, key), f"must be true or false, not {describe_value(value)}")
        return default

    def text(self, d: dict[str, Any], key: str, path: str, default: str, *,
             blank_ok: bool = True) -> str:
        if key not in d:
            return default
        value = d[key]
        if not isinstance(value, str):
            self.add(join(path, key), f"must be text, not {describe_value(value)}")
            return default
        if not blank_ok and not value.strip():
            self.add(join(path, key), "must not be empty")
        return value

    def opt_text(self, d: dict[str, Any], key: str, path: str) -> str | None:
        """Optional text: missing or null is None; blank text is a problem."""
        if d.get(key) is None:
            return None
        return self.text(d, key, path, "", blank_ok=False) or None

    def choice(self, d: dict[str, Any], key: str, path: str, default: Any,
               options: Sequence[str], *, nullable: bool = False) -> Any:
        """One of ``options`` (case and surrounding spaces are ignored)."""
        value = d.get(key, default)
        if nullable and value is None:
            return None
        if isinstance(value, str) and value.strip().casefold() in options:
            return value.strip().casefold()
        hint = suggest(value.strip(), options) if isinstance(value, str) else None
        listed = (" or ".join if len(options) == 2 else ", ".join)(repr(o) for o in options)
        self.add(join(path, key), f"must be {'' if len(options) == 2 else 'one of '}{listed}, "
                 f"not {describe_value(value)}" + (f" (did you mean {hint!r}?)" if hint else ""))
        return default

    def texts(self, d: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        """Text or a list of texts; numbers become text (``10234.0`` → ``"10234"``)."""
        path = join(path, key)
        value = d[key]
        single = not isinstance(value, list)
        out = []
        for i, item in enumerate([value] if single else value):
            p = path if single else f"{path}[{i}]"
            if isinstance(item, float) and math.isfinite(item):
                item = fmt(item)
            elif isinstance(item, int) and not isinstance(item, bool) and abs(item) < 10**30:
                item = str(item)
            if not isinstance(item, str):
                self.add(p, f"must be text or a list of texts, not {describe_value(item)}")
            elif not item.strip():
                self.add(p, "must not be empty")
            else:
                out.append(item)
        if not single and not value:
            self.add(path, "must list at least one value (leave the key out to match any)")
        return tuple(out)

    def month(self, d: dict[str, Any], key: str, path: str, *, nullable: bool) -> int | None:
        """A ``"YYYY-MM"`` month; missing (or null when ``nullable``) is None."""
        value = d.get(key)
        if value is None and (nullable or key not in d):
            return None
        path = join(path, key)
        if not isinstance(value, str):
            self.add(path, f"must be a month written as text \"YYYY-MM\" (for example "
                           f"\"2027-04\"), not {describe_value(value)}")
            return None
        try:
            number = parse_month(value)
        except ValueError as exc:
            self.add(path, str(exc))
            return None
        if not 2000 <= number // 12 <= 2100:
            self.add(path, f"{value!r} is not a year between 2000 and 2100")
            return None
        return number

    def when(self, d: dict[str, Any], key: str, path: str, *,
             nullable: bool = False) -> int | None:
        """A month that must lie inside the horizon."""
        number = self.month(d, key, path, nullable=nullable)
        if number is not None and self.horizon and number not in self.horizon:
            self.add(join(path, key), f"{format_month(number)!r} is outside the horizon "
                                      f"{self.horizon_text()}")
        return number


def json_keys(cls: type) -> tuple[str, ...]:
    """The JSON keys of a scenario dataclass: its field names (``kind`` becomes ``type``)."""
    names = tuple(f.name for f in fields(cls) if f.name != "kind")
    return ("type", *names) if "kind" in {f.name for f in fields(cls)} else names


def _required(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls)
                 if f.default is MISSING and f.default_factory is MISSING)


def scenario_from_dict(data: Any, *, source: str | None = None,
                       today: dt.date | None = None) -> Scenario:
    """Validate a decoded scenario document and build the :class:`Scenario`.

    Args:
        data: The decoded JSON (normally a dict).
        source: File name used in the error message (``"Scenario file 'cut.json': …"``).
        today: Date used for the default horizon start (the next April); today if None.

    Raises:
        ScenarioError: listing every problem found, each with its JSON path.
    """
    from planner import scenario_capacity_schema as cap  # it builds on this module

    r = Reader()
    if not isinstance(data, dict):
        raise ScenarioError(
            [("", f"the scenario must be a JSON object {{…}}, not {describe_value(data)}")],
            source=source)
    broken = _surrogate_problems(data)
    if broken:
        raise ScenarioError(broken, source=source)
    version = data.get("schema_version", ABSENT)
    if (isinstance(version, int) and not isinstance(version, bool)
            and version > SCHEMA_VERSION):
        raise ScenarioError([("schema_version", (
            f"the file was written by a newer FTE Planner (schema version {fmt(version)}); this "
            f"version reads schema version {SCHEMA_VERSION}, so update FTE Planner to open it"))],
            source=source)
    d = r.obj(data, "", TOP_KEYS, required=("schema_version", "name"))
    assert d is not None
    if version is not ABSENT:
        got = r.whole(version, "schema_version")
        if got is not None and got not in READ_VERSIONS:
            r.add("schema_version", f"must be {' or '.join(map(str, READ_VERSIONS))}, "
                                    f"not {fmt(got)}")
    name = r.text(d, "name", "", "", blank_ok=False)
    description = r.text(d, "description", "", "")
    horizon = _horizon(r, d.get("horizon", ABSENT), today)
    r.horizon = horizon
    scenario = Scenario(
        name=name,
        horizon=horizon or Horizon(next_april(today), 60),
        description=description,
        assumptions=_assumptions(r, d.get("assumptions", ABSENT), "assumptions"),
        natural_wastage=_wastage(r, d.get("natural_wastage", ABSENT), "natural_wastage"),
        redeployment=_redeployment(r, d.get("redeployment", ABSENT), "redeployment"),
        actions=_actions(r, d.get("actions", ABSENT), "actions"),
        demand=cap.read_demand(r, d.get("demand", ABSENT), "demand"),
        changes=cap.read_changes(r, d.get("changes", ABSENT), "changes"),
        pools=cap.read_pools(r, d.get("pools", ABSENT), "pools"),
        targets=_targets(r, d.get("targets", ABSENT), "targets"),
    )
    if r.problems:
        raise ScenarioError(r.problems, source=source)
    return scenario


def _horizon(r: Reader, value: Any, today: dt.date | None) -> Horizon | None:
    """The horizon, or None when it has a problem (months are then not range-checked)."""
    if value is ABSENT:
        return Horizon(next_april(today), 60)
    before = len(r.problems)
    d = r.obj(value, "horizon", ("start", "months"))
    if d is None:
        return None
    start = r.month(d, "start", "horizon", nullable=False)
    months = r.whole_key(d, "months", "horizon", 60, lo=12, hi=120, unit=" months")
    if len(r.problems) > before:
        return None
    return Horizon(next_april(today) if start is None else start, months)


def _by_fy(r: Reader, d: dict[str, Any], key: str, path: str, *, lo: float,
           hi: float | None) -> tuple[tuple[int, float], ...]:
    """An object keyed by financial year ("2027/28") of numbers, sorted by year."""
    path = join(path, key)
    obj = r.obj(d.get(key, {}), path, None)
    out: dict[int, float] = {}
    for text, value in (obj or {}).items():
        p = key_path(path, text)
        try:
            year = parse_fy(text)
        except ValueError as exc:
            r.add(p, str(exc))
            continue
        if year in out:
            r.add(p, f"financial year {fy_text(year)} is given more than once")
        number = r.number(value, p, lo=lo, hi=hi)
        if number is not None:
            out[year] = number
    return tuple(sorted(out.items()))


def _assumptions(r: Reader, value: Any, path: str) -> Assumptions:
    a = Assumptions()
    d = r.obj(value, path, json_keys(Assumptions)) if value is not ABSENT else None
    if d is None:
        return a
    return Assumptions(
        pay_award_pct=r.num(d, "pay_award_pct", path, a.pay_award_pct, lo=-10, hi=50),
        pay_award_by_fy=_by_fy(r, d, "pay_award_by_fy", path, lo=-10, hi=50),
        employer_ni=_employer_ni(r, d.get("employer_ni", []), join(path, "employer_ni")),
        pension_rate_pct=r.num(d, "pension_rate_pct", path, a.pension_rate_pct, lo=0, hi=100),
        levy_pct=r.num(d, "levy_pct", path, a.levy_pct, lo=0, hi=100),
        levy_allowance=r.num(d, "levy_allowance", path, a.levy_allowance, lo=0),
        productive_hours_per_fte=r.num(d, "productive_hours_per_fte", path,
                                       a.productive_hours_per_fte, lo=1, hi=8784),
        standard_weekly_hours=r.num(d, "standard_weekly_hours", path, a.standard_weekly_hours,
                                    lo=0, lo_open=True, hi=168),
        recruitment_cost_per_hire=r.num(d, "recruitment_cost_per_hire", path,
                                        a.recruitment_cost_per_hire, lo=0),
        agency_cost_per_fte=r.num(d, "agency_cost_per_fte", path, a.agency_cost_per_fte, lo=0),
        redundancy=_redundancy(r, d.get("redundancy", ABSENT), join(path, "redundancy")),
        pension_strain=_strain(r, d.get("pension_strain", ABSENT), join(path, "pension_strain")),
    )


def _employer_ni(r: Reader, value: Any, path: str) -> tuple[EmployerNIBand, ...]:
    bands: list[EmployerNIBand] = []
    for i, item in enumerate(r.items(value, path)):
        p = f"{path}[{i}]"
        d = r.obj(item, p, NI_KEYS, required=NI_KEYS)
        if d is None:
            continue
        start = r.month(d, "from", p, nullable=False)
        band = EmployerNIBand(from_month=start if start is not None else 0,
                              rate_pct=r.num(d, "rate_pct", p, 0.0, lo=0, hi=100),
                              threshold=r.num(d, "threshold", p, 0.0, lo=0))
        if start is not None and bands and start <= bands[-1].from_month:
            r.add(join(p, "from"), f"bands must be in date order: {format_month(start)} is not "
                                   f"after {format_month(bands[-1].from_month)}")
        bands.append(band)
    return tuple(bands)


def _redundancy(r: Reader, value: Any, path: str) -> RedundancyTerms:
    t = RedundancyTerms()
    d = r.obj(value, path, json_keys(RedundancyTerms)) if value is not ABSENT else None
    if d is None:
        return t
    return RedundancyTerms(
        multiplier=r.num(d, "multiplier", path, t.multiplier, lo=0, hi=10),
        actual_pay=r.flag(d, "actual_pay", path, t.actual_pay),
        max_weeks=r.num(d, "max_weeks", path, t.max_weeks, lo=0, hi=104),
    )


def _strain(r: Reader, value: Any, path: str) -> PensionStrainTerms:
    t = PensionStrainTerms()
    d = r.obj(value, path, json_keys(PensionStrainTerms)) if value is not ABSENT else None
    if d is None:
        return t
    return PensionStrainTerms(
        method=r.choice(d, "method", path, t.method, ("formula", "salary_pct")),
        min_age=r.whole_key(d, "min_age", path, t.min_age, lo=40, hi=75),
        min_years=r.num(d, "min_years", path, t.min_years, lo=0, hi=60),
        accrual_denominator=r.num(d, "accrual_denominator", path, t.accrual_denominator,
                                  lo=1, hi=200),
        normal_pension_age=r.whole_key(d, "normal_pension_age", path, t.normal_pension_age,
                                       lo=55, hi=75),
        reduction_pct_per_year=r.num(d, "reduction_pct_per_year", path,
                                     t.reduction_pct_per_year, lo=0, hi=100),
        capitalisation_factor=r.num(d, "capitalisation_factor", path, t.capitalisation_factor,
                                    lo=0, hi=100),
        salary_pct=r.num(d, "salary_pct", path, t.salary_pct, lo=0, hi=1000),
    )


def _wastage(r: Reader, value: Any, path: str) -> NaturalWastage:
    w = NaturalWastage()
    d = r.obj(value, path, json_keys(NaturalWastage)) if value is not ABSENT else None
    if d is None:
        return w
    overrides = []
    over_path = join(path, "overrides")
    for i, item in enumerate(r.items(d.get("overrides", []), over_path)):
        p = f"{over_path}[{i}]"
        o = r.obj(item, p, json_keys(TurnoverRate), required=json_keys(TurnoverRate))
        if o is not None:
            overrides.append(TurnoverRate(
                select=selector(r, o.get("select", {}), join(p, "select")),
                annual_pct=r.num(o, "annual_pct", p, 0.0, lo=0, hi=100)))
    return NaturalWastage(
        annual_turnover_pct=r.num(d, "annual_turnover_pct", path, w.annual_turnover_pct,
                                  lo=0, hi=100),
        backfill_lag_months=r.whole_key(d, "backfill_lag_months", path, w.backfill_lag_months,
                                        lo=0, hi=60),
        overrides=tuple(overrides),
        retirement=_retirement(r, d.get("retirement", []), join(path, "retirement")),
    )


def _retirement(r: Reader, value: Any, path: str) -> tuple[RetirementBand, ...]:
    bands: list[tuple[str, RetirementBand]] = []
    for i, item in enumerate(r.items(value, path)):
        p = f"{path}[{i}]"
        d = r.obj(item, p, json_keys(RetirementBand), required=("min_age", "annual_pct"))
        if d is None:
            continue
        before = len(r.problems)
        low = r.num(d, "min_age", p, 0.0, lo=16, hi=100)
        high = r.opt_num(d, "max_age", p, lo=16, hi=100)
        band = RetirementBand(min_age=low, max_age=high,
                              annual_pct=r.num(d, "annual_pct", p, 0.0, lo=0, hi=100))
        if len(r.problems) > before:
            continue
        if high is not None and high < low:
            r.add(join(p, "max_age"), f"must not be below min_age ({_age(low)})")
            continue
        for other_path, other in bands:
            if _overlap(band, other):
                r.add(p, f"ages {_ages(band)} overlap the band at {other_path} ({_ages(other)})")
                break
        bands.append((p, band))
    return tuple(b for _, b in bands)


def _overlap(a: RetirementBand, b: RetirementBand) -> bool:
    inf = float("inf")
    return (a.min_age <= (b.max_age if b.max_age is not None else inf)
            and b.min_age <= (a.max_age if a.max_age is not None else inf))


def _age(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _ages(band: RetirementBand) -> str:
    high = "" if band.max_age is None else _age(band.max_age)
    return f"{_age(band.min_age)}–{high}" if high else f"{_age(band.min_age)} and over"


def _redeployment(r: Reader, value: Any, path: str) -> RedeploymentPolicy:
    p = RedeploymentPolicy()
    d = r.obj(value, path, json_keys(RedeploymentPolicy)) if value is not ABSENT else None
    if d is None:
        return p
    return RedeploymentPolicy(
        enabled=r.flag(d, "enabled", path, p.enabled),
        grades_down=r.whole_key(d, "grades_down", path, p.grades_down, lo=0, hi=20),
        grades_up=r.whole_key(d, "grades_up", path, p.grades_up, lo=0, hi=20),
        skills_overlap_required=r.flag(d, "skills_overlap_required", path,
                                       p.skills_overlap_required),
        ring_fence=r.choice(d, "ring_fence", path, p.ring_fence,
                            ("council", "directorate", "service", "team")),
        use_existing_vacancies=r.flag(d, "use_existing_vacancies", path,
                                      p.use_existing_vacancies),
        trial_weeks=r.whole_key(d, "trial_weeks", path, p.trial_weeks, lo=0, hi=52),
        pay_protection_months=r.whole_key(d, "pay_protection_months", path,
                                          p.pay_protection_months, lo=0, hi=120),
        pay_protection_taper=r.choice(d, "pay_protection_taper", path,
                                      p.pay_protection_taper, ("none", "linear")),
        retraining_months=r.whole_key(d, "retraining_months", path, p.retraining_months,
                                      lo=0, hi=60),
        retraining_productivity_pct=r.num(d, "retraining_productivity_pct", path,
                                          p.retraining_productivity_pct, lo=0, hi=100),
        retraining_cost_per_person=r.num(d, "retraining_cost_per_person", path,
                                         p.retraining_cost_per_person, lo=0),
    )


def selector(r: Reader, value: Any, path: str) -> Selector:
    """Read a ``select`` object into a :class:`Selector`."""
    d = r.obj(value, path, SELECT_KEYS)
    if d is None:
        return Selector()
    post_ids = r.texts(d, "post_ids", path) if "post_ids" in d else ()
    chosen = [(col, r.texts(d, col, path)) for col in SELECTOR_FIELDS if col in d]
    status = r.choice(d, "status", path, None, ("filled", "vacant"), nullable=True)
    return Selector(post_ids=post_ids, fields=tuple(sorted(chosen, key=lambda c: c[0])),
                    status=status)


def _actions(r: Reader, value: Any, path: str) -> tuple[Action, ...]:
    out = []
    for i, item in enumerate(r.items(value if value is not ABSENT else [], path)):
        action = _action(r, item, f"{path}[{i}]")
        if action is not None:
            out.append(action)
    return tuple(out)


def _action(r: Reader, value: Any, path: str) -> Action | None:
    if not isinstance(value, dict):
        r.add(path, f"must be an object {{…}}, not {describe_value(value)}")
        return None
    kind = value.get("type", ABSENT)
    types = ", ".join(ACTION_TYPES)
    if kind is ABSENT:
        r.add(join(path, "type"), f"is required but missing (one of {types})")
        return None
    if not isinstance(kind, str) or kind not in ACTION_TYPES:
        hint = suggest(kind, ACTION_TYPES) if isinstance(kind, str) else None
        shown = repr(kind) if isinstance(kind, str) else describe_value(kind)
        r.add(join(path, "type"), f"unknown action type {shown} "
              + (f"(did you mean {hint!r}?)" if hint else f"(one of {types})"))
        return None
    cls = ACTION_TYPES[kind]
    d = r.obj(value, path, json_keys(cls), required=_required(cls))
    assert d is not None
    month = r.when(d, "month", path) or 0
    label = r.text(d, "label", path, "")
    if cls is CreatePosts:
        return _create_posts(r, d, path, month, label)
    if cls is TemporaryCover:
        fte = r.num(d, "fte", path, 0.0, lo=0, lo_open=True, hi=10_000)
        months = r.whole_key(d, "months", path, 1, lo=1, hi=120)
        if r.horizon and month in r.horizon and month + months > r.horizon.end:
            r.add(join(path, "months"), (
                f"cover from {format_month(month)} for {months} months runs to "
                f"{format_month(month + months - 1)}, past the end of the horizon "
                f"{r.horizon_text()}"))
        cost = r.opt_num(d, "annual_cost_per_fte", path, lo=0)
        return TemporaryCover(month=month, team=r.text(d, "team", path, "", blank_ok=False),
                              fte=fte, months=months, annual_cost_per_fte=cost, label=label)
    before = len(r.problems)
    select = selector(r, d.get("select", {}), join(path, "select"))
    if cls is DeletePosts:
        max_fte = r.opt_num(d, "max_fte", path, lo=0, lo_open=True)
        if (select == Selector() and max_fte is None and "select" in d
                and len(r.problems) == before):
            r.add(join(path, "select"), "is empty, which would delete every post: name post "
                  "ids or a filter such as team, or give max_fte")
        return DeletePosts(month=month, select=select, max_fte=max_fte, label=label)
    if cls is ReduceFTE:
        by_pct = r.opt_num(d, "by_pct", path, lo=0, lo_open=True, hi=100, hi_open=True)
        to_fte = r.opt_num(d, "to_fte", path, lo=0, lo_open=True)
        given = [k for k in ("by_pct", "to_fte") if d.get(k) is not None]
        if len(given) != 1:
            r.add(path, "needs exactly one of by_pct or to_fte" + (
                ", not both" if given else " (neither is given)"))
        return ReduceFTE(month=month, select=select, by_pct=by_pct, to_fte=to_fte, label=label)
    return _vacancy_freeze(r, d, path, month, select, label)


def _create_posts(r: Reader, d: dict[str, Any], path: str, month: int,
                  label: str) -> CreatePosts:
    c = CreatePosts(month=0, team="")
    grade = r.opt_text(d, "grade", path)
    salary = r.opt_num(d, "annual_salary", path, lo=0, lo_open=True)
    if d.get("grade") is None and d.get("annual_salary") is None:
        r.add(path, "needs a grade or an annual_salary to cost the new posts")
    return CreatePosts(
        month=month, team=r.text(d, "team", path, "", blank_ok=False),
        count=r.whole_key(d, "count", path, c.count, lo=1, hi=10_000),
        fte=r.num(d, "fte", path, c.fte, lo=0, lo_open=True, hi=1),
        grade=grade, annual_salary=salary,
        post_title=r.text(d, "post_title", path, c.post_title, blank_ok=False),
        directorate=r.opt_text(d, "directorate", path), service=r.opt_text(d, "service", path),
        skills=r.opt_text(d, "skills", path), label=label)


def _vacancy_freeze(r: Reader, d: dict[str, Any], path: str, month: int, select: Selector,
                    label: str) -> VacancyFreeze:
    until = r.month(d, "until", path, nullable=True)
    if until is not None and month and until <= month:
        r.add(join(path, "until"), f"{format_month(until)!r} must be after month "
                                   f"({format_month(month)}), the first month of the freeze")
    elif until is not None and r.horizon and not r.horizon.start < until <= r.horizon.end:
        r.add(join(path, "until"), (
            f"{format_month(until)!r} is outside the horizon {r.horizon_text()} (until is the "
            "first month after the freeze; leave it out to freeze to the end)"))
    on_vacancy = r.flag(d, "delete_on_vacancy", path, False)
    until_fte = r.opt_num(d, "delete_until_fte", path, lo=0, lo_open=True)
    if until_fte is not None and not on_vacancy:
        r.add(join(path, "delete_until_fte"), "only applies with delete_on_vacancy: true")
    return VacancyFreeze(month=month, select=select, until=until, delete_on_vacancy=on_vacancy,
                         delete_until_fte=until_fte, label=label)


def _targets(r: Reader, value: Any, path: str) -> Targets:
    d = r.obj(value, path, json_keys(Targets)) if value is not ABSENT else None
    if d is None:
        return Targets()
    savings = _by_fy(r, d, "savings_by_fy", path, lo=0, hi=None)
    if r.horizon:
        first, last = fy_start_year(r.horizon.start), fy_start_year(r.horizon.end - 1)
        for year, _ in savings:
            if not first <= year <= last:
                r.add(key_path(join(path, "savings_by_fy"), fy_text(year)),
                      f"financial year {fy_text(year)} is outside the horizon "
                      f"{r.horizon_text()}")
    fte_target = r.opt_num(d, "fte_target", path, lo=0)
    when = r.when(d, "fte_target_month", path, nullable=True)
    if when is not None and fte_target is None and d.get("fte_target") is None:
        r.add(join(path, "fte_target_month"), "only applies with an fte_target")
    from planner.scenario_capacity_schema import read_risk

    return Targets(savings_by_fy=savings, fte_target=fte_target, fte_target_month=when,
                   risk=read_risk(r, d.get("risk", ABSENT), join(path, "risk")))
