"""Header → canonical column mapping: synonyms, saved mapping profiles, built-in profiles.

A mapping profile is a small JSON document a user can save and reuse::

    {
      "name": "Our HR export",
      "columns": {"post_id": "Position No", "fte": ["FTE", "Post FTE"]},
      "ignore": ["Salary Cost of Reports (£)"],
      "defaults": {"fte": 1.0},
      "options": {"generate_post_id": false, "aggregate_rows": false,
                  "standard_weekly_hours": 37, "team_fallback": ["service", "directorate"]},
      "detect": ["Number of Posts in FTE", "Generic Job Title"]
    }

``columns`` names, for each canonical column, the header (or a list of
alternative headers, first present wins) it comes from; everything not named
is mapped by synonyms. ``detect`` lists headers that identify the file type:
a built-in profile is applied automatically when all of them are present.
"""

from __future__ import annotations

import functools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from planner.bundled import profile_files
from planner.columns import BY_NAME, match_header_ranked, normalise_header
from planner.errors import MappingError

PROFILE_KEYS = {"name", "description", "columns", "ignore", "defaults", "options", "detect",
                "version"}
OPTION_KEYS = {"generate_post_id", "aggregate_rows", "standard_weekly_hours", "team_fallback",
               "vacant_names", "zero_salary_is_missing"}
TEAM_FALLBACKS = frozenset({"service", "directorate", "cost_centre", "location", "post_title"})
DEFAULT_OPTIONS: dict[str, Any] = {
    "generate_post_id": False,
    "aggregate_rows": False,
    "standard_weekly_hours": 37.0,
    "team_fallback": ["service", "directorate"],
    "vacant_names": ["vacant", "vacancy"],
    "zero_salary_is_missing": True,
}


@dataclass
class MappingProfile:
    name: str
    columns: dict[str, list[str]] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    defaults: dict[str, Any] = field(default_factory=dict)
    options: dict[str, Any] = field(default_factory=dict)
    detect: list[str] = field(default_factory=list)
    description: str = ""
    source: str = ""  # file it was loaded from, for messages
    strict: bool = False  # a user's own profile: every header it names must exist

    def option(self, key: str) -> Any:
        return self.options.get(key, DEFAULT_OPTIONS[key])

    def to_json(self) -> dict[str, Any]:
        return {
            "version": 1,
            "name": self.name,
            "description": self.description,
            "columns": {k: (v[0] if len(v) == 1 else v) for k, v in self.columns.items()},
            "ignore": self.ignore,
            "defaults": self.defaults,
            "options": self.options,
            "detect": self.detect,
        }

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n",
                              encoding="utf-8")

    def matches(self, headers: list[str]) -> bool:
        if not self.detect:
            return False
        have = {normalise_header(h) for h in headers}
        return all(normalise_header(d) in have for d in self.detect)


def profile_from_dict(data: object, source: str) -> MappingProfile:
    """Validate a decoded JSON profile; messages name the bad field."""
    if not isinstance(data, dict):
        raise MappingError(f"Mapping profile {source} must be a JSON object.")
    if _holds_surrogate(data):
        raise MappingError(f"Mapping profile {source} holds a \\u escape for half of a "
                           "character pair (such as \\ud800), which no file can store; "
                           "remove it.")
    unknown = sorted(set(data) - PROFILE_KEYS)
    if unknown:
        raise MappingError(f"Mapping profile {source} has an unknown field {_quoted(unknown[0])}.")
    name = data.get("name", Path(source).stem)
    if not isinstance(name, str):
        raise MappingError(f"Mapping profile {source}: 'name' must be text.")
    columns: dict[str, list[str]] = {}
    raw_cols = data.get("columns", {})
    if not isinstance(raw_cols, dict):
        raise MappingError(f"Mapping profile {source}: 'columns' must be an object.")
    for canon, headers in raw_cols.items():
        if canon not in BY_NAME:
            raise MappingError(
                f"Mapping profile {source}: 'columns' names {_quoted(canon)}, which is not a "
                "column FTE Planner knows (for example post_id, team, fte, annual_salary)."
            )
        if isinstance(headers, str):
            headers = [headers]
        if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
            raise MappingError(
                f"Mapping profile {source}: 'columns.{canon}' must be a header or a list of them."
            )
        columns[canon] = headers
    for key in ("ignore", "detect"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(h, str) for h in value):
            raise MappingError(f"Mapping profile {source}: '{key}' must be a list of headers.")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict) or any(k not in BY_NAME for k in defaults):
        raise MappingError(
            f"Mapping profile {source}: 'defaults' must map known column names to values."
        )
    options = data.get("options", {})
    if not isinstance(options, dict):
        raise MappingError(f"Mapping profile {source}: 'options' must be an object.")
    bad = sorted(set(options) - OPTION_KEYS)
    if bad:
        raise MappingError(f"Mapping profile {source} has an unknown option {_quoted(bad[0])}.")
    for key in ("generate_post_id", "aggregate_rows", "zero_salary_is_missing"):
        if key in options and not isinstance(options[key], bool):
            raise MappingError(f"Mapping profile {source}: 'options.{key}' must be true or false.")
    fallback = options.get("team_fallback", [])
    if not isinstance(fallback, list) or any(not isinstance(f, str) or f not in TEAM_FALLBACKS
                                             for f in fallback):
        raise MappingError(f"Mapping profile {source}: 'options.team_fallback' must be a list "
                           f"drawn from {', '.join(sorted(TEAM_FALLBACKS))}.")
    names = options.get("vacant_names", [])
    if not isinstance(names, list) or not all(isinstance(n, str) and n for n in names):
        raise MappingError(f"Mapping profile {source}: 'options.vacant_names' must be a list "
                           "of words.")
    for canon, value in defaults.items():
        if not isinstance(value, str) and not _finite_number(value):
            raise MappingError(f"Mapping profile {source}: 'defaults.{canon}' must be a number "
                               "or text.")
    hours = options.get("standard_weekly_hours", 37.0)
    if not isinstance(hours, (int, float)) or not 1 <= hours <= 60:
        raise MappingError(
            f"Mapping profile {source}: 'options.standard_weekly_hours' must be between 1 and 60."
        )
    return MappingProfile(
        name=name,
        columns=columns,
        ignore=list(data.get("ignore", [])),
        defaults=dict(defaults),
        options=dict(options),
        detect=list(data.get("detect", [])),
        description=str(data.get("description", "")),
        source=source,
    )


def _quoted(text: str) -> str:
    """A key from the file as a message shows it: quoted, escaped (no line breaks), short."""
    return repr(text if len(text) <= 40 else text[:40] + "…")


def _holds_surrogate(data: object) -> bool:
    """Whether any text or key holds an unpaired surrogate (JSON's "\\ud800" reads as one)."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            if any("\ud800" <= ch <= "\udfff" for ch in value):
                return True
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


def _finite_number(value: object) -> bool:
    """A JSON number a float can hold: not NaN or infinity (Python's json reads both), not
    an integer too large for a float, not a boolean."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int beyond the float range
        return False


def load_profile(path: str | Path) -> MappingProfile:
    """Read a user's mapping profile (UTF-8 JSON) and validate it.

    Raises:
        MappingError: the file cannot be read, is not UTF-8 JSON, or is not a valid profile.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise MappingError(f"Mapping profile {path} could not be read: "
                           f"{exc.strerror or exc}.") from exc
    except UnicodeDecodeError:
        raise MappingError(f"Mapping profile {path.name} is not UTF-8 text; save it again as "
                           "UTF-8.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MappingError(
            f"Mapping profile {path.name} is not valid JSON (line {exc.lineno}: {exc.msg})."
        ) from exc
    except (ValueError, RecursionError):  # a number of thousands of digits; deep nesting
        raise MappingError(f"Mapping profile {path.name} is not a usable JSON document (it "
                           "holds a number too long to read or brackets nested too deeply)."
                           ) from None
    profile = profile_from_dict(data, path.name)
    profile.strict = True
    return profile


@functools.cache
def builtin_profiles() -> tuple[MappingProfile, ...]:
    """The profiles shipped in ``resources/profiles`` (read once per process)."""
    out = []
    for f in profile_files():
        out.append(profile_from_dict(json.loads(f.read_text(encoding="utf-8")), f.name))
    return tuple(out)


def detect_profile(headers: list[str]) -> MappingProfile | None:
    """The built-in profile whose ``detect`` headers are all present (most specific first)."""
    found = [p for p in builtin_profiles() if p.matches(headers)]
    found.sort(key=lambda p: len(p.detect), reverse=True)
    return found[0] if found else None


@dataclass
class ColumnMapping:
    """The resolved mapping for one sheet.

    Attributes:
        columns: canonical name → index of the source column.
        headers: the sheet's headers.
        duplicates: (header, canonical, header already used) for headers that also matched.
    """

    columns: dict[str, int]
    headers: list[str]
    duplicates: list[tuple[str, str, str]] = field(default_factory=list)

    def header_of(self, canonical: str) -> str:
        return self.headers[self.columns[canonical]]

    def as_names(self) -> dict[str, str]:
        return {c: self.headers[i] for c, i in self.columns.items()}

    def unmapped(self) -> list[int]:
        used = set(self.columns.values())
        return [i for i in range(len(self.headers)) if i not in used]


def resolve_mapping(
    headers: list[str], profile: MappingProfile | None, lower: list[str] | None = None
) -> ColumnMapping:
    """Map headers to canonical columns: the profile first, then synonyms left to right.

    ``lower`` gives, for joined two-row headers, the lower row's text to fall back on.
    """
    norm = [normalise_header(h) for h in headers]
    columns: dict[str, int] = {}
    ignored: set[int] = set()
    if profile is not None:
        for h in profile.ignore:
            key = normalise_header(h)
            ignored.update(i for i, n in enumerate(norm) if n == key)
        for canon, alternatives in profile.columns.items():
            for alt in alternatives:
                key = normalise_header(alt)
                hits = [i for i, n in enumerate(norm) if n == key and i not in ignored]
                if hits:
                    columns[canon] = hits[0]
                    break
            else:
                if profile.strict:
                    raise MappingError(
                        f"Mapping profile {profile.source} maps {canon} from "
                        f"{' or '.join(repr(a) for a in alternatives)}, but the sheet has no such "
                        f"header (its headers are {', '.join(repr(h) for h in headers[:12])}"
                        f"{', …' if len(headers) > 12 else ''})."
                    )
    used = set(columns.values()) | ignored
    candidates: dict[str, list[tuple[int, int]]] = {}  # canonical -> [(rank, index)]
    for i, header in enumerate(headers):
        if i in used:
            continue
        found = match_header_ranked(header) or (match_header_ranked(lower[i]) if lower else None)
        if found is not None:
            candidates.setdefault(found[0], []).append((found[1], i))
    duplicates: list[tuple[str, str, str]] = []
    for canon, options in candidates.items():
        options.sort()
        if canon not in columns:
            columns[canon] = options[0][1]
        duplicates += [(headers[i], canon, headers[columns[canon]]) for _, i in options
                       if i != columns[canon]]
    duplicates.sort(key=lambda d: headers.index(d[0]))
    return ColumnMapping(columns, list(headers), duplicates)
