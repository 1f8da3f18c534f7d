"""The registry levels pooled for a whole run in one query (engines.registry_pool) give each
indicator the frame its own pooled query gives: same rows, same order, same types, sums equal
to 1e-12 relative — on hand-made rows and on every indicator of the demo warehouse."""

from __future__ import annotations

import pyarrow as pa
import pytest
from test_pooled_sql import PEERS, REGISTRY, ROWS

from hospiscope.catalogue import catalogue
from hospiscope.engines import make_engine
from poolinglib import assert_identical, both_ways

NO_ESTABLISHMENT_LEVEL = "REG_ETAB"  # registry levels, but establishments not published


@pytest.fixture
def duckdb_engine():
    engine = make_engine("duckdb")
    yield engine
    engine.close()


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
