"""Pooling in SQL (`engines.levels.pooled_sql`, the DuckDB engine) has the semantics of the
pandas pooling (`aggregate_levels`, the reference's): on hand-made rows that exercise every
rule, and on every indicator of the catalogue over the demo warehouse."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from hospiscope.catalogue import catalogue
from hospiscope.catalogue.derived import derived_tables
from hospiscope.catalogue.model import parameters_table
from hospiscope.engines import make_engine
from hospiscope.engines.levels import KEY_COLUMNS, LevelGroups, aggregate_levels
from hospiscope.engines.runner import needed_tables
from hospiscope.results.fingerprint import compile_method, unbound_inputs
from hospiscope.warehouse import Warehouse

ALL_LEVELS = "ICSHA3"  # published at all seven levels

REGISTRY = pd.DataFrame(
    {
        "finess_et": ["A", "B", "C"],
        "region_code": ["11", "11", None],  # C: region unknown → INCONNU
        "department_code": ["75", "92", "2A"],
        "legal_status": ["public", "prive", "public"],
    }
)
PEERS = pd.DataFrame(
    {
        "stratification": ["type", "type", "taille", "taille"],
        "finess_et": ["A", "B", "A", "C"],  # B has no size group, C no type group
        "group_code": ["CHU", "CH", "G1", "G1"],
    }
)
ROWS = pd.DataFrame(
    {
        # A twice (summed), Z absent from the registry (national only), C only missing values.
        "entity_id": ["A", "A", "B", "C", "Z"],
        "period": [2024, 2024, 2024, 2024, 2024],
        "numerator": [1.0, 2.0, np.nan, None, 5.0],
        "denominator": [10, 20, 30, None, 50],
        "stat_extra": [0.5, 0.25, 1.0, None, 2.0],
    }
)


@pytest.fixture
def duckdb_engine():
    engine = make_engine("duckdb")
    yield engine
    engine.close()


def pooled(engine, indicator, rows: pd.DataFrame) -> pd.DataFrame:
    engine.load(
        {
            "establishments": pa.Table.from_pandas(REGISTRY, preserve_index=False),
            "peer_groups": pa.Table.from_pandas(PEERS, preserve_index=False),
        }
    )
    engine.register("per_establishment", pa.Table.from_pandas(rows, preserve_index=False))
    return engine.pool(indicator, "SELECT * FROM per_establishment", tuple(rows.columns))


def test_the_rules_of_pooling(duckdb_engine):
    indicator = catalogue()[ALL_LEVELS]
    got = pooled(duckdb_engine, indicator, ROWS).set_index(list(KEY_COLUMNS))
    sums = got[["numerator", "denominator", "stat_extra"]]
    assert sums.loc[("etablissement", "A", "2024")].tolist() == [3.0, 30.0, 0.75]
    assert sums.loc[("national", "FR", "2024")].tolist() == [8.0, 110.0, 3.75]  # Z counts
    assert sums.loc[("region", "11", "2024")].tolist() == [3.0, 60.0, 1.75]  # NaN: missing
    assert sums.loc[("region", "INCONNU", "2024")].isna().all()  # all missing: NULL
    assert sums.loc[("strate:taille", "G1", "2024")].tolist() == [3.0, 30.0, 0.75]
    assert ("region", "Z", "2024") not in got.index
    assert {kind for kind, _, _ in got.index} == set(indicator.meta.levels)
    assert not any(entity == "Z" for kind, entity, _ in got.index if kind != "etablissement")


def test_sql_and_pandas_pooling_agree_on_the_rules(duckdb_engine):
    indicator = catalogue()[ALL_LEVELS]
    expected = aggregate_levels(indicator, ROWS, LevelGroups(REGISTRY, PEERS))
    assert_same(pooled(duckdb_engine, indicator, ROWS), expected)


def test_no_rows_give_no_levels(duckdb_engine):
    got = pooled(duckdb_engine, catalogue()[ALL_LEVELS], ROWS.iloc[0:0])
    assert got.empty and list(got.columns) == [
        *KEY_COLUMNS,
        "numerator",
        "denominator",
        "stat_extra",
    ]


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


def assert_same(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert list(got.columns) == list(expected.columns)
    for key in KEY_COLUMNS:
        assert got[key].map(type).eq(str).all()
    got = got.sort_values(list(KEY_COLUMNS), ignore_index=True)
    expected = expected.sort_values(list(KEY_COLUMNS), ignore_index=True)
    pd.testing.assert_frame_equal(
        got[list(KEY_COLUMNS)], expected[list(KEY_COLUMNS)], check_dtype=False
    )
    for column in got.columns[len(KEY_COLUMNS) :]:
        assert got[column].dtype == np.float64, column
        np.testing.assert_allclose(
            got[column].to_numpy(), expected[column].to_numpy(float), rtol=1e-12, atol=0
        )
