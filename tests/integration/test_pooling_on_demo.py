"""SQL pooling (per indicator, and the registry levels of a whole run) equals the pandas
pooling of the reference for every indicator of the catalogue on the small demo warehouse."""

from __future__ import annotations

import ibis
import pyarrow as pa

from hospiscope.catalogue import catalogue
from hospiscope.catalogue.derived import derived_tables
from hospiscope.catalogue.model import parameters_table
from hospiscope.engines import make_engine
from hospiscope.engines.levels import LevelGroups, aggregate_levels
from hospiscope.engines.runner import needed_tables
from hospiscope.results.fingerprint import compile_method, unbound_inputs
from hospiscope.warehouse import Warehouse
from poolinglib import assert_identical, assert_same, both_ways


def compiled_catalogue(engine, con):
    """Every indicator of the catalogue with its compiled method, the engine holding the run's
    derived tables and each fitted model's parameters (as compute_indicators prepares them)."""
    indicators = list(catalogue().values())
    engine.from_warehouse(con, [])
    unbound = unbound_inputs(indicators, con)
    for name in needed_tables(indicators)[1]:
        built = derived_tables()[name].build(unbound)
        engine.create_from_sql(name, ibis.to_sql(built, dialect="duckdb"))
    for indicator in indicators:
        method = compile_method(indicator, con, unbound)
        if indicator.fit is not None:
            parameters = indicator.fit.fit(con.sql(method.prepare_sql).df())
            engine.register(
                parameters_table(indicator.code),
                pa.Table.from_pandas(parameters, preserve_index=False),
            )
        yield indicator, method


def test_every_indicator_pools_alike_in_sql_and_pandas(demo_warehouse):
    """The rows each indicator's compiled SQL gives on the demo, pooled by pandas, equal the
    engine's pooling in SQL: same keys, same types, sums equal to 1e-12 relative."""
    engine = make_engine("duckdb")
    with Warehouse(demo_warehouse, read_only=True) as wh:
        try:
            groups = LevelGroups(
                wh.con.sql("SELECT * FROM establishments").df(),
                wh.con.sql("SELECT * FROM peer_groups").df(),
            )
            pooled_rows = 0
            for indicator, method in compiled_catalogue(engine, wh.con):
                rows = wh.con.sql(method.compute_sql).df()
                expected = aggregate_levels(indicator, rows, groups)
                pooled_rows += len(expected)
                assert_same(engine.pool(indicator, method.compute_sql, method.columns), expected)
        finally:
            engine.close()
    assert pooled_rows > 10_000  # the demo gives most indicators results at every level


def test_every_indicator_pools_alike_deferred(demo_warehouse):
    engine = make_engine("duckdb")
    with Warehouse(demo_warehouse, read_only=True) as wh:
        try:
            items = [
                (indicator, method.compute_sql, method.columns)
                for indicator, method in compiled_catalogue(engine, wh.con)
            ]
            alone, completed = both_ways(engine, items)
        finally:
            engine.close()
    registry_rows = 0
    for code, expected in alone.items():
        assert_identical(completed[code], expected)
        registry_rows += int((~expected["entity_kind"].isin(["etablissement", "national"])).sum())
    assert registry_rows > 1_000
