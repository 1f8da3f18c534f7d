"""Finalisation, step 2: the status of every row (why a value is not published) and the
blanking of the values it withholds."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.catalogue.model import IndicatorMeta
from hospiscope.results.rows import Rows, numbers, zero_if_missing

NOT_TAKEN_PART, NOT_VALIDATED, INSUFFICIENT, NOT_CONCERNED = "NR", "NV", "DI", "NC"
WITHHELD = ["value", "ci_low", "ci_high"]  # blanked under a status; the counts stay


def apply_statuses(meta: IndicatorMeta, frame: pd.DataFrame, rows: Rows) -> None:
    """Set `status` and blank the withheld columns of the rows that have one."""
    frame["status"] = statuses(meta.min_sample, frame, meta.sample_column, rows.establishment)
    blank(frame, frame["status"].notna().to_numpy(), WITHHELD)


def statuses(
    min_sample: int | None,
    frame: pd.DataFrame,
    sample_column: str,
    establishment: np.ndarray,
) -> pd.Series:
    """At establishment level: NC (not concerned), NR (did not take part), NV (not
    validated), DI (below the minimum sample, or flagged by the definition), in that order of
    precedence; aggregates are always published. Definitions flag rows with `stat_nc`,
    `stat_nr`, `stat_nv`, `stat_di` markers (a missing count or marker counts as 0)."""

    def flagged(column: str) -> np.ndarray:
        return establishment & (numbers(frame, column) > 0)

    # pandas' own empty object column (it holds NaN, not None: the column reads as before),
    # filled through numpy masks (a masked pandas assignment costs ~0.1 ms each)
    status = pd.Series(None, index=frame.index, dtype=object).to_numpy(copy=True)
    if min_sample:
        sample = zero_if_missing(numbers(frame, sample_column))
        status[establishment & (sample < min_sample)] = INSUFFICIENT
    if "stat_di" in frame:
        status[flagged("stat_di")] = INSUFFICIENT
    if "stat_nv" in frame:
        status[flagged("stat_nv")] = NOT_VALIDATED
    if "stat_nr" in frame:
        no_answer = zero_if_missing(numbers(frame, "denominator")) == 0
        status[flagged("stat_nr") & no_answer] = NOT_TAKEN_PART
    if "stat_nc" in frame:
        status[flagged("stat_nc")] = NOT_CONCERNED
    return pd.Series(status, index=frame.index, dtype=object)


def blank(frame: pd.DataFrame, rows: np.ndarray, columns: list[str]) -> None:
    """`frame.loc[rows, columns] = NaN`, done column by column on the usual float columns
    (several times cheaper than `.loc` with a mask and a column list)."""
    if not all(column in frame and frame[column].dtype == np.float64 for column in columns):
        frame.loc[rows, columns] = np.nan
        return
    for column in columns:
        values = frame[column].to_numpy(dtype=float, copy=True)
        values[rows] = np.nan
        frame[column] = values
