"""A FunnelResult as plain JSON-ready data: what an API, a chart library or a report needs
to draw and explain the funnel without this package (NaN and infinities become None)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:  # only for the annotation: funnel.py imports this module
    from hospiscope.stats.funnel import FunnelResult

_SETTINGS = (
    "data_type",
    "target",
    "target_source",
    "limits_method",
    "transform",
    "overdispersion",
    "trim_method",
    "winsorise",
    "min_units",
)
_ESTIMATES = (
    "n_units",
    "n_used",
    "n_winsorised",
    "overdispersion_estimated",
    "adjusted",
)


def as_dict(result: FunnelResult) -> dict:
    """Settings, over-dispersion estimates (phi, tau2), the method and note in French, the
    limits table (`precision` then one column per limit), the units with their z-scores,
    limits and flags, and the outliers of every flag (unit ids)."""
    outliers = {
        flag: [_plain(unit) for unit in result.units.loc[result.units[flag], "unit"]]
        for flag in result.units.columns
        if flag.startswith(("high_", "low_"))
    }
    return {
        **{name: _plain(getattr(result, name)) for name in _SETTINGS},
        "confidence_levels": list(result.confidence_levels),
        "phi": _plain(result.phi),
        "tau2": _plain(result.tau2),
        **{name: _plain(getattr(result, name)) for name in _ESTIMATES},
        "method": result.method,
        "note": result.note,
        "limits": _records(result.limits),
        "units": _records(result.units),
        "outliers": outliers,
    }


def _records(frame: pd.DataFrame) -> list[dict]:
    return [
        {column: _plain(value) for column, value in zip(frame.columns, row, strict=True)}
        for row in frame.itertuples(index=False, name=None)
    ]


def _plain(value):
    """numpy scalars to Python ones; NaN and ±inf to None."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
