"""Running indicators on an engine: their inputs (warehouse tables, then the derived tables
built once per run), the national model they fit when they have one, then every level."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from hospiscope.catalogue import Indicator
from hospiscope.catalogue.derived import derived_tables
from hospiscope.catalogue.model import parameters_table
from hospiscope.engines.base import Engine
from hospiscope.engines.levels import (
    LevelGroups,
    aggregate_levels,
    base_expression,
    level_inputs,
)


def needed_tables(indicators: list[Indicator]) -> tuple[list[str], list[str]]:
    """(warehouse tables, derived tables) the indicators read, in dependency order."""
    derived = derived_tables()
    names = list(dict.fromkeys(n for i in indicators for n in level_inputs(i)))
    wanted = [n for n in names if n in derived]
    stored = [n for n in names if n not in derived]
    stored += [i for n in wanted for i in derived[n].inputs if i not in stored]
    return list(dict.fromkeys(stored)), wanted


def input_tables(
    engine: Engine, con: duckdb.DuckDBPyConnection, indicators: list[Indicator]
) -> dict[str, ir.Table]:
    stored, wanted = needed_tables(indicators)
    tables = engine.from_warehouse(con, stored)
    return add_derived(engine, tables, wanted)


def add_derived(
    engine: Engine, tables: dict[str, ir.Table], names: list[str]
) -> dict[str, ir.Table]:
    derived = derived_tables()
    for name in names:
        tables[name] = engine.materialize(name, derived[name].build(tables))
    return tables


def engine_groups(engine: Engine, tables: dict[str, ir.Table]) -> LevelGroups:
    """The registry's groupings, read from the engine once per computation run."""
    wanted = {
        "establishments": ["finess_et", "region_code", "department_code", "legal_status"],
        "peer_groups": ["finess_et", "stratification", "group_code"],
    }
    frames = {
        name: engine.execute(tables[name].select(*columns))
        for name, columns in wanted.items()
        if name in tables
    }
    return LevelGroups(frames.get("establishments"), frames.get("peer_groups"))


@dataclass(frozen=True)
class Sql:
    """An indicator compiled to DuckDB SQL against its input tables' names (see
    results.fingerprint), and the columns its computation gives: engines that run SQL skip
    compiling it again."""

    compute: str
    prepare: str | None = None
    columns: tuple[str, ...] | None = None  # None: asked of the engine


def evaluate(
    engine: Engine,
    indicator: Indicator,
    tables: dict[str, ir.Table],
    groups: LevelGroups | None = None,
    sql: Sql | None = None,
    deferred: bool = False,
) -> pd.DataFrame:
    """Raw sums of every level (before finish), fitting the national model first if any.
    An engine that runs SQL pools the levels in the same query as the computation; the
    others give the per-establishment table, pooled here by `aggregate_levels`.
    `deferred`: an engine that pools in SQL may leave the registry levels for
    `complete_levels` to add, for all the indicators of a run at once."""
    if indicator.fit is not None:
        summary = _run(engine, sql.prepare if sql else None, lambda: indicator.fit.prepare(tables))
        parameters = pa.Table.from_pandas(indicator.fit.fit(summary), preserve_index=False)
        name = parameters_table(indicator.code)
        if engine.pools_in_sql and sql is not None:
            engine.register(name, parameters)  # the compiled SQL reads it by its name
        else:
            tables = {**tables, **engine.load({name: parameters})}
    if engine.pools_in_sql:
        if sql is None:
            expression = indicator.compute(tables)
            sql = Sql(engine.compile(expression), columns=tuple(expression.columns))
        pool = engine.pool_deferred if deferred else engine.pool
        return pool(indicator, sql.compute, sql.columns or engine.columns(sql.compute))
    # aggregate_levels gives every engine's keys and values the same types.
    base = engine.execute(base_expression(indicator, tables))
    return aggregate_levels(indicator, base, groups or engine_groups(engine, tables))


def complete_levels(
    engine: Engine, pooled: dict[str, tuple[Indicator, pd.DataFrame]]
) -> dict[str, pd.DataFrame]:
    """The frames of `evaluate(..., deferred=True)` with every level, by indicator code."""
    if engine.pools_in_sql:
        return engine.pool_registry(pooled)
    return {code: frame for code, (_, frame) in pooled.items()}


def _run(engine: Engine, sql: str | None, expression) -> pd.DataFrame:
    ran = engine.run_sql(sql) if sql is not None else None
    return ran if ran is not None else engine.execute(expression())
