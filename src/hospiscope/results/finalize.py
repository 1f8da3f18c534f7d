"""From pooled numerators and denominators to published values: value, confidence interval,
status and class, following the indicator's metadata."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hospiscope.catalogue.model import Indicator
from hospiscope.stats import byar_interval, exact_interval, poisson_exact_interval, wilson_interval

CI_METHOD_LABELS = {
    "wilson": "Wilson",
    "exact": "Clopper-Pearson",
    "poisson_exact": "Garwood",
    "byar": "Byar",
}
INSUFFICIENT = "DI"


def finalize(indicator: Indicator, frame: pd.DataFrame) -> pd.DataFrame:
    """Add value, ci_low, ci_high, ci_level, ci_method, status and class to the raw levels."""
    meta = indicator.meta
    frame = frame.copy()
    numerator = frame["numerator"].to_numpy(dtype=float)
    denominator = frame["denominator"].to_numpy(dtype=float, na_value=np.nan)
    if meta.kind == "count":
        frame["value"] = numerator * meta.factor
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            frame["value"] = np.where(denominator > 0, numerator / denominator, np.nan) * (
                meta.factor
            )
    low, high = _interval(meta.ci_method, numerator, denominator, meta.ci_level)
    frame["ci_low"], frame["ci_high"] = low * meta.factor, high * meta.factor
    frame["ci_level"] = meta.ci_level if meta.ci_method != "none" else np.nan
    frame["ci_method"] = CI_METHOD_LABELS.get(meta.ci_method)
    frame["status"] = _status(meta.min_sample, frame)
    unpublished = frame["status"].notna()
    frame.loc[unpublished, ["value", "ci_low", "ci_high"]] = np.nan
    frame["class"] = _classes(indicator, frame["value"])
    return frame


def _interval(method: str, numerator: np.ndarray, denominator: np.ndarray, level: float):
    if method == "none":
        return np.full(numerator.shape, np.nan), np.full(numerator.shape, np.nan)
    if method in ("wilson", "exact"):
        interval = wilson_interval if method == "wilson" else exact_interval
        usable = denominator > 0
        low, high = np.full(numerator.shape, np.nan), np.full(numerator.shape, np.nan)
        low[usable], high[usable] = interval(numerator[usable], denominator[usable], level)
        return low, high
    interval = poisson_exact_interval if method == "poisson_exact" else byar_interval
    low, high = interval(numerator, level)
    return np.asarray(low, dtype=float), np.asarray(high, dtype=float)


def _status(min_sample: int | None, frame: pd.DataFrame) -> pd.Series:
    """DI for an establishment below the minimum sample; aggregates are always published."""
    status = pd.Series(None, index=frame.index, dtype=object)
    if min_sample:
        small = (frame["entity_kind"] == "etablissement") & (frame["denominator"] < min_sample)
        status[small] = INSUFFICIENT
    return status


def _classes(indicator: Indicator, values: pd.Series) -> pd.Series:
    grid = indicator.meta.class_grid
    if grid is None:
        return pd.Series(None, index=values.index, dtype=object)
    return values.map(lambda v: None if pd.isna(v) else grid.classify(float(v)))
