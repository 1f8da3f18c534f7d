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


def test_every_indicator_pools_alike_in_sql_and_pandas(demo_warehouse):
    """The rows each indicator's compiled SQL gives on the demo, pooled by pandas, equal the
    engine's pooling in SQL: same keys, same types, sums equal to 1e-12 relative."""
    indicators = list(catalogue().values())
    engine = make_engine("duckdb")
    with Warehouse(demo_warehouse, read_only=True) as wh:
        try:
            engine.from_warehouse(wh.con, [])
            groups = LevelGroups(
                wh.con.sql("SELECT * FROM establishments").df(),
                wh.con.sql("SELECT * FROM peer_groups").df(),
            )
            unbound = unbound_inputs(indicators, wh.con)
            for name in needed_tables(indicators)[1]:
                built = derived_tables()[name].build(unbound)
                engine.create_from_sql(name, ibis.to_sql(built, dialect="duckdb"))
            pooled_rows = 0
            for indicator in indicators:
                method = compile_method(indicator, wh.con, unbound)
                if indicator.fit is not None:
                    parameters = indicator.fit.fit(wh.con.sql(method.prepare_sql).df())
                    engine.register(
                        parameters_table(indicator.code),
                        pa.Table.from_pandas(parameters, preserve_index=False),
                    )
                rows = wh.con.sql(method.compute_sql).df()
                expected = aggregate_levels(indicator, rows, groups)
                pooled_rows += len(expected)
                assert_same(engine.pool(indicator, method.compute_sql, method.columns), expected)
        finally:
            engine.close()
    assert pooled_rows > 10_000  # the demo gives most indicators results at every level


def test_every_indicator_pools_alike_deferred(demo_warehouse):
    indicators = list(catalogue().values())
    engine = make_engine("duckdb")
    with Warehouse(demo_warehouse, read_only=True) as wh:
        try:
            engine.from_warehouse(wh.con, [])
            unbound = unbound_inputs(indicators, wh.con)
            for name in needed_tables(indicators)[1]:
                built = derived_tables()[name].build(unbound)
                engine.create_from_sql(name, ibis.to_sql(built, dialect="duckdb"))
            items = []
            for indicator in indicators:
                method = compile_method(indicator, wh.con, unbound)
                if indicator.fit is not None:
                    parameters = indicator.fit.fit(wh.con.sql(method.prepare_sql).df())
                    engine.register(
                        parameters_table(indicator.code),
                        pa.Table.from_pandas(parameters, preserve_index=False),
                    )
                items.append((indicator, method.compute_sql, method.columns))
            alone, completed = both_ways(engine, items)
        finally:
            engine.close()
    registry_rows = 0
    for code, expected in alone.items():
        assert_identical(completed[code], expected)
        registry_rows += int((~expected["entity_kind"].isin(["etablissement", "national"])).sum())
    assert registry_rows > 1_000
