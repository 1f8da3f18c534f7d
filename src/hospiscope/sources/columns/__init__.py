"""The typed column model of imported files: one declaration per column (`Column`: kind,
required, allowed choices, range, format), from which both checks are derived:

- the SQL that DuckDB evaluates on the fast path (`sql_accepts`, `sql_failing`, `sql_typed`),
  where a valid file is checked and typed in one pass;
- the Python check and conversion of the detailed reader (`reader`), which names the problem of
  every refused value in French.

Two conventions share the model: files exported by a system, read as written (e-Satis,
`strict`), and files typed in a spreadsheet (the tabular layouts, `spreadsheet`: declared with
`spreadsheet_column`). Each convention writes both derivations of a kind side by side, and
tests compare them (tests/unit/sources/test_columns.py, test_tabular_fast.py).
"""

from __future__ import annotations

from hospiscope.sources.columns import spreadsheet, strict
from hospiscope.sources.columns.model import (
    BAD_FINESS_KEY,
    DATE_FORMATS,
    FORMATS,
    MISSING,
    SPACES,
    YES_NO,
    Column,
    Kind,
    flag,
    spreadsheet_column,
)
from hospiscope.sources.columns.strict import Reader, finess_key_problem

__all__ = [
    "BAD_FINESS_KEY",
    "DATE_FORMATS",
    "FORMATS",
    "MISSING",
    "SPACES",
    "YES_NO",
    "Column",
    "Kind",
    "Reader",
    "finess_key_problem",
    "flag",
    "reader",
    "spreadsheet_column",
    "sql_accepts",
    "sql_failing",
    "sql_typed",
]


def sql_accepts(column: Column, value: str) -> str | None:
    """SQL true when the non-null text `value` is accepted; None when no SQL checks it (a
    spreadsheet's text). FINESS check digits are checked apart, on the stored numbers."""
    if column.spreadsheet:
        return spreadsheet.sql_accepts(column, value)
    return strict.sql_accepts(column, value)


def sql_failing(column: Column, value: str) -> str:
    """SQL true when the text `value` (NULL: empty) is refused. The FINESS check digit is
    checked apart, once per distinct number (`finess_key_problem`)."""
    accepts = sql_accepts(column, value)
    failing = (
        "false" if accepts is None else f"({value} IS NOT NULL AND NOT coalesce({accepts}, false))"
    )
    return f"({value} IS NULL OR {failing})" if column.required else failing


def sql_typed(column: Column, value: str) -> str:
    """SQL turning an accepted text into the warehouse type."""
    if column.spreadsheet:
        return spreadsheet.sql_typed(column, value)
    return strict.sql_typed(column, value)


def reader(column: Column) -> Reader:
    """A function of the trimmed text (None: empty) giving (typed value, French problem or
    None), the problem naming the value as the messages of the column's convention do."""
    if not column.spreadsheet:
        return strict.reader(column)
    required, convert = column.required, spreadsheet.converter(column)

    def read(text: str | None) -> tuple[object, str | None]:
        if text is None:
            return None, MISSING if required else None
        value, reason = convert(text)
        return (None, spreadsheet.problem(reason, text)) if reason else (value, None)

    return read
