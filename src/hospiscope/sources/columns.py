"""The typed column model of imported files: one declaration per column (kind, required,
allowed choices, range, length, format), from which both checks are derived.

- `sql_failing` / `sql_typed`: the SQL that DuckDB evaluates on the fast path, where a valid
  file is checked and stored in one statement;
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
from dataclasses import dataclass
from typing import Any, Literal

from hospiscope.sources.finess.numbers import finess_problem

Kind = Literal["finess", "integer", "choice", "flag", "text", "date"]

# What DuckDB's trim() removes at both ends (Python's str.strip() removes more): the detailed
# reader trims the same characters, so that both paths store the same text.
SPACES = " \u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u202f\u205f\u3000"
MISSING = "valeur obligatoire absente"
BAD_FINESS_KEY = "clé de contrôle FINESS incorrecte"

FORMATS = {
    "finess": r"(\d{2}|2A|2B)\d{7}",
    "integer": r"[0-9]{1,9}",
    "date": r"[0-9]{2}/[0-9]{2}/[0-9]{4}"
    r"|[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}:[0-9]{2})?",
}
# Date formats tried in turn, written alike for Python's strptime and DuckDB's.
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


@dataclass(frozen=True)
class Column:
    """One column of a file: its header, where it is stored and what it accepts."""

    name: str  # header in the file (French)
    target: str  # warehouse column
    kind: Kind
    sql_type: str  # type of the warehouse column
    reason: str  # French, when a value is refused: "<reason> : « value »"
    required: bool = False  # an empty value is an error
    choices: tuple[str, ...] = ()  # choice: the accepted texts; flag: ('0', '1')
    minimum: int | None = None  # integer: bounds; text: length in characters
    maximum: int | None = None

    @property
    def one_character_choices(self) -> str | None:
        """The choices as one string when each is one character (answers `1`…`9`)."""
        if self.kind in ("choice", "flag") and all(
            len(c) == 1 and c.isascii() for c in self.choices
        ):
            return "".join(self.choices)
        return None


def flag(name: str, target: str, reason: str, *, required: bool = False) -> Column:
    """A yes / no column written `1` / `0`."""
    return Column(name, target, "flag", "BOOLEAN", reason, required, choices=("0", "1"))


# --- SQL (DuckDB, fast path) -------------------------------------------------------------


def sql_accepts(column: Column, value: str) -> str:
    """SQL true when the non-null text `value` is accepted."""
    kind = column.kind
    if kind in ("choice", "flag"):
        single = column.one_character_choices
        if single is not None:  # three times cheaper than IN on the answers of a national file
            return f"(strlen({value}) = 1 AND contains('{single}', {value}))"
        return f"{value} IN ({_quoted(column.choices)})"
    if kind == "text":
        return _between(f"length({value})", column)
    checks = [f"regexp_full_match({value}, '{FORMATS[kind]}')"]
    if kind == "integer":
        checks.append(_between(f"TRY_CAST({value} AS BIGINT)", column))
    elif kind == "date":
        checks.append(f"{_sql_date(value)} IS NOT NULL")
    return "(" + " AND ".join(c for c in checks if c != "true") + ")"


def sql_failing(column: Column, value: str) -> str:
    """SQL true when the text `value` (NULL: empty) is refused. The FINESS check digit is
    checked apart, once per distinct number (`finess_key_problem`)."""
    failing = f"({value} IS NOT NULL AND NOT coalesce({sql_accepts(column, value)}, false))"
    return f"({value} IS NULL OR {failing})" if column.required else failing


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


def _quoted(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


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
