"""What the finalisation steps need to know of every row, worked out once: comparisons on the
string columns cost ~0.1 ms each, and the steps used to repeat them row by row."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Rows:
    establishment: np.ndarray  # bool
    national: np.ndarray  # bool
    period: np.ndarray  # str(period): grids, evolutions and changes key on it
    period_code: np.ndarray  # the same code for the same period; -1 for a missing period

    @classmethod
    def of(cls, frame: pd.DataFrame) -> Rows:
        kind = frame["entity_kind"].to_numpy(dtype=object)
        codes, periods = pd.factorize(frame["period"], use_na_sentinel=False)
        missing = np.asarray(pd.isna(periods), dtype=bool)
        return cls(
            establishment=kind == "etablissement",
            national=kind == "national",
            period=np.array([str(period) for period in periods], dtype=object)[codes],
            period_code=np.where(missing[codes], -1, codes),
        )


def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A column as floats, NaN where missing (numpy comparisons: far cheaper than pandas')."""
    return frame[column].to_numpy(dtype=float, na_value=np.nan)


def zero_if_missing(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), 0.0, values)
