"""DataFrames as plain bytes and JSON, for project files: exact round trips, no pickle.

A frame becomes a JSON *spec* (row count, index, column labels) and a list of
encoded arrays, each itself a JSON spec plus one blob of bytes. Reading never
runs code from the file: numbers and dates are raw little-endian machine values
(``numpy.frombuffer``), text and mixed ``object`` columns are JSON in which the
values JSON cannot hold (``NaN`` aside) are small tagged objects. Kept exactly:
dtypes (numpy, pandas ``str``, nullable ``Int64``/``Float64``/``boolean``,
time-zone aware dates, categoricals), the index (``RangeIndex``, any ``Index``,
``MultiIndex``, names), the column labels and their dtype, and in ``object``
columns the difference between ``None``, ``NaN``, ``NaT`` and ``pd.NA``. A cell
of a type not listed in :func:`_tag` is stored as its ``str()``.

Decoding raises ``ValueError`` (or ``KeyError``/``TypeError``) on anything
malformed; :mod:`planner.project_file` reports that as a damaged file.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd

Spec = dict[str, Any]
Encoded = tuple[Spec, bytes]

_TAG = "__fteplan__"  # key of a tagged value in an object column's JSON
_NUMPY_KINDS = frozenset("biufcmM")
_MASKED = frozenset({"Int8", "Int16", "Int32", "Int64", "UInt8", "UInt16", "UInt32", "UInt64",
                     "Float32", "Float64", "boolean"})


# ---------------------------------------------------------------- single values (object cells)

def _tag(value: Any) -> Any:
    """``json.dumps`` hook: a JSON stand-in for a value JSON has no type for."""
    if value is pd.NaT:
        return {_TAG: "NaT"}
    if value is pd.NA:
        return {_TAG: "NA"}
    if isinstance(value, pd.Timestamp):
        utc = value if value.tz is None else value.tz_convert("UTC").tz_localize(None)
        return {_TAG: "ts", "v": utc.isoformat(), "unit": value.unit,
                "tz": None if value.tz is None else str(value.tz)}
    if isinstance(value, dt.datetime):
        return {_TAG: "datetime", "v": value.isoformat()}
    if isinstance(value, dt.date):
        return {_TAG: "date", "v": value.isoformat()}
    if isinstance(value, dt.time):
        return {_TAG: "time", "v": value.isoformat()}
    if isinstance(value, pd.Timedelta):
        return {_TAG: "Timedelta", "v": int(value.value), "unit": value.unit}
    if isinstance(value, dt.timedelta):
        return {_TAG: "timedelta", "v": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, np.generic) and value.dtype.kind in _NUMPY_KINDS:
        raw = value.view("i8") if value.dtype.kind in "mM" else value
        item = raw.item()
        if isinstance(item, complex):
            item = [item.real, item.imag]
        return {_TAG: "numpy", "dtype": value.dtype.str, "v": item}
    if isinstance(value, Decimal):
        return {_TAG: "Decimal", "v": str(value)}
    return {_TAG: "str", "v": str(value)}


def _untag(obj: dict[str, Any]) -> Any:
    """``json.loads`` hook: the value a tagged object stands for."""
    kind = obj.get(_TAG)
    if kind is None:
        return obj
    if kind == "NaT":
        return pd.NaT
    if kind == "NA":
        return pd.NA
    if kind == "ts":
        stamp = pd.Timestamp(obj["v"]).as_unit(obj["unit"])
        return stamp if obj["tz"] is None else stamp.tz_localize("UTC").tz_convert(obj["tz"])
    if kind == "datetime":
        return dt.datetime.fromisoformat(obj["v"])
    if kind == "date":
        return dt.date.fromisoformat(obj["v"])
    if kind == "time":
        return dt.time.fromisoformat(obj["v"])
    if kind == "Timedelta":
        return pd.Timedelta(int(obj["v"]), unit="ns").as_unit(obj["unit"])
    if kind == "timedelta":
        days, seconds, micro = obj["v"]
        return dt.timedelta(days=days, seconds=seconds, microseconds=micro)
    if kind == "numpy":
        dtype = _numpy_dtype(obj["dtype"])
        v = obj["v"]
        if dtype.kind in "mM":
            return np.array(v, dtype="i8").view(dtype)[()]
        return np.array(complex(*v) if dtype.kind == "c" else v, dtype=dtype)[()]
    if kind == "Decimal":
        return Decimal(obj["v"])
    if kind == "str":
        return str(obj["v"])
    if kind == "tuple":
        return tuple(obj["v"])
    raise ValueError(f"unknown value tag {kind!r}")


def _numpy_dtype(text: Any) -> np.dtype[Any]:
    """A plain numeric/date numpy dtype from its ``.str`` (never ``object``)."""
    dtype = np.dtype(str(text))
    if dtype.kind not in _NUMPY_KINDS or dtype.hasobject:
        raise ValueError(f"unexpected dtype {text!r}")
    return dtype


def spec_to_json(spec: Spec) -> str:
    """A spec as JSON text (index names of any type kept)."""
    return json.dumps(spec, default=_tag, ensure_ascii=False, separators=(",", ":"))


def spec_from_json(text: str) -> Spec:
    spec = json.loads(text, object_hook=_untag)
    if not isinstance(spec, dict):
        raise ValueError("a stored spec is not an object")
    return spec


def _json_bytes(values: list[Any]) -> bytes:
    if tuple in set(map(type, values)):  # JSON would write a tuple as a list
        values = [{_TAG: "tuple", "v": list(v)} if type(v) is tuple else v for v in values]
    return json.dumps(values, default=_tag, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def _json_values(data: bytes, rows: int) -> list[Any]:
    values = json.loads(data.decode("utf-8"), object_hook=_untag)
    if not isinstance(values, list) or len(values) != rows:
        raise ValueError("stored values do not match the row count")
    return values


# ---------------------------------------------------------------- one column or index level

def encode_array(values: pd.Series | pd.Index) -> Encoded:
    """One column (or index level) as a spec and bytes."""
    dtype = values.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in _NUMPY_KINDS:
        return {"kind": "numpy", "dtype": dtype.str}, np.ascontiguousarray(values).tobytes()
    if isinstance(dtype, pd.StringDtype):
        na = "nan" if dtype.na_value is not pd.NA else "NA"
        texts = np.array(values, dtype=object)  # a copy: the frame is not touched
        texts[np.asarray(values.isna())] = None
        return {"kind": "string", "storage": dtype.storage, "na": na}, _json_bytes(texts.tolist())
    if str(dtype) in _MASKED:
        array = values.array
        numbers = np.ascontiguousarray(array.to_numpy(dtype=array.dtype.numpy_dtype,
                                                      na_value=0))
        mask = np.ascontiguousarray(array.isna(), dtype=np.bool_)
        return ({"kind": "masked", "dtype": str(dtype), "values": numbers.dtype.str},
                numbers.tobytes() + mask.tobytes())
    if isinstance(dtype, pd.DatetimeTZDtype) and _same_tz(dtype):
        stamps = np.ascontiguousarray(values.array.tz_convert("UTC").tz_localize(None)
                                      .to_numpy().view("i8"))
        return {"kind": "datetimetz", "unit": dtype.unit, "tz": str(dtype.tz)}, stamps.tobytes()
    if isinstance(dtype, pd.CategoricalDtype):
        cat = values.array
        assert isinstance(cat, pd.Categorical)
        codes = np.ascontiguousarray(cat.codes)
        cat_spec, cat_data = encode_array(cat.categories)
        spec = {"kind": "category", "ordered": bool(dtype.ordered), "codes": codes.dtype.str,
                "categories": cat_spec, "n_categories": len(cat.categories)}
        return spec, codes.tobytes() + cat_data
    name = "object" if dtype == np.dtype(object) else str(dtype)
    return {"kind": "object", "dtype": name}, _json_bytes(list(values.to_numpy(dtype=object)))


def _same_tz(dtype: pd.DatetimeTZDtype) -> bool:
    try:
        return pd.DatetimeTZDtype(dtype.unit, str(dtype.tz)) == dtype
    except (ValueError, TypeError, KeyError):
        return False


def decode_array(spec: Spec, data: bytes, rows: int) -> Any:
    """The array :func:`encode_array` stored: a numpy or pandas extension array."""
    kind = spec["kind"]
    if kind == "numpy":
        return _from_bytes(data, _numpy_dtype(spec["dtype"]), rows)
    if kind == "string":
        na_value = np.nan if spec["na"] == "nan" else pd.NA
        try:
            dtype = pd.StringDtype(spec["storage"], na_value=na_value)
        except ImportError:  # saved with pyarrow, opened without it
            dtype = pd.StringDtype("python", na_value=na_value)
        return pd.array(_json_values(data, rows), dtype=dtype)
    if kind == "masked":
        if spec["dtype"] not in _MASKED:
            raise ValueError(f"unexpected dtype {spec['dtype']!r}")
        numbers_dtype = _numpy_dtype(spec["values"])
        split = rows * numbers_dtype.itemsize
        numbers = _from_bytes(data[:split], numbers_dtype, rows)
        mask = _from_bytes(data[split:], np.dtype(np.bool_), rows)
        masked: Any = pd.api.types.pandas_dtype(spec["dtype"])
        return masked.construct_array_type()(numbers, mask)
    if kind == "datetimetz":
        stamps = _from_bytes(data, np.dtype("i8"), rows).view(f"M8[{spec['unit']}]")
        return pd.DatetimeIndex(stamps).tz_localize("UTC").tz_convert(spec["tz"]).array
    if kind == "category":
        codes_dtype = _numpy_dtype(spec["codes"])
        split = rows * codes_dtype.itemsize
        codes = _from_bytes(data[:split], codes_dtype, rows)
        categories = pd.Index(decode_array(spec["categories"], data[split:],
                                           int(spec["n_categories"])))
        return pd.Categorical.from_codes(codes, categories=categories,
                                         ordered=bool(spec["ordered"]))
    if kind == "object":
        values = np.fromiter(_json_values(data, rows), dtype=object, count=rows)
        if spec["dtype"] != "object":
            extension: Any = pd.api.types.pandas_dtype(spec["dtype"])
            return pd.array(values, dtype=extension)
        return values
    raise ValueError(f"unknown column kind {kind!r}")


def _from_bytes(data: bytes, dtype: np.dtype[Any], rows: int) -> np.ndarray[Any, Any]:
    if len(data) != rows * dtype.itemsize:
        raise ValueError("stored column has the wrong length")
    return np.frombuffer(data, dtype=dtype).copy()  # writable, owns its memory


# ---------------------------------------------------------------- indexes and frames

def encode_index(index: pd.Index) -> tuple[Spec, list[Encoded]]:
    """An index (or the column labels): a spec and one encoded array per level."""
    if isinstance(index, pd.RangeIndex):
        return ({"kind": "range", "start": index.start, "stop": index.stop, "step": index.step,
                 "name": index.name}, [])
    if isinstance(index, pd.MultiIndex):
        levels = [encode_array(index.get_level_values(i)) for i in range(index.nlevels)]
        return {"kind": "multi", "names": list(index.names)}, levels
    return {"kind": "index", "name": index.name}, [encode_array(index)]


def decode_index(spec: Spec, arrays: list[Encoded], rows: int) -> pd.Index:
    kind = spec["kind"]
    if kind == "range":
        index = pd.RangeIndex(int(spec["start"]), int(spec["stop"]), int(spec["step"]),
                              name=_label(spec["name"]))
        if len(index) != rows:
            raise ValueError("stored index does not match the row count")
        return index
    levels = [decode_array(s, d, rows) for s, d in arrays]
    if kind == "multi":
        return pd.MultiIndex.from_arrays(levels, names=[_label(n) for n in spec["names"]])
    if kind == "index" and len(levels) == 1:
        return pd.Index(levels[0], dtype=levels[0].dtype, name=_label(spec["name"]), copy=False)
    raise ValueError(f"unknown index kind {kind!r}")


def _label(name: Any) -> Any:
    """An index name read back from JSON (a tuple name comes back as a list)."""
    return tuple(_label(n) for n in name) if isinstance(name, list) else name


def encode_frame(frame: pd.DataFrame) -> tuple[Spec, list[Encoded]]:
    """A frame as its spec and every array: index levels, column-label levels, columns."""
    index_spec, index_arrays = encode_index(frame.index)
    columns_spec, columns_arrays = encode_index(frame.columns)
    columns = [encode_array(frame.iloc[:, i]) for i in range(frame.shape[1])]
    spec = {"rows": len(frame), "width": frame.shape[1],
            "index": index_spec, "index_arrays": len(index_arrays),
            "columns": columns_spec, "columns_arrays": len(columns_arrays)}
    return spec, [*index_arrays, *columns_arrays, *columns]


def decode_frame(spec: Spec, arrays: list[Encoded]) -> pd.DataFrame:
    """The frame :func:`encode_frame` stored (``arrays`` in the same order)."""
    rows, width = int(spec["rows"]), int(spec["width"])
    n_index, n_columns = int(spec["index_arrays"]), int(spec["columns_arrays"])
    if len(arrays) != n_index + n_columns + width:
        raise ValueError("stored frame has the wrong number of arrays")
    index = decode_index(spec["index"], arrays[:n_index], rows)
    columns = decode_index(spec["columns"], arrays[n_index:n_index + n_columns], width)
    data = {i: pd.Series(array, index=index, dtype=array.dtype, copy=False)  # no inference
            for i, array in enumerate(decode_array(s, d, rows)
                                      for s, d in arrays[n_index + n_columns:])}
    frame = pd.DataFrame(data, index=index, copy=False)
    frame.columns = columns
    return frame
