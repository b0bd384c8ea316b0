"""Exceptions that carry a message fit to show a user as it is."""

from __future__ import annotations


class PlannerError(Exception):
    """Base class: ``str(error)`` is one plain sentence for the user."""


class UnusableFileError(PlannerError):
    """The file cannot be used as an establishment at all (exit code 2)."""


class MappingError(PlannerError):
    """A mapping profile is malformed or names a header the file does not have."""


class Cancelled(PlannerError):
    """Long work was cancelled by the user."""

    def __init__(self, message: str = "Cancelled by the user.") -> None:
        super().__init__(message)
