"""Table models over pandas frames, fast enough for 200,000 posts.

Display strings and sort keys are computed once per column when a frame is set
(see :mod:`ui.formatting`), so ``data()`` is two list look-ups. Sorting is a
vectorised pandas sort of the precomputed keys; filtering computes one boolean
mask with numpy, and the model itself shows only the rows it lets through: Qt's
filter proxy asked Python about each of 200,000 rows (0.2 s) at every reset and
filter change. The computing can be
done off the GUI thread (:func:`prepare_frame`, :func:`prepare_posts`): the loader
prepares the posts table of a file it opens, so a big establishment never
formats its cells on the GUI thread.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from planner.columns import BY_NAME
from planner.establishment import POST_COLUMNS, Establishment
from planner.tasks import TaskState, checkpoint
from ui import formatting

#: Role returning the raw value (float for numbers, text otherwise) for sorting.
SORT_ROLE = int(Qt.ItemDataRole.UserRole)
#: Longest display strings measured to fit a column's width (not every cell).
WIDTH_SAMPLE = 200


def column_header(headers: Sequence[str], tips: Sequence[str], section: int,
                  orientation: Qt.Orientation, role: int) -> str | None:
    """``headerData`` for a model with fixed column titles and tooltips (None otherwise)."""
    if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(headers):
        return None
    if role == Qt.ItemDataRole.DisplayRole:
        return headers[section]
    if role == Qt.ItemDataRole.ToolTipRole:
        return tips[section]
    return None

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_NO_FLAGS = Qt.ItemFlag.NoItemFlags

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ColumnSpec:
    """How one frame column is shown: its header, format kind and header tooltip."""

    name: str
    header: str
    kind: str = "text"  # a key of ui.formatting.FORMATTERS
    tooltip: str = ""
    personal: bool = False


class FrameTableModel(QAbstractTableModel):
    """A read-only table over a DataFrame whose columns are described by ``specs``."""

    def __init__(self, specs: Sequence[ColumnSpec], parent=None) -> None:
        super().__init__(parent)
        self._specs = tuple(specs)
        self._frame = pd.DataFrame({s.name: pd.Series(dtype=object) for s in self._specs})
        self._display: list[list[str]] = [[] for _ in self._specs]
        self._raw: list[object] = [None for _ in self._specs]
        self._keys: list[pd.Series | None] = [None for _ in self._specs]
        self._order: list[int] = []  # frame positions of the rows shown, in display order
        self._order_array = np.zeros(0, dtype=np.int64)
        self._sorted = np.zeros(0, dtype=np.int64)  # every frame position, in sort order
        self._row_mask: np.ndarray | None = None  # rows shown, in frame order (None: all)
        self._haystack: list[str] | None = None
        self._longest: dict[int, list[str]] = {}  # column → its longest display strings
        self._sort_state: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)
        self.version = 0  # increases whenever the frame is replaced or re-sorted
        self.frame_version = 0  # increases whenever the frame is replaced

    # -- replacing the data -------------------------------------------------------------

    def set_frame(self, frame: pd.DataFrame) -> None:
        """Show ``frame`` (missing columns are shown empty). Resets any sort."""
        self.set_prepared(prepare_frame(frame, self._specs, search=False))

    def set_prepared(self, prepared: PreparedFrame) -> None:
        """Show a frame prepared by :func:`prepare_frame` (for these specs). Resets any sort."""
        if prepared.specs != self._specs:
            raise ValueError("the frame was prepared for other columns")
        n = len(prepared.frame)
        self.beginResetModel()
        self._frame = prepared.frame
        self._display, self._raw, self._keys = prepared.display, prepared.raw, prepared.keys
        self._sorted = self._order_array = np.arange(n, dtype=np.int64)
        self._order = self._order_array.tolist()
        self._row_mask = None
        self._sort_state = (-1, Qt.SortOrder.AscendingOrder)
        self._haystack = prepared.haystack
        self._longest = {i: v for i, v in enumerate(prepared.longest or ())}
        self.version += 1
        self.frame_version += 1
        self.endResetModel()

    # -- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._order)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._specs)

    def data(self, index: Index, role: int = _DISPLAY) -> object:
        if not index.isValid():
            return None
        if role == _DISPLAY:
            return self._display[index.column()][self._order[index.row()]]
        if role == SORT_ROLE:
            column, position = index.column(), self._order[index.row()]
            values = self._raw[column]
            if values is None:
                return self._display[column][position]
            return _raw_value(values, position)
        if role == _ALIGN:
            return _RIGHT if self._specs[index.column()].kind in formatting.NUMERIC_KINDS else _LEFT
        if role == _TOOLTIP:
            text = self._display[index.column()][self._order[index.row()]]
            return text if len(text) > 40 else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self._specs):
            return None
        spec = self._specs[section]
        if role == _DISPLAY:
            return spec.header
        if role == _TOOLTIP:
            return spec.tooltip or spec.header
        if role == _ALIGN:
            return _RIGHT if spec.kind in formatting.NUMERIC_KINDS else _LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        # Qt asks for every cell of a selection, so this is kept to a constant look-up.
        return _CELL_FLAGS if index.isValid() else _NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Vectorised stable sort on the precomputed key; missing values always last.

        ``column == -1`` restores the order of the file.
        """
        if column >= len(self._specs) or not len(self._sorted):
            return
        column = max(column, -1)
        if (column, order) == self._sort_state or (column < 0 and self._sort_state[0] < 0):
            return  # QTableView.sortByColumn asks twice (header indicator, then the view)
        self._sort_state = (column, order)
        if column < 0:
            new_sorted = np.arange(len(self._sorted), dtype=np.int64)
        else:
            ascending = order == Qt.SortOrder.AscendingOrder
            ordered = self._sort_key(column).sort_values(
                ascending=ascending, na_position="last", kind="stable"
            )
            new_sorted = ordered.index.to_numpy(dtype=np.int64)
        self._show(new_sorted, self._row_mask)

    def set_row_mask(self, mask: np.ndarray | None) -> None:
        """Show only the rows where ``mask`` (in frame order) is true; None shows every row.

        One layout change, as Qt's own filter proxy makes on ``invalidate()``: rows still
        shown keep their selection, rows hidden lose it.
        """
        if mask is not None:
            mask = np.asarray(mask, dtype=bool)
            if len(mask) != len(self._sorted):
                raise ValueError(f"a mask of {len(mask)} rows for a table of {len(self._sorted)}")
            if mask.all():
                mask = None
        if mask is None and self._row_mask is None:
            return
        self._show(self._sorted, mask)

    def _show(self, new_sorted: np.ndarray, mask: np.ndarray | None) -> None:
        """Show the rows of ``mask`` in the order ``new_sorted``, keeping persistent indexes
        (selection, current cell) on the same posts."""
        new_order = new_sorted if mask is None else new_sorted[mask[new_sorted]]
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        if persistent:
            row_of = np.full(len(new_sorted), -1, dtype=np.int64)  # frame position → new row
            row_of[new_order] = np.arange(len(new_order))
            old_order = self._order_array
            moved = []  # createIndex: index() would check the rows against the old count
            for i in persistent:
                row = int(row_of[old_order[i.row()]]) if 0 <= i.row() < len(old_order) else -1
                moved.append(self.createIndex(row, i.column()) if row >= 0 else QModelIndex())
            self.changePersistentIndexList(persistent, moved)
        self._sorted = new_sorted
        self._row_mask = mask
        self._order_array = new_order
        self._order = new_order.tolist()
        self.version += 1
        self.layoutChanged.emit()

    def _sort_key(self, column: int) -> pd.Series:
        key = self._keys[column]
        if key is None:
            # Natural keys of the distinct values only: titles, teams and grades repeat.
            codes, uniques = pd.factorize(pd.Series(self._display[column], dtype=object))
            unique_keys = formatting.natural_keys(list(uniques)).to_numpy(dtype=object)
            key = self._keys[column] = pd.Series(unique_keys[codes], dtype=object)
        return key

    # -- helpers for views and the filter proxy -----------------------------------------

    @property
    def frame(self) -> pd.DataFrame:
        return self._frame

    @property
    def specs(self) -> tuple[ColumnSpec, ...]:
        return self._specs

    def column_of(self, name: str) -> int:
        for i, spec in enumerate(self._specs):
            if spec.name == name:
                return i
        raise KeyError(name)

    def position(self, row: int) -> int:
        """Position in the frame of the row currently shown at ``row``."""
        return self._order[row]

    def order(self) -> np.ndarray:
        """Frame positions of the rows shown, in display order."""
        return self._order_array

    def total_rows(self) -> int:
        """Rows in the frame, shown or not."""
        return len(self._sorted)

    def display_array(self, column: int) -> np.ndarray:
        """Display strings of a column in frame order (not display order)."""
        return np.asarray(self._display[column], dtype=object)

    def longest_values(self, column: int, sample: int = WIDTH_SAMPLE) -> list[str]:
        """The ``sample`` longest display strings of a column (to fit its width)."""
        if sample != WIDTH_SAMPLE:
            return longest_strings(self._display[column], sample)
        if column not in self._longest:
            self._longest[column] = longest_strings(self._display[column])
        return self._longest[column]

    def column_data(self, column: int) -> tuple[list[str], object]:
        """The display list and raw values of ``column`` themselves, not copies: a new frame
        replaces them and never changes them, so a worker thread may keep them."""
        return self._display[column], self._raw[column]

    def copy_cells(self, column: int, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Display texts and "holds a number" flags of the posts at frame ``positions``, for
        copying: read from the prepared column at once, not cell by cell through Qt."""
        positions = np.asarray(positions, dtype=np.int64)
        texts = np.asarray(self._display[column], dtype=object)[positions]
        values = self._raw[column]
        if isinstance(values, np.ndarray):  # a numeric column: NaN is no number
            return texts, ~np.isnan(values[positions])
        return texts, np.zeros(len(positions), dtype=bool)

    def column_is_empty(self, column: int) -> bool:
        return not any(self._display[column])

    def unique_values(self, name: str) -> list[str]:
        """Distinct non-empty display strings of a column, in natural order."""
        values = set(self._display[self.column_of(name)])
        values.discard("")
        return sorted(values, key=formatting.natural_key)

    def search_mask(self, text: str) -> np.ndarray:
        """Rows (frame order) containing every word of ``text`` in any column."""
        words = text.casefold().split()
        n = len(self._sorted)
        if not words:
            return np.ones(n, dtype=bool)
        if self._haystack is None:
            self._haystack = self._build_haystack()
        mask = np.ones(n, dtype=bool)
        for word in words:
            mask &= np.fromiter((word in h for h in self._haystack), dtype=bool, count=n)
        return mask

    def _build_haystack(self) -> list[str]:
        return _haystack(self._display, len(self._sorted))


def _haystack(display: list[list[str]], n: int) -> list[str]:
    """Each row's display strings in one lower-case string, for the free-text search."""
    columns = [d for d in display if any(d)]
    if not columns:
        return [""] * n
    return ["\x1f".join(cells).casefold() for cells in zip(*columns, strict=True)]


@dataclass(frozen=True, eq=False)
class PreparedFrame:
    """A frame as a table model shows it: display strings, raw values, sort keys and
    (optionally) the search text of every row, worked out once.

    :func:`prepare_frame` is plain pandas, no Qt, so a worker thread can do it: with
    200,000 posts it takes seconds that would otherwise freeze the window (the loader
    prepares the posts table that way, see :func:`prepare_posts`), and
    :meth:`FrameTableModel.set_prepared` then only swaps it in.
    """

    frame: pd.DataFrame
    specs: tuple[ColumnSpec, ...]
    display: list[list[str]]
    raw: list[object]
    keys: list[pd.Series | None]
    haystack: list[str] | None
    longest: list[list[str]] | None = None  # per column, for fitting its width


def longest_strings(values: Sequence[str], sample: int = WIDTH_SAMPLE) -> list[str]:
    """The ``sample`` longest of ``values`` (all of them when there are fewer)."""
    if len(values) <= sample:
        return list(values)
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return [values[i] for i in np.argpartition(lengths, -sample)[-sample:]]


def _share_repeats(strings: list[str]) -> list[str]:
    """The same strings, equal ones as one object when most repeat (FTE, salaries, status):
    some 90 MB less for 200,000 posts, for about half a second's work."""
    if len(strings) < 1000:
        return strings
    codes, uniques = pd.factorize(pd.Series(strings, dtype=object), use_na_sentinel=False)
    if len(uniques) * 2 > len(strings):
        return strings
    return np.asarray(uniques, dtype=object)[codes].tolist()


def prepare_frame(frame: pd.DataFrame, specs: Sequence[ColumnSpec],
                  state: TaskState | None = None, *, search: bool = True) -> PreparedFrame:
    """Everything a :class:`FrameTableModel` with ``specs`` needs to show ``frame``.

    ``search`` (for a worker thread: more work now, less later) also builds the
    free-text search's text and each column's longest strings (else made when first
    needed) and stores repeated display strings once. Reports progress and honours
    cancel through ``state`` (see :mod:`planner.tasks`); safe to call off the GUI thread.
    """
    frame = frame.reset_index(drop=True)
    n = len(frame)
    display: list[list[str]] = []
    raw: list[object] = []
    keys: list[pd.Series | None] = []
    for i, spec in enumerate(specs):
        checkpoint(state, i / (len(specs) + search), "Preparing the posts table…")
        column = frame[spec.name] if spec.name in frame else pd.Series([None] * n, dtype=object)
        shown, values, key = _prepare(column, spec.kind)
        display.append(_share_repeats(shown) if search else shown)
        raw.append(values)
        keys.append(key)
    haystack, longest = None, None
    if search:
        checkpoint(state, len(specs) / (len(specs) + 1), "Preparing the search…")
        haystack = _haystack(display, n)
        longest = [longest_strings(d) for d in display]
    return PreparedFrame(frame, tuple(specs), display, raw, keys, haystack, longest)


def _prepare(column: pd.Series, kind: str) -> tuple[list[str], object, pd.Series | None]:
    """Display strings, raw values for SORT_ROLE (None: the display string) and a sort key.

    The sort key has NaN/NaT/None for missing values so that they sort last.
    """
    display = formatting.FORMATTERS[kind](column)
    if kind in formatting.NUMERIC_KINDS:
        values = formatting.numeric(column)
        return display, values, pd.Series(values)
    if kind == "date":
        parsed = formatting.to_datetimes(column).reset_index(drop=True)
        return display, parsed, parsed
    return display, None, None  # text keys are made on first sort (see _sort_key)


def _raw_value(values: object, position: int) -> object:
    if isinstance(values, np.ndarray):
        number = float(values[position])
        return None if np.isnan(number) else number
    if isinstance(values, pd.Series):
        stamp = values.iat[position]
        return None if pd.isna(stamp) else stamp.to_pydatetime()
    return None


# -- the establishment table ---------------------------------------------------------------

#: Display order of the posts table; any other POST_COLUMNS follow in their own order.
_POSTS_ORDER = (
    "post_id", "post_title", "directorate", "service", "team", "grade", "scp", "fte",
    "annual_salary", "status", "employee_name", "employee_id", "weekly_hours", "salary_min",
    "salary_max", "contract", "location", "cost_centre", "reports_to", "date_of_birth",
    "age", "service_start_date", "years_service", "funding", "external_funding",
    "pension_member", "skills", "source_row",
)
PERSONAL_COLUMNS = frozenset({"employee_id", "employee_name", "date_of_birth"})

_KINDS = {"money": "money", "date": "date", "status": "choice", "contract": "choice",
          "funding": "choice", "flag": "flag", "id": "id", "text": "text"}


def _post_spec(name: str) -> ColumnSpec:
    if name == "source_row":
        return ColumnSpec(name, "Row", "integer", "Row number of the post in your spreadsheet")
    column = BY_NAME.get(name)
    header = column.label if column else name.replace("_", " ").capitalize()
    tooltip = column.description if column else ""
    if name == "fte":
        kind = "fte"
    elif column is None:
        kind = "text"
    elif column.kind.value == "number":
        kind = "number"
    else:
        kind = _KINDS.get(column.kind.value, "text")
    personal = name in PERSONAL_COLUMNS
    if personal:
        tooltip = (
            f"{header}: personal data. It stays on this computer and is never exported "
            "unless you ask."
        )
    return ColumnSpec(name, header, kind, tooltip, personal)


POSTS_COLUMNS: tuple[str, ...] = tuple(c for c in _POSTS_ORDER if c in POST_COLUMNS) + tuple(
    c for c in POST_COLUMNS if c not in _POSTS_ORDER
)


POSTS_SPECS: tuple[ColumnSpec, ...] = tuple(_post_spec(c) for c in POSTS_COLUMNS)

#: The posts table prepared by a worker thread for one posts frame (held weakly), waiting
#: for :meth:`PostsTableModel.set_establishment` to take it: one at a time, taken once.
_ready: tuple[weakref.ref[pd.DataFrame], PreparedFrame] | None = None
_ready_lock = threading.RLock()


def prepare_posts(posts: pd.DataFrame, state: TaskState | None = None) -> None:
    """Prepare the posts table of ``posts`` now, off the GUI thread (the loader does).

    The next :meth:`PostsTableModel.set_establishment` of an establishment holding this
    very frame shows it without formatting anything (200,000 posts: seconds saved on the
    GUI thread). Kept until taken, replaced by the next one, or dropped with the frame.
    """
    global _ready
    prepared = prepare_frame(posts, POSTS_SPECS, state)
    with _ready_lock:
        _ready = (weakref.ref(posts, _forget_prepared), prepared)


def _forget_prepared(ref: weakref.ref[pd.DataFrame]) -> None:
    global _ready
    with _ready_lock:
        if _ready is not None and _ready[0] is ref:
            _ready = None


def take_prepared_posts(posts: pd.DataFrame) -> PreparedFrame | None:
    """The posts table :func:`prepare_posts` made for this very frame (None if none)."""
    global _ready
    with _ready_lock:
        if _ready is None or _ready[0]() is not posts:
            return None
        prepared, _ready = _ready[1], None
    return prepared


class PostsTableModel(FrameTableModel):
    """The establishment's posts, one row per post."""

    COL_POST_ID = POSTS_COLUMNS.index("post_id")
    COL_POST_TITLE = POSTS_COLUMNS.index("post_title")
    COL_DIRECTORATE = POSTS_COLUMNS.index("directorate")
    COL_SERVICE = POSTS_COLUMNS.index("service")
    COL_TEAM = POSTS_COLUMNS.index("team")
    COL_GRADE = POSTS_COLUMNS.index("grade")
    COL_FTE = POSTS_COLUMNS.index("fte")
    COL_SALARY = POSTS_COLUMNS.index("annual_salary")
    COL_STATUS = POSTS_COLUMNS.index("status")
    COL_EMPLOYEE_NAME = POSTS_COLUMNS.index("employee_name")
    COL_DATE_OF_BIRTH = POSTS_COLUMNS.index("date_of_birth")
    COL_SOURCE_ROW = POSTS_COLUMNS.index("source_row")

    def __init__(self, parent=None) -> None:
        super().__init__(POSTS_SPECS, parent)

    def set_establishment(self, establishment: Establishment | None) -> None:
        if establishment is None:
            self.set_frame(pd.DataFrame({c: pd.Series(dtype=object) for c in POSTS_COLUMNS}))
            return
        prepared = take_prepared_posts(establishment.posts)
        if prepared is not None:
            self.set_prepared(prepared)
        else:
            self.set_frame(establishment.posts)


# -- filtering ------------------------------------------------------------------------------


class FrameFilterProxyModel(QIdentityProxyModel):
    """Free-text search across all columns plus exact-match filters on named columns.

    The source model sorts (vectorised) and hides the rows the filters reject
    (:meth:`FrameTableModel.set_row_mask`); this proxy holds the criteria and maps one
    to one, in C++: Qt's filter proxy called back into Python for every row.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._search = ""
        self._filters: dict[str, str] = {}
        self._source = FrameTableModel(())
        self._has_source = False
        self._frame_mask: np.ndarray | None = None  # in frame order
        self._frame_mask_version = -1  # the source's frame_version when _frame_mask was made

    def setSourceModel(self, model: QAbstractItemModel) -> None:
        if not isinstance(model, FrameTableModel):
            raise TypeError("FrameFilterProxyModel needs a FrameTableModel")
        if self._has_source:
            self._source.modelReset.disconnect(self._on_source_reset)
        super().setSourceModel(model)
        self._source, self._has_source = model, True
        self._frame_mask = None
        model.modelReset.connect(self._on_source_reset)
        self._apply()

    def frame_model(self) -> FrameTableModel:
        return self._source

    def search_text(self) -> str:
        return self._search

    def set_search_text(self, text: str) -> None:
        if text != self._search:
            self._search = text
            self._apply()

    def set_filter(self, name: str, value: str | None) -> None:
        """Show only rows whose ``name`` column displays exactly ``value`` (None: no filter)."""
        self.frame_model().column_of(name)  # KeyError for an unknown column
        value = value or None
        if self._filters.get(name) == value:
            return
        if value is None:
            del self._filters[name]
        else:
            self._filters[name] = value
        self._apply()

    def set_criteria(self, search: str, filters: Mapping[str, str | None]) -> None:
        """Set the search text and every named filter at once: one refilter, not several."""
        for name in filters:
            self.frame_model().column_of(name)  # KeyError for an unknown column
        wanted = {name: value for name, value in filters.items() if value}
        if search == self._search and wanted == self._filters:
            return
        self._search = search
        self._filters = wanted
        self._apply()

    def filters(self) -> dict[str, str]:
        return dict(self._filters)

    def clear_filters(self) -> None:
        if self._search or self._filters:
            self._search = ""
            self._filters.clear()
            self._apply()

    def is_filtered(self) -> bool:
        return bool(self._search.strip() or self._filters)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.frame_model().sort(column, order)

    def frame_mask(self) -> np.ndarray:
        """Which posts pass the search and filters, in frame order (not display order)."""
        model = self._source
        if self._frame_mask is None or self._frame_mask_version != model.frame_version:
            self._frame_mask = self._compute_frame_mask()
            self._frame_mask_version = model.frame_version
        return self._frame_mask

    def shown_positions(self) -> np.ndarray:
        """Frame positions of the rows shown, in the order shown: proxy row ``r`` shows
        the post at ``shown_positions()[r]``."""
        return self._source.order()

    def _compute_frame_mask(self) -> np.ndarray:
        model = self._source
        mask = model.search_mask(self._search)
        for name, value in self._filters.items():
            mask &= model.display_array(model.column_of(name)) == value
        return mask

    def _apply(self) -> None:
        """Hand the rows passing the criteria to the source (one layout change)."""
        self._frame_mask = None
        self._source.set_row_mask(self.frame_mask() if self.is_filtered() else None)

    def _on_source_reset(self) -> None:
        """A new frame shows every row: filter it again if criteria are set."""
        if self.is_filtered():
            self._apply()
