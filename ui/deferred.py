"""Redraw only what can be seen: slots of pages hidden behind other tabs wait until shown.

After every edit the project model tells all views; the dashboard, the compare
page and the editors together take far longer to redraw than the recomputation
itself, though only one page is on screen. :func:`when_shown` wraps a view's
slot so that, while the view sits hidden inside a visible window, the call is
remembered (the latest call per slot and arguments) and made when the view is
next shown. A view that is not in a visible window at all (tests that build a
view on its own, a window not yet shown) runs every call at once, as before.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

F = TypeVar("F", bound=Callable[..., Any])
_PENDING = "_when_shown_pending"
_FILTER = "_when_shown_filter"


class _ShowFilter(QObject):
    """Replays a widget's remembered calls when it is shown."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self._widget = widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Show:
            flush(self._widget)
        return False


def flush(widget: QWidget) -> None:
    """Make the calls a hidden widget was waiting to make."""
    pending: dict[tuple[Any, ...], tuple[Callable[..., Any], tuple[Any, ...],
                                         dict[str, Any]]] = getattr(widget, _PENDING, {})
    setattr(widget, _PENDING, {})
    for function, args, kwargs in pending.values():
        function(widget, *args, **kwargs)


def _positional_count(function: Callable[..., Any]) -> int | None:
    """How many signal arguments the slot takes (None: any number)."""
    params = list(inspect.signature(function).parameters.values())[1:]  # without self
    if any(p.kind is inspect.Parameter.VAR_POSITIONAL for p in params):
        return None
    return sum(1 for p in params if p.kind in (inspect.Parameter.POSITIONAL_ONLY,
                                                 inspect.Parameter.POSITIONAL_OR_KEYWORD))


def when_shown(function: F) -> F:
    """Decorate a QWidget method used as a slot: defer it while the widget is hidden."""
    count = _positional_count(function)

    @functools.wraps(function)
    def wrapper(self: QWidget, *args: Any, **kwargs: Any) -> Any:
        args = args if count is None else args[:count]
        window = self.window()
        if window is self or not window.isVisible() or self.isVisible():
            return function(self, *args, **kwargs)
        if getattr(self, _FILTER, None) is None:
            setattr(self, _FILTER, _ShowFilter(self))
            self.installEventFilter(getattr(self, _FILTER))
        pending = getattr(self, _PENDING, None)
        if pending is None:
            pending = {}
            setattr(self, _PENDING, pending)
        key = (function.__name__, *(a if isinstance(a, (int, str, type(None))) else id(a)
                                    for a in args), *sorted(kwargs.items()))
        pending.pop(key, None)
        pending[key] = (function, args, kwargs)
        return None

    wrapper.__signature__ = inspect.signature(function)  # type: ignore[attr-defined]
    return wrapper  # type: ignore[return-value]
