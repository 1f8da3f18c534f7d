"""Spec-test helpers: tiny inline ASCII tables, one indicator, expected values — run on an
engine and against the indicator's pandas reference implementation (import as `speclib`).

The pooling of establishments into the other levels (national, region, department, status,
strata) is specified once, in tests/unit/engines/test_pooled_sql.py and
tests/spec/test_spec_levels.py: an indicator's spec test gives its establishment rows only,
and `run_spec` checks every other level against that rule. A spec gives an aggregate row
itself only where the indicator has a rule of its own (e.g. NV responses left out).

`REGISTRY` and `PEER_GROUPS` are the registry of every spec test (one place): a few real
FINESS numbers in two regions, with their statuses and peer groups."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pyarrow as pa

from hospiscope.catalogue.model import Indicator
from hospiscope.engines.levels import LevelGroups, aggregate_levels, level_inputs
from hospiscope.engines.runner import evaluate

REGISTRY = """
finess_et | region_code | department_code | legal_status   | legal_status_basis | import_run_id
010000024 | 84          | 01              | public         | test               | 1
010002129 | 84          | 01              | prive_lucratif | test               | 1
010000065 | 84          | 01              | public         | test               | 1
010000107 | 84          | 01              | public         | test               | 1
2A0000022 | 94          | 2A              | public         | test               | 1
140000100 | 28          | 14              | public         | test               | 1
"""
PEER_GROUPS = """
stratification | finess_et | group_code | group_label
type           | 010000024 | CH         | Centre hospitalier
type           | 010002129 | PRIVE      | Privé lucratif
type           | 2A0000022 | CH         | Centre hospitalier
type           | 140000100 | PSY        | Psychiatrie
taille         | 010000024 | T2         | 100 à 299
taille         | 010002129 | T1         | moins de 100
taille         | 2A0000022 | T2         | 100 à 299
"""


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
    """Run `indicator` on `engine` over the inline `tables` (the shared registry unless they
    give their own) and compare with `expected` {(entity_kind, entity_id, period):
    (numerator, denominator)}. Levels that `expected` does not give follow the pooling rule
    (see the module's docstring). Then check that the pandas reference agrees at the
    establishment level."""
    shared = {"establishments": REGISTRY, "peer_groups": PEER_GROUPS}
    # The registry is data, not context, for an indicator that reads it (REG_ETAB).
    tables = {**{n: t for n, t in shared.items() if n not in indicator.meta.inputs}, **tables}
    arrow = {name: arrow_table(schemas[name], text) for name, text in tables.items()}
    for name in level_inputs(indicator):
        arrow.setdefault(name, schemas[name].empty_table())
    loaded = engine.load(arrow)
    frame = evaluate(engine, indicator, loaded)
    assert as_dict(frame) == expected | pooled(indicator, frame, arrow, given=expected)
    reference = indicator.reference({name: t.to_pandas() for name, t in arrow.items()})
    establishments = {key: value for key, value in expected.items() if key[0] == "etablissement"}
    if establishments:
        reference = reference.assign(entity_kind="etablissement")
        assert as_dict(reference) == establishments


def pooled(indicator: Indicator, frame: pd.DataFrame, arrow: dict, given: dict) -> dict:
    """The rows of the levels `given` does not name, by the pooling rule applied to the
    engine's establishment rows (numerators, denominators and `stat_*` sums)."""
    levels = {key[0] for key in given}
    missing = [level for level in indicator.meta.levels if level not in levels]
    if not missing:
        return {}
    base = frame[frame["entity_kind"] == "etablissement"].drop(columns="entity_kind")
    groups = LevelGroups(
        arrow["establishments"].to_pandas() if "establishments" in arrow else None,
        arrow["peer_groups"].to_pandas() if "peer_groups" in arrow else None,
    )
    rows = aggregate_levels(indicator, base, groups)
    return as_dict(rows[rows["entity_kind"].isin(missing)])


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
