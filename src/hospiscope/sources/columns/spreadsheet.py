"""The two derivations of a column of a file typed in a spreadsheet (`Column.spreadsheet`):
the Python check and conversion of the line-by-line reader (`convert`), which names every
problem, and the SQL of the fast path (`sql_accepts`, `sql_typed`), which accepts only what
`convert` accepts and types it the same way — except the FINESS check digit, which the fast
path checks once per distinct number on what it stored (`finess_problem`), as for e-Satis.

Conventions: numbers may hold spaces and thin spaces and a decimal comma, yes / no is
`oui`/`non` (or `YES_NO`), dates are dd/mm/yyyy or ISO, a FINESS number that lost its leading
zero in a spreadsheet gets it back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hospiscope.sources.columns.model import FORMATS, YES_NO, Column, sql_list
from hospiscope.sources.finess.numbers import finess_problem, normalise_finess
from hospiscope.sources.finess.records import parse_date

Converter = Callable[[str], tuple[Any, str | None]]


def problem(reason: str, raw: str) -> str:
    """The French problem of a refused value, naming it."""
    return f"{reason}, reçu « {raw[:40]} »"


def convert(column: Column, raw: str) -> tuple[Any, str | None]:
    """The typed value of the (stripped, non-empty) text `raw` and the reason it is refused,
    or None."""
    return converter(column)(raw)


def converter(column: Column) -> Converter:
    """`convert` for one column, its kind chosen once (the detailed reader calls it on every
    value of a file)."""
    kind = column.kind
    if kind == "finess":

        def finess(raw: str) -> tuple[Any, str | None]:
            value = normalise_finess(raw)
            return value, finess_problem(value)

        return finess
    if kind == "text":
        return lambda raw: (raw, None)
    if kind == "yesno":
        return lambda raw: (
            YES_NO.get(raw.lower()),
            None if raw.lower() in YES_NO else "oui ou non attendu",
        )
    if kind == "choice":
        expected = f"valeur attendue parmi {', '.join(column.choices)}"
        return lambda raw: (raw, None if raw in column.choices else expected)
    if kind == "date":
        return _date
    return lambda raw: _number(column, raw)


def _date(raw: str) -> tuple[Any, str | None]:
    try:
        return parse_date(raw), None
    except ValueError:
        return None, "date invalide (jj/mm/aaaa attendu)"


def _number(column: Column, raw: str) -> tuple[Any, str | None]:
    text = raw.replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None, "nombre attendu"
    if column.kind in ("year", "count"):
        if not value.is_integer() or value < 0:
            return None, "nombre entier positif attendu"
        value = int(value)
        if column.kind == "year" and not 1990 <= value <= 2100:
            return None, "année invalide"
    if column.minimum is not None and value < column.minimum:
        return None, f"valeur inférieure au minimum ({column.minimum:g})"
    if column.maximum is not None and value > column.maximum:
        return None, f"valeur supérieure au maximum ({column.maximum:g})"
    return value, None


# --- SQL (DuckDB, fast path) -------------------------------------------------------------


def sql_accepts(column: Column, value: str) -> str | None:
    """SQL true when a (non-null, trimmed) value is accepted as is by `convert`, or None when
    there is no SQL check (text accepts anything). It may refuse more than `convert` (a whole
    number written "12,0", a date "1/2/2024"): the fast path then steps aside. A FINESS number
    is checked for its shape only (its check digit: on the stored numbers). TRY_: DuckDB may
    evaluate every operand of AND, and a failed cast would abort the query."""
    cleaned = _cleaned(value)
    if column.kind == "finess":
        number = _finess(value)
        return f"regexp_full_match({number}, '{_FINESS_SHAPE}') AND NOT starts_with({number}, '00')"
    if column.kind == "date":
        shape = f"regexp_full_match({value}, '{_DATE_SHAPE}')"
        return f"{shape} AND year({_sql_date(value)}) >= 1"
    if column.kind in ("year", "count"):
        check = f"regexp_full_match({cleaned}, '[0-9]{{1,15}}')"
        if column.kind == "year":
            check += f" AND TRY_CAST({cleaned} AS BIGINT) BETWEEN 1990 AND 2100"
        return check + _bounds(column, f"TRY_CAST({cleaned} AS DOUBLE)")
    if column.kind == "decimal":
        number = f"TRY_CAST(replace({cleaned}, ',', '.') AS DOUBLE)"
        pattern = "-?[0-9]{1,15}([.,][0-9]{1,15})?"
        return f"regexp_full_match({cleaned}, '{pattern}')" + _bounds(column, number)
    if column.kind == "yesno":
        return f"lower({value}) IN ({sql_list(YES_NO)})"
    if column.kind == "choice":
        return f"{value} IN ({sql_list(column.choices)})"
    return None


def sql_typed(column: Column, value: str) -> str:
    """SQL typing a value `sql_accepts` accepted as `convert` does."""
    if column.kind == "finess":
        return _finess(value)
    if column.kind == "date":
        return _sql_date(value)
    if column.kind in ("year", "count"):
        return f"CAST({_cleaned(value)} AS BIGINT)"
    if column.kind == "decimal":
        return f"CAST(replace({_cleaned(value)}, ',', '.') AS DOUBLE)"
    if column.kind == "yesno":
        yes = sql_list([k for k, v in YES_NO.items() if v])
        return f"CASE WHEN {value} IS NULL THEN NULL ELSE lower({value}) IN ({yes}) END"
    return value


_FINESS_SHAPE = FORMATS["finess"]
# The dates `parse_date` reads: French dd/mm/yyyy or ISO, four-digit years (it reads other
# spellings too, "1/2/2024": the detailed reader then decides).
_DATE_SHAPE = "[0-9]{2}/[0-9]{2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}"


def _finess(value: str) -> str:
    """`normalise_finess` in SQL: upper case, a leading zero dropped by a spreadsheet restored."""
    return (
        f"CASE WHEN regexp_full_match({value}, '[0-9]{{8}}') THEN '0' || {value} "
        f"ELSE upper({value}) END"
    )


def _sql_date(value: str) -> str:
    return f"CAST(TRY_STRPTIME({value}, ['%d/%m/%Y', '%Y-%m-%d']) AS DATE)"


def _cleaned(value: str) -> str:
    """A number as `convert` reads it: thin spaces and spaces removed."""
    return f"replace(replace({value}, chr(8239), ''), ' ', '')"


def _bounds(column: Column, number: str) -> str:
    text = ""
    if column.minimum is not None:
        text += f" AND {number} >= {column.minimum!r}"
    if column.maximum is not None:
        text += f" AND {number} <= {column.maximum!r}"
    return text
