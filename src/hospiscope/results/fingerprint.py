"""The fingerprint of an indicator's method, which guards against silent method changes.

It covers what decides the published values — the indicator's own computation compiled to
SQL against the input tables' schemas, the metadata that shapes results (kind, factor, CI,
minimum sample, class grids, levels), the model it fits, and the code of its `finish` as a
syntax tree —
and nothing else: not the engine, not comments or formatting, not hospiscope's own plumbing
(aggregation to levels, storage), so that upgrading the product does not look like a method
change.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
import textwrap
from dataclasses import dataclass

import ibis
import pandas as pd

from hospiscope.catalogue.derived import derived_tables
from hospiscope.catalogue.model import Indicator, parameters_table
from hospiscope.engines.runner import needed_tables

SCHEME = "f2:"  # fingerprints made before this scheme had no prefix
_METHOD_FIELDS = (
    "kind",
    "factor",
    "ci_method",
    "ci_level",
    "min_sample",
    "sample_column",
    "class_grids",
    "levels",
    "inputs",
)


@dataclass(frozen=True)
class CompiledMethod:
    """An indicator's computation (and its model's summary) compiled to DuckDB SQL against
    the input tables' names and schemas, and the fingerprint of the method. The DuckDB
    engine runs this very SQL: what is fingerprinted is what runs."""

    compute_sql: str
    prepare_sql: str | None
    definition_hash: str
    columns: tuple[str, ...] = ()  # what the computation gives (not fingerprinted)


def compile_method(
    indicator: Indicator, con, inputs: dict[str, ibis.Table] | None = None
) -> CompiledMethod:
    """`inputs` (from `unbound_inputs`) may be shared by a run's indicators."""
    tables = unbound_tables(indicator, con, inputs)
    fit = indicator.fit
    computed = indicator.compute(tables)
    compute_sql = ibis.to_sql(computed, dialect="duckdb")
    prepare_sql = ibis.to_sql(fit.prepare(tables), dialect="duckdb") if fit else None
    parts = [
        compute_sql,
        prepare_sql or "",
        _code_shape(fit.fit) if fit else "",
        json.dumps(
            indicator.meta.model_dump(include=set(_METHOD_FIELDS), mode="json"), sort_keys=True
        ),
        _code_shape(indicator.finish),
    ]
    if indicator.funnel is not None:  # only then: other fingerprints stay as they were
        parts.append(repr(indicator.funnel))
    digest = SCHEME + hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return CompiledMethod(compute_sql, prepare_sql, digest, tuple(computed.columns))


def definition_hash(indicator: Indicator, con, inputs: dict[str, ibis.Table] | None = None) -> str:
    return compile_method(indicator, con, inputs).definition_hash


def comparable(stored: str, current: str) -> bool:
    """Fingerprints of different schemes cannot be compared (the scheme changes with
    hospiscope, not with the method)."""
    return stored.split(":")[0] == current.split(":")[0] and ":" in stored


def unbound_inputs(indicators: list[Indicator], con) -> dict[str, ibis.Table]:
    """Schema-only tables: the warehouse inputs of the indicators and the derived tables
    built from them."""
    backend = ibis.duckdb.from_connection(con)
    derived = derived_tables()
    stored, wanted = needed_tables(indicators)
    tables = {name: ibis.table(backend.table(name).schema(), name=name) for name in stored}
    for name in wanted:
        tables[name] = ibis.table(derived[name].build(tables).schema(), name=name)
    return tables


def unbound_tables(
    indicator: Indicator, con, inputs: dict[str, ibis.Table] | None = None
) -> dict[str, ibis.Table]:
    """Schema-only tables the indicator reads: its inputs and the fitted parameters (their
    schema, from fitting on an empty summary)."""
    tables = dict(inputs if inputs is not None else unbound_inputs([indicator], con))
    if indicator.fit:
        empty = indicator.fit.prepare(tables).schema().to_pandas()
        parameters = indicator.fit.fit(pd.DataFrame(columns=[n for n, _ in empty]))
        name = parameters_table(indicator.code)
        tables[name] = ibis.table(ibis.memtable(parameters).schema(), name=name)
    return tables


def _code_shape(function) -> str:
    """The function's syntax tree without docstrings (comments and layout do not count)."""
    if function is None:
        return ""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if (
            isinstance(body, list)
            and body
            and isinstance(body[0], ast.Expr)
            and isinstance(getattr(body[0], "value", None), ast.Constant)
            and isinstance(body[0].value.value, str)
        ):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree, annotate_fields=False)
