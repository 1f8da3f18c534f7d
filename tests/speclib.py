"""Spec-test helpers: tiny inline ASCII tables, one indicator, expected values — run on an
engine and against the indicator's pandas reference implementation (import as `speclib`)."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pyarrow as pa

from hospiscope.catalogue.model import Indicator
from hospiscope.engines.levels import level_inputs
from hospiscope.engines.runner import evaluate


def parse_table(text: str) -> list[dict[str, str | None]]:
    """ASCII table → rows: first line is the header, cells separated by `|`, empty = NULL."""
    lines = [line for line in text.strip().splitlines() if line.strip()]
    header = [cell.strip() for cell in lines[0].split("|")]
    rows = []
    for line in lines[1:]:
        cells = [cell.strip() for cell in line.split("|")]
        rows.append({name: (cell or None) for name, cell in zip(header, cells, strict=True)})
    return rows


def _convert(value: str | None, kind: pa.DataType):
    if value is None:
        return None
    if pa.types.is_boolean(kind):
        return value.lower() in ("true", "1", "oui")
    if pa.types.is_integer(kind):
        return int(value)
    if pa.types.is_floating(kind):
        return float(value)
    if pa.types.is_date(kind):
        return dt.date.fromisoformat(value)
    return value


def arrow_table(schema: pa.Schema, text: str) -> pa.Table:
    """A full warehouse table (every column, typed) from an ASCII table of some columns."""
    rows = parse_table(text)
    unknown = set(rows[0]) - set(schema.names) if rows else set()
    assert not unknown, f"columns not in the warehouse table: {unknown}"
    columns = {
        field.name: [_convert(row.get(field.name), field.type) for row in rows] for field in schema
    }
    return pa.table(columns, schema=schema)


def run_spec(
    engine,
    schemas,
    indicator: Indicator,
    tables: dict[str, str],
    expected: dict[tuple[str, str, str], tuple[float, float | None]],
) -> None:
    """Run `indicator` on `engine` over the inline `tables` and compare every level with
    `expected` {(entity_kind, entity_id, period): (numerator, denominator)}; then check the
    pandas reference agrees at establishment level."""
    arrow = {name: arrow_table(schemas[name], text) for name, text in tables.items()}
    for name in level_inputs(indicator):
        arrow.setdefault(name, schemas[name].empty_table())
    loaded = engine.load(arrow)
    frame = evaluate(engine, indicator, loaded)
    assert as_dict(frame) == expected
    reference = indicator.reference({name: t.to_pandas() for name, t in arrow.items()})
    establishments = {key: value for key, value in expected.items() if key[0] == "etablissement"}
    if establishments:
        reference = reference.assign(entity_kind="etablissement")
        assert as_dict(reference) == establishments


def as_dict(frame: pd.DataFrame) -> dict:
    def number(value):
        return (
            None
            if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA
            else float(value)
        )

    return {
        (r.entity_kind, str(r.entity_id), str(r.period)): (
            number(r.numerator),
            number(r.denominator),
        )
        for r in frame.itertuples()
    }
