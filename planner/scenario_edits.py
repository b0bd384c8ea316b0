"""Small pure functions that return an edited copy of a frozen :class:`Scenario`.

The scenario editor builds each edit with these and wraps the result in a
:class:`~planner.commands.ReplaceScenario`, so every change is undoable.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from planner.scenario import Scenario

#: Scenario fields that hold a tuple of items the editor lists in tables.
ListField = Literal["actions", "changes", "demand", "pools"]


def _items(scenario: Scenario, name: ListField) -> list[Any]:
    return list(getattr(scenario, name))


def insert_item(scenario: Scenario, name: ListField, item: Any, index: int | None = None
                ) -> Scenario:
    """A copy with ``item`` inserted in ``scenario.<name>`` (appended by default)."""
    items = _items(scenario, name)
    items.insert(len(items) if index is None else index, item)
    return _with(scenario, name, tuple(items))


def _with(obj: Any, name: str, value: Any) -> Any:
    changes: dict[str, Any] = {name: value}
    return replace(obj, **changes)


def replace_item(scenario: Scenario, name: ListField, index: int, item: Any) -> Scenario:
    """A copy with item ``index`` of ``scenario.<name>`` replaced by ``item``."""
    items = _items(scenario, name)
    items[index] = item
    return _with(scenario, name, tuple(items))


def remove_items(scenario: Scenario, name: ListField, indices: list[int] | set[int]
                 ) -> Scenario:
    """A copy without the items at ``indices`` of ``scenario.<name>``."""
    drop = set(indices)
    items = [x for i, x in enumerate(_items(scenario, name)) if i not in drop]
    return _with(scenario, name, tuple(items))


def edit_item(scenario: Scenario, name: ListField, index: int, /, **changes: Any) -> Scenario:
    """A copy with fields of item ``index`` changed (``dataclasses.replace`` on the item)."""
    return replace_item(scenario, name, index, replace(_items(scenario, name)[index], **changes))


def edit(scenario: Scenario, path: str, value: Any) -> Scenario:
    """A copy with one nested field set: ``edit(s, "assumptions.pension_rate_pct", 20.0)``."""
    head, _, rest = path.partition(".")
    if not rest:
        return _with(scenario, head, value)
    return _with(scenario, head, _edit_nested(getattr(scenario, head), rest, value))


def _edit_nested(obj: Any, path: str, value: Any) -> Any:
    head, _, rest = path.partition(".")
    if not rest:
        return _with(obj, head, value)
    return _with(obj, head, _edit_nested(getattr(obj, head), rest, value))
