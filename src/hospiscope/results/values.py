"""Finalisation, step 1: the value and its confidence interval of every row, by the
indicator's own `finish` when it has one, else by the standard rules below."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.catalogue.model import Indicator
from hospiscope.stats import ci_method


def values(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """The engine's frame with value, ci_low, ci_high, ci_level and ci_method (a finish may
    add details and classes), numbered from 0."""
    if indicator.finish is not None:
        return indicator.finish(indicator, frame).reset_index(drop=True)
    return standard_values(indicator, frame).reset_index(drop=True)


def standard_values(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Counts, rates and ratios: value = numerator (× factor) or numerator / denominator
    (× factor), with the CI of the indicator's method (stats.ci_method)."""
    meta = indicator.meta
    method = ci_method(meta.ci_method)
    frame = frame.copy()
    numerator = frame["numerator"].to_numpy(dtype=float)
    denominator = frame["denominator"].to_numpy(dtype=float, na_value=np.nan)
    if meta.kind == "count":
        frame["value"] = numerator * meta.factor
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(denominator > 0, numerator / denominator, np.nan)
        frame["value"] = ratio * meta.factor
    low, high = method.interval(numerator, denominator, meta.ci_level)
    frame["ci_low"], frame["ci_high"] = low * meta.factor, high * meta.factor
    frame["ci_level"] = meta.ci_level if meta.ci_method != "none" else np.nan
    frame["ci_method"] = method.label
    return frame
