"""A project: one establishment snapshot, its scenarios and an audit log (DESIGN §6).

This is what a ``.fteplan`` file holds (see :mod:`planner.project_file`) and what
the app edits through the commands of :mod:`planner.commands`. Plain data, no Qt.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass, field

from planner.establishment import Establishment
from planner.scenario import Scenario


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log: when, who (the operating-system user) and what changed."""

    time: str  # ISO 8601 local time with its UTC offset, to the second
    user: str
    action: str

    @classmethod
    def now(cls, action: str, user: str | None = None) -> AuditEntry:
        stamp = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
        return cls(stamp, user if user is not None else os_user_name(), action)


def os_user_name() -> str:
    """The signed-in user's name (``DOMAIN\\user`` is not needed: the login name is)."""
    try:
        return getpass.getuser()
    except Exception:  # getuser raises OSError (or KeyError) when nothing names the user
        return os.environ.get("USERNAME") or os.environ.get("USER") or "unknown"


@dataclass
class Project:
    """Everything the user works on in one file.

    ``current`` is the index of the scenario on screen (kept so a reopened
    project shows what was last looked at).
    """

    establishment: Establishment | None = None
    scenarios: list[Scenario] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    current: int = 0

    def log(self, action: str, user: str | None = None) -> AuditEntry:
        entry = AuditEntry.now(action, user)
        self.audit.append(entry)
        return entry

    def scenario_names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    def unique_name(self, wanted: str) -> str:
        """``wanted``, or ``wanted (2)``, ``(3)``… if a scenario already has that name."""
        names = {n.casefold() for n in self.scenario_names()}
        if wanted.casefold() not in names:
            return wanted
        n = 2
        while f"{wanted} ({n})".casefold() in names:
            n += 1
        return f"{wanted} ({n})"
