"""Pooling in SQL (`engines.levels.pooled_sql`, the DuckDB engine) has the semantics of the
pandas pooling (`aggregate_levels`, the reference's): on hand-made rows that exercise every
rule, and on every indicator of the catalogue over the demo warehouse."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from hospiscope.catalogue import catalogue
from hospiscope.engines import make_engine
from hospiscope.engines.levels import KEY_COLUMNS, LevelGroups, aggregate_levels
from poolinglib import assert_same

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
