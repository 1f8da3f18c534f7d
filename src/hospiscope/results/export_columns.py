"""The columns of an export, each given one kind (text, integer, number, bool, date,
datetime) and its values in one canonical form, so that every writer handles six cases
instead of every pandas dtype: text is str or None; numbers are float64 with NaN for
missing (±inf too: no spreadsheet stores it); integers and booleans are nullable; dates
and datetimes are naive datetime64. Spreadsheet outputs ask for text neutralised against
formula injection; Parquet keeps it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from pandas.api import types

# First characters that make Excel, LibreOffice or Google Sheets evaluate a cell.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# pandas.api.types.infer_dtype on an object column → our kind.
_INFERRED_KINDS = {
    "integer": "integer",
    "floating": "number",
    "mixed-integer-float": "number",
    "decimal": "number",
    "boolean": "bool",
    "date": "date",
    "datetime": "date",  # "date" or "datetime" once the times are looked at
    "datetime64": "date",
}


@dataclass(frozen=True)
class ExportColumn:
    header: str
    kind: str
    values: pd.Series


def export_columns(frame: pd.DataFrame, *, neutralised: bool) -> list[ExportColumn]:
    """The frame's columns typed; with `neutralised`, headers and text as a spreadsheet
    may show them (see `neutralise`)."""
    columns = [_column(str(name), frame[name]) for name in frame.columns]
    if not neutralised:
        return columns
    return [
        ExportColumn(
            neutralise(c.header), c.kind, _neutralised(c.values) if c.kind == "text" else c.values
        )
        for c in columns
    ]


def neutralise(text: str) -> str:
    """`'=SUM(A1)` for `=SUM(A1)`: the spreadsheet shows the text instead of running it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _column(header: str, series: pd.Series) -> ExportColumn:
    kind = _kind(series)
    converters = {
        "integer": lambda s: s.astype("Int64"),
        "number": _numbers,
        "bool": lambda s: s.astype("boolean"),
        "date": _datetimes,
        "text": _texts,
    }
    values = converters[kind](series)
    if kind == "date" and not _all_midnight(values):
        kind = "datetime"
    return ExportColumn(header, kind, values)


def _kind(series: pd.Series) -> str:
    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return _kind(series.astype(object))
    if types.is_bool_dtype(dtype):
        return "bool"
    if types.is_integer_dtype(dtype):
        return "integer"
    if types.is_float_dtype(dtype):
        return "number"
    if types.is_datetime64_any_dtype(dtype):
        return "date"
    if types.is_object_dtype(dtype):
        return _INFERRED_KINDS.get(types.infer_dtype(series, skipna=True), "text")
    return "text"  # strings, timedeltas, periods…: written as their text


def _numbers(series: pd.Series) -> pd.Series:
    values = pd.to_numeric(series.astype(object), errors="coerce").astype(float)
    return values.where(np.isfinite(values))


def _datetimes(series: pd.Series) -> pd.Series:
    values = pd.to_datetime(
        series.astype(object) if types.is_object_dtype(series.dtype) else series
    )
    if values.dt.tz is not None:
        values = values.dt.tz_localize(None)  # keep the wall-clock time that was shown
    return values


def _all_midnight(values: pd.Series) -> bool:
    present = values.dropna()
    return bool((present == present.dt.normalize()).all())


def _texts(series: pd.Series) -> pd.Series:
    text = series.astype("string")
    return text.astype(object).where(text.notna(), None)


def _neutralised(texts: pd.Series) -> pd.Series:
    text = texts.astype("string")
    risky = text.str.startswith(FORMULA_STARTS).fillna(False).astype(bool)
    return texts.where(~risky, "'" + text).astype(object).where(texts.notna(), None)
