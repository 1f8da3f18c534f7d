"""The registry levels pooled for a whole run in one query (engines.registry_pool) give each
indicator the frame its own pooled query gives: same rows, same order, same types, sums equal
to 1e-12 relative — on hand-made rows and on every indicator of the demo warehouse."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from test_pooled_sql import PEERS, REGISTRY, ROWS

from hospiscope.catalogue import catalogue
from hospiscope.catalogue.derived import derived_tables
from hospiscope.catalogue.model import parameters_table
from hospiscope.engines import make_engine
from hospiscope.engines.levels import KEY_COLUMNS
from hospiscope.engines.runner import needed_tables
from hospiscope.results.fingerprint import compile_method, unbound_inputs
from hospiscope.warehouse import Warehouse

NO_ESTABLISHMENT_LEVEL = "REG_ETAB"  # registry levels, but establishments not published


@pytest.fixture
def duckdb_engine():
    engine = make_engine("duckdb")
    yield engine
    engine.close()


def both_ways(engine, items: list[tuple]) -> tuple[dict, dict]:
    """(each indicator pooled alone, all pooled with the registry levels deferred)."""
    alone = {i.code: engine.pool(i, sql, columns) for i, sql, columns in items}
    deferred = {i.code: (i, engine.pool_deferred(i, sql, columns)) for i, sql, columns in items}
    return alone, engine.pool_registry(deferred)


def assert_identical(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    assert list(got.dtypes) == list(expected.dtypes)
    assert isinstance(got.index, pd.RangeIndex)
    pd.testing.assert_frame_equal(got[list(KEY_COLUMNS)], expected[list(KEY_COLUMNS)])
    for column in got.columns[len(KEY_COLUMNS) :]:
        np.testing.assert_allclose(
            got[column].to_numpy(), expected[column].to_numpy(), rtol=1e-12, atol=0
        )


def test_hand_made_rows_pool_alike_for_several_indicators(duckdb_engine):
    duckdb_engine.load(
        {
            "establishments": pa.Table.from_pandas(REGISTRY, preserve_index=False),
            "peer_groups": pa.Table.from_pandas(PEERS, preserve_index=False),
        }
    )
    narrow = ROWS.drop(columns="stat_extra")  # indicators of a run differ in their columns
    duckdb_engine.register("wide_rows", pa.Table.from_pandas(ROWS, preserve_index=False))
    duckdb_engine.register("narrow_rows", pa.Table.from_pandas(narrow, preserve_index=False))
    items = [
        (catalogue()["ICSHA3"], "SELECT * FROM wide_rows", tuple(ROWS.columns)),
        (catalogue()[NO_ESTABLISHMENT_LEVEL], "SELECT * FROM narrow_rows", tuple(narrow.columns)),
        (catalogue()["ICSHA2"], "SELECT * FROM narrow_rows WHERE false", tuple(narrow.columns)),
    ]
    alone, completed = both_ways(duckdb_engine, items)
    assert set(completed) == set(alone)
    for code, expected in alone.items():
        assert_identical(completed[code], expected)
    assert "etablissement" not in set(completed[NO_ESTABLISHMENT_LEVEL]["entity_kind"])
    assert completed["ICSHA2"].empty


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
