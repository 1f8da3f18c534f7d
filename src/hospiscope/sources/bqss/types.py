"""The typed value columns of the BQSS values file and which of them each key type uses.

The metadata file's `type` takes ten spellings (integer, int, float, number, string, classe,
boolean, date, int-string, float-string); a line holds its value in exactly one of the typed
columns, or names why it has none in `missing_value`."""

from __future__ import annotations

import datetime as dt

VALUE_COLUMNS = ("value_boolean", "value_string", "value_integer", "value_float", "value_date")
MISSING = "missing_value"
# Key type (metadata `type`) → the typed columns a value of that key may be written in.
# "-string" types are numbers that may also be published as text (e.g. a range).
COLUMNS_OF_TYPE = {
    "boolean": ("value_boolean",),
    "string": ("value_string",),
    "classe": ("value_string",),
    "integer": ("value_integer",),
    "int": ("value_integer",),
    "float": ("value_float",),
    "number": ("value_float",),
    "date": ("value_date",),
    "int-string": ("value_integer", "value_string"),
    "float-string": ("value_float", "value_string"),
}
BOOLEANS = {"true": True, "false": False}


def parse_value(column: str, raw: str) -> tuple[object, str | None]:
    """The typed value of `raw` read from `column`, or the French reason it is not one."""
    if column == "value_string":
        return raw, None
    if column == "value_boolean":
        value = BOOLEANS.get(raw.lower())
        return value, None if value is not None else "booléen attendu (True ou False)"
    if column == "value_integer":
        try:
            number = float(raw)
        except ValueError:
            return None, "nombre entier attendu"
        if not number.is_integer():
            return None, "nombre entier attendu"
        return int(number), None
    if column == "value_float":
        try:
            return float(raw), None
        except ValueError:
            return None, "nombre décimal attendu (point décimal)"
    return _date(raw)


def _date(raw: str) -> tuple[dt.date | None, str | None]:
    # ISO dates, possibly with a zero time part (as pandas writes datetimes).
    text = raw.replace("T", " ").split(" ")[0]
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        return None, "date attendue (aaaa-mm-jj)"


def format_value(column: str, value: object) -> str:
    """How the demo writes a value in its typed column (the inverse of parse_value)."""
    if column == "value_boolean":
        return "True" if value else "False"
    if column == "value_float":
        return repr(float(value))
    if column == "value_integer":
        return str(int(value))
    if column == "value_date":
        return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]
    return str(value)
