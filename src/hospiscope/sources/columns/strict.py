"""The two derivations of a column of a file exported by a system (e-Satis):

- `sql_accepts` / `sql_typed` (`sql_failing` in the package): the SQL that DuckDB evaluates on
  the fast path, where a valid file is checked and stored in one statement;
- `reader`: the Python check and conversion of the detailed reader, which names the problem of
  every refused value in French.

Both read the same declaration — the format is a regular expression used as is by Python's
`re` and DuckDB's RE2, the bounds and choices are the same values — so they accept the same
texts and give the same typed values (tests/unit/sources/test_columns.py compares them on
tricky values). Values are trimmed of the spaces DuckDB's `trim()` removes (`SPACES`) and an
empty value is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from hospiscope.sources.columns.model import (
    BAD_FINESS_KEY,
    DATE_FORMATS,
    FORMATS,
    MISSING,
    Column,
    sql_list,
)
from hospiscope.sources.finess.numbers import finess_problem

# --- SQL (DuckDB, fast path) -------------------------------------------------------------


def sql_accepts(column: Column, value: str) -> str:
    """SQL true when the non-null text `value` is accepted."""
    kind = column.kind
    if kind in ("choice", "flag"):
        single = column.one_character_choices
        if single is not None:  # three times cheaper than IN on the answers of a national file
            return f"(strlen({value}) = 1 AND contains('{single}', {value}))"
        return f"{value} IN ({sql_list(column.choices)})"
    if kind == "text":
        return _between(f"length({value})", column)
    checks = [f"regexp_full_match({value}, '{FORMATS[kind]}')"]
    if kind == "integer":
        checks.append(_between(f"TRY_CAST({value} AS BIGINT)", column))
    elif kind == "date":
        checks.append(f"{_sql_date(value)} IS NOT NULL")
    return "(" + " AND ".join(c for c in checks if c != "true") + ")"


def sql_typed(column: Column, value: str) -> str:
    """SQL turning an accepted text into the warehouse type (TRY_: evaluated before the record
    is known valid, it must not fail)."""
    if column.kind == "flag":
        return f"({value} = '1')"
    if column.kind == "date":
        return _sql_date(value)
    if column.sql_type == "VARCHAR":
        return value
    return f"TRY_CAST({value} AS {column.sql_type})"


def _sql_date(value: str) -> str:
    formats = ", ".join(f"'{f}'" for f in DATE_FORMATS)
    return f"CAST(TRY_STRPTIME({value}, [{formats}]) AS DATE)"


def _between(expression: str, column: Column) -> str:
    bounds = []
    if column.minimum is not None:
        bounds.append(f"{expression} >= {column.minimum}")
    if column.maximum is not None:
        bounds.append(f"{expression} <= {column.maximum}")
    return " AND ".join(bounds) or "true"


# --- Python (detailed reader) ------------------------------------------------------------

Reader = Callable[[str | None], tuple[Any, str | None]]


def reader(column: Column) -> Reader:
    """A function of the trimmed text (None: empty) giving (typed value, French problem or
    None), the problem naming the value as the messages do."""
    convert = _converter(column)
    required, reason = column.required, column.reason

    def read(text: str | None) -> tuple[Any, str | None]:
        if text is None:
            return None, MISSING if required else None
        value = convert(text)
        if value is _REFUSED:
            return None, f"{reason} : « {text[:40]} »"
        return value, None

    return read


def finess_key_problem(number: str) -> str | None:
    """The problem of a FINESS number of the right format whose check digit is wrong."""
    return f"{BAD_FINESS_KEY} : « {number} »" if finess_problem(number) else None


_REFUSED = object()


def _converter(column: Column) -> Callable[[str], Any]:
    kind = column.kind
    integer = column.sql_type in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT")
    if kind in ("choice", "flag"):
        accepted = {
            c: (c == "1" if kind == "flag" else int(c) if integer else c) for c in column.choices
        }
        return lambda text: accepted.get(text, _REFUSED)
    if kind == "text":
        low = column.minimum if column.minimum is not None else 0
        high = column.maximum if column.maximum is not None else float("inf")
        return lambda text: text if low <= len(text) <= high else _REFUSED
    pattern = re.compile(FORMATS[kind])
    if kind == "finess":
        return lambda text: text if pattern.fullmatch(text) else _REFUSED
    if kind == "integer":
        return lambda text: _integer(pattern, column, text)
    dates: dict[str, Any] = {}  # few distinct dates in a file: each parsed once

    def date(text: str) -> Any:
        if text not in dates:
            dates[text] = _date(text) if pattern.fullmatch(text) else _REFUSED
        return dates[text]

    return date


def _integer(pattern: re.Pattern, column: Column, text: str) -> Any:
    if not pattern.fullmatch(text):
        return _REFUSED
    value = int(text)
    if column.minimum is not None and value < column.minimum:
        return _REFUSED
    if column.maximum is not None and value > column.maximum:
        return _REFUSED
    return value


def _date(text: str) -> Any:
    for form in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
    return _REFUSED
