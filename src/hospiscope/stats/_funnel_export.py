"""Plain JSON-ready data from numpy and pandas values, for FunnelResult.to_dict: numpy
scalars become Python ones, NaN and infinities become None, frames become lists of
records."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd


def records(frame: pd.DataFrame) -> list[dict]:
    return [
        {column: plain(value) for column, value in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def plain(value):
    """numpy scalars to Python ones; NaN and ±inf to None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
