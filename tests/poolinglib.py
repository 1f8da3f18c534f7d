"""Helpers of the pooling tests (unit and integration; import as `poolinglib`): the SQL
pooling of the DuckDB engine compared with the pandas pooling of the reference."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.engines.levels import KEY_COLUMNS


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
